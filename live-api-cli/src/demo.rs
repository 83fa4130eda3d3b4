//! `live-api demo`: a realistic session, printed step by step (the request sent and the typed
//! answer): import the hosts and viewers as accounts and name the host, create a room, put hosts
//! on seats, set a mix layout and resume the mix task, send a message, read the statistics, page
//! through the room list, show two documented errors, and destroy the rooms. Against the embedded emulator by default, with the session's webhooks
//! received and printed in the process (see [`webhooks`]); against Tencent when the
//! `LIVE_API_*` environment is set.

use live_api::{
    Client, CreateRoom, DestroyRoom, Error, ErrorCode, GetRoomList, GetRoomStats, GetSeatList, ImportedAccount,
    LayoutInfo, LayoutItem, LayoutMode, MultiaccountImport, PickUserOnSeat, PortraitSet, ProfileItem, ResumeMcuTask,
    ResumeMcuTaskCode, RoomInfo, RoomType, SendTextMsg, SetMixStream, TakeSeatMode, VideoEncode,
};
use serde::Serialize;

use crate::backend::Backend;
use crate::exit::{self, Failed};

mod webhooks;

/// Pages of the room list the demo reads at most (the real service may have many rooms).
const MAX_PAGES: usize = 3;

struct Session<'a> {
    client: &'a Client,
    calls: usize,
    /// The exit status of the first call that failed unexpectedly.
    failed: Option<i32>,
    /// Whether the users the session puts on seats are in the room: the embedded emulator lets
    /// them enter; elsewhere they must have opened the room in the app (TRTC SDK).
    users_present: bool,
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("<{e}>"))
}

impl Session<'_> {
    /// Sends one request, printing it and the typed answer (or the typed error).
    async fn step<E: live_api::ServerEndpoint>(
        &mut self,
        what: &str,
        request: E,
    ) -> Result<E::Response, Error<E::Code>> {
        println!("\n{what}\n  → {} {}", E::META.name(), json(&request));
        self.calls += 1;
        let result = self.client.call(request).await;
        match &result {
            Ok(answer) => println!("  ← {}", json(answer)),
            Err(e) => println!("  ✗ {e}"),
        }
        result
    }

    /// A step that should succeed: a failure is remembered for the exit status.
    async fn must<E: live_api::ServerEndpoint>(&mut self, what: &str, request: E) -> Option<E::Response> {
        match self.step(what, request).await {
            Ok(answer) => Some(answer),
            Err(e) => {
                self.failed.get_or_insert(exit::of(&e));
                None
            }
        }
    }

    /// A step that needs users in the room: it must succeed when they are (the embedded
    /// emulator); otherwise its error is shown and the session goes on.
    async fn with_users<E: live_api::ServerEndpoint>(&mut self, what: &str, request: E) {
        if self.users_present {
            self.must(what, request).await;
        } else if self.step(what, request).await.is_err() {
            println!("  (expected unless the hosts are in the room through the TRTC SDK; the session goes on)");
        }
    }

    /// A step that shows a documented error: `expected` describes the error when it is the one
    /// meant.
    async fn expect_error<E: live_api::ServerEndpoint>(
        &mut self,
        what: &str,
        request: E,
        expected: impl Fn(&Error<E::Code>) -> Option<String>,
    ) {
        match self.step(what, request).await {
            Err(e) => match expected(&e) {
                Some(matched) => println!("  ✓ as documented: {matched}"),
                None => {
                    self.failed.get_or_insert(exit::of(&e));
                }
            },
            Ok(_) => {
                println!("  ✗ expected an error");
                self.failed.get_or_insert(exit::API);
            }
        }
    }
}

/// Step 0: the hosts and viewers are Chat accounts (Live and Chat share one account system, and
/// a room's owner must be one): import them, then give the host a nickname. An account that
/// could not be imported is in `FailAccounts` of a successful answer, and counts as a failure.
async fn import_accounts(s: &mut Session<'_>, host: &str, users: &[&str]) {
    let accounts: Vec<ImportedAccount> = users.iter().map(|u| ImportedAccount::new(*u)).collect();
    let import = MultiaccountImport::new().account_list(accounts);
    if let Some(answer) = s.must("0. Import the hosts and viewers as accounts", import).await {
        let failed = answer.fail_accounts.unwrap_or_default();
        if !failed.is_empty() {
            println!("  ✗ not imported: {failed:?}");
            s.failed.get_or_insert(exit::API);
        }
    }
    let nick = ProfileItem::nick("Anna (host)");
    s.must("   and give the host a nickname", PortraitSet::new(host, vec![nick])).await;
}

