//! Unit tests of topics and the level implications: the seed's cases of one subject named
//! at different levels in different tables (line 795) and of Proficiency standing for
//! Understanding of the same subject (line 797), and the validation of that data.

use serde_json::json;

use crate::progress::{progress, Attainment, HeldThrough, RequirementStatus};
use crate::tests::{attain, check_invalid, nhs, small};
use crate::{Framework, LevelCode, PathwayCode, StatementCode};

fn requirement(
    fw: &Framework,
    pathway: &str,
    code: &str,
    held: &[Attainment],
) -> RequirementStatus {
    let p = progress(fw, &PathwayCode::new(pathway).unwrap(), held).unwrap();
    p.requirements
        .into_iter()
        .find(|r| r.statement.as_str() == code)
        .unwrap_or_else(|| panic!("{code} is a requirement of {pathway}"))
}

/// One case: evidence `held` (statement, level); the requirement `code` of `pathway`;
/// whether it is met, through what, and the explanation.
fn check_met(
    fw: &Framework,
    held: &[(&str, &str)],
    pathway: &str,
    code: &str,
    expected: (bool, Option<HeldThrough>, Option<&str>),
) {
    let r = requirement(fw, pathway, code, &attain(held));
    assert_eq!(
        (r.met, r.held_through, r.explanation.as_deref()),
        expected,
        "{held:?} for {code} of {pathway}"
    );
}

#[test]
fn the_seeds_topics_carry_evidence_between_tables_and_taxonomies() {
    let fw = nhs();
    let same = Some(HeldThrough::SameTopic);
    let other = Some(HeldThrough::OtherTaxonomy);
    for (held, pathway, code, expected) in [
        // A1-04 (Understanding) and A2-01 (Familiarity) name CE/UKCA marking: the higher
        // level meets the lower requirement (line 795)...
        (
            &[("A1-04", "understanding")][..],
            "advanced-driver",
            "A2-01",
            (
                true,
                same,
                Some("Met by evidence for A1-04 at Understanding (same topic)"),
            ),
        ),
        // ...never the other way round.
        (
            &[("A2-01", "familiarity")],
            "advanced-shaper",
            "A1-04",
            (
                false,
                same,
                Some("Not yet met: evidence for A2-01 at Familiarity (same topic)"),
            ),
        ),
        // Proficiency in managing clinical governance for SaMD (A5-14) stands for
        // Understanding of it (A2-04) and, below that, Familiarity (A1-01) (line 797)...
        (
            &[("A5-14", "proficiency")],
            "advanced-driver",
            "A2-04",
            (
                true,
                other,
                Some(
                    "Met by evidence for A5-14 at Proficiency (same topic; Proficiency \
                     implies Understanding, line 797)",
                ),
            ),
        ),
        (&[("A5-14", "proficiency")], "advanced-shaper", "A1-01", (true, other, Some("Met by evidence for A5-14 at Proficiency (same topic; Proficiency implies Understanding, line 797)"))),
        // ...and for Capability in the same skill, by rank.
        (
            &[("A5-14", "proficiency")],
            "advanced-creator",
            "A4-18",
            (
                true,
                same,
                Some("Met by evidence for A5-14 at Proficiency (same topic)"),
            ),
        ),
        // Capability implies no knowledge.
        (
            &[("A4-18", "capability")],
            "advanced-driver",
            "A2-04",
            (false, None, None),
        ),
        // Another topic counts for nothing, whatever the level: CE/UKCA marking is not
        // the classes of medical device.
        (
            &[("A1-04", "understanding"), ("A5-14", "proficiency")],
            "advanced-driver",
            "A2-02",
            (false, None, None),
        ),
        // The statement's own evidence is preferred and needs no explanation.
        (
            &[("A2-01", "familiarity"), ("A1-04", "understanding")],
            "advanced-driver",
            "A2-01",
            (true, Some(HeldThrough::ThisStatement), None),
        ),
    ] {
        check_met(&fw, held, pathway, code, expected);
    }
}

