//! Interop with the Digital Bazaar JavaScript stack (`@digitalbazaar/vc` + eddsa-rdfc-2022, via
//! `tests/js/interop.mjs`): credentials we sign verify there, credentials signed there verify
//! here, tampered ones fail on both sides, and both canonicalise alike. A fresh key and varied
//! OB 3.0 content every run; set `CREDENCE_INTEROP_SEED` to replay a run whose seed a failure
//! printed.

use std::path::Path;

use credence_vc::canon::{canonicalize, Canonicalizer};
use credence_vc::contexts::ContextSet;
use credence_vc::did::StaticResolver;
use credence_vc::keys::{KeyPairFile, SigningKey};
use credence_vc::proof::{self, ProofOptions};
use serde_json::{json, Value};

use crate::support::js_harness;

/// How many varied credentials each direction signs and verifies per run.
const VARIATIONS: usize = 20;

/// A small deterministic generator (xorshift64*), seeded per run and printed on failure.
struct Rng(u64);

impl Rng {
    fn new() -> (Self, u64) {
        let seed = std::env::var("CREDENCE_INTEROP_SEED")
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .unwrap_or_else(|| {
                let bytes = *uuid::Uuid::new_v4().as_bytes();
                u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes"))
            });
        (Self(seed | 1), seed)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "urn:uuid:{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }

    /// Text mixing ASCII words with what escaping and Unicode handling get wrong: quotes,
    /// backslashes, TAB, CR, LF, control characters, accents, CJK, emoji, combining marks.
    fn text(&mut self, words: u64) -> String {
        const PIECES: &[&str] = &[
            "Badge",
            "Rust",
            "Systems",
            "Proficient",
            "café",
            "naïve",
            "Zürich",
            "Ærø",
            "日本語",
            "中文",
            "한국어",
            "Ελληνικά",
            "русский",
            "עברית",
            "العربية",
            "✓",
            "★",
            "😀",
            "🎓",
            "e\u{301}",
            "\"quoted\"",
            "back\\slash",
            "tab\there",
            "line\nbreak",
            "cr\rlf",
            "bell\u{7}",
            "del\u{7f}",
            "nbsp\u{a0}",
            "zw\u{200b}j",
            "<b>&amp;</b>",
            "50%",
            "C++",
            "l'été",
            "—",
            "…",
        ];
        let n = 1 + self.below(words);
        (0..n)
            .map(|_| *self.pick(PIECES))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// An xsd:dateTime in `years`, seconds precision, `Z`.
    fn date(&mut self, years: std::ops::Range<u64>) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            years.start + self.below(years.end - years.start),
            1 + self.below(12),
            1 + self.below(28),
            self.below(24),
            self.below(60),
            self.below(60)
        )
    }

    fn hex(&mut self, bytes: usize) -> String {
        (0..bytes)
            .map(|_| format!("{:02x}", self.below(256)))
            .collect()
    }
}

fn template() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/vectors/ob3-interop/ob3-unsigned.json");
    let text = std::fs::read_to_string(&path).expect("read the ob3-interop vector");
    serde_json::from_str(&text).expect("the vector is JSON")
}

