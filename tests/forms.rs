//! The holder's and the sign-in forms refuse bad input all at once, in plain words, beside
//! each field: each case posts input with several problems and checks the status, that
//! every expected message stands inside the element with id `<field>-error`, that what was
//! typed is kept, that no message names a field in snake case or a raw code, and that
//! nothing was written (the helpers serve `forms_console.rs` too). Also the evidence form's
//! statement picker: every statement grouped with its level, and searched in Chromium.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use credence_domain::Framework;
use credence_service::{Actor, Operator, Page};
use serde_json::{json, Value};

use crate::support::{Auth, Reply, TestApp};

/// A form post as a browser sends it, with the session (or sign-in form) cookie.
pub(crate) async fn post_form(
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    auth: &Auth,
    form_cookie: Option<&str>,
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
    if let Some(token) = form_cookie {
        request = request.header("cookie", format!("credence_form={token}"));
    }
    app.request(request.body(Body::from(body.join("&"))).expect("a request"))
        .await
}

pub(crate) fn encode(s: &str) -> String {
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

/// `GET` as a browser.
pub(crate) async fn page(app: &TestApp, path: &str, auth: &Auth) -> Reply {
    let mut request = Request::get(path).header("accept", "text/html");
    if let Auth::Session { cookie, .. } = auth {
        request = request.header("cookie", format!("credence_session={cookie}"));
    }
    app.request(request.body(Body::empty()).expect("a request"))
        .await
}

/// A multipart form (text fields and one file) as a browser sends it, signed in.
pub(crate) async fn post_multipart(
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    file: (&str, &[u8]),
    auth: &Auth,
) -> Reply {
    let boundary = "credence-forms-boundary";
    let mut body: Vec<u8> = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\ncontent-disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"{}\"\r\ncontent-type: text/csv\r\n\r\n", file.0)
            .as_bytes(),
    );
    body.extend_from_slice(file.1);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut request = Request::post(path)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("accept", "text/html");
    if let Auth::Session { cookie, .. } = auth {
        request = request.header("cookie", format!("credence_session={cookie}"));
    }
    app.request(request.body(Body::from(body)).expect("a request"))
        .await
}

pub(crate) fn csrf(auth: &Auth) -> String {
    match auth {
        Auth::Session { csrf, .. } => csrf.clone(),
        _ => String::new(),
    }
}

/// Text as the templates escape it.
pub(crate) fn escaped(s: &str) -> String {
    s.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// The text of the element with id `<field>-error`, up to its closing tag.
pub(crate) fn field_error<'a>(body: &'a str, field: &str) -> Option<&'a str> {
    let start = body.find(&format!("id=\"{field}-error\">"))?;
    let rest = &body[start..];
    let text = &rest[rest.find('>')? + 1..];
    Some(&text[..text.find("</")?])
}

/// Everything a refused form could have written: the whole audit trail and the account.
pub(crate) async fn snapshot(app: &TestApp, auth: &Auth) -> Value {
    let operator = Actor::from_operator(&Operator::local_command_line())
        .operator()
        .expect("the operator");
    let audit = app
        .services
        .registry
        .with_operator(&operator)
        .all_audit(Page::new(0, Page::MAX_LIMIT))
        .await
        .expect("the audit trail");
    let me = app.call("GET", "/api/v1/me", None, auth).await;
    let evidence = app.call("GET", "/api/v1/evidence", None, auth).await;
    json!({"audit": audit.len(), "me": me.body, "evidence": evidence.body})
}

/// One refused form: where it is posted, what is typed, which messages are expected beside
/// which fields, and what typed text must be shown again.
pub(crate) struct Case<'a> {
    pub(crate) name: &'a str,
    pub(crate) path: &'a str,
    pub(crate) fields: Vec<(&'a str, String)>,
    pub(crate) status: StatusCode,
    pub(crate) expected: &'a [(&'a str, &'a str)],
    pub(crate) kept: &'a [&'a str],
}

/// Words that must never reach a person: field names and codes as stored.
const RAW: &[&str] = &[
    "override_justification",
    "display_name",
    "validity_days",
    "course-completion",
    "slug",
    "pathway code",
    "is not a valid",
    "taxonomy",
];

