//! `live-api`: the Live API from the command line.
//!
//! ```text
//! live-api call <service>/<command> --data '<json>'   any endpoint, by name
//! live-api <endpoint> --flag value …                  one subcommand per endpoint, typed flags
//! live-api endpoints [--json]                         every endpoint with its rate limit
//! live-api usersig sign|verify …                      make and check UserSig tickets
//! live-api emulator [--listen ADDR] …                 run the emulator
//! live-api demo                                       a whole session, step by step
//! live-api webhook listen --sdkappid N [--token T]    receive Live's webhooks, one JSON line each
//! ```
//!
//! Answers are printed as JSON on stdout (the typed answer re-encoded); errors go to stderr, with
//! the exit statuses of [`exit`]. With no `LIVE_API_*` configuration, calls go to an emulator
//! started in the process (and stderr says so); with it (`LIVE_API_SDKAPPID`,
//! `LIVE_API_SECRET_KEY`, `LIVE_API_REGION`, …, see `live_api::config`) they go to Tencent.

mod backend;
mod demo;
mod exit;
mod flags;
mod invoke;
mod usersig;
mod webhook;

use std::process::ExitCode;

use clap::{Arg, ArgAction, ArgMatches, Command};
use live_api::emulator::{Emulator, EmulatorConfig};
use serde_json::Value;

use backend::Backend;
use exit::Failed;
use invoke::{Entry, Registry};

const AFTER_HELP: &str = "\
Answers are printed as JSON on stdout; errors go to stderr.

With no LIVE_API_* configuration, calls go to an emulator started in this process (its state lasts
for one command; `live-api emulator` keeps one running). Set LIVE_API_SDKAPPID, LIVE_API_SECRET_KEY
(or LIVE_API_USERSIG) and LIVE_API_REGION (or LIVE_API_BASE_URL) to call Tencent.

Exit status: 0 success; 1 the service answered with an error code; 2 usage; 3 invalid request
(not JSON, wrong fields or a broken documented limit; nothing was sent); 4 no answer (connection
failed, timed out or broke); 5 an answer that is not the documented envelope; 6 configuration.";

