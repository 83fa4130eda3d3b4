//! Room messages (send_text_msg, send_custom_msg) as Chat group messages: their body, the check
//! before the before-send callback, and the sending, which counts the message, numbers it and
//! reports it to the after-send callback.

use serde_json::{Value, json};

use crate::server::Failure;
use crate::*;

use super::bodies::{self, AFTER_SEND_MSG, BEFORE_SEND_MSG};
use super::delivery::Delivery;
use super::state::{AppState, INVALID_PARAMETER, ROOM_NOT_FOUND, invalid};

/// A message on its way to a room.
#[derive(Debug, Clone)]
pub(super) struct Message {
    pub room_id: String,
    /// `From_Account`: the sender, or the admin the call was made as when it names none.
    pub from: String,
    /// `Random`: the 32-bit random number of the request.
    pub random: u32,
    /// `MsgId`: the same in the before- and after-callback of the message.
    pub id: String,
    /// `MsgBody`: the Chat message elements.
    pub body: Value,
    pub cloud_custom_data: Option<String>,
}

impl Message {
    fn new<C: Documents<INVALID_PARAMETER>>(
        room_id: String,
        sender: Option<String>,
        operator: &str,
        body: Value,
        cloud_custom_data: Option<String>,
        now: i64,
    ) -> Result<Message, Failure<C>> {
        if sender.as_deref().is_some_and(str::is_empty) {
            return Err(invalid("Sender_Account is empty"));
        }
        let random = fastrand::u32(..);
        Ok(Message {
            room_id,
            from: sender.unwrap_or_else(|| operator.to_owned()),
            random,
            id: format!("{}-{now}-{random}", fastrand::u64(1 << 56..)),
            body,
            cloud_custom_data,
        })
    }

    /// A `TIMTextElem` with the text, and `ExtensionInfo` as `CloudCustomData`.
    pub fn text(r: SendTextMsg, operator: &str, now: i64) -> Result<Message, Failure<SendTextMsgCode>> {
        let body = json!([{ "MsgType": "TIMTextElem", "MsgContent": { "Text": r.text_content } }]);
        Message::new(r.room_id, Some(r.sender_account), operator, body, r.extension_info, now)
    }

    /// A `TIMCustomElem` whose `Data` is the JSON text `{"BusinessId": ..., "Data": ...}`.
    pub fn custom(r: SendCustomMsg, operator: &str, now: i64) -> Result<Message, Failure<SendCustomMsgCode>> {
        let data = json!({ "BusinessId": r.business_id, "Data": r.data }).to_string();
        let body = json!([{ "MsgType": "TIMCustomElem", "MsgContent": { "Data": data } }]);
        Message::new(r.room_id, r.sender_account, operator, body, None, now)
    }

    /// Takes the `MsgBody` and `CloudCustomData` of an allowing reply, when it carries them.
    pub fn modify(&mut self, reply: &serde_json::Map<String, Value>) {
        if let Some(body @ Value::Array(_)) = reply.get("MsgBody") {
            self.body = body.clone();
        }
        if let Some(Value::String(data)) = reply.get("CloudCustomData") {
            self.cloud_custom_data = Some(data.clone());
        }
    }
}

impl AppState {
    /// Checks that the message can be sent; the before-send callback to ask, when configured.
    pub fn before_message<C>(&self, m: &Message) -> Result<Option<Delivery>, Failure<C>>
    where
        C: Documents<ROOM_NOT_FOUND> + Documents<INVALID_PARAMETER>,
    {
        self.room(&m.room_id)?;
        self.strictly_imported("Sender_Account", &m.from)?;
        Ok(self.webhooks.before(BEFORE_SEND_MSG, |e| bodies::message(m, None, e)))
    }

    /// Sends the message: counts it and gives it the room's next sequence number.
    pub fn post_message<C>(&mut self, m: &Message, now: i64) -> Result<u64, Failure<C>>
    where
        C: Documents<ROOM_NOT_FOUND> + Documents<INVALID_PARAMETER>,
    {
        self.strictly_imported("Sender_Account", &m.from)?;
        let room = self.room_mut(&m.room_id)?;
        room.msg_seq += 1;
        room.stats.messages += 1;
        let seq = room.msg_seq;
        self.webhooks.after(AFTER_SEND_MSG, |e| bodies::message(m, Some((seq, now)), e));
        Ok(seq)
    }
}
