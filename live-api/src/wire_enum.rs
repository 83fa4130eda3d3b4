//! Enums on the wire: (de)serialization of generated string and integer enums, once.
//!
//! A value the spec does not know decodes into the enum's `Unknown` arm, keeping the raw value,
//! instead of failing the whole response. String enums also decode from the integer aliases that
//! older service versions send (`TakeSeatMode` 1/2).

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Serialize, Serializer};

/// A value received for an enum that the spec does not list. It can be read and printed, not
/// built: requests can only carry documented values.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct UnknownValue(Raw);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Raw {
    Str(String),
    Int(i64),
}

impl UnknownValue {
    /// The value if it was a JSON string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.0 {
            Raw::Str(s) => Some(s),
            Raw::Int(_) => None,
        }
    }
    /// The value if it was a JSON integer.
    pub fn as_i64(&self) -> Option<i64> {
        match self.0 {
            Raw::Int(i) => Some(i),
            Raw::Str(_) => None,
        }
    }
}

/// The start value of a generated enum field while its object is decoded (never observable:
/// `wire_struct::Placeholder`).
impl crate::wire_struct::Placeholder for UnknownValue {
    fn placeholder() -> Self {
        UnknownValue(Raw::Int(0))
    }
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Raw::Str(s) => write!(f, "{s:?}"),
            Raw::Int(i) => write!(f, "{i}"),
        }
    }
}

impl Serialize for UnknownValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Raw::Str(v) => s.serialize_str(v),
            Raw::Int(v) => s.serialize_i64(*v),
        }
    }
}

/// Implemented by generated string enums.
pub trait StrEnum: Sized + Clone + 'static {
    /// Wire values, by variant index.
    const VALUES: &'static [&'static str];
    /// Integer aliases: `(alias, variant index)`.
    const ALIASES: &'static [(i64, usize)];
    /// The known variants, by index.
    const ALL: &'static [Self];
    /// Index of a known variant, or the unknown value.
    fn index(&self) -> Result<usize, &UnknownValue>;
    /// Wraps an unknown value.
    fn unknown(value: UnknownValue) -> Self;
    /// Wire prefixes of the value families (`Tag_Profile_Custom_`), by family index: a string
    /// that is no listed value but starts with one is that family's variant, which holds the
    /// whole value. [`index`](Self::index) gives such a variant's value as the `Err` arm, like an
    /// unknown one: it is not one of [`VALUES`](Self::VALUES).
    const PREFIXES: &'static [&'static str] = &[];
    /// The variant of family `family` holding `value` (which starts with its prefix).
    fn member(family: usize, value: UnknownValue) -> Self {
        let _ = family;
        Self::unknown(value)
    }
}

/// The value of family `prefix` whose wire value is `prefix` followed by `rest`, for the
/// generated constructor of a family's variant (`ProfileTag::custom("Level")`).
pub fn family_value(prefix: &str, rest: &str) -> UnknownValue {
    UnknownValue(Raw::Str(format!("{prefix}{rest}")))
}

/// Implemented by generated integer enums.
pub trait IntEnum: Sized + Clone + 'static {
    /// Wire values, by variant index.
    const VALUES: &'static [i64];
    /// The known variants, by index.
    const ALL: &'static [Self];
    /// Index of a known variant, or the unknown value.
    fn index(&self) -> Result<usize, &UnknownValue>;
    /// Wraps an unknown value.
    fn unknown(value: UnknownValue) -> Self;
}

/// Serializes a string enum as its wire string.
pub fn ser_str_enum<T: StrEnum, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    match v.index() {
        Ok(i) => s.serialize_str(T::VALUES.get(i).copied().unwrap_or_default()),
        Err(u) => u.serialize(s),
    }
}

/// Serializes an integer enum as its wire integer.
pub fn ser_int_enum<T: IntEnum, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    match v.index() {
        Ok(i) => s.serialize_i64(T::VALUES.get(i).copied().unwrap_or_default()),
        Err(u) => u.serialize(s),
    }
}

/// Decodes a string enum from a string (a listed value, or a member of a value family) or an
/// integer alias; anything else of those shapes is kept as `Unknown`.
pub fn de_str_enum<'de, T: StrEnum, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_any(EnumVisitor(|raw: Raw| match &raw {
        Raw::Str(s) => match T::VALUES.iter().position(|v| v == s) {
            Some(i) => T::ALL[i].clone(),
            None => match T::PREFIXES.iter().position(|p| s.starts_with(p)) {
                Some(family) => T::member(family, UnknownValue(raw)),
                None => T::unknown(UnknownValue(raw)),
            },
        },
        Raw::Int(n) => match T::ALIASES.iter().find(|(a, _)| a == n) {
            Some(&(_, i)) => T::ALL[i].clone(),
            None => T::unknown(UnknownValue(raw)),
        },
    }))
}

/// Decodes an integer enum from an integer (or a numeric string); unknown values are kept.
pub fn de_int_enum<'de, T: IntEnum, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_any(EnumVisitor(|raw: Raw| {
        let n = match &raw {
            Raw::Int(n) => Some(*n),
            Raw::Str(s) => s.trim().parse().ok(),
        };
        match n.and_then(|n| T::VALUES.iter().position(|v| *v == n)) {
            Some(i) => T::ALL[i].clone(),
            None => T::unknown(UnknownValue(raw)),
        }
    }))
}

struct EnumVisitor<F>(F);

impl<'de, T, F: FnOnce(Raw) -> T> Visitor<'de> for EnumVisitor<F> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or an integer")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok((self.0)(Raw::Str(v.to_owned())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Ok((self.0)(Raw::Int(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        match i64::try_from(v) {
            Ok(v) => Ok((self.0)(Raw::Int(v))),
            Err(_) => Ok((self.0)(Raw::Str(v.to_string()))),
        }
    }
}
