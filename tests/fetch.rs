//! The outbound fetcher against servers this test starts on loopback: a did:web issuer whose
//! credential verifies and, once its status list is revoked and the cache has expired, reads
//! revoked; a list that cannot be reached leaves the status unknown with the reason; a
//! redirect to a private address, a slow server and an oversized body are cut off; and
//! without `fetch.allow_hosts` nothing on loopback is even connected to.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use credence_fetch::{AllowHosts, FetchError, Fetcher, Settings, Want};
use credence_service::RegistryConfig;
use credence_vc::did::{did_web_document, WebKey};
use credence_vc::keys::SigningKey;
use credence_vc::proof::{sign, ProofOptions};
use credence_vc::status_list::{
    status_list_credential, status_list_entry, StatusList, StatusPurpose,
};
use credence_vc::verify::{Outcome, Verdict, VerificationReport};
use serde_json::Value;

use crate::support::{TestApp, TestDb};

/// Serves `router` on a fresh loopback port.
pub(crate) async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("its address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    addr
}

/// A listener that only counts the connections made to it.
async fn counting_listener() -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("its address");
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (addr, count)
}

pub(crate) fn settings(allow: &[String]) -> Settings {
    Settings {
        allow_hosts: AllowHosts::parse(allow).expect("allow list"),
        cache_floor: Duration::ZERO,
        ..Settings::default()
    }
}

/// An application whose verification fetches with `settings`.
pub(crate) async fn app_fetching(settings: Settings) -> TestApp {
    let db = Arc::new(TestDb::new().await);
    let store = db.store().await;
    TestApp::over_with(db, store, move |base| {
        let mut config = RegistryConfig::for_tests(base).expect("test settings");
        config.fetcher = Some(Fetcher::new(settings));
        config
    })
    .await
}

/// The issuer's server: its DID document and status list, which the test changes.
#[derive(Clone, Default)]
pub(crate) struct Issuer {
    pub(crate) did_document: Arc<Mutex<Value>>,
    pub(crate) list: Arc<Mutex<Value>>,
}

pub(crate) fn json_reply(value: &Value, cache: &'static str) -> axum::response::Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, cache),
        ],
        value.to_string(),
    )
        .into_response()
}

pub(crate) fn issuer_router(issuer: Issuer, did_path: &'static str) -> Router {
    let doc = issuer.did_document.clone();
    let list = issuer.list.clone();
    Router::new()
        .route(
            did_path,
            get(move || {
                let doc = doc.lock().expect("lock").clone();
                async move { json_reply(&doc, "max-age=300") }
            }),
        )
        .route(
            "/status/1",
            get(move || {
                let list = list.lock().expect("lock").clone();
                async move { json_reply(&list, "max-age=1") }
            }),
        )
}

pub(crate) fn key() -> SigningKey {
    SigningKey::from_seed(&[42; 32])
}

pub(crate) fn signed(doc: &Value, vm: &str) -> Value {
    let mut options = ProofOptions::new(vm);
    options.created = Some("2026-01-01T00:00:00Z".into());
    sign(doc, &key(), &options).expect("sign")
}

/// An Open Badges credential from `issuer` whose revocation entry is index 7 of `list_url`.
pub(crate) fn credential(issuer: &str, list_url: &str) -> Value {
    let mut doc: Value =
        serde_json::from_str(include_str!("vectors/ob3-interop/ob3-unsigned.json"))
            .expect("the unsigned vector");
    doc["issuer"]["id"] = issuer.into();
    doc["credentialSubject"]["activityStartDate"] = "2025-01-06T00:00:00Z".into();
    doc["credentialSubject"]["activityEndDate"] = "2025-02-28T00:00:00Z".into();
    doc["credentialStatus"] = status_list_entry(list_url, 7, StatusPurpose::Revocation);
    doc
}

/// The issuer's revocation list with index 7 revoked or not, signed by the issuer.
pub(crate) fn list(issuer: &str, list_url: &str, revoked: bool, vm: &str) -> Value {
    let mut bits = StatusList::default();
    bits.set(7, revoked).expect("index 7");
    let now = chrono::Utc::now() - chrono::Duration::hours(1);
    signed(
        &status_list_credential(list_url, issuer, StatusPurpose::Revocation, &bits, now),
        vm,
    )
}

