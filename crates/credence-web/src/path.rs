//! Typed path segments: a route's ids and slugs are parsed by the extractor, so handlers
//! and the service only ever see [`credence_domain::ids`] newtypes and checked slugs. A
//! segment that does not parse names no record, and answers exactly as a well-formed one
//! naming nothing would: the same 404 problem document (or page), saying the same thing.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use credence_domain::{
    AccountId, AccreditationId, AchievementId, AttachmentId, AwardId, BulkJobId, EvidenceId,
    OrgSlug, TokenId,
};

use crate::WebError;

/// One path segment read as a typed value.
pub trait Segment: Sized {
    /// The value in `raw`, or the answer for a path that names nothing.
    fn parse_segment(raw: String) -> Result<Self, WebError>;
}

/// What the service answers for a record it does not have: "award 'x' was not found on
/// this Credence." (see `WebError::from(ServiceError::NotFound)`).
fn missing(what: &str, raw: &str) -> WebError {
    let raw: String = raw.chars().take(64).collect();
    WebError::from(credence_service::ServiceError::NotFound(format!(
        "{what} '{raw}'"
    )))
}

impl Segment for String {
    fn parse_segment(raw: String) -> Result<Self, WebError> {
        Ok(raw)
    }
}

macro_rules! segment {
    ($($ty:ty => $what:literal),+ $(,)?) => {
        $(impl Segment for $ty {
            fn parse_segment(raw: String) -> Result<Self, WebError> {
                <$ty>::new(raw.as_str()).map_err(|_| missing($what, &raw))
            }
        })+
    };
}

segment!(
    AccountId => "account",
    AccreditationId => "accreditation",
    AchievementId => "achievement",
    AttachmentId => "attachment",
    AwardId => "award",
    BulkJobId => "bulk job",
    EvidenceId => "evidence",
    OrgSlug => "organisation",
    TokenId => "token",
);

/// A route's one path parameter, typed: `Id(award): Id<AwardId>`.
#[derive(Debug, Clone)]
pub struct Id<T>(pub T);

impl<S: Send + Sync, T: Segment> FromRequestParts<S> for Id<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| WebError::bad_request(e.body_text()))?;
        T::parse_segment(raw).map(Self)
    }
}

/// A route's path parameters, typed, in order: `Ids((slug, id)): Ids<(OrgSlug, AwardId)>`.
#[derive(Debug, Clone)]
pub struct Ids<T>(pub T);

impl<S: Send + Sync, A: Segment, B: Segment> FromRequestParts<S> for Ids<(A, B)> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        let Path((a, b)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|e| WebError::bad_request(e.body_text()))?;
        Ok(Self((A::parse_segment(a)?, B::parse_segment(b)?)))
    }
}

impl<S: Send + Sync, A: Segment, B: Segment, C: Segment> FromRequestParts<S> for Ids<(A, B, C)> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        let Path((a, b, c)) = Path::<(String, String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|e| WebError::bad_request(e.body_text()))?;
        Ok(Self((
            A::parse_segment(a)?,
            B::parse_segment(b)?,
            C::parse_segment(c)?,
        )))
    }
}
