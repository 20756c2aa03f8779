//! The issuer's list of an organisation's awards (who each is for, its achievement, state
//! and date; searched, filtered and paged with true totals) and status changes to several
//! selected awards at once, each made by the single-award change and audited as it is.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use credence_domain::registry::{AwardStatus, StatusAction};
use credence_domain::{AchievementId, AwardId};
use credence_store::registry::{AwardListQuery, AwardListRow, ListedState, Page};
use serde::Serialize;

use crate::desks::IssuerDesk;
use crate::ServiceError;

/// The most awards one batch may change.
pub const MAX_BATCH: usize = 200;

/// The longest search text.
const MAX_SEARCH_CHARS: usize = 200;

/// What to list, as typed: every part may be empty (no constraint).
#[derive(Debug, Clone, Default)]
pub struct AwardListFilter {
    /// Text to find in the recipient's name or e-mail address, in any case.
    pub search: String,
    /// An achievement's uuid.
    pub achievement: String,
    /// `active`, `suspended`, `revoked` or `expired`.
    pub state: String,
}

/// Who an award is for.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct AwardRecipient {
    /// `person` (a holder's account), `organisation` (an accredited provider) or `unknown`
    /// (a VC-API credential, whose subject has no account here).
    pub kind: String,
    pub name: Option<String>,
    pub email: Option<String>,
}

/// An award as the list shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct AwardListItem {
    #[schema(value_type = String)]
    pub id: AwardId,
    #[schema(value_type = Option<String>)]
    pub achievement_id: Option<AchievementId>,
    /// The achievement's name; none for a VC-API credential or an accreditation.
    pub achievement: Option<String>,
    pub recipient: AwardRecipient,
    /// `active`, `suspended`, `revoked` or `expired` (an active award past its validity).
    pub state: String,
    pub status_reason: Option<String>,
    /// Whether the credential carries a suspension entry, so that it can be suspended.
    pub suspendable: bool,
    /// When it was awarded (RFC 3339).
    pub awarded_at: String,
    pub valid_until: Option<String>,
    /// Where the claim stands, for an award made to an address without an account.
    pub claim: Option<crate::claims::ClaimState>,
}

/// One page of the list, with how many awards match in all.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AwardList {
    pub total: u64,
    pub offset: u64,
    pub limit: u64,
    pub items: Vec<AwardListItem>,
}

/// A status change asked of several awards.
#[derive(Debug, Clone)]
pub struct BatchChange {
    pub ids: Vec<String>,
    pub action: StatusAction,
    pub reason: String,
    /// Whether the issuer confirmed that a revocation is permanent (needed to revoke).
    pub confirmed: bool,
}

/// An award a batch left as it was, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct SkippedAward {
    pub id: String,
    /// Who the award is for (a name or an e-mail address), when it is one of the
    /// organisation's.
    pub recipient: Option<String>,
    pub why: String,
}

/// What a batch did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BatchOutcome {
    pub action: String,
    /// The awards changed, in the order asked.
    pub changed: Vec<String>,
    pub skipped: Vec<SkippedAward>,
    /// The outcome in a sentence, such as "3 revoked, 1 skipped: a revoked award cannot
    /// change again".
    pub summary: String,
}

/// The past tense of an action, as a summary says it.
fn done_word(action: StatusAction) -> &'static str {
    match action {
        StatusAction::Revoke => "revoked",
        StatusAction::Suspend => "suspended",
        StatusAction::Reinstate => "reinstated",
    }
}

/// "3 revoked, 2 skipped: why (2)", with each reason once and how often it occurred.
fn summary(action: StatusAction, changed: usize, skipped: &[SkippedAward]) -> String {
    let mut text = format!("{changed} {}", done_word(action));
    if skipped.is_empty() {
        return text;
    }
    let mut reasons: Vec<(&str, usize)> = Vec::new();
    for s in skipped {
        match reasons.iter_mut().find(|(why, _)| *why == s.why) {
            Some((_, n)) => *n += 1,
            None => reasons.push((&s.why, 1)),
        }
    }
    let reasons: Vec<String> = reasons
        .into_iter()
        .map(|(why, n)| {
            if n > 1 {
                format!("{why} ({n})")
            } else {
                why.to_owned()
            }
        })
        .collect();
    text.push_str(&format!(
        ", {} skipped: {}",
        skipped.len(),
        reasons.join("; ")
    ));
    text
}

