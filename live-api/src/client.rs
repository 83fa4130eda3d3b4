//! The client: configuration, and the one generic `call` that every generated method goes
//! through. The machinery of a call (pacing, retries, the HTTP exchange) is in the [`call`]
//! module: it is not generic, so it is compiled once for all endpoints.

mod call;
pub mod hooks;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use self::call::TypedOutcome;
use crate::credentials::{Credentials, DEFAULT_TICKET_LIFETIME, EncodedTicket, TicketCache};
use crate::endpoint::Endpoint;
use crate::error::{BuildError, Error, ValidationError};
use crate::limiter::{Limiter, LocalLimiter};
use crate::query::Urls;
use crate::region::Region;
use crate::resilience::{RateLimitMode, RetryPolicy};
use crate::secret::Secret;
use crate::validate::{self, Rule, Violation};

/// Default per-request timeout: above the service's own 3 s budget, as the docs ask.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Answers larger than this are refused (a misbehaving server cannot exhaust memory).
pub const DEFAULT_MAX_ANSWER_BYTES: usize = 16 * 1024 * 1024;
/// Default overall deadline of a call: attempts, retry delays and rate-limit waits together.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(30);

/// A client of the Live REST API. Cheap to clone: clones share one connection pool and one
/// configuration.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use live_api::{Client, Region, ResumeMcuTask};
/// let client = Client::builder()
///     .sdk_app_id(1400000000)
///     .secret_key("<the application's secret key>")  // or .user_sig(ticket) for a ticket made elsewhere
///     .region(Region::Singapore)
///     .build()?;
/// // Or, from LIVE_API_SDKAPPID, LIVE_API_SECRET_KEY, LIVE_API_REGION …:
/// let client = Client::from_env()?;
/// client.resume_mcu_task(ResumeMcuTask::new("live-42")).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    urls: Urls,
    sdk_app_id: u64,
    admin: String,
    credentials: Credentials,
    max_answer_bytes: usize,
    retry: RetryPolicy,
    rate_limit: RateLimitMode,
    limiter: Arc<dyn Limiter>,
    deadline: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.urls.base())
            .field("sdk_app_id", &self.inner.sdk_app_id)
            .field("admin", &self.inner.admin)
            .field("credentials", &self.inner.credentials)
            .field("limiter", &self.inner.limiter)
            .finish()
    }
}

/// Builds a [`Client`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    sdk_app_id: Option<u64>,
    admin: String,
    user_sig: Option<Secret>,
    secret_key: Option<Secret>,
    ticket_lifetime: Duration,
    region: Option<Region>,
    base_url: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    max_answer_bytes: usize,
    retry: RetryPolicy,
    rate_limit: RateLimitMode,
    limiter: Option<Arc<dyn Limiter>>,
    deadline: Duration,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            sdk_app_id: None,
            admin: "administrator".into(),
            user_sig: None,
            secret_key: None,
            ticket_lifetime: DEFAULT_TICKET_LIFETIME,
            region: None,
            base_url: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_answer_bytes: DEFAULT_MAX_ANSWER_BYTES,
            retry: RetryPolicy::default(),
            rate_limit: RateLimitMode::default(),
            limiter: None,
            deadline: DEFAULT_DEADLINE,
        }
    }
}

