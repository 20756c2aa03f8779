//! Awards to addresses without an account, through a real SMTP server (aiosmtpd): the
//! credential is signed and verifies at once; the e-mailed link is claimed by registering
//! and confirming the address, or by signing in with it; the issuer sees the claim's state,
//! sends the link again and corrects the address; bulk awards do the same for their rows.

use std::sync::Arc;

use axum::http::StatusCode;
use credence_domain::AwardId;
use credence_service::RegistryConfig;
use serde_json::{json, Value};

use crate::console::{location, page, submit};
use crate::mail::{deliver, form_token, mail_to, post_form};
use crate::registry_awards::{award, issuer_setup, verify};
use crate::smtp_sink::{Received, SmtpSink};
use crate::support::{Auth, TestApp, TestDb};

const ORG: &str = "claims-ics";
const REASON: &str = "Completed the trust's AI induction course in person.";

/// An installation mailing to `sink` that confirms addresses (as with any mail server).
async fn app_confirming(sink: &SmtpSink) -> TestApp {
    let db = Arc::new(TestDb::new().await);
    let store = db.store().await;
    let mail = mail_to(&sink.url());
    TestApp::over_with(db, store, move |base| RegistryConfig {
        mail,
        confirm_addresses: true,
        ..RegistryConfig::for_tests(base).expect("test settings")
    })
    .await
}

/// The issuer's console session and the achievement, after `issuer_setup`.
async fn console_issuer(app: &TestApp) -> (Auth, Auth, String) {
    let (token, achievement) = issuer_setup(app, ORG, "web").await;
    let issuer = app.holder("ines@claims.test", "Ines Issuer").await;
    app.grant(ORG, "ines@claims.test", "issuer").await;
    (token, issuer, achievement)
}

/// The path of the claim link in `message`.
fn claim_path(app: &TestApp, message: &Received) -> String {
    message
        .link(&format!("{}/claim/", app.base_url))
        .expect("a claim link")
        .strip_prefix(&app.base_url)
        .expect("ours")
        .to_owned()
}

/// The messages to `address` among those received.
fn to(mail: &[Received], address: &str) -> Vec<Received> {
    mail.iter()
        .filter(|m| m.to.iter().any(|t| t == address))
        .cloned()
        .collect()
}

