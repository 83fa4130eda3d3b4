// A failure written once for several endpoints, as the emulator's helpers are, is bounded by the
// codes it answers: an endpoint whose spec does not list the code cannot answer it.
use live_api::Documents;
use live_api::server::Failure;

struct Client(live_api::Client);

impl std::ops::Deref for Client {
    type Target = live_api::Client;
    fn deref(&self) -> &live_api::Client {
        &self.0
    }
}

live_api_macros::generate!("../../fixtures/small");

fn room_not_found<C: Documents<100004>>(id: &str) -> Failure<C> {
    Failure::documented::<100004>(format!("room {id:?} does not exist"))
}

// do_thing documents 100004.
fn do_thing(r: DoThing) -> Result<DoThingResponse, Failure<DoThingCode>> {
    Err(room_not_found(&r.room_id))
}

// ping documents no code.
fn ping(_: Ping) -> Result<PingResponse, Failure<PingCode>> {
    Err(room_not_found("r"))
}

fn main() {
    let _ = (do_thing, ping);
}
