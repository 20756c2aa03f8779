//! The `credence` command line: framework validate, import and export, config.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::{credence, stderr, stdout, TestDb};

#[test]
fn export_works_in_an_empty_folder_and_matches_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = credence(
        dir.path(),
        &["framework", "export", "nhs-ai-confidence-2022"],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // Export must not create a database where there was none.
    assert!(!dir.path().join("credence-data").exists());
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let statements = doc["statements"].as_array().unwrap();
    let mut tables: BTreeMap<String, usize> = BTreeMap::new();
    let mut levels: BTreeMap<String, usize> = BTreeMap::new();
    for s in statements {
        for key in [
            "code",
            "table",
            "factor",
            "taxonomy",
            "level",
            "text",
            "source_line",
        ] {
            assert!(s.get(key).is_some(), "statement without {key}: {s}");
        }
        *tables
            .entry(s["table"].as_str().unwrap().to_owned())
            .or_default() += 1;
        *levels
            .entry(s["level"].as_str().unwrap_or("null").to_owned())
            .or_default() += 1;
    }
    let expect = |pairs: &[(&str, usize)]| -> BTreeMap<String, usize> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
    };
    assert_eq!(
        tables,
        expect(&[
            ("Table 1", 30),
            ("Table 2", 20),
            ("Table A1", 33),
            ("Table A2", 35),
            ("Table A4", 52),
            ("Table A5", 46),
            ("Table A7", 26)
        ])
    );
    assert_eq!(
        levels,
        expect(&[
            ("awareness", 37),
            ("familiarity", 58),
            ("understanding", 73),
            ("capability", 39),
            ("proficiency", 34),
            ("null", 1)
        ])
    );
    let questions = doc["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 65);
    for q in questions {
        for key in ["code", "table", "factor", "text"] {
            assert!(q.get(key).is_some(), "question without {key}: {q}");
        }
    }
    assert_eq!(
        questions
            .iter()
            .filter(|q| q["table"] == "Table A3")
            .count(),
        40
    );
}

/// Runs `framework validate` on `content` and checks the exit code and the message.
fn check_validate(content: &str, code: i32, message: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fw.json");
    std::fs::write(&file, content).unwrap();
    let out = credence(dir.path(), &["framework", "validate", "fw.json"], &[]);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(text.contains(message), "expected {message:?} in {text}");
}

#[test]
fn validate_names_the_file_and_the_pointer() {
    let nhs = credence_domain::bundled::NHS_AI_CONFIDENCE_2022;
    check_validate(
        nhs,
        0,
        "valid framework 'nhs-ai-confidence-2022' version 1.1.0: 242 statements, 65 questions",
    );
    let bad_level = nhs.replacen("\"level\": \"awareness\"", "\"level\": \"mastery\"", 1);
    check_validate(
        &bad_level,
        2,
        "fw.json: /statements/0/level: unknown level 'mastery'",
    );
    let bad_type = nhs.replacen("\"source_line\": 826", "\"source_line\": \"826\"", 1);
    check_validate(&bad_type, 2, "/statements/0/source_line: invalid type");
    check_validate("{ not json", 2, "fw.json");
    check_validate("{ not json", 2, "not valid JSON (line 1, column 3)");
}

#[test]
fn validate_of_a_missing_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = credence(dir.path(), &["framework", "validate", "missing.json"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("missing.json: cannot read"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn import_twice_changes_nothing_and_export_reads_the_database() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let mut doc: Value =
        serde_json::from_str(credence_domain::bundled::NHS_AI_CONFIDENCE_2022).unwrap();
    doc["version"] = "2.0.0".into();
    std::fs::write(
        dir.path().join("v2.json"),
        serde_json::to_vec(&doc).unwrap(),
    )
    .unwrap();
    let env = [("CREDENCE_DATABASE_URL", db.url.as_str())];

    let first = credence(dir.path(), &["framework", "import", "v2.json"], &env);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first)
        .contains("Imported framework 'nhs-ai-confidence-2022' version 2.0.0 (242 statements)"));
    let second = credence(dir.path(), &["framework", "import", "v2.json"], &env);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        stdout(&second).contains("already imported; nothing changed"),
        "{}",
        stdout(&second)
    );

    let export = credence(
        dir.path(),
        &["framework", "export", "nhs-ai-confidence-2022"],
        &env,
    );
    assert!(export.status.success(), "{}", stderr(&export));
    let exported: Value = serde_json::from_str(&stdout(&export)).unwrap();
    assert_eq!(exported["version"], "2.0.0");
}

