//! Credence's web layer: the only crate that knows HTTP and HTML. [`router`] builds the
//! whole application so that tests can drive it without a socket.

pub mod api;
mod assets;
pub mod auth;
mod error;
mod metrics;
mod negotiate;
mod pages;
mod router;

pub use error::WebError;
pub use router::router;

use std::sync::Arc;

use credence_service::Services;

/// Settings of the web layer, as plain values (the CLI reads them from configuration).
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The largest request body accepted, in bytes.
    pub body_limit_bytes: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            body_limit_bytes: 1024 * 1024,
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
}

impl AppState {
    pub fn new(services: Services, config: WebConfig) -> Self {
        Self {
            metrics: Arc::new(metrics::HttpMetrics::new(&services)),
            services,
            config: Arc::new(config),
        }
    }
}
