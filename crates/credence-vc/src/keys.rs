//! Ed25519 keys: generation, Multikey encodings (`z` + base58btc with multicodec headers),
//! and the Multikey JSON key file; private key bytes are zeroized on drop and never printed.

use serde::{Deserialize, Serialize};
use std::fmt;
use zeroize::{Zeroize, Zeroizing};

/// Multicodec header of an Ed25519 public key (`ed25519-pub`, 0xed, as a varint).
const ED25519_PUB_HEADER: [u8; 2] = [0xed, 0x01];
/// Multicodec header of an Ed25519 private key (`ed25519-priv`, 0x1300, as a varint).
const ED25519_PRIV_HEADER: [u8; 2] = [0x80, 0x26];

/// Why a key could not be read or made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Not multibase base58btc.
    #[error("The {0} must be multibase base58btc: a 'z' followed by base58 characters.")]
    NotBase58Btc(&'static str),
    /// Wrong multicodec header or length.
    #[error("The {what} is not an Ed25519 Multikey: expected {expected}.")]
    WrongCodec {
        /// Which value.
        what: &'static str,
        /// What was expected.
        expected: &'static str,
    },
    /// The bytes are not a valid Ed25519 public key.
    #[error("The public key bytes are not a valid Ed25519 point.")]
    InvalidPublicKey,
    /// The private key does not belong to the public key given with it.
    #[error("The private key does not match the public key given with it.")]
    Mismatch,
    /// The key file is not in the expected JSON form.
    #[error("The key file is not a Multikey JSON key pair: {0}")]
    File(String),
    /// The key file has no private key.
    #[error("The key file holds no private key (privateKeyMultibase or secretKeyMultibase).")]
    NoPrivateKey,
    /// The operating system gave no randomness.
    #[error("The operating system could not provide randomness for a new key: {0}")]
    Randomness(String),
}

fn decode_z(value: &str, what: &'static str) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let rest = value
        .strip_prefix('z')
        .ok_or(KeyError::NotBase58Btc(what))?;
    bs58::decode(rest)
        .into_vec()
        .map(Zeroizing::new)
        .map_err(|_| KeyError::NotBase58Btc(what))
}

fn encode_z(header: [u8; 2], body: &[u8]) -> Zeroizing<String> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(2 + body.len()));
    bytes.extend_from_slice(&header);
    bytes.extend_from_slice(body);
    let mut out = Zeroizing::new(String::from("z"));
    out.push_str(&bs58::encode(bytes.as_slice()).into_string());
    out
}

/// An Ed25519 public key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct VerifyingKey(ed25519_dalek::VerifyingKey);

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VerifyingKey({})", self.to_multibase())
    }
}

impl VerifyingKey {
    /// From the 32 raw key bytes.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, KeyError> {
        ed25519_dalek::VerifyingKey::from_bytes(bytes)
            .map(Self)
            .map_err(|_| KeyError::InvalidPublicKey)
    }

    /// From `publicKeyMultibase`: `z` + base58btc(0xed 0x01 ‖ key).
    pub fn from_multibase(value: &str) -> Result<Self, KeyError> {
        let bytes = decode_z(value, "public key")?;
        let key = bytes
            .strip_prefix(&ED25519_PUB_HEADER)
            .and_then(|k| <&[u8; 32]>::try_from(k).ok())
            .ok_or(KeyError::WrongCodec {
                what: "public key",
                expected: "the header 0xed 0x01 followed by 32 bytes",
            })?;
        Self::from_bytes(key)
    }

    /// The `publicKeyMultibase` form.
    pub fn to_multibase(&self) -> String {
        encode_z(ED25519_PUB_HEADER, self.0.as_bytes()).to_string()
    }

    /// The 32 raw key bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        self.0.as_bytes()
    }

    /// The `did:key` DID of this key.
    pub fn did_key(&self) -> String {
        format!("did:key:{}", self.to_multibase())
    }

    /// The `did:key` verification method id of this key (`did:key:z…#z…`).
    pub fn did_key_verification_method(&self) -> String {
        let mb = self.to_multibase();
        format!("did:key:{mb}#{mb}")
    }

    /// Whether `signature` is a valid (strict) Ed25519 signature of `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(signature) = ed25519_dalek::Signature::from_slice(signature) else {
            return false;
        };
        self.0.verify_strict(message, &signature).is_ok()
    }

    /// Whether `signature`, in its multibase form ([`signature_to_multibase`]), is a valid
    /// signature of `message`; a malformed value is simply not valid.
    pub fn verify_multibase(&self, message: &[u8], signature: &str) -> bool {
        signature
            .strip_prefix('z')
            .and_then(|rest| bs58::decode(rest).into_vec().ok())
            .is_some_and(|bytes| self.verify(message, &bytes))
    }
}

/// A signature's multibase form: `z` + base58btc, as in a Data Integrity `proofValue`.
pub fn signature_to_multibase(signature: &[u8; 64]) -> String {
    format!("z{}", bs58::encode(signature).into_string())
}

