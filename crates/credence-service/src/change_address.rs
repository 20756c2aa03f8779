//! Changing an account's e-mail address: asked with the current password, and made only
//! when the new address is confirmed by a single-use link sent to it (valid for
//! [`CHANGE_LINK_HOURS`]). The old address is told of the request, so that a person whose
//! session was taken over finds out; resetting the password cancels the change. Once the
//! new address is confirmed, the awards waiting for it are the account's.

use chrono::Duration;
use credence_domain::registry::{Email, EmailLinkPurpose};
use credence_domain::validate::email_problem;
use credence_domain::FormProblems;
use credence_mail::letters::{AddressChanging, ConfirmNewAddress};
use credence_store::registry::EmailLinkRow;
use serde_json::json;

use crate::accounts::{password_matches, Password};
use crate::desks::{AccountsDesk, HolderDesk};
use crate::mail::Recipient;
use crate::registry::{audit, random_secret, sha256_hex};
use crate::ServiceError;

/// How long a link confirming a new address works.
pub const CHANGE_LINK_HOURS: i64 = 24;
/// Changes asked of one account an hour at most.
pub const CHANGES_PER_HOUR: u64 = 3;

const PURPOSE: EmailLinkPurpose = EmailLinkPurpose::ChangeAddress;

impl HolderDesk<'_> {
    /// Asks to change the account's address to `new_email`, proven by the current
    /// `password`: a link goes to the new address, a warning to the old one. Returns the
    /// new address.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn request_address_change(
        &self,
        new_email: &str,
        password: Password,
    ) -> Result<String, ServiceError> {
        let mut problems = FormProblems::new();
        problems.check(
            "/email",
            email_problem(new_email, "Enter the new e-mail address."),
        );
        if password.is_empty() {
            problems.add("/password", "Enter your current password.");
        }
        problems.finish().map_err(ServiceError::Invalid)?;
        let email =
            Email::new(new_email).map_err(|e| ServiceError::invalid("/email", e.to_string()))?;
        let account = {
            let tx = self.store.read().await?;
            tx.account(&self.holder.account_id)
                .await?
                .ok_or_else(|| ServiceError::internal("a holder names a missing account"))?
        };
        // The password is checked like a sign-in: the same slots and lock-out.
        self.guard.check(&account.email)?;
        let ok = {
            let _slot = self.guard.slot().await?;
            password_matches(
                self.config.password_cost,
                account.password_hash.clone(),
                password,
            )
            .await?
        };
        if !ok {
            self.guard.failed(&account.email)?;
            return Err(ServiceError::invalid(
                "/password",
                "That is not your current password.",
            ));
        }
        if email.as_str() == account.email {
            return Err(ServiceError::invalid(
                "/email",
                "That is the address your account has already.",
            ));
        }
        let now = self.now();
        let tx = self.store.write().await?;
        if tx.account_by_email(email.as_str()).await?.is_some() {
            return Err(ServiceError::invalid(
                "/email",
                format!("Another account uses {email}; each address has one account."),
            ));
        }
        let recent = tx
            .count_email_links_since(&account.id, PURPOSE, now - Duration::hours(1))
            .await?;
        if recent >= CHANGES_PER_HOUR {
            return Err(ServiceError::TooManyRequests {
                message: "You have asked for several changes this hour: use the newest link, or ask again later.".into(),
                retry_after_secs: 3600,
            });
        }
        let secret = random_secret()?;
        tx.retire_email_links(&account.id, PURPOSE, now).await?;
        tx.insert_email_link(EmailLinkRow {
            token_hash: sha256_hex(&secret),
            purpose: PURPOSE,
            account_id: Some(account.id.clone()),
            email: email.as_str().to_owned(),
            created_at: now,
            expires_at: now + Duration::hours(CHANGE_LINK_HOURS),
            used_at: None,
        })
        .await?;
        let confirm = ConfirmNewAddress {
            name: account.display_name.clone(),
            old: account.email.clone(),
            link: self.url(&format!("/account/address/{secret}")),
            hours: CHANGE_LINK_HOURS,
        };
        let to_new = Recipient {
            name: &account.display_name,
            address: email.as_str(),
            account_id: Some(&account.id),
        };
        self.enqueue_mail(&tx, &confirm, &to_new, now).await?;
        let warning = AddressChanging {
            name: account.display_name.clone(),
            new: email.as_str().to_owned(),
            hours: CHANGE_LINK_HOURS,
        };
        self.mail_account(&tx, &warning, &account, now).await?;
        audit(
            &tx,
            now,
            &self.holder.label,
            "account.address-change-requested",
            None,
            &format!("account:{}", account.id),
            json!({"to": email.as_str()}),
        )
        .await?;
        tx.commit().await?;
        Ok(email.as_str().to_owned())
    }
}

impl AccountsDesk<'_> {
    /// The new address the link `secret` would confirm, while it works.
    pub async fn address_change_link(&self, secret: &str) -> Result<Option<String>, ServiceError> {
        self.live_link_address(secret, PURPOSE).await
    }

    /// Makes the change the link `secret` confirms, once: the account's address becomes
    /// the new one, confirmed, and the awards waiting for it are bound to the account.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn confirm_address_change(&self, secret: &str) -> Result<String, ServiceError> {
        let now = self.now();
        let tx = self.store.write().await?;
        let gone = || {
            ServiceError::Conflict(
                "This link has expired or has already been used: sign in and ask for the change again."
                    .into(),
            )
        };
        let (link, mut account) = self
            .live_link_account(&tx, secret, PURPOSE, now)
            .await?
            .ok_or_else(gone)?;
        if let Some(other) = tx.account_by_email(&link.email).await? {
            if other.id != account.id {
                return Err(ServiceError::Conflict(format!(
                    "Another account has taken {} since you asked; choose another address.",
                    link.email
                )));
            }
        }
        if !tx.use_email_link(&sha256_hex(secret), now).await? {
            return Err(gone());
        }
        let old = std::mem::replace(&mut account.email, link.email.clone());
        account.email_confirmed_at = Some(now);
        tx.update_account(account.clone()).await?;
        tx.set_account_email(&account.id, &account.email).await?;
        // Links sent to the old address (reset, confirmation) no longer fit the account.
        for purpose in [
            EmailLinkPurpose::PasswordReset,
            EmailLinkPurpose::ConfirmAddress,
        ] {
            tx.retire_email_links(&account.id, purpose, now).await?;
        }
        audit(
            &tx,
            now,
            &format!("account:{}", account.id),
            "account.address-changed",
            None,
            &format!("account:{}", account.id),
            json!({"from": old, "to": account.email}),
        )
        .await?;
        self.bind_waiting_claims(&tx, &account, now).await?;
        tx.commit().await?;
        Ok(account.email)
    }
}