pub(crate) async fn check(app: &TestApp, auth: &Auth, form_cookie: Option<&str>, case: Case<'_>) {
    let before = snapshot(app, auth).await;
    let fields: Vec<(&str, &str)> = case.fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = post_form(app, case.path, &fields, auth, form_cookie).await;
    let name = case.name;
    // (a) refused with the expected status.
    assert_eq!(reply.status, case.status, "{name}: {}", reply.body);
    // (b) every message, each beside its field and in the summary.
    for (field, message) in case.expected {
        let beside = field_error(&reply.body, field)
            .unwrap_or_else(|| panic!("{name}: no message beside {field}: {}", reply.body));
        assert_eq!(beside, escaped(message), "{name}: beside {field}");
        assert!(
            reply
                .body
                .contains(&format!("<a href=\"#{field}\">{}</a>", escaped(message))),
            "{name}: the summary links to {field}"
        );
        let id = format!("{field}-error");
        assert!(
            reply
                .body
                .split("aria-describedby=\"")
                .skip(1)
                .any(|rest| rest[..rest.find('"').unwrap_or(0)]
                    .split(' ')
                    .any(|d| d == id)),
            "{name}: {field} is described by its message"
        );
        // (d) in words: no snake case, no raw codes.
        for raw in RAW {
            assert!(
                !message.to_lowercase().contains(raw),
                "{name}: '{message}' says {raw}"
            );
        }
        assert!(!message.contains('_'), "{name}: '{message}'");
    }
    let summary_items = reply
        .body
        .split("id=\"error-summary\"")
        .nth(1)
        .map(|s| &s[..s.find("</div>").unwrap_or(s.len())])
        .unwrap_or_default()
        .matches("<li>")
        .count();
    assert_eq!(
        summary_items,
        case.expected.len(),
        "{name}: one line per problem in the summary"
    );
    // (c) what was typed is kept.
    for kept in case.kept {
        assert!(
            reply.body.contains(kept),
            "{name}: '{kept}' is kept: {}",
            reply.body
        );
    }
    // (e) nothing was written.
    assert_eq!(snapshot(app, auth).await, before, "{name}: nothing written");
}

pub(crate) fn owned<'a>(fields: &[(&'a str, &str)]) -> Vec<(&'a str, String)> {
    fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
}

#[tokio::test]
async fn holder_forms_report_every_problem_beside_its_field() {
    let app = TestApp::new().await;
    let holder = app.holder("fay@forms.test", "Fay").await;
    let token = csrf(&holder);
    let long = "x".repeat(10_001);
    let cases = [
        Case {
            name: "empty evidence form",
            path: "/evidence",
            fields: owned(&[
                ("csrf", &token),
                ("kind", ""),
                ("statement", ""),
                ("level", ""),
                ("date", ""),
                ("narrative", ""),
            ]),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            expected: &[
                ("kind", "Choose the kind of evidence."),
                ("narrative", "Describe what you did and what it shows."),
                ("date", "Enter the date, such as 2026-03-14."),
                ("statement", "Choose the competency statement your evidence shows."),
                ("level", "Choose the level you reached."),
            ],
            kept: &[],
        },
        Case {
            name: "evidence with every field wrong",
            path: "/evidence",
            fields: owned(&[
                ("csrf", &token),
                ("kind", "essay"),
                ("statement", "T1-01"),
                ("level", "awareness"),
                ("date", "3000-01-01"),
                ("provider", "Hull <Academy>"),
                ("narrative", &long),
            ]),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            expected: &[
                ("kind", "Choose the kind of evidence from the list."),
                (
                    "narrative",
                    "Shorten the description to at most 10000 characters; it has 10001 characters.",
                ),
                ("date", "The date cannot be in the future."),
            ],
            kept: &["value=\"Hull &#60;Academy&#62;\"", "value=\"3000-01-01\""],
        },
        Case {
            name: "portfolio address",
            path: "/portfolio",
            fields: owned(&[("csrf", &token), ("slug", "Fay's Page"), ("public", "on")]),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            expected: &[(
                "slug",
                "Use only lower-case letters, digits and hyphens in your portfolio's address, starting with a letter or digit.",
            )],
            kept: &["value=\"Fay&#39;s Page\""],
        },
        Case {
            name: "portfolio published without an address",
            path: "/portfolio",
            fields: owned(&[("csrf", &token), ("slug", ""), ("public", "on")]),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            expected: &[(
                "slug",
                "Choose an address for your portfolio before publishing it.",
            )],
            kept: &["id=\"public\" name=\"public\" value=\"on\" checked"],
        },
        Case {
            name: "archetypes",
            path: "/dashboard/archetypes",
            fields: owned(&[
                ("csrf", &token),
                ("archetype", "wizard"),
                ("archetype", "shaper"),
                ("archetype", "alchemist"),
            ]),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            expected: &[(
                "archetypes",
                "Choose your roles from the list of archetypes shown.",
            )],
            kept: &["value=\"shaper\" checked"],
        },
    ];
    for case in cases {
        check(&app, &holder, None, case).await;
    }
    // The evidence page's forms: submitting to an organisation that is not in the list,
    // and attaching without choosing a file.
    let draft = app
        .call(
            "POST",
            "/api/v1/evidence",
            Some(
                json!({"kind": "assessment", "narrative": "Did it.", "date": "2026-01-10",
                "framework": "nhs-ai-confidence-2022", "statement": "T1-01", "level": "awareness"}),
            ),
            &holder,
        )
        .await;
    assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.body);
    let id = draft.json()["id"].as_str().expect("an id").to_owned();
    let submit_path = format!("/evidence/{id}/submit");
    check(
        &app,
        &holder,
        None,
        Case {
            name: "submit",
            path: &submit_path,
            fields: owned(&[("csrf", &token), ("org", "nowhere")]),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            expected: &[("org", "Choose an organisation from the list.")],
            kept: &[],
        },
    )
    .await;
    let before = snapshot(&app, &holder).await;
    let reply = post_multipart(
        &app,
        &format!("/evidence/{id}/attachments"),
        &[("csrf", &token)],
        ("", b""),
        &holder,
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(
        field_error(&reply.body, "file"),
        Some("Choose a file to attach.")
    );
    assert!(reply
        .body
        .contains("<a href=\"#file\">Choose a file to attach.</a>"));
    assert_eq!(snapshot(&app, &holder).await, before, "nothing attached");

    // The level of another taxonomy is named in words, with the levels to choose from.
    let reply = post_form(
        &app,
        "/evidence",
        &[
            ("csrf", &token),
            ("kind", "assessment"),
            ("statement", "T1-01"),
            ("level", "expert"),
            ("date", "2026-01-10"),
            ("narrative", "Did it."),
        ],
        &holder,
        None,
    )
    .await;
    let level = field_error(&reply.body, "level").expect("a level message");
    assert!(
        level.starts_with("Statement T1-01 is measured in ") && level.contains(" or "),
        "{level}"
    );
    assert!(
        !level.contains("awareness,"),
        "level names, not codes: {level}"
    );
}

