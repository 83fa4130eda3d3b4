// A required field cannot be left out: it is an argument of the constructor.
use live_api::ResumeMcuTask;

fn main() {
    let _ = ResumeMcuTask::new();
}
