//! Retries, pacing, deadlines, cancellation and hostile answers, against servers on 127.0.0.1.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use live_api::{
    AddGift, Client, CreateRoom, Error, GetRoomInfo, GetRoomInfoResponse, RateLimitMode, ResumeMcuTask, RetryPolicy,
    RoomInfo, RoomType, TransportKind,
};
use live_api_tests::{Reply, TestServer};
use serde_json::json;

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(5),
        throttled_backoff: Duration::from_millis(5),
        ..RetryPolicy::default()
    }
}

fn client(server: &TestServer) -> Client {
    Client::builder()
        .sdk_app_id(1)
        .user_sig("sig")
        .base_url(server.url())
        .timeout(Duration::from_millis(400))
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

/// A server that answers the n-th request (from 0) with `script(n)`.
async fn scripted(script: impl Fn(usize) -> Reply + Send + Sync + 'static) -> TestServer {
    let n = AtomicUsize::new(0);
    TestServer::start(move |_| script(n.fetch_add(1, Ordering::SeqCst))).await
}

#[tokio::test]
async fn transient_codes_are_retried_with_a_fresh_random() {
    let server = scripted(|n| if n < 2 { Reply::error(100001, "internal", "Id") } else { Reply::ok(json!({})) }).await;
    client(&server).get_room_info(GetRoomInfo::new("r")).await.unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    let randoms: std::collections::HashSet<_> = reqs.iter().map(|r| r.param("random").unwrap().to_owned()).collect();
    assert_eq!(randoms.len(), 3);
}

#[tokio::test]
async fn the_final_error_says_how_many_attempts_were_made() {
    let server = scripted(|_| Reply::error(100001, "internal", "Id-7")).await;
    let e = client(&server).get_room_info(GetRoomInfo::new("r")).await.unwrap_err();
    assert_eq!(e.attempts(), 3);
    assert!(e.to_string().ends_with("request id Id-7 (after 3 attempts)"), "{e}");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn permanent_codes_are_not_retried() {
    let server = scripted(|_| Reply::error(100004, "no room", "Id")).await;
    let e = client(&server).get_room_info(GetRoomInfo::new("r")).await.unwrap_err();
    assert_eq!((e.attempts(), server.requests().len()), (1, 1));
}

#[tokio::test]
async fn throttling_answers_are_retried_even_for_creating() {
    // The service refused the call: trying again cannot create the room twice.
    let server =
        scripted(|n| if n == 0 { Reply::error(60018, "too frequent", "Id") } else { Reply::ok(json!({})) }).await;
    client(&server).create_room(CreateRoom::new(RoomInfo::new("r", RoomType::Live))).await.unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_timeout_after_sending_is_retried_only_for_idempotent_endpoints() {
    let server = scripted(|n| if n == 0 { Reply::Hang } else { Reply::ok(json!({})) }).await;
    client(&server).get_room_info(GetRoomInfo::new("r")).await.unwrap();
    assert_eq!(server.requests().len(), 2, "get_room_info is idempotent: retried");

    let server = scripted(|n| if n == 0 { Reply::Hang } else { Reply::ok(json!({})) }).await;
    let e = client(&server).create_room(CreateRoom::new(RoomInfo::new("r", RoomType::Live))).await.unwrap_err();
    assert!(matches!(&e, Error::Transport(t) if t.kind == TransportKind::Timeout), "{e:?}");
    assert_eq!(server.requests().len(), 1, "create_room may have been done: not retried");
}

#[tokio::test]
async fn gateway_errors_are_retried_only_for_idempotent_endpoints() {
    let bad_gateway = || Reply::Http { status: 502, content_type: "text/html", body: b"<html>502</html>".to_vec() };
    let server = scripted(move |n| if n == 0 { bad_gateway() } else { Reply::ok(json!({})) }).await;
    client(&server).get_room_info(GetRoomInfo::new("r")).await.unwrap();
    assert_eq!(server.requests().len(), 2);
    let server = scripted(move |_| bad_gateway()).await;
    let e = client(&server).create_room(CreateRoom::new(RoomInfo::new("r", RoomType::Live))).await.unwrap_err();
    assert_eq!((e.attempts(), e.status()), (1, Some(502)));
}

#[tokio::test]
async fn refused_connections_are_retried_for_every_endpoint() {
    let addr = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let c = Client::builder()
        .sdk_app_id(1)
        .user_sig("sig")
        .base_url(format!("http://{addr}"))
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let e = c.create_room(CreateRoom::new(RoomInfo::new("r", RoomType::Live))).await.unwrap_err();
    assert!(matches!(&e, Error::Transport(t) if t.kind == TransportKind::Connect), "{e:?}");
    assert_eq!(e.attempts(), 3);
    assert!(e.to_string().contains("(after 3 attempts)"), "{e}");
}

#[tokio::test]
async fn the_overall_deadline_bounds_every_attempt() {
    let server = scripted(|_| Reply::Hang).await;
    let c = Client::builder()
        .sdk_app_id(1)
        .user_sig("sig")
        .base_url(server.url())
        .timeout(Duration::from_secs(60))
        .deadline(Duration::from_millis(300))
        .build()
        .unwrap();
    let e = c.get_room_info(GetRoomInfo::new("r")).await.unwrap_err();
    assert!(matches!(&e, Error::Transport(t) if t.kind == TransportKind::DeadlineExceeded), "{e:?}");
    assert_eq!(e.attempts(), 1);
}

/// A server enforcing a token bucket of `rate` calls per second (capacity `rate`) per path, like
/// the service's per-SDKAppID quotas; it counts what it throttles.
struct QuotaServer {
    server: TestServer,
    throttled: Arc<AtomicUsize>,
}

async fn quota_server(rate: f64) -> QuotaServer {
    let bucket = Arc::new(Mutex::new((rate, Instant::now())));
    let throttled = Arc::new(AtomicUsize::new(0));
    let t = throttled.clone();
    let server = TestServer::start(move |_| {
        let mut b = bucket.lock().unwrap();
        let now = Instant::now();
        b.0 = (b.0 + now.duration_since(b.1).as_secs_f64() * rate).min(rate);
        b.1 = now;
        if b.0 >= 1.0 {
            b.0 -= 1.0;
            Reply::ok(json!({}))
        } else {
            t.fetch_add(1, Ordering::SeqCst);
            Reply::error(100422, "mixing operations rate limited", "Id-throttled")
        }
    })
    .await;
    QuotaServer { server, throttled }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_concurrent_calls_through_clones_never_exceeds_the_quota() {
    let q = quota_server(20.0).await;
    let c = Client::builder().sdk_app_id(1).user_sig("sig").base_url(q.server.url()).build().unwrap();
    let tasks: Vec<_> = (0..45)
        .map(|i| {
            let c = c.clone();
            tokio::spawn(async move { c.resume_mcu_task(ResumeMcuTask::new(format!("r{i}"))).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(q.throttled.load(Ordering::SeqCst), 0, "the client paced the burst");
    assert_eq!(q.server.requests().len(), 45);
}

#[tokio::test]
async fn fail_fast_refuses_without_sending() {
    let server = scripted(|_| Reply::ok(json!({}))).await;
    let c = Client::builder()
        .sdk_app_id(1)
        .user_sig("sig")
        .base_url(server.url())
        .rate_limit(RateLimitMode::FailFast)
        .build()
        .unwrap();
    let gift = || AddGift::new("g1", 1, "rose");
    c.add_gift(gift()).await.unwrap();
    let e = c.add_gift(gift()).await.unwrap_err();
    let Error::RateLimited(r) = &e else { panic!("{e:?}") };
    assert_eq!(r.calls_per_second, "1");
    assert!(e.to_string().contains("has no capacity"), "{e}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_refused_request_neither_waits_for_nor_takes_a_quota_slot() {
    let server = scripted(|_| Reply::ok(json!({}))).await;
    let c = |mode| {
        let b = Client::builder().sdk_app_id(1).user_sig("sig").base_url(server.url()).rate_limit(mode);
        b.deadline(Duration::from_millis(500)).build().unwrap()
    };
    let too_long = || AddGift::new("g".repeat(21), 1, "rose");
    // Fail fast: a refused request first, then a valid one still finds the 1/s slot free.
    let fail_fast = c(RateLimitMode::FailFast);
    let e = fail_fast.add_gift(too_long()).await.unwrap_err();
    assert!(matches!(e, Error::Invalid(_)), "{e:?}");
    fail_fast.add_gift(AddGift::new("g1", 1, "rose")).await.unwrap();
    // Waiting for capacity: the slot was just taken and the next one is further away than the
    // deadline, so a request that waited for it would end in `DeadlineExceeded`; a refused one
    // says what is wrong with it instead.
    let waiting = c(RateLimitMode::Wait);
    waiting.add_gift(AddGift::new("g1", 1, "rose")).await.unwrap();
    let e = waiting.add_gift(too_long()).await.unwrap_err();
    assert!(matches!(e, Error::Invalid(_)), "{e:?}");
    assert_eq!(server.requests().len(), 2, "only the valid requests were sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_calls_at_any_point_leaves_the_client_usable() {
    let server = scripted(|n| if n % 3 == 0 { Reply::Hang } else { Reply::ok(json!({})) }).await;
    let c = client(&server);
    for i in 0..60u64 {
        // Cancel after 0–5 ms: during pacing, sending, waiting for the answer or a retry delay.
        let call = c.get_room_info(GetRoomInfo::new(format!("r{i}")));
        let _ = tokio::time::timeout(Duration::from_micros(i * 90), call).await;
    }
    let ok = scripted(|_| Reply::ok(json!({"Response": {"RoomInfo": {"RoomId": "x"}}}))).await;
    let fresh = Client::builder().sdk_app_id(1).user_sig("sig").base_url(ok.url()).build().unwrap();
    let r: GetRoomInfoResponse = fresh.get_room_info(GetRoomInfo::new("x")).await.unwrap();
    assert!(r.room_info.is_some());
    // The client whose calls were dropped still works.
    let server2_hits = server.requests().len();
    let e = c.get_room_info(GetRoomInfo::new("again")).await;
    assert!(e.is_ok() || matches!(e, Err(Error::Transport(_))), "{e:?}");
    assert!(server.requests().len() > server2_hits);
}

// Hostile answers: each is a typed error, never a panic.

async fn answer(reply: Reply) -> Result<GetRoomInfoResponse, Error<live_api::GetRoomInfoCode>> {
    let server = TestServer::start(move |_| reply.clone()).await;
    let c = Client::builder()
        .sdk_app_id(1)
        .user_sig("sig")
        .base_url(server.url())
        .timeout(Duration::from_millis(500))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    c.get_room_info(GetRoomInfo::new("r")).await
}

#[tokio::test]
async fn wrong_content_types() {
    // The envelope is what counts: a valid one under another content type is accepted.
    let body = br#"{"ErrorCode":0,"ErrorInfo":"","ActionStatus":"OK","RequestId":"Id"}"#.to_vec();
    answer(Reply::Http { status: 200, content_type: "application/octet-stream", body }).await.unwrap();
    let e = answer(Reply::Http { status: 200, content_type: "text/plain", body: b"OK".to_vec() }).await.unwrap_err();
    assert!(e.to_string().contains("HTTP 200 with text/plain"), "{e}");
}

#[tokio::test]
async fn a_body_that_stops_midway_or_a_reset_connection() {
    let cut =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"ErrorCode\":0,".to_vec();
    let e = answer(Reply::Raw(cut)).await.unwrap_err();
    assert!(matches!(&e, Error::Transport(t) if t.kind == TransportKind::Interrupted), "{e:?}");
    let e = answer(Reply::Close).await.unwrap_err();
    assert!(matches!(&e, Error::Transport(_)), "{e:?}");
}

#[tokio::test]
async fn answers_over_16_mib_are_capped() {
    let big = vec![b' '; 17 * 1024 * 1024];
    let e = answer(Reply::Http { status: 200, content_type: "application/json", body: big }).await.unwrap_err();
    assert!(matches!(&e, Error::Transport(t) if t.kind == TransportKind::TooLarge), "{e:?}");
    // Without a content-length too: the body is streamed and cut at the cap.
    let mut chunked = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..17 {
        chunked.extend_from_slice(format!("{:x}\r\n", 1024 * 1024).as_bytes());
        chunked.extend(std::iter::repeat_n(b' ', 1024 * 1024));
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let e = answer(Reply::Raw(chunked)).await.unwrap_err();
    assert!(matches!(&e, Error::Transport(t) if t.kind == TransportKind::TooLarge), "{e:?}");
}

#[tokio::test]
async fn deeply_nested_json_and_odd_envelopes() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes();
    let e = answer(Reply::Http { status: 200, content_type: "application/json", body: deep }).await.unwrap_err();
    assert!(e.to_string().contains("invalid JSON envelope"), "{e}");
    let nested = json!({"ErrorCode": 0, "Response": {"RoomInfo": {"Category": [[[[1]]]]}}});
    assert!(answer(Reply::json(nested)).await.is_err());
    for odd in
        [json!({"ErrorCode": "0"}), json!({"ErrorCode": 1.5}), json!({"ErrorCode": null}), json!("OK"), json!(null)]
    {
        let e = answer(Reply::json(odd.clone())).await.unwrap_err();
        assert!(matches!(e, Error::Answer(_)), "{odd}: {e:?}");
    }
}
