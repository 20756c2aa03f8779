//! The VC-API and accreditation: a did:key organisation issues through
//! `POST /credentials/issue`; the credential passes `credence vc verify` and the Digital
//! Bazaar JavaScript verifier (proof and status list); after `POST /credentials/status`
//! revokes it, both report it revoked. Presentations are verified with their challenge and
//! domain, and an award's verification reports its issuer's accreditation chain.

use axum::http::StatusCode;
use credence_vc::keys::SigningKey;
use credence_vc::proof::{sign, ProofOptions};
use serde_json::{json, Value};

use crate::support::{js_harness, stderr, stdout, Auth, TestApp};

pub(crate) fn credential(issuer: &str) -> Value {
    json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Tri-X chest X-ray triage: safe use",
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Triadix"},
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://triadix.example/achievements/tri-x-safe-use",
                "type": ["Achievement"],
                "name": "Tri-X safe use",
                "description": "Completed the Tri-X product-specific training.",
                "criteria": {"narrative": "Completed the course and its assessment."}
            }
        }
    })
}

/// The org's status lists as served, by URL.
async fn lists(app: &TestApp, slug: &str) -> Value {
    let mut out = serde_json::Map::new();
    for purpose in ["revocation", "suspension"] {
        let path = format!("/orgs/{slug}/status/{purpose}");
        let reply = app.call("GET", &path, None, &Auth::None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        out.insert(format!("{}{path}", app.base_url), reply.json());
    }
    Value::Object(out)
}

/// Runs `credence vc verify` on the credential with the given lists; returns (exit code,
/// report).
fn cli_verify(credential: &Value, lists: &Value) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("credential.json");
    std::fs::write(&path, credential.to_string()).unwrap();
    let mut args = vec!["vc".to_owned(), "verify".into(), "--json".into()];
    for (i, list) in lists.as_object().unwrap().values().enumerate() {
        let file = dir.path().join(format!("list-{i}.json"));
        std::fs::write(&file, list.to_string()).unwrap();
        args.push("--status-list".into());
        args.push(file.display().to_string());
    }
    args.push(path.display().to_string());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = crate::support::credence(dir.path(), &args, &[]);
    let report: Value = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("{e}: {} {}", stdout(&out), stderr(&out)));
    (out.status.code().unwrap_or(-1), report)
}

fn outcome<'a>(report: &'a Value, code: &str) -> &'a str {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .and_then(|c| c["outcome"].as_str())
        .unwrap_or("absent")
}

