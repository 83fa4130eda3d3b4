//! Documented samples of an endpoint: a request body and, where the documentation gives one,
//! the whole answer, both kept as the JSON text of the spec.

use super::context::{Cx, opening};
use super::keys;
use crate::diag::SourceFile;
use crate::json::{Kind, Value};
use crate::model::Example;
use crate::read::Obj;

impl Cx<'_> {
    pub(super) fn read_examples(&mut self, file: &SourceFile, values: &[Value]) -> Vec<Example> {
        let mut out = Vec::new();
        for v in values {
            let Some(mut o) = Obj::new(file, v, "an example", keys::EXAMPLE, &mut self.diags) else { continue };
            let name = o.req_str("name", &mut self.diags);
            let request = o.get("request");
            let response = o.get("response");
            if request.is_none() {
                self.err(file, opening(v), "missing key `request` in an example");
            }
            o.finish(&mut self.diags);
            let text = |v: &Value| file.text.get(v.span.start..v.span.end).unwrap_or_default().to_owned();
            for part in [request, response].into_iter().flatten() {
                if !matches!(part.kind, Kind::Object(_) | Kind::Null) {
                    self.err(
                        file,
                        part.span,
                        format!("an example must be a JSON object, found {}", part.kind.describe()),
                    );
                }
            }
            let (Some(name), Some(request)) = (name, request) else { continue };
            let response = response.filter(|r| !matches!(r.kind, Kind::Null)).map(text);
            out.push(Example { name: name.value, request: text(request), response });
        }
        out
    }
}
