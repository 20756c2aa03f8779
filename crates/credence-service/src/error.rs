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
    /// The caller is not signed in, or its credentials are not valid (HTTP 401).
    #[error("{0}")]
    Unauthenticated(String),
    /// The caller is known but may not do this (HTTP 403).
    #[error("{0}")]
    Forbidden(String),
    /// The request conflicts with what is stored (HTTP 409).
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts (wrong passwords for one account, requests from one client); try
    /// again after `retry_after_secs` (HTTP 429 with `Retry-After`).
    #[error("{message}")]
    TooManyRequests {
        message: String,
        retry_after_secs: u32,
    },
    /// The account would store more than its quota allows (HTTP 413).
    #[error("{0}")]
    QuotaExceeded(String),
    /// The service is busy with work it bounds (password hashing); try again shortly
    /// (HTTP 503 with `Retry-After`).
    #[error("{0}")]
    Busy(String),
    /// The database cannot be reached; try again later (HTTP 503).
    #[error("the database is unavailable")]
    Unavailable(String),
    /// A fault of ours; details go to the log, never to the caller (HTTP 500).
    #[error("internal error")]
    Internal(String),
}

impl ServiceError {
    /// One invalid field, located by its JSON pointer.
    pub fn invalid(pointer: &str, message: impl Into<String>) -> Self {
        Self::Invalid(Problems(vec![credence_domain::Problem {
            pointer: pointer.to_owned(),
            message: message.into(),
        }]))
    }
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
