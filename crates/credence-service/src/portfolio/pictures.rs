//! Progress pictures: a pathway's statements by layer and factor against the levels a
//! holder has reached and the levels required, and which pathways a dashboard shows.

use super::*;

/// One competency statement of a pathway against the holder's attested level.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct StatementCell {
    pub statement: String,
    pub text: String,
    /// The required level's name (e.g. "Familiarity").
    pub required: String,
    /// The required level's code (e.g. `familiarity`).
    pub required_code: String,
    pub required_rank: u8,
    /// The highest attested level's name, if any.
    pub held: Option<String>,
    pub held_rank: Option<u8>,
    /// How many levels the statement's taxonomy has.
    pub ranks: u8,
    pub met: bool,
    /// Where the evidence came from when it is for another statement of the same topic:
    /// "Met by evidence for A1-04 at Understanding (same topic)".
    pub explanation: Option<String>,
}

/// The statements of one influencing factor (or of a layer without factors).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FactorPicture {
    pub name: String,
    pub met: usize,
    pub cells: Vec<StatementCell>,
}

/// The statements of one layer, by factor.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LayerPicture {
    pub name: String,
    pub factors: Vec<FactorPicture>,
}

/// Progress towards one pathway, shaped for a picture: statements by layer and factor
/// against the levels reached and required.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PathwayPicture {
    pub framework: String,
    pub framework_version: String,
    pub pathway: String,
    pub name: String,
    /// "Foundational", "Advanced" or "Product-specific".
    pub kind: &'static str,
    pub complete: bool,
    pub required: usize,
    pub met: usize,
    /// Prerequisite pathways not yet complete, by name.
    pub prerequisites_missing: Vec<String>,
    pub next_step: Option<String>,
    pub layers: Vec<LayerPicture>,
    /// The requirements whose evidence is for another statement of the same topic, each
    /// as "A2-01 (Familiarity): Met by evidence for A1-04 at Understanding (same topic)".
    pub through_topics: Vec<String>,
}

impl PathwayPicture {
    /// Met requirements as a whole percentage (0 when nothing is required).
    pub fn percent(&self) -> usize {
        (self.met * 100).checked_div(self.required).unwrap_or(0)
    }
}

/// The progress pictures a dashboard shows (see [`dashboard_pathways`]), from the
/// holder's archetypes, the statements they have recorded evidence against and their
/// attested evidence.
pub(super) fn pictures(
    loaded: &LoadedFramework,
    chosen_archetypes: &[&str],
    started_statements: &BTreeSet<&str>,
    attested: &[EvidenceRow],
) -> Vec<PathwayPicture> {
    dashboard_pathways(&loaded.framework, chosen_archetypes, started_statements)
        .into_iter()
        .filter_map(|code| {
            picture(
                &loaded.framework,
                &loaded.slug,
                &loaded.version,
                &code,
                attested,
            )
        })
        .collect()
}

/// The pathways a dashboard shows, in order: the foundational ones, the advanced pathways
/// of the archetypes the holder follows, then any other pathway with a statement the
/// holder has recorded evidence against (product-specific ones among them).
fn dashboard_pathways(
    framework: &Framework,
    chosen_archetypes: &[&str],
    started_statements: &BTreeSet<&str>,
) -> Vec<PathwayCode> {
    let pathways = &framework.document().pathways;
    let mut out: Vec<PathwayCode> = pathways
        .iter()
        .filter(|p| p.kind == PathwayKind::Foundational)
        .map(|p| p.code.clone())
        .collect();
    out.extend(
        pathways
            .iter()
            .filter(|p| {
                p.kind == PathwayKind::Advanced
                    && p.archetype
                        .as_ref()
                        .is_some_and(|a| chosen_archetypes.contains(&a.as_str()))
            })
            .map(|p| p.code.clone()),
    );
    let started_pathways: BTreeSet<&PathwayCode> = framework
        .document()
        .statements
        .iter()
        .filter(|s| started_statements.contains(s.code.as_str()))
        .map(|s| &s.pathway)
        .collect();
    for p in pathways {
        if started_pathways.contains(&p.code) && !out.contains(&p.code) {
            out.push(p.code.clone());
        }
    }
    out
}

/// A pathway's progress picture from the holder's attested evidence.
fn picture(
    framework: &Framework,
    slug: &str,
    version: &str,
    code: &PathwayCode,
    attested: &[EvidenceRow],
) -> Option<PathwayPicture> {
    let pathway = framework.pathway(code)?;
    let progress = credence_domain::progress(framework, code, &attainments(attested)).ok()?;
    let status: HashMap<&StatementCode, _> = progress
        .requirements
        .iter()
        .map(|r| (&r.statement, r))
        .collect();
    let mut layers: Vec<LayerPicture> = Vec::new();
    let mut through_topics = Vec::new();
    for statement in framework.pathway_statements(code) {
        let Some(requirement) = status.get(&statement.code) else {
            continue;
        };
        let level_of = |c: &LevelCode| framework.level(c);
        let required = level_of(&requirement.required);
        // Held through another taxonomy, the cell shows the level it is credited at.
        let held = requirement.held.as_ref().and_then(level_of);
        let credited = requirement.credited();
        let credited = credited.as_ref().and_then(level_of).or(held);
        let ranks = framework
            .taxonomy_of(&requirement.required)
            .map_or(0, |t| t.levels.len() as u8);
        let cell = StatementCell {
            statement: statement.code.as_str().to_owned(),
            text: statement.text.clone(),
            required: required.map_or_else(|| requirement.required.to_string(), |l| l.name.clone()),
            required_code: requirement.required.as_str().to_owned(),
            required_rank: required.map_or(0, |l| l.rank),
            held: held.map(|l| l.name.clone()),
            held_rank: credited.map(|l| l.rank),
            ranks,
            met: requirement.met,
            explanation: requirement.explanation.clone(),
        };
        if let Some(why) = &cell.explanation {
            through_topics.push(format!("{} ({}): {why}", cell.statement, cell.required));
        }
        let factor_name = statement
            .factor
            .clone()
            .unwrap_or_else(|| statement.layer.clone());
        let layer = match layers.iter_mut().position(|l| l.name == statement.layer) {
            Some(i) => &mut layers[i],
            None => {
                layers.push(LayerPicture {
                    name: statement.layer.clone(),
                    factors: Vec::new(),
                });
                layers.last_mut()?
            }
        };
        let factor = match layer.factors.iter_mut().position(|f| f.name == factor_name) {
            Some(i) => &mut layer.factors[i],
            None => {
                layer.factors.push(FactorPicture {
                    name: factor_name,
                    met: 0,
                    cells: Vec::new(),
                });
                layer.factors.last_mut()?
            }
        };
        factor.met += usize::from(cell.met);
        factor.cells.push(cell);
    }
    let prerequisites_missing = progress
        .prerequisites
        .iter()
        .filter(|p| !p.complete)
        .map(|p| {
            framework
                .pathway(&p.pathway)
                .map_or_else(|| p.pathway.to_string(), |x| x.name.clone())
        })
        .collect();
    Some(PathwayPicture {
        framework: slug.to_owned(),
        framework_version: version.to_owned(),
        pathway: code.as_str().to_owned(),
        name: pathway.name.clone(),
        kind: pathway.kind.label(),
        complete: progress.complete,
        required: progress.required(),
        met: progress.met(),
        prerequisites_missing,
        next_step: progress.next_step(framework),
        layers,
        through_topics,
    })
}
