//! Observability: every response carries an `x-request-id` (the client's, or a new one),
//! and `/metrics` counts requests by route template and status, times them, and shows the
//! registry's counters (awards issued, verifications by verdict, status list rebuilds).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;

use crate::registry_awards::{
    account_id, attest_foundational, award, issuer_setup, verify, FOUNDATIONAL,
};
use crate::support::{Auth, TestApp, METRICS_TOKEN};

/// The value of the sample `name` in the text exposition `metrics`, if present.
fn sample(metrics: &str, name: &str) -> Option<f64> {
    metrics.lines().find_map(|line| {
        let value = line.strip_prefix(name)?.strip_prefix(' ')?;
        value.trim().parse().ok()
    })
}

/// Checks each sample named in `expected` has its value.
fn check(metrics: &str, expected: &[(&str, f64)]) {
    for (name, value) in expected {
        assert_eq!(sample(metrics, name), Some(*value), "{name} in\n{metrics}");
    }
}

async fn scrape(app: &TestApp) -> String {
    let reply = app
        .request(
            Request::get("/metrics")
                .header("authorization", format!("Bearer {METRICS_TOKEN}"))
                .body(Body::empty())
                .expect("a request"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.header("content-type"),
        "text/plain; version=0.0.4; charset=utf-8"
    );
    reply.body
}

#[tokio::test]
async fn responses_carry_a_request_id() {
    let app = TestApp::new().await;
    for path in ["/healthz", "/frameworks", "/no/such/page", "/api/v1/me"] {
        let reply = app.get(path, "application/json").await;
        let id = reply.header("x-request-id");
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{path}: {id:?}");
    }
    let reply = app
        .request(
            Request::get("/healthz")
                .header("x-request-id", "trace-me-42")
                .body(Body::empty())
                .expect("a request"),
        )
        .await;
    assert_eq!(reply.header("x-request-id"), "trace-me-42");
    let first = app.get("/healthz", "*/*").await;
    let second = app.get("/healthz", "*/*").await;
    assert_ne!(first.header("x-request-id"), second.header("x-request-id"));
}

#[tokio::test]
async fn metrics_count_requests_awards_verifications_and_status_lists() {
    let app = TestApp::new().await;
    // A scrape is counted once answered, so it shows in the next one.
    check(
        &scrape(&app).await,
        &[("credence_status_list_rebuilds_total", 0.0)],
    );
    let (issuer, achievement) = issuer_setup(&app, "linchester-ics", "key").await;
    let ada = app.holder("ada@example.org", "Ada").await;
    attest_foundational(&app, &account_id(&app, &ada).await, FOUNDATIONAL).await;
    let reply = award(
        &app,
        "linchester-ics",
        &issuer,
        json!({"achievement": achievement, "email": "ada@example.org", "key": "m-1"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let credential = reply.json()["credential"].clone();
    let award_id = reply.json()["award"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    // The same key again is the same award, not a second one.
    let again = award(
        &app,
        "linchester-ics",
        &issuer,
        json!({"achievement": achievement, "email": "ada@example.org", "key": "m-1"}),
    )
    .await;
    assert!(again.status.is_success(), "{}", again.body);
    assert_eq!(verify(&app, &credential).await["verdict"], "verified");
    let mut tampered = credential.clone();
    tampered["name"] = json!("Something else");
    assert_eq!(verify(&app, &tampered).await["verdict"], "not_valid");
    let _ = app.get("/no/such/page", "application/json").await;
    // Methods outside the standard ones share one label, so clients cannot add series.
    for method in ["BREW", "PROPFIND"] {
        let reply = app
            .request(
                Request::builder()
                    .method(method)
                    .uri("/no/such/page")
                    .body(Body::empty())
                    .expect("a request"),
            )
            .await;
        assert!(reply.status.is_client_error(), "{method}: {}", reply.status);
    }

    let before = scrape(&app).await;
    check(
        &before,
        &[
            (
                r#"credence_http_requests_total{method="GET",route="/metrics",status="200"}"#,
                1.0,
            ),
            (r#"credence_awards_issued_total{via="award"}"#, 1.0),
            (r#"credence_verifications_total{verdict="verified"}"#, 1.0),
            (r#"credence_verifications_total{verdict="not_valid"}"#, 1.0),
            (
                r#"credence_http_requests_total{method="POST",route="/api/v1/orgs/{slug}/awards",status="201"}"#,
                1.0,
            ),
            (
                r#"credence_http_requests_total{method="POST",route="/api/v1/verify",status="200"}"#,
                2.0,
            ),
            (
                r#"credence_http_requests_total{method="GET",route="unmatched",status="404"}"#,
                1.0,
            ),
            (
                r#"credence_http_requests_total{method="OTHER",route="unmatched",status="404"}"#,
                2.0,
            ),
            (
                r#"credence_http_request_duration_seconds_count{method="POST",route="/api/v1/verify"}"#,
                2.0,
            ),
            (
                r#"credence_http_request_duration_seconds_bucket{method="POST",route="/api/v1/verify",le="+Inf"}"#,
                2.0,
            ),
        ],
    );
    let rebuilds = sample(&before, "credence_status_list_rebuilds_total").unwrap_or(-1.0);
    assert!(rebuilds >= 1.0, "{before}");

    // Revoking re-signs the organisation's lists: the counter moves by what was rebuilt.
    let revoke = crate::registry_awards::revoke(&app, &issuer, &award_id).await;
    assert_eq!(revoke.status, StatusCode::OK, "{}", revoke.body);
    let after = scrape(&app).await;
    check(
        &after,
        &[("credence_status_list_rebuilds_total", rebuilds + 2.0)],
    );
}

/// Kills the server when the test ends, however it ends.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `credence serve` in a folder of its own, logging JSON at `filter`, with every line it
/// logs collected as it comes.
pub struct LoggingServer {
    _server: Server,
    _dir: tempfile::TempDir,
    lines: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    /// Where it listens, as `host:port`.
    pub address: String,
}

impl LoggingServer {
    pub fn start(filter: &str) -> Self {
        use std::io::BufRead;
        let dir = tempfile::tempdir().expect("a folder");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_credence"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .current_dir(dir.path())
            .env_remove("CREDENCE_DATABASE_URL")
            .env_remove("CREDENCE_DATA_DIR")
            .env_remove("CREDENCE_CONFIG")
            .env("CREDENCE_LOG", filter)
            .env("CREDENCE_LOG_FORMAT", "json")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start credence serve");
        let stderr = child.stderr.take().expect("its standard error");
        let server = Server(child);
        let lines = std::sync::Arc::<std::sync::Mutex<Vec<String>>>::default();
        let collected = lines.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                collected.lock().expect("lines").push(line);
            }
        });
        let mut started = Self {
            _server: server,
            _dir: dir,
            lines,
            address: String::new(),
        };
        let serving = started
            .wait_for(|l| l.starts_with("Credence is serving on http://"))
            .unwrap_or_else(|| panic!("no serving line: {:?}", started.lines()));
        started.address = serving
            .trim_start_matches("Credence is serving on http://")
            .split('/')
            .next()
            .expect("an address")
            .to_owned();
        started
    }

    /// Every line logged so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().expect("lines").clone()
    }

    /// The first line logged that `what` accepts, waiting up to two minutes for it.
    pub fn wait_for(&self, what: impl Fn(&str) -> bool) -> Option<String> {
        use std::time::{Duration, Instant};
        let deadline = Instant::now() + Duration::from_secs(120);
        while Instant::now() < deadline {
            if let Some(line) = self.lines.lock().expect("lines").iter().find(|l| what(l)) {
                return Some(line.clone());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    /// Sends `GET path` with the request id `request_id`; returns the whole response.
    pub fn get(&self, path: &str, request_id: &str) -> String {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&self.address).expect("connect");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\
             x-request-id: {request_id}\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        response
    }
}

#[test]
fn json_logs_name_the_request_id() {
    let server = LoggingServer::start("info");
    let response = server.get("/healthz", "e2e-42");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("x-request-id: e2e-42"), "{response}");

    let logged = server
        .wait_for(|l| l.contains("e2e-42"))
        .unwrap_or_else(|| panic!("no log line names the request: {:?}", server.lines()));
    let entry: serde_json::Value = serde_json::from_str(&logged).expect("a JSON log line");
    assert_eq!(entry["span"]["request_id"], "e2e-42", "{entry}");
    assert_eq!(entry["span"]["path"], "/healthz", "{entry}");
    assert!(entry["level"].is_string(), "{entry}");
}

/// `/metrics` is not public: without the operator's token it is refused (and with no token
/// configured it does not exist); the separate metrics listener serves it openly.
#[tokio::test]
async fn metrics_need_the_operators_token() {
    let app = TestApp::new().await;
    for auth in [
        Auth::None,
        Auth::Token("wrong-token".into()),
        Auth::Token(format!("{METRICS_TOKEN}x")),
    ] {
        let reply = app.call("GET", "/metrics", None, &auth).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{auth:?}");
        assert!(!reply.body.contains("credence_http_requests_total"));
    }
    let open = credence_web::router(credence_web::AppState::new(
        app.services.clone(),
        credence_web::WebConfig::default(),
    ));
    let reply = tower::ServiceExt::oneshot(
        open,
        Request::get("/metrics")
            .body(Body::empty())
            .expect("a request"),
    )
    .await
    .expect("an answer");
    assert_eq!(
        reply.status(),
        StatusCode::NOT_FOUND,
        "no token configured: no metrics"
    );
    let own = credence_web::metrics_router(credence_web::AppState::new(
        app.services.clone(),
        credence_web::WebConfig::default(),
    ));
    let reply = tower::ServiceExt::oneshot(
        own,
        Request::get("/metrics")
            .body(Body::empty())
            .expect("a request"),
    )
    .await
    .expect("an answer");
    assert_eq!(reply.status(), StatusCode::OK);
}
