//! One subcommand per endpoint, built at run time from the spec model: a typed flag per request
//! field (strings, integers in their type's range, booleans, enum values, JSON for objects,
//! comma-separated or repeated values for arrays), help from the spec descriptions, and the
//! request body assembled from the flags.

use clap::builder::PossibleValue;
use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};
use live_api_codegen::model::{Api, CodeEntry, Endpoint, Field, Ty, TypeId, TypeKind};
use serde_json::{Map, Value};

/// The subcommand name of an endpoint: its method with dashes (`create-room`).
pub fn command_name(e: &Endpoint) -> String {
    e.method.replace('_', "-")
}

/// Flag names the command line uses itself.
const RESERVED_FLAGS: [&str; 2] = ["json", "help"];

/// The `--long` name of a field's flag.
fn flag_name(f: &Field) -> String {
    let name = f.rust.replace('_', "-");
    if RESERVED_FLAGS.contains(&name.as_str()) { format!("field-{name}") } else { name }
}

/// How a field's flag parses and becomes JSON.
enum Kind {
    Str,
    Bool,
    Signed,
    Unsigned,
    StrEnum,
    /// (flag value, wire value) of each variant.
    IntEnum(Vec<(String, i64)>),
    Json,
}

fn kind(api: &Api, ty: &Ty) -> Kind {
    match ty {
        Ty::String => Kind::Str,
        Ty::Bool => Kind::Bool,
        Ty::Int(t) if t.range().0 < 0 => Kind::Signed,
        Ty::Int(_) => Kind::Unsigned,
        Ty::Named(i) => match &api.type_def(*i).kind {
            TypeKind::StrEnum(_) => Kind::StrEnum,
            TypeKind::IntEnum { values, .. } => {
                Kind::IntEnum(values.iter().map(|v| (v.rust.to_ascii_lowercase(), v.value)).collect())
            }
            TypeKind::Object(_) => Kind::Json,
        },
        Ty::Array(_) => Kind::Json,
    }
}

/// The element type of an array field whose elements are flag values (not objects).
fn scalar_items<'a>(api: &Api, f: &'a Field) -> Option<&'a Ty> {
    match &f.ty {
        Ty::Array(inner) if !matches!(kind(api, inner), Kind::Json) => Some(inner),
        _ => None,
    }
}

/// One line about a type, for help texts: `string`, `u32`, `RoomInfo (JSON object)`.
fn type_text(api: &Api, ty: &Ty) -> String {
    match ty {
        Ty::String => "string".into(),
        Ty::Bool => "bool".into(),
        Ty::Int(t) => t.name().into(),
        Ty::Array(t) => format!("array of {}", type_text(api, t)),
        Ty::Named(i) => {
            let t = &api.type_def(*i);
            match &t.kind {
                TypeKind::Object(_) => format!("{} (JSON object)", t.name),
                TypeKind::StrEnum(values) => {
                    let v: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
                    format!("{}: {}", t.name, v.join(" | "))
                }
                TypeKind::IntEnum { values, .. } => {
                    let v: Vec<String> = values.iter().map(|v| format!("{} {}", v.value, v.rust)).collect();
                    format!("{}: {}", t.name, v.join(" | "))
                }
            }
        }
    }
}

fn first_sentence(text: &str) -> &str {
    let line = text.lines().next().unwrap_or_default();
    match line.find(". ") {
        Some(i) => &line[..=i],
        None => line,
    }
}

