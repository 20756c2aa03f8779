//! The registry's vocabulary: organisation kinds and roles, DID methods, evidence kinds and
//! states, award states, bulk job states, accreditation states, e-mail addresses, and the
//! audit chain's link hash. Each is a closed type parsed once where it enters (a form, a
//! path, a JSON body, a database row: the store's entities hold these types, so a row with
//! a value outside the set is an error, never a string compared by hand), and the rest of
//! the code never handles a bare string. With the `sea-orm` feature (the store's) each maps
//! to its text column; OpenAPI schemas are declared at the web edge, not here. Record ids
//! are newtypes of their own (`ids.rs`): awards', bulk jobs', API tokens', evidence's,
//! attachments', accounts', organisations', signing keys', achievements', accreditations',
//! notifications' and outbox messages' ids go from the web's path to their rows.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A value that is not one of a closed set, naming what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{value}' is not a valid {kind}: use one of {allowed}")]
pub struct ChoiceError {
    pub kind: &'static str,
    pub value: String,
    pub allowed: &'static str,
}

macro_rules! choice {
    ($(#[$doc:meta])* $name:ident, $kind:literal, { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "sea-orm", derive(sea_orm::DeriveValueType), sea_orm(value_type = "String"))]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// What the values are: "award status".
            pub const KIND: &'static str = $kind;

            /// The value as written in URLs, JSON and the database.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// Never a number: a text column that is part of a primary key needs this.
        #[cfg(feature = "sea-orm")]
        impl sea_orm::TryFromU64 for $name {
            fn try_from_u64(_: u64) -> Result<Self, sea_orm::DbErr> {
                Err(sea_orm::DbErr::ConvertFromU64(stringify!($name)))
            }
        }

        impl FromStr for $name {
            type Err = ChoiceError;
            fn from_str(s: &str) -> Result<Self, ChoiceError> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(ChoiceError {
                        kind: $kind,
                        value: s.chars().take(80).collect(),
                        allowed: concat!($($text, " "),+),
                    }),
                }
            }
        }
    };
}

choice!(
    /// What an organisation is.
    OrgKind, "organisation kind", {
        AccreditingBody = "accrediting-body",
        Provider = "provider",
        Employer = "employer",
        HealthcareSetting = "healthcare-setting",
    }
);

choice!(
    /// Where an organisation's affiliation to another (an integrated care system, say)
    /// stands: proposed by the system, then accepted by the organisation.
    AffiliationState, "affiliation state", {
        Invited = "invited",
        Accepted = "accepted",
    }
);

choice!(
    /// What a holder's grant to an Open Badges API client is: an authorization code
    /// (single use, minutes), an access token or a refresh token.
    OAuthGrantKind, "OAuth grant kind", {
        Code = "code",
        Access = "access",
        Refresh = "refresh",
    }
);

choice!(
    /// A role a member holds in an organisation. Roles do not imply one another: an admin
    /// who also issues holds both roles.
    Role, "role", {
        /// Manages members, tokens and keys; reads the organisation's audit trail.
        Admin = "admin",
        /// Publishes achievements, awards, revokes and suspends, imports records.
        Issuer = "issuer",
        /// Confirms or rejects evidence submitted to the organisation.
        Assessor = "assessor",
    }
);

choice!(
    /// How an organisation's DID is made.
    DidMethod, "DID method", {
        /// `did:key`: the DID is the first key; rotation makes a new DID.
        Key = "key",
        /// `did:web`, served by this Credence at `/orgs/{slug}/did.json`.
        Web = "web",
    }
);

choice!(
    /// What a piece of evidence is.
    EvidenceKind, "evidence kind", {
        CourseCompletion = "course-completion",
        Assessment = "assessment",
        WorkplaceObservation = "workplace-observation",
        ReflectiveAccount = "reflective-account",
        Publication = "publication",
        Project = "project",
        CpdActivity = "cpd-activity",
    }
);

choice!(
    /// Where a piece of evidence stands.
    EvidenceStatus, "evidence status", {
        Draft = "draft",
        Submitted = "submitted",
        Attested = "attested",
        Rejected = "rejected",
    }
);

choice!(
    /// An award's state, as its status lists publish it.
    AwardStatus, "award status", {
        Active = "active",
        Suspended = "suspended",
        Revoked = "revoked",
    }
);

choice!(
    /// A change of an award's state.
    StatusAction, "status action", {
        Revoke = "revoke",
        Suspend = "suspend",
        Reinstate = "reinstate",
    }
);

choice!(
    /// Where a bulk award job stands.
    BulkJobState, "bulk job state", {
        /// Being worked on (or interrupted, when its lease has run out).
        Running = "running",
        Finished = "finished",
        Failed = "failed",
    }
);

