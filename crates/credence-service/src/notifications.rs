//! What people are told: a notification in the app's list and, unless the person turned
//! that kind off, an e-mail through the outbox — both written in the transaction of the
//! change they report. Every such e-mail carries a one-click unsubscribe link (RFC 8058)
//! for its kind, authenticated by an HMAC under a key derived from the master key, so the
//! registry keeps no table of links.

use base64::Engine as _;
use chrono::{DateTime, Utc};
use credence_domain::registry::{AwardStatus, NotificationKind};
use credence_domain::{AccountId, AwardId, NotificationId};
use credence_mail::letters::Notice;
use credence_mail::Unsubscribe;
use credence_store::registry::{AccountRow, AwardRow, EvidenceRow, NotificationRow, Page};
use credence_store::Tx;
use serde::Serialize;

use crate::desks::{AccountsDesk, HolderDesk};
use crate::registry::Registry;
use crate::ServiceError;

/// What happened to an accreditation, for the provider's staff.
pub(crate) enum AccreditationNews<'a> {
    Granted,
    /// It ends `when` ("in 30 days"), on `on` ("5 January 2027").
    Ending {
        when: String,
        on: String,
    },
    /// Revoked, with the body's reason.
    Revoked(&'a str),
}

/// One thing to tell one account.
pub(crate) struct Tell {
    pub account_id: AccountId,
    pub kind: NotificationKind,
    pub title: String,
    pub paragraphs: Vec<String>,
    /// A path on this Credence.
    pub link: String,
    pub action: &'static str,
}

impl Registry {
    /// Records `tell` in the account's list and, unless muted, queues its e-mail, in `tx`.
    pub(crate) async fn notify(
        &self,
        tx: &Tx,
        tell: Tell,
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let Some(account) = tx.account(&tell.account_id).await? else {
            return Ok(()); // no account (yet): nobody to tell in the app
        };
        let muted = tx.email_muted(&account.id).await?.contains(&tell.kind);
        let (row, letter) = self.notice_of(&account, tell, muted, now);
        tx.insert_notification(row).await?;
        match letter {
            Some(letter) => self.mail_account(tx, &letter, &account, now).await,
            None => Ok(()),
        }
    }

    /// Records `tell` in the account's list, in `tx`; returns the account and the
    /// unsubscribe link for the kind when the person takes it by e-mail (`None`: no such
    /// account, or e-mail of this kind turned off), for the caller to send its letter.
    pub(crate) async fn tell_in_app(
        &self,
        tx: &Tx,
        tell: &Tell,
        now: DateTime<Utc>,
    ) -> Result<Option<(AccountRow, Unsubscribe)>, ServiceError> {
        let Some(account) = tx.account(&tell.account_id).await? else {
            return Ok(None); // no account (yet): nobody to tell in the app
        };
        let muted = tx.email_muted(&account.id).await?.contains(&tell.kind);
        let copy = Tell {
            account_id: tell.account_id.clone(),
            kind: tell.kind,
            title: tell.title.clone(),
            paragraphs: tell.paragraphs.clone(),
            link: tell.link.clone(),
            action: tell.action,
        };
        let (row, letter) = self.notice_of(&account, copy, muted, now);
        tx.insert_notification(row).await?;
        Ok(letter.map(|l| (account, l.unsubscribe)))
    }

