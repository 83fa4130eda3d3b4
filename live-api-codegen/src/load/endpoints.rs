//! Endpoint specs, `<service>/<command>.json`: where they live, their names, rate limits,
//! fields, errors, examples and pagination.

use super::Spec;
use super::check::{EndpointSpans, Names};
use super::context::{Cx, NameKind, opening};
use super::keys;
use crate::diag::SourceFile;
use crate::json::{Kind, Value};
use crate::model::{Endpoint, ErrorTable, RateLimit};
use crate::names::{pascal_case, snake_case};
use crate::read::{Obj, Spanned};

/// Methods of `Client` (and of `AsClient`, which an extension trait requires) that an endpoint
/// method would collide with.
const RESERVED_METHODS: &[&str] =
    &["call", "pages", "builder", "new", "clone", "sdk_app_id", "admin", "base_url", "prepare", "as_client"];

impl Cx<'_> {
    /// Reads every endpoint, checking each against the names and quota groups seen before it.
    pub(super) fn read_endpoints<'a>(
        &mut self,
        specs: &'a [Spec<'a>],
        tables: &[ErrorTable],
        names: &mut Names<'a>,
    ) -> Vec<Endpoint> {
        let mut endpoints = Vec::new();
        for spec in specs {
            let Some((ep, spans)) = self.read_endpoint(spec.src, &spec.value, &spec.parts, tables) else { continue };
            names.endpoint(&mut self.diags, spec.src, &ep, &spans);
            endpoints.push(ep);
        }
        endpoints
    }

    fn read_endpoint(
        &mut self,
        file: &SourceFile,
        v: &Value,
        parts: &[String],
        tables: &[ErrorTable],
    ) -> Option<(Endpoint, EndpointSpans)> {
        let d = &mut self.diags;
        let mut o = Obj::new(file, v, "an endpoint", keys::ENDPOINT, d)?;
        let _ = o.get("$schema");
        let service = o.req_str("service", d);
        let command = o.req_str("command", d);
        let rust_name = o.opt_str("rust_name", d);
        let title = o.req_str("title", d);
        let description = o.req_str("description", d);
        let doc_url = o.req_str("doc_url", d);
        let rate_v = o.get("rate_limit");
        let rate_span = o.key_span("rate_limit");
        let idempotent = o.opt_bool("idempotent", d).is_some_and(|b| b.value);
        let request = o.req_array("request", d);
        let response_key = o.opt_str("response_key", d).map(|s| s.value);
        let response = o.opt_array("response", d).unwrap_or_default();
        let own_codes = o.opt_array("errors", d).unwrap_or_default();
        let table_refs = o.opt_str_list("error_tables", d);
        let notes = o.opt_str("notes", d).map(|s| s.value);
        let examples_v = o.opt_array("examples", d).unwrap_or_default();
        let pagination_v = o.get("pagination");
        let one_of_v = o.opt_array("one_of", d).unwrap_or_default();
        let failures_v = o.get("partial_failures");
        if rate_v.is_none() {
            self.err(file, opening(v), "missing key `rate_limit` in an endpoint");
        }
        o.finish(&mut self.diags);

        let rate = rate_v.and_then(|r| self.read_rate(file, r));
        let (service, command) = (service?, command?);
        self.check_location(file, parts, &service, &command);
        let rust_name = rust_name.unwrap_or_else(|| Spanned { value: pascal_case(&command.value), span: command.span });
        let name_ok = self.check_name(file, &rust_name, NameKind::Endpoint);
        let method = snake_case(&rust_name.value);
        if RESERVED_METHODS.contains(&method.as_str()) {
            self.err(
                file,
                rust_name.span,
                format!("the method name `{method}` is reserved by the client; set `rust_name`"),
            );
        }
        let request = self.read_fields(file, request.unwrap_or_default(), &rust_name.value);
        let response = self.read_fields(file, response, &format!("{}Response", rust_name.value));
        let errors = self.read_endpoint_errors(file, &table_refs, own_codes, tables);
        let examples = self.read_examples(file, examples_v);
        let pagination = pagination_v.and_then(|p| self.read_pagination(file, p, &request, &response));
        let one_of = self.read_one_of(file, one_of_v, &request);
        let partial_failures = failures_v.and_then(|p| self.read_partial_failures(file, p, &response));
        let (calls_per_second, group) = rate?;
        if !name_ok {
            return None;
        }
        let ep = Endpoint {
            rate: RateLimit {
                calls_per_second,
                quota_group: group.unwrap_or_else(|| format!("{}/{}", service.value, command.value)),
            },
            service: service.value,
            command: command.value,
            rust_name: rust_name.value,
            method,
            title: title.map(|t| t.value).unwrap_or_default(),
            description: description.map(|d| d.value).unwrap_or_default(),
            doc_url: doc_url.map(|d| d.value).unwrap_or_default(),
            idempotent,
            request,
            response_key,
            response,
            errors,
            notes,
            examples,
            pagination,
            one_of,
            partial_failures,
            file: parts.join("/"),
        };
        Some((ep, EndpointSpans { name: rust_name.span, rate: rate_span.unwrap_or(v.span) }))
    }

    /// `rate_limit`: calls per second (above 0) and the quota group, if named.
    fn read_rate(&mut self, file: &SourceFile, r: &Value) -> Option<(f64, Option<String>)> {
        let mut ro = Obj::new(file, r, "`rate_limit`", keys::RATE_LIMIT, &mut self.diags)?;
        let cps = ro.get("calls_per_second");
        let group = ro.opt_str("quota_group", &mut self.diags);
        if cps.is_none() {
            self.err(file, r.span, "missing key `calls_per_second` in `rate_limit`");
        }
        ro.finish(&mut self.diags);
        let cps_v = cps?;
        match &cps_v.kind {
            Kind::Number(n) if n.as_f64().is_some_and(|f| f > 0.0 && f.is_finite()) => {
                Some((n.as_f64().unwrap_or(1.0), group.map(|g| g.value)))
            }
            _ => {
                self.err(file, cps_v.span, "`calls_per_second` must be a number above 0 (0.1 = one call per 10 s)");
                None
            }
        }
    }

    /// An endpoint lives in `<service>/<command>.json`, both valid path segments.
    fn check_location(
        &mut self,
        file: &SourceFile,
        parts: &[String],
        service: &Spanned<String>,
        command: &Spanned<String>,
    ) {
        if parts.len() != 2 || parts[0] != service.value || parts[1] != format!("{}.json", command.value) {
            self.err(
                file,
                command.span,
                format!(
                    "endpoint {}/{} must live in {}/{}.json",
                    service.value, command.value, service.value, command.value
                ),
            );
        }
        for s in [service, command] {
            if s.value.is_empty() || !s.value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                self.err(
                    file,
                    s.span,
                    format!("`{}` is not a valid path segment (ASCII letters, digits, `_`)", s.value),
                );
            }
        }
    }
}