pub(crate) fn outcome(report: &VerificationReport, code: &str) -> Outcome {
    report
        .check(code)
        .unwrap_or_else(|| panic!("no {code} check in {report:?}"))
        .outcome
}

pub(crate) async fn verify(app: &TestApp, doc: &Value) -> VerificationReport {
    app.services
        .registry
        .public()
        .verify_credential_json(doc)
        .await
        .expect("verification runs")
}

/// A did:web issuer served on loopback at `/.well-known/did.json` (its port
/// percent-encoded in the DID, as the method specifies), with one key, `key-1`, and a
/// status list to be published at `list_url`.
pub struct WebIssuer {
    pub issuer: Issuer,
    pub addr: SocketAddr,
    pub did: String,
    pub vm: String,
    pub list_url: String,
}

pub async fn web_issuer() -> WebIssuer {
    let issuer = Issuer::default();
    let addr = serve(issuer_router(issuer.clone(), "/.well-known/did.json")).await;
    let did = format!("did:web:127.0.0.1%3A{}", addr.port());
    let vm = format!("{did}#key-1");
    let list_url = format!("http://{addr}/status/1");
    *issuer.did_document.lock().expect("lock") = did_web_document(
        &did,
        &[WebKey {
            fragment: "key-1".into(),
            public_key: key().verifying_key(),
            active: true,
        }],
    );
    WebIssuer {
        issuer,
        addr,
        did,
        vm,
        list_url,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_did_web_issuer_verifies_and_its_revocation_shows_once_the_cache_expires() {
    // did:web with the port percent-encoded, as the method specifies.
    let WebIssuer {
        issuer,
        addr,
        did,
        vm,
        list_url,
    } = web_issuer().await;
    *issuer.list.lock().expect("lock") = list(&did, &list_url, false, &vm);
    let app = app_fetching(settings(&[addr.to_string()])).await;
    let doc = signed(&credential(&did, &list_url), &vm);

    let first = verify(&app, &doc).await;
    assert_eq!(outcome(&first, "proof"), Outcome::Passed, "{first:?}");
    assert_eq!(outcome(&first, "status.revocation"), Outcome::Passed);
    assert!(
        matches!(
            first.verdict,
            Verdict::Verified | Verdict::VerifiedWithWarnings
        ),
        "{first:?}"
    );
    let urls: Vec<(&str, Option<u16>, bool)> = first
        .fetches
        .iter()
        .map(|f| (f.url.as_str(), f.status, f.from_cache))
        .collect();
    let did_url = format!("https://127.0.0.1:{}/.well-known/did.json", addr.port());
    assert_eq!(
        urls,
        [
            (list_url.as_str(), Some(200), false),
            (did_url.as_str(), Some(200), false)
        ]
    );

    // The issuer revokes; until the list's max-age (1 s) has passed the cached list answers.
    *issuer.list.lock().expect("lock") = list(&did, &list_url, true, &vm);
    let cached = verify(&app, &doc).await;
    assert_eq!(outcome(&cached, "status.revocation"), Outcome::Passed);
    assert!(cached.fetches.iter().all(|f| f.from_cache), "{cached:?}");

    tokio::time::sleep(Duration::from_millis(1100)).await;
    let revoked = verify(&app, &doc).await;
    assert_eq!(outcome(&revoked, "status.revocation"), Outcome::Failed);
    assert_eq!(revoked.verdict, Verdict::NotValid);
    let list_fetch = revoked
        .fetches
        .iter()
        .find(|f| f.url == list_url)
        .expect("the list fetch is listed");
    assert!(!list_fetch.from_cache, "fetched afresh after expiry");
    // The DID document is still fresh in the cache (max-age 300).
    assert!(revoked
        .fetches
        .iter()
        .any(|f| f.url == did_url && f.from_cache));

    // A tampered credential from the same issuer does not verify.
    let mut tampered = doc.clone();
    tampered["name"] = "Something else".into();
    let report = verify(&app, &tampered).await;
    assert_eq!(outcome(&report, "proof"), Outcome::Failed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_that_cannot_be_reached_leaves_the_status_unknown_with_the_reason() {
    let issuer = Issuer::default();
    let addr = serve(issuer_router(issuer.clone(), "/issuers/a/did.json")).await;
    // The path form of did:web.
    let did = format!("did:web:127.0.0.1%3A{}:issuers:a", addr.port());
    let vm = format!("{did}#key-1");
    *issuer.did_document.lock().expect("lock") = did_web_document(
        &did,
        &[WebKey {
            fragment: "key-1".into(),
            public_key: key().verifying_key(),
            active: true,
        }],
    );
    // A port nothing listens on (bound, then closed).
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let closed_port = closed.local_addr().expect("address").port();
    drop(closed);
    let list_url = format!("http://127.0.0.1:{closed_port}/status/1");
    let app = app_fetching(settings(&["127.0.0.1".to_owned()])).await;
    let report = verify(&app, &signed(&credential(&did, &list_url), &vm)).await;

    assert_eq!(outcome(&report, "proof"), Outcome::Passed, "{report:?}");
    let status = report.check("status.revocation").expect("status check");
    assert_eq!(status.outcome, Outcome::Unknown);
    let detail = status.detail.clone().unwrap_or_default();
    assert!(detail.contains("could not connect"), "{detail}");
    assert_eq!(report.verdict, Verdict::Incomplete);
    let failed = report
        .fetches
        .iter()
        .find(|f| f.url == list_url)
        .expect("the failed fetch is listed");
    assert_eq!(failed.status, None);
    assert!(failed
        .error
        .as_deref()
        .is_some_and(|e| e.contains("could not connect")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_to_private_addresses_are_refused_before_connecting() {
    let (private, connections) = counting_listener().await;
    let router = Router::new()
        .route(
            "/to-loopback",
            get(move || async move {
                axum::response::Redirect::temporary(&format!("https://{private}/secret"))
            }),
        )
        .route(
            "/to-metadata",
            get(|| async {
                axum::response::Redirect::temporary("http://169.254.169.254/latest/meta-data")
            }),
        )
        .route(
            "/loop",
            get(|| async { axum::response::Redirect::temporary("/loop") }),
        );
    let addr = serve(router).await;
    let fetcher = Fetcher::new(settings(&[addr.to_string()]));
    for (path, needle) in [
        ("/to-loopback", "127.0.0.1 is loopback"),
        ("/to-metadata", "only https"),
        ("/loop", "more than 3 redirects"),
    ] {
        let (result, status) = fetcher
            .fetch(&format!("http://{addr}{path}"), Want::Json)
            .await;
        let error = result.expect_err(path).to_string();
        assert!(error.contains(needle), "{path}: {error}");
        assert_eq!(status, Some(307), "{path}");
    }
    assert_eq!(connections.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_servers_oversized_bodies_and_wrong_types_are_cut_off() {
    let router = Router::new()
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(10)).await;
                json_reply(&Value::Null, "no-store")
            }),
        )
        .route(
            "/big",
            get(|| async {
                let body = format!("\"{}\"", "x".repeat(2 * 1024 * 1024));
                json_reply(&Value::String(body), "no-store")
            }),
        )
        .route(
            "/html",
            get(|| async { ([(header::CONTENT_TYPE, "text/html")], "<p>hello</p>") }),
        )
        .route(
            "/image",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "image/svg+xml"),
                        (header::CACHE_CONTROL, "max-age=60"),
                    ],
                    "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
                )
            }),
        );
    let addr = serve(router).await;
    let fetcher = Fetcher::new(Settings {
        total_timeout: Duration::from_millis(500),
        ..settings(&[addr.to_string()])
    });
    let started = Instant::now();
    let (result, _) = fetcher
        .fetch(&format!("http://{addr}/slow"), Want::Json)
        .await;
    assert_eq!(
        result.expect_err("slow").to_string(),
        "timed out after 0.5 s"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    let undeclared = undeclared_length_server(2 * 1024 * 1024).await;
    let fetcher_of_both = Fetcher::new(settings(&[addr.to_string(), undeclared.to_string()]));
    for url in [
        format!("http://{addr}/big"),
        format!("http://{undeclared}/big"),
    ] {
        let (result, _) = fetcher_of_both.fetch(&url, Want::Json).await;
        assert!(
            matches!(result, Err(FetchError::TooLarge(n)) if n == 1024 * 1024),
            "{url}: {result:?}"
        );
    }
    // Just under the limit is read whole.
    let fits = undeclared_length_server(1024 * 1024).await;
    let (result, _) = Fetcher::new(settings(&[fits.to_string()]))
        .fetch(&format!("http://{fits}/doc"), Want::Json)
        .await;
    assert_eq!(result.expect("fits").body.len(), 1024 * 1024);
    let (result, status) = fetcher
        .fetch(&format!("http://{addr}/html"), Want::Json)
        .await;
    assert!(
        matches!(result, Err(FetchError::ContentType(_))),
        "{result:?}"
    );
    assert_eq!(status, Some(200));
    // An image kept in the cache for a credential is not handed out as a JSON document.
    let image = format!("http://{addr}/image");
    let (first, _) = fetcher.fetch(&image, Want::Credential).await;
    assert!(first.is_ok_and(|f| !f.from_cache));
    let (again, _) = fetcher.fetch(&image, Want::Credential).await;
    assert!(again.is_ok_and(|f| f.from_cache));
    let (as_json, _) = fetcher.fetch(&image, Want::Json).await;
    assert!(
        matches!(as_json, Err(FetchError::ContentType(_))),
        "{as_json:?}"
    );
}

/// A server that answers every connection with `size` bytes of JSON and no declared
/// length, read until the connection closes.
async fn undeclared_length_server(size: usize) -> SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("its address");
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = [0u8; 1024];
                let _ = stream.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n";
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&vec![b' '; size]).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_allow_hosts_nothing_on_loopback_is_connected_to() {
    let (addr, connections) = counting_listener().await;
    let fetcher = Fetcher::new(settings(&[]));
    for url in [
        format!("https://{addr}/x"),
        format!("http://{addr}/x"),
        format!("https://localhost:{}/x", addr.port()),
        format!("https://[::ffff:127.0.0.1]:{}/x", addr.port()),
    ] {
        let (result, status) = fetcher.fetch(&url, Want::Json).await;
        let error = result.expect_err(&url).to_string();
        assert!(error.starts_with("refused"), "{url}: {error}");
        assert_eq!(status, None);
    }
    // Through verification too: a did:web issuer and a status list on loopback.
    let app = app_fetching(settings(&[])).await;
    let did = format!("did:web:127.0.0.1%3A{}", addr.port());
    let list_url = format!("https://{addr}/status/1");
    let report = verify(
        &app,
        &signed(&credential(&did, &list_url), &format!("{did}#key-1")),
    )
    .await;
    assert_eq!(outcome(&report, "status.revocation"), Outcome::Unknown);
    assert!(report
        .fetches
        .iter()
        .all(|f| f.error.as_deref().is_some_and(|e| e.starts_with("refused"))));
    assert!(!report.fetches.is_empty());
    assert_eq!(connections.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetches_per_host_wait_their_turn() {
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (r, m) = (running.clone(), most.clone());
    let router = Router::new().route(
        "/doc",
        get(move || {
            let (r, m) = (r.clone(), m.clone());
            async move {
                let now = r.fetch_add(1, Ordering::SeqCst) + 1;
                m.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(100)).await;
                r.fetch_sub(1, Ordering::SeqCst);
                json_reply(&Value::Null, "no-store")
            }
        }),
    );
    let addr = serve(router).await;
    let fetcher = Fetcher::new(Settings {
        per_host: 2,
        ..settings(&[addr.to_string()])
    });
    let url = format!("http://{addr}/doc");
    let handles: Vec<_> = (0..6)
        .map(|_| {
            let (f, u) = (fetcher.clone(), url.clone());
            tokio::spawn(async move { f.fetch(&u, Want::Json).await.0.is_ok() })
        })
        .collect();
    for handle in handles {
        assert!(handle.await.expect("joined"));
    }
    assert_eq!(most.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn turned_off_fetches_nothing() {
    let (addr, connections) = counting_listener().await;
    let fetcher = Fetcher::new(Settings {
        enabled: false,
        ..settings(&[addr.to_string()])
    });
    let (result, _) = fetcher.fetch(&format!("http://{addr}/x"), Want::Json).await;
    assert!(matches!(result, Err(FetchError::Disabled)));
    assert_eq!(connections.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remote_list_counts_only_with_its_own_proof_and_within_its_validity() {
    let WebIssuer {
        issuer,
        addr,
        did,
        vm,
        list_url,
    } = web_issuer().await;
    let doc = signed(&credential(&did, &list_url), &vm);
    let mut tampered = list(&did, &list_url, true, &vm);
    tampered["credentialSubject"]["encodedList"] = StatusList::default().encode().into();
    let mut expired = list(&did, &list_url, false, &vm);
    if let Some(map) = expired.as_object_mut() {
        map.remove("proof");
    }
    expired["validUntil"] = "2020-01-01T00:00:00Z".into();
    expired["validFrom"] = "2019-01-01T00:00:00Z".into();
    let expired = signed(&expired, &vm);
    let mut early = list(&did, &list_url, false, &vm);
    if let Some(map) = early.as_object_mut() {
        map.remove("proof");
    }
    early["validFrom"] = "2100-01-01T00:00:00Z".into();
    let early = signed(&early, &vm);
    for (name, served, needle) in [
        ("tampered", tampered, "its own signature does not verify"),
        ("expired", expired, "is out of date"),
        ("not yet valid", early, "is not valid yet"),
    ] {
        *issuer.list.lock().expect("lock") = served;
        // A fresh application each time, so no list is taken from a cache.
        let app = app_fetching(settings(&[addr.to_string()])).await;
        let report = verify(&app, &doc).await;
        let check = report.check("status.revocation").expect("status check");
        assert_eq!(check.outcome, Outcome::Unknown, "{name}: {report:?}");
        assert!(check.message.contains(needle), "{name}: {}", check.message);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_https_key_counts_only_when_its_controller_lists_it_for_assertions() {
    let documents: Arc<Mutex<Value>> = Arc::default();
    let served = documents.clone();
    let router = Router::new().route(
        "/issuer",
        get(move || {
            let doc = served.lock().expect("lock").clone();
            async move { json_reply(&doc, "no-store") }
        }),
    );
    let addr = serve(router).await;
    let controller = format!("http://{addr}/issuer");
    let vm = format!("{controller}#key-1");
    let controller_document = |relationship: &str| {
        serde_json::json!({
            "@context": ["https://www.w3.org/ns/cid/v1"],
            "id": controller,
            "verificationMethod": [{
                "id": vm,
                "type": "Multikey",
                "controller": controller,
                "publicKeyMultibase": key().verifying_key().to_multibase(),
            }],
            relationship: [vm],
        })
    };
    let mut unsigned = credential(&controller, "unused");
    if let Some(map) = unsigned.as_object_mut() {
        map.remove("credentialStatus");
    }
    let doc = signed(&unsigned, &vm);
    for (relationship, expected) in [
        ("assertionMethod", Outcome::Passed),
        ("authentication", Outcome::Unknown),
    ] {
        *documents.lock().expect("lock") = controller_document(relationship);
        let app = app_fetching(settings(&[addr.to_string()])).await;
        let report = verify(&app, &doc).await;
        assert_eq!(
            outcome(&report, "proof"),
            expected,
            "{relationship}: {report:?}"
        );
        assert!(report
            .fetches
            .iter()
            .any(|f| f.url == controller && f.status == Some(200)));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn this_credences_own_keys_and_lists_are_never_fetched() {
    // Even with loopback allowed, a credential naming this Credence is checked from its
    // database only: an unknown key or list of its own stays unresolved, with no fetch.
    let app = app_fetching(settings(&["127.0.0.1".to_owned()])).await;
    let host = app.services.registry.config().did_web_host();
    let did = format!("did:web:{host}:orgs:nobody");
    let list_url = format!("{}/orgs/nobody/status/revocation", app.base_url);
    let report = verify(
        &app,
        &signed(&credential(&did, &list_url), &format!("{did}#key-9")),
    )
    .await;
    assert!(report.fetches.is_empty(), "{:?}", report.fetches);
    assert_ne!(outcome(&report, "proof"), Outcome::Passed);
    assert_eq!(outcome(&report, "status.revocation"), Outcome::Unknown);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_verification_fetches_a_bounded_number_of_documents() {
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = asked.clone();
    let router = Router::new().route(
        "/status/{n}",
        get(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async { (axum::http::StatusCode::NOT_FOUND, "no") }
        }),
    );
    let addr = serve(router).await;
    let app = app_fetching(settings(&[addr.to_string()])).await;
    let key = key();
    let mut doc = credential(&key.verifying_key().did_key(), "unused");
    doc["credentialStatus"] = (0..40)
        .map(|n| {
            status_list_entry(
                &format!("http://{addr}/status/{n}"),
                7,
                StatusPurpose::Revocation,
            )
        })
        .collect::<Vec<Value>>()
        .into();
    let doc = signed(&doc, &key.verifying_key().did_key_verification_method());
    let report = verify(&app, &doc).await;
    assert_eq!(
        asked.load(Ordering::SeqCst),
        credence_service::remote::MAX_FETCHES
    );
    assert_eq!(report.fetches.len(), credence_service::remote::MAX_FETCHES);
    assert_ne!(report.verdict, Verdict::Verified);
}

/// The 1EdTech revocation list of Open Badges 3.0: fetched at the entry's id through the
/// same guarded client, the credential looked up in it, and the reason reported.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_1edtech_revocation_list_is_fetched_and_its_reason_reported() {
    let WebIssuer {
        issuer,
        addr,
        did,
        vm,
        list_url,
    } = web_issuer().await;
    let mut unsigned = credential(&did, &list_url);
    unsigned["credentialStatus"] =
        serde_json::json!({"id": list_url, "type": "1EdTechRevocationList"});
    unsigned["@context"]
        .as_array_mut()
        .expect("contexts")
        .push(credence_vc::contexts::OB_V3P0_EXTENSIONS.into());
    let doc = signed(&unsigned, &vm);
    let id = doc["id"].as_str().expect("the credential's id").to_owned();
    let revocations = |revoked: Value| serde_json::json!({"id": list_url, "issuer": did, "revokedCredentials": revoked});
    *issuer.list.lock().expect("lock") =
        revocations(serde_json::json!([{"id": "urn:uuid:another", "revocationReason": "x"}]));
    let app = app_fetching(settings(&[addr.to_string()])).await;

    let first = verify(&app, &doc).await;
    assert_eq!(outcome(&first, "proof"), Outcome::Passed, "{first:?}");
    assert_eq!(
        outcome(&first, "status.revocation"),
        Outcome::Passed,
        "{first:?}"
    );
    assert!(first.is_verified(), "{first:?}");
    assert!(
        first
            .fetches
            .iter()
            .any(|f| f.url == list_url && f.status == Some(200)),
        "{first:?}"
    );

    *issuer.list.lock().expect("lock") = revocations(
        serde_json::json!([{"id": id, "revocationReason": "Awarded to the wrong learner."}]),
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let revoked = verify(&app, &doc).await;
    let status = revoked.check("status.revocation").expect("status check");
    assert_eq!(status.outcome, Outcome::Failed, "{revoked:?}");
    assert!(
        status.message.contains("Awarded to the wrong learner."),
        "{}",
        status.message
    );
    assert_eq!(revoked.verdict, Verdict::NotValid);
}

#[tokio::test]
async fn a_failed_fetch_is_remembered_for_the_cache_floor() {
    let (addr, connections) = counting_listener().await;
    let url = format!("http://{addr}/list");
    let remembering = Fetcher::new(Settings {
        cache_floor: Duration::from_secs(60),
        ..settings(&[addr.to_string()])
    });
    let mut log = Vec::new();
    for _ in 0..3 {
        let failed = remembering.fetch_logged(&url, Want::Json, &mut log).await;
        assert!(failed.is_err(), "the listener drops every connection");
    }
    assert_eq!(
        connections.load(Ordering::SeqCst),
        1,
        "asked once, then answered from memory"
    );
    assert_eq!(
        log.iter().map(|f| f.from_cache).collect::<Vec<_>>(),
        [false, true, true]
    );
    assert_eq!(log[1].error, log[0].error, "the same reason is given again");

    // With no floor (as the other tests here run), every fetch asks again.
    let forgetting = Fetcher::new(settings(&[addr.to_string()]));
    for _ in 0..2 {
        assert!(forgetting.fetch(&url, Want::Json).await.0.is_err());
    }
    assert_eq!(connections.load(Ordering::SeqCst), 3);
}
