//! One fetch a verification made, as its report lists it. This crate never fetches: the
//! service does, and records here what it fetched for the report.

use serde::{Deserialize, Serialize};

/// One fetch made for a verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchNote {
    /// The URL asked for.
    pub url: String,
    /// The final HTTP status, when an answer came.
    pub status: Option<u16>,
    /// Whether the answer came from the verifier's cache.
    pub from_cache: bool,
    /// How long it took, in milliseconds.
    pub millis: u64,
    /// Why it failed, when it did.
    pub error: Option<String>,
}
