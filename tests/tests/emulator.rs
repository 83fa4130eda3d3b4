//! The emulator (`live_api::emulator`) against the generated client: every client method, the
//! documented errors of each endpoint family, the gateway's checks of tickets and query
//! parameters, the raw envelope, the rate limits under concurrent calls, and the consistency of
//! its state under concurrent calls.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use live_api::emulator::{Emulator, EmulatorConfig, RunningEmulator};
use live_api::usersig::{SignParams, sign};
use live_api::*;
use serde_json::{Value, json};

/// An emulator without rate limits, and a client that neither paces nor retries: each call is
/// one request, and the test sees every answer as it is.
async fn start() -> (RunningEmulator, Client) {
    let emu = Emulator::new(EmulatorConfig::new().rate_limits(false)).listen("127.0.0.1:0").await.unwrap();
    let client = plain_client(&emu);
    (emu, client)
}

fn plain_client(emu: &RunningEmulator) -> Client {
    emu.client_builder().retry_policy(RetryPolicy::none()).rate_limit(RateLimitMode::Off).build().unwrap()
}

/// The API code of a call that must fail with one.
fn code<T: Debug, C: ErrorCode>(r: Result<T, Error<C>>) -> C {
    match r {
        Err(e) => e.code().unwrap_or_else(|| panic!("not an API error: {e}")),
        Ok(v) => panic!("expected an API error, got {v:?}"),
    }
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

#[tokio::test]
async fn every_client_method_works_against_the_emulator() {
    let (emu, c) = start().await;
    import_accounts(&c).await;
    rooms(&c, &emu).await;
    metadata_and_admins(&c).await;
    members(&c, &emu).await;
    seats(&c).await;
    mixing(&c, &emu).await;
    messages_gifts_and_statistics(&c).await;
    robots(&c).await;
    battles(&c).await;
    destroy(&c).await;
    callback_config(&c).await;
    accounts(&c, &emu).await;

    // Every endpoint answered at least one call successfully, or is one the emulator has no
    // behaviour for (an endpoint just added to the specs): that one refuses its documented sample
    // request with 60017, saying that it is not emulated. Every error code the emulator answered
    // is documented for its endpoint.
    let mut check =
        Coverage { served: emu.emulator().served(), client: c.clone(), probes: Vec::new(), problems: Vec::new() };
    visit_endpoints(&mut check);
    for probe in check.probes {
        if let Err(problem) = probe.await {
            check.problems.push(problem);
        }
    }
    assert!(check.problems.is_empty(), "{}", check.problems.join("\n"));
}

type Probe = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>>>>;

struct Coverage {
    served: BTreeMap<(String, i64), u64>,
    client: Client,
    probes: Vec<Probe>,
    problems: Vec<String>,
}

/// The first documented sample request of `endpoint` (`service/command`), from its spec.
fn sample_request(endpoint: &str) -> Option<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let api = live_api_codegen::load::load_dir(&root.join("api-specs"), root).api.expect("valid specs");
    let e = api.endpoints.into_iter().find(|e| format!("{}/{}", e.service, e.command) == endpoint)?;
    e.examples.into_iter().next().map(|x| x.request)
}

impl EndpointVisitor for Coverage {
    fn visit<E: live_api::ServerEndpoint>(&mut self) {
        let name = E::META.name();
        if !self.served.contains_key(&(name.clone(), 0)) {
            let (client, name) = (self.client.clone(), name.clone());
            self.probes.push(Box::pin(async move {
                let sample =
                    sample_request(&name).ok_or(format!("{name} was never called, and has no sample to probe"))?;
                let request: E = serde_json::from_str(&sample).map_err(|e| format!("{name}'s sample: {e}"))?;
                match client.call(request).await {
                    Err(Error::Api(e)) if e.code.code() == 60017 && e.message.contains("is not emulated") => Ok(()),
                    other => Err(format!(
                        "{name} never answered successfully in this test, but is emulated (its sample got {:?})",
                        other.map(|_| ()).map_err(|e| e.to_string())
                    )),
                }
            }));
        }
        for (endpoint, code) in self.served.keys().filter(|(e, c)| *e == name && *c != 0) {
            if <E::Code as ErrorCode>::from_code(*code).info().is_err() {
                self.problems.push(format!("{endpoint} answered {code}, which its spec does not document"));
            }
        }
    }
}

/// The accounts the rooms name where the docs say they are imported accounts (owners, robots),
/// in both forms of multiaccount_import and with account_import.
async fn import_accounts(c: &Client) {
    let hosts = vec![ImportedAccount::new("anna").nick("Anna"), ImportedAccount::new("zoe")];
    let answer = c.multiaccount_import(MultiaccountImport::new().account_list(hosts)).await.unwrap();
    assert_eq!(answer.fail_accounts, Some(vec![]));
    let bots: Vec<String> = (1..=4).map(|i| format!("bot-{i}")).collect();
    c.multiaccount_import(MultiaccountImport::new().accounts(bots)).await.unwrap();
    c.account_import(AccountImport::new("vic").nick("Vic")).await.unwrap();
    let not_imported = CreateRoom::new(RoomInfo::new("ghost-room", RoomType::Live).owner_account("ghost"));
    assert_eq!(code(c.create_room(not_imported).await), CreateRoomCode::InvalidParameter, "the owner is imported");
    let ghost_bot = AddRobot::new("nope", vec!["ghost".to_owned()]);
    assert_eq!(code(c.add_robot(ghost_bot).await), AddRobotCode::RoomNotFound, "the room is checked first");
}

