//! The callbacks of one application: its configuration (URL, command words, token), and the
//! callbacks of the call being run, built from the state as it changes and queued when the call
//! succeeds.
//!
//! Each call runs under the state's lock between [`Webhooks::begin`] and [`Webhooks::commit`]
//! (or [`Webhooks::discard`] when it fails): the callbacks it produced are queued in the order
//! the state changed, and since calls take the lock one at a time, an application's callbacks
//! are queued, and sent, in the order their events happened.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::CallbackCommand;
use crate::secret::Secret;

use super::delivery::{Delivery, Queue};

/// `Live.CallbackBeforeCallBackNotBlock`: a switch on the command list, not an event.
pub(super) const NOT_BLOCK: &str = "Live.CallbackBeforeCallBackNotBlock";

/// The configured webhook (set_callback).
#[derive(Debug, Clone)]
pub(super) struct Webhook {
    pub url: String,
    /// As set, answered by get_callback.
    pub commands: Vec<CallbackCommand>,
    /// Their wire words.
    pub words: BTreeSet<&'static str>,
}

/// The token that signs callbacks (set_callback_token).
#[derive(Debug, Clone)]
pub(super) struct Token {
    pub token: Secret,
    pub enabled: bool,
}

/// Who caused the events of a call.
#[derive(Debug, Clone)]
pub(super) struct Origin {
    /// `Operator_Account`: the admin identifier of an API call, the user of an SDK action.
    pub operator: String,
    /// `OptPlatform`.
    pub platform: &'static str,
}

impl Origin {
    /// An API call made as `identifier`.
    pub fn rest(identifier: &str) -> Origin {
        Origin { operator: identifier.to_owned(), platform: "RESTAPI" }
    }
    /// Something a user did through the SDK (no platform known), or the clock (`user` empty).
    pub fn sdk(user: &str) -> Origin {
        Origin { operator: user.to_owned(), platform: "Unknown" }
    }
}

/// What a callback's body may read about its event.
pub(super) struct Event<'a> {
    /// `Operator_Account`.
    pub operator: &'a str,
    /// `EventTime`: Unix milliseconds.
    pub time_ms: i64,
}

/// An application's webhook configuration and its pending callbacks.
#[derive(Debug, Default)]
pub(super) struct Webhooks {
    pub config: Option<Webhook>,
    pub token: Option<Token>,
    sdk_app_id: u64,
    origin: Option<Origin>,
    time_ms: i64,
    pending: Vec<Delivery>,
    /// Battles created by the call: (battle ID, end in Unix seconds), for the timer of their end.
    pub battle_ends: Vec<(String, i64)>,
    queue: Queue,
}

impl Webhooks {
    /// Starts a call of the application `sdk_app_id` caused by `origin` at `time_ms`.
    pub fn begin(&mut self, sdk_app_id: u64, origin: &Origin, time_ms: i64) {
        self.sdk_app_id = sdk_app_id;
        self.origin = Some(origin.clone());
        self.time_ms = time_ms;
        self.pending.clear();
        self.battle_ends.clear();
    }

    /// Whether `command` is on the configured list.
    pub fn wants(&self, command: &str) -> bool {
        self.config.as_ref().is_some_and(|c| c.words.contains(command))
    }

    /// Records the after-callback `command` of the call, if it is configured: `body` builds its
    /// fields (without `CallbackCommand`, which is added first).
    pub fn after(&mut self, command: &'static str, body: impl FnOnce(&Event) -> Value) {
        if let Some(d) = self.delivery(command, body) {
            self.pending.push(d);
        }
    }

    /// The before-callback `command`, if it is configured, to be sent by the caller.
    pub fn before(&self, command: &'static str, body: impl FnOnce(&Event) -> Value) -> Option<Delivery> {
        self.delivery(command, body)
    }

    fn delivery(&self, command: &'static str, body: impl FnOnce(&Event) -> Value) -> Option<Delivery> {
        let config = self.config.as_ref().filter(|c| c.words.contains(command))?;
        let origin = self.origin.as_ref();
        let event = Event { operator: origin.map_or("", |o| o.operator.as_str()), time_ms: self.time_ms };
        let mut map = Map::new();
        map.insert("CallbackCommand".into(), Value::from(command));
        if let Value::Object(fields) = body(&event) {
            map.extend(fields);
        }
        Some(Delivery {
            url: config.url.clone(),
            sdk_app_id: self.sdk_app_id,
            command,
            platform: origin.map_or("Unknown", |o| o.platform),
            body: serde_json::to_vec(&Value::Object(map)).unwrap_or_default(),
            token: self.token.as_ref().filter(|t| t.enabled).map(|t| t.token.clone()),
        })
    }

    /// Queues the callbacks of the call, in order.
    pub fn commit(&mut self, client: &reqwest::Client) {
        for d in self.pending.drain(..) {
            self.queue.push(d, client);
        }
    }

    /// Forgets the callbacks of a call that failed.
    pub fn discard(&mut self) {
        self.pending.clear();
        self.battle_ends.clear();
    }
}
