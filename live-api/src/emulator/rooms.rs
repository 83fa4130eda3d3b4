//! Rooms and what lives in them: creation, information, the room list, metadata, administrators
//! and owner, members (ban, mute, lists), messages, statistics and robots.

use std::collections::BTreeMap;

use crate::server::{Failure, Refusal};
use crate::*;

use super::bodies::{
    self, AFTER_CHANGE_OWNER, AFTER_CREATE_ROOM, AFTER_DEL_METADATA, AFTER_DESTROY_ROOM, AFTER_MODIFY_ADMIN,
    AFTER_SET_METADATA, AFTER_UPDATE_ROOM_INFO, MemberCause,
};
use super::state::{
    AppState, INVALID_PARAMETER, Outcome, ROOM_NOT_FOUND, Room, SeatState, Stats, invalid, known, no_room, page,
    parse_cursor, room_not_found,
};

/// Seats of a room with seats when neither MaxSeatCount nor the SeatTemplate says how many.
pub const DEFAULT_SEATS: u32 = 9;
/// Members per page of get_member_list.
pub const MEMBER_PAGE: usize = 100;
/// Banned members per page of get_banned_member_list when Limit is unset.
const BANNED_PAGE: u32 = 100;
/// Administrators a room can have (modify_admin, 100020).
const MAX_ADMINS: usize = 5;
/// Robots a room can have.
const MAX_ROBOTS: usize = 3;
/// Metadata keys a room can have (100500), and their total value size (100502).
const MAX_METADATA_KEYS: usize = 10;
const MAX_METADATA_BYTES: usize = 16 * 1024;

impl AppState {
    pub fn create_room(&mut self, r: CreateRoom, caller: &str, now: i64) -> Outcome<CreateRoom> {
        let info = r.room_info;
        known(&info.room_type, "RoomInfo.RoomType")?;
        if let Some(mode) = &info.take_seat_mode {
            known(mode, "RoomInfo.TakeSeatMode")?;
        }
        let owner = info.owner_account.clone().filter(|o| !o.is_empty()).unwrap_or_else(|| caller.to_owned());
        self.imported("RoomInfo.Owner_Account", &owner)?;
        if let Some(existing) = self.rooms.get(&info.room_id) {
            return Err(if existing.owner() == owner {
                let msg = format!("room {:?} already exists with the same owner; use it", info.room_id);
                Failure::new(CreateRoomCode::RoomExistsForOwner, msg)
            } else {
                Failure::new(
                    CreateRoomCode::RoomIdTaken,
                    format!("room ID {:?} is taken; choose another", info.room_id),
                )
            });
        }
        let seats_enabled = info.is_seat_enabled.unwrap_or(false);
        let seat_count = info
            .max_seat_count
            .or_else(|| info.seat_template.as_deref().and_then(seats_of_template))
            .unwrap_or(DEFAULT_SEATS);
        let details = RoomDetails {
            room_id: Some(info.room_id.clone()),
            room_name: Some(info.room_name.unwrap_or_else(|| info.room_id.clone())),
            room_type: Some(RoomType::Live),
            owner_account: Some(owner),
            is_seat_enabled: Some(seats_enabled),
            take_seat_mode: Some(info.take_seat_mode.unwrap_or(TakeSeatMode::FreeToTake)),
            max_seat_count: seats_enabled.then_some(seat_count),
            max_member_count: info.max_member_count,
            is_message_disabled: Some(info.is_message_disabled.unwrap_or(false)),
            cover_url: info.cover_url,
            category: info.category,
            activity_status: info.activity_status,
            is_public_visible: Some(info.is_public_visible.unwrap_or(true)),
            create_time: Some(now),
            view_count: Some(0),
            notice: None,
        };
        let seats = if seats_enabled { vec![SeatState::default(); seat_count as usize] } else { Vec::new() };
        let room = Room {
            details,
            unlimited: info.is_unlimited_room_enabled.unwrap_or(false),
            admins: Vec::new(),
            audience: Default::default(),
            robots: Vec::new(),
            banned: BTreeMap::new(),
            muted: BTreeMap::new(),
            seats,
            metadata: BTreeMap::new(),
            mix: None,
            stats: Stats::default(),
            received: BTreeMap::new(),
            msg_seq: 0,
        };
        self.webhooks.after(AFTER_CREATE_ROOM, |e| bodies::room_created(&room, e));
        self.rooms.insert(info.room_id.clone(), room);
        Ok(CreateRoomResponse { room_id: Some(info.room_id) })
    }

