//! AI products and version-bound training (issue 19): registering products and versions
//! (bad input names its field and writes nothing), answers from the right sites only, the
//! dossier public or organisation-only, the version rule for product-specific awards, the
//! refresher rule, and small-number suppression on the dossier's coverage.

use axum::http::StatusCode;
use credence_domain::{bundled, Framework};
use serde_json::{json, Value};

use crate::registry_awards::{account_id, attest_foundational, award};
use crate::support::{Auth, TestApp};

const FRAMEWORK: &str = "nhs-ai-confidence-2022";

/// The product-specific pathway's statements that name a level, with their levels.
fn product_statements() -> Vec<(String, String)> {
    let framework = Framework::from_json(bundled::NHS_AI_CONFIDENCE_2022.as_bytes()).unwrap();
    let pathway = "product-specific".parse().unwrap();
    framework
        .pathway_statements(&pathway)
        .filter_map(|s| Some((s.code.to_string(), s.level.as_ref()?.to_string())))
        .collect()
}

/// Attested evidence of every product-specific statement, straight into the store, gained
/// on `version` (none: naming no version), submitted to `org`.
async fn attest_product(app: &TestApp, holder_id: &str, version: Option<&str>, org: &str) {
    let statements = product_statements();
    let items: Vec<(&str, &str)> = statements
        .iter()
        .map(|(code, level)| (code.as_str(), level.as_str()))
        .collect();
    crate::support::attest_evidence(app, holder_id, Some(org), version, &items).await;
}

/// The organisations and callers of these tests: `maker` registers the product, `site-a`
/// buys and deploys it, `site-b` deploys it, `site-c` has nothing to do with it.
struct Setup {
    app: TestApp,
    maker_admin: Auth,
    maker_issuer: Auth,
    site_a_admin: Auth,
    site_a_assessor: Auth,
    site_b_admin: Auth,
    site_c_admin: Auth,
}

async fn setup() -> Setup {
    let app = TestApp::new().await;
    app.org("maker", "provider", "web").await;
    app.org("site-a", "healthcare-setting", "web").await;
    app.org("site-b", "healthcare-setting", "web").await;
    app.org("site-c", "healthcare-setting", "web").await;
    let mut admins = Vec::new();
    for org in ["maker", "site-a", "site-b", "site-c"] {
        let email = format!("admin@{org}.example");
        let auth = app.holder(&email, &format!("Admin of {org}")).await;
        app.grant(org, &email, "admin").await;
        admins.push(auth);
    }
    let maker_issuer = app.holder("issuer@maker.example", "Issuer of maker").await;
    app.grant("maker", "issuer@maker.example", "issuer").await;
    let site_a_assessor = app
        .holder("assessor@site-a.example", "Assessor of site-a")
        .await;
    app.grant("site-a", "assessor@site-a.example", "assessor")
        .await;
    let mut admins = admins.into_iter();
    Setup {
        maker_admin: admins.next().unwrap(),
        site_a_admin: admins.next().unwrap(),
        site_b_admin: admins.next().unwrap(),
        site_c_admin: admins.next().unwrap(),
        maker_issuer,
        site_a_assessor,
        app,
    }
}

fn product_body(name: &str, public: bool) -> Value {
    json!({
        "name": name,
        "manufacturer": "Maker Ltd",
        "intended_use": "Prioritising chest X-rays for review by radiologists.",
        "regulatory_class": "Class IIa",
        "marking": "UKCA",
        "public": public,
        "sites": [
            {"org": "site-a", "procures": true, "deploys": true},
            {"org": "site-b", "procures": false, "deploys": true},
            {"name": "Maker's own test lab", "deploys": false}
        ]
    })
}

