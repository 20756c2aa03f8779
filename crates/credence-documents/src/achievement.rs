//! The OB 3.0 `Achievement` of a pathway badge: its criteria, one alignment per competency
//! statement, the taxonomy levels as `ResultDescription`s of `RubricCriterionLevel`s, and
//! the badge image, pinned to one version of the framework.
//!
//! The ids of the result descriptions and levels are fragments of the achievement's id, so
//! that a credential's results can name them without a lookup:
//! `{achievement}#levels-{taxonomy}` and `{achievement}#levels-{taxonomy}-{level}`.

use credence_domain::framework::{Pathway, Statement, Taxonomy};
use credence_domain::{Framework, LevelCode, PathwayKind, TaxonomyCode};
use serde_json::{json, Map, Value};

use super::{base, IssuerProfile};

/// The product a product-specific pathway is instantiated for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// The product's name, such as "ChestScan triage".
    pub name: String,
    /// The product's version; training must be refreshed when it changes.
    pub version: String,
}

impl Product {
    /// "{name} {version}".
    pub fn label(&self) -> String {
        format!("{} {}", self.name, self.version)
    }
}

/// What an achievement is built from.
#[derive(Debug, Clone)]
pub struct AchievementInput<'a> {
    /// The framework version the achievement is pinned to.
    pub framework: &'a Framework,
    /// The pathway the badge stands for (one of `framework`'s).
    pub pathway: &'a Pathway,
    /// The achievement's id, `{base}/achievements/{uuid}`.
    pub achievement_id: &'a str,
    /// The issuing organisation, which is the achievement's `creator`.
    pub issuer: &'a IssuerProfile,
    /// The installation's base URL, such as `https://credence.example`.
    pub base_url: &'a str,
    /// Replaces the pathway's name (with the product, for a product-specific pathway).
    pub name: Option<&'a str>,
    /// Replaces the pathway's description.
    pub description: Option<&'a str>,
    /// The badge image, a `data:` URL (see [`super::badge::badge_data_url`]) or a URL.
    pub image: &'a str,
    /// How long an award stays valid, stated in the criteria (product-specific pathways).
    pub validity_days: Option<u32>,
    /// The product a product-specific pathway is instantiated for.
    pub product: Option<&'a Product>,
}

/// The OB 3.0 `achievementType` of a pathway's badge.
///
/// A foundational or advanced pathway is a bundle of competency statements that builds
/// towards others (the foundational pathway is the prerequisite of every advanced one):
/// OB 3.0's `MicroCredential`, "a subset of field-specific knowledge, skills, or
/// competencies; often developmental with relationships to other micro-credentials".
/// `Competency` would claim a single competency, and each statement already has its own
/// alignment and result. A product-specific pathway is time-limited and is renewed when
/// the product changes: `Certification`, "time-limited, revocable, renewable credential
/// ... for demonstrating the knowledge, skills, and abilities to perform specific tasks".
pub fn achievement_type(kind: PathwayKind) -> &'static str {
    match kind {
        PathwayKind::Foundational | PathwayKind::Advanced => "MicroCredential",
        PathwayKind::ProductTemplate => "Certification",
    }
}

/// The `targetType` of a statement's alignment to its page.
///
/// The page is not a CASE item, so this alignment says what its target is with an
/// extension value; the statement's second alignment ([`case_alignment`]) is to its CASE
/// item, with OB 3.0's `CFItem`.
pub const STATEMENT_TARGET_TYPE: &str = "ext:CompetencyStatement";

/// The `targetType` OB 3.0 gives an alignment to an item of a 1EdTech CASE framework.
pub const CASE_ITEM_TARGET_TYPE: &str = "CFItem";

/// The page of a statement: `{base}/frameworks/{slug}/pathways/{pathway}#{code}`.
pub fn statement_url(base_url: &str, framework: &Framework, statement: &Statement) -> String {
    format!(
        "{}/frameworks/{}/pathways/{}#{}",
        base(base_url),
        framework.slug(),
        statement.pathway,
        statement.code
    )
}

/// The id of the `ResultDescription` of a taxonomy: `{achievement}#levels-{taxonomy}`.
pub fn result_description_id(achievement_id: &str, taxonomy: &TaxonomyCode) -> String {
    format!("{achievement_id}#levels-{taxonomy}")
}

