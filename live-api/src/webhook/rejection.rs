//! Why a webhook request was refused, and the HTTP status it is answered with.

use std::fmt;

use crate::callback::BodyError;

/// A webhook request the receiver refuses. Its [`Display`](fmt::Display) says why (never with the
/// token or the expected signature); [`status`](Self::status) is the HTTP status of the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rejection {
    /// The `SdkAppid` is not the app's: every event page requires this check.
    WrongApp {
        /// The receiver's SDKAppID.
        expected: u64,
        /// The request's.
        got: u64,
    },
    /// A token is configured but the request carries no `Sign`.
    MissingSign,
    /// A token is configured and the request carries a `Sign` but no `RequestTime`.
    MissingRequestTime,
    /// The `Sign` is not the signature of the `RequestTime` with the configured token.
    BadSign,
    /// The signed `RequestTime` is older than the freshness window (a replay).
    Stale {
        /// The `RequestTime` (Unix seconds).
        request_time: u64,
        /// The receiver's clock (Unix seconds).
        now: u64,
        /// The freshness window, in seconds.
        window: u64,
    },
    /// The signed `RequestTime` is further ahead of the receiver's clock than the window.
    Future {
        /// The `RequestTime` (Unix seconds).
        request_time: u64,
        /// The receiver's clock (Unix seconds).
        now: u64,
        /// The freshness window, in seconds.
        window: u64,
    },
    /// The body is larger than the receiver accepts (checked before it is read or decoded).
    BodyTooLarge {
        /// The limit, in bytes.
        limit: usize,
        /// The size (its `Content-Length`, or the whole body's); `None` when reading was cut off
        /// at the limit.
        actual: Option<u64>,
    },
    /// The body is shorter or longer than its `Content-Length` says.
    Truncated {
        /// The `Content-Length`.
        declared: u64,
        /// The bytes received.
        actual: u64,
    },
    /// A query parameter is missing, malformed, or given twice with different values.
    MalformedQuery {
        /// The parameter, as documented (`SdkAppid`, `CallbackCommand`, `RequestTime`, …).
        parameter: &'static str,
        /// What is wrong with it.
        problem: String,
    },
    /// The body is not JSON, or not what the spec of its command describes.
    MalformedBody(BodyError),
    /// The body could not be read (the connection broke).
    UnreadableBody {
        /// Why.
        reason: String,
    },
    /// Not a `POST` request.
    NotPost {
        /// The request's method.
        method: String,
    },
}

impl Rejection {
    /// The HTTP status of the answer: 403 for the app, signature and time checks, 413 for a body
    /// too large, 405 for another method than `POST`, 400 for anything malformed.
    pub fn status(&self) -> u16 {
        match self {
            Rejection::WrongApp { .. }
            | Rejection::MissingSign
            | Rejection::MissingRequestTime
            | Rejection::BadSign
            | Rejection::Stale { .. }
            | Rejection::Future { .. } => 403,
            Rejection::BodyTooLarge { .. } => 413,
            Rejection::NotPost { .. } => 405,
            Rejection::Truncated { .. }
            | Rejection::MalformedQuery { .. }
            | Rejection::MalformedBody(_)
            | Rejection::UnreadableBody { .. } => 400,
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::WrongApp { expected, got } => {
                write!(f, "the webhook is for SdkAppid {got}, not for this app's {expected}")
            }
            Rejection::MissingSign => f.write_str("the request carries no Sign, but a webhook token is configured"),
            Rejection::MissingRequestTime => f.write_str("the request carries a Sign but no RequestTime"),
            Rejection::BadSign => {
                f.write_str("the Sign is not the signature of the RequestTime with the webhook token")
            }
            Rejection::Stale { request_time, now, window } => write!(
                f,
                "the RequestTime {request_time} is {} s old; more than {window} s is refused as a replay",
                now.saturating_sub(*request_time)
            ),
            Rejection::Future { request_time, now, window } => write!(
                f,
                "the RequestTime {request_time} is {} s ahead of this receiver's clock; more than {window} s is refused",
                request_time.saturating_sub(*now)
            ),
            Rejection::BodyTooLarge { limit, actual: Some(actual) } => {
                write!(f, "the body has {actual} bytes, above the limit of {limit}")
            }
            Rejection::BodyTooLarge { limit, actual: None } => write!(f, "the body exceeds the limit of {limit} bytes"),
            Rejection::Truncated { declared, actual } => {
                write!(f, "the body has {actual} bytes but its Content-Length says {declared}")
            }
            Rejection::MalformedQuery { parameter, problem } => write!(f, "query parameter {parameter}: {problem}"),
            Rejection::MalformedBody(e) => e.fmt(f),
            Rejection::UnreadableBody { reason } => write!(f, "the body cannot be read: {reason}"),
            Rejection::NotPost { method } => write!(f, "webhooks are POST requests, not {method}"),
        }
    }
}

impl std::error::Error for Rejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Rejection::MalformedBody(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_reasons() {
        let stale = Rejection::Stale { request_time: 100, now: 200, window: 60 };
        assert_eq!(
            (stale.status(), stale.to_string().as_str()),
            (403, "the RequestTime 100 is 100 s old; more than 60 s is refused as a replay")
        );
        let future = Rejection::Future { request_time: 200, now: 100, window: 60 };
        assert_eq!(
            future.to_string(),
            "the RequestTime 200 is 100 s ahead of this receiver's clock; more than 60 s is refused"
        );
        let big = Rejection::BodyTooLarge { limit: 10, actual: Some(11) };
        assert_eq!((big.status(), big.to_string().as_str()), (413, "the body has 11 bytes, above the limit of 10"));
        let wrong = Rejection::WrongApp { expected: 1, got: 2 };
        assert_eq!(
            (wrong.status(), wrong.to_string().as_str()),
            (403, "the webhook is for SdkAppid 2, not for this app's 1")
        );
        let body = Rejection::MalformedBody(BodyError::new("Live.X", "the body is not JSON"));
        assert_eq!(body.status(), 400);
        assert!(std::error::Error::source(&body).is_some());
        assert_eq!(Rejection::NotPost { method: "GET".into() }.status(), 405);
    }
}
