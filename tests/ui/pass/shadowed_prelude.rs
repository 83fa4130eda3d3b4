// The generated code means the same in a module that shadows the prelude names it could use
// (types, variants, traits, derive macros and macros), and in one without the prelude at all:
// every path of the expansion goes through `__lv` (`::live_api::__private`) or starts with `::`.

#[allow(dead_code, unused_imports, unused_macros)]
mod shadowed {
    struct Some;
    struct None;
    enum Result {}
    struct Ok;
    struct Err;
    struct Option;
    struct String;
    struct Vec;
    struct Into;
    struct From;
    struct Box;
    trait Send {}
    trait Sync {}
    trait Sized {}
    trait Future {}
    // Traits and derive macros of std's names (serde's, which derive something else).
    use ::serde::Deserialize as Copy;
    use ::serde::Deserialize as Default;
    use ::serde::Deserialize as Eq;
    use ::serde::Deserialize as Hash;
    use ::serde::Serialize as Clone;
    use ::serde::Serialize as Debug;
    use ::serde::Serialize as PartialEq;
    // Macros of std's names.
    macro_rules! include_bytes { ($($t:tt)*) => { compile_error!("the module's own include_bytes!") } }
    macro_rules! unreachable { ($($t:tt)*) => { compile_error!("the module's own unreachable!") } }

    live_api_macros::generate!("../../fixtures/small", server);

    pub(crate) fn check() {
        let _ = DoThing::new("r", Mode::Grid).color(Color::Red);
        let _ = <DoThingCode as live_api::ErrorCode>::from_code(60010);
    }
}

#[allow(dead_code)]
#[no_implicit_prelude]
mod without_prelude {
    ::live_api::generate!("../specs/own_endpoint", server);

    pub(crate) fn check() {
        let _ = ::live_api::ErrorCode::code(&CloneRoomCode::RoomNotFound);
    }
}

fn main() {
    shadowed::check();
    without_prelude::check();
}
