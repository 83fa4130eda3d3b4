//! Receiving the webhooks (callbacks) Live posts to the app's URL: the checks every event page
//! asks for, the decoding of the callback, and the reply.
//!
//! A [`Receiver`] is built with the app's SDKAppID and, when webhook authentication is on, its
//! token. [`Receiver::verify`] checks one request, framework-neutral (a query string, headers,
//! a body, the time), and decodes its callback into a [`Delivery`]; a refused request is a
//! [`Rejection`] with the HTTP status to answer. [`Receiver::respond`] does that and runs the
//! app's [`Handler`], which decides the [`Reply`](crate::callback::Reply): Live waits for it
//! before a gift is sent or a message delivered, at most 2 s, so the receiver answers the
//! callback's documented timeout decision when the handler misses its [budget](Receiver::budget).
//!
//! Two ways in: `webhook::axum::route` (feature `axum`) is a route to mount in an axum app, and
//! `webhook::serve` (feature `server`) is a standalone HTTP/1.1 server.
//!
//! ```
//! use live_api::callback::CallbackSet;
//! use live_api::webhook::{self, Delivery, Raw, Receiver, Signature};
//! use std::time::{Duration, SystemTime};
//!
//! let receiver = Receiver::new(1400000000).token("the-webhook-token");
//! let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1669872112);
//! let sign = webhook::sign(&"the-webhook-token".into(), "1669872112");
//! let query = format!(
//!     "SdkAppid=1400000000&CallbackCommand=Live.CallbackAfterCreateRoom&contenttype=json\
//!      &Sign={sign}&RequestTime=1669872112"
//! );
//! let body = br#"{"CallbackCommand":"Live.CallbackAfterCreateRoom","RoomId":"r1"}"#;
//! let headers: [(&str, &str); 0] = [];
//! let delivery: Delivery<Raw> = receiver.verify(&query, headers, body, now).unwrap();
//! assert_eq!(delivery.callback.command(), "Live.CallbackAfterCreateRoom");
//! assert_eq!(delivery.signature, Signature::Verified);
//!
//! let later = now + Duration::from_secs(61);
//! let refused = receiver.verify::<Raw, _, _, _>(&query, headers, body, later).unwrap_err();
//! assert_eq!(refused.status(), 403);
//! assert_eq!(refused.to_string(), "the RequestTime 1669872112 is 61 s old; more than 60 s is refused as a replay");
//! ```
//!
//! What the signature covers: `Sign` is `sha256(token ‖ RequestTime)` ([`sign`]), so it proves
//! that the request was made by someone who knows the token, within a minute of the receiver's
//! clock. It does **not** cover the body, the SDKAppID or the command: anyone who sees one
//! signed URL (a proxy's log, plain HTTP) can post another body with it for a minute. Use HTTPS.

mod answer;
mod delivery;
#[cfg(any(feature = "server", feature = "axum"))]
mod http;
mod platform;
mod query;
mod raw;
mod receiver;
mod rejection;
mod sign;

#[cfg(feature = "axum")]
pub mod axum;
#[cfg(feature = "server")]
mod serve;

pub use answer::{Answer, Handler};
pub use delivery::{Delivery, Signature};
pub use platform::Platform;
pub use raw::Raw;
pub use receiver::{DEFAULT_BUDGET, DEFAULT_MAX_BODY_BYTES, FRESHNESS, Receiver};
pub use rejection::Rejection;
#[cfg(feature = "server")]
pub use serve::{bind, serve};
pub use sign::sign;
