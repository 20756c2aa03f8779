//! Transactions. Every registry query runs inside a [`Tx`], so a use case that writes
//! several rows (an award, its audit entry, its status list) commits all or nothing.
//!
//! On SQLite, write transactions are serialised inside the process by a lock taken before
//! `BEGIN`: SQLite allows one writer at a time, and waiting here instead of inside SQLite
//! means a writer never meets `database is locked`.

use std::sync::Arc;

use sea_orm::{DatabaseTransaction, TransactionTrait};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::{Engine, Store, StoreError};

/// An open transaction. Dropping it without [`Tx::commit`] rolls it back.
pub struct Tx {
    pub(crate) tx: DatabaseTransaction,
    pub(crate) engine: Engine,
    _write_guard: Option<OwnedMutexGuard<()>>,
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tx").field("engine", &self.engine).finish()
    }
}

/// The in-process writer lock of a SQLite store.
pub(crate) type WriteLock = Arc<Mutex<()>>;

impl Store {
    /// A transaction for reading: a consistent snapshot, never blocked by writers.
    pub async fn read(&self) -> Result<Tx, StoreError> {
        Ok(Tx {
            tx: self.conn().begin().await?,
            engine: self.engine(),
            _write_guard: None,
        })
    }

    /// A transaction that may write.
    pub async fn write(&self) -> Result<Tx, StoreError> {
        let guard = match self.engine() {
            Engine::Sqlite => Some(self.write_lock().clone().lock_owned().await),
            Engine::Postgres => None,
        };
        Ok(Tx {
            tx: self.conn().begin().await?,
            engine: self.engine(),
            _write_guard: guard,
        })
    }
}

impl Tx {
    /// Makes every write of this transaction durable and visible.
    pub async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await?;
        Ok(())
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    pub(crate) fn conn(&self) -> &DatabaseTransaction {
        &self.tx
    }
}
