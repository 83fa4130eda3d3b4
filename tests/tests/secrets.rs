//! The secret key and the UserSig tickets never show: not in `Debug`/`Display` of any type, not
//! in any error (including transport errors, whose URL carries `usersig=`), its source chain, or
//! the tracing output. Every kind of error the client returns is triggered with a known key and
//! ticket, and everything printable is searched for them. Likewise the webhook token, through
//! every refusal and a handler that misses its budget.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use live_api::callback::{self, CallbackSet};
use live_api::webhook::{self, Delivery, Raw, Receiver};
use live_api::{Client, ClientBuilder, GetRoomInfo, ResumeMcuTask, Secret};
use live_api_tests::{Reply, TestServer, percent_decode};
use serde_json::json;

const KEY: &str = "k3y-5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const TICKET: &str =
    "eJyrVgrxCdYrLkksyczPU7JSSs7PS8tMV9JRykxRsjI0MjAyNTS3NDY2MAEqKsnMBcqZmxhZmJqbWEGVZaYBFREXlgdWZJgbGBgYGRgYA";

const APP: u64 = 1400000000;
const WEBHOOK_TOKEN: &str = "w3bh00k-t0ken-Zq8";

/// The query Live sends for `command`, signed with `token` at `time`.
fn signed(command: &str, token: &str, time: u64) -> String {
    let sign = webhook::sign(&Secret::new(token), &time.to_string());
    format!("SdkAppid={APP}&CallbackCommand={command}&contenttype=json&Sign={sign}&RequestTime={time}")
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every text a user or a log could see of an error: Display, Debug, pretty Debug, and the
/// same for each error of its source chain.
fn everything_printable(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = format!("{e}\n{e:?}\n{e:#?}\n");
    let mut src = e.source();
    while let Some(s) = src {
        out.push_str(&format!("{s}\n{s:?}\n"));
        src = s.source();
    }
    out
}

fn assert_clean(what: &str, text: &str, secrets: &[&str]) {
    for s in secrets {
        assert!(!text.contains(s), "{what} shows a secret: {text}");
    }
    let shown = text.match_indices("usersig=").any(|(i, m)| !text[i + m.len()..].starts_with("<redacted>"));
    assert!(!shown, "{what} shows the ticket parameter: {text}");
}

#[tokio::test]
async fn no_error_log_or_debug_output_shows_the_key_or_a_ticket() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // A server that answers by room: an API error, an HTML page echoing the request URL (as some
    // proxies do), truncated JSON, or silence.
    let server = TestServer::start(|r| {
        let url =
            format!("{}?{}", r.path, r.query.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&"));
        match r.json()["RoomId"].as_str().unwrap_or_default() {
            "api" => Reply::error(100004, "room does not exist", "Id-1"),
            "html" => Reply::Http {
                status: 404,
                content_type: "text/html",
                body: format!("<html>no route for POST {url}</html>").into_bytes(),
            },
            "truncated" => Reply::Raw(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"ErrorCode\":".to_vec()),
            "hang" => Reply::Hang,
            _ => Reply::ok(json!({})),
        }
    })
    .await;
    let signing = Client::builder()
        .sdk_app_id(1400000000)
        .secret_key(KEY)
        .base_url(server.url())
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let fixed = Client::builder()
        .sdk_app_id(1400000000)
        .user_sig(TICKET)
        .base_url(server.url())
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();

    // Learn the ticket the signing client made, to search for it too.
    signing.get_room_info(GetRoomInfo::new("ok")).await.unwrap();
    let signed = percent_decode(server.requests()[0].param("usersig").unwrap());
    assert!(signed.len() > 40);
    let secrets = [KEY, TICKET, signed.as_str()];

    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let offline = Client::builder().sdk_app_id(1).secret_key(KEY).base_url(refused).build().unwrap();

    let mut kinds = Vec::new();
    for client in [&signing, &fixed] {
        for room in ["api", "html", "truncated", "hang", &"x".repeat(49)] {
            let e = client.get_room_info(GetRoomInfo::new(room)).await.unwrap_err();
            kinds.push(format!("{:?}", std::mem::discriminant(&e)));
            assert_clean(&format!("error for {room}"), &everything_printable(&e), &secrets);
        }
    }
    let e = offline.resume_mcu_task(ResumeMcuTask::new("r")).await.unwrap_err();
    assert!(matches!(e, live_api::Error::Transport(_)));
    assert_clean("connection refused", &everything_printable(&e), &secrets);
    let e = ClientBuilder::from_vars(|n| match n {
        "LIVE_API_SECRET_KEY" => Some(KEY.into()),
        "LIVE_API_USERSIG" => Some(TICKET.into()),
        _ => None,
    })
    .unwrap_err();
    assert_clean("configuration error", &everything_printable(&e), &secrets);

    // Every kind was reached: Api, Answer (html, truncated), Transport (hang), Invalid.
    kinds.sort();
    kinds.dedup();
    assert_eq!(kinds.len(), 4, "{kinds:?}");

    for (what, text) in [
        ("Debug of the clients", format!("{signing:?} {fixed:?} {offline:?} {signing:#?}")),
        ("Debug of a builder", format!("{:?}", Client::builder().secret_key(KEY).user_sig(TICKET))),
        ("a Secret", format!("{} {:?}", live_api::Secret::new(KEY), live_api::Secret::new(TICKET))),
    ] {
        assert_clean(what, &text, &secrets);
    }

    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("live_api.call") && logs.contains("call failed"), "the calls were logged: {logs}");
    assert_clean("the tracing output", &logs, &secrets);
}

