//! Answering a webhook request: the app's handler decides the reply, within the budget for the
//! callbacks Live waits for; refused requests get their status and reason.

use std::future::Future;
use std::time::SystemTime;

use super::{Delivery, Receiver, Rejection};
use crate::callback::{CallbackKind, CallbackSet, Reply};

/// The app's handler of verified callbacks: any `Fn(Delivery<C>) -> impl Future<Output = Reply>`
/// that can be shared between requests.
pub trait Handler<C>: Send + Sync + 'static {
    /// The future of one reply.
    type Future: Future<Output = Reply> + Send + 'static;
    /// Handles one delivery.
    fn call(&self, delivery: Delivery<C>) -> Self::Future;
}

impl<C, F, Fut> Handler<C> for F
where
    F: Fn(Delivery<C>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Reply> + Send + 'static,
{
    type Future = Fut;
    fn call(&self, delivery: Delivery<C>) -> Fut {
        self(delivery)
    }
}

/// The HTTP answer to a webhook request, for any framework: 200 with the JSON reply, or a
/// rejection's status with its reason as plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
}

impl Answer {
    /// HTTP 200 with `reply` as JSON (`{"ActionStatus":"OK","ErrorCode":..,"ErrorInfo":..}`).
    pub fn reply(reply: &Reply) -> Answer {
        Answer { status: 200, content_type: "application/json", body: reply.to_json() }
    }
    /// The rejection's status, with its reason.
    pub fn rejection(rejection: &Rejection) -> Answer {
        Answer {
            status: rejection.status(),
            content_type: "text/plain; charset=utf-8",
            body: rejection.to_string().into_bytes(),
        }
    }
}

impl Receiver {
    /// Verifies a request (at the current time) and answers it with `handler`: see
    /// [`verify`](Self::verify) and [`answer`](Self::answer). What framework adapters call.
    pub async fn respond<C, H, I, K, V>(&self, query: &str, headers: I, body: &[u8], handler: &H) -> Answer
    where
        C: CallbackSet,
        H: Handler<C>,
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<[u8]>,
    {
        match self.verify::<C, _, _, _>(query, headers, body, SystemTime::now()) {
            Ok(delivery) => Answer::reply(&self.answer(delivery, handler).await),
            Err(rejection) => self.refuse(&rejection),
        }
    }

    /// Logs a refused request (`tracing` at `warn`), runs the
    /// [`on_rejection`](Self::on_rejection) hook, and returns its answer.
    pub fn refuse(&self, rejection: &Rejection) -> Answer {
        tracing::warn!(status = rejection.status(), "webhook request refused: {rejection}");
        if let Some(hook) = &self.on_rejection {
            hook(rejection);
        }
        Answer::rejection(rejection)
    }

