//! The webhook receiver over HTTP: mounted in a real axum server and as the crate's standalone
//! server, both on 127.0.0.1, posted to with reqwest (signed requests, and each kind of bad one);
//! and no input makes `verify` panic. (That the token never shows is tested in `secrets.rs`, whose
//! tracing subscriber must see the receiver's log lines before any other test does.)

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use live_api::Secret;
use live_api::callback::{CallbackSet, Reply};
use live_api::webhook::{self, Delivery, Raw, Receiver, Rejection, Signature};
use proptest::prelude::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const APP: u64 = 1400000000;
const TOKEN: &str = "w3bh00k-t0ken-Zq8";
const CREATE: &str = r#"{"CallbackCommand":"Live.CallbackAfterCreateRoom","RoomId":"r1","EventTime":1703589922780}"#;
const GIFT: &str = r#"{"CallbackCommand":"Live.CallbackBeforeSendGift","RoomId":"r1","GiftId":"rose"}"#;

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// The query Live sends for `command`, signed with `token` at `time`.
fn signed(command: &str, token: &str, time: u64) -> String {
    let sign = webhook::sign(&Secret::new(token), &time.to_string());
    format!(
        "SdkAppid={APP}&CallbackCommand={command}&contenttype=json&ClientIP=127.0.0.1&OptPlatform=Web\
         &Sign={sign}&RequestTime={time}"
    )
}

struct Answered {
    status: u16,
    content_type: String,
    body: String,
}

async fn post(url: &str, query: &str, body: &str) -> Answered {
    let r = reqwest::Client::new().post(format!("{url}?{query}")).body(body.to_owned()).send().await.unwrap();
    let status = r.status().as_u16();
    let content_type = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    Answered { status, content_type, body: r.text().await.unwrap() }
}

/// What the handler saw: the command, the body and the signature of each delivery.
type Seen = Arc<Mutex<Vec<(String, String, Signature)>>>;

/// A handler that records every delivery and answers `reply`; it never answers a command
/// containing `Slow`.
fn recording(
    seen: &Seen,
    reply: Reply,
) -> impl Fn(Delivery<Raw>) -> std::pin::Pin<Box<dyn Future<Output = Reply> + Send>> + Send + Sync + 'static {
    let seen = seen.clone();
    move |d: Delivery<Raw>| {
        let command = d.callback.command().to_owned();
        seen.lock().unwrap().push((command.clone(), d.callback.0.body().to_owned(), d.signature));
        let reply = reply.clone();
        Box::pin(async move {
            if command.contains("Slow") {
                std::future::pending::<()>().await;
            }
            reply
        })
    }
}

/// Every bad request both servers must refuse, with its status and a word of the reason.
async fn refuses_every_bad_request(url: &str, seen: &Seen) {
    let now = unix_now();
    let create = "Live.CallbackAfterCreateRoom";
    let cases: Vec<(String, String, u16, &str)> = vec![
        (signed(create, TOKEN, now - 120), CREATE.into(), 403, "replay"),
        (signed(create, TOKEN, now + 120), CREATE.into(), 403, "ahead"),
        (
            signed(create, TOKEN, now).replace("SdkAppid=1400000000", "SdkAppid=1400000001"),
            CREATE.into(),
            403,
            "1400000001",
        ),
        (signed(create, "another-token", now), CREATE.into(), 403, "not the signature"),
        (format!("SdkAppid={APP}&CallbackCommand={create}&RequestTime={now}"), CREATE.into(), 403, "no Sign"),
        (signed(create, TOKEN, now), CREATE[..CREATE.len() - 9].into(), 400, "not a JSON object"),
        (signed(create, TOKEN, now), format!("{{\"Pad\":\"{}\"}}", "x".repeat(2000)), 413, "limit of 1024"),
        (format!("CallbackCommand={create}"), CREATE.into(), 400, "SdkAppid"),
    ];
    for (query, body, status, says) in cases {
        let a = post(url, &query, &body).await;
        assert_eq!(a.status, status, "{query}: {}", a.body);
        assert!(a.body.contains(says), "{query}: {:?} should say {says:?}", a.body);
        assert!(a.content_type.starts_with("text/plain"), "{}", a.content_type);
        assert!(!a.body.contains(TOKEN));
    }
    let get = reqwest::Client::new().get(format!("{url}?{}", signed(create, TOKEN, now))).send().await.unwrap();
    assert_eq!(get.status().as_u16(), 405);
    assert_eq!(get.headers()["allow"], "POST");
    assert!(seen.lock().unwrap().is_empty(), "no refused request reaches the handler: {:?}", seen.lock().unwrap());
}

fn receiver() -> Receiver {
    Receiver::new(APP).token(TOKEN).max_body_bytes(1024).budget(Duration::from_millis(100))
}

#[tokio::test]
async fn an_axum_app_receives_signed_webhooks_and_refuses_bad_ones() {
    let seen = Seen::default();
    let app = axum::Router::new()
        .route("/live/webhook", webhook::axum::route(receiver(), recording(&seen, Reply::with_code(0, "thanks"))));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/live/webhook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });

    refuses_every_bad_request(&url, &seen).await;

    let a = post(&url, &signed("Live.CallbackAfterCreateRoom", TOKEN, unix_now()), CREATE).await;
    assert_eq!((a.status, a.content_type.as_str()), (200, "application/json"));
    assert_eq!(a.body, r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"thanks"}"#);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen, vec![("Live.CallbackAfterCreateRoom".to_owned(), CREATE.to_owned(), Signature::Verified)]);
    let elsewhere = post(&url.replace("/live/webhook", "/other"), "", CREATE).await;
    assert_eq!(elsewhere.status, 404, "only the mounted path answers");
}

