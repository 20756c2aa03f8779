//! Open Badges 2.0 badges from an issuer this test serves on loopback (allowed through
//! `fetch.allow_hosts`): a hosted assertion verifies, one answered 410 Gone and one marked
//! `revoked` read revoked, one hosted where its issuer does not allow fails; signed
//! assertions made by `jose` (npm) with RS256 verify with the issuer's PEM key and read
//! revoked when its revocation list names them; a badge image baked with OB 2.0 (a PNG
//! carrying the assertion's address, made by Python; an SVG carrying the JWS) verifies
//! when uploaded; the verify page says what OB 2.0 proves; trusted issuer registries name
//! a known issuer and warn of an unknown one.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use credence_vc::verify::{Outcome, Verdict, VerificationReport};
use serde_json::{json, Value};

use crate::fetch::{app_fetching, json_reply, outcome, settings, verify as check};
use crate::pages::post_multipart;
use crate::support::{js_harness, TestApp};

const OB2: &str = "https://w3id.org/openbadges/v2";
/// `sha256$` of "learner@example.org" salted with "pepper".
fn hashed_identity() -> String {
    use sha2::Digest;
    format!(
        "sha256${}",
        hex::encode(sha2::Sha256::digest(b"learner@example.orgpepper"))
    )
}

/// The issuer's site: profile, badge class, hosted assertions, key and revocation list.
#[derive(Clone)]
struct Site {
    base: String,
    pem: Arc<Mutex<String>>,
}

impl Site {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn issuer(&self) -> Value {
        json!({
            "@context": OB2, "type": "Profile", "id": self.url("/issuer.json"),
            "name": "Loopback Academy", "url": self.base, "email": "badges@loopback.example",
            "revocationList": self.url("/revocations.json"), "publicKey": self.url("/key.json")
        })
    }

    fn badge(&self) -> Value {
        json!({
            "@context": OB2, "type": "BadgeClass", "id": self.url("/badge.json"),
            "name": "Safe use of AI triage", "description": "Uses an AI triage product safely.",
            "image": "https://loopback.example/badge.png",
            "criteria": { "narrative": "Completed the course and its assessment." },
            "issuer": self.url("/issuer.json"),
            "alignment": [{ "targetName": "Familiarity with CE/UKCA marking", "targetUrl": "https://example.org/a2-01", "targetCode": "A2-01" }]
        })
    }

    fn hosted(&self, n: u32) -> Value {
        json!({
            "@context": OB2, "type": "Assertion", "id": self.url(&format!("/assertions/{n}.json")),
            "recipient": { "type": "email", "hashed": true, "salt": "pepper", "identity": hashed_identity() },
            "badge": self.url("/badge.json"),
            "verification": { "type": "hosted" },
            "issuedOn": "2024-03-01T09:00:00Z"
        })
    }

    fn signed(&self, id: &str) -> Value {
        json!({
            "@context": OB2, "type": "Assertion", "id": id,
            "recipient": { "type": "email", "hashed": true, "salt": "pepper", "identity": hashed_identity() },
            "badge": self.url("/badge.json"),
            "verification": { "type": "SignedBadge", "creator": self.url("/key.json") },
            "issuedOn": "2024-03-01T09:00:00Z"
        })
    }

