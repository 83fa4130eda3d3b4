//! The callback command words the emulator delivers, shared by the webhook tests.

use live_api::{CreateRoom, RoomInfo, RoomType};

pub const ROOM_CREATED: &str = "Live.CallbackAfterCreateRoom";
pub const ROOM_DESTROYED: &str = "Live.CallbackAfterDestroyRoom";
pub const ROOM_UPDATED: &str = "Live.CallbackAfterUpdateRoomInfo";
pub const METADATA_SET: &str = "Live.CallbackAfterSetMetadata";
pub const METADATA_DELETED: &str = "Live.CallbackAfterDelMetadata";
pub const MEMBERS: &str = "Live.CallbackAfterMemberStateChanged";
pub const OWNER: &str = "Live.CallbackAfterChangeOwner";
pub const ADMINS: &str = "Live.CallbackAfterModifyAdmin";
pub const SEATS: &str = "Mic.CallbackAfterSeatInfoChanged";
pub const BATTLE_CREATED: &str = "Live.CallbackAfterCreateBattle";
pub const BATTLE_STARTED: &str = "Live.CallbackAfterStartBattle";
pub const BATTLE_ENDED: &str = "Live.CallbackAfterEndBattle";
pub const BEFORE_GIFT: &str = "Live.CallbackBeforeSendGift";
pub const NOT_BLOCK: &str = "Live.CallbackBeforeCallBackNotBlock";
pub const BEFORE_MSG: &str = "Group.CallbackBeforeSendMsg";
pub const AFTER_MSG: &str = "Group.CallbackAfterSendMsg";

/// Every command the emulator emits (its module documentation lists them; the room-count alert
/// and `Follow.*` it does not).
pub const EMULATED: [&str; 15] = [
    ROOM_CREATED,
    ROOM_DESTROYED,
    ROOM_UPDATED,
    METADATA_SET,
    METADATA_DELETED,
    MEMBERS,
    OWNER,
    ADMINS,
    SEATS,
    BATTLE_CREATED,
    BATTLE_STARTED,
    BATTLE_ENDED,
    BEFORE_GIFT,
    BEFORE_MSG,
    AFTER_MSG,
];

/// A room with four seats, named "Evening".
pub fn seated_room(id: &str) -> CreateRoom {
    CreateRoom::new(RoomInfo::new(id, RoomType::Live).is_seat_enabled(true).max_seat_count(4).room_name("Evening"))
}
