//! Secrets (the secret key, UserSig tickets, and the spec fields marked `"secret": true`, like the
//! webhook token) that never show in `Debug`, `Display` or errors.

use std::fmt;

use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A string that must not be printed: `Debug` and `Display` show `<redacted>`.
///
/// On the wire it is a plain JSON string, both ways; a value of another JSON kind fails to decode
/// without being quoted. Generated types use it for the fields a spec marks `"secret": true`, and
/// their setters take `impl Into<Secret>` (a `&str` or a `String`).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The secret itself; use it only where it is sent or signed with.
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// Its length in UTF-8 bytes (which limits are checked against, and errors may show).
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_owned())
    }
}

impl From<&String> for Secret {
    fn from(s: &String) -> Self {
        Secret(s.clone())
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // `any`, not `string`: serde_json answers `deserialize_string` on another kind itself, with
        // a message that quotes the value.
        d.deserialize_any(SecretVisitor)
    }
}

/// Takes a string; refuses every other kind without quoting the value (serde's own messages
/// quote scalars: "invalid type: integer `5`").
struct SecretVisitor;

impl SecretVisitor {
    fn refuse<E: de::Error>(&self, kind: &'static str) -> Result<Secret, E> {
        Err(E::invalid_type(Unexpected::Other(kind), self))
    }
}

impl Visitor<'_> for SecretVisitor {
    type Value = Secret;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string (a secret, not shown)")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Secret, E> {
        Ok(Secret(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Secret, E> {
        Ok(Secret(v))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Secret, E> {
        self.refuse("a boolean")
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Secret, E> {
        self.refuse("an integer")
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Secret, E> {
        self.refuse("an integer")
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<Secret, E> {
        self.refuse("an integer")
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<Secret, E> {
        self.refuse("an integer")
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Secret, E> {
        self.refuse("a number")
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Secret, E> {
        self.refuse("bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_a_plain_string_on_the_wire_and_redacted_elsewhere() {
        let s: Secret = serde_json::from_str(r#""tok-3n""#).unwrap();
        assert_eq!((s.expose(), s.len()), ("tok-3n", 6));
        assert_eq!(serde_json::to_string(&s).unwrap(), r#""tok-3n""#);
        assert_eq!(format!("{s} {s:?} {s:#?}"), "<redacted> <redacted> <redacted>");
    }

    #[test]
    fn refuses_other_kinds_without_quoting_them() {
        for json in ["98765432101", "-98765432101", "98765.4321", "true", "340282366920938463463374607431768211455"] {
            let e = serde_json::from_str::<Secret>(json).unwrap_err().to_string();
            assert!(e.starts_with("invalid type: "), "{json}: {e}");
            let shown = &json.trim_start_matches('-')[..4];
            assert!(!e.contains(shown), "{json}: {e}");
        }
        let e = serde_json::from_value::<Secret>(serde_json::json!(123456789)).unwrap_err().to_string();
        assert_eq!(e, "invalid type: an integer, expected a string (a secret, not shown)");
    }
}
