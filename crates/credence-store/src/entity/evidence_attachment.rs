//! The `evidence_attachments` table. A file attached to evidence, with its SHA-256.

use credence_domain::{AttachmentId, EvidenceId};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evidence_attachments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: AttachmentId,
    pub evidence_id: EvidenceId,
    #[sea_orm(column_type = "Text")]
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    #[sea_orm(column_type = "Blob")]
    pub content: Vec<u8>,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
