//! Scheduled notices: reminders that a credential expires (at the configured days before,
//! `mail.reminder_days`) and each assessor's daily digest of the evidence waiting for them
//! (from `mail.digest_hour`, UTC). A scan finds what fell due and writes each notice (the
//! in-app notification and, unless turned off, its e-mail to the outbox) in one
//! transaction with a row of `scheduled_notices` whose key is the award and the days
//! before, or the assessor and the day: of two processes scanning at once, the second's
//! insert yields to the first's and it sends nothing, so every notice goes exactly once.
//! A running `serve` scans every `mail.scan_every`; `credence mail remind` scans once now.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use credence_domain::registry::NotificationKind;
use credence_domain::AccountId;
use credence_mail::letters::{AssessorDigest, DigestQueue, ExpiryReminder};
use credence_store::registry::{AwardRow, Page};
use serde::Serialize;

use crate::desks::OperatorDesk;
use crate::expiry::{days_words, expires_when, RenewalFacts};
use crate::notifications::{AccreditationNews, Tell};
use crate::registry::Registry;
use crate::ServiceError;

/// How many awards a scan reads at a time.
const SCAN_PAGE: u64 = 500;

/// What one scan sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NoticeRound {
    /// Expiry reminders written (in the app; by e-mail unless turned off).
    pub reminders: u32,
    /// Reminders that an accreditation ends, one per accreditation and threshold (each
    /// to the provider's admins and issuers).
    pub accreditations: u32,
    /// Assessor digests written.
    pub digests: u32,
}

/// The reminder due for a credential expiring at `until`, seen at `now`: the fewest days
/// before among `days` that the time left is within. `None` when none is.
pub fn reminder_slot(days: &[u32], now: DateTime<Utc>, until: DateTime<Utc>) -> Option<u32> {
    let left = until - now;
    days.iter()
        .copied()
        .filter(|d| left <= Duration::days(i64::from(*d)))
        .min()
}

impl Registry {
    /// Writes every scheduled notice that fell due by now and has not gone out.
    #[tracing::instrument(level = "debug", skip_all)]
    pub(crate) async fn scan_scheduled_notices(&self) -> Result<NoticeRound, ServiceError> {
        let now = self.now();
        Ok(NoticeRound {
            reminders: self.send_expiry_reminders(now).await?,
            accreditations: self.send_accreditation_reminders(now).await?,
            digests: self.send_assessor_digests(now).await?,
        })
    }

    /// Writes the expiry reminders due at `now` (the demo's seeding calls it too).
    pub(crate) async fn send_expiry_reminders(
        &self,
        now: DateTime<Utc>,
    ) -> Result<u32, ServiceError> {
        let days = &self.config.mail.reminder_days;
        let Some(furthest) = days.iter().copied().max() else {
            return Ok(0);
        };
        let by = now + Duration::days(i64::from(furthest));
        let mut due: Vec<(AwardRow, u32)> = Vec::new();
        let mut offset = 0;
        loop {
            let tx = self.store.read().await?;
            let page = tx
                .awards_expiring(now, by, Page::new(offset, SCAN_PAGE))
                .await?;
            let ids: Vec<String> = page.iter().map(|a| a.id.to_string()).collect();
            let sent = tx
                .scheduled_notices_sent(NotificationKind::CredentialExpiring, &ids)
                .await?;
            let n = page.len() as u64;
            for award in page {
                let Some(slot) = award.valid_until.and_then(|u| reminder_slot(days, now, u)) else {
                    continue;
                };
                let id = award.id.to_string();
                // This reminder, or one nearer the expiry, went out already.
                let done = sent.iter().any(|(subject, s)| {
                    *subject == id && s.parse::<u32>().is_ok_and(|s| s <= slot)
                });
                if !done {
                    due.push((award, slot));
                }
            }
            if n < SCAN_PAGE {
                break;
            }
            offset += n;
        }
        let mut written = 0;
        for (award, slot) in due {
            if self.send_expiry_reminder(&award, slot, now).await? {
                written += 1;
            }
        }
        Ok(written)
    }

