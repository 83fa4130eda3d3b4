//! The emulator's data: one [`AppState`] per SDKAppID, with its rooms, gift configuration and
//! battles, and the helpers every endpoint family uses.
//!
//! Each endpoint's function answers [`Outcome`], its response or a [`Failure`] with one of its
//! code enum's variants. A helper shared by several endpoints is generic over their code enums and
//! bounded by the codes it answers (`C: Documents<ROOM_NOT_FOUND>`), so that only the endpoints
//! whose specs document those codes can call it: the compiler rejects any other.

use std::collections::{BTreeMap, BTreeSet};

use crate::server::Failure;
use crate::wire_enum::{IntEnum, StrEnum};
use crate::{Documents, Endpoint, RoomDetails, SetMixStream};

use super::accounts::Accounts;
use super::battles::Battle;
use super::bodies::{self, AFTER_MEMBER_STATE_CHANGED, AFTER_SEAT_INFO_CHANGED, MemberCause};
use super::gifts::Gifts;
use super::webhooks::Webhooks;

/// `InvalidParameter`, documented by every endpoint (in `live_common` or `gift_config`).
pub(super) const INVALID_PARAMETER: i64 = 100002;
/// `RoomNotFound` (`live_common`).
pub(super) const ROOM_NOT_FOUND: i64 = 100004;

/// What the function of endpoint `E` answers: its response, or a failure with one of its codes.
pub(super) type Outcome<E> = Result<<E as Endpoint>::Response, Failure<<E as Endpoint>::Code>>;

/// Everything one application (SDKAppID) has.
#[derive(Debug, Default)]
pub(super) struct AppState {
    pub rooms: BTreeMap<String, Room>,
    pub gifts: Gifts,
    pub battles: BTreeMap<String, Battle>,
    pub battle_seq: u64,
    /// The webhook configuration and the callbacks of the call being run.
    pub webhooks: Webhooks,
    /// The Chat accounts and their profiles.
    pub accounts: Accounts,
}

/// One live room.
#[derive(Debug)]
pub(super) struct Room {
    /// What get_room_info answers (ViewCount kept up to date).
    pub details: RoomDetails,
    /// Created with IsUnlimitedRoomEnabled: stream mixing is available.
    pub unlimited: bool,
    pub admins: Vec<String>,
    /// Users who entered through the SDK (simulated with [`Emulator::enter_room`](super::Emulator::enter_room)).
    pub audience: BTreeSet<String>,
    pub robots: Vec<String>,
    /// Account → (end of the ban in Unix seconds, reason).
    pub banned: BTreeMap<String, (i64, Option<String>)>,
    /// Account → end of the mute in Unix seconds.
    pub muted: BTreeMap<String, i64>,
    pub seats: Vec<SeatState>,
    pub metadata: BTreeMap<String, String>,
    /// The mix task: the last layout set_mix_stream accepted.
    pub mix: Option<SetMixStream>,
    pub stats: Stats,
    /// Gifts received, per receiver.
    pub received: BTreeMap<String, Tally>,
    pub msg_seq: u64,
}

/// One seat.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct SeatState {
    pub member: Option<String>,
    pub taken_disabled: bool,
    pub video_disabled: bool,
    pub audio_disabled: bool,
}

/// Running totals of a room.
#[derive(Debug, Default)]
pub(super) struct Stats {
    pub viewers: u64,
    pub gifts_sent: u64,
    pub gift_coins: u64,
    pub gift_senders: BTreeSet<String>,
    pub likes: u64,
    pub messages: u64,
}

/// Gifts one user received in a room.
#[derive(Debug, Default)]
pub(super) struct Tally {
    pub sequence: u64,
    pub count: u64,
    pub coins: u64,
    pub senders: BTreeSet<String>,
}

impl Room {
    pub fn owner(&self) -> &str {
        self.details.owner_account.as_deref().unwrap_or_default()
    }
    pub fn is_banned(&self, user: &str, now: i64) -> bool {
        self.banned.get(user).is_some_and(|(until, _)| *until > now)
    }
    /// Who is in the room: the owner, the robots and the users who entered, minus banned users.
    pub fn members(&self, now: i64) -> BTreeSet<String> {
        let mut m: BTreeSet<String> = self.audience.iter().chain(&self.robots).cloned().collect();
        if !self.owner().is_empty() {
            m.insert(self.owner().to_owned());
        }
        m.retain(|u| !self.is_banned(u, now));
        m
    }
    pub fn is_member(&self, user: &str, now: i64) -> bool {
        !self.is_banned(user, now)
            && (user == self.owner() || self.audience.contains(user) || self.robots.iter().any(|r| r == user))
    }
    /// The index of the seat `user` sits on.
    pub fn seat_of(&self, user: &str) -> Option<usize> {
        self.seats.iter().position(|s| s.member.as_deref() == Some(user))
    }
    /// Takes `user` off any seat and out of the audience; whether they were in the audience.
    pub fn remove_user(&mut self, user: &str) -> bool {
        for s in &mut self.seats {
            if s.member.as_deref() == Some(user) {
                s.member = None;
            }
        }
        self.audience.remove(user)
    }
    pub fn has_seats(&self) -> bool {
        self.details.is_seat_enabled == Some(true)
    }
}

