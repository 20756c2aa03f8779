//! Reading and checking the audit chain. Checking walks every entry in order, recomputing
//! each hash from the entry's fields and the previous hash, and names the first broken link.
//!
//! The chain has no key, so whoever can write the database could rewrite an entry and every
//! hash after it. Checkpoints anchor it: the head's sequence number and hash, signed with
//! the audit key that only the master key yields ([`MasterKey::sign_audit`]). They are
//! made as the chain grows (every [`CHECKPOINT_EVERY`] entries), by `credence backup` and
//! `credence audit checkpoint`, and published at `GET /audit/checkpoint`; checking the
//! chain checks each stored checkpoint, and any an outsider saved, against it.

use chrono::Utc;
use credence_domain::registry::AUDIT_GENESIS;
use credence_domain::AwardId;
use credence_store::registry::{AuditCheckpointRow, AuditNameRows, AuditRow, Page};
use credence_store::{Store, Tx};
use credence_vc::keys::VerifyingKey;
use credence_vc::sealed::MasterKey;
use serde::Serialize;

pub use crate::checkpoint::{AuditCheckpoint, CHECKPOINT_EVERY, CHECKPOINT_TYPE};
use crate::desks::{IssuerDesk, OperatorDesk, OrgAdminDesk, PublicDesk};
use crate::ServiceError;

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