#[test]
fn a_requirement_met_through_another_taxonomy_is_credited_at_its_own_level() {
    let fw = nhs();
    let r = requirement(
        &fw,
        "advanced-driver",
        "A2-04",
        &attain(&[("A5-14", "proficiency")]),
    );
    assert_eq!(r.held, Some(LevelCode::new("proficiency").unwrap()));
    assert_eq!(r.held_for, Some(StatementCode::new("A5-14").unwrap()));
    assert_eq!(r.credited(), Some(LevelCode::new("understanding").unwrap()));
    let r = requirement(
        &fw,
        "advanced-driver",
        "A2-01",
        &attain(&[("A1-04", "understanding")]),
    );
    assert_eq!(r.credited(), Some(LevelCode::new("understanding").unwrap()));
}

#[test]
fn topics_link_only_what_the_generator_decided() {
    let fw = nhs();
    let doc = fw.document();
    let code = |s: &str| StatementCode::new(s).unwrap();
    for (a, b, expected) in [
        ("A1-04", "A2-01", true),
        ("A5-14", "A2-04", true),
        ("A1-12", "A7-02", true),
        ("A1-04", "A2-02", false),
        ("A4-08", "A5-06", false),
        // Table 2 is about one product: never linked.
        ("T2-01", "A7-07", false),
    ] {
        assert_eq!(fw.same_topic(&code(a), &code(b)), expected, "{a} and {b}");
    }
    // Every topic is named by at least two statements, and every identical text shares one.
    for topic in &doc.topics {
        assert!(
            fw.topic_statements(&topic.code).count() >= 2,
            "{}",
            topic.code
        );
    }
    for a in &doc.statements {
        for b in doc.statements.iter().filter(|b| b.text == a.text) {
            assert!(fw.same_topic(&a.code, &b.code), "{} and {}", a.code, b.code);
        }
    }
}

#[test]
fn levels_meet_what_the_framework_says_they_imply() {
    let fw = nhs();
    let l = |s: &str| LevelCode::new(s).unwrap();
    for (held, required, expected) in [
        ("proficiency", "understanding", true),
        ("proficiency", "familiarity", true),
        ("proficiency", "awareness", true),
        ("proficiency", "capability", true),
        ("capability", "awareness", false),
        ("understanding", "capability", false),
        ("understanding", "proficiency", false),
    ] {
        assert_eq!(
            fw.satisfies(&l(held), &l(required)),
            expected,
            "{held} meets {required}"
        );
    }
    let (from, implication) = fw
        .implication(&l("proficiency"), &l("awareness"))
        .expect("through line 797");
    assert_eq!(
        (from.name.as_str(), implication.source_line),
        ("Proficiency", Some(797))
    );
    assert!(fw
        .implication(&l("proficiency"), &l("capability"))
        .is_none());
}

#[test]
fn without_topics_or_implications_a_framework_keeps_the_old_rules() {
    // The small document has no topics: each statement is its own, and a skill never
    // meets a knowledge requirement.
    let mut doc = small();
    doc["taxonomies"][1]["levels"][0]["code"] = json!("proficiency");
    doc["taxonomies"][1]["levels"][0]["name"] = json!("Proficiency");
    doc["statements"][1]["level"] = json!("proficiency");
    doc["statements"][1]["pathway"] = json!("base");
    let fw = Framework::from_json(&serde_json::to_vec(&doc).unwrap()).unwrap();
    assert!(!fw.satisfies(
        &LevelCode::new("proficiency").unwrap(),
        &LevelCode::new("awareness").unwrap()
    ));
    let r = requirement(&fw, "base", "S-1", &attain(&[("S-2", "proficiency")]));
    assert!(!r.met && r.held.is_none());
    // A topic of both, with an implication, makes the skill count.
    doc["topics"] = json!([{"code": "rules", "name": "Rules"}]);
    doc["statements"][0]["topic"] = json!("rules");
    doc["statements"][1]["topic"] = json!("rules");
    doc["taxonomies"][1]["levels"][0]["implies"] = json!([{"level": "understanding"}]);
    let fw = Framework::from_json(&serde_json::to_vec(&doc).unwrap()).unwrap();
    let r = requirement(&fw, "base", "S-1", &attain(&[("S-2", "proficiency")]));
    assert_eq!(
        (r.met, r.explanation.as_deref()),
        (
            true,
            Some("Met by evidence for S-2 at Proficiency (same topic; Proficiency implies Understanding)")
        )
    );
}

