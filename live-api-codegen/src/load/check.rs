//! The checks that span specs, a pass of their own beside the readers: every Rust name the
//! folder generates (shared types, table enums, endpoint types, callback types, inline objects,
//! client methods) is generated once, every quota group has one rate, and a folder read on a [`Base`] takes none
//! of the base's names and keeps the rates of its quota groups.

use std::collections::{BTreeMap, HashMap};

use super::Base;
use crate::diag::{Diagnostics, SourceFile};
use crate::json::Span;
use crate::model::{Callback, Endpoint, ErrorTable, Origin, TypeDef};

/// Where an endpoint names itself and states its rate, for the checks' diagnostics.
pub(super) struct EndpointSpans {
    /// The `rust_name` (or, without one, the `command`).
    pub(super) name: Span,
    /// The `rate_limit` key.
    pub(super) rate: Span,
}

/// What the base already generates.
#[derive(Debug)]
pub(super) struct BaseNames {
    /// The crate that renders the base (`live-api`).
    pub(super) crate_name: String,
    /// Every generated name of the base, with what generates it
    /// (`live-api's endpoint live_engine_http_srv/create_room.json`).
    owners: HashMap<String, String>,
    /// Every client method of the base, with the file of its endpoint.
    methods: HashMap<String, String>,
    /// The base's client type (`live_api::Client`).
    client: String,
    /// The rate of each quota group of the base, with the file of an endpoint stating it.
    quota: HashMap<String, (f64, String)>,
}

impl BaseNames {
    pub(super) fn new(base: &Base<'_>) -> Self {
        let api = base.api;
        let of = |what: String| format!("{}'s {what}", base.crate_name);
        let mut owners = HashMap::new();
        for t in &api.types {
            let what = if t.shared { "type" } else { "inline object of" };
            owners.insert(t.name.clone(), of(format!("{what} {}", t.file)));
        }
        for t in &api.tables {
            if let Some(e) = &t.as_enum {
                owners.insert(e.rust.clone(), of(format!("error table errors/{}.json", t.name)));
            }
        }
        let mut methods = HashMap::new();
        let mut quota = HashMap::new();
        for e in &api.endpoints {
            for generated in [e.rust_name.clone(), e.response_name(), e.code_name()] {
                owners.insert(generated, of(format!("endpoint {}", e.file)));
            }
            methods.insert(e.method.clone(), e.file.clone());
            quota.entry(e.rate.quota_group.clone()).or_insert((e.rate.calls_per_second, e.file.clone()));
        }
        for c in &api.callbacks {
            for generated in c.generated_names() {
                owners.insert(generated, of(format!("callback {}", c.file)));
            }
        }
        let client = format!("{}::Client", base.crate_name.replace('-', "_"));
        BaseNames { crate_name: base.crate_name.to_owned(), owners, methods, client, quota }
    }

    /// What in the base generates `name`, if anything.
    pub(super) fn owner(&self, name: &str) -> Option<&str> {
        self.owners.get(name).map(String::as_str)
    }
}

/// The names the folder generated so far, and the rates of its quota groups.
pub(super) struct Names<'a> {
    base: Option<&'a BaseNames>,
    /// Generated name → what generates it (`type types/Mode.json`, `endpoint svc/do_it.json`).
    owners: HashMap<String, String>,
    /// Where the endpoint that generated a name names itself.
    generated_at: HashMap<String, (&'a SourceFile, Span)>,
    /// Client method → file of its endpoint.
    methods: HashMap<String, String>,
    /// Quota group → calls per second.
    quota: BTreeMap<String, f64>,
}

impl<'a> Names<'a> {
    pub(super) fn new(base: Option<&'a BaseNames>) -> Self {
        Names {
            base,
            owners: HashMap::new(),
            generated_at: HashMap::new(),
            methods: HashMap::new(),
            quota: BTreeMap::new(),
        }
    }

    /// Records the folder's shared types (the base's are checked through [`BaseNames`]).
    pub(super) fn shared_types(&mut self, types: &[TypeDef]) {
        for t in types.iter().filter(|t| t.origin == Origin::Local) {
            self.owners.insert(t.name.clone(), format!("type {}", t.file));
        }
    }

