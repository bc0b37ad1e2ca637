//! Operations: health, metrics, the API description and static assets.

use std::sync::OnceLock;
use std::time::Instant;

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::error::AppError;
use crate::layout::static_file;
use crate::routes::Routes;
use crate::state::AppState;

pub fn routes() -> Routes {
    Routes::new()
        .public_get("/healthz", healthz)
        .public_get("/metrics", metrics)
        .public_get("/api/v1/openapi.json", openapi)
        .public_get("/static/{file}", static_file)
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => Json(serde_json::json!({ "status": "ok", "database": "ok" })).into_response(),
        Err(err) => {
            tracing::error!(error = ?err, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable" })),
            )
                .into_response()
        }
    }
}

/// One recorder per process (the metrics facade is global).
fn prometheus() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets(&[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0])
            .expect("static buckets")
            .build_recorder();
        let handle = recorder.handle();
        // Another recorder may already be installed (tests); then ours stays empty.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Route counts and failed sign-ins are not for anyone: with a token set
/// (`--metrics-token`) the scraper sends it as a bearer token; without one,
/// only this machine may read them, and a request a proxy passed on is not
/// this machine's.
async fn metrics(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let allowed = match &state.config.metrics_token {
        Some(token) => headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|sent| same_token(sent, token)),
        None => peer.ip().is_loopback() && !headers.contains_key("x-forwarded-for"),
    };
    if !allowed {
        return AppError::NotFound.into_response();
    }
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        prometheus().render(),
    )
        .into_response()
}

/// Compares digests, so the time taken says nothing about the token.
fn same_token(a: &str, b: &str) -> bool {
    use sha2::{Digest, Sha256};
    Sha256::digest(a.as_bytes()) == Sha256::digest(b.as_bytes())
}

/// Counts requests and their durations by route pattern and status.
pub async fn track(req: Request, next: Next) -> Response {
    prometheus();
    let started = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("kfq_http_requests_total", &labels).increment(1);
    metrics::histogram!("kfq_http_request_duration_seconds", &labels[..2])
        .record(started.elapsed().as_secs_f64());
    response
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(crate::openapi::document())
}