#[tokio::test]
async fn vc_api_issue_verify_and_revoke_agree_with_javascript() {
    let app = TestApp::new().await;
    let did = app.org("triadix", "provider", "key").await;
    let issuer = app.token("triadix", "issuer").await;

    let reply = app
        .call(
            "POST",
            "/credentials/issue",
            Some(json!({"credential": credential(&did), "options": {"credentialStatus": {"type": "BitstringStatusListEntry"}}})),
            &issuer,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let signed = reply.json();
    let id = signed["id"].as_str().unwrap().to_owned();
    assert!(
        id.starts_with(&format!("{}/credentials/", app.base_url)),
        "{id}"
    );
    // One status entry, revocation, as an object: what Open Badges 3.0 allows.
    assert_eq!(signed["credentialStatus"]["statusPurpose"], "revocation");
    assert_eq!(signed["proof"]["cryptosuite"], "eddsa-rdfc-2022");

    // credence vc verify, with the lists as served: every check passes.
    let served = lists(&app, "triadix").await;
    let (code, report) = cli_verify(&signed, &served);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(outcome(&report, "status.revocation"), "passed");
    // The Digital Bazaar verifier: the proof, then the status entries with their lists.
    let js = js_harness();
    let verdict = js.run(&["verify"], &signed);
    assert_eq!(verdict["verified"], true, "{verdict:#}");
    let status = js.run(&["status"], &json!({"credential": signed, "lists": served}));
    assert_eq!(status["verified"], true, "{status:#}");
    assert_eq!(
        status["statuses"],
        json!([{"purpose": "revocation", "set": false}])
    );
    // Our own verify endpoint agrees.
    let ours = app
        .call(
            "POST",
            "/credentials/verify",
            Some(json!({"verifiableCredential": signed})),
            &Auth::None,
        )
        .await;
    assert_eq!(ours.status, StatusCode::OK, "{}", ours.body);
    assert_eq!(ours.json()["verified"], true);

    // Revoke by credential id.
    let revoke = app
        .call("POST", "/credentials/status", Some(json!({"credentialId": id, "credentialStatus": [{"type": "BitstringStatusListCredential", "status": "revoked"}]})), &issuer)
        .await;
    assert_eq!(revoke.status, StatusCode::OK, "{}", revoke.body);
    assert_eq!(revoke.json()["status"], "revoked");

    let served = lists(&app, "triadix").await;
    let (code, report) = cli_verify(&signed, &served);
    assert_ne!(code, 0);
    assert_eq!(
        outcome(&report, "status.revocation"),
        "failed",
        "{report:#}"
    );
    let status = js.run(&["status"], &json!({"credential": signed, "lists": served}));
    assert_eq!(
        status["statuses"][0],
        json!({"purpose": "revocation", "set": true}),
        "{status:#}"
    );
    let ours = app
        .call(
            "POST",
            "/credentials/verify",
            Some(json!({"verifiableCredential": signed})),
            &Auth::None,
        )
        .await;
    assert_eq!(ours.status, StatusCode::BAD_REQUEST);
    assert_eq!(ours.json()["verified"], false);
    // Revoking twice is a conflict; the audit chain still holds.
    let again = app
        .call(
            "POST",
            "/credentials/status",
            Some(json!({"credentialId": id, "credentialStatus": [{"status": "revoked"}]})),
            &issuer,
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let operator =
        credence_service::Actor::from_operator(&credence_service::Operator::local_command_line())
            .operator()
            .unwrap();
    let chain = app
        .services
        .registry
        .with_operator(&operator)
        .verify_audit_chain(|_, _| {})
        .await
        .unwrap();
    assert_eq!(chain.broken, None);
}

#[tokio::test]
async fn vc_api_takes_vc_1_1_and_refuses_what_it_cannot_issue() {
    let app = TestApp::new().await;
    let did = app.org("triadix", "provider", "key").await;
    let other_did = app.org("nymouth-ics", "provider", "web").await;
    let issuer = app.token("triadix", "issuer").await;
    let assessor = app.token("triadix", "assessor").await;

    // VC 1.1 with a caller-chosen id and status: issued, verifies, and its status can be
    // changed by that id.
    let v1 = json!({
        "@context": ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/data-integrity/v2"],
        "id": "urn:uuid:5c8b3f52-65c0-4a49-9d4a-1f1c8f6f0a01",
        "type": ["VerifiableCredential"],
        "issuer": did,
        "credentialSubject": {"id": "did:example:holder"}
    });
    let reply = app
        .call("POST", "/credentials/issue", Some(json!({"credential": v1, "options": {"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": ["revocation", "suspension"]}}})), &issuer)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let signed = reply.json();
    assert!(signed["issuanceDate"].is_string());
    assert_eq!(signed["credentialStatus"].as_array().map(Vec::len), Some(2));
    let ours = app
        .call(
            "POST",
            "/credentials/verify",
            Some(json!({"verifiableCredential": signed})),
            &Auth::None,
        )
        .await;
    assert_eq!(ours.status, StatusCode::OK, "{}", ours.body);
    let suspend = app
        .call("POST", "/credentials/status", Some(json!({"credentialId": "urn:uuid:5c8b3f52-65c0-4a49-9d4a-1f1c8f6f0a01", "credentialStatus": [{"status": "suspended"}]})), &issuer)
        .await;
    assert_eq!(suspend.status, StatusCode::OK, "{}", suspend.body);
    // The same id again is refused.
    let dup = app
        .call(
            "POST",
            "/credentials/issue",
            Some(json!({"credential": v1})),
            &issuer,
        )
        .await;
    assert_eq!(dup.status, StatusCode::BAD_REQUEST);

    let cases: Vec<(&str, Value, &Auth, StatusCode)> = vec![
        (
            "another organisation's DID",
            json!({"credential": credential(&other_did)}),
            &issuer,
            StatusCode::FORBIDDEN,
        ),
        (
            "an unknown DID",
            json!({"credential": credential("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")}),
            &issuer,
            StatusCode::FORBIDDEN,
        ),
        (
            "no token",
            json!({"credential": credential(&did)}),
            &Auth::None,
            StatusCode::UNAUTHORIZED,
        ),
        (
            "an assessor's token",
            json!({"credential": credential(&did)}),
            &assessor,
            StatusCode::FORBIDDEN,
        ),
        ("no credential", json!({}), &issuer, StatusCode::BAD_REQUEST),
        (
            "a credential that is a string",
            json!({"credential": "x"}),
            &issuer,
            StatusCode::BAD_REQUEST,
        ),
        (
            "an unknown context",
            json!({"credential": {"@context": ["https://www.w3.org/ns/credentials/v2", "https://example.org/ctx"], "type": ["VerifiableCredential"], "issuer": did, "credentialSubject": {"id": "did:example:1"}}}),
            &issuer,
            StatusCode::BAD_REQUEST,
        ),
        (
            "no VerifiableCredential type",
            json!({"credential": {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["Thing"], "issuer": did, "credentialSubject": {}}}),
            &issuer,
            StatusCode::BAD_REQUEST,
        ),
        (
            "a signed credential",
            json!({"credential": {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "issuer": did, "credentialSubject": {}, "proof": {}}}),
            &issuer,
            StatusCode::BAD_REQUEST,
        ),
        (
            "an undefined term (safe mode)",
            json!({"credential": {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "issuer": did, "credentialSubject": {"favouriteColour": "teal"}}}),
            &issuer,
            StatusCode::BAD_REQUEST,
        ),
        (
            "another status type",
            json!({"credential": credential(&did), "options": {"credentialStatus": {"type": "StatusList2021Entry"}}}),
            &issuer,
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (what, body, auth, expected) in cases {
        let reply = app
            .call("POST", "/credentials/issue", Some(body), auth)
            .await;
        assert_eq!(reply.status, expected, "{what}: {}", reply.body);
        assert_eq!(
            reply.header("content-type"),
            "application/problem+json",
            "{what}"
        );
    }
    let status_cases: Vec<(Value, &Auth, StatusCode)> = vec![
        (
            json!({"credentialId": "urn:uuid:nothing", "credentialStatus": [{"status": "revoked"}]}),
            &issuer,
            StatusCode::NOT_FOUND,
        ),
        (
            json!({"credentialId": "urn:uuid:5c8b3f52-65c0-4a49-9d4a-1f1c8f6f0a01", "credentialStatus": [{"status": "lost"}]}),
            &issuer,
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"credentialId": "urn:uuid:5c8b3f52-65c0-4a49-9d4a-1f1c8f6f0a01", "credentialStatus": []}),
            &issuer,
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"credentialId": "urn:uuid:5c8b3f52-65c0-4a49-9d4a-1f1c8f6f0a01", "credentialStatus": [{"status": "revoked"}]}),
            &assessor,
            StatusCode::FORBIDDEN,
        ),
        (
            json!({"credentialId": "urn:uuid:5c8b3f52-65c0-4a49-9d4a-1f1c8f6f0a01", "credentialStatus": [{"status": "revoked"}]}),
            &Auth::None,
            StatusCode::UNAUTHORIZED,
        ),
        (
            json!({"credentialStatus": 3}),
            &issuer,
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (body, auth, expected) in status_cases {
        let reply = app
            .call("POST", "/credentials/status", Some(body.clone()), auth)
            .await;
        assert_eq!(reply.status, expected, "{body}: {}", reply.body);
    }
    let verify_cases = [
        json!({}),
        json!({"verifiableCredential": 7}),
        json!({"verifiableCredential": {"@context": "nope"}}),
    ];
    for body in verify_cases {
        let reply = app
            .call(
                "POST",
                "/credentials/verify",
                Some(body.clone()),
                &Auth::None,
            )
            .await;
        assert!(
            reply.status == StatusCode::BAD_REQUEST,
            "{body}: {} {}",
            reply.status,
            reply.body
        );
    }
}

#[tokio::test]
async fn presentations_are_verified_with_their_challenge_and_domain() {
    let app = TestApp::new().await;
    let did = app.org("triadix", "provider", "key").await;
    let issuer = app.token("triadix", "issuer").await;
    let reply = app
        .call(
            "POST",
            "/credentials/issue",
            Some(json!({"credential": credential(&did)})),
            &issuer,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let vc = reply.json();

    let holder = SigningKey::generate().unwrap();
    let holder_did = holder.verifying_key().did_key();
    let vp = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": holder_did,
        "verifiableCredential": [vc],
    });
    let mut options = ProofOptions::new(holder.verifying_key().did_key_verification_method());
    options.proof_purpose = "authentication".into();
    options.challenge = Some("c-123".into());
    options.domain = Some("verifier.example".into());
    let signed = sign(&vp, &holder, &options).unwrap();

    let check = |challenge: &str, domain: &str, body: &Value| json!({"verifiablePresentation": body, "options": {"challenge": challenge, "domain": domain}});
    let ok = app
        .call(
            "POST",
            "/presentations/verify",
            Some(check("c-123", "verifier.example", &signed)),
            &Auth::None,
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.json()["verified"], true);
    for (challenge, domain) in [
        ("c-999", "verifier.example"),
        ("c-123", "elsewhere.example"),
    ] {
        let replayed = app
            .call(
                "POST",
                "/presentations/verify",
                Some(check(challenge, domain, &signed)),
                &Auth::None,
            )
            .await;
        assert_eq!(
            replayed.status,
            StatusCode::BAD_REQUEST,
            "{challenge} {domain}"
        );
        assert_eq!(replayed.json()["verified"], false);
    }
    let mut tampered = signed.clone();
    tampered["holder"] = json!("did:example:someone-else");
    let bad = app
        .call(
            "POST",
            "/presentations/verify",
            Some(check("c-123", "verifier.example", &tampered)),
            &Auth::None,
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let unsigned = app
        .call(
            "POST",
            "/presentations/verify",
            Some(check("c-123", "verifier.example", &vp)),
            &Auth::None,
        )
        .await;
    assert_eq!(unsigned.status, StatusCode::BAD_REQUEST);
    let malformed = app
        .call(
            "POST",
            "/presentations/verify",
            Some(json!({"verifiablePresentation": {"type": "Nope"}})),
            &Auth::None,
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
}

async fn verify_here(app: &TestApp, doc: Value) -> Value {
    app.call("POST", "/api/v1/verify", Some(doc), &Auth::None)
        .await
        .json()
}

#[tokio::test]
async fn accreditation_is_signed_revocable_and_reported_in_verification() {
    let app = TestApp::new().await;
    app.org("hee", "accrediting-body", "web").await;
    app.org("linchester-ics", "provider", "web").await;
    let body_issuer = app.token("hee", "issuer").await;
    let provider_issuer = app.token("linchester-ics", "issuer").await;

    // The provider issues a foundational award (override: no evidence needed here).
    let holder = app.holder("nurse@example.org", "A Nurse").await;
    let _ = holder;
    let achievement = app
        .call(
            "POST",
            "/api/v1/orgs/linchester-ics/achievements",
            Some(json!({"pathway": "foundational"})),
            &provider_issuer,
        )
        .await;
    assert_eq!(
        achievement.status,
        StatusCode::CREATED,
        "{}",
        achievement.body
    );
    let achievement_id = achievement.json()["id"].as_str().unwrap().to_owned();
    let award = app
        .call(
            "POST",
            "/api/v1/orgs/linchester-ics/awards",
            Some(json!({"achievement": achievement_id, "email": "nurse@example.org", "override_justification": "Completed the programme before Credence recorded evidence."})),
            &provider_issuer,
        )
        .await;
    assert_eq!(award.status, StatusCode::CREATED, "{}", award.body);
    let credential = award.json()["credential"].clone();
    let check = |report: &Value| outcome(report, "accreditation").to_owned();

    // No accreditation, and no trusted body: the check does not apply.
    let report = verify_here(&app, credential.clone()).await;
    assert_eq!(check(&report), "not_applicable", "{report:#}");
    assert_eq!(report["verdict"], "verified");

    // Accredited by a body the operator does not trust yet: still a warning.
    let reply = app
        .call("POST", "/api/v1/orgs/hee/accreditations", Some(json!({"provider": "linchester-ics", "pathways": ["foundational", "advanced-driver"]})), &body_issuer)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let accreditation = reply.json();
    let accreditation_id = accreditation["id"].as_str().unwrap().to_owned();
    assert_eq!(accreditation["body_trusted"], false);
    let report = verify_here(&app, credential.clone()).await;
    assert_eq!(check(&report), "warning");
    assert!(
        report
            .to_string()
            .contains("not a body this Credence trusts"),
        "{report:#}"
    );

    // Trusted: the chain passes and names the body.
    let operator =
        credence_service::Actor::from_operator(&credence_service::Operator::local_command_line())
            .operator()
            .unwrap();
    app.services
        .registry
        .with_operator(&operator)
        .trust_body(&credence_domain::OrgSlug::new("hee").expect("a slug"), true)
        .await
        .unwrap();
    let report = verify_here(&app, credential.clone()).await;
    assert_eq!(check(&report), "passed", "{report:#}");
    assert!(
        report.to_string().contains("Organisation hee"),
        "{report:#}"
    );

    // The accreditation credential itself is public and verifies.
    let url = accreditation["credential_url"]
        .as_str()
        .unwrap()
        .trim_start_matches(&app.base_url)
        .to_owned();
    let signed = app.call("GET", &url, None, &Auth::None).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    let signed = signed.json();
    assert!(signed["type"]
        .as_array()
        .unwrap()
        .contains(&json!("EndorsementCredential")));
    let report = verify_here(&app, signed.clone()).await;
    assert_eq!(report["verdict"], "verified", "{report:#}");

    // Refusals.
    let cases: Vec<(&str, Value, &Auth, StatusCode)> = vec![
        (
            "/api/v1/orgs/linchester-ics/accreditations",
            json!({"provider": "hee", "pathways": ["foundational"]}),
            &provider_issuer,
            StatusCode::FORBIDDEN,
        ),
        (
            "/api/v1/orgs/hee/accreditations",
            json!({"provider": "linchester-ics", "pathways": ["foundational"]}),
            &provider_issuer,
            StatusCode::FORBIDDEN,
        ),
        (
            "/api/v1/orgs/hee/accreditations",
            json!({"provider": "nobody", "pathways": ["foundational"]}),
            &body_issuer,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/orgs/hee/accreditations",
            json!({"provider": "linchester-ics", "pathways": ["astrology"]}),
            &body_issuer,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/orgs/hee/accreditations",
            json!({"provider": "linchester-ics", "pathways": []}),
            &body_issuer,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/orgs/hee/accreditations",
            json!({"provider": "linchester-ics", "pathways": ["foundational"]}),
            &Auth::None,
            StatusCode::UNAUTHORIZED,
        ),
    ];
    for (path, body, auth, expected) in cases {
        let reply = app.call("POST", path, Some(body.clone()), auth).await;
        assert_eq!(reply.status, expected, "{path} {body}: {}", reply.body);
    }
    // One active accreditation per body and provider: a second is refused until the first
    // is revoked.
    let again = app
        .call(
            "POST",
            "/api/v1/orgs/hee/accreditations",
            Some(json!({"provider": "linchester-ics", "pathways": ["foundational"]})),
            &body_issuer,
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(
        again.body.contains("revoke that accreditation first"),
        "{}",
        again.body
    );

    // Revoked: the chain no longer stands, and the accreditation credential is revoked.
    let revoke_path = format!("/api/v1/accreditations/{accreditation_id}/revoke");
    let denied = app
        .call(
            "POST",
            &revoke_path,
            Some(json!({"reason": "x"})),
            &provider_issuer,
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let revoked = app
        .call(
            "POST",
            &revoke_path,
            Some(json!({"reason": "Programme withdrawn."})),
            &body_issuer,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert_eq!(revoked.json()["status"], "revoked");
    let renewed = app
        .call(
            "POST",
            "/api/v1/orgs/hee/accreditations",
            Some(json!({"provider": "linchester-ics", "pathways": ["foundational"]})),
            &body_issuer,
        )
        .await;
    assert_eq!(renewed.status, StatusCode::CREATED, "{}", renewed.body);
    let renewed_id = renewed.json()["id"].as_str().unwrap().to_owned();
    let revoked_again = app
        .call(
            "POST",
            &format!("/api/v1/accreditations/{renewed_id}/revoke"),
            Some(json!({"reason": "Only to test a renewal."})),
            &body_issuer,
        )
        .await;
    assert_eq!(
        revoked_again.status,
        StatusCode::OK,
        "{}",
        revoked_again.body
    );
    let report = verify_here(&app, credential.clone()).await;
    assert_eq!(check(&report), "warning");
    assert!(report.to_string().contains("revoked"), "{report:#}");
    let report = verify_here(&app, signed).await;
    assert_eq!(
        outcome(&report, "status.revocation"),
        "failed",
        "{report:#}"
    );
    let listed = app
        .call(
            "GET",
            "/api/v1/orgs/linchester-ics/accreditations",
            None,
            &Auth::None,
        )
        .await
        .json();
    assert_eq!(listed["received"][0]["status"], "revoked");
    let again = app
        .call(
            "POST",
            &revoke_path,
            Some(json!({"reason": "again"})),
            &body_issuer,
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // An accreditation revoked through the VC-API, by its credential id, stops counting
    // too: the accreditation follows its credential's state however it is revoked.
    let reply = app
        .call(
            "POST",
            "/api/v1/orgs/hee/accreditations",
            Some(json!({"provider": "linchester-ics", "pathways": ["foundational"]})),
            &body_issuer,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let second = reply.json();
    let report = verify_here(&app, credential.clone()).await;
    assert_eq!(check(&report), "passed", "{report:#}");
    let revoked = app
        .call(
            "POST",
            "/credentials/status",
            Some(json!({"credentialId": second["credential_url"], "credentialStatus": [{"status": "revoked"}]})),
            &body_issuer,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    let report = verify_here(&app, credential).await;
    assert_eq!(check(&report), "warning", "{report:#}");
    let listed = app
        .call("GET", "/api/v1/orgs/hee/accreditations", None, &Auth::None)
        .await
        .json();
    assert!(
        listed["given"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["status"] == "revoked"),
        "{listed:#}"
    );
}