    /// Checks and records the enum of a table of the folder, named at `span` of `src`.
    pub(super) fn table_enum(&mut self, diags: &mut Diagnostics, src: &SourceFile, span: Span, table: &ErrorTable) {
        let Some(e) = &table.as_enum else { return };
        if let Some(owner) = self.base.and_then(|b| b.owner(&e.rust)) {
            diags.error(src, span, format!("the enum name `{}` is already used by {owner}", e.rust));
        }
        if let Some(other) = self.owners.insert(e.rust.clone(), format!("error table {}", src.display)) {
            diags.error(src, span, format!("the enum name `{}` is already used by {other}", e.rust));
        }
    }

    /// Checks and records the quota group, generated names and method of an endpoint.
    pub(super) fn endpoint(
        &mut self,
        diags: &mut Diagnostics,
        src: &'a SourceFile,
        ep: &Endpoint,
        spans: &EndpointSpans,
    ) {
        self.quota_group(diags, src, ep, spans.rate);
        let names = [ep.rust_name.clone(), ep.response_name(), ep.code_name()];
        self.generated(diags, src, spans.name, names, format!("endpoint {}", ep.file));
        if let Some((b, file)) = self.base.and_then(|b| Some((b, b.methods.get(&ep.method)?))) {
            let msg = format!("the method `{}` is already a method of {} (endpoint {file})", ep.method, b.client);
            diags.error(src, spans.name, msg);
        } else if let Some(other) = self.methods.get(&ep.method) {
            diags.error(src, spans.name, format!("duplicate endpoint method `{}` (also {other})", ep.method));
        } else {
            self.methods.insert(ep.method.clone(), ep.file.clone());
        }
    }

    /// Checks and records the generated names of a callback, named at `span` of `src`.
    pub(super) fn callback(&mut self, diags: &mut Diagnostics, src: &'a SourceFile, cb: &Callback, span: Span) {
        self.generated(diags, src, span, cb.generated_names(), format!("callback {}", cb.file));
    }

    /// Checks and records `names`, generated by `what` (named at `span` of `src`).
    fn generated(
        &mut self,
        diags: &mut Diagnostics,
        src: &'a SourceFile,
        span: Span,
        names: impl IntoIterator<Item = String>,
        what: String,
    ) {
        for generated in names {
            if let Some(owner) = self.base.and_then(|b| b.owner(&generated)) {
                diags.error(src, span, format!("the generated name `{generated}` is already used by {owner}"));
            } else if let Some(other) = self.owners.get(&generated) {
                diags.error(src, span, format!("the generated name `{generated}` is already used by {other}"));
            }
            self.owners.insert(generated.clone(), what.clone());
            self.generated_at.insert(generated, (src, span));
        }
    }

    /// Every endpoint of a quota group states the group's rate, the base's included.
    fn quota_group(&mut self, diags: &mut Diagnostics, src: &SourceFile, ep: &Endpoint, span: Span) {
        let group = &ep.rate.quota_group;
        let same = "every endpoint of a group must state the same rate";
        if let Some((b, (rate, file))) = self.base.and_then(|b| Some((b, b.quota.get(group)?))) {
            if *rate != ep.rate.calls_per_second {
                let msg = format!(
                    "quota group `{group}` is limited to {rate} calls per second by {}'s endpoint {file}; {same}",
                    b.crate_name
                );
                diags.error(src, span, msg);
            }
        } else if let Some(&rate) = self.quota.get(group) {
            if rate != ep.rate.calls_per_second {
                let msg = format!("quota group `{group}` is limited to {rate} calls per second elsewhere; {same}");
                diags.error(src, span, msg);
            }
        } else {
            self.quota.insert(group.clone(), ep.rate.calls_per_second);
        }
    }

    /// Checks the inline objects, named while endpoints and callbacks were read, against their
    /// names.
    pub(super) fn inline_objects(&self, diags: &mut Diagnostics, inline: &[TypeDef]) {
        for t in inline {
            if let (Some(other), Some((src, span))) = (self.owners.get(&t.name), self.generated_at.get(&t.name)) {
                let msg = format!(
                    "the generated name `{}` is already used by {other} and by an inline object of {}",
                    t.name, t.file
                );
                diags.error(src, *span, msg);
            }
        }
    }
}
