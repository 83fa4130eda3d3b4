//! The webhook receiver as an axum 0.8 route (feature `axum`).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{RawQuery, Request};
use axum::routing::{MethodRouter, any};

use super::{Handler, Receiver, http};
use crate::callback::CallbackSet;

/// A route that answers the webhooks of `receiver` with `handler`; mount it at the path of the
/// webhook URL. Other methods than `POST` get 405. The route reads the body itself, up to the
/// receiver's [`max_body`](Receiver::max_body) (axum's `DefaultBodyLimit` does not apply).
///
/// ```
/// use axum::Router;
/// use live_api::callback::Reply;
/// use live_api::webhook::{self, Delivery, Raw, Receiver};
///
/// let receiver = Receiver::new(1400000000).token(std::env::var("WEBHOOK_TOKEN").unwrap_or_default());
/// let app: Router = Router::new().route(
///     "/live/webhook",
///     webhook::axum::route(receiver, |d: Delivery<Raw>| async move {
///         println!("{}", d.callback.0.command());
///         Reply::ok()
///     }),
/// );
/// // axum::serve(tokio::net::TcpListener::bind("0.0.0.0:8080").await?, app).await
/// # let _ = app;
/// ```
pub fn route<C, H, S>(receiver: Receiver, handler: H) -> MethodRouter<S>
where
    C: CallbackSet,
    H: Handler<C>,
    S: Clone + Send + Sync + 'static,
{
    let shared = Arc::new((receiver, handler));
    any(move |RawQuery(query): RawQuery, req: Request| {
        let shared = shared.clone();
        async move {
            let (parts, body) = req.into_parts();
            let (receiver, handler) = (&shared.0, &shared.1);
            let answer =
                http::respond::<C, H, _>(receiver, &parts.method, query.as_deref(), &parts.headers, body, handler)
                    .await;
            http::response::<Body>(answer)
        }
    })
}
