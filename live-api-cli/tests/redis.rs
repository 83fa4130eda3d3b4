//! `live-api` with `LIVE_API_RATE_LIMIT_REDIS`: CLI processes started together against one
//! `live-api emulator` share the SDKAppID's quota through a `redis-server` of the test's own
//! (127.0.0.1, ephemeral port; see live_api_tests::redis), and without it are throttled; a bad
//! configuration is one error listing every problem; the password of the URL is never shown.

mod common;

use common::live_api;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

use live_api_tests::redis::RedisServer;
use serde_json::Value;

/// The throttling codes the emulator answers (the REST-wide one, mixing's, gift configuration's).
const THROTTLING: [&str; 3] = ["60007", "100422", "100012"];
const PASSWORD: &str = "s3cr3t-pw";

/// `live-api emulator` on an ephemeral port, rate limits on; it logs every call on stderr.
struct Standalone {
    child: Child,
    config: Value,
}

impl Standalone {
    fn start() -> Standalone {
        let mut child = live_api(&["emulator", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let _ = BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut line);
        let mut emu = Standalone { child, config: Value::Null };
        emu.config = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
        emu
    }

    /// `live-api` configured to call this emulator.
    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = live_api(args);
        cmd.env("LIVE_API_BASE_URL", self.config["url"].as_str().unwrap())
            .env("LIVE_API_SDKAPPID", self.config["sdkappid"].to_string())
            .env("LIVE_API_SECRET_KEY", self.config["secret_key"].as_str().unwrap())
            .env("LIVE_API_ADMIN", self.config["admin"].as_str().unwrap());
        cmd
    }

    /// Stops it; the answers it logged, as (ok, throttled).
    fn stop(mut self) -> (usize, usize) {
        let _ = self.child.kill();
        let mut log = String::new();
        self.child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
        let answers: Vec<&str> = log.lines().filter_map(|l| l.split_once(" → ").map(|(_, a)| a)).collect();
        let ok = answers.iter().filter(|a| a.starts_with("ok")).count();
        let throttled = answers.iter().filter(|a| THROTTLING.iter().any(|c| a.starts_with(&format!("{c} ")))).count();
        (ok, throttled)
    }
}

impl Drop for Standalone {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const PROCESSES: usize = 5;

/// `PROCESSES` `live-api call live_engine_http_srv/add_gift` processes started together (a gift
/// configuration endpoint: 1 call per second per SDKAppID), each adding its own gift; the
/// stderr of those that failed.
fn add_gifts_together(emu: &Standalone, redis: Option<&str>) -> Vec<String> {
    let children: Vec<_> = (0..PROCESSES)
        .map(|i| {
            let body = format!(r#"{{"GiftId":"g{i}","Coins":1,"DefaultName":"rose"}}"#);
            let mut cmd = emu.cmd(&["call", "live_engine_http_srv/add_gift", "--json", &body]);
            if let Some(url) = redis {
                cmd.env("LIVE_API_RATE_LIMIT_REDIS", url);
            }
            cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()
        })
        .collect();
    let outputs = children.into_iter().map(|child| child.wait_with_output().unwrap());
    outputs.filter(|o| !o.status.success()).map(|o| String::from_utf8_lossy(&o.stderr).into_owned()).collect()
}

#[test]
fn cli_processes_share_one_quota_through_redis_and_without_it_are_throttled() {
    let server = RedisServer::start();
    let emu = Standalone::start();
    let app = emu.config["sdkappid"].to_string();
    assert_eq!(add_gifts_together(&emu, Some(&server.url())), Vec::<String>::new(), "failed through Redis");
    // Every process reserved its slot through Redis (the group's process set lasts 10 s).
    let processes = format!("live-api:processes:{app}:live_engine_http_srv/add_gift");
    assert_eq!(server.integer(&["ZCARD", &processes]), PROCESSES as i64, "not every CLI process went through Redis");
    let (ok, throttled) = emu.stop();
    assert_eq!((ok, throttled), (PROCESSES, 0), "through Redis: answers ok and throttled");

    // The same processes, each pacing itself: the emulator throttles them, and the retries
    // cannot always hide it.
    let emu = Standalone::start();
    let failed = add_gifts_together(&emu, None).len();
    let (ok, throttled) = emu.stop();
    eprintln!("without Redis: {ok} gifts added, {throttled} throttling answers, {failed} processes failed");
    assert_eq!(ok + failed, PROCESSES, "a process that failed added its gift, or one that succeeded did not");
    assert!(throttled > 0, "{PROCESSES} processes together were not throttled without Redis: the test shows nothing");
}

#[test]
fn a_bad_redis_configuration_is_one_error_listing_every_problem_and_never_shows_the_password() {
    let emu = Standalone::start();
    let list = ["call", "live_engine_http_srv/get_room_list", "--json", r#"{"Next":"","Count":5}"#];
    let out = emu
        .cmd(&list)
        .env("LIVE_API_RATE_LIMIT_REDIS", format!("http://ops:{PASSWORD}@127.0.0.1:6390/0"))
        .env("LIVE_API_RATE_LIMIT_REDIS_ON_FAILURE", "maybe")
        .env("LIVE_API_TIMEOUT", "-1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    for says in ["LIVE_API_RATE_LIMIT_REDIS: ", "LIVE_API_RATE_LIMIT_REDIS_ON_FAILURE", "LIVE_API_TIMEOUT", "redis://"]
    {
        assert!(stderr.contains(says), "stderr should say {says:?}: {stderr}");
    }
    assert!(!stderr.contains(PASSWORD), "{stderr}");

    // A Redis that does not answer: with the default, the call is paced locally and the warning
    // shows the URL without its password; with `fail`, the error does not show it either.
    let mut server = RedisServer::start();
    let url = format!("redis://ops:{PASSWORD}@127.0.0.1:{}/0", server.port());
    server.stop();
    let out = emu.cmd(&list).env("LIVE_API_RATE_LIMIT_REDIS", &url).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("Redis does not answer") && stderr.contains("redis://***@127.0.0.1"), "{stderr}");
    assert!(!stderr.contains(PASSWORD), "{stderr}");
    let out = emu
        .cmd(&list)
        .env("LIVE_API_RATE_LIMIT_REDIS", &url)
        .env("LIVE_API_RATE_LIMIT_REDIS_ON_FAILURE", "fail")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("nothing was sent") && stderr.contains("redis://***@127.0.0.1"), "{stderr}");
    assert!(!stderr.contains(PASSWORD) && out.stdout.is_empty(), "{stderr}");
    let (ok, _) = emu.stop();
    assert_eq!(ok, 1, "only the locally paced call was sent");
}
