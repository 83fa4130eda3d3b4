//! The small fixture spec expanded in this crate (the code in `golden/small.rs`), called
//! against a local server: an empty request sends `{}`, integer and string enums, aliases,
//! nested tables of codes and lenient fields behave as the golden file says.

use live_api::{Client, Error, ErrorCode as _, IntOrString, PartialFailures, RetryClass};
use live_api_tests::{Reply, TestServer};
use serde_json::json;

// The methods land in the extension trait `ClientExt`, implemented for `live_api::Client`.
live_api_macros::generate!("../fixtures/small");

fn client(server: &TestServer) -> Client {
    Client::builder()
        .sdk_app_id(7)
        .user_sig("sig")
        .base_url(server.url())
        .retry_policy(live_api::RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_endpoint_without_fields_sends_an_empty_object() {
    let server = TestServer::start(|_| Reply::ok(json!({}))).await;
    client(&server).ping(Ping::new()).await.unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.path, "/v4/demo_srv/ping");
    assert_eq!(r.body, b"{}");
}

#[tokio::test]
async fn enums_limits_and_codes_of_the_fixture() {
    let server = TestServer::start(|r| {
        if r.json()["RoomId"] == "err" {
            Reply::error(60007, "slow down", "Id-1")
        } else {
            Reply::ok(json!({"Response": {"Owner_Account": 42}}))
        }
    })
    .await;
    let c = client(&server);
    let req = DoThing::new("r1", Mode::Custom).count(3).tags(vec!["ab".to_owned()]).color(Color::DarkBlue);
    let resp = c.do_thing(req).await.unwrap();
    assert_eq!(resp.owner_account.as_deref(), Some("42"));
    assert_eq!(
        server.requests()[0].json(),
        json!({"RoomId": "r1", "Mode": 1000, "Count": 3, "Tags": ["ab"], "Color": "dark-blue"})
    );

    let err = c.do_thing(DoThing::new("err", Mode::Grid)).await.unwrap_err();
    assert_eq!(err.code(), Some(DoThingCode::Rest(RestCode::CallRateExceeded)));
    assert_eq!(err.retry_class(), Some(RetryClass::Throttled));

    let bad = DoThing::new("r1", Mode::Grid).count(11).tags(vec!["abcde".to_owned(), "a".into(), "b".into()]);
    let Err(Error::Invalid(v)) = c.do_thing(bad).await else { panic!() };
    let got: Vec<String> = v.violations().iter().map(ToString::to_string).collect();
    assert_eq!(
        got,
        [
            "Count is 11; the API allows at most 10",
            "Tags has 3 items; the API allows at most 2",
            "Tags[0] is 5 bytes; the API allows at most 4 bytes",
        ]
    );
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn string_enum_aliases_and_unknown_values_decode() {
    assert_eq!(serde_json::from_value::<Color>(json!(1)).unwrap(), Color::Red);
    assert_eq!(serde_json::from_value::<Color>(json!("dark-blue")).unwrap(), Color::DarkBlue);
    let Color::Unknown(v) = serde_json::from_value::<Color>(json!("green")).unwrap() else { panic!() };
    assert_eq!(v.as_str(), Some("green"));
    assert_eq!(serde_json::from_value::<Mode>(json!(1000)).unwrap(), Mode::Custom);
    assert!(matches!(serde_json::from_value::<Mode>(json!(5)).unwrap(), Mode::Unknown(_)));
    assert!(serde_json::from_value::<Mode>(json!(true)).is_err(), "a bool is no enum value at all");
    assert_eq!(DoThingCode::from_code(100004), DoThingCode::RoomNotFound);
    assert_eq!(DoThingCode::from_code(5), DoThingCode::Undocumented(5));
    assert_eq!(PingCode::from_code(60007), PingCode::Undocumented(60007), "ping does not reference the table");
}

#[test]
fn code_lookups_cover_own_wrapped_and_undocumented_codes() {
    let own = DoThingCode::RoomNotFound;
    assert_eq!((own.code(), own.name(), own.retry_class()), (100004, "RoomNotFound", RetryClass::Permanent));
    assert_eq!(own.info().unwrap().description, "No such room.");
    let wrapped = DoThingCode::from_code(60007);
    assert_eq!(wrapped, DoThingCode::Rest(RestCode::CallRateExceeded));
    assert_eq!(
        (wrapped.code(), wrapped.name(), wrapped.retry_class()),
        (60007, "CallRateExceeded", RetryClass::Throttled)
    );
    let odd = DoThingCode::from_code(-1);
    assert_eq!((odd.info(), odd.code(), odd.name()), (Err(-1), -1, "Undocumented"));
    assert_eq!(odd.retry_class(), RetryClass::Permanent, "undocumented codes are not retried");
    assert_eq!(PingCode::from_code(0).info(), Err(0));
    for (info, variant) in DoThingCode::DOCUMENTED.iter().zip(DoThingCode::VARIANTS) {
        assert_eq!(DoThingCode::from_code(info.code), *variant);
        assert_eq!(variant.info(), Ok(info));
    }
    // Each own variant answers its own row (`info` is one arm per variant).
    for (info, variant) in RestCode::DOCUMENTED.iter().zip(RestCode::VARIANTS) {
        assert_eq!(RestCode::from_code(info.code), *variant);
        assert_eq!((variant.info(), variant.name()), (Ok(info), info.name));
    }
    assert_eq!(RestCode::AdminRequired.code(), 60010);
}

/// A field takes the JSON kinds its spec lists in `accept`, and no other: in an answer (decoded
/// by the generated field list) and in a shared type (decoded by serde's derive).
#[test]
fn accept_lists_are_honoured_exactly() {
    let answer = |v: serde_json::Value| serde_json::from_value::<DoThingResponse>(v).map_err(|e| e.to_string());
    // `Owner_Account`: a string that accepts a number, not a bool.
    assert_eq!(answer(json!({"Owner_Account": 42})).unwrap().owner_account.as_deref(), Some("42"));
    assert_eq!(answer(json!({"Owner_Account": "ann"})).unwrap().owner_account.as_deref(), Some("ann"));
    let refused = answer(json!({"Owner_Account": true})).unwrap_err();
    assert!(refused.contains("invalid type: boolean `true`, expected a string or a number"), "{refused}");
    // `Live`: a bool that accepts a string, not a number.
    assert_eq!(answer(json!({"Live": "true"})).unwrap().live, Some(true));
    assert_eq!(answer(json!({"Live": false})).unwrap().live, Some(false));
    let refused = answer(json!({"Live": 1})).unwrap_err();
    assert!(refused.contains("invalid type: integer `1`, expected a string or a boolean"), "{refused}");
    // `Label`: a string that accepts both a bool and a number.
    let both = answer(json!({"Label": true})).unwrap().label.zip(answer(json!({"Label": 7})).unwrap().label);
    assert_eq!(both, Some(("true".to_owned(), "7".to_owned())));
    assert!(answer(json!({"Label": [1]})).is_err(), "an array is no scalar kind");

    // `Frame.Visible`: a bool that accepts a number, not a string.
    let frame = |v: serde_json::Value| serde_json::from_value::<Frame>(v).map_err(|e| e.to_string());
    assert_eq!(frame(json!({"Visible": 1})).unwrap(), Frame::new().visible(true));
    assert_eq!(frame(json!({"Visible": false, "Width": 3})).unwrap(), Frame::new().width(3).visible(false));
    let refused = frame(json!({"Visible": "true"})).unwrap_err();
    assert!(refused.contains("invalid type: string \"true\", expected a number or a boolean"), "{refused}");
    assert_eq!(frame(json!({})).unwrap(), Frame::new(), "an optional accepting field may be absent");
}

/// `one_of`: a request sets exactly one of the two forms, checked before sending.
#[test]
fn a_one_of_group_is_checked_before_sending() {
    let shown = |r: &BatchThings| live_api::validate::check(r).iter().map(ToString::to_string).collect::<Vec<_>>();
    assert_eq!(shown(&BatchThings::new()), ["exactly one of Rooms, RoomList must be set; none is set"]);
    let both = BatchThings::new().rooms(vec!["r1".to_owned()]).room_list(vec![Outcome::new("r2")]);
    assert_eq!(shown(&both), ["exactly one of Rooms, RoomList must be set; Rooms and RoomList are set"]);
    assert!(shown(&BatchThings::new().rooms(vec!["r1".to_owned()])).is_empty());
    assert!(shown(&BatchThings::new().room_list(vec![Outcome::new("r2")])).is_empty());
    // `int_or_string`: the byte limit applies to a text, the kind is kept both ways.
    let long = BatchThings::new().rooms(vec![]).value(IntOrString::from("abcde"));
    assert_eq!(shown(&long), ["Value is 5 bytes; the API allows at most 4 bytes"]);
    let n = BatchThings::new().rooms(vec![]).value(IntOrString::Int(123456));
    assert!(shown(&n).is_empty());
    assert_eq!(serde_json::to_value(&n).unwrap(), json!({"Rooms": [], "Value": 123456}));
}

/// `partial_failures`, field `aliases` and value families, as generated for the fixture.
#[test]
fn per_item_failures_aliases_and_families_decode() {
    let answer = json!({"Count": 3, "Results": [
        {"RoomId": "a", "Code": 0, "Color": "x-teal"},
        {"RoomId": "b", "ResultCode": 7},
        {"RoomId": "c"}
    ]});
    let r: BatchThingsResponse = serde_json::from_value(answer).unwrap();
    assert_eq!(r.total, Some(3), "Count is an alias of Total");
    let failed: Vec<&str> = r.failed().iter().map(|o| o.room_id.as_str()).collect();
    assert_eq!(failed, ["b", "c"], "a non-zero code and a missing code are failures");
    assert!(!r.all_succeeded());
    let results = r.results.unwrap();
    assert_eq!(results[1].code, Some(7), "ResultCode is an alias of Code");
    assert_eq!(results[0].color, Some(Color::custom("teal")));
    let Some(Color::Custom(v)) = &results[0].color else { panic!() };
    assert_eq!(v.as_str(), Some("x-teal"), "a family's variant holds the whole value");
    assert_eq!(serde_json::to_value(Color::custom("teal")).unwrap(), json!("x-teal"));
    let dup = serde_json::from_value::<Outcome>(json!({"RoomId": "a", "Code": 0, "ResultCode": 1})).unwrap_err();
    assert!(dup.to_string().contains("duplicate field `Code`"), "{dup}");
    let dup = serde_json::from_value::<BatchThingsResponse>(json!({"Total": 1, "Count": 1})).unwrap_err();
    assert!(dup.to_string().contains("duplicate field `Total`"), "{dup}");
    let ok: BatchThingsResponse = serde_json::from_value(json!({"Results": [{"RoomId": "a", "Code": 0}]})).unwrap();
    assert!(ok.all_succeeded() && ok.failed().is_empty());
    assert!(BatchThingsResponse::default().all_succeeded(), "no list, nothing failed");
}