async fn rooms(c: &Client, emu: &RunningEmulator) {
    let live1 = RoomInfo::new("live-1", RoomType::Live)
        .room_name("Friday show")
        .owner_account("anna")
        .is_seat_enabled(true)
        .max_seat_count(4)
        .is_unlimited_room_enabled(true)
        .take_seat_mode(TakeSeatMode::ApplyToTake);
    let created = c.create_room(CreateRoom::new(live1.clone())).await.unwrap();
    assert_eq!(created.room_id.as_deref(), Some("live-1"));
    assert_eq!(code(c.create_room(CreateRoom::new(live1.clone())).await), CreateRoomCode::RoomExistsForOwner);
    let taken = live1.owner_account("zoe");
    assert_eq!(code(c.create_room(CreateRoom::new(taken)).await), CreateRoomCode::RoomIdTaken);
    for room in [
        RoomInfo::new("live-2", RoomType::Live),
        RoomInfo::new("live-3", RoomType::Live).seat_template("VideoDynamicGrid9Seats").is_seat_enabled(true),
        RoomInfo::new("hidden", RoomType::Live).is_public_visible(false),
    ] {
        c.create_room(CreateRoom::new(room)).await.unwrap();
    }

    let info = c.get_room_info(GetRoomInfo::new("live-1")).await.unwrap().room_info.unwrap();
    assert_eq!(info.owner_account.as_deref(), Some("anna"));
    assert_eq!(info.room_name.as_deref(), Some("Friday show"));
    assert_eq!((info.max_seat_count, info.take_seat_mode), (Some(4), Some(TakeSeatMode::ApplyToTake)));
    let live3 = c.get_room_info(GetRoomInfo::new("live-3")).await.unwrap().room_info.unwrap();
    assert_eq!(live3.max_seat_count, Some(9), "from the seat template");
    assert_eq!(live3.room_name.as_deref(), Some("live-3"), "the name defaults to the ID");
    assert_eq!(code(c.get_room_info(GetRoomInfo::new("nope")).await), GetRoomInfoCode::RoomNotFound);

    let update = RoomInfoUpdate::new("live-1").room_name("Friday night").notice("welcome").category(vec![1, 2]);
    c.update_room_info(UpdateRoomInfo::new(update)).await.unwrap();
    let info = c.get_room_info(GetRoomInfo::new("live-1")).await.unwrap().room_info.unwrap();
    assert_eq!((info.room_name.as_deref(), info.notice.as_deref()), (Some("Friday night"), Some("welcome")));
    let missing = UpdateRoomInfo::new(RoomInfoUpdate::new("nope").notice("x"));
    assert_eq!(code(c.update_room_info(missing).await), UpdateRoomInfoCode::RoomNotFound);

    // The list: public rooms only, most viewed first, two per page.
    emu.emulator().enter_room("live-3", "viewer").unwrap();
    let mut pages = c.get_room_list_pages(GetRoomList::new("", 2));
    let first = pages.next_page().await.unwrap().unwrap();
    let rest = pages.collect_all().await.unwrap();
    let ids: Vec<&str> = first.iter().chain(&rest).filter_map(|r| r.room_id.as_deref()).collect();
    assert_eq!(ids, ["live-3", "live-1", "live-2"]);
    let page = c.get_room_list(GetRoomList::new("", 2)).await.unwrap();
    assert_eq!(page.next.as_deref(), Some("2"));
    assert_eq!(code(c.get_room_list(GetRoomList::new("zz", 2)).await), GetRoomListCode::InvalidParameter);
}

async fn metadata_and_admins(c: &Client) {
    let items = vec![MetadataItem::new("a", "1"), MetadataItem::new("b", "2")];
    c.set_room_metadata(SetRoomMetadata::new("live-1", items)).await.unwrap();
    let all = c.get_room_metadata(GetRoomMetadata::new("live-1", Vec::<String>::new())).await.unwrap();
    assert_eq!(all.metadata.unwrap().len(), 2);
    c.del_room_metadata(DelRoomMetadata::new("live-1", vec!["a".to_owned()])).await.unwrap();
    let b = c.get_room_metadata(GetRoomMetadata::new("live-1", vec!["a".to_owned(), "b".into()])).await.unwrap();
    assert_eq!(b.metadata.unwrap(), [MetadataItem::new("b", "2")]);
    let ten: Vec<MetadataItem> = (0..10).map(|i| MetadataItem::new(format!("k{i}"), "v")).collect();
    assert_eq!(code(c.set_room_metadata(SetRoomMetadata::new("live-1", ten)).await), SetRoomMetadataCode::TooManyKeys);
    let huge = vec![MetadataItem::new("big", "x".repeat(2049))];
    let Err(Error::Invalid(e)) = c.set_room_metadata(SetRoomMetadata::new("live-1", huge)).await else {
        panic!("a value over 2 KB is refused before sending")
    };
    assert!(e.to_string().contains("Metadata[0].Value is 2049 bytes"), "{e}");
    let none = SetRoomMetadata::new("nope", vec![MetadataItem::new("a", "1")]);
    assert_eq!(code(c.set_room_metadata(none).await), SetRoomMetadataCode::RoomNotFound);

    let add = |names: &[&str]| {
        ModifyAdmin::new("live-1", names.iter().map(|s| s.to_string()).collect::<Vec<_>>(), AdminOpType::Add)
    };
    c.modify_admin(add(&["xia", "yan"])).await.unwrap();
    assert_eq!(code(c.modify_admin(add(&["a1", "a2", "a3", "a4"])).await), ModifyAdminCode::TooManyAdmins);
    c.modify_admin(ModifyAdmin::new("live-1", vec!["xia".to_owned()], AdminOpType::Delete)).await.unwrap();
    let admins = c.get_admin_list(GetAdminList::new("live-1")).await.unwrap().admin_account.unwrap();
    assert_eq!(admins, ["yan"]);
    assert_eq!(code(c.get_admin_list(GetAdminList::new("nope")).await), GetAdminListCode::RoomNotFound);

    c.change_room_owner(ChangeRoomOwner::new("live-2", "olga")).await.unwrap();
    let info = c.get_room_info(GetRoomInfo::new("live-2")).await.unwrap().room_info.unwrap();
    assert_eq!(info.owner_account.as_deref(), Some("olga"));
    assert_eq!(code(c.change_room_owner(ChangeRoomOwner::new("nope", "x")).await), ChangeRoomOwnerCode::RoomNotFound);
}

