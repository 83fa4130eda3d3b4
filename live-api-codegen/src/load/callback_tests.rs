//! Callback specs: the model of valid ones, and each mistake reported once, where it is written.

use super::Base;
use super::tests::{ENDPOINT, MODE, check_on, mangle};
use crate::model::*;

const AFTER: &str = r#"{
  "callback": "Live.CallbackAfterThing", "title": "T", "description": "D", "doc_url": "u",
  "kind": "after",
  "body": [
    { "wire": "RoomId", "type": "string", "description": "R" },
    { "wire": "Mode", "type": "Mode", "description": "M" },
    { "wire": "EventTime", "type": "i64", "accept": ["string"], "description": "E" }
  ],
  "examples": [ { "name": "s", "body": { "CallbackCommand": "Live.CallbackAfterThing", "RoomId": "r" } } ]
}"#;

const BEFORE: &str = r#"{
  "callback": "Live.CallbackBeforeGift", "title": "T", "description": "D", "doc_url": "u",
  "kind": "before",
  "body": [ { "wire": "RoomId", "type": "string", "required": true, "description": "R" } ],
  "reply": {
    "description": "Whether the gift is sent.", "on_timeout": "block",
    "decisions": [
      { "code": 0, "rust": "Allow", "description": "a" },
      { "code": 1, "rust": "Reject", "description": "r" }
    ],
    "pass_through": { "rust": "RejectWith", "min": 102100, "max": 102200, "description": "p" },
    "fields": [ { "wire": "MsgBody", "type": "array", "items": { "type": "object", "fields": [] }, "description": "m" } ]
  }
}"#;

const AFTER_FILE: &str = "callbacks/Live.CallbackAfterThing.json";
const BEFORE_FILE: &str = "callbacks/Live.CallbackBeforeGift.json";

/// The problems of the two callbacks (`after`, `before` as given) with `Mode`.
fn errors(after: &str, before: &str) -> Vec<String> {
    check_on(&[(AFTER_FILE, after), (BEFORE_FILE, before), ("types/Mode.json", MODE)], None).err().unwrap_or_default()
}

/// `text` with `from` replaced by `to`, which must occur.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "no {from} in the spec");
    text.replacen(from, to, 1)
}

