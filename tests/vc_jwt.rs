//! JWT-secured credentials (VC-JOSE-COSE `application/vc+jwt`, and the VC-JWT form of
//! Open Badges 3.0) signed by an independent JOSE library, `jose` by panva, in the Node
//! harness (`tests/js/jwt.mjs`): EdDSA with a did:key, ES256 and RS256 with keys a did:web
//! document lists as `publicKeyJwk`; a key carried in the header; tampered and expired ones.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use credence_vc::did::StaticResolver;
use credence_vc::jwt::{looks_like_jwt, verify_jwt, JwtKey};
use credence_vc::keys::SigningKey;
use credence_vc::verify::{OfflineFetcher, Outcome, Verdict, VerificationReport, VerifyContext};
use serde_json::{json, Value};

use crate::support::js_harness;

const WEB_DID: &str = "did:web:issuer.example";

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-06-01T00:00:00Z")
        .expect("date")
        .with_timezone(&chrono::Utc)
}

/// The tokens `jwt.mjs` made, by algorithm, with ES256 and RS256 keys of [`WEB_DID`].
fn tokens() -> Value {
    tokens_for(WEB_DID)
}

/// The tokens `jwt.mjs` made, by algorithm, with ES256 and RS256 keys of `web_did`.
fn tokens_for(web_did: &str) -> Value {
    let key = SigningKey::from_seed(&[9; 32]);
    let input = json!({
        "credential": {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"],
            "validFrom": "2024-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:learner"}
        },
        "ed25519": {
            "x": URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes()),
            "d": URL_SAFE_NO_PAD.encode([9u8; 32]),
        },
        "didKey": key.verifying_key().did_key(),
        "webDid": web_did,
        "now": now().to_rfc3339(),
    });
    js_harness().run_script("jwt.mjs", &[], &input)
}

/// The ES256 and RS256 keys of `tokens` as verification methods of `controller`
/// (`JsonWebKey`, `publicKeyJwk`), as a DID or controller document lists them.
fn jwk_methods(tokens: &Value, controller: &str) -> Vec<Value> {
    ["ES256", "RS256"]
        .iter()
        .map(|alg| {
            json!({
                "id": tokens[alg]["kid"],
                "type": "JsonWebKey",
                "controller": controller,
                "publicKeyJwk": tokens[alg]["jwk"],
            })
        })
        .collect()
}

/// The did:web issuer's keys, as its DID document's `publicKeyJwk` entries give them.
fn web_keys(tokens: &Value) -> Vec<JwtKey> {
    ["ES256", "RS256"]
        .iter()
        .map(|alg| JwtKey {
            id: tokens[alg]["kid"].as_str().expect("kid").to_owned(),
            controller: WEB_DID.to_owned(),
            jwk: tokens[alg]["jwk"].clone(),
        })
        .collect()
}

fn verify(token: &str, keys: &[JwtKey]) -> VerificationReport {
    let resolver = StaticResolver::new();
    let ctx = VerifyContext::new(now(), &resolver, &OfflineFetcher);
    verify_jwt(token, &ctx, keys).1
}

fn outcome(report: &VerificationReport, code: &str) -> Outcome {
    report
        .check(code)
        .unwrap_or_else(|| panic!("no {code} check in {report:?}"))
        .outcome
}

#[test]
fn tokens_signed_by_jose_verify_for_each_algorithm() {
    let tokens = tokens();
    let keys = web_keys(&tokens);
    for alg in ["EdDSA", "ES256", "RS256"] {
        let token = tokens[alg]["token"].as_str().expect("token");
        assert!(looks_like_jwt(token), "{alg}");
        let report = verify(token, &keys);
        assert_eq!(
            outcome(&report, "proof"),
            Outcome::Passed,
            "{alg}: {report:?}"
        );
        assert_eq!(
            outcome(&report, "issuer"),
            Outcome::Passed,
            "{alg}: {report:?}"
        );
        assert_eq!(
            outcome(&report, "context"),
            Outcome::Passed,
            "{alg}: {report:?}"
        );
        assert_eq!(report.verdict, Verdict::Verified, "{alg}: {report:?}");
        let detail = report.check("proof").and_then(|c| c.detail.clone());
        assert!(detail.unwrap_or_default().contains(alg), "{alg}");

        // Without the issuer's published keys, a did:web key is not found: unknown.
        if alg != "EdDSA" {
            let report = verify(token, &[]);
            assert_eq!(outcome(&report, "proof"), Outcome::Unknown, "{alg}");
            assert_eq!(report.verdict, Verdict::Incomplete, "{alg}");
        }

        // A key carried in the header checks the signature, but it does not make the
        // issuer; when the issuer lists that same key, it does.
        let with_jwk = tokens[alg]["withJwk"].as_str().expect("token");
        let report = verify(with_jwk, &[]);
        assert_eq!(
            outcome(&report, "proof"),
            Outcome::Passed,
            "{alg}: {report:?}"
        );
        assert_eq!(
            outcome(&report, "issuer"),
            Outcome::Unknown,
            "{alg}: {report:?}"
        );
        if alg != "EdDSA" {
            let report = verify(with_jwk, &keys);
            assert_eq!(
                outcome(&report, "issuer"),
                Outcome::Passed,
                "{alg}: {report:?}"
            );
        }
    }
}

