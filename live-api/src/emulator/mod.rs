//! An in-memory emulator of the Live API, served over HTTP on 127.0.0.1 from the same specs as the
//! client: the generated [`Service`](crate::Service) implemented with the service's behaviour.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use live_api::emulator::Emulator;
//! use live_api::{CreateRoom, RoomInfo, RoomType};
//!
//! let emulator = Emulator::start().await?; // 127.0.0.1, an ephemeral port, the dev credentials
//! let client = emulator.client();
//! client.create_room(CreateRoom::new(RoomInfo::new("live-42", RoomType::Live))).await?;
//! # Ok(()) }
//! ```
//!
//! # What it does
//!
//! - Requests pass the [`Gateway`]: the query parameters and the UserSig ticket are checked
//!   against the configured SDKAppIDs, keys and admin (60002, 60004, 60006, 60010, 60012), then
//!   the body is decoded and checked against the documented limits (60003, 100002 naming the
//!   field), as [`server`](crate::server) describes.
//! - Rate limits: each SDKAppID and quota group may make a second's worth of calls at once (at
//!   least one) and then the documented calls per second. Over it, the mixing endpoints answer
//!   100422 (their documented per-SDKAppID limit), the gift configuration endpoints 100012 (theirs),
//!   and every other endpoint 60007, the REST-wide "call frequency exceeds the limit".
//! - Rooms: create (100003 for a taken ID, 100010 when the same owner has it), update, get, list
//!   (public rooms by ViewCount, paged with `Next`), destroy (with its statistics); 100004 for a
//!   room that does not exist, on every endpoint that names one.
//! - Members: the owner, the robots and the users who entered through the SDK, which the emulator
//!   stands in for with [`Emulator::enter_room`]. Bans (100006 for the owner) take users off
//!   their seats and keep them out; mutes end after `MuteTime`; both lists skip expired entries.
//! - Metadata: at most 10 keys (100500) and 16 KiB of values (100502) per room. Administrators: at
//!   most 5 (100020).
//! - Seats (0-based): a room has them when created with `IsSeatEnabled`; their number is
//!   `MaxSeatCount`, else the number in `SeatTemplate` (`VideoDynamicGrid9Seats`), else 9. Picking
//!   answers 100211 (no seats), 100005 (not in the room), 100203 (already seated), 100205 (all
//!   taken), 100200 (locked), 100210 (occupied); locking a seat takes its user off.
//! - Mixing needs seats and `IsUnlimitedRoomEnabled` (100006); every host of a layout must sit on a
//!   seat (100428); an undocumented `LayoutMode` is 100429; resuming without a layout is 100424.
//! - Messages count towards the statistics and get a per-room sequence number. Gifts must be in
//!   the application's gift configuration; `get_gift_count` reads what `From_Account` received.
//! - Battles: `Status` is 1 while running and 2 once `Duration` has passed (the service's values
//!   are undocumented). An ended battle is forgotten once none of its rooms exists (its ID then
//!   answers 100002, as an unknown one does), so destroyed rooms leave nothing behind.
//! - Chat accounts (`im_open_login_svc`), one account system per SDKAppID, with the App
//!   administrators imported from the start. account_import and multiaccount_import (either
//!   form; neither or both is 70402) import a UserID once however often it comes, setting
//!   `Tag_Profile_IM_Nick` and `Tag_Profile_IM_Image` from `Nick` and `FaceUrl`; an empty UserID
//!   is 70402 for account_import and a `FailAccounts` entry for multiaccount_import, as is an
//!   account past [`EmulatorConfig::account_limit`] (70398 for account_import). account_check
//!   answers `Imported` or `NotImported` (ResultCode 0 either way); account_delete deletes the
//!   account and its profile (ResultCode 70107 for one that does not exist); kick answers 70107
//!   for an account that does not exist. Both end the account's login: it leaves the rooms it
//!   entered and its seats (reported as members `Kicked`), and a deleted account is no robot or
//!   administrator any more. UserSig tickets are not affected: the emulator only checks the
//!   admin's. The emulator behaves as a trial edition, the only one on which account_delete is
//!   enabled by default: a deleted UserID can be imported again at once. (Other editions cannot
//!   re-import it for 3 months, but no page gives a code for that refusal, so it is not
//!   emulated.)
//! - Login status (`openim/query_online_status`): an imported account is `Online` while it is in
//!   a room it entered through [`Emulator::enter_room`] (until [`Emulator::leave_room`], a ban,
//!   kick or account_delete) and `Offline` otherwise, under both documented keys, `Status` and
//!   `State`; never `PushOnline` (the emulator has no mobile apps) and no `Detail` (it knows no
//!   platforms). A UserID that is not imported is in `ErrorList` with 70107.
//! - Profiles (`profile`): portrait_set stores fields of an imported account (40003 otherwise),
//!   standard (`Tag_Profile_IM_*`) or custom (`Tag_Profile_Custom_*`; any other tag is 40009), with
//!   values of at most 500 bytes (40601), as given: the emulator does not know each standard
//!   field's values, so it checks none (40605, 40610 are not answered). portrait_get answers the
//!   asked fields each user has a value for; a user who is not imported has ResultCode 40003 and is
//!   in `Fail_Account`. An empty list of users is 40002, of fields or items 40001.
//! - Live endpoints and accounts: where the docs say a field is an imported account
//!   (`RoomInfo.Owner_Account` of create_room, which defaults to the caller, an administrator;
//!   `RobotList_Account` of add_robot and del_robot), an account that is not imported is refused
//!   with 100002 (no page names a code of its own for it). Elsewhere the emulator is permissive,
//!   unless [`EmulatorConfig::require_imported_accounts`] asks it to check the senders of
//!   messages and gifts, gift receivers, new administrators and owners (100002) and the users of
//!   [`Emulator::enter_room`] (70107).
//! - Webhook configuration (`live_config`), one per SDKAppID: set_callback (100300 once one
//!   exists), get_callback and update_callback (100301 without one; the list replaces the
//!   configured one), delete_callback; a URL that is not `http(s)://` or a command word the specs
//!   do not know is 100002. The token that signs callbacks: delete_callback_token, and
//!   set_callback_token / get_callback_token (a first set needs both values, later ones change
//!   what they give).
//! - Callbacks: when a configured command's event happens, the emulator POSTs its documented body
//!   (the keys of the callback's documentation, built from the state) to the URL with the query
//!   `SdkAppid`, `CallbackCommand`, `contenttype=json`, `ClientIP=127.0.0.1` and `OptPlatform`
//!   (`RESTAPI` for events of API calls, `Unknown` for [`Emulator::enter_room`] and
//!   [`Emulator::leave_room`], which stand in for the SDK, and for a battle's end), plus `Sign`
//!   and `RequestTime` while a token is set and enabled ([`sign`]). Events: rooms created,
//!   updated, destroyed; metadata set and deleted (the keys of the call); members entering and
//!   leaving, and banned members (`Kicked`); owner and administrator changes; seats that changed
//!   (each call reports the seats it changed, locks included); battles created and started (at
//!   once: the emulator has no invitations) and ended; gifts and room messages before they are
//!   sent, and messages after. Not emitted: the room-count alert and the `Follow.*` callbacks
//!   (the emulator has neither), and a battle's end for other reasons than its time.
//! - Only loopback URLs (`127.0.0.0/8`, `[::1]`, `localhost`) are called, with no proxy and no
//!   redirects: a callback to any other host is not sent, a tracing warning says so, and a
//!   before-callback counts as failed. Tests never send traffic elsewhere.
//! - After-callbacks never delay or fail the call that caused them: a failed call sends none,
//!   and those of a successful call are queued, one queue per application, in the order the
//!   state changed, and sent one at a time by a task on the tokio runtime, each waiting at most
//!   2 s ([`CALLBACK_TIMEOUT`]). So an application's callbacks arrive in the order their events
//!   happened; a receiver that hangs delays the later ones, never an API call. A failed
//!   delivery is logged, not retried.
//! - A battle's end is reported when its time is up: a timer wakes the emulator then, and every
//!   call first reports the battles that ended, so the callback is queued before any answer
//!   shows `Status` 2.
//! - Before-callbacks are awaited by the call, up to 2 s, without holding the state's lock: the
//!   call is checked (a call that would fail sends no callback), the callback sent, then the
//!   state checked again and the effect applied; the callback describes the state of the first
//!   check, and a room destroyed meanwhile answers 100004. They are sent directly, so they may
//!   overtake queued after-callbacks. `Live.CallbackBeforeSendGift`: reply code 0 sends the
//!   gift; a code in 102100..=102200 blocks it and is passed through with the reply's `ErrorInfo`;
//!   any other blocks it with 102004; no reply in 2 s, another HTTP status or a body that is not
//!   a reply blocks it with 102004, unless `Live.CallbackBeforeCallBackNotBlock` is on the list.
//!   `Group.CallbackBeforeSendMsg` (send_text_msg, send_custom_msg): 0 sends the message, with
//!   the reply's `MsgBody` and `CloudCustomData` when it carries them; 2 discards it silently (the
//!   call succeeds without `MsgSeq`, the message is neither counted nor reported after); a code
//!   in 10100..=10200 is passed through; 1 and other codes answer 10016; without a reply the
//!   message is sent (Chat's default).
//! - An endpoint of the specs that the emulator has no behaviour for (one just added to
//!   `api-specs/`, say) answers 60017 (`RequestDisabled`, which every endpoint documents and the
//!   client does not retry) with a message saying that the endpoint is not emulated.
//! - Otherwise the emulator answers only codes the endpoint's spec documents, and the compiler
//!   checks it: each endpoint's function fails with a variant of the endpoint's code enum, and a
//!   helper shared by several endpoints (a room that does not exist, 100004) is bounded by the
//!   codes it answers ([`Documents`](crate::Documents)), so an endpoint whose spec does not list
//!   them cannot call it. Where the docs name no code for a condition (an unknown gift, a seat move
//!   that would need `Force`), it answers the endpoint's invalid-parameter code (100002 for the
//!   Live endpoints, 70402 for the account service, 40001 for profiles) with a message that says
//!   what is wrong. The one
//!   exception: a code a before-callback's reply passes through (a range the specs note), which
//!   the client decodes as `Undocumented`.
//!   [`Emulator::enter_room`] and [`Emulator::leave_room`] stand in for the SDK, which no spec
//!   documents: they refuse with plain numbers ([`Refusal`]).
//!
//! State lives in memory behind one lock, so concurrent calls are safe; it is lost when the
//! emulator stops.

