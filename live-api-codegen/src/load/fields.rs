//! The fields of requests, responses and object types: wire and Rust names, requiredness, item
//! counts, notes, and the other JSON kinds a field accepts.

use super::context::{Cx, NameKind};
use super::keys;
use crate::diag::SourceFile;
use crate::json::{Span, Value};
use crate::model::{Field, JsonKind, Ty};
use crate::names::{pascal_case, snake_case};
use crate::read::{Obj, Spanned};

impl Cx<'_> {
    /// Reads a list of fields of `owner` (the type that holds them, which prefixes the names of
    /// inline objects), each wire and Rust name once.
    pub(super) fn read_fields(&mut self, file: &SourceFile, values: &[Value], owner: &str) -> Vec<Field> {
        let mut out: Vec<Field> = Vec::new();
        for v in values {
            let Some((mut field, wire_span, rust_span, alias_spans)) = self.read_field(file, v, owner) else {
                continue;
            };
            let taken =
                |out: &[Field], name: &str| out.iter().any(|o| o.wire == name || o.aliases.iter().any(|a| a == name));
            if let Some(o) = out.iter().find(|o| o.aliases.contains(&field.wire)) {
                self.err(file, wire_span, format!("`{}` is already an alias of field `{}`", field.wire, o.wire));
            } else if taken(&out, &field.wire) {
                self.err(file, wire_span, format!("duplicate field `{}`", field.wire));
            } else if out.iter().any(|o| o.rust == field.rust) {
                self.err(file, rust_span, format!("duplicate Rust field name `{}`", field.rust));
            } else {
                for (a, span) in field.aliases.iter().zip(&alias_spans) {
                    if taken(&out, a) {
                        self.err(
                            file,
                            *span,
                            format!("the alias `{a}` is already a wire name or alias of another field"),
                        );
                    }
                }
                field.aliases.retain(|a| !taken(&out, a));
                out.push(field);
            }
        }
        out
    }

    fn read_field(&mut self, file: &SourceFile, v: &Value, owner: &str) -> Option<(Field, Span, Span, Vec<Span>)> {
        let mut o = Obj::new(file, v, "a field", keys::FIELD, &mut self.diags)?;
        let wire = o.req_str("wire", &mut self.diags);
        let rust = o.opt_str("rust", &mut self.diags);
        let description = o.req_str("description", &mut self.diags);
        let required = o.opt_bool("required", &mut self.diags).is_some_and(|b| b.value);
        let notes = o.opt_str("notes", &mut self.diags);
        let accept = o.opt_str_list("accept", &mut self.diags);
        let default = o.get("default");
        let min_items = o.opt_count("min_items", &mut self.diags);
        let max_items = o.opt_count("max_items", &mut self.diags);
        let secret = o.opt_bool("secret", &mut self.diags);
        let aliases = o.opt_str_list("aliases", &mut self.diags);
        let wire = wire?;
        let mut alias_names: Vec<String> = Vec::new();
        for a in &aliases {
            if a.value.is_empty() {
                self.err(file, a.span, "an alias cannot be empty");
            } else if a.value == wire.value || alias_names.contains(&a.value) {
                self.err(file, a.span, format!("duplicate alias `{}`", a.value));
            }
            alias_names.push(a.value.clone());
        }
        if wire.value.is_empty() {
            self.err(file, wire.span, "`wire` cannot be empty");
        }
        let prefix = format!("{owner}{}", pascal_case(&wire.value));
        let types_before = self.types.len();
        let ty = self.read_shape(&mut o, &prefix, true);
        let items_span = o.key_span("min_items").or(o.key_span("max_items"));
        let (allowed_span, accept_span) = (o.key_span("allowed"), o.key_span("accept"));
        o.finish(&mut self.diags);
        let (ty, mut limits) = ty?;
        let secret = self.check_secret(file, secret, &ty, allowed_span.or(accept_span));
        if let Some(s) = items_span.filter(|_| !matches!(ty, Ty::Array(_))) {
            self.err(file, s, "`min_items`/`max_items` only apply to arrays");
        }
        limits.min_items = min_items.as_ref().map(|s| s.value);
        limits.max_items = max_items.as_ref().map(|s| s.value);
        self.check_order(file, ("min_items", &min_items), ("max_items", &max_items));
        let kind = if rust.is_some() { NameKind::Field } else { NameKind::DerivedField };
        let rust = rust.unwrap_or_else(|| Spanned { value: snake_case(&wire.value), span: wire.span });
        self.check_name(file, &rust, kind);
        // An inline object takes the description of the field that defines it.
        let inner = match &ty {
            Ty::Array(t) => t.as_ref(),
            t => t,
        };
        if let (Ty::Named(i), Some(d)) = (inner, &description)
            && i.0 >= types_before
        {
            self.type_mut(*i).description = d.value.clone();
        }
        let accept = self.read_accept(file, &accept, &ty);
        let default = default.and_then(|d| self.check_default(file, d, &ty, &limits));
        let mut description = description.map(|d| d.value).unwrap_or_default();
        if let Some(n) = notes {
            description = format!("{description}\n\n{}", n.value);
        }
        let alias_spans: Vec<Span> = aliases.iter().map(|a| a.span).collect();
        let field = Field {
            wire: wire.value,
            rust: rust.value,
            description,
            ty,
            required,
            default,
            limits,
            accept,
            secret,
            aliases: alias_names,
        };
        Some((field, wire.span, rust.span, alias_spans))
    }

    /// `secret`: only a string, and one that is neither picked from `allowed` values (a
    /// violation would quote it) nor decoded from other JSON kinds (`accept`, at `other_span`).
    fn check_secret(
        &mut self,
        file: &SourceFile,
        secret: Option<Spanned<bool>>,
        ty: &Ty,
        other_span: Option<Span>,
    ) -> bool {
        let Some(secret) = secret.filter(|s| s.value) else { return false };
        if *ty != Ty::String {
            self.err(file, secret.span, "`secret` only applies to string fields");
        } else if let Some(s) = other_span {
            self.err(file, s, "a `secret` field takes neither `allowed` nor `accept`");
        }
        true
    }

    /// `accept`: the JSON kinds a response may use for the field besides its own.
    fn read_accept(&mut self, file: &SourceFile, accept: &[Spanned<String>], ty: &Ty) -> Vec<JsonKind> {
        let mut out = Vec::new();
        for a in accept {
            let kind = match a.value.as_str() {
                "string" => JsonKind::String,
                "number" => JsonKind::Number,
                "bool" => JsonKind::Bool,
                other => {
                    self.err(
                        file,
                        a.span,
                        format!("unknown JSON kind `{other}` in `accept`; expected string, number or bool"),
                    );
                    continue;
                }
            };
            let ok = match ty {
                Ty::String => kind != JsonKind::String,
                Ty::Bool => kind != JsonKind::Bool,
                Ty::Int(_) => kind == JsonKind::String,
                _ => false,
            };
            if !ok {
                self.err(file, a.span, format!("a field of this type cannot be decoded from a JSON {}", a.value));
            } else if !out.contains(&kind) {
                out.push(kind);
            }
        }
        out
    }
}
