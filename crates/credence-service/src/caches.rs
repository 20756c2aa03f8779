//! What the registry keeps in memory, shared by the areas that fill and read it: parsed
//! framework versions, signed status lists, served lists, verified proofs, prepared
//! achievements, what verification knows of this registry's issuers and computed workforce
//! views. A module of its own so that the registry and the areas both depend on it and not
//! on each other.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use credence_domain::{Attainment, Framework, OrgId, PathwayCode};
use credence_store::registry::{AccreditationRow, OrgRow};
use credence_vc::canon::PreparedAchievement;

/// What the registry keeps in memory: parsed framework versions (immutable) and the signed
/// status lists with the version they were read at.
#[derive(Debug, Default)]
pub struct Caches {
    pub(crate) frameworks: RwLock<HashMap<i64, Arc<Framework>>>,
    pub(crate) status_lists: Mutex<HashMap<(OrgId, String), CachedList>>,
    /// What the public status-list endpoint served, by (organisation slug, purpose): see
    /// `PublicDesk::status_list`.
    pub(crate) served_lists: Recent<(String, String), StatusListDocument>,
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
    /// What verification read about this registry's issuers (by DID), achievements'
    /// pathways (by id) and organisations (by slug): see `issuer_facts.rs`.
    pub(crate) issuers: Recent<String, Option<Arc<IssuerFacts>>>,
    pub(crate) pathways: Recent<String, Option<String>>,
    pub(crate) orgs: Recent<String, Option<OrgRow>>,
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

/// How many answers a [`Recent`] keeps before it starts again.
const MAX_RECENT: usize = 1024;

/// Answers read from the database, each reused while it is younger than the caller's
/// recheck time and this process has committed no write since it was read
/// ([`credence_store::Store::writes_committed`]): what this process changes is seen at once,
/// what another process sharing the database changes, within the recheck time.
#[derive(Debug)]
pub(crate) struct Recent<K, T>(RwLock<HashMap<K, Kept<T>>>);

#[derive(Debug)]
struct Kept<T> {
    value: T,
    read_at: Instant,
    writes: u64,
}

impl<K, T> Default for Recent<K, T> {
    fn default() -> Self {
        Self(RwLock::default())
    }
}

impl<K: std::hash::Hash + Eq, T: Clone> Recent<K, T> {
    /// The answer for `key`, if it is still current.
    pub(crate) fn get(&self, key: &K, recheck: std::time::Duration, writes: u64) -> Option<T> {
        let kept = self.0.read().ok()?;
        kept.get(key)
            .filter(|k| k.writes == writes && k.read_at.elapsed() < recheck)
            .map(|k| k.value.clone())
    }

    /// Keeps `value`, read at `read_at` when `writes` writes had been committed (both taken
    /// before the reading began).
    pub(crate) fn keep(&self, key: K, value: T, read_at: Instant, writes: u64) {
        if let Ok(mut kept) = self.0.write() {
            if kept.len() >= MAX_RECENT {
                kept.clear();
            }
            let entry = Kept {
                value,
                read_at,
                writes,
            };
            kept.insert(key, entry);
        }
    }
}

/// An issuer of this registry as verification sees it (`issuer_facts.rs`).
#[derive(Debug)]
pub(crate) struct IssuerFacts {
    pub(crate) org: OrgRow,
    /// Every key of the organisation, active and retired, as verification methods.
    pub(crate) methods: Vec<credence_vc::did::VerificationMethod>,
    /// The accrediting bodies this Credence trusts.
    pub(crate) trusted: Vec<OrgId>,
    /// The accreditations the organisation holds (in any state), with their bodies.
    pub(crate) accreditations: Vec<(AccreditationRow, OrgRow)>,
}