#[test]
fn an_invalid_import_creates_no_database() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.json"), "{}").unwrap();
    let out = credence(dir.path(), &["framework", "import", "bad.json"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.json"), "{}", stderr(&out));
    assert!(!dir.path().join("credence-data").exists());
}

#[test]
fn config_default_is_documented_toml() {
    let dir = tempfile::tempdir().unwrap();
    let out = credence(dir.path(), &["config", "default"], &[]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("listen = \"127.0.0.1:8080\""));
    assert!(text.contains("CREDENCE_DATABASE_URL"));
    assert!(text.parse::<toml::Table>().is_ok());
}

#[test]
fn config_show_hides_the_database_password() {
    let dir = tempfile::tempdir().unwrap();
    let out = credence(
        dir.path(),
        &["config", "show"],
        &[(
            "CREDENCE_DATABASE_URL",
            "postgres://credence:hunter2@db/credence",
        )],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains("hunter2"));
    assert!(stdout(&out).contains("REDACTED"));
}

#[test]
fn export_of_an_unknown_framework_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = credence(dir.path(), &["framework", "export", "nope"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no framework 'nope'"),
        "{}",
        stderr(&out)
    );
}

/// Reads one HTTP/1.1 response from a plain GET on loopback.
async fn http_get(addr: &str, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
}

#[tokio::test]
async fn serve_migrates_loads_the_framework_and_stops_on_sigterm() {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let db = TestDb::empty().await;
    let dir = tempfile::tempdir().unwrap();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_credence"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env("CREDENCE_DATABASE_URL", &db.url)
        .env("CREDENCE_LOG", "warn")
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines
            .next_line()
            .await
            .unwrap()
            .expect("serve printed its address");
        if let Some(rest) = line.strip_prefix("Credence is serving on http://") {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    let ready = http_get(&addr, "/readyz").await;
    assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");
    let list = http_get(&addr, "/frameworks").await;
    assert!(list.contains("nhs-ai-confidence-2022"), "{list}");

    let pid = child.id().unwrap().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = tokio::time::timeout(std::time::Duration::from_secs(20), child.wait())
        .await
        .expect("serve stops after SIGTERM")
        .unwrap();
    assert!(status.success(), "graceful shutdown exits 0, got {status}");
}

/// The data folder holds password hashes, attachments and e-mail addresses: made 0700 with
/// the database 0600 (and its WAL files likewise); wider permissions set by hand are left,
/// with a warning at start.
#[test]
fn the_data_folder_is_private_and_wider_permissions_are_warned_of() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = credence(dir.path(), &["migrate"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mode = |name: &str| {
        std::fs::metadata(dir.path().join(name))
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    assert_eq!(mode("credence-data"), 0o700);
    for file in ["credence-data/credence.db", "credence-data/credence.db-wal"] {
        if dir.path().join(file).exists() {
            assert_eq!(mode(file), 0o600, "{file}");
        }
    }
    assert!(!stderr(&out).contains("warning:"), "{}", stderr(&out));
    std::fs::set_permissions(
        dir.path().join("credence-data"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let out = credence(dir.path(), &["migrate"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("has mode 0755") && stderr(&out).contains("chmod 0700"),
        "{}",
        stderr(&out)
    );
}

/// `serve --listen` without a public URL: credentials name the address actually listened
/// on (here a port the system chose), and the operator is warned that a loopback address
/// reaches nobody else.
#[test]
fn serve_names_the_address_it_listens_on_and_warns_of_loopback() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_credence"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_remove("CREDENCE_DATABASE_URL")
        .env_remove("CREDENCE_DATA_DIR")
        .env_remove("CREDENCE_CONFIG")
        .env_remove("CREDENCE_PUBLIC_URL")
        .env("CREDENCE_LOG", "error")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start credence serve");
    let stderr = child.stderr.take().expect("its standard error");
    let mut warning = None;
    let mut serving = None;
    for line in BufReader::new(stderr).lines().map_while(Result::ok) {
        if line.starts_with("warning: the public URL is ") {
            warning = Some(line.clone());
        }
        if let Some(rest) = line.strip_prefix("Credence is serving on http://") {
            serving = rest.split('/').next().map(str::to_owned);
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let address = serving.expect("it serves");
    assert!(
        !address.ends_with(":0") && !address.ends_with(":8080"),
        "{address}"
    );
    let warning = warning.expect("a loopback warning");
    assert!(
        warning.contains(&format!("http://{address}:"))
            || warning.contains(&format!("http://{address} ")),
        "{warning}"
    );
}

#[test]
fn admin_usage_lists_accounts_against_the_quotas() {
    let dir = tempfile::tempdir().unwrap();
    let out = credence(dir.path(), &["admin", "usage", "--top", "5"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("quotas: 2000 evidence, 209715200 bytes"),
        "{}",
        stdout(&out)
    );
}

/// `credence --help` lists every command on one short line; a bad log filter is refused.
#[test]
fn help_lists_every_command_briefly_and_a_bad_log_filter_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = credence(dir.path(), &["--help"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let commands: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .collect();
    for name in [
        "serve",
        "migrate",
        "backup",
        "framework",
        "config",
        "admin",
        "org",
        "token",
        "audit",
        "award",
        "vc",
    ] {
        let line = commands
            .iter()
            .find(|l| l.trim_start().starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} is not listed:\n{text}"));
        assert!(line.len() <= 100, "{line}");
    }
    let out = credence(
        dir.path(),
        &["migrate"],
        &[("CREDENCE_LOG", "[[not a filter")],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("log.filter"), "{}", stderr(&out));
}
