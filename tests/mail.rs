//! E-mail through a real SMTP server (aiosmtpd, started by each test): password reset from
//! the e-mailed link, the outbox keeping what the server cannot take yet, one delivery per
//! message with two workers on one database, refusals recorded as bounces.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use credence_domain::registry::OutboxState;
use credence_mail::SmtpSender;
use credence_service::mail::MailSettings;
use credence_service::{Actor, Operator, Page, RegistryConfig};

use crate::smtp_sink::SmtpSink;
use crate::support::{Auth, TestApp, TestDb};

const PASSWORD: &str = "correct horse battery staple";
const NEW_PASSWORD: &str = "a brand new passphrase 2026";

/// Settings sending to `url` at once, and retrying at once after a failure.
pub(crate) fn mail_to(url: &str) -> MailSettings {
    MailSettings {
        smtp: Some(SmtpSender::from_url(url).expect("an SMTP URL")),
        retry_base: std::time::Duration::ZERO,
        ..MailSettings::outbox_only(
            credence_mail::Sender::parse("Credence <no-reply@credence.test>").expect("a sender"),
        )
    }
}

pub(crate) async fn app_mailing(db: Arc<TestDb>, url: &str) -> TestApp {
    let store = db.store().await;
    let mail = mail_to(url);
    TestApp::over_with(db, store, move |base| RegistryConfig {
        mail,
        ..RegistryConfig::for_tests(base).expect("test settings")
    })
    .await
}

pub(crate) async fn deliver(app: &TestApp, owner: &str) -> credence_service::mail::DeliveryRound {
    let registry = &app.services.registry;
    let sender = registry.config().mail.smtp.clone().expect("a server");
    registry
        .with_operator(&operator())
        .send_due_mail(&sender, owner)
        .await
        .expect("a delivery round")
}

/// GETs a form page and returns its anti-forgery token (cookie and field are the same).
pub(crate) async fn form_token(app: &TestApp, path: &str) -> (StatusCode, String, String) {
    let reply = app.get(path, "text/html").await;
    let token = reply
        .header("set-cookie")
        .strip_prefix("credence_form=")
        .and_then(|rest| rest.split(';').next())
        .unwrap_or_default()
        .to_owned();
    (reply.status, token, reply.body)
}

pub(crate) async fn post_form(
    app: &TestApp,
    path: &str,
    token: &str,
    fields: &[(&str, &str)],
) -> crate::support::Reply {
    let mut body = url::form_urlencoded::Serializer::new(String::new());
    body.append_pair("form_token", token);
    for (k, v) in fields {
        body.append_pair(k, v);
    }
    let request = Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("credence_form={token}"))
        .header("accept", "text/html")
        .body(Body::from(body.finish()))
        .expect("a request");
    app.request(request).await
}

