//! A `redis-server` of the test's own on 127.0.0.1 with an ephemeral port, stopped when dropped.
//!
//! When `redis-server` is not on PATH, the first start runs `.ci/provision` (the script `.ci/run`
//! runs too): it installs Debian's `redis-server` package as root with apt-get, and otherwise
//! stops with one message naming what to install, which the test reports as its failure. The
//! tests are never skipped for want of Redis.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// A running `redis-server`.
pub struct RedisServer {
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
}

/// `redis-server` is on PATH, provisioned if needed; `Err` holds why it cannot be.
fn provisioned() -> Result<(), String> {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    READY
        .get_or_init(|| {
            if runs("redis-server") {
                return Ok(());
            }
            let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci/provision");
            let out = Command::new("bash").arg(&script).stdin(Stdio::null()).output();
            match out {
                Ok(o) if o.status.success() && runs("redis-server") => Ok(()),
                Ok(o) => Err(String::from_utf8_lossy(&o.stderr).trim().to_owned()),
                Err(e) => Err(format!("cannot run {}: {e}", script.display())),
            }
        })
        .clone()
}

fn runs(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl RedisServer {
    /// Starts a server on a free port of 127.0.0.1 (panics, naming what is missing, when it
    /// cannot).
    pub fn start() -> RedisServer {
        let mut last = String::new();
        for _ in 0..3 {
            match RedisServer::start_on(free_port()) {
                Ok(s) => return s,
                Err(e) => last = e,
            }
        }
        panic!("cannot start redis-server: {last}");
    }

    /// Starts a server on `port` of 127.0.0.1 (to bring a stopped one back where clients expect it).
    pub fn start_on(port: u16) -> Result<RedisServer, String> {
        provisioned()?;
        let dir = std::env::temp_dir().join(format!("live-api-redis-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run redis-server: {e}"))?;
        let mut server = RedisServer { child: Some(child), port, dir };
        let until = Instant::now() + Duration::from_secs(10);
        while Instant::now() < until {
            if server.ping() {
                return Ok(server);
            }
            if let Some(status) = server.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                return Err(format!("redis-server exited at start ({status}) on port {port}"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        server.stop();
        Err(format!("redis-server did not answer PING on port {port} within 10 s"))
    }

    /// Whether it answers PING.
    pub fn ping(&self) -> bool {
        let Ok(mut s) = TcpStream::connect(("127.0.0.1", self.port)) else { return false };
        let _ = s.set_read_timeout(Some(Duration::from_secs(1)));
        let mut buf = [0u8; 7];
        s.write_all(b"PING\r\n").is_ok() && s.read_exact(&mut buf).is_ok() && &buf == b"+PONG\r\n"
    }

    /// The answer to a command whose answer is an integer (`EXISTS`, `ZCARD`, …).
    pub fn integer(&self, args: &[&str]) -> i64 {
        let answer = self.query(args);
        let n = answer.strip_prefix(':').and_then(|n| n.parse().ok());
        n.unwrap_or_else(|| panic!("{args:?} answered {answer:?}, not an integer"))
    }

    /// The text of `INFO section` (`field:value` lines).
    pub fn info(&self, section: &str) -> String {
        let answer = self.query(&["INFO", section]);
        answer.strip_prefix('$').unwrap_or_else(|| panic!("INFO answered {answer:?}")).to_owned()
    }

    /// One command, and its answer: the first line of it (`:3`, `+OK`, `-ERR …`), or `$` and the
    /// text of a bulk string.
    fn query(&self, args: &[&str]) -> String {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to redis-server");
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut request = format!("*{}\r\n", args.len());
        for a in args {
            request.push_str(&format!("${}\r\n{a}\r\n", a.len()));
        }
        (&stream).write_all(request.as_bytes()).unwrap();
        let mut reader = BufReader::new(&stream);
        let mut line = String::new();
        reader.read_line(&mut line).expect("an answer from redis-server");
        let line = line.trim_end().to_owned();
        let Some(len) = line.strip_prefix('$').and_then(|n| n.parse::<usize>().ok()) else { return line };
        let mut bulk = vec![0; len + 2];
        reader.read_exact(&mut bulk).expect("the rest of the answer");
        bulk.truncate(len);
        format!("${}", String::from_utf8_lossy(&bulk))
    }

    /// Its port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `redis://127.0.0.1:PORT/0`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// Stops it (SIGSTOP) without closing its connections: a hung Redis, which accepts requests
    /// and answers none until [`thaw`](Self::thaw).
    pub fn freeze(&self) {
        self.signal("-STOP");
    }

    /// Lets a frozen server go on (SIGCONT); it answers what it was sent meanwhile.
    pub fn thaw(&self) {
        self.signal("-CONT");
    }

    fn signal(&self, signal: &str) {
        let pid = self.child.as_ref().expect("the server is running").id().to_string();
        let status = Command::new("kill").args([signal, &pid]).status().expect("run kill");
        assert!(status.success(), "kill {signal} {pid}: {status}");
    }

    /// Kills it and waits for it to exit.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}
