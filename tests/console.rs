//! The issuer console's pages, driven as a browser would: form posts with the session
//! cookie and its CSRF field. Awarding (and a refusal that keeps the form), status changes,
//! the CSRF check, who may open which section, bulk awards with per-row results, and API
//! tokens shown once.

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::support::{Auth, Reply, TestApp};

const ORG: &str = "console-ics";

/// The session cookie and CSRF token of a signed-in person.
pub(crate) fn session(auth: &Auth) -> (&str, &str) {
    match auth {
        Auth::Session { cookie, csrf } => (cookie, csrf),
        _ => panic!("a session was expected"),
    }
}

/// `GET path` as a browser of `auth`.
pub(crate) async fn page(app: &TestApp, auth: &Auth, path: &str) -> Reply {
    let mut request = Request::get(path).header("accept", "text/html");
    if let Auth::Session { cookie, .. } = auth {
        request = request.header("cookie", format!("credence_session={cookie}"));
    }
    app.request(request.body(Body::empty()).expect("a request"))
        .await
}

/// A form post as a browser of `auth`; `csrf` is added unless `None`.
pub(crate) async fn post(
    app: &TestApp,
    auth: &Auth,
    path: &str,
    csrf: Option<&str>,
    fields: &[(&str, &str)],
) -> Reply {
    let (cookie, _) = session(auth);
    let mut body = url::form_urlencoded::Serializer::new(String::new());
    if let Some(csrf) = csrf {
        body.append_pair("csrf", csrf);
    }
    for (k, v) in fields {
        body.append_pair(k, v);
    }
    let request = Request::post(path)
        .header("accept", "text/html")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("credence_session={cookie}"))
        .body(Body::from(body.finish()))
        .expect("a request");
    app.request(request).await
}

/// A form post with the session's own CSRF token.
pub(crate) async fn submit(
    app: &TestApp,
    auth: &Auth,
    path: &str,
    fields: &[(&str, &str)],
) -> Reply {
    let csrf = session(auth).1.to_owned();
    post(app, auth, path, Some(&csrf), fields).await
}

/// The redirect target of a 303.
pub(crate) fn location(reply: &Reply) -> String {
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    reply.header("location").to_owned()
}

/// The people and the organisation of these tests.
struct World {
    app: TestApp,
    issuer: Auth,
    admin: Auth,
    achievement: String,
}

/// An organisation with an issuer, an admin, a holder who completed the foundational
/// pathway (`done@console.test`) and one who did not (`partial@console.test`); the issuer
/// publishes the foundational achievement through the console.
async fn world() -> World {
    let app = TestApp::new().await;
    app.org(ORG, "provider", "web").await;
    let issuer = app.holder("issuer@console.test", "Ines Issuer").await;
    let admin = app.holder("admin@console.test", "Adam Admin").await;
    app.grant(ORG, "issuer@console.test", "issuer").await;
    app.grant(ORG, "admin@console.test", "admin").await;
    for (email, attested) in [("done@console.test", 30), ("partial@console.test", 5)] {
        let auth = app.holder(email, "A Holder").await;
        let me = app.call("GET", "/api/v1/me", None, &auth).await;
        let id = me.json()["id"].as_str().expect("an id").to_owned();
        crate::registry_awards::attest_foundational(&app, &id, attested).await;
    }
    let reply = submit(
        &app,
        &issuer,
        &format!("/console/{ORG}/achievements"),
        &[
            ("pathway", "foundational"),
            ("name", ""),
            ("validity_days", ""),
            // These tests suspend awards: the achievement opts in.
            ("suspendable", "yes"),
        ],
    )
    .await;
    assert!(location(&reply).ends_with("?notice=achievement-created"));
    let list = app
        .call(
            "GET",
            &format!("/api/v1/orgs/{ORG}/achievements"),
            None,
            &Auth::None,
        )
        .await;
    let achievement = list.json()["items"][0]["uuid"]
        .as_str()
        .expect("an achievement")
        .to_owned();
    World {
        app,
        issuer,
        admin,
        achievement,
    }
}

