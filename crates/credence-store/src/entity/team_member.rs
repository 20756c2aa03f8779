//! The `team_members` table. A person invited to a team, the archetypes they play in it, and whether they accepted.

use credence_domain::registry::TeamMemberState;
use credence_domain::{AccountId, TeamId};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "team_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub team_id: TeamId,
    #[sea_orm(primary_key, auto_increment = false)]
    pub account_id: AccountId,
    /// Archetype codes, comma-separated.
    #[sea_orm(column_type = "Text")]
    pub archetypes: String,
    pub state: TeamMemberState,
    pub invited_at: ChronoDateTimeUtc,
    pub answered_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
