//! A callback set that decodes nothing: every command is kept with its raw body.

use serde::Serialize;

use crate::callback::{BodyError, CallbackKind, CallbackSet, Reply, UnknownCallback};

/// Every callback as an [`UnknownCallback`] (its command word and its JSON body as received):
/// for apps that route by command themselves. The body must still be JSON. Its kind is unknown,
/// so the receiver waits for the handler's reply as it does for before-callbacks, and answers
/// [`Reply::ok`] when the budget runs out.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct Raw(pub UnknownCallback);

impl CallbackSet for Raw {
    fn decode(command: &str, body: &[u8]) -> Result<Self, BodyError> {
        UnknownCallback::new(command, body).map(Raw)
    }
    fn command(&self) -> &str {
        self.0.command()
    }
    fn kind(&self) -> Option<CallbackKind> {
        None
    }
    fn on_timeout(&self) -> Reply {
        Reply::ok()
    }
}
