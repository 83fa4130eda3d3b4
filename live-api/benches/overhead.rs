//! Run-time overhead of the generated client against hand-written code, in the same run:
//!
//! - `prepare`: checking a request, rendering its JSON body and its URL with the cached ticket,
//!   against hand-written serde structs, hand-written checks and a `format!`ted URL;
//! - `decode`: decoding a large answer (get_room_list with 1,000 rooms, get_seat_list with 500
//!   seats) through the envelope decoder, against hand-written serde types;
//! - `call`: a whole call against an HTTP server on 127.0.0.1, one at a time and 64 in flight,
//!   against the same calls made with hand-written reqwest + serde code.
//!
//! `cargo bench -p live-api --bench overhead`; results in docs/performance.md.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use live_api::__private::hooks;
use live_api::{
    Client, CreateRoom, GetRoomList, GetSeatList, RateLimitMode, RetryPolicy, RoomInfo, RoomType, TakeSeatMode,
};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

// ---- hand-written baseline types ----

#[derive(Serialize)]
struct HandCreateRoom<'a> {
    #[serde(rename = "RoomInfo")]
    room_info: HandRoomInfo<'a>,
}

#[derive(Serialize)]
struct HandRoomInfo<'a> {
    #[serde(rename = "RoomId")]
    room_id: &'a str,
    #[serde(rename = "RoomType")]
    room_type: &'a str,
    #[serde(rename = "RoomName", skip_serializing_if = "Option::is_none")]
    room_name: Option<&'a str>,
    #[serde(rename = "CoverURL", skip_serializing_if = "Option::is_none")]
    cover_url: Option<&'a str>,
    #[serde(rename = "Category", skip_serializing_if = "Option::is_none")]
    category: Option<Vec<u32>>,
    #[serde(rename = "TakeSeatMode", skip_serializing_if = "Option::is_none")]
    take_seat_mode: Option<&'a str>,
    #[serde(rename = "MaxSeatCount", skip_serializing_if = "Option::is_none")]
    max_seat_count: Option<u32>,
}

fn hand_prepare(req: &HandCreateRoom<'_>, ticket: &str) -> Result<(String, Vec<u8>), String> {
    let info = &req.room_info;
    if info.room_id.is_empty() || info.room_id.len() > 48 {
        return Err(format!("RoomId is {} bytes", info.room_id.len()));
    }
    if info.room_name.is_some_and(|n| n.len() > 100) || info.cover_url.is_some_and(|c| c.len() > 200) {
        return Err("too long".into());
    }
    if info.category.as_ref().is_some_and(|c| c.len() > 3) {
        return Err("too many categories".into());
    }
    let body = serde_json::to_vec(req).map_err(|e| e.to_string())?;
    let url = format!(
        "http://127.0.0.1:9/v4/live_engine_http_srv/create_room?sdkappid={}&identifier={}&usersig={}&random={}&contenttype=json",
        1400000000u64,
        "administrator",
        ticket,
        fastrand::u32(..)
    );
    Ok((url, body))
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandEnvelope<R> {
    #[serde(rename = "ErrorCode")]
    error_code: i64,
    #[serde(rename = "ErrorInfo")]
    error_info: String,
    #[serde(rename = "RequestId")]
    request_id: String,
    #[serde(rename = "Response")]
    response: Option<R>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandRoomList {
    #[serde(rename = "Next")]
    next: Option<String>,
    #[serde(rename = "RoomList")]
    room_list: Option<Vec<HandRoom>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandRoom {
    #[serde(rename = "RoomName")]
    room_name: Option<String>,
    #[serde(rename = "RoomId")]
    room_id: Option<String>,
    #[serde(rename = "Owner_Account")]
    owner_account: Option<serde_json::Value>,
    #[serde(rename = "CoverURL")]
    cover_url: Option<String>,
    #[serde(rename = "Category")]
    category: Option<Vec<u32>>,
    #[serde(rename = "CreateTime")]
    create_time: Option<i64>,
    #[serde(rename = "ActivityStatus")]
    activity_status: Option<i64>,
    #[serde(rename = "ViewCount")]
    view_count: Option<u64>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandSeatList {
    #[serde(rename = "SeatList")]
    seat_list: Option<Vec<HandSeat>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandSeat {
    #[serde(rename = "Index")]
    index: Option<u32>,
    #[serde(rename = "Member_Account")]
    member_account: Option<String>,
    #[serde(rename = "IsTakenDisabled")]
    is_taken_disabled: Option<bool>,
    #[serde(rename = "IsVideoDisabled")]
    is_video_disabled: Option<bool>,
    #[serde(rename = "IsAudioDisabled")]
    is_audio_disabled: Option<bool>,
}

fn room_list_body(n: usize) -> Vec<u8> {
    let rooms: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "RoomName": format!("Friday show {i}"), "RoomId": format!("live-room-{i}"),
                "Owner_Account": format!("host-{i}"), "CoverURL": "https://example.invalid/cover.png",
                "Category": [1, 2], "CreateTime": 1_700_000_000 + i, "ActivityStatus": 1, "ViewCount": 1000 - i
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0, "RequestId": "Id-bench-O-Seq-1",
        "Response": {"Next": "cursor-2", "RoomList": rooms}
    }))
    .unwrap()
}

fn seat_list_body(n: usize) -> Vec<u8> {
    let seats: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({"Index": i, "Member_Account": format!("user-{i}"),
                "IsTakenDisabled": false, "IsVideoDisabled": i % 2 == 0, "IsAudioDisabled": false})
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0, "RequestId": "Id-bench-O-Seq-1",
        "Response": {"SeatList": seats}
    }))
    .unwrap()
}

