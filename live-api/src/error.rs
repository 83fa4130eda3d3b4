//! Errors of a call: a broken limit (nothing was sent), an API error code, an answer that is not
//! the documented envelope, or a transport failure. None of them carries the secret key or the
//! UserSig ticket: transport errors are stripped of the request URL, and body excerpts are
//! scrubbed of the ticket.

use std::error::Error as StdError;
use std::fmt;

use crate::codes::{CodeInfo, ErrorCode, RetryClass};
use crate::endpoint::EndpointMeta;
use crate::limiter::LimiterError;
use crate::validate::Violation;

/// The error of a call to an endpoint whose error codes are `C`.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<C> {
    /// The request breaks a documented limit; nothing was sent.
    Invalid(ValidationError),
    /// The service answered with a non-zero `ErrorCode`.
    Api(ApiError<C>),
    /// The answer is not the documented envelope (HTML, truncated JSON, a 502, a field of
    /// another type …). Boxed: it is the largest and the rarest.
    Answer(Box<AnswerError>),
    /// The request did not get an answer (connection refused, timeout, reset …).
    Transport(TransportError),
    /// The quota group had no capacity and the client is set to fail fast
    /// ([`RateLimitMode::FailFast`](crate::RateLimitMode::FailFast)); nothing was sent.
    RateLimited(RateLimitedError),
    /// The shared rate limiter gave no answer and is set to fail rather than pace locally
    /// ([`OnRedisFailure::Fail`](crate::limiter)); nothing was sent for this attempt.
    Limiter(LimiterError),
}

impl<C: ErrorCode> Error<C> {
    /// The API error code, when the service answered with one.
    pub fn code(&self) -> Option<C> {
        match self {
            Error::Api(e) => Some(e.code),
            _ => None,
        }
    }
    /// The request id of the answer, when there was one: support asks for it.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => Some(&e.request_id),
            Error::Answer(e) => e.request_id.as_deref(),
            _ => None,
        }
    }
    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(_) => Some(200),
            Error::Answer(e) => Some(e.status),
            _ => None,
        }
    }
    /// The endpoint called, as `service/command`.
    pub fn endpoint(&self) -> String {
        let (s, c) = match self {
            Error::Invalid(e) => (e.service, e.command),
            Error::Api(e) => (e.service, e.command),
            Error::Answer(e) => (e.service, e.command),
            Error::Transport(e) => (e.service, e.command),
            Error::RateLimited(e) => (e.service, e.command),
            Error::Limiter(e) => (e.service, e.command),
        };
        format!("{s}/{c}")
    }
    /// How many requests were sent (0 when the request was refused before sending).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Invalid(_) | Error::RateLimited(_) => 0,
            Error::Api(e) => e.attempts,
            Error::Answer(e) => e.attempts,
            Error::Transport(e) => e.attempts,
            Error::Limiter(e) => e.attempts,
        }
    }
    pub(crate) fn set_attempts(&mut self, n: u32) {
        match self {
            Error::Invalid(_) | Error::RateLimited(_) => {}
            Error::Api(e) => e.attempts = n,
            Error::Answer(e) => e.attempts = n,
            Error::Transport(e) => e.attempts = n,
            Error::Limiter(e) => e.attempts = n,
        }
    }
    /// Whether a retry may help, and how: the rule the client's own retries follow (within its
    /// [`RetryPolicy`](crate::RetryPolicy) and deadline). `None` when retrying cannot help, or
    /// could do the work twice.
    ///
    /// - An API error code: its class from the spec; `None` for permanent codes (and for codes
    ///   the spec does not list).
    /// - HTTP 429: throttled, for every endpoint (the service refused the call).
    /// - HTTP 5xx: transient for idempotent endpoints only (the backend may have done the work);
    ///   any other status that is not the envelope: `None`.
    /// - A refused connection: transient, for every endpoint (nothing was sent).
    /// - A timeout or a broken connection: transient for idempotent endpoints only; an answer over
    ///   the size cap or a passed deadline: `None`.
    /// - A broken limit, or no capacity with [`RateLimitMode::FailFast`](crate::RateLimitMode):
    ///   `None` (nothing was sent, and the same call would fail the same way at once); a shared
    ///   limiter that gave no answer: `None` (nothing was sent; the client was told to fail).
    pub fn retry_class(&self) -> Option<RetryClass> {
        match self {
            Error::Invalid(_) | Error::RateLimited(_) | Error::Limiter(_) => None,
            Error::Api(e) => Some(e.code.retry_class()).filter(|r| *r != RetryClass::Permanent),
            Error::Answer(e) if e.status == 429 => Some(RetryClass::Throttled),
            // A gateway error: the backend may or may not have done the work.
            Error::Answer(e) if e.status >= 500 && e.idempotent => Some(RetryClass::Transient),
            Error::Answer(_) => None,
            Error::Transport(e) => match e.kind {
                TransportKind::Connect => Some(RetryClass::Transient),
                TransportKind::Timeout | TransportKind::Interrupted if e.idempotent => Some(RetryClass::Transient),
                TransportKind::Timeout
                | TransportKind::Interrupted
                | TransportKind::TooLarge
                | TransportKind::DeadlineExceeded => None,
            },
        }
    }
}

