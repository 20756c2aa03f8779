//! Settings from the environment, by one rule: the setting `section.key` is read from
//! `CREDENCE_<SECTION>_<KEY>` (upper case), applied over the configuration's TOML tree, so a
//! setting added to the configuration can be set from the environment with no more code.
//! The names documented before that rule (`CREDENCE_LISTEN`, `CREDENCE_LOG`, …) still work.
//! A value that does not fit its setting is refused, naming the variable.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::Failure;

/// The names of settings' variables documented before every setting had one, kept working:
/// (variable, section, key).
pub const ALIASES: &[(&str, &str, &str)] = &[
    ("CREDENCE_LISTEN", "server", "listen"),
    ("CREDENCE_PUBLIC_URL", "server", "public_url"),
    ("CREDENCE_METRICS_TOKEN", "server", "metrics_token"),
    ("CREDENCE_METRICS_LISTEN", "server", "metrics_listen"),
    ("CREDENCE_DATA_DIR", "database", "data_dir"),
    ("CREDENCE_MASTER_KEY_FILE", "security", "master_key_file"),
    ("CREDENCE_LOG", "log", "filter"),
    ("CREDENCE_SMTP_URL", "mail", "smtp_url"),
];

/// The variable of the setting `section.key`: `CREDENCE_SECTION_KEY`.
pub fn variable(section: &str, key: &str) -> String {
    format!("CREDENCE_{section}_{key}").to_ascii_uppercase()
}

/// The older name of the setting `section.key`, if it has one.
fn alias(section: &str, key: &str) -> Option<&'static str> {
    ALIASES
        .iter()
        .find(|(_, s, k)| *s == section && *k == key)
        .map(|(name, _, _)| *name)
}

fn refused(message: String) -> Failure {
    Failure::Refused(message)
}

/// `config` with every setting whose variable `var` gives replaced by that variable's value.
pub fn apply(config: &Config, var: impl Fn(&str) -> Option<String>) -> Result<Config, Failure> {
    let mut tree = toml::Table::try_from(config)
        .map_err(|e| refused(format!("the configuration cannot be written as TOML: {e}")))?;
    let settings: Vec<(String, String)> = tree
        .iter()
        .filter_map(|(section, value)| Some((section, value.as_table()?)))
        .flat_map(|(section, table)| table.keys().map(move |key| (section.clone(), key.clone())))
        .collect();
    let mut changed = false;
    for (section, key) in settings {
        let Some((name, text)) = lookup(&var, &section, &key)? else {
            continue;
        };
        let Some(slot) = tree
            .get_mut(&section)
            .and_then(toml::Value::as_table_mut)
            .and_then(|table| table.get_mut(&key))
        else {
            continue;
        };
        *slot = value_like(slot, &name, &text)?;
        // Read back now, so that a value that does not fit names its own variable.
        toml::Value::Table(tree.clone())
            .try_into::<Config>()
            .map_err(|e| {
                refused(format!(
                    "{name}: {text:?} is not a value of {section}.{key}: {}",
                    e.message()
                ))
            })?;
        check_setting(&name, &section, &key, &text)?;
        changed = true;
    }
    if !changed {
        return Ok(config.clone());
    }
    toml::Value::Table(tree)
        .try_into()
        .map_err(|e| refused(format!("the environment's settings do not fit: {e}")))
}

/// The variable that sets `section.key` and its value: its own name, or else its older
/// name; both set to different values is refused.
fn lookup(
    var: &impl Fn(&str) -> Option<String>,
    section: &str,
    key: &str,
) -> Result<Option<(String, String)>, Failure> {
    let name = variable(section, key);
    let own = var(&name);
    let older = alias(section, key).and_then(|a| Some((a, var(a)?)));
    match (own, older) {
        (Some(value), Some((older, other))) if value != other => Err(refused(format!(
            "{name} and {older} both set {section}.{key}, to different values; set one"
        ))),
        (Some(value), _) => Ok(Some((name, value))),
        (None, Some((older, value))) => Ok(Some((older.to_owned(), value))),
        (None, None) => Ok(None),
    }
}

/// The text of variable `name` as a TOML value of the kind `current` is: text as it is,
/// whole numbers, `true` or `false`, values separated by commas for a list, or for a table (`vc.contexts`) `KEY=VALUE` pairs
/// separated by commas (the last `=` of a pair separates them, since a URL may hold one).
fn value_like(current: &toml::Value, name: &str, text: &str) -> Result<toml::Value, Failure> {
    use toml::Value;
    Ok(match current {
        Value::Integer(_) => Value::Integer(
            text.trim()
                .parse()
                .map_err(|_| refused(format!("{name}: {text:?} is not a whole number")))?,
        ),
        Value::Boolean(_) => match text.trim() {
            "true" => Value::Boolean(true),
            "false" => Value::Boolean(false),
            _ => return Err(refused(format!("{name}: {text:?} is not true or false"))),
        },
        Value::Table(_) => {
            let mut pairs = BTreeMap::new();
            for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let (k, v) = pair
                    .rsplit_once('=')
                    .ok_or_else(|| refused(format!("{name}: {pair:?} is not KEY=VALUE")))?;
                pairs.insert(k.trim().to_owned(), Value::String(v.trim().to_owned()));
            }
            Value::Table(pairs.into_iter().collect())
        }
        // A list (`fetch.allow_hosts`): values separated by commas.
        Value::Array(_) => Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| Value::String(v.to_owned()))
                .collect(),
        ),
        _ => Value::String(text.to_owned()),
    })
}

