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
    /// A fault of ours; the fault (what we were doing, and the error underneath it) goes to
    /// the log at the edge, never to the caller (HTTP 500).
    #[error("internal error")]
    Internal(#[source] Fault),
}

/// Any error kept as the cause of another.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What went wrong inside a use case: what it was doing (`context`, a phrase such as
/// "signing an award") and, when another error caused it, that error with its own chain.
/// It reads as its context; the cause is its source, so a log of the whole chain says both.
#[derive(Debug)]
pub struct Fault {
    context: String,
    source: Option<BoxError>,
}

impl Fault {
    /// What the use case was doing when it failed.
    pub fn context(&self) -> &str {
        &self.context
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.context)
    }
}

impl std::error::Error for Fault {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// An error and every error under it, each joined to the next by ": ", for a log line.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut next = error.source();
    while let Some(cause) = next {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        next = cause.source();
    }
    text
}

impl ServiceError {
    /// One invalid field, located by its JSON pointer.
    pub fn invalid(pointer: &str, message: impl Into<String>) -> Self {
        Self::Invalid(Problems(vec![credence_domain::Problem {
            pointer: pointer.to_owned(),
            message: message.into(),
        }]))
    }

    /// A fault of ours with no error under it: an invariant that did not hold.
    pub fn internal(context: impl Into<String>) -> Self {
        Self::Internal(Fault {
            context: context.into(),
            source: None,
        })
    }

    /// A fault of ours caused by `source`, which is kept as the cause.
    pub fn internal_from(context: impl Into<String>, source: impl Into<BoxError>) -> Self {
        Self::Internal(Fault {
            context: context.into(),
            source: Some(source.into()),
        })
    }

    /// For `map_err`: turns the error it is given into a fault of ours that keeps it as the
    /// cause, as in `.map_err(ServiceError::wrap("signing an award"))`.
    pub fn wrap<E: Into<BoxError>>(context: impl Into<String>) -> impl FnOnce(E) -> Self {
        let context = context.into();
        move |source| Self::internal_from(context, source)
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(detail) => Self::Unavailable(detail),
            StoreError::Duplicate { .. } => {
                Self::Conflict("a record with the same key exists".into())
            }
            other => Self::internal_from("a database call failed", other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{error_chain, ServiceError};
    use credence_store::StoreError;

    fn check(error: ServiceError, expected: &str) {
        assert_eq!(error.to_string(), "internal error", "callers see no detail");
        assert_eq!(error_chain(&error), expected);
    }

    #[test]
    fn faults_keep_what_caused_them() {
        let json = serde_json::from_str::<serde_json::Value>("{").expect_err("not JSON");
        check(
            ServiceError::internal("a demo date is out of range"),
            "internal error: a demo date is out of range",
        );
        check(
            ServiceError::wrap("reading a stored credential")(json),
            "internal error: reading a stored credential: EOF while parsing an object at line 1 column 1",
        );
        check(
            StoreError::Corrupt("the audit chain head is missing".into()).into(),
            "internal error: a database call failed: stored data is inconsistent: the audit chain head is missing",
        );
    }
}
