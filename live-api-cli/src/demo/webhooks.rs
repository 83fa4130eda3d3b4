//! The demo's webhooks: against the embedded emulator, a `live_api::webhook` receiver in this
//! process (the standalone server on 127.0.0.1) gets the callbacks of the session, signed with a
//! token of this run, and prints each one as it arrives, decoded into `live_api::Callback` and
//! re-encoded; its handler decides the gifts. Against a real service the app's webhook
//! configuration is left alone.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use live_api::callback::{CallbackSet, PassThrough, Reply};
use live_api::server::HttpServer;
use live_api::webhook::{self, Delivery, Receiver};
use live_api::{
    AddGift, BeforeSendGiftReply, Callback, CallbackCommand, ErrorCode, SendGift, SetCallback, SetCallbackToken,
};
use tokio::sync::mpsc;

use super::Session;
use crate::exit;

/// The gift the receiver's handler refuses, and the code and `ErrorInfo` it passes through.
const REFUSED_GIFT: &str = "yacht";
const REFUSED_CODE: u32 = 102150;
const REFUSED_INFO: &str = "yachts are sold out tonight (the demo's webhook handler)";

/// The commands the session's calls trigger.
const COMMANDS: [CallbackCommand; 7] = [
    CallbackCommand::LiveCallbackAfterCreateRoom,
    CallbackCommand::LiveCallbackAfterMemberStateChanged,
    CallbackCommand::MicCallbackAfterSeatInfoChanged,
    CallbackCommand::GroupCallbackBeforeSendMsg,
    CallbackCommand::GroupCallbackAfterSendMsg,
    CallbackCommand::LiveCallbackBeforeSendGift,
    CallbackCommand::LiveCallbackAfterDestroyRoom,
];

/// How long the demo waits, at its end, for the last callback (the demo room's destruction):
/// an application's callbacks arrive in order, so the others have arrived by then.
const LAST_CALLBACK_WAIT: Duration = Duration::from_secs(5);

/// The receiver of the session's webhooks.
pub(super) struct Webhooks {
    _server: HttpServer,
    /// The rooms whose destruction was received.
    destroyed: mpsc::UnboundedReceiver<String>,
    received: Arc<AtomicUsize>,
    /// Callbacks of a command `live_api::Callback` does not know (none is expected).
    unknown: Arc<AtomicUsize>,
    refused: Arc<AtomicUsize>,
}

/// A token for this run only (it signs the emulator's callbacks; it is never printed).
fn fresh_token() -> String {
    let state = RandomState::new();
    (0..2u8).map(|i| format!("{:016x}", state.hash_one(i))).collect()
}

/// What the handler answers: every callback is allowed, but the refused gift.
fn decide(callback: &Callback) -> Option<BeforeSendGiftReply> {
    let Callback::BeforeSendGift(gift) = callback else { return None };
    let id = gift.gift_water.as_ref().and_then(|w| w.gift_id.as_deref());
    Some(if id == Some(REFUSED_GIFT) {
        let code = PassThrough::new(REFUSED_CODE).unwrap_or_else(|e| unreachable!("{e}"));
        BeforeSendGiftReply::RejectWith { code, info: REFUSED_INFO.into() }
    } else {
        BeforeSendGiftReply::Allow
    })
}

