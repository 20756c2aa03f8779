//! Layered configuration: built-in defaults, then a TOML file, then `CREDENCE_*`
//! environment variables, then command-line flags. Only the CLI reads files and the
//! environment; libraries receive the plain structs built here.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use credence_store::{DatabaseConfig, DatabaseUrl};
use serde::{Deserialize, Serialize};

use crate::Failure;

/// The default configuration, documented. `config default` prints it, and a test checks
/// that it parses to [`Config::default`], so the two never drift apart.
pub const DEFAULT_TOML: &str = r#"# Credence configuration. Every setting is optional; these are the defaults.
# Precedence: command-line flags > CREDENCE_* environment variables > this file > defaults.
# Every setting can come from the environment: section.key from CREDENCE_<SECTION>_<KEY> in
# upper case, as named beside each below (numbers as digits, true or false, vc.contexts as
# URL=FILE pairs separated by commas). A value that does not fit is refused, naming the
# variable. The older names CREDENCE_LISTEN, CREDENCE_PUBLIC_URL, CREDENCE_METRICS_TOKEN,
# CREDENCE_METRICS_LISTEN, CREDENCE_DATA_DIR, CREDENCE_MASTER_KEY_FILE and CREDENCE_LOG
# still work.

[server]
# Address and port to listen on. Environment: CREDENCE_SERVER_LISTEN (or CREDENCE_LISTEN).
# Flag: serve --listen.
listen = "127.0.0.1:8080"
# Largest request body accepted, in bytes. Environment: CREDENCE_SERVER_BODY_LIMIT_BYTES.
body_limit_bytes = 1048576
# The public address of this Credence (scheme, host, optional port; no path), from which
# credential ids, status list URLs and did:web identifiers are made. Empty means
# http://{listen}. Set it before issuing: issued credentials keep the address they name.
# Environment: CREDENCE_SERVER_PUBLIC_URL (or CREDENCE_PUBLIC_URL).
public_url = ""
# Whether anyone may create a holder account. Environment: CREDENCE_SERVER_OPEN_REGISTRATION.
open_registration = true
# Seconds a running bulk award job is kept alive by the process working on it: when that
# process ends mid-job (killed, or its machine lost), the job reads as failed this long
# after its last sign of life. Keep it well above the time of one batch of 200 rows.
# Environment: CREDENCE_SERVER_BULK_JOB_LEASE_SECS.
bulk_job_lease_secs = 60
# Milliseconds the public status-list endpoint serves a list from memory before asking the
# database again. A revocation made through this process is served at once; one made by
# another process sharing the database, within this long (at most 60000). 0: always ask.
# Environment: CREDENCE_SERVER_STATUS_LIST_RECHECK_MS.
status_list_recheck_ms = 1000
# GET /metrics (Prometheus) is not public. Either give a token that scrapers send as
# "Authorization: Bearer TOKEN" on the main address (environment
# CREDENCE_SERVER_METRICS_TOKEN, or CREDENCE_METRICS_TOKEN), or an address of its own where
# /metrics is served without a token, for a network only your monitoring reaches
# (environment CREDENCE_SERVER_METRICS_LISTEN, or CREDENCE_METRICS_LISTEN; e.g.
# "127.0.0.1:9090"). With neither, metrics are not served.
metrics_token = ""
metrics_listen = ""
# Slow or greedy clients: seconds to send a request's headers, the longest pause while
# sending its body, and the longest a whole request may take (then 408); open connections
# at most (more are closed at once). Environment: CREDENCE_SERVER_HEADER_READ_TIMEOUT_SECS,
# CREDENCE_SERVER_BODY_TIMEOUT_SECS, CREDENCE_SERVER_REQUEST_TIMEOUT_SECS,
# CREDENCE_SERVER_MAX_CONNECTIONS.
header_read_timeout_secs = 10
body_timeout_secs = 30
request_timeout_secs = 120
max_connections = 1024

