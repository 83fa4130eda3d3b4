// The golden fixture's generated code compiles in a crate of its own.
struct Client(live_api::Client);

impl std::ops::Deref for Client {
    type Target = live_api::Client;
    fn deref(&self) -> &live_api::Client {
        &self.0
    }
}

live_api_macros::generate!("../../fixtures/small");

fn main() {
    let _ = DoThing::new("r", Mode::Grid).color(Color::Red);
    let _ = <DoThingCode as live_api::ErrorCode>::from_code(60010);
}
