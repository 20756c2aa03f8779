//! Criterion benchmarks: sign and verify per cryptosuite on the ob3-interop credential, with
//! warm (cached) contexts, plus the first document after start-up (cold context cache); and a
//! Credence award: signing, and the checks every award passes before it is signed.

// Benchmarks may unwrap: a panic there is a failed run.
#![allow(clippy::unwrap_used)]

use credence_vc::canon::Canonicalizer;
use credence_vc::contexts::ContextSet;
use credence_vc::did::StaticResolver;
use credence_vc::keys::{KeyPairFile, SigningKey};
use credence_vc::proof::{sign, verify_proofs, Cryptosuite, ProofOptions};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors");
const VM: &str = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{VECTORS}/{path}")).unwrap_or_default()
}

/// The W3C test key and an unsigned document from the vectors (`None` when either is
/// missing or unreadable: the benchmark is then skipped).
fn key_and_document(path: &str) -> Option<(SigningKey, serde_json::Value)> {
    let key = KeyPairFile::from_json(&read("vc-di-eddsa/keyPair.json"))
        .and_then(|f| f.signing_key())
        .ok()?;
    Some((key, serde_json::from_str(&read(path)).ok()?))
}

fn bench(c: &mut Criterion) {
    let Some((key, document)) = key_and_document("ob3-interop/ob3-unsigned.json") else {
        return;
    };
    let resolver = StaticResolver::new();
    for suite in [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022] {
        let mut options = ProofOptions::new(VM);
        options.cryptosuite = suite;
        options.created = Some("2025-03-01T12:00:00Z".into());
        let Ok(signed) = sign(&document, &key, &options) else {
            return;
        };
        c.bench_function(&format!("{} sign", suite.name()), |b| {
            b.iter(|| sign(black_box(&document), &key, &options))
        });
        c.bench_function(&format!("{} verify", suite.name()), |b| {
            b.iter(|| verify_proofs(black_box(&signed), &resolver, &options.canonicalizer))
        });
    }
    let mut options = ProofOptions::new(VM);
    options.created = Some("2025-03-01T12:00:00Z".into());
    c.bench_function("warm_up (start-up context processing)", |b| {
        b.iter(|| Canonicalizer::new(ContextSet::standard()).warm_up())
    });
    c.bench_function("eddsa-rdfc-2022 sign, cold context cache", |b| {
        b.iter(|| {
            options.canonicalizer = Canonicalizer::new(ContextSet::standard());
            sign(black_box(&document), &key, &options)
        })
    });
}

/// A Credence award of the foundational pathway (24 KB: the achievement embeds 30 alignments),
/// signed as a bulk award signs it: with the achievement prepared once.
fn award(c: &mut Criterion) {
    let Some((key, document)) = key_and_document("credence/award-foundational.json") else {
        return;
    };
    let subject = &document["credentialSubject"];
    let Ok(prepared) = Canonicalizer::standard().prepare_achievement(
        &document["@context"],
        &document["type"],
        &subject["type"],
        &subject["achievement"],
    ) else {
        return;
    };
    let mut options = ProofOptions::new(VM);
    options.created = Some("2025-03-01T12:00:00Z".into());
    c.bench_function("award: eddsa-rdfc-2022 sign, whole reading", |b| {
        b.iter(|| sign(black_box(&document), &key, &options))
    });
    let canonicalizer = options.canonicalizer.clone().with_achievement(prepared);
    c.bench_function("award: canonicalise, achievement prepared", |b| {
        b.iter(|| canonicalizer.canonicalize(black_box(&document)))
    });
    options.canonicalizer = canonicalizer;
    c.bench_function("award: eddsa-rdfc-2022 sign, achievement prepared", |b| {
        b.iter(|| sign(black_box(&document), &key, &options))
    });
    // What every award goes through before it is signed (credence-service's issuing.rs).
    c.bench_function("award: data model check", |b| {
        b.iter(|| credence_vc::vcdm::check_credential(black_box(&document)))
    });
    c.bench_function("award: 1EdTech schema validation", |b| {
        b.iter(|| credence_vc::schema::validate_credential(black_box(&document)))
    });
    // As credence-service checks the awards after the first of an achievement: with the
    // embedded achievement swapped for a minimal one.
    let mut light = document.clone();
    light["credentialSubject"]["achievement"] = serde_json::json!({
        "id": "https://example.org/a", "type": ["Achievement"], "name": "stand-in",
        "criteria": {"narrative": "stand-in"}, "description": "stand-in"
    });
    c.bench_function(
        "award: 1EdTech schema validation, achievement stand-in",
        |b| b.iter(|| credence_vc::schema::validate_credential(black_box(&light))),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(std::time::Duration::from_secs(3));
    targets = bench, award
}
criterion_main!(benches);
