//! `credence vc ...` end to end: keygen, sign, verify (our credentials, the W3C, 1EdTech and
//! JavaScript-signed vectors, tampered and bad input), bake and unbake, speed.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{credence, stderr, stdout};

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors")
}

fn vector(path: &str) -> String {
    vectors().join(path).display().to_string()
}

/// A 1×1 PNG with no credential (from the baking module's tests).
const PLAIN_PNG: &str = "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f00050001ff89993d1d0000000049454e44ae426082";

const PLAIN_SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>"#;

fn from_hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

/// Runs `credence` with `args` in `dir` and checks the exit code and that standard output
/// and standard error contain the given fragments. Returns standard output.
fn check(dir: &Path, args: &[&str], code: i32, out_has: &[&str], err_has: &[&str]) -> String {
    let output = credence(dir, args, &[]);
    let (out, err) = (stdout(&output), stderr(&output));
    let shown = || {
        format!(
            "credence {}\n--- stdout\n{}\n--- stderr\n{err}",
            args.join(" "),
            &out[..out.len().min(4000)]
        )
    };
    assert_eq!(output.status.code(), Some(code), "{}", shown());
    assert!(!err.contains("panicked"), "{}", shown());
    for fragment in out_has {
        assert!(
            out.contains(fragment),
            "stdout lacks {fragment:?}: {}",
            shown()
        );
    }
    for fragment in err_has {
        assert!(
            err.contains(fragment),
            "stderr lacks {fragment:?}: {}",
            shown()
        );
    }
    out
}

/// The outcome of the check `code` in a JSON report.
fn outcome(report: &Value, code: &str) -> String {
    report["checks"]
        .as_array()
        .and_then(|checks| checks.iter().find(|c| c["code"] == code))
        .and_then(|c| c["outcome"].as_str())
        .unwrap_or("(absent)")
        .to_owned()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// A fresh key and an OB 3.0 credential issued by it, written to `dir`; returns the did:key.
fn key_and_credential(dir: &Path) -> String {
    let out = check(
        dir,
        &["vc", "keygen", "--out", "key.json"],
        0,
        &["did:key:z6Mk"],
        &[],
    );
    let did = out.trim().to_owned();
    let key_text = std::fs::read_to_string(dir.join("key.json")).expect("key file");
    let key: Value = json(&key_text);
    let private = key["privateKeyMultibase"].as_str().expect("a private key");
    assert!(!out.contains(private), "keygen printed the private key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("key.json"))
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "key file mode");
    }
    let mut doc = json(
        &std::fs::read_to_string(vectors().join("ob3-interop/ob3-unsigned.json")).expect("vector"),
    );
    doc["issuer"]["id"] = did.clone().into();
    doc["credentialSubject"]["activityStartDate"] = "2025-01-06T00:00:00Z".into();
    doc["credentialSubject"]["activityEndDate"] = "2025-02-28T00:00:00Z".into();
    if let Some(map) = doc.as_object_mut() {
        map.remove("credentialStatus");
    }
    std::fs::write(dir.join("unsigned.json"), doc.to_string()).expect("write");
    did
}

#[test]
fn keygen_sign_verify_round_trip_for_both_cryptosuites() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let d = dir.path();
    let did = key_and_credential(d);
    check(
        d,
        &["vc", "keygen", "--out", "key.json"],
        2,
        &[],
        &["key.json", "already exists"],
    );
    for suite in ["eddsa-rdfc-2022", "eddsa-jcs-2022"] {
        let signed = check(
            d,
            &[
                "vc",
                "sign",
                "--key",
                "key.json",
                "--cryptosuite",
                suite,
                "--created",
                "2025-03-01T12:00:00Z",
                "unsigned.json",
            ],
            0,
            &[suite, "proofValue"],
            &[],
        );
        let file = format!("signed-{suite}.json");
        std::fs::write(d.join(&file), &signed).expect("write");
        check(
            d,
            &["vc", "verify", &file],
            0,
            &["Verified", "✓ proof", "✓ issuer", &did],
            &[],
        );
        let report = json(&check(d, &["vc", "verify", "--json", &file], 0, &[], &[]));
        assert_eq!(report["verdict"], "verified");
        assert_eq!(outcome(&report, "proof"), "passed");
        assert_eq!(outcome(&report, "status.revocation"), "not_applicable");
        // Checked at a time after validUntil, the same credential has expired.
        check(
            d,
            &["vc", "verify", "--at", "2031-01-01T00:00:00Z", &file],
            1,
            &["✗ valid_until", "expired"],
            &[],
        );

        let mut tampered = json(&signed);
        tampered["credentialSubject"]["achievement"]["name"] = "Something grander".into();
        std::fs::write(d.join("tampered.json"), tampered.to_string()).expect("write");
        check(
            d,
            &["vc", "verify", "tampered.json"],
            1,
            &["Not valid", "✗ proof", "changed after it was signed"],
            &[],
        );
    }
    // A verification method other than the key's did:key URL is named as given.
    let out = check(
        d,
        &[
            "vc",
            "sign",
            "--key",
            "key.json",
            "--verification-method",
            "did:web:issuer.example#key-1",
            "unsigned.json",
        ],
        0,
        &["did:web:issuer.example#key-1"],
        &[],
    );
    std::fs::write(d.join("web.json"), out).expect("write");
    check(
        d,
        &["vc", "verify", "web.json"],
        1,
        &["? proof", "Could not fully check"],
        &[],
    );
}

