//! The monthly report's files as downloads: built by
//! `kfq_app::monthly_report::files` off the async workers.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::Response;
use kfq_app::monthly_report::files::{self, file_name};
use kfq_app::monthly_report::Wording;

use super::{posted_report, report, wording, BulletinQuery};
use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::input::Input;
use crate::reads::Reads;
use crate::state::AppState;
use kfq_app::i18n::Catalog;

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub async fn docx(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<BulletinQuery>,
) -> AppResult<Response> {
    let r = report(&state, &auth, &query).await?;
    let wording = Wording::of(&r);
    Ok(crate::common::attachment(
        files::docx(r.clone(), wording).await?,
        &file_name(&r, "docx"),
        "bulletin.docx",
        DOCX,
    ))
}

/// The Word file with the words typed on the page, before issuing: posted
/// (the words are too long for a link), nothing kept.
pub async fn preview_docx(Reads(state): Reads, auth: Auth, input: Input) -> AppResult<Response> {
    let r = Arc::new(posted_report(&state, &auth, &input).await?);
    let wording = wording(&r, &input)?;
    Ok(crate::common::attachment(
        files::docx(r.clone(), wording).await?,
        &file_name(&r, "docx"),
        "bulletin.docx",
        DOCX,
    ))
}

/// The Word file exactly as issued.
pub async fn issued_docx(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<BulletinQuery>,
) -> AppResult<Response> {
    let r = report(&state, &auth, &query).await?;
    let issued = r.issued.as_ref().ok_or(AppError::NotFound)?;
    let bytes = state.store.issued_report_file(issued.id).await?;
    Ok(crate::common::attachment(
        bytes,
        &format!(
            "{}.docx",
            Catalog::zh().format("monthly_report.issued_file_name", &[("title", &r.title())])
        ),
        "bulletin-issued.docx",
        DOCX,
    ))
}

pub async fn xlsx(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<BulletinQuery>,
) -> AppResult<Response> {
    let r = report(&state, &auth, &query).await?;
    Ok(crate::common::attachment(
        files::xlsx(r.clone()).await?,
        &file_name(&r, "xlsx"),
        "bulletin.xlsx",
        XLSX,
    ))
}
