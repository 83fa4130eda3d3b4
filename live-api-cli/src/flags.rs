//! One subcommand per endpoint, built at run time from what the macro recorded of its spec
//! (`live_api::describe`): a typed flag per request field (strings, integers in their type's
//! range, booleans, enum values, JSON for objects, comma-separated or repeated values for arrays),
//! help from the spec descriptions, and the request body assembled from the flags.

use clap::builder::PossibleValue;
use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};
use live_api::EndpointMeta;
use live_api::describe::{FieldInfo, TypeInfo, TypeKind, ValueType, Variant};
use serde_json::{Map, Value};

use crate::invoke::Entry;

/// The subcommand name of an endpoint: its method with dashes (`create-room`).
pub fn command_name(e: &Entry) -> String {
    e.info.method.replace('_', "-")
}

/// Flag names the command line uses itself.
const RESERVED_FLAGS: [&str; 2] = ["json", "help"];

/// The `--long` name of a field's flag.
fn flag_name(f: &FieldInfo) -> String {
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

fn kind(ty: &ValueType) -> Kind {
    match ty {
        ValueType::Str => Kind::Str,
        ValueType::Bool => Kind::Bool,
        ValueType::Int { min, .. } if *min < 0 => Kind::Signed,
        ValueType::Int { .. } => Kind::Unsigned,
        ValueType::Named(t) => match t.kind {
            TypeKind::StrEnum(_) => Kind::StrEnum,
            TypeKind::IntEnum(values) => {
                Kind::IntEnum(values.iter().map(|v| (v.rust.to_ascii_lowercase(), v.value)).collect())
            }
            TypeKind::Object(_) => Kind::Json,
        },
        // `7` or `"text"`: the value is taken as JSON.
        ValueType::Array(_) | ValueType::IntOrStr => Kind::Json,
    }
}

/// The element type of an array field whose elements are flag values (not objects).
fn scalar_items(f: &FieldInfo) -> Option<&'static ValueType> {
    match f.ty {
        ValueType::Array(inner) if !matches!(kind(inner), Kind::Json) => Some(inner),
        _ => None,
    }
}

/// One line about a type, for help texts: `string`, `u32`, `RoomInfo (JSON object)`.
fn type_text(ty: &ValueType) -> String {
    match ty {
        ValueType::Str => "string".into(),
        ValueType::Bool => "bool".into(),
        ValueType::IntOrStr => "integer or string (JSON)".into(),
        ValueType::Int { name, .. } => (*name).into(),
        ValueType::Array(t) => format!("array of {}", type_text(t)),
        ValueType::Named(t) => match t.kind {
            TypeKind::Object(_) => format!("{} (JSON object)", t.name),
            TypeKind::StrEnum(values) => {
                let v: Vec<String> = values
                    .iter()
                    .map(|v| if v.prefix { format!("{}*", v.value) } else { v.value.to_owned() })
                    .collect();
                format!("{}: {}", t.name, v.join(" | "))
            }
            TypeKind::IntEnum(values) => {
                let v: Vec<String> = values.iter().map(|v| format!("{} {}", v.value, v.rust)).collect();
                format!("{}: {}", t.name, v.join(" | "))
            }
        },
    }
}

fn first_sentence(text: &str) -> &str {
    let line = text.lines().next().unwrap_or_default();
    match line.find(". ") {
        Some(i) => &line[..=i],
        None => line,
    }
}

fn field_arg(f: &FieldInfo) -> Arg {
    let item = scalar_items(f);
    let ty = item.unwrap_or(&f.ty);
    let help = format!("{} [{}]", first_sentence(f.description), field_facts(f));
    let long_help = object_fields(&f.ty).map(|fields| {
        let lines: Vec<String> = fields
            .iter()
            .map(|sub| format!("  {}: {} [{}]", sub.wire, first_sentence(sub.description), field_facts(sub)))
            .collect();
        format!("{help}\n\nIts fields:\n{}", lines.join("\n"))
    });
    let mut arg = Arg::new(f.wire).long(flag_name(f)).help(help);
    if let Some(long_help) = long_help {
        arg = arg.long_help(long_help);
    }
    arg = match (kind(ty), ty) {
        (Kind::Str, _) => arg.value_name("STRING"),
        (Kind::Bool, _) => arg.value_name("BOOL").value_parser(value_parser!(bool)),
        (Kind::Signed, ValueType::Int { name, min, max }) => arg
            .value_name(name.to_ascii_uppercase())
            .value_parser(value_parser!(i64).range(*min..=i64::try_from(*max).unwrap_or(i64::MAX))),
        (Kind::Unsigned, ValueType::Int { name, max, .. }) => {
            arg.value_name(name.to_ascii_uppercase()).value_parser(value_parser!(u64).range(0..=*max))
        }
        (Kind::StrEnum, ValueType::Named(TypeInfo { kind: TypeKind::StrEnum(values), name }))
            if values.iter().any(|v| v.prefix) =>
        {
            arg.value_name(name.to_ascii_uppercase()).value_parser(family_values(values))
        }
        (Kind::StrEnum | Kind::IntEnum(_), ValueType::Named(t)) => {
            arg.value_name(t.name.to_ascii_uppercase()).value_parser(possible_values(&t.kind))
        }
        (Kind::Json, _) => arg.value_name("JSON").value_parser(parse_json),
        _ => unreachable!("integer and enum kinds come from integer and named types"),
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
fn field_facts(f: &FieldInfo) -> String {
    let ty = if f.secret { "secret string".into() } else { type_text(&f.ty) };
    let mut facts = vec![format!("wire {}", f.wire), ty];
    if f.required {
        facts.push("required".into());
    }
    facts.extend(f.limits.iter().map(|l| (*l).to_owned()));
    if let Some(d) = f.default {
        facts.push(format!("server default {d}"));
    }
    facts.join("; ").replace('`', "")
}

/// The fields of an object type (or of the objects of an array), for the long help.
fn object_fields(ty: &ValueType) -> Option<&'static [FieldInfo]> {
    match ty {
        ValueType::Array(inner) => object_fields(inner),
        ValueType::Named(t) => match t.kind {
            TypeKind::Object(fields) => Some(fields),
            _ => None,
        },
        _ => None,
    }
}

fn possible_values(kind: &TypeKind) -> clap::builder::PossibleValuesParser {
    let values: Vec<PossibleValue> = match kind {
        TypeKind::StrEnum(values) => {
            values.iter().map(|v| PossibleValue::new(v.value).help(first_sentence(v.description).to_owned())).collect()
        }
        TypeKind::IntEnum(values) => values
            .iter()
            .map(|v| {
                PossibleValue::new(v.rust.to_ascii_lowercase()).alias(v.value.to_string()).help(format!(
                    "{} ({})",
                    first_sentence(v.description),
                    v.value
                ))
            })
            .collect(),
        TypeKind::Object(_) => Vec::new(),
    };
    clap::builder::PossibleValuesParser::new(values)
}

/// A string enum with value families: a listed value, or any string starting with a family's
/// prefix.
fn family_values(values: &'static [Variant<&'static str>]) -> impl Fn(&str) -> Result<String, String> + Clone {
    move |text: &str| {
        let ok = values.iter().any(|v| if v.prefix { text.starts_with(v.value) } else { text == v.value });
        if ok {
            return Ok(text.to_owned());
        }
        let shown: Vec<String> =
            values.iter().map(|v| if v.prefix { format!("{}*", v.value) } else { v.value.to_owned() }).collect();
        Err(format!("expected one of {}", shown.join(", ")))
    }
}