#[test]
fn tampered_and_expired_tokens_are_not_valid() {
    let tokens = tokens();
    let keys = web_keys(&tokens);
    for alg in ["EdDSA", "ES256", "RS256"] {
        let token = tokens[alg]["token"].as_str().expect("token");
        let parts: Vec<&str> = token.split('.').collect();
        let mut payload: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("base64url"))
                .expect("JSON");
        payload["credentialSubject"]["id"] = "did:example:impostor".into();
        let forged = format!(
            "{}.{}.{}",
            parts[0],
            URL_SAFE_NO_PAD.encode(payload.to_string()),
            parts[2]
        );
        let report = verify(&forged, &keys);
        assert_eq!(
            outcome(&report, "proof"),
            Outcome::Failed,
            "{alg}: {report:?}"
        );
        assert_eq!(report.verdict, Verdict::NotValid, "{alg}");

        // Another algorithm named in the header than the key's family: refused as a key
        // that does not fit, not as a changed credential.
        let header = URL_SAFE_NO_PAD.encode(
            json!({"alg": if alg == "RS256" { "ES256" } else { "RS256" }, "kid": tokens[alg]["kid"]})
                .to_string(),
        );
        let swapped = format!("{header}.{}.{}", parts[1], parts[2]);
        let report = verify(&swapped, &keys);
        let proof = report.check("proof").expect("a proof check");
        assert_eq!(proof.outcome, Outcome::Failed, "{alg}: {report:?}");
        assert!(
            !proof.message.contains("does not match"),
            "{alg}: refused as a bad signature rather than a misfit key: {proof:?}"
        );

        // HS256 signed with the issuer's public key as the HMAC secret (the classic
        // algorithm confusion), naming the real key: refused for its algorithm, not for a
        // bad signature.
        let header =
            URL_SAFE_NO_PAD.encode(json!({"alg": "HS256", "kid": tokens[alg]["kid"]}).to_string());
        let public = tokens[alg]["jwk"].to_string();
        let signed = format!("{header}.{}", parts[1]);
        let mac = {
            use hmac::{Hmac, Mac};
            let mut mac = Hmac::<sha2::Sha256>::new_from_slice(public.as_bytes()).expect("a key");
            mac.update(signed.as_bytes());
            mac.finalize().into_bytes()
        };
        let confused = format!("{signed}.{}", URL_SAFE_NO_PAD.encode(mac));
        let report = verify(&confused, &keys);
        let proof = report.check("proof").expect("a proof check");
        assert_eq!(proof.outcome, Outcome::Failed, "{alg}: {report:?}");
        assert!(
            proof
                .detail
                .as_deref()
                .unwrap_or("")
                .contains("JWS algorithm HS256"),
            "{alg}: {proof:?}"
        );

        // The VC-JWT form with `exp` an hour before the check: signature fine, expired.
        let expired = tokens[alg]["expired"].as_str().expect("token");
        let report = verify(expired, &keys);
        assert_eq!(
            outcome(&report, "proof"),
            Outcome::Passed,
            "{alg}: {report:?}"
        );
        assert_eq!(
            outcome(&report, "issuer"),
            Outcome::Passed,
            "{alg}: {report:?}"
        );
        assert_eq!(outcome(&report, "token_validity"), Outcome::Failed, "{alg}");
        assert_eq!(outcome(&report, "valid_until"), Outcome::Failed, "{alg}");
        assert_eq!(report.verdict, Verdict::NotValid, "{alg}");
    }
    assert!(!looks_like_jwt("{\"not\": \"a token\"}"));
    let report = verify("a.b.c", &keys);
    assert_eq!(outcome(&report, "proof"), Outcome::Failed);
}

