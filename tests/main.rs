//! Credence's integration tests, all in one binary: HTTP, CLI, storage, and the browser.
//! They run against SQLite, and against PostgreSQL when `CREDENCE_TEST_DATABASE_URL` names
//! an administrative connection (each test then gets a database of its own).

// Tests may unwrap: a panic there is a failed test.
#![allow(clippy::unwrap_used)]

mod affiliations;
mod audit_checkpoint;
mod authz_matrix;
mod backup;
mod badge_png;
mod browser;
mod browser_expiry;
mod browser_wallet;
mod case;
mod claims;
mod cli;
mod config_env;
mod conformance;
mod console;
mod console_award_list;
mod demo;
mod expiry;
mod fetch;
mod fetch_surfaces;
mod forms;
mod forms_console;
mod frameworks_http;
mod frameworks_schema;
mod frameworks_store;
mod logs;
mod mail;
mod mail_crash;
mod multiprocess;
mod ob2;
mod obapi;
mod observability;
mod oid4vci;
mod operator_pages;
mod pages;
mod products;
mod registry_awards;
mod registry_core;
mod registry_evidence;
mod registry_vcapi;
mod reminders;
mod resilience;
mod security;
mod smtp_sink;
mod storage_compaction;
mod support;
mod teams;
mod tidy;
mod tidy_routes;
mod topics;
mod vc_cli;
mod vc_interop;
mod vc_jwt;
mod workforce;
mod workforce_memo;
