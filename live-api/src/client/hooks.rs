//! Hooks for the tests and benchmarks, reached as `live_api::__private::hooks`: not API.

use super::{Client, validated_body};
use crate::endpoint::Endpoint;
use crate::envelope::{self, Answer};
use crate::error::Error;
use crate::query;

/// Decodes an answer of `E` as [`Client::call`] does.
pub fn decode<E: Endpoint>(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<E::Response, Error<E::Code>> {
    envelope::decode::<E>(&Answer { status, content_type, body }, &[])
}

/// Checks a request and renders the URL of an attempt (with the client's own ticket) and the
/// JSON body, as [`Client::call`] does before sending; sends nothing.
pub fn prepare<E: Endpoint>(client: &Client, request: &E) -> Result<(String, Vec<u8>), Error<E::Code>> {
    let ticket = client.inner.credentials.ticket();
    prepared(client, request, ticket.query.expose())
}

/// [`prepare`] with a given (not yet encoded) ticket.
pub fn prepare_with_ticket<E: Endpoint>(
    client: &Client,
    request: &E,
    ticket: &str,
) -> Result<(String, Vec<u8>), Error<E::Code>> {
    prepared(client, request, &query::encode(ticket))
}

fn prepared<E: Endpoint>(client: &Client, request: &E, ticket: &str) -> Result<(String, Vec<u8>), Error<E::Code>> {
    let body = validated_body(request).map_err(Error::Invalid)?;
    Ok((client.url(E::META.path, ticket), body))
}