/// The VC-API's `POST /credentials/verify` takes a JWT-secured credential as a JSON string,
/// and the verification of the registry explains each check.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_vc_api_verifies_a_jwt_given_as_a_string() {
    use crate::support::{Auth, TestApp};
    use axum::http::StatusCode;
    let tokens = tokens();
    let token = tokens["EdDSA"]["token"].as_str().expect("token");
    let app = TestApp::new().await;
    let answer = app
        .call(
            "POST",
            "/credentials/verify",
            Some(json!({ "verifiableCredential": token })),
            &Auth::None,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.json()["verified"], true, "{}", answer.body);
    let report = app
        .services
        .registry
        .public()
        .verify_credential_json(&Value::String(token.to_owned()))
        .await
        .expect("verification runs");
    assert_eq!(outcome(&report, "proof"), Outcome::Passed, "{report:?}");
    assert_eq!(outcome(&report, "issuer"), Outcome::Passed, "{report:?}");

    // Pasted on the verification page: the page shows what the token carries.
    let page = crate::pages::post_multipart(&app, "/verify", &[("credential", token)], None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("did:example:learner"), "{}", page.body);
    assert!(page.body.contains("urn:uuid:jwt-eddsa"), "{}", page.body);
    assert!(
        !page.body.contains(&token[..40]),
        "the token's text is not what is shown"
    );

    // The token itself as the body, with its media type: the same answer.
    for media_type in ["application/vc+jwt", "application/jwt; charset=utf-8"] {
        let raw = app
            .request(
                axum::http::Request::post("/credentials/verify")
                    .header("content-type", media_type)
                    .body(axum::body::Body::from(format!("{token}\n")))
                    .expect("a request"),
            )
            .await;
        assert_eq!(raw.status, StatusCode::OK, "{media_type}: {}", raw.body);
        assert_eq!(raw.json()["verified"], true, "{}", raw.body);
    }
    let not_a_token = app
        .request(
            axum::http::Request::post("/credentials/verify")
                .header("content-type", "application/vc+jwt")
                .body(axum::body::Body::from("not a token"))
                .expect("a request"),
        )
        .await;
    assert_eq!(
        not_a_token.status,
        StatusCode::BAD_REQUEST,
        "{}",
        not_a_token.body
    );
    assert!(
        not_a_token.body.contains("/verifiableCredential"),
        "{}",
        not_a_token.body
    );

    // Tampered: the answer says not verified.
    let parts: Vec<&str> = token.split('.').collect();
    let forged = format!("{}.{}.{}", parts[0], parts[1], parts[0]);
    let answer = app
        .call(
            "POST",
            "/credentials/verify",
            Some(json!({ "verifiableCredential": forged })),
            &Auth::None,
        )
        .await;
    assert_eq!(answer.json()["verified"], false, "{}", answer.body);
}

/// A token whose payload is not an object (here `[]`, with a `kid` that would be fetched)
/// is answered as not verified (400, as the VC-API answers every credential that fails),
/// when verification may fetch; it used to panic the handler.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_carrying_no_object_is_answered_not_verified() {
    use crate::support::Auth;
    use axum::http::StatusCode;
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let app = crate::fetch::app_fetching(credence_fetch::Settings::default()).await;
    for payload in ["[]", "1", "\"x\""] {
        let token = format!(
            "{}.{}.",
            b64.encode(r#"{"alg":"EdDSA","kid":"did:web:issuer.invalid#key-1"}"#),
            b64.encode(payload)
        );
        let answer = app
            .call(
                "POST",
                "/credentials/verify",
                Some(json!({ "verifiableCredential": token })),
                &Auth::None,
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{payload}: {}",
            answer.body
        );
        assert_eq!(
            answer.json()["verified"],
            false,
            "{payload}: {}",
            answer.body
        );
        assert!(
            answer.body.contains("does not carry a JSON object"),
            "{payload}: {}",
            answer.body
        );
    }
}

