//! The Chat accounts of an application (`im_open_login_svc`), their profiles (`profile`) and
//! their login status (`openim/query_online_status`), and the checks Live endpoints make of the
//! accounts they name.
//!
//! An account is a UserID with its profile fields (tag → item). The App administrators are
//! accounts from the start (the service creates the administrator with the application). A user
//! is online while they are in a room they entered through the SDK ([`Emulator::enter_room`]
//! stands in for it) and offline otherwise; `kick` and `account_delete` take them out of their
//! rooms (reported as `Kicked`).
//!
//! What depends on the shape of the generated request and response types is in the functions at
//! the end of the file (`import_list`, `account_result`, `online_result`, the profile items).
//!
//! [`Emulator::enter_room`]: super::Emulator::enter_room

use std::collections::BTreeMap;

use crate::server::{Failure, Refusal};
use crate::*;

use super::bodies::MemberCause;
use super::state::{AppState, INVALID_PARAMETER, Outcome, invalid};

/// Bytes a profile value may have (40601), `Nick` and `FaceUrl` of an import included.
pub const MAX_PROFILE_VALUE_BYTES: usize = 500;
/// The prefix of the standard profile fields.
const STANDARD_PREFIX: &str = "Tag_Profile_IM_";
/// The prefix of the custom profile fields.
const CUSTOM_PREFIX: &str = "Tag_Profile_Custom_";

/// `InvalidParameter` of the account service (`chat_account`).
const CHAT_INVALID: i64 = 70402;
/// `AccountLimitReached` (`chat_import`): the application has as many accounts as it may.
const ACCOUNT_LIMIT: i64 = 70398;
/// A profile value over [`MAX_PROFILE_VALUE_BYTES`] (account_import's `ProfileValueTooLong`,
/// portrait_set's `ValueTooLong`).
const VALUE_TOO_LONG: i64 = 40601;
/// `InvalidParameter` of the profile service (`profile`).
const PROFILE_INVALID: i64 = 40001;
/// `AccountNotFound` of the profile service (`profile`).
const PROFILE_NO_ACCOUNT: i64 = 40003;
/// `TagNotFound` (`profile`): a tag that is neither standard nor custom.
const TAG_NOT_FOUND: i64 = 40009;
/// The `ResultInfo` of a per-account 70107, as the account_delete sample spells it.
const NOT_EXIST_INFO: &str = "Err_TLS_PT_Open_Login_Account_Not_Exist";

/// The accounts of one application.
#[derive(Debug, Default)]
pub(super) struct Accounts {
    /// UserID → its profile fields by tag.
    imported: BTreeMap<String, BTreeMap<String, ProfileItem>>,
    /// Live endpoints refuse accounts that are not imported where the docs are silent too
    /// ([`EmulatorConfig::require_imported_accounts`](super::EmulatorConfig::require_imported_accounts)).
    strict: bool,
    /// The most accounts the application may have ([`EmulatorConfig::account_limit`](super::EmulatorConfig::account_limit)).
    limit: Option<usize>,
}

/// An account to import: its UserID and the profile fields the import sets.
#[derive(Debug)]
struct NewAccount {
    user_id: String,
    nick: Option<String>,
    face_url: Option<String>,
}

/// Why an account was not imported.
#[derive(Debug)]
enum NotImported {
    EmptyId,
    TooLong { field: &'static str, bytes: usize },
    Limit(usize),
}

impl NotImported {
    fn message(&self, user: &str) -> String {
        match self {
            NotImported::EmptyId => "UserID is empty".to_owned(),
            NotImported::TooLong { field, bytes } => {
                format!("{field} of {user:?} has {bytes} bytes; at most {MAX_PROFILE_VALUE_BYTES}")
            }
            NotImported::Limit(n) => {
                format!("{user:?} cannot be imported: the application has {n} accounts, as many as it may")
            }
        }
    }

