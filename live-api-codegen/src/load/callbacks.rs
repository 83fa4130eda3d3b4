//! Callback specs, `callbacks/<command word>.json`: the body Live posts to the app's URL (read
//! as endpoint fields are) and, for a before-callback, the reply that decides whether the event
//! happens: its unit decisions, the codes it may pass through, and the fields it may carry.

use super::Spec;
use super::check::Names;
use super::context::{Cx, NameKind, opening};
use super::keys;
use crate::diag::SourceFile;
use crate::json::{Kind, Span, Value};
use crate::model::{Callback, CallbackExample, CallbackKind, CallbackReply, Decision, OnTimeout, PassThrough};
use crate::names::{callback_name, hint};
use crate::read::{Obj, Spanned};

const COMMAND_KEY: &str = Callback::COMMAND_KEY;

use crate::codegen::callbacks::ALLOW_WITH;

/// A decision as read, with where its code and name are written.
struct ReadDecision {
    decision: Decision,
    code_span: Span,
    rust_span: Span,
}

impl Cx<'_> {
    /// Reads every callback, checking the names each generates against those seen before it.
    /// A folder read on a base has none: the enum `Callback` over them is the base's.
    pub(super) fn read_callbacks<'a>(&mut self, specs: &'a [Spec<'a>], names: &mut Names<'a>) -> Vec<Callback> {
        let mut out = Vec::new();
        for spec in specs {
            if let Some(base) = self.base {
                let at = member(&spec.value, "callback").map_or(opening(&spec.value), |v| v.span);
                let msg = format!(
                    "callbacks are read only in {}'s own specs (the enum `Callback` is {}'s); remove this file",
                    base.crate_name, base.crate_name
                );
                self.err(spec.src, at, msg);
                continue;
            }
            let Some((cb, span)) = self.read_callback(spec.src, &spec.value, &spec.parts) else { continue };
            names.callback(&mut self.diags, spec.src, &cb, span);
            out.push(cb);
        }
        out
    }

    fn read_callback(&mut self, file: &SourceFile, v: &Value, parts: &[String]) -> Option<(Callback, Span)> {
        let d = &mut self.diags;
        let mut o = Obj::new(file, v, "a callback", keys::CALLBACK, d)?;
        let _ = o.get("$schema");
        let command = o.req_str("callback", d);
        let rust_name = o.opt_str("rust_name", d);
        let title = o.req_str("title", d);
        let description = o.req_str("description", d);
        let doc_url = o.req_str("doc_url", d);
        let kind = o.req_str("kind", d);
        let body = o.req_array("body", d);
        let reply_v = o.get("reply");
        let reply_span = o.key_span("reply");
        let examples_v = o.opt_array("examples", d).unwrap_or_default();
        let notes = o.opt_str("notes", d).map(|n| n.value);
        o.finish(d);

        let command = command?;
        let word_ok = self.check_callback_location(file, parts, &command);
        let kind = kind.and_then(|k| self.read_callback_kind(file, &k));
        let rust_name = match rust_name {
            Some(r) => r,
            None if word_ok => self.derived_callback_name(file, &command)?,
            None => return None,
        };
        let mut name_ok = self.check_name(file, &rust_name, NameKind::Callback);
        if rust_name.value == "Unknown" {
            let msg = "the callback name `Unknown` is reserved for the commands the specs do not know";
            self.err(file, rust_name.span, msg);
            name_ok = false;
        }
        let body = body.unwrap_or_default();
        for f in body {
            if let Some(w) = member(f, "wire").filter(|w| matches!(&w.kind, Kind::String(s) if s == COMMAND_KEY)) {
                let msg = format!(
                    "`{COMMAND_KEY}` is not a body field: every body carries it, and the generated code writes it back"
                );
                self.err(file, w.span, msg);
            }
        }
        let body = self.read_fields(file, body, &rust_name.value);
        let reply = match (kind, reply_v) {
            (Some(CallbackKind::Before), Some(r)) => self.read_reply(file, r, &rust_name.value),
            (Some(CallbackKind::Before), None) => {
                let msg = "missing key `reply` in a before-callback (what the app's reply decides)";
                self.err(file, opening(v), msg);
                None
            }
            (Some(CallbackKind::After), Some(_)) => {
                let msg = "`reply` only applies to before-callbacks: Live ignores the reply to an after-callback";
                self.err(file, reply_span.unwrap_or(v.span), msg);
                None
            }
            _ => None,
        };
        let examples = self.read_callback_examples(file, examples_v, &command.value);
        let kind = kind?;
        if !name_ok || (kind == CallbackKind::Before && reply.is_none()) {
            return None;
        }
        let cb = Callback {
            command: command.value,
            rust_name: rust_name.value,
            title: title.map(|t| t.value).unwrap_or_default(),
            description: description.map(|d| d.value).unwrap_or_default(),
            doc_url: doc_url.map(|d| d.value).unwrap_or_default(),
            kind,
            body,
            reply,
            examples,
            notes,
            file: parts.join("/"),
        };
        Some((cb, rust_name.span))
    }

    /// A callback lives in `callbacks/<command word>.json`; the word is a valid file stem
    /// (`false` when it is not).
    fn check_callback_location(&mut self, file: &SourceFile, parts: &[String], command: &Spanned<String>) -> bool {
        let word = &command.value;
        if word.is_empty() || !word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
            let msg = format!("`{word}` is not a valid command word (ASCII letters, digits, `.`, `_`)");
            self.err(file, command.span, msg);
            return false;
        }
        if parts.len() != 2 || parts[0] != "callbacks" || parts[1] != format!("{word}.json") {
            self.err(file, command.span, format!("callback {word} must live in callbacks/{word}.json"));
        }
        true
    }

    /// `after` or `before`.
    fn read_callback_kind(&mut self, file: &SourceFile, kind: &Spanned<String>) -> Option<CallbackKind> {
        match kind.value.as_str() {
            "after" => Some(CallbackKind::After),
            "before" => Some(CallbackKind::Before),
            other => {
                let hint = hint(other, ["after", "before"]);
                self.err(file, kind.span, format!("unknown callback kind `{other}`{hint}; expected after or before"));
                None
            }
        }
    }

    /// The part of the word after `Callback`: `Live.CallbackAfterCreateRoom` -> `AfterCreateRoom`.
    fn derived_callback_name(&mut self, file: &SourceFile, command: &Spanned<String>) -> Option<Spanned<String>> {
        match callback_name(&command.value) {
            Some(name) => Some(Spanned { value: name.to_owned(), span: command.span }),
            None => {
                let msg = format!(
                    "cannot derive a Rust name from `{}` (it does not read `<Service>.Callback<Name>`); set `rust_name`",
                    command.value
                );
                self.err(file, command.span, msg);
                None
            }
        }
    }

    /// The `reply` of a before-callback named `owner`.
    fn read_reply(&mut self, file: &SourceFile, r: &Value, owner: &str) -> Option<CallbackReply> {
        let d = &mut self.diags;
        let mut o = Obj::new(file, r, "`reply`", keys::REPLY, d)?;
        let description = o.req_str("description", d);
        let on_timeout = o.req_str("on_timeout", d);
        let decisions_v = o.req_array("decisions", d);
        let decisions_span = o.key_span("decisions");
        let pass_v = o.get("pass_through");
        let fields_v = o.opt_array("fields", d).unwrap_or_default();
        o.finish(d);

        let decisions_v = decisions_v.unwrap_or_default();
        let decisions = self.read_decisions(file, decisions_v);
        // What the decisions lack is only known when each was read.
        let complete = decisions.len() == decisions_v.len();
        if let (true, Some(span)) = (complete, decisions_span)
            && !decisions.iter().any(|d| d.decision.code == 0)
        {
            self.err(file, span, "the reply needs a decision with code 0 (the reply that lets the event happen)");
        }
        let pass_through = pass_v.and_then(|p| self.read_pass_through(file, p, &decisions));
        let fields = self.read_fields(file, fields_v, &format!("{owner}Changes"));
        if !fields.is_empty() {
            let pass = pass_through.as_ref().map(|(p, span)| (&p.rust, *span));
            let names = decisions.iter().map(|d| (&d.decision.rust, d.rust_span)).chain(pass);
            let taken: Vec<Span> = names.filter(|(r, _)| *r == ALLOW_WITH).map(|(_, s)| s).collect();
            for span in taken {
                let msg = format!("the variant name `{ALLOW_WITH}` is reserved for the reply with `fields`");
                self.err(file, span, msg);
            }
        }
        let on_timeout = on_timeout.and_then(|t| self.read_on_timeout(file, &t, complete.then_some(&decisions[..])));
        let (description, on_timeout) = (description?, on_timeout?);
        let decisions: Vec<Decision> = decisions.into_iter().map(|d| d.decision).collect();
        Some(CallbackReply {
            description: description.value,
            on_timeout,
            decisions,
            pass_through: pass_through.map(|p| p.0),
            fields,
        })
    }

    /// `block` (which needs a decision that blocks, checked when the `decisions` were all read)
    /// or `allow`.
    fn read_on_timeout(
        &mut self,
        file: &SourceFile,
        t: &Spanned<String>,
        decisions: Option<&[ReadDecision]>,
    ) -> Option<OnTimeout> {
        let on_timeout = match t.value.as_str() {
            "block" => OnTimeout::Block,
            "allow" => OnTimeout::Allow,
            other => {
                let hint = hint(other, ["block", "allow"]);
                self.err(file, t.span, format!("unknown `on_timeout` `{other}`{hint}; expected block or allow"));
                return None;
            }
        };
        let blocks = |d: &[ReadDecision]| d.is_empty() || d.iter().any(|d| d.decision.code != 0);
        if on_timeout == OnTimeout::Block && decisions.is_some_and(|d| !blocks(d)) {
            self.err(file, t.span, "`on_timeout` is `block`, but no decision blocks (each has code 0)");
        }
        Some(on_timeout)
    }

    /// The unit decisions, each code and variant name once.
    fn read_decisions(&mut self, file: &SourceFile, values: &[Value]) -> Vec<ReadDecision> {
        let mut out: Vec<ReadDecision> = Vec::new();
        for v in values {
            let Some(mut o) = Obj::new(file, v, "a decision", keys::DECISION, &mut self.diags) else { continue };
            let code = o.req_int("code", &mut self.diags);
            let rust = o.req_str("rust", &mut self.diags);
            let description = o.req_str("description", &mut self.diags);
            o.finish(&mut self.diags);
            let (Some(code), Some(rust)) = (code, rust) else { continue };
            let Some(value) = self.reply_code(file, &code, 0) else { continue };
            if !self.check_name(file, &rust, NameKind::Variant) {
                continue;
            }
            if out.iter().any(|o| o.decision.code == value) {
                self.err(file, code.span, format!("duplicate decision code {value}"));
                continue;
            }
            if out.iter().any(|o| o.decision.rust == rust.value) {
                self.err(file, rust.span, format!("duplicate variant name `{}`", rust.value));
                continue;
            }
            let description = description.map(|d| d.value).unwrap_or_default();
            out.push(ReadDecision {
                decision: Decision { code: value, rust: rust.value, description },
                code_span: code.span,
                rust_span: rust.span,
            });
        }
        out
    }

    /// The `pass_through` of a reply: a variant name new among the decisions, and a range of
    /// codes above 0 that holds no decision's code.
    fn read_pass_through(
        &mut self,
        file: &SourceFile,
        p: &Value,
        decisions: &[ReadDecision],
    ) -> Option<(PassThrough, Span)> {
        let mut o = Obj::new(file, p, "`pass_through`", keys::PASS_THROUGH, &mut self.diags)?;
        let rust = o.req_str("rust", &mut self.diags);
        let min = o.req_int("min", &mut self.diags);
        let max = o.req_int("max", &mut self.diags);
        let description = o.req_str("description", &mut self.diags);
        o.finish(&mut self.diags);
        let (rust, min_v, max_v) = (rust?, min?, max?);
        let name_ok = self.check_name(file, &rust, NameKind::Variant);
        if decisions.iter().any(|d| d.decision.rust == rust.value) {
            self.err(file, rust.span, format!("duplicate variant name `{}`", rust.value));
            return None;
        }
        let (min, max) = (self.reply_code(file, &min_v, 1)?, self.reply_code(file, &max_v, 1)?);
        if min > max {
            self.err(file, max_v.span, format!("contradictory range: max {max} is below min {min}"));
            return None;
        }
        for d in decisions.iter().filter(|d| (min..=max).contains(&d.decision.code)) {
            let msg = format!("decision code {} lies in the pass-through range {min}..={max}", d.decision.code);
            self.err(file, d.code_span, msg);
        }
        if !name_ok {
            return None;
        }
        let description = description.map(|d| d.value).unwrap_or_default();
        Some((PassThrough { rust: rust.value, min, max, description }, rust.span))
    }

    /// A reply's `ErrorCode`: from `lowest` to `u32::MAX`.
    fn reply_code(&mut self, file: &SourceFile, code: &Spanned<i64>, lowest: u32) -> Option<u32> {
        match u32::try_from(code.value) {
            Ok(c) if c >= lowest => Some(c),
            _ => {
                let msg = format!("a reply code is an `ErrorCode` from {lowest} to {}, found {}", u32::MAX, code.value);
                self.err(file, code.span, msg);
                None
            }
        }
    }

    /// The documented bodies: JSON objects carrying `CallbackCommand`, the spec's word.
    fn read_callback_examples(&mut self, file: &SourceFile, values: &[Value], command: &str) -> Vec<CallbackExample> {
        let mut out = Vec::new();
        for v in values {
            let Some(mut o) = Obj::new(file, v, "an example", keys::CALLBACK_EXAMPLE, &mut self.diags) else {
                continue;
            };
            let name = o.req_str("name", &mut self.diags);
            let body = o.get("body");
            if body.is_none() {
                self.err(file, opening(v), "missing key `body` in an example");
            }
            o.finish(&mut self.diags);
            let (Some(name), Some(body)) = (name, body) else { continue };
            if !matches!(body.kind, Kind::Object(_)) {
                let msg = format!("an example body must be a JSON object, found {}", body.kind.describe());
                self.err(file, body.span, msg);
                continue;
            }
            match member(body, COMMAND_KEY).map(|c| (c, &c.kind)) {
                Some((_, Kind::String(word))) if word == command => {}
                Some((c, _)) => {
                    let msg = format!("the example's `{COMMAND_KEY}` must be \"{command}\", the spec's command word");
                    self.err(file, c.span, msg);
                }
                None => {
                    let msg = format!("missing key `{COMMAND_KEY}` in an example body (every body carries it)");
                    self.err(file, opening(body), msg);
                }
            }
            let text = file.text.get(body.span.start..body.span.end).unwrap_or_default().to_owned();
            out.push(CallbackExample { name: name.value, body: text });
        }
        out
    }
}

/// The value of `key` in the object `v` (the first, if repeated).
fn member<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    match &v.kind {
        Kind::Object(members) => members.iter().find(|m| m.key == key).map(|m| &m.value),
        _ => None,
    }
}