mod accounts;
mod battles;
mod bodies;
mod callback_config;
mod delivery;
mod gates;
mod gifts;
mod limits;
mod messages;
mod rooms;
mod seats;
mod service;
mod state;
mod webhooks;

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::SetMixStream;
use crate::client::{Client, ClientBuilder};
use crate::codes::CodeInfo;
use crate::secret::Secret;
use crate::server::{Context, Gateway, Hooks, HttpServer, Refusal};

pub use accounts::MAX_PROFILE_VALUE_BYTES;
pub use battles::{STATUS_ENDED, STATUS_RUNNING};
pub use delivery::{CALLBACK_TIMEOUT, sign};
pub use limits::{QUOTA_CODES, REST_RATE_CODE};
pub use rooms::{DEFAULT_SEATS, MEMBER_PAGE};

use accounts::Accounts;
use limits::RateLimits;
use state::AppState;
use webhooks::Origin;

/// SDKAppID of the emulator's default application.
pub const DEV_SDK_APP_ID: u64 = 1_400_000_000;
/// Secret key of the default application. Not a secret: it only opens the local emulator.
pub const DEV_SECRET_KEY: &str = "live-api-emulator-dev-key";
/// The default App administrator.
pub const DEV_ADMIN: &str = "administrator";

/// One answered call, as [`EmulatorConfig::on_call`] sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallRecord {
    /// `service/command`.
    pub endpoint: String,
    /// The caller's SDKAppID.
    pub sdk_app_id: u64,
    /// The `ErrorCode` answered (0 for success).
    pub code: i64,
    /// The `ErrorInfo` answered.
    pub message: String,
    /// The `RequestId` answered.
    pub request_id: String,
}

