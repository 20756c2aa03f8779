//! The `awards` table. An issued credential, stored exactly as signed, with its status indices and state.

use credence_domain::registry::AwardStatus;
use credence_domain::{AccountId, AchievementId, AwardId, OrgId};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "awards")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: AwardId,
    pub org_id: OrgId,
    pub achievement_id: Option<AchievementId>,
    pub holder_id: Option<AccountId>,
    #[sea_orm(column_type = "Text")]
    pub recipient_email: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub credential: String,
    pub revocation_index: i64,
    pub suspension_index: i64,
    pub status: AwardStatus,
    #[sea_orm(column_type = "Text")]
    pub status_reason: Option<String>,
    pub valid_from: ChronoDateTimeUtc,
    pub valid_until: Option<ChronoDateTimeUtc>,
    pub idempotency_key: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub override_justification: Option<String>,
    pub replaces_award_id: Option<AwardId>,
    pub public: bool,
    #[sea_orm(column_type = "Text")]
    pub created_by: String,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
    /// The credential's own `id` (added by migration m20261128_000002).
    #[sea_orm(column_type = "Text", nullable)]
    pub credential_id: Option<String>,
    /// Whether the credential carries a suspension entry beside its revocation entry
    /// (added by migration m20261205_000001; earlier awards all do).
    pub suspendable: bool,
    /// The award this one copies for a wallet, bound to the wallet's key (OpenID4VCI; added
    /// by migration m20261210_000001): same achievement and evidence, another subject id.
    pub reissue_of: Option<AwardId>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
