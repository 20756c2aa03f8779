//! The `accreditations` table. An accrediting body's signed, revocable accreditation of a provider for pathways.

use credence_domain::registry::AccreditationStatus;
use credence_domain::{AccreditationId, OrgId};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accreditations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: AccreditationId,
    pub body_org_id: OrgId,
    pub provider_org_id: OrgId,
    #[sea_orm(column_type = "Text")]
    pub pathways: String,
    #[sea_orm(column_type = "Text")]
    pub credential: String,
    pub revocation_index: i64,
    pub status: AccreditationStatus,
    #[sea_orm(column_type = "Text")]
    pub reason: Option<String>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
