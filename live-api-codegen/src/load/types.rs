//! Named types of `types/<Name>.json` (objects, string enums, integer enums) and the values of
//! enums.

use super::Spec;
use super::context::{Cx, NameKind, opening};
use super::keys;
use crate::diag::{Diagnostics, SourceFile};
use crate::json::{Kind, Span, Value};
use crate::model::{IntTy, IntVariant, Origin, StrVariant, TypeDef, TypeId, TypeKind};
use crate::names::{hint, pascal_case};
use crate::read::{Obj, Spanned};

/// An object type whose fields are read once every shared type is known.
struct PendingObject<'a> {
    id: TypeId,
    name: String,
    file: &'a SourceFile,
    fields: &'a [Value],
}

/// What a type spec holds besides its name and texts: the fields of an object, or the values
/// (and width) of an enum.
struct Body<'a> {
    fields: Option<&'a [Value]>,
    values: Option<&'a [Value]>,
    repr: Option<Spanned<String>>,
    fields_span: Option<Span>,
    values_span: Option<Span>,
    repr_span: Option<Span>,
}

impl<'a> Body<'a> {
    fn read(o: &mut Obj<'a>, diags: &mut Diagnostics) -> Self {
        Body {
            fields: o.opt_array("fields", diags),
            values: o.opt_array("values", diags),
            repr: o.opt_str("repr", diags),
            fields_span: o.key_span("fields"),
            values_span: o.key_span("values"),
            repr_span: o.key_span("repr"),
        }
    }
}

