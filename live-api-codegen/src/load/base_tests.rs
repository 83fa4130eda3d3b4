//! A folder read on top of a base: it names the base's shared types and tables, and every name
//! it would take from the base is reported where the folder writes it.

use super::Base;
use super::tests::{ENDPOINT, MODE, check_on};
use crate::model::{Api, CodeEntry, Origin, Ty};

/// The base: `svc/do_it.json` (with the inline object `DoItFrame`), the shared type `Mode` and
/// the tables `common` (an enum of its own) and `flat`.
fn base() -> Api {
    let ep = ENDPOINT
        .replace(
            r#"{ "wire": "Owner_Account", "type": "string", "description": "O" }"#,
            r#"{ "wire": "Frame", "type": "object", "fields": [], "description": "B" }"#,
        )
        .replace(r#""errors": ["#, r#""error_tables": ["common", "flat"], "errors": ["#);
    let common = r#"{ "table": "common", "description": "c", "as_enum": { "rust": "CommonCode", "variant": "Common" },
  "codes": [ { "code": 1, "rust": "A", "retry": "transient", "description": "a" } ] }"#;
    let flat = r#"{ "table": "flat", "description": "f",
  "codes": [ { "code": 2, "rust": "B", "retry": "permanent", "description": "b" } ] }"#;
    let files = [
        ("svc/do_it.json", ep.as_str()),
        ("types/Mode.json", MODE),
        ("errors/common.json", common),
        ("errors/flat.json", flat),
    ];
    check_on(&files, None).unwrap_or_else(|e| panic!("the base checks: {e:#?}"))
}

/// An endpoint `ext/<command>.json` whose request is the one `field`, in the quota group `g` at
/// `rate` calls per second; `extra` goes after `"command"` (a `rust_name`, say).
fn endpoint(command: &str, extra: &str, field: &str, rate: u32) -> String {
    format!(
        r#"{{
  "service": "ext", "command": "{command}",{extra} "title": "T", "description": "D", "doc_url": "u",
  "rate_limit": {{ "calls_per_second": {rate}, "quota_group": "g" }},
  "request": [ {field} ],
  "error_tables": ["common", "flat"]
}}"#
    )
}

