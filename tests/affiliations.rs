//! Affiliations and the system's workforce view (an integrated care system's, across the
//! organisations affiliated to it): proposing, accepting and ending; the view counts each
//! person once, from the evidence any of the organisations attested, against
//! hand-computed counts; no count of the system's view differs from one of the
//! organisation's own by a small number; bad requests; the page; and the database's own
//! per-person summary of attested levels staying equal to the evidence through inserts,
//! updates and deletes.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::registry_awards::account_id;
use crate::support::{Auth, TestApp};
use crate::teams::attest;
use crate::workforce::{
    archetype, exact, foundational, nothing_small_can_be_derived, set_archetype,
};

const SYS: &str = "aff-ics";
const GP: &str = "aff-gp";
const SMALL: &str = "aff-small";

/// A User whose first `statements` foundational statements each of `by` attested.
async fn user(app: &TestApp, email: &str, statements: usize, by: &[&str]) -> String {
    let all = foundational();
    let items: Vec<(&str, &str)> = all
        .iter()
        .take(statements)
        .map(|(s, l)| (s.as_str(), l.as_str()))
        .collect();
    let who = app.holder(email, email).await;
    let id = account_id(app, &who).await;
    set_archetype(app, &id, "user").await;
    for org in by {
        attest(app, &id, Some(org), &items).await;
    }
    id
}

/// An administrator of a new healthcare organisation `org`.
pub(crate) async fn admin_of(app: &TestApp, org: &str) -> Auth {
    app.org(org, "healthcare-setting", "key").await;
    let email = format!("admin@{org}.test");
    let auth = app.holder(&email, &format!("Admin of {org}")).await;
    app.grant(org, &email, "admin").await;
    auth
}