/// `credence vc verify` reads a JWT-secured credential from a file, or baked into an image,
/// and verifies it as the server does; a tampered or expired token is not verified (exit 1).
#[test]
fn the_command_line_verifies_a_jwt_from_a_file_or_a_baked_image() {
    use crate::support::{credence, stdout};
    let tokens = tokens();
    let dir = tempfile::tempdir().expect("a folder");
    let at = now().to_rfc3339();
    let token = tokens["EdDSA"]["token"].as_str().expect("token");
    std::fs::write(dir.path().join("credential.jwt"), format!("{token}\n")).expect("write");
    let out = credence(
        dir.path(),
        &["vc", "verify", "--json", "--at", &at, "credential.jwt"],
        &[],
    );
    assert!(out.status.success(), "{}", crate::support::stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).expect("a JSON report");
    assert_eq!(report["verdict"], "verified", "{report}");

    // Baked into an SVG badge, the same token verifies.
    std::fs::write(
        dir.path().join("badge.svg"),
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>"#,
    )
    .expect("write");
    let baked = credence(
        dir.path(),
        &[
            "vc",
            "bake",
            "badge.svg",
            "credential.jwt",
            "--out",
            "baked.svg",
        ],
        &[],
    );
    assert!(baked.status.success(), "{}", crate::support::stderr(&baked));
    let out = credence(dir.path(), &["vc", "verify", "--at", &at, "baked.svg"], &[]);
    assert!(out.status.success(), "{}", crate::support::stderr(&out));
    assert!(stdout(&out).contains("baked.svg: "), "{}", stdout(&out));

    // A changed signature and an expired token are refused, each saying why.
    let (head, signature) = token.rsplit_once('.').expect("three parts");
    let flipped = if signature.starts_with('A') { "B" } else { "A" };
    let tampered = format!("{head}.{flipped}{}", &signature[1..]);
    std::fs::write(dir.path().join("tampered.jwt"), tampered).expect("write");
    let expired = tokens["EdDSA"]["expired"].as_str().expect("token");
    std::fs::write(dir.path().join("expired.jwt"), expired).expect("write");
    for (file, check) in [("tampered.jwt", "proof"), ("expired.jwt", "token_validity")] {
        let out = credence(
            dir.path(),
            &["vc", "verify", "--json", "--at", &at, file],
            &[],
        );
        assert_eq!(out.status.code(), Some(1), "{file}: {}", stdout(&out));
        let report: Value = serde_json::from_str(&stdout(&out)).expect("a JSON report");
        assert_ne!(report["verdict"], "verified", "{file}: {report}");
        let failed = report["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .find(|c| c["code"] == check)
            .unwrap_or_else(|| panic!("{file}: no {check} check in {report}"));
        assert_eq!(failed["outcome"], "failed", "{file}: {report}");
    }
}

/// ES256 and RS256 keys published by a did:web issuer as `publicKeyJwk` are fetched (from a
/// server on loopback) and verify its tokens; a key its document does not list for
/// assertions does not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_did_web_issuers_ec_and_rsa_keys_are_fetched_to_verify_its_tokens() {
    use crate::fetch::{app_fetching, issuer_router, serve, settings, verify, Issuer};
    let issuer = Issuer::default();
    let addr = serve(issuer_router(issuer.clone(), "/.well-known/did.json")).await;
    let did = format!("did:web:127.0.0.1%3A{}", addr.port());
    let tokens = tokens_for(&did);
    let methods = jwk_methods(&tokens, &did);
    let document = |listed: &[&str]| {
        json!({
            "@context": ["https://www.w3.org/ns/did/v1"],
            "id": did,
            "verificationMethod": methods,
            "assertionMethod": listed
                .iter()
                .map(|alg| tokens[*alg]["kid"].clone())
                .collect::<Vec<_>>(),
        })
    };
    *issuer.did_document.lock().expect("lock") = document(&["ES256", "RS256"]);
    let app = app_fetching(settings(&[addr.to_string()])).await;
    for alg in ["ES256", "RS256"] {
        let token = tokens[alg]["token"].as_str().expect("token");
        let report = verify(&app, &Value::String(token.to_owned())).await;
        assert_eq!(
            outcome(&report, "proof"),
            Outcome::Passed,
            "{alg}: {report:?}"
        );
        assert_eq!(
            outcome(&report, "issuer"),
            Outcome::Passed,
            "{alg}: {report:?}"
        );
        assert_eq!(report.verdict, Verdict::Verified, "{alg}: {report:?}");
    }
    // Listed for assertions no longer (another registry, a fresh cache): not the issuer's.
    *issuer.did_document.lock().expect("lock") = document(&["ES256"]);
    let app = app_fetching(settings(&[addr.to_string()])).await;
    let token = tokens["RS256"]["token"].as_str().expect("token");
    let report = verify(&app, &Value::String(token.to_owned())).await;
    assert_ne!(report.verdict, Verdict::Verified, "{report:?}");
    assert_ne!(outcome(&report, "proof"), Outcome::Passed, "{report:?}");
}

