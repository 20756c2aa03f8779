//! The workforce view for Drivers: an organisation's people by archetype, their coverage
//! of the foundational pathway and of their archetypes' advanced pathways by factor and
//! level (a heat map), the credentials of the organisation they hold, progress against the
//! organisation's targets, attestations and awards by month, and credentials expiring.
//!
//! Its people are those whose evidence the organisation attested, or who hold one of its
//! credentials; their coverage is computed from the evidence it attested (what the
//! organisation already holds), each person's progress once per request with
//! [`credence_domain::progress`], from three queries. Every count is an aggregate put
//! through [`credence_domain::disclosure::suppress`] (threshold `workforce.suppress_below`),
//! and no name appears. Only the organisation's administrators (and the operator) see it.
//! Targets are set in `workforce/targets.rs`; the CSV is written by `workforce/csv.rs`.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, Utc};
use credence_domain::coverage::{cells, cells_met, Cell};
use credence_domain::disclosure::{suppress, Group, People, Shown};
use credence_domain::registry::AwardStatus;
use credence_domain::{
    AccountId, ArchetypeCode, Attainment, Framework, LevelCode, PathwayCode, PathwayKind,
    StatementCode, TargetId,
};
use credence_store::registry::{TargetRow, WorkforceAward, WorkforceLevels, WorkforcePerson};
use serde::Serialize;

use crate::achievements::DEFAULT_FRAMEWORK;
use crate::desks::OrgAdminDesk;
use crate::evidence::framework_by_slug;
use crate::ServiceError;

mod csv;
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

/// The published sets, in the order they are registered, and the groups with totals.
#[derive(Default)]
struct Sets {
    sets: Vec<People>,
    groups: Vec<Group>,
}

impl Sets {
    fn add(&mut self, s: People) -> usize {
        self.sets.push(s);
        self.sets.len() - 1
    }
}

/// One person of the view: the archetypes they follow and their attested levels, sorted,
/// with `profile` the same number for everyone with the same levels (progress is a pure
/// function of them, so it is computed once per profile and pathway).
struct Person {
    archetypes: Vec<ArchetypeCode>,
    profile: usize,
}

fn percent(part: Shown, whole: Shown) -> Option<u32> {
    let (p, w) = (part.exact()?, whole.exact()?);
    (w > 0).then(|| u32::try_from(p * 100 / w).unwrap_or(100))
}

fn month_key(t: DateTime<Utc>) -> String {
    format!("{:04}-{:02}", t.year(), t.month())
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

fn advanced_of(framework: &Framework, archetype: &ArchetypeCode) -> Option<PathwayCode> {
    framework
        .document()
        .pathways
        .iter()
        .find(|p| p.kind == PathwayKind::Advanced && p.archetype.as_ref() == Some(archetype))
        .map(|p| p.code.clone())
}

/// The people of `population` (indices) who complete `pathway`, and per cell of the
/// pathway those who meet it: the progress of each distinct profile among them computed
/// once, the profiles shared out over the machine's cores.
fn pathway_sets(
    framework: &Framework,
    pathway: &PathwayCode,
    people: &[Person],
    profiles: &[Vec<Attainment>],
    population: &People,
    cells: &[Cell],
) -> (People, Vec<People>) {
    let mut wanted: Vec<usize> = (0..people.len())
        .filter(|i| population.contains(*i))
        .map(|i| people[i].profile)
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    let chunk = wanted.len().div_ceil(threads).max(1);
    let evaluate = |ids: &[usize]| -> Vec<(usize, bool, Vec<bool>)> {
        ids.iter()
            .filter_map(|&id| {
                let p = credence_domain::progress(framework, pathway, profiles.get(id)?).ok()?;
                Some((id, p.complete, cells_met(&p, cells)))
            })
            .collect()
    };
    let results: Vec<(usize, bool, Vec<bool>)> = if wanted.len() < 64 || threads == 1 {
        evaluate(&wanted)
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = wanted
                .chunks(chunk)
                .map(|ids| scope.spawn(move || evaluate(ids)))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        })
    };
    let by_profile: HashMap<usize, (bool, Vec<bool>)> = results
        .into_iter()
        .map(|(id, complete, met)| (id, (complete, met)))
        .collect();
    let mut complete = People::with_capacity(people.len());
    let mut met: Vec<People> = cells
        .iter()
        .map(|_| People::with_capacity(people.len()))
        .collect();
    for (i, person) in people.iter().enumerate() {
        if !population.contains(i) {
            continue;
        }
        let Some((done, cells_met)) = by_profile.get(&person.profile) else {
            continue;
        };
        if *done {
            complete.insert(i);
        }
        for (c, ok) in cells_met.iter().enumerate() {
            if *ok {
                met[c].insert(i);
            }
        }
    }
    (complete, met)
}

/// What the view publishes, before suppression: every set of people with its index, and
/// where each part of the view finds its sets.
struct Plan {
    sets: Sets,
    everyone_at: usize,
    /// (code, name, set, index) per archetype.
    archetype_at: Vec<(ArchetypeCode, String, People, usize)>,
    maps: Vec<MapPlan>,
    /// (target, pathway, population's index, completers' index).
    target_at: Vec<(TargetRow, PathwayCode, usize, usize)>,
    /// (pathway, index) of the holders of a current credential.
    held_at: Vec<(String, usize)>,
}

