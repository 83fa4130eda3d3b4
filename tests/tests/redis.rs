//! The Redis limiter against a real `redis-server` of the test's own (127.0.0.1, ephemeral port;
//! see live_api_tests::redis): spacing shared between limiters, fail fast, dropped calls, Redis
//! gone and back, and several OS processes sharing one quota against one emulator with its rate
//! limits on.

use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use live_api::emulator::{DEV_ADMIN, DEV_SDK_APP_ID, DEV_SECRET_KEY, Emulator, EmulatorConfig, RunningEmulator};
use live_api::limiter::{Limiter, OnRedisFailure, RedisLimiter, Reservation, SlotRequest};
use live_api::{AddGift, Error, GetRoomList, RateLimitMode, RetryPolicy};
use live_api_tests::redis::RedisServer;

const THROTTLING: [i64; 3] = [60007, 100422, 100012];

fn request(app: u64, group: &'static str, rate: f64, max_wait: Duration) -> SlotRequest {
    let mut r = live_api::limiter::SlotRequest::new(app, group, rate);
    r.max_wait = max_wait;
    r.deadline = Instant::now() + Duration::from_secs(30);
    r
}

/// An emulator with its rate limits on, and the code of every call it answered.
async fn emulator() -> (RunningEmulator, Arc<Mutex<Vec<i64>>>) {
    let codes = Arc::new(Mutex::new(Vec::new()));
    let log = codes.clone();
    let config = EmulatorConfig::new().rate_limits(true).on_call(move |c| log.lock().unwrap().push(c.code));
    (Emulator::new(config).listen("127.0.0.1:0").await.unwrap(), codes)
}

fn counts(codes: &Mutex<Vec<i64>>) -> (usize, usize) {
    let codes = codes.lock().unwrap();
    (codes.iter().filter(|c| **c == 0).count(), codes.iter().filter(|c| THROTTLING.contains(c)).count())
}

/// The Redis key of get_room_list's slots for the emulator's SDKAppID.
fn room_list_key() -> String {
    format!("live-api:pace:{DEV_SDK_APP_ID}:{}", <GetRoomList as live_api::Endpoint>::META.quota_group)
}

async fn key_exists(url: &str, key: &str) -> bool {
    let client = redis::Client::open(url).unwrap();
    let mut c = client.get_multiplexed_async_connection().await.unwrap();
    redis::cmd("EXISTS").arg(key).query_async::<i64>(&mut c).await.unwrap() == 1
}

#[tokio::test]
async fn two_limiters_on_one_redis_share_the_slots_of_each_group() {
    let server = RedisServer::start();
    let (a, b) = (RedisLimiter::new(&server.url()).unwrap(), RedisLimiter::new(&server.url()).unwrap());
    // 0.1 call per second: slots 10.05 s apart (10 s and the guard), so no wait below depends
    // on how fast this runs.
    let slow = |max_wait| request(7, "gifts", 0.1, max_wait);
    let spacing = Duration::from_millis(10_050);
    assert_eq!(a.reserve(slow(Duration::ZERO)).await, Ok(Reservation::Granted(Duration::ZERO)));
    let Ok(Reservation::Refused(wait)) = b.reserve(slow(Duration::ZERO)).await else { panic!("b got a slot a holds") };
    assert!(wait > Duration::from_secs(9) && wait <= spacing, "{wait:?}");
    // Refusing reserved nothing: the next slot is still the second one, 10 s after the first.
    let Ok(Reservation::Granted(wait)) = b.reserve(slow(Duration::from_secs(60))).await else { panic!() };
    assert!(wait > Duration::from_secs(9) && wait <= spacing, "{wait:?}");
    let Ok(Reservation::Granted(third)) = a.reserve(slow(Duration::from_secs(60))).await else { panic!() };
    assert!(third > Duration::from_secs(19) && third <= 2 * spacing, "{third:?}");
    // Other groups and other SDKAppIDs have slots of their own.
    assert_eq!(a.reserve(request(7, "mixing", 0.1, Duration::ZERO)).await, Ok(Reservation::Granted(Duration::ZERO)));
    assert_eq!(a.reserve(request(8, "gifts", 0.1, Duration::ZERO)).await, Ok(Reservation::Granted(Duration::ZERO)));
    assert!(key_exists(&server.url(), "live-api:pace:7:gifts").await);
}

