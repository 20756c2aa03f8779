//! One error type for every handler, mapped to one response: `application/problem+json`
//! (RFC 9457). A middleware in the router turns it into an HTML page for browsers. 5xx
//! details are logged, never shown.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use credence_service::ServiceError;
use serde_json::json;

/// An error leaving a handler.
#[derive(Debug)]
pub struct WebError {
    pub status: StatusCode,
    pub title: &'static str,
    pub detail: String,
    /// Problems located by JSON pointer, for invalid input.
    pub errors: Vec<(String, String)>,
    /// Seconds after which a retry may succeed, sent as `Retry-After` (with 503).
    pub retry_after: Option<u32>,
}

/// What a 503 tells clients to wait before retrying, in seconds.
const RETRY_AFTER_SECS: u32 = 5;

impl WebError {
    pub fn new(status: StatusCode, title: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status,
            title,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// 404 for a path nothing answers.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "Not found", detail)
    }

    /// 400 for a malformed request (syntax), named in `detail`.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "Bad request", detail)
    }
}

/// A record id from a path or a form: `raw` read as `T` (an id newtype of the domain), or
/// the 404 the route gives for a missing `noun` ("award 'x' was not found…"), as when a
/// malformed id found no row. Handlers call it where the id was checked before it was
/// typed, so a role check that came first still comes first.
pub fn record_id<T: std::str::FromStr>(raw: &str, noun: &str) -> Result<T, WebError> {
    Ok(credence_service::record_id(raw, noun)?)
}

impl From<ServiceError> for WebError {
    fn from(e: ServiceError) -> Self {
        match e {
            // 404: the named thing does not exist.
            ServiceError::NotFound(what) => {
                Self::not_found(format!("{what} was not found on this Credence."))
            }
            // 422: the input parsed but is not valid; every problem is listed.
            ServiceError::Invalid(problems) => {
                let mut err = Self::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Invalid input",
                    problems.to_string(),
                );
                err.errors = problems
                    .0
                    .into_iter()
                    .map(|p| (p.pointer, p.message))
                    .collect();
                err
            }
            // 401: not signed in, or the credentials are not valid.
            ServiceError::Unauthenticated(detail) => {
                Self::new(StatusCode::UNAUTHORIZED, "Not signed in", detail)
            }
            // 403: signed in, but the role does not allow it.
            ServiceError::Forbidden(detail) => {
                Self::new(StatusCode::FORBIDDEN, "Forbidden", detail)
            }
            // 409: conflicts with what is stored.
            ServiceError::Conflict(detail) => Self::new(StatusCode::CONFLICT, "Conflict", detail),
            // 429: too many attempts; the message says when to try again.
            ServiceError::TooManyRequests {
                message,
                retry_after_secs,
            } => {
                let mut err =
                    Self::new(StatusCode::TOO_MANY_REQUESTS, "Too many attempts", message);
                err.retry_after = Some(retry_after_secs.max(1));
                err
            }
            // 413: the account's storage quota would be exceeded.
            ServiceError::QuotaExceeded(detail) => {
                Self::new(StatusCode::PAYLOAD_TOO_LARGE, "Quota exceeded", detail)
            }
            // 503: bounded work is full (password hashing); retry after `Retry-After`.
            ServiceError::Busy(detail) => {
                let mut err = Self::new(StatusCode::SERVICE_UNAVAILABLE, "Busy", detail);
                err.retry_after = Some(2);
                err
            }
            // 503: the database is down; the client may retry after `Retry-After`.
            ServiceError::Unavailable(detail) => {
                tracing::warn!(%detail, "database unavailable");
                let mut err = Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Service unavailable",
                    "The database is unavailable. Please try again shortly.",
                );
                err.retry_after = Some(RETRY_AFTER_SECS);
                err
            }
            // 500: our fault; the whole chain of causes is logged here, once, never shown.
            ServiceError::Internal(ref fault) => {
                tracing::error!(
                    context = fault.context(),
                    error = %credence_service::error_chain(&e),
                    "internal error"
                );
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal error",
                    "Something went wrong on our side. It has been logged.",
                )
            }
        }
    }
}

/// The problem document every error answers with (RFC 9457), for the OpenAPI document.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Always `about:blank`: the status and title say what happened.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// What went wrong, in a sentence.
    pub detail: String,
    /// For invalid input: each problem with the JSON pointer of the field.
    pub errors: Option<Vec<ProblemField>>,
}

/// One invalid field.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    pub pointer: String,
    pub detail: String,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut body = json!({
            "type": "about:blank",
            "title": self.title,
            "status": self.status.as_u16(),
            "detail": self.detail,
        });
        if !self.errors.is_empty() {
            body["errors"] = self
                .errors
                .iter()
                .map(|(pointer, detail)| json!({"pointer": pointer, "detail": detail}))
                .collect();
        }
        let mut response = (self.status, body.to_string()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}