/// The sign-in form's anti-forgery token, from a fresh form.
async fn form_token(app: &TestApp, path: &str) -> String {
    let form = page(app, path, &Auth::None).await;
    form.header("set-cookie")
        .strip_prefix("credence_form=")
        .and_then(|r| r.split(';').next())
        .expect("a form cookie")
        .to_owned()
}

#[tokio::test]
async fn sign_in_and_registration_report_every_problem_beside_its_field() {
    let app = TestApp::new().await;
    let token = form_token(&app, "/register").await;
    check(
        &app,
        &Auth::None,
        Some(&token),
        Case {
            name: "registration",
            path: "/register",
            fields: owned(&[
                ("form_token", &token),
                ("email", "gil at example"),
                ("display_name", "   "),
                ("password", "short"),
            ]),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            expected: &[
                (
                    "email",
                    "Enter an e-mail address in the form name@example.org.",
                ),
                ("display_name", "Enter your name."),
                (
                    "password",
                    "Choose a longer password: it needs at least 12 characters and has 5.",
                ),
            ],
            kept: &["value=\"gil at example\""],
        },
    )
    .await;
    let token = form_token(&app, "/login").await;
    check(
        &app,
        &Auth::None,
        Some(&token),
        Case {
            name: "sign-in",
            path: "/login",
            fields: owned(&[("form_token", &token), ("email", " "), ("password", "")]),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            expected: &[
                ("email", "Enter your e-mail address."),
                ("password", "Enter your password."),
            ],
            kept: &[],
        },
    )
    .await;
    // Nobody was registered.
    let signed = app
        .call(
            "POST",
            "/api/v1/session",
            Some(json!({"email": "gil at example", "password": "short"})),
            &Auth::None,
        )
        .await;
    assert_eq!(signed.status, StatusCode::UNAUTHORIZED, "{}", signed.body);
    // An address already registered is said beside the address.
    app.holder("gil@forms.test", "Gil").await;
    let token = form_token(&app, "/register").await;
    check(
        &app,
        &Auth::None,
        Some(&token),
        Case {
            name: "registration of a known address",
            path: "/register",
            fields: owned(&[
                ("form_token", &token),
                ("email", "gil@forms.test"),
                ("display_name", "Gil Again"),
                ("password", "another long password"),
            ]),
            status: StatusCode::CONFLICT,
            expected: &[(
                "email",
                "An account with the e-mail address gil@forms.test already exists: sign in instead.",
            )],
            kept: &["value=\"Gil Again\""],
        },
    )
    .await;
}