#[tokio::test]
async fn fail_fast_and_dropped_calls_through_redis() {
    let server = RedisServer::start();
    let (emu, codes) = emulator().await;
    let client = |mode| {
        let limiter = RedisLimiter::new(&server.url()).unwrap();
        emu.client_builder().limiter(limiter).rate_limit(mode).build().unwrap()
    };
    let (fast, waiting) = (client(RateLimitMode::FailFast), client(RateLimitMode::Wait));
    let gift = || AddGift::new("g1", 1, "rose");
    fast.add_gift(gift()).await.unwrap();
    // Another client (another limiter, as another process would have) sees the slot taken.
    let e = fast.add_gift(gift()).await.unwrap_err();
    let Error::RateLimited(r) = &e else { panic!("{e:?}") };
    assert_eq!(r.calls_per_second, "1");
    // A call dropped while it waits for its slot leaks nothing: the client goes on.
    assert!(tokio::time::timeout(Duration::from_millis(100), waiting.add_gift(gift())).await.is_err());
    waiting.add_gift(gift()).await.unwrap();
    assert_eq!(counts(&codes), (2, 0), "two calls sent (the dropped one was not), none throttled");
}

#[tokio::test]
async fn redis_gone_fails_typed_or_paces_locally_and_is_used_again_once_back() {
    let mut server = RedisServer::start();
    let port = server.port();
    let url = format!("redis://:pa55w0rd@127.0.0.1:{port}/0");
    let plain = server.url();
    server.stop();
    let (emu, codes) = emulator().await;
    let failing = emu
        .client_builder()
        .limiter(RedisLimiter::new(&url).unwrap().on_failure(OnRedisFailure::Fail))
        .build()
        .unwrap();
    let e = failing.get_room_list(GetRoomList::new("", 10)).await.unwrap_err();
    let Error::Limiter(_) = &e else { panic!("{e:?}") };
    assert!(e.to_string().contains("nothing was sent") && !e.to_string().contains("pa55w0rd"), "{e}");
    assert!(!format!("{e:?}{failing:?}").contains("pa55w0rd"));
    assert_eq!(counts(&codes), (0, 0), "nothing was sent");

    let local = emu.client_builder().limiter(RedisLimiter::new(&plain).unwrap()).build().unwrap();
    local.get_room_list(GetRoomList::new("", 10)).await.unwrap();
    assert_eq!(counts(&codes), (1, 0), "paced locally, sent once");

    // Redis back on the same port: both limiters use it again (they reconnect by themselves).
    let server = RedisServer::start_on(port).unwrap();
    assert!(!key_exists(&server.url(), &room_list_key()).await);
    let mut reconnected = false;
    for _ in 0..50 {
        local.get_room_list(GetRoomList::new("", 10)).await.unwrap();
        if key_exists(&server.url(), &room_list_key()).await {
            reconnected = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(reconnected, "the limiter never used Redis again");
}

#[tokio::test]
async fn a_hung_redis_counts_against_the_deadline_and_a_call_dropped_on_it_leaks_nothing() {
    let server = RedisServer::start();
    let (emu, codes) = emulator().await;
    let list = || GetRoomList::new("", 10);
    // Waiting for Redis up to an hour: only the call's deadline can end the wait.
    let patient = || RedisLimiter::new(&server.url()).unwrap().timeout(Duration::from_secs(3600));
    let failing = emu
        .client_builder()
        .limiter(patient().on_failure(OnRedisFailure::Fail))
        .deadline(Duration::from_millis(300))
        .build()
        .unwrap();
    let dropping = emu.client_builder().limiter(patient().on_failure(OnRedisFailure::Fail)).build().unwrap();
    let pacing = emu
        .client_builder()
        .limiter(RedisLimiter::new(&server.url()).unwrap().timeout(Duration::from_millis(100)))
        .build()
        .unwrap();
    for c in [&failing, &dropping, &pacing] {
        c.get_room_list(list()).await.unwrap();
    }
    assert_eq!(counts(&codes), (3, 0));

    server.freeze();
    // A guard against hanging the test, far beyond the deadline; not a measurement.
    let guard = Duration::from_secs(60);
    let e = tokio::time::timeout(guard, failing.get_room_list(list()))
        .await
        .expect("the call waited for Redis past its deadline")
        .unwrap_err();
    let Error::Limiter(_) = &e else { panic!("{e:?}") };
    assert!(e.to_string().contains("nothing was sent"), "{e}");
    // Pacing locally after its 100 ms on Redis: sent once.
    tokio::time::timeout(guard, pacing.get_room_list(list())).await.unwrap().unwrap();
    // Dropped while its request to Redis is unanswered.
    assert!(tokio::time::timeout(Duration::from_millis(100), dropping.get_room_list(list())).await.is_err());
    assert_eq!(counts(&codes), (4, 0), "the failed and the dropped calls sent nothing");

    server.thaw();
    // The connection the dropped call used answers the next call (Redis answers the dropped
    // request first; its slot just stays unused).
    dropping.get_room_list(list()).await.unwrap();
    assert_eq!(counts(&codes), (5, 0));
}

// ---------------------------------------------------------------------------------------------
// several OS processes, one quota

struct Run {
    ok: usize,
    errors: Vec<String>,
}

/// Starts `processes` paced_caller processes of `calls` calls each, in `mode`, against `emu`,
/// with `redis` (a URL) or without; `during` runs while they do. Returns every process's outcome
/// and the elapsed time.
fn run_processes(
    emu: &RunningEmulator,
    redis: Option<&str>,
    processes: usize,
    calls: usize,
    mode: &str,
    attempts: u32,
    during: impl FnOnce(),
) -> (Vec<Run>, Duration) {
    let start = Instant::now();
    let children: Vec<_> = (0..processes)
        .map(|_| {
            let mut c = Command::new(env!("CARGO_BIN_EXE_paced_caller"));
            c.args([calls.to_string(), mode.to_owned(), attempts.to_string()])
                .env_clear()
                .env("LIVE_API_BASE_URL", emu.url())
                .env("LIVE_API_SDKAPPID", DEV_SDK_APP_ID.to_string())
                .env("LIVE_API_SECRET_KEY", DEV_SECRET_KEY)
                .env("LIVE_API_ADMIN", DEV_ADMIN)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            if let Some(url) = redis {
                c.env("LIVE_API_RATE_LIMIT_REDIS", url);
            }
            c.spawn().unwrap()
        })
        .collect();
    during();
    let runs = children
        .into_iter()
        .map(|child| {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let errors = v["errors"].as_array().unwrap().iter().map(|e| e.as_str().unwrap().to_owned()).collect();
            Run { ok: v["ok"].as_u64().unwrap() as usize, errors }
        })
        .collect();
    (runs, start.elapsed())
}

const PROCESSES: usize = 4;
/// get_room_list's documented rate, per SDKAppID.
const RATE: f64 = 10.0;

#[test]
fn four_processes_share_one_quota_through_redis_and_without_it_are_throttled() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = RedisServer::start();
    let calls = 10;
    let total = PROCESSES * calls;

    let (emu, codes) = rt.block_on(emulator());
    let (runs, elapsed) = run_processes(&emu, Some(&server.url()), PROCESSES, calls, "together", 3, || {});
    let (ok, throttled) = counts(&codes);
    eprintln!("through Redis: {total} calls in {elapsed:?}; the emulator answered {ok} ok, {throttled} throttled");
    for r in &runs {
        assert_eq!((r.ok, &r.errors), (calls, &Vec::new()));
    }
    assert_eq!(throttled, 0, "the emulator throttled calls paced through Redis");
    assert_eq!(ok, total, "every call sent and answered exactly once");
    let floor = Duration::from_secs_f64((total - 1) as f64 / RATE - 0.05);
    assert!(elapsed >= floor, "{total} calls at {RATE}/s took {elapsed:?}, less than {floor:?}");
    drop(emu);

    // The same run, each process pacing itself: together they exceed the SDKAppID's quota.
    let (emu, codes) = rt.block_on(emulator());
    let (runs, elapsed) = run_processes(&emu, None, PROCESSES, calls, "together", 3, || {});
    let (ok, throttled) = counts(&codes);
    let failed: usize = runs.iter().map(|r| r.errors.len()).sum();
    eprintln!("without Redis: {total} calls in {elapsed:?}; {ok} ok, {throttled} throttled, {failed} calls failed");
    assert!(throttled > 0, "per-process pacing did not exceed the quota: the test shows nothing");
}

#[test]
fn redis_stopped_mid_run_loses_no_call_and_sends_none_twice() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut server = RedisServer::start();
    let (port, url) = (server.port(), server.url());
    let calls = 12;
    let total = PROCESSES * calls;
    let (emu, codes) = rt.block_on(emulator());
    let mut back = None;
    // Calls in turn, so that calls take their slots all along the run: Redis is gone for the
    // middle of it, then back on the same port. The client's default retry policy: the processes
    // pace at their share of the rate while Redis is gone, so throttling answers, if any, are few
    // enough for it.
    let attempts = RetryPolicy::default().max_attempts;
    let (runs, elapsed) = run_processes(&emu, Some(&url), PROCESSES, calls, "in-turn", attempts, || {
        std::thread::sleep(Duration::from_millis(1200));
        server.stop();
        std::thread::sleep(Duration::from_millis(1500));
        back = Some(RedisServer::start_on(port).unwrap());
    });
    let (ok, throttled) = counts(&codes);
    eprintln!("Redis stopped for 1.5 s: {total} calls in {elapsed:?}; {ok} ok, {throttled} throttled");
    for r in &runs {
        assert_eq!((r.ok, &r.errors), (calls, &Vec::new()), "a call was lost");
    }
    assert_eq!(ok, total, "every call answered ok exactly once");
    // Each process paced at its share of the rate (the rate over the 4 processes Redis counted),
    // going on from its last slot in Redis: together they stayed within the quota.
    assert_eq!(throttled, 0, "the processes together exceeded the quota while Redis was gone");
    let back = back.unwrap();
    let used_again = rt.block_on(key_exists(&back.url(), &room_list_key()));
    // The key lives for a second past the last slot: the processes have just finished.
    assert!(used_again, "the processes did not use Redis again once it was back");
}
