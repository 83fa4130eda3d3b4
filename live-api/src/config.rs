//! Building a client from environment variables.
//!
//! | variable | meaning |
//! |---|---|
//! | `LIVE_API_SDKAPPID` | the SDKAppID (required) |
//! | `LIVE_API_SECRET_KEY` | the application's secret key: the client signs and renews its tickets |
//! | `LIVE_API_USERSIG` | a ticket made elsewhere, instead of the secret key |
//! | `LIVE_API_ADMIN` | the admin identifier (default `administrator`) |
//! | `LIVE_API_REGION` | `china`, `singapore`, `silicon-valley`, `jakarta` (documented for Live), or the Chat-only `seoul`, `frankfurt`, `tokyo`, `mumbai` (not confirmed for Live) |
//! | `LIVE_API_BASE_URL` | a base URL instead of a region (a proxy, a local emulator) |
//! | `LIVE_API_TICKET_LIFETIME` | lifetime of signed tickets, in seconds (default 86400) |
//! | `LIVE_API_TIMEOUT` | per-request timeout, in seconds (default 10; fractions allowed) |
//! | `LIVE_API_RATE_LIMIT_REDIS` | `redis://[user:password@]host[:port][/db]`: pace calls through this Redis, shared by every process that uses it (cargo feature `redis`) |
//! | `LIVE_API_RATE_LIMIT_REDIS_ON_FAILURE` | `local` (default: pace in this process at its share of the rate, with a warning, while Redis does not answer) or `fail` |
//! | `LIVE_API_RATE_LIMIT_REDIS_PROCESSES` | the fewest processes assumed to share a quota when pacing locally (default 1; `RedisLimiter::assumed_processes`) |
//!
//! Exactly one of the secret key and the ticket, and one of the region and the base URL, must be
//! set. Every missing or malformed variable is reported in one [`BuildError`]; values of secrets
//! never appear in it.

use std::time::Duration;

use crate::client::{Client, ClientBuilder};
use crate::error::BuildError;
use crate::region::Region;

/// Name of the SDKAppID variable.
pub const ENV_SDKAPPID: &str = "LIVE_API_SDKAPPID";
/// Name of the secret key variable.
pub const ENV_SECRET_KEY: &str = "LIVE_API_SECRET_KEY";
/// Name of the fixed ticket variable.
pub const ENV_USERSIG: &str = "LIVE_API_USERSIG";
/// Name of the admin identifier variable.
pub const ENV_ADMIN: &str = "LIVE_API_ADMIN";
/// Name of the region variable.
pub const ENV_REGION: &str = "LIVE_API_REGION";
/// Name of the base URL variable.
pub const ENV_BASE_URL: &str = "LIVE_API_BASE_URL";
/// Name of the ticket lifetime variable.
pub const ENV_TICKET_LIFETIME: &str = "LIVE_API_TICKET_LIFETIME";
/// Name of the timeout variable.
pub const ENV_TIMEOUT: &str = "LIVE_API_TIMEOUT";
/// Name of the variable that selects the Redis limiter.
pub const ENV_RATE_LIMIT_REDIS: &str = "LIVE_API_RATE_LIMIT_REDIS";
/// Name of the variable that says what the Redis limiter does when Redis does not answer.
pub const ENV_RATE_LIMIT_REDIS_ON_FAILURE: &str = "LIVE_API_RATE_LIMIT_REDIS_ON_FAILURE";
/// Name of the variable that says how many processes the Redis limiter assumes when it paces
/// locally.
pub const ENV_RATE_LIMIT_REDIS_PROCESSES: &str = "LIVE_API_RATE_LIMIT_REDIS_PROCESSES";

