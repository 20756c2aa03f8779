//! Scheduled notices through a real SMTP server: expiry reminders at each configured
//! threshold, sent once even by two registries scanning one database, and honouring a
//! one-click unsubscribe; accreditation granted and revoked notices; the assessor's daily
//! digest. Time moves by the registries' clocks, not by sleeping.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::Duration;
use credence_service::reminders::NoticeRound;
use serde_json::{json, Value};

use crate::mail::{app_mailing, deliver, operator};
use crate::registry_awards::{account_id, attest_foundational, award};
use crate::smtp_sink::SmtpSink;
use crate::support::{Auth, TestApp, TestDb};

const PASSWORD: &str = "correct horse battery staple";

/// One scan for scheduled notices, as the operator's `mail remind` runs it.
pub(crate) async fn remind(app: &TestApp) -> NoticeRound {
    app.services
        .registry
        .with_operator(&operator())
        .send_scheduled_notices()
        .await
        .expect("a scan")
}

/// An organisation `slug` with an issuer token and a foundational achievement whose awards
/// are valid for `days` days; returns the token and the achievement's uuid.
pub(crate) async fn expiring_achievement(app: &TestApp, slug: &str, days: i64) -> (Auth, String) {
    app.org(slug, "provider", "web").await;
    let issuer = app.token(slug, "issuer").await;
    let reply = app
        .call(
            "POST",
            &format!("/api/v1/orgs/{slug}/achievements"),
            Some(json!({"pathway": "foundational", "validity_days": days})),
            &issuer,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    (
        issuer,
        reply.json()["uuid"].as_str().expect("uuid").to_owned(),
    )
}

/// A holder `email` with the foundational evidence attested, awarded `achievement`;
/// returns the holder's session and the award's id.
pub(crate) async fn awarded(
    app: &TestApp,
    slug: &str,
    issuer: &Auth,
    achievement: &str,
    email: &str,
    name: &str,
) -> (Auth, String) {
    let holder = app.holder(email, name).await;
    attest_foundational(app, &account_id(app, &holder).await, 30).await;
    let made = award(
        app,
        slug,
        issuer,
        json!({"achievement": achievement, "email": email}),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let id = made.json()["award"]["id"].as_str().expect("id").to_owned();
    (holder, id)
}

fn shift(apps: &[&TestApp], days: i64) {
    for app in apps {
        app.services.registry.shift_clock(Duration::days(days));
    }
}

/// Scans with both registries at once; returns the reminders they wrote together.
async fn remind_both(first: &TestApp, second: &TestApp) -> u32 {
    let (a, b) = tokio::join!(remind(first), remind(second));
    a.reminders + b.reminders
}

#[tokio::test]
async fn expiry_reminders_come_once_at_each_threshold_from_two_registries_until_unsubscribed() {
    let sink = SmtpSink::start();
    let db = Arc::new(TestDb::new().await);
    let first = app_mailing(db.clone(), &sink.url()).await;
    // A second process of the same installation: its settings (address, master key).
    let config = first.services.registry.config().clone();
    let store = db.store().await;
    let second = TestApp::over_with(db, store, move |_| config).await;
    let (issuer, achievement) = expiring_achievement(&first, "remind-ics", 65).await;
    let (_, award_id) = awarded(
        &first,
        "remind-ics",
        &issuer,
        &achievement,
        "ada@example.org",
        "Ada Lovelace",
    )
    .await;
    assert_eq!(deliver(&first, "test").await.sent, 1, "the award's notice");

    // 65 days before: no threshold reached yet.
    assert_eq!(remind_both(&first, &second).await, 0);
    // 59 days before: the 60-day reminder, once, however often and by whomever scanned.
    shift(&[&first, &second], 6);
    assert_eq!(remind_both(&first, &second).await, 1);
    assert_eq!(remind_both(&first, &second).await, 0);
    assert_eq!(remind(&first).await, NoticeRound::default());
    let (a, b) = tokio::join!(deliver(&first, "a"), deliver(&second, "b"));
    assert_eq!(a.sent + b.sent, 1);
    let mail = sink.wait_for(2).await;
    assert_eq!(mail.len(), 2);
    let reminder = &mail[1];
    assert_eq!(
        reminder.header("Subject").as_deref(),
        Some("Foundational AI education expires in 59 days"),
        "{:?}",
        reminder.header("Subject")
    );
    let text = reminder.text();
    assert!(text.contains("issued by Organisation remind-ics"), "{text}");
    assert!(
        text.contains("To renew it, ask Organisation remind-ics to award it again as a renewal"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{}/credentials/{award_id}", first.base_url)),
        "{text}"
    );
    assert!(reminder.html().contains("See the credential"));

    // The holder stops reminders by e-mail in one click; they still come in the app.
    let unsubscribe = reminder
        .header("List-Unsubscribe")
        .expect("an unsubscribe header")
        .trim_matches(|c| c == '<' || c == '>')
        .strip_prefix(&first.base_url)
        .expect("ours")
        .to_owned();
    let done = first
        .request(
            Request::post(unsubscribe)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from("List-Unsubscribe=One-Click"))
                .expect("a request"),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);

    // 29 days, then 6 days before: one reminder each, in the app only.
    shift(&[&first, &second], 30);
    assert_eq!(remind_both(&first, &second).await, 1);
    shift(&[&first, &second], 23);
    assert_eq!(remind_both(&first, &second).await, 1);
    assert_eq!(remind_both(&first, &second).await, 0);
    // Expired: nothing more.
    shift(&[&first, &second], 7);
    assert_eq!(remind_both(&first, &second).await, 0);
    assert_eq!(deliver(&first, "test").await.sent, 0, "unsubscribed");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(sink.received().len(), 2);

    // A fresh session (the clock moved past the first one's end).
    let ada = first.sign_in("ada@example.org", PASSWORD).await;
    let listed = first.call("GET", "/notifications", None, &ada).await.json();
    let reminders: Vec<&Value> = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|n| n["kind"] == "credential_expiring")
        .collect();
    assert_eq!(reminders.len(), 3, "{listed:#}");
    assert_eq!(
        reminders[0]["title"],
        "Foundational AI education expires in 6 days"
    );
    assert_eq!(
        reminders[1]["title"],
        "Foundational AI education expires in 29 days"
    );
    let choice = listed["email"]
        .as_array()
        .expect("choices")
        .iter()
        .find(|c| c["kind"] == "credential_expiring")
        .cloned()
        .expect("the reminders' choice");
    assert_eq!(choice["email"], false);
}

#[tokio::test]
async fn a_renewed_credential_is_not_reminded_of_but_its_renewal_is() {
    let sink = SmtpSink::start();
    let app = app_mailing(Arc::new(TestDb::new().await), &sink.url()).await;
    let (issuer, achievement) = expiring_achievement(&app, "renew-ics", 20).await;
    let (_, old) = awarded(
        &app,
        "renew-ics",
        &issuer,
        &achievement,
        "bo@example.org",
        "Bo Peep",
    )
    .await;
    let (_, other) = awarded(
        &app,
        "renew-ics",
        &issuer,
        &achievement,
        "cy@example.org",
        "Cy Twombly",
    )
    .await;
    // Bo's is renewed; Cy's is not.
    let renewal = award(
        &app,
        "renew-ics",
        &issuer,
        json!({"achievement": achievement, "email": "bo@example.org", "renews": old}),
    )
    .await;
    assert_eq!(renewal.status, StatusCode::CREATED, "{}", renewal.body);
    let renewal = renewal.json()["award"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    assert_eq!(deliver(&app, "test").await.sent, 3);
    let round = remind(&app).await;
    assert_eq!(round.reminders, 2, "Cy's, and Bo's renewal");
    assert_eq!(deliver(&app, "test").await.sent, 2);
    let mail = sink.wait_for(5).await;
    let links: Vec<String> = mail[3..]
        .iter()
        .filter_map(|m| m.link(&format!("{}/credentials/", app.base_url)))
        .collect();
    assert!(links.iter().any(|l| l.ends_with(&other)), "{links:?}");
    assert!(links.iter().any(|l| l.ends_with(&renewal)), "{links:?}");
    assert!(!links.iter().any(|l| l.ends_with(&old)), "{links:?}");
}

#[tokio::test]
async fn accreditation_granted_and_revoked_reach_the_providers_admins_and_issuers() {
    let sink = SmtpSink::start();
    let app = app_mailing(Arc::new(TestDb::new().await), &sink.url()).await;
    app.org("notice-body", "accrediting-body", "web").await;
    app.org("notice-provider", "provider", "web").await;
    let body = app.token("notice-body", "issuer").await;
    for (email, name, role) in [
        ("pat@example.org", "Pat Admin", "admin"),
        ("ivy@example.org", "Ivy Issuer", "issuer"),
        ("sam@example.org", "Sam Assessor", "assessor"),
    ] {
        app.holder(email, name).await;
        app.grant("notice-provider", email, role).await;
    }
    let granted = app
        .call(
            "POST",
            "/api/v1/orgs/notice-body/accreditations",
            Some(json!({"provider": "notice-provider", "pathways": ["foundational"]})),
            &body,
        )
        .await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.body);
    let id = granted.json()["id"].as_str().expect("id").to_owned();
    assert_eq!(
        deliver(&app, "test").await.sent,
        2,
        "the admin and the issuer"
    );
    let revoked = app
        .call(
            "POST",
            &format!("/api/v1/accreditations/{id}/revoke"),
            Some(json!({"reason": "The provider's assessors lapsed."})),
            &body,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert_eq!(deliver(&app, "test").await.sent, 2);
    let mail = sink.wait_for(4).await;
    assert_eq!(mail.len(), 4);
    let mut to: Vec<String> = mail.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(
        to,
        [
            "ivy@example.org",
            "ivy@example.org",
            "pat@example.org",
            "pat@example.org"
        ]
    );
    let subjects: Vec<String> = mail.iter().filter_map(|m| m.header("Subject")).collect();
    assert_eq!(
        subjects[..2],
        [
            "Organisation notice-provider is accredited by Organisation notice-body",
            "Organisation notice-provider is accredited by Organisation notice-body"
        ]
    );
    assert_eq!(
        subjects[2],
        "Organisation notice-body revoked the accreditation of Organisation notice-provider"
    );
    assert!(
        mail[0].text().contains("these pathways: foundational"),
        "{}",
        mail[0].text()
    );
    assert!(
        mail[3]
            .text()
            .contains("Their reason: The provider's assessors lapsed."),
        "{}",
        mail[3].text()
    );
    // The assessor was told nothing; the admin's list has both.
    let sam = app.sign_in("sam@example.org", PASSWORD).await;
    let listed = app.call("GET", "/notifications", None, &sam).await.json();
    assert_eq!(
        listed["items"].as_array().map(Vec::len),
        Some(0),
        "{listed:#}"
    );
    let pat = app.sign_in("pat@example.org", PASSWORD).await;
    let listed = app.call("GET", "/notifications", None, &pat).await.json();
    assert_eq!(listed["items"][0]["kind"], "accreditation");
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(2));
}

/// A holder's piece of evidence for `statement`, submitted to `org`.
async fn submit_evidence(app: &TestApp, holder: &Auth, org: &str, statement: &str) {
    let draft = app
        .call(
            "POST",
            "/api/v1/evidence",
            Some(json!({
                "kind": "reflective-account",
                "narrative": format!("What I learnt about {statement}."),
                "date": "2026-03-01",
                "framework": "nhs-ai-confidence-2022",
                "statement": statement,
                "level": "awareness",
            })),
            holder,
        )
        .await;
    assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.body);
    let id = draft.json()["id"].as_str().expect("an id").to_owned();
    let submitted = app
        .call(
            "POST",
            &format!("/api/v1/evidence/{id}/submit"),
            Some(json!({"org": org})),
            holder,
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
}

#[tokio::test]
async fn assessors_get_one_digest_a_day_of_the_evidence_waiting_for_them() {
    let sink = SmtpSink::start();
    let db = Arc::new(TestDb::new().await);
    let store = db.store().await;
    let mut mail = crate::mail::mail_to(&sink.url());
    mail.digest_hour = 0;
    let app = TestApp::over_with(db, store, move |base| credence_service::RegistryConfig {
        mail,
        ..credence_service::RegistryConfig::for_tests(base).expect("test settings")
    })
    .await;
    app.org("digest-a", "provider", "web").await;
    app.org("digest-b", "provider", "web").await;
    app.org("digest-quiet", "provider", "web").await;
    app.holder("grace@example.org", "Grace Hopper").await;
    app.holder("quinn@example.org", "Quinn Quiet").await;
    app.grant("digest-a", "grace@example.org", "assessor").await;
    app.grant("digest-b", "grace@example.org", "assessor").await;
    app.grant("digest-quiet", "quinn@example.org", "assessor")
        .await;
    let ada = app.holder("ada@example.org", "Ada Lovelace").await;
    submit_evidence(&app, &ada, "digest-a", "T1-01").await;
    submit_evidence(&app, &ada, "digest-a", "T1-02").await;
    submit_evidence(&app, &ada, "digest-b", "T1-03").await;

    let round = remind(&app).await;
    assert_eq!(round.digests, 1, "Grace's; nothing waits for Quinn");
    assert_eq!(remind(&app).await.digests, 0, "one a day");
    assert_eq!(deliver(&app, "test").await.sent, 1);
    let got = sink.wait_for(1).await;
    assert_eq!(got[0].to, ["grace@example.org"]);
    assert_eq!(
        got[0].header("Subject").as_deref(),
        Some("3 pieces of evidence wait for you to assess")
    );
    let text = got[0].text();
    assert!(
        text.contains("- Organisation digest-a: 2 waiting, the oldest for less than a day"),
        "{text}"
    );
    assert!(
        text.contains("- Organisation digest-b: 1 waiting"),
        "{text}"
    );
    assert!(
        text.contains(&format!("Assess evidence: {}/assess", app.base_url)),
        "{text}"
    );
    assert!(got[0]
        .html()
        .contains("<td style=\"padding:4px\">Organisation digest-a</td>"));

    // The next day: another, saying how long the oldest has waited.
    app.services.registry.shift_clock(Duration::days(1));
    assert_eq!(remind(&app).await.digests, 1);
    assert_eq!(deliver(&app, "test").await.sent, 1);
    let got = sink.wait_for(2).await;
    assert!(
        got[1].text().contains("2 waiting, the oldest for 1 day"),
        "{}",
        got[1].text()
    );
}

#[test]
fn the_cli_scans_for_notices_and_refuses_bad_reminder_days_by_name() {
    let dir = tempfile::tempdir().expect("a folder");
    let run = crate::support::credence(dir.path(), &["mail", "remind"], &[]);
    assert!(run.status.success(), "{}", crate::support::stderr(&run));
    let out = crate::support::stdout(&run);
    assert!(
        out.contains("0 expiry reminders, 0 accreditation reminders and 0 assessor digests written (no mail server"),
        "{out}"
    );
    for (variable, value, named) in [
        (
            "CREDENCE_MAIL_EXPIRY_REMINDER_DAYS",
            "60,thirty",
            "CREDENCE_MAIL_EXPIRY_REMINDER_DAYS",
        ),
        ("CREDENCE_MAIL_DIGEST_HOUR", "25", "mail.digest_hour"),
    ] {
        let bad = crate::support::credence(dir.path(), &["mail", "remind"], &[(variable, value)]);
        let err = crate::support::stderr(&bad);
        assert_eq!(bad.status.code(), Some(2), "{err}");
        assert!(err.contains(named), "{err}");
    }
}

#[tokio::test]
async fn an_accreditation_with_an_end_is_reminded_of_once_and_then_no_longer_stands() {
    let sink = SmtpSink::start();
    let app = app_mailing(Arc::new(TestDb::new().await), &sink.url()).await;
    app.org("end-body", "accrediting-body", "web").await;
    app.org("end-provider", "provider", "web").await;
    let body = app.token("end-body", "issuer").await;
    app.holder("pat@example.org", "Pat Admin").await;
    app.grant("end-provider", "pat@example.org", "admin").await;
    let accredit = |until: &str| json!({"provider": "end-provider", "pathways": ["foundational"], "valid_until": until});
    let path = "/api/v1/orgs/end-body/accreditations";
    for bad in ["2020-01-01", "next year"] {
        let refused = app.call("POST", path, Some(accredit(bad)), &body).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(refused.body.contains("/valid_until"), "{}", refused.body);
    }
    let last_day = (chrono::Utc::now() + Duration::days(40)).date_naive();
    let granted = app
        .call("POST", path, Some(accredit(&last_day.to_string())), &body)
        .await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.body);
    let view = granted.json();
    let end = format!("{}T00:00:00+00:00", last_day.succ_opt().expect("a day"));
    assert_eq!(view["valid_until"], end.as_str(), "{view:#}");
    assert_eq!(view["expired"], false);
    let credential = app
        .get(
            view["credential_url"]
                .as_str()
                .and_then(|u| u.strip_prefix(&app.base_url))
                .expect("ours"),
            "application/json",
        )
        .await;
    assert!(
        credential.body.contains(&format!(
            "\"validUntil\":\"{}T00:00:00Z\"",
            last_day.succ_opt().expect("a day")
        )),
        "{}",
        credential.body
    );
    assert_eq!(deliver(&app, "test").await.sent, 1, "the grant");
    // A credential of the provider's, checked while the accreditation stands and after.
    app.services
        .registry
        .with_operator(&operator())
        .trust_body(
            &credence_domain::OrgSlug::new("end-body").expect("a slug"),
            true,
        )
        .await
        .expect("trust the body");
    let (issuer, achievement) = {
        let issuer = app.token("end-provider", "issuer").await;
        let made = app
            .call(
                "POST",
                "/api/v1/orgs/end-provider/achievements",
                Some(json!({"pathway": "foundational"})),
                &issuer,
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        (
            issuer,
            made.json()["uuid"].as_str().expect("uuid").to_owned(),
        )
    };
    let holder = app.holder("ada@example.org", "Ada").await;
    attest_foundational(&app, &account_id(&app, &holder).await, 30).await;
    let made = award(
        &app,
        "end-provider",
        &issuer,
        json!({"achievement": achievement, "email": "ada@example.org"}),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let vc = made.json()["credential"].clone();
    let accreditation_check = |report: Value| {
        report["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .find(|c| c["code"] == "accreditation")
            .cloned()
            .expect("an accreditation check")
    };
    let check = accreditation_check(crate::registry_awards::verify(&app, &vc).await);
    assert_eq!(check["outcome"], "passed", "{check}");
    assert_eq!(deliver(&app, "test").await.sent, 1, "the award's notice");

    // Within 30 days of the end: one reminder, once.
    app.services.registry.shift_clock(Duration::days(11));
    let round = remind(&app).await;
    assert_eq!(round.accreditations, 1, "{round:?}");
    assert_eq!(remind(&app).await.accreditations, 0);
    assert_eq!(deliver(&app, "test").await.sent, 1);
    let mail = sink.wait_for(3).await;
    let mail = &mail[1..];
    assert_eq!(
        mail[1].header("Subject").as_deref(),
        Some("The accreditation of Organisation end-provider by Organisation end-body ends in 30 days")
    );
    assert!(
        mail[1].text().contains("To keep it, ask Organisation end-body to accredit Organisation end-provider again before then."),
        "{}",
        mail[1].text()
    );

    // Past its end it no longer stands.
    app.services.registry.shift_clock(Duration::days(31));
    let listed = app
        .call(
            "GET",
            "/api/v1/orgs/end-provider/accreditations",
            None,
            &Auth::None,
        )
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    assert!(listed.body.contains("\"expired\":true"), "{}", listed.body);
    let check = accreditation_check(crate::registry_awards::verify(&app, &vc).await);
    assert_eq!(check["outcome"], "warning", "{check}");
    assert!(
        check["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Organisation end-body (expired)"),
        "{check}"
    );
}
