//! Credence's credential engine: Open Badges 3.0 documents, bundled JSON-LD contexts,
//! RDF canonicalisation, Data Integrity proofs, keys and DIDs, status lists and baking.
//!
//! This is the only crate that holds private key bytes for signing. It knows nothing of
//! databases or HTTP.
//!
//! Where to start:
//! - [`proof::sign`] and [`proof::verify_proofs`] make and check Data Integrity proofs
//!   (`eddsa-rdfc-2022` by default, `eddsa-jcs-2022`; `Ed25519Signature2020` verified only).
//! - [`canon::Canonicalizer`] turns JSON-LD into RDFC-1.0 N-Quads offline, in safe mode, with
//!   a work bound; [`canon::Canonicalizer::standard`] is the shared instance (call
//!   [`canon::Canonicalizer::warm_up`] at start-up).
//! - [`contexts`] lists the bundled contexts; any other context URL is refused.
//! - [`keys`] holds Ed25519 keys and the Multikey key file; [`did`] resolves `did:key` and
//!   defines [`did::DidResolver`], which the service implements for its `did:web` issuers.
//! - `vendor/README.md` (repository root) explains the patched `oxjsonld` and `oxrdf`.

// Tests may unwrap: a panic there is a failed test. Code that ships may not.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod baking;
pub mod canon;
pub mod contexts;
pub mod did;
pub mod error;
pub mod fetch_note;
pub mod jwt;
pub mod key_proof;
pub mod keys;
pub mod memo;
pub mod model;
pub mod ob2;
pub mod proof;
pub mod registries;
pub mod schema;
pub mod sealed;
pub mod status_check;
pub mod status_list;
pub mod vcdm;
pub mod verify;

pub use error::Error;
