//! The pages for people, driven through the router: sign-in and its forgery protection,
//! forms that keep their input when refused, the verify page with pasted JSON, uploaded
//! badges and links, credential pages and their downloads, portfolios (private by default,
//! item by item when published, escaped), the export archive and the security headers.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use credence_vc::baking::{unbake, BakedCredential};
use serde_json::{json, Value};

use crate::registry_awards::attest_foundational;
use crate::support::{Auth, Reply, TestApp};

const PASSWORD: &str = "correct horse battery staple";

/// A form post as a browser sends it, with the session cookie when signed in.
pub(crate) async fn post_form(
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    auth: &Auth,
) -> Reply {
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    let mut request = Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html");
    if let Auth::Session { cookie, .. } = auth {
        request = request.header("cookie", format!("credence_session={cookie}"));
    }
    app.request(request.body(Body::from(body.join("&"))).expect("a request"))
        .await
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `GET` as a browser, signed in or not.
pub(crate) async fn page(app: &TestApp, path: &str, auth: &Auth) -> Reply {
    let mut request = Request::get(path).header("accept", "text/html");
    if let Auth::Session { cookie, .. } = auth {
        request = request.header("cookie", format!("credence_session={cookie}"));
    }
    app.request(request.body(Body::empty()).expect("a request"))
        .await
}

fn csrf(auth: &Auth) -> &str {
    match auth {
        Auth::Session { csrf, .. } => csrf,
        _ => "",
    }
}

/// A multipart form with text fields and at most one file.
pub(crate) async fn post_multipart(
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &str, &[u8])>,
) -> Reply {
    let boundary = "credence-test-boundary";
    let mut body: Vec<u8> = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\ncontent-disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, media_type, bytes)) = file {
        body.extend_from_slice(
            format!("--{boundary}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"{name}\"\r\ncontent-type: {media_type}\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let request = Request::post(path)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("accept", "text/html")
        .body(Body::from(body))
        .expect("a request");
    app.request(request).await
}

/// An organisation with a foundational achievement, and a holder awarded it; returns the
/// holder's session and the award's id.
async fn awarded(app: &TestApp, email: &str, name: &str) -> (Auth, String, Value) {
    if app
        .services
        .registry
        .public()
        .org(&credence_domain::OrgSlug::new("pages-ics").expect("a slug"))
        .await
        .is_err()
    {
        app.org("pages-ics", "provider", "web").await;
    }
    let issuer = app.token("pages-ics", "issuer").await;
    let reply = app
        .call(
            "POST",
            "/api/v1/orgs/pages-ics/achievements",
            Some(json!({"pathway": "foundational"})),
            &issuer,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let achievement = reply.json()["uuid"].as_str().expect("uuid").to_owned();
    let holder = app.holder(email, name).await;
    let me = app.call("GET", "/api/v1/me", None, &holder).await;
    attest_foundational(app, me.json()["id"].as_str().expect("id"), 30).await;
    let reply = app
        .call(
            "POST",
            "/api/v1/orgs/pages-ics/awards",
            Some(json!({"achievement": achievement, "email": email})),
            &issuer,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let outcome = reply.json();
    let id = outcome["award"]["id"]
        .as_str()
        .expect("award id")
        .to_owned();
    (holder, id, outcome["credential"].clone())
}

#[tokio::test]
async fn sign_in_needs_the_form_token_and_pages_need_a_session() {
    let app = TestApp::new().await;
    app.holder("sam@pages.test", "Sam").await;

    // The front page leads each kind of visitor in.
    let home = page(&app, "/", &Auth::None).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.body.contains("href=\"/verify\"") && home.body.contains("242 competency statements"),
        "{}",
        home.body
    );

    // Anonymous visitors are sent to sign in, and come back afterwards.
    let reply = page(&app, "/dashboard", &Auth::None).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header("location"), "/login?next=%2Fdashboard");

    // The form sets its anti-forgery cookie; a post without it (another site's form) fails.
    let form = page(&app, "/login?next=/evidence", &Auth::None).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.header("set-cookie").contains("SameSite=Strict"));
    let token = form
        .header("set-cookie")
        .strip_prefix("credence_form=")
        .and_then(|r| r.split(';').next())
        .expect("a form cookie")
        .to_owned();
    let forged = post_form(
        &app,
        "/login",
        &[
            ("email", "sam@pages.test"),
            ("password", PASSWORD),
            ("form_token", &token),
        ],
        &Auth::None,
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let sign_in = |password: &'static str, next: &'static str| {
        let token = token.clone();
        let app = &app;
        async move {
            let body = format!(
                "email=sam%40pages.test&password={}&form_token={token}&next={}",
                encode(password),
                encode(next)
            );
            app.request(
                Request::post("/login")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("accept", "text/html")
                    .header("cookie", format!("credence_form={token}"))
                    .body(Body::from(body))
                    .expect("a request"),
            )
            .await
        }
    };
    let session_cookie = |reply: &Reply| {
        reply
            .headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix("credence_session="))
            .and_then(|r| r.split(';').next())
            .map(str::to_owned)
    };
    // A wrong password shows the form again, with the address kept and no session.
    let wrong = sign_in("not the password at all", "/evidence").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("value=\"sam@pages.test\""));
    assert_eq!(session_cookie(&wrong), None);
    // `next` must stay on this site: no open redirect.
    for next in [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        // Browsers drop tabs and newlines: these would read as //evil.example.
        "/\t/evil.example/x",
        "/\n/evil.example/x",
        "/\r\n/evil.example",
        " //evil.example",
        "javascript:alert(1)",
    ] {
        let reply = sign_in(PASSWORD, next).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        assert_eq!(reply.header("location"), "/dashboard", "next={next}");
    }
    let right = sign_in(PASSWORD, "/evidence").await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
    assert_eq!(right.header("location"), "/evidence");
    let cookie = session_cookie(&right).expect("a session cookie");
    let auth = Auth::Session {
        cookie,
        csrf: String::new(),
    };
    let dashboard = page(&app, "/dashboard", &auth).await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(
        dashboard.body.contains("Foundational AI education"),
        "the foundational pathway is shown first"
    );
    // Security headers on every page.
    let csp = dashboard.header("content-security-policy");
    assert!(
        csp.contains("script-src 'self'")
            && csp.contains("connect-src 'self'")
            && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(dashboard.header("x-content-type-options"), "nosniff");
    // Signed-in pages and private API answers are never stored by a cache; public ones
    // keep their own caching.
    assert_eq!(dashboard.header("cache-control"), "no-store");
    let me = app
        .call(
            "GET",
            "/api/v1/me",
            None,
            &app.holder("kit@pages.test", "Kit").await,
        )
        .await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.header("cache-control"), "no-store");
    let public = app.get("/frameworks", "text/html").await;
    assert_ne!(public.header("cache-control"), "no-store");
}