choice!(
    /// What became of one row of a bulk award.
    BulkRowOutcome, "bulk row outcome", {
        Awarded = "awarded",
        /// The row's idempotency key had been awarded before.
        Existing = "existing",
        Refused = "refused",
    }
);

choice!(
    /// An accreditation's state.
    AccreditationStatus, "accreditation status", {
        Active = "active",
        Revoked = "revoked",
    }
);

choice!(
    /// Where an e-mail in the outbox stands.
    OutboxState, "outbox state", {
        /// Waiting to be sent, or to be tried again.
        Queued = "queued",
        /// Accepted by the mail server.
        Sent = "sent",
        /// Refused for good by the mail server (no such mailbox, message refused).
        Bounced = "bounced",
        /// Given up after the last retry.
        Failed = "failed",
    }
);

choice!(
    /// What a person is told about, in the app and (unless they turn it off) by e-mail.
    NotificationKind, "notification kind", {
        /// A credential was awarded to them.
        CredentialAwarded = "credential_awarded",
        /// One of their credentials was revoked, suspended or reinstated.
        CredentialStatus = "credential_status",
        /// An assessor attested or rejected their evidence.
        EvidenceDecided = "evidence_decided",
        /// One of their credentials expires soon (at the configured days before).
        CredentialExpiring = "credential_expiring",
        /// An organisation where they are an admin or issuer was accredited, or its
        /// accreditation revoked.
        Accreditation = "accreditation",
        /// As an assessor: a daily digest of the evidence waiting for them.
        AssessorDigest = "assessor_digest",
        /// An organisation invited them to one of its teams.
        TeamInvitation = "team_invitation",
        /// As an organisation's administrator: a system proposed, or an organisation
        /// accepted, an affiliation.
        Affiliation = "affiliation",
    }
);

choice!(
    /// Where a person stands in a team: invited (not yet counted), a member (accepted),
    /// declined, or left. Only members count towards the team's coverage.
    TeamMemberState, "team membership state", {
        Invited = "invited",
        Member = "member",
        Declined = "declined",
        Left = "left",
    }
);

choice!(
    /// What a link sent by e-mail is for.
    EmailLinkPurpose, "e-mail link purpose", {
        /// Choose a new password.
        PasswordReset = "password_reset",
        /// Confirm the address an account registered with.
        ConfirmAddress = "confirm_address",
        /// Confirm the new address an account is changing to.
        ChangeAddress = "change_address",
    }
);

impl AwardStatus {
    /// The state after `action`, or why the action does not apply.
    pub fn apply(self, action: StatusAction) -> Result<AwardStatus, &'static str> {
        match (self, action) {
            (AwardStatus::Revoked, _) => Err("a revoked award cannot change again"),
            (_, StatusAction::Revoke) => Ok(AwardStatus::Revoked),
            (AwardStatus::Active, StatusAction::Suspend) => Ok(AwardStatus::Suspended),
            (AwardStatus::Suspended, StatusAction::Suspend) => {
                Err("the award is already suspended")
            }
            (AwardStatus::Suspended, StatusAction::Reinstate) => Ok(AwardStatus::Active),
            (AwardStatus::Active, StatusAction::Reinstate) => Err("the award is not suspended"),
        }
    }
}

/// An e-mail address, trimmed and lower-cased. The check is the one every form, API call
/// and uploaded file goes through, and deliberately modest: one `@` with at most 64
/// characters before it, none of the characters an unquoted local part cannot have, no
/// misplaced dots, a domain of dot-separated names of letters, digits and hyphens (not at
/// either end, at most 63 characters each), no spaces or control characters, at most 254
/// characters in all.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Email(String);

/// The most characters an e-mail address may have (RFC 5321's path limit less the
/// brackets).
pub const MAX_EMAIL_CHARS: usize = 254;

/// Why a string is not an e-mail address: the address as given (shortened) and what is
/// wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{value}' is not an e-mail address")]
pub struct EmailError {
    pub value: String,
    /// What is wrong, ending a sentence that starts "The e-mail address": "has no @.".
    pub reason: String,
}

impl EmailError {
    /// What is wrong in a sentence: "The e-mail address has no @."
    pub fn sentence(&self) -> String {
        format!("The e-mail address {}", self.reason)
    }
}

