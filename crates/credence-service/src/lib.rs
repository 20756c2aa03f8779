//! Credence's use cases. Every operation takes the actor performing it, so authorisation is
//! decided here and nowhere else; handlers and CLI commands only translate requests.

pub mod actor;
pub mod documents;
mod error;
pub mod frameworks;

pub use actor::Operator;
pub use error::ServiceError;
pub use frameworks::{FrameworkService, ImportReport};

use credence_store::Store;

/// Every service, sharing one store. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Services {
    store: Store,
    pub frameworks: FrameworkService,
}

impl Services {
    pub fn new(store: Store) -> Self {
        Self {
            frameworks: FrameworkService::new(store.clone()),
            store,
        }
    }

    /// Whether the database answers; for readiness probes.
    pub async fn ready(&self) -> Result<(), ServiceError> {
        self.store.ping().await.map_err(ServiceError::from)
    }
}
