//! live-api as a crates.io user gets it: from its packages, never from this workspace's tree.
//!
//! `cargo package` packs the four published crates; the test unpacks the `.crate` files and
//! writes, outside the workspace, a crate whose only live-api dependency is `live-api = "=x.y.z"`
//! patched to the unpacked package. That crate has a spec folder of its own (an endpoint that
//! is not in `api-specs/`, naming live-api's `RoomInfo` and its `live_common` table), generated
//! with `live_api::generate!("../specs")` as an extension trait of `live_api::Client`. Its
//! program starts `live_api::emulator`, creates a room, reads it back, and calls its own endpoint
//! against a server on 127.0.0.1 that it starts itself. Then the packaged `live-api-cli` installs
//! with `cargo install`, `live-api demo` runs, and it has a typed subcommand per endpoint.

use std::path::{Path, PathBuf};
use std::process::Command;

use live_api_tests::workspace_copy::{nested, output, text, workspace};

const VERSION: &str = env!("CARGO_PKG_VERSION");
const PUBLISHED: [&str; 4] = ["live-api-codegen", "live-api-macros", "live-api", "live-api-cli"];

const SPEC: &str = r#"{
  "service": "room_ext_srv",
  "command": "clone_room",
  "title": "Clone a room",
  "description": "An endpoint of the user's own: copies a room's settings into a new room.",
  "doc_url": "https://example.invalid/clone_room",
  "rate_limit": { "calls_per_second": 5 },
  "request": [
    { "wire": "FromRoomId", "type": "string", "required": true, "max_bytes": 48, "description": "The room to copy." },
    { "wire": "RoomInfo", "type": "RoomInfo", "required": true, "description": "The new room, as create_room takes it." }
  ],
  "response_key": "Response",
  "response": [
    { "wire": "RoomInfo", "type": "RoomDetails", "description": "The new room." }
  ],
  "error_tables": ["rest", "live_common"]
}"#;

const MAIN: &str = r#"
//! A user's program: live-api's own endpoints against the emulator, and an endpoint of its own
//! (specs/room_ext_srv/clone_room.json) against a server on 127.0.0.1.

use live_api::{CreateRoom, ErrorCode as _, GetRoomInfo, RoomInfo, RoomType};

live_api::generate!("../specs");

#[tokio::main]
async fn main() {
    let emulator = live_api::emulator::Emulator::start().await.expect("start the emulator");
    let client = emulator.client();
    let room = RoomInfo::new("pkg-1", RoomType::Live).room_name("From the package");
    client.create_room(CreateRoom::new(room)).await.expect("create_room");
    let info = client.get_room_info(GetRoomInfo::new("pkg-1")).await.expect("get_room_info");
    let details = info.room_info.expect("the room's details");
    assert_eq!(details.room_name.as_deref(), Some("From the package"));
    println!("emulator: created and read back {}", details.room_id.unwrap_or_default());

    let server = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", server.local_addr().unwrap());
    tokio::spawn(serve(server));
    let own = live_api::Client::builder().sdk_app_id(7).user_sig("sig").base_url(url).build().unwrap();
    let copy = RoomInfo::new("pkg-2", RoomType::Live);
    let answer = own.clone_room(CloneRoom::new("pkg-1", copy.clone())).await.expect("clone_room");
    let room: live_api::RoomDetails = answer.room_info.expect("the new room");
    println!("own endpoint: cloned into {}", room.room_id.unwrap_or_default());
    match own.clone_room(CloneRoom::new("missing", copy)).await {
        Err(e) if e.code() == Some(CloneRoomCode::RoomNotFound) => {
            println!("own endpoint: {} is {:?}", e.code().unwrap().code(), e.code().unwrap())
        }
        other => panic!("expected RoomNotFound from the live_common table, got {other:?}"),
    }
    let too_long = CloneRoom::new("x".repeat(49), RoomInfo::new("pkg-3", RoomType::Live));
    let refused = own.clone_room(too_long).await.expect_err("a broken limit is refused");
    println!("own endpoint: {refused}");
}

/// Answers each request to /v4/room_ext_srv/clone_room: 100004 for the room `missing`, else the
/// new room.
async fn serve(listener: tokio::net::TcpListener) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    loop {
        let Ok((mut socket, _)) = listener.accept().await else { return };
        tokio::spawn(async move {
            let mut data = Vec::new();
            let mut buf = [0u8; 4096];
            loop {
                let Ok(n) = socket.read(&mut buf).await else { return };
                if n == 0 {
                    return;
                }
                data.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&data).into_owned();
                let Some(head_end) = text.find("\r\n\r\n") else { continue };
                let length = text[..head_end]
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap()))
                    .unwrap_or(0);
                if data.len() < head_end + 4 + length {
                    continue;
                }
                let body: serde_json::Value = serde_json::from_slice(&data[head_end + 4..head_end + 4 + length]).unwrap();
                assert!(text.starts_with("POST /v4/room_ext_srv/clone_room?"), "{text}");
                let answer = if body["FromRoomId"] == "missing" {
                    serde_json::json!({"ActionStatus": "FAIL", "ErrorCode": 100004, "ErrorInfo": "room does not exist", "RequestId": "r-2"})
                } else {
                    let id = body["RoomInfo"]["RoomId"].clone();
                    serde_json::json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "RequestId": "r-1", "Response": {"RoomInfo": {"RoomId": id}}})
                };
                let answer = answer.to_string();
                let reply = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{answer}", answer.len());
                socket.write_all(reply.as_bytes()).await.unwrap();
                data.clear();
            }
        });
    }
}
"#;

