//! Credence's persistence layer: the only crate (with `migrations/`) that knows sea-orm.
//! It exposes a [`Store`] with plain query functions that take and return domain types or
//! small row structs, over SQLite (the default) or PostgreSQL.

// Tests may unwrap: a panic there is a failed test. Code that ships may not.
#![cfg_attr(test, allow(clippy::unwrap_used))]

mod config;
mod credential_layout;
mod entity;
mod error;
pub mod frameworks;
pub mod registry;
mod tx;

pub use tx::Tx;

pub use config::{DatabaseConfig, DatabaseUrl};
pub use error::StoreError;

use credence_migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, SqlxPostgresConnector, SqlxSqliteConnector};

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A handle on the database; cheap to clone (it wraps a connection pool).
#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
    engine: Engine,
    write_lock: tx::WriteLock,
    /// The SQLite file as opened, to notice it being removed or replaced under us.
    sqlite_file: Option<SqliteFile>,
    /// Signs checkpoints of the audit chain as it grows ([`Store::with_audit_checkpoints`]).
    audit_checkpointer: Option<registry::AuditCheckpointer>,
    /// Shared parts of stored credentials, read once (`credential_layout`).
    parts: credential_layout::PartCache,
    /// Whether awards are written whole, as before m20261210_000001 (tests only).
    whole_credentials: bool,
    /// How many write transactions this process has committed through this store (and its
    /// clones): what was read before a commit may be reused while it has not moved
    /// ([`Store::writes_committed`]).
    writes: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

/// Which file a SQLite store opened: its path, device and inode.
#[derive(Clone, Debug, PartialEq, Eq)]
struct SqliteFile {
    path: std::path::PathBuf,
    identity: (u64, u64),
}

impl SqliteFile {
    /// The identity of the file at `path` now (device and inode; on systems without them,
    /// only whether it exists).
    fn identity_of(path: &std::path::Path) -> std::io::Result<(u64, u64)> {
        let metadata = std::fs::metadata(path)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Ok((metadata.dev(), metadata.ino()))
        }
        #[cfg(not(unix))]
        {
            let _ = metadata;
            Ok((0, 0))
        }
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("engine", &self.engine)
            .finish()
    }
}

/// How many pages SQLite's write-ahead log may hold before a commit copies them into the
/// database (SQLite's default is 1,000, 4 MB). A bulk award batch writes about 5 MB, so
/// with the default nearly every batch's commit also ran a checkpoint, with its two
/// `fsync`s; at 16,384 pages (64 MB) a checkpoint comes every dozen batches.
const WAL_AUTOCHECKPOINT_PAGES: u32 = 16_384;

/// What [`Store::sqlite_settings`] reads off a pooled SQLite connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteSettings {
    /// `PRAGMA journal_mode` (`wal`).
    pub journal_mode: String,
    /// Whether foreign keys are enforced.
    pub foreign_keys: bool,
    /// `PRAGMA wal_autocheckpoint`, in pages.
    pub wal_autocheckpoint_pages: i64,
}

