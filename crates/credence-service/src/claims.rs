//! Claims: awards made to an e-mail address that no account with a proven address holds.
//!
//! The credential is signed at once (its subject is the salted hash of the address, as for
//! any award) and verifies from that moment; the award has no holder yet. A single-use link
//! goes to the address. The award is bound to an account, never re-signed, when the
//! address is proven by that account:
//! - the person opens the link signed in with that address and claims (the link proves
//!   the mailbox, so it confirms the account's address too);
//! - an account with that address confirms it by the link sent at registration;
//! - an account is made with that address already proven (by the operator, or where no
//!   mail server is configured and addresses are not confirmed).
//!
//! The issuer sees each claim's state (waiting, sent, opened, claimed, bounced), can send
//! the link again, and can correct the address: the award is made again to the new address
//! and the first one revoked with the reason, in one transaction.

use chrono::{DateTime, Duration, Utc};
use credence_domain::registry::{AwardStatus, Email, OutboxState, StatusAction};
use credence_domain::{AwardId, OutboxId};
use credence_mail::letters::ClaimAward;
use credence_store::registry::{AccountRow, AwardRow, ClaimRow};
use credence_store::Tx;
use serde::Serialize;
use serde_json::json;

use crate::awards::{AwardOutcome, NewAward};
use crate::desks::{HolderDesk, IssuerDesk, PublicDesk};
use crate::mail::Recipient;
use crate::registry::{audit, random_secret, sha256_hex, Registry};
use crate::ServiceError;

/// How many days a claim link works unless configured (`mail.claim_link_days`).
pub const DEFAULT_CLAIM_LINK_DAYS: i64 = 30;
/// The shortest pause between two links for one claim.
pub const RESEND_PAUSE_MINUTES: i64 = 10;
/// The most links one claim is sent.
pub const MAX_SENDS: i32 = 10;

/// Where a claim stands, as the issuer's console shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClaimState {
    /// The link waits in the outbox (no mail server, or not sent yet).
    Waiting,
    /// The recipient's mail server took the message.
    Sent,
    /// The recipient opened the link.
    Opened,
    /// An account holds the award.
    Claimed,
    /// The recipient's mail server refused the message for good.
    Bounced,
    /// The message could not be delivered after every retry.
    Failed,
    /// The link ran out before it was used.
    Expired,
}

impl ClaimState {
    /// The state in a few words, for the console.
    pub fn words(self) -> &'static str {
        match self {
            ClaimState::Waiting => "Claim link waiting to be sent",
            ClaimState::Sent => "Claim link sent",
            ClaimState::Opened => "Claim link opened",
            ClaimState::Claimed => "Claimed",
            ClaimState::Bounced => "Bounced: the address refused the message",
            ClaimState::Failed => "Not delivered: the mail server could not be reached",
            ClaimState::Expired => "Claim link expired",
        }
    }

    /// Whether the issuer may still resend the link or correct the address.
    pub fn open(self) -> bool {
        self != ClaimState::Claimed
    }
}

/// A claim as the issuer sees it.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimView {
    pub state: ClaimState,
    /// The address the award was made to.
    pub email: String,
    /// How many links have been sent.
    pub sends: i32,
    pub sent_at: Option<DateTime<Utc>>,
    pub opened_at: Option<DateTime<Utc>>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
}

/// The state of `claim` at `now`, given its message's delivery state.
fn claim_state(claim: &ClaimRow, delivery: Option<OutboxState>, now: DateTime<Utc>) -> ClaimState {
    if claim.claimed_at.is_some() {
        return ClaimState::Claimed;
    }
    match delivery {
        Some(OutboxState::Bounced) => return ClaimState::Bounced,
        Some(OutboxState::Failed) => return ClaimState::Failed,
        _ => {}
    }
    if claim.expires_at <= now {
        ClaimState::Expired
    } else if claim.opened_at.is_some() {
        ClaimState::Opened
    } else if delivery == Some(OutboxState::Sent) {
        ClaimState::Sent
    } else {
        ClaimState::Waiting
    }
}

fn claim_view(claim: &ClaimRow, delivery: Option<OutboxState>, now: DateTime<Utc>) -> ClaimView {
    ClaimView {
        state: claim_state(claim, delivery, now),
        email: claim.email.clone(),
        sends: claim.sends,
        sent_at: claim.sent_at,
        opened_at: claim.opened_at,
        claimed_at: claim.claimed_at,
        expires_at: claim.expires_at,
    }
}

