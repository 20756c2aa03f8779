//! Tests of the CASE mapping: the NHS framework survives export and import unchanged,
//! identifiers are stable UUID v5 names, and bad or foreign packages are read as documented.

use serde_json::{json, Value};

use super::*;
use crate::bundled::NHS_AI_CONFIDENCE_2022;
use crate::Framework;

const BASE: &str = "https://credence.example";

fn nhs() -> Framework {
    Framework::from_json(NHS_AI_CONFIDENCE_2022.as_bytes()).unwrap()
}

fn nhs_package() -> Value {
    serde_json::to_value(package(&nhs(), BASE)).unwrap()
}

#[test]
fn uuid_v5_matches_the_rfc_example() {
    // RFC 9562, appendix A.4: "www.example.com" in the DNS name space.
    let dns = Uuid::parse_str("6ba7b810-9dad-11d1-80b4-00c04fd430c8").unwrap();
    assert_eq!(
        uuid_v5(&dns, "www.example.com").to_string(),
        "2ed6657d-e927-568b-95e1-2665a8aea6a2"
    );
}

#[test]
fn the_nhs_framework_reads_back_identical() {
    let fw = nhs();
    let bytes = serde_json::to_vec(&package(&fw, BASE)).unwrap();
    let doc = from_package(&bytes).unwrap();
    assert_eq!(&doc, fw.document());
    // And so the second export is the first, byte for byte.
    let again = Framework::new(doc).unwrap();
    assert_eq!(serde_json::to_vec(&package(&again, BASE)).unwrap(), bytes);
}

#[test]
fn the_package_has_an_item_per_statement_with_its_level_layer_factor_and_topic() {
    let fw = nhs();
    let pkg = package(&fw, BASE);
    let statements: Vec<&CfItem> = pkg
        .items
        .iter()
        .filter(|i| i.item_type.as_deref() == Some("Competency statement"))
        .collect();
    assert_eq!(statements.len(), fw.document().statements.len());
    let first = statements[0];
    assert_eq!(first.human_coding_scheme.as_deref(), Some("T1-01"));
    let id = item_id(fw.slug(), fw.version(), ItemKind::Statement, "T1-01");
    assert_eq!(first.identifier, id.to_string());
    assert_eq!(first.uri, format!("{BASE}/ims/case/v1p1/CFItems/{id}"));
    let links = |kind: &str| -> Vec<String> {
        pkg.associations
            .iter()
            .filter(|a| a.origin.identifier == first.identifier && a.association_type == kind)
            .map(|a| a.destination.title.clone())
            .collect()
    };
    assert_eq!(links("isChildOf"), ["AI literacy"]);
    assert_eq!(links("hasSkillLevel"), ["Awareness"]);
    assert_eq!(links("isPartOf"), ["Foundational AI education"]);
    // Every declared topic is an item, and each statement of it is part of it.
    let topic = &fw.document().topics[0];
    let topic_id = item_id(
        fw.slug(),
        fw.version(),
        ItemKind::Topic,
        topic.code.as_str(),
    );
    let members = pkg
        .associations
        .iter()
        .filter(|a| {
            a.association_type == "isPartOf" && a.destination.identifier == topic_id.to_string()
        })
        .count();
    assert_eq!(members, fw.topic_statements(&topic.code).count());
    assert_eq!(pkg.document.last_change, "2022-09-01T00:00:00Z");
}

#[test]
fn identifiers_differ_by_version_and_never_repeat() {
    let fw = nhs();
    let slug = fw.slug();
    assert_ne!(document_id(slug, "1.1.0"), document_id(slug, "1.2.0"));
    let pkg = package(&fw, BASE);
    let mut ids = std::collections::HashSet::new();
    for id in pkg
        .items
        .iter()
        .map(|i| &i.identifier)
        .chain(pkg.associations.iter().map(|a| &a.identifier))
    {
        assert!(ids.insert(id.clone()), "{id} repeats");
        assert_eq!(Uuid::parse_str(id).unwrap().get_version_num(), 5);
    }
}

fn problems_of(value: &Value) -> Vec<String> {
    from_package(value.to_string().as_bytes())
        .unwrap_err()
        .0
        .iter()
        .map(|p| p.to_string())
        .collect()
}

#[test]
fn bad_packages_are_refused_naming_the_field() {
    let mut pkg = nhs_package();
    pkg["CFItems"][3]
        .as_object_mut()
        .unwrap()
        .remove("fullStatement");
    assert_eq!(
        problems_of(&pkg),
        ["/CFItems/3/fullStatement: missing field `fullStatement`"]
    );

    let mut pkg = nhs_package();
    let statement = pkg["CFItems"]
        .as_array()
        .unwrap()
        .iter()
        .position(|i| i["humanCodingScheme"] == "T1-01")
        .unwrap();
    pkg["CFItems"][statement]["humanCodingScheme"] = json!("t1 01");
    let found = problems_of(&pkg);
    assert!(
        found[0].starts_with(&format!(
            "/CFItems/{statement}/humanCodingScheme: 't1 01' is not a valid statement code"
        )),
        "{found:?}"
    );

    let mut pkg = nhs_package();
    let id = pkg["CFItems"][statement]["identifier"].clone();
    pkg["CFAssociations"].as_array_mut().unwrap().retain(|a| {
        !(a["originNodeURI"]["identifier"] == id && a["associationType"] == "isPartOf")
    });
    let found = problems_of(&pkg);
    assert_eq!(
        found,
        [format!(
            "/CFItems/{statement}: the Competency statement 'T1-01' must be isPartOf exactly one Pathway item; it is isPartOf 0"
        )]
    );

    let mut pkg = nhs_package();
    pkg["extensions"]["credence"]["slug"] = json!("Not A Slug");
    assert!(problems_of(&pkg)[0].starts_with("/extensions/credence/slug: "));

    assert_eq!(
        problems_of(&json!({"CFItems": []})),
        ["/CFDocument: missing field `CFDocument`"]
    );
}

