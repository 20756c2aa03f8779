//! Reading and checking the audit chain. Checking walks every entry in order, recomputing
//! each hash from the entry's fields and the previous hash, and names the first broken link.
//!
//! The chain has no key, so whoever can write the database could rewrite an entry and every
//! hash after it. Checkpoints anchor it: the head's sequence number and hash, signed with
//! the audit key that only the master key yields ([`MasterKey::sign_audit`]). They are
//! made as the chain grows (every [`CHECKPOINT_EVERY`] entries), by `credence backup` and
//! `credence audit checkpoint`, and published at `GET /audit/checkpoint`; checking the
//! chain checks each stored checkpoint, and any an outsider saved, against it.

use credence_domain::registry::AUDIT_GENESIS;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use credence_store::registry::{
    AuditCheckpointRow, AuditCheckpointer, AuditNameRows, AuditRow, Page,
};
use credence_store::{Store, Tx};
use credence_vc::keys::{signature_to_multibase, VerifyingKey};
use credence_vc::sealed::MasterKey;
use serde::{Deserialize, Serialize};

use crate::actor::{Issuer, OperatorPower, OrgAdmin};
use crate::registry::Registry;
use crate::ServiceError;

/// A checkpoint is made whenever appending carries the chain past a multiple of this.
pub const CHECKPOINT_EVERY: i64 = 100;

/// The `type` of a checkpoint document.
pub const CHECKPOINT_TYPE: &str = "CredenceAuditCheckpoint";

/// What a chain check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    /// Entries checked (when the chain is broken: those known to hold).
    pub entries: i64,
    /// Checkpoints found valid and matching the chain (stored ones and the one given).
    pub checkpoints: usize,
    /// The first broken link, if any: its sequence number and what is wrong.
    pub broken: Option<(i64, String)>,
}

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

/// Makes a checkpoint of the chain's head now, or returns the one of the head made before
/// with the same key. For the operator's commands (`credence audit checkpoint`, `credence
/// backup`), which hold the master key.
pub async fn make_checkpoint(
    store: &Store,
    master: &MasterKey,
) -> Result<AuditCheckpoint, ServiceError> {
    let tx = store.write().await?;
    let (seq, hash) = tx.lock_audit_head().await?;
    let ours = master.audit_verifying_key().to_multibase();
    if let Some(latest) = tx.latest_audit_checkpoint().await? {
        if latest.seq == seq && latest.hash == hash && latest.public_key_multibase == ours {
            return Ok(latest.into());
        }
    }
    let checkpoint = AuditCheckpoint::sign(master, seq, &hash, Utc::now());
    if !tx
        .insert_audit_checkpoint(checkpoint.clone().into())
        .await?
    {
        return Err(ServiceError::Conflict(format!(
            "a different checkpoint of entry {seq} is stored: `credence audit verify` says which"
        )));
    }
    tx.commit().await?;
    Ok(checkpoint)
}

/// A checkpoint the walk compares the chain with.
struct Mark {
    seq: i64,
    hash: String,
    /// How messages name it.
    label: String,
}

/// The report of a chain that no longer matches `mark`, rewritten after `good` (the last
/// checkpoint that matched) or from the start; `now` says what the chain holds instead.
fn rewritten(matched: usize, good: Option<&Mark>, mark: &Mark, now: &str) -> ChainReport {
    let (after, first) = match good {
        Some(g) => (
            format!("after checkpoint seq {} (hash {})", g.seq, g.hash),
            g.seq + 1,
        ),
        None => ("from its start".to_owned(), 1),
    };
    let which = if first >= mark.seq {
        format!("entry {first} differs")
    } else {
        format!(
            "entry {first} differs, or one after it up to entry {}",
            mark.seq
        )
    };
    ChainReport {
        entries: first - 1,
        checkpoints: matched,
        broken: Some((
            first,
            format!(
                "the chain was rewritten {after}: {which}; {} signed hash {} for entry {}, \
                 but {now}",
                mark.label, mark.hash, mark.seq
            ),
        )),
    }
}

/// An audit entry as shown.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct AuditView {
    pub seq: i64,
    pub at: String,
    /// The actor's label: `account:{id}`, `token:{id}`, `operator:…` or `anonymous`.
    pub actor: String,
    /// Who that is, for people: an account's display name and e-mail address, an API
    /// token's label (absent for the operator, and for an account or token since removed).
    pub actor_name: Option<String>,
    pub action: String,
    pub subject: String,
    /// What the subject is, for people: an account's name, an organisation's name, an
    /// achievement's name, or for an award its achievement and recipient (absent when it
    /// no longer exists or has no name).
    pub subject_name: Option<String>,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    pub hash: String,
}

fn audit_view(
    row: AuditRow,
    actor_name: Option<String>,
    subject_name: Option<String>,
) -> AuditView {
    AuditView {
        seq: row.seq,
        at: row.at.to_rfc3339(),
        actor: row.actor,
        actor_name,
        action: row.action,
        subject: row.subject,
        subject_name,
        detail: serde_json::from_str(&row.detail).unwrap_or(serde_json::Value::Null),
        hash: row.hash,
    }
}

