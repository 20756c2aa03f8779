//! Every form refuses bad input all at once, in plain words, beside each field: each case
//! posts input with several problems and checks the status, that every expected message
//! stands inside the element with id `<field>-error`, that what was typed is kept, that no
//! message names a field in snake case or a raw code, and that nothing was written. Also
//! the evidence form's statement picker: every statement, grouped, with its level.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use credence_domain::Framework;
use credence_service::{Actor, Operator, Page};
use serde_json::{json, Value};

use crate::support::{Auth, Reply, TestApp};

/// A form post as a browser sends it, with the session (or sign-in form) cookie.
async fn post_form(
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

/// `GET` as a browser.
async fn page(app: &TestApp, path: &str, auth: &Auth) -> Reply {
    let mut request = Request::get(path).header("accept", "text/html");
    if let Auth::Session { cookie, .. } = auth {
        request = request.header("cookie", format!("credence_session={cookie}"));
    }
    app.request(request.body(Body::empty()).expect("a request"))
        .await
}

/// A multipart form (text fields and one file) as a browser sends it, signed in.
async fn post_multipart(
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

fn csrf(auth: &Auth) -> String {
    match auth {
        Auth::Session { csrf, .. } => csrf.clone(),
        _ => String::new(),
    }
}

/// Text as the templates escape it.
fn escaped(s: &str) -> String {
    s.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// The text of the element with id `<field>-error`, up to its closing tag.
fn field_error<'a>(body: &'a str, field: &str) -> Option<&'a str> {
    let start = body.find(&format!("id=\"{field}-error\">"))?;
    let rest = &body[start..];
    let text = &rest[rest.find('>')? + 1..];
    Some(&text[..text.find("</")?])
}

/// Everything a refused form could have written: the whole audit trail and the account.
async fn snapshot(app: &TestApp, auth: &Auth) -> Value {
    let operator = Actor::from_operator(&Operator::local_command_line())
        .operator()
        .expect("the operator");
    let audit = app
        .services
        .registry
        .all_audit(&operator, Page::new(0, Page::MAX_LIMIT))
        .await
        .expect("the audit trail");
    let me = app.call("GET", "/api/v1/me", None, auth).await;
    let evidence = app.call("GET", "/api/v1/evidence", None, auth).await;
    json!({"audit": audit.len(), "me": me.body, "evidence": evidence.body})
}

/// One refused form: where it is posted, what is typed, which messages are expected beside
/// which fields, and what typed text must be shown again.
struct Case<'a> {
    name: &'a str,
    path: &'a str,
    fields: Vec<(&'a str, String)>,
    status: StatusCode,
    expected: &'a [(&'a str, &'a str)],
    kept: &'a [&'a str],
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

async fn check(app: &TestApp, auth: &Auth, form_cookie: Option<&str>, case: Case<'_>) {
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

fn owned<'a>(fields: &[(&'a str, &str)]) -> Vec<(&'a str, String)> {
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
}

