//! Fuzz target `spec`: see `live_api_fuzz::spec`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| live_api_fuzz::spec(data));
