//! Exit statuses of `live-api`.
//!
//! | status | meaning |
//! |---|---|
//! | 0 | success: the typed answer is on stdout as JSON |
//! | 1 | the service answered with an error code (`ErrorCode` ≠ 0), or `usersig verify` found the ticket invalid |
//! | 2 | usage: an unknown command, endpoint or flag, or a flag value of the wrong type |
//! | 3 | invalid request: the body is not JSON, does not match the endpoint's request type, or breaks a documented limit; nothing was sent |
//! | 4 | no answer: the connection failed, timed out or broke (or the client's own rate limiting gave up) |
//! | 5 | an answer that is not the documented envelope (an HTTP error page, a payload of the wrong shape) |
//! | 6 | configuration: the `LIVE_API_*` environment is incomplete or malformed, or the emulator cannot start |

/// An API error code.
pub const API: i32 = 1;
/// Bad command line.
pub const USAGE: i32 = 2;
/// A request that was not sent: not JSON, wrong shape, or a broken limit.
pub const INVALID: i32 = 3;
/// No answer.
pub const TRANSPORT: i32 = 4;
/// An answer that is not the envelope.
pub const ANSWER: i32 = 5;
/// Bad configuration.
pub const CONFIG: i32 = 6;

/// The exit status of a failed call.
pub fn of<C: live_api::ErrorCode>(e: &live_api::Error<C>) -> i32 {
    match e {
        live_api::Error::Invalid(_) => INVALID,
        live_api::Error::Api(_) => API,
        live_api::Error::Answer(_) => ANSWER,
        // Transport failures, and anything else that left the call without an answer.
        _ => TRANSPORT,
    }
}

/// A command that failed: its exit status and what to print on stderr.
#[derive(Debug)]
pub struct Failed {
    pub status: i32,
    pub message: String,
}

impl Failed {
    pub fn new(status: i32, message: impl Into<String>) -> Self {
        Failed { status, message: message.into() }
    }
}
