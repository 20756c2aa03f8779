//! Fuzz target: arbitrary bytes, parsed as JSON, canonicalised (RDFC-1.0, safe mode, work
//! bound) with the standard bundled contexts.
#![no_main]

use credence_vc::canon::Canonicalizer;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(document) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let _ = Canonicalizer::standard().canonicalize(&document);
});
