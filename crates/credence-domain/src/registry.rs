//! The registry's vocabulary: organisation kinds and roles, DID methods, evidence kinds and
//! states, award states, e-mail addresses, and the audit chain's link hash. Each is a closed
//! type parsed once where it enters, so the rest of the code never handles a bare string.

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
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

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

/// An e-mail address, trimmed and lower-cased. The check is deliberately modest: one `@`
/// with text on both sides, a dot in the domain, no spaces or control characters, at most
/// 254 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Email(String);

/// Why a string is not an e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not an e-mail address")]
pub struct EmailError(pub String);

impl Email {
    pub fn new(value: &str) -> Result<Self, EmailError> {
        let value = value.trim().to_lowercase();
        let refuse = || EmailError(value.chars().take(80).collect());
        if value.len() > 254 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(refuse());
        }
        let (local, domain) = value.split_once('@').ok_or_else(refuse)?;
        if local.is_empty()
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
        {
            return Err(refuse());
        }
        Ok(Self(value))
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
