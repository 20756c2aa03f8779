//! Per-client budgets: how many sign-ins, registrations, requests with a bad API token,
//! verifications and wallet nonces one client address may make a minute (GCRA, through
//! `governor`). Over budget, the answer is 429 with `Retry-After` and a sentence saying when
//! to try again.
//! The client address is the connection's peer (`ConnectInfo`); requests without one (in
//! tests, through a proxy that is not configured) share one budget. Budgets are per process.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::StatusCode;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::WebError;

/// Requests a minute per client address, by kind (0: no limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub sign_in_per_minute: u32,
    pub register_per_minute: u32,
    pub bad_token_per_minute: u32,
    pub verify_per_minute: u32,
    /// OpenID4VCI's nonce endpoint, which stores each nonce it gives out.
    pub wallet_nonce_per_minute: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            sign_in_per_minute: 20,
            register_per_minute: 10,
            bad_token_per_minute: 20,
            verify_per_minute: 600,
            wallet_nonce_per_minute: 60,
        }
    }
}

/// What a budget is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    SignIn,
    Register,
    BadToken,
    Verify,
    WalletNonce,
}

impl Budget {
    fn doing(self) -> &'static str {
        match self {
            Budget::SignIn => "sign-in attempts",
            Budget::Register => "registrations",
            Budget::BadToken => "requests with an API token that is not valid",
            Budget::Verify => "verifications",
            Budget::WalletNonce => "requests for a wallet nonce",
        }
    }
}

/// Distinct addresses remembered per budget before the idle ones are forgotten.
const MAX_KEYS: usize = 50_000;

/// The budgets of one process.
#[derive(Debug)]
pub struct Throttles {
    sign_in: Option<DefaultKeyedRateLimiter<IpAddr>>,
    register: Option<DefaultKeyedRateLimiter<IpAddr>>,
    bad_token: Option<DefaultKeyedRateLimiter<IpAddr>>,
    verify: Option<DefaultKeyedRateLimiter<IpAddr>>,
    wallet_nonce: Option<DefaultKeyedRateLimiter<IpAddr>>,
}

fn limiter(per_minute: u32) -> Option<DefaultKeyedRateLimiter<IpAddr>> {
    NonZeroU32::new(per_minute).map(|n| RateLimiter::keyed(Quota::per_minute(n)))
}

impl Throttles {
    pub fn new(limits: &Limits) -> Self {
        Self {
            sign_in: limiter(limits.sign_in_per_minute),
            register: limiter(limits.register_per_minute),
            bad_token: limiter(limits.bad_token_per_minute),
            verify: limiter(limits.verify_per_minute),
            wallet_nonce: limiter(limits.wallet_nonce_per_minute),
        }
    }

    /// Spends one request of `budget` for `client`, or refuses with 429.
    pub fn spend(&self, budget: Budget, client: ClientAddr) -> Result<(), WebError> {
        let limiter = match budget {
            Budget::SignIn => &self.sign_in,
            Budget::Register => &self.register,
            Budget::BadToken => &self.bad_token,
            Budget::Verify => &self.verify,
            Budget::WalletNonce => &self.wallet_nonce,
        };
        let Some(limiter) = limiter else {
            return Ok(());
        };
        if limiter.len() > MAX_KEYS {
            limiter.retain_recent();
        }
        match limiter.check_key(&client.0) {
            Ok(()) => Ok(()),
            Err(not_until) => {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                let secs = u32::try_from(wait.as_secs().saturating_add(1)).unwrap_or(u32::MAX);
                let mut err = WebError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Too many attempts",
                    format!(
                        "Too many {} from your network. Please wait {secs} second{} and try again.",
                        budget.doing(),
                        if secs == 1 { "" } else { "s" }
                    ),
                );
                err.retry_after = Some(secs);
                Err(err)
            }
        }
    }
}

/// The client's address: the connection's peer, or a shared unknown address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    /// The address of the request whose parts these are.
    pub fn of(parts: &Parts) -> Self {
        Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip()),
        )
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::of(parts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_over_budget_is_told_when_to_come_back_and_others_are_not() {
        let throttles = Throttles::new(&Limits {
            sign_in_per_minute: 3,
            ..Limits::default()
        });
        let a = ClientAddr(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)));
        let b = ClientAddr(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2)));
        for _ in 0..3 {
            assert!(throttles.spend(Budget::SignIn, a).is_ok());
        }
        let refused = throttles.spend(Budget::SignIn, a).expect_err("over budget");
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(refused.retry_after.is_some_and(|s| (1..=21).contains(&s)));
        assert!(
            refused.detail.contains("sign-in attempts"),
            "{}",
            refused.detail
        );
        assert!(throttles.spend(Budget::SignIn, b).is_ok());
        assert!(throttles.spend(Budget::Verify, a).is_ok());
        // 0: no limit.
        let open = Throttles::new(&Limits {
            verify_per_minute: 0,
            ..Limits::default()
        });
        for _ in 0..10_000 {
            assert!(open.spend(Budget::Verify, a).is_ok());
        }
    }
}