async fn my_awards(app: &TestApp, auth: &Auth) -> Vec<Value> {
    let reply = app.call("GET", "/api/v1/awards", None, auth).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let json = reply.json();
    json["items"]
        .as_array()
        .or_else(|| json.as_array())
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn an_award_to_a_new_address_is_claimed_by_registering_and_confirming_it() {
    let sink = SmtpSink::start();
    let app = app_confirming(&sink).await;
    let (token, issuer, achievement) = console_issuer(&app).await;
    deliver(&app, "test").await;
    let before = sink.received().len();

    // Awarded to an address nobody registered: signed at once, no holder yet.
    let made = award(
        &app,
        ORG,
        &token,
        json!({"achievement": achievement, "email": "New.Person@Example.org", "override_justification": REASON}),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let made = made.json();
    assert!(made["award"]["holder_id"].is_null(), "{made}");
    let id = made["award"]["id"].as_str().expect("an id").to_owned();
    let checked = verify(&app, &made["credential"]).await;
    assert_eq!(checked["verdict"], "verified", "{checked}");

    // One message, to the address, with the claim link and no unsubscribe.
    assert_eq!(deliver(&app, "test").await.sent, 1);
    let mail = sink.wait_for(before + 1).await;
    let message = to(&mail, "new.person@example.org")
        .pop()
        .expect("the claim message");
    assert!(
        message
            .header("Subject")
            .unwrap_or_default()
            .contains("has awarded you"),
        "{:?}",
        message.header("Subject")
    );
    assert!(message.header("List-Unsubscribe").is_none());
    assert!(message.text().contains("Claim") || message.text().contains("claim"));
    let path = claim_path(&app, &message);

    // The console says the link is sent, then opened.
    let detail = format!("/console/{ORG}/awards/{id}");
    let shown = page(&app, &issuer, &detail).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert!(shown.body.contains("Claim link sent"), "{}", shown.body);
    assert!(shown.body.contains("new.person@example.org"));
    let list = page(&app, &issuer, &format!("/console/{ORG}/awards")).await;
    assert!(list.body.contains("Claim link sent"), "{}", list.body);

    // The link: what was awarded, the signed credential, and the way to an account.
    let (status, _, body) = form_token(&app, &path).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("new.person@example.org"), "{body}");
    assert!(
        body.contains("/register?email=new.person%40example.org"),
        "{body}"
    );
    let copy = app
        .get(&format!("{path}/credential.json"), "application/json")
        .await;
    assert_eq!(copy.status, StatusCode::OK);
    assert_eq!(
        copy.json(),
        made["credential"],
        "exactly the signed credential"
    );
    assert!(page(&app, &issuer, &detail)
        .await
        .body
        .contains("Claim link opened"));
    // Private until claimed: the public cannot see it.
    let hidden = app
        .get(
            &format!("/credentials/{id}/credential.json"),
            "application/json",
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);

    // Registering with the address is not yet proof of it: nothing is bound.
    let person = app.holder("new.person@example.org", "Nia Person").await;
    assert!(my_awards(&app, &person).await.is_empty());
    // Confirming the address by its link binds the award.
    assert_eq!(deliver(&app, "test").await.sent, 1);
    let mail = sink.wait_for(before + 2).await;
    let confirm = to(&mail, "new.person@example.org")
        .iter()
        .find_map(|m| m.link(&format!("{}/account/confirm/", app.base_url)))
        .expect("a confirmation link");
    let confirm = confirm
        .strip_prefix(&app.base_url)
        .expect("ours")
        .to_owned();
    let (_, token_field, _) = form_token(&app, &confirm).await;
    let done = post_form(&app, &confirm, &token_field, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let held = my_awards(&app, &person).await;
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!(held[0]["id"], id.as_str());
    // The credential is unchanged by the claim.
    let text = app
        .call(
            "GET",
            &format!("/credentials/{id}/credential.json"),
            None,
            &person,
        )
        .await;
    assert_eq!(text.json(), made["credential"]);
    assert!(page(&app, &issuer, &detail).await.body.contains("Claimed"));
    // The used link says so and offers nothing more.
    let after = app.get(&path, "text/html").await;
    assert!(after.body.contains("has been claimed"), "{}", after.body);
    assert_eq!(
        app.get(&format!("{path}/credential.json"), "application/json")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The audit trail reads the claim.
    assert!(page(&app, &issuer, &detail)
        .await
        .body
        .contains("Claimed by its recipient"));
}

#[tokio::test]
async fn the_link_claims_for_a_signed_in_account_with_that_address_and_no_other() {
    let sink = SmtpSink::start();
    let app = app_confirming(&sink).await;
    let (token, _, achievement) = console_issuer(&app).await;
    // Registered but not confirmed: the award waits for a claim all the same.
    let owner = app.holder("owner@claims.test", "Owen Owner").await;
    let other = app.holder("other@claims.test", "Otto Other").await;
    let made = award(
        &app,
        ORG,
        &token,
        json!({"achievement": achievement, "email": "owner@claims.test", "override_justification": REASON}),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert!(made.json()["award"]["holder_id"].is_null());
    // Everything sent so far goes in this one round (the two confirmations and the claim).
    let sent = usize::try_from(deliver(&app, "test").await.sent).unwrap();
    assert!(sent >= 3, "{sent} messages sent");
    let mail = sink.wait_for(sent).await;
    assert_eq!(mail.len(), sent);
    let message = to(&mail, "owner@claims.test")
        .into_iter()
        .find(|m| m.link(&format!("{}/claim/", app.base_url)).is_some())
        .expect("the claim message");
    let path = claim_path(&app, &message);

    // Another account sees why it cannot, and claiming is refused without binding.
    let seen = page(&app, &other, &path).await;
    assert!(seen.body.contains("You are signed in as"), "{}", seen.body);
    let refused = submit(&app, &other, &path, &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(refused.body.contains("owner@claims.test"));
    assert!(my_awards(&app, &other).await.is_empty());
    // A forged form is refused.
    let forged = crate::console::post(&app, &owner, &path, Some("not-the-token"), &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // The owner claims: bound, and the address counts as confirmed (the link proved it).
    let seen = page(&app, &owner, &path).await;
    assert!(seen.body.contains("Add it to my account"), "{}", seen.body);
    let claimed = submit(&app, &owner, &path, &[]).await;
    assert_eq!(location(&claimed), "/dashboard?notice=claimed");
    assert_eq!(my_awards(&app, &owner).await.len(), 1);
    let me = app.call("GET", "/api/v1/me", None, &owner).await;
    assert_eq!(me.json()["email_confirmed"], true);
    // Again: nothing more happens; another account still cannot.
    let again = submit(&app, &owner, &path, &[]).await;
    assert_eq!(location(&again), "/dashboard?notice=claimed");
    let late = submit(&app, &other, &path, &[]).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
    // An unknown link is a 404 page.
    let unknown = app.get("/claim/no-such-link", "text/html").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("not known"));
}

#[tokio::test]
async fn an_expired_link_is_sent_again_on_request_and_the_old_one_stops() {
    let sink = SmtpSink::start();
    let app = app_confirming(&sink).await;
    let (token, issuer, achievement) = console_issuer(&app).await;
    deliver(&app, "test").await;
    let before = sink.received().len();
    let made = award(
        &app,
        ORG,
        &token,
        json!({"achievement": achievement, "email": "late@claims.test", "override_justification": REASON}),
    )
    .await;
    let id = made.json()["award"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    deliver(&app, "test").await;
    let first = claim_path(&app, &sink.wait_for(before + 1).await[before]);

    // The issuer cannot resend at once (a pause between links).
    let detail = format!("/console/{ORG}/awards/{id}");
    let too_soon = submit(&app, &issuer, &format!("{detail}/claim/resend"), &[]).await;
    assert_eq!(
        too_soon.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        too_soon.body
    );
    assert!(too_soon.body.contains("minutes ago"));

    // Time passes: the link expires (and the last one was sent long ago).
    {
        let tx = app.services.registry.store().write().await.expect("a tx");
        let award_id = AwardId::new(&id).expect("an id");
        let mut claim = tx.claim(&award_id).await.expect("read").expect("a claim");
        claim.expires_at = chrono::Utc::now() - chrono::Duration::days(1);
        claim.sent_at = Some(chrono::Utc::now() - chrono::Duration::days(31));
        tx.update_claim(claim).await.expect("update");
        tx.commit().await.expect("commit");
    }
    assert!(page(&app, &issuer, &detail)
        .await
        .body
        .contains("Claim link expired"));
    let (status, form, body) = form_token(&app, &first).await;
    assert_eq!(status, StatusCode::GONE, "{body}");
    assert!(body.contains("Send me a new link"), "{body}");
    assert_eq!(
        app.get(&format!("{first}/credential.json"), "application/json")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let resent = post_form(&app, &format!("{first}/resend"), &form, &[]).await;
    assert_eq!(resent.status, StatusCode::OK, "{}", resent.body);
    assert!(
        resent.body.contains("We have sent a new link"),
        "{}",
        resent.body
    );
    deliver(&app, "test").await;
    let second = claim_path(&app, &sink.wait_for(before + 2).await[before + 1]);
    assert_ne!(first, second);
    // The old link no longer names the claim; the new one works.
    assert_eq!(
        app.get(&first, "text/html").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(&second, "text/html").await.status, StatusCode::OK);
    // Asking again at once is refused with the pause.
    let (_, form, _) = form_token(&app, &second).await;
    let again = post_form(&app, &format!("{second}/resend"), &form, &[]).await;
    assert_eq!(
        again.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        again.body
    );
    let shown = page(&app, &issuer, &detail).await;
    assert!(shown.body.contains("2 links sent"), "{}", shown.body);
    assert!(
        shown.body.contains("Claim link sent again"),
        "{}",
        shown.body
    );
}

#[tokio::test]
async fn a_wrong_address_is_corrected_by_a_new_award_and_the_first_is_revoked() {
    let sink = SmtpSink::start();
    let app = app_confirming(&sink).await;
    let (token, issuer, achievement) = console_issuer(&app).await;
    deliver(&app, "test").await;
    let made = award(
        &app,
        ORG,
        &token,
        json!({"achievement": achievement, "email": "typo@claims.tset", "name": "Induction certificate", "override_justification": REASON}),
    )
    .await;
    let first = made.json();
    let id = first["award"]["id"].as_str().expect("an id").to_owned();
    let detail = format!("/console/{ORG}/awards/{id}");
    let form = page(&app, &issuer, &detail).await;
    assert!(form.body.contains("Correct the address"), "{}", form.body);

    // Every field is checked, and nothing changes on a refusal.
    let bad = submit(
        &app,
        &issuer,
        &format!("{detail}/claim/correct"),
        &[("email", "not an address"), ("correction_reason", "")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("id=\"email-error\""), "{}", bad.body);
    assert!(
        bad.body.contains("id=\"correction_reason-error\""),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("value=\"not an address\""));
    assert_eq!(
        verify(&app, &first["credential"]).await["verdict"],
        "verified"
    );

    let corrected = submit(
        &app,
        &issuer,
        &format!("{detail}/claim/correct"),
        &[
            ("email", "right@claims.test"),
            ("correction_reason", "The domain was mistyped."),
        ],
    )
    .await;
    let next = location(&corrected);
    assert!(next.ends_with("?notice=claim-corrected"), "{next}");
    assert!(!next.contains(&id));
    // The first is revoked with the reason, and verifiers see it.
    let old = verify(&app, &first["credential"]).await;
    assert_eq!(old["verdict"], "not_valid", "{old}");
    let shown = page(&app, &issuer, &detail).await;
    assert!(shown.body.contains("revoked"), "{}", shown.body);
    assert!(shown.body.contains("right@claims.test"), "{}", shown.body);
    assert!(shown.body.contains("The domain was mistyped."));
    assert!(
        !shown.body.contains("Correct the address"),
        "a revoked award offers no correction"
    );
    // The new award waits for the corrected address, whose message has its own link.
    let new_page = page(&app, &issuer, next.split('?').next().expect("a path")).await;
    assert!(new_page.body.contains("Claim link"), "{}", new_page.body);
    assert!(new_page.body.contains("right@claims.test"));
    // The corrected credential carries the name the first was given.
    assert!(
        new_page.body.contains("Induction certificate"),
        "{}",
        new_page.body
    );
    deliver(&app, "test").await;
    let mail = sink.wait_for(3).await;
    assert_eq!(to(&mail, "typo@claims.tset").len(), 1);
    // The wrong address's link no longer works: its owner never receives the first award.
    let wrong = claim_path(&app, &to(&mail, "typo@claims.tset")[0]);
    assert_eq!(
        app.get(&wrong, "text/html").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(to(&mail, "right@claims.test").len(), 1);

    // A claimed award cannot be corrected.
    let path = claim_path(&app, &to(&mail, "right@claims.test")[0]);
    let right = app.holder("right@claims.test", "Rita Right").await;
    assert_eq!(
        location(&submit(&app, &right, &path, &[]).await),
        "/dashboard?notice=claimed"
    );
    let new_id = my_awards(&app, &right).await[0]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let refused = submit(
        &app,
        &issuer,
        &format!("/console/{ORG}/awards/{new_id}/claim/correct"),
        &[
            ("email", "else@claims.test"),
            ("correction_reason", "Just because."),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    // An award made to an account has no claim to correct.
    let resend = submit(
        &app,
        &issuer,
        &format!("/console/{ORG}/awards/{new_id}/claim/resend"),
        &[],
    )
    .await;
    assert_eq!(resend.status, StatusCode::CONFLICT, "{}", resend.body);
}

#[tokio::test]
async fn bulk_rows_for_addresses_without_accounts_are_awarded_and_claimed() {
    let sink = SmtpSink::start();
    let app = app_confirming(&sink).await;
    let (token, _, achievement) = console_issuer(&app).await;
    let known = app.holder("known@claims.test", "Kim Known").await;
    // The operator vouches for this one's address: its award goes straight to it.
    let operator =
        credence_service::Actor::from_operator(&credence_service::Operator::local_command_line())
            .operator()
            .expect("the operator");
    app.services
        .registry
        .with_operator(&operator)
        .create_account_as_operator(
            credence_service::accounts::NewAccount {
                email: "vouched@claims.test".into(),
                display_name: "Val Vouched".into(),
                password: credence_service::accounts::Password::new(
                    "correct horse battery staple".into(),
                ),
            },
            false,
        )
        .await
        .expect("an account");
    deliver(&app, "test").await;
    let before = sink.received().len();
    let csv = format!(
        "key,email,override_justification\nk-1,vouched@claims.test,{REASON}\nk-2,known@claims.test,{REASON}\nk-3,fresh@claims.test,{REASON}\nk-4,unjustified@claims.test,\n"
    );
    let Auth::Token(bearer) = &token else {
        panic!("a token")
    };
    let job = app
        .request(
            axum::http::Request::post(format!(
                "/api/v1/orgs/{ORG}/awards/bulk?achievement={achievement}&format=csv"
            ))
            .header("authorization", format!("Bearer {bearer}"))
            .header("content-type", "text/csv")
            .body(axum::body::Body::from(csv))
            .expect("a request"),
        )
        .await;
    assert_eq!(job.status, StatusCode::ACCEPTED, "{}", job.body);
    let job_id = job.json()["id"].as_str().expect("a job").to_owned();
    let mut state = Value::Null;
    for _ in 0..200 {
        state = app
            .call("GET", &format!("/api/v1/bulk/{job_id}"), None, &token)
            .await
            .json();
        if state["state"] != "running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(state["state"], "finished", "{state}");
    assert_eq!(state["refused"], 1, "only the unjustified row: {state}");
    // Two claim messages (the unconfirmed account and the new address), none to the
    // vouched account, whose award is on its dashboard at once.
    deliver(&app, "test").await;
    let mail = sink.wait_for(before + 2).await;
    let claims: Vec<&Received> = mail[before..]
        .iter()
        .filter(|m| m.link(&format!("{}/claim/", app.base_url)).is_some())
        .collect();
    let mut addressed: Vec<String> = claims.iter().flat_map(|m| m.to.clone()).collect();
    addressed.sort();
    assert_eq!(addressed, ["fresh@claims.test", "known@claims.test"]);
    let vouched = app
        .sign_in("vouched@claims.test", "correct horse battery staple")
        .await;
    assert_eq!(my_awards(&app, &vouched).await.len(), 1);
    // The account the award went to is told, in the app and by e-mail, as for one award.
    let mail = sink.wait_for(before + 3).await;
    let told = to(&mail[before..], "vouched@claims.test");
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0]
        .header("Subject")
        .unwrap_or_default()
        .starts_with("You have been awarded"));
    assert!(told[0].header("List-Unsubscribe").is_some());
    let listed = app.call("GET", "/notifications", None, &vouched).await;
    assert!(
        listed.body.contains("You have been awarded"),
        "{}",
        listed.body
    );
    assert!(my_awards(&app, &known).await.is_empty());
    // The unconfirmed account claims by its link.
    let path = claim_path(
        &app,
        claims
            .iter()
            .find(|m| m.to[0] == "known@claims.test")
            .expect("known"),
    );
    assert_eq!(
        location(&submit(&app, &known, &path, &[]).await),
        "/dashboard?notice=claimed"
    );
    assert_eq!(my_awards(&app, &known).await.len(), 1);
}

#[tokio::test]
async fn without_confirmation_an_account_made_later_receives_its_waiting_awards() {
    // No confirmation (no mail server): registering with the address is what there is.
    let app = TestApp::new().await;
    let (token, achievement) = issuer_setup(&app, ORG, "web").await;
    let made = award(
        &app,
        ORG,
        &token,
        json!({"achievement": achievement, "email": "later@claims.test", "override_justification": REASON}),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    // The link waits in the outbox.
    let outbox = crate::mail::outbox(&app).await;
    assert!(
        outbox
            .messages
            .iter()
            .any(|m| m.recipient.contains("later@claims.test")),
        "{outbox:?}"
    );
    let later = app.holder("later@claims.test", "Lee Later").await;
    let held = my_awards(&app, &later).await;
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!(held[0]["id"], made.json()["award"]["id"]);
}

/// The issue's journey in Chromium: an issuer bulk-awards three people, one without an
/// account; that person opens the e-mailed link, registers, confirms the address and sees
/// the credential. Every page passes axe-core's WCAG 2.2 AA rules.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_award_is_claimed_by_a_newcomer_in_chromium() {
    use crate::browser::{chromium, screenshot_path};
    let sink = SmtpSink::start();
    let app = app_confirming(&sink).await;
    let worker = app
        .services
        .registry
        .spawn_mail_delivery()
        .expect("a worker");
    let base = app.serve().await;
    let (_, _, _) = console_issuer(&app).await;
    let achievements = app
        .call(
            "GET",
            &format!("/api/v1/orgs/{ORG}/achievements"),
            None,
            &Auth::None,
        )
        .await
        .json();
    let achievement = achievements["items"][0]["name"]
        .as_str()
        .expect("a name")
        .to_owned();
    // Two staff with confirmed accounts (made by the operator), one newcomer.
    let operator =
        credence_service::Actor::from_operator(&credence_service::Operator::local_command_line())
            .operator()
            .expect("the operator");
    for (email, name) in [
        ("amy@staff.test", "Amy Staff"),
        ("ben@staff.test", "Ben Staff"),
    ] {
        app.services
            .registry
            .with_operator(&operator)
            .create_account_as_operator(
                credence_service::accounts::NewAccount {
                    email: email.into(),
                    display_name: name.into(),
                    password: credence_service::accounts::Password::new(
                        "correct horse battery staple".into(),
                    ),
                },
                false,
            )
            .await
            .expect("an account");
    }
    let csv = format!(
        "key,email,override_justification\nj-1,amy@staff.test,{REASON}\nj-2,ben@staff.test,{REASON}\nj-3,cat@newcomer.test,{REASON}\n"
    );
    let signals = tempfile::tempdir().unwrap();
    let path = |name: &str| signals.path().join(name);
    let brief = json!({
        "base": base,
        "chromium": chromium(),
        "screenshots": screenshot_path("claim").parent().unwrap(),
        "issuer": {"email": "ines@claims.test", "password": "correct horse battery staple"},
        "org": ORG,
        "achievement": achievement,
        "csv": csv,
        "newEmail": "cat@newcomer.test",
        "newName": "Cat Newcomer",
        "newPassword": "a newcomer's own passphrase",
        "awarded": path("awarded"),
        "claimLinkFile": path("claim-link"),
        "registered": path("registered"),
        "confirmLinkFile": path("confirm-link"),
    });
    let browser = tokio::task::spawn_blocking(move || {
        crate::support::js_harness().run_script("claim_journey.mjs", &[], &brief)
    });
    // Hands the browser the link of `prefix` e-mailed to the newcomer, once `signal` exists.
    let hand_over = |signal: std::path::PathBuf, prefix: String, file: std::path::PathBuf| {
        let sink = &sink;
        let browser = &browser;
        async move {
            for _ in 0..600 {
                if signal.exists() || browser.is_finished() {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            if !signal.exists() {
                return;
            }
            for _ in 0..100 {
                let found = sink
                    .received()
                    .iter()
                    .filter(|m| m.to.iter().any(|t| t == "cat@newcomer.test"))
                    .find_map(|m| m.link(&prefix));
                if let Some(link) = found {
                    std::fs::write(&file, link).unwrap();
                    return;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
    };
    hand_over(
        path("awarded"),
        format!("{base}/claim/"),
        path("claim-link"),
    )
    .await;
    hand_over(
        path("registered"),
        format!("{base}/account/confirm/"),
        path("confirm-link"),
    )
    .await;
    let report = browser.await.unwrap();
    worker.abort();
    assert_eq!(report["ok"], true, "{report:#}");
    assert!(
        report["job"].as_str().unwrap_or("").contains("Finished"),
        "{report:#}"
    );
    assert!(
        report["consoleClaim"]
            .as_str()
            .unwrap_or("")
            .contains("Claim link"),
        "{report:#}"
    );
    assert!(
        report["claimTitle"]
            .as_str()
            .unwrap_or("")
            .contains(&achievement),
        "{report:#}"
    );
    assert_eq!(report["prefilled"], "cat@newcomer.test", "{report:#}");
    assert!(
        report["waiting"].as_str().unwrap_or("").contains("Confirm"),
        "the dashboard asks for the confirmation: {report:#}"
    );
    assert!(
        report["confirmed"]
            .as_str()
            .unwrap_or("")
            .contains("confirmed"),
        "{report:#}"
    );
    assert!(
        report["credentials"]
            .as_str()
            .unwrap_or("")
            .contains(&achievement),
        "{report:#}"
    );
    for page in [
        "bulk-job",
        "awards",
        "link",
        "registered",
        "confirmed",
        "credentials",
    ] {
        assert_eq!(report["axe"][page], json!([]), "axe on {page}: {report:#}");
    }
    assert!(report["overflow"].is_null(), "{report:#}");
    assert_eq!(report["cspErrors"], json!([]), "{report:#}");
    // The staff with accounts got theirs straight away; only the newcomer was sent a link.
    let claim_messages = sink
        .received()
        .iter()
        .filter(|m| m.link(&format!("{base}/claim/")).is_some())
        .count();
    assert_eq!(claim_messages, 1);
}

#[tokio::test]
async fn a_changed_address_is_confirmed_first_and_brings_the_awards_waiting_for_it() {
    let sink = SmtpSink::start();
    let app = app_confirming(&sink).await;
    let (token, _, achievement) = console_issuer(&app).await;
    let person = app.holder("old@move.test", "Mo Mover").await;
    app.holder("taken@move.test", "Tay Taken").await;
    let made = award(
        &app,
        ORG,
        &token,
        json!({"achievement": achievement, "email": "new@move.test", "override_justification": REASON}),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    deliver(&app, "test").await;
    let before = sink.wait_for(4).await.len();

    let shown = page(&app, &person, "/account").await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert!(shown.body.contains("old@move.test"));
    // Every field checked; the password must be the account's; the address free.
    let empty = submit(
        &app,
        &person,
        "/account/address",
        &[("email", ""), ("password", "")],
    )
    .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty.body.contains("id=\"email-error\"") && empty.body.contains("id=\"password-error\"")
    );
    let wrong = submit(
        &app,
        &person,
        "/account/address",
        &[
            ("email", "new@move.test"),
            ("password", "not my password at all"),
        ],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.body.contains("not your current password"),
        "{}",
        wrong.body
    );
    let taken = submit(
        &app,
        &person,
        "/account/address",
        &[
            ("email", "taken@move.test"),
            ("password", "correct horse battery staple"),
        ],
    )
    .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        taken.body.contains("Another account uses"),
        "{}",
        taken.body
    );
    let asked = submit(
        &app,
        &person,
        "/account/address",
        &[
            ("email", "New@Move.test"),
            ("password", "correct horse battery staple"),
        ],
    )
    .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    assert!(asked
        .body
        .contains("We have sent a link to <strong>new@move.test"));

    // A link to the new address; a warning, without a link, to the old one.
    assert_eq!(deliver(&app, "test").await.sent, 2);
    let mail = sink.wait_for(before + 2).await;
    let warning = to(&mail[before..], "old@move.test");
    assert_eq!(warning.len(), 1);
    assert!(warning[0].text().contains("new@move.test"));
    assert!(
        warning[0].link(&app.base_url).is_none(),
        "no link to click in the warning"
    );
    let link = to(&mail[before..], "new@move.test")[0]
        .link(&format!("{}/account/address/", app.base_url))
        .expect("a confirmation link");
    let path = link.strip_prefix(&app.base_url).expect("ours").to_owned();
    // Nothing changes before the link is used.
    let me = app.call("GET", "/api/v1/me", None, &person).await.json();
    assert_eq!(me["email"], "old@move.test");
    let (status, form, body) = form_token(&app, &path).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("new@move.test"));
    let done = post_form(&app, &path, &form, &[]).await;
    assert_eq!(location(&done), "/login?notice=address-changed");
    let me = app.call("GET", "/api/v1/me", None, &person).await.json();
    assert_eq!(me["email"], "new@move.test");
    assert_eq!(me["email_confirmed"], true);
    // The award waiting for the new address is the account's now.
    let held = my_awards(&app, &person).await;
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!(held[0]["id"], made.json()["award"]["id"]);
    // The link works once; signing in is by the new address.
    assert_eq!(
        post_form(&app, &path, &form, &[]).await.status,
        StatusCode::GONE
    );
    let refused = app
        .call(
            "POST",
            "/api/v1/sessions",
            Some(json!({"email": "old@move.test", "password": "correct horse battery staple"})),
            &Auth::None,
        )
        .await;
    assert_ne!(refused.status, StatusCode::CREATED, "{}", refused.body);
    app.sign_in("new@move.test", "correct horse battery staple")
        .await;

    // A password reset cancels a change asked meanwhile (the session may not be the owner's).
    let again = submit(
        &app,
        &person,
        "/account/address",
        &[
            ("email", "third@move.test"),
            ("password", "correct horse battery staple"),
        ],
    )
    .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let (_, form, _) = form_token(&app, "/password/forgot").await;
    post_form(
        &app,
        "/password/forgot",
        &form,
        &[("email", "new@move.test")],
    )
    .await;
    deliver(&app, "test").await;
    let mail = sink.wait_for(before + 5).await;
    let third = to(&mail, "third@move.test")[0]
        .link(&format!("{}/account/address/", app.base_url))
        .expect("a link");
    let reset = to(&mail, "new@move.test")
        .iter()
        .find_map(|m| m.link(&format!("{}/password/reset/", app.base_url)))
        .expect("a reset link");
    let reset = reset.strip_prefix(&app.base_url).expect("ours").to_owned();
    let (_, form, _) = form_token(&app, &reset).await;
    let changed = post_form(
        &app,
        &reset,
        &form,
        &[("password", "an entirely new passphrase")],
    )
    .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    let third = third.strip_prefix(&app.base_url).expect("ours").to_owned();
    assert_eq!(app.get(&third, "text/html").await.status, StatusCode::GONE);
}

#[tokio::test]
async fn vc_api_issuance_names_its_recipient_by_email_and_the_credential_waits_or_goes_to_them() {
    let sink = SmtpSink::start();
    let app = app_confirming(&sink).await;
    let did = app.org("vc-ics", "provider", "key").await;
    let issuer = app.token("vc-ics", "issuer").await;
    let confirmed = app.holder("held@vc.test", "Hal Held").await;
    // Confirmed by its link: the credential goes straight to it.
    deliver(&app, "test").await;
    let mail = sink.wait_for(1).await;
    let confirm = mail[0]
        .link(&format!("{}/account/confirm/", app.base_url))
        .expect("a confirmation link");
    let confirm = confirm
        .strip_prefix(&app.base_url)
        .expect("ours")
        .to_owned();
    let (_, form, _) = form_token(&app, &confirm).await;
    post_form(&app, &confirm, &form, &[]).await;

    let issue = |email: &str| {
        let body = json!({
            "credential": crate::registry_vcapi::credential(&did),
            "options": {"recipientEmail": email},
        });
        let app = &app;
        let issuer = &issuer;
        async move {
            app.call("POST", "/credentials/issue", Some(body), issuer)
                .await
        }
    };
    let bad = issue("not an address").await;
    // The VC-API answers a malformed request 400, naming the option.
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    assert!(bad.body.contains("/options/recipientEmail"), "{}", bad.body);
    let held = issue("Held@vc.test").await;
    assert_eq!(held.status, StatusCode::CREATED, "{}", held.body);
    let waiting = issue("nobody-yet@vc.test").await;
    assert_eq!(waiting.status, StatusCode::CREATED, "{}", waiting.body);
    // The caller's credential is signed as sent: no recipient is written into it.
    assert!(!waiting.body.contains("nobody-yet@vc.test"));
    assert_eq!(my_awards(&app, &confirmed).await.len(), 1);
    deliver(&app, "test").await;
    let mail = sink.wait_for(3).await;
    let told = to(&mail, "held@vc.test");
    assert!(told.iter().any(|m| m
        .header("Subject")
        .unwrap_or_default()
        .contains("You have been awarded Tri-X safe use")));
    let invited = to(&mail, "nobody-yet@vc.test");
    assert_eq!(invited.len(), 1);
    let path = claim_path(&app, &invited[0]);
    let shown = app.get(&path, "text/html").await;
    assert!(shown.body.contains("Tri-X safe use"), "{}", shown.body);

    // The issuer's console shows the claim, but cannot make the caller's own document
    // again for another address: it says what to do instead, and changes nothing.
    let console = app.holder("ines@vc.test", "Ines Issuer").await;
    app.grant("vc-ics", "ines@vc.test", "issuer").await;
    let id = waiting.json()["id"]
        .as_str()
        .and_then(|u| u.rsplit('/').next())
        .expect("the credential's id")
        .to_owned();
    let detail = format!("/console/vc-ics/awards/{id}");
    assert!(page(&app, &console, &detail)
        .await
        .body
        .contains("Claim link opened"));
    let refused = submit(
        &app,
        &console,
        &format!("{detail}/claim/correct"),
        &[
            ("email", "else@vc.test"),
            ("correction_reason", "The address was wrong."),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(
        refused.body.contains("issued through the VC-API"),
        "{}",
        refused.body
    );
    let after = page(&app, &console, &detail).await;
    assert!(!after.body.contains("tag-revoked"), "{}", after.body);
}

#[tokio::test]
async fn a_bounced_claim_link_is_shown_as_bounced_to_the_issuer() {
    // The mail server refuses the address for good (550).
    let sink = SmtpSink::start_with(0, "nosuchbox");
    let app = app_confirming(&sink).await;
    let (token, issuer, achievement) = console_issuer(&app).await;
    let made = award(
        &app,
        ORG,
        &token,
        json!({"achievement": achievement, "email": "nosuchbox@claims.test", "override_justification": REASON}),
    )
    .await;
    let id = made.json()["award"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    assert_eq!(deliver(&app, "test").await.bounced, 1);
    let shown = page(&app, &issuer, &format!("/console/{ORG}/awards/{id}")).await;
    assert!(
        shown
            .body
            .contains("Bounced: the address refused the message"),
        "{}",
        shown.body
    );
    // The issuer can still correct the address.
    assert!(shown.body.contains("Correct the address"));
    let list = page(&app, &issuer, &format!("/console/{ORG}/awards")).await;
    assert!(list.body.contains("Bounced"), "{}", list.body);
}

#[tokio::test]
async fn an_achievement_may_make_its_awards_public_at_once_even_before_a_claim() {
    let sink = SmtpSink::start();
    let app = app_confirming(&sink).await;
    app.org(ORG, "provider", "web").await;
    let token = app.token(ORG, "issuer").await;
    let made = app
        .call(
            "POST",
            &format!("/api/v1/orgs/{ORG}/achievements"),
            Some(json!({"pathway": "foundational", "name": "Course certificate", "awards_public": true})),
            &token,
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert_eq!(made.json()["awards_public"], true);
    let achievement = made.json()["uuid"].as_str().expect("a uuid").to_owned();
    let awarded = award(
        &app,
        ORG,
        &token,
        json!({"achievement": achievement, "email": "public@claims.test", "override_justification": REASON}),
    )
    .await;
    assert_eq!(awarded.status, StatusCode::CREATED, "{}", awarded.body);
    let id = awarded.json()["award"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    assert_eq!(awarded.json()["award"]["public"], true);
    // Anyone with its link sees it, although nobody has claimed it.
    let seen = app
        .get(
            &format!("/credentials/{id}/credential.json"),
            "application/json",
        )
        .await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    deliver(&app, "test").await;
    let mail = sink.wait_for(1).await;
    let message = to(&mail, "public@claims.test")
        .pop()
        .expect("the claim message");
    assert!(
        message.text().contains("anyone with its link"),
        "{}",
        message.text()
    );
    let page = app.get(&claim_path(&app, &message), "text/html").await;
    assert!(
        page.body
            .contains("anyone with its link can see it already"),
        "{}",
        page.body
    );
}
