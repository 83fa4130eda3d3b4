//! Rebuild tracking: editing, adding or removing a spec file changes the generated API on the
//! next build, with no `cargo clean` and no Rust file touched.
//!
//! A probe crate (outside the workspace, its own target dir under `target/`) expands a spec
//! folder and uses the generated `Probe::new().size(3u8)`. The test edits the specs between
//! `cargo check` runs and watches the outcome flip: the Rust source never changes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const PROBE: &str = r#"{
  "service": "probe_srv", "command": "probe", "title": "Probe", "description": "Probe.",
  "doc_url": "https://example.invalid", "rate_limit": { "calls_per_second": 1 },
  "request": [ { "wire": "Size", "type": "u8", "description": "Size." } ]
}"#;

const MAIN: &str = r#"
live_api_macros::generate!("../specs");
fn main() {
    let _ = Probe::new().size(3u8);
}
"#;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// `cargo check` of the probe: Ok, or the compiler's messages.
fn check(dir: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["check", "--offline", "--quiet", "--message-format=short"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", workspace().join("target/rebuild-probe"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo");
    if out.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&out.stderr).into_owned()) }
}

/// Writes a file after a pause, so its mtime is clearly newer than the last build's outputs.
fn write(path: &Path, text: &str) {
    std::thread::sleep(Duration::from_millis(1100));
    std::fs::write(path, text).unwrap();
}

#[test]
fn editing_adding_and_removing_specs_changes_the_next_build() {
    let ws = workspace();
    let dir = ws.join("target/rebuild-probe/probe");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::create_dir_all(dir.join("specs/probe_srv")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"rebuild-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nlive-api = {{ path = {:?} }}\nlive-api-macros = {{ path = {:?} }}\n\n[workspace]\n",
            ws.join("live-api"),
            ws.join("live-api-macros")
        ),
    )
    .unwrap();
    std::fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::write(dir.join("build.rs"), "fn main() { println!(\"cargo:rerun-if-changed=specs\"); }\n").unwrap();
    std::fs::write(dir.join("src/main.rs"), MAIN).unwrap();
    let spec = dir.join("specs/probe_srv/probe.json");
    std::fs::write(&spec, PROBE).unwrap();

    check(&dir).expect("the probe builds from its spec");

    // Edit: the field becomes a string; the same Rust source no longer compiles.
    write(&spec, &PROBE.replace(r#""type": "u8""#, r#""type": "string""#));
    let err = check(&dir).expect_err("an edited spec changes the generated API");
    assert!(err.contains("Into<String>") || err.contains("String"), "{err}");

    write(&spec, PROBE);
    check(&dir).expect("reverting the edit restores the API");

    // Add: a second endpoint whose generated name collides with the first.
    let added = dir.join("specs/probe_srv/probe_again.json");
    write(&added, &PROBE.replace(r#""command": "probe""#, r#""command": "probe_again", "rust_name": "Probe""#));
    let err = check(&dir).expect_err("an added spec is read");
    assert!(err.contains("the generated name `Probe` is already used"), "{err}");

    // Remove it again.
    std::thread::sleep(Duration::from_millis(1100));
    std::fs::remove_file(&added).unwrap();
    check(&dir).expect("a removed spec is no longer read");
}
