//! The `claims` table. An award made to an address no confirmed account held: the claim
//! link's hash, the message that carried it, and when it was opened and claimed.

use credence_domain::{AccountId, AwardId, OrgId, OutboxId};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "claims")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub award_id: AwardId,
    pub org_id: OrgId,
    /// The recipient's address, as awarded (trimmed, lower-case).
    #[sea_orm(column_type = "Text")]
    pub email: String,
    /// The SHA-256 of the newest link's secret; older links no longer work.
    pub token_hash: String,
    pub expires_at: ChronoDateTimeUtc,
    /// The outbox message that carried the newest link.
    pub outbox_id: Option<OutboxId>,
    /// How many links have been sent.
    pub sends: i32,
    pub created_at: ChronoDateTimeUtc,
    /// When the newest link was made.
    pub sent_at: Option<ChronoDateTimeUtc>,
    pub opened_at: Option<ChronoDateTimeUtc>,
    pub claimed_at: Option<ChronoDateTimeUtc>,
    pub claimed_by: Option<AccountId>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
