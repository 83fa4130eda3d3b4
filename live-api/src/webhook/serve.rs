//! The standalone webhook receiver: an HTTP/1.1 server (the crate's own, see
//! [`HttpServer`]) that answers every `POST`, at any path, with a [`Receiver`] and a handler.

use std::io;
use std::sync::Arc;

use http_body_util::Full;
use tokio::net::{TcpListener, ToSocketAddrs};

use super::{Handler, Receiver, http};
use crate::callback::CallbackSet;
use crate::server::HttpServer;

/// Listens on `addr` and serves the webhooks of `receiver` with `handler` (see [`serve`]).
pub async fn bind<C, H, A>(addr: A, receiver: Receiver, handler: H) -> io::Result<HttpServer>
where
    C: CallbackSet,
    H: Handler<C>,
    A: ToSocketAddrs,
{
    Ok(serve(TcpListener::bind(addr).await?, receiver, handler))
}

/// Serves the webhooks of `receiver` with `handler` on `listener`, on the current tokio runtime,
/// until the returned server is dropped. Every path is accepted (Live posts to the URL the app
/// configured); other methods than `POST` get 405.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use live_api::callback::Reply;
/// use live_api::webhook::{self, Delivery, Raw, Receiver};
///
/// let receiver = Receiver::new(1400000000).token(std::env::var("WEBHOOK_TOKEN").unwrap_or_default());
/// let server = webhook::bind("0.0.0.0:8080", receiver, |d: Delivery<Raw>| async move {
///     println!("{}: {}", d.callback.0.command(), d.callback.0.body());
///     Reply::ok()
/// })
/// .await?;
/// println!("receiving on {}", server.url());
/// # Ok(()) }
/// ```
pub fn serve<C, H>(listener: TcpListener, receiver: Receiver, handler: H) -> HttpServer
where
    C: CallbackSet,
    H: Handler<C>,
{
    let shared = Arc::new((receiver, handler));
    HttpServer::answering(listener, move |req| {
        let shared = shared.clone();
        async move {
            let (parts, body) = req.into_parts();
            let (receiver, handler) = (&shared.0, &shared.1);
            let answer =
                http::respond::<C, H, _>(receiver, &parts.method, parts.uri.query(), &parts.headers, body, handler)
                    .await;
            http::response::<Full<_>>(answer)
        }
    })
}
