//! The server side of the API, written once for every endpoint: what a generated `Service` method
//! receives ([`Context`]) and answers with ([`Failure`]), and [`Call`], one request on its way
//! through the generated `dispatch` to that method and back as the documented envelope
//! ([`Reply`]).
//!
//! The specs generate, next to the client, a trait `Service` with one async method per endpoint
//! and a function `dispatch(&service, call)` that routes a [`Call`] by its path to the method. For
//! each call, [`Call::handle`] asks the [`Hooks`] whether to admit it (rate limits), decodes the
//! body into the typed request, checks it against the documented limits with the same code as the
//! client ([`validate`]), runs the method, and wraps the typed answer or failure in
//! the `ActionStatus`/`ErrorInfo`/`ErrorCode`/`RequestId` envelope.
//!
//! | problem | `ErrorCode` |
//! |---|---|
//! | no endpoint at the path | 60009 (`ResourceError`) |
//! | empty body, or not JSON | 60003 (`JsonParseError`) |
//! | a field missing or of the wrong type, or a broken limit (the message names the field) | the endpoint's documented `InvalidParameter` (70402 for the Chat accounts, 40001 for profiles), else 100002 |
//! | refused by [`Hooks::admit`] (e.g. a rate limit) | the hook's code |
//! | the method's [`Failure`] | its code |
//!
//! With the `server` feature, `Gateway` checks the query parameters of a request (SDKAppID,
//! admin identifier, UserSig ticket) before it becomes a [`Call`], and `HttpServer` serves
//! HTTP/1.1 on a socket.

#[cfg(feature = "server")]
mod gateway;
#[cfg(feature = "server")]
mod http;

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::codes::{CodeInfo, Documents, ErrorCode};
use crate::endpoint::{EndpointMeta, ServerEndpoint};
use crate::validate;

#[cfg(feature = "server")]
pub use gateway::Gateway;
#[cfg(feature = "server")]
pub use http::HttpServer;

/// `ErrorCode` of a request body that is empty or not JSON.
pub const JSON_PARSE_ERROR: i64 = 60003;
/// `ErrorCode` of a path that names no endpoint.
pub const RESOURCE_ERROR: i64 = 60009;
/// `ErrorCode` of a request that does not match its endpoint's fields and limits.
pub const INVALID_PARAMETER: i64 = 100002;
/// `ErrorCode` of a server-side fault (an answer that cannot be rendered).
pub const INTERNAL_ERROR: i64 = 100001;
/// `ErrorCode` of an endpoint whose `Service` method the server does not implement (the default of
/// every generated method): `RequestDisabled` of the `rest` table, which every endpoint documents,
/// and which the client does not retry.
pub const UNSERVED: i64 = 60017;

/// What a `Service` method knows about the call it answers.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Context {
    /// The endpoint called.
    pub endpoint: EndpointMeta,
    /// The SDKAppID of the call (from its `sdkappid` parameter).
    pub sdk_app_id: u64,
    /// The admin identifier the call was made as (its `identifier` parameter).
    pub identifier: String,
    /// The `RequestId` the answer will carry.
    pub request_id: String,
}

/// A failed call, as a `Service` method reports it: one of the endpoint's codes and the
/// `ErrorInfo` text. The runtime renders it as the error envelope.
///
/// A failure written once for several endpoints is generic over their code enums and bounded by
/// the codes it answers, so that it compiles only where every one of them is documented:
///
/// ```
/// use live_api::server::Failure;
/// use live_api::{Documents, GetRoomInfo, GetRoomInfoCode, GetRoomInfoResponse};
///
/// fn room_not_found<C: Documents<100004>>(id: &str) -> Failure<C> {
///     Failure::documented::<100004>(format!("room {id:?} does not exist"))
/// }
///
/// fn get_room_info(r: GetRoomInfo) -> Result<GetRoomInfoResponse, Failure<GetRoomInfoCode>> {
///     Err(room_not_found(&r.room_id)) // get_room_info documents 100004; create_room does not
/// }
/// # assert_eq!(get_room_info(GetRoomInfo::new("r")).unwrap_err().code, GetRoomInfoCode::RoomNotFound);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure<C> {
    /// The code, as the endpoint's enum.
    pub code: C,
    /// The `ErrorInfo` text.
    pub message: String,
}

