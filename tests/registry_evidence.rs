//! Evidence: recording, attachments, submission, the assessor's queue and decisions with
//! their history, pathway progress from attested evidence only, the refusals, and the
//! completion-record import.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{json, Value};

use crate::support::{Auth, Reply, TestApp};

const FRAMEWORK: &str = "nhs-ai-confidence-2022";

/// A small PDF and its SHA-256, computed independently.
const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const PDF_SHA256: &str = "56c2ac043c28d3543275a6f50b593a6beb0b6888ed8159ac02e3e7f4a32ccb26";

/// The foundational pathway's statements as (code, taxonomy, required level), read from
/// the bundled framework document.
fn foundational() -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/frameworks/nhs-ai-confidence-2022.json"
    ))
    .expect("the bundled framework");
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    doc["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .filter(|s| s["pathway"] == "foundational")
        .map(|s| {
            (
                s["code"].as_str().expect("code").to_owned(),
                s["taxonomy"].as_str().expect("taxonomy").to_owned(),
                s["level"].as_str().expect("level").to_owned(),
            )
        })
        .collect()
}

fn evidence(statement: &str, level: &str) -> Value {
    json!({
        "kind": "reflective-account",
        "narrative": format!("What I learnt about {statement}."),
        "date": "2026-03-01",
        "provider": "Linchester ICS",
        "framework": FRAMEWORK,
        "statement": statement,
        "level": level,
    })
}

/// Sends a raw body with a content type.
async fn raw(
    app: &TestApp,
    method: &str,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
    auth: &Auth,
) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("accept", "application/json")
        .header("content-type", content_type);
    match auth {
        Auth::None => {}
        Auth::Token(token) => request = request.header("authorization", format!("Bearer {token}")),
        Auth::Session { cookie, csrf } => {
            request = request
                .header("cookie", format!("credence_session={cookie}"))
                .header("x-csrf-token", csrf);
        }
    }
    app.request(request.body(Body::from(body)).expect("a request"))
        .await
}

async fn record(app: &TestApp, auth: &Auth, body: Value) -> String {
    let reply = app.call("POST", "/api/v1/evidence", Some(body), auth).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.json()["status"], "draft");
    reply.json()["id"].as_str().expect("an id").to_owned()
}

async fn submit(app: &TestApp, auth: &Auth, id: &str, org: &str) {
    let reply = app
        .call(
            "POST",
            &format!("/api/v1/evidence/{id}/submit"),
            Some(json!({"org": org})),
            auth,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json()["status"], "submitted");
}

async fn decide(app: &TestApp, auth: &Auth, id: &str, body: Value) -> Reply {
    app.call(
        "POST",
        &format!("/api/v1/evidence/{id}/decision"),
        Some(body),
        auth,
    )
    .await
}

