//! Builds that the tests run on their own: a copy of the workspace (for changes that must not
//! touch this checkout), and cargo commands that run in it with a target directory of their own.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Set in the environment of a cargo run inside a copy, so that the tests which copy the
/// workspace (and would copy it again) only say that they are nested.
pub const NESTED: &str = "LIVE_API_NESTED_WORKSPACE";

/// Whether this test runs in a copy made by another test (it then says so on stderr, and the
/// caller returns: the outer run checks what it checks).
pub fn nested() -> bool {
    let nested = std::env::var_os(NESTED).is_some();
    if nested {
        eprintln!("nested in a workspace copy: {NESTED} is set, the outer run checks this");
    }
    nested
}

/// The workspace root (the parent of the `tests` crate).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the tests crate is in the workspace").to_path_buf()
}

/// Copies the workspace at `from` to `to` (replacing what is there): every file but build output
/// (`target/`), git's data and the separate perf workspace; symbolic links stay links.
pub fn copy_workspace(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    copy_dir(from, to, true).unwrap_or_else(|e| panic!("copy {} to {}: {e}", from.display(), to.display()));
}

fn copy_dir(from: &Path, to: &Path, top: bool) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name == "target" || (top && (name == ".git" || name == "perf")) {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        let kind = entry.file_type()?;
        if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&src)?, &dst)?;
        } else if kind.is_dir() {
            copy_dir(&src, &dst, false)?;
        } else {
            std::fs::copy(&src, &dst)?;
        }
    }
    Ok(())
}

/// `cargo` in `dir` with the target directory `target`, offline (every dependency is in the
/// local registry cache once this workspace has built), marked as nested.
pub fn cargo(dir: &Path, target: &Path) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env(NESTED, "1")
        .env_remove("RUSTFLAGS")
        .env_remove("UPDATE_README")
        .env_remove("UPDATE_GOLDEN")
        .env_remove("TRYBUILD")
        .arg("--offline");
    cmd
}

/// Runs `cmd` to the end.
pub fn output(cmd: &mut Command) -> Output {
    cmd.output().expect("run a command")
}

/// What `output` printed, stdout then stderr.
pub fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}