impl AppState {
    pub fn room<C: Documents<ROOM_NOT_FOUND>>(&self, id: &str) -> Result<&Room, Failure<C>> {
        self.rooms.get(id).ok_or_else(|| room_not_found(id))
    }
    pub fn room_mut<C: Documents<ROOM_NOT_FOUND>>(&mut self, id: &str) -> Result<&mut Room, Failure<C>> {
        self.rooms.get_mut(id).ok_or_else(|| room_not_found(id))
    }

    /// Reports the seats of `room_id` that differ from `before`, its seats before the call
    /// changed them (`Mic.CallbackAfterSeatInfoChanged`).
    pub fn seats_changed(&mut self, room_id: &str, before: &[SeatState]) {
        let Some(room) = self.rooms.get(room_id) else { return };
        let changed: Vec<usize> =
            room.seats.iter().zip(before).enumerate().filter(|(_, (now, was))| now != was).map(|(i, _)| i).collect();
        if !changed.is_empty() {
            self.webhooks.after(AFTER_SEAT_INFO_CHANGED, |e| bodies::seats_changed(room_id, room, &changed, e));
        }
    }

    /// Reports members who entered or left `room_id` (`Live.CallbackAfterMemberStateChanged`).
    pub fn members_changed(&mut self, room_id: &str, cause: MemberCause, members: &[String]) {
        if !members.is_empty() {
            self.webhooks.after(AFTER_MEMBER_STATE_CHANGED, |e| bodies::members_changed(room_id, cause, members, e));
        }
    }
}

pub(super) fn room_not_found<C: Documents<ROOM_NOT_FOUND>>(id: &str) -> Failure<C> {
    Failure::documented::<ROOM_NOT_FOUND>(no_room(id))
}

/// The `ErrorInfo` of a room that does not exist.
pub(super) fn no_room(id: &str) -> String {
    format!("room {id:?} does not exist (it was never created or was destroyed)")
}

pub(super) fn invalid<C: Documents<INVALID_PARAMETER>>(message: impl Into<String>) -> Failure<C> {
    Failure::documented::<INVALID_PARAMETER>(message)
}

/// The wire value of a documented string-enum value; 100002 naming `field` for a value the spec
/// does not list (requests decode undocumented values into `Unknown` rather than failing).
pub(super) fn known<T: StrEnum, C: Documents<INVALID_PARAMETER>>(
    value: &T,
    field: &str,
) -> Result<&'static str, Failure<C>> {
    match value.index() {
        Ok(i) => Ok(T::VALUES[i]),
        Err(v) => Err(invalid(format!("{field} is {v}; the API allows only {}", T::VALUES.join(", ")))),
    }
}

/// [`known`] for integer enums.
pub(super) fn known_int<T: IntEnum, C: Documents<INVALID_PARAMETER>>(
    value: &T,
    field: &str,
) -> Result<i64, Failure<C>> {
    match value.index() {
        Ok(i) => Ok(T::VALUES[i]),
        Err(v) => {
            let allowed: Vec<String> = T::VALUES.iter().map(i64::to_string).collect();
            Err(invalid(format!("{field} is {v}; the API allows only {}", allowed.join(", "))))
        }
    }
}

/// An offset cursor (`Next`) this server handed out: `""` is the start.
pub(super) fn parse_cursor<C: Documents<INVALID_PARAMETER>>(next: &str) -> Result<usize, Failure<C>> {
    if next.is_empty() {
        return Ok(0);
    }
    next.parse::<usize>().map_err(|_| invalid(format!("Next {next:?} is not a cursor this server handed out")))
}

/// One page of `items` from `offset`: the items and the cursor of the next page (`""` at the end).
pub(super) fn page<T: Clone>(items: &[T], offset: usize, size: usize) -> (Vec<T>, String) {
    let end = offset.saturating_add(size).min(items.len());
    let page = items.get(offset.min(items.len())..end).unwrap_or_default().to_vec();
    let next = if end < items.len() { end.to_string() } else { String::new() };
    (page, next)
}
