//! Accounts, sessions and CSRF, organisations and their DIDs, tokens, key rotation, the
//! operator commands, and the audit chain with its tamper check.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{credence, Auth, TestApp};

#[tokio::test]
async fn accounts_sign_in_and_sessions_need_csrf_for_changes() {
    let app = TestApp::new().await;
    let ada = app.holder("Ada@Example.org", "Ada").await;
    let me = app.call("GET", "/api/v1/me", None, &ada).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_eq!(me.json()["email"], "ada@example.org");

    // The same e-mail again is a conflict; a short password names the field.
    let again = app
        .call("POST", "/api/v1/accounts", Some(json!({"email": "ada@example.org", "display_name": "A", "password": "long enough password"})), &Auth::None)
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let short = app
        .call(
            "POST",
            "/api/v1/accounts",
            Some(json!({"email": "bo@example.org", "display_name": "Bo", "password": "short"})),
            &Auth::None,
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(short.header("content-type"), "application/problem+json");
    assert_eq!(short.json()["errors"][0]["pointer"], "/password");

    // A wrong password and an unknown account get the same answer.
    for (email, password) in [
        ("ada@example.org", "wrong password!!"),
        ("nobody@example.org", "wrong password!!"),
    ] {
        let reply = app
            .call(
                "POST",
                "/api/v1/session",
                Some(json!({"email": email, "password": password})),
                &Auth::None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            reply.json()["detail"],
            "The e-mail address or the password is not right."
        );
    }

    // A cookie-authenticated change without the CSRF token is refused.
    let Auth::Session { cookie, .. } = &ada else {
        panic!("a session")
    };
    let no_csrf = Auth::Session {
        cookie: cookie.clone(),
        csrf: "forged".into(),
    };
    let reply = app.call("DELETE", "/api/v1/session", None, &no_csrf).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // Signing out ends the session.
    let reply = app.call("DELETE", "/api/v1/session", None, &ada).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let me = app.call("GET", "/api/v1/me", None, &ada).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn organisations_tokens_and_key_rotation() {
    let app = TestApp::new().await;
    let did = app.org("linchester-ics", "provider", "web").await;
    let host = app
        .base_url
        .trim_start_matches("http://")
        .replace(':', "%3A");
    assert_eq!(did, format!("did:web:{host}:orgs:linchester-ics"));

    let doc = app
        .call("GET", "/orgs/linchester-ics/did.json", None, &Auth::None)
        .await;
    assert_eq!(doc.status, StatusCode::OK);
    let doc = doc.json();
    assert_eq!(doc["id"], did.as_str());
    assert_eq!(doc["verificationMethod"].as_array().unwrap().len(), 1);

    let admin = app.holder("admin@linchester.example", "Admin").await;
    app.grant("linchester-ics", "admin@linchester.example", "admin")
        .await;
    let token = app
        .call(
            "POST",
            "/api/v1/orgs/linchester-ics/tokens",
            Some(json!({"role": "issuer", "label": "LMS"})),
            &admin,
        )
        .await;
    assert_eq!(token.status, StatusCode::CREATED, "{}", token.body);
    let value = token.json()["token"].as_str().unwrap().to_owned();
    assert!(value.starts_with("crd_"));
    let issuer = Auth::Token(value.clone());
    // An issuer token cannot administer.
    let members = app
        .call("GET", "/api/v1/orgs/linchester-ics/members", None, &issuer)
        .await;
    assert_eq!(members.status, StatusCode::FORBIDDEN);
    // Token values are never listed.
    let listed = app
        .call("GET", "/api/v1/orgs/linchester-ics/tokens", None, &admin)
        .await;
    assert!(!listed.body.contains(&value));
    let id = listed.json()["items"][0]["id"].as_str().unwrap().to_owned();
    let revoke = app
        .call(
            "DELETE",
            &format!("/api/v1/orgs/linchester-ics/tokens/{id}"),
            None,
            &admin,
        )
        .await;
    assert_eq!(revoke.status, StatusCode::NO_CONTENT);
    let after = app
        .call("GET", "/api/v1/orgs/linchester-ics/keys", None, &issuer)
        .await;
    assert_eq!(
        after.status,
        StatusCode::UNAUTHORIZED,
        "a revoked token is refused"
    );
    let bogus = app
        .call(
            "GET",
            "/api/v1/orgs/linchester-ics/keys",
            None,
            &Auth::Token("crd_nonsense".into()),
        )
        .await;
    assert_eq!(bogus.status, StatusCode::UNAUTHORIZED);

    // Rotation: a new active key, the old one kept for verification.
    let rotated = app
        .call(
            "POST",
            "/api/v1/orgs/linchester-ics/keys/rotate",
            None,
            &admin,
        )
        .await;
    assert_eq!(rotated.status, StatusCode::CREATED, "{}", rotated.body);
    assert_eq!(
        rotated.json()["verification_method"],
        format!("{did}#key-2")
    );
    let doc = app
        .call("GET", "/orgs/linchester-ics/did.json", None, &Auth::None)
        .await
        .json();
    assert_eq!(
        doc["assertionMethod"],
        json!([format!("{did}#key-1"), format!("{did}#key-2")])
    );
    assert_eq!(doc["authentication"], json!([format!("{did}#key-2")]));

    // A did:key organisation's DID follows its key, and has no did:web document.
    let key_did = app.org("triadix", "provider", "key").await;
    assert!(key_did.starts_with("did:key:z6Mk"), "{key_did}");
    let none = app
        .call("GET", "/orgs/triadix/did.json", None, &Auth::None)
        .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    let profile = app
        .call("GET", "/orgs/triadix", None, &Auth::None)
        .await
        .json();
    assert_eq!(profile["id"], key_did.as_str());
    assert_eq!(profile["type"], json!(["Profile"]));
}

#[tokio::test]
async fn malformed_requests_get_problem_documents() {
    let app = TestApp::new().await;
    // Method, path, content type, body, expected status.
    type Case<'a> = (
        &'a str,
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        StatusCode,
    );
    let cases: &[Case] = &[
        ("POST", "/api/v1/accounts", Some("application/json"), Some("{not json"), StatusCode::BAD_REQUEST),
        ("POST", "/api/v1/accounts", Some("application/json"), Some("{\"email\": 3}"), StatusCode::UNPROCESSABLE_ENTITY),
        ("POST", "/api/v1/accounts", Some("text/plain"), Some("{}"), StatusCode::UNSUPPORTED_MEDIA_TYPE),
        ("POST", "/api/v1/accounts", Some("application/json"), Some("{\"email\":\"a@b.org\",\"display_name\":\"x\",\"password\":\"aaaaaaaaaaaaaa\",\"extra\":1}"), StatusCode::UNPROCESSABLE_ENTITY),
        ("GET", "/api/v1/orgs/NOT_A_SLUG", None, None, StatusCode::NOT_FOUND),
        ("GET", "/api/v1/orgs/nobody", None, None, StatusCode::NOT_FOUND),
        ("POST", "/api/v1/orgs", Some("application/json"), Some("{\"slug\":\"x\",\"name\":\"X\",\"kind\":\"provider\",\"did_method\":\"web\"}"), StatusCode::UNAUTHORIZED),
    ];
    for (method, path, content_type, body, expected) in cases {
        let mut request = axum::http::Request::builder()
            .method(*method)
            .uri(*path)
            .header("accept", "application/json");
        if let Some(ct) = content_type {
            request = request.header("content-type", *ct);
        }
        let payload = body.map_or_else(axum::body::Body::empty, |b| {
            axum::body::Body::from(b.to_owned())
        });
        let reply = app.request(request.body(payload).unwrap()).await;
        assert_eq!(
            reply.status, *expected,
            "{method} {path} {body:?}: {}",
            reply.body
        );
        assert_eq!(
            reply.header("content-type"),
            "application/problem+json",
            "{method} {path}"
        );
    }
    // An oversize body is refused before it is read whole.
    let big = "x".repeat(2 * 1024 * 1024);
    let reply = app
        .request(
            axum::http::Request::post("/api/v1/accounts")
                .header("content-type", "application/json")
                .body(axum::body::Body::from(big))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.header("content-type"), "application/problem+json");
    assert_eq!(reply.json()["status"], 413);
    // A method the route does not have.
    let reply = app.call("PATCH", "/api/v1/me", None, &Auth::None).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.header("content-type"), "application/problem+json");
}

