//! An award as every area shows it (holders, issuers, status changes, the VC-API), the
//! uuid check on ids from paths, and the size of every status list: shared by `awards` and
//! `status`, which so depend on this module and not on each other.

use credence_domain::registry::AwardStatus;
use credence_domain::{AccountId, AchievementId, AwardId, OrgId};
use credence_store::registry::AwardRow;
use serde::Serialize;

use crate::registry::Registry;
use crate::ServiceError;
use credence_documents::date_time;

/// The number of entries of every status list, and so the range of status indices.
pub const STATUS_LIST_ENTRIES: usize = credence_vc::status_list::MIN_ENTRIES;
/// An award as its holder and its issuers see it.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct AwardView {
    #[schema(value_type = String)]
    pub id: AwardId,
    /// The credential's URL (its VC id).
    pub credential_id: String,
    #[schema(value_type = String)]
    pub org_id: OrgId,
    #[schema(value_type = Option<String>)]
    pub achievement_id: Option<AchievementId>,
    #[schema(value_type = Option<String>)]
    pub holder_id: Option<AccountId>,
    #[schema(value_type = String)]
    pub status: AwardStatus,
    pub status_reason: Option<String>,
    pub valid_from: String,
    pub valid_until: Option<String>,
    pub public: bool,
    pub idempotency_key: Option<String>,
    pub override_justification: Option<String>,
    #[schema(value_type = Option<String>)]
    pub replaces_award_id: Option<AwardId>,
    /// Whether the credential carries a suspension entry, so that it can be suspended.
    pub suspendable: bool,
    pub created_at: String,
}

pub(crate) fn award_view(registry: &Registry, row: &AwardRow) -> AwardView {
    AwardView {
        id: row.id.clone(),
        credential_id: registry.url(&format!("/credentials/{}", row.id)),
        org_id: row.org_id.clone(),
        achievement_id: row.achievement_id.clone(),
        holder_id: row.holder_id.clone(),
        status: row.status,
        status_reason: row.status_reason.clone(),
        valid_from: date_time(row.valid_from),
        valid_until: row.valid_until.map(date_time),
        public: row.public,
        idempotency_key: row.idempotency_key.clone(),
        override_justification: row.override_justification.clone(),
        replaces_award_id: row.replaces_award_id.clone(),
        suspendable: row.suspendable,
        created_at: row.created_at.to_rfc3339(),
    }
}

/// `raw` read as the record id `T`; an id that cannot exist names no record, so it is
/// "{noun} '{raw}' was not found" (404), as for an id that is not stored.
pub fn record_id<T: std::str::FromStr>(raw: &str, noun: &str) -> Result<T, ServiceError> {
    raw.parse().map_err(|_| {
        ServiceError::NotFound(format!(
            "{noun} '{}'",
            raw.chars().take(80).collect::<String>()
        ))
    })
}
