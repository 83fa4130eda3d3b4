//! The generated API: one request type, response type and error-code enum per endpoint of
//! `api-specs/`, plus the shared types and error tables. Every item is re-exported at the crate
//! root.

live_api_macros::generate!("../api-specs", client = crate::Client, server(feature = "server"), export_base);
