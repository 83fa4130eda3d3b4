// A user's crate generates an endpoint of its own on top of live-api's specs: its request holds
// live-api's `RoomInfo`, its answer live-api's `RoomDetails`, its codes live-api's `rest` table
// (wrapped, `RestCode`) and `live_common` (flattened); the method is on `live_api::Client`
// through the generated extension trait.
use live_api::{Client, Region, RestCode, RoomDetails, RoomInfo, RoomType};

live_api::generate!("../specs/own_endpoint");

fn main() {
    let client = Client::builder().sdk_app_id(1400000000).user_sig("t").region(Region::China).build().unwrap();
    let request = CloneRoom::new("live-1", RoomInfo::new("live-2", RoomType::Live).room_name("copy"));
    let _call = client.clone_room(request);
    let _: fn(CloneRoomResponse) -> Option<RoomDetails> = |r| r.room_info;
    let _ = [CloneRoomCode::RoomNotFound, CloneRoomCode::Rest(RestCode::CallRateExceeded)];
}