/// A field `Mode` of type `ty`.
fn field(ty: &str) -> String {
    format!(r#"{{ "wire": "Mode", "type": "{ty}", "description": "M" }}"#)
}

/// A field `Frame`, an inline object named `name`.
fn inline(name: &str) -> String {
    format!(r#"{{ "wire": "Frame", "type": "object", "type_name": "{name}", "fields": [], "description": "B" }}"#)
}

fn on_base(files: &[(&str, &str)]) -> Result<Api, Vec<String>> {
    let base = base();
    check_on(files, Some(&Base { api: &base, crate_name: "live-api" }))
}

#[test]
fn a_folder_names_the_types_and_tables_of_its_base() {
    let base = base();
    let ep = endpoint("make", "", &field("Mode"), 20);
    let box_ep = endpoint("boxed", "", &inline("BoxedBox"), 20);
    let files = [("ext/make.json", ep.as_str()), ("ext/boxed.json", box_ep.as_str())];
    let api = check_on(&files, Some(&Base { api: &base, crate_name: "live-api" })).unwrap_or_else(|e| panic!("{e:#?}"));
    // The base's types and tables come first, unchanged but for their origin; ids agree.
    assert_eq!(api.types.len(), base.types.len() + 1);
    for (copy, original) in api.types.iter().zip(&base.types) {
        assert_eq!((copy.name.as_str(), copy.origin), (original.name.as_str(), Origin::Base));
    }
    let names: Vec<&str> = api.local_types().map(|(_, t)| t.name.as_str()).collect();
    assert_eq!(names, ["BoxedBox"]);
    assert_eq!(api.local_tables().count(), 0);
    assert!(api.tables.iter().all(|t| t.origin == Origin::Base) && api.tables.len() == base.tables.len());
    // Only the folder's own endpoints.
    let eps: Vec<&str> = api.endpoints.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(eps, ["ext/boxed.json", "ext/make.json"]);
    let make = &api.endpoints[1];
    let Ty::Named(mode) = make.request[0].ty else { panic!("{:?}", make.request[0].ty) };
    assert_eq!((api.type_def(mode).name.as_str(), base.type_def(mode).name.as_str()), ("Mode", "Mode"));
    let CodeEntry::Table(common) = &make.errors[0] else { panic!("{:?}", make.errors) };
    assert_eq!((api.table(*common).name.as_str(), base.table(*common).name.as_str()), ("common", "common"));
    assert!(matches!(&make.errors[1], CodeEntry::Code(c) if c.rust == "B"));
}

#[test]
fn every_name_taken_from_the_base_is_reported_where_it_is_written() {
    let mode = field("Mode");
    let same_endpoint = endpoint("do_it", "", &mode, 20);
    let same_method = endpoint("again", r#" "rust_name": "DOIt","#, &mode, 20);
    let wrap = endpoint("wrap", "", &inline("DoItFrame"), 20);
    let slower = endpoint("slow", "", &mode, 5);
    let response_type = MODE.replace(r#""name": "Mode""#, r#""name": "DoItResponse""#);
    let table = r#"{ "table": "other", "description": "o", "as_enum": { "rust": "CommonCode", "variant": "Other" },
  "codes": [ { "code": 3, "rust": "C", "retry": "transient", "description": "c" } ] }"#;
    let same_table = r#"{ "table": "common", "description": "c",
  "codes": [ { "code": 4, "rust": "D", "retry": "transient", "description": "d" } ] }"#;
    let files = [
        ("ext/again.json", same_method.as_str()),
        ("ext/do_it.json", same_endpoint.as_str()),
        ("ext/slow.json", slower.as_str()),
        ("ext/wrap.json", wrap.as_str()),
        ("types/Mode.json", MODE),
        ("types/DoItResponse.json", response_type.as_str()),
        ("errors/other.json", table),
        ("errors/common.json", same_table),
    ];
    let errors = on_base(&files).err().unwrap_or_default();
    assert_eq!(
        errors,
        [
            "types/Mode.json:1:11: the generated name `Mode` is already used by live-api's type types/Mode.json",
            "types/DoItResponse.json:1:11: the generated name `DoItResponse` is already used by live-api's endpoint svc/do_it.json",
            "errors/common.json:1:12: duplicate error table `common` (also live-api's errors/common.json)",
            "errors/other.json:1:12: the enum name `CommonCode` is already used by live-api's error table errors/common.json",
            "ext/again.json:2:54: the method `do_it` is already a method of live_api::Client (endpoint svc/do_it.json)",
            "ext/do_it.json:2:32: the generated name `DoIt` is already used by live-api's endpoint svc/do_it.json",
            "ext/do_it.json:2:32: the generated name `DoItResponse` is already used by live-api's endpoint svc/do_it.json",
            "ext/do_it.json:2:32: the generated name `DoItCode` is already used by live-api's endpoint svc/do_it.json",
            "ext/do_it.json:2:32: the method `do_it` is already a method of live_api::Client (endpoint svc/do_it.json)",
            "ext/slow.json:3:3: quota group `g` is limited to 20 calls per second by live-api's endpoint svc/do_it.json; every endpoint of a group must state the same rate",
            "ext/wrap.json:4:66: the generated name `DoItFrame` is already used by live-api's inline object of svc/do_it.json",
        ]
    );
}

#[test]
fn an_unknown_type_hints_a_name_of_the_base() {
    let typo = endpoint("make", "", &field("Mdoe"), 20);
    let peek = endpoint("peek", "", &field("DoItFrame"), 20);
    let errors = on_base(&[("ext/make.json", &typo), ("ext/peek.json", &peek)]).err().unwrap_or_default();
    assert_eq!(
        errors,
        [
            "ext/make.json:4:42: unknown type `Mdoe` (did you mean `Mode`?)",
            "ext/peek.json:4:42: `DoItFrame` is an inline object of live-api's svc/do_it.json; only its shared types can be named",
        ]
    );
}
