//! Confirming the e-mail address a person registered with: a single-use link, valid for
//! [`CONFIRM_LINK_HOURS`], sent in the transaction that creates the account. While a mail
//! server is configured (`RegistryConfig::confirm_addresses`), an unconfirmed account may
//! not submit evidence; the dashboard says why and sends the link again on request.

use chrono::{DateTime, Duration, Utc};
use credence_domain::registry::EmailLinkPurpose;
use credence_domain::AccountId;
use credence_mail::letters::ConfirmAddress;
use credence_store::registry::AccountRow;
use credence_store::Tx;
use serde_json::json;

use crate::desks::{AccountsDesk, HolderDesk};
use crate::registry::{audit, sha256_hex, Registry};
use crate::ServiceError;

/// How long a confirmation link works.
pub const CONFIRM_LINK_HOURS: i64 = 48;
/// Confirmation links sent to one account an hour at most.
pub const CONFIRMATIONS_PER_HOUR: u64 = 3;

const PURPOSE: EmailLinkPurpose = EmailLinkPurpose::ConfirmAddress;

impl Registry {
    /// Writes a confirmation link for `account` and its e-mail, inside `tx`.
    pub(crate) async fn queue_confirmation(
        &self,
        tx: &Tx,
        account: &AccountRow,
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let secret = self
            .new_email_link(
                tx,
                account,
                PURPOSE,
                Duration::hours(CONFIRM_LINK_HOURS),
                now,
            )
            .await?;
        let letter = ConfirmAddress {
            name: account.display_name.clone(),
            link: self.url(&format!("/account/confirm/{secret}")),
            hours: CONFIRM_LINK_HOURS,
        };
        self.mail_account(tx, &letter, account, now).await
    }

    /// Refuses what an unconfirmed account may not do while confirmation is required.
    pub(crate) async fn require_confirmed(
        &self,
        tx: &Tx,
        account_id: &AccountId,
        what: &str,
    ) -> Result<(), ServiceError> {
        if !self.config.confirm_addresses {
            return Ok(());
        }
        let account = tx
            .account(account_id)
            .await?
            .ok_or_else(|| ServiceError::internal("a holder names a missing account"))?;
        if account.email_confirmed_at.is_some() {
            return Ok(());
        }
        Err(ServiceError::Forbidden(format!(
            "Confirm your e-mail address before you {what}: open the link we sent to {}, or ask for a new one on your dashboard.",
            account.email
        )))
    }
}

impl HolderDesk<'_> {
    /// Sends the confirmation link again (at most [`CONFIRMATIONS_PER_HOUR`] an hour).
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn send_confirmation_again(&self) -> Result<(), ServiceError> {
        let now = self.now();
        let tx = self.store.write().await?;
        let account = tx
            .account(&self.holder.account_id)
            .await?
            .ok_or_else(|| ServiceError::internal("a holder names a missing account"))?;
        if account.email_confirmed_at.is_some() {
            return Err(ServiceError::Conflict(
                "Your e-mail address is already confirmed.".into(),
            ));
        }
        let recent = tx
            .count_email_links_since(&account.id, PURPOSE, now - Duration::hours(1))
            .await?;
        if recent >= CONFIRMATIONS_PER_HOUR {
            return Err(ServiceError::TooManyRequests {
                message:
                    "We have sent several links this hour: use the newest, or ask again later."
                        .into(),
                retry_after_secs: 3600,
            });
        }
        self.queue_confirmation(&tx, &account, now).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl AccountsDesk<'_> {
    /// The address the link `secret` would confirm, while it works.
    pub async fn confirmation_link(&self, secret: &str) -> Result<Option<String>, ServiceError> {
        self.live_link_address(secret, PURPOSE).await
    }

    /// Confirms the address through the link `secret`, once. Anyone holding the link may:
    /// it proves the mailbox, which is the point.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn confirm_address(&self, secret: &str) -> Result<String, ServiceError> {
        let now = self.now();
        let tx = self.store.write().await?;
        let gone = || {
            ServiceError::Conflict(
                "This confirmation link has expired or has already been used: sign in and ask for a new one on your dashboard."
                    .into(),
            )
        };
        let (link, mut account) = self
            .live_link_account(&tx, secret, PURPOSE, now)
            .await?
            .ok_or_else(gone)?;
        // The link confirms the address it was sent to, not one changed since.
        if account.email != link.email || !tx.use_email_link(&sha256_hex(secret), now).await? {
            return Err(gone());
        }
        account.email_confirmed_at = Some(now);
        tx.update_account(account.clone()).await?;
        self.bind_waiting_claims(&tx, &account, now).await?;
        audit(
            &tx,
            now,
            &format!("account:{}", account.id),
            "account.address-confirmed",
            None,
            &format!("account:{}", account.id),
            json!({"email": account.email}),
        )
        .await?;
        tx.commit().await?;
        Ok(account.email)
    }
}
