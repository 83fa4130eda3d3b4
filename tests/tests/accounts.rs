//! The emulator's Chat accounts (`im_open_login_svc`, `openim/query_online_status`, `profile`):
//! every documented sample through it, each limit at its bounds, the per-item failures of the
//! batch calls, the state account_check, kick and account_delete leave, the login status
//! following the rooms, the Live endpoints' checks of the accounts they name (by default and in
//! strict mode), and the account state under concurrent calls.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::time::{SystemTime, UNIX_EPOCH};

use live_api::emulator::{Emulator, EmulatorConfig, MAX_PROFILE_VALUE_BYTES, RunningEmulator};
use live_api::usersig::{SignParams, sign};
use live_api::*;
use serde_json::{Value, json};

/// An emulator with `config` without rate limits, and a client that neither paces nor retries.
async fn start(config: EmulatorConfig) -> (RunningEmulator, Client) {
    let emu = Emulator::new(config.rate_limits(false)).listen("127.0.0.1:0").await.unwrap();
    let client = emu.client_builder().retry_policy(RetryPolicy::none()).rate_limit(RateLimitMode::Off).build().unwrap();
    (emu, client)
}

/// The API code of a call that must fail with one.
fn code<T: Debug, C: ErrorCode>(r: Result<T, Error<C>>) -> C {
    match r {
        Err(e) => e.code().unwrap_or_else(|| panic!("not an API error: {e}")),
        Ok(v) => panic!("expected an API error, got {v:?}"),
    }
}

/// A call that must be refused before anything is sent, naming `field`.
fn invalid<T: Debug, C: ErrorCode>(r: Result<T, Error<C>>, field: &str) {
    match r {
        Err(e @ Error::Invalid(_)) => assert!(e.to_string().contains(field), "{e}"),
        other => panic!("expected Error::Invalid naming {field}, got {other:?}"),
    }
}

fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

fn items(users: &[String]) -> Vec<AccountItem> {
    users.iter().map(|u| AccountItem::new(u.as_str())).collect()
}

/// The profile tag whose wire name is `wire` (a standard, custom or unknown one).
fn tag(wire: &str) -> ProfileTag {
    serde_json::from_value(json!(wire)).unwrap()
}

/// The profile field `wire` with a text value.
fn field(wire: &str, value: &str) -> ProfileItem {
    ProfileItem::new(tag(wire), value)
}

/// The login status of each user the answer lists (`Status`, or its alias `State`).
fn statuses(answer: &QueryOnlineStatusResponse) -> BTreeMap<String, OnlineStatus> {
    let results = answer.query_result.iter().flatten();
    results.map(|r| (r.to_account.clone().unwrap(), r.status.clone().unwrap())).collect()
}

/// The users of `QueryResult` and `ErrorList`, as the status of each and the code of each.
async fn online(c: &Client, users: &[&str]) -> (BTreeMap<String, OnlineStatus>, BTreeMap<String, AccountResultCode>) {
    let to: Vec<String> = users.iter().map(|u| u.to_string()).collect();
    let answer = c.query_online_status(QueryOnlineStatus::new(to)).await.unwrap();
    let errors = answer.error_list.iter().flatten();
    let errors = errors.map(|e| (e.to_account.clone().unwrap(), e.error_code.clone().unwrap())).collect();
    (statuses(&answer), errors)
}

/// The `AccountStatus` of each user.
async fn checked(c: &Client, users: &[String]) -> BTreeMap<String, AccountStatus> {
    let answer = c.account_check(AccountCheck::new(items(users))).await.unwrap().result_item.unwrap();
    for r in &answer {
        assert_eq!(r.result_code, Some(AccountResultCode::Ok), "a check does not fail: {r:?}");
    }
    answer.into_iter().map(|r| (r.user_id.unwrap(), r.account_status.unwrap())).collect()
}

async fn imported(c: &Client, users: &[String]) -> BTreeSet<String> {
    let status = checked(c, users).await;
    status.into_iter().filter(|(_, s)| *s == AccountStatus::Imported).map(|(u, _)| u).collect()
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// Sends the raw JSON `body` to the endpoint `name` (`service/command`) of the emulator.
async fn post(emu: &RunningEmulator, name: &str, body: &str) -> Value {
    let ticket = sign(&SignParams::new(emu.sdk_app_id(), emu.secret_key().expose(), emu.admin(), 3600), unix_now());
    let url = format!(
        "{}/v4/{name}?sdkappid={}&identifier={}&usersig={ticket}&random=1&contenttype=json",
        emu.url(),
        emu.sdk_app_id(),
        emu.admin()
    );
    let answer = reqwest::Client::new().post(url).body(body.to_owned()).send().await.unwrap();
    serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap()
}

/// The documented examples of `name` (`service/command`): each request and its answer.
fn samples(name: &str) -> Vec<(String, Value, Option<Value>)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let api = live_api_codegen::load::load_dir(&root.join("api-specs"), root).api.expect("valid specs");
    let e = api.endpoints.into_iter().find(|e| format!("{}/{}", e.service, e.command) == name).unwrap();
    let parse = |s: &str| serde_json::from_str::<Value>(s).unwrap();
    e.examples.into_iter().map(|x| (x.name, parse(&x.request), x.response.as_deref().map(parse))).collect()
}

