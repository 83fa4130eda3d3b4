//! Conformance of every endpoint of `api-specs/`, driven by the specs themselves: for each
//! endpoint (through the generated `visit_endpoints`) and against an HTTP server on 127.0.0.1,
//!
//! - every documented sample request deserializes into the typed request, passes validation and
//!   serializes back to the same JSON value;
//! - every documented sample response decodes, and no key of its payload is lost by the typed
//!   response (a documented field missing from the spec would be); a documented failure (a
//!   non-zero `ErrorCode`) decodes into its documented code;
//! - every documented error code decodes into its variant, with the spec's name;
//! - every documented limit is enforced: one accepted and one rejected value at each bound;
//! - every `one_of` group is enforced: a request with none or two of its fields is refused,
//!   naming the group;
//! - an answer that is not the envelope is quoted in the error, unless the request or the answer
//!   holds a secret field.

use std::path::Path;
use std::sync::{Arc, Mutex};

use live_api::{Client, EndpointVisitor, Error, ErrorCode as _, RateLimitMode, RetryPolicy};
use live_api_codegen::model::{self, Api, CodeEntry, Field, Limits, Ty, TypeKind};
use live_api_tests::{Reply, TestServer};
use serde_json::{Map, Value, json};

const ENVELOPE: [&str; 4] = ["ActionStatus", "ErrorCode", "ErrorInfo", "RequestId"];

fn api() -> Api {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let loaded = live_api_codegen::load::load_dir(&root.join("api-specs"), root);
    loaded.api.unwrap_or_else(|diags| panic!("specs are valid: {diags:#?}"))
}

/// A valid value of a type: the least that meets its limits.
fn minimal(api: &Api, ty: &Ty, l: &Limits, depth: usize) -> Value {
    match ty {
        Ty::String => match l.allowed_strings.first() {
            Some(s) => json!(s),
            None => json!("a".repeat(l.min_bytes.unwrap_or(1).max(1).min(l.max_bytes.unwrap_or(u64::MAX)) as usize)),
        },
        Ty::Bool => json!(false),
        Ty::IntOrString => json!("a".repeat(l.min_bytes.unwrap_or(1).max(1) as usize)),
        Ty::Int(t) => match l.allowed_ints.first() {
            Some(v) => json!(v),
            None => json!(l.min.unwrap_or(0).max(t.range().0 as i64)),
        },
        Ty::Array(t) => {
            let n = l.min_items.unwrap_or(0) as usize;
            Value::Array((0..n).map(|_| minimal(api, t, l, depth)).collect())
        }
        Ty::Named(i) => match &api.type_def(*i).kind {
            TypeKind::Object(fields) => minimal_object(api, fields, depth + 1),
            TypeKind::StrEnum(v) => json!(v[0].value),
            TypeKind::IntEnum { values, .. } => json!(values[0].value),
        },
    }
}

fn minimal_object(api: &Api, fields: &[Field], depth: usize) -> Value {
    let mut m = Map::new();
    if depth < 6 {
        for f in fields.iter().filter(|f| f.required) {
            m.insert(f.wire.clone(), minimal(api, &f.ty, &f.limits, depth));
        }
    }
    Value::Object(m)
}

/// One step of the way to a field: a key (with the field's type), or the first array element.
#[derive(Clone)]
enum Step {
    Key(String, Ty),
    First(Ty),
}

/// Every field with limits, with the way to it from the request body.
fn limited_fields(api: &Api, fields: &[Field], path: Vec<Step>, out: &mut Vec<(Vec<Step>, Field)>, depth: usize) {
    if depth > 5 {
        return;
    }
    for f in fields {
        let mut p = path.clone();
        p.push(Step::Key(f.wire.clone(), f.ty.clone()));
        if !f.limits.is_empty() {
            out.push((p.clone(), f.clone()));
        }
        let (inner, p) = match &f.ty {
            Ty::Array(t) => {
                let mut p = p;
                p.push(Step::First(t.as_ref().clone()));
                (t.as_ref(), p)
            }
            t => (t, p),
        };
        if let Ty::Named(i) = inner
            && let TypeKind::Object(sub) = &api.type_def(*i).kind
        {
            limited_fields(api, sub, p, out, depth + 1);
        }
    }
}

/// Sets the value at `path`, creating minimal intermediate objects and one-element arrays.
fn set(api: &Api, doc: &mut Value, path: &[Step], value: Value) {
    let Some((step, rest)) = path.split_first() else {
        *doc = value;
        return;
    };
    let next = match step {
        Step::Key(k, ty) => {
            let obj = doc.as_object_mut().expect("an object on the way");
            obj.entry(k.clone()).or_insert_with(|| match ty {
                Ty::Array(_) => json!([]),
                t => minimal(api, t, &Limits::default(), 0),
            })
        }
        Step::First(ty) => {
            let arr = doc.as_array_mut().expect("an array on the way");
            if arr.is_empty() {
                arr.push(minimal(api, ty, &Limits::default(), 0));
            }
            &mut arr[0]
        }
    };
    set(api, next, rest, value);
}