    /// One reminder, in a transaction of its own; `false` when it went out already.
    async fn send_expiry_reminder(
        &self,
        award: &AwardRow,
        slot: u32,
        now: DateTime<Utc>,
    ) -> Result<bool, ServiceError> {
        let (Some(holder), Some(until)) = (award.holder_id.clone(), award.valid_until) else {
            return Ok(false);
        };
        let tx = self.store.write().await?;
        let subject = award.id.to_string();
        if !tx
            .record_scheduled_notice(
                NotificationKind::CredentialExpiring,
                &subject,
                &slot.to_string(),
                now,
            )
            .await?
        {
            return Ok(false); // another process sent it; dropping `tx` rolls back
        }
        let facts = RenewalFacts::read(&tx, award).await?;
        let when = expires_when(now, until);
        let renewal = facts.needs();
        let link = format!("/credentials/{}", award.id);
        let tell = Tell {
            account_id: holder,
            kind: NotificationKind::CredentialExpiring,
            title: format!("{} expires {when}", facts.name),
            paragraphs: std::iter::once(format!(
                "Your credential \"{}\", issued by {}, expires {when}, on {}.",
                facts.name,
                facts.issuer,
                until.format("%-d %B %Y")
            ))
            .chain(renewal.iter().cloned())
            .collect(),
            link: link.clone(),
            action: "See the credential",
        };
        if let Some((account, unsubscribe)) = self.tell_in_app(&tx, &tell, now).await? {
            let letter = ExpiryReminder {
                name: account.display_name.clone(),
                credential: facts.name.clone(),
                issuer: facts.issuer.clone(),
                expires_on: until.format("%-d %B %Y").to_string(),
                when,
                renewal,
                link: self.url(&link),
                unsubscribe,
                stops: NotificationKind::CredentialExpiring.stop_words().to_owned(),
            };
            self.mail_account(&tx, &letter, &account, now).await?;
        }
        tx.commit().await?;
        tracing::info!(award_id = %award.id, days = slot, "expiry reminder written");
        Ok(true)
    }

    /// Tells the staff of providers whose accreditation ends soon, at the same days
    /// before as holders are told of their credentials.
    async fn send_accreditation_reminders(&self, now: DateTime<Utc>) -> Result<u32, ServiceError> {
        let days = &self.config.mail.reminder_days;
        let Some(furthest) = days.iter().copied().max() else {
            return Ok(0);
        };
        let due: Vec<(AwardRow, u32)> = {
            let tx = self.store.read().await?;
            let ending = tx
                .unheld_awards_expiring(
                    now,
                    now + Duration::days(i64::from(furthest)),
                    Page::new(0, SCAN_PAGE),
                )
                .await?;
            let ids: Vec<String> = ending.iter().map(|a| a.id.to_string()).collect();
            let sent = tx
                .scheduled_notices_sent(NotificationKind::Accreditation, &ids)
                .await?;
            ending
                .into_iter()
                .filter_map(|a| {
                    let slot = reminder_slot(days, now, a.valid_until?)?;
                    let id = a.id.to_string();
                    let done = sent.iter().any(|(subject, s)| {
                        *subject == id && s.parse::<u32>().is_ok_and(|s| s <= slot)
                    });
                    (!done).then_some((a, slot))
                })
                .collect()
        };
        let mut written = 0;
        for (award, slot) in due {
            let Some(until) = award.valid_until else {
                continue;
            };
            let tx = self.store.write().await?;
            let Some(accreditation) = tx.accreditation(&award.id.clone().into()).await? else {
                continue; // a VC-API credential, not an accreditation
            };
            if accreditation.status != credence_domain::registry::AccreditationStatus::Active
                || !tx
                    .record_scheduled_notice(
                        NotificationKind::Accreditation,
                        award.id.as_str(),
                        &slot.to_string(),
                        now,
                    )
                    .await?
            {
                continue;
            }
            let news = AccreditationNews::Ending {
                when: expires_when(now, until),
                on: until.format("%-d %B %Y").to_string(),
            };
            self.notify_accreditation(&tx, &accreditation, news, now)
                .await?;
            tx.commit().await?;
            written += 1;
        }
        Ok(written)
    }