[quotas]
# What one account may store (0: no limit): pieces of evidence in any state, and bytes of
# attachments over all of them. Past either, recording or attaching is refused (413) with
# what is used. `credence admin usage` lists the accounts storing the most.
# Environment: CREDENCE_QUOTAS_EVIDENCE_RECORDS, CREDENCE_QUOTAS_ATTACHMENT_BYTES.
evidence_records = 2000
attachment_bytes = 209715200

[workforce]
# Small-number suppression of the workforce view and of AI product dossiers' coverage: a
# count of people (or of events) under this is shown as "fewer than N", and a count that
# would let a reader work out such a small count by subtracting it from another published
# one is withheld (OPERATIONS.md, "Workforce view"). At least 1.
# Environment: CREDENCE_WORKFORCE_SUPPRESS_BELOW.
suppress_below = 5

[wallet]
# How long a credential offer to a wallet (OpenID4VCI: the QR code and link a holder makes
# on a credential's page) works, in minutes; it works once. At least 1.
# Environment: CREDENCE_WALLET_OFFER_MINUTES.
offer_minutes = 10

[limits]
# Requests a minute from one client address (0: no limit); over budget the answer is 429
# with Retry-After. A benchmark or a trusted gateway may raise verify_per_minute.
# wallet_nonce_per_minute: OpenID4VCI's nonce endpoint (each nonce is stored until used).
# Environment: CREDENCE_LIMITS_SIGN_IN_PER_MINUTE, CREDENCE_LIMITS_REGISTER_PER_MINUTE,
# CREDENCE_LIMITS_BAD_TOKEN_PER_MINUTE, CREDENCE_LIMITS_VERIFY_PER_MINUTE,
# CREDENCE_LIMITS_WALLET_NONCE_PER_MINUTE.
sign_in_per_minute = 20
register_per_minute = 10
bad_token_per_minute = 20
verify_per_minute = 600
wallet_nonce_per_minute = 60

[database]
# Database URL. Empty means SQLite in data_dir (credence.db).
# PostgreSQL: "postgres://user:password@host:5432/credence". Environment: CREDENCE_DATABASE_URL.
url = ""
# Folder for the SQLite database and other local state.
# Environment: CREDENCE_DATABASE_DATA_DIR (or CREDENCE_DATA_DIR).
data_dir = "./credence-data"
# Largest number of pooled database connections per process.
# Environment: CREDENCE_DATABASE_MAX_CONNECTIONS.
max_connections = 10
# Seconds a request waits for a database connection (or, on SQLite, for another process's
# write lock) before it is answered 503 Service Unavailable with a Retry-After header.
# Environment: CREDENCE_DATABASE_TIMEOUT_SECS.
timeout_secs = 10

[security]
# The master key file that seals organisations' signing keys (64 hexadecimal characters).
# Empty means master.key in data_dir; it is generated, mode 0600, on first use. Back it up
# with the database: without it, stored signing keys cannot be opened.
# Environment: CREDENCE_SECURITY_MASTER_KEY_FILE (or CREDENCE_MASTER_KEY_FILE).
master_key_file = ""
# argon2id memory cost for passwords, in KiB (OWASP: at least 19456).
# Environment: CREDENCE_SECURITY_PASSWORD_MEMORY_KIB.
password_memory_kib = 19456
# Password checks (sign-in, registration) that run at once, each taking the memory above,
# and how many more may wait; beyond that a sign-in is answered 503 with Retry-After at
# once. Resident memory grows by about concurrency x memory at the most.
# Environment: CREDENCE_SECURITY_PASSWORD_HASH_CONCURRENCY, CREDENCE_SECURITY_PASSWORD_HASH_QUEUE.
password_hash_concurrency = 4
password_hash_queue = 64

