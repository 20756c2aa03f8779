//! The outbound fetcher as people meet it: `/verify` by a credential's address with the
//! fetches listed (page and JSON API, looked at in Chromium), `credence vc verify --fetch`,
//! and HTTPS with the certificate checked. Helpers and servers are those of `fetch.rs`.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use credence_fetch::{Fetcher, Settings, Want};
use credence_vc::did::{did_web_document, WebKey};
use credence_vc::verify::{Outcome, VerificationReport};
use serde_json::Value;

use crate::fetch::{
    app_fetching, credential, issuer_router, json_reply, key, list, outcome, settings, signed,
    web_issuer, Issuer, WebIssuer,
};
use crate::support::{credence, stdout, Auth};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_fetches_only_when_asked() {
    let WebIssuer {
        issuer,
        addr,
        did,
        vm,
        list_url,
    } = web_issuer().await;
    *issuer.list.lock().expect("lock") = list(&did, &list_url, true, &vm);
    let dir = tempfile::tempdir().expect("a folder");
    let file = dir.path().join("credential.json");
    std::fs::write(&file, signed(&credential(&did, &list_url), &vm).to_string()).expect("write");
    let allow = addr.to_string();
    let path = dir.path().to_owned();
    let (offline, fetched, refused) = tokio::task::spawn_blocking(move || {
        let run = |args: &[&str], env: &[(&str, &str)]| credence(&path, args, env);
        (
            run(&["vc", "verify", "--json", "credential.json"], &[]),
            run(
                &["vc", "verify", "--fetch", "--json", "credential.json"],
                &[("CREDENCE_FETCH_ALLOW_HOSTS", allow.as_str())],
            ),
            run(&["vc", "verify", "--fetch", "credential.json"], &[]),
        )
    })
    .await
    .expect("the runs");

    let report = |out: &std::process::Output| -> VerificationReport {
        serde_json::from_str(&stdout(out)).expect("a JSON report")
    };
    let offline = report(&offline);
    assert_eq!(outcome(&offline, "status.revocation"), Outcome::Unknown);
    assert!(offline.fetches.is_empty());
    let fetched = report(&fetched);
    assert_eq!(outcome(&fetched, "proof"), Outcome::Passed, "{fetched:?}");
    assert_eq!(outcome(&fetched, "status.revocation"), Outcome::Failed);
    assert_eq!(fetched.fetches.len(), 2);
    // Without the allow list, loopback is refused; the text report lists the refusals.
    let text = stdout(&refused);
    assert!(!refused.status.success());
    assert!(
        text.contains(&format!("{list_url}  failed: refused: only https")),
        "{text}"
    );
    assert!(text.contains("127.0.0.1 is loopback"), "{text}");
}

/// The issuer's server publishing a credential by address as JSON, as a baked SVG badge and
/// as an HTML page, beside its DID document and status list.
fn publishing_router(issuer: Issuer, credential: Value) -> Router {
    use credence_vc::baking::{bake_svg, BakedCredential};
    let svg = bake_svg(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg>",
        &BakedCredential::Json(credential.clone()),
    )
    .expect("bake");
    issuer_router(issuer, "/.well-known/did.json")
        .route(
            "/credential.json",
            get(move || {
                let c = credential.clone();
                async move {
                    (
                        [(header::CONTENT_TYPE, "application/ld+json")],
                        c.to_string(),
                    )
                        .into_response()
                }
            }),
        )
        .route(
            "/badge.svg",
            get(move || {
                let svg = svg.clone();
                async move { ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response() }
            }),
        )
        .route(
            "/page",
            get(|| async { ([(header::CONTENT_TYPE, "text/html")], "<p>hi</p>").into_response() }),
        )
}