/// What a claim link shows the person who opens it.
#[derive(Debug, Clone)]
pub struct ClaimLink {
    pub award_id: AwardId,
    /// The address the credential was awarded to.
    pub email: String,
    pub achievement: String,
    pub issuer: String,
    pub award_status: AwardStatus,
    /// Whether anyone with its link may see the credential already.
    pub public: bool,
    pub expires_at: DateTime<Utc>,
    /// Whether the link still works (not expired, not claimed).
    pub live: bool,
    pub claimed: bool,
}

impl Registry {
    /// Whether `account` has shown it holds its address: confirmed it, or was made where
    /// addresses are not confirmed (no mail server) or by the operator.
    pub(crate) fn address_proven(&self, account: &AccountRow) -> bool {
        account.email_confirmed_at.is_some() || !self.config.confirm_addresses
    }

    fn claim_link_lifetime(&self) -> Duration {
        Duration::days(self.config.mail.claim_link_days.max(1))
    }

    /// The message carrying a new link for a claim, and the link's secret.
    fn claim_letter(
        &self,
        award: &AwardRow,
        achievement: &str,
        issuer: &str,
    ) -> Result<(ClaimAward, String), ServiceError> {
        let secret = random_secret()?;
        let letter = ClaimAward {
            issuer: issuer.to_owned(),
            achievement: achievement.to_owned(),
            link: self.url(&format!("/claim/{secret}")),
            days: self.claim_link_lifetime().num_days(),
            public: award.public,
        };
        Ok((letter, secret))
    }

    /// Opens a claim for each of `awards` (awards without a holder) and queues its link,
    /// inside `tx`: the messages go if and only if the awards are made.
    pub(crate) async fn open_claims(
        &self,
        tx: &Tx,
        awards: &[&AwardRow],
        achievement: &str,
        issuer: &str,
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let mut claims = Vec::with_capacity(awards.len());
        for award in awards {
            let email = award.recipient_email.clone().unwrap_or_default();
            let (letter, secret) = self.claim_letter(award, achievement, issuer)?;
            let to = Recipient {
                name: "",
                address: &email,
                account_id: None,
            };
            let outbox_id = self.enqueue_mail(tx, &letter, &to, now).await?;
            claims.push(ClaimRow {
                award_id: award.id.clone(),
                org_id: award.org_id.clone(),
                email,
                token_hash: sha256_hex(&secret),
                expires_at: now + self.claim_link_lifetime(),
                outbox_id: Some(outbox_id),
                sends: 1,
                created_at: now,
                sent_at: Some(now),
                opened_at: None,
                claimed_at: None,
                claimed_by: None,
            });
        }
        tx.insert_claims(claims).await?;
        Ok(())
    }

    /// Binds every award waiting for `account`'s address to it, inside `tx`, once its
    /// address is proven; returns the awards bound.
    pub(crate) async fn bind_waiting_claims(
        &self,
        tx: &Tx,
        account: &AccountRow,
        now: DateTime<Utc>,
    ) -> Result<Vec<AwardId>, ServiceError> {
        let waiting: Vec<AwardId> = tx
            .claims_waiting_for(&account.email)
            .await?
            .into_iter()
            .map(|c| c.award_id)
            .collect();
        if waiting.is_empty() {
            return Ok(waiting);
        }
        let bound = tx.bind_claims(&waiting, &account.id, now).await?;
        for id in &bound {
            let org = tx.award(id).await?.map(|a| a.org_id);
            audit(
                tx,
                now,
                &format!("account:{}", account.id),
                "award.claim",
                org.as_ref(),
                &format!("award:{id}"),
                json!({"holder": account.id, "email": account.email}),
            )
            .await?;
        }
        Ok(bound)
    }

    /// The claims of `awards`, with their states now.
    pub(crate) async fn claim_views(
        &self,
        tx: &Tx,
        awards: &[AwardId],
    ) -> Result<Vec<(AwardId, ClaimView)>, ServiceError> {
        let claims = tx.claims_of(awards).await?;
        let outbox_ids: Vec<OutboxId> = claims.iter().filter_map(|c| c.outbox_id.clone()).collect();
        let states: std::collections::HashMap<OutboxId, OutboxState> =
            tx.outbox_states(&outbox_ids).await?.into_iter().collect();
        let now = self.now();
        Ok(claims
            .iter()
            .map(|c| {
                let delivery = c.outbox_id.as_ref().and_then(|id| states.get(id)).copied();
                (c.award_id.clone(), claim_view(c, delivery, now))
            })
            .collect())
    }