/// The id of the `RubricCriterionLevel` of a level:
/// `{achievement}#levels-{taxonomy}-{level}`.
pub fn level_id(achievement_id: &str, taxonomy: &TaxonomyCode, level: &LevelCode) -> String {
    format!("{achievement_id}#levels-{taxonomy}-{level}")
}

/// The name of a statement's required level, or a note when the statement has none.
fn required_level_name(framework: &Framework, statement: &Statement) -> String {
    match &statement.level {
        Some(level) => framework
            .level(level)
            .map(|l| l.name.clone())
            .unwrap_or_else(|| level.to_string()),
        None => "no level stated".to_owned(),
    }
}

fn taxonomy<'f>(framework: &'f Framework, code: &TaxonomyCode) -> Option<&'f Taxonomy> {
    framework
        .document()
        .taxonomies
        .iter()
        .find(|t| &t.code == code)
}

/// The `Alignment` of one competency statement.
pub fn statement_alignment(base_url: &str, framework: &Framework, statement: &Statement) -> Value {
    let taxonomy_name = taxonomy(framework, &statement.taxonomy)
        .map(|t| t.name.as_str())
        .unwrap_or(statement.taxonomy.as_str());
    let place = match &statement.factor {
        Some(factor) if factor != &statement.layer => format!("{}, {factor}", statement.layer),
        _ => statement.layer.clone(),
    };
    json!({
        "type": ["Alignment"],
        "targetName": statement.text,
        "targetUrl": statement_url(base_url, framework, statement),
        "targetCode": statement.code,
        "targetDescription": format!(
            "{}: {} required. {place}.",
            taxonomy_name,
            required_level_name(framework, statement),
        ),
        "targetFramework": framework.document().title,
        "targetType": STATEMENT_TARGET_TYPE,
    })
}

/// The `Alignment` of one competency statement to its CASE 1.1 item
/// (`{base}/ims/case/v1p1/CFItems/{uuid}`, served by the registry).
pub fn case_alignment(base_url: &str, framework: &Framework, statement: &Statement) -> Value {
    let mut alignment = statement_alignment(base_url, framework, statement);
    alignment["targetUrl"] =
        credence_domain::case::export::statement_item_url(framework, statement, base(base_url))
            .into();
    alignment["targetType"] = CASE_ITEM_TARGET_TYPE.into();
    alignment
}

/// Escapes the characters Markdown gives a meaning to inside a line of text.
fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        if c == '\n' || c == '\r' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// The criteria as Markdown: what earns the badge, then every statement by layer and
/// factor with its code and required level.
fn criteria_narrative(input: &AchievementInput<'_>) -> String {
    let framework = input.framework;
    let doc = framework.document();
    let pathway = input.pathway;
    let statements: Vec<&Statement> = framework.pathway_statements(&pathway.code).collect();
    let mut md = String::new();
    md.push_str(&format!(
        "Awarded for attested evidence, at the required level or above, of each of the {} competency statements of the *{}* pathway of *{}* ({}, version {}). A higher level of the same taxonomy meets a lower requirement: Understanding meets Familiarity and Awareness, Proficiency meets Capability.\n",
        statements.len(),
        markdown_escape(&pathway.name),
        markdown_escape(&doc.title),
        markdown_escape(&doc.publisher),
        markdown_escape(&doc.version),
    ));
    // The framework's own rules across statements and taxonomies, from its data.
    if !doc.topics.is_empty() {
        md.push_str("Evidence for another statement of the same topic counts by the same rule.\n");
    }
    for level in doc.taxonomies.iter().flat_map(|t| &t.levels) {
        for implication in &level.implies {
            let implied = framework
                .level(&implication.level)
                .map_or_else(|| implication.level.to_string(), |l| l.name.clone());
            let line = implication
                .source_line
                .map(|l| format!(" (line {l} of the source)"))
                .unwrap_or_default();
            md.push_str(&format!(
                "{} meets {implied} of the same topic{line}.\n",
                markdown_escape(&level.name)
            ));
        }
    }
    let prerequisites: Vec<String> = pathway
        .prerequisites
        .iter()
        .map(|code| {
            framework
                .pathway(code)
                .map(|p| format!("*{}*", markdown_escape(&p.name)))
                .unwrap_or_else(|| code.to_string())
        })
        .collect();
    if !prerequisites.is_empty() {
        md.push_str(&format!("\nPrerequisite: {}.\n", prerequisites.join(", ")));
    }
    if let Some(product) = input.product {
        md.push_str(&format!(
            "\nFor the AI product *{}*, version {}. Training must be refreshed when the product changes.\n",
            markdown_escape(&product.name),
            markdown_escape(&product.version)
        ));
    }
    if let Some(days) = input.validity_days {
        md.push_str(&format!(
            "\nAn award is valid for {days} days from the date it is issued.\n"
        ));
    }
    let mut heading = String::new();
    for statement in &statements {
        let place = match &statement.factor {
            Some(factor) if factor != &statement.layer => {
                format!("{}: {factor}", statement.layer)
            }
            _ => statement.layer.clone(),
        };
        if place != heading {
            md.push_str(&format!("\n### {}\n\n", markdown_escape(&place)));
            heading = place;
        }
        md.push_str(&format!(
            "- **{}** ({}): {}\n",
            statement.code,
            markdown_escape(&required_level_name(framework, statement)),
            markdown_escape(&statement.text)
        ));
    }
    md
}

