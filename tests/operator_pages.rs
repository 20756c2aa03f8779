//! The operator pages, driven as a browser would: an operator creates organisations
//! (did:web and did:key), gives a registered account the issuer role, and that account
//! opens the console's award form; who may open and post what (signed out, a holder, an
//! organisation's admin, the operator); every problem of the form at once with nothing
//! written; the CSRF check; a slug already taken; trust; JSON; and Chromium screenshots.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use credence_service::accounts::{NewAccount, Password};
use credence_service::{Actor, Operator, Page};

use crate::support::{Auth, Reply, TestApp};

const OPERATOR_EMAIL: &str = "operator@operator.test";
const OPERATOR_PASSWORD: &str = "operator password!";

/// `method path` as a browser of `auth`, with form `fields`; the session's CSRF token is
/// added to a post unless `csrf` is `Some(false)`.
async fn browse(
    app: &TestApp,
    auth: &Auth,
    method: &str,
    path: &str,
    fields: &[(&str, &str)],
    with_csrf: bool,
) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("accept", "text/html");
    let mut body = url::form_urlencoded::Serializer::new(String::new());
    if let Auth::Session { cookie, csrf } = auth {
        request = request.header("cookie", format!("credence_session={cookie}"));
        if with_csrf {
            body.append_pair("csrf", csrf);
        }
    }
    for (k, v) in fields {
        body.append_pair(k, v);
    }
    let body = if method == "GET" {
        Body::empty()
    } else {
        request = request.header("content-type", "application/x-www-form-urlencoded");
        Body::from(body.finish())
    };
    app.request(request.body(body).expect("a request")).await
}

async fn get(app: &TestApp, auth: &Auth, path: &str) -> Reply {
    browse(app, auth, "GET", path, &[], true).await
}

async fn post(app: &TestApp, auth: &Auth, path: &str, fields: &[(&str, &str)]) -> Reply {
    browse(app, auth, "POST", path, fields, true).await
}

/// The redirect target of a 303.
fn location(reply: &Reply) -> String {
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    reply.header("location").to_owned()
}

/// The operator's power, as the command line has it.
fn power() -> credence_service::actor::OperatorPower {
    Actor::from_operator(&Operator::local_command_line())
        .operator()
        .expect("the operator")
}

/// An operator account, signed in.
async fn operator(app: &TestApp) -> Auth {
    app.services
        .registry
        .with_operator(&power())
        .create_account_as_operator(
            NewAccount {
                email: OPERATOR_EMAIL.into(),
                display_name: "Olu Operator".into(),
                password: Password::new(OPERATOR_PASSWORD.into()),
            },
            true,
        )
        .await
        .expect("an operator account");
    app.sign_in(OPERATOR_EMAIL, OPERATOR_PASSWORD).await
}

/// The organisations' slugs, as the registry holds them.
async fn slugs(app: &TestApp) -> Vec<String> {
    let mut slugs: Vec<String> = app
        .services
        .registry
        .public()
        .orgs()
        .await
        .expect("organisations")
        .into_iter()
        .map(|o| o.slug)
        .collect();
    slugs.sort();
    slugs
}

/// The audit entries of an organisation, as (actor, action), oldest first.
async fn audit(app: &TestApp, slug: &str) -> Vec<(String, String)> {
    let registry = &app.services.registry;
    let org = registry
        .public()
        .org(&credence_domain::OrgSlug::new(slug).expect("a slug"))
        .await
        .expect("the organisation");
    let admin = Actor::from_operator(&Operator::local_command_line())
        .org_admin(&org)
        .expect("the operator administers");
    let mut entries: Vec<_> = registry
        .with_org_admin(&admin)
        .org_audit(Page::new(0, 100))
        .await
        .expect("the audit trail")
        .into_iter()
        .map(|e| (e.actor, e.action))
        .collect();
    entries.reverse();
    entries
}

/// A request of the matrix: method, path, form fields, and where the operator is sent.
type Case<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>, &'a str);

fn new_org<'a>(
    slug: &'a str,
    name: &'a str,
    kind: &'a str,
    method: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("slug", slug),
        ("name", name),
        ("kind", kind),
        ("did_method", method),
        ("url", "https://example.org/"),
    ]
}

