//! An in-memory emulator of the Live API, served over HTTP on 127.0.0.1 from the same specs as the
//! client: the generated [`Service`] implemented with the service's behaviour.
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
//!   are undocumented).
//! - An endpoint of the specs that the emulator has no behaviour for (one just added to
//!   `api-specs/`, say) answers 60017 (`RequestDisabled`, which every endpoint documents and the
//!   client does not retry) with a message saying that the endpoint is not emulated.
//! - Otherwise the emulator answers only codes the endpoint's spec documents; where the docs name
//!   no code for a condition (an unknown gift, a seat move that would need `Force`), it answers
//!   100002 with a message that says what is wrong.
//!
//! State lives in memory behind one lock, so concurrent calls are safe; it is lost when the
//! emulator stops.

mod battles;
mod gifts;
mod limits;
mod rooms;
mod seats;
mod state;

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::api::*;
use crate::client::{Client, ClientBuilder};
use crate::codes::CodeInfo;
use crate::secret::Secret;
use crate::server::{Context, Failure, Gateway, Hooks, HttpServer, Refusal};

pub use battles::{STATUS_ENDED, STATUS_RUNNING};
pub use limits::{QUOTA_CODES, REST_RATE_CODE};
pub use rooms::{DEFAULT_SEATS, MEMBER_PAGE};