#[tokio::test]
async fn evidence_forms_keep_their_input_and_check_the_csrf_token() {
    let app = TestApp::new().await;
    let auth = app.holder("ria@pages.test", "Ria").await;
    // A refused form (no level) is shown again with what was typed.
    let reply = post_form(
        &app,
        "/evidence",
        &[
            ("csrf", csrf(&auth)),
            ("kind", "course-completion"),
            ("statement", "T1-01"),
            ("level", ""),
            ("date", "2026-01-10"),
            ("narrative", "Finished the <b>module</b> & its quiz."),
        ],
        &auth,
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(
        reply
            .body
            .contains("Finished the &#60;b&#62;module&#60;/b&#62; &#38; its quiz."),
        "escaped and kept: {}",
        reply.body
    );
    assert!(reply
        .body
        .contains("id=\"statement-T1-01\" value=\"T1-01\" checked>"));
    // A post without the session's token changes nothing.
    let forged = post_form(
        &app,
        "/evidence",
        &[
            ("csrf", "not-the-token"),
            ("kind", "course-completion"),
            ("statement", "T1-01"),
            ("level", "awareness"),
            ("date", "2026-01-10"),
            ("narrative", "Forged."),
        ],
        &auth,
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // The JSON API never takes the form exemption: a cookie-authenticated form post to it
    // without the CSRF header is refused.
    let api_form = post_form(
        &app,
        "/api/v1/evidence",
        &[("kind", "course-completion")],
        &auth,
    )
    .await;
    assert_eq!(api_form.status, StatusCode::FORBIDDEN, "{}", api_form.body);
    let list = app.call("GET", "/api/v1/evidence", None, &auth).await;
    assert_eq!(list.json()["items"], json!([]));
    // The real thing: saved, then shown.
    let saved = post_form(
        &app,
        "/evidence",
        &[
            ("csrf", csrf(&auth)),
            ("kind", "course-completion"),
            ("statement", "T1-01"),
            ("level", "awareness"),
            ("date", "2026-01-10"),
            ("narrative", "Finished the module."),
        ],
        &auth,
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let location = saved.header("location").to_owned();
    assert!(location.starts_with("/evidence/") && location.ends_with("?notice=evidence-saved"));
    let detail = page(&app, &location, &auth).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail.body.contains("Your evidence is saved as a draft."));
    assert!(detail
        .body
        .contains("Awareness of examples of AI applications"));
}

#[tokio::test]
async fn verify_page_checks_pasted_uploaded_and_linked_credentials() {
    let app = TestApp::new().await;
    let (holder, award_id, credential) = awarded(&app, "vic@pages.test", "Vic").await;

    let pasted = post_multipart(
        &app,
        "/verify",
        &[
            ("credential", &credential.to_string()),
            ("email", "vic@pages.test"),
        ],
        None,
    )
    .await;
    assert_eq!(pasted.status, StatusCode::OK, "{}", pasted.body);
    assert!(
        pasted
            .body
            .contains("<h2 id=\"verdict-heading\">Verified</h2>"),
        "{}",
        pasted.body
    );
    assert!(pasted
        .body
        .contains("This credential was issued to the e-mail address you gave."));
    assert!(
        pasted.body.contains("T1-30"),
        "the statements it stands for are listed"
    );

    let other_email = post_multipart(
        &app,
        "/verify",
        &[
            ("credential", &credential.to_string()),
            ("email", "someone@else.test"),
        ],
        None,
    )
    .await;
    assert!(other_email.body.contains("was <strong>not</strong> issued"));

    // A tampered credential is not valid, and the failing check says why.
    let mut tampered = credential.clone();
    tampered["credentialSubject"]["name"] = json!("Mallory");
    let reply = post_multipart(
        &app,
        "/verify",
        &[("credential", &tampered.to_string())],
        None,
    )
    .await;
    assert!(
        reply
            .body
            .contains("<h2 id=\"verdict-heading\">Not valid</h2>"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("check-failed"));

    // Baked badges, downloaded by the holder, verify when uploaded.
    for (file, media_type) in [("badge.png", "image/png"), ("badge.svg", "image/svg+xml")] {
        let download = app
            .request(
                Request::get(format!("/credentials/{award_id}/{file}"))
                    .header(
                        "cookie",
                        match &holder {
                            Auth::Session { cookie, .. } => format!("credence_session={cookie}"),
                            _ => String::new(),
                        },
                    )
                    .body(Body::empty())
                    .expect("a request"),
            )
            .await;
        assert_eq!(download.status, StatusCode::OK, "{file}: {}", download.body);
        assert_eq!(download.header("content-type"), media_type);
        assert!(download
            .header("content-disposition")
            .starts_with("attachment;"));
        let bytes = download_bytes(&app, &format!("/credentials/{award_id}/{file}"), &holder).await;
        match unbake(&bytes).expect("a badge") {
            Some(BakedCredential::Json(baked)) => {
                assert_eq!(baked, credential, "{file} carries the credential")
            }
            other => panic!("{file} carries {other:?}"),
        }
        let uploaded = post_multipart(&app, "/verify", &[], Some((file, media_type, &bytes))).await;
        assert!(
            uploaded
                .body
                .contains("<h2 id=\"verdict-heading\">Verified</h2>"),
            "{file}: {}",
            uploaded.body
        );
    }
    // Anonymous visitors cannot download a private credential's badge.
    let anonymous = app
        .get(&format!("/credentials/{award_id}/badge.png"), "image/png")
        .await;
    assert_eq!(anonymous.status, StatusCode::NOT_FOUND);

    // Linked: a private credential is not shown to anonymous visitors; a public one is.
    let url = format!("{}/credentials/{award_id}", app.base_url);
    let by_link = post_multipart(&app, "/verify", &[("url", &url)], None).await;
    assert_eq!(by_link.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(by_link
        .body
        .contains("No public credential is published at that address"));
    let reply = post_form(
        &app,
        &format!("/my/credentials/{award_id}/visibility"),
        &[("csrf", csrf(&holder)), ("visibility", "public")],
        &holder,
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let by_query = page(
        &app,
        &format!("/verify?credential={}", encode(&url)),
        &Auth::None,
    )
    .await;
    assert_eq!(by_query.status, StatusCode::OK);
    assert!(by_query
        .body
        .contains("<h2 id=\"verdict-heading\">Verified</h2>"));
    // Another issuer's credential, whose key sits at an https URL Credence will not fetch:
    // the page says what it could not check and never shows a green verdict.
    let other = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/1edtech-ob3/ob-signed.json"
    ))
    .expect("the 1EdTech vector");
    let reply = post_multipart(&app, "/verify", &[("credential", &other)], None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        !reply
            .body
            .contains("<h2 id=\"verdict-heading\">Verified</h2>"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("check-unknown") || reply.body.contains("check-failed"));
    assert!(reply.body.contains("Example Corp"));
    // Other sites' URLs are never fetched.
    let elsewhere = post_multipart(
        &app,
        "/verify",
        &[("url", "https://example.org/credentials/1")],
        None,
    )
    .await;
    assert!(elsewhere
        .body
        .contains("never fetches anything from other sites"));
    // Nothing given, garbage given: a clear message and the form again.
    for fields in [vec![], vec![("credential", "{not json")]] {
        let reply = post_multipart(&app, "/verify", &fields, None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains("role=\"alert\""));
    }
    let not_a_badge = post_multipart(
        &app,
        "/verify",
        &[],
        Some(("cat.png", "image/png", b"\x89PNG\r\n\x1a\nnot really")),
    )
    .await;
    assert_eq!(not_a_badge.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The credential's page for browsers; JSON for programs.
    let html = page(&app, &format!("/credentials/{award_id}"), &Auth::None).await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.header("content-type").starts_with("text/html"));
    assert!(html
        .body
        .contains("linkedin.com/profile/add?startTask=CERTIFICATION_NAME"));
    assert!(html
        .body
        .contains(&format!("/credentials/{award_id}/qr.svg")));
    let json = app
        .get(&format!("/credentials/{award_id}"), "application/ld+json")
        .await;
    assert_eq!(json.json(), credential);
    let qr = app
        .get(&format!("/credentials/{award_id}/qr.svg"), "image/svg+xml")
        .await;
    assert!(
        qr.body.starts_with("<?xml") && qr.body.contains("<svg"),
        "{}",
        qr.body
    );
}

async fn download_bytes(app: &TestApp, path: &str, auth: &Auth) -> Vec<u8> {
    let mut request = Request::get(path);
    if let Auth::Session { cookie, .. } = auth {
        request = request.header("cookie", format!("credence_session={cookie}"));
    }
    let response = tower::ServiceExt::oneshot(
        app.router.clone(),
        request.body(Body::empty()).expect("a request"),
    )
    .await
    .expect("a response");
    axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
        .await
        .expect("the body")
        .to_vec()
}

#[tokio::test]
async fn portfolios_are_private_until_published_and_show_only_chosen_items() {
    let app = TestApp::new().await;
    let (holder, award_id, _) =
        awarded(&app, "pat@pages.test", "Pat <script>alert(1)</script>").await;

    // Nothing is public by default.
    let settings = post_form(
        &app,
        "/portfolio",
        &[("csrf", csrf(&holder)), ("slug", "pat")],
        &holder,
    )
    .await;
    assert_eq!(settings.status, StatusCode::SEE_OTHER, "{}", settings.body);
    assert_eq!(
        page(&app, "/p/pat", &Auth::None).await.status,
        StatusCode::NOT_FOUND
    );
    // Publishing needs a valid address; a refused address keeps the input.
    let bad = post_form(
        &app,
        "/portfolio",
        &[
            ("csrf", csrf(&holder)),
            ("slug", "Not A Slug!"),
            ("public", "on"),
        ],
        &holder,
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("value=\"Not A Slug!\""));
    let ok = post_form(
        &app,
        "/portfolio",
        &[("csrf", csrf(&holder)), ("slug", "pat"), ("public", "on")],
        &holder,
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    // Published, but the credential is still private, so it is not listed.
    let public = page(&app, "/p/pat", &Auth::None).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(
        public
            .body
            .contains("Pat &#60;script&#62;alert(1)&#60;/script&#62;"),
        "the name is escaped"
    );
    assert!(!public.body.contains("<script>alert(1)"));
    assert!(!public.body.contains(&award_id));
    assert!(
        !public.body.contains("Progress"),
        "progress is hidden unless chosen"
    );
    post_form(
        &app,
        &format!("/my/credentials/{award_id}/visibility"),
        &[("csrf", csrf(&holder)), ("visibility", "public")],
        &holder,
    )
    .await;
    post_form(
        &app,
        "/portfolio",
        &[
            ("csrf", csrf(&holder)),
            ("slug", "pat"),
            ("public", "on"),
            ("show_progress", "on"),
        ],
        &holder,
    )
    .await;
    let public = page(&app, "/p/pat", &Auth::None).await;
    assert!(public.body.contains(&format!("/credentials/{award_id}")));
    assert!(
        public.body.contains("30</strong> of 30 statements met"),
        "{}",
        public.body
    );
    // Another holder cannot take the address.
    let other = app.holder("quinn@pages.test", "Quinn").await;
    let taken = post_form(
        &app,
        "/portfolio",
        &[("csrf", csrf(&other)), ("slug", "pat"), ("public", "on")],
        &other,
    )
    .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);

    // The export holds the credential exactly as signed.
    let zip = download_bytes(&app, "/portfolio/export.zip", &holder).await;
    assert!(zip.starts_with(b"PK"), "a zip archive");
    let stored = app
        .services
        .registry
        .caller(&credence_service::Actor::anonymous())
        .credential_text(&award_id.parse().expect("an award id"))
        .await
        .expect("public now");
    let needle = stored.as_bytes();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a readable archive");
    let mut entry = archive
        .by_name(&format!("credentials/{award_id}.json"))
        .expect("the credential is in the archive");
    let mut text = Vec::new();
    std::io::Read::read_to_end(&mut entry, &mut text).expect("read it");
    assert_eq!(text, needle);
}

/// Credential content is shown, never trusted as a link: an alignment's `javascript:`
/// targetUrl on a credential that verifies is shown as text.
#[tokio::test]
async fn links_in_credential_content_are_http_or_https_only() {
    use credence_vc::keys::SigningKey;
    use credence_vc::proof::{sign, ProofOptions};
    let app = TestApp::new().await;
    let key = SigningKey::generate().expect("a key");
    let did = format!("did:key:{}", key.verifying_key().to_multibase());
    let credential = serde_json::json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "id": "urn:uuid:6f1b2c8e-0f7e-4d53-9f3c-2a7f0e1c9b11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did, "type": ["Profile"], "name": "Somebody"},
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.org/achievements/1",
                "type": ["Achievement"],
                "name": "Link test",
                "description": "An achievement whose alignments carry links.",
                "criteria": {"narrative": "None."},
                "alignment": [
                    {"type": ["Alignment"], "targetName": "Script link", "targetUrl": "javascript:alert(document.cookie)", "targetCode": "X-1"},
                    {"type": ["Alignment"], "targetName": "Web link", "targetUrl": "https://example.org/framework/x-2", "targetCode": "X-2"}
                ]
            }
        }
    });
    let signed = sign(
        &credential,
        &key,
        &ProofOptions::new(key.verifying_key().did_key_verification_method()),
    )
    .expect("signed");
    let reply = post_multipart(
        &app,
        "/verify",
        &[("credential", &signed.to_string())],
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains("Script link"), "{}", reply.body);
    // Shown as text (and in the escaped JSON), never as a link.
    assert!(
        !reply.body.to_lowercase().contains("href=\"javascript"),
        "{}",
        reply.body
    );
    assert!(reply
        .body
        .contains("<span class=\"code\">X-1</span><span>Script link</span>"));
    assert!(reply
        .body
        .contains(r#"<a href="https://example.org/framework/x-2">Web link</a>"#));
}

/// Three verdicts: a credential given with an e-mail address that is not its holder's is
/// "verified, with warnings", the warning first; a revoked one is not valid and says the
/// reason and date its issuer gave.
#[tokio::test]
async fn verify_page_warns_of_a_wrong_email_and_says_why_a_credential_was_revoked() {
    let app = TestApp::new().await;
    let (holder, award_id, credential) = awarded(&app, "wes@pages.test", "Wes").await;
    // LinkedIn only for a public credential that stands: this one is still private.
    let own = page(&app, &format!("/credentials/{award_id}"), &holder).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.contains("This credential is private"));
    assert!(!own.body.contains("linkedin.com"), "{}", own.body);
    let reply = post_multipart(
        &app,
        "/verify",
        &[
            ("credential", &credential.to_string()),
            ("email", "somebody.else@pages.test"),
        ],
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        reply
            .body
            .contains("<h2 id=\"verdict-heading\">Verified, with warnings</h2>"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("verdict-warning"));
    assert!(reply
        .body
        .contains("<p>The e-mail address you gave is not the one this credential was awarded to."));
    let issuer = app.token("pages-ics", "issuer").await;
    let revoke = app
        .call(
            "POST",
            &format!("/api/v1/awards/{award_id}/status"),
            Some(json!({"action": "revoke", "reason": "Awarded to the wrong cohort."})),
            &issuer,
        )
        .await;
    assert_eq!(revoke.status, StatusCode::OK, "{}", revoke.body);
    let reply = post_multipart(
        &app,
        "/verify",
        &[("credential", &credential.to_string())],
        None,
    )
    .await;
    assert!(
        reply
            .body
            .contains("<h2 id=\"verdict-heading\">Not valid</h2>"),
        "{}",
        reply.body
    );
    let today = chrono::Utc::now().format("%-d %B %Y").to_string();
    assert!(
        reply.body.contains(&format!(
            "The issuer revoked it on {today}, giving this reason: Awarded to the wrong cohort."
        )),
        "{}",
        reply.body
    );
}

/// Evidence kinds in words, not their stored codes.
#[tokio::test]
async fn evidence_pages_name_kinds_in_words() {
    let app = TestApp::new().await;
    let auth = app.holder("kim@pages.test", "Kim").await;
    let body = json!({
        "kind": "cpd-activity", "narrative": "A webinar on AI evaluation.", "date": "2026-03-01",
        "framework": "nhs-ai-confidence-2022", "statement": "T1-01", "level": "awareness"
    });
    let reply = app
        .call("POST", "/api/v1/evidence", Some(body), &auth)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let id = reply.json()["id"].as_str().expect("id").to_owned();
    for path in ["/evidence".to_owned(), format!("/evidence/{id}")] {
        let shown = page(&app, &path, &auth).await;
        assert_eq!(shown.status, StatusCode::OK, "{path}");
        assert!(
            shown.body.contains("CPD activity"),
            "{path}: {}",
            shown.body
        );
        assert!(!shown.body.contains(">cpd-activity<"), "{path}");
    }
}

/// Deleting a draft takes a confirmation (no script needed); unconfirmed, nothing is lost.
#[tokio::test]
async fn deleting_a_draft_needs_a_confirmation() {
    let app = TestApp::new().await;
    let auth = app.holder("del@pages.test", "Del").await;
    let body = json!({
        "kind": "reflective-account", "narrative": "Notes.", "date": "2026-03-01",
        "framework": "nhs-ai-confidence-2022", "statement": "T1-01", "level": "awareness"
    });
    let reply = app
        .call("POST", "/api/v1/evidence", Some(body), &auth)
        .await;
    let id = reply.json()["id"].as_str().expect("id").to_owned();
    let shown = page(&app, &format!("/evidence/{id}"), &auth).await;
    assert!(shown
        .body
        .contains("Delete this draft and its attachments for good"));
    let path = format!("/evidence/{id}/delete");
    let refused = post_form(&app, &path, &[("csrf", csrf(&auth))], &auth).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let still = app
        .call("GET", &format!("/api/v1/evidence/{id}"), None, &auth)
        .await;
    assert_eq!(still.status, StatusCode::OK);
    let done = post_form(
        &app,
        &path,
        &[("csrf", csrf(&auth)), ("confirm", "yes")],
        &auth,
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let gone = app
        .call("GET", &format!("/api/v1/evidence/{id}"), None, &auth)
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
}

/// "Submit to" lists the holder's own organisations first (here, the one they submitted to
/// before), so the default is one they have to do with; "assessed by" names it.
#[tokio::test]
async fn submit_to_defaults_to_the_holders_own_organisation() {
    let app = TestApp::new().await;
    app.org("aaa-clinic", "provider", "key").await;
    app.org("zed-ics", "provider", "key").await;
    let auth = app.holder("sub@pages.test", "Sub").await;
    let record = |statement: &'static str| {
        json!({
            "kind": "reflective-account", "narrative": "Notes.", "date": "2026-03-01",
            "framework": "nhs-ai-confidence-2022", "statement": statement, "level": "awareness"
        })
    };
    let first = app
        .call("POST", "/api/v1/evidence", Some(record("T1-01")), &auth)
        .await;
    let first = first.json()["id"].as_str().expect("id").to_owned();
    let second = app
        .call("POST", "/api/v1/evidence", Some(record("T1-02")), &auth)
        .await;
    let second = second.json()["id"].as_str().expect("id").to_owned();
    let before = page(&app, &format!("/evidence/{second}"), &auth).await;
    let options = |body: &str| -> Vec<String> {
        body.split("<option value=\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap_or_default().to_owned())
            .filter(|v| v.ends_with("-ics") || v.ends_with("-clinic"))
            .collect()
    };
    assert_eq!(
        options(&before.body).first().map(String::as_str),
        Some("aaa-clinic")
    );
    let submitted = app
        .call(
            "POST",
            &format!("/api/v1/evidence/{first}/submit"),
            Some(json!({"org": "zed-ics"})),
            &auth,
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let after = page(&app, &format!("/evidence/{second}"), &auth).await;
    assert_eq!(
        options(&after.body).first().map(String::as_str),
        Some("zed-ics")
    );
    let detail = page(&app, &format!("/evidence/{first}"), &auth).await;
    assert!(
        detail
            .body
            .contains("<dt>Assessed by</dt><dd>Organisation zed-ics</dd>"),
        "{}",
        detail.body
    );
}
