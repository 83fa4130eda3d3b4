//! The machinery of a call: rate-limit pacing, the deadline, retries, the HTTP exchange, reading
//! the answer and the `live_api.call` tracing span.
//!
//! None of it is generic over the endpoint, and that is the point of this module: a generic
//! `async fn` is compiled once per endpoint type in every crate that awaits the calls, so a
//! generic machinery was compiled hundreds of times (measured: docs/performance.md, "Reading
//! the numbers"). Here it is compiled once (rustc generates the body of a non-generic
//! `async fn` in the first crate that polls it, still once for all endpoints). What does depend
//! on the endpoint is small and synchronous, and reaches the machinery through the object-safe
//! [`Attempt`] trait: decoding an answer into `E::Response` or `Error<E::Code>`, deciding whether
//! that error may be retried (by [`Error::retry_class`], the public rule), and describing it to
//! the span. [`TypedOutcome`] implements it for every endpoint; [`Client::call`] validates and
//! serializes the request (also generic, also sync) and hands both to [`Client::run`].

use std::error::Error as StdError;
use std::fmt;
use std::marker::PhantomData;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use tracing::Instrument as _;
use tracing::field::Empty;

use super::Client;
use crate::codes::{ErrorCode as _, RetryClass};
use crate::credentials::EncodedTicket;
use crate::endpoint::{Endpoint, EndpointMeta};
use crate::envelope::{self, Answer};
use crate::error::{Error, RateLimitedError, TransportError, TransportKind};
use crate::limiter::{LimiterError, Reservation, SlotRequest};
use crate::resilience::RateLimitMode;
use crate::secret::Secret;

/// The endpoint-typed half of a call, as the non-generic machinery sees it. It keeps the latest
/// outcome (the result of the call once the machinery returns).
pub(crate) trait Attempt: Send {
    /// Decodes the answer to attempt number `attempt` and keeps the result. `secrets` are
    /// scrubbed from any excerpt of the body.
    fn decode(&mut self, answer: &Answer<'_>, secrets: &[&str], attempt: u32) -> Verdict;
    /// Keeps an error the machinery made itself (its attempt count already set).
    fn fail(&mut self, error: CoreError) -> Verdict;
    /// The kept error, if the latest outcome is one.
    fn error_facts(&self) -> Option<ErrorFacts<'_>>;
}

/// Whether the outcome just kept may be retried.
pub(crate) enum Verdict {
    /// A success, or an error that retrying cannot help (or that could do the work twice).
    Final,
    /// An error worth another attempt, if the policy and the deadline allow one.
    Retryable(RetryClass),
}

/// What the span and the debug events show of an error.
pub(crate) struct ErrorFacts<'a> {
    /// The API error code, if the service answered with one.
    pub code: Option<i64>,
    /// The request id of the answer, if there was one.
    pub request_id: Option<&'a str>,
    /// The error, for its display text.
    pub error: &'a dyn fmt::Display,
}

/// An error the machinery makes itself: it carries no API code, so it does not depend on the
/// endpoint's code type.
pub(crate) enum CoreError {
    /// No (complete) answer, or the deadline passed.
    Transport(TransportError),
    /// No capacity in the quota group, and the client fails fast.
    RateLimited(RateLimitedError),
    /// The shared limiter gave no answer, and the client fails in that case.
    Limiter(LimiterError),
}

impl<C> From<CoreError> for Error<C> {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::Transport(t) => Error::Transport(t),
            CoreError::RateLimited(r) => Error::RateLimited(r),
            CoreError::Limiter(l) => Error::Limiter(l),
        }
    }
}

/// [`Attempt`] for the endpoint `E`: the latest outcome, typed.
pub(crate) struct TypedOutcome<E: Endpoint> {
    outcome: Option<Result<E::Response, Error<E::Code>>>,
    endpoint: PhantomData<fn() -> E>,
}

impl<E: Endpoint> TypedOutcome<E> {
    /// No outcome yet.
    pub(crate) fn new() -> Self {
        TypedOutcome { outcome: None, endpoint: PhantomData }
    }

    /// Already decided before any attempt (a request refused by validation).
    pub(crate) fn settled(error: Error<E::Code>) -> Self {
        TypedOutcome { outcome: Some(Err(error)), endpoint: PhantomData }
    }

