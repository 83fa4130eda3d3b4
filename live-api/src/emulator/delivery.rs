//! Sending callbacks over HTTP: the documented query, the signature, the 2 s timeout, and the
//! rule that only loopback addresses are ever called.
//!
//! After-callbacks go through one queue per application, sent one at a time in the order the
//! events happened, by a task of their own: a receiver that hangs delays the later callbacks of
//! its application (2 s each at most), never an API call. The queue holds at most
//! [`QUEUE_CAPACITY`] callbacks: when the receiver cannot keep up with the calls, the newer
//! callbacks are dropped (and logged) rather than kept without bound, as their answers are
//! ignored anyway. Before-callbacks are sent by the call that waits for them ([`Delivery::send`]).

use std::fmt;
use std::net::IpAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};
use tokio::sync::mpsc;

use crate::callback::Reply;
use crate::secret::Secret;

/// How long Live waits for the app's answer (the documented 2 s).
pub const CALLBACK_TIMEOUT: Duration = Duration::from_secs(2);

/// How many after-callbacks an application's queue holds, waiting to be sent; beyond it a
/// callback is dropped. At about 1 KiB a callback, a full queue is a few MiB.
pub(super) const QUEUE_CAPACITY: usize = 4096;

/// `ClientIP` of every callback: the emulator does not know the caller's address.
const CLIENT_IP: &str = "127.0.0.1";

/// One callback to send: where, the query's values and the body, with the token in force when
/// the event happened.
pub(super) struct Delivery {
    pub url: String,
    pub sdk_app_id: u64,
    pub command: &'static str,
    /// `OptPlatform`: `RESTAPI` for events of API calls, `Unknown` for the SDK's stand-ins
    /// ([`Emulator::enter_room`](super::Emulator::enter_room)) and the clock (a battle's end).
    pub platform: &'static str,
    pub body: Vec<u8>,
    /// The token that signs the request, when one is set and enabled.
    pub token: Option<Secret>,
}

impl fmt::Debug for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Delivery")
            .field("url", &self.url)
            .field("command", &self.command)
            .field("signed", &self.token.is_some())
            .finish_non_exhaustive()
    }
}

/// Why a callback got no usable answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Undelivered {
    /// Not sent: the URL is not a loopback address (the emulator calls no other host).
    Refused(String),
    /// Sent, but no answer within 2 s, a status other than 200, or a body that is not a reply.
    Failed(String),
}

impl fmt::Display for Undelivered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Undelivered::Refused(why) | Undelivered::Failed(why) => f.write_str(why),
        }
    }
}

/// The HTTP client of callbacks: 2 s per callback, no proxy (a proxy would carry loopback
/// traffic elsewhere), no redirects (a receiver could redirect to another host).
pub(super) fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(CALLBACK_TIMEOUT)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

/// `Sign`: lower-case hex SHA-256 of the token followed by `RequestTime`, as documented.
pub fn sign(token: &str, request_time: u64) -> String {
    let digest = Sha256::digest(format!("{token}{request_time}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Ok for `http(s)://` URLs whose host is a loopback address (`127.0.0.0/8`, `::1`) or
/// `localhost`; the reason otherwise.
pub(super) fn check_loopback(url: &str) -> Result<reqwest::Url, String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("the callback URL {url:?} is not a URL: {e}"))?;
    // host_str: a domain, an IPv4 address, or an IPv6 address in brackets.
    let host = parsed.host_str().unwrap_or_default();
    let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    let loopback = bare.eq_ignore_ascii_case("localhost") || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if loopback && matches!(parsed.scheme(), "http" | "https") {
        Ok(parsed)
    } else {
        Err(format!(
            "the emulator delivers callbacks only to loopback addresses (127.0.0.1, [::1], localhost); \
             {} was not called",
            parsed.host_str().unwrap_or(url)
        ))
    }
}

fn unix_seconds() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl Delivery {
    /// POSTs the callback and reads the app's reply. `RequestTime` is the time of sending (the
    /// receiver checks that it is within a minute of its clock).
    pub async fn send(&self, client: &reqwest::Client) -> Result<Reply, Undelivered> {
        let url = check_loopback(&self.url).map_err(Undelivered::Refused)?;
        let mut query: Vec<(&str, String)> = vec![
            ("SdkAppid", self.sdk_app_id.to_string()),
            ("CallbackCommand", self.command.to_owned()),
            ("contenttype", "json".to_owned()),
            ("ClientIP", CLIENT_IP.to_owned()),
            ("OptPlatform", self.platform.to_owned()),
        ];
        if let Some(token) = &self.token {
            let time = unix_seconds();
            query.push(("Sign", sign(token.expose(), time)));
            query.push(("RequestTime", time.to_string()));
        }
        let failed = |what: String| Undelivered::Failed(format!("{} to {}: {what}", self.command, self.url));
        let response = client
            .post(url)
            .query(&query)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(self.body.clone())
            .send()
            .await
            // without_url: the URL carries the Sign
            .map_err(|e| {
                failed(if e.is_timeout() { "no answer within 2 s".into() } else { e.without_url().to_string() })
            })?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| failed(e.without_url().to_string()))?;
        if status != reqwest::StatusCode::OK {
            return Err(failed(format!("HTTP status {status}")));
        }
        Reply::parse(&body).ok_or_else(|| failed("the answer is not a JSON reply with an integer ErrorCode".into()))
    }

    /// Sends an after-callback, whose answer Live ignores: a failure is only logged.
    async fn send_and_forget(self, client: &reqwest::Client) {
        if let Err(why) = self.send(client).await {
            tracing::warn!(command = self.command, reason = %why, "live-api emulator: callback not delivered");
        }
    }
}

