//! The bodies of the fuzz targets, one function per decoder, each taking the raw input: the
//! libFuzzer binaries of `fuzz/fuzz_targets/` call them, and `tests/tests/fuzz_corpora.rs`
//! (which compiles this file as a module) replays every committed corpus file through them on
//! the stable toolchain. A target fails by panicking: the decoders must answer every input with a
//! value or a precise error, and the few invariants checked here (no secret in an error, a
//! re-encoded value decodes to itself, a reply is the envelope it claims) must hold.
//!
//! | target | input | decoder |
//! | --- | --- | --- |
//! | [`spec`] | `<path below the spec folder>\n<file text>` | `live_api_codegen::load::check_sources` (JSON reader and every check) |
//! | [`answer`] | `<selector byte><body>` | the client's answer decoding of one of [`ANSWERED`] |
//! | [`usersig`] | `T<ticket>`, `D<JSON document>` or `S<identifier>\n<userbuf>` | `live_api::usersig::verify` |
//! | [`webhook`] | `<query>\n<body>` | `live_api::webhook::Receiver::verify::<live_api::Callback>` |
//! | [`gateway`] | lines `<method> <target>` each followed by a body line | `live_api::server::Gateway::open` and `live_api::dispatch` into the emulator |

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use live_api::__private::hooks;
use live_api::emulator::{DEV_ADMIN, DEV_SDK_APP_ID, DEV_SECRET_KEY, Emulator, EmulatorConfig};
use live_api::server::{Call, Failure, Gateway, Reply, UNSERVED};
use live_api::webhook::Receiver;
use live_api_codegen::diag::SourceFile;

// ---------------------------------------------------------------------------------------------
// spec

/// The spec folder the fuzzed file is checked in (not read from disk: only its name).
const SPEC_DIR: &str = "/fuzz/api-specs";

/// The shared types and error tables of `api-specs/` (path below the folder, text), which an
/// endpoint or callback file may name.
fn shared_specs() -> &'static [(String, String)] {
    static SHARED: OnceLock<Vec<(String, String)>> = OnceLock::new();
    SHARED.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-specs");
        let mut files = Vec::new();
        for kind in ["types", "errors"] {
            let mut names: Vec<PathBuf> = std::fs::read_dir(root.join(kind))
                .expect("api-specs/ beside the crate")
                .map(|e| e.expect("a readable api-specs/").path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            names.sort();
            for path in names {
                let text = std::fs::read_to_string(&path).expect("a readable spec file");
                let name = path.file_name().expect("a file name").to_string_lossy().into_owned();
                files.push((format!("{kind}/{name}"), text));
            }
        }
        files
    })
}

