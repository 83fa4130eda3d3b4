//! Property tests: arbitrary bytes never make the decoders panic, and request validation accepts
//! exactly the values the documented limits allow.

use live_api::__private::hooks;
use live_api::{CreateRoom, GetRoomInfo, ResumeMcuTask, RoomInfo, RoomType, SetMixStream};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn decoding_arbitrary_bytes_never_panics(body in proptest::collection::vec(any::<u8>(), 0..512), status in 100u16..600) {
        let _ = hooks::decode::<GetRoomInfo>(status, Some("application/json"), &body);
        let _ = hooks::decode::<SetMixStream>(200, None, &body);
    }

    #[test]
    fn decoding_mutated_envelopes_never_panics(
        cut in 0usize..200,
        flips in proptest::collection::vec((0usize..200, any::<u8>()), 0..4),
    ) {
        let mut body = br#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RequestId":"Id","Response":{"RoomInfo":{"RoomId":"r","Owner_Account":12,"TakeSeatMode":1,"Category":[1,2]}}}"#.to_vec();
        for (at, b) in flips {
            let i = at % body.len();
            body[i] = b;
        }
        body.truncate(cut.min(body.len()));
        let _ = hooks::decode::<GetRoomInfo>(200, Some("application/json"), &body);
    }

    #[test]
    fn room_id_is_valid_exactly_up_to_48_bytes(id in "\\PC{0,40}") {
        let violations = live_api::validate::check(&ResumeMcuTask::new(id.clone()));
        prop_assert_eq!(violations.is_empty(), id.len() <= 48, "{} bytes: {:?}", id.len(), violations);
    }

    #[test]
    fn room_info_limits_hold_for_any_values(
        id in "\\PC{0,30}",
        name in proptest::option::of("\\PC{0,60}"),
        cover in proptest::option::of("[a-z:/.]{0,220}"),
        category in proptest::option::of(proptest::collection::vec(any::<u32>(), 0..6)),
    ) {
        let mut info = RoomInfo::new(id.clone(), RoomType::Live);
        if let Some(n) = &name { info = info.room_name(n.clone()); }
        if let Some(c) = &cover { info = info.cover_url(c.clone()); }
        if let Some(c) = &category { info = info.category(c.clone()); }
        let valid = (1..=48).contains(&id.len())
            && name.as_ref().is_none_or(|n| n.len() <= 100)
            && cover.as_ref().is_none_or(|c| c.len() <= 200)
            && category.as_ref().is_none_or(|c| c.len() <= 3);
        let violations = live_api::validate::check(&CreateRoom::new(info));
        prop_assert_eq!(violations.is_empty(), valid, "{:?}", violations);
    }
}
