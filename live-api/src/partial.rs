//! Per-item failures inside a successful answer.
//!
//! Batch Chat calls (`multiaccount_import`, `account_delete`, `account_check`,
//! `query_online_status`, `portrait_get`) answer `ErrorCode` 0 when the call as a whole was
//! processed, and report the items that failed inside the response: `FailAccounts`,
//! `ResultItem[].ResultCode`, `ErrorList`. `Ok(response)` therefore means "the call succeeded",
//! not "every item succeeded". A spec says where its endpoint reports them
//! (`"partial_failures"`); the generated response implements [`PartialFailures`], and the rule
//! that reads it is here, once.
//!
//! ```
//! use live_api::{AccountDeleteResponse, AccountResultCode, PartialFailures};
//!
//! let answer = r#"{"ResultItem": [
//!     {"ResultCode": 0, "ResultInfo": "", "UserID": "UserID_1"},
//!     {"ResultCode": 70107, "ResultInfo": "Err_TLS_PT_Open_Login_Account_Not_Exist", "UserID": "UserID_2"}]}"#;
//! let response: AccountDeleteResponse = serde_json::from_str(answer).unwrap();
//! assert!(!response.all_succeeded());
//! let failed = response.failed();
//! assert_eq!(failed.len(), 1);
//! assert_eq!(failed[0].user_id.as_deref(), Some("UserID_2"));
//! assert_eq!(failed[0].result_code, Some(AccountResultCode::AccountNotFound));
//! ```
//!
//! Against a server, "the call succeeded" and "every account was imported" are two checks:
//!
//! ```no_run
//! # async fn demo(client: live_api::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use live_api::{AccountDelete, AccountItem, AccountResultCode, MultiaccountImport, PartialFailures};
//!
//! let imported = client
//!     .multiaccount_import(MultiaccountImport::new().accounts(vec!["host-1".to_owned(), "viewer-1".to_owned()]))
//!     .await?;
//! if !imported.all_succeeded() {
//!     eprintln!("not imported: {:?}", imported.failed()); // the call succeeded; these UserIDs did not
//! }
//! let deleted = client.account_delete(AccountDelete::new(vec![AccountItem::new("viewer-1")])).await?;
//! for item in deleted.failed() {
//!     if item.result_code == Some(AccountResultCode::AccountNotFound) { /* already gone */ }
//! }
//! # Ok(()) }
//! ```

use crate::wire_enum::IntEnum;

/// A response that lists the items of its request that failed, though the call succeeded.
///
/// An item failed when the spec names no code for its items (every item listed is a failure,
/// as in `FailAccounts`), or when its code is missing or not 0.
pub trait PartialFailures {
    /// An item of the list (an `AccountResult`, or the UserID itself for `FailAccounts`).
    type Item;
    /// The items the answer reports (all of them, failed or not); empty when the answer left
    /// the list out.
    fn reported(&self) -> &[Self::Item];
    /// The item's code, for lists whose items carry one: `None` when the list has no code
    /// (every item is a failure), `Some(None)` when this item's code is missing.
    fn item_code(item: &Self::Item) -> Option<Option<i64>>;

    /// The items that failed, in the answer's order.
    fn failed(&self) -> Vec<&Self::Item> {
        self.reported().iter().filter(|i| item_failed::<Self>(i)).collect()
    }
    /// Whether no item failed: `Ok(response)` alone only says the call succeeded.
    fn all_succeeded(&self) -> bool {
        !self.reported().iter().any(|i| item_failed::<Self>(i))
    }
}

/// The one rule: without a code every listed item failed; with one, an item failed unless its
/// code is present and 0.
fn item_failed<T: PartialFailures + ?Sized>(item: &T::Item) -> bool {
    match T::item_code(item) {
        None => true,
        Some(code) => code != Some(0),
    }
}

/// A per-item code: an integer, or a generated integer enum (its wire value).
pub trait ItemCode {
    /// The code as an integer.
    fn item_code(&self) -> i64;
}

macro_rules! item_code_int {
    ($($t:ty),*) => {$(
        impl ItemCode for $t {
            fn item_code(&self) -> i64 {
                // A u64 code above i64::MAX is not 0, which is all the rule asks.
                i64::try_from(*self).unwrap_or(i64::MAX)
            }
        }
    )*};
}
item_code_int!(i8, i16, i32, i64, u8, u16, u32, u64);

impl<T: IntEnum> ItemCode for T {
    fn item_code(&self) -> i64 {
        match self.index() {
            Ok(i) => T::VALUES[i],
            // An undocumented code is kept as received; one that was not an integer fails.
            Err(u) => u.as_i64().unwrap_or(i64::MAX),
        }
    }
}

/// The code of an optional code field, for the generated [`PartialFailures::item_code`].
pub fn code_of<C: ItemCode>(code: &Option<C>) -> Option<i64> {
    code.as_ref().map(ItemCode::item_code)
}
