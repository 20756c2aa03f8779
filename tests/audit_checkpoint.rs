//! Signed checkpoints of the audit chain. The attack they answer: someone who can write the
//! database edits an entry and recomputes every later hash and the head, so the plain chain
//! check holds; a checkpoint made before (stored, saved by an outsider from
//! `GET /audit/checkpoint` or `credence audit checkpoint`) no longer matches, and
//! `credence audit verify` names the first entry after the last checkpoint that does.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::http::StatusCode;
use credence_domain::registry::AUDIT_GENESIS;
use credence_service::audit_chain::{AuditCheckpoint, CHECKPOINT_EVERY};
use credence_service::RegistryConfig;
use credence_store::registry::NewAuditEntry;
use credence_store::{DatabaseConfig, DatabaseUrl, Store};
use credence_vc::keys::VerifyingKey;
use credence_vc::sealed::MasterKey;
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, TransactionTrait};
use serde_json::Value;

use crate::support::{credence, stderr, stdout, TestApp, TestDb};

/// A registry whose master key is in a file, so that the application in this process and
/// the `credence` commands sign with the same audit key.
struct Setup {
    db: Arc<TestDb>,
    app: TestApp,
    folder: tempfile::TempDir,
    key_file: PathBuf,
}

impl Setup {
    async fn new() -> Self {
        let db = Arc::new(TestDb::new().await);
        let folder = tempfile::tempdir().expect("a folder");
        let key_file = folder.path().join("master.key");
        let key = MasterKey::generate().expect("a master key");
        std::fs::write(&key_file, key.to_hex().as_bytes()).expect("write the master key");
        let file = key_file.clone();
        let app = TestApp::over_with(db.clone(), db.store().await, move |base| {
            let mut config = RegistryConfig::for_tests(base).expect("test settings");
            let text = std::fs::read_to_string(&file).expect("read the master key");
            config.master_key = MasterKey::from_hex(&text).expect("a master key");
            config
        })
        .await;
        Self {
            db,
            app,
            folder,
            key_file,
        }
    }

    /// Runs `credence` on this registry's database and master key.
    fn credence(&self, args: &[&str]) -> std::process::Output {
        let key_file = self.key_file.to_string_lossy().into_owned();
        let env = [
            ("CREDENCE_DATABASE_URL", self.db.url.as_str()),
            ("CREDENCE_MASTER_KEY_FILE", key_file.as_str()),
        ];
        tokio::task::block_in_place(|| credence(self.folder.path(), args, &env))
    }

    /// `credence audit checkpoint`, read back.
    fn cli_checkpoint(&self) -> AuditCheckpoint {
        let out = self.credence(&["audit", "checkpoint"]);
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_str(&stdout(&out))
            .unwrap_or_else(|e| panic!("not a checkpoint ({e}): {}", stdout(&out)))
    }

    /// `credence audit verify`, optionally with a checkpoint file.
    fn verify(&self, checkpoint: Option<&Path>) -> std::process::Output {
        let file = checkpoint.map(|p| p.to_string_lossy().into_owned());
        let mut args = vec!["audit", "verify"];
        if let Some(file) = &file {
            args.extend(["--checkpoint", file.as_str()]);
        }
        self.credence(&args)
    }

    /// Writes `value` as JSON into a file of the test's folder.
    fn save(&self, name: &str, value: &impl serde::Serialize) -> PathBuf {
        let path = self.folder.path().join(name);
        std::fs::write(&path, serde_json::to_vec_pretty(value).expect("JSON")).expect("write");
        path
    }

    async fn head(&self) -> (i64, String) {
        let tx = self
            .app
            .services
            .registry
            .store()
            .read()
            .await
            .expect("a read");
        tx.audit_head().await.expect("the head")
    }

    /// The public key outsiders check checkpoints with, from the master key file alone.
    fn audit_public_key(&self) -> String {
        let text = std::fs::read_to_string(&self.key_file).expect("read the master key");
        let key = MasterKey::from_hex(&text).expect("a master key");
        key.audit_verifying_key().to_multibase()
    }
}

/// `GET /audit/checkpoint`, through the application's route table.
async fn get_checkpoint(app: &TestApp) -> (StatusCode, String) {
    let reply = app.get("/audit/checkpoint", "application/json").await;
    (reply.status, reply.body)
}

