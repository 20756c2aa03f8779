//! Credence's web layer: the only crate that knows HTTP and HTML. [`router`] builds the
//! whole application so that tests can drive it without a socket.

// Tests may unwrap: a panic there is a failed test. Code that ships may not.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod api;
mod assets;
pub mod auth;
mod error;
mod metrics;
mod negotiate;
mod pages;
mod router;
pub mod throttle;

pub use error::WebError;
pub use router::{documented_routes, metrics_router, router};

use std::sync::Arc;

use credence_service::Services;

/// Settings of the web layer, as plain values (the CLI reads them from configuration).
#[derive(Clone)]
pub struct WebConfig {
    /// The largest request body accepted, in bytes.
    pub body_limit_bytes: usize,
    /// Who may read `GET /metrics` on this router: with a token, callers that send it as
    /// `Authorization: Bearer …`; without one, nobody (the operator serves metrics on a
    /// listener of their own, [`metrics_router`], or not at all).
    pub metrics_token: Option<String>,
    /// Requests a minute per client address for sign-in, registration, bad API tokens and
    /// verification.
    pub limits: throttle::Limits,
}

impl std::fmt::Debug for WebConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebConfig")
            .field("body_limit_bytes", &self.body_limit_bytes)
            .field("limits", &self.limits)
            .field(
                "metrics_token",
                &self.metrics_token.as_ref().map(|_| "[redacted]"),
            )
            .finish()
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            body_limit_bytes: 1024 * 1024,
            metrics_token: None,
            limits: throttle::Limits::default(),
        }
    }
}

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub services: Services,
    pub config: Arc<WebConfig>,
    /// Request counts and latencies, and the registry in which `/metrics` finds them.
    pub metrics: Arc<metrics::HttpMetrics>,
    /// Per-client budgets.
    pub throttles: Arc<throttle::Throttles>,
}

impl AppState {
    pub fn new(services: Services, config: WebConfig) -> Self {
        Self {
            metrics: Arc::new(metrics::HttpMetrics::new(&services)),
            throttles: Arc::new(throttle::Throttles::new(&config.limits)),
            services,
            config: Arc::new(config),
        }
    }
}
