//! Small pieces every resource module uses: query parameters, version
//! numbers, permission checks and the history view.

use askama::Template;
use kfq_app::history::HistoryEntry;
use kfq_domain::FieldErrors;
use kfq_store::AuditEntry;
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::input::Input;
use crate::layout::{see_other, PageContext};
use axum::response::Response;

/// Query parameters of list pages and API lists; all optional, all text, so a
/// bad value becomes a field error instead of a bare 400.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Name contains this text.
    pub q: Option<String>,
    pub kind: Option<String>,
    pub parent_id: Option<String>,
    pub zone_id: Option<String>,
    pub org_unit_id: Option<String>,
    /// Page number, from 1.
    pub page: Option<String>,
    /// Items a page (1–500, default 50).
    pub per_page: Option<String>,
    #[param(ignore)]
    pub notice: Option<String>,
}

impl ListQuery {
    pub fn text(value: &Option<String>) -> Option<String> {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    pub fn id(value: &Option<String>, field: &str) -> AppResult<Option<i64>> {
        match Self::text(value) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| AppError::Invalid(FieldErrors::single(field, "error.number"))),
        }
    }
}

/// `?version=N` of an API delete, or the notice of a redirect.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// The version the caller last read; a newer one on the server is a conflict.
    pub version: Option<String>,
    #[param(ignore)]
    pub notice: Option<String>,
}

impl VersionQuery {
    pub fn required(&self) -> AppResult<i64> {
        match ListQuery::text(&self.version) {
            None => Err(AppError::Invalid(FieldErrors::single(
                "version",
                "error.required",
            ))),
            Some(v) => v
                .parse()
                .map_err(|_| AppError::Invalid(FieldErrors::single("version", "error.number"))),
        }
    }
}

/// The version a form or JSON body says it edits.
pub fn version(input: &Input, errors: &mut FieldErrors) -> i64 {
    input.int("version", errors).unwrap_or_default()
}

/// Refuses with 403 unless the rule allows it.
pub fn allow(allowed: bool) -> AppResult<()> {
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The proof of permission the domain's rule made, or 403 if it made none.
pub fn proven<P>(proof: Option<P>) -> AppResult<P> {
    proof.ok_or(AppError::Forbidden)
}

/// Audit records as people read them: one entry per change, fields under
/// their labels, values as typed (see [`kfq_app::history`]).
pub fn entry_views(entries: &[AuditEntry]) -> Vec<HistoryEntry> {
    kfq_app::history::readable(kfq_app::i18n::Catalog::zh(), entries, &[])
}

/// The history page of one object the caller has already been shown, read
/// with the same `visibility`: records written while the object lay outside
/// the caller's scope (before it moved to them) stay hidden.
#[allow(clippy::too_many_arguments)]
pub async fn history_page(
    state: &crate::state::AppState,
    auth: &crate::auth::Auth,
    visibility: &kfq_domain::Visibility,
    active: &'static str,
    (entity, id): (&str, i64),
    name: &str,
    back: String,
) -> AppResult<axum::response::Response> {
    let entries = state.store.audit_history(visibility, entity, id).await?;
    history_view(auth, active, name, back, entry_views(&entries))
}

/// The history page of entries already made readable.
pub fn history_view(
    auth: &crate::auth::Auth,
    active: &'static str,
    name: &str,
    back: String,
    entries: Vec<HistoryEntry>,
) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let view = HistoryView {
        page: PageContext::new(Some(auth), active),
        name: name.to_owned(),
        back,
        entries,
    };
    Ok(crate::layout::render(&view)?.into_response())
}

#[derive(Template)]
#[template(path = "history.html")]
pub struct HistoryView {
    pub page: PageContext,
    pub name: String,
    pub back: String,
    pub entries: Vec<HistoryEntry>,
}

/// Options of a select built from codes and their catalogue family.
pub fn code_options(
    page: &PageContext,
    family: &str,
    codes: &[&str],
    blank: bool,
) -> Vec<(String, String)> {
    let mut options = Vec::new();
    if blank {
        options.push((String::new(), page.t("common.all").to_owned()));
    }
    options.extend(codes.iter().map(|c| (c.to_string(), page.label(family, c))));
    options
}

/// The id in a route's path. Anything that is not a number names nothing, so
/// it is a 404 like any other unknown object.
pub struct PathId(pub i64);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PathId {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(params) =
            axum::extract::Path::<Vec<(String, String)>>::from_request_parts(parts, state)
                .await
                .map_err(|_| AppError::NotFound)?;
        params
            .last()
            .and_then(|(_, v)| v.parse().ok())
            .map(PathId)
            .ok_or(AppError::NotFound)
    }
}

/// A file to download: `name` (Chinese welcome) for browsers that read
/// RFC 5987, `fallback` for the rest.
pub fn attachment(
    bytes: Vec<u8>,
    name: &str,
    fallback: &str,
    mime: &'static str,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let disposition = format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        crate::layout::urlencode(name)
    );
    (
        [
            (axum::http::header::CONTENT_TYPE, mime.to_owned()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

/// A day as pages show it (YYYY-MM-DD), blank for none.
pub fn day_text(day: Option<chrono::NaiveDate>) -> String {
    day.map(|d| d.to_string()).unwrap_or_default()
}

/// The flow of every page form's post: saved, go to the page `saved` names
/// (303); refused with field errors, the form drawn again by `refused` (with
/// the user's typing and each error) and answered 422; any other error is
/// the error page.
pub async fn form_post<T>(
    outcome: AppResult<T>,
    saved: impl FnOnce(T) -> String,
    refused: impl AsyncFnOnce(FieldErrors) -> AppResult<Response>,
) -> AppResult<Response> {
    match outcome {
        Ok(value) => Ok(see_other(&saved(value))),
        Err(AppError::Invalid(errors)) => {
            let mut response = refused(errors).await?;
            *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other),
    }
}
