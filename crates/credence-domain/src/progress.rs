//! Pathway progress: a pure function of a framework, a pathway and a holder's attested
//! levels. A requirement is met by attested evidence in the same taxonomy at or above the
//! required level, for the statement itself or for a statement of identical text elsewhere
//! in the framework (the same competency, listed in another table).

use std::collections::HashMap;

use serde::Serialize;

use crate::codes::{LevelCode, PathwayCode, StatementCode};
use crate::framework::Framework;

/// A level a holder has been attested at for one statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attainment {
    pub statement: StatementCode,
    pub level: LevelCode,
}

/// One requirement of a pathway and whether it is met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequirementStatus {
    pub statement: StatementCode,
    pub required: LevelCode,
    /// The highest attested level that counts for this requirement, if any.
    pub held: Option<LevelCode>,
    pub met: bool,
}

/// Requirements not yet met, grouped by layer, factor and required level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub layer: String,
    pub factor: Option<String>,
    pub level: LevelCode,
    pub statements: Vec<StatementCode>,
}

/// Whether a prerequisite pathway is complete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrerequisiteStatus {
    pub pathway: PathwayCode,
    pub complete: bool,
}

/// A holder's progress towards one pathway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathwayProgress {
    pub pathway: PathwayCode,
    /// Requirements that can be assessed, in document order.
    pub requirements: Vec<RequirementStatus>,
    /// What is missing, per factor and level, in document order.
    pub gaps: Vec<Gap>,
    /// Statements of the pathway that cannot be assessed as written (no level); they are
    /// neither required nor counted.
    pub not_assessable: Vec<StatementCode>,
    pub prerequisites: Vec<PrerequisiteStatus>,
    /// All requirements met and every prerequisite complete.
    pub complete: bool,
}

impl PathwayProgress {
    pub fn required(&self) -> usize {
        self.requirements.len()
    }

    pub fn met(&self) -> usize {
        self.requirements.iter().filter(|r| r.met).count()
    }

    /// A sentence suggesting the next step, e.g. "2 more Familiarity statements in
    /// Evaluation and validation", or `None` when the pathway is complete.
    pub fn next_step(&self, framework: &Framework) -> Option<String> {
        if let Some(p) = self.prerequisites.iter().find(|p| !p.complete) {
            let name = framework
                .pathway(&p.pathway)
                .map_or(p.pathway.as_str(), |p| p.name.as_str());
            return Some(format!("Complete the prerequisite pathway: {name}"));
        }
        let gap = self.gaps.first()?;
        let level = framework
            .level(&gap.level)
            .map_or(gap.level.as_str(), |l| l.name.as_str());
        let n = gap.statements.len();
        let place = gap.factor.as_deref().unwrap_or(&gap.layer);
        Some(format!(
            "{n} more {level} statement{} in {place}",
            if n == 1 { "" } else { "s" }
        ))
    }
}

/// Why progress could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProgressError {
    #[error("the framework has no pathway '{0}'")]
    UnknownPathway(PathwayCode),
}

/// Computes a holder's progress towards `pathway` from their attested levels.
///
/// Attainments for statements the framework does not know, or at levels of another
/// taxonomy than the requirement's, never count towards it.
pub fn progress(
    framework: &Framework,
    pathway: &PathwayCode,
    attained: &[Attainment],
) -> Result<PathwayProgress, ProgressError> {
    // The best level per statement text, so identical statements in other tables count.
    let mut by_text: HashMap<&str, Vec<&LevelCode>> = HashMap::new();
    for a in attained {
        if let Some(statement) = framework.statement(&a.statement) {
            by_text.entry(&statement.text).or_default().push(&a.level);
        }
    }
    progress_inner(framework, pathway, &by_text, 0)
}

fn progress_inner(
    framework: &Framework,
    pathway: &PathwayCode,
    by_text: &HashMap<&str, Vec<&LevelCode>>,
    depth: usize,
) -> Result<PathwayProgress, ProgressError> {
    let definition = framework
        .pathway(pathway)
        .ok_or_else(|| ProgressError::UnknownPathway(pathway.clone()))?;
    let mut requirements = Vec::new();
    let mut gaps: Vec<Gap> = Vec::new();
    let mut not_assessable = Vec::new();
    for statement in framework.pathway_statements(pathway) {
        let Some(required) = &statement.level else {
            not_assessable.push(statement.code.clone());
            continue;
        };
        let rank = |l: &LevelCode| framework.level(l).map_or(0, |l| l.rank);
        let held = by_text
            .get(statement.text.as_str())
            .into_iter()
            .flatten()
            .filter(|held| {
                framework.taxonomy_of(held).map(|t| &t.code) == Some(&statement.taxonomy)
            })
            .max_by_key(|held| rank(held))
            .map(|l| (*l).clone());
        let met = held
            .as_ref()
            .is_some_and(|held| framework.satisfies(held, required));
        if !met {
            match gaps.iter_mut().find(|g| {
                g.layer == statement.layer && g.factor == statement.factor && &g.level == required
            }) {
                Some(gap) => gap.statements.push(statement.code.clone()),
                None => gaps.push(Gap {
                    layer: statement.layer.clone(),
                    factor: statement.factor.clone(),
                    level: required.clone(),
                    statements: vec![statement.code.clone()],
                }),
            }
        }
        requirements.push(RequirementStatus {
            statement: statement.code.clone(),
            required: required.clone(),
            held,
            met,
        });
    }
    // Validation guarantees the prerequisite graph is acyclic; the depth guard only keeps a
    // hand-built, unvalidated framework from recursing for ever.
    let mut prerequisites = Vec::new();
    for prerequisite in &definition.prerequisites {
        let complete = depth < 32
            && progress_inner(framework, prerequisite, by_text, depth + 1)
                .map(|p| p.complete)
                .unwrap_or(false);
        prerequisites.push(PrerequisiteStatus {
            pathway: prerequisite.clone(),
            complete,
        });
    }
    let complete = requirements.iter().all(|r| r.met) && prerequisites.iter().all(|p| p.complete);
    Ok(PathwayProgress {
        pathway: pathway.clone(),
        requirements,
        gaps,
        not_assessable,
        prerequisites,
        complete,
    })
}