impl<C: ErrorCode> Failure<C> {
    /// A failure with `code` and the `ErrorInfo` text `message`.
    pub fn new(code: C, message: impl Into<String>) -> Self {
        Failure { code, message: message.into() }
    }
    /// A failure with the code `N`, which the endpoint's spec documents: it does not compile for
    /// an endpoint that does not list `N` (see [`Documents`]).
    pub fn documented<const N: i64>(message: impl Into<String>) -> Self
    where
        C: Documents<N>,
    {
        Failure::new(C::from_code(N), message)
    }
    /// A failure with the numeric `code` (documented for the endpoint or not; prefer
    /// [`new`](Self::new) or [`documented`](Self::documented), which the compiler checks).
    pub fn from_code(code: i64, message: impl Into<String>) -> Self {
        Failure { code: C::from_code(code), message: message.into() }
    }
}

impl<C: ErrorCode> fmt::Display for Failure<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code.code(), self.message)
    }
}

/// A failure before any endpoint's code enum is known (a refused admission, a body that does not
/// decode), or of something that is no endpoint: a numeric code and the `ErrorInfo` text.
/// Converts into any [`Failure`], unchecked; a failure written once for several endpoints is
/// better a [`Failure`] bounded by [`Documents`], which the compiler checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The `ErrorCode`.
    pub code: i64,
    /// The `ErrorInfo` text.
    pub message: String,
}

impl Refusal {
    /// A refusal with `code` and the `ErrorInfo` text `message`.
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        Refusal { code, message: message.into() }
    }

    /// The refusal of an endpoint the server does not implement: [`UNSERVED`] with a message
    /// naming the endpoint (what a generated `Service::unserved` answers by default).
    pub fn unserved(ctx: &Context) -> Self {
        Refusal::new(UNSERVED, format!("{} is not implemented by this server", ctx.endpoint.name()))
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.message)
    }
}

impl std::error::Error for Refusal {}

impl<C: ErrorCode> From<Refusal> for Failure<C> {
    fn from(r: Refusal) -> Self {
        Failure::from_code(r.code, r.message)
    }
}

/// Called around every call a server handles: admission (rate limits, quotas) before the body is
/// read, and a report after the answer is made (logs, statistics).
pub trait Hooks: Send + Sync {
    /// Whether the call may proceed. `documented` are the endpoint's own error codes (to pick a
    /// documented throttling code). The default admits everything.
    fn admit(&self, ctx: &Context, documented: &'static [CodeInfo]) -> Result<(), Refusal> {
        let _ = (ctx, documented);
        Ok(())
    }
    /// The call was answered with `code` (0 for success) and `message`. The default does nothing.
    fn finished(&self, ctx: &Context, code: i64, message: &str) {
        let _ = (ctx, code, message);
    }
}

/// One request to a server: the path it was sent to, its body and its caller, on its way to the
/// generated `dispatch`.
pub struct Call {
    path: String,
    body: Vec<u8>,
    sdk_app_id: u64,
    identifier: String,
    request_id: String,
    hooks: Option<Arc<dyn Hooks>>,
}

impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("path", &self.path)
            .field("body_bytes", &self.body.len())
            .field("sdk_app_id", &self.sdk_app_id)
            .field("identifier", &self.identifier)
            .field("request_id", &self.request_id)
            .finish()
    }
}

impl Call {
    /// A call of the endpoint at `path` (`/v4/<service>/<command>`) with the JSON `body`, made
    /// by no one in particular (SDKAppID 0); see [`caller`](Self::caller). It gets a fresh
    /// `RequestId`.
    pub fn new(path: impl Into<String>, body: impl Into<Vec<u8>>) -> Call {
        Call {
            path: path.into(),
            body: body.into(),
            sdk_app_id: 0,
            identifier: String::new(),
            request_id: new_request_id(),
            hooks: None,
        }
    }
    /// The SDKAppID and admin identifier the call is made as.
    #[must_use]
    pub fn caller(mut self, sdk_app_id: u64, identifier: impl Into<String>) -> Call {
        self.sdk_app_id = sdk_app_id;
        self.identifier = identifier.into();
        self
    }
    /// The hooks run around the call.
    #[must_use]
    pub fn hooks(mut self, hooks: Arc<dyn Hooks>) -> Call {
        self.hooks = Some(hooks);
        self
    }
    /// The path the call was sent to.
    pub fn path(&self) -> &str {
        &self.path
    }
    /// The `RequestId` its answer carries.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// [`handle`](Self::handle), boxed: what each arm of the generated `dispatch` returns, so that
    /// `dispatch` stays one small future whatever the number of endpoints.
    pub fn serve<'a, E, F, Fut>(self, serve: F) -> std::pin::Pin<Box<dyn Future<Output = Reply> + Send + 'a>>
    where
        E: ServerEndpoint,
        F: FnOnce(Context, E) -> Fut + Send + 'a,
        Fut: Future<Output = Result<E::Response, Failure<E::Code>>> + Send + 'a,
    {
        Box::pin(self.handle(serve))
    }

