//! Expiry over HTTP: the console's list, per achievement, of credentials expiring in the
//! next N days and expired (page and JSON, a bad number of days refused by name), renewal
//! from the award form naming the award it renews, and the holder's dashboard saying what
//! expires soon and what renewal needs (for a product-specific pathway: training on the
//! product version now deployed).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::Duration;
use serde_json::json;

use crate::registry_awards::award;
use crate::reminders::{awarded, expiring_achievement};
use crate::support::{Auth, Reply, TestApp};

/// `GET path` as a browser of `auth`, asking for `accept`.
async fn get(app: &TestApp, auth: &Auth, path: &str, accept: &str) -> Reply {
    let Auth::Session { cookie, .. } = auth else {
        panic!("a session")
    };
    app.request(
        Request::get(path)
            .header("accept", accept)
            .header("cookie", format!("credence_session={cookie}"))
            .body(Body::empty())
            .expect("a request"),
    )
    .await
}

/// A form post as `auth`, with its CSRF token.
async fn post(app: &TestApp, auth: &Auth, path: &str, fields: &[(&str, &str)]) -> Reply {
    let Auth::Session { cookie, csrf } = auth else {
        panic!("a session")
    };
    let mut body = url::form_urlencoded::Serializer::new(String::new());
    body.append_pair("csrf", csrf);
    for (k, v) in fields {
        body.append_pair(k, v);
    }
    app.request(
        Request::post(path)
            .header("accept", "text/html")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", format!("credence_session={cookie}"))
            .body(Body::from(body.finish()))
            .expect("a request"),
    )
    .await
}

#[tokio::test]
async fn the_console_lists_what_expires_and_what_expired_and_renews_from_the_list() {
    let app = TestApp::new().await;
    let slug = "expiry-ics";
    let (issuer, achievement) = expiring_achievement(&app, slug, 40).await;
    let (_, ada_award) = awarded(
        &app,
        slug,
        &issuer,
        &achievement,
        "ada@example.org",
        "Ada Lovelace",
    )
    .await;
    // Bo's was awarded 50 days ago: it expired 10 days ago.
    let (_, bo_award) = {
        let bo = app.holder("bo@example.org", "Bo Peep").await;
        crate::registry_awards::attest_foundational(
            &app,
            &crate::registry_awards::account_id(&app, &bo).await,
            30,
        )
        .await;
        let from = (chrono::Utc::now() - Duration::days(50)).to_rfc3339();
        let made = award(
            &app,
            slug,
            &issuer,
            json!({"achievement": achievement, "email": "bo@example.org", "valid_from": from}),
        )
        .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        (
            bo,
            made.json()["award"]["id"].as_str().expect("id").to_owned(),
        )
    };
    app.holder("ivy@example.org", "Ivy Issuer").await;
    app.grant(slug, "ivy@example.org", "issuer").await;
    let ivy = app
        .sign_in("ivy@example.org", "correct horse battery staple")
        .await;
    let path = format!("/console/{slug}/expiring");

    // 30 days ahead: Ada's (in 40) is not listed; Bo's is expired.
    let list = get(&app, &ivy, &format!("{path}?days=30"), "application/json").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let list = list.json();
    assert_eq!(list["days"], 30);
    let first = &list["achievements"][0];
    assert_eq!(first["name"], "Foundational AI education");
    assert_eq!(first["expiring"].as_array().map(Vec::len), Some(0));
    assert_eq!(first["expired"][0]["award_id"], bo_award.as_str());
    assert_eq!(first["expired"][0]["holder"], "Bo Peep");
    assert_eq!(first["expired"][0]["when"], "10 days ago");

    // 60 days ahead (the default), as a page: both, each with a renewal link.
    let page = get(&app, &ivy, &path, "text/html").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page
        .body
        .contains("Expiring credentials of Organisation expiry-ics"));
    assert!(
        page.body
            .contains("<strong>1</strong> expiring in the next 60 days"),
        "{}",
        page.body
    );
    let ada_at = page.body.find("Ada Lovelace").expect("Ada is listed");
    let bo_at = page.body.find("Bo Peep").expect("Bo is listed");
    assert!(ada_at < bo_at, "expiring before expired");
    assert!(page.body.contains("in 40 days"));
    let renew = format!(
        "/console/{slug}/award?achievement={achievement}&#38;email=ada%40example.org&#38;renews={ada_award}"
    );
    assert!(page.body.contains(&renew), "{}", page.body);

    // A bad number of days is refused, naming the field.
    for bad in ["0", "ninety", "9999"] {
        let refused = get(&app, &ivy, &format!("{path}?days={bad}"), "text/html").await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(refused
            .body
            .contains("Choose a number of days from 1 to 730."));
        let refused = get(
            &app,
            &ivy,
            &format!("{path}?days={bad}"),
            "application/json",
        )
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(refused.header("content-type"), "application/problem+json");
        assert!(refused.body.contains("/days"), "{}", refused.body);
    }
    // A holder without a role there is refused.
    let ada = app
        .sign_in("ada@example.org", "correct horse battery staple")
        .await;
    assert_eq!(
        get(&app, &ada, &path, "text/html").await.status,
        StatusCode::FORBIDDEN
    );

    // The "Renew" link's form, filled in; awarding from it names the renewed award.
    let form = get(&app, &ivy, &renew.replace("&#38;", "&"), "text/html").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body
            .contains(&format!("name=\"renews\" value=\"{ada_award}\"")),
        "{}",
        form.body
    );
    let unknown = post(
        &app,
        &ivy,
        &format!("/console/{slug}/award"),
        &[
            ("achievement", &achievement),
            ("email", "ada@example.org"),
            ("renews", "not-an-award"),
        ],
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unknown
            .body
            .contains("expiry-ics has no award &#39;not-an-award&#39;."),
        "{}",
        unknown.body
    );
    let renewed = post(
        &app,
        &ivy,
        &format!("/console/{slug}/award"),
        &[
            ("achievement", &achievement),
            ("email", "ada@example.org"),
            ("renews", &ada_award),
        ],
    )
    .await;
    assert_eq!(renewed.status, StatusCode::SEE_OTHER, "{}", renewed.body);
    let new_id = renewed
        .header("location")
        .split('/')
        .next_back()
        .and_then(|s| s.split('?').next())
        .expect("the new award")
        .to_owned();
    let list = get(&app, &ivy, &path, "application/json").await.json();
    let expiring = &list["achievements"][0]["expiring"];
    let old = expiring
        .as_array()
        .expect("expiring")
        .iter()
        .find(|i| i["award_id"] == ada_award.as_str())
        .expect("the old award");
    assert_eq!(old["renewed_by"], new_id.as_str());
    let detail = get(
        &app,
        &ivy,
        &format!("/console/{slug}/awards/{new_id}"),
        "text/html",
    )
    .await;
    assert!(
        detail.body.contains(&format!(
            "<a href=\"/console/{slug}/awards/{ada_award}\">an earlier award</a>"
        )),
        "{}",
        detail.body
    );
}