    /// [`Self::notify`] for many accounts and one kind at once, in a few statements (a bulk
    /// award's batch): the accounts are given, their choices read in one query.
    pub(crate) async fn notify_many(
        &self,
        tx: &Tx,
        kind: NotificationKind,
        tells: Vec<(&AccountRow, Tell)>,
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        if tells.is_empty() {
            return Ok(());
        }
        let ids: Vec<AccountId> = tells.iter().map(|(a, _)| a.id.clone()).collect();
        let muted: std::collections::HashSet<AccountId> =
            tx.muted_among(kind, &ids).await?.into_iter().collect();
        let mut rows = Vec::with_capacity(tells.len());
        let mut messages = Vec::with_capacity(tells.len());
        for (account, tell) in tells {
            let (row, letter) = self.notice_of(account, tell, muted.contains(&account.id), now);
            rows.push(row);
            if let Some(letter) = letter {
                let to = crate::mail::Recipient {
                    name: &account.display_name,
                    address: &account.email,
                    account_id: Some(&account.id),
                };
                messages.push(self.compose_for_outbox(&letter, &to, now)?);
            }
        }
        tx.insert_notifications(rows).await?;
        if !messages.is_empty() {
            tx.insert_outboxes(messages).await?;
            let waiting = self.mail_waiting.clone();
            tx.after_commit(move || waiting.notify_one());
        }
        Ok(())
    }

    /// The list entry of `tell` for `account`, and its e-mail unless `muted`.
    fn notice_of(
        &self,
        account: &AccountRow,
        tell: Tell,
        muted: bool,
        now: DateTime<Utc>,
    ) -> (NotificationRow, Option<Notice>) {
        let row = NotificationRow {
            id: NotificationId::random(),
            account_id: account.id.clone(),
            kind: tell.kind,
            title: tell.title.clone(),
            body: tell.paragraphs.join("\n\n"),
            link: tell.link.clone(),
            created_at: now,
            read_at: None,
        };
        if muted {
            return (row, None);
        }
        let letter = Notice {
            name: account.display_name.clone(),
            title: tell.title,
            paragraphs: tell.paragraphs,
            link: self.url(&tell.link),
            action: tell.action.to_owned(),
            unsubscribe: Unsubscribe {
                url: self.url(&format!(
                    "/unsubscribe/{}",
                    self.unsubscribe_token(&account.id, tell.kind)
                )),
            },
            stops: tell.kind.stop_words().to_owned(),
        };
        (row, Some(letter))
    }

    /// What the holder of award `award_id` is told when it is made.
    pub(crate) fn awarded_tell(
        account_id: &AccountId,
        award_id: &AwardId,
        achievement: &str,
        issuer: &str,
    ) -> Tell {
        Tell {
            account_id: account_id.clone(),
            kind: NotificationKind::CredentialAwarded,
            title: format!("You have been awarded {achievement}"),
            paragraphs: vec![format!(
                "{issuer} has awarded you the credential \"{achievement}\". It is on your dashboard, and anyone you share it with can check it."
            )],
            link: format!("/credentials/{award_id}"),
            action: "See the credential",
        }
    }

    /// The holder of `award` is told it was awarded.
    pub(crate) async fn notify_awarded(
        &self,
        tx: &Tx,
        award: &AwardRow,
        achievement: &str,
        issuer: &str,
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let Some(holder) = &award.holder_id else {
            return Ok(());
        };
        let tell = Self::awarded_tell(holder, &award.id, achievement, issuer);
        self.notify(tx, tell, now).await
    }

    /// The holder of `award` is told its new state and the issuer's reason.
    pub(crate) async fn notify_status(
        &self,
        tx: &Tx,
        award: &AwardRow,
        next: AwardStatus,
        reason: &str,
        issuer: &str,
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let Some(holder) = award.holder_id.clone() else {
            return Ok(());
        };
        let achievement = match &award.achievement_id {
            Some(id) => tx.achievement(id).await?.map(|a| a.name),
            None => None,
        }
        .unwrap_or_else(|| "your credential".to_owned());
        let (title, what) = match next {
            AwardStatus::Revoked => (format!("{achievement} was revoked"), "revoked"),
            AwardStatus::Suspended => (format!("{achievement} was suspended"), "suspended"),
            AwardStatus::Active => (format!("{achievement} is valid again"), "reinstated"),
        };
        self.notify(
            tx,
            Tell {
                account_id: holder,
                kind: NotificationKind::CredentialStatus,
                title,
                paragraphs: vec![
                    format!("{issuer} has {what} your credential \"{achievement}\"."),
                    format!("Their reason: {reason}"),
                ],
                link: format!("/credentials/{}", award.id),
                action: "See the credential",
            },
            now,
        )
        .await
    }