    /// The result of the call, once [`Client::run`] has returned.
    pub(crate) fn into_result(self) -> Result<E::Response, Error<E::Code>> {
        self.outcome.expect("Client::run returns only once it has kept an outcome")
    }

    fn keep(&mut self, outcome: Result<E::Response, Error<E::Code>>) -> Verdict {
        let verdict = match &outcome {
            Err(e) => e.retry_class().map_or(Verdict::Final, Verdict::Retryable),
            Ok(_) => Verdict::Final,
        };
        self.outcome = Some(outcome);
        verdict
    }
}

impl<E: Endpoint> Attempt for TypedOutcome<E> {
    fn decode(&mut self, answer: &Answer<'_>, secrets: &[&str], attempt: u32) -> Verdict {
        let mut outcome = envelope::decode::<E>(answer, secrets);
        if let Err(e) = &mut outcome {
            e.set_attempts(attempt);
        }
        self.keep(outcome)
    }

    fn fail(&mut self, error: CoreError) -> Verdict {
        self.keep(Err(error.into()))
    }

    fn error_facts(&self) -> Option<ErrorFacts<'_>> {
        match &self.outcome {
            Some(Err(e)) => Some(ErrorFacts { code: e.code().map(|c| c.code()), request_id: e.request_id(), error: e }),
            _ => None,
        }
    }
}

/// An answer as read off the wire.
struct Received {
    status: u16,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// Why an exchange got no (complete) answer.
struct NoAnswer {
    kind: TransportKind,
    /// The underlying error, stripped of the request URL (which carries the ticket).
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl NoAnswer {
    fn of(kind: TransportKind) -> Self {
        NoAnswer { kind, source: None }
    }

    fn from_reqwest(e: reqwest::Error) -> Self {
        NoAnswer { kind: classify(&e), source: Some(Box::new(e.without_url())) }
    }
}

fn classify(e: &reqwest::Error) -> TransportKind {
    // A connect error (timed out or refused) means nothing was sent: check it first.
    if e.is_connect() {
        TransportKind::Connect
    } else if e.is_timeout() {
        TransportKind::Timeout
    } else {
        TransportKind::Interrupted
    }
}

fn transport(
    meta: &EndpointMeta,
    kind: TransportKind,
    source: Option<Box<dyn StdError + Send + Sync>>,
    attempts: u32,
) -> CoreError {
    let (service, command, idempotent) = (meta.service, meta.command, meta.idempotent);
    CoreError::Transport(TransportError { service, command, kind, source, attempts, idempotent })
}

impl Client {
    /// Runs a call of the endpoint described by `meta`, in its `live_api.call` span, and leaves
    /// the result in `typed`. `body` is the request's JSON, or `None` when the request was
    /// refused before sending (its error is already in `typed`).
    ///
    /// Not generic, so that it is compiled once rather than once per endpoint (see the module
    /// documentation).
    pub(super) async fn run(&self, meta: &'static EndpointMeta, body: Option<Bytes>, typed: &mut dyn Attempt) {
        let span = tracing::debug_span!(
            "live_api.call",
            service = meta.service,
            command = meta.command,
            attempt = Empty,
            status = Empty,
            request_id = Empty,
            error_code = Empty,
            duration_ms = Empty,
        );
        let start = Instant::now();
        self.attempts(meta, body.as_ref(), typed, &span).instrument(span.clone()).await;
        span.record("duration_ms", start.elapsed().as_millis() as u64);
        match typed.error_facts() {
            None => tracing::debug!(parent: &span, "call succeeded"),
            Some(failure) => {
                if let Some(code) = failure.code {
                    span.record("error_code", code);
                }
                if let Some(id) = failure.request_id {
                    span.record("request_id", id);
                }
                tracing::debug!(parent: &span, error = %failure.error, "call failed");
            }
        }
    }