#[test]
fn published_vectors_verify() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let d = dir.path();
    // Signed by the JavaScript (Digital Bazaar) stack: the proof and issuer pass; status is
    // unknown offline; its bare activity dates deviate from the 1EdTech schema, which is a
    // warning, not a failure: the verdict is "could not fully check", never "not valid".
    let report = json(&check(
        d,
        &[
            "vc",
            "verify",
            "--json",
            &vector("ob3-interop/ob3-signed-by-js.json"),
        ],
        1,
        &[],
        &[],
    ));
    assert_eq!(outcome(&report, "proof"), "passed");
    assert_eq!(outcome(&report, "issuer"), "passed");
    assert_eq!(outcome(&report, "status.revocation"), "unknown");
    assert_eq!(outcome(&report, "schema"), "warning");
    assert_eq!(report["verdict"], "incomplete");
    check(
        d,
        &["vc", "verify", &vector("ob3-interop/ob3-signed-by-js.json")],
        1,
        &[
            "? status.revocation",
            "works offline and never fetches status lists",
        ],
        &[],
    );
    // 1EdTech's signed example, whose key is not a did:key: verified once its key is trusted.
    check(
        d,
        &[
            "vc",
            "verify",
            "--trust-key",
            &vector("1edtech-ob3/key.json"),
            &vector("1edtech-ob3/ob-signed.json"),
        ],
        0,
        &["Verified"],
        &[],
    );
    check(
        d,
        &["vc", "verify", &vector("1edtech-ob3/ob-signed.json")],
        1,
        &["? proof"],
        &[],
    );
    // The W3C vectors: the signatures verify with the bundled contexts; the vectors do not bind
    // their issuer to the signing key, which the report says.
    for path in [
        "vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json",
        "vc-di-eddsa/eddsa-jcs-2022/signedJCS.json",
        "vc-di-eddsa/eddsa-rdfc-2022/employ/signedDataInt.json",
    ] {
        let report = json(&check(
            d,
            &["vc", "verify", "--json", &vector(path)],
            1,
            &[],
            &[],
        ));
        assert_eq!(outcome(&report, "proof"), "passed", "{path}");
        assert_eq!(outcome(&report, "context"), "passed", "{path}");
        assert_eq!(outcome(&report, "issuer"), "failed", "{path}");
    }
    // A context that is not bundled is refused by name.
    let mut unknown: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(vectors().join("vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json"))
            .expect("vector"),
    )
    .expect("JSON");
    unknown["@context"][1] = "https://example.org/not-bundled/v1".into();
    std::fs::write(d.join("unknown-context.json"), unknown.to_string()).expect("write");
    check(
        d,
        &[
            "vc",
            "verify",
            &d.join("unknown-context.json").display().to_string(),
        ],
        1,
        &["✗ context", "https://example.org/not-bundled/v1"],
        &[],
    );
}

