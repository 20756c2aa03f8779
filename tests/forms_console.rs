//! The console's forms refuse bad input all at once, in plain words, beside each field:
//! achievements, awards (with what is missing counted in statements), members, tokens,
//! accreditations, status changes, keys and bulk uploads, checked with the helpers of
//! `forms.rs` (status, each message beside its field, typed values kept, no snake case or
//! codes, nothing written).

use axum::http::StatusCode;
use credence_domain::Framework;
use serde_json::json;

use crate::forms::{
    check, csrf, escaped, field_error, owned, post_form, post_multipart, snapshot, Case,
};
use crate::support::TestApp;

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
                    "Choose a role from the list: admin, issuer or assessor.",
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
                ("role", "Choose a role: admin, issuer or assessor."),
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