    /// Answers the call as endpoint `E` with `serve` (the generated `dispatch` passes the
    /// `Service` method): admission, decoding, limit checks, the method, the envelope.
    pub async fn handle<E, F, Fut>(self, serve: F) -> Reply
    where
        E: ServerEndpoint,
        F: FnOnce(Context, E) -> Fut,
        Fut: Future<Output = Result<E::Response, Failure<E::Code>>>,
    {
        let ctx = Context {
            endpoint: E::META,
            sdk_app_id: self.sdk_app_id,
            identifier: self.identifier,
            request_id: self.request_id,
        };
        let outcome = match admit_and_decode::<E>(&ctx, self.hooks.as_deref(), &self.body) {
            Ok(request) => match serve(ctx.clone(), request).await {
                Ok(response) => encode_success::<E>(&response),
                Err(f) => Err(Refusal { code: f.code.code(), message: f.message }),
            },
            Err(refusal) => Err(refusal),
        };
        let reply = match outcome {
            Ok(payload) => Reply::success(&ctx.request_id, E::META.response_key, payload),
            Err(r) => Reply::failure(r.code, &r.message, &ctx.request_id),
        };
        if let Some(hooks) = &self.hooks {
            hooks.finished(&ctx, reply.code, &reply.message);
        }
        reply
    }

    /// Answers a call whose path names no endpoint: 60009.
    pub fn unknown(self) -> Reply {
        let message = format!("no endpoint at {}; paths are /v4/<service>/<command>", self.path);
        Reply::failure(RESOURCE_ERROR, &message, &self.request_id)
    }
}

fn admit_and_decode<E: ServerEndpoint>(ctx: &Context, hooks: Option<&dyn Hooks>, body: &[u8]) -> Result<E, Refusal> {
    if let Some(hooks) = hooks {
        hooks.admit(ctx, <E::Code as ErrorCode>::DOCUMENTED)?;
    }
    let request = decode::<E>(body)?;
    let violations = validate::check(&request);
    if violations.is_empty() {
        Ok(request)
    } else {
        let list: Vec<String> = violations.iter().map(ToString::to_string).collect();
        let message = format!("invalid request for {}: {}", E::META.name(), list.join("; "));
        Err(Refusal::new(invalid_parameter::<E::Code>(), message))
    }
}

/// The code of a request that breaks its spec: the endpoint's own documented `InvalidParameter`
/// (70402 for the Chat account endpoints, 40001 for profiles), else Live's 100002.
fn invalid_parameter<C: ErrorCode>() -> i64 {
    C::DOCUMENTED.iter().find(|c| c.name == "InvalidParameter").map_or(INVALID_PARAMETER, |c| c.code)
}

/// The typed request of a body: 60003 for an empty body or a syntax error, the endpoint's
/// invalid-parameter code for a body of the wrong shape.
fn decode<E: ServerEndpoint>(body: &[u8]) -> Result<E, Refusal> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Refusal::new(JSON_PARSE_ERROR, "the body is empty; send {} when no field is needed"));
    }
    serde_json::from_slice::<E>(body).map_err(|e| {
        use serde_json::error::Category;
        match e.classify() {
            Category::Syntax | Category::Eof | Category::Io => {
                Refusal::new(JSON_PARSE_ERROR, format!("the body is not valid JSON: {e}"))
            }
            Category::Data => {
                Refusal::new(invalid_parameter::<E::Code>(), format!("the body does not match {}: {e}", E::META.name()))
            }
        }
    })
}

fn encode_success<E: ServerEndpoint>(response: &E::Response) -> Result<serde_json::Value, Refusal> {
    serde_json::to_value(response)
        .map_err(|e| Refusal::new(INTERNAL_ERROR, format!("the answer cannot be rendered as JSON: {e}")))
}

/// The answer to a call: the JSON envelope (always sent with HTTP 200, as the service does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    code: i64,
    message: String,
    request_id: String,
    body: Vec<u8>,
}