#[tokio::test]
async fn the_standalone_server_receives_webhooks_and_answers_the_timeout_reply_when_the_handler_is_late() {
    let seen = Seen::default();
    let late = Reply::with_code(1, "too late: blocked");
    let server = webhook::serve(
        tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
        receiver().timeout_reply(late.clone()),
        recording(&seen, Reply::with_code(0, "")),
    );
    let url = format!("{}/any/path", server.url());

    refuses_every_bad_request(&url, &seen).await;

    let now = unix_now();
    let a = post(&url, &signed("Live.CallbackBeforeSendGift", TOKEN, now), GIFT).await;
    assert_eq!((a.status, a.content_type.as_str()), (200, "application/json"));
    assert_eq!(Reply::parse(a.body.as_bytes()), Some(Reply::ok()));
    // Raw does not know the command's kind, so the receiver waits for the reply, within the budget.
    let slow = GIFT.replace("BeforeSendGift", "BeforeSlowGift");
    let a = post(&url, &signed("Live.CallbackBeforeSlowGift", TOKEN, now), &slow).await;
    assert_eq!(Reply::parse(a.body.as_bytes()), Some(late));
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_streamed_body_is_read_no_further_than_the_limit() {
    let seen = Seen::default();
    let server = webhook::serve(
        tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
        receiver(),
        recording(&seen, Reply::ok()),
    );
    let mut stream = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
    let query = signed("Live.CallbackAfterCreateRoom", TOKEN, unix_now());
    let head = format!("POST /?{query} HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    for _ in 0..3 {
        // 3 chunks of 512 bytes: over the limit of 1024 on the third.
        stream.write_all(format!("200\r\n{}\r\n", "x".repeat(512)).as_bytes()).await.unwrap();
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.ends_with("the body exceeds the limit of 1024 bytes"), "{answer}");
    assert!(seen.lock().unwrap().is_empty());
}

/// `(name, value)` headers of arbitrary text, some of them `Content-Length`.
fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    proptest::collection::vec(
        (prop_oneof![Just("Content-Length".to_owned()), "\\PC{0,12}"], prop_oneof!["[0-9]{0,22}", "\\PC{0,12}"]),
        0..4,
    )
}

/// Query strings made of the receiver's parameters, in any case, with arbitrary values.
fn queries() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        Just("SdkAppid"),
        Just("sdkappid"),
        Just("CallbackCommand"),
        Just("WebhookCommand"),
        Just("Sign"),
        Just("requesttime"),
        Just("ClientIP"),
        Just("OptPlatform"),
        Just("contenttype"),
    ];
    let value = prop_oneof![Just(APP.to_string()), "[0-9]{0,25}", "\\PC{0,20}", "%[0-9a-fA-F]{0,2}[%&=+?]{0,3}"];
    proptest::collection::vec((name, value), 0..9)
        .prop_map(|pairs| pairs.into_iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("&"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn verify_never_panics_on_arbitrary_requests(
        query in prop_oneof!["\\PC{0,80}", queries()],
        headers in headers(),
        body in proptest::collection::vec(any::<u8>(), 0..300),
        now in any::<u64>(),
        token in any::<bool>(),
    ) {
        let mut r = Receiver::new(APP).max_body_bytes(256);
        if token {
            r = r.token(TOKEN);
        }
        let now = UNIX_EPOCH.checked_add(Duration::from_secs(now)).unwrap_or(UNIX_EPOCH);
        if let Err(e) = r.verify::<Raw, _, _, _>(&query, headers.clone(), &body, now) {
            prop_assert!([400, 403, 413].contains(&e.status()), "{e:?}");
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn a_signed_request_verifies_exactly_when_its_sign_and_time_are_right(
        time in 1_000_000_000u64..4_000_000_000,
        skew in -120i64..120,
        flip in proptest::option::of((0usize..64, 1u8..16)),
        token in "[!-~]{1,128}",
    ) {
        let r = Receiver::new(APP).token(token.as_str());
        let mut sign = webhook::sign(&Secret::new(token.as_str()), &time.to_string()).into_bytes();
        if let Some((at, by)) = flip {
            let digit = u8::from_str_radix(std::str::from_utf8(&sign[at..=at]).unwrap(), 16).unwrap() ^ by;
            sign[at] = b"0123456789abcdef"[usize::from(digit)];
        }
        let query = format!("SdkAppid={APP}&CallbackCommand=X&Sign={}&RequestTime={time}", String::from_utf8(sign).unwrap());
        let now = UNIX_EPOCH + Duration::from_secs(time.saturating_add_signed(skew));
        let outcome = r.verify::<Raw, _, _, _>(&query, [("Content-Length", "2")], b"{}", now);
        match (flip.is_some(), skew.abs() > 60, outcome) {
            (false, false, Ok(d)) => prop_assert_eq!(d.signature, Signature::Verified),
            (true, _, Err(Rejection::BadSign)) => {}
            (false, true, Err(Rejection::Stale { .. } | Rejection::Future { .. })) => {}
            (flipped, late, other) => prop_assert!(false, "flipped {flipped}, late {late}: {other:?}"),
        }
    }
}
