//! The workforce view's computation, before suppression: the people of a scope (one
//! organisation, or an organisation and those affiliated to it) over one universe of
//! accounts, their profiles of attested levels, and every set of people the view publishes
//! (a [`Plan`]), with the progress of each distinct profile taken from the registry's memo
//! or computed once.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Datelike, Duration, Utc};
use credence_domain::coverage::{cells, cells_met, Cell};
use credence_domain::disclosure::{Group, People};
use credence_domain::registry::AwardStatus;
use credence_domain::{AccountId, ArchetypeCode, Attainment, Framework, PathwayCode, PathwayKind};
use credence_store::registry::{TargetRow, WorkforceAward, WorkforceLevels, WorkforcePerson};

use super::EXPIRING_DAYS;
use crate::caches::{ProgressMemo, ProgressOutcome};

/// The published sets, in the order they are registered, and the groups with totals.
#[derive(Default)]
pub(super) struct Sets {
    pub(super) sets: Vec<People>,
    pub(super) groups: Vec<Group>,
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

fn month_key(t: DateTime<Utc>) -> String {
    format!("{:04}-{:02}", t.year(), t.month())
}

fn advanced_of(framework: &Framework, archetype: &ArchetypeCode) -> Option<PathwayCode> {
    framework
        .document()
        .pathways
        .iter()
        .find(|p| p.kind == PathwayKind::Advanced && p.archetype.as_ref() == Some(archetype))
        .map(|p| p.code.clone())
}

/// What the view's progress is computed with: the framework version (and its row id, the
/// memo's key) and the registry's progress memo.
#[derive(Clone, Copy)]
pub(super) struct Reckoner<'a> {
    pub(super) framework: &'a Framework,
    pub(super) framework_id: i64,
    pub(super) memo: &'a Mutex<ProgressMemo>,
}

