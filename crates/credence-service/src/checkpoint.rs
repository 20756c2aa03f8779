//! Signed checkpoints of the audit chain, and the store that makes one as the chain grows.
//! Apart from `audit_chain` (which reads and checks the chain) so that the registry, which
//! wraps its store with [`checkpointing`], depends on this and not on the use cases.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use credence_store::registry::{AuditCheckpointRow, AuditCheckpointer};
use credence_store::Store;
use credence_vc::keys::{signature_to_multibase, VerifyingKey};
use credence_vc::sealed::MasterKey;
use serde::{Deserialize, Serialize};

/// A checkpoint is made whenever appending carries the chain past a multiple of this.
pub const CHECKPOINT_EVERY: i64 = 100;

/// The `type` of a checkpoint document.
pub const CHECKPOINT_TYPE: &str = "CredenceAuditCheckpoint";

/// A signed checkpoint of the audit chain: this installation's audit key says that entry
/// `seq` of the chain had hash `hash` at time `at`. The JSON form is what is published and
/// what an auditor keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuditCheckpoint {
    /// Always [`CHECKPOINT_TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The entry's sequence number (0: the empty chain, whose hash is 64 zeros).
    pub seq: i64,
    /// The entry's hash (SHA-256, lowercase hexadecimal).
    pub hash: String,
    /// When the checkpoint was signed (RFC 3339).
    pub at: String,
    /// The audit key's public key (Ed25519 Multikey, `z6Mk…`).
    pub public_key_multibase: String,
    /// The Ed25519 signature of [`AuditCheckpoint::signed_bytes`] (multibase, `z…`).
    pub signature: String,
}

impl AuditCheckpoint {
    /// The bytes signed: the UTF-8 of `credence-audit-checkpoint`, the sequence number in
    /// decimal, the hash and the time exactly as in the document, joined by `\n` (no
    /// newline at the end).
    pub fn signed_bytes(seq: i64, hash: &str, at: &str) -> Vec<u8> {
        format!("credence-audit-checkpoint\n{seq}\n{hash}\n{at}").into_bytes()
    }

    /// A checkpoint of entry `seq` with `hash`, signed now with `master`'s audit key.
    pub fn sign(master: &MasterKey, seq: i64, hash: &str, at: DateTime<Utc>) -> Self {
        let at = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let signature = master.sign_audit(&Self::signed_bytes(seq, hash, &at));
        Self {
            kind: CHECKPOINT_TYPE.to_owned(),
            seq,
            hash: hash.to_owned(),
            at,
            public_key_multibase: master.audit_verifying_key().to_multibase(),
            signature: signature_to_multibase(&signature),
        }
    }

    /// Checks the document on its own: its type, and its signature with its own public
    /// key. Anyone can do this; [`AuditCheckpoint::check_key`] also checks whose key it is.
    pub fn check_signature(&self) -> Result<(), String> {
        if self.kind != CHECKPOINT_TYPE {
            return Err(format!(
                "its type is \"{}\", not \"{CHECKPOINT_TYPE}\"",
                self.kind
            ));
        }
        if self.seq < 0 {
            return Err("its sequence number is negative".into());
        }
        let key = VerifyingKey::from_multibase(&self.public_key_multibase)
            .map_err(|e| format!("its publicKeyMultibase is not usable: {e}"))?;
        if !key.verify_multibase(
            &Self::signed_bytes(self.seq, &self.hash, &self.at),
            &self.signature,
        ) {
            return Err("its signature does not verify with its public key".into());
        }
        Ok(())
    }

    /// Checks the signature and that it is by `ours`, this installation's audit key.
    pub fn check_key(&self, ours: &VerifyingKey) -> Result<(), String> {
        self.check_signature()?;
        let ours = ours.to_multibase();
        if self.public_key_multibase != ours {
            return Err(format!(
                "it is signed by another key ({}), not this installation's audit key ({ours})",
                self.public_key_multibase
            ));
        }
        Ok(())
    }
}

impl From<AuditCheckpointRow> for AuditCheckpoint {
    fn from(row: AuditCheckpointRow) -> Self {
        Self {
            kind: CHECKPOINT_TYPE.to_owned(),
            seq: row.seq,
            hash: row.hash,
            at: row.at,
            public_key_multibase: row.public_key_multibase,
            signature: row.signature,
        }
    }
}

impl From<AuditCheckpoint> for AuditCheckpointRow {
    fn from(checkpoint: AuditCheckpoint) -> Self {
        Self {
            seq: checkpoint.seq,
            hash: checkpoint.hash,
            at: checkpoint.at,
            public_key_multibase: checkpoint.public_key_multibase,
            signature: checkpoint.signature,
        }
    }
}

/// `store`, making a checkpoint signed with `master`'s audit key whenever appending carries
/// the chain past a multiple of [`CHECKPOINT_EVERY`].
pub(crate) fn checkpointing(store: Store, master: &MasterKey) -> Store {
    let master = master.clone();
    store.with_audit_checkpoints(AuditCheckpointer {
        every: CHECKPOINT_EVERY,
        sign: Arc::new(move |seq, hash| {
            AuditCheckpoint::sign(&master, seq, hash, Utc::now()).into()
        }),
    })
}
