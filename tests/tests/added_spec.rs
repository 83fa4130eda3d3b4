//! A new spec file never breaks the build. On a copy of the workspace with one spec added
//! (`pause_mcu_task`, resume_mcu_task's spec renamed) and no Rust file touched:
//!
//! - `cargo build --workspace --all-targets` passes: the emulator keeps compiling because every
//!   generated `Service` method has a default;
//! - `cargo test --workspace` fails in one place only, the README's endpoint table, whose message
//!   names the one command that regenerates it; the conformance suite, the emulator's coverage
//!   test (the new endpoint answers 60017, "not emulated") and the CLI tests pass with it;
//! - after that command, the table lists the new endpoint and its test passes.
//!
//! The copy builds in its own target directory (the outer `cargo test` holds this one). Inside
//! the copy, this test and the package test only say that they are nested and return, or each
//! would build the workspace once more.

use live_api_tests::workspace_copy::{cargo, copy_workspace, nested, output, text, workspace};

#[test]
fn a_spec_added_to_a_copy_of_the_workspace_builds_and_tests() {
    if nested() {
        return;
    }
    let root = workspace().join("target/added-spec");
    let copy = root.join("workspace");
    copy_workspace(&workspace(), &copy);
    let specs = copy.join("api-specs/live_engine_http_srv");
    let spec = std::fs::read_to_string(specs.join("resume_mcu_task.json")).unwrap();
    let spec = spec.replace("resume_mcu_task", "pause_mcu_task").replace("Resume the", "Pause the");
    std::fs::write(specs.join("pause_mcu_task.json"), spec).unwrap();
    let target = root.join("target");

    let build = output(cargo(&copy, &target).args(["build", "--workspace", "--all-targets"]));
    assert!(build.status.success(), "the build failed:\n{}", text(&build));

    let test = output(cargo(&copy, &target).args(["test", "--workspace", "--no-fail-fast"]));
    let out = text(&test);
    assert!(!test.status.success(), "the README table cannot know the new endpoint:\n{out}");
    assert!(out.contains("error: 1 target failed:\n    `-p live-api-tests --test readme`"), "{out}");
    let command = "UPDATE_README=1 cargo test -p live-api-tests --test readme";
    assert!(out.contains(&format!("regenerate it with: {command}")), "{out}");
    for passed in
        ["every_endpoint_conforms_to_its_spec ... ok", "every_client_method_works_against_the_emulator ... ok"]
    {
        assert!(out.contains(passed), "{passed}:\n{out}");
    }

    let update = output(cargo(&copy, &target).env("UPDATE_README", "1").args([
        "test",
        "-p",
        "live-api-tests",
        "--test",
        "readme",
    ]));
    assert!(update.status.success(), "{}", text(&update));
    let again = output(cargo(&copy, &target).args(["test", "-p", "live-api-tests", "--test", "readme"]));
    assert!(again.status.success(), "{}", text(&again));
    let readme = std::fs::read_to_string(copy.join("README.md")).unwrap();
    assert!(readme.contains("| `live_engine_http_srv/pause_mcu_task` | `pause_mcu_task` | 20 | `mixing` |"));
    let _ = std::fs::remove_dir_all(&copy);
}