/// An Ed25519 private key. The key bytes are zeroized when it is dropped (the inner
/// `ed25519_dalek::SigningKey` is `ZeroizeOnDrop`) and its `Debug` shows only the public key.
#[derive(Clone)]
pub struct SigningKey(ed25519_dalek::SigningKey);

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("public", &self.verifying_key().to_multibase())
            .field("secret", &"[redacted]")
            .finish()
    }
}

impl SigningKey {
    /// A new random key from the operating system's generator.
    pub fn generate() -> Result<Self, KeyError> {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut_slice()).map_err(|e| KeyError::Randomness(e.to_string()))?;
        Ok(Self::from_seed(&seed))
    }

    /// From a 32-byte seed.
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self(ed25519_dalek::SigningKey::from_bytes(seed))
    }

    /// From `privateKeyMultibase` / `secretKeyMultibase`: `z` + base58btc(0x80 0x26 ‖ seed),
    /// or the older form with the public key appended (which must then match).
    pub fn from_multibase(value: &str) -> Result<Self, KeyError> {
        let bytes = decode_z(value, "private key")?;
        let body = bytes
            .strip_prefix(&ED25519_PRIV_HEADER)
            .ok_or(KeyError::WrongCodec {
                what: "private key",
                expected: "the header 0x80 0x26 followed by a 32-byte seed",
            })?;
        let (seed, public) = match body.len() {
            32 => (body, None),
            64 => (&body[..32], Some(&body[32..])),
            _ => {
                return Err(KeyError::WrongCodec {
                    what: "private key",
                    expected: "the header 0x80 0x26 followed by a 32-byte seed",
                });
            }
        };
        let mut seed_array = Zeroizing::new([0u8; 32]);
        seed_array.copy_from_slice(seed);
        let key = Self::from_seed(&seed_array);
        if public.is_some_and(|p| p != key.verifying_key().as_bytes()) {
            return Err(KeyError::Mismatch);
        }
        Ok(key)
    }

    /// The `privateKeyMultibase` form (`z` + base58btc(0x80 0x26 ‖ seed)).
    pub fn to_multibase(&self) -> Zeroizing<String> {
        let seed = Zeroizing::new(self.0.to_bytes());
        encode_z(ED25519_PRIV_HEADER, seed.as_slice())
    }

    /// The 32-byte seed, for sealing at rest ([`crate::sealed`]); zeroized on drop.
    pub(crate) fn seed(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// The matching public key.
    pub fn verifying_key(&self) -> VerifyingKey {
        VerifyingKey(self.0.verifying_key())
    }

    /// An Ed25519 signature of `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        use ed25519_dalek::Signer;
        self.0.sign(message).to_bytes()
    }
}

/// The Multikey JSON key file (as in the W3C vc-di-eddsa `keyPair.json`). Holds the private
/// key as text, which is zeroized on drop; there is deliberately no `Debug`.
pub struct KeyPairFile {
    /// The verification method id, if recorded.
    pub id: Option<String>,
    /// The controller (DID), if recorded.
    pub controller: Option<String>,
    /// `publicKeyMultibase`.
    pub public_key_multibase: String,
    private_key_multibase: Option<Zeroizing<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyPairFileIn {
    #[serde(default)]
    id: Option<String>,
    #[serde(default, alias = "verificationMethod")]
    verification_method_id: Option<String>,
    #[serde(default)]
    controller: Option<String>,
    public_key_multibase: String,
    #[serde(default, alias = "secretKeyMultibase")]
    private_key_multibase: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct KeyPairFileOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    controller: Option<&'a str>,
    public_key_multibase: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    private_key_multibase: Option<&'a str>,
}

impl KeyPairFile {
    /// A key file for `key`, optionally with its verification method id and controller.
    pub fn new(key: &SigningKey, id: Option<String>, controller: Option<String>) -> Self {
        Self {
            id,
            controller,
            public_key_multibase: key.verifying_key().to_multibase(),
            private_key_multibase: Some(key.to_multibase()),
        }
    }

    /// Reads the JSON form. Accepts `privateKeyMultibase` or `secretKeyMultibase`.
    pub fn from_json(text: &str) -> Result<Self, KeyError> {
        let mut parsed: KeyPairFileIn =
            serde_json::from_str(text).map_err(|e| KeyError::File(e.to_string()))?;
        let private = parsed.private_key_multibase.take().map(Zeroizing::new);
        Ok(Self {
            id: parsed.id.or(parsed.verification_method_id),
            controller: parsed.controller,
            public_key_multibase: parsed.public_key_multibase,
            private_key_multibase: private,
        })
    }

    /// Writes the JSON form (pretty-printed); the result holds the private key.
    pub fn to_json(&self) -> Zeroizing<String> {
        let out = KeyPairFileOut {
            kind: "Multikey",
            id: self.id.as_deref(),
            controller: self.controller.as_deref(),
            public_key_multibase: &self.public_key_multibase,
            private_key_multibase: self.private_key_multibase.as_ref().map(|s| s.as_str()),
        };
        // Serialising this struct of strings cannot fail.
        let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
        let result = Zeroizing::new(text.clone());
        text.zeroize();
        result
    }

