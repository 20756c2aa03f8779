//! Differential test of canonicalisation: on many generated OB3-shaped credentials, our
//! RDFC-1.0 canonical N-Quads (vendored oxjsonld + oxrdf) equal those of an independent
//! stack, sophia_jsonld + sophia_c14n, both fed the same bundled contexts and nothing else.

use proptest::prelude::*;
use serde_json::{json, Value};
use sophia_api::parser::QuadParser;
use sophia_api::source::QuadSource;
use sophia_inmem::dataset::LightDataset;
use sophia_jsonld::loader::ClosureLoader;
use sophia_jsonld::{JsonLdOptions, JsonLdParser};

/// Canonical N-Quads by sophia, loading contexts only from Credence's bundled set.
fn sophia_canonical(document: &Value) -> String {
    let options = JsonLdOptions::new().with_document_loader_closure(|| {
        ClosureLoader::new(|iri: sophia_iri::Iri<String>| {
            let url = iri.as_str().to_owned();
            Box::pin(async move {
                credence_vc::contexts::STANDARD
                    .iter()
                    .find(|c| c.url == url)
                    .map(|c| c.content.to_owned())
                    .ok_or_else(|| format!("context {url} is not bundled"))
            })
                as std::pin::Pin<
                    Box<dyn std::future::Future<Output = Result<String, String>> + Send>,
                >
        })
    });
    let parser = JsonLdParser::new_with_options(options);
    let text = document.to_string();
    let dataset: LightDataset = parser
        .parse_str(&text)
        .collect_quads()
        .unwrap_or_else(|e| panic!("sophia could not read {text}: {e}"));
    let mut out = Vec::new();
    sophia_c14n::rdfc10::normalize(&dataset, &mut out).expect("sophia canonicalises");
    String::from_utf8(out).expect("N-Quads are UTF-8")
}

fn ours(document: &Value) -> String {
    credence_vc::canon::canonicalize(document)
        .unwrap_or_else(|e| panic!("we could not canonicalise {document}: {e}"))
}

/// Text that exercises escaping: quotes, backslashes, tabs, newlines, non-ASCII.
fn text() -> impl Strategy<Value = String> {
    prop::string::string_regex("[A-Za-z0-9 \"\\\\\t\n\u{e9}\u{4e2d}\u{1F600}.,;:'-]{0,40}")
        .expect("a valid regex")
}

fn date() -> impl Strategy<Value = String> {
    (2000u32..2040, 1u32..13, 1u32..29, 0u32..24, 0u32..60)
        .prop_map(|(y, mo, d, h, mi)| format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:00Z"))
}

prop_compose! {
    fn alignment()(name in text(), n in 0u32..1000) -> Value {
        json!({
            "type": ["Alignment"],
            "targetName": name,
            "targetUrl": format!("https://credence.example/frameworks/nhs/statements/S-{n}"),
            "targetType": "ext:CompetencyStatement",
        })
    }
}

prop_compose! {
    fn result_value()(level in prop::sample::select(vec!["awareness", "familiarity", "understanding", "capability", "proficiency"]), n in 0u32..50) -> Value {
        json!({
            "type": ["Result"],
            "resultDescription": format!("urn:uuid:00000000-0000-4000-8000-{n:012}"),
            "achievedLevel": format!("urn:credence:level:{level}"),
        })
    }
}

prop_compose! {
    /// An OB 3.0 credential with varied content: names, texts, dates, alignments, results,
    /// several types, optional fields present or absent, shared blank nodes.
    fn credential()(
        name in text(),
        description in text(),
        criteria in text(),
        holder in text(),
        valid_from in date(),
        valid_until in prop::option::of(date()),
        alignments in prop::collection::vec(alignment(), 0..4),
        results in prop::collection::vec(result_value(), 0..3),
        issuer_name in text(),
        id in 0u64..u64::MAX,
        endorsement_like in any::<bool>(),
    ) -> Value {
        let mut achievement = json!({
            "id": format!("https://credence.example/achievements/{id}"),
            "type": ["Achievement"],
            "name": name,
            "description": description,
            "criteria": {"narrative": criteria},
            "achievementType": "Certificate",
        });
        if !alignments.is_empty() {
            achievement["alignment"] = Value::Array(alignments);
        }
        let mut subject = json!({
            "type": ["AchievementSubject"],
            "achievement": achievement,
            "identifier": [{
                "type": "IdentityObject",
                "identityHash": format!("sha256${id:064x}"),
                "identityType": "emailAddress",
                "hashed": true,
                "salt": holder,
            }],
        });
        if !results.is_empty() {
            subject["result"] = Value::Array(results);
        }
        let mut credential = json!({
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
            ],
            "id": format!("urn:uuid:{:08x}-0000-4000-8000-000000000000", id as u32),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {
                "id": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
                "type": ["Profile"],
                "name": issuer_name,
            },
            "validFrom": valid_from,
            "name": name,
            "credentialSubject": subject,
        });
        if let Some(until) = valid_until {
            credential["validUntil"] = until.into();
        }
        if endorsement_like {
            credential["evidence"] = json!([
                {"type": ["Evidence"], "name": "One", "narrative": description},
                {"type": ["Evidence"], "name": "One", "narrative": description},
            ]);
        }
        credential
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn canonical_nquads_equal_sophias(credential in credential()) {
        prop_assert_eq!(ours(&credential), sophia_canonical(&credential), "document: {}", credential);
    }
}

#[test]
fn the_interop_vectors_canonicalise_alike() {
    for text in [
        include_str!("vectors/ob3-interop/ob3-unsigned.json"),
        include_str!("vectors/1edtech-examples/basicOpenBadgeCredential.json"),
    ] {
        let document: Value = serde_json::from_str(text).unwrap();
        assert_eq!(ours(&document), sophia_canonical(&document));
    }
}
