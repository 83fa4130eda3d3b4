//! Fuzz target `usersig`: see `live_api_fuzz::usersig`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| live_api_fuzz::usersig(data));