impl Reckoner<'_> {
    /// The people of `population` (indices) who complete `pathway`, and per cell of
    /// `cells` (the pathway's, [`cells`]) those who meet it. Each distinct profile among
    /// them is looked up in the memo, and those missing computed once, shared out over the
    /// machine's cores.
    fn pathway_sets(
        &self,
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
        let mut by_profile: HashMap<usize, ProgressOutcome> = HashMap::new();
        let mut missing = Vec::new();
        match self.memo.lock() {
            Ok(memo) => {
                for id in wanted {
                    match profiles
                        .get(id)
                        .and_then(|p| memo.get(self.framework_id, pathway, p))
                    {
                        Some(o) => {
                            by_profile.insert(id, o.clone());
                        }
                        None => missing.push(id),
                    }
                }
            }
            Err(_) => missing = wanted,
        }
        let computed = self.evaluate(pathway, profiles, &missing, cells);
        if let Ok(mut memo) = self.memo.lock() {
            for (id, outcome) in &computed {
                if let Some(p) = profiles.get(*id) {
                    memo.insert(self.framework_id, pathway, p.clone(), outcome.clone());
                }
            }
        }
        by_profile.extend(computed);
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

    /// The progress of the profiles `ids` on `pathway`, over the machine's cores.
    fn evaluate(
        &self,
        pathway: &PathwayCode,
        profiles: &[Vec<Attainment>],
        ids: &[usize],
        cells: &[Cell],
    ) -> Vec<(usize, ProgressOutcome)> {
        let framework = self.framework;
        let one = |ids: &[usize]| -> Vec<(usize, ProgressOutcome)> {
            ids.iter()
                .filter_map(|&id| {
                    let p =
                        credence_domain::progress(framework, pathway, profiles.get(id)?).ok()?;
                    Some((id, (p.complete, cells_met(&p, cells))))
                })
                .collect()
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        if ids.len() < 64 || threads == 1 {
            return one(ids);
        }
        let chunk = ids.len().div_ceil(threads).max(1);
        std::thread::scope(|scope| {
            let handles: Vec<_> = ids
                .chunks(chunk)
                .map(|part| scope.spawn(move || one(part)))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        })
    }
}

/// What the view publishes, before suppression: every set of people with its index, and
/// where each part of the view finds its sets.
pub(super) struct Plan {
    pub(super) sets: Sets,
    pub(super) everyone_at: usize,
    /// (code, name, set, index) per archetype.
    pub(super) archetype_at: Vec<(ArchetypeCode, String, People, usize)>,
    pub(super) maps: Vec<MapPlan>,
    /// (target, pathway, population's index, completers' index).
    pub(super) target_at: Vec<(TargetRow, PathwayCode, usize, usize)>,
    /// (pathway, index) of the holders of a current credential.
    pub(super) held_at: Vec<(String, usize)>,
}

/// One heat map's sets.
pub(super) struct MapPlan {
    pub(super) key: String,
    pub(super) name: String,
    pub(super) pathway: PathwayCode,
    pub(super) cells: Vec<Cell>,
    pub(super) population_at: usize,
    pub(super) complete_at: usize,
    pub(super) cell_at: Vec<usize>,
}

/// The events the view counts (not people): by month, and expiring soon.
#[derive(Default)]
pub(super) struct Events {
    pub(super) attested_by_month: HashMap<String, u64>,
    pub(super) awarded_by_month: HashMap<String, u64>,
    pub(super) expiring: u64,
    /// The first instant after `now` at which a credential stops being current or enters
    /// the expiring window, when one does: the view's counts change then.
    pub(super) next_change: Option<DateTime<Utc>>,
}

impl Plan {
    /// Everyone of the scope (`members`), then its people of each archetype (a group of
    /// everyone, for rule 3).
    fn new(framework: &Framework, people: &[Person], members: People) -> Self {
        let n = people.len();
        let mut sets = Sets::default();
        let everyone_at = sets.add(members.clone());
        let mut archetype_at = Vec::new();
        for a in &framework.document().archetypes {
            let mut s = People::with_capacity(n);
            for (i, p) in people.iter().enumerate() {
                if members.contains(i) && p.archetypes.contains(&a.code) {
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
    fn add_maps(&mut self, r: Reckoner<'_>, people: &[Person], profiles: &[Vec<Attainment>]) {
        let framework = r.framework;
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
            let (complete, met) = r.pathway_sets(&pathway, people, profiles, &population, &cells);
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
        r: Reckoner<'_>,
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
                    let cells = cells(r.framework, &pathway);
                    let (complete, _) =
                        r.pathway_sets(&pathway, people, profiles, &population, &cells);
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
        index: &HashMap<AccountId, usize>,
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
            if let Some(u) = a.valid_until {
                let window = u.checked_sub_signed(Duration::days(EXPIRING_DAYS));
                for at in [Some(u), window].into_iter().flatten() {
                    if at > now && events.next_change.is_none_or(|n| at < n) {
                        events.next_change = Some(at);
                    }
                }
            }
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

/// The accounts of every scope of one computation, each once (those with attested
/// evidence first), with the archetypes they follow.
pub(super) struct Universe {
    pub(super) persons: Vec<WorkforcePerson>,
    archetypes: Vec<Vec<ArchetypeCode>>,
    index: HashMap<AccountId, usize>,
}

impl Universe {
    pub(super) fn new(framework: &Framework, scopes: &[ScopeData]) -> Self {
        let mut u = Universe {
            persons: Vec::new(),
            archetypes: Vec::new(),
            index: HashMap::new(),
        };
        let levels = scopes
            .iter()
            .flat_map(|s| s.levels.iter().map(|l| &l.person));
        let holders = scopes.iter().flat_map(|s| s.holders.iter());
        for p in levels.chain(holders) {
            if u.index.contains_key(&p.id) {
                continue;
            }
            u.index.insert(p.id.clone(), u.persons.len());
            u.archetypes.push(
                p.archetypes
                    .split(',')
                    .filter_map(|c| ArchetypeCode::new(c.trim()).ok())
                    .filter(|c| framework.archetype(c).is_some())
                    .collect(),
            );
            u.persons.push(p.clone());
        }
        u
    }

    pub(super) fn len(&self) -> usize {
        self.persons.len()
    }
}

/// What one scope's organisations hold: the levels they attested (a row per person), the
/// holders of their credentials, their awards, and the targets the view measures.
pub(super) struct ScopeData {
    pub(super) levels: Vec<WorkforceLevels>,
    pub(super) holders: Vec<WorkforcePerson>,
    pub(super) awards: Vec<WorkforceAward>,
    pub(super) targets: Vec<TargetRow>,
}

/// Every person of the universe with the number of their profile of attested levels in
/// `levels` (the empty profile for those without), the scope's members (those with levels
/// or credentials), and the distinct profiles, each sorted.
fn people_of(
    universe: &Universe,
    levels: Vec<WorkforceLevels>,
    holders: &[WorkforcePerson],
) -> (Vec<Person>, People, Vec<Vec<Attainment>>) {
    let n = universe.len();
    let mut profiles: HashMap<Vec<Attainment>, usize> = HashMap::new();
    profiles.insert(Vec::new(), 0);
    let mut of_person = vec![0usize; n];
    let mut members = People::with_capacity(n);
    for l in levels {
        let Some(&i) = universe.index.get(&l.person.id) else {
            continue;
        };
        let mut list: Vec<Attainment> = l
            .levels
            .into_iter()
            .map(|(statement, level)| Attainment { statement, level })
            .collect();
        list.sort_unstable_by(|a, b| (&a.statement, &a.level).cmp(&(&b.statement, &b.level)));
        list.dedup();
        let next = profiles.len();
        of_person[i] = *profiles.entry(list).or_insert(next);
        members.insert(i);
    }
    for h in holders {
        if let Some(&i) = universe.index.get(&h.id) {
            members.insert(i);
        }
    }
    let people = (0..n)
        .map(|i| Person {
            archetypes: universe.archetypes[i].clone(),
            profile: of_person[i],
        })
        .collect();
    let mut by_id: Vec<(usize, Vec<Attainment>)> =
        profiles.into_iter().map(|(list, id)| (id, list)).collect();
    by_id.sort_unstable_by_key(|(id, _)| *id);
    (people, members, by_id.into_iter().map(|(_, a)| a).collect())
}

/// A scope's plan and the events it counts.
pub(super) fn reckon(
    r: Reckoner<'_>,
    universe: &Universe,
    data: ScopeData,
    now: DateTime<Utc>,
) -> (Plan, Events) {
    let mut events = Events::default();
    for month in data.levels.iter().flat_map(|l| &l.months) {
        *events.attested_by_month.entry(month.clone()).or_default() += 1;
    }
    let (people, members, profiles) = people_of(universe, data.levels, &data.holders);
    let mut plan = Plan::new(r.framework, &people, members);
    plan.add_maps(r, &people, &profiles);
    plan.add_targets(r, &people, &profiles, data.targets);
    plan.add_awards(
        &data.awards,
        &universe.index,
        people.len(),
        now,
        &mut events,
    );
    (plan, events)
}