fn attempts_suffix(f: &mut fmt::Formatter<'_>, attempts: u32) -> fmt::Result {
    if attempts > 1 { write!(f, " (after {attempts} attempts)") } else { Ok(()) }
}

impl<C: ErrorCode> fmt::Display for Error<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid(e) => e.fmt(f),
            Error::Api(e) => e.fmt(f),
            Error::Answer(e) => e.fmt(f),
            Error::Transport(e) => e.fmt(f),
            Error::RateLimited(e) => e.fmt(f),
            Error::Limiter(e) => write!(f, "{}/{}: {e}", e.service, e.command),
        }
    }
}

impl<C: ErrorCode> StdError for Error<C> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Transport(e) => e.source(),
            _ => None,
        }
    }
}

/// A request that breaks documented limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    service: &'static str,
    command: &'static str,
    violations: Vec<Violation>,
}

impl ValidationError {
    pub(crate) fn new(meta: &EndpointMeta, violations: Vec<Violation>) -> Self {
        ValidationError { service: meta.service, command: meta.command, violations }
    }
    /// Every broken limit.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid request for {}/{}:", self.service, self.command)?;
        for v in &self.violations {
            write!(f, "\n  {v}")?;
        }
        Ok(())
    }
}

impl StdError for ValidationError {}

/// The service answered with a non-zero `ErrorCode`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError<C> {
    pub(crate) service: &'static str,
    pub(crate) command: &'static str,
    /// The code, as the endpoint's enum.
    pub code: C,
    /// `ErrorInfo` of the answer.
    pub message: String,
    /// `RequestId` of the answer.
    pub request_id: String,
    pub(crate) attempts: u32,
}

impl<C: ErrorCode> fmt::Display for ApiError<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The formatting itself is not generic: it is compiled once, not once per endpoint.
        let code = self.code.info();
        api_error_text(f, self.service, self.command, code, &self.message, &self.request_id, self.attempts)
    }
}

fn api_error_text(
    f: &mut fmt::Formatter<'_>,
    service: &str,
    command: &str,
    code: Result<&CodeInfo, i64>,
    message: &str,
    request_id: &str,
    attempts: u32,
) -> fmt::Result {
    let raw = match code {
        Ok(info) => info.code,
        Err(raw) => raw,
    };
    write!(f, "{service}/{command} failed: {raw} {message}")?;
    match code {
        Ok(info) => write!(f, " ({}, {})", info.name, info.retry)?,
        Err(_) => write!(f, " (undocumented code)")?,
    }
    write!(f, ", request id {}", if request_id.is_empty() { "none" } else { request_id })?;
    attempts_suffix(f, attempts)
}

