//! The trait that ties a generated request type to its wire path, answer, codes and quota.

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::codes::ErrorCode;
use crate::describe::Described;
use crate::validate::Validate;

/// Facts about an endpoint, from its spec.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EndpointMeta {
    /// Service, e.g. `live_engine_http_srv`.
    pub service: &'static str,
    /// Command, e.g. `resume_mcu_task`.
    pub command: &'static str,
    /// `/v4/<service>/<command>`.
    pub path: &'static str,
    /// Quota group the calls count against (per SDKAppID).
    pub quota_group: &'static str,
    /// Documented rate limit of the quota group.
    pub calls_per_second: f64,
    /// Whether repeating the call has the same effect as making it once.
    pub idempotent: bool,
    /// Envelope key holding the payload (`Response`), if any.
    pub response_key: Option<&'static str>,
    /// Whether the request or the answer holds a field the spec marks `"secret": true` (at any
    /// depth). Errors of such an endpoint never quote the answer body: it could hold the secret,
    /// or echo the request.
    pub holds_secret: bool,
}

impl EndpointMeta {
    /// `service/command`, as errors name the endpoint.
    pub fn name(&self) -> String {
        format!("{}/{}", self.service, self.command)
    }
}

/// A request of one endpoint. Implemented by the generated request types; the client's
/// [`call`](crate::Client::call) is generic over it.
pub trait Endpoint: Serialize + Validate + fmt::Debug + Clone + Send + Sync + 'static {
    /// Path, quota and decoding facts.
    const META: EndpointMeta;
    /// The typed answer.
    type Response: DeserializeOwned + fmt::Debug + Clone + Send + Sync + 'static;
    /// The endpoint's error codes.
    type Code: ErrorCode;
}

/// An endpoint with both directions of its wire format: the request also decodes and the answer
/// also encodes. The client needs only the other two; the server side (and tools that take any
/// endpoint's JSON, like the command line) need these, which the macro derives when it renders
/// the server side (`generate!(path, server)`).
pub trait ServerEndpoint: Endpoint<Response: Serialize> + DeserializeOwned {}

impl<E: Endpoint<Response: Serialize> + DeserializeOwned> ServerEndpoint for E {}

/// Something done for every endpoint type: the generated `visit_endpoints` (rendered with the
/// server side) calls [`visit`](Self::visit) once per endpoint. Tools that work on any endpoint by name (a command
/// line, an emulator, conformance tests) are written once as a visitor.
pub trait EndpointVisitor {
    /// Called with each endpoint's request type: both directions of its wire format, and what its
    /// spec says about it ([`Described::INFO`]).
    fn visit<E: ServerEndpoint + Described>(&mut self);
}
