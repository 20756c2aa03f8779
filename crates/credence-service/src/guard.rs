//! What keeps password checks from being abused: a gate that bounds how many argon2id
//! hashes run at once (each takes the configured memory, 19 MiB by default) and how many
//! wait, and a per-account lock after repeated wrong passwords, with delays that double.
//! Both live in the process's memory: several processes on one database each keep their
//! own (so an account's budget is per process), which bounds the cost either way.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use crate::ServiceError;

/// Limits on password hashing and wrong passwords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuardConfig {
    /// Hashes that run at once.
    pub hash_concurrency: usize,
    /// Hashes that may wait for a slot; beyond, a request is answered 503 at once.
    pub hash_queue: usize,
    /// Wrong passwords for one account before it is locked.
    pub lock_after: u32,
    /// The first lock's length; each further wrong password while counting doubles it.
    pub first_lock: Duration,
    /// The longest lock.
    pub longest_lock: Duration,
}

impl Default for GuardConfig {
    fn default() -> Self {
        Self {
            hash_concurrency: 4,
            hash_queue: 64,
            lock_after: 5,
            first_lock: Duration::from_secs(30),
            longest_lock: Duration::from_secs(15 * 60),
        }
    }
}

/// Wrong passwords of one account.
#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
    locked_until: Option<Instant>,
}

/// Wrong passwords are forgotten this long after the last one.
const FORGET_AFTER: Duration = Duration::from_secs(60 * 60);
/// At most this many accounts are remembered; the oldest entries go first.
const MAX_REMEMBERED: usize = 100_000;

/// The gate and the locks.
#[derive(Debug)]
pub struct PasswordGuard {
    config: GuardConfig,
    slots: Semaphore,
    waiting: AtomicUsize,
    failures: Mutex<HashMap<String, Failures>>,
}

impl Default for PasswordGuard {
    fn default() -> Self {
        Self::new(GuardConfig::default())
    }
}

/// A slot to hash in; the slot is free again when this is dropped.
#[derive(Debug)]
pub struct HashSlot<'a>(#[allow(dead_code)] tokio::sync::SemaphorePermit<'a>);

impl PasswordGuard {
    pub fn new(config: GuardConfig) -> Self {
        Self {
            slots: Semaphore::new(config.hash_concurrency.max(1)),
            waiting: AtomicUsize::new(0),
            failures: Mutex::default(),
            config,
        }
    }

    /// Waits for a slot to hash in, or refuses at once (503, retry shortly) when the queue
    /// is full.
    pub async fn slot(&self) -> Result<HashSlot<'_>, ServiceError> {
        if let Ok(permit) = self.slots.try_acquire() {
            return Ok(HashSlot(permit));
        }
        let ticket = Waiting::enter(&self.waiting);
        if ticket.ahead >= self.config.hash_queue {
            return Err(ServiceError::Busy(
                "Too many people are signing in at this moment. Please try again in a few seconds."
                    .into(),
            ));
        }
        // The ticket leaves the queue when this ends, or when the request is dropped.
        let permit = self.slots.acquire().await;
        drop(ticket);
        permit
            .map(HashSlot)
            .map_err(ServiceError::wrap("waiting for a password hashing slot"))
    }

    /// Refuses (429) while `account` (a normalised e-mail address, known or not) is locked.
    pub fn check(&self, account: &str) -> Result<(), ServiceError> {
        let now = Instant::now();
        let failures = self.failures.lock().map_err(poisoned)?;
        match failures.get(account).and_then(|f| f.locked_until) {
            Some(until) if until > now => Err(locked(until - now)),
            _ => Ok(()),
        }
    }

    /// Records a wrong password for `account`; locks it when that makes too many.
    pub fn failed(&self, account: &str) -> Result<(), ServiceError> {
        let now = Instant::now();
        let mut failures = self.failures.lock().map_err(poisoned)?;
        if failures.len() >= MAX_REMEMBERED {
            failures.retain(|_, f| now.duration_since(f.last) < FORGET_AFTER);
            if failures.len() >= MAX_REMEMBERED {
                failures.clear();
            }
        }
        let entry = failures.entry(account.to_owned()).or_insert(Failures {
            count: 0,
            last: now,
            locked_until: None,
        });
        if now.duration_since(entry.last) >= FORGET_AFTER {
            entry.count = 0;
        }
        entry.count += 1;
        entry.last = now;
        if entry.count >= self.config.lock_after {
            let doublings = (entry.count - self.config.lock_after).min(16);
            let lock = self
                .config
                .first_lock
                .saturating_mul(1 << doublings)
                .min(self.config.longest_lock);
            entry.locked_until = Some(now + lock);
            return Err(locked(lock));
        }
        Ok(())
    }

    /// Forgets the wrong passwords of `account` after a right one.
    pub fn succeeded(&self, account: &str) -> Result<(), ServiceError> {
        self.failures.lock().map_err(poisoned)?.remove(account);
        Ok(())
    }
}

