//! `GET /audit/checkpoint` (public): the latest signed checkpoint of the audit chain, for
//! anyone to keep. Its public key and signature let an auditor check it with no account, and
//! later check a copy of the registry against it (`credence audit verify --checkpoint`).

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;

use crate::{AppState, WebError};

/// `GET /audit/checkpoint`: `{"type": "CredenceAuditCheckpoint", "seq", "hash", "at",
/// "publicKeyMultibase", "signature"}`; 404 before the first checkpoint is made.
pub async fn latest(State(state): State<AppState>) -> Result<impl IntoResponse, WebError> {
    let checkpoint = state
        .services
        .registry
        .public()
        .latest_audit_checkpoint()
        .await?;
    Ok(([(header::CACHE_CONTROL, "no-cache")], Json(checkpoint)))
}
