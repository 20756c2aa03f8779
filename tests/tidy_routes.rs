//! Tidy checks of the one route table: every route `router.rs` mounts under `/api/v1` and
//! for the VC-API is in `/api/v1/openapi.json` and every documented operation is served;
//! none is routed around the documented tables; the VC-API declares its security.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::support::{Auth, TestApp};
use crate::tidy::{non_test_lines, read, rel, report, rust_files};

/// `(METHOD, full path)` of every operation in an OpenAPI document, each path under its
/// own `servers` URL when it has one, else the document's.
fn documented_operations(doc: &Value) -> BTreeSet<(String, String)> {
    let default_server = doc["servers"][0]["url"].as_str().unwrap_or("");
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let server = item["servers"][0]["url"].as_str().unwrap_or(default_server);
        for method in [
            "get", "put", "post", "delete", "patch", "head", "options", "trace",
        ] {
            if item.get(method).is_some() {
                out.insert((
                    method.to_ascii_uppercase(),
                    format!("{}{path}", server.trim_end_matches('/')),
                ));
            }
        }
    }
    out
}

/// The served `/api/v1/openapi.json`.
async fn openapi(app: &TestApp) -> Value {
    app.call("GET", "/api/v1/openapi.json", None, &Auth::None)
        .await
        .json()
}

#[tokio::test]
async fn tidy_the_openapi_document_lists_exactly_the_routes_the_router_serves() {
    let app = TestApp::new().await;
    let doc = openapi(&app).await;
    let documented = documented_operations(&doc);
    let served: BTreeSet<(String, String)> =
        credence_web::documented_routes().into_iter().collect();
    let missing: Vec<_> = served.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&served).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "crates/credence-web/src/router.rs and /api/v1/openapi.json disagree:\n  served but not documented: {missing:?}\n  documented but not served: {extra:?}"
    );
    // The VC-API's operations have ids no other operation has, as OpenAPI requires.
    // (Some /api/v1 operations share an id today, `list` for one: the handlers' names.)
    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if let Some(id) = op["operationId"].as_str() {
                ids.entry(id.to_owned())
                    .or_default()
                    .push(format!("{method} {path}"));
            }
        }
    }
    for (id, users) in &ids {
        let vc_api = users
            .iter()
            .any(|u| u.contains(" /credentials/") || u.contains(" /presentations/"));
        assert!(
            !vc_api || users.len() == 1,
            "operationId {id} names {users:?}"
        );
    }
    // No route reaches the router around the tables: in `router.rs` (and nowhere else in
    // the web crate) no plain `.route(...)` is under `/api/` or at a documented path, and
    // only the documented table is nested at `/api/v1`.
    let mut bypass = Vec::new();
    for path in rust_files("crates/credence-web/src") {
        let text = read(&path);
        for (n, line) in non_test_lines(&text) {
            let code = line.trim_start();
            let routed = code.starts_with(".route(") || code.starts_with(".nest(");
            let next = text.lines().nth(n).unwrap_or("").trim_start();
            let literal = if code.ends_with('(') { next } else { code };
            let Some(target) = literal.split('"').nth(1) else {
                continue;
            };
            let documented = served.iter().any(|(_, p)| p == target);
            let api =
                target.starts_with("/api/") && !code.starts_with(".nest(\"/api/v1\", api_v1)");
            if routed && (documented || api) {
                bypass.push(format!("{}:{n}: {code} {target}", rel(&path)));
            }
        }
    }
    report("routes mounted around the documented tables", &bypass);
    // The VC-API is there, at the root, and the table is what the router serves: every
    // route answers from its handler, not with the router's 404 or 405.
    for vc_api in [
        "/credentials/issue",
        "/credentials/verify",
        "/credentials/status",
        "/presentations/verify",
    ] {
        assert!(
            served.contains(&("POST".to_owned(), vc_api.to_owned())),
            "{vc_api}"
        );
    }
    for (method, path) in &served {
        let concrete: String = path
            .split('/')
            .map(|part| if part.starts_with('{') { "x" } else { part })
            .collect::<Vec<_>>()
            .join("/");
        let reply = app.call(method, &concrete, None, &Auth::None).await;
        assert_ne!(
            reply.status.as_u16(),
            405,
            "{method} {concrete}: {}",
            reply.body
        );
        assert!(
            !reply.body.contains("Nothing is published at"),
            "{method} {concrete} is not served: {}",
            reply.body
        );
    }
}

#[tokio::test]
async fn tidy_the_vc_api_declares_its_security_schemes() {
    let app = TestApp::new().await;
    let doc = openapi(&app).await;
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["type"], "http", "{schemes}");
    assert_eq!(schemes["bearer"]["scheme"], "bearer", "{schemes}");
    assert_eq!(schemes["session"]["type"], "apiKey", "{schemes}");
    assert_eq!(schemes["session"]["in"], "cookie", "{schemes}");
    assert_eq!(schemes["session"]["name"], "credence_session", "{schemes}");
    // Issuing and changing status need a token or a session; verifying is public.
    let check = |path: &str, expected: Value| {
        let item = &doc["paths"][path];
        assert_eq!(
            item["servers"][0]["url"], "/",
            "{path} is served from the root"
        );
        assert_eq!(item["post"]["security"], expected, "{path}");
    };
    let signed_in = serde_json::json!([{"bearer": []}, {"session": []}]);
    check("/credentials/issue", signed_in.clone());
    check("/credentials/status", signed_in);
    check("/credentials/verify", serde_json::json!([{}]));
    check("/presentations/verify", serde_json::json!([{}]));
}