    /// The attempts of a call: pacing, then one exchange within what is left of the deadline,
    /// then a retry delay if the outcome may be retried, until the outcome is final, the policy
    /// allows no more attempts or the deadline would pass.
    async fn attempts(&self, meta: &EndpointMeta, body: Option<&Bytes>, typed: &mut dyn Attempt, span: &tracing::Span) {
        // A request refused by validation is reported at once: it neither waits for nor takes a
        // slot of its quota group.
        let Some(body) = body else { return };
        let inner = &self.inner;
        let deadline = Instant::now() + inner.deadline;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            if let Err(e) = self.pace(meta, deadline, attempt).await {
                typed.fail(e);
                return;
            }
            let ticket = inner.credentials.ticket();
            let remaining = deadline.saturating_duration_since(Instant::now());
            let verdict = match tokio::time::timeout(remaining, self.exchange(meta.path, body, &ticket)).await {
                Ok(Ok(received)) => {
                    let answer = Answer {
                        status: received.status,
                        content_type: received.content_type.as_deref(),
                        body: &received.body,
                    };
                    typed.decode(&answer, &self.secrets(&ticket), attempt)
                }
                Ok(Err(no)) => typed.fail(transport(meta, no.kind, no.source, attempt)),
                Err(_) => typed.fail(transport(meta, TransportKind::DeadlineExceeded, None, attempt)),
            };
            let Verdict::Retryable(class) = verdict else { return };
            if attempt >= inner.retry.max_attempts {
                return;
            }
            let delay = inner.retry.delay(class, attempt);
            if Instant::now() + delay >= deadline {
                return;
            }
            if let Some(failure) = typed.error_facts() {
                let delay_ms = delay.as_millis() as u64;
                tracing::debug!(attempt, retry_class = %class, delay_ms, error = %failure.error, "retrying");
            }
            tokio::time::sleep(delay).await;
        }
    }

    /// Waits for the next slot of the endpoint's quota group. Fails when there is none in time:
    /// at once when the client fails fast, otherwise before the deadline.
    async fn pace(&self, meta: &EndpointMeta, deadline: Instant, attempt: u32) -> Result<(), CoreError> {
        let inner = &self.inner;
        if inner.rate_limit == RateLimitMode::Off {
            return Ok(());
        }
        let now = Instant::now();
        let fail_fast = inner.rate_limit == RateLimitMode::FailFast;
        let max_wait = if fail_fast { Duration::ZERO } else { deadline.saturating_duration_since(now) };
        let request = SlotRequest {
            sdk_app_id: inner.sdk_app_id,
            quota_group: meta.quota_group,
            calls_per_second: meta.calls_per_second,
            max_wait,
            deadline,
        };
        let reservation = inner.limiter.reserve(request).await.map_err(|mut e| {
            (e.service, e.command, e.attempts) = (meta.service, meta.command, attempt - 1);
            CoreError::Limiter(e)
        })?;
        match reservation {
            Reservation::Granted(wait) if wait.is_zero() => Ok(()),
            Reservation::Granted(wait) => {
                tokio::time::sleep(wait).await;
                Ok(())
            }
            Reservation::Refused(wait) if fail_fast => Err(CoreError::RateLimited(RateLimitedError {
                service: meta.service,
                command: meta.command,
                quota_group: meta.quota_group,
                calls_per_second: meta.calls_per_second.to_string(),
                wait,
            })),
            Reservation::Refused(_) => Err(transport(meta, TransportKind::DeadlineExceeded, None, attempt - 1)),
        }
    }

    /// One request to `path` with `body`, and its whole answer (at most `max_answer_bytes`).
    async fn exchange(&self, path: &str, body: &Bytes, ticket: &EncodedTicket) -> Result<Received, NoAnswer> {
        let url = self.url(path, ticket.query.expose());
        let sent = self
            .inner
            .http
            .post(url)
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(body.clone())
            .send()
            .await;
        let mut response = sent.map_err(NoAnswer::from_reqwest)?;
        let status = response.status().as_u16();
        tracing::Span::current().record("status", status);
        let content_type = response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let cap = self.inner.max_answer_bytes;
        if response.content_length().is_some_and(|n| n > cap as u64) {
            return Err(NoAnswer::of(TransportKind::TooLarge));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(NoAnswer::from_reqwest)? {
            if body.len() + chunk.len() > cap {
                return Err(NoAnswer::of(TransportKind::TooLarge));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Received { status, content_type, body })
    }

    /// The texts no error may show: the ticket of the attempt and the secret key.
    fn secrets<'a>(&'a self, ticket: &'a EncodedTicket) -> Vec<&'a str> {
        let mut secrets = vec![ticket.raw.expose()];
        secrets.extend(self.inner.credentials.key().map(Secret::expose));
        secrets
    }
}
