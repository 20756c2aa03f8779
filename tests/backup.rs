//! `credence backup`: a SQLite registry with an award is copied while it serves, restored
//! by pointing a fresh data folder at the copy, and there the credential still verifies and
//! a new award is signed (the copied master key opens the copied signing key).

use std::sync::Arc;

use axum::http::StatusCode;
use credence_service::RegistryConfig;
use credence_vc::sealed::MasterKey;
use serde_json::json;

use crate::registry_awards::{
    account_id, assert_all_pass, attest_foundational, award, issuer_setup, verify, FOUNDATIONAL,
};
use crate::support::{credence, stderr, stdout, TestApp, TestDb};

/// Settings at `base_url` with the master key in `file`.
fn settings(base_url: &str, file: &std::path::Path) -> RegistryConfig {
    let mut config = RegistryConfig::for_tests(base_url).expect("test settings");
    let text = std::fs::read_to_string(file).expect("read the master key");
    config.master_key = MasterKey::from_hex(&text).expect("a master key");
    config
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_of_a_serving_registry_restores_with_working_keys() {
    // A registry on SQLite in its data folder, its master key in master.key there.
    let data = Arc::new(TestDb::sqlite());
    let key_file = data.dir().join("master.key");
    let key = MasterKey::generate().expect("a master key");
    std::fs::write(&key_file, key.to_hex().as_bytes()).expect("write the master key");
    let app = TestApp::over_with(data.clone(), data.store().await, |base| {
        settings(base, &key_file)
    })
    .await;
    let base_url = app.base_url.clone();
    let (issuer, achievement) = issuer_setup(&app, "linchester-ics", "web").await;
    let ada = app.holder("ada@example.org", "Ada").await;
    attest_foundational(&app, &account_id(&app, &ada).await, FOUNDATIONAL).await;
    let reply = award(
        &app,
        "linchester-ics",
        &issuer,
        json!({"achievement": achievement, "email": "ada@example.org", "key": "b-1"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let credential = reply.json()["credential"].clone();

    // The backup runs while the application holds its pool open.
    let backups = tempfile::tempdir().expect("a folder");
    let dest = backups.path().join("nightly");
    let data_dir = data.dir().to_string_lossy().into_owned();
    let env = [("CREDENCE_DATA_DIR", data_dir.as_str())];
    let dest_arg = dest.to_string_lossy().into_owned();
    let out = tokio::task::block_in_place(|| {
        credence(backups.path(), &["backup", dest_arg.as_str()], &env)
    });
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let progress = stderr(&out);
    assert!(progress.contains("Copying the database"), "{progress}");
    assert!(progress.contains("Copied the master key"), "{progress}");
    assert!(stdout(&out).contains("Backup complete"), "{}", stdout(&out));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for file in ["master.key", "credence.db"] {
            let mode = std::fs::metadata(dest.join(file))
                .expect("a backed-up file")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{file}");
        }
    }
    // A second backup into the same folder is refused rather than overwriting it.
    let again = tokio::task::block_in_place(|| {
        credence(backups.path(), &["backup", dest_arg.as_str()], &env)
    });
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));

    // Restore: a fresh data folder holding the copy, served at the same public address.
    drop(app);
    let restored = Arc::new(TestDb::sqlite());
    for file in ["credence.db", "master.key"] {
        std::fs::copy(dest.join(file), restored.dir().join(file)).expect("copy the backup");
    }
    let restored_key = restored.dir().join("master.key");
    let app = TestApp::over_with(restored.clone(), restored.store().await, |_| {
        settings(&base_url, &restored_key)
    })
    .await;
    assert_all_pass(&verify(&app, &credential).await);
    let bob = app.holder("bob@example.org", "Bob").await;
    attest_foundational(&app, &account_id(&app, &bob).await, FOUNDATIONAL).await;
    let reply = award(
        &app,
        "linchester-ics",
        &issuer,
        json!({"achievement": achievement, "email": "bob@example.org", "key": "b-2"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_all_pass(&verify(&app, &reply.json()["credential"]).await);

    // The audit chain came across whole.
    let restored_dir = restored.dir().to_string_lossy().into_owned();
    let audit = tokio::task::block_in_place(|| {
        credence(
            restored.dir(),
            &["audit", "verify"],
            &[("CREDENCE_DATA_DIR", restored_dir.as_str())],
        )
    });
    assert!(audit.status.success(), "{}", stderr(&audit));
}

#[test]
fn backup_of_postgresql_is_refused_with_directions() {
    let dir = tempfile::tempdir().expect("a folder");
    let out = credence(
        dir.path(),
        &["backup", "out"],
        &[(
            "CREDENCE_DATABASE_URL",
            "postgres://credence:secret@db:5432/credence",
        )],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let message = stderr(&out);
    assert!(message.contains("pg_dump"), "{message}");
    assert!(!message.contains("secret"), "{message}");
    assert!(!dir.path().join("out").exists());
}
