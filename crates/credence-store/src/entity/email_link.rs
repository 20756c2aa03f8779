//! The `email_links` table. A single-use link sent by e-mail, stored by the SHA-256 of its
//! secret (the secret itself is only in the message).

use credence_domain::registry::EmailLinkPurpose;
use credence_domain::AccountId;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "email_links")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_hash: String,
    pub purpose: EmailLinkPurpose,
    pub account_id: Option<AccountId>,
    #[sea_orm(column_type = "Text")]
    pub email: String,
    pub created_at: ChronoDateTimeUtc,
    pub expires_at: ChronoDateTimeUtc,
    pub used_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
