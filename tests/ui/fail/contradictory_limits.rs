// Limits that no value can meet.
live_api_macros::generate!("../specs/contradictory_limits");

fn main() {}