async fn members(c: &Client, emu: &RunningEmulator) {
    let e = emu.emulator();
    for user in ["ben", "cara", "dan", "dave"] {
        e.enter_room("live-1", user).unwrap();
    }
    for i in 0..150 {
        e.enter_room("live-1", &format!("viewer-{i:03}")).unwrap();
    }
    let mut walk = c.get_member_list_pages(GetMemberList::new("live-1", ""));
    let mut all = Vec::new();
    while let Some(m) = walk.try_next().await.unwrap() {
        all.push(m.member_account.unwrap());
    }
    assert_eq!(all.len(), 155, "the owner, four guests and 150 viewers");
    assert_eq!(walk.pages_fetched(), 2);
    let first = c.get_member_list(GetMemberList::new("live-1", "")).await.unwrap();
    assert_eq!(first.member_count, Some(155));

    let ban = BanMember::new("live-1", vec!["viewer-000".to_owned(), "viewer-001".into(), "viewer-002".into()], 3600)
        .reason("spam");
    c.ban_member(ban).await.unwrap();
    let banned =
        c.get_banned_member_list_pages(GetBannedMemberList::new("live-1").limit(2)).collect_all().await.unwrap();
    assert_eq!(banned.len(), 3);
    assert!(banned[0].banned_until.unwrap() >= unix_now() as i64 + 3500);
    assert!(e.enter_room("live-1", "viewer-000").is_err(), "a banned user cannot come back");
    let owner = BanMember::new("live-1", vec!["anna".to_owned()], 60);
    assert_eq!(code(c.ban_member(owner).await), BanMemberCode::PermissionDenied);
    c.unban_member(UnbanMember::new("live-1", vec!["viewer-000".to_owned()])).await.unwrap();
    let page = c.get_banned_member_list(GetBannedMemberList::new("live-1")).await.unwrap();
    assert_eq!((page.banned_account_list.unwrap().len(), page.next_offset), (2, Some(0)));
    let unban = UnbanMember::new("nope", vec!["x".to_owned()]);
    assert_eq!(code(c.unban_member(unban).await), UnbanMemberCode::RoomNotFound);

    c.mute_member(MuteMember::new("live-1", vec!["cara".to_owned(), "dan".into()], 600)).await.unwrap();
    c.mute_member(MuteMember::new("live-1", vec!["dan".to_owned()], 0)).await.unwrap();
    let muted = c.get_muted_member_list(GetMutedMemberList::new("live-1")).await.unwrap().muted_account_list.unwrap();
    assert_eq!(muted.len(), 1);
    assert_eq!(muted[0].member_account.as_deref(), Some("cara"));
    let none = GetMutedMemberList::new("nope");
    assert_eq!(code(c.get_muted_member_list(none).await), GetMutedMemberListCode::RoomNotFound);
}

async fn seats(c: &Client) {
    let pick = |user: &str, index: u32| PickUserOnSeat::new("live-1", index, user);
    let seats = c.get_seat_list(GetSeatList::new("live-1")).await.unwrap().seat_list.unwrap();
    assert_eq!(seats.len(), 4);
    assert!(seats.iter().all(|s| s.member_account.is_none()));

    c.pick_user_on_seat(pick("anna", 0)).await.unwrap();
    c.pick_user_on_seat(pick("ben", 1)).await.unwrap();
    assert_eq!(code(c.pick_user_on_seat(pick("ben", 2)).await), PickUserOnSeatCode::AlreadyOnSeat);
    assert_eq!(code(c.pick_user_on_seat(pick("stranger", 2)).await), PickUserOnSeatCode::NotRoomMember);
    assert_eq!(code(c.pick_user_on_seat(pick("cara", 1)).await), PickUserOnSeatCode::SeatOccupied);
    assert_eq!(code(c.pick_user_on_seat(pick("cara", 9)).await), PickUserOnSeatCode::InvalidParameter);
    c.lock_seat(LockSeat::new("live-1", 2).forbid_taken(true).forbid_audio(true)).await.unwrap();
    assert_eq!(code(c.pick_user_on_seat(pick("cara", 2)).await), PickUserOnSeatCode::SeatLocked);
    c.pick_user_on_seat(pick("cara", 3)).await.unwrap();
    assert_eq!(code(c.pick_user_on_seat(pick("dave", 2)).await), PickUserOnSeatCode::SeatsFull);

    // Moves: to an empty seat, refused onto a taken one without Force or Swap, swapped.
    c.kick_user_off_seat(KickUserOffSeat::new("live-1", "cara", "bye")).await.unwrap();
    c.move_user_to_seat(MoveUserToSeat::new("live-1", 3, "ben", MovePolicy::Cancel)).await.unwrap();
    c.switch_seat(SwitchSeat::new("live-1", 1, "ben")).await.unwrap();
    let cancel = MoveUserToSeat::new("live-1", 0, "ben", MovePolicy::Cancel);
    assert_eq!(code(c.move_user_to_seat(cancel).await), MoveUserToSeatCode::InvalidParameter);
    c.move_user_to_seat(MoveUserToSeat::new("live-1", 0, "ben", MovePolicy::Swap)).await.unwrap();
    c.move_user_to_seat(MoveUserToSeat::new("live-1", 0, "anna", MovePolicy::Swap)).await.unwrap();
    assert_eq!(code(c.switch_seat(SwitchSeat::new("live-1", 0, "ben")).await), SwitchSeatCode::InvalidParameter);
    let seats = c.get_seat_list(GetSeatList::new("live-1")).await.unwrap().seat_list.unwrap();
    let who: Vec<Option<&str>> = seats.iter().map(|s| s.member_account.as_deref()).collect();
    assert_eq!(who, [Some("anna"), Some("ben"), None, None]);
    assert_eq!((seats[2].is_taken_disabled, seats[2].is_audio_disabled), (Some(true), Some(true)));
    c.lock_seat(LockSeat::new("live-1", 2).forbid_taken(false)).await.unwrap();

    assert_eq!(code(c.lock_seat(LockSeat::new("live-2", 0)).await), LockSeatCode::SeatsNotSupported);
    let no_seats = PickUserOnSeat::new("live-2", 0, "olga");
    assert_eq!(code(c.pick_user_on_seat(no_seats).await), PickUserOnSeatCode::SeatsNotSupported);
    assert_eq!(code(c.get_seat_list(GetSeatList::new("nope")).await), GetSeatListCode::RoomNotFound);
    let kick = KickUserOffSeat::new("nope", "x", "");
    assert_eq!(code(c.kick_user_off_seat(kick).await), KickUserOffSeatCode::RoomNotFound);
}