    async fn send_assessor_digests(&self, now: DateTime<Utc>) -> Result<u32, ServiceError> {
        use chrono::Timelike;
        if now.hour() < self.config.mail.digest_hour {
            return Ok(0);
        }
        let day = now.date_naive().to_string();
        // Each assessor's organisations, with what waits at each.
        let mut queues: BTreeMap<AccountId, Vec<DigestQueue>> = BTreeMap::new();
        {
            let tx = self.store.read().await?;
            let mut waiting = BTreeMap::new();
            for m in tx.assessor_memberships().await? {
                if !waiting.contains_key(&m.org_id) {
                    let Some(org) = tx.org(&m.org_id).await? else {
                        continue;
                    };
                    let n = tx.count_evidence_queue(&org.id).await?;
                    let oldest = tx
                        .evidence_queue(&org.id, Page::new(0, 1))
                        .await?
                        .first()
                        .map(|e| e.updated_at);
                    waiting.insert(m.org_id.clone(), (org.name, n, oldest));
                }
                if let Some((org, n, Some(oldest))) = waiting.get(&m.org_id) {
                    if *n > 0 {
                        queues.entry(m.account_id).or_default().push(DigestQueue {
                            org: org.clone(),
                            waiting: *n,
                            oldest: days_words((now - *oldest).num_days()),
                        });
                    }
                }
            }
            let accounts: Vec<String> = queues.keys().map(ToString::to_string).collect();
            let sent: HashSet<String> = tx
                .scheduled_notices_sent(NotificationKind::AssessorDigest, &accounts)
                .await?
                .into_iter()
                .filter(|(_, slot)| *slot == day)
                .map(|(account, _)| account)
                .collect();
            queues.retain(|account, _| !sent.contains(account.as_str()));
        }
        let mut written = 0;
        for (account, queues) in queues {
            if self.send_digest(&account, &day, queues, now).await? {
                written += 1;
            }
        }
        Ok(written)
    }

    async fn send_digest(
        &self,
        account_id: &AccountId,
        day: &str,
        queues: Vec<DigestQueue>,
        now: DateTime<Utc>,
    ) -> Result<bool, ServiceError> {
        let tx = self.store.write().await?;
        if !tx
            .record_scheduled_notice(
                NotificationKind::AssessorDigest,
                account_id.as_str(),
                day,
                now,
            )
            .await?
        {
            return Ok(false);
        }
        let total: u64 = queues.iter().map(|q| q.waiting).sum();
        let tell = Tell {
            account_id: account_id.clone(),
            kind: NotificationKind::AssessorDigest,
            title: match total {
                1 => "1 piece of evidence waits for you to assess".to_owned(),
                n => format!("{n} pieces of evidence wait for you to assess"),
            },
            paragraphs: queues
                .iter()
                .map(|q| {
                    format!(
                        "{}: {} waiting, the oldest for {}.",
                        q.org, q.waiting, q.oldest
                    )
                })
                .collect(),
            link: "/assess".into(),
            action: "Assess evidence",
        };
        if let Some((account, unsubscribe)) = self.tell_in_app(&tx, &tell, now).await? {
            let letter = AssessorDigest {
                name: account.display_name.clone(),
                day: now.format("%-d %B %Y").to_string(),
                queues,
                total,
                link: self.url("/assess"),
                unsubscribe,
                stops: NotificationKind::AssessorDigest.stop_words().to_owned(),
            };
            self.mail_account(&tx, &letter, &account, now).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Starts the periodic scan for scheduled notices (every `mail.scan_every`): it writes
    /// them whether or not a mail server is configured, as the in-app list needs them.
    pub fn spawn_scheduled_notices(&self) -> tokio::task::JoinHandle<()> {
        let registry = self.clone();
        tokio::spawn(async move {
            loop {
                match registry.scan_scheduled_notices().await {
                    Ok(round) if round != NoticeRound::default() => {
                        tracing::info!(
                            reminders = round.reminders,
                            digests = round.digests,
                            "scheduled notices written"
                        );
                    }
                    Ok(_) => {}
                    Err(e) => {
                        tracing::error!(error = %crate::error_chain(&e), "scanning for scheduled notices failed");
                    }
                }
                tokio::time::sleep(registry.config.mail.scan_every).await;
            }
        })
    }
}

impl OperatorDesk<'_> {
    /// Writes every scheduled notice due now (the CLI's `mail remind`; `serve` does it by
    /// itself every `mail.scan_every`).
    pub async fn send_scheduled_notices(&self) -> Result<NoticeRound, ServiceError> {
        self.scan_scheduled_notices().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_threshold_within_reach_is_due() {
        let now: DateTime<Utc> = "2026-12-01T09:00:00Z".parse().unwrap();
        let days = [60, 30, 7];
        let at = |d: i64| now + Duration::days(d);
        assert_eq!(reminder_slot(&days, now, at(61)), None);
        assert_eq!(reminder_slot(&days, now, at(60)), Some(60));
        assert_eq!(reminder_slot(&days, now, at(31)), Some(60));
        assert_eq!(reminder_slot(&days, now, at(30)), Some(30));
        assert_eq!(reminder_slot(&days, now, at(8)), Some(30));
        assert_eq!(reminder_slot(&days, now, at(3)), Some(7));
        assert_eq!(reminder_slot(&[], now, at(3)), None);
    }
}
