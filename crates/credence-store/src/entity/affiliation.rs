//! The `affiliations` table. An organisation affiliated to another (a system, such as an integrated care system), proposed by the system's administrators and accepted by the organisation's.

use credence_domain::registry::AffiliationState;
use credence_domain::OrgId;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "affiliations")]
pub struct Model {
    /// The system.
    #[sea_orm(primary_key, auto_increment = false)]
    pub parent_org_id: OrgId,
    /// The organisation affiliated to it.
    #[sea_orm(primary_key, auto_increment = false)]
    pub member_org_id: OrgId,
    pub state: AffiliationState,
    /// Who proposed it (the actor's label, as the audit trail names it).
    #[sea_orm(column_type = "Text")]
    pub invited_by: String,
    pub invited_at: ChronoDateTimeUtc,
    #[sea_orm(column_type = "Text", nullable)]
    pub answered_by: Option<String>,
    pub answered_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
