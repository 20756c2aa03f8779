//! A demo persona's evidence, made from their plan in the world file and the framework's
//! statements: which statements have evidence, at which level, in which state, in whose
//! words. No database here.

use credence_domain::framework::Statement;
use credence_domain::registry::Role;
use credence_domain::{Framework, LevelCode, PathwayCode};

use super::world::{fill, Counts, Persona, ProductTraining, World};
use crate::ServiceError;

/// Where a piece of demo evidence ends up.
#[derive(Clone)]
pub(super) enum Target {
    Draft,
    Submitted,
    Attested(LevelCode),
    Rejected(String),
}

/// One piece of demo evidence, before it is recorded.
pub(super) struct Item<'w> {
    pub statement: Statement,
    pub kind: &'w str,
    pub narrative: String,
    pub date: chrono::NaiveDate,
    pub provider: Option<String>,
    pub claimed: LevelCode,
    pub target: Target,
    /// The organisation it is submitted to, and the account that decides it.
    pub org: &'w str,
    pub assessor: &'w str,
    /// A small text file attached before it is submitted: its name and text.
    pub attachment: Option<(&'w str, &'w str)>,
    /// The demo product (its key) and version it was gained on.
    pub product: Option<(&'w str, &'w str)>,
    /// Its registered id, filled in by the seeder.
    pub product_version: Option<credence_domain::ProductVersionId>,
}

/// The level `steps` ranks above the statement's required level, in its taxonomy (the
/// highest level when there are not so many).
fn level_above(framework: &Framework, statement: &Statement, steps: usize) -> Option<LevelCode> {
    let required = statement.level.as_ref()?;
    let taxonomy = framework
        .document()
        .taxonomies
        .iter()
        .find(|t| t.code == statement.taxonomy)?;
    let mut levels: Vec<_> = taxonomy.levels.iter().collect();
    levels.sort_by_key(|l| l.rank);
    let at = levels.iter().position(|l| &l.code == required)?;
    let to = (at + steps).min(levels.len().saturating_sub(1));
    Some(levels[to].code.clone())
}

/// The state of the `i`-th statement of a pathway under `counts`, or none when the persona
/// has no evidence for it.
fn target_of(i: usize, counts: Counts, confirmed: &LevelCode, rejection: &str) -> Option<Target> {
    let rejected = counts.attested.saturating_add(counts.rejected);
    let submitted = rejected.saturating_add(counts.submitted);
    let drafts = submitted.saturating_add(counts.drafts);
    if i < counts.attested {
        Some(Target::Attested(confirmed.clone()))
    } else if i < rejected {
        Some(Target::Rejected(rejection.to_owned()))
    } else if i < submitted {
        Some(Target::Submitted)
    } else if i < drafts {
        Some(Target::Draft)
    } else {
        None
    }
}

/// The day `offset` days after `start` (`YYYY-MM-DD`).
fn day(start: &str, offset: usize) -> Result<chrono::NaiveDate, ServiceError> {
    chrono::NaiveDate::parse_from_str(start, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_add_days(chrono::Days::new(offset as u64)))
        .ok_or_else(|| ServiceError::internal("a demo date is out of range"))
}

fn pathway(text: &str) -> Result<PathwayCode, ServiceError> {
    PathwayCode::new(text).map_err(|e| ServiceError::internal_from(format!("pathway {text}"), e))
}

/// The evidence of one persona, in a fixed order: foundational, advanced, product training.
pub(super) fn items<'w>(
    world: &'w World,
    framework: &Framework,
    who: &'w Persona,
) -> Result<Vec<Item<'w>>, ServiceError> {
    let plan = &who.evidence;
    let assessor = world
        .staff_of(&plan.assessed_at, Role::Assessor)
        .map(|s| s.account.as_str())
        .ok_or_else(|| {
            ServiceError::internal(format!("no demo assessor at {}", plan.assessed_at))
        })?;
    let to = Submission {
        world,
        who,
        assessor,
    };
    let mut out = foundational(to, framework)?;
    out.extend(advanced(to, framework)?);
    for key in &plan.product_training {
        let training = world
            .product_training(key)
            .ok_or_else(|| ServiceError::internal(format!("no demo product training {key}")))?;
        out.extend(product(world, framework, who, training)?);
    }
    Ok(out)
}

/// Whose evidence of a pathway it is, and who decides it at the organisation of their plan.
#[derive(Clone, Copy)]
struct Submission<'w> {
    world: &'w World,
    who: &'w Persona,
    assessor: &'w str,
}

/// What the evidence of one statement claims, and how it is confirmed.
struct Claim<'w> {
    claimed: LevelCode,
    /// The level an attestation confirms.
    confirmed: LevelCode,
    kind: &'w str,
    narrative: String,
}

impl<'w> Submission<'w> {
    /// The evidence of the statements of `code` that require a level, as far as `counts`
    /// goes, the `i`-th dated `i` days after `from`; `claim` says what the `i`-th claims.
    fn pathway(
        self,
        framework: &Framework,
        code: &PathwayCode,
        counts: Counts,
        from: &str,
        claim: impl Fn(usize, &Statement, LevelCode) -> Claim<'w>,
    ) -> Result<Vec<Item<'w>>, ServiceError> {
        let rejection = &self.world.texts.rejection;
        let statements = (framework.pathway_statements(code))
            .filter_map(|s| s.level.clone().map(|level| (s, level)));
        let mut out = Vec::new();
        for (i, (statement, required)) in statements.enumerate() {
            let c = claim(i, statement, required);
            let Some(target) = target_of(i, counts, &c.confirmed, rejection) else {
                continue;
            };
            out.push(Item {
                statement: statement.clone(),
                kind: c.kind,
                narrative: c.narrative,
                date: day(from, i)?,
                provider: None,
                claimed: c.claimed,
                target,
                org: &self.who.evidence.assessed_at,
                assessor: self.assessor,
                attachment: None,
                product: None,
                product_version: None,
            });
        }
        Ok(out)
    }
}

