//! `one_of`: groups of optional request fields of which a request sets exactly one (the two
//! documented forms of `multiaccount_import`, `AccountList` and the older `Accounts`).

use super::context::Cx;
use crate::diag::SourceFile;
use crate::json::{Kind, Value};
use crate::model::{Field, FieldId};

impl Cx<'_> {
    /// Each group: at least two wire names of optional request fields, no field in two groups.
    pub(super) fn read_one_of(&mut self, file: &SourceFile, groups: &[Value], request: &[Field]) -> Vec<Vec<FieldId>> {
        let mut out: Vec<Vec<FieldId>> = Vec::new();
        for g in groups {
            let Kind::Array(names) = &g.kind else {
                let msg = format!("a `one_of` group must be an array of wire names, found {}", g.kind.describe());
                self.err(file, g.span, msg);
                continue;
            };
            if names.len() < 2 {
                self.err(file, g.span, "a `one_of` group needs at least two fields");
            }
            let mut group = Vec::new();
            for n in names {
                let Kind::String(name) = &n.kind else {
                    self.err(file, n.span, format!("a `one_of` group lists wire names, found {}", n.kind.describe()));
                    continue;
                };
                let Some(i) = request.iter().position(|f| &f.wire == name) else {
                    self.err(file, n.span, format!("no request field `{name}`"));
                    continue;
                };
                let id = FieldId(i);
                if request[i].required {
                    self.err(file, n.span, format!("`{name}` is required, so it cannot be one of a `one_of` group"));
                } else if group.contains(&id) || out.iter().any(|o| o.contains(&id)) {
                    self.err(file, n.span, format!("`{name}` is already in a `one_of` group"));
                } else {
                    group.push(id);
                }
            }
            if group.len() >= 2 {
                out.push(group);
            }
        }
        out
    }
}
