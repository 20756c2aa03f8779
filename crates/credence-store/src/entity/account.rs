//! The `accounts` table. An account: a person who logs in; every account is the holder of its own portfolio.

use credence_domain::AccountId;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: AccountId,
    pub email: String,
    #[sea_orm(column_type = "Text")]
    pub display_name: String,
    #[sea_orm(column_type = "Text")]
    pub password_hash: Option<String>,
    pub is_operator: bool,
    #[sea_orm(column_type = "Text")]
    pub did: Option<String>,
    pub email_salt: String,
    pub portfolio_slug: Option<String>,
    pub portfolio_public: bool,
    pub portfolio_show_progress: bool,
    /// The archetype codes the holder follows, comma-separated.
    #[sea_orm(column_type = "Text")]
    pub archetypes: String,
    pub created_at: ChronoDateTimeUtc,
    /// When the address was confirmed by the link sent to it (added by migration
    /// m20261206_000002; accounts made before then count as confirmed at creation).
    pub email_confirmed_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