    pub fn update_room_info(&mut self, r: UpdateRoomInfo) -> Outcome<UpdateRoomInfo> {
        let u = r.room_info;
        if let Some(mode) = &u.take_seat_mode {
            known(mode, "RoomInfo.TakeSeatMode")?;
        }
        let d = &mut self.room_mut(&u.room_id)?.details;
        macro_rules! set {
            ($($f:ident),*) => {$( if u.$f.is_some() { d.$f = u.$f; } )*};
        }
        set!(room_name, max_member_count, is_message_disabled, cover_url, category, activity_status);
        set!(is_public_visible, take_seat_mode, notice);
        if let Some(room) = self.rooms.get(&u.room_id) {
            self.webhooks.after(AFTER_UPDATE_ROOM_INFO, |e| bodies::room_updated(room, e));
        }
        Ok(UpdateRoomInfoResponse {})
    }

    pub fn get_room_info(&self, r: GetRoomInfo) -> Outcome<GetRoomInfo> {
        Ok(GetRoomInfoResponse { room_info: Some(self.room(&r.room_id)?.details.clone()) })
    }

    pub fn get_room_list(&self, r: GetRoomList) -> Outcome<GetRoomList> {
        if r.count == 0 {
            return Err(invalid("Count is 0; the API requires at least 1"));
        }
        let offset = parse_cursor(&r.next)?;
        let mut rooms: Vec<&RoomDetails> =
            self.rooms.values().map(|room| &room.details).filter(|d| d.is_public_visible != Some(false)).collect();
        rooms.sort_by(|a, b| b.view_count.cmp(&a.view_count).then_with(|| a.room_id.cmp(&b.room_id)));
        let (items, next) = page(&rooms, offset, r.count as usize);
        let room_list = items
            .into_iter()
            .map(|d| RoomListItem {
                room_name: d.room_name.clone(),
                room_id: d.room_id.clone(),
                owner_account: d.owner_account.clone(),
                cover_url: d.cover_url.clone(),
                category: d.category.clone(),
                create_time: d.create_time,
                activity_status: d.activity_status,
                view_count: d.view_count,
            })
            .collect();
        Ok(GetRoomListResponse { next: Some(next), room_list: Some(room_list) })
    }

    pub fn destroy_room(&mut self, r: DestroyRoom) -> Outcome<DestroyRoom> {
        let room = self.rooms.remove(&r.room_id).ok_or_else(|| room_not_found(&r.room_id))?;
        let s = &room.stats;
        let statistic = RoomStatistic {
            total_viewers: Some(s.viewers),
            total_gifts_sent: Some(s.gifts_sent),
            total_gift_coins: Some(s.gift_coins),
            total_unique_gift_senders: Some(s.gift_senders.len() as u64),
            total_likes_received: Some(s.likes),
        };
        self.webhooks.after(AFTER_DESTROY_ROOM, |e| bodies::room_destroyed(&r.room_id, &room, e));
        Ok(DestroyRoomResponse { statistic: Some(statistic) })
    }

    // --- metadata -----------------------------------------------------------------------------

    pub fn set_room_metadata(&mut self, r: SetRoomMetadata) -> Outcome<SetRoomMetadata> {
        let room = self.room_mut(&r.room_id)?;
        let mut merged = room.metadata.clone();
        let items: Vec<(String, String)> = r.metadata.into_iter().map(|i| (i.key, i.value)).collect();
        for (k, v) in &items {
            merged.insert(k.clone(), v.clone());
        }
        if merged.len() > MAX_METADATA_KEYS {
            let msg = format!("the room would have {} metadata keys; at most {MAX_METADATA_KEYS}", merged.len());
            return Err(Failure::new(SetRoomMetadataCode::TooManyKeys, msg));
        }
        let total: usize = merged.values().map(String::len).sum();
        if total > MAX_METADATA_BYTES {
            let msg = format!("the metadata values would total {total} bytes; at most {MAX_METADATA_BYTES}");
            return Err(Failure::new(SetRoomMetadataCode::TotalValueTooLarge, msg));
        }
        room.metadata = merged;
        self.webhooks.after(AFTER_SET_METADATA, |e| bodies::metadata_set(&r.room_id, &items, e));
        Ok(SetRoomMetadataResponse {})
    }