    /// The failure of a call that imports one account.
    fn failure<C>(&self, user: &str) -> Failure<C>
    where
        C: Documents<CHAT_INVALID> + Documents<VALUE_TOO_LONG> + Documents<ACCOUNT_LIMIT>,
    {
        let message = self.message(user);
        match self {
            NotImported::EmptyId => Failure::documented::<CHAT_INVALID>(message),
            NotImported::TooLong { .. } => Failure::documented::<VALUE_TOO_LONG>(message),
            NotImported::Limit(_) => Failure::documented::<ACCOUNT_LIMIT>(message),
        }
    }
}

impl Accounts {
    /// No account but the App administrators; `strict` and `limit` as configured.
    pub fn new<'a>(admins: impl IntoIterator<Item = &'a String>, strict: bool, limit: Option<usize>) -> Accounts {
        let imported = admins.into_iter().map(|a| (a.clone(), BTreeMap::new())).collect();
        Accounts { imported, strict, limit }
    }

    pub fn is_imported(&self, user: &str) -> bool {
        self.imported.contains_key(user)
    }

    /// Imports `a`, or updates its profile when it exists: one account per UserID, however many
    /// times it is imported, so that the limit counts each once.
    fn import(&mut self, a: &NewAccount) -> Result<(), NotImported> {
        if a.user_id.is_empty() {
            return Err(NotImported::EmptyId);
        }
        for (field, value) in [("Nick", &a.nick), ("FaceUrl", &a.face_url)] {
            let bytes = value.as_deref().map_or(0, str::len);
            if bytes > MAX_PROFILE_VALUE_BYTES {
                return Err(NotImported::TooLong { field, bytes });
            }
        }
        if let Some(limit) = self.limit.filter(|l| !self.is_imported(&a.user_id) && self.imported.len() >= *l) {
            return Err(NotImported::Limit(limit));
        }
        let profile = self.imported.entry(a.user_id.clone()).or_default();
        for (tag, value) in [(ProfileTag::Nick, &a.nick), (ProfileTag::Image, &a.face_url)] {
            if let Some(v) = value {
                profile.insert(tag_name(&tag), ProfileItem::new(tag, IntOrString::Str(v.clone())));
            }
        }
        Ok(())
    }
}

/// 40009 unless `tag` names a standard (`Tag_Profile_IM_*`) or custom (`Tag_Profile_Custom_*`)
/// profile field.
fn known_tag<C: Documents<TAG_NOT_FOUND>>(tag: &str) -> Result<(), Failure<C>> {
    let rest = tag.strip_prefix(STANDARD_PREFIX).or_else(|| tag.strip_prefix(CUSTOM_PREFIX));
    if rest.is_some_and(|r| !r.is_empty()) {
        Ok(())
    } else {
        Err(Failure::documented::<TAG_NOT_FOUND>(format!(
            "profile field {tag:?} does not exist: tags are {STANDARD_PREFIX}* (standard) or {CUSTOM_PREFIX}* (custom)"
        )))
    }
}

impl AppState {
    // --- the accounts Live endpoints name ------------------------------------------------------

    /// 100002 unless `user`, named by `field`, is imported: for the fields the docs say are
    /// imported accounts (none of their endpoints documents a code of its own for it).
    pub fn imported<C: Documents<INVALID_PARAMETER>>(&self, field: &str, user: &str) -> Result<(), Failure<C>> {
        if self.accounts.is_imported(user) {
            Ok(())
        } else {
            Err(invalid(format!(
                "{field} {user:?} is not an imported account; import it first (im_open_login_svc/account_import)"
            )))
        }
    }

    /// [`imported`](Self::imported) in strict mode only: for the fields the docs are silent about.
    pub fn strictly_imported<C: Documents<INVALID_PARAMETER>>(
        &self,
        field: &str,
        user: &str,
    ) -> Result<(), Failure<C>> {
        if self.accounts.strict { self.imported(field, user) } else { Ok(()) }
    }

