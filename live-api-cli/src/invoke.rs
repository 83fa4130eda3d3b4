//! Any endpoint by name, through the generated `visit_endpoints`: the JSON body becomes the typed
//! request (checked against every documented limit by the client), and the typed answer is
//! re-encoded as JSON.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

use live_api::{Client, EndpointVisitor};
use serde_json::Value;

use crate::exit::{self, Failed};

type Call = Pin<Box<dyn Future<Output = Result<Value, Failed>>>>;
type Invoke = fn(Client, Value) -> Call;

/// Every endpoint's typed call, by `service/command`.
pub struct Registry(BTreeMap<String, Invoke>);

impl Registry {
    pub fn new() -> Registry {
        let mut r = Registry(BTreeMap::new());
        live_api::visit_endpoints(&mut r);
        r
    }

    /// Calls endpoint `name` (`service/command`) with `body`.
    pub async fn call(&self, client: &Client, name: &str, body: Value) -> Result<Value, Failed> {
        let invoke = self.0.get(name).ok_or_else(|| Failed::new(exit::USAGE, format!("no endpoint {name}")))?;
        invoke(client.clone(), body).await
    }
}

impl EndpointVisitor for Registry {
    fn visit<E: live_api::ServerEndpoint>(&mut self) {
        self.0.insert(E::META.name(), invoke::<E>);
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