type OnCall = Arc<dyn Fn(&CallRecord) + Send + Sync>;

/// What the emulator serves and accepts.
#[derive(Clone)]
pub struct EmulatorConfig {
    apps: Vec<(u64, Secret)>,
    admins: Vec<String>,
    tickets: Vec<Secret>,
    rate_limits: bool,
    require_imported_accounts: bool,
    account_limit: Option<usize>,
    on_call: Option<OnCall>,
}

impl fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let apps: Vec<u64> = self.apps.iter().map(|(id, _)| *id).collect();
        f.debug_struct("EmulatorConfig")
            .field("apps", &apps)
            .field("admins", &self.admins)
            .field("fixed_tickets", &self.tickets.len())
            .field("rate_limits", &self.rate_limits)
            .field("require_imported_accounts", &self.require_imported_accounts)
            .field("account_limit", &self.account_limit)
            .finish()
    }
}

impl Default for EmulatorConfig {
    /// The application [`DEV_SDK_APP_ID`] with the key [`DEV_SECRET_KEY`], the admin
    /// [`DEV_ADMIN`], and the documented rate limits.
    fn default() -> Self {
        EmulatorConfig {
            apps: vec![(DEV_SDK_APP_ID, Secret::new(DEV_SECRET_KEY))],
            admins: vec![DEV_ADMIN.to_owned()],
            tickets: Vec::new(),
            rate_limits: true,
            require_imported_accounts: false,
            account_limit: None,
            on_call: None,
        }
    }
}