async fn mixing(c: &Client, emu: &RunningEmulator) {
    assert_eq!(code(c.resume_mcu_task(ResumeMcuTask::new("live-1")).await), ResumeMcuTaskCode::MixTaskNotFound);
    let tile = |user: &str, x: u32| {
        LayoutItem::new().member_account(user).location_x(x).location_y(0).image_width(360).image_height(640)
    };
    let layout = |users: &[&str]| {
        let items: Vec<LayoutItem> = users.iter().zip([0, 360]).map(|(u, x)| tile(u, x)).collect();
        SetMixStream::new("live-1", LayoutMode::Custom)
            .video_encode(VideoEncode::new().width(720).height(640))
            .layout_info(LayoutInfo::new().layout_list(items))
    };
    c.set_mix_stream(layout(&["anna", "ben"])).await.unwrap();
    assert_eq!(emu.emulator().mix_task("live-1"), Some(layout(&["anna", "ben"])));
    c.resume_mcu_task(ResumeMcuTask::new("live-1")).await.unwrap();

    assert_eq!(code(c.set_mix_stream(layout(&["anna", "dave"])).await), SetMixStreamCode::HostInfoUnavailable);
    let grid = SetMixStream::new("live-2", LayoutMode::Grid);
    assert_eq!(code(c.set_mix_stream(grid).await), SetMixStreamCode::MixingNotSupported);
    let empty = SetMixStream::new("live-1", LayoutMode::Custom);
    assert_eq!(code(c.set_mix_stream(empty).await), SetMixStreamCode::InvalidParameter);
    assert_eq!(code(c.resume_mcu_task(ResumeMcuTask::new("nope")).await), ResumeMcuTaskCode::RoomNotFound);
}

async fn messages_gifts_and_statistics(c: &Client) {
    let text = c.send_text_msg(SendTextMsg::new("live-1", "anna", "hello").extension_info("{}")).await.unwrap();
    let custom =
        c.send_custom_msg(SendCustomMsg::new("live-1", "poll", "{\"q\":1}").sender_account("ben")).await.unwrap();
    assert_eq!((text.msg_seq, custom.msg_seq), (Some(1), Some(2)));
    assert!(text.msg_time.unwrap() >= unix_now() as i64 - 5);
    assert_eq!(code(c.send_text_msg(SendTextMsg::new("nope", "a", "b")).await), SendTextMsgCode::RoomNotFound);
    let custom = SendCustomMsg::new("nope", "b", "d");
    assert_eq!(code(c.send_custom_msg(custom).await), SendCustomMsgCode::RoomNotFound);

    // The gift configuration.
    c.copy_default_gift_config(CopyDefaultGiftConfig::new()).await.unwrap();
    let again = c.copy_default_gift_config(CopyDefaultGiftConfig::new()).await;
    assert_eq!(code(again), CopyDefaultGiftConfigCode::InvalidParameter);
    let rose = c.get_gift(GetGift::new("rose")).await.unwrap().gift_info.unwrap();
    assert_eq!((rose.coins, rose.default_name.as_deref()), (Some(1), Some("rose")));
    c.add_gift(AddGift::new("super", 99, "Super").level(3).default_desc("the best")).await.unwrap();
    assert_eq!(c.get_gift(GetGift::new("super")).await.unwrap().gift_info.unwrap().coins, Some(99));
    assert_eq!(code(c.get_gift(GetGift::new("nosuch")).await), GetGiftCode::InvalidParameter);

    let en = GiftLanguage::English;
    c.set_gift_language(SetGiftLanguage::new("super", en.clone()).name("Super!")).await.unwrap();
    c.set_gift_language(SetGiftLanguage::new("super", en.clone()).desc("Very")).await.unwrap();
    let names = c.get_gift_language(GetGiftLanguage::new("super", en.clone())).await.unwrap().gift_info.unwrap();
    assert_eq!((names.name.as_deref(), names.desc.as_deref()), (Some("Super!"), Some("Very")));
    c.del_gift_language(DelGiftLanguage::new("super", en.clone())).await.unwrap();
    let gone = c.get_gift_language(GetGiftLanguage::new("super", en.clone())).await.unwrap().gift_info.unwrap();
    assert_eq!(gone.name, None);
    let missing = SetGiftLanguage::new("nosuch", en.clone()).name("x");
    assert_eq!(code(c.set_gift_language(missing).await), SetGiftLanguageCode::InvalidParameter);

    c.add_gift_category(AddGiftCategory::new("mine", "Mine").default_desc("my gifts")).await.unwrap();
    let cat = c.get_gift_category(GetGiftCategory::new("mine")).await.unwrap().gift_category_info.unwrap();
    assert_eq!(cat.default_name.as_deref(), Some("Mine"));
    c.set_gift_category_language(SetGiftCategoryLanguage::new("mine", en.clone()).category_name("Mine!"))
        .await
        .unwrap();
    let names = c.get_gift_category_language(GetGiftCategoryLanguage::new("mine", en.clone())).await.unwrap();
    assert_eq!(names.category_info.unwrap().category_name.as_deref(), Some("Mine!"));
    c.del_gift_category_language(DelGiftCategoryLanguage::new("mine", en.clone())).await.unwrap();
    let relations = AddGiftCategoryRelations::new("mine", vec!["super".to_owned(), "nosuch".into()]);
    let added = c.add_gift_category_relations(relations).await.unwrap();
    assert_eq!(added.invalid_gift_id_list.unwrap(), ["nosuch"]);
    let rel = c.get_gift_category_relations(GetGiftCategoryRelations::new("mine")).await.unwrap();
    assert_eq!(rel.relation.unwrap().gift_id_list.unwrap(), ["super"]);
    c.del_gift_category_relations(DelGiftCategoryRelations::new("mine", vec!["super".to_owned()])).await.unwrap();
    let rel = c.get_gift_category_relations(GetGiftCategoryRelations::new("mine")).await.unwrap();
    assert_eq!(rel.relation.unwrap().gift_id_list.unwrap(), Vec::<String>::new());
    let no_cat = GetGiftCategoryRelations::new("nosuch");
    assert_eq!(code(c.get_gift_category_relations(no_cat).await), GetGiftCategoryRelationsCode::InvalidParameter);

    // Gifts sent in a room, and the statistics.
    c.send_gift(SendGift::new("live-1", "super", "cara", vec!["anna".to_owned()]).count(2)).await.unwrap();
    c.send_gift(SendGift::new("live-1", "rose", "dave", vec!["anna".to_owned(), "ben".into()])).await.unwrap();
    let unknown = SendGift::new("live-1", "nosuch", "cara", vec!["anna".to_owned()]);
    assert_eq!(code(c.send_gift(unknown).await), SendGiftCode::InvalidParameter);
    let anna = c.get_gift_count(GetGiftCount::new("live-1", "anna")).await.unwrap();
    assert_eq!((anna.total_count, anna.total_coins, anna.gift_sender_count), (Some(3), Some(199), Some(2)));
    assert_eq!(code(c.get_gift_count(GetGiftCount::new("nope", "anna")).await), GetGiftCountCode::RoomNotFound);
    let stats = c.get_room_stats(GetRoomStats::new("live-1")).await.unwrap();
    assert_eq!(stats.total_msg_count, Some(2));
    assert_eq!(
        (stats.total_gifts_sent, stats.total_gift_coins, stats.total_unique_gift_senders),
        (Some(4), Some(200), Some(2))
    );
    assert_eq!(stats.total_viewers, Some(154), "every entry counts");
    assert_eq!(code(c.get_room_stats(GetRoomStats::new("nope")).await), GetRoomStatsCode::RoomNotFound);

    c.del_gift(DelGift::new("super")).await.unwrap();
    assert_eq!(code(c.get_gift(GetGift::new("super")).await), GetGiftCode::InvalidParameter);
    c.del_gift_category(DelGiftCategory::new("mine")).await.unwrap();
    assert_eq!(code(c.get_gift_category(GetGiftCategory::new("mine")).await), GetGiftCategoryCode::InvalidParameter);
}