    /// The reply to a verified delivery. The handler runs in a task of its own (on the current
    /// tokio runtime, which must exist):
    ///
    /// - for an after-callback, whose reply Live ignores, the receiver answers [`Reply::ok`] when
    ///   the handler returns or the [`budget`](Self::budget) runs out, whichever comes first, and
    ///   lets a handler that missed the budget run to its end (logged at `debug`); its reply is
    ///   dropped, and a panic is logged. Waiting for a quick handler keeps the callbacks in the
    ///   order they were sent (the emulator sends a room's next callback after the reply to the
    ///   previous one); answering at the budget keeps a slow handler within Live's 2 s;
    /// - for a before-callback, and a command the callback set does not know (the app may be
    ///   routing it itself), the receiver waits for the handler's reply at most the
    ///   [`budget`](Self::budget). When the budget runs out, the handler is cancelled, and the
    ///   receiver answers the [`timeout_reply`](Self::timeout_reply) (by default the
    ///   callback's own [`on_timeout`](CallbackSet::on_timeout)) and logs, at `warn`, which
    ///   command timed out and what it answered; likewise when the handler panics.
    pub async fn answer<C: CallbackSet, H: Handler<C>>(&self, delivery: Delivery<C>, handler: &H) -> Reply {
        let kind = delivery.callback.kind();
        let command = delivery.callback.command().to_owned();
        let fallback = self.timeout_reply.clone().unwrap_or_else(|| delivery.callback.on_timeout());
        let mut task = tokio::spawn(handler.call(delivery));
        if kind == Some(CallbackKind::After) {
            match tokio::time::timeout(self.budget, &mut task).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(command, "the webhook handler failed: {e}"),
                Err(_) => {
                    tracing::debug!(command, "the webhook handler runs on past {:?}; answered OK", self.budget);
                    tokio::spawn(async move {
                        if let Err(e) = task.await {
                            tracing::warn!(command, "the webhook handler failed: {e}");
                        }
                    });
                }
            }
            return Reply::ok();
        }
        let (code, info) = (fallback.code(), fallback.info().to_owned());
        match tokio::time::timeout(self.budget, &mut task).await {
            Ok(Ok(reply)) => reply,
            Ok(Err(e)) => {
                tracing::warn!(command, code, info, "the webhook handler failed ({e}); answered the timeout reply");
                fallback
            }
            Err(_) => {
                task.abort();
                tracing::warn!(
                    command,
                    code,
                    info,
                    "the webhook handler did not reply within {:?}; answered the timeout reply",
                    self.budget
                );
                fallback
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use serde::Serialize;

    use super::*;
    use crate::callback::BodyError;

    /// A before-callback blocked on timeout, and an after-callback.
    #[derive(Debug, Serialize)]
    struct Gift(bool);

    impl CallbackSet for Gift {
        fn decode(command: &str, _: &[u8]) -> Result<Self, BodyError> {
            Ok(Gift(command == "Before"))
        }
        fn command(&self) -> &str {
            if self.0 { "Before" } else { "After" }
        }
        fn kind(&self) -> Option<CallbackKind> {
            Some(if self.0 { CallbackKind::Before } else { CallbackKind::After })
        }
        fn on_timeout(&self) -> Reply {
            Reply::with_code(1, "blocked")
        }
    }

    fn delivery(before: bool) -> Delivery<Gift> {
        let query = format!("SdkAppid=1&CallbackCommand={}", if before { "Before" } else { "After" });
        Receiver::new(1).verify(&query, [("", "")], b"{}", SystemTime::now()).unwrap()
    }

    #[tokio::test]
    async fn a_before_callback_gets_the_handler_s_reply_or_its_timeout_decision() {
        let r = Receiver::new(1).budget(Duration::from_millis(20));
        let allow = |_: Delivery<Gift>| async { Reply::with_code(0, "fine") };
        assert_eq!(r.answer(delivery(true), &allow).await, Reply::with_code(0, "fine"));
        let never = |_: Delivery<Gift>| std::future::pending::<Reply>();
        assert_eq!(r.answer(delivery(true), &never).await, Reply::with_code(1, "blocked"));
        let panics = |_: Delivery<Gift>| async { panic!("handler bug") };
        assert_eq!(r.answer(delivery(true), &panics).await, Reply::with_code(1, "blocked"));
        let configured = r.timeout_reply(Reply::ok());
        assert_eq!(configured.answer(delivery(true), &never).await, Reply::ok());
    }

    #[tokio::test]
    async fn an_after_callback_is_answered_when_its_handler_returns_or_at_the_budget() {
        let r = Receiver::new(1).budget(Duration::from_millis(20));
        let ran = Arc::new(AtomicBool::new(false));
        let (gate, done) = (Arc::new(tokio::sync::Notify::new()), Arc::new(tokio::sync::Notify::new()));
        let handler = {
            let (ran, gate, done) = (ran.clone(), gate.clone(), done.clone());
            move |_: Delivery<Gift>| {
                let (ran, gate, done) = (ran.clone(), gate.clone(), done.clone());
                async move {
                    gate.notified().await;
                    ran.store(true, Ordering::SeqCst);
                    done.notify_one();
                    Reply::with_code(7, "ignored")
                }
            }
        };
        // The handler waits for the gate, which opens only after the reply is there: the reply
        // comes at the budget, and the handler still runs to its end.
        assert_eq!(r.answer(delivery(false), &handler).await, Reply::ok());
        assert!(!ran.load(Ordering::SeqCst));
        gate.notify_one();
        done.notified().await;
        assert!(ran.load(Ordering::SeqCst));

        // A quick handler has run when the reply is there (so callbacks sent one after the other's
        // reply reach handlers in order).
        let r = Receiver::new(1);
        let quick = {
            let ran = ran.clone();
            move |_: Delivery<Gift>| {
                let ran = ran.clone();
                async move {
                    ran.store(false, Ordering::SeqCst);
                    Reply::with_code(7, "ignored")
                }
            }
        };
        assert_eq!(r.answer(delivery(false), &quick).await, Reply::ok());
        assert!(!ran.load(Ordering::SeqCst), "the handler ran before the reply");
    }

    #[tokio::test]
    async fn respond_writes_the_documented_json_or_the_rejection() {
        let r = Receiver::new(1);
        let allow = |_: Delivery<Gift>| async { Reply::ok() };
        let ok = r.respond("SdkAppid=1&CallbackCommand=Before", [("", "")], b"{}", &allow).await;
        assert_eq!((ok.status, ok.content_type), (200, "application/json"));
        assert_eq!(ok.body, br#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#);
        let refused = r.respond("SdkAppid=2&CallbackCommand=Before", [("", "")], b"{}", &allow).await;
        assert_eq!(refused.status, 403);
        assert_eq!(refused.body, b"the webhook is for SdkAppid 2, not for this app's 1");
    }
}