/// What is wrong with `email` (trimmed), ending a sentence that starts "The e-mail
/// address", if anything is.
fn email_fault(email: &str) -> Option<String> {
    let fail = |what: &str| Some(what.to_owned());
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Some(format!("is longer than {MAX_EMAIL_CHARS} characters."));
    }
    if email.chars().any(char::is_whitespace) {
        return fail("contains a space.");
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return fail("has no @.");
    };
    if local.contains('@') {
        return fail("has more than one @.");
    }
    if local.is_empty() {
        return fail("has nothing before the @.");
    }
    if local.chars().count() > 64 {
        return fail("has more than 64 characters before the @.");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return fail("has a misplaced dot before the @.");
    }
    if let Some(c) = local
        .chars()
        .find(|c| c.is_control() || "\"(),:;<>[\\]".contains(*c))
    {
        return Some(format!(
            "has the character {c:?}, which addresses cannot have."
        ));
    }
    if domain.is_empty() {
        return fail("has nothing after the @.");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return fail("has no dot after the @ (as in nhs.net).");
    }
    for label in labels {
        if label.is_empty() {
            return fail("has a misplaced dot after the @.");
        }
        if label.chars().count() > 63 {
            return fail("has a part of more than 63 characters after the @.");
        }
        if !label.chars().all(|c| c.is_alphanumeric() || c == '-') {
            return fail("has a character after the @ that domain names cannot have.");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return fail("has a part after the @ that starts or ends with a hyphen.");
        }
    }
    None
}

impl Email {
    pub fn new(value: &str) -> Result<Self, EmailError> {
        let value = value.trim().to_lowercase();
        match email_fault(&value) {
            Some(reason) => Err(EmailError {
                value: value.chars().take(80).collect(),
                reason,
            }),
            None => Ok(Self(value)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Email::new(&s).map_err(serde::de::Error::custom)
    }
}

/// The hash that starts the audit chain (the "previous hash" of entry 1).
pub const AUDIT_GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of an audit entry that its hash covers, in their stored text form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLink<'a> {
    pub seq: i64,
    /// RFC 3339 with microseconds and `Z`, as stored.
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub org_id: Option<&'a str>,
    pub subject: &'a str,
    /// JSON text, as stored.
    pub detail: &'a str,
}

impl AuditLink<'_> {
    /// SHA-256 (hex) of the previous hash and this entry's fields, each length-prefixed so
    /// that no two different entries share an encoding.
    pub fn hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        let seq = self.seq.to_string();
        let org = self.org_id.unwrap_or("");
        for part in [
            prev_hash,
            &seq,
            self.at,
            self.actor,
            self.action,
            org,
            self.subject,
            self.detail,
        ] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        h.update([u8::from(self.org_id.is_some())]);
        hex::encode(h.finalize())
    }
}

