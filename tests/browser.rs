//! Pages in a real browser: headless Chromium loads them from a loopback server, and the
//! test reads the DOM it built and keeps a screenshot. Set `CREDENCE_CHROMIUM` to use
//! another binary; the suite fails when no browser is installed (CI installs Debian's).

use std::path::PathBuf;
use std::process::Command;

use crate::support::TestApp;

pub(crate) fn chromium() -> String {
    std::env::var("CREDENCE_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

/// Runs headless Chromium with `args` and returns its standard output.
fn run_chromium(args: &[String]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} ({e}); install Debian's chromium", chromium()));
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Where screenshots are kept: `target/screenshots`, so a person can look at them.
pub(crate) fn screenshot_path(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Loads `url` in the browser, checks the rendered DOM with `check`, and saves a
/// screenshot at the given window size.
pub(crate) fn check_page(url: &str, shot: &str, size: &str, check: impl Fn(&str)) {
    let dom = run_chromium(&["--dump-dom".into(), url.into()]);
    check(&dom);
    let path = screenshot_path(shot);
    let _ = std::fs::remove_file(&path);
    run_chromium(&[
        format!("--screenshot={}", path.display()),
        format!("--window-size={size}"),
        url.into(),
    ]);
    let bytes = std::fs::read(&path).expect("the screenshot was written");
    assert!(bytes.starts_with(b"\x89PNG"), "not a PNG");
    assert!(bytes.len() > 10_000, "suspiciously small screenshot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn framework_pages_render_in_chromium() {
    let app = TestApp::new().await;
    let base = app.serve().await;
    let framework = format!("{base}/frameworks/nhs-ai-confidence-2022");
    tokio::task::spawn_blocking(move || {
        check_page(&framework, "framework-desktop.png", "1280,2200", |dom| {
            assert_eq!(dom.matches("class=\"statement\"").count(), 242);
            assert!(dom.contains("<h1>Developing healthcare workers' confidence in AI</h1>"));
        });
        check_page(&framework, "framework-phone.png", "390,1600", |dom| {
            assert!(dom.contains("Skip to content"));
        });
        let pathway = format!("{framework}/pathways/advanced-embedder");
        check_page(&pathway, "pathway-embedder.png", "1280,1800", |dom| {
            assert_eq!(dom.matches("class=\"statement\"").count(), 46);
            assert_eq!(dom.matches("id=\"question-A6-").count(), 25);
        });
    })
    .await
    .unwrap();
}

/// A person of the journey: an account with a password the browser types.
async fn person(app: &TestApp, email: &str, name: &str) -> serde_json::Value {
    app.holder(email, name).await;
    serde_json::json!({"email": email, "password": "correct horse battery staple"})
}

/// The journey, in Chromium: a holder records evidence, an assessor attests, an
/// issuer awards, the holder publishes a portfolio and downloads a baked PNG, a visitor
/// verifies the PNG (valid), the issuer revokes, the visitor sees it revoked. Every key
/// page passes axe-core's WCAG 2.2 AA rules and no page breaks its Content-Security-Policy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_journey_in_chromium() {
    let app = TestApp::new().await;
    let base = app.serve().await;
    app.org("journey-ics", "provider", "web").await;
    let holder = person(&app, "holder@journey.test", "Journey Holder").await;
    let assessor = person(&app, "assessor@journey.test", "Ada Assessor").await;
    let issuer = person(&app, "issuer@journey.test", "Ian Issuer").await;
    app.grant("journey-ics", "assessor@journey.test", "assessor")
        .await;
    app.grant("journey-ics", "issuer@journey.test", "issuer")
        .await;
    let token = app.token("journey-ics", "issuer").await;
    let reply = app
        .call(
            "POST",
            "/api/v1/orgs/journey-ics/achievements",
            Some(serde_json::json!({"pathway": "foundational"})),
            &token,
        )
        .await;
    assert_eq!(
        reply.status,
        axum::http::StatusCode::CREATED,
        "{}",
        reply.body
    );
    // Every foundational statement but the last is attested already; the browser records,
    // submits and attests T1-30, which completes the pathway.
    let holder_auth = app
        .sign_in("holder@journey.test", "correct horse battery staple")
        .await;
    let me = app.call("GET", "/api/v1/me", None, &holder_auth).await;
    let holder_id = me.json()["id"].as_str().expect("an id").to_owned();
    crate::registry_awards::attest_foundational(&app, &holder_id, 29).await;

    let screenshots = screenshot_path("journey").parent().unwrap().to_path_buf();
    let brief = serde_json::json!({
        "base": base,
        "chromium": chromium(),
        "screenshots": screenshots,
        "org": "journey-ics",
        "statement": "T1-30",
        "level": "awareness",
        "holder": holder,
        "assessor": assessor,
        "issuer": issuer,
    });
    let report = tokio::task::spawn_blocking(move || {
        crate::support::js_harness().run_script("journey.mjs", &[], &brief)
    })
    .await
    .unwrap();
    assert_eq!(report["ok"], true, "the journey broke: {report:#}");
    let axe = report["axe"].as_object().expect("axe results");
    assert!(axe.len() >= 12, "every key page is checked: {axe:#?}");
    let failing: Vec<_> = axe
        .iter()
        .filter(|(_, v)| !v.as_array().is_some_and(Vec::is_empty))
        .collect();
    assert!(failing.is_empty(), "accessibility violations: {failing:#?}");
    assert_eq!(report["cspErrors"], serde_json::json!([]), "{report:#}");

    // The signed credential names the address the server answers on (not a default port),
    // and what it links to answers there.
    let named = |key: &str| report[key].as_str().unwrap_or_default().to_owned();
    assert!(named("credentialId").starts_with(&base), "{report:#}");
    assert!(named("statusListUrl").starts_with(&base), "{report:#}");
    assert!(
        report["images"].as_u64().is_some_and(|n| n >= 2),
        "{report:#}"
    );
    assert_eq!(report["brokenImages"], serde_json::json!([]), "{report:#}");
    assert_eq!(report["statusListStatus"], 200, "{report:#}");
    assert_eq!(report["issuerPageStatus"], 200, "{report:#}");
    // Three verdicts: a wrong e-mail address is a warning said first, not "every check passed".
    assert_eq!(
        report["mismatchVerdict"], "Verified, with warnings",
        "{report:#}"
    );
    assert!(
        named("mismatchSentence").starts_with("The e-mail address you gave is not"),
        "{report:#}"
    );
    // A revoked verdict gives the issuer's reason.
    let lines = report["revokedLines"].to_string();
    assert!(
        lines.contains("Awarded in error during the journey test."),
        "{report:#}"
    );
    // Only the actions that apply, and LinkedIn only while public and active.
    let choices = report["statusChoices"].to_string();
    assert!(choices.contains("Revoke"), "{report:#}");
    assert!(
        !choices.contains("Reinstate"),
        "an active award cannot be reinstated: {report:#}"
    );
    assert_eq!(report["linkedinWhenActive"], 1, "{report:#}");
    assert_eq!(report["linkedinWhenRevoked"], 0, "{report:#}");
    // The issuer finds the award among the organisation's by its recipient's name.
    let rows = report["foundRows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{report:#}");
    assert!(rows[0].to_string().contains("Journey Holder"), "{report:#}");
    assert!(
        rows[0].to_string().contains("holder@journey.test"),
        "{report:#}"
    );
    // Landing by role, phone width, print.
    assert!(
        named("assessorLanding").contains("Waiting for you"),
        "{report:#}"
    );
    assert!(
        report["phoneScrollWidth"]
            .as_u64()
            .is_some_and(|w| w <= 390),
        "{report:#}"
    );
    let printed = report["printedAddresses"].to_string();
    assert!(
        printed.contains(&format!("{base}/credentials/")),
        "{report:#}"
    );
    assert!(
        report["printedPages"]
            .as_u64()
            .is_some_and(|n| (1..=2).contains(&n)),
        "the printed portfolio is compact: {report:#}"
    );
}

/// A bulk job's page opened while the job runs reaches "Finished" by itself: its script
/// polls the job under the Content-Security-Policy (`connect-src 'self'`) and shows the
/// result without anyone reloading. The test holds the job back until the page is open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_jobs_page_follows_the_job_to_the_end() {
    use credence_documents::BulkFormat;
    use credence_service::{Actor, Operator};

    let app = TestApp::new().await;
    let base = app.serve().await;
    app.org("bulk-ics", "provider", "web").await;
    let issuer = person(&app, "issuer@bulk.test", "Isla Issuer").await;
    app.grant("bulk-ics", "issuer@bulk.test", "issuer").await;
    let done = app.holder("done@bulk.test", "Dee Done").await;
    let me = app.call("GET", "/api/v1/me", None, &done).await;
    let done_id = me.json()["id"].as_str().expect("an id").to_owned();
    crate::registry_awards::attest_foundational(&app, &done_id, 30).await;
    let token = app.token("bulk-ics", "issuer").await;
    let created = app
        .call(
            "POST",
            "/api/v1/orgs/bulk-ics/achievements",
            Some(serde_json::json!({"pathway": "foundational"})),
            &token,
        )
        .await;
    let achievement = created.json()["id"].as_str().expect("an id").to_owned();

    // The job is recorded now and run only once the browser shows it in progress.
    let registry = app.services.registry.clone();
    let org = registry
        .public()
        .org("bulk-ics")
        .await
        .expect("the organisation");
    let operator = Actor::from_operator(&Operator::local_command_line())
        .operator()
        .expect("the local operator");
    let csv = "key,email\nb-1,done@bulk.test\nb-2,nobody@bulk.test\n";
    let work = registry
        .with_issuer(&operator.issuer_for(&org))
        .create_bulk_job(&achievement, csv, BulkFormat::Csv)
        .await
        .expect("a job");
    let job_path = format!("/console/bulk-ics/bulk/{}", work.job.id);
    let signal_dir = tempfile::tempdir().unwrap();
    let signal = signal_dir.path().join("page-open");
    let brief = serde_json::json!({
        "base": base,
        "chromium": chromium(),
        "screenshots": screenshot_path("bulk").parent().unwrap(),
        "job_path": job_path,
        "signal": signal,
        "issuer": issuer,
    });
    let browser = tokio::task::spawn_blocking(move || {
        crate::support::js_harness().run_script("bulk_progress.mjs", &[], &brief)
    });
    let mut open = false;
    for _ in 0..600 {
        if signal.exists() {
            open = true;
            break;
        }
        if browser.is_finished() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    if open {
        registry
            .with_issuer(&operator.issuer_for(&org))
            .run_bulk_job(work, &|_, _| {})
            .await
            .expect("the job runs");
    }
    let report = browser.await.unwrap();
    assert_eq!(report["ok"], true, "{report:#}");
    assert_eq!(report["before"], "In progress", "{report:#}");
    assert_eq!(report["after"], "Finished", "{report:#}");
    assert_eq!(report["rows"], 2, "every row is listed: {report:#}");
    assert_eq!(report["cspErrors"], serde_json::json!([]), "{report:#}");
}

/// The password reset in Chromium: "Forgotten your password?" on the sign-in page,
/// the e-mail from a real SMTP server, the link, the new password, signing in with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_password_is_reset_through_the_emailed_link_in_chromium() {
    let sink = crate::smtp_sink::SmtpSink::start();
    let store_db = std::sync::Arc::new(crate::support::TestDb::new().await);
    let store = store_db.store().await;
    let mail = credence_service::mail::MailSettings {
        smtp: Some(credence_mail::SmtpSender::from_url(&sink.url()).expect("a server")),
        ..credence_service::mail::MailSettings::outbox_only(
            credence_mail::Sender::parse("Credence <no-reply@credence.test>").expect("a sender"),
        )
    };
    let app = TestApp::over_with(store_db, store, move |base| {
        credence_service::RegistryConfig {
            mail,
            ..credence_service::RegistryConfig::for_tests(base).expect("settings")
        }
    })
    .await;
    let worker = app
        .services
        .registry
        .spawn_mail_delivery()
        .expect("a worker");
    let base = app.serve().await;
    person(&app, "rosalind@reset.test", "Rosalind Franklin").await;
    let signals = tempfile::tempdir().unwrap();
    let asked = signals.path().join("asked");
    let link_file = signals.path().join("link");
    let brief = serde_json::json!({
        "base": base,
        "chromium": chromium(),
        "screenshots": screenshot_path("reset").parent().unwrap(),
        "email": "rosalind@reset.test",
        "newPassword": "photograph fifty-one 1952",
        "asked": asked,
        "linkFile": link_file,
    });
    let browser = tokio::task::spawn_blocking(move || {
        crate::support::js_harness().run_script("password_reset.mjs", &[], &brief)
    });
    for _ in 0..600 {
        if asked.exists() || browser.is_finished() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    if asked.exists() {
        let mail = sink.wait_for(1).await;
        let link = mail
            .first()
            .and_then(|m| m.link(&format!("{base}/password/reset/")))
            .expect("a reset link arrived");
        std::fs::write(&link_file, link).unwrap();
    }
    let report = browser.await.unwrap();
    worker.abort();
    assert_eq!(report["ok"], true, "{report:#}");
    assert!(
        report["asked"]
            .as_str()
            .unwrap_or("")
            .contains("rosalind@reset.test"),
        "{report:#}"
    );
    assert!(
        report["notice"]
            .as_str()
            .unwrap_or("")
            .contains("Your password is changed"),
        "{report:#}"
    );
    assert_eq!(report["dashboard"], true);
    assert_eq!(report["reused"], "This link no longer works", "{report:#}");
    assert_eq!(sink.received().len(), 1, "one message");
    for page in ["forgot", "asked", "choose", "signin"] {
        assert_eq!(
            report["axe"][page],
            serde_json::json!([]),
            "axe on {page}: {report:#}"
        );
    }
    assert!(report["overflow"].is_null(), "{report:#}");
    assert_eq!(report["cspErrors"], serde_json::json!([]), "{report:#}");
}
