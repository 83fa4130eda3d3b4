//! Writes the seed corpora of `fuzz/corpus/` from the documented samples (`cargo run --example seeds`
//! in `fuzz/`; it replaces the files it writes, and leaves others, e.g. minimised crashes, alone):
//!
//! | corpus | seeds |
//! | --- | --- |
//! | `spec` | a few spec files of `api-specs/` of each kind, as they are |
//! | `answer` | the documented answers (`examples[].response`) and the emulator's answers to the documented requests, of the endpoints of `ANSWERED` |
//! | `usersig` | the reference tickets and documents of tests/tests/usersig.rs, and a signing case |
//! | `webhook` | the documented callback bodies (`api-specs/callbacks/*.json` `examples[].body`), unsigned and signed |
//! | `gateway` | each endpoint's documented request (`examples[].request`) after the creation of the room it names, and one room's life |

use std::path::{Path, PathBuf};

use live_api_fuzz::{ANSWERED, GATEWAY_TICKET, WEBHOOK_APP, WEBHOOK_NOW, WEBHOOK_TOKEN, gateway_replies};
use serde_json::{Value, json};

/// The spec files seeded as they are: endpoints (plain, paged, with limits, defaults and
/// examples), shared types (an object, an enum), error tables and callbacks (after, before).
const SPEC_SEEDS: [&str; 14] = [
    "live_engine_http_srv/create_room.json",
    "live_engine_http_srv/get_room_info.json",
    "live_engine_http_srv/get_room_list.json",
    "live_engine_http_srv/set_mix_stream.json",
    "room_engine_http_mic/get_seat_list.json",
    "live_config/set_callback.json",
    "openim/query_online_status.json",
    "types/RoomInfo.json",
    "types/TakeSeatMode.json",
    "errors/rest.json",
    "errors/live_common.json",
    "callbacks/Live.CallbackAfterCreateRoom.json",
    "callbacks/Live.CallbackBeforeSendGift.json",
    "callbacks/Group.CallbackBeforeSendMsg.json",
];

/// The reference vectors of tests/tests/usersig.rs: (name, ticket, document).
const USERSIG_VECTORS: [(&str, &str, &str); 4] = [
    (
        "admin_default",
        "eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkElNyM-Myi0uKEkvyi2BKilOyEwsKMlOACgxNDKAAKpdaUZBZlAqSMTU1NUKIl2TmgkXN0dQXZ6aD7PFyrqpIzHOz8AsJiUgsNcnVNsqwLC8zT4-0yqv0yy7ONajINfRzjQg1MjexVaoFANTGNgc_",
        r#"{"TLS.ver": "2.0", "TLS.identifier": "administrator", "TLS.sdkappid": 1400000000, "TLS.expire": 15552000, "TLS.time": 1700000000, "TLS.sig": "JCzxanF8NTTXau4m+2h9wv7gYJnyNksm0xm1NEXU274="}"#,
    ),
    (
        "expire_0",
        "eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkElNyM-Myi0uKEkvyi2BKilOyEwsKMlOACgxNDKAAKpdaUZBZlAqUgQmUZOaCuIbmaAqLM9NBFiSnBhs7huY4ZuekFURF*Hnq55lXZGeWmZgXOxunl*Y7pSe6eFskuhVWBgXaKtUCAJV9NQY_",
        r#"{"TLS.ver": "2.0", "TLS.identifier": "administrator", "TLS.sdkappid": 1400000000, "TLS.expire": 0, "TLS.time": 1700000000, "TLS.sig": "ceS3AUlAklfpZXNI/n7xkiv47sC3guoBgaDK8aFqyRQ="}"#,
    ),
    (
        "ident_chinese",
        "eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkYkrNTY0sYkrNjIzNY0pNUg0MYkpNjdPMYaqLU7ITCwoyU4BqDU0MoAAql1pRkFmUCpSxMDOBC5Zk5oKEDM3RFBdnpoPsSzf0dEwt0PfM8PSxSEr2L-DxLImqqiwt8nKpMHa09DWsqspxrjLJzAkqMLFVqgUAqqc3Mg__",
        r#"{"TLS.ver": "2.0", "TLS.identifier": "\u7528\u6237\u4e00\u53f7", "TLS.sdkappid": 1400000000, "TLS.expire": 86400, "TLS.time": 1700000000, "TLS.sig": "g1IAep/IhIL8bcOpLItZzyurJDx3A9M1zzlCz4ilRp4="}"#,
    ),
    (
        "userbuf_abc",
        "eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkKjIT87NK82CSxSnZiQUFmSlAKUMTAyiAyqVWFGQWpYJkTE1NjRDiJZm5YFFzNPWlxalFSaVpIFsiw72y4FZkpoOEArNCjAwMKwKyI7L1E30NU7UrDcoSs6OSDLyNMgOK3EpTtbUNik0rzZLcfG2VagHdkjl6",
        r#"{"TLS.ver": "2.0", "TLS.identifier": "xiaojun", "TLS.sdkappid": 1400000000, "TLS.expire": 15552000, "TLS.time": 1700000000, "TLS.userbuf": "YWJj", "TLS.sig": "QjT201xPkXk/aM1e+y0vakZb0K2iPrFue++0s5y6bFM="}"#,
    ),
];