/// An OB 3.0 credential issued by `issuer`, built from the ob3-interop vector with its
/// content varied: names and descriptions, dates, identifiers, 0 to 3 results (each with its
/// result description), 0 to 3 alignments, tags, evidence and status entry present or not.
fn variation(rng: &mut Rng, issuer: &str) -> Value {
    let mut doc = template();
    doc["id"] = rng.uuid().into();
    doc["name"] = rng.text(6).into();
    doc["description"] = rng.text(20).into();

    let profile = &mut doc["issuer"];
    profile["id"] = issuer.into();
    profile["name"] = rng.text(4).into();
    profile["url"] = format!("https://badges{}.example.org/", rng.below(1000)).into();
    if rng.chance(30) {
        profile.as_object_mut().expect("issuer").remove("email");
    }
    if rng.chance(30) {
        profile.as_object_mut().expect("issuer").remove("image");
    } else {
        profile["image"]["caption"] = rng.text(3).into();
    }

    let valid_from = rng.date(2001..2025);
    doc["validFrom"] = valid_from.clone().into();
    if rng.chance(50) {
        doc["validUntil"] = rng.date(2031..2099).into();
    } else {
        doc.as_object_mut()
            .expect("credential")
            .remove("validUntil");
    }
    if rng.chance(70) {
        doc["awardedDate"] = valid_from.into();
    } else {
        doc.as_object_mut()
            .expect("credential")
            .remove("awardedDate");
    }

    let subject = &mut doc["credentialSubject"];
    subject["id"] = if rng.chance(50) {
        format!("did:example:learner-{}", rng.below(1_000_000)).into()
    } else {
        rng.uuid().into()
    };
    subject["creditsEarned"] = rng.below(10).into();
    subject["identifier"][0]["identityHash"] = format!("sha256${}", rng.hex(32)).into();
    subject["identifier"][0]["salt"] = rng.hex(8).into();

    let achievement = &mut subject["achievement"];
    achievement["id"] = format!(
        "https://badges.example.org/achievements/{}",
        rng.below(1 << 32)
    )
    .into();
    achievement["name"] = rng.text(5).into();
    achievement["description"] = rng.text(25).into();
    achievement["criteria"]["narrative"] = rng.text(30).into();
    achievement["humanCode"] = format!("CS-{}", rng.below(1000)).into();
    achievement["creditsAvailable"] = json!((1 + rng.below(40)) as f64 / 4.0);
    achievement["achievementType"] = (*rng.pick(&[
        "Course",
        "Badge",
        "Certificate",
        "Competency",
        "MicroCredential",
    ]))
    .into();
    achievement["tag"] = (0..rng.below(4))
        .map(|_| Value::from(rng.text(2)))
        .collect();
    achievement["alignment"] = (0..rng.below(4))
        .map(|i| {
            json!({
                "type": ["Alignment"],
                "targetName": rng.text(5),
                "targetUrl": format!("https://frameworks.example.org/{}/{i}", rng.below(1 << 20)),
                "targetDescription": rng.text(10),
                "targetCode": format!("K-{}", rng.below(100)),
                "targetType": rng.pick(&["CFItem", "CTDL", "CFRubric", "ceasn:Competency"]).to_string(),
            })
        })
        .collect();

    let results = rng.below(4);
    let mut descriptions = Vec::new();
    let mut outcomes = Vec::new();
    for _ in 0..results {
        let description_id = rng.uuid();
        let level_id = rng.uuid();
        descriptions.push(json!({
            "id": description_id,
            "type": ["ResultDescription"],
            "name": rng.text(3),
            "resultType": "RubricCriterionLevel",
            "allowedValue": ["Novice", rng.text(1), "Expert"],
            "requiredLevel": level_id,
            "rubricCriterionLevel": [{
                "id": level_id,
                "type": ["RubricCriterionLevel"],
                "name": rng.text(2),
                "level": rng.below(5).to_string(),
                "points": rng.below(101).to_string(),
            }],
        }));
        outcomes.push(json!({
            "type": ["Result"],
            "resultDescription": description_id,
            "achievedLevel": level_id,
            "value": rng.text(2),
            "status": rng.pick(&["Completed", "Enrolled", "Failed", "InProgress"]).to_string(),
        }));
    }
    if results == 0 {
        achievement
            .as_object_mut()
            .expect("achievement")
            .remove("resultDescription");
        subject.as_object_mut().expect("subject").remove("result");
    } else {
        subject["achievement"]["resultDescription"] = descriptions.into();
        subject["result"] = outcomes.into();
    }

    if rng.chance(30) {
        doc.as_object_mut().expect("credential").remove("evidence");
    } else {
        doc["evidence"][0]["narrative"] = rng.text(15).into();
    }
    if rng.chance(30) {
        doc.as_object_mut()
            .expect("credential")
            .remove("credentialStatus");
    } else {
        let index = rng.below(131_072);
        doc["credentialStatus"]["id"] =
            format!("https://badges.example.org/status/3#{index}").into();
        doc["credentialStatus"]["statusListIndex"] = index.to_string().into();
    }
    doc
}

/// The key pair in the Multikey JSON form the harness takes (`secretKeyMultibase`).
fn js_key_pair(key: &SigningKey) -> Value {
    let file = KeyPairFile::new(key, None, None);
    let mut value: Value = serde_json::from_str(&file.to_json()).expect("key file JSON");
    let object = value.as_object_mut().expect("key file object");
    let secret = object.remove("privateKeyMultibase").expect("private key");
    object.insert("secretKeyMultibase".into(), secret);
    value
}

fn pretty(doc: &Value) -> String {
    serde_json::to_string_pretty(doc).unwrap_or_default()
}

