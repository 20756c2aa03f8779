//! The framework pages and their JSON, health probes, errors and response headers.

use crate::support::TestApp;

const NHS: &str = "/frameworks/nhs-ai-confidence-2022";

#[tokio::test]
async fn probes_answer() {
    let app = TestApp::new().await;
    let health = app.get("/healthz", "*/*").await;
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");
    let ready = app.get("/readyz", "*/*").await;
    assert_eq!(ready.status, 200, "{}", ready.body);
    assert_eq!(ready.json()["database"], "reachable");
}

#[tokio::test]
async fn frameworks_are_listed_as_html_and_json() {
    let app = TestApp::new().await;
    let page = app.get("/frameworks", "text/html").await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").starts_with("text/html"));
    assert!(
        page.body
            .contains("Developing healthcare workers&#39; confidence in AI"),
        "{}",
        page.body
    );

    let json = app.get("/frameworks", "application/json").await;
    assert_eq!(json.status, 200);
    let list = json.json();
    assert_eq!(list["frameworks"][0]["slug"], "nhs-ai-confidence-2022");
    assert_eq!(list["frameworks"][0]["version"], "1.1.0");
}

#[tokio::test]
async fn the_framework_page_shows_every_statement_grouped() {
    let app = TestApp::new().await;
    let page = app
        .get(NHS, "text/html,application/xhtml+xml,*/*;q=0.8")
        .await;
    assert_eq!(page.status, 200);
    assert_eq!(page.body.matches("class=\"statement\"").count(), 242);
    for heading in [
        "AI literacy",
        "Governance",
        "Implementation",
        "Clinical use",
        "Regulation and standards",
        "Interface with patients",
        "Shaper",
        "Embedder",
        "Advanced AI education for Drivers",
    ] {
        assert!(page.body.contains(heading), "missing {heading}");
    }
    // Anomalies are shown with their decisions.
    assert!(page.body.contains("id=\"ANOM-02\""));
    assert!(page.body.contains("Decision:"));
}

#[tokio::test]
async fn the_framework_json_is_the_document() {
    let app = TestApp::new().await;
    let reply = app.get(NHS, "application/json").await;
    assert_eq!(reply.status, 200);
    assert!(reply.header("content-type").starts_with("application/json"));
    let doc = reply.json();
    assert_eq!(doc["statements"].as_array().map(Vec::len), Some(242));
    assert_eq!(doc["questions"].as_array().map(Vec::len), Some(65));
    let a4_50 = doc["statements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "A4-50")
        .unwrap();
    assert_eq!(a4_50["level"], serde_json::Value::Null);
    assert_eq!(a4_50["table"], "Table A4");
}

#[tokio::test]
async fn pathway_pages_list_requirements_and_questions() {
    let app = TestApp::new().await;
    for (code, statements, questions) in [
        ("foundational", 30, 0),
        ("advanced-shaper", 33, 0),
        ("advanced-driver", 35, 40),
        ("advanced-creator", 52, 0),
        ("advanced-embedder", 46, 25),
        ("advanced-user", 26, 0),
        ("product-specific", 20, 0),
    ] {
        let path = format!("{NHS}/pathways/{code}");
        let page = app.get(&path, "text/html").await;
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(
            page.body.matches("class=\"statement\"").count(),
            statements,
            "{path}"
        );
        assert_eq!(
            page.body.matches("id=\"question-").count(),
            questions,
            "{path}"
        );

        let json = app.get(&path, "application/json").await.json();
        assert_eq!(
            json["statements"].as_array().map(Vec::len),
            Some(statements),
            "{path}"
        );
        assert_eq!(
            json["questions"].as_array().map(Vec::len),
            Some(questions),
            "{path}"
        );
        assert_eq!(json["pathway"]["code"], code);
    }
}

/// Checks that `path` answers `status` with a problem document whose detail mentions `detail`.
async fn check_problem(app: &TestApp, path: &str, status: u16, detail: &str) {
    let reply = app.get(path, "*/*").await;
    assert_eq!(reply.status, status, "{path}: {}", reply.body);
    assert_eq!(
        reply.header("content-type"),
        "application/problem+json",
        "{path}"
    );
    let problem = reply.json();
    assert_eq!(problem["status"], status, "{path}");
    let text = problem["detail"].as_str().unwrap_or_default();
    assert!(text.contains(detail), "{path}: {text}");
}

#[tokio::test]
async fn unknown_things_are_problems() {
    let app = TestApp::new().await;
    check_problem(
        &app,
        "/frameworks/no-such-framework",
        404,
        "framework 'no-such-framework'",
    )
    .await;
    check_problem(
        &app,
        "/frameworks/Not%20A%20Slug",
        404,
        "not a valid framework slug",
    )
    .await;
    check_problem(&app, &format!("{NHS}?version=9.9"), 404, "version '9.9'").await;
    check_problem(
        &app,
        &format!("{NHS}/pathways/advanced-wizard"),
        404,
        "no pathway 'advanced-wizard'",
    )
    .await;
    check_problem(
        &app,
        &format!("{NHS}/pathways/BAD!"),
        404,
        "not a valid pathway code",
    )
    .await;
    check_problem(&app, "/no/such/page", 404, "/no/such/page").await;
    check_problem(&app, "/static/../../etc/passwd", 404, "").await;
}

#[tokio::test]
async fn browsers_get_error_pages() {
    let app = TestApp::new().await;
    let reply = app
        .get("/frameworks/no-such-framework", "text/html,*/*;q=0.8")
        .await;
    assert_eq!(reply.status, 404);
    assert!(reply.header("content-type").starts_with("text/html"));
    assert!(reply.body.contains("Error 404"));
    assert!(reply.body.contains("no-such-framework"));
}

#[tokio::test]
async fn responses_carry_security_headers_and_escape_output() {
    let app = TestApp::new().await;
    let reply = app.get("/frameworks/%3Cscript%3E", "text/html").await;
    assert!(!reply.body.contains("<script>"), "{}", reply.body);
    let csp = reply.header("content-security-policy");
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(reply.header("x-content-type-options"), "nosniff");
    let css = app.get("/static/credence.css", "*/*").await;
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").starts_with("text/css"));
}

#[tokio::test]
async fn a_link_can_ask_for_json() {
    let app = TestApp::new().await;
    let reply = app.get(&format!("{NHS}?format=json"), "text/html").await;
    assert!(reply.header("content-type").starts_with("application/json"));
    assert_eq!(reply.json()["slug"], "nhs-ai-confidence-2022");
}
