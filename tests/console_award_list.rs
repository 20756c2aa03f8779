//! The console's awards list at a few hundred awards: search by recipient name and e-mail
//! (wildcards taken literally), filters by achievement and status, paging with true
//! totals, its JSON form, and batch status changes (exactly the selected awards change,
//! checked in the served status list; refusals change nothing), and the page in Chromium.

use std::collections::{HashMap, HashSet};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use credence_vc::status_list::StatusList;
use serde_json::{json, Value};

use crate::support::{Auth, Reply, TestApp};

const ORG: &str = "awl-org";
const PASSWORD: &str = "correct horse battery staple";
const JUSTIFIED: &str = "Assessed in person by the course lead.";

/// The recipients: e-mail, display name, and how many awards of each achievement
/// (`alpha`, suspendable; `beta`, not) they get, per unit of scale.
const PEOPLE: [(&str, &str, usize, usize); 7] = [
    ("ann.archer@alpha.test", "Ann Archer", 20, 0),
    ("bob@beta.test", "Bob Baker", 0, 16),
    ("cleo@gamma.test", "Cleo Cardew", 12, 0),
    ("dee100@delta.test", "Dee 100%", 0, 6),
    ("dee1000@delta.test", "Dee 1000", 4, 0),
    ("eve.x@echo.test", "Eve_Xu", 1, 0),
    ("evey@echo.test", "EveYXu", 1, 0),
];

/// An organisation with an issuer (signed in), an admin and an outsider, two achievements
/// and `scale` × 60 awards made by bulk jobs, plus one expired award (Cleo's, `gamma`).
struct World {
    app: TestApp,
    issuer: Auth,
    admin: Auth,
    outsider: Auth,
    alpha: String,
    beta: String,
    gamma: String,
    /// How many awards the organisation made.
    count: usize,
}