/// An award's state as listed: its status, or expired for an active award past its end.
fn listed_state(row: &AwardListRow, now: DateTime<Utc>) -> String {
    if row.status == AwardStatus::Active && row.valid_until.is_some_and(|u| u < now) {
        "expired".to_owned()
    } else {
        row.status.to_string()
    }
}

/// Why `action` does not apply to the award, if it does not.
fn refusal(row: &AwardListRow, action: StatusAction) -> Option<String> {
    match row.status.apply(action) {
        Err(why) => Some(why.to_owned()),
        Ok(AwardStatus::Suspended) if !row.suspendable => Some(
            "its achievement does not allow suspension (the credential has no suspension entry)"
                .into(),
        ),
        Ok(_) => None,
    }
}

/// The filter's parts, checked.
fn parse_state(state: &str) -> Result<Option<ListedState>, ServiceError> {
    Ok(match state.trim() {
        "" => None,
        "active" => Some(ListedState::Active),
        "suspended" => Some(ListedState::Suspended),
        "revoked" => Some(ListedState::Revoked),
        "expired" => Some(ListedState::Expired),
        _ => {
            return Err(ServiceError::invalid(
                "/status",
                "Choose a status: active, suspended, revoked or expired.",
            ))
        }
    })
}

impl IssuerDesk<'_> {
    /// One page of the organisation's awards matching `filter`, newest first (issuers).
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.issuer.0.org.slug))]
    pub async fn award_list(
        &self,
        filter: &AwardListFilter,
        page: Page,
    ) -> Result<AwardList, ServiceError> {
        let issuer = &self.issuer;
        let org = &issuer.0.org;
        let search = filter.search.trim();
        if search.chars().count() > MAX_SEARCH_CHARS {
            return Err(ServiceError::invalid(
                "/q",
                format!(
                    "Search for at most {MAX_SEARCH_CHARS} characters of a name or e-mail address."
                ),
            ));
        }
        let state = parse_state(&filter.state)?;
        let now = self.now();
        let tx = self.store.read().await?;
        let achievements: HashMap<AchievementId, String> = tx
            .achievements_of_org(&org.id)
            .await?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect();
        let achievement = match filter.achievement.trim() {
            "" => None,
            chosen => Some(
                achievements
                    .keys()
                    .find(|id| id.as_str() == chosen)
                    .ok_or_else(|| {
                        ServiceError::invalid(
                            "/achievement",
                            format!("{} has no achievement '{chosen}'.", org.name),
                        )
                    })?,
            ),
        };
        let query = AwardListQuery {
            org_id: &org.id,
            search: Some(search).filter(|s| !s.is_empty()),
            achievement_id: achievement,
            state,
            now,
        };
        let (total, rows) = tx.award_list(&query, page).await?;
        let waiting: Vec<AwardId> = rows
            .iter()
            .filter(|r| r.holder_id.is_none() && r.provider_name.is_none())
            .map(|r| r.id.clone())
            .collect();
        let claims: HashMap<AwardId, crate::claims::ClaimState> = self
            .claim_views(&tx, &waiting)
            .await?
            .into_iter()
            .map(|(id, view)| (id, view.state))
            .collect();
        let items = rows
            .into_iter()
            .map(|row| {
                let claim = claims.get(&row.id).copied();
                AwardListItem {
                    claim,
                    ..list_item(row, &achievements, now)
                }
            })
            .collect();
        Ok(AwardList {
            total,
            offset: page.offset,
            limit: page.limit,
            items,
        })
    }

    /// Revokes, suspends or reinstates each of several awards of the issuer's organisation
    /// with one reason, through [`Registry::change_award_status`] (so each change is audited
    /// and the lists re-signed as for one award). The request is checked whole before
    /// anything changes; an award the action does not apply to is skipped with the reason.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.issuer.0.org.slug))]
    pub async fn change_awards_status(
        &self,
        change: &BatchChange,
    ) -> Result<BatchOutcome, ServiceError> {
        let issuer = &self.issuer;
        let ids = check_batch(change)?;
        let org = &issuer.0.org;
        let rows: HashMap<AwardId, AwardListRow> = {
            let tx = self.store.read().await?;
            tx.award_list_rows(&org.id, &ids)
                .await?
                .into_iter()
                .map(|r| (r.id.clone(), r))
                .collect()
        };
        let mut changed = Vec::new();
        let mut skipped = Vec::new();
        let mut failed = false;
        for id in ids {
            let why = match rows.get(&id) {
                _ if failed => Some(
                    "not attempted: a change before it failed (the error is logged); try again"
                        .to_owned(),
                ),
                None => Some(format!("it is not an award of {}", org.name)),
                Some(row) => refusal(row, change.action),
            };
            let recipient = rows.get(&id).and_then(recipient_label);
            if let Some(why) = why {
                skipped.push(SkippedAward {
                    id: id.to_string(),
                    recipient,
                    why,
                });
                continue;
            }
            match self
                .change_award_status(&id, change.action, &change.reason)
                .await
            {
                Ok(_) => changed.push(id.to_string()),
                // Changed meanwhile by someone else: the state no longer allows it.
                Err(ServiceError::Conflict(why) | ServiceError::NotFound(why)) => {
                    skipped.push(SkippedAward {
                        id: id.to_string(),
                        recipient,
                        why,
                    });
                }
                Err(e) => {
                    tracing::error!(error = %e, award = %id, "a status change of a batch failed");
                    failed = true;
                    skipped.push(SkippedAward {
                        id: id.to_string(),
                        recipient,
                        why: "the change failed (the error is logged); try again".into(),
                    });
                }
            }
        }
        Ok(BatchOutcome {
            action: change.action.as_str().to_owned(),
            summary: summary(change.action, changed.len(), &skipped),
            changed,
            skipped,
        })
    }
}