#[tokio::test]
async fn a_forgotten_password_is_reset_through_the_emailed_link() {
    let sink = SmtpSink::start();
    let app = app_mailing(Arc::new(TestDb::new().await), &sink.url()).await;
    let old_session = app.holder("ada@example.org", "Ada Lovelace").await;

    // Asking: the page answers the same for a known and an unknown address.
    let (status, token, body) = form_token(&app, "/password/forgot").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Send me a link"), "{body}");
    let known = post_form(
        &app,
        "/password/forgot",
        &token,
        &[("email", "Ada@Example.org")],
    )
    .await;
    let unknown = post_form(
        &app,
        "/password/forgot",
        &token,
        &[("email", "nobody@example.org")],
    )
    .await;
    assert_eq!(known.status, StatusCode::OK, "{}", known.body);
    assert_eq!(unknown.status, StatusCode::OK);
    assert!(known.body.contains("If an account uses"));
    assert!(unknown.body.contains("If an account uses"));
    let bad = post_form(
        &app,
        "/password/forgot",
        &token,
        &[("email", "not an address")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("field-error"), "{}", bad.body);

    let round = deliver(&app, "test").await;
    assert_eq!(round.sent, 1, "{round:?}");
    let mail = sink.wait_for(1).await;
    assert_eq!(mail.len(), 1, "one message, to the known address only");
    let message = &mail[0];
    assert_eq!(message.to, ["ada@example.org"]);
    assert_eq!(message.from, "no-reply@credence.test");
    assert_eq!(
        message.header("Subject").as_deref(),
        Some("Reset your Credence password")
    );
    assert!(
        message.header("List-Unsubscribe").is_none(),
        "security mail cannot be turned off"
    );
    let listed = outbox(&app).await;
    assert_eq!(
        message.header("Message-ID").as_deref(),
        Some(listed.messages[0].message_id.as_str()),
        "the message id is the one fixed in the outbox"
    );
    assert_eq!(listed.messages[0].state, OutboxState::Sent);
    assert!(
        message.html().contains("Choose a new password"),
        "{}",
        message.html()
    );
    let link = message
        .link(&format!("{}/password/reset/", app.base_url))
        .expect("a reset link in the text part");
    let path = link
        .strip_prefix(&app.base_url)
        .expect("a link to this Credence")
        .to_owned();

    // The link's page, a too-short password, then the new one.
    let (status, token, body) = form_token(&app, &path).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("New password"), "{body}");
    let short = post_form(&app, &path, &token, &[("password", "short")]).await;
    assert_eq!(
        short.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        short.body
    );
    let done = post_form(&app, &path, &token, &[("password", NEW_PASSWORD)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.header("location"), "/login?notice=password-reset");
    let login = app.get("/login?notice=password-reset", "text/html").await;
    assert!(
        login.body.contains("Your password is changed"),
        "{}",
        login.body
    );

    // Every session ended; the old password no longer works, the new one does.
    let me = app.call("GET", "/api/v1/me", None, &old_session).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED, "{}", me.body);
    let old = app
        .call(
            "POST",
            "/api/v1/session",
            Some(serde_json::json!({"email": "ada@example.org", "password": PASSWORD})),
            &Auth::None,
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    app.sign_in("ada@example.org", NEW_PASSWORD).await;

    // The link works once.
    let again = app.get(&path, "text/html").await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(again.body.contains("Ask for a new link"));
    let reuse = post_form(
        &app,
        &path,
        &token,
        &[("password", "yet another passphrase")],
    )
    .await;
    assert_eq!(reuse.status, StatusCode::GONE);
    app.sign_in("ada@example.org", NEW_PASSWORD).await;
}

#[tokio::test]
async fn asking_again_and_again_sends_at_most_three_links_an_hour() {
    let sink = SmtpSink::start();
    let app = app_mailing(Arc::new(TestDb::new().await), &sink.url()).await;
    app.holder("grace@example.org", "Grace Hopper").await;
    for _ in 0..5 {
        app.services
            .registry
            .accounts()
            .request_password_reset("grace@example.org")
            .await
            .expect("asked");
    }
    assert_eq!(deliver(&app, "test").await.sent, 3);
    let mail = sink.wait_for(3).await;
    assert_eq!(mail.len(), 3);
    // Only the newest link works: each new one retires the one before.
    let links: Vec<String> = mail
        .iter()
        .map(|m| {
            m.link(&format!("{}/password/reset/", app.base_url))
                .expect("a link")
        })
        .collect();
    for (i, link) in links.iter().enumerate() {
        let path = link.strip_prefix(&app.base_url).expect("ours");
        let page = app.get(path, "text/html").await;
        let expected = if i == 2 {
            StatusCode::OK
        } else {
            StatusCode::GONE
        };
        assert_eq!(page.status, expected, "link {i}");
    }
}

/// The outbox's first page, as the operator sees it.
pub(crate) async fn outbox(app: &TestApp) -> credence_service::mail::OutboxPage {
    app.services
        .registry
        .with_operator(&operator())
        .outbox(
            None,
            Page {
                offset: 0,
                limit: 10,
            },
        )
        .await
        .expect("the outbox")
}

pub(crate) fn operator() -> credence_service::actor::OperatorPower {
    Actor::from_operator(&Operator::local_command_line())
        .operator()
        .expect("the operator")
}

#[tokio::test]
async fn mail_waits_while_the_server_is_down_and_goes_once_when_it_is_back() {
    // A port nothing listens on, yet.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("its address")
        .port();
    let app = app_mailing(
        Arc::new(TestDb::new().await),
        &format!("smtp://127.0.0.1:{port}"),
    )
    .await;
    for who in ["a", "b", "c"] {
        app.holder(&format!("{who}@example.org"), who).await;
        app.services
            .registry
            .accounts()
            .request_password_reset(&format!("{who}@example.org"))
            .await
            .expect("asked");
    }
    let round = deliver(&app, "test").await;
    assert_eq!((round.sent, round.retried), (0, 3), "{round:?}");
    let waiting = outbox(&app).await;
    assert!(waiting
        .messages
        .iter()
        .all(|m| m.state == OutboxState::Queued && m.attempts == 1));
    assert!(waiting.messages.iter().all(|m| m.last_error.is_some()));

    let sink = SmtpSink::start_with(port, "");
    let round = deliver(&app, "test").await;
    assert_eq!(round.sent, 3, "{round:?}");
    assert_eq!(deliver(&app, "test").await.sent, 0, "nothing is sent twice");
    let mail = sink.wait_for(3).await;
    assert_eq!(mail.len(), 3);
    let mut ids: Vec<String> = mail.iter().filter_map(|m| m.header("Message-ID")).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "three distinct messages");
}

