//! Compile-fail cases: bad specs fail with messages that point into the spec file, and misuse
//! of the generated types does not compile. Pass cases: the generated API as users write it.
//! Refresh the `.stderr` files with `TRYBUILD=overwrite cargo test -p live-api-tests --test trybuild`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    t.pass("ui/pass/*.rs");
}