#[tokio::test]
async fn the_statement_picker_holds_every_statement_grouped_with_its_level() {
    let app = TestApp::new().await;
    let holder = app.holder("pia@forms.test", "Pia").await;
    let reply = page(
        &app,
        "/evidence/new?statement=T1-01&level=awareness",
        &holder,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let framework =
        Framework::from_json(credence_domain::bundled::NHS_AI_CONFIDENCE_2022.as_bytes())
            .expect("the framework");
    let doc = framework.document();
    let assessable: Vec<_> = doc
        .statements
        .iter()
        .filter(|s| s.level.is_some())
        .collect();
    assert_eq!(
        reply
            .body
            .matches("type=\"radio\" name=\"statement\"")
            .count(),
        assessable.len(),
        "one choice per assessable statement"
    );
    for s in &assessable {
        assert!(
            reply.body.contains(&format!("value=\"{}\"", s.code)),
            "{} is offered",
            s.code
        );
    }
    // Grouped: one openable section per pathway, one fieldset per layer and factor.
    let pathways = doc
        .pathways
        .iter()
        .filter(|p| assessable.iter().any(|s| s.pathway == p.code))
        .count();
    assert_eq!(reply.body.matches("data-picker-pathway").count(), pathways);
    let first = assessable[0];
    let level = framework
        .level(first.level.as_ref().expect("a level"))
        .expect("the level");
    assert!(reply.body.contains(&format!(
        "<span class=\"code\">{}</span> {} <span class=\"picker-level\">Level required: {}</span>",
        first.code,
        escaped(&first.text),
        level.name
    )));
    let group = match &first.factor {
        Some(f) => format!(
            "<legend>{} · {}</legend>",
            escaped(&first.layer),
            escaped(f)
        ),
        None => format!("<legend>{}</legend>", escaped(&first.layer)),
    };
    assert!(reply.body.contains(&group), "grouped under {group}");
    // The statement asked for is chosen, and its pathway shown open.
    assert!(reply
        .body
        .contains("id=\"statement-T1-01\" value=\"T1-01\" checked"));
    assert_eq!(reply.body.matches("data-picker-pathway open").count(), 1);
    // The search box is there for the script to show.
    assert!(reply
        .body
        .contains("id=\"statement-search\" type=\"search\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_statement_picker_narrows_as_you_type_in_chromium() {
    let app = TestApp::new().await;
    let base = app.serve().await;
    app.holder("pat@forms.test", "Pat").await;
    let screenshots =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&screenshots).expect("a screenshot folder");
    let brief = json!({
        "base": base,
        "chromium": std::env::var("CREDENCE_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
        "screenshots": screenshots,
        "holder": {"email": "pat@forms.test", "password": "correct horse battery staple"},
        "query": "bias",
    });
    let report = tokio::task::spawn_blocking(move || {
        crate::support::js_harness().run_script("picker.mjs", &[], &brief)
    })
    .await
    .expect("the browser ran");
    assert_eq!(report["ok"], true, "the picker broke: {report:#}");
    let framework =
        Framework::from_json(credence_domain::bundled::NHS_AI_CONFIDENCE_2022.as_bytes())
            .expect("the framework");
    let matching: Vec<&str> = framework
        .document()
        .statements
        .iter()
        .filter(|s| s.level.is_some() && s.text.to_lowercase().contains("bias"))
        .map(|s| s.code.as_str())
        .collect();
    let total = framework
        .document()
        .statements
        .iter()
        .filter(|s| s.level.is_some())
        .count();
    assert_eq!(report["total"], total, "{report:#}");
    let shown = report["shown"].as_u64().expect("a count") as usize;
    assert!(
        shown >= matching.len() && shown > 0 && shown < total,
        "narrowed to the matches ({} by their text): {report:#}",
        matching.len()
    );
    assert_eq!(
        report["countText"],
        format!("{shown} statements match."),
        "{report:#}"
    );
    assert_eq!(report["openWithMatch"], true, "{report:#}");
    assert!(
        report["chosen"].is_string(),
        "a match was chosen: {report:#}"
    );
    assert_eq!(report["stayed"], true, "Enter did not send the form");
    assert_eq!(
        report["cleared"], total,
        "clearing shows every statement again"
    );
    let failing: Vec<_> = report["axe"]
        .as_object()
        .expect("axe results")
        .iter()
        .filter(|(_, v)| !v.as_array().is_some_and(Vec::is_empty))
        .collect();
    assert!(failing.is_empty(), "accessibility violations: {failing:#?}");
    assert_eq!(report["cspErrors"], json!([]), "{report:#}");
}
