//! The `evidence` table. A piece of a holder's evidence for one competency statement at a claimed level.

use credence_domain::registry::{EvidenceKind, EvidenceStatus};
use credence_domain::{AccountId, EvidenceId, LevelCode, OrgId, ProductVersionId, StatementCode};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evidence")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: EvidenceId,
    pub holder_id: AccountId,
    pub framework_id: i64,
    pub statement_code: StatementCode,
    pub level_claimed: LevelCode,
    pub kind: EvidenceKind,
    #[sea_orm(column_type = "Text")]
    pub narrative: String,
    pub occurred_on: ChronoDate,
    #[sea_orm(column_type = "Text")]
    pub provider: Option<String>,
    pub org_id: Option<OrgId>,
    pub status: EvidenceStatus,
    pub level_confirmed: Option<LevelCode>,
    pub source: String,
    #[sea_orm(column_type = "Text")]
    pub external_ref: Option<String>,
    pub public: bool,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
    /// The AI product version this evidence was gained on, for product-specific training
    /// (added by migration m20261208_000001).
    pub product_version_id: Option<ProductVersionId>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
