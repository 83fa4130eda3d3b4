//! `live-api usersig`: the `sign` and `verify` command line of [`live_api::usersig`].
//!
//! ```text
//! <program> sign --sdkappid N --key K --identifier ID --expire SECONDS [--time UNIX] [--userbuf-base64 B64]
//! <program> verify --sdkappid N --key K --identifier ID [--now UNIX] TICKET
//! ```
//!
//! `sign` prints the ticket alone on stdout (`--time` defaults to now). `verify` prints the decoded
//! fields as one JSON object on stdout and exits 0 when the ticket is valid, or exits 1 with the
//! reason on stderr. Usage errors exit 2 with a usage message on stderr. Options may be written
//! `--name value` or `--name=value`; `--` ends the options.
//!
//! Note that a key given on the command line is visible to other local users (e.g. in `ps`).
//!
//! This file is also the whole of the CLI package's `usersig` example
//! (`live-api-cli/examples/usersig.rs` compiles it with `#[path]`), so that the example and the CLI take the same flags from one
//! parser. It uses only what both packages depend on: `std`, `live_api`, `base64` and
//! `serde_json`.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use live_api::usersig::{SignParams, VerifyParams, sign, verify};

/// The usage text, with `program` as the command name (`usersig`, `live-api usersig`).
fn usage(program: &str) -> String {
    format!(
        "usage:
  {program} sign --sdkappid N --key K --identifier ID --expire SECONDS [--time UNIX] [--userbuf-base64 B64]
  {program} verify --sdkappid N --key K --identifier ID [--now UNIX] TICKET

sign prints the ticket; verify prints the decoded fields as JSON and exits 0 when valid, 1 when not."
    )
}

/// What a command line ends with.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// Print this on stdout, exit 0.
    Ok(String),
    /// Print this on stderr, exit 1.
    Invalid(String),
    /// Print this and the usage on stderr, exit 2.
    Usage(String),
    /// Print the usage on stdout, exit 0 (`--help`).
    Help,
}

/// Runs the command line `args` (after the program name `program`), prints its outcome, and
/// returns its exit status: 0, 1 (an invalid ticket) or 2 (usage).
pub fn main(program: &str, args: &[String]) -> u8 {
    match run(args) {
        Outcome::Ok(text) => {
            println!("{text}");
            0
        }
        Outcome::Invalid(reason) => {
            eprintln!("{reason}");
            1
        }
        Outcome::Usage(problem) => {
            eprintln!("error: {problem}\n\n{}", usage(program));
            2
        }
        Outcome::Help => {
            println!("{}", usage(program));
            0
        }
    }
}

/// Runs the command line `args` (after the program name), without printing.
fn run(args: &[String]) -> Outcome {
    match args.split_first() {
        Some((command, rest)) if command == "sign" => run_sign(rest),
        Some((command, rest)) if command == "verify" => run_verify(rest),
        Some((command, _)) if command == "--help" || command == "-h" || command == "help" => Outcome::Help,
        Some((command, _)) => Outcome::Usage(format!("unknown command {command:?}")),
        None => Outcome::Usage("no command given".to_owned()),
    }
}

/// The command line, split into options and positional arguments.
struct Args {
    options: Vec<(String, String)>,
    positional: Vec<String>,
}

impl Args {
    /// Splits `args` (after the subcommand), accepting only the option names in `allowed`.
    fn parse(args: &[String], allowed: &[&str]) -> Result<Args, String> {
        let mut options: Vec<(String, String)> = Vec::new();
        let mut positional = Vec::new();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            if arg == "--" {
                positional.extend(iter.by_ref().cloned());
                break;
            }
            let Some(body) = arg.strip_prefix("--") else {
                positional.push(arg.clone());
                continue;
            };
            let (name, value) = match body.split_once('=') {
                Some((name, value)) => (name.to_owned(), value.to_owned()),
                None => {
                    let value = iter.next().ok_or_else(|| format!("--{body} needs a value"))?;
                    (body.to_owned(), value.clone())
                }
            };
            if !allowed.contains(&name.as_str()) {
                return Err(format!("unknown option --{name}"));
            }
            if options.iter().any(|(n, _)| *n == name) {
                return Err(format!("--{name} given more than once"));
            }
            options.push((name, value));
        }
        Ok(Args { options, positional })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.options.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn required(&self, name: &str) -> Result<&str, String> {
        self.get(name).ok_or_else(|| format!("--{name} is required"))
    }

