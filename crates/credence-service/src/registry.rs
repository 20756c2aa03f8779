//! What every registry use case shares: the store, the installation's settings (public
//! address, master key, password cost), the clock, and small helpers for random secrets,
//! hashes and audit entries.

use credence_domain::OrgId;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use credence_store::registry::NewAuditEntry;
use credence_store::{Store, Tx};
use credence_vc::canon::Canonicalizer;
use credence_vc::sealed::MasterKey;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::ServiceError;

/// How expensive password hashing is (argon2id). The defaults follow OWASP's advice
/// (19 MiB, 2 passes, 1 lane); tests use the cheapest allowed cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordCost {
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
}

impl Default for PasswordCost {
    fn default() -> Self {
        Self {
            memory_kib: 19 * 1024,
            passes: 2,
            lanes: 1,
        }
    }
}

impl PasswordCost {
    /// The cheapest cost argon2 allows; for tests only.
    pub fn cheapest_for_tests() -> Self {
        Self {
            memory_kib: 8,
            passes: 1,
            lanes: 1,
        }
    }
}

/// The registry's settings, as plain values (the CLI reads them from configuration).
#[derive(Debug, Clone)]
pub struct RegistryConfig {
    /// The public address of this Credence, without a trailing slash, e.g.
    /// `https://credence.example.org`. Credential ids, status list URLs and `did:web`
    /// identifiers are made from it.
    pub base_url: String,
    /// Seals signing keys at rest.
    pub master_key: MasterKey,
    pub password_cost: PasswordCost,
    /// How long a browser session lasts.
    pub session_hours: i64,
    /// Whether anyone may create an account (a holder) through the API and pages.
    pub open_registration: bool,
    /// Whether this registry holds the demonstration world (`serve --demo`): pages say so
    /// and offer the demo personas' sign-ins.
    pub demo: bool,
    /// How long a running bulk job's lease lasts past each sign of life of the process
    /// working on it; a job whose lease has passed was interrupted and reads as failed.
    pub bulk_job_lease_secs: i64,
    /// How long the public status-list endpoint serves a list from memory before asking the
    /// database whether it changed. Changes made by this process are served at once; those
    /// made by another process sharing the database within this long. Zero: always ask.
    pub status_list_recheck: std::time::Duration,
    /// Reads JSON-LD for signing and verification: the bundled contexts plus any the
    /// operator added from local files (`vc.contexts`). Clones share its caches.
    pub canonicalizer: Canonicalizer,
    /// How many password hashes run and wait at once, and when an account is locked.
    pub guard: crate::guard::GuardConfig,
    /// What one account may store.
    pub quotas: Quotas,
    /// The one outbound client (`[fetch]` settings): did:web documents, HTTPS keys and
    /// status lists of other issuers. `None`: verification stays offline.
    pub fetcher: Option<credence_fetch::Fetcher>,
    /// Where e-mail goes (`[mail]` settings); without a server it waits in the outbox.
    pub mail: crate::mail::MailSettings,
    /// Whether a person who registers must confirm the address by the link sent to it
    /// before submitting evidence (on when a mail server is configured).
    pub confirm_addresses: bool,
    /// Issuer registries the operator trusts (`vc.issuer_registries`): a verification
    /// names the registry that knows the issuer, or warns that none does.
    pub issuer_registries: credence_vc::registries::IssuerRegistries,
    /// The small-number threshold of the workforce view and of product dossiers' coverage
    /// (`workforce.suppress_below`): counts under it are shown as "fewer than" it.
    pub workforce_suppress_below: u64,
    /// How long a credential offer to a wallet works (`wallet.offer_minutes`), in minutes.
    pub wallet_offer_minutes: i64,
}

/// What one account may store (0: no limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotas {
    /// Pieces of evidence, in any state.
    pub evidence_records: i64,
    /// Bytes of attachments over all its evidence.
    pub attachment_bytes: i64,
}

impl Default for Quotas {
    fn default() -> Self {
        Self {
            evidence_records: 2_000,
            attachment_bytes: 200 * 1024 * 1024,
        }
    }
}

impl RegistryConfig {
    /// Settings for tests: the given address, a fresh master key, the cheapest password cost.
    pub fn for_tests(base_url: &str) -> Result<Self, ServiceError> {
        Ok(Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            master_key: MasterKey::generate()
                .map_err(ServiceError::wrap("generating a master key"))?,
            password_cost: PasswordCost::cheapest_for_tests(),
            session_hours: 12,
            open_registration: true,
            demo: false,
            bulk_job_lease_secs: 60,
            status_list_recheck: std::time::Duration::from_secs(1),
            canonicalizer: Canonicalizer::standard().clone(),
            guard: crate::guard::GuardConfig::default(),
            quotas: Quotas::default(),
            fetcher: None,
            mail: crate::mail::MailSettings::outbox_only(
                credence_mail::Sender::parse("Credence <no-reply@credence.test>")
                    .map_err(ServiceError::wrap("the tests' sender"))?,
            ),
            confirm_addresses: false,
            issuer_registries: Default::default(),
            workforce_suppress_below: 5,
            wallet_offer_minutes: 10,
        })
    }

    /// Whether the public address is one only this machine can reach (a loopback or
    /// unspecified address, or `localhost`): credentials issued now would name it for ever.
    pub fn public_url_is_local(&self) -> bool {
        let host = url::Url::parse(&self.base_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        host == "localhost"
            || host
                .trim_matches(|c| c == '[' || c == ']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback() || ip.is_unspecified())
    }

    /// The host (with `%3A` and port when there is one) used in `did:web` identifiers.
    pub fn did_web_host(&self) -> String {
        let rest = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, r)| r);
        let host = rest.split('/').next().unwrap_or(rest);
        host.replace(':', "%3A")
    }
}

