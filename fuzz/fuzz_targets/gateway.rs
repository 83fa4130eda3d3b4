//! Fuzz target `gateway`: see `live_api_fuzz::gateway`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| live_api_fuzz::gateway(data));
