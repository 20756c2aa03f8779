//! Errors from the store. Constraint violations are told apart from outages so that the
//! service can turn a duplicate into a conflict and an outage into "unavailable".

/// What went wrong in the database layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The configuration cannot work (bad URL, unwritable folder).
    #[error("database configuration: {0}")]
    Config(String),
    /// The database cannot be reached or did not answer in time.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// A uniqueness constraint refused the write.
    #[error("a record with the same key already exists")]
    Duplicate,
    /// Stored data could not be read back as expected.
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    /// Any other database error.
    #[error("database error: {0}")]
    Database(String),
}

impl StoreError {
    pub(crate) fn from_sqlx(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                Self::Unavailable(e.to_string())
            }
            other => Self::Database(other.to_string()),
        }
    }
}

impl From<sea_orm::DbErr> for StoreError {
    fn from(e: sea_orm::DbErr) -> Self {
        use sea_orm::{DbErr, RuntimeErr, SqlErr};
        if let Some(SqlErr::UniqueConstraintViolation(_)) = e.sql_err() {
            return Self::Duplicate;
        }
        match e {
            DbErr::ConnectionAcquire(err) => Self::Unavailable(err.to_string()),
            DbErr::Conn(RuntimeErr::SqlxError(err))
            | DbErr::Exec(RuntimeErr::SqlxError(err))
            | DbErr::Query(RuntimeErr::SqlxError(err)) => Self::from_sqlx(err),
            other => Self::Database(other.to_string()),
        }
    }
}