[vc]
# JSON-LD contexts this Credence accepts besides the bundled ones, each a URL mapped to a
# local file holding the context document. They are read once, at start (each file's
# SHA-256 is logged); contexts are never fetched from the network. A bundled context cannot
# be replaced. Example: contexts = { "https://example.org/ctx/v1" = "/etc/credence/ctx-v1.jsonld" }
# Environment: CREDENCE_VC_CONTEXTS, as URL=FILE pairs separated by commas.
contexts = {}
# Issuer registries this Credence trusts, each a name mapped to a local file in the format
# of the Digital Credentials Consortium's known-issuer registries ({"registry": {"did:...":
# {"name": ...}}}); read once, at start. A verification then says which registry knows the
# issuer and by what name, or warns that none does (a warning, never a failure). Several
# registries are consulted in the order of their names. Example:
# issuer_registries = { "DCC Sandbox" = "/etc/credence/dcc-sandbox-registry.json" }
# Environment: CREDENCE_VC_ISSUER_REGISTRIES, as NAME=FILE pairs separated by commas.
issuer_registries = {}

[fetch]
# Verification fetches what a credential names from other servers (did:web documents,
# HTTPS keys, status lists), HTTPS only, never from private, loopback or link-local
# addresses (OPERATIONS.md, "Outbound fetches"). false: fully offline verification.
# Environment: CREDENCE_FETCH_ENABLED.
enabled = true
# Hosts ("host" or "host:port") that may be fetched although private or loopback, and over
# plain HTTP: intranets and tests. Environment: CREDENCE_FETCH_ALLOW_HOSTS, comma-separated.
allow_hosts = []
# The largest document read, in bytes, and how many fetches run at once per host.
# Environment: CREDENCE_FETCH_MAX_BYTES, CREDENCE_FETCH_PER_HOST.
max_bytes = 1048576
per_host = 4
# Answers are reused as their caching headers say, but at least and at most this long; a
# failed fetch is remembered for the floor too (at most a minute).
# Environment: CREDENCE_FETCH_CACHE_FLOOR_SECS, CREDENCE_FETCH_CACHE_CEILING_SECS.
cache_floor_secs = 60
cache_ceiling_secs = 86400
# PEM files of certificate authorities trusted besides the public ones (an intranet's CA).
# Environment: CREDENCE_FETCH_CA_FILES, comma-separated.
ca_files = []

[mail]
# The SMTP server e-mail goes to: "smtp://host:port" (STARTTLS when the server offers it;
# add "?tls=required" to insist), "smtps://user:password@host:465" (TLS throughout), or
# empty: no server, and messages wait in the outbox (`credence mail outbox`, the operator's
# pages) until one is set. Environment: CREDENCE_MAIL_SMTP_URL (or CREDENCE_SMTP_URL).
smtp_url = ""
# The From: of every message; empty means "Credence <no-reply@HOST>" with the public
# address's host. Environment: CREDENCE_MAIL_FROM.
from = ""
# Milliseconds between looks for mail queued by other processes or due for a retry (mail
# this process queues goes at once). Environment: CREDENCE_MAIL_POLL_MS.
poll_ms = 1000
# Days a link to claim a credential awarded to an address without an account works (1 to
# 365); the recipient or the issuer can have a new one sent. Environment:
# CREDENCE_MAIL_CLAIM_LINK_DAYS.
claim_link_days = 30
# Seconds a delivery worker holds a message it is sending (1 to 3600). A process that dies
# mid-send leaves the message to the next worker after this long, which sends it again with
# the same Message-ID; keep it above the SMTP timeout of 20 seconds. Environment:
# CREDENCE_MAIL_LEASE_SECS.
lease_secs = 120
# Days before a credential expires when its holder is reminded (in the app, and by e-mail
# unless they turned it off), comma-separated; empty: no reminders.
# Environment: CREDENCE_MAIL_EXPIRY_REMINDER_DAYS.
expiry_reminder_days = "60,30,7"
# The hour (UTC, 0-23) from which each day's digest of waiting evidence goes to assessors.
# Environment: CREDENCE_MAIL_DIGEST_HOUR.
digest_hour = 7
# Seconds between a running serve's looks for reminders and digests that fell due (each
# goes once, whatever the number of processes; `credence mail remind` looks at once).
# Environment: CREDENCE_MAIL_SCAN_SECS.
scan_secs = 300

