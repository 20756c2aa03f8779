//! Credence's credential engine: Open Badges 3.0 documents, bundled JSON-LD contexts,
//! RDF canonicalisation, Data Integrity proofs, keys and DIDs, status lists and baking.
//!
//! This is the only crate that holds private key bytes for signing. It knows nothing of
//! databases or HTTP.

pub mod baking;
pub mod canon;
pub mod contexts;
pub mod did;
pub mod error;
pub mod keys;
pub mod model;
pub mod proof;
pub mod schema;
pub mod status_list;

pub use error::Error;
