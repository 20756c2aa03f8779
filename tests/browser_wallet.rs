//! A holder offers a credential to a wallet, in Chromium: the credential's page has the
//! "Offer to a wallet" button, the answer shows the QR code (an SVG image with alt text),
//! the `openid-credential-offer://` link, its expiry and the transaction code, both pages
//! pass axe-core within their Content-Security-Policy (screenshots in
//! `target/screenshots/wallet-*.png`), and the npm wallet client then redeems the link.

use serde_json::json;

use crate::browser::{chromium, screenshot_path};
use crate::oid4vci::{holder_with_award, wallet_takes};
use crate::support::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_holder_offers_a_credential_to_a_wallet_in_chromium() {
    let app = TestApp::new().await;
    let base = app.serve().await;
    let (_, _, award) = holder_with_award(&app, "browser-wallet").await;
    let brief = json!({
        "base": base,
        "chromium": chromium(),
        "screenshots": screenshot_path("wallet").parent().expect("a folder"),
        "holder": {"email": "ada@example.org", "password": "correct horse battery staple"},
        "award": award,
    });
    let report = tokio::task::spawn_blocking(move || {
        crate::support::js_harness().run_script("wallet.mjs", &[], &brief)
    })
    .await
    .expect("the browser ran");
    assert_eq!(report["ok"], true, "{report:#}");
    assert_eq!(report["qr"]["svg"], true, "{report:#}");
    assert!(
        report["qr"]["width"].as_u64().unwrap_or(0) >= 300,
        "{report:#}"
    );
    let link = report["link"].as_str().expect("the offer link");
    assert!(
        link.starts_with("openid-credential-offer://?credential_offer="),
        "{link}"
    );
    let tx_code = report["tx_code"].as_str().expect("the code");
    assert_eq!(tx_code.len(), 6, "{report:#}");
    assert!(
        report["expires"]
            .as_str()
            .unwrap_or_default()
            .contains("UTC"),
        "{report:#}"
    );
    for page in ["credential", "offer"] {
        assert_eq!(report["axe"][page], json!([]), "axe on {page}: {report:#}");
    }
    assert!(report["overflow"].is_null(), "{report:#}");
    assert_eq!(report["cspErrors"], json!([]), "{report:#}");

    // The wallet takes what the browser showed.
    let taken = wallet_takes(link, Some(tx_code), "key").await;
    assert_eq!(
        taken["credential"]["credentialSubject"]["id"], taken["holder_did"],
        "{taken:#}"
    );
}
