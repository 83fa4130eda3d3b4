//! Makes and checks UserSig (TLSSigAPIv2) tickets from the command line.
//!
//! ```text
//! usersig sign --sdkappid N --key K --identifier ID --expire SECONDS [--time UNIX] [--userbuf-base64 B64]
//! usersig verify --sdkappid N --key K --identifier ID [--now UNIX] TICKET
//! ```
//!
//! `sign` prints the ticket alone on stdout (`--time` defaults to now). `verify` prints the decoded
//! fields as one JSON object on stdout and exits 0 when the ticket is valid, or exits 1 with the
//! reason on stderr. Usage errors exit 2 with a usage message on stderr. Options may be written
//! `--name value` or `--name=value`; `--` ends the options.
//!
//! The command line is that of `live-api usersig`: its one source, in the CLI crate, is compiled
//! here too (an example cannot depend on a binary target; both live in the CLI package, so the published live-api carries no command line). The tickets themselves are
//! [`live_api::usersig::sign`] and [`live_api::usersig::verify`].
//! Note that a key given on the command line is visible to other local users (e.g. in `ps`).

#[path = "../src/usersig.rs"]
mod usersig;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    ExitCode::from(usersig::main("usersig", &args))
}
