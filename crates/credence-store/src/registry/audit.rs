//! The hash-chained audit log. Appending updates the one-row chain head in the same
//! transaction, which serialises appends across processes (PostgreSQL takes a row lock on
//! the head until commit) and gives every entry the next sequence number with no gaps.
//!
//! Signed checkpoints of the head are kept beside the chain (`audit_checkpoints`). The
//! store never holds the key that signs them: an [`AuditCheckpointer`] given by the service
//! signs, and the store keeps what it returns.

use credence_domain::OrgId;
use std::sync::Arc;

use chrono::{DateTime, SubsecRound, Utc};
use credence_domain::registry::AuditLink;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect,
    Statement,
};

use crate::entity::{audit_checkpoint, audit_entry, audit_head};
use crate::{StoreError, Tx};

use super::{AuditCheckpointRow, AuditRow, Page};

/// Signs a checkpoint of the chain's entry (sequence number, hash).
pub type CheckpointSigner = dyn Fn(i64, &str) -> AuditCheckpointRow + Send + Sync;

/// Makes checkpoints as the chain grows: whenever an append carries the head past a
/// multiple of `every`, `sign` is given the new head (sequence number and hash), and the
/// checkpoint it returns is stored in the same transaction as the entries.
#[derive(Clone)]
pub struct AuditCheckpointer {
    pub every: i64,
    pub sign: Arc<CheckpointSigner>,
}

impl std::fmt::Debug for AuditCheckpointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditCheckpointer")
            .field("every", &self.every)
            .finish_non_exhaustive()
    }
}

/// An entry to append; the store adds the sequence number and the hashes.
#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub org_id: Option<OrgId>,
    pub subject: String,
    /// JSON text.
    pub detail: String,
}

