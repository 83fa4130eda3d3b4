//! The generated [`Service`] of the emulator: each endpoint's method runs the
//! function of the same name of its family (`accounts`, `battles`, `callback_config`, `gifts`,
//! `rooms`, `seats`) on the caller's application, or, for the calls a before-callback decides, the gated
//! function of `gates`. The table below is the whole of it.

use crate::server::Context;
use crate::*;

use super::Emulator;
use super::state::Outcome;
use super::webhooks::Origin;

/// `impl Service for Emulator` from one line an endpoint, `method(Request, arguments)`: the method
/// answers with `AppState::method(request, arguments)` on the caller's application, in one
/// [`Emulator::run`]. The names in `|ctx, now|` are what the arguments may use: the call's
/// [`Context`] and the clock (Unix seconds). After the `;`, `method(Request) => gated` lines
/// name the endpoints a before-callback decides: they answer with `Emulator::gated(ctx,
/// request)` (gates.rs), which awaits the callback outside the lock.
macro_rules! forward {
    (
        |$ctx:ident, $now:ident| $($method:ident($request:ident $(, $arg:expr)*),)*
        ; $($gmethod:ident($grequest:ident) => $gated:ident,)*
    ) => {
        impl crate::Service for Emulator {
            fn unserved(&self, ctx: &Context) -> crate::server::Refusal {
                let endpoint = ctx.endpoint.name();
                let message = format!("{endpoint} is not emulated: the emulator has no behaviour for it");
                crate::server::Refusal::new(crate::server::UNSERVED, message)
            }
            $(
                async fn $method(&self, $ctx: &Context, request: $request) -> Outcome<$request> {
                    self.run($ctx.sdk_app_id, &Origin::rest(&$ctx.identifier), |app, $now| {
                        let _ = $now; // most endpoints do not read the clock
                        app.$method(request $(, $arg)*)
                    })
                }
            )*
            $(
                async fn $gmethod(&self, ctx: &Context, request: $grequest) -> Outcome<$grequest> {
                    self.$gated(ctx, request).await
                }
            )*
        }
    };
}

forward! {
    |ctx, now|
    // rooms.rs
    create_room(CreateRoom, &ctx.identifier, now),
    update_room_info(UpdateRoomInfo),
    get_room_info(GetRoomInfo),
    get_room_list(GetRoomList),
    destroy_room(DestroyRoom),
    set_room_metadata(SetRoomMetadata),
    del_room_metadata(DelRoomMetadata),
    get_room_metadata(GetRoomMetadata),
    modify_admin(ModifyAdmin),
    get_admin_list(GetAdminList),
    change_room_owner(ChangeRoomOwner, now),
    ban_member(BanMember, now),
    unban_member(UnbanMember),
    get_banned_member_list(GetBannedMemberList, now),
    mute_member(MuteMember, now),
    get_muted_member_list(GetMutedMemberList, now),
    get_member_list(GetMemberList, now),
    get_room_stats(GetRoomStats),
    add_robot(AddRobot),
    del_robot(DelRobot),
    get_robot(GetRobot),
    // seats.rs
    get_seat_list(GetSeatList),
    lock_seat(LockSeat),
    pick_user_on_seat(PickUserOnSeat, now),
    kick_user_off_seat(KickUserOffSeat),
    move_user_to_seat(MoveUserToSeat),
    switch_seat(SwitchSeat),
    set_mix_stream(SetMixStream),
    resume_mcu_task(ResumeMcuTask),
    // gifts.rs
    add_gift(AddGift),
    del_gift(DelGift),
    get_gift(GetGift),
    set_gift_language(SetGiftLanguage),
    get_gift_language(GetGiftLanguage),
    del_gift_language(DelGiftLanguage),
    add_gift_category(AddGiftCategory),
    del_gift_category(DelGiftCategory),
    get_gift_category(GetGiftCategory),
    add_gift_category_relations(AddGiftCategoryRelations),
    del_gift_category_relations(DelGiftCategoryRelations),
    get_gift_category_relations(GetGiftCategoryRelations),
    set_gift_category_language(SetGiftCategoryLanguage),
    get_gift_category_language(GetGiftCategoryLanguage),
    del_gift_category_language(DelGiftCategoryLanguage),
    copy_default_gift_config(CopyDefaultGiftConfig),
    get_gift_count(GetGiftCount),
    // battles.rs
    create_battle(CreateBattle, now),
    get_battle_info(GetBattleInfo, now),
    set_battle_score(SetBattleScore),
    // callback_config.rs
    set_callback(SetCallback),
    get_callback(GetCallback),
    update_callback(UpdateCallback),
    delete_callback(DeleteCallback),
    delete_callback_token(DeleteCallbackToken),
    set_callback_token(SetCallbackToken),
    get_callback_token(GetCallbackToken),
    // accounts.rs
    account_import(AccountImport),
    multiaccount_import(MultiaccountImport),
    account_delete(AccountDelete),
    account_check(AccountCheck),
    kick(Kick),
    query_online_status(QueryOnlineStatus, now),
    portrait_set(PortraitSet),
    portrait_get(PortraitGet),
    ;
    // gates.rs: a before-callback decides
    send_gift(SendGift) => send_gift_gated,
    send_text_msg(SendTextMsg) => send_text_msg_gated,
    send_custom_msg(SendCustomMsg) => send_custom_msg_gated,
}
