//! Registry queries, one file per area, all methods on [`crate::Tx`]. Rows are returned as
//! plain structs (the table models), which callers read but never write back directly.

mod accounts;
mod accreditations;
mod affiliations;
mod audit;
mod audit_names;
mod award_list;
mod award_storage;
mod awards;
mod claims;
mod evidence;
mod mail;
mod notifications;
mod oauth;
mod orgs;
mod products;
mod reminders;
mod teams;
mod wallet;
mod workforce;

pub use crate::entity::account::Model as AccountRow;
pub use crate::entity::accreditation::Model as AccreditationRow;
pub use crate::entity::achievement::Model as AchievementRow;
pub use crate::entity::affiliation::Model as AffiliationRow;
pub use crate::entity::api_token::Model as TokenRow;
pub use crate::entity::audit_checkpoint::Model as AuditCheckpointRow;
pub use crate::entity::audit_entry::Model as AuditRow;
pub use crate::entity::bulk_job::Model as BulkJobRow;
pub use crate::entity::bulk_row::Model as BulkRowRow;
pub use crate::entity::claim::Model as ClaimRow;
pub use crate::entity::email_link::Model as EmailLinkRow;
pub use crate::entity::evidence::Model as EvidenceRow;
pub use crate::entity::evidence_attachment::Model as AttachmentRow;
pub use crate::entity::evidence_decision::Model as DecisionRow;
pub use crate::entity::membership::Model as MembershipRow;
pub use crate::entity::notification::Model as NotificationRow;
pub use crate::entity::oauth_client::Model as OAuthClientRow;
pub use crate::entity::oauth_grant::Model as OAuthGrantRow;
pub use crate::entity::organisation::Model as OrgRow;
pub use crate::entity::outbox::Model as OutboxRow;
pub use crate::entity::product::Model as ProductRow;
pub use crate::entity::product_answer::Model as ProductAnswerRow;
pub use crate::entity::product_site::Model as ProductSiteRow;
pub use crate::entity::product_version::Model as ProductVersionRow;
pub use crate::entity::session::Model as SessionRow;
pub use crate::entity::signing_key::Model as KeyRow;
pub use crate::entity::status_list::Model as StatusListRow;
pub use crate::entity::team::Model as TeamRow;
pub use crate::entity::team_member::Model as TeamMemberRow;
pub use crate::entity::wallet_offer::Model as WalletOfferRow;
pub use crate::entity::wallet_token::Model as WalletTokenRow;
pub use crate::entity::workforce_target::Model as TargetRow;

pub use audit::{AuditCheckpointer, NewAuditEntry};
pub use audit_names::AuditNameRows;
pub use award_list::{contains_pattern, AwardListQuery, AwardListRow, ListedState};
pub use award_storage::{AwardRow, CredentialStorage};
pub use evidence::{AccountUsage, AttachmentMeta, NewDecision, Usage};
pub use mail::OutboxAttempt;
pub use products::BoundAward;
pub use workforce::{WorkforceAward, WorkforceLevels, WorkforcePerson};

/// One page of a list: `limit` rows after skipping `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub offset: u64,
    pub limit: u64,
}

impl Page {
    /// The largest page a caller may ask for.
    pub const MAX_LIMIT: u64 = 500;

    pub fn new(offset: u64, limit: u64) -> Self {
        Self {
            offset,
            limit: limit.clamp(1, Self::MAX_LIMIT),
        }
    }
}

impl Default for Page {
    fn default() -> Self {
        Self::new(0, 50)
    }
}
