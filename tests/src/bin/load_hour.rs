//! The load driver of `perf/load-hour.sh` (issue 16.4; not a test, CI only compiles it).
//!
//! `load_hour serve-fixed [--listen ADDR]` is the floor: a bare hyper 1.x HTTP/1.1 server that
//! answers every request with the fixed envelope
//! `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RequestId":"x"}`, and prints
//! `{"url": ..}` on one line as `live-api emulator` does.
//!
//! `load_hour drive --server emulator|baseline ...` starts that server as a child process
//! (`live-api emulator --listen 127.0.0.1:0 --no-rate-limits --quiet`, or this binary's
//! `serve-fixed`), then runs `--workers` tasks (default 64) that share one [`Client`] (one
//! reqwest pool: as many keep-alive HTTP/1.1 connections as calls in flight) for `--seconds`.
//! Each task repeats a room's life: two rooms created, robots added and seated, metadata, a
//! battle between them, a mix of reads, messages and gifts, then both destroyed; so at most
//! `2 × workers` rooms are live. The client does not pace (`RateLimitMode::Off`) or retry
//! (`RetryPolicy::none()`), and the emulator runs with `--no-rate-limits`: the load measures
//! the emulator, not the limiter.
//!
//! Every `--interval` seconds (default 60) it writes one CSV line: calls, calls/s, p50/p99/max
//! latency, failures by code, the server's VmRSS (from /proc/PID/status) and the number of
//! established TCP connections to its port (from /proc/net/tcp). A failure must be an
//! `ErrorCode` the endpoint documents; anything else (a transport or decoding error, an
//! undocumented code) is printed on stderr at once and counted as `UNDOCUMENTED`, and makes the
//! exit status 1. At the end it appends a Markdown table of the phase to `--table`.
//!
//! Two options widen the load (both off by default, so the hour's command means the same):
//!
//! - `--churn N`: N more tasks that make every call over a new connection: each call builds a
//!   fresh [`Client`] (its own reqwest pool), makes its one call and drops it, which closes the
//!   connection (live_api's `ClientBuilder` has no pool setting; a fresh client is what an
//!   application that builds a client per request does). Each repeats a short room's life:
//!   create_room, set_room_metadata, get_room_info, get_room_metadata, destroy_room. Every row
//!   says how many connections they opened (calls made over a fresh client), and, to check it
//!   from the kernel's side, how many connections the network namespace accepted in the interval
//!   (`PassiveOpens` of /proc/net/snmp) and how many sockets of the server's port are in
//!   TIME_WAIT (closed in the last 60 s) in /proc/net/tcp.
//! - `--webhooks` (emulator only): starts a webhook receiver on 127.0.0.1
//!   (`live_api::webhook::bind`), points the app's callbacks at it (set_callback with every
//!   command the mix triggers: the after-callbacks of rooms, members, seats, metadata,
//!   battles and messages, and the before-callbacks of gifts and messages) and signs them with
//!   a token (set_callback_token). Its handler decodes each into `live_api::Callback` and allows
//!   it; every row counts the callbacks received, and the table ends with them by command.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write as _};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use live_api::*;
use live_api_tests::machine::load_average;

const USERS: usize = 256;
const GIFT: &str = "load-rose";
/// The emulator's queue of after-callbacks (emulator/delivery.rs, QUEUE_CAPACITY).
const QUEUE: usize = 4096;
const FIXED: &str = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RequestId":"x"}"#;