impl NotificationKind {
    /// What the kind covers, in words for the preferences page.
    pub fn words(self) -> &'static str {
        match self {
            NotificationKind::CredentialAwarded => "A credential is awarded to you",
            NotificationKind::CredentialStatus => {
                "One of your credentials is revoked, suspended or reinstated"
            }
            NotificationKind::EvidenceDecided => "An assessor attests or rejects your evidence",
            NotificationKind::CredentialExpiring => "One of your credentials is about to expire",
            NotificationKind::Accreditation => {
                "An organisation you administer or issue for is accredited, or loses an accreditation"
            }
            NotificationKind::AssessorDigest => {
                "A daily digest of the evidence waiting for you as an assessor"
            }
            NotificationKind::TeamInvitation => "An organisation invites you to one of its teams",
            NotificationKind::Affiliation => {
                "An organisation you administer is asked to affiliate, or accepts an affiliation"
            }
        }
    }

    /// What an unsubscribe link of this kind stops.
    pub fn stop_words(self) -> &'static str {
        match self {
            NotificationKind::CredentialAwarded => "e-mails when a credential is awarded to you",
            NotificationKind::CredentialStatus => {
                "e-mails when one of your credentials is revoked, suspended or reinstated"
            }
            NotificationKind::EvidenceDecided => {
                "e-mails when an assessor decides on your evidence"
            }
            NotificationKind::CredentialExpiring => {
                "reminders before one of your credentials expires"
            }
            NotificationKind::Accreditation => {
                "e-mails when an organisation of yours is accredited or loses an accreditation"
            }
            NotificationKind::AssessorDigest => {
                "the daily digest of evidence waiting for you to assess"
            }
            NotificationKind::TeamInvitation => "e-mails when you are invited to a team",
            NotificationKind::Affiliation => {
                "e-mails about the affiliations of organisations you administer"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_round_trip_and_refusals_name_the_allowed_values() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), *role);
        }
        for kind in OrgKind::ALL {
            assert_eq!(kind.as_str().parse::<OrgKind>().unwrap(), *kind);
        }
        let err = "owner".parse::<Role>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "'owner' is not a valid role: use one of admin issuer assessor "
        );
    }

    #[test]
    fn award_status_transitions() {
        use AwardStatus::*;
        use StatusAction::*;
        let cases = [
            (Active, Revoke, Ok(Revoked)),
            (Active, Suspend, Ok(Suspended)),
            (Active, Reinstate, Err(())),
            (Suspended, Reinstate, Ok(Active)),
            (Suspended, Revoke, Ok(Revoked)),
            (Suspended, Suspend, Err(())),
            (Revoked, Reinstate, Err(())),
            (Revoked, Revoke, Err(())),
        ];
        for (from, action, expected) in cases {
            assert_eq!(
                from.apply(action).map_err(|_| ()),
                expected,
                "{from} {action}"
            );
        }
    }

    #[test]
    fn emails() {
        let ok = [
            ("  Ada@Example.ORG ", "ada@example.org"),
            ("a.b+c@nhs.net", "a.b+c@nhs.net"),
        ];
        for (input, expected) in ok {
            assert_eq!(Email::new(input).unwrap().as_str(), expected);
        }
        for bad in [
            "",
            "ada",
            "@x.org",
            "ada@",
            "ada@org",
            "a b@x.org",
            "a@b@x.org",
            "a@.org",
            "a@x.",
        ] {
            assert!(Email::new(bad).is_err(), "{bad}");
        }
    }

    /// Addresses on which the forms' check and the upload files' check used to disagree
    /// (the forms accepted them, the files refused them, or the other way round): there is
    /// one check now, and it says what is wrong.
    #[test]
    fn emails_once_judged_two_ways() {
        let check = |input: &str, expected: Result<&str, &str>| {
            let got = Email::new(input);
            match (&got, expected) {
                (Ok(email), Ok(wanted)) => assert_eq!(email.as_str(), wanted, "{input}"),
                (Err(e), Err(part)) => {
                    let sentence = e.sentence();
                    assert!(sentence.contains(part), "{input}: {sentence} lacks {part}");
                    assert!(sentence.ends_with('.'), "{sentence}");
                    let shown: String = input.trim().to_lowercase().chars().take(80).collect();
                    assert_eq!(e.to_string(), format!("'{shown}' is not an e-mail address"));
                }
                _ => panic!("{input}: {got:?}"),
            }
        };
        check("ada..l@nhs.example", Err("misplaced dot before the @"));
        check(".ada@nhs.example", Err("misplaced dot before the @"));
        check("ada.@nhs.example", Err("misplaced dot before the @"));
        check("a<b@nhs.example", Err("the character '<'"));
        check("a(b)@nhs.example", Err("the character '('"));
        check("ada@nhs..example", Err("misplaced dot after the @"));
        check("ada@nhs_x.example", Err("domain names cannot have"));
        check("ada@-nhs.example", Err("starts or ends with a hyphen"));
        check("ada@nhs-.example", Err("starts or ends with a hyphen"));
        check(
            &format!("{}@nhs.example", "a".repeat(65)),
            Err("more than 64 characters before the @"),
        );
        check(
            &format!("ada@{}.example", "n".repeat(64)),
            Err("a part of more than 63 characters"),
        );
        check("a\u{7}b@nhs.example", Err("the character '\\u{7}'"));
        // Counted in characters, not bytes: 254 two-byte characters are not too long.
        let local = "é".repeat(60);
        let long = format!("{local}@{}.example", vec!["ü".repeat(60); 3].join("."));
        assert!(long.chars().count() <= 254 && long.len() > 254);
        check(&long, Ok(long.as_str()));
        check(
            &format!(
                "{}@{}.example",
                "a".repeat(60),
                vec!["n".repeat(60); 4].join(".")
            ),
            Err("longer than 254 characters"),
        );
        check(
            " Ada.Lovelace+x@NHS.example ",
            Ok("ada.lovelace+x@nhs.example"),
        );
        check("é@ü.example", Ok("é@ü.example"));
    }

    #[test]
    fn audit_hashes_depend_on_every_field_and_the_previous_hash() {
        let base = AuditLink {
            seq: 1,
            at: "2026-11-27T10:00:00.000000Z",
            actor: "account:1",
            action: "award.issue",
            org_id: Some("o"),
            subject: "award:1",
            detail: "{}",
        };
        let h = base.hash(AUDIT_GENESIS);
        assert_eq!(h.len(), 64);
        let variants = [
            AuditLink {
                seq: 2,
                ..base.clone()
            },
            AuditLink {
                at: "2026-11-27T10:00:00.000001Z",
                ..base.clone()
            },
            AuditLink {
                actor: "account:2",
                ..base.clone()
            },
            AuditLink {
                action: "award.revoke",
                ..base.clone()
            },
            AuditLink {
                org_id: None,
                ..base.clone()
            },
            AuditLink {
                org_id: Some(""),
                ..base.clone()
            },
            AuditLink {
                subject: "award:2",
                ..base.clone()
            },
            AuditLink {
                detail: "{\"a\":1}",
                ..base.clone()
            },
        ];
        for v in variants {
            assert_ne!(v.hash(AUDIT_GENESIS), h, "{v:?}");
        }
        assert_ne!(base.hash(&h), h);
    }
}