/// ES256 and RS256 keys published as `publicKeyJwk` in an HTTPS controller document (the
/// issuer is the document's URL, the `kid` a method in it) are fetched and verify the
/// issuer's tokens; a method the controller does not list for assertions does not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_https_controller_documents_jwks_verify_its_tokens() {
    use crate::fetch::{app_fetching, issuer_router, serve, settings, verify, Issuer};
    let issuer = Issuer::default();
    let addr = serve(issuer_router(issuer.clone(), "/issuer")).await;
    let controller = format!("http://{addr}/issuer");
    let tokens = tokens_for(&controller);
    let methods = jwk_methods(&tokens, &controller);
    let document = |listed: &[&str]| {
        let listed: Vec<Value> = listed
            .iter()
            .map(|alg| tokens[*alg]["kid"].clone())
            .collect();
        json!({
            "@context": ["https://www.w3.org/ns/cid/v1"],
            "id": controller,
            "verificationMethod": methods,
            "assertionMethod": listed,
        })
    };
    *issuer.did_document.lock().expect("lock") = document(&["ES256", "RS256"]);
    let app = app_fetching(settings(&[addr.to_string()])).await;
    for alg in ["ES256", "RS256"] {
        let token = tokens[alg]["token"].as_str().expect("token");
        let report = verify(&app, &Value::String(token.to_owned())).await;
        assert_eq!(report.verdict, Verdict::Verified, "{alg}: {report:?}");
        assert_eq!(report.fetches[0].url, controller, "{alg}: {report:?}");
    }
    *issuer.did_document.lock().expect("lock") = document(&["ES256"]);
    let app = app_fetching(settings(&[addr.to_string()])).await;
    let token = tokens["RS256"]["token"].as_str().expect("token");
    let report = verify(&app, &Value::String(token.to_owned())).await;
    assert_ne!(outcome(&report, "proof"), Outcome::Passed, "{report:?}");
}

/// A presentation carrying a JWT-secured credential as VC 2.0 writes it, an
/// `EnvelopedVerifiableCredential` whose id is a `data:application/vc+jwt,` URL: the
/// credential is verified as the token it carries.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_presentation_carrying_an_enveloped_jwt_verifies_it() {
    use crate::support::{Auth, TestApp};
    use credence_vc::proof::{sign, ProofOptions};
    let tokens = tokens();
    let token = tokens["EdDSA"]["token"].as_str().expect("token");
    let app = TestApp::new().await;
    let holder = SigningKey::generate().expect("a key");
    let vp = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": holder.verifying_key().did_key(),
        "verifiableCredential": [
            {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "id": format!("data:application/vc+jwt,{token}"),
                "type": "EnvelopedVerifiableCredential"
            },
        ],
    });
    let mut options = ProofOptions::new(holder.verifying_key().did_key_verification_method());
    options.proof_purpose = "authentication".into();
    options.challenge = Some("c-1".into());
    let signed = sign(&vp, &holder, &options).expect("signed");
    let answer = app
        .call(
            "POST",
            "/presentations/verify",
            Some(json!({ "verifiablePresentation": signed, "options": { "challenge": "c-1" } })),
            &Auth::None,
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let body = answer.json();
    assert_eq!(body["verified"], true, "{body}");
    let credentials = body["credentials"].as_array().expect("reports");
    assert_eq!(credentials.len(), 1, "{body}");
    for report in credentials {
        assert_eq!(report["verdict"], "verified", "{body}");
    }

    // Pasted on the verification page: the holder's proof, then the credential it carries.
    let page = crate::pages::post_multipart(
        &app,
        "/verify",
        &[("credential", &signed.to_string())],
        None,
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("A presentation by"), "{}", page.body);
    assert!(
        page.body
            .contains("signature on the presentation is valid."),
        "{}",
        page.body
    );
    assert!(page.body.contains("urn:uuid:jwt-eddsa"), "{}", page.body);
    assert!(!page.body.contains("check-failed"), "{}", page.body);
}
