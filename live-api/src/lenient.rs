//! Tolerant decoding for fields whose documented type and real traffic disagree.
//!
//! A spec field with `"accept": [...]` is decoded through [`lenient`] (serde's derive) or
//! [`tolerant`](crate::wire_struct::tolerant) (field lists), with the kinds it declares as a set
//! of [`Kinds`]: a string also from a number or a bool (`Owner_Account` typed String, sent as a
//! number), a bool also from `"true"`/`"false"`/`"1"`/`"0"` or 0/1 (`IsMessageDisabled`), an
//! integer also from a numeric string. Only the declared kinds are taken: a bool that accepts
//! `string` still refuses `1`.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{self, DeserializeSeed, Visitor};

/// A set of JSON kinds, one bit each ([`STRING`], [`NUMBER`], [`BOOL`]): those a field accepts
/// besides the kind of its own type.
pub type Kinds = u8;
/// A JSON string.
pub const STRING: Kinds = 1;
/// A JSON number.
pub const NUMBER: Kinds = 2;
/// A JSON boolean.
pub const BOOL: Kinds = 4;

/// Types that [`lenient`] can decode.
pub trait Lenient: Sized {
    /// The JSON kind of the type itself, always accepted.
    #[doc(hidden)]
    const KIND: Kinds;
    #[doc(hidden)]
    fn from_str<E: de::Error>(v: &str) -> Result<Self, E>;
    #[doc(hidden)]
    fn from_i128<E: de::Error>(v: i128) -> Result<Self, E>;
    #[doc(hidden)]
    fn from_f64<E: de::Error>(v: f64) -> Result<Self, E>;
    #[doc(hidden)]
    fn from_bool<E: de::Error>(v: bool) -> Result<Self, E>;
    #[doc(hidden)]
    fn from_null<E: de::Error>() -> Result<Self, E> {
        Err(E::invalid_type(de::Unexpected::Unit, &"a value"))
    }
}

impl Lenient for String {
    const KIND: Kinds = STRING;
    fn from_str<E: de::Error>(v: &str) -> Result<Self, E> {
        Ok(v.to_owned())
    }
    fn from_i128<E: de::Error>(v: i128) -> Result<Self, E> {
        Ok(v.to_string())
    }
    fn from_f64<E: de::Error>(v: f64) -> Result<Self, E> {
        Ok(v.to_string())
    }
    fn from_bool<E: de::Error>(v: bool) -> Result<Self, E> {
        Ok(v.to_string())
    }
}

impl Lenient for bool {
    const KIND: Kinds = BOOL;
    fn from_str<E: de::Error>(v: &str) -> Result<Self, E> {
        match v.trim() {
            "true" | "True" | "TRUE" | "1" => Ok(true),
            "false" | "False" | "FALSE" | "0" | "" => Ok(false),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &"a boolean")),
        }
    }
    fn from_i128<E: de::Error>(v: i128) -> Result<Self, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(de::Unexpected::Other("an integer other than 0 or 1"), &"a boolean")),
        }
    }
    fn from_f64<E: de::Error>(v: f64) -> Result<Self, E> {
        Err(E::invalid_type(de::Unexpected::Float(v), &"a boolean"))
    }
    fn from_bool<E: de::Error>(v: bool) -> Result<Self, E> {
        Ok(v)
    }
}

macro_rules! lenient_int {
    ($($t:ty),*) => {$(
        impl Lenient for $t {
            const KIND: Kinds = NUMBER;
            fn from_str<E: de::Error>(v: &str) -> Result<Self, E> {
                v.trim().parse().map_err(|_| E::invalid_value(de::Unexpected::Str(v), &stringify!($t)))
            }
            fn from_i128<E: de::Error>(v: i128) -> Result<Self, E> {
                <$t>::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Other("an out-of-range integer"), &stringify!($t)))
            }
            fn from_f64<E: de::Error>(v: f64) -> Result<Self, E> {
                Err(E::invalid_type(de::Unexpected::Float(v), &stringify!($t)))
            }
            fn from_bool<E: de::Error>(v: bool) -> Result<Self, E> {
                Err(E::invalid_type(de::Unexpected::Bool(v), &stringify!($t)))
            }
        }
    )*};
}
lenient_int!(i8, i16, i32, i64, u8, u16, u32, u64);

impl<T: Lenient> Lenient for Option<T> {
    const KIND: Kinds = T::KIND;
    fn from_str<E: de::Error>(v: &str) -> Result<Self, E> {
        T::from_str(v).map(Some)
    }
    fn from_i128<E: de::Error>(v: i128) -> Result<Self, E> {
        T::from_i128(v).map(Some)
    }
    fn from_f64<E: de::Error>(v: f64) -> Result<Self, E> {
        T::from_f64(v).map(Some)
    }
    fn from_bool<E: de::Error>(v: bool) -> Result<Self, E> {
        T::from_bool(v).map(Some)
    }
    fn from_null<E: de::Error>() -> Result<Self, E> {
        Ok(None)
    }
}

