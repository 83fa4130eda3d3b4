//! Fuzz target `answer`: see `live_api_fuzz::answer`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| live_api_fuzz::answer(data));