use limits::RateLimits;
use state::AppState;

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
    /// application and becomes a member (so that they can be picked onto a seat). Refused for a
    /// room that does not exist, a banned user, or a full room.
    pub fn enter_room(&self, room_id: &str, user: &str) -> Result<(), Refusal> {
        self.with_app(self.sdk_app_id(), |app, now| app.enter_room(room_id, user, now))
    }

    /// `user` leaves `room_id` (and any seat).
    pub fn leave_room(&self, room_id: &str, user: &str) -> Result<(), Refusal> {
        self.with_app(self.sdk_app_id(), |app, _| app.leave_room(room_id, user))
    }

    /// The layout the room's mix task runs with (the last `set_mix_stream` accepted).
    pub fn mix_task(&self, room_id: &str) -> Option<SetMixStream> {
        self.with_app(self.sdk_app_id(), |app, _| Ok(app.room(room_id)?.mix.clone())).ok().flatten()
    }

    /// How many calls each endpoint (`service/command`) answered with each code (0 = success).
    pub fn served(&self) -> BTreeMap<(String, i64), u64> {
        self.shared.served.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn with_app<T>(
        &self,
        sdk_app_id: u64,
        f: impl FnOnce(&mut AppState, i64) -> Result<T, Refusal>,
    ) -> Result<T, Refusal> {
        // A panic while holding the lock would be a bug of the emulator; its state is still the
        // best there is, so keep serving.
        let mut apps = self.shared.apps.lock().unwrap_or_else(|e| e.into_inner());
        f(apps.entry(sdk_app_id).or_default(), crate::server::unix_now() as i64)
    }

    /// Runs one endpoint's logic on the caller's application.
    fn run<T, C: crate::ErrorCode>(
        &self,
        ctx: &Context,
        f: impl FnOnce(&mut AppState, i64) -> Result<T, Refusal>,
    ) -> Result<T, Failure<C>> {
        self.with_app(ctx.sdk_app_id, f).map_err(Failure::from)
    }
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

/// Every endpoint: the logic of its family, on the caller's application.
impl crate::Service for Emulator {
    fn unserved(&self, ctx: &Context) -> Refusal {
        let endpoint = ctx.endpoint.name();
        Refusal::new(
            crate::server::UNSERVED,
            format!("{endpoint} is not emulated: the emulator has no behaviour for it"),
        )
    }
    async fn create_battle(
        &self,
        c: &Context,
        r: CreateBattle,
    ) -> Result<CreateBattleResponse, Failure<CreateBattleCode>> {
        self.run(c, |a, now| a.create_battle(r, now))
    }
    async fn get_battle_info(
        &self,
        c: &Context,
        r: GetBattleInfo,
    ) -> Result<GetBattleInfoResponse, Failure<GetBattleInfoCode>> {
        self.run(c, |a, now| a.get_battle_info(r, now))
    }
    async fn set_battle_score(
        &self,
        c: &Context,
        r: SetBattleScore,
    ) -> Result<SetBattleScoreResponse, Failure<SetBattleScoreCode>> {
        self.run(c, |a, _| a.set_battle_score(r))
    }
    async fn add_gift(&self, c: &Context, r: AddGift) -> Result<AddGiftResponse, Failure<AddGiftCode>> {
        self.run(c, |a, _| a.add_gift(r))
    }
    async fn add_gift_category(
        &self,
        c: &Context,
        r: AddGiftCategory,
    ) -> Result<AddGiftCategoryResponse, Failure<AddGiftCategoryCode>> {
        self.run(c, |a, _| a.add_gift_category(r))
    }
    async fn add_gift_category_relations(
        &self,
        c: &Context,
        r: AddGiftCategoryRelations,
    ) -> Result<AddGiftCategoryRelationsResponse, Failure<AddGiftCategoryRelationsCode>> {
        self.run(c, |a, _| a.add_gift_category_relations(r))
    }
    async fn add_robot(&self, c: &Context, r: AddRobot) -> Result<AddRobotResponse, Failure<AddRobotCode>> {
        self.run(c, |a, _| a.add_robot(r))
    }
    async fn ban_member(&self, c: &Context, r: BanMember) -> Result<BanMemberResponse, Failure<BanMemberCode>> {
        self.run(c, |a, now| a.ban_member(r, now))
    }
    async fn change_room_owner(
        &self,
        c: &Context,
        r: ChangeRoomOwner,
    ) -> Result<ChangeRoomOwnerResponse, Failure<ChangeRoomOwnerCode>> {
        self.run(c, |a, now| a.change_room_owner(r, now))
    }
    async fn copy_default_gift_config(
        &self,
        c: &Context,
        r: CopyDefaultGiftConfig,
    ) -> Result<CopyDefaultGiftConfigResponse, Failure<CopyDefaultGiftConfigCode>> {
        self.run(c, |a, _| a.copy_default_gift_config(r))
    }
    async fn create_room(&self, c: &Context, r: CreateRoom) -> Result<CreateRoomResponse, Failure<CreateRoomCode>> {
        self.run(c, |a, now| a.create_room(r, &c.identifier, now))
    }
    async fn del_gift(&self, c: &Context, r: DelGift) -> Result<DelGiftResponse, Failure<DelGiftCode>> {
        self.run(c, |a, _| a.del_gift(r))
    }
    async fn del_gift_category(
        &self,
        c: &Context,
        r: DelGiftCategory,
    ) -> Result<DelGiftCategoryResponse, Failure<DelGiftCategoryCode>> {
        self.run(c, |a, _| a.del_gift_category(r))
    }
    async fn del_gift_category_language(
        &self,
        c: &Context,
        r: DelGiftCategoryLanguage,
    ) -> Result<DelGiftCategoryLanguageResponse, Failure<DelGiftCategoryLanguageCode>> {
        self.run(c, |a, _| a.del_gift_category_language(r))
    }
    async fn del_gift_category_relations(
        &self,
        c: &Context,
        r: DelGiftCategoryRelations,
    ) -> Result<DelGiftCategoryRelationsResponse, Failure<DelGiftCategoryRelationsCode>> {
        self.run(c, |a, _| a.del_gift_category_relations(r))
    }
    async fn del_gift_language(
        &self,
        c: &Context,
        r: DelGiftLanguage,
    ) -> Result<DelGiftLanguageResponse, Failure<DelGiftLanguageCode>> {
        self.run(c, |a, _| a.del_gift_language(r))
    }
    async fn del_robot(&self, c: &Context, r: DelRobot) -> Result<DelRobotResponse, Failure<DelRobotCode>> {
        self.run(c, |a, _| a.del_robot(r))
    }
    async fn del_room_metadata(
        &self,
        c: &Context,
        r: DelRoomMetadata,
    ) -> Result<DelRoomMetadataResponse, Failure<DelRoomMetadataCode>> {
        self.run(c, |a, _| a.del_room_metadata(r))
    }
    async fn destroy_room(&self, c: &Context, r: DestroyRoom) -> Result<DestroyRoomResponse, Failure<DestroyRoomCode>> {
        self.run(c, |a, _| a.destroy_room(r))
    }
    async fn get_admin_list(
        &self,
        c: &Context,
        r: GetAdminList,
    ) -> Result<GetAdminListResponse, Failure<GetAdminListCode>> {
        self.run(c, |a, _| a.get_admin_list(r))
    }
    async fn get_banned_member_list(
        &self,
        c: &Context,
        r: GetBannedMemberList,
    ) -> Result<GetBannedMemberListResponse, Failure<GetBannedMemberListCode>> {
        self.run(c, |a, now| a.get_banned_member_list(r, now))
    }
    async fn get_gift(&self, c: &Context, r: GetGift) -> Result<GetGiftResponse, Failure<GetGiftCode>> {
        self.run(c, |a, _| a.get_gift(r))
    }
    async fn get_gift_category(
        &self,
        c: &Context,
        r: GetGiftCategory,
    ) -> Result<GetGiftCategoryResponse, Failure<GetGiftCategoryCode>> {
        self.run(c, |a, _| a.get_gift_category(r))
    }
    async fn get_gift_category_language(
        &self,
        c: &Context,
        r: GetGiftCategoryLanguage,
    ) -> Result<GetGiftCategoryLanguageResponse, Failure<GetGiftCategoryLanguageCode>> {
        self.run(c, |a, _| a.get_gift_category_language(r))
    }
    async fn get_gift_category_relations(
        &self,
        c: &Context,
        r: GetGiftCategoryRelations,
    ) -> Result<GetGiftCategoryRelationsResponse, Failure<GetGiftCategoryRelationsCode>> {
        self.run(c, |a, _| a.get_gift_category_relations(r))
    }
    async fn get_gift_count(
        &self,
        c: &Context,
        r: GetGiftCount,
    ) -> Result<GetGiftCountResponse, Failure<GetGiftCountCode>> {
        self.run(c, |a, _| a.get_gift_count(r))
    }
    async fn get_gift_language(
        &self,
        c: &Context,
        r: GetGiftLanguage,
    ) -> Result<GetGiftLanguageResponse, Failure<GetGiftLanguageCode>> {
        self.run(c, |a, _| a.get_gift_language(r))
    }
    async fn get_member_list(
        &self,
        c: &Context,
        r: GetMemberList,
    ) -> Result<GetMemberListResponse, Failure<GetMemberListCode>> {
        self.run(c, |a, now| a.get_member_list(r, now))
    }
    async fn get_muted_member_list(
        &self,
        c: &Context,
        r: GetMutedMemberList,
    ) -> Result<GetMutedMemberListResponse, Failure<GetMutedMemberListCode>> {
        self.run(c, |a, now| a.get_muted_member_list(r, now))
    }
    async fn get_robot(&self, c: &Context, r: GetRobot) -> Result<GetRobotResponse, Failure<GetRobotCode>> {
        self.run(c, |a, _| a.get_robot(r))
    }
    async fn get_room_info(
        &self,
        c: &Context,
        r: GetRoomInfo,
    ) -> Result<GetRoomInfoResponse, Failure<GetRoomInfoCode>> {
        self.run(c, |a, _| a.get_room_info(r))
    }
    async fn get_room_list(
        &self,
        c: &Context,
        r: GetRoomList,
    ) -> Result<GetRoomListResponse, Failure<GetRoomListCode>> {
        self.run(c, |a, _| a.get_room_list(r))
    }
    async fn get_room_metadata(
        &self,
        c: &Context,
        r: GetRoomMetadata,
    ) -> Result<GetRoomMetadataResponse, Failure<GetRoomMetadataCode>> {
        self.run(c, |a, _| a.get_room_metadata(r))
    }
    async fn get_room_stats(
        &self,
        c: &Context,
        r: GetRoomStats,
    ) -> Result<GetRoomStatsResponse, Failure<GetRoomStatsCode>> {
        self.run(c, |a, _| a.get_room_stats(r))
    }
    async fn modify_admin(&self, c: &Context, r: ModifyAdmin) -> Result<ModifyAdminResponse, Failure<ModifyAdminCode>> {
        self.run(c, |a, _| a.modify_admin(r))
    }
    async fn mute_member(&self, c: &Context, r: MuteMember) -> Result<MuteMemberResponse, Failure<MuteMemberCode>> {
        self.run(c, |a, now| a.mute_member(r, now))
    }
    async fn resume_mcu_task(
        &self,
        c: &Context,
        r: ResumeMcuTask,
    ) -> Result<ResumeMcuTaskResponse, Failure<ResumeMcuTaskCode>> {
        self.run(c, |a, _| a.resume_mcu_task(r))
    }
    async fn send_custom_msg(
        &self,
        c: &Context,
        r: SendCustomMsg,
    ) -> Result<SendCustomMsgResponse, Failure<SendCustomMsgCode>> {
        self.run(c, |a, now| a.send_custom_msg(r, now))
    }
    async fn send_gift(&self, c: &Context, r: SendGift) -> Result<SendGiftResponse, Failure<SendGiftCode>> {
        self.run(c, |a, _| a.send_gift(r))
    }
    async fn send_text_msg(
        &self,
        c: &Context,
        r: SendTextMsg,
    ) -> Result<SendTextMsgResponse, Failure<SendTextMsgCode>> {
        self.run(c, |a, now| a.send_text_msg(r, now))
    }
    async fn set_gift_category_language(
        &self,
        c: &Context,
        r: SetGiftCategoryLanguage,
    ) -> Result<SetGiftCategoryLanguageResponse, Failure<SetGiftCategoryLanguageCode>> {
        self.run(c, |a, _| a.set_gift_category_language(r))
    }
    async fn set_gift_language(
        &self,
        c: &Context,
        r: SetGiftLanguage,
    ) -> Result<SetGiftLanguageResponse, Failure<SetGiftLanguageCode>> {
        self.run(c, |a, _| a.set_gift_language(r))
    }
    async fn set_mix_stream(
        &self,
        c: &Context,
        r: SetMixStream,
    ) -> Result<SetMixStreamResponse, Failure<SetMixStreamCode>> {
        self.run(c, |a, _| a.set_mix_stream(r))
    }
    async fn set_room_metadata(
        &self,
        c: &Context,
        r: SetRoomMetadata,
    ) -> Result<SetRoomMetadataResponse, Failure<SetRoomMetadataCode>> {
        self.run(c, |a, _| a.set_room_metadata(r))
    }
    async fn unban_member(&self, c: &Context, r: UnbanMember) -> Result<UnbanMemberResponse, Failure<UnbanMemberCode>> {
        self.run(c, |a, _| a.unban_member(r))
    }
    async fn update_room_info(
        &self,
        c: &Context,
        r: UpdateRoomInfo,
    ) -> Result<UpdateRoomInfoResponse, Failure<UpdateRoomInfoCode>> {
        self.run(c, |a, _| a.update_room_info(r))
    }
    async fn get_seat_list(
        &self,
        c: &Context,
        r: GetSeatList,
    ) -> Result<GetSeatListResponse, Failure<GetSeatListCode>> {
        self.run(c, |a, _| a.get_seat_list(r))
    }
    async fn kick_user_off_seat(
        &self,
        c: &Context,
        r: KickUserOffSeat,
    ) -> Result<KickUserOffSeatResponse, Failure<KickUserOffSeatCode>> {
        self.run(c, |a, _| a.kick_user_off_seat(r))
    }
    async fn lock_seat(&self, c: &Context, r: LockSeat) -> Result<LockSeatResponse, Failure<LockSeatCode>> {
        self.run(c, |a, _| a.lock_seat(r))
    }
    async fn move_user_to_seat(
        &self,
        c: &Context,
        r: MoveUserToSeat,
    ) -> Result<MoveUserToSeatResponse, Failure<MoveUserToSeatCode>> {
        self.run(c, |a, _| a.move_user_to_seat(r))
    }
    async fn pick_user_on_seat(
        &self,
        c: &Context,
        r: PickUserOnSeat,
    ) -> Result<PickUserOnSeatResponse, Failure<PickUserOnSeatCode>> {
        self.run(c, |a, now| a.pick_user_on_seat(r, now))
    }
    async fn switch_seat(&self, c: &Context, r: SwitchSeat) -> Result<SwitchSeatResponse, Failure<SwitchSeatCode>> {
        self.run(c, |a, _| a.switch_seat(r))
    }
}
