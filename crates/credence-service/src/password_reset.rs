//! Password reset by e-mail: a single-use link, valid for [`RESET_LINK_MINUTES`], stored
//! only as the SHA-256 of its secret. Asking never tells whether an account uses the
//! address; choosing the new password ends every session of the account and lifts a
//! lock-out from wrong passwords.

use chrono::Duration;
use credence_domain::registry::{Email, EmailLinkPurpose};
use credence_domain::validate::email_problem;
use credence_domain::FormProblems;
use credence_mail::letters::PasswordReset;
use serde_json::json;

use crate::accounts::{hash_password, password_problem, Password};
use crate::desks::AccountsDesk;
use crate::registry::{audit, sha256_hex};
use crate::ServiceError;

/// How long a reset link works.
pub const RESET_LINK_MINUTES: i64 = 60;
/// Reset links sent to one account an hour at most; more requests are answered the same
/// but send nothing (so the form cannot be used to flood someone's mailbox).
pub const RESETS_PER_HOUR: u64 = 3;

const PURPOSE: EmailLinkPurpose = EmailLinkPurpose::PasswordReset;

impl AccountsDesk<'_> {
    /// Sends a reset link to `email` if an account uses it. The answer is the same either
    /// way; only a malformed address is refused.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn request_password_reset(&self, email: &str) -> Result<(), ServiceError> {
        let mut problems = FormProblems::new();
        problems.check("/email", email_problem(email, "Enter your e-mail address."));
        problems.finish().map_err(ServiceError::Invalid)?;
        let email =
            Email::new(email).map_err(|e| ServiceError::invalid("/email", e.to_string()))?;
        let now = self.now();
        let tx = self.store.write().await?;
        let Some(account) = tx.account_by_email(email.as_str()).await? else {
            return Ok(());
        };
        let recent = tx
            .count_email_links_since(&account.id, PURPOSE, now - Duration::hours(1))
            .await?;
        if recent >= RESETS_PER_HOUR {
            tracing::info!(account = %account.id, "password reset asked again too soon: nothing sent");
            return Ok(());
        }
        let secret = self
            .new_email_link(
                &tx,
                &account,
                PURPOSE,
                Duration::minutes(RESET_LINK_MINUTES),
                now,
            )
            .await?;
        let letter = PasswordReset {
            name: account.display_name.clone(),
            link: self.url(&format!("/password/reset/{secret}")),
            minutes: RESET_LINK_MINUTES,
        };
        self.mail_account(&tx, &letter, &account, now).await?;
        audit(
            &tx,
            now,
            &format!("account:{}", account.id),
            "account.password-reset-requested",
            None,
            &format!("account:{}", account.id),
            json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether `secret` is a reset link that still works (the page shows the form only then).
    pub async fn password_reset_link_works(&self, secret: &str) -> Result<bool, ServiceError> {
        let tx = self.store.read().await?;
        Ok(tx
            .live_email_link(&sha256_hex(secret), PURPOSE, self.now())
            .await?
            .is_some())
    }

    /// Sets a new password through the reset link `secret`, once: ends every session of
    /// the account and lifts its lock-out.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn reset_password(
        &self,
        secret: &str,
        password: Password,
    ) -> Result<(), ServiceError> {
        let mut problems = FormProblems::new();
        problems.check("/password", password_problem(&password));
        problems.finish().map_err(ServiceError::Invalid)?;
        let hash = sha256_hex(secret);
        if !self.password_reset_link_works(secret).await? {
            return Err(expired());
        }
        let new_hash = {
            let _slot = self.guard.slot().await?;
            hash_password(self.config.password_cost, password).await?
        };
        let now = self.now();
        let tx = self.store.write().await?;
        let Some(link) = tx.live_email_link(&hash, PURPOSE, now).await? else {
            return Err(expired());
        };
        let Some(account_id) = link.account_id.clone() else {
            return Err(expired());
        };
        let Some(mut account) = tx.account(&account_id).await? else {
            return Err(expired());
        };
        if !tx.use_email_link(&hash, now).await? {
            return Err(expired());
        }
        account.password_hash = Some(new_hash);
        tx.update_account(account.clone()).await?;
        let ended = tx.delete_sessions_of(&account.id).await?;
        // A change of address asked from a session that may not have been the owner's is
        // cancelled too.
        tx.retire_email_links(&account.id, EmailLinkPurpose::ChangeAddress, now)
            .await?;
        audit(
            &tx,
            now,
            &format!("account:{}", account.id),
            "account.password-reset",
            None,
            &format!("account:{}", account.id),
            json!({"sessions_ended": ended}),
        )
        .await?;
        tx.commit().await?;
        self.guard.succeeded(&account.email)?;
        Ok(())
    }
}

fn expired() -> ServiceError {
    ServiceError::Conflict(
        "This password reset link has expired or has already been used: ask for a new one.".into(),
    )
}
