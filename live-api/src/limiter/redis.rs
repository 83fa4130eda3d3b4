//! [`RedisLimiter`]: the slots of every quota group in Redis, shared by every process that uses
//! the same Redis.
//!
//! One Lua script takes a slot atomically (Redis runs scripts one at a time), on Redis's clock
//! (`TIME`), so the machines' clocks do not matter. The key is
//! `live-api:pace:{SDKAppID}:{quota group}` and holds the next free slot, in microseconds of
//! Redis's clock; it expires once that slot has passed (plus a second). The spacing is the
//! in-process limiter's: `1 / calls_per_second` between slots, idle time not banked.
//!
//! When Redis cannot answer in time (unreachable at start, gone mid-run, slow), the call is paced
//! by a local limiter at the documented rate, with one warning per outage
//! ([`OnRedisFailure::PaceLocally`], the default), or fails with
//! [`Error::Limiter`](crate::Error::Limiter) before anything is sent ([`OnRedisFailure::Fail`]).
//! Either way a call is sent at most once per attempt: a reservation that Redis made but whose
//! answer was lost only leaves a slot unused. The connection manager reconnects by itself, and a
//! failed call replaces it with a fresh one; every call tries Redis first, so pacing is shared
//! again as soon as Redis is back.

use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::{Limiter, LimiterError, LocalLimiter, Reservation, ReserveFuture, SlotRequest};

/// The default bound of one round trip to Redis.
pub const DEFAULT_REDIS_TIMEOUT: Duration = Duration::from_millis(250);

/// Takes the next free slot of `KEYS[1]` if it starts within `ARGV[2]` µs; `ARGV[1]` is the
/// spacing in µs. Answers `{1, wait_us}` (reserved) or `{0, wait_us}` (nothing reserved).
const SCRIPT: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local max_wait = tonumber(ARGV[2])
local next_free = tonumber(redis.call('GET', KEYS[1])) or now
local start = math.max(next_free, now)
local wait = start - now
if wait > max_wait then
  return {0, wait}
end
local after = start + interval
redis.call('SET', KEYS[1], string.format('%d', after), 'PX', math.floor((after - now) / 1000) + 1000)
return {1, wait}
";

/// What a [`RedisLimiter`] does when Redis gives no answer in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum OnRedisFailure {
    /// Pace the call in this process at the documented rate, and warn once per outage (the
    /// default): calls go on, each process stays at the documented rate, and the service's own
    /// throttling answers (retried, never done twice) absorb the excess of several processes.
    #[default]
    PaceLocally,
    /// Fail the call with [`Error::Limiter`](crate::Error::Limiter); nothing is sent.
    Fail,
}

/// Paces calls through Redis, so that every process sharing the Redis shares each SDKAppID's
/// quota. Build it with [`RedisLimiter::new`] and give it to
/// [`ClientBuilder::limiter`](crate::ClientBuilder::limiter), or set
/// `LIVE_API_RATE_LIMIT_REDIS=redis://host:port/db`. It connects on the first call (inside the
/// tokio runtime) and reconnects by itself.
pub struct RedisLimiter {
    client: redis::Client,
    /// The URL with any user and password replaced by `***`: what Debug and errors show.
    shown: String,
    /// The user-info part of the URL, scrubbed from every error text.
    secret: Option<String>,
    on_failure: OnRedisFailure,
    timeout: Duration,
    script: redis::Script,
    manager: Mutex<Option<ConnectionManager>>,
    local: LocalLimiter,
    degraded: AtomicBool,
}

