//! Issuer registries the operator trusts, in the format the Digital Credentials
//! Consortium's verifier reads (its "legacy" known-DID registries: `{"meta": {...},
//! "registry": {"did:...": {"name": ..., "url": ..., "location": ...}}}`, or `entries` for
//! `registry`), loaded from local files in the order given, the most authoritative first.
//! A verification then says "issuer known to REGISTRY as NAME", or warns that the issuer is
//! in none: an unknown issuer is a warning, never a failure.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

use crate::verify::{Check, Outcome};

/// One issuer as a registry lists it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct KnownIssuer {
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
}

/// One registry: its name (the operator's) and its issuers by identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerRegistry {
    pub name: String,
    pub issuers: HashMap<String, KnownIssuer>,
}

impl IssuerRegistry {
    /// Reads a registry file; the error names what is wrong with it.
    pub fn parse(name: &str, bytes: &[u8]) -> Result<Self, String> {
        let doc: Value =
            serde_json::from_slice(bytes).map_err(|e| format!("it is not JSON ({e})"))?;
        let listed = doc
            .get("registry")
            .or_else(|| doc.get("entries"))
            .and_then(Value::as_object)
            .ok_or("it has no \"registry\" object mapping identifiers to issuers")?;
        let mut issuers = HashMap::new();
        for (id, entry) in listed {
            let issuer: KnownIssuer = serde_json::from_value(entry.clone())
                .map_err(|e| format!("/registry/{id}: {e}"))?;
            if issuer.name.trim().is_empty() {
                return Err(format!("/registry/{id}/name: the issuer's name is empty"));
            }
            issuers.insert(id.clone(), issuer);
        }
        Ok(Self {
            name: name.to_owned(),
            issuers,
        })
    }
}

/// The registries trusted, most authoritative first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IssuerRegistries {
    pub registries: Vec<IssuerRegistry>,
}

impl IssuerRegistries {
    /// The first registry listing `issuer` (a DID, its base without a fragment, or a URL),
    /// and how it lists it.
    pub fn lookup(&self, issuer: &str) -> Option<(&IssuerRegistry, &KnownIssuer)> {
        let base = issuer.split('#').next().unwrap_or(issuer);
        self.registries.iter().find_map(|r| {
            r.issuers
                .get(issuer)
                .or_else(|| r.issuers.get(base))
                .map(|i| (r, i))
        })
    }

    /// The check a verification reports for `issuer`; none when no registry is trusted.
    pub fn check(&self, issuer: Option<&str>) -> Option<Check> {
        const CODE: &str = "issuer.registry";
        if self.registries.is_empty() {
            return None;
        }
        let names: Vec<&str> = self.registries.iter().map(|r| r.name.as_str()).collect();
        Some(match issuer.and_then(|i| self.lookup(i)) {
            Some((registry, known)) => {
                let mut check = Check::new(
                    CODE,
                    Outcome::Passed,
                    format!(
                        "The issuer is known to {} as {}.",
                        registry.name, known.name
                    ),
                );
                let more: Vec<&str> = [known.url.as_deref(), known.location.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect();
                if !more.is_empty() {
                    check = check.detail(more.join(", "));
                }
                check
            }
            None => Check::new(
                CODE,
                Outcome::Warning,
                format!(
                    "The issuer is not in any issuer registry this Credence trusts ({}): it may be genuine, but no registry vouches for who it is.",
                    names.join(", ")
                ),
            )
            .detail(format!("issuer: {}", issuer.unwrap_or("(none named)"))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"{
      "meta": { "created": "2020-12-02T02:32:16+0000" },
      "registry": {
        "did:key:z6Mktpn6cXks1PBKLMgZH2VaahvCtBMF6K8eCa7HzrnuYLZv": {
          "name": "Example University", "location": "Cambridge, MA, USA", "url": "https://example.edu"
        },
        "did:web:issuer.example": { "name": "Issuer Example" }
      }
    }"#;

    #[test]
    fn a_listed_issuer_is_named_and_an_unlisted_one_warns() {
        let registries = IssuerRegistries {
            registries: vec![IssuerRegistry::parse("DCC Sandbox", FILE.as_bytes()).unwrap()],
        };
        let known = registries
            .check(Some("did:web:issuer.example#key-1"))
            .unwrap();
        assert_eq!(known.outcome, Outcome::Passed);
        assert_eq!(
            known.message,
            "The issuer is known to DCC Sandbox as Issuer Example."
        );
        let unknown = registries.check(Some("did:web:other.example")).unwrap();
        assert_eq!(unknown.outcome, Outcome::Warning);
        assert!(
            unknown.message.contains("DCC Sandbox"),
            "{}",
            unknown.message
        );
        assert_eq!(
            registries.check(None).map(|c| c.outcome),
            Some(Outcome::Warning)
        );
        assert_eq!(IssuerRegistries::default().check(Some("did:web:x")), None);
    }

    #[test]
    fn the_first_registry_listing_an_issuer_names_it() {
        let second = r#"{"entries": {"did:web:issuer.example": {"name": "Other name"}}}"#;
        let registries = IssuerRegistries {
            registries: vec![
                IssuerRegistry::parse("Second", second.as_bytes()).unwrap(),
                IssuerRegistry::parse("First", FILE.as_bytes()).unwrap(),
            ],
        };
        let (registry, known) = registries.lookup("did:web:issuer.example").unwrap();
        assert_eq!(
            (registry.name.as_str(), known.name.as_str()),
            ("Second", "Other name")
        );
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        for (text, needle) in [
            ("{", "not JSON"),
            ("{}", "no \"registry\""),
            (
                r#"{"registry": {"did:x": {"url": "u"}}}"#,
                "/registry/did:x",
            ),
            (r#"{"registry": {"did:x": {"name": " "}}}"#, "name is empty"),
        ] {
            let e = IssuerRegistry::parse("r", text.as_bytes()).unwrap_err();
            assert!(e.contains(needle), "{text}: {e}");
        }
    }
}
