//! The spec keys of batch endpoints and their values: `one_of`, `partial_failures`, field
//! `aliases`, `int_or_string` and string-enum value families (`prefix`), each problem located.

use super::tests::check_on;
use crate::model::*;

const BATCH: &str = r#"{
  "service": "svc", "command": "batch", "title": "T", "description": "D", "doc_url": "u",
  "rate_limit": { "calls_per_second": 100 },
  "request": [
    { "wire": "List", "type": "array", "items": "Item", "description": "L" },
    { "wire": "Ids", "type": "array", "items": "string", "description": "I" },
    { "wire": "Who", "type": "string", "required": true, "description": "W" }
  ],
  "one_of": [["List", "Ids"]],
  "response": [
    { "wire": "Results", "type": "array", "items": "Item", "description": "R" },
    { "wire": "Failed", "type": "array", "items": "string", "description": "F" }
  ],
  "partial_failures": { "items": "Results", "code": "Code" }
}"#;
const ITEM: &str = r#"{ "name": "Item", "kind": "object", "description": "I", "fields": [
  { "wire": "Status", "type": "Tag", "aliases": ["State"], "description": "S" },
  { "wire": "Code", "type": "i64", "description": "C" },
  { "wire": "Value", "type": "int_or_string", "max_bytes": 500, "description": "V" }
] }"#;
const TAG: &str = r#"{ "name": "Tag", "kind": "string_enum", "description": "T", "values": [
  { "value": "Tag_Nick", "rust": "Nick", "description": "n" },
  { "prefix": "Tag_Custom_", "rust": "Custom", "description": "c" }
] }"#;

fn check(batch: &str, item: &str, tag: &str) -> Result<Api, Vec<String>> {
    check_on(&[("svc/batch.json", batch), ("types/Item.json", item), ("types/Tag.json", tag)], None)
}