fn foundational<'w>(
    to: Submission<'w>,
    framework: &Framework,
) -> Result<Vec<Item<'w>>, ServiceError> {
    let (texts, who) = (&to.world.texts, to.who);
    let course = &who.foundational_course;
    let narrative = fill(
        &texts.foundational_narrative,
        &[
            ("persona", who.name.as_str()),
            ("line", course.line.to_string().as_str()),
            ("course", course.text.as_str()),
        ],
    );
    let (counts, from) = (who.evidence.foundational, &texts.foundational_from);
    to.pathway(
        framework,
        &pathway("foundational")?,
        counts,
        from,
        |i, statement, required| {
            // Every fifth claim is a level higher and confirmed so; every seventh is a level
            // higher and confirmed only at the required level.
            let above = || level_above(framework, statement, 1).unwrap_or(required.clone());
            let (claimed, confirmed) = if i % 5 == 4 {
                (above(), above())
            } else if i % 7 == 6 {
                (above(), required.clone())
            } else {
                (required.clone(), required.clone())
            };
            Claim {
                claimed,
                confirmed,
                kind: "course-completion",
                narrative: narrative.clone(),
            }
        },
    )
}

fn advanced<'w>(to: Submission<'w>, framework: &Framework) -> Result<Vec<Item<'w>>, ServiceError> {
    let (world, who) = (to.world, to.who);
    let texts = &world.texts;
    let code = pathway(&format!("advanced-{}", who.archetype.to_lowercase()))?;
    let cases = match &who.case_study {
        Some(key) => world
            .case_study(key)
            .map(|c| c.lines.as_slice())
            .unwrap_or_default(),
        None => &[],
    };
    let (counts, from) = (who.evidence.advanced, &texts.advanced_from);
    to.pathway(framework, &code, counts, from, |i, statement, required| {
        // Every third skill is claimed and confirmed a level higher (proficiency).
        let claimed = if statement.taxonomy.as_str() == "skill" && i % 3 == 2 {
            level_above(framework, statement, 1).unwrap_or(required)
        } else {
            required
        };
        let kind = &texts.advanced_kinds[i % texts.advanced_kinds.len()];
        let narrative = match cases.get(i % cases.len().max(1)) {
            Some(case) => fill(
                &texts.case_study_narrative,
                &[
                    ("what", kind.what.as_str()),
                    ("archetype", who.archetype.as_str()),
                    ("line", case.line.to_string().as_str()),
                    ("text", case.text.as_str()),
                ],
            ),
            None => fill(
                &texts.role_narrative,
                &[
                    ("what", kind.what.as_str()),
                    ("persona", who.name.as_str()),
                    ("role", who.role.as_str()),
                    ("first", who.source_lines.0.to_string().as_str()),
                    ("last", who.source_lines.1.to_string().as_str()),
                    ("responsibilities", who.responsibilities.as_str()),
                ],
            ),
        };
        Claim {
            confirmed: claimed.clone(),
            claimed,
            kind: &kind.kind,
            narrative,
        }
    })
}

/// Evidence of every statement of a product's pathway, all attested; every fourth is an
/// assessment, the others courses, four to a day.
fn product<'w>(
    world: &'w World,
    framework: &Framework,
    who: &'w Persona,
    training: &'w ProductTraining,
) -> Result<Vec<Item<'w>>, ServiceError> {
    let duties = world
        .case_study(&training.duties)
        .map(|c| c.lines.as_slice())
        .unwrap_or_default();
    let mut out = Vec::new();
    // Counted among all the pathway's statements, those without a level too.
    for (i, statement) in framework
        .pathway_statements(&pathway(&training.pathway)?)
        .enumerate()
    {
        let Some(required) = statement.level.clone() else {
            continue;
        };
        let taught = &training.training[i % training.training.len().max(1)];
        let (duty, duty_line) = match duties.get(i % duties.len().max(1)) {
            Some(d) => (d.text.as_str(), d.line.to_string()),
            None => ("", String::new()),
        };
        out.push(Item {
            statement: statement.clone(),
            kind: if i % 4 == 3 {
                "assessment"
            } else {
                "course-completion"
            },
            narrative: fill(
                &training.narrative,
                &[
                    ("persona", who.name.as_str()),
                    ("line", taught.line.to_string().as_str()),
                    ("text", taught.text.as_str()),
                    ("duty_line", duty_line.as_str()),
                    ("duty", duty),
                ],
            ),
            date: day(&training.first_day, i / 4)?,
            provider: Some(training.provider.clone()),
            claimed: required.clone(),
            target: Target::Attested(required),
            org: &training.assessed_at,
            assessor: &training.assessor,
            attachment: (i == 0).then_some((
                training.attachment.file_name.as_str(),
                training.attachment.text.as_str(),
            )),
            product: training.product.as_deref().zip(training.version.as_deref()),
            product_version: None,
        });
    }
    Ok(out)
}
