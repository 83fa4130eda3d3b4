// A type reference that names no type, with a did-you-mean.
live_api_macros::generate!("../specs/unknown_type");

fn main() {}
