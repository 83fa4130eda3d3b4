//! JSON objects of the endpoint requests and answers, encoded and decoded here once instead of
//! by a serde derive per type.
//!
//! A derive per request and per answer was the largest single cost of building the generated
//! API: serde's derive macro runs (unoptimised, in a debug build) once per type and emits a
//! visitor, a field enum and its own visitor for each. The generated code instead lists the
//! fields: a request's `Serialize` impl is one [`ObjectWriter::put`]/[`ObjectWriter::opt`] line per field, and an
//! answer implements [`Fields`] (wire names, a `match` from a member's name to its field and a
//! `match` that stores field `i`) and forwards `Deserialize` to [`de_fields`]. Shared named types
//! go through the same lists both ways. Decoding starts every field from its [`Placeholder`]
//! (`None` for an optional field) and, after the object's last member, refuses an object that
//! lacks a required field with serde's `missing field` error, as the derive did: a placeholder
//! is never seen by anyone.
//!
//! Decoding through these lists is as fast as serde's derive because the name lookup is a
//! generated `match` (not a search through the names) and the visitor's loop is inlined into
//! the deserializer's entry, as the derive's is (perf/build3x.md).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

use crate::lenient::{Accepting, Kinds, Lenient};

/// Writes a request as a JSON object, field by field.
///
/// The length given to `serialize_struct` counts every field, present or not: JSON (the only
/// format of the API) ignores it, and formats that need it cannot represent left-out `None`
/// fields anyway.
pub struct ObjectWriter<S: Serializer>(S::SerializeStruct);

impl<S: Serializer> ObjectWriter<S> {
    /// Starts the object of type `name` with `fields` fields.
    pub fn new(s: S, name: &'static str, fields: usize) -> Result<Self, S::Error> {
        s.serialize_struct(name, fields).map(ObjectWriter)
    }
    /// Writes a field.
    pub fn put<T: Serialize + ?Sized>(&mut self, wire: &'static str, value: &T) -> Result<(), S::Error> {
        self.0.serialize_field(wire, value)
    }
    /// Writes an optional field when it is set; leaves it out otherwise.
    pub fn opt<T: Serialize>(&mut self, wire: &'static str, value: &Option<T>) -> Result<(), S::Error> {
        match value {
            Some(v) => self.0.serialize_field(wire, v),
            None => self.0.skip_field(wire),
        }
    }
    /// Ends the object.
    pub fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

/// The value a required field holds while its object is decoded, before its member is read:
/// never observable, since an object without the member is refused ([`Fields::REQUIRED`]).
/// `Default` where the type has it; the generated enums and the objects with a required field
/// implement it themselves.
#[doc(hidden)]
pub trait Placeholder {
    /// The start value.
    fn placeholder() -> Self;
}

impl<T: Default> Placeholder for T {
    #[inline]
    fn placeholder() -> Self {
        T::default()
    }
}

/// [`Placeholder::placeholder`], for the generated `Placeholder` impls of objects (one call per
/// field, its type inferred).
#[inline]
pub fn placeholder<T: Placeholder>() -> T {
    T::placeholder()
}

/// An object decoded field by field: implemented by the generated answers, callback bodies and
/// shared types. Decoding starts from [`Placeholder`] (`Default` for those whose fields are all
/// optional).
pub trait Fields: Placeholder {
    /// The wire names, in the order of the indexes [`set`](Self::set) takes.
    const NAMES: &'static [&'static str];
    /// The indexes of the required fields, in order: an object without one of their members is
    /// refused with serde's `missing field` error (the first missing one, as serde's derive does).
    const REQUIRED: &'static [usize] = &[];
    /// The index of the field a member named `name` decodes into: its wire name or one of its
    /// other names (`aliases` in the spec; a member under the name and one under an alias are a
    /// duplicate), `None` for a member the spec does not know.
    ///
    /// A `match` on string literals in the generated code, which the compiler turns into a
    /// switch on the length and word compares, as serde's derive does; a search through `NAMES`
    /// called `memcmp` for every name of the same length (perf/build3x.md).
    fn index(name: &str) -> Option<usize>;
    /// Decodes the value of field `i` from `map` into `self`.
    fn set<'de, M: MapAccess<'de>>(&mut self, i: usize, map: &mut M) -> FieldDecoded<'de, M>;
}

/// What [`Fields::set`] returns.
pub type FieldDecoded<'de, M> = Result<(), <M as MapAccess<'de>>::Error>;

/// `Deserialize` of a [`Fields`] type: a JSON object whose members are matched by wire name;
/// unknown members are skipped, a repeated one is an error (as with serde's derive).
pub fn de_fields<'de, D: Deserializer<'de>, T: Fields>(d: D) -> Result<T, D::Error> {
    // `deserialize_map`, not `deserialize_struct`: serde_json's struct entry also takes the array
    // form, which the visitor refuses anyway, and costs more code per answer type.
    d.deserialize_map(FieldsVisitor(PhantomData))
}

