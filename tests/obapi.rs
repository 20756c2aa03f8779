//! The Open Badges 3.0 API (issue 20): the whole authorization-code flow run by an
//! independent OAuth 2.0 client library (oauth4webapi, `tests/js/obapi.mjs`) with Chromium
//! on the consent page, every answer validated against its 1EdTech schema with ajv; and the
//! refusals, in process: PKCE, single-use and expiring codes, redirect URIs, scopes,
//! another holder's data, Deny, disconnecting, and bad registrations.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{json, Value};

use crate::support::{Auth, Reply, TestApp};

const READ: &str = "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly";
const UPSERT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.upsert";
const PROFILE: &str = "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly";
const REDIRECT: &str = "https://backpack.example/callback";
const VERIFIER: &str = "a-pkce-code-verifier-of-enough-length-0123456789abcdef";

/// A holder with one award of `slug` (made with an override justification).
async fn holder_with_award(app: &TestApp, slug: &str, email: &str, name: &str) -> Auth {
    let (issuer, achievement) = crate::registry_awards::issuer_setup(app, slug, "key").await;
    let auth = app.holder(email, name).await;
    let made = crate::registry_awards::award(
        app,
        slug,
        &issuer,
        json!({"achievement": achievement, "email": email,
               "override_justification": "Completed the equivalent programme at a partner trust in 2025."}),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    auth
}

async fn register(app: &TestApp, body: Value) -> Reply {
    app.call("POST", "/oauth/register", Some(body), &Auth::None)
        .await
}

/// A registered client: `(client_id, client_secret)`.
async fn client(app: &TestApp) -> (String, String) {
    let reply = register(
        app,
        json!({"client_name": "Rust Backpack", "redirect_uris": [REDIRECT, "https://backpack.example/other"]}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let j = reply.json();
    (
        j["client_id"].as_str().unwrap().to_owned(),
        j["client_secret"].as_str().unwrap().to_owned(),
    )
}

fn form(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// The holder answers the consent form; returns where the browser is sent.
async fn consent(
    app: &TestApp,
    holder: &Auth,
    client_id: &str,
    scope: &str,
    decision: &str,
) -> String {
    let Auth::Session { cookie, csrf } = holder else {
        panic!("a session")
    };
    let challenge = credence_service::oauth::pkce_s256(VERIFIER);
    let body = form(&[
        ("csrf", csrf),
        ("decision", decision),
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", REDIRECT),
        ("scope", scope),
        ("state", "st4te"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ]);
    let reply = app
        .request(
            Request::post("/oauth/authorize")
                .header("cookie", format!("credence_session={cookie}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    reply.header("location").to_owned()
}

fn query_value(location: &str, key: &str) -> Option<String> {
    url::Url::parse(location)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

async fn token(app: &TestApp, pairs: &[(&str, &str)]) -> Reply {
    app.request(
        Request::post("/oauth/token")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(form(pairs)))
            .unwrap(),
    )
    .await
}

/// Exchanges `code` with `client_secret_post`.
async fn exchange(
    app: &TestApp,
    (id, secret): &(String, String),
    code: &str,
    redirect: &str,
    verifier: &str,
) -> Reply {
    token(
        app,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect),
            ("code_verifier", verifier),
            ("client_id", id),
            ("client_secret", secret),
        ],
    )
    .await
}

/// A code from the holder for `client` with `scope`.
async fn code(app: &TestApp, holder: &Auth, client: &(String, String), scope: &str) -> String {
    let location = consent(app, holder, &client.0, scope, "allow").await;
    assert!(location.starts_with(REDIRECT), "{location}");
    assert_eq!(query_value(&location, "state").as_deref(), Some("st4te"));
    query_value(&location, "code").expect("a code")
}

fn error_of(reply: &Reply) -> String {
    reply.json()["error"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_oauth_flow_runs_with_oauth4webapi_and_every_answer_validates() {
    let app = TestApp::new().await;
    let base = app.serve().await;
    holder_with_award(&app, "ob-flow", "holder@obapi.test", "Olive Holder").await;
    let screenshots = crate::browser::screenshot_path("obapi")
        .parent()
        .unwrap()
        .to_path_buf();
    let root = crate::support::repo_root();
    let brief = json!({
        "base": base,
        "chromium": crate::browser::chromium(),
        "screenshots": screenshots,
        "schemas": root.join("crates/credence-vc/schemas"),
        "apiSchemas": root.join("tests/vectors/ob_api"),
        "holder": {"email": "holder@obapi.test", "password": "correct horse battery staple"},
    });
    let report = tokio::task::spawn_blocking(move || {
        crate::support::js_harness().run_script("obapi.mjs", &[], &brief)
    })
    .await
    .unwrap();
    assert_eq!(report["ok"], true, "the flow broke: {report:#}");
    assert_eq!(report["schemaErrors"], json!([]), "{report:#}");
    assert_eq!(report["cspErrors"], json!([]), "{report:#}");
    assert_eq!(report["axe"]["consent"], json!([]), "{report:#}");
    assert_eq!(report["registration"]["status"], 201, "{report:#}");
    let text = report["consentText"].as_str().unwrap_or_default();
    for words in [
        "Test Backpack",
        "127.0.0.1",
        "read your credentials",
        "change your profile",
    ] {
        assert!(
            text.contains(words),
            "the consent page lacks {words:?}: {text}"
        );
    }
    assert_eq!(report["credentialsStatus"], 200);
    assert_eq!(report["totalCount"], "1");
    let credentials = report["credentials"]["credential"].as_array().unwrap();
    assert_eq!(credentials.len(), 1, "{report:#}");
    // Exactly the signed JSON the registry keeps.
    let stored = app
        .call(
            "GET",
            "/api/v1/awards",
            None,
            &app.sign_in("holder@obapi.test", "correct horse battery staple")
                .await,
        )
        .await;
    let id = stored.json()["items"][0]["credential_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(credentials[0]["id"], id.as_str());
    assert!(credentials[0]["proof"].is_object(), "{report:#}");
    assert!(report["link"]
        .as_str()
        .unwrap_or_default()
        .contains("rel=\"first\""));
    assert_eq!(report["profile"]["name"], "Olive Holder");
    assert_eq!(report["renamed"]["name"], "Renamed By Backpack");
    assert_eq!(report["refreshedStatus"], 200);
    assert_eq!(report["reusedRefresh"], "invalid_grant", "{report:#}");
    assert_eq!(report["afterRevocationStatus"], 401, "{report:#}");
    assert_eq!(report["badTokenStatus"], 401);
    assert_eq!(
        report["badTokenChallenge"], "WWWAuthenticateChallengeError",
        "{report:#}"
    );
    assert_eq!(report["badTokenBody"]["imsx_codeMajor"], "failure");
    let discovery = &report["discovery"]["components"]["securitySchemes"]["OAuth2ACG"];
    assert_eq!(
        discovery["x-imssf-registrationUrl"],
        format!("{base}/oauth/register")
    );
}

#[tokio::test]
async fn codes_are_single_use_and_bound_to_the_verifier_the_redirect_and_ten_minutes() {
    let app = TestApp::new().await;
    let holder = holder_with_award(&app, "ob-codes", "codes@obapi.test", "Cody").await;
    let client = client(&app).await;
    // A wrong PKCE verifier: refused, and the code is spent.
    let c = code(&app, &holder, &client, READ).await;
    let wrong = exchange(
        &app,
        &client,
        &c,
        REDIRECT,
        "another-verifier-another-verifier-another-v",
    )
    .await;
    assert_eq!(
        (wrong.status, error_of(&wrong).as_str()),
        (StatusCode::BAD_REQUEST, "invalid_grant")
    );
    let spent = exchange(&app, &client, &c, REDIRECT, VERIFIER).await;
    assert_eq!(error_of(&spent), "invalid_grant");
    // Another registered redirect URI than the request's: refused.
    let c = code(&app, &holder, &client, READ).await;
    let other = exchange(
        &app,
        &client,
        &c,
        "https://backpack.example/other",
        VERIFIER,
    )
    .await;
    assert_eq!(error_of(&other), "invalid_grant", "{}", other.body);
    // The right exchange works once; the same code again does not.
    let c = code(&app, &holder, &client, READ).await;
    let ok = exchange(&app, &client, &c, REDIRECT, VERIFIER).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.header("cache-control"), "no-store");
    assert_eq!(ok.json()["token_type"], "Bearer");
    let again = exchange(&app, &client, &c, REDIRECT, VERIFIER).await;
    assert_eq!(error_of(&again), "invalid_grant");
    // A wrong secret, or another client's code: refused.
    let c = code(&app, &holder, &client, READ).await;
    let bad_secret = exchange(
        &app,
        &(client.0.clone(), "guess".into()),
        &c,
        REDIRECT,
        VERIFIER,
    )
    .await;
    assert_eq!(
        (bad_secret.status, error_of(&bad_secret).as_str()),
        (StatusCode::UNAUTHORIZED, "invalid_client")
    );
    let thief = self::client(&app).await;
    let stolen = exchange(&app, &thief, &c, REDIRECT, VERIFIER).await;
    assert_eq!(error_of(&stolen), "invalid_grant");
    // A code older than ten minutes: refused.
    let c = code(&app, &holder, &client, READ).await;
    app.services
        .registry
        .shift_clock(chrono::Duration::minutes(11));
    let late = exchange(&app, &client, &c, REDIRECT, VERIFIER).await;
    assert_eq!(error_of(&late), "invalid_grant");
    // Revocation: another client's, or a wrong secret, leaves the token; its own client ends it.
    app.services
        .registry
        .shift_clock(chrono::Duration::minutes(-11));
    let c = code(&app, &holder, &client, READ).await;
    let access = exchange(&app, &client, &c, REDIRECT, VERIFIER).await.json()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let revoke = |id: &str, secret: &str| {
        form(&[
            ("token", &access),
            ("client_id", id),
            ("client_secret", secret),
        ])
    };
    let send = |body: String| {
        app.request(
            Request::post("/oauth/revoke")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
    };
    assert_eq!(
        send(revoke(&thief.0, &thief.1)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        send(revoke(&client.0, "guess")).await.status,
        StatusCode::UNAUTHORIZED
    );
    let reads = bearer(&app, "/ims/ob/v3p0/credentials", &access).await;
    assert_eq!(reads.status, StatusCode::OK, "{}", reads.body);
    assert_eq!(
        send(revoke(&client.0, &client.1)).await.status,
        StatusCode::OK
    );
    let reads = bearer(&app, "/ims/ob/v3p0/credentials", &access).await;
    assert_eq!(reads.status, StatusCode::UNAUTHORIZED);
    // Unknown grant types are named as such.
    let odd = token(
        &app,
        &[
            ("grant_type", "password"),
            ("client_id", &client.0),
            ("client_secret", &client.1),
        ],
    )
    .await;
    assert_eq!(error_of(&odd), "unsupported_grant_type");
}

async fn bearer(app: &TestApp, path: &str, token: &str) -> Reply {
    app.call("GET", path, None, &Auth::Token(token.to_owned()))
        .await
}

#[tokio::test]
async fn a_token_reads_only_its_holder_within_its_scopes_until_disconnected() {
    let app = TestApp::new().await;
    let holder = holder_with_award(&app, "ob-scope", "scoped@obapi.test", "Scoped Holder").await;
    let other = holder_with_award(&app, "ob-other", "other@obapi.test", "Other Holder").await;
    let client = client(&app).await;
    // A token with the profile scope only: the credentials are refused (403, Imsx).
    let c = code(&app, &holder, &client, PROFILE).await;
    let tokens = exchange(&app, &client, &c, REDIRECT, VERIFIER).await.json();
    let access = tokens["access_token"].as_str().unwrap();
    let refused = bearer(&app, "/ims/ob/v3p0/credentials", access).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(refused.json()["imsx_codeMajor"], "failure");
    assert_eq!(refused.json()["imsx_severity"], "error");
    let profile = bearer(&app, "/ims/ob/v3p0/profile", access).await;
    assert_eq!(profile.json()["name"], "Scoped Holder");
    let put = app
        .call(
            "PUT",
            "/ims/ob/v3p0/profile",
            Some(json!({"name": "X"})),
            &Auth::Token(access.to_owned()),
        )
        .await;
    assert_eq!(put.status, StatusCode::FORBIDDEN);
    // With the read scope: exactly this holder's one credential, never the other's.
    let c = code(&app, &holder, &client, READ).await;
    let tokens = exchange(&app, &client, &c, REDIRECT, VERIFIER).await.json();
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let mine = bearer(&app, "/ims/ob/v3p0/credentials", &access).await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    assert_eq!(mine.header("x-total-count"), "1");
    let listed = mine.json()["credential"].to_string();
    assert!(
        listed.contains("ob-scope") && !listed.contains("ob-other"),
        "{listed}"
    );
    let other_c = code(&app, &other, &client, READ).await;
    let other_tokens = exchange(&app, &client, &other_c, REDIRECT, VERIFIER)
        .await
        .json();
    let theirs = bearer(
        &app,
        "/ims/ob/v3p0/credentials",
        other_tokens["access_token"].as_str().unwrap(),
    )
    .await;
    assert!(!theirs.json()["credential"].to_string().contains("ob-scope"));
    // Paging beyond the end is empty; a bad limit is a 400 Imsx.
    let past = bearer(&app, "/ims/ob/v3p0/credentials?offset=5", &access).await;
    assert_eq!(past.json()["credential"], json!([]));
    let bad = bearer(&app, "/ims/ob/v3p0/credentials?limit=0", &access).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let bad = bearer(&app, "/ims/ob/v3p0/credentials?limit=lots", &access).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["imsx_codeMajor"], "failure");
    // Upsert: not with the read scope alone; with it, the holder's own credential as stored
    // is acknowledged (200), a tampered one or another holder's is refused (400, Imsx).
    let own = mine.json()["credential"][0].clone();
    let post = |token: String, body: Value| {
        let app = &app;
        async move {
            app.call(
                "POST",
                "/ims/ob/v3p0/credentials",
                Some(body),
                &Auth::Token(token),
            )
            .await
        }
    };
    assert_eq!(
        post(access.clone(), own.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    let c = code(&app, &holder, &client, &format!("{READ} {UPSERT}")).await;
    let upserter = exchange(&app, &client, &c, REDIRECT, VERIFIER).await.json()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let known = post(upserter.clone(), own.clone()).await;
    assert_eq!(known.status, StatusCode::OK, "{}", known.body);
    assert_eq!(known.json(), own);
    let mut tampered = own.clone();
    tampered["validFrom"] = json!("2020-01-01T00:00:00Z");
    let refused = post(upserter.clone(), tampered).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert_eq!(refused.json()["imsx_codeMajor"], "failure");
    let someone_elses = theirs.json()["credential"][0].clone();
    let refused = post(upserter, someone_elses).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert!(refused.body.contains("not among them"), "{}", refused.body);
    // Deny sends the client access_denied and no code.
    let denied = consent(&app, &holder, &client.0, READ, "deny").await;
    assert_eq!(
        query_value(&denied, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(query_value(&denied, "code"), None);
    // The account page lists the application; disconnecting ends its tokens.
    let page = app.get_page("/account", &holder).await;
    assert!(page.contains("Rust Backpack"), "{page}");
    let Auth::Session { cookie, csrf } = &holder else {
        panic!("a session")
    };
    let gone = app
        .request(
            Request::post(format!("/account/apps/{}/disconnect", client.0))
                .header("cookie", format!("credence_session={cookie}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(form(&[("csrf", csrf)])))
                .unwrap(),
        )
        .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER, "{}", gone.body);
    assert_eq!(
        bearer(&app, "/ims/ob/v3p0/credentials", &access)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let after = token(
        &app,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh),
            ("client_id", &client.0),
            ("client_secret", &client.1),
        ],
    )
    .await;
    assert_eq!(error_of(&after), "invalid_grant");
    // The other holder's grant is untouched.
    assert_eq!(
        bearer(
            &app,
            "/ims/ob/v3p0/credentials",
            other_tokens["access_token"].as_str().unwrap()
        )
        .await
        .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn bad_registrations_and_authorization_requests_are_refused() {
    let app = TestApp::new().await;
    let holder = app.holder("reg@obapi.test", "Reg").await;
    for (body, error) in [
        (
            json!({"redirect_uris": [REDIRECT]}),
            "invalid_client_metadata",
        ),
        (json!({"client_name": "No URIs"}), "invalid_redirect_uri"),
        (
            json!({"client_name": "Plain http", "redirect_uris": ["http://backpack.example/cb"]}),
            "invalid_redirect_uri",
        ),
        (
            json!({"client_name": "Fragment", "redirect_uris": ["https://backpack.example/cb#x"]}),
            "invalid_redirect_uri",
        ),
        (
            json!({"client_name": "Greedy", "redirect_uris": [REDIRECT], "scope": "admin"}),
            "invalid_client_metadata",
        ),
        (
            json!({"client_name": "Implicit", "redirect_uris": [REDIRECT], "response_types": ["token"]}),
            "invalid_client_metadata",
        ),
        (
            json!({"client_name": "Keys", "redirect_uris": [REDIRECT], "token_endpoint_auth_method": "private_key_jwt"}),
            "invalid_client_metadata",
        ),
        (json!(["not", "an", "object"]), "invalid_client_metadata"),
    ] {
        let reply = register(&app, body.clone()).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{body}: {}",
            reply.body
        );
        assert_eq!(error_of(&reply), error, "{body}: {}", reply.body);
    }
    let client = client(&app).await;
    let Auth::Session { cookie, .. } = &holder else {
        panic!("a session")
    };
    let authorize = |query: String| {
        Request::get(format!("/oauth/authorize?{query}"))
            .header("cookie", format!("credence_session={cookie}"))
            .header("accept", "text/html")
            .body(Body::empty())
            .unwrap()
    };
    let challenge = credence_service::oauth::pkce_s256(VERIFIER);
    // An unknown redirect URI is shown to the holder, never followed.
    let q = form(&[
        ("response_type", "code"),
        ("client_id", &client.0),
        ("redirect_uri", "https://evil.example/cb"),
        ("scope", READ),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ]);
    let reply = app.request(authorize(q)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    // No PKCE, or the plain method: back to the client with invalid_request.
    for method in ["", "plain"] {
        let q = form(&[
            ("response_type", "code"),
            ("client_id", &client.0),
            ("redirect_uri", REDIRECT),
            ("scope", READ),
            ("code_challenge", &challenge),
            ("code_challenge_method", method),
            ("state", "s"),
        ]);
        let reply = app.request(authorize(q)).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        assert_eq!(
            query_value(reply.header("location"), "error").as_deref(),
            Some("invalid_request")
        );
    }
    // A scope the API does not have: invalid_scope. A good request shows the consent page.
    let q = form(&[
        ("response_type", "code"),
        ("client_id", &client.0),
        ("redirect_uri", REDIRECT),
        ("scope", "everything"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ]);
    let reply = app.request(authorize(q)).await;
    assert_eq!(
        query_value(reply.header("location"), "error").as_deref(),
        Some("invalid_scope")
    );
    let q = form(&[
        ("response_type", "code"),
        ("client_id", &client.0),
        ("redirect_uri", REDIRECT),
        ("scope", READ),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ]);
    let reply = app.request(authorize(q.clone())).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        reply.body.contains("Rust Backpack")
            && reply.body.contains("backpack.example")
            && reply.body.contains("read your credentials")
    );
    assert!(reply.body.contains("name=\"csrf\""));
    // Its form's answer may go to the client's origin, and only there.
    assert!(
        reply
            .header("content-security-policy")
            .contains("form-action 'self' https://backpack.example;"),
        "{}",
        reply.header("content-security-policy")
    );
    // Signed out, the holder signs in first and comes back.
    let anonymous = app
        .request(
            Request::get(format!("/oauth/authorize?{q}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(
        anonymous
            .header("location")
            .starts_with("/login?next=%2Foauth%2Fauthorize"),
        "{}",
        anonymous.header("location")
    );
    // A consent form without the CSRF token changes nothing.
    let forged = app
        .request(
            Request::post("/oauth/authorize")
                .header("cookie", format!("credence_session={cookie}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!("decision=allow&{q}")))
                .unwrap(),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}