fn encoded(url: &str) -> String {
    url::form_urlencoded::byte_serialize(url.as_bytes()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_verify_page_checks_a_credential_by_its_address_and_lists_the_fetches() {
    let issuer = Issuer::default();
    let (listener, addr) = {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let a = l.local_addr().expect("address");
        (l, a)
    };
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
    *issuer.list.lock().expect("lock") = list(&did, &list_url, false, &vm);
    let doc = signed(&credential(&did, &list_url), &vm);
    let router = publishing_router(issuer, doc.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    let app = app_fetching(settings(&[addr.to_string()])).await;

    for path in ["/credential.json", "/badge.svg"] {
        let url = format!("http://{addr}{path}");
        let page = app
            .get(
                &format!("/verify?credential={}", encoded(&url)),
                "text/html",
            )
            .await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        assert!(page.body.contains("What was fetched"), "{path}");
        assert!(page.body.contains(&url), "{path}");
        assert!(page.body.contains(&list_url), "{path}");
        assert!(page.body.contains("HTTP 200, fetched now"), "{path}");
        assert!(!page.body.contains("check-failed"), "{path}: {}", page.body);
    }
    // The JSON API reports the same fetches.
    let reply = app
        .call("POST", "/api/v1/verify", Some(doc.clone()), &Auth::None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let fetches = reply.json()["fetches"].clone();
    assert_eq!(fetches[0]["url"], list_url.as_str(), "{fetches}");
    assert_eq!(fetches[0]["status"], 200);
    assert_eq!(fetches[0]["from_cache"], true);
    assert!(fetches[0]["millis"].is_u64());

    // Not a credential: the form again, saying why.
    let page = app
        .get(
            &format!(
                "/verify?credential={}",
                encoded(&format!("http://{addr}/page"))
            ),
            "text/html",
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("could not be fetched"), "{}", page.body);
    assert!(page.body.contains("text/html"), "{}", page.body);

    // A person looks at it at both widths.
    let base = app.serve().await;
    let shown = format!(
        "{base}/verify?credential={}",
        encoded(&format!("http://{addr}/credential.json"))
    );
    tokio::task::spawn_blocking(move || {
        for (shot, size) in [
            ("verify-by-address-desktop.png", "1280,2000"),
            ("verify-by-address-phone.png", "390,2400"),
        ] {
            crate::browser::check_page(&shown, shot, size, |dom| {
                assert!(dom.contains("What was fetched"));
            });
        }
    })
    .await
    .expect("the browser ran");
}

/// Serves `router` over TLS only, with the test certificate for 127.0.0.1 and localhost.
async fn serve_tls(router: Router) -> SocketAddr {
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certificates: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(include_bytes!("vectors/fetch-tls/server.pem"))
            .collect::<Result<_, _>>()
            .expect("the test certificate");
    let key = PrivateKeyDer::from_pem_slice(include_bytes!("vectors/fetch-tls/server.key"))
        .expect("the test key");
    let config = tokio_rustls::rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(certificates, key)
        .expect("a TLS configuration");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("its address");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (acceptor, router) = (acceptor.clone(), router.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(stream).await else {
                    return;
                };
                let service = hyper_util::service::TowerToHyperService::new(router);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_is_fetched_with_the_certificate_checked() {
    let router = Router::new().route(
        "/doc",
        get(|| async { json_reply(&serde_json::json!({"ok": true}), "no-store") }),
    );
    let addr = serve_tls(router).await;
    let ca = credence_fetch::certificates_from_pem(include_bytes!("vectors/fetch-tls/ca.pem"))
        .expect("the test CA");
    let allow = [addr.to_string(), format!("localhost:{}", addr.port())];
    let trusting = Fetcher::new(Settings {
        extra_roots: ca,
        ..settings(&allow)
    });
    for url in [
        format!("https://{addr}/doc"),
        format!("https://localhost:{}/doc", addr.port()),
    ] {
        let (result, status) = trusting.fetch(&url, Want::Json).await;
        let fetched = result.unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(&fetched.body[..], br#"{"ok":true}"#);
        assert_eq!(status, Some(200));
    }
    // Without the test CA the certificate is unknown: refused, and the server speaks no
    // plain HTTP, so nothing is read.
    let (result, _) = Fetcher::new(settings(&allow))
        .fetch(&format!("https://{addr}/doc"), Want::Json)
        .await;
    let error = result
        .expect_err("an unknown certificate authority")
        .to_string();
    assert!(error.starts_with("the secure connection failed"), "{error}");
    assert!(error.contains("certificate"), "{error}");
}
