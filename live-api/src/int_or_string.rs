//! A value that is a JSON integer or a JSON string, as the spec type `int_or_string` says: a
//! profile field's value (`ProfileItem.Value`) is one or the other depending on its tag.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A JSON integer or a JSON string, kept as the kind it was (spec type `int_or_string`).
///
/// ```
/// use live_api::IntOrString;
/// let v: IntOrString = serde_json::from_str("7").unwrap();
/// assert_eq!(v, IntOrString::Int(7));
/// assert_eq!(serde_json::to_string(&IntOrString::from("Nick")).unwrap(), r#""Nick""#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IntOrString {
    /// A JSON integer.
    Int(i64),
    /// A JSON string.
    Str(String),
}

impl IntOrString {
    /// The integer, if the value is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            IntOrString::Int(i) => Some(*i),
            IntOrString::Str(_) => None,
        }
    }
    /// The string, if the value is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            IntOrString::Str(s) => Some(s),
            IntOrString::Int(_) => None,
        }
    }
}

/// The start value of a required field while its object is decoded (never observable:
/// `wire_struct::Placeholder`).
impl crate::wire_struct::Placeholder for IntOrString {
    fn placeholder() -> Self {
        IntOrString::Int(0)
    }
}

impl fmt::Display for IntOrString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntOrString::Int(i) => write!(f, "{i}"),
            IntOrString::Str(s) => write!(f, "{s:?}"),
        }
    }
}

impl From<i64> for IntOrString {
    fn from(v: i64) -> Self {
        IntOrString::Int(v)
    }
}

impl From<i32> for IntOrString {
    fn from(v: i32) -> Self {
        IntOrString::Int(v.into())
    }
}

impl From<u32> for IntOrString {
    fn from(v: u32) -> Self {
        IntOrString::Int(v.into())
    }
}

impl From<String> for IntOrString {
    fn from(v: String) -> Self {
        IntOrString::Str(v)
    }
}

impl From<&str> for IntOrString {
    fn from(v: &str) -> Self {
        IntOrString::Str(v.to_owned())
    }
}

impl Serialize for IntOrString {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            IntOrString::Int(i) => s.serialize_i64(*i),
            IntOrString::Str(v) => s.serialize_str(v),
        }
    }
}

impl<'de> Deserialize<'de> for IntOrString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(IntOrStringVisitor)
    }
}

struct IntOrStringVisitor;

impl Visitor<'_> for IntOrStringVisitor {
    type Value = IntOrString;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer or a string")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<IntOrString, E> {
        Ok(IntOrString::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<IntOrString, E> {
        i64::try_from(v)
            .map(IntOrString::Int)
            .map_err(|_| E::custom(format!("integer {v} is out of range (at most {})", i64::MAX)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<IntOrString, E> {
        Ok(IntOrString::Str(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<IntOrString, E> {
        Ok(IntOrString::Str(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_either_kind_and_refuses_the_others() {
        assert_eq!(serde_json::from_str::<IntOrString>("-3").unwrap(), IntOrString::Int(-3));
        assert_eq!(serde_json::from_str::<IntOrString>(r#""7""#).unwrap(), IntOrString::Str("7".into()));
        for bad in ["true", "1.5", "null", "[]", "{}"] {
            let e = serde_json::from_str::<IntOrString>(bad).unwrap_err().to_string();
            assert!(e.contains("an integer or a string"), "{bad}: {e}");
        }
        let big = serde_json::from_str::<IntOrString>("18446744073709551615").unwrap_err().to_string();
        assert!(big.contains("out of range"), "{big}");
        assert_eq!(serde_json::to_string(&IntOrString::Int(5)).unwrap(), "5");
    }
}
