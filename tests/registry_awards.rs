//! Achievements and awards over HTTP: the completion check, overrides, idempotency, roles,
//! verification (signature, issuer, status, schema), revocation and suspension with the
//! status lists and their ETags, key rotation, did:key issuers, and bulk awards.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{json, Value};

use crate::support::{Auth, TestApp};

pub(crate) const FOUNDATIONAL: usize = 30;

/// The holder's account id.
pub(crate) async fn account_id(app: &TestApp, auth: &Auth) -> String {
    let me = app.call("GET", "/api/v1/me", None, auth).await;
    me.json()["id"].as_str().expect("an id").to_owned()
}

/// Gives a holder attested evidence at Understanding for the first `n` statements of the
/// foundational pathway (T1-01 ...), straight into the store.
pub async fn attest_foundational(app: &TestApp, holder_id: &str, n: usize) {
    let codes: Vec<String> = (1..=n).map(|i| format!("T1-{i:02}")).collect();
    let items: Vec<(&str, &str)> = codes
        .iter()
        .map(|c| (c.as_str(), "understanding"))
        .collect();
    crate::support::attest_evidence(app, holder_id, None, None, &items).await;
}

/// An organisation with an issuer (token) and a foundational achievement.
pub(crate) async fn issuer_setup(app: &TestApp, slug: &str, did_method: &str) -> (Auth, String) {
    app.org(slug, "provider", did_method).await;
    let issuer = app.token(slug, "issuer").await;
    let reply = app
        .call(
            "POST",
            &format!("/api/v1/orgs/{slug}/achievements"),
            Some(json!({"pathway": "foundational"})),
            &issuer,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let uuid = reply.json()["uuid"].as_str().expect("uuid").to_owned();
    (issuer, uuid)
}

/// A foundational achievement of `slug` whose awards can be suspended (two status
/// entries); returns its uuid.
pub(crate) async fn suspendable_achievement(app: &TestApp, slug: &str, issuer: &Auth) -> String {
    let reply = app
        .call(
            "POST",
            &format!("/api/v1/orgs/{slug}/achievements"),
            Some(json!({"pathway": "foundational", "suspendable": true, "name": "Foundational, suspendable"})),
            issuer,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.json()["suspendable"], true);
    reply.json()["uuid"].as_str().expect("uuid").to_owned()
}

pub(crate) async fn award(
    app: &TestApp,
    slug: &str,
    auth: &Auth,
    body: Value,
) -> crate::support::Reply {
    app.call(
        "POST",
        &format!("/api/v1/orgs/{slug}/awards"),
        Some(body),
        auth,
    )
    .await
}

pub(crate) async fn verify(app: &TestApp, credential: &Value) -> Value {
    let reply = app
        .call(
            "POST",
            "/api/v1/verify",
            Some(credential.clone()),
            &Auth::None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

pub(crate) fn outcome<'a>(report: &'a Value, code: &str) -> &'a str {
    report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["code"] == code)
        .and_then(|c| c["outcome"].as_str())
        .unwrap_or("absent")
}

/// Every check passed (or does not apply): no warning, nothing unknown.
pub(crate) fn assert_all_pass(report: &Value) {
    for check in report["checks"].as_array().expect("checks") {
        let o = check["outcome"].as_str().unwrap_or_default();
        assert!(
            o == "passed" || o == "not_applicable",
            "check {} is {o}: {report:#}",
            check["code"]
        );
    }
    for code in ["proof", "issuer", "status.revocation", "schema"] {
        assert_eq!(outcome(report, code), "passed", "{code}: {report:#}");
    }
    // Only credentials of achievements that opt in to suspension have a suspension entry.
    let suspension = outcome(report, "status.suspension");
    assert!(
        suspension == "passed" || suspension == "not_applicable",
        "status.suspension: {report:#}"
    );
}

async fn status_get(
    app: &TestApp,
    slug: &str,
    purpose: &str,
    etag: Option<&str>,
) -> crate::support::Reply {
    let mut request = Request::get(format!("/orgs/{slug}/status/{purpose}"));
    if let Some(etag) = etag {
        request = request.header("if-none-match", etag);
    }
    app.request(request.body(Body::empty()).expect("request"))
        .await
}