impl EmulatorConfig {
    /// The default configuration (see [`Default`]).
    pub fn new() -> Self {
        Self::default()
    }
    /// Serves only the application `sdk_app_id` with the secret `key` (replacing the default
    /// one); call [`also_app`](Self::also_app) for more.
    #[must_use]
    pub fn app(mut self, sdk_app_id: u64, key: impl Into<Secret>) -> Self {
        self.apps = vec![(sdk_app_id, key.into())];
        self
    }
    /// Serves one more application. Each has its own rooms, gifts and rate limits.
    #[must_use]
    pub fn also_app(mut self, sdk_app_id: u64, key: impl Into<Secret>) -> Self {
        self.apps.push((sdk_app_id, key.into()));
        self
    }
    /// The App administrator calls must be made as (replacing the default one).
    #[must_use]
    pub fn admin(mut self, identifier: impl Into<String>) -> Self {
        self.admins = vec![identifier.into()];
        self
    }
    /// Also accepts `ticket` as it is, for a client configured with a fixed UserSig.
    #[must_use]
    pub fn accept_ticket(mut self, ticket: impl Into<Secret>) -> Self {
        self.tickets.push(ticket.into());
        self
    }
    /// Whether to enforce the documented rate limits (default: yes).
    #[must_use]
    pub fn rate_limits(mut self, enforce: bool) -> Self {
        self.rate_limits = enforce;
        self
    }
    /// Whether Live endpoints refuse accounts that are not imported where the docs do not say
    /// they must be (default: no). The fields the docs say are imported accounts
    /// (`RoomInfo.Owner_Account` of create_room, `RobotList_Account` of add_robot and del_robot)
    /// are checked either way; strict mode adds the senders of send_text_msg and send_custom_msg,
    /// `From_Account` and `ReceiverList_Account` of send_gift, the administrators modify_admin
    /// adds, `NewOwner_Account` of change_room_owner, and the users of
    /// [`Emulator::enter_room`]. Refused with 100002, the only documented code each of those
    /// endpoints has for it (and 70107 by `enter_room`, which stands in for the SDK's login).
    #[must_use]
    pub fn require_imported_accounts(mut self, strict: bool) -> Self {
        self.require_imported_accounts = strict;
        self
    }
    /// The most Chat accounts each application may have, the App administrators included
    /// (default: no limit). Past it account_import answers 70398 (`AccountLimitReached`, the
    /// edition's account limit) and multiaccount_import lists the accounts in `FailAccounts`.
    #[must_use]
    pub fn account_limit(mut self, accounts: usize) -> Self {
        self.account_limit = Some(accounts);
        self
    }
    /// Called after every call (a log, a counter).
    #[must_use]
    pub fn on_call(mut self, f: impl Fn(&CallRecord) + Send + Sync + 'static) -> Self {
        self.on_call = Some(Arc::new(f));
        self
    }
}

/// The emulator: the state of every served application, safe to share between tasks. Cheap to
/// clone; clones share the state.
#[derive(Clone)]
pub struct Emulator {
    shared: Arc<Shared>,
}

struct Shared {
    config: EmulatorConfig,
    apps: Mutex<BTreeMap<u64, AppState>>,
    limits: RateLimits,
    served: Mutex<BTreeMap<(String, i64), u64>>,
    /// The HTTP client of callbacks.
    http: reqwest::Client,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator").field("config", &self.shared.config).finish_non_exhaustive()
    }
}

impl Emulator {
    /// An emulator with `config`, not yet listening.
    pub fn new(config: EmulatorConfig) -> Emulator {
        Emulator {
            shared: Arc::new(Shared {
                config,
                apps: Mutex::new(BTreeMap::new()),
                limits: RateLimits::default(),
                served: Mutex::new(BTreeMap::new()),
                http: delivery::http_client(),
            }),
        }
    }

