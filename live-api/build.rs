//! Rebuild the generated API when a spec file is added or removed: the macro tracks the files it
//! reads (via `include_bytes!`), but cargo only notices new files through this folder watch.

fn main() {
    println!("cargo:rerun-if-changed=../api-specs");
}
