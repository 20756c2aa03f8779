//! Transactions. Every registry query runs inside a [`Tx`], so a use case that writes
//! several rows (an award, its audit entry, its status list) commits all or nothing.
//!
//! On SQLite, write transactions are serialised inside the process by a lock taken before
//! `BEGIN`: SQLite allows one writer at a time, and waiting here instead of inside SQLite
//! means a writer never meets `database is locked`. Between processes, a write transaction
//! takes SQLite's write lock with its first statement (a write that changes nothing), so it
//! waits in SQLite's busy handler for another process's writer; a transaction that read
//! first would instead fail at once when another process had committed in between.

use credence_domain::OrgId;
use std::sync::Arc;

use sea_orm::{DatabaseTransaction, TransactionTrait};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::registry::AuditCheckpointer;
use crate::{Engine, Store, StoreError};

/// An open transaction. Dropping it without [`Tx::commit`] rolls it back.
pub struct Tx {
    pub(crate) tx: DatabaseTransaction,
    pub(crate) engine: Engine,
    /// Signs checkpoints of the audit chain as appends carry it forward (writers only).
    pub(crate) checkpointer: Option<AuditCheckpointer>,
    /// The store's cache of shared credential parts.
    pub(crate) parts: crate::credential_layout::PartCache,
    /// Whether awards are written whole (`Store::writing_credentials_whole`).
    pub(crate) whole_credentials: bool,
    /// What to do once the transaction has committed (never on rollback).
    after_commit: std::sync::Mutex<Vec<AfterCommit>>,
    /// The store's count of committed writes, for a transaction that may write.
    writes: Option<Arc<std::sync::atomic::AtomicU64>>,
    _write_guard: Option<OwnedMutexGuard<()>>,
}

/// A step run after a commit, e.g. waking a worker for what the transaction wrote.
type AfterCommit = Box<dyn FnOnce() + Send>;

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tx").field("engine", &self.engine).finish()
    }
}

/// The in-process writer lock of a SQLite store.
pub(crate) type WriteLock = Arc<Mutex<()>>;

impl Store {
    /// A transaction for reading: a consistent snapshot, never blocked by writers.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn read(&self) -> Result<Tx, StoreError> {
        Ok(Tx {
            tx: self.conn().begin().await?,
            engine: self.engine(),
            checkpointer: None,
            parts: self.parts.clone(),
            whole_credentials: self.whole_credentials,
            after_commit: std::sync::Mutex::default(),
            writes: None,
            _write_guard: None,
        })
    }

    /// A transaction that may write. On SQLite, refused as unavailable when the database
    /// file was removed or replaced since it was opened.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn write(&self) -> Result<Tx, StoreError> {
        self.check_sqlite_file()?;
        let guard = match self.engine() {
            Engine::Sqlite => Some(self.write_lock().clone().lock_owned().await),
            Engine::Postgres => None,
        };
        let tx = self.conn().begin().await?;
        if self.engine() == Engine::Sqlite {
            use sea_orm::ConnectionTrait;
            // Takes the write lock now, waiting up to the busy timeout for another process.
            tx.execute_unprepared("UPDATE audit_head SET seq = seq WHERE 0")
                .await?;
        }
        Ok(Tx {
            tx,
            engine: self.engine(),
            checkpointer: self.audit_checkpointer.clone(),
            parts: self.parts.clone(),
            whole_credentials: self.whole_credentials,
            after_commit: std::sync::Mutex::default(),
            writes: Some(self.writes.clone()),
            _write_guard: guard,
        })
    }
}

impl Tx {
    /// Makes every write of this transaction durable and visible.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn commit(self) -> Result<(), StoreError> {
        let after = std::mem::take(
            &mut *self
                .after_commit
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        self.tx.commit().await?;
        if let Some(writes) = &self.writes {
            writes.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        }
        for step in after {
            step();
        }
        Ok(())
    }

    /// Runs `step` once this transaction has committed; a rollback forgets it. What the
    /// transaction wrote is visible to others by then (a worker woken here finds it).
    pub fn after_commit(&self, step: impl FnOnce() + Send + 'static) {
        self.after_commit
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(Box::new(step));
    }

    /// Serialises the status changes of one organisation until this transaction ends: a
    /// writer that changes an award's status and re-signs the organisation's lists calls it
    /// first, so on PostgreSQL (read committed, no in-process writer lock) two writers in
    /// any processes never both read the same award state or list version, and each reads
    /// what the other committed. SQLite write transactions are serialised already.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn lock_status_lists(&self, org_id: &OrgId) -> Result<(), StoreError> {
        if self.engine != Engine::Postgres {
            return Ok(());
        }
        use sea_orm::{ConnectionTrait, Statement};
        // A transaction-scoped advisory lock, keyed by a stable hash of the organisation
        // (FNV-1a, 64 bits); a collision only serialises two organisations' changes.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in b"status-lists:".iter().chain(org_id.as_str().as_bytes()) {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        let key = i64::from_ne_bytes(hash.to_ne_bytes());
        self.tx
            .query_one(Statement::from_sql_and_values(
                sea_orm::DatabaseBackend::Postgres,
                "SELECT pg_advisory_xact_lock($1)",
                [key.into()],
            ))
            .await?;
        Ok(())
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    pub(crate) fn conn(&self) -> &DatabaseTransaction {
        &self.tx
    }
}
