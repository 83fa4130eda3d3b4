//! The callbacks (webhooks) Live sends to the app's URL: what the generated callback types
//! implement, and the reply the app writes back.
//!
//! Each callback command of `api-specs/callbacks/` is a generated struct; the generated enum
//! `Callback` holds any of them, or a command the specs do not know
//! ([`UnknownCallback`], with its raw body: Tencent adds commands, and a receiver must not fail on
//! a new one). The enum implements [`CallbackSet`], which is all the receiver
//! (`webhook`) needs. Each struct implements [`CallbackBody`] (its command word and kind). A
//! before-callback's reply type (generated, `<Name>Reply`) converts into [`Reply`], the
//! documented answer `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// Whether Live waits for the app's reply to a callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallbackKind {
    /// A notification after the event: Live ignores the reply's code.
    After,
    /// Sent before the event: the reply decides whether it happens (a gift is sent, a message
    /// delivered).
    Before,
}

/// A set of callback commands the receiver decodes: implemented by the generated
/// `Callback` enum.
pub trait CallbackSet: Sized + Send + Sync + fmt::Debug + Serialize + 'static {
    /// Decodes the body of a callback whose command word is `command`. A command the set does
    /// not know is not an error: it is kept with its raw body. The body is decoded tolerantly,
    /// as answers are (numbers in string fields and the like, as the specs allow).
    fn decode(command: &str, body: &[u8]) -> Result<Self, BodyError>;
    /// The command word, e.g. `Live.CallbackAfterCreateRoom`.
    fn command(&self) -> &str;
    /// After or before; `None` for a command the set does not know.
    fn kind(&self) -> Option<CallbackKind>;
    /// What Live does when the app does not answer in time, as the reply that has the same
    /// effect: [`Reply::ok`] for after-callbacks and unknown commands; for a before-callback,
    /// the decision its spec documents for a timeout (a gift is blocked, a message delivered).
    fn on_timeout(&self) -> Reply;
}

/// The body of one callback command: implemented by each generated callback struct. Its
/// `Serialize` writes the body as Live sends it, `CallbackCommand` first.
pub trait CallbackBody: Sized + Serialize + DeserializeOwned {
    /// The command word, e.g. `Live.CallbackAfterCreateRoom`.
    const COMMAND: &'static str;
    /// After or before.
    const KIND: CallbackKind;
    /// The reply that has the effect of no reply in time: [`Reply::ok`] for after-callbacks;
    /// for a before-callback, the decision its spec documents for a timeout.
    fn on_timeout() -> Reply {
        Reply::ok()
    }
    /// Decodes a body of this command, tolerantly (as answers are).
    fn decode(body: &[u8]) -> Result<Self, BodyError> {
        serde_json::from_slice(body).map_err(|e| BodyError::new(Self::COMMAND, e.to_string()))
    }
}

/// A callback command the specs do not know, kept as it came.
#[derive(Debug, Clone)]
pub struct UnknownCallback {
    command: String,
    body: Box<RawValue>,
}

impl UnknownCallback {
    /// Keeps `body` (which must be JSON) as the body of `command`.
    pub fn new(command: &str, body: &[u8]) -> Result<Self, BodyError> {
        let body: Box<RawValue> =
            serde_json::from_slice(body).map_err(|e| BodyError::new(command, format!("the body is not JSON: {e}")))?;
        Ok(UnknownCallback { command: command.to_owned(), body })
    }
    /// The command word.
    pub fn command(&self) -> &str {
        &self.command
    }
    /// The body, as received (JSON text).
    pub fn body(&self) -> &str {
        self.body.get()
    }
}

impl Serialize for UnknownCallback {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.body.serialize(s)
    }
}

/// A callback body that is not what its spec describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyError {
    command: String,
    reason: String,
}

impl BodyError {
    /// The body of `command` is wrong for `reason`.
    pub fn new(command: &str, reason: impl Into<String>) -> Self {
        BodyError { command: command.to_owned(), reason: reason.into() }
    }
    /// The command word of the callback.
    pub fn command(&self) -> &str {
        &self.command
    }
    /// What is wrong.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the body of callback {} does not match its spec: {}", self.command, self.reason)
    }
}

impl std::error::Error for BodyError {}

/// The app's answer to a callback: `{"ActionStatus":"OK","ErrorCode":<code>,"ErrorInfo":<info>}`,
/// plus the fields some before-callbacks' replies may carry (a modified message body).
///
/// `ActionStatus` is `OK` whatever the code: the documented samples answer `OK` to forbid or
/// discard a message too; the code carries the decision.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reply {
    code: u32,
    info: String,
    fields: Map<String, Value>,
}

