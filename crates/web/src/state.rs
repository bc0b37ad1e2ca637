//! What every request can reach. Nothing here is state another instance would
//! need: sessions, throttling and data all live in the database.

use std::sync::Arc;

use kfq_store::Store;

/// Settings of the web edge.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` / `X-Forwarded-Proto` from a reverse proxy.
    pub trust_proxy: bool,
    /// A session ends this long after sign-in, however busy.
    pub session_lifetime_ms: i64,
    /// A session ends after this long without a request.
    pub session_idle_ms: i64,
    /// Failed password checks a client may make on an account within
    /// `throttle_window_ms` before it waits (2 s, doubling, up to 15 min);
    /// an account's failures from all clients slow the clients that failed
    /// from ten times this, an address's on all accounts stop it from twenty.
    pub max_login_failures: i64,
    pub throttle_window_ms: i64,
    /// Where a user's robot webhook may point: the server calls these URLs,
    /// so anything but https to a listed host is refused (the intranet above all).
    pub webhooks: kfq_notify::WebhookPolicy,
    /// After a write, the writer's reads go to the primary for this long, so
    /// their next pages show what they wrote even when replicas lag.
    pub read_your_writes_ms: i64,
    /// The bearer token `/metrics` asks for; without one, only requests from
    /// this machine (not through a proxy) may read it.
    pub metrics_token: Option<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            trust_proxy: false,
            session_lifetime_ms: 12 * 3_600_000,
            session_idle_ms: 2 * 3_600_000,
            max_login_failures: 5,
            throttle_window_ms: 15 * 60_000,
            webhooks: kfq_notify::WebhookPolicy::default(),
            // Longer than the most a replica may lag and still serve.
            read_your_writes_ms: i64::try_from(kfq_store::REPLICA_MAX_LAG.as_millis())
                .unwrap_or(10_000)
                + 5_000,
            metrics_token: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    /// Indicator boards, reused while their data is unchanged.
    pub boards: Arc<kfq_app::indicators::board::BoardCache>,
    /// Monthly reports, reused while their data is unchanged.
    pub reports: Arc<kfq_app::monthly_report::ReportCache>,
    /// Ledger pages, reused while their data is unchanged.
    pub ledgers: Arc<kfq_app::ledger::list::LedgerCache>,
    /// A quarter's scores as of now, reused while their data is unchanged.
    pub assessments: Arc<kfq_app::assessments::AssessmentCache>,
}