    /// What the SDK's login needs in strict mode: an imported `user` (the SDK is no endpoint, so
    /// this refuses with the plain number of an account that does not exist, 70107).
    pub fn sdk_account(&self, user: &str) -> Result<(), Refusal> {
        if self.accounts.strict && !self.accounts.is_imported(user) {
            let message = format!("{user:?} is not an imported account; import it before the user logs in");
            return Err(Refusal::new(70107, message));
        }
        Ok(())
    }

    /// Whether `user` is in a room they entered (and are not banned from).
    fn is_online(&self, user: &str, now: i64) -> bool {
        self.rooms.values().any(|r| r.audience.contains(user) && !r.is_banned(user, now))
    }

    /// Takes `user` out of every room they entered (off any seat), as the end of their login
    /// does; `gone` (a deleted account) also takes them off the robots and administrators.
    fn log_out(&mut self, user: &str, gone: bool) {
        let ids: Vec<String> = self.rooms.keys().cloned().collect();
        for id in ids {
            let Some(room) = self.rooms.get_mut(&id) else { continue };
            let seats = room.seats.clone();
            let left = room.remove_user(user);
            if gone {
                room.robots.retain(|r| r != user);
                room.admins.retain(|a| a != user);
            }
            self.seats_changed(&id, &seats);
            if left {
                self.members_changed(&id, MemberCause::Kicked, &[user.to_owned()]);
            }
        }
    }

    // --- im_open_login_svc ----------------------------------------------------------------------

    pub fn account_import(&mut self, r: AccountImport) -> Outcome<AccountImport> {
        let account = NewAccount { user_id: r.user_id, nick: r.nick, face_url: r.face_url };
        self.accounts.import(&account).map_err(|why| why.failure(&account.user_id))?;
        Ok(AccountImportResponse {})
    }

    /// Imports each account it can; the others are `FailAccounts` (an empty UserID, a profile
    /// value too long, past the account limit), each listed once.
    pub fn multiaccount_import(&mut self, r: MultiaccountImport) -> Outcome<MultiaccountImport> {
        let mut failed: Vec<String> = Vec::new();
        for account in import_list(r)? {
            if let Err(why) = self.accounts.import(&account) {
                tracing::debug!("live-api emulator: multiaccount_import: {}", why.message(&account.user_id));
                if !failed.contains(&account.user_id) {
                    failed.push(account.user_id);
                }
            }
        }
        Ok(MultiaccountImportResponse { fail_accounts: Some(failed) })
    }

    /// Deletes each account that exists, with its profile, taking it out of its rooms; one that
    /// does not is ResultCode 70107.
    pub fn account_delete(&mut self, r: AccountDelete) -> Outcome<AccountDelete> {
        let mut results = Vec::new();
        for item in r.delete_item {
            let user = item.user_id;
            if self.accounts.imported.remove(&user).is_some() {
                self.log_out(&user, true);
                results.push(account_result(user, AccountResultCode::Ok, "", None));
            } else {
                results.push(account_result(user, AccountResultCode::AccountNotFound, NOT_EXIST_INFO, None));
            }
        }
        Ok(AccountDeleteResponse { result_item: Some(results) })
    }

    /// Each account's status: a UserID that is not imported is a success with `NotImported`.
    pub fn account_check(&self, r: AccountCheck) -> Outcome<AccountCheck> {
        let results = r
            .check_item
            .into_iter()
            .map(|item| {
                let status = if self.accounts.is_imported(&item.user_id) {
                    AccountStatus::Imported
                } else {
                    AccountStatus::NotImported
                };
                account_result(item.user_id, AccountResultCode::Ok, "", Some(status))
            })
            .collect();
        Ok(AccountCheckResponse { result_item: Some(results) })
    }

