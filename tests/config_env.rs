//! Configuration from the environment, through the binary: every setting `credence config
//! default` prints is set by its `CREDENCE_<SECTION>_<KEY>` variable, and a value that does
//! not fit is refused, naming the variable.

use std::collections::BTreeMap;

use crate::support::{credence, stderr, stdout};

/// A value other than the default for every documented setting, as its variable holds it:
/// (section, key, value), from the table the unit tests of `config_env.rs` read too.
fn values() -> Vec<(String, String, String)> {
    let sections: BTreeMap<String, BTreeMap<String, String>> =
        toml::from_str(include_str!("config_env_values.toml")).expect("the table of values");
    (sections.into_iter())
        .flat_map(|(s, keys)| keys.into_iter().map(move |(k, v)| (s.clone(), k, v)))
        .collect()
}

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
    let values = values();
    let mut vars = Vec::new();
    for (section, table) in &documented {
        for key in table.as_table().expect("a section").keys() {
            let (_, _, value) = values
                .iter()
                .find(|(s, k, _)| s == section && k == key)
                .unwrap_or_else(|| panic!("no value for {section}.{key}"));
            let name = format!("CREDENCE_{section}_{key}").to_ascii_uppercase();
            assert!(
                stdout(&out).contains(&name),
                "config default does not name {name}"
            );
            vars.push((name, value.as_str()));
        }
    }
    assert_eq!(
        vars.len(),
        values.len(),
        "a value for a setting that is gone"
    );
    // CREDENCE_LOG (which the test helper sets) would disagree with CREDENCE_LOG_FILTER.
    vars.push(("CREDENCE_LOG".into(), "credence_web=debug,info"));
    let env: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let out = credence(dir.path(), &["config", "show"], &env);
    assert!(out.status.success(), "{}", stderr(&out));
    let effective: toml::Table = stdout(&out).parse().expect("config show is TOML");
    for (section, key, value) in &values {
        let got = shown(&effective[section.as_str()][key.as_str()]);
        match (section.as_str(), key.as_str()) {
            ("server", "metrics_token") => assert_eq!(got, "[hidden]"),
            _ => assert_eq!(&got, value, "{section}.{key}"),
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