/// The batch's award ids, each once and in the order given, after every check that does
/// not need the database: a selection, the cap, well-formed ids, a reason, a confirmation.
fn check_batch(change: &BatchChange) -> Result<Vec<AwardId>, ServiceError> {
    let mut seen = HashSet::new();
    let mut ids = Vec::new();
    for id in &change.ids {
        let id = AwardId::new(id.trim()).map_err(|_| {
            ServiceError::invalid(
                "/awards",
                format!(
                    "'{}' is not an award id.",
                    id.chars().take(60).collect::<String>()
                ),
            )
        })?;
        if seen.insert(id.clone()) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err(ServiceError::invalid(
            "/awards",
            "Select at least one award to change.",
        ));
    }
    if ids.len() > MAX_BATCH {
        return Err(ServiceError::invalid(
            "/awards",
            format!(
                "At most {MAX_BATCH} awards can be changed at once, and {} were selected. Select fewer, or narrow the list with the search and filters.",
                ids.len()
            ),
        ));
    }
    let reason = change.reason.trim();
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(ServiceError::invalid(
            "/reason",
            "A reason of 1 to 1000 characters is required: it is recorded in the audit trail and shown to the holders.",
        ));
    }
    if change.action == StatusAction::Revoke && !change.confirmed {
        return Err(ServiceError::invalid(
            "/confirm",
            "A revocation cannot be undone: tick the box to confirm it.",
        ));
    }
    Ok(ids)
}

/// A recipient in a few words: the name, else an e-mail address.
fn recipient_label(row: &AwardListRow) -> Option<String> {
    row.holder_name
        .clone()
        .or_else(|| row.holder_email.clone())
        .or_else(|| row.recipient_email.clone())
        .or_else(|| row.provider_name.clone())
}