impl Reply {
    /// The success envelope with `payload` under `key` (`Response`), or with the payload's
    /// members next to the envelope's when `key` is `None`.
    pub fn success(request_id: &str, key: Option<&str>, payload: serde_json::Value) -> Reply {
        let mut body = head("OK", "", 0, request_id);
        match (key, payload) {
            (Some(key), payload) => {
                body.push(b',');
                push_json(&mut body, &key);
                body.push(b':');
                push_json(&mut body, &payload);
            }
            (None, serde_json::Value::Object(members)) => {
                for (k, v) in &members {
                    body.push(b',');
                    push_json(&mut body, k);
                    body.push(b':');
                    push_json(&mut body, v);
                }
            }
            (None, _) => {}
        }
        body.push(b'}');
        Reply { code: 0, message: String::new(), request_id: request_id.to_owned(), body }
    }

    /// The error envelope with `code` and the `ErrorInfo` text `message`.
    pub fn failure(code: i64, message: &str, request_id: &str) -> Reply {
        let mut body = head("FAIL", message, code, request_id);
        body.push(b'}');
        Reply { code, message: message.to_owned(), request_id: request_id.to_owned(), body }
    }

    /// The `ErrorCode` (0 for success).
    pub fn code(&self) -> i64 {
        self.code
    }
    /// The `ErrorInfo` text.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// The `RequestId`.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }
    /// The JSON body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
    /// The JSON body, owned.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }
}

/// `{"ActionStatus":..,"ErrorInfo":..,"ErrorCode":..,"RequestId":..` in the documented order.
fn head(status: &str, info: &str, code: i64, request_id: &str) -> Vec<u8> {
    let mut b = Vec::with_capacity(128);
    b.extend_from_slice(b"{\"ActionStatus\":");
    push_json(&mut b, &status);
    b.extend_from_slice(b",\"ErrorInfo\":");
    push_json(&mut b, &info);
    b.extend_from_slice(b",\"ErrorCode\":");
    b.extend_from_slice(code.to_string().as_bytes());
    b.extend_from_slice(b",\"RequestId\":");
    push_json(&mut b, &request_id);
    b
}

fn push_json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Strings and `Value`s always serialize.
    let _ = serde_json::to_writer(&mut *out, value);
}

/// The clock of servers: whole Unix seconds.
#[cfg(feature = "server")]
pub(crate) fn unix_now() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// A `RequestId` in the service's shape: `Id-<32 hex digits>-O-Seq-<n>`.
fn new_request_id() -> String {
    static SEQ: AtomicU64 = AtomicU64::new(1);
    let seq = SEQ.fetch_add(1, Ordering::Relaxed);
    format!("Id-{:016x}{:016x}-O-Seq-{seq}", fastrand::u64(..), fastrand::u64(..))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_keep_the_documented_order_and_payload_placement() {
        let ok = Reply::success("Id-1", Some("Response"), serde_json::json!({"RoomId": "r"}));
        assert_eq!(
            std::str::from_utf8(ok.body()).unwrap(),
            r#"{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"RequestId":"Id-1","Response":{"RoomId":"r"}}"#
        );
        let flat = Reply::success("Id-2", None, serde_json::json!({"GiftInfo": {"GiftId": "g"}}));
        assert_eq!(
            std::str::from_utf8(flat.body()).unwrap(),
            r#"{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"RequestId":"Id-2","GiftInfo":{"GiftId":"g"}}"#
        );
        let fail = Reply::failure(100004, "room \"x\" does not exist", "Id-3");
        assert_eq!(
            std::str::from_utf8(fail.body()).unwrap(),
            r#"{"ActionStatus":"FAIL","ErrorInfo":"room \"x\" does not exist","ErrorCode":100004,"RequestId":"Id-3"}"#
        );
        assert_eq!((fail.code(), fail.request_id()), (100004, "Id-3"));
    }

    #[test]
    fn documented_failures_carry_the_variant_of_their_code() {
        use crate::{PickUserOnSeatCode, RestCode};
        // An own code of an endpoint, a code flattened from a shared table, a wrapped table's enum.
        let own = Failure::<PickUserOnSeatCode>::documented::<100005>("not in the room");
        let flattened = Failure::<PickUserOnSeatCode>::documented::<100211>("no seats");
        let rest = Failure::<RestCode>::documented::<60007>("slow down");
        assert_eq!(own.code, PickUserOnSeatCode::NotRoomMember);
        assert_eq!(flattened.code, PickUserOnSeatCode::SeatsNotSupported);
        assert_eq!((rest.code, rest.message.as_str()), (RestCode::CallRateExceeded, "slow down"));
    }

    #[test]
    fn request_ids_are_unique_and_shaped_like_the_service_s() {
        let (a, b) = (new_request_id(), new_request_id());
        assert_ne!(a, b);
        assert!(a.starts_with("Id-") && a.contains("-O-Seq-") && a.len() > 40, "{a}");
    }
}