    /// The admins and issuers of an accredited provider are told `news` of its
    /// accreditation: granted, soon ending, or revoked with the body's reason.
    pub(crate) async fn notify_accreditation(
        &self,
        tx: &Tx,
        accreditation: &credence_store::registry::AccreditationRow,
        news: AccreditationNews<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let (Some(body), Some(provider)) = (
            tx.org(&accreditation.body_org_id).await?,
            tx.org(&accreditation.provider_org_id).await?,
        ) else {
            return Ok(());
        };
        let pathways: Vec<String> =
            serde_json::from_str(&accreditation.pathways).unwrap_or_default();
        let pathways = pathways.join(", ");
        let (b, p) = (&body.name, &provider.name);
        let (title, paragraphs) = match news {
            AccreditationNews::Granted => (
                format!("{p} is accredited by {b}"),
                vec![format!(
                    "{b} has accredited {p} to award these pathways: {pathways}. Verifiers of its credentials for them are shown the accreditation."
                )],
            ),
            AccreditationNews::Ending { when, on } => (
                format!("The accreditation of {p} by {b} ends {when}"),
                vec![
                    format!(
                        "The accreditation of {p} by {b}, for these pathways: {pathways}, ends {when}, on {on}. After that day verifiers of its credentials for them are told it has ended."
                    ),
                    format!("To keep it, ask {b} to accredit {p} again before then."),
                ],
            ),
            AccreditationNews::Revoked(reason) => (
                format!("{b} revoked the accreditation of {p}"),
                vec![
                    format!(
                        "{b} has revoked its accreditation of {p} for these pathways: {pathways}. Verifiers of its credentials for them are told the accreditation no longer stands."
                    ),
                    format!("Their reason: {reason}"),
                ],
            ),
        };
        let mut told = Vec::new();
        for m in tx.memberships_of_org(&provider.id).await? {
            if m.role == credence_domain::registry::Role::Assessor || told.contains(&m.account_id) {
                continue;
            }
            told.push(m.account_id.clone());
            self.notify(
                tx,
                Tell {
                    account_id: m.account_id,
                    kind: NotificationKind::Accreditation,
                    title: title.clone(),
                    paragraphs: paragraphs.clone(),
                    link: format!("/console/{}/accreditations", provider.slug),
                    action: "See its accreditations",
                },
                now,
            )
            .await?;
        }
        Ok(())
    }

    /// The holder of `evidence` is told the assessor's decision and comment.
    pub(crate) async fn notify_decided(
        &self,
        tx: &Tx,
        evidence: &EvidenceRow,
        attested: bool,
        comment: Option<&str>,
        org: &str,
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let statement = evidence.statement_code.to_string();
        let mut paragraphs = vec![if attested {
            format!(
                "An assessor of {org} attested your evidence for {statement} at the {} level.",
                evidence
                    .level_confirmed
                    .as_ref()
                    .map_or_else(|| evidence.level_claimed.to_string(), ToString::to_string)
            )
        } else {
            format!("An assessor of {org} did not attest your evidence for {statement}.")
        }];
        if let Some(comment) = comment.filter(|c| !c.trim().is_empty()) {
            paragraphs.push(format!("Their comment: {comment}"));
        }
        self.notify(
            tx,
            Tell {
                account_id: evidence.holder_id.clone(),
                kind: NotificationKind::EvidenceDecided,
                title: if attested {
                    format!("Your evidence for {statement} is attested")
                } else {
                    format!("Your evidence for {statement} was not attested")
                },
                paragraphs,
                link: format!("/evidence/{}", evidence.id),
                action: "See the evidence",
            },
            now,
        )
        .await
    }