/// Starts the receiver and points the app's webhooks at it, against the embedded emulator;
/// against a real service, says that its webhook configuration is not touched.
pub(super) async fn start(s: &mut Session<'_>, embedded: bool) -> Option<Webhooks> {
    if !embedded {
        println!(
            "\nWebhooks: not shown against a real service: the demo does not touch the app's webhook configuration (live_config)"
        );
        return None;
    }
    let token = fresh_token();
    let (sent, destroyed) = mpsc::unbounded_channel();
    let (received, refused) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let counted = refused.clone();
    let receiver = Receiver::new(s.client.sdk_app_id()).token(token.clone()).on_rejection(move |r| {
        counted.fetch_add(1, Ordering::SeqCst);
        println!("  ✗ webhook refused ({}): {r}", r.status());
    });
    let unknown = Arc::new(AtomicUsize::new(0));
    let (count, untyped) = (received.clone(), unknown.clone());
    // The line is printed before the reply is sent: the emulator sends an application's
    // callbacks one at a time, so the lines come in the order of the events.
    let handler = move |d: Delivery<Callback>| {
        count.fetch_add(1, Ordering::SeqCst);
        if matches!(d.callback, Callback::Unknown(_)) {
            untyped.fetch_add(1, Ordering::SeqCst);
        }
        let body = serde_json::to_string(&d.callback).unwrap_or_else(|e| format!("<{e}>"));
        println!("  ⇐ webhook {} {body}", d.callback.command());
        let reply = decide(&d.callback);
        if let Some(reply) = &reply {
            println!("    ⇒ the handler answers {reply:?}");
        }
        if let Callback::AfterDestroyRoom(room) = &d.callback {
            let _ = sent.send(room.room_id.clone().unwrap_or_default());
        }
        std::future::ready(reply.map_or_else(Reply::ok, Reply::from))
    };
    println!(
        "\nWebhooks: the app's callbacks go to a receiver in this process, which prints each one as it arrives \
         (⇐; the emulator queues after-callbacks, so one may arrive during a later step)"
    );
    let server = match webhook::bind("127.0.0.1:0", receiver, handler).await {
        Ok(server) => server,
        Err(e) => {
            println!("  ✗ cannot start the webhook receiver: {e}");
            s.failed.get_or_insert(exit::CONFIG);
            return None;
        }
    };
    let url = format!("{}/live/webhook", server.url());
    println!(
        "  (live_api::webhook::bind at {url}: checks each request's SdkAppid and Sign, decodes it into live_api::Callback)"
    );
    s.must("   Point the app's webhooks at it", SetCallback::new(url, COMMANDS.to_vec())).await;
    // The token is a secret: the request is not printed with it.
    println!(
        "\n   and sign them with a token of this run\n  → set_callback_token {{\"Token\":\"<not shown>\",\"IsTokenEnable\":true}}"
    );
    s.calls += 1;
    match s.client.set_callback_token(SetCallbackToken::new().token(token).is_token_enable(true)).await {
        Ok(answer) => println!("  ← {}", super::json(&answer)),
        Err(e) => {
            println!("  ✗ {e}");
            s.failed.get_or_insert(exit::of(&e));
        }
    }
    Some(Webhooks { _server: server, destroyed, received, unknown, refused })
}

/// A viewer sends two gifts to the host: the receiver's handler allows the first and refuses
/// the second with its own code, which `send_gift`'s caller gets as a typed error.
pub(super) async fn gifts(s: &mut Session<'_>, room: &str, viewer: &str, host: &str) {
    s.must("Gifts: the app's gift catalogue gets a rose", AddGift::new("rose", 1, "Rose")).await;
    s.must(&format!("   and a {REFUSED_GIFT}"), AddGift::new(REFUSED_GIFT, 5000, "Yacht")).await;
    let to = vec![host.to_owned()];
    s.must(
        "   A viewer sends the host a rose: the gift callback's handler allows it",
        SendGift::new(room, "rose", viewer, to.clone()),
    )
    .await;
    s.expect_error(
        &format!("   and a {REFUSED_GIFT}: the handler rejects it with its own code, passed through to the sender"),
        SendGift::new(room, REFUSED_GIFT, viewer, to),
        |e| {
            let code = e.code().filter(|c| c.code() == i64::from(REFUSED_CODE))?;
            let live_api::Error::Api(api) = e else { return None };
            Some(format!("the webhook's code, SendGiftCode::{code:?}, with its ErrorInfo {:?}", api.message))
        },
    )
    .await;
}

/// Waits for the callback of `room`'s destruction (the session's last), then says how many
/// callbacks came.
pub(super) async fn finish(s: &mut Session<'_>, hooks: Option<Webhooks>, room: &str) {
    let Some(mut hooks) = hooks else { return };
    let last = tokio::time::timeout(LAST_CALLBACK_WAIT, async {
        while let Some(destroyed) = hooks.destroyed.recv().await {
            if destroyed == room {
                return true;
            }
        }
        false
    })
    .await;
    let count = |n: &AtomicUsize| n.load(Ordering::SeqCst);
    let (received, unknown, refused) = (count(&hooks.received), count(&hooks.unknown), count(&hooks.refused));
    if last != Ok(true) {
        println!("\n  ✗ the webhook of {room}'s destruction did not arrive within {LAST_CALLBACK_WAIT:?}");
        s.failed.get_or_insert(exit::TRANSPORT);
    }
    if refused > 0 || unknown > 0 {
        s.failed.get_or_insert(exit::ANSWER);
    }
    println!(
        "\nWebhooks: {received} callbacks received, signed and verified, {unknown} of them of a command \
         live_api::Callback does not know; {refused} requests refused"
    );
}
