//! 导入指标: the month's statistics table (zones × indicators, as statistics
//! offices send it) into the zones' figures. Upload, see what each zone's
//! row gives and what cannot be read, then record it all in one
//! transaction; corrections of figures already held become revisions.
//! Figures come from the zone itself or from the statistics the supervisors
//! above it receive.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kfq_domain::{FieldErrors, OrgKind, OrgPath};
use kfq_indicators::{Figure, Period};
use kfq_store::{FigureInput, OrgFilter, OrgUnit};
use serde::{Deserialize, Serialize};

use crate::auth::Auth;
use crate::common::{allow, PathId};
use crate::error::{ApiErrorDoc, AppError, AppResult};
use crate::features::ledger_import::{own_upload as upload_of, read_multipart};
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use kfq_app::i18n::Catalog;
use kfq_app::indicators::board::{self as board, Indicator};
use kfq_app::indicators::import::{self, Reading};
use kfq_app::indicators::writes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/indicators/import", start_page)
        .upload("/indicators/import", upload_page)
        .get("/indicators/import/{upload_id}", preview_page)
        .post("/indicators/import/{upload_id}", commit_page)
        .upload("/api/v1/indicator-values/import", api_import)
}

/// Whether `auth` may record figures for the zone at `path`: the zone's own
/// writers, or the supervisors above it.
fn may_report(auth: &Auth, path: &OrgPath) -> bool {
    auth.principal.unit_write(path).is_some()
}

/// The zones whose figures the user may record.
async fn reportable_zones(state: &AppState, auth: &Auth) -> AppResult<Vec<OrgUnit>> {
    let filter = OrgFilter {
        kind: Some(OrgKind::Zone),
        ..Default::default()
    };
    Ok(state
        .store
        .orgs(&auth.principal.org_visibility(), &filter, 0, 100_000)
        .await?
        .items
        .into_iter()
        .filter(|z| may_report(auth, &z.org_path()))
        .collect())
}

/// Reads a table for the user's zones: the reading the command line shares
/// (the period chosen, else the table's own with where it was read).
async fn read(
    state: &AppState,
    auth: &Auth,
    name: &str,
    bytes: &[u8],
    period: Option<Period>,
) -> AppResult<Reading> {
    let indicators = board::catalogue(&state.store).await?;
    let zones = reportable_zones(state, auth).await?;
    let (name, bytes) = (name.to_owned(), bytes.to_vec());
    kfq_app::reading_a_file(move || {
        import::read(Catalog::zh(), &indicators, &zones, &name, &bytes, period)
    })
    .await?
    .map_err(|e| AppError::Unreadable(e.to_string()))
}

async fn commit(state: &AppState, auth: &Auth, reading: &Reading) -> AppResult<usize> {
    let zones: Vec<(i64, OrgPath, Vec<FigureInput>)> = reading
        .zones
        .iter()
        .map(|(z, f)| (z.id, z.org_path(), f.clone()))
        .collect();
    Ok(writes::import_figures(&state.store, &auth.principal, &auth.actor(), &zones).await?)
}

// ---- pages ----

#[derive(Template)]
#[template(path = "indicators/import.html")]
struct StartView {
    page: PageContext,
    errors: Vec<String>,
}

async fn start_page(State(state): State<AppState>, auth: Auth) -> AppResult<Response> {
    allow(!reportable_zones(&state, &auth).await?.is_empty())?;
    let view = StartView {
        page: PageContext::new(Some(&auth), "indicators"),
        errors: vec![],
    };
    Ok(render(&view)?.into_response())
}

/// The user's own unit: where an upload waits.
fn own_unit(auth: &Auth) -> i64 {
    auth.principal.unit_path.id()
}

async fn upload_page(
    State(state): State<AppState>,
    auth: Auth,
    form: Multipart,
) -> AppResult<Response> {
    allow(!reportable_zones(&state, &auth).await?.is_empty())?;
    let upload = read_multipart(form).await?;
    let Some((name, bytes)) = upload.file.as_ref() else {
        let view = StartView {
            page: PageContext::new(Some(&auth), "indicators"),
            errors: vec![PageContext::new(None, "").t("error.required").to_owned()],
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&view)?).into_response());
    };
    let id = state
        .store
        .save_upload(own_unit(&auth), Some(auth.principal.user_id), name, bytes)
        .await?;
    let period = upload.input().text("period");
    Ok(see_other(&format!(
        "/indicators/import/{id}?period={}",
        period.trim()
    )))
}

#[derive(Template)]
#[template(path = "indicators/import_preview.html")]
struct PreviewView {
    page: PageContext,
    upload_id: i64,
    file_name: String,
    period: String,
    indicators: Vec<Indicator>,
    reading: Reading,
}

impl PreviewView {
    fn figure(&self, figures: &[FigureInput], indicator: &Indicator) -> String {
        figures
            .iter()
            .find(|f| f.indicator_id == indicator.row.id)
            .map(|f| Figure::from_scaled(f.value).shown_in(indicator.def.unit))
            .unwrap_or_default()
    }
}

#[derive(Debug, Default, Deserialize)]
struct PeriodQuery {
    period: Option<String>,
}

