//! The `oauth_clients` table: an Open Badges API client registered dynamically (RFC 7591), its secret kept as a SHA-256 hash.

use credence_domain::OAuthClientId;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "oauth_clients")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: OAuthClientId,
    /// SHA-256 (hex) of the client secret.
    pub secret_hash: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    /// The registered redirect URIs, one per line.
    #[sea_orm(column_type = "Text")]
    pub redirect_uris: String,
    /// The scopes the client may ask for, space-separated.
    #[sea_orm(column_type = "Text")]
    pub scope: String,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
