//! Where the UserSig of each call comes from: a fixed ticket, or the secret key, from which the
//! client signs a ticket for the admin, caches it, and renews it well before it expires.
//!
//! Concurrent calls share one cached ticket: the fast path is a read lock and an `Arc` clone; only
//! the call that finds the ticket due for renewal signs (HMAC + zlib, a few microseconds), under the
//! write lock, and every other call keeps using the current ticket meanwhile.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::secret::Secret;
use crate::usersig::{self, SignParams};

/// Default lifetime of the tickets the client signs: one day.
pub const DEFAULT_TICKET_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// A ticket, and the same percent-encoded for the query string (encoded once, not per call).
pub(crate) struct EncodedTicket {
    pub(crate) raw: Secret,
    pub(crate) query: Secret,
}

impl EncodedTicket {
    pub(crate) fn new(raw: Secret) -> EncodedTicket {
        let query = Secret::new(crate::query::encode(raw.expose()));
        EncodedTicket { raw, query }
    }
}

/// The source of the UserSig tickets.
pub(crate) enum Credentials {
    /// A ticket made elsewhere, used as it is.
    Fixed(Arc<EncodedTicket>),
    /// Tickets signed here with the secret key.
    Signing(TicketCache),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Fixed(_) => f.write_str("FixedTicket(<redacted>)"),
            Credentials::Signing(c) => {
                f.debug_struct("SecretKey").field("key", &"<redacted>").field("lifetime", &c.lifetime).finish()
            }
        }
    }
}

impl Credentials {
    /// The ticket for a call made now.
    pub(crate) fn ticket(&self) -> Arc<EncodedTicket> {
        match self {
            Credentials::Fixed(t) => t.clone(),
            Credentials::Signing(c) => c.ticket_at(unix_now()),
        }
    }

    /// The secret key, if the client signs its own tickets (to scrub it from any text).
    pub(crate) fn key(&self) -> Option<&Secret> {
        match self {
            Credentials::Fixed(_) => None,
            Credentials::Signing(c) => Some(&c.key),
        }
    }
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Signs tickets for one identifier and keeps the current one.
pub(crate) struct TicketCache {
    sdk_app_id: u64,
    key: Secret,
    identifier: String,
    lifetime: Duration,
    current: RwLock<Option<Cached>>,
}

#[derive(Clone)]
struct Cached {
    ticket: Arc<EncodedTicket>,
    /// Unix second from which a new ticket is signed.
    renew_at: u64,
    /// Unix second the ticket was signed at (a clock that went backwards also renews).
    signed_at: u64,
}

impl TicketCache {
    pub(crate) fn new(sdk_app_id: u64, key: Secret, identifier: String, lifetime: Duration) -> Self {
        TicketCache { sdk_app_id, key, identifier, lifetime, current: RwLock::new(None) }
    }

    /// The ticket to use at `now`; signs a new one when the cached one has used up three quarters
    /// of its lifetime (so it is renewed long before it expires), or when there is none.
    pub(crate) fn ticket_at(&self, now: u64) -> Arc<EncodedTicket> {
        let fresh = |c: &Cached| now < c.renew_at && now >= c.signed_at;
        // A poisoned lock only means another thread panicked while holding it; the data (an
        // Option of a finished ticket) is still consistent.
        if let Some(c) = self.current.read().unwrap_or_else(|e| e.into_inner()).as_ref().filter(|c| fresh(c)) {
            return c.ticket.clone();
        }
        let mut slot = self.current.write().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = slot.as_ref().filter(|c| fresh(c)) {
            return c.ticket.clone();
        }
        let expire = self.lifetime.as_secs().max(1);
        let ticket = usersig::sign(&SignParams::new(self.sdk_app_id, self.key.expose(), &self.identifier, expire), now);
        let cached = Cached {
            ticket: Arc::new(EncodedTicket::new(Secret::new(ticket))),
            renew_at: now + (expire * 3 / 4).max(1),
            signed_at: now,
        };
        let t = cached.ticket.clone();
        *slot = Some(cached);
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::usersig::{VerifyParams, verify};

    const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

    #[test]
    fn signs_once_and_renews_after_three_quarters_of_the_lifetime() {
        let cache = TicketCache::new(1400000000, KEY.into(), "administrator".into(), Duration::from_secs(400));
        let t0 = cache.ticket_at(1000);
        assert!(Arc::ptr_eq(&t0, &cache.ticket_at(1000)));
        assert!(Arc::ptr_eq(&t0, &cache.ticket_at(1299)), "still fresh at 3/4 of the lifetime minus 1 s");
        let t1 = cache.ticket_at(1300);
        assert!(!Arc::ptr_eq(&t0, &t1), "renewed 100 s before expiry");
        let expect = VerifyParams::new(1400000000, KEY, "administrator");
        let decoded = verify(t1.raw.expose(), &expect, 1300).unwrap();
        assert_eq!((decoded.time, decoded.expire), (1300, 400));
        // A clock that jumps back renews too, rather than using a ticket from the future.
        assert!(!Arc::ptr_eq(&t1, &cache.ticket_at(10)));
    }

    #[test]
    fn concurrent_callers_share_one_ticket() {
        let cache = Arc::new(TicketCache::new(1, KEY.into(), "admin".into(), DEFAULT_TICKET_LIFETIME));
        let tickets: Vec<Arc<EncodedTicket>> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..8).map(|_| s.spawn(|| cache.ticket_at(5000))).collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(tickets.iter().all(|t| Arc::ptr_eq(t, &tickets[0])));
    }
}
