//! The `Described` data the macro renders with the server side (`live_api::describe`, which the
//! command line builds its subcommands, flags and help from) says what the specs say: for every
//! endpoint of `api-specs/`, compared with the checked model field by field, type by type; and
//! for a fixture whose type contains itself.

use std::path::Path;

use live_api::describe::{EndpointInfo, FieldInfo, TypeKind, ValueType};
use live_api::{Described, EndpointVisitor, ErrorCode as _};
use live_api_codegen::model::{self, Api, CodeEntry, Ty};

fn api() -> Api {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let loaded = live_api_codegen::load::load_dir(&root.join("api-specs"), root);
    loaded.api.unwrap_or_else(|d| panic!("specs are valid: {:#?}", d.into_vec()))
}

/// Named types are compared this deep (a type may contain itself).
const DEPTH: usize = 6;

fn fields(api: &Api, at: &str, info: &[FieldInfo], spec: &[model::Field], depth: usize, fail: &mut Vec<String>) {
    let got: Vec<&str> = info.iter().map(|f| f.wire).collect();
    let want: Vec<&str> = spec.iter().map(|f| f.wire.as_str()).collect();
    if got != want {
        return fail.push(format!("{at}: fields {got:?}, the spec has {want:?}"));
    }
    for (f, s) in info.iter().zip(spec) {
        let at = format!("{at}.{}", s.wire);
        let limits: Vec<&str> = f.limits.to_vec();
        let facts = (f.rust, f.description, f.required, limits, f.default, f.secret);
        let spec_limits = s.limits.describe();
        let want = (
            s.rust.as_str(),
            s.description.as_str(),
            s.required,
            spec_limits.iter().map(String::as_str).collect(),
            s.default.as_deref(),
            s.secret,
        );
        if facts != want {
            fail.push(format!("{at}: {facts:?}, the spec says {want:?}"));
        }
        value(api, &at, &f.ty, &s.ty, depth, fail);
    }
}

fn value(api: &Api, at: &str, info: &ValueType, spec: &Ty, depth: usize, fail: &mut Vec<String>) {
    match (info, spec) {
        (ValueType::Str, Ty::String) | (ValueType::Bool, Ty::Bool) | (ValueType::IntOrStr, Ty::IntOrString) => {}
        (ValueType::Int { name, min, max }, Ty::Int(t)) => {
            let (lo, hi) = t.range();
            if (*name, i128::from(*min), i128::from(*max)) != (t.name(), lo, hi) {
                fail.push(format!("{at}: {name} {min}..={max}, the spec has {} {lo}..={hi}", t.name()));
            }
        }
        (ValueType::Array(inner), Ty::Array(t)) => value(api, at, inner, t, depth, fail),
        (ValueType::Named(info), Ty::Named(i)) => {
            let t = api.type_def(*i);
            if info.name != t.name {
                return fail.push(format!("{at}: type {}, the spec has {}", info.name, t.name));
            }
            if depth == 0 {
                return;
            }
            match (&info.kind, &t.kind) {
                (TypeKind::Object(info), model::TypeKind::Object(spec)) => {
                    fields(api, &format!("{at}({})", t.name), info, spec, depth - 1, fail)
                }
                (TypeKind::StrEnum(info), model::TypeKind::StrEnum(spec)) => {
                    let got: Vec<_> = info.iter().map(|v| (v.value, v.rust, v.description)).collect();
                    let want: Vec<_> =
                        spec.iter().map(|v| (v.value.as_str(), v.rust.as_str(), v.description.as_str())).collect();
                    if got != want {
                        fail.push(format!("{at}: values {got:?}, the spec has {want:?}"));
                    }
                }
                (TypeKind::IntEnum(info), model::TypeKind::IntEnum { values, .. }) => {
                    let got: Vec<_> = info.iter().map(|v| (v.value, v.rust, v.description)).collect();
                    let want: Vec<_> =
                        values.iter().map(|v| (v.value, v.rust.as_str(), v.description.as_str())).collect();
                    if got != want {
                        fail.push(format!("{at}: values {got:?}, the spec has {want:?}"));
                    }
                }
                _ => fail.push(format!("{at}: {} is not the kind of type the spec says", t.name)),
            }
        }
        _ => fail.push(format!("{at}: {info:?} for a {spec:?}")),
    }
}

struct Compare {
    api: Api,
    seen: Vec<String>,
    failures: Vec<String>,
}

