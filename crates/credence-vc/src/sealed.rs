//! Signing keys sealed at rest: XChaCha20-Poly1305 under the installation's master key,
//! which lives in a key file and never enters the database. The sealed form binds the key
//! to what it is for (associated data, e.g. the key's id), so a sealed key copied onto
//! another record does not open.
//!
//! The master key also yields the installation's audit key (an Ed25519 key that signs
//! checkpoints of the audit chain), derived when needed and never stored or returned.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use crate::keys::{SigningKey, VerifyingKey};

/// The version byte that starts every sealed key.
const VERSION: u8 = 1;
const NONCE_LEN: usize = 24;
/// Separates the audit key's derivation from every other use of the master key.
const AUDIT_KEY_LABEL: &[u8] = b"credence-audit-checkpoint-key-v1";
const LINK_KEY_LABEL: &[u8] = b"credence-link-mac-key-v1";

/// Why a master key or a sealed key could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// The master key file does not hold 32 bytes as 64 hexadecimal characters.
    #[error("The master key must be 64 hexadecimal characters (32 bytes).")]
    BadMasterKey,
    /// The sealed bytes are not in the expected form.
    #[error("The sealed key is not in Credence's sealed form (version {VERSION}).")]
    Malformed,
    /// Authentication failed: another master key, or the sealed bytes were altered.
    #[error("The sealed key does not open with this master key (wrong master key, or the stored key was altered).")]
    WrongKey,
    /// The operating system gave no randomness.
    #[error("The operating system could not provide randomness: {0}")]
    Randomness(String),
}

/// The installation's master key. Zeroized on drop; its `Debug` shows nothing secret.
pub struct MasterKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey([redacted])")
    }
}

impl Clone for MasterKey {
    fn clone(&self) -> Self {
        Self(Zeroizing::new(*self.0))
    }
}

