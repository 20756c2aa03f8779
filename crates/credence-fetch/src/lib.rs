//! Credence's one outbound HTTP client, used by every resolver that reaches other servers
//! (did:web documents, controller documents, status lists, credentials by address) and by
//! nothing else.
//!
//! HTTPS only; every address checked before connecting against [`policy::REFUSED_RANGES`],
//! on the address actually connected to; at most three redirects, each checked the same way;
//! a connection within 3 s, the whole answer within 5 s, at most 1 MiB; a few fetches at
//! once per host; content types checked; answers kept in a bounded cache for as long as
//! their caching headers say, held between the operator's floor and ceiling; a failed fetch
//! is remembered for the floor, at most a minute, so that a server that is down or a name
//! that does not resolve costs one wait, not one per verification. Hosts in
//! `fetch.allow_hosts` may be private or loopback, and plain HTTP (intranets and tests).

pub mod cache;
mod client;
pub mod policy;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio::sync::Semaphore;

pub use policy::{AllowHosts, UrlRefusal, REFUSED_RANGES};

/// The longest a failed fetch is remembered (and answered again without asking).
pub const MAX_FAILURE_MEMORY: Duration = Duration::from_secs(60);

/// How many hosts' concurrency limits are kept before idle ones are forgotten.
const MAX_IDLE_HOSTS: usize = 256;

/// The operator's settings (`[fetch]` in the configuration file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Whether anything is fetched at all (`fetch.enabled`); false: fully offline.
    pub enabled: bool,
    /// Hosts that may be private or loopback, and plain HTTP (`fetch.allow_hosts`).
    pub allow_hosts: AllowHosts,
    /// How long a connection may take.
    pub connect_timeout: Duration,
    /// How long the whole fetch may take, redirects and body included.
    pub total_timeout: Duration,
    /// The largest body read.
    pub max_bytes: usize,
    /// How many fetches run at once against one host.
    pub per_host: usize,
    /// How many redirects are followed.
    pub max_redirects: usize,
    /// The shortest time an answer is reused, whatever its headers say; a failure is
    /// remembered this long too, at most [`MAX_FAILURE_MEMORY`].
    pub cache_floor: Duration,
    /// The longest time an answer is reused, whatever its headers say.
    pub cache_ceiling: Duration,
    /// How many answers the cache keeps.
    pub cache_entries: usize,
    /// How many bytes of answers the cache keeps.
    pub cache_bytes: usize,
    /// Certificate authorities trusted besides the Mozilla roots (DER), for intranets.
    pub extra_roots: Vec<Vec<u8>>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            enabled: true,
            allow_hosts: AllowHosts::default(),
            connect_timeout: Duration::from_secs(3),
            total_timeout: Duration::from_secs(5),
            max_bytes: 1024 * 1024,
            per_host: 4,
            max_redirects: 3,
            cache_floor: Duration::from_secs(60),
            cache_ceiling: Duration::from_secs(24 * 3600),
            cache_entries: 1024,
            cache_bytes: 32 * 1024 * 1024,
            extra_roots: Vec::new(),
        }
    }
}

/// What kind of document is wanted, and so which content types are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// A JSON document: a DID or controller document, a status list credential.
    Json,
    /// A credential: JSON, or a PNG or SVG image with one baked in.
    Credential,
}

impl Want {
    fn accept(self) -> &'static str {
        match self {
            Self::Json => "application/did+json, application/ld+json, application/json;q=0.9",
            Self::Credential => {
                "application/vc+ld+json, application/ld+json, application/json;q=0.9, image/png;q=0.8, image/svg+xml;q=0.8"
            }
        }
    }

    /// Whether `content_type` is acceptable (`application/json`, any `+json`, and for
    /// credentials PNG and SVG images).
    pub fn accepts(self, content_type: &str) -> bool {
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let json = essence == "application/json"
            || (essence.starts_with("application/") && essence.ends_with("+json"));
        match self {
            Self::Json => json,
            Self::Credential => json || essence == "image/png" || essence == "image/svg+xml",
        }
    }
}