    fn router(&self) -> Router {
        let site = self.clone();
        let reply = move |path: &'static str| {
            let site = site.clone();
            move || {
                let site = site.clone();
                async move {
                    match path {
                        "issuer" => json_reply(&site.issuer(), "max-age=60"),
                        "badge" => json_reply(&site.badge(), "max-age=60"),
                        "ok" => json_reply(&site.hosted(1), "no-cache"),
                        "gone" => (
                            StatusCode::GONE,
                            [(header::CONTENT_TYPE, "application/json")],
                            r#"{"revoked": true}"#,
                        )
                            .into_response(),
                        "flagged" => {
                            let mut a = site.hosted(3);
                            a["revoked"] = true.into();
                            a["revocationReason"] = "Awarded in error.".into();
                            json_reply(&a, "no-cache")
                        }
                        "key" => json_reply(
                            &json!({
                                "@context": OB2, "type": "CryptographicKey",
                                "id": site.url("/key.json"), "owner": site.url("/issuer.json"),
                                "publicKeyPem": site.pem.lock().expect("lock").clone()
                            }),
                            "no-cache",
                        ),
                        _ => json_reply(
                            &json!({
                                "@context": OB2, "type": "RevocationList",
                                "id": site.url("/revocations.json"), "issuer": site.url("/issuer.json"),
                                "revokedAssertions": [
                                    { "id": "urn:uuid:0c6b1b5e-signed-revoked", "revocationReason": "The assessment was not completed." }
                                ]
                            }),
                            "no-cache",
                        ),
                    }
                }
            }
        };
        Router::new()
            .route("/issuer.json", get(reply("issuer")))
            .route("/badge.json", get(reply("badge")))
            .route("/assertions/1.json", get(reply("ok")))
            .route("/assertions/2.json", get(reply("gone")))
            .route("/assertions/3.json", get(reply("flagged")))
            .route("/key.json", get(reply("key")))
            .route("/revocations.json", get(reply("revocations")))
    }
}

/// The issuer's site on a loopback port, and an application allowed to fetch from it.
async fn site_and_app() -> (Site, SocketAddr, TestApp) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let site = Site {
        base: format!("http://{addr}"),
        pem: Arc::default(),
    };
    let router = site.router();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    let app = app_fetching(settings(&[addr.to_string()])).await;
    (site, addr, app)
}

