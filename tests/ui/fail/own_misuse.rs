// A user's spec folder that takes live-api's names (the type `CreateRoom`, the method
// `create_room` of `live_api::Client`) and misspells a shared type: located spec errors.
live_api::generate!("../specs/own_misuse");

fn main() {}