/// One `ResultDescription` per taxonomy the pathway's statements use, in the framework's
/// order, listing that taxonomy's levels from lowest to highest.
fn result_descriptions(input: &AchievementInput<'_>) -> Vec<Value> {
    let framework = input.framework;
    let used: Vec<&TaxonomyCode> = framework
        .pathway_statements(&input.pathway.code)
        .map(|s| &s.taxonomy)
        .collect();
    framework
        .document()
        .taxonomies
        .iter()
        .filter(|t| used.contains(&&t.code))
        .map(|t| {
            let mut levels: Vec<_> = t.levels.iter().collect();
            levels.sort_by_key(|l| l.rank);
            json!({
                "id": result_description_id(input.achievement_id, &t.code),
                "type": ["ResultDescription"],
                "name": format!("{} level", t.name),
                "resultType": "RubricCriterionLevel",
                "allowedValue": levels.iter().map(|l| l.name.clone()).collect::<Vec<_>>(),
                "rubricCriterionLevel": levels.iter().map(|l| json!({
                    "id": level_id(input.achievement_id, &t.code, &l.code),
                    "type": ["RubricCriterionLevel"],
                    "name": l.name,
                    "description": l.learner_statement,
                    "level": l.rank.to_string(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// The achievement's name: the override, or the pathway's name, followed by the product
/// for a product-specific pathway.
fn name(input: &AchievementInput<'_>) -> String {
    if let Some(name) = input.name {
        return name.to_owned();
    }
    match input.product {
        Some(product) => format!("{}: {}", input.pathway.name, product.label()),
        None => input.pathway.name.clone(),
    }
}

/// Tags: the kind of pathway, the archetype's name, the product.
fn tags(input: &AchievementInput<'_>) -> Vec<String> {
    let mut tags = vec![input.pathway.kind.label().to_owned()];
    if let Some(archetype) = &input.pathway.archetype {
        match input.framework.archetype(archetype) {
            Some(a) => tags.push(a.name.clone()),
            None => tags.push(archetype.to_string()),
        }
    }
    if let Some(product) = input.product {
        tags.push(product.name.clone());
    }
    tags
}

/// The OB 3.0 `Achievement` of a pathway badge.
pub fn achievement_document(input: &AchievementInput<'_>) -> Value {
    let framework = input.framework;
    let name = name(input);
    let description = match input.description {
        Some(description) => description.to_owned(),
        None => format!(
            "{} From *{}* ({}), version {}.",
            input.pathway.description.trim_end(),
            framework.document().title,
            framework.document().publisher,
            framework.version()
        ),
    };
    // Each statement twice: its page, and its CASE item.
    let alignments: Vec<Value> = framework
        .pathway_statements(&input.pathway.code)
        .flat_map(|s| {
            [
                statement_alignment(input.base_url, framework, s),
                case_alignment(input.base_url, framework, s),
            ]
        })
        .collect();

    let mut doc = Map::new();
    doc.insert("id".into(), input.achievement_id.into());
    doc.insert("type".into(), json!(["Achievement"]));
    doc.insert(
        "achievementType".into(),
        achievement_type(input.pathway.kind).into(),
    );
    doc.insert("name".into(), name.clone().into());
    doc.insert("description".into(), description.into());
    doc.insert(
        "criteria".into(),
        json!({ "narrative": criteria_narrative(input) }),
    );
    doc.insert(
        "image".into(),
        json!({
            "id": input.image,
            "type": "Image",
            "caption": format!("Badge: {name}"),
        }),
    );
    doc.insert("creator".into(), input.issuer.to_json());
    doc.insert("alignment".into(), Value::Array(alignments));
    doc.insert(
        "resultDescription".into(),
        Value::Array(result_descriptions(input)),
    );
    if let Some(product) = input.product {
        // OB 3.0 has no product field; `specialization` is "the focus ... defined in the
        // achievement", which the product and its version are.
        doc.insert("specialization".into(), product.label().into());
    }
    doc.insert("tag".into(), json!(tags(input)));
    doc.insert("version".into(), framework.version().into());
    Value::Object(doc)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::badge::{badge_data_url, badge_svg, BadgeSpec};
    use crate::test_support::{issuer, nhs, BASE};
    use credence_domain::PathwayCode;
    use credence_vc::canon::Canonicalizer;
    use credence_vc::model::{OB_V3_CONTEXT, VC_V2_CONTEXT};
    use credence_vc::schema::validate_credential;

    pub(crate) const ISSUER_DID: &str = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";

    pub(crate) fn achievement_id(pathway: &str) -> String {
        format!(
            "{BASE}/achievements/00000000-0000-4000-8000-{:012}",
            pathway.len()
        )
    }

    /// The achievement of an NHS pathway, with the product for the product template.
    pub(crate) fn nhs_achievement(pathway_code: &str) -> Value {
        let framework = nhs();
        let code = PathwayCode::new(pathway_code).expect("code");
        let pathway = framework.pathway(&code).expect("pathway");
        let product = Product {
            name: "ChestScan triage".into(),
            version: "2.1".into(),
        };
        let is_product = pathway.kind == PathwayKind::ProductTemplate;
        let mut spec = BadgeSpec::for_pathway(pathway);
        spec.caption = is_product.then(|| product.label());
        let image = badge_data_url(&badge_svg(&spec));
        let issuer = issuer(ISSUER_DID);
        let id = achievement_id(pathway_code);
        achievement_document(&AchievementInput {
            framework,
            pathway,
            achievement_id: &id,
            issuer: &issuer,
            base_url: BASE,
            name: None,
            description: None,
            image: &image,
            validity_days: is_product.then_some(365),
            product: is_product.then_some(&product),
        })
    }

    /// The smallest credential that carries an achievement, in the shape of a signed one.
    fn wrap(achievement: &Value) -> Value {
        json!({
            "@context": [VC_V2_CONTEXT, OB_V3_CONTEXT],
            "id": "urn:uuid:2d0c0e0a-7d43-4d7b-9a5e-3f1d9b7c1a11",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": issuer(ISSUER_DID).to_json(),
            "validFrom": "2026-11-28T09:30:00Z",
            "name": achievement["name"],
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "identifier": [{
                    "type": "IdentityObject",
                    "hashed": true,
                    "identityHash": "sha256$0000000000000000000000000000000000000000000000000000000000000000",
                    "identityType": "emailAddress",
                    "salt": "s"
                }],
                "achievement": achievement,
            },
            "proof": {
                "type": "DataIntegrityProof",
                "cryptosuite": "eddsa-rdfc-2022",
                "created": "2026-11-28T09:30:00Z",
                "verificationMethod": format!("{ISSUER_DID}#{}", &ISSUER_DID[8..]),
                "proofPurpose": "assertionMethod",
                "proofValue": "z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKods5D2UAUL5n2Brbx"
            }
        })
    }

    /// (pathway, statements, taxonomies, achievementType, tags)
    fn check(pathway: &str, statements: usize, taxonomies: &[&str], kind: &str, tags: &[&str]) {
        let achievement = nhs_achievement(pathway);
        let credential = wrap(&achievement);
        validate_credential(&credential).unwrap_or_else(|e| panic!("{pathway}: {e}"));
        Canonicalizer::standard()
            .canonicalize(&credential)
            .unwrap_or_else(|e| panic!("{pathway}: {e}"));

        assert_eq!(achievement["type"], json!(["Achievement"]));
        assert_eq!(achievement["achievementType"], kind, "{pathway}");
        assert_eq!(achievement["version"], "1.1.0");
        assert_eq!(achievement["creator"]["id"], ISSUER_DID);
        assert_eq!(achievement["tag"], json!(tags), "{pathway}");
        let alignments = achievement["alignment"].as_array().expect("alignments");
        // A statement's page and its CASE item.
        assert_eq!(alignments.len(), 2 * statements, "{pathway} alignments");
        let narrative = achievement["criteria"]["narrative"]
            .as_str()
            .expect("narrative");
        assert_eq!(
            narrative.lines().filter(|l| l.starts_with("- **")).count(),
            statements,
            "{pathway} narrative"
        );
        let framework = nhs();
        for statement in framework.pathway_statements(&PathwayCode::new(pathway).expect("code")) {
            assert!(
                narrative.contains(&format!("- **{}** (", statement.code)),
                "{pathway}: {} missing",
                statement.code
            );
            for target_type in [STATEMENT_TARGET_TYPE, CASE_ITEM_TARGET_TYPE] {
                assert!(
                    alignments
                        .iter()
                        .any(|a| a["targetCode"] == statement.code.as_str()
                            && a["targetName"] == statement.text.as_str()
                            && a["targetType"] == target_type),
                    "{} {target_type}",
                    statement.code
                );
            }
        }
        let descriptions: Vec<&str> = achievement["resultDescription"]
            .as_array()
            .expect("descriptions")
            .iter()
            .map(|d| d["id"].as_str().expect("id"))
            .collect();
        let expected: Vec<String> = taxonomies
            .iter()
            .map(|t| format!("{}#levels-{t}", achievement_id(pathway)))
            .collect();
        assert_eq!(descriptions, expected, "{pathway}");
    }

    #[test]
    fn every_nhs_pathway_validates_and_canonicalises() {
        for (pathway, statements, taxonomies, kind, tags) in [
            (
                "foundational",
                30,
                &["knowledge"][..],
                "MicroCredential",
                &["Foundational"][..],
            ),
            (
                "advanced-shaper",
                33,
                &["knowledge", "skill"],
                "MicroCredential",
                &["Advanced", "Shaper"],
            ),
            (
                "advanced-driver",
                35,
                &["knowledge", "skill"],
                "MicroCredential",
                &["Advanced", "Driver"],
            ),
            (
                "advanced-creator",
                52,
                &["knowledge", "skill"],
                "MicroCredential",
                &["Advanced", "Creator"],
            ),
            (
                "advanced-embedder",
                46,
                &["knowledge", "skill"],
                "MicroCredential",
                &["Advanced", "Embedder"],
            ),
            (
                "advanced-user",
                26,
                &["knowledge", "skill"],
                "MicroCredential",
                &["Advanced", "User"],
            ),
            (
                "product-specific",
                20,
                &["knowledge", "skill"],
                "Certification",
                &["Product-specific", "ChestScan triage"],
            ),
        ] {
            check(pathway, statements, taxonomies, kind, tags);
        }
    }

    #[test]
    fn foundational_achievement_in_detail() {
        let achievement = nhs_achievement("foundational");
        let id = achievement_id("foundational");
        assert_eq!(achievement["id"], id.as_str());
        assert_eq!(achievement["name"], "Foundational AI education");
        assert_eq!(
            achievement["alignment"][0],
            json!({
                "type": ["Alignment"],
                "targetName": "Awareness of examples of AI applications and algorithms used in health and care",
                "targetUrl": "https://credence.example/frameworks/nhs-ai-confidence-2022/pathways/foundational#T1-01",
                "targetCode": "T1-01",
                "targetDescription": "Knowledge: Awareness required. AI literacy.",
                "targetFramework": "Developing healthcare workers' confidence in AI",
                "targetType": "ext:CompetencyStatement",
            })
        );
        let item = credence_domain::case::item_id(
            nhs().slug(),
            "1.1.0",
            credence_domain::case::ItemKind::Statement,
            "T1-01",
        );
        assert_eq!(
            achievement["alignment"][1]["targetUrl"],
            format!("https://credence.example/ims/case/v1p1/CFItems/{item}")
        );
        assert_eq!(achievement["alignment"][1]["targetType"], "CFItem");
        assert_eq!(achievement["alignment"][1]["targetCode"], "T1-01");
        assert_eq!(
            achievement["alignment"][1]["targetFramework"],
            "Developing healthcare workers' confidence in AI"
        );
        assert_eq!(
            achievement["resultDescription"][0]["allowedValue"],
            json!(["Awareness", "Familiarity", "Understanding"])
        );
        let levels = &achievement["resultDescription"][0]["rubricCriterionLevel"];
        assert_eq!(
            levels[1]["id"],
            format!("{id}#levels-knowledge-familiarity")
        );
        assert_eq!(levels[1]["name"], "Familiarity");
        assert_eq!(levels[1]["level"], "2");
        assert_eq!(levels[1]["type"], json!(["RubricCriterionLevel"]));
        let narrative = achievement["criteria"]["narrative"].as_str().expect("md");
        assert!(narrative.starts_with("Awarded for attested evidence, at the required level or above, of each of the 30 competency statements of the *Foundational AI education* pathway"), "{narrative}");
        assert!(narrative.contains("\n### AI literacy\n\n- **T1-01** (Awareness): Awareness of examples of AI applications and algorithms used in health and care\n"), "{narrative}");
        assert!(!narrative.contains("Prerequisite"));
        assert!(achievement.get("specialization").is_none());
        assert!(achievement["image"]["id"]
            .as_str()
            .expect("image")
            .starts_with("data:image/svg+xml;base64,"));
        assert_eq!(achievement["image"]["type"], "Image");
        // Deterministic.
        assert_eq!(achievement, nhs_achievement("foundational"));
    }

    #[test]
    fn product_specific_achievement_names_the_product() {
        let achievement = nhs_achievement("product-specific");
        assert_eq!(
            achievement["name"],
            "Product-specific AI training: ChestScan triage 2.1"
        );
        assert_eq!(achievement["specialization"], "ChestScan triage 2.1");
        let narrative = achievement["criteria"]["narrative"].as_str().expect("md");
        assert!(narrative.contains("Prerequisite: *Foundational AI education*."));
        assert!(narrative.contains("For the AI product *ChestScan triage*, version 2.1."));
        assert!(narrative.contains("An award is valid for 365 days"));
    }

    #[test]
    fn a_statement_without_a_level_is_listed_as_such() {
        let achievement = nhs_achievement("advanced-creator");
        let narrative = achievement["criteria"]["narrative"].as_str().expect("md");
        assert!(
            narrative.contains("- **A4-50** (no level stated): "),
            "{narrative}"
        );
    }

    #[test]
    fn overrides_and_markdown_escaping() {
        let framework = nhs();
        let pathway = framework
            .pathway(&PathwayCode::new("advanced-driver").expect("code"))
            .expect("pathway");
        let issuer = issuer(ISSUER_DID);
        let doc = achievement_document(&AchievementInput {
            framework,
            pathway,
            achievement_id: "https://credence.example/achievements/x",
            issuer: &issuer,
            base_url: "https://credence.example/",
            name: Some("Drivers' *special* badge"),
            description: Some("Our own words."),
            image: "https://credence.example/badge.svg",
            validity_days: None,
            product: None,
        });
        assert_eq!(doc["name"], "Drivers' *special* badge");
        assert_eq!(doc["description"], "Our own words.");
        assert!(doc["alignment"][0]["targetUrl"]
            .as_str()
            .expect("url")
            .starts_with("https://credence.example/frameworks/"));
        validate_credential(&wrap(&doc)).expect("valid");
        for (input, expected) in [
            ("plain text", "plain text"),
            ("a *b* _c_", "a \\*b\\* \\_c\\_"),
            ("[link](x) <b>", "\\[link\\](x) \\<b\\>"),
            ("# head | cell", "\\# head \\| cell"),
            ("two\nlines", "two lines"),
        ] {
            assert_eq!(markdown_escape(input), expected, "{input}");
        }
    }
}