#[tokio::test]
async fn two_workers_on_one_database_send_each_message_once() {
    let sink = SmtpSink::start();
    let db = Arc::new(TestDb::new().await);
    let first = app_mailing(db.clone(), &sink.url()).await;
    let second = app_mailing(db, &sink.url()).await;
    for n in 0..12 {
        let email = format!("person{n}@example.org");
        first.holder(&email, "Someone").await;
        first
            .services
            .registry
            .accounts()
            .request_password_reset(&email)
            .await
            .expect("asked");
    }
    let (a, b) = tokio::join!(deliver(&first, "worker-a"), deliver(&second, "worker-b"));
    assert_eq!(a.sent + b.sent, 12, "{a:?} {b:?}");
    let mail = sink.wait_for(12).await;
    // Give a double delivery time to show.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mail_after = sink.received();
    assert_eq!(mail.len(), 12);
    assert_eq!(mail_after.len(), 12, "no message was sent twice");
}

#[tokio::test]
async fn a_refused_address_is_recorded_as_bounced() {
    let sink = SmtpSink::start_with(0, "gone");
    let app = app_mailing(Arc::new(TestDb::new().await), &sink.url()).await;
    app.holder("gone@example.org", "Gone").await;
    app.services
        .registry
        .accounts()
        .request_password_reset("gone@example.org")
        .await
        .expect("asked");
    let round = deliver(&app, "test").await;
    assert_eq!(round.bounced, 1, "{round:?}");
    let outbox = outbox(&app).await;
    let m = &outbox.messages[0];
    assert_eq!(m.state, OutboxState::Bounced);
    assert!(
        m.last_error.as_deref().unwrap_or("").contains("550"),
        "{m:?}"
    );
    assert_eq!(
        deliver(&app, "test").await,
        Default::default(),
        "a bounce is not retried"
    );
    assert!(sink.received().is_empty());
}

