//! The generated callback types, on the small fixture (two callbacks, in `golden/small.rs`) and on
//! live-api's own `api-specs/callbacks/`: every documented body decodes through the enum
//! `Callback` into its command's struct and re-encodes with every key it had, `CallbackCommand`
//! first; a command the specs do not know keeps its raw body; each reply variant writes the
//! documented reply JSON.

use std::path::Path;

use live_api::callback::{CallbackBody, CallbackKind, CallbackSet, PassThrough, Reply};
use live_api_codegen::model::Api;
use serde_json::{Value, json};

mod fixture {
    live_api_macros::generate!("../fixtures/small");
}
use fixture::{AfterThing, BeforeGift, BeforeGiftChanges, BeforeGiftReply, Callback, Color, GiftMsg, Mode};

fn load(dir: &str) -> Api {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let loaded = live_api_codegen::load::load_dir(&root.join(dir), root);
    loaded.api.unwrap_or_else(|diags| panic!("{dir} is valid: {diags:#?}"))
}

/// The keys of `sample` (at any depth) that `encoded` lacks.
fn lost_keys(sample: &Value, encoded: &Value, at: &str, out: &mut Vec<String>) {
    match (sample, encoded) {
        (Value::Object(s), Value::Object(e)) => {
            for (k, v) in s {
                match e.get(k) {
                    Some(ev) => lost_keys(v, ev, &format!("{at}.{k}"), out),
                    None => out.push(format!("{at}.{k}")),
                }
            }
        }
        (Value::Array(s), Value::Array(e)) => {
            for (i, (sv, ev)) in s.iter().zip(e).enumerate() {
                lost_keys(sv, ev, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Every documented body of `api`'s callbacks through the set `C`: it decodes into a known
/// command of the right word and kind, and re-encodes, `CallbackCommand` first, losing no key.
/// Returns the number of bodies checked and the failures.
fn conformance<C: CallbackSet>(api: &Api) -> (usize, Vec<String>) {
    let (mut checked, mut failures) = (0, Vec::new());
    for cb in &api.callbacks {
        let kind = match cb.kind {
            live_api_codegen::model::CallbackKind::After => CallbackKind::After,
            live_api_codegen::model::CallbackKind::Before => CallbackKind::Before,
        };
        for x in &cb.examples {
            checked += 1;
            let at = format!("{} `{}`", cb.file, x.name);
            let decoded = match C::decode(&cb.command, x.body.as_bytes()) {
                Ok(d) => d,
                Err(e) => {
                    failures.push(format!("{at}: {e}"));
                    continue;
                }
            };
            if decoded.command() != cb.command || decoded.kind() != Some(kind) {
                failures.push(format!("{at}: decodes as {:?} {:?}", decoded.command(), decoded.kind()));
            }
            let text = serde_json::to_string(&decoded).unwrap();
            let first = format!("{{\"CallbackCommand\":{}", json!(cb.command));
            if !text.starts_with(&first) {
                failures.push(format!("{at}: re-encodes without `CallbackCommand` first: {text}"));
            }
            let sample: Value = serde_json::from_str(&x.body).unwrap();
            let mut lost = Vec::new();
            lost_keys(&sample, &serde_json::from_str(&text).unwrap(), "", &mut lost);
            if !lost.is_empty() {
                failures.push(format!("{at}: re-encoding loses {lost:?}"));
            }
        }
    }
    (checked, failures)
}

#[test]
fn the_fixture_samples_decode_and_re_encode_every_key() {
    let api = load("fixtures/small");
    assert_eq!(api.callbacks.len(), 2);
    let (checked, failures) = conformance::<Callback>(&api);
    assert_eq!((checked, failures), (2, Vec::<String>::new()));
}

#[test]
fn live_api_samples_decode_and_re_encode_every_key() {
    let api = load("../api-specs");
    // Every spec file of api-specs/callbacks/ is a callback of the model, and of the enum.
    let files = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-specs/callbacks"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(api.callbacks.len(), files);
    for cb in &api.callbacks {
        // `{}` decodes into the command's struct, or fails on its required fields; only a command
        // of no variant would take it as `Unknown`.
        let decoded = live_api::Callback::decode(&cb.command, b"{}");
        let known = decoded.as_ref().map(|c| !matches!(c, live_api::Callback::Unknown(_)));
        assert!(matches!(known, Ok(true) | Err(_)), "{} is a variant of live_api::Callback", cb.command);
    }
    let (checked, failures) = conformance::<live_api::Callback>(&api);
    assert!(failures.is_empty(), "{checked} bodies checked; {} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn bodies_decode_tolerantly_into_their_struct() {
    let body = br#"{"CallbackCommand":"Demo.CallbackAfterThing","RoomId":"r1","Operator_Account":42,"Mode":1000,
        "Members":[{"Member_Account":"u1","Color":"dark-blue"},{"Color":1,"Extra":true}],"EventTime":"1700000000000","New":1}"#;
    let Callback::AfterThing(t) = Callback::decode("Demo.CallbackAfterThing", body).unwrap() else { panic!() };
    assert_eq!(t.room_id.as_deref(), Some("r1"));
    assert_eq!(t.operator_account.as_deref(), Some("42"), "a number in a string field, as `accept` says");
    assert_eq!(t.mode, Some(Mode::Custom));
    let members = t.members.as_ref().unwrap();
    assert_eq!(members[0].color, Some(Color::DarkBlue));
    assert_eq!(members[1].color, Some(Color::Red), "an alias of the shared enum");
    assert_eq!(t.event_time, Some(1_700_000_000_000), "a string in an integer field, as `accept` says");
    // The struct alone decodes and encodes the same body.
    let alone = AfterThing::decode(body).unwrap();
    assert_eq!(alone, t);
    assert_eq!(
        serde_json::to_value(&alone).unwrap(),
        json!({"CallbackCommand": "Demo.CallbackAfterThing", "RoomId": "r1", "Operator_Account": "42", "Mode": 1000,
               "Members": [{"Member_Account": "u1", "Color": "dark-blue"}, {"Color": "Red"}], "EventTime": 1_700_000_000_000i64})
    );
    assert_eq!((AfterThing::COMMAND, AfterThing::KIND), ("Demo.CallbackAfterThing", CallbackKind::After));
    let cb = Callback::AfterThing(alone);
    assert_eq!(
        (cb.command(), cb.kind(), cb.on_timeout()),
        ("Demo.CallbackAfterThing", Some(CallbackKind::After), Reply::ok())
    );
}

#[test]
fn bodies_that_break_their_spec_are_errors_naming_the_command() {
    let cases: [(&str, &[u8], &str); 4] = [
        ("Demo.CallbackAfterThing", br#"{"RoomId": 5}"#, "invalid type: integer `5`, expected a string"),
        (
            "Demo.CallbackAfterThing",
            br#"{"EventTime": true}"#,
            "invalid type: boolean `true`, expected a string or a number",
        ),
        ("Demo.CallbackBeforeGift", br#"{"GiftId": "rose"}"#, "missing field `RoomId`"),
        ("Demo.CallbackBeforeGift", b"3", "invalid type: integer `3`, expected struct BeforeGift"),
    ];
    for (command, body, reason) in cases {
        let e = Callback::decode(command, body).unwrap_err();
        assert_eq!(e.command(), command);
        assert!(e.reason().contains(reason), "{command} {}: {e}", String::from_utf8_lossy(body));
        assert!(e.to_string().starts_with(&format!("the body of callback {command} does not match its spec: ")), "{e}");
    }
}

#[test]
fn an_unknown_command_keeps_its_raw_body() {
    let body = br#"{ "CallbackCommand": "Live.CallbackAfterSomethingNew", "Z": [1, 2.50], "A": {"b": null} }"#;
    let cb = Callback::decode("Live.CallbackAfterSomethingNew", body).unwrap();
    let Callback::Unknown(u) = &cb else { panic!("{cb:?}") };
    assert_eq!(u.body().as_bytes(), body, "byte for byte");
    assert_eq!((cb.command(), cb.kind(), cb.on_timeout()), ("Live.CallbackAfterSomethingNew", None, Reply::ok()));
    assert_eq!(serde_json::to_string(&cb).unwrap().as_bytes(), body);
    let e = Callback::decode("Live.CallbackAfterSomethingNew", b"{").unwrap_err();
    assert!(e.reason().starts_with("the body is not JSON"), "{e}");
}

#[test]
fn every_reply_variant_writes_the_documented_reply() {
    let json = |r: BeforeGiftReply| -> Value { serde_json::from_slice(&Reply::from(r).to_json()).unwrap() };
    assert_eq!(json(BeforeGiftReply::Allow), json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""}));
    assert_eq!(json(BeforeGiftReply::Reject), json!({"ActionStatus": "OK", "ErrorCode": 1, "ErrorInfo": ""}));
    let with = BeforeGiftReply::RejectWith { code: PassThrough::new(102150).unwrap(), info: "sold out".into() };
    assert_eq!(json(with), json!({"ActionStatus": "OK", "ErrorCode": 102150, "ErrorInfo": "sold out"}));
    assert!(PassThrough::<102100, 102200>::new(102201).is_err(), "the range of the spec");
    let changes = BeforeGiftChanges::new().msg_body(vec![GiftMsg::new().msg_type("TIMTextElem")]).note("hi");
    assert!(live_api::validate::check(&changes).is_empty());
    assert_eq!(
        json(BeforeGiftReply::AllowWith(changes)),
        json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "MsgBody": [{"MsgType": "TIMTextElem"}], "Note": "hi"})
    );
    assert_eq!(json(BeforeGiftReply::AllowWith(BeforeGiftChanges::new())), json(BeforeGiftReply::Allow));
    // The limits of the reply fields are checked as a request's.
    let long = BeforeGiftChanges::new().note("more than eight bytes");
    assert_eq!(live_api::validate::check(&long).len(), 1);
    // No reply in time blocks the gift, as the spec says.
    assert_eq!(BeforeGift::on_timeout(), Reply::with_code(1, ""));
    let cb = Callback::decode("Demo.CallbackBeforeGift", br#"{"RoomId": "r1", "Count": "3"}"#).unwrap();
    assert_eq!((cb.kind(), cb.on_timeout()), (Some(CallbackKind::Before), Reply::from(BeforeGiftReply::Reject)));
    let Callback::BeforeGift(g) = cb else { panic!() };
    assert_eq!((g.room_id.as_str(), g.count), ("r1", Some(3)));
}
