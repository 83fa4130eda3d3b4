//! The readers and checks of one folder, each problem with its position.

use std::path::Path;

use super::*;
use crate::model::*;

const ROOT: &str = "/specs";

/// Checks `files` (path below the folder, text) on top of `base`; the problems as
/// `file:line:column: message`.
pub(super) fn check_on(files: &[(&str, &str)], base: Option<&Base<'_>>) -> Result<Api, Vec<String>> {
    let sources: Vec<SourceFile> =
        files.iter().map(|(p, t)| SourceFile::new(Path::new(ROOT).join(p), (*p).to_owned(), (*t).to_owned())).collect();
    check_sources(Path::new(ROOT), &sources, base).map_err(|d| {
        d.into_vec().iter().map(|d| format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message)).collect()
    })
}

/// The problems of `files` (none when they check).
fn check(files: &[(&str, &str)]) -> Vec<String> {
    check_on(files, None).err().unwrap_or_default()
}

pub(super) const ENDPOINT: &str = r#"{
  "service": "svc", "command": "do_it", "title": "T", "description": "D", "doc_url": "u",
  "rate_limit": { "calls_per_second": 20, "quota_group": "g" },
  "request": [
    { "wire": "RoomId", "type": "string", "required": true, "max_bytes": 48, "description": "R" },
    { "wire": "Owner_Account", "type": "string", "description": "O" },
    { "wire": "List", "type": "array", "items": { "type": "u8", "max": 9 }, "max_items": 3, "description": "L" },
    { "wire": "Mode", "type": "Mode", "default": 1000, "description": "M" }
  ],
  "errors": [ { "code": 100004, "rust": "RoomNotFound", "retry": "permanent", "description": "x" } ]
}"#;
pub(super) const MODE: &str = r#"{ "name": "Mode", "kind": "int_enum", "repr": "u32", "description": "M",
  "values": [ { "value": 0, "rust": "Grid", "description": "g" }, { "value": 1000, "rust": "Custom", "description": "c" } ] }"#;

#[test]
fn builds_the_model_of_a_valid_folder() {
    let api = check_on(&[("svc/do_it.json", ENDPOINT), ("types/Mode.json", MODE)], None).unwrap();
    let e = &api.endpoints[0];
    assert_eq!((e.rust_name.as_str(), e.method.as_str(), e.path()), ("DoIt", "do_it", "/v4/svc/do_it".into()));
    assert_eq!(e.rate, RateLimit { calls_per_second: 20.0, quota_group: "g".into() });
    let names: Vec<&str> = e.request.iter().map(|f| f.rust.as_str()).collect();
    assert_eq!(names, ["room_id", "owner_account", "list", "mode"]);
    assert_eq!(e.request[0].limits.max_bytes, Some(48));
    assert!(e.request[0].required && !e.request[1].required);
    assert_eq!(e.request[2].ty, Ty::Array(Box::new(Ty::Int(IntTy::U8))));
    assert_eq!((e.request[2].limits.max, e.request[2].limits.max_items), (Some(9), Some(3)));
    assert_eq!(e.request[3].default.as_deref(), Some("1000"));
    assert!(matches!(&e.errors[0], CodeEntry::Code(c) if c.code == 100004 && c.retry == Retry::Permanent));
}

