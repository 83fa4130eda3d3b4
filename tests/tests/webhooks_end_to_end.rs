//! Webhooks end to end, typed: the emulator delivers every command it emulates to a
//! `live_api::webhook` receiver on 127.0.0.1 (the standalone server, and the axum route), signed
//! with the token set through `set_callback_token`. Each delivery verifies, decodes into its
//! command's struct of `live_api::Callback`, and re-encodes with every key of the body the
//! emulator sent. The handler answers with the generated reply enums: they block gifts (a code
//! passed through, or 102004), forbid, discard and modify messages; a handler that misses its
//! budget gets the documented default, and a handler of an after-callback that hangs delays no
//! call.

use live_api_tests::callbacks::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use live_api::callback::{BodyError, CallbackKind, CallbackSet, PassThrough, Reply, UnknownCallback};
use live_api::emulator::{Emulator, EmulatorConfig, RunningEmulator};
use live_api::server::HttpServer;
use live_api::webhook::{self, Delivery, Handler, Receiver, Signature};
use live_api::*;
use live_api_codegen::model::{self, Api, Ty, TypeKind};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value, json};
use tokio::sync::{mpsc, watch};

const TOKEN: &str = "e2e-webhook-token";

/// A callback decoded by its command, exactly as in a `Delivery<live_api::Callback>`, with the
/// body it came in, kept to compare with its re-encoding.
#[derive(Debug)]
struct Recorded {
    typed: Callback,
    raw: UnknownCallback,
}

impl Serialize for Recorded {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.typed.serialize(s)
    }
}

impl CallbackSet for Recorded {
    fn decode(command: &str, body: &[u8]) -> Result<Self, BodyError> {
        Ok(Recorded { typed: Callback::decode(command, body)?, raw: UnknownCallback::new(command, body)? })
    }
    fn command(&self) -> &str {
        self.typed.command()
    }
    fn kind(&self) -> Option<CallbackKind> {
        self.typed.kind()
    }
    fn on_timeout(&self) -> Reply {
        self.typed.on_timeout()
    }
}

/// The callback sets the hooks decode into: the generated enum, or it with the raw body.
trait Typed: CallbackSet {
    fn typed(&self) -> &Callback;
}

impl Typed for Callback {
    fn typed(&self) -> &Callback {
        self
    }
}

impl Typed for Recorded {
    fn typed(&self) -> &Callback {
        &self.typed
    }
}

/// What the handler does with a callback.
enum Act {
    /// Replies at once.
    Reply(Reply),
    /// Replies only after [`Hook::release`].
    Hang,
}

fn act(reply: impl Into<Reply>) -> Act {
    Act::Reply(reply.into())
}

type Decide = Arc<Mutex<Box<dyn Fn(&Callback) -> Act + Send>>>;

/// Counts the end of a hanging handler, however it ends (released, or cancelled by the
/// receiver when its budget runs out).
struct HangGuard(Arc<AtomicUsize>);