/// Every W3C vc-di-eddsa vector signs through the CLI as published, with no extra flag: the
/// examples and citizenship contexts are bundled, and Ed25519 is deterministic, so the
/// signed document (its proofValue included) equals the vector's.
#[test]
fn the_w3c_vectors_sign_byte_for_byte_through_the_cli() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let d = dir.path();
    for (unsigned, config, signed) in [
        (
            "vc-di-eddsa/unsigned.json",
            "vc-di-eddsa/eddsa-rdfc-2022/proofConfigDataInt.json",
            "vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json",
        ),
        (
            "vc-di-eddsa/unsigned.json",
            "vc-di-eddsa/eddsa-jcs-2022/proofConfigJCS.json",
            "vc-di-eddsa/eddsa-jcs-2022/signedJCS.json",
        ),
        (
            "vc-di-eddsa/employmentAuth.json",
            "vc-di-eddsa/eddsa-rdfc-2022/employ/proofConfigDataInt.json",
            "vc-di-eddsa/eddsa-rdfc-2022/employ/signedDataInt.json",
        ),
    ] {
        let read = |path: &str| -> serde_json::Value {
            serde_json::from_str(&std::fs::read_to_string(vectors().join(path)).expect(path))
                .expect(path)
        };
        let config = read(config);
        let out = check(
            d,
            &[
                "vc",
                "sign",
                "--key",
                &vector("vc-di-eddsa/keyPair.json"),
                "--cryptosuite",
                config["cryptosuite"].as_str().expect("cryptosuite"),
                "--created",
                config["created"].as_str().expect("created"),
                &vector(unsigned),
            ],
            0,
            &[],
            &[],
        );
        let ours: serde_json::Value = serde_json::from_str(&out).expect("signed JSON");
        let theirs = read(signed);
        assert_eq!(
            ours["proof"]["proofValue"], theirs["proof"]["proofValue"],
            "{signed}"
        );
        assert_eq!(ours, theirs, "{signed}");
    }
}

#[test]
fn bad_input_is_refused_with_the_file_named() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let d = dir.path();
    key_and_credential(d);
    let signed = std::fs::read_to_string(vectors().join("ob3-interop/ob3-signed-by-js.json"))
        .expect("vector");
    std::fs::write(d.join("truncated.json"), &signed[..signed.len() / 2]).expect("write");
    std::fs::write(d.join("array.json"), "[1, 2]").expect("write");
    std::fs::write(
        d.join("bad-key.json"),
        r#"{"publicKeyMultibase": "z6Mk", "privateKeyMultibase": "nope"}"#,
    )
    .expect("write");
    std::fs::write(d.join("not-a-key.json"), "{").expect("write");
    let mut huge = json(&signed);
    huge["name"] = "x".repeat(10 * 1024 * 1024).into();
    std::fs::write(d.join("huge.json"), huge.to_string()).expect("write");
    std::fs::write(d.join("plain.png"), from_hex(PLAIN_PNG)).expect("write");
    std::fs::write(d.join("broken.png"), &from_hex(PLAIN_PNG)[..30]).expect("write");

    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["vc", "verify", "truncated.json"],
            2,
            "truncated.json: not valid JSON",
        ),
        (
            &["vc", "verify", "array.json"],
            2,
            "array.json: the document must be a JSON object",
        ),
        (
            &["vc", "verify", "missing.json"],
            2,
            "missing.json: cannot read",
        ),
        (
            &["vc", "verify", "plain.png"],
            2,
            "plain.png: no credential is baked",
        ),
        (&["vc", "verify", "broken.png"], 2, "broken.png"),
        (
            &["vc", "verify", "--at", "tomorrow", "unsigned.json"],
            2,
            "--at \"tomorrow\"",
        ),
        (
            &[
                "vc",
                "verify",
                "--trust-key",
                "bad-key.json",
                "unsigned.json",
            ],
            2,
            "bad-key.json",
        ),
        (&["vc", "verify", "huge.json"], 1, "Not valid"),
        (
            &["vc", "sign", "--key", "key.json", "truncated.json"],
            2,
            "truncated.json: not valid JSON",
        ),
        (
            &[
                "vc",
                "sign",
                "--key",
                "key.json",
                "--cryptosuite",
                "ecdsa-rdfc-2019",
                "unsigned.json",
            ],
            2,
            "ecdsa-rdfc-2019",
        ),
        (
            &["vc", "sign", "--key", "bad-key.json", "unsigned.json"],
            2,
            "bad-key.json",
        ),
        (
            &["vc", "sign", "--key", "not-a-key.json", "unsigned.json"],
            2,
            "not-a-key.json",
        ),
        (
            &[
                "vc",
                "sign",
                "--key",
                "key.json",
                "--created",
                "noon",
                "unsigned.json",
            ],
            2,
            "--created",
        ),
        (
            &[
                "vc",
                "sign",
                "--key",
                "key.json",
                "--verification-method",
                "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
                "unsigned.json",
            ],
            2,
            "does not match",
        ),
        (
            &["vc", "bake", "unsigned.json", "unsigned.json"],
            2,
            "unsigned.json",
        ),
        (
            &["vc", "bake", "plain.png", "truncated.json"],
            2,
            "truncated.json",
        ),
        (&["vc", "unbake", "plain.png"], 2, "no credential is baked"),
        (&["vc", "speed", "--iterations", "0"], 2, "at least 1"),
        (
            &["vc", "speed", "--credential", "truncated.json"],
            2,
            "truncated.json",
        ),
    ];
    for (args, code, fragment) in cases {
        let output = credence(d, args, &[]);
        let (out, err) = (stdout(&output), stderr(&output));
        assert_eq!(output.status.code(), Some(*code), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(
            err.contains(fragment) || out.contains(fragment),
            "{args:?} should mention {fragment:?}: {err}"
        );
        assert!(!err.contains("privateKeyMultibase") && !out.contains("privateKeyMultibase"));
    }
}