/// The registry's shared context. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Registry {
    pub(crate) store: Store,
    pub(crate) config: Arc<RegistryConfig>,
    /// Parsed framework versions and signed status lists kept in memory.
    pub(crate) caches: Arc<crate::caches::Caches>,
    /// Counters of awards, verifications and status list rebuilds.
    pub(crate) metrics: crate::metrics::Metrics,
    /// Bounds password hashing and locks accounts after wrong passwords.
    pub(crate) guard: Arc<crate::guard::PasswordGuard>,
    /// Woken when this process queues e-mail, so the delivery worker sends it at once.
    pub(crate) mail_waiting: Arc<tokio::sync::Notify>,
    /// Milliseconds added to the system clock: zero, unless moved by [`Self::shift_clock`].
    clock_shift: Arc<std::sync::atomic::AtomicI64>,
}

impl Registry {
    pub fn new(store: Store, config: RegistryConfig) -> Self {
        Self {
            store: crate::checkpoint::checkpointing(store, &config.master_key),
            guard: Arc::new(crate::guard::PasswordGuard::new(config.guard)),
            config: Arc::new(config),
            caches: Arc::default(),
            metrics: crate::metrics::Metrics::default(),
            mail_waiting: Arc::default(),
            clock_shift: Arc::default(),
        }
    }

    /// The registry's counters, for whoever exposes metrics.
    pub fn metrics(&self) -> &crate::metrics::Metrics {
        &self.metrics
    }

    pub fn config(&self) -> &RegistryConfig {
        &self.config
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The current time: the system clock, moved by [`Self::shift_clock`] if ever.
    pub fn now(&self) -> DateTime<Utc> {
        let shift = self.clock_shift.load(std::sync::atomic::Ordering::Relaxed);
        Utc::now() + chrono::Duration::milliseconds(shift)
    }

    /// Moves this registry's clock (and its clones') by `by`, so that a test sees what
    /// happens days later without waiting: reminders falling due, credentials expiring.
    /// Nothing in a running installation calls it.
    pub fn shift_clock(&self, by: chrono::Duration) {
        self.clock_shift
            .fetch_add(by.num_milliseconds(), std::sync::atomic::Ordering::Relaxed);
    }

    /// `{base_url}{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_url)
    }
}

/// 32 random bytes as URL-safe base64 without padding.
pub(crate) fn random_secret() -> Result<String, ServiceError> {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| ServiceError::internal(format!("drawing random bytes for a token: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// A random 128-bit id as a UUID string.
pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub(crate) fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Appends an audit entry inside `tx`.
pub(crate) async fn audit(
    tx: &Tx,
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    org_id: Option<&OrgId>,
    subject: &str,
    detail: Value,
) -> Result<(), ServiceError> {
    tx.append_audit(audit_entry(at, actor, action, org_id, subject, &detail))
        .await?;
    Ok(())
}

/// An audit entry to append, for [`Tx::append_audit_many`] (several in one go).
pub(crate) fn audit_entry(
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    org_id: Option<&OrgId>,
    subject: &str,
    detail: &Value,
) -> NewAuditEntry {
    NewAuditEntry {
        at,
        actor: actor.to_owned(),
        action: action.to_owned(),
        org_id: org_id.cloned(),
        subject: subject.to_owned(),
        detail: detail.to_string(),
    }
}

impl Registry {
    /// `read`'s answer for `key`, from `memory` when it was read less than
    /// [`RegistryConfig::status_list_recheck`] ago and this process has committed no write
    /// since ([`crate::caches::Recent`]); otherwise read now and kept. A recheck time of zero
    /// keeps nothing.
    pub(crate) async fn recently<K, T, F>(
        &self,
        memory: &crate::caches::Recent<K, T>,
        key: K,
        read: impl FnOnce() -> F,
    ) -> Result<T, ServiceError>
    where
        K: std::hash::Hash + Eq,
        T: Clone,
        F: std::future::Future<Output = Result<T, ServiceError>>,
    {
        let recheck = self.config.status_list_recheck;
        // Counted before reading: a write committed meanwhile makes what is read stale.
        let (writes, read_at) = (self.store.writes_committed(), std::time::Instant::now());
        if let Some(known) = memory.get(&key, recheck, writes) {
            return Ok(known);
        }
        let value = read().await?;
        if !recheck.is_zero() {
            memory.keep(key, value.clone(), read_at, writes);
        }
        Ok(value)
    }
}

/// Runs CPU-heavy work (signing, verifying: hundreds of microseconds to milliseconds) so
/// that it does not hold up the other tasks of an async worker: on a multi-threaded runtime
/// the worker hands its tasks to others while `work` runs (`block_in_place`); on a
/// current-thread runtime (tests, small tools) there is no other worker, and it just runs.
pub(crate) fn cpu_bound<T>(work: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(work)
        }
        _ => work(),
    }
}

#[cfg(test)]
mod tests {
    use super::RegistryConfig;

    #[test]
    fn a_local_public_address_is_recognised() {
        for (url, local) in [
            ("http://127.0.0.1:8080", true),
            ("http://localhost:8080", true),
            ("http://[::1]:8080", true),
            ("http://0.0.0.0:8080", true),
            ("https://credentials.example.org", false),
            ("http://192.0.2.10:8080", false),
        ] {
            let config = RegistryConfig::for_tests(url).expect("settings");
            assert_eq!(config.public_url_is_local(), local, "{url}");
        }
    }
}
