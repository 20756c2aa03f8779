//! Security hardening: sign-in throttled by account (with locks that lengthen) and by client
//! address, registration, bad API tokens and verification budgets, each answered 429 with
//! `Retry-After`; slow clients cut off (headers, body) and a cap on open connections.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use credence_web::throttle::Limits;
use credence_web::{router, AppState, WebConfig};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

use crate::support::TestApp;

/// The application over `app`'s services with these budgets.
fn limited(app: &TestApp, limits: Limits) -> axum::Router {
    router(AppState::new(
        app.services.clone(),
        WebConfig {
            limits,
            ..WebConfig::default()
        },
    ))
}

/// POSTs JSON from `peer`; returns the status, the Retry-After header and the body.
async fn post(
    app: &axum::Router,
    peer: &str,
    path: &str,
    body: Value,
    token: Option<&str>,
) -> (StatusCode, Option<u64>, Value) {
    let mut request = Request::post(path).header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let mut request = request
        .body(Body::from(body.to_string()))
        .expect("a request");
    let peer: SocketAddr = peer.parse().expect("an address");
    request.extensions_mut().insert(ConnectInfo(peer));
    let response = app.clone().oneshot(request).await.expect("an answer");
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("a body");
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, retry_after, body)
}

#[tokio::test]
async fn sign_in_is_throttled_by_account_and_by_client_address() {
    let app = TestApp::new().await;
    app.holder("lock@security.test", "Lock").await;
    let web = limited(
        &app,
        Limits {
            sign_in_per_minute: 20,
            ..Limits::default()
        },
    );
    let attempt = |password: &str, email: &str| json!({"email": email, "password": password});
    // Wrong passwords for one account: refused, then locked, and then even the right
    // password waits, told in plain words when to come back.
    for _ in 0..4 {
        let (status, _, _) = post(
            &web,
            "192.0.2.1:1000",
            "/api/v1/session",
            attempt("wrong password 123", "lock@security.test"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, retry, body) = post(
        &web,
        "192.0.2.1:1000",
        "/api/v1/session",
        attempt("wrong password 123", "lock@security.test"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(retry, Some(30));
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("try again in 30 seconds"),
        "{body}"
    );
    let (status, _, _) = post(
        &web,
        "192.0.2.9:1000",
        "/api/v1/session",
        attempt("correct horse battery staple", "lock@security.test"),
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "locked from any address"
    );
    // One address trying many accounts runs out of its budget; another address does not.
    let mut refused_at = None;
    for i in 0..25 {
        let (status, retry, _) = post(
            &web,
            "198.51.100.7:1000",
            "/api/v1/session",
            attempt("wrong password 123", &format!("u{i}@security.test")),
            None,
        )
        .await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert!(retry.is_some());
            refused_at = Some(i);
            break;
        }
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        refused_at,
        Some(20),
        "the 21st attempt from one address is refused"
    );
    let (status, _, _) = post(
        &web,
        "198.51.100.8:1000",
        "/api/v1/session",
        attempt("wrong password 123", "x@security.test"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn registration_bad_tokens_and_verification_have_budgets() {
    let app = TestApp::new().await;
    let web = limited(
        &app,
        Limits {
            sign_in_per_minute: 20,
            register_per_minute: 3,
            bad_token_per_minute: 3,
            verify_per_minute: 5,
            wallet_nonce_per_minute: 2,
        },
    );
    let peer = "203.0.113.5:4000";
    for i in 0..3 {
        let body = json!({"email": format!("r{i}@security.test"), "display_name": "R", "password": "correct horse battery staple"});
        let (status, _, body) = post(&web, peer, "/api/v1/accounts", body, None).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let body = json!({"email": "r9@security.test", "display_name": "R", "password": "correct horse battery staple"});
    let (status, retry, _) = post(&web, peer, "/api/v1/accounts", body, None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(retry.is_some());

    let issue = json!({"credential": {}});
    for _ in 0..3 {
        let (status, _, _) = post(
            &web,
            peer,
            "/credentials/issue",
            issue.clone(),
            Some("crd_not_a_token"),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, retry, body) = post(
        &web,
        peer,
        "/credentials/issue",
        issue,
        Some("crd_not_a_token"),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(retry.is_some());

    let verify =
        json!({"verifiableCredential": {"@context": ["https://www.w3.org/ns/credentials/v2"]}});
    for _ in 0..5 {
        let (status, _, _) = post(&web, peer, "/credentials/verify", verify.clone(), None).await;
        assert_ne!(status, StatusCode::TOO_MANY_REQUESTS);
    }
    let (status, retry, _) = post(&web, peer, "/credentials/verify", verify, None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(retry.is_some());

    // OpenID4VCI's nonce endpoint stores what it gives out.
    for _ in 0..2 {
        let (status, _, body) = post(&web, peer, "/oid4vci/nonce", json!({}), None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, retry, body) = post(&web, peer, "/oid4vci/nonce", json!({}), None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(retry.is_some());
    assert!(body.to_string().contains("wallet nonce"), "{body}");
    let other = "203.0.113.6:4000";
    let (status, _, body) = post(&web, other, "/oid4vci/nonce", json!({}), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// Reads from `stream` until it is closed; returns what was read and how long it took,
/// giving up after `limit`.
async fn read_until_closed(
    stream: &mut tokio::net::TcpStream,
    limit: Duration,
) -> (String, Option<Duration>) {
    let started = Instant::now();
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout(
            limit.saturating_sub(started.elapsed()),
            stream.read(&mut buffer),
        )
        .await
        {
            Ok(Ok(0)) | Ok(Err(_)) => {
                return (
                    String::from_utf8_lossy(&seen).into_owned(),
                    Some(started.elapsed()),
                )
            }
            Ok(Ok(n)) => seen.extend_from_slice(&buffer[..n]),
            Err(_) => return (String::from_utf8_lossy(&seen).into_owned(), None),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_are_cut_off_and_connections_are_capped() {
    let registry = crate::multiprocess::Registry::with_server_settings(
        "header_read_timeout_secs = 3\nbody_timeout_secs = 1\nrequest_timeout_secs = 3\nmax_connections = 4",
    )
    .await;
    let server = registry.serve();
    let address = server.address.clone();
    // Open connections beyond the cap are closed at once; those within it are served.
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut s = tokio::net::TcpStream::connect(&address)
            .await
            .expect("connect");
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .expect("write");
        let mut buffer = [0u8; 256];
        let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buffer))
            .await
            .expect("an answer")
            .expect("read");
        assert!(String::from_utf8_lossy(&buffer[..n]).starts_with("HTTP/1.1 200"));
        held.push(s);
    }
    let mut extra = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connect");
    let _ = extra
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    let (answer, closed) = read_until_closed(&mut extra, Duration::from_secs(5)).await;
    assert!(closed.is_some() && answer.is_empty(), "{answer:?}");
    drop(held);
    // Headers that never end: the connection is closed after the header timeout.
    let mut partial = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connect");
    partial
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    let (_, closed) = read_until_closed(&mut partial, Duration::from_secs(10)).await;
    let closed = closed.expect("closed by the server");
    assert!(closed < Duration::from_secs(8), "{closed:?}");
    // A body that stops coming: cut off after the body timeout.
    let mut slow = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connect");
    slow.write_all(b"POST /credentials/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{").await.expect("write");
    let (answer, closed) = read_until_closed(&mut slow, Duration::from_secs(10)).await;
    assert!(
        closed.is_some_and(|t| t < Duration::from_secs(6)),
        "{answer} {closed:?}"
    );
    drop(server);
}
