//! Pure builders of the documents the registry issues and reads: OB 3.0 achievements and
//! credentials, badge images, and the CSV and JSON files issuers upload.
//!
//! Nothing here touches the database, the network or the clock: times and random values
//! (ids, salts, status list indices) are parameters, so the same input always gives the same
//! document. The use cases pick those values, call these builders, sign the result with
//! `credence_vc::proof` and store it as signed.
//!
//! The URLs the documents name are all under the installation's base URL (for example
//! `https://credence.example`):
//!
//! | URL | what |
//! |---|---|
//! | `{base}/achievements/{uuid}` | an achievement (pathway badge definition) |
//! | `{base}/credentials/{uuid}` | an awarded credential |
//! | `{base}/evidence/{uuid}` | one piece of evidence behind an award |
//! | `{base}/orgs/{slug}/status/revocation` | an organisation's revocation list |
//! | `{base}/orgs/{slug}/status/suspension` | an organisation's suspension list |
//! | `{base}/frameworks/{slug}/pathways/{pathway}#{statement}` | a competency statement |

pub mod achievement;
pub mod badge;
pub mod badge_font;
pub mod credential;
pub mod csv_input;
pub mod wallet_copy;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};

pub use achievement::{achievement_document, AchievementInput, Product};
pub use badge::{badge_data_url, badge_svg, BadgeSpec};
pub use credential::{
    award_credential, email_matches, embedding_types, identity_hash, AchievedLevel, AwardInput,
    AwardResults, EvidenceLink, Recipient, ResultProblem, StatusIndices,
};
pub use csv_input::{
    parse_bulk_awards, parse_completion_records, BulkAwardRow, BulkFormat, CompletionRecord,
    CsvError, Problem, RowResult,
};
pub use wallet_copy::{wallet_copy, WalletCopy};

/// The issuing organisation as OB 3.0 documents name it: the `issuer` of a credential and
/// the `creator` of an achievement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerProfile {
    /// The organisation's DID (`did:web:…` or `did:key:…`), which signs its credentials.
    pub did: String,
    /// The organisation's name, for people.
    pub name: String,
    /// The organisation's home page.
    pub url: String,
}

impl IssuerProfile {
    /// The OB 3.0 `Profile`: `id` (the DID), `type` `["Profile"]`, `name` and `url`.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.did,
            "type": ["Profile"],
            "name": self.name,
            "url": self.url,
        })
    }
}

/// The base URL without a trailing slash, so that `{base}/path` never has `//`.
pub(crate) fn base(base_url: &str) -> &str {
    base_url.trim_end_matches('/')
}

/// An XML Schema `dateTime` in UTC at seconds precision, as in `2026-11-28T09:30:00Z`.
pub fn date_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
pub(crate) mod test_support {
    //! What the tests of several builders share: the bundled NHS framework and an issuer.

    use std::sync::OnceLock;

    use credence_domain::{bundled, Framework};

    use super::IssuerProfile;

    pub const BASE: &str = "https://credence.example";

    /// The bundled NHS framework, parsed once.
    pub fn nhs() -> &'static Framework {
        static NHS: OnceLock<Framework> = OnceLock::new();
        NHS.get_or_init(|| {
            Framework::from_json(bundled::NHS_AI_CONFIDENCE_2022.as_bytes())
                .expect("the bundled framework is valid")
        })
    }

    pub fn issuer(did: &str) -> IssuerProfile {
        IssuerProfile {
            did: did.into(),
            name: "Health Education Example".into(),
            url: "https://hee.example/".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_lose_trailing_slashes() {
        for (input, expected) in [
            ("https://credence.example", "https://credence.example"),
            ("https://credence.example/", "https://credence.example"),
            ("https://credence.example/r//", "https://credence.example/r"),
        ] {
            assert_eq!(base(input), expected, "{input}");
        }
    }

    #[test]
    fn date_times_are_utc_seconds() {
        let at = DateTime::parse_from_rfc3339("2026-11-28T10:30:00.123+01:00")
            .expect("date")
            .with_timezone(&Utc);
        assert_eq!(date_time(at), "2026-11-28T09:30:00Z");
    }
}