/// The stored text form of an audit time (microseconds, `Z`), which the hash covers.
pub fn audit_time_text(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

impl AuditRow {
    /// Recomputes this entry's hash from its fields and the previous entry's hash.
    pub fn expected_hash(&self, prev_hash: &str) -> String {
        let at = audit_time_text(&self.at);
        AuditLink {
            seq: self.seq,
            at: &at,
            actor: &self.actor,
            action: &self.action,
            org_id: self.org_id.as_ref().map(OrgId::as_str),
            subject: &self.subject,
            detail: &self.detail,
        }
        .hash(prev_hash)
    }
}

impl Tx {
    /// Appends an entry to the chain and returns it as stored.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn append_audit(&self, entry: NewAuditEntry) -> Result<AuditRow, StoreError> {
        self.append_chain(vec![entry])
            .await?
            .pop()
            .ok_or_else(|| StoreError::Corrupt("an audit entry was not appended".into()))
    }

    /// Appends entries to the chain, in order, with one update of the chain head and
    /// batched inserts: the same chain as appending them one at a time.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn append_audit_many(&self, entries: Vec<NewAuditEntry>) -> Result<(), StoreError> {
        self.append_chain(entries).await.map(drop)
    }

    async fn append_chain(&self, entries: Vec<NewAuditEntry>) -> Result<Vec<AuditRow>, StoreError> {
        /// Rows per INSERT: 9 columns each, well under both databases' parameter limits.
        const INSERT_ROWS: usize = 500;
        let Ok(count) = i64::try_from(entries.len()) else {
            return Err(StoreError::Corrupt("too many audit entries at once".into()));
        };
        if count == 0 {
            return Ok(Vec::new());
        }
        let backend = self.conn().get_database_backend();
        let row = self
            .conn()
            .query_one(Statement::from_sql_and_values(
                backend,
                match backend {
                    sea_orm::DatabaseBackend::Postgres => {
                        "UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash"
                    }
                    _ => "UPDATE audit_head SET seq = seq + ? WHERE id = 1 RETURNING seq, hash",
                },
                [count.into()],
            ))
            .await?
            .ok_or_else(|| StoreError::Corrupt("the audit chain head is missing".into()))?;
        let last: i64 = row
            .try_get_by_index(0)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut prev_hash: String = row
            .try_get_by_index(1)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut stored = Vec::with_capacity(entries.len());
        for (seq, entry) in (last - count + 1..).zip(entries) {
            let row = AuditRow {
                seq,
                at: entry.at.trunc_subsecs(6),
                actor: entry.actor,
                action: entry.action,
                org_id: entry.org_id,
                subject: entry.subject,
                detail: entry.detail,
                prev_hash: prev_hash.clone(),
                hash: String::new(),
            };
            let hash = row.expected_hash(&prev_hash);
            prev_hash.clone_from(&hash);
            stored.push(AuditRow { hash, ..row });
        }
        audit_head::Entity::update_many()
            .col_expr(audit_head::Column::Hash, prev_hash.as_str().into())
            .filter(audit_head::Column::Id.eq(1))
            .exec(self.conn())
            .await?;
        for chunk in stored.chunks(INSERT_ROWS) {
            audit_entry::Entity::insert_many(
                chunk.iter().cloned().map(audit_entry::ActiveModel::from),
            )
            .exec(self.conn())
            .await?;
        }
        if let Some(checkpointer) = self.checkpointer.as_ref().filter(|c| c.every > 0) {
            if last / checkpointer.every > (last - count) / checkpointer.every {
                self.insert_audit_checkpoint((checkpointer.sign)(last, &prev_hash))
                    .await?;
            }
        }
        Ok(stored)
    }

    /// Reads the chain head and holds it until this transaction ends, so no entry is
    /// appended meanwhile (a row lock on PostgreSQL; SQLite writers are serialised).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn lock_audit_head(&self) -> Result<(i64, String), StoreError> {
        self.read_audit_head("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash")
            .await
    }

    /// The head's (seq, hash) as `sql` returns them.
    async fn read_audit_head(&self, sql: &str) -> Result<(i64, String), StoreError> {
        let backend = self.conn().get_database_backend();
        let row = self
            .conn()
            .query_one(Statement::from_string(backend, sql))
            .await?
            .ok_or_else(|| StoreError::Corrupt("the audit chain head is missing".into()))?;
        let seq: i64 = row
            .try_get_by_index(0)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let hash: String = row
            .try_get_by_index(1)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok((seq, hash))
    }

    /// Stores a checkpoint; `false` when one of that sequence number was stored already.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_audit_checkpoint(
        &self,
        checkpoint: AuditCheckpointRow,
    ) -> Result<bool, StoreError> {
        let inserted =
            audit_checkpoint::Entity::insert(audit_checkpoint::ActiveModel::from(checkpoint))
                .on_conflict(
                    OnConflict::column(audit_checkpoint::Column::Seq)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(self.conn())
                .await?;
        Ok(inserted > 0)
    }

    /// Every stored checkpoint, oldest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn audit_checkpoints(&self) -> Result<Vec<AuditCheckpointRow>, StoreError> {
        Ok(audit_checkpoint::Entity::find()
            .order_by(audit_checkpoint::Column::Seq, Order::Asc)
            .all(self.conn())
            .await?)
    }

    /// The checkpoint of the highest sequence number, if any.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn latest_audit_checkpoint(&self) -> Result<Option<AuditCheckpointRow>, StoreError> {
        Ok(audit_checkpoint::Entity::find()
            .order_by(audit_checkpoint::Column::Seq, Order::Desc)
            .one(self.conn())
            .await?)
    }

    /// Entries in chain order, from sequence number `after` + 1, at most `limit`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn audit_chain(&self, after: i64, limit: u64) -> Result<Vec<AuditRow>, StoreError> {
        Ok(audit_entry::Entity::find()
            .filter(audit_entry::Column::Seq.gt(after))
            .order_by(audit_entry::Column::Seq, Order::Asc)
            .limit(limit)
            .all(self.conn())
            .await?)
    }

    /// The chain head: the last sequence number and hash.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn audit_head(&self) -> Result<(i64, String), StoreError> {
        self.read_audit_head("SELECT seq, hash FROM audit_head WHERE id = 1")
            .await
    }

    /// Newest first, optionally only one organisation's entries.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn audit_page(
        &self,
        org_id: Option<&OrgId>,
        page: Page,
    ) -> Result<Vec<AuditRow>, StoreError> {
        let mut query = audit_entry::Entity::find();
        if let Some(org) = org_id {
            query = query.filter(audit_entry::Column::OrgId.eq(org));
        }
        Ok(query
            .order_by(audit_entry::Column::Seq, Order::Desc)
            .offset(page.offset)
            .limit(page.limit)
            .all(self.conn())
            .await?)
    }

    /// The entries about one subject (such as `award:{id}`) in an organisation's trail,
    /// oldest first.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn audit_of_subject(
        &self,
        org_id: &OrgId,
        subject: &str,
        page: Page,
    ) -> Result<Vec<AuditRow>, StoreError> {
        Ok(audit_entry::Entity::find()
            .filter(audit_entry::Column::OrgId.eq(org_id))
            .filter(audit_entry::Column::Subject.eq(subject))
            .order_by(audit_entry::Column::Seq, Order::Asc)
            .offset(page.offset)
            .limit(page.limit)
            .all(self.conn())
            .await?)
    }

    /// For tests of the tamper check only: rewrites one entry's detail without fixing
    /// the chain, as an attacker with database access would.
    #[doc(hidden)]
    #[tracing::instrument(level = "debug", skip_all, fields(seq = %seq))]
    pub async fn tamper_audit_detail(&self, seq: i64, detail: &str) -> Result<(), StoreError> {
        audit_entry::Entity::update_many()
            .col_expr(audit_entry::Column::Detail, detail.into())
            .filter(audit_entry::Column::Seq.eq(seq))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// For tests of the tamper check only: deletes one entry.
    #[doc(hidden)]
    #[tracing::instrument(level = "debug", skip_all, fields(seq = %seq))]
    pub async fn tamper_audit_delete(&self, seq: i64) -> Result<(), StoreError> {
        audit_entry::Entity::delete_by_id(seq)
            .exec(self.conn())
            .await?;
        Ok(())
    }
}
