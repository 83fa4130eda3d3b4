//! A small JSON parser that keeps the byte span of every value and key.
//!
//! serde_json forgets where a value came from; spec errors must point at the line and column of
//! the offending value, so specs are parsed with this instead. It accepts exactly RFC 8259 JSON,
//! never panics, and reports the first syntax error with its byte offset. Duplicate keys are kept
//! (in order) so that the spec reader can report them.

/// Byte range `start..end` in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A JSON value with the span of its source text.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// What the value is.
    pub kind: Kind,
    /// Where it is.
    pub span: Span,
}

/// The kinds of JSON values.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, kept as its source text.
    Number(Number),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object; keys in source order, duplicates kept.
    Object(Vec<Member>),
}

/// One `"key": value` pair of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The unescaped key.
    pub key: String,
    /// Span of the key, quotes included.
    pub key_span: Span,
    /// The value.
    pub value: Value,
}

/// A JSON number as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    /// The source text, e.g. `-12`, `0.5`, `1e3`.
    pub text: String,
}

impl Number {
    /// The number as an integer, when it is written as one and fits.
    pub fn as_i64(&self) -> Option<i64> {
        self.text.parse().ok()
    }
    /// The number as a float.
    pub fn as_f64(&self) -> Option<f64> {
        self.text.parse().ok()
    }
}

impl Kind {
    /// A short name of the kind for error messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool(_) => "a boolean",
            Kind::Number(_) => "a number",
            Kind::String(_) => "a string",
            Kind::Array(_) => "an array",
            Kind::Object(_) => "an object",
        }
    }
}

/// A syntax error at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where the parser stopped.
    pub span: Span,
    /// What it expected or found.
    pub message: String,
}

/// Parses one JSON document (surrounding whitespace allowed).
pub fn parse(text: &str) -> Result<Value, SyntaxError> {
    let mut p = Parser { src: text.as_bytes(), text, pos: 0, depth: 0 };
    p.skip_ws();
    let v = p.value()?;
    p.skip_ws();
    if p.pos < p.src.len() {
        return Err(p.err_here("trailing characters after the JSON document"));
    }
    Ok(v)
}