    pub fn del_room_metadata(&mut self, r: DelRoomMetadata) -> Outcome<DelRoomMetadata> {
        let room = self.room_mut(&r.room_id)?;
        for k in &r.keys {
            room.metadata.remove(k);
        }
        self.webhooks.after(AFTER_DEL_METADATA, |e| bodies::metadata_deleted(&r.room_id, &r.keys, e));
        Ok(DelRoomMetadataResponse {})
    }

    pub fn get_room_metadata(&self, r: GetRoomMetadata) -> Outcome<GetRoomMetadata> {
        let room = self.room(&r.room_id)?;
        let metadata = room
            .metadata
            .iter()
            .filter(|(k, _)| r.keys.is_empty() || r.keys.contains(k))
            .map(|(k, v)| MetadataItem::new(k.clone(), v.clone()))
            .collect();
        Ok(GetRoomMetadataResponse { metadata: Some(metadata) })
    }

    // --- administrators and owner ------------------------------------------------------------

    pub fn modify_admin(&mut self, r: ModifyAdmin) -> Outcome<ModifyAdmin> {
        let op = known(&r.op_type, "OpType")?;
        if r.op_type == AdminOpType::Add {
            for a in &r.admin_account {
                self.strictly_imported("Admin_Account", a)?;
            }
        }
        let room = self.room_mut(&r.room_id)?;
        match r.op_type {
            AdminOpType::Add => {
                let mut admins = room.admins.clone();
                for a in &r.admin_account {
                    if !admins.contains(a) {
                        admins.push(a.clone());
                    }
                }
                if admins.len() > MAX_ADMINS {
                    let msg = format!("the room would have {} administrators; at most {MAX_ADMINS}", admins.len());
                    return Err(Failure::new(ModifyAdminCode::TooManyAdmins, msg));
                }
                room.admins = admins;
            }
            _ => room.admins.retain(|a| !r.admin_account.contains(a)),
        }
        self.webhooks.after(AFTER_MODIFY_ADMIN, |e| bodies::admins_modified(&r.room_id, &r.admin_account, op, e));
        Ok(ModifyAdminResponse {})
    }

    pub fn get_admin_list(&self, r: GetAdminList) -> Outcome<GetAdminList> {
        Ok(GetAdminListResponse { admin_account: Some(self.room(&r.room_id)?.admins.clone()) })
    }

    pub fn change_room_owner(&mut self, r: ChangeRoomOwner, now: i64) -> Outcome<ChangeRoomOwner> {
        self.room(&r.room_id)?;
        if r.new_owner_account.is_empty() {
            return Err(invalid("NewOwner_Account is empty"));
        }
        self.strictly_imported("NewOwner_Account", &r.new_owner_account)?;
        let room = self.room_mut(&r.room_id)?;
        if room.is_banned(&r.new_owner_account, now) {
            return Err(invalid(format!("{:?} is banned from the room; unban them first", r.new_owner_account)));
        }
        // The previous owner stays in the room, as a member.
        let previous = room.owner().to_owned();
        room.audience.insert(previous.clone());
        room.details.owner_account = Some(r.new_owner_account.clone());
        self.webhooks
            .after(AFTER_CHANGE_OWNER, |e| bodies::owner_changed(&r.room_id, &r.new_owner_account, &previous, e));
        Ok(ChangeRoomOwnerResponse {})
    }

    // --- members ---------------------------------------------------------------------------

