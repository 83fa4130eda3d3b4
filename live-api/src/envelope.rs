//! Decoding the answer: the `ActionStatus`/`ErrorCode`/`ErrorInfo`/`RequestId` envelope and the
//! payload, in one pass over the envelope and one over the payload.

use std::fmt;

use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::codes::ErrorCode;
use crate::endpoint::{Endpoint, EndpointMeta};
use crate::error::{AnswerError, ApiError, Error};

/// How many bytes of an undecodable body an error shows.
const EXCERPT_BYTES: usize = 200;

/// An HTTP answer as received.
pub(crate) struct Answer<'a> {
    pub status: u16,
    pub content_type: Option<&'a str>,
    pub body: &'a [u8],
}

/// Decodes an answer of endpoint `E`. `secrets` are scrubbed from any body excerpt; an endpoint
/// that [holds a secret](EndpointMeta::holds_secret) gets none.
///
/// Only the fast path and the payload's own decoding are generic: this function is compiled once
/// per endpoint, so everything that does not need the endpoint's types is in [`read_envelope`].
pub(crate) fn decode<E: Endpoint>(answer: &Answer<'_>, secrets: &[&str]) -> Result<E::Response, Error<E::Code>> {
    let meta = &E::META;
    // Fast path: one pass that decodes the payload in place. Anything unusual (an error code
    // with an odd payload, a payload that does not match) takes the careful path below, which
    // explains what is wrong.
    if answer.status == 200
        && let Some(key) = meta.response_key
        && let Ok(env) = parse_with_payload::<E::Response>(answer.body, key)
    {
        match (env.error_code, env.payload) {
            (Some(0), Some(payload)) => return Ok(payload),
            (Some(code), _) if code != 0 => return Err(api_error(meta, code, env.error_info, env.request_id)),
            _ => {}
        }
    }
    match read_envelope(answer, meta, secrets) {
        EnvelopeSays::Payload { json, request_id } => serde_json::from_slice::<E::Response>(json).map_err(|e| {
            let reason = format!("the payload does not match the spec: {e}");
            Error::Answer(answer_error(answer, meta, secrets, reason, request_id))
        }),
        EnvelopeSays::Api { code, message, request_id } => Err(api_error(meta, code, message, request_id)),
        EnvelopeSays::NotEnvelope(e) => Err(Error::Answer(e)),
    }
}

/// What the envelope says, read on the careful path without the endpoint's types.
enum EnvelopeSays<'a> {
    /// `ErrorCode` 0: the payload's JSON, to decode as the endpoint's answer.
    Payload { json: &'a [u8], request_id: Option<String> },
    /// A non-zero `ErrorCode`.
    Api { code: i64, message: Option<String>, request_id: Option<String> },
    /// Not the documented envelope.
    NotEnvelope(Box<AnswerError>),
}

/// The envelope read on its own (the payload kept as raw JSON), and what it says.
fn read_envelope<'a>(answer: &Answer<'a>, meta: &EndpointMeta, secrets: &[&str]) -> EnvelopeSays<'a> {
    let fail = |reason: String, request_id: Option<String>| {
        EnvelopeSays::NotEnvelope(answer_error(answer, meta, secrets, reason, request_id))
    };
    if answer.status != 200 {
        return fail(format!("HTTP status {} instead of 200", answer.status), None);
    }
    let envelope = match parse_envelope(answer.body, meta) {
        Ok(e) => e,
        Err(e) => return fail(format!("invalid JSON envelope: {e}"), None),
    };
    let request_id = envelope.request_id;
    let Some(code) = envelope.error_code else {
        return fail("the envelope has no ErrorCode".into(), request_id);
    };
    if code != 0 {
        return EnvelopeSays::Api { code, message: envelope.error_info, request_id };
    }
    let json = match (meta.response_key, envelope.payload) {
        (Some(_), Some(raw)) => raw.get().as_bytes(),
        (Some(_), None) => b"{}",
        (None, _) => answer.body,
    };
    EnvelopeSays::Payload { json, request_id }
}

