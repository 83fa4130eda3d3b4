//! `live-api webhook listen` as a process on 127.0.0.1: each verified callback is one JSON line on
//! stdout and gets the documented reply; each refused request gets its status and one line on
//! stderr, and nothing on stdout.

mod common;

use common::live_api;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use live_api::Secret;
use live_api::webhook;
use serde_json::{Value, json};

const APP: u64 = 1400000000;
const TOKEN: &str = "cli-w3bh00k-t0ken";

/// The lines a pipe of the child writes, as they come.
fn lines(pipe: impl std::io::Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// The listening receiver; killed when dropped.
struct Listening {
    child: Child,
    url: String,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
}

impl Drop for Listening {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Listening {
    fn start(cmd: &mut Command) -> Listening {
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let stdout = lines(child.stdout.take().unwrap());
        let stderr = lines(child.stderr.take().unwrap());
        let mut l = Listening { child, url: String::new(), stdout, stderr };
        let ready = l.stderr_line();
        let rest = ready.split_once("listening on ").unwrap_or_else(|| panic!("{ready}")).1;
        l.url = rest.split_whitespace().next().unwrap().to_owned();
        l
    }
    /// The next line on stderr (a generous bound, only so that a broken binary fails the test
    /// instead of hanging it).
    fn stderr_line(&self) -> String {
        self.stderr.recv_timeout(Duration::from_secs(60)).expect("a line on stderr")
    }
    fn stdout_line(&self) -> Value {
        let line = self.stdout.recv_timeout(Duration::from_secs(60)).expect("a line on stdout");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"))
    }
}

fn signed(token: &str, time: u64) -> String {
    let sign = webhook::sign(&Secret::new(token), &time.to_string());
    format!(
        "SdkAppid={APP}&CallbackCommand=Live.CallbackAfterCreateRoom&contenttype=json&ClientIP=127.0.0.1\
         &OptPlatform=Android&Sign={sign}&RequestTime={time}"
    )
}

async fn post(url: &str, query: &str, body: &str) -> (u16, String) {
    let r = reqwest::Client::new().post(format!("{url}/hook?{query}")).body(body.to_owned()).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn listen_prints_verified_callbacks_and_refuses_bad_requests() {
    let mut cmd = live_api(&["webhook", "listen", "--listen", "127.0.0.1:0", "--sdkappid", &APP.to_string()]);
    let l = Listening::start(cmd.env("LIVE_API_WEBHOOK_TOKEN", TOKEN));
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    // A documented body, with the owner as a bare number (as some samples send account IDs).
    let body = r#"{"CallbackCommand":"Live.CallbackAfterCreateRoom","Operator_Account":"admin","RoomInfo":{"RoomId":"r1","Owner_Account":144115212434345577}}"#;

    let (status, reply) = post(&l.url, &signed(TOKEN, now), body).await;
    assert_eq!((status, reply.as_str()), (200, r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#));
    let printed = l.stdout_line();
    // The typed callback re-encoded: the account ID is a string, as its spec types it, with every digit.
    let typed = r#"{"CallbackCommand":"Live.CallbackAfterCreateRoom","Operator_Account":"admin","RoomInfo":{"RoomId":"r1","Owner_Account":"144115212434345577"}}"#;
    assert_eq!(
        printed,
        json!({"command": "Live.CallbackAfterCreateRoom", "body": serde_json::from_str::<Value>(typed).unwrap()})
    );

    let bad = [
        (signed(TOKEN, now - 3600), body, 403, "refused as a replay"),
        (signed("not-the-token", now), body, 403, "not the signature"),
        (signed(TOKEN, now).replace(&APP.to_string(), "1400000001"), body, 403, "SdkAppid 1400000001"),
        (signed(TOKEN, now).split("&Sign=").next().unwrap().to_owned(), body, 403, "no Sign"),
        (signed(TOKEN, now), &body[..40], 400, "not a JSON object"),
    ];
    for (query, body, status, says) in bad {
        let (got, text) = post(&l.url, &query, body).await;
        assert_eq!(got, status, "{query}: {text}");
        let line = l.stderr_line();
        assert!(
            line.starts_with(&format!("live-api webhook: refused with {status}: ")) && line.contains(says),
            "{line}"
        );
        assert!(!line.contains(TOKEN), "{line}");
    }
    // The same accepted request again (within the minute), then nothing else was printed.
    let (status, _) = post(&l.url, &signed(TOKEN, now), body).await;
    assert_eq!(status, 200);
    assert_eq!(l.stdout_line()["command"], "Live.CallbackAfterCreateRoom");
    assert!(l.stdout.try_recv().is_err(), "refused requests print nothing on stdout");
}

#[tokio::test]
async fn the_token_flag_and_an_unsigned_receiver() {
    let mut cmd =
        live_api(&["webhook", "listen", "--listen", "127.0.0.1:0", "--sdkappid", &APP.to_string(), "--token", TOKEN]);
    let signed_receiver = Listening::start(&mut cmd);
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let unsigned = format!("SdkAppid={APP}&CallbackCommand=Live.CallbackAfterCreateRoom");
    assert_eq!(post(&signed_receiver.url, &unsigned, "{}").await.0, 403);
    assert_eq!(post(&signed_receiver.url, &signed(TOKEN, now), "{}").await.0, 200);

    let open = Listening::start(&mut live_api(&["webhook", "listen", "--listen", "127.0.0.1:0", "--sdkappid", "1"]));
    let (status, _) = post(&open.url, "SdkAppid=1&CallbackCommand=Live.CallbackAfterSomethingNew", r#"{"A":1}"#).await;
    assert_eq!(status, 200);
    assert_eq!(open.stdout_line(), json!({"command": "Live.CallbackAfterSomethingNew", "body": {"A": 1}}));

    let out = live_api(&["webhook", "listen", "--sdkappid", "1", "--token", ""]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 to 128 characters"));
    let out = live_api(&["webhook", "listen"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "--sdkappid is required");
}