/// Values at each bound of a field's limits: `(value, accepted)`.
fn bound_cases(api: &Api, f: &Field) -> Vec<(Value, bool)> {
    let l = &f.limits;
    let elem = match &f.ty {
        Ty::Array(t) => t.as_ref().clone(),
        t => t.clone(),
    };
    let mut cases = Vec::new();
    let wrap = |v: Value| if matches!(f.ty, Ty::Array(_)) { json!([v]) } else { v };
    if let Some(n) = l.max_bytes {
        cases.push((wrap(json!("a".repeat(n as usize))), true));
        cases.push((wrap(json!("a".repeat(n as usize + 1))), false));
        // Bytes, not characters: n/3 three-byte characters fit, one more does not.
        cases.push((wrap(json!("直".repeat(n as usize / 3))), true));
        cases.push((wrap(json!("直".repeat(n as usize / 3 + 1))), false));
    }
    if let Some(n) = l.min_bytes.filter(|&n| n > 0) {
        cases.push((wrap(json!("a".repeat(n as usize))), true));
        cases.push((wrap(json!("a".repeat(n as usize - 1))), false));
    }
    if let Ty::Int(t) = &elem {
        let (lo, hi) = t.range();
        if let Some(m) = l.max {
            cases.push((wrap(json!(m)), true));
            if i128::from(m) < hi {
                cases.push((wrap(json!(m + 1)), false));
            }
        }
        if let Some(m) = l.min {
            cases.push((wrap(json!(m)), true));
            if i128::from(m) > lo {
                cases.push((wrap(json!(m - 1)), false));
            }
        }
        if let Some(&top) = l.allowed_ints.iter().max() {
            for a in &l.allowed_ints {
                cases.push((wrap(json!(a)), true));
            }
            if i128::from(top) < hi {
                cases.push((wrap(json!(top + 1)), false));
            }
        }
    }
    if !l.allowed_strings.is_empty() {
        for a in &l.allowed_strings {
            cases.push((wrap(json!(a)), true));
        }
        cases.push((wrap(json!("not-an-allowed-value")), false));
    }
    let item = minimal(api, &elem, &Limits { max_items: None, min_items: None, ..l.clone() }, 0);
    if let Some(k) = l.max_items {
        cases.push((Value::Array(vec![item.clone(); k as usize]), true));
        cases.push((Value::Array(vec![item.clone(); k as usize + 1]), false));
    }
    if let Some(k) = l.min_items.filter(|&k| k > 0) {
        cases.push((Value::Array(vec![item.clone(); k as usize]), true));
        cases.push((Value::Array(vec![item; k as usize - 1]), false));
    }
    cases
}

/// Every `(alias, wire name)` of a field of the spec folder: a key decoded under an alias is
/// encoded under the wire name.
fn aliases(api: &Api) -> Vec<(String, String)> {
    let objects = api.types.iter().filter_map(|t| match &t.kind {
        TypeKind::Object(fields) => Some(fields),
        _ => None,
    });
    let fields = objects.chain(api.endpoints.iter().map(|e| &e.response)).flatten();
    fields.flat_map(|f| f.aliases.iter().map(|a| (a.clone(), f.wire.clone()))).collect()
}

/// Whether every key path of `sample` is also in `decoded` (values may differ in kind where the
/// spec accepts several shapes; a key the spec lists as an alias is found under its field's name).
fn lost_keys(sample: &Value, decoded: &Value, at: &str, aliases: &[(String, String)], out: &mut Vec<String>) {
    match (sample, decoded) {
        (Value::Object(s), Value::Object(d)) => {
            for (k, v) in s {
                let primary = || aliases.iter().filter(|(a, _)| a == k).find_map(|(_, w)| d.get(w));
                match d.get(k).or_else(primary) {
                    Some(dv) => lost_keys(v, dv, &format!("{at}.{k}"), aliases, out),
                    None => out.push(format!("{at}.{k}")),
                }
            }
        }
        (Value::Array(s), Value::Array(d)) => {
            for (i, (sv, dv)) in s.iter().zip(d).enumerate() {
                lost_keys(sv, dv, &format!("{at}[{i}]"), aliases, out);
            }
        }
        _ => {}
    }
}

struct Conformance {
    api: Api,
    rt: tokio::runtime::Runtime,
    server: TestServer,
    reply: Arc<Mutex<Reply>>,
    client: Client,
    seen: usize,
    checks: usize,
    failures: Vec<String>,
}

impl Conformance {
    fn answer(&self, reply: Reply) {
        *self.reply.lock().unwrap() = reply;
    }
}