fn cli(registry: &Registry) -> Command {
    let body_arg = || {
        Arg::new("json")
            .long("data")
            .visible_alias("json")
            .value_name("JSON")
            .default_value("{}")
            .help("The request body as JSON (@FILE reads a file, - reads stdin)")
    };
    let mut root = Command::new("live-api")
        .version(env!("CARGO_PKG_VERSION"))
        .about("The Tencent Cloud TRTC Live server REST API from the command line, generated from its specs")
        .after_help(AFTER_HELP)
        .subcommand_required(true)
        .subcommand(
            Command::new("call")
                .about("Call any endpoint with a JSON body: live-api call <service>/<command> --data '<json>'")
                .arg(
                    Arg::new("endpoint").required(true).value_name("SERVICE/COMMAND").help(
                        "The endpoint, e.g. live_engine_http_srv/get_room_info (or its method name, get_room_info)",
                    ),
                )
                .arg(body_arg()),
        )
        .subcommand(
            Command::new("endpoints")
                .about("List every endpoint with its rate limit and quota group")
                .arg(Arg::new("json").long("json").action(ArgAction::SetTrue).help("Print JSON instead of a table")),
        )
        .subcommand(
            Command::new("usersig")
                .about("Make and check UserSig tickets: live-api usersig sign|verify … (live-api usersig --help)")
                .disable_help_flag(true)
                .arg(Arg::new("args").num_args(0..).allow_hyphen_values(true).trailing_var_arg(true)),
        )
        .subcommand(
            Command::new("emulator")
                .about("Run the emulator of the Live API on a local port until interrupted")
                .arg(
                    Arg::new("listen")
                        .long("listen")
                        .value_name("ADDR")
                        .default_value("127.0.0.1:8080")
                        .help("Address to listen on (port 0 picks a free one)"),
                )
                .arg(
                    Arg::new("sdkappid")
                        .long("sdkappid")
                        .value_name("N")
                        .value_parser(clap::value_parser!(u64))
                        .default_value(live_api::emulator::DEV_SDK_APP_ID.to_string())
                        .help("The SDKAppID it serves"),
                )
                .arg(
                    Arg::new("key")
                        .long("key")
                        .value_name("KEY")
                        .default_value(live_api::emulator::DEV_SECRET_KEY)
                        .help("The secret key its tickets are signed with"),
                )
                .arg(
                    Arg::new("admin")
                        .long("admin")
                        .value_name("ID")
                        .default_value(live_api::emulator::DEV_ADMIN)
                        .help("The App administrator calls are made as"),
                )
                .arg(
                    Arg::new("usersig")
                        .long("accept-usersig")
                        .value_name("TICKET")
                        .action(ArgAction::Append)
                        .help("Also accept this ticket as it is (for clients with a fixed UserSig)"),
                )
                .arg(
                    Arg::new("no-rate-limits")
                        .long("no-rate-limits")
                        .action(ArgAction::SetTrue)
                        .help("Do not enforce the documented rate limits"),
                )
                .arg(
                    Arg::new("require-imported-accounts")
                        .long("require-imported-accounts")
                        .action(ArgAction::SetTrue)
                        .help(
                            "Refuse accounts that are not imported wherever a Live call names one (message and \
                             gift senders, receivers, new administrators and owners), not only where the docs \
                             require it",
                        ),
                )
                .arg(Arg::new("quiet").long("quiet").action(ArgAction::SetTrue).help("Do not log each call on stderr")),
        )
        .subcommand(
            Command::new("webhook")
                .about("Receive Live's webhooks: live-api webhook listen --sdkappid N [--token T]")
                .subcommand_required(true)
                .subcommand(
                    Command::new("listen")
                        .about(
                            "Receive webhooks on a local port until interrupted: each verified callback is printed on \
                             stdout as one JSON line {\"command\": ..., \"body\": ...} and answered with ErrorCode 0 \
                             (received; allowed, for a before-callback); a refused request gets its HTTP status \
                             and one line on stderr saying why",
                        )
                        .arg(
                            Arg::new("listen")
                                .long("listen")
                                .value_name("ADDR")
                                .default_value("127.0.0.1:8081")
                                .help("Address to listen on (port 0 picks a free one)"),
                        )
                        .arg(
                            Arg::new("sdkappid")
                                .long("sdkappid")
                                .value_name("N")
                                .required(true)
                                .value_parser(clap::value_parser!(u64))
                                .help("The app's SDKAppID: webhooks for another are refused"),
                        )
                        .arg(Arg::new("token").long("token").value_name("TOKEN").help(format!(
                            "The webhook token: requests must be signed with it, within a minute (or set {})",
                            webhook::ENV_TOKEN
                        ))),
                ),
        )
        .subcommand(Command::new("demo").about(
            "A realistic session, step by step: a room, hosts on seats, mixing, a message, gifts, statistics, the room list, \
             and the webhooks they cause (against the embedded emulator)",
        ));
    for e in registry.entries() {
        root = root.subcommand(flags::endpoint_command(e));
    }
    root
}

fn main() -> ExitCode {
    let registry = Registry::new();
    let matches = cli(&registry).get_matches();
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return finish(Err(Failed::new(exit::CONFIG, format!("cannot start the async runtime: {e}")))),
    };
    finish(runtime.block_on(run(&registry, &matches)))
}

fn finish(result: Result<(), Failed>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if !f.message.is_empty() {
                eprintln!("live-api: {}", f.message);
            }
            ExitCode::from(u8::try_from(f.status).unwrap_or(1))
        }
    }
}

fn print_json(value: &Value) -> Result<(), Failed> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Failed::new(exit::ANSWER, e.to_string()))?;
    println!("{text}");
    Ok(())
}

