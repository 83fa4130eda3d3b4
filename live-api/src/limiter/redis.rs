//! [`RedisLimiter`]: the slots of every quota group in Redis, shared by every process that uses
//! the same Redis.
//!
//! One Lua script takes a slot atomically (Redis runs scripts one at a time), on Redis's clock
//! (`TIME`), so the machines' clocks do not matter. The key is
//! `live-api:pace:{SDKAppID}:{quota group}` and holds the next free slot, in microseconds of
//! Redis's clock; it expires once that slot has passed (plus a second). The spacing is the
//! in-process limiter's: `1 / calls_per_second` between slots, idle time not banked. The same
//! script counts the group's processes: each limiter adds its id, with the time, to the sorted
//! set `live-api:processes:{SDKAppID}:{quota group}`, ids older than [`PROCESS_WINDOW`] are
//! dropped, and the answer carries how many are left.
//!
//! When Redis cannot answer in time (unreachable at start, gone mid-run, slow), the call is paced
//! by a local limiter at this process's share of the documented rate, with one warning per outage
//! ([`OnRedisFailure::PaceLocally`], the default), or fails with
//! [`Error::Limiter`](crate::Error::Limiter) before anything is sent ([`OnRedisFailure::Fail`]).
//! The share is the rate divided by the processes Redis last counted in the group (at least
//! [`RedisLimiter::assumed_processes`]), and the local schedule goes on from the process's last
//! slot in Redis: together the processes stay at the documented rate while Redis is gone.
//! Either way a call is sent at most once per attempt: a reservation that Redis made but whose
//! answer was lost only leaves a slot unused. While Redis does not answer, one call every
//! [`PROBE_INTERVAL`] tries it (a fresh connection), the others pace locally without waiting for
//! it, so pacing is shared again soon after Redis is back, and an unreachable Redis costs one
//! timeout per interval rather than one per call.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::{Limiter, LimiterError, LocalLimiter, Reservation, ReserveFuture, SlotRequest};

/// The default bound of one round trip to Redis.
pub const DEFAULT_REDIS_TIMEOUT: Duration = Duration::from_millis(250);

/// How long a limiter counts as one of its group's processes after its last reservation.
pub const PROCESS_WINDOW: Duration = Duration::from_secs(10);

/// While Redis does not answer, how often a call tries it again.
pub const PROBE_INTERVAL: Duration = Duration::from_millis(500);

/// Takes the next free slot of `KEYS[1]` if it starts within `ARGV[2]` µs; `ARGV[1]` is the
/// spacing in µs. Records `ARGV[3]` (the limiter's id) in the group's processes `KEYS[2]`,
/// forgetting those not seen for `ARGV[4]` µs. Answers `{1, wait_us, processes}` (reserved) or
/// `{0, wait_us, processes}` (nothing reserved).
const SCRIPT: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local max_wait = tonumber(ARGV[2])
local window = tonumber(ARGV[4])
redis.call('ZADD', KEYS[2], now, ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
redis.call('PEXPIRE', KEYS[2], math.floor(window / 1000))
local processes = redis.call('ZCARD', KEYS[2])
local next_free = tonumber(redis.call('GET', KEYS[1])) or now
local start = math.max(next_free, now)
local wait = start - now
if wait > max_wait then
  return {0, wait, processes}
end
local after = start + interval
redis.call('SET', KEYS[1], string.format('%d', after), 'PX', math.floor((after - now) / 1000) + 1000)
return {1, wait, processes}
";

/// What a [`RedisLimiter`] does when Redis gives no answer in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum OnRedisFailure {
    /// Pace the call in this process at its share of the documented rate (the rate divided by
    /// the processes Redis last counted in the group), and warn once per outage (the default):
    /// calls go on, and the processes together stay at the documented rate, so the service's
    /// throttling answers (retried, never done twice) only meet the edges of the outage.
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
    assumed_processes: u32,
    script: redis::Script,
    /// This limiter's member in the groups' process sets.
    id: String,
    manager: Mutex<Option<ConnectionManager>>,
    /// The processes Redis last counted in each group.
    processes: Mutex<HashMap<(u64, &'static str), u32>>,
    local: LocalLimiter,
    degraded: AtomicBool,
    /// While degraded: when a call tries Redis again.
    probe_at: Mutex<Option<Instant>>,
}

impl fmt::Debug for RedisLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisLimiter")
            .field("url", &self.shown)
            .field("on_failure", &self.on_failure)
            .field("timeout", &self.timeout)
            .field("assumed_processes", &self.assumed_processes)
            .finish()
    }
}

/// What the script answered.
struct Answer {
    reservation: Reservation,
    processes: u32,
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
            assumed_processes: 1,
            script: redis::Script::new(SCRIPT),
            id: format!("{:016x}-{}", fastrand::u64(..), std::process::id()),
            manager: Mutex::new(None),
            processes: Mutex::new(HashMap::new()),
            local: LocalLimiter::default(),
            degraded: AtomicBool::new(false),
            probe_at: Mutex::new(None),
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