impl Reply {
    /// `ErrorCode` 0: received (after-callbacks), allowed (before-callbacks).
    pub fn ok() -> Self {
        Reply::default()
    }
    /// A reply with `code` and `info`.
    pub fn with_code(code: u32, info: impl Into<String>) -> Self {
        Reply { code, info: info.into(), fields: Map::new() }
    }
    /// Adds the reply field `wire` (e.g. `MsgBody`).
    pub fn with_field(mut self, wire: &str, value: impl Serialize) -> Self {
        // A value that cannot be encoded as JSON (a map with non-string keys) is left out.
        if let Ok(v) = serde_json::to_value(value) {
            self.fields.insert(wire.to_owned(), v);
        }
        self
    }
    /// Adds every member of `fields`, which encodes as a JSON object (a reply's generated
    /// `<Name>Changes`); anything else adds nothing.
    pub fn with_fields(mut self, fields: impl Serialize) -> Self {
        if let Ok(Value::Object(map)) = serde_json::to_value(fields) {
            self.fields.extend(map);
        }
        self
    }
    /// The `ErrorCode`.
    pub fn code(&self) -> u32 {
        self.code
    }
    /// The `ErrorInfo`.
    pub fn info(&self) -> &str {
        &self.info
    }
    /// The fields beyond the three of every reply.
    pub fn fields(&self) -> &Map<String, Value> {
        &self.fields
    }
    /// The reply as the JSON body the receiver sends.
    pub fn to_json(&self) -> Vec<u8> {
        let mut map = Map::new();
        map.insert("ActionStatus".into(), Value::from("OK"));
        map.insert("ErrorCode".into(), Value::from(self.code));
        map.insert("ErrorInfo".into(), Value::from(self.info.as_str()));
        for (k, v) in &self.fields {
            map.entry(k.clone()).or_insert_with(|| v.clone());
        }
        serde_json::to_vec(&Value::Object(map)).unwrap_or_default()
    }
    /// Reads a reply (what the emulator does with the app's answer). `None` when it is not a
    /// JSON object with an integer `ErrorCode`: Live counts that as a failed callback.
    pub fn parse(body: &[u8]) -> Option<Reply> {
        let Value::Object(mut map) = serde_json::from_slice(body).ok()? else { return None };
        let code = u32::try_from(map.remove("ErrorCode")?.as_u64()?).ok()?;
        let info = match map.remove("ErrorInfo") {
            Some(Value::String(s)) => s,
            _ => String::new(),
        };
        map.remove("ActionStatus");
        Some(Reply { code, info, fields: map })
    }
}

/// An error code a before-callback's reply may pass through to the client: one of
/// `MIN..=MAX` (the gift callback's 102100–102200, the message callback's 10100–10200).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PassThrough<const MIN: u32, const MAX: u32>(u32);

impl<const MIN: u32, const MAX: u32> PassThrough<MIN, MAX> {
    /// `code`, if it lies in `MIN..=MAX`.
    pub fn new(code: u32) -> Result<Self, OutOfRange> {
        if (MIN..=MAX).contains(&code) { Ok(PassThrough(code)) } else { Err(OutOfRange { code, min: MIN, max: MAX }) }
    }
    /// The code.
    pub fn get(self) -> u32 {
        self.0
    }
}

/// A code outside the range a reply may pass through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange {
    /// The code given.
    pub code: u32,
    /// Lowest code allowed.
    pub min: u32,
    /// Highest code allowed.
    pub max: u32,
}

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "code {} cannot be passed through: the range is {}..={}", self.code, self.min, self.max)
    }
}

impl std::error::Error for OutOfRange {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_is_the_documented_json_and_reads_back() {
        assert_eq!(Reply::ok().to_json(), br#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#.to_vec());
        let r = Reply::with_code(102150, "sold out").with_field("Note", "x");
        let back = Reply::parse(&r.to_json()).unwrap();
        assert_eq!(back, r);
        assert_eq!(Reply::parse(b"not json"), None);
        assert_eq!(Reply::parse(br#"{"ErrorCode":"0"}"#), None);
    }

    #[test]
    fn reply_fields_come_from_an_object() {
        #[derive(Serialize)]
        struct Changes {
            #[serde(rename = "MsgBody")]
            msg_body: Vec<u8>,
        }
        let r = Reply::ok().with_fields(Changes { msg_body: vec![1] });
        assert_eq!(r.to_json(), br#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","MsgBody":[1]}"#.to_vec());
        assert_eq!(Reply::ok().with_fields(3), Reply::ok());
    }

    #[test]
    fn pass_through_codes_are_bounded() {
        type Gift = PassThrough<102100, 102200>;
        assert_eq!(Gift::new(102100).unwrap().get(), 102100);
        assert_eq!(Gift::new(102200).unwrap().get(), 102200);
        let e = Gift::new(102201).unwrap_err();
        assert_eq!(e.to_string(), "code 102201 cannot be passed through: the range is 102100..=102200");
        assert!(Gift::new(1).is_err());
    }

    #[test]
    fn unknown_commands_keep_their_body() {
        let u = UnknownCallback::new("Live.CallbackAfterSomethingNew", br#"{"A": 1}"#).unwrap();
        assert_eq!(u.body(), r#"{"A": 1}"#);
        assert_eq!(serde_json::to_string(&u).unwrap(), r#"{"A": 1}"#);
        let e = UnknownCallback::new("X", b"{").unwrap_err();
        assert!(
            e.to_string().starts_with("the body of callback X does not match its spec: the body is not JSON"),
            "{e}"
        );
    }
}