/// Views of `rows`, each with its actor's and its subject's names, read for all the rows at
/// once (a few queries, however many rows).
async fn named_views(tx: &Tx, rows: Vec<AuditRow>) -> Result<Vec<AuditView>, ServiceError> {
    let labels: Vec<&str> = (rows.iter())
        .flat_map(|row| [row.actor.as_str(), row.subject.as_str()])
        .collect();
    let named = tx.audit_name_rows(&labels).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let actor = name_of(&named, &row.actor);
            let subject = name_of(&named, &row.subject);
            audit_view(row, actor, subject)
        })
        .collect())
}

/// The name people know an audit actor or subject by (`account:{id}`, `token:{id}`,
/// `org:{slug}`, `achievement:{id}`, `award:{id}`, `accreditation:{id}` (its provider),
/// `evidence:{id}`), when it still exists.
fn name_of(named: &AuditNameRows, label: &str) -> Option<String> {
    let (kind, id) = label.split_once(':')?;
    let account = |id: &str| named.accounts.get(id);
    let achievement = |id: &str| named.achievements.get(id).map(|a| a.name.clone());
    match kind {
        "account" => account(id).map(|a| format!("{} <{}>", a.display_name, a.email)),
        "token" => (named.tokens.get(id)).map(|t| format!("API token \u{201c}{}\u{201d}", t.label)),
        // Organisations are named by slug in the trail.
        "org" => named.orgs_by_slug.get(id).map(|o| o.name.clone()),
        "accreditation" => named
            .accreditations
            .get(id)
            .and_then(|a| named.orgs.get(&a.provider_org_id))
            .map(|o| o.name.clone()),
        "evidence" => named.evidence.get(id).map(|e| {
            let holder = account(&e.holder_id);
            let whose = holder.map_or_else(String::new, |h| format!(" of {}", h.display_name));
            format!("evidence{whose} for {}", e.statement_code)
        }),
        "achievement" => achievement(id),
        "award" => named.awards.get(id).and_then(|award| {
            let what = award.achievement_id.as_deref().and_then(achievement);
            let holder = match &award.holder_id {
                Some(h) => account(h).map(|h| h.display_name.clone()),
                None => award.recipient_email.clone(),
            };
            match (what, holder) {
                (Some(a), Some(h)) => Some(format!("{a} for {h}")),
                (a, h) => a.or(h),
            }
        }),
        _ => None,
    }
}

impl Registry {
    /// Makes a checkpoint of the chain's head now (see [`make_checkpoint`]).
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn checkpoint_audit(
        &self,
        _operator: &OperatorPower,
    ) -> Result<AuditCheckpoint, ServiceError> {
        make_checkpoint(&self.store, &self.config.master_key).await
    }

    /// The latest stored checkpoint, which anyone may read and keep (not found before the
    /// first one is made).
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn latest_audit_checkpoint(&self) -> Result<AuditCheckpoint, ServiceError> {
        let tx = self.store.read().await?;
        tx.latest_audit_checkpoint()
            .await?
            .map(AuditCheckpoint::from)
            .ok_or_else(|| ServiceError::NotFound("an audit checkpoint".into()))
    }

    /// The public key of this installation's audit key, which signs its checkpoints.
    pub fn audit_public_key(&self) -> VerifyingKey {
        self.config.master_key.audit_verifying_key()
    }