async fn robots(c: &Client) {
    let ghost = AddRobot::new("live-2", vec!["ghost".to_owned()]);
    assert_eq!(code(c.add_robot(ghost).await), AddRobotCode::InvalidParameter, "a robot is an imported account");
    c.add_robot(AddRobot::new("live-2", vec!["bot-1".to_owned(), "bot-2".into()])).await.unwrap();
    let more = AddRobot::new("live-2", vec!["bot-3".to_owned(), "bot-4".into()]);
    assert_eq!(code(c.add_robot(more).await), AddRobotCode::InvalidParameter, "at most 3 robots");
    c.del_robot(DelRobot::new("live-2", vec!["bot-1".to_owned()])).await.unwrap();
    let robots = c.get_robot(GetRobot::new("live-2")).await.unwrap().robot_list_account.unwrap();
    assert_eq!(robots, ["bot-2"]);
    let members = c.get_member_list(GetMemberList::new("live-2", "")).await.unwrap().member_list.unwrap();
    assert!(members.iter().any(|m| m.member_account.as_deref() == Some("bot-2")), "robots are members");
    assert_eq!(code(c.get_robot(GetRobot::new("nope")).await), GetRobotCode::RoomNotFound);
}

async fn battles(c: &Client) {
    let rooms = vec!["live-2".to_owned(), "live-3".into(), "nope".into()];
    let created = c.create_battle(CreateBattle::new("live-1", rooms, 60_000).extension_info("pk")).await.unwrap();
    let id = created.battle_id.unwrap();
    let codes: Vec<_> = created.result.unwrap().into_iter().map(|r| r.result_code.unwrap()).collect();
    assert_eq!(codes, [BattleInviteResult::Ok, BattleInviteResult::Ok, BattleInviteResult::SystemError]);
    let busy = CreateBattle::new("live-3", vec!["live-1".to_owned()], 1000);
    assert_eq!(code(c.create_battle(busy).await), CreateBattleCode::InvalidParameter);
    let ghost = CreateBattle::new("nope", vec!["live-1".to_owned()], 1000);
    assert_eq!(code(c.create_battle(ghost).await), CreateBattleCode::RoomNotFound);

    let scores = |op, list: &[(&str, i64)]| {
        let entries = list.iter().map(|(r, s)| ScoreEntry::new(*r, *s)).collect::<Vec<_>>();
        SetBattleScore::new(id.clone(), op, entries)
    };
    let set = c.set_battle_score(scores(ScoreOpType::Accumulate, &[("live-1", 10), ("nope", 1)])).await.unwrap();
    let codes: Vec<_> = set.result.unwrap().into_iter().map(|r| r.result_code.unwrap()).collect();
    assert_eq!(codes, [ScoreResultCode::Ok, ScoreResultCode::RoomNotFound]);
    c.set_battle_score(scores(ScoreOpType::Accumulate, &[("live-1", 5)])).await.unwrap();
    c.set_battle_score(scores(ScoreOpType::Overwrite, &[("live-2", 7)])).await.unwrap();
    let unknown = SetBattleScore::new("no-battle", ScoreOpType::Overwrite, Vec::<ScoreEntry>::new());
    assert_eq!(code(c.set_battle_score(unknown).await), SetBattleScoreCode::InvalidParameter);

    let info = c.get_battle_info(GetBattleInfo::new().battle_id(id.clone())).await.unwrap();
    assert_eq!(info.status, Some(live_api::emulator::STATUS_RUNNING));
    assert_eq!(info.from_room_info.unwrap().score, Some(15));
    let to: Vec<(Option<String>, Option<i64>)> =
        info.to_room_list.unwrap().into_iter().map(|r| (r.room_id, r.score)).collect();
    assert_eq!(to, [(Some("live-2".into()), Some(7)), (Some("live-3".into()), Some(0))]);
    let by_room = c.get_battle_info(GetBattleInfo::new().room_id("live-2")).await.unwrap();
    assert_eq!(by_room.battle_id.as_deref(), Some(id.as_str()));
    assert_eq!(code(c.get_battle_info(GetBattleInfo::new()).await), GetBattleInfoCode::InvalidParameter);
    assert_eq!(code(c.get_battle_info(GetBattleInfo::new().room_id("nope")).await), GetBattleInfoCode::RoomNotFound);
}

async fn destroy(c: &Client) {
    let stats = c.destroy_room(DestroyRoom::new("live-1")).await.unwrap().statistic.unwrap();
    assert_eq!((stats.total_gift_coins, stats.total_unique_gift_senders), (Some(200), Some(2)));
    assert_eq!(code(c.destroy_room(DestroyRoom::new("live-1")).await), DestroyRoomCode::RoomNotFound);
    let del = DelRoomMetadata::new("live-1", vec!["b".to_owned()]);
    assert_eq!(code(c.del_room_metadata(del).await), DelRoomMetadataCode::RoomNotFound);
    let meta = GetRoomMetadata::new("live-1", Vec::<String>::new());
    assert_eq!(code(c.get_room_metadata(meta).await), GetRoomMetadataCode::RoomNotFound);
}

/// The webhook command word `word`.
fn command(word: &str) -> CallbackCommand {
    serde_json::from_value(json!(word)).unwrap()
}