/// A place in the queue for a hashing slot, left when dropped.
struct Waiting<'a> {
    counter: &'a AtomicUsize,
    /// How many were waiting before this one.
    ahead: usize,
}

impl<'a> Waiting<'a> {
    fn enter(counter: &'a AtomicUsize) -> Self {
        let ahead = counter.fetch_add(1, Ordering::AcqRel);
        Self { counter, ahead }
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.counter.fetch_sub(1, Ordering::AcqRel);
    }
}

fn poisoned<T>(_: std::sync::PoisonError<T>) -> ServiceError {
    ServiceError::internal("the password guard's lock is poisoned")
}

/// The refusal of a locked account, in plain words, with when to try again.
fn locked(wait: Duration) -> ServiceError {
    // Rounded up: the client is never told to come back before the lock ends.
    let secs = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
    let when = if secs < 90 {
        format!("{secs} seconds")
    } else {
        format!("{} minutes", secs.div_ceil(60))
    };
    ServiceError::TooManyRequests {
        message: format!(
            "Too many wrong passwords for this account. To protect it, signing in is paused: try again in {when}."
        ),
        retry_after_secs: u32::try_from(secs).unwrap_or(u32::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retry_after(e: ServiceError) -> u32 {
        match e {
            ServiceError::TooManyRequests {
                retry_after_secs, ..
            } => retry_after_secs,
            other => panic!("not a 429: {other:?}"),
        }
    }

    #[test]
    fn an_account_is_locked_after_repeated_failures_for_longer_each_time() {
        let guard = PasswordGuard::default();
        for _ in 1..5 {
            assert!(guard.failed("a@example.org").is_ok());
            assert!(guard.check("a@example.org").is_ok());
        }
        let first = retry_after(guard.failed("a@example.org").expect_err("locked"));
        assert_eq!(first, 30);
        assert!(guard.check("a@example.org").is_err());
        let second = retry_after(guard.failed("a@example.org").expect_err("locked"));
        assert_eq!(second, 60);
        // Another account is not affected; a right password forgets the failures.
        assert!(guard.check("b@example.org").is_ok());
        assert!(guard.succeeded("a@example.org").is_ok());
        assert!(guard.check("a@example.org").is_ok());
        // The lock never exceeds the longest.
        for _ in 0..40 {
            let _ = guard.failed("c@example.org");
        }
        assert_eq!(
            retry_after(guard.check("c@example.org").expect_err("locked")),
            900
        );
    }

    #[tokio::test]
    async fn hashing_waits_for_a_slot_and_a_full_queue_is_refused() {
        let guard = PasswordGuard::new(GuardConfig {
            hash_concurrency: 1,
            hash_queue: 1,
            ..GuardConfig::default()
        });
        let held = guard.slot().await.expect("the one slot");
        let waiting = guard.slot();
        tokio::pin!(waiting);
        // The waiter takes the one place in the queue...
        assert!(
            tokio::time::timeout(Duration::from_millis(20), &mut waiting)
                .await
                .is_err()
        );
        // ...so the next is refused at once.
        assert!(matches!(guard.slot().await, Err(ServiceError::Busy(_))));
        drop(held);
        assert!(waiting.await.is_ok());
    }
}
