//! The generated client end to end against an HTTP server on 127.0.0.1: what goes on the wire,
//! how answers and error codes decode, and how answers that break the envelope are reported.

use std::time::Duration;

use live_api::{
    Client, CreateRoom, DestroyRoom, Error, ErrorCode, GetRoomInfo, LayoutInfo, LayoutItem, LayoutMode,
    PartialFailures, RateLimitMode, ResumeMcuTask, ResumeMcuTaskCode, RetryClass, RetryPolicy, RoomInfo, RoomType,
    SetMixStream, TakeSeatMode, TransportKind, VideoEncode,
};
use live_api_tests::{Reply, TestServer};
use serde_json::json;

const TICKET: &str = "eJwtjN0KgjAYhu9l1-TATU2hQxRFIsq6gOE*-";

fn client(server: &TestServer) -> Client {
    Client::builder()
        .sdk_app_id(1400000001)
        .admin("admin")
        .user_sig(TICKET)
        .base_url(server.url())
        .timeout(Duration::from_secs(5))
        // These tests look at single exchanges; retries and pacing are tested in resilience.rs.
        .retry_policy(RetryPolicy::none())
        .rate_limit(RateLimitMode::Off)
        .build()
        .unwrap()
}

#[tokio::test]
async fn sends_the_documented_request_and_decodes_success() {
    let server = TestServer::start(|_| Reply::ok(json!({}))).await;
    let c = client(&server);
    c.resume_mcu_task(ResumeMcuTask::new("mix1")).await.unwrap();
    c.resume_mcu_task(ResumeMcuTask::new("mix2")).await.unwrap();

    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/v4/live_engine_http_srv/resume_mcu_task");
    let keys: Vec<&str> = r.query.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["sdkappid", "identifier", "usersig", "random", "contenttype"]);
    assert_eq!(r.param("sdkappid"), Some("1400000001"));
    assert_eq!(r.param("identifier"), Some("admin"));
    assert_eq!(r.param("usersig"), Some(TICKET));
    assert_eq!(r.param("contenttype"), Some("json"));
    let randoms: Vec<u32> = reqs.iter().map(|r| r.param("random").unwrap().parse().unwrap()).collect();
    assert_ne!(randoms[0], randoms[1], "a fresh random per request");
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.json(), json!({"RoomId": "mix1"}));
    assert_eq!(server.connections(), 1, "sequential calls reuse one pooled connection");
}

#[tokio::test]
async fn every_documented_code_of_resume_mcu_task_decodes_into_its_variant() {
    let expected = [
        (100001, ResumeMcuTaskCode::InternalError, RetryClass::Transient),
        (100002, ResumeMcuTaskCode::InvalidParameter, RetryClass::Permanent),
        (100004, ResumeMcuTaskCode::RoomNotFound, RetryClass::Permanent),
        (100006, ResumeMcuTaskCode::MixingNotSupported, RetryClass::Permanent),
        (100007, ResumeMcuTaskCode::PlanRequired, RetryClass::Permanent),
        (100422, ResumeMcuTaskCode::MixingRateLimited, RetryClass::Throttled),
        (100424, ResumeMcuTaskCode::MixTaskNotFound, RetryClass::Transient),
        (100427, ResumeMcuTaskCode::RoomMixingTooFrequent, RetryClass::Throttled),
        (100428, ResumeMcuTaskCode::HostInfoUnavailable, RetryClass::Transient),
        (100429, ResumeMcuTaskCode::InvalidMixMode, RetryClass::Permanent),
        (60007, ResumeMcuTaskCode::Rest(live_api::RestCode::CallRateExceeded), RetryClass::Throttled),
        (60004, ResumeMcuTaskCode::Rest(live_api::RestCode::BadAccountOrSignature), RetryClass::Permanent),
        (123456, ResumeMcuTaskCode::Undocumented(123456), RetryClass::Permanent),
    ];
    let server = TestServer::start(|r| {
        let code: i64 = r.json()["RoomId"].as_str().unwrap().parse().unwrap();
        Reply::error(code, &format!("message {code}"), &format!("Id-{code}"))
    })
    .await;
    let c = client(&server);
    for (code, variant, retry) in expected {
        let err = c.resume_mcu_task(ResumeMcuTask::new(code.to_string())).await.unwrap_err();
        assert_eq!(err.code(), Some(variant), "code {code}");
        assert_eq!(variant.code(), code);
        assert_eq!(variant.retry_class(), retry, "code {code}");
        assert_eq!(err.request_id(), Some(format!("Id-{code}").as_str()));
        let Error::Api(api) = &err else { panic!("{err:?}") };
        assert_eq!(api.message, format!("message {code}"));
        let text = err.to_string();
        assert!(text.contains(&code.to_string()) && text.contains(&format!("Id-{code}")), "{text}");
    }
    // The documented table is complete: every own code of the enum was exercised above.
    assert_eq!(ResumeMcuTaskCode::DOCUMENTED.len(), 10);
}