/// The organisation's awards, through the API with an issuer token.
async fn awards(app: &TestApp) -> Vec<serde_json::Value> {
    let token = app.token(ORG, "issuer").await;
    let reply = app
        .call("GET", &format!("/api/v1/orgs/{ORG}/awards"), None, &token)
        .await;
    reply.json()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn an_issuer_awards_lists_and_changes_the_status_through_the_console() {
    let w = world().await;
    let (app, issuer) = (&w.app, &w.issuer);

    let overview = page(app, issuer, &format!("/console/{ORG}")).await;
    assert_eq!(overview.status, StatusCode::OK, "{}", overview.body);
    assert!(overview.body.contains("Recent awards"));
    let achievements = page(app, issuer, &format!("/console/{ORG}/achievements")).await;
    assert!(achievements
        .body
        .contains(&format!("/achievements/{}/image.svg", w.achievement)));

    let form = page(app, issuer, &format!("/console/{ORG}/award")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form
        .body
        .contains(r#"<label for="achievement">Achievement</label>"#));
    assert!(form.body.contains("Recipient's e-mail address"));
    assert!(form.body.contains("Award credential"));

    let reply = submit(
        app,
        issuer,
        &format!("/console/{ORG}/award"),
        &[
            ("achievement", &w.achievement),
            ("email", "done@console.test"),
            ("name", ""),
            ("override_justification", ""),
        ],
    )
    .await;
    let to = location(&reply);
    let prefix = format!("/console/{ORG}/awards/");
    assert!(
        to.starts_with(&prefix) && to.ends_with("?notice=awarded"),
        "{to}"
    );
    let award_id = to[prefix.len()..to.len() - "?notice=awarded".len()].to_owned();
    let shown = page(app, issuer, &to).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert!(shown.body.contains("The credential is issued."));
    assert!(shown.body.contains(&format!("/credentials/{award_id}")));
    assert!(shown
        .body
        .contains(r#"<label for="action">New status</label>"#));
    assert!(shown.body.contains(r#"<label for="reason">Reason</label>"#));

    let list = page(app, issuer, &format!("/console/{ORG}/awards")).await;
    assert!(list.body.contains(&award_id));
    assert!(list.body.contains("tag-active"));

    let status_path = format!("/console/{ORG}/awards/{award_id}/status");
    for (action, expected) in [
        ("suspend", "suspended"),
        ("reinstate", "active"),
        ("suspend", "suspended"),
    ] {
        let reply = submit(
            app,
            issuer,
            &status_path,
            &[("action", action), ("reason", "Checking the records.")],
        )
        .await;
        assert!(location(&reply).ends_with("?notice=status-changed"));
        assert_eq!(awards(app).await[0]["status"], expected);
    }
    let overview = page(app, issuer, &format!("/console/{ORG}")).await;
    assert!(
        overview.body.contains(&award_id),
        "the suspended award waits"
    );

    // A change without a reason is refused, keeping the choice.
    let reply = submit(
        app,
        issuer,
        &status_path,
        &[("action", "revoke"), ("reason", " "), ("confirm", "yes")],
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(reply.body.contains(r#"<option value="revoke" selected>"#));
    assert_eq!(awards(app).await[0]["status"], "suspended");
    // A revocation without its confirmation is refused, and nothing changes.
    let reply = submit(
        app,
        issuer,
        &status_path,
        &[("action", "revoke"), ("reason", "Awarded in error.")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("A revocation cannot be undone"));
    assert_eq!(awards(app).await[0]["status"], "suspended");

    let reply = submit(
        app,
        issuer,
        &status_path,
        &[
            ("action", "revoke"),
            ("reason", "Awarded in error."),
            ("confirm", "yes"),
        ],
    )
    .await;
    let shown = page(app, issuer, &location(&reply)).await;
    assert!(
        shown
            .body
            .contains("The credential&#39;s status is changed.")
            || shown.body.contains("The credential's status is changed.")
    );
    assert!(shown.body.contains("Awarded in error."));
    // The history names each change, who made it and why, oldest first.
    let issued = shown
        .body
        .find("<strong>Issued</strong>")
        .expect("the issue");
    let suspended = shown
        .body
        .find("<strong>Suspended</strong>")
        .expect("a suspension");
    let revoked = shown
        .body
        .find("<strong>Revoked</strong>")
        .expect("the revocation");
    assert!(issued < suspended && suspended < revoked);
    assert_eq!(shown.body.matches("by you").count(), 5, "{}", shown.body);
    assert_eq!(awards(app).await[0]["status"], "revoked");
    // A revoked award cannot change again: a conflict, shown on the page.
    let reply = submit(
        app,
        issuer,
        &status_path,
        &[("action", "reinstate"), ("reason", "Try again.")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert_eq!(awards(app).await[0]["status"], "revoked");
}

#[tokio::test]
async fn a_refused_award_shows_what_is_missing_and_keeps_the_input() {
    let w = world().await;
    let reply = submit(
        &w.app,
        &w.issuer,
        &format!("/console/{ORG}/award"),
        &[
            ("achievement", &w.achievement),
            ("email", "partial@console.test"),
            ("name", "Kept <name>"),
            ("override_justification", ""),
        ],
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(reply.body.contains(r#"value="partial@console.test""#));
    assert!(
        reply.body.contains("Kept &#60;name&#62;") || reply.body.contains("Kept &lt;name&gt;"),
        "escaped and kept"
    );
    assert!(reply.body.contains("What is missing"));
    assert!(reply.body.contains("5 of 30"), "{}", reply.body);
    assert!(awards(&w.app).await.is_empty());

    // With a justification, it is awarded.
    let reply = submit(
        &w.app,
        &w.issuer,
        &format!("/console/{ORG}/award"),
        &[
            ("achievement", &w.achievement),
            ("email", "partial@console.test"),
            (
                "override_justification",
                "Completed the equivalent course elsewhere.",
            ),
        ],
    )
    .await;
    assert!(location(&reply).ends_with("?notice=awarded"));
    assert_eq!(awards(&w.app).await.len(), 1);
}

#[tokio::test]
async fn a_form_without_the_session_csrf_token_is_refused_and_changes_nothing() {
    let w = world().await;
    let fields = [
        ("achievement", w.achievement.as_str()),
        ("email", "done@console.test"),
    ];
    let path = format!("/console/{ORG}/award");
    for csrf in [None, Some("not-the-token")] {
        let reply = post(&w.app, &w.issuer, &path, csrf, &fields).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    }
    assert!(awards(&w.app).await.is_empty());

    let reply = submit(&w.app, &w.issuer, &path, &fields).await;
    let id = location(&reply)
        .trim_start_matches(&format!("/console/{ORG}/awards/"))
        .trim_end_matches("?notice=awarded")
        .to_owned();
    let status_path = format!("/console/{ORG}/awards/{id}/status");
    let change = [
        ("action", "revoke"),
        ("reason", "Forged."),
        ("confirm", "yes"),
    ];
    let reply = post(&w.app, &w.issuer, &status_path, Some("forged"), &change).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = post(
        &w.app,
        &w.admin,
        &format!("/console/{ORG}/keys/rotate"),
        None,
        &[("confirm", "yes")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(awards(&w.app).await[0]["status"], "active");
}

#[tokio::test]
async fn each_section_is_open_only_to_the_roles_it_is_for() {
    let w = world().await;
    let app = &w.app;
    let admin_only = ["members", "tokens", "keys", "audit"];
    for section in admin_only {
        let path = format!("/console/{ORG}/{section}");
        let reply = page(app, &w.issuer, &path).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{path}: {}",
            reply.body
        );
        assert!(
            reply.body.contains("admin role"),
            "a clear page: {}",
            reply.body
        );
        let reply = page(app, &w.admin, &path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    }
    let reply = submit(
        app,
        &w.issuer,
        &format!("/console/{ORG}/keys/rotate"),
        &[("confirm", "yes")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = submit(
        app,
        &w.issuer,
        &format!("/console/{ORG}/tokens"),
        &[("role", "issuer"), ("label", "x"), ("days", "5")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // An admin who does not issue cannot award.
    let reply = page(app, &w.admin, &format!("/console/{ORG}/award")).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = page(app, &w.admin, &format!("/console/{ORG}")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(!reply.body.contains(&format!("/console/{ORG}/award\"")));

    // Another organisation's issuer and a holder with no role are refused.
    app.org("other-ics", "provider", "key").await;
    let other = app.holder("other@console.test", "Otto Other").await;
    app.grant("other-ics", "other@console.test", "issuer").await;
    let holder = app
        .sign_in("done@console.test", "correct horse battery staple")
        .await;
    let reply = submit(
        app,
        &w.issuer,
        &format!("/console/{ORG}/award"),
        &[
            ("achievement", &w.achievement),
            ("email", "done@console.test"),
        ],
    )
    .await;
    let award_path = location(&reply).replace("?notice=awarded", "");
    for who in [&other, &holder] {
        for path in [
            format!("/console/{ORG}"),
            format!("/console/{ORG}/awards"),
            award_path.clone(),
            format!("/console/{ORG}/accreditations"),
        ] {
            let reply = page(app, who, &path).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
        }
        let reply = submit(
            app,
            who,
            &format!("{award_path}/status"),
            &[
                ("action", "revoke"),
                ("reason", "Not mine to revoke."),
                ("confirm", "yes"),
            ],
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
    }
    // The other issuer's own console does not show this organisation's award.
    let reply = page(app, &other, &award_path.replace(ORG, "other-ics")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(awards(app).await[0]["status"], "active");
    // Anonymous visitors are sent to sign in; unknown organisations are 404.
    let reply = page(app, &Auth::None, &format!("/console/{ORG}")).await;
    assert!(location(&reply).starts_with("/login?next="));
    let reply = page(app, &w.issuer, "/console/no-such-org").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

/// A row refused while the file was read (before any award was tried) is reported with the
/// line it starts on and the key it was given, so the issuer can find it in their file even
/// when a quoted field spans lines.
#[tokio::test]
async fn rows_refused_while_reading_show_their_line_and_key() {
    let w = world().await;
    let csv = "key,email,name,valid_from,override_justification\n\
               row-1,done@console.test,\"Dana\nDone\",,\n\
               row-2,not-an-address,,,\n\
               ,done@console.test,,,\n";
    let (job_path, _) = bulk_upload_and_wait(&w, csv).await;
    let report = page(&w.app, &w.issuer, &format!("{job_path}/report.csv")).await;
    let lines: Vec<&str> = report.body.lines().collect();
    assert_eq!(lines.len(), 4, "{}", report.body);
    assert!(lines[2].starts_with("2,row-2,refused,,"), "{}", report.body);
    assert!(lines[2].contains("Line 4 of the file"), "{}", report.body);
    assert!(lines[3].starts_with("3,,refused,,"), "{}", report.body);
    assert!(lines[3].contains("Line 5 of the file"), "{}", report.body);
    assert!(lines[3].contains("The key is missing"), "{}", report.body);
    let shown = page(&w.app, &w.issuer, &format!("{job_path}?only=refused")).await;
    assert!(shown.body.contains(">row-2</td>"), "{}", shown.body);
    assert!(shown.body.contains("Line 4 of the file"), "{}", shown.body);
}

#[tokio::test]
async fn a_bulk_csv_upload_makes_a_job_whose_page_lists_each_row() {
    let w = world().await;
    let csv = "key,email,name,valid_from,override_justification\n\
               row-1,done@console.test,,,\n\
               row-2,nobody@console.test,,,\n\
               row-3,partial@console.test,,,\n";
    let (job_path, job_id) = bulk_upload_and_wait(&w, csv).await;
    let shown = page(&w.app, &w.issuer, &job_path).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert!(shown.body.contains("<progress"));
    assert!(
        !shown.body.contains("data-poll"),
        "a finished job is not polled"
    );
    assert_eq!(
        shown.body.matches("tag-row-awarded").count(),
        1,
        "{}",
        shown.body
    );
    assert_eq!(shown.body.matches("tag-row-refused").count(), 2);
    assert!(shown.body.contains("row-2"));
    assert!(
        shown.body.contains("nobody@console.test"),
        "the refusal names the address"
    );
    // True totals, only the refused rows on request, and the whole report as CSV.
    assert!(shown
        .body
        .contains("<strong>1</strong> awarded or already awarded"));
    let refused = page(&w.app, &w.issuer, &format!("{job_path}?only=refused")).await;
    assert_eq!(refused.body.matches("tag-row-refused").count(), 2);
    assert_eq!(refused.body.matches("tag-row-awarded").count(), 0);
    let report = page(&w.app, &w.issuer, &format!("{job_path}/report.csv")).await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.header("content-type").starts_with("text/csv"));
    let lines: Vec<&str> = report.body.lines().collect();
    assert_eq!(lines[0], "row,key,outcome,award,message");
    assert_eq!(lines.len(), 4, "{}", report.body);
    assert!(lines[1].contains(",row-1,awarded,http"), "{}", report.body);
    assert!(lines[2].contains(",row-2,refused,,"), "{}", report.body);
    let bulk = page(&w.app, &w.issuer, &format!("/console/{ORG}/bulk")).await;
    assert!(bulk.body.contains(&job_id));

    // The upload has the bulk files' own limit, above the general one (1 MiB).
    let (cookie, csrf) = session(&w.issuer);
    let boundary = "console-test-boundary";
    let big = format!(
        "key,email,name\nbig-1,done@console.test,{}\n",
        "n".repeat(1_500_000)
    );
    let request = Request::post(format!("/console/{ORG}/bulk/upload"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("cookie", format!("credence_session={cookie}"))
        .body(Body::from(format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"achievement\"\r\n\r\n{}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n\r\n{big}\r\n--{boundary}--\r\n",
            w.achievement
        )))
        .expect("a request");
    let reply = w.app.request(request).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);

    // Without a file, the form says so.
    let request = Request::post(format!("/console/{ORG}/bulk/upload"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("cookie", format!("credence_session={cookie}"))
        .body(Body::from(format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}--\r\n"
        )))
        .expect("a request");
    let reply = w.app.request(request).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Choose a CSV file"));
}

#[tokio::test]
async fn an_admin_manages_tokens_members_and_keys() {
    let w = world().await;
    let (app, admin) = (&w.app, &w.admin);
    let tokens = format!("/console/{ORG}/tokens");
    let reply = submit(
        app,
        admin,
        &tokens,
        &[
            ("role", "issuer"),
            ("label", "Learning platform"),
            ("days", "30"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.header("cache-control"), "no-store");
    let start = reply.body.find("crd_").expect("the token value is shown");
    let value: String = reply.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    // The value works, and is never shown again.
    let works = app
        .call(
            "GET",
            &format!("/api/v1/orgs/{ORG}/awards"),
            None,
            &Auth::Token(value.clone()),
        )
        .await;
    assert_eq!(works.status, StatusCode::OK);
    let listed = page(app, admin, &tokens).await;
    assert!(listed.body.contains("Learning platform"));
    assert!(!listed.body.contains(&value));
    let bad = submit(
        app,
        admin,
        &tokens,
        &[("role", "issuer"), ("label", "x"), ("days", "9999")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains(r#"value="9999""#));
    let list = app
        .call(
            "GET",
            &format!("/api/v1/orgs/{ORG}/tokens"),
            None,
            &app.token(ORG, "admin").await,
        )
        .await;
    let id = list.json()["items"]
        .as_array()
        .and_then(|items| items.iter().find(|t| t["label"] == "Learning platform"))
        .and_then(|t| t["id"].as_str())
        .expect("the token is listed")
        .to_owned();
    let reply = submit(app, admin, &format!("{tokens}/{id}/revoke"), &[]).await;
    assert!(location(&reply).ends_with("?notice=token-revoked"));
    let refused = app
        .call(
            "GET",
            &format!("/api/v1/orgs/{ORG}/awards"),
            None,
            &Auth::Token(value),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);

    let members = format!("/console/{ORG}/members");
    let reply = submit(
        app,
        admin,
        &members,
        &[("email", "partial@console.test"), ("role", "assessor")],
    )
    .await;
    assert!(location(&reply).ends_with("?notice=member-added"));
    let shown = page(app, admin, &members).await;
    assert!(shown.body.contains("partial@console.test"));
    let reply = submit(
        app,
        admin,
        &members,
        &[("email", "unknown@console.test"), ("role", "issuer")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains(r#"value="unknown@console.test""#));
    let me = app
        .call(
            "GET",
            "/api/v1/me",
            None,
            &app.sign_in("partial@console.test", "correct horse battery staple")
                .await,
        )
        .await;
    let account = me.json()["id"].as_str().expect("an id").to_owned();
    let reply = submit(
        app,
        admin,
        &format!("{members}/remove"),
        &[("account", &account), ("role", "assessor")],
    )
    .await;
    assert!(location(&reply).ends_with("?notice=member-removed"));

    let keys = format!("/console/{ORG}/keys");
    let reply = submit(app, admin, &format!("{keys}/rotate"), &[]).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unconfirmed"
    );
    let reply = submit(app, admin, &format!("{keys}/rotate"), &[("confirm", "yes")]).await;
    assert!(location(&reply).ends_with("?notice=key-rotated"));
    let shown = page(app, admin, &keys).await;
    assert!(shown.body.contains("#key-2"));
    assert!(shown.body.contains("#key-1"));
    assert!(!shown.body.to_lowercase().contains("sealed_private"));
    // The cryptosuite: rdfc by default, jcs once chosen; an unknown one is refused.
    assert!(shown
        .body
        .contains(r#"<option value="eddsa-rdfc-2022" selected>"#));
    let reply = submit(
        app,
        admin,
        &format!("{keys}/cryptosuite"),
        &[("cryptosuite", "rsa-2048")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = submit(
        app,
        admin,
        &format!("{keys}/cryptosuite"),
        &[("cryptosuite", "eddsa-jcs-2022")],
    )
    .await;
    assert!(location(&reply).ends_with("?notice=suite-chosen"));
    let shown = page(app, admin, &keys).await;
    assert!(shown
        .body
        .contains(r#"<option value="eddsa-jcs-2022" selected>"#));
    let org = app
        .call("GET", &format!("/api/v1/orgs/{ORG}"), None, &Auth::None)
        .await;
    assert_eq!(org.json()["cryptosuite"], "eddsa-jcs-2022");

    let audit = page(app, admin, &format!("/console/{ORG}/audit")).await;
    assert_eq!(audit.status, StatusCode::OK);
    let rotate = audit
        .body
        .find("key.rotate")
        .expect("the rotation is recorded");
    let added = audit
        .body
        .find("member.add")
        .expect("the member is recorded");
    assert!(rotate < added, "newest first");
    // Entries read as sentences naming the actor and the subject; the stored record (its
    // action code and labels) is behind a disclosure.
    assert!(
        audit.body.contains(
            "<span class=\"audit-who\">Adam Admin &#60;admin@console.test&#62;</span> made a new signing key for <a href=\"/orgs/"
        ),
        "{}",
        audit.body
    );
    assert!(
        audit.body.contains("</span> gave "),
        "the member's role change reads as a sentence: {}",
        audit.body
    );
    let sentences: Vec<&str> = audit
        .body
        .split("<p class=\"audit-sentence\">")
        .skip(1)
        .map(|s| s.split("</p>").next().unwrap_or_default())
        .collect();
    assert!(!sentences.is_empty());
    for sentence in sentences {
        assert!(!sentence.contains("account:"), "{sentence}");
        assert!(!sentence.contains("key.rotate"), "{sentence}");
    }
    assert!(audit.body.contains("<details class=\"audit-record\">"));
}

#[tokio::test]
async fn achievements_and_accreditations_through_the_console() {
    let w = world().await;
    let app = &w.app;
    let achievements = format!("/console/{ORG}/achievements");
    // A product-specific pathway needs the product: refused, keeping what was typed.
    let reply = submit(
        app,
        &w.issuer,
        &achievements,
        &[
            ("pathway", "product-specific"),
            ("product_name", "ChestScan triage"),
            ("product_version", ""),
        ],
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(reply.body.contains(
        "id=\"product-error\">Give the product&#39;s name and its version: a product-specific pathway is published once per product and version.</p>"
    ));
    assert!(reply.body.contains(r#"value="ChestScan triage""#));
    assert!(reply
        .body
        .contains(r#"<option value="product-specific" selected>"#));
    let reply = submit(
        app,
        &w.issuer,
        &achievements,
        &[
            ("pathway", "product-specific"),
            ("product_name", "ChestScan triage"),
            ("product_version", "2.1"),
            ("validity_days", "365"),
        ],
    )
    .await;
    assert!(location(&reply).ends_with("?notice=achievement-created"));
    let shown = page(app, &w.issuer, &achievements).await;
    assert_eq!(
        shown.body.matches(r#"<img class="badge-thumb""#).count(),
        2,
        "{}",
        shown.body
    );
    let reply = submit(
        app,
        &w.issuer,
        &achievements,
        &[("pathway", "foundational"), ("validity_days", "soon")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains(r#"value="soon""#));

    // An accrediting body accredits the provider, which sees it received; then revokes it.
    app.org("console-body", "accrediting-body", "web").await;
    app.grant("console-body", "admin@console.test", "issuer")
        .await;
    let given = "/console/console-body/accreditations";
    let reply = submit(app, &w.admin, given, &[("provider", ORG)]).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no pathway: {}",
        reply.body
    );
    let reply = submit(
        app,
        &w.admin,
        given,
        &[
            ("provider", ORG),
            ("pathway", "foundational"),
            ("pathway", "advanced-user"),
        ],
    )
    .await;
    assert!(location(&reply).ends_with("?notice=accredited"));
    let received = page(app, &w.issuer, &format!("/console/{ORG}/accreditations")).await;
    assert_eq!(received.status, StatusCode::OK);
    assert!(received.body.contains("Organisation console-body"));
    assert!(received.body.contains("advanced-user"));
    assert!(
        !received.body.contains("Accredit a provider"),
        "a provider does not accredit"
    );
    let shown = page(app, &w.admin, given).await;
    let start =
        shown.body.find("/accreditations/").expect("a revoke form") + "/accreditations/".len();
    let id: String = shown.body[start..]
        .chars()
        .take_while(|c| *c != '/')
        .collect();
    let reply = submit(
        app,
        &w.admin,
        &format!("{given}/{id}/revoke"),
        &[("reason", " "), ("confirm", "yes")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Unconfirmed: refused, and the accreditation stands.
    let reply = submit(
        app,
        &w.admin,
        &format!("{given}/{id}/revoke"),
        &[("reason", "The provider closed.")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("cannot be undone"));
    let reply = submit(
        app,
        &w.admin,
        &format!("{given}/{id}/revoke"),
        &[("reason", "The provider closed."), ("confirm", "yes")],
    )
    .await;
    assert!(location(&reply).ends_with("?notice=accreditation-revoked"));
    let received = page(app, &w.issuer, &format!("/console/{ORG}/accreditations")).await;
    assert!(received.body.contains("The provider closed."));
    assert!(received.body.contains("tag-revoked"));
}

/// Every console page in Chromium, with work in its queues: each passes axe-core's WCAG 2.2
/// AA rules and keeps to the Content-Security-Policy (screenshots in `target/screenshots`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_console_page_passes_axe_in_chromium() {
    let w = world().await;
    let app = &w.app;
    let base = app.serve().await;
    app.grant(ORG, "issuer@console.test", "admin").await;
    let reply = submit(
        app,
        &w.issuer,
        &format!("/console/{ORG}/award"),
        &[
            ("achievement", &w.achievement),
            ("email", "done@console.test"),
        ],
    )
    .await;
    let award = location(&reply).replace("?notice=awarded", "");
    let reply = submit(
        app,
        &w.issuer,
        &format!("{award}/status"),
        &[("action", "suspend"), ("reason", "Checking the records.")],
    )
    .await;
    location(&reply);
    let token = app.token(ORG, "issuer").await;
    let request = Request::post(format!(
        "/api/v1/orgs/{ORG}/awards/bulk?achievement={}",
        w.achievement
    ))
    .header(
        "authorization",
        format!(
            "Bearer {}",
            match &token {
                Auth::Token(t) => t.clone(),
                _ => unreachable!("a token"),
            }
        ),
    )
    .header("content-type", "text/csv")
    .body(Body::from(
        "key,email\nb-1,done@console.test\nb-2,nobody@console.test\n",
    ))
    .expect("a request");
    let job = app.request(request).await.json()["id"]
        .as_str()
        .expect("a job")
        .to_owned();
    for _ in 0..100 {
        let state = app
            .call("GET", &format!("/api/v1/bulk/{job}"), None, &token)
            .await;
        if state.json()["state"] != "running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let console = format!("/console/{ORG}");
    let pages = serde_json::json!({
        "overview": console,
        "award": format!("{console}/award"),
        "awards": format!("{console}/awards"),
        "award-detail": award,
        "achievements": format!("{console}/achievements"),
        "bulk": format!("{console}/bulk"),
        "bulk-job": format!("{console}/bulk/{job}"),
        "members": format!("{console}/members"),
        "tokens": format!("{console}/tokens"),
        "keys": format!("{console}/keys"),
        "audit": format!("{console}/audit"),
        "accreditations": format!("{console}/accreditations"),
    });
    let screenshots =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&screenshots).expect("the screenshot folder");
    let brief = serde_json::json!({
        "base": base,
        "chromium": std::env::var("CREDENCE_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
        "screenshots": screenshots,
        "person": {"email": "issuer@console.test", "password": "correct horse battery staple"},
        "incomplete": "partial@console.test",
        "pages": pages,
    });
    let report = tokio::task::spawn_blocking(move || {
        crate::support::js_harness().run_script("console.mjs", &[], &brief)
    })
    .await
    .expect("the browser run");
    assert_eq!(report["ok"], true, "the console broke: {report:#}");
    let axe = report["axe"].as_object().expect("axe results");
    assert_eq!(axe.len(), 15, "every page is checked: {axe:#?}");
    let failing: Vec<_> = axe
        .iter()
        .filter(|(_, v)| !v.as_array().is_some_and(Vec::is_empty))
        .collect();
    assert!(failing.is_empty(), "accessibility violations: {failing:#?}");
    assert_eq!(report["cspErrors"], serde_json::json!([]), "{report:#}");
}

/// Landing by role: the dashboard an issuer or an assessor signs in to says first what
/// waits for them, with links.
#[tokio::test]
async fn the_dashboard_says_what_waits_for_each_role() {
    let w = world().await;
    let app = &w.app;
    let shown = page(app, &w.issuer, "/dashboard").await;
    assert!(shown.body.contains("Waiting for you"), "{}", shown.body);
    assert!(shown
        .body
        .contains(&format!("<a href=\"/console/{ORG}\">Open the console of")));
    // A holder submits evidence; an assessor of the organisation sees it waiting.
    let assessor = app.holder("asa@console.test", "Asa Assessor").await;
    app.grant(ORG, "asa@console.test", "assessor").await;
    let holder = app.holder("hal@console.test", "Hal").await;
    let body = serde_json::json!({
        "kind": "course-completion", "narrative": "Completed the module.", "date": "2026-03-01",
        "framework": "nhs-ai-confidence-2022", "statement": "T1-01", "level": "awareness"
    });
    let recorded = app
        .call("POST", "/api/v1/evidence", Some(body), &holder)
        .await;
    let id = recorded.json()["id"].as_str().expect("id").to_owned();
    let submitted = app
        .call(
            "POST",
            &format!("/api/v1/evidence/{id}/submit"),
            Some(serde_json::json!({"org": ORG})),
            &holder,
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let shown = page(app, &assessor, "/dashboard").await;
    assert!(
        shown
            .body
            .contains("1 piece of evidence waits for an assessor at"),
        "{}",
        shown.body
    );
    assert!(shown
        .body
        .contains("<a href=\"/assess\">Assess evidence</a>"));
    // A holder with no role sees no such section.
    let plain = page(app, &holder, "/dashboard").await;
    assert!(!plain.body.contains("Waiting for you"));
}

/// Uploads `csv` as a bulk award of the world's achievement through the console and waits
/// for the job to end; returns the job page's path and the job id.
async fn bulk_upload_and_wait(w: &World, csv: &str) -> (String, String) {
    let (cookie, csrf) = session(&w.issuer);
    let boundary = "console-test-boundary";
    let mut body = String::new();
    for (name, value) in [("csrf", csrf), ("achievement", w.achievement.as_str())] {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cohort.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    ));
    let request = Request::post(format!("/console/{ORG}/bulk/upload"))
        .header("accept", "text/html")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("cookie", format!("credence_session={cookie}"))
        .body(Body::from(body))
        .expect("a request");
    let reply = w.app.request(request).await;
    let job_path = location(&reply);
    let job_id = job_path.rsplit('/').next().expect("a job id").to_owned();
    let mut finished = false;
    for _ in 0..200 {
        let job = w
            .app
            .call("GET", &format!("/api/v1/bulk/{job_id}"), None, &w.issuer)
            .await;
        if job.json()["state"] != "running" {
            finished = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(finished, "the job ends");
    (job_path, job_id)
}

/// A large job's rows page through, 200 at a time, and the CSV report has every row.
#[tokio::test]
async fn a_large_bulk_job_pages_through_every_row() {
    let w = world().await;
    let mut csv = String::from("key,email,name,valid_from,override_justification\n");
    for i in 1..=205 {
        csv.push_str(&format!("k-{i},nobody{i}@console.test,,,\n"));
    }
    let (job_path, _) = bulk_upload_and_wait(&w, &csv).await;
    let first = page(&w.app, &w.issuer, &job_path).await;
    assert_eq!(first.body.matches("tag-row-refused").count(), 200);
    assert!(
        first.body.contains("<strong>205</strong> refused"),
        "{}",
        first.body
    );
    assert!(
        first.body.contains("?page=2\" rel=\"next\">Next rows</a>"),
        "{}",
        first.body
    );
    let second = page(&w.app, &w.issuer, &format!("{job_path}?page=2")).await;
    assert_eq!(second.body.matches("tag-row-refused").count(), 5);
    assert!(second.body.contains("k-205"));
    assert!(!second.body.contains("Next rows"));
    let report = page(&w.app, &w.issuer, &format!("{job_path}/report.csv")).await;
    assert_eq!(report.body.lines().count(), 206);
    // Page numbers a hand-edited link may carry: no panic, no 500.
    for odd in ["0", "99", "18446744073709551615"] {
        let shown = page(&w.app, &w.issuer, &format!("{job_path}?page={odd}")).await;
        assert_eq!(shown.status, StatusCode::OK, "page={odd}");
    }
}

/// Issuing on a loopback public address is warned of in the console: credentials would name
/// an address nobody else can reach. (Tests run on one.)
#[tokio::test]
async fn the_console_warns_when_the_public_address_is_local() {
    let w = world().await;
    let shown = page(&w.app, &w.issuer, &format!("/console/{ORG}")).await;
    assert!(
        shown.body.contains("which only this machine can reach"),
        "{}",
        shown.body
    );
    assert!(shown.body.contains(&w.app.base_url));
}