[log]
# Log filter in tracing's EnvFilter syntax, e.g. "info" or "credence_web=debug,info"; one
# that does not parse is refused. Environment: CREDENCE_LOG_FILTER (or CREDENCE_LOG).
filter = "info"
# "text" for people, "json" for log collectors (one object a line; each request's lines
# carry its request_id). Environment: CREDENCE_LOG_FORMAT.
format = "text"
"#;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseSection,
    pub security: SecurityConfig,
    pub quotas: QuotasConfig,
    pub limits: LimitsConfig,
    pub workforce: WorkforceConfig,
    pub wallet: WalletConfig,
    pub vc: VcConfig,
    pub fetch: crate::fetch_config::FetchConfig,
    pub mail: crate::mail_config::MailConfig,
    pub log: LogConfig,
}

/// Settings of the credential engine.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VcConfig {
    /// Further JSON-LD contexts: URL to a local file.
    pub contexts: std::collections::BTreeMap<String, PathBuf>,
    /// Trusted issuer registries: name to a local file (DCC registry format).
    pub issuer_registries: std::collections::BTreeMap<String, PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecurityConfig {
    pub master_key_file: PathBuf,
    pub password_memory_kib: u32,
    pub password_hash_concurrency: usize,
    pub password_hash_queue: usize,
}

impl Default for SecurityConfig {
    fn default() -> Self {
        Self {
            master_key_file: PathBuf::new(),
            password_memory_kib: 19456,
            password_hash_concurrency: 4,
            password_hash_queue: 64,
        }
    }
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    pub listen: SocketAddr,
    pub body_limit_bytes: usize,
    pub public_url: String,
    pub open_registration: bool,
    pub bulk_job_lease_secs: u64,
    pub status_list_recheck_ms: u64,
    pub metrics_token: String,
    pub metrics_listen: String,
    pub header_read_timeout_secs: u64,
    pub body_timeout_secs: u64,
    pub request_timeout_secs: u64,
    pub max_connections: usize,
}

/// What one account may store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QuotasConfig {
    pub evidence_records: i64,
    pub attachment_bytes: i64,
}

impl Default for QuotasConfig {
    fn default() -> Self {
        let d = credence_service::Quotas::default();
        Self {
            evidence_records: d.evidence_records,
            attachment_bytes: d.attachment_bytes,
        }
    }
}

/// The workforce view's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkforceConfig {
    pub suppress_below: u64,
}

impl Default for WorkforceConfig {
    fn default() -> Self {
        Self { suppress_below: 5 }
    }
}

/// Offers of credentials to wallets (OpenID4VCI).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WalletConfig {
    pub offer_minutes: u32,
}

impl Default for WalletConfig {
    fn default() -> Self {
        Self { offer_minutes: 10 }
    }
}

/// Per-client request budgets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    pub sign_in_per_minute: u32,
    pub register_per_minute: u32,
    pub bad_token_per_minute: u32,
    pub verify_per_minute: u32,
    pub wallet_nonce_per_minute: u32,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        let d = credence_web::throttle::Limits::default();
        Self {
            sign_in_per_minute: d.sign_in_per_minute,
            register_per_minute: d.register_per_minute,
            bad_token_per_minute: d.bad_token_per_minute,
            verify_per_minute: d.verify_per_minute,
            wallet_nonce_per_minute: d.wallet_nonce_per_minute,
        }
    }
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSection {
    pub url: String,
    pub data_dir: PathBuf,
    pub max_connections: u32,
    pub timeout_secs: u64,
}

