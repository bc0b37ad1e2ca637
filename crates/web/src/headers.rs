//! Response headers every answer gets: nothing kfq serves is kept in a
//! shared or browser cache unless it says so (pages hold personal data, API
//! answers and downloads hold figures, a new token is shown once), and over
//! HTTPS browsers are told to stay on it.

use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, STRICT_TRANSPORT_SECURITY};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use crate::session;
use crate::state::AppState;

pub async fn set(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let https = session::secure(&state, req.headers());
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    // Assets say their own (public, an hour); everything else is no-store.
    if !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if https {
        headers.insert(
            STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}