/// `deserialize_with` target of fields that declare `accept`: `ACCEPT` is the set of kinds they
/// declare (`"__lv::lenient::<{ __lv::NUMBER }, _, _>"`).
pub fn lenient<'de, const ACCEPT: Kinds, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<T, D::Error> {
    Accepting::new(ACCEPT).deserialize(d)
}

/// Decodes a `T` from its own JSON kind or one of `accept`.
pub(crate) struct Accepting<T> {
    kinds: Kinds,
    ty: PhantomData<T>,
}

impl<T: Lenient> Accepting<T> {
    pub(crate) fn new(accept: Kinds) -> Self {
        Accepting { kinds: accept | T::KIND, ty: PhantomData }
    }

    /// `decode()` when `kind` is one of the kinds taken, else the error serde reports for a
    /// value of the wrong type.
    fn take<E: de::Error>(
        &self,
        kind: Kinds,
        found: de::Unexpected<'_>,
        decode: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        if self.kinds & kind != 0 { decode() } else { Err(E::invalid_type(found, self)) }
    }
}

impl<'de, T: Lenient> DeserializeSeed<'de> for Accepting<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(self)
    }
}

impl<T: Lenient> Visitor<'_> for Accepting<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = [(STRING, "a string"), (NUMBER, "a number"), (BOOL, "a boolean")];
        let taken: Vec<&str> = names.iter().filter(|(k, _)| self.kinds & k != 0).map(|(_, n)| *n).collect();
        f.write_str(&taken.join(" or "))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        self.take(STRING, de::Unexpected::Str(v), || T::from_str(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        self.take(NUMBER, de::Unexpected::Signed(v), || T::from_i128(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        self.take(NUMBER, de::Unexpected::Unsigned(v), || T::from_i128(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        self.take(NUMBER, de::Unexpected::Float(v), || T::from_f64(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        self.take(BOOL, de::Unexpected::Bool(v), || T::from_bool(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        T::from_null()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// A JSON value of each kind, with the kind it is.
    fn samples() -> [(Kinds, Value); 4] {
        [(STRING, json!("1")), (NUMBER, json!(1)), (NUMBER, json!(1.5)), (BOOL, json!(true))]
    }

    fn decodes<T: Lenient>(accept: Kinds, v: &Value) -> bool {
        Accepting::<T>::new(accept).deserialize(v).is_ok()
    }

    /// For every type, every set of accepted kinds and every JSON kind: a value of a kind that is
    /// neither the type's own nor accepted is refused, whatever the type could make of it.
    #[test]
    fn takes_exactly_the_own_kind_and_the_accepted_ones() {
        for accept in 0..=(STRING | NUMBER | BOOL) {
            for (kind, v) in samples() {
                let taken = |own: Kinds| (accept | own) & kind != 0;
                assert_eq!(decodes::<String>(accept, &v), taken(STRING), "string, accept {accept:#b}, {v}");
                assert_eq!(decodes::<Option<String>>(accept, &v), taken(STRING), "Option<String>, {accept:#b}, {v}");
                // A bool takes `"1"` and 1 but never 1.5; an integer takes `"1"` and 1, never a bool.
                let bool_can = !matches!(v, Value::Number(ref n) if n.is_f64());
                assert_eq!(decodes::<bool>(accept, &v), taken(BOOL) && bool_can, "bool, accept {accept:#b}, {v}");
                let int_can = !v.is_boolean() && !v.is_f64();
                assert_eq!(decodes::<u32>(accept, &v), taken(NUMBER) && int_can, "u32, accept {accept:#b}, {v}");
            }
        }
    }

    #[test]
    fn conversions_and_refusals() {
        let string = |accept, v: Value| Accepting::<String>::new(accept).deserialize(v).map_err(|e| e.to_string());
        assert_eq!(string(NUMBER, json!(123)), Ok("123".to_owned()));
        assert_eq!(string(BOOL, json!(false)), Ok("false".to_owned()));
        assert_eq!(
            string(NUMBER, json!(true)),
            Err("invalid type: boolean `true`, expected a string or a number".into())
        );
        let flag = |accept, v: Value| Accepting::<bool>::new(accept).deserialize(v).ok();
        assert_eq!(
            (flag(STRING, json!(" TRUE ")), flag(STRING, json!("")), flag(STRING, json!("yes"))),
            (Some(true), Some(false), None)
        );
        assert_eq!(
            (flag(NUMBER, json!(0)), flag(NUMBER, json!(2)), flag(NUMBER, json!("1"))),
            (Some(false), None, None)
        );
        let count = |v: Value| Accepting::<u8>::new(STRING).deserialize(v).ok();
        assert_eq!((count(json!(" 7")), count(json!("300")), count(json!("x"))), (Some(7), None, None));
        let opt = Accepting::<Option<u32>>::new(STRING).deserialize(json!(null)).unwrap();
        assert_eq!(opt, None);
        assert!(Accepting::<u32>::new(STRING).deserialize(json!(null)).is_err(), "null only for optional fields");
    }
}
