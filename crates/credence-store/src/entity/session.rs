//! The `sessions` table. A browser session, stored by the SHA-256 of its cookie value.

use credence_domain::AccountId;
use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_hash: String,
    pub account_id: AccountId,
    pub csrf_token: String,
    pub created_at: ChronoDateTimeUtc,
    pub expires_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Never prints the CSRF token.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("token_hash", &self.token_hash)
            .field("account_id", &self.account_id)
            .field("csrf_token", &"[redacted]")
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn debug_never_prints_the_csrf_token() {
        let row = super::Model {
            token_hash: "hash".into(),
            account_id: credence_domain::AccountId::random(),
            csrf_token: "csrf-secret-5521".into(),
            created_at: chrono::Utc::now(),
            expires_at: chrono::Utc::now(),
        };
        let printed = format!("{row:?}");
        assert!(!printed.contains("csrf-secret-5521"), "{printed}");
        assert!(printed.contains("account"), "{printed}");
    }
}
