//! Battles (PK) between rooms: start one, read it, set its scores.

use crate::*;

use super::bodies::{self, AFTER_CREATE_BATTLE, AFTER_END_BATTLE, AFTER_START_BATTLE};
use super::state::{AppState, Outcome, invalid, known_int};

/// `Status` of a battle that is still running. The meanings of the values are not documented;
/// these two are the emulator's own.
pub const STATUS_RUNNING: u32 = 1;
/// `Status` of a battle whose `Duration` has passed.
pub const STATUS_ENDED: u32 = 2;

/// One battle.
#[derive(Debug, Clone)]
pub(super) struct Battle {
    pub id: String,
    pub duration_ms: u32,
    /// Unix seconds; battles start when they are created.
    pub start: i64,
    pub end: i64,
    /// The rooms, the starting one first, with their scores.
    pub rooms: Vec<(String, i64)>,
    /// Its end was reported (`Live.CallbackAfterEndBattle`).
    ended: bool,
}

impl Battle {
    fn running(&self, now: i64) -> bool {
        now < self.end
    }
    fn has(&self, room: &str) -> bool {
        self.rooms.iter().any(|(r, _)| r == room)
    }
}

impl AppState {
    /// The running battle `room` is in.
    fn battle_of(&self, room: &str, now: i64) -> Option<&Battle> {
        self.battles.values().find(|b| b.running(now) && b.has(room))
    }

    pub fn create_battle(&mut self, r: CreateBattle, now: i64) -> Outcome<CreateBattle> {
        self.room(&r.from_room_id)?;
        if r.to_room_id_list.is_empty() {
            return Err(invalid("ToRoomIdList is empty"));
        }
        if let Some(b) = self.battle_of(&r.from_room_id, now) {
            return Err(invalid(format!("room {:?} is already in battle {:?}", r.from_room_id, b.id)));
        }
        let mut rooms = vec![(r.from_room_id.clone(), 0)];
        let mut results = Vec::new();
        for to in r.to_room_id_list {
            let (code, message) = if !self.rooms.contains_key(&to) {
                (BattleInviteResult::SystemError, format!("room {to:?} does not exist"))
            } else if to == r.from_room_id || rooms.iter().any(|(x, _)| *x == to) {
                (BattleInviteResult::SystemError, format!("room {to:?} is already part of this battle"))
            } else if let Some(b) = self.battle_of(&to, now) {
                (BattleInviteResult::AlreadyInBattle, format!("room {to:?} is in battle {:?}", b.id))
            } else {
                rooms.push((to.clone(), 0));
                (BattleInviteResult::Ok, String::new())
            };
            results.push(BattleInvitation {
                room_id: Some(to),
                result_code: Some(code),
                result_message: Some(message),
            });
        }
        // No invited room could join: nothing starts.
        let battle_id = (rooms.len() > 1).then(|| {
            self.battle_seq += 1;
            let id = format!("battle-{}-{:08x}", self.battle_seq, fastrand::u32(..));
            let end = now + i64::from(r.duration.div_ceil(1000));
            let battle = Battle { id: id.clone(), duration_ms: r.duration, start: now, end, rooms, ended: false };
            let owner = |room: &str| self.rooms.get(room).map(|r| r.owner().to_owned());
            let extension = r.extension_info.as_deref();
            self.webhooks.after(AFTER_CREATE_BATTLE, |e| bodies::battle_created(&battle, extension, e));
            // Battles start at once: the emulator has no invitations to answer.
            self.webhooks.after(AFTER_START_BATTLE, |e| bodies::battle_started(&battle, &owner, e));
            self.webhooks.battle_ends.push((id.clone(), end));
            self.battles.insert(id.clone(), battle);
            id
        });
        Ok(CreateBattleResponse { battle_id, result: Some(results) })
    }

    /// Reports the end of the battles whose time is up (each once). Runs before every call, and
    /// at the end of each battle's time (see [`Emulator`](super::Emulator)'s timers), so that an
    /// ended battle is reported before any answer shows it ended. Then forgets the battles that
    /// ended and none of whose rooms exists any more: nothing can read them (get_battle_info by
    /// room needs a room, and their rooms are gone), and a server that creates and destroys rooms
    /// all day would otherwise keep every battle it ever had, and scan them all on every call.
    pub fn end_battles(&mut self, now: i64) {
        let rooms = &self.rooms;
        let owner = |room: &str| rooms.get(room).map(|r| r.owner().to_owned());
        for battle in self.battles.values_mut().filter(|b| !b.ended && !b.running(now)) {
            battle.ended = true;
            self.webhooks.after(AFTER_END_BATTLE, |e| bodies::battle_ended(battle, &owner, e));
        }
        self.battles.retain(|_, b| !b.ended || b.rooms.iter().any(|(room, _)| rooms.contains_key(room)));
    }