/// The room of the life-of-a-room gateway seed.
const ROOM: &str = "live-room";

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let specs = root.join("../api-specs");
    let corpus = root.join("corpus");
    let endpoints = endpoints(&specs);

    // spec
    for rel in SPEC_SEEDS {
        let text = std::fs::read_to_string(specs.join(rel)).expect("a seeded spec file");
        write(&corpus, "spec", &rel.replace('/', "_"), format!("{rel}\n{text}").as_bytes());
    }
    write(&corpus, "spec", "empty_object", b"live_engine_http_srv/x.json\n{}");

    // gateway: each documented request after its room's creation, and one room's life
    let mut gateway = Vec::new();
    for e in &endpoints {
        if let Some(request) = e.examples.iter().find_map(|x| x.get("request")) {
            let mut input = String::new();
            let room = ["RoomId", "FromRoomId"].iter().find_map(|k| request.get(*k)).and_then(Value::as_str);
            if let Some(room) = room.filter(|_| e.command != "create_room") {
                input += &call("live_engine_http_srv/create_room", &create_room(room));
            }
            input += &call(&e.path, request);
            gateway.push((e.path.replace('/', "_"), input));
        }
    }
    let life = [
        "live_engine_http_srv/add_robot",
        "room_engine_http_mic/pick_user_on_seat",
        "live_engine_http_srv/set_room_metadata",
        "live_engine_http_srv/modify_admin",
        "live_engine_http_srv/mute_member",
        "live_engine_http_srv/add_gift",
        "live_engine_http_srv/send_gift",
        "live_engine_http_srv/get_gift",
        "live_engine_http_srv/get_room_info",
        "live_engine_http_srv/get_room_list",
        "room_engine_http_mic/get_seat_list",
        "live_engine_http_srv/get_member_list",
        "live_engine_http_srv/get_room_stats",
        "live_engine_http_srv/destroy_room",
    ];
    let mut input = call("live_engine_http_srv/create_room", &create_room(ROOM));
    for path in life {
        let e = endpoints.iter().find(|e| e.path == path).expect("an endpoint of the room's life");
        let mut request = e.examples.iter().find_map(|x| x.get("request")).expect("a documented request").clone();
        if request.get("RoomId").is_some() {
            request["RoomId"] = json!(ROOM);
        }
        if path.ends_with("pick_user_on_seat") {
            request["Member_Account"] = json!("brennanli");
        }
        input += &call(path, &request);
    }
    gateway.push(("life_of_a_room".into(), input));
    // A signed ticket instead of the fixed one (valid for 50 years from the seeds' making).
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("a clock").as_secs();
    let params = live_api::usersig::SignParams::new(
        live_api::emulator::DEV_SDK_APP_ID,
        live_api::emulator::DEV_SECRET_KEY,
        live_api::emulator::DEV_ADMIN,
        50 * 365 * 86_400,
    );
    let ticket = live_api::usersig::sign(&params, now);
    let signed = call("live_engine_http_srv/get_room_list", &json!({"Count": 20})).replace(GATEWAY_TICKET, &ticket);
    gateway.push(("signed_ticket".into(), signed));
    gateway.push(("get_is_refused".into(), "GET /v4/live_engine_http_srv/get_room_list?sdkappid=1\n{}\n".into()));
    for (name, input) in &gateway {
        write(&corpus, "gateway", name, input.as_bytes());
    }

    // answer: the documented answers, and the emulator's to the gateway seeds
    for (i, name) in ANSWERED.iter().enumerate() {
        let e = endpoints.iter().find(|e| &e.rust_name == name).expect("an answered endpoint");
        let selector = u8::try_from(i).expect("a small index");
        for (n, example) in e.examples.iter().filter_map(|x| x.get("response")).enumerate() {
            let body = [&[selector][..], example.to_string().as_bytes()].concat();
            write(&corpus, "answer", &format!("{}_documented_{n}", e.command), &body);
        }
        let mut from_emulator = None;
        for (_, input) in &gateway {
            for (target, reply) in gateway_replies(input.as_bytes()) {
                let path = target.split('?').next().unwrap_or_default();
                if path == format!("/v4/{}", e.path) && (reply.code() == 0 || from_emulator.is_none()) {
                    from_emulator = Some(reply.body().to_vec());
                }
            }
        }
        if let Some(body) = from_emulator {
            write(&corpus, "answer", &format!("{}_emulated", e.command), &[&[selector][..], &body].concat());
        }
    }
    let failure = br#"{"ActionStatus":"FAIL","ErrorCode":100004,"ErrorInfo":"room not exist","RequestId":"Id-1"}"#;
    write(&corpus, "answer", "failure", &[&[0][..], failure].concat());

    // usersig
    for (name, ticket, document) in USERSIG_VECTORS {
        write(&corpus, "usersig", &format!("{name}_ticket"), format!("T{ticket}").as_bytes());
        write(&corpus, "usersig", &format!("{name}_document"), format!("D{document}").as_bytes());
    }
    write(&corpus, "usersig", "sign_with_userbuf", "Sxiaojun\nabc".as_bytes());

    // webhook: the documented bodies, unsigned and signed
    let mut names: Vec<PathBuf> = std::fs::read_dir(specs.join("callbacks"))
        .expect("api-specs/callbacks")
        .map(|e| e.expect("a readable folder").path())
        .collect();
    names.sort();
    for path in names {
        let spec: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("a callback spec")).expect("JSON");
        let command = spec["callback"].as_str().expect("a callback word");
        for (n, body) in spec["examples"].as_array().into_iter().flatten().filter_map(|x| x.get("body")).enumerate() {
            let query = format!(
                "SdkAppid={WEBHOOK_APP}&CallbackCommand={command}&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI"
            );
            let input = if n % 2 == 0 {
                format!("{query}\n{body}")
            } else {
                let time = WEBHOOK_NOW.to_string();
                let sign = live_api::webhook::sign(&live_api::Secret::new(WEBHOOK_TOKEN), &time);
                format!("{query}&Sign={sign}&RequestTime={time}\n{body}")
            };
            write(&corpus, "webhook", &format!("{command}_{n}"), input.as_bytes());
        }
    }
}