fn list_item(
    row: AwardListRow,
    achievements: &HashMap<AchievementId, String>,
    now: DateTime<Utc>,
) -> AwardListItem {
    let state = listed_state(&row, now);
    let recipient = match (&row.holder_id, &row.provider_name) {
        (Some(_), _) => AwardRecipient {
            kind: "person".into(),
            name: row.holder_name.clone(),
            email: row.holder_email.clone().or(row.recipient_email.clone()),
        },
        (None, Some(provider)) => AwardRecipient {
            kind: "organisation".into(),
            name: Some(provider.clone()),
            email: None,
        },
        (None, None) => AwardRecipient {
            kind: "unknown".into(),
            name: None,
            email: row.recipient_email.clone(),
        },
    };
    AwardListItem {
        achievement: row
            .achievement_id
            .as_ref()
            .and_then(|a| achievements.get(a).cloned()),
        achievement_id: row.achievement_id,
        recipient,
        state,
        status_reason: row.status_reason,
        suspendable: row.suspendable,
        awarded_at: row.created_at.to_rfc3339(),
        valid_until: row.valid_until.map(|u| u.to_rfc3339()),
        id: row.id,
        claim: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(status: &str, suspendable: bool) -> AwardListRow {
        AwardListRow {
            id: AwardId::random(),
            achievement_id: None,
            holder_id: None,
            recipient_email: None,
            status: status.parse().unwrap(),
            status_reason: None,
            valid_until: None,
            suspendable,
            created_at: Utc::now(),
            holder_name: None,
            holder_email: None,
            provider_name: None,
        }
    }

    #[test]
    fn which_awards_an_action_applies_to() {
        use StatusAction::*;
        let check = |status: &str, suspendable: bool, action, applies: bool| {
            assert_eq!(
                refusal(&row(status, suspendable), action).is_none(),
                applies,
                "{status} {suspendable} {action}"
            );
        };
        check("active", true, Revoke, true);
        check("active", false, Revoke, true);
        check("suspended", true, Revoke, true);
        check("revoked", true, Revoke, false);
        check("active", true, Suspend, true);
        check("active", false, Suspend, false);
        check("suspended", true, Suspend, false);
        check("suspended", true, Reinstate, true);
        check("active", true, Reinstate, false);
        check("revoked", true, Reinstate, false);
    }

    #[test]
    fn summaries_count_and_give_reasons_once() {
        let skip = |why: &str| SkippedAward {
            id: "x".into(),
            recipient: None,
            why: why.into(),
        };
        assert_eq!(summary(StatusAction::Revoke, 3, &[]), "3 revoked");
        assert_eq!(
            summary(StatusAction::Revoke, 3, &[skip("already gone")]),
            "3 revoked, 1 skipped: already gone"
        );
        assert_eq!(
            summary(
                StatusAction::Suspend,
                0,
                &[skip("no entry"), skip("revoked"), skip("no entry")]
            ),
            "0 suspended, 3 skipped: no entry (2); revoked"
        );
    }

    #[test]
    fn a_batch_is_checked_whole_first() {
        let id = "6f1c1a52-3b8e-4f3e-9d55-0c7f1d2b9a10".to_owned();
        let change = |ids: Vec<String>, action, reason: &str, confirmed| BatchChange {
            ids,
            action,
            reason: reason.into(),
            confirmed,
        };
        let pointer = |c: &BatchChange| match check_batch(c) {
            Ok(ids) => format!("ok {}", ids.len()),
            Err(ServiceError::Invalid(p)) => p.0[0].pointer.clone(),
            Err(e) => panic!("{e}"),
        };
        use StatusAction::*;
        for (c, expected) in [
            (change(vec![id.clone()], Revoke, "Fraud.", true), "ok 1"),
            (
                change(vec![id.clone(), id.clone()], Suspend, "x", false),
                "ok 1",
            ),
            (change(vec![], Revoke, "Fraud.", true), "/awards"),
            (
                change(vec!["nope".into()], Revoke, "Fraud.", true),
                "/awards",
            ),
            (change(vec![id.clone()], Revoke, "  ", true), "/reason"),
            (
                change(vec![id.clone()], Revoke, "Fraud.", false),
                "/confirm",
            ),
            (
                change(vec![id.clone()], Reinstate, "Cleared.", false),
                "ok 1",
            ),
        ] {
            assert_eq!(pointer(&c), expected, "{c:?}");
        }
        let many: Vec<String> = (0..=MAX_BATCH)
            .map(|i| format!("6f1c1a52-3b8e-4f3e-9d55-{i:012}"))
            .collect();
        assert_eq!(pointer(&change(many, Revoke, "Fraud.", true)), "/awards");
    }
}
