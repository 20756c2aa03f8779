//! What the registry keeps in memory, shared by the areas that fill and read it: parsed
//! framework versions, signed status lists, served lists, verified proofs, prepared
//! achievements and computed workforce views. A module of its own so that the registry and the areas both depend on it
//! and not on each other.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use credence_domain::{Attainment, Framework, OrgId, PathwayCode};
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
    /// Pathway progress by profile of attested levels, for the collective views: a pure
    /// function of an immutable framework version, a pathway and the profile.
    pub(crate) progress: Mutex<ProgressMemo>,
    /// What verification read about this registry's issuers and achievements, reused for
    /// the status-list recheck time while this process has written nothing since.
    pub(crate) facts: crate::issuer_facts::FactsMemo,
    /// Workforce views as computed, by organisation and scope, with what they were computed
    /// from: see `workforce.rs`.
    pub(crate) views: Mutex<HashMap<ViewKey, Stamped>>,
    /// One lock per view key, so that requests arriving while a view is computed wait for
    /// it instead of computing it too.
    pub(crate) view_flights: Mutex<HashMap<ViewKey, Arc<tokio::sync::Mutex<()>>>>,
}

/// A computed view's key: the organisation and which of its views (a scope's name).
pub(crate) type ViewKey = (OrgId, &'static str);

/// A computed view with what it depends on: `stamp` (the database's change counters and
/// the settings it was computed with) must still be equal, and the clock before `until`
/// (when a count of the view would next change with time alone), for it to be reused.
/// The view is held as `Any` so that this module knows none of the areas' types.
#[derive(Clone)]
pub(crate) struct Stamped {
    pub(crate) stamp: Vec<(String, i64)>,
    pub(crate) until: chrono::DateTime<chrono::Utc>,
    pub(crate) view: Arc<dyn std::any::Any + Send + Sync>,
}

impl std::fmt::Debug for Stamped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stamped")
            .field("stamp", &self.stamp)
            .field("until", &self.until)
            .finish_non_exhaustive()
    }
}

impl Caches {
    /// How many computed views are kept before the memo starts again.
    pub(crate) const MAX_VIEWS: usize = 1_000;

    /// The view kept for `key`, if it was computed at `stamp` and `now` is before its end.
    pub(crate) fn view(
        &self,
        key: &ViewKey,
        stamp: &[(String, i64)],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Option<Arc<dyn std::any::Any + Send + Sync>> {
        let views = self.views.lock().ok()?;
        let kept = views.get(key)?;
        (kept.stamp == stamp && now < kept.until).then(|| kept.view.clone())
    }

    /// Keeps a computed view.
    pub(crate) fn keep_view(&self, key: ViewKey, stamped: Stamped) {
        if let Ok(mut views) = self.views.lock() {
            if views.len() >= Self::MAX_VIEWS && !views.contains_key(&key) {
                views.clear();
            }
            views.insert(key, stamped);
        }
    }

    /// The lock that one computation of `key` holds.
    pub(crate) fn view_flight(&self, key: &ViewKey) -> Arc<tokio::sync::Mutex<()>> {
        match self.view_flights.lock() {
            Ok(mut flights) => {
                if flights.len() >= Self::MAX_VIEWS && !flights.contains_key(key) {
                    flights.clear();
                }
                flights.entry(key.clone()).or_default().clone()
            }
            Err(_) => Arc::default(),
        }
    }
}

/// What a profile (sorted attested levels) achieves on a pathway: whether it completes it,
/// and which of the pathway's cells ([`credence_domain::coverage::cells`]) it meets.
pub(crate) type ProgressOutcome = (bool, Vec<bool>);

/// [`Caches::progress`]: by (framework version's row id, pathway), then by profile.
#[derive(Debug, Default)]
pub(crate) struct ProgressMemo {
    by_pathway: HashMap<(i64, PathwayCode), HashMap<Vec<Attainment>, ProgressOutcome>>,
    entries: usize,
}

impl ProgressMemo {
    /// How many outcomes are kept before the memo starts again (each a few hundred bytes).
    pub(crate) const MAX: usize = 200_000;

    pub(crate) fn get(
        &self,
        framework_id: i64,
        pathway: &PathwayCode,
        profile: &[Attainment],
    ) -> Option<&ProgressOutcome> {
        self.by_pathway
            .get(&(framework_id, pathway.clone()))?
            .get(profile)
    }

    pub(crate) fn insert(
        &mut self,
        framework_id: i64,
        pathway: &PathwayCode,
        profile: Vec<Attainment>,
        outcome: ProgressOutcome,
    ) {
        if self.entries >= Self::MAX {
            self.by_pathway.clear();
            self.entries = 0;
        }
        let slot = self
            .by_pathway
            .entry((framework_id, pathway.clone()))
            .or_default();
        if slot.insert(profile, outcome).is_none() {
            self.entries += 1;
        }
    }
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
