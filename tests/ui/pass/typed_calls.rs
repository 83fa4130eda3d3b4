// The generated API as a user writes it (no network: the calls are built, not awaited).
use live_api::{
    Client, CreateRoom, Error, ErrorCode, GetRoomInfo, LayoutMode, Region, ResumeMcuTask, ResumeMcuTaskCode,
    RetryClass, RoomInfo, RoomType, SetMixStream, TakeSeatMode,
};

fn handle(e: &Error<ResumeMcuTaskCode>) -> bool {
    match e.code() {
        Some(ResumeMcuTaskCode::MixTaskNotFound) => true,
        Some(code) => code.retry_class() != RetryClass::Permanent,
        None => false,
    }
}

fn main() {
    let client = Client::builder().sdk_app_id(1400000000).user_sig("t").region(Region::China).build().unwrap();
    let room = RoomInfo::new("live-42", RoomType::Live).room_name("Friday show").take_seat_mode(TakeSeatMode::ApplyToTake);
    let _create = client.create_room(CreateRoom::new(room));
    let _mix = client.set_mix_stream(SetMixStream::new("live-42", LayoutMode::Grid));
    let _info = client.get_room_info(GetRoomInfo::new(String::from("live-42")));
    let _resume = client.resume_mcu_task(ResumeMcuTask::new("live-42"));
    let _ = handle;
}