#[tokio::test]
async fn the_dashboard_says_what_expires_and_that_renewal_needs_the_product_version_now_deployed() {
    let app = TestApp::new().await;
    let slug = "dash-ics";
    app.org(slug, "provider", "web").await;
    let issuer = app.token(slug, "issuer").await;
    let product = |version: &str| json!({"pathway": "product-specific", "validity_days": 20, "product": {"name": "ChestScan triage", "version": version}});
    let made = app
        .call(
            "POST",
            &format!("/api/v1/orgs/{slug}/achievements"),
            Some(product("2.1")),
            &issuer,
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let v21 = made.json()["uuid"].as_str().expect("uuid").to_owned();
    let ada = app.holder("ada@example.org", "Ada Lovelace").await;
    let given = award(
        &app,
        slug,
        &issuer,
        json!({"achievement": v21, "email": "ada@example.org",
               "override_justification": "Trained on the ward's ChestScan triage 2.1 in person."}),
    )
    .await;
    assert_eq!(given.status, StatusCode::CREATED, "{}", given.body);
    let award_id = given.json()["award"]["id"].as_str().expect("id").to_owned();

    let dashboard = get(&app, &ada, "/dashboard", "text/html").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    let body = &dashboard.body;
    assert!(body.contains("Expiring soon"), "{body}");
    assert!(
        body.contains(&format!("href=\"/credentials/{award_id}\"")),
        "{body}"
    );
    assert!(body.contains("expires in 20 days"), "{body}");
    assert!(
        body.contains("To renew it, refresh your training on ChestScan triage 2.1, the product version now deployed"),
        "{body}"
    );

    // The product moves on to 3.0: renewal needs training on the version now deployed.
    let made = app
        .call(
            "POST",
            &format!("/api/v1/orgs/{slug}/achievements"),
            Some(product("3.0")),
            &issuer,
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let body = get(&app, &ada, "/dashboard", "text/html").await.body;
    assert!(
        body.contains("It was awarded for ChestScan triage 2.1; the version now deployed is ChestScan triage 3.0."),
        "{body}"
    );
    assert!(
        body.contains("To renew it, complete the training on ChestScan triage 3.0 (&#34;Product-specific AI training: ChestScan triage 3.0&#34;)")
            || body.contains("To renew it, complete the training on ChestScan triage 3.0 (&quot;Product-specific AI training: ChestScan triage 3.0&quot;)"),
        "{body}"
    );

    // Once expired it still shows, as expired; a holder with nothing expiring sees no section.
    app.services.registry.shift_clock(Duration::days(21));
    let ada = app
        .sign_in("ada@example.org", "correct horse battery staple")
        .await;
    let body = get(&app, &ada, "/dashboard", "text/html").await.body;
    assert!(body.contains("expired yesterday"), "{body}");
    let bo = app.holder("bo@example.org", "Bo Peep").await;
    let body = get(&app, &bo, "/dashboard", "text/html").await.body;
    assert!(!body.contains("Expiring soon"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_rows_renew_the_awards_they_name_as_a_single_award_does() {
    use crate::registry_awards::{all_rows, wait_for};
    let app = TestApp::new().await;
    let slug = "bulk-renew";
    let (issuer, achievement) = expiring_achievement(&app, slug, 30).await;
    let (_, ada_old) = awarded(&app, slug, &issuer, &achievement, "ada@example.org", "Ada").await;
    let (_, bo_old) = awarded(&app, slug, &issuer, &achievement, "bo@example.org", "Bo").await;
    // An award of another organisation cannot be renewed here.
    let (other, other_achievement) = expiring_achievement(&app, "bulk-other", 30).await;
    let (_, foreign) = awarded(
        &app,
        "bulk-other",
        &other,
        &other_achievement,
        "cy@example.org",
        "Cy",
    )
    .await;

    let csv = format!(
        "key,email,renews\nr-ada,ada@example.org,{ada_old}\nr-bo,bo@example.org,{bo_old}\nr-foreign,ada@example.org,{foreign}\nr-junk,bo@example.org,last year's\n"
    );
    let Auth::Token(token) = &issuer else {
        panic!("a token")
    };
    let reply = app
        .request(
            Request::post(format!(
                "/api/v1/orgs/{slug}/awards/bulk?achievement={achievement}&format=csv"
            ))
            .header("content-type", "text/csv")
            .header("authorization", format!("Bearer {token}"))
            .body(Body::from(csv))
            .expect("a request"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    let job = reply.json()["id"].as_str().expect("id").to_owned();
    let done = wait_for(&app, &issuer, &job).await;
    assert_eq!(done["state"], "finished", "{done}");
    let rows = all_rows(&app, &issuer, &job).await;
    let row = |key: &str| {
        rows.iter()
            .find(|r| r["key"] == key || r["idempotency_key"] == key)
            .cloned()
            .unwrap_or_else(|| panic!("row {key} in {rows:?}"))
    };
    assert_eq!(row("r-ada")["outcome"], "awarded", "{rows:?}");
    assert_eq!(row("r-bo")["outcome"], "awarded");
    assert_eq!(row("r-foreign")["outcome"], "refused");
    assert_eq!(
        row("r-foreign")["message"],
        format!("renews: {slug} has no award '{foreign}'.")
    );
    assert_eq!(row("r-junk")["outcome"], "refused");
    assert!(
        row("r-junk")["message"]
            .as_str()
            .unwrap_or_default()
            .contains("renews: \"last year's\" is not the id of an award"),
        "{:?}",
        row("r-junk")
    );

    // The renewed awards are marked so in the console's list, and only the renewals are
    // reminded of.
    app.holder("ivy@example.org", "Ivy Issuer").await;
    app.grant(slug, "ivy@example.org", "issuer").await;
    let ivy = app
        .sign_in("ivy@example.org", "correct horse battery staple")
        .await;
    let list = get(
        &app,
        &ivy,
        &format!("/console/{slug}/expiring"),
        "application/json",
    )
    .await
    .json();
    let expiring = list["achievements"][0]["expiring"]
        .as_array()
        .cloned()
        .expect("expiring");
    let renewed_by = |id: &str| {
        expiring
            .iter()
            .find(|i| i["award_id"] == id)
            .map(|i| i["renewed_by"].clone())
            .expect("listed")
    };
    assert_eq!(renewed_by(&ada_old), row("r-ada")["award_id"]);
    assert_eq!(renewed_by(&bo_old), row("r-bo")["award_id"]);
    assert_eq!(expiring.len(), 4, "two renewed, two renewals");
    let round = crate::reminders::remind(&app).await;
    assert_eq!(
        round.reminders, 3,
        "the two renewals and Cy's elsewhere: {round:?}"
    );
}
