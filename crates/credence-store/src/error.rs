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
            sqlx::Error::PoolTimedOut
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => Self::Unavailable(e.to_string()),
            sqlx::Error::Database(ref db) if db.code().is_some_and(|c| is_outage_code(&c)) => {
                Self::Unavailable(e.to_string())
            }
            other => Self::Database(other.to_string()),
        }
    }
}

/// Whether a database error code means the database cannot serve now, rather than that the
/// statement is wrong: PostgreSQL's connection exceptions (class 08), shutdown and start-up
/// (57P01, 57P02, 57P03) and too many connections (53300); SQLite's busy and locked (another
/// process held the write lock longer than the busy timeout), I/O error, disk full and
/// cannot open (primary codes 5, 6, 10, 13, 14; SQLite reports extended codes, whose low
/// byte is the primary one).
fn is_outage_code(code: &str) -> bool {
    if code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "53300") {
        return true;
    }
    code.parse::<u32>()
        .is_ok_and(|n| matches!(n & 0xff, 5 | 6 | 10 | 13 | 14))
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

#[cfg(test)]
mod tests {
    use super::is_outage_code;

    #[test]
    fn outage_codes_are_told_apart_from_statement_errors() {
        for (code, outage) in [
            ("08006", true),
            ("08001", true),
            ("57P01", true),
            ("57P03", true),
            ("53300", true),
            ("23505", false),
            ("42P01", false),
            ("5", true),
            ("517", true),
            ("6", true),
            ("10", true),
            ("3850", true),
            ("13", true),
            ("14", true),
            ("19", false),
            ("2067", false),
            ("1", false),
        ] {
            assert_eq!(is_outage_code(code), outage, "{code}");
        }
    }
}
