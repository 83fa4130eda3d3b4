//! The `type` of a field or of array items (with `items`, `fields` and `type_name`), inline
//! objects, and references to named types.

use super::context::{Cx, NameKind};
use super::keys;
use super::limits::ElementLimits;
use crate::diag::SourceFile;
use crate::json::{Kind, Value};
use crate::model::{IntTy, Limits, Origin, Ty, TypeDef, TypeKind};
use crate::names::hint;
use crate::read::{Obj, Spanned};

/// Type names every spec may use besides the shared types.
const PRIMITIVES: &[&str] =
    &["string", "bool", "int_or_string", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "array", "object"];

impl Cx<'_> {
    /// Reads `type` (with `items`, `fields`, `type_name`) and the element limits of an object
    /// that describes a value: a field (`allow_array`) or the items of an array. `prefix` names
    /// an inline object that has no `type_name`.
    pub(super) fn read_shape(&mut self, o: &mut Obj<'_>, prefix: &str, allow_array: bool) -> Option<(Ty, Limits)> {
        let file = o.file();
        let ty_name = o.req_str("type", &mut self.diags);
        let items = o.get("items");
        let items_span = o.key_span("items");
        let fields = o.opt_array("fields", &mut self.diags);
        let fields_span = o.key_span("fields");
        let type_name = o.opt_str("type_name", &mut self.diags);
        let element = ElementLimits::read(o, &mut self.diags);
        let ty_name = ty_name?;
        if ty_name.value != "array"
            && let Some(s) = items_span
        {
            self.err(file, s, "`items` only applies to type `array`");
        }
        if ty_name.value != "object" {
            for (k, s) in [("fields", fields_span), ("type_name", type_name.as_ref().map(|t| t.span))] {
                if let Some(s) = s {
                    self.err(file, s, format!("`{k}` only applies to type `object`"));
                }
            }
        }
        let (ty, limits) = match ty_name.value.as_str() {
            "string" => (Ty::String, Limits::default()),
            "bool" => (Ty::Bool, Limits::default()),
            "int_or_string" => (Ty::IntOrString, Limits::default()),
            "array" => self.read_array(file, items, &ty_name, prefix, allow_array)?,
            "object" => (self.read_inline_object(file, fields, type_name, &ty_name, prefix)?, Limits::default()),
            other => match IntTy::from_name(other) {
                Some(t) => (Ty::Int(t), Limits::default()),
                None => (self.resolve_named(file, &ty_name)?, Limits::default()),
            },
        };
        let limits = self.element_limits(file, element, &ty, allow_array, ty_name.span, limits);
        Some((ty, limits))
    }

    /// An array of the type `items` names or describes; the limits are those of its elements.
    fn read_array(
        &mut self,
        file: &SourceFile,
        items: Option<&Value>,
        ty_name: &Spanned<String>,
        prefix: &str,
        allow_array: bool,
    ) -> Option<(Ty, Limits)> {
        if !allow_array {
            self.err(file, ty_name.span, "arrays of arrays are not supported");
            return None;
        }
        let Some(items) = items else {
            self.err(
                file,
                ty_name.span,
                "type `array` needs `items` (a type name, or an object with `type` and limits)",
            );
            return None;
        };
        let (item, limits) = match &items.kind {
            Kind::String(name) => {
                (self.resolve_named(file, &Spanned { value: name.clone(), span: items.span })?, Limits::default())
            }
            Kind::Object(_) => {
                let mut io = Obj::new(file, items, "array items", keys::ITEMS, &mut self.diags)?;
                let r = self.read_shape(&mut io, prefix, false);
                io.finish(&mut self.diags);
                r?
            }
            k => {
                self.err(file, items.span, format!("`items` must be a type name or an object, found {}", k.describe()));
                return None;
            }
        };
        Some((Ty::Array(Box::new(item)), limits))
    }

    /// An object described in place: a type of its own, named `type_name` or `prefix`.
    fn read_inline_object(
        &mut self,
        file: &SourceFile,
        fields: Option<&[Value]>,
        type_name: Option<Spanned<String>>,
        ty_name: &Spanned<String>,
        prefix: &str,
    ) -> Option<Ty> {
        let Some(fields) = fields else {
            self.err(file, ty_name.span, "type `object` needs `fields` (or name a shared type instead)");
            return None;
        };
        let name = type_name.unwrap_or_else(|| Spanned { value: prefix.to_owned(), span: ty_name.span });
        if !self.check_name(file, &name, NameKind::Type) {
            return None;
        }
        let def = TypeDef {
            name: name.value.clone(),
            description: String::new(),
            notes: None,
            kind: TypeKind::Object(Vec::new()),
            file: file.display.clone(),
            shared: false,
            origin: Origin::Local,
        };
        let id = self.register_type(file, &name, def)?;
        let resolved = self.read_fields(file, fields, &name.value);
        self.type_mut(id).kind = TypeKind::Object(resolved);
        Some(Ty::Named(id))
    }

    /// The type a name refers to: a primitive or a shared type (the base's included).
    pub(super) fn resolve_named(&mut self, file: &SourceFile, name: &Spanned<String>) -> Option<Ty> {
        if let Some(t) = IntTy::from_name(&name.value) {
            return Some(Ty::Int(t));
        }
        match name.value.as_str() {
            "string" => return Some(Ty::String),
            "bool" => return Some(Ty::Bool),
            "int_or_string" => return Some(Ty::IntOrString),
            _ => {}
        }
        if let Some(&i) = self.shared.get(&name.value) {
            return Some(Ty::Named(i));
        }
        if matches!(name.value.as_str(), "object" | "array") {
            let msg =
                format!("`{}` cannot be named here: write `items` as an object with `type` (and `fields`)", name.value);
            self.err(file, name.span, msg);
            return None;
        }
        if let Some(&i) = self.type_index.get(&name.value) {
            let t = &self.types[i.0];
            let msg = match (t.origin, self.base) {
                (Origin::Base, Some(b)) => format!(
                    "`{}` is an inline object of {}'s {}; only its shared types can be named",
                    name.value, b.crate_name, t.file
                ),
                _ => format!(
                    "`{}` is an inline object of another spec; move it to types/{}.json to share it",
                    name.value, name.value
                ),
            };
            self.err(file, name.span, msg);
            return None;
        }
        let candidates = PRIMITIVES.iter().copied().chain(self.shared.keys().map(String::as_str));
        let hint = hint(&name.value, candidates);
        self.err(file, name.span, format!("unknown type `{}`{hint}", name.value));
        None
    }
}