/// The queue of an application's after-callbacks.
#[derive(Debug, Default)]
pub(super) struct Queue {
    sender: Option<mpsc::Sender<Delivery>>,
    /// Callbacks dropped because the queue was full, since the last one queued.
    dropped: u64,
}

impl Queue {
    /// Queues `delivery` behind the earlier ones (never waits), or drops it when
    /// [`QUEUE_CAPACITY`] callbacks are waiting. The sending task is started on the current
    /// tokio runtime at the first callback, and again if its runtime has ended.
    pub fn push(&mut self, delivery: Delivery, client: &reqwest::Client) {
        let delivery = match &self.sender {
            Some(sender) => match sender.try_send(delivery) {
                Ok(()) => {
                    if self.dropped > 0 {
                        tracing::warn!(
                            dropped = self.dropped,
                            "live-api emulator: the callback queue has room again; callbacks were dropped"
                        );
                        self.dropped = 0;
                    }
                    return;
                }
                Err(mpsc::error::TrySendError::Full(d)) => {
                    if self.dropped == 0 {
                        tracing::warn!(
                            command = d.command,
                            capacity = QUEUE_CAPACITY,
                            "live-api emulator: the callback queue is full (the receiver is slower than the calls); \
                             dropping callbacks"
                        );
                    }
                    self.dropped += 1;
                    return;
                }
                // The task ended with its runtime: start another.
                Err(mpsc::error::TrySendError::Closed(d)) => d,
            },
            None => delivery,
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::warn!(command = delivery.command, "live-api emulator: no tokio runtime to send the callback on");
            return;
        };
        let (sender, mut receiver) = mpsc::channel::<Delivery>(QUEUE_CAPACITY);
        let client = client.clone();
        runtime.spawn(async move {
            while let Some(d) = receiver.recv().await {
                d.send_and_forget(&client).await;
            }
        });
        // The receiver is alive (the task owns it) and the queue is empty.
        let _ = sender.try_send(delivery);
        self.sender = Some(sender);
    }

    /// Callbacks waiting to be sent.
    #[cfg(test)]
    fn waiting(&self) -> usize {
        self.sender.as_ref().map_or(0, |s| QUEUE_CAPACITY - s.capacity())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_signature() {
        let sign = sign("xxxxyyyy", 1669872112);
        assert_eq!(sign, "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061");
    }

    fn delivery(n: usize) -> Delivery {
        Delivery {
            url: "http://127.0.0.1:9/cb".into(),
            sdk_app_id: 1,
            command: "Live.CallbackAfterCreateRoom",
            platform: "RESTAPI",
            body: format!("{{\"RoomId\":\"r{n}\"}}").into_bytes(),
            token: None,
        }
    }

    #[test]
    fn a_receiver_slower_than_the_calls_does_not_grow_the_queue() {
        // A current-thread runtime runs the sending task only when this test yields, which it
        // never does: every callback pushed stays waiting.
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let (client, mut queue) = (http_client(), Queue::default());
            for n in 0..QUEUE_CAPACITY + 100 {
                queue.push(delivery(n), &client);
            }
            assert_eq!(queue.waiting(), QUEUE_CAPACITY);
            assert_eq!(queue.dropped, 100);
        });
    }

    #[test]
    fn only_loopback_hosts_are_called() {
        for ok in ["http://127.0.0.1:9/cb", "http://127.8.0.1/", "http://[::1]:80/x?y=1", "https://LOCALHOST:1/"] {
            assert!(check_loopback(ok).is_ok(), "{ok}");
        }
        for refused in [
            "http://www.example.com/callback",
            "http://10.0.0.1/",
            "http://127.0.0.1.example.com/",
            "http://localhost.example.com/",
            "ftp://127.0.0.1/",
            "not a url",
        ] {
            assert!(check_loopback(refused).is_err(), "{refused}");
        }
        let e = check_loopback("http://www.example.com/callback").unwrap_err();
        assert!(e.contains("only to loopback") && e.contains("www.example.com"), "{e}");
    }
}
