//! Tolerant decoding for fields whose documented type and real traffic disagree.
//!
//! A spec field with `"accept": [...]` is decoded through [`lenient`]: a string also from a
//! number or a bool (`Owner_Account` typed String, sent as a number), a bool also from
//! `"true"`/`"false"`/`"1"`/`"0"` and 0/1 (`IsMessageDisabled` typed String, sent as a bool), an
//! integer also from a numeric string.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{self, Visitor};

/// Types that [`lenient`] can decode.
pub trait Lenient: Sized {
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

/// `deserialize_with` target of fields that declare `accept`.
pub fn lenient<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<T, D::Error> {
    d.deserialize_any(LenientVisitor(PhantomData))
}

struct LenientVisitor<T>(PhantomData<T>);

impl<T: Lenient> Visitor<'_> for LenientVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number or boolean")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        T::from_str(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::from_i128(v.into())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::from_i128(v.into())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        T::from_f64(v)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        T::from_bool(v)
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        T::from_null()
    }
}