#[tokio::test]
async fn the_delivery_worker_sends_what_this_process_queues_at_once() {
    let sink = SmtpSink::start();
    // The worker looks by itself only once an hour: what arrives came by the wake-up.
    let db = Arc::new(TestDb::new().await);
    let store = db.store().await;
    let mail = MailSettings {
        poll: std::time::Duration::from_secs(3600),
        ..mail_to(&sink.url())
    };
    let app = TestApp::over_with(db, store, move |base| RegistryConfig {
        mail,
        ..RegistryConfig::for_tests(base).expect("test settings")
    })
    .await;
    let worker = app
        .services
        .registry
        .spawn_mail_delivery()
        .expect("a worker");
    app.holder("ada@example.org", "Ada").await;
    app.services
        .registry
        .accounts()
        .request_password_reset("ada@example.org")
        .await
        .expect("asked");
    let mail = sink.wait_for(1).await;
    worker.abort();
    assert_eq!(mail.len(), 1);
}

#[tokio::test]
async fn without_a_server_mail_waits_and_the_operator_sees_it() {
    let app = TestApp::new().await; // no mail server: the tests' default
    assert!(app.services.registry.spawn_mail_delivery().is_none());
    let holder = app.holder("ada@example.org", "Ada").await;
    app.services
        .registry
        .accounts()
        .request_password_reset("ada@example.org")
        .await
        .expect("asked");
    use credence_service::accounts::{NewAccount, Password};
    app.services
        .registry
        .with_operator(&operator())
        .create_account_as_operator(
            NewAccount {
                email: "operator@example.org".into(),
                display_name: "Operator".into(),
                password: Password::new("operator password!".into()),
            },
            true,
        )
        .await
        .expect("an operator");
    let op = app
        .sign_in("operator@example.org", "operator password!")
        .await;
    let Auth::Session { cookie, .. } = &op else {
        panic!("a session")
    };
    let page = app
        .request(
            Request::get("/operator/mail")
                .header("cookie", format!("credence_session={cookie}"))
                .header("accept", "text/html")
                .body(Body::empty())
                .expect("a request"),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("No mail server is set"), "{}", page.body);
    assert!(page.body.contains("Reset your Credence password"));
    assert!(page.body.contains("ada@example.org"));
    assert!(page.body.contains("Queued (1)"), "{}", page.body);
    assert!(
        !page.body.contains("/password/reset/"),
        "bodies (and their links) are never shown"
    );
    let json = app.call("GET", "/operator/mail", None, &op).await;
    assert_eq!(json.status, StatusCode::OK);
    assert_eq!(json.json()["messages"][0]["state"], "queued");
    assert_eq!(json.json()["total"], 1);
    let queued = app
        .call("GET", "/operator/mail?state=queued", None, &op)
        .await;
    assert_eq!(queued.json()["total"], 1);
    let sent = app
        .call("GET", "/operator/mail?state=sent", None, &op)
        .await;
    assert_eq!(sent.json()["total"], 0);
    let unknown = app
        .call("GET", "/operator/mail?state=lost", None, &op)
        .await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.body
    );
    assert!(unknown.body.contains("outbox state"), "{}", unknown.body);
    let far = app
        .call("GET", "/operator/mail?page=18446744073709551615", None, &op)
        .await;
    assert_eq!(far.status, StatusCode::OK, "{}", far.body);
    assert_eq!(far.json()["messages"], serde_json::json!([]));
    let refused = app.call("GET", "/operator/mail", None, &holder).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[test]
fn the_cli_lists_the_outbox_and_refuses_to_send_without_a_server() {
    let dir = tempfile::tempdir().expect("a folder");
    let list = crate::support::credence(dir.path(), &["mail", "outbox"], &[]);
    assert!(list.status.success(), "{}", crate::support::stderr(&list));
    let out = crate::support::stdout(&list);
    assert!(out.contains("Outbox: empty"), "{out}");
    assert!(out.contains("mail.smtp_url is not set"), "{out}");
    let send = crate::support::credence(dir.path(), &["mail", "send"], &[]);
    assert!(!send.status.success());
    assert!(crate::support::stderr(&send).contains("mail.smtp_url"));
    let bad = crate::support::credence(
        dir.path(),
        &["mail", "send"],
        &[("CREDENCE_SMTP_URL", "http://mail.example")],
    );
    assert!(!bad.status.success());
    assert!(
        crate::support::stderr(&bad).contains("mail.smtp_url"),
        "{}",
        crate::support::stderr(&bad)
    );
    // A sender that is not an address is refused at start, not at the first message.
    let bad_from = crate::support::credence(
        dir.path(),
        &["mail", "outbox"],
        &[("CREDENCE_MAIL_FROM", "Credence without an address")],
    );
    assert_eq!(
        bad_from.status.code(),
        Some(2),
        "{}",
        crate::support::stderr(&bad_from)
    );
    assert!(
        crate::support::stderr(&bad_from).contains("mail.from"),
        "{}",
        crate::support::stderr(&bad_from)
    );
}

