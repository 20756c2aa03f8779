//! What the logs say: a fault of ours is logged once with its whole chain of causes and
//! never shown, a duplicate names the constraint it broke, a request's JSON log follows it
//! into the use cases it ran (with their ids), and a debug log of signing in and making a
//! token holds none of the secrets involved.

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::observability::LoggingServer;
use crate::support::{Auth, TestApp};

/// Log lines written by the subscriber that [`capture`] installs.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("the log").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    /// Every line logged so far, parsed.
    fn entries(&self) -> Vec<Value> {
        let bytes = self.0.lock().expect("the log").clone();
        String::from_utf8_lossy(&bytes)
            .lines()
            .map(|line| serde_json::from_str(line).expect("a JSON log line"))
            .collect()
    }

    /// Everything logged so far, as text.
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("the log")).into_owned()
    }
}

/// Logs everything at `filter` made on this thread (a `#[tokio::test]` runs its requests on
/// it) as the server's JSON log does, until the guard is dropped.
fn capture(filter: &str) -> (Captured, tracing::subscriber::DefaultGuard) {
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(move || writer.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    // A callsite first reached by another test's thread while this subscriber was being
    // set may have cached "never" for it; ask every callsite again now that it is set.
    tracing::callsite::rebuild_interest_cache();
    (log, guard)
}

/// Breaks the stored data with `sql`, then checks `GET path` answers a plain 500 and the
/// one error line logged for it carries the chain of causes, `expected` among them.
async fn check(app: &TestApp, sql: &str, path: &str, expected: &[&str]) {
    let conn = sea_orm::Database::connect(&app.db.url)
        .await
        .expect("connect");
    sea_orm::ConnectionTrait::execute_unprepared(&conn, sql)
        .await
        .expect("break the data");
    conn.close().await.expect("close");

    let (log, guard) = capture("info");
    let reply = app.get(path, "application/json").await;
    drop(guard);
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR, "{path}");
    assert_eq!(
        reply.json()["detail"],
        "Something went wrong on our side. It has been logged.",
        "{path}"
    );
    let errors: Vec<Value> = log
        .entries()
        .into_iter()
        .filter(|e| e["level"] == "ERROR" && e["fields"]["error"].is_string())
        .collect();
    assert_eq!(errors.len(), 1, "{path}: logged once: {errors:?}");
    let chain = errors[0]["fields"]["error"].as_str().unwrap_or_default();
    for part in expected {
        assert!(chain.contains(part), "{path}: {part:?} in {chain:?}");
        assert!(!reply.body.contains(part), "{path}: {part:?} shown");
    }
    assert_eq!(errors[0]["span"]["path"], path, "in the request's span");
}

#[tokio::test]
async fn faults_are_logged_once_with_their_causes_and_never_shown() {
    let app = TestApp::new().await;
    app.org("acme", "provider", "web").await;
    check(
        &app,
        "UPDATE signing_keys SET public_key_multibase = 'z-not-a-key'",
        "/orgs/acme/did.json",
        &["internal error: reading a stored public key: ", "multibase"],
    )
    .await;
    check(
        &app,
        "ALTER TABLE organisations RENAME TO organisations_gone",
        "/orgs/acme",
        &[
            "internal error: a database call failed: database error: ",
            "organisations",
        ],
    )
    .await;
}

/// The JSON log of a request has a line for the use case it ran, carrying the use case's
/// id field and the request's id, with how long it took.
#[test]
fn a_requests_json_log_shows_its_use_case_with_its_id() {
    let server = LoggingServer::start("info");
    let response = server.get("/orgs/no-such-org", "follow-me-7");
    assert!(response.starts_with("HTTP/1.1 404"), "{response}");
    let line = server
        .wait_for(|l| {
            serde_json::from_str::<Value>(l).is_ok_and(|e| e["span"]["name"] == "org_profile")
        })
        .unwrap_or_else(|| panic!("no line of the use case: {:?}", server.lines()));
    let entry: Value = serde_json::from_str(&line).expect("a JSON log line");
    assert_eq!(entry["span"]["name"], "org_profile", "{entry}");
    assert_eq!(entry["span"]["slug"], "no-such-org", "{entry}");
    assert_eq!(entry["span"]["request_id"], "follow-me-7", "{entry}");
    assert!(entry["fields"]["time.busy"].is_string(), "{entry}");
    // Store calls are at debug: the default log does not show them.
    assert!(
        !server
            .lines()
            .iter()
            .any(|l| l.contains("\"name\":\"read\"")),
        "{:?}",
        server.lines()
    );
}

#[tokio::test]
async fn a_debug_log_of_signing_in_and_making_a_token_holds_no_secret() {
    let app = TestApp::new().await;
    app.org("acme", "provider", "web").await;
    let (log, guard) = capture("debug");
    let admin = app.holder("ada@example.org", "Ada").await;
    app.grant("acme", "ada@example.org", "admin").await;
    let made = app
        .call(
            "POST",
            "/api/v1/orgs/acme/tokens",
            Some(json!({"role": "issuer", "label": "ci"})),
            &admin,
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let token = made.json()["token"]
        .as_str()
        .expect("the token's value")
        .to_owned();
    let used = app
        .call(
            "GET",
            "/api/v1/orgs/acme/awards",
            None,
            &Auth::Token(token.clone()),
        )
        .await;
    assert_eq!(used.status, StatusCode::OK, "{}", used.body);
    drop(guard);

    let text = log.text();
    // The log is the debug one: use cases and store calls with their ids.
    for span in [
        "\"name\":\"register\"",
        "\"name\":\"sign_in\"",
        "\"name\":\"create_token\"",
        "\"name\":\"token_actor\"",
        "\"name\":\"insert_token\"",
        "\"org\":\"acme\"",
    ] {
        assert!(text.contains(span), "{span} in the log");
    }
    let Auth::Session { cookie, csrf } = admin else {
        panic!("a session")
    };
    for secret in [
        "correct horse battery staple",
        cookie.as_str(),
        csrf.as_str(),
        token.as_str(),
    ] {
        assert!(!text.contains(secret), "{secret:?} is in the log");
    }
}

/// A second organisation with a taken slug is refused as a duplicate naming the unique
/// index on the slug (PostgreSQL names the index, SQLite the column).
#[tokio::test]
async fn a_duplicate_names_the_constraint_it_broke() {
    let app = TestApp::new().await;
    app.org("acme", "provider", "web").await;
    let store = app.db.store().await;
    let tx = store.write().await.expect("a write");
    let mut row = tx
        .org_by_slug("acme")
        .await
        .expect("a read")
        .expect("the organisation");
    row.id = credence_domain::OrgId::random();
    row.did = "did:web:another.example".into();
    match tx.insert_org(row).await {
        Err(credence_store::StoreError::Duplicate { constraint }) => {
            assert!(constraint.contains("organisations"), "{constraint}");
            assert!(constraint.contains("slug"), "{constraint}");
        }
        other => panic!("not a duplicate: {other:?}"),
    }
}