#[tokio::test]
async fn evidence_flow_attests_rejects_keeps_history_and_counts_attested_levels_only() {
    let app = TestApp::new().await;
    app.org("st-elsewhere", "healthcare-setting", "key").await;
    let ada = app.holder("ada@example.org", "Ada").await;
    let asa = app.holder("asa@example.org", "Asa").await;
    app.grant("st-elsewhere", "asa@example.org", "assessor")
        .await;
    let statements = foundational();
    assert_eq!(statements.len(), 30);

    // Ada records a piece of evidence per foundational statement, claiming the top level
    // of its taxonomy.
    let mut ids = Vec::new();
    for (code, taxonomy, _) in &statements {
        let top = if taxonomy == "knowledge" {
            "understanding"
        } else {
            "proficiency"
        };
        ids.push(record(&app, &ada, evidence(code, top)).await);
    }
    let list = app
        .call("GET", "/api/v1/evidence?limit=10", None, &ada)
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.json()["items"].as_array().map(Vec::len), Some(10));
    assert_eq!(list.json()["limit"], 10);

    // A PDF attached to the first draft keeps its SHA-256, and downloads unchanged.
    let upload = raw(
        &app,
        "POST",
        &format!(
            "/api/v1/evidence/{}/attachments?name=certificate.pdf",
            ids[0]
        ),
        "application/pdf",
        PDF.to_vec(),
        &ada,
    )
    .await;
    assert_eq!(upload.status, StatusCode::CREATED, "{}", upload.body);
    assert_eq!(upload.json()["sha256"], PDF_SHA256);
    assert_eq!(upload.json()["size"], PDF.len());
    let attachment = upload.json()["id"].as_str().expect("an id").to_owned();
    let download_path = format!("/api/v1/evidence/{}/attachments/{attachment}", ids[0]);
    let download = app.call("GET", &download_path, None, &ada).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.header("content-type"), "application/pdf");
    assert_eq!(
        download.header("content-disposition"),
        "attachment; filename=\"certificate.pdf\"; filename*=UTF-8''certificate.pdf"
    );
    assert_eq!(download.header("x-content-type-options"), "nosniff");
    assert_eq!(download.body.as_bytes(), PDF);
    // A name outside ASCII is kept exactly, and offered with an ASCII fallback.
    let notes = raw(
        &app,
        "POST",
        &format!(
            "/api/v1/evidence/{}/attachments?name=r%C3%A9sum%C3%A9.txt",
            ids[1]
        ),
        "text/plain",
        b"notes".to_vec(),
        &ada,
    )
    .await;
    assert_eq!(notes.status, StatusCode::CREATED, "{}", notes.body);
    assert_eq!(notes.json()["file_name"], "r\u{e9}sum\u{e9}.txt");
    let notes = app
        .call(
            "GET",
            &format!(
                "/api/v1/evidence/{}/attachments/{}",
                ids[1],
                notes.json()["id"].as_str().expect("an id")
            ),
            None,
            &ada,
        )
        .await;
    assert_eq!(notes.header("content-type"), "text/plain");
    assert_eq!(
        notes.header("content-disposition"),
        "attachment; filename=\"r_sum_.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt"
    );
    // The assessor may not download it before it is submitted to the organisation.
    let early = app.call("GET", &download_path, None, &asa).await;
    assert_eq!(early.status, StatusCode::NOT_FOUND);

    // Nothing counts while the evidence is unassessed.
    let progress_path = format!("/api/v1/progress/{FRAMEWORK}/foundational");
    let progress = app.call("GET", &progress_path, None, &ada).await;
    assert_eq!(progress.status, StatusCode::OK, "{}", progress.body);
    assert_eq!(progress.json()["met"], 0);
    assert_eq!(progress.json()["required"], 30);

    for id in &ids {
        submit(&app, &ada, id, "st-elsewhere").await;
    }
    let queue = app
        .call(
            "GET",
            "/api/v1/orgs/st-elsewhere/queue?limit=100",
            None,
            &asa,
        )
        .await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    let items = queue.json()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(items.len(), 30);
    let first = items
        .iter()
        .find(|i| i["id"] == ids[0].as_str())
        .expect("the first piece is queued");
    assert_eq!(first["holder_email"], "ada@example.org");
    assert_eq!(first["holder_name"], "Ada");
    assert_eq!(first["level_claimed"], "understanding");
    assert_eq!(first["attachments"][0]["sha256"], PDF_SHA256);
    assert!(!first["statement_text"].as_str().unwrap_or("").is_empty());
    // Now the assessor may download the attachment.
    let by_assessor = app.call("GET", &download_path, None, &asa).await;
    assert_eq!(by_assessor.status, StatusCode::OK);
    assert_eq!(by_assessor.body.as_bytes(), PDF);

    // The assessor attests each at the required level (lower than claimed), except the
    // last, rejected with a comment.
    let last = ids.len() - 1;
    for (i, ((_, _, required), id)) in statements.iter().zip(&ids).enumerate() {
        let body = if i == last {
            json!({"decision": "reject", "comment": "The account does not show awareness."})
        } else {
            json!({"decision": "attest", "level": required, "comment": "Seen."})
        };
        let reply = decide(&app, &asa, id, body).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let queue = app
        .call("GET", "/api/v1/orgs/st-elsewhere/queue", None, &asa)
        .await;
    assert_eq!(queue.json()["items"], json!([]));

    // The history keeps every step.
    let first = app
        .call("GET", &format!("/api/v1/evidence/{}", ids[0]), None, &ada)
        .await;
    assert_eq!(first.status, StatusCode::OK);
    let first = first.json();
    assert_eq!(first["status"], "attested");
    assert_eq!(first["level_confirmed"], statements[0].2.as_str());
    assert_eq!(first["org"], "st-elsewhere");
    let steps: Vec<(&str, &str)> = first["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|d| {
            (
                d["decision"].as_str().unwrap_or(""),
                d["level"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            ("submitted", "understanding"),
            ("attested", statements[0].2.as_str())
        ]
    );
    let rejected = app
        .call(
            "GET",
            &format!("/api/v1/evidence/{}", ids[last]),
            None,
            &ada,
        )
        .await
        .json();
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["level_confirmed"], Value::Null);
    assert_eq!(rejected["history"][1]["decision"], "rejected");
    assert_eq!(
        rejected["history"][1]["comment"],
        "The account does not show awareness."
    );

    // Progress counts the attested levels only: the rejected statement is missing.
    let progress = app.call("GET", &progress_path, None, &ada).await.json();
    assert_eq!(progress["met"], 29);
    assert_eq!(progress["complete"], false);
    let missing: Vec<&str> = progress["missing_statements"]
        .as_array()
        .expect("missing")
        .iter()
        .filter_map(|r| r["statement"].as_str())
        .collect();
    assert_eq!(missing, vec![statements[last].0.as_str()]);
    assert_eq!(
        progress["next_step"],
        "1 more Awareness statement in Interface with patients"
    );
    // Another holder has no progress of Ada's.
    let bo = app.holder("bo@example.org", "Bo").await;
    let theirs = app.call("GET", &progress_path, None, &bo).await.json();
    assert_eq!(theirs["met"], 0);

    // The organisation's audit trail names every submission and decision, and the chain
    // still verifies.
    let admin = app.token("st-elsewhere", "admin").await;
    let trail = app
        .call(
            "GET",
            "/api/v1/orgs/st-elsewhere/audit?limit=500",
            None,
            &admin,
        )
        .await
        .json();
    let count = |action: &str| {
        trail["items"].as_array().map_or(0, |items| {
            items.iter().filter(|e| e["action"] == action).count()
        })
    };
    assert_eq!(count("evidence.submit"), 30);
    assert_eq!(count("evidence.attest"), 29);
    assert_eq!(count("evidence.reject"), 1);
    let operator =
        credence_service::Actor::from_operator(&credence_service::Operator::local_command_line())
            .operator()
            .expect("the operator");
    let chain = app
        .services
        .registry
        .with_operator(&operator)
        .verify_audit_chain(|_, _| {})
        .await
        .expect("the chain");
    assert!(chain.broken.is_none());

    // The service the awards use agrees.
    let registry = &app.services.registry;
    let framework = app
        .services
        .frameworks
        .get(&FRAMEWORK.parse().expect("a slug"), None)
        .await
        .expect("the framework");
    let me = app.call("GET", "/api/v1/me", None, &ada).await.json();
    let ada_id = me["id"].as_str().expect("an account id");
    let progress = registry
        .public()
        .progress_of(
            &ada_id.parse().expect("an account id"),
            &framework,
            &"foundational".parse().expect("a pathway"),
        )
        .await
        .expect("progress");
    assert_eq!(progress.met(), 29);
    assert!(!progress.complete);
}