/// A CFItem of a foreign package (https://x.example/), with no coding scheme.
fn foreign_item(id: &str, text: &str) -> Value {
    json!({
        "identifier": id, "uri": format!("https://x.example/{id}"),
        "fullStatement": text, "lastChangeDateTime": "2024-03-05T10:00:00Z"
    })
}

/// The association `a{n}`: item `from` is a child of item (or document) `to`.
fn child_of(n: usize, from: &str, to: &str) -> Value {
    let node =
        |id: &str| json!({"title": id, "identifier": id, "uri": format!("https://x.example/{id}")});
    json!({
        "identifier": format!("a{n}"), "associationType": "isChildOf",
        "uri": format!("https://x.example/a{n}"), "originNodeURI": node(from),
        "destinationNodeURI": node(to), "lastChangeDateTime": "2024-03-05T10:00:00Z"
    })
}

#[test]
fn a_foreign_package_becomes_a_framework_with_the_documented_defaults() {
    let item = |id: &str, code: Option<&str>, text: &str| {
        let mut v = foreign_item(id, text);
        if let Some(code) = code {
            v["humanCodingScheme"] = json!(code);
        }
        v
    };
    let pkg = json!({
        "CFDocument": {
            "identifier": "d", "uri": "https://x.example/d", "creator": "Royal College of Examples",
            "title": "Example Skills Framework", "lastChangeDateTime": "2024-03-05T10:00:00Z"
        },
        "CFItems": [
            item("g", Some("1"), "Communication"),
            item("h", Some("1.1"), "Written"),
            item("s1", Some("1.1.a"), "Writes clear discharge letters"),
            item("s2", None, "Explains a diagnosis in plain words"),
            item("s3", Some("x"), "Works safely"),
        ],
        "CFAssociations": [
            child_of(1, "g", "d"), child_of(2, "h", "g"), child_of(3, "s1", "h"),
            child_of(4, "s2", "g"),
        ],
    });
    let doc = from_package(pkg.to_string().as_bytes()).unwrap();
    let fw = Framework::new(doc).unwrap();
    let doc = fw.document();
    assert_eq!(doc.slug.as_str(), "example-skills-framework");
    assert_eq!(doc.version, "1");
    assert_eq!(doc.publisher, "Royal College of Examples");
    assert_eq!(doc.published.as_deref(), Some("2024-03-05"));
    let summary: Vec<(&str, &str, Option<&str>, Option<&str>)> = doc
        .statements
        .iter()
        .map(|s| {
            (
                s.code.as_str(),
                s.layer.as_str(),
                s.factor.as_deref(),
                s.level.as_ref().map(|l| l.as_str()),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("1-1-A", "Communication", Some("Written"), Some("met")),
            ("S-1", "Communication", None, Some("met")),
            ("X", "Example Skills Framework", None, Some("met")),
        ]
    );
    assert_eq!(doc.pathways.len(), 1);
    assert_eq!(fw.pathway_statements(&doc.pathways[0].code).count(), 3);
}

#[test]
fn a_foreign_factor_name_in_two_layers_is_told_apart_once_for_all_its_statements() {
    let pkg = json!({
        "CFDocument": {
            "identifier": "d", "uri": "https://x.example/d", "creator": "Examples",
            "title": "Two Layers", "lastChangeDateTime": "2024-03-05T10:00:00Z"
        },
        "CFItems": [
            foreign_item("la", "Clinical"), foreign_item("lb", "Technical"),
            foreign_item("fa", "Safety"), foreign_item("fb", "Safety"),
            foreign_item("s1", "Reports incidents"), foreign_item("s2", "Tests failovers"),
            foreign_item("s3", "Monitors drift"),
        ],
        "CFAssociations": [
            child_of(1, "la", "d"), child_of(2, "lb", "d"), child_of(3, "fa", "la"), child_of(4, "fb", "lb"),
            child_of(5, "s1", "fa"), child_of(6, "s2", "fb"), child_of(7, "s3", "fb"),
        ],
    });
    let doc = from_package(pkg.to_string().as_bytes()).unwrap();
    let fw = Framework::new(doc).unwrap();
    let factors: Vec<(&str, Option<&str>)> = fw
        .document()
        .statements
        .iter()
        .map(|s| (s.layer.as_str(), s.factor.as_deref()))
        .collect();
    assert_eq!(
        factors,
        [
            ("Clinical", Some("Safety")),
            ("Technical", Some("Safety (Technical)")),
            ("Technical", Some("Safety (Technical)")),
        ]
    );
}
