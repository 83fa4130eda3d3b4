//! perf/user-build.sh, side "live-api": three calls as a user writes them with `live-api = "0.1"`
//! (README, "Using it"). The client signs the UserSig from the secret key itself.

use live_api::{Client, CreateRoom, DestroyRoom, GetRoomInfo, Region, RoomInfo, RoomType};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .sdk_app_id(1400000000)
        .admin("administrator")
        .secret_key(std::env::var("LIVE_SECRET_KEY")?)
        .region(Region::Singapore)
        .build()?;
    let name = "Friday show 0"; // perf/user-build.sh edits this line for the incremental build

    client.create_room(CreateRoom::new(RoomInfo::new("live-42", RoomType::Live).room_name(name))).await?;
    let info = client.get_room_info(GetRoomInfo::new("live-42")).await?;
    if let Some(room) = info.room_info {
        println!("{}: {}", room.room_id.unwrap_or_default(), room.room_name.unwrap_or_default());
    }
    let closed = client.destroy_room(DestroyRoom::new("live-42")).await?;
    println!("viewers: {}", closed.statistic.and_then(|s| s.total_viewers).unwrap_or_default());
    Ok(())
}
