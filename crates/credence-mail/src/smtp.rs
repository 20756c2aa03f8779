//! The sender for the configured SMTP server. `smtp://host:port` uses STARTTLS when the
//! server offers it (and plain SMTP when it does not, as a mail relay on the same machine
//! does); `smtp://…?tls=required` insists on it; `smtps://` is TLS from the first byte.
//! User and password, when given in the URL, authenticate.

use std::time::Duration;

use lettre::address::Envelope;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

/// Why a message was not accepted, and whether trying again later may help.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    /// The server refused for good (a 5xx reply: no such mailbox, message refused).
    pub permanent: bool,
    pub message: String,
}

/// Sends composed messages to one SMTP server. Cheap to clone.
#[derive(Clone)]
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    /// The URL without its password, for logs.
    shown: String,
}

impl std::fmt::Debug for SmtpSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSender")
            .field("server", &self.shown)
            .finish()
    }
}

impl SmtpSender {
    /// A sender for `url` (`smtp://`, `smtps://`, optional `user:password@`, `?tls=`).
    pub fn from_url(url: &str) -> Result<Self, String> {
        let mut parsed =
            url::Url::parse(url).map_err(|e| format!("'{}' is not a URL: {e}", redacted(url)))?;
        if !matches!(parsed.scheme(), "smtp" | "smtps") {
            return Err(format!(
                "'{}' must start with smtp:// or smtps://",
                redacted(url)
            ));
        }
        if parsed.host_str().is_none_or(str::is_empty) {
            return Err(format!("'{}' names no host", redacted(url)));
        }
        if parsed.scheme() == "smtp" && !parsed.query_pairs().any(|(k, _)| k == "tls") {
            parsed.query_pairs_mut().append_pair("tls", "opportunistic");
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(parsed.as_str())
            .map_err(|e| format!("'{}': {e}", redacted(url)))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        Ok(Self {
            transport,
            shown: redacted(url),
        })
    }

    /// The server, without any password, for logs and pages.
    pub fn server(&self) -> &str {
        &self.shown
    }

    /// Hands `raw` (a whole message) to the server for `to`, from `from`.
    pub async fn send(&self, from: &str, to: &str, raw: &[u8]) -> Result<(), SendError> {
        let bad = |what: &str, e: lettre::address::AddressError| SendError {
            permanent: true,
            message: format!("the {what} address is not valid: {e}"),
        };
        let envelope = Envelope::new(
            Some(from.parse().map_err(|e| bad("sender", e))?),
            vec![to.parse().map_err(|e| bad("recipient", e))?],
        )
        .map_err(|e| SendError {
            permanent: true,
            message: format!("no envelope: {e}"),
        })?;
        match self.transport.send_raw(&envelope, raw).await {
            Ok(_) => Ok(()),
            Err(e) => Err(SendError {
                permanent: e.is_permanent(),
                message: e.to_string(),
            }),
        }
    }
}

/// `url` with any password replaced by `***`, for logs, pages and `config show`.
pub fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        Ok(u) => u.to_string(),
        Err(_) => "(not a URL)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_and_passwords_hidden() {
        let s = SmtpSender::from_url("smtps://user:secret@mail.example:465").expect("sender");
        assert!(!s.server().contains("secret"));
        assert!(s.server().contains("***"));
        assert!(SmtpSender::from_url("http://mail.example").is_err());
        let err = SmtpSender::from_url("smtp://u:hunter2@").expect_err("no host");
        assert!(!err.contains("hunter2"), "{err}");
    }
}
