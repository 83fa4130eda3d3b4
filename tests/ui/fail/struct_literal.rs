// Requests cannot be built field by field, so `new` (with every required field) is the only way.
use live_api::ResumeMcuTask;

fn main() {
    let _ = ResumeMcuTask { room_id: "live-1".into() };
}
