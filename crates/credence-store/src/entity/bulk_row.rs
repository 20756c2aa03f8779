//! The `bulk_rows` table. The outcome of one row of a bulk award.

use credence_domain::registry::BulkRowOutcome;
use credence_domain::{AwardId, BulkJobId};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bulk_rows")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub job_id: BulkJobId,
    #[sea_orm(primary_key, auto_increment = false)]
    pub row_no: i64,
    pub idempotency_key: String,
    pub outcome: BulkRowOutcome,
    pub award_id: Option<AwardId>,
    #[sea_orm(column_type = "Text")]
    pub message: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