    /// The public key, checked.
    pub fn verifying_key(&self) -> Result<VerifyingKey, KeyError> {
        VerifyingKey::from_multibase(&self.public_key_multibase)
    }

    /// The private key, checked against the public key.
    pub fn signing_key(&self) -> Result<SigningKey, KeyError> {
        let private = self
            .private_key_multibase
            .as_ref()
            .ok_or(KeyError::NoPrivateKey)?;
        let key = SigningKey::from_multibase(private)?;
        if key.verifying_key() != self.verifying_key()? {
            return Err(KeyError::Mismatch);
        }
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors");

    fn read(path: &str) -> String {
        std::fs::read_to_string(format!("{VECTORS}/{path}"))
            .unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
    }

    #[test]
    fn vector_key_files_round_trip() {
        for path in ["vc-di-eddsa/keyPair.json", "1edtech-ob3/key.json"] {
            let file = KeyPairFile::from_json(&read(path)).unwrap_or_else(|e| panic!("{e}"));
            let key = file.signing_key().unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(
                key.verifying_key().to_multibase(),
                file.public_key_multibase
            );
            let again = KeyPairFile::from_json(&file.to_json()).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(again.public_key_multibase, file.public_key_multibase);
            assert_eq!(
                again.signing_key().map(|k| k.to_multibase()).ok(),
                Some(key.to_multibase())
            );
        }
        // The W3C private key is re-encoded to the same text.
        let file = KeyPairFile::from_json(&read("vc-di-eddsa/keyPair.json")).ok();
        let key = file.and_then(|f| f.signing_key().ok());
        assert_eq!(
            key.map(|k| k.to_multibase().to_string()).as_deref(),
            Some("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
        );
    }

    #[test]
    fn generated_keys_sign_and_verify() {
        let key = SigningKey::generate().unwrap_or_else(|e| panic!("{e}"));
        let other = SigningKey::generate().unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(key.verifying_key(), other.verifying_key());
        let sig = key.sign(b"hello");
        assert!(key.verifying_key().verify(b"hello", &sig));
        assert!(!key.verifying_key().verify(b"hellO", &sig));
        assert!(!other.verifying_key().verify(b"hello", &sig));
        assert!(!key.verifying_key().verify(b"hello", &sig[..63]));
        let text = signature_to_multibase(&sig);
        assert!(key.verifying_key().verify_multibase(b"hello", &text));
        assert!(!other.verifying_key().verify_multibase(b"hello", &text));
        for bad in ["", "z", "z0OIl", &text[1..], &text[..20]] {
            assert!(
                !key.verifying_key().verify_multibase(b"hello", bad),
                "{bad}"
            );
        }
    }

    #[test]
    fn debug_never_shows_private_key_bytes() {
        let key = SigningKey::from_seed(&[7u8; 32]);
        let secret = key.to_multibase();
        let shown = format!("{key:?} {:#?}", key);
        assert!(!shown.contains(secret.as_str()), "{shown}");
        assert!(!shown.contains(&secret[1..12]), "{shown}");
        assert!(!shown.contains("7, 7, 7"), "{shown}");
        assert!(!shown.contains("0707"), "{shown}");
        assert!(shown.contains(&key.verifying_key().to_multibase()));
    }

    fn check_bad_public(value: &str, needle: &str) {
        match VerifyingKey::from_multibase(value) {
            Ok(_) => panic!("{value} should be refused"),
            Err(e) => assert!(e.to_string().contains(needle), "{value}: {e}"),
        }
    }

    #[test]
    fn malformed_multibase_is_refused() {
        let good_private = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";
        for (value, needle) in [
            ("", "base58btc"),
            ("u6MkrJVnaZkeFzdQ", "base58btc"),
            ("z0OIl", "base58btc"),
            (
                "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ",
                "Ed25519 Multikey",
            ),
            (good_private, "Ed25519 Multikey"),
            ("z", "Ed25519 Multikey"),
        ] {
            check_bad_public(value, needle);
        }
        for value in [
            "",
            "z",
            "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
            "zzzz",
        ] {
            assert!(SigningKey::from_multibase(value).is_err(), "{value}");
        }
        for text in ["", "{", "[]", r#"{"publicKeyMultibase": 5}"#] {
            assert!(KeyPairFile::from_json(text).is_err(), "{text}");
        }
        let no_private = KeyPairFile::from_json(
            r#"{"publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}"#,
        );
        assert!(matches!(
            no_private.map(|f| f.signing_key().err()),
            Ok(Some(KeyError::NoPrivateKey))
        ));
        let mismatch = KeyPairFile::from_json(&format!(
            r#"{{"publicKeyMultibase": "z6MkhWqdDBPojHA7cprTGTt5yHv5yUi1B8cnXn8ReLumkw6E", "privateKeyMultibase": "{good_private}"}}"#
        ));
        assert!(matches!(
            mismatch.map(|f| f.signing_key().err()),
            Ok(Some(KeyError::Mismatch))
        ));
    }
}
