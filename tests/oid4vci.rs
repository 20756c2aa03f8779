//! OpenID4VCI 1.0 (issue 20): a holder offers an award to a wallet from the credential's
//! page, an independent client (`@openid4vc/openid4vci`, in `js/oid4vci.mjs`) takes it by
//! the pre-authorized code flow with a transaction code, and the copy it receives, bound
//! to the wallet's DID, verifies with the Digital Bazaar stack and here, links to the
//! original, and can be revoked. Then the refusals: a second redemption, a wrong
//! transaction code (and too many), an expired offer, a proof with a wrong audience or
//! nonce, and an offer of someone else's or a revoked award.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use credence_vc::keys::SigningKey;
use serde_json::{json, Value};

use crate::pages::post_form;
use crate::registry_awards::{
    account_id, assert_all_pass, attest_foundational, award, issuer_setup, outcome, verify,
    FOUNDATIONAL,
};
use crate::support::{js_harness, Auth, Reply, TestApp};

const PRE_AUTHORIZED: &str = "urn:ietf:params:oauth:grant-type:pre-authorized_code";

/// An organisation (`did:key`, so the JavaScript verifier resolves its key offline), a
/// holder with a foundational award: (holder, issuer token, award id).
pub(crate) async fn holder_with_award(app: &TestApp, slug: &str) -> (Auth, Auth, String) {
    let (issuer, achievement) = issuer_setup(app, slug, "key").await;
    let ada = app.holder("ada@example.org", "Ada").await;
    let ada_id = account_id(app, &ada).await;
    attest_foundational(app, &ada_id, FOUNDATIONAL).await;
    let reply = award(
        app,
        slug,
        &issuer,
        json!({"achievement": achievement, "email": "ada@example.org"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let id = reply.json()["award"]["id"].as_str().unwrap().to_owned();
    (ada, issuer, id)
}

fn csrf(auth: &Auth) -> &str {
    match auth {
        Auth::Session { csrf, .. } => csrf,
        _ => "",
    }
}

/// HTML text with askama's escapes undone.
fn unescape(text: &str) -> String {
    text.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The text of the attribute `attr` of the element with `id` in a page.
fn attribute(page: &str, id: &str, attr: &str) -> Option<String> {
    let at = page.find(&format!("id=\"{id}\""))?;
    let tag_start = page[..at].rfind('<')?;
    let tag = &page[tag_start..tag_start + page[tag_start..].find('>')?];
    let start = tag.find(&format!(" {attr}=\""))? + attr.len() + 3;
    let len = tag[start..].find('"')?;
    Some(unescape(&tag[start..start + len]))
}

/// An offer made on the credential's page: (the offer link, the transaction code).
pub(crate) async fn offer(
    app: &TestApp,
    holder: &Auth,
    award: &str,
    with_tx_code: bool,
) -> (String, Option<String>) {
    let mut fields = vec![("csrf", csrf(holder))];
    if with_tx_code {
        fields.push(("tx_code", "yes"));
    }
    let reply = post_form(
        app,
        &format!("/credentials/{award}/wallet-offer"),
        &fields,
        holder,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let uri = attribute(&reply.body, "wallet-offer-uri", "value").expect("the offer link");
    assert!(reply.body.contains("id=\"wallet-offer-qr\""), "a QR code");
    let tx_code = reply.body.find("id=\"wallet-tx-code\">").map(|at| {
        let rest = &reply.body[at + "id=\"wallet-tx-code\">".len()..];
        rest[..rest.find('<').unwrap()].to_owned()
    });
    (uri, tx_code)
}

/// The credential offer object of an offer link.
fn offer_object(uri: &str) -> Value {
    let query = uri
        .strip_prefix("openid-credential-offer://?")
        .expect("an offer link");
    let (_, value) = url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "credential_offer")
        .expect("credential_offer");
    serde_json::from_str(&value).unwrap()
}

fn pre_authorized_code(uri: &str) -> String {
    offer_object(uri)["grants"][PRE_AUTHORIZED]["pre-authorized_code"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn token(app: &TestApp, code: &str, tx_code: Option<&str>) -> Reply {
    let mut body = format!(
        "grant_type={}&pre-authorized_code={code}",
        url_encode(PRE_AUTHORIZED)
    );
    if let Some(tx) = tx_code {
        body.push_str(&format!("&tx_code={tx}"));
    }
    let request = Request::post("/oid4vci/token")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    app.request(request).await
}

fn url_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn nonce(app: &TestApp) -> String {
    let reply = app.call("POST", "/oid4vci/nonce", None, &Auth::None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.header("cache-control"), "no-store");
    reply.json()["c_nonce"].as_str().unwrap().to_owned()
}

/// A key proof JWT signed by `key`, naming it by its did:key.
fn proof(key: &SigningKey, aud: &str, nonce: &str) -> String {
    let header = json!({
        "alg": "EdDSA",
        "typ": "openid4vci-proof+jwt",
        "kid": key.verifying_key().did_key_verification_method(),
    });
    let payload = json!({"aud": aud, "iat": chrono::Utc::now().timestamp(), "nonce": nonce});
    let h = URL_SAFE_NO_PAD.encode(header.to_string());
    let p = URL_SAFE_NO_PAD.encode(payload.to_string());
    let signature = key.sign(format!("{h}.{p}").as_bytes());
    format!("{h}.{p}.{}", URL_SAFE_NO_PAD.encode(signature))
}

async fn credential_request(app: &TestApp, access_token: Option<&str>, body: Value) -> Reply {
    let auth = access_token.map_or(Auth::None, |t| Auth::Token(t.to_owned()));
    app.call("POST", "/oid4vci/credential", Some(body), &auth)
        .await
}

fn error_of(reply: &Reply) -> String {
    reply.json()["error"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Runs the npm client against the served registry.
pub(crate) async fn wallet_takes(
    offer_uri: &str,
    tx_code: Option<&str>,
    did_method: &str,
) -> Value {
    let input = json!({"offer_uri": offer_uri, "tx_code": tx_code, "did_method": did_method});
    tokio::task::spawn_blocking(move || js_harness().run_script("oid4vci.mjs", &[], &input))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wallet_takes_an_offered_award_with_an_independent_client_and_it_verifies() {
    let app = TestApp::new().await;
    let base = app.serve().await;
    let (ada, issuer, award_id) = holder_with_award(&app, "wallet-ics").await;

    // The metadata a wallet starts from.
    let metadata = app
        .get("/.well-known/openid-credential-issuer", "application/json")
        .await;
    assert_eq!(metadata.status, StatusCode::OK, "{}", metadata.body);
    let metadata = metadata.json();
    assert_eq!(metadata["credential_issuer"], base.as_str());
    let config = &metadata["credential_configurations_supported"]["OpenBadgeCredential_ldp_vc"];
    assert_eq!(config["format"], "ldp_vc");
    assert!(config["credential_definition"]["type"]
        .to_string()
        .contains("OpenBadgeCredential"));
    let authorization = app
        .get(
            "/.well-known/oauth-authorization-server",
            "application/json",
        )
        .await
        .json();
    assert_eq!(authorization["issuer"], base.as_str());
    assert_eq!(
        authorization["token_endpoint"],
        format!("{base}/oid4vci/token")
    );

    // The holder's page offers it; the offer has a transaction code.
    let (uri, tx_code) = offer(&app, &ada, &award_id, true).await;
    let tx_code = tx_code.expect("a transaction code on the page");
    assert_eq!(tx_code.len(), 6);
    let object = offer_object(&uri);
    assert_eq!(object["credential_issuer"], base.as_str());
    assert_eq!(object["grants"][PRE_AUTHORIZED]["tx_code"]["length"], 6);

    // The wallet (the npm client) takes it, with a did:key.
    let taken = wallet_takes(&uri, Some(&tx_code), "key").await;
    assert_eq!(taken["version"], "V1", "{taken:#}");
    let credential = taken["credential"].clone();
    let holder_did = taken["holder_did"].as_str().unwrap();
    assert_eq!(credential["credentialSubject"]["id"], holder_did);
    let original = app
        .get(&format!("/credentials/{award_id}"), "application/ld+json")
        .await;
    let original: Value = match original.status {
        StatusCode::OK => original.json(),
        _ => {
            let reply = app
                .call("GET", &format!("/credentials/{award_id}"), None, &ada)
                .await;
            serde_json::from_str(&reply.body).unwrap()
        }
    };
    assert_eq!(
        credential["credentialSubject"]["achievement"],
        original["credentialSubject"]["achievement"]
    );
    assert_eq!(credential["evidence"], original["evidence"]);
    assert_eq!(credential["issuer"], original["issuer"]);
    assert_ne!(credential["id"], original["id"]);

    // The Digital Bazaar verifier accepts it, and so does the registry.
    let verdict = tokio::task::spawn_blocking({
        let credential = credential.clone();
        move || js_harness().run(&["verify"], &credential)
    })
    .await
    .unwrap();
    assert_eq!(verdict["verified"], true, "{verdict:#}");
    assert_all_pass(&verify(&app, &credential).await);

    // The code worked once.
    let again = token(&app, &pre_authorized_code(&uri), Some(&tx_code)).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "{}", again.body);
    assert_eq!(error_of(&again), "invalid_grant");

    // The holder's page links the original and its copy, both ways.
    let copy_id = credential["id"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let page = crate::pages::page(&app, &format!("/credentials/{award_id}"), &ada).await;
    assert!(
        page.body.contains(&format!("/credentials/{copy_id}")),
        "{}",
        page.body
    );
    assert!(page.body.contains(holder_did), "the wallet's DID");
    let page = crate::pages::page(&app, &format!("/credentials/{copy_id}"), &ada).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains(&format!("/credentials/{award_id}")),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("wallet-offer\""),
        "a copy is not offered again"
    );
    let list = crate::pages::page(&app, "/my/credentials", &ada).await;
    assert!(
        list.body.contains("A copy in a digital wallet"),
        "{}",
        list.body
    );

    // The copy has its own status entry: the issuer revokes it like any award.
    let revoked = app
        .call(
            "POST",
            &format!("/api/v1/awards/{copy_id}/status"),
            Some(json!({"action": "revoke", "reason": "The wallet was lost."})),
            &issuer,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    let report = verify(&app, &credential).await;
    assert_eq!(
        outcome(&report, "status.revocation"),
        "failed",
        "{report:#}"
    );
    assert_all_pass(&verify(&app, &original).await);

    // A did:jwk wallet, and an offer without a transaction code.
    let (uri, tx_code) = offer(&app, &ada, &award_id, false).await;
    assert!(tx_code.is_none());
    assert!(offer_object(&uri)["grants"][PRE_AUTHORIZED]
        .get("tx_code")
        .is_none());
    let taken = wallet_takes(&uri, None, "jwk").await;
    let did = taken["holder_did"].as_str().unwrap();
    assert!(did.starts_with("did:jwk:"), "{did}");
    assert_eq!(taken["credential"]["credentialSubject"]["id"], did);
}

#[tokio::test]
async fn offers_are_single_use_expire_and_refuse_wrong_codes_and_proofs() {
    let app = TestApp::new().await;
    let (ada, issuer, award_id) = holder_with_award(&app, "wallet-refusals").await;
    let base = app.base_url.clone();

    // A wrong transaction code, then the right one; then the code is spent.
    let (uri, tx_code) = offer(&app, &ada, &award_id, true).await;
    let (code, tx_code) = (pre_authorized_code(&uri), tx_code.unwrap());
    for wrong in [Some("000000"), None] {
        let reply = token(&app, &code, wrong.filter(|w| *w != tx_code)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
        assert_eq!(error_of(&reply), "invalid_grant");
    }
    let good = token(&app, &code, Some(&tx_code)).await;
    assert_eq!(good.status, StatusCode::OK, "{}", good.body);
    assert_eq!(good.header("cache-control"), "no-store");
    assert_eq!(good.json()["token_type"], "Bearer");
    let access = good.json()["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        error_of(&token(&app, &code, Some(&tx_code)).await),
        "invalid_grant"
    );
    assert_eq!(
        error_of(&token(&app, "no-such-code", None).await),
        "invalid_grant"
    );
    let request = Request::post("/oid4vci/token")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("grant_type=authorization_code&code=x"))
        .unwrap();
    assert_eq!(
        error_of(&app.request(request).await),
        "unsupported_grant_type"
    );

    // The credential request: the token, the configuration, the proof and its nonce.
    let key = SigningKey::generate().unwrap();
    let body = |jwt: String| json!({"credential_configuration_id": "OpenBadgeCredential_ldp_vc", "proofs": {"jwt": [jwt]}});
    let no_token =
        credential_request(&app, None, body(proof(&key, &base, &nonce(&app).await))).await;
    assert_eq!(
        no_token.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        no_token.body
    );
    assert_eq!(error_of(&no_token), "invalid_token");
    assert!(no_token
        .header("www-authenticate")
        .contains("invalid_token"));
    let unknown = credential_request(
        &app,
        Some(&access),
        json!({"credential_configuration_id": "Other", "proofs": {"jwt": [proof(&key, &base, &nonce(&app).await)]}}),
    )
    .await;
    assert_eq!(error_of(&unknown), "unknown_credential_configuration");
    let wrong_aud = credential_request(
        &app,
        Some(&access),
        body(proof(&key, "https://elsewhere.example", &nonce(&app).await)),
    )
    .await;
    assert_eq!(
        wrong_aud.status,
        StatusCode::BAD_REQUEST,
        "{}",
        wrong_aud.body
    );
    assert_eq!(error_of(&wrong_aud), "invalid_proof");
    let other_key = SigningKey::generate().unwrap();
    let mut forged = proof(&key, &base, &nonce(&app).await);
    let signature = proof(&other_key, &base, "x")
        .rsplit('.')
        .next()
        .unwrap()
        .to_owned();
    forged = format!("{}.{signature}", forged.rsplit_once('.').unwrap().0);
    assert_eq!(
        error_of(&credential_request(&app, Some(&access), body(forged)).await),
        "invalid_proof"
    );
    let no_proof = credential_request(
        &app,
        Some(&access),
        json!({"credential_configuration_id": "OpenBadgeCredential_ldp_vc"}),
    )
    .await;
    assert_eq!(error_of(&no_proof), "invalid_proof");
    let wrong_nonce =
        credential_request(&app, Some(&access), body(proof(&key, &base, "made-up"))).await;
    assert_eq!(
        wrong_nonce.status,
        StatusCode::BAD_REQUEST,
        "{}",
        wrong_nonce.body
    );
    assert_eq!(error_of(&wrong_nonce), "invalid_nonce");
    // A nonce is good once.
    let used = nonce(&app).await;
    let issued = credential_request(&app, Some(&access), body(proof(&key, &base, &used))).await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    let copy = issued.json()["credentials"][0]["credential"].clone();
    let credential = &copy;
    assert_eq!(
        credential["credentialSubject"]["id"],
        key.verifying_key().did_key()
    );
    assert_all_pass(&verify(&app, credential).await);
    // The token is spent with the credential.
    let spent = credential_request(
        &app,
        Some(&access),
        body(proof(&key, &base, &nonce(&app).await)),
    )
    .await;
    assert_eq!(error_of(&spent), "invalid_token");

    // Too many wrong transaction codes end an offer.
    let (uri, tx_code) = offer(&app, &ada, &award_id, true).await;
    let code = pre_authorized_code(&uri);
    for _ in 0..5 {
        assert_eq!(
            error_of(&token(&app, &code, Some("x")).await),
            "invalid_grant"
        );
    }
    assert_eq!(
        error_of(&token(&app, &code, tx_code.as_deref()).await),
        "invalid_grant"
    );

    // An offer expires (ten minutes by default): made now, tried at the end.
    let (expiring, _) = offer(&app, &ada, &award_id, false).await;

    // Only the holder offers their award, and only while it is active.
    let other = app.holder("bob@example.org", "Bob").await;
    let refused = post_form(
        &app,
        &format!("/credentials/{award_id}/wallet-offer"),
        &[("csrf", csrf(&other))],
        &other,
    )
    .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    let forged = post_form(
        &app,
        &format!("/credentials/{award_id}/wallet-offer"),
        &[("csrf", "not-the-token")],
        &ada,
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.body);
    let (uri, _) = offer(&app, &ada, &award_id, false).await;
    let access = token(&app, &pre_authorized_code(&uri), None).await.json()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let revoked = app
        .call(
            "POST",
            &format!("/api/v1/awards/{award_id}/status"),
            Some(json!({"action": "revoke", "reason": "Awarded in error."})),
            &issuer,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    let denied = credential_request(
        &app,
        Some(&access),
        body(proof(&key, &base, &nonce(&app).await)),
    )
    .await;
    assert_eq!(error_of(&denied), "credential_request_denied");
    // The copy issued above was revoked with its original.
    let report = verify(&app, &copy).await;
    assert_eq!(
        outcome(&report, "status.revocation"),
        "failed",
        "{report:#}"
    );
    let again = post_form(
        &app,
        &format!("/credentials/{award_id}/wallet-offer"),
        &[("csrf", csrf(&ada))],
        &ada,
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);

    app.services
        .registry
        .shift_clock(chrono::Duration::minutes(11));
    assert_eq!(
        error_of(&token(&app, &pre_authorized_code(&expiring), None).await),
        "invalid_grant"
    );
}

/// Two processes on one database (two registries with one address and master key): an
/// offer made by one is redeemed by the other, once; a nonce given by one is taken by the
/// other, once; and a token spent on one is spent on both.
#[tokio::test]
async fn two_processes_on_one_database_redeem_each_offer_nonce_and_token_once() {
    use credence_service::RegistryConfig;
    use credence_vc::sealed::MasterKey;
    let db = std::sync::Arc::new(crate::support::TestDb::new().await);
    let master = MasterKey::generate().unwrap();
    let base = "http://registry.test";
    let mut apps = Vec::new();
    for _ in 0..2 {
        let master = master.clone();
        apps.push(
            TestApp::over_with(db.clone(), db.store().await, move |_| {
                let mut config = RegistryConfig::for_tests(base).unwrap();
                config.master_key = master;
                config
            })
            .await,
        );
    }
    let (a, b) = (&apps[0], &apps[1]);
    let (ada, _, award_id) = holder_with_award(a, "two-processes").await;
    let (uri, tx_code) = offer(a, &ada, &award_id, true).await;
    let code = pre_authorized_code(&uri);
    let granted = token(b, &code, tx_code.as_deref()).await;
    assert_eq!(granted.status, StatusCode::OK, "{}", granted.body);
    assert_eq!(
        error_of(&token(a, &code, tx_code.as_deref()).await),
        "invalid_grant"
    );
    let access = granted.json()["access_token"].as_str().unwrap().to_owned();
    let key = SigningKey::generate().unwrap();
    let body = |jwt: String| json!({"credential_configuration_id": "OpenBadgeCredential_ldp_vc", "proofs": {"jwt": [jwt]}});
    let given = nonce(a).await;
    let issued = credential_request(b, Some(&access), body(proof(&key, base, &given))).await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    assert_eq!(
        error_of(
            &credential_request(a, Some(&access), body(proof(&key, base, &nonce(a).await))).await
        ),
        "invalid_token"
    );
    // A fresh token from a second offer, with the nonce already taken by process b.
    let (uri, _) = offer(a, &ada, &award_id, false).await;
    let access = token(a, &pre_authorized_code(&uri), None).await.json()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        error_of(&credential_request(a, Some(&access), body(proof(&key, base, &given))).await),
        "invalid_nonce"
    );
}
