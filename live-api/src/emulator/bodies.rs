//! The body of each callback the emulator sends, built from its state with the keys of the
//! callback's documentation (`live-callbacks.json`): `RoomInfo` nested as the samples nest it,
//! the lower-camel `opType` of the admin callback, `EventTime` in milliseconds (a JSON string in
//! the two `Group.*` callbacks, as their samples send it). `CallbackCommand` is added by
//! [`Webhooks`](super::webhooks::Webhooks). Fields the emulator has no value for (`CustomInfo`,
//! `BackgroundURL`, a battle's `Timeout`) are left out.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::Seat;

use super::battles::Battle;
use super::messages::Message;
use super::state::Room;
use super::webhooks::Event;

pub(super) const AFTER_CREATE_ROOM: &str = "Live.CallbackAfterCreateRoom";
pub(super) const AFTER_DESTROY_ROOM: &str = "Live.CallbackAfterDestroyRoom";
pub(super) const AFTER_UPDATE_ROOM_INFO: &str = "Live.CallbackAfterUpdateRoomInfo";
pub(super) const AFTER_SET_METADATA: &str = "Live.CallbackAfterSetMetadata";
pub(super) const AFTER_DEL_METADATA: &str = "Live.CallbackAfterDelMetadata";
pub(super) const AFTER_MEMBER_STATE_CHANGED: &str = "Live.CallbackAfterMemberStateChanged";
pub(super) const AFTER_CHANGE_OWNER: &str = "Live.CallbackAfterChangeOwner";
pub(super) const AFTER_MODIFY_ADMIN: &str = "Live.CallbackAfterModifyAdmin";
pub(super) const AFTER_SEAT_INFO_CHANGED: &str = "Mic.CallbackAfterSeatInfoChanged";
pub(super) const AFTER_CREATE_BATTLE: &str = "Live.CallbackAfterCreateBattle";
pub(super) const AFTER_START_BATTLE: &str = "Live.CallbackAfterStartBattle";
pub(super) const AFTER_END_BATTLE: &str = "Live.CallbackAfterEndBattle";
pub(super) const BEFORE_SEND_GIFT: &str = "Live.CallbackBeforeSendGift";
pub(super) const BEFORE_SEND_MSG: &str = "Group.CallbackBeforeSendMsg";
pub(super) const AFTER_SEND_MSG: &str = "Group.CallbackAfterSendMsg";

fn to_map(value: impl Serialize) -> Map<String, Value> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// The members `keys` of the room's information (as get_room_info answers it), those it has.
fn room_info(room: &Room, keys: &[&str]) -> Map<String, Value> {
    let mut details = to_map(&room.details);
    details.insert("IsUnlimitedRoomEnabled".into(), Value::from(room.unlimited));
    keys.iter().filter_map(|k| details.remove(*k).map(|v| ((*k).to_owned(), v))).collect()
}

pub(super) fn room_created(room: &Room, e: &Event) -> Value {
    let keys = [
        "RoomId",
        "RoomName",
        "RoomType",
        "Owner_Account",
        "MaxMemberCount",
        "IsMessageDisabled",
        "IsSeatEnabled",
        "TakeSeatMode",
        "MaxSeatCount",
        "CreateTime",
        "IsPublicVisible",
        "CoverURL",
        "Category",
    ];
    json!({ "Operator_Account": e.operator, "RoomInfo": room_info(room, &keys), "EventTime": e.time_ms })
}

/// The room's information after the update (every member the callback documents).
pub(super) fn room_updated(room: &Room, e: &Event) -> Value {
    let keys = [
        "RoomId",
        "RoomName",
        "MaxMemberCount",
        "IsMessageDisabled",
        "TakeSeatMode",
        "IsPublicVisible",
        "CoverURL",
        "Category",
        "ActivityStatus",
    ];
    json!({ "Operator_Account": e.operator, "RoomInfo": room_info(room, &keys), "EventTime": e.time_ms })
}

