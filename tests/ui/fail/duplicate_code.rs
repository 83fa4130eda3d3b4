// The same error code documented twice for one endpoint.
live_api_macros::generate!("../specs/duplicate_code");

fn main() {}
