//! Fuzz target: arbitrary bytes, parsed as JSON, through the whole verification report
//! (contexts, proofs, issuer, dates, status with a fetcher that always fails, schema).
#![no_main]

use chrono::{TimeZone, Utc};
use credence_vc::did::{StaticResolver, VerificationMethod};
use credence_vc::keys::SigningKey;
use credence_vc::verify::{verify_credential, FetchError, StatusFetcher, VerifyContext};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::sync::OnceLock;

/// Every status list is unreachable.
struct Unreachable;

impl StatusFetcher for Unreachable {
    fn fetch(&self, url: &str) -> Result<Value, FetchError> {
        Err(FetchError::Unavailable {
            url: url.to_owned(),
            reason: "the fuzzer has no network".into(),
        })
    }
}

/// did:key, plus one did:web key so that the resolver's table is exercised too.
fn resolver() -> &'static StaticResolver {
    static RESOLVER: OnceLock<StaticResolver> = OnceLock::new();
    RESOLVER.get_or_init(|| {
        StaticResolver::new().with(VerificationMethod {
            id: "did:web:issuer.example#key-1".into(),
            controller: "did:web:issuer.example".into(),
            public_key: SigningKey::from_seed(&[7; 32]).verifying_key(),
        })
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(document) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let now = Utc
        .with_ymd_and_hms(2026, 6, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let ctx = VerifyContext::new(now, resolver(), &Unreachable);
    let report = verify_credential(&document, &ctx);
    // The report must always serialise for the web layer.
    let _ = serde_json::to_string(&report);
});
