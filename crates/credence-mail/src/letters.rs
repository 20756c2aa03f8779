//! Every message Credence sends. Each is a value with the facts it states; its words are
//! in `web/mail/{name}.txt` and `web/mail/{name}.html` (askama, HTML escaped), both
//! ending with the same footer. Messages about the account's own security (confirming an
//! address, resetting a password) carry no unsubscribe link: they cannot be turned off.

use askama::Template;

use crate::compose::Unsubscribe;

/// A message: its kind (for the outbox and logs), subject, bodies and unsubscribe address.
/// `Sync`, so that a use case may hold one across an `.await`.
pub trait Letter: Sync {
    /// A short stable name, e.g. `password_reset`.
    fn kind(&self) -> &'static str;
    fn subject(&self) -> String;
    fn text(&self) -> askama::Result<String>;
    fn html(&self) -> askama::Result<String>;
    /// `None` for messages about the account's security.
    fn unsubscribe(&self) -> Option<&Unsubscribe>;
}

/// Declares the two templates of a letter and its [`Letter`] implementation.
macro_rules! letter {
    ($letter:ident, $kind:literal, $txt:literal, $html:literal, |$me:ident| $subject:expr, $unsub:expr) => {
        const _: () = {
            #[derive(Template)]
            #[template(path = $txt)]
            struct Text<'a> {
                m: &'a $letter,
            }

            #[derive(Template)]
            #[template(path = $html)]
            struct Html<'a> {
                m: &'a $letter,
            }

            impl Letter for $letter {
                fn kind(&self) -> &'static str {
                    $kind
                }
                fn subject(&self) -> String {
                    let $me = self;
                    $subject
                }
                fn text(&self) -> askama::Result<String> {
                    Text { m: self }.render()
                }
                fn html(&self) -> askama::Result<String> {
                    Html { m: self }.render()
                }
                fn unsubscribe(&self) -> Option<&Unsubscribe> {
                    let unsub: fn(&$letter) -> Option<&Unsubscribe> = $unsub;
                    unsub(self)
                }
            }
        };
    };
}

/// Confirms the address an account registered with (or changed to).
#[derive(Debug, Clone)]
pub struct ConfirmAddress {
    pub name: String,
    pub link: String,
    pub hours: i64,
}
letter!(
    ConfirmAddress,
    "confirm_address",
    "confirm_address.txt",
    "confirm_address.html",
    |_m| "Confirm your e-mail address for Credence".to_owned(),
    |_| None
);

/// A single-use link to choose a new password.
#[derive(Debug, Clone)]
pub struct PasswordReset {
    pub name: String,
    pub link: String,
    pub minutes: i64,
}
letter!(
    PasswordReset,
    "password_reset",
    "password_reset.txt",
    "password_reset.html",
    |_m| "Reset your Credence password".to_owned(),
    |_| None
);

/// Something that happened to a person's credentials or evidence (the in-app notification,
/// by e-mail): a title, a few sentences, and the page to see it on.
#[derive(Debug, Clone)]
pub struct Notice {
    pub name: String,
    /// The subject, e.g. "You have been awarded Foundational AI".
    pub title: String,
    /// Sentences, one paragraph each.
    pub paragraphs: Vec<String>,
    pub link: String,
    /// The link's words, e.g. "See the credential".
    pub action: String,
    pub unsubscribe: Unsubscribe,
    /// What the unsubscribe link stops, e.g. "messages when a credential is awarded to you".
    pub stops: String,
}
letter!(
    Notice,
    "notice",
    "notice.txt",
    "notice.html",
    |m| m.title.clone(),
    |m| Some(&m.unsubscribe)
);

/// A credential awarded to an address with no account yet (or none confirmed): the link to
/// claim it. Sent because an issuer awarded the credential, once, and again only when the
/// issuer or the recipient asks; so it carries no unsubscribe, like the account messages.
#[derive(Debug, Clone)]
pub struct ClaimAward {
    /// The issuing organisation's name.
    pub issuer: String,
    /// The achievement's name.
    pub achievement: String,
    pub link: String,
    /// How many days the link works.
    pub days: i64,
    /// Whether the credential is public already (its achievement says so); otherwise it
    /// is private until claimed.
    pub public: bool,
}
letter!(
    ClaimAward,
    "claim_award",
    "claim_award.txt",
    "claim_award.html",
    |m| format!("{} has awarded you {}", m.issuer, m.achievement),
    |_| None
);

/// Confirms the new address an account is changing to (sent to the new address).
#[derive(Debug, Clone)]
pub struct ConfirmNewAddress {
    pub name: String,
    /// The address being replaced.
    pub old: String,
    pub link: String,
    pub hours: i64,
}
letter!(
    ConfirmNewAddress,
    "confirm_new_address",
    "confirm_new_address.txt",
    "confirm_new_address.html",
    |_m| "Confirm your new e-mail address for Credence".to_owned(),
    |_| None
);

/// Tells the address being replaced that a change was asked (sent to the old address), so
/// that a person whose account was taken over finds out.
#[derive(Debug, Clone)]
pub struct AddressChanging {
    pub name: String,
    /// The address asked for.
    pub new: String,
    pub hours: i64,
}
letter!(
    AddressChanging,
    "address_changing",
    "address_changing.txt",
    "address_changing.html",
    |_m| "Your Credence e-mail address is being changed".to_owned(),
    |_| None
);

/// A reminder that one of a person's credentials expires soon, with what renewing it needs.
#[derive(Debug, Clone)]
pub struct ExpiryReminder {
    pub name: String,
    /// The credential's name, e.g. "Product-specific AI training: ChestScan triage 2.1".
    pub credential: String,
    /// The organisation that issued it.
    pub issuer: String,
    /// The day it expires, in words: "5 January 2027".
    pub expires_on: String,
    /// "in 30 days", "tomorrow", "today".
    pub when: String,
    /// What renewing it needs, a sentence each.
    pub renewal: Vec<String>,
    /// The credential's page.
    pub link: String,
    pub unsubscribe: Unsubscribe,
    pub stops: String,
}
letter!(
    ExpiryReminder,
    "expiry_reminder",
    "expiry_reminder.txt",
    "expiry_reminder.html",
    |m| format!("{} expires {}", m.credential, m.when),
    |m| Some(&m.unsubscribe)
);

/// One organisation's queue in an assessor's digest.
#[derive(Debug, Clone)]
pub struct DigestQueue {
    pub org: String,
    /// Pieces of evidence waiting for a decision.
    pub waiting: u64,
    /// How long the oldest has waited, in words: "3 days".
    pub oldest: String,
}

/// An assessor's daily digest: the evidence waiting for them, organisation by organisation.
#[derive(Debug, Clone)]
pub struct AssessorDigest {
    pub name: String,
    /// The day of the digest, in words: "7 December 2026".
    pub day: String,
    pub queues: Vec<DigestQueue>,
    /// Pieces of evidence waiting in all.
    pub total: u64,
    /// The assessment queue's page.
    pub link: String,
    pub unsubscribe: Unsubscribe,
    pub stops: String,
}
letter!(
    AssessorDigest,
    "assessor_digest",
    "assessor_digest.txt",
    "assessor_digest.html",
    |m| match m.total {
        1 => "1 piece of evidence waits for you to assess".to_owned(),
        n => format!("{n} pieces of evidence wait for you to assess"),
    },
    |m| Some(&m.unsubscribe)
);