#[test]
fn a_crate_built_from_the_packages_calls_live_api_and_its_own_endpoint() {
    if nested() {
        return;
    }
    // The crates live outside the workspace (cargo would take a package below it for one of its
    // members); the build output stays in the workspace's target directory, for the next run.
    let root = std::env::temp_dir().join(format!("live-api-package-test-{}", std::process::id()));
    let target = workspace().join("target/downstream");
    let crates = unpack_packages(&root, &target);

    let app = root.join("app");
    let _ = std::fs::remove_dir_all(&app);
    std::fs::create_dir_all(app.join("src")).unwrap();
    std::fs::create_dir_all(app.join("specs/room_ext_srv")).unwrap();
    std::fs::write(app.join("specs/room_ext_srv/clone_room.json"), SPEC).unwrap();
    std::fs::write(app.join("src/main.rs"), MAIN).unwrap();
    let manifest = format!(
        "[package]\nname = \"downstream\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\n\
         live-api = {{ version = \"={VERSION}\", features = [\"emulator\"] }}\n\
         tokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"macros\", \"net\", \"io-util\"] }}\n\
         serde_json = \"1\"\n\n[patch.crates-io]\n{}",
        patches(&crates).join("\n")
    );
    std::fs::write(app.join("Cargo.toml"), manifest).unwrap();
    // The workspace's lock file, so that the crate resolves to the versions already downloaded.
    std::fs::copy(workspace().join("Cargo.lock"), app.join("Cargo.lock")).unwrap();
    assert_no_workspace_paths(&app.join("Cargo.toml"));

    let run = output(cargo(&app, &target).args(["run", "--quiet"]));
    let out = text(&run);
    assert!(run.status.success(), "the downstream crate failed:\n{out}");
    for line in [
        "emulator: created and read back pkg-1",
        "own endpoint: cloned into pkg-2",
        "own endpoint: 100004 is RoomNotFound",
        "FromRoomId is 49 bytes; the API allows at most 48 bytes",
    ] {
        assert!(out.contains(line), "{line}:\n{out}");
    }

    // The packaged command line installs from its package, and its demo runs.
    let bin = root.join("install");
    let mut install = cargo(&app, &target);
    install.args(["install", "--path"]).arg(crates.join(format!("live-api-cli-{VERSION}")));
    install.arg("--root").arg(&bin).arg("--target-dir").arg(&target).arg("--force");
    for (name, dir) in packages(&crates) {
        install.arg("--config").arg(format!("patch.crates-io.{name}.path={:?}", dir.display().to_string()));
    }
    let installed = output(&mut install);
    assert!(installed.status.success(), "cargo install failed:\n{}", text(&installed));
    let installed = |args: &[&str]| {
        output(Command::new(bin.join("bin/live-api")).args(args).env_clear().env("PATH", "/usr/bin:/bin"))
    };
    let demo = installed(&["demo"]);
    assert!(demo.status.success(), "live-api demo failed:\n{}", text(&demo));
    assert!(text(&demo).contains("live_engine_http_srv/create_room"), "{}", text(&demo));
    // Its typed subcommands come with the package (from the macro's tables, not from files
    // beside it): one per endpoint, with the flags of the spec.
    let list = installed(&["endpoints", "--json"]);
    let list: serde_json::Value =
        serde_json::from_slice(&list.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&list)));
    assert_eq!(list.as_array().map(Vec::len), Some(live_api::ENDPOINTS.len()), "{list}");
    let help = installed(&["create-room", "--help"]);
    assert!(help.status.success() && text(&help).contains("--room-info <JSON>"), "{}", text(&help));
    let _ = std::fs::remove_dir_all(&root);
}

/// `cargo package` of the published crates (into a target directory of this test's), unpacked
/// into `root/crates`.
fn unpack_packages(root: &Path, target: &Path) -> PathBuf {
    let target = target.join("package");
    let mut pack = Command::new(cargo_bin());
    pack.current_dir(workspace()).args(["package", "--no-verify", "--allow-dirty", "--offline", "--target-dir"]);
    pack.arg(&target);
    for name in PUBLISHED {
        pack.args(["-p", name]);
    }
    let packed = output(&mut pack);
    assert!(packed.status.success(), "cargo package failed:\n{}", text(&packed));
    let crates = root.join("crates");
    std::fs::create_dir_all(&crates).unwrap();
    for name in PUBLISHED {
        let file = target.join(format!("package/{name}-{VERSION}.crate"));
        let untar = output(Command::new("tar").arg("-xzf").arg(&file).arg("-C").arg(&crates));
        assert!(untar.status.success(), "unpack {}: {}", file.display(), text(&untar));
    }
    crates
}

fn packages(crates: &Path) -> Vec<(&'static str, PathBuf)> {
    PUBLISHED[..3].iter().map(|name| (*name, crates.join(format!("{name}-{VERSION}")))).collect()
}

fn patches(crates: &Path) -> Vec<String> {
    packages(crates)
        .into_iter()
        .map(|(name, dir)| format!("{name} = {{ path = {:?} }}", dir.display().to_string()))
        .collect()
}

/// The downstream manifest names no directory of the workspace's sources (only the unpacked
/// packages under its target directory).
fn assert_no_workspace_paths(manifest: &Path) {
    let text = std::fs::read_to_string(manifest).unwrap();
    for dir in ["live-api", "live-api-macros", "live-api-codegen", "api-specs"] {
        let source = workspace().join(dir).display().to_string();
        assert!(!text.contains(&format!("\"{source}\"")), "{source} in\n{text}");
    }
}

fn cargo_bin() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

fn cargo(dir: &Path, target: &Path) -> Command {
    let mut cmd = Command::new(cargo_bin());
    cmd.current_dir(dir).env("CARGO_TARGET_DIR", target).env_remove("RUSTFLAGS").arg("--offline");
    cmd
}