/// The stored checkpoints and `given` as marks in the order of their entries, once each
/// is found signed by `ours`; `Err` is the report of the first that is not.
fn checked_marks(
    stored: Vec<AuditCheckpointRow>,
    given: Option<&AuditCheckpoint>,
    ours: &VerifyingKey,
) -> Result<Vec<Mark>, ChainReport> {
    let stored = stored.into_iter().map(|row| {
        let label = format!("checkpoint seq {}", row.seq);
        (AuditCheckpoint::from(row), label)
    });
    let given = given.map(|c| (c.clone(), format!("the given checkpoint (seq {})", c.seq)));
    let mut marks = Vec::new();
    for (checkpoint, label) in stored.chain(given) {
        if let Err(why) = checkpoint.check_key(ours) {
            return Err(ChainReport {
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
    Ok(marks)
}

/// A walk along the chain in order, comparing it with the marks as it reaches their
/// entries. Each step's `Err` is the report of the chain found broken there.
struct Walk {
    /// The marks not reached yet, in the order of their entries.
    marks: std::iter::Peekable<std::vec::IntoIter<Mark>>,
    /// The last mark the chain matched.
    good: Option<Mark>,
    /// How many marks the chain matched.
    matched: usize,
    /// The hash of the last entry checked (of the empty chain at first).
    prev_hash: String,
    /// Entries checked so far, which is also the last one's sequence number.
    checked: i64,
}

impl Walk {
    fn new(marks: Vec<Mark>) -> Self {
        Self {
            marks: marks.into_iter().peekable(),
            good: None,
            matched: 0,
            prev_hash: AUDIT_GENESIS.to_owned(),
            checked: 0,
        }
    }

    /// The report of a chain broken at entry `seq`.
    fn broken(&self, seq: i64, message: String) -> ChainReport {
        ChainReport {
            entries: self.checked,
            checkpoints: self.matched,
            broken: Some((seq, message)),
        }
    }

    /// Compares the marks of entry 0 with the empty chain.
    fn genesis(&mut self) -> Result<(), ChainReport> {
        while let Some(mark) = self.marks.next_if(|m| m.seq == 0) {
            if mark.hash != AUDIT_GENESIS {
                let now = "the empty chain's hash is 64 zeros";
                return Err(rewritten(self.matched, None, &mark, now));
            }
            self.matched += 1;
            self.good = Some(mark);
        }
        Ok(())
    }

    /// Checks the next entry: its place, its link, its hash, and the marks of its entry.
    fn entry(&mut self, row: AuditRow) -> Result<(), ChainReport> {
        let expected_seq = self.checked + 1;
        if row.seq != expected_seq {
            return Err(self.broken(
                expected_seq,
                format!(
                    "entry {expected_seq} is missing (the next entry is {})",
                    row.seq
                ),
            ));
        }
        if row.prev_hash != self.prev_hash {
            return Err(self.broken(
                row.seq,
                format!(
                    "entry {} does not link to entry {}: its previous hash differs",
                    row.seq,
                    row.seq - 1
                ),
            ));
        }
        let recomputed = row.expected_hash(&self.prev_hash);
        if recomputed != row.hash {
            return Err(self.broken(
                row.seq,
                format!(
                    "entry {} was altered: its content no longer matches its hash",
                    row.seq
                ),
            ));
        }
        while let Some(mark) = self.marks.next_if(|m| m.seq == row.seq) {
            if mark.hash != row.hash {
                let now = format!("the chain has {}", row.hash);
                return Err(rewritten(self.matched, self.good.as_ref(), &mark, &now));
            }
            self.matched += 1;
            self.good = Some(mark);
        }
        self.prev_hash = row.hash;
        self.checked += 1;
        Ok(())
    }

    /// The report once every entry is read: broken if entries after the last one read
    /// were removed (the head, or a mark, names a later entry).
    fn end(mut self, head_seq: i64, head_hash: &str) -> ChainReport {
        let checked = self.checked;
        if checked != head_seq || self.prev_hash != head_hash {
            return self.broken(
                checked + 1,
                format!(
                    "the chain ends at entry {checked}, but its head records entry {head_seq}: \
                     later entries were removed"
                ),
            );
        }
        if let Some(mark) = self.marks.next() {
            return self.broken(
                checked + 1,
                format!(
                    "the chain ends at entry {checked}, but {} vouches for entry {}: \
                     entries were removed (or this is a copy older than the checkpoint)",
                    mark.label, mark.seq
                ),
            );
        }
        ChainReport {
            entries: checked,
            checkpoints: self.matched,
            broken: None,
        }
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
            .and_then(|a| named.orgs.get(a.provider_org_id.as_str()))
            .map(|o| o.name.clone()),
        "evidence" => named.evidence.get(id).map(|e| {
            let holder = account(e.holder_id.as_str());
            let whose = holder.map_or_else(String::new, |h| format!(" of {}", h.display_name));
            format!("evidence{whose} for {}", e.statement_code)
        }),
        "achievement" => achievement(id),
        "award" => named.awards.get(id).and_then(|award| {
            let what = award
                .achievement_id
                .as_ref()
                .and_then(|a| achievement(a.as_str()));
            let holder = match &award.holder_id {
                Some(h) => account(h.as_str()).map(|h| h.display_name.clone()),
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

impl OperatorDesk<'_> {
    /// Makes a checkpoint of the chain's head now (see [`make_checkpoint`]).
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn checkpoint_audit(&self) -> Result<AuditCheckpoint, ServiceError> {
        make_checkpoint(&self.store, &self.config.master_key).await
    }
}

impl PublicDesk<'_> {
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
}

impl OperatorDesk<'_> {
    /// Checks the whole chain and every stored checkpoint; `progress` is told how many
    /// entries are done.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn verify_audit_chain(
        &self,
        progress: impl FnMut(i64, i64),
    ) -> Result<ChainReport, ServiceError> {
        self.verify_audit_chain_with(None, progress).await
    }

    /// Checks the whole chain: each entry's link and hash, that every stored checkpoint is
    /// signed by this installation's audit key and matches the chain at its entry, and the
    /// same of `given`, a checkpoint saved earlier outside the database.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn verify_audit_chain_with(
        &self,
        given: Option<&AuditCheckpoint>,
        mut progress: impl FnMut(i64, i64),
    ) -> Result<ChainReport, ServiceError> {
        let tx = self.store.read().await?;
        // Checkpoints before the head: any made meanwhile are then within the chain read.
        let stored = tx.audit_checkpoints().await?;
        let marks = match checked_marks(stored, given, &self.public().audit_public_key()) {
            Ok(marks) => marks,
            Err(report) => return Ok(report),
        };
        let mut walk = Walk::new(marks);
        if let Err(report) = walk.genesis() {
            return Ok(report);
        }
        let (head_seq, head_hash) = tx.audit_head().await?;
        loop {
            let batch = tx.audit_chain(walk.checked, 1000).await?;
            if batch.is_empty() {
                break;
            }
            for row in batch {
                if let Err(report) = walk.entry(row) {
                    return Ok(report);
                }
            }
            progress(walk.checked, head_seq);
        }
        Ok(walk.end(head_seq, &head_hash))
    }
}

impl OrgAdminDesk<'_> {
    /// One organisation's audit trail, newest first.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug))]
    pub async fn org_audit(&self, page: Page) -> Result<Vec<AuditView>, ServiceError> {
        let admin = &self.admin;
        let tx = self.store.read().await?;
        let rows = tx.audit_page(Some(&admin.0.org.id), page).await?;
        named_views(&tx, rows).await
    }
}

impl IssuerDesk<'_> {
    /// The history of one award of the issuer's organisation, oldest first: who issued
    /// it and who changed its status or visibility, when and why (404 for another
    /// organisation's award).
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.issuer.0.org.slug, award_id = %award_id))]
    pub async fn award_history(&self, award_id: &AwardId) -> Result<Vec<AuditView>, ServiceError> {
        let issuer = &self.issuer;
        let id = award_id;
        let tx = self.store.read().await?;
        let org = &issuer.0.org;
        tx.award(id)
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
}

impl OperatorDesk<'_> {
    /// The whole audit trail, newest first (operator only).
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn all_audit(&self, page: Page) -> Result<Vec<AuditView>, ServiceError> {
        let tx = self.store.read().await?;
        let rows = tx.audit_page(None, page).await?;
        named_views(&tx, rows).await
    }
}
