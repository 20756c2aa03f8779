//! An award in a few kilobytes (issue 22): the embedded achievement is stored once, and
//! `/credentials/{id}` still serves, byte for byte, the text that was signed. Every award of
//! the demo world is signed into the layout of before (whole), rewritten by the migration's
//! compaction and served again identical; a new award is stored split and served as
//! signed; a changed part or a changed rest is refused, never served. (The property test of
//! split and rebuild is `credence-store`'s `credential_layout::tests`.)

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::StatusCode;
use credence_service::{Actor, Operator, RegistryConfig};
use credence_store::registry::{AwardRow, CredentialStorage, Page};
use credence_store::Store;
use credence_vc::verify::Outcome;
use serde_json::{json, Value};

use crate::registry_awards::{award, issuer_setup};
use crate::support::{Auth, TestApp, TestDb};

/// Every award of every organisation, from the store (credentials as the store returns them).
async fn every_award(store: &Store) -> Vec<AwardRow> {
    let tx = store.read().await.expect("read");
    let mut all = Vec::new();
    for org in tx.orgs().await.expect("organisations") {
        let mut offset = 0;
        loop {
            let page = tx
                .awards_of_org(&org.id, Page::new(offset, 500))
                .await
                .expect("awards");
            if page.is_empty() {
                break;
            }
            offset += page.len() as u64;
            all.extend(page);
        }
    }
    all
}

async fn storage(store: &Store) -> CredentialStorage {
    let tx = store.read().await.expect("read");
    tx.credential_storage().await.expect("storage figures")
}

/// `GET /credentials/{id}` as JSON, as an issuer of the award's organisation.
async fn served(app: &TestApp, id: &str, auth: &Auth) -> crate::support::Reply {
    app.call("GET", &format!("/credentials/{id}?format=json"), None, auth)
        .await
}

/// Another process of `app`'s registry (its address and master key) over `store`.
async fn same_registry(app: &TestApp, store: Store) -> TestApp {
    let config = app.services.registry.config();
    let (base_url, master_key) = (config.base_url.clone(), config.master_key.clone());
    TestApp::over_with(app.db.clone(), store, move |_| {
        let mut config = RegistryConfig::for_tests(&base_url).expect("test settings");
        config.master_key = master_key;
        config
    })
    .await
}