/// Checks a published checkpoint as an outsider would, from its JSON alone: the signed
/// bytes rebuilt from the documented form, the signature checked with the published key.
fn outsider_checks(json: &Value) {
    assert_eq!(json["type"], "CredenceAuditCheckpoint", "{json}");
    let field = |name: &str| {
        json[name]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: {json}"))
    };
    let seq = json["seq"].as_i64().expect("seq");
    let message = format!(
        "credence-audit-checkpoint\n{seq}\n{}\n{}",
        field("hash"),
        field("at")
    );
    let key = VerifyingKey::from_multibase(field("publicKeyMultibase")).expect("a public key");
    assert!(field("publicKeyMultibase").starts_with("z6Mk"), "{json}");
    assert!(
        key.verify_multibase(message.as_bytes(), field("signature")),
        "{json}"
    );
    assert!(
        chrono::DateTime::parse_from_rfc3339(field("at")).is_ok(),
        "{json}"
    );
}

/// Makes `count` more entries in the application (holders registering).
async fn entries(app: &TestApp, tag: &str, count: usize) {
    for i in 0..count {
        app.holder(&format!("{tag}{i}@example.org"), &format!("{tag} {i}"))
            .await;
    }
}

/// A statement with `?` placeholders, numbered for PostgreSQL.
fn statement(backend: DatabaseBackend, sql: &str, values: Vec<sea_orm::Value>) -> Statement {
    let sql = if backend == DatabaseBackend::Postgres {
        let mut n = 0;
        sql.chars()
            .map(|c| match c {
                '?' => {
                    n += 1;
                    format!("${n}")
                }
                c => c.to_string(),
            })
            .collect()
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// What an attacker with write access to the database does: changes entry `seq`'s detail,
/// then recomputes its hash and every later one (the store's own hash function) and the
/// head, so that every link holds again.
async fn rewrite_entry(url: &str, store: &Store, seq: i64, detail: &str) {
    let rows = {
        let tx = store.read().await.expect("a read");
        tx.audit_chain(seq - 1, 1_000_000).await.expect("entries")
    };
    let conn = sea_orm::Database::connect(url).await.expect("connect");
    let backend = conn.get_database_backend();
    let tx = conn.begin().await.expect("a transaction");
    let mut prev = rows.first().expect("the entry").prev_hash.clone();
    for mut row in rows {
        if row.seq == seq {
            row.detail = detail.to_owned();
        }
        row.hash = row.expected_hash(&prev);
        tx.execute(statement(
            backend,
            "UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ? WHERE seq = ?",
            vec![
                row.detail.clone().into(),
                prev.clone().into(),
                row.hash.clone().into(),
                row.seq.into(),
            ],
        ))
        .await
        .expect("rewrite an entry");
        prev = row.hash;
    }
    tx.execute(statement(
        backend,
        "UPDATE audit_head SET hash = ? WHERE id = 1",
        vec![prev.into()],
    ))
    .await
    .expect("rewrite the head");
    tx.commit().await.expect("commit");
    conn.close().await.expect("close");
}

/// The attacker also removes a stored checkpoint that would betray them.
async fn delete_checkpoint(db: &TestDb, seq: i64) {
    let conn = sea_orm::Database::connect(&db.url).await.expect("connect");
    let backend = conn.get_database_backend();
    conn.execute(statement(
        backend,
        "DELETE FROM audit_checkpoints WHERE seq = ?",
        vec![seq.into()],
    ))
    .await
    .expect("delete a checkpoint");
    conn.close().await.expect("close");
}

/// The chain check without checkpoints: every link and hash, and the head.
async fn plain_chain_holds(store: &Store) -> bool {
    let tx = store.read().await.expect("a read");
    let rows = tx.audit_chain(0, 1_000_000).await.expect("entries");
    let (head_seq, head_hash) = tx.audit_head().await.expect("the head");
    let mut prev = AUDIT_GENESIS.to_owned();
    for (n, row) in (1..).zip(&rows) {
        if row.seq != n || row.prev_hash != prev || row.expected_hash(&prev) != row.hash {
            return false;
        }
        prev = row.hash.clone();
    }
    i64::try_from(rows.len()) == Ok(head_seq) && prev == head_hash
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rewritten_chain_is_caught_by_the_checkpoints_made_before() {
    let setup = Setup::new().await;
    let app = &setup.app;
    app.org("linchester-ics", "provider", "key").await;
    entries(app, "early", 2).await;

    // A checkpoint made by the operator's command, signed with the installation's key.
    let first = setup.cli_checkpoint();
    assert_eq!((first.seq, first.hash.clone()), setup.head().await);
    assert_eq!(first.public_key_multibase, setup.audit_public_key());
    first.check_signature().expect("a valid checkpoint");
    // Asked again with no new entry, the same checkpoint.
    assert_eq!(setup.cli_checkpoint(), first);

    // More entries, a second checkpoint, which an outsider saves from the public endpoint.
    entries(app, "middle", 3).await;
    let second = setup.cli_checkpoint();
    assert!(second.seq > first.seq + 2, "{second:?}");
    let (status, body) = get_checkpoint(app).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let published: Value = serde_json::from_str(&body).expect("JSON");
    outsider_checks(&published);
    assert_eq!(published["seq"], second.seq);
    assert_eq!(published["publicKeyMultibase"], setup.audit_public_key());
    let saved = setup.folder.path().join("cp.json");
    std::fs::write(&saved, &body).expect("save the checkpoint");

    entries(app, "late", 2).await;
    let out = setup.verify(Some(&saved));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("3 checkpoints match it (the one in"),
        "{}",
        stdout(&out)
    );

    // The attack: an entry between the two checkpoints is edited and the chain recomputed.
    let store = app.services.registry.store();
    let victim = first.seq + 2;
    rewrite_entry(
        &setup.db.url,
        store,
        victim,
        r#"{"email":"mallory@example.org"}"#,
    )
    .await;
    assert!(
        plain_chain_holds(store).await,
        "the plain chain check is fooled"
    );
    let out = setup.verify(None);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let message = stderr(&out);
    let after = format!(
        "rewritten after checkpoint seq {} (hash {})",
        first.seq, first.hash
    );
    assert!(message.contains(&after), "{message}");
    assert!(
        message.contains(&format!("broken at entry {}", first.seq + 1)),
        "{message}"
    );
    assert!(
        message.contains(&format!("entry {} differs", first.seq + 1)),
        "{message}"
    );
    assert!(
        message.contains(&format!("checkpoint seq {} signed hash", second.seq)),
        "{message}"
    );

    // The attacker removes the stored checkpoint that betrays them: the database alone is
    // fooled again, the outsider's copy is not.
    delete_checkpoint(&setup.db, second.seq).await;
    let out = setup.verify(None);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = setup.verify(Some(&saved));
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let message = stderr(&out);
    assert!(message.contains(&after), "{message}");
    assert!(
        message.contains(&format!("the given checkpoint (seq {})", second.seq)),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checkpoints_are_made_as_the_chain_grows() {
    let setup = Setup::new().await;
    let app = &setup.app;
    let (status, body) = get_checkpoint(app).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    // Appends through the registry's store: a checkpoint each time one passes a multiple
    // of CHECKPOINT_EVERY, of the head it leaves.
    let store = app.services.registry.store();
    let append = |count: i64| async move {
        let entry = NewAuditEntry {
            at: chrono::Utc::now(),
            actor: "operator:test".into(),
            action: "test.entry".into(),
            org_id: None,
            subject: "test".into(),
            detail: "{}".into(),
        };
        let tx = store.write().await.expect("a write");
        let batch = (0..count).map(|_| entry.clone()).collect();
        tx.append_audit_many(batch).await.expect("append");
        tx.commit().await.expect("commit");
    };
    let (start, _) = setup.head().await;
    let to_first = CHECKPOINT_EVERY - start % CHECKPOINT_EVERY;
    append(to_first - 1).await;
    assert_eq!(get_checkpoint(app).await.0, StatusCode::NOT_FOUND);
    append(3).await;
    let (status, body) = get_checkpoint(app).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let published: Value = serde_json::from_str(&body).expect("JSON");
    outsider_checks(&published);
    let head = setup.head().await;
    assert_eq!(published["seq"], head.0);
    assert_eq!(published["hash"], head.1);
    append(CHECKPOINT_EVERY + 5).await;
    let (_, body) = get_checkpoint(app).await;
    let published: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(published["seq"], setup.head().await.0);

    let out = setup.verify(None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("2 checkpoints match"),
        "{}",
        stdout(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checkpoints_signed_with_another_key_or_malformed_are_refused() {
    let setup = Setup::new().await;
    setup.app.org("linchester-ics", "provider", "key").await;
    let (seq, hash) = setup.head().await;
    let stranger = MasterKey::generate().expect("a master key");

    // A file signed with another key, of the right entry and hash: refused, naming it.
    let foreign = AuditCheckpoint::sign(&stranger, seq, &hash, chrono::Utc::now());
    foreign.check_signature().expect("valid in itself");
    let file = setup.save("foreign.json", &foreign);
    let out = setup.verify(Some(&file));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let message = stderr(&out);
    assert!(message.contains("foreign.json"), "{message}");
    assert!(message.contains("signed by another key"), "{message}");

    // A checkpoint of ours whose hash was changed: its signature no longer holds.
    let ours = setup.cli_checkpoint();
    let altered = AuditCheckpoint {
        hash: "ab".repeat(32),
        ..ours.clone()
    };
    let file = setup.save("altered.json", &altered);
    let out = setup.verify(Some(&file));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("signature does not verify"),
        "{}",
        stderr(&out)
    );

    // Files that are not checkpoints at all.
    let not_json = setup.folder.path().join("garbage.json");
    std::fs::write(&not_json, "{\"seq\": ").expect("write");
    let missing = setup.folder.path().join("missing.json");
    let wrong_shape = setup.save("shape.json", &serde_json::json!({"seq": "one"}));
    for file in [&not_json, &missing, &wrong_shape] {
        let out = setup.verify(Some(file));
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        let name = file.file_name().expect("a name").to_string_lossy();
        assert!(stderr(&out).contains(name.as_ref()), "{}", stderr(&out));
    }

    // A checkpoint slipped into the database, signed with the attacker's key.
    setup.app.holder("ada@example.org", "Ada").await;
    let (seq, hash) = setup.head().await;
    let forged = AuditCheckpoint::sign(&stranger, seq, &hash, chrono::Utc::now());
    let store = setup.db.store().await;
    let tx = store.write().await.expect("a write");
    tx.insert_audit_checkpoint(forged.into())
        .await
        .expect("insert");
    tx.commit().await.expect("commit");
    let out = setup.verify(None);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let message = stderr(&out);
    assert!(
        message.contains(&format!("checkpoint seq {seq} is not valid")),
        "{message}"
    );
    assert!(message.contains("signed by another key"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_carries_a_checkpoint_its_copy_is_checked_against() {
    // `credence backup` copies SQLite registries: a data folder with its master key.
    let data = Arc::new(TestDb::sqlite());
    let key_file = data.dir().join("master.key");
    let key = MasterKey::generate().expect("a master key");
    std::fs::write(&key_file, key.to_hex().as_bytes()).expect("write the master key");
    let app = TestApp::over_with(data.clone(), data.store().await, |base| {
        let mut config = RegistryConfig::for_tests(base).expect("test settings");
        config.master_key = key.clone();
        config
    })
    .await;
    app.org("linchester-ics", "provider", "key").await;
    entries(&app, "holder", 3).await;

    let backups = tempfile::tempdir().expect("a folder");
    let dest = backups.path().join("nightly");
    let data_dir = data.dir().to_string_lossy().into_owned();
    let dest_arg = dest.to_string_lossy().into_owned();
    let out = tokio::task::block_in_place(|| {
        credence(
            backups.path(),
            &["backup", dest_arg.as_str()],
            &[("CREDENCE_DATA_DIR", data_dir.as_str())],
        )
    });
    assert!(out.status.success(), "{}", stderr(&out));
    let saved = backups.path().join("nightly.checkpoint.json");
    let text = std::fs::read_to_string(&saved).expect("the checkpoint beside the backup");
    let checkpoint: Value = serde_json::from_str(&text).expect("JSON");
    outsider_checks(&checkpoint);
    let head = {
        let tx = app.services.registry.store().read().await.expect("a read");
        tx.audit_head().await.expect("the head")
    };
    assert_eq!(checkpoint["seq"], head.0);
    assert_eq!(
        checkpoint["publicKeyMultibase"],
        key.audit_verifying_key().to_multibase()
    );

    // The restored copy is checked against the checkpoint kept apart from it.
    let verify = || {
        let saved = saved.to_string_lossy().into_owned();
        let dest = dest.to_string_lossy().into_owned();
        tokio::task::block_in_place(|| {
            credence(
                backups.path(),
                &["audit", "verify", "--checkpoint", saved.as_str()],
                &[("CREDENCE_DATA_DIR", dest.as_str())],
            )
        })
    };
    let out = verify();
    assert!(out.status.success(), "{}", stderr(&out));

    // The copy rewritten (an entry edited, the chain recomputed) no longer matches.
    let url = DatabaseUrl::sqlite_in(&dest);
    let store = Store::connect(&DatabaseConfig {
        url: url.clone(),
        max_connections: 1,
        timeout: DatabaseConfig::DEFAULT_TIMEOUT,
    })
    .await
    .expect("open the copy");
    rewrite_entry(url.expose(), &store, 2, r#"{"changed":true}"#).await;
    assert!(plain_chain_holds(&store).await);
    store.close().await.expect("close");
    let out = verify();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let message = stderr(&out);
    // No checkpoint before the edit in this copy: the first entry is named.
    assert!(
        message.contains("rewritten from its start: entry 1 differs"),
        "{message}"
    );
}