/// The whole first-issuer path in HTTP, from a fresh install: the operator's dashboard
/// says to create the first organisation; the operator creates one with did:web and one
/// with did:key, gives a registered account the issuer role, and that account opens the
/// console's award form. Every change is audited under the operator's account.
#[tokio::test]
async fn an_operator_reaches_the_first_issuer_in_the_browser() {
    let app = TestApp::new().await;
    let op = operator(&app).await;
    let dashboard = get(&app, &op, "/dashboard").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(
        dashboard.body.contains(
            "This Credence has no organisation yet. <a href=\"/operator/orgs/new\">Create your first organisation</a>"
        ),
        "{}",
        dashboard.body
    );
    assert!(dashboard
        .body
        .contains("<a href=\"/operator\">Operator</a>"));
    let empty = get(&app, &op, "/operator").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("Create your first organisation"));

    let form = get(&app, &op, "/operator/orgs/new").await;
    assert_eq!(form.status, StatusCode::OK);
    for words in [
        "short name used in addresses",
        "did:web, served by this Credence",
        "did:key, self-contained",
        "This cannot be changed later.",
        "Accrediting body",
    ] {
        assert!(
            form.body.to_lowercase().contains(&words.to_lowercase()),
            "{words}: {}",
            form.body
        );
    }
    let created = post(
        &app,
        &op,
        "/operator/orgs",
        &new_org("first-ics", "First ICS", "provider", "web"),
    )
    .await;
    assert_eq!(
        location(&created),
        "/operator/orgs/first-ics?notice=org-created"
    );
    let keyed = post(
        &app,
        &op,
        "/operator/orgs",
        &new_org("keyed-body", "Keyed Body", "accrediting-body", "key"),
    )
    .await;
    assert_eq!(
        location(&keyed),
        "/operator/orgs/keyed-body?notice=org-created"
    );
    let registry = &app.services.registry;
    let web = registry
        .public()
        .org(&credence_domain::OrgSlug::new("first-ics").expect("a slug"))
        .await
        .expect("created");
    assert_eq!(web.did, registry.public().did_web_of("first-ics"));
    assert_eq!(web.url.as_deref(), Some("https://example.org/"));
    let key = registry
        .public()
        .org(&credence_domain::OrgSlug::new("keyed-body").expect("a slug"))
        .await
        .expect("created");
    assert!(key.did.starts_with("did:key:z6Mk"), "{}", key.did);
    assert_eq!(key.kind.as_str(), "accrediting-body");

    // A registered account becomes the issuer.
    let issuer = app.holder("ines@operator.test", "Ines Issuer").await;
    let before = get(&app, &issuer, "/console/first-ics/award").await;
    assert_eq!(before.status, StatusCode::FORBIDDEN);
    let added = post(
        &app,
        &op,
        "/operator/orgs/first-ics/members",
        &[("email", "ines@operator.test"), ("role", "issuer")],
    )
    .await;
    assert_eq!(
        location(&added),
        "/operator/orgs/first-ics?notice=member-added"
    );
    let page = get(&app, &op, "/operator/orgs/first-ics?notice=member-added").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("ines@operator.test"));
    assert!(page.body.contains("<td>Issuer</td>"));
    assert!(page.body.contains("1 member"));
    let award = get(&app, &issuer, "/console/first-ics/award").await;
    assert_eq!(award.status, StatusCode::OK, "{}", award.body);

    // The list, and the dashboard now counts organisations.
    let list = get(&app, &op, "/operator").await;
    assert!(list.body.contains("First ICS") && list.body.contains("Keyed Body"));
    assert!(list.body.contains("Education or training provider"));
    assert!(list.body.contains("Its accreditations are not trusted"));
    let dashboard = get(&app, &op, "/dashboard").await;
    assert!(dashboard
        .body
        .contains("You operate this Credence: 2 organisations."));

    // Audited under the operator's account, as the CLI's actions are under its label.
    let me = app.call("GET", "/api/v1/me", None, &op).await;
    let actor = format!("account:{}", me.json()["id"].as_str().expect("an id"));
    assert_eq!(
        audit(&app, "first-ics").await,
        vec![
            (actor.clone(), "org.create".to_owned()),
            (actor.clone(), "member.add".to_owned())
        ]
    );

    // Removing the role closes the console again.
    let ines = registry
        .with_operator(&power())
        .operator_org(&credence_domain::OrgSlug::new("first-ics").expect("a slug"))
        .await
        .expect("the organisation")
        .members[0]
        .account_id
        .clone();
    let removed = post(
        &app,
        &op,
        "/operator/orgs/first-ics/members/remove",
        &[("account", ines.as_str()), ("role", "issuer")],
    )
    .await;
    assert_eq!(
        location(&removed),
        "/operator/orgs/first-ics?notice=member-removed"
    );
    let after = get(&app, &issuer, "/console/first-ics/award").await;
    assert_eq!(after.status, StatusCode::FORBIDDEN);
    assert_eq!(
        audit(&app, "first-ics").await.last().map(|e| e.1.as_str()),
        Some("member.remove")
    );
}

