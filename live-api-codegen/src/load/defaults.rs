//! Documented defaults: the value the server assumes for an absent field must be a value the
//! field could hold, within its limits.

use super::context::Cx;
use crate::diag::SourceFile;
use crate::json::{Kind, Value};
use crate::model::{Limits, Ty, TypeKind};

impl Cx<'_> {
    /// The default `d` as JSON text, when it suits the field's type and limits.
    pub(super) fn check_default(&mut self, file: &SourceFile, d: &Value, ty: &Ty, limits: &Limits) -> Option<String> {
        let text = file.text.get(d.span.start..d.span.end).unwrap_or_default().to_owned();
        let problem = match (ty, &d.kind) {
            (Ty::String, Kind::String(s)) => {
                let n = s.len() as u64;
                if limits.max_bytes.is_some_and(|m| n > m) || limits.min_bytes.is_some_and(|m| n < m) {
                    Some("the default breaks the field's byte limits".to_owned())
                } else if !limits.allowed_strings.is_empty() && !limits.allowed_strings.contains(s) {
                    Some("the default is not one of the allowed values".to_owned())
                } else {
                    None
                }
            }
            (Ty::Bool, Kind::Bool(_)) => None,
            (Ty::Int(t), Kind::Number(n)) => match n.as_i64() {
                Some(v) => {
                    if !t.fits(v) || limits.min.is_some_and(|m| v < m) || limits.max.is_some_and(|m| v > m) {
                        Some(format!("the default {v} breaks the field's range"))
                    } else if !limits.allowed_ints.is_empty() && !limits.allowed_ints.contains(&v) {
                        Some(format!("the default {v} is not one of the allowed values"))
                    } else {
                        None
                    }
                }
                None => Some("the default must be an integer".to_owned()),
            },
            (Ty::Named(i), k) => {
                let t = &self.types[i.0];
                match (&t.kind, k) {
                    (TypeKind::StrEnum(vs), Kind::String(s)) if vs.iter().any(|v| !v.prefix && &v.value == s) => None,
                    (TypeKind::IntEnum { values, .. }, Kind::Number(n))
                        if values.iter().any(|v| Some(v.value) == n.as_i64()) =>
                    {
                        None
                    }
                    (TypeKind::Object(_), _) => Some("defaults are only supported for scalar fields".to_owned()),
                    _ => Some(format!("the default {text} is not a value of `{}`", t.name)),
                }
            }
            (Ty::Array(_), _) => Some("defaults are only supported for scalar fields".to_owned()),
            (Ty::IntOrString, _) => Some("defaults are not supported for `int_or_string` fields".to_owned()),
            (_, k) => Some(format!("the default must match the field type, found {}", k.describe())),
        };
        match problem {
            Some(p) => {
                self.err(file, d.span, p);
                None
            }
            None => Some(text),
        }
    }
}
