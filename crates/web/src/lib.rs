//! The HTTP edge of kfq: server-rendered pages in Chinese and their JSON twins
//! under `/api/v1`. Modules are one per resource (pages, API and rules side by
//! side); security — who is asking, anti-forgery, scope — is applied by layers
//! and extractors so that no route can forget it.

pub mod auth;
pub mod common;
pub mod csrf;
pub mod docx;
pub mod error;
pub mod features;
pub mod headers;
pub mod input;
pub mod layout;
pub mod openapi;
pub mod reads;
pub mod routes;
pub mod session;
pub mod state;
pub mod system;
pub mod views;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::http::header::{
    HeaderName, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::Router;
use kfq_store::Store;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tower_http::LatencyUnit;
use tracing::Level;

pub use routes::{Access, RouteInfo};
pub use state::{AppState, WebConfig};

use crate::error::AppError;

/// Every route of the application.
fn all_routes() -> routes::Routes {
    routes::Routes::new()
        .merge(system::routes())
        .merge(session::routes())
        .merge(features::routes())
}

/// The routes as registered: method, path, access.
pub fn route_table() -> Vec<RouteInfo> {
    all_routes().into_parts().1
}

/// The application with all its layers. Layers run outside-in: trace, headers,
/// metrics, who is asking, error pages; then each route's own (sign-in
/// required, anti-forgery: see `routes`), then the handler.
pub fn app(store: Store, config: WebConfig) -> Router {
    let state = AppState {
        store,
        config: Arc::new(config),
        boards: Arc::default(),
        reports: Arc::default(),
        assessments: Arc::default(),
        ledgers: Arc::default(),
    };
    let (router, _) = all_routes().into_parts();
    router
        .fallback(|| async { AppError::NotFound })
        .layer(from_fn(layout::html_errors))
        .layer(from_fn_with_state(state.clone(), reads::stamp_writes))
        .layer(from_fn_with_state(state.clone(), auth::authenticate))
        .layer(from_fn(system::track))
        .layer(from_fn_with_state(state.clone(), headers::set))
        .layer(SetResponseHeaderLayer::if_not_present(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                 connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(60),
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(
                    DefaultOnResponse::new()
                        .level(Level::INFO)
                        .latency_unit(LatencyUnit::Millis),
                ),
        )
        .with_state(state)
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Store,
    config: WebConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = app(store, config);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
