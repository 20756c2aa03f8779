//! Unit tests of the domain rules, data-driven: one `check` helper per behaviour, many cases.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::progress::{progress, Attainment};
use crate::{bundled, Framework, LevelCode, PathwayCode, StatementCode};

pub(crate) fn nhs() -> Framework {
    Framework::from_json(bundled::NHS_AI_CONFIDENCE_2022.as_bytes())
        .expect("bundled NHS framework is valid")
}

fn level(s: &str) -> LevelCode {
    LevelCode::new(s).unwrap()
}

#[test]
fn nhs_framework_counts_match_the_report() {
    let fw = nhs();
    let doc = fw.document();
    let mut per_table: BTreeMap<&str, usize> = BTreeMap::new();
    let mut per_level: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &doc.statements {
        *per_table.entry(&s.table).or_default() += 1;
        *per_level
            .entry(s.level.as_ref().map_or("none", |l| l.as_str()))
            .or_default() += 1;
    }
    assert_eq!(doc.statements.len(), 242);
    let expected_tables = [
        ("Table 1", 30),
        ("Table 2", 20),
        ("Table A1", 33),
        ("Table A2", 35),
        ("Table A4", 52),
        ("Table A5", 46),
        ("Table A7", 26),
    ];
    assert_eq!(per_table, BTreeMap::from(expected_tables));
    let expected_levels = [
        ("awareness", 37),
        ("familiarity", 58),
        ("understanding", 73),
        ("capability", 39),
        ("proficiency", 34),
        ("none", 1),
    ];
    assert_eq!(per_level, BTreeMap::from(expected_levels));
    let mut per_question_table: BTreeMap<&str, usize> = BTreeMap::new();
    for q in &doc.questions {
        *per_question_table.entry(&q.table).or_default() += 1;
    }
    assert_eq!(
        per_question_table,
        BTreeMap::from([("Table A3", 40), ("Table A6", 25)])
    );
    assert_eq!(doc.archetypes.len(), 5);
}

#[test]
fn figure_a1_is_derived_from_the_statements() {
    // The report's Figure A1: which archetypes need advanced education in which factor.
    let report: [(&str, [bool; 5]); 12] = [
        ("AI literacy", [false, false, true, true, false]),
        ("Regulation and standards", [true, true, true, true, false]),
        ("Evaluation and validation", [true, true, true, true, true]),
        ("Guidelines", [true, true, true, true, true]),
        ("Liability", [true, true, true, true, true]),
        ("Strategy and culture", [true, true, false, false, false]),
        (
            "Technical implementation",
            [false, false, true, true, false],
        ),
        ("Local validation", [false, true, true, true, false]),
        ("Systems impact", [true, true, true, true, false]),
        (
            "AI model and product design",
            [false, false, true, true, true],
        ),
        ("Cognitive biases", [false, false, true, true, true]),
        (
            "Interface with patients",
            [false, false, false, false, true],
        ),
    ];
    let archetypes = ["shaper", "driver", "creator", "embedder", "user"];
    let mut expected: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (factor, ticks) in report {
        for (archetype, tick) in archetypes.iter().zip(ticks) {
            let entry = expected.entry((*archetype).to_owned()).or_default();
            if tick {
                entry.insert(factor.to_owned());
            }
        }
    }
    let derived: BTreeMap<String, BTreeSet<String>> = nhs()
        .advanced_factors_by_archetype()
        .into_iter()
        .map(|(a, f)| (a.to_string(), f))
        .collect();
    assert_eq!(derived, expected);
}

fn check_satisfies(fw: &Framework, held: &str, required: &str, expected: bool) {
    assert_eq!(
        fw.satisfies(&level(held), &level(required)),
        expected,
        "{held} satisfies {required}"
    );
}

#[test]
fn levels_subsume_lower_levels_and_what_the_framework_says_they_imply() {
    let fw = nhs();
    for (held, required, expected) in [
        ("awareness", "awareness", true),
        ("familiarity", "awareness", true),
        ("understanding", "familiarity", true),
        ("understanding", "awareness", true),
        ("awareness", "familiarity", false),
        ("familiarity", "understanding", false),
        ("proficiency", "capability", true),
        ("capability", "proficiency", false),
        ("capability", "capability", true),
        // Across taxonomies only as the framework says: Proficiency implies Understanding
        // and so Awareness (line 797); nothing else crosses, whatever the ranks.
        ("understanding", "capability", false),
        ("understanding", "proficiency", false),
        ("proficiency", "awareness", true),
        ("capability", "awareness", false),
    ] {
        check_satisfies(&fw, held, required, expected);
    }
}

pub(crate) fn attain(pairs: &[(&str, &str)]) -> Vec<Attainment> {
    pairs
        .iter()
        .map(|(s, l)| Attainment {
            statement: StatementCode::new(*s).unwrap(),
            level: level(l),
        })
        .collect()
}