/// Why a fetch failed, as a sentence ending a "could not be fetched: …" report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// Fetching is turned off (`fetch.enabled = false`).
    #[error("fetching is turned off on this Credence")]
    Disabled,
    /// The URL itself is refused.
    #[error("refused: {0}")]
    Url(#[from] UrlRefusal),
    /// The name resolved only to refused addresses.
    #[error("refused: {0}")]
    Refused(String),
    /// The name could not be resolved.
    #[error("{0}")]
    Resolve(String),
    /// No connection could be made.
    #[error("could not connect: {0}")]
    Connect(String),
    /// The TLS handshake failed.
    #[error("the secure connection failed: {0}")]
    Tls(String),
    /// The HTTP exchange failed.
    #[error("the answer could not be read: {0}")]
    Http(String),
    /// The whole fetch took too long.
    #[error("timed out after {} s", seconds(*.0))]
    Timeout(Duration),
    /// The body is larger than allowed.
    #[error("the answer is larger than {} KiB", .0 / 1024)]
    TooLarge(usize),
    /// Too many redirects.
    #[error("more than {0} redirects")]
    TooManyRedirects(usize),
    /// An answer other than 200.
    #[error("the server answered HTTP {0}")]
    Status(u16),
    /// A content type that is not wanted.
    #[error("the server answered {0:?}, not a document of the expected kind")]
    ContentType(String),
}

/// The certificates in PEM text (for `fetch.ca_files`), as DER.
pub fn certificates_from_pem(pem: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::CertificateDer;
    let certificates: Vec<Vec<u8>> = CertificateDer::pem_slice_iter(pem)
        .map(|c| c.map(|c| c.as_ref().to_vec()))
        .collect::<Result<_, _>>()
        .map_err(|e| format!("not PEM certificates ({e})"))?;
    if certificates.is_empty() {
        return Err("no certificate in it".into());
    }
    Ok(certificates)
}

/// A duration in seconds as people write it: `5`, `0.5`.
fn seconds(d: Duration) -> String {
    let text = format!("{:.3}", d.as_secs_f64());
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A document fetched (or taken from the cache).
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL asked for.
    pub url: String,
    /// The URL finally read after redirects.
    pub final_url: String,
    /// Its `Content-Type`.
    pub content_type: String,
    /// The body.
    pub body: Bytes,
    /// Whether it came from the cache.
    pub from_cache: bool,
}

/// One fetch as a report lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchRecord {
    /// The URL asked for.
    pub url: String,
    /// The final HTTP status, when an answer came.
    pub status: Option<u16>,
    /// Whether the answer came from the cache.
    pub from_cache: bool,
    /// How long it took, in milliseconds.
    pub millis: u64,
    /// Why it failed, when it did.
    pub error: Option<String>,
}