/// What each kind of caller gets from every operator page and form: signed out, the sign-in
/// page; a holder and an organisation's admin, 403 (and nothing written); the operator,
/// the page or the change.
#[tokio::test]
async fn only_operators_open_and_post_the_operator_pages() {
    let app = TestApp::new().await;
    app.org("matrix-body", "accrediting-body", "web").await;
    let holder = app.holder("holder@operator.test", "Hana Holder").await;
    let admin = app.holder("admin@operator.test", "Adam Admin").await;
    app.grant("matrix-body", "admin@operator.test", "admin")
        .await;
    let op = operator(&app).await;
    let admin_id = app.call("GET", "/api/v1/me", None, &admin).await.json()["id"]
        .as_str()
        .expect("an id")
        .to_owned();

    let cases: Vec<Case> = vec![
        ("GET", "/operator", vec![], ""),
        ("GET", "/operator/orgs/new", vec![], ""),
        ("GET", "/operator/orgs/matrix-body", vec![], ""),
        (
            "POST",
            "/operator/orgs",
            new_org("matrix-new", "Matrix New", "employer", "key"),
            "/operator/orgs/matrix-new?notice=org-created",
        ),
        (
            "POST",
            "/operator/orgs/matrix-body/members",
            vec![("email", "holder@operator.test"), ("role", "assessor")],
            "/operator/orgs/matrix-body?notice=member-added",
        ),
        (
            "POST",
            "/operator/orgs/matrix-body/members/remove",
            vec![("account", admin_id.as_str()), ("role", "admin")],
            "/operator/orgs/matrix-body?notice=member-removed",
        ),
        (
            "POST",
            "/operator/orgs/matrix-body/trust",
            vec![("trust", "yes")],
            "/operator/orgs/matrix-body?notice=trusted",
        ),
        (
            "POST",
            "/operator/orgs/matrix-body/trust",
            vec![("trust", "no"), ("confirm", "yes")],
            "/operator/orgs/matrix-body?notice=distrusted",
        ),
    ];
    let who = [
        ("signed out", Auth::None),
        ("holder", holder),
        ("org admin", admin.clone()),
        ("operator", op),
    ];
    for (name, auth) in &who {
        for (method, path, fields, success) in &cases {
            let reply = browse(&app, auth, method, path, fields, true).await;
            let case = format!("{name}: {method} {path}");
            match *name {
                "signed out" => {
                    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{case}");
                    assert!(
                        reply.header("location").starts_with("/login?next="),
                        "{case}"
                    );
                }
                "operator" if *method == "GET" => {
                    assert_eq!(reply.status, StatusCode::OK, "{case}: {}", reply.body);
                }
                "operator" => assert_eq!(location(&reply), *success, "{case}"),
                _ => {
                    assert_eq!(
                        reply.status,
                        StatusCode::FORBIDDEN,
                        "{case}: {}",
                        reply.body
                    );
                    assert!(reply.body.contains("not an operator account"), "{case}");
                }
            }
        }
        if *name != "operator" {
            // Nothing the refused callers sent was written.
            assert_eq!(slugs(&app).await, vec!["matrix-body"], "{name}");
            let members = app
                .services
                .registry
                .with_operator(&power())
                .operator_org(&credence_domain::OrgSlug::new("matrix-body").expect("a slug"))
                .await
                .expect("the organisation");
            assert_eq!(members.members.len(), 1, "{name}");
            assert_eq!(members.members[0].account_id, admin_id, "{name}");
            assert!(!members.org.trusted, "{name}");
        }
    }
    assert_eq!(slugs(&app).await, vec!["matrix-body", "matrix-new"]);
    let actions: Vec<String> = audit(&app, "matrix-body")
        .await
        .into_iter()
        .map(|e| e.1)
        .collect();
    assert_eq!(
        actions,
        [
            "org.create",
            "member.add",
            "member.add",
            "member.remove",
            "trust.add",
            "trust.remove"
        ]
    );
    // The holder is now an assessor there; the admin lost the console with the role.
    assert_eq!(
        get(&app, &admin, "/console/matrix-body").await.status,
        StatusCode::FORBIDDEN
    );
}