impl Drop for HangGuard {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

enum Server {
    Standalone(#[allow(dead_code)] HttpServer),
    Axum(#[allow(dead_code)] AbortOnDrop),
}

/// A `live_api::webhook` receiver on 127.0.0.1 whose handler records each delivery, in the
/// order the handler is called, and answers what [`Hook::answer`] says.
struct Hook<C> {
    url: String,
    got: mpsc::UnboundedReceiver<Delivery<C>>,
    decide: Decide,
    release: watch::Sender<bool>,
    hangs_ended: Arc<AtomicUsize>,
    _server: Option<Server>,
}

/// A hook without its server yet, and the handler to serve it with.
fn hook<C: Typed>() -> (Hook<C>, impl Handler<C>) {
    let (sent, got) = mpsc::unbounded_channel();
    let decide: Decide = Arc::new(Mutex::new(Box::new(|_: &Callback| act(Reply::ok()))));
    let (release, released) = watch::channel(false);
    let hangs_ended = Arc::new(AtomicUsize::new(0));
    let (d, ended) = (decide.clone(), hangs_ended.clone());
    let handler = move |delivery: Delivery<C>| {
        let act = (d.lock().unwrap())(delivery.callback.typed());
        let _ = sent.send(delivery);
        let (mut released, ended) = (released.clone(), ended.clone());
        async move {
            match act {
                Act::Reply(reply) => reply,
                Act::Hang => {
                    let _guard = HangGuard(ended);
                    let _ = released.wait_for(|r| *r).await;
                    Reply::ok()
                }
            }
        }
    };
    (Hook { url: String::new(), got, decide, release, hangs_ended, _server: None }, handler)
}

/// `webhook::bind` on 127.0.0.1:0, decoding into [`Recorded`].
async fn standalone(receiver: Receiver) -> Hook<Recorded> {
    let (mut hook, handler) = hook();
    let server = webhook::bind("127.0.0.1:0", receiver, handler).await.unwrap();
    hook.url = format!("{}/live/webhook", server.url());
    hook._server = Some(Server::Standalone(server));
    hook
}

/// `webhook::axum::route` in an axum app on 127.0.0.1:0, decoding into `live_api::Callback`.
async fn behind_axum(receiver: Receiver) -> Hook<Callback> {
    let (mut hook, handler) = hook();
    let app: axum::Router = axum::Router::new().route("/live/webhook", webhook::axum::route(receiver, handler));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    hook.url = format!("http://{}/live/webhook", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    hook._server = Some(Server::Axum(AbortOnDrop(task)));
    hook
}

impl<C: Typed> Hook<C> {
    /// Changes what the handler does from now on.
    fn answer(&self, decide: impl Fn(&Callback) -> Act + Send + 'static) {
        *self.decide.lock().unwrap() = Box::new(decide);
    }

    /// Lets the hanging handlers reply.
    fn release(&self) {
        self.release.send_replace(true);
    }

    /// The next delivery. The wait is long only to fail a broken chain instead of hanging;
    /// nothing is measured.
    async fn next(&mut self) -> Delivery<C> {
        tokio::time::timeout(Duration::from_secs(20), self.got.recv())
            .await
            .expect("no callback reached the handler within 20 s")
            .expect("the receiver stopped")
    }

    /// The next deliveries, which must be of `commands` in this order.
    async fn expect(&mut self, commands: &[&str]) -> Vec<Delivery<C>> {
        let mut got: Vec<Delivery<C>> = Vec::new();
        for expected in commands {
            let d = self.next().await;
            let so_far: Vec<&str> = got.iter().map(|d| d.callback.command()).collect();
            assert_eq!(d.callback.command(), *expected, "callbacks so far: {so_far:?}");
            got.push(d);
        }
        got
    }
}

async fn start() -> (RunningEmulator, Client) {
    let emu = Emulator::new(EmulatorConfig::new().rate_limits(false)).listen("127.0.0.1:0").await.unwrap();
    let client = emu.client_builder().retry_policy(RetryPolicy::none()).rate_limit(RateLimitMode::Off).build().unwrap();
    (emu, client)
}

fn commands(words: &[&str]) -> Vec<CallbackCommand> {
    words.iter().map(|w| serde_json::from_value(json!(w)).unwrap()).collect()
}

/// Points the app's webhooks at `url` for `words`, signed with [`TOKEN`].
async fn configure(c: &Client, url: &str, words: &[&str]) {
    c.set_callback(SetCallback::new(url, commands(words))).await.unwrap();
    c.set_callback_token(SetCallbackToken::new().token(TOKEN).is_token_enable(true)).await.unwrap();
}

/// The API error of a call that must fail with one.
fn api_error<T: std::fmt::Debug, C: ErrorCode>(r: Result<T, Error<C>>) -> ApiError<C> {
    match r {
        Err(Error::Api(e)) => e,
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn text_of(body: &Option<Vec<MsgBodyItem>>) -> String {
    let content = body.as_ref().and_then(|b| b.first()).and_then(|i| i.msg_content.as_ref());
    content.and_then(|c| c.text.clone().or_else(|| c.data.clone())).unwrap_or_default()
}

/// What a callback says, read from its typed fields; a panic for `Unknown` and the commands the
/// emulator does not emit.
fn detail(c: &Callback) -> String {
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    match c {
        Callback::AfterCreateRoom(x) => {
            let i = x.room_info.as_ref().expect("RoomInfo");
            format!("created {} ({}) owned by {}", s(&i.room_id), s(&i.room_name), s(&i.owner_account))
        }
        Callback::AfterUpdateRoomInfo(x) => {
            let i = x.room_info.as_ref().expect("RoomInfo");
            format!("updated {} ({})", s(&i.room_id), s(&i.room_name))
        }
        Callback::AfterSetMetadata(x) => {
            let items: Vec<String> = x.metadata.iter().flatten().map(|m| format!("{}={}", m.key, m.value)).collect();
            format!("metadata of {} set: {}", s(&x.room_id), items.join(" "))
        }
        Callback::AfterDelMetadata(x) => format!("metadata of {} deleted: {:?}", s(&x.room_id), x.keys),
        Callback::AfterMemberStateChanged(x) => {
            let members: Vec<String> = x.member_list.iter().flatten().map(|m| s(&m.member_account)).collect();
            format!("{}: {members:?} {} ({})", s(&x.room_id), s(&x.event_type), s(&x.event_cause))
        }
        Callback::AfterModifyAdmin(x) => {
            format!("{}: admins {:?} {:?}", s(&x.room_id), x.op_type, x.admin_account)
        }
        Callback::AfterChangeOwner(x) => {
            format!("{}: owner {} -> {}", s(&x.room_id), s(&x.original_owner_account), s(&x.current_owner_account))
        }
        Callback::AfterSeatInfoChanged(x) => {
            let seats: Vec<String> = x
                .seat_list
                .iter()
                .flatten()
                .map(|seat| format!("{}={}", seat.index.unwrap_or(99), seat.member_account.as_deref().unwrap_or("-")))
                .collect();
            format!("{} seats: {}", s(&x.room_id), seats.join(" "))
        }
        Callback::AfterCreateBattle(x) => {
            format!("battle created: {} vs {:?} for {:?}", s(&x.from_room_id), x.to_room_id_list, x.duration)
        }
        Callback::AfterStartBattle(x) => {
            let from = x.from_room_info.as_ref().expect("FromRoomInfo");
            let to: Vec<String> = x.to_room_list.iter().flatten().map(|r| s(&r.room_id)).collect();
            format!("battle started: {} ({}) vs {to:?}", s(&from.room_id), s(&from.owner_account))
        }
        Callback::AfterEndBattle(x) => {
            let to: Vec<String> =
                x.to_room_list.iter().flatten().map(|r| format!("{}:{:?}", s(&r.room_id), r.score)).collect();
            format!("battle ended: {to:?}")
        }
        Callback::BeforeSendGift(x) => {
            let w = x.gift_water.as_ref().expect("GiftWater");
            format!(
                "gift in {}: {} x{:?} from {} to {:?}",
                s(&x.room_id),
                s(&w.gift_id),
                w.count,
                s(&w.from_account),
                w.to_account
            )
        }
        Callback::BeforeSendMsg(x) => {
            format!("before: {} in {}: {}", s(&x.from_account), s(&x.group_id), text_of(&x.msg_body))
        }
        Callback::AfterSendMsg(x) => format!(
            "after: #{:?} {} in {}: {} {:?}",
            x.msg_seq,
            s(&x.from_account),
            s(&x.group_id),
            text_of(&x.msg_body),
            x.cloud_custom_data
        ),
        Callback::AfterDestroyRoom(x) => {
            let coins = x.statistic.as_ref().and_then(|st| st.total_gift_coins);
            format!("destroyed {} ({}), {coins:?} coins", s(&x.room_id), s(&x.event_type))
        }
        Callback::Unknown(u) => panic!("{} was decoded as Unknown: {}", u.command(), u.body()),
        other => panic!("{} is not emulated", other.command()),
    }
}

/// The next deliveries, which must be of the commands of `expected`, saying what it says
/// (see [`detail`]); added to `all`.
async fn phase<C: Typed>(hook: &mut Hook<C>, all: &mut Vec<Delivery<C>>, expected: &[(&str, &str)]) {
    let commands: Vec<&str> = expected.iter().map(|(c, _)| *c).collect();
    let got = hook.expect(&commands).await;
    let details: Vec<String> = got.iter().map(|d| detail(d.callback.typed())).collect();
    let wanted: Vec<&str> = expected.iter().map(|(_, d)| *d).collect();
    assert_eq!(details, wanted);
    all.extend(got);
}

/// Makes the calls whose events are every emulated command, and checks what each delivery says
/// through its typed struct; returns the deliveries.
async fn every_command<C: Typed>(hook: &mut Hook<C>, emu: &RunningEmulator, c: &Client) -> Vec<Delivery<C>> {
    configure(c, &hook.url, &EMULATED).await;
    let e = emu.emulator();
    let mut all = Vec::new();

    c.create_room(seated_room("r1")).await.unwrap();
    c.update_room_info(UpdateRoomInfo::new(RoomInfoUpdate::new("r1").room_name("Night"))).await.unwrap();
    let items = vec![MetadataItem::new("k1", "v1"), MetadataItem::new("k2", "v2")];
    c.set_room_metadata(SetRoomMetadata::new("r1", items)).await.unwrap();
    c.del_room_metadata(DelRoomMetadata::new("r1", vec!["k1".to_owned()])).await.unwrap();
    phase(
        hook,
        &mut all,
        &[
            (ROOM_CREATED, "created r1 (Evening) owned by administrator"),
            (ROOM_UPDATED, "updated r1 (Night)"),
            (METADATA_SET, "metadata of r1 set: k1=v1 k2=v2"),
            (METADATA_DELETED, "metadata of r1 deleted: Some([\"k1\"])"),
        ],
    )
    .await;

    e.enter_room("r1", "ann").unwrap();
    e.enter_room("r1", "bob").unwrap();
    c.modify_admin(ModifyAdmin::new("r1", vec!["ann".to_owned()], AdminOpType::Add)).await.unwrap();
    c.modify_admin(ModifyAdmin::new("r1", vec!["ann".to_owned()], AdminOpType::Delete)).await.unwrap();
    c.change_room_owner(ChangeRoomOwner::new("r1", "ann")).await.unwrap();
    phase(
        hook,
        &mut all,
        &[
            (MEMBERS, "r1: [\"ann\"] Online (Enter)"),
            (MEMBERS, "r1: [\"bob\"] Online (Enter)"),
            (ADMINS, "r1: admins Some(Add) Some([\"ann\"])"),
            (ADMINS, "r1: admins Some(Delete) Some([\"ann\"])"),
            (OWNER, "r1: owner administrator -> ann"),
        ],
    )
    .await;

    c.pick_user_on_seat(PickUserOnSeat::new("r1", 1, "bob")).await.unwrap();
    c.lock_seat(LockSeat::new("r1", 3).forbid_audio(true)).await.unwrap();
    c.switch_seat(SwitchSeat::new("r1", 0, "bob")).await.unwrap();
    c.ban_member(BanMember::new("r1", vec!["bob".to_owned()], 60)).await.unwrap();
    e.leave_room("r1", "ann").unwrap();
    phase(
        hook,
        &mut all,
        &[
            (SEATS, "r1 seats: 1=bob"),
            (SEATS, "r1 seats: 3=-"),
            (SEATS, "r1 seats: 0=bob 1=-"),
            (SEATS, "r1 seats: 0=-"),
            (MEMBERS, "r1: [\"bob\"] Offline (Kicked)"),
            (MEMBERS, "r1: [\"ann\"] Offline (Leave)"),
        ],
    )
    .await;

    c.create_room(seated_room("r2")).await.unwrap();
    let battle = CreateBattle::new("r1", vec!["r2".to_owned()], 1000).extension_info("pk");
    let id = c.create_battle(battle).await.unwrap().battle_id.unwrap();
    c.set_battle_score(SetBattleScore::new(id, ScoreOpType::Overwrite, vec![ScoreEntry::new("r2", 7)])).await.unwrap();
    phase(
        hook,
        &mut all,
        &[
            (ROOM_CREATED, "created r2 (Evening) owned by administrator"),
            (BATTLE_CREATED, "battle created: r1 vs Some([\"r2\"]) for Some(1000)"),
            (BATTLE_STARTED, "battle started: r1 (ann) vs [\"r2\"]"),
            (BATTLE_ENDED, "battle ended: [\"r2:Some(7)\"]"),
        ],
    )
    .await;

    c.add_gift(AddGift::new("rose", 3, "Rose")).await.unwrap();
    c.send_gift(SendGift::new("r1", "rose", "dan", vec!["ann".to_owned()]).count(2)).await.unwrap();
    phase(hook, &mut all, &[(BEFORE_GIFT, "gift in r1: rose xSome(2) from dan to Some([\"ann\"])")]).await;
    c.send_text_msg(SendTextMsg::new("r1", "dan", "hello").extension_info("{\"a\":1}")).await.unwrap();
    phase(
        hook,
        &mut all,
        &[
            (BEFORE_MSG, "before: dan in r1: hello"),
            (AFTER_MSG, "after: #Some(1) dan in r1: hello Some(\"{\\\"a\\\":1}\")"),
        ],
    )
    .await;
    c.destroy_room(DestroyRoom::new("r1")).await.unwrap();
    phase(hook, &mut all, &[(ROOM_DESTROYED, "destroyed r1 (DestroyByUser), Some(6) coins")]).await;

    // Every emulated command reached the handler, signed, verified, and typed.
    let mut seen: Vec<&str> = all.iter().map(|d| d.callback.command()).collect();
    seen.sort();
    seen.dedup();
    let mut emulated = EMULATED.to_vec();
    emulated.sort();
    assert_eq!(seen, emulated);
    for d in &all {
        let command = d.callback.command();
        assert_eq!(d.signature, Signature::Verified, "{command}");
        assert_eq!(d.sdk_app_id, emu.sdk_app_id());
        assert_eq!(d.query_command.as_deref(), Some(command), "the query names the body's command");
        assert!(!matches!(d.callback.typed(), Callback::Unknown(_)), "{command}");
        let kind = if command.contains(".CallbackBefore") { CallbackKind::Before } else { CallbackKind::After };
        assert_eq!(d.callback.kind(), Some(kind), "{command}");
    }
    all
}

fn specs() -> Api {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    live_api_codegen::load::load_dir(&root.join("../api-specs"), root).api.expect("api-specs/ is valid")
}

/// How a re-encoded body differs from the body it was decoded from.
#[derive(Default, Debug)]
struct Differences {
    /// Keys of the body the re-encoding lacks.
    lost: Vec<String>,
    /// Values that changed where no spec allows it.
    changed: Vec<String>,
    /// Values written in another JSON kind where the field's spec `accept`s it.
    normalised: Vec<String>,
}

/// `"17"` and `17`.
fn same_number(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(s), Value::Number(n)) | (Value::Number(n), Value::String(s)) => s.trim() == n.to_string(),
        _ => false,
    }
}

/// Compares `sent` with `encoded` along the spec's `fields`: every key of `sent` must be in
/// `encoded` with the same value, or, for a field whose spec accepts another JSON kind, the
/// same number in the field's kind.
fn compare_object(
    api: &Api,
    fields: &[model::Field],
    sent: &Map<String, Value>,
    encoded: &Map<String, Value>,
    at: &str,
    out: &mut Differences,
) {
    for (key, value) in sent {
        let path = format!("{at}.{key}");
        let Some(again) = encoded.get(key) else {
            out.lost.push(path);
            continue;
        };
        match fields.iter().find(|f| &f.wire == key) {
            Some(f) => compare_value(api, &f.ty, !f.accept.is_empty(), value, again, &path, out),
            None if value == again => {}
            None => out.changed.push(format!("{path}: {value} -> {again}")),
        }
    }
}

fn compare_value(api: &Api, ty: &Ty, accepts: bool, sent: &Value, encoded: &Value, at: &str, out: &mut Differences) {
    match (ty, sent, encoded) {
        (Ty::Array(item), Value::Array(s), Value::Array(e)) if s.len() == e.len() => {
            for (i, (s, e)) in s.iter().zip(e).enumerate() {
                compare_value(api, item, accepts, s, e, &format!("{at}[{i}]"), out);
            }
        }
        (Ty::Named(id), Value::Object(s), Value::Object(e)) => match &api.type_def(*id).kind {
            TypeKind::Object(fields) => compare_object(api, fields, s, e, at, out),
            _ => out.changed.push(format!("{at}: {sent} -> {encoded}")),
        },
        _ if sent == encoded => {}
        _ if accepts && same_number(sent, encoded) => out.normalised.push(format!("{at}: {sent} -> {encoded}")),
        _ => out.changed.push(format!("{at}: {sent} -> {encoded}")),
    }
}

#[tokio::test]
async fn every_emulated_command_reaches_the_standalone_receiver_typed_and_keeps_its_keys() {
    let (emu, c) = start().await;
    let mut hook = standalone(Receiver::new(emu.sdk_app_id()).token(TOKEN)).await;
    let all = every_command(&mut hook, &emu, &c).await;

    let api = specs();
    let mut diff = Differences::default();
    for d in &all {
        let command = d.callback.command();
        let spec = api.callbacks.iter().find(|cb| cb.command == command).expect("a spec of every command");
        let sent: Value = serde_json::from_str(d.callback.raw.body()).unwrap();
        let encoded = serde_json::to_value(&d.callback.typed).unwrap();
        let (Value::Object(sent), Value::Object(encoded)) = (&sent, &encoded) else { panic!("{command}: not objects") };
        assert_eq!(sent["CallbackCommand"], json!(command));
        assert!(sent.len() > 2, "{command}: the emulator sent a body with its fields: {sent:?}");
        compare_object(&api, &spec.body, sent, encoded, command, &mut diff);
    }
    assert!(diff.lost.is_empty() && diff.changed.is_empty(), "{diff:#?}");
    // The comparison does see the normalisations the specs allow: the message callbacks send
    // EventTime as a string, as the documented samples do, and the struct holds a number.
    assert!(
        diff.normalised.iter().any(|n| n.starts_with("Group.CallbackBeforeSendMsg.EventTime: \"")),
        "{:?}",
        diff.normalised
    );
}

#[tokio::test]
async fn every_emulated_command_reaches_the_axum_route_typed_and_signed() {
    let (emu, c) = start().await;
    let mut hook = behind_axum(Receiver::new(emu.sdk_app_id()).token(TOKEN)).await;
    let all = every_command(&mut hook, &emu, &c).await;
    assert!(all.len() >= EMULATED.len());
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
async fn typed_gift_replies_allow_block_or_pass_a_code_through() {
    let (emu, c) = start().await;
    let mut hook = standalone(Receiver::new(emu.sdk_app_id()).token(TOKEN)).await;
    gift_room(&c).await;
    configure(&c, &hook.url, &[BEFORE_GIFT]).await;

    hook.answer(|_| act(BeforeSendGiftReply::Allow));
    c.send_gift(rose()).await.unwrap();
    assert_eq!(roses(&c).await, Some(1));

    hook.answer(|cb| match cb {
        Callback::BeforeSendGift(g) if g.gift_water.as_ref().and_then(|w| w.gift_id.as_deref()) == Some("rose") => {
            act(BeforeSendGiftReply::RejectWith { code: PassThrough::new(102150).unwrap(), info: "sold out".into() })
        }
        _ => act(BeforeSendGiftReply::Allow),
    });
    let err = c.send_gift(rose()).await.unwrap_err();
    assert_eq!(err.code().map(|code| code.code()), Some(102150), "the code is passed through: {err}");
    assert_eq!(err.code(), Some(SendGiftCode::from_code(102150)), "the app's own code, not one of the spec's");
    let e = api_error(Err::<(), _>(err));
    assert_eq!(e.message, "sold out", "and its ErrorInfo");

    hook.answer(|_| act(BeforeSendGiftReply::Reject));
    let e = api_error(c.send_gift(rose()).await);
    assert_eq!(e.code, SendGiftCode::GiftCallbackFailed, "{e}");
    assert_eq!(e.code.code(), 102004);
    assert_eq!(roses(&c).await, Some(1), "no blocked gift was counted");

    let got = hook.expect(&[BEFORE_GIFT, BEFORE_GIFT, BEFORE_GIFT]).await;
    assert!(got.iter().all(|d| d.signature == Signature::Verified));
}

#[tokio::test]
async fn typed_message_replies_forbid_discard_modify_or_pass_a_code_through() {
    let (emu, c) = start().await;
    let mut hook = standalone(Receiver::new(emu.sdk_app_id()).token(TOKEN)).await;
    c.create_room(seated_room("m")).await.unwrap();
    configure(&c, &hook.url, &[BEFORE_MSG, AFTER_MSG]).await;
    hook.answer(|cb| {
        let Callback::BeforeSendMsg(m) = cb else { return act(Reply::ok()) };
        match text_of(&m.msg_body).as_str() {
            "forbid" => act(BeforeSendMsgReply::Forbid),
            "discard" => act(BeforeSendMsgReply::Discard),
            "pass" => {
                act(BeforeSendMsgReply::ForbidWith { code: PassThrough::new(10150).unwrap(), info: "slow down".into() })
            }
            "modify" => {
                let stars = MsgBodyItem::new().msg_type("TIMTextElem").msg_content(MsgContent::new().text("***"));
                act(BeforeSendMsgReply::AllowWith(
                    BeforeSendMsgChanges::new().msg_body(vec![stars]).cloud_custom_data("checked"),
                ))
            }
            _ => act(BeforeSendMsgReply::Allow),
        }
    });
    let text = |t: &str| SendTextMsg::new("m", "dan", t);

    assert_eq!(c.send_text_msg(text("hello")).await.unwrap().msg_seq, Some(1));
    hook.expect(&[BEFORE_MSG, AFTER_MSG]).await;

    let e = api_error(c.send_text_msg(text("forbid")).await);
    assert_eq!(e.code, SendTextMsgCode::RejectedByCallback, "{e}");
    assert_eq!(e.code.code(), 10016);
    hook.expect(&[BEFORE_MSG]).await;
    let discarded = c.send_text_msg(text("discard")).await.unwrap();
    assert_eq!(discarded.msg_seq, None, "discarded silently: success, but no message");
    hook.expect(&[BEFORE_MSG]).await;
    let e = api_error(c.send_text_msg(text("pass")).await);
    assert_eq!((e.code.code(), e.message.as_str()), (10150, "slow down"));
    hook.expect(&[BEFORE_MSG]).await;

    let modified = c.send_text_msg(text("modify")).await.unwrap();
    assert_eq!(modified.msg_seq, Some(2), "the refused and discarded messages took no number");
    let got = hook.expect(&[BEFORE_MSG, AFTER_MSG]).await;
    assert_eq!(detail(got[0].callback.typed()), "before: dan in m: modify");
    assert_eq!(
        detail(got[1].callback.typed()),
        "after: #Some(2) dan in m: *** Some(\"checked\")",
        "the reply's changes were sent"
    );
    let stats = c.get_room_stats(GetRoomStats::new("m")).await.unwrap();
    assert_eq!(stats.total_msg_count, Some(2), "only the messages sent count");
}

#[tokio::test]
async fn a_handler_past_its_budget_gets_the_documented_default() {
    let (emu, c) = start().await;
    // The budget is short so that the receiver's answer comes long before the emulator's 2 s.
    let receiver = Receiver::new(emu.sdk_app_id()).token(TOKEN).budget(Duration::from_millis(200));
    let mut hook = standalone(receiver).await;
    gift_room(&c).await;
    configure(&c, &hook.url, &[BEFORE_GIFT, BEFORE_MSG]).await;
    hook.answer(|_| Act::Hang);

    // A gift: blocked, by the receiver's answer (ErrorCode 1), not by the emulator's timeout.
    let e = api_error(c.send_gift(rose()).await);
    assert_eq!(e.code, SendGiftCode::GiftCallbackFailed, "{e}");
    assert!(e.message.contains("refused the gift (ErrorCode 1"), "the receiver answered Reject: {}", e.message);
    assert_eq!(roses(&c).await, Some(0));
    // A message: delivered, the default of the message callback.
    let sent = c.send_text_msg(SendTextMsg::new("g", "dan", "hi")).await.unwrap();
    assert_eq!(sent.msg_seq, Some(1));
    hook.expect(&[BEFORE_GIFT, BEFORE_MSG]).await;
    assert_eq!(hook.hangs_ended.load(Ordering::SeqCst), 2, "both handlers were cancelled");
}

#[tokio::test]
async fn an_after_callback_handler_that_hangs_delays_no_call() {
    let (emu, c) = start().await;
    let mut hook = standalone(Receiver::new(emu.sdk_app_id()).token(TOKEN)).await;
    hook.answer(|_| Act::Hang);
    configure(&c, &hook.url, &[ROOM_CREATED, ROOM_UPDATED]).await;
    c.create_room(seated_room("r")).await.unwrap();
    // The handler of the first callback hangs...
    assert_eq!(hook.next().await.callback.command(), ROOM_CREATED);
    // ...while calls are answered, and their callbacks delivered: the receiver answered the
    // emulator at once (it sends an application's callbacks one at a time).
    for name in ["a", "b", "c"] {
        c.update_room_info(UpdateRoomInfo::new(RoomInfoUpdate::new("r").room_name(name))).await.unwrap();
    }
    c.get_room_info(GetRoomInfo::new("r")).await.unwrap();
    let got = hook.expect(&[ROOM_UPDATED, ROOM_UPDATED, ROOM_UPDATED]).await;
    let names: Vec<String> = got.iter().map(|d| detail(d.callback.typed())).collect();
    assert_eq!(names, ["updated r (a)", "updated r (b)", "updated r (c)"]);
    assert_eq!(hook.hangs_ended.load(Ordering::SeqCst), 0, "every handler still hangs");
    hook.release();
}
