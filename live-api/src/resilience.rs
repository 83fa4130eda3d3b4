//! Retries and client-side rate limiting: the policy of a call, written once for every endpoint.
//!
//! - Which failures are retried comes from the specs: an error code's retry class (transient,
//!   throttled, permanent), and the endpoint's `idempotent` flag for failures after which the
//!   request may have reached the server (a timeout or a broken connection after sending, an
//!   HTTP 5xx). Connection failures (nothing was sent) and throttling answers are retried for every
//!   endpoint; creating things is never retried blindly. The rule is written once, as
//!   [`Error::retry_class`](crate::Error::retry_class): the retry loop asks the error, so what
//!   users are told is what the client does.
//! - Delays grow exponentially with full jitter (a random delay between zero and the exponential
//!   bound), bounded by a maximum number of attempts and the call's overall deadline.
//! - Calls are paced per quota group so that the documented rate (per SDKAppID) is never
//!   exceeded, by a [`Limiter`](crate::limiter::Limiter): in this process by default, or shared
//!   through Redis (see [`limiter`](crate::limiter)). [`RateLimitMode`] says what a call does
//!   when its group has no capacity.

use std::time::Duration;

use crate::codes::RetryClass;

/// When and how often failed calls are retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = no retry). Default 3.
    pub max_attempts: u32,
    /// Bound of the first delay after a transient failure; doubles with each retry. Default 100 ms.
    pub initial_backoff: Duration,
    /// Bound of the first delay after a throttling answer; doubles with each retry. Default 500 ms.
    pub throttled_backoff: Duration,
    /// Upper bound of any delay. Default 5 s.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            throttled_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// The delay before retry number `retry` (1 for the first retry): a random duration between
    /// zero and `min(max_backoff, base * 2^(retry-1))` (full jitter).
    pub(crate) fn delay(&self, class: RetryClass, retry: u32) -> Duration {
        let base = match class {
            RetryClass::Throttled => self.throttled_backoff,
            _ => self.initial_backoff,
        };
        let bound = base.saturating_mul(1u32 << retry.saturating_sub(1).min(16)).min(self.max_backoff);
        bound.mul_f64(fastrand::f64())
    }
}

/// What a call does when its quota group has no capacity right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RateLimitMode {
    /// Wait for capacity (within the call's deadline). The default.
    #[default]
    Wait,
    /// Fail at once with [`Error::RateLimited`](crate::Error::RateLimited).
    FailFast,
    /// Do not limit on the client side.
    Off,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_jittered_and_bounded() {
        let p = RetryPolicy::default();
        for retry in 1..20 {
            for class in [RetryClass::Transient, RetryClass::Throttled] {
                let d = p.delay(class, retry);
                assert!(d <= p.max_backoff);
            }
        }
        let first: Vec<Duration> = (0..200).map(|_| p.delay(RetryClass::Transient, 1)).collect();
        assert!(first.iter().all(|d| *d <= Duration::from_millis(100)));
        assert!(first.iter().any(|d| *d < Duration::from_millis(50)), "jitter spreads the delays");
    }
}
