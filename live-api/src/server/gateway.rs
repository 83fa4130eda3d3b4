//! The front door of a server: which SDKAppIDs, admins and tickets it accepts, and the checks of
//! a request's method and query parameters before it becomes a [`Call`].

use std::fmt;
use std::sync::Arc;

use super::{Call, Hooks, Reply, unix_now};
use crate::query::Params;
use crate::secret::Secret;
use crate::usersig::{self, VerifyParams};

/// `ErrorCode` of a request that is not `POST` or whose query is malformed.
pub const HTTP_PARSE_ERROR: i64 = 60002;
/// `ErrorCode` of a missing or wrong ticket or identifier.
pub const BAD_ACCOUNT_OR_SIGNATURE: i64 = 60004;
/// `ErrorCode` of an SDKAppID the server does not serve.
pub const INVALID_SDK_APP_ID: i64 = 60006;
/// `ErrorCode` of a caller that is not an App administrator.
pub const ADMIN_REQUIRED: i64 = 60010;
/// `ErrorCode` of a request without `sdkappid`.
pub const SDK_APP_ID_MISSING: i64 = 60012;

/// Who may call a server, and the hooks run around each call.
///
/// A request must be `POST /v4/<service>/<command>?sdkappid=..&identifier=..&usersig=..&random=..&contenttype=json`
/// (parameter names and values are case-sensitive, as documented):
///
/// | problem | `ErrorCode` |
/// |---|---|
/// | not `POST`; `contenttype` missing or not `json`; `random` missing or not a 32-bit unsigned integer | 60002 |
/// | `identifier` or `usersig` missing; a ticket that does not verify (wrong key, SDKAppID or identifier, expired, malformed) | 60004 |
/// | `sdkappid` not a number, or not one the server serves | 60006 |
/// | `identifier` with a valid ticket but not an admin of the server | 60010 |
/// | `sdkappid` missing | 60012 |
///
/// A ticket is accepted when it verifies with the SDKAppID's key for the identifier
/// ([`usersig::verify`]) at the time of the request, or when it is one of the fixed
/// [`tickets`](Self::ticket).
#[derive(Clone, Default)]
pub struct Gateway {
    apps: Vec<(u64, Secret)>,
    admins: Vec<String>,
    tickets: Vec<Secret>,
    hooks: Option<Arc<dyn Hooks>>,
}

impl fmt::Debug for Gateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let apps: Vec<u64> = self.apps.iter().map(|(id, _)| *id).collect();
        f.debug_struct("Gateway")
            .field("apps", &apps)
            .field("admins", &self.admins)
            .field("fixed_tickets", &self.tickets.len())
            .field("hooks", &self.hooks.is_some())
            .finish()
    }
}

impl Gateway {
    /// A gateway that accepts nobody yet.
    pub fn new() -> Gateway {
        Gateway::default()
    }
    /// Serves the application `sdk_app_id`, whose tickets are signed with `key`.
    #[must_use]
    pub fn app(mut self, sdk_app_id: u64, key: impl Into<Secret>) -> Gateway {
        self.apps.push((sdk_app_id, key.into()));
        self
    }
    /// Accepts calls made as the App administrator `identifier`.
    #[must_use]
    pub fn admin(mut self, identifier: impl Into<String>) -> Gateway {
        self.admins.push(identifier.into());
        self
    }
    /// Accepts `ticket` as the UserSig of any admin of any served application, as it is (a ticket
    /// made elsewhere, for a client configured with a fixed UserSig).
    #[must_use]
    pub fn ticket(mut self, ticket: impl Into<Secret>) -> Gateway {
        self.tickets.push(ticket.into());
        self
    }
    /// Runs `hooks` around every call.
    #[must_use]
    pub fn hooks(mut self, hooks: Arc<dyn Hooks>) -> Gateway {
        self.hooks = Some(hooks);
        self
    }

