//! The workforce view kept in the registry's memory: after a first view, every change to
//! what the view reads (evidence, accounts' archetypes, awards and their status, their
//! achievements' pathways, targets, affiliations and the affiliates' evidence and names,
//! the frameworks, the clock), made through the service or in SQL as another process
//! would, makes the next view differ from the last, and the kept view is always the one a
//! registry that never computed it reads from the database.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::affiliations::{admin_of, view};
use crate::forms::post_form;
use crate::registry_awards::account_id;
use crate::support::{Auth, TestApp};
use crate::teams::attest;
use crate::workforce::{exact, foundational, set_archetype};

const ORG: &str = "memo-trust";
const GP: &str = "memo-gp";
const REASON: &str = "Awarded in a test of the kept workforce view.";

/// Follows one scope of an organisation's view: the last view read.
struct Follow {
    org: &'static str,
    scope: &'static str,
    last: Value,
}

impl Follow {
    async fn new(app: &TestApp, org: &'static str, scope: &'static str, who: &Auth) -> Self {
        let last = view(app, org, scope, who).await;
        // Read twice: the second is the kept one.
        assert_eq!(view(app, org, scope, who).await, last);
        Self { org, scope, last }
    }

    /// After `what` changed: the view differs from the last one, is served the same again,
    /// and is what a registry with nothing kept computes from the same database.
    async fn changed(&mut self, app: &TestApp, who: &Auth, what: &str) {
        let now = view(app, self.org, self.scope, who).await;
        assert_ne!(now, self.last, "{what}: the view did not change");
        assert_eq!(view(app, self.org, self.scope, who).await, now, "{what}");
        let fresh = TestApp::over(app.db.clone(), app.db.store().await).await;
        assert_eq!(
            view(&fresh, self.org, self.scope, who).await,
            now,
            "{what}: another registry computes another view"
        );
        self.last = now;
    }
}

