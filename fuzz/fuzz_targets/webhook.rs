//! Fuzz target `webhook`: see `live_api_fuzz::webhook`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| live_api_fuzz::webhook(data));