fn field_arg(api: &Api, f: &Field) -> Arg {
    let item = scalar_items(api, f);
    let ty = item.unwrap_or(&f.ty);
    let help = format!("{} [{}]", first_sentence(&f.description), field_facts(api, f));
    let long_help = object_fields(api, &f.ty).map(|fields| {
        let lines: Vec<String> = fields
            .iter()
            .map(|sub| format!("  {}: {} [{}]", sub.wire, first_sentence(&sub.description), field_facts(api, sub)))
            .collect();
        format!("{help}\n\nIts fields:\n{}", lines.join("\n"))
    });
    let mut arg = Arg::new(f.wire.clone()).long(flag_name(f)).help(help);
    if let Some(long_help) = long_help {
        arg = arg.long_help(long_help);
    }
    arg = match kind(api, ty) {
        Kind::Str => arg.value_name("STRING"),
        Kind::Bool => arg.value_name("BOOL").value_parser(value_parser!(bool)),
        Kind::Signed => {
            let (lo, hi) = ty_range(ty);
            arg.value_name(int_name(ty)).value_parser(value_parser!(i64).range(lo as i64..=hi as i64))
        }
        Kind::Unsigned => {
            let (_, hi) = ty_range(ty);
            arg.value_name(int_name(ty)).value_parser(value_parser!(u64).range(0..=hi as u64))
        }
        Kind::StrEnum | Kind::IntEnum(_) => {
            let Ty::Named(i) = ty else { unreachable!("enums are named types") };
            arg.value_name(api.type_def(*i).name.to_ascii_uppercase()).value_parser(possible_values(api, *i))
        }
        Kind::Json => arg.value_name("JSON").value_parser(parse_json),
    };
    if item.is_some() {
        arg = arg.action(ArgAction::Append).value_delimiter(',');
    }
    if f.required {
        arg = arg.required_unless_present("json");
    }
    arg
}

/// What the spec says about a field, in one line: wire name, type, presence, limits, default.
fn field_facts(api: &Api, f: &Field) -> String {
    let mut facts = vec![format!("wire {}", f.wire), type_text(api, &f.ty)];
    if f.required {
        facts.push("required".into());
    }
    facts.extend(f.limits.describe());
    if let Some(d) = &f.default {
        facts.push(format!("server default {d}"));
    }
    facts.join("; ").replace('`', "")
}

/// The fields of an object type (or of the objects of an array), for the long help.
fn object_fields<'a>(api: &'a Api, ty: &Ty) -> Option<&'a [Field]> {
    match ty {
        Ty::Array(inner) => object_fields(api, inner),
        Ty::Named(i) => match &api.type_def(*i).kind {
            TypeKind::Object(fields) => Some(fields),
            _ => None,
        },
        _ => None,
    }
}

fn ty_range(ty: &Ty) -> (i128, i128) {
    match ty {
        Ty::Int(t) => t.range(),
        _ => (0, 0),
    }
}

fn int_name(ty: &Ty) -> String {
    match ty {
        Ty::Int(t) => t.name().to_ascii_uppercase(),
        _ => "INT".into(),
    }
}

fn possible_values(api: &Api, i: TypeId) -> clap::builder::PossibleValuesParser {
    let values: Vec<PossibleValue> = match &api.type_def(i).kind {
        TypeKind::StrEnum(values) => values
            .iter()
            .map(|v| PossibleValue::new(v.value.clone()).help(first_sentence(&v.description).to_owned()))
            .collect(),
        TypeKind::IntEnum { values, .. } => values
            .iter()
            .map(|v| {
                PossibleValue::new(v.rust.to_ascii_lowercase()).alias(v.value.to_string()).help(format!(
                    "{} ({})",
                    first_sentence(&v.description),
                    v.value
                ))
            })
            .collect(),
        TypeKind::Object(_) => Vec::new(),
    };
    clap::builder::PossibleValuesParser::new(values)
}

fn parse_json(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))
}

/// The subcommand of endpoint `e`.
pub fn endpoint_command(api: &Api, e: &Endpoint) -> Command {
    let example = e.examples.first().map(|x| {
        let compact = serde_json::from_str::<Value>(&x.request).map(|v| v.to_string()).unwrap_or_default();
        format!("Example, the {}:\n  live-api call {}/{} --data '{compact}'", x.name, e.service, e.command)
    });
    let name = command_name(e);
    // The method name is an alias unless it is the command's name already (one word: `kick`).
    let method_alias = (e.method != name).then(|| e.method.clone());
    let mut cmd = Command::new(name)
        .about(e.title.clone())
        .long_about(format!("{}.\n\n{}\n\n{}", e.title, e.description, facts(api, e)))
        .after_long_help(example.unwrap_or_default())
        .aliases(method_alias)
        .alias(format!("{}/{}", e.service, e.command))
        .arg(
            Arg::new("json")
                .long("json")
                .value_name("JSON")
                .help("The request body as JSON (@FILE reads a file, - reads stdin); flags set or replace its fields"),
        );
    for f in &e.request {
        cmd = cmd.arg(field_arg(api, f));
    }
    cmd
}