impl Store {
    /// Opens a pool on the configured database. A SQLite file (and its folder) is created
    /// when missing, in WAL mode with foreign keys enforced.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn connect(config: &DatabaseConfig) -> Result<Self, StoreError> {
        let url = config.url.expose();
        if url.starts_with("sqlite:") {
            use sqlx::sqlite::{
                SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
            };
            use std::str::FromStr;
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::Config(format!("invalid SQLite URL: {e}")))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .pragma("wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES.to_string())
                .foreign_keys(true)
                .busy_timeout(config.timeout);
            if let Some(dir) = options.get_filename().parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        StoreError::Config(format!(
                            "cannot create the data directory {}: {e}",
                            dir.display()
                        ))
                    })?;
                }
            }
            let path = options.get_filename().to_path_buf();
            let pool = SqlitePoolOptions::new()
                .max_connections(config.max_connections.max(1))
                .acquire_timeout(config.timeout)
                .connect_with(options)
                .await
                .map_err(StoreError::from_sqlx)?;
            // The pool has opened (and created) the file; an in-memory database has none.
            let sqlite_file = SqliteFile::identity_of(&path)
                .ok()
                .map(|identity| SqliteFile { path, identity });
            Ok(Self {
                db: SqlxSqliteConnector::from_sqlx_sqlite_pool(pool),
                engine: Engine::Sqlite,
                write_lock: tx::WriteLock::default(),
                sqlite_file,
                audit_checkpointer: None,
                parts: credential_layout::PartCache::default(),
                whole_credentials: false,
                writes: std::sync::Arc::default(),
            })
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
            use std::str::FromStr;
            let options = PgConnectOptions::from_str(url)
                .map_err(|e| StoreError::Config(format!("invalid PostgreSQL URL: {e}")))?;
            let pool = PgPoolOptions::new()
                .max_connections(config.max_connections.max(1))
                .acquire_timeout(config.timeout)
                .connect_with(options)
                .await
                .map_err(StoreError::from_sqlx)?;
            Ok(Self {
                db: SqlxPostgresConnector::from_sqlx_postgres_pool(pool),
                engine: Engine::Postgres,
                write_lock: tx::WriteLock::default(),
                sqlite_file: None,
                audit_checkpointer: None,
                parts: credential_layout::PartCache::default(),
                whole_credentials: false,
                writes: std::sync::Arc::default(),
            })
        } else {
            Err(StoreError::Config(format!(
                "unsupported database URL {:?}: use sqlite:// or postgres://",
                config.url
            )))
        }
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// This store, with its write transactions making signed checkpoints of the audit chain
    /// as appends carry it forward (see [`registry::AuditCheckpointer`]).
    #[must_use]
    pub fn with_audit_checkpoints(mut self, checkpointer: registry::AuditCheckpointer) -> Self {
        self.audit_checkpointer = Some(checkpointer);
        self
    }

    /// Applies every pending migration, then rewrites awards stored whole before
    /// m20261210_000001 into the layout with shared parts ([`Store::compact_credentials`]).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn migrate(&self) -> Result<(), StoreError> {
        Migrator::up(&self.db, None).await?;
        let compacted = self.compact_credentials().await?;
        if compacted > 0 {
            tracing::info!(compacted, "stored credentials rewritten with shared parts");
        }
        Ok(())
    }

    /// Checks that the database answers. On SQLite this checks that the file opened is still
    /// at its path and reads the schema from it, so a removed, replaced or unreadable file
    /// fails it (`SELECT 1` would not touch the file).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.check_sqlite_file()?;
        let sql = match self.engine {
            Engine::Sqlite => "SELECT count(*) FROM sqlite_master",
            Engine::Postgres => "SELECT 1",
        };
        self.db.execute_unprepared(sql).await?;
        Ok(())
    }

    /// Writes a consistent copy of a SQLite database to `dest` (which must not exist) with
    /// `VACUUM INTO`, while other connections and processes go on reading and writing.
    /// Refused on PostgreSQL, whose tool for this is `pg_dump`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn backup_sqlite_into(&self, dest: &std::path::Path) -> Result<(), StoreError> {
        use sea_orm::Statement;
        if self.engine != Engine::Sqlite {
            return Err(StoreError::Config(
                "online backup is for SQLite; back PostgreSQL up with pg_dump".into(),
            ));
        }
        let dest = dest
            .to_str()
            .ok_or_else(|| StoreError::Config(format!("{} is not a UTF-8 path", dest.display())))?;
        self.db
            .execute(Statement::from_sql_and_values(
                self.db.get_database_backend(),
                "VACUUM INTO ?",
                [dest.into()],
            ))
            .await?;
        Ok(())
    }

    /// SQLite's settings on a pooled connection; `None` on PostgreSQL. For diagnostics and
    /// tests.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn sqlite_settings(&self) -> Result<Option<SqliteSettings>, StoreError> {
        use sea_orm::Statement;
        if self.engine != Engine::Sqlite {
            return Ok(None);
        }
        let backend = self.db.get_database_backend();
        let read = |sql: &'static str| async move {
            self.db
                .query_one(Statement::from_string(backend, sql))
                .await?
                .ok_or_else(|| StoreError::Corrupt(format!("{sql} returned nothing")))
        };
        let mode: String = read("PRAGMA journal_mode")
            .await?
            .try_get_by_index(0)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let foreign_keys: i64 = read("PRAGMA foreign_keys")
            .await?
            .try_get_by_index(0)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let wal_autocheckpoint: i64 = read("PRAGMA wal_autocheckpoint")
            .await?
            .try_get_by_index(0)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(Some(SqliteSettings {
            journal_mode: mode,
            foreign_keys: foreign_keys == 1,
            wal_autocheckpoint_pages: wal_autocheckpoint,
        }))
    }

    /// Closes the pool, waiting for connections in use to be returned.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn close(self) -> Result<(), StoreError> {
        self.db.close().await?;
        Ok(())
    }

    /// On SQLite, fails as unavailable when the database file is no longer at its path, or
    /// another file is: open connections would go on reading and writing the old file, and
    /// writes acknowledged there would be lost to the next start.
    pub(crate) fn check_sqlite_file(&self) -> Result<(), StoreError> {
        let Some(file) = &self.sqlite_file else {
            return Ok(());
        };
        match SqliteFile::identity_of(&file.path) {
            Ok(identity) if identity == file.identity => Ok(()),
            Ok(_) => Err(StoreError::Unavailable(format!(
                "the database file {} was replaced while open",
                file.path.display()
            ))),
            Err(e) => Err(StoreError::Unavailable(format!(
                "the database file {} cannot be reached: {e}",
                file.path.display()
            ))),
        }
    }

    pub(crate) fn conn(&self) -> &DatabaseConnection {
        &self.db
    }

    pub(crate) fn write_lock(&self) -> &tx::WriteLock {
        &self.write_lock
    }

    /// How many write transactions this process has committed so far. Memory kept from
    /// reads made while it had one value is current for this process's own writes as long as
    /// it still has it; writes by other processes sharing the database are not counted.
    pub fn writes_committed(&self) -> u64 {
        self.writes.load(std::sync::atomic::Ordering::Acquire)
    }
}
