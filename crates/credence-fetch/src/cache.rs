//! The fetcher's answers kept in memory: how long an answer may be reused (HTTP caching
//! headers, held between the operator's floor and ceiling) and a cache bounded in entries
//! and bytes.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use bytes::Bytes;

/// How long an answer may be reused, read from its `Cache-Control` header (`max-age`, or
/// `s-maxage` which a shared cache such as this one prefers), then held between `floor` and
/// `ceiling`. `no-store`, `no-cache` and `private`, or no header, count as zero; the floor
/// still applies, so the operator decides how often a remote server is asked at most.
pub fn freshness(cache_control: Option<&str>, floor: Duration, ceiling: Duration) -> Duration {
    let mut max_age = None;
    let mut s_maxage = None;
    let mut zero = false;
    for directive in cache_control.unwrap_or_default().split(',') {
        let directive = directive.trim().to_ascii_lowercase();
        let (name, value) = match directive.split_once('=') {
            Some((n, v)) => (
                n.trim().to_owned(),
                Some(v.trim().trim_matches('"').to_owned()),
            ),
            None => (directive.clone(), None),
        };
        let seconds = value.and_then(|v| v.parse::<u64>().ok());
        match name.as_str() {
            "no-store" | "no-cache" | "private" => zero = true,
            "max-age" => max_age = seconds.or(Some(0)),
            "s-maxage" => s_maxage = seconds.or(Some(0)),
            _ => {}
        }
    }
    let seconds = if zero {
        0
    } else {
        s_maxage.or(max_age).unwrap_or(0)
    };
    Duration::from_secs(seconds).clamp(floor, ceiling.max(floor))
}

/// One kept answer.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The body.
    pub body: Bytes,
    /// Its `Content-Type`.
    pub content_type: String,
    /// The HTTP status it came with.
    pub status: u16,
    /// The URL it was finally read from (after redirects).
    pub final_url: String,
    /// Until when it may be reused.
    pub expires: Instant,
}

/// A failed fetch, kept so that a server that is down or a name that does not resolve
/// costs one wait, not one per verification.
#[derive(Debug, Clone)]
pub struct Failure {
    /// Why it failed.
    pub error: crate::FetchError,
    /// The last HTTP status, when an answer came.
    pub status: Option<u16>,
    /// Until when it is answered from memory.
    pub expires: Instant,
}

/// The key of `map`'s value closest to expiry.
fn soonest<T>(map: &HashMap<String, T>, expires: impl Fn(&T) -> Instant) -> Option<String> {
    map.iter()
        .min_by_key(|(_, kept)| expires(kept))
        .map(|(url, _)| url.clone())
}

/// Answers by URL, at most `max_entries` of them and `max_bytes` of bodies together; when
/// full, expired answers go first, then those closest to expiry.
#[derive(Debug)]
pub struct Cache {
    entries: HashMap<String, Entry>,
    /// Fetches that failed, by URL: the failure (as a sentence) and the last HTTP status,
    /// until when they are answered again without asking the server.
    failures: HashMap<String, Failure>,
    bytes: usize,
    max_entries: usize,
    max_bytes: usize,
}

