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

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, Utc};
use credence_domain::coverage::{cells, cells_met, Cell};
use credence_domain::disclosure::{suppress, Group, People, Shown};
use credence_domain::registry::AwardStatus;
use credence_domain::{
    AccountId, ArchetypeCode, Attainment, Framework, PathwayCode, PathwayKind, TargetId,
};
use credence_store::registry::TargetRow;
use serde::Serialize;
use serde_json::json;

use crate::achievements::DEFAULT_FRAMEWORK;
use crate::desks::OrgAdminDesk;
use crate::evidence::framework_by_slug;
use crate::registry::audit;
use crate::ServiceError;

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

/// A new target, as an administrator writes it.
#[derive(Debug, Clone, Default)]
pub struct NewTarget {
    /// An archetype code, or empty for everyone.
    pub archetype: String,
    pub pathway: String,
    pub percent: String,
    /// `YYYY-MM`.
    pub due: String,
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

/// The per-person results the view needs.
struct Person {
    archetypes: Vec<ArchetypeCode>,
    attained: Vec<Attainment>,
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
/// pathway those who meet it: each person's progress computed once.
fn pathway_sets(
    framework: &Framework,
    pathway: &PathwayCode,
    people: &[Person],
    population: &People,
    cells: &[Cell],
) -> (People, Vec<People>) {
    let mut complete = People::with_capacity(people.len());
    let mut met: Vec<People> = cells.iter().map(|_| People::with_capacity(people.len())).collect();
    for (i, person) in people.iter().enumerate() {
        if !population.contains(i) {
            continue;
        }
        let Ok(p) = credence_domain::progress(framework, pathway, &person.attained) else {
            continue;
        };
        if p.complete {
            complete.insert(i);
        }
        for (c, ok) in cells_met(&p, cells).into_iter().enumerate() {
            if ok {
                met[c].insert(i);
            }
        }
    }
    (complete, met)
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
        let rows = tx.workforce_people(&org.id, loaded.id).await?;
        let evidence = tx.workforce_evidence(&org.id, loaded.id).await?;
        let awards = tx.workforce_awards(&org.id).await?;
        let targets = tx.targets_of_org(&org.id).await?;
        drop(tx);
        let framework = &loaded.framework;
        let index: HashMap<&AccountId, usize> =
            rows.iter().enumerate().map(|(i, r)| (&r.id, i)).collect();
        let mut people: Vec<Person> = rows
            .iter()
            .map(|r| Person {
                archetypes: r
                    .archetypes
                    .split(',')
                    .filter_map(|c| ArchetypeCode::new(c.trim()).ok())
                    .filter(|c| framework.archetype(c).is_some())
                    .collect(),
                attained: Vec::new(),
            })
            .collect();
        let months = months_to(now);
        let mut attested_by_month: HashMap<String, u64> = HashMap::new();
        for e in evidence {
            *attested_by_month.entry(month_key(e.attested_at)).or_default() += 1;
            if let Some(&i) = index.get(&e.holder_id) {
                people[i].attained.push(Attainment {
                    statement: e.statement,
                    level: e.level,
                });
            }
        }
        let n = people.len();
        let mut sets = Sets::default();
        let mut everyone = People::with_capacity(n);
        (0..n).for_each(|i| everyone.insert(i));
        let everyone_at = sets.add(everyone.clone());

        // People by archetype, a group of the total (rule 3 when they happen to be disjoint).
        let mut archetype_at = Vec::new();
        for a in &framework.document().archetypes {
            let mut s = People::with_capacity(n);
            for (i, p) in people.iter().enumerate() {
                if p.archetypes.contains(&a.code) {
                    s.insert(i);
                }
            }
            archetype_at.push((a.code.clone(), a.name.clone(), s.clone(), sets.add(s)));
        }
        sets.groups.push(Group {
            total: everyone_at,
            parts: archetype_at.iter().map(|a| a.3).collect(),
        });

        // Heat maps: the foundational pathway over everyone, each archetype's advanced
        // pathway over its people.
        let mut maps: Vec<(String, String, PathwayCode, Vec<Cell>, usize, usize, Vec<usize>)> = Vec::new();
        let mut complete_of: HashMap<(String, PathwayCode), usize> = HashMap::new();
        let foundational = framework
            .document()
            .pathways
            .iter()
            .find(|p| p.kind == PathwayKind::Foundational)
            .map(|p| p.code.clone());
        let mut plans: Vec<(String, String, PathwayCode, People, usize)> = Vec::new();
        if let Some(f) = &foundational {
            plans.push(("everyone".into(), "Everyone".into(), f.clone(), everyone.clone(), everyone_at));
        }
        for (code, name, s, at) in &archetype_at {
            if let Some(p) = advanced_of(framework, code) {
                plans.push((code.to_string(), name.clone(), p, s.clone(), *at));
            }
        }
        for (key, name, pathway, population, population_at) in plans {
            let pathway_cells = cells(framework, &pathway);
            let (complete, met) = pathway_sets(framework, &pathway, &people, &population, &pathway_cells);
            let complete_at = sets.add(complete);
            complete_of.insert((key.clone(), pathway.clone()), complete_at);
            let cell_at = met.into_iter().map(|m| sets.add(m)).collect();
            maps.push((key, name, pathway, pathway_cells, population_at, complete_at, cell_at));
        }

        // Targets: the share of a population through a pathway.
        let mut target_at = Vec::new();
        for t in &targets {
            let key = t.archetype.clone().unwrap_or_else(|| "everyone".into());
            let Ok(pathway) = PathwayCode::new(&t.pathway) else { continue };
            let population_at = match &t.archetype {
                None => everyone_at,
                Some(a) => match archetype_at.iter().find(|x| x.0.as_str() == a) {
                    Some(x) => x.3,
                    None => continue,
                },
            };
            let complete_at = match complete_of.get(&(key.clone(), pathway.clone())) {
                Some(&at) => at,
                None => {
                    let population = sets.sets[population_at].clone();
                    let (complete, _) = pathway_sets(framework, &pathway, &people, &population, &[]);
                    let at = sets.add(complete);
                    complete_of.insert((key, pathway.clone()), at);
                    at
                }
            };
            target_at.push((t, pathway, population_at, complete_at));
        }

        // People holding a current credential of the organisation, per pathway.
        let mut held: Vec<(String, People)> = Vec::new();
        let mut expiring = 0u64;
        let mut awarded_by_month: HashMap<String, u64> = HashMap::new();
        for a in &awards {
            *awarded_by_month.entry(month_key(a.created_at)).or_default() += 1;
            let current = a.status == AwardStatus::Active && a.valid_until.is_none_or(|u| u > now);
            if current && a.valid_until.is_some_and(|u| u <= now + Duration::days(EXPIRING_DAYS)) {
                expiring += 1;
            }
            let Some(&i) = index.get(&a.holder_id) else { continue };
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
        let held_at: Vec<(String, usize)> = held.into_iter().map(|(p, s)| (p, sets.add(s))).collect();

        let k = self.config.workforce_suppress_below;
        let refs: Vec<&People> = sets.sets.iter().collect();
        let shown = suppress(&refs, k, &sets.groups);
        let event = |count: u64| if count < k { Shown::FewerThan(k) } else { Shown::Exact(count) };
        let pathway_name = |p: &PathwayCode| {
            framework.pathway(p).map_or_else(|| p.to_string(), |x| x.name.clone())
        };
        let levels: Vec<LevelHead> = framework
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
            .collect();
        let heatmaps = maps
            .into_iter()
            .map(|(key, name, pathway, map_cells, population_at, complete_at, cell_at)| {
                let mut rows: Vec<HeatRow> = Vec::new();
                for (cell, at) in map_cells.iter().zip(&cell_at) {
                    let row = match rows.iter_mut().find(|r| r.layer == cell.layer && r.factor == cell.place()) {
                        Some(r) => r,
                        None => {
                            rows.push(HeatRow {
                                layer: cell.layer.clone(),
                                factor: cell.place().to_owned(),
                                cells: vec![None; levels.len()],
                            });
                            let last = rows.len() - 1;
                            &mut rows[last]
                        }
                    };
                    if let Some(col) = levels.iter().position(|l| l.code == cell.level.as_str()) {
                        row.cells[col] = Some(HeatCell {
                            level: cell.level.to_string(),
                            people: shown[*at],
                            percent: percent(shown[*at], shown[population_at]),
                        });
                    }
                }
                HeatMap {
                    population: key,
                    population_name: name,
                    pathway_name: pathway_name(&pathway),
                    pathway: pathway.to_string(),
                    people: shown[population_at],
                    complete: shown[complete_at],
                    levels: levels.clone(),
                    rows,
                }
            })
            .collect::<Vec<_>>();
        let archetypes = archetype_at
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
        let targets = target_at
            .into_iter()
            .map(|(t, pathway, population_at, complete_at)| {
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
                    id: t.id.clone(),
                    archetype: t.archetype.clone(),
                    population_name: t
                        .archetype
                        .as_ref()
                        .and_then(|a| archetype_at.iter().find(|x| x.0.as_str() == a))
                        .map_or_else(|| "Everyone".to_owned(), |x| x.1.clone()),
                    pathway_name: pathway_name(&pathway),
                    pathway: pathway.to_string(),
                    percent: u32::try_from(t.percent).unwrap_or(0),
                    due: t.due.clone(),
                    people,
                    complete,
                    percent_now: percent(complete, people),
                    still_needed,
                }
            })
            .collect();
        Ok(WorkforceView {
            org: org.slug.clone(),
            org_name: org.name.clone(),
            framework: loaded.slug.clone(),
            framework_version: loaded.version.clone(),
            suppress_below: k,
            people: shown[everyone_at],
            archetypes,
            heatmaps,
            awards_held: held_at
                .into_iter()
                .map(|(p, at)| AwardsHeld {
                    name: PathwayCode::new(&p).map_or_else(|_| p.clone(), |c| pathway_name(&c)),
                    pathway: p,
                    people: shown[at],
                })
                .collect(),
            targets,
            months: months
                .into_iter()
                .map(|m| MonthRow {
                    attestations: event(attested_by_month.get(&m).copied().unwrap_or(0)),
                    awards: event(awarded_by_month.get(&m).copied().unwrap_or(0)),
                    month: m,
                })
                .collect(),
            expiring: event(expiring),
            expiring_days: EXPIRING_DAYS,
        })
    }