impl ClientBuilder {
    /// A builder configured from the process environment (see the table in [`config`](crate::config)).
    pub fn from_env() -> Result<ClientBuilder, BuildError> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// A builder configured from variables read through `get` (the environment, a file, a test).
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder, BuildError> {
        let var = |name: &str| get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let mut problems = Vec::new();
        let mut b = Client::builder();
        match var(ENV_SDKAPPID).map(|v| v.parse::<u64>()) {
            Some(Ok(id)) => b = b.sdk_app_id(id),
            Some(Err(_)) => problems.push(format!("{ENV_SDKAPPID} is not a whole number")),
            None => problems.push(format!("{ENV_SDKAPPID} is not set")),
        }
        match (var(ENV_SECRET_KEY), var(ENV_USERSIG)) {
            (Some(_), Some(_)) => problems.push(format!("both {ENV_SECRET_KEY} and {ENV_USERSIG} are set; set one")),
            (Some(key), None) => b = b.secret_key(key),
            (None, Some(ticket)) => b = b.user_sig(ticket),
            (None, None) => problems.push(format!("neither {ENV_SECRET_KEY} nor {ENV_USERSIG} is set")),
        }
        if let Some(admin) = var(ENV_ADMIN) {
            b = b.admin(admin);
        }
        match (var(ENV_REGION), var(ENV_BASE_URL)) {
            (Some(_), Some(_)) => problems.push(format!("both {ENV_REGION} and {ENV_BASE_URL} are set; set one")),
            (Some(r), None) => match r.parse::<Region>() {
                Ok(region) => b = b.region(region),
                Err(e) => problems.push(format!("{ENV_REGION}: {e}")),
            },
            (None, Some(url)) => b = b.base_url(url),
            (None, None) => problems.push(format!("neither {ENV_REGION} nor {ENV_BASE_URL} is set")),
        }
        if let Some(v) = var(ENV_TICKET_LIFETIME) {
            match v.parse::<u64>() {
                Ok(s) if s >= 60 => b = b.ticket_lifetime(Duration::from_secs(s)),
                _ => problems.push(format!("{ENV_TICKET_LIFETIME} must be a whole number of seconds, at least 60")),
            }
        }
        if let Some(v) = var(ENV_TIMEOUT) {
            match v.parse::<f64>() {
                Ok(s) if s > 0.0 && s.is_finite() && s < 86_400.0 => b = b.timeout(Duration::from_secs_f64(s)),
                _ => problems.push(format!("{ENV_TIMEOUT} must be a number of seconds above 0")),
            }
        }
        let redis = [ENV_RATE_LIMIT_REDIS_ON_FAILURE, ENV_RATE_LIMIT_REDIS_PROCESSES].map(|name| (name, var(name)));
        match var(ENV_RATE_LIMIT_REDIS) {
            Some(url) => b = redis_limiter(b, &url, &redis, &mut problems),
            None => {
                for (name, _) in redis.iter().filter(|(_, v)| v.is_some()) {
                    problems.push(format!("{name} is set without {ENV_RATE_LIMIT_REDIS}"));
                }
            }
        }
        if problems.is_empty() { Ok(b) } else { Err(BuildError { problems }) }
    }
}

/// `b` with the Redis limiter of `url` and its `settings` (the variables that qualify it, and
/// their values), or their problems.
#[cfg(feature = "redis")]
fn redis_limiter(
    b: ClientBuilder,
    url: &str,
    settings: &[(&str, Option<String>); 2],
    problems: &mut Vec<String>,
) -> ClientBuilder {
    use crate::limiter::{OnRedisFailure, RedisLimiter};
    let [(_, on_failure), (_, processes)] = settings;
    let on_failure = match on_failure.as_deref() {
        None | Some("local") => Some(OnRedisFailure::PaceLocally),
        Some("fail") => Some(OnRedisFailure::Fail),
        Some(_) => {
            problems.push(format!("{ENV_RATE_LIMIT_REDIS_ON_FAILURE} must be `local` or `fail`"));
            None
        }
    };
    let processes = match processes.as_deref().map(str::parse::<u32>) {
        None => Some(1),
        Some(Ok(n)) if n >= 1 => Some(n),
        Some(_) => {
            problems.push(format!("{ENV_RATE_LIMIT_REDIS_PROCESSES} must be a whole number, at least 1"));
            None
        }
    };
    match (RedisLimiter::new(url), on_failure, processes) {
        (Ok(limiter), Some(on_failure), Some(processes)) => {
            b.limiter(limiter.on_failure(on_failure).assumed_processes(processes))
        }
        (Ok(_), _, _) => b,
        (Err(e), _, _) => {
            problems.push(format!("{ENV_RATE_LIMIT_REDIS}: {e}"));
            b
        }
    }
}

