//! Rebuild the generated API when a spec file is added or removed: the macro tracks the files it
//! reads (via `include_bytes!`), but cargo only notices new files through this folder watch.
//!
//! `api-specs` here is a link to the workspace's top-level `api-specs/` (the one place the specs
//! live); `cargo package` copies the files behind it, so the published crate carries them.

fn main() {
    println!("cargo:rerun-if-changed=api-specs");
}
