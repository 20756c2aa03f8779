//! E-mail: messages written to the outbox in the transaction of the change that causes
//! them, and the delivery worker that sends them.
//!
//! The worker takes one due message at a time with a lease (a conditional update, so two
//! processes on one database never both take it), hands it to the SMTP server, and records
//! the outcome under the same lease. A refusal for good (5xx) bounces the message; anything
//! else is tried again with a growing pause, up to [`MAX_ATTEMPTS`]. A process killed
//! mid-send leaves a lease that runs out after [`MailSettings::lease`]; the message is then sent
//! again with the same `Message-ID`, which the receiving server can recognise. With no
//! SMTP server configured, messages wait in the outbox, listed for the operator.

use std::time::Duration;

use chrono::{DateTime, Utc};
use credence_domain::registry::{EmailLinkPurpose, OutboxState};
use credence_domain::{AccountId, OutboxId};
use credence_mail::{compose, Letter, Sender, SmtpSender};
use credence_store::registry::{AccountRow, EmailLinkRow, OutboxAttempt, OutboxRow, Page};
use credence_store::Tx;
use serde::Serialize;

use crate::desks::OperatorDesk;
use crate::registry::{new_id, random_secret, sha256_hex, Registry};
use crate::ServiceError;

/// How long a worker holds a message it is sending unless configured (`mail.lease_secs`),
/// well above the SMTP timeout of 20 seconds.
pub const LEASE_SECS: u64 = 120;
/// Attempts before a message is given up as failed.
pub const MAX_ATTEMPTS: i32 = 12;

/// Where mail goes: the sender's address and, when configured, the SMTP server.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `From:` of every message, e.g. `Credence <no-reply@credence.example>`.
    pub from: Sender,
    /// `None`: no server configured; messages stay queued in the outbox.
    pub smtp: Option<SmtpSender>,
    /// How often the delivery worker looks for due messages.
    pub poll: Duration,
    /// The pause after a first failed attempt; it doubles with each further one, up to
    /// six hours.
    pub retry_base: Duration,
    /// How many days a claim link works (`mail.claim_link_days`).
    pub claim_link_days: i64,
    /// How long a worker holds a message it is sending: a worker that dies mid-send
    /// leaves the message to another (or itself, restarted) after this long.
    pub lease: Duration,
    /// When holders are reminded that a credential expires: days before, e.g. 60, 30, 7.
    pub reminder_days: Vec<u32>,
    /// The hour (UTC, 0-23) from which each day's assessor digests go out.
    pub digest_hour: u32,
    /// How often a running `serve` looks for scheduled notices that fell due.
    pub scan_every: Duration,
}

impl MailSettings {
    /// No server: everything waits in the outbox.
    pub fn outbox_only(from: Sender) -> Self {
        Self {
            from,
            smtp: None,
            poll: Duration::from_secs(1),
            retry_base: Duration::from_secs(30),
            claim_link_days: crate::claims::DEFAULT_CLAIM_LINK_DAYS,
            lease: Duration::from_secs(LEASE_SECS),
            reminder_days: vec![60, 30, 7],
            digest_hour: 7,
            scan_every: Duration::from_secs(300),
        }
    }
}

/// A message to one person, ready to enqueue.
pub(crate) struct Recipient<'a> {
    pub name: &'a str,
    pub address: &'a str,
    pub account_id: Option<&'a AccountId>,
}

impl Registry {
    /// Composes `letter` and writes it to the outbox inside `tx`: it is sent if and only if
    /// `tx` commits.
    pub(crate) fn compose_for_outbox(
        &self,
        letter: &dyn Letter,
        to: &Recipient<'_>,
        now: DateTime<Utc>,
    ) -> Result<OutboxRow, ServiceError> {
        let host = url::Url::parse(&self.config.base_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| "credence.invalid".to_owned());
        let composed = compose(letter, &self.config.mail.from, to.name, to.address, &host)
            .map_err(ServiceError::wrap("composing an e-mail"))?;
        let raw = String::from_utf8(composed.raw)
            .map_err(ServiceError::wrap("an e-mail that is not 7-bit text"))?;
        Ok(OutboxRow {
            id: OutboxId::random(),
            message_id: composed.message_id,
            kind: letter.kind().to_owned(),
            recipient: composed.to,
            account_id: to.account_id.cloned(),
            subject: composed.subject,
            raw,
            state: OutboxState::Queued,
            attempts: 0,
            next_attempt_at: now,
            lease_owner: None,
            lease_until: None,
            last_error: None,
            created_at: now,
            sent_at: None,
        })
    }

    /// [`Self::compose_for_outbox`] and the insert, inside `tx`.
    pub(crate) async fn enqueue_mail(
        &self,
        tx: &Tx,
        letter: &dyn Letter,
        to: &Recipient<'_>,
        now: DateTime<Utc>,
    ) -> Result<OutboxId, ServiceError> {
        let row = self.compose_for_outbox(letter, to, now)?;
        let id = row.id.clone();
        tx.insert_outbox(row).await?;
        // Woken after the commit, the worker finds the message (before it, it would not).
        let waiting = self.mail_waiting.clone();
        tx.after_commit(move || waiting.notify_one());
        Ok(id)
    }

