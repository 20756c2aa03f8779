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
    /// Days before a credential expires when its holder is reminded, comma-separated
    /// ("60,30,7"); empty: no reminders.
    pub expiry_reminder_days: String,
    /// The hour (UTC, 0-23) from which each day's assessor digests go out.
    pub digest_hour: u32,
    /// Seconds between a running `serve`'s looks for scheduled notices that fell due.
    pub scan_secs: u64,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            smtp_url: String::new(),
            from: String::new(),
            poll_ms: 1000,
            claim_link_days: credence_service::claims::DEFAULT_CLAIM_LINK_DAYS,
            lease_secs: credence_service::mail::LEASE_SECS,
            expiry_reminder_days: "60,30,7".into(),
            digest_hour: 7,
            scan_secs: 300,
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
            .field("expiry_reminder_days", &self.expiry_reminder_days)
            .field("digest_hour", &self.digest_hour)
            .field("scan_secs", &self.scan_secs)
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
        let reminder_days = reminder_days(&self.expiry_reminder_days)
            .map_err(|e| Failure::Refused(format!("mail.expiry_reminder_days: {e}")))?;
        if self.digest_hour > 23 {
            return Err(Failure::Refused(format!(
                "mail.digest_hour: {} is not an hour of the day (0 to 23, UTC)",
                self.digest_hour
            )));
        }
        Ok(credence_service::mail::MailSettings {
            from,
            smtp,
            poll: std::time::Duration::from_millis(self.poll_ms.clamp(50, 600_000)),
            retry_base: std::time::Duration::from_secs(30),
            claim_link_days: self.checked_claim_link_days()?,
            lease: std::time::Duration::from_secs(self.checked_lease_secs()?),
            reminder_days,
            digest_hour: self.digest_hour,
            scan_every: std::time::Duration::from_secs(self.scan_secs.clamp(10, 86_400)),
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

/// The days of `mail.expiry_reminder_days`: whole numbers from 1 to 730, comma-separated.
pub fn reminder_days(text: &str) -> Result<Vec<u32>, String> {
    let mut days = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse::<u32>() {
            Ok(d) if (1..=730).contains(&d) => days.push(d),
            _ => {
                return Err(format!(
                    "{part:?} is not a number of days from 1 to 730; write them comma-separated, e.g. \"60,30,7\""
                ))
            }
        }
    }
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    Ok(days)
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
    fn reminder_days_are_read_and_bad_ones_refused_by_name() {
        let s = MailConfig::default()
            .settings("https://credence.example")
            .expect("settings");
        assert_eq!(s.reminder_days, vec![60, 30, 7]);
        assert_eq!(reminder_days(" 7, 30,7 ,90"), Ok(vec![90, 30, 7]));
        assert_eq!(reminder_days(""), Ok(vec![]));
        for bad in ["0", "sixty", "30;7", "1000"] {
            let config = MailConfig {
                expiry_reminder_days: bad.into(),
                ..MailConfig::default()
            };
            let err = config.settings("https://credence.example").expect_err(bad);
            assert!(
                format!("{err:?}").contains("mail.expiry_reminder_days"),
                "{err:?}"
            );
        }
        let config = MailConfig {
            digest_hour: 24,
            ..MailConfig::default()
        };
        let err = config.settings("https://credence.example").expect_err("24");
        assert!(format!("{err:?}").contains("mail.digest_hour"), "{err:?}");
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
