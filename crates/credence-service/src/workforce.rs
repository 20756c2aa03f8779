//! The workforce view for Drivers: an organisation's people by archetype, their coverage
//! of the foundational pathway and of their archetypes' advanced pathways by factor and
//! level (a heat map), the credentials of the organisation they hold, progress against the
//! organisation's targets, attestations and awards by month, and credentials expiring.
//!
//! Its people are those whose evidence the organisation attested, or who hold one of its
//! credentials; their coverage is computed from the evidence it attested (what the
//! organisation already holds) with [`credence_domain::progress`], once per distinct
//! profile of attested levels and kept in the registry's memo (`workforce/plan.rs`), from
//! a few queries (the evidence read as one row per person, which the database keeps).
//! An organisation to which others are affiliated (`affiliations.rs`; an integrated care
//! system) also has the system's view ([`Scope::System`]) over its people and theirs.
//! Every count is an aggregate put through [`credence_domain::disclosure::suppress`]
//! (threshold `workforce.suppress_below`), both views of one organisation together, and
//! no name appears. Only the organisation's administrators (and the operator) see it.
//! Targets are set in `workforce/targets.rs`; the CSV is written by `workforce/csv.rs`.

use std::sync::Arc;

use chrono::{DateTime, Datelike, TimeZone, Utc};
use credence_domain::disclosure::{suppress, Group, People, Shown};
use credence_domain::{ArchetypeCode, Framework, PathwayCode, TargetId};
use credence_store::registry::TargetRow;
use serde::Serialize;

use crate::achievements::DEFAULT_FRAMEWORK;
use crate::caches::{Stamped, ViewKey};
use crate::desks::OrgAdminDesk;
use crate::evidence::{framework_by_slug, LoadedFramework};
use crate::ServiceError;

use plan::{reckon, Events, MapPlan, Plan, Reckoner, ScopeData, Universe};

mod csv;
mod plan;
mod targets;

pub use targets::NewTarget;

/// How far ahead "expiring" looks.
pub const EXPIRING_DAYS: i64 = 90;
/// How many months the monthly table covers (this month and the ones before).
pub const MONTHS: usize = 12;

/// A level as a heat map's column.
#[derive(Debug, Clone, Serialize)]
pub struct LevelHead {
    pub code: String,
    pub name: String,
}

/// One cell of a heat map: people who meet every requirement of a factor at a level.
#[derive(Debug, Clone, Serialize)]
pub struct HeatCell {
    pub level: String,
    pub people: Shown,
    /// Of the map's population, when both counts are published.
    pub percent: Option<u32>,
}

/// A heat map's row: one factor (or a layer without factors).
#[derive(Debug, Clone, Serialize)]
pub struct HeatRow {
    pub layer: String,
    pub factor: String,
    /// One per level of `levels`; `None` where the pathway requires nothing.
    pub cells: Vec<Option<HeatCell>>,
}

/// Factor by level for one population and pathway.
#[derive(Debug, Clone, Serialize)]
pub struct HeatMap {
    /// `everyone`, or an archetype's code.
    pub population: String,
    pub population_name: String,
    pub pathway: String,
    pub pathway_name: String,
    pub people: Shown,
    pub complete: Shown,
    pub levels: Vec<LevelHead>,
    pub rows: Vec<HeatRow>,
}

/// People of one archetype.
#[derive(Debug, Clone, Serialize)]
pub struct ArchetypeRow {
    pub archetype: String,
    pub name: String,
    pub people: Shown,
    pub advanced_complete: Shown,
}

/// People holding a current credential of the organisation for one pathway.
#[derive(Debug, Clone, Serialize)]
pub struct AwardsHeld {
    pub pathway: String,
    pub name: String,
    pub people: Shown,
}