#[test]
fn bake_and_unbake_round_trip() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let d = dir.path();
    key_and_credential(d);
    let signed = check(
        d,
        &["vc", "sign", "--key", "key.json", "unsigned.json"],
        0,
        &[],
        &[],
    );
    std::fs::write(d.join("signed.json"), &signed).expect("write");
    std::fs::write(d.join("badge.png"), from_hex(PLAIN_PNG)).expect("write");
    std::fs::write(d.join("badge.svg"), PLAIN_SVG).expect("write");
    for image in ["badge.png", "badge.svg"] {
        let baked = format!("baked-{image}");
        check(
            d,
            &["vc", "bake", image, "signed.json", "--out", &baked],
            0,
            &[],
            &[],
        );
        // Baking again replaces the credential instead of adding a second one.
        check(
            d,
            &["vc", "bake", &baked, "signed.json", "--out", &baked],
            0,
            &[],
            &[],
        );
        let out = check(d, &["vc", "unbake", &baked], 0, &[], &[]);
        assert_eq!(json(&out), json(&signed), "{image}");
        check(d, &["vc", "verify", &baked], 0, &["Verified"], &[]);
    }
    // Without --out the baked image goes to standard output.
    let output = credence(d, &["vc", "bake", "badge.png", "signed.json"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(output.stdout.starts_with(&[0x89, b'P', b'N', b'G']));
}

#[test]
fn speed_reports_json() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = check(
        dir.path(),
        &["vc", "speed", "--json", "--iterations", "5"],
        0,
        &[],
        &[],
    );
    let report = json(&out);
    assert_eq!(report["credential"], "ob3-interop");
    assert_eq!(report["iterations"], 5);
    for suite in ["eddsa-rdfc-2022", "eddsa-jcs-2022"] {
        for field in ["sign_us", "verify_us"] {
            let value = report["results"][suite][field].as_f64().unwrap_or(-1.0);
            assert!(value > 0.0, "{suite} {field}: {out}");
        }
    }
    assert!(report["first_sign_us"].as_f64().unwrap_or(-1.0) > 0.0);
    let keys: Vec<&String> = report
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        ["credential", "iterations", "results", "first_sign_us"]
    );
    check(
        dir.path(),
        &["vc", "speed", "--iterations", "3"],
        0,
        &["eddsa-rdfc-2022", "eddsa-jcs-2022", "First"],
        &[],
    );
    // Any credential of the user's: its proof is set aside and it is signed afresh.
    key_and_credential(dir.path());
    let out = check(
        dir.path(),
        &[
            "vc",
            "speed",
            "--json",
            "--iterations",
            "2",
            "--credential",
            "unsigned.json",
        ],
        0,
        &[],
        &[],
    );
    let report = json(&out);
    assert_eq!(report["credential"], "unsigned.json");
    assert!(
        report["results"]["eddsa-rdfc-2022"]["sign_us"]
            .as_f64()
            .unwrap_or(-1.0)
            > 0.0
    );
}