    /// A new single-use link of `purpose` for `account`, valid for `lifetime` (the ones
    /// before it retired), inside `tx`; returns its secret, which only the e-mail holds.
    pub(crate) async fn new_email_link(
        &self,
        tx: &Tx,
        account: &AccountRow,
        purpose: EmailLinkPurpose,
        lifetime: chrono::Duration,
        now: DateTime<Utc>,
    ) -> Result<String, ServiceError> {
        let secret = random_secret()?;
        tx.retire_email_links(&account.id, purpose, now).await?;
        tx.insert_email_link(EmailLinkRow {
            token_hash: sha256_hex(&secret),
            purpose,
            account_id: Some(account.id.clone()),
            email: account.email.clone(),
            created_at: now,
            expires_at: now + lifetime,
            used_at: None,
        })
        .await?;
        Ok(secret)
    }

    /// The unused, unexpired link `secret` of `purpose` and the account it was sent for,
    /// inside `tx`; `None` when the link no longer works or its account is gone.
    pub(crate) async fn live_link_account(
        &self,
        tx: &Tx,
        secret: &str,
        purpose: EmailLinkPurpose,
        now: DateTime<Utc>,
    ) -> Result<Option<(EmailLinkRow, AccountRow)>, ServiceError> {
        let Some(link) = tx
            .live_email_link(&sha256_hex(secret), purpose, now)
            .await?
        else {
            return Ok(None);
        };
        let Some(account_id) = link.account_id.clone() else {
            return Ok(None);
        };
        Ok(tx
            .account(&account_id)
            .await?
            .map(|account| (link, account)))
    }

    /// The address a link `secret` of `purpose` was sent to, while it works.
    pub(crate) async fn live_link_address(
        &self,
        secret: &str,
        purpose: EmailLinkPurpose,
    ) -> Result<Option<String>, ServiceError> {
        let tx = self.store.read().await?;
        Ok(tx
            .live_email_link(&sha256_hex(secret), purpose, self.now())
            .await?
            .map(|link| link.email))
    }

    /// Queues `letter` to the person of `account`, inside `tx`.
    pub(crate) async fn mail_account(
        &self,
        tx: &Tx,
        letter: &dyn Letter,
        account: &AccountRow,
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let to = Recipient {
            name: &account.display_name,
            address: &account.email,
            account_id: Some(&account.id),
        };
        self.enqueue_mail(tx, letter, &to, now).await.map(drop)
    }

    /// Sends every message due now, one at a time, as worker `owner`. Returns what happened.
    #[tracing::instrument(level = "debug", skip_all)]
    pub(crate) async fn deliver_due_mail(
        &self,
        sender: &SmtpSender,
        owner: &str,
    ) -> Result<DeliveryRound, ServiceError> {
        let mut round = DeliveryRound::default();
        // Each message is tried at most once a round, even when it is due again at once.
        let mut tried = std::collections::HashSet::new();
        loop {
            let now = self.now();
            let due = {
                let tx = self.store.read().await?;
                tx.outbox_due(now, 20 + tried.len() as u64).await?
            };
            let fresh: Vec<OutboxId> = due.into_iter().filter(|id| !tried.contains(id)).collect();
            if fresh.is_empty() {
                return Ok(round);
            }
            for id in fresh {
                self.deliver_one(sender, owner, &id, &mut round).await?;
                tried.insert(id);
            }
        }
    }

