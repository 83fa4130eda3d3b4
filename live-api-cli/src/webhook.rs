//! `live-api webhook listen`: a standalone webhook receiver that prints each verified callback on
//! stdout as one JSON line, `{"command": ..., "body": ...}`, and says on stderr why it refused a
//! request.

use live_api::callback::{CallbackSet, Reply};
use live_api::webhook::{self, Delivery, Receiver};
use serde_json::json;

use crate::exit::{self, Failed};

/// The callback set the receiver decodes: every command of the specs typed, others kept raw.
type Callbacks = live_api::Callback;

/// Where the token may come from instead of `--token` (which `ps` shows).
pub const ENV_TOKEN: &str = "LIVE_API_WEBHOOK_TOKEN";

/// Receives on `listen` until interrupted.
pub async fn listen(listen: &str, sdk_app_id: u64, token: Option<String>) -> Result<(), Failed> {
    // An empty variable counts as unset; an empty `--token` is a mistake.
    let token = token.or_else(|| std::env::var(ENV_TOKEN).ok().filter(|t| !t.is_empty()));
    if token.as_ref().is_some_and(|t| t.is_empty() || t.chars().count() > 128) {
        return Err(Failed::new(exit::USAGE, "a webhook token has 1 to 128 characters"));
    }
    let signed = token.is_some();
    let mut receiver =
        Receiver::new(sdk_app_id).on_rejection(|r| eprintln!("live-api webhook: refused with {}: {r}", r.status()));
    if let Some(t) = token {
        receiver = receiver.token(t);
    }
    let server = webhook::bind(listen, receiver, |d: Delivery<Callbacks>| async move {
        let line = json!({ "command": d.callback.command(), "body": &d.callback });
        println!("{line}");
        Reply::ok()
    })
    .await
    .map_err(|e| Failed::new(exit::CONFIG, format!("cannot listen on {listen}: {e}")))?;
    let checks = if signed { "signed with the token" } else { "unsigned (no token: Sign is not checked)" };
    eprintln!(
        "live-api webhook listening on {} for SdkAppid {sdk_app_id}, {checks}; callbacks are printed on stdout. \
         Ctrl-C stops it.",
        server.url()
    );
    std::future::pending::<()>().await;
    Ok(())
}