/// A target and where the organisation stands.
#[derive(Debug, Clone, Serialize)]
pub struct TargetView {
    pub id: TargetId,
    pub archetype: Option<String>,
    pub population_name: String,
    pub pathway: String,
    pub pathway_name: String,
    pub percent: u32,
    pub due: String,
    pub people: Shown,
    pub complete: Shown,
    /// The share complete now, when both counts are published.
    pub percent_now: Option<u32>,
    /// How many more people must complete, when both counts are published.
    pub still_needed: Option<u64>,
}

/// One month's events.
#[derive(Debug, Clone, Serialize)]
pub struct MonthRow {
    /// `YYYY-MM`.
    pub month: String,
    pub attestations: Shown,
    pub awards: Shown,
}

/// An organisation's workforce view.
#[derive(Debug, Clone, Serialize)]
pub struct WorkforceView {
    pub org: String,
    pub org_name: String,
    pub scope: Scope,
    /// The organisations whose people the view counts (the organisation itself first).
    pub covers: Vec<Covered>,
    /// How many organisations are affiliated to this one (whatever the scope).
    pub affiliates: usize,
    pub framework: String,
    pub framework_version: String,
    /// Counts under this are shown as "fewer than" it.
    pub suppress_below: u64,
    pub people: Shown,
    pub archetypes: Vec<ArchetypeRow>,
    pub heatmaps: Vec<HeatMap>,
    pub awards_held: Vec<AwardsHeld>,
    pub targets: Vec<TargetView>,
    /// Oldest month first.
    pub months: Vec<MonthRow>,
    /// Credentials of the organisation that expire in the next [`EXPIRING_DAYS`] days.
    pub expiring: Shown,
    pub expiring_days: i64,
}

fn percent(part: Shown, whole: Shown) -> Option<u32> {
    let (p, w) = (part.exact()?, whole.exact()?);
    (w > 0).then(|| u32::try_from(p * 100 / w).unwrap_or(100))
}

/// The first instant of the month after `now`'s.
fn next_month(now: DateTime<Utc>) -> DateTime<Utc> {
    let (y, m) = if now.month() == 12 {
        (now.year() + 1, 1)
    } else {
        (now.year(), now.month() + 1)
    };
    Utc.with_ymd_and_hms(y, m, 1, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The last [`MONTHS`] months up to `now`'s, oldest first.
fn months_to(now: DateTime<Utc>) -> Vec<String> {
    let (mut y, mut m) = (now.year(), now.month());
    let mut out = Vec::with_capacity(MONTHS);
    for _ in 0..MONTHS {
        out.push(format!("{y:04}-{m:02}"));
        if m == 1 {
            y -= 1;
            m = 12;
        } else {
            m -= 1;
        }
    }
    out.reverse();
    out
}

/// The framework's levels in taxonomy order, each by rank.
fn level_heads(framework: &Framework) -> Vec<LevelHead> {
    framework
        .document()
        .taxonomies
        .iter()
        .flat_map(|t| {
            let mut l: Vec<_> = t.levels.iter().collect();
            l.sort_by_key(|l| l.rank);
            l.into_iter().map(|l| LevelHead {
                code: l.code.to_string(),
                name: l.name.clone(),
            })
        })
        .collect()
}

fn pathway_name(framework: &Framework, p: &PathwayCode) -> String {
    framework
        .pathway(p)
        .map_or_else(|| p.to_string(), |x| x.name.clone())
}

/// A heat map as published.
fn heatmap_view(
    framework: &Framework,
    m: MapPlan,
    shown: &[Shown],
    levels: &[LevelHead],
) -> HeatMap {
    let mut rows: Vec<HeatRow> = Vec::new();
    for (cell, at) in m.cells.iter().zip(&m.cell_at) {
        let i = match rows
            .iter()
            .position(|r| r.layer == cell.layer && r.factor == cell.place())
        {
            Some(i) => i,
            None => {
                rows.push(HeatRow {
                    layer: cell.layer.clone(),
                    factor: cell.place().to_owned(),
                    cells: vec![None; levels.len()],
                });
                rows.len() - 1
            }
        };
        if let Some(col) = levels.iter().position(|l| l.code == cell.level.as_str()) {
            rows[i].cells[col] = Some(HeatCell {
                level: cell.level.to_string(),
                people: shown[*at],
                percent: percent(shown[*at], shown[m.population_at]),
            });
        }
    }
    HeatMap {
        population: m.key,
        population_name: m.name,
        pathway_name: pathway_name(framework, &m.pathway),
        pathway: m.pathway.to_string(),
        people: shown[m.population_at],
        complete: shown[m.complete_at],
        levels: levels.to_vec(),
        rows,
    }
}

/// A target as published: what is still needed only when both counts are.
fn target_view(
    framework: &Framework,
    archetypes: &[(ArchetypeCode, String, People, usize)],
    (t, pathway, population_at, complete_at): (TargetRow, PathwayCode, usize, usize),
    shown: &[Shown],
) -> TargetView {
    let people = shown[population_at];
    let complete = shown[complete_at];
    let still_needed = match (people.exact(), complete.exact()) {
        (Some(p), Some(c)) => {
            let goal = (p * u64::try_from(t.percent).unwrap_or(0)).div_ceil(100);
            Some(goal.saturating_sub(c))
        }
        _ => None,
    };
    TargetView {
        population_name: t
            .archetype
            .as_ref()
            .and_then(|a| archetypes.iter().find(|x| x.0.as_str() == a))
            .map_or_else(|| "Everyone".to_owned(), |x| x.1.clone()),
        id: t.id,
        archetype: t.archetype,
        pathway_name: pathway_name(framework, &pathway),
        pathway: pathway.to_string(),
        percent: u32::try_from(t.percent).unwrap_or(0),
        due: t.due,
        people,
        complete,
        percent_now: percent(complete, people),
        still_needed,
    }
}

/// Which people a view describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// The organisation's own people, with the evidence it attested.
    Organisation,
    /// The people of the organisation and of those affiliated to it, with the evidence any
    /// of them attested (an integrated care system's view).
    System,
}

impl Scope {
    /// The scope's name, as a key of the registry's memo of views.
    fn key(self) -> &'static str {
        match self {
            Self::Organisation => "organisation",
            Self::System => "system",
        }
    }
}

