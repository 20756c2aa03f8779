//! Pathway progress: a pure function of a framework, a pathway and a holder's attested
//! levels. A requirement is met by attested evidence for a statement of the same topic
//! (the statement itself, one the framework's `topic` links it to, or, for statements
//! without a topic, one of identical text) at a level that meets the required one: at or
//! above it in the same taxonomy, or through the framework's implications between
//! taxonomies (in the NHS framework, Proficiency implies Understanding, line 797).

use std::collections::HashMap;

use serde::Serialize;

use crate::codes::{LevelCode, PathwayCode, StatementCode};
use crate::framework::{Framework, Statement};

/// A level a holder has been attested at for one statement.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Attainment {
    pub statement: StatementCode,
    pub level: LevelCode,
}

/// How the evidence behind [`RequirementStatus::held`] relates to the requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HeldThrough {
    /// Evidence for the required statement itself.
    ThisStatement,
    /// Evidence for another statement of the same topic, in the same taxonomy.
    SameTopic,
    /// Evidence for a statement of the same topic in another taxonomy, counted through
    /// one of the framework's implications.
    OtherTaxonomy,
}

/// One requirement of a pathway and whether it is met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequirementStatus {
    pub statement: StatementCode,
    pub required: LevelCode,
    /// The attested level that counts for this requirement, if any: the one that meets
    /// it, or else the highest one of its taxonomy and topic.
    pub held: Option<LevelCode>,
    pub met: bool,
    /// The statement the evidence behind `held` was attested for.
    pub held_for: Option<StatementCode>,
    /// How that evidence relates to this requirement.
    pub held_through: Option<HeldThrough>,
    /// Why, in words, when the evidence is for another statement: "Met by evidence for
    /// A2-01 at Understanding (same topic)".
    pub explanation: Option<String>,
}

impl RequirementStatus {
    /// The level this requirement is credited at in its own taxonomy: what was held, or
    /// the required level when it is met through another taxonomy.
    pub fn credited(&self) -> Option<LevelCode> {
        match self.held_through? {
            HeldThrough::OtherTaxonomy => self.met.then(|| self.required.clone()),
            _ => self.held.clone(),
        }
    }
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
/// Attainments for statements the framework does not know, or at a level of another
/// taxonomy than their statement's, never count; those of another topic never count;
/// those of a statement of another taxonomy count only through the framework's
/// implications between levels.
pub fn progress(
    framework: &Framework,
    pathway: &PathwayCode,
    attained: &[Attainment],
) -> Result<PathwayProgress, ProgressError> {
    // The attainments per topic group, so every statement of a topic sees them all.
    let mut by_topic: HashMap<usize, Vec<&Attainment>> = HashMap::new();
    // A level of another taxonomy than its statement's is no evidence of that statement.
    for a in attained {
        let Some(statement) = framework.statement(&a.statement) else {
            continue;
        };
        if framework.taxonomy_of(&a.level).map(|t| &t.code) != Some(&statement.taxonomy) {
            continue;
        }
        if let Some(group) = framework.topic_group(&a.statement) {
            by_topic.entry(group).or_default().push(a);
        }
    }
    progress_inner(framework, pathway, &by_topic, 0)
}

/// The requirement of `statement` at `required`, from the attainments of its topic.
fn requirement(
    framework: &Framework,
    statement: &Statement,
    required: &LevelCode,
    by_topic: &HashMap<usize, Vec<&Attainment>>,
) -> RequirementStatus {
    let candidates: &[&Attainment] = framework
        .topic_group(&statement.code)
        .and_then(|g| by_topic.get(&g))
        .map_or(&[], Vec::as_slice);
    let rank = |l: &LevelCode| framework.level(l).map_or(0, |l| l.rank);
    let same_taxonomy =
        |l: &LevelCode| framework.taxonomy_of(l).map(|t| &t.code) == Some(&statement.taxonomy);
    // Prefer evidence that meets the requirement: for the statement itself, then in its
    // taxonomy, then the highest level; else the highest level of its taxonomy.
    let meeting = candidates
        .iter()
        .filter(|a| framework.satisfies(&a.level, required))
        .max_by_key(|a| {
            (
                a.statement == statement.code,
                same_taxonomy(&a.level),
                rank(&a.level),
            )
        });
    let best = meeting.or_else(|| {
        candidates
            .iter()
            .filter(|a| same_taxonomy(&a.level))
            .max_by_key(|a| (rank(&a.level), a.statement == statement.code))
    });
    let met = meeting.is_some();
    let Some(best) = best else {
        return RequirementStatus {
            statement: statement.code.clone(),
            required: required.clone(),
            held: None,
            met,
            held_for: None,
            held_through: None,
            explanation: None,
        };
    };
    let through = if best.statement == statement.code {
        HeldThrough::ThisStatement
    } else if same_taxonomy(&best.level) {
        HeldThrough::SameTopic
    } else {
        HeldThrough::OtherTaxonomy
    };
    RequirementStatus {
        statement: statement.code.clone(),
        required: required.clone(),
        held: Some(best.level.clone()),
        met,
        held_for: Some(best.statement.clone()),
        held_through: Some(through),
        explanation: explain(framework, best, required, through, met),
    }
}

/// The sentence saying where the evidence for a requirement came from, when it is for
/// another statement.
fn explain(
    framework: &Framework,
    held: &Attainment,
    required: &LevelCode,
    through: HeldThrough,
    met: bool,
) -> Option<String> {
    let name = |l: &LevelCode| {
        framework
            .level(l)
            .map_or_else(|| l.to_string(), |l| l.name.clone())
    };
    let verb = if met { "Met by" } else { "Not yet met:" };
    let what = format!(
        "{verb} evidence for {} at {}",
        held.statement,
        name(&held.level)
    );
    match through {
        HeldThrough::ThisStatement => None,
        HeldThrough::SameTopic => Some(format!("{what} (same topic)")),
        HeldThrough::OtherTaxonomy => {
            let rule = framework
                .implication(&held.level, required)
                .map(|(from, implication)| {
                    let line = implication
                        .source_line
                        .map(|l| format!(", line {l}"))
                        .unwrap_or_default();
                    format!("; {} implies {}{line}", from.name, name(&implication.level))
                })
                .unwrap_or_default();
            Some(format!("{what} (same topic{rule})"))
        }
    }
}

fn progress_inner(
    framework: &Framework,
    pathway: &PathwayCode,
    by_topic: &HashMap<usize, Vec<&Attainment>>,
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
        let status = requirement(framework, statement, required, by_topic);
        if !status.met {
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
        requirements.push(status);
    }
    // Validation guarantees the prerequisite graph is acyclic; the depth guard only keeps a
    // hand-built, unvalidated framework from recursing for ever.
    let mut prerequisites = Vec::new();
    for prerequisite in &definition.prerequisites {
        let complete = depth < 32
            && progress_inner(framework, prerequisite, by_topic, depth + 1)
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