fn usage() -> ! {
    eprintln!(
        "usage: load_hour serve-fixed [--listen ADDR]\n       \
         load_hour drive --server emulator|baseline [--live-api PATH] [--seconds N] [--interval S] \
         [--workers N] [--churn N] [--webhooks] [--csv PATH] [--table PATH]"
    );
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build();
    let runtime = runtime.unwrap_or_else(|e| panic!("tokio runtime: {e}"));
    match args.first().map(String::as_str) {
        Some("serve-fixed") => runtime.block_on(serve_fixed(flag("--listen").unwrap_or("127.0.0.1:0".into()))),
        Some("drive") => {
            let number =
                |name: &str, default: u64| flag(name).map_or(default, |v| v.parse().unwrap_or_else(|_| usage()));
            let options = Options {
                server: flag("--server").unwrap_or_else(|| usage()),
                live_api: flag("--live-api").unwrap_or("target/release/live-api".into()),
                seconds: number("--seconds", 3600),
                interval: number("--interval", 60).max(1),
                workers: number("--workers", 64).max(1) as usize,
                churn: number("--churn", 0) as usize,
                webhooks: args.iter().any(|a| a == "--webhooks"),
                csv: flag("--csv"),
                table: flag("--table"),
            };
            let clean = runtime.block_on(drive(options));
            std::process::exit(if clean { 0 } else { 1 });
        }
        _ => usage(),
    }
}

struct Options {
    server: String,
    live_api: String,
    seconds: u64,
    interval: u64,
    workers: usize,
    /// Tasks that open a new connection for every call.
    churn: usize,
    /// Whether the emulator's callbacks go to a receiver of this process.
    webhooks: bool,
    csv: Option<String>,
    table: Option<String>,
}

// ---- the floor: a bare hyper server ----

