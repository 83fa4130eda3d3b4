//! The query parameters of a webhook request, read case-insensitively: `SdkAppid` (the docs also
//! write `SdkAppId`), `CallbackCommand` (the current overview calls it `WebhookCommand`),
//! `contenttype`, `ClientIP`, `OptPlatform`, `Sign`, `RequestTime`. Other parameters are ignored.

use super::Platform;
use super::Rejection;
use crate::query::Params;

/// The parameters the receiver reads, parsed.
#[derive(Debug, Default)]
pub(crate) struct Query {
    pub(crate) sdk_app_id: Option<u64>,
    pub(crate) command: Option<String>,
    pub(crate) client_ip: Option<String>,
    pub(crate) platform: Option<Platform>,
    pub(crate) sign: Option<String>,
    /// As written (what is signed) and as a number.
    pub(crate) request_time: Option<(String, u64)>,
}

/// Values quoted in a rejection are cut to this many characters.
const QUOTED: usize = 40;

impl Query {
    /// Reads `query` (with or without its leading `?`). An empty value counts as absent; a
    /// parameter given twice (in any spelling) must have the same value both times.
    pub(crate) fn parse(query: &str) -> Result<Query, Rejection> {
        let params = Params::parse(query.strip_prefix('?').unwrap_or(query));
        let mut raw: [Option<&str>; 7] = [None; 7];
        for (name, value) in params.pairs() {
            let Some(i) = slot(name) else { continue };
            if value.is_empty() {
                continue;
            }
            match raw[i] {
                Some(seen) if seen != value => {
                    return Err(malformed(NAMES[i], "is given twice, with different values".into()));
                }
                _ => raw[i] = Some(value),
            }
        }
        let [sdk_app_id, command, _content_type, client_ip, platform, sign, request_time] = raw;
        Ok(Query {
            sdk_app_id: sdk_app_id.map(|v| number(NAMES[0], v)).transpose()?,
            command: command.map(str::to_owned),
            client_ip: client_ip.map(str::to_owned),
            platform: platform.map(Platform::parse),
            sign: sign.map(str::to_owned),
            request_time: request_time.map(|v| number(NAMES[6], v).map(|n| (v.to_owned(), n))).transpose()?,
        })
    }
}

/// The documented names, in slot order.
const NAMES: [&str; 7] =
    ["SdkAppid", "CallbackCommand", "contenttype", "ClientIP", "OptPlatform", "Sign", "RequestTime"];

fn slot(name: &str) -> Option<usize> {
    if name.eq_ignore_ascii_case("WebhookCommand") {
        return Some(1);
    }
    NAMES.iter().position(|n| n.eq_ignore_ascii_case(name))
}

/// A decimal number of Unix seconds or an SDKAppID: digits only.
fn number(parameter: &'static str, value: &str) -> Result<u64, Rejection> {
    let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
    match value.parse::<u64>() {
        Ok(n) if digits => Ok(n),
        _ => Err(malformed(parameter, format!("{} is not a decimal number", quote(value)))),
    }
}

fn malformed(parameter: &'static str, problem: String) -> Rejection {
    Rejection::MalformedQuery { parameter, problem }
}

/// `value` quoted, cut to [`QUOTED`] characters.
pub(crate) fn quote(value: &str) -> String {
    match value.char_indices().nth(QUOTED) {
        Some((end, _)) => format!("{:?}…", &value[..end]),
        None => format!("{value:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_in_any_spelling() {
        let q = Query::parse(
            "?sdkappid=1400000000&WebhookCommand=Live.CallbackAfterCreateRoom&contenttype=json&clientip=1.2.3.4\
             &optplatform=IOS&SIGN=ab&requesttime=0001669872112&Other=x",
        )
        .unwrap();
        assert_eq!(q.sdk_app_id, Some(1400000000));
        assert_eq!(q.command.as_deref(), Some("Live.CallbackAfterCreateRoom"));
        assert_eq!(q.client_ip.as_deref(), Some("1.2.3.4"));
        assert_eq!(q.platform, Some(Platform::Ios));
        assert_eq!(q.sign.as_deref(), Some("ab"));
        assert_eq!(q.request_time, Some(("0001669872112".to_owned(), 1669872112)));
        let q = Query::parse("SdkAppId=1&CallbackCommand=X&ClientIP=&OptPlatform=").unwrap();
        assert_eq!((q.sdk_app_id, q.client_ip, q.platform), (Some(1), None, None));
    }

    #[test]
    fn malformed_numbers_and_conflicting_duplicates() {
        for (query, parameter) in [
            ("SdkAppid=abc", "SdkAppid"),
            ("SdkAppid=+1", "SdkAppid"),
            ("SdkAppid=99999999999999999999999", "SdkAppid"),
            ("RequestTime=-5", "RequestTime"),
            ("SdkAppid=1&sdkappid=2", "SdkAppid"),
            ("CallbackCommand=A&WebhookCommand=B", "CallbackCommand"),
        ] {
            match Query::parse(query) {
                Err(Rejection::MalformedQuery { parameter: p, .. }) => assert_eq!(p, parameter, "{query}"),
                other => panic!("{query}: {other:?}"),
            }
        }
        assert!(Query::parse("SdkAppid=1&SdkAppId=1").is_ok(), "the same value twice is fine");
        let long = "9".repeat(100);
        let e = Query::parse(&format!("SdkAppid=x{long}")).unwrap_err();
        assert!(e.to_string().len() < 120, "{e}");
    }
}
