//! The emulator's callbacks (webhooks) against receivers on 127.0.0.1 started by each test: every
//! emulated command is delivered with the documented query, body and signature; an application's
//! deliveries arrive in the order their events happened; before-callbacks decide gifts and
//! messages as documented; a receiver that hangs delays no API call.

use live_api_tests::callbacks::*;
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use live_api::emulator::{Emulator, EmulatorConfig, RunningEmulator, sign};
use live_api::*;
use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};

/// A callback as the receiver got it.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    query: BTreeMap<String, String>,
    body: Value,
}

impl Received {
    fn command(&self) -> &str {
        self.query.get("CallbackCommand").map_or("", String::as_str)
    }
}

/// What the receiver answers.
enum Answer {
    /// 200 with this JSON body.
    Json(Value),
    /// This status and an empty body.
    Status(u16),
    /// Nothing until [`Receiver::release`].
    Hang,
}

fn ok() -> Answer {
    Answer::Json(json!({ "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "" }))
}

fn reply(code: u32, info: &str) -> Answer {
    Answer::Json(json!({ "ActionStatus": "OK", "ErrorCode": code, "ErrorInfo": info }))
}

type Decide = Arc<Mutex<Box<dyn Fn(&Received) -> Answer + Send>>>;

/// An HTTP server on 127.0.0.1 that records the requests it gets, in the order they arrive.
struct Receiver {
    url: String,
    got: mpsc::UnboundedReceiver<Received>,
    decide: Decide,
    release: watch::Sender<bool>,
    /// Hanging requests whose handler has ended (released, or dropped with its connection).
    hangs_ended: Arc<AtomicUsize>,
}

/// Counts the end of a hanging handler, however it ends.
struct HangGuard(Arc<AtomicUsize>);

impl Drop for HangGuard {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

impl Receiver {
    async fn start(decide: impl Fn(&Received) -> Answer + Send + 'static) -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/live-callback", listener.local_addr().unwrap());
        let (sent, got) = mpsc::unbounded_channel();
        let decide: Decide = Arc::new(Mutex::new(Box::new(decide)));
        let (release, released) = watch::channel(false);
        let hangs_ended = Arc::new(AtomicUsize::new(0));
        let (d, e) = (decide.clone(), hangs_ended.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (sent, decide, released, ended) = (sent.clone(), d.clone(), released.clone(), e.clone());
                let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                    let (sent, decide, mut released, ended) =
                        (sent.clone(), decide.clone(), released.clone(), ended.clone());
                    async move {
                        let path = req.uri().path().to_owned();
                        let raw = format!("http://x/?{}", req.uri().query().unwrap_or_default());
                        let query = reqwest::Url::parse(&raw).unwrap().query_pairs().into_owned().collect();
                        let bytes = req.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
                        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                        let received = Received { path, query, body };
                        let answer = (decide.lock().unwrap())(&received);
                        let _ = sent.send(received);
                        let (status, body) = match answer {
                            Answer::Json(v) => (200, v.to_string()),
                            Answer::Status(s) => (s, String::new()),
                            Answer::Hang => {
                                let _guard = HangGuard(ended);
                                let _ = released.wait_for(|r| *r).await;
                                (200, json!({ "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "" }).to_string())
                            }
                        };
                        let mut response = Response::new(Full::new(Bytes::from(body)));
                        *response.status_mut() = StatusCode::from_u16(status).unwrap();
                        Ok::<_, Infallible>(response)
                    }
                });
                tokio::spawn(async move {
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Receiver { url, got, decide, release, hangs_ended }
    }

    /// Changes what the receiver answers from now on.
    fn answer(&self, decide: impl Fn(&Received) -> Answer + Send + 'static) {
        *self.decide.lock().unwrap() = Box::new(decide);
    }

    /// Lets the hanging requests (and every later one that would hang) answer.
    fn release(&self) {
        self.release.send_replace(true);
    }

    /// The next request. The wait is long only to fail a broken emulator instead of hanging;
    /// nothing is measured.
    async fn next(&mut self) -> Received {
        tokio::time::timeout(Duration::from_secs(20), self.got.recv())
            .await
            .expect("no callback arrived within 20 s")
            .expect("the receiver stopped")
    }

    /// The next requests, which must be `commands` in this order.
    async fn expect(&mut self, commands: &[&str]) -> Vec<Received> {
        let mut got = Vec::new();
        for expected in commands {
            let r = self.next().await;
            assert_eq!(r.command(), *expected, "callbacks so far: {:?}", commands_of(&got));
            got.push(r);
        }
        got
    }

    /// Whether a request arrived that was not taken yet.
    fn pending(&mut self) -> Option<Received> {
        self.got.try_recv().ok()
    }
}

fn commands_of(rs: &[Received]) -> Vec<&str> {
    rs.iter().map(Received::command).collect()
}

async fn start() -> (RunningEmulator, Client) {
    let emu = Emulator::new(EmulatorConfig::new().rate_limits(false)).listen("127.0.0.1:0").await.unwrap();
    let client = emu.client_builder().retry_policy(RetryPolicy::none()).rate_limit(RateLimitMode::Off).build().unwrap();
    (emu, client)
}

fn commands(words: &[&str]) -> Vec<CallbackCommand> {
    words.iter().map(|w| serde_json::from_value(json!(w)).unwrap()).collect()
}

/// The API code of a call that must fail with one.
fn code<T: std::fmt::Debug, C: ErrorCode>(r: Result<T, Error<C>>) -> (i64, String) {
    match r {
        Err(Error::Api(e)) => (e.code.code(), e.message),
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn every_emulated_command_is_delivered_with_the_documented_query_body_and_signature() {
    let mut rx = Receiver::start(|_| ok()).await;
    let (emu, c) = start().await;
    c.set_callback(SetCallback::new(rx.url.clone(), commands(&EMULATED))).await.unwrap();
    c.set_callback_token(SetCallbackToken::new().token("xxxxyyyy").is_token_enable(true)).await.unwrap();
    let e = emu.emulator();
    let mut all = Vec::new();

    // rooms and metadata
    c.create_room(seated_room("r1")).await.unwrap();
    c.update_room_info(UpdateRoomInfo::new(RoomInfoUpdate::new("r1").room_name("Night"))).await.unwrap();
    let items = vec![MetadataItem::new("k1", "v1"), MetadataItem::new("k2", "v2")];
    c.set_room_metadata(SetRoomMetadata::new("r1", items)).await.unwrap();
    c.del_room_metadata(DelRoomMetadata::new("r1", vec!["k1".to_owned()])).await.unwrap();
    let got = rx.expect(&[ROOM_CREATED, ROOM_UPDATED, METADATA_SET, METADATA_DELETED]).await;
    let info = &got[0].body["RoomInfo"];
    assert_eq!(got[0].body["Operator_Account"], json!("administrator"));
    assert_eq!(
        (&info["RoomId"], &info["RoomName"], &info["RoomType"], &info["Owner_Account"]),
        (&json!("r1"), &json!("Evening"), &json!("Live"), &json!("administrator"))
    );
    assert_eq!((&info["IsSeatEnabled"], &info["MaxSeatCount"]), (&json!(true), &json!(4)));
    assert!(info["CreateTime"].is_i64() && got[0].body["EventTime"].as_i64().unwrap() > 1_600_000_000_000);
    assert_eq!(got[1].body["RoomInfo"]["RoomName"], json!("Night"));
    assert_eq!(got[2].body["Metadata"], json!([{ "Key": "k1", "Value": "v1" }, { "Key": "k2", "Value": "v2" }]));
    assert_eq!((&got[3].body["RoomId"], &got[3].body["Keys"]), (&json!("r1"), &json!(["k1"])));
    all.extend(got);

    // members, administrators, owner
    e.enter_room("r1", "ann").unwrap();
    e.enter_room("r1", "bob").unwrap();
    e.enter_room("r1", "bob").unwrap(); // already in: no event
    c.modify_admin(ModifyAdmin::new("r1", vec!["ann".to_owned()], AdminOpType::Add)).await.unwrap();
    c.modify_admin(ModifyAdmin::new("r1", vec!["ann".to_owned()], AdminOpType::Delete)).await.unwrap();
    c.change_room_owner(ChangeRoomOwner::new("r1", "ann")).await.unwrap();
    let got = rx.expect(&[MEMBERS, MEMBERS, ADMINS, ADMINS, OWNER]).await;
    let enter = &got[0].body;
    assert_eq!(
        (&enter["RoomId"], &enter["EventType"], &enter["EventCause"], &enter["MemberList"]),
        (&json!("r1"), &json!("Online"), &json!("Enter"), &json!([{ "Member_Account": "ann" }]))
    );
    assert_eq!(got[0].query["OptPlatform"], "Unknown", "entering is the SDK's, not the REST API's");
    assert_eq!(got[1].body["MemberList"], json!([{ "Member_Account": "bob" }]));
    let admins = &got[2].body;
    assert_eq!((&admins["opType"], &admins["Admin_Account"]), (&json!("add"), &json!(["ann"])));
    assert!(admins.get("OpType").is_none(), "the admin callback spells it opType");
    assert_eq!(got[3].body["opType"], json!("delete"));
    let owner = &got[4].body;
    assert_eq!(
        (&owner["CurrentOwner_Account"], &owner["OriginalOwner_Account"], &owner["Operator_Account"]),
        (&json!("ann"), &json!("administrator"), &json!("administrator"))
    );
    all.extend(got);

    // seats: pick, lock, move, switch, kick; a ban and a leave take users off their seats
    c.pick_user_on_seat(PickUserOnSeat::new("r1", 1, "bob")).await.unwrap();
    c.pick_user_on_seat(PickUserOnSeat::new("r1", 2, "administrator")).await.unwrap();
    c.lock_seat(LockSeat::new("r1", 3).forbid_audio(true)).await.unwrap();
    c.move_user_to_seat(MoveUserToSeat::new("r1", 2, "bob", MovePolicy::Swap)).await.unwrap();
    c.switch_seat(SwitchSeat::new("r1", 0, "bob")).await.unwrap();
    c.kick_user_off_seat(KickUserOffSeat::new("r1", "administrator", "bye")).await.unwrap();
    c.kick_user_off_seat(KickUserOffSeat::new("r1", "administrator", "bye")).await.unwrap(); // no change: no event
    c.ban_member(BanMember::new("r1", vec!["bob".to_owned()], 60)).await.unwrap();
    c.pick_user_on_seat(PickUserOnSeat::new("r1", 0, "ann")).await.unwrap();
    e.leave_room("r1", "ann").unwrap();
    let got = rx.expect(&[SEATS, SEATS, SEATS, SEATS, SEATS, SEATS, SEATS, MEMBERS, SEATS, SEATS, MEMBERS]).await;
    let seat = |i: usize| &got[i].body["SeatList"];
    assert_eq!(
        seat(0),
        &json!([{ "Index": 1, "Member_Account": "bob", "IsTakenDisabled": false, "IsVideoDisabled": false, "IsAudioDisabled": false }])
    );
    assert_eq!(
        seat(2),
        &json!([{ "Index": 3, "IsTakenDisabled": false, "IsVideoDisabled": false, "IsAudioDisabled": true }])
    );
    let members_of = |v: &Value| -> Vec<(u64, Option<String>)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| (s["Index"].as_u64().unwrap(), s["Member_Account"].as_str().map(str::to_owned)))
            .collect()
    };
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(members_of(seat(3)), [(1, some("administrator")), (2, some("bob"))], "a swap changes two seats");
    assert_eq!(members_of(seat(4)), [(0, some("bob")), (2, None)]);
    assert_eq!(members_of(seat(5)), [(1, None)]);
    assert_eq!(members_of(seat(6)), [(0, None)], "the ban takes bob off his seat…");
    let kicked = &got[7].body;
    assert_eq!((&kicked["EventType"], &kicked["EventCause"]), (&json!("Offline"), &json!("Kicked")));
    assert_eq!(kicked["MemberList"], json!([{ "Member_Account": "bob" }]), "…and out of the room");
    assert_eq!(members_of(seat(9)), [(0, None)], "leaving takes ann off her seat…");
    let left = &got[10].body;
    assert_eq!((&left["EventType"], &left["EventCause"]), (&json!("Offline"), &json!("Leave")), "…and out of the room");
    assert_eq!(left["MemberList"], json!([{ "Member_Account": "ann" }]));
    assert_eq!((got[0].query["OptPlatform"].as_str(), got[10].query["OptPlatform"].as_str()), ("RESTAPI", "Unknown"));
    all.extend(got);

    // a battle starts at once and ends when its Duration has passed
    c.create_room(seated_room("r2")).await.unwrap();
    let battle = CreateBattle::new("r1", vec!["r2".to_owned()], 1000).extension_info("pk");
    let id = c.create_battle(battle).await.unwrap().battle_id.unwrap();
    c.set_battle_score(SetBattleScore::new(id.clone(), ScoreOpType::Overwrite, vec![ScoreEntry::new("r2", 7)]))
        .await
        .unwrap();
    let got = rx.expect(&[ROOM_CREATED, BATTLE_CREATED, BATTLE_STARTED, BATTLE_ENDED]).await;
    let created = &got[1].body;
    assert_eq!(
        (&created["BattleId"], &created["FromRoomId"], &created["ToRoomIdList"], &created["Duration"]),
        (&json!(id), &json!("r1"), &json!(["r2"]), &json!(1000))
    );
    assert_eq!((&created["ExtensionInfo"], &created["NeedResponse"]), (&json!("pk"), &json!(false)));
    let started = &got[2].body;
    assert_eq!(started["FromRoomInfo"], json!({ "RoomId": "r1", "Owner_Account": "ann" }));
    assert_eq!(started["ToRoomList"], json!([{ "RoomId": "r2", "Owner_Account": "administrator" }]));
    let ended = &got[3].body;
    assert_eq!((&ended["BattleId"], &ended["OpType"]), (&json!(id), &json!(0)));
    assert_eq!(ended["ToRoomList"], json!([{ "RoomId": "r2", "Score": 7, "Owner_Account": "administrator" }]));
    assert!(ended["EndTime"].as_i64().unwrap() > ended["StartTime"].as_i64().unwrap());
    assert_eq!(got[3].query["OptPlatform"], "Unknown", "the clock ended it");
    let info = c.get_battle_info(GetBattleInfo::new().battle_id(id)).await.unwrap();
    assert_eq!(info.status, Some(live_api::emulator::STATUS_ENDED));
    all.extend(got);

    // a gift, messages, and the end of the room
    c.add_gift(AddGift::new("rose", 3, "Rose")).await.unwrap();
    let gift = SendGift::new("r1", "rose", "dan", vec!["ann".to_owned()]).count(2);
    c.send_gift(gift).await.unwrap();
    c.send_text_msg(SendTextMsg::new("r1", "dan", "hello").extension_info("{\"a\":1}")).await.unwrap();
    c.send_custom_msg(SendCustomMsg::new("r1", "like", "3")).await.unwrap();
    c.destroy_room(DestroyRoom::new("r1")).await.unwrap();
    let got = rx.expect(&[BEFORE_GIFT, BEFORE_MSG, AFTER_MSG, BEFORE_MSG, AFTER_MSG, ROOM_DESTROYED]).await;
    let water = &got[0].body["GiftWater"];
    assert_eq!(got[0].body["RoomId"], json!("r1"));
    assert_eq!(
        (&water["From_Account"], &water["To_Account"], &water["GiftId"], &water["Count"], &water["Coins"]),
        (&json!("dan"), &json!(["ann"]), &json!("rose"), &json!(2), &json!(3))
    );
    let before = &got[1].body;
    assert_eq!(
        (&before["GroupId"], &before["Type"], &before["From_Account"]),
        (&json!("r1"), &json!("Live"), &json!("dan"))
    );
    assert_eq!(before["MsgBody"], json!([{ "MsgType": "TIMTextElem", "MsgContent": { "Text": "hello" } }]));
    assert_eq!(before["CloudCustomData"], json!("{\"a\":1}"));
    assert!(before["EventTime"].as_str().unwrap().parse::<i64>().is_ok(), "a string, as the samples send it");
    let after = &got[2].body;
    assert_eq!((&after["MsgId"], &after["Random"]), (&before["MsgId"], &before["Random"]), "the same message");
    assert_eq!(after["MsgSeq"], json!(1));
    let custom = &got[4].body;
    assert_eq!(custom["From_Account"], json!("administrator"), "no sender: the admin sends it");
    let data = custom["MsgBody"][0]["MsgContent"]["Data"].as_str().unwrap();
    assert_eq!(serde_json::from_str::<Value>(data).unwrap(), json!({ "BusinessId": "like", "Data": "3" }));
    assert_eq!(custom["MsgSeq"], json!(2));
    let destroyed = &got[5].body;
    assert_eq!((&destroyed["RoomId"], &destroyed["EventType"]), (&json!("r1"), &json!("DestroyByUser")));
    assert_eq!(destroyed["RoomInfo"]["Owner_Account"], json!("ann"));
    assert!(destroyed["RoomInfo"].get("RoomId").is_none(), "RoomId is at the top of this body");
    assert_eq!(destroyed["Statistic"]["TotalGiftCoins"], json!(6));
    assert_eq!(destroyed["Statistic"]["TotalViewers"], json!(2), "ann and bob entered");
    all.extend(got);

    // Every emulated command was delivered, each with the documented query and a valid Sign.
    let mut seen: Vec<&str> = commands_of(&all);
    seen.sort();
    seen.dedup();
    let mut emulated = EMULATED.to_vec();
    emulated.sort();
    assert_eq!(seen, emulated);
    for r in &all {
        assert_eq!(r.path, "/live-callback");
        assert_eq!(r.body["CallbackCommand"], json!(r.command()), "the body names its command");
        let q = &r.query;
        assert_eq!(q["SdkAppid"], emu.sdk_app_id().to_string());
        assert_eq!((q["contenttype"].as_str(), q["ClientIP"].as_str()), ("json", "127.0.0.1"));
        assert!(["RESTAPI", "Unknown"].contains(&q["OptPlatform"].as_str()), "{q:?}");
        let time: u64 = q["RequestTime"].parse().unwrap();
        assert_eq!(q["Sign"], sign("xxxxyyyy", time), "{q:?}");
    }

    // A disabled token signs nothing; a failed call sends nothing.
    c.set_callback_token(SetCallbackToken::new().is_token_enable(false)).await.unwrap();
    assert!(c.create_room(seated_room("r2")).await.is_err(), "r2 exists");
    c.update_room_info(UpdateRoomInfo::new(RoomInfoUpdate::new("r2").notice("hi"))).await.unwrap();
    let unsigned = rx.next().await;
    assert_eq!(unsigned.command(), ROOM_UPDATED);
    assert!(
        !unsigned.query.contains_key("Sign") && !unsigned.query.contains_key("RequestTime"),
        "{:?}",
        unsigned.query
    );
}

#[tokio::test]
async fn deliveries_arrive_in_the_order_their_events_happened() {
    // The receiver holds the first callback until every call has been made: the others queue.
    let mut rx = Receiver::start(|r| if r.command() == ROOM_CREATED { Answer::Hang } else { ok() }).await;
    let (emu, c) = start().await;
    c.set_callback(SetCallback::new(rx.url.clone(), commands(&EMULATED))).await.unwrap();
    c.create_room(seated_room("r")).await.unwrap();
    let mut expected = vec![(ROOM_CREATED.to_owned(), String::new())];
    for i in 0..20 {
        c.set_room_metadata(SetRoomMetadata::new("r", vec![MetadataItem::new("k", format!("{i}"))])).await.unwrap();
        expected.push((METADATA_SET.into(), format!("{i}")));
        let user = format!("u{i}");
        emu.emulator().enter_room("r", &user).unwrap();
        expected.push((MEMBERS.into(), user));
    }
    rx.release();
    let got = rx.expect(&expected.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>()).await;
    let detail = |r: &Received| match r.command() {
        METADATA_SET => r.body["Metadata"][0]["Value"].as_str().unwrap().to_owned(),
        MEMBERS => r.body["MemberList"][0]["Member_Account"].as_str().unwrap().to_owned(),
        _ => String::new(),
    };
    let order: Vec<(String, String)> = got.iter().map(|r| (r.command().to_owned(), detail(r))).collect();
    assert_eq!(order, expected);
}

#[tokio::test]
async fn a_receiver_that_hangs_delays_no_api_call() {
    let mut rx = Receiver::start(|_| Answer::Hang).await;
    let (_emu, c) = start().await;
    c.set_callback(SetCallback::new(rx.url.clone(), commands(&[ROOM_CREATED, ROOM_UPDATED]))).await.unwrap();
    c.create_room(seated_room("r")).await.unwrap();
    // The receiver holds the first callback...
    assert_eq!(rx.next().await.command(), ROOM_CREATED);
    // ...while more calls are answered, whose callbacks wait behind it.
    for name in ["a", "b", "c"] {
        c.update_room_info(UpdateRoomInfo::new(RoomInfoUpdate::new("r").room_name(name))).await.unwrap();
    }
    c.get_room_info(GetRoomInfo::new("r")).await.unwrap();
    assert_eq!(rx.hangs_ended.load(Ordering::SeqCst), 0, "the calls returned while the receiver still hung");
    assert!(rx.pending().is_none(), "the later callbacks wait for the first");
    rx.release();
    let got = rx.expect(&[ROOM_UPDATED, ROOM_UPDATED, ROOM_UPDATED]).await;
    let names: Vec<&Value> = got.iter().map(|r| &r.body["RoomInfo"]["RoomName"]).collect();
    assert_eq!(names, [&json!("a"), &json!("b"), &json!("c")]);
}

async fn gift_room(c: &Client) {
    c.create_room(seated_room("g")).await.unwrap();
    c.add_gift(AddGift::new("rose", 3, "Rose")).await.unwrap();
}

fn rose() -> SendGift {
    SendGift::new("g", "rose", "dan", vec!["ann".to_owned()])
}

async fn roses(c: &Client) -> Option<u64> {
    c.get_gift_count(GetGiftCount::new("g", "ann")).await.unwrap().total_count
}

#[tokio::test]
async fn the_gift_callback_allows_refuses_or_passes_a_code_through() {
    let mut rx = Receiver::start(|_| ok()).await;
    let (_emu, c) = start().await;
    gift_room(&c).await;
    c.set_callback(SetCallback::new(rx.url.clone(), commands(&[BEFORE_GIFT]))).await.unwrap();

    c.send_gift(rose()).await.unwrap();
    assert_eq!(rx.next().await.command(), BEFORE_GIFT);
    assert_eq!(roses(&c).await, Some(1));

    rx.answer(|_| reply(102150, "sold out"));
    let (got, info) = code(c.send_gift(rose()).await);
    assert_eq!((got, info.as_str()), (102150, "sold out"), "the code and ErrorInfo are passed through");
    assert_eq!(SendGiftCode::from_code(got).name(), "Undocumented", "the app's own code");
    rx.answer(|_| reply(1, "no"));
    let (got, info) = code(c.send_gift(rose()).await);
    assert_eq!(SendGiftCode::from_code(got), SendGiftCode::GiftCallbackFailed, "{info}");
    rx.answer(|_| reply(102201, "out of range"));
    assert_eq!(code(c.send_gift(rose()).await).0, 102004, "a code outside 102100..=102200 is not passed");
    rx.answer(|_| Answer::Status(500));
    assert_eq!(code(c.send_gift(rose()).await).0, 102004, "a failed reply blocks");
    rx.answer(|_| Answer::Json(json!({ "ActionStatus": "OK" })));
    assert_eq!(code(c.send_gift(rose()).await).0, 102004, "a reply without ErrorCode blocks");
    assert_eq!(roses(&c).await, Some(1), "no blocked gift was counted");
    assert_eq!(commands_of(&rx.expect(&[BEFORE_GIFT; 5]).await).len(), 5);

    // A call that would fail anyway asks no callback.
    let unknown = SendGift::new("g", "tulip", "dan", vec!["ann".to_owned()]);
    assert_eq!(code(c.send_gift(unknown).await).0, 100002);
    assert!(rx.pending().is_none(), "the unknown gift sent no callback");
}

#[tokio::test]
async fn a_gift_callback_that_times_out_blocks_unless_not_block_is_configured() {
    let mut rx = Receiver::start(|_| Answer::Hang).await;
    let (_emu, c) = start().await;
    gift_room(&c).await;
    c.set_callback(SetCallback::new(rx.url.clone(), commands(&[BEFORE_GIFT]))).await.unwrap();
    let (got, info) = code(c.send_gift(rose()).await);
    assert_eq!(got, 102004);
    assert!(info.contains("no answer within 2 s"), "{info}");
    assert_eq!(roses(&c).await, Some(0));

    c.update_callback(UpdateCallback::new(rx.url.clone(), commands(&[BEFORE_GIFT, NOT_BLOCK]))).await.unwrap();
    c.send_gift(rose()).await.unwrap();
    assert_eq!(roses(&c).await, Some(1), "with the switch, a timeout lets the gift through");
    rx.answer(|_| reply(1, "no"));
    assert_eq!(code(c.send_gift(rose()).await).0, 102004, "the switch does not override a refusal");
    rx.expect(&[BEFORE_GIFT, BEFORE_GIFT, BEFORE_GIFT]).await;
    rx.release();
}

#[tokio::test]
async fn callbacks_to_other_hosts_are_not_sent() {
    let (_emu, c) = start().await;
    gift_room(&c).await;
    let words = commands(&[BEFORE_GIFT, BEFORE_MSG, AFTER_MSG]);
    c.set_callback(SetCallback::new("http://www.example.com/callback", words)).await.unwrap();
    let (got, info) = code(c.send_gift(rose()).await);
    assert_eq!(got, 102004);
    assert!(info.contains("only to loopback addresses") && info.contains("www.example.com"), "{info}");
    // A message whose callback cannot be sent is delivered (Chat's default without an answer).
    let sent = c.send_text_msg(SendTextMsg::new("g", "dan", "hi")).await.unwrap();
    assert_eq!(sent.msg_seq, Some(1));
}

/// What the receiver of the message test answers: decided by the message's text (or the
/// custom message's BusinessId).
fn moderate(r: &Received) -> Answer {
    if r.command() != BEFORE_MSG {
        return ok();
    }
    let content = &r.body["MsgBody"][0]["MsgContent"];
    let custom = content["Data"].as_str().and_then(|d| serde_json::from_str::<Value>(d).ok());
    let word = content["Text"].as_str().map(str::to_owned).or_else(|| Some(custom?["BusinessId"].as_str()?.to_owned()));
    match word.as_deref().unwrap_or_default() {
        "forbid" => reply(1, ""),
        "discard" => reply(2, ""),
        "pass" => reply(10150, "slow down"),
        "modify" => Answer::Json(json!({
            "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "",
            "MsgBody": [{ "MsgType": "TIMTextElem", "MsgContent": { "Text": "***" } }],
            "CloudCustomData": "checked",
        })),
        "hang" => Answer::Hang,
        _ => ok(),
    }
}

#[tokio::test]
async fn the_message_callback_allows_modifies_forbids_discards_or_passes_a_code_through() {
    let mut rx = Receiver::start(moderate).await;
    let (_emu, c) = start().await;
    c.create_room(seated_room("m")).await.unwrap();
    c.set_callback(SetCallback::new(rx.url.clone(), commands(&[BEFORE_MSG, AFTER_MSG]))).await.unwrap();
    let text = |t: &str| SendTextMsg::new("m", "dan", t);

    let sent = c.send_text_msg(text("hello")).await.unwrap();
    assert_eq!(sent.msg_seq, Some(1));
    rx.expect(&[BEFORE_MSG, AFTER_MSG]).await;

    let (got, _) = code(c.send_text_msg(text("forbid")).await);
    assert_eq!(SendTextMsgCode::from_code(got), SendTextMsgCode::RejectedByCallback);
    let (got, _) = code(c.send_custom_msg(SendCustomMsg::new("m", "forbid", "y")).await);
    assert_eq!(SendCustomMsgCode::from_code(got), SendCustomMsgCode::RejectedByCallback);
    let discarded = c.send_text_msg(text("discard")).await.unwrap();
    assert_eq!(discarded.msg_seq, None, "discarded silently: success, but no message");
    let (got, info) = code(c.send_text_msg(text("pass")).await);
    assert_eq!((got, info.as_str()), (10150, "slow down"));
    rx.expect(&[BEFORE_MSG, BEFORE_MSG, BEFORE_MSG, BEFORE_MSG]).await;

    let modified = c.send_text_msg(text("modify")).await.unwrap();
    assert_eq!(modified.msg_seq, Some(2), "the refused and discarded messages took no number");
    let got = rx.expect(&[BEFORE_MSG, AFTER_MSG]).await;
    assert_eq!(got[1].body["MsgBody"], json!([{ "MsgType": "TIMTextElem", "MsgContent": { "Text": "***" } }]));
    assert_eq!((&got[1].body["CloudCustomData"], &got[1].body["MsgSeq"]), (&json!("checked"), &json!(2)));

    // No answer in 2 s: the message is delivered (Chat's default for before-callbacks).
    let late = c.send_text_msg(text("hang")).await.unwrap();
    assert_eq!(late.msg_seq, Some(3));
    rx.expect(&[BEFORE_MSG, AFTER_MSG]).await;
    let stats = c.get_room_stats(GetRoomStats::new("m")).await.unwrap();
    assert_eq!(stats.total_msg_count, Some(3), "only the messages sent count");
    rx.release();
}

/// kick and account_delete end the account's login: it leaves its seat and its rooms, reported
/// as members `Kicked`, in that order; a kick of an account in no room reports nothing.
#[tokio::test]
async fn kick_and_account_delete_report_the_members_they_take_out() {
    let mut rx = Receiver::start(|_| ok()).await;
    let (emu, c) = start().await;
    c.set_callback(SetCallback::new(rx.url.clone(), commands(&[MEMBERS, SEATS]))).await.unwrap();
    c.create_room(seated_room("k")).await.unwrap();
    c.multiaccount_import(MultiaccountImport::new().accounts(vec!["ann".into(), "bob".into()])).await.unwrap();
    emu.emulator().enter_room("k", "ann").unwrap();
    emu.emulator().enter_room("k", "bob").unwrap();
    c.pick_user_on_seat(PickUserOnSeat::new("k", 2, "ann")).await.unwrap();
    rx.expect(&[MEMBERS, MEMBERS, SEATS]).await;

    c.kick(Kick::new("ann")).await.unwrap();
    let got = rx.expect(&[SEATS, MEMBERS]).await;
    assert_eq!(got[0].body["SeatList"][0]["Index"], json!(2));
    assert_eq!(got[0].body["SeatList"][0].get("Member_Account"), None, "the seat is free");
    let kicked = &got[1].body;
    assert_eq!((&kicked["EventType"], &kicked["EventCause"]), (&json!("Offline"), &json!("Kicked")));
    assert_eq!(kicked["MemberList"], json!([{ "Member_Account": "ann" }]));

    c.kick(Kick::new("ann")).await.unwrap();
    c.account_delete(AccountDelete::new(vec![AccountItem::new("bob")])).await.unwrap();
    let got = rx.expect(&[MEMBERS]).await;
    assert_eq!(got[0].body["MemberList"], json!([{ "Member_Account": "bob" }]), "ann's second kick reported nothing");
    assert_eq!(got[0].body["EventCause"], json!("Kicked"));
}