    pub fn ban_member(&mut self, r: BanMember, now: i64) -> Outcome<BanMember> {
        let room = self.room_mut(&r.room_id)?;
        if let Some(owner) = r.member_list_account.iter().find(|m| *m == room.owner()) {
            let msg = format!("{owner:?} owns the room and cannot be banned");
            return Err(Failure::new(BanMemberCode::PermissionDenied, msg));
        }
        let seats = room.seats.clone();
        let mut kicked = Vec::new();
        for m in r.member_list_account {
            if room.is_member(&m, now) {
                kicked.push(m.clone());
            }
            room.remove_user(&m);
            room.banned.insert(m, (now + i64::from(r.duration), r.reason.clone()));
        }
        // Banned users leave their seats, then the room.
        self.seats_changed(&r.room_id, &seats);
        self.members_changed(&r.room_id, MemberCause::Kicked, &kicked);
        Ok(BanMemberResponse {})
    }

    pub fn unban_member(&mut self, r: UnbanMember) -> Outcome<UnbanMember> {
        let room = self.room_mut(&r.room_id)?;
        for m in &r.member_list_account {
            room.banned.remove(m);
        }
        Ok(UnbanMemberResponse {})
    }

    pub fn get_banned_member_list(&self, r: GetBannedMemberList, now: i64) -> Outcome<GetBannedMemberList> {
        let room = self.room(&r.room_id)?;
        let limit = match r.limit {
            Some(0) => return Err(invalid("Limit is 0; the API requires at least 1")),
            Some(l) => l,
            None => BANNED_PAGE,
        };
        let banned: Vec<BannedMember> = room
            .banned
            .iter()
            .filter(|(_, (until, _))| *until > now)
            .map(|(m, (until, _))| BannedMember { member_account: Some(m.clone()), banned_until: Some(*until) })
            .collect();
        let offset = r.offset.unwrap_or(0) as usize;
        let (items, next) = page(&banned, offset, limit as usize);
        let next_offset = next.parse::<u32>().unwrap_or(0);
        Ok(GetBannedMemberListResponse { banned_account_list: Some(items), next_offset: Some(next_offset) })
    }

    pub fn mute_member(&mut self, r: MuteMember, now: i64) -> Outcome<MuteMember> {
        let room = self.room_mut(&r.room_id)?;
        for m in r.member_list_account {
            if r.mute_time == 0 {
                room.muted.remove(&m);
            } else {
                room.muted.insert(m, now + i64::from(r.mute_time));
            }
        }
        Ok(MuteMemberResponse {})
    }

    pub fn get_muted_member_list(&self, r: GetMutedMemberList, now: i64) -> Outcome<GetMutedMemberList> {
        let room = self.room(&r.room_id)?;
        let muted = room
            .muted
            .iter()
            .filter(|(_, until)| **until > now)
            .map(|(m, until)| MutedMember { member_account: Some(m.clone()), muted_until: Some(*until) })
            .collect();
        Ok(GetMutedMemberListResponse { muted_account_list: Some(muted) })
    }

    pub fn get_member_list(&self, r: GetMemberList, now: i64) -> Outcome<GetMemberList> {
        let room = self.room(&r.room_id)?;
        let offset = parse_cursor(&r.next)?;
        let members: Vec<String> = room.members(now).into_iter().collect();
        let (items, next) = page(&members, offset, MEMBER_PAGE);
        Ok(GetMemberListResponse {
            next: Some(next),
            member_count: Some(members.len() as u32),
            member_list: Some(items.into_iter().map(|m| RoomMember { member_account: Some(m) }).collect()),
        })
    }

    // --- statistics ------------------------------------------------------------------------

    pub fn get_room_stats(&self, r: GetRoomStats) -> Outcome<GetRoomStats> {
        let s = &self.room(&r.room_id)?.stats;
        Ok(GetRoomStatsResponse {
            total_viewers: Some(s.viewers),
            total_gifts_sent: Some(s.gifts_sent),
            total_gift_coins: Some(s.gift_coins),
            total_unique_gift_senders: Some(s.gift_senders.len() as u64),
            total_likes_received: Some(s.likes),
            total_msg_count: Some(s.messages),
        })
    }

    // --- robots ------------------------------------------------------------------------------