async fn callback_config(c: &Client) {
    assert_eq!(code(c.get_callback(GetCallback::new()).await), GetCallbackCode::ConfigNotFound);
    let update = UpdateCallback::new("http://127.0.0.1:9/cb", vec![command("Live.CallbackAfterCreateRoom")]);
    assert_eq!(code(c.update_callback(update).await), UpdateCallbackCode::ConfigNotFound);
    let words = vec![command("Live.CallbackAfterCreateRoom"), command("Live.CallbackAfterDestroyRoom")];
    let not_http = SetCallback::new("ftp://127.0.0.1/cb", words.clone());
    assert_eq!(code(c.set_callback(not_http).await), SetCallbackCode::InvalidParameter);
    assert_eq!(code(c.get_callback(GetCallback::new()).await), GetCallbackCode::ConfigNotFound, "nothing was set");

    c.set_callback(SetCallback::new("http://www.example.com/callback", words.clone())).await.unwrap();
    let again = SetCallback::new("http://127.0.0.1:9/cb", words.clone());
    assert_eq!(code(c.set_callback(again).await), SetCallbackCode::ConfigExists);
    let got = c.get_callback(GetCallback::new()).await.unwrap();
    assert_eq!(got.url.as_deref(), Some("http://www.example.com/callback"), "a refused set changes nothing");
    assert_eq!(got.callback_command_list, Some(words));

    let replaced = vec![command("Group.CallbackAfterSendMsg")];
    c.update_callback(UpdateCallback::new("https://127.0.0.1:9/x", replaced.clone())).await.unwrap();
    let got = c.get_callback(GetCallback::new()).await.unwrap();
    assert_eq!((got.url.as_deref(), got.callback_command_list), (Some("https://127.0.0.1:9/x"), Some(replaced)));
    let bad = UpdateCallback::new("no url", vec![]);
    assert_eq!(code(c.update_callback(bad).await), UpdateCallbackCode::InvalidParameter);

    // The token.
    let set = |t: Option<&str>, on: Option<bool>| {
        let mut r = SetCallbackToken::new();
        r.token = t.map(Into::into);
        r.is_token_enable = on;
        c.set_callback_token(r)
    };
    assert_eq!(code(c.get_callback_token(GetCallbackToken::new()).await), GetCallbackTokenCode::TokenNotFound);
    assert_eq!(code(set(Some("t"), None).await), SetCallbackTokenCode::InvalidParameter, "the first set needs both");
    set(Some(&"x".repeat(128)), Some(true)).await.unwrap();
    set(None, Some(false)).await.unwrap();
    let got = c.get_callback_token(GetCallbackToken::new()).await.unwrap();
    let token = got.token.unwrap();
    assert_eq!(
        (token.expose().len(), got.is_token_enable),
        (128, Some(false)),
        "a later set changes only what it gives"
    );
    assert_eq!(format!("{token:?}"), "<redacted>");
    c.delete_callback_token(DeleteCallbackToken::new()).await.unwrap();
    assert_eq!(code(c.get_callback_token(GetCallbackToken::new()).await), GetCallbackTokenCode::TokenNotFound);
    c.delete_callback_token(DeleteCallbackToken::new()).await.unwrap();

    c.delete_callback(DeleteCallback::new()).await.unwrap();
    assert_eq!(code(c.get_callback(GetCallback::new()).await), GetCallbackCode::ConfigNotFound);
    c.delete_callback(DeleteCallback::new()).await.unwrap();
}

/// The accounts' own endpoints (tests/tests/accounts.rs tests them in depth).
async fn accounts(c: &Client, emu: &RunningEmulator) {
    let checked = c.account_check(AccountCheck::new(vec![AccountItem::new("vic"), AccountItem::new("ghost")])).await;
    let status: Vec<_> = checked.unwrap().result_item.unwrap().into_iter().map(|r| r.account_status.unwrap()).collect();
    assert_eq!(status, [AccountStatus::Imported, AccountStatus::NotImported]);

    let nick = ProfileItem::nick("Victor");
    c.portrait_set(PortraitSet::new("vic", vec![nick.clone()])).await.unwrap();
    let got = c.portrait_get(PortraitGet::new(vec!["vic".into()], vec![ProfileTag::Nick])).await.unwrap();
    assert_eq!(got.user_profile_item.unwrap()[0].profile_item, Some(vec![nick]));

    c.create_room(CreateRoom::new(RoomInfo::new("lobby", RoomType::Live))).await.unwrap();
    emu.emulator().enter_room("lobby", "vic").unwrap();
    let online = |c: Client| async move {
        let answer = c.query_online_status(QueryOnlineStatus::new(vec!["vic".into()])).await.unwrap();
        answer.query_result.unwrap()[0].status.clone().unwrap()
    };
    assert_eq!(online(c.clone()).await, OnlineStatus::Online, "in a room");
    c.kick(Kick::new("vic")).await.unwrap();
    assert_eq!(online(c.clone()).await, OnlineStatus::Offline, "kicked out of the room");
    let members = c.get_member_list(GetMemberList::new("lobby", "")).await.unwrap().member_list.unwrap();
    assert!(members.iter().all(|m| m.member_account.as_deref() != Some("vic")));

    let deleted = c.account_delete(AccountDelete::new(vec![AccountItem::new("vic")])).await.unwrap();
    assert_eq!(deleted.result_item.unwrap()[0].result_code, Some(AccountResultCode::Ok));
    assert_eq!(code(c.kick(Kick::new("vic")).await), KickCode::AccountNotFound);
}

// ---------------------------------------------------------------------------------------------
// the gateway: tickets, SDKAppIDs, admins, query parameters

#[tokio::test]
async fn bad_or_missing_tickets_get_the_documented_rest_codes() {
    let config = EmulatorConfig::new().rate_limits(false).accept_ticket("fixed-ticket-for-tests");
    let emu = Emulator::new(config).listen("127.0.0.1:0").await.unwrap();
    let call = |b: ClientBuilder| async move {
        let client = b.retry_policy(RetryPolicy::none()).rate_limit(RateLimitMode::Off).build().unwrap();
        client.get_room_list(GetRoomList::new("", 20)).await
    };
    let rest = |c: GetRoomListCode| match c {
        GetRoomListCode::Rest(r) => r,
        other => panic!("not a REST-wide code: {other:?}"),
    };

    call(emu.client_builder()).await.unwrap();
    let fixed = Client::builder().sdk_app_id(emu.sdk_app_id()).user_sig("fixed-ticket-for-tests").base_url(emu.url());
    call(fixed).await.unwrap();

    let wrong_key = emu.client_builder().secret_key("not-the-key");
    assert_eq!(rest(code(call(wrong_key).await)), RestCode::BadAccountOrSignature);
    let wrong_ticket = Client::builder().sdk_app_id(emu.sdk_app_id()).user_sig("eJwrong").base_url(emu.url());
    assert_eq!(rest(code(call(wrong_ticket).await)), RestCode::BadAccountOrSignature);
    let wrong_app = emu.client_builder().sdk_app_id(1400000999);
    assert_eq!(rest(code(call(wrong_app).await)), RestCode::InvalidSdkAppId);
    // A valid ticket, signed with the right key, for someone who is not an administrator.
    let not_admin = emu.client_builder().admin("mallory");
    assert_eq!(rest(code(call(not_admin).await)), RestCode::AdminRequired);
}

