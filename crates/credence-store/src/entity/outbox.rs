//! The `outbox` table. An e-mail, whole, waiting to be sent or kept as sent.

use credence_domain::registry::OutboxState;
use credence_domain::{AccountId, OutboxId};
use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: OutboxId,
    #[sea_orm(column_type = "Text")]
    pub message_id: String,
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub recipient: String,
    pub account_id: Option<AccountId>,
    #[sea_orm(column_type = "Text")]
    pub subject: String,
    /// The message as sent (RFC 5322, 7-bit: its parts are quoted-printable or base64).
    #[sea_orm(column_type = "Text")]
    pub raw: String,
    pub state: OutboxState,
    pub attempts: i32,
    pub next_attempt_at: ChronoDateTimeUtc,
    pub lease_owner: Option<String>,
    pub lease_until: Option<ChronoDateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub created_at: ChronoDateTimeUtc,
    pub sent_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Never prints the message: it may hold a single-use link.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("id", &self.id)
            .field("message_id", &self.message_id)
            .field("kind", &self.kind)
            .field("state", &self.state)
            .field("attempts", &self.attempts)
            .field("raw", &"[redacted]")
            .finish_non_exhaustive()
    }
}