    /// Starts an emulator with the default configuration on 127.0.0.1 with an ephemeral port.
    pub async fn start() -> io::Result<RunningEmulator> {
        Emulator::new(EmulatorConfig::default()).listen("127.0.0.1:0").await
    }

    /// Serves this emulator over HTTP on `addr` (e.g. `127.0.0.1:0`), on the current tokio
    /// runtime, until the returned handle is dropped.
    pub async fn listen(self, addr: impl tokio::net::ToSocketAddrs) -> io::Result<RunningEmulator> {
        let config = &self.shared.config;
        let mut gateway = Gateway::new().hooks(self.shared.clone());
        for (id, key) in &config.apps {
            gateway = gateway.app(*id, key.clone());
        }
        for admin in &config.admins {
            gateway = gateway.admin(admin.clone());
        }
        for ticket in &config.tickets {
            gateway = gateway.ticket(ticket.clone());
        }
        let emulator = self.clone();
        let server = HttpServer::bind(addr, gateway, move |call| {
            let emulator = emulator.clone();
            async move { crate::dispatch(&emulator, call).await }
        })
        .await?;
        Ok(RunningEmulator { emulator: self, server })
    }

    /// The SDKAppID of the first configured application, the one [`enter_room`](Self::enter_room)
    /// and [`RunningEmulator::client`] use.
    pub fn sdk_app_id(&self) -> u64 {
        self.shared.config.apps.first().map_or(DEV_SDK_APP_ID, |(id, _)| *id)
    }

    /// What the TRTC SDK does when a user opens a room: `user` enters `room_id` of the first
    /// application and becomes a member (so that they can be picked onto a seat), and is online
    /// (`query_online_status`). Refused for a room that does not exist, a banned user, a full
    /// room, or, with [`EmulatorConfig::require_imported_accounts`], a user who is not an
    /// imported account.
    pub fn enter_room(&self, room_id: &str, user: &str) -> Result<(), Refusal> {
        self.run(self.sdk_app_id(), &Origin::sdk(user), |app, now| app.enter_room(room_id, user, now))
    }

    /// `user` leaves `room_id` (and any seat).
    pub fn leave_room(&self, room_id: &str, user: &str) -> Result<(), Refusal> {
        self.run(self.sdk_app_id(), &Origin::sdk(user), |app, _| app.leave_room(room_id, user))
    }

    /// The layout the room's mix task runs with (the last `set_mix_stream` accepted).
    pub fn mix_task(&self, room_id: &str) -> Option<SetMixStream> {
        self.with_app(self.sdk_app_id(), |app, _| app.rooms.get(room_id).and_then(|r| r.mix.clone()))
    }

    /// How many calls each endpoint (`service/command`) answered with each code (0 = success).
    pub fn served(&self) -> BTreeMap<(String, i64), u64> {
        self.shared.served.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Runs `f` on the state of the application `sdk_app_id` with the clock (Unix seconds),
    /// for what sends no callback.
    fn with_app<T>(&self, sdk_app_id: u64, f: impl FnOnce(&mut AppState, i64) -> T) -> T {
        // A panic while holding the lock would be a bug of the emulator; its state is still the
        // best there is, so keep serving.
        let mut apps = self.shared.apps.lock().unwrap_or_else(|e| e.into_inner());
        f(apps.entry(sdk_app_id).or_insert_with(|| self.shared.new_app()), crate::server::unix_now() as i64)
    }

    /// Runs a call caused by `origin` on the state of `sdk_app_id`, under the lock: first the
    /// battles whose time is up end, then `f` runs with the clock (Unix seconds). The callbacks
    /// of a call that succeeds are queued in the order its changes happened; those of one that
    /// fails are dropped.
    fn run<T, E>(
        &self,
        sdk_app_id: u64,
        origin: &Origin,
        f: impl FnOnce(&mut AppState, i64) -> Result<T, E>,
    ) -> Result<T, E> {
        let (now, now_ms) = clock();
        let http = &self.shared.http;
        let mut apps = self.shared.apps.lock().unwrap_or_else(|e| e.into_inner());
        let app = apps.entry(sdk_app_id).or_insert_with(|| self.shared.new_app());
        app.webhooks.begin(sdk_app_id, &Origin::sdk(""), now_ms);
        app.end_battles(now);
        app.webhooks.commit(http);
        app.webhooks.begin(sdk_app_id, origin, now_ms);
        let result = f(app, now);
        match result {
            Ok(_) => app.webhooks.commit(http),
            Err(_) => app.webhooks.discard(),
        }
        let ends = std::mem::take(&mut app.webhooks.battle_ends);
        drop(apps);
        for (_, end) in ends {
            self.wake_at(sdk_app_id, end);
        }
        result
    }

    /// Runs an empty call of `sdk_app_id` once the clock reaches `end` (Unix seconds), so that
    /// a battle ending then is reported without waiting for the next call. The timer holds the
    /// emulator weakly: it does not keep a dropped emulator alive. Without a tokio runtime there
    /// is no timer, and the end is reported by the next call.
    fn wake_at(&self, sdk_app_id: u64, end: i64) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        let shared: Weak<Shared> = Arc::downgrade(&self.shared);
        runtime.spawn(async move {
            loop {
                let wait = end.saturating_mul(1000).saturating_sub(clock().1);
                if wait <= 0 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(wait as u64)).await;
            }
            if let Some(shared) = shared.upgrade() {
                let emulator = Emulator { shared };
                let _ = emulator.run(sdk_app_id, &Origin::sdk(""), |_, _| Ok::<(), ()>(()));
            }
        });
    }
}

