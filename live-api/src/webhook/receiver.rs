//! The receiver's settings, and the checks of a request before its callback reaches the app.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use super::query::Query;
use super::sign;
use super::{Delivery, Rejection, Signature};
use crate::callback::{BodyError, CallbackSet, Reply};
use crate::secret::Secret;

/// Bodies above this size are refused by default (the largest documented body, a message with
/// its `MsgBody`, is a few KiB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;
/// How far a signed `RequestTime` may be from the receiver's clock, either way: "If the
/// difference between the RequestTime and the current time exceeds 1 minute, it is considered an
/// invalid request".
pub const FRESHNESS: Duration = Duration::from_secs(60);
/// How long the receiver waits for the handler's reply to a before-callback by default: Live
/// waits 2 s, and the reply still has to travel back.
pub const DEFAULT_BUDGET: Duration = Duration::from_millis(1500);

type RejectionHook = Arc<dyn Fn(&Rejection) + Send + Sync>;

/// Checks webhook requests for one app and answers them (see the [module](super) docs).
#[derive(Clone)]
pub struct Receiver {
    pub(crate) sdk_app_id: u64,
    token: Option<Secret>,
    pub(crate) max_body: usize,
    freshness: Duration,
    pub(crate) budget: Duration,
    pub(crate) timeout_reply: Option<Reply>,
    pub(crate) on_rejection: Option<RejectionHook>,
}

impl fmt::Debug for Receiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("sdk_app_id", &self.sdk_app_id)
            .field("token", &self.token)
            .field("max_body", &self.max_body)
            .field("freshness", &self.freshness)
            .field("budget", &self.budget)
            .field("timeout_reply", &self.timeout_reply)
            .field("on_rejection", &self.on_rejection.is_some())
            .finish()
    }
}

impl Receiver {
    /// A receiver of the webhooks of the app `sdk_app_id`, without a token: requests are not
    /// signed (a `Sign` they carry is not checked; [`Delivery::signature`] says so).
    pub fn new(sdk_app_id: u64) -> Receiver {
        Receiver {
            sdk_app_id,
            token: None,
            max_body: DEFAULT_MAX_BODY_BYTES,
            freshness: FRESHNESS,
            budget: DEFAULT_BUDGET,
            timeout_reply: None,
            on_rejection: None,
        }
    }
    /// Requires every request to be signed with `token` (the app's webhook token, set with
    /// `set_callback_token`) at a fresh `RequestTime`.
    #[must_use]
    pub fn token(mut self, token: impl Into<Secret>) -> Receiver {
        self.token = Some(token.into());
        self
    }
    /// Refuses bodies above `bytes` (default [`DEFAULT_MAX_BODY_BYTES`]).
    #[must_use]
    pub fn max_body_bytes(mut self, bytes: usize) -> Receiver {
        self.max_body = bytes;
        self
    }
    /// How far a signed `RequestTime` may be from the clock, either way (default [`FRESHNESS`],
    /// the documented minute; whole seconds count).
    #[must_use]
    pub fn freshness(mut self, window: Duration) -> Receiver {
        self.freshness = window;
        self
    }
    /// How long to wait for the handler's reply to a before-callback (or a command the callback
    /// set does not know) before answering the timeout reply (default [`DEFAULT_BUDGET`]).
    #[must_use]
    pub fn budget(mut self, budget: Duration) -> Receiver {
        self.budget = budget;
        self
    }
    /// The reply when the handler misses the budget or fails; by default, the callback's
    /// [`on_timeout`](CallbackSet::on_timeout): what Live itself does without a reply.
    #[must_use]
    pub fn timeout_reply(mut self, reply: Reply) -> Receiver {
        self.timeout_reply = Some(reply);
        self
    }
    /// Runs `hook` on every refused request (after it is logged with `tracing`).
    #[must_use]
    pub fn on_rejection(mut self, hook: impl Fn(&Rejection) + Send + Sync + 'static) -> Receiver {
        self.on_rejection = Some(Arc::new(hook));
        self
    }
    /// The SDKAppID it serves.
    pub fn sdk_app_id(&self) -> u64 {
        self.sdk_app_id
    }
    /// The largest body it accepts, in bytes.
    pub fn max_body(&self) -> usize {
        self.max_body
    }