fn all_of(fw: &Framework, pathway: &str) -> Vec<Attainment> {
    fw.document()
        .statements
        .iter()
        .filter(|s| s.pathway.as_str() == pathway)
        .filter_map(|s| {
            Some(Attainment {
                statement: s.code.clone(),
                level: s.level.clone()?,
            })
        })
        .collect()
}

/// Checks one progress computation: (met, required, complete, first gap sentence).
fn check_progress(
    fw: &Framework,
    pathway: &str,
    attained: &[Attainment],
    expected: (usize, usize, bool, Option<&str>),
) {
    let p = progress(fw, &PathwayCode::new(pathway).unwrap(), attained).unwrap();
    let got = (p.met(), p.required(), p.complete, p.next_step(fw));
    assert_eq!(
        (got.0, got.1, got.2, got.3.as_deref()),
        expected,
        "progress on {pathway}"
    );
}

#[test]
fn pathway_progress_explains_what_is_missing() {
    let fw = nhs();
    let foundational = all_of(&fw, "foundational");
    let mut everything_a4 = all_of(&fw, "advanced-creator");
    everything_a4.extend(foundational.clone());

    check_progress(
        &fw,
        "foundational",
        &[],
        (
            0,
            30,
            false,
            Some("3 more Awareness statements in AI literacy"),
        ),
    );
    check_progress(&fw, "foundational", &foundational, (30, 30, true, None));
    // A higher level of the same taxonomy satisfies a lower requirement.
    check_progress(
        &fw,
        "foundational",
        &attain(&[("T1-01", "understanding")]),
        (
            1,
            30,
            false,
            Some("2 more Awareness statements in AI literacy"),
        ),
    );
    // A skill level recorded against a knowledge statement is no evidence of it.
    check_progress(
        &fw,
        "foundational",
        &attain(&[("T1-01", "proficiency")]),
        (
            0,
            30,
            false,
            Some("3 more Awareness statements in AI literacy"),
        ),
    );
    // Advanced pathways need the foundational one first.
    check_progress(
        &fw,
        "advanced-creator",
        &all_of(&fw, "advanced-creator"),
        (
            51,
            51,
            false,
            Some("Complete the prerequisite pathway: Foundational AI education"),
        ),
    );
    // A4-50 has no level: it is neither required nor counted.
    check_progress(
        &fw,
        "advanced-creator",
        &everything_a4,
        (51, 51, true, None),
    );
}

#[test]
fn identical_statements_in_other_tables_count() {
    let fw = nhs();
    let doc = fw.document();
    // Find a statement text that appears in two advanced tables.
    let (a, b) = doc
        .statements
        .iter()
        .find_map(|s| {
            doc.statements
                .iter()
                .find(|t| t.text == s.text && t.pathway != s.pathway && s.level.is_some())
                .map(|t| (s, t))
        })
        .expect("the report repeats some statements across tables");
    let attained = attain(&[(a.code.as_str(), a.level.as_ref().unwrap().as_str())]);
    let p = progress(&fw, &b.pathway, &attained).unwrap();
    let status = p
        .requirements
        .iter()
        .find(|r| r.statement == b.code)
        .unwrap();
    assert!(status.met, "{} should count for {}", a.code, b.code);
}

#[test]
fn progress_on_an_unknown_pathway_is_an_error() {
    let fw = nhs();
    let err = progress(&fw, &PathwayCode::new("nope").unwrap(), &[]).unwrap_err();
    assert_eq!(err.to_string(), "the framework has no pathway 'nope'");
}

/// A small valid document that the validation cases mutate.
pub(crate) fn small() -> Value {
    json!({
        "format": "credence-framework/1",
        "slug": "tiny",
        "version": "1",
        "title": "Tiny",
        "publisher": "Test",
        "description": "A tiny framework.",
        "taxonomies": [
            {"code": "knowledge", "name": "Knowledge", "levels": [
                {"code": "awareness", "name": "Awareness", "rank": 1, "learner_statement": "I am aware"},
                {"code": "understanding", "name": "Understanding", "rank": 2, "learner_statement": "I understand"}
            ]},
            {"code": "skill", "name": "Skill", "levels": [
                {"code": "capability", "name": "Capability", "rank": 1, "learner_statement": "I can"}
            ]}
        ],
        "layers": [{"code": "gov", "name": "Governance", "factors": [
            {"code": "regulation", "name": "Regulation"},
            {"code": "liability", "name": "Liability"}
        ]}],
        "archetypes": [{"code": "user", "name": "User", "plural": "Users", "summary": "Uses AI"}],
        "pathways": [
            {"code": "base", "kind": "foundational", "name": "Base", "description": "For all"},
            {"code": "adv", "kind": "advanced", "name": "Advanced", "description": "More",
             "archetype": "user", "prerequisites": ["base"]}
        ],
        "statements": [
            {"code": "S-1", "table": "T1", "pathway": "base", "layer": "Governance",
             "factor": "Regulation", "taxonomy": "knowledge", "level": "awareness",
             "text": "Awareness of rules", "source_line": 1},
            {"code": "S-2", "table": "T2", "pathway": "adv", "layer": "Governance",
             "factor": "Liability", "taxonomy": "skill", "level": "capability",
             "text": "Capable of things", "source_line": 2}
        ]
    })
}

