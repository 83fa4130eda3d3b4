//! perf/user-build.sh, side "by hand": the same three calls as live-api's side, written with
//! reqwest, serde, serde_json and tokio alone, as a user without live-api would: hand-written
//! request and answer structs, the documented envelope, and the UserSig signed from the secret key
//! (TLSSigAPIv2: HMAC-SHA256, a JSON document, zlib, base64 with `*-_`), as live-api's side does.

use std::error::Error;
use std::io::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

const BASE: &str = "https://adminapisgp.im.qcloud.com";

fn user_sig(sdkappid: u64, key: &str, identifier: &str, expire: u64) -> String {
    let time = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let text = format!("TLS.identifier:{identifier}\nTLS.sdkappid:{sdkappid}\nTLS.time:{time}\nTLS.expire:{expire}\n");
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(text.as_bytes());
    let sig = STANDARD.encode(mac.finalize().into_bytes());
    let doc = serde_json::json!({
        "TLS.ver": "2.0", "TLS.identifier": identifier, "TLS.sdkappid": sdkappid,
        "TLS.time": time, "TLS.expire": expire, "TLS.sig": sig,
    });
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    zlib.write_all(doc.to_string().as_bytes()).expect("writing to a Vec");
    let ticket = STANDARD.encode(zlib.finish().expect("writing to a Vec"));
    ticket.replace('+', "*").replace('/', "-").replace('=', "_")
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct RoomInfo<'a> {
    room_id: &'a str,
    room_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    room_name: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct CreateRoom<'a> {
    room_info: RoomInfo<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ByRoomId<'a> {
    room_id: &'a str,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Envelope<T> {
    action_status: String,
    error_code: i64,
    #[serde(default)]
    error_info: String,
    #[serde(default)]
    request_id: String,
    response: Option<T>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
struct Created {
    room_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
struct RoomAnswer {
    room_info: Option<RoomDetails>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
struct RoomDetails {
    room_id: Option<String>,
    room_name: Option<String>,
    #[serde(rename = "Owner_Account")]
    owner_account: Option<serde_json::Value>,
    max_member_count: Option<u32>,
    create_time: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
struct Destroyed {
    statistic: Option<Statistic>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
struct Statistic {
    total_viewers: Option<u64>,
}

struct Api {
    http: reqwest::Client,
    sdkappid: u64,
    admin: String,
    ticket: String,
}

impl Api {
    async fn call<Q: Serialize, A: DeserializeOwned + Default>(&self, path: &str, request: &Q) -> Result<A, Box<dyn Error>> {
        let random = SystemTime::now().duration_since(UNIX_EPOCH)?.subsec_nanos();
        let url = format!(
            "{BASE}/v4/{path}?sdkappid={}&identifier={}&usersig={}&random={random}&contenttype=json",
            self.sdkappid, self.admin, self.ticket
        );
        let body = serde_json::to_vec(request)?;
        let answer = self.http.post(url).header("content-type", "application/json").body(body).send().await?;
        let status = answer.status();
        let bytes = answer.bytes().await?;
        let envelope: Envelope<A> =
            serde_json::from_slice(&bytes).map_err(|e| format!("{path}: HTTP {status}, not the envelope: {e}"))?;
        if envelope.action_status != "OK" || envelope.error_code != 0 {
            let (code, info, id) = (envelope.error_code, envelope.error_info, envelope.request_id);
            return Err(format!("{path} failed: {code} {info}, request id {id}").into());
        }
        Ok(envelope.response.unwrap_or_default())
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let key = std::env::var("LIVE_SECRET_KEY")?;
    let api = Api {
        http: reqwest::Client::builder().timeout(std::time::Duration::from_secs(10)).build()?,
        sdkappid: 1400000000,
        admin: "administrator".into(),
        ticket: user_sig(1400000000, &key, "administrator", 180 * 86400),
    };
    let name = "Friday show 0"; // perf/user-build.sh edits this line for the incremental build

    let room = RoomInfo { room_id: "live-42", room_type: "Live", room_name: Some(name) };
    let created: Created = api.call("live_engine_http_srv/create_room", &CreateRoom { room_info: room }).await?;
    println!("created {}", created.room_id.unwrap_or_default());
    let info: RoomAnswer = api.call("live_engine_http_srv/get_room_info", &ByRoomId { room_id: "live-42" }).await?;
    let room = info.room_info.unwrap_or_default();
    println!("{}: {} (owner {:?}, {:?} members max, created {:?})", room.room_id.unwrap_or_default(),
        room.room_name.unwrap_or_default(), room.owner_account, room.max_member_count, room.create_time);
    let closed: Destroyed = api.call("live_engine_http_srv/destroy_room", &ByRoomId { room_id: "live-42" }).await?;
    println!("viewers: {}", closed.statistic.and_then(|s| s.total_viewers).unwrap_or_default());
    Ok(())
}