#[test]
fn reads_one_of_partial_failures_aliases_int_or_string_and_families() {
    let api = check(BATCH, ITEM, TAG).unwrap();
    let e = &api.endpoints[0];
    assert_eq!(e.one_of, [vec![FieldId(0), FieldId(1)]]);
    assert_eq!(e.partial_failures, Some(PartialFailures { items: FieldId(0), code: Some(("code".into(), false)) }));
    let item = api.types.iter().find(|t| t.name == "Item").unwrap();
    let TypeKind::Object(fields) = &item.kind else { panic!() };
    assert_eq!(fields[0].aliases, ["State"]);
    assert_eq!((fields[2].ty.clone(), fields[2].limits.max_bytes), (Ty::IntOrString, Some(500)));
    let tag = api.types.iter().find(|t| t.name == "Tag").unwrap();
    let TypeKind::StrEnum(values) = &tag.kind else { panic!() };
    assert_eq!(
        values.iter().map(|v| (v.value.as_str(), v.prefix)).collect::<Vec<_>>(),
        [("Tag_Nick", false), ("Tag_Custom_", true)]
    );
    let failed = BATCH.replace(r#"{ "items": "Results", "code": "Code" }"#, r#"{ "items": "Failed" }"#);
    let api = check(&failed, ITEM, TAG).unwrap();
    assert_eq!(api.endpoints[0].partial_failures, Some(PartialFailures { items: FieldId(1), code: None }));
}

#[test]
fn reports_bad_one_of_groups() {
    let bad = BATCH.replace(
        r#"[["List", "Ids"]]"#,
        r#"[["List", "Nope"], ["Who", "Ids"], ["List", "Ids"], ["Ids", "List"], "x"]"#,
    );
    assert_eq!(
        check(&bad, ITEM, TAG).unwrap_err(),
        [
            "svc/batch.json:9:23: no request field `Nope`",
            "svc/batch.json:9:33: `Who` is required, so it cannot be one of a `one_of` group",
            "svc/batch.json:9:66: `Ids` is already in a `one_of` group",
            "svc/batch.json:9:73: `List` is already in a `one_of` group",
            "svc/batch.json:9:82: a `one_of` group must be an array of wire names, found a string",
        ]
    );
}

#[test]
fn reports_bad_partial_failures() {
    for (spec, want) in [
        (r#"{ "items": "Nope" }"#, "svc/batch.json:14:34: no response field `Nope`"),
        (
            r#"{ "items": "Results", "code": "Nope" }"#,
            "svc/batch.json:14:53: the elements of `Results` have no field `Nope`",
        ),
        (
            r#"{ "items": "Results", "code": "Status" }"#,
            "svc/batch.json:14:53: `Status` must be an integer or an integer enum to be read as a code",
        ),
        (
            r#"{ "items": "Failed", "code": "Code" }"#,
            "svc/batch.json:14:52: `code` needs the elements of `Failed` to be objects",
        ),
        (
            r#"{ "items": "Results", "cod": "Code" }"#,
            "svc/batch.json:14:45: unknown key `cod` in `partial_failures` (did you mean `code`?)",
        ),
    ] {
        let bad = BATCH.replace(r#"{ "items": "Results", "code": "Code" }"#, spec);
        assert_eq!(check(&bad, ITEM, TAG).unwrap_err(), [want], "{spec}");
    }
}

#[test]
fn reports_bad_aliases() {
    let clash = ITEM.replace(r#""aliases": ["State"]"#, r#""aliases": ["Code"]"#);
    let again = ITEM.replace(r#""aliases": ["State"]"#, r#""aliases": ["State", "State", "Status", ""]"#);
    let later = ITEM.replace(r#""wire": "Code""#, r#""wire": "State""#);
    assert_eq!(
        check(BATCH, &clash, TAG).unwrap_err(),
        [
            "types/Item.json:3:13: `Code` is already an alias of field `Status`",
            // The field is left out, so the code it was is not found either.
            "svc/batch.json:14:53: the elements of `Results` have no field `Code`",
        ]
    );
    assert_eq!(
        check(BATCH, &again, TAG).unwrap_err(),
        [
            "types/Item.json:2:59: duplicate alias `State`",
            "types/Item.json:2:68: duplicate alias `Status`",
            "types/Item.json:2:78: an alias cannot be empty",
        ]
    );
    assert_eq!(
        check(BATCH, &later, TAG).unwrap_err(),
        [
            "types/Item.json:3:13: `State` is already an alias of field `Status`",
            "svc/batch.json:14:53: the elements of `Results` have no field `Code`",
        ]
    );
}

#[test]
fn reports_bad_families_and_int_or_string_keys() {
    let both = TAG.replace(r#"{ "prefix": "Tag_Custom_","#, r#"{ "prefix": "Tag_Custom_", "value": "x","#);
    let inside = TAG.replace(r#""value": "Tag_Nick""#, r#""value": "Tag_Custom_Nick""#);
    let empty = TAG.replace(r#""prefix": "Tag_Custom_""#, r#""prefix": "", "aliases": [1]"#);
    let value = ITEM.replace(r#""max_bytes": 500"#, r#""allowed": ["a"], "default": "a""#);
    assert_eq!(
        check(BATCH, ITEM, &both).unwrap_err(),
        ["types/Tag.json:3:39: an enum value has either `value` or `prefix`, not both"]
    );
    assert_eq!(
        check(BATCH, ITEM, &inside).unwrap_err(),
        [
            "types/Tag.json:2:14: the value `Tag_Custom_Nick` starts with the prefix `Tag_Custom_` of Custom: a string would match both"
        ]
    );
    assert_eq!(
        check(BATCH, ITEM, &empty).unwrap_err(),
        [
            "types/Tag.json:3:15: a `prefix` cannot be empty",
            "types/Tag.json:3:19: a value family (`prefix`) takes no `aliases`",
        ]
    );
    assert_eq!(
        check(BATCH, &value, TAG).unwrap_err(),
        [
            "types/Item.json:4:59: `allowed` only applies to strings and integers (use an enum type otherwise)",
            "types/Item.json:4:76: defaults are not supported for `int_or_string` fields",
        ]
    );
}
