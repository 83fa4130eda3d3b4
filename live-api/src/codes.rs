//! Error codes: the trait every generated code enum implements, and their retry classes.

use std::fmt;
use std::hash::Hash;

/// Whether and how a call that failed with a code may be retried (from the spec).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryClass {
    /// A passing fault: retrying may succeed.
    Transient,
    /// Rate limited: retry after backing off.
    Throttled,
    /// Retrying does not help.
    Permanent,
}

impl fmt::Display for RetryClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RetryClass::Transient => "transient",
            RetryClass::Throttled => "throttled",
            RetryClass::Permanent => "permanent",
        })
    }
}

/// What the spec says about one error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// The `ErrorCode` value.
    pub code: i64,
    /// Variant name in the code enum.
    pub name: &'static str,
    /// Retry class.
    pub retry: RetryClass,
    /// Documented meaning.
    pub description: &'static str,
}

/// Implemented by each endpoint's generated error-code enum.
///
/// The generated impl is data: the documented codes and their variants, in the same order; the
/// value of a code that is not one of them (`outside_own_table`); and [`info`](Self::info),
/// one `match` arm per variant. The lookups by code are written once, here.
pub trait ErrorCode: fmt::Debug + Copy + Eq + Hash + Send + Sync + 'static {
    /// The codes documented for the endpoint itself (shared tables wrapped in a variant have
    /// their own enum).
    const DOCUMENTED: &'static [CodeInfo];
    /// The variants of [`DOCUMENTED`](Self::DOCUMENTED), in the same order.
    const VARIANTS: &'static [Self];
    /// The value of a code that is not in [`DOCUMENTED`](Self::DOCUMENTED): the variant
    /// wrapping a shared table that documents it, or `Undocumented`.
    #[doc(hidden)]
    fn outside_own_table(code: i64) -> Self;
    /// What the spec says about this code (the row of [`DOCUMENTED`](Self::DOCUMENTED), or of
    /// the wrapped shared table), or the raw code when it is undocumented.
    fn info(&self) -> Result<&'static CodeInfo, i64>;

    /// The enum value of an `ErrorCode` from the wire.
    fn from_code(code: i64) -> Self {
        Self::documented(code).unwrap_or_else(|| Self::outside_own_table(code))
    }
    /// The variant of `code` when it is one of [`DOCUMENTED`](Self::DOCUMENTED).
    #[doc(hidden)]
    fn documented(code: i64) -> Option<Self> {
        index_of(Self::DOCUMENTED, code).map(|i| Self::VARIANTS[i])
    }
    /// The numeric code.
    fn code(&self) -> i64 {
        match self.info() {
            Ok(i) => i.code,
            Err(c) => c,
        }
    }
    /// The retry class; undocumented codes count as permanent.
    fn retry_class(&self) -> RetryClass {
        self.info().map_or(RetryClass::Permanent, |i| i.retry)
    }
    /// The variant name, or `Undocumented`.
    fn name(&self) -> &'static str {
        self.info().map_or("Undocumented", |i| i.name)
    }
}

/// Implemented by a code enum for each code `N` of its [`DOCUMENTED`](ErrorCode::DOCUMENTED)
/// table: `DoThingCode: Documents<100004>` when the spec of `do_thing` lists 100004, in its own
/// codes or a shared table flattened into them. Codes of a shared table wrapped as one variant
/// (`Rest(RestCode)`) are documented by that table's enum (`RestCode: Documents<60007>`).
///
/// This is what lets a failure written once for many endpoints be used only by those that
/// document its code: a helper `fn room_not_found<C: Documents<100004>>(..) -> Failure<C>` (see
/// [`Failure::documented`](crate::server::Failure::documented)) does not compile for an endpoint
/// whose spec does not list 100004. The generated impls are markers, one line a code; the
/// variant is [`from_code`](ErrorCode::from_code)`(N)`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not document error code {N}",
    label = "the endpoint's spec does not list {N}",
    note = "an endpoint answers only the codes of its spec; \
            codes of a wrapped shared table (`Rest(RestCode)`) are documented by the table's enum"
)]
pub trait Documents<const N: i64>: ErrorCode {}

/// The index of `code` in a table of documented codes (not generic: compiled once).
pub(crate) fn index_of(table: &[CodeInfo], code: i64) -> Option<usize> {
    table.iter().position(|i| i.code == code)
}
