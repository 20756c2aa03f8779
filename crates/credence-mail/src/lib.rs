//! Credence's e-mail, apart from when and why it is sent.
//!
//! - [`letters`]: every message Credence sends, as a typed value rendered by askama from
//!   `web/mail/` into plain text and HTML (the same words in both).
//! - [`compose`]: a letter made into the exact RFC 5322 bytes to send, with its
//!   `Message-ID` fixed once, so that a retry is recognisably the same message, and the
//!   RFC 8058 one-click unsubscribe headers for messages a person may turn off.
//! - [`smtp`]: the sender for the configured SMTP server (`mail.smtp_url`), STARTTLS where
//!   the server offers it, implicit TLS for `smtps://`.
//!
//! Nothing here knows the database: the service writes composed messages to its outbox in
//! the transaction that causes them, and its delivery worker hands them to [`smtp`].

pub mod compose;
pub mod letters;
pub mod smtp;

pub use compose::{compose, Composed, MailError, Sender, Unsubscribe};
pub use letters::Letter;
pub use smtp::{redacted, SendError, SmtpSender};
