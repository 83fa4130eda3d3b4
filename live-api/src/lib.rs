//! A typed client of the Tencent Cloud TRTC Live server REST API.
//!
//! Every endpoint is described by a JSON spec in `api-specs/`; the `live-api-macros` crate turns
//! the specs into request and response types, validation of every documented limit, error-code
//! enums and one method per endpoint on [`Client`], at compile time. The HTTP call, the envelope
//! decoding and the error mapping are written once, here.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use live_api::{Client, Region, ResumeMcuTask, ResumeMcuTaskCode};
//!
//! let client = Client::builder()
//!     .sdk_app_id(1400000000)
//!     .user_sig("eJw1jdEKgjAYhV9F…")
//!     .region(Region::Singapore)
//!     .build()?;
//! match client.resume_mcu_task(ResumeMcuTask::new("live-42")).await {
//!     Ok(_) => {}
//!     Err(e) if e.code() == Some(ResumeMcuTaskCode::MixTaskNotFound) => { /* set a layout first */ }
//!     Err(e) => return Err(e.into()),
//! }
//! # Ok(()) }
//! ```
//!
//! # Words
//!
//! One word per idea, in the code as in these docs:
//!
//! | word | means |
//! |---|---|
//! | endpoint | one `POST /v4/<service>/<command>` of a spec; its request type implements [`Endpoint`] |
//! | request | the typed body a call sends (`CreateRoom`) |
//! | response | the typed payload of a successful call (`CreateRoomResponse`); on the wire, the envelope's `Response` member or its top-level fields |
//! | envelope | `ActionStatus`, `ErrorCode`, `ErrorInfo`, `RequestId` around the payload |
//! | answer | the whole HTTP answer a client receives (status, content type, body): [`AnswerError`] when it is not the documented envelope |
//! | outcome | the result of a call or of an endpoint's function: its response, or an error |
//! | code | an `ErrorCode` value; an endpoint's enum of them implements [`ErrorCode`] |
//! | table | a shared list of codes (`rest`, `live_common`); *wrapped* when it has an enum of its own inside an endpoint's enum |
//! | limits | the documented limits of a field, checked before sending ([`validate::Limits`]; the same facts as the codegen's `model::Limits`) |
//! | ticket | a UserSig; [`usersig::Ticket`] is a verified ticket's content |
//! | quota group | endpoints that share one rate limit per SDKAppID |
//! | failure / refusal | what a server answers instead of a response: [`server::Failure`] typed by the endpoint's codes, [`server::Refusal`] before the endpoint's codes are known |
//! | reply | what a server sends back ([`server::Reply`]) |

#![deny(missing_docs)]

extern crate self as live_api;

pub mod api;
pub mod callback;
mod client;
mod codes;
pub mod config;
mod credentials;
pub mod describe;
#[cfg(feature = "emulator")]
pub mod emulator;
mod endpoint;
mod envelope;
mod error;
mod int_or_string;
mod lenient;
pub mod limiter;
mod pages;
mod partial;
mod profile;
mod query;
mod region;
mod resilience;
mod secret;
pub mod server;
pub mod usersig;
pub mod validate;
pub mod webhook;
mod wire_enum;
mod wire_struct;

#[doc(no_inline)]
pub use api::*;
pub use client::AsClient;
pub use client::{
    Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_DEADLINE, DEFAULT_MAX_ANSWER_BYTES, DEFAULT_TIMEOUT,
};
pub use codes::{CodeInfo, Documents, ErrorCode, RetryClass};
pub use credentials::DEFAULT_TICKET_LIFETIME;
pub use describe::Described;
pub use endpoint::{Endpoint, EndpointMeta, EndpointVisitor, ServerEndpoint};
pub use error::{
    AnswerError, ApiError, BuildError, Error, RateLimitedError, TransportError, TransportKind, ValidationError,
};
pub use int_or_string::IntOrString;
pub use limiter::{Limiter, LimiterError, LocalLimiter};
pub use pages::{Cursor, Pages, Paginated};
pub use partial::{ItemCode, PartialFailures};
pub use region::{Region, UnknownRegion};
pub use resilience::{RateLimitMode, RetryPolicy};
pub use secret::Secret;
pub use wire_enum::UnknownValue;

/// Generates the endpoints of a spec folder of your own, on top of live-api's: every request,
/// answer and error-code type, with the methods in an extension trait of [`Client`].
///
/// ```ignore
/// live_api::generate!("../specs");                     // methods in `trait ClientExt`
/// live_api::generate!("../specs", trait = RoomStats);  // ... in `trait RoomStats`
/// ```
///
/// The path is relative to the file that invokes the macro. The folder has the layout and format
/// of live-api's own `api-specs/` (see its README); its specs may name live-api's shared types
/// (`"type": "RoomInfo"`) and error tables (`"error_tables": ["rest", "live_common"]`), and the
/// generated code uses live-api's own items for them. Names that live-api already uses (types,
/// and methods of [`Client`], which an extension trait could never reach) are compile errors
/// located in the spec, like every other spec error. Import the trait where you call the methods.
#[macro_export]
macro_rules! generate {
    ($($args:tt)*) => {
        $crate::__generate_on_live_api_specs! { $($args)* }
    };
}

