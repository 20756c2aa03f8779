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
    /// A uniqueness constraint refused the write. `constraint` names it: PostgreSQL's
    /// constraint name, or SQLite's `table.column` list.
    #[error("a record with the same key already exists ({constraint})")]
    Duplicate { constraint: String },
    /// Stored data could not be read back as expected.
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    /// Any other database error, kept whole as the cause.
    #[error("database error")]
    Database(#[source] Box<dyn std::error::Error + Send + Sync + 'static>),
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
            other => Self::Database(Box::new(other)),
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
        if let Some(SqlErr::UniqueConstraintViolation(message)) = e.sql_err() {
            let constraint = constraint_of(&e).unwrap_or_else(|| sqlite_constraint(&message));
            return Self::Duplicate { constraint };
        }
        match e {
            DbErr::ConnectionAcquire(err) => Self::Unavailable(err.to_string()),
            DbErr::Conn(RuntimeErr::SqlxError(err))
            | DbErr::Exec(RuntimeErr::SqlxError(err))
            | DbErr::Query(RuntimeErr::SqlxError(err)) => Self::from_sqlx(err),
            other => Self::Database(Box::new(other)),
        }
    }
}

/// The name of the constraint a database error reports, with its table when known
/// (PostgreSQL reports both; SQLite neither).
fn constraint_of(e: &sea_orm::DbErr) -> Option<String> {
    use sea_orm::{DbErr, RuntimeErr};
    let (DbErr::Exec(RuntimeErr::SqlxError(sqlx::Error::Database(db)))
    | DbErr::Query(RuntimeErr::SqlxError(sqlx::Error::Database(db)))) = e
    else {
        return None;
    };
    let constraint = db.constraint()?;
    Some(match db.table() {
        Some(table) => format!("{table}.{constraint}"),
        None => constraint.to_owned(),
    })
}

/// The columns named by SQLite's "UNIQUE constraint failed: table.column, ..." message
/// (the whole message when it has another shape).
fn sqlite_constraint(message: &str) -> String {
    message
        .rsplit_once("constraint failed: ")
        .map_or(message, |(_, columns)| columns)
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::{is_outage_code, sqlite_constraint};

    #[test]
    fn sqlite_duplicates_name_their_columns() {
        for (message, expected) in [
            (
                "UNIQUE constraint failed: awards.org_id, awards.idempotency_key",
                "awards.org_id, awards.idempotency_key",
            ),
            (
                "error returned from database: (code: 2067) UNIQUE constraint failed: orgs.slug",
                "orgs.slug",
            ),
            ("something else", "something else"),
        ] {
            assert_eq!(sqlite_constraint(message), expected, "{message}");
        }
    }

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