impl EndpointVisitor for Compare {
    fn visit<E: live_api::ServerEndpoint + Described>(&mut self) {
        let name = E::META.name();
        self.seen.push(name.clone());
        let Some(spec) =
            self.api.endpoints.iter().find(|e| e.service == E::META.service && e.command == E::META.command)
        else {
            return self.failures.push(format!("{name}: no spec in the model"));
        };
        let info: &EndpointInfo = E::INFO;
        let got = (info.method, info.title, info.description, info.doc_url);
        let want = (spec.method.as_str(), spec.title.as_str(), spec.description.as_str(), spec.doc_url.as_str());
        if got != want {
            self.failures.push(format!("{name}: {got:?}, the spec says {want:?}"));
        }
        let example = info.example.map(|x| (x.name, x.request));
        let spec_example = spec.examples.first().map(|x| (x.name.as_str(), x.request.as_str()));
        if example != spec_example {
            self.failures.push(format!("{name}: example {example:?}, the spec's first is {spec_example:?}"));
        }
        // The codes: the endpoint's own in its code enum, and the tables it wraps in the info.
        let mut own: Vec<i64> = E::Code::DOCUMENTED.iter().map(|c| c.code).collect();
        let mut wrapped: Vec<(&str, usize)> = info.wrapped_codes.iter().map(|t| (t.name, t.count)).collect();
        let (mut spec_own, mut spec_wrapped) = (Vec::new(), Vec::new());
        for entry in &spec.errors {
            match entry {
                CodeEntry::Code(c) => spec_own.push(c.code),
                CodeEntry::Table(i) => match &self.api.table(*i).as_enum {
                    Some(t) => spec_wrapped.push((t.rust.as_str(), self.api.table(*i).codes.len())),
                    None => spec_own.extend(self.api.table(*i).codes.iter().map(|c| c.code)),
                },
            }
        }
        own.sort();
        spec_own.sort();
        wrapped.sort();
        spec_wrapped.sort();
        if (&own, &wrapped) != (&spec_own, &spec_wrapped) {
            self.failures
                .push(format!("{name}: codes {own:?} and {wrapped:?}, the spec has {spec_own:?} and {spec_wrapped:?}"));
        }
        let api = self.api.clone();
        fields(&api, &name, info.request, &spec.request, DEPTH, &mut self.failures);
    }
}

#[test]
fn every_endpoint_is_described_as_its_spec_says() {
    let mut c = Compare { api: api(), seen: Vec::new(), failures: Vec::new() };
    live_api::visit_endpoints(&mut c);
    let listed: Vec<String> = live_api::ENDPOINTS.iter().map(|m| m.name()).collect();
    assert_eq!(c.seen, listed, "visited once each, in the order of ENDPOINTS");
    assert_eq!(c.seen.len(), c.api.endpoints.len());
    assert!(c.failures.is_empty(), "{} differences:\n{}", c.failures.len(), c.failures.join("\n"));
    // The walk reached nested objects, enums of both kinds, arrays and wrapped code tables.
    let reached = |p: &dyn Fn(&FieldInfo) -> bool| {
        let mut all = Vec::new();
        collect(live_api::CreateRoom::INFO.request, &mut all);
        collect(live_api::SetMixStream::INFO.request, &mut all);
        all.iter().any(|f| p(f))
    };
    assert!(reached(&|f| matches!(f.ty, ValueType::Named(t) if matches!(t.kind, TypeKind::StrEnum(_)))));
    assert!(reached(&|f| matches!(f.ty, ValueType::Named(t) if matches!(t.kind, TypeKind::IntEnum(_)))));
    assert!(reached(&|f| matches!(f.ty, ValueType::Array(_)) && !f.limits.is_empty()));
    assert!(!live_api::CreateRoom::INFO.wrapped_codes.is_empty());
}

/// Every field of `fields` and of the objects they reach, one level of types down.
fn collect(fields: &'static [FieldInfo], out: &mut Vec<&'static FieldInfo>) {
    for f in fields {
        out.push(f);
        let mut ty = &f.ty;
        while let ValueType::Array(inner) = ty {
            ty = inner;
        }
        if let ValueType::Named(t) = ty
            && let TypeKind::Object(sub) = t.kind
        {
            out.extend(sub);
        }
    }
}

/// A spec folder of a user's own with the server side: a request whose type contains itself.
mod tree {
    live_api_macros::generate!("../fixtures/tree", server);
}

#[test]
fn a_type_that_contains_itself_points_at_itself() {
    let info = <tree::Plant as Described>::INFO;
    assert_eq!((info.method, info.title, info.example.is_none()), ("plant", "Plant a tree", true));
    let [root, depth] = info.request else { panic!("two fields: {:?}", info.request) };
    assert_eq!((root.wire, root.required, depth.wire, depth.required), ("Root", true, "Depth", false));
    assert!(matches!(depth.ty, ValueType::Int { name: "i8", min: -128, max: 127 }), "{:?}", depth.ty);
    assert_eq!(depth.limits, ["at least -3"]);
    let ValueType::Named(node) = root.ty else { panic!("{:?}", root.ty) };
    let TypeKind::Object([name, children]) = node.kind else { panic!("{:?}", node.kind) };
    assert_eq!((node.name, name.wire, name.limits), ("Node", "Name", &["at most 16 bytes (UTF-8)"][..]));
    assert_eq!((children.wire, children.limits), ("Children", &["at most 4 items"][..]));
    let ValueType::Array(ValueType::Named(again)) = children.ty else { panic!("{:?}", children.ty) };
    assert!(std::ptr::eq(*again, node), "the element type is the same static");
}