/// Items the generated code refers to; not part of the public API. The generated code reaches
/// them through one short alias (`use ::live_api::__private as __lv;`), so that its lines stay
/// short and no name of the invoking module can shadow them.
#[doc(hidden)]
pub mod __private {
    use crate::codes::RetryClass;

    pub use crate::callback::{
        BodyError, CallbackBody, CallbackKind, CallbackSet, PassThrough, Reply, UnknownCallback,
    };
    pub use crate::codes::{CodeInfo, Documents, ErrorCode};
    pub use crate::describe::{Described, EndpointInfo, ExampleInfo, TypeInfo, TypeKind, ValueType, WrappedCodes};
    pub use crate::endpoint::{Endpoint, EndpointMeta};
    pub use crate::error::Error;
    pub use crate::int_or_string::IntOrString;
    pub use crate::lenient::{BOOL, NUMBER, STRING, lenient};
    pub use crate::partial::{ItemCode, PartialFailures, code_of};
    pub use crate::secret::Secret;
    pub use crate::validate::{Checker, Limits, Validate};
    pub use crate::wire_enum::UnknownValue;
    pub use crate::wire_enum::{IntEnum, StrEnum, de_int_enum, de_str_enum, family_value, ser_int_enum, ser_str_enum};
    pub use crate::wire_struct::{
        FieldDecoded, Fields, ObjectWriter, Placeholder, de_fields, member_value, placeholder, tolerant,
    };
    pub use live_api_macros::generate;
    // The hooks of the tests and benchmarks.
    pub use crate::client::hooks;
    // The prelude items the generated code names (traits with their derives), so that no name
    // of the invoking module can shadow them.
    pub use core::clone::Clone;
    pub use core::cmp::{Eq, PartialEq};
    pub use core::convert::Into;
    pub use core::default::Default;
    pub use core::fmt::Debug;
    pub use core::hash::Hash;
    pub use core::marker::Copy;
    pub use core::option::Option::{self, None, Some};
    pub use core::result::Result::{self, Err, Ok};
    pub use serde;
    pub use serde::de::MapAccess as Map;
    pub use serde::{Deserialize, Deserializer, Serialize, Serializer};
    pub use std::string::String;
    pub use std::vec::Vec;

    /// The code of a shared table (wrapped as one variant of an endpoint's enum), when the table
    /// documents `code`.
    pub fn wrapped_code<C: ErrorCode>(code: i64) -> Option<C> {
        C::documented(code)
    }

    /// The type of the stubs the macro emits for the items of a broken spec file, with the first
    /// spec error as `N` (`SpecError<{ compile_error!("…") }>`): the compiler reports that error
    /// once and nothing that uses the stubs. Never constructed.
    pub struct SpecError<const N: usize>;

    /// A transient code (the generated tables use these constructors to stay one line a code).
    pub const fn transient(code: i64, name: &'static str, description: &'static str) -> CodeInfo {
        CodeInfo { code, name, retry: RetryClass::Transient, description }
    }
    /// A throttled code.
    pub const fn throttled(code: i64, name: &'static str, description: &'static str) -> CodeInfo {
        CodeInfo { code, name, retry: RetryClass::Throttled, description }
    }
    /// A permanent code.
    pub const fn permanent(code: i64, name: &'static str, description: &'static str) -> CodeInfo {
        CodeInfo { code, name, retry: RetryClass::Permanent, description }
    }

    /// A field of a described request or object (the generated tables use this constructor to
    /// stay one line a field where it fits).
    pub const fn field(
        wire: &'static str,
        rust: &'static str,
        description: &'static str,
        ty: ValueType,
        required: bool,
        limits: &'static [&'static str],
        default: Option<&'static str>,
    ) -> crate::describe::FieldInfo {
        crate::describe::FieldInfo { wire, rust, description, ty, required, limits, default, secret: false }
    }
    /// `field`, marked secret.
    pub const fn secret(field: crate::describe::FieldInfo) -> crate::describe::FieldInfo {
        crate::describe::FieldInfo { secret: true, ..field }
    }
    /// A value of a described enum.
    pub const fn variant<V>(value: V, rust: &'static str, description: &'static str) -> crate::describe::Variant<V> {
        crate::describe::Variant { value, rust, description, prefix: false }
    }
    /// A value family of a described string enum: `prefix` is the common prefix of its values.
    pub const fn family(
        prefix: &'static str,
        rust: &'static str,
        description: &'static str,
    ) -> crate::describe::Variant<&'static str> {
        crate::describe::Variant { value: prefix, rust, description, prefix: true }
    }
}
