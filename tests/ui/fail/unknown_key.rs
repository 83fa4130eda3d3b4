// A misspelt key, with a did-you-mean.
live_api_macros::generate!("../specs/unknown_key");

fn main() {}
