//! Seats (lock, pick, kick, move, switch) and stream mixing (layout and resume).

use crate::server::Failure;
use crate::*;

use super::state::{AppState, INVALID_PARAMETER, Outcome, ROOM_NOT_FOUND, Room, invalid, known_int};

/// `SeatsNotSupported`: the room has no seats (`lock_seat`, and `pick_user_on_seat` through
/// `seat_errors`).
const SEATS_NOT_SUPPORTED: i64 = 100211;
/// `MixingNotSupported` (`mixing`).
const MIXING_NOT_SUPPORTED: i64 = 100006;
/// `HostInfoUnavailable` (`mixing`).
const HOST_INFO_UNAVAILABLE: i64 = 100428;

impl Room {
    /// 100211 unless the room has seats.
    fn require_seats<C: Documents<SEATS_NOT_SUPPORTED>>(&self, room_id: &str) -> Result<(), Failure<C>> {
        if self.has_seats() {
            Ok(())
        } else {
            Err(Failure::documented::<SEATS_NOT_SUPPORTED>(format!("room {room_id:?} has no seats")))
        }
    }

    /// The seat at `index`, or 100002 naming `field`.
    fn seat_index<C: Documents<INVALID_PARAMETER>>(&self, index: u32, field: &str) -> Result<usize, Failure<C>> {
        let i = index as usize;
        if i < self.seats.len() {
            Ok(i)
        } else {
            Err(invalid(format!("{field} is {index}; the room has seats 0 to {}", self.seats.len().saturating_sub(1))))
        }
    }

    /// Moves `user`, on seat `from`, to the free seat `to`.
    fn move_to(&mut self, user: &str, from: usize, to: usize) {
        self.seats[from].member = None;
        self.seats[to].member = Some(user.to_owned());
    }
}

impl AppState {
    pub fn get_seat_list(&self, r: GetSeatList) -> Outcome<GetSeatList> {
        let room = self.room(&r.room_id)?;
        let seats = room
            .seats
            .iter()
            .enumerate()
            .map(|(i, s)| Seat {
                index: Some(i as u32),
                member_account: s.member.clone(),
                is_taken_disabled: Some(s.taken_disabled),
                is_video_disabled: Some(s.video_disabled),
                is_audio_disabled: Some(s.audio_disabled),
            })
            .collect();
        Ok(GetSeatListResponse { seat_list: Some(seats) })
    }

    pub fn lock_seat(&mut self, r: LockSeat) -> Outcome<LockSeat> {
        let room = self.room_mut(&r.room_id)?;
        room.require_seats(&r.room_id)?;
        let i = room.seat_index(r.index, "Index")?;
        let before = room.seats.clone();
        let seat = &mut room.seats[i];
        if let Some(taken) = r.forbid_taken {
            seat.taken_disabled = taken;
            if taken {
                // Locking a seat takes its user off first.
                seat.member = None;
            }
        }
        if let Some(video) = r.forbid_video {
            seat.video_disabled = video;
        }
        if let Some(audio) = r.forbid_audio {
            seat.audio_disabled = audio;
        }
        self.seats_changed(&r.room_id, &before);
        Ok(LockSeatResponse {})
    }

    pub fn pick_user_on_seat(&mut self, r: PickUserOnSeat, now: i64) -> Outcome<PickUserOnSeat> {
        let room = self.room_mut(&r.room_id)?;
        let user = r.member_account.as_str();
        room.require_seats(&r.room_id)?;
        let i = room.seat_index(r.index, "Index")?;
        type Code = PickUserOnSeatCode;
        if !room.is_member(user, now) {
            return Err(Failure::new(Code::NotRoomMember, format!("{user:?} is not in room {:?}", r.room_id)));
        }
        if let Some(at) = room.seat_of(user) {
            return Err(Failure::new(Code::AlreadyOnSeat, format!("{user:?} is already on seat {at}")));
        }
        if room.seats.iter().all(|s| s.member.is_some() || s.taken_disabled) {
            return Err(Failure::new(Code::SeatsFull, "every seat of the room is taken"));
        }
        let seat = &room.seats[i];
        if seat.taken_disabled {
            return Err(Failure::new(Code::SeatLocked, format!("seat {i} is locked; try another seat")));
        }
        if let Some(other) = &seat.member {
            return Err(Failure::new(Code::SeatOccupied, format!("{other:?} already sits on seat {i}")));
        }
        let before = room.seats.clone();
        room.seats[i].member = Some(user.to_owned());
        self.seats_changed(&r.room_id, &before);
        Ok(PickUserOnSeatResponse {})
    }

    pub fn kick_user_off_seat(&mut self, r: KickUserOffSeat) -> Outcome<KickUserOffSeat> {
        let room = self.room_mut(&r.room_id)?;
        // Kicking a user who is on no seat changes nothing, and is not an error.
        let before = room.seats.clone();
        if let Some(i) = room.seat_of(&r.member_account) {
            room.seats[i].member = None;
        }
        self.seats_changed(&r.room_id, &before);
        Ok(KickUserOffSeatResponse {})
    }