/// The answer without its envelope (`ActionStatus`, `ErrorCode`, `ErrorInfo`, `RequestId`).
fn payload(answer: &Value) -> Value {
    let mut map = answer.as_object().unwrap().clone();
    for key in ["ActionStatus", "ErrorCode", "ErrorInfo", "RequestId"] {
        map.remove(key);
    }
    Value::Object(map)
}

/// Every code the emulator answered is documented for the endpoint that answered it.
fn codes_are_documented(emu: &RunningEmulator) {
    struct Check(BTreeMap<(String, i64), u64>, Vec<String>);
    impl EndpointVisitor for Check {
        fn visit<E: ServerEndpoint>(&mut self) {
            let name = E::META.name();
            for (_, code) in self.0.keys().filter(|(e, c)| *e == name && *c != 0) {
                if <E::Code as ErrorCode>::from_code(*code).info().is_err() {
                    self.1.push(format!("{name} answered {code}, which its spec does not document"));
                }
            }
        }
    }
    let mut check = Check(emu.emulator().served(), Vec::new());
    visit_endpoints(&mut check);
    assert!(check.1.is_empty(), "{}", check.1.join("\n"));
}

// ---------------------------------------------------------------------------------------------

/// Each sample request of the account, status and profile endpoints, sent as written; where the
/// spec has the answer (and it is not a failure whose request is not shown), the emulator's is
/// the same, but for what it cannot be (`PushOnline`: no mobile apps; `Detail`: no platforms).
#[tokio::test]
async fn every_sample_goes_through_the_emulator() {
    let (emu, c) = start(EmulatorConfig::new()).await;
    let users: Vec<String> = ["UserID_1", "id", "id1", "id2", "id3"].iter().map(|s| s.to_string()).collect();
    c.multiaccount_import(MultiaccountImport::new().accounts(users)).await.unwrap();
    c.create_room(CreateRoom::new(RoomInfo::new("r", RoomType::Live))).await.unwrap();
    emu.emulator().enter_room("r", "id2").unwrap();

    let order = [
        "im_open_login_svc/account_import",
        "im_open_login_svc/multiaccount_import",
        "im_open_login_svc/account_check",
        "openim/query_online_status",
        "profile/portrait_set",
        "profile/portrait_get",
        "im_open_login_svc/kick",
        "im_open_login_svc/account_delete",
    ];
    let mut sent = 0;
    for name in order {
        for (example, request, documented) in samples(name) {
            let answer = post(&emu, name, &request.to_string()).await;
            sent += 1;
            assert_eq!(
                (answer["ActionStatus"].clone(), answer["ErrorCode"].clone()),
                (json!("OK"), json!(0)),
                "{name}, {example}: {answer}"
            );
            let got = payload(&answer);
            match name {
                "im_open_login_svc/multiaccount_import" => assert_eq!(got, json!({ "FailAccounts": [] }), "{example}"),
                "im_open_login_svc/account_check" => {
                    let status: Vec<&Value> =
                        got["ResultItem"].as_array().unwrap().iter().map(|r| &r["AccountStatus"]).collect();
                    assert_eq!(status, [&json!("Imported"), &json!("NotImported")], "{example}: {got}");
                }
                "openim/query_online_status" => {
                    let asked: Vec<&str> =
                        request["To_Account"].as_array().unwrap().iter().map(|u| u.as_str().unwrap()).collect();
                    let results = got["QueryResult"].as_array().unwrap();
                    let listed: Vec<&str> = results.iter().map(|r| r["To_Account"].as_str().unwrap()).collect();
                    assert_eq!(listed, asked.iter().copied().filter(|u| *u != "id4").collect::<Vec<_>>(), "{example}");
                    for r in results {
                        let expected = if r["To_Account"] == "id2" { "Online" } else { "Offline" };
                        assert_eq!(r["Status"], json!(expected), "{example}: {r}");
                        if let Some(state) = r.get("State") {
                            assert_eq!(state, &r["Status"], "the English pages' key, the same status");
                        }
                    }
                    assert_eq!(got["ErrorList"], json!([{ "To_Account": "id4", "ErrorCode": 70107 }]), "{example}");
                    if let Some(doc) = documented.as_ref().filter(|d| d["ActionStatus"] == "OK") {
                        let doc_users: Vec<&Value> =
                            doc["QueryResult"].as_array().unwrap().iter().map(|r| &r["To_Account"]).collect();
                        let users: Vec<&Value> = results.iter().map(|r| &r["To_Account"]).collect();
                        assert!(doc_users.iter().all(|u| users.contains(u)), "{example}: {doc}");
                        if let Some(errors) = doc.get("ErrorList") {
                            assert_eq!(errors, &got["ErrorList"], "{example}"); // one sample is cut before it
                        }
                    }
                }
                "profile/portrait_get" => {
                    let asked = request["To_Account"].as_array().unwrap();
                    let profiles = got["UserProfileItem"].as_array().unwrap();
                    assert_eq!(profiles.len(), asked.len(), "{example}");
                    for (p, user) in profiles.iter().zip(asked) {
                        let expected = if *user == "id4" { 40003 } else { 0 };
                        assert_eq!((&p["To_Account"], &p["ResultCode"]), (user, &json!(expected)), "{example}: {p}");
                    }
                    let failed = if asked.contains(&json!("id4")) { json!(["id4"]) } else { Value::Null };
                    assert_eq!(got.get("Fail_Account").cloned().unwrap_or(Value::Null), failed, "{example}");
                }
                _ => {
                    // A success whose answer the spec has: the same (portrait_set's only sample
                    // answer is a failure to decode a body the page does not show).
                    if let Some(doc) = documented.filter(|d| d["ActionStatus"] == "OK") {
                        assert_eq!(got, payload(&doc), "{name}, {example}");
                    }
                }
            }
        }
    }
    assert!(sent >= 16, "{sent} samples");
    // portrait_set's sample set the nickname of "id", which portrait_get answers.
    let nick = c.portrait_get(PortraitGet::new(vec!["id".into()], vec![tag("Tag_Profile_IM_Nick")])).await.unwrap();
    assert_eq!(nick.user_profile_item.unwrap()[0].profile_item, Some(vec![field("Tag_Profile_IM_Nick", "MyNickName")]));
    // account_delete's sample answer is reproduced: UserID_1 was imported, UserID_2 never was.
    let again = post(&emu, "im_open_login_svc/account_delete", r#"{"DeleteItem":[{"UserID":"UserID_1"}]}"#).await;
    assert_eq!(again["ResultItem"][0]["ResultCode"], json!(70107), "deleted by the sample");
    codes_are_documented(&emu);
}

#[tokio::test]
async fn each_limit_holds_at_its_bounds() {
    let (emu, c) = start(EmulatorConfig::new()).await;
    // UserIDs: 32 bytes are imported, 33 refused before sending.
    let longest = "u".repeat(32);
    c.account_import(AccountImport::new(longest.as_str())).await.unwrap();
    invalid(c.account_import(AccountImport::new("u".repeat(33))).await, "UserID");
    invalid(c.multiaccount_import(MultiaccountImport::new().accounts(vec!["v".repeat(33)])).await, "Accounts");
    invalid(c.kick(Kick::new("u".repeat(33))).await, "UserID");
    assert_eq!(imported(&c, std::slice::from_ref(&longest)).await, BTreeSet::from([longest.clone()]));

    // Nick and FaceUrl: 500 bytes.
    let (nick, face) = ("n".repeat(MAX_PROFILE_VALUE_BYTES), format!("http://{}", "f".repeat(493)));
    c.account_import(AccountImport::new("p").nick(nick.as_str()).face_url(face.as_str())).await.unwrap();
    let tags = vec![tag("Tag_Profile_IM_Nick"), tag("Tag_Profile_IM_Image")];
    let got = c.portrait_get(PortraitGet::new(vec!["p".into()], tags)).await.unwrap();
    let expected = vec![field("Tag_Profile_IM_Nick", &nick), field("Tag_Profile_IM_Image", &face)];
    assert_eq!(got.user_profile_item.unwrap()[0].profile_item, Some(expected), "Nick and FaceUrl are profile fields");
    invalid(c.account_import(AccountImport::new("p").nick("n".repeat(501))).await, "Nick");
    invalid(c.account_import(AccountImport::new("p").face_url("f".repeat(501))).await, "FaceUrl");
    let long_nick = ImportedAccount::new("p").nick("n".repeat(501));
    invalid(c.multiaccount_import(MultiaccountImport::new().account_list(vec![long_nick])).await, "Nick");
    c.portrait_set(PortraitSet::new("p", vec![field("Tag_Profile_Custom_Bio", &"b".repeat(500))])).await.unwrap();
    invalid(
        c.portrait_set(PortraitSet::new("p", vec![field("Tag_Profile_Custom_Bio", &"b".repeat(501))])).await,
        "Value",
    );

    // 100 accounts a call, in both forms of multiaccount_import, account_check and account_delete.
    let hundred = ids("h", 100);
    let list = hundred.iter().map(|u| ImportedAccount::new(u.as_str())).collect::<Vec<_>>();
    assert_eq!(
        c.multiaccount_import(MultiaccountImport::new().account_list(list)).await.unwrap().fail_accounts,
        Some(vec![])
    );
    c.multiaccount_import(MultiaccountImport::new().accounts(hundred.clone())).await.unwrap();
    assert_eq!(imported(&c, &hundred).await.len(), 100);
    let more = ids("h", 101);
    invalid(c.multiaccount_import(MultiaccountImport::new().accounts(more.clone())).await, "Accounts");
    let list = more.iter().map(|u| ImportedAccount::new(u.as_str())).collect::<Vec<_>>();
    invalid(c.multiaccount_import(MultiaccountImport::new().account_list(list)).await, "AccountList");
    invalid(c.account_check(AccountCheck::new(items(&more))).await, "CheckItem");
    invalid(c.account_delete(AccountDelete::new(items(&more))).await, "DeleteItem");

    // 1 to 500 users an online-status query.
    let many = ids("h", 500);
    let (status, errors) = online(&c, &many.iter().map(String::as_str).collect::<Vec<_>>()).await;
    assert_eq!((status.len(), errors.len()), (100, 400), "100 imported, 400 not");
    invalid(c.query_online_status(QueryOnlineStatus::new(ids("h", 501))).await, "To_Account");
    invalid(c.query_online_status(QueryOnlineStatus::new(vec![])).await, "To_Account");

    let deleted = c.account_delete(AccountDelete::new(items(&hundred))).await.unwrap().result_item.unwrap();
    assert!(deleted.iter().all(|r| r.result_code == Some(AccountResultCode::Ok)));
    assert!(imported(&c, &hundred).await.is_empty());
    codes_are_documented(&emu);
}

/// The account limit of an edition: the App administrator counts, an account imported twice
/// counts once, and past the limit account_import answers 70398 and multiaccount_import lists
/// the accounts in `FailAccounts`.
#[tokio::test]
async fn the_account_limit_holds_at_its_bound() {
    let (emu, c) = start(EmulatorConfig::new().account_limit(4)).await;
    for user in ["a", "b", "a"] {
        c.account_import(AccountImport::new(user)).await.unwrap();
    }
    let answer =
        c.multiaccount_import(MultiaccountImport::new().accounts(vec!["b".into(), "c".into(), "d".into()])).await;
    assert_eq!(answer.unwrap().fail_accounts, Some(vec!["d".to_owned()]), "administrator, a, b and c fill the limit");
    let err = c.account_import(AccountImport::new("d")).await.unwrap_err();
    assert_eq!(err.code(), Some(AccountImportCode::AccountLimitReached));
    assert_eq!(err.code().unwrap().retry_class(), RetryClass::Permanent);
    c.account_import(AccountImport::new("c").nick("Cy")).await.unwrap();
    c.account_delete(AccountDelete::new(vec![AccountItem::new("c")])).await.unwrap();
    c.account_import(AccountImport::new("d")).await.unwrap();
    codes_are_documented(&emu);
}

/// A mix of good and bad UserIDs: the call succeeds and says which items failed, and with which
/// code where the docs give one.
#[tokio::test]
async fn per_item_failures_are_reported_in_successful_answers() {
    let (emu, c) = start(EmulatorConfig::new().account_limit(4)).await;
    let list = vec![
        ImportedAccount::new("a").nick("first"),
        ImportedAccount::new(""),
        ImportedAccount::new("b"),
        ImportedAccount::new("a").nick("second"),
        ImportedAccount::new("c"),
        ImportedAccount::new("d"),
        ImportedAccount::new(""),
    ];
    let answer = c.multiaccount_import(MultiaccountImport::new().account_list(list)).await.unwrap();
    assert_eq!(answer.fail_accounts, Some(vec!["".to_owned(), "d".into()]), "an empty UserID, and one past the limit");
    let all: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
    assert_eq!(imported(&c, &all).await, BTreeSet::from(["a".into(), "b".into(), "c".into()]));
    let nick = c.portrait_get(PortraitGet::new(vec!["a".into()], vec![tag("Tag_Profile_IM_Nick")])).await.unwrap();
    assert_eq!(
        nick.user_profile_item.unwrap()[0].profile_item,
        Some(vec![field("Tag_Profile_IM_Nick", "second")]),
        "the later item updates the account"
    );

    let deleted = c.account_delete(AccountDelete::new(items(&["a".into(), "ghost".into(), "a".into()]))).await.unwrap();
    let results: Vec<_> = deleted
        .result_item
        .unwrap()
        .into_iter()
        .map(|r| (r.user_id.unwrap(), r.result_code.unwrap(), r.result_info.unwrap()))
        .collect();
    assert_eq!(results[0], ("a".into(), AccountResultCode::Ok, String::new()));
    for r in &results[1..] {
        assert_eq!(
            (&r.1, r.2.as_str()),
            (&AccountResultCode::AccountNotFound, "Err_TLS_PT_Open_Login_Account_Not_Exist"),
            "{r:?}"
        );
    }

    let (status, errors) = online(&c, &["b", "ghost", "a"]).await;
    assert_eq!(status, BTreeMap::from([("b".into(), OnlineStatus::Offline)]));
    assert_eq!(
        errors,
        BTreeMap::from([
            ("ghost".into(), AccountResultCode::AccountNotFound),
            ("a".into(), AccountResultCode::AccountNotFound)
        ])
    );

    let got = c
        .portrait_get(PortraitGet::new(vec!["b".into(), "ghost".into()], vec![tag("Tag_Profile_IM_Nick")]))
        .await
        .unwrap();
    let profiles = got.user_profile_item.unwrap();
    assert_eq!(
        (profiles[0].result_code, profiles[0].profile_item.as_deref()),
        (Some(0), Some(&[][..])),
        "b has no nickname"
    );
    assert_eq!((profiles[1].result_code, profiles[1].profile_item.as_ref()), (Some(40003), None));
    assert_eq!(got.fail_account, Some(vec!["ghost".to_owned()]));

    // What fails a whole call: neither or both forms (sent raw, as a client that does not check
    // them would), an empty UserID.
    let import = "im_open_login_svc/multiaccount_import";
    for body in [r#"{}"#, r#"{"Accounts":["x"],"AccountList":[{"UserID":"y"}]}"#] {
        let answer = post(&emu, import, body).await;
        assert_eq!(answer["ErrorCode"], json!(70402), "{body}: {answer}");
        assert!(answer["ErrorInfo"].as_str().unwrap().contains("AccountList"), "{answer}");
    }
    assert_eq!(code(c.account_import(AccountImport::new("")).await), AccountImportCode::InvalidParameter);
    assert!(imported(&c, &["x".into(), "y".into()]).await.is_empty(), "a refused call imports nothing");
    codes_are_documented(&emu);
}

#[tokio::test]
async fn check_kick_delete_and_profiles_leave_the_documented_state() {
    let (emu, c) = start(EmulatorConfig::new()).await;
    let users: Vec<String> = ["ann", "bob", emu.admin()].iter().map(|s| s.to_string()).collect();
    let before = checked(&c, &users).await;
    assert_eq!(before["ann"], AccountStatus::NotImported);
    assert_eq!(before[emu.admin()], AccountStatus::Imported, "the App administrator is an account");
    assert_eq!(code(c.kick(Kick::new("ann")).await), KickCode::AccountNotFound);
    assert_eq!(code(c.kick(Kick::new("")).await), KickCode::InvalidParameter);

    c.account_import(AccountImport::new("ann").nick("Ann").face_url("http://ann.example/a.png")).await.unwrap();
    c.account_import(AccountImport::new("ann")).await.unwrap();
    c.account_import(AccountImport::new("bob")).await.unwrap();
    assert_eq!(imported(&c, &users).await.len(), 3);
    c.kick(Kick::new("ann")).await.unwrap();
    c.kick(Kick::new("ann")).await.unwrap();
    assert_eq!(checked(&c, &users).await["ann"], AccountStatus::Imported, "kick keeps the account");

    // Profiles: standard and custom fields; the import's Nick and FaceUrl are standard fields,
    // and an import without them keeps them.
    let fields = vec![field("Tag_Profile_IM_SelfSignature", "hello"), field("Tag_Profile_Custom_Level", "7")];
    c.portrait_set(PortraitSet::new("ann", fields)).await.unwrap();
    c.portrait_set(PortraitSet::new("ann", vec![field("Tag_Profile_Custom_Level", "8")])).await.unwrap();
    let tags: Vec<ProfileTag> =
        ["Tag_Profile_Custom_Level", "Tag_Profile_IM_Nick", "Tag_Profile_IM_Image", "Tag_Profile_IM_AllowType"]
            .iter()
            .map(|s| tag(s))
            .collect();
    let got = c.portrait_get(PortraitGet::new(vec!["ann".into(), "bob".into()], tags.clone())).await.unwrap();
    assert_eq!(got.fail_account, None, "present only when a user failed");
    let profiles = got.user_profile_item.unwrap();
    let expected = vec![
        field("Tag_Profile_Custom_Level", "8"),
        field("Tag_Profile_IM_Nick", "Ann"),
        field("Tag_Profile_IM_Image", "http://ann.example/a.png"),
    ];
    assert_eq!(profiles[0].profile_item, Some(expected), "the fields asked, in order, that have a value");
    assert_eq!(profiles[1].profile_item, Some(vec![]));

    type Set = PortraitSetCode;
    let unknown = PortraitSet::new("ann", vec![field("Nick", "x")]);
    assert_eq!(code(c.portrait_set(unknown).await), Set::TagNotFound);
    assert_eq!(
        code(c.portrait_set(PortraitSet::new("ann", vec![field("Tag_Profile_Custom_", "x")])).await),
        Set::TagNotFound
    );
    assert_eq!(
        code(c.portrait_set(PortraitSet::new("ghost", vec![field("Tag_Profile_IM_Nick", "x")])).await),
        Set::AccountNotFound
    );
    assert_eq!(code(c.portrait_set(PortraitSet::new("ann", vec![])).await), Set::InvalidParameter);
    type Get = PortraitGetCode;
    assert_eq!(code(c.portrait_get(PortraitGet::new(vec![], tags.clone())).await), Get::ToAccountMissing);
    assert_eq!(code(c.portrait_get(PortraitGet::new(vec!["ann".into()], vec![])).await), Get::InvalidParameter);
    assert_eq!(code(c.portrait_get(PortraitGet::new(vec!["ann".into()], vec![tag("Tag_X")])).await), Get::TagNotFound);

    // Deleting takes the profile with it; the emulator is a trial edition, which may import a
    // deleted UserID again at once.
    let deleted = c.account_delete(AccountDelete::new(items(&["ann".into()]))).await.unwrap();
    assert_eq!(deleted.result_item.unwrap()[0].result_code, Some(AccountResultCode::Ok));
    assert_eq!(checked(&c, &users).await["ann"], AccountStatus::NotImported);
    assert_eq!(code(c.kick(Kick::new("ann")).await), KickCode::AccountNotFound);
    c.account_import(AccountImport::new("ann")).await.unwrap();
    let got = c.portrait_get(PortraitGet::new(vec!["ann".into()], tags)).await.unwrap();
    assert_eq!(got.user_profile_item.unwrap()[0].profile_item, Some(vec![]), "a new account, with no profile");
    codes_are_documented(&emu);
}

/// Online while in a room entered through the SDK (the emulator's stand-in), Offline after
/// leaving it, being banned, kicked or deleted; the last two also take the user out of the room.
#[tokio::test]
async fn online_status_follows_the_rooms() {
    let (emu, c) = start(EmulatorConfig::new()).await;
    let e = emu.emulator();
    for room in ["r1", "r2"] {
        c.create_room(CreateRoom::new(RoomInfo::new(room, RoomType::Live).is_seat_enabled(true).max_seat_count(2)))
            .await
            .unwrap();
    }
    let users: Vec<String> = ["ann", "bob", "cy"].iter().map(|s| s.to_string()).collect();
    c.multiaccount_import(MultiaccountImport::new().accounts(users)).await.unwrap();
    let status = |c: Client| async move { online(&c, &["ann", "bob", "cy"]).await.0 };
    let all =
        |s: OnlineStatus| BTreeMap::from([("ann".into(), s.clone()), ("bob".into(), s.clone()), ("cy".into(), s)]);
    assert_eq!(status(c.clone()).await, all(OnlineStatus::Offline));

    e.enter_room("r1", "ann").unwrap();
    e.enter_room("r2", "ann").unwrap();
    e.enter_room("r1", "bob").unwrap();
    e.enter_room("r1", "cy").unwrap();
    assert_eq!(status(c.clone()).await, all(OnlineStatus::Online));
    e.leave_room("r1", "ann").unwrap();
    assert_eq!(status(c.clone()).await["ann"], OnlineStatus::Online, "still in r2");
    e.leave_room("r2", "ann").unwrap();
    assert_eq!(status(c.clone()).await["ann"], OnlineStatus::Offline);

    c.ban_member(BanMember::new("r1", vec!["cy".to_owned()], 3600)).await.unwrap();
    assert_eq!(status(c.clone()).await["cy"], OnlineStatus::Offline, "banned from the only room");

    c.pick_user_on_seat(PickUserOnSeat::new("r1", 0, "bob")).await.unwrap();
    c.kick(Kick::new("bob")).await.unwrap();
    assert_eq!(status(c.clone()).await["bob"], OnlineStatus::Offline, "kicked");
    let members = c.get_member_list(GetMemberList::new("r1", "")).await.unwrap().member_list.unwrap();
    assert!(members.iter().all(|m| m.member_account.as_deref() != Some("bob")), "kick ends the login, and the stay");
    let seats = c.get_seat_list(GetSeatList::new("r1")).await.unwrap().seat_list.unwrap();
    assert_eq!(seats[0].member_account, None);
    e.enter_room("r1", "bob").unwrap();
    assert_eq!(status(c.clone()).await["bob"], OnlineStatus::Online, "a new login");

    // A deleted account leaves its rooms, and is no robot or administrator.
    c.add_robot(AddRobot::new("r2", vec!["ann".to_owned()])).await.unwrap();
    c.modify_admin(ModifyAdmin::new("r2", vec!["ann".to_owned()], AdminOpType::Add)).await.unwrap();
    e.enter_room("r2", "ann").unwrap();
    c.account_delete(AccountDelete::new(items(&["ann".into()]))).await.unwrap();
    let (status, errors) = online(&c, &["ann"]).await;
    assert_eq!((status.len(), &errors["ann"]), (0, &AccountResultCode::AccountNotFound));
    let members = c.get_member_list(GetMemberList::new("r2", "")).await.unwrap().member_list.unwrap();
    assert!(members.iter().all(|m| m.member_account.as_deref() != Some("ann")));
    assert_eq!(c.get_robot(GetRobot::new("r2")).await.unwrap().robot_list_account, Some(vec![]));
    assert_eq!(c.get_admin_list(GetAdminList::new("r2")).await.unwrap().admin_account, Some(vec![]));
    codes_are_documented(&emu);
}

/// Where the docs say a field is an imported account, an account that is not is refused by
/// default; in strict mode, also where they are silent. Each refusal is the endpoint's
/// documented 100002, naming the field.
#[tokio::test]
async fn live_endpoints_refuse_accounts_that_are_not_imported() {
    for strict in [false, true] {
        let (emu, c) = start(EmulatorConfig::new().require_imported_accounts(strict)).await;
        let says = |e: &str, field: &str| assert!(e.contains(field) && e.contains("not an imported account"), "{e}");

        let owned = CreateRoom::new(RoomInfo::new("r", RoomType::Live).owner_account("host"));
        let err = c.create_room(owned.clone()).await.unwrap_err();
        assert_eq!(err.code(), Some(CreateRoomCode::InvalidParameter));
        says(&err.to_string(), "RoomInfo.Owner_Account");
        c.create_room(CreateRoom::new(RoomInfo::new("own", RoomType::Live)))
            .await
            .expect("the caller, an administrator, owns it");
        let err = c.add_robot(AddRobot::new("own", vec!["bot".to_owned()])).await.unwrap_err();
        assert_eq!(err.code(), Some(AddRobotCode::InvalidParameter));
        says(&err.to_string(), "RobotList_Account");
        assert_eq!(
            code(c.del_robot(DelRobot::new("own", vec!["bot".to_owned()])).await),
            DelRobotCode::InvalidParameter
        );

        c.multiaccount_import(MultiaccountImport::new().accounts(vec!["host".into(), "bot".into()])).await.unwrap();
        c.create_room(owned).await.unwrap();
        c.add_robot(AddRobot::new("r", vec!["bot".to_owned()])).await.unwrap();
        c.del_robot(DelRobot::new("r", vec!["bot".to_owned()])).await.unwrap();
        c.add_gift(AddGift::new("rose", 3, "Rose")).await.unwrap();

        // Where the docs are silent.
        let text = SendTextMsg::new("r", "ghost", "hi");
        let custom = SendCustomMsg::new("r", "biz", "data").sender_account("ghost");
        let gift = SendGift::new("r", "rose", "ghost", vec!["host".to_owned()]);
        let to_ghost = SendGift::new("r", "rose", "host", vec!["ghost".to_owned()]);
        let admin = ModifyAdmin::new("r", vec!["ghost".to_owned()], AdminOpType::Add);
        let owner = ChangeRoomOwner::new("r", "ghost");
        if strict {
            let err = c.send_text_msg(text).await.unwrap_err();
            assert_eq!(err.code(), Some(SendTextMsgCode::InvalidParameter));
            says(&err.to_string(), "Sender_Account");
            assert_eq!(code(c.send_custom_msg(custom).await), SendCustomMsgCode::InvalidParameter);
            let err = c.send_gift(gift).await.unwrap_err();
            assert_eq!(err.code(), Some(SendGiftCode::InvalidParameter));
            says(&err.to_string(), "From_Account");
            assert_eq!(code(c.send_gift(to_ghost).await), SendGiftCode::InvalidParameter);
            assert_eq!(code(c.modify_admin(admin).await), ModifyAdminCode::InvalidParameter);
            assert_eq!(code(c.change_room_owner(owner).await), ChangeRoomOwnerCode::InvalidParameter);
            let refused = emu.emulator().enter_room("r", "ghost").unwrap_err();
            assert_eq!(refused.code, 70107, "{}", refused.message);
            let stats = c.get_room_stats(GetRoomStats::new("r")).await.unwrap();
            assert_eq!((stats.total_msg_count, stats.total_gifts_sent), (Some(0), Some(0)), "nothing was sent");
            c.account_import(AccountImport::new("ghost")).await.unwrap();
            let text = SendTextMsg::new("r", "ghost", "hi");
            let gift = SendGift::new("r", "rose", "ghost", vec!["host".to_owned()]);
            c.send_text_msg(text).await.unwrap();
            c.send_gift(gift).await.unwrap();
            emu.emulator().enter_room("r", "ghost").unwrap();
        } else {
            c.send_text_msg(text).await.unwrap();
            c.send_custom_msg(custom).await.unwrap();
            c.send_gift(gift).await.unwrap();
            c.send_gift(to_ghost).await.unwrap();
            c.modify_admin(admin).await.unwrap();
            emu.emulator().enter_room("r", "ghost").unwrap();
            c.change_room_owner(owner).await.unwrap();
        }
        codes_are_documented(&emu);
    }
}

/// Many tasks import, delete and check accounts at once: every import of a UserID makes one
/// account (the limit counts each once), every account deleted by several calls is reported
/// deleted by exactly one, and the accounts no call touched stay imported throughout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_state_stays_consistent_under_concurrent_calls() {
    // The administrator and 30 accounts.
    let (emu, c) = start(EmulatorConfig::new().account_limit(31)).await;

    // 90 imports of 45 UserIDs (each twice), racing for 30 places.
    let wanted = ids("w", 45);
    let tasks: Vec<_> = (0..90)
        .map(|i| {
            let (c, user) = (c.clone(), wanted[i % 45].clone());
            tokio::spawn(async move {
                (user.clone(), c.account_import(AccountImport::new(user)).await.map_err(|e| e.code()))
            })
        })
        .collect();
    let mut answers: BTreeMap<String, Vec<Result<(), Option<AccountImportCode>>>> = BTreeMap::new();
    for t in tasks {
        let (user, answer) = t.await.unwrap();
        answers.entry(user).or_default().push(answer.map(|_| ()));
    }
    let now = imported(&c, &wanted).await;
    assert_eq!(now.len(), 30, "each UserID counts once against the limit");
    for (user, results) in &answers {
        let refused = results.iter().filter(|r| r.is_err()).count();
        assert!(
            results.iter().filter_map(|r| r.as_ref().err()).all(|e| *e == Some(AccountImportCode::AccountLimitReached)),
            "{user}: {results:?}"
        );
        // Nothing is deleted, so once the limit is reached it stays reached: an imported account's
        // imports all succeed (a repeat takes no place), and the others' all fail.
        let expected = if now.contains(user) { 0 } else { 2 };
        assert_eq!(refused, expected, "{user}: {results:?}");
    }
    codes_are_documented(&emu);

    // The administrator, 10 accounts no call touches and 20 to delete, with room for exactly
    // 20 more: an account counted twice would not fit.
    let (emu, c) = start(EmulatorConfig::new().account_limit(51)).await;
    let (stay, gone, others) = (ids("s", 10), ids("g", 20), ids("x", 20));
    c.multiaccount_import(MultiaccountImport::new().accounts(stay.clone())).await.unwrap();
    c.multiaccount_import(MultiaccountImport::new().accounts(gone.clone())).await.unwrap();

    // At once: 20 batch imports of 20 new accounts (each named by 4 batches), 20 deletions of
    // the 20 accounts of `gone` (each named by 4), and 20 checks of the 10 of `stay`.
    let mut tasks = Vec::new();
    for i in 0..20 {
        let c1 = c.clone();
        let batch: Vec<String> = (0..4).map(|k| others[(i + 5 * k) % 20].clone()).collect();
        tasks.push(tokio::spawn(async move {
            let answer = c1.multiaccount_import(MultiaccountImport::new().accounts(batch)).await.unwrap();
            assert_eq!(answer.fail_accounts, Some(vec![]));
            Vec::new()
        }));
        let c2 = c.clone();
        let doomed: Vec<String> = (0..4).map(|k| gone[(i + 5 * k) % 20].clone()).collect();
        tasks.push(tokio::spawn(async move {
            let answer = c2.account_delete(AccountDelete::new(items(&doomed))).await.unwrap().result_item.unwrap();
            answer
                .into_iter()
                .filter(|r| r.result_code == Some(AccountResultCode::Ok))
                .map(|r| r.user_id.unwrap())
                .collect()
        }));
        let (c3, stay) = (c.clone(), stay.clone());
        tasks.push(tokio::spawn(async move {
            assert_eq!(imported(&c3, &stay).await.len(), 10, "untouched accounts stay imported");
            Vec::new()
        }));
    }
    let mut deleted: Vec<String> = Vec::new();
    for t in tasks {
        deleted.extend(t.await.unwrap());
    }
    deleted.sort();
    assert_eq!(
        deleted,
        gone.iter().cloned().collect::<BTreeSet<_>>().into_iter().collect::<Vec<_>>(),
        "each deleted once"
    );
    assert_eq!(imported(&c, &others).await.len(), 20);
    assert!(imported(&c, &gone).await.is_empty());
    assert_eq!(imported(&c, &stay).await.len(), 10);
    codes_are_documented(&emu);
}