impl EndpointVisitor for Conformance {
    fn visit<E: live_api::ServerEndpoint>(&mut self) {
        let mut failures = Vec::new();
        self.check::<E>(&mut |msg| failures.push(format!("{}: {msg}", E::META.name())));
        self.failures.extend(failures);
    }
}

impl Conformance {
    fn check<E: live_api::ServerEndpoint>(&mut self, fail: &mut dyn FnMut(String)) {
        let meta = E::META;
        let Some(spec) = self.api.endpoints.iter().find(|e| e.service == meta.service && e.command == meta.command)
        else {
            return fail("no spec in the model".into());
        };
        let spec: model::Endpoint = spec.clone();
        self.seen += 1;

        // The base request: the first documented sample, or the least valid body.
        let base: Value = match spec.examples.first() {
            Some(x) => serde_json::from_str(&x.request).unwrap(),
            None => minimal_object(&self.api, &spec.request, 0),
        };
        let request = match serde_json::from_value::<E>(base.clone()) {
            Ok(r) => r,
            Err(e) => return fail(format!("base request {base} does not decode: {e}")),
        };
        let violations = live_api::validate::check(&request);
        if !violations.is_empty() {
            return fail(format!("base request {base} is invalid: {violations:?}"));
        }

        // Samples.
        for x in &spec.examples {
            let sample: Value = serde_json::from_str(&x.request).unwrap();
            self.checks += 1;
            match serde_json::from_value::<E>(sample.clone()) {
                Ok(typed) => {
                    let again = serde_json::to_value(&typed).unwrap();
                    if again != sample {
                        fail(format!("sample request `{}` re-encodes as {again}, not {sample}", x.name));
                    }
                    if !live_api::validate::check(&typed).is_empty() {
                        fail(format!("sample request `{}` fails validation", x.name));
                    }
                }
                Err(e) => fail(format!("sample request `{}` does not decode: {e}", x.name)),
            }
            let Some(response) = &x.response else { continue };
            let response: Value = serde_json::from_str(response).unwrap();
            self.checks += 1;
            self.answer(Reply::json(response.clone()));
            let req = serde_json::from_value::<E>(base.clone()).unwrap();
            let failure = response.get("ErrorCode").and_then(Value::as_i64).filter(|&c| c != 0);
            match (failure, self.rt.block_on(self.client.call(req))) {
                // A documented failure decodes into the endpoint's documented code.
                (Some(code), Err(e @ Error::Api(_))) => {
                    let c = e.code().unwrap();
                    if c.code() != code || c.info().is_err() {
                        fail(format!("sample response `{}` gives {c:?}, not the documented code {code}", x.name));
                    }
                }
                (Some(code), other) => fail(format!(
                    "sample response `{}` (code {code}) gives {:?}",
                    x.name,
                    other.map(|_| ()).map_err(|e| e.to_string())
                )),
                (None, Ok(decoded)) => {
                    let decoded = serde_json::to_value(&decoded).unwrap();
                    let payload = match meta.response_key {
                        Some(k) => response.get(k).cloned().unwrap_or(json!({})),
                        None => {
                            let mut p = response.as_object().cloned().unwrap_or_default();
                            p.retain(|k, _| !ENVELOPE.contains(&k.as_str()));
                            Value::Object(p)
                        }
                    };
                    let mut lost = Vec::new();
                    lost_keys(&payload, &decoded, "", &aliases(&self.api), &mut lost);
                    if !lost.is_empty() {
                        fail(format!("sample response `{}` loses {lost:?}", x.name));
                    }
                }
                (None, Err(e)) => fail(format!("sample response `{}` does not decode: {e}", x.name)),
            }
        }

        // Secrets: the generated fact is the spec's, and an answer that does not decode is quoted
        // in the error unless the endpoint holds a secret.
        let holds = self.api.holds_secret(&spec.request) || self.api.holds_secret(&spec.response);
        if meta.holds_secret != holds {
            fail(format!("META.holds_secret is {}, the spec says {holds}", meta.holds_secret));
        }
        self.checks += 1;
        self.answer(Reply::Http { status: 502, content_type: "text/html", body: b"<html>Bad Gateway</html>".to_vec() });
        let req = serde_json::from_value::<E>(base.clone()).unwrap();
        match self.rt.block_on(self.client.call(req)) {
            Err(Error::Answer(a)) if a.excerpt_withheld == holds && a.excerpt.is_empty() == holds => {}
            other => fail(format!("an HTML answer gives {other:?}, with holds_secret {holds}")),
        }

        // Error codes.
        let mut codes = Vec::new();
        for entry in &spec.errors {
            match entry {
                CodeEntry::Code(c) => codes.push((c.code, c.rust.clone())),
                CodeEntry::Table(i) => codes.extend(self.api.table(*i).codes.iter().map(|c| (c.code, c.rust.clone()))),
            }
        }
        for (code, rust) in codes {
            self.checks += 1;
            self.answer(Reply::error(code, "documented failure", "Id-conformance"));
            let req = serde_json::from_value::<E>(base.clone()).unwrap();
            match self.rt.block_on(self.client.call(req)) {
                Err(e @ Error::Api(_)) => {
                    let c = e.code().unwrap();
                    if c.code() != code || c.name() != rust || e.request_id() != Some("Id-conformance") {
                        fail(format!("code {code} decodes as {c:?} ({})", c.name()));
                    }
                }
                other => fail(format!("code {code} gives {other:?}")),
            }
        }

        // One-of groups: the base sets exactly one field of each; none, or one more, is refused.
        for g in &spec.one_of {
            let wires: Vec<&str> = g.iter().map(|id| spec.request_field(*id).wire.as_str()).collect();
            let mut none = base.clone();
            let mut all = base.clone();
            for id in g {
                let f = spec.request_field(*id);
                none.as_object_mut().unwrap().remove(&f.wire);
                let value = minimal(&self.api, &f.ty, &Limits { min_items: Some(1), ..f.limits.clone() }, 0);
                all.as_object_mut().unwrap().entry(f.wire.clone()).or_insert(value);
            }
            for (doc, what) in [(none, "none"), (all, "all")] {
                self.checks += 1;
                let typed = match serde_json::from_value::<E>(doc.clone()) {
                    Ok(t) => t,
                    Err(e) => {
                        fail(format!("one_of {wires:?} with {what} set: {doc} does not decode: {e}"));
                        continue;
                    }
                };
                let v = live_api::validate::check(&typed);
                let named = v.iter().any(|v| {
                    matches!(&v.rule, live_api::validate::Rule::OneOf { fields, .. } if *fields == wires)
                        && wires.iter().all(|w| v.field.contains(w))
                });
                if !named {
                    fail(format!("one_of {wires:?} with {what} set gives {v:?}"));
                }
            }
        }

        // Limits: one accepted and one rejected value at each bound.
        let mut limited = Vec::new();
        limited_fields(&self.api, &spec.request, Vec::new(), &mut limited, 0);
        for (path, field) in limited {
            for (value, accepted) in bound_cases(&self.api, &field) {
                self.checks += 1;
                let mut doc = base.clone();
                // Setting one field of a one-of group unsets the others (a request has one form).
                if let Some(Step::Key(top, _)) = path.first() {
                    for g in spec.one_of.iter().filter(|g| g.iter().any(|id| &spec.request_field(*id).wire == top)) {
                        for id in g {
                            let wire = &spec.request_field(*id).wire;
                            if wire != top {
                                doc.as_object_mut().unwrap().remove(wire);
                            }
                        }
                    }
                }
                set(&self.api, &mut doc, &path, value.clone());
                let typed = match serde_json::from_value::<E>(doc.clone()) {
                    Ok(t) => t,
                    Err(e) => {
                        fail(format!("{}={value}: does not decode: {e}", field.wire));
                        continue;
                    }
                };
                let v = live_api::validate::check(&typed);
                if v.is_empty() != accepted {
                    fail(format!(
                        "{} = {value}: expected {}, got {v:?}",
                        field.wire,
                        if accepted { "valid" } else { "a violation" }
                    ));
                } else if !accepted && !v.iter().any(|v| v.field.contains(&field.wire)) {
                    fail(format!("{} = {value}: the violation does not name the field: {v:?}", field.wire));
                }
            }
        }
    }
}

#[test]
fn every_endpoint_conforms_to_its_spec() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let reply = Arc::new(Mutex::new(Reply::ok(json!({}))));
    let r = reply.clone();
    let server = rt.block_on(TestServer::start(move |_| r.lock().unwrap().clone()));
    let client = Client::builder()
        .sdk_app_id(1)
        .user_sig("sig")
        .base_url(server.url())
        .retry_policy(RetryPolicy::none())
        .rate_limit(RateLimitMode::Off)
        .build()
        .unwrap();
    let mut c = Conformance { api: api(), rt, server, reply, client, seen: 0, checks: 0, failures: Vec::new() };
    live_api::visit_endpoints(&mut c);
    assert_eq!(c.seen, live_api::ENDPOINTS.len());
    assert_eq!(c.seen, c.api.endpoints.len());
    assert!(c.failures.is_empty(), "{} failures:\n{}", c.failures.len(), c.failures.join("\n"));
    let rejected_before_sending = c.server.requests().iter().filter(|r| r.body.len() > 100_000).count();
    assert_eq!(rejected_before_sending, 0);
    eprintln!("{} endpoints, {} checks", c.seen, c.checks);
    assert!(c.checks > c.seen * 3, "the suite checked something for each endpoint");
}
