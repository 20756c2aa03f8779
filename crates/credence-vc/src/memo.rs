//! A memo of documents whose proofs verified, so that a credential verified again (a QR code
//! scanned at every door, an employer's system re-checking its staff) costs a hash instead
//! of a canonicalisation.
//!
//! Whether a document's proofs verify depends on the document and on the keys its
//! verification methods resolve to, nothing else. An entry is therefore keyed by the SHA-256
//! of the document's JSON text and holds, besides what verification showed, each verification
//! method with the controller and public key it resolved to. A hit counts only when every one
//! of them still resolves to the same controller and key (a resolver that no longer knows a
//! key, or knows another, makes it a miss and the proofs are verified again). Failures are
//! not remembered. Only verification is memoised: status, validity dates and the issuer's
//! standing are checked afresh every time by the caller.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::canon::Canonicalizer;
use crate::did::DidResolver;
use crate::proof::{verify_proofs, ProofError, VerifiedProof};

/// A verified document's proofs, and what their verification methods resolved to.
#[derive(Debug)]
struct Entry {
    proofs: Vec<VerifiedProof>,
    /// (verification method, controller, public key) as resolved when verified.
    keys: Vec<(String, String, [u8; 32])>,
}

/// Documents whose proofs verified, at most `capacity` of them (the memo empties itself
/// when full, which bounds its memory whatever is sent to it).
#[derive(Debug)]
pub struct ProofMemo {
    entries: Mutex<HashMap<[u8; 32], Arc<Entry>>>,
    capacity: usize,
}

/// How many documents [`ProofMemo::default`] remembers (a few MB at most).
pub const DEFAULT_CAPACITY: usize = 4096;

impl Default for ProofMemo {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY)
    }
}

impl ProofMemo {
    /// A memo of at most `capacity` documents; 0 remembers nothing.
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    /// How many documents are remembered.
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// [`verify_proofs`], answered from the memo when this very document verified before
    /// with the keys `resolver` resolves its verification methods to now.
    pub fn verify_proofs(
        &self,
        document: &Value,
        resolver: &dyn DidResolver,
        canonicalizer: &Canonicalizer,
    ) -> Result<Vec<VerifiedProof>, ProofError> {
        if self.capacity == 0 {
            return verify_proofs(document, resolver, canonicalizer);
        }
        // The JSON text is hashed as it is written, never held whole.
        let mut hasher = Sha256::new();
        if serde_json::to_writer(&mut hasher, document).is_err() {
            return verify_proofs(document, resolver, canonicalizer);
        }
        let key: [u8; 32] = hasher.finalize().into();
        let found = self.entries.lock().ok().and_then(|e| e.get(&key).cloned());
        if let Some(entry) = found {
            let same_keys = entry.keys.iter().all(|(id, controller, public_key)| {
                resolver.resolve_verification_method(id).is_ok_and(|m| {
                    &m.controller == controller && m.public_key.as_bytes() == public_key
                })
            });
            if same_keys {
                return Ok(entry.proofs.clone());
            }
        }
        let proofs = verify_proofs(document, resolver, canonicalizer)?;
        let mut keys = Vec::with_capacity(proofs.len());
        for proof in &proofs {
            match resolver.resolve_verification_method(&proof.verification_method) {
                Ok(m) => keys.push((
                    proof.verification_method.clone(),
                    m.controller,
                    *m.public_key.as_bytes(),
                )),
                // Not resolvable now, though it was a moment ago: do not remember.
                Err(_) => return Ok(proofs),
            }
        }
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= self.capacity {
                entries.clear();
            }
            entries.insert(
                key,
                Arc::new(Entry {
                    proofs: proofs.clone(),
                    keys,
                }),
            );
        }
        Ok(proofs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::did::{StaticResolver, VerificationMethod};
    use crate::keys::SigningKey;
    use crate::proof::{sign, ProofOptions};
    use serde_json::json;

    const ISSUER: &str = "did:web:issuer.example";
    const VM: &str = "did:web:issuer.example#key-1";

    fn credential() -> Value {
        json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"],
            "issuer": ISSUER,
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:holder"}
        })
    }

    fn resolver(key: &SigningKey) -> StaticResolver {
        StaticResolver::new().with(VerificationMethod {
            id: VM.to_owned(),
            controller: ISSUER.to_owned(),
            public_key: key.verifying_key(),
        })
    }

    fn signed(key: &SigningKey) -> Value {
        sign(&credential(), key, &ProofOptions::new(VM.to_owned())).expect("signed")
    }

    #[test]
    fn remembers_verified_documents_only_while_their_keys_resolve_the_same() {
        let key = SigningKey::generate().expect("a key");
        let doc = signed(&key);
        let memo = ProofMemo::new(8);
        let canonicalizer = Canonicalizer::standard();
        let first = memo
            .verify_proofs(&doc, &resolver(&key), canonicalizer)
            .expect("verifies");
        assert_eq!(memo.len(), 1);
        let again = memo
            .verify_proofs(&doc, &resolver(&key), canonicalizer)
            .expect("verifies from the memo");
        assert_eq!(first, again);
        // The issuer's key is now another one: the memo does not vouch for the document.
        let other = SigningKey::generate().expect("a key");
        assert!(memo
            .verify_proofs(&doc, &resolver(&other), canonicalizer)
            .is_err());
        // A key nobody resolves any more: not verified either.
        assert!(memo
            .verify_proofs(&doc, &StaticResolver::new(), canonicalizer)
            .is_err());
        // A changed document is another entry, and fails on its own.
        let mut changed = doc.clone();
        changed["credentialSubject"]["id"] = json!("did:example:someone-else");
        assert!(memo
            .verify_proofs(&changed, &resolver(&key), canonicalizer)
            .is_err());
        assert_eq!(memo.len(), 1, "failures are not remembered");
    }

    #[test]
    fn stays_within_its_capacity() {
        let key = SigningKey::generate().expect("a key");
        let memo = ProofMemo::new(3);
        for i in 0..10 {
            let mut doc = credential();
            doc["credentialSubject"]["id"] = json!(format!("did:example:holder-{i}"));
            let doc = sign(&doc, &key, &ProofOptions::new(VM.to_owned())).expect("signed");
            memo.verify_proofs(&doc, &resolver(&key), Canonicalizer::standard())
                .expect("verifies");
            assert!(memo.len() <= 3);
        }
        let none = ProofMemo::new(0);
        none.verify_proofs(&signed(&key), &resolver(&key), Canonicalizer::standard())
            .expect("verifies");
        assert!(none.is_empty());
    }
}
