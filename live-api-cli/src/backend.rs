//! Where calls go: Tencent (or any server) as the `LIVE_API_*` environment configures it, or, with
//! no such configuration, an emulator started in this process.

use live_api::Client;
use live_api::config::{ENV_BASE_URL, ENV_REGION, ENV_SDKAPPID, ENV_SECRET_KEY, ENV_USERSIG};
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
