//! The `[mail]` section: the SMTP server e-mail goes to and the sender's address, read from
//! the file and, like every setting, from `CREDENCE_MAIL_<KEY>` (`config_env`), with the
//! server also from `CREDENCE_SMTP_URL`.

use serde::{Deserialize, Serialize};

use crate::Failure;

/// The `[mail]` section of the configuration file.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    /// `smtp://host:port` (STARTTLS where offered), `smtps://user:password@host`, or empty:
    /// no server, messages wait in the outbox.
    pub smtp_url: String,
    /// The `From:` of every message; empty means `Credence <no-reply@{public host}>`.
    pub from: String,
    /// Milliseconds between looks for mail queued by other processes or due again.
    pub poll_ms: u64,
    /// How many days a link to claim a credential awarded to an address works.
    pub claim_link_days: i64,
    /// Seconds a worker holds a message it is sending before another may send it again.
    pub lease_secs: u64,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            smtp_url: String::new(),
            from: String::new(),
            poll_ms: 1000,
            claim_link_days: credence_service::claims::DEFAULT_CLAIM_LINK_DAYS,
            lease_secs: credence_service::mail::LEASE_SECS,
        }
    }
}

/// Never prints the server's password.
impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("smtp_url", &self.smtp_url_shown())
            .field("from", &self.from)
            .field("poll_ms", &self.poll_ms)
            .field("claim_link_days", &self.claim_link_days)
            .field("lease_secs", &self.lease_secs)
            .finish()
    }
}

impl MailConfig {
    /// The server URL with any password replaced, for `config show` and logs.
    pub fn smtp_url_shown(&self) -> String {
        if self.smtp_url.is_empty() {
            String::new()
        } else {
            credence_mail::redacted(&self.smtp_url)
        }
    }

    /// The service's mail settings for the installation at `public_url`.
    pub fn settings(
        &self,
        public_url: &str,
    ) -> Result<credence_service::mail::MailSettings, Failure> {
        let smtp = if self.smtp_url.trim().is_empty() {
            None
        } else {
            Some(
                credence_mail::SmtpSender::from_url(self.smtp_url.trim())
                    .map_err(|e| Failure::Refused(format!("mail.smtp_url: {e}")))?,
            )
        };
        let from = if self.from.trim().is_empty() {
            let host = url::Url::parse(public_url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
                .filter(|h| h.contains('.'))
                .unwrap_or_else(|| "localhost.localdomain".to_owned());
            format!("Credence <no-reply@{host}>")
        } else {
            self.from.trim().to_owned()
        };
        let from = credence_mail::Sender::parse(&from)
            .map_err(|e| Failure::Refused(format!("mail.from: {e}")))?;
        Ok(credence_service::mail::MailSettings {
            from,
            smtp,
            poll: std::time::Duration::from_millis(self.poll_ms.clamp(50, 600_000)),
            retry_base: std::time::Duration::from_secs(30),
            claim_link_days: self.checked_claim_link_days()?,
            lease: std::time::Duration::from_secs(self.checked_lease_secs()?),
        })
    }

    /// `lease_secs`, refused by name outside 1 to 3600.
    fn checked_lease_secs(&self) -> Result<u64, Failure> {
        if (1..=3600).contains(&self.lease_secs) {
            Ok(self.lease_secs)
        } else {
            Err(Failure::Refused(format!(
                "mail.lease_secs: a worker holds a message for 1 to 3600 seconds, not {}",
                self.lease_secs
            )))
        }
    }

    /// `claim_link_days`, refused by name outside 1 to 365.
    fn checked_claim_link_days(&self) -> Result<i64, Failure> {
        if (1..=365).contains(&self.claim_link_days) {
            Ok(self.claim_link_days)
        } else {
            Err(Failure::Refused(format!(
                "mail.claim_link_days: a claim link works for 1 to 365 days, not {}",
                self.claim_link_days
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_never_shows() {
        let config = MailConfig {
            smtp_url: "smtps://mailer:hunter2@mail.example:465".into(),
            ..MailConfig::default()
        };
        assert!(!format!("{config:?}").contains("hunter2"));
        assert!(!config.smtp_url_shown().contains("hunter2"));
    }

    #[test]
    fn a_bad_server_is_refused_by_name() {
        let config = MailConfig {
            smtp_url: "http://mail.example".into(),
            ..MailConfig::default()
        };
        let err = config
            .settings("https://credence.example")
            .expect_err("refused");
        assert!(format!("{err:?}").contains("mail.smtp_url"), "{err:?}");
    }

    #[test]
    fn a_bad_sender_is_refused_by_name() {
        let config = MailConfig {
            from: "nobody".into(),
            ..MailConfig::default()
        };
        let err = config
            .settings("https://credence.example")
            .expect_err("refused");
        assert!(format!("{err:?}").contains("mail.from"), "{err:?}");
    }

    #[test]
    fn the_sender_defaults_to_the_public_host() {
        let s = MailConfig::default()
            .settings("https://credence.example.org")
            .expect("settings");
        assert_eq!(s.from.address(), "no-reply@credence.example.org");
        assert_eq!(
            s.from.to_string(),
            "Credence <no-reply@credence.example.org>"
        );
        assert!(s.smtp.is_none());
    }
}
