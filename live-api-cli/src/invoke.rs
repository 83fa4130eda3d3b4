//! Every endpoint, from the generated `visit_endpoints`: what its spec says (its meta, its
//! [`EndpointInfo`] and its documented codes, from which the subcommands, flags and help are
//! built) and its typed call: the JSON body becomes the typed request (checked against every
//! documented limit by the client), and the typed answer is re-encoded as JSON.

use std::future::Future;
use std::pin::Pin;

use live_api::describe::EndpointInfo;
use live_api::{Client, CodeInfo, Described, EndpointMeta, EndpointVisitor, ErrorCode};
use serde_json::Value;

use crate::exit::{self, Failed};

type Call = Pin<Box<dyn Future<Output = Result<Value, Failed>>>>;
type Invoke = fn(Client, Value) -> Call;

/// One endpoint: all the command line knows about it, from its request type.
pub struct Entry {
    /// Path, rate limit and quota group.
    pub meta: EndpointMeta,
    /// Title, descriptions and request fields.
    pub info: &'static EndpointInfo,
    /// The codes its own code enum documents (shared tables it wraps are in `info`).
    pub codes: &'static [CodeInfo],
    invoke: Invoke,
}

impl Entry {
    /// `service/command`.
    pub fn name(&self) -> String {
        self.meta.name()
    }

    /// Calls the endpoint with `body`.
    pub async fn call(&self, client: &Client, body: Value) -> Result<Value, Failed> {
        (self.invoke)(client.clone(), body).await
    }
}

/// Every endpoint, in the order of `live_api::ENDPOINTS` (by service and command).
pub struct Registry(Vec<Entry>);

impl Registry {
    pub fn new() -> Registry {
        let mut r = Registry(Vec::with_capacity(live_api::ENDPOINTS.len()));
        live_api::visit_endpoints(&mut r);
        r
    }

    pub fn entries(&self) -> &[Entry] {
        &self.0
    }

    /// The endpoint named `name`: `service/command`, or its method name.
    pub fn find(&self, name: &str) -> Option<&Entry> {
        self.0.iter().find(|e| e.name() == name || e.info.method == name)
    }
}

impl EndpointVisitor for Registry {
    fn visit<E: live_api::ServerEndpoint + Described>(&mut self) {
        self.0.push(Entry { meta: E::META, info: E::INFO, codes: E::Code::DOCUMENTED, invoke: invoke::<E> });
    }
}

fn invoke<E: live_api::ServerEndpoint>(client: Client, body: Value) -> Call {
    Box::pin(async move {
        let request: E = serde_json::from_value(body).map_err(|e| {
            Failed::new(
                exit::INVALID,
                format!("invalid request for {}: the body does not match its fields: {e}", E::META.name()),
            )
        })?;
        let response = client.call(request).await.map_err(|e| Failed::new(exit::of(&e), e.to_string()))?;
        serde_json::to_value(&response).map_err(|e| Failed::new(exit::ANSWER, format!("cannot print the answer: {e}")))
    })
}