    /// Sends a new link for `claim` (the old one stops working), inside `tx`.
    async fn send_claim_again(
        &self,
        tx: &Tx,
        mut claim: ClaimRow,
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        if claim.claimed_at.is_some() {
            return Err(ServiceError::Conflict(
                "The credential has been claimed already.".into(),
            ));
        }
        if claim.sends >= MAX_SENDS {
            return Err(ServiceError::Conflict(format!(
                "The link has been sent {MAX_SENDS} times; correct the address if it is wrong."
            )));
        }
        if let Some(sent) = claim.sent_at {
            let next = sent + Duration::minutes(RESEND_PAUSE_MINUTES);
            if next > now {
                return Err(ServiceError::TooManyRequests {
                    message: format!(
                        "A link was sent less than {RESEND_PAUSE_MINUTES} minutes ago: look for it first, or ask again later."
                    ),
                    retry_after_secs: u32::try_from((next - now).num_seconds().max(1))
                        .unwrap_or(60),
                });
            }
        }
        let award = tx
            .award(&claim.award_id)
            .await?
            .ok_or_else(|| ServiceError::internal("a claim names a missing award"))?;
        let (achievement, issuer) = self.award_names(tx, &award).await?;
        let (letter, secret) = self.claim_letter(&award, &achievement, &issuer)?;
        let to = Recipient {
            name: "",
            address: &claim.email,
            account_id: None,
        };
        claim.outbox_id = Some(self.enqueue_mail(tx, &letter, &to, now).await?);
        claim.token_hash = sha256_hex(&secret);
        claim.expires_at = now + self.claim_link_lifetime();
        claim.sends += 1;
        claim.sent_at = Some(now);
        claim.opened_at = None;
        tx.update_claim(claim).await?;
        Ok(())
    }

    /// The names of an award's achievement and organisation.
    async fn award_names(
        &self,
        tx: &Tx,
        award: &AwardRow,
    ) -> Result<(String, String), ServiceError> {
        let achievement = match &award.achievement_id {
            Some(id) => tx.achievement(id).await?.map(|a| a.name),
            // A VC-API credential: the name it carries.
            None => serde_json::from_str::<serde_json::Value>(&award.credential)
                .ok()
                .and_then(|c| {
                    let name = c
                        .pointer("/credentialSubject/achievement/name")
                        .or_else(|| c.get("name"))?;
                    name.as_str().map(str::to_owned)
                }),
        }
        .unwrap_or_else(|| "a credential".to_owned());
        let issuer = tx
            .org(&award.org_id)
            .await?
            .map(|o| o.name)
            .ok_or_else(|| ServiceError::internal("an award names a missing org"))?;
        Ok((achievement, issuer))
    }

    /// The claim a link's secret names, whatever its state.
    async fn claim_by_secret(&self, tx: &Tx, secret: &str) -> Result<ClaimRow, ServiceError> {
        tx.claim_by_token(&sha256_hex(secret))
            .await?
            .ok_or_else(|| ServiceError::NotFound("a claim link".into()))
    }
}

