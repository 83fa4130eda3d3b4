//! The main job until the emulator arrives: start a stand-in Live API server on 127.0.0.1, make
//! typed calls through the generated client, and print what went over the wire.
//!
//! `cargo run -p live-api --example demo`

use live_api::{
    Client, CreateRoom, Error, GetRoomInfo, LayoutInfo, LayoutItem, LayoutMode, ResumeMcuTask, ResumeMcuTaskCode,
    RoomInfo, RoomType, SetMixStream, TakeSeatMode, VideoEncode,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(serve(listener));
    println!("stand-in Live API server on http://{addr}\n");

    let client = Client::builder()
        .sdk_app_id(1400000000)
        .admin("administrator")
        .user_sig("demo-ticket")
        .base_url(format!("http://{addr}"))
        .build()?;

    let room = RoomInfo::new("live-42", RoomType::Live)
        .room_name("Friday show")
        .take_seat_mode(TakeSeatMode::ApplyToTake)
        .max_seat_count(8)
        .is_unlimited_room_enabled(true);
    let created = client.create_room(CreateRoom::new(room)).await?;
    println!("<- typed answer: {created:?}\n");

    let info = client.get_room_info(GetRoomInfo::new("live-42")).await?;
    println!("<- typed answer: {info:?}\n");

    let layout = LayoutInfo::new().layout_list(vec![
        LayoutItem::new().location_x(0).location_y(0).image_width(360).image_height(640).member_account("host"),
    ]);
    let mix = SetMixStream::new("live-42", LayoutMode::Custom)
        .video_encode(VideoEncode::new().width(720).height(1280))
        .layout_info(layout);
    client.set_mix_stream(mix).await?;
    println!("<- mix layout set\n");

    match client.resume_mcu_task(ResumeMcuTask::new("live-42")).await {
        Err(e) if e.code() == Some(ResumeMcuTaskCode::MixTaskNotFound) => {
            println!("<- typed API error, matched on its code: {e}\n")
        }
        other => println!("<- unexpected: {other:?}\n"),
    }

    let too_long = "x".repeat(53);
    match client.resume_mcu_task(ResumeMcuTask::new(too_long)).await {
        Err(Error::Invalid(e)) => println!("rejected before sending anything:\n{e}\n"),
        other => println!("unexpected: {other:?}\n"),
    }

    match client.get_room_info(GetRoomInfo::new("gateway-down")).await {
        Err(e) => println!("an answer that is not the envelope:\n{e}"),
        Ok(r) => println!("unexpected: {r:?}"),
    }
    Ok(())
}

/// Answers like the Live API would, and prints each request (with the ticket hidden).
async fn serve(listener: TcpListener) {
    while let Ok((mut stream, _)) = listener.accept().await {
        tokio::spawn(async move {
            let mut buf = Vec::new();
            loop {
                let mut chunk = [0u8; 4096];
                let Ok(n) = stream.read(&mut chunk).await else { return };
                if n == 0 {
                    return;
                }
                buf.extend_from_slice(&chunk[..n]);
                let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else { continue };
                let head = String::from_utf8_lossy(&buf[..end]).into_owned();
                let len = head
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(0);
                if buf.len() < end + 4 + len {
                    continue;
                }
                let body = String::from_utf8_lossy(&buf[end + 4..end + 4 + len]).into_owned();
                buf.drain(..end + 4 + len);
                let target = head.lines().next().unwrap_or_default().to_owned();
                let shown: Vec<String> = target
                    .split(['?', '&', ' '])
                    .map(|p| if p.starts_with("usersig=") { "usersig=<hidden>".to_owned() } else { p.to_owned() })
                    .collect();
                println!("-> {}", shown.join(" "));
                println!("-> body {body}");
                let (status, ctype, answer) = answer_for(&target, &body);
                println!("<- HTTP {status} {answer}");
                let reply = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: {ctype}\r\ncontent-length: {}\r\n\r\n{answer}",
                    answer.len()
                );
                if stream.write_all(reply.as_bytes()).await.is_err() {
                    return;
                }
            }
        });
    }
}

fn answer_for(target: &str, body: &str) -> (u16, &'static str, String) {
    let ok = |payload: &str| {
        format!(r#"{{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"RequestId":"Id-demo-O-Seq-1"{payload}}}"#)
    };
    if body.contains("gateway-down") {
        return (502, "text/html", "<html><head><title>502 Bad Gateway</title></head></html>".into());
    }
    let json = "application/json";
    if target.contains("/create_room") {
        (200, json, ok(r#","Response":{"RoomId":"live-42"}"#))
    } else if target.contains("/get_room_info") {
        // Numbers and strings where the docs disagree, as the real service sends them.
        let room = r#"{"RoomId":"live-42","RoomName":"Friday show","Owner_Account":144115,"TakeSeatMode":2,"IsMessageDisabled":"false","MaxSeatCount":8}"#;
        (200, json, ok(&format!(r#","Response":{{"RoomInfo":{room}}}"#)))
    } else if target.contains("/resume_mcu_task") {
        let e = r#"{"ActionStatus":"FAIL","ErrorInfo":"mix task does not exist","ErrorCode":100424,"RequestId":"Id-demo-O-Seq-2"}"#;
        (200, json, e.into())
    } else {
        (200, json, ok(""))
    }
}
