//! Error codes (of a table or an endpoint) and the error list of an endpoint: its own codes and
//! the tables it names, each code and variant name once.

use std::collections::HashMap;

use super::context::{Cx, NameKind};
use super::keys;
use crate::diag::SourceFile;
use crate::json::{Span, Value};
use crate::model::{CodeEntry, ErrorCode, ErrorTable, Retry, TableId};
use crate::names::hint;
use crate::read::{Obj, Spanned};

/// What already took codes and variant names in an endpoint's enum (`table `rest``).
#[derive(Default)]
struct Seen {
    codes: HashMap<i64, String>,
    names: HashMap<String, String>,
}

impl Cx<'_> {
    /// Reads error codes, with the spans of each code and variant name.
    pub(super) fn read_codes(&mut self, file: &SourceFile, values: &[Value]) -> Vec<(ErrorCode, Span, Span)> {
        let mut out = Vec::new();
        for v in values {
            let Some(mut o) = Obj::new(file, v, "an error code", keys::CODE, &mut self.diags) else { continue };
            let code = o.req_int("code", &mut self.diags);
            let rust = o.req_str("rust", &mut self.diags);
            let description = o.req_str("description", &mut self.diags);
            let retry = o.req_str("retry", &mut self.diags);
            o.finish(&mut self.diags);
            let (Some(code), Some(rust), Some(retry)) = (code, rust, retry) else { continue };
            let name_ok = self.check_name(file, &rust, NameKind::ErrorVariant);
            if code.value == 0 {
                self.err(file, code.span, "error code 0 means success");
            }
            if rust.value == "Undocumented" {
                self.err(
                    file,
                    rust.span,
                    "the variant name `Undocumented` is reserved for codes the spec does not list",
                );
            }
            let Some(retry) = self.read_retry(file, &retry) else { continue };
            if !name_ok {
                continue;
            }
            let description = description.map(|d| d.value).unwrap_or_default();
            out.push((ErrorCode { code: code.value, rust: rust.value, description, retry }, code.span, rust.span));
        }
        out
    }

    fn read_retry(&mut self, file: &SourceFile, retry: &Spanned<String>) -> Option<Retry> {
        match retry.value.as_str() {
            "transient" => Some(Retry::Transient),
            "throttled" => Some(Retry::Throttled),
            "permanent" => Some(Retry::Permanent),
            other => {
                let hint = hint(other, ["transient", "throttled", "permanent"]);
                self.err(
                    file,
                    retry.span,
                    format!("unknown retry class `{other}`{hint}; expected transient, throttled or permanent"),
                );
                None
            }
        }
    }

    /// The entries of an endpoint's error enum: the tables it names (flattened, or nested when
    /// they are enums of their own), then its own codes.
    pub(super) fn read_endpoint_errors(
        &mut self,
        file: &SourceFile,
        table_refs: &[Spanned<String>],
        own_codes: &[Value],
        tables: &[ErrorTable],
    ) -> Vec<CodeEntry> {
        let mut errors: Vec<CodeEntry> = Vec::new();
        let mut seen = Seen::default();
        seen.names.insert("Undocumented".into(), "the reserved variant".into());
        for t in table_refs {
            let Some(ti) = tables.iter().position(|x| x.name == t.value) else {
                let hint = hint(&t.value, tables.iter().map(|x| x.name.as_str()));
                self.err(file, t.span, format!("unknown error table `{}`{hint}", t.value));
                continue;
            };
            let table = &tables[ti];
            let origin = format!("table `{}`", table.name);
            match &table.as_enum {
                Some(e) => {
                    self.take_name(file, t.span, &mut seen, &e.variant, &origin);
                    for c in &table.codes {
                        self.take_code(file, t.span, &mut seen, c.code, &origin);
                    }
                    errors.push(CodeEntry::Table(TableId(ti)));
                }
                None => {
                    for c in &table.codes {
                        self.take_code(file, t.span, &mut seen, c.code, &origin);
                        self.take_name(file, t.span, &mut seen, &c.rust, &origin);
                        errors.push(CodeEntry::Code(c.clone()));
                    }
                }
            }
        }
        for (c, code_span, rust_span) in self.read_codes(file, own_codes) {
            let here = "this endpoint";
            if self.take_code(file, code_span, &mut seen, c.code, here)
                && self.take_name(file, rust_span, &mut seen, &c.rust, here)
            {
                errors.push(CodeEntry::Code(c));
            }
        }
        errors
    }

    /// Records that `origin` uses `code`; reports (at `span`) and returns `false` when taken.
    fn take_code(&mut self, file: &SourceFile, span: Span, seen: &mut Seen, code: i64, origin: &str) -> bool {
        let Some(prev) = seen.codes.insert(code, origin.to_owned()) else { return true };
        self.err(file, span, format!("duplicate error code {code} (also from {prev})"));
        false
    }

    /// Records that `origin` uses the variant `name`; reports and returns `false` when taken.
    fn take_name(&mut self, file: &SourceFile, span: Span, seen: &mut Seen, name: &str, origin: &str) -> bool {
        let Some(prev) = seen.names.insert(name.to_owned(), origin.to_owned()) else { return true };
        self.err(file, span, format!("duplicate error variant `{name}` (also from {prev})"));
        false
    }
}
