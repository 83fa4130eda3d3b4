//! `partial_failures`: where a response lists the items that failed in a successful answer
//! (`FailAccounts`, `ResultItem[].ResultCode`, `ErrorList`), and how an item's code is read.

use super::context::Cx;
use super::keys;
use crate::diag::SourceFile;
use crate::json::Value;
use crate::model::{Field, FieldId, PartialFailures, Ty, TypeKind};
use crate::read::Obj;

impl Cx<'_> {
    /// `items` names a response array; `code`, if given, an integer or integer-enum field of its
    /// elements, which must then be objects.
    pub(super) fn read_partial_failures(
        &mut self,
        file: &SourceFile,
        v: &Value,
        response: &[Field],
    ) -> Option<PartialFailures> {
        let mut o = Obj::new(file, v, "`partial_failures`", keys::PARTIAL_FAILURES, &mut self.diags)?;
        let items = o.req_str("items", &mut self.diags);
        let code = o.opt_str("code", &mut self.diags);
        o.finish(&mut self.diags);
        let items = items?;
        let Some(i) = response.iter().position(|f| f.wire == items.value) else {
            self.err(file, items.span, format!("no response field `{}`", items.value));
            return None;
        };
        let Ty::Array(element) = &response[i].ty else {
            self.err(file, items.span, format!("`{}` must be an array to list per-item failures", items.value));
            return None;
        };
        let Some(code) = code else { return Some(PartialFailures { items: FieldId(i), code: None }) };
        let fields = match element.as_ref() {
            Ty::Named(t) => match &self.types[t.0].kind {
                TypeKind::Object(fields) => Some(fields),
                _ => None,
            },
            _ => None,
        };
        let Some(fields) = fields else {
            let msg = format!("`code` needs the elements of `{}` to be objects", items.value);
            self.err(file, code.span, msg);
            return None;
        };
        let Some(f) = fields.iter().find(|f| f.wire == code.value) else {
            let msg = format!("the elements of `{}` have no field `{}`", items.value, code.value);
            self.err(file, code.span, msg);
            return None;
        };
        let integer = match &f.ty {
            Ty::Int(_) => true,
            Ty::Named(t) => matches!(self.types[t.0].kind, TypeKind::IntEnum { .. }),
            _ => false,
        };
        if !integer {
            let msg = format!("`{}` must be an integer or an integer enum to be read as a code", code.value);
            self.err(file, code.span, msg);
            return None;
        }
        Some(PartialFailures { items: FieldId(i), code: Some((f.rust.clone(), f.required)) })
    }
}