    /// [`MailSettings::lease`] as a span of time.
    fn mail_lease(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.config.mail.lease)
            .unwrap_or_else(|_| chrono::Duration::seconds(LEASE_SECS as i64))
    }

    async fn deliver_one(
        &self,
        sender: &SmtpSender,
        owner: &str,
        id: &OutboxId,
        round: &mut DeliveryRound,
    ) -> Result<(), ServiceError> {
        let now = self.now();
        let leased = {
            let tx = self.store.write().await?;
            let row = tx
                .lease_outbox(id, owner, now, now + self.mail_lease())
                .await?;
            tx.commit().await?;
            row
        };
        let Some(row) = leased else {
            return Ok(()); // another worker has it, or it was sent meanwhile
        };
        let outcome = sender
            .send(
                &self.config.mail.from.address(),
                &row.recipient,
                row.raw.as_bytes(),
            )
            .await;
        let attempts = row.attempts.saturating_add(1);
        let end = match &outcome {
            Ok(()) => {
                round.sent += 1;
                tracing::info!(message_id = %row.message_id, kind = %row.kind, "e-mail sent");
                OutboxAttempt {
                    state: OutboxState::Sent,
                    attempts,
                    next_attempt_at: row.next_attempt_at,
                    error: None,
                    sent_at: Some(self.now()),
                }
            }
            Err(e) => {
                let state = if e.permanent {
                    round.bounced += 1;
                    OutboxState::Bounced
                } else if attempts >= MAX_ATTEMPTS {
                    round.failed += 1;
                    OutboxState::Failed
                } else {
                    round.retried += 1;
                    OutboxState::Queued
                };
                tracing::warn!(message_id = %row.message_id, attempts, error = %e, state = %state, "e-mail not sent");
                OutboxAttempt {
                    state,
                    attempts,
                    next_attempt_at: self.now() + backoff(self.config.mail.retry_base, attempts),
                    error: Some(e.message.chars().take(500).collect()),
                    sent_at: None,
                }
            }
        };
        let tx = self.store.write().await?;
        let ours = tx.finish_outbox_attempt(id, owner, end).await?;
        tx.commit().await?;
        if !ours {
            tracing::warn!(message_id = %row.message_id, "the lease ran out while sending; another worker may send it again");
        }
        Ok(())
    }

    /// Starts the delivery worker, when an SMTP server is configured: it sends what is due
    /// at once when this process queues mail, and looks every `mail.poll` for mail queued by
    /// other processes or due again.
    pub fn spawn_mail_delivery(&self) -> Option<tokio::task::JoinHandle<()>> {
        let sender = self.config.mail.smtp.clone()?;
        let registry = self.clone();
        let owner = format!("worker:{}", new_id());
        Some(tokio::spawn(async move {
            loop {
                if let Err(e) = registry.deliver_due_mail(&sender, &owner).await {
                    tracing::error!(error = %crate::error_chain(&e), "e-mail delivery round failed");
                }
                let _ = tokio::time::timeout(
                    registry.config.mail.poll,
                    registry.mail_waiting.notified(),
                )
                .await;
            }
        }))
    }
}

impl OperatorDesk<'_> {
    /// Sends every message due now, as worker `owner` (the CLI's `mail send`).
    pub async fn send_due_mail(
        &self,
        sender: &SmtpSender,
        owner: &str,
    ) -> Result<DeliveryRound, ServiceError> {
        self.deliver_due_mail(sender, owner).await
    }

    /// The outbox, newest first, for the operator: every message and where it stands.
    pub async fn outbox(
        &self,
        state: Option<OutboxState>,
        page: Page,
    ) -> Result<OutboxPage, ServiceError> {
        let tx = self.store.read().await?;
        let (rows, total) = tx.outbox_page(state, page).await?;
        let counts = tx.outbox_counts().await?;
        Ok(OutboxPage {
            messages: rows.iter().map(outbox_view).collect(),
            total,
            counts,
            sending: self
                .config
                .mail
                .smtp
                .as_ref()
                .map(|s| s.server().to_owned()),
        })
    }
}

/// The pause before attempt `attempts + 1`: `base`, twice that, four times… up to 6 hours.
fn backoff(base: Duration, attempts: i32) -> chrono::Duration {
    let exp = u32::try_from(attempts.clamp(1, 16) - 1).unwrap_or(0);
    let base = i64::try_from(base.as_millis()).unwrap_or(i64::MAX);
    let millis = base.saturating_mul(1_i64 << exp).min(6 * 3600 * 1000);
    chrono::Duration::milliseconds(millis)
}

/// What one delivery round did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeliveryRound {
    pub sent: u32,
    pub retried: u32,
    pub bounced: u32,
    pub failed: u32,
}

/// One message as the operator sees it (never its body: it may hold a single-use link).
#[derive(Debug, Clone, Serialize)]
pub struct OutboxView {
    pub id: OutboxId,
    pub message_id: String,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub state: OutboxState,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

fn outbox_view(row: &OutboxRow) -> OutboxView {
    OutboxView {
        id: row.id.clone(),
        message_id: row.message_id.clone(),
        kind: row.kind.clone(),
        recipient: row.recipient.clone(),
        subject: row.subject.clone(),
        state: row.state,
        attempts: row.attempts,
        next_attempt_at: row.next_attempt_at,
        last_error: row.last_error.clone(),
        created_at: row.created_at,
        sent_at: row.sent_at,
    }
}

/// A page of the outbox, with the count in each state and the server mail goes to.
#[derive(Debug, Clone, Serialize)]
pub struct OutboxPage {
    pub messages: Vec<OutboxView>,
    pub total: u64,
    pub counts: Vec<(OutboxState, i64)>,
    /// The SMTP server (without password), or `None` when mail only waits.
    pub sending: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let base = Duration::from_secs(30);
        assert_eq!(backoff(base, 1).num_seconds(), 30);
        assert_eq!(backoff(base, 2).num_seconds(), 60);
        assert_eq!(backoff(base, 5).num_seconds(), 480);
        assert_eq!(backoff(base, 40).num_seconds(), 6 * 3600);
        assert_eq!(backoff(Duration::ZERO, 3).num_seconds(), 0);
    }
}
