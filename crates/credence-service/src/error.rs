//! Errors of the use cases, in terms a caller can act on. The web layer maps each variant
//! to one HTTP status; the CLI maps each to an exit code.

use credence_domain::Problems;
use credence_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The thing asked for does not exist (HTTP 404).
    #[error("{0} was not found")]
    NotFound(String),
    /// The input is invalid; every problem is listed with its JSON pointer (HTTP 422).
    #[error("{0}")]
    Invalid(Problems),
    /// The request conflicts with what is stored (HTTP 409).
    #[error("{0}")]
    Conflict(String),
    /// The database cannot be reached; try again later (HTTP 503).
    #[error("the database is unavailable")]
    Unavailable(String),
    /// A fault of ours; details go to the log, never to the caller (HTTP 500).
    #[error("internal error")]
    Internal(String),
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(detail) => Self::Unavailable(detail),
            StoreError::Duplicate => Self::Conflict("a record with the same key exists".into()),
            other => Self::Internal(other.to_string()),
        }
    }
}
