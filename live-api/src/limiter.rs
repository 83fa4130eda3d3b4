//! Pacing calls per quota group, behind one small trait: [`Limiter`].
//!
//! Each call reserves the next free slot of its quota group, `1 / calls_per_second` after the
//! previous one (plus a small guard, see [`GUARD_FRACTION`]), and waits for it; idle time is not
//! banked into a burst. Two implementations:
//!
//! - [`LocalLimiter`] (the default): the slots of one [`Client`](crate::Client) and its clones,
//!   in this process. Right for one process per SDKAppID.
//! - `RedisLimiter` (cargo feature `redis`): the same slots kept in Redis, keyed by SDKAppID and
//!   quota group and taken in one atomic script on Redis's clock, so every process on every
//!   machine shares the SDKAppID's quota, as Tencent counts it.
//!
//! A reservation is made in one step (under a mutex, or in one script), so a call dropped while it
//! waits leaks nothing: its slot just stays unused.

#[cfg(feature = "redis")]
mod redis;

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[cfg(feature = "redis")]
pub use self::redis::{DEFAULT_REDIS_TIMEOUT, OnRedisFailure, PROBE_INTERVAL, PROCESS_WINDOW, RedisLimiter};

/// What a call asks its limiter for: the next slot of its quota group.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct SlotRequest {
    /// The SDKAppID the quota belongs to.
    pub sdk_app_id: u64,
    /// The endpoint's quota group (its name when it shares its quota with no other endpoint).
    pub quota_group: &'static str,
    /// The group's documented rate, per SDKAppID.
    pub calls_per_second: f64,
    /// The longest wait acceptable: reserve nothing when the slot is further away (zero when the
    /// client fails fast).
    pub max_wait: Duration,
    /// The call's deadline: the time a limiter spends itself (a round trip to a store) counts
    /// against it.
    pub deadline: Instant,
}

impl SlotRequest {
    /// A request for a slot of `quota_group` of `sdk_app_id` at `calls_per_second`, waiting up to
    /// the [default deadline](crate::DEFAULT_DEADLINE) (set the fields to change that).
    pub fn new(sdk_app_id: u64, quota_group: &'static str, calls_per_second: f64) -> Self {
        SlotRequest {
            sdk_app_id,
            quota_group,
            calls_per_second,
            max_wait: crate::DEFAULT_DEADLINE,
            deadline: Instant::now() + crate::DEFAULT_DEADLINE,
        }
    }
}

/// The answer to a [`SlotRequest`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    /// A slot is reserved; wait this long (from when the answer arrived) before sending.
    Granted(Duration),
    /// Nothing is reserved: the next slot is this far away, beyond `max_wait`.
    Refused(Duration),
}

/// The future of [`Limiter::reserve`].
pub type ReserveFuture<'a> = Pin<Box<dyn Future<Output = Result<Reservation, LimiterError>> + Send + 'a>>;

/// Paces the calls of quota groups. Implement it to keep the slots in a store of your own; give
/// it to [`ClientBuilder::limiter`](crate::ClientBuilder::limiter).
///
/// A reservation must be atomic (no two calls get one slot) and must not leak when its future is
/// dropped (dropping it may cost the slot, nothing else).
pub trait Limiter: fmt::Debug + Send + Sync {
    /// Reserves the next slot of `request`'s quota group, if it starts within `max_wait`.
    /// An `Err` fails the call with [`Error::Limiter`](crate::Error::Limiter); nothing is sent.
    fn reserve(&self, request: SlotRequest) -> ReserveFuture<'_>;
}

/// The shared limiter could not give an answer (and is set to fail rather than pace locally).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimiterError {
    message: String,
    /// The endpoint called, set by the client.
    pub(crate) service: &'static str,
    pub(crate) command: &'static str,
    /// Requests the call had sent before (earlier attempts), set by the client.
    pub(crate) attempts: u32,
}

impl LimiterError {
    /// An error with this explanation (it must hold no secret).
    pub fn new(message: impl Into<String>) -> Self {
        LimiterError { message: message.into(), service: "", command: "", attempts: 0 }
    }
}

impl fmt::Display for LimiterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if self.attempts > 0 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for LimiterError {}

/// The in-process limiter: the slots of every quota group of one client (shared by its clones).
/// The default.
#[derive(Debug, Default)]
pub struct LocalLimiter {
    next_free: Mutex<HashMap<(u64, &'static str), Instant>>,
}

impl LocalLimiter {
    /// A limiter with every group free.
    pub fn new() -> Self {
        LocalLimiter::default()
    }