/// Runs `sql` on the test's database through a connection of its own, as another process.
async fn sql(app: &TestApp, sql: &str) {
    let conn = sea_orm::Database::connect(&app.db.url)
        .await
        .expect("connect");
    sea_orm::ConnectionTrait::execute_unprepared(&conn, sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    conn.close().await.expect("close");
}

/// The administrator of `org` signed in again (after the clock moved past the session).
async fn again(app: &TestApp, org: &str) -> Auth {
    app.sign_in(&format!("admin@{org}.test"), "correct horse battery staple")
        .await
}

/// `n` Users of `org` through the whole foundational pathway; their account ids.
async fn users(app: &TestApp, org: &str, tag: &str, n: usize) -> Vec<String> {
    let all = foundational();
    let items: Vec<(&str, &str)> = all.iter().map(|(s, l)| (s.as_str(), l.as_str())).collect();
    let mut ids = Vec::new();
    for i in 0..n {
        let who = app
            .holder(&format!("{tag}{i}@memo.test"), &format!("{tag} {i}"))
            .await;
        let id = account_id(app, &who).await;
        set_archetype(app, &id, "user").await;
        attest(app, &id, Some(org), &items).await;
        ids.push(id);
    }
    ids
}

/// An issuer of [`ORG`], a foundational achievement valid for 100 days and its awards to
/// user0 to user4@memo.test (overridden): the issuer, the achievement's id, the awards' ids.
async fn five_awards(app: &TestApp) -> (Auth, String, Vec<String>) {
    let issuer = app.token(ORG, "issuer").await;
    let made = app
        .call(
            "POST",
            &format!("/api/v1/orgs/{ORG}/achievements"),
            Some(json!({"pathway": "foundational", "validity_days": 100})),
            &issuer,
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let achievement = made.json()["uuid"].as_str().unwrap().to_owned();
    let mut awards = Vec::new();
    for i in 0..5 {
        let reply = app
            .call(
                "POST",
                &format!("/api/v1/orgs/{ORG}/awards"),
                Some(json!({"achievement": achievement, "email": format!("user{i}@memo.test"), "override_justification": REASON})),
                &issuer,
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        awards.push(reply.json()["award"]["id"].as_str().unwrap().to_owned());
    }
    (issuer, achievement, awards)
}

#[tokio::test]
async fn the_kept_view_follows_evidence_archetypes_awards_and_targets() {
    let app = TestApp::new().await;
    let admin = admin_of(&app, ORG).await;
    let ids = users(&app, ORG, "user", 10).await;
    let mut own = Follow::new(&app, ORG, "organisation", &admin).await;
    assert_eq!(own.last["people"], exact(10));

    // Evidence: attested through the store, then deleted in SQL.
    let newcomer = users(&app, ORG, "new", 1).await.remove(0);
    own.changed(&app, &admin, "evidence attested").await;
    sql(
        &app,
        &format!("DELETE FROM evidence WHERE holder_id = '{newcomer}'"),
    )
    .await;
    own.changed(&app, &admin, "evidence deleted in SQL").await;
    assert_eq!(own.last["people"], exact(10));

    // Archetypes: through the service, then back in SQL.
    set_archetype(&app, &ids[0], "embedder").await;
    own.changed(&app, &admin, "an archetype").await;
    sql(
        &app,
        &format!(
            "UPDATE accounts SET archetypes = 'user' WHERE id = '{}'",
            ids[0]
        ),
    )
    .await;
    own.changed(&app, &admin, "an archetype in SQL").await;

    // Awards: five, valid for 100 days; one revoked; the achievement's pathway in SQL.
    let (issuer, achievement, awards) = five_awards(&app).await;
    own.changed(&app, &admin, "five awards").await;
    assert_eq!(own.last["awards_held"][0]["people"], exact(5));
    let revoke = crate::registry_awards::revoke(&app, &issuer, &awards[0]).await;
    assert_eq!(revoke.status, StatusCode::OK, "{}", revoke.body);
    own.changed(&app, &admin, "an award revoked").await;
    sql(
        &app,
        &format!("UPDATE achievements SET pathway = 'advanced-user' WHERE id = '{achievement}'"),
    )
    .await;
    own.changed(&app, &admin, "an achievement's pathway in SQL")
        .await;

    // Targets: set through the console, then removed in SQL.
    let Auth::Session { csrf, .. } = &admin else {
        unreachable!()
    };
    let reply = post_form(
        &app,
        &format!("/console/{ORG}/workforce/targets"),
        &[
            ("csrf", csrf),
            ("archetype", "user"),
            ("pathway", "foundational"),
            ("percent", "80"),
            ("due", "2027-03"),
        ],
        &admin,
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    own.changed(&app, &admin, "a target").await;
    sql(&app, "DELETE FROM workforce_targets").await;
    own.changed(&app, &admin, "a target removed in SQL").await;
}

#[tokio::test]
async fn the_kept_view_follows_affiliations_names_frameworks_and_the_clock() {
    let app = TestApp::new().await;
    let admin = admin_of(&app, ORG).await;
    let gp = admin_of(&app, GP).await;
    users(&app, ORG, "user", 10).await;
    users(&app, GP, "gp", 5).await;
    let mut system = Follow::new(&app, ORG, "system", &admin).await;
    let mut own = Follow::new(&app, ORG, "organisation", &admin).await;
    assert_eq!(system.last["people"], exact(10));

    // An affiliation, accepted: both views change (the own view names its affiliates).
    let path = format!("/api/v1/orgs/{ORG}/affiliations");
    let reply = app
        .call("POST", &path, Some(json!({ "org": GP })), &admin)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let accept = format!("/api/v1/orgs/{GP}/affiliations/{ORG}/accept");
    assert_eq!(
        app.call("POST", &accept, None, &gp).await.status,
        StatusCode::OK
    );
    system
        .changed(&app, &admin, "an affiliation accepted")
        .await;
    own.changed(&app, &admin, "an affiliation accepted").await;
    assert_eq!(system.last["people"], exact(15));

    // The affiliate's evidence and name, as another process changes them.
    users(&app, GP, "more", 5).await;
    system
        .changed(&app, &admin, "an affiliate's evidence")
        .await;
    assert_eq!(system.last["people"], exact(20));
    sql(
        &app,
        &format!("UPDATE organisations SET name = 'Renamed practice' WHERE slug = '{GP}'"),
    )
    .await;
    system.changed(&app, &admin, "an affiliate's name").await;
    assert_eq!(system.last["covers"][1]["name"], "Renamed practice");

    // The affiliation ended.
    let end = format!("/api/v1/orgs/{ORG}/affiliations/{GP}");
    assert_eq!(
        app.call("DELETE", &end, None, &admin).await.status,
        StatusCode::NO_CONTENT
    );
    system.changed(&app, &admin, "an affiliation ended").await;

    // A framework changed: no count of the view changes, but what it is kept by does.
    let org_id = app
        .services
        .registry
        .public()
        .org(&credence_domain::OrgSlug::new(ORG).unwrap())
        .await
        .unwrap()
        .id;
    let stamp = |app: &TestApp| {
        let store = app.services.registry.store().clone();
        let org_id = org_id.clone();
        async move {
            let tx = store.read().await.unwrap();
            tx.workforce_changes(&org_id).await.unwrap()
        }
    };
    let before = stamp(&app).await;
    sql(&app, "UPDATE frameworks SET title = title || ' (revised)'").await;
    assert_ne!(stamp(&app).await, before, "a framework changed");

    // The clock: 40 days on, the months move (and so the view).
    app.services
        .registry
        .shift_clock(chrono::Duration::days(40));
    let admin = again(&app, ORG).await;
    let later = view(&app, ORG, "organisation", &admin).await;
    assert_ne!(later["months"], own.last["months"], "40 days later");
}

#[tokio::test]
async fn the_kept_view_counts_credentials_entering_their_expiring_window() {
    let app = TestApp::new().await;
    let admin = admin_of(&app, ORG).await;
    users(&app, ORG, "user", 5).await;
    five_awards(&app).await;
    let first = view(&app, ORG, "organisation", &admin).await;
    assert_eq!(first["awards_held"][0]["people"], exact(5));
    assert_ne!(first["expiring"], exact(5));
    // 11 days on, the five are within 90 days of their end; 101 days on, they have ended.
    let registry = &app.services.registry;
    registry.shift_clock(chrono::Duration::days(11));
    let admin = again(&app, ORG).await;
    assert_eq!(
        view(&app, ORG, "organisation", &admin).await["expiring"],
        exact(5)
    );
    registry.shift_clock(chrono::Duration::days(90));
    let admin = again(&app, ORG).await;
    let ended = view(&app, ORG, "organisation", &admin).await;
    assert_ne!(ended["expiring"], exact(5));
    assert_eq!(ended["awards_held"], json!([]));
}
