//! DIDs: `did:key` resolved offline, a resolver trait the service answers for `did:web`, and
//! `did:web` documents listing every key an issuer has used.

use crate::keys::{KeyError, VerifyingKey};
use serde_json::{json, Value};
use std::collections::HashMap;

/// Why a verification method could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DidError {
    /// Not a `did:key` URL of an Ed25519 key.
    #[error("{0} is not a did:key of an Ed25519 key.")]
    NotDidKey(String),
    /// The fragment does not name the key of the DID.
    #[error("In {0}, the fragment does not name the key of the DID.")]
    WrongFragment(String),
    /// The key inside the DID is malformed.
    #[error("The key in {did} is malformed: {source}")]
    BadKey {
        /// The DID.
        did: String,
        /// The key problem.
        source: KeyError,
    },
    /// Not a well-formed `did:web`.
    #[error("{0} is not a did:web DID (did:web:host[%3Aport][:path:segments]).")]
    NotDidWeb(String),
    /// The resolver does not know the verification method.
    #[error("The verification method {0} cannot be resolved here (only did:key and this service's own keys are resolved, never over the network).")]
    Unknown(String),
}

/// A resolved verification method: an Ed25519 public key and the DID (or URL) controlling it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationMethod {
    /// The verification method id (a DID URL or an https URL).
    pub id: String,
    /// Its controller.
    pub controller: String,
    /// The public key.
    pub public_key: VerifyingKey,
}

/// Resolves verification method ids to keys. Implementations never use the network: the
/// service answers for its own `did:web` issuers from its database.
pub trait DidResolver: Send + Sync {
    /// The verification method with this id.
    fn resolve_verification_method(&self, id: &str) -> Result<VerificationMethod, DidError>;
}

/// Resolves `did:key` (`did:key:z6Mk…` or `did:key:z6Mk…#z6Mk…`) to its verification method.
pub fn resolve_did_key(did_url: &str) -> Result<VerificationMethod, DidError> {
    let rest = did_url
        .strip_prefix("did:key:")
        .ok_or_else(|| DidError::NotDidKey(did_url.to_owned()))?;
    let (key_part, fragment) = match rest.split_once('#') {
        Some((k, f)) => (k, Some(f)),
        None => (rest, None),
    };
    if !key_part.starts_with("z6Mk") {
        return Err(DidError::NotDidKey(did_url.to_owned()));
    }
    if fragment.is_some_and(|f| f != key_part) {
        return Err(DidError::WrongFragment(did_url.to_owned()));
    }
    let did = format!("did:key:{key_part}");
    let known = known_did_keys().get(key_part).copied();
    let public_key = match known {
        Some(key) => key,
        None => {
            let key =
                VerifyingKey::from_multibase(key_part).map_err(|source| DidError::BadKey {
                    did: did.clone(),
                    source,
                })?;
            remember_did_key(key_part, key);
            key
        }
    };
    Ok(VerificationMethod {
        id: format!("{did}#{key_part}"),
        controller: did,
        public_key,
    })
}

/// How many `did:key` keys are kept decoded before the memo starts again.
const KNOWN_DID_KEYS: usize = 4096;

/// `did:key` keys already decoded, by their multibase form: decoding one (base58 and the
/// curve point's decompression) was about a twentieth of verifying a small credential.
/// A did:key is its key, so what is kept never goes stale.
fn known_did_keys() -> std::sync::MutexGuard<'static, HashMap<String, VerifyingKey>> {
    static KNOWN: std::sync::OnceLock<std::sync::Mutex<HashMap<String, VerifyingKey>>> =
        std::sync::OnceLock::new();
    KNOWN
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn remember_did_key(multibase: &str, key: VerifyingKey) {
    let mut known = known_did_keys();
    if known.len() >= KNOWN_DID_KEYS {
        known.clear();
    }
    known.insert(multibase.to_owned(), key);
}

/// A resolver over `did:key` plus a fixed table of known verification methods (the service's
/// own `did:web` keys, or keys a test maps by hand).
#[derive(Debug, Clone, Default)]
pub struct StaticResolver {
    methods: HashMap<String, VerificationMethod>,
}

impl StaticResolver {
    /// Only `did:key`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a known verification method.
    #[must_use]
    pub fn with(mut self, method: VerificationMethod) -> Self {
        self.methods.insert(method.id.clone(), method);
        self
    }
}

impl DidResolver for StaticResolver {
    fn resolve_verification_method(&self, id: &str) -> Result<VerificationMethod, DidError> {
        if let Some(method) = self.methods.get(id) {
            return Ok(method.clone());
        }
        if id.starts_with("did:key:") {
            return resolve_did_key(id);
        }
        Err(DidError::Unknown(id.to_owned()))
    }
}

/// One key of a `did:web` issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebKey {
    /// The fragment naming the key (`key-1` gives `did:web:…#key-1`).
    pub fragment: String,
    /// The public key.
    pub public_key: VerifyingKey,
    /// Whether new credentials are signed with it. Retired keys stay listed (and stay in
    /// `assertionMethod`) so credentials they signed keep verifying.
    pub active: bool,
}

/// The DID document of `did` (a `did:web`) listing every key: all as Multikey verification
/// methods and in `assertionMethod`; only active keys in `authentication`.
pub fn did_web_document(did: &str, keys: &[WebKey]) -> Value {
    let methods: Vec<Value> = keys
        .iter()
        .map(|k| {
            json!({
                "id": format!("{did}#{}", k.fragment),
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": k.public_key.to_multibase(),
            })
        })
        .collect();
    let all: Vec<String> = keys
        .iter()
        .map(|k| format!("{did}#{}", k.fragment))
        .collect();
    let active: Vec<String> = keys
        .iter()
        .filter(|k| k.active)
        .map(|k| format!("{did}#{}", k.fragment))
        .collect();
    json!({
        "@context": [
            crate::contexts::DID_V1,
            crate::contexts::MULTIKEY_V1,
        ],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": all,
        "authentication": active,
    })
}