impl PublicDesk<'_> {
    /// What the claim link `secret` offers; the first opening of a live link is recorded.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn claim_link(&self, secret: &str) -> Result<ClaimLink, ServiceError> {
        let now = self.now();
        let tx = self.store.write().await?;
        let claim = self.claim_by_secret(&tx, secret).await?;
        let award = tx
            .award(&claim.award_id)
            .await?
            .ok_or_else(|| ServiceError::internal("a claim names a missing award"))?;
        let (achievement, issuer) = self.award_names(&tx, &award).await?;
        let claimed = claim.claimed_at.is_some();
        let live = !claimed && claim.expires_at > now;
        if live {
            tx.mark_claim_opened(&claim.award_id, now).await?;
        }
        tx.commit().await?;
        Ok(ClaimLink {
            award_id: claim.award_id,
            email: claim.email,
            achievement,
            issuer,
            award_status: award.status,
            public: award.public,
            expires_at: claim.expires_at,
            live,
            claimed,
        })
    }

    /// The signed credential, exactly as stored, to whoever holds a live claim link.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn claim_credential(&self, secret: &str) -> Result<String, ServiceError> {
        let tx = self.store.read().await?;
        let claim = self.claim_by_secret(&tx, secret).await?;
        if claim.claimed_at.is_some() || claim.expires_at <= self.now() {
            return Err(ServiceError::NotFound("a claim link".into()));
        }
        Ok(tx
            .award(&claim.award_id)
            .await?
            .ok_or_else(|| ServiceError::internal("a claim names a missing award"))?
            .credential)
    }

    /// A new link to the address of the claim `secret` names, also when it has expired.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn send_claim_link_again(&self, secret: &str) -> Result<String, ServiceError> {
        let now = self.now();
        let tx = self.store.write().await?;
        let claim = self.claim_by_secret(&tx, secret).await?;
        let email = claim.email.clone();
        let award_id = claim.award_id.clone();
        let org_id = claim.org_id.clone();
        self.send_claim_again(&tx, claim, now).await?;
        audit(
            &tx,
            now,
            "recipient",
            "award.claim-resend",
            Some(&org_id),
            &format!("award:{award_id}"),
            json!({"by": "recipient"}),
        )
        .await?;
        tx.commit().await?;
        Ok(email)
    }
}

impl HolderDesk<'_> {
    /// Claims the award of the link `secret` for the signed-in account, which must have the
    /// address it was awarded to. The link proves the mailbox: an unconfirmed address is
    /// confirmed, and every award waiting for it is bound. Returns how many were bound.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn claim(&self, secret: &str) -> Result<usize, ServiceError> {
        let now = self.now();
        let tx = self.store.write().await?;
        let claim = self.claim_by_secret(&tx, secret).await?;
        let mut account = tx
            .account(&self.holder.account_id)
            .await?
            .ok_or_else(|| ServiceError::internal("a holder names a missing account"))?;
        if claim.claimed_at.is_some() {
            return if claim.claimed_by.as_ref() == Some(&account.id) {
                Ok(0)
            } else {
                Err(ServiceError::Conflict(
                    "This credential has been claimed by another account.".into(),
                ))
            };
        }
        if claim.expires_at <= now {
            return Err(ServiceError::Conflict(
                "This claim link has expired: ask for a new one on this page.".into(),
            ));
        }
        if account.email != claim.email {
            return Err(ServiceError::Forbidden(format!(
                "This credential was awarded to {}, and you are signed in as {}. Sign out, then sign in or register with {}.",
                claim.email, account.email, claim.email
            )));
        }
        if account.email_confirmed_at.is_none() {
            account.email_confirmed_at = Some(now);
            tx.update_account(account.clone()).await?;
            audit(
                &tx,
                now,
                &format!("account:{}", account.id),
                "account.address-confirmed",
                None,
                &format!("account:{}", account.id),
                json!({"email": account.email, "by": "claim link"}),
            )
            .await?;
        }
        let bound = self.bind_waiting_claims(&tx, &account, now).await?;
        tx.commit().await?;
        Ok(bound.len())
    }
}

