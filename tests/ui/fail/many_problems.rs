// Every problem of the whole folder is reported in one build.
live_api_macros::generate!("../specs/many_problems");

fn main() {}
