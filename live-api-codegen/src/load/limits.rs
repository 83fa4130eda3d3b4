//! Limits of a value (of the elements, for an array): byte lengths, integer bounds and allowed
//! values, each checked against the type it limits and against its opposite bound.

use std::fmt::Display;

use super::context::Cx;
use crate::diag::{Diagnostics, SourceFile};
use crate::json::{Kind, Span, Value};
use crate::model::{Limits, Ty};
use crate::read::{Obj, Spanned};

/// The element limits of a field or of array items, as written.
pub(super) struct ElementLimits<'a> {
    min_bytes: Option<Spanned<u64>>,
    max_bytes: Option<Spanned<u64>>,
    min: Option<Spanned<i64>>,
    max: Option<Spanned<i64>>,
    allowed: Option<&'a [Value]>,
    allowed_span: Option<Span>,
}

impl<'a> ElementLimits<'a> {
    /// Reads `min_bytes`, `max_bytes`, `min`, `max` and `allowed` of `o`.
    pub(super) fn read(o: &mut Obj<'a>, diags: &mut Diagnostics) -> Self {
        ElementLimits {
            min_bytes: o.opt_count("min_bytes", diags),
            max_bytes: o.opt_count("max_bytes", diags),
            min: o.opt_int("min", diags),
            max: o.opt_int("max", diags),
            allowed: o.opt_array("allowed", diags),
            allowed_span: o.key_span("allowed"),
        }
    }
}

impl Cx<'_> {
    /// Checks the element limits `e` of a value of type `ty` and adds them to `limits`. On an
    /// array field they belong in `items` instead; `type_span` locates an empty `allowed`
    /// written without a key span.
    pub(super) fn element_limits(
        &mut self,
        file: &SourceFile,
        e: ElementLimits<'_>,
        ty: &Ty,
        allow_array: bool,
        type_span: Span,
        mut limits: Limits,
    ) -> Limits {
        if matches!(ty, Ty::Array(_)) && allow_array {
            for (k, s) in [
                ("min_bytes", e.min_bytes.map(|s| s.span)),
                ("max_bytes", e.max_bytes.map(|s| s.span)),
                ("min", e.min.map(|s| s.span)),
                ("max", e.max.map(|s| s.span)),
                ("allowed", e.allowed_span),
            ] {
                if let Some(s) = s {
                    self.err(file, s, format!("`{k}` of an array's elements belongs in `items`"));
                }
            }
            return limits;
        }
        let elem = match ty {
            Ty::Array(inner) => inner.as_ref(),
            t => t,
        };
        for (k, s) in [("min_bytes", &e.min_bytes), ("max_bytes", &e.max_bytes)] {
            if let Some(s) = s.as_ref().filter(|_| !matches!(elem, Ty::String | Ty::IntOrString)) {
                self.err(file, s.span, format!("`{k}` only applies to strings"));
            }
        }
        limits.min_bytes = e.min_bytes.as_ref().map(|s| s.value);
        limits.max_bytes = e.max_bytes.as_ref().map(|s| s.value);
        self.check_order(file, ("min_bytes", &e.min_bytes), ("max_bytes", &e.max_bytes));
        for (k, s) in [("min", &e.min), ("max", &e.max)] {
            let Some(s) = s else { continue };
            match elem {
                Ty::Int(t) if !t.fits(s.value) => {
                    self.err(file, s.span, format!("{k} {} is outside the range of {}", s.value, t.name()))
                }
                Ty::Int(_) | Ty::IntOrString => {}
                _ => self.err(file, s.span, format!("`{k}` only applies to integers")),
            }
        }
        limits.min = e.min.as_ref().map(|s| s.value);
        limits.max = e.max.as_ref().map(|s| s.value);
        self.check_order(file, ("min", &e.min), ("max", &e.max));
        if let Some(allowed) = e.allowed {
            self.read_allowed(file, allowed, e.allowed_span.unwrap_or(type_span), elem, &mut limits);
        }
        limits
    }

    /// A lower bound is not above its upper bound (reported at the upper one).
    pub(super) fn check_order<T: PartialOrd + Display>(
        &mut self,
        file: &SourceFile,
        (lo_key, lo): (&str, &Option<Spanned<T>>),
        (hi_key, hi): (&str, &Option<Spanned<T>>),
    ) {
        if let (Some(lo), Some(hi)) = (lo, hi)
            && lo.value > hi.value
        {
            let msg = format!("contradictory limits: {hi_key} {} is below {lo_key} {}", hi.value, lo.value);
            self.err(file, hi.span, msg);
        }
    }

    fn read_allowed(&mut self, file: &SourceFile, allowed: &[Value], span: Span, elem: &Ty, limits: &mut Limits) {
        if allowed.is_empty() {
            self.err(file, span, "`allowed` needs at least one value");
        }
        for a in allowed {
            match (elem, &a.kind) {
                (Ty::String, Kind::String(s)) => limits.allowed_strings.push(s.clone()),
                (Ty::Int(t), Kind::Number(n)) if n.as_i64().is_some() => {
                    let n = n.as_i64().unwrap_or_default();
                    if !t.fits(n) {
                        self.err(file, a.span, format!("allowed value {n} does not fit in {}", t.name()));
                    }
                    limits.allowed_ints.push(n);
                }
                (Ty::String | Ty::Int(_), k) => {
                    self.err(file, a.span, format!("allowed value must match the field type, found {}", k.describe()))
                }
                _ => {
                    self.err(
                        file,
                        a.span,
                        "`allowed` only applies to strings and integers (use an enum type otherwise)",
                    );
                    return;
                }
            }
        }
    }
}