#[test]
fn builds_the_model_of_valid_callbacks() {
    let files = [(BEFORE_FILE, BEFORE), (AFTER_FILE, AFTER), ("types/Mode.json", MODE)];
    let api = check_on(&files, None).unwrap_or_else(|e| panic!("{e:#?}"));
    let words: Vec<&str> = api.callbacks.iter().map(|c| c.command.as_str()).collect();
    assert_eq!(words, ["Live.CallbackAfterThing", "Live.CallbackBeforeGift"], "sorted by command word");
    let (after, before) = (&api.callbacks[0], &api.callbacks[1]);
    assert_eq!(
        (after.rust_name.as_str(), after.kind, after.file.as_str()),
        ("AfterThing", CallbackKind::After, AFTER_FILE)
    );
    assert!(after.reply.is_none());
    let fields: Vec<&str> = after.body.iter().map(|f| f.rust.as_str()).collect();
    assert_eq!(fields, ["room_id", "mode", "event_time"]);
    assert_eq!(after.body[2].accept, [JsonKind::String]);
    assert_eq!(after.examples[0].body, r#"{ "CallbackCommand": "Live.CallbackAfterThing", "RoomId": "r" }"#);
    assert_eq!(after.generated_names(), ["AfterThing"]);

    assert_eq!((before.rust_name.as_str(), before.kind), ("BeforeGift", CallbackKind::Before));
    assert!(before.body[0].required);
    let reply = before.reply.as_ref().unwrap();
    assert_eq!(reply.on_timeout, OnTimeout::Block);
    let decisions: Vec<(u32, &str)> = reply.decisions.iter().map(|d| (d.code, d.rust.as_str())).collect();
    assert_eq!(decisions, [(0, "Allow"), (1, "Reject")]);
    assert_eq!(reply.timeout_decision().map(|d| d.rust.as_str()), Some("Reject"));
    let p = reply.pass_through.as_ref().unwrap();
    assert_eq!((p.rust.as_str(), p.min, p.max), ("RejectWith", 102100, 102200));
    // The reply's inline objects are named after the struct of the reply fields.
    let Ty::Array(item) = &reply.fields[0].ty else { panic!("{:?}", reply.fields[0].ty) };
    let Ty::Named(id) = **item else { panic!("{item:?}") };
    assert_eq!(api.type_def(id).name, "BeforeGiftChangesMsgBody");
    assert_eq!(before.generated_names(), ["BeforeGift", "BeforeGiftReply", "BeforeGiftChanges"]);
    assert!(!api.extends_base);
}

#[test]
fn top_level_mistakes_are_located() {
    let cases = [
        // An unknown key, with a did-you-mean.
        (
            edit(AFTER, r#""title": "T","#, r#""title": "T", "exampels": [],"#),
            "callbacks/Live.CallbackAfterThing.json:2:56: unknown key `exampels` in a callback (did you mean `examples`?)",
        ),
        (
            edit(AFTER, r#""title": "T", "#, ""),
            "callbacks/Live.CallbackAfterThing.json:1:1: missing key `title` in a callback",
        ),
        // The file stem is the command word.
        (
            AFTER.replace("Live.CallbackAfterThing", "Live.CallbackAfterThang"),
            "callbacks/Live.CallbackAfterThing.json:2:15: callback Live.CallbackAfterThang must live in callbacks/Live.CallbackAfterThang.json",
        ),
        (
            edit(AFTER, "Live.CallbackAfterThing\", \"title", "Live/After\", \"title"),
            "callbacks/Live.CallbackAfterThing.json:2:15: `Live/After` is not a valid command word (ASCII letters, digits, `.`, `_`)",
        ),
        (
            edit(AFTER, r#""kind": "after""#, r#""kind": "afterr""#),
            "callbacks/Live.CallbackAfterThing.json:3:11: unknown callback kind `afterr` (did you mean `after`?); expected after or before",
        ),
        (
            edit(AFTER, r#""kind": "after","#, r#""kind": "after", "reply": {},"#),
            "callbacks/Live.CallbackAfterThing.json:3:20: `reply` only applies to before-callbacks: Live ignores the reply to an after-callback",
        ),
        // The name: derived, reserved, cased.
        (
            edit(AFTER, r#""kind""#, r#""rust_name": "Unknown", "kind""#),
            "callbacks/Live.CallbackAfterThing.json:3:16: the callback name `Unknown` is reserved for the commands the specs do not know",
        ),
        (
            edit(AFTER, r#""kind""#, r#""rust_name": "Callback", "kind""#),
            "callbacks/Live.CallbackAfterThing.json:3:16: the callback name `Callback` is reserved for the generated enum of every callback",
        ),
        (
            edit(AFTER, r#""kind""#, r#""rust_name": "after_thing", "kind""#),
            "callbacks/Live.CallbackAfterThing.json:3:16: callback name `after_thing` should be written `AfterThing`",
        ),
        // The body: `CallbackCommand` is not a field; fields read as endpoint fields.
        (
            edit(
                AFTER,
                r#"{ "wire": "RoomId""#,
                r#"{ "wire": "CallbackCommand", "type": "string", "description": "C" }, { "wire": "RoomId""#,
            ),
            "callbacks/Live.CallbackAfterThing.json:5:15: `CallbackCommand` is not a body field: every body carries it, and the generated code writes it back",
        ),
        (
            edit(AFTER, r#""type": "Mode""#, r#""type": "Mdoe""#),
            "callbacks/Live.CallbackAfterThing.json:6:31: unknown type `Mdoe` (did you mean `Mode`?)",
        ),
        (
            edit(AFTER, r#""accept": ["string"]"#, r#""accept": ["bool"]"#),
            "callbacks/Live.CallbackAfterThing.json:7:54: a field of this type cannot be decoded from a JSON bool",
        ),
        // Examples carry the spec's word.
        (
            edit(AFTER, r#""CallbackCommand": "Live.CallbackAfterThing", "#, ""),
            "callbacks/Live.CallbackAfterThing.json:9:40: missing key `CallbackCommand` in an example body (every body carries it)",
        ),
        (
            edit(
                AFTER,
                r#""CallbackCommand": "Live.CallbackAfterThing""#,
                r#""CallbackCommand": "Live.CallbackAfterOther""#,
            ),
            "callbacks/Live.CallbackAfterThing.json:9:61: the example's `CallbackCommand` must be \"Live.CallbackAfterThing\", the spec's command word",
        ),
        (
            edit(AFTER, r#""body": { "CallbackCommand": "Live.CallbackAfterThing", "RoomId": "r" }"#, r#""body": [1]"#),
            "callbacks/Live.CallbackAfterThing.json:9:40: an example body must be a JSON object, found an array",
        ),
    ];
    let mut wrong = Vec::new();
    for (after, expected) in cases {
        let got = errors(&after, BEFORE);
        if got != [expected] {
            wrong.push(format!("expected {expected}\n     got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Without `rust_name`, the word must read `<Service>.Callback<Name>`.
    let odd = edit(AFTER, "Live.CallbackAfterThing\", \"title", "Live.AfterThing\", \"title")
        .replace("Live.CallbackAfterThing", "Live.AfterThing");
    let files = [("callbacks/Live.AfterThing.json", odd.as_str()), ("types/Mode.json", MODE)];
    assert_eq!(
        check_on(&files, None).err().unwrap_or_default(),
        [
            "callbacks/Live.AfterThing.json:2:15: cannot derive a Rust name from `Live.AfterThing` (it does not read `<Service>.Callback<Name>`); set `rust_name`"
        ]
    );
}

#[test]
fn reply_mistakes_are_located() {
    let cases = [
        (
            edit(BEFORE, r#""on_timeout": "block","#, r#""on_timeout": "block", "on_timout": 2,"#),
            vec![
                "callbacks/Live.CallbackBeforeGift.json:6:72: unknown key `on_timout` in `reply` (did you mean `on_timeout`?)",
            ],
        ),
        (
            edit(BEFORE, r#""on_timeout": "block""#, r#""on_timeout": "wait""#),
            vec!["callbacks/Live.CallbackBeforeGift.json:6:63: unknown `on_timeout` `wait`; expected block or allow"],
        ),
        (
            edit(BEFORE, r#""code": 0,"#, r#""code": 2,"#),
            vec![
                "callbacks/Live.CallbackBeforeGift.json:7:5: the reply needs a decision with code 0 (the reply that lets the event happen)",
            ],
        ),
        (
            edit(BEFORE, r#""code": 1,"#, r#""code": 0,"#),
            vec!["callbacks/Live.CallbackBeforeGift.json:9:17: duplicate decision code 0"],
        ),
        (
            edit(BEFORE, r#""rust": "Reject""#, r#""rust": "Allow""#),
            vec!["callbacks/Live.CallbackBeforeGift.json:9:28: duplicate variant name `Allow`"],
        ),
        (
            edit(BEFORE, r#""code": 1,"#, r#""code": -1,"#),
            vec![
                "callbacks/Live.CallbackBeforeGift.json:9:17: a reply code is an `ErrorCode` from 0 to 4294967295, found -1",
            ],
        ),
        (
            edit(BEFORE, r#""rust": "Reject""#, r#""rust": "reject""#),
            vec!["callbacks/Live.CallbackBeforeGift.json:9:28: variant name `reject` should be written `Reject`"],
        ),
        // `block` needs a decision that blocks.
        (
            edit(
                BEFORE,
                r#",
      { "code": 1, "rust": "Reject", "description": "r" }"#,
                "",
            ),
            vec![
                "callbacks/Live.CallbackBeforeGift.json:6:63: `on_timeout` is `block`, but no decision blocks (each has code 0)",
            ],
        ),
        // The pass-through range.
        (
            edit(BEFORE, r#""min": 102100, "max": 102200"#, r#""min": 102200, "max": 102100"#),
            vec!["callbacks/Live.CallbackBeforeGift.json:11:67: contradictory range: max 102100 is below min 102200"],
        ),
        (
            edit(BEFORE, r#""min": 102100"#, r#""min": 1"#),
            vec![
                "callbacks/Live.CallbackBeforeGift.json:9:17: decision code 1 lies in the pass-through range 1..=102200",
            ],
        ),
        (
            edit(BEFORE, r#""min": 102100"#, r#""min": 0"#),
            vec![
                "callbacks/Live.CallbackBeforeGift.json:11:52: a reply code is an `ErrorCode` from 1 to 4294967295, found 0",
            ],
        ),
        (
            edit(BEFORE, r#""rust": "RejectWith""#, r#""rust": "Reject""#),
            vec!["callbacks/Live.CallbackBeforeGift.json:11:31: duplicate variant name `Reject`"],
        ),
        (
            edit(BEFORE, r#""rust": "RejectWith""#, r#""rust": "AllowWith""#),
            vec![
                "callbacks/Live.CallbackBeforeGift.json:11:31: the variant name `AllowWith` is reserved for the reply with `fields`",
            ],
        ),
        (
            edit(BEFORE, r#", "description": "p" }"#, " }"),
            vec!["callbacks/Live.CallbackBeforeGift.json:11:21: missing key `description` in `pass_through`"],
        ),
    ];
    let mut wrong = Vec::new();
    for (before, expected) in cases {
        let got = errors(AFTER, &before);
        if got != expected {
            wrong.push(format!("expected {expected:?}\n     got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // `AllowWith` is a decision's name when the reply has no fields.
    let no_fields = edit(BEFORE, r#""rust": "RejectWith""#, r#""rust": "AllowWith""#);
    let no_fields = no_fields.replace(
        r#",
    "fields": [ { "wire": "MsgBody", "type": "array", "items": { "type": "object", "fields": [] }, "description": "m" } ]"#,
        "",
    );
    assert_eq!(errors(AFTER, &no_fields), Vec::<String>::new());
    // A before-callback needs its reply.
    let start = BEFORE.find(",\n  \"reply\"").unwrap();
    let no_reply = format!("{}\n}}", &BEFORE[..start]);
    assert_eq!(
        errors(AFTER, &no_reply),
        [
            "callbacks/Live.CallbackBeforeGift.json:1:1: missing key `reply` in a before-callback (what the app's reply decides)"
        ]
    );
}

#[test]
fn callback_names_are_generated_once() {
    // Two callbacks with one name.
    let twin = edit(BEFORE, r#""kind""#, r#""rust_name": "AfterThing", "kind""#);
    assert_eq!(
        errors(AFTER, &twin),
        [
            "callbacks/Live.CallbackBeforeGift.json:3:16: the generated name `AfterThing` is already used by callback callbacks/Live.CallbackAfterThing.json"
        ]
    );
    // A shared type, an endpoint and an inline object of an endpoint.
    let ty = MODE.replace(r#""name": "Mode""#, r#""name": "BeforeGiftReply""#);
    let ep = ENDPOINT
        .replace(r#""command": "do_it""#, r#""command": "do_it", "rust_name": "AfterThing""#)
        .replace(r#""type": "Mode""#, r#""type": "string""#)
        .replace(r#""default": 1000, "#, "")
        .replace(
            r#"{ "wire": "Owner_Account", "type": "string", "description": "O" }"#,
            r#"{ "wire": "Frame", "type": "object", "type_name": "BeforeGiftChanges", "fields": [], "description": "B" }"#,
        );
    let after = AFTER.replace(r#""type": "Mode""#, r#""type": "string""#);
    let files = [
        ("svc/do_it.json", ep.as_str()),
        (AFTER_FILE, after.as_str()),
        (BEFORE_FILE, BEFORE),
        ("types/BeforeGiftReply.json", ty.as_str()),
    ];
    assert_eq!(
        check_on(&files, None).err().unwrap_or_default(),
        [
            "callbacks/Live.CallbackAfterThing.json:2:15: the generated name `AfterThing` is already used by endpoint svc/do_it.json",
            "callbacks/Live.CallbackBeforeGift.json:2:15: the generated name `BeforeGiftReply` is already used by type types/BeforeGiftReply.json",
            "callbacks/Live.CallbackBeforeGift.json:2:15: the generated name `BeforeGiftChanges` is already used by callback callbacks/Live.CallbackBeforeGift.json and by an inline object of svc/do_it.json",
        ]
    );
}

#[test]
fn a_folder_on_a_base_has_no_callbacks_and_takes_none_of_its_names() {
    let base = check_on(&[(AFTER_FILE, AFTER), (BEFORE_FILE, BEFORE), ("types/Mode.json", MODE)], None)
        .unwrap_or_else(|e| panic!("{e:#?}"));
    let base = Base { api: &base, crate_name: "live-api" };
    let own = AFTER.replace("AfterThing", "AfterOther");
    let taken = MODE.replace(r#""name": "Mode""#, r#""name": "BeforeGiftReply""#);
    let files =
        [("callbacks/Live.CallbackAfterOther.json", own.as_str()), ("types/BeforeGiftReply.json", taken.as_str())];
    assert_eq!(
        check_on(&files, Some(&base)).err().unwrap_or_default(),
        [
            "types/BeforeGiftReply.json:1:11: the generated name `BeforeGiftReply` is already used by live-api's callback callbacks/Live.CallbackBeforeGift.json",
            "callbacks/Live.CallbackAfterOther.json:2:15: callbacks are read only in live-api's own specs (the enum `Callback` is live-api's); remove this file",
        ]
    );
    let api = check_on(&[("types/Other.json", &MODE.replace("Mode", "Other"))], Some(&base)).unwrap();
    assert!(api.extends_base && api.callbacks.is_empty());
}

#[test]
fn never_panics_on_mangled_callbacks() {
    for spec in [AFTER, BEFORE] {
        mangle(spec, 1500, |text| {
            let _ = errors(text, text);
        });
    }
}
