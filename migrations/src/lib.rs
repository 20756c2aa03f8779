//! Credence's migration history. One history serves SQLite and PostgreSQL; an applied
//! migration is never edited, only followed by a new one.

// Tests may unwrap: a panic there is a failed test. Code that ships may not.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_frameworks;
mod m20261128_000001_registry;
mod m20261128_000002_credential_ids;
mod m20261129_000001_portfolio;
mod m20261130_000001_bulk_job_leases;
mod m20261205_000001_conformance;
mod m20261205_000002_audit_checkpoints;
mod m20261206_000001_mail;
mod m20261206_000002_confirmed_addresses;
mod m20261206_000003_notifications;
mod m20261207_000001_claims;
mod m20261207_000002_reminders;
mod m20261207_000003_public_awards;
mod m20261208_000001_products;
mod m20261209_000001_teams_workforce;
mod m20261210_000001_credential_parts;
mod m20261210_000001_wallet_offers;
mod m20261212_000001_workforce_levels;
mod m20261212_000002_affiliations;
mod m20261213_000001_ob_api;
mod m20261214_000001_workforce_changes;

/// The ordered list of Credence's migrations.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_frameworks::Migration),
            Box::new(m20261128_000001_registry::Migration),
            Box::new(m20261128_000002_credential_ids::Migration),
            Box::new(m20261129_000001_portfolio::Migration),
            Box::new(m20261130_000001_bulk_job_leases::Migration),
            Box::new(m20261205_000001_conformance::Migration),
            Box::new(m20261205_000002_audit_checkpoints::Migration),
            Box::new(m20261206_000001_mail::Migration),
            Box::new(m20261206_000002_confirmed_addresses::Migration),
            Box::new(m20261206_000003_notifications::Migration),
            Box::new(m20261207_000001_claims::Migration),
            Box::new(m20261207_000002_reminders::Migration),
            Box::new(m20261207_000003_public_awards::Migration),
            Box::new(m20261208_000001_products::Migration),
            Box::new(m20261209_000001_teams_workforce::Migration),
            Box::new(m20261210_000001_wallet_offers::Migration),
            Box::new(m20261210_000001_credential_parts::Migration),
            Box::new(m20261212_000001_workforce_levels::Migration),
            Box::new(m20261212_000002_affiliations::Migration),
            Box::new(m20261213_000001_ob_api::Migration),
            Box::new(m20261214_000001_workforce_changes::Migration),
        ]
    }
}