/// Nesting deeper than this is rejected rather than risking the stack.
const MAX_DEPTH: usize = 128;

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn err_here(&self, message: impl Into<String>) -> SyntaxError {
        let end =
            self.text[self.pos.min(self.text.len())..].chars().next().map_or(self.pos, |c| self.pos + c.len_utf8());
        SyntaxError { span: Span { start: self.pos, end }, message: message.into() }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn found(&self) -> String {
        match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            None => "the end of the file".to_owned(),
            Some(c) => format!("`{c}`"),
        }
    }

    fn value(&mut self) -> Result<Value, SyntaxError> {
        let start = self.pos;
        let kind = match self.peek() {
            Some(b'{') => self.nested(Self::object)?,
            Some(b'[') => self.nested(Self::array)?,
            Some(b'"') => Kind::String(self.string()?),
            Some(b't') => self.literal("true", Kind::Bool(true))?,
            Some(b'f') => self.literal("false", Kind::Bool(false))?,
            Some(b'n') => self.literal("null", Kind::Null)?,
            Some(b'-' | b'0'..=b'9') => Kind::Number(self.number()?),
            _ => return Err(self.err_here(format!("expected a JSON value, found {}", self.found()))),
        };
        Ok(Value { kind, span: Span { start, end: self.pos } })
    }

    fn nested(&mut self, f: fn(&mut Self) -> Result<Kind, SyntaxError>) -> Result<Kind, SyntaxError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.err_here(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn literal(&mut self, word: &str, kind: Kind) -> Result<Kind, SyntaxError> {
        if self.src[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(kind)
        } else {
            Err(self.err_here(format!("expected a JSON value, found {}", self.found())))
        }
    }

    fn object(&mut self) -> Result<Kind, SyntaxError> {
        self.pos += 1; // {
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Kind::Object(members));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                let msg = if self.peek() == Some(b'}') {
                    "trailing comma before `}` (JSON does not allow it)".to_owned()
                } else {
                    format!("expected a key in double quotes, found {}", self.found())
                };
                return Err(self.err_here(msg));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span { start: key_start, end: self.pos };
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.err_here(format!("expected `:` after the key, found {}", self.found())));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value()?;
            members.push(Member { key, key_span, value });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Kind::Object(members));
                }
                _ => {
                    return Err(
                        self.err_here(format!("expected `,` or `}}` after an object member, found {}", self.found()))
                    );
                }
            }
        }
    }

    fn array(&mut self) -> Result<Kind, SyntaxError> {
        self.pos += 1; // [
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Kind::Array(items));
        }
        loop {
            self.skip_ws();
            if self.peek() == Some(b']') {
                return Err(self.err_here("trailing comma before `]` (JSON does not allow it)"));
            }
            items.push(self.value()?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Kind::Array(items));
                }
                _ => {
                    return Err(
                        self.err_here(format!("expected `,` or `]` after an array element, found {}", self.found()))
                    );
                }
            }
        }
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            let Some(b) = self.peek() else {
                return Err(self.err_here("unterminated string"));
            };
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.pos += 1;
                    let esc = self.peek().ok_or_else(|| self.err_here("unterminated string"))?;
                    self.pos += 1;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => {
                            self.pos -= 1;
                            return Err(self.err_here("invalid escape sequence in string"));
                        }
                    }
                }
                0x00..=0x1f => return Err(self.err_here("control character in string (escape it)")),
                _ => {
                    // Copy one UTF-8 character; the input is a &str so boundaries are valid.
                    let rest = &self.text[self.pos..];
                    let c = rest.chars().next().unwrap_or('\u{fffd}');
                    out.push(c);
                    self.pos += c.len_utf8().max(1);
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let digits = self.text.get(self.pos..self.pos + 4).ok_or_else(|| self.err_here("truncated \\u escape"))?;
        let v = u32::from_str_radix(digits, 16).map_err(|_| self.err_here("invalid \\u escape"))?;
        self.pos += 4;
        Ok(v)
    }

    fn unicode_escape(&mut self) -> Result<char, SyntaxError> {
        let hi = self.hex4()?;
        if (0xd800..0xdc00).contains(&hi) {
            if self.src[self.pos..].starts_with(b"\\u") {
                self.pos += 2;
                let lo = self.hex4()?;
                if (0xdc00..0xe000).contains(&lo) {
                    let c = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
                    return char::from_u32(c).ok_or_else(|| self.err_here("invalid surrogate pair"));
                }
            }
            return Err(self.err_here("unpaired surrogate in \\u escape"));
        }
        char::from_u32(hi).ok_or_else(|| self.err_here("unpaired surrogate in \\u escape"))
    }

    fn number(&mut self) -> Result<Number, SyntaxError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.err_here("expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err_here("expected a digit after `.`"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err_here("expected a digit in the exponent"));
            }
            self.digits();
        }
        Ok(Number { text: self.text[start..self.pos].to_owned() })
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_with_spans() {
        let v = parse(r#" {"a": [1, -2.5e3, "x\u00e9\n"], "b": null, "a": true} "#).unwrap();
        let Kind::Object(m) = &v.kind else { panic!() };
        assert_eq!(m.len(), 3, "duplicate keys are kept");
        assert_eq!(m[0].key, "a");
        assert_eq!(m[0].key_span, Span { start: 2, end: 5 });
        let Kind::Array(items) = &m[0].value.kind else { panic!() };
        assert_eq!(items[1].kind, Kind::Number(Number { text: "-2.5e3".into() }));
        assert_eq!(items[2].kind, Kind::String("xé\n".into()));
        assert_eq!(v.span, Span { start: 1, end: 54 });
    }

    #[test]
    fn reports_syntax_errors_at_the_right_place() {
        let cases = [
            ("{\"a\": 1,}", 8, "trailing comma"),
            ("[1, 2,]", 6, "trailing comma"),
            ("{\"a\" 1}", 5, "expected `:`"),
            ("{\"a\": tru}", 6, "expected a JSON value"),
            ("\"abc", 4, "unterminated"),
            ("{} x", 3, "trailing characters"),
            ("", 0, "found the end of the file"),
            ("[01]", 2, "expected `,` or `]`"),
            ("\"\\ud800\"", 7, "unpaired surrogate"),
            ("// comment\n{}", 0, "expected a JSON value"),
        ];
        for (src, at, msg) in cases {
            let e = parse(src).unwrap_err();
            assert_eq!(e.span.start, at, "{src}: {e:?}");
            assert!(e.message.contains(msg), "{src}: {}", e.message);
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let src = "[".repeat(10_000);
        assert!(parse(&src).unwrap_err().message.contains("nesting"));
    }

    #[test]
    fn never_panics_on_prefixes_of_valid_json() {
        let src = r#"{"k": ["é", 1.5, {"x": "\u00e9\ud83d\ude00"}], "n": -0e+1}"#;
        assert!(parse(src).is_ok());
        for i in 0..src.len() {
            if src.is_char_boundary(i) {
                let _ = parse(&src[..i]);
            }
        }
    }
}