/// Without the `redis` feature, the variable is a problem rather than silently ignored.
#[cfg(not(feature = "redis"))]
fn redis_limiter(
    b: ClientBuilder,
    _url: &str,
    _settings: &[(&str, Option<String>); 2],
    problems: &mut Vec<String>,
) -> ClientBuilder {
    problems.push(format!("{ENV_RATE_LIMIT_REDIS} is set, but live-api was built without its `redis` feature"));
    b
}

impl Client {
    /// A client configured from the environment (see the table in [`config`](crate::config)).
    pub fn from_env() -> Result<Client, BuildError> {
        ClientBuilder::from_env()?.build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
        move |name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn reads_a_complete_configuration() {
        let c = ClientBuilder::from_vars(vars(&[
            (ENV_SDKAPPID, "1400000000"),
            (ENV_SECRET_KEY, "k3y-value"),
            (ENV_REGION, "singapore"),
            (ENV_ADMIN, "ops"),
            (ENV_TIMEOUT, "2.5"),
        ]))
        .unwrap()
        .build()
        .unwrap();
        assert_eq!((c.sdk_app_id(), c.admin(), c.base_url()), (1400000000, "ops", "https://adminapisgp.im.qcloud.com"));
        assert!(!format!("{c:?}").contains("k3y-value"));
    }

    #[test]
    fn lists_every_problem_at_once_without_secret_values() {
        let e = ClientBuilder::from_vars(vars(&[
            (ENV_SDKAPPID, "14e8"),
            (ENV_SECRET_KEY, "k3y-value"),
            (ENV_USERSIG, "t1cket"),
            (ENV_REGION, "mars"),
            (ENV_BASE_URL, "http://127.0.0.1:1"),
            (ENV_TICKET_LIFETIME, "10"),
            (ENV_TIMEOUT, "-1"),
        ]))
        .unwrap_err();
        assert_eq!(e.problems().len(), 5, "{e}");
        let text = e.to_string();
        assert!(!text.contains("k3y-value") && !text.contains("t1cket"), "{text}");
        let e = ClientBuilder::from_vars(vars(&[])).unwrap_err();
        assert_eq!(e.problems().len(), 3, "{e}");
    }

    #[test]
    fn the_redis_limiter_is_chosen_by_url_and_its_password_never_shown() {
        let base = [(ENV_SDKAPPID, "1"), (ENV_USERSIG, "t1cket"), (ENV_BASE_URL, "http://127.0.0.1:1")];
        let with = |extra: &[(&'static str, &'static str)]| {
            let mut all = base.to_vec();
            all.extend_from_slice(extra);
            ClientBuilder::from_vars(vars(&all))
        };
        let url = (ENV_RATE_LIMIT_REDIS, "redis://ops:pa55w0rd@127.0.0.1:6390/1");
        let b = with(&[url]);
        #[cfg(feature = "redis")]
        {
            let debug = format!("{:?}", b.unwrap().build().unwrap());
            assert!(debug.contains("RedisLimiter") && !debug.contains("pa55w0rd"), "{debug}");
            let e = with(&[
                (ENV_RATE_LIMIT_REDIS, "http://:pa55w0rd@x"),
                (ENV_RATE_LIMIT_REDIS_ON_FAILURE, "maybe"),
                (ENV_RATE_LIMIT_REDIS_PROCESSES, "0"),
            ])
            .unwrap_err();
            assert_eq!(e.problems().len(), 3, "{e}");
            assert!(!e.to_string().contains("pa55w0rd"), "{e}");
            let b = with(&[url, (ENV_RATE_LIMIT_REDIS_ON_FAILURE, "fail"), (ENV_RATE_LIMIT_REDIS_PROCESSES, "4")]);
            let debug = format!("{:?}", b.unwrap().build().unwrap());
            assert!(debug.contains("on_failure: Fail") && debug.contains("assumed_processes: 4"), "{debug}");
        }
        #[cfg(not(feature = "redis"))]
        assert_eq!(b.unwrap_err().problems().len(), 1);
        let e = with(&[(ENV_RATE_LIMIT_REDIS_ON_FAILURE, "fail"), (ENV_RATE_LIMIT_REDIS_PROCESSES, "4")]).unwrap_err();
        assert_eq!(e.problems().len(), 2, "{e}");
    }
}
