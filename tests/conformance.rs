//! Conformance by outside judges: what Credence issues through the VC-API (VC 1.1 and 2.0,
//! either cryptosuite, the 1EdTech examples) verifies in the Digital Bazaar JavaScript
//! verifier and validates against the 1EdTech schemas in two independent validators (the
//! Rust `jsonschema` crate and JavaScript's ajv); what the VC Data Model forbids is refused
//! with the JSON pointer of the fault; every credential of the demo world validates.

use std::sync::Arc;

use axum::http::StatusCode;
use credence_service::{Actor, Operator};
use credence_store::registry::{AwardRow, Page};
use credence_store::Store;
use credence_vc::schema::{schema_for, validate_credential, SchemaKind};
use serde_json::{json, Value};

use crate::support::{js_harness, Auth, TestApp, TestDb};

const V1: &str = "https://www.w3.org/2018/credentials/v1";
const V2: &str = "https://www.w3.org/ns/credentials/v2";
const DI: &str = "https://w3id.org/security/data-integrity/v2";
const OB: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
const EXAMPLES: &str = "https://www.w3.org/ns/credentials/examples/v2";

fn vectors() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors")
}

fn read_vector(path: &str) -> Value {
    let text = std::fs::read_to_string(vectors().join(path)).expect(path);
    serde_json::from_str(&text).expect(path)
}

/// The schema file a credential's type calls for, as the JavaScript validator names it.
fn schema_file(credential: &Value) -> Option<&'static str> {
    match schema_for(credential).ok()? {
        SchemaKind::AchievementCredential => Some("ob_v3p0_achievementcredential_schema.json"),
        SchemaKind::EndorsementCredential => Some("ob_v3p0_endorsementcredential_schema.json"),
        SchemaKind::Profile => Some("ob_v3p0_profile_schema.json"),
    }
}

/// ajv's verdict on each credential against the 1EdTech schema its type calls for.
fn ajv(credentials: &[Value]) -> Vec<Value> {
    let inputs: Vec<Value> = credentials
        .iter()
        .map(|c| json!({"schema": schema_file(c).expect("an OB 3.0 type"), "document": c}))
        .collect();
    let out = js_harness().run(&["schema"], &Value::Array(inputs));
    out.as_array().expect("one verdict each").clone()
}

/// Issues through the VC-API; returns the reply.
async fn issue(app: &TestApp, auth: &Auth, body: Value) -> crate::support::Reply {
    app.call("POST", "/credentials/issue", Some(body), auth)
        .await
}