#[test]
fn figure_a1_as_written_matches_the_one_derived_from_the_tables() {
    let fw = nhs();
    let stated = fw
        .stated_factors_by_archetype()
        .expect("Figure A1 is in the data");
    assert_eq!(stated, fw.advanced_factors_by_archetype());
    let figure = fw.document().figure_a1.as_ref().unwrap();
    assert_eq!(figure.rows.len(), 12);
    assert_eq!(figure.footnotes.len(), 2);
    assert!(fw
        .document()
        .notes
        .iter()
        .any(|n| n.source_line == Some(1650)
            && n.text.starts_with("The requirements are collective")));
}

#[test]
fn markers_are_kept_and_a_mismatch_names_its_anomaly() {
    let fw = nhs();
    let statement = |c: &str| fw.statement(&StatementCode::new(c).unwrap()).unwrap();
    assert_eq!(statement("A4-19").marker.as_deref(), Some("+"));
    assert_eq!(statement("A4-16").marker.as_deref(), Some("\u{2022}"));
    // ANOM-01: 'Capable of' printed with the knowledge bullet.
    let a4_17 = statement("A4-17");
    assert_eq!(
        (a4_17.marker.as_deref(), a4_17.taxonomy.as_str()),
        (Some("\u{2022}"), "skill")
    );
    assert_eq!(a4_17.anomalies, ["ANOM-01"]);
}

#[test]
fn bad_topic_implication_marker_and_figure_data_is_refused_with_pointers() {
    check_invalid(
        |d| d["statements"][0]["topic"] = json!("nowhere"),
        "/statements/0/topic",
        "unknown topic 'nowhere'",
    );
    check_invalid(
        |d| d["topics"] = json!([{"code": "lonely", "name": "Lonely"}]),
        "/topics/0",
        "no statement has the topic 'lonely'",
    );
    check_invalid(
        |d| {
            d["topics"] = json!([{"code": "t", "name": "T"}, {"code": "t", "name": "T"}]);
            d["statements"][0]["topic"] = json!("t");
        },
        "/topics/1/code",
        "duplicate topic code 't'",
    );
    check_invalid(
        |d| d["taxonomies"][1]["levels"][0]["implies"] = json!([{"level": "mastery"}]),
        "/taxonomies/1/levels/0/implies/0/level",
        "unknown level 'mastery'",
    );
    check_invalid(
        |d| d["taxonomies"][0]["levels"][1]["implies"] = json!([{"level": "awareness"}]),
        "/taxonomies/0/levels/1/implies/0/level",
        "same taxonomy",
    );
    check_invalid(
        |d| d["statements"][0]["marker"] = json!("*"),
        "/statements/0/marker",
        "unknown marker '*'",
    );
    check_invalid(
        |d| {
            d["taxonomies"][0]["marker"] = json!({"symbol": "\u{2022}"});
            d["taxonomies"][1]["marker"] = json!({"symbol": "+"});
            d["statements"][1]["marker"] = json!("\u{2022}");
        },
        "/statements/1/marker",
        "name the anomaly",
    );
    check_invalid(
        |d| {
            d["figure_a1"] = json!({"title": "F", "rows": [
                {"layer": "Governance", "factor": "Regulation", "archetypes": ["shaper"]},
                {"layer": "Governance", "factor": "Ethics", "archetypes": []}
            ]})
        },
        "/figure_a1/rows/0/archetypes/0",
        "unknown archetype 'shaper'",
    );
    check_invalid(
        |d| {
            d["figure_a1"] = json!({"title": "F", "rows": [
                {"layer": "Governance", "factor": "Ethics", "archetypes": []}
            ]})
        },
        "/figure_a1/rows/0/factor",
        "unknown factor 'Ethics'",
    );
    check_invalid(
        |d| d["notes"] = json!([{"code": "n", "title": "N", "text": " "}]),
        "/notes/0/text",
        "a note needs a text",
    );
}