    /// Reserves the next slot of `group` (limited to `calls_per_second`) if it starts within
    /// `max_wait` from `now`, and returns how long to wait for it; otherwise reserves nothing and
    /// returns `Err` with the wait that would be needed.
    pub(crate) fn reserve_at(
        &self,
        key: (u64, &'static str),
        calls_per_second: f64,
        now: Instant,
        max_wait: Duration,
    ) -> Result<Duration, Duration> {
        let interval = interval(calls_per_second);
        // The map holds plain instants; a panic cannot leave it half-updated.
        let mut slots = self.next_free.lock().unwrap_or_else(|e| e.into_inner());
        let next = slots.get(&key).copied().unwrap_or(now);
        let start = next.max(now);
        let wait = start - now;
        if wait > max_wait {
            return Err(wait);
        }
        slots.insert(key, start + interval);
        Ok(wait)
    }

    /// Keeps every later slot of `key` at or after `at` (a slot taken elsewhere, that this
    /// schedule must not overlap).
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn hold_until(&self, key: (u64, &'static str), at: Instant) {
        let mut slots = self.next_free.lock().unwrap_or_else(|e| e.into_inner());
        let next = slots.entry(key).or_insert(at);
        *next = (*next).max(at);
    }

    /// [`Limiter::reserve`], synchronously.
    pub(crate) fn reserve_now(&self, request: &SlotRequest) -> Reservation {
        let key = (request.sdk_app_id, request.quota_group);
        match self.reserve_at(key, request.calls_per_second, Instant::now(), request.max_wait) {
            Ok(wait) => Reservation::Granted(wait),
            Err(wait) => Reservation::Refused(wait),
        }
    }
}

impl Limiter for LocalLimiter {
    fn reserve(&self, request: SlotRequest) -> ReserveFuture<'_> {
        let reservation = self.reserve_now(&request);
        Box::pin(std::future::ready(Ok(reservation)))
    }
}

/// The margin added to the spacing of slots: a fraction of the interval, at most [`GUARD_MAX`].
pub const GUARD_FRACTION: f64 = 0.05;
/// The largest margin added to the spacing of slots.
pub const GUARD_MAX: Duration = Duration::from_millis(50);

/// The spacing of the slots of a group limited to `calls_per_second`: `1 / calls_per_second`,
/// plus a guard of 5 % of it, at most 50 ms. A call reaches the service a little after its slot,
/// by a delay that varies by a millisecond or more from call to call (timer wake-ups, the HTTP
/// exchange, another process's round trip to Redis); at exactly the documented spacing, a call
/// that is late by less than the one before it comes in under the spacing, and a quota of one
/// call per second then answers it with a throttling code (measured: one call in three, through
/// either limiter, against the emulator). The guard keeps consecutive arrivals apart by at least
/// the documented spacing unless their delays differ by more than it.
pub(crate) fn interval(calls_per_second: f64) -> Duration {
    let exact = Duration::from_secs_f64(1.0 / calls_per_second.max(1e-6));
    exact + exact.mul_f64(GUARD_FRACTION).min(GUARD_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paces_each_group_at_its_rate() {
        let l = LocalLimiter::default();
        let t0 = Instant::now();
        let mixing = (1, "mixing");
        let waits: Vec<Duration> =
            (0..5).map(|_| l.reserve_at(mixing, 20.0, t0, Duration::from_secs(60)).unwrap()).collect();
        let us: Vec<u128> = waits.iter().map(Duration::as_micros).collect();
        assert_eq!(us, [0, 52_500, 105_000, 157_500, 210_000], "50 ms apart, plus the guard");
        assert_eq!(l.reserve_at((1, "other"), 200.0, t0, Duration::ZERO), Ok(Duration::ZERO), "groups are independent");
        assert_eq!(l.reserve_at((2, "mixing"), 20.0, t0, Duration::ZERO), Ok(Duration::ZERO), "so are SDKAppIDs");
        // Fail fast: nothing reserved when the slot is too far.
        assert_eq!(l.reserve_at(mixing, 20.0, t0, Duration::from_millis(100)), Err(Duration::from_micros(262_500)));
        assert_eq!(l.reserve_at(mixing, 20.0, t0, Duration::from_micros(262_500)), Ok(Duration::from_micros(262_500)));
        // Idle time is not banked into a burst.
        let later = t0 + Duration::from_secs(10);
        assert_eq!(l.reserve_at(mixing, 20.0, later, Duration::ZERO), Ok(Duration::ZERO));
        assert_eq!(l.reserve_at(mixing, 20.0, later, Duration::ZERO), Err(interval(20.0)));
        // A slot held from elsewhere moves the schedule on, never back.
        l.hold_until(mixing, later + Duration::from_secs(1));
        l.hold_until(mixing, later);
        assert_eq!(l.reserve_at(mixing, 20.0, later, Duration::from_secs(2)), Ok(Duration::from_secs(1)));
    }

    #[test]
    fn the_guard_is_five_percent_of_the_spacing_at_most_fifty_milliseconds() {
        assert_eq!(interval(200.0), Duration::from_micros(5_250));
        assert_eq!(interval(1.0), Duration::from_millis(1_050));
        assert_eq!(interval(0.1), Duration::from_millis(10_050));
    }
}