impl MasterKey {
    /// A new random master key.
    pub fn generate() -> Result<Self, SealError> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut_slice()).map_err(|e| SealError::Randomness(e.to_string()))?;
        Ok(Self(bytes))
    }

    /// From the key file's text: 64 hexadecimal characters, surrounding whitespace allowed.
    pub fn from_hex(text: &str) -> Result<Self, SealError> {
        let text = text.trim();
        let mut bytes = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(text, bytes.as_mut_slice()).map_err(|_| SealError::BadMasterKey)?;
        Ok(Self(bytes))
    }

    /// The key file's text: 64 hexadecimal characters and a newline.
    pub fn to_hex(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(hex::encode(self.0.as_slice()));
        out.push('\n');
        out
    }

    /// The audit key: the Ed25519 key whose seed is SHA-256(label ‖ 0x00 ‖ master key).
    /// Deterministic, so it is derived each time and never stored; it stays in this module.
    fn audit_key(&self) -> SigningKey {
        let mut digest = Sha256::new()
            .chain_update(AUDIT_KEY_LABEL)
            .chain_update([0u8])
            .chain_update(self.0.as_slice())
            .finalize();
        let mut seed = Zeroizing::new([0u8; 32]);
        seed.copy_from_slice(&digest);
        digest.as_mut_slice().zeroize();
        SigningKey::from_seed(&seed)
    }

    /// The public half of the audit key: what anyone checks audit checkpoints with.
    pub fn audit_verifying_key(&self) -> VerifyingKey {
        self.audit_key().verifying_key()
    }

    /// An Ed25519 signature of `message` by the audit key.
    pub fn sign_audit(&self, message: &[u8]) -> [u8; 64] {
        self.audit_key().sign(message)
    }

    /// HMAC-SHA256 of `message` under the link key (SHA-256(label ‖ 0x00 ‖ master key)):
    /// authenticates links the registry keeps no record of, such as one-click unsubscribe.
    pub fn link_mac(&self, message: &[u8]) -> [u8; 32] {
        use hmac::Mac;
        let mut mac = self.link_hmac();
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    /// Whether `tag` is [`Self::link_mac`] of `message`, compared in constant time.
    pub fn link_mac_matches(&self, message: &[u8], tag: &[u8]) -> bool {
        use hmac::Mac;
        let mut mac = self.link_hmac();
        mac.update(message);
        mac.verify_slice(tag).is_ok()
    }

    fn link_hmac(&self) -> hmac::Hmac<Sha256> {
        use hmac::Mac;
        let mut key = Sha256::new()
            .chain_update(LINK_KEY_LABEL)
            .chain_update([0u8])
            .chain_update(self.0.as_slice())
            .finalize();
        let mac = <hmac::Hmac<Sha256> as Mac>::new_from_slice(key.as_slice())
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        key.as_mut_slice().zeroize();
        mac
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.0.as_slice().into())
    }

    /// Seals `key`, bound to `context` (e.g. the key record's id): version ‖ nonce ‖
    /// ciphertext of the 32-byte seed with its tag.
    pub fn seal(&self, key: &SigningKey, context: &[u8]) -> Result<Vec<u8>, SealError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|e| SealError::Randomness(e.to_string()))?;
        let seed = key.seed();
        let sealed = self
            .cipher()
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: seed.as_slice(),
                    aad: context,
                },
            )
            .map_err(|_| SealError::Malformed)?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens a key sealed by [`MasterKey::seal`] with the same `context`.
    pub fn open(&self, sealed: &[u8], context: &[u8]) -> Result<SigningKey, SealError> {
        let (&version, rest) = sealed.split_first().ok_or(SealError::Malformed)?;
        if version != VERSION || rest.len() != NONCE_LEN + 32 + 16 {
            return Err(SealError::Malformed);
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let seed = Zeroizing::new(
            self.cipher()
                .decrypt(
                    XNonce::from_slice(nonce),
                    Payload {
                        msg: ciphertext,
                        aad: context,
                    },
                )
                .map_err(|_| SealError::WrongKey)?,
        );
        let mut array = Zeroizing::new([0u8; 32]);
        array.copy_from_slice(&seed);
        Ok(SigningKey::from_seed(&array))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_macs_check_their_message_and_key() {
        let key = MasterKey::generate().expect("a key");
        let tag = key.link_mac(b"account:awarded");
        assert!(key.link_mac_matches(b"account:awarded", &tag));
        assert!(!key.link_mac_matches(b"account:status", &tag));
        assert!(!key.link_mac_matches(b"account:awarded", &tag[..31]));
        let mut bent = tag;
        bent[0] ^= 1;
        assert!(!key.link_mac_matches(b"account:awarded", &bent));
        let other = MasterKey::generate().expect("another key");
        assert!(!other.link_mac_matches(b"account:awarded", &tag));
    }

    #[test]
    fn a_sealed_key_opens_only_with_its_master_key_and_context() {
        let master = MasterKey::generate().unwrap();
        let key = SigningKey::generate().unwrap();
        let sealed = master.seal(&key, b"key-1").unwrap();
        assert_eq!(sealed.len(), 1 + 24 + 32 + 16);
        let opened = master.open(&sealed, b"key-1").unwrap();
        assert_eq!(opened.verifying_key(), key.verifying_key());

        assert_eq!(
            master.open(&sealed, b"key-2").unwrap_err(),
            SealError::WrongKey
        );
        let other = MasterKey::generate().unwrap();
        assert_eq!(
            other.open(&sealed, b"key-1").unwrap_err(),
            SealError::WrongKey
        );
        let mut altered = sealed.clone();
        *altered.last_mut().unwrap() ^= 1;
        assert_eq!(
            master.open(&altered, b"key-1").unwrap_err(),
            SealError::WrongKey
        );
        assert_eq!(
            master.open(&sealed[..10], b"key-1").unwrap_err(),
            SealError::Malformed
        );
        // The seed never appears in the sealed bytes.
        let seed = key.seed();
        assert!(!sealed.windows(32).any(|w| w == seed.as_slice()));
    }

    #[test]
    fn the_audit_key_is_derived_from_the_master_key_alone() {
        let master = MasterKey::from_hex(&"11".repeat(32)).unwrap();
        let again = MasterKey::from_hex(&"11".repeat(32)).unwrap();
        let other = MasterKey::from_hex(&"12".repeat(32)).unwrap();
        let public = master.audit_verifying_key();
        assert_eq!(public, again.audit_verifying_key());
        assert_ne!(public, other.audit_verifying_key());
        let signature = master.sign_audit(b"checkpoint");
        assert!(public.verify(b"checkpoint", &signature));
        assert!(!other
            .audit_verifying_key()
            .verify(b"checkpoint", &signature));
        // Not the master key used directly as a seed.
        let plain = SigningKey::from_seed(&[0x11; 32]).verifying_key();
        assert_ne!(public, plain);
    }

    #[test]
    fn the_master_key_round_trips_through_its_file_form_and_hides_in_debug() {
        let master = MasterKey::generate().unwrap();
        let text = master.to_hex();
        assert_eq!(text.len(), 65);
        let again = MasterKey::from_hex(&text).unwrap();
        let key = SigningKey::generate().unwrap();
        let sealed = master.seal(&key, b"x").unwrap();
        assert!(again.open(&sealed, b"x").is_ok());
        let debug = format!("{master:?}");
        assert_eq!(debug, "MasterKey([redacted])");
        assert!(!debug.contains(text.trim()));
        for bad in ["", "00", &"g".repeat(64), &"0".repeat(66)] {
            assert_eq!(
                MasterKey::from_hex(bad).unwrap_err(),
                SealError::BadMasterKey
            );
        }
    }
}