#[test]
fn reports_every_problem_with_its_position() {
    let bad = ENDPOINT
        .replace(r#""type": "Mode""#, r#""type": "Mdoe""#)
        .replace(r#""max_items": 3"#, r#""max_items": 3, "min_items": 4"#)
        .replace(r#""doc_url": "u","#, r#""doc_url": "u", "titel": 1,"#);
    let errors =
        check(&[("svc/do_it.json", &bad), ("types/Mode.json", MODE), ("svc/broken.json", "{\n  \"a\": 1,\n}")]);
    assert_eq!(
        errors,
        [
            "svc/broken.json:3:1: malformed JSON: trailing comma before `}` (JSON does not allow it)",
            "svc/do_it.json:2:91: unknown key `titel` in an endpoint (did you mean `title`?)",
            "svc/do_it.json:7:90: contradictory limits: max_items 3 is below min_items 4",
            "svc/do_it.json:8:31: unknown type `Mdoe` (did you mean `Mode`?)",
        ]
    );
}

#[test]
fn checks_defaults_names_locations_and_duplicates() {
    let ep = ENDPOINT
        .replace(r#""default": 1000"#, r#""default": 7"#)
        .replace(r#""command": "do_it""#, r#""command": "do_it", "rust_name": "doIt""#);
    let table = r#"{ "table": "common", "description": "d", "codes": [
            { "code": 1, "rust": "A", "retry": "transient", "description": "a" },
            { "code": 1, "rust": "B", "retry": "transient", "description": "b" } ] }"#;
    let errors = check(&[("svc/do_it.json", &ep), ("types/Mode.json", MODE), ("errors/other.json", table)]);
    let text = errors.join("\n");
    assert!(text.contains("endpoint name `doIt` should be written `DoIt`"), "{text}");
    assert!(text.contains("the default 7 is not a value of `Mode`"), "{text}");
    assert!(text.contains("error table `common` must live in errors/common.json"), "{text}");
    assert!(text.contains("duplicate error code 1"), "{text}");
}

#[test]
fn inline_objects_cannot_take_generated_names_or_be_shared() {
    let a = ENDPOINT.replace(
            r#"{ "wire": "Owner_Account", "type": "string", "description": "O" }"#,
            r#"{ "wire": "Box", "rust": "frame", "type": "object", "type_name": "Three", "fields": [], "description": "B" }"#,
        );
    let three = ENDPOINT
        .replace(r#""command": "do_it""#, r#""command": "three""#)
        .replace(r#""type": "Mode""#, r#""type": "Three""#)
        .replace(r#""default": 1000, "#, "");
    let errors = check(&[("svc/do_it.json", &a), ("svc/three.json", &three), ("types/Mode.json", MODE)]);
    let text = errors.join("\n");
    assert!(text.contains("the generated name `Three` is already used by endpoint svc/three.json"), "{text}");
    assert!(text.contains("`Three` is an inline object of another spec"), "{text}");
    let accept_on_array = ENDPOINT.replace(r#""max_items": 3,"#, r#""max_items": 3, "accept": ["string"],"#);
    let errors = check(&[("svc/do_it.json", &accept_on_array), ("types/Mode.json", MODE)]);
    assert!(errors.join("\n").contains("cannot be decoded from a JSON string"), "{errors:?}");
}

#[test]
fn the_server_trait_name_is_reserved() {
    let renamed = ENDPOINT.replace(r#""command": "do_it""#, r#""command": "do_it", "rust_name": "Service""#);
    let errors = check(&[("svc/do_it.json", &renamed), ("types/Mode.json", MODE)]);
    let text = errors.join("\n");
    assert!(text.contains("the endpoint name `Service` is reserved for the generated server trait"), "{text}");
}

#[test]
fn secret_marks_string_fields_only() {
    let ep = ENDPOINT
        .replace(r#""type": "string", "description": "O""#, r#""type": "string", "secret": true, "description": "O""#);
    let api = check_on(&[("svc/do_it.json", &ep), ("types/Mode.json", MODE)], None).unwrap();
    let secret: Vec<bool> = api.endpoints[0].request.iter().map(|f| f.secret).collect();
    assert_eq!(secret, [false, true, false, false]);
    assert!(api.holds_secret(&api.endpoints[0].request));
    assert!(!api.holds_secret(&api.endpoints[0].request[2..]));

    let on_array = ENDPOINT.replace(r#""max_items": 3,"#, r#""max_items": 3, "secret": true,"#);
    let with_allowed = ep.replace(r#""secret": true,"#, r#""secret": true, "allowed": ["a"],"#);
    let with_accept = ep.replace(r#""secret": true,"#, r#""secret": true, "accept": ["number"],"#);
    let not_bool = ep.replace(r#""secret": true"#, r#""secret": "yes""#);
    let mut errors = Vec::new();
    for spec in [&on_array, &with_allowed, &with_accept, &not_bool] {
        errors.extend(check(&[("svc/do_it.json", spec), ("types/Mode.json", MODE)]));
    }
    assert_eq!(
        errors,
        [
            "svc/do_it.json:7:103: `secret` only applies to string fields",
            "svc/do_it.json:6:66: a `secret` field takes neither `allowed` nor `accept`",
            "svc/do_it.json:6:66: a `secret` field takes neither `allowed` nor `accept`",
            "svc/do_it.json:6:60: `secret` must be true or false, found a string",
        ]
    );
}

#[test]
fn never_panics_on_mangled_specs() {
    mangle(ENDPOINT, 3000, |text| {
        let _ = check(&[("svc/do_it.json", text), ("types/Mode.json", MODE)]);
    });
}

/// Calls `check` with `rounds` mangled copies of `spec`: characters removed, JSON pieces inserted,
/// the text cut short.
pub(super) fn mangle(spec: &str, rounds: usize, mut check: impl FnMut(&str)) {
    // Deterministic xorshift so failures reproduce.
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let pieces = ["{", "}", "[", "]", ",", ":", "\"", "\\u", "é", "0", "-1e999", "null", "\"type\"", "\"array\"", "\n"];
    for _ in 0..rounds {
        let mut text: Vec<char> = spec.chars().collect();
        for _ in 0..(next() % 6 + 1) {
            let at = (next() as usize) % (text.len() + 1);
            match next() % 3 {
                0 if at < text.len() => {
                    text.remove(at);
                }
                1 => {
                    let p = pieces[(next() as usize) % pieces.len()];
                    for (k, c) in p.chars().enumerate() {
                        text.insert(at + k, c);
                    }
                }
                _ => {
                    let cut = (next() as usize) % (text.len() + 1);
                    text.truncate(cut);
                }
            }
        }
        let text: String = text.into_iter().collect();
        check(&text);
    }
}