/// The value of the current member, for [`Fields::set`] (the generated code does not import
/// serde's traits, so it cannot call `map.next_value()` itself).
pub fn member_value<'de, M: MapAccess<'de>, T: Deserialize<'de>>(map: &mut M) -> Result<T, M::Error> {
    map.next_value()
}

/// The value of the current member, of a field that declares other JSON kinds it takes
/// (`accept`, as a set of the bits `STRING`, `NUMBER` and `BOOL`).
pub fn tolerant<'de, M: MapAccess<'de>, T: Lenient>(map: &mut M, accept: Kinds) -> Result<T, M::Error> {
    map.next_value_seed(Accepting::new(accept))
}

/// `GetRoomListResponse` for `live_api::api::GetRoomListResponse`, as serde's derive names it.
fn short_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}

struct FieldsVisitor<T>(PhantomData<T>);

impl<'de, T: Fields> Visitor<'de> for FieldsVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", short_name::<T>())
    }
    #[inline]
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<T, M::Error> {
        let mut out = T::placeholder();
        let mut seen = Seen::default();
        while let Some(key) = map.next_key_seed(Key::<T>(PhantomData))? {
            match key {
                Some(i) if seen.insert(i) => out.set(i, &mut map)?,
                Some(i) => return Err(de::Error::duplicate_field(T::NAMES[i])),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        for &i in T::REQUIRED {
            if !seen.contains(i) {
                return Err(de::Error::missing_field(T::NAMES[i]));
            }
        }
        Ok(out)
    }
}

/// The fields already decoded in one object, on the stack for the first 64 (no allocation per
/// object: a heap-allocated `Vec<bool>` per object made a list of 500 seats decode 12 % slower
/// than serde's derive, which keeps its `Option`s on the stack; perf/build3x.md).
#[derive(Default)]
struct Seen {
    low: u64,
    high: Vec<bool>,
}

impl Seen {
    /// Marks field `i`; false if it was already marked.
    #[inline]
    fn insert(&mut self, i: usize) -> bool {
        if i < 64 {
            let bit = 1u64 << i;
            let fresh = self.low & bit == 0;
            self.low |= bit;
            return fresh;
        }
        let j = i - 64;
        if self.high.len() <= j {
            self.high.resize(j + 1, false);
        }
        !std::mem::replace(&mut self.high[j], true)
    }
    /// Whether field `i` is marked.
    #[inline]
    fn contains(&self, i: usize) -> bool {
        if i < 64 {
            return self.low & (1u64 << i) != 0;
        }
        self.high.get(i - 64).copied().unwrap_or(false)
    }
}

/// A member name of a `T`: the index [`Fields::index`] gives, or `None` for a member the spec
/// does not know.
struct Key<T>(PhantomData<T>);

impl<'de, T: Fields> DeserializeSeed<'de> for Key<T> {
    type Value = Option<usize>;
    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<T: Fields> Visitor<'_> for Key<T> {
    type Value = Option<usize>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    #[inline]
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        Ok(T::index(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Option<usize>, E> {
        Ok(std::str::from_utf8(v).ok().and_then(T::index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Answer {
        next: Option<String>,
        total: Option<u64>,
        owner: Option<String>,
    }

    impl Fields for Answer {
        const NAMES: &'static [&'static str] = &["Next", "Total", "Owner_Account"];
        fn index(name: &str) -> Option<usize> {
            Some(match name {
                "Next" => 0,
                "Total" | "Count" => 1,
                "Owner_Account" => 2,
                _ => return None,
            })
        }
        fn set<'de, M: MapAccess<'de>>(&mut self, i: usize, map: &mut M) -> FieldDecoded<'de, M> {
            match i {
                0 => self.next = member_value(map)?,
                1 => self.total = member_value(map)?,
                2 => self.owner = tolerant(map, crate::lenient::NUMBER)?,
                _ => {}
            }
            Ok(())
        }
    }

    impl<'de> Deserialize<'de> for Answer {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            de_fields(d)
        }
    }

    #[test]
    fn decodes_known_members_skips_unknown_ones_and_tolerates_declared_shapes() {
        let a: Answer =
            serde_json::from_str(r#"{"Total": 3, "Extra": {"x": [1, 2]}, "Owner_Account": 42, "Next": null}"#).unwrap();
        assert_eq!(a, Answer { next: None, total: Some(3), owner: Some("42".into()) });
        assert_eq!(serde_json::from_str::<Answer>("{}").unwrap(), Answer::default());
    }

    #[test]
    fn an_alias_decodes_its_field_and_counts_as_it() {
        let a: Answer = serde_json::from_str(r#"{"Count": 4}"#).unwrap();
        assert_eq!(a.total, Some(4));
        let dup = serde_json::from_str::<Answer>(r#"{"Total": 1, "Count": 2}"#).unwrap_err();
        assert!(dup.to_string().contains("duplicate field `Total`"), "{dup}");
    }

    #[test]
    fn seen_marks_each_field_once_beyond_the_first_64_too() {
        let mut seen = Seen::default();
        for i in [0, 5, 63, 64, 130] {
            assert!(seen.insert(i), "{i} first");
            assert!(!seen.insert(i), "{i} again");
        }
        assert!(seen.insert(1) && seen.insert(65) && seen.insert(129));
    }

    #[test]
    fn refuses_what_serde_derive_refuses() {
        let dup = serde_json::from_str::<Answer>(r#"{"Total": 1, "Total": 2}"#).unwrap_err();
        assert!(dup.to_string().contains("duplicate field `Total`"), "{dup}");
        let ty = serde_json::from_str::<Answer>(r#"{"Total": "x"}"#).unwrap_err();
        assert!(ty.to_string().contains("invalid type: string \"x\", expected u64"), "{ty}");
        let kind = serde_json::from_str::<Answer>(r#"{"Owner_Account": true}"#).unwrap_err();
        assert!(kind.to_string().contains("expected a string or a number"), "only the declared kinds: {kind}");
        let not_object = serde_json::from_str::<Answer>("[1]").unwrap_err();
        assert!(not_object.to_string().contains("expected struct Answer"), "{not_object}");
        let value = serde_json::json!({"Next": "n"});
        assert_eq!(serde_json::from_value::<Answer>(value).unwrap().next.as_deref(), Some("n"));
    }

    /// An object with required fields, one of them tolerant and one with an alias.
    #[derive(Debug, PartialEq)]
    struct Entry {
        room_id: String,
        note: Option<String>,
        score: i64,
    }

    impl Placeholder for Entry {
        fn placeholder() -> Self {
            Entry { room_id: placeholder(), note: placeholder(), score: placeholder() }
        }
    }

    impl Fields for Entry {
        const NAMES: &'static [&'static str] = &["RoomId", "Note", "Score"];
        const REQUIRED: &'static [usize] = &[0, 2];
        fn index(name: &str) -> Option<usize> {
            Some(match name {
                "RoomId" | "GroupId" => 0,
                "Note" => 1,
                "Score" => 2,
                _ => return None,
            })
        }
        fn set<'de, M: MapAccess<'de>>(&mut self, i: usize, map: &mut M) -> FieldDecoded<'de, M> {
            match i {
                0 => self.room_id = member_value(map)?,
                1 => self.note = member_value(map)?,
                2 => self.score = tolerant(map, crate::lenient::STRING)?,
                _ => {}
            }
            Ok(())
        }
    }

    impl<'de> Deserialize<'de> for Entry {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            de_fields(d)
        }
    }

    #[test]
    fn required_fields_decode_through_aliases_and_declared_shapes() {
        let e: Entry = serde_json::from_str(r#"{"GroupId": "r1", "Score": "7", "X": 1}"#).unwrap();
        assert_eq!(e, Entry { room_id: "r1".into(), note: None, score: 7 });
        let e: Entry = serde_json::from_str(r#"{"Score": -2, "Note": "n", "RoomId": ""}"#).unwrap();
        assert_eq!(e, Entry { room_id: String::new(), note: Some("n".into()), score: -2 });
    }

    #[test]
    fn a_missing_required_field_is_refused_as_serde_derive_refuses_it() {
        let cases = [
            ("{}", "missing field `RoomId`"),
            (r#"{"Note": "n", "Score": 1}"#, "missing field `RoomId`"),
            (r#"{"RoomId": "r"}"#, "missing field `Score`"),
            (r#"{"GroupId": "r", "Note": null}"#, "missing field `Score`"),
        ];
        for (json, message) in cases {
            let e = serde_json::from_str::<Entry>(json).unwrap_err();
            assert!(e.to_string().starts_with(message), "{json}: {e}");
        }
        let null = serde_json::from_str::<Entry>(r#"{"RoomId": null, "Score": 1}"#).unwrap_err();
        assert!(null.to_string().contains("invalid type: null, expected a string"), "{null}");
    }

    #[test]
    fn seen_tells_marked_fields_beyond_the_first_64_too() {
        let mut seen = Seen::default();
        for i in [0, 63, 64, 130] {
            assert!(!seen.contains(i), "{i} before");
            seen.insert(i);
            assert!(seen.contains(i), "{i} after");
        }
        assert!(!seen.contains(1) && !seen.contains(65) && !seen.contains(500));
    }

    struct Request {
        room_id: String,
        count: Option<u32>,
    }

    impl Serialize for Request {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut o = ObjectWriter::new(s, "Request", 2)?;
            o.put("RoomId", &self.room_id)?;
            o.opt("Count", &self.count)?;
            o.end()
        }
    }

    #[test]
    fn writes_set_fields_and_leaves_out_unset_ones() {
        let r = Request { room_id: "r".into(), count: None };
        assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"RoomId":"r"}"#);
        let r = Request { room_id: "r".into(), count: Some(3) };
        assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"RoomId":"r","Count":3}"#);
    }
}