/// An organisation a view covers.
#[derive(Debug, Clone, Serialize)]
pub struct Covered {
    pub slug: String,
    pub name: String,
}

impl OrgAdminDesk<'_> {
    /// The organisation's workforce view (see the module's documentation).
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug))]
    pub async fn workforce(&self) -> Result<WorkforceView, ServiceError> {
        self.workforce_in(Scope::Organisation).await
    }

    /// One view of the organisation: its own ([`Scope::Organisation`]), or the system's
    /// across it and the organisations affiliated to it, with its targets measured across
    /// them ([`Scope::System`]; with no affiliates, the same people as its own). An
    /// organisation with affiliates has both views computed and suppressed together, so
    /// that no count of one differs from a count of the other by a small number.
    ///
    /// A computed view is kept in the registry's memory and served again while nothing it
    /// depends on has changed: the database's change counters of the organisation, of its
    /// affiliates and of the frameworks (raised by triggers, so changes made by any process
    /// count; read before the view's own reads), and the clock before the next instant at
    /// which a count would change with time alone (a new month, a credential reaching its
    /// end or its expiring window).
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug))]
    pub async fn workforce_in(&self, scope: Scope) -> Result<WorkforceView, ServiceError> {
        let key: ViewKey = (self.admin.0.org.id.clone(), scope.key());
        let stamp = self.view_stamp().await?;
        if let Some(view) = self.kept_view(&key, &stamp) {
            return Ok(view);
        }
        let flight = self.caches.view_flight(&key);
        let _computing = flight.lock().await;
        // Another request may have computed it while this one waited; read after the wait,
        // the stamp is also the one the view computed now is kept under.
        let stamp = self.view_stamp().await?;
        if let Some(view) = self.kept_view(&key, &stamp) {
            return Ok(view);
        }
        let (view, until) = self.compute_view(scope, self.now()).await?;
        self.caches.keep_view(
            key,
            Stamped {
                stamp,
                until,
                view: Arc::new(view.clone()),
            },
        );
        Ok(view)
    }

    /// The database's change counters of what a view of the organisation reads: read
    /// before anything the view is computed from, so that a view is never newer than its
    /// stamp says. (The organisation's name is among what they count, and the suppression
    /// threshold is fixed for the process.)
    async fn view_stamp(&self) -> Result<Vec<(String, i64)>, ServiceError> {
        let tx = self.store.read().await?;
        Ok(tx.workforce_changes(&self.admin.0.org.id).await?)
    }

    /// The view kept for `key` if it was computed at `stamp` and is still current.
    fn kept_view(&self, key: &ViewKey, stamp: &[(String, i64)]) -> Option<WorkforceView> {
        self.caches
            .view(key, stamp, self.now())
            .and_then(|v| v.downcast_ref::<WorkforceView>().cloned())
    }

    /// Computes one view of the organisation (see [`Self::workforce_in`]) from the
    /// database, with the instant from which it may differ with time alone.
    async fn compute_view(
        &self,
        scope: Scope,
        now: DateTime<Utc>,
    ) -> Result<(WorkforceView, DateTime<Utc>), ServiceError> {
        let org = &self.admin.0.org;
        let tx = self.store.read().await?;
        let loaded = framework_by_slug(&tx, DEFAULT_FRAMEWORK, None)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("framework '{DEFAULT_FRAMEWORK}'")))?;
        let affiliates = tx.affiliated_orgs(&org.id).await?;
        let mut covered = vec![Covered {
            slug: org.slug.to_string(),
            name: org.name.clone(),
        }];
        for id in &affiliates {
            if let Some(o) = tx.org(id).await? {
                covered.push(Covered {
                    slug: o.slug.to_string(),
                    name: o.name,
                });
            }
        }
        let own = [org.id.clone()];
        let mut everyone = own.to_vec();
        everyone.extend(affiliates.iter().cloned());
        let targets = tx.targets_of_org(&org.id).await?;
        let mut scopes = Vec::new();
        for orgs in [&own[..], &everyone[..]] {
            scopes.push(ScopeData {
                levels: tx.workforce_levels(orgs, loaded.id).await?,
                holders: tx.workforce_award_holders(orgs).await?,
                awards: tx.workforce_awards(orgs).await?,
                targets: targets.clone(),
            });
            if affiliates.is_empty() {
                break;
            }
        }
        drop(tx);
        let framework = loaded.framework.clone();
        let caches = self.caches.clone();
        let framework_id = loaded.id;
        // Progress is computed away from the async workers: it is the costly part.
        let reckoned = tokio::task::spawn_blocking(move || {
            let r = Reckoner {
                framework: &framework,
                framework_id,
                memo: &caches.progress,
            };
            let universe = Universe::new(&framework, &scopes);
            scopes
                .into_iter()
                .map(|data| reckon(r, &universe, data, now))
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|e| ServiceError::internal_from("computing the workforce view", e))?;

        let k = self.config.workforce_suppress_below;
        // Every scope's sets suppressed as one table, each scope's indices shifted.
        let mut sets: Vec<&People> = Vec::new();
        let mut groups: Vec<Group> = Vec::new();
        let mut offsets = Vec::new();
        for (plan, _) in &reckoned {
            let at = sets.len();
            offsets.push(at);
            groups.extend(plan.sets.groups.iter().map(|g| Group {
                total: g.total + at,
                parts: g.parts.iter().map(|p| p + at).collect(),
            }));
            sets.extend(plan.sets.sets.iter());
        }
        let shown = suppress(&sets, k, &groups);
        let mut months: Vec<Vec<MonthRow>> = reckoned
            .iter()
            .map(|(_, events)| month_rows(events, now, k))
            .collect();
        if let [own, system] = &mut months[..] {
            withhold_small_differences(own, system, k);
        }
        let which = match scope {
            Scope::Organisation => 0,
            Scope::System => reckoned.len() - 1,
        };
        let affiliates = covered.len() - 1;
        let covers = match scope {
            Scope::Organisation => covered[..1].to_vec(),
            Scope::System => covered,
        };
        let month_rows = months.swap_remove(which);
        let until = reckoned
            .iter()
            .filter_map(|(_, events)| events.next_change)
            .fold(next_month(now), std::cmp::min);
        let Some((plan, events)) = reckoned.into_iter().nth(which) else {
            return Err(ServiceError::internal(
                "the workforce view computed no scope",
            ));
        };
        let view = self.view(
            &loaded,
            (scope, covers, affiliates),
            plan,
            &events,
            month_rows,
            &shown[offsets[which]..],
        );
        Ok((view, until))
    }

    /// A scope's view as published, from its plan and what suppression decided.
    fn view(
        &self,
        loaded: &LoadedFramework,
        (scope, covers, affiliates): (Scope, Vec<Covered>, usize),
        plan: Plan,
        events: &Events,
        months: Vec<MonthRow>,
        shown: &[Shown],
    ) -> WorkforceView {
        let org = &self.admin.0.org;
        let framework = &loaded.framework;
        let k = self.config.workforce_suppress_below;
        let levels = level_heads(framework);
        let heatmaps: Vec<HeatMap> = plan
            .maps
            .into_iter()
            .map(|m| heatmap_view(framework, m, shown, &levels))
            .collect();
        let archetypes = plan
            .archetype_at
            .iter()
            .map(|(code, name, _, at)| ArchetypeRow {
                archetype: code.to_string(),
                name: name.clone(),
                people: shown[*at],
                advanced_complete: heatmaps
                    .iter()
                    .find(|m| m.population == code.as_str())
                    .map_or(Shown::FewerThan(k), |m| m.complete),
            })
            .collect();
        let targets = plan
            .target_at
            .into_iter()
            .map(|t| target_view(framework, &plan.archetype_at, t, shown))
            .collect();
        WorkforceView {
            org: org.slug.to_string(),
            org_name: org.name.clone(),
            scope,
            covers,
            affiliates,
            framework: loaded.slug.clone(),
            framework_version: loaded.version.clone(),
            suppress_below: k,
            people: shown[plan.everyone_at],
            archetypes,
            heatmaps,
            awards_held: plan
                .held_at
                .into_iter()
                .map(|(p, at)| AwardsHeld {
                    name: PathwayCode::new(&p)
                        .map_or_else(|_| p.clone(), |c| pathway_name(framework, &c)),
                    pathway: p,
                    people: shown[at],
                })
                .collect(),
            targets,
            months,
            expiring: small(events.expiring, k),
            expiring_days: EXPIRING_DAYS,
        }
    }
}

/// A count of events (not people) as published.
fn small(count: u64, k: u64) -> Shown {
    if count < k {
        Shown::FewerThan(k)
    } else {
        Shown::Exact(count)
    }
}

/// The monthly table of a scope's events.
fn month_rows(events: &Events, now: DateTime<Utc>, k: u64) -> Vec<MonthRow> {
    months_to(now)
        .into_iter()
        .map(|m| MonthRow {
            attestations: small(events.attested_by_month.get(&m).copied().unwrap_or(0), k),
            awards: small(events.awarded_by_month.get(&m).copied().unwrap_or(0), k),
            month: m,
        })
        .collect()
}

/// The system's monthly counts include the organisation's: where the two differ by 1 to
/// k - 1, the system's is withheld, so that the affiliates' small count cannot be read off.
fn withhold_small_differences(own: &[MonthRow], system: &mut [MonthRow], k: u64) {
    for (o, s) in own.iter().zip(system.iter_mut()) {
        for (a, b) in [
            (o.attestations, &mut s.attestations),
            (o.awards, &mut s.awards),
        ] {
            if let (Some(x), Some(y)) = (a.exact(), b.exact()) {
                if y > x && y - x < k {
                    *b = Shown::Withheld;
                }
            }
        }
    }
}
