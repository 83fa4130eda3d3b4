//! Load: 1,000 concurrent calls through one client against a server on 127.0.0.1 that enforces
//! the mixing quota (20 calls per second per SDKAppID, as a token bucket). No call may be lost or
//! duplicated (the server counts every RoomId), none may be throttled, and the whole run cannot
//! be faster than the quota allows (the figures are printed; run with `--nocapture`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use live_api::{Client, LayoutMode, ResumeMcuTask, SetMixStream};
use live_api_tests::{Reply, TestServer};
use serde_json::json;

const CALLS: usize = 1000;
const RATE: f64 = 20.0;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_mixing_calls_respect_the_quota() {
    let seen: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let throttled = Arc::new(AtomicUsize::new(0));
    let bucket = Mutex::new((RATE, Instant::now()));
    let (s, t) = (seen.clone(), throttled.clone());
    let server = TestServer::start(move |r| {
        let mut b = bucket.lock().unwrap();
        let now = Instant::now();
        b.0 = (b.0 + now.duration_since(b.1).as_secs_f64() * RATE).min(RATE);
        b.1 = now;
        if b.0 < 1.0 {
            t.fetch_add(1, Ordering::SeqCst);
            return Reply::error(100422, "mixing operations are limited to 20/s", "Id-throttled");
        }
        b.0 -= 1.0;
        *s.lock().unwrap().entry(r.json()["RoomId"].as_str().unwrap().to_owned()).or_default() += 1;
        Reply::ok(json!({}))
    })
    .await;
    let client = Client::builder()
        .sdk_app_id(1400000000)
        .user_sig("sig")
        .base_url(server.url())
        .deadline(Duration::from_secs(180))
        .build()
        .unwrap();

    let start = Instant::now();
    let tasks: Vec<_> = (0..CALLS)
        .map(|i| {
            let c = client.clone();
            tokio::spawn(async move {
                // Both mixing endpoints count against the one "mixing" group.
                if i % 2 == 0 {
                    c.resume_mcu_task(ResumeMcuTask::new(format!("room-{i}")))
                        .await
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                } else {
                    let r = SetMixStream::new(format!("room-{i}"), LayoutMode::Grid);
                    c.set_mix_stream(r).await.map(|_| ()).map_err(|e| e.to_string())
                }
            })
        })
        .collect();
    let mut failures = Vec::new();
    for t in tasks {
        if let Err(e) = t.await.unwrap() {
            failures.push(e);
        }
    }
    let elapsed = start.elapsed();

    assert!(failures.is_empty(), "{} calls failed, e.g. {:?}", failures.len(), failures.first());
    assert_eq!(throttled.load(Ordering::SeqCst), 0, "no call was throttled");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), CALLS, "no call was lost");
    assert!(seen.values().all(|&n| n == 1), "no call was duplicated");
    assert_eq!(server.requests().len(), CALLS);
    // The quota allows the n-th call at (n-1)/20 s at the earliest.
    let floor = Duration::from_secs_f64((CALLS - 1) as f64 / RATE);
    assert!(elapsed >= floor.mul_f64(0.98), "{elapsed:?} is faster than the quota allows");
    eprintln!(
        "{CALLS} calls in {:.2} s = {:.2} calls/s (quota {RATE}/s, floor {:.2} s); connections used: {}",
        elapsed.as_secs_f64(),
        CALLS as f64 / elapsed.as_secs_f64(),
        floor.as_secs_f64(),
        server.connections()
    );
}