impl ClientBuilder {
    /// The application's SDKAppID (required).
    pub fn sdk_app_id(mut self, id: u64) -> Self {
        self.sdk_app_id = Some(id);
        self
    }
    /// The App administrator account the calls are made as (default `administrator`).
    pub fn admin(mut self, identifier: impl Into<String>) -> Self {
        self.admin = identifier.into();
        self
    }
    /// A UserSig ticket made elsewhere for the admin account, used as it is (it is not renewed:
    /// prefer [`secret_key`](Self::secret_key)).
    pub fn user_sig(mut self, ticket: impl Into<Secret>) -> Self {
        self.user_sig = Some(ticket.into());
        self
    }
    /// The application's secret key: the client signs a ticket for the admin, caches it, and
    /// renews it after three quarters of its [lifetime](Self::ticket_lifetime).
    pub fn secret_key(mut self, key: impl Into<Secret>) -> Self {
        self.secret_key = Some(key.into());
        self
    }
    /// Lifetime of the tickets signed with the secret key (default one day).
    pub fn ticket_lifetime(mut self, lifetime: Duration) -> Self {
        self.ticket_lifetime = lifetime;
        self
    }
    /// The region of the SDKAppID; selects the REST domain.
    pub fn region(mut self, region: Region) -> Self {
        self.region = Some(region);
        self
    }
    /// A base URL instead of a region domain (a proxy, or a test server such as
    /// `http://127.0.0.1:8080`). Takes precedence over [`region`](Self::region).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }
    /// Timeout of one request, from sending to the end of the answer (default 10 s; the
    /// service's own budget is 3 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
    /// Timeout of establishing a connection (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }
    /// Largest answer accepted (default 16 MiB).
    pub fn max_answer_bytes(mut self, bytes: usize) -> Self {
        self.max_answer_bytes = bytes;
        self
    }
    /// Which failures are retried and how often (default: 3 attempts, see [`RetryPolicy`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }
    /// What a call does when its quota group is at its documented rate (default: wait).
    pub fn rate_limit(mut self, mode: RateLimitMode) -> Self {
        self.rate_limit = mode;
        self
    }
    /// Where the slots of the quota groups are kept (default: a [`LocalLimiter`] of this client
    /// and its clones). A `RedisLimiter` (cargo feature `redis`) shares each SDKAppID's quota
    /// between every process that uses the same Redis; see [`limiter`](crate::limiter). Clients
    /// built from one builder share the limiter given here.
    pub fn limiter(mut self, limiter: impl Limiter + 'static) -> Self {
        self.limiter = Some(Arc::new(limiter));
        self
    }
    /// Overall deadline of one call: every attempt, retry delay and rate-limit wait (default 30 s).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Builds the client, reporting every missing or malformed setting at once.
    pub fn build(self) -> Result<Client, BuildError> {
        let mut problems = Vec::new();
        if self.sdk_app_id.is_none() {
            problems.push("the SDKAppID is not set (ClientBuilder::sdk_app_id)".to_owned());
        }
        if self.admin.is_empty() {
            problems.push("the admin identifier is empty".to_owned());
        }
        if self.retry.max_attempts == 0 {
            problems.push("the retry policy allows no attempt (max_attempts is 0)".to_owned());
        }
        let user_sig = self.user_sig.filter(|s| !s.expose().is_empty());
        let secret_key = self.secret_key.filter(|s| !s.expose().is_empty());
        let credentials = match (user_sig, secret_key) {
            (Some(_), Some(_)) => {
                problems.push("both a secret key and a fixed UserSig are set; set one".to_owned());
                None
            }
            (Some(ticket), None) => Some(Credentials::Fixed(std::sync::Arc::new(EncodedTicket::new(ticket)))),
            (None, Some(key)) => {
                if self.ticket_lifetime.as_secs() < 60 {
                    problems.push("the ticket lifetime is below 60 s".to_owned());
                }
                Some(Credentials::Signing(TicketCache::new(
                    self.sdk_app_id.unwrap_or_default(),
                    key,
                    self.admin.clone(),
                    self.ticket_lifetime,
                )))
            }
            (None, None) => {
                problems.push("neither a secret key nor a UserSig is set (ClientBuilder::secret_key)".to_owned());
                None
            }
        };
        let base = match (&self.base_url, self.region) {
            (Some(url), _) => match check_base_url(url) {
                Ok(b) => Some(b),
                Err(p) => {
                    problems.push(p);
                    None
                }
            },
            (None, Some(region)) => Some(region.base_url()),
            (None, None) => {
                problems.push("neither a region nor a base URL is set".to_owned());
                None
            }
        };
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            .tcp_nodelay(true)
            .user_agent(concat!("live-api/", env!("CARGO_PKG_VERSION")))
            .build();
        let http = match http {
            Ok(h) => Some(h),
            Err(e) => {
                problems.push(format!("the HTTP client cannot be set up: {}", e.without_url()));
                None
            }
        };
        match (problems.is_empty(), self.sdk_app_id, credentials, base, http) {
            (true, Some(sdk_app_id), Some(credentials), Some(base), Some(http)) => Ok(Client {
                inner: Arc::new(Inner {
                    http,
                    urls: Urls::new(base, sdk_app_id, &self.admin),
                    sdk_app_id,
                    admin: self.admin,
                    credentials,
                    max_answer_bytes: self.max_answer_bytes,
                    retry: self.retry,
                    rate_limit: self.rate_limit,
                    limiter: self.limiter.unwrap_or_else(|| Arc::new(LocalLimiter::default())),
                    deadline: self.deadline,
                }),
            }),
            _ => Err(BuildError { problems }),
        }
    }
}