pub(super) fn room_destroyed(room_id: &str, room: &Room, e: &Event) -> Value {
    let keys = [
        "RoomName",
        "RoomType",
        "Owner_Account",
        "IsSeatEnabled",
        "TakeSeatMode",
        "MaxMemberCount",
        "MaxSeatCount",
        "Category",
        "IsMessageDisabled",
        "CoverURL",
        "ActivityStatus",
        "IsPublicVisible",
        "ViewCount",
        "IsUnlimitedRoomEnabled",
    ];
    let s = &room.stats;
    json!({
        "Operator_Account": e.operator,
        "RoomId": room_id,
        "EventType": "DestroyByUser",
        "EventTime": e.time_ms,
        "RoomInfo": room_info(room, &keys),
        "Statistic": {
            "TotalViewers": s.viewers,
            "TotalGiftsSent": s.gifts_sent,
            "TotalGiftCoins": s.gift_coins,
            "TotalUniqueGiftSenders": s.gift_senders.len(),
            "TotalLikesReceived": s.likes,
        },
    })
}

/// The entries just set.
pub(super) fn metadata_set(room_id: &str, items: &[(String, String)], e: &Event) -> Value {
    let metadata: Vec<Value> = items.iter().map(|(k, v)| json!({ "Key": k, "Value": v })).collect();
    json!({ "Operator_Account": e.operator, "RoomId": room_id, "Metadata": metadata, "EventTime": e.time_ms })
}

pub(super) fn metadata_deleted(room_id: &str, keys: &[String], e: &Event) -> Value {
    json!({ "Operator_Account": e.operator, "RoomId": room_id, "Keys": keys, "EventTime": e.time_ms })
}

/// Why members came or went: `EventCause`, and its `EventType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MemberCause {
    Enter,
    Leave,
    Kicked,
}

pub(super) fn members_changed(room_id: &str, cause: MemberCause, members: &[String], e: &Event) -> Value {
    let (event_type, event_cause) = match cause {
        MemberCause::Enter => ("Online", "Enter"),
        MemberCause::Leave => ("Offline", "Leave"),
        MemberCause::Kicked => ("Offline", "Kicked"),
    };
    let list: Vec<Value> = members.iter().map(|m| json!({ "Member_Account": m })).collect();
    json!({
        "RoomId": room_id,
        "EventType": event_type,
        "EventCause": event_cause,
        "MemberList": list,
        "EventTime": e.time_ms,
    })
}

pub(super) fn owner_changed(room_id: &str, current: &str, original: &str, e: &Event) -> Value {
    json!({
        "RoomId": room_id,
        "CurrentOwner_Account": current,
        "OriginalOwner_Account": original,
        "Operator_Account": e.operator,
        "EventTime": e.time_ms,
    })
}

/// `op` is the request's `OpType` wire value, `add` or `delete`, which is also the callback's.
pub(super) fn admins_modified(room_id: &str, accounts: &[String], op: &str, e: &Event) -> Value {
    json!({
        "RoomId": room_id,
        "Admin_Account": accounts,
        "opType": op,
        "Operator_Account": e.operator,
        "EventTime": e.time_ms,
    })
}

/// The seats `indices` of the room as they are now (the ones that changed).
pub(super) fn seats_changed(room_id: &str, room: &Room, indices: &[usize], e: &Event) -> Value {
    let list: Vec<Value> = indices
        .iter()
        .filter_map(|&i| room.seats.get(i).map(|s| (i, s)))
        .map(|(i, s)| {
            let seat = Seat {
                index: Some(i as u32),
                member_account: s.member.clone(),
                is_taken_disabled: Some(s.taken_disabled),
                is_video_disabled: Some(s.video_disabled),
                is_audio_disabled: Some(s.audio_disabled),
            };
            Value::Object(to_map(seat))
        })
        .collect();
    json!({ "RoomId": room_id, "SeatList": list, "EventTime": e.time_ms })
}

pub(super) fn battle_created(b: &Battle, extension: Option<&str>, e: &Event) -> Value {
    let to: Vec<&str> = b.rooms.iter().skip(1).map(|(r, _)| r.as_str()).collect();
    let mut body = json!({
        "Operator_Account": e.operator,
        "BattleId": b.id,
        "FromRoomId": b.rooms.first().map(|(r, _)| r.as_str()),
        "ToRoomIdList": to,
        "Duration": b.duration_ms,
        "NeedResponse": false,
        "EventTime": e.time_ms,
    });
    if let (Some(x), Value::Object(map)) = (extension, &mut body) {
        map.insert("ExtensionInfo".into(), Value::from(x));
    }
    body
}

