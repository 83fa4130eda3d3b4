// Malformed JSON is reported with the spec file, line and column.
live_api_macros::generate!("../specs/bad_json");

fn main() {}