#[tokio::test]
async fn the_audit_chain_detects_an_altered_and_a_removed_entry() {
    let app = TestApp::new().await;
    app.org("body", "accrediting-body", "web").await;
    app.holder("a@example.org", "A").await;
    app.grant("body", "a@example.org", "admin").await;
    app.token("body", "issuer").await;
    let registry = &app.services.registry;
    let operator =
        credence_service::Actor::from_operator(&credence_service::Operator::local_command_line())
            .operator()
            .unwrap();
    let report = registry
        .with_operator(&operator)
        .verify_audit_chain(|_, _| {})
        .await
        .unwrap();
    assert_eq!(report.entries, 4);
    assert_eq!(report.broken, None);

    let tx = app.services.registry.store().write().await.unwrap();
    tx.tamper_audit_detail(2, "{\"email\":\"mallory@example.org\"}")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let report = registry
        .with_operator(&operator)
        .verify_audit_chain(|_, _| {})
        .await
        .unwrap();
    let (seq, why) = report.broken.expect("a broken link");
    assert_eq!(seq, 2);
    assert!(why.contains("altered"), "{why}");
    assert_eq!(report.entries, 1);

    let app = TestApp::new().await;
    app.org("body", "accrediting-body", "web").await;
    app.holder("a@example.org", "A").await;
    app.holder("b@example.org", "B").await;
    let registry = &app.services.registry;
    // A removed entry in the middle, then the removal of the chain's tail.
    for (victim, word) in [(2, "missing"), (3, "removed")] {
        let tx = registry.store().write().await.unwrap();
        tx.tamper_audit_delete(victim).await.unwrap();
        tx.commit().await.unwrap();
        let report = registry
            .with_operator(&operator)
            .verify_audit_chain(|_, _| {})
            .await
            .unwrap();
        let (seq, why) = report.broken.expect("a broken link");
        assert_eq!(seq, 2, "{why}");
        assert!(why.contains(word), "{why}");
    }
}