#[tokio::test]
async fn the_webhook_token_shows_in_no_log_error_debug_output_or_answer() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let hooked = Arc::new(Mutex::new(Vec::new()));
    let receiver = {
        let hooked = hooked.clone();
        Receiver::new(APP)
            .token(WEBHOOK_TOKEN)
            .budget(Duration::from_millis(50))
            .on_rejection(move |r| hooked.lock().unwrap().push(format!("{r}\n{r:?}")))
    };
    let mut printed = format!("{receiver:?}\n{receiver:#?}\n");
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let create = "Live.CallbackAfterCreateRoom";
    const CREATE: &str = r#"{"CallbackCommand":"Live.CallbackAfterCreateRoom","RoomId":"r1"}"#;
    let handler = |d: Delivery<Raw>| async move {
        if d.callback.command().contains("Slow") {
            std::future::pending::<()>().await;
        }
        callback::Reply::ok()
    };
    let requests = [
        signed(create, WEBHOOK_TOKEN, now - 600),
        signed(create, WEBHOOK_TOKEN, now + 600),
        signed(create, "wrong", now),
        signed("Live.CallbackBeforeSlowGift", WEBHOOK_TOKEN, now),
        format!("SdkAppid=7&Sign={WEBHOOK_TOKEN}&RequestTime={now}"),
        format!("SdkAppid={APP}&Sign={WEBHOOK_TOKEN}&RequestTime={now}"),
    ];
    for query in &requests {
        let body = if query.contains("Slow") { r#"{"CallbackCommand":"Live.CallbackBeforeSlowGift"}"# } else { CREATE };
        match receiver.verify::<Raw, _, _, _>(query, [("content-length", "3")], body.as_bytes(), SystemTime::now()) {
            Ok(d) => printed.push_str(&format!("{d:?}\n")),
            Err(e) => printed.push_str(&format!("{e}\n{e:?}\n")),
        }
        let answer = receiver.respond::<Raw, _, _, _, _>(query, [("x", "y")], body.as_bytes(), &handler).await;
        printed.push_str(&String::from_utf8_lossy(&answer.body));
    }
    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("refused") && logs.contains("did not reply"), "the test exercised the logs: {logs}");
    assert_eq!(hooked.lock().unwrap().len(), 5, "every refusal ran the hook");
    let hooked = hooked.lock().unwrap().join("\n");
    for (what, text) in [("logs", &logs), ("output", &printed), ("hook", &hooked)] {
        // A refusal quotes no Sign either: this one is the token itself.
        assert!(!text.contains(WEBHOOK_TOKEN), "{what} shows the token: {text}");
    }
}