/// Whether the registry finds the credential's proof intact.
async fn proof_passes(app: &TestApp, text: &str) -> bool {
    let doc: Value = serde_json::from_str(text).expect("JSON");
    let report = app
        .services
        .registry
        .public()
        .verify_credential_json(&doc)
        .await
        .expect("a report");
    report
        .checks
        .iter()
        .any(|c| c.code == "proof" && c.outcome == Outcome::Passed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_award_is_served_byte_for_byte_as_signed_once_compacted() {
    let db = Arc::new(TestDb::new().await);
    // Signed and stored whole, as before the migration: the rows hold the signed text.
    let whole = db.store().await.writing_credentials_whole();
    let before_app = TestApp::over(db.clone(), whole.clone()).await;
    let operator = Actor::from_operator(&Operator::local_command_line())
        .operator()
        .expect("the operator");
    before_app
        .services
        .registry
        .with_operator(&operator)
        .seed_demo(|_| {})
        .await
        .expect("the demo world");
    let signed = every_award(&whole).await;
    let before = storage(&whole).await;
    assert!(signed.len() >= 6, "{} awards", signed.len());
    assert_eq!(before.unhashed, signed.len() as u64, "{before:?}");
    assert_eq!(before.split, 0);

    // A store opened after the upgrade: its migration rewrites every row.
    let store = db.store().await;
    let after = storage(&store).await;
    let with_achievement = signed.iter().filter(|a| a.achievement_id.is_some()).count();
    assert_eq!(after.awards, before.awards);
    assert_eq!(after.unhashed, 0, "{after:?}");
    assert!(after.split as usize >= with_achievement, "{after:?}");
    assert_eq!(after.packed, after.awards, "{after:?}");
    eprintln!(
        "demo on {}: {} awards, {} split; credentials {} bytes before, {} after ({} per \
         award), {} parts of {} bytes",
        TestDb::engine(),
        after.awards,
        after.split,
        before.award_bytes,
        after.award_bytes,
        after.award_bytes / after.awards,
        after.parts,
        after.part_bytes
    );
    // 15 awards share 5 parts (each achievement, about 33 KB with its CASE alignments), so
    // the parts are amortised over few awards here; at 10,000 awards they vanish
    // (BENCHMARKS.md, "Storage").
    assert!(
        after.award_bytes + after.part_bytes < before.award_bytes / 3,
        "{before:?} {after:?}"
    );
    assert!(after.award_bytes / after.awards < 2 * 1024, "{after:?}");

    // Served at /credentials/{id}: exactly the bytes signed, and the proof holds.
    let app = same_registry(&before_app, store.clone()).await;
    let mut tokens = HashMap::new();
    for org in store
        .read()
        .await
        .expect("read")
        .orgs()
        .await
        .expect("orgs")
    {
        tokens.insert(org.id.clone(), app.token(org.slug.as_str(), "issuer").await);
    }
    for award in &signed {
        let reply = served(&app, award.id.as_str(), &tokens[&award.org_id]).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.header("content-type"), "application/ld+json");
        assert!(
            reply.body == award.credential,
            "award {} is served other bytes than were signed",
            award.id
        );
        assert!(proof_passes(&app, &reply.body).await, "award {}", award.id);
    }
    // The store reads the same text for every award, list or single.
    let again = every_award(&store).await;
    assert_eq!(again, signed);

    // A new award is stored split from the start, and served as it was signed: its hash
    // was taken from the signed text before it was stored, and every read checks it.
    let demo_achievement = signed
        .iter()
        .find(|a| a.achievement_id.is_some() && a.org_id == signed[0].org_id)
        .or_else(|| signed.iter().find(|a| a.achievement_id.is_some()))
        .expect("an award of an achievement");
    let org = store
        .read()
        .await
        .expect("read")
        .org(&demo_achievement.org_id)
        .await
        .expect("read")
        .expect("the organisation");
    let achievement = demo_achievement
        .achievement_id
        .as_ref()
        .expect("an achievement")
        .to_string();
    let justification = "Completed the equivalent programme at a partner trust in 2025.";
    let made = award(
        &app,
        org.slug.as_str(),
        &tokens[&org.id],
        json!({"achievement": achievement, "email": "new.person@example.org", "override_justification": justification}),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let id = made.json()["award"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let reply = served(&app, &id, &tokens[&org.id]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json(), made.json()["credential"]);
    assert!(proof_passes(&app, &reply.body).await);
    let now = storage(&store).await;
    assert_eq!(now.split, after.split + 1, "{now:?}");
    assert_eq!(now.parts, after.parts, "the achievement's part is shared");
}

#[tokio::test]
async fn a_changed_part_or_rest_is_refused_never_served() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::new().await;
    let (issuer, achievement) = issuer_setup(&app, "linchester-ics", "web").await;
    let justification = "Completed the equivalent programme at a partner trust in 2025.";
    let mut ids = Vec::new();
    let mut credentials = Vec::new();
    for email in ["cy@example.org", "di@example.org"] {
        let made = award(&app, "linchester-ics", &issuer, json!({"achievement": achievement, "email": email, "override_justification": justification})).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        ids.push(
            made.json()["award"]["id"]
                .as_str()
                .expect("an id")
                .to_owned(),
        );
        credentials.push(made.json()["credential"].clone());
    }
    let (a, b) = (&ids[0], &ids[1]);
    let figures = storage(app.services.registry.store()).await;
    assert_eq!((figures.split, figures.packed, figures.parts), (2, 2, 1));
    // Read by another process, which has not seen the part yet.
    let app = same_registry(&app, app.db.store().await).await;

    let sql = sea_orm::Database::connect(&app.db.url)
        .await
        .expect("connect");
    let run = |statement: String| {
        let sql = &sql;
        async move {
            sql.execute_unprepared(&statement).await.expect("tamper");
        }
    };
    let refused = |reply: crate::support::Reply| {
        assert_eq!(
            reply.status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "{}",
            reply.body
        );
        assert!(reply
            .header("content-type")
            .starts_with("application/problem+json"));
        assert!(!reply.body.contains("Achievement"), "{}", reply.body);
    };
    let good = |reply: crate::support::Reply, credential: &Value| {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(&reply.json(), credential);
    };
    // The part, changed before anything read it: refused (it no longer hashes to its id).
    run("UPDATE credential_parts SET text = replace(text, 'Achievement', 'Achievemant')".into())
        .await;
    refused(served(&app, a, &issuer).await);
    run("UPDATE credential_parts SET text = replace(text, 'Achievemant', 'Achievement')".into())
        .await;
    good(served(&app, a, &issuer).await, &credentials[0]);
    // The part put back at another place: refused.
    run(format!(
        "UPDATE awards SET credential_part_at = credential_part_at + 1 WHERE id = '{a}'"
    ))
    .await;
    refused(served(&app, a, &issuer).await);
    run(format!(
        "UPDATE awards SET credential_part_at = credential_part_at - 1 WHERE id = '{a}'"
    ))
    .await;
    good(served(&app, a, &issuer).await, &credentials[0]);
    // Another award's rest, which unpacks well with the same part: refused (the whole no
    // longer hashes as signed), as is a rest that is no zstd frame at all.
    run(format!(
        "UPDATE awards SET credential_packed = (SELECT w.credential_packed FROM awards w \
         WHERE w.id = '{b}') WHERE id = '{a}'"
    ))
    .await;
    refused(served(&app, a, &issuer).await);
    good(served(&app, b, &issuer).await, &credentials[1]);
    run(format!(
        "UPDATE awards SET credential_packed = credential_part WHERE id = '{b}'"
    ))
    .await;
    refused(served(&app, b, &issuer).await);
}