#[tokio::test]
async fn award_verify_revoke_and_status_lists() {
    let app = TestApp::new().await;
    let (issuer, achievement) = issuer_setup(&app, "linchester-ics", "web").await;
    let ada = app.holder("ada@example.org", "Ada").await;
    let ada_id = account_id(&app, &ada).await;
    attest_foundational(&app, &ada_id, FOUNDATIONAL).await;

    // The achievement is public, with its image.
    let list = app
        .call(
            "GET",
            "/api/v1/orgs/linchester-ics/achievements",
            None,
            &Auth::None,
        )
        .await;
    assert_eq!(list.json()["items"][0]["uuid"], achievement.as_str());
    let doc = app
        .get(
            &format!("/achievements/{achievement}"),
            "application/ld+json",
        )
        .await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(doc.json()["type"].to_string().contains("Achievement"));
    let image = app
        .get(&format!("/achievements/{achievement}/image.svg"), "*/*")
        .await;
    assert_eq!(image.status, StatusCode::OK);
    assert!(
        image.body.starts_with("<svg"),
        "{}",
        &image.body[..40.min(image.body.len())]
    );

    let reply = award(
        &app,
        "linchester-ics",
        &issuer,
        json!({"achievement": achievement, "email": "Ada@Example.org", "key": "k-1"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let body = reply.json();
    let award_id = body["award"]["id"].as_str().expect("id").to_owned();
    let credential = body["credential"].clone();
    // One status entry, revocation, as an object: what the Open Badges 3.0 schema allows.
    assert_eq!(
        credential["credentialStatus"]["statusPurpose"], "revocation",
        "{credential:#}"
    );
    // This award's achievement does not opt in to suspension: it can only be revoked.
    let cannot = app
        .call(
            "POST",
            &format!("/api/v1/awards/{award_id}/status"),
            Some(json!({"action": "suspend", "reason": "Under review."})),
            &issuer,
        )
        .await;
    assert_eq!(cannot.status, StatusCode::CONFLICT, "{}", cannot.body);
    assert!(cannot.body.contains("suspension"), "{}", cannot.body);

    assert_eq!(
        credential["evidence"].as_array().map(Vec::len),
        Some(FOUNDATIONAL)
    );
    assert_eq!(
        credential["credentialSubject"]["result"]
            .as_array()
            .map(Vec::len),
        Some(FOUNDATIONAL)
    );
    assert_all_pass(&verify(&app, &credential).await);

    // The same key again: the same award, 200.
    let again = award(
        &app,
        "linchester-ics",
        &issuer,
        json!({"achievement": achievement, "email": "ada@example.org", "key": "k-1"}),
    )
    .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.json()["award"]["id"], award_id.as_str());
    assert_eq!(again.json()["credential"], credential);

    // The credential is private: its holder and issuers see it exactly as signed.
    let path = format!("/credentials/{award_id}");
    assert_eq!(
        app.call("GET", &path, None, &Auth::None).await.status,
        StatusCode::NOT_FOUND
    );
    let mine = app.call("GET", &path, None, &ada).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(mine.json(), credential);
    let theirs = app.call("GET", &path, None, &issuer).await;
    assert_eq!(theirs.status, StatusCode::OK);
    let public = app
        .call(
            "PATCH",
            &format!("/api/v1/awards/{award_id}/visibility"),
            Some(json!({"public": true})),
            &ada,
        )
        .await;
    assert_eq!(public.status, StatusCode::OK, "{}", public.body);
    let open = app.call("GET", &path, None, &Auth::None).await;
    assert_eq!(open.status, StatusCode::OK);
    assert_eq!(open.json(), credential);
    let held = app.call("GET", "/api/v1/awards", None, &ada).await;
    assert_eq!(held.json()["items"][0]["id"], award_id.as_str());
    let listed = app
        .call(
            "GET",
            "/api/v1/orgs/linchester-ics/awards?limit=10",
            None,
            &issuer,
        )
        .await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.json()["items"].as_array().map(Vec::len), Some(1));

    // Status list with ETag and 304.
    let first = status_get(&app, "linchester-ics", "revocation", None).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header("content-type"), "application/vc+ld+json");
    let etag = first.header("etag").to_owned();
    assert!(etag.starts_with("\"v"), "{etag}");
    let cached = status_get(&app, "linchester-ics", "revocation", Some(&etag)).await;
    assert_eq!(cached.status, StatusCode::NOT_MODIFIED);

    // Revoke: a reason is needed, the list changes, the report says revoked.
    let no_reason = app
        .call(
            "POST",
            &format!("/api/v1/awards/{award_id}/status"),
            Some(json!({"action": "revoke", "reason": ""})),
            &issuer,
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let revoke = revoke(&app, &issuer, &award_id).await;
    assert_eq!(revoke.status, StatusCode::OK, "{}", revoke.body);
    assert_eq!(revoke.json()["status"], "revoked");
    let after = status_get(&app, "linchester-ics", "revocation", Some(&etag)).await;
    assert_eq!(after.status, StatusCode::OK);
    assert_ne!(after.header("etag"), etag);
    let report = verify(&app, &credential).await;
    assert_eq!(
        outcome(&report, "status.revocation"),
        "failed",
        "{report:#}"
    );
    // No suspension entry: the achievement does not opt in to suspension.
    assert_eq!(outcome(&report, "status.suspension"), "not_applicable");
    // A revoked award cannot change again.
    let again = app
        .call(
            "POST",
            &format!("/api/v1/awards/{award_id}/status"),
            Some(json!({"action": "reinstate", "reason": "Oops."})),
            &issuer,
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // Suspend and reinstate an award of an achievement that opts in: its credential has
    // both entries.
    let suspendable = suspendable_achievement(&app, "linchester-ics", &issuer).await;
    let bo = app.holder("bo@example.org", "Bo").await;
    attest_foundational(&app, &account_id(&app, &bo).await, FOUNDATIONAL).await;
    let second = award(
        &app,
        "linchester-ics",
        &issuer,
        json!({"achievement": suspendable, "email": "bo@example.org"}),
    )
    .await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);
    let second_id = second.json()["award"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let second_vc = second.json()["credential"].clone();
    let purposes: Vec<&str> = second_vc["credentialStatus"]
        .as_array()
        .expect("two status entries")
        .iter()
        .filter_map(|e| e["statusPurpose"].as_str())
        .collect();
    assert_eq!(purposes, ["revocation", "suspension"]);
    assert_eq!(second.json()["award"]["suspendable"], true);
    let status_path = format!("/api/v1/awards/{second_id}/status");
    let suspend = app
        .call(
            "POST",
            &status_path,
            Some(json!({"action": "suspend", "reason": "Under review."})),
            &issuer,
        )
        .await;
    assert_eq!(suspend.status, StatusCode::OK, "{}", suspend.body);
    let report = verify(&app, &second_vc).await;
    assert_eq!(
        outcome(&report, "status.suspension"),
        "failed",
        "{report:#}"
    );
    assert_eq!(outcome(&report, "status.revocation"), "passed");
    let twice = app
        .call(
            "POST",
            &status_path,
            Some(json!({"action": "suspend", "reason": "Again."})),
            &issuer,
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let reinstate = app
        .call(
            "POST",
            &status_path,
            Some(json!({"action": "reinstate", "reason": "Cleared."})),
            &issuer,
        )
        .await;
    assert_eq!(reinstate.status, StatusCode::OK);
    assert_all_pass(&verify(&app, &second_vc).await);

    // A tampered credential fails.
    let mut forged = second_vc.clone();
    forged["name"] = json!("Something else");
    assert_eq!(outcome(&verify(&app, &forged).await, "proof"), "failed");
}

/// Two registries (as two processes) over one database: the public status-list endpoint of
/// the one that did not revoke serves its list from memory for at most its recheck time,
/// then the new list; the one that revoked serves the new list at once.
#[tokio::test]
async fn status_lists_served_from_memory_catch_up_with_other_processes() {
    let here = TestApp::new().await;
    let recheck = std::time::Duration::from_millis(300);
    let there = TestApp::over_with(here.db.clone(), here.db.store().await, |base| {
        let mut config = credence_service::RegistryConfig::for_tests(base).expect("test settings");
        config.status_list_recheck = recheck;
        config
    })
    .await;
    let (issuer, achievement) = issuer_setup(&here, "linchester-ics", "web").await;
    here.holder("cy@example.org", "Cy").await;
    let justification = "Completed the equivalent programme at a partner trust in 2025.";
    let made = award(&here, "linchester-ics", &issuer, json!({"achievement": achievement, "email": "cy@example.org", "override_justification": justification})).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let award_id = made.json()["award"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();

    let etag = |reply: &crate::support::Reply| reply.header("etag").to_owned();
    let before_here = status_get(&here, "linchester-ics", "revocation", None).await;
    let before_there = status_get(&there, "linchester-ics", "revocation", None).await;
    assert_eq!(before_there.status, StatusCode::OK, "{}", before_there.body);
    assert_eq!(etag(&before_here), etag(&before_there));

    let revoke = revoke(&here, &issuer, &award_id).await;
    assert_eq!(revoke.status, StatusCode::OK, "{}", revoke.body);
    let revoked_at = std::time::Instant::now();
    // The process that revoked serves the new list at once.
    let after_here = status_get(&here, "linchester-ics", "revocation", None).await;
    assert_ne!(etag(&after_here), etag(&before_here));
    // The other catches up within its recheck time (with room for a slow machine).
    loop {
        let there_now = status_get(&there, "linchester-ics", "revocation", None).await;
        if etag(&there_now) == etag(&after_here) {
            assert_eq!(there_now.body, after_here.body);
            break;
        }
        assert_eq!(
            etag(&there_now),
            etag(&before_there),
            "only the old or the new list"
        );
        assert!(
            revoked_at.elapsed() < recheck * 10,
            "the other registry still serves the old list after {:?}",
            revoked_at.elapsed()
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Revokes the award `award_id` through the API, "Issued in error.", as `issuer`.
pub(crate) async fn revoke(app: &TestApp, issuer: &Auth, award_id: &str) -> crate::support::Reply {
    app.call(
        "POST",
        &format!("/api/v1/awards/{award_id}/status"),
        Some(json!({"action": "revoke", "reason": "Issued in error."})),
        issuer,
    )
    .await
}

/// Rotates the signing key of the organisation `slug`, as its administrator.
async fn rotate_key(app: &TestApp, slug: &str) {
    let org = app
        .services
        .registry
        .public()
        .org(&credence_domain::OrgSlug::new(slug).expect("a slug"))
        .await
        .expect("org");
    let admin =
        credence_service::Actor::from_operator(&credence_service::Operator::local_command_line())
            .org_admin(&org)
            .expect("admin");
    app.services
        .registry
        .with_org_admin(&admin)
        .rotate_key()
        .await
        .expect("rotate");
}

/// Verification through two registries (as two processes) over one database: what each
/// knows of an issuer is kept for its recheck time, but a status change made by the other
/// is seen at once (the list's stored version is read every time), a key rotated here is
/// known here at once, and one rotated by the other within the recheck time.
#[tokio::test]
async fn verification_never_misses_a_status_change_and_learns_new_keys() {
    let here = TestApp::new().await;
    let recheck = std::time::Duration::from_millis(300);
    // Two processes behind one public address, as several processes sharing a database are.
    let there = TestApp::over_with(here.db.clone(), here.db.store().await, |_| {
        let mut config =
            credence_service::RegistryConfig::for_tests(&here.base_url).expect("test settings");
        config.status_list_recheck = recheck;
        config
    })
    .await;
    let (issuer, achievement) = issuer_setup(&here, "webbed", "web").await;
    here.holder("cy@example.org", "Cy").await;
    let justification = "Completed the equivalent programme at a partner trust in 2025.";
    let credential_for = |email: &str| json!({"achievement": achievement, "email": email, "override_justification": justification});
    let made = award(&here, "webbed", &issuer, credential_for("cy@example.org")).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let vc = made.json()["credential"].clone();
    let award_id = made.json()["award"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    // Both know the issuer now (and keep what they read).
    assert_all_pass(&verify(&here, &vc).await);
    assert_all_pass(&verify(&there, &vc).await);

    let revoke = revoke(&here, &issuer, &award_id).await;
    assert_eq!(revoke.status, StatusCode::OK, "{}", revoke.body);
    for registry in [&here, &there] {
        let report = verify(registry, &vc).await;
        assert_eq!(
            outcome(&report, "status.revocation"),
            "failed",
            "{report:#}"
        );
    }

    // A key rotated through this registry: a credential signed with it verifies here at once.
    rotate_key(&here, "webbed").await;
    here.holder("dee@example.org", "Dee").await;
    let signed = award(&here, "webbed", &issuer, credential_for("dee@example.org")).await;
    assert_eq!(signed.status, StatusCode::CREATED, "{}", signed.body);
    let new_vc = signed.json()["credential"].clone();
    assert!(new_vc["proof"]["verificationMethod"]
        .as_str()
        .unwrap_or_default()
        .ends_with("#key-2"));
    assert_all_pass(&verify(&here, &new_vc).await);
    // The other registry learns the new key within its recheck time.
    let rotated_at = std::time::Instant::now();
    loop {
        let report = verify(&there, &new_vc).await;
        if outcome(&report, "proof") == "passed" {
            assert_all_pass(&report);
            break;
        }
        assert!(
            rotated_at.elapsed() < recheck * 10,
            "the other registry still does not know the new key after {:?}: {report:#}",
            rotated_at.elapsed()
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn incomplete_progress_override_roles_and_unknown_ids() {
    let app = TestApp::new().await;
    let (issuer, achievement) = issuer_setup(&app, "linchester-ics", "web").await;
    app.org("other-org", "provider", "web").await;
    let other_issuer = app.token("other-org", "issuer").await;
    let cy = app.holder("cy@example.org", "Cy").await;
    attest_foundational(&app, &account_id(&app, &cy).await, 10).await;

    // Incomplete: 422 naming what is missing.
    let refused = award(
        &app,
        "linchester-ics",
        &issuer,
        json!({"achievement": achievement, "email": "cy@example.org"}),
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("T1-11"), "{}", refused.body);
    assert!(refused.body.contains("10 of 30"), "{}", refused.body);
    // A short justification is refused too.
    let short = award(&app, "linchester-ics", &issuer, json!({"achievement": achievement, "email": "cy@example.org", "override_justification": "trust me"})).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    // With a justification: awarded and recorded.
    let justification = "Completed the equivalent programme at a partner trust in 2025.";
    let ok = award(&app, "linchester-ics", &issuer, json!({"achievement": achievement, "email": "cy@example.org", "override_justification": justification})).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    assert_eq!(ok.json()["award"]["override_justification"], justification);
    assert_all_pass(&verify(&app, &ok.json()["credential"]).await);
    let award_id = ok.json()["award"]["id"].as_str().expect("id").to_owned();
    let audit = app
        .services
        .registry
        .store()
        .read()
        .await
        .expect("tx")
        .audit_page(None, credence_service::Page::new(0, 50))
        .await
        .expect("audit");
    assert!(audit
        .iter()
        .any(|e| e.action == "award.issue" && e.detail.contains("partner trust")));

    // Roles.
    let body = json!({"achievement": achievement, "email": "cy@example.org", "override_justification": justification});
    assert_eq!(
        award(&app, "linchester-ics", &Auth::None, body.clone())
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        award(&app, "linchester-ics", &cy, body.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        award(&app, "linchester-ics", &other_issuer, body.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let create = app
        .call(
            "POST",
            "/api/v1/orgs/linchester-ics/achievements",
            Some(json!({"pathway": "foundational"})),
            &cy,
        )
        .await;
    assert_eq!(create.status, StatusCode::FORBIDDEN);
    let status_path = format!("/api/v1/awards/{award_id}/status");
    let revoke = json!({"action": "revoke", "reason": "No."});
    assert_eq!(
        app.call("POST", &status_path, Some(revoke.clone()), &other_issuer)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call("POST", &status_path, Some(revoke.clone()), &Auth::None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.call("POST", &status_path, Some(revoke.clone()), &cy)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call("GET", "/api/v1/orgs/linchester-ics/awards", None, &cy)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call("GET", "/api/v1/awards", None, &issuer)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Another org's issuer cannot award this org's achievement through its own org.
    let cross = award(&app, "other-org", &other_issuer, body.clone()).await;
    assert_eq!(
        cross.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        cross.body
    );

    // Unknown ids.
    let unknown = uuid::Uuid::new_v4();
    for path in [
        format!("/achievements/{unknown}"),
        format!("/achievements/{unknown}/image.svg"),
        format!("/credentials/{unknown}"),
        "/credentials/not-a-uuid".to_owned(),
        "/orgs/nowhere/status/revocation".to_owned(),
        "/orgs/linchester-ics/status/bogus".to_owned(),
    ] {
        assert_eq!(
            app.call("GET", &path, None, &issuer).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(
        app.call(
            "POST",
            &format!("/api/v1/awards/{unknown}/status"),
            Some(revoke.clone()),
            &issuer
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.call("GET", &format!("/api/v1/bulk/{unknown}"), None, &issuer)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let no_achievement = award(
        &app,
        "linchester-ics",
        &issuer,
        json!({"achievement": unknown.to_string(), "email": "cy@example.org"}),
    )
    .await;
    assert_eq!(no_achievement.status, StatusCode::UNPROCESSABLE_ENTITY);
    let no_account = award(
        &app,
        "linchester-ics",
        &issuer,
        json!({"achievement": achievement, "email": "nobody@example.org"}),
    )
    .await;
    assert_eq!(no_account.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad_pathway = app
        .call(
            "POST",
            "/api/v1/orgs/linchester-ics/achievements",
            Some(json!({"pathway": "no-such-pathway"})),
            &issuer,
        )
        .await;
    assert_eq!(bad_pathway.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn did_key_awards_and_key_rotation_still_verify() {
    let app = TestApp::new().await;
    let (key_issuer, key_achievement) = issuer_setup(&app, "keyed", "key").await;
    let (web_issuer, web_achievement) = issuer_setup(&app, "webbed", "web").await;
    let dee = app.holder("dee@example.org", "Dee").await;
    attest_foundational(&app, &account_id(&app, &dee).await, FOUNDATIONAL).await;

    let keyed = award(
        &app,
        "keyed",
        &key_issuer,
        json!({"achievement": key_achievement, "email": "dee@example.org"}),
    )
    .await;
    assert_eq!(keyed.status, StatusCode::CREATED, "{}", keyed.body);
    let keyed_vc = keyed.json()["credential"].clone();
    assert!(keyed_vc["issuer"]["id"]
        .as_str()
        .unwrap_or_default()
        .starts_with("did:key:"));
    assert_all_pass(&verify(&app, &keyed_vc).await);

    let old = award(
        &app,
        "webbed",
        &web_issuer,
        json!({"achievement": web_achievement, "email": "dee@example.org"}),
    )
    .await;
    assert_eq!(old.status, StatusCode::CREATED, "{}", old.body);
    let old_vc = old.json()["credential"].clone();
    rotate_key(&app, "webbed").await;
    // A new award is signed with the new key; the old one still verifies.
    let new = award(
        &app,
        "webbed",
        &web_issuer,
        json!({"achievement": web_achievement, "email": "dee@example.org"}),
    )
    .await;
    let new_vc = new.json()["credential"].clone();
    assert!(new_vc["proof"]["verificationMethod"]
        .as_str()
        .unwrap_or_default()
        .ends_with("#key-2"));
    assert!(old_vc["proof"]["verificationMethod"]
        .as_str()
        .unwrap_or_default()
        .ends_with("#key-1"));
    assert_all_pass(&verify(&app, &old_vc).await);
    assert_all_pass(&verify(&app, &new_vc).await);
}

fn bulk_csv(rows: usize) -> String {
    let mut csv = String::from("key,email,override_justification\n");
    for i in 0..rows {
        let (email, justification) = match i % 10 {
            // Complete holders.
            0..=5 => (format!("h{}@example.org", i % 3), String::new()),
            // Incomplete, justified.
            6 | 7 => (
                "inc@example.org".to_owned(),
                "Assessed in person by the course lead.".to_owned(),
            ),
            // Incomplete, unjustified: refused.
            8 => ("inc@example.org".to_owned(), String::new()),
            // No account and unjustified: refused (no evidence can be attested without one).
            _ => (format!("ghost{i}@example.org"), String::new()),
        };
        csv.push_str(&format!("row-{i},{email},{justification}\n"));
    }
    // A repeated key: refused by the parser.
    csv.push_str("row-0,h0@example.org,\n");
    csv
}

pub(crate) async fn wait_for(app: &TestApp, auth: &Auth, id: &str) -> Value {
    for _ in 0..600 {
        let job = app
            .call("GET", &format!("/api/v1/bulk/{id}"), None, auth)
            .await;
        assert_eq!(job.status, StatusCode::OK, "{}", job.body);
        let job = job.json();
        if job["state"] != "running" {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the bulk job did not finish");
}

pub(crate) async fn all_rows(app: &TestApp, auth: &Auth, id: &str) -> Vec<Value> {
    let mut rows = Vec::new();
    loop {
        let page = app
            .call(
                "GET",
                &format!("/api/v1/bulk/{id}/rows?offset={}&limit=500", rows.len()),
                None,
                auth,
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let items = page.json()["items"].as_array().cloned().unwrap_or_default();
        if items.is_empty() {
            return rows;
        }
        rows.extend(items);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_awards_report_every_row_and_rerun_makes_no_duplicates() {
    let app = TestApp::new().await;
    let (issuer, achievement) = issuer_setup(&app, "bulk-org", "web").await;
    for h in 0..3 {
        let auth = app.holder(&format!("h{h}@example.org"), "H").await;
        attest_foundational(&app, &account_id(&app, &auth).await, FOUNDATIONAL).await;
    }
    let inc = app.holder("inc@example.org", "Inc").await;
    attest_foundational(&app, &account_id(&app, &inc).await, 5).await;

    let csv = bulk_csv(1000);
    let send = |csv: String| {
        let request = Request::post(format!(
            "/api/v1/orgs/bulk-org/awards/bulk?achievement={achievement}&format=csv"
        ))
        .header("content-type", "text/csv");
        let Auth::Token(token) = &issuer else {
            panic!("a token")
        };
        request
            .header("authorization", format!("Bearer {token}"))
            .body(Body::from(csv))
            .expect("request")
    };
    let started = std::time::Instant::now();
    let reply = app.request(send(csv.clone())).await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    let job_id = reply.json()["id"].as_str().expect("id").to_owned();
    let job = wait_for(&app, &issuer, &job_id).await;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "bulk: 1001 rows in {seconds:.1} s ({:.0} rows/s)",
        1001.0 / seconds
    );
    assert_eq!(job["state"], "finished", "{job}");
    assert_eq!(job["total"], 1001);
    assert_eq!(job["done"], 1001);
    // Per 10 rows: 8 awarded (6 complete, 2 justified), 2 refused; plus the repeated key.
    assert_eq!(job["refused"], 201, "{job}");
    let rows = all_rows(&app, &issuer, &job_id).await;
    assert_eq!(rows.len(), 1001);
    let count = |o: &str| rows.iter().filter(|r| r["outcome"] == o).count();
    assert_eq!(count("awarded"), 800);
    assert_eq!(count("refused"), 201);
    let last = rows.last().expect("a last row");
    assert_eq!(last["outcome"], "refused");
    assert!(
        last["message"]
            .as_str()
            .unwrap_or_default()
            .contains("already used"),
        "{last}"
    );
    let row8 = rows.iter().find(|r| r["key"] == "row-8").expect("row-8");
    assert_eq!(row8["outcome"], "refused");
    assert!(
        row8["message"]
            .as_str()
            .unwrap_or_default()
            .contains("has not completed"),
        "{row8}"
    );
    let row9 = rows.iter().find(|r| r["key"] == "row-9").expect("row-9");
    assert!(
        row9["message"]
            .as_str()
            .unwrap_or_default()
            .contains("has not completed"),
        "{row9}"
    );

    // A bulk award verifies.
    let awarded = rows
        .iter()
        .find(|r| r["outcome"] == "awarded")
        .expect("one");
    let id = awarded["award_id"].as_str().expect("award id");
    let vc = app
        .call("GET", &format!("/credentials/{id}"), None, &issuer)
        .await
        .json();
    assert_all_pass(&verify(&app, &vc).await);

    // Rerun: nothing new.
    let reply = app.request(send(csv)).await;
    let rerun = reply.json()["id"].as_str().expect("id").to_owned();
    let job = wait_for(&app, &issuer, &rerun).await;
    assert_eq!(job["refused"], 201, "{job}");
    let rows = all_rows(&app, &issuer, &rerun).await;
    assert_eq!(
        rows.iter().filter(|r| r["outcome"] == "existing").count(),
        800
    );
    assert_eq!(rows.iter().filter(|r| r["outcome"] == "awarded").count(), 0);
    let listed = app
        .call(
            "GET",
            "/api/v1/orgs/bulk-org/awards?limit=500&offset=500",
            None,
            &issuer,
        )
        .await;
    assert_eq!(listed.json()["items"].as_array().map(Vec::len), Some(300));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_bulk_award_prints_a_summary_and_exits_2_on_refusals() {
    let app = TestApp::new().await;
    let (_, achievement) = issuer_setup(&app, "cli-org", "web").await;
    let eve = app.holder("eve@example.org", "Eve").await;
    attest_foundational(&app, &account_id(&app, &eve).await, FOUNDATIONAL).await;
    let dir = tempfile::tempdir().expect("a folder");
    let key_file = dir.path().join("master.key");
    std::fs::write(
        &key_file,
        app.services.registry.config().master_key.to_hex(),
    )
    .expect("write the master key");
    let key_path = key_file.to_string_lossy().into_owned();
    let env = [
        ("CREDENCE_DATABASE_URL", app.db.url.as_str()),
        ("CREDENCE_PUBLIC_URL", app.base_url.as_str()),
        ("CREDENCE_MASTER_KEY_FILE", key_path.as_str()),
    ];
    let run = |file: &str, text: &str| {
        std::fs::write(dir.path().join(file), text).expect("write the file");
        let args = [
            "award",
            "bulk",
            "--org",
            "cli-org",
            "--achievement",
            achievement.as_str(),
            file,
        ];
        crate::support::credence(dir.path(), &args, &env)
    };
    let out = tokio::task::block_in_place(|| run("ok.csv", "key,email\nc-1,eve@example.org\n"));
    assert!(out.status.success(), "{}", crate::support::stderr(&out));
    assert!(
        crate::support::stdout(&out).contains("1 rows, 1 processed, 0 refused"),
        "{}",
        crate::support::stdout(&out)
    );
    let out = tokio::task::block_in_place(|| {
        run(
            "mixed.csv",
            "key,email\nc-1,eve@example.org\nc-2,ghost@example.org\n",
        )
    });
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        crate::support::stderr(&out)
    );
    assert!(
        crate::support::stderr(&out).contains("row 2: ghost@example.org has not completed"),
        "{}",
        crate::support::stderr(&out)
    );
    // The CLI's award verifies in the server's registry.
    let held = app.call("GET", "/api/v1/awards", None, &eve).await.json();
    assert_eq!(held["items"].as_array().map(Vec::len), Some(1));
}

/// An id that cannot exist names no record: 404 with the record's name, never a 500, for
/// every kind of id a path carries (and an organisation's slug). No path carries a signing
/// key's id: keys are listed and rotated per organisation.
#[tokio::test]
async fn a_malformed_id_in_a_path_is_not_found() {
    let app = TestApp::new().await;
    let (issuer, _) = issuer_setup(&app, "ids-ics", "web").await;
    let admin = app.token("ids-ics", "admin").await;
    let holder = app.holder("ids-holder@example.org", "Ida Holder").await;
    let bad = "not-a-uuid%20'%3E";
    let some_evidence = uuid::Uuid::new_v4();
    for (method, path, noun, auth) in [
        (
            "GET",
            format!("/achievements/{bad}"),
            "achievement",
            &issuer,
        ),
        ("GET", format!("/credentials/{bad}"), "credential", &issuer),
        (
            "POST",
            format!("/api/v1/awards/{bad}/status"),
            "award",
            &issuer,
        ),
        (
            "DELETE",
            format!("/api/v1/orgs/ids-ics/tokens/{bad}"),
            "token",
            &admin,
        ),
        (
            "GET",
            format!("/api/v1/evidence/{bad}"),
            "evidence",
            &holder,
        ),
        (
            "GET",
            format!("/api/v1/evidence/{some_evidence}/attachments/{bad}"),
            "attachment",
            &holder,
        ),
        ("GET", format!("/api/v1/orgs/{bad}"), "organisation", &admin),
        (
            "GET",
            format!("/api/v1/orgs/{bad}/keys"),
            "organisation",
            &admin,
        ),
        (
            "DELETE",
            format!("/api/v1/orgs/ids-ics/members/{bad}/issuer"),
            "account",
            &admin,
        ),
    ] {
        let body =
            (method == "POST").then(|| json!({"action": "revoke", "reason": "Checking ids."}));
        let reply = app.call(method, &path, body, auth).await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{method} {path}: {}",
            reply.body
        );
        assert!(reply.body.contains(noun), "{method} {path}: {}", reply.body);
    }
}
