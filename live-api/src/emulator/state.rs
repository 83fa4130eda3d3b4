//! The emulator's data: one [`AppState`] per SDKAppID, with its rooms, gift configuration and
//! battles, and the helpers every endpoint family uses.

use std::collections::{BTreeMap, BTreeSet};

use crate::server::Refusal;
use crate::wire_enum::{IntEnum, StrEnum};
use crate::{RoomDetails, SetMixStream};

use super::battles::Battle;
use super::gifts::Gifts;

/// Invalid request parameters.
pub(super) const INVALID_PARAMETER: i64 = 100002;
/// The room does not exist.
pub(super) const ROOM_NOT_FOUND: i64 = 100004;

/// Everything one application (SDKAppID) has.
#[derive(Debug, Default)]
pub(super) struct AppState {
    pub rooms: BTreeMap<String, Room>,
    pub gifts: Gifts,
    pub battles: BTreeMap<String, Battle>,
    pub battle_seq: u64,
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
#[derive(Debug, Clone, Default)]
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
    /// Takes `user` off any seat and out of the audience.
    pub fn remove_user(&mut self, user: &str) {
        for s in &mut self.seats {
            if s.member.as_deref() == Some(user) {
                s.member = None;
            }
        }
        self.audience.remove(user);
    }
    pub fn has_seats(&self) -> bool {
        self.details.is_seat_enabled == Some(true)
    }
}

impl AppState {
    pub fn room(&self, id: &str) -> Result<&Room, Refusal> {
        self.rooms.get(id).ok_or_else(|| room_not_found(id))
    }
    pub fn room_mut(&mut self, id: &str) -> Result<&mut Room, Refusal> {
        self.rooms.get_mut(id).ok_or_else(|| room_not_found(id))
    }
}

pub(super) fn room_not_found(id: &str) -> Refusal {
    Refusal::new(ROOM_NOT_FOUND, format!("room {id:?} does not exist (it was never created or was destroyed)"))
}

pub(super) fn invalid(message: impl Into<String>) -> Refusal {
    Refusal::new(INVALID_PARAMETER, message)
}

/// The wire value of a documented string-enum value; 100002 naming `field` for a value the spec
/// does not list (requests decode undocumented values into `Unknown` rather than failing).
pub(super) fn known<T: StrEnum>(value: &T, field: &str) -> Result<&'static str, Refusal> {
    match value.index() {
        Ok(i) => Ok(T::VALUES[i]),
        Err(v) => Err(invalid(format!("{field} is {v}; the API allows only {}", T::VALUES.join(", ")))),
    }
}

/// [`known`] for integer enums.
pub(super) fn known_int<T: IntEnum>(value: &T, field: &str) -> Result<i64, Refusal> {
    match value.index() {
        Ok(i) => Ok(T::VALUES[i]),
        Err(v) => {
            let allowed: Vec<String> = T::VALUES.iter().map(i64::to_string).collect();
            Err(invalid(format!("{field} is {v}; the API allows only {}", allowed.join(", "))))
        }
    }
}

/// An offset cursor (`Next`) this server handed out: `""` is the start.
pub(super) fn parse_cursor(next: &str) -> Result<usize, Refusal> {
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