pub async fn run(backend: &Backend) -> Result<(), Failed> {
    let client = &backend.client;
    match &backend.emulator {
        Some(e) => println!("live-api demo against the embedded emulator at {} (SDKAppID {})", e.url(), e.sdk_app_id()),
        None => println!("live-api demo against {} (SDKAppID {})", client.base_url(), client.sdk_app_id()),
    }
    let tag =
        format!("{:08x}", std::process::id() ^ (std::time::UNIX_EPOCH.elapsed().unwrap_or_default().as_secs() as u32));
    let room = format!("demo-{tag}");
    let (host, cohost) = ("host-anna", "host-ben");
    let mut s = Session { client, calls: 0, failed: None, users_present: backend.emulator.is_some() };
    let hooks = webhooks::start(&mut s, backend.emulator.is_some()).await;
    import_accounts(&mut s, host, &[host, cohost, "viewer-1", "viewer-2"]).await;

    let info = RoomInfo::new(room.clone(), RoomType::Live)
        .room_name("live-api demo: Friday show")
        .owner_account(host)
        .is_seat_enabled(true)
        .max_seat_count(4)
        .take_seat_mode(TakeSeatMode::ApplyToTake)
        .is_unlimited_room_enabled(true);
    if s.must("1. Create a room with 4 seats and stream mixing", CreateRoom::new(info)).await.is_none() {
        return Err(Failed::new(s.failed.unwrap_or(exit::API), "the demo room could not be created"));
    }

    println!("\n2. The co-host and two viewers open the room in the app");
    match &backend.emulator {
        Some(running) => {
            for user in [cohost, "viewer-1", "viewer-2"] {
                match running.emulator().enter_room(&room, user) {
                    Ok(()) => println!("  (emulator, standing in for the TRTC SDK) {user} enters {room}"),
                    Err(e) => println!("  ✗ {user} cannot enter: {e}"),
                }
            }
        }
        None => println!(
            "  (users enter through the TRTC SDK, which this session does not run: {cohost} must be in the room for the next step)"
        ),
    }

    s.with_users("3. Put the host on seat 0", PickUserOnSeat::new(room.clone(), 0, host)).await;
    s.with_users("   and the co-host on seat 1", PickUserOnSeat::new(room.clone(), 1, cohost)).await;
    s.must("   The seats now", GetSeatList::new(room.clone())).await;

    let tile = |user: &str, x: u32| {
        LayoutItem::new().member_account(user).location_x(x).location_y(0).image_width(640).image_height(720).z_order(1)
    };
    let mix = SetMixStream::new(room.clone(), LayoutMode::Custom)
        .video_encode(VideoEncode::new().width(1280).height(720))
        .layout_info(LayoutInfo::new().layout_list(vec![tile(host, 0), tile(cohost, 640)]));
    s.with_users("4. Mix both hosts side by side into one 1280x720 stream", mix).await;
    s.with_users("   and resume the room's mix task", ResumeMcuTask::new(room.clone())).await;

    let text = SendTextMsg::new(room.clone(), host, "Welcome to the show!").extension_info("{\"pinned\":true}");
    s.must("5. The host greets the room", text).await;
    if hooks.is_some() {
        webhooks::gifts(&mut s, &room, "viewer-1", host).await;
    }
    s.must("6. Read the room's statistics", GetRoomStats::new(room.clone())).await;

    let side: Vec<String> = ["b", "c"].iter().map(|x| format!("{room}-{x}")).collect();
    for (r, step) in side.iter().zip(["7. Open two more rooms, for the room list", "   and"]) {
        let info = RoomInfo::new(r.clone(), RoomType::Live).is_seat_enabled(true).is_unlimited_room_enabled(true);
        s.must(step, CreateRoom::new(info)).await;
    }
    println!("\n8. Page through the room list, two rooms per page, following Next");
    let mut pages = client.get_room_list_pages(GetRoomList::new("", 2));
    for n in 1..=MAX_PAGES {
        match pages.next_page().await {
            Ok(Some(items)) => {
                let ids: Vec<&str> = items.iter().filter_map(|r| r.room_id.as_deref()).collect();
                println!("  ← page {n}: {ids:?}");
            }
            Ok(None) => {
                println!("  (end of the list)");
                break;
            }
            Err(e) => {
                println!("  ✗ {e}");
                s.failed.get_or_insert(exit::of(&e));
                break;
            }
        }
        if n == MAX_PAGES {
            println!("  (stopping after {MAX_PAGES} pages)");
        }
    }
    s.calls += pages.pages_fetched();

    s.expect_error(
        "9. A documented error: resume mixing in a room that has no layout yet",
        ResumeMcuTask::new(side[0].clone()),
        |e| {
            let code = e.code().filter(|c| *c == ResumeMcuTaskCode::MixTaskNotFound)?;
            Some(format!("matched on its code, ResumeMcuTaskCode::{code:?} (retry class {})", code.retry_class()))
        },
    )
    .await;
    s.expect_error(
        "10. A broken limit: a room ID of 53 bytes is refused before anything is sent",
        ResumeMcuTask::new("x".repeat(53)),
        |e| matches!(e, Error::Invalid(_)).then(|| "Error::Invalid; nothing was sent".to_owned()),
    )
    .await;

    for (r, step) in side.iter().zip(["11. Destroy the other two rooms", "   and"]) {
        s.must(step, DestroyRoom::new(r.clone())).await;
    }
    s.must("12. Destroy the demo room (the answer carries its statistics)", DestroyRoom::new(room.clone())).await;
    webhooks::finish(&mut s, hooks, &room).await;

    println!(
        "\n{} calls; {}",
        s.calls,
        if s.failed.is_some() { "some steps failed (see ✗ above)" } else { "every step went as expected" }
    );
    match s.failed {
        None => Ok(()),
        Some(status) => Err(Failed::new(status, "the demo session did not go as expected")),
    }
}
