// Field values have the documented types.
use live_api::{RoomInfo, RoomType, ResumeMcuTask};

fn main() {
    let _ = ResumeMcuTask::new(42);
    let _ = RoomInfo::new("live-1", RoomType::Live).max_seat_count("8");
    let _ = RoomInfo::new("live-1", "Live");
}