/// The quota group of an endpoint that shares its rate limit with others (`None` when the
/// endpoint has a budget of its own).
pub fn shared_quota(e: &Endpoint) -> Option<&str> {
    Some(e.rate.quota_group.as_str()).filter(|g| *g != format!("{}/{}", e.service, e.command))
}

/// The endpoint's path, rate limit, idempotency, documentation and error codes.
fn facts(api: &Api, e: &Endpoint) -> String {
    let group = shared_quota(e).map(|g| format!(", shared by quota group {g}")).unwrap_or_default();
    let mut codes = Vec::new();
    let mut nested = Vec::new();
    for entry in &e.errors {
        match entry {
            CodeEntry::Code(c) => codes.push((c.code, c.rust.clone())),
            CodeEntry::Table(i) => match &api.table(*i).as_enum {
                Some(t) => nested.push(format!(
                    "{} ({} codes, e.g. 60004 for a bad ticket)",
                    t.rust,
                    api.table(*i).codes.len()
                )),
                None => codes.extend(api.table(*i).codes.iter().map(|c| (c.code, c.rust.clone()))),
            },
        }
    }
    codes.sort();
    let codes: Vec<String> = codes.iter().map(|(c, n)| format!("{c} {n}")).collect();
    let mut text = format!(
        "POST {}; {} calls per second per SDKAppID{group}{}.\nDocumentation: {}",
        e.path(),
        e.rate.calls_per_second,
        if e.idempotent { "; idempotent" } else { "" },
        e.doc_url
    );
    if !codes.is_empty() {
        text.push_str(&format!("\nError codes: {}", codes.join(", ")));
    }
    if !nested.is_empty() {
        text.push_str(&format!("; and the REST-wide {}", nested.join(", ")));
    }
    text
}

/// Reads a `--json`/`--data` argument: JSON text, `@FILE`, or `-` for stdin.
pub fn read_body(arg: &str) -> Result<Value, String> {
    let text = if arg == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|e| format!("cannot read the body from stdin: {e}"))?
    } else if let Some(path) = arg.strip_prefix('@') {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read the body from {path}: {e}"))?
    } else {
        arg.to_owned()
    };
    serde_json::from_str(&text).map_err(|e| format!("the body is not JSON: {e}"))
}

/// The request body of endpoint `e` from its subcommand's matches: `--json`, then every flag given.
pub fn body(api: &Api, e: &Endpoint, m: &ArgMatches) -> Result<Value, String> {
    let mut body = match m.get_one::<String>("json") {
        Some(arg) => read_body(arg)?,
        None => Value::Object(Map::new()),
    };
    let Some(object) = body.as_object_mut() else {
        return Err("the body given with --json is not a JSON object".into());
    };
    for f in &e.request {
        let value = match scalar_items(api, f) {
            Some(item) => {
                let Some(values) = values(api, item, m, &f.wire) else { continue };
                // `--keys ''` is how an empty list of strings is written.
                Value::Array(values.into_iter().filter(|v| v.as_str() != Some("")).collect())
            }
            None => match values(api, &f.ty, m, &f.wire).and_then(|v| v.into_iter().next()) {
                Some(v) => v,
                None => continue,
            },
        };
        object.insert(f.wire.clone(), value);
    }
    Ok(body)
}

/// The JSON values given for the flag `id` of type `ty`, or `None` when it was not given.
fn values(api: &Api, ty: &Ty, m: &ArgMatches, id: &str) -> Option<Vec<Value>> {
    fn all<T: Clone + Send + Sync + 'static>(m: &ArgMatches, id: &str, f: impl Fn(&T) -> Value) -> Option<Vec<Value>> {
        m.get_many::<T>(id).map(|v| v.map(f).collect())
    }
    match kind(api, ty) {
        Kind::Str | Kind::StrEnum => all::<String>(m, id, |s| Value::from(s.clone())),
        Kind::Bool => all::<bool>(m, id, |b| Value::from(*b)),
        Kind::Signed => all::<i64>(m, id, |n| Value::from(*n)),
        Kind::Unsigned => all::<u64>(m, id, |n| Value::from(*n)),
        Kind::IntEnum(variants) => all::<String>(m, id, |s| {
            let wire = variants.iter().find(|(name, _)| name == s).map(|(_, v)| *v);
            wire.map_or_else(|| Value::from(s.clone()), Value::from)
        }),
        Kind::Json => all::<Value>(m, id, Value::clone),
    }
}