    /// Sets a target: `percent` (1 to 100) of everyone, or of one archetype's people,
    /// through a pathway of the framework by the month `due` (`YYYY-MM`).
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug))]
    pub async fn add_target(&self, new: NewTarget) -> Result<(), ServiceError> {
        let org = &self.admin.0.org;
        let tx = self.store.read().await?;
        let loaded = framework_by_slug(&tx, DEFAULT_FRAMEWORK, None)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("framework '{DEFAULT_FRAMEWORK}'")))?;
        drop(tx);
        let framework = &loaded.framework;
        let archetype = match new.archetype.trim() {
            "" => None,
            a => Some(
                ArchetypeCode::new(a)
                    .ok()
                    .filter(|c| framework.archetype(c).is_some())
                    .ok_or_else(|| ServiceError::invalid("/archetype", "Choose an archetype from the list, or everyone."))?
                    .to_string(),
            ),
        };
        let pathway = PathwayCode::new(new.pathway.trim())
            .ok()
            .filter(|p| framework.pathway(p).is_some_and(|p| p.kind != PathwayKind::ProductTemplate))
            .ok_or_else(|| ServiceError::invalid("/pathway", "Choose the foundational pathway or an advanced one."))?;
        let percent: i32 = new
            .percent
            .trim()
            .trim_end_matches('%')
            .parse()
            .ok()
            .filter(|p| (1..=100).contains(p))
            .ok_or_else(|| ServiceError::invalid("/percent", "Give a share from 1 to 100 per cent."))?;
        let due = new.due.trim();
        let well_formed = due.len() == 7
            && chrono::NaiveDate::parse_from_str(&format!("{due}-01"), "%Y-%m-%d").is_ok();
        if !well_formed {
            return Err(ServiceError::invalid("/due", "Give the month it is due as YYYY-MM, e.g. 2027-03."));
        }
        let now = self.now();
        let row = TargetRow {
            id: TargetId::random(),
            org_id: org.id.clone(),
            archetype,
            pathway: pathway.to_string(),
            percent,
            due: due.to_owned(),
            created_at: now,
        };
        let tx = self.store.write().await?;
        tx.insert_target(row.clone()).await?;
        audit(&tx, now, &self.admin.0.label, "workforce.target.add", Some(&org.id), &format!("target:{}", row.id), json!({"pathway": row.pathway, "percent": percent, "due": row.due})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a target (404 when the organisation has no such target).
    pub async fn remove_target(&self, id: &TargetId) -> Result<(), ServiceError> {
        let org = &self.admin.0.org;
        let now = self.now();
        let tx = self.store.write().await?;
        if !tx.delete_target(&org.id, id).await? {
            return Err(ServiceError::NotFound(format!("target {id}")));
        }
        audit(&tx, now, &self.admin.0.label, "workforce.target.remove", Some(&org.id), &format!("target:{id}"), json!({})).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl WorkforceView {
    /// The view as CSV, with a header row: one line per published figure (section, row,
    /// column, value), every value as published (suppressed ones in words).
    pub fn csv(&self) -> String {
        fn field(s: &str) -> String {
            if s.contains([',', '"', '\n']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_owned()
            }
        }
        let mut lines = vec!["section,population,row,column,value".to_owned()];
        let mut line = |a: &str, b: &str, c: &str, d: &str, v: Shown| {
            lines.push(
                [a, b, c, d, &v.words()]
                    .iter()
                    .map(|s| field(s))
                    .collect::<Vec<_>>()
                    .join(","),
            );
        };
        line("people", "Everyone", "", "", self.people);
        for a in &self.archetypes {
            line("people", &a.name, "", "", a.people);
            line("advanced complete", &a.name, "", "", a.advanced_complete);
        }
        for m in &self.heatmaps {
            line("pathway complete", &m.population_name, &m.pathway_name, "", m.complete);
            for r in &m.rows {
                for (c, head) in r.cells.iter().zip(&m.levels) {
                    if let Some(c) = c {
                        line("coverage", &m.population_name, &r.factor, &head.name, c.people);
                    }
                }
            }
        }
        for h in &self.awards_held {
            line("credentials held", "Everyone", &h.name, "", h.people);
        }
        for t in &self.targets {
            line("target", &t.population_name, &t.pathway_name, &format!("{}% by {}", t.percent, t.due), t.complete);
        }
        for m in &self.months {
            line("attestations", "", &m.month, "", m.attestations);
            line("awards", "", &m.month, "", m.awards);
        }
        line("expiring", "", &format!("next {} days", self.expiring_days), "", self.expiring);
        lines.push(String::new());
        lines.join("\r\n")
    }
}