async fn run(registry: &Registry, matches: &ArgMatches) -> Result<(), Failed> {
    let (name, m) = matches.subcommand().expect("a subcommand is required");
    match name {
        "call" => {
            let wanted = m.get_one::<String>("endpoint").map(String::as_str).unwrap_or_default();
            let Some(e) = registry.find(wanted) else {
                let known: Vec<String> = registry.entries().iter().map(Entry::name).collect();
                return Err(Failed::new(
                    exit::USAGE,
                    format!("no endpoint {wanted:?}; `live-api endpoints` lists them ({} …)", known[..3].join(", ")),
                ));
            };
            let body = flags::read_body(m.get_one::<String>("json").map_or("{}", String::as_str))
                .map_err(|e| Failed::new(exit::INVALID, e))?;
            call(e, body).await
        }
        "endpoints" => endpoints(registry, m.get_flag("json")),
        "usersig" => {
            let args: Vec<String> = m.get_many::<String>("args").into_iter().flatten().cloned().collect();
            // Statuses 1 (invalid ticket) and 2 (usage) mean what they mean for every command.
            match usersig::main("live-api usersig", &args) {
                0 => Ok(()),
                status => Err(Failed::new(i32::from(status), "")),
            }
        }
        "emulator" => emulator(m).await,
        "demo" => demo::run(&Backend::connect().await?).await,
        "webhook" => {
            let (_, m) = m.subcommand().expect("a webhook subcommand is required");
            let listen = m.get_one::<String>("listen").map_or("127.0.0.1:8081", String::as_str);
            let sdk_app_id = m.get_one::<u64>("sdkappid").copied().unwrap_or_default();
            webhook::listen(listen, sdk_app_id, m.get_one::<String>("token").cloned()).await
        }
        _ => {
            let e = registry
                .entries()
                .iter()
                .find(|e| flags::command_name(e) == name)
                .expect("every other subcommand is an endpoint");
            let body = flags::body(e, m).map_err(|e| Failed::new(exit::INVALID, e))?;
            call(e, body).await
        }
    }
}

async fn call(e: &Entry, body: Value) -> Result<(), Failed> {
    let backend = Backend::connect().await?;
    let answer = e.call(&backend.client, body).await?;
    print_json(&answer)
}

fn endpoints(registry: &Registry, as_json: bool) -> Result<(), Failed> {
    if as_json {
        let list: Vec<Value> = registry
            .entries()
            .iter()
            .map(|e| {
                serde_json::json!({
                    "endpoint": e.name(),
                    "command": flags::command_name(e),
                    "path": e.meta.path,
                    "calls_per_second": e.meta.calls_per_second,
                    "quota_group": e.meta.quota_group,
                    "idempotent": e.meta.idempotent,
                    "title": e.info.title,
                })
            })
            .collect();
        return print_json(&Value::Array(list));
    }
    println!("{:<48} {:>7}  {:<8} WHAT IT DOES", "ENDPOINT", "CALLS/S", "QUOTA");
    for e in registry.entries() {
        let group = flags::shared_quota(&e.meta).unwrap_or("own");
        println!("{:<48} {:>7}  {:<8} {}", e.name(), e.meta.calls_per_second, group, e.info.title);
    }
    println!(
        "\n{} endpoints; rates are per SDKAppID, shared within a quota group. `live-api <command> --help` describes one.",
        registry.entries().len()
    );
    Ok(())
}

async fn emulator(m: &ArgMatches) -> Result<(), Failed> {
    let listen = m.get_one::<String>("listen").cloned().unwrap_or_default();
    let sdk_app_id = m.get_one::<u64>("sdkappid").copied().unwrap_or(live_api::emulator::DEV_SDK_APP_ID);
    let key = m.get_one::<String>("key").cloned().unwrap_or_default();
    let admin = m.get_one::<String>("admin").cloned().unwrap_or_default();
    let mut config = EmulatorConfig::new()
        .app(sdk_app_id, key.clone())
        .admin(admin.clone())
        .rate_limits(!m.get_flag("no-rate-limits"))
        .require_imported_accounts(m.get_flag("require-imported-accounts"));
    for ticket in m.get_many::<String>("usersig").into_iter().flatten() {
        config = config.accept_ticket(ticket.clone());
    }
    if !m.get_flag("quiet") {
        config = config.on_call(|c| {
            let outcome = if c.code == 0 { "ok".to_owned() } else { format!("{} {}", c.code, c.message) };
            eprintln!("{} {} → {outcome} ({})", c.sdk_app_id, c.endpoint, c.request_id);
        });
    }
    let running = Emulator::new(config)
        .listen(listen.as_str())
        .await
        .map_err(|e| Failed::new(exit::CONFIG, format!("cannot listen on {listen}: {e}")))?;
    // One line, so that a program that started it can read where it listens.
    let ready = serde_json::json!({ "url": running.url(), "sdkappid": sdk_app_id, "secret_key": key, "admin": admin });
    println!("{ready}");
    eprintln!(
        "live-api emulator listening on {url}; point the client at it with\n  export LIVE_API_BASE_URL={url} \
         LIVE_API_SDKAPPID={sdk_app_id} LIVE_API_SECRET_KEY={key} LIVE_API_ADMIN={admin}\nCtrl-C stops it.",
        url = running.url()
    );
    std::future::pending::<()>().await;
    Ok(())
}