fn rust_verifies(doc: &Value) -> Result<(), String> {
    proof::verify_proofs(doc, &StaticResolver::new(), Canonicalizer::standard())
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Credentials we sign: `VARIATIONS` varied ones with a fresh key.
fn rust_signed(rng: &mut Rng) -> (SigningKey, Vec<Value>) {
    let key = SigningKey::generate().expect("a fresh key");
    let public = key.verifying_key();
    let options = ProofOptions::new(public.did_key_verification_method());
    let docs = (0..VARIATIONS)
        .map(|_| {
            let doc = variation(rng, &public.did_key());
            proof::sign(&doc, &key, &options)
                .unwrap_or_else(|e| panic!("we could not sign {}: {e}", pretty(&doc)))
        })
        .collect();
    (key, docs)
}

fn js_verdicts(docs: &[Value]) -> Vec<Value> {
    let answer = js_harness().run(&["verify"], &Value::Array(docs.to_vec()));
    let verdicts = answer.as_array().expect("an array of verdicts").clone();
    assert_eq!(verdicts.len(), docs.len(), "one verdict per credential");
    verdicts
}

#[test]
fn credentials_we_sign_verify_in_javascript() {
    let (mut rng, seed) = Rng::new();
    let (_key, signed) = rust_signed(&mut rng);
    let verdicts = js_verdicts(&signed);
    let failures: Vec<String> = signed
        .iter()
        .zip(&verdicts)
        .filter(|(_, verdict)| verdict["verified"] != true)
        .map(|(doc, verdict)| format!("JavaScript says {verdict}\nfor\n{}", pretty(doc)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {VARIATIONS} credentials signed by Credence do not verify in JavaScript \
         (CREDENCE_INTEROP_SEED={seed}):\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn credentials_javascript_signs_verify_here() {
    let (mut rng, seed) = Rng::new();
    let key = SigningKey::generate().expect("a fresh key");
    let issuer = key.verifying_key().did_key();
    let key_pair = js_key_pair(&key);
    let inputs: Vec<Value> = (0..VARIATIONS)
        .map(|i| {
            let mut input =
                json!({"credential": variation(&mut rng, &issuer), "keyPair": key_pair});
            // Half with a given `created`, half with JavaScript's own clock.
            if i % 2 == 0 {
                input["created"] = rng.date(2001..2025).into();
            }
            input
        })
        .collect();
    let signed = js_harness().run(&["sign"], &Value::Array(inputs.clone()));
    let signed = signed.as_array().expect("an array of signed credentials");
    assert_eq!(signed.len(), VARIATIONS);
    let mut failures = Vec::new();
    for (input, doc) in inputs.iter().zip(signed) {
        let outcome = match doc.get("error") {
            Some(error) => Err(format!("JavaScript could not sign it: {error}")),
            None => rust_verifies(doc).and_then(|()| {
                let proof = &doc["proof"];
                if proof["verificationMethod"] != key.verifying_key().did_key_verification_method()
                {
                    return Err(format!("unexpected verification method in {proof}"));
                }
                match input.get("created") {
                    Some(created) if proof["created"] != *created => {
                        Err(format!("created {created} was not kept: {proof}"))
                    }
                    _ => Ok(()),
                }
            }),
        };
        if let Err(e) = outcome {
            failures.push(format!(
                "{e}\nsigned by JavaScript:\n{}\ninput:\n{}",
                pretty(doc),
                pretty(&input["credential"])
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {VARIATIONS} credentials signed by JavaScript do not verify in Credence \
         (CREDENCE_INTEROP_SEED={seed}):\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Changes one signed value of `doc` (a signed credential), or adds or removes one; returns
/// what was done.
fn tamper(doc: &mut Value, kind: usize) -> &'static str {
    let object = doc.as_object_mut().expect("credential");
    match kind {
        0 => {
            let name = object["name"].as_str().unwrap_or_default().to_owned();
            object.insert("name".into(), format!("{name}!").into());
            "name changed"
        }
        1 => {
            let subject = &mut object["credentialSubject"]["achievement"];
            let text = subject["description"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            subject["description"] = text.replacen(' ', "  ", 1).replace('✓', "✔").into();
            if subject["description"] == text.as_str() {
                subject["description"] = format!("{text}.").into();
            }
            "achievement description changed"
        }
        2 => {
            let credits = object["credentialSubject"]["creditsEarned"]
                .as_u64()
                .unwrap_or(0);
            object["credentialSubject"]["creditsEarned"] = (credits + 1).into();
            "creditsEarned changed"
        }
        3 => {
            if object.remove("validUntil").is_some() {
                "validUntil removed"
            } else {
                object.insert("validUntil".into(), "2099-01-01T00:00:00Z".into());
                "validUntil added"
            }
        }
        4 => {
            object["issuer"]["name"] = "Someone Else".into();
            "issuer name changed"
        }
        5 => {
            let tags = &mut object["credentialSubject"]["achievement"]["tag"];
            match tags.as_array_mut() {
                // A tag that appears twice is one statement in RDF: removing one copy
                // changes nothing that is signed, so only a tag that appears once is removed.
                Some(items)
                    if items
                        .last()
                        .is_some_and(|last| items.iter().filter(|t| *t == last).count() == 1) =>
                {
                    items.pop();
                    "a tag removed"
                }
                _ => {
                    *tags = json!(["extra"]);
                    "a tag added"
                }
            }
        }
        _ => {
            object["proof"]["created"] = "2001-01-01T00:00:00Z".into();
            "proof created changed"
        }
    }
}

#[test]
fn tampered_credentials_fail_on_both_sides() {
    let (mut rng, seed) = Rng::new();
    let (_key, signed) = rust_signed(&mut rng);
    let mut tampered = Vec::new();
    let mut what = Vec::new();
    for (i, doc) in signed.iter().enumerate() {
        let mut copy = doc.clone();
        what.push(tamper(&mut copy, i % 7));
        tampered.push(copy);
    }
    let verdicts = js_verdicts(&tampered);
    let mut failures = Vec::new();
    for ((doc, verdict), what) in tampered.iter().zip(&verdicts).zip(&what) {
        if verdict["verified"] != false {
            failures.push(format!(
                "JavaScript accepted a credential after: {what}: {verdict}\n{}",
                pretty(doc)
            ));
        }
        if rust_verifies(doc).is_ok() {
            failures.push(format!(
                "Credence accepted a credential after: {what}\n{}",
                pretty(doc)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "tampering went unnoticed (CREDENCE_INTEROP_SEED={seed}):\n{}",
        failures.join("\n\n")
    );
}

#[test]
fn both_sides_canonicalise_alike() {
    let (mut rng, seed) = Rng::new();
    let key = SigningKey::generate().expect("a fresh key");
    let docs: Vec<Value> = (0..VARIATIONS)
        .map(|_| variation(&mut rng, &key.verifying_key().did_key()))
        .collect();
    let answer = js_harness().run(&["canonize"], &Value::Array(docs.clone()));
    let answers = answer.as_array().expect("an array");
    let mut failures = Vec::new();
    for (doc, theirs) in docs.iter().zip(answers) {
        let ours = canonicalize(doc).map_err(|e| e.to_string());
        let theirs = theirs["nquads"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| theirs.to_string());
        if ours != theirs {
            failures.push(format!(
                "Credence: {ours:?}\nJavaScript: {theirs:?}\nfor\n{}",
                pretty(doc)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "canonical N-Quads differ (CREDENCE_INTEROP_SEED={seed}):\n{}",
        failures.join("\n\n")
    );
}

#[test]
fn the_harness_serves_exactly_our_contexts() {
    let served = js_harness().run(&["contexts"], &Value::Null);
    let served = served.as_object().expect("url -> text");
    let ours = ContextSet::standard();
    let mut ours_urls: Vec<&str> = ours.urls().collect();
    let mut theirs_urls: Vec<&str> = served.keys().map(String::as_str).collect();
    ours_urls.sort_unstable();
    theirs_urls.sort_unstable();
    assert_eq!(
        theirs_urls, ours_urls,
        "the harness and contexts.rs list different URLs"
    );
    for (url, text) in served {
        assert_eq!(
            text.as_str(),
            ours.load(url).ok(),
            "the harness serves different text for {url}"
        );
    }
}

#[test]
fn the_javascript_signed_vector_and_the_harness_agree() {
    // Sanity check of the harness itself on the recorded vector, both ways.
    let vectors = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors");
    let read = |p: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(vectors.join(p)).expect("read a vector"))
            .expect("JSON")
    };
    let expected = read("ob3-interop/ob3-signed-by-js.json");
    let verdict = js_harness().run(&["verify"], &expected);
    assert_eq!(verdict["verified"], true, "{verdict}");
    let signed = js_harness().run(
        &["sign"],
        &json!({
            "credential": read("ob3-interop/ob3-unsigned.json"),
            "keyPair": read("vc-di-eddsa/keyPair.json"),
            "created": expected["proof"]["created"],
        }),
    );
    assert_eq!(signed, expected);
    // Safe mode: undefined terms are refused there as here.
    let refused = js_harness().run(
        &["canonize"],
        &json!([read("ob3-interop/safe-mode-undefined-terms.json")]),
    );
    assert!(
        refused[0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("Safe mode")),
        "{refused}"
    );
}