fn prepare(c: &mut Criterion) {
    let client = Client::builder()
        .sdk_app_id(1400000000)
        .secret_key("5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e")
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let (ticket_url, _) = hooks::prepare(&client, &GetSeatList::new("x")).unwrap();
    let ticket = ticket_url.split("usersig=").nth(1).unwrap().split('&').next().unwrap().to_owned();
    let generated = CreateRoom::new(
        RoomInfo::new("live-room-42", RoomType::Live)
            .room_name("Friday show")
            .cover_url("https://example.invalid/cover.png")
            .category(vec![1, 2])
            .take_seat_mode(TakeSeatMode::ApplyToTake)
            .max_seat_count(8),
    );
    let hand = HandCreateRoom {
        room_info: HandRoomInfo {
            room_id: "live-room-42",
            room_type: "Live",
            room_name: Some("Friday show"),
            cover_url: Some("https://example.invalid/cover.png"),
            category: Some(vec![1, 2]),
            take_seat_mode: Some("ApplyToTake"),
            max_seat_count: Some(8),
        },
    };
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&hooks::prepare(&client, &generated).unwrap().1).unwrap(),
        serde_json::from_slice::<serde_json::Value>(&hand_prepare(&hand, &ticket).unwrap().1).unwrap(),
        "both sides send the same body"
    );
    let mut g = c.benchmark_group("prepare");
    g.bench_function("generated", |b| b.iter(|| black_box(hooks::prepare(&client, black_box(&generated)).unwrap())));
    g.bench_function("hand-written", |b| b.iter(|| black_box(hand_prepare(black_box(&hand), &ticket).unwrap())));
    g.finish();
}

fn decode(c: &mut Criterion) {
    let rooms = room_list_body(1000);
    let seats = seat_list_body(500);
    let mut g = c.benchmark_group("decode");
    g.bench_function("get_room_list 1000 rooms/generated", |b| {
        b.iter(|| black_box(hooks::decode::<GetRoomList>(200, Some("application/json"), black_box(&rooms)).unwrap()))
    });
    g.bench_function("get_room_list 1000 rooms/hand-written", |b| {
        b.iter(|| black_box(serde_json::from_slice::<HandEnvelope<HandRoomList>>(black_box(&rooms)).unwrap()))
    });
    g.bench_function("get_seat_list 500 seats/generated", |b| {
        b.iter(|| black_box(hooks::decode::<GetSeatList>(200, Some("application/json"), black_box(&seats)).unwrap()))
    });
    g.bench_function("get_seat_list 500 seats/hand-written", |b| {
        b.iter(|| black_box(serde_json::from_slice::<HandEnvelope<HandSeatList>>(black_box(&seats)).unwrap()))
    });
    g.finish();
}

/// A keep-alive HTTP/1.1 server on 127.0.0.1 answering every request with `body`.
async fn serve(body: Arc<Vec<u8>>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let _ = s.set_nodelay(true);
            let body = body.clone();
            tokio::spawn(async move {
                let mut buf = Vec::with_capacity(4096);
                let mut chunk = [0u8; 4096];
                loop {
                    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                        match s.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    while buf.len() < end + 4 + len {
                        match s.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    buf.drain(..end + 4 + len);
                    let mut out = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    out.extend_from_slice(&body);
                    if s.write_all(&out).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

async fn hand_call(http: &reqwest::Client, base: &str, ticket: &str) -> HandEnvelope<HandSeatList> {
    let url = format!(
        "{base}/v4/room_engine_http_mic/get_seat_list?sdkappid=1400000000&identifier=administrator&usersig={ticket}&random={}&contenttype=json",
        fastrand::u32(..)
    );
    let body = serde_json::to_vec(&serde_json::json!({"RoomId": "live-room-42"})).unwrap();
    let resp = http.post(url).header("content-type", "application/json").body(body).send().await.unwrap();
    let bytes = resp.bytes().await.unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn call(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let base = rt.block_on(serve(Arc::new(seat_list_body(8))));
    let client = Client::builder()
        .sdk_app_id(1400000000)
        .user_sig("eJwtjN0KgjAYhu9l1-TATU2hQxRFIsq6gOE")
        .base_url(&base)
        .rate_limit(RateLimitMode::Off)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let http = reqwest::Client::builder().tcp_nodelay(true).build().unwrap();
    let ticket = "eJwtjN0KgjAYhu9l1-TATU2hQxRFIsq6gOE";
    let mut g = c.benchmark_group("call");
    g.bench_function("sequential/generated", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(client.get_seat_list(GetSeatList::new("live-room-42")).await.unwrap()) })
    });
    g.bench_function("sequential/hand-written", |b| {
        b.to_async(&rt).iter(|| async { black_box(hand_call(&http, &base, ticket).await) })
    });
    g.bench_function("64 in flight/generated", |b| {
        b.to_async(&rt).iter(|| async {
            let calls: Vec<_> = (0..64)
                .map(|_| {
                    let c = client.clone();
                    tokio::spawn(async move { c.get_seat_list(GetSeatList::new("live-room-42")).await.unwrap() })
                })
                .collect();
            for t in calls {
                black_box(t.await.unwrap());
            }
        })
    });
    g.bench_function("64 in flight/hand-written", |b| {
        b.to_async(&rt).iter(|| async {
            let calls: Vec<_> = (0..64)
                .map(|_| {
                    let (http, base) = (http.clone(), base.clone());
                    tokio::spawn(async move { hand_call(&http, &base, ticket).await })
                })
                .collect();
            for t in calls {
                black_box(t.await.unwrap());
            }
        })
    });
    g.finish();
}

criterion_group!(benches, prepare, decode, call);
criterion_main!(benches);
