//! The calls a before-callback decides: send_gift (`Live.CallbackBeforeSendGift`) and the room
//! messages (`Group.CallbackBeforeSendMsg`).
//!
//! The callback is awaited without the state's lock, in three steps: under the lock, the call is
//! checked as if there were no callback (so a call that fails sends none) and the callback's body
//! is built; without the lock, the callback is sent and its reply awaited (2 s at most); under
//! the lock again, the effect is applied after the same checks. Other calls run meanwhile: the
//! callback describes the state of the first check, and a room destroyed before the third step
//! makes an allowed call answer 100004. Two gated calls may apply in either order.

use serde_json::{Map, Value};

use crate::callback::{PassThrough, Reply};
use crate::server::{Context, Failure};
use crate::*;

use super::Emulator;
use super::delivery::Undelivered;
use super::messages::Message;
use super::state::{INVALID_PARAMETER, Outcome, ROOM_NOT_FOUND};
use super::webhooks::Origin;

/// send_gift's `GiftCallbackFailed`: the gift before-callback blocked the gift.
const GIFT_BLOCKED: i64 = 102004;
/// The messages' `RejectedByCallback`: the before-send callback forbade the message.
const MESSAGE_FORBIDDEN: i64 = 10016;
/// Codes a gift callback's reply passes through to the caller.
type GiftCode = PassThrough<102100, 102200>;
/// Codes a message callback's reply passes through to the caller.
type MessageCode = PassThrough<10100, 10200>;

/// A failure with the code the app's reply passed through, and its `ErrorInfo`: the one place
/// the emulator answers codes its specs do not list one by one. The specs of the endpoints that
/// can (send_gift, send_text_msg, send_custom_msg) document the range in their notes, the type
/// bounds the code to it, and `BLOCKED` (the code the endpoint answers when a callback blocks
/// without passing one) to those endpoints. The client decodes the code as `Undocumented`.
fn passed_through<C, const BLOCKED: i64, const MIN: u32, const MAX: u32>(
    code: PassThrough<MIN, MAX>,
    info: &str,
) -> Failure<C>
where
    C: Documents<BLOCKED>,
{
    Failure::from_code(i64::from(code.get()), info)
}

/// What the gift callback's answer decides: send (`Ok`) or block.
fn gift_verdict<C: Documents<GIFT_BLOCKED>>(
    answer: Result<Reply, Undelivered>,
    not_block: bool,
) -> Result<(), Failure<C>> {
    match answer {
        Ok(reply) if reply.code() == 0 => Ok(()),
        Ok(reply) => match GiftCode::new(reply.code()) {
            Ok(code) => Err(passed_through::<C, GIFT_BLOCKED, 102100, 102200>(code, reply.info())),
            Err(_) => Err(Failure::documented::<GIFT_BLOCKED>(format!(
                "the gift before-callback refused the gift (ErrorCode {}: {:?})",
                reply.code(),
                reply.info()
            ))),
        },
        Err(why) if not_block => {
            tracing::warn!(reason = %why, "live-api emulator: gift before-callback failed; the gift is sent (Live.CallbackBeforeCallBackNotBlock)");
            Ok(())
        }
        Err(why) => Err(Failure::documented::<GIFT_BLOCKED>(format!(
            "the gift before-callback failed, which blocks the gift unless \
             Live.CallbackBeforeCallBackNotBlock is configured: {why}"
        ))),
    }
}

/// What a message callback's answer decides.
#[derive(Debug, PartialEq)]
enum MessageVerdict {
    /// Send it, with the reply's fields (a modified `MsgBody`, `CloudCustomData`).
    Send(Map<String, Value>),
    /// Drop it silently: the call succeeds.
    Discard,
}

fn message_verdict<C: Documents<MESSAGE_FORBIDDEN>>(
    answer: Result<Reply, Undelivered>,
) -> Result<MessageVerdict, Failure<C>> {
    let reply = match answer {
        Ok(reply) => reply,
        Err(why) => {
            // Chat's default for a before-callback without an answer: deliver the message.
            tracing::warn!(reason = %why, "live-api emulator: message before-callback failed; the message is sent");
            return Ok(MessageVerdict::Send(Map::new()));
        }
    };
    match reply.code() {
        0 => Ok(MessageVerdict::Send(reply.fields().clone())),
        2 => Ok(MessageVerdict::Discard),
        code => match MessageCode::new(code) {
            Ok(code) => Err(passed_through::<C, MESSAGE_FORBIDDEN, 10100, 10200>(code, reply.info())),
            // 1, and the codes with no documented meaning: forbidden.
            Err(_) => Err(Failure::documented::<MESSAGE_FORBIDDEN>(format!(
                "the message before-callback forbade the message (ErrorCode {code}: {:?})",
                reply.info()
            ))),
        },
    }
}

