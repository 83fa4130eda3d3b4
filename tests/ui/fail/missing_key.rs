// Required keys that are missing: the endpoint's title and a field's wire name.
live_api_macros::generate!("../specs/missing_key");

fn main() {}
