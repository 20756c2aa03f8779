//! The framework document format's JSON Schema (`schemas/framework.schema.json`) and the Rust
//! validation agree: the bundled document passes both, and broken documents fail both.

use serde_json::{json, Value};

const SCHEMA: &str = include_str!("../schemas/framework.schema.json");

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(SCHEMA).expect("the schema is JSON");
    jsonschema::options()
        .offline()
        .build(&schema)
        .expect("the schema compiles")
}

fn nhs() -> Value {
    serde_json::from_str(credence_domain::bundled::NHS_AI_CONFIDENCE_2022).unwrap()
}

#[test]
fn the_bundled_framework_matches_the_schema() {
    let validator = validator();
    let errors: Vec<String> = validator
        .iter_errors(&nhs())
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// Applies `mutate` to the NHS document and checks that the schema and the Rust loader
/// both refuse it.
fn check_both_refuse(what: &str, mutate: impl FnOnce(&mut Value)) {
    let mut doc = nhs();
    mutate(&mut doc);
    assert!(!validator().is_valid(&doc), "the schema accepted {what}");
    let bytes = serde_json::to_vec(&doc).unwrap();
    assert!(
        credence_domain::Framework::from_json(&bytes).is_err(),
        "the loader accepted {what}"
    );
}

#[test]
fn the_schema_and_the_loader_refuse_the_same_mistakes() {
    check_both_refuse("an unknown top-level field", |d| d["extra"] = json!(true));
    check_both_refuse("a lower-case statement code", |d| {
        d["statements"][0]["code"] = json!("t1-01")
    });
    check_both_refuse("a non-integer source line", |d| {
        d["statements"][0]["source_line"] = json!("826")
    });
    check_both_refuse("a missing statement text", |d| {
        d["statements"][0].as_object_mut().unwrap().remove("text");
    });
    check_both_refuse("an unknown pathway kind", |d| {
        d["pathways"][0]["kind"] = json!("optional")
    });
    check_both_refuse("a knowledge statement at a skill level", |d| {
        d["statements"][0]["level"] = json!("proficiency")
    });
    check_both_refuse("a slug with capitals", |d| d["slug"] = json!("NHS"));
}
