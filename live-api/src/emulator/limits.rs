//! The documented rate limits, enforced per SDKAppID and quota group with token buckets.
//!
//! Admission runs before the endpoint's code enum is known (it is a
//! [`Hooks`](crate::server::Hooks) method), so its refusal is a number: the endpoint's own quota
//! code when its tables list one, else the `rest` table's 60007, which every endpoint lists.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use crate::codes::CodeInfo;
use crate::server::{Context, Refusal};

/// The REST-wide code for a call over its endpoint's rate: `CallRateExceeded`, "REST API call
/// frequency exceeds the limit", the documented meaning of exceeding an endpoint's calls per
/// second.
pub const REST_RATE_CODE: i64 = 60007;

/// Endpoint codes that document a per-SDKAppID quota, answered instead of [`REST_RATE_CODE`] by
/// the endpoints that list them: the mixing table's "all mixing operations of an SDKAppID together
/// are limited to 20 per second", and the gift configuration table's "each gift configuration
/// endpoint allows 1 call per second". (`create_room`'s 100012 is a per-RoomId limit, another
/// thing.)
pub const QUOTA_CODES: [(i64, &str); 2] = [(100422, "MixingRateLimited"), (100012, "TooFrequent")];

/// Token buckets: each (SDKAppID, quota group) holds up to one second of calls (at least one
/// call) and refills at the documented rate.
#[derive(Debug, Default)]
pub(super) struct RateLimits {
    buckets: Mutex<HashMap<(u64, &'static str), Bucket>>,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimits {
    /// Takes one call from the bucket of the call's SDKAppID and quota group, or refuses it with
    /// the endpoint's throttling code.
    pub fn admit(&self, ctx: &Context, documented: &[CodeInfo], now: Instant) -> Result<(), Refusal> {
        let meta = &ctx.endpoint;
        let rate = meta.calls_per_second;
        let capacity = rate.max(1.0);
        // A poisoned lock only means a panic elsewhere; the buckets are plain numbers.
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = buckets.entry((ctx.sdk_app_id, meta.quota_group)).or_insert(Bucket { tokens: capacity, at: now });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let code = throttling_code(documented);
        let group = if meta.quota_group == meta.name() {
            String::new()
        } else {
            format!(" (quota group {})", meta.quota_group)
        };
        Err(Refusal::new(
            code,
            format!("{}{group} is limited to {rate} calls per second per SDKAppID; slow down", meta.name()),
        ))
    }
}

/// The code a call over its rate is refused with, given the endpoint's documented codes.
fn throttling_code(documented: &[CodeInfo]) -> i64 {
    documented.iter().find(|c| QUOTA_CODES.contains(&(c.code, c.name))).map_or(REST_RATE_CODE, |c| c.code)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::{Endpoint, ErrorCode, GetRoomList, ResumeMcuTask, SetMixStream};

    fn ctx<E: Endpoint>(app: u64) -> Context {
        Context { endpoint: E::META, sdk_app_id: app, identifier: "administrator".into(), request_id: "Id-1".into() }
    }

    #[test]
    fn buckets_hold_one_second_per_app_and_group_and_refill_at_the_rate() {
        let limits = RateLimits::default();
        let t0 = Instant::now();
        let list = ctx::<GetRoomList>(1);
        let docs = <GetRoomList as Endpoint>::Code::DOCUMENTED;
        let accepted = (0..25).filter(|_| limits.admit(&list, docs, t0).is_ok()).count();
        assert_eq!(accepted, 10, "get_room_list allows 10 per second");
        assert_eq!(limits.admit(&list, docs, t0).unwrap_err().code, REST_RATE_CODE);
        assert!(limits.admit(&ctx::<GetRoomList>(2), docs, t0).is_ok(), "another SDKAppID has its own bucket");
        assert!(limits.admit(&list, docs, t0 + Duration::from_millis(100)).is_ok(), "0.1 s refills one call");

        // The mixing group is shared and answers the mixing table's code.
        let set = ctx::<SetMixStream>(1);
        let set_docs = <SetMixStream as Endpoint>::Code::DOCUMENTED;
        let resume_docs = <ResumeMcuTask as Endpoint>::Code::DOCUMENTED;
        assert_eq!((0..20).filter(|_| limits.admit(&set, set_docs, t0).is_ok()).count(), 20);
        let refused = limits.admit(&ctx::<ResumeMcuTask>(1), resume_docs, t0).unwrap_err();
        assert_eq!(refused.code, 100422, "{}", refused.message);
        assert!(refused.message.contains("quota group mixing"), "{}", refused.message);
    }

    #[test]
    fn every_endpoint_documents_the_code_it_is_throttled_with() {
        struct Check(Vec<String>);
        impl crate::EndpointVisitor for Check {
            fn visit<E: crate::ServerEndpoint>(&mut self) {
                let code = throttling_code(<E::Code as ErrorCode>::DOCUMENTED);
                let typed = <E::Code as ErrorCode>::from_code(code);
                if typed.code() != code || typed.name() == "Undocumented" {
                    self.0.push(format!("{} {code}", E::META.name()));
                }
            }
        }
        let mut check = Check(Vec::new());
        crate::visit_endpoints(&mut check);
        assert_eq!(check.0, Vec::<String>::new(), "endpoints throttled with a code they do not document");
        let rest = <crate::CreateRoomCode as ErrorCode>::from_code(REST_RATE_CODE);
        assert_eq!(rest, crate::CreateRoomCode::Rest(crate::RestCode::CallRateExceeded));
    }
}
