//! Liveness and readiness probes.

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::{AppState, WebError};

/// `GET /healthz`: the process is up.
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// `GET /readyz`: the process can serve requests, which needs the database.
pub async fn readyz(State(state): State<AppState>) -> Result<Json<Value>, WebError> {
    state.services.ready().await?;
    Ok(Json(json!({"status": "ready", "database": "reachable"})))
}