    /// Ends the account's login: the user leaves the rooms they entered and is offline.
    pub fn kick(&mut self, r: Kick) -> Outcome<Kick> {
        if r.user_id.is_empty() {
            return Err(Failure::documented::<CHAT_INVALID>("UserID is empty"));
        }
        if !self.accounts.is_imported(&r.user_id) {
            let message = format!("account {:?} does not exist", r.user_id);
            return Err(Failure::new(KickCode::AccountNotFound, message));
        }
        self.log_out(&r.user_id, false);
        Ok(KickResponse {})
    }

    // --- openim ---------------------------------------------------------------------------------

    /// Online while in a room, Offline otherwise; a UserID that is not imported is in
    /// `ErrorList` with 70107. The emulator knows no platforms: no `Detail`.
    pub fn query_online_status(&self, r: QueryOnlineStatus, now: i64) -> Outcome<QueryOnlineStatus> {
        let (mut results, mut errors) = (Vec::new(), Vec::new());
        for user in r.to_account {
            if !self.accounts.is_imported(&user) {
                errors.push(OnlineStatusError {
                    to_account: Some(user),
                    error_code: Some(AccountResultCode::AccountNotFound),
                });
            } else {
                let status = if self.is_online(&user, now) { OnlineStatus::Online } else { OnlineStatus::Offline };
                results.push(online_result(user, status));
            }
        }
        let error_list = (!errors.is_empty()).then_some(errors);
        Ok(QueryOnlineStatusResponse { query_result: Some(results), error_list })
    }

    // --- profile --------------------------------------------------------------------------------

    pub fn portrait_set(&mut self, r: PortraitSet) -> Outcome<PortraitSet> {
        if r.profile_item.is_empty() {
            return Err(Failure::documented::<PROFILE_INVALID>("ProfileItem is empty: name at least one field"));
        }
        for item in &r.profile_item {
            known_tag(&tag_name(&item.tag))?;
            let bytes = value_bytes(item);
            if bytes > MAX_PROFILE_VALUE_BYTES {
                let message = format!(
                    "the value of {} has {bytes} bytes; at most {MAX_PROFILE_VALUE_BYTES}",
                    tag_name(&item.tag)
                );
                return Err(Failure::documented::<VALUE_TOO_LONG>(message));
            }
        }
        let Some(profile) = self.accounts.imported.get_mut(&r.from_account) else {
            let message = format!("From_Account {:?} is not an imported account", r.from_account);
            return Err(Failure::documented::<PROFILE_NO_ACCOUNT>(message));
        };
        for item in r.profile_item {
            profile.insert(tag_name(&item.tag), item);
        }
        Ok(PortraitSetResponse { error_display: None })
    }

    /// The fields of `TagList` each user has a value for, in the order asked; a user who is not
    /// imported has ResultCode 40003 and is in `Fail_Account`.
    pub fn portrait_get(&self, r: PortraitGet) -> Outcome<PortraitGet> {
        if r.to_account.is_empty() {
            return Err(Failure::new(PortraitGetCode::ToAccountMissing, "To_Account is empty: name at least one user"));
        }
        if r.tag_list.is_empty() {
            return Err(Failure::documented::<PROFILE_INVALID>("TagList is empty: name at least one field"));
        }
        let tags: Vec<String> = r.tag_list.iter().map(tag_name).collect();
        for tag in &tags {
            known_tag(tag)?;
        }
        let (mut users, mut failed) = (Vec::new(), Vec::new());
        for user in r.to_account {
            match self.accounts.imported.get(&user) {
                Some(profile) => {
                    let items = tags.iter().filter_map(|t| profile.get(t).cloned()).collect();
                    users.push(UserProfile {
                        to_account: Some(user),
                        profile_item: Some(items),
                        result_code: Some(0),
                        result_info: Some(String::new()),
                    });
                }
                None => {
                    let info = format!("account {user:?} is not imported");
                    failed.push(user.clone());
                    users.push(UserProfile {
                        to_account: Some(user),
                        profile_item: None,
                        result_code: Some(PROFILE_NO_ACCOUNT),
                        result_info: Some(info),
                    });
                }
            }
        }
        let fail_account = (!failed.is_empty()).then_some(failed);
        Ok(PortraitGetResponse { error_display: None, user_profile_item: Some(users), fail_account })
    }
}