async fn achievement(app: &TestApp, token: &Auth, body: Value) -> String {
    let reply = app
        .call(
            "POST",
            &format!("/api/v1/orgs/{ORG}/achievements"),
            Some(body),
            token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.json()["uuid"].as_str().expect("a uuid").to_owned()
}

/// Runs a bulk award of `csv` and waits for it to finish with every row awarded.
async fn bulk(app: &TestApp, token: &Auth, achievement: &str, csv: String, rows: usize) {
    let Auth::Token(secret) = token else {
        panic!("a token")
    };
    let request = Request::post(format!(
        "/api/v1/orgs/{ORG}/awards/bulk?achievement={achievement}&format=csv"
    ))
    .header("content-type", "text/csv")
    .header("authorization", format!("Bearer {secret}"))
    .body(Body::from(csv))
    .expect("a request");
    let reply = app.request(request).await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    let id = reply.json()["id"].as_str().expect("a job").to_owned();
    for _ in 0..1200 {
        let job = app
            .call("GET", &format!("/api/v1/bulk/{id}"), None, token)
            .await
            .json();
        if job["state"] != "running" {
            assert_eq!(job["state"], "finished", "{job}");
            assert_eq!(job["done"], rows, "{job}");
            assert_eq!(job["refused"], 0, "{job}");
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the bulk job did not finish");
}

async fn world(scale: usize) -> World {
    let app = TestApp::new().await;
    app.org(ORG, "provider", "web").await;
    let issuer = app.holder("issuer@awl.test", "Ines Issuer").await;
    app.grant(ORG, "issuer@awl.test", "issuer").await;
    let admin = app.holder("admin@awl.test", "Adam Admin").await;
    app.grant(ORG, "admin@awl.test", "admin").await;
    let outsider = app.holder("outsider@awl.test", "Otto Outsider").await;
    for (email, name, _, _) in PEOPLE {
        app.holder(email, name).await;
    }
    let token = app.token(ORG, "issuer").await;
    let mut made = Vec::new();
    for (name, extra) in [
        ("Alpha badge", json!({"suspendable": true})),
        ("Beta badge", json!({})),
        ("Gamma badge", json!({"validity_days": 30})),
    ] {
        let mut body = json!({"pathway": "foundational", "name": name});
        body.as_object_mut()
            .expect("an object")
            .extend(extra.as_object().cloned().unwrap_or_default());
        made.push(achievement(&app, &token, body).await);
    }
    let [alpha, beta, gamma] = <[String; 3]>::try_from(made).expect("three achievements");
    for (uuid, pick) in [(&alpha, 0), (&beta, 1)] {
        let mut csv = String::from("key,email,override_justification\n");
        let mut rows = 0;
        for (email, _, a, b) in PEOPLE {
            for i in 0..[a, b][pick] * scale {
                csv.push_str(&format!("{uuid}-{email}-{i},{email},{JUSTIFIED}\n"));
                rows += 1;
            }
        }
        bulk(&app, &token, uuid, csv, rows).await;
    }
    let expired = crate::registry_awards::award(
        &app,
        ORG,
        &token,
        json!({"achievement": gamma, "email": "cleo@gamma.test",
               "override_justification": JUSTIFIED, "valid_from": "2020-01-01T00:00:00Z"}),
    )
    .await;
    assert_eq!(expired.status, StatusCode::CREATED, "{}", expired.body);
    let count = stored(&app).await.len();
    assert_eq!(count, 60 * scale + 1);
    World {
        app,
        issuer,
        admin,
        outsider,
        alpha,
        beta,
        gamma,
        count,
    }
}

/// `GET path` as the browser of `auth`, asking for `accept`.
async fn get(app: &TestApp, auth: &Auth, path: &str, accept: &str) -> Reply {
    let mut request = Request::get(path).header("accept", accept);
    if let Auth::Session { cookie, .. } = auth {
        request = request.header("cookie", format!("credence_session={cookie}"));
    }
    app.request(request.body(Body::empty()).expect("a request"))
        .await
}

/// The list page for a query string, as the issuer's browser.
async fn html(w: &World, query: &str) -> Reply {
    let path = format!("/console/{ORG}/awards?{query}");
    get(&w.app, &w.issuer, &path, "text/html").await
}

/// The list's JSON for a query string.
async fn list(w: &World, query: &str) -> Value {
    let reply = get(
        &w.app,
        &w.issuer,
        &format!("/console/{ORG}/awards?{query}"),
        "application/json",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
    reply.json()
}

/// A batch form post as `auth`, with `csrf` unless `None`.
async fn batch(w: &World, auth: &Auth, csrf: Option<&str>, fields: &[(&str, &str)]) -> Reply {
    post(w, auth, csrf, fields, "text/html").await
}

/// A batch post with the session's own CSRF token, asking for `accept`.
async fn batch_as(w: &World, auth: &Auth, accept: &str, fields: &[(&str, &str)]) -> Reply {
    post(w, auth, Some(&csrf(auth)), fields, accept).await
}

async fn post(
    w: &World,
    auth: &Auth,
    csrf: Option<&str>,
    fields: &[(&str, &str)],
    accept: &str,
) -> Reply {
    let Auth::Session { cookie, .. } = auth else {
        panic!("a session")
    };
    let mut body = url::form_urlencoded::Serializer::new(String::new());
    if let Some(csrf) = csrf {
        body.append_pair("csrf", csrf);
    }
    for (k, v) in fields {
        body.append_pair(k, v);
    }
    let request = Request::post(format!("/console/{ORG}/awards/batch"))
        .header("accept", accept)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("credence_session={cookie}"))
        .body(Body::from(body.finish()))
        .expect("a request");
    w.app.request(request).await
}

fn csrf(auth: &Auth) -> String {
    match auth {
        Auth::Session { csrf, .. } => csrf.clone(),
        _ => panic!("a session"),
    }
}

/// Every award of the organisation as stored.
async fn stored(app: &TestApp) -> Vec<credence_store::registry::AwardRow> {
    let tx = app.services.registry.store().read().await.expect("a tx");
    let org = app
        .services
        .registry
        .public()
        .org(&credence_domain::OrgSlug::new(ORG).expect("a slug"))
        .await
        .expect("the org");
    let mut all = Vec::new();
    loop {
        let page = tx
            .awards_of_org(&org.id, credence_service::Page::new(all.len() as u64, 500))
            .await
            .expect("awards");
        if page.is_empty() {
            return all;
        }
        all.extend(page);
    }
}

/// Every award's stored status, by id.
async fn statuses(app: &TestApp) -> HashMap<String, String> {
    stored(app)
        .await
        .into_iter()
        .map(|a| (a.id.into_string(), a.status.to_string()))
        .collect()
}

/// The awards whose bit is set in the organisation's served revocation list.
async fn revoked_in_list(app: &TestApp) -> HashSet<String> {
    let reply = app
        .call(
            "GET",
            &format!("/orgs/{ORG}/status/revocation"),
            None,
            &Auth::None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let encoded = reply.json()["credentialSubject"]["encodedList"]
        .as_str()
        .expect("an encoded list")
        .to_owned();
    let bits = StatusList::decode(&encoded).expect("a status list");
    stored(app)
        .await
        .into_iter()
        .filter(|a| {
            bits.get(usize::try_from(a.revocation_index).expect("an index"))
                .expect("in range")
        })
        .map(|a| a.id.into_string())
        .collect()
}

/// A form's fields.
type Fields<'a> = Vec<(&'a str, &'a str)>;

/// The ids of the list's items.
fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().expect("an id").to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_filters_and_paging_find_exactly_the_right_awards() {
    let w = world(5).await;
    assert_eq!(list(&w, "q=").await["total"], 301);
    // (query, how many match, the e-mail addresses of those matched). Wildcards are
    // literal: "100%" is not "100 followed by anything", "e_x" not "e?x".
    for (query, total, emails) in [
        ("q=ann", 100, vec!["ann.archer@alpha.test"]),
        ("q=ARCHER", 100, vec!["ann.archer@alpha.test"]),
        ("q=Bob%20Baker", 80, vec!["bob@beta.test"]),
        ("q=gamma.test", 61, vec!["cleo@gamma.test"]),
        (
            "q=%40delta",
            50,
            vec!["dee100@delta.test", "dee1000@delta.test"],
        ),
        ("q=100%25", 30, vec!["dee100@delta.test"]),
        ("q=e_x", 5, vec!["eve.x@echo.test"]),
        ("q=nobody", 0, vec![]),
        ("q=%25", 30, vec!["dee100@delta.test"]),
    ] {
        let listed = list(&w, &format!("{query}&per=200")).await;
        assert_eq!(listed["total"], total, "{query}");
        let found: HashSet<&str> = listed["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["recipient"]["email"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(found, emails.into_iter().collect(), "{query}");
    }
    // Filters, alone and with a search.
    let alpha = format!("achievement={}", w.alpha);
    let listed = list(&w, &format!("{alpha}&per=200")).await;
    assert_eq!(listed["total"], 190);
    assert!(listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|i| i["achievement"] == "Alpha badge"));
    let listed = list(&w, &format!("achievement={}&q=dee", w.beta)).await;
    assert_eq!(listed["total"], 30);
    let listed = list(&w, "status=expired").await;
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["achievement"], "Gamma badge");
    assert_eq!(listed["items"][0]["state"], "expired");
    assert_eq!(list(&w, "status=active").await["total"], 300);
    assert_eq!(list(&w, "status=revoked").await["total"], 0);
    let gamma = list(&w, &format!("achievement={}&status=active", w.gamma)).await;
    assert_eq!(gamma["total"], 0);

    // Paging: true totals, newest first, no award twice, every award once.
    let mut seen = Vec::new();
    for page in 1..=7 {
        let listed = list(&w, &format!("page={page}")).await;
        assert_eq!(listed["total"], 301);
        assert_eq!(listed["limit"], 50);
        assert_eq!(listed["offset"], (page - 1) * 50);
        let got = ids(&listed);
        assert_eq!(got.len(), if page == 7 { 1 } else { 50 }, "page {page}");
        let dates: Vec<&str> = listed["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["awarded_at"].as_str().expect("a date"))
            .collect();
        let times: Vec<chrono::DateTime<chrono::FixedOffset>> = dates
            .iter()
            .map(|d| chrono::DateTime::parse_from_rfc3339(d).expect("RFC 3339"))
            .collect();
        assert!(times.windows(2).all(|p| p[0] >= p[1]), "newest first");
        seen.extend(got);
    }
    let distinct: HashSet<&String> = seen.iter().collect();
    assert_eq!(distinct.len(), 301);
    assert!(ids(&list(&w, "page=8").await).is_empty());
    assert_eq!(ids(&list(&w, "per=100&page=4").await).len(), 1);

    // The page: columns, counts in words, dates in words, links to each award, the query
    // kept in the pager's links.
    let shown = html(&w, "").await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert!(
        shown.body.contains("301 awards · showing 1–50"),
        "{}",
        shown.body
    );
    assert!(shown.body.contains("Page 1 of 7"));
    for header in ["Recipient", "Achievement", "Status", "Awarded"] {
        assert!(shown
            .body
            .contains(&format!("<th scope=\"col\">{header}</th>")));
    }
    let today = chrono::Utc::now().format("%-d %B %Y").to_string();
    assert!(shown
        .body
        .contains(&format!("<td class=\"awarded\">{today}</td>")));
    assert_eq!(shown.body.matches("name=\"award\" value=").count(), 50);
    let first = ids(&list(&w, "").await)[0].clone();
    assert!(shown
        .body
        .contains(&format!("href=\"/console/{ORG}/awards/{first}\"")));
    let found = html(&w, "q=Dee&status=active&page=2&per=25").await;
    assert!(
        found.body.contains("50 awards match · showing 26–50"),
        "{}",
        found.body
    );
    assert!(found.body.contains("Dee 100%"));
    assert!(found.body.contains("dee1000@delta.test"));
    assert!(found.body.contains(
        "href=\"/console/awl-org/awards?q=Dee&#38;status=active&#38;per=25\" rel=\"prev\""
    ));
    // Without script, a link ticks every award on the page.
    let ticked = html(&w, "q=eve&select=page").await;
    assert_eq!(ticked.body.matches(" checked>").count(), 10);
    // A bad filter says so beside the field; a bad page number is page 1.
    let bad = html(&w, "status=lost&page=x").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad
        .body
        .contains("Choose a status: active, suspended, revoked or expired."));
    let bad = get(
        &w.app,
        &w.issuer,
        &format!("/console/{ORG}/awards?achievement=nope"),
        "application/json",
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad
        .header("content-type")
        .starts_with("application/problem+json"));
    // Only issuers list awards.
    for who in [&w.admin, &w.outsider] {
        let refused = get(
            &w.app,
            who,
            &format!("/console/{ORG}/awards"),
            "application/json",
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_revokes_exactly_the_selected_awards() {
    let w = world(1).await;
    let ann: Vec<String> = ids(&list(&w, "q=ann").await);
    assert_eq!(ann.len(), 20);
    // One of them is revoked first, on its own page.
    let reply = batch(
        &w,
        &w.issuer,
        Some(&csrf(&w.issuer)),
        &[
            ("action", "revoke"),
            ("reason", "Issued twice."),
            ("confirm", "yes"),
            ("award", &ann[0]),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains("1 revoked."), "{}", reply.body);

    let chosen = [&ann[0], &ann[3], &ann[7], &ann[11]];
    let reply = batch(
        &w,
        &w.issuer,
        Some(&csrf(&w.issuer)),
        &[
            ("action", "revoke"),
            ("reason", "Awarded to the wrong cohort."),
            ("confirm", "yes"),
            ("award", chosen[0]),
            ("award", chosen[1]),
            ("award", chosen[2]),
            ("award", chosen[3]),
            ("q", "ann"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        reply
            .body
            .contains("3 revoked, 1 skipped: a revoked award cannot change again."),
        "{}",
        reply.body
    );
    // The list shown afterwards keeps the view it came from.
    assert!(reply.body.contains("20 awards match"), "{}", reply.body);
    assert!(reply
        .body
        .contains("Ann Archer</a>: a revoked award cannot change again"));

    let now = statuses(&w.app).await;
    let revoked: HashSet<String> = now
        .iter()
        .filter(|(_, s)| *s == "revoked")
        .map(|(id, _)| id.clone())
        .collect();
    let expected: HashSet<String> = chosen.iter().map(|s| (*s).clone()).collect();
    assert_eq!(revoked, expected);
    assert_eq!(revoked_in_list(&w.app).await, expected);
    // Each change is audited as a single change is.
    let detail = get(
        &w.app,
        &w.issuer,
        &format!("/console/{ORG}/awards/{}", chosen[1]),
        "text/html",
    )
    .await;
    assert!(
        detail.body.contains("<strong>Revoked</strong>"),
        "{}",
        detail.body
    );
    assert!(detail.body.contains("Awarded to the wrong cohort."));

    // The JSON form says the same.
    let fields = [
        ("action", "revoke"),
        ("reason", "Again."),
        ("confirm", "yes"),
    ];
    let mut fields = fields.to_vec();
    fields.push(("award", &ann[3]));
    let reply = batch_as(&w, &w.issuer, "application/json", &fields).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let outcome = reply.json();
    assert_eq!(outcome["changed"], json!([]));
    assert_eq!(outcome["skipped"][0]["id"], ann[3].as_str());
    assert_eq!(
        outcome["summary"],
        "0 revoked, 1 skipped: a revoked award cannot change again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suspend_and_reinstate_batches_skip_awards_they_do_not_apply_to() {
    let w = world(1).await;
    let alpha = ids(&list(&w, &format!("achievement={}&q=cleo", w.alpha)).await);
    let beta = ids(&list(&w, &format!("achievement={}&q=bob", w.beta)).await);
    let chosen = [&alpha[0], &alpha[1], &beta[0]];
    let reply = batch(
        &w,
        &w.issuer,
        Some(&csrf(&w.issuer)),
        &[
            ("action", "suspend"),
            ("reason", "Under review."),
            ("award", chosen[0]),
            ("award", chosen[1]),
            ("award", chosen[2]),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        reply
            .body
            .contains("2 suspended, 1 skipped: its achievement does not allow suspension"),
        "{}",
        reply.body
    );
    let now = statuses(&w.app).await;
    assert_eq!(now[chosen[0]], "suspended");
    assert_eq!(now[chosen[1]], "suspended");
    assert_eq!(now[chosen[2]], "active");
    let suspended = list(&w, "status=suspended").await;
    assert_eq!(suspended["total"], 2);
    // Reinstate: only suspended awards; an active one and an unknown one are skipped.
    let stranger = uuid::Uuid::new_v4().to_string();
    let reply = batch(
        &w,
        &w.issuer,
        Some(&csrf(&w.issuer)),
        &[
            ("action", "reinstate"),
            ("reason", "Review closed."),
            ("award", chosen[0]),
            ("award", chosen[1]),
            ("award", chosen[2]),
            ("award", &stranger),
        ],
    )
    .await;
    assert!(
        reply.body.contains(
            "2 reinstated, 2 skipped: the award is not suspended; it is not an award of Organisation awl-org"
        ),
        "{}",
        reply.body
    );
    let now = statuses(&w.app).await;
    assert!(chosen.iter().all(|id| now[*id] == "active"));
    assert_eq!(now.len(), w.count);
    // A VC-API credential has no recipient account here: the list says so plainly.
    let did = w
        .app
        .services
        .registry
        .public()
        .org(&credence_domain::OrgSlug::new(ORG).expect("a slug"))
        .await
        .expect("the org")
        .did;
    let credential = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "Outside badge",
        "issuer": {"id": did, "type": ["Profile"], "name": "AWL"},
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {"id": "https://awl.example/a", "type": ["Achievement"], "name": "Outside", "description": "Outside.", "criteria": {"narrative": "Done."}}}
    });
    let token = w.app.token(ORG, "issuer").await;
    let body = json!({"credential": credential, "options": {"credentialStatus": {"type": "BitstringStatusListEntry"}}});
    let issued = w
        .app
        .call("POST", "/credentials/issue", Some(body), &token)
        .await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.body);
    let newest = &list(&w, "").await["items"][0];
    assert_eq!(
        newest["recipient"],
        json!({"kind": "unknown", "name": null, "email": null})
    );
    let shown = html(&w, "").await;
    assert!(shown
        .body
        .contains("Issued through the VC-API; no account or e-mail address was recorded."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_is_refused_whole_without_reason_confirmation_csrf_or_role() {
    let w = world(1).await;
    let some = ids(&list(&w, "q=ann").await);
    let before = statuses(&w.app).await;
    let token = csrf(&w.issuer);
    let picked: Vec<(&str, &str)> = some[..3].iter().map(|id| ("award", id.as_str())).collect();
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut fields: Vec<(&str, &str)> = extra.to_vec();
        fields.extend(picked.iter().copied());
        fields
    };
    let revoke = [
        ("action", "revoke"),
        ("reason", "Fraud."),
        ("confirm", "yes"),
    ];
    // (fields, the message shown); each is refused whole (422).
    let cases: Vec<(Fields, &str)> = vec![
        (
            with(&[revoke[0], revoke[2], ("reason", " ")]),
            "A reason of 1 to 1000 characters",
        ),
        (
            with(&revoke[..2]),
            "A revocation cannot be undone: tick the box to confirm it.",
        ),
        (
            with(&[("action", "destroy"), revoke[1]]),
            "Choose what to do with the selected",
        ),
        (revoke.to_vec(), "Select at least one award to change."),
        (
            with(&[revoke[0], revoke[1], revoke[2], ("award", "x1")]),
            "&#39;x1&#39; is not an award id.",
        ),
    ];
    for (fields, message) in cases {
        let reply = batch(&w, &w.issuer, Some(&token), &fields).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{fields:?}: {}",
            reply.body
        );
        assert!(reply.body.contains(message), "{fields:?}: {}", reply.body);
        assert!(reply.body.contains("Nothing was changed."));
    }
    // What was typed is kept: the reason, and the ticks.
    let reply = batch(
        &w,
        &w.issuer,
        Some(&token),
        &with(&[
            ("action", "revoke"),
            ("reason", "Fraud, see ticket 12."),
            ("q", "ann"),
        ]),
    )
    .await;
    assert!(reply.body.contains("value=\"Fraud, see ticket 12.\""));
    assert_eq!(reply.body.matches(" checked>").count(), 3);
    // Over the cap: a clear refusal, nothing changed.
    let mut many: Vec<(&str, &str)> = vec![("action", "suspend"), ("reason", "Review.")];
    let fake: Vec<String> = (0..201).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    many.extend(fake.iter().map(|id| ("award", id.as_str())));
    let reply = batch(&w, &w.issuer, Some(&token), &many).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply
        .body
        .contains("At most 200 awards can be changed at once, and 201 were selected."));
    // No CSRF token, another session's token, an admin who is not an issuer, an outsider.
    let good = with(&revoke);
    for (who, sent) in [
        (&w.issuer, None),
        (&w.issuer, Some(csrf(&w.admin))),
        (&w.admin, Some(csrf(&w.admin))),
        (&w.outsider, Some(csrf(&w.outsider))),
    ] {
        let reply = batch(&w, who, sent.as_deref(), &good).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    }
    assert_eq!(statuses(&w.app).await, before, "nothing changed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_awards_list_works_in_chromium_at_desktop_and_phone_widths() {
    let w = world(1).await;
    let base = w.app.serve().await;
    let screenshots =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&screenshots).expect("the screenshot folder");
    let brief = json!({
        "base": base,
        "chromium": std::env::var("CREDENCE_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
        "screenshots": screenshots,
        "person": {"email": "issuer@awl.test", "password": PASSWORD},
        "list": format!("/console/{ORG}/awards"),
    });
    let report = tokio::task::spawn_blocking(move || {
        crate::support::js_harness().run_script("award_list.mjs", &[], &brief)
    })
    .await
    .expect("the browser run");
    assert_eq!(report["ok"], true, "the awards list broke: {report:#}");
    let axe = report["axe"].as_object().expect("axe results");
    assert_eq!(axe.len(), 4, "{axe:#?}");
    let failing: Vec<_> = axe
        .iter()
        .filter(|(_, v)| !v.as_array().is_some_and(Vec::is_empty))
        .collect();
    assert!(failing.is_empty(), "accessibility violations: {failing:#?}");
    assert_eq!(report["cspErrors"], json!([]), "{report:#}");
    assert_eq!(
        report["overflow"],
        json!([]),
        "wider than the window: {report:#}"
    );
    // The script ticked a page of Bob's awards with the header box and suspended them:
    // none can be (beta does not allow it), so all were skipped and nothing changed.
    assert_eq!(report["batch"], "0 suspended, 16 skipped: its achievement does not allow suspension (the credential has no suspension entry) (16).");
    let now = statuses(&w.app).await;
    assert!(now.values().all(|s| s == "active"));
}

/// The scale: 3,000 awards. Every view answers with true totals (the timings are
/// printed, not asserted), and a full page of 200 is revoked in one batch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_thousand_awards_list_with_true_totals_and_a_full_page_revokes_at_once() {
    let started = std::time::Instant::now();
    let w = world(50).await;
    eprintln!(
        "award list: a world of {} awards in {:.1} s",
        w.count,
        started.elapsed().as_secs_f64()
    );
    for (query, total, shown) in [
        ("", 3001, 50),
        ("q=ann", 1000, 50),
        ("q=%40delta&status=active", 500, 50),
        ("page=61", 3001, 1),
        ("per=200&page=15", 3001, 200),
        ("per=200&page=16", 3001, 1),
        ("status=expired", 1, 1),
    ] {
        let t = std::time::Instant::now();
        let listed = list(&w, query).await;
        eprintln!(
            "award list: {query:>26} {total} in {:.1} ms",
            t.elapsed().as_secs_f64() * 1000.0
        );
        assert_eq!(listed["total"], total, "{query}");
        assert_eq!(ids(&listed).len(), shown, "{query}");
    }
    let shown = html(&w, "").await;
    assert!(shown.body.contains("3,001 awards · showing 1–50"));
    assert!(shown.body.contains("Page 1 of 61"));
    let ann = ids(&list(&w, "q=ann&per=200").await);
    let mut fields: Vec<(&str, &str)> = vec![
        ("action", "revoke"),
        ("reason", "Test."),
        ("confirm", "yes"),
    ];
    fields.extend(ann.iter().map(|i| ("award", i.as_str())));
    let t = std::time::Instant::now();
    let reply = batch(&w, &w.issuer, Some(&csrf(&w.issuer)), &fields).await;
    eprintln!(
        "award list: a batch revocation of {} in {:.1} s",
        ann.len(),
        t.elapsed().as_secs_f64()
    );
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("200 revoked."), "{}", reply.body);
    assert_eq!(list(&w, "status=revoked").await["total"], 200);
    let expected: HashSet<String> = ann.into_iter().collect();
    assert_eq!(revoked_in_list(&w.app).await, expected);
}
