//! The per-call cost of the Redis limiter beside the in-process one, in the same run, on
//! 127.0.0.1; then how many processes one Redis keeps paced: P processes with K reservations in
//! flight each, P and K pushed up until reservations per second stop rising, with Redis's own CPU
//! (`INFO cpu` of its main thread, the one that runs the scripts), the client processes' CPU and
//! the machine's, so that the table shows what limited it.
//!
//! `cargo run --release -p live-api-tests --bin limiter_bench` (starts its own redis-server);
//! docs/performance.md reports its numbers.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use live_api::limiter::{Limiter, LocalLimiter, OnRedisFailure, RedisLimiter, SlotRequest};
use live_api_tests::machine::load_average;
use live_api_tests::redis::RedisServer;

/// A rate so high that no reservation waits: what is measured is the reservation itself.
const UNBOUNDED: f64 = 1e9;
/// How long each point of the throughput table is measured.
const SECONDS: f64 = 2.0;
/// The points of the throughput table: processes, reservations in flight per process.
const POINTS: [(usize, usize); 14] = [
    (1, 1),
    (2, 1),
    (4, 1),
    (8, 1),
    (16, 1),
    (32, 1),
    (1, 16),
    (2, 16),
    (4, 16),
    (8, 16),
    (16, 16),
    (1, 64),
    (4, 64),
    (16, 64),
];

fn request() -> SlotRequest {
    SlotRequest::new(1, "bench", UNBOUNDED)
}

async fn per_call(limiter: &dyn Limiter, n: u32) -> Duration {
    let start = Instant::now();
    for _ in 0..n {
        limiter.reserve(request()).await.unwrap();
    }
    start.elapsed() / n
}

/// A limiter that fails rather than pacing locally (a local fallback would count as a
/// reservation) and waits for Redis as long as it takes.
fn redis_limiter(url: &str) -> RedisLimiter {
    RedisLimiter::new(url).unwrap().on_failure(OnRedisFailure::Fail).timeout(Duration::from_secs(30))
}

fn unix_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64
}

async fn sleep_until_unix_ms(at: u64) {
    tokio::time::sleep(Duration::from_millis(at.saturating_sub(unix_ms()))).await;
}

/// This process's CPU time, in clock ticks (utime + stime of /proc/self/stat).
fn own_cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses: utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<u64> = rest.split_whitespace().map(|f| f.parse().unwrap_or(0)).collect();
    fields.get(11).copied().unwrap_or(0) + fields.get(12).copied().unwrap_or(0)
}

/// The machine's (busy, all) CPU time so far, in clock ticks (/proc/stat).
fn machine_ticks() -> (u64, u64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let fields: Vec<u64> =
        stat.lines().next().unwrap_or("").split_whitespace().skip(1).map(|f| f.parse().unwrap_or(0)).collect();
    let all: u64 = fields.iter().take(8).sum();
    let idle = fields.get(3).copied().unwrap_or(0) + fields.get(4).copied().unwrap_or(0);
    (all - idle, all)
}

/// Seconds of CPU Redis's main thread has used (user + system).
fn redis_cpu(server: &RedisServer) -> f64 {
    let info = server.info("cpu");
    let field =
        |name: &str| info.lines().find_map(|l| l.strip_prefix(name)?.strip_prefix(':')?.trim().parse::<f64>().ok());
    match (field("used_cpu_user_main_thread"), field("used_cpu_sys_main_thread")) {
        (Some(u), Some(s)) => u + s,
        _ => field("used_cpu_user").unwrap_or(0.0) + field("used_cpu_sys").unwrap_or(0.0),
    }
}

fn clock_ticks_per_second() -> f64 {
    let out = Command::new("getconf").arg("CLK_TCK").output().ok();
    out.and_then(|o| String::from_utf8(o.stdout).ok()?.trim().parse().ok()).unwrap_or(100.0)
}

/// One process of the throughput table: `inflight` reservation loops on one connection, from
/// `start` (ms since the epoch) for `SECONDS`; prints the reservations, the failures and its CPU
/// ticks in that time.
async fn worker(url: &str, start: u64, inflight: usize) {
    let limiter = Arc::new(redis_limiter(url));
    limiter.reserve(request()).await.unwrap(); // connect, load the script
    sleep_until_unix_ms(start).await;
    let cpu = own_cpu_ticks();
    let until = Instant::now() + Duration::from_secs_f64(SECONDS);
    let loops: Vec<_> = (0..inflight)
        .map(|_| {
            let limiter = limiter.clone();
            tokio::spawn(async move {
                let (mut ok, mut failed) = (0u64, 0u64);
                while Instant::now() < until {
                    match limiter.reserve(request()).await {
                        Ok(_) => ok += 1,
                        Err(_) => failed += 1,
                    }
                }
                (ok, failed)
            })
        })
        .collect();
    let (mut ok, mut failed) = (0, 0);
    for l in loops {
        let (o, f) = l.await.unwrap();
        (ok, failed) = (ok + o, failed + f);
    }
    println!("{ok} {failed} {}", own_cpu_ticks() - cpu);
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("worker") {
        worker(&args[1], args[2].parse().unwrap(), args[3].parse().unwrap()).await;
        return;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("{cores} cores; load average {} at the start", load_average());
    let server = RedisServer::start();
    let redis = redis_limiter(&server.url());
    let local = LocalLimiter::new();
    per_call(&redis, 1000).await; // connect, load the script
    for round in 1..=3 {
        let l = per_call(&local, 200_000).await;
        let r = per_call(&redis, 20_000).await;
        println!("round {round}: in-process {l:?} per reservation, Redis {r:?} per reservation");
    }

    let tck = clock_ticks_per_second();
    println!(
        "processes | in flight each | reservations/s | Redis main thread CPU | client processes CPU | machine busy (of {cores} cores)"
    );
    for (processes, inflight) in POINTS {
        // Time for the processes to start and connect before the measured window opens.
        let start = unix_ms() + 500 + 40 * processes as u64;
        let children: Vec<_> = (0..processes)
            .map(|_| {
                Command::new(std::env::current_exe().unwrap())
                    .args(["worker", &server.url(), &start.to_string(), &inflight.to_string()])
                    .stdout(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        sleep_until_unix_ms(start).await;
        let (redis0, machine0) = (redis_cpu(&server), machine_ticks());
        tokio::time::sleep(Duration::from_secs_f64(SECONDS)).await;
        let (redis1, machine1) = (redis_cpu(&server), machine_ticks());
        let (mut ok, mut failed, mut ticks) = (0u64, 0u64, 0u64);
        for child in children {
            let out = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
            let n: Vec<u64> = out.split_whitespace().map(|n| n.parse().unwrap()).collect();
            (ok, failed, ticks) = (ok + n[0], failed + n[1], ticks + n[2]);
        }
        let busy = (machine1.0 - machine0.0) as f64 / (machine1.1 - machine0.1).max(1) as f64 * cores as f64;
        println!(
            "{processes:>9} | {inflight:>14} | {:>14.0} | {:>20.0} % | {:>19.0} % | {:.2} cores{}",
            ok as f64 / SECONDS,
            (redis1 - redis0) / SECONDS * 100.0,
            ticks as f64 / tck / SECONDS * 100.0,
            busy,
            if failed > 0 { format!(" ({failed} failed)") } else { String::new() },
        );
    }
    println!("load average {} at the end", load_average());
}
