//! Collective coverage, built on [`progress`]: who in a group covers each requirement of a
//! pathway (a team's combined coverage and its gaps), which single pathway would close the
//! most of a team's gaps, and the factor-by-level cells a person meets (the workforce
//! view's heat map). Whether a person covers a requirement is always what
//! [`progress`] says of their attainments, so any rule it applies (levels subsuming lower
//! ones, identical statements, topics) reaches teams and workforce views unchanged.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::codes::{LevelCode, PathwayCode, StatementCode};
use crate::framework::Framework;
use crate::progress::{progress, Attainment, PathwayProgress, ProgressError};

/// One requirement of a pathway and who in the group covers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequirementCoverage {
    pub statement: StatementCode,
    pub layer: String,
    pub factor: Option<String>,
    pub required: LevelCode,
    /// The people (by their index in the group given) who meet the requirement, each with
    /// the level that counts for them, in the group's order.
    pub covered_by: Vec<(usize, LevelCode)>,
}

impl RequirementCoverage {
    /// Nobody in the group meets it.
    pub fn is_gap(&self) -> bool {
        self.covered_by.is_empty()
    }
}

/// A group's combined coverage of one pathway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathwayCoverage {
    pub pathway: PathwayCode,
    /// The pathway's assessable requirements in document order.
    pub requirements: Vec<RequirementCoverage>,
}

impl PathwayCoverage {
    /// The requirements nobody in the group meets.
    pub fn gaps(&self) -> impl Iterator<Item = &RequirementCoverage> {
        self.requirements.iter().filter(|r| r.is_gap())
    }

    /// How many requirements someone in the group meets.
    pub fn covered(&self) -> usize {
        self.requirements.iter().filter(|r| !r.is_gap()).count()
    }
}

/// The combined coverage of `pathway` by a group, each person given by their attested
/// levels: a requirement is covered by every person whose own [`progress`] meets it.
pub fn pathway_coverage(
    framework: &Framework,
    pathway: &PathwayCode,
    people: &[&[Attainment]],
) -> Result<PathwayCoverage, ProgressError> {
    let progresses = people
        .iter()
        .map(|attained| progress(framework, pathway, attained))
        .collect::<Result<Vec<_>, _>>()?;
    // The pathway's requirements, in document order, from the progress of nobody: the same
    // list every person's progress has.
    let empty = progress(framework, pathway, &[])?;
    let requirements = empty
        .requirements
        .iter()
        .enumerate()
        .map(|(i, requirement)| {
            let statement = framework.statement(&requirement.statement);
            let covered_by = progresses
                .iter()
                .enumerate()
                .filter_map(|(person, p)| {
                    let r = p.requirements.get(i)?;
                    (r.met && r.statement == requirement.statement)
                        .then(|| (person, r.held.clone().unwrap_or(r.required.clone())))
                })
                .collect();
            RequirementCoverage {
                statement: requirement.statement.clone(),
                layer: statement.map_or_else(String::new, |s| s.layer.clone()),
                factor: statement.and_then(|s| s.factor.clone()),
                required: requirement.required.clone(),
                covered_by,
            }
        })
        .collect();
    Ok(PathwayCoverage {
        pathway: pathway.clone(),
        requirements,
    })
}

/// How many of a group's gaps one pathway would close.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GapCloser {
    pub pathway: PathwayCode,
    /// The gap statements that a person who completed `pathway` (every one of its
    /// requirements at its level) would meet, as [`progress`] decides.
    pub closes: Vec<StatementCode>,
}

/// For every pathway of the framework, the gaps of `coverages` that completing it would
/// close, best first (most gaps closed, then document order); pathways closing none are
/// left out. A gap is closed when the progress of someone holding exactly that pathway's
/// requirements meets it.
pub fn gap_closers(framework: &Framework, coverages: &[PathwayCoverage]) -> Vec<GapCloser> {
    let mut closers: Vec<GapCloser> = framework
        .document()
        .pathways
        .iter()
        .filter_map(|candidate| {
            let completed: Vec<Attainment> = framework
                .pathway_statements(&candidate.code)
                .filter_map(|s| {
                    Some(Attainment {
                        statement: s.code.clone(),
                        level: s.level.clone()?,
                    })
                })
                .collect();
            let mut closes = Vec::new();
            let mut seen = HashSet::new();
            for coverage in coverages {
                let gaps: Vec<&StatementCode> = coverage.gaps().map(|g| &g.statement).collect();
                if gaps.is_empty() {
                    continue;
                }
                let Ok(p) = progress(framework, &coverage.pathway, &completed) else {
                    continue;
                };
                for r in &p.requirements {
                    if r.met && gaps.contains(&&r.statement) && seen.insert(r.statement.clone()) {
                        closes.push(r.statement.clone());
                    }
                }
            }
            (!closes.is_empty()).then(|| GapCloser {
                pathway: candidate.code.clone(),
                closes,
            })
        })
        .collect();
    // A stable sort keeps document order among equals.
    closers.sort_by_key(|c| std::cmp::Reverse(c.closes.len()));
    closers
}

