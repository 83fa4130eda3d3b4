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

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write as _};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use live_api::*;

const USERS: usize = 256;
const GIFT: &str = "load-rose";
const FIXED: &str = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RequestId":"x"}"#;

fn usage() -> ! {
    eprintln!(
        "usage: load_hour serve-fixed [--listen ADDR]\n       \
         load_hour drive --server emulator|baseline [--live-api PATH] [--seconds N] [--interval S] \
         [--workers N] [--csv PATH] [--table PATH]"
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

struct Shared {
    client: Client,
    window: Mutex<Window>,
    stop: AtomicBool,
    undocumented: AtomicU64,
    live_rooms: AtomicI64,
    total_calls: AtomicU64,
}

impl Shared {
    /// Makes one call, timing it and counting its failure. `Some` when it succeeded.
    async fn call<E: Endpoint>(&self, request: E) -> Option<E::Response> {
        let started = Instant::now();
        let outcome = self.client.call(request).await;
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

/// Established TCP connections whose local port is `port` (the server's side), from /proc/net/tcp.
fn established_to(port: u16) -> usize {
    let tcp = std::fs::read_to_string("/proc/net/tcp").unwrap_or_default();
    let wanted = format!(":{port:04X}");
    tcp.lines()
        .skip(1)
        .filter(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            f.len() > 3 && f[1].ends_with(&wanted) && f[3] == "01"
        })
        .count()
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
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
    rooms: i64,
    load: String,
}

const CSV_HEADER: &str =
    "phase,interval,calls,calls_per_s,p50_us,p99_us,max_us,failures,rss_kib,connections,live_rooms,loadavg";

async fn drive(o: Options) -> bool {
    let (mut child, ready) = spawn_server(&o);
    let url = ready.url;
    let pid = child.id();
    let port: u16 = url.rsplit(':').next().and_then(|p| p.trim_end_matches('/').parse().ok()).unwrap_or(0);
    let client = Client::builder()
        .sdk_app_id(ready.sdk_app_id)
        .secret_key(ready.key)
        .admin(ready.admin)
        .base_url(url.clone())
        .rate_limit(RateLimitMode::Off)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap_or_else(|e| panic!("client: {e}"));
    let s = Arc::new(Shared {
        client,
        window: Mutex::default(),
        stop: AtomicBool::new(false),
        undocumented: AtomicU64::new(0),
        live_rooms: AtomicI64::new(0),
        total_calls: AtomicU64::new(0),
    });
    eprintln!(
        "load_hour: {} at {url} (pid {pid}), {} workers, {} s, sampled every {} s",
        o.server, o.workers, o.seconds, o.interval
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
    let workers: Vec<_> = (0..o.workers).map(|w| tokio::spawn(worker(s.clone(), w))).collect();
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
            rooms: s.live_rooms.load(Ordering::Relaxed),
            load: loadavg(),
        };
        let line = format!(
            "{},{},{},{:.0},{},{},{},\"{}\",{},{},{},{}",
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
            row.load
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
    let _ = writeln!(table, "| # | calls/s | p50 µs | p99 µs | max µs | RSS KiB | conns | rooms | load | failures |");
    let _ = writeln!(table, "|---|---|---|---|---|---|---|---|---|---|");
    for r in &rows {
        let _ = writeln!(
            table,
            "| {} | {:.0} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.minute, r.per_s, r.p50, r.p99, r.max, r.rss, r.conns, r.rooms, r.load, r.failures
        );
    }
    print!("{table}");
    if let Some(p) = &o.table {
        let f = std::fs::OpenOptions::new().create(true).append(true).open(p);
        let _ = f.map(|mut f| f.write_all(table.as_bytes()));
    }
    if undocumented > 0 {
        eprintln!("load_hour: {undocumented} UNDOCUMENTED FAILURES (see above)");
    }
    undocumented == 0
}