/// A signed request URL of the emulator, and an HTTP client to send raw bodies with.
fn raw(emu: &RunningEmulator, path: &str) -> String {
    let key = emu.secret_key();
    let ticket = sign(&SignParams::new(emu.sdk_app_id(), key.expose(), emu.admin(), 3600), unix_now());
    format!(
        "{}{path}?sdkappid={}&identifier={}&usersig={ticket}&random=12345&contenttype=json",
        emu.url(),
        emu.sdk_app_id(),
        emu.admin()
    )
}

async fn post(url: &str, body: &str) -> (u16, Option<String>, Value) {
    let r = reqwest::Client::new().post(url).body(body.to_owned()).send().await.unwrap();
    let status = r.status().as_u16();
    let ct = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned());
    (status, ct, serde_json::from_slice(&r.bytes().await.unwrap()).unwrap())
}

#[tokio::test]
async fn raw_requests_get_the_documented_envelope_and_codes() {
    let emu = Emulator::start().await.unwrap();
    let create = raw(&emu, "/v4/live_engine_http_srv/create_room");
    let (status, ct, ok) = post(&create, r#"{"RoomInfo":{"RoomId":"r1","RoomType":"Live"}}"#).await;
    assert_eq!((status, ct.as_deref()), (200, Some("application/json")));
    let keys: Vec<&str> = ok.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 5, "{ok}");
    assert_eq!(
        (ok["ActionStatus"].clone(), ok["ErrorCode"].clone(), ok["ErrorInfo"].clone()),
        (json!("OK"), json!(0), json!(""))
    );
    assert_eq!(ok["Response"], json!({"RoomId": "r1"}));
    let id = ok["RequestId"].as_str().unwrap();
    assert!(id.starts_with("Id-") && id.contains("-O-Seq-"), "{id}");

    let long_id = format!(r#"{{"RoomInfo":{{"RoomId":"{}","RoomType":"Live"}}}}"#, "x".repeat(53));
    let create_path = "/v4/live_engine_http_srv/create_room";
    let cases = [
        (create_path, "", 60003, "empty"),
        (create_path, "{\"RoomInfo\":", 60003, "not valid JSON"),
        (create_path, r#"{"RoomInfo":{"RoomType":"Live"}}"#, 100002, "RoomId"),
        (create_path, &long_id, 100002, "RoomInfo.RoomId is 53 bytes; the API allows at most 48 bytes"),
        (create_path, r#"{"RoomInfo":{"RoomId":"r2","RoomType":"Show"}}"#, 100002, "RoomInfo.RoomType is \"Show\""),
        (
            "/v4/live_engine_http_srv/set_mix_stream",
            r#"{"RoomId":"r1","LayoutMode":7}"#,
            100006,
            "IsUnlimitedRoomEnabled",
        ),
        ("/v4/live_engine_http_srv/get_room_info", r#"{"RoomId":"missing"}"#, 100004, "does not exist"),
        ("/v4/live_engine_http_srv/no_such_command", "{}", 60009, "no endpoint"),
    ];
    for (path, body, expected, says) in cases {
        let (status, _, answer) = post(&raw(&emu, path), body).await;
        assert_eq!(status, 200);
        assert_eq!(answer["ErrorCode"], json!(expected), "{path} {body}: {answer}");
        assert_eq!(answer["ActionStatus"], json!("FAIL"));
        assert!(answer["ErrorInfo"].as_str().unwrap().contains(says), "{path} {body}: {answer}");
        assert!(answer["RequestId"].as_str().unwrap().starts_with("Id-"));
    }

    // A mixing room, and a mixing mode the docs do not list.
    let unlimited =
        r#"{"RoomInfo":{"RoomId":"mix","RoomType":"Live","IsSeatEnabled":true,"IsUnlimitedRoomEnabled":true}}"#;
    assert_eq!(post(&create, unlimited).await.2["ErrorCode"], json!(0));
    let (_, _, mode) =
        post(&raw(&emu, "/v4/live_engine_http_srv/set_mix_stream"), r#"{"RoomId":"mix","LayoutMode":7}"#).await;
    assert_eq!(mode["ErrorCode"], json!(100429), "{mode}");

    // Query parameters.
    let base = format!("{}/v4/live_engine_http_srv/get_room_list", emu.url());
    let (_, _, no_app) =
        post(&format!("{base}?identifier=administrator&usersig=x&random=1&contenttype=json"), "{}").await;
    assert_eq!(no_app["ErrorCode"], json!(60012));
    let no_type = raw(&emu, "/v4/live_engine_http_srv/get_room_list").replace("&contenttype=json", "");
    assert_eq!(post(&no_type, "{}").await.2["ErrorCode"], json!(60002));
    let get = reqwest::Client::new().get(&create).send().await.unwrap();
    let answer: Value = serde_json::from_slice(&get.bytes().await.unwrap()).unwrap();
    assert_eq!(answer["ErrorCode"], json!(60002));
}

#[tokio::test]
async fn dispatch_serves_calls_without_http() {
    let emu = Emulator::new(EmulatorConfig::new());
    let call =
        |path: &str, body: &str| server::Call::new(path, body.as_bytes()).caller(emu.sdk_app_id(), "administrator");
    let created = dispatch(
        &emu,
        call("/v4/live_engine_http_srv/create_room", r#"{"RoomInfo":{"RoomId":"a","RoomType":"Live"}}"#),
    )
    .await;
    assert_eq!(created.code(), 0, "{}", created.message());
    let got = dispatch(&emu, call("/v4/live_engine_http_srv/get_room_info", r#"{"RoomId":"a"}"#)).await;
    let body: Value = serde_json::from_slice(got.body()).unwrap();
    assert_eq!(body["Response"]["RoomInfo"]["RoomId"], json!("a"));
    assert_eq!(body["RequestId"], json!(got.request_id()));
}

// ---------------------------------------------------------------------------------------------
// rate limits and concurrency

/// Runs `n` copies of a call at once; returns the answers and how long the burst took.
async fn burst<T, F>(n: usize, call: impl Fn(usize) -> F) -> (Vec<T>, f64)
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let start = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..n {
        set.spawn(call(i));
    }
    let mut out = Vec::new();
    while let Some(r) = set.join_next().await {
        out.push(r.unwrap());
    }
    (out, start.elapsed().as_secs_f64())
}

/// The bucket starts with a second's worth of calls and refills at the rate while the burst
/// runs: at least `capacity` calls pass, at most `capacity + rate * elapsed` (+1 for rounding).
fn assert_admitted(what: &str, admitted: usize, capacity: f64, rate: f64, elapsed: f64) {
    assert!(admitted as f64 >= capacity, "{what}: only {admitted} calls admitted of a bucket of {capacity}");
    let most = capacity + rate * elapsed + 1.0;
    assert!(admitted as f64 <= most, "{what}: {admitted} calls admitted in {elapsed:.3} s; at most {most:.0} allowed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_hold_per_quota_group_and_sdkappid_under_concurrent_calls() {
    let config = EmulatorConfig::new().also_app(1400000002, "second-key");
    let emu = Emulator::new(config).listen("127.0.0.1:0").await.unwrap();
    let c = plain_client(&emu);

    // get_room_list: 10 calls per second, answered with the REST-wide 60007 beyond.
    let client = c.clone();
    let (answers, elapsed) = burst(40, move |_| {
        let c = client.clone();
        async move { c.get_room_list(GetRoomList::new("", 20)).await.map(|_| ()).map_err(|e| e.code()) }
    })
    .await;
    let admitted = answers.iter().filter(|a| a.is_ok()).count();
    assert_admitted("get_room_list", admitted, 10.0, 10.0, elapsed);
    for a in answers.iter().filter_map(|a| a.as_ref().err()) {
        assert_eq!(*a, Some(GetRoomListCode::Rest(RestCode::CallRateExceeded)));
    }
    // The second application has a budget of its own.
    let other = emu.client_builder().sdk_app_id(1400000002).secret_key("second-key");
    let other = other.retry_policy(RetryPolicy::none()).rate_limit(RateLimitMode::Off).build().unwrap();
    other.get_room_list(GetRoomList::new("", 20)).await.unwrap();

    // The mixing group: set_mix_stream and resume_mcu_task share 20 per second, and answer 100422.
    c.create_room(CreateRoom::new(RoomInfo::new("mix", RoomType::Live))).await.unwrap();
    let client = c.clone();
    let (answers, elapsed) = burst(60, move |i| {
        let c = client.clone();
        async move {
            if i % 2 == 0 {
                c.resume_mcu_task(ResumeMcuTask::new("mix")).await.map(|_| ()).map_err(|e| e.code().map(|c| c.code()))
            } else {
                let r = c.set_mix_stream(SetMixStream::new("mix", LayoutMode::Grid)).await;
                r.map(|_| ()).map_err(|e| e.code().map(|c| c.code()))
            }
        }
    })
    .await;
    let throttled = answers.iter().filter(|a| **a == Err(Some(100422))).count();
    assert_admitted("the mixing group", answers.len() - throttled, 20.0, 20.0, elapsed);
    // Admitted calls reached the logic: the room cannot mix (100006).
    assert!(answers.iter().all(|a| matches!(a, Err(Some(100422 | 100006)))), "{answers:?}");

    // A gift configuration endpoint: 1 call per second, answered with its documented 100012.
    let client = c.clone();
    let (answers, elapsed) = burst(6, move |i| {
        let c = client.clone();
        async move { c.add_gift(AddGift::new(format!("g{i}"), 1, "G")).await.map(|_| ()).map_err(|e| e.code()) }
    })
    .await;
    let admitted = answers.iter().filter(|a| a.is_ok()).count();
    assert_admitted("add_gift", admitted, 1.0, 1.0, elapsed);
    assert!(answers.iter().filter_map(|a| a.as_ref().err()).all(|e| *e == Some(AddGiftCode::TooFrequent)));

    let served = emu.emulator().served();
    assert!(served.keys().any(|(e, c)| e == "live_engine_http_srv/get_room_list" && *c == 60007));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_stays_consistent_under_concurrent_calls() {
    let (emu, c) = start().await;
    let room = RoomInfo::new("busy", RoomType::Live).is_seat_enabled(true).max_seat_count(2);
    c.create_room(CreateRoom::new(room)).await.unwrap();
    for i in 0..30 {
        emu.emulator().enter_room("busy", &format!("u{i}")).unwrap();
    }
    // Thirty users race for one seat: exactly one gets it.
    let client = c.clone();
    let (answers, _) = burst(30, move |i| {
        let c = client.clone();
        async move { c.pick_user_on_seat(PickUserOnSeat::new("busy", 1, format!("u{i}"))).await.map_err(|e| e.code()) }
    })
    .await;
    assert_eq!(answers.iter().filter(|a| a.is_ok()).count(), 1);
    assert!(answers.iter().filter_map(|a| a.as_ref().err()).all(|e| *e == Some(PickUserOnSeatCode::SeatOccupied)));
    let seats = c.get_seat_list(GetSeatList::new("busy")).await.unwrap().seat_list.unwrap();
    let winner = seats[1].member_account.clone().unwrap();
    emu.emulator().leave_room("busy", &winner).unwrap();
    let seats = c.get_seat_list(GetSeatList::new("busy")).await.unwrap().seat_list.unwrap();
    assert_eq!(seats[1].member_account, None, "leaving the room frees the seat");

    // Fifty messages at once: fifty distinct sequence numbers, all counted.
    let client = c.clone();
    let (answers, _) = burst(50, move |i| {
        let c = client.clone();
        async move { c.send_text_msg(SendTextMsg::new("busy", "u0", format!("m{i}"))).await.unwrap().msg_seq.unwrap() }
    })
    .await;
    let mut seqs = answers;
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=50).collect::<Vec<u64>>());
    assert_eq!(c.get_room_stats(GetRoomStats::new("busy")).await.unwrap().total_msg_count, Some(50));
}
