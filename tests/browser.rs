//! Pages in a real browser: headless Chromium loads them from a loopback server, and the
//! test reads the DOM it built and keeps a screenshot. Set `CREDENCE_CHROMIUM` to use
//! another binary; the suite fails when no browser is installed (CI installs Debian's).

use std::path::PathBuf;
use std::process::Command;

use crate::support::TestApp;

fn chromium() -> String {
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
fn screenshot_path(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Loads `url` in the browser, checks the rendered DOM with `check`, and saves a
/// screenshot at the given window size.
fn check_page(url: &str, shot: &str, size: &str, check: impl Fn(&str)) {
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