    /// The fewest processes assumed to share a group's quota when pacing locally (default 1): a
    /// process that never reached Redis knows no count, and one that did divides by the larger
    /// of this and Redis's count. Set it to the number of processes you run when they may start
    /// while Redis is down.
    pub fn assumed_processes(mut self, processes: u32) -> Self {
        self.assumed_processes = processes.max(1);
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
    async fn ask(&self, request: &SlotRequest, budget: Duration) -> Result<Answer, String> {
        let mut manager = self.manager()?;
        let (app, group) = (request.sdk_app_id, request.quota_group);
        let interval_us = super::interval(request.calls_per_second).as_nanos().div_ceil(1000) as u64;
        let max_wait_us = request.max_wait.as_micros().min(u64::MAX as u128) as u64;
        let mut invocation = self.script.key(format!("live-api:pace:{app}:{group}"));
        invocation.key(format!("live-api:processes:{app}:{group}"));
        invocation.arg(interval_us).arg(max_wait_us).arg(&self.id).arg(PROCESS_WINDOW.as_micros() as u64);
        let invocation = invocation.invoke_async::<(u8, u64, u32)>(&mut manager);
        let (granted, wait, processes) = match tokio::time::timeout(budget, invocation).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(e)) => return Err(e.to_string()),
            Err(_) => return Err(format!("no answer within {budget:?}")),
        };
        let wait = Duration::from_micros(wait);
        let reservation = if granted == 1 { Reservation::Granted(wait) } else { Reservation::Refused(wait) };
        Ok(Answer { reservation, processes })
    }

    /// The number of processes this one shares `key`'s quota with, itself included.
    fn share(&self, key: (u64, &'static str)) -> u32 {
        let seen = self.processes.lock().unwrap_or_else(|e| e.into_inner()).get(&key).copied().unwrap_or(0);
        seen.max(self.assumed_processes).max(1)
    }

    /// Whether this call skips Redis, known not to answer, and paces locally at once. One call
    /// every [`PROBE_INTERVAL`] tries Redis again.
    fn skips_redis(&self, now: Instant) -> bool {
        if self.on_failure != OnRedisFailure::PaceLocally || !self.degraded.load(Ordering::Relaxed) {
            return false;
        }
        let mut probe_at = self.probe_at.lock().unwrap_or_else(|e| e.into_inner());
        match *probe_at {
            Some(at) if now < at => true,
            _ => {
                *probe_at = Some(now + PROBE_INTERVAL);
                false
            }
        }
    }

    /// A slot of the local schedule, at this process's share of the rate. The time already
    /// spent on Redis counts against the call's wait.
    fn pace_locally(&self, request: &SlotRequest, asked: Instant) -> Reservation {
        let share = self.share((request.sdk_app_id, request.quota_group));
        let max_wait = request.max_wait.saturating_sub(asked.elapsed());
        let calls_per_second = request.calls_per_second / f64::from(share);
        self.local.reserve_now(&SlotRequest { max_wait, calls_per_second, ..*request })
    }

    async fn reserve_shared(&self, request: SlotRequest) -> Result<Reservation, LimiterError> {
        let asked = Instant::now();
        if self.skips_redis(asked) {
            return Ok(self.pace_locally(&request, asked));
        }
        let budget = self.timeout.min(request.deadline.saturating_duration_since(asked));
        match self.ask(&request, budget).await {
            Ok(Answer { reservation, processes }) => {
                let key = (request.sdk_app_id, request.quota_group);
                self.processes.lock().unwrap_or_else(|e| e.into_inner()).insert(key, processes);
                if let Reservation::Granted(wait) = reservation {
                    // Were Redis to go, this process's local schedule would go on from here.
                    let share = f64::from(self.share(key));
                    let after = super::interval(request.calls_per_second / share);
                    self.local.hold_until(key, Instant::now() + wait + after);
                }
                if self.degraded.swap(false, Ordering::Relaxed) {
                    tracing::warn!(redis = %self.shown, "live-api: Redis answers again; calls are paced through it");
                }
                Ok(reservation)
            }
            Err(reason) => {
                // A fresh connection manager for the next try: the manager's own reconnection
                // gives up after its retries, and a call must find Redis as soon as it is back.
                *self.manager.lock().unwrap_or_else(|e| e.into_inner()) = None;
                *self.probe_at.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now() + PROBE_INTERVAL);
                let reason = scrub(reason, self.secret.as_deref());
                let first = !self.degraded.swap(true, Ordering::Relaxed);
                match self.on_failure {
                    OnRedisFailure::PaceLocally => {
                        if first {
                            tracing::warn!(
                                redis = %self.shown,
                                error = %reason,
                                "live-api: Redis does not answer; pacing calls in this process at its share of the \
                                 documented rate until it is back"
                            );
                        }
                        Ok(self.pace_locally(&request, asked))
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