    /// `base64url(account:kind).base64url(HMAC)`.
    pub(crate) fn unsubscribe_token(
        &self,
        account_id: &AccountId,
        kind: NotificationKind,
    ) -> String {
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let payload = format!("{account_id}:{kind}");
        let mac = self.config.master_key.link_mac(payload.as_bytes());
        format!("{}.{}", b64.encode(payload), b64.encode(mac))
    }

    /// The account and kind a genuine token names.
    fn read_unsubscribe_token(&self, token: &str) -> Option<(AccountId, NotificationKind)> {
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let (payload, mac) = token.split_once('.')?;
        let payload = b64.decode(payload).ok()?;
        let mac = b64.decode(mac).ok()?;
        if !self.config.master_key.link_mac_matches(&payload, &mac) {
            return None;
        }
        let payload = String::from_utf8(payload).ok()?;
        let (account, kind) = payload.split_once(':')?;
        Some((account.parse().ok()?, kind.parse().ok()?))
    }
}

/// One notification as its person sees it.
#[derive(Debug, Clone, Serialize)]
pub struct NotificationView {
    pub id: NotificationId,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub unread: bool,
}

/// Whether one kind comes by e-mail.
#[derive(Debug, Clone, Serialize)]
pub struct EmailPref {
    pub kind: NotificationKind,
    pub words: &'static str,
    pub email: bool,
}

/// A person's notifications, newest first, with their e-mail choices.
#[derive(Debug, Clone, Serialize)]
pub struct Notifications {
    pub items: Vec<NotificationView>,
    pub unread: u64,
    pub email: Vec<EmailPref>,
}

impl HolderDesk<'_> {
    /// The holder's notifications and e-mail choices.
    pub async fn notifications(&self, page: Page) -> Result<Notifications, ServiceError> {
        let tx = self.store.read().await?;
        let account = &self.holder.account_id;
        let (rows, unread) = tx.notifications_of(account, page).await?;
        let muted = tx.email_muted(account).await?;
        Ok(Notifications {
            items: rows
                .into_iter()
                .map(|r| NotificationView {
                    id: r.id,
                    kind: r.kind,
                    title: r.title,
                    body: r.body,
                    link: r.link,
                    created_at: r.created_at,
                    unread: r.read_at.is_none(),
                })
                .collect(),
            unread,
            email: NotificationKind::ALL
                .iter()
                .map(|k| EmailPref {
                    kind: *k,
                    words: k.words(),
                    email: !muted.contains(k),
                })
                .collect(),
        })
    }

    /// Marks every notification read.
    pub async fn mark_notifications_read(&self) -> Result<(), ServiceError> {
        let tx = self.store.write().await?;
        tx.mark_notifications_read(&self.holder.account_id, self.now())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Receives by e-mail exactly the kinds in `on`.
    pub async fn set_email_choices(&self, on: &[NotificationKind]) -> Result<(), ServiceError> {
        let tx = self.store.write().await?;
        for kind in NotificationKind::ALL {
            tx.set_email_pref(&self.holder.account_id, *kind, on.contains(kind))
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

impl AccountsDesk<'_> {
    /// What a genuine unsubscribe token stops, in words; `None` for one that is not ours.
    pub fn unsubscribe_target(&self, token: &str) -> Option<&'static str> {
        self.read_unsubscribe_token(token)
            .map(|(_, kind)| kind.words())
    }

    /// Stops the e-mails a genuine token names (RFC 8058 one-click: no session needed).
    pub async fn unsubscribe(&self, token: &str) -> Result<NotificationKind, ServiceError> {
        let (account, kind) = self
            .read_unsubscribe_token(token)
            .ok_or_else(|| ServiceError::NotFound("this unsubscribe link".into()))?;
        let tx = self.store.write().await?;
        if tx.account(&account).await?.is_none() {
            return Err(ServiceError::NotFound("this unsubscribe link".into()));
        }
        tx.set_email_pref(&account, kind, false).await?;
        tx.commit().await?;
        Ok(kind)
    }
}