/// The spec reader and checks on a folder of one file: the input's first line is the file's path
/// below the folder (`live_engine_http_srv/get_room_info.json`, `types/RoomInfo.json`, ...),
/// the rest its text. The folder also holds the shared types and error tables of `api-specs/`
/// whose names the file (or one of them, transitively) quotes, so that an endpoint's checks get
/// past the names it refers to; a file under `types/` or `errors/` replaces the shared one of
/// its path. Every diagnostic is rendered.
pub fn spec(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (rel, text) = text.split_once('\n').unwrap_or(("x/y.json", text));
    let dir = Path::new(SPEC_DIR);
    let mut sources = vec![SourceFile::new(dir.join(rel), format!("api-specs/{rel}"), text.to_owned())];
    let shared = shared_specs();
    let mut taken = vec![false; shared.len()];
    let mut quoted: Vec<&str> = vec![text];
    while let Some(t) = quoted.pop() {
        for (i, (path, body)) in shared.iter().enumerate() {
            let stem = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".json");
            if !taken[i] && path != rel && t.contains(&format!("\"{stem}\"")) {
                taken[i] = true;
                quoted.push(body);
                sources.push(SourceFile::new(dir.join(path), format!("api-specs/{path}"), body.clone()));
            }
        }
    }
    if let Err(diagnostics) = live_api_codegen::load::check_sources(dir, &sources, None) {
        let diagnostics = diagnostics.into_vec();
        assert!(!diagnostics.is_empty(), "a failed check names its problem");
        for d in diagnostics {
            let _ = d.to_string();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// answer

/// The endpoints whose answers [`answer`] decodes: those with the largest responses (nested
/// objects, arrays of them, enums, pages), with and without a `Response` key.
pub const ANSWERED: [&str; 11] = [
    "GetRoomInfo",
    "GetRoomList",
    "GetSeatList",
    "GetMemberList",
    "GetBattleInfo",
    "GetRoomStats",
    "DestroyRoom",
    "GetCallback",
    "GetGift",
    "QueryOnlineStatus",
    "PortraitGet",
];

/// Decodes an answer as the client does (`Client::call`'s decoding, through
/// `live_api::__private::hooks::decode`): the first byte picks the endpoint of [`ANSWERED`]
/// (modulo its length) and, with its top bit set, an HTTP status other than 200; the rest is the
/// body. Errors are rendered with `Display` and `Debug`.
pub fn answer(data: &[u8]) {
    let Some((&selector, body)) = data.split_first() else { return };
    let status = if selector & 0x80 == 0 { 200 } else { 500 };
    fn run<E: live_api::Endpoint>(status: u16, body: &[u8]) {
        if let Err(e) = hooks::decode::<E>(status, Some("application/json"), body) {
            let _ = (e.to_string(), format!("{e:?}"));
        }
    }
    match usize::from(selector & 0x7f) % ANSWERED.len() {
        0 => run::<live_api::GetRoomInfo>(status, body),
        1 => run::<live_api::GetRoomList>(status, body),
        2 => run::<live_api::GetSeatList>(status, body),
        3 => run::<live_api::GetMemberList>(status, body),
        4 => run::<live_api::GetBattleInfo>(status, body),
        5 => run::<live_api::GetRoomStats>(status, body),
        6 => run::<live_api::DestroyRoom>(status, body),
        7 => run::<live_api::GetCallback>(status, body),
        8 => run::<live_api::GetGift>(status, body),
        9 => run::<live_api::QueryOnlineStatus>(status, body),
        _ => run::<live_api::PortraitGet>(status, body),
    }
}

// ---------------------------------------------------------------------------------------------
// usersig

/// The key of the UserSig reference vectors (tests/tests/usersig.rs).
pub const USERSIG_KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
/// Their SDKAppID.
pub const USERSIG_APP: u64 = 1_400_000_000;
/// Their `TLS.time`; [`usersig`] checks at this time plus one second.
pub const USERSIG_TIME: u64 = 1_700_000_000;
/// The identifiers of the reference vectors, each of which [`usersig`] expects in turn.
const USERSIG_IDENTIFIERS: [&str; 3] = ["administrator", "用户一号", "xiaojun"];

/// The ticket alphabet of a document: zlib, standard base64, then `+/=` as `*-_`.
pub fn usersig_ticket(document: &[u8]) -> String {
    use std::io::Write as _;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    z.write_all(document).expect("writing to memory");
    let compressed = z.finish().expect("writing to memory");
    base64::engine::general_purpose::STANDARD
        .encode(compressed)
        .chars()
        .map(|c| match c {
            '+' => '*',
            '/' => '-',
            '=' => '_',
            c => c,
        })
        .collect()
}

/// UserSig verification, by the input's first byte:
/// - `T`: the rest is a ticket, verified as it is;
/// - `D`: the rest is the ticket's JSON document, compressed and encoded here first (so that the
///   fuzzer reaches the document checks past zlib's checksum);
/// - `S`: the rest is `<identifier>\n<userbuf>`: signed, then verified, which must succeed and
///   give back what was signed.
///
/// Tickets are verified against the reference vectors' key and SDKAppID for each of their
/// identifiers. An error never shows the key.
pub fn usersig(data: &[u8]) {
    use live_api::usersig::{SignParams, VerifyParams, sign, verify};
    let Some((&mode, rest)) = data.split_first() else { return };
    let now = USERSIG_TIME + 1;
    let check = |ticket: &str| {
        for identifier in USERSIG_IDENTIFIERS {
            if let Err(e) = verify(ticket, &VerifyParams::new(USERSIG_APP, USERSIG_KEY, identifier), now) {
                let shown = format!("{e} {e:?}");
                assert!(!shown.contains(USERSIG_KEY), "an error shows the key: {shown}");
            }
        }
    };
    match mode {
        b'T' => {
            if let Ok(ticket) = std::str::from_utf8(rest) {
                check(ticket);
            }
        }
        b'D' => check(&usersig_ticket(rest)),
        b'S' => {
            let Ok(text) = std::str::from_utf8(rest) else { return };
            let (identifier, userbuf) = text.split_once('\n').unwrap_or((text, ""));
            let mut params = SignParams::new(USERSIG_APP, USERSIG_KEY, identifier, 86_400);
            if !userbuf.is_empty() {
                params = params.with_userbuf(userbuf.as_bytes());
            }
            let ticket = sign(&params, USERSIG_TIME);
            match verify(&ticket, &VerifyParams::new(USERSIG_APP, USERSIG_KEY, identifier), now) {
                Ok(t) => assert_eq!(t.expires_at(), USERSIG_TIME + 86_400),
                Err(e) => panic!("a ticket just signed for {identifier:?} does not verify: {e}"),
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// webhook

/// The SDKAppID the webhook receivers serve.
pub const WEBHOOK_APP: u64 = 1_400_000_000;
/// The token of the signing receiver.
pub const WEBHOOK_TOKEN: &str = "fuzz-webhook-token";
/// The receivers' clock: the `RequestTime` of the signed seeds.
pub const WEBHOOK_NOW: u64 = 1_739_954_005;

/// The webhook receiver: the input's first line is the query string, the rest the body (with a
/// matching `Content-Length`). Verified and decoded as `live_api::Callback` by a receiver
/// without a token and by one with [`WEBHOOK_TOKEN`], at [`WEBHOOK_NOW`]. A rejection never shows
/// the token; a decoded callback re-encodes to JSON that decodes to the same JSON. The body is
/// also read as a callback's reply (`Reply::parse`, what the emulator does with an answer).
pub fn webhook(data: &[u8]) {
    let split = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let Ok(query) = std::str::from_utf8(&data[..split]) else { return };
    let body = data.get(split + 1..).unwrap_or(&[]);
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(WEBHOOK_NOW);
    let length = body.len().to_string();
    let _ = live_api::callback::Reply::parse(body);
    for receiver in [Receiver::new(WEBHOOK_APP), Receiver::new(WEBHOOK_APP).token(WEBHOOK_TOKEN)] {
        match receiver.verify::<live_api::Callback, _, _, _>(query, [("Content-Length", length.as_str())], body, now) {
            Ok(delivery) => {
                let encoded = serde_json::to_vec(&delivery.callback).expect("a callback encodes");
                let command = live_api::callback::CallbackSet::command(&delivery.callback).to_owned();
                let again = <live_api::Callback as live_api::callback::CallbackSet>::decode(&command, &encoded)
                    .unwrap_or_else(|e| panic!("a re-encoded {command} does not decode: {e}"));
                let twice = serde_json::to_vec(&again).expect("a callback encodes");
                let (a, b): (serde_json::Value, serde_json::Value) =
                    (serde_json::from_slice(&encoded).expect("JSON"), serde_json::from_slice(&twice).expect("JSON"));
                assert_eq!(a, b, "{command} re-encodes differently once decoded again");
            }
            Err(rejection) => {
                let shown = format!("{rejection} {rejection:?}");
                assert!(!shown.contains(WEBHOOK_TOKEN), "a rejection shows the token: {shown}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// gateway

/// A ticket the fuzzed gateway accepts as it is (the fuzzer cannot sign a UserSig).
pub const GATEWAY_TICKET: &str = "fuzz-ticket";
/// At most this many calls of one input are answered.
const GATEWAY_CALLS: usize = 16;
/// The endpoints that set a webhook URL: their calls are decoded and checked but not run, so that
/// the emulator never calls a URL a fuzzer wrote (not even on 127.0.0.1).
const NOT_RUN: [&str; 2] = ["/v4/live_config/set_callback", "/v4/live_config/update_callback"];

/// The server side: the input is a sequence of calls, each a line `<method> <target>` (the
/// request line's method and path with query) followed by a line with its body, answered in
/// order by one fresh emulator through the gateway (the HTTP server's path without the socket):
/// `Gateway::open` checks the method, query and ticket (the emulator's default application, key
/// and admin, and also [`GATEWAY_TICKET`]), then `live_api::dispatch` decodes the body and runs
/// the emulator's `Service`. Every reply must be the envelope it says (JSON whose `ErrorCode`,
/// `RequestId` and `ActionStatus` are the reply's) and show neither the ticket nor the key.
pub fn gateway(data: &[u8]) {
    let _ = gateway_replies(data);
}

/// [`gateway`]'s calls and their replies (the seeds of the `answer` corpus are made from them).
pub fn gateway_replies(data: &[u8]) -> Vec<(String, Reply)> {
    let gateway = Gateway::new().app(DEV_SDK_APP_ID, DEV_SECRET_KEY).admin(DEV_ADMIN).ticket(GATEWAY_TICKET);
    let emulator = Emulator::new(EmulatorConfig::new());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("a tokio runtime");
    let mut lines = data.split(|&b| b == b'\n');
    let mut replies = Vec::new();
    while replies.len() < GATEWAY_CALLS {
        let Some(request) = lines.next() else { break };
        let body = lines.next().unwrap_or(&[]).to_vec();
        let body_text = String::from_utf8_lossy(&body).into_owned();
        let request = String::from_utf8_lossy(request);
        let (method, target) = request.split_once(' ').unwrap_or((&request, ""));
        let reply = match gateway.open(method, target, body) {
            Err(reply) => reply,
            Ok(call) if NOT_RUN.contains(&call.path()) => runtime.block_on(not_run(call)),
            Ok(call) => runtime.block_on(live_api::dispatch(&emulator, call)),
        };
        check_envelope(&reply);
        check_no_ticket(method, target, &body_text, &reply);
        replies.push((target.to_owned(), reply));
    }
    replies
}

/// Decodes and checks a call of [`NOT_RUN`] as `dispatch` would, and answers 60017 instead of
/// running it.
async fn not_run(call: Call) -> Reply {
    const MESSAGE: &str = "not run by the fuzz target";
    if call.path() == NOT_RUN[0] {
        call.handle::<live_api::SetCallback, _, _>(|_, _| async { Err(Failure::from_code(UNSERVED, MESSAGE)) }).await
    } else {
        call.handle::<live_api::UpdateCallback, _, _>(|_, _| async { Err(Failure::from_code(UNSERVED, MESSAGE)) }).await
    }
}

fn check_envelope(reply: &Reply) {
    let body: serde_json::Value = serde_json::from_slice(reply.body()).expect("a reply is JSON");
    assert_eq!(body["ErrorCode"].as_i64(), Some(reply.code()), "{body}");
    assert_eq!(body["RequestId"].as_str(), Some(reply.request_id()), "{body}");
    let status = if reply.code() == 0 { "OK" } else { "FAIL" };
    assert_eq!(body["ActionStatus"].as_str(), Some(status), "{body}");
}

/// A reply never shows the call's ticket (`usersig` as written in the query, when it looks like a
/// ticket) or the application's key, unless the call wrote them elsewhere too (in the method,
/// the body or another parameter, which a reply may echo).
fn check_no_ticket(method: &str, target: &str, body: &str, reply: &Reply) {
    let shown = String::from_utf8_lossy(reply.body());
    let query = target.split_once('?').map_or("", |(_, q)| q);
    for ticket in query.split('&').filter_map(|p| p.strip_prefix("usersig=")).filter(|t| looks_like_ticket(t)) {
        let elsewhere = format!("{method} {} {body}", target.replacen(&format!("usersig={ticket}"), "", 1));
        assert!(!shown.contains(ticket) || elsewhere.contains(ticket), "a reply shows the ticket: {shown}");
    }
    assert!(
        !shown.contains(DEV_SECRET_KEY) || [method, target, body].iter().any(|t| t.contains(DEV_SECRET_KEY)),
        "a reply shows the key: {shown}"
    );
}

/// At least 24 characters of the ticket alphabet: no word of a fixed message (which could show
/// by chance) is one.
fn looks_like_ticket(t: &str) -> bool {
    t.len() >= 24 && t.bytes().all(|b| b.is_ascii_alphanumeric() || b"*-_".contains(&b))
}