    /// Checks a webhook request at `now` and decodes its callback.
    ///
    /// `query` is the request's query string (with or without `?`), `headers` its headers (an
    /// `http::HeaderMap` or any `(name, value)` pairs; only `Content-Length` is read), `body` its
    /// body. In order: the query parses; `SdkAppid` is the app's; with a token, `Sign` and
    /// `RequestTime` are present, the `Sign` matches (constant-time) and the time is within the
    /// freshness window; the body is within the size limit and as long as its `Content-Length`;
    /// it decodes as the callback of its command. The command is the body's `CallbackCommand`
    /// when it has one (the body's shape follows it), else the query's; when both are present
    /// and differ, the body's wins and the query's is kept in [`Delivery::query_command`] (two
    /// documented pages have such mismatches; the signature covers neither).
    pub fn verify<C, H, K, V>(
        &self,
        query: &str,
        headers: H,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Delivery<C>, Rejection>
    where
        C: CallbackSet,
        H: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<[u8]>,
    {
        let q = Query::parse(query)?;
        let sdk_app_id = q.sdk_app_id.ok_or_else(|| missing("SdkAppid"))?;
        if sdk_app_id != self.sdk_app_id {
            return Err(Rejection::WrongApp { expected: self.sdk_app_id, got: sdk_app_id });
        }
        let signature = self.check_signature(&q, now)?;
        self.check_size(headers, body)?;
        let callback = decode::<C>(q.command.as_deref(), body)?;
        Ok(Delivery {
            callback,
            sdk_app_id,
            query_command: q.command,
            client_ip: q.client_ip,
            platform: q.platform,
            request_time: q.request_time.map(|(_, t)| t),
            signature,
        })
    }

    fn check_signature(&self, q: &Query, now: SystemTime) -> Result<Signature, Rejection> {
        let Some(token) = &self.token else {
            return Ok(if q.sign.is_some() { Signature::Unchecked } else { Signature::Absent });
        };
        let given = q.sign.as_deref().ok_or(Rejection::MissingSign)?;
        let (written, request_time) = q.request_time.as_ref().ok_or(Rejection::MissingRequestTime)?;
        if !sign::matches(token, written, given) {
            return Err(Rejection::BadSign);
        }
        let now = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let window = self.freshness.as_secs();
        let request_time = *request_time;
        if now.saturating_sub(request_time) > window {
            return Err(Rejection::Stale { request_time, now, window });
        }
        if request_time.saturating_sub(now) > window {
            return Err(Rejection::Future { request_time, now, window });
        }
        Ok(Signature::Verified)
    }

    fn check_size<H, K, V>(&self, headers: H, body: &[u8]) -> Result<(), Rejection>
    where
        H: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<[u8]>,
    {
        let declared = content_length(headers);
        let limit = self.max_body;
        let actual = body.len() as u64;
        if let Some(declared) = declared.filter(|&d| d > limit as u64) {
            return Err(Rejection::BodyTooLarge { limit, actual: Some(declared) });
        }
        if body.len() > limit {
            return Err(Rejection::BodyTooLarge { limit, actual: Some(actual) });
        }
        match declared {
            Some(declared) if declared != actual => Err(Rejection::Truncated { declared, actual }),
            _ => Ok(()),
        }
    }
}

fn missing(parameter: &'static str) -> Rejection {
    Rejection::MalformedQuery { parameter, problem: "is missing".into() }
}

/// The `Content-Length` header, when there is one that is a number (HTTP framing is the
/// server's business; a garbled one is ignored here).
pub(crate) fn content_length<H, K, V>(headers: H) -> Option<u64>
where
    H: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<[u8]>,
{
    headers
        .into_iter()
        .find(|(k, _)| k.as_ref().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| std::str::from_utf8(v.as_ref()).ok()?.trim().parse().ok())
}

fn decode<C: CallbackSet>(query_command: Option<&str>, body: &[u8]) -> Result<C, Rejection> {
    let fallback = query_command.unwrap_or("(no command)");
    // The body's `CallbackCommand`, read before the body is decoded as the callback it names.
    let head: Map<String, Value> = serde_json::from_slice(body).map_err(|e| {
        Rejection::MalformedBody(BodyError::new(fallback, format!("the body is not a JSON object: {e}")))
    })?;
    let command = match head.get("CallbackCommand") {
        Some(Value::String(c)) if !c.is_empty() => c.as_str(),
        Some(Value::String(_)) | None => query_command.ok_or_else(|| Rejection::MalformedQuery {
            parameter: "CallbackCommand",
            problem: "is missing, from the query and from the body".into(),
        })?,
        Some(_) => {
            return Err(Rejection::MalformedBody(BodyError::new(fallback, "its CallbackCommand is not a string")));
        }
    };
    if let Some(q) = query_command.filter(|&q| q != command) {
        tracing::debug!(
            query = q,
            body = command,
            "the webhook's query and body name different commands; the body's is decoded"
        );
    }
    C::decode(command, body).map_err(Rejection::MalformedBody)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhook::Raw;

    const APP: u64 = 1400000000;
    const TOKEN: &str = "xxxxyyyy";
    const TIME: u64 = 1669872112;
    const VECTOR: &str = "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061";
    const BODY: &[u8] = br#"{"CallbackCommand":"Live.CallbackAfterCreateRoom","RoomId":"r1"}"#;
    const NO_HEADERS: [(&str, &str); 0] = [];

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    fn query(sign: &str, time: &str) -> String {
        format!(
            "SdkAppid={APP}&CallbackCommand=Live.CallbackAfterCreateRoom&contenttype=json&ClientIP=10.0.0.1\
             &OptPlatform=Android&Sign={sign}&RequestTime={time}"
        )
    }

    fn verify(r: &Receiver, query: &str, body: &[u8], now: u64) -> Result<Delivery<Raw>, Rejection> {
        r.verify(query, NO_HEADERS, body, at(now))
    }

    #[test]
    fn the_documented_vector_verifies_within_a_minute_either_way() {
        let r = Receiver::new(APP).token(TOKEN);
        for now in [TIME - 60, TIME, TIME + 60] {
            let d = verify(&r, &query(VECTOR, "1669872112"), BODY, now).unwrap();
            assert_eq!(d.signature, Signature::Verified);
            assert_eq!((d.sdk_app_id, d.request_time), (APP, Some(TIME)));
            assert_eq!(d.client_ip.as_deref(), Some("10.0.0.1"));
            assert_eq!(d.platform, Some(crate::webhook::Platform::Android));
            assert_eq!(d.callback.command(), "Live.CallbackAfterCreateRoom");
            assert_eq!(d.callback.0.body(), std::str::from_utf8(BODY).unwrap());
        }
    }

    #[test]
    fn each_check_refuses_with_its_reason() {
        let r = Receiver::new(APP).token(TOKEN);
        let good = query(VECTOR, "1669872112");
        assert_eq!(
            verify(&r, &good, BODY, TIME + 61).unwrap_err(),
            Rejection::Stale { request_time: TIME, now: TIME + 61, window: 60 }
        );
        assert_eq!(
            verify(&r, &good, BODY, TIME - 61).unwrap_err(),
            Rejection::Future { request_time: TIME, now: TIME - 61, window: 60 }
        );
        let other_app = good.replace("SdkAppid=1400000000", "SdkAppid=1400000001");
        assert_eq!(
            verify(&r, &other_app, BODY, TIME).unwrap_err(),
            Rejection::WrongApp { expected: APP, got: 1400000001 }
        );
        let tampered = query(&VECTOR.replace("17773", "17774"), "1669872112");
        assert_eq!(verify(&r, &tampered, BODY, TIME).unwrap_err(), Rejection::BadSign);
        let other_time = query(VECTOR, "1669872113");
        assert_eq!(verify(&r, &other_time, BODY, TIME).unwrap_err(), Rejection::BadSign, "the time is signed");
        let unsigned = format!("SdkAppid={APP}&CallbackCommand=Live.CallbackAfterCreateRoom&RequestTime={TIME}");
        assert_eq!(verify(&r, &unsigned, BODY, TIME).unwrap_err(), Rejection::MissingSign);
        let untimed = format!("SdkAppid={APP}&CallbackCommand=Live.CallbackAfterCreateRoom&Sign={VECTOR}");
        assert_eq!(verify(&r, &untimed, BODY, TIME).unwrap_err(), Rejection::MissingRequestTime);
        let no_app = good.replace("SdkAppid=1400000000&", "");
        assert!(matches!(
            verify(&r, &no_app, BODY, TIME).unwrap_err(),
            Rejection::MalformedQuery { parameter: "SdkAppid", .. }
        ));
        let truncated = &BODY[..BODY.len() - 5];
        let e = verify(&r, &good, truncated, TIME).unwrap_err();
        assert!(matches!(&e, Rejection::MalformedBody(_)), "{e:?}");
        assert!(e.to_string().contains("not a JSON object"), "{e}");
        let length = (BODY.len() + 5).to_string();
        let e = r.verify::<Raw, _, _, _>(&good, [("Content-Length", length.as_str())], BODY, at(TIME)).unwrap_err();
        assert_eq!(e, Rejection::Truncated { declared: BODY.len() as u64 + 5, actual: BODY.len() as u64 });
    }

    #[test]
    fn the_size_limit_is_checked_before_decoding() {
        let r = Receiver::new(APP).max_body_bytes(10);
        let q = format!("SdkAppid={APP}&CallbackCommand=X");
        let e = verify(&r, &q, b"{not even json but long", TIME).unwrap_err();
        assert_eq!(e, Rejection::BodyTooLarge { limit: 10, actual: Some(23) });
        assert_eq!(e.status(), 413);
        let declared = r.verify::<Raw, _, _, _>(&q, [("content-length", "1000000")], b"{}", at(TIME)).unwrap_err();
        assert_eq!(declared, Rejection::BodyTooLarge { limit: 10, actual: Some(1_000_000) });
        assert!(verify(&r, &q, b"{}", TIME).is_ok());
    }

    #[test]
    fn without_a_token_a_sign_is_not_checked_nor_the_time() {
        let r = Receiver::new(APP);
        let d = verify(&r, &query("anything", "5"), BODY, TIME).unwrap();
        assert_eq!((d.signature, d.request_time), (Signature::Unchecked, Some(5)));
        let d = verify(&r, &format!("SdkAppid={APP}&CallbackCommand=X"), b"{}", TIME).unwrap();
        assert_eq!(d.signature, Signature::Absent);
        assert_eq!(d.callback.command(), "X");
    }

    #[test]
    fn the_body_names_the_command_and_the_query_s_is_kept() {
        let r = Receiver::new(APP);
        let q = format!("SdkAppid={APP}&CallbackCommand=Live.CallbackAfterSetMetadata");
        let body = br#"{"CallbackCommand":"Live.CallbackAfterDelMetadata","Keys":["k"]}"#;
        let d = verify(&r, &q, body, TIME).unwrap();
        assert_eq!(d.callback.command(), "Live.CallbackAfterDelMetadata");
        assert_eq!(d.query_command.as_deref(), Some("Live.CallbackAfterSetMetadata"));
        let nowhere = verify(&r, &format!("SdkAppid={APP}"), b"{}", TIME).unwrap_err();
        assert!(matches!(nowhere, Rejection::MalformedQuery { parameter: "CallbackCommand", .. }), "{nowhere:?}");
        let not_a_string = verify(&r, &q, br#"{"CallbackCommand":7}"#, TIME).unwrap_err();
        assert!(not_a_string.to_string().contains("CallbackCommand is not a string"), "{not_a_string}");
        for not_an_object in [&b"[]"[..], b"\"x\"", b"null", b""] {
            assert!(matches!(verify(&r, &q, not_an_object, TIME), Err(Rejection::MalformedBody(_))));
        }
    }

    #[test]
    fn the_token_is_never_shown() {
        let r = Receiver::new(APP).token("t0p-s3cret-token");
        let shown = format!("{r:?}");
        assert!(!shown.contains("t0p-s3cret-token") && shown.contains("<redacted>"), "{shown}");
    }
}