fn period_of(raw: Option<&str>) -> AppResult<Option<Period>> {
    match raw.map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(None),
        Some(p) => Period::parse(p)
            .map(Some)
            .map_err(|key| AppError::Invalid(FieldErrors::single("period", key))),
    }
}

async fn preview_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Query(query): Query<PeriodQuery>,
) -> AppResult<Response> {
    let upload = upload_of(&state, &auth, id).await?;
    let reading = read(
        &state,
        &auth,
        &upload.file.name,
        &upload.bytes,
        period_of(query.period.as_deref())?,
    )
    .await?;
    let view = PreviewView {
        page: PageContext::new(Some(&auth), "indicators"),
        upload_id: id,
        file_name: upload.file.name,
        period: reading.period.map(|p| p.code()).unwrap_or_default(),
        indicators: board::catalogue(&state.store).await?,
        reading,
    };
    Ok(render(&view)?.into_response())
}

async fn commit_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: crate::input::Input,
) -> AppResult<Response> {
    let upload = upload_of(&state, &auth, id).await?;
    let period = period_of(Some(&input.text("period")))?;
    let reading = read(&state, &auth, &upload.file.name, &upload.bytes, period).await?;
    let Some(period) = reading.period else {
        return Err(AppError::Invalid(FieldErrors::single(
            "period",
            "error.period",
        )));
    };
    commit(&state, &auth, &reading).await?;
    let org = auth.principal.unit_path.id();
    Ok(see_other(&format!(
        "/indicators?org_id={org}&period={}&notice=saved",
        period.code()
    )))
}

// ---- API ----

/// What a statistics table gave, per zone.
#[derive(Serialize, utoipa::ToSchema)]
pub struct IndicatorImportReport {
    pub period: Option<String>,
    /// Where the period was read ("据标题…", "据工作表名…", "按所选年月").
    pub period_basis: Option<String>,
    /// Zones and their figures (in each indicator's unit, as text).
    #[schema(value_type = Vec<Object>)]
    pub zones: Vec<ZoneFigures>,
    pub issues: Vec<String>,
    /// Figures recorded (new or revised), when committed.
    pub recorded: Option<usize>,
}

#[derive(Serialize)]
pub struct ZoneFigures {
    pub zone_id: i64,
    pub zone_name: String,
    pub figures: Vec<(String, String)>,
}

/// The multipart form, as it is read.
#[derive(utoipa::ToSchema)]
pub struct IndicatorImportForm {
    /// The statistics table: .xlsx, .xls or .csv.
    #[schema(value_type = String, format = Binary)]
    file: (String, Vec<u8>),
    /// "2024-06" (default: from the table's title; needed to record).
    #[schema(value_type = Option<String>)]
    period: Option<Period>,
    /// Record the figures ("true", "1" or "on"); otherwise a dry run.
    #[schema(required = false)]
    commit: bool,
}

impl IndicatorImportForm {
    async fn read(form: Multipart) -> AppResult<IndicatorImportForm> {
        let upload = read_multipart(form).await?;
        let input = upload.input();
        let mut e = FieldErrors::new();
        upload.refuse_unknown(&["period", "commit"], &mut e);
        if upload.file.is_none() {
            e.add("file", "error.required");
        }
        e.into_result()?;
        Ok(IndicatorImportForm {
            period: period_of(Some(&input.text("period")))?,
            commit: input.flag("commit"),
            file: upload.file.unwrap_or_default(),
        })
    }
}

#[utoipa::path(post, path = "/api/v1/indicator-values/import", tag = "indicators",
    request_body(content = IndicatorImportForm, content_type = "multipart/form-data"),
    responses((status = 200, body = IndicatorImportReport, description = "dry run"), (status = 201, body = IndicatorImportReport, description = "recorded"),
        (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_import(
    State(state): State<AppState>,
    auth: Auth,
    form: Multipart,
) -> AppResult<Response> {
    allow(!reportable_zones(&state, &auth).await?.is_empty())?;
    let form = IndicatorImportForm::read(form).await?;
    let (name, bytes) = &form.file;
    let reading = read(&state, &auth, name, bytes, form.period).await?;
    let indicators = board::catalogue(&state.store).await?;
    let commit_now = form.commit;
    if commit_now && reading.period.is_none() {
        return Err(AppError::Invalid(FieldErrors::single(
            "period",
            "error.period",
        )));
    }
    let recorded = if commit_now {
        Some(commit(&state, &auth, &reading).await?)
    } else {
        None
    };
    let report = IndicatorImportReport {
        period: reading.period.map(|p| p.code()),
        period_basis: reading.sheet.period_basis.clone(),
        zones: reading
            .zones
            .iter()
            .map(|(z, figures)| ZoneFigures {
                zone_id: z.id,
                zone_name: z.name.clone(),
                figures: figures
                    .iter()
                    .filter_map(|f| {
                        let ind = indicators.iter().find(|i| i.row.id == f.indicator_id)?;
                        Some((
                            ind.row.code.clone(),
                            Figure::from_scaled(f.value).to_string(),
                        ))
                    })
                    .collect(),
            })
            .collect(),
        issues: reading.issues,
        recorded,
    };
    let status = if commit_now {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(report)).into_response())
}

/// The API paths of this part, merged into the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(api_import,))]
pub struct ApiDoc;
