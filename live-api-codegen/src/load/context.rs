//! The state of one reading (diagnostics, the named types found so far) and the one check of
//! each kind of Rust name a spec gives.

use std::collections::{BTreeMap, HashMap};

use super::check::BaseNames;
use crate::diag::{Diagnostics, SourceFile};
use crate::json::{Span, Value};
use crate::model::{Origin, TypeDef, TypeId};
use crate::names::{ident_problem, is_pascal, is_snake, pascal_case, snake_case};
use crate::read::Spanned;

/// What the readers share while a folder is read.
pub(super) struct Cx<'b> {
    /// Every problem found so far.
    pub(super) diags: Diagnostics,
    /// Named types: the base's first, then shared ones, then inline objects as they are read.
    pub(super) types: Vec<TypeDef>,
    /// Every type name (shared and inline), for duplicate checks.
    pub(super) type_index: HashMap<String, TypeId>,
    /// Shared types (`types/`, the base's included), the only ones a field may refer to by name.
    pub(super) shared: BTreeMap<String, TypeId>,
    /// The names of the base, when the folder extends one.
    pub(super) base: Option<&'b BaseNames>,
}

/// The kinds of Rust names a spec gives or implies; each has its case and its label in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NameKind {
    /// A named type or an inline object (`RoomInfo`).
    Type,
    /// The enum of an error table (`RestCode`).
    TableEnum,
    /// The request type of an endpoint (`CreateRoom`), the stem of its other names.
    Endpoint,
    /// The body type of a callback (`AfterCreateRoom`), the stem of its other names.
    Callback,
    /// A variant of an enum type, or the variant wrapping a table enum (`Grid`, `Rest`).
    Variant,
    /// A variant of an error-code enum (`RoomNotFound`).
    ErrorVariant,
    /// A field named by its `rust` key.
    Field,
    /// A field named after its `wire` name.
    DerivedField,
}

impl NameKind {
    fn label(self) -> &'static str {
        match self {
            NameKind::Type => "type name",
            NameKind::TableEnum => "enum name",
            NameKind::Endpoint => "endpoint name",
            NameKind::Callback => "callback name",
            NameKind::Variant => "variant name",
            NameKind::ErrorVariant => "error variant name",
            NameKind::Field => "field name",
            NameKind::DerivedField => "field name derived from `wire` (set `rust` to override)",
        }
    }

    /// UpperCamelCase, or snake_case.
    fn pascal(self) -> bool {
        !matches!(self, NameKind::Field | NameKind::DerivedField)
    }

    /// Whether the name is that of a Rust type (which the server trait's and the callback
    /// enum's names may not be).
    fn names_a_type(self) -> bool {
        matches!(self, NameKind::Type | NameKind::TableEnum | NameKind::Endpoint | NameKind::Callback)
    }
}

impl<'b> Cx<'b> {
    /// A reading that starts from the types of the base (none without one).
    pub(super) fn new(base_types: &[TypeDef], base: Option<&'b BaseNames>) -> Self {
        let mut cx = Cx {
            diags: Diagnostics::default(),
            types: Vec::new(),
            type_index: HashMap::new(),
            shared: BTreeMap::new(),
            base,
        };
        for t in base_types {
            let id = TypeId(cx.types.len());
            cx.type_index.insert(t.name.clone(), id);
            if t.shared {
                cx.shared.insert(t.name.clone(), id);
            }
            cx.types.push(TypeDef { origin: Origin::Base, ..t.clone() });
        }
        cx
    }

    pub(super) fn err(&mut self, file: &SourceFile, span: Span, msg: impl Into<String>) {
        self.diags.error(file, span, msg);
    }

    /// The named type `id`.
    pub(super) fn type_mut(&mut self, id: TypeId) -> &mut TypeDef {
        &mut self.types[id.0]
    }

    /// Checks a Rust name of the given kind; `false` when it cannot be used as it is.
    pub(super) fn check_name(&mut self, file: &SourceFile, name: &Spanned<String>, kind: NameKind) -> bool {
        let what = kind.label();
        if let Some(p) = ident_problem(&name.value) {
            self.err(file, name.span, format!("{what}: {p}"));
            return false;
        }
        let ok = if kind.pascal() { is_pascal(&name.value) } else { is_snake(&name.value) };
        if !ok {
            let want = if kind.pascal() { pascal_case(&name.value) } else { snake_case(&name.value) };
            self.err(file, name.span, format!("{what} `{}` should be written `{want}`", name.value));
        }
        let reserved = [
            (crate::codegen::server::TRAIT, "the generated server trait"),
            (crate::codegen::callbacks::ENUM, "the generated enum of every callback"),
        ];
        if let Some((_, item)) = reserved.iter().find(|(n, _)| kind.names_a_type() && name.value == *n) {
            self.err(file, name.span, format!("the {what} `{}` is reserved for {item}", name.value));
            return false;
        }
        ok
    }

    /// Adds a named type, unless its name is taken (by the base, or by another type).
    pub(super) fn register_type(&mut self, file: &SourceFile, name: &Spanned<String>, def: TypeDef) -> Option<TypeId> {
        let base = self.base;
        if let Some(owner) = base.and_then(|b| b.owner(&name.value)) {
            self.err(file, name.span, format!("the generated name `{}` is already used by {owner}", name.value));
            return None;
        }
        if let Some(&i) = self.type_index.get(&name.value) {
            let other = self.types[i.0].file.clone();
            self.err(file, name.span, format!("duplicate type `{}` (also defined in {other})", name.value));
            return None;
        }
        let i = TypeId(self.types.len());
        self.types.push(def);
        self.type_index.insert(name.value.clone(), i);
        Some(i)
    }
}

/// The span of the opening brace of an object: where a missing key is reported.
pub(super) fn opening(v: &Value) -> Span {
    Span { start: v.span.start, end: v.span.start + 1 }
}
