//! Framework import through the service: idempotence, versions side by side, conflicts.

use credence_service::{Operator, ServiceError, Services};
use serde_json::Value;

use crate::support::TestDb;

fn nhs() -> Value {
    serde_json::from_str(credence_domain::bundled::NHS_AI_CONFIDENCE_2022).unwrap()
}

#[tokio::test]
async fn import_is_idempotent_and_keeps_versions_side_by_side() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let services = Services::new(store.clone(), test_config());
    let op = Operator::local_command_line();
    let bytes = serde_json::to_vec(&nhs()).unwrap();

    let first = services.frameworks.import(&op, &bytes).await.unwrap();
    assert!(first.created);
    assert_eq!(first.statements, 242);
    // The same content again, even with different whitespace, changes nothing.
    let pretty = serde_json::to_vec_pretty(&nhs()).unwrap();
    let again = services.frameworks.import(&op, &pretty).await.unwrap();
    assert!(!again.created);
    assert_eq!(store.list_frameworks().await.unwrap().len(), 1);

    // A new version is stored beside the old one; the latest is served by default.
    let mut v2 = nhs();
    v2["version"] = "1.2.0".into();
    v2["statements"][0]["text"] = "Awareness of examples of AI applications (revised)".into();
    let second = services
        .frameworks
        .import(&op, &serde_json::to_vec(&v2).unwrap())
        .await
        .unwrap();
    assert!(second.created);
    let versions = store.list_frameworks().await.unwrap();
    assert_eq!(versions.len(), 2);
    for v in &versions {
        assert_eq!(store.count_statements(v.id).await.unwrap(), 242);
    }
    let slug = "nhs-ai-confidence-2022".parse().unwrap();
    let latest = services.frameworks.get(&slug, None).await.unwrap();
    assert_eq!(latest.version(), "1.2.0");
    let old = services.frameworks.get(&slug, Some("1.1.0")).await.unwrap();
    assert_eq!(
        old.document().statements[0].text,
        "Awareness of examples of AI applications and algorithms used in health and care"
    );
}

#[tokio::test]
async fn a_changed_document_under_an_existing_version_is_refused() {
    let db = TestDb::new().await;
    let services = Services::new(db.store().await, test_config());
    let op = Operator::local_command_line();
    services
        .frameworks
        .import(&op, &serde_json::to_vec(&nhs()).unwrap())
        .await
        .unwrap();
    let mut changed = nhs();
    changed["title"] = "Something else".into();
    let err = services
        .frameworks
        .import(&op, &serde_json::to_vec(&changed).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(err, ServiceError::Conflict(ref m) if m.contains("new version")),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_invalid_document_writes_nothing() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let services = Services::new(store.clone(), test_config());
    let mut bad = nhs();
    bad["statements"][3]["level"] = "mastery".into();
    let err = services
        .frameworks
        .import(
            &Operator::local_command_line(),
            &serde_json::to_vec(&bad).unwrap(),
        )
        .await
        .unwrap_err();
    let ServiceError::Invalid(problems) = err else {
        panic!("expected invalid, got {err:?}");
    };
    assert_eq!(problems.0[0].pointer, "/statements/3/level");
    assert!(store.list_frameworks().await.unwrap().is_empty());
}

#[tokio::test]
async fn concurrent_imports_of_one_version_store_it_once() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let services = Services::new(store.clone(), test_config());
    let bytes = serde_json::to_vec(&nhs()).unwrap();
    let op = Operator::local_command_line();
    let (a, b) = tokio::join!(
        services.frameworks.import(&op, &bytes),
        services.frameworks.import(&op, &bytes)
    );
    let created = [a.unwrap(), b.unwrap()]
        .iter()
        .filter(|r| r.created)
        .count();
    assert_eq!(created, 1);
    assert_eq!(store.list_frameworks().await.unwrap().len(), 1);
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_foreign_keys() {
    let db = TestDb::new().await;
    let settings = db.store().await.sqlite_settings().await.unwrap();
    match TestDb::engine() {
        // The log is checkpointed every 64 MB, not SQLite's 4 MB (see OPERATIONS.md).
        "sqlite" => assert_eq!(
            settings,
            Some(credence_store::SqliteSettings {
                journal_mode: "wal".to_owned(),
                foreign_keys: true,
                wal_autocheckpoint_pages: 16_384,
            })
        ),
        _ => assert_eq!(settings, None),
    }
}

fn test_config() -> credence_service::RegistryConfig {
    credence_service::RegistryConfig::for_tests("https://credence.test").expect("test settings")
}