    pub fn get_battle_info(&self, r: GetBattleInfo, now: i64) -> Outcome<GetBattleInfo> {
        let battle = match (&r.battle_id, &r.room_id) {
            (Some(id), _) => self.battles.get(id).ok_or_else(|| invalid(format!("there is no battle {id:?}")))?,
            (None, Some(room)) => {
                self.room(room)?;
                self.battle_of(room, now).ok_or_else(|| invalid(format!("room {room:?} is in no running battle")))?
            }
            (None, None) => return Err(invalid("give BattleId, or RoomId to read the room's running battle")),
        };
        let owner = |room: &str| self.rooms.get(room).map(|r| r.owner().to_owned());
        let mut rooms = battle.rooms.iter().map(|(room, score)| BattleRoom {
            room_id: Some(room.clone()),
            score: Some(*score),
            owner_account: owner(room),
        });
        Ok(GetBattleInfoResponse {
            battle_id: Some(battle.id.clone()),
            duration: Some(battle.duration_ms),
            start_time: Some(battle.start),
            end_time: Some(battle.end),
            status: Some(if battle.running(now) { STATUS_RUNNING } else { STATUS_ENDED }),
            from_room_info: rooms.next(),
            to_room_list: Some(rooms.collect()),
        })
    }

    pub fn set_battle_score(&mut self, r: SetBattleScore) -> Outcome<SetBattleScore> {
        known_int(&r.op_type, "OpType")?;
        let battle = self
            .battles
            .get_mut(&r.battle_id)
            .ok_or_else(|| invalid(format!("there is no battle {:?}", r.battle_id)))?;
        let mut results = Vec::new();
        for entry in r.score_list {
            let code = match battle.rooms.iter_mut().find(|(room, _)| *room == entry.room_id) {
                Some((_, score)) => {
                    match r.op_type {
                        ScoreOpType::Accumulate => *score = score.saturating_add(entry.score),
                        _ => *score = entry.score,
                    }
                    ScoreResultCode::Ok
                }
                None => ScoreResultCode::RoomNotFound,
            };
            results.push(ScoreResult { room_id: Some(entry.room_id), result_code: Some(code) });
        }
        Ok(SetBattleScoreResponse { result: Some(results) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::accounts::Accounts;

    fn app() -> AppState {
        let admin = "administrator".to_owned();
        AppState { accounts: Accounts::new([&admin], false, None), ..AppState::default() }
    }

    fn room(app: &mut AppState, id: &str) {
        app.create_room(CreateRoom::new(RoomInfo::new(id, RoomType::Live)), "administrator", 0).unwrap();
    }

    #[test]
    fn ended_battles_are_forgotten_once_their_rooms_are_destroyed() {
        let mut app = app();
        for round in 0..50 {
            let (a, b) = (format!("a-{round}"), format!("b-{round}"));
            room(&mut app, &a);
            room(&mut app, &b);
            let now = i64::from(round) * 10;
            let created = app.create_battle(CreateBattle::new(a.clone(), vec![b.clone()], 1000), now).unwrap();
            assert!(created.battle_id.is_some());
            app.destroy_room(DestroyRoom::new(a)).unwrap();
            app.destroy_room(DestroyRoom::new(b)).unwrap();
            // The battle ends with its time (the rooms are gone): then nothing holds it.
            app.end_battles(now + 2);
        }
        assert_eq!((app.rooms.len(), app.battles.len()), (0, 0), "destroyed rooms leave no battle behind");
    }

    #[test]
    fn ended_battles_stay_readable_while_a_room_of_theirs_exists() {
        let mut app = app();
        room(&mut app, "a");
        room(&mut app, "b");
        let id = app.create_battle(CreateBattle::new("a", vec!["b".to_owned()], 1000), 0).unwrap().battle_id.unwrap();
        app.destroy_room(DestroyRoom::new("a")).unwrap();
        app.end_battles(5);
        let info = app.get_battle_info(GetBattleInfo::new().battle_id(id.clone()), 5).unwrap();
        assert_eq!(info.status, Some(STATUS_ENDED));
        app.destroy_room(DestroyRoom::new("b")).unwrap();
        app.end_battles(6);
        assert!(app.battles.is_empty(), "the last room of an ended battle is gone: {:?}", app.battles.keys());
        assert!(app.get_battle_info(GetBattleInfo::new().battle_id(id), 6).is_err());
    }
}
