//! The secret key and the UserSig tickets never show: not in `Debug`/`Display` of any type, not
//! in any error (including transport errors, whose URL carries `usersig=`), its source chain, or
//! the tracing output. Every kind of error the client returns is triggered with a known key and
//! ticket, and everything printable is searched for them. The same holds for the fields a spec
//! marks `"secret": true` (the webhook token of `live_config/{set,get}_callback_token`), and for
//! the webhook token of a receiver, through every refusal and a handler that misses its budget.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use live_api::callback::{self, CallbackSet};
use live_api::webhook::{self, Delivery, Raw, Receiver};
use live_api::{Client, ClientBuilder, GetCallbackToken, GetRoomInfo, ResumeMcuTask, Secret, SetCallbackToken};
use live_api_tests::{Reply, TestServer, percent_decode};
use serde_json::{Value, json};

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

/// The webhook token (`"secret": true` in `live_config/{set,get}_callback_token`).
const TOKEN: &str = "wh-7c1d9a3e5b2f4d6880a1c3e5f7092b4d";

fn rejected_request(r: &live_api::Error<impl live_api::ErrorCode>) -> Vec<(String, String)> {
    match r {
        live_api::Error::Invalid(v) => {
            v.violations().iter().map(|v| (v.field.clone(), format!("{:?}", v.rule))).collect()
        }
        other => panic!("expected a validation error, got {other}"),
    }
}

#[tokio::test]
async fn the_webhook_token_is_checked_before_sending_and_never_shown() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // The answer to each call is taken from the front of this list.
    let replies = Arc::new(Mutex::new(std::collections::VecDeque::<Reply>::new()));
    let queue = replies.clone();
    let server = TestServer::start(move |_| queue.lock().unwrap().pop_front().unwrap_or(Reply::ok(json!({})))).await;
    let client = Client::builder()
        .sdk_app_id(1400000000)
        .user_sig(TICKET)
        .base_url(server.url())
        .retry_policy(live_api::RetryPolicy::none())
        .build()
        .unwrap();
    let secrets = [TOKEN];

    // The request: redacted in Debug, sent as it is.
    let request = SetCallbackToken::new().token(TOKEN).is_token_enable(true);
    assert_clean("Debug of the request", &format!("{request:?} {request:#?}"), &secrets);
    assert_eq!(request.token.as_ref().map(live_api::Secret::expose), Some(TOKEN));
    client.set_callback_token(request).await.unwrap();
    assert_eq!(server.requests()[0].json(), json!({ "Token": TOKEN, "IsTokenEnable": true }));

    // Its limits (1 to 128 bytes), at both bounds: the accepted ones are sent, the refused ones
    // are not, and the error names the field, the limit and the length, never the value.
    let long = TOKEN.repeat(4);
    for ok in [&long[..128], &long[..1]] {
        client.set_callback_token(SetCallbackToken::new().token(ok)).await.unwrap();
    }
    assert_eq!(server.requests().len(), 3);
    for (token, rule) in [(&long[..129], "MaxBytes { max: 128, actual: 129 }"), ("", "MinBytes { min: 1, actual: 0 }")]
    {
        let e = client.set_callback_token(SetCallbackToken::new().token(token)).await.unwrap_err();
        assert_eq!(rejected_request(&e), [("Token".to_owned(), rule.to_owned())]);
        let shown = everything_printable(&e);
        assert!(shown.contains("Token is ") && shown.contains(" bytes; the API "), "{shown}");
        if !token.is_empty() {
            assert_clean("a refused token", &shown, &[token, &token[..40]]);
        }
    }
    assert_eq!(server.requests().len(), 3, "refused requests are not sent");

    // The answer: decoded, redacted in Debug, re-encoded as it was (the CLI prints that).
    replies.lock().unwrap().push_back(Reply::ok(json!({ "Response": { "Token": TOKEN, "IsTokenEnable": true } })));
    let answer = client.get_callback_token(GetCallbackToken::new()).await.unwrap();
    assert_eq!(
        (answer.token.as_ref().map(live_api::Secret::expose), answer.is_token_enable),
        (Some(TOKEN), Some(true))
    );
    assert_clean("Debug of the answer", &format!("{answer:?} {answer:#?}"), &secrets);
    assert_eq!(serde_json::to_value(&answer).unwrap()["Token"], json!(TOKEN));

    // Answers that do not decode, each holding the token: no error quotes them.
    let envelope = |payload: Value| json!({ "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "RequestId": "Id-1", "Response": payload });
    let malformed = [
        ("a field of the wrong kind", Reply::json(envelope(json!({ "Token": TOKEN, "IsTokenEnable": "maybe" })))),
        ("the token as a number", Reply::json(envelope(json!({ "Token": 7_364_519_208_836_401_u64 })))),
        ("the token as an object", Reply::json(envelope(json!({ "Token": { "Value": TOKEN } })))),
        (
            "truncated JSON",
            Reply::Http {
                status: 200,
                content_type: "application/json",
                body: format!(r#"{{"ErrorCode":0,"Response":{{"Token":"{TOKEN}""#).into_bytes(),
            },
        ),
        ("no ErrorCode", Reply::json(json!({ "Response": { "Token": TOKEN } }))),
        (
            "an HTML error page",
            Reply::Http {
                status: 502,
                content_type: "text/html",
                body: format!("<html>upstream said Token={TOKEN}</html>").into_bytes(),
            },
        ),
    ];
    for (what, reply) in malformed {
        replies.lock().unwrap().push_back(reply);
        let e = client.get_callback_token(GetCallbackToken::new()).await.unwrap_err();
        let live_api::Error::Answer(a) = &e else { panic!("{what}: expected an answer error, got {e}") };
        assert!(a.excerpt_withheld && a.excerpt.is_empty(), "{what}: {a:?}");
        assert_clean(what, &everything_printable(&e), &[TOKEN, "7364519208836401"]);
    }
    // A proxy's page echoing the request of set_callback_token is not quoted either.
    replies.lock().unwrap().push_back(Reply::Http {
        status: 403,
        content_type: "text/html",
        body: format!("<html>blocked: {{\"Token\":\"{TOKEN}\"}}</html>").into_bytes(),
    });
    let e = client.set_callback_token(SetCallbackToken::new().token(TOKEN)).await.unwrap_err();
    assert!(matches!(&e, live_api::Error::Answer(a) if a.excerpt_withheld), "{e}");
    assert_clean("an echo of the request", &everything_printable(&e), &secrets);
    drop(_guard);
    // Outside the captured logs: the same page for an endpoint without secrets is quoted, so the
    // excerpt above is withheld because of the secret, not lost.
    replies.lock().unwrap().push_back(Reply::Http {
        status: 403,
        content_type: "text/html",
        body: format!("<html>blocked: {TOKEN}</html>").into_bytes(),
    });
    let e = client.get_room_info(GetRoomInfo::new("r")).await.unwrap_err();
    assert!(matches!(&e, live_api::Error::Answer(a) if !a.excerpt_withheld && a.excerpt.contains(TOKEN)), "{e}");

    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("get_callback_token") && logs.contains("call failed"), "the calls were logged: {logs}");
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