impl Cache {
    /// An empty cache with these bounds.
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        Self {
            entries: HashMap::new(),
            failures: HashMap::new(),
            bytes: 0,
            max_entries,
            max_bytes,
        }
    }

    /// The answer for `url` if it is still fresh at `now`.
    pub fn get(&mut self, url: &str, now: Instant) -> Option<Entry> {
        match self.entries.get(url) {
            Some(e) if e.expires > now => Some(e.clone()),
            Some(_) => {
                self.remove(url);
                None
            }
            None => None,
        }
    }

    fn remove(&mut self, url: &str) {
        if let Some(old) = self.entries.remove(url) {
            self.bytes -= old.body.len();
        }
    }

    /// Keeps `entry` for `url` unless it is already stale or larger than the whole cache.
    pub fn put(&mut self, url: &str, entry: Entry, now: Instant) {
        self.remove(url);
        if entry.expires <= now || entry.body.len() > self.max_bytes || self.max_entries == 0 {
            return;
        }
        self.entries.retain(|_, e| e.expires > now);
        self.bytes = self.entries.values().map(|e| e.body.len()).sum();
        while self.entries.len() >= self.max_entries
            || self.bytes + entry.body.len() > self.max_bytes
        {
            let Some(soonest) = soonest(&self.entries, |e| e.expires) else {
                break;
            };
            self.remove(&soonest);
        }
        self.bytes += entry.body.len();
        self.entries.insert(url.to_owned(), entry);
    }

    /// The failure remembered for `url`, if it is still fresh at `now`.
    pub fn failure(&mut self, url: &str, now: Instant) -> Option<Failure> {
        match self.failures.get(url) {
            Some(f) if f.expires > now => Some(f.clone()),
            Some(_) => {
                self.failures.remove(url);
                None
            }
            None => None,
        }
    }

    /// Remembers that fetching `url` failed, until `failure.expires`; at most as many
    /// failures as answers are kept, the ones closest to expiry forgotten first.
    pub fn put_failure(&mut self, url: &str, failure: Failure, now: Instant) {
        self.failures.remove(url);
        if failure.expires <= now || self.max_entries == 0 {
            return;
        }
        self.failures.retain(|_, f| f.expires > now);
        while self.failures.len() >= self.max_entries {
            let Some(soonest) = soonest(&self.failures, |f| f.expires) else {
                break;
            };
            self.failures.remove(&soonest);
        }
        self.failures.insert(url.to_owned(), failure);
    }

    /// How many answers are kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no answer is kept.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(header: Option<&str>, floor: u64, ceiling: u64, expected: u64) {
        assert_eq!(
            freshness(
                header,
                Duration::from_secs(floor),
                Duration::from_secs(ceiling)
            ),
            Duration::from_secs(expected),
            "{header:?} floor {floor} ceiling {ceiling}"
        );
    }

    #[test]
    fn freshness_follows_the_headers_within_the_operators_bounds() {
        check(Some("max-age=300"), 0, 3600, 300);
        check(Some("public, max-age=300, s-maxage=60"), 0, 3600, 60);
        check(Some("max-age=99999"), 0, 3600, 3600);
        check(Some("max-age=5"), 30, 3600, 30);
        check(Some("no-store"), 0, 3600, 0);
        check(Some("no-cache, max-age=300"), 10, 3600, 10);
        check(Some("max-age=\"120\""), 0, 3600, 120);
        check(Some("max-age=banana"), 0, 3600, 0);
        check(None, 0, 3600, 0);
        check(None, 60, 30, 60);
    }

    fn entry(size: usize, secs: u64, now: Instant) -> Entry {
        Entry {
            body: Bytes::from(vec![0u8; size]),
            content_type: "application/json".into(),
            status: 200,
            final_url: String::new(),
            expires: now + Duration::from_secs(secs),
        }
    }

    #[test]
    fn the_cache_is_bounded_and_forgets_stale_answers() {
        let now = Instant::now();
        let mut cache = Cache::new(2, 100);
        cache.put("a", entry(10, 10, now), now);
        cache.put("b", entry(10, 20, now), now);
        cache.put("c", entry(10, 30, now), now);
        assert_eq!(cache.len(), 2);
        assert!(
            cache.get("a", now).is_none(),
            "the one closest to expiry went"
        );
        assert!(cache.get("c", now).is_some());
        cache.put("big", entry(95, 30, now), now);
        assert_eq!(cache.len(), 1, "bytes bound makes room");
        cache.put("huge", entry(101, 30, now), now);
        assert!(cache.get("huge", now).is_none(), "larger than the cache");
        cache.put("stale", entry(1, 0, now), now);
        assert!(cache.get("stale", now).is_none());
        let later = now + Duration::from_secs(31);
        assert!(cache.get("big", later).is_none());
        assert!(cache.is_empty());
    }

    #[test]
    fn failures_are_remembered_briefly_and_bounded() {
        let now = Instant::now();
        let mut cache = Cache::new(2, 100);
        let failure = |secs| Failure {
            error: crate::FetchError::Status(503),
            status: Some(503),
            expires: now + Duration::from_secs(secs),
        };
        cache.put_failure("a", failure(10), now);
        cache.put_failure("b", failure(20), now);
        cache.put_failure("c", failure(30), now);
        assert!(
            cache.failure("a", now).is_none(),
            "the one closest to expiry went"
        );
        let kept = cache.failure("c", now).expect("remembered");
        assert_eq!(kept.error, crate::FetchError::Status(503));
        assert!(cache.failure("b", now + Duration::from_secs(21)).is_none());
        cache.put_failure("stale", failure(0), now);
        assert!(cache.failure("stale", now).is_none());
        assert!(cache.is_empty(), "failures are not answers");
    }
}
