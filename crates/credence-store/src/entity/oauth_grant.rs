//! The `oauth_grants` table: what a holder granted an Open Badges API client (an authorization code, an access token or a refresh token), keyed by the SHA-256 hash of its value.

use credence_domain::registry::OAuthGrantKind;
use credence_domain::{AccountId, OAuthClientId};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "oauth_grants")]
pub struct Model {
    /// SHA-256 (hex) of the code or token.
    #[sea_orm(primary_key, auto_increment = false)]
    pub hash: String,
    pub kind: OAuthGrantKind,
    pub client_id: OAuthClientId,
    pub account_id: AccountId,
    /// The scopes granted, space-separated.
    #[sea_orm(column_type = "Text")]
    pub scope: String,
    /// A code's redirect URI, which the token request must repeat.
    #[sea_orm(column_type = "Text", nullable)]
    pub redirect_uri: Option<String>,
    /// A code's PKCE challenge (S256).
    #[sea_orm(column_type = "Text", nullable)]
    pub code_challenge: Option<String>,
    pub expires_at: ChronoDateTimeUtc,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
