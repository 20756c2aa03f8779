//! Subsumption by topic, through the service and the web: a holder's attested evidence for
//! one statement meets a lower requirement of another statement of the same topic, a
//! Proficiency skill meets an Understanding requirement of its topic (the report's lines
//! 795 and 797), lower evidence never meets a higher requirement, and another topic never
//! counts; the progress JSON and the dashboard say where the evidence came from. The
//! framework page shows the rules, Figure A1 and the topics.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{json, Value};

use crate::support::{Auth, TestApp};

const FRAMEWORK: &str = "nhs-ai-confidence-2022";

/// Records, submits and has attested one piece of evidence at `level`.
async fn attested(app: &TestApp, holder: &Auth, assessor: &Auth, statement: &str, level: &str) {
    let body = json!({
        "kind": "reflective-account",
        "narrative": format!("What I did for {statement}."),
        "date": "2026-03-01",
        "provider": "Linchester ICS",
        "framework": FRAMEWORK,
        "statement": statement,
        "level": level,
    });
    let reply = app
        .call("POST", "/api/v1/evidence", Some(body), holder)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let id = reply.json()["id"].as_str().expect("an id").to_owned();
    let reply = app
        .call(
            "POST",
            &format!("/api/v1/evidence/{id}/submit"),
            Some(json!({"org": "topics-org"})),
            holder,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let reply = app
        .call(
            "POST",
            &format!("/api/v1/evidence/{id}/decision"),
            Some(json!({"decision": "attest", "level": level, "comment": "Seen."})),
            assessor,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

/// The requirement `code` of the progress JSON, met or missing.
fn requirement<'a>(progress: &'a Value, code: &str) -> &'a Value {
    ["met_statements", "missing_statements"]
        .iter()
        .flat_map(|k| progress[k].as_array().into_iter().flatten())
        .find(|r| r["statement"] == code)
        .unwrap_or_else(|| panic!("{code} in {progress}"))
}

async fn html(app: &TestApp, path: &str, auth: &Auth) -> String {
    let mut request = Request::get(path).header("accept", "text/html");
    if let Auth::Session { cookie, .. } = auth {
        request = request.header("cookie", format!("credence_session={cookie}"));
    }
    let reply = app
        .request(request.body(Body::empty()).expect("a request"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    reply.body
}

#[tokio::test]
async fn evidence_counts_for_every_statement_of_its_topic_by_the_level_rules() {
    let app = TestApp::new().await;
    app.org("topics-org", "healthcare-setting", "key").await;
    let ada = app.holder("ada@example.org", "Ada").await;
    let asa = app.holder("asa@example.org", "Asa").await;
    app.grant("topics-org", "asa@example.org", "assessor").await;
    // A1-04: Understanding of CE/UKCA marking (Shapers); A5-14: Proficient in managing
    // clinical governance for SaMD (Embedders); A2-03: Familiarity with the limitations
    // of CE/UKCA marking (Drivers).
    attested(&app, &ada, &asa, "A1-04", "understanding").await;
    attested(&app, &ada, &asa, "A5-14", "proficiency").await;
    attested(&app, &ada, &asa, "A2-03", "familiarity").await;

    let driver = app
        .call(
            "GET",
            &format!("/api/v1/progress/{FRAMEWORK}/advanced-driver"),
            None,
            &ada,
        )
        .await;
    assert_eq!(driver.status, StatusCode::OK, "{}", driver.body);
    let driver = driver.json();
    // A2-01 (Familiarity with CE/UKCA marking) is met by Understanding of A1-04.
    let a2_01 = requirement(&driver, "A2-01");
    assert_eq!(
        (
            &a2_01["met"],
            &a2_01["held"],
            &a2_01["held_for"],
            &a2_01["held_through"]
        ),
        (
            &json!(true),
            &json!("understanding"),
            &json!("A1-04"),
            &json!("same-topic")
        )
    );
    assert_eq!(
        a2_01["explanation"],
        "Met by evidence for A1-04 at Understanding (same topic)"
    );
    // A2-04 (Understanding of clinical governance for SaMD) is met by Proficiency in it.
    let a2_04 = requirement(&driver, "A2-04");
    assert_eq!(a2_04["met"], true);
    assert_eq!(a2_04["held_through"], "other-taxonomy");
    assert_eq!(
        a2_04["explanation"],
        "Met by evidence for A5-14 at Proficiency (same topic; Proficiency implies Understanding, line 797)"
    );
    // A2-03 is met by its own evidence; A2-02 (classes of medical device) is another
    // topic and stays unmet.
    assert_eq!(
        requirement(&driver, "A2-03")["held_through"],
        "this-statement"
    );
    let a2_02 = requirement(&driver, "A2-02");
    assert_eq!(
        (&a2_02["met"], &a2_02["held"]),
        (&json!(false), &Value::Null)
    );
    assert_eq!(driver["met"], 3);

    // Familiarity with the limitations of CE/UKCA marking does not meet the Shapers'
    // Understanding of them (A1-06); the holder is told what was counted.
    let shaper = app
        .call(
            "GET",
            &format!("/api/v1/progress/{FRAMEWORK}/advanced-shaper"),
            None,
            &ada,
        )
        .await
        .json();
    let a1_06 = requirement(&shaper, "A1-06");
    assert_eq!(
        (&a1_06["met"], &a1_06["held"]),
        (&json!(false), &json!("familiarity"))
    );
    assert_eq!(
        a1_06["explanation"],
        "Not yet met: evidence for A2-03 at Familiarity (same topic)"
    );
    // A1-01 (Familiarity with clinical governance for SaMD) is met by the Proficiency.
    assert_eq!(requirement(&shaper, "A1-01")["met"], true);
    assert_eq!(shaper["met"], 2);

    // The dashboard shows why, in words, beside the picture.
    let dashboard = html(&app, "/dashboard", &ada).await;
    assert!(
        dashboard.contains(
            "A2-01 (Familiarity): Met by evidence for A1-04 at Understanding (same topic)"
        ),
        "{dashboard}"
    );
    assert!(dashboard.contains("counted from evidence for another statement of the same topic"));
}

#[tokio::test]
async fn the_framework_page_shows_the_rules_figure_a1_and_the_topics() {
    let app = TestApp::new().await;
    let page = html(&app, &format!("/frameworks/{FRAMEWORK}"), &Auth::None).await;
    for expected in [
        // The rule of line 797, as data.
        "<strong>Applied:</strong> Proficiency evidence meets a requirement at Understanding (and below) of the same topic <span class=\"where\">line 797</span>",
        // Figure A1 as a table, with its footnotes and the note of line 1650.
        "<caption>Figure A1: Workforce archetypes and needs for advanced AI education",
        "<th scope=\"col\">Users*</th>",
        "<th scope=\"rowgroup\" colspan=\"6\">Clinical use**</th>",
        "Not all users will require education in these areas",
        "The requirements are collective rather than individual.",
        // A topic with its reason and its statements' lines.
        "id=\"topic-ce-ukca-marking\"",
        "<span class=\"code\">A2-01</span>",
        "Table A2 · line 1819",
        // A statement's marker and topic.
        "marked +",
        "#topic-ce-ukca-marking\">CE/UKCA marking and obtaining certification</a>",
    ] {
        assert!(page.contains(expected), "{expected}");
    }
    // Interface with patients: only Users are ticked, and every cell says so in words.
    let row = page
        .split("<th scope=\"row\">Interface with patients")
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .expect("the row");
    assert_eq!(row.matches("not needed").count(), 4, "{row}");
    assert_eq!(row.matches("✓").count(), 1, "{row}");

    // The JSON document carries the same data.
    let doc = app
        .call(
            "GET",
            &format!("/frameworks/{FRAMEWORK}"),
            None,
            &Auth::None,
        )
        .await
        .json();
    assert_eq!(
        doc["taxonomies"][1]["levels"][1]["implies"],
        json!([{"level": "understanding", "source_line": 797}])
    );
    assert_eq!(doc["figure_a1"]["rows"].as_array().map(Vec::len), Some(12));
}