impl Shared {
    /// The state of an application before its first call: no rooms, and no accounts but the App
    /// administrators.
    fn new_app(&self) -> AppState {
        let c = &self.config;
        let accounts = Accounts::new(&c.admins, c.require_imported_accounts, c.account_limit);
        AppState { accounts, ..AppState::default() }
    }
}

/// The clock: Unix seconds (as every endpoint reads it) and milliseconds (`EventTime`).
fn clock() -> (i64, i64) {
    let ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
    (ms.div_euclid(1000), ms)
}

impl Hooks for Shared {
    fn admit(&self, ctx: &Context, documented: &'static [CodeInfo]) -> Result<(), Refusal> {
        if self.config.rate_limits { self.limits.admit(ctx, documented, Instant::now()) } else { Ok(()) }
    }

    fn finished(&self, ctx: &Context, code: i64, message: &str) {
        let endpoint = ctx.endpoint.name();
        *self.served.lock().unwrap_or_else(|e| e.into_inner()).entry((endpoint.clone(), code)).or_default() += 1;
        if let Some(on_call) = &self.config.on_call {
            on_call(&CallRecord {
                endpoint,
                sdk_app_id: ctx.sdk_app_id,
                code,
                message: message.to_owned(),
                request_id: ctx.request_id.clone(),
            });
        }
    }
}

/// An emulator serving HTTP on a local port; stops when dropped.
#[derive(Debug)]
pub struct RunningEmulator {
    emulator: Emulator,
    server: HttpServer,
}

impl RunningEmulator {
    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        self.server.url()
    }
    /// The address it listens on.
    pub fn local_addr(&self) -> std::net::SocketAddr {
        self.server.local_addr()
    }
    /// The emulator's state, to act as the SDK would ([`Emulator::enter_room`]) or to inspect.
    pub fn emulator(&self) -> &Emulator {
        &self.emulator
    }
    /// The SDKAppID of the first configured application.
    pub fn sdk_app_id(&self) -> u64 {
        self.emulator.sdk_app_id()
    }
    /// The secret key of the first configured application.
    pub fn secret_key(&self) -> Secret {
        let config = &self.emulator.shared.config;
        config.apps.first().map_or_else(|| Secret::new(DEV_SECRET_KEY), |(_, k)| k.clone())
    }
    /// The admin identifier calls are made as.
    pub fn admin(&self) -> &str {
        self.emulator.shared.config.admins.first().map_or(DEV_ADMIN, String::as_str)
    }
    /// A client builder set up for this emulator (first application, its key, the admin, the
    /// URL), to adjust before building.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .sdk_app_id(self.sdk_app_id())
            .secret_key(self.secret_key())
            .admin(self.admin())
            .base_url(self.url())
    }
    /// A client of this emulator.
    pub fn client(&self) -> Client {
        // The builder is complete: an SDKAppID, a key, a non-empty admin and an http:// URL.
        self.client_builder().build().expect("a client of the local emulator")
    }
}