/// Registers a product with one version; returns the product's and the version's ids.
async fn product_with_version(s: &Setup, public: bool) -> (String, String) {
    let reply = s
        .app
        .call(
            "POST",
            "/api/v1/orgs/maker/products",
            Some(product_body("tri-X", public)),
            &s.maker_admin,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let id = reply.json()["id"].as_str().unwrap().to_owned();
    let version = add_version(s, &id, "1.0").await;
    (id, version)
}

async fn add_version(s: &Setup, id: &str, version: &str) -> String {
    let reply = s
        .app
        .call(
            "POST",
            &format!("/api/v1/orgs/maker/products/{id}/versions"),
            Some(json!({"version": version, "released_on": "2025-06-02", "deployed_from": "2025-07-01"})),
            &s.maker_admin,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let versions = reply.json()["versions"].as_array().unwrap().clone();
    let last = versions.last().unwrap();
    assert_eq!(last["version"], version);
    assert_eq!(last["current"], true);
    last["id"].as_str().unwrap().to_owned()
}

fn pointers(reply: &crate::support::Reply) -> Vec<String> {
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

async fn dossier(
    app: &TestApp,
    id: &str,
    version: Option<&str>,
    auth: &Auth,
) -> crate::support::Reply {
    let query = version.map(|v| format!("?version={v}")).unwrap_or_default();
    app.call("GET", &format!("/api/v1/products/{id}{query}"), None, auth)
        .await
}

#[tokio::test]
async fn products_and_versions_are_registered_and_bad_input_names_its_field_and_writes_nothing() {
    let s = setup().await;
    let app = &s.app;
    let (id, _) = product_with_version(&s, true).await;
    let listed = app
        .call("GET", "/api/v1/orgs/maker/products", None, &Auth::None)
        .await;
    let product = &listed.json()["items"][0];
    assert_eq!(product["name"], "tri-X");
    assert_eq!(product["regulatory_class"], "Class IIa");
    assert_eq!(product["marking"], "UKCA");
    assert_eq!(product["sites"][0]["org"], "site-a");
    assert_eq!(product["sites"][2]["name"], "Maker's own test lab");
    assert_eq!(product["versions"][0]["released_on"], "2025-06-02");

    // Every bad field is named, and nothing is written.
    let mut bad = product_body("", true);
    bad["sites"] = json!([{"org": "no-such-org"}, {}]);
    bad["marking"] = json!("x".repeat(300));
    let refused = app
        .call(
            "POST",
            "/api/v1/orgs/maker/products",
            Some(bad),
            &s.maker_admin,
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.header("content-type"), "application/problem+json");
    let named = pointers(&refused);
    for pointer in ["/name", "/marking", "/sites/0/org", "/sites/1/org"] {
        assert!(
            named.contains(&pointer.to_owned()),
            "{pointer} in {named:?}"
        );
    }
    let twice = app
        .call(
            "POST",
            "/api/v1/orgs/maker/products",
            Some(product_body("tri-X", true)),
            &s.maker_admin,
        )
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(pointers(&twice), vec!["/name".to_owned()]);
    let path = format!("/api/v1/orgs/maker/products/{id}/versions");
    let bad_date = app
        .call(
            "POST",
            &path,
            Some(json!({"version": "2.0", "released_on": "2 June"})),
            &s.maker_admin,
        )
        .await;
    assert_eq!(bad_date.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(pointers(&bad_date), vec!["/released_on".to_owned()]);
    let same = app
        .call(
            "POST",
            &path,
            Some(json!({"version": "1.0"})),
            &s.maker_admin,
        )
        .await;
    assert_eq!(pointers(&same), vec!["/version".to_owned()]);
    let listed = app
        .call("GET", "/api/v1/orgs/maker/products", None, &Auth::None)
        .await;
    assert_eq!(listed.json()["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        listed.json()["items"][0]["versions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Only the maker's admins register and edit.
    for (auth, status) in [
        (&Auth::None, StatusCode::UNAUTHORIZED),
        (&s.maker_issuer, StatusCode::FORBIDDEN),
        (&s.site_a_admin, StatusCode::FORBIDDEN),
    ] {
        let reply = app
            .call(
                "POST",
                "/api/v1/orgs/maker/products",
                Some(product_body("Other", true)),
                auth,
            )
            .await;
        assert_eq!(reply.status, status, "{}", reply.body);
        let reply = app
            .call("POST", &path, Some(json!({"version": "9"})), auth)
            .await;
        assert_eq!(reply.status, status, "{}", reply.body);
    }
    // Another organisation's admin cannot reach the product through their own slug.
    let elsewhere = app
        .call(
            "POST",
            &format!("/api/v1/orgs/site-a/products/{id}/versions"),
            Some(json!({"version": "9"})),
            &s.site_a_admin,
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    let mut edited = product_body("tri-X", false);
    edited["intended_use"] = json!("Triage of chest X-rays.");
    let reply = app
        .call(
            "PUT",
            &format!("/api/v1/orgs/maker/products/{id}"),
            Some(edited),
            &s.maker_admin,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json()["intended_use"], "Triage of chest X-rays.");
    assert_eq!(reply.json()["public"], false);
}

#[tokio::test]
async fn questions_are_answered_by_the_buying_and_deploying_sites_only_and_answers_keep_history() {
    let s = setup().await;
    let app = &s.app;
    let (id, version) = product_with_version(&s, true).await;
    let path = format!("/api/v1/products/{id}/versions/{version}/answers");
    let answer = |org: &str, question: &str| json!({"org": org, "question": question, "answer": format!("{org} answers {question}."), "links": ["https://example.org/evidence/1"]});
    let cases = [
        (
            &s.site_a_admin,
            answer("site-a", "A3-01"),
            StatusCode::CREATED,
        ),
        (
            &s.site_a_admin,
            answer("site-a", "A6-01"),
            StatusCode::CREATED,
        ),
        // site-b deploys but does not buy.
        (
            &s.site_b_admin,
            answer("site-b", "A3-01"),
            StatusCode::FORBIDDEN,
        ),
        (
            &s.site_b_admin,
            answer("site-b", "A6-01"),
            StatusCode::CREATED,
        ),
        // site-c is no site of the product; the maker is none either.
        (
            &s.site_c_admin,
            answer("site-c", "A6-01"),
            StatusCode::FORBIDDEN,
        ),
        (
            &s.maker_admin,
            answer("maker", "A3-01"),
            StatusCode::FORBIDDEN,
        ),
        // An admin answers only for an organisation they administer.
        (
            &s.site_b_admin,
            answer("site-a", "A3-02"),
            StatusCode::FORBIDDEN,
        ),
        (
            &s.site_a_assessor,
            answer("site-a", "A3-02"),
            StatusCode::FORBIDDEN,
        ),
        (
            &Auth::None,
            answer("site-a", "A3-02"),
            StatusCode::UNAUTHORIZED,
        ),
    ];
    for (auth, body, status) in cases {
        let reply = app.call("POST", &path, Some(body.clone()), auth).await;
        assert_eq!(reply.status, status, "{body}: {}", reply.body);
    }
    let refused = app
        .call(
            "POST",
            &path,
            Some(json!({"org": "site-a", "question": "A9-99", "answer": " ", "links": ["ftp://example.org/x", "https://example.org/ok"]})),
            &s.site_a_admin,
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(pointers(&refused), vec!["/question", "/answer", "/links/0"]);
    // Answering again replaces the answer and keeps the earlier one as history.
    let again = app
        .call("POST", &path, Some(json!({"org": "site-a", "question": "A3-01", "answer": "Re-checked for this version."})), &s.site_a_admin)
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    assert_eq!(again.json()["earlier"], 1);
    assert_eq!(again.json()["answered_by"], "Admin of site-a");

    let d = dossier(app, &id, None, &Auth::None).await.json();
    let sets = d["question_sets"].as_array().unwrap();
    assert_eq!(sets[0]["code"], "driver-procurement");
    assert_eq!(sets[0]["questions"].as_array().unwrap().len(), 40);
    assert_eq!(sets[1]["questions"].as_array().unwrap().len(), 25);
    assert_eq!(sets[0]["answered"], 1);
    assert_eq!(sets[1]["answered"], 1);
    let a3_01 = &sets[0]["questions"][0];
    assert_eq!(a3_01["answers"].as_array().unwrap().len(), 1);
    assert_eq!(
        a3_01["answers"][0]["answer"],
        "Re-checked for this version."
    );
    assert_eq!(a3_01["answers"][0]["earlier"], 1);
    let a6_01 = &sets[1]["questions"][0];
    assert_eq!(
        a6_01["answers"].as_array().unwrap().len(),
        2,
        "site-a's and site-b's"
    );
    assert_eq!(
        a6_01["answers"][0]["links"][0],
        "https://example.org/evidence/1"
    );
    // A new version starts without answers; the earlier version keeps its own.
    let v2 = add_version(&s, &id, "2.0").await;
    let current = dossier(app, &id, None, &Auth::None).await.json();
    assert_eq!(current["version"]["id"], v2.as_str());
    assert_eq!(current["question_sets"][0]["answered"], 0);
    let earlier = dossier(app, &id, Some(&version), &Auth::None).await.json();
    assert_eq!(earlier["question_sets"][0]["answered"], 1);
    assert_eq!(earlier["version"]["current"], false);
}

#[tokio::test]
async fn a_private_dossier_is_not_found_for_anyone_outside_its_organisations() {
    let s = setup().await;
    let app = &s.app;
    let (id, _) = product_with_version(&s, false).await;
    let outsider = app.holder("someone@example.org", "Someone").await;
    for (who, auth, status) in [
        ("anonymous", &Auth::None, StatusCode::NOT_FOUND),
        ("a holder", &outsider, StatusCode::NOT_FOUND),
        ("site-c's admin", &s.site_c_admin, StatusCode::NOT_FOUND),
        ("the maker's issuer", &s.maker_issuer, StatusCode::OK),
        ("site-a's assessor", &s.site_a_assessor, StatusCode::OK),
        ("site-b's admin", &s.site_b_admin, StatusCode::OK),
    ] {
        assert_eq!(dossier(app, &id, None, auth).await.status, status, "{who}");
    }
    let page = app.get(&format!("/products/{id}"), "text/html").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let listed = app
        .call("GET", "/api/v1/orgs/maker/products", None, &Auth::None)
        .await;
    assert!(listed.json()["items"].as_array().unwrap().is_empty());
    // Made public by its organisation: anyone reads it, as a page too.
    let reply = app
        .call(
            "PUT",
            &format!("/api/v1/orgs/maker/products/{id}"),
            Some(product_body("tri-X", true)),
            &s.maker_admin,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        dossier(app, &id, None, &Auth::None).await.status,
        StatusCode::OK
    );
    let page = app.get(&format!("/products/{id}"), "text/html").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("tri-X 1.0"), "{}", page.body);
    assert!(page.body.contains("line 979") && page.body.contains("line 1203"));
    // A malformed or unknown id or version is not found.
    assert_eq!(
        dossier(app, "nope", None, &Auth::None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        dossier(app, &id, Some("nope"), &Auth::None).await.status,
        StatusCode::NOT_FOUND
    );
}

/// Publishes the maker's product-specific achievement for `version`; returns its uuid.
async fn achievement_for(s: &Setup, version: &str, name: &str) -> String {
    let reply = s
        .app
        .call(
            "POST",
            "/api/v1/orgs/maker/achievements",
            Some(json!({"pathway": "product-specific", "product_version": version, "name": name})),
            &s.maker_issuer,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.json()["product_version"], version);
    reply.json()["uuid"].as_str().unwrap().to_owned()
}

/// Records, submits to site-a and attests (as site-a's assessor) evidence of every
/// product-specific statement for `version`, through the API.
async fn train_through_the_api(s: &Setup, holder: &Auth, version: &str) {
    let app = &s.app;
    for (code, level) in product_statements() {
        let recorded = app
            .call(
                "POST",
                "/api/v1/evidence",
                Some(json!({"kind": "course-completion", "narrative": format!("Refresher session, {code}."), "date": "2026-01-12", "framework": FRAMEWORK, "statement": code, "level": level, "product_version": version})),
                holder,
            )
            .await;
        assert_eq!(recorded.status, StatusCode::CREATED, "{}", recorded.body);
        assert_eq!(recorded.json()["product_version"], version);
        let id = recorded.json()["id"].as_str().unwrap().to_owned();
        let submitted = app
            .call(
                "POST",
                &format!("/api/v1/evidence/{id}/submit"),
                Some(json!({"org": "site-a"})),
                holder,
            )
            .await;
        assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
        let decided = app
            .call(
                "POST",
                &format!("/api/v1/evidence/{id}/decision"),
                Some(json!({"decision": "attest", "level": level})),
                &s.site_a_assessor,
            )
            .await;
        assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);
    }
}

/// A page as a signed-in browser gets it.
async fn refreshers(app: &TestApp, holder: &Auth) -> Vec<Value> {
    let reply = app.call("GET", "/api/v1/me/refreshers", None, holder).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()["items"].as_array().unwrap().clone()
}

fn site_a(d: &Value) -> Value {
    d["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["org"] == "site-a")
        .unwrap()
        .clone()
}

#[tokio::test]
async fn a_product_award_needs_evidence_for_its_version_and_a_new_version_needs_a_refresher() {
    let s = setup().await;
    let app = &s.app;
    let (id, v1) = product_with_version(&s, true).await;
    let holder = app
        .holder("radiologist@site-a.example", "Radiologist")
        .await;
    let holder_id = account_id(app, &holder).await;
    attest_foundational(app, &holder_id, 30).await;

    // An achievement names a product version only for the product-specific pathway, and
    // only one that is registered.
    for (body, pointer) in [
        (
            json!({"pathway": "foundational", "product_version": v1}),
            "/product_version",
        ),
        (
            json!({"pathway": "product-specific", "product_version": credence_domain::ProductVersionId::random()}),
            "/product_version",
        ),
    ] {
        let reply = app
            .call(
                "POST",
                "/api/v1/orgs/maker/achievements",
                Some(body),
                &s.maker_issuer,
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        assert_eq!(pointers(&reply), vec![pointer.to_owned()]);
    }
    let for_v1 = achievement_for(&s, &v1, "tri-X 1.0 training").await;

    // Evidence naming no product version does not count, and the refusal says so.
    attest_product(app, &holder_id, None, "site-a").await;
    let body = json!({"achievement": for_v1, "email": "radiologist@site-a.example"});
    let refused = award(app, "maker", &s.maker_issuer, body.clone()).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        pointers(&refused).contains(&"/product_version".to_owned()),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("This award is for tri-X 1.0"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("naming no product version: T2-01"),
        "{}",
        refused.body
    );
    // With evidence gained on 1.0: awarded.
    attest_product(app, &holder_id, Some(&v1), "site-a").await;
    let granted = award(app, "maker", &s.maker_issuer, body).await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.body);
    assert!(refreshers(app, &holder).await.is_empty());

    // tri-X 2.0 is registered: the holder needs a refresher, and the site's coverage drops.
    let exact_before = site_a(&dossier(app, &id, None, &s.site_a_admin).await.json());
    assert_eq!(exact_before["covered"]["count"], 1);
    let v2 = add_version(&s, &id, "2.0").await;
    let notices = refreshers(app, &holder).await;
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0]["held_version"], "1.0");
    assert_eq!(notices[0]["current_version"], "2.0");
    assert!(notices[0]["rule"].as_str().unwrap().contains("line 1203"));
    let dashboard = app.get_page("/dashboard", &holder).await;
    assert!(dashboard.contains("Refresher needed"), "{dashboard}");
    // The credential's own page and the holder's list say so too; others do not see it.
    let award_id = granted.json()["award"]["id"].as_str().unwrap().to_owned();
    assert_eq!(notices[0]["awards"], json!([award_id.clone()]));
    let page = app
        .get_page(&format!("/credentials/{award_id}"), &holder)
        .await;
    assert!(
        page.contains("Refresher needed") && page.contains("is now registered"),
        "{page}"
    );
    let mine = app.get_page("/my/credentials", &holder).await;
    assert!(
        mine.contains("refresher needed") && mine.contains("For tri-X 1.0"),
        "{mine}"
    );
    let exact = site_a(&dossier(app, &id, None, &s.site_a_admin).await.json());
    assert_eq!(exact["exact"], true);
    assert_eq!(exact["covered"]["count"], 0);
    assert_eq!(exact["refresher_needed"]["count"], 1);
    let earlier = site_a(&dossier(app, &id, Some(&v1), &s.site_a_admin).await.json());
    assert_eq!(earlier["covered"]["count"], 1);

    // An award for 2.0 refuses the 1.0 evidence, naming it.
    let for_v2 = achievement_for(&s, &v2, "tri-X 2.0 training").await;
    let body = json!({"achievement": for_v2, "email": "radiologist@site-a.example"});
    let refused = award(app, "maker", &s.maker_issuer, body.clone()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("gained on another version: T2-01"),
        "{}",
        refused.body
    );

    // Refresher evidence for 2.0, recorded, submitted and attested: no refresher needed,
    // the coverage is back, and the 2.0 award is granted.
    train_through_the_api(&s, &holder, &v2).await;
    assert!(refreshers(app, &holder).await.is_empty());
    let exact = site_a(&dossier(app, &id, None, &s.site_a_admin).await.json());
    assert_eq!(exact["covered"]["count"], 1);
    assert_eq!(exact["refresher_needed"]["count"], 0);
    let granted = award(app, "maker", &s.maker_issuer, body).await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.body);
}

#[tokio::test]
async fn evidence_names_a_registered_version_only_for_a_product_statement() {
    let s = setup().await;
    let app = &s.app;
    let (_, v1) = product_with_version(&s, true).await;
    let holder = app.holder("h@example.org", "H").await;
    let record = |statement: &str, level: &str, version: &str| json!({"kind": "course-completion", "narrative": "A course.", "date": "2026-01-12", "framework": FRAMEWORK, "statement": statement, "level": level, "product_version": version});
    for body in [
        record("T1-01", "awareness", &v1),
        record("T2-01", "familiarity", "not-a-version"),
        record(
            "T2-01",
            "familiarity",
            credence_domain::ProductVersionId::random().as_str(),
        ),
    ] {
        let reply = app
            .call("POST", "/api/v1/evidence", Some(body), &holder)
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        assert_eq!(pointers(&reply), vec!["/product_version".to_owned()]);
    }
    let listed = app.call("GET", "/api/v1/evidence", None, &holder).await;
    assert!(
        listed.json()["items"].as_array().unwrap().is_empty(),
        "{}",
        listed.body
    );
}

#[tokio::test]
async fn the_dossier_shows_small_coverage_counts_only_to_the_site_s_admins() {
    let s = setup().await;
    let app = &s.app;
    let (id, v1) = product_with_version(&s, true).await;
    // site-a's people: its admin and assessor, and six holders whose evidence it assessed,
    // one of them trained on 1.0.
    for i in 0..6 {
        let email = format!("nurse{i}@site-a.example");
        let holder = app.holder(&email, &format!("Nurse {i}")).await;
        let holder_id = account_id(app, &holder).await;
        let version = (i == 0).then_some(v1.as_str());
        attest_product(app, &holder_id, version, "site-a").await;
    }
    let public = site_a(&dossier(app, &id, None, &Auth::None).await.json());
    assert_eq!(public["exact"], false);
    assert_eq!(public["people"]["count"], 8);
    assert_eq!(public["covered"]["count"], Value::Null);
    assert_eq!(public["covered"]["text"], "fewer than 5");
    assert_eq!(public["refresher_needed"]["text"], "fewer than 5");
    // Another site's admin sees no more than the public.
    let other = site_a(&dossier(app, &id, None, &s.site_b_admin).await.json());
    assert_eq!(other["covered"]["count"], Value::Null);
    let exact = site_a(&dossier(app, &id, None, &s.site_a_admin).await.json());
    assert_eq!(exact["people"]["count"], 8);
    assert_eq!(exact["covered"]["count"], 1);
    let page = app.get(&format!("/products/{id}"), "text/html").await;
    assert!(page.body.contains("fewer than 5"), "{}", page.body);
    assert!(!page.body.contains(">1<"), "no small count on the page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dossier_renders_in_chromium() {
    let s = setup().await;
    let (id, version) = product_with_version(&s, true).await;
    let reply = s
        .app
        .call(
            "POST",
            &format!("/api/v1/products/{id}/versions/{version}/answers"),
            Some(json!({"org": "site-a", "question": "A3-02", "answer": "Prioritising chest X-rays for review.", "links": ["https://example.org/ifu"]})),
            &s.site_a_admin,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let base = s.app.serve().await;
    let url = format!("{base}/products/{id}");
    tokio::task::spawn_blocking(move || {
        crate::browser::check_page(&url, "product-dossier-desktop.png", "1280,2400", |dom| {
            assert!(dom.contains("<h1>tri-X 1.0</h1>"), "{dom}");
            assert_eq!(dom.matches("id=\"question-A3-").count(), 40);
            assert_eq!(dom.matches("id=\"question-A6-").count(), 25);
            assert!(dom.contains("Prioritising chest X-rays for review."));
            assert!(dom.contains("href=\"https://example.org/ifu\""));
            assert_eq!(dom.matches("class=\"statement\"").count(), 20);
            assert!(dom.contains("fewer than 5"));
        });
        crate::browser::check_page(&url, "product-dossier-phone.png", "390,1800", |dom| {
            assert!(dom.contains("Sites and the coverage of their staff"));
        });
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn the_evidence_form_asks_for_the_product_version_and_names_it_when_refused() {
    let s = setup().await;
    let app = &s.app;
    let (_, v1) = product_with_version(&s, true).await;
    let holder = app.holder("form@example.org", "Form").await;
    let page = app.get_page("/evidence/new", &holder).await;
    assert!(page.contains("name=\"product_version\""), "{page}");
    assert!(
        page.contains(&format!("<option value=\"{v1}\">tri-X 1.0</option>")),
        "{page}"
    );
    let Auth::Session { csrf, .. } = &holder else {
        panic!("a session")
    };
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("kind", "course-completion"),
        ("statement", "T1-01"),
        ("level", "awareness"),
        ("date", "2026-01-12"),
        ("narrative", "A course."),
        ("product_version", v1.as_str()),
    ];
    let refused = crate::pages::post_form(app, "/evidence", &fields, &holder).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("id=\"product_version-error\""),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("aria-invalid=\"true\""));
    fields[2] = ("statement", "T2-01");
    fields[3] = ("level", "familiarity");
    let saved = crate::pages::post_form(app, "/evidence", &fields, &holder).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let listed = app.call("GET", "/api/v1/evidence", None, &holder).await;
    let items = listed.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1, "the refused form wrote nothing");
    assert_eq!(items[0]["product_version"], v1.as_str());
}

#[tokio::test]
async fn the_console_registers_products_and_versions_and_answers_questions_with_csrf_forms() {
    let s = setup().await;
    let app = &s.app;
    let Auth::Session { csrf, .. } = &s.maker_admin else {
        panic!("a session")
    };
    let page = app
        .get_page("/console/maker/products", &s.maker_admin)
        .await;
    assert!(page.contains("Register a product"), "{page}");
    // Refused: every field named, nothing written.
    let bad = [
        ("csrf", csrf.as_str()),
        ("name", ""),
        ("manufacturer", "Maker Ltd"),
        ("intended_use", "Triage."),
        ("buyers", "site-a, no-such-org"),
    ];
    let refused =
        crate::pages::post_form(app, "/console/maker/products", &bad, &s.maker_admin).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("id=\"name-error\""),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("No organisation with this identifier"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("value=\"site-a, no-such-org\""),
        "the form keeps its input"
    );
    let listed = app
        .call("GET", "/api/v1/orgs/maker/products", None, &s.maker_admin)
        .await;
    assert!(listed.json()["items"].as_array().unwrap().is_empty());
    // Without the session's CSRF token: refused.
    let forged = [
        ("csrf", "forged"),
        ("name", "tri-X"),
        ("manufacturer", "M"),
        ("intended_use", "T."),
    ];
    let forged =
        crate::pages::post_form(app, "/console/maker/products", &forged, &s.maker_admin).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let good = [
        ("csrf", csrf.as_str()),
        ("name", "tri-X"),
        ("manufacturer", "Maker Ltd"),
        ("intended_use", "Triage of chest X-rays."),
        ("regulatory_class", "Class IIa"),
        ("marking", "UKCA"),
        ("buyers", "site-a"),
        ("deployers", "site-b"),
        ("own_sites", "Test lab"),
        ("public", "on"),
    ];
    let made = crate::pages::post_form(app, "/console/maker/products", &good, &s.maker_admin).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let listed = app
        .call("GET", "/api/v1/orgs/maker/products", None, &Auth::None)
        .await;
    let product = listed.json()["items"][0].clone();
    assert_eq!(product["sites"].as_array().unwrap().len(), 3);
    assert_eq!(product["sites"][0]["procures"], true);
    assert_eq!(product["sites"][1]["procures"], false);
    let id = product["id"].as_str().unwrap().to_owned();
    // Its edit form shows it as registered; a refused edit names the field and writes
    // nothing; a saved one changes the dossier. Another organisation's admin cannot.
    let edit = format!("/console/maker/products/{id}/edit");
    let form = app.get_page(&edit, &s.maker_admin).await;
    assert!(
        form.contains("value=\"tri-X\"")
            && form.contains("value=\"site-a\"")
            && form.contains(">Test lab</textarea>"),
        "{form}"
    );
    let mut changed = good;
    changed[1] = ("name", "");
    let refused = crate::pages::post_form(app, &edit, &changed, &s.maker_admin).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"name-error\""),
        "{}",
        refused.body
    );
    changed[1] = ("name", "tri-X Chest");
    changed[8] = ("own_sites", "");
    let saved = crate::pages::post_form(app, &edit, &changed, &s.maker_admin).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let d = dossier(app, &id, None, &Auth::None).await.json();
    assert_eq!(d["product"]["name"], "tri-X Chest");
    assert_eq!(d["product"]["sites"].as_array().unwrap().len(), 2);
    let theirs = app
        .get(&format!("/console/site-a/products/{id}/edit"), "text/html")
        .await;
    assert_ne!(theirs.status, StatusCode::OK);
    let versions = format!("/console/maker/products/{id}/versions");
    let bad_version = [
        ("csrf", csrf.as_str()),
        ("version", "1.0"),
        ("released_on", "June"),
    ];
    let refused = crate::pages::post_form(app, &versions, &bad_version, &s.maker_admin).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Give a date as YYYY-MM-DD."),
        "{}",
        refused.body
    );
    let version = [
        ("csrf", csrf.as_str()),
        ("version", "1.0"),
        ("released_on", "2025-06-02"),
    ];
    let added = crate::pages::post_form(app, &versions, &version, &s.maker_admin).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let d = dossier(app, &id, None, &Auth::None).await.json();
    assert_eq!(d["product"]["versions"].as_array().unwrap().len(), 1);
    let v1 = d["version"]["id"].as_str().unwrap().to_owned();

    // site-a's admin answers from its console; only its question sets are offered.
    let Auth::Session { csrf: csrf_a, .. } = &s.site_a_admin else {
        panic!("a session")
    };
    let page = app
        .get_page(
            &format!("/console/site-a/products/{id}/answers"),
            &s.site_a_admin,
        )
        .await;
    assert!(
        page.contains("value=\"A3-01\"") && page.contains("value=\"A6-01\""),
        "{page}"
    );
    let page_b = app
        .get_page(
            &format!("/console/site-b/products/{id}/answers"),
            &s.site_b_admin,
        )
        .await;
    assert!(!page_b.contains("value=\"A3-01\"") && page_b.contains("value=\"A6-01\""));
    let path = format!("/console/site-a/products/{id}/versions/{v1}/answers");
    let bad_answer = [
        ("csrf", csrf_a.as_str()),
        ("question", "A3-01"),
        ("answer", ""),
        ("links", "not a url"),
    ];
    let refused = crate::pages::post_form(app, &path, &bad_answer, &s.site_a_admin).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("id=\"answer-error\""),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("Give an absolute http or https URL"),
        "{}",
        refused.body
    );
    let answer = [
        ("csrf", csrf_a.as_str()),
        ("question", "A3-01"),
        ("answer", "UKCA marked, Class IIa."),
        ("links", "https://example.org/ce\n"),
    ];
    let saved = crate::pages::post_form(app, &path, &answer, &s.site_a_admin).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let d = dossier(app, &id, None, &Auth::None).await.json();
    assert_eq!(d["question_sets"][0]["answered"], 1);
    assert_eq!(
        d["question_sets"][0]["questions"][0]["answers"][0]["links"][0],
        "https://example.org/ce"
    );
    // The maker's issuer is no admin: the section is refused.
    let issuer_page = app
        .request(
            axum::http::Request::builder()
                .uri("/console/maker/products")
                .header("accept", "text/html")
                .header(
                    "cookie",
                    match &s.maker_issuer {
                        Auth::Session { cookie, .. } => format!("credence_session={cookie}"),
                        _ => String::new(),
                    },
                )
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(issuer_page.status, StatusCode::FORBIDDEN);
}