pub(crate) fn check_invalid(mutate: impl FnOnce(&mut Value), pointer: &str, message: &str) {
    let mut doc = small();
    mutate(&mut doc);
    let bytes = serde_json::to_vec(&doc).unwrap();
    let problems = Framework::from_json(&bytes)
        .expect_err("should be invalid")
        .0;
    assert!(
        problems
            .iter()
            .any(|p| p.pointer == pointer && p.message.contains(message)),
        "expected {pointer}: {message}, got {problems:?}"
    );
}

#[test]
fn the_small_document_is_valid() {
    let bytes = serde_json::to_vec(&small()).unwrap();
    assert!(Framework::from_json(&bytes).is_ok());
}

#[test]
fn validation_reports_every_problem_with_its_pointer() {
    check_invalid(
        |d| d["statements"][1]["level"] = json!("expert"),
        "/statements/1/level",
        "unknown level 'expert'",
    );
    check_invalid(
        |d| d["statements"][1]["code"] = json!("S-1"),
        "/statements/1/code",
        "duplicate statement code 'S-1'",
    );
    check_invalid(
        |d| d["statements"][0]["factor"] = json!("Ethics"),
        "/statements/0/factor",
        "unknown factor 'Ethics'",
    );
    check_invalid(
        |d| d["statements"][0]["layer"] = json!("Clinical"),
        "/statements/0/layer",
        "unknown layer 'Clinical'",
    );
    check_invalid(
        |d| d["pathways"][0]["prerequisites"] = json!(["adv"]),
        "/pathways/0/prerequisites",
        "cycle: base -> adv -> base",
    );
    check_invalid(
        |d| d["pathways"][0]["prerequisites"] = json!(["base"]),
        "/pathways/0/prerequisites",
        "cycle: base -> base",
    );
    check_invalid(
        |d| d["statements"][0]["level"] = json!("capability"),
        "/statements/0/level",
        "wrong taxonomy for level 'capability'",
    );
    check_invalid(
        |d| d["statements"][0]["pathway"] = json!("gone"),
        "/statements/0/pathway",
        "unknown pathway 'gone'",
    );
    check_invalid(
        |d| d["pathways"][1]["prerequisites"] = json!(["gone"]),
        "/pathways/1/prerequisites/0",
        "unknown pathway 'gone'",
    );
    check_invalid(
        |d| d["pathways"][1]["archetype"] = json!(null),
        "/pathways/1/archetype",
        "must name its archetype",
    );
    check_invalid(
        |d| d["taxonomies"][0]["levels"][1]["rank"] = json!(1),
        "/taxonomies/0/levels/1/rank",
        "unique",
    );
    check_invalid(
        |d| d["taxonomies"][1]["levels"][0]["code"] = json!("awareness"),
        "/taxonomies/1/levels/0/code",
        "duplicate level code",
    );
    check_invalid(
        |d| d["statements"][0]["level"] = json!(null),
        "/statements/0/level",
        "must name the anomaly",
    );
    check_invalid(
        |d| d["format"] = json!("other/2"),
        "/format",
        "unsupported format",
    );
    // Type errors are located too.
    check_invalid(
        |d| d["statements"][1]["source_line"] = json!("two"),
        "/statements/1/source_line",
        "invalid type",
    );
    check_invalid(
        |d| d["statements"][0]["code"] = json!("lower"),
        "/statements/0/code",
        "not a valid statement code",
    );
    check_invalid(|d| d["extra"] = json!(1), "/extra", "unknown field `extra`");
}

#[test]
fn several_problems_are_reported_together() {
    let mut doc = small();
    doc["statements"][0]["level"] = json!("expert");
    doc["statements"][1]["factor"] = json!("Ethics");
    let problems = Framework::from_json(&serde_json::to_vec(&doc).unwrap()).unwrap_err();
    assert_eq!(problems.0.len(), 2, "{problems}");
}

#[test]
fn invalid_json_is_located_by_line_and_column() {
    let problems = Framework::from_json(b"{\n  \"format\": ").unwrap_err();
    assert!(problems.0[0].message.contains("line 2"), "{problems}");
}