impl IssuerDesk<'_> {
    /// The claim of an award of the issuer's organisation, if it was made to an address.
    #[tracing::instrument(level = "info", skip_all, fields(award_id = %award_id))]
    pub async fn award_claim(&self, award_id: &AwardId) -> Result<Option<ClaimView>, ServiceError> {
        let tx = self.store.read().await?;
        let award = self.own_award(&tx, award_id).await?;
        Ok(self
            .claim_views(&tx, &[award.id])
            .await?
            .into_iter()
            .next()
            .map(|(_, view)| view))
    }

    /// Sends the claim link of an award again (a new link; the old one stops working).
    #[tracing::instrument(level = "info", skip_all, fields(award_id = %award_id))]
    pub async fn resend_claim(&self, award_id: &AwardId) -> Result<ClaimView, ServiceError> {
        let now = self.now();
        let tx = self.store.write().await?;
        let award = self.own_award(&tx, award_id).await?;
        let claim = tx
            .claim(&award.id)
            .await?
            .ok_or_else(|| no_claim(award_id))?;
        self.send_claim_again(&tx, claim, now).await?;
        audit(
            &tx,
            now,
            &self.issuer.0.label,
            "award.claim-resend",
            Some(&award.org_id),
            &format!("award:{award_id}"),
            json!({"by": "issuer"}),
        )
        .await?;
        let view = self.claim_views(&tx, &[award.id]).await?;
        tx.commit().await?;
        view.into_iter()
            .next()
            .map(|(_, v)| v)
            .ok_or_else(|| ServiceError::internal("a claim vanished"))
    }

    /// Corrects the address of an unclaimed award: makes the award again to `email` (a new
    /// credential, and a claim when that address has no proven account) and revokes the
    /// first with `reason`, in one transaction.
    #[tracing::instrument(level = "info", skip_all, fields(award_id = %award_id))]
    pub async fn correct_claim_address(
        &self,
        award_id: &AwardId,
        email: &str,
        reason: &str,
    ) -> Result<AwardOutcome, ServiceError> {
        let mut problems = credence_domain::FormProblems::new();
        problems.check(
            "/email",
            credence_domain::validate::email_problem(email, "Enter the corrected address."),
        );
        problems.check(
            "/reason",
            credence_domain::validate::text_problem(
                reason,
                "the reason",
                "Say why the address changes; the audit trail keeps it.",
                1,
                1000,
            ),
        );
        problems.finish().map_err(ServiceError::Invalid)?;
        let email =
            Email::new(email).map_err(|e| ServiceError::invalid("/email", e.to_string()))?;
        let now = self.now();
        let tx = self.store.write().await?;
        tx.lock_status_lists(&self.issuer.0.org.id).await?;
        let old = self.own_award(&tx, award_id).await?;
        let claim = tx.claim(&old.id).await?.ok_or_else(|| no_claim(award_id))?;
        if claim.claimed_at.is_some() {
            return Err(ServiceError::Conflict(
                "The credential has been claimed: its holder has it. Revoke it and award again if it is wrong.".into(),
            ));
        }
        if old.status == AwardStatus::Revoked {
            return Err(ServiceError::Conflict(
                "The award is revoked; award the achievement again instead.".into(),
            ));
        }
        if email.as_str() == claim.email {
            return Err(ServiceError::invalid(
                "/email",
                "That is the address the award was made to; send the link again instead.",
            ));
        }
        // A VC-API credential is the caller's own document: Credence cannot make it again.
        let Some(achievement) = &old.achievement_id else {
            return Err(ServiceError::Conflict(
                "This credential was issued through the VC-API from the caller's own document: revoke it, and issue it again naming the corrected address.".into(),
            ));
        };
        // The name the credential carries (the achievement's, or the one given at award).
        let name = serde_json::from_str::<serde_json::Value>(&old.credential)
            .ok()
            .and_then(|c| c.get("name").and_then(|n| n.as_str()).map(str::to_owned));
        let new = NewAward {
            achievement: achievement.to_string(),
            email: email.as_str().to_owned(),
            name: None,
            override_justification: Some(old.override_justification.clone().unwrap_or_else(|| {
                format!(
                    "Made again for a corrected address ({}): {}",
                    claim.email,
                    reason.trim()
                )
            })),
            valid_from: None,
            renews: None,
            key: None,
        };
        let outcome = self
            .award_in(
                &tx,
                &self.issuer,
                &new,
                &email,
                name.as_deref(),
                Some(old.valid_from),
                now,
            )
            .await?;
        let why = format!(
            "Awarded to the wrong address ({}); made again for {} as award {}. {}",
            claim.email,
            email,
            outcome.award.id,
            reason.trim()
        );
        // Whoever holds the wrong address never receives the first award.
        tx.delete_claim(&old.id).await?;
        self.apply_status_in(&tx, old, StatusAction::Revoke, &why, now)
            .await?;
        tx.commit().await?;
        self.metrics
            .awards_issued(crate::metrics::IssuedVia::Award, 1);
        Ok(outcome)
    }

    /// An award of the issuer's organisation, or the 404 of an unknown one.
    async fn own_award(&self, tx: &Tx, award_id: &AwardId) -> Result<AwardRow, ServiceError> {
        tx.award(award_id)
            .await?
            .filter(|a| a.org_id == self.issuer.0.org.id)
            .ok_or_else(|| ServiceError::NotFound(format!("award '{award_id}'")))
    }
}

fn no_claim(award_id: &AwardId) -> ServiceError {
    ServiceError::Conflict(format!(
        "Award {award_id} went to an account, not to an address waiting for a claim."
    ))
}