/// One refused request: what is sent, by whom, and the status (and pointer) expected.
struct Case {
    what: &'static str,
    method: &'static str,
    path: String,
    body: Option<Value>,
    auth: Auth,
    status: StatusCode,
    pointer: Option<&'static str>,
}

async fn check(app: &TestApp, case: Case) {
    let reply = app
        .call(case.method, &case.path, case.body, &case.auth)
        .await;
    assert_eq!(reply.status, case.status, "{}: {}", case.what, reply.body);
    if let Some(pointer) = case.pointer {
        assert_eq!(
            reply.json()["errors"][0]["pointer"],
            pointer,
            "{}: {}",
            case.what,
            reply.body
        );
    }
}

#[tokio::test]
async fn evidence_refusals() {
    let app = TestApp::new().await;
    app.org("st-elsewhere", "healthcare-setting", "key").await;
    let ada = app.holder("ada@example.org", "Ada").await;
    let bo = app.holder("bo@example.org", "Bo").await;
    let asa = app.holder("asa@example.org", "Asa").await;
    app.grant("st-elsewhere", "asa@example.org", "assessor")
        .await;
    let issuer_token = app.token("st-elsewhere", "issuer").await;
    // Cy assesses for the organisation and also records evidence of her own.
    let cy = app.holder("cy@example.org", "Cy").await;
    app.grant("st-elsewhere", "cy@example.org", "assessor")
        .await;
    let own = record(&app, &cy, evidence("T1-01", "awareness")).await;
    submit(&app, &cy, &own, "st-elsewhere").await;

    let draft = record(&app, &ada, evidence("T1-04", "familiarity")).await;
    let submitted = record(&app, &ada, evidence("T1-04", "familiarity")).await;
    submit(&app, &ada, &submitted, "st-elsewhere").await;
    let decided = record(&app, &ada, evidence("T1-01", "understanding")).await;
    submit(&app, &ada, &decided, "st-elsewhere").await;
    let reply = decide(
        &app,
        &asa,
        &decided,
        json!({"decision": "attest", "level": "familiarity"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    let mut long = evidence("T1-01", "awareness");
    long["narrative"] = json!("x".repeat(10_001));
    let with = |field: &str, value: Value| {
        let mut body = evidence("T1-01", "awareness");
        body[field] = value;
        Some(body)
    };
    let decision = |id: &str| format!("/api/v1/evidence/{id}/decision");
    let cases = vec![
        Case {
            what: "another holder reads",
            method: "GET",
            path: format!("/api/v1/evidence/{draft}"),
            body: None,
            auth: bo.clone(),
            status: StatusCode::NOT_FOUND,
            pointer: None,
        },
        Case {
            what: "another holder edits",
            method: "PUT",
            path: format!("/api/v1/evidence/{draft}"),
            body: Some(evidence("T1-01", "awareness")),
            auth: bo.clone(),
            status: StatusCode::NOT_FOUND,
            pointer: None,
        },
        Case {
            what: "another holder submits",
            method: "POST",
            path: format!("/api/v1/evidence/{draft}/submit"),
            body: Some(json!({"org": "st-elsewhere"})),
            auth: bo.clone(),
            status: StatusCode::NOT_FOUND,
            pointer: None,
        },
        Case {
            what: "unknown evidence",
            method: "GET",
            path: "/api/v1/evidence/not-an-id".into(),
            body: None,
            auth: ada.clone(),
            status: StatusCode::NOT_FOUND,
            pointer: None,
        },
        Case {
            what: "anonymous lists",
            method: "GET",
            path: "/api/v1/evidence".into(),
            body: None,
            auth: Auth::None,
            status: StatusCode::UNAUTHORIZED,
            pointer: None,
        },
        Case {
            what: "anonymous records",
            method: "POST",
            path: "/api/v1/evidence".into(),
            body: Some(evidence("T1-01", "awareness")),
            auth: Auth::None,
            status: StatusCode::UNAUTHORIZED,
            pointer: None,
        },
        Case {
            what: "anonymous decides",
            method: "POST",
            path: decision(&submitted),
            body: Some(json!({"decision": "attest", "level": "awareness"})),
            auth: Auth::None,
            status: StatusCode::UNAUTHORIZED,
            pointer: None,
        },
        Case {
            what: "a token records",
            method: "POST",
            path: "/api/v1/evidence".into(),
            body: Some(evidence("T1-01", "awareness")),
            auth: issuer_token.clone(),
            status: StatusCode::FORBIDDEN,
            pointer: None,
        },
        Case {
            what: "a non-assessor decides",
            method: "POST",
            path: decision(&submitted),
            body: Some(json!({"decision": "attest", "level": "awareness"})),
            auth: bo.clone(),
            status: StatusCode::FORBIDDEN,
            pointer: None,
        },
        Case {
            what: "the holder decides",
            method: "POST",
            path: decision(&submitted),
            body: Some(json!({"decision": "attest", "level": "awareness"})),
            auth: ada.clone(),
            status: StatusCode::FORBIDDEN,
            pointer: None,
        },
        Case {
            what: "an assessor decides on her own evidence",
            method: "POST",
            path: decision(&own),
            body: Some(json!({"decision": "attest", "level": "awareness"})),
            auth: cy.clone(),
            status: StatusCode::FORBIDDEN,
            pointer: None,
        },
        Case {
            what: "an issuer decides",
            method: "POST",
            path: decision(&submitted),
            body: Some(json!({"decision": "attest", "level": "awareness"})),
            auth: issuer_token.clone(),
            status: StatusCode::FORBIDDEN,
            pointer: None,
        },
        Case {
            what: "a non-assessor reads the queue",
            method: "GET",
            path: "/api/v1/orgs/st-elsewhere/queue".into(),
            body: None,
            auth: bo.clone(),
            status: StatusCode::FORBIDDEN,
            pointer: None,
        },
        Case {
            what: "level above claimed",
            method: "POST",
            path: decision(&submitted),
            body: Some(json!({"decision": "attest", "level": "understanding"})),
            auth: asa.clone(),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            pointer: Some("/level"),
        },
        Case {
            what: "attested level of another taxonomy",
            method: "POST",
            path: decision(&submitted),
            body: Some(json!({"decision": "attest", "level": "capability"})),
            auth: asa.clone(),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            pointer: Some("/level"),
        },
        Case {
            what: "attest without level",
            method: "POST",
            path: decision(&submitted),
            body: Some(json!({"decision": "attest"})),
            auth: asa.clone(),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            pointer: Some("/level"),
        },
        Case {
            what: "reject without comment",
            method: "POST",
            path: decision(&submitted),
            body: Some(json!({"decision": "reject"})),
            auth: asa.clone(),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            pointer: Some("/comment"),
        },
        Case {
            what: "unknown decision",
            method: "POST",
            path: decision(&submitted),
            body: Some(json!({"decision": "maybe"})),
            auth: asa.clone(),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            pointer: Some("/decision"),
        },
        Case {
            what: "deciding twice",
            method: "POST",
            path: decision(&decided),
            body: Some(json!({"decision": "attest", "level": "awareness"})),
            auth: asa.clone(),
            status: StatusCode::CONFLICT,
            pointer: None,
        },
        Case {
            what: "deciding a draft",
            method: "POST",
            path: decision(&draft),
            body: Some(json!({"decision": "attest", "level": "awareness"})),
            auth: ada.clone(),
            status: StatusCode::CONFLICT,
            pointer: None,
        },
        Case {
            what: "editing submitted evidence",
            method: "PUT",
            path: format!("/api/v1/evidence/{submitted}"),
            body: Some(evidence("T1-01", "awareness")),
            auth: ada.clone(),
            status: StatusCode::CONFLICT,
            pointer: None,
        },
        Case {
            what: "deleting submitted evidence",
            method: "DELETE",
            path: format!("/api/v1/evidence/{submitted}"),
            body: None,
            auth: ada.clone(),
            status: StatusCode::CONFLICT,
            pointer: None,
        },
        Case {
            what: "submitting twice",
            method: "POST",
            path: format!("/api/v1/evidence/{submitted}/submit"),
            body: Some(json!({"org": "st-elsewhere"})),
            auth: ada.clone(),
            status: StatusCode::CONFLICT,
            pointer: None,
        },
        Case {
            what: "submitting to an unknown organisation",
            method: "POST",
            path: format!("/api/v1/evidence/{draft}/submit"),
            body: Some(json!({"org": "nowhere"})),
            auth: ada.clone(),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            pointer: Some("/org"),
        },
        Case {
            what: "claimed level of another taxonomy",
            method: "POST",
            path: "/api/v1/evidence".into(),
            body: Some(evidence("T1-01", "proficiency")),
            auth: ada.clone(),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            pointer: Some("/level"),
        },
        Case {
            what: "unknown level",
            method: "POST",
            path: "/api/v1/evidence".into(),
            body: Some(evidence("T1-01", "mastery")),
            auth: ada.clone(),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            pointer: Some("/level"),
        },
        Case {
            what: "unknown statement",
            method: "POST",
            path: "/api/v1/evidence".into(),
            body: Some(evidence("T9-99", "awareness")),
            auth: ada.clone(),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            pointer: Some("/statement"),
        },
        Case {
            what: "malformed statement",
            method: "POST",
            path: "/api/v1/evidence".into(),
            body: Some(evidence("not a code!", "awareness")),
            auth: ada.clone(),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            pointer: Some("/statement"),
        },
        Case {
            what: "future date",
            method: "POST",
            path: "/api/v1/evidence".into(),
            body: with("date", json!("2999-01-01")),
            auth: ada.clone(),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            pointer: Some("/date"),
        },
        Case {
            what: "malformed date",
            method: "POST",
            path: "/api/v1/evidence".into(),
            body: with("date", json!("01/02/2026")),
            auth: ada.clone(),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            pointer: Some("/date"),
        },
        Case {
            what: "unknown kind",
            method: "POST",
            path: "/api/v1/evidence".into(),
            body: with("kind", json!("hearsay")),
            auth: ada.clone(),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            pointer: Some("/kind"),
        },
        Case {
            what: "empty narrative",
            method: "POST",
            path: "/api/v1/evidence".into(),
            body: with("narrative", json!("   ")),
            auth: ada.clone(),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            pointer: Some("/narrative"),
        },
        Case {
            what: "narrative too long",
            method: "POST",
            path: "/api/v1/evidence".into(),
            body: Some(long),
            auth: ada.clone(),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            pointer: Some("/narrative"),
        },
        Case {
            what: "unknown framework",
            method: "POST",
            path: "/api/v1/evidence".into(),
            body: with("framework", json!("no-such-framework")),
            auth: ada.clone(),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            pointer: Some("/framework"),
        },
        Case {
            what: "unknown framework version",
            method: "POST",
            path: "/api/v1/evidence".into(),
            body: with("framework_version", json!("9.9.9")),
            auth: ada.clone(),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            pointer: Some("/framework_version"),
        },
        Case {
            what: "unknown field",
            method: "POST",
            path: "/api/v1/evidence".into(),
            body: with("colour", json!("blue")),
            auth: ada.clone(),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            pointer: None,
        },
        Case {
            what: "progress of an unknown pathway",
            method: "GET",
            path: format!("/api/v1/progress/{FRAMEWORK}/no-such-pathway"),
            body: None,
            auth: ada.clone(),
            status: StatusCode::NOT_FOUND,
            pointer: None,
        },
        Case {
            what: "progress of an unknown framework",
            method: "GET",
            path: "/api/v1/progress/nope/foundational".into(),
            body: None,
            auth: ada.clone(),
            status: StatusCode::NOT_FOUND,
            pointer: None,
        },
        Case {
            what: "anonymous progress",
            method: "GET",
            path: format!("/api/v1/progress/{FRAMEWORK}/foundational"),
            body: None,
            auth: Auth::None,
            status: StatusCode::UNAUTHORIZED,
            pointer: None,
        },
    ];
    for case in cases {
        check(&app, case).await;
    }

    // Attachments: size, type, count, and only on drafts.
    let attach = |id: &str, name: &str| format!("/api/v1/evidence/{id}/attachments?name={name}");
    let oversize = raw(
        &app,
        "POST",
        &attach(&draft, "big.pdf"),
        "application/pdf",
        vec![b'x'; 5 * 1024 * 1024 + 2048],
        &ada,
    )
    .await;
    assert_eq!(
        oversize.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        oversize.body
    );
    // Just under 5 MiB passes the API's usual 1 MiB limit.
    let big = raw(
        &app,
        "POST",
        &attach(&draft, "big.txt"),
        "text/plain",
        vec![b'x'; 5 * 1024 * 1024],
        &ada,
    )
    .await;
    assert_eq!(big.status, StatusCode::CREATED, "{}", big.body);
    let zip = raw(
        &app,
        "POST",
        &attach(&draft, "a.zip"),
        "application/zip",
        b"PK".to_vec(),
        &ada,
    )
    .await;
    assert_eq!(zip.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", zip.body);
    let unnamed = raw(
        &app,
        "POST",
        &format!("/api/v1/evidence/{draft}/attachments"),
        "text/plain",
        b"x".to_vec(),
        &ada,
    )
    .await;
    assert_eq!(
        unnamed.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unnamed.body
    );
    let by_other = raw(
        &app,
        "POST",
        &attach(&draft, "a.txt"),
        "text/plain",
        b"x".to_vec(),
        &bo,
    )
    .await;
    assert_eq!(by_other.status, StatusCode::NOT_FOUND, "{}", by_other.body);
    let on_submitted = raw(
        &app,
        "POST",
        &attach(&submitted, "a.txt"),
        "text/plain",
        b"x".to_vec(),
        &ada,
    )
    .await;
    assert_eq!(
        on_submitted.status,
        StatusCode::CONFLICT,
        "{}",
        on_submitted.body
    );
    for n in 2..=10 {
        let reply = raw(
            &app,
            "POST",
            &attach(&draft, &format!("note-{n}.txt")),
            "text/plain; charset=utf-8",
            format!("note {n}").into_bytes(),
            &ada,
        )
        .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
    let eleventh = raw(
        &app,
        "POST",
        &attach(&draft, "note-11.txt"),
        "text/plain",
        b"11".to_vec(),
        &ada,
    )
    .await;
    assert_eq!(
        eleventh.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        eleventh.body
    );
    let detail = app
        .call("GET", &format!("/api/v1/evidence/{draft}"), None, &ada)
        .await
        .json();
    assert_eq!(detail["attachments"].as_array().map(Vec::len), Some(10));
    let first_attachment = detail["attachments"][0]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let path = format!("/api/v1/evidence/{draft}/attachments/{first_attachment}");
    assert_eq!(
        app.call("GET", &path, None, &bo).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.call("GET", &path, None, &Auth::None).await.status,
        StatusCode::UNAUTHORIZED
    );

    // A draft can be edited and deleted; then it is gone.
    let edited = app
        .call(
            "PUT",
            &format!("/api/v1/evidence/{draft}"),
            Some(evidence("T1-02", "awareness")),
            &ada,
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(edited.json()["statement"], "T1-02");
    let deleted = app
        .call("DELETE", &format!("/api/v1/evidence/{draft}"), None, &ada)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = app
        .call("GET", &format!("/api/v1/evidence/{draft}"), None, &ada)
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn completion_import_reports_each_row_and_a_rerun_creates_nothing() {
    let app = TestApp::new().await;
    app.org("linchester-ics", "provider", "web").await;
    app.org("st-elsewhere", "healthcare-setting", "key").await;
    let ada = app.holder("ada@example.org", "Ada").await;
    app.holder("bo@example.org", "Bo").await;
    let ian = app.holder("ian@example.org", "Ian").await;
    app.grant("linchester-ics", "ian@example.org", "issuer")
        .await;
    app.grant("st-elsewhere", "ian@example.org", "issuer").await;
    let assessor = app.token("linchester-ics", "assessor").await;
    // Linchester is accredited by a body this installation trusts; Hilltop College is a
    // provider without accreditation.
    app.org("hilltop-college", "provider", "key").await;
    app.grant("hilltop-college", "ian@example.org", "issuer")
        .await;
    app.org("hee", "accrediting-body", "web").await;
    let registry = &app.services.registry;
    let operator =
        credence_service::Actor::from_operator(&credence_service::Operator::local_command_line())
            .operator()
            .expect("the operator");
    registry
        .with_operator(&operator)
        .trust_body(&credence_domain::OrgSlug::new("hee").expect("a slug"), true)
        .await
        .expect("trust");
    let hee = registry
        .public()
        .org(&credence_domain::OrgSlug::new("hee").expect("a slug"))
        .await
        .expect("the body");
    registry
        .with_accrediting_body(&operator.issuer_for(&hee))
        .accredit("linchester-ics", &["foundational".to_owned()], None)
        .await
        .expect("accredit");

    let csv = "email,statement,level,date,reference\n\
               Ada@Example.org,T1-01,awareness,2026-01-10,RUN-1\n\
               ada@example.org,T1-01,awareness,2026-01-10,RUN-1\n\
               bo@example.org,T1-04,familiarity,2026-01-11,RUN-1\n\
               nobody@example.org,T1-01,awareness,2026-01-10,RUN-1\n\
               ada@example.org,T9-99,awareness,2026-01-10,RUN-1\n\
               ada@example.org,T1-02,proficiency,2026-01-10,RUN-1\n\
               ada@example.org,T1-02,awareness,2999-01-10,RUN-1\n";
    let path = format!("/api/v1/orgs/linchester-ics/imports?framework={FRAMEWORK}");
    let outcomes = |reply: &Reply| -> Vec<(u64, String)> {
        reply.json()["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| {
                (
                    r["row"].as_u64().unwrap_or(0),
                    r["outcome"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    };
    let expected = |first: &str, third: &str| {
        vec![
            (1, first.to_owned()),
            (2, "duplicate".to_owned()),
            (3, third.to_owned()),
            (4, "refused".to_owned()),
            (5, "refused".to_owned()),
            (6, "refused".to_owned()),
            (7, "refused".to_owned()),
        ]
    };

    let first = raw(&app, "POST", &path, "text/csv", csv.into(), &ian).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(outcomes(&first), expected("imported", "imported"));
    let report = first.json();
    assert_eq!(
        (
            report["imported"].clone(),
            report["duplicates"].clone(),
            report["refused"].clone()
        ),
        (json!(2), json!(1), json!(4))
    );
    assert_eq!(report["rows"][1]["messages"][0], "Already imported.");
    assert!(
        report["rows"][3]["messages"][0]
            .as_str()
            .unwrap_or("")
            .contains("No account"),
        "{}",
        report["rows"][3]
    );
    assert!(
        report["rows"][4]["messages"][0]
            .as_str()
            .unwrap_or("")
            .contains("statement"),
        "{}",
        report["rows"][4]
    );
    assert!(
        report["rows"][5]["messages"][0]
            .as_str()
            .unwrap_or("")
            .contains("level"),
        "{}",
        report["rows"][5]
    );
    assert!(
        report["rows"][6]["messages"][0]
            .as_str()
            .unwrap_or("")
            .contains("future"),
        "{}",
        report["rows"][6]
    );

    // A rerun of the same file creates nothing.
    let again = raw(&app, "POST", &path, "text/csv", csv.into(), &ian).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(outcomes(&again), expected("duplicate", "duplicate"));
    assert_eq!(again.json()["imported"], 0);

    // Ada's imported evidence is attested, from the provider, with its history.
    let mine = app.call("GET", "/api/v1/evidence", None, &ada).await.json();
    let items = mine["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["status"], "attested");
    assert_eq!(items[0]["source"], "import");
    assert_eq!(items[0]["kind"], "course-completion");
    assert_eq!(items[0]["external_ref"], "RUN-1");
    assert_eq!(items[0]["org"], "linchester-ics");
    let id = items[0]["id"].as_str().expect("an id");
    let detail = app
        .call("GET", &format!("/api/v1/evidence/{id}"), None, &ada)
        .await
        .json();
    assert_eq!(detail["history"][0]["decision"], "attested");
    assert_eq!(detail["history"][0]["level"], "awareness");
    let progress = app
        .call(
            "GET",
            &format!("/api/v1/progress/{FRAMEWORK}/foundational"),
            None,
            &ada,
        )
        .await
        .json();
    assert_eq!(progress["met"], 1);

    let admin = app.token("linchester-ics", "admin").await;
    let trail = app
        .call("GET", "/api/v1/orgs/linchester-ics/audit", None, &admin)
        .await
        .json();
    let imports: Vec<&Value> = trail["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter(|e| e["action"] == "evidence.import")
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(imports.len(), 2);
    assert_eq!(imports[0]["detail"]["imported"], 0);
    assert_eq!(imports[1]["detail"]["imported"], 2);

    // Refusals: not a provider, not an issuer, not CSV, a file that cannot be read.
    let employer = raw(
        &app,
        "POST",
        &format!("/api/v1/orgs/st-elsewhere/imports?framework={FRAMEWORK}"),
        "text/csv",
        csv.into(),
        &ian,
    )
    .await;
    assert_eq!(employer.status, StatusCode::FORBIDDEN, "{}", employer.body);
    let unaccredited = raw(
        &app,
        "POST",
        &format!("/api/v1/orgs/hilltop-college/imports?framework={FRAMEWORK}"),
        "text/csv",
        csv.into(),
        &ian,
    )
    .await;
    assert_eq!(
        unaccredited.status,
        StatusCode::FORBIDDEN,
        "{}",
        unaccredited.body
    );
    assert!(
        unaccredited.body.contains("accreditation"),
        "{}",
        unaccredited.body
    );
    let not_issuer = raw(&app, "POST", &path, "text/csv", csv.into(), &assessor).await;
    assert_eq!(
        not_issuer.status,
        StatusCode::FORBIDDEN,
        "{}",
        not_issuer.body
    );
    let anonymous = raw(&app, "POST", &path, "text/csv", csv.into(), &Auth::None).await;
    assert_eq!(
        anonymous.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        anonymous.body
    );
    let json_body = raw(
        &app,
        "POST",
        &path,
        "application/json",
        b"{}".to_vec(),
        &ian,
    )
    .await;
    assert_eq!(
        json_body.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        json_body.body
    );
    let bad_header = raw(
        &app,
        "POST",
        &path,
        "text/csv",
        b"name,when\nx,y\n".to_vec(),
        &ian,
    )
    .await;
    assert_eq!(
        bad_header.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        bad_header.body
    );
    let too_big = raw(
        &app,
        "POST",
        &path,
        "text/csv",
        vec![b'a'; 1024 * 1024 + 1],
        &ian,
    )
    .await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
}

/// Per-account quotas: evidence records and attachment bytes are refused past them (413,
/// saying what is used), nothing is stored by a refusal, and operators see the usage.
#[tokio::test]
async fn storage_quotas_refuse_past_the_limit_and_operators_see_usage() {
    let db = std::sync::Arc::new(crate::support::TestDb::new().await);
    let app = TestApp::over_with(db.clone(), db.store().await, |base| {
        let mut config = credence_service::RegistryConfig::for_tests(base).expect("settings");
        config.quotas = credence_service::Quotas {
            evidence_records: 2,
            attachment_bytes: 10_000,
        };
        config
    })
    .await;
    let auth = app.holder("quota@evidence.test", "Quota").await;
    let first = record(&app, &auth, evidence("T1-01", "awareness")).await;
    record(&app, &auth, evidence("T1-02", "awareness")).await;
    let third = app
        .call(
            "POST",
            "/api/v1/evidence",
            Some(evidence("T1-03", "awareness")),
            &auth,
        )
        .await;
    assert_eq!(
        third.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        third.body
    );
    assert!(
        third.body.contains("2 pieces of evidence"),
        "{}",
        third.body
    );
    let path = format!("/api/v1/evidence/{first}/attachments?name=notes.txt");
    let ok = raw(&app, "POST", &path, "text/plain", vec![b'a'; 6_000], &auth).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    let over = raw(&app, "POST", &path, "text/plain", vec![b'b'; 6_000], &auth).await;
    assert_eq!(over.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", over.body);
    assert!(over.body.contains("used"), "{}", over.body);
    let operator =
        credence_service::Actor::from_operator(&credence_service::Operator::local_command_line())
            .operator()
            .expect("the operator");
    let usage = app
        .services
        .registry
        .with_operator(&operator)
        .storage_usage(5)
        .await
        .expect("usage");
    let mine = usage
        .iter()
        .find(|u| u.email == "quota@evidence.test")
        .expect("listed");
    assert_eq!(mine.usage.evidence, 2);
    assert_eq!(mine.usage.attachment_bytes, 6_000);
    assert_eq!(usage[0].email, "quota@evidence.test", "the largest first");
}

/// One piece of evidence waits per statement and level: submitting a second is refused with
/// what to do instead, and nothing changes.
#[tokio::test]
async fn a_second_submission_for_the_same_statement_and_level_is_refused() {
    let app = TestApp::new().await;
    app.org("dup-ics", "provider", "key").await;
    let auth = app.holder("dup@evidence.test", "Dup").await;
    let first = record(&app, &auth, evidence("T1-01", "awareness")).await;
    let second = record(&app, &auth, evidence("T1-01", "awareness")).await;
    let other_level = record(&app, &auth, evidence("T1-01", "familiarity")).await;
    submit(&app, &auth, &first, "dup-ics").await;
    let reply = app
        .call(
            "POST",
            &format!("/api/v1/evidence/{second}/submit"),
            Some(json!({"org": "dup-ics"})),
            &auth,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert!(
        reply.body.contains("already waiting for an assessor"),
        "{}",
        reply.body
    );
    let still = app
        .call("GET", &format!("/api/v1/evidence/{second}"), None, &auth)
        .await;
    assert_eq!(still.json()["status"], "draft");
    submit(&app, &auth, &other_level, "dup-ics").await;
}
