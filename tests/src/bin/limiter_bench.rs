//! The per-call cost of the Redis limiter beside the in-process one, in the same run, on
//! 127.0.0.1, and how many reservations per second one Redis serves to 1, 2, 4, 8 … processes.
//! `cargo run --release -p live-api-tests --bin limiter_bench` (starts its own redis-server);
//! docs/performance.md reports its numbers.

use std::time::{Duration, Instant};

use live_api::limiter::{Limiter, LocalLimiter, RedisLimiter, SlotRequest};
use live_api_tests::redis::RedisServer;

/// A rate so high that no reservation waits: what is measured is the reservation itself.
const UNBOUNDED: f64 = 1e9;

async fn per_call(limiter: &dyn Limiter, n: u32) -> Duration {
    let start = Instant::now();
    for _ in 0..n {
        limiter.reserve(SlotRequest::new(1, "bench", UNBOUNDED)).await.unwrap();
    }
    start.elapsed() / n
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("worker") {
        // One process of the throughput run: reservations in a loop for the given seconds.
        let limiter = RedisLimiter::new(&args[1]).unwrap();
        let until = Instant::now() + Duration::from_secs_f64(args[2].parse().unwrap());
        let mut n = 0u64;
        while Instant::now() < until {
            limiter.reserve(SlotRequest::new(1, "bench", UNBOUNDED)).await.unwrap();
            n += 1;
        }
        println!("{n}");
        return;
    }
    let server = RedisServer::start();
    let redis = RedisLimiter::new(&server.url()).unwrap();
    let local = LocalLimiter::new();
    per_call(&redis, 1000).await; // connect, load the script
    for round in 1..=3 {
        let l = per_call(&local, 200_000).await;
        let r = per_call(&redis, 20_000).await;
        println!("round {round}: in-process {l:?} per reservation, Redis {r:?} per reservation");
    }
    let seconds = 3.0;
    for processes in [1, 2, 4, 8, 16] {
        let children: Vec<_> = (0..processes)
            .map(|_| {
                std::process::Command::new(std::env::current_exe().unwrap())
                    .args(["worker", &server.url(), &seconds.to_string()])
                    .stdout(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let total: u64 = children
            .into_iter()
            .map(|c| String::from_utf8(c.wait_with_output().unwrap().stdout).unwrap().trim().parse::<u64>().unwrap())
            .sum();
        println!("{processes:>2} processes: {:.0} reservations/s through one Redis", total as f64 / seconds);
    }
}