/// One endpoint spec, as the seeds need it.
struct Spec {
    path: String,
    command: String,
    rust_name: String,
    examples: Vec<Value>,
}

fn endpoints(specs: &Path) -> Vec<Spec> {
    let mut out = Vec::new();
    let mut services: Vec<PathBuf> =
        std::fs::read_dir(specs).expect("api-specs/").map(|e| e.expect("a readable folder").path()).collect();
    services.sort();
    for service in services.iter().filter(|p| p.is_dir()) {
        let name = service.file_name().expect("a name").to_string_lossy().into_owned();
        if ["types", "errors", "callbacks"].contains(&name.as_str()) {
            continue;
        }
        let mut files: Vec<PathBuf> =
            std::fs::read_dir(service).expect("a service").map(|e| e.expect("a readable folder").path()).collect();
        files.sort();
        for file in files {
            let spec: Value =
                serde_json::from_str(&std::fs::read_to_string(&file).expect("a spec file")).expect("JSON");
            let command = spec["command"].as_str().expect("a command").to_owned();
            let rust_name = command.split('_').map(|w| w[..1].to_uppercase() + &w[1..]).collect::<String>();
            let examples = spec["examples"].as_array().cloned().unwrap_or_default();
            out.push(Spec { path: format!("{name}/{command}"), command, rust_name, examples });
        }
    }
    out
}

/// A room that every endpoint can use: seats, mixing.
fn create_room(room: &str) -> Value {
    json!({"RoomInfo": {"RoomId": room, "RoomType": "Live", "IsSeatEnabled": true, "IsUnlimitedRoomEnabled": true, "MaxSeatCount": 9}})
}

/// The two lines of a call of [`live_api_fuzz::gateway`] as the default admin.
fn call(path: &str, body: &Value) -> String {
    format!(
        "POST /v4/{path}?sdkappid={}&identifier={}&usersig={GATEWAY_TICKET}&random=1&contenttype=json\n{body}\n",
        live_api::emulator::DEV_SDK_APP_ID,
        live_api::emulator::DEV_ADMIN
    )
}

fn write(corpus: &Path, target: &str, name: &str, data: &[u8]) {
    let dir = corpus.join(target);
    std::fs::create_dir_all(&dir).expect("a corpus folder");
    std::fs::write(dir.join(name), data).expect("a seed written");
}
