//! An HTTP request (of hyper or axum, both `http` types) into the receiver: the method, the body
//! read up to the size limit, and the answer.

use std::error::Error;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderValue};
use http::{HeaderMap, Method, Response, StatusCode};
use http_body_util::{BodyExt, LengthLimitError, Limited};

use super::receiver::content_length;
use super::{Answer, Handler, Receiver, Rejection};
use crate::callback::CallbackSet;

/// Answers one request: only `POST`; a `Content-Length` above the limit is refused before the
/// body is read, and a body without one is read no further than the limit.
pub(crate) async fn respond<C, H, B>(
    receiver: &Receiver,
    method: &Method,
    query: Option<&str>,
    headers: &HeaderMap,
    body: B,
    handler: &H,
) -> Answer
where
    C: CallbackSet,
    H: Handler<C>,
    B: http_body::Body,
    B::Error: Into<Box<dyn Error + Send + Sync>>,
{
    if method != Method::POST {
        return receiver.refuse(&Rejection::NotPost { method: method.as_str().to_owned() });
    }
    let limit = receiver.max_body();
    if let Some(declared) = content_length(headers).filter(|&d| d > limit as u64) {
        return receiver.refuse(&Rejection::BodyTooLarge { limit, actual: Some(declared) });
    }
    let body = match Limited::new(body, limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => {
            return receiver.refuse(&Rejection::BodyTooLarge { limit, actual: None });
        }
        Err(e) => return receiver.refuse(&Rejection::UnreadableBody { reason: e.to_string() }),
    };
    receiver.respond(query.unwrap_or(""), headers, &body, handler).await
}

/// The answer as an HTTP response with body type `B`.
pub(crate) fn response<B: From<Bytes>>(answer: Answer) -> Response<B> {
    let mut response = Response::new(B::from(Bytes::from(answer.body)));
    *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(answer.content_type));
    if answer.status == 405 {
        response.headers_mut().insert(http::header::ALLOW, HeaderValue::from_static("POST"));
    }
    response
}