#[tokio::test]
async fn console_forms_report_every_problem_beside_its_field() {
    let app = TestApp::new().await;
    app.org("forms-ics", "provider", "web").await;
    let issuer = app.holder("ida@forms.test", "Ida").await;
    app.grant("forms-ics", "ida@forms.test", "issuer").await;
    app.grant("forms-ics", "ida@forms.test", "admin").await;
    app.holder("cy@forms.test", "Cy").await;
    let token = csrf(&issuer);
    let cases = [
        Case {
            name: "achievement",
            path: "/console/forms-ics/achievements",
            fields: owned(&[
                ("csrf", &token),
                ("pathway", ""),
                ("name", "Data <stewardship>"),
                ("validity_days", "a year"),
                ("product_name", "Scribe"),
                ("product_version", ""),
            ]),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            expected: &[
                (
                    "validity_days",
                    "Give the validity as a whole number of days, such as 365, or leave it empty.",
                ),
                ("pathway", "Choose the pathway the achievement is for."),
                (
                    "product",
                    "Give the product's name and its version: a product-specific pathway is published once per product and version.",
                ),
            ],
            kept: &[
                "value=\"Data &#60;stewardship&#62;\"",
                "value=\"a year\"",
                "value=\"Scribe\"",
            ],
        },
        Case {
            name: "award",
            path: "/console/forms-ics/award",
            fields: owned(&[
                ("csrf", &token),
                ("achievement", ""),
                ("email", "cy at forms"),
                ("name", "Cy's badge"),
                ("override_justification", "trust me"),
            ]),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            expected: &[
                ("achievement", "Choose the achievement to award."),
                ("email", "Enter an e-mail address in the form name@example.org."),
                (
                    "override_justification",
                    "Give a reason of at least 20 characters for awarding without all the evidence; this one has 8.",
                ),
            ],
            kept: &[
                "value=\"cy at forms\"",
                "value=\"Cy&#39;s badge\"",
                ">trust me</textarea>",
            ],
        },
    ];
    // The award form needs an achievement to be shown at all.
    let made = app
        .call(
            "POST",
            "/api/v1/orgs/forms-ics/achievements",
            Some(json!({"pathway": "foundational"})),
            &app.token("forms-ics", "issuer").await,
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let achievement = made.json()["uuid"].as_str().expect("uuid").to_owned();
    for case in cases {
        check(&app, &issuer, None, case).await;
    }
    let admin_cases = [
        Case {
            name: "member",
            path: "/console/forms-ics/members",
            fields: owned(&[("csrf", &token), ("email", "cy@"), ("role", "owner")]),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            expected: &[
                (
                    "email",
                    "Enter an e-mail address in the form name@example.org.",
                ),
                (
                    "role",
                    "Choose a role from the list: administrator, issuer or assessor.",
                ),
            ],
            kept: &["value=\"cy@\""],
        },
        Case {
            name: "token",
            path: "/console/forms-ics/tokens",
            fields: owned(&[
                ("csrf", &token),
                ("role", ""),
                ("label", &"L".repeat(201)),
                ("days", "ninety"),
            ]),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            expected: &[
                ("role", "Choose a role: administrator, issuer or assessor."),
                (
                    "label",
                    "Shorten the label to at most 200 characters; it has 201 characters.",
                ),
                (
                    "days",
                    "Give the lifetime as a whole number of days, such as 90.",
                ),
            ],
            kept: &["value=\"ninety\""],
        },
    ];
    for case in admin_cases {
        check(&app, &issuer, None, case).await;
    }
    // An accrediting body's form: no provider and a pathway not in the framework.
    app.org("forms-body", "accrediting-body", "web").await;
    app.grant("forms-body", "ida@forms.test", "issuer").await;
    check(
        &app,
        &issuer,
        None,
        Case {
            name: "accreditation",
            path: "/console/forms-body/accreditations",
            fields: owned(&[
                ("csrf", &token),
                ("provider", ""),
                ("pathway", "foundational"),
                ("pathway", "astrology"),
            ]),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            expected: &[
                ("provider", "Choose the provider to accredit."),
                (
                    "pathways",
                    "Choose pathways from the list of the framework's pathways.",
                ),
            ],
            kept: &["value=\"foundational\" checked"],
        },
    )
    .await;

    // Awarding before the pathway is complete: the reason is asked for beside its field,
    // and what is missing is counted in statements.
    let before = snapshot(&app, &issuer).await;
    let reply = post_form(
        &app,
        "/console/forms-ics/award",
        &[
            ("csrf", &token),
            ("achievement", &achievement),
            ("email", "cy@forms.test"),
        ],
        &issuer,
        None,
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let reason = field_error(&reply.body, "override_justification").expect("a reason asked");
    assert!(
        reason.contains(
            "Give a reason of at least 20 characters for awarding without all the evidence"
        ),
        "{reason}"
    );
    let framework =
        Framework::from_json(credence_domain::bundled::NHS_AI_CONFIDENCE_2022.as_bytes())
            .expect("the framework");
    let code = credence_domain::PathwayCode::new("foundational").expect("a code");
    let statements = framework
        .pathway_statements(&code)
        .filter(|s| s.level.is_some())
        .count();
    assert!(statements > 1);
    assert!(
        reply
            .body
            .contains(&format!("What is missing: {statements} statements</h2>")),
        "counted in statements ({statements}): {}",
        reply.body
    );
    assert_eq!(snapshot(&app, &issuer).await, before, "nothing awarded");
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

#[tokio::test]
async fn status_keys_and_bulk_forms_report_every_problem_beside_its_field() {
    let app = TestApp::new().await;
    app.org("forms-ics", "provider", "web").await;
    let issuer = app.holder("ida@forms.test", "Ida").await;
    app.grant("forms-ics", "ida@forms.test", "issuer").await;
    app.grant("forms-ics", "ida@forms.test", "admin").await;
    app.holder("cy@forms.test", "Cy").await;
    let api = app.token("forms-ics", "issuer").await;
    let made = app
        .call(
            "POST",
            "/api/v1/orgs/forms-ics/achievements",
            Some(json!({"pathway": "foundational"})),
            &api,
        )
        .await;
    let achievement = made.json()["uuid"].as_str().expect("uuid").to_owned();
    let awarded = app
        .call(
            "POST",
            "/api/v1/orgs/forms-ics/awards",
            Some(json!({"achievement": achievement, "email": "cy@forms.test",
                "override_justification": "Completed the equivalent course elsewhere."})),
            &api,
        )
        .await;
    assert_eq!(awarded.status, StatusCode::CREATED, "{}", awarded.body);
    let award = awarded.json()["award"]["id"]
        .as_str()
        .expect("an award")
        .to_owned();
    let token = csrf(&issuer);
    let status_path = format!("/console/forms-ics/awards/{award}/status");
    let cases = [
        Case {
            name: "status change",
            path: &status_path,
            fields: owned(&[("csrf", &token), ("action", "revoke"), ("reason", " ")]),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            expected: &[
                (
                    "confirm",
                    "A revocation cannot be undone: tick the box to confirm it.",
                ),
                (
                    "reason",
                    "Give a reason for the change; the holder is shown it.",
                ),
            ],
            kept: &["<option value=\"revoke\" selected>"],
        },
        Case {
            name: "cryptosuite",
            path: "/console/forms-ics/keys/cryptosuite",
            fields: owned(&[("csrf", &token), ("cryptosuite", "rsa-2048")]),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            expected: &[("cryptosuite", "Choose one of the cryptosuites listed.")],
            kept: &[],
        },
        Case {
            name: "key rotation",
            path: "/console/forms-ics/keys/rotate",
            fields: owned(&[("csrf", &token)]),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            expected: &[("confirm", "Tick the box to confirm the rotation.")],
            kept: &[],
        },
    ];
    for case in cases {
        check(&app, &issuer, None, case).await;
    }
    // The bulk form: a file without the required columns and an unknown achievement are
    // both reported, each beside its field.
    let before = snapshot(&app, &issuer).await;
    let reply = post_multipart(
        &app,
        "/console/forms-ics/bulk/upload",
        &[("csrf", &token), ("achievement", "not-an-achievement")],
        ("cohort.csv", b"who,when\nsam,today\n"),
        &issuer,
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(
        field_error(&reply.body, "achievement"),
        Some(
            escaped(
                "Choose an achievement from the list; Organisation forms-ics has none with that identifier."
            )
            .as_str()
        )
    );
    let file = field_error(&reply.body, "file").expect("the file's problem beside it");
    assert!(!file.is_empty());
    assert!(
        reply.body.contains("<a href=\"#file\">")
            && reply.body.contains("<a href=\"#achievement\">")
    );
    assert_eq!(snapshot(&app, &issuer).await, before, "no job started");
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