    pub fn move_user_to_seat(&mut self, r: MoveUserToSeat) -> Outcome<MoveUserToSeat> {
        known_int(&r.policy, "Policy")?;
        self.move_seat(&r.room_id, &r.member_account, r.seat_index, "SeatIndex", &r.policy)?;
        Ok(MoveUserToSeatResponse {})
    }

    pub fn switch_seat(&mut self, r: SwitchSeat) -> Outcome<SwitchSeat> {
        self.move_seat(&r.room_id, &r.member_account, r.to_index, "ToIndex", &MovePolicy::Cancel)?;
        Ok(SwitchSeatResponse {})
    }

    fn move_seat<C>(
        &mut self,
        room_id: &str,
        user: &str,
        to: u32,
        field: &str,
        policy: &MovePolicy,
    ) -> Result<(), Failure<C>>
    where
        C: Documents<ROOM_NOT_FOUND> + Documents<INVALID_PARAMETER>,
    {
        let room = self.room_mut(room_id)?;
        if !room.has_seats() {
            return Err(invalid(format!("room {room_id:?} has no seats")));
        }
        let to = room.seat_index(to, field)?;
        let Some(from) = room.seat_of(user) else {
            return Err(invalid(format!("{user:?} is not on a seat (pick_user_on_seat puts users on seats)")));
        };
        if from == to {
            return Ok(());
        }
        if room.seats[to].taken_disabled {
            return Err(invalid(format!("seat {to} is locked")));
        }
        let before = room.seats.clone();
        match (room.seats[to].member.clone(), policy) {
            (None, _) => room.move_to(user, from, to),
            (Some(other), MovePolicy::Swap) => {
                room.move_to(user, from, to);
                room.seats[from].member = Some(other);
            }
            (Some(_), MovePolicy::Force) => room.move_to(user, from, to),
            (Some(other), _) => {
                return Err(invalid(format!("{other:?} sits on seat {to}; use the Force or Swap policy")));
            }
        }
        self.seats_changed(room_id, &before);
        Ok(())
    }

    // --- stream mixing -------------------------------------------------------------------------

    /// The room, if it may mix streams (100006 otherwise).
    fn mixing_room<C>(&mut self, room_id: &str) -> Result<&mut Room, Failure<C>>
    where
        C: Documents<ROOM_NOT_FOUND> + Documents<MIXING_NOT_SUPPORTED>,
    {
        let room = self.room_mut(room_id)?;
        if !room.unlimited || !room.has_seats() {
            return Err(Failure::documented::<MIXING_NOT_SUPPORTED>(format!(
                "room {room_id:?} cannot mix streams: it needs seats and IsUnlimitedRoomEnabled at creation"
            )));
        }
        Ok(room)
    }

    /// 100428 unless every host of the layout sits on a seat (of its own room, or of the room
    /// its layout item names).
    fn check_hosts<C: Documents<HOST_INFO_UNAVAILABLE>>(
        &self,
        room_id: &str,
        layout: Option<&LayoutInfo>,
    ) -> Result<(), Failure<C>> {
        let items = layout.into_iter().flat_map(|l| l.layout_list.iter().flatten().chain(&l.max_user_layout));
        for item in items {
            let Some(host) = item.member_account.as_deref().filter(|h| !h.is_empty()) else { continue };
            let room = item.room_id.as_deref().unwrap_or(room_id);
            if self.rooms.get(room).and_then(|r| r.seat_of(host)).is_none() {
                let msg = format!("cannot pull the stream of {host:?}: not on a seat of room {room:?}");
                return Err(Failure::documented::<HOST_INFO_UNAVAILABLE>(msg));
            }
        }
        Ok(())
    }

    pub fn set_mix_stream(&mut self, r: SetMixStream) -> Outcome<SetMixStream> {
        self.mixing_room(&r.room_id)?;
        if let LayoutMode::Unknown(v) = &r.layout_mode {
            let msg = format!("LayoutMode {v} is not a mixing mode (0 grid, 1000 custom)");
            return Err(Failure::new(SetMixStreamCode::InvalidMixMode, msg));
        }
        let list_len = r.layout_info.as_ref().and_then(|l| l.layout_list.as_ref()).map_or(0, Vec::len);
        if r.layout_mode == LayoutMode::Custom && list_len == 0 {
            return Err(invalid("LayoutMode 1000 (custom) needs LayoutInfo.LayoutList"));
        }
        self.check_hosts(&r.room_id, r.layout_info.as_ref())?;
        let room = self.mixing_room(&r.room_id)?;
        room.mix = Some(r);
        Ok(SetMixStreamResponse {})
    }

    pub fn resume_mcu_task(&mut self, r: ResumeMcuTask) -> Outcome<ResumeMcuTask> {
        let Some(task) = self.mixing_room(&r.room_id)?.mix.clone() else {
            let msg = format!("room {:?} has no mix task; set a layout first", r.room_id);
            return Err(Failure::new(ResumeMcuTaskCode::MixTaskNotFound, msg));
        };
        self.check_hosts(&r.room_id, task.layout_info.as_ref())?;
        Ok(ResumeMcuTaskResponse {})
    }
}