impl std::fmt::Debug for DatabaseSection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseSection")
            .field("url", &DatabaseUrl::new(self.url.clone()))
            .field("data_dir", &self.data_dir)
            .field("max_connections", &self.max_connections)
            .field("timeout_secs", &self.timeout_secs)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    pub filter: String,
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("listen", &self.listen)
            .field("body_limit_bytes", &self.body_limit_bytes)
            .field("public_url", &self.public_url)
            .field("open_registration", &self.open_registration)
            .field("bulk_job_lease_secs", &self.bulk_job_lease_secs)
            .field("status_list_recheck_ms", &self.status_list_recheck_ms)
            .field(
                "metrics_token",
                &(!self.metrics_token.is_empty()).then_some("[redacted]"),
            )
            .field("metrics_listen", &self.metrics_listen)
            .field("header_read_timeout_secs", &self.header_read_timeout_secs)
            .field("body_timeout_secs", &self.body_timeout_secs)
            .field("request_timeout_secs", &self.request_timeout_secs)
            .field("max_connections", &self.max_connections)
            .finish()
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            body_limit_bytes: 1024 * 1024,
            public_url: String::new(),
            open_registration: true,
            bulk_job_lease_secs: 60,
            status_list_recheck_ms: 1000,
            metrics_token: String::new(),
            metrics_listen: String::new(),
            header_read_timeout_secs: 10,
            body_timeout_secs: 30,
            request_timeout_secs: 120,
            max_connections: 1024,
        }
    }
}

impl Default for DatabaseSection {
    fn default() -> Self {
        Self {
            url: String::new(),
            data_dir: PathBuf::from("./credence-data"),
            max_connections: 10,
            timeout_secs: 10,
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            filter: "info".into(),
            format: LogFormat::Text,
        }
    }
}

