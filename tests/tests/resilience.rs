//! Retries, pacing, deadlines, cancellation and hostile answers, against servers on 127.0.0.1.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use live_api::{
    AddGift, Client, CreateRoom, Error, ErrorCode, GetRoomInfo, GetRoomInfoResponse, RateLimitMode, ResumeMcuTask,
    RetryClass, RetryPolicy, RoomInfo, RoomType, TransportKind,
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

/// A client of `server` that fails fast when its quota group has no capacity.
fn fail_fast_client(server: &TestServer) -> Client {
    Client::builder()
        .sdk_app_id(1)
        .user_sig("sig")
        .base_url(server.url())
        .rate_limit(RateLimitMode::FailFast)
        .build()
        .unwrap()
}

#[tokio::test]
async fn fail_fast_refuses_without_sending() {
    let server = scripted(|_| Reply::ok(json!({}))).await;
    let c = fail_fast_client(&server);
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

// The public retry class is the client's rule.

/// What a failed call says of itself (`Error::retry_class`), and what the client did with it.
#[derive(Debug)]
struct Seen {
    /// The kind of error, as the table below names it.
    kind: String,
    class: Option<RetryClass>,
    attempts: u32,
    /// The `retry_class` of every `retrying` event the client logged.
    retries: Vec<String>,
}

fn seen<T, C: ErrorCode>(result: Result<T, Error<C>>, logs: &Captured) -> Seen {
    let e = result.err().expect("the call fails");
    let kind = match &e {
        Error::Invalid(_) => "invalid".to_owned(),
        Error::Api(a) => format!("code {}", a.code.code()),
        Error::Answer(a) => format!("HTTP {}", a.status),
        Error::Transport(t) => format!("{:?}", t.kind),
        Error::RateLimited(_) => "rate limited".to_owned(),
        _ => format!("{e:?}"),
    };
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let retries = text
        .lines()
        .filter(|l| l.contains(" retrying "))
        .map(|l| l.split("retry_class=").nth(1).and_then(|r| r.split(' ').next()).unwrap_or("none").to_owned())
        .collect();
    Seen { kind, class: e.retry_class(), attempts: e.attempts(), retries }
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// How a case makes the call fail.
#[derive(Clone)]
enum Failing {
    /// The server answers every request with this.
    Answer(Reply),
    /// As `Answer`, with a client whose answers are capped at 64 bytes.
    Capped(Reply),
    /// Nothing listens.
    Refused,
    /// The server never answers, and the call's deadline is shorter than the request timeout.
    Deadline,
    /// The request breaks a documented limit.
    Invalid,
}

/// One call of an idempotent endpoint (`get_room_info`) or of one that is not (`create_room`),
/// failing as `failing`, with two attempts allowed.
async fn fail(failing: &Failing, idempotent: bool) -> Seen {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let reply = match failing {
        Failing::Answer(r) | Failing::Capped(r) => r.clone(),
        _ => Reply::Hang,
    };
    let server = TestServer::start(move |_| reply.clone()).await;
    let refused = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let retry = RetryPolicy { max_attempts: 2, ..fast_retries() };
    let mut b = Client::builder().sdk_app_id(1).user_sig("sig").retry_policy(retry).timeout(Duration::from_millis(200));
    b = match failing {
        Failing::Refused => b.base_url(format!("http://{refused}")),
        Failing::Deadline => {
            b.base_url(server.url()).timeout(Duration::from_secs(60)).deadline(Duration::from_millis(300))
        }
        Failing::Capped(_) => b.base_url(server.url()).max_answer_bytes(64),
        _ => b.base_url(server.url()),
    };
    let c = b.build().unwrap();
    let room = if matches!(failing, Failing::Invalid) { "x".repeat(49) } else { "r".to_owned() };
    if idempotent {
        seen(c.get_room_info(GetRoomInfo::new(room)).await, &logs)
    } else {
        seen(c.create_room(CreateRoom::new(RoomInfo::new(room, RoomType::Live))).await, &logs)
    }
}

/// For every kind of error, against an idempotent endpoint and one that is not, `retry_class`
/// is what the client did: `Some(class)` exactly when it retried, after logging that class.
#[tokio::test]
async fn the_public_retry_class_is_what_the_client_does() {
    use RetryClass::{Throttled, Transient};
    let http = |status, body: &str| Reply::Http { status, content_type: "text/plain", body: body.as_bytes().to_vec() };
    let cut = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"Error".to_vec();
    let long = json!({"ErrorCode": 0, "ErrorInfo": "x".repeat(100), "ActionStatus": "OK", "RequestId": "Id"});
    // (how it fails, the error, its class for an idempotent endpoint, for one that is not)
    let cases = [
        (Failing::Answer(Reply::error(100001, "internal", "Id")), "code 100001", Some(Transient), Some(Transient)),
        (Failing::Answer(Reply::error(60018, "too frequent", "Id")), "code 60018", Some(Throttled), Some(Throttled)),
        (Failing::Answer(Reply::error(100002, "bad parameter", "Id")), "code 100002", None, None),
        (Failing::Answer(http(429, "slow down")), "HTTP 429", Some(Throttled), Some(Throttled)),
        (Failing::Answer(http(502, "<html>502</html>")), "HTTP 502", Some(Transient), None),
        (Failing::Answer(http(404, "no route")), "HTTP 404", None, None),
        (Failing::Answer(http(200, "OK")), "HTTP 200", None, None),
        (Failing::Answer(Reply::Hang), "Timeout", Some(Transient), None),
        (Failing::Answer(Reply::Raw(cut)), "Interrupted", Some(Transient), None),
        (Failing::Capped(Reply::json(long)), "TooLarge", None, None),
        (Failing::Refused, "Connect", Some(Transient), Some(Transient)),
        (Failing::Deadline, "DeadlineExceeded", None, None),
        (Failing::Invalid, "invalid", None, None),
    ];
    for (failing, kind, for_idempotent, for_other) in cases {
        for (idempotent, expected) in [(true, for_idempotent), (false, for_other)] {
            let s = fail(&failing, idempotent).await;
            let what = format!("{kind}, idempotent: {idempotent}: {s:?}");
            assert_eq!(s.kind, kind, "{what}");
            assert_eq!(s.class, expected, "{what}");
            // The client agrees: it retried exactly when the error says a retry may help, with
            // the class it names.
            assert_eq!(s.attempts == 2, s.class.is_some(), "{what}");
            assert_eq!(s.retries, s.class.map(|c| c.to_string()).into_iter().collect::<Vec<_>>(), "{what}");
        }
    }

    // No capacity, failing fast: nothing was sent, and nothing is retried.
    let server = scripted(|_| Reply::ok(json!({}))).await;
    let c = fail_fast_client(&server);
    c.add_gift(AddGift::new("g1", 1, "rose")).await.unwrap();
    let s = seen(c.add_gift(AddGift::new("g1", 1, "rose")).await, &Captured::default());
    assert_eq!((s.kind.as_str(), s.class, s.attempts), ("rate limited", None, 0));
    assert_eq!(server.requests().len(), 1);
}