/// A form with a problem in every field shows each beside its field at once, keeps what
/// was typed and writes nothing; a slug already taken is a field error with 409; a form
/// without the session's CSRF token is refused; an unknown e-mail address is a field error;
/// stopping trust needs the box ticked.
#[tokio::test]
async fn bad_input_is_shown_beside_its_field_and_writes_nothing() {
    let app = TestApp::new().await;
    let op = operator(&app).await;
    app.org("taken", "accrediting-body", "web").await;
    let check = |reply: &Reply, status: StatusCode, expected: &[&str]| {
        assert_eq!(reply.status, status, "{}", reply.body);
        for e in expected {
            assert!(reply.body.contains(e), "missing {e:?} in {}", reply.body);
        }
    };
    let all_wrong = post(
        &app,
        &op,
        "/operator/orgs",
        &[
            ("slug", "Not A Slug!"),
            ("name", ""),
            ("kind", "school"),
            ("did_method", "did:plc"),
            ("url", "ftp://files.example"),
        ],
    )
    .await;
    check(
        &all_wrong,
        StatusCode::UNPROCESSABLE_ENTITY,
        &[
            "The organisation was not created.",
            "The name must have between 1 and 200 characters.",
            "Choose what the organisation is",
            "Choose how its identifier (DID) is made",
            "The web address must be an http(s) URL.",
            "value=\"Not A Slug!\"",
            "value=\"ftp://files.example\"",
        ],
    );
    assert_eq!(all_wrong.body.matches("class=\"field-error\"").count(), 5);
    let empty = post(&app, &op, "/operator/orgs", &[]).await;
    check(
        &empty,
        StatusCode::UNPROCESSABLE_ENTITY,
        &["Enter a short name: lower-case letters, digits and hyphens."],
    );
    assert_eq!(empty.body.matches("class=\"field-error\"").count(), 4);
    assert_eq!(slugs(&app).await, vec!["taken"]);

    let duplicate = post(
        &app,
        &op,
        "/operator/orgs",
        &new_org("taken", "Another", "provider", "web"),
    )
    .await;
    check(
        &duplicate,
        StatusCode::CONFLICT,
        &[
            "An organisation with the slug taken already exists. Choose another short name.",
            "value=\"Another\"",
            "id=\"org-slug-error\"",
        ],
    );

    let forged = browse(
        &app,
        &op,
        "POST",
        "/operator/orgs",
        &new_org("forged", "Forged", "provider", "web"),
        false,
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let forged_member = browse(
        &app,
        &op,
        "POST",
        "/operator/orgs/taken/members",
        &[("email", OPERATOR_EMAIL), ("role", "issuer")],
        false,
    )
    .await;
    assert_eq!(forged_member.status, StatusCode::FORBIDDEN);
    let forged_trust = browse(
        &app,
        &op,
        "POST",
        "/operator/orgs/taken/trust",
        &[("trust", "yes")],
        false,
    )
    .await;
    assert_eq!(forged_trust.status, StatusCode::FORBIDDEN);
    assert_eq!(slugs(&app).await, vec!["taken"]);

    for (fields, status, expected) in [
        (
            vec![("email", "nobody@operator.test"), ("role", "issuer")],
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![
                "No account has the e-mail address nobody@operator.test",
                "id=\"member-email-error\"",
                "value=\"nobody@operator.test\"",
            ],
        ),
        (
            vec![("email", "not an address"), ("role", "owner")],
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![
                "id=\"member-email-error\"",
                "Choose a role: admin, issuer or assessor.",
            ],
        ),
    ] {
        let reply = post(&app, &op, "/operator/orgs/taken/members", &fields).await;
        check(&reply, status, &expected);
    }
    let distrust = post(&app, &op, "/operator/orgs/taken/trust", &[("trust", "yes")]).await;
    location(&distrust);
    let unconfirmed = post(&app, &op, "/operator/orgs/taken/trust", &[("trust", "no")]).await;
    check(
        &unconfirmed,
        StatusCode::UNPROCESSABLE_ENTITY,
        &["id=\"confirm-error\"", "Tick the box"],
    );
    let provider = post(
        &app,
        &op,
        "/operator/orgs",
        &new_org("plain-provider", "Plain Provider", "provider", "web"),
    )
    .await;
    location(&provider);
    let not_a_body = post(
        &app,
        &op,
        "/operator/orgs/plain-provider/trust",
        &[("trust", "yes")],
    )
    .await;
    assert_eq!(not_a_body.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = get(&app, &op, "/operator/orgs/nowhere").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let actions: Vec<String> = audit(&app, "taken")
        .await
        .into_iter()
        .map(|e| e.1)
        .collect();
    assert_eq!(actions, ["org.create", "trust.add"]);
    let page = get(&app, &op, "/operator/orgs/taken").await;
    assert!(page.body.contains("Stop trusting"));
}

/// The list answers JSON when asked, with each organisation's DID, members and trust.
#[tokio::test]
async fn the_list_answers_json() {
    let app = TestApp::new().await;
    let op = operator(&app).await;
    app.org("json-body", "accrediting-body", "key").await;
    app.org("json-ics", "provider", "web").await;
    app.holder("member@operator.test", "Mo Member").await;
    app.grant("json-ics", "member@operator.test", "issuer")
        .await;
    app.grant("json-ics", "member@operator.test", "admin").await;
    location(
        &post(
            &app,
            &op,
            "/operator/orgs/json-body/trust",
            &[("trust", "yes")],
        )
        .await,
    );
    let reply = app.call("GET", "/operator", None, &op).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.header("content-type").starts_with("application/json"));
    let items = reply.json()["items"].clone();
    let summary: Vec<_> = items
        .as_array()
        .expect("items")
        .iter()
        .map(|o| {
            (
                o["slug"].as_str().unwrap_or_default().to_owned(),
                o["did_method"].as_str().unwrap_or_default().to_owned(),
                o["members"].as_u64(),
                o["accrediting_body"].as_bool(),
                o["trusted"].as_bool(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "json-body".into(),
                "key".into(),
                Some(0),
                Some(true),
                Some(true)
            ),
            (
                "json-ics".into(),
                "web".into(),
                Some(1),
                Some(false),
                Some(false)
            ),
        ]
    );
    assert!(items[0]["did"]
        .as_str()
        .is_some_and(|d| d.starts_with("did:key:")));
    let holder = app.holder("json-holder@operator.test", "J Holder").await;
    let refused = app.call("GET", "/operator", None, &holder).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused
        .header("content-type")
        .starts_with("application/problem+json"));
}

/// The operator pages in Chromium at 1280 and 390 pixels: axe-core's WCAG 2.2 AA rules, no
/// Content-Security-Policy error, and screenshots in `target/screenshots/operator-*.png`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operator_pages_in_chromium() {
    let app = TestApp::new().await;
    operator(&app).await;
    app.org("linchester-ics", "provider", "web").await;
    app.org("hee", "accrediting-body", "key").await;
    app.holder("ines@chromium.test", "Ines Issuer").await;
    app.grant("linchester-ics", "ines@chromium.test", "issuer")
        .await;
    app.grant("linchester-ics", "ines@chromium.test", "admin")
        .await;
    let base = app.serve().await;
    let screenshots =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&screenshots).expect("a screenshots folder");
    let brief = serde_json::json!({
        "base": base,
        "chromium": std::env::var("CREDENCE_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
        "screenshots": screenshots,
        "person": {"email": OPERATOR_EMAIL, "password": OPERATOR_PASSWORD},
        "pages": {
            "list": "/operator",
            "new": "/operator/orgs/new",
            "org": "/operator/orgs/linchester-ics",
            "body": "/operator/orgs/hee",
        },
    });
    let report = tokio::task::spawn_blocking(move || {
        crate::support::js_harness().run_script("operator.mjs", &[], &brief)
    })
    .await
    .expect("the browser run");
    assert_eq!(report["ok"], true, "the operator pages broke: {report:#}");
    let axe = report["axe"].as_object().expect("axe results");
    assert_eq!(axe.len(), 10, "every page is checked: {axe:#?}");
    let failing: Vec<_> = axe
        .iter()
        .filter(|(_, v)| !v.as_array().is_some_and(Vec::is_empty))
        .collect();
    assert!(failing.is_empty(), "accessibility violations: {failing:#?}");
    assert_eq!(report["cspErrors"], serde_json::json!([]), "{report:#}");
}