impl Config {
    /// Loads the configuration: defaults, then `file` (or `./credence.toml` when present),
    /// then the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, Failure> {
        let mut config = match file {
            Some(path) => Self::from_file(path)?,
            None if Path::new("credence.toml").exists() => {
                Self::from_file(Path::new("credence.toml"))?
            }
            None => Self::default(),
        };
        config.apply_env(|name| std::env::var(name).ok())?;
        Ok(config)
    }

    fn from_file(path: &Path) -> Result<Self, Failure> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
        toml::from_str(&text).map_err(|e| Failure::Refused(format!("{}: {e}", path.display())))
    }

    /// Applies `CREDENCE_*` variables read through `var`: each setting `section.key` from
    /// `CREDENCE_<SECTION>_<KEY>` or its older name (see [`crate::config_env`]).
    pub fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> Result<(), Failure> {
        *self = crate::config_env::apply(self, var)?;
        Ok(())
    }

    /// The outbound client of verification, or `None` when fetching is turned off.
    pub fn fetcher(&self) -> Result<Option<credence_fetch::Fetcher>, Failure> {
        let settings = self.fetch.settings()?;
        Ok(settings
            .enabled
            .then(|| credence_fetch::Fetcher::new(settings)))
    }

    /// Whether the database is SQLite in the data folder.
    pub fn uses_local_sqlite(&self) -> bool {
        self.database.url.trim().is_empty()
    }

    /// The public address, without a trailing slash: `server.public_url`, or
    /// `http://{listen}` when it is empty.
    pub fn public_url(&self) -> Result<String, Failure> {
        let configured = self.server.public_url.trim().trim_end_matches('/');
        if configured.is_empty() {
            return Ok(format!("http://{}", self.server.listen));
        }
        let parsed = url::Url::parse(configured).map_err(|e| {
            Failure::Refused(format!(
                "server.public_url: {configured:?} is not a URL: {e}"
            ))
        })?;
        if !matches!(parsed.scheme(), "http" | "https")
            || parsed.path() != "/"
            || parsed.host().is_none()
        {
            return Err(Failure::Refused(format!(
                "server.public_url: {configured:?} must be http(s)://host[:port] with no path"
            )));
        }
        Ok(configured.to_owned())
    }

    /// The canonicaliser over the bundled contexts plus those of `vc.contexts`, each read
    /// from its file now and logged with its SHA-256.
    pub fn canonicalizer(&self) -> Result<credence_vc::canon::Canonicalizer, Failure> {
        use credence_vc::canon::Canonicalizer;
        use credence_vc::contexts::{local_context, ContextSet};
        use sha2::Digest;
        if self.vc.contexts.is_empty() {
            return Ok(Canonicalizer::standard().clone());
        }
        let mut set = ContextSet::standard();
        for (url, file) in &self.vc.contexts {
            let text = std::fs::read_to_string(file).map_err(|e| {
                Failure::Refused(format!(
                    "vc.contexts: cannot read {} for {url}: {e}",
                    file.display()
                ))
            })?;
            let sha256 = hex::encode(sha2::Sha256::digest(text.as_bytes()));
            let context = local_context(url, text)
                .map_err(|e| Failure::Refused(format!("vc.contexts: {e}")))?;
            tracing::info!(%url, file = %file.display(), %sha256, "JSON-LD context added from a local file");
            set = set.with(context);
        }
        Ok(Canonicalizer::new(set))
    }

    /// The issuer registries of `vc.issuer_registries`, each read from its file now.
    pub fn issuer_registries(&self) -> Result<credence_vc::registries::IssuerRegistries, Failure> {
        use credence_vc::registries::{IssuerRegistries, IssuerRegistry};
        let mut registries = Vec::new();
        for (name, file) in &self.vc.issuer_registries {
            let bytes = std::fs::read(file).map_err(|e| {
                Failure::Refused(format!(
                    "vc.issuer_registries: cannot read {} for {name}: {e}",
                    file.display()
                ))
            })?;
            let registry = IssuerRegistry::parse(name, &bytes).map_err(|e| {
                Failure::Refused(format!(
                    "vc.issuer_registries: {} ({name}): {e}",
                    file.display()
                ))
            })?;
            tracing::info!(%name, file = %file.display(), issuers = registry.issuers.len(), "issuer registry loaded");
            registries.push(registry);
        }
        Ok(IssuerRegistries { registries })
    }

    /// The address of the separate metrics listener, if one is configured.
    pub fn metrics_listen(&self) -> Result<Option<SocketAddr>, Failure> {
        let text = self.server.metrics_listen.trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse().map(Some).map_err(|_| {
            Failure::Refused(format!(
                "server.metrics_listen: {text:?} is not an address such as 127.0.0.1:9090"
            ))
        })
    }

    /// Where the master key lives.
    pub fn master_key_path(&self) -> PathBuf {
        if self.security.master_key_file.as_os_str().is_empty() {
            self.database.data_dir.join("master.key")
        } else {
            self.security.master_key_file.clone()
        }
    }

    /// The database settings for the store.
    pub fn database(&self) -> DatabaseConfig {
        let url = if self.uses_local_sqlite() {
            DatabaseUrl::sqlite_in(&self.database.data_dir)
        } else {
            DatabaseUrl::new(self.database.url.trim())
        };
        DatabaseConfig {
            url,
            max_connections: self.database.max_connections,
            timeout: std::time::Duration::from_secs(self.database.timeout_secs.max(1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_default_is_the_default() {
        let parsed: Config = toml::from_str(DEFAULT_TOML).expect("DEFAULT_TOML parses");
        assert_eq!(parsed, Config::default());
    }

    fn check_env(vars: &[(&str, &str)], expect: impl Fn(&Config)) {
        let mut config = Config::default();
        let lookup = |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        };
        assert!(config.apply_env(lookup).is_ok());
        expect(&config);
    }

    #[test]
    fn environment_overrides_defaults() {
        check_env(&[("CREDENCE_DATABASE_URL", "postgres://x@y/z")], |c| {
            assert_eq!(c.database().url.expose(), "postgres://x@y/z");
        });
        check_env(&[("CREDENCE_LISTEN", "0.0.0.0:9000")], |c| {
            assert_eq!(c.server.listen.port(), 9000);
        });
        check_env(&[("CREDENCE_LOG_FORMAT", "json")], |c| {
            assert_eq!(c.log.format, LogFormat::Json);
        });
        check_env(&[("CREDENCE_DATA_DIR", "/tmp/cd")], |c| {
            assert_eq!(c.database().url.expose(), "sqlite:///tmp/cd/credence.db");
        });
        check_env(&[], |c| {
            assert_eq!(
                c.database().url.expose(),
                "sqlite://./credence-data/credence.db"
            );
        });
    }

    #[test]
    fn a_bad_listen_address_names_the_variable() {
        let mut config = Config::default();
        let Err(Failure::Refused(message)) =
            config.apply_env(|n| (n == "CREDENCE_LISTEN").then(|| "nonsense".to_owned()))
        else {
            panic!("expected a refusal");
        };
        assert!(message.starts_with("CREDENCE_LISTEN"), "{message}");
    }

    #[test]
    fn operator_contexts_come_from_local_files_and_sign() {
        let dir = tempfile::tempdir().expect("a folder");
        let file = dir.path().join("ctx.jsonld");
        std::fs::write(
            &file,
            r#"{"@context": {"@protected": true, "shoeSize": "https://example.org/vocab#shoeSize"}}"#,
        )
        .expect("write");
        let url = "https://example.org/ctx/v1";
        let pairs = format!("{url}={}", file.display());
        check_env(&[("CREDENCE_VC_CONTEXTS", pairs.as_str())], |c| {
            assert_eq!(c.vc.contexts.get(url), Some(&file));
            let canonicalizer = c.canonicalizer().expect("the context loads");
            // A document naming it is read (and so signed); without the setting it is not.
            let doc = serde_json::json!({
                "@context": ["https://www.w3.org/ns/credentials/v2", url],
                "type": ["VerifiableCredential"],
                "issuer": "did:example:issuer",
                "credentialSubject": {"id": "did:example:holder", "shoeSize": 42}
            });
            let nquads = canonicalizer.canonicalize(&doc).expect("canonical form");
            assert!(
                nquads.contains("https://example.org/vocab#shoeSize"),
                "{nquads}"
            );
            assert!(Config::default()
                .canonicalizer()
                .expect("standard")
                .canonicalize(&doc)
                .is_err());
        });
        // A bundled context cannot be replaced, and a missing file is named.
        let mut config = Config::default();
        config
            .vc
            .contexts
            .insert("https://www.w3.org/ns/credentials/v2".into(), file.clone());
        let Err(Failure::Refused(message)) = config.canonicalizer() else {
            panic!("a bundled context is replaced");
        };
        assert!(message.contains("cannot be replaced"), "{message}");
        config.vc.contexts.clear();
        config
            .vc
            .contexts
            .insert(url.into(), dir.path().join("nope"));
        let Err(Failure::Refused(message)) = config.canonicalizer() else {
            panic!("a missing file is accepted");
        };
        assert!(
            message.contains("vc.contexts") && message.contains("nope"),
            "{message}"
        );
        let mut config = Config::default();
        assert!(config
            .apply_env(|n| (n == "CREDENCE_VC_CONTEXTS").then(|| "no-equals".to_owned()))
            .is_err());
    }

    #[test]
    fn unknown_settings_are_refused() {
        assert!(toml::from_str::<Config>("[server]\nlisen = \"x\"").is_err());
    }

    #[test]
    fn debug_hides_database_passwords_and_the_metrics_token() {
        let mut config = Config::default();
        config.database.url = "postgres://u:hunter2@db/c".into();
        config.server.metrics_token = "s3cret-metrics".into();
        let printed = format!("{config:?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(!printed.contains("s3cret-metrics"), "{printed}");
    }
}
