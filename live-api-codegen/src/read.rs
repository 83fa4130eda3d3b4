//! Typed access to the members of a spanned JSON object, reporting every misuse.
//!
//! A spec object is read key by key; each accessor records a diagnostic (wrong kind, missing
//! key) instead of failing, and [`Obj::finish`] reports the keys nobody asked for, with a
//! did-you-mean among the keys the object allows.

use crate::diag::{Diagnostics, SourceFile};
use crate::json::{Kind, Member, Span, Value};
use crate::names::hint;

/// A value with the span it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

/// Reads one JSON object of a spec file.
pub struct Obj<'a> {
    file: &'a SourceFile,
    members: &'a [Member],
    span: Span,
    what: &'static str,
    allowed: &'static [&'static str],
    seen: Vec<bool>,
}

impl<'a> Obj<'a> {
    /// Starts reading `value` as an object described as `what` (e.g. "field"), which allows the
    /// keys in `allowed`. Reports and returns `None` when `value` is not an object. Duplicate keys
    /// are reported here.
    pub fn new(
        file: &'a SourceFile,
        value: &'a Value,
        what: &'static str,
        allowed: &'static [&'static str],
        diags: &mut Diagnostics,
    ) -> Option<Self> {
        let Kind::Object(members) = &value.kind else {
            diags.error(file, value.span, format!("expected {what} as a JSON object, found {}", value.kind.describe()));
            return None;
        };
        for (i, m) in members.iter().enumerate() {
            if members[..i].iter().any(|o| o.key == m.key) {
                diags.error(file, m.key_span, format!("duplicate key `{}` in {what}", m.key));
            }
        }
        Some(Obj { file, members, span: value.span, what, allowed, seen: vec![false; members.len()] })
    }

    /// The file being read.
    pub fn file(&self) -> &'a SourceFile {
        self.file
    }

    /// The value of `key`, marking it as known. A key this kind of object does not allow reads as
    /// absent (and is reported by [`Obj::finish`]).
    pub fn get(&mut self, key: &str) -> Option<&'a Value> {
        if !self.allowed.contains(&key) {
            return None;
        }
        let i = self.members.iter().position(|m| m.key == key)?;
        self.seen[i] = true;
        Some(&self.members[i].value)
    }

    /// Span of the key `key`, when present.
    pub fn key_span(&self, key: &str) -> Option<Span> {
        self.members.iter().find(|m| m.key == key).map(|m| m.key_span)
    }

    fn missing(&self, key: &str, diags: &mut Diagnostics) {
        diags.error(
            self.file,
            Span { start: self.span.start, end: self.span.start + 1 },
            format!("missing key `{key}` in {}", self.what),
        );
    }

    fn wrong(&self, key: &str, v: &Value, expected: &str, diags: &mut Diagnostics) {
        diags.error(self.file, v.span, format!("`{key}` must be {expected}, found {}", v.kind.describe()));
    }

    /// An optional string.
    pub fn opt_str(&mut self, key: &str, diags: &mut Diagnostics) -> Option<Spanned<String>> {
        let v = self.get(key)?;
        match &v.kind {
            Kind::String(s) => Some(Spanned { value: s.clone(), span: v.span }),
            _ => {
                self.wrong(key, v, "a string", diags);
                None
            }
        }
    }

    /// A required string; reports when missing.
    pub fn req_str(&mut self, key: &str, diags: &mut Diagnostics) -> Option<Spanned<String>> {
        if self.key_span(key).is_none() {
            self.missing(key, diags);
            return None;
        }
        self.opt_str(key, diags)
    }

    /// An optional boolean.
    pub fn opt_bool(&mut self, key: &str, diags: &mut Diagnostics) -> Option<Spanned<bool>> {
        let v = self.get(key)?;
        match v.kind {
            Kind::Bool(b) => Some(Spanned { value: b, span: v.span }),
            _ => {
                self.wrong(key, v, "true or false", diags);
                None
            }
        }
    }

    /// An optional integer.
    pub fn opt_int(&mut self, key: &str, diags: &mut Diagnostics) -> Option<Spanned<i64>> {
        let v = self.get(key)?;
        match &v.kind {
            Kind::Number(n) if n.as_i64().is_some() => Some(Spanned { value: n.as_i64()?, span: v.span }),
            _ => {
                self.wrong(key, v, "an integer", diags);
                None
            }
        }
    }

    /// An optional non-negative integer.
    pub fn opt_count(&mut self, key: &str, diags: &mut Diagnostics) -> Option<Spanned<u64>> {
        let v = self.get(key)?;
        match &v.kind {
            Kind::Number(n) => match n.text.parse::<u64>() {
                Ok(c) => Some(Spanned { value: c, span: v.span }),
                Err(_) => {
                    self.wrong(key, v, "a non-negative integer", diags);
                    None
                }
            },
            _ => {
                self.wrong(key, v, "a non-negative integer", diags);
                None
            }
        }
    }

    /// A required integer; reports when missing.
    pub fn req_int(&mut self, key: &str, diags: &mut Diagnostics) -> Option<Spanned<i64>> {
        if self.key_span(key).is_none() {
            self.missing(key, diags);
            return None;
        }
        self.opt_int(key, diags)
    }

    /// An optional array; each element is returned as a raw value.
    pub fn opt_array(&mut self, key: &str, diags: &mut Diagnostics) -> Option<&'a [Value]> {
        let v = self.get(key)?;
        match &v.kind {
            Kind::Array(items) => Some(items),
            _ => {
                self.wrong(key, v, "an array", diags);
                None
            }
        }
    }

    /// A required array; reports when missing.
    pub fn req_array(&mut self, key: &str, diags: &mut Diagnostics) -> Option<&'a [Value]> {
        if self.key_span(key).is_none() {
            self.missing(key, diags);
            return None;
        }
        self.opt_array(key, diags)
    }

    /// An optional array of strings.
    pub fn opt_str_list(&mut self, key: &str, diags: &mut Diagnostics) -> Vec<Spanned<String>> {
        let items = self.opt_array(key, diags).unwrap_or_default();
        items
            .iter()
            .filter_map(|v| match &v.kind {
                Kind::String(s) => Some(Spanned { value: s.clone(), span: v.span }),
                _ => {
                    diags.error(self.file, v.span, format!("`{key}` must list strings, found {}", v.kind.describe()));
                    None
                }
            })
            .collect()
    }

    /// Reports every key that was not read, with a suggestion among the allowed keys.
    pub fn finish(self, diags: &mut Diagnostics) {
        for (m, seen) in self.members.iter().zip(&self.seen) {
            if *seen {
                continue;
            }
            let mut hint = hint(&m.key, self.allowed.iter().copied());
            if hint.is_empty() {
                hint = format!(" (expected one of: {})", self.allowed.join(", "));
            }
            diags.error(self.file, m.key_span, format!("unknown key `{}` in {}{hint}", m.key, self.what));
        }
    }
}