/// One cell of a pathway's factor-by-level picture: the requirements of one factor (or of
/// a layer without factors) at one required level.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Cell {
    pub layer: String,
    pub factor: Option<String>,
    pub level: LevelCode,
}

impl Cell {
    /// The factor's name, or the layer's where the source gives only a layer.
    pub fn place(&self) -> &str {
        self.factor.as_deref().unwrap_or(&self.layer)
    }
}

/// The cells of `pathway` that hold at least one assessable requirement, by factor in
/// document order, then by level rank (the knowledge levels before the skill levels).
pub fn cells(framework: &Framework, pathway: &PathwayCode) -> Vec<Cell> {
    let mut places: Vec<(String, Option<String>)> = Vec::new();
    let mut present: HashSet<Cell> = HashSet::new();
    for s in framework.pathway_statements(pathway) {
        let Some(level) = &s.level else { continue };
        let place = (s.layer.clone(), s.factor.clone());
        if !places.contains(&place) {
            places.push(place);
        }
        present.insert(Cell {
            layer: s.layer.clone(),
            factor: s.factor.clone(),
            level: level.clone(),
        });
    }
    let levels: Vec<LevelCode> = framework
        .document()
        .taxonomies
        .iter()
        .flat_map(|t| {
            let mut levels: Vec<_> = t.levels.iter().collect();
            levels.sort_by_key(|l| l.rank);
            levels.into_iter().map(|l| l.code.clone())
        })
        .collect();
    let mut out = Vec::new();
    for (layer, factor) in places {
        for level in &levels {
            let cell = Cell {
                layer: layer.clone(),
                factor: factor.clone(),
                level: level.clone(),
            };
            if present.contains(&cell) {
                out.push(cell);
            }
        }
    }
    out
}

/// Which of `cells` a person meets, from their [`progress`] towards the cells' pathway: a
/// cell is met when that progress reports no gap for its factor and level.
pub fn cells_met(progress: &PathwayProgress, cells: &[Cell]) -> Vec<bool> {
    let missing: HashMap<(&str, Option<&str>, &LevelCode), ()> = progress
        .gaps
        .iter()
        .map(|g| ((g.layer.as_str(), g.factor.as_deref(), &g.level), ()))
        .collect();
    cells
        .iter()
        .map(|c| !missing.contains_key(&(c.layer.as_str(), c.factor.as_deref(), &c.level)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nhs() -> Framework {
        Framework::from_json(crate::bundled::NHS_AI_CONFIDENCE_2022.as_bytes()).unwrap()
    }

    fn at(code: &str, level: &str) -> Attainment {
        Attainment {
            statement: code.parse().unwrap(),
            level: level.parse().unwrap(),
        }
    }

    #[test]
    fn a_requirement_is_covered_by_whoever_meets_it_and_gaps_are_the_rest() {
        let f = nhs();
        let foundational: PathwayCode = "foundational".parse().unwrap();
        let first = f.pathway_statements(&foundational).next().unwrap().clone();
        let ann = vec![at(first.code.as_str(), "understanding")];
        let bob: Vec<Attainment> = Vec::new();
        let coverage = pathway_coverage(&f, &foundational, &[&ann, &bob]).unwrap();
        let row = &coverage.requirements[0];
        assert_eq!(row.statement, first.code);
        assert_eq!(row.covered_by, vec![(0, "understanding".parse().unwrap())]);
        assert_eq!(coverage.covered(), 1);
        assert_eq!(coverage.gaps().count(), coverage.requirements.len() - 1);
    }

    #[test]
    fn the_pathway_whose_requirements_are_the_gaps_closes_them_first() {
        let f = nhs();
        let pathway: PathwayCode = "advanced-user".parse().unwrap();
        let coverage = pathway_coverage(&f, &pathway, &[&[]]).unwrap();
        let closers = gap_closers(&f, std::slice::from_ref(&coverage));
        assert_eq!(closers[0].pathway, pathway);
        assert_eq!(closers[0].closes.len(), coverage.requirements.len());
        assert!(closers
            .windows(2)
            .all(|w| w[0].closes.len() >= w[1].closes.len()));
    }

    #[test]
    fn a_cell_is_met_when_progress_shows_no_gap_there() {
        let f = nhs();
        let foundational: PathwayCode = "foundational".parse().unwrap();
        let all = cells(&f, &foundational);
        assert!(!all.is_empty());
        let everything: Vec<Attainment> = f
            .pathway_statements(&foundational)
            .filter_map(|s| Some(at(s.code.as_str(), s.level.as_ref()?.as_str())))
            .collect();
        let p = progress(&f, &foundational, &everything).unwrap();
        assert!(cells_met(&p, &all).iter().all(|m| *m));
        let nothing = progress(&f, &foundational, &[]).unwrap();
        assert!(cells_met(&nothing, &all).iter().all(|m| !*m));
    }
}