impl Cx<'_> {
    /// Reads every named type: headers first (enums complete, objects pending), then the fields
    /// of objects, so that references resolve in any order.
    pub(super) fn read_types(&mut self, specs: &[Spec<'_>]) {
        let mut pending_objects = Vec::new();
        for spec in specs {
            if let Some(p) = self.read_type_header(spec.src, &spec.value, &spec.parts) {
                pending_objects.push(p);
            }
        }
        for p in pending_objects {
            let fields = self.read_fields(p.file, p.fields, &p.name);
            if let TypeKind::Object(f) = &mut self.type_mut(p.id).kind {
                *f = fields;
            }
        }
    }

    fn read_type_header<'a>(
        &mut self,
        file: &'a SourceFile,
        v: &'a Value,
        parts: &[String],
    ) -> Option<PendingObject<'a>> {
        let mut o = Obj::new(file, v, "a type", keys::TYPE, &mut self.diags)?;
        let _ = o.get("$schema");
        let name = o.req_str("name", &mut self.diags);
        let kind = o.req_str("kind", &mut self.diags);
        let description = o.req_str("description", &mut self.diags);
        let notes = o.opt_str("notes", &mut self.diags).map(|n| n.value);
        let body = Body::read(&mut o, &mut self.diags);
        o.finish(&mut self.diags);
        let name = name?;
        let name_ok = self.check_name(file, &name, NameKind::Type);
        let stem = parts.last().map(|p| p.trim_end_matches(".json")).unwrap_or_default();
        if parts.len() != 2 || stem != name.value {
            self.err(file, name.span, format!("type `{}` must live in types/{}.json", name.value, name.value));
        }
        let kind = kind?;
        let mut pending = None;
        let kind = match kind.value.as_str() {
            "object" => {
                for (k, s) in [("values", body.values_span), ("repr", body.repr_span)] {
                    if let Some(s) = s {
                        self.err(file, s, format!("`{k}` does not apply to an object type"));
                    }
                }
                match body.fields {
                    Some(f) => pending = Some(f),
                    None => self.err(file, opening(v), "missing key `fields` in an object type"),
                }
                TypeKind::Object(Vec::new())
            }
            "string_enum" => self.read_enum(file, v, true, body)?,
            "int_enum" => self.read_enum(file, v, false, body)?,
            other => {
                let hint = hint(other, ["object", "string_enum", "int_enum"]);
                self.err(
                    file,
                    kind.span,
                    format!("unknown type kind `{other}`{hint}; expected object, string_enum or int_enum"),
                );
                return None;
            }
        };
        if !name_ok {
            return None;
        }
        let def = TypeDef {
            name: name.value.clone(),
            description: description.map(|d| d.value).unwrap_or_default(),
            notes,
            kind,
            file: parts.join("/"),
            shared: true,
            origin: Origin::Local,
        };
        let id = self.register_type(file, &name, def)?;
        self.shared.insert(name.value.clone(), id);
        pending.map(|fields| PendingObject { id, name: name.value, file, fields })
    }

    /// A string enum (`string`) or an integer enum of the type spec `v`.
    fn read_enum(&mut self, file: &SourceFile, v: &Value, string: bool, body: Body<'_>) -> Option<TypeKind> {
        if let Some(s) = body.fields_span {
            self.err(file, s, "`fields` does not apply to an enum type");
        }
        let Some(values) = body.values else {
            self.err(file, opening(v), "missing key `values` in an enum type");
            return None;
        };
        if values.is_empty() {
            self.err(file, body.values_span.unwrap_or(v.span), "an enum needs at least one value");
        }
        if string {
            if let Some(s) = body.repr_span {
                self.err(file, s, "`repr` only applies to `int_enum`");
            }
            return Some(TypeKind::StrEnum(self.read_str_values(file, values)));
        }
        let repr = self.read_repr(file, body.repr);
        Some(TypeKind::IntEnum { repr, values: self.read_int_values(file, values, repr) })
    }

    /// The integer width of an `int_enum` (`i64` when not given).
    fn read_repr(&mut self, file: &SourceFile, repr: Option<Spanned<String>>) -> IntTy {
        let Some(r) = repr else { return IntTy::I64 };
        IntTy::from_name(&r.value).unwrap_or_else(|| {
            self.err(file, r.span, format!("`repr` must be an integer type (i8 … u64), found `{}`", r.value));
            IntTy::I64
        })
    }

    fn read_str_values(&mut self, file: &SourceFile, values: &[Value]) -> Vec<StrVariant> {
        let mut out: Vec<StrVariant> = Vec::new();
        let mut spans = Vec::new();
        for v in values {
            let Some(mut o) = Obj::new(file, v, "an enum value", keys::STR_VALUE, &mut self.diags) else { continue };
            let prefix = o.opt_str("prefix", &mut self.diags);
            let value = if prefix.is_some() {
                o.opt_str("value", &mut self.diags)
            } else {
                o.req_str("value", &mut self.diags)
            };
            let rust = o.opt_str("rust", &mut self.diags);
            let description = o.req_str("description", &mut self.diags);
            let aliases_span = o.key_span("aliases");
            let aliases_v = o.opt_array("aliases", &mut self.diags).unwrap_or_default();
            o.finish(&mut self.diags);
            let is_family = prefix.is_some();
            let value = match (prefix, value) {
                (Some(p), Some(v)) => {
                    self.err(file, v.span, "an enum value has either `value` or `prefix`, not both");
                    Some(p)
                }
                (Some(p), None) => {
                    if p.value.is_empty() {
                        self.err(file, p.span, "a `prefix` cannot be empty");
                    }
                    if let Some(s) = aliases_span {
                        self.err(file, s, "a value family (`prefix`) takes no `aliases`");
                    }
                    Some(p)
                }
                (None, v) => v,
            };
            let mut aliases = Vec::new();
            for a in aliases_v {
                match &a.kind {
                    Kind::Number(n) if n.as_i64().is_some() => aliases.push(n.as_i64().unwrap_or_default()),
                    k => self.err(file, a.span, format!("`aliases` must list integers, found {}", k.describe())),
                }
            }
            let Some(value) = value else { continue };
            let rust = rust.unwrap_or_else(|| Spanned { value: pascal_case(&value.value), span: value.span });
            if !self.check_name(file, &rust, NameKind::Variant) {
                continue;
            }
            if out.iter().any(|o| o.value == value.value) {
                self.err(file, value.span, format!("duplicate enum value `{}`", value.value));
            } else {
                self.check_variant(file, &rust, out.iter().map(|o| o.rust.as_str()));
            }
            for a in &aliases {
                if out.iter().any(|o| o.aliases.contains(a)) {
                    self.err(file, value.span, format!("duplicate enum alias {a}"));
                }
            }
            if is_family {
                let method = Spanned { value: crate::names::snake_case(&rust.value), span: rust.span };
                self.check_name(file, &method, NameKind::DerivedField);
            }
            spans.push(value.span);
            out.push(StrVariant {
                value: value.value,
                prefix: is_family,
                rust: rust.value,
                description: description.map(|d| d.value).unwrap_or_default(),
                aliases,
            });
        }
        // A string decodes to one variant: no listed value or other prefix starts with a prefix.
        for (f, family) in out.iter().enumerate().filter(|(_, v)| v.prefix && !v.value.is_empty()) {
            for (i, other) in out.iter().enumerate().filter(|&(i, _)| i != f) {
                if other.value.starts_with(&family.value) {
                    let what = if other.prefix { "the prefix" } else { "the value" };
                    let msg = format!(
                        "{what} `{}` starts with the prefix `{}` of {}: a string would match both",
                        other.value, family.value, family.rust
                    );
                    self.err(file, spans[i], msg);
                }
            }
        }
        out
    }

    fn read_int_values(&mut self, file: &SourceFile, values: &[Value], repr: IntTy) -> Vec<IntVariant> {
        let mut out: Vec<IntVariant> = Vec::new();
        for v in values {
            let Some(mut o) = Obj::new(file, v, "an enum value", keys::INT_VALUE, &mut self.diags) else { continue };
            let value = o.req_int("value", &mut self.diags);
            let rust = o.req_str("rust", &mut self.diags);
            let description = o.req_str("description", &mut self.diags);
            o.finish(&mut self.diags);
            let (Some(value), Some(rust)) = (value, rust) else { continue };
            if !self.check_name(file, &rust, NameKind::Variant) {
                continue;
            }
            if !repr.fits(value.value) {
                self.err(file, value.span, format!("{} does not fit in {}", value.value, repr.name()));
            }
            if out.iter().any(|o| o.value == value.value) {
                self.err(file, value.span, format!("duplicate enum value {}", value.value));
            } else {
                self.check_variant(file, &rust, out.iter().map(|o| o.rust.as_str()));
            }
            out.push(IntVariant {
                value: value.value,
                rust: rust.value,
                description: description.map(|d| d.value).unwrap_or_default(),
            });
        }
        out
    }

    /// A variant name is new among `earlier` and is not the one kept for unknown values.
    fn check_variant<'e>(
        &mut self,
        file: &SourceFile,
        rust: &Spanned<String>,
        mut earlier: impl Iterator<Item = &'e str>,
    ) {
        if earlier.any(|o| o == rust.value) {
            self.err(file, rust.span, format!("duplicate variant name `{}`", rust.value));
        } else if rust.value == "Unknown" {
            self.err(file, rust.span, "the variant name `Unknown` is reserved for values the spec does not know");
        }
    }
}