/// Checks that a type alone does not make: the log filter parses.
fn check_setting(name: &str, section: &str, key: &str, text: &str) -> Result<(), Failure> {
    if (section, key) == ("mail", "expiry_reminder_days") {
        crate::mail_config::reminder_days(text).map_err(|e| refused(format!("{name}: {e}")))?;
    }
    if (section, key) == ("log", "filter") {
        tracing_subscriber::EnvFilter::try_new(text).map_err(|e| {
            refused(format!(
                "{name}: {text:?} is not a value of log.filter, a filter such as \"info\" or \"credence_web=debug,info\": {e}"
            ))
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DEFAULT_TOML;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    /// A value other than the default for every setting `config default` prints, as its
    /// variable would hold it: (section, key, value), from the table the integration test
    /// reads too.
    fn values() -> Vec<(String, String, String)> {
        let sections: BTreeMap<String, BTreeMap<String, String>> =
            toml::from_str(include_str!("../../../tests/config_env_values.toml"))
                .expect("the table of values");
        (sections.into_iter())
            .flat_map(|(s, keys)| keys.into_iter().map(move |(k, v)| (s.clone(), k, v)))
            .collect()
    }

    /// The setting's value in `config`, written as its variable would hold it.
    fn written(config: &Config, section: &str, key: &str) -> String {
        let tree = toml::Table::try_from(config).expect("TOML");
        match &tree[section][key] {
            toml::Value::String(s) => s.clone(),
            toml::Value::Array(items) => items
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join(","),
            toml::Value::Table(t) => t
                .iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().expect("a string")))
                .collect::<Vec<_>>()
                .join(","),
            other => other.to_string(),
        }
    }

    #[test]
    fn every_documented_setting_can_be_set_from_the_environment() {
        let documented: toml::Table = DEFAULT_TOML.parse().expect("the default parses");
        let values = values();
        let mut count = 0;
        for (section, table) in &documented {
            for key in table.as_table().expect("a section").keys() {
                count += 1;
                let (_, _, text) = values
                    .iter()
                    .find(|(s, k, _)| s == section && k == key)
                    .unwrap_or_else(|| panic!("no test value for {section}.{key}"));
                let text = text.as_str();
                let name = variable(section, key);
                let default = Config::default();
                assert_ne!(&written(&default, section, key), text, "{name}");
                let set = apply(&default, env(&[(name.as_str(), text)])).expect(&name);
                assert_eq!(&written(&set, section, key), text, "{name}");
                // Only that setting changed.
                let mut back = toml::Table::try_from(&set).expect("TOML");
                let original = toml::Table::try_from(&default).expect("TOML");
                back[section.as_str()][key.as_str()] =
                    original[section.as_str()][key.as_str()].clone();
                assert_eq!(back, original, "{name} changed another setting");
                // The documentation names the variable, or its older name.
                let older = alias(section, key);
                assert!(
                    DEFAULT_TOML.contains(&name) || older.is_some_and(|a| DEFAULT_TOML.contains(a)),
                    "config default does not name {name}"
                );
            }
        }
        assert_eq!(
            count,
            values.len(),
            "a test value for a setting that is gone"
        );
    }

    #[test]
    fn older_names_still_work_and_may_not_disagree() {
        let values = values();
        for (older, section, key) in ALIASES {
            let (_, _, text) = values
                .iter()
                .find(|(s, k, _)| s == section && k == key)
                .expect("a test value");
            let text = text.as_str();
            let set = apply(&Config::default(), env(&[(older, text)])).expect(older);
            assert_eq!(&written(&set, section, key), text, "{older}");
            let name = variable(section, key);
            let both = apply(&Config::default(), env(&[(older, text), (&name, text)]));
            assert!(both.is_ok(), "{older} and {name} agree");
            let Err(Failure::Refused(message)) =
                apply(&Config::default(), env(&[(older, text), (&name, "other")]))
            else {
                panic!("{older} and {name} disagree, and that is accepted");
            };
            assert!(
                message.contains(older) && message.contains(&name),
                "{message}"
            );
        }
    }

    #[test]
    fn a_bad_value_names_its_variable() {
        let check = |name: &str, text: &str, part: &str| {
            let Err(Failure::Refused(message)) = apply(&Config::default(), env(&[(name, text)]))
            else {
                panic!("{name}={text:?} is accepted");
            };
            assert!(message.starts_with(&format!("{name}: ")), "{message}");
            assert!(message.contains(part), "{message} lacks {part:?}");
        };
        check("CREDENCE_SERVER_LISTEN", "nonsense", "server.listen");
        check("CREDENCE_LISTEN", "nonsense", "server.listen");
        check(
            "CREDENCE_SERVER_BODY_LIMIT_BYTES",
            "1 MB",
            "not a whole number",
        );
        check(
            "CREDENCE_SERVER_MAX_CONNECTIONS",
            "-1",
            "server.max_connections",
        );
        check(
            "CREDENCE_LIMITS_VERIFY_PER_MINUTE",
            "5000000000",
            "limits.verify_per_minute",
        );
        check(
            "CREDENCE_SERVER_OPEN_REGISTRATION",
            "yes",
            "not true or false",
        );
        check("CREDENCE_LOG_FORMAT", "xml", "log.format");
        check("CREDENCE_VC_CONTEXTS", "no-equals", "not KEY=VALUE");
        check(
            "CREDENCE_LOG",
            "[[not a filter",
            "not a value of log.filter",
        );
        check(
            "CREDENCE_LOG_FILTER",
            "[[not a filter",
            "not a value of log.filter",
        );
    }

    #[test]
    fn nothing_set_changes_nothing() {
        let mut config = Config::default();
        config.server.public_url = "https://from.the.file".into();
        assert_eq!(apply(&config, |_| None).expect("applies"), config);
    }
}