impl Emulator {
    pub(super) async fn send_gift_gated(&self, ctx: &Context, r: SendGift) -> Outcome<SendGift> {
        let origin = Origin::rest(&ctx.identifier);
        let asked = self.run(ctx.sdk_app_id, &origin, |app, now| app.before_send_gift(&r, now))?;
        if let Some((delivery, not_block)) = asked {
            gift_verdict(delivery.send(&self.shared.http).await, not_block)?;
        }
        self.run(ctx.sdk_app_id, &origin, |app, _| app.send_gift(r))
    }

    pub(super) async fn send_text_msg_gated(&self, ctx: &Context, r: SendTextMsg) -> Outcome<SendTextMsg> {
        let m = Message::text(r, &ctx.identifier, crate::server::unix_now() as i64)?;
        let sent = self.send_message(ctx, m).await?;
        let (msg_time, msg_seq) = (Some(sent.0), sent.1);
        Ok(SendTextMsgResponse { msg_time, msg_seq, msg_drop_reason: None })
    }

    pub(super) async fn send_custom_msg_gated(&self, ctx: &Context, r: SendCustomMsg) -> Outcome<SendCustomMsg> {
        let m = Message::custom(r, &ctx.identifier, crate::server::unix_now() as i64)?;
        let sent = self.send_message(ctx, m).await?;
        let (msg_time, msg_seq) = (Some(sent.0), sent.1);
        Ok(SendCustomMsgResponse { msg_time, msg_seq, msg_drop_reason: None })
    }

    /// Sends `m` past the before-send callback: its time and, unless the callback discarded it,
    /// its sequence number.
    async fn send_message<C>(&self, ctx: &Context, mut m: Message) -> Result<(i64, Option<u64>), Failure<C>>
    where
        C: Documents<MESSAGE_FORBIDDEN> + Documents<ROOM_NOT_FOUND> + Documents<INVALID_PARAMETER>,
    {
        let origin = Origin::rest(&ctx.identifier);
        let asked = self.run(ctx.sdk_app_id, &origin, |app, _| app.before_message(&m))?;
        if let Some(delivery) = asked {
            match message_verdict(delivery.send(&self.shared.http).await)? {
                MessageVerdict::Send(fields) => m.modify(&fields),
                MessageVerdict::Discard => return Ok((crate::server::unix_now() as i64, None)),
            }
        }
        self.run(ctx.sdk_app_id, &origin, |app, now| app.post_message(&m, now).map(|seq| (now, Some(seq))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed() -> Result<Reply, Undelivered> {
        Err(Undelivered::Failed("no answer within 2 s".into()))
    }

    #[test]
    fn gift_replies_decide_as_documented() {
        type C = SendGiftCode;
        assert_eq!(gift_verdict::<C>(Ok(Reply::ok()), false), Ok(()));
        let refused = gift_verdict::<C>(Ok(Reply::with_code(1, "no")), false).unwrap_err();
        assert_eq!(refused.code, C::GiftCallbackFailed);
        let passed = gift_verdict::<C>(Ok(Reply::with_code(102150, "sold out")), false).unwrap_err();
        assert_eq!((passed.code.code(), passed.message.as_str()), (102150, "sold out"));
        assert_eq!(passed.code.name(), "Undocumented");
        let outside = gift_verdict::<C>(Ok(Reply::with_code(102201, "")), false).unwrap_err();
        assert_eq!(outside.code, C::GiftCallbackFailed);
        assert_eq!(gift_verdict::<C>(failed(), false).unwrap_err().code, C::GiftCallbackFailed);
        assert_eq!(gift_verdict::<C>(failed(), true), Ok(()), "NotBlock lets the gift through");
        assert!(gift_verdict::<C>(Ok(Reply::with_code(1, "")), true).is_err(), "NotBlock does not override a refusal");
    }

    #[test]
    fn message_replies_decide_as_documented() {
        type C = SendTextMsgCode;
        let modified = Reply::ok().with_field("CloudCustomData", "x");
        let MessageVerdict::Send(fields) = message_verdict::<C>(Ok(modified)).unwrap() else { panic!() };
        assert_eq!(fields["CloudCustomData"], "x");
        assert_eq!(message_verdict::<C>(Ok(Reply::with_code(2, ""))).unwrap(), MessageVerdict::Discard);
        assert_eq!(message_verdict::<C>(Ok(Reply::with_code(1, ""))).unwrap_err().code, C::RejectedByCallback);
        assert_eq!(message_verdict::<C>(Ok(Reply::with_code(3, ""))).unwrap_err().code, C::RejectedByCallback);
        let passed = message_verdict::<C>(Ok(Reply::with_code(10100, "spam"))).unwrap_err();
        assert_eq!((passed.code.code(), passed.message.as_str()), (10100, "spam"));
        assert_eq!(message_verdict::<C>(failed()).unwrap(), MessageVerdict::Send(Map::new()), "delivered on timeout");
    }
}
