//! The `[fetch]` section: whether and how verification fetches documents from other servers
//! (did:web documents, HTTPS keys, status lists), read from the file and, like every
//! setting, from `CREDENCE_FETCH_<KEY>` (`config_env`).

use serde::{Deserialize, Serialize};

use crate::Failure;

/// The `[fetch]` section of the configuration file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FetchConfig {
    /// Whether anything is fetched; false means fully offline verification.
    pub enabled: bool,
    /// Hosts (`host` or `host:port`) that may be fetched although private or loopback,
    /// and over plain HTTP.
    pub allow_hosts: Vec<String>,
    /// The largest document read, in bytes.
    pub max_bytes: usize,
    /// How many fetches run at once against one host.
    pub per_host: usize,
    /// The shortest time an answer is reused, whatever its caching headers say.
    pub cache_floor_secs: u64,
    /// The longest time an answer is reused, whatever its caching headers say.
    pub cache_ceiling_secs: u64,
    /// PEM files of certificate authorities trusted besides the usual public ones.
    pub ca_files: Vec<std::path::PathBuf>,
}

impl Default for FetchConfig {
    fn default() -> Self {
        let d = credence_fetch::Settings::default();
        Self {
            enabled: d.enabled,
            allow_hosts: Vec::new(),
            max_bytes: d.max_bytes,
            per_host: d.per_host,
            cache_floor_secs: d.cache_floor.as_secs(),
            cache_ceiling_secs: d.cache_ceiling.as_secs(),
            ca_files: Vec::new(),
        }
    }
}

impl FetchConfig {
    /// The fetcher's settings, or why an allowed host is not one.
    pub fn settings(&self) -> Result<credence_fetch::Settings, Failure> {
        let allow_hosts =
            credence_fetch::AllowHosts::parse(&self.allow_hosts).map_err(Failure::Refused)?;
        let mut extra_roots = Vec::new();
        for file in &self.ca_files {
            let pem = std::fs::read(file).map_err(|e| {
                Failure::Refused(format!(
                    "fetch.ca_files: cannot read {}: {e}",
                    file.display()
                ))
            })?;
            extra_roots.extend(credence_fetch::certificates_from_pem(&pem).map_err(|e| {
                Failure::Refused(format!("fetch.ca_files: {}: {e}", file.display()))
            })?);
        }
        Ok(credence_fetch::Settings {
            extra_roots,
            enabled: self.enabled,
            allow_hosts,
            max_bytes: self.max_bytes.max(1024),
            per_host: self.per_host.clamp(1, 64),
            cache_floor: std::time::Duration::from_secs(self.cache_floor_secs),
            cache_ceiling: std::time::Duration::from_secs(self.cache_ceiling_secs),
            ..credence_fetch::Settings::default()
        })
    }
}

#[cfg(test)]
mod tests {
    fn check(env: &[(&str, &str)], expected: Result<(bool, &[&str]), &str>) {
        // Through the configuration's one environment mechanism (`config_env`).
        let mut config = crate::config::Config::default();
        let lookup = |name: &str| {
            env.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        };
        let got = config
            .apply_env(lookup)
            .and_then(|()| config.fetch.settings())
            .map(|s| (s.enabled, config.fetch.allow_hosts.clone()));
        match (got, expected) {
            (Ok((enabled, hosts)), Ok((want_enabled, want_hosts))) => {
                assert_eq!(
                    (enabled, hosts.as_slice()),
                    (
                        want_enabled,
                        &want_hosts
                            .iter()
                            .map(|h| (*h).to_owned())
                            .collect::<Vec<_>>()[..]
                    ),
                    "{env:?}"
                );
            }
            (Err(e), Err(needle)) => {
                let text = format!("{e:?}");
                assert!(text.contains(needle), "{env:?}: {text}");
            }
            (got, want) => panic!("{env:?}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn the_environment_sets_fetching() {
        check(&[], Ok((true, &[])));
        check(&[("CREDENCE_FETCH_ENABLED", "false")], Ok((false, &[])));
        check(
            &[("CREDENCE_FETCH_ENABLED", "maybe")],
            Err("is not true or false"),
        );
        check(
            &[(
                "CREDENCE_FETCH_ALLOW_HOSTS",
                "intranet.example, 127.0.0.1:8443,",
            )],
            Ok((true, &["intranet.example", "127.0.0.1:8443"])),
        );
        check(
            &[("CREDENCE_FETCH_ALLOW_HOSTS", "https://x/")],
            Err("is not a host or host:port"),
        );
    }
}