/// The JSON pointers a refusal names: 400 from the VC-API (its specification and the CCG
/// suites ask for 400), 422 from the rest of the API.
fn pointers(reply: &crate::support::Reply) -> Vec<String> {
    assert!(
        reply.status == StatusCode::BAD_REQUEST || reply.status == StatusCode::UNPROCESSABLE_ENTITY,
        "{} {}",
        reply.status,
        reply.body
    );
    assert_eq!(reply.header("content-type"), "application/problem+json");
    reply.json()["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["pointer"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn vc_1_1_and_2_0_credentials_issued_with_either_suite_verify_in_javascript() {
    let app = TestApp::new().await;
    let did = app.org("triadix", "provider", "key").await;
    let issuer = app.token("triadix", "issuer").await;
    let js = js_harness();

    // VC 1.1 without the Data Integrity context: Credence adds it, as reference issuers do.
    let v1 = json!({
        "@context": [V1],
        "type": ["VerifiableCredential"],
        "issuer": did,
        "issuanceDate": "2025-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:holder"}
    });
    // VC 2.0 with W3C's examples context, as the public suites send it.
    let mut v2 = read_vector("vc-di-eddsa/unsigned.json");
    v2["issuer"] = json!(did);
    v2.as_object_mut().map(|m| m.remove("id"));
    // An Open Badges 3.0 credential.
    let ob = json!({
        "@context": [V2, OB],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Tri-X safe use",
        "issuer": {"id": did, "type": ["Profile"], "name": "Triadix"},
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://triadix.example/achievements/tri-x",
                "type": ["Achievement"],
                "name": "Tri-X safe use",
                "description": "Completed the Tri-X product-specific training.",
                "criteria": {"narrative": "Completed the course and its assessment."}
            }
        }
    });
    let mut issued = Vec::new();
    for (name, credential) in [("VC 1.1", &v1), ("VC 2.0", &v2), ("OB 3.0", &ob)] {
        for suite in [None, Some("eddsa-rdfc-2022"), Some("eddsa-jcs-2022")] {
            let mut options = json!({"credentialStatus": {"type": "BitstringStatusListEntry"}});
            if let Some(suite) = suite {
                options["cryptosuite"] = json!(suite);
            }
            let reply = issue(
                &app,
                &issuer,
                json!({"credential": credential, "options": options}),
            )
            .await;
            assert_eq!(
                reply.status,
                StatusCode::CREATED,
                "{name} {suite:?}: {}",
                reply.body
            );
            let signed = reply.json();
            assert_eq!(
                signed["proof"]["cryptosuite"],
                suite.unwrap_or("eddsa-rdfc-2022"),
                "{name}"
            );
            assert!(
                signed["credentialStatus"].is_object(),
                "{name}: one status entry, an object"
            );
            if name == "VC 1.1" {
                assert_eq!(
                    signed["@context"],
                    json!([V1, "https://www.w3.org/ns/credentials/status/v1", DI])
                );
            }
            let ours = app
                .call(
                    "POST",
                    "/credentials/verify",
                    Some(json!({"verifiableCredential": signed})),
                    &Auth::None,
                )
                .await;
            assert_eq!(
                ours.status,
                StatusCode::OK,
                "{name} {suite:?}: {}",
                ours.body
            );
            issued.push((format!("{name} {suite:?}"), signed));
        }
    }
    let verdicts = js.run(
        &["verify"],
        &Value::Array(issued.iter().map(|(_, c)| c.clone()).collect()),
    );
    for ((name, credential), verdict) in issued.iter().zip(verdicts.as_array().expect("verdicts")) {
        assert_eq!(
            verdict["verified"], true,
            "{name}: {verdict:#}\n{credential:#}"
        );
    }
    // The Open Badges ones validate against the 1EdTech schema in both validators.
    let obs: Vec<Value> = issued
        .iter()
        .filter(|(n, _)| n.starts_with("OB"))
        .map(|(_, c)| c.clone())
        .collect();
    for c in &obs {
        validate_credential(c).unwrap_or_else(|e| panic!("{e}\n{c:#}"));
    }
    for verdict in ajv(&obs) {
        assert_eq!(verdict["valid"], true, "{verdict:#}");
    }

    // An unknown suite is refused, naming the option.
    let reply = issue(
        &app,
        &issuer,
        json!({"credential": ob, "options": {"cryptosuite": "ecdsa-rdfc-2019"}}),
    )
    .await;
    assert_eq!(pointers(&reply), ["/options/cryptosuite"]);

    // The organisation chooses eddsa-jcs-2022: what it signs without asking is signed so.
    let admin = app.token("triadix", "admin").await;
    let refused = app
        .call(
            "PUT",
            "/api/v1/orgs/triadix/cryptosuite",
            Some(json!({"cryptosuite": "rsa"})),
            &admin,
        )
        .await;
    assert_eq!(pointers(&refused), ["/cryptosuite"]);
    let chosen = app
        .call(
            "PUT",
            "/api/v1/orgs/triadix/cryptosuite",
            Some(json!({"cryptosuite": "eddsa-jcs-2022"})),
            &admin,
        )
        .await;
    assert_eq!(chosen.status, StatusCode::OK, "{}", chosen.body);
    assert_eq!(chosen.json()["cryptosuite"], "eddsa-jcs-2022");
    let reply = issue(&app, &issuer, json!({"credential": ob})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let signed = reply.json();
    assert_eq!(signed["proof"]["cryptosuite"], "eddsa-jcs-2022");
    assert_eq!(js.run(&["verify"], &signed)["verified"], true);
    // Its status list is re-signed with it at the next change, and still verifies: revoking
    // an earlier credential makes verification read the new list, check its proof and find
    // the bit set.
    let (_, earlier) = &issued[0];
    let id = earlier["id"].as_str().expect("an id");
    let revoked = app
        .call(
            "POST",
            "/credentials/status",
            Some(json!({"credentialId": id, "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}, "status": true})),
            &issuer,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    let list = app
        .call("GET", "/orgs/triadix/status/revocation", None, &Auth::None)
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.json()["proof"]["cryptosuite"], "eddsa-jcs-2022");
    let report = app
        .call("POST", "/api/v1/verify", Some(earlier.clone()), &Auth::None)
        .await
        .json();
    let revocation = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["code"] == "status.revocation")
        .cloned()
        .unwrap_or_default();
    assert_eq!(revocation["outcome"], "failed", "{report:#}");
}

#[tokio::test]
async fn suspension_is_opt_in_and_says_what_it_costs() {
    let app = TestApp::new().await;
    let did = app.org("triadix", "provider", "key").await;
    let issuer = app.token("triadix", "issuer").await;
    let ob = |n: u32| {
        json!({
            "@context": [V2, OB],
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": did, "type": ["Profile"], "name": "Triadix"},
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "achievement": {
                    "id": format!("https://triadix.example/achievements/{n}"),
                    "type": ["Achievement"],
                    "name": "Tri-X safe use",
                    "description": "Completed the Tri-X product-specific training.",
                    "criteria": {"narrative": "Completed the course."}
                }
            }
        })
    };
    // Revocation only, by default: one object, valid against the 1EdTech schema.
    let plain = issue(
        &app,
        &issuer,
        json!({"credential": ob(1), "options": {"credentialStatus": {"type": "BitstringStatusListEntry"}}}),
    )
    .await;
    assert_eq!(plain.status, StatusCode::CREATED, "{}", plain.body);
    let plain = plain.json();
    assert_eq!(plain["credentialStatus"]["statusPurpose"], "revocation");
    validate_credential(&plain).expect("valid OB 3.0");
    let suspend = |id: &str| json!({"credentialId": id, "credentialStatus": [{"type": "BitstringStatusListCredential", "status": "suspended"}], "reason": "Checking."});
    let refused = app
        .call(
            "POST",
            "/credentials/status",
            Some(suspend(plain["id"].as_str().expect("id"))),
            &issuer,
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(
        refused.body.contains("revocation entry only"),
        "{}",
        refused.body
    );

    // Asked for: both entries, and it can be suspended.
    let both = issue(
        &app,
        &issuer,
        json!({"credential": ob(2), "options": {"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": ["revocation", "suspension"]}}}),
    )
    .await;
    assert_eq!(both.status, StatusCode::CREATED, "{}", both.body);
    let both = both.json();
    assert_eq!(both["credentialStatus"].as_array().map(Vec::len), Some(2));
    let done = app
        .call(
            "POST",
            "/credentials/status",
            Some(suspend(both["id"].as_str().expect("id"))),
            &issuer,
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    // Strict validators refuse it, on /credentialStatus and nowhere else: the cost the
    // console and the API documentation state.
    let verdict = &ajv(&[both])[0];
    assert_eq!(verdict["valid"], false);
    for error in verdict["errors"].as_array().expect("errors") {
        assert!(
            error["pointer"]
                .as_str()
                .unwrap_or_default()
                .starts_with("/credentialStatus"),
            "{verdict:#}"
        );
    }
    // A purpose Credence does not offer is refused.
    let reply = issue(
        &app,
        &issuer,
        json!({"credential": ob(3), "options": {"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "refresh"}}}),
    )
    .await;
    assert_eq!(
        pointers(&reply),
        ["/options/credentialStatus/statusPurpose"]
    );
}

#[tokio::test]
async fn the_1edtech_examples_issued_through_the_vc_api_validate_and_verify() {
    let app = TestApp::new().await;
    let did = app.org("triadix", "provider", "key").await;
    let issuer = app.token("triadix", "issuer").await;
    let mut issued = Vec::new();
    for name in [
        "achievementAlignmentCase",
        "achievementAlignmentCe",
        "basicOpenBadgeCredential",
        "endorsement",
        "fullOpenBadge",
        "skillAssertionCase",
        "skillAssertionCtdl",
    ] {
        let mut example = read_vector(&format!("1edtech-examples/{name}.json"));
        // Issued by this Credence's organisation, under an id of its own.
        match &mut example["issuer"] {
            Value::Object(profile) => {
                profile.insert("id".into(), json!(did));
            }
            other => *other = json!(did),
        }
        example.as_object_mut().map(|m| m.remove("id"));
        let reply = issue(&app, &issuer, json!({"credential": example})).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{name}: {}", reply.body);
        let signed = reply.json();
        validate_credential(&signed).unwrap_or_else(|e| panic!("{name}: {e}"));
        issued.push((name, signed));
    }
    let credentials: Vec<Value> = issued.iter().map(|(_, c)| c.clone()).collect();
    for ((name, _), verdict) in issued.iter().zip(ajv(&credentials)) {
        assert_eq!(verdict["valid"], true, "{name}: {verdict:#}");
    }
    let verdicts = js_harness().run(&["verify"], &Value::Array(credentials));
    for ((name, _), verdict) in issued.iter().zip(verdicts.as_array().expect("verdicts")) {
        assert_eq!(verdict["verified"], true, "{name}: {verdict:#}");
    }
}

/// Each case breaks one requirement of VC Data Model 2.0 that the issuer used to sign.
#[tokio::test]
async fn the_vc_api_refuses_what_the_data_model_forbids_and_names_the_pointer() {
    let app = TestApp::new().await;
    let did = app.org("triadix", "provider", "key").await;
    let issuer = app.token("triadix", "issuer").await;
    let base = || {
        json!({
            "@context": [V2, EXAMPLES],
            "type": ["VerifiableCredential"],
            "issuer": did,
            "credentialSubject": {"id": "did:example:holder", "name": "A holder"}
        })
    };
    let with = |key: &str, value: Value| {
        let mut c = base();
        c[key] = value;
        c
    };
    let digest = "sha384-S57yQDg1MTzF56Oi9DbSQ14u7jBy0RDdx0YbeV7shwhCS88G8SCXeFq82PafhCrW";
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "credentialStatus without type",
            with(
                "credentialStatus",
                json!({"id": "https://example.org/status/1#3"}),
            ),
            "/credential/credentialStatus",
        ),
        (
            "termsOfUse without type",
            with("termsOfUse", json!({"id": "https://example.org/tou"})),
            "/credential/termsOfUse",
        ),
        (
            "refreshService without type",
            with(
                "refreshService",
                json!({"id": "https://example.org/refresh"}),
            ),
            "/credential/refreshService",
        ),
        (
            "credentialSchema without type",
            with(
                "credentialSchema",
                json!({"id": "https://example.org/schema.json"}),
            ),
            "/credential/credentialSchema",
        ),
        (
            "evidence without type",
            with(
                "evidence",
                json!([{"id": "https://example.org/evidence/1"}]),
            ),
            "/credential/evidence/0",
        ),
        (
            "an empty credentialSubject",
            with("credentialSubject", json!({})),
            "/credential/credentialSubject",
        ),
        (
            "validFrom that is not a date-time",
            with("validFrom", json!("Sat 25 Feb 2023 07:16:31 PM CST")),
            "/credential/validFrom",
        ),
        (
            "validUntil before validFrom",
            {
                let mut c = with("validFrom", json!("2025-01-02T00:00:00Z"));
                c["validUntil"] = json!("2025-01-01T00:00:00Z");
                c
            },
            "/credential/validUntil",
        ),
        (
            "relatedResource as strings",
            with("relatedResource", json!(["https://example.org/a.json"])),
            "/credential/relatedResource/0",
        ),
        (
            "relatedResource without id",
            with("relatedResource", json!([{"digestSRI": digest}])),
            "/credential/relatedResource/0",
        ),
        (
            "relatedResource with a duplicate id",
            with(
                "relatedResource",
                json!([{"id": "https://example.org/a.json", "digestSRI": digest}, {"id": "https://example.org/a.json", "digestSRI": digest}]),
            ),
            "/credential/relatedResource/1",
        ),
        (
            "relatedResource without a digest",
            with(
                "relatedResource",
                json!([{"id": "https://example.org/a.json"}]),
            ),
            "/credential/relatedResource/0",
        ),
        (
            "an id that is not a URL",
            with("id", json!("not a url")),
            "/credential/id",
        ),
        (
            "an issuer that is not a URL",
            with("issuer", json!("Triadix")),
            "/credential/issuer",
        ),
        (
            "the VC 2.0 context not first",
            with("@context", json!([EXAMPLES, V2])),
            "/credential/@context",
        ),
    ];
    for (what, credential, pointer) in cases {
        let reply = issue(&app, &issuer, json!({"credential": credential})).await;
        let named = pointers(&reply);
        assert!(
            named.iter().any(|p| p.starts_with(pointer)),
            "{what}: expected {pointer} among {named:?}: {}",
            reply.body
        );
    }
    // Nothing was stored by the refusals: the organisation has issued nothing.
    let org = app
        .services
        .registry
        .public()
        .org(&credence_domain::OrgSlug::new("triadix").expect("a slug"))
        .await
        .expect("org");
    let tx = app.services.registry.store().read().await.expect("read");
    let stored = tx
        .awards_of_org(&org.id, Page::new(0, 10))
        .await
        .expect("awards");
    assert!(stored.is_empty(), "{} stored", stored.len());
}

/// Every award of every organisation, from the store.
async fn every_award(store: &Store) -> Vec<AwardRow> {
    let registry_orgs = {
        let tx = store.read().await.expect("read");
        tx.orgs().await.expect("organisations")
    };
    let tx = store.read().await.expect("read");
    let mut all = Vec::new();
    for org in registry_orgs {
        let mut offset = 0;
        loop {
            let page = tx
                .awards_of_org(&org.id, Page::new(offset, 500))
                .await
                .expect("awards");
            if page.is_empty() {
                break;
            }
            offset += page.len() as u64;
            all.extend(page);
        }
    }
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_credential_of_the_demo_world_validates_against_the_1edtech_schemas() {
    let db = Arc::new(TestDb::new().await);
    let app = TestApp::over(db.clone(), db.store().await).await;
    let operator = Actor::from_operator(&Operator::local_command_line())
        .operator()
        .expect("the operator");
    app.services
        .registry
        .with_operator(&operator)
        .seed_demo(|_| {})
        .await
        .expect("the demo world");
    let awards = every_award(app.services.registry.store()).await;
    let credentials: Vec<Value> = awards
        .iter()
        .map(|a| serde_json::from_str(&a.credential).expect("JSON"))
        .collect();
    let mut kinds = std::collections::BTreeSet::new();
    for c in &credentials {
        let t = c["type"].to_string();
        kinds.insert(t);
    }
    assert!(
        kinds.iter().any(|t| t.contains("OpenBadgeCredential"))
            && kinds.iter().any(|t| t.contains("EndorsementCredential")),
        "awards and accreditations: {kinds:?}"
    );
    // The one award of an achievement that opts in to suspension carries two entries, the
    // documented exception; every other credential validates strictly, in both validators.
    let verdicts = ajv(&credentials);
    let mut exceptions = 0;
    for ((award, credential), verdict) in awards.iter().zip(&credentials).zip(&verdicts) {
        if award.suspendable {
            exceptions += 1;
            assert!(credential["credentialStatus"].is_array());
            continue;
        }
        assert!(credential["credentialStatus"].is_object(), "{credential:#}");
        validate_credential(credential).unwrap_or_else(|e| panic!("{e}\n{credential:#}"));
        assert_eq!(verdict["valid"], true, "{verdict:#}\n{credential:#}");
    }
    assert_eq!(exceptions, 1, "only the demo's suspendable award");
}

/// What the W3C-CCG VC-API issuer suite sends: every malformed request is a 400 (not 401,
/// not 422), a well-formed one a 201 with the credential; status changes in the current
/// VC-API form (`statusPurpose` and a boolean `status`) work as well as the earlier one.
#[tokio::test]
async fn the_vc_api_answers_the_ccg_issuer_suite_as_it_expects() {
    let app = TestApp::new().await;
    let did = app.org("triadix", "provider", "key").await;
    let issuer = app.token("triadix", "issuer").await;
    let valid = json!({
        "@context": [V1],
        "type": ["VerifiableCredential"],
        "issuer": did,
        "issuanceDate": "2025-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:holder"}
    });
    let mut bodies: Vec<(String, Value)> = vec![(
        "verifiableCredential instead of credential".into(),
        json!({"verifiableCredential": valid}),
    )];
    let mut broken = |what: &str, field: &str, value: Option<Value>| {
        let mut c = valid.clone();
        match value {
            Some(v) => c[field] = v,
            None => {
                c.as_object_mut().map(|m| m.remove(field));
            }
        }
        bodies.push((what.to_owned(), json!({"credential": c})));
    };
    broken("no @context", "@context", None);
    broken("no type", "type", None);
    broken("no issuer", "issuer", None);
    broken("no credentialSubject", "credentialSubject", None);
    for bad in [json!(4), json!(false), json!(null), json!([])] {
        broken(&format!("@context {bad}"), "@context", Some(bad));
    }
    broken(
        "@context items",
        "@context",
        Some(json!([{"foo": true}, 4, false, null])),
    );
    for bad in [json!(null), json!(true), json!(4), json!([])] {
        broken(&format!("type {bad}"), "type", Some(bad.clone()));
        broken(&format!("issuer {bad}"), "issuer", Some(bad.clone()));
        broken(
            &format!("credentialSubject {bad}"),
            "credentialSubject",
            Some(bad),
        );
    }
    broken(
        "type items",
        "type",
        Some(json!([2, null, {"foo": true}, false])),
    );
    broken(
        "credentialSubject a string",
        "credentialSubject",
        Some(json!("did:example:1234")),
    );
    for (what, body) in bodies {
        let reply = issue(&app, &issuer, body).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{what}: {}",
            reply.body
        );
        assert_eq!(reply.header("content-type"), "application/problem+json");
    }
    // Accepted: an issuer object with its id, and VC 1.1's expirationDate.
    let mut as_object = valid.clone();
    as_object["issuer"] = json!({"id": did});
    let mut expiring = valid.clone();
    expiring["expirationDate"] = json!("2030-01-01T00:00:00Z");
    for c in [as_object, expiring] {
        let reply = issue(&app, &issuer, json!({"credential": c})).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        let vc = reply.json();
        assert!(vc["proof"].is_object() && vc["id"].is_string(), "{vc:#}");
    }

    // Status in the current VC-API form: suspend, lift, revoke; a revocation is final.
    let reply = issue(
        &app,
        &issuer,
        json!({"credential": valid, "options": {"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": ["revocation", "suspension"]}}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let id = reply.json()["id"].as_str().expect("id").to_owned();
    let change = |purpose: &str, set: bool| json!({"credentialId": id, "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": purpose}, "status": set});
    for (purpose, set, expected) in [
        ("suspension", true, "suspended"),
        ("suspension", false, "active"),
        ("revocation", true, "revoked"),
    ] {
        let reply = app
            .call(
                "POST",
                "/credentials/status",
                Some(change(purpose, set)),
                &issuer,
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.json()["status"], expected);
    }
    for body in [change("revocation", false), change("refresh", true)] {
        let reply = app
            .call("POST", "/credentials/status", Some(body), &issuer)
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    }
}