impl<C: ErrorCode> StdError for ApiError<C> {}

/// An answer that is not the documented JSON envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerError {
    pub(crate) service: &'static str,
    pub(crate) command: &'static str,
    /// HTTP status.
    pub status: u16,
    /// `Content-Type` of the answer, if any.
    pub content_type: Option<String>,
    /// What was wrong with it.
    pub reason: String,
    /// The first bytes of the body (at most 200), as text, with the ticket scrubbed; empty when
    /// the body is empty or withheld.
    pub excerpt: String,
    /// Whether the body is withheld: the endpoint's request or answer holds a secret field, which
    /// an excerpt could show.
    pub excerpt_withheld: bool,
    /// `RequestId`, when the envelope carried one.
    pub request_id: Option<String>,
    pub(crate) attempts: u32,
    /// Whether the endpoint is idempotent (for [`Error::retry_class`]).
    pub(crate) idempotent: bool,
}

impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{} answered HTTP {}", self.service, self.command, self.status)?;
        if let Some(ct) = &self.content_type {
            write!(f, " with {ct}")?;
        }
        write!(f, ", not the documented JSON envelope: {}", self.reason)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        attempts_suffix(f, self.attempts)?;
        if self.excerpt_withheld {
            write!(f, "\n  body withheld: this endpoint's request or answer holds a secret")
        } else if self.excerpt.is_empty() {
            write!(f, "\n  body is empty")
        } else {
            write!(f, "\n  body starts: {}", self.excerpt)
        }
    }
}

impl StdError for AnswerError {}

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// The connection could not be made.
    Connect,
    /// No answer in time.
    Timeout,
    /// The connection broke while the request or answer was in flight.
    Interrupted,
    /// The answer exceeded the size cap.
    TooLarge,
    /// The call's overall deadline passed (retries and waits included).
    DeadlineExceeded,
}

/// The request got no (complete) answer.
#[derive(Debug)]
pub struct TransportError {
    pub(crate) service: &'static str,
    pub(crate) command: &'static str,
    /// What happened.
    pub kind: TransportKind,
    /// The underlying error, stripped of the request URL (which carries the ticket).
    pub(crate) source: Option<Box<dyn StdError + Send + Sync>>,
    pub(crate) attempts: u32,
    /// Whether the endpoint is idempotent (for [`Error::retry_class`]).
    pub(crate) idempotent: bool,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportKind::Connect => "could not connect to the service",
            TransportKind::Timeout => "timed out waiting for the answer",
            TransportKind::Interrupted => "the connection broke before the answer was complete",
            TransportKind::TooLarge => "the answer exceeded the size cap",
            TransportKind::DeadlineExceeded => "the call's deadline passed",
        };
        write!(f, "{}/{}: {what}", self.service, self.command)?;
        if let Some(s) = &self.source {
            write!(f, ": {s}")?;
        }
        attempts_suffix(f, self.attempts)
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn StdError + 'static))
    }
}

/// A call refused on the client side because its quota group had no capacity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimitedError {
    pub(crate) service: &'static str,
    pub(crate) command: &'static str,
    /// The quota group.
    pub quota_group: &'static str,
    /// Its documented rate.
    pub calls_per_second: String,
    /// How long the call would have had to wait.
    pub wait: std::time::Duration,
}

impl fmt::Display for RateLimitedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}: quota group `{}` ({} calls per second) has no capacity for {:?}; nothing was sent",
            self.service, self.command, self.quota_group, self.calls_per_second, self.wait
        )
    }
}

impl StdError for RateLimitedError {}

/// A client that cannot be built from its configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    pub(crate) problems: Vec<String>,
}

impl BuildError {
    /// Every problem found.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot build the live-api client: {}", self.problems.join("; "))
    }
}

impl StdError for BuildError {}
