// An unknown enum value can be received, never made up and sent.
use live_api::{TakeSeatMode, UnknownValue};

fn main() {
    let _ = TakeSeatMode::Unknown(UnknownValue(String::from("Sometimes")));
}