#[tokio::test]
async fn a_registered_address_is_confirmed_by_its_link_before_evidence_is_submitted() {
    let sink = SmtpSink::start();
    let db = Arc::new(TestDb::new().await);
    let store = db.store().await;
    let mail = mail_to(&sink.url());
    let app = TestApp::over_with(db, store, move |base| RegistryConfig {
        mail,
        confirm_addresses: true,
        ..RegistryConfig::for_tests(base).expect("test settings")
    })
    .await;
    app.org("confirm-ics", "provider", "web").await;
    let ada = app.holder("ada@example.org", "Ada Lovelace").await;
    assert_eq!(
        deliver(&app, "test").await.sent,
        1,
        "the link goes at registration"
    );
    let mail = sink.wait_for(1).await;
    assert_eq!(
        mail[0].header("Subject").as_deref(),
        Some("Confirm your e-mail address for Credence")
    );
    let link = mail[0]
        .link(&format!("{}/account/confirm/", app.base_url))
        .expect("a confirmation link");
    let path = link.strip_prefix(&app.base_url).expect("ours").to_owned();

    // Before confirming: evidence is kept as a draft, but not submitted.
    let draft = app
        .call(
            "POST",
            "/api/v1/evidence",
            Some(serde_json::json!({
                "kind": "reflective-account",
                "narrative": "What I learnt about T1-01.",
                "date": "2026-03-01",
                "framework": "nhs-ai-confidence-2022",
                "statement": "T1-01",
                "level": "awareness",
            })),
            &ada,
        )
        .await;
    assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.body);
    let id = draft.json()["id"].as_str().expect("an id").to_owned();
    let submit = |auth: Auth| {
        let path = format!("/api/v1/evidence/{id}/submit");
        let app = &app;
        async move {
            app.call(
                "POST",
                &path,
                Some(serde_json::json!({"org": "confirm-ics"})),
                &auth,
            )
            .await
        }
    };
    let refused = submit(ada.clone()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(
        refused.body.contains("Confirm your e-mail address"),
        "{}",
        refused.body
    );
    let me = app.call("GET", "/api/v1/me", None, &ada).await;
    assert_eq!(me.json()["email_confirmed"], false);
    let Auth::Session { cookie, csrf } = &ada else {
        panic!("a session")
    };
    let dashboard = app
        .request(
            Request::get("/dashboard")
                .header("cookie", format!("credence_session={cookie}"))
                .body(Body::empty())
                .expect("a request"),
        )
        .await;
    assert!(
        dashboard.body.contains("Send the link again"),
        "{}",
        dashboard.body
    );

    // Asking again: a new link, up to three an hour (the first was at registration).
    for expected in [
        StatusCode::SEE_OTHER,
        StatusCode::SEE_OTHER,
        StatusCode::TOO_MANY_REQUESTS,
    ] {
        let again = app
            .request(
                Request::post("/account/confirm/resend")
                    .header("cookie", format!("credence_session={cookie}"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from(format!("csrf={csrf}")))
                    .expect("a request"),
            )
            .await;
        assert_eq!(again.status, expected, "{}", again.body);
    }
    assert_eq!(deliver(&app, "test").await.sent, 2);
    let newest = sink
        .wait_for(3)
        .await
        .last()
        .and_then(|m| m.link(&format!("{}/account/confirm/", app.base_url)))
        .expect("a newer link");
    let newest = newest.strip_prefix(&app.base_url).expect("ours").to_owned();
    // Each new link retires the one before.
    assert_eq!(app.get(&path, "text/html").await.status, StatusCode::GONE);

    // The link opens a page with a button; a GET alone confirms nothing.
    let (status, token, body) = form_token(&app, &newest).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("ada@example.org"), "{body}");
    let me = app.call("GET", "/api/v1/me", None, &ada).await;
    assert_eq!(me.json()["email_confirmed"], false);
    let done = post_form(&app, &newest, &token, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.header("location"), "/login?notice=address-confirmed");
    let me = app.call("GET", "/api/v1/me", None, &ada).await;
    assert_eq!(me.json()["email_confirmed"], true);
    let submitted = submit(ada.clone()).await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let again = post_form(&app, &newest, &token, &[]).await;
    assert_eq!(again.status, StatusCode::GONE, "the link works once");
}