    /// Checks a request: `method`, `target` (path and query, as in the request line) and `body`.
    /// Returns the [`Call`] to pass to `dispatch`, or the error envelope to answer with.
    pub fn open(&self, method: &str, target: &str, body: Vec<u8>) -> Result<Call, Reply> {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let call = Call::new(path, body);
        let fail = |code: i64, message: &str| Reply::failure(code, message, call.request_id());
        if method != "POST" {
            return Err(fail(HTTP_PARSE_ERROR, &format!("{method} is not supported; the API takes POST only")));
        }
        let params = Params::parse(query);
        let sdk_app_id = match params.get("sdkappid") {
            None => return Err(fail(SDK_APP_ID_MISSING, "the request URL has no sdkappid parameter")),
            Some(v) => match v.parse::<u64>() {
                Ok(id) => id,
                Err(_) => return Err(fail(INVALID_SDK_APP_ID, &format!("sdkappid {v:?} is not a number"))),
            },
        };
        let Some((_, key)) = self.apps.iter().find(|(id, _)| *id == sdk_app_id) else {
            return Err(fail(
                INVALID_SDK_APP_ID,
                &format!("sdkappid {sdk_app_id} is not an application of this server"),
            ));
        };
        match params.get("contenttype") {
            Some("json") => {}
            Some(other) => {
                return Err(fail(HTTP_PARSE_ERROR, &format!("contenttype is {other:?}; it must be \"json\"")));
            }
            None => return Err(fail(HTTP_PARSE_ERROR, "the request URL has no contenttype=json parameter")),
        }
        if params.get("random").is_none_or(|r| r.parse::<u32>().is_err()) {
            return Err(fail(HTTP_PARSE_ERROR, "random must be a 32-bit unsigned integer (0..4294967295)"));
        }
        let identifier = match params.get("identifier") {
            Some(id) if !id.is_empty() => id.to_owned(),
            _ => return Err(fail(BAD_ACCOUNT_OR_SIGNATURE, "the request URL has no identifier parameter")),
        };
        let ticket = match params.get("usersig") {
            Some(t) if !t.is_empty() => t,
            _ => return Err(fail(BAD_ACCOUNT_OR_SIGNATURE, "the request URL has no usersig parameter")),
        };
        if !self.tickets.iter().any(|t| t.expose() == ticket) {
            let expect = VerifyParams::new(sdk_app_id, key.expose(), &identifier);
            if let Err(e) = usersig::verify(ticket, &expect, unix_now()) {
                return Err(fail(
                    BAD_ACCOUNT_OR_SIGNATURE,
                    &format!("the UserSig of {identifier:?} is not valid: {e}"),
                ));
            }
        }
        if !self.admins.contains(&identifier) {
            return Err(fail(ADMIN_REQUIRED, &format!("{identifier:?} is not an App administrator")));
        }
        let call = call.caller(sdk_app_id, identifier);
        Ok(match &self.hooks {
            Some(h) => call.hooks(h.clone()),
            None => call,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::usersig::{SignParams, sign};

    const KEY: &str = "gateway-test-key";

    fn gateway() -> Gateway {
        Gateway::new().app(1400000001, KEY).admin("administrator").ticket("fixed-ticket")
    }

    fn target(app: &str, id: &str, ticket: &str) -> String {
        format!("/v4/svc/cmd?sdkappid={app}&identifier={id}&usersig={ticket}&random=42&contenttype=json")
    }

    fn code(r: Result<Call, Reply>) -> i64 {
        r.map_or_else(|reply| reply.code(), |_| 0)
    }

    #[test]
    fn checks_method_parameters_tickets_and_admins() {
        let g = gateway();
        let good = sign(&SignParams::new(1400000001, KEY, "administrator", 3600), unix_now());
        let call = g.open("POST", &target("1400000001", "administrator", &good), b"{}".to_vec()).unwrap();
        assert_eq!(call.path(), "/v4/svc/cmd");
        assert_eq!(code(g.open("POST", &target("1400000001", "administrator", "fixed-ticket"), vec![])), 0);

        let not_admin = sign(&SignParams::new(1400000001, KEY, "alice", 3600), unix_now());
        let wrong_key = sign(&SignParams::new(1400000001, "other", "administrator", 3600), unix_now());
        let expired = sign(&SignParams::new(1400000001, KEY, "administrator", 60), 1_000_000);
        let cases = [
            ("GET", target("1400000001", "administrator", &good), 60002),
            ("POST", "/v4/svc/cmd?identifier=administrator&usersig=x&random=1&contenttype=json".into(), 60012),
            ("POST", target("14e8", "administrator", &good), 60006),
            ("POST", target("1400000002", "administrator", &good), 60006),
            (
                "POST",
                target("1400000001", "administrator", &good).replace("contenttype=json", "contenttype=xml"),
                60002,
            ),
            ("POST", target("1400000001", "administrator", &good).replace("&random=42", ""), 60002),
            ("POST", target("1400000001", "", &good), 60004),
            ("POST", target("1400000001", "administrator", ""), 60004),
            ("POST", target("1400000001", "administrator", &wrong_key), 60004),
            ("POST", target("1400000001", "administrator", &expired), 60004),
            ("POST", target("1400000001", "bob", &good), 60004),
            ("POST", target("1400000001", "alice", &not_admin), 60010),
        ];
        for (method, t, expected) in cases {
            let r = g.open(method, &t, b"{}".to_vec());
            let reply = r.expect_err(&t);
            assert_eq!(reply.code(), expected, "{method} {t}: {}", reply.message());
            let text = String::from_utf8(reply.into_body()).unwrap();
            assert!(!text.contains(KEY) && !text.contains(&good), "{text}");
        }
    }
}
