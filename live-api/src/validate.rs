//! Checking requests against the documented limits before anything is sent.
//!
//! Generated types implement [`Validate`] with one `c.field(..)` line per limited field; the rules
//! themselves are here, once. A check allocates nothing unless it finds a violation.

use std::fmt;

use crate::secret::Secret;

/// Documented limits of one field. For arrays, the byte and value limits apply to each element
/// and the item limits to the array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    min_bytes: Option<u64>,
    max_bytes: Option<u64>,
    min: Option<i64>,
    max: Option<i64>,
    min_items: Option<u64>,
    max_items: Option<u64>,
    allowed_strs: &'static [&'static str],
    allowed_ints: &'static [i64],
}

#[allow(missing_docs)]
impl Limits {
    /// No limit.
    pub const NONE: Limits = Limits {
        min_bytes: None,
        max_bytes: None,
        min: None,
        max: None,
        min_items: None,
        max_items: None,
        allowed_strs: &[],
        allowed_ints: &[],
    };
    pub const fn min_bytes(mut self, n: u64) -> Self {
        self.min_bytes = Some(n);
        self
    }
    pub const fn max_bytes(mut self, n: u64) -> Self {
        self.max_bytes = Some(n);
        self
    }
    pub const fn min(mut self, n: i64) -> Self {
        self.min = Some(n);
        self
    }
    pub const fn max(mut self, n: i64) -> Self {
        self.max = Some(n);
        self
    }
    pub const fn min_items(mut self, n: u64) -> Self {
        self.min_items = Some(n);
        self
    }
    pub const fn max_items(mut self, n: u64) -> Self {
        self.max_items = Some(n);
        self
    }
    pub const fn allowed_strs(mut self, v: &'static [&'static str]) -> Self {
        self.allowed_strs = v;
        self
    }
    pub const fn allowed_ints(mut self, v: &'static [i64]) -> Self {
        self.allowed_ints = v;
        self
    }
}

/// The rule a value broke.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// Longer than `max` UTF-8 bytes.
    MaxBytes {
        /// The limit.
        max: u64,
        /// The actual length in bytes.
        actual: u64,
    },
    /// Shorter than `min` UTF-8 bytes.
    MinBytes {
        /// The limit.
        min: u64,
        /// The actual length in bytes.
        actual: u64,
    },
    /// Above the maximum value.
    Max {
        /// The limit.
        max: i64,
        /// The actual value.
        actual: i128,
    },
    /// Below the minimum value.
    Min {
        /// The limit.
        min: i64,
        /// The actual value.
        actual: i128,
    },
    /// More items than allowed.
    MaxItems {
        /// The limit.
        max: u64,
        /// The actual number of items.
        actual: u64,
    },
    /// Fewer items than required.
    MinItems {
        /// The limit.
        min: u64,
        /// The actual number of items.
        actual: u64,
    },
    /// Not one of the documented values.
    NotAllowed {
        /// The documented values.
        allowed: Vec<String>,
        /// The actual value.
        actual: String,
    },
    /// Not exactly one of the fields of a one-of group set (`one_of` in the spec).
    OneOf {
        /// The fields of the group, by wire name.
        fields: Vec<&'static str>,
        /// The fields that are set (none, or more than one).
        set: Vec<&'static str>,
    },
    /// The request could not be rendered as JSON.
    Unserializable {
        /// Why.
        message: String,
    },
}

/// One broken limit: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Wire path of the field, e.g. `RoomInfo.RoomId` or `LayoutInfo.LayoutList[2].RoomId`.
    pub field: String,
    /// The rule it broke, with the limit and the actual value.
    pub rule: Rule,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = &self.field;
        match &self.rule {
            Rule::MaxBytes { max, actual } => {
                write!(f, "{field} is {actual} bytes; the API allows at most {max} bytes")
            }
            Rule::MinBytes { min, actual } => {
                write!(f, "{field} is {actual} bytes; the API requires at least {min} bytes")
            }
            Rule::Max { max, actual } => write!(f, "{field} is {actual}; the API allows at most {max}"),
            Rule::Min { min, actual } => write!(f, "{field} is {actual}; the API requires at least {min}"),
            Rule::MaxItems { max, actual } => {
                write!(f, "{field} has {actual} items; the API allows at most {max}")
            }
            Rule::MinItems { min, actual } => {
                write!(f, "{field} has {actual} items; the API requires at least {min}")
            }
            Rule::NotAllowed { allowed, actual } => {
                write!(f, "{field} is {actual}; the API allows only {}", allowed.join(", "))
            }
            Rule::OneOf { fields, set } => {
                let found = if set.is_empty() { "none is".to_owned() } else { format!("{} are", set.join(" and ")) };
                write!(f, "exactly one of {} must be set; {found} set", fields.join(", "))
            }
            Rule::Unserializable { message } => write!(f, "the request cannot be rendered as JSON: {message}"),
        }
    }
}

