//! The `awards` table. An issued credential with its status indices and state; the signed
//! text is stored in the layout of `credential_layout` (its shared part in `credential_parts`).

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
    /// The signed credential whole, or empty when `credential_packed` holds it.
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
    /// The signed credential less its part, compressed (zstd, the part as dictionary);
    /// added by m20261210_000001.
    #[sea_orm(column_type = "Blob", nullable)]
    pub credential_packed: Option<Vec<u8>>,
    /// The id of the part cut out of the credential.
    #[sea_orm(column_type = "Blob", nullable)]
    pub credential_part: Option<Vec<u8>>,
    /// The byte offset in the unpacked rest where the part goes back in.
    pub credential_part_at: Option<i64>,
    /// The SHA-256 of the whole signed text; none on rows written before the migration
    /// that have not been rewritten yet (their `credential` is whole).
    #[sea_orm(column_type = "Blob", nullable)]
    pub credential_sha256: Option<Vec<u8>>,
}

impl Column {
    /// Whether this column holds (part of) the stored credential, which lists of award facts
    /// leave unread.
    pub fn is_credential_storage(&self) -> bool {
        matches!(
            self,
            Self::Credential
                | Self::CredentialPacked
                | Self::CredentialPart
                | Self::CredentialPartAt
                | Self::CredentialSha256
        )
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