/// One heat map's sets.
struct MapPlan {
    key: String,
    name: String,
    pathway: PathwayCode,
    cells: Vec<Cell>,
    population_at: usize,
    complete_at: usize,
    cell_at: Vec<usize>,
}

/// The events the view counts (not people): by month, and expiring soon.
#[derive(Default)]
struct Events {
    attested_by_month: HashMap<String, u64>,
    awarded_by_month: HashMap<String, u64>,
    expiring: u64,
}

impl Plan {
    /// Everyone, then the people of each archetype (a group of everyone, for rule 3).
    fn new(framework: &Framework, people: &[Person]) -> Self {
        let n = people.len();
        let mut sets = Sets::default();
        let mut everyone = People::with_capacity(n);
        (0..n).for_each(|i| everyone.insert(i));
        let everyone_at = sets.add(everyone);
        let mut archetype_at = Vec::new();
        for a in &framework.document().archetypes {
            let mut s = People::with_capacity(n);
            for (i, p) in people.iter().enumerate() {
                if p.archetypes.contains(&a.code) {
                    s.insert(i);
                }
            }
            let at = sets.add(s.clone());
            archetype_at.push((a.code.clone(), a.name.clone(), s, at));
        }
        sets.groups.push(Group {
            total: everyone_at,
            parts: archetype_at.iter().map(|a| a.3).collect(),
        });
        Self {
            sets,
            everyone_at,
            archetype_at,
            maps: Vec::new(),
            target_at: Vec::new(),
            held_at: Vec::new(),
        }
    }

    /// The heat maps: the foundational pathway over everyone, each archetype's advanced
    /// pathway over its people.
    fn add_maps(&mut self, framework: &Framework, people: &[Person], profiles: &[Vec<Attainment>]) {
        let mut plans: Vec<(String, String, PathwayCode, usize)> = Vec::new();
        if let Some(f) = framework
            .document()
            .pathways
            .iter()
            .find(|p| p.kind == PathwayKind::Foundational)
        {
            plans.push((
                "everyone".into(),
                "Everyone".into(),
                f.code.clone(),
                self.everyone_at,
            ));
        }
        for (code, name, _, at) in &self.archetype_at {
            if let Some(p) = advanced_of(framework, code) {
                plans.push((code.to_string(), name.clone(), p, *at));
            }
        }
        for (key, name, pathway, population_at) in plans {
            let cells = cells(framework, &pathway);
            let population = self.sets.sets[population_at].clone();
            let (complete, met) =
                pathway_sets(framework, &pathway, people, profiles, &population, &cells);
            let complete_at = self.sets.add(complete);
            let cell_at = met.into_iter().map(|m| self.sets.add(m)).collect();
            self.maps.push(MapPlan {
                key,
                name,
                pathway,
                cells,
                population_at,
                complete_at,
                cell_at,
            });
        }
    }

    /// The targets: the people of a population who complete a pathway.
    fn add_targets(
        &mut self,
        framework: &Framework,
        people: &[Person],
        profiles: &[Vec<Attainment>],
        targets: Vec<TargetRow>,
    ) {
        for t in targets {
            let Ok(pathway) = PathwayCode::new(&t.pathway) else {
                continue;
            };
            let key = t.archetype.clone().unwrap_or_else(|| "everyone".into());
            let population_at = match &t.archetype {
                None => self.everyone_at,
                Some(a) => match self.archetype_at.iter().find(|x| x.0.as_str() == a) {
                    Some(x) => x.3,
                    None => continue,
                },
            };
            let known = self
                .maps
                .iter()
                .find(|m| m.key == key && m.pathway == pathway)
                .map(|m| m.complete_at);
            let complete_at = match known {
                Some(at) => at,
                None => {
                    let population = self.sets.sets[population_at].clone();
                    let (complete, _) =
                        pathway_sets(framework, &pathway, people, profiles, &population, &[]);
                    self.sets.add(complete)
                }
            };
            self.target_at
                .push((t, pathway, population_at, complete_at));
        }
    }