/// Implemented by every generated request and object type.
pub trait Validate {
    /// Reports every broken limit of `self` to `c`. The default checks nothing.
    fn validate(&self, c: &mut Checker<'_>) {
        let _ = c;
    }
}

/// Collects the violations of one value, tracking the wire path down to each field.
pub struct Checker<'a> {
    path: Path<'a>,
    out: &'a mut Vec<Violation>,
}

#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Field(&'a Path<'a>, &'static str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Field(Path::Root, name) => f.write_str(name),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

impl Checker<'_> {
    /// Checks the field `wire` of the current value against `limits`.
    pub fn field<T: Check + ?Sized>(&mut self, wire: &'static str, value: &T, limits: Limits) {
        let mut c = Checker { path: Path::Field(&self.path, wire), out: self.out };
        value.check(&mut c, &limits);
    }

    /// Checks that exactly one field of a one-of group is set: `(wire name, is set)` each.
    pub fn one_of(&mut self, group: &[(&'static str, bool)]) {
        let set: Vec<&'static str> = group.iter().filter(|(_, s)| *s).map(|(w, _)| *w).collect();
        if set.len() != 1 {
            let fields: Vec<&'static str> = group.iter().map(|(w, _)| *w).collect();
            let at = match self.path {
                Path::Root => fields.join(", "),
                _ => format!("{}.{{{}}}", self.path, fields.join(", ")),
            };
            self.out.push(Violation { field: at, rule: Rule::OneOf { fields, set } });
        }
    }

    fn report(&mut self, rule: Rule) {
        self.out.push(Violation { field: self.path.to_string(), rule });
    }

    fn item<T: Check>(&mut self, index: usize, value: &T, limits: &Limits) {
        let mut c = Checker { path: Path::Index(&self.path, index), out: self.out };
        value.check(&mut c, limits);
    }
}

/// Checks a whole value; returns every violation found (empty when valid).
pub fn check<T: Validate + ?Sized>(value: &T) -> Vec<Violation> {
    let mut out = Vec::new();
    value.validate(&mut Checker { path: Path::Root, out: &mut out });
    out
}

/// A value that can be checked against [`Limits`]. Implemented for the field types that
/// generated code uses.
pub trait Check {
    /// Reports what breaks `limits` to `c`.
    fn check(&self, c: &mut Checker<'_>, limits: &Limits);
}

/// The rules of a string value; `shown` is how a violation quotes it.
fn check_str(value: &str, shown: impl FnOnce() -> String, c: &mut Checker<'_>, l: &Limits) {
    let n = value.len() as u64;
    if let Some(max) = l.max_bytes.filter(|&m| n > m) {
        c.report(Rule::MaxBytes { max, actual: n });
    }
    if let Some(min) = l.min_bytes.filter(|&m| n < m) {
        c.report(Rule::MinBytes { min, actual: n });
    }
    if !l.allowed_strs.is_empty() && !l.allowed_strs.contains(&value) {
        c.report(Rule::NotAllowed {
            allowed: l.allowed_strs.iter().map(|s| format!("{s:?}")).collect(),
            actual: shown(),
        });
    }
}

impl Check for String {
    fn check(&self, c: &mut Checker<'_>, l: &Limits) {
        check_str(self, || format!("{self:?}"), c, l);
    }
}

/// The rules of a string; a violation shows the length, never the value (the spec format refuses
/// `allowed` on a secret, and a violation of one would still say `<redacted>`).
impl Check for Secret {
    fn check(&self, c: &mut Checker<'_>, l: &Limits) {
        check_str(self.expose(), || format!("{self:?}"), c, l);
    }
}

/// The string rules for a string, the integer rules for an integer.
impl Check for crate::IntOrString {
    fn check(&self, c: &mut Checker<'_>, l: &Limits) {
        match self {
            crate::IntOrString::Str(s) => s.check(c, l),
            crate::IntOrString::Int(i) => i.check(c, l),
        }
    }
}

impl Check for bool {
    fn check(&self, _: &mut Checker<'_>, _: &Limits) {}
}

macro_rules! check_int {
    ($($t:ty),*) => {$(
        impl Check for $t {
            fn check(&self, c: &mut Checker<'_>, l: &Limits) {
                let v = i128::from(*self);
                if let Some(max) = l.max.filter(|&m| v > i128::from(m)) {
                    c.report(Rule::Max { max, actual: v });
                }
                if let Some(min) = l.min.filter(|&m| v < i128::from(m)) {
                    c.report(Rule::Min { min, actual: v });
                }
                if !l.allowed_ints.is_empty() && !l.allowed_ints.iter().any(|&a| i128::from(a) == v) {
                    c.report(Rule::NotAllowed {
                        allowed: l.allowed_ints.iter().map(i64::to_string).collect(),
                        actual: v.to_string(),
                    });
                }
            }
        }
    )*};
}
check_int!(i8, i16, i32, i64, u8, u16, u32, u64);

impl<T: Check> Check for Option<T> {
    fn check(&self, c: &mut Checker<'_>, l: &Limits) {
        if let Some(v) = self {
            v.check(c, l);
        }
    }
}

impl<T: Check> Check for Vec<T> {
    fn check(&self, c: &mut Checker<'_>, l: &Limits) {
        let n = self.len() as u64;
        if let Some(max) = l.max_items.filter(|&m| n > m) {
            c.report(Rule::MaxItems { max, actual: n });
        }
        if let Some(min) = l.min_items.filter(|&m| n < m) {
            c.report(Rule::MinItems { min, actual: n });
        }
        for (i, item) in self.iter().enumerate() {
            c.item(i, item, l);
        }
    }
}

/// Generated objects and enums: check their own fields (limits of the parent do not apply).
impl<T: Validate> Check for T {
    fn check(&self, c: &mut Checker<'_>, _: &Limits) {
        self.validate(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Inner {
        id: String,
    }
    impl Validate for Inner {
        fn validate(&self, c: &mut Checker<'_>) {
            c.field("RoomId", &self.id, Limits::NONE.max_bytes(4));
        }
    }
    struct Outer {
        list: Option<Vec<Inner>>,
        n: u32,
    }
    impl Validate for Outer {
        fn validate(&self, c: &mut Checker<'_>) {
            c.field("List", &self.list, Limits::NONE.max_items(2));
            c.field("N", &self.n, Limits::NONE.min(1).allowed_ints(&[1, 1000]));
        }
    }

    #[test]
    fn reports_paths_limits_and_actual_values() {
        let v = Outer {
            list: Some(vec![Inner { id: "ok".into() }, Inner { id: "éééé".into() }, Inner { id: "x".into() }]),
            n: 0,
        };
        let got: Vec<String> = check(&v).iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            [
                "List has 3 items; the API allows at most 2",
                "List[1].RoomId is 8 bytes; the API allows at most 4 bytes",
                "N is 0; the API requires at least 1",
                "N is 0; the API allows only 1, 1000",
            ]
        );
        assert!(check(&Outer { list: None, n: 1000 }).is_empty());
    }

    struct Either {
        a: Option<u32>,
        b: Option<u32>,
    }
    impl Validate for Either {
        fn validate(&self, c: &mut Checker<'_>) {
            c.one_of(&[("A", self.a.is_some()), ("B", self.b.is_some())]);
        }
    }

    #[test]
    fn a_one_of_group_needs_exactly_one_field() {
        let shown = |a, b| check(&Either { a, b }).iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(shown(None, None), ["exactly one of A, B must be set; none is set"]);
        assert_eq!(shown(Some(1), Some(2)), ["exactly one of A, B must be set; A and B are set"]);
        assert!(shown(Some(1), None).is_empty() && shown(None, Some(2)).is_empty());
        let v = check(&Either { a: None, b: None });
        assert_eq!(v[0].field, "A, B");
        assert_eq!(v[0].rule, Rule::OneOf { fields: vec!["A", "B"], set: vec![] });
    }

    struct Token(Option<Secret>);
    impl Validate for Token {
        fn validate(&self, c: &mut Checker<'_>) {
            c.field("Token", &self.0, Limits::NONE.min_bytes(1).max_bytes(4).allowed_strs(&["abcd"]));
        }
    }

    #[test]
    fn a_secret_is_checked_by_length_and_never_quoted() {
        let got: Vec<String> = check(&Token(Some("tok-5".into()))).iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            ["Token is 5 bytes; the API allows at most 4 bytes", "Token is <redacted>; the API allows only \"abcd\""]
        );
        let got: Vec<String> = check(&Token(Some("".into()))).iter().map(ToString::to_string).collect();
        assert_eq!(got[0], "Token is 0 bytes; the API requires at least 1 bytes");
        assert!(check(&Token(Some("abcd".into()))).is_empty() && check(&Token(None)).is_empty());
    }
}
