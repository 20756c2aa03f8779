//! The `bulk_jobs` table. A bulk award request and its progress.

use credence_domain::registry::BulkJobState;
use credence_domain::{AchievementId, BulkJobId, OrgId};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bulk_jobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: BulkJobId,
    pub org_id: OrgId,
    pub achievement_id: AchievementId,
    #[sea_orm(column_type = "Text")]
    pub created_by: String,
    pub total: i64,
    pub done: i64,
    pub refused: i64,
    pub state: BulkJobState,
    pub created_at: ChronoDateTimeUtc,
    pub finished_at: Option<ChronoDateTimeUtc>,
    /// While running, until when the process working on the job holds it.
    pub lease_until: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