/// The outbound client. Clones share the cache and the per-host limits.
#[derive(Clone)]
pub struct Fetcher {
    settings: Arc<Settings>,
    cache: Arc<Mutex<cache::Cache>>,
    hosts: Arc<Mutex<HashMap<String, Arc<Semaphore>>>>,
    tls: tokio_rustls::TlsConnector,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl Fetcher {
    /// A fetcher with these settings.
    pub fn new(settings: Settings) -> Self {
        let cache = cache::Cache::new(settings.cache_entries, settings.cache_bytes);
        let tls = client::tls_connector(&settings.extra_roots);
        Self {
            settings: Arc::new(settings),
            cache: Arc::new(Mutex::new(cache)),
            hosts: Arc::default(),
            tls,
        }
    }

    /// Its settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Fetches `url` and records the fetch in `log`.
    pub async fn fetch_logged(
        &self,
        url: &str,
        want: Want,
        log: &mut Vec<FetchRecord>,
    ) -> Result<Fetched, FetchError> {
        let started = Instant::now();
        let (result, status, from_cache) = self.fetch_remembered(url, want).await;
        log.push(FetchRecord {
            url: url.to_owned(),
            status,
            from_cache,
            millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            error: result.as_ref().err().map(ToString::to_string),
        });
        result
    }

    /// Fetches `url` (from the cache when fresh there); also gives the last HTTP status.
    pub async fn fetch(&self, url: &str, want: Want) -> (Result<Fetched, FetchError>, Option<u16>) {
        let (result, status, _) = self.fetch_remembered(url, want).await;
        (result, status)
    }

    /// As [`Self::fetch`], also telling whether the answer (or the failure) was remembered.
    async fn fetch_remembered(
        &self,
        url: &str,
        want: Want,
    ) -> (Result<Fetched, FetchError>, Option<u16>, bool) {
        if !self.settings.enabled {
            return (Err(FetchError::Disabled), None, false);
        }
        if let Some(failure) = self.lock_cache().failure(url, Instant::now()) {
            return (Err(failure.error), failure.status, true);
        }
        // An answer kept for another kind of document (an image asked for as a credential,
        // now asked for as JSON) is not reused.
        let hit = self
            .lock_cache()
            .get(url, Instant::now())
            .filter(|e| want.accepts(&e.content_type));
        if let Some(entry) = hit {
            let fetched = Fetched {
                url: url.to_owned(),
                final_url: entry.final_url,
                content_type: entry.content_type,
                body: entry.body,
                from_cache: true,
            };
            return (Ok(fetched), Some(entry.status), true);
        }
        let mut status = None;
        let total = self.settings.total_timeout;
        let result =
            match tokio::time::timeout(total, self.fetch_fresh(url, want, &mut status)).await {
                Ok(result) => result,
                Err(_) => Err(FetchError::Timeout(total)),
            };
        if let Err(error) = &result {
            self.remember_failure(url, error, status);
        }
        (result, status, false)
    }

    /// Keeps a failure for the cache floor (at most [`MAX_FAILURE_MEMORY`]). Refusals of
    /// the URL itself cost nothing to find again, and an answer of the wrong kind may be
    /// the right kind for another request (an image asked for as JSON, then as a
    /// credential): neither is kept.
    fn remember_failure(&self, url: &str, error: &FetchError, status: Option<u16>) {
        if matches!(
            error,
            FetchError::Disabled | FetchError::Url(_) | FetchError::ContentType(_)
        ) {
            return;
        }
        let ttl = self.settings.cache_floor.min(MAX_FAILURE_MEMORY);
        let now = Instant::now();
        let failure = cache::Failure {
            error: error.clone(),
            status,
            expires: now + ttl,
        };
        self.lock_cache().put_failure(url, failure, now);
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, cache::Cache> {
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn host_limit(&self, host: &str) -> Arc<Semaphore> {
        let mut hosts = self
            .hosts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Hosts nobody is fetching from now are forgotten, so the map stays small however
        // many hosts are named.
        if hosts.len() >= MAX_IDLE_HOSTS {
            hosts.retain(|_, limit| Arc::strong_count(limit) > 1);
        }
        hosts
            .entry(host.to_owned())
            .or_insert_with(|| Arc::new(Semaphore::new(self.settings.per_host.max(1))))
            .clone()
    }

    async fn fetch_fresh(
        &self,
        url: &str,
        want: Want,
        status: &mut Option<u16>,
    ) -> Result<Fetched, FetchError> {
        let s = &self.settings;
        let mut current = url.to_owned();
        for _ in 0..=s.max_redirects {
            let target = policy::check_url(&current, &s.allow_hosts)?;
            let limit = self.host_limit(&target.host);
            let _permit = limit
                .acquire()
                .await
                .map_err(|e| FetchError::Http(e.to_string()))?;
            let fetched = client::get(
                &target,
                want.accept(),
                s.connect_timeout,
                s.max_bytes,
                &self.tls,
            )
            .await;
            // An allowed host (intranet, test) may answer plain HTTP where the URL says
            // https (did:web always does): after a failed handshake it is asked once more
            // without TLS. Hosts not in fetch.allow_hosts are never.
            let response = match fetched {
                Err(FetchError::Tls(reason)) if target.allowed => {
                    let plain = policy::Target {
                        tls: false,
                        ..target.clone()
                    };
                    // When plain HTTP fails too, the secure connection's failure is the
                    // one worth reporting.
                    client::get(
                        &plain,
                        want.accept(),
                        s.connect_timeout,
                        s.max_bytes,
                        &self.tls,
                    )
                    .await
                    .map_err(|_| FetchError::Tls(reason))?
                }
                other => other?,
            };
            *status = Some(response.status);
            match response.status {
                200 => {}
                301 | 302 | 303 | 307 | 308 => {
                    let location = response
                        .location
                        .ok_or(FetchError::Status(response.status))?;
                    current = target
                        .url
                        .join(&location)
                        .map_err(|_| UrlRefusal::NotUrl(location.clone()))?
                        .to_string();
                    continue;
                }
                other => return Err(FetchError::Status(other)),
            }
            if !want.accepts(&response.content_type) {
                return Err(FetchError::ContentType(response.content_type));
            }
            let now = Instant::now();
            let ttl = cache::freshness(
                response.cache_control.as_deref(),
                s.cache_floor,
                s.cache_ceiling,
            );
            let entry = cache::Entry {
                body: response.body.clone(),
                content_type: response.content_type.clone(),
                status: response.status,
                final_url: current.clone(),
                expires: now + ttl,
            };
            self.lock_cache().put(url, entry, now);
            return Ok(Fetched {
                url: url.to_owned(),
                final_url: current,
                content_type: response.content_type,
                body: response.body,
                from_cache: false,
            });
        }
        Err(FetchError::TooManyRedirects(s.max_redirects))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_are_checked_per_kind() {
        for (want, content_type, ok) in [
            (Want::Json, "application/json", true),
            (Want::Json, "application/did+json; charset=utf-8", true),
            (Want::Json, "application/ld+json", true),
            (Want::Json, "text/html", false),
            (Want::Json, "", false),
            (Want::Json, "image/png", false),
            (Want::Credential, "image/png", true),
            (Want::Credential, "image/svg+xml", true),
            (Want::Credential, "application/vc+ld+json", true),
            (Want::Credential, "text/plain", false),
        ] {
            assert_eq!(want.accepts(content_type), ok, "{want:?} {content_type}");
        }
    }

    #[tokio::test]
    async fn idle_hosts_are_forgotten() {
        let fetcher = Fetcher::new(Settings::default());
        let busy = fetcher.host_limit("busy.example");
        for i in 0..MAX_IDLE_HOSTS + 10 {
            let _ = fetcher.host_limit(&format!("h{i}.example"));
        }
        let hosts = fetcher.hosts.lock().expect("lock");
        assert!(hosts.len() <= MAX_IDLE_HOSTS, "{}", hosts.len());
        assert!(hosts.contains_key("busy.example"), "a host in use is kept");
        drop(busy);
    }

    #[test]
    fn extra_roots_are_read_from_pem() {
        let ca = include_bytes!("../../../tests/vectors/fetch-tls/ca.pem");
        assert_eq!(certificates_from_pem(ca).map(|c| c.len()), Ok(1));
        assert_eq!(
            certificates_from_pem(b"hello"),
            Err("no certificate in it".to_owned())
        );
    }

    #[test]
    fn errors_read_as_the_end_of_a_sentence() {
        assert_eq!(
            FetchError::Timeout(Duration::from_secs(5)).to_string(),
            "timed out after 5 s"
        );
        assert_eq!(
            FetchError::Timeout(Duration::from_millis(500)).to_string(),
            "timed out after 0.5 s"
        );
        assert_eq!(
            FetchError::TooLarge(1024 * 1024).to_string(),
            "the answer is larger than 1024 KiB"
        );
    }
}