    /// The holders of the organisation's current credentials, per pathway, and the events.
    fn add_awards(
        &mut self,
        awards: &[WorkforceAward],
        index: &HashMap<&AccountId, usize>,
        n: usize,
        now: DateTime<Utc>,
        events: &mut Events,
    ) {
        let mut held: Vec<(String, People)> = Vec::new();
        for a in awards {
            *events
                .awarded_by_month
                .entry(month_key(a.created_at))
                .or_default() += 1;
            let current = a.status == AwardStatus::Active && a.valid_until.is_none_or(|u| u > now);
            if current
                && a.valid_until
                    .is_some_and(|u| u <= now + Duration::days(EXPIRING_DAYS))
            {
                events.expiring += 1;
            }
            let Some(&i) = index.get(&a.holder_id) else {
                continue;
            };
            if !current {
                continue;
            }
            match held.iter_mut().find(|(p, _)| *p == a.pathway) {
                Some((_, s)) => s.insert(i),
                None => {
                    let mut s = People::with_capacity(n);
                    s.insert(i);
                    held.push((a.pathway.clone(), s));
                }
            }
        }
        self.held_at = held
            .into_iter()
            .map(|(p, s)| (p, self.sets.add(s)))
            .collect();
    }
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

/// The organisation's people (those with attested evidence, then the other holders of its
/// credentials), each with the number of their profile of attested levels, and the
/// distinct profiles (each sorted).
fn people_of(
    framework: &Framework,
    levels: Vec<WorkforceLevels>,
    holders: Vec<WorkforcePerson>,
) -> (Vec<WorkforcePerson>, Vec<Person>, Vec<Vec<Attainment>>) {
    let mut rows: Vec<(WorkforcePerson, Vec<(StatementCode, LevelCode)>)> =
        levels.into_iter().map(|l| (l.person, l.levels)).collect();
    let known: std::collections::HashSet<AccountId> =
        rows.iter().map(|(p, _)| p.id.clone()).collect();
    rows.extend(
        holders
            .into_iter()
            .filter(|h| !known.contains(&h.id))
            .map(|h| (h, Vec::new())),
    );
    let mut profiles: HashMap<Vec<(StatementCode, LevelCode)>, usize> = HashMap::new();
    let mut people = Vec::with_capacity(rows.len());
    let mut persons = Vec::with_capacity(rows.len());
    for (r, mut levels) in rows {
        levels.sort_unstable();
        levels.dedup();
        let next = profiles.len();
        let profile = *profiles.entry(levels).or_insert(next);
        people.push(Person {
            archetypes: r
                .archetypes
                .split(',')
                .filter_map(|c| ArchetypeCode::new(c.trim()).ok())
                .filter(|c| framework.archetype(c).is_some())
                .collect(),
            profile,
        });
        persons.push(r);
    }
    let mut by_id: Vec<(usize, Vec<Attainment>)> = profiles
        .into_iter()
        .map(|(levels, id)| {
            let list = levels
                .into_iter()
                .map(|(statement, level)| Attainment { statement, level })
                .collect();
            (id, list)
        })
        .collect();
    by_id.sort_unstable_by_key(|(id, _)| *id);
    (persons, people, by_id.into_iter().map(|(_, a)| a).collect())
}

impl OrgAdminDesk<'_> {
    /// The organisation's workforce view (see the module's documentation).
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug))]
    pub async fn workforce(&self) -> Result<WorkforceView, ServiceError> {
        let org = &self.admin.0.org;
        let now = self.now();
        let tx = self.store.read().await?;
        let loaded = framework_by_slug(&tx, DEFAULT_FRAMEWORK, None)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("framework '{DEFAULT_FRAMEWORK}'")))?;
        let levels = tx.workforce_levels(&org.id, loaded.id).await?;
        let holders = tx.workforce_award_holders(&org.id).await?;
        let awards = tx.workforce_awards(&org.id).await?;
        let targets = tx.targets_of_org(&org.id).await?;
        drop(tx);
        let framework = loaded.framework.clone();
        let mut events = Events::default();
        for month in levels.iter().flat_map(|l| &l.months) {
            *events.attested_by_month.entry(month.clone()).or_default() += 1;
        }
        // Progress is computed away from the async workers: it is the costly part.
        let (rows, people, mut plan) = tokio::task::spawn_blocking(move || {
            let (rows, people, profiles) = people_of(&framework, levels, holders);
            let mut plan = Plan::new(&framework, &people);
            plan.add_maps(&framework, &people, &profiles);
            plan.add_targets(&framework, &people, &profiles, targets);
            (rows, people, plan)
        })
        .await
        .map_err(|e| ServiceError::internal_from("computing the workforce view", e))?;
        let framework = &loaded.framework;
        let index: HashMap<&AccountId, usize> =
            rows.iter().enumerate().map(|(i, r)| (&r.id, i)).collect();
        plan.add_awards(&awards, &index, people.len(), now, &mut events);

        let k = self.config.workforce_suppress_below;
        let refs: Vec<&People> = plan.sets.sets.iter().collect();
        let shown = suppress(&refs, k, &plan.sets.groups);
        let event = |count: u64| {
            if count < k {
                Shown::FewerThan(k)
            } else {
                Shown::Exact(count)
            }
        };
        let levels = level_heads(framework);
        let heatmaps: Vec<HeatMap> = plan
            .maps
            .into_iter()
            .map(|m| heatmap_view(framework, m, &shown, &levels))
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
            .map(|t| target_view(framework, &plan.archetype_at, t, &shown))
            .collect();
        Ok(WorkforceView {
            org: org.slug.clone(),
            org_name: org.name.clone(),
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
            months: months_to(now)
                .into_iter()
                .map(|m| MonthRow {
                    attestations: event(events.attested_by_month.get(&m).copied().unwrap_or(0)),
                    awards: event(events.awarded_by_month.get(&m).copied().unwrap_or(0)),
                    month: m,
                })
                .collect(),
            expiring: event(events.expiring),
            expiring_days: EXPIRING_DAYS,
        })
    }
}
