//! The `api_tokens` table. An API token: stored as the SHA-256 of its value, scoped to one organisation role.

use credence_domain::registry::Role;
use credence_domain::{AccountId, OrgId, TokenId};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: TokenId,
    pub token_hash: String,
    pub org_id: OrgId,
    pub role: Role,
    #[sea_orm(column_type = "Text")]
    pub label: String,
    pub created_by: Option<AccountId>,
    pub created_at: ChronoDateTimeUtc,
    pub expires_at: ChronoDateTimeUtc,
    pub revoked_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
