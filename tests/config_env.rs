//! Configuration from the environment, through the binary: every setting `credence config
//! default` prints is set by its `CREDENCE_<SECTION>_<KEY>` variable, and a value that does
//! not fit is refused, naming the variable.

use crate::support::{credence, stderr, stdout};

/// A value other than the default for every documented setting, as its variable holds it.
const VALUES: &[(&str, &str, &str)] = &[
    ("server", "listen", "0.0.0.0:9000"),
    ("server", "body_limit_bytes", "2048"),
    ("server", "public_url", "https://credentials.example.org"),
    ("server", "open_registration", "false"),
    ("server", "bulk_job_lease_secs", "90"),
    ("server", "status_list_recheck_ms", "0"),
    ("server", "metrics_token", "scrape-token"),
    ("server", "metrics_listen", "127.0.0.1:9090"),
    ("server", "header_read_timeout_secs", "5"),
    ("server", "body_timeout_secs", "15"),
    ("server", "request_timeout_secs", "60"),
    ("server", "max_connections", "64"),
    ("quotas", "evidence_records", "0"),
    ("quotas", "attachment_bytes", "1000"),
    ("limits", "sign_in_per_minute", "5"),
    ("limits", "register_per_minute", "6"),
    ("limits", "bad_token_per_minute", "7"),
    ("limits", "verify_per_minute", "100000"),
    ("database", "url", "postgres://credence@db-host/credence"),
    ("database", "data_dir", "/var/lib/credence"),
    ("database", "max_connections", "3"),
    ("database", "timeout_secs", "2"),
    ("security", "master_key_file", "/etc/credence/master.key"),
    ("security", "password_memory_kib", "65536"),
    ("security", "password_hash_concurrency", "2"),
    ("security", "password_hash_queue", "8"),
    (
        "vc",
        "contexts",
        "https://example.org/ctx/v1=/etc/ctx.jsonld",
    ),
    ("log", "filter", "credence_web=debug,info"),
    ("log", "format", "json"),
    ("fetch", "enabled", "false"),
    ("fetch", "allow_hosts", "intranet.example:8443,10.0.0.7"),
    ("fetch", "max_bytes", "65536"),
    ("fetch", "per_host", "2"),
    ("fetch", "cache_floor_secs", "5"),
    ("fetch", "cache_ceiling_secs", "600"),
    ("fetch", "ca_files", "/etc/ssl/certs/ca-certificates.crt"),
    ("mail", "smtp_url", "smtp://mail.example:2525"),
    ("mail", "from", "Registry <registry@example.org>"),
    ("mail", "poll_ms", "250"),
];

/// A setting's value as `config show` prints it, written as its variable holds it.
fn shown(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join(","),
        toml::Value::Table(t) => t
            .iter()
            .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join(","),
        other => other.to_string(),
    }
}

#[test]
fn every_setting_config_default_prints_comes_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let out = credence(dir.path(), &["config", "default"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let documented: toml::Table = stdout(&out).parse().expect("the default is TOML");
    let mut vars = Vec::new();
    for (section, table) in &documented {
        for key in table.as_table().expect("a section").keys() {
            let (_, _, value) = VALUES
                .iter()
                .find(|(s, k, _)| s == section && k == key)
                .unwrap_or_else(|| panic!("no value for {section}.{key}"));
            let name = format!("CREDENCE_{section}_{key}").to_ascii_uppercase();
            assert!(
                stdout(&out).contains(&name),
                "config default does not name {name}"
            );
            vars.push((name, *value));
        }
    }
    assert_eq!(
        vars.len(),
        VALUES.len(),
        "a value for a setting that is gone"
    );
    // CREDENCE_LOG (which the test helper sets) would disagree with CREDENCE_LOG_FILTER.
    vars.push(("CREDENCE_LOG".into(), "credence_web=debug,info"));
    let env: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let out = credence(dir.path(), &["config", "show"], &env);
    assert!(out.status.success(), "{}", stderr(&out));
    let effective: toml::Table = stdout(&out).parse().expect("config show is TOML");
    for (section, key, value) in VALUES {
        let got = shown(&effective[*section][*key]);
        match (*section, *key) {
            ("server", "metrics_token") => assert_eq!(got, "[hidden]"),
            _ => assert_eq!(got, *value, "{section}.{key}"),
        }
    }
}

#[test]
fn a_bad_value_from_the_environment_names_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    for (name, value, part) in [
        (
            "CREDENCE_SERVER_OPEN_REGISTRATION",
            "maybe",
            "not true or false",
        ),
        (
            "CREDENCE_DATABASE_TIMEOUT_SECS",
            "ten",
            "not a whole number",
        ),
        ("CREDENCE_SERVER_LISTEN", "localhost", "server.listen"),
        ("CREDENCE_LOG_FORMAT", "xml", "log.format"),
        (
            "CREDENCE_LOG",
            "[[not a filter",
            "not a value of log.filter",
        ),
    ] {
        let out = credence(dir.path(), &["config", "show"], &[(name, value)]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("{name}: ")),
            "{}",
            stderr(&out)
        );
        assert!(stderr(&out).contains(part), "{name}: {}", stderr(&out));
    }
    // The older name and the new one may not disagree.
    let out = credence(
        dir.path(),
        &["config", "show"],
        &[
            ("CREDENCE_DATA_DIR", "/a"),
            ("CREDENCE_DATABASE_DATA_DIR", "/b"),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("CREDENCE_DATA_DIR")
            && stderr(&out).contains("CREDENCE_DATABASE_DATA_DIR"),
        "{}",
        stderr(&out)
    );
}