#[tokio::test]
async fn notifications_come_in_the_app_and_by_email_until_unsubscribed_in_one_click() {
    use crate::registry_awards::{account_id, attest_foundational, award, issuer_setup};
    let sink = SmtpSink::start();
    let app = app_mailing(Arc::new(TestDb::new().await), &sink.url()).await;
    let (issuer, achievement) = issuer_setup(&app, "notify-ics", "web").await;
    let ada = app.holder("ada@example.org", "Ada Lovelace").await;
    attest_foundational(&app, &account_id(&app, &ada).await, 30).await;

    // Awarded: in the app, and by e-mail with a one-click unsubscribe for that kind.
    let first = award(
        &app,
        "notify-ics",
        &issuer,
        serde_json::json!({"achievement": achievement, "email": "ada@example.org", "key": "n-1"}),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let award_id = first.json()["award"]["id"].as_str().expect("id").to_owned();
    assert_eq!(deliver(&app, "test").await.sent, 1);
    let mail = sink.wait_for(1).await;
    let subject = mail[0].header("Subject").unwrap_or_default();
    assert!(subject.starts_with("You have been awarded"), "{subject}");
    assert!(mail[0]
        .text()
        .contains(&format!("{}/credentials/{award_id}", app.base_url)));
    assert_eq!(
        mail[0].header("List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    let unsubscribe = mail[0]
        .header("List-Unsubscribe")
        .expect("an unsubscribe header")
        .trim_matches(|c| c == '<' || c == '>')
        .to_owned();
    let listed = app.call("GET", "/notifications", None, &ada).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    assert_eq!(listed.json()["unread"], 1);
    assert_eq!(listed.json()["items"][0]["kind"], "credential_awarded");

    // A forged token is refused; the real one works with no session, as a mail client
    // posts it (RFC 8058).
    let path = unsubscribe
        .strip_prefix(&app.base_url)
        .expect("ours")
        .to_owned();
    let forged = format!("{}x", &path[..path.len() - 1]);
    let one_click = |path: String| {
        Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from("List-Unsubscribe=One-Click"))
            .expect("a request")
    };
    assert_eq!(
        app.request(one_click(forged)).await.status,
        StatusCode::NOT_FOUND
    );
    let page = app.get(&path, "text/html").await;
    assert!(page.body.contains("Stop these e-mails"), "{}", page.body);
    let done = app.request(one_click(path.clone())).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);

    // A second award: in the app only. A revocation: by e-mail too (another kind).
    let second = award(
        &app,
        "notify-ics",
        &issuer,
        serde_json::json!({"achievement": achievement, "email": "ada@example.org", "key": "n-2"}),
    )
    .await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);
    let revoked = app
        .call(
            "POST",
            &format!("/api/v1/awards/{award_id}/status"),
            Some(serde_json::json!({"action": "revoke", "reason": "Awarded in error."})),
            &issuer,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert_eq!(
        deliver(&app, "test").await.sent,
        1,
        "only the revocation is e-mailed"
    );
    let mail = sink.wait_for(2).await;
    assert_eq!(mail.len(), 2);
    assert!(mail[1]
        .header("Subject")
        .unwrap_or_default()
        .ends_with("was revoked"));
    assert!(
        mail[1].text().contains("Awarded in error."),
        "{}",
        mail[1].text()
    );
    let listed = app.call("GET", "/notifications", None, &ada).await.json();
    assert_eq!(listed["unread"], 3, "{listed:#}");
    let choices: Vec<(String, bool)> = listed["email"]
        .as_array()
        .expect("choices")
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap_or_default().to_owned(),
                c["email"] == true,
            )
        })
        .collect();
    assert!(
        choices.contains(&("credential_awarded".into(), false)),
        "{choices:?}"
    );
    assert!(
        choices.contains(&("credential_status".into(), true)),
        "{choices:?}"
    );

    // The page: mark all read, and turn awards back on.
    let Auth::Session { cookie, csrf } = &ada else {
        panic!("a session")
    };
    let form = |path: &str, body: String| {
        Request::post(path)
            .header("cookie", format!("credence_session={cookie}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("a request")
    };
    let read = app
        .request(form("/notifications/read", format!("csrf={csrf}")))
        .await;
    assert_eq!(read.status, StatusCode::SEE_OTHER);
    let saved = app
        .request(form(
            "/notifications/email",
            format!("csrf={csrf}&email=credential_awarded&email=evidence_decided"),
        ))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let listed = app.call("GET", "/notifications", None, &ada).await.json();
    assert_eq!(listed["unread"], 0);
    assert_eq!(listed["email"][0]["email"], true);
    assert_eq!(listed["email"][1]["email"], false);
    // An assessor's decision, with the comment, in the app and by e-mail.
    let assessor = app.holder("grace@example.org", "Grace Hopper").await;
    app.grant("notify-ics", "grace@example.org", "assessor")
        .await;
    let draft = app
        .call(
            "POST",
            "/api/v1/evidence",
            Some(serde_json::json!({
                "kind": "reflective-account",
                "narrative": "What I learnt about T1-02.",
                "date": "2026-03-01",
                "framework": "nhs-ai-confidence-2022",
                "statement": "T1-02",
                "level": "awareness",
            })),
            &ada,
        )
        .await;
    assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.body);
    let evidence = draft.json()["id"].as_str().expect("an id").to_owned();
    let submitted = app
        .call(
            "POST",
            &format!("/api/v1/evidence/{evidence}/submit"),
            Some(serde_json::json!({"org": "notify-ics"})),
            &ada,
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let decided = app
        .call(
            "POST",
            &format!("/api/v1/evidence/{evidence}/decision"),
            Some(
                serde_json::json!({"decision": "reject", "comment": "No date on the certificate."}),
            ),
            &assessor,
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);
    assert_eq!(deliver(&app, "test").await.sent, 1);
    let mail = sink.wait_for(3).await;
    assert_eq!(
        mail[2].header("Subject").as_deref(),
        Some("Your evidence for T1-02 was not attested")
    );
    assert!(
        mail[2].text().contains("No date on the certificate."),
        "{}",
        mail[2].text()
    );
    let listed = app.call("GET", "/notifications", None, &ada).await.json();
    assert_eq!(listed["unread"], 1, "{listed:#}");
    assert_eq!(listed["items"][0]["kind"], "evidence_decided");
    assert_eq!(listed["items"][0]["link"], format!("/evidence/{evidence}"));

    let html = app
        .request(
            Request::get("/notifications")
                .header("cookie", format!("credence_session={cookie}"))
                .body(Body::empty())
                .expect("a request"),
        )
        .await;
    assert!(html.body.contains("was revoked"), "{}", html.body);
    assert!(html.body.contains("Awarded in error."));
}