async fn serve_fixed(listen: String) {
    use http_body_util::Full;
    use hyper::body::Bytes;
    use hyper_util::rt::TokioIo;

    let listener = tokio::net::TcpListener::bind(&listen).await.unwrap_or_else(|e| panic!("bind {listen}: {e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("local address: {e}"));
    println!("{}", serde_json::json!({ "url": format!("http://{addr}") }));
    let _ = std::io::stdout().flush();
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(|_req| async {
                let mut answer = hyper::Response::new(Full::new(Bytes::from_static(FIXED.as_bytes())));
                answer
                    .headers_mut()
                    .insert("content-type", hyper::header::HeaderValue::from_static("application/json"));
                Ok::<_, std::convert::Infallible>(answer)
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

// ---- the driver ----

/// The calls of one interval.
#[derive(Default)]
struct Window {
    latencies_us: Vec<u32>,
    /// `code Name` (or `UNDOCUMENTED kind`) → count.
    failures: BTreeMap<String, u64>,
}

/// How to build a client of the server: the churn tasks build one per call.
struct Settings {
    url: String,
    sdk_app_id: u64,
    key: String,
    admin: String,
}

impl Settings {
    fn client(&self) -> Client {
        Client::builder()
            .sdk_app_id(self.sdk_app_id)
            .secret_key(self.key.clone())
            .admin(self.admin.clone())
            .base_url(self.url.clone())
            .rate_limit(RateLimitMode::Off)
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap_or_else(|e| panic!("client: {e}"))
    }
}

struct Shared {
    client: Client,
    settings: Settings,
    /// Connections the churn tasks opened (calls made over a fresh client), this interval.
    opened: AtomicU64,
    /// Callbacks received, this interval, and by command over the phase.
    callbacks: AtomicU64,
    by_command: Mutex<BTreeMap<String, u64>>,
    /// Webhook requests the receiver refused (a bad signature, app or body).
    refused: AtomicU64,
    window: Mutex<Window>,
    stop: AtomicBool,
    undocumented: AtomicU64,
    live_rooms: AtomicI64,
    /// Rooms created over the phase (each one's Live.CallbackAfterCreateRoom is due).
    rooms_created: AtomicU64,
    total_calls: AtomicU64,
}

impl Shared {
    /// Makes one call, timing it and counting its failure. `Some` when it succeeded.
    async fn call<E: Endpoint>(&self, request: E) -> Option<E::Response> {
        self.call_on(&self.client, request).await
    }

    /// Makes one call over a connection of its own: a fresh client, dropped after the call
    /// (which closes its connection).
    async fn call_fresh<E: Endpoint>(&self, request: E) -> Option<E::Response> {
        let client = self.settings.client();
        let answer = self.call_on(&client, request).await;
        self.opened.fetch_add(1, Ordering::Relaxed);
        answer
    }

    async fn call_on<E: Endpoint>(&self, client: &Client, request: E) -> Option<E::Response> {
        let started = Instant::now();
        let outcome = client.call(request).await;
        let us = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
        self.total_calls.fetch_add(1, Ordering::Relaxed);
        let failure = match &outcome {
            Ok(_) => None,
            Err(Error::Api(e)) if e.code.name() != "Undocumented" => {
                Some(format!("{} {}", e.code.code(), e.code.name()))
            }
            Err(e) => {
                let kind = match e {
                    Error::Api(_) => "code",
                    Error::Invalid(_) => "invalid",
                    Error::Answer(_) => "answer",
                    Error::Transport(_) => "transport",
                    Error::RateLimited(_) => "rate-limited",
                    Error::Limiter(_) => "limiter",
                    _ => "other",
                };
                if self.undocumented.fetch_add(1, Ordering::Relaxed) < 20 {
                    eprintln!("UNDOCUMENTED FAILURE ({kind}) of {}: {e}", e.endpoint());
                }
                Some(format!("UNDOCUMENTED {kind}"))
            }
        };
        let mut w = self.window.lock().unwrap_or_else(|e| e.into_inner());
        w.latencies_us.push(us);
        if let Some(f) = failure {
            if !f.starts_with("UNDOCUMENTED") {
                // documented, but the mix is built to make none: say which endpoint
                *w.failures
                    .entry(format!("{f} ({})", std::any::type_name::<E>().rsplit("::").next().unwrap_or("")))
                    .or_default() += 1;
            } else {
                *w.failures.entry(f).or_default() += 1;
            }
        }
        outcome.ok()
    }
}

fn user(i: usize) -> String {
    format!("load-user-{}", i % USERS)
}

/// One task: rooms' lives, one after the other, until told to stop.
async fn worker(s: Arc<Shared>, w: usize) {
    let mut rng = fastrand::Rng::with_seed(w as u64);
    let mut life = 0u64;
    while !s.stop.load(Ordering::Relaxed) {
        life += 1;
        let (a, b) = (format!("load-{w}-{life}-a"), format!("load-{w}-{life}-b"));
        let (owner, guest, bot1, bot2) = (user(w * 4), user(w * 4 + 1), user(w * 4 + 2), user(w * 4 + 3));
        let info = RoomInfo::new(a.clone(), RoomType::Live)
            .owner_account(owner.clone())
            .is_seat_enabled(true)
            .max_seat_count(4);
        let created_a = s.call(CreateRoom::new(info)).await.is_some();
        let created_b =
            s.call(CreateRoom::new(RoomInfo::new(b.clone(), RoomType::Live).owner_account(guest))).await.is_some();
        s.live_rooms.fetch_add(i64::from(created_a) + i64::from(created_b), Ordering::Relaxed);
        s.rooms_created.fetch_add(u64::from(created_a) + u64::from(created_b), Ordering::Relaxed);
        s.call(AddRobot::new(a.clone(), vec![bot1.clone(), bot2.clone()])).await;
        s.call(PickUserOnSeat::new(a.clone(), 1, bot1.clone())).await;
        s.call(PickUserOnSeat::new(a.clone(), 2, bot2.clone())).await;
        s.call(SetRoomMetadata::new(a.clone(), vec![MetadataItem::new("topic", format!("life {life}"))])).await;
        s.call(CreateBattle::new(a.clone(), vec![b.clone()], 1000)).await;
        for _ in 0..20 {
            match rng.u8(0..10) {
                0 => {
                    s.call(GetRoomInfo::new(a.clone())).await;
                }
                1 => {
                    s.call(GetRoomList::new("", 10)).await;
                }
                2 => {
                    s.call(GetMemberList::new(a.clone(), "")).await;
                }
                3 => {
                    s.call(GetSeatList::new(a.clone())).await;
                }
                4 => {
                    s.call(SendTextMsg::new(a.clone(), bot1.clone(), "hello")).await;
                }
                5 => {
                    s.call(SendGift::new(a.clone(), GIFT, bot1.clone(), vec![owner.clone()])).await;
                }
                6 => {
                    s.call(GetRoomMetadata::new(a.clone(), Vec::<String>::new())).await;
                }
                7 => {
                    s.call(GetRoomStats::new(a.clone())).await;
                }
                8 => {
                    s.call(MuteMember::new(a.clone(), vec![bot2.clone()], 60)).await;
                }
                _ => {
                    s.call(SetRoomMetadata::new(a.clone(), vec![MetadataItem::new("n", rng.u32(..).to_string())]))
                        .await;
                }
            }
        }
        s.call(KickUserOffSeat::new(a.clone(), bot1.clone(), "bye")).await;
        s.call(DelRobot::new(a.clone(), vec![bot1, bot2])).await;
        let gone_a = s.call(DestroyRoom::new(a)).await.is_some();
        let gone_b = s.call(DestroyRoom::new(b)).await.is_some();
        s.live_rooms.fetch_sub(i64::from(gone_a) + i64::from(gone_b), Ordering::Relaxed);
    }
}

/// A churn task: short rooms' lives, every call over a new connection.
async fn churner(s: Arc<Shared>, c: usize) {
    let mut life = 0u64;
    while !s.stop.load(Ordering::Relaxed) {
        life += 1;
        let room = format!("churn-{c}-{life}");
        let info = RoomInfo::new(room.clone(), RoomType::Live).owner_account(user(c * 7 + 1));
        let created = s.call_fresh(CreateRoom::new(info)).await.is_some();
        s.live_rooms.fetch_add(i64::from(created), Ordering::Relaxed);
        s.rooms_created.fetch_add(u64::from(created), Ordering::Relaxed);
        s.call_fresh(SetRoomMetadata::new(room.clone(), vec![MetadataItem::new("life", life.to_string())])).await;
        s.call_fresh(GetRoomInfo::new(room.clone())).await;
        s.call_fresh(GetRoomMetadata::new(room.clone(), Vec::<String>::new())).await;
        let gone = s.call_fresh(DestroyRoom::new(room)).await.is_some();
        s.live_rooms.fetch_sub(i64::from(gone), Ordering::Relaxed);
    }
}

/// The commands the mix triggers, for `--webhooks`.
const COMMANDS: [CallbackCommand; 11] = [
    CallbackCommand::LiveCallbackAfterCreateRoom,
    CallbackCommand::LiveCallbackAfterDestroyRoom,
    CallbackCommand::LiveCallbackAfterSetMetadata,
    CallbackCommand::LiveCallbackAfterMemberStateChanged,
    CallbackCommand::MicCallbackAfterSeatInfoChanged,
    CallbackCommand::LiveCallbackAfterCreateBattle,
    CallbackCommand::LiveCallbackAfterStartBattle,
    CallbackCommand::LiveCallbackAfterEndBattle,
    CallbackCommand::LiveCallbackBeforeSendGift,
    CallbackCommand::GroupCallbackBeforeSendMsg,
    CallbackCommand::GroupCallbackAfterSendMsg,
];

/// Starts the webhook receiver and points the app's callbacks at it, signed with a token of
/// this run. The receiver lives as long as the returned server.
async fn start_webhooks(s: &Arc<Shared>) -> live_api::server::HttpServer {
    use live_api::callback::{CallbackSet, Reply};
    use live_api::webhook::{self, Delivery, Receiver};

    let token = format!("load-{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..));
    let refused = s.clone();
    let receiver = Receiver::new(s.settings.sdk_app_id).token(token.clone()).on_rejection(move |r| {
        if refused.refused.fetch_add(1, Ordering::Relaxed) < 20 {
            eprintln!("WEBHOOK REFUSED ({}): {r}", r.status());
        }
    });
    let counts = s.clone();
    let handler = move |d: Delivery<Callback>| {
        counts.callbacks.fetch_add(1, Ordering::Relaxed);
        let command = if matches!(d.callback, Callback::Unknown(_)) {
            format!("unknown {}", d.callback.command())
        } else {
            d.callback.command().to_string()
        };
        *counts.by_command.lock().unwrap_or_else(|e| e.into_inner()).entry(command).or_default() += 1;
        // 0: received (after-callbacks), allowed (the gifts and messages)
        std::future::ready(Reply::ok())
    };
    let server =
        webhook::bind("127.0.0.1:0", receiver, handler).await.unwrap_or_else(|e| panic!("the webhook receiver: {e}"));
    let url = format!("{}/load/webhook", server.url());
    s.client.call(SetCallback::new(url, COMMANDS.to_vec())).await.unwrap_or_else(|e| panic!("set_callback: {e}"));
    s.client
        .call(SetCallbackToken::new().token(token).is_token_enable(true))
        .await
        .unwrap_or_else(|e| panic!("set_callback_token: {e}"));
    server
}

/// The server's URL and the credentials it accepts, from its ready line (the baseline checks none).
struct Ready {
    url: String,
    sdk_app_id: u64,
    key: String,
    admin: String,
}

fn spawn_server(o: &Options) -> (Child, Ready) {
    let mut command = match o.server.as_str() {
        "emulator" => {
            let mut c = Command::new(&o.live_api);
            c.args(["emulator", "--listen", "127.0.0.1:0", "--no-rate-limits", "--quiet"]);
            c
        }
        "baseline" => {
            let me = std::env::current_exe().unwrap_or_else(|e| panic!("current exe: {e}"));
            let mut c = Command::new(me);
            c.args(["serve-fixed", "--listen", "127.0.0.1:0"]);
            c
        }
        _ => usage(),
    };
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().unwrap_or_else(|e| {
        eprintln!("cannot start the {} server: {e}", o.server);
        std::process::exit(2)
    });
    let mut line = String::new();
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let _ = BufReader::new(stdout).read_line(&mut line);
    let ready: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("ready line {line:?}: {e}"));
    let text = |k: &str, default: &str| ready[k].as_str().unwrap_or(default).to_owned();
    let url = ready["url"].as_str().unwrap_or_else(|| panic!("no url in {line:?}")).to_owned();
    let ready = Ready {
        url,
        sdk_app_id: ready["sdkappid"].as_u64().unwrap_or(1_400_000_000),
        key: text("secret_key", "baseline-key"),
        admin: text("admin", "administrator"),
    };
    (child, ready)
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// TCP sockets in `state` (/proc/net/tcp's code: "01" established, "06" TIME_WAIT) whose local
/// port is `port`, or with `either_end` whose local or remote port is.
fn sockets_of(port: u16, state: &str, either_end: bool) -> usize {
    let tcp = std::fs::read_to_string("/proc/net/tcp").unwrap_or_default();
    let wanted = format!(":{port:04X}");
    tcp.lines()
        .skip(1)
        .filter(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            f.len() > 3 && (f[1].ends_with(&wanted) || (either_end && f[2].ends_with(&wanted))) && f[3] == state
        })
        .count()
}

/// Established TCP connections whose local port is `port` (the server's side).
fn established_to(port: u16) -> usize {
    sockets_of(port, "01", false)
}

/// Sockets in TIME_WAIT (closed, the last 60 s) with `port` at either end.
fn time_wait_of(port: u16) -> usize {
    sockets_of(port, "06", true)
}

/// Connections accepted so far in this network namespace (`Tcp: PassiveOpens` of /proc/net/snmp).
fn passive_opens() -> u64 {
    let snmp = std::fs::read_to_string("/proc/net/snmp").unwrap_or_default();
    let mut tcp = snmp.lines().filter(|l| l.starts_with("Tcp:"));
    let (Some(names), Some(values)) = (tcp.next(), tcp.next()) else { return 0 };
    names
        .split_whitespace()
        .zip(values.split_whitespace())
        .find(|(n, _)| *n == "PassiveOpens")
        .map_or(0, |(_, v)| v.parse().unwrap_or(0))
}

fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

struct Row {
    minute: u64,
    calls: u64,
    per_s: f64,
    p50: u32,
    p99: u32,
    max: u32,
    failures: String,
    rss: u64,
    conns: usize,
    /// Connections the churn tasks opened.
    opened: u64,
    /// Connections the network namespace accepted (PassiveOpens).
    accepted: u64,
    /// Sockets of the server's port in TIME_WAIT.
    time_wait: usize,
    callbacks: u64,
    rooms: i64,
    load: String,
}

const CSV_HEADER: &str = "phase,interval,calls,calls_per_s,p50_us,p99_us,max_us,failures,rss_kib,connections,live_rooms,loadavg,\
     opened,accepted,time_wait,callbacks";

async fn drive(o: Options) -> bool {
    let (mut child, ready) = spawn_server(&o);
    let url = ready.url;
    let pid = child.id();
    let port: u16 = url.rsplit(':').next().and_then(|p| p.trim_end_matches('/').parse().ok()).unwrap_or(0);
    let settings = Settings { url: url.clone(), sdk_app_id: ready.sdk_app_id, key: ready.key, admin: ready.admin };
    let s = Arc::new(Shared {
        client: settings.client(),
        settings,
        opened: AtomicU64::new(0),
        callbacks: AtomicU64::new(0),
        by_command: Mutex::default(),
        refused: AtomicU64::new(0),
        window: Mutex::default(),
        stop: AtomicBool::new(false),
        undocumented: AtomicU64::new(0),
        live_rooms: AtomicI64::new(0),
        rooms_created: AtomicU64::new(0),
        total_calls: AtomicU64::new(0),
    });
    eprintln!(
        "load_hour: {} at {url} (pid {pid}), {} workers, {} churn tasks, webhooks {}, {} s, sampled every {} s",
        o.server,
        o.workers,
        o.churn,
        if o.webhooks { "on" } else { "off" },
        o.seconds,
        o.interval
    );

    // Setup: the accounts and the gift the rooms use (not timed).
    for chunk in (0..USERS).collect::<Vec<_>>().chunks(100) {
        let r = s
            .client
            .call(MultiaccountImport::new().accounts(chunk.iter().map(|&i| user(i)).collect::<Vec<String>>()))
            .await;
        r.unwrap_or_else(|e| panic!("importing the accounts: {e}"));
    }
    s.client.call(AddGift::new(GIFT, 3, "Rose")).await.unwrap_or_else(|e| panic!("adding the gift: {e}"));
    let webhooks = if o.webhooks && o.server == "emulator" { Some(start_webhooks(&s).await) } else { None };
    let rss_start = rss_kib(pid);

    let mut csv = o.csv.as_ref().map(|p| {
        let fresh = std::fs::metadata(p).map_or(true, |m| m.len() == 0);
        let mut f =
            std::fs::OpenOptions::new().create(true).append(true).open(p).unwrap_or_else(|e| panic!("{p}: {e}"));
        if fresh {
            let _ = writeln!(f, "{CSV_HEADER}");
        }
        f
    });
    let mut workers: Vec<_> = (0..o.workers).map(|w| tokio::spawn(worker(s.clone(), w))).collect();
    workers.extend((0..o.churn).map(|c| tokio::spawn(churner(s.clone(), c))));
    s.opened.store(0, Ordering::Relaxed);
    s.callbacks.store(0, Ordering::Relaxed);
    let mut accepted_before = passive_opens();
    let start = Instant::now();
    let mut rows = Vec::new();
    let mut last = start;
    let mut n = 0u64;
    while start.elapsed().as_secs() < o.seconds {
        let next = (n + 1) * o.interval;
        let until = start + Duration::from_secs(next.min(o.seconds));
        tokio::time::sleep_until(until.into()).await;
        n += 1;
        let window = std::mem::take(&mut *s.window.lock().unwrap_or_else(|e| e.into_inner()));
        let now = Instant::now();
        let elapsed = now.duration_since(last).as_secs_f64();
        last = now;
        let mut lat = window.latencies_us;
        lat.sort_unstable();
        let accepted_now = passive_opens();
        let accepted = accepted_now.saturating_sub(accepted_before);
        accepted_before = accepted_now;
        let failures = window.failures.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("; ");
        let row = Row {
            minute: n,
            calls: lat.len() as u64,
            per_s: lat.len() as f64 / elapsed,
            p50: percentile(&lat, 0.50),
            p99: percentile(&lat, 0.99),
            max: lat.last().copied().unwrap_or(0),
            failures: if failures.is_empty() { "none".into() } else { failures },
            rss: rss_kib(pid),
            conns: established_to(port),
            opened: s.opened.swap(0, Ordering::Relaxed),
            accepted,
            time_wait: time_wait_of(port),
            callbacks: s.callbacks.swap(0, Ordering::Relaxed),
            rooms: s.live_rooms.load(Ordering::Relaxed),
            load: load_average(),
        };
        let line = format!(
            "{},{},{},{:.0},{},{},{},\"{}\",{},{},{},{},{},{},{},{}",
            o.server,
            row.minute,
            row.calls,
            row.per_s,
            row.p50,
            row.p99,
            row.max,
            row.failures,
            row.rss,
            row.conns,
            row.rooms,
            row.load,
            row.opened,
            row.accepted,
            row.time_wait,
            row.callbacks
        );
        eprintln!("{line}");
        if let Some(f) = csv.as_mut() {
            let _ = writeln!(f, "{line}");
        }
        rows.push(row);
    }
    s.stop.store(true, Ordering::Relaxed);
    for w in workers {
        let _ = w.await;
    }
    let rooms_left = s.live_rooms.load(Ordering::Relaxed);
    // the last after-callbacks are still queued in the emulator: give them a moment
    if webhooks.is_some() {
        tokio::time::sleep(Duration::from_secs(3)).await;
    }
    let rss_end = rss_kib(pid);
    let _ = child.kill();
    let _ = child.wait();

    let undocumented = s.undocumented.load(Ordering::Relaxed);
    let total = s.total_calls.load(Ordering::Relaxed);
    let mut table = String::new();
    let _ = writeln!(
        table,
        "\n### {} ({} workers, {} s, one row per {} s; RSS after setup {} KiB, after the last call {} KiB; \
         {} rooms left; {total} calls; {undocumented} undocumented failures)\n",
        o.server, o.workers, o.seconds, o.interval, rss_start, rss_end, rooms_left
    );
    let _ = writeln!(
        table,
        "| # | calls/s | p50 µs | p99 µs | max µs | RSS KiB | conns | new conns | accepted | TIME_WAIT | callbacks \
         | rooms | load | failures |"
    );
    let _ = writeln!(table, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for r in &rows {
        let _ = writeln!(
            table,
            "| {} | {:.0} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.minute,
            r.per_s,
            r.p50,
            r.p99,
            r.max,
            r.rss,
            r.conns,
            r.opened,
            r.accepted,
            r.time_wait,
            r.callbacks,
            r.rooms,
            r.load,
            r.failures
        );
    }
    let refused = s.refused.load(Ordering::Relaxed);
    if webhooks.is_some() {
        let by_command = s.by_command.lock().unwrap_or_else(|e| e.into_inner());
        let total: u64 = by_command.values().sum();
        let list = by_command.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ");
        let created = s.rooms_created.load(Ordering::Relaxed);
        let _ = writeln!(
            table,
            "\nCallbacks received: {total} ({list}); {refused} webhook requests refused; {created} rooms created \
             (as many Live.CallbackAfterCreateRoom were due: the emulator drops after-callbacks when its queue of \
             {QUEUE} is full)."
        );
    }
    drop(webhooks);
    print!("{table}");
    if let Some(p) = &o.table {
        let f = std::fs::OpenOptions::new().create(true).append(true).open(p);
        let _ = f.map(|mut f| f.write_all(table.as_bytes()));
    }
    if undocumented > 0 {
        eprintln!("load_hour: {undocumented} UNDOCUMENTED FAILURES (see above)");
    }
    undocumented == 0 && refused == 0
}
