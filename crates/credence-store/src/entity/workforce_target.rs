//! The `workforce_targets` table. An organisation's goal: a share of its people (of one archetype, or all) through a pathway by a month.

use credence_domain::{OrgId, TargetId};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workforce_targets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: TargetId,
    pub org_id: OrgId,
    /// An archetype code; none: everyone.
    pub archetype: Option<String>,
    pub pathway: String,
    pub percent: i32,
    /// The month it is due, `YYYY-MM`.
    pub due: String,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