fn api_error<C: ErrorCode>(
    meta: &EndpointMeta,
    code: i64,
    message: Option<String>,
    request_id: Option<String>,
) -> Error<C> {
    Error::Api(ApiError {
        service: meta.service,
        command: meta.command,
        code: C::from_code(code),
        message: message.unwrap_or_default(),
        request_id: request_id.unwrap_or_default(),
        attempts: 1,
    })
}

fn answer_error(
    answer: &Answer<'_>,
    meta: &EndpointMeta,
    secrets: &[&str],
    reason: String,
    request_id: Option<String>,
) -> Box<AnswerError> {
    Box::new(AnswerError {
        service: meta.service,
        command: meta.command,
        status: answer.status,
        content_type: answer.content_type.map(str::to_owned),
        reason,
        excerpt: if meta.holds_secret { String::new() } else { excerpt(answer.body, secrets) },
        excerpt_withheld: meta.holds_secret,
        request_id,
        attempts: 1,
        idempotent: meta.idempotent,
    })
}

/// Decodes the envelope and the payload under `key` as `R`, in one pass.
fn parse_with_payload<'a, R: DeserializeOwned>(
    body: &'a [u8],
    key: &'static str,
) -> Result<Envelope<'a, R>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let env = EnvelopeSeed::<R> { payload_key: Some(key), payload: PhantomData }.deserialize(&mut de)?;
    de.end()?;
    Ok(env)
}

struct Envelope<'a, P = &'a RawValue> {
    error_code: Option<i64>,
    error_info: Option<String>,
    request_id: Option<String>,
    payload: Option<P>,
    lifetime: PhantomData<&'a ()>,
}

fn parse_envelope<'a>(body: &'a [u8], meta: &EndpointMeta) -> Result<Envelope<'a>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let env =
        EnvelopeSeed::<&'a RawValue> { payload_key: meta.response_key, payload: PhantomData }.deserialize(&mut de)?;
    de.end()?;
    Ok(env)
}

/// Reads the envelope; the member named `payload_key` is decoded as `P` (a borrowed raw value,
/// or the typed payload).
struct EnvelopeSeed<P> {
    payload_key: Option<&'static str>,
    payload: PhantomData<P>,
}

enum Key {
    ErrorCode,
    ErrorInfo,
    RequestId,
    Payload,
    Other,
}

struct KeySeed(Option<&'static str>);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(match v {
            "ErrorCode" => Key::ErrorCode,
            "ErrorInfo" => Key::ErrorInfo,
            "RequestId" => Key::RequestId,
            k if Some(k) == self.0 => Key::Payload,
            _ => Key::Other,
        })
    }
}

impl<'de, P: Deserialize<'de>> DeserializeSeed<'de> for EnvelopeSeed<P> {
    type Value = Envelope<'de, P>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Envelope<'de, P>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, P: Deserialize<'de>> Visitor<'de> for EnvelopeSeed<P> {
    type Value = Envelope<'de, P>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object with ErrorCode, ErrorInfo and RequestId")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope<'de, P>, A::Error> {
        let mut env =
            Envelope { error_code: None, error_info: None, request_id: None, payload: None, lifetime: PhantomData };
        while let Some(key) = map.next_key_seed(KeySeed(self.payload_key))? {
            match key {
                Key::ErrorCode => env.error_code = Some(map.next_value()?),
                Key::ErrorInfo => env.error_info = map.next_value()?,
                Key::RequestId => env.request_id = map.next_value()?,
                Key::Payload => env.payload = Some(map.next_value()?),
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(env)
    }
}

/// The first bytes of a body as one line of text, with `secrets` scrubbed (whole and
/// percent-encoded, in case a proxy echoes the request URL).
fn excerpt(body: &[u8], secrets: &[&str]) -> String {
    let mut text = String::from_utf8_lossy(body).into_owned();
    for s in secrets.iter().filter(|s| s.len() >= 4) {
        text = text.replace(s, "<redacted>");
        let encoded = crate::query::encode(s);
        if encoded != *s {
            text = text.replace(&encoded, "<redacted>");
        }
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.len() >= EXCERPT_BYTES {
            out.push('…');
            break;
        }
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}