    fn u64(&self, name: &str) -> Result<Option<u64>, String> {
        self.get(name)
            .map(|v| v.parse::<u64>().map_err(|_| format!("--{name} must be a non-negative integer, got {v:?}")))
            .transpose()
    }

    fn required_u64(&self, name: &str) -> Result<u64, String> {
        self.u64(name)?.ok_or_else(|| format!("--{name} is required"))
    }
}

fn unix_now() -> Result<u64, String> {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|_| "the system clock is before 1970".to_owned())
}

fn run_sign(args: &[String]) -> Outcome {
    let parsed = match Args::parse(args, &["sdkappid", "key", "identifier", "expire", "time", "userbuf-base64"]) {
        Ok(parsed) => parsed,
        Err(e) => return Outcome::Usage(e),
    };
    let inputs = (|| {
        if let Some(extra) = parsed.positional.first() {
            return Err(format!("unexpected argument {extra:?}"));
        }
        let sdkappid = parsed.required_u64("sdkappid")?;
        let key = parsed.required("key")?;
        let identifier = parsed.required("identifier")?;
        let expire = parsed.required_u64("expire")?;
        let time = parsed.u64("time")?;
        let userbuf = parsed
            .get("userbuf-base64")
            .map(|b64| STANDARD.decode(b64).map_err(|_| "--userbuf-base64 is not standard base64".to_owned()))
            .transpose()?;
        Ok((sdkappid, key, identifier, expire, time, userbuf))
    })();
    let (sdkappid, key, identifier, expire, time, userbuf) = match inputs {
        Ok(inputs) => inputs,
        Err(e) => return Outcome::Usage(e),
    };
    let now = match time.map_or_else(unix_now, Ok) {
        Ok(now) => now,
        Err(e) => return Outcome::Invalid(e),
    };
    let mut params = SignParams::new(sdkappid, key, identifier, expire);
    if let Some(userbuf) = userbuf.as_deref() {
        params = params.with_userbuf(userbuf);
    }
    Outcome::Ok(sign(&params, now))
}

fn run_verify(args: &[String]) -> Outcome {
    let parsed = match Args::parse(args, &["sdkappid", "key", "identifier", "now"]) {
        Ok(parsed) => parsed,
        Err(e) => return Outcome::Usage(e),
    };
    let inputs = (|| {
        let ticket = match parsed.positional.as_slice() {
            [ticket] => ticket.as_str(),
            [] => return Err("the TICKET argument is missing".to_owned()),
            _ => return Err("give exactly one TICKET".to_owned()),
        };
        let sdkappid = parsed.required_u64("sdkappid")?;
        let key = parsed.required("key")?;
        let identifier = parsed.required("identifier")?;
        let now = parsed.u64("now")?;
        Ok((ticket, sdkappid, key, identifier, now))
    })();
    let (ticket, sdkappid, key, identifier, now) = match inputs {
        Ok(inputs) => inputs,
        Err(e) => return Outcome::Usage(e),
    };
    let now = match now.map_or_else(unix_now, Ok) {
        Ok(now) => now,
        Err(e) => return Outcome::Invalid(e),
    };
    match verify(ticket, &VerifyParams::new(sdkappid, key, identifier), now) {
        Ok(decoded) => match serde_json::to_string(&decoded) {
            Ok(json) => Outcome::Ok(json),
            Err(e) => Outcome::Invalid(format!("cannot print the decoded ticket: {e}")),
        },
        Err(e) => Outcome::Invalid(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn signs_verifies_and_reports_usage_problems() {
        let common = ["--sdkappid", "1400000000", "--key", "k", "--identifier", "admin"];
        let mut sign = vec!["sign"];
        sign.extend(common);
        sign.extend(["--expire", "3600", "--time", "1700000000"]);
        let Outcome::Ok(ticket) = run(&args(&sign)) else { panic!() };
        let mut verify = vec!["verify"];
        verify.extend(common);
        verify.extend(["--now=1700000001", &ticket]);
        let Outcome::Ok(json) = run(&args(&verify)) else { panic!() };
        assert!(json.contains("\"expires_at\":1700003600"), "{json}");
        let n = verify.len();
        verify[n - 2] = "--now=1800000000";
        assert!(matches!(run(&args(&verify)), Outcome::Invalid(e) if e.contains("expired")));
        assert_eq!(run(&args(&["sign", "--bogus", "1"])), Outcome::Usage("unknown option --bogus".into()));
        assert_eq!(run(&args(&["--help"])), Outcome::Help);
    }
}