    pub fn add_robot(&mut self, r: AddRobot) -> Outcome<AddRobot> {
        self.room(&r.room_id)?;
        for robot in r.robot_list_account.iter().filter(|r| !r.is_empty()) {
            self.imported("RobotList_Account", robot)?;
        }
        let room = self.room_mut(&r.room_id)?;
        let mut robots = room.robots.clone();
        for robot in r.robot_list_account {
            if robot.is_empty() {
                return Err(invalid("RobotList_Account holds an empty user ID"));
            }
            if !robots.contains(&robot) {
                robots.push(robot);
            }
        }
        if robots.len() > MAX_ROBOTS {
            return Err(invalid(format!("the room would have {} robots; at most {MAX_ROBOTS}", robots.len())));
        }
        room.robots = robots;
        Ok(AddRobotResponse {})
    }

    pub fn del_robot(&mut self, r: DelRobot) -> Outcome<DelRobot> {
        self.room(&r.room_id)?;
        for robot in &r.robot_list_account {
            self.imported("RobotList_Account", robot)?;
        }
        let room = self.room_mut(&r.room_id)?;
        let seats = room.seats.clone();
        for robot in &r.robot_list_account {
            room.robots.retain(|x| x != robot);
            room.remove_user(robot);
        }
        self.seats_changed(&r.room_id, &seats);
        Ok(DelRobotResponse {})
    }

    pub fn get_robot(&self, r: GetRobot) -> Outcome<GetRobot> {
        Ok(GetRobotResponse { robot_list_account: Some(self.room(&r.room_id)?.robots.clone()) })
    }

    // --- what the SDK does -------------------------------------------------------------------
    // The SDK is no endpoint: no spec lists its codes, so these refuse with plain numbers.

    /// A user enters a room (through the TRTC SDK, in the real service).
    pub fn enter_room(&mut self, room_id: &str, user: &str, now: i64) -> Result<(), Refusal> {
        self.sdk_room(room_id)?;
        if user.is_empty() {
            return Err(Refusal::new(INVALID_PARAMETER, "the user ID is empty"));
        }
        self.sdk_account(user)?;
        let room = self.sdk_room(room_id)?;
        if let Some((until, _)) = room.banned.get(user).filter(|(until, _)| *until > now) {
            return Err(Refusal::new(100006, format!("{user:?} is banned from the room until {until}")));
        }
        if room.is_member(user, now) {
            return Ok(());
        }
        let members = room.members(now).len();
        if room.details.max_member_count.is_some_and(|max| members >= max as usize) {
            return Err(Refusal::new(INVALID_PARAMETER, format!("the room is full ({members} members)")));
        }
        room.audience.insert(user.to_owned());
        room.stats.viewers += 1;
        room.details.view_count = Some(room.details.view_count.unwrap_or(0) + 1);
        self.members_changed(room_id, MemberCause::Enter, &[user.to_owned()]);
        Ok(())
    }

    /// A user leaves a room: off any seat and out of the member list.
    pub fn leave_room(&mut self, room_id: &str, user: &str) -> Result<(), Refusal> {
        let room = self.sdk_room(room_id)?;
        let seats = room.seats.clone();
        let left = room.remove_user(user);
        self.seats_changed(room_id, &seats);
        if left {
            self.members_changed(room_id, MemberCause::Leave, &[user.to_owned()]);
        }
        Ok(())
    }

    fn sdk_room(&mut self, id: &str) -> Result<&mut Room, Refusal> {
        self.rooms.get_mut(id).ok_or_else(|| Refusal::new(ROOM_NOT_FOUND, no_room(id)))
    }
}

/// The seat count a template name states (`VideoDynamicGrid9Seats` → 9).
fn seats_of_template(template: &str) -> Option<u32> {
    let head = template.strip_suffix("Seats")?;
    let digits = head.len() - head.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    head[head.len() - digits..].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seat_counts_come_from_template_names() {
        assert_eq!(seats_of_template("VideoDynamicGrid9Seats"), Some(9));
        assert_eq!(seats_of_template("VideoLandscape4Seats"), Some(4));
        assert_eq!(seats_of_template("AudioSalon"), None);
        assert_eq!(seats_of_template("Seats"), None);
    }
}
