//! A verified webhook request: its callback and what the query said about it.

use super::Platform;

/// A webhook request that passed the receiver's checks, with its decoded callback.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Delivery<C> {
    /// The callback, decoded by its command.
    pub callback: C,
    /// The `SdkAppid` (the receiver's).
    pub sdk_app_id: u64,
    /// The command word of the query (`CallbackCommand`), which may differ from the body's (the
    /// one decoded): two documented pages disagree with their own sample bodies.
    pub query_command: Option<String>,
    /// `ClientIP`, as it came.
    pub client_ip: Option<String>,
    /// `OptPlatform`.
    pub platform: Option<Platform>,
    /// `RequestTime` (Unix seconds); checked for freshness only when it is signed.
    pub request_time: Option<u64>,
    /// Whether the request was signed, and checked.
    pub signature: Signature,
}

/// What the receiver knows of a delivery's signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Signature {
    /// A token is configured and the `Sign` matched, with a fresh `RequestTime`.
    Verified,
    /// The request carries a `Sign` but the receiver has no token to check it with.
    Unchecked,
    /// No `Sign`, and no token configured.
    Absent,
}
