//! The webhook configuration of an application (`live_config`): the URL and the command words
//! callbacks are sent for, and the token that signs them. One configuration per SDKAppID.

use std::collections::BTreeSet;

use crate::server::Failure;
use crate::*;

use super::state::{AppState, INVALID_PARAMETER, Outcome, invalid, known};
use super::webhooks::{Token, Webhook};

/// Longest token set_callback_token accepts (the documented 1 to 128 characters).
const MAX_TOKEN_CHARS: usize = 128;

/// The configuration `url` and `commands` describe, or 100002 for a URL that is not `http(s)://`
/// or a command word the specs do not know.
fn webhook<C: Documents<INVALID_PARAMETER>>(
    url: String,
    commands: Vec<CallbackCommand>,
) -> Result<Webhook, Failure<C>> {
    let parsed = reqwest::Url::parse(&url).map_err(|e| invalid(format!("Url {url:?} is not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid(format!("Url {url:?} must start with http:// or https:// and name a host")));
    }
    let mut words = BTreeSet::new();
    for c in &commands {
        words.insert(known(c, "CallbackCommandList")?);
    }
    Ok(Webhook { url, commands, words })
}

impl AppState {
    pub fn set_callback(&mut self, r: SetCallback) -> Outcome<SetCallback> {
        if let Some(existing) = &self.webhooks.config {
            let msg =
                format!("a webhook configuration exists (Url {:?}); change it with update_callback", existing.url);
            return Err(Failure::new(SetCallbackCode::ConfigExists, msg));
        }
        self.webhooks.config = Some(webhook(r.url, r.callback_command_list)?);
        Ok(SetCallbackResponse {})
    }

    pub fn get_callback(&self, _: GetCallback) -> Outcome<GetCallback> {
        let config = self.webhooks.config.as_ref().ok_or_else(|| {
            Failure::new(
                GetCallbackCode::ConfigNotFound,
                "no webhook configuration exists; create one with set_callback",
            )
        })?;
        Ok(GetCallbackResponse { url: Some(config.url.clone()), callback_command_list: Some(config.commands.clone()) })
    }

    pub fn update_callback(&mut self, r: UpdateCallback) -> Outcome<UpdateCallback> {
        if self.webhooks.config.is_none() {
            let msg = "no webhook configuration exists; create one with set_callback";
            return Err(Failure::new(UpdateCallbackCode::ConfigNotFound, msg));
        }
        // The list replaces the configured one (both fields are mandatory).
        self.webhooks.config = Some(webhook(r.url, r.callback_command_list)?);
        Ok(UpdateCallbackResponse {})
    }

    /// Succeeds whether a configuration existed or not (the page names no code); the token
    /// stays (delete_callback_token deletes it).
    pub fn delete_callback(&mut self, _: DeleteCallback) -> Outcome<DeleteCallback> {
        self.webhooks.config = None;
        Ok(DeleteCallbackResponse {})
    }

    /// Succeeds whether a token existed or not; callbacks are then sent unsigned.
    pub fn delete_callback_token(&mut self, _: DeleteCallbackToken) -> Outcome<DeleteCallbackToken> {
        self.webhooks.token = None;
        Ok(DeleteCallbackTokenResponse {})
    }

    /// Creates the token (a first call needs both values) or changes the values given (a partial
    /// update, as documented); a call that breaks that is 100002.
    pub fn set_callback_token(&mut self, r: SetCallbackToken) -> Outcome<SetCallbackToken> {
        let token = r.token.map(|t| t.expose().to_owned());
        self.store_callback_token(token, r.is_token_enable).map_err(invalid)?;
        Ok(SetCallbackTokenResponse {})
    }

    /// The token and whether it is enabled; 100302 when no token is set.
    pub fn get_callback_token(&self, _: GetCallbackToken) -> Outcome<GetCallbackToken> {
        let (token, enabled) = self.callback_token().ok_or_else(|| {
            Failure::new(
                GetCallbackTokenCode::TokenNotFound,
                "no webhook token is set; set one with set_callback_token",
            )
        })?;
        Ok(GetCallbackTokenResponse { token: Some(token.clone()), is_token_enable: Some(enabled) })
    }

    /// What set_callback_token does, with the `ErrorInfo` of its 100002 as the error.
    pub fn store_callback_token(&mut self, token: Option<String>, enabled: Option<bool>) -> Result<(), String> {
        if let Some(t) = &token {
            let chars = t.chars().count();
            if chars == 0 || chars > MAX_TOKEN_CHARS {
                return Err(format!("Token has {chars} characters; it must have 1 to {MAX_TOKEN_CHARS}"));
            }
        }
        match (&mut self.webhooks.token, token, enabled) {
            (Some(existing), token, enabled) => {
                if let Some(t) = token {
                    existing.token = t.into();
                }
                if let Some(e) = enabled {
                    existing.enabled = e;
                }
            }
            (None, Some(t), Some(enabled)) => self.webhooks.token = Some(Token { token: t.into(), enabled }),
            (None, _, _) => {
                return Err("no token is set yet: the first set_callback_token needs Token and IsTokenEnable".into());
            }
        }
        Ok(())
    }

    /// What get_callback_token answers: the token and whether it is enabled; `None` when no
    /// token is set (100302).
    pub fn callback_token(&self) -> Option<(&crate::Secret, bool)> {
        self.webhooks.token.as_ref().map(|t| (&t.token, t.enabled))
    }
}