#[test]
fn operator_commands_create_an_operator_an_organisation_and_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("CREDENCE_DATA_DIR", "data"),
        ("CREDENCE_PUBLIC_URL", "https://credence.example"),
    ];
    let run = |args: &[&str], stdin: Option<&str>| {
        use std::io::Write;
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_credence"));
        command
            .args(args)
            .current_dir(dir.path())
            .env_remove("CREDENCE_DATABASE_URL")
            .env("CREDENCE_LOG", "warn");
        for (k, v) in env {
            command.env(k, v);
        }
        command
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = command.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.unwrap_or("").as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run(
        &["admin", "create", "--email", "op@example.org"],
        Some("a long operator password\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key_file = dir.path().join("data/master.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let out = run(
        &["admin", "create", "--email", "op2@example.org"],
        Some("short\n"),
    );
    assert_eq!(out.status.code(), Some(2), "a short password is refused");
    assert!(String::from_utf8_lossy(&out.stderr).contains("password"));

    let out = run(
        &[
            "org",
            "create",
            "--slug",
            "nymouth-ics",
            "--name",
            "Nymouth ICS",
            "--kind",
            "provider",
            "--did-method",
            "web",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "did:web:credence.example:orgs:nymouth-ics\n"
    );
    let out = run(
        &[
            "org",
            "create",
            "--slug",
            "nymouth-ics",
            "--name",
            "Again",
            "--kind",
            "provider",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));

    let out = run(
        &[
            "token",
            "create",
            "--org",
            "nymouth-ics",
            "--role",
            "issuer",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8_lossy(&out.stdout);
    assert!(
        token.starts_with("crd_") && token.lines().count() == 1,
        "{token}"
    );

    let out = run(&["org", "key", "rotate", "--org", "nymouth-ics"], None);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "did:web:credence.example:orgs:nymouth-ics#key-2\n"
    );

    let out = run(&["audit", "verify"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("4 entries"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The sealed key never appears in clear in the database file.
    let _ = credence;
}

#[tokio::test]
async fn the_openapi_document_describes_the_api_and_every_reference_resolves() {
    let app = TestApp::new().await;
    let reply = app
        .call("GET", "/api/v1/openapi.json", None, &Auth::None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let doc = reply.json();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    let paths = doc["paths"].as_object().unwrap();
    // Every route of the API (the bulk and attachment routes have body limits of their own).
    let routes = [
        ("/accounts", "post"),
        ("/session", "post"),
        ("/session", "delete"),
        ("/me", "get"),
        ("/orgs", "get"),
        ("/orgs", "post"),
        ("/orgs/{slug}", "get"),
        ("/orgs/{slug}/members", "get"),
        ("/orgs/{slug}/members", "post"),
        ("/orgs/{slug}/members/{account_id}/{role}", "delete"),
        ("/orgs/{slug}/tokens", "get"),
        ("/orgs/{slug}/tokens", "post"),
        ("/orgs/{slug}/cryptosuite", "put"),
        ("/orgs/{slug}/tokens/{id}", "delete"),
        ("/orgs/{slug}/keys", "get"),
        ("/orgs/{slug}/keys/rotate", "post"),
        ("/orgs/{slug}/audit", "get"),
        ("/trusted-bodies/{slug}", "put"),
        ("/orgs/{slug}/queue", "get"),
        ("/orgs/{slug}/imports", "post"),
        ("/evidence", "get"),
        ("/evidence", "post"),
        ("/evidence/{id}", "get"),
        ("/evidence/{id}", "put"),
        ("/evidence/{id}", "delete"),
        ("/evidence/{id}/attachments", "post"),
        ("/evidence/{id}/attachments/{attachment}", "get"),
        ("/evidence/{id}/submit", "post"),
        ("/evidence/{id}/decision", "post"),
        ("/progress/{framework}/{pathway}", "get"),
        ("/orgs/{slug}/achievements", "get"),
        ("/orgs/{slug}/achievements", "post"),
        ("/orgs/{slug}/awards", "get"),
        ("/orgs/{slug}/awards", "post"),
        ("/orgs/{slug}/awards/bulk", "post"),
        ("/awards", "get"),
        ("/awards/{id}/status", "post"),
        ("/awards/{id}/visibility", "patch"),
        ("/verify", "post"),
        ("/bulk/{id}", "get"),
        ("/bulk/{id}/rows", "get"),
        ("/orgs/{slug}/accreditations", "get"),
        ("/orgs/{slug}/accreditations", "post"),
        ("/accreditations/{id}/revoke", "post"),
        ("/orgs/{slug}/products", "get"),
        ("/orgs/{slug}/products", "post"),
        ("/orgs/{slug}/products/{id}", "put"),
        ("/orgs/{slug}/products/{id}/versions", "post"),
        ("/products/{id}/versions/{version}/answers", "post"),
        ("/products/{id}", "get"),
        ("/me/refreshers", "get"),
        ("/orgs/{slug}/teams/{id}", "get"),
        ("/orgs/{slug}/workforce", "get"),
        ("/orgs/{slug}/affiliations", "get"),
        ("/orgs/{slug}/affiliations", "post"),
        ("/orgs/{slug}/affiliations/{other}/accept", "post"),
        ("/orgs/{slug}/affiliations/{other}", "delete"),
        ("/frameworks/case", "post"),
        ("/openapi.json", "get"),
        // The VC-API, served from the site's root (its paths say so with `servers`).
        ("/credentials/issue", "post"),
        ("/credentials/verify", "post"),
        ("/credentials/status", "post"),
        ("/presentations/verify", "post"),
        // The frameworks as 1EdTech CASE 1.1, at the paths of its REST binding.
        ("/ims/case/v1p1/CFDocuments", "get"),
        ("/ims/case/v1p1/CFDocuments/{id}", "get"),
        ("/ims/case/v1p1/CFPackages/{id}", "get"),
        ("/ims/case/v1p1/CFItems/{id}", "get"),
        ("/ims/case/v1p1/CFItemTypes/{id}", "get"),
        ("/ims/case/v1p1/CFItemAssociations/{id}", "get"),
        ("/ims/case/v1p1/CFAssociations/{id}", "get"),
        // OpenID4VCI, also at the site's root.
        ("/.well-known/openid-credential-issuer", "get"),
        ("/.well-known/oauth-authorization-server", "get"),
        ("/oid4vci/token", "post"),
        ("/oid4vci/nonce", "post"),
        ("/oid4vci/credential", "post"),
        // The Open Badges 3.0 API and its OAuth 2.0 endpoints, from the site's root.
        ("/ims/ob/v3p0/discovery", "get"),
        ("/ims/ob/v3p0/credentials", "get"),
        ("/ims/ob/v3p0/credentials", "post"),
        ("/ims/ob/v3p0/profile", "get"),
        ("/ims/ob/v3p0/profile", "put"),
        ("/oauth/register", "post"),
        ("/oauth/token", "post"),
        ("/oauth/revoke", "post"),
    ];
    for (path, method) in routes {
        let op = &paths[path][method];
        assert!(op.is_object(), "{method} {path} is not documented");
        assert!(
            op["responses"].as_object().is_some_and(|r| !r.is_empty()),
            "{method} {path}"
        );
    }
    // ... and nothing else: the list above is the whole API.
    let operations: usize = paths
        .values()
        .map(|item| {
            [
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .iter()
            .filter(|m| item.get(**m).is_some())
            .count()
        })
        .sum();
    assert_eq!(operations, routes.len(), "{:?}", paths.keys());
    // Every $ref names a schema that exists.
    let text = doc.to_string();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = piece.split('"').next().unwrap();
        assert!(schemas.contains_key(name), "missing schema {name}");
    }
}
