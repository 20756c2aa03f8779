//! Database configuration as plain values; reading it from files or the environment is the
//! CLI's job.

use std::fmt;

/// A database URL. Its `Debug` and `Display` hide any password it holds.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn new(url: impl Into<String>) -> Self {
        Self(url.into())
    }

    /// A SQLite database file inside `dir`.
    pub fn sqlite_in(dir: &std::path::Path) -> Self {
        Self(format!("sqlite://{}", dir.join("credence.db").display()))
    }

    /// The URL with its secret, for opening a connection only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    fn redacted(&self) -> String {
        match url::Url::parse(&self.0) {
            Ok(mut parsed) if parsed.password().is_some() => {
                let _ = parsed.set_password(Some("REDACTED"));
                parsed.to_string()
            }
            _ => self.0.clone(),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({:?})", self.redacted())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// How to reach the database.
#[derive(Debug, Clone)]
pub struct DatabaseConfig {
    pub url: DatabaseUrl,
    pub max_connections: u32,
    /// How long a query waits for a pooled connection (PostgreSQL: including reconnecting)
    /// or, on SQLite, for another process's write lock, before the database counts as
    /// unavailable.
    pub timeout: std::time::Duration,
}

impl DatabaseConfig {
    /// The wait before the database counts as unavailable, unless configured otherwise.
    pub const DEFAULT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str, shown: &str) {
        let url = DatabaseUrl::new(url);
        assert_eq!(url.to_string(), shown);
        assert_eq!(format!("{url:?}"), format!("DatabaseUrl({shown:?})"));
    }

    #[test]
    fn passwords_never_show() {
        check(
            "postgres://credence:s3cret@db:5432/credence",
            "postgres://credence:REDACTED@db:5432/credence",
        );
        check(
            "postgres://root@127.0.0.1/test",
            "postgres://root@127.0.0.1/test",
        );
        check(
            "sqlite://./credence-data/credence.db",
            "sqlite://./credence-data/credence.db",
        );
    }
}