/// One scope of an organisation's workforce view, as JSON.
pub(crate) async fn view(app: &TestApp, org: &str, scope: &str, who: &Auth) -> Value {
    let reply = app
        .call(
            "GET",
            &format!("/api/v1/orgs/{org}/workforce?scope={scope}"),
            None,
            who,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

/// No exact count of the system's view and the matching one of the organisation's own
/// differ by 1 to 4 (the system's people include the organisation's).
fn nothing_small_between(own: &Value, system: &Value) {
    let pairs = [
        (&own["people"], &system["people"]),
        (
            &archetype(own, "user")["people"],
            &archetype(system, "user")["people"],
        ),
        (
            &own["heatmaps"][0]["complete"],
            &system["heatmaps"][0]["complete"],
        ),
    ];
    for (a, b) in pairs {
        if a["shown"] == "exact" && b["shown"] == "exact" {
            let d = b["value"].as_u64().unwrap() - a["value"].as_u64().unwrap();
            assert!(d == 0 || d >= 5, "{own} / {system}: differ by {d}");
        }
    }
}

async fn drift(app: &TestApp, org: &str) -> u64 {
    let id = app
        .services
        .registry
        .public()
        .org(&credence_domain::OrgSlug::new(org).unwrap())
        .await
        .unwrap()
        .id;
    let store = app.services.registry.store();
    let tx = store.read().await.unwrap();
    tx.evidence_levels_drift(&id).await.unwrap()
}

#[tokio::test]
async fn a_system_sees_its_affiliates_people_once_they_accept_and_not_after() {
    let app = TestApp::new().await;
    let sys = admin_of(&app, SYS).await;
    let gp = admin_of(&app, GP).await;
    let all = foundational().len();
    // The system: 10 Users through the foundational pathway. The practice: 6 more, and
    // two of the system's people partly attested by it too (counted once).
    let mut ours = Vec::new();
    for i in 0..10 {
        ours.push(user(&app, &format!("ics{i}@aff.test"), all, &[SYS]).await);
    }
    for i in 0..6 {
        user(&app, &format!("gp{i}@aff.test"), all, &[GP]).await;
    }
    for id in &ours[..2] {
        let items: Vec<(String, String)> = foundational().into_iter().take(5).collect();
        let items: Vec<(&str, &str)> = items
            .iter()
            .map(|(s, l)| (s.as_str(), l.as_str()))
            .collect();
        attest(&app, id, Some(GP), &items).await;
    }

    let alone = view(&app, SYS, "system", &sys).await;
    assert_eq!(
        (alone["affiliates"].as_u64(), alone["scope"].as_str()),
        (Some(0), Some("system"))
    );
    assert_eq!(alone["people"], exact(10));

    // Proposals: to itself, to nobody, twice.
    let propose = |org: &str| json!({ "org": org });
    let path = format!("/api/v1/orgs/{SYS}/affiliations");
    let reply = app.call("POST", &path, Some(propose(GP)), &sys).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.json()["state"], "invited");
    for (body, status) in [
        (propose(GP), StatusCode::CONFLICT),
        (propose(SYS), StatusCode::UNPROCESSABLE_ENTITY),
        (propose("no-such-org"), StatusCode::NOT_FOUND),
        (
            json!({"org": GP, "extra": 1}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let reply = app.call("POST", &path, Some(body.clone()), &sys).await;
        assert_eq!(reply.status, status, "{body}: {}", reply.body);
        assert!(reply
            .header("content-type")
            .starts_with("application/problem+json"));
    }
    // The practice's administrators see it waiting; the proposal alone counts nobody.
    let theirs = app
        .call("GET", &format!("/api/v1/orgs/{GP}/affiliations"), None, &gp)
        .await
        .json();
    assert_eq!(theirs["systems"][0]["org"], SYS);
    assert_eq!(theirs["systems"][0]["state"], "invited");
    // They are told, with a link to where they decide.
    let told = app.get_page("/notifications", &gp).await;
    assert!(
        told.contains(&format!(
            "Organisation {SYS} asks Organisation {GP} to affiliate"
        )) && told.contains(&format!("/console/{GP}/affiliations")),
        "{told}"
    );
    assert_eq!(view(&app, SYS, "system", &sys).await["affiliates"], 0);
    // Only the practice accepts; the system cannot accept for it.
    let accept = format!("/api/v1/orgs/{GP}/affiliations/{SYS}/accept");
    assert_eq!(
        app.call("POST", &accept, None, &sys).await.status,
        StatusCode::FORBIDDEN
    );
    let reply = app.call("POST", &accept, None, &gp).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json()["state"], "accepted");

    // Hand-computed: 10 + 6 people (the two counted once), all Users, all complete.
    let system = view(&app, SYS, "system", &sys).await;
    let own = view(&app, SYS, "organisation", &sys).await;
    assert_eq!(system["people"], exact(16), "{system:#}");
    assert_eq!(system["covers"].as_array().unwrap().len(), 2);
    assert_eq!(archetype(&system, "user")["people"], exact(16));
    assert_eq!(system["heatmaps"][0]["complete"], exact(16));
    assert_eq!(own["people"], exact(10));
    assert_eq!(own["affiliates"], 1);
    assert_eq!(own["covers"].as_array().unwrap().len(), 1);
    nothing_small_can_be_derived(&system);
    nothing_small_can_be_derived(&own);
    nothing_small_between(&own, &system);
    // The practice's own view is its own: its 6 and the two partly attested.
    assert_eq!(
        view(&app, GP, "organisation", &gp).await["people"],
        exact(8)
    );
    // The practice's administrators do not see the system's views.
    let reply = app
        .call(
            "GET",
            &format!("/api/v1/orgs/{SYS}/workforce?scope=system"),
            None,
            &gp,
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let bad = app
        .call(
            "GET",
            &format!("/api/v1/orgs/{SYS}/workforce?scope=everyone"),
            None,
            &sys,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);

    // The practice ends it; a small practice of 3 accepts instead: 13 against 10 would
    // count those 3, so one of the two is withheld.
    let end = format!("/api/v1/orgs/{GP}/affiliations/{SYS}");
    assert_eq!(
        app.call("DELETE", &end, None, &gp).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.call("DELETE", &end, None, &gp).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(view(&app, SYS, "system", &sys).await["people"], exact(10));
    let small = admin_of(&app, SMALL).await;
    for i in 0..3 {
        user(&app, &format!("small{i}@aff.test"), all, &[SMALL]).await;
    }
    let reply = app.call("POST", &path, Some(propose(SMALL)), &sys).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let accept = format!("/api/v1/orgs/{SMALL}/affiliations/{SYS}/accept");
    assert_eq!(
        app.call("POST", &accept, None, &small).await.status,
        StatusCode::OK
    );
    let system = view(&app, SYS, "system", &sys).await;
    let own = view(&app, SYS, "organisation", &sys).await;
    assert!(
        system["people"]["shown"] != "exact" || own["people"]["shown"] != "exact",
        "{} and {}",
        system["people"],
        own["people"]
    );
    nothing_small_can_be_derived(&system);
    nothing_small_between(&own, &system);
    assert!(!system.to_string().contains("@aff.test"), "no names");
}

#[tokio::test]
async fn the_affiliations_page_and_the_system_view_page() {
    let app = TestApp::new().await;
    let sys = admin_of(&app, SYS).await;
    let gp = admin_of(&app, GP).await;
    for i in 0..5 {
        user(&app, &format!("p{i}@aff.test"), 3, &[SYS, GP]).await;
    }
    let Auth::Session { csrf, .. } = &sys else {
        panic!("a session")
    };
    let reply = crate::forms::post_form(
        &app,
        &format!("/console/{SYS}/affiliations"),
        &[("csrf", csrf), ("org", "not a slug")],
        &sys,
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("org-error"), "{}", reply.body);
    let reply = crate::forms::post_form(
        &app,
        &format!("/console/{SYS}/affiliations"),
        &[("csrf", csrf), ("org", GP)],
        &sys,
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let page = app
        .get_page(&format!("/console/{GP}/affiliations"), &gp)
        .await;
    assert!(
        page.contains(&format!("/console/{GP}/affiliations/{SYS}/accept")),
        "{page}"
    );
    let Auth::Session { csrf: gp_csrf, .. } = &gp else {
        panic!("a session")
    };
    let reply = crate::forms::post_form(
        &app,
        &format!("/console/{GP}/affiliations/{SYS}/accept"),
        &[("csrf", gp_csrf)],
        &gp,
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let page = app
        .get_page(&format!("/console/{SYS}/workforce?scope=system"), &sys)
        .await;
    assert!(
        page.contains("Across the system (2 organisations)"),
        "{page}"
    );
    assert!(page.contains("workforce.csv?scope=system"));
    let page = app
        .get_page(&format!("/console/{SYS}/affiliations"), &sys)
        .await;
    assert!(page.contains(&format!("Organisation {GP}")) && page.contains("End the affiliation"));

    // The database's summary of attested levels follows every change to the evidence.
    for org in [SYS, GP] {
        assert_eq!(drift(&app, org).await, 0, "{org}");
    }
    let store = app.services.registry.store();
    let p0 = app
        .sign_in("p0@aff.test", "correct horse battery staple")
        .await;
    let holder = account_id(&app, &p0).await;
    let tx = store.write().await.unwrap();
    let rows = tx
        .evidence_of_holder(
            &holder.parse().unwrap(),
            credence_service::Page {
                offset: 0,
                limit: 50,
            },
        )
        .await
        .unwrap();
    let mut first = rows[0].clone();
    first.status = "rejected".parse().unwrap();
    tx.update_evidence(first).await.unwrap();
    let mut moved = rows[1].clone();
    moved.org_id = None;
    tx.update_evidence(moved).await.unwrap();
    tx.delete_evidence(&rows[2].id).await.unwrap();
    tx.commit().await.unwrap();
    for org in [SYS, GP] {
        assert_eq!(drift(&app, org).await, 0, "{org} after the changes");
    }
    // Two transactions attesting evidence for one person at once (on PostgreSQL they
    // overlap; the second waits for the first and reads what it committed).
    let items = foundational();
    let (left, right) = items.split_at(items.len() / 2);
    let as_refs = |v: &[(String, String)]| -> Vec<(String, String)> { v.to_vec() };
    let (left, right) = (as_refs(left), as_refs(right));
    let one = async {
        let l: Vec<(&str, &str)> = left.iter().map(|(s, l)| (s.as_str(), l.as_str())).collect();
        attest(&app, &holder, Some(GP), &l).await
    };
    let two = async {
        let r: Vec<(&str, &str)> = right
            .iter()
            .map(|(s, l)| (s.as_str(), l.as_str()))
            .collect();
        attest(&app, &holder, Some(GP), &r).await
    };
    tokio::join!(one, two);
    assert_eq!(drift(&app, GP).await, 0, "after two at once");
}