impl fmt::Debug for RedisLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisLimiter")
            .field("url", &self.shown)
            .field("on_failure", &self.on_failure)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl RedisLimiter {
    /// A limiter on the Redis at `url` (`redis://[user:password@]host[:port][/db]`). Checks the
    /// URL; connects later.
    pub fn new(url: &str) -> Result<RedisLimiter, LimiterError> {
        let (shown, secret) = redact(url);
        if !url.starts_with("redis://") {
            return Err(LimiterError::new(format!("the Redis URL {shown:?} does not start with redis://")));
        }
        let client = redis::Client::open(url).map_err(|e| {
            LimiterError::new(scrub(format!("the Redis URL {shown:?} is not valid: {e}"), secret.as_deref()))
        })?;
        Ok(RedisLimiter {
            client,
            shown,
            secret,
            on_failure: OnRedisFailure::default(),
            timeout: DEFAULT_REDIS_TIMEOUT,
            script: redis::Script::new(SCRIPT),
            manager: Mutex::new(None),
            local: LocalLimiter::default(),
            degraded: AtomicBool::new(false),
        })
    }

    /// What to do when Redis gives no answer in time (default: pace locally).
    pub fn on_failure(mut self, on_failure: OnRedisFailure) -> Self {
        self.on_failure = on_failure;
        self
    }

    /// The longest a call waits for Redis before it counts as failed (default 250 ms; never more
    /// than what is left of the call's deadline).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The URL, with any password replaced by `***`.
    pub fn url(&self) -> &str {
        &self.shown
    }

    /// The connection manager, made on first use (it needs the tokio runtime).
    fn manager(&self) -> Result<ConnectionManager, String> {
        let mut slot = self.manager.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(m) = &*slot {
            return Ok(m.clone());
        }
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.timeout))
            .set_response_timeout(Some(self.timeout))
            .set_number_of_retries(1)
            .set_min_delay(Duration::from_millis(10))
            .set_max_delay(Duration::from_millis(200));
        let m = ConnectionManager::new_lazy_with_config(self.client.clone(), config).map_err(|e| e.to_string())?;
        *slot = Some(m.clone());
        Ok(m)
    }

    /// One script run, within `budget`.
    async fn ask(&self, request: &SlotRequest, budget: Duration) -> Result<Reservation, String> {
        let mut manager = self.manager()?;
        let key = format!("live-api:pace:{}:{}", request.sdk_app_id, request.quota_group);
        let interval_us = super::interval(request.calls_per_second).as_nanos().div_ceil(1000) as u64;
        let max_wait_us = request.max_wait.as_micros().min(u64::MAX as u128) as u64;
        let mut invocation = self.script.key(key);
        invocation.arg(interval_us).arg(max_wait_us);
        let invocation = invocation.invoke_async::<(u8, u64)>(&mut manager);
        match tokio::time::timeout(budget, invocation).await {
            Ok(Ok((1, wait))) => Ok(Reservation::Granted(Duration::from_micros(wait))),
            Ok(Ok((_, wait))) => Ok(Reservation::Refused(Duration::from_micros(wait))),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err(format!("no answer within {budget:?}")),
        }
    }

    async fn reserve_shared(&self, request: SlotRequest) -> Result<Reservation, LimiterError> {
        let asked = Instant::now();
        let budget = self.timeout.min(request.deadline.saturating_duration_since(asked));
        match self.ask(&request, budget).await {
            Ok(reservation) => {
                if self.degraded.swap(false, Ordering::Relaxed) {
                    tracing::warn!(redis = %self.shown, "live-api: Redis answers again; calls are paced through it");
                }
                Ok(reservation)
            }
            Err(reason) => {
                // A fresh connection manager for the next call: the manager's own reconnection
                // gives up after its retries, and a call must find Redis as soon as it is back.
                *self.manager.lock().unwrap_or_else(|e| e.into_inner()) = None;
                let reason = scrub(reason, self.secret.as_deref());
                let first = !self.degraded.swap(true, Ordering::Relaxed);
                match self.on_failure {
                    OnRedisFailure::PaceLocally => {
                        if first {
                            tracing::warn!(
                                redis = %self.shown,
                                error = %reason,
                                "live-api: Redis does not answer; pacing calls in this process at the documented \
                                 rate until it is back"
                            );
                        }
                        // The time spent on Redis counts against the call's deadline.
                        let max_wait = request.max_wait.saturating_sub(asked.elapsed());
                        Ok(self.local.reserve_now(&SlotRequest { max_wait, ..request }))
                    }
                    _ => {
                        if first {
                            tracing::warn!(redis = %self.shown, error = %reason, "live-api: Redis does not answer; calls fail");
                        }
                        Err(LimiterError::new(format!(
                            "the shared rate limiter at {} did not answer ({reason}); nothing was sent",
                            self.shown
                        )))
                    }
                }
            }
        }
    }
}

impl Limiter for RedisLimiter {
    fn reserve(&self, request: SlotRequest) -> ReserveFuture<'_> {
        Box::pin(self.reserve_shared(request))
    }
}

/// The URL as shown (user info replaced by `***`), and the user info itself.
fn redact(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else { return (url.to_owned(), None) };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => (format!("{scheme}://***@{}", &rest[at + 1..]), Some(rest[..at].to_owned())),
        None => (url.to_owned(), None),
    }
}

/// `text` without `secret` or its password part.
fn scrub(mut text: String, secret: Option<&str>) -> String {
    if let Some(secret) = secret {
        let password = secret.split_once(':').map_or(secret, |(_, p)| p);
        for s in [secret, password] {
            if !s.is_empty() {
                text = text.replace(s, "***");
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_never_shown() {
        let l = RedisLimiter::new("redis://ops:s3cr3t-pw@127.0.0.1:6390/2").unwrap();
        let debug = format!("{l:?}");
        assert!(!debug.contains("s3cr3t-pw") && debug.contains("redis://***@127.0.0.1:6390/2"), "{debug}");
        let e = RedisLimiter::new("http://:s3cr3t-pw@127.0.0.1:6390").unwrap_err().to_string();
        assert!(!e.contains("s3cr3t-pw") && e.contains("redis://"), "{e}");
        let e = RedisLimiter::new("redis://:s3cr3t-pw@127.0.0.1:notaport").unwrap_err().to_string();
        assert!(!e.contains("s3cr3t-pw"), "{e}");
        assert_eq!(redact("redis://127.0.0.1:1/0"), ("redis://127.0.0.1:1/0".to_owned(), None));
    }
}