/// A battle room's `RoomId`, `Owner_Account` (while the room exists) and, at the end, `Score`.
fn battle_room(room_id: &str, owner: Option<String>, score: Option<i64>) -> Value {
    let mut map = Map::new();
    map.insert("RoomId".into(), Value::from(room_id));
    if let Some(s) = score {
        map.insert("Score".into(), Value::from(s));
    }
    if let Some(o) = owner {
        map.insert("Owner_Account".into(), Value::from(o));
    }
    Value::Object(map)
}

fn battle_rooms(b: &Battle, owner: &dyn Fn(&str) -> Option<String>, scores: bool) -> (Value, Vec<Value>) {
    let mut rooms = b.rooms.iter().map(|(r, s)| battle_room(r, owner(r), scores.then_some(*s)));
    let from = rooms.next().unwrap_or(Value::Null);
    (from, rooms.collect())
}

pub(super) fn battle_started(b: &Battle, owner: &dyn Fn(&str) -> Option<String>, e: &Event) -> Value {
    let (from, to) = battle_rooms(b, owner, false);
    json!({
        "BattleId": b.id,
        "Duration": b.duration_ms,
        "CreateTime": b.start,
        "StartTime": b.start,
        "FromRoomInfo": from,
        "ToRoomList": to,
        "EventTime": e.time_ms,
    })
}

/// `OpType` 0: the battle's time is up (the only way battles end in the emulator).
pub(super) fn battle_ended(b: &Battle, owner: &dyn Fn(&str) -> Option<String>, e: &Event) -> Value {
    let (from, to) = battle_rooms(b, owner, true);
    json!({
        "BattleId": b.id,
        "Duration": b.duration_ms,
        "CreateTime": b.start,
        "StartTime": b.start,
        "EndTime": b.end,
        "OpType": 0,
        "FromRoomInfo": from,
        "ToRoomList": to,
        "EventTime": e.time_ms,
    })
}

/// The gift about to be sent. `Coins` is the value of one gift (the Chinese page's reading);
/// `Time` is Unix seconds. The callback documents no `EventTime`.
pub(super) struct GiftWater<'a> {
    pub room_id: &'a str,
    pub from: &'a str,
    pub to: &'a [String],
    pub time: i64,
    pub gift_id: &'a str,
    pub count: u32,
    pub coins: u64,
}

pub(super) fn before_gift(g: &GiftWater, e: &Event) -> Value {
    json!({
        "Operator_Account": e.operator,
        "RoomId": g.room_id,
        "GiftWater": {
            "From_Account": g.from,
            "To_Account": g.to,
            "Time": g.time,
            "GiftId": g.gift_id,
            "Count": g.count,
            "Coins": g.coins,
        },
    })
}

/// A room message, before it is sent (`sent` is `None`) or after, with its sequence number and
/// time (Unix seconds).
pub(super) fn message(m: &Message, sent: Option<(u64, i64)>, e: &Event) -> Value {
    let mut map = Map::new();
    map.insert("GroupId".into(), Value::from(m.room_id.as_str()));
    map.insert("Type".into(), Value::from("Live"));
    map.insert("From_Account".into(), Value::from(m.from.as_str()));
    map.insert("Operator_Account".into(), Value::from(e.operator));
    map.insert("Random".into(), Value::from(m.random));
    map.insert("MsgId".into(), Value::from(m.id.as_str()));
    if let Some((seq, time)) = sent {
        map.insert("MsgSeq".into(), Value::from(seq));
        map.insert("MsgTime".into(), Value::from(time));
    }
    map.insert("MsgBody".into(), m.body.clone());
    if let Some(data) = &m.cloud_custom_data {
        map.insert("CloudCustomData".into(), Value::from(data.as_str()));
    }
    map.insert("EventTime".into(), Value::from(e.time_ms.to_string()));
    Value::Object(map)
}