fn message(report: &VerificationReport, code: &str) -> String {
    report
        .check(code)
        .map(|c| c.message.clone())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hosted_assertions_verify_by_their_issuers_site_and_read_revoked_when_it_says_so() {
    let (site, _, app) = site_and_app().await;

    let ok = check(&app, &site.hosted(1)).await;
    assert_eq!(ok.verdict, Verdict::Verified, "{ok:#?}");
    assert_eq!(outcome(&ok, "proof"), Outcome::Passed);
    assert!(
        message(&ok, "issuer").contains("Loopback Academy"),
        "{ok:#?}"
    );
    assert_eq!(outcome(&ok, "status.revocation"), Outcome::Passed);
    let fetched: Vec<&str> = ok.fetches.iter().map(|f| f.url.as_str()).collect();
    assert!(
        fetched.contains(&site.url("/assertions/1.json").as_str()),
        "{fetched:?}"
    );
    assert!(
        fetched.contains(&site.url("/badge.json").as_str()),
        "{fetched:?}"
    );
    assert!(
        fetched.contains(&site.url("/issuer.json").as_str()),
        "{fetched:?}"
    );

    // Answered 410 Gone: revoked.
    let gone = check(&app, &site.hosted(2)).await;
    assert_eq!(gone.verdict, Verdict::NotValid, "{gone:#?}");
    assert!(
        message(&gone, "status.revocation").contains("410"),
        "{gone:#?}"
    );

    // Marked revoked by the issuer's copy, whatever the presented copy says.
    let flagged = check(&app, &site.hosted(3)).await;
    assert_eq!(outcome(&flagged, "status.revocation"), Outcome::Failed);
    assert!(
        message(&flagged, "status.revocation").contains("Awarded in error."),
        "{flagged:#?}"
    );

    // Hosted on an origin its issuer does not allow: the issuer's name proves nothing.
    let mut elsewhere = site.hosted(1);
    elsewhere["badge"] = {
        let mut badge = site.badge();
        badge["issuer"] = json!({ "@context": OB2, "type": "Profile", "id": "https://nhs.example/issuer", "name": "A famous issuer" });
        badge
    };
    let report = check(&app, &elsewhere).await;
    // The issuer's own copy (fetched) counts, and it names the real issuer: verified.
    assert_eq!(report.verdict, Verdict::Verified, "{report:#?}");
    assert!(message(&report, "issuer").contains("Loopback Academy"));

    // An assertion whose id is elsewhere than its issuer allows fails the issuer check.
    let mut stray = site.hosted(1);
    stray["id"] = "http://127.0.0.1:9/assertions/1.json".into();
    let report = check(&app, &stray).await;
    assert_ne!(report.verdict, Verdict::Verified, "{report:#?}");

    // Expired.
    let mut expired = site.hosted(1);
    expired["expires"] = "2025-01-01T00:00:00Z".into();
    let report = check(&app, &json!(expired)).await;
    // The issuer's copy does not expire: what the issuer publishes counts.
    assert_eq!(outcome(&report, "valid_until"), Outcome::NotApplicable);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_assertions_made_by_jose_verify_and_read_revoked_from_the_list() {
    let (site, _, app) = site_and_app().await;
    let good = site.signed("urn:uuid:0c6b1b5e-signed-good");
    let revoked = site.signed("urn:uuid:0c6b1b5e-signed-revoked");
    let made = js_harness().run_script("ob2.mjs", &[], &json!({ "assertions": [good, revoked] }));
    *site.pem.lock().expect("lock") = made["pem"].as_str().expect("pem").to_owned();
    let jws = |i: usize| made["jws"][i].as_str().expect("jws").to_owned();

    let report = check(&app, &Value::String(jws(0))).await;
    assert_eq!(report.verdict, Verdict::Verified, "{report:#?}");
    assert!(message(&report, "proof").contains("RS256"), "{report:#?}");
    assert_eq!(outcome(&report, "issuer"), Outcome::Passed);
    assert_eq!(outcome(&report, "status.revocation"), Outcome::Passed);

    let report = check(&app, &Value::String(jws(1))).await;
    assert_eq!(report.verdict, Verdict::NotValid, "{report:#?}");
    assert!(
        message(&report, "status.revocation").contains("The assessment was not completed."),
        "{report:#?}"
    );

    // A changed payload breaks the signature.
    let token = jws(0);
    let parts: Vec<&str> = token.split('.').collect();
    let other = {
        use base64::Engine as _;
        let mut payload = site.signed("urn:uuid:0c6b1b5e-signed-good");
        payload["issuedOn"] = "2020-01-01T00:00:00Z".into();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload.to_string())
    };
    let tampered = format!("{}.{other}.{}", parts[0], parts[2]);
    let report = check(&app, &Value::String(tampered)).await;
    assert_eq!(outcome(&report, "proof"), Outcome::Failed, "{report:#?}");

    // A key that cannot be read: the signature is not valid.
    *site.pem.lock().expect("lock") = "not a key".into();
    let report = check(&app, &Value::String(jws(0))).await;
    assert_ne!(report.verdict, Verdict::Verified, "{report:#?}");
}

/// A 1x1 PNG baked by Python with an Open Badges 2.0 `iTXt` chunk (keyword `openbadges`)
/// holding `text`.
fn python_baked_png(text: &str) -> Vec<u8> {
    let script = r#"
import struct, sys, zlib
text = sys.argv[1].encode()
def chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
png = b'\x89PNG\r\n\x1a\n'
png += chunk(b'IHDR', struct.pack('>IIBBBBB', 1, 1, 8, 6, 0, 0, 0))
png += chunk(b'iTXt', b'openbadges\x00\x00\x00\x00\x00' + text)
png += chunk(b'IDAT', zlib.compress(b'\x00\x00\x00\x00\x00'))
png += chunk(b'IEND', b'')
sys.stdout.buffer.write(png)
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script, text])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_verify_page_reads_ob2_badges_and_says_what_they_prove() {
    let (site, _, app) = site_and_app().await;
    // A PNG baked with the hosted assertion's address.
    let png = python_baked_png(&site.url("/assertions/1.json"));
    let page = post_multipart(
        &app,
        "/verify",
        &[("email", "Learner@Example.org")],
        Some(("badge.png", "image/png", &png)),
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Safe use of AI triage"), "{}", page.body);
    assert!(page.body.contains("Loopback Academy"));
    assert!(page.body.contains("What an Open Badges 2.0 badge proves"));
    assert!(
        page.body.contains("It carries no signature"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Familiarity with CE/UKCA marking"));
    assert!(!page.body.contains("check-failed"), "{}", page.body);
    assert!(page.body.contains("What was fetched"));
    // The e-mail given matches the hashed recipient.
    assert!(!page
        .body
        .contains("not the one this credential was awarded to"));
    let other = post_multipart(
        &app,
        "/verify",
        &[("email", "someone@example.org")],
        Some(("badge.png", "image/png", &png)),
    )
    .await;
    assert!(other
        .body
        .contains("not the one this credential was awarded to"));

    // An SVG carrying a signed assertion in its verify attribute.
    let made = js_harness().run_script(
        "ob2.mjs",
        &[],
        &json!({ "assertions": [site.signed("urn:uuid:0c6b1b5e-signed-good")] }),
    );
    *site.pem.lock().expect("lock") = made["pem"].as_str().expect("pem").to_owned();
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org" width="10" height="10"><openbadges:assertion verify="{}"/></svg>"#,
        made["jws"][0].as_str().expect("jws")
    );
    let page = post_multipart(
        &app,
        "/verify",
        &[],
        Some(("badge.svg", "image/svg+xml", svg.as_bytes())),
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("signed by its issuer"), "{}", page.body);
    assert!(!page.body.contains("check-failed"), "{}", page.body);

    // By address: the one its issuer marked revoked reads revoked, with the reason.
    let page = post_multipart(
        &app,
        "/verify",
        &[("url", &site.url("/assertions/3.json"))],
        None,
    )
    .await;
    assert!(page.body.contains("Awarded in error."), "{}", page.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_fetching_an_ob2_badge_is_reported_unknown_never_valid() {
    let app = crate::support::TestApp::new().await;
    let report = check(
        &app,
        &json!({
            "@context": OB2, "type": "Assertion", "id": "https://badges.example/a/1",
            "recipient": { "type": "email", "hashed": false, "identity": "a@example.org" },
            "badge": "https://badges.example/badge", "verification": { "type": "hosted" },
            "issuedOn": "2024-01-01"
        }),
    )
    .await;
    assert_eq!(report.verdict, Verdict::Incomplete, "{report:#?}");
    assert!(report.fetches.is_empty());
    assert!(message(&report, "proof").contains("fetch"), "{report:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trusted_registries_name_a_known_issuer_and_warn_of_an_unknown_one() {
    use credence_vc::registries::{IssuerRegistries, IssuerRegistry};
    let (site, addr, _) = site_and_app().await;
    let registry = json!({
        "meta": { "created": "2026-01-01T00:00:00Z" },
        "registry": { site.url("/issuer.json"): { "name": "Loopback Academy (registered)", "url": site.base } }
    });
    let registries = IssuerRegistries {
        registries: vec![
            IssuerRegistry::parse("Test Registry", registry.to_string().as_bytes())
                .expect("parses"),
        ],
    };
    let db = Arc::new(crate::support::TestDb::new().await);
    let store = db.store().await;
    let app = TestApp::over_with(db, store, move |base| {
        let mut config = credence_service::RegistryConfig::for_tests(base).expect("settings");
        config.fetcher = Some(credence_fetch::Fetcher::new(settings(&[addr.to_string()])));
        config.issuer_registries = registries;
        config
    })
    .await;
    let known = check(&app, &site.hosted(1)).await;
    assert_eq!(known.verdict, Verdict::Verified, "{known:#?}");
    assert_eq!(
        message(&known, "issuer.registry"),
        "The issuer is known to Test Registry as Loopback Academy (registered)."
    );
    // A credential of an issuer no registry lists: verified, with a warning.
    let did = crate::fetch::key().verifying_key().did_key();
    let mut doc: Value =
        serde_json::from_str(include_str!("vectors/ob3-interop/ob3-unsigned.json"))
            .expect("vector");
    doc["issuer"]["id"] = did.clone().into();
    doc["credentialSubject"]["activityStartDate"] = "2025-01-06T00:00:00Z".into();
    doc["credentialSubject"]["activityEndDate"] = "2025-02-28T00:00:00Z".into();
    doc.as_object_mut()
        .expect("object")
        .remove("credentialStatus");
    let vm = format!("{did}#{}", did.trim_start_matches("did:key:"));
    let unknown = check(&app, &crate::fetch::signed(&doc, &vm)).await;
    assert_eq!(
        unknown.verdict,
        Verdict::VerifiedWithWarnings,
        "{unknown:#?}"
    );
    assert_eq!(outcome(&unknown, "issuer.registry"), Outcome::Warning);
}