#[tokio::test]
async fn error_display_names_endpoint_code_variant_retry_class_and_request_id() {
    let server = TestServer::start(|_| Reply::error(100004, "room does not exist", "Id-8c98-O-Seq-52720")).await;
    let err = client(&server).get_room_info(GetRoomInfo::new("live-1")).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "live_engine_http_srv/get_room_info failed: 100004 room does not exist (RoomNotFound, permanent), \
         request id Id-8c98-O-Seq-52720"
    );
}

async fn answer_error(reply: Reply) -> live_api::AnswerError {
    let server = TestServer::start(move |_| reply.clone()).await;
    match client(&server).get_room_info(GetRoomInfo::new("r")).await {
        Err(Error::Answer(a)) => *a,
        other => panic!("expected an answer error, got {other:?}"),
    }
}

#[tokio::test]
async fn html_502_is_a_typed_error_with_status_and_excerpt() {
    let html = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>".to_vec();
    let a = answer_error(Reply::Http { status: 502, content_type: "text/html", body: html }).await;
    assert_eq!(a.status, 502);
    assert_eq!(a.content_type.as_deref(), Some("text/html"));
    assert!(a.excerpt.starts_with("<html><head><title>502 Bad Gateway"), "{}", a.excerpt);
    let text = a.to_string();
    assert!(text.contains("HTTP 502 with text/html") && text.contains("body starts: <html>"), "{text}");
}

#[tokio::test]
async fn truncated_json_is_a_typed_error() {
    let body = br#"{"ActionStatus":"OK","ErrorCode":0,"RequestId":"Id-1","Response":{"RoomInfo":{"RoomId":"#.to_vec();
    let a = answer_error(Reply::Http { status: 200, content_type: "application/json", body }).await;
    assert_eq!(a.status, 200);
    assert!(a.reason.contains("invalid JSON envelope"), "{}", a.reason);
    assert!(a.excerpt.starts_with("{\"ActionStatus\""));
}

#[tokio::test]
async fn empty_body_is_a_typed_error() {
    let a = answer_error(Reply::Http { status: 200, content_type: "application/json", body: vec![] }).await;
    assert!(a.reason.contains("invalid JSON envelope"), "{}", a.reason);
    assert!(a.to_string().contains("body is empty"));
}

#[tokio::test]
async fn non_200_with_a_json_body_is_a_typed_error() {
    let body = br#"{"ErrorCode":0}"#.to_vec();
    let a = answer_error(Reply::Http { status: 503, content_type: "application/json", body }).await;
    assert_eq!(a.status, 503);
    assert!(a.reason.contains("503"));
}

#[tokio::test]
async fn error_code_of_another_type_and_missing_envelope_are_typed_errors() {
    let a = answer_error(Reply::json(json!({"ErrorCode": "100004", "RequestId": "Id-x"}))).await;
    assert!(a.reason.contains("invalid type: string"), "{}", a.reason);
    let a = answer_error(Reply::json(json!({"RoomInfo": {}}))).await;
    assert!(a.reason.contains("no ErrorCode"), "{}", a.reason);
    let a = answer_error(Reply::json(json!([1, 2]))).await;
    assert!(a.reason.contains("invalid JSON envelope"), "{}", a.reason);
}

#[tokio::test]
async fn payload_of_the_wrong_type_keeps_the_request_id() {
    let a = answer_error(Reply::ok(json!({"Response": {"RoomInfo": {"MaxSeatCount": [1]}}}))).await;
    assert!(a.reason.contains("payload does not match"), "{}", a.reason);
    assert_eq!(a.request_id.as_deref(), Some("Id-test-O-Seq-1"));
}

