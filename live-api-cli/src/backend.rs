//! Where calls go: Tencent (or any server) as the `LIVE_API_*` environment configures it, or, with
//! no such configuration, an emulator started in this process. `LIVE_API_RATE_LIMIT_REDIS` paces
//! the calls through Redis (read by `Client::from_env`), and its warnings go to stderr.

use live_api::Client;
use live_api::config::{ENV_BASE_URL, ENV_RATE_LIMIT_REDIS, ENV_REGION, ENV_SDKAPPID, ENV_SECRET_KEY, ENV_USERSIG};
use live_api::emulator::{Emulator, RunningEmulator};

use crate::exit::{self, Failed};

/// The variables that say where and as whom to call; with none of them set, the embedded
/// emulator is used.
const CONFIGURING: [&str; 5] = [ENV_SDKAPPID, ENV_SECRET_KEY, ENV_USERSIG, ENV_REGION, ENV_BASE_URL];

/// A client, and the emulator it talks to when it is an embedded one.
pub struct Backend {
    pub client: Client,
    pub emulator: Option<RunningEmulator>,
}

impl Backend {
    /// The configured service, or an embedded emulator (said on stderr).
    pub async fn connect() -> Result<Backend, Failed> {
        let configured = CONFIGURING.iter().any(|v| std::env::var(v).is_ok_and(|s| !s.trim().is_empty()));
        if std::env::var(ENV_RATE_LIMIT_REDIS).is_ok_and(|s| !s.trim().is_empty()) {
            // The Redis limiter warns through `tracing` when Redis does not answer: show it.
            let _ = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::WARN)
                .with_writer(std::io::stderr)
                .with_target(false)
                .try_init();
        }
        if configured {
            let client = Client::from_env().map_err(|e| Failed::new(exit::CONFIG, e.to_string()))?;
            return Ok(Backend { client, emulator: None });
        }
        let running = Emulator::start()
            .await
            .map_err(|e| Failed::new(exit::CONFIG, format!("cannot start the embedded emulator: {e}")))?;
        eprintln!(
            "live-api: no LIVE_API_* configuration; using an embedded emulator at {} (its state lasts for this \
             command only; set {ENV_SDKAPPID}, {ENV_SECRET_KEY} and {ENV_REGION} to call Tencent)",
            running.url()
        );
        Ok(Backend { client: running.client(), emulator: Some(running) })
    }
}