fn check_base_url(url: &str) -> Result<String, String> {
    let trimmed = url.trim_end_matches('/');
    let rest = trimmed.strip_prefix("https://").or_else(|| trimmed.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(['?', '#', ' ']) => Ok(trimmed.to_owned()),
        _ => Err(format!("the base URL {url:?} is not an http:// or https:// URL without query")),
    }
}

/// What the methods of a generated extension trait (`live_api::generate!` in a crate of your own)
/// call: the client of `self`. Implemented by [`Client`]; implement it for a type that holds one
/// to give that type the trait's methods too.
pub trait AsClient {
    /// The client to send the calls with.
    fn as_client(&self) -> &Client;
}

impl AsClient for Client {
    fn as_client(&self) -> &Client {
        self
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The SDKAppID calls are made for.
    pub fn sdk_app_id(&self) -> u64 {
        self.inner.sdk_app_id
    }

    /// The admin identifier calls are made as.
    pub fn admin(&self) -> &str {
        &self.inner.admin
    }

    /// The base URL calls go to (`https://<region domain>` or the configured one).
    pub fn base_url(&self) -> &str {
        self.inner.urls.base()
    }

    /// Calls any endpoint: checks the request against its documented limits, waits for capacity
    /// in its quota group, sends it, decodes the answer, and retries what the specs say may be
    /// retried (see [`RetryPolicy`]), all within the call's deadline. Every generated method is
    /// this call with its request type.
    ///
    /// Each call runs in a `tracing` span `live_api.call` with the fields `service`, `command`,
    /// `attempt`, `status`, `request_id`, `error_code` and `duration_ms` (never the ticket or the
    /// key). Dropping the returned future at any point leaves the client fully usable.
    pub async fn call<E: Endpoint>(&self, request: E) -> Result<E::Response, Error<E::Code>> {
        // Only the checks, the body and the typed decoding are generic; the rest of the call is
        // compiled once, in `run` (see the `call` module).
        let (body, mut typed) = match validated_body(&request) {
            Ok(body) => (Some(Bytes::from(body)), TypedOutcome::<E>::new()),
            Err(invalid) => (None, TypedOutcome::<E>::settled(Error::Invalid(invalid))),
        };
        drop(request); // not needed by the attempts: not kept in the future
        self.run(&E::META, body, &mut typed).await;
        typed.into_result()
    }

    /// The URL of one attempt at `path`: the account, the percent-encoded `ticket`, and a fresh
    /// `random`.
    fn url(&self, path: &str, ticket: &str) -> String {
        self.inner.urls.attempt(path, ticket, fastrand::u32(..))
    }
}

/// Checks a request against its documented limits and renders its JSON body (once per call,
/// however many attempts it takes).
fn validated_body<E: Endpoint>(request: &E) -> Result<Vec<u8>, ValidationError> {
    let violations = validate::check(request);
    if !violations.is_empty() {
        return Err(ValidationError::new(&E::META, violations));
    }
    serde_json::to_vec(request).map_err(|e| {
        let v = Violation { field: String::new(), rule: Rule::Unserializable { message: e.to_string() } };
        ValidationError::new(&E::META, vec![v])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_reports_every_problem_without_the_ticket() {
        let e = Client::builder().admin("").base_url("ftp://x").build().unwrap_err();
        assert_eq!(e.problems().len(), 4, "{e}");
        let ok = Client::builder().sdk_app_id(1).user_sig("TICKET-XYZ").region(Region::Jakarta).build().unwrap();
        assert_eq!(ok.base_url(), "https://adminapiidn.im.qcloud.com");
        assert!(!format!("{ok:?}").contains("TICKET-XYZ"));
    }
}