    /// Checks the whole chain and every stored checkpoint; `progress` is told how many
    /// entries are done.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn verify_audit_chain(
        &self,
        operator: &OperatorPower,
        progress: impl FnMut(i64, i64),
    ) -> Result<ChainReport, ServiceError> {
        self.verify_audit_chain_with(operator, None, progress).await
    }

    /// Checks the whole chain: each entry's link and hash, that every stored checkpoint is
    /// signed by this installation's audit key and matches the chain at its entry, and the
    /// same of `given`, a checkpoint saved earlier outside the database.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn verify_audit_chain_with(
        &self,
        _operator: &OperatorPower,
        given: Option<&AuditCheckpoint>,
        mut progress: impl FnMut(i64, i64),
    ) -> Result<ChainReport, ServiceError> {
        let tx = self.store.read().await?;
        // Checkpoints before the head: any made meanwhile are then within the chain read.
        let ours = self.audit_public_key();
        let stored = tx.audit_checkpoints().await?.into_iter().map(|row| {
            let label = format!("checkpoint seq {}", row.seq);
            (AuditCheckpoint::from(row), label)
        });
        let given = given.map(|c| (c.clone(), format!("the given checkpoint (seq {})", c.seq)));
        let mut marks = Vec::new();
        for (checkpoint, label) in stored.chain(given) {
            if let Err(why) = checkpoint.check_key(&ours) {
                return Ok(ChainReport {
                    entries: 0,
                    checkpoints: 0,
                    broken: Some((checkpoint.seq, format!("{label} is not valid: {why}"))),
                });
            }
            marks.push(Mark {
                seq: checkpoint.seq,
                hash: checkpoint.hash,
                label,
            });
        }
        marks.sort_by_key(|m| m.seq);
        let mut marks = marks.into_iter().peekable();
        let mut good: Option<Mark> = None;
        let mut matched = 0;
        while let Some(mark) = marks.next_if(|m| m.seq == 0) {
            if mark.hash != AUDIT_GENESIS {
                let now = "the empty chain's hash is 64 zeros";
                return Ok(rewritten(matched, None, &mark, now));
            }
            matched += 1;
            good = Some(mark);
        }
        let (head_seq, head_hash) = tx.audit_head().await?;
        let mut prev_hash = AUDIT_GENESIS.to_owned();
        let mut expected_seq = 1;
        let mut checked = 0;
        loop {
            let batch = tx.audit_chain(expected_seq - 1, 1000).await?;
            if batch.is_empty() {
                break;
            }
            for row in batch {
                if row.seq != expected_seq {
                    return Ok(ChainReport {
                        entries: checked,
                        checkpoints: matched,
                        broken: Some((
                            expected_seq,
                            format!(
                                "entry {expected_seq} is missing (the next entry is {})",
                                row.seq
                            ),
                        )),
                    });
                }
                if row.prev_hash != prev_hash {
                    return Ok(ChainReport {
                        entries: checked,
                        checkpoints: matched,
                        broken: Some((
                            row.seq,
                            format!(
                                "entry {} does not link to entry {}: its previous hash differs",
                                row.seq,
                                row.seq - 1
                            ),
                        )),
                    });
                }
                let recomputed = row.expected_hash(&prev_hash);
                if recomputed != row.hash {
                    return Ok(ChainReport {
                        entries: checked,
                        checkpoints: matched,
                        broken: Some((
                            row.seq,
                            format!(
                                "entry {} was altered: its content no longer matches its hash",
                                row.seq
                            ),
                        )),
                    });
                }
                while let Some(mark) = marks.next_if(|m| m.seq == row.seq) {
                    if mark.hash != row.hash {
                        let now = format!("the chain has {}", row.hash);
                        return Ok(rewritten(matched, good.as_ref(), &mark, &now));
                    }
                    matched += 1;
                    good = Some(mark);
                }
                prev_hash = row.hash;
                expected_seq += 1;
                checked += 1;
            }
            progress(checked, head_seq);
        }
        if checked != head_seq || prev_hash != head_hash {
            let seq = checked + 1;
            return Ok(ChainReport {
                entries: checked,
                checkpoints: matched,
                broken: Some((seq, format!("the chain ends at entry {checked}, but its head records entry {head_seq}: later entries were removed"))),
            });
        }
        if let Some(mark) = marks.next() {
            return Ok(ChainReport {
                entries: checked,
                checkpoints: matched,
                broken: Some((
                    checked + 1,
                    format!(
                        "the chain ends at entry {checked}, but {} vouches for entry {}: \
                         entries were removed (or this is a copy older than the checkpoint)",
                        mark.label, mark.seq
                    ),
                )),
            });
        }
        Ok(ChainReport {
            entries: checked,
            checkpoints: matched,
            broken: None,
        })
    }

    /// One organisation's audit trail, newest first.
    #[tracing::instrument(level = "info", skip_all, fields(org = %admin.0.org.slug))]
    pub async fn org_audit(
        &self,
        admin: &OrgAdmin,
        page: Page,
    ) -> Result<Vec<AuditView>, ServiceError> {
        let tx = self.store.read().await?;
        let rows = tx.audit_page(Some(&admin.0.org.id), page).await?;
        named_views(&tx, rows).await
    }

    /// The history of one award of the issuer's organisation, oldest first: who issued
    /// it and who changed its status or visibility, when and why (404 for another
    /// organisation's award).
    #[tracing::instrument(level = "info", skip_all, fields(org = %issuer.0.org.slug, award_id = %award_id))]
    pub async fn award_history(
        &self,
        issuer: &Issuer,
        award_id: &str,
    ) -> Result<Vec<AuditView>, ServiceError> {
        let id = crate::awards::uuid_id(award_id, "award")?;
        let tx = self.store.read().await?;
        let org = &issuer.0.org;
        tx.award(&id)
            .await?
            .filter(|a| a.org_id == org.id)
            .ok_or_else(|| ServiceError::NotFound(format!("award '{id}'")))?;
        let rows = tx
            .audit_of_subject(
                &org.id,
                &format!("award:{id}"),
                Page::new(0, Page::MAX_LIMIT),
            )
            .await?;
        named_views(&tx, rows).await
    }

    /// The whole audit trail, newest first (operator only).
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn all_audit(
        &self,
        _operator: &OperatorPower,
        page: Page,
    ) -> Result<Vec<AuditView>, ServiceError> {
        let tx = self.store.read().await?;
        let rows = tx.audit_page(None, page).await?;
        named_views(&tx, rows).await
    }
}
