//! The registry's record ids: one newtype per kind of record, so that an award's id can
//! never be passed where an account's is expected. Every id the registry mints is a random
//! UUID, stored in its canonical text form (lower-case, hyphenated). Where an id enters (a
//! path, a form, a JSON body) any form of UUID is read and made canonical, as the award and
//! accreditation paths always did; anything else is refused (and a path answers 404, as for
//! a record that does not exist). With the `sea-orm` feature (the store's) each maps to its
//! text column, where only the canonical form is accepted.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// Why a string was refused as a record id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{value}' is not a valid {kind}: an id is a UUID")]
pub struct IdError {
    /// What kind of id was expected, e.g. "award id".
    pub kind: &'static str,
    /// The refused value (shortened when very long).
    pub value: String,
}

/// `s` read as a UUID (hyphenated or not, any case, braced or as a URN), in canonical form.
fn canonical_uuid(s: &str) -> Option<String> {
    uuid::Uuid::parse_str(s)
        .ok()
        .map(|u| u.hyphenated().to_string())
}

macro_rules! record_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// What the id is of: "award id".
            pub const KIND: &'static str = $kind;

            /// Reads `value` as a UUID, in canonical form.
            pub fn new(value: impl AsRef<str>) -> Result<Self, IdError> {
                let value = value.as_ref();
                canonical_uuid(value).map(Self).ok_or_else(|| IdError {
                    kind: $kind,
                    value: value.chars().take(80).collect(),
                })
            }

            /// A new random id.
            pub fn random() -> Self {
                Self(uuid::Uuid::new_v4().to_string())
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id as owned text.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::new(s)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::new(s).map_err(serde::de::Error::custom)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl From<uuid::Uuid> for $name {
            fn from(uuid: uuid::Uuid) -> Self {
                Self(uuid.hyphenated().to_string())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        #[cfg(feature = "sea-orm")]
        crate::column::text_value!($name);
    };
}

record_id!(
    /// An account's id.
    AccountId, "account id"
);
record_id!(
    /// An organisation's id (its URLs use its [`crate::OrgSlug`]).
    OrgId, "organisation id"
);
record_id!(
    /// An achievement's id.
    AchievementId, "achievement id"
);
record_id!(
    /// An award's id.
    AwardId, "award id"
);
record_id!(
    /// A piece of evidence's id.
    EvidenceId, "evidence id"
);
record_id!(
    /// An evidence attachment's id.
    AttachmentId, "attachment id"
);
record_id!(
    /// An API token's id (not its secret value).
    TokenId, "token id"
);
record_id!(
    /// A signing key's id.
    KeyId, "key id"
);
record_id!(
    /// A bulk award job's id.
    BulkJobId, "bulk job id"
);
record_id!(
    /// An accreditation's id: the id of the award of its body that carries its credential
    /// (the one conversion between the two is here).
    AccreditationId, "accreditation id"
);
record_id!(
    /// A notification's id (one line of a person's in-app list).
    NotificationId, "notification id"
);
record_id!(
    /// An AI product's id (issue 19).
    ProductId, "product id"
);
record_id!(
    /// One version of an AI product's id.
    ProductVersionId, "product version id"
);
record_id!(
    /// A site where an AI product is deployed: one row of its site list.
    ProductSiteId, "product site id"
);
record_id!(
    /// One answer (of its history) to a question of a product version's question sets.
    ProductAnswerId, "product answer id"
);
record_id!(
    /// A team's id (an organisation's AI multidisciplinary team, say).
    TeamId, "team id"
);
record_id!(
    /// A workforce target's id.
    TargetId, "target id"
);
record_id!(
    /// An Open Badges API client's id (its OAuth 2.0 `client_id`, given at registration).
    OAuthClientId, "OAuth client id"
);
record_id!(
    /// An outbox message's id (the row, not the e-mail's `Message-ID`).
    OutboxId, "outbox message id"
);
record_id!(
    /// An offer of a credential to a wallet (OpenID4VCI, issue 20).
    WalletOfferId, "wallet offer id"
);

/// An accreditation is stored as an award of its body, under the same id.
impl From<AwardId> for AccreditationId {
    fn from(award: AwardId) -> Self {
        Self(award.0)
    }
}

/// The award that carries an accreditation's credential has the accreditation's id.
impl From<AccreditationId> for AwardId {
    fn from(accreditation: AccreditationId) -> Self {
        Self(accreditation.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_canonical_uuids() {
        let good = "0b6f1c1e-3f7a-4c4e-9a43-2d1e5f0c8b9a";
        assert_eq!(AwardId::new(good).unwrap().as_str(), good);
        assert_eq!(good.parse::<AccountId>().unwrap().to_string(), good);
        for other_form in [
            "0B6F1C1E-3F7A-4C4E-9A43-2D1E5F0C8B9A",
            "0b6f1c1e3f7a4c4e9a432d1e5f0c8b9a",
            "urn:uuid:0b6f1c1e-3f7a-4c4e-9a43-2d1e5f0c8b9a",
        ] {
            assert_eq!(AwardId::new(other_form).unwrap().as_str(), good);
        }
        assert_ne!(AwardId::random(), AwardId::random());
        for bad in [
            "",
            "x",
            "0b6f1c1e-3f7a-4c4e-9a43-2d1e5f0c8b9",
            "0b6f1c1e-3f7a-4c4e-9a43-2d1e5f0c8b9g",
            "0b6f1c1e_3f7a-4c4e-9a43-2d1e5f0c8b9a",
            "../../etc/passwd",
        ] {
            let err = AwardId::new(bad).unwrap_err();
            assert_eq!(err.kind, "award id", "{bad}");
        }
        let award = AwardId::new(good).unwrap();
        let accreditation = AccreditationId::from(award.clone());
        assert_eq!(accreditation.as_str(), good);
        assert_eq!(AwardId::from(accreditation), award);
        let json = serde_json::to_string(&EvidenceId::new(good).unwrap()).unwrap();
        assert_eq!(json, format!("\"{good}\""));
        assert!(serde_json::from_str::<EvidenceId>("\"nope\"").is_err());
    }
}