fn parse_json(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))
}

/// The subcommand of endpoint `e`.
pub fn endpoint_command(e: &Entry) -> Command {
    let (info, name) = (e.info, e.name());
    let example = info.example.map(|x| {
        let compact = serde_json::from_str::<Value>(x.request).map(|v| v.to_string()).unwrap_or_default();
        format!("Example, the {}:\n  live-api call {name} --data '{compact}'", x.name)
    });
    let command = command_name(e);
    // The method name is an alias unless it is the command's name already (one word: `kick`).
    let method_alias = (info.method != command).then_some(info.method);
    let mut cmd = Command::new(command)
        .about(info.title)
        .long_about(format!("{}.\n\n{}\n\n{}", info.title, info.description, facts(e)))
        .after_long_help(example.unwrap_or_default())
        .aliases(method_alias)
        .alias(name)
        .arg(
            Arg::new("json")
                .long("json")
                .value_name("JSON")
                .help("The request body as JSON (@FILE reads a file, - reads stdin); flags set or replace its fields"),
        );
    for f in info.request {
        cmd = cmd.arg(field_arg(f));
    }
    cmd
}

/// The quota group of an endpoint that shares its rate limit with others (`None` when the
/// endpoint has a budget of its own).
pub fn shared_quota(meta: &EndpointMeta) -> Option<&'static str> {
    Some(meta.quota_group).filter(|g| *g != meta.name())
}

/// The endpoint's path, rate limit, idempotency, documentation and error codes.
fn facts(e: &Entry) -> String {
    let group = shared_quota(&e.meta).map(|g| format!(", shared by quota group {g}")).unwrap_or_default();
    let mut codes: Vec<(i64, &str)> = e.codes.iter().map(|c| (c.code, c.name)).collect();
    codes.sort();
    let codes: Vec<String> = codes.iter().map(|(c, n)| format!("{c} {n}")).collect();
    let nested: Vec<String> = e
        .info
        .wrapped_codes
        .iter()
        .map(|t| format!("{} ({} codes, e.g. 60004 for a bad ticket)", t.name, t.count))
        .collect();
    let mut text = format!(
        "POST {}; {} calls per second per SDKAppID{group}{}.\nDocumentation: {}",
        e.meta.path,
        e.meta.calls_per_second,
        if e.meta.idempotent { "; idempotent" } else { "" },
        e.info.doc_url
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
pub fn body(e: &Entry, m: &ArgMatches) -> Result<Value, String> {
    let mut body = match m.get_one::<String>("json") {
        Some(arg) => read_body(arg)?,
        None => Value::Object(Map::new()),
    };
    let Some(object) = body.as_object_mut() else {
        return Err("the body given with --json is not a JSON object".into());
    };
    for f in e.info.request {
        let value = match scalar_items(f) {
            Some(item) => {
                let Some(values) = values(item, m, f.wire) else { continue };
                // `--keys ''` is how an empty list of strings is written.
                Value::Array(values.into_iter().filter(|v| v.as_str() != Some("")).collect())
            }
            None => match values(&f.ty, m, f.wire).and_then(|v| v.into_iter().next()) {
                Some(v) => v,
                None => continue,
            },
        };
        object.insert(f.wire.to_owned(), value);
    }
    Ok(body)
}

/// The JSON values given for the flag `id` of type `ty`, or `None` when it was not given.
fn values(ty: &ValueType, m: &ArgMatches, id: &str) -> Option<Vec<Value>> {
    fn all<T: Clone + Send + Sync + 'static>(m: &ArgMatches, id: &str, f: impl Fn(&T) -> Value) -> Option<Vec<Value>> {
        m.get_many::<T>(id).map(|v| v.map(f).collect())
    }
    match kind(ty) {
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
