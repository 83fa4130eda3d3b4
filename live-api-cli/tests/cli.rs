//! The `live-api` binary as a process: JSON answers on stdout, messages on stderr, exit statuses
//! that tell validation errors, API error codes, transport failures, bad answers and bad
//! configuration apart, help from the specs, the standalone emulator, `usersig`, and the demo.

mod common;

use common::live_api;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Output, Stdio};

use serde_json::{Value, json};

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }
}

fn run(cmd: &mut Command) -> Run {
    let Output { status, stdout, stderr } = cmd.output().expect("run live-api");
    Run {
        status: status.code().unwrap_or(-1),
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

fn ok(cmd: &mut Command) -> Run {
    let r = run(cmd);
    assert_eq!(r.status, 0, "stderr: {}\nstdout: {}", r.stderr, r.stdout);
    r
}

fn fails(cmd: &mut Command, status: i32, says: &str) -> Run {
    let r = run(cmd);
    assert_eq!(r.status, status, "stderr: {}\nstdout: {}", r.stderr, r.stdout);
    assert!(r.stdout.is_empty(), "nothing on stdout on failure: {}", r.stdout);
    assert!(r.stderr.contains(says), "stderr should say {says:?}: {}", r.stderr);
    r
}

#[test]
fn calls_print_the_typed_answer_as_json_on_stdout() {
    let r = ok(&mut live_api(&["create-room", "--room-info", r#"{"RoomId":"r1","RoomType":"Live"}"#]));
    assert_eq!(r.json(), json!({"RoomId": "r1"}));
    assert!(r.stderr.contains("embedded emulator"), "{}", r.stderr);

    let body = r#"{"RoomInfo":{"RoomId":"r2","RoomType":"Live","RoomName":"Friday"}}"#;
    let r = ok(&mut live_api(&["call", "live_engine_http_srv/create_room", "--data", body]));
    assert_eq!(r.json(), json!({"RoomId": "r2"}));
    let r = ok(&mut live_api(&["call", "get_room_list", "--json", r#"{"Next":"","Count":5}"#]));
    assert_eq!(r.json(), json!({"Next": "", "RoomList": []}));

    // The body from a file and from stdin.
    let file = std::env::temp_dir().join(format!("live-api-cli-test-{}.json", std::process::id()));
    std::fs::write(&file, r#"{"RoomInfo":{"RoomId":"from-file","RoomType":"Live"}}"#).unwrap();
    let at = format!("@{}", file.display());
    let r = ok(&mut live_api(&["call", "live_engine_http_srv/create_room", "--data", &at]));
    assert_eq!(r.json()["RoomId"], json!("from-file"));
    let _ = std::fs::remove_file(&file);
    let mut child = live_api(&["create-room", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(br#"{"RoomInfo":{"RoomId":"from-stdin","RoomType":"Live"}}"#).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(serde_json::from_slice::<Value>(&out.stdout).unwrap()["RoomId"], json!("from-stdin"));
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A server that answers every request with an HTML 502, as a broken gateway would.
fn html_server() -> u16 {
    answering("502 Bad Gateway", "text/html", "<html><title>502 Bad Gateway</title></html>".into())
}

/// A server that answers every request with `status`, `content_type` and `body`.
fn answering(status: &'static str, content_type: &'static str, body: String) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let head = format!(
                "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(format!("{head}{body}").as_bytes());
        }
    });
    port
}

fn remote<'a>(cmd: &'a mut Command, url: &str) -> &'a mut Command {
    cmd.env("LIVE_API_SDKAPPID", "1400000000")
        .env("LIVE_API_SECRET_KEY", "some-key")
        .env("LIVE_API_BASE_URL", url)
        .env("LIVE_API_TIMEOUT", "5")
}

#[test]
fn exit_statuses_tell_the_kinds_of_failure_apart() {
    // 3: invalid requests, nothing sent.
    let long = "x".repeat(53);
    fails(
        &mut live_api(&["get-room-info", "--room-id", &long]),
        3,
        "RoomId is 53 bytes; the API allows at most 48 bytes",
    );
    fails(&mut live_api(&["call", "live_engine_http_srv/get_room_info", "--data", "{nope"]), 3, "not JSON");
    fails(&mut live_api(&["call", "live_engine_http_srv/create_room", "--data", "{}"]), 3, "missing field `RoomInfo`");
    fails(&mut live_api(&["create-room", "--json", "[1]"]), 3, "not a JSON object");

    // 1: an API error code, with its name, retry class and request id.
    let r = fails(&mut live_api(&["get-room-info", "--room-id", "nope"]), 1, "100004");
    assert!(r.stderr.contains("RoomNotFound, permanent") && r.stderr.contains("request id Id-"), "{}", r.stderr);

    // 2: usage.
    fails(&mut live_api(&["call", "nope/nope"]), 2, "no endpoint \"nope/nope\"");
    fails(&mut live_api(&["get-room-info"]), 2, "--room-id");
    fails(&mut live_api(&["lock-seat", "--room-id", "r", "--index", "4294967296"]), 2, "4294967296");
    fails(&mut live_api(&["set-mix-stream", "--room-id", "r", "--layout-mode", "diagonal"]), 2, "grid");
    fails(&mut live_api(&["frobnicate"]), 2, "frobnicate");

    // 4: no answer; 5: an answer that is not the envelope; 6: configuration.
    let url = format!("http://127.0.0.1:{}", closed_port());
    fails(remote(&mut live_api(&["get-room-info", "--room-id", "r"]), &url), 4, "could not connect");
    let url = format!("http://127.0.0.1:{}", html_server());
    fails(remote(&mut live_api(&["get-room-info", "--room-id", "r"]), &url), 5, "HTTP 502");
    let r =
        fails(live_api(&["get-room-info", "--room-id", "r"]).env("LIVE_API_SDKAPPID", "14e8"), 6, "LIVE_API_SDKAPPID");
    assert!(!r.stderr.contains("embedded emulator"), "a configured environment is never replaced by the emulator");
}

#[test]
fn a_secret_is_printed_in_the_answer_the_user_asked_for_and_nowhere_else() {
    const TOKEN: &str = "wh-0b8e2d4f6a1c3e5d7f9a2b4c6d8e0f13";
    let answer = |token: Value, enabled: Value| {
        let body = json!({ "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "RequestId": "Id-1",
            "Response": { "Token": token, "IsTokenEnable": enabled } });
        format!("http://127.0.0.1:{}", answering("200 OK", "application/json", body.to_string()))
    };
    let url = answer(json!(TOKEN), json!(true));
    let r = ok(remote(&mut live_api(&["get-callback-token"]), &url));
    assert_eq!(r.json(), json!({ "Token": TOKEN, "IsTokenEnable": true }));
    assert!(!r.stderr.contains(TOKEN), "{}", r.stderr);

    let url = answer(json!(TOKEN), json!("maybe"));
    let r = fails(remote(&mut live_api(&["get-callback-token"]), &url), 5, "body withheld");
    assert!(!r.stderr.contains(TOKEN), "{}", r.stderr);
    let r = fails(&mut live_api(&["set-callback-token", "--token", ""]), 3, "Token is 0 bytes");
    assert!(r.stderr.contains("at least 1 bytes"), "{}", r.stderr);
    let long = TOKEN.repeat(4);
    let r = fails(&mut live_api(&["set-callback-token", "--token", &long]), 3, "Token is 140 bytes");
    assert!(!r.stderr.contains(TOKEN), "{}", r.stderr);
    let help = ok(&mut live_api(&["set-callback-token", "--help"]));
    assert!(help.stdout.contains("secret string; 1 to 128 bytes"), "{}", help.stdout);
}

#[test]
fn help_comes_from_the_specs() {
    let top = ok(&mut live_api(&["--help"]));
    for words in ["create-room", "set-mix-stream", "endpoints", "usersig", "emulator", "demo", "Exit status"] {
        assert!(top.stdout.contains(words), "{words}: {}", top.stdout);
    }
    let r = ok(&mut live_api(&["create-room", "--help"]));
    for words in [
        "Creates a live room",
        "POST /v4/live_engine_http_srv/create_room; 200 calls per second",
        "100003 RoomIdTaken",
        "--room-info <JSON>",
        "RoomId: Unique room ID",
        "1 to 48 bytes",
        "live-api call live_engine_http_srv/create_room --data",
    ] {
        assert!(r.stdout.contains(words), "{words}: {}", r.stdout);
    }
    let r = ok(&mut live_api(&["resume-mcu-task", "--help"]));
    assert!(r.stdout.contains("shared by quota group mixing") && r.stdout.contains("100422 MixingRateLimited"));
    // A one-word method is the command's name itself, and its service/command path an alias.
    let r = ok(&mut live_api(&["im_open_login_svc/kick", "--help"]));
    assert!(r.stdout.contains("POST /v4/im_open_login_svc/kick") && r.stdout.contains("70107 AccountNotFound"));
    let r = ok(&mut live_api(&["set-mix-stream", "-h"]));
    assert!(r.stdout.contains("[possible values: grid, custom]"), "{}", r.stdout);

    let r = ok(&mut live_api(&["endpoints", "--json"]));
    let list = r.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), live_api::ENDPOINTS.len());
    let mix = list.iter().find(|e| e["endpoint"] == "live_engine_http_srv/set_mix_stream").unwrap();
    assert_eq!((mix["calls_per_second"].clone(), mix["quota_group"].clone()), (json!(20.0), json!("mixing")));
    let table = ok(&mut live_api(&["endpoints"]));
    assert!(table.stdout.contains("live_engine_http_srv/copy_default_gift_config") && table.stdout.contains("0.1"));
}

/// `live-api emulator` on an ephemeral port; its first stdout line says where and how to call it.
struct Standalone {
    child: Child,
    config: Value,
}

impl Standalone {
    fn start(extra: &[&str]) -> Standalone {
        let mut args = vec!["emulator", "--listen", "127.0.0.1:0"];
        args.extend(extra);
        let mut child = live_api(&args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let mut line = String::new();
        let _ = BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut line);
        let mut emu = Standalone { child, config: Value::Null };
        // Dropping `emu` stops the process if this fails.
        emu.config = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
        emu
    }

    /// `live-api` configured, through the environment, to call this emulator.
    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = live_api(args);
        cmd.env("LIVE_API_BASE_URL", self.config["url"].as_str().unwrap())
            .env("LIVE_API_SDKAPPID", self.config["sdkappid"].to_string())
            .env("LIVE_API_SECRET_KEY", self.config["secret_key"].as_str().unwrap())
            .env("LIVE_API_ADMIN", self.config["admin"].as_str().unwrap());
        cmd
    }

    /// Stops it and returns what it logged.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let mut log = String::new();
        self.child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
        log
    }
}

impl Drop for Standalone {
    /// It runs until interrupted: stop it even when a test fails.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn typed_flags_against_the_standalone_emulator() {
    let emu = Standalone::start(&[]);
    let room =
        r#"{"RoomId":"flags","RoomType":"Live","IsSeatEnabled":true,"MaxSeatCount":2,"IsUnlimitedRoomEnabled":true}"#;
    let r = ok(&mut emu.cmd(&["create-room", "--room-info", room]));
    assert!(!r.stderr.contains("embedded"), "{}", r.stderr);
    ok(&mut emu.cmd(&["lock-seat", "--room-id", "flags", "--index", "1", "--forbid-taken", "true"]));
    let seats = ok(&mut emu.cmd(&["get-seat-list", "--room-id", "flags"])).json();
    assert_eq!(seats["SeatList"][1]["IsTakenDisabled"], json!(true));
    ok(&mut emu.cmd(&["mute-member", "--room-id", "flags", "--member-list-account", "a,b", "--mute-time", "60"]));
    ok(&mut emu.cmd(&[
        "mute-member",
        "--room-id",
        "flags",
        "--member-list-account",
        "c",
        "--member-list-account",
        "d",
        "--mute-time",
        "60",
    ]));
    let muted = ok(&mut emu.cmd(&["get-muted-member-list", "--room-id", "flags"])).json();
    assert_eq!(muted["MutedAccountList"].as_array().unwrap().len(), 4);
    ok(&mut emu.cmd(&["set-room-metadata", "--room-id", "flags", "--metadata", r#"[{"Key":"k","Value":"v"}]"#]));
    let all = ok(&mut emu.cmd(&["get-room-metadata", "--room-id", "flags", "--keys", ""])).json();
    assert_eq!(all, json!({"Metadata": [{"Key": "k", "Value": "v"}]}));
    // An enum by name or by value; the flags override fields of --json (the custom layout without
    // tiles is refused in room "flags", not "other").
    ok(&mut emu.cmd(&["set-mix-stream", "--room-id", "flags", "--layout-mode", "0"]));
    let json = r#"{"RoomId":"other","LayoutMode":0}"#;
    let r = fails(
        &mut emu.cmd(&["set-mix-stream", "--json", json, "--room-id", "flags", "--layout-mode", "custom"]),
        1,
        "100002",
    );
    assert!(r.stderr.contains("LayoutMode 1000 (custom) needs LayoutInfo.LayoutList"), "{}", r.stderr);
    fails(&mut emu.cmd(&["resume-mcu-task", "--room-id", "nope"]), 1, "RoomNotFound");
    let log = emu.stop();
    assert!(log.contains("live_engine_http_srv/create_room → ok"), "{log}");
    assert!(log.contains("set_mix_stream → 100002"), "{log}");
}

#[test]
fn usersig_takes_the_flags_of_the_usersig_example() {
    let common = ["--sdkappid", "1400000000", "--key", "k3y", "--identifier", "administrator"];
    let mut sign = vec!["usersig", "sign"];
    sign.extend(common);
    sign.extend(["--expire", "86400", "--time", "1700000000"]);
    let ticket = ok(&mut live_api(&sign)).stdout.trim_end().to_owned();
    assert_eq!(ticket.lines().count(), 1);
    let mut verify = vec!["usersig", "verify"];
    verify.extend(common);
    verify.extend(["--now", "1700000100", &ticket]);
    let decoded = ok(&mut live_api(&verify)).json();
    assert_eq!(decoded["expires_at"], json!(1_700_086_400u64));
    let n = verify.len();
    verify[n - 2] = "1800000000";
    fails(&mut live_api(&verify), 1, "expired");
    let r = fails(&mut live_api(&["usersig", "sign", "--sdkappid", "x"]), 2, "usage");
    assert!(r.stderr.contains("live-api usersig sign") && !r.stderr.contains("k3y"), "{}", r.stderr);
    assert!(ok(&mut live_api(&["usersig", "--help"])).stdout.contains("live-api usersig verify"));
}

#[test]
fn the_demo_runs_a_whole_session_against_the_embedded_emulator() {
    let r = ok(&mut live_api(&["demo"]));
    assert!(r.stderr.contains("embedded emulator"), "{}", r.stderr);
    for step in [
        "multiaccount_import",
        "portrait_set",
        "create_room",
        "pick_user_on_seat",
        "get_seat_list",
        "set_mix_stream",
        "resume_mcu_task",
        "send_text_msg",
        "get_room_stats",
        "page 1",
        "MixTaskNotFound",
        "Error::Invalid",
        "destroy_room",
        "every step went as expected",
    ] {
        assert!(r.stdout.contains(step), "{step}: {}", r.stdout);
    }
    assert!(!r.stdout.contains("  ✗ expected"), "{}", r.stdout);
    demo_webhooks(&r.stdout);
}

/// The demo's webhook lines: a receiver in the process got every callback the session's calls
/// caused, typed and re-encoded, one line each, in the order of the events; its handler refused
/// a gift with a code that `send_gift` passed through.
fn demo_webhooks(stdout: &str) {
    assert!(stdout.contains("live_api::webhook::bind at http://127.0.0.1:"), "{stdout}");
    assert!(stdout.contains("live_config/set_callback {\"Url\":\"http://127.0.0.1:"), "{stdout}");
    assert!(stdout.contains("set_callback_token {\"Token\":\"<not shown>\""), "the token is not printed: {stdout}");
    let webhooks: Vec<(String, Value)> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("  ⇐ webhook "))
        .map(|l| {
            let (command, body) = l.split_once(' ').unwrap_or_else(|| panic!("no body: {l}"));
            let body: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {l}"));
            assert_eq!(body["CallbackCommand"], json!(command), "{l}");
            (command.to_owned(), body)
        })
        .collect();
    let count = |c: &str| webhooks.iter().filter(|(command, _)| command == c).count();
    for (command, n) in [
        ("Live.CallbackAfterCreateRoom", 3),
        ("Live.CallbackAfterMemberStateChanged", 3),
        ("Mic.CallbackAfterSeatInfoChanged", 2),
        ("Group.CallbackBeforeSendMsg", 1),
        ("Group.CallbackAfterSendMsg", 1),
        ("Live.CallbackBeforeSendGift", 2),
        ("Live.CallbackAfterDestroyRoom", 3),
    ] {
        assert_eq!(count(command), n, "{command}: {stdout}");
    }
    assert_eq!(webhooks.len(), 15, "{stdout}");
    // After-callbacks arrive in order; a before-callback (sent at once) may overtake queued ones.
    let after: Vec<_> = webhooks.iter().filter(|(c, _)| !c.contains("CallbackBefore")).collect();
    let room = after[0].1["RoomInfo"]["RoomId"].as_str().unwrap().to_owned();
    assert_eq!(after[0].0, "Live.CallbackAfterCreateRoom", "the room's creation comes first");
    let last = webhooks.last().unwrap();
    assert_eq!(
        (last.0.as_str(), &last.1["RoomId"]),
        ("Live.CallbackAfterDestroyRoom", &json!(room)),
        "and its end last"
    );
    let sent_text = webhooks.iter().find(|(c, _)| c == "Group.CallbackAfterSendMsg").unwrap();
    assert_eq!(sent_text.1["MsgBody"][0]["MsgContent"]["Text"], json!("Welcome to the show!"));
    let gifts: Vec<&Value> = webhooks
        .iter()
        .filter(|(c, _)| c == "Live.CallbackBeforeSendGift")
        .map(|(_, b)| &b["GiftWater"]["GiftId"])
        .collect();
    assert_eq!(gifts, [&json!("rose"), &json!("yacht")]);
    assert!(stdout.contains("⇒ the handler answers RejectWith { code: PassThrough(102150)"), "{stdout}");
    assert!(stdout.contains("send_gift failed: 102150 yachts are sold out tonight"), "{stdout}");
    assert!(stdout.contains("✓ as documented: the webhook's code, SendGiftCode::Undocumented(102150)"), "{stdout}");
    assert!(stdout.contains("TotalGiftsSent\":1"), "the rose was sent, the yacht was not: {stdout}");
    assert!(
        stdout.contains("Webhooks: 15 callbacks received, signed and verified, 0 of them of a command live_api::Callback does not know; 0 requests refused"),
        "{stdout}"
    );
}

#[test]
fn the_demo_runs_against_a_configured_service_too() {
    // The standalone emulator stands in for Tencent: configured through LIVE_API_*, nobody can
    // enter rooms through the SDK, so the seat steps show the service's answer and go on.
    let emu = Standalone::start(&["--quiet"]);
    let r = ok(&mut emu.cmd(&["demo"]));
    assert!(!r.stderr.contains("embedded"), "{}", r.stderr);
    assert!(r.stdout.contains("100005"), "host-ben is not in the room: {}", r.stdout);
    assert!(r.stdout.contains("destroy_room") && r.stdout.contains("every step went as expected"), "{}", r.stdout);
    // The app's webhook configuration is not touched.
    assert!(r.stdout.contains("the demo does not touch the app's webhook configuration"), "{}", r.stdout);
    assert!(!r.stdout.contains("⇐ webhook") && !r.stdout.contains("set_callback"), "{}", r.stdout);
    let r = run(&mut emu.cmd(&["get-callback"]));
    assert_eq!(r.status, 1, "no webhook configuration was made: {}", r.stdout);
    assert!(r.stderr.contains("100301"), "{}", r.stderr);
    emu.stop();
}