#[tokio::test]
async fn connection_refused_is_a_transport_error_without_the_ticket() {
    let addr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let c = Client::builder().sdk_app_id(1).user_sig(TICKET).base_url(format!("http://{addr}")).build().unwrap();
    let err = c.resume_mcu_task(ResumeMcuTask::new("r")).await.unwrap_err();
    let Error::Transport(t) = &err else { panic!("{err:?}") };
    assert_eq!(t.kind, TransportKind::Connect);
    let mut chain = format!("{err} {err:?}");
    let mut src = std::error::Error::source(&err);
    while let Some(s) = src {
        chain.push_str(&format!(" {s} {s:?}"));
        src = s.source();
    }
    assert!(!chain.contains(TICKET) && !chain.contains("usersig"), "{chain}");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let server = TestServer::start(|_| Reply::Hang).await;
    let c = Client::builder()
        .sdk_app_id(1)
        .user_sig(TICKET)
        .base_url(server.url())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = c.resume_mcu_task(ResumeMcuTask::new("r")).await.unwrap_err();
    assert!(matches!(&err, Error::Transport(t) if t.kind == TransportKind::Timeout), "{err:?}");
    assert!(!format!("{err:?}").contains(TICKET));
}

#[tokio::test]
async fn room_id_limit_counts_utf8_bytes_and_fails_before_sending() {
    let server = TestServer::start(|_| Reply::ok(json!({}))).await;
    let c = client(&server);
    c.resume_mcu_task(ResumeMcuTask::new("a".repeat(48))).await.unwrap();
    let err = c.resume_mcu_task(ResumeMcuTask::new("a".repeat(49))).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid request for live_engine_http_srv/resume_mcu_task:\n  RoomId is 49 bytes; the API allows at most 48 bytes"
    );
    // 16 three-byte characters are 48 bytes; 17 are 51.
    c.resume_mcu_task(ResumeMcuTask::new("直".repeat(16))).await.unwrap();
    let err = c.resume_mcu_task(ResumeMcuTask::new("直".repeat(17))).await.unwrap_err();
    assert!(err.to_string().contains("RoomId is 51 bytes"), "{err}");
    assert!(matches!(err, Error::Invalid(_)));
    assert_eq!(server.requests().len(), 2, "rejected requests never reach the server");
}

