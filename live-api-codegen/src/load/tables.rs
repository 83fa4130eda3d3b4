//! Error tables of `errors/<table>.json`: codes several endpoints share, flattened into each
//! endpoint's enum or, with `as_enum`, an enum of their own.

use super::Spec;
use super::context::{Cx, NameKind};
use super::keys;
use crate::diag::SourceFile;
use crate::json::{Span, Value};
use crate::model::{ErrorCode, ErrorTable, Origin, TableEnum};
use crate::read::Obj;

impl<'b> Cx<'b> {
    /// Reads every table after copies of the base's; returns them with the span of the name of
    /// each table of the folder that was read.
    pub(super) fn read_tables<'a>(
        &mut self,
        specs: &[Spec<'a>],
        base_tables: &[ErrorTable],
    ) -> (Vec<ErrorTable>, Vec<(&'a SourceFile, Span)>) {
        let mut tables: Vec<ErrorTable> =
            base_tables.iter().map(|t| ErrorTable { origin: Origin::Base, ..t.clone() }).collect();
        let mut spans = Vec::new();
        for spec in specs {
            let Some((table, span)) = self.read_table(spec.src, &spec.value, &spec.parts) else { continue };
            match tables.iter().find(|o| o.name == table.name) {
                Some(o) if o.origin == Origin::Base => {
                    let of = self.base.map_or("the base", |b| b.crate_name.as_str());
                    let msg =
                        format!("duplicate error table `{}` (also {of}'s errors/{}.json)", table.name, table.name);
                    self.err(spec.src, span, msg);
                }
                Some(_) => self.err(spec.src, span, format!("duplicate error table `{}`", table.name)),
                None => {}
            }
            tables.push(table);
            spans.push((spec.src, span));
        }
        (tables, spans)
    }

    fn read_table(&mut self, file: &SourceFile, v: &Value, parts: &[String]) -> Option<(ErrorTable, Span)> {
        let mut o = Obj::new(file, v, "an error table", keys::TABLE, &mut self.diags)?;
        let _ = o.get("$schema");
        let name = o.req_str("table", &mut self.diags);
        let description = o.req_str("description", &mut self.diags);
        let _doc = o.opt_str("doc_url", &mut self.diags);
        let as_enum = o.get("as_enum");
        let codes = o.req_array("codes", &mut self.diags);
        o.finish(&mut self.diags);
        let as_enum = as_enum.and_then(|a| self.read_as_enum(file, a));
        let name = name?;
        let stem = parts.last().map(|p| p.trim_end_matches(".json")).unwrap_or_default();
        if parts.len() != 2 || stem != name.value {
            self.err(file, name.span, format!("error table `{}` must live in errors/{}.json", name.value, name.value));
        }
        let codes = self.read_codes(file, codes.unwrap_or_default());
        let mut list: Vec<ErrorCode> = Vec::new();
        for (c, code_span, rust_span) in codes {
            if list.iter().any(|o| o.code == c.code) {
                self.err(file, code_span, format!("duplicate error code {}", c.code));
            } else if list.iter().any(|o| o.rust == c.rust) {
                self.err(file, rust_span, format!("duplicate error variant `{}`", c.rust));
            } else {
                list.push(c);
            }
        }
        let description = description.map(|d| d.value).unwrap_or_default();
        let table = ErrorTable { name: name.value, description, codes: list, as_enum, origin: Origin::Local };
        Some((table, name.span))
    }

    fn read_as_enum(&mut self, file: &SourceFile, a: &Value) -> Option<TableEnum> {
        let mut ao = Obj::new(file, a, "`as_enum`", keys::AS_ENUM, &mut self.diags)?;
        let rust = ao.req_str("rust", &mut self.diags);
        let variant = ao.req_str("variant", &mut self.diags);
        ao.finish(&mut self.diags);
        let (rust, variant) = (rust?, variant?);
        let ok = self.check_name(file, &rust, NameKind::TableEnum) & self.check_name(file, &variant, NameKind::Variant);
        ok.then_some(TableEnum { rust: rust.value, variant: variant.value })
    }
}
