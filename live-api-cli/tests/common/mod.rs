//! What the command-line tests share.

use std::process::Command;

/// The `live-api` command with `args` and no `LIVE_API_*` variable inherited.
pub fn live_api(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_live-api"));
    cmd.args(args);
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("LIVE_API_") {
            cmd.env_remove(k);
        }
    }
    cmd
}
