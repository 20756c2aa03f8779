//! What the registry keeps in memory, shared by the areas that fill and read it: parsed
//! framework versions, signed status lists, served lists, verified proofs and prepared
//! achievements. A module of its own so that the registry and the areas both depend on it
//! and not on each other.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use credence_domain::{Framework, OrgId};
use credence_vc::canon::PreparedAchievement;

/// What the registry keeps in memory: parsed framework versions (immutable) and the signed
/// status lists with the version they were read at.
#[derive(Debug, Default)]
pub struct Caches {
    pub(crate) frameworks: RwLock<HashMap<i64, Arc<Framework>>>,
    pub(crate) status_lists: Mutex<HashMap<(OrgId, String), CachedList>>,
    /// What the public status-list endpoint served, by (organisation slug, purpose), and
    /// when it last asked the database: see `PublicDesk::status_list`.
    pub(crate) served_lists: RwLock<HashMap<(String, String), ServedList>>,
    /// Bumped after every status change this process commits, so that lists served from
    /// memory before it are read again at once.
    pub(crate) list_generation: std::sync::atomic::AtomicU64,
    /// Documents whose proofs verified, so that verifying one again costs a hash.
    pub(crate) proofs: credence_vc::memo::ProofMemo,
    /// Achievements read into RDF once, by their `id`, for signing and verifying the
    /// credentials that embed them (a credential uses one only if it embeds exactly it).
    pub(crate) prepared: Mutex<HashMap<String, Arc<PreparedAchievement>>>,
    /// Framework versions as CASE packages, by (slug, version): versions are immutable.
    pub(crate) case_packages:
        RwLock<HashMap<(String, String), Arc<credence_domain::case::CfPackage>>>,
}

/// A signed status list's version and JSON text, by (organisation id, purpose).
pub(crate) type CachedList = (i64, Arc<String>);

/// A signed status list credential as served.
#[derive(Debug, Clone)]
pub struct StatusListDocument {
    pub version: i64,
    /// The signed credential's JSON text.
    pub json: Arc<String>,
}

/// A list the public endpoint served, with when the database was last asked about it.
#[derive(Debug, Clone)]
pub(crate) struct ServedList {
    pub(crate) document: StatusListDocument,
    /// Taken before the database was read.
    pub(crate) checked: Instant,
    /// [`Caches::list_generation`] before the database was read.
    pub(crate) generation: u64,
}
