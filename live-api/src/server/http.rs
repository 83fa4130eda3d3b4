//! Serving calls over HTTP/1.1 (hyper) on a TCP listener: every request goes through the
//! [`Gateway`] and the handler (the generated `dispatch` with a `Service`), and is answered with
//! HTTP 200 and the JSON envelope, as the service does. The webhook receiver's standalone server
//! (`webhook::serve`) shares its connection handling.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::task::JoinSet;

use super::gateway::{Gateway, HTTP_PARSE_ERROR};
use super::{Call, Reply, new_request_id};

/// Request bodies above this size are refused (60002) without being read to the end.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// An HTTP/1.1 server on a local socket: of the API ([`bind`](Self::bind)), or a webhook
/// receiver (`webhook::serve`). Stops (with every open connection) when dropped.
///
/// ```no_run
/// # async fn demo(my_service: impl live_api::Service + 'static) -> std::io::Result<()> {
/// use std::sync::Arc;
/// use live_api::server::{Gateway, HttpServer};
///
/// let service = Arc::new(my_service);
/// let gateway = Gateway::new().app(1400000000, "dev-key").admin("administrator");
/// let server = HttpServer::bind("127.0.0.1:0", gateway, move |call| {
///     let service = service.clone();
///     async move { live_api::dispatch(&*service, call).await }
/// })
/// .await?;
/// println!("listening on {}", server.url());
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct HttpServer {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl HttpServer {
    /// Listens on `addr` (`127.0.0.1:0` for an ephemeral port) and serves every request through
    /// `gateway` and `handler` on the current tokio runtime.
    pub async fn bind<A, F, Fut>(addr: A, gateway: Gateway, handler: F) -> io::Result<HttpServer>
    where
        A: ToSocketAddrs,
        F: Fn(Call) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Reply> + Send + 'static,
    {
        let listener = TcpListener::bind(addr).await?;
        Ok(HttpServer::serve(listener, gateway, handler))
    }

    /// Serves on an already bound `listener`.
    pub fn serve<F, Fut>(listener: TcpListener, gateway: Gateway, handler: F) -> HttpServer
    where
        F: Fn(Call) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Reply> + Send + 'static,
    {
        let shared = Arc::new((gateway, handler));
        HttpServer::answering(listener, move |req| {
            let shared = shared.clone();
            async move { answer(req, &shared.0, &shared.1).await }
        })
    }

    /// Serves every request of every connection on `listener` with `answer`: the connection
    /// handling of the API server and of the webhook receiver.
    pub(crate) fn answering<F, Fut>(listener: TcpListener, answer: F) -> HttpServer
    where
        F: Fn(Request<Incoming>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Response<Full<Bytes>>> + Send + 'static,
    {
        let addr = listener.local_addr().unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)));
        let answer = Arc::new(answer);
        let task = tokio::spawn(async move {
            // Connections live in this set, so aborting the accept loop closes them too.
            let mut connections = JoinSet::new();
            loop {
                let (stream, _) = tokio::select! {
                    accepted = listener.accept() => match accepted {
                        Ok(a) => a,
                        // Out of file descriptors and the like: keep serving the open connections,
                        // and try again shortly.
                        Err(_) => {
                            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                            continue;
                        }
                    },
                    Some(_) = connections.join_next(), if !connections.is_empty() => continue,
                };
                let _ = stream.set_nodelay(true);
                let answer = answer.clone();
                connections.spawn(async move {
                    let service = service_fn(move |req| {
                        let answered = answer(req);
                        async move { Ok::<_, Infallible>(answered.await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        HttpServer { addr, task }
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<address>`: the base URL for a client.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

async fn answer<F, Fut>(req: Request<Incoming>, gateway: &Gateway, handler: &F) -> Response<Full<Bytes>>
where
    F: Fn(Call) -> Fut,
    Fut: Future<Output = Reply>,
{
    let method = req.method().as_str().to_owned();
    let target = req.uri().path_and_query().map_or_else(|| req.uri().path().to_owned(), |pq| pq.as_str().to_owned());
    let reply = match Limited::new(req.into_body(), MAX_BODY_BYTES).collect().await {
        Ok(body) => match gateway.open(&method, &target, body.to_bytes().to_vec()) {
            Ok(call) => handler(call).await,
            Err(reply) => reply,
        },
        Err(e) => Reply::failure(HTTP_PARSE_ERROR, &format!("the request body cannot be read: {e}"), &new_request_id()),
    };
    let mut response = Response::new(Full::new(Bytes::from(reply.into_body())));
    *response.status_mut() = StatusCode::OK;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