/// Where the DID document of a `did:web` is published (did:web method, "Read"):
/// `did:web:example.com` → `https://example.com/.well-known/did.json`,
/// `did:web:example.com%3A8443:issuers:42` → `https://example.com:8443/issuers/42/did.json`.
pub fn did_web_document_url(did: &str) -> Result<String, DidError> {
    let bad = || DidError::NotDidWeb(did.to_owned());
    let rest = did.strip_prefix("did:web:").ok_or_else(bad)?;
    if rest.contains(['#', '?', '/']) {
        return Err(bad());
    }
    let mut parts = rest.split(':');
    let host = parts.next().filter(|h| !h.is_empty()).ok_or_else(bad)?;
    let host = host.replace("%3A", ":").replace("%3a", ":");
    let valid_char = |c: char| c.is_ascii_alphanumeric() || "-._~%".contains(c);
    if !host.chars().all(|c| valid_char(c) || c == ':') {
        return Err(bad());
    }
    let path: Vec<&str> = parts.collect();
    if path
        .iter()
        .any(|p| p.is_empty() || !p.chars().all(valid_char) || *p == "." || *p == "..")
    {
        return Err(bad());
    }
    Ok(if path.is_empty() {
        format!("https://{host}/.well-known/did.json")
    } else {
        format!("https://{host}/{}/did.json", path.join("/"))
    })
}

/// The verification methods listed in a DID document (as made by [`did_web_document`] or
/// any document using Multikey `publicKeyMultibase`), for answering a [`StaticResolver`].
pub fn verification_methods(document: &Value) -> Vec<VerificationMethod> {
    let Some(Value::Array(methods)) = document.get("verificationMethod") else {
        return Vec::new();
    };
    methods
        .iter()
        .filter_map(|m| {
            Some(VerificationMethod {
                id: m.get("id")?.as_str()?.to_owned(),
                controller: m.get("controller")?.as_str()?.to_owned(),
                public_key: VerifyingKey::from_multibase(m.get("publicKeyMultibase")?.as_str()?)
                    .ok()?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::SigningKey;

    const W3C_KEY: &str = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";

    fn check(input: &str, expected: Result<(&str, &str), &str>) {
        match (resolve_did_key(input), expected) {
            (Ok(vm), Ok((id, controller))) => {
                assert_eq!((vm.id.as_str(), vm.controller.as_str()), (id, controller));
                assert_eq!(vm.public_key.to_multibase(), W3C_KEY);
            }
            (Err(e), Err(needle)) => assert!(e.to_string().contains(needle), "{input}: {e}"),
            (got, want) => panic!("{input}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn did_key_resolves_offline() {
        let did = format!("did:key:{W3C_KEY}");
        let vm = format!("{did}#{W3C_KEY}");
        check(&did, Ok((&vm, &did)));
        check(&vm, Ok((&vm, &did)));
        check("did:web:example.com", Err("not a did:key"));
        check(
            "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme",
            Err("not a did:key"),
        );
        check(&format!("{did}#key-1"), Err("fragment"));
        check("did:key:z6MkAAAA", Err("malformed"));
        check("did:key:z6Mk0OIl", Err("malformed"));
    }

    #[test]
    fn did_web_document_urls() {
        for (did, expected) in [
            (
                "did:web:example.com",
                Ok("https://example.com/.well-known/did.json"),
            ),
            (
                "did:web:badges.example.org:issuers:42",
                Ok("https://badges.example.org/issuers/42/did.json"),
            ),
            (
                "did:web:localhost%3A8443:issuers:x",
                Ok("https://localhost:8443/issuers/x/did.json"),
            ),
            ("did:web:", Err(())),
            ("did:web:example.com::x", Err(())),
            ("did:web:example.com:..:x", Err(())),
            ("did:web:example.com/evil", Err(())),
            ("did:web:example.com#key-1", Err(())),
            ("did:key:z6Mk", Err(())),
        ] {
            let got = did_web_document_url(did);
            match expected {
                Ok(url) => assert_eq!(got.as_deref(), Ok(url), "{did}"),
                Err(()) => assert!(got.is_err_and(|e| e.to_string().contains(did)), "{did}"),
            }
        }
    }

    #[test]
    fn did_web_document_lists_active_and_retired_keys() {
        let old = SigningKey::from_seed(&[1; 32]).verifying_key();
        let new = SigningKey::from_seed(&[2; 32]).verifying_key();
        let did = "did:web:badges.example.org:issuers:42";
        let doc = did_web_document(
            did,
            &[
                WebKey {
                    fragment: "key-1".into(),
                    public_key: old,
                    active: false,
                },
                WebKey {
                    fragment: "key-2".into(),
                    public_key: new,
                    active: true,
                },
            ],
        );
        assert_eq!(doc["id"], did);
        assert_eq!(
            doc["assertionMethod"],
            json!([format!("{did}#key-1"), format!("{did}#key-2")])
        );
        assert_eq!(doc["authentication"], json!([format!("{did}#key-2")]));
        let resolver = verification_methods(&doc)
            .into_iter()
            .fold(StaticResolver::new(), StaticResolver::with);
        let got = resolver.resolve_verification_method(&format!("{did}#key-1"));
        assert_eq!(got.map(|m| m.public_key).ok(), Some(old));
        let got = resolver.resolve_verification_method(&format!("did:key:{W3C_KEY}"));
        assert!(got.is_ok());
        let err = resolver.resolve_verification_method(&format!("{did}#key-3"));
        assert!(matches!(err, Err(DidError::Unknown(_))));
    }
}