#[tokio::test]
async fn nested_limits_name_the_full_wire_path() {
    let server = TestServer::start(|_| Reply::ok(json!({}))).await;
    let c = client(&server);
    let info = RoomInfo::new("", RoomType::Live).room_name("n".repeat(101)).category(vec![1, 2, 3, 4]);
    let err = c.create_room(CreateRoom::new(info)).await.unwrap_err();
    let Error::Invalid(v) = &err else { panic!("{err:?}") };
    let got: Vec<String> = v.violations().iter().map(ToString::to_string).collect();
    assert_eq!(
        got,
        [
            "RoomInfo.RoomId is 0 bytes; the API requires at least 1 bytes",
            "RoomInfo.RoomName is 101 bytes; the API allows at most 100 bytes",
            "RoomInfo.Category has 4 items; the API allows at most 3",
        ]
    );
    let layout = LayoutInfo::new().layout_list(vec![LayoutItem::new().room_id("x".repeat(49))]);
    let err = c.set_mix_stream(SetMixStream::new("r", LayoutMode::Custom).layout_info(layout)).await.unwrap_err();
    assert!(err.to_string().contains("LayoutInfo.LayoutList[0].RoomId is 49 bytes"), "{err}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn create_room_sends_nested_objects_and_string_enums() {
    let server = TestServer::start(|_| Reply::ok(json!({"Response": {"RoomId": "live-room"}}))).await;
    let info = RoomInfo::new("live-room", RoomType::Live)
        .room_name("live name")
        .owner_account("administrator")
        .max_member_count(400)
        .cover_url("cover url")
        .is_message_disabled(true)
        .category(vec![1, 2, 3])
        .is_public_visible(true)
        .is_seat_enabled(false)
        .take_seat_mode(TakeSeatMode::FreeToTake)
        .max_seat_count(8)
        .activity_status(1);
    let resp = client(&server).create_room(CreateRoom::new(info)).await.unwrap();
    assert_eq!(resp.room_id.as_deref(), Some("live-room"));
    // The documented 2024 sample request, as a JSON value.
    let sample = json!({"RoomInfo": {
        "RoomId": "live-room", "RoomType": "Live", "RoomName": "live name", "Owner_Account": "administrator",
        "MaxMemberCount": 400, "CoverURL": "cover url", "IsMessageDisabled": true, "Category": [1, 2, 3],
        "IsPublicVisible": true, "IsSeatEnabled": false, "TakeSeatMode": "FreeToTake", "MaxSeatCount": 8,
        "ActivityStatus": 1
    }});
    assert_eq!(server.requests()[0].json(), sample);
}

#[tokio::test]
async fn set_mix_stream_serializes_the_documented_sample() {
    let server = TestServer::start(|_| Reply::ok(json!({}))).await;
    let item = LayoutItem::new()
        .location_x(630)
        .location_y(0)
        .image_width(90)
        .image_height(160)
        .room_id("mix1")
        .member_account("brennanli")
        .stream_type(0)
        .z_order(1);
    let max = LayoutItem::new().room_id("mix1").member_account("brennanli").stream_type(1).z_order(0);
    let req = SetMixStream::new("mix1", LayoutMode::Custom)
        .video_encode(VideoEncode::new().width(720).height(1280))
        .layout_info(LayoutInfo::new().layout_list(vec![item]).max_user_layout(max));
    client(&server).set_mix_stream(req).await.unwrap();
    let sample = json!({
        "RoomId": "mix1", "LayoutMode": 1000, "VideoEncode": {"Width": 720, "Height": 1280},
        "LayoutInfo": {
            "LayoutList": [{"LocationX": 630, "LocationY": 0, "ImageWidth": 90, "ImageHeight": 160,
                            "RoomId": "mix1", "Member_Account": "brennanli", "StreamType": 0, "ZOrder": 1}],
            "MaxUserLayout": {"RoomId": "mix1", "Member_Account": "brennanli", "StreamType": 1, "ZOrder": 0}
        }
    });
    assert_eq!(server.requests()[0].json(), sample);
}

#[tokio::test]
async fn get_room_info_decodes_every_documented_shape() {
    let server = TestServer::start(|r| {
        let room = r.json()["RoomId"].as_str().unwrap().to_owned();
        let info = if room == "old" {
            // Older page: numeric owner, boolean-as-string, integer TakeSeatMode, unknown fields.
            json!({"RoomId": "old", "Owner_Account": 123456, "IsMessageDisabled": "true",
                   "TakeSeatMode": 1, "MaxSeatCount": "8", "Extra": {"x": 1}})
        } else {
            json!({"RoomId": "new", "RoomName": "n", "RoomType": "Live", "Owner_Account": "host",
                   "IsSeatEnabled": true, "TakeSeatMode": "ApplyToTake", "MaxSeatCount": 8,
                   "MaxMemberCount": 1000, "IsMessageDisabled": false, "CoverURL": "u", "Category": [1],
                   "ActivityStatus": 0, "IsPublicVisible": true, "CreateTime": 1700000000, "ViewCount": 5,
                   "Notice": "hi", "RoomType2": "future"})
        };
        Reply::ok(json!({"Response": {"RoomInfo": info}}))
    })
    .await;
    let c = client(&server);
    let old = c.get_room_info(GetRoomInfo::new("old")).await.unwrap().room_info.unwrap();
    assert_eq!(old.owner_account.as_deref(), Some("123456"));
    assert_eq!(old.is_message_disabled, Some(true));
    assert_eq!(old.take_seat_mode, Some(TakeSeatMode::FreeToTake));
    assert_eq!(old.max_seat_count, Some(8));
    let new = c.get_room_info(GetRoomInfo::new("new")).await.unwrap().room_info.unwrap();
    assert_eq!(new.take_seat_mode, Some(TakeSeatMode::ApplyToTake));
    assert_eq!(new.room_type, Some(RoomType::Live));
    assert_eq!(new.create_time, Some(1700000000));
    assert_eq!(new.notice.as_deref(), Some("hi"));
}

#[tokio::test]
async fn unknown_enum_values_are_kept_not_fatal() {
    let server =
        TestServer::start(|_| Reply::ok(json!({"Response": {"RoomInfo": {"RoomType": "Voice", "TakeSeatMode": 7}}})))
            .await;
    let info = client(&server).get_room_info(GetRoomInfo::new("r")).await.unwrap().room_info.unwrap();
    let Some(RoomType::Unknown(v)) = &info.room_type else { panic!("{info:?}") };
    assert_eq!(v.as_str(), Some("Voice"));
    let Some(TakeSeatMode::Unknown(v)) = &info.take_seat_mode else { panic!("{info:?}") };
    assert_eq!(v.as_i64(), Some(7));
    // And it re-encodes as received.
    assert_eq!(serde_json::to_value(&info).unwrap(), json!({"RoomType": "Voice", "TakeSeatMode": 7}));
}

#[tokio::test]
async fn destroy_room_decodes_statistics_and_the_older_bare_envelope() {
    let server = TestServer::start(|r| {
        if r.json()["RoomId"] == "new" {
            Reply::ok(json!({"Response": {"Statistic": {"TotalViewers": 3, "TotalGiftsSent": 1,
                "TotalGiftCoins": 10, "TotalUniqueGiftSenders": 1, "TotalLikesReceived": 7}}}))
        } else {
            Reply::ok(json!({}))
        }
    })
    .await;
    let c = client(&server);
    let stats = c.destroy_room(DestroyRoom::new("new")).await.unwrap().statistic.unwrap();
    assert_eq!((stats.total_viewers, stats.total_likes_received), (Some(3), Some(7)));
    assert!(c.destroy_room(DestroyRoom::new("old")).await.unwrap().statistic.is_none());
}

/// The Chat endpoints answer with an envelope without `RequestId` (and report per-account
/// failures inside `ErrorCode` 0): both forms of a request go on the wire as written, the
/// per-item results are typed, and error codes keep their retry class.
#[tokio::test]
async fn chat_answers_without_request_id_decode_with_their_per_item_results() {
    use live_api::{
        AccountDelete, AccountImport, AccountImportCode, AccountItem, AccountResultCode, ImportedAccount,
        MultiaccountImport, OnlineStatus, QueryOnlineStatus,
    };
    let server = TestServer::start(|r| match r.path.as_str() {
        "/v4/im_open_login_svc/multiaccount_import" => Reply::json(json!({
            "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "FailAccounts": ["b"]
        })),
        "/v4/im_open_login_svc/account_delete" => Reply::json(json!({
            "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "",
            "ResultItem": [
                { "ResultCode": 0, "ResultInfo": "", "UserID": "a" },
                { "ResultCode": 70107, "ResultInfo": "Err_TLS_PT_Open_Login_Account_Not_Exist", "UserID": "b" },
                { "ResultCode": 70999, "ResultInfo": "?", "UserID": "c" }
            ]
        })),
        "/v4/openim/query_online_status" => Reply::json(json!({
            "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "",
            "QueryResult": [ { "To_Account": "a", "Status": "Online" }, { "To_Account": "b", "State": "PushOnline" } ],
            "ErrorList": [ { "To_Account": "c", "ErrorCode": 70107 } ]
        })),
        _ => {
            let code = match r.json()["UserID"].as_str() {
                Some("slow") => 70169,
                _ => 70398,
            };
            Reply::json(json!({ "ActionStatus": "FAIL", "ErrorCode": code, "ErrorInfo": "failed" }))
        }
    })
    .await;
    let c = client(&server);

    let old = c.multiaccount_import(MultiaccountImport::new().accounts(vec!["a".to_owned(), "b".to_owned()])).await;
    let old = old.unwrap();
    assert_eq!(old.fail_accounts, Some(vec!["b".to_owned()]));
    // The call succeeded; not every account was imported.
    assert!(!old.all_succeeded());
    assert_eq!(old.failed(), [&"b".to_owned()]);
    let new = MultiaccountImport::new().account_list(vec![ImportedAccount::new("a").nick("Anna")]);
    c.multiaccount_import(new).await.unwrap();
    let bodies: Vec<_> = server.requests().iter().map(|r| r.json()).collect();
    assert_eq!(bodies[0], json!({ "Accounts": ["a", "b"] }));
    assert_eq!(bodies[1], json!({ "AccountList": [ { "UserID": "a", "Nick": "Anna" } ] }));

    let deleted = c
        .account_delete(AccountDelete::new(vec![AccountItem::new("a"), AccountItem::new("b"), AccountItem::new("c")]))
        .await
        .unwrap();
    let failed: Vec<_> = deleted.failed().iter().map(|r| (r.user_id.clone().unwrap(), r.result_code.clone())).collect();
    assert_eq!(failed.len(), 2, "a non-zero ResultCode, documented or not, is a failure: {failed:?}");
    assert_eq!(failed[0], ("b".to_owned(), Some(AccountResultCode::AccountNotFound)));
    assert_eq!(failed[1].0, "c");
    assert!(!deleted.all_succeeded());
    let deleted = deleted.result_item.unwrap();
    let codes: Vec<_> = deleted.iter().map(|r| r.result_code.clone().unwrap()).collect();
    assert_eq!(codes[..2], [AccountResultCode::Ok, AccountResultCode::AccountNotFound]);
    let AccountResultCode::Unknown(other) = &codes[2] else { panic!("{:?}", codes[2]) };
    assert_eq!(other.as_i64(), Some(70999), "an undocumented per-item code keeps its number");

    let online = c.query_online_status(QueryOnlineStatus::new(vec!["a".into(), "b".into(), "c".into()])).await.unwrap();
    let failed: Vec<_> = online.failed().into_iter().map(|e| e.to_account.clone().unwrap()).collect();
    assert_eq!(failed, ["c"]);
    let status: Vec<_> = online.query_result.unwrap().into_iter().map(|r| r.status).collect();
    assert_eq!(status, [Some(OnlineStatus::Online), Some(OnlineStatus::PushOnline)], "Status and State both decode");
    assert_eq!(online.error_list.unwrap()[0].error_code, Some(AccountResultCode::AccountNotFound));

    for (user, variant, retry) in [
        ("slow", AccountImportCode::ServerTimeout, RetryClass::Transient),
        ("many", AccountImportCode::AccountLimitReached, RetryClass::Permanent),
    ] {
        let err = c.account_import(AccountImport::new(user)).await.unwrap_err();
        assert_eq!((err.code(), variant.retry_class()), (Some(variant), retry), "{user}");
        assert_eq!(err.request_id(), Some(""), "the Chat envelope has no RequestId");
        assert!(err.to_string().ends_with("request id none"), "{err}");
    }
    // A UserID is at most 32 bytes: refused before sending.
    let sent = server.requests().len();
    let err = c.account_import(AccountImport::new("u".repeat(33))).await.unwrap_err();
    assert!(matches!(err, Error::Invalid(_)) && err.to_string().contains("UserID"), "{err}");
    assert_eq!(server.requests().len(), sent);
}

/// The Chat limits at their bounds: a UserID of 32 bytes, 100 accounts a call, 500 UserIDs in an
/// online-status query, and one form of multiaccount_import; one past is refused before anything
/// is sent, naming the field, the limit and the actual value.
#[tokio::test]
async fn chat_limits_hold_at_their_bounds_before_sending() {
    use live_api::{
        AccountCheck, AccountDelete, AccountImport, AccountItem, MultiaccountImport, PortraitSet, ProfileItem,
        QueryOnlineStatus,
    };
    let server =
        TestServer::start(|_| Reply::json(json!({ "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "" }))).await;
    let c = client(&server);
    let ids = |n: usize| (0..n).map(|i| format!("u{i}")).collect::<Vec<String>>();
    let items = |n: usize| ids(n).into_iter().map(AccountItem::new).collect::<Vec<_>>();

    c.account_import(AccountImport::new("u".repeat(32))).await.unwrap();
    c.account_delete(AccountDelete::new(items(100))).await.unwrap();
    c.multiaccount_import(MultiaccountImport::new().accounts(ids(100))).await.unwrap();
    c.query_online_status(QueryOnlineStatus::new(ids(500))).await.unwrap();
    let sent = server.requests().len();
    assert_eq!(sent, 4);

    let refused = [
        (
            c.account_import(AccountImport::new("u".repeat(33))).await.unwrap_err().to_string(),
            "UserID is 33 bytes; the API allows at most 32 bytes",
        ),
        (
            c.account_delete(AccountDelete::new(items(101))).await.unwrap_err().to_string(),
            "DeleteItem has 101 items; the API allows at most 100",
        ),
        (
            c.account_check(AccountCheck::new(items(101))).await.unwrap_err().to_string(),
            "CheckItem has 101 items; the API allows at most 100",
        ),
        (
            c.multiaccount_import(MultiaccountImport::new().accounts(ids(101))).await.unwrap_err().to_string(),
            "Accounts has 101 items; the API allows at most 100",
        ),
        (
            c.multiaccount_import(MultiaccountImport::new().accounts(vec!["u".repeat(33)]))
                .await
                .unwrap_err()
                .to_string(),
            "Accounts[0] is 33 bytes; the API allows at most 32 bytes",
        ),
        (
            c.query_online_status(QueryOnlineStatus::new(ids(501))).await.unwrap_err().to_string(),
            "To_Account has 501 items; the API allows at most 500",
        ),
        (
            c.query_online_status(QueryOnlineStatus::new(Vec::<String>::new())).await.unwrap_err().to_string(),
            "To_Account has 0 items; the API requires at least 1",
        ),
        (
            c.multiaccount_import(MultiaccountImport::new()).await.unwrap_err().to_string(),
            "exactly one of AccountList, Accounts must be set; none is set",
        ),
        (
            c.portrait_set(PortraitSet::new("u".repeat(33), vec![ProfileItem::nick("n".repeat(501))]))
                .await
                .unwrap_err()
                .to_string(),
            "From_Account is 33 bytes; the API allows at most 32 bytes",
        ),
    ];
    for (err, want) in &refused {
        assert!(err.contains(want), "{err} should say {want}");
    }
    assert!(refused.last().unwrap().0.contains("ProfileItem[0].Value is 501 bytes; the API allows at most 500 bytes"));
    assert_eq!(server.requests().len(), sent, "nothing refused was sent");
}

/// Profile tags are typed: the standard tags by name, custom ones by their prefix; the values
/// keep their kind; a failed user of portrait_get is in `failed()`.
#[tokio::test]
async fn profiles_are_typed_by_tag_and_per_user_failures_show() {
    use live_api::{IntOrString, PortraitGet, ProfileItem, ProfileTag};
    let server = TestServer::start(|_| {
        Reply::json(json!({
            "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "ErrorDisplay": "",
            "UserProfileItem": [
                { "To_Account": "a", "ResultCode": 0, "ResultInfo": "", "ProfileItem": [
                    { "Tag": "Tag_Profile_IM_Nick", "Value": "Ada" },
                    { "Tag": "Tag_Profile_Custom_Level", "Value": 3 },
                    { "Tag": "Tag_Profile_IM_Gender", "Value": "Gender_Type_Female" }
                ] },
                { "To_Account": "b", "ResultCode": 40003, "ResultInfo": "account not found" }
            ],
            "Fail_Account": ["b"]
        }))
    })
    .await;
    let c = client(&server);
    let tags = vec![ProfileTag::Nick, ProfileTag::custom("Level")];
    let got = c.portrait_get(PortraitGet::new(vec!["a".to_owned(), "b".to_owned()], tags)).await.unwrap();
    assert_eq!(server.requests()[0].json()["TagList"], json!(["Tag_Profile_IM_Nick", "Tag_Profile_Custom_Level"]));
    let failed: Vec<_> = got.failed().iter().map(|u| (u.to_account.clone().unwrap(), u.result_code)).collect();
    assert_eq!(failed, [("b".to_owned(), Some(40003))]);
    let users = got.user_profile_item.unwrap();
    let profile = users[0].profile_item.as_ref().unwrap();
    assert_eq!(profile[0], ProfileItem::nick("Ada"));
    assert_eq!(profile[1], ProfileItem::custom("Level", 3));
    let ProfileTag::Custom(level) = &profile[1].tag else { panic!("{:?}", profile[1].tag) };
    assert_eq!(level.as_str(), Some("Tag_Profile_Custom_Level"));
    let ProfileTag::Unknown(other) = &profile[2].tag else { panic!("{:?}", profile[2].tag) };
    assert_eq!(other.as_str(), Some("Tag_Profile_IM_Gender"), "a standard tag the pages read do not list is kept");
    assert_eq!(profile[2].value, IntOrString::from("Gender_Type_Female"));
}
