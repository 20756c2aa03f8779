//! A letter made into the bytes that are sent: headers, a `multipart/alternative` body of
//! plain text and HTML, a `Message-ID` chosen here and never again.

use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::Message;

use crate::letters::Letter;

/// What went wrong making a message: an address or a template, never the network.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("'{address}' cannot be used as the {field} address of an e-mail: {reason}")]
    Address {
        field: &'static str,
        address: String,
        reason: String,
    },
    #[error("rendering the {kind} e-mail: {source}")]
    Template {
        kind: &'static str,
        #[source]
        source: askama::Error,
    },
    #[error("building the {kind} e-mail: {source}")]
    Build {
        kind: &'static str,
        #[source]
        source: lettre::error::Error,
    },
}

/// The one-click unsubscribe of RFC 8058: the address a mail client POSTs to, with
/// `List-Unsubscribe=One-Click`, to stop this kind of message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsubscribe {
    pub url: String,
}

/// The sender of every message (`mail.from`), checked once: a display name and an address,
/// e.g. `Credence <no-reply@credence.example>`, or a bare address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender(Mailbox);

impl Sender {
    /// Reads `text`, or says why it is not a sender.
    pub fn parse(text: &str) -> Result<Self, MailError> {
        text.trim()
            .parse()
            .map(Self)
            .map_err(|e| MailError::Address {
                field: "sender",
                address: text.to_owned(),
                reason: format!("{e}"),
            })
    }

    /// The bare address, for the SMTP envelope.
    pub fn address(&self) -> String {
        self.0.email.to_string()
    }
}

impl std::fmt::Display for Sender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A message ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    /// `<uuid@host>`, as in the `Message-ID` header.
    pub message_id: String,
    /// The envelope sender and recipient (bare addresses).
    pub from: String,
    pub to: String,
    pub subject: String,
    /// The whole message, headers and body, as sent.
    pub raw: Vec<u8>,
}

/// Makes `letter` to `to` (a display name and an address) from `from` into a message
/// whose id is under `id_host` (the public address's host).
pub fn compose<L: Letter + ?Sized>(
    letter: &L,
    from: &Sender,
    to_name: &str,
    to_address: &str,
    id_host: &str,
) -> Result<Composed, MailError> {
    let kind = letter.kind();
    let from_box = from.0.clone();
    let to_box = recipient(to_name, to_address)?;
    let template = |source| MailError::Template { kind, source };
    let text = letter.text().map_err(template)?;
    let html = letter.html().map_err(template)?;
    // A subject is one line whatever went into it.
    let subject = letter.subject().replace(|c: char| c.is_control(), " ");
    let message_id = format!("<{}@{}>", uuid::Uuid::new_v4(), id_host);
    let mut builder = Message::builder()
        .from(from_box.clone())
        .to(to_box.clone())
        .subject(subject.clone())
        .message_id(Some(message_id.clone()))
        .date_now();
    if let Some(unsubscribe) = letter.unsubscribe() {
        builder = builder
            .header(ListUnsubscribe(format!("<{}>", unsubscribe.url)))
            .header(ListUnsubscribePost);
    }
    let message = builder
        .multipart(MultiPart::alternative_plain_html(text, html))
        .map_err(|source| MailError::Build { kind, source })?;
    Ok(Composed {
        message_id,
        from: from_box.email.to_string(),
        to: to_box.email.to_string(),
        subject,
        raw: message.formatted(),
    })
}

fn recipient(name: &str, address: &str) -> Result<Mailbox, MailError> {
    let email = address.parse().map_err(|e| MailError::Address {
        field: "recipient",
        address: address.to_owned(),
        reason: format!("{e}"),
    })?;
    // A name with line breaks or angle brackets cannot forge headers: lettre encodes
    // display names, and an empty one is left out.
    let name = name.trim();
    Ok(Mailbox::new(
        (!name.is_empty()).then(|| name.to_owned()),
        email,
    ))
}

/// `List-Unsubscribe: <https://…>` (RFC 2369).
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::{Notice, PasswordReset};

    fn sender(text: &str) -> Sender {
        Sender::parse(text).expect("a sender")
    }

    fn text(c: &Composed) -> String {
        String::from_utf8(c.raw.clone()).expect("utf-8")
    }

    #[test]
    fn a_security_message_has_no_unsubscribe_and_a_fixed_id() {
        let letter = PasswordReset {
            name: "Ada Lovelace".into(),
            link: "https://credence.example/reset/abc".into(),
            minutes: 60,
        };
        let c = compose(
            &letter,
            &sender("Credence <no-reply@credence.example>"),
            "Ada Lovelace",
            "ada@example.org",
            "credence.example",
        )
        .expect("composed");
        let raw = text(&c);
        assert!(c.message_id.ends_with("@credence.example>"));
        assert!(raw.contains(&format!("Message-ID: {}", c.message_id)));
        assert!(!raw.contains("List-Unsubscribe"));
        assert!(raw.contains("multipart/alternative"));
        assert!(raw.contains("https://credence.example/reset/abc"));
        assert_eq!(c.to, "ada@example.org");
        assert_eq!(c.from, "no-reply@credence.example");
    }

    #[test]
    fn a_notice_carries_one_click_unsubscribe() {
        let letter = Notice {
            name: "Ada".into(),
            title: "You have been awarded Foundational AI".into(),
            paragraphs: vec!["Nymouth Trust awarded you Foundational AI <awareness>.".into()],
            link: "https://credence.example/credentials/1".into(),
            action: "See the credential".into(),
            unsubscribe: Unsubscribe {
                url: "https://credence.example/unsubscribe/t".into(),
            },
            stops: "messages when a credential is awarded to you".into(),
        };
        let c = compose(
            &letter,
            &sender("no-reply@credence.example"),
            "",
            "ada@example.org",
            "h",
        )
        .expect("composed");
        let raw = text(&c);
        assert!(raw.contains("List-Unsubscribe: <https://credence.example/unsubscribe/t>"));
        assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        // The HTML part escapes what people typed.
        assert!(raw.contains("&lt;awareness&gt;") || raw.contains("&#60;awareness&#62;"));
    }

    #[test]
    fn bad_addresses_are_named() {
        let letter = PasswordReset {
            name: "A".into(),
            link: "https://x/r".into(),
            minutes: 60,
        };
        let err = compose(
            &letter,
            &sender("no-reply@x.example"),
            "A",
            "not an address",
            "x",
        )
        .expect_err("refused");
        assert!(err.to_string().contains("recipient"), "{err}");
        let err = Sender::parse("nobody").expect_err("refused");
        assert!(err.to_string().contains("sender"), "{err}");
        assert_eq!(
            sender("Credence <no-reply@x.example>").address(),
            "no-reply@x.example"
        );
    }
}
