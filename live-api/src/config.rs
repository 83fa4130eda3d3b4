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
        if problems.is_empty() { Ok(b) } else { Err(BuildError { problems }) }
    }
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
}