// --- what depends on the shape of the generated types --------------------------------------------

/// The accounts of a multiaccount_import request, in either of its forms; 70402 unless exactly
/// one is set.
fn import_list(r: MultiaccountImport) -> Result<Vec<NewAccount>, Failure<MultiaccountImportCode>> {
    match (r.account_list, r.accounts) {
        (Some(list), None) => Ok(list
            .into_iter()
            .map(|a| NewAccount { user_id: a.user_id, nick: a.nick, face_url: a.face_url })
            .collect()),
        (None, Some(ids)) => {
            Ok(ids.into_iter().map(|user_id| NewAccount { user_id, nick: None, face_url: None }).collect())
        }
        (None, None) => Err(Failure::documented::<CHAT_INVALID>("set AccountList (or the older Accounts)")),
        (Some(_), Some(_)) => Err(Failure::documented::<CHAT_INVALID>("set one of AccountList and Accounts, not both")),
    }
}

/// One element of `ResultItem`.
fn account_result(user: String, code: AccountResultCode, info: &str, status: Option<AccountStatus>) -> AccountResult {
    AccountResult {
        user_id: Some(user),
        result_code: Some(code),
        result_info: Some(info.to_owned()),
        account_status: status,
    }
}

/// One element of `QueryResult` (the status is written under `Status`; `State`, the English
/// pages' key, is an alias the client decodes too).
fn online_result(user: String, status: OnlineStatus) -> OnlineStatusResult {
    OnlineStatusResult { to_account: Some(user), status: Some(status), detail: None }
}

/// The wire name of a profile tag: the profile is keyed by it.
fn tag_name(tag: &ProfileTag) -> String {
    match crate::wire_enum::StrEnum::index(tag) {
        Ok(i) => <ProfileTag as crate::wire_enum::StrEnum>::VALUES[i].to_owned(),
        Err(u) => u.as_str().map_or_else(|| u.to_string(), str::to_owned),
    }
}

/// The length of the item's value on the wire, in bytes (an integer's decimal digits).
fn value_bytes(item: &ProfileItem) -> usize {
    match &item.value {
        IntOrString::Str(s) => s.len(),
        IntOrString::Int(i) => i.to_string().len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_standard_or_custom() {
        for tag in ["Tag_Profile_IM_Nick", "Tag_Profile_IM_Image", "Tag_Profile_Custom_Test"] {
            assert!(known_tag::<PortraitGetCode>(tag).is_ok(), "{tag}");
        }
        for tag in ["Tag_Profile_IM_", "Tag_Profile_Custom_", "Nick", "", "tag_profile_im_nick"] {
            assert_eq!(known_tag::<PortraitGetCode>(tag).unwrap_err().code, PortraitGetCode::TagNotFound, "{tag:?}");
        }
    }

    #[test]
    fn an_account_counts_once_against_the_limit() {
        let admins = ["admin".to_owned()];
        let mut accounts = Accounts::new(&admins, false, Some(2));
        let a = NewAccount { user_id: "a".into(), nick: Some("Anna".into()), face_url: None };
        accounts.import(&a).unwrap();
        accounts.import(&a).unwrap();
        let b = NewAccount { user_id: "b".into(), nick: None, face_url: None };
        assert!(matches!(accounts.import(&b), Err(NotImported::Limit(2))), "the administrator and a fill the limit");
        assert_eq!(accounts.imported["a"]["Tag_Profile_IM_Nick"].value, IntOrString::Str("Anna".into()));
    }
}
