//! What expires, in Chromium: the holder's dashboard lists the credential that expires soon
//! (with what renewal needs) and the one that expired, the issuer reaches the console's
//! expiry list from its navigation, both pass axe-core's WCAG 2.2 AA rules within their
//! Content-Security-Policy, and screenshots are kept in `target/screenshots/expiring-*.png`.

use axum::http::StatusCode;
use chrono::Duration;
use serde_json::json;

use crate::browser::{chromium, screenshot_path};
use crate::registry_awards::award;
use crate::reminders::{awarded, expiring_achievement};
use crate::support::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboards_expiring_section_in_chromium() {
    let app = TestApp::new().await;
    let base = app.serve().await;
    let slug = "browser-expiry";
    let (issuer, achievement) = expiring_achievement(&app, slug, 45).await;
    let (_, soon) = awarded(
        &app,
        slug,
        &issuer,
        &achievement,
        "ada@expiry.test",
        "Ada Lovelace",
    )
    .await;
    // An earlier award of Ada's that expired 5 days ago (not renewed).
    let from = (chrono::Utc::now() - Duration::days(50)).to_rfc3339();
    let old = award(
        &app,
        slug,
        &issuer,
        json!({"achievement": achievement, "email": "ada@expiry.test", "valid_from": from}),
    )
    .await;
    assert_eq!(old.status, StatusCode::CREATED, "{}", old.body);
    let old = old.json()["award"]["id"].as_str().expect("id").to_owned();
    app.holder("ivy@expiry.test", "Ivy Issuer").await;
    app.grant(slug, "ivy@expiry.test", "issuer").await;

    let password = "correct horse battery staple";
    let brief = json!({
        "base": base,
        "chromium": chromium(),
        "screenshots": screenshot_path("expiring").parent().expect("a folder"),
        "holder": {"email": "ada@expiry.test", "password": password},
        "issuer": {"email": "ivy@expiry.test", "password": password},
        "org": slug,
    });
    let report = tokio::task::spawn_blocking(move || {
        crate::support::js_harness().run_script("expiring.mjs", &[], &brief)
    })
    .await
    .expect("the browser ran");
    assert_eq!(report["ok"], true, "{report:#}");
    assert_eq!(report["section"], "Expiring soon");
    let items = report["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "{report:#}");
    // The expired one first (soonest), then the one expiring in 45 days.
    assert_eq!(items[0]["link"], format!("/credentials/{old}"));
    assert_eq!(items[0]["tag"], "expired 5 days ago");
    assert_eq!(items[1]["link"], format!("/credentials/{soon}"));
    assert_eq!(items[1]["tag"], "expires in 45 days");
    assert!(
        items[1]["text"].as_str().unwrap_or_default().contains(
            "To renew it, ask Organisation browser-expiry to award it again as a renewal"
        ),
        "{report:#}"
    );
    assert_eq!(
        report["console"],
        json!(["Expiring", "Expired"]),
        "{report:#}"
    );
    for page in ["dashboard", "console"] {
        assert_eq!(report["axe"][page], json!([]), "axe on {page}: {report:#}");
    }
    assert!(report["overflow"].is_null(), "{report:#}");
    assert_eq!(report["cspErrors"], json!([]), "{report:#}");
}
