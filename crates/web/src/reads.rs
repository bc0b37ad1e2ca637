//! Which database a read goes to. Dashboards, bulletins, rankings and exports
//! take [`Reads`] instead of the state: their data may come from a streaming
//! replica, a few seconds behind. Everything else reads the primary. A user
//! who has just written is sent to the primary for their next pages too
//! (read-your-writes): every successful write answers with a cookie stamping
//! its time, and a request carrying a recent stamp reads the primary. The
//! stamp lives in the browser, so any instance honours it.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;

use crate::auth::cookie;
use crate::session::{cookie_header, secure};
use crate::state::AppState;

/// The cookie holding the time (Unix ms) of the user's last write.
pub const WROTE_COOKIE: &str = "kfq_wrote";

/// The state for lag-tolerant reads: its store is a fit replica, unless the
/// caller wrote within `read_your_writes_ms` or no replica is fit.
pub struct Reads(pub AppState);

impl FromRequestParts<AppState> for Reads {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if !state.store.has_replicas() || wrote_lately(state, &parts.headers) {
            return Ok(Reads(state.clone()));
        }
        Ok(Reads(AppState {
            store: state.store.reader(),
            ..state.clone()
        }))
    }
}

fn wrote_lately(state: &AppState, headers: &axum::http::HeaderMap) -> bool {
    cookie(headers, WROTE_COOKIE)
        .and_then(|v| v.parse::<i64>().ok())
        .is_some_and(|at| kfq_store::now_ms().saturating_sub(at) < state.config.read_your_writes_ms)
}

/// Stamps the response to a successful write, when reads may go to replicas.
pub async fn stamp_writes(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // A signed-in user's write: a sign-in itself reads nothing afterwards
    // that a replica could miss (sessions are always read on the primary).
    let writes = !req.method().is_safe()
        && state.store.has_replicas()
        && req.extensions().get::<crate::auth::Auth>().is_some();
    let secure = secure(&state, req.headers());
    let mut response = next.run(req).await;
    let status = response.status();
    if writes && (status.is_success() || status.is_redirection()) {
        let max_age = (state.config.read_your_writes_ms / 1000).max(1);
        response.headers_mut().append(
            SET_COOKIE,
            cookie_header(
                WROTE_COOKIE,
                &kfq_store::now_ms().to_string(),
                max_age,
                "Lax",
                secure,
            ),
        );
    }
    response
}
