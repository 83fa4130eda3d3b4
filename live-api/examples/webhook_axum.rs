//! The axum webhook receiver of the README ("Receiving webhooks"), compiled: a route that
//! verifies Live's webhooks and answers them, typed. The README's block is the part between the
//! `readme` markers (tests/tests/readme.rs checks that they agree).
//!
//! `WEBHOOK_TOKEN=... cargo run -p live-api --example webhook_axum --features axum`, then point
//! the app's webhooks at `http://<host>:8080/live/webhook` (`set_callback`).

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // readme:start
    use live_api::callback::{CallbackSet, PassThrough, Reply};
    use live_api::webhook::{self, Delivery, Receiver};
    use live_api::{BeforeSendGiftReply, Callback};

    let receiver = Receiver::new(1400000000).token(std::env::var("WEBHOOK_TOKEN")?);
    let app = axum::Router::new().route(
        "/live/webhook",
        webhook::axum::route(receiver, |d: Delivery<Callback>| async move {
            match d.callback {
                Callback::AfterCreateRoom(created) => {
                    println!("room created: {:?}", created.room_info.and_then(|r| r.room_id));
                    Reply::ok()
                }
                // Live waits for this reply (at most 2 s) before the gift is sent.
                Callback::BeforeSendGift(gift) => match gift.gift_water.and_then(|w| w.gift_id).as_deref() {
                    Some("yacht") => PassThrough::new(102150) // a code of the app's, 102100..=102200
                        .map_or(BeforeSendGiftReply::Reject, |code| BeforeSendGiftReply::RejectWith {
                            code,
                            info: "yachts are sold out".into(), // passed to the sender with the code
                        })
                        .into(),
                    _ => BeforeSendGiftReply::Allow.into(),
                },
                other => {
                    println!("{}: {}", other.command(), serde_json::to_string(&other).unwrap_or_default());
                    Reply::ok()
                }
            }
        }),
    );
    axum::serve(tokio::net::TcpListener::bind("0.0.0.0:8080").await?, app).await?;
    // readme:end
    Ok(())
}
