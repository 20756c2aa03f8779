//! Credence's use cases. Authorisation is decided here and nowhere else; handlers and CLI
//! commands only translate requests.
//!
//! The use cases sit behind role handles, the [`desks`]: a caller opens the desk of its
//! role from the [`Registry`] (`registry.issuer(&actor, slug).await?`,
//! `registry.holder(&actor)?`, `registry.public()`, ...), which checks the actor's
//! permission once and keeps the proof, and the desk offers exactly what that role may do.
//! A web handler reaches a use case only through the desk of its role.

// Tests may unwrap: a panic there is a failed test. Code that ships may not.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod accounts;
pub mod accreditation;
mod achievements;
pub mod actor;
pub mod affiliations;
pub mod audit_chain;
mod award_access;
pub mod award_list;
mod award_record;
pub mod awards;
pub mod badges;
pub mod bulk;
mod caches;
pub mod case;
pub mod change_address;
mod checkpoint;
pub mod claims;
pub mod confirm_address;
pub mod demo;
pub mod desks;
mod error;
pub mod evidence;
pub mod expiry;
mod forms;
pub mod frameworks;
pub mod guard;
mod issuer_facts;
pub mod issuing;
pub mod mail;
pub mod metrics;
pub mod notifications;
pub mod oauth;
pub mod ob2;
pub mod obapi;
pub mod oid4vci;
pub mod operator;
pub mod orgs;
pub mod password_reset;
pub mod portfolio;
pub mod products;
pub mod registry;
pub mod reminders;
pub mod remote;
pub mod schemas;
pub mod status;
mod status_indices;
pub mod teams;
pub mod vcapi;
pub mod verification;
pub mod workforce;

pub use actor::{Actor, Operator};
pub use award_record::record_id;
pub use credence_store::registry::Page;
pub use error::{error_chain, BoxError, Fault, ServiceError};
pub use frameworks::{FrameworkService, ImportReport};
pub use registry::{PasswordCost, Quotas, Registry, RegistryConfig};

use credence_store::Store;

/// Every service, sharing one store. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Services {
    store: Store,
    pub frameworks: FrameworkService,
    /// Accounts, organisations, evidence, awards, status lists, accreditation, audit.
    pub registry: Registry,
}

impl Services {
    pub fn new(store: Store, config: RegistryConfig) -> Self {
        Self {
            frameworks: FrameworkService::new(store.clone()),
            registry: Registry::new(store.clone(), config),
            store,
        }
    }

    /// Whether the database answers; for readiness probes.
    pub async fn ready(&self) -> Result<(), ServiceError> {
        self.store.ping().await.map_err(ServiceError::from)
    }
}
