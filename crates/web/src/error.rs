//! One error type for the whole web edge. It renders as JSON (`/api/v1`) and,
//! through [`crate::layout::html_errors`], as a page; internals are logged
//! and never shown.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kfq_domain::FieldErrors;
use kfq_store::StoreError;
use serde::Serialize;

use kfq_app::i18n::Catalog;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("not signed in")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("version conflict")]
    Conflict,
    #[error("csrf token missing or wrong")]
    Csrf,
    /// Too many failed password checks: wait this many seconds.
    #[error("too many attempts")]
    Throttled(i64),
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A file that cannot be read (in the reader's words): 422.
    #[error("unreadable: {0}")]
    Unreadable(String),
    /// A body beyond the route's limit (bytes): 413.
    #[error("payload too large")]
    TooLarge(usize),
    /// The database is out of reach for a moment: 503, retry soon.
    #[error("unavailable")]
    Unavailable,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict => AppError::Conflict,
            StoreError::Invalid(errors) => AppError::Invalid(errors),
            StoreError::Unavailable(err) => {
                tracing::warn!(error = ?err, "database unavailable");
                AppError::Unavailable
            }
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<kfq_app::Error> for AppError {
    fn from(err: kfq_app::Error) -> Self {
        match err {
            kfq_app::Error::NotFound => AppError::NotFound,
            kfq_app::Error::Forbidden => AppError::Forbidden,
            kfq_app::Error::Conflict => AppError::Conflict,
            kfq_app::Error::Invalid(errors) => AppError::Invalid(errors),
            kfq_app::Error::Unreadable(message) => AppError::Unreadable(message),
            kfq_app::Error::Unavailable => AppError::Unavailable,
            kfq_app::Error::Throttled(seconds) => AppError::Throttled(seconds),
            kfq_app::Error::Internal(err) => AppError::Internal(err),
        }
    }
}

impl From<axum::extract::multipart::MultipartError> for AppError {
    /// A multipart body that cannot be read: too large (413) or malformed (400).
    fn from(e: axum::extract::multipart::MultipartError) -> Self {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge(crate::routes::UPLOAD_MAX)
        } else {
            AppError::BadRequest(e.body_text())
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Invalid(errors)
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// The error as both renderings need it; travels in the response extensions
/// so the page layer can draw it inside the layout.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorBody {
    #[serde(skip)]
    pub status: u16,
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldMessage>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FieldMessage {
    pub field: String,
    pub key: String,
    pub message: String,
}

/// The JSON shape of every API error: `{"error": {code, message, fields}}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiErrorDoc {
    pub error: ApiErrorBody,
}

/// What an API error says.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiErrorBody {
    /// What kind of error, for programs.
    #[schema(schema_with = crate::openapi::codes::error_code)]
    pub code: String,
    /// In Chinese, for people.
    pub message: String,
    /// With `invalid`: each field refused and why (absent otherwise).
    #[schema(required = false)]
    pub fields: Vec<FieldMessage>,
}

/// The errors as a page lists them, in Chinese.
pub fn messages(errors: &FieldErrors) -> Vec<String> {
    field_messages(errors, Catalog::zh())
        .into_iter()
        .map(|m| m.message)
        .collect()
}

pub fn field_messages(errors: &FieldErrors, catalog: &Catalog) -> Vec<FieldMessage> {
    errors
        .0
        .iter()
        .map(|e| FieldMessage {
            field: e.field.clone(),
            key: e.key.to_owned(),
            message: catalog.t(e.key).to_owned(),
        })
        .collect()
}

impl AppError {
    pub fn body(&self, catalog: &Catalog) -> ErrorBody {
        let (status, code, key) = match self {
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found", "error.not_found"),
            AppError::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "error.unauthenticated",
            ),
            AppError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", "error.forbidden"),
            AppError::Conflict => (StatusCode::CONFLICT, "conflict", "error.conflict"),
            AppError::Csrf => (StatusCode::FORBIDDEN, "csrf", "error.csrf"),
            AppError::Throttled(_) => (
                StatusCode::TOO_MANY_REQUESTS,
                "throttled",
                "error.throttled",
            ),
            AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid", "error.invalid"),
            AppError::BadRequest(_) => {
                (StatusCode::BAD_REQUEST, "bad_request", "error.bad_request")
            }
            AppError::Unreadable(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "unreadable",
                "error.unreadable",
            ),
            AppError::TooLarge(_) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "error.too_large",
            ),
            AppError::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "error.unavailable",
            ),
            AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "error.internal",
            ),
        };
        let message = match self {
            AppError::BadRequest(detail) | AppError::Unreadable(detail) => {
                catalog.format(key, &[("detail", detail)])
            }
            AppError::TooLarge(limit) => {
                catalog.format(key, &[("limit", &(limit / 1024 / 1024).to_string())])
            }
            AppError::Throttled(seconds) => {
                throttled_message(catalog, "error.throttled_wait", *seconds)
            }
            _ => catalog.t(key).to_owned(),
        };
        let fields = match self {
            AppError::Invalid(errors) => field_messages(errors, catalog),
            _ => Vec::new(),
        };
        ErrorBody {
            status: status.as_u16(),
            code,
            message,
            fields,
        }
    }
}

/// "…请{wait}后再试" with the wait in seconds or, from a minute, minutes.
pub fn throttled_message(catalog: &Catalog, key: &str, seconds: i64) -> String {
    let wait = if seconds < 60 {
        catalog.format("common.wait_seconds", &[("n", &seconds.max(1).to_string())])
    } else {
        catalog.format(
            "common.wait_minutes",
            &[("n", &((seconds + 59) / 60).to_string())],
        )
    };
    catalog.format(key, &[("wait", &wait)])
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(err) = &self {
            tracing::error!(error = ?err, "internal error");
        }
        let body = self.body(Catalog::zh());
        let status = StatusCode::from_u16(body.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(serde_json::json!({ "error": &body }))).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("5"));
        }
        if let AppError::Throttled(seconds) = &self {
            if let Ok(value) = header::HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response.extensions_mut().insert(body);
        response
    }
}
