//! How an endpoint pages: the request field with the cursor, the response fields with the next
//! cursor and the items, and the request field with the page size.

use super::context::Cx;
use super::keys;
use crate::diag::SourceFile;
use crate::json::Value;
use crate::model::{Field, FieldId, Pagination, Ty};
use crate::read::{Obj, Spanned};

impl Cx<'_> {
    pub(super) fn read_pagination(
        &mut self,
        file: &SourceFile,
        v: &Value,
        request: &[Field],
        response: &[Field],
    ) -> Option<Pagination> {
        let mut o = Obj::new(file, v, "`pagination`", keys::PAGINATION, &mut self.diags)?;
        let cursor = o.req_str("cursor", &mut self.diags);
        let next = o.req_str("next", &mut self.diags);
        let items = o.req_str("items", &mut self.diags);
        let page_size = o.opt_str("page_size", &mut self.diags);
        o.finish(&mut self.diags);
        let (cursor, next, items) = (cursor?, next?, items?);
        let mut find = |name: &Spanned<String>, fields: &[Field], side: &str| {
            let i = fields.iter().position(|f| f.wire == name.value);
            if i.is_none() {
                self.err(file, name.span, format!("no {side} field `{}`", name.value));
            }
            i
        };
        let cursor_i = find(&cursor, request, "request");
        let next_i = find(&next, response, "response");
        let items_i = find(&items, response, "response");
        let page_i = match &page_size {
            Some(p) => Some(find(p, request, "request")?),
            None => None,
        };
        let (cursor_i, next_i, items_i) = (cursor_i?, next_i?, items_i?);
        let scalar = |t: &Ty| matches!(t, Ty::String | Ty::Int(_));
        let (c, n) = (&request[cursor_i], &response[next_i]);
        if !scalar(&c.ty) || c.ty != n.ty || c.secret || n.secret {
            self.err(
                file,
                next.span,
                "the cursor and the next cursor must both be strings (not secrets) or both be integers of one type",
            );
        }
        if !matches!(response[items_i].ty, Ty::Array(_)) {
            self.err(file, items.span, format!("`{}` must be an array to page over", items.value));
        }
        if let (Some(i), Some(p)) = (page_i, &page_size)
            && !matches!(request[i].ty, Ty::Int(_))
        {
            self.err(file, p.span, "the page size must be an integer field");
        }
        Some(Pagination {
            cursor: FieldId(cursor_i),
            next: FieldId(next_i),
            items: FieldId(items_i),
            page_size: page_i.map(FieldId),
        })
    }
}
