//! The `evidence_decisions` table. One step in a piece of evidence's history: submitted, attested or rejected.

use credence_domain::{AccountId, EvidenceId};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evidence_decisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub evidence_id: EvidenceId,
    pub actor_id: Option<AccountId>,
    pub decision: String,
    pub level: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub comment: Option<String>,
    pub decided_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
