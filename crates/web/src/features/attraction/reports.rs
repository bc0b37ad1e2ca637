//! 招商引资 reports: the weekly 在谈项目 report and the monthly 通报 of a
//! unit, each a page with its .docx and .xlsx and its API twin.

use askama::Template;
use axum::extract::Query;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use kfq_app::attraction::{self as use_case, MonthlyAttraction, WeeklyTalks};
use kfq_app::clock::today;
use kfq_calendar::Period;
use kfq_domain::{FieldErrors, Money, OrgKind};
use serde::Deserialize;

use crate::auth::Auth;
use crate::common;
use crate::error::{ApiErrorDoc, AppError, AppResult};
use crate::input::parse_date;
use crate::layout::{render, PageContext};
use crate::reads::Reads;
use crate::routes::Routes;
use crate::state::AppState;

pub fn routes() -> Routes {
    Routes::new()
        .get("/attraction/reports/weekly", weekly_page)
        .get("/attraction/reports/weekly/docx", weekly_docx)
        .get("/attraction/reports/weekly/xlsx", weekly_xlsx)
        .get("/attraction/reports/monthly", monthly_page)
        .get("/attraction/reports/monthly/docx", monthly_docx)
        .get("/attraction/reports/monthly/xlsx", monthly_xlsx)
        .get("/api/v1/attraction/reports/weekly", api_weekly)
        .get("/api/v1/attraction/reports/monthly", api_monthly)
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The unit a report is of: the one asked for, else the caller's zone or unit.
fn unit_of(auth: &Auth, org_id: &Option<String>) -> AppResult<i64> {
    Ok(common::ListQuery::id(org_id, "org_id")?.unwrap_or_else(|| {
        auth.principal
            .zone_path
            .as_ref()
            .unwrap_or(&auth.principal.unit_path)
            .id()
    }))
}

fn file_name(key: &str, unit: &str, period: &str) -> String {
    kfq_app::i18n::Catalog::zh().format(key, &[("unit", unit), ("period", period)])
}

/// Which unit, which week, how large.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct WeeklyQuery {
    /// The unit (zone, city or province); the caller's own when left out.
    pub org_id: Option<String>,
    /// A day of the week (YYYY-MM-DD); this week when left out.
    pub week: Option<String>,
    /// Only projects of at least this intended investment, 万元.
    pub min: Option<String>,
}

impl WeeklyQuery {
    fn resolve(&self, auth: &Auth) -> AppResult<(i64, NaiveDate, Option<Money>)> {
        let org = unit_of(auth, &self.org_id)?;
        let day = match self.week.as_deref().map(str::trim) {
            None | Some("") => today(),
            Some(text) => parse_date(text)
                .ok_or_else(|| AppError::Invalid(FieldErrors::single("week", "error.date")))?,
        };
        let min = match self.min.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(
                Money::parse_wan_non_negative(text)
                    .map_err(|key| AppError::Invalid(FieldErrors::single("min", key)))?,
            ),
        };
        Ok((org, day, min))
    }
}

async fn load_weekly(state: &AppState, auth: &Auth, query: &WeeklyQuery) -> AppResult<WeeklyTalks> {
    let (org, day, min) = query.resolve(auth)?;
    Ok(use_case::weekly(&state.store, &auth.principal, org, day, min).await?)
}

async fn many_zones(state: &AppState, auth: &Auth, org_id: i64) -> AppResult<bool> {
    let unit = state
        .store
        .org(&auth.principal.org_visibility(), org_id)
        .await?;
    Ok(unit.kind() != OrgKind::Zone)
}

#[derive(Template)]
#[template(path = "attraction/weekly.html")]
struct WeeklyView {
    page: PageContext,
    report: WeeklyTalks,
    query: String,
    week: String,
    min: String,
    prev_week: String,
    next_week: String,
    many_zones: bool,
}

impl WeeklyView {
    fn stage(&self, stage: &kfq_attraction::LeadStage) -> String {
        self.page.label("LeadStage", stage)
    }

    fn kind(&self, kind: &kfq_attraction::ActivityKind) -> String {
        self.page.label("ActivityKind", kind)
    }
}

/// The query a report's links keep: its unit and period.
fn keep(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", crate::layout::urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

async fn weekly_page(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<WeeklyQuery>,
) -> AppResult<Response> {
    let report = load_weekly(&state, &auth, &query).await?;
    let many_zones = many_zones(&state, &auth, report.org_id).await?;
    let min = query.min.clone().unwrap_or_default();
    let week = report.from.to_string();
    let view = WeeklyView {
        page: PageContext::new(Some(&auth), "attraction"),
        query: keep(&[
            ("org_id", report.org_id.to_string()),
            ("week", week.clone()),
            ("min", min.clone()),
        ]),
        prev_week: (report.from - chrono::Days::new(7)).to_string(),
        next_week: (report.from + chrono::Days::new(7)).to_string(),
        week,
        min,
        many_zones,
        report,
    };
    Ok(render(&view)?.into_response())
}

async fn weekly_docx(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<WeeklyQuery>,
) -> AppResult<Response> {
    let report = load_weekly(&state, &auth, &query).await?;
    let many = many_zones(&state, &auth, report.org_id).await?;
    let name = file_name(
        "attraction.weekly.file_name",
        &report.org_name,
        &report.from.to_string(),
    );
    let bytes = use_case::weekly_docx(&report, many);
    Ok(common::attachment(
        bytes,
        &format!("{name}.docx"),
        "weekly.docx",
        DOCX,
    ))
}

async fn weekly_xlsx(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<WeeklyQuery>,
) -> AppResult<Response> {
    let report = load_weekly(&state, &auth, &query).await?;
    let many = many_zones(&state, &auth, report.org_id).await?;
    let name = file_name(
        "attraction.weekly.file_name",
        &report.org_name,
        &report.from.to_string(),
    );
    let bytes = use_case::weekly_xlsx(&report, many)?;
    Ok(common::attachment(
        bytes,
        &format!("{name}.xlsx"),
        "weekly.xlsx",
        XLSX,
    ))
}

/// Which unit and month.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct MonthlyQuery {
    /// The unit (zone, city or province); the caller's own when left out.
    pub org_id: Option<String>,
    /// The month (YYYY-MM); last month when left out.
    pub month: Option<String>,
}

impl MonthlyQuery {
    fn resolve(&self, auth: &Auth) -> AppResult<(i64, Period)> {
        let org = unit_of(auth, &self.org_id)?;
        let month = match self.month.as_deref().map(str::trim) {
            None | Some("") => Period::of(today()).previous(),
            Some(text) => Period::parse(text)
                .map_err(|key| AppError::Invalid(FieldErrors::single("month", key)))?,
        };
        Ok((org, month))
    }
}

async fn load_monthly(
    state: &AppState,
    auth: &Auth,
    query: &MonthlyQuery,
) -> AppResult<MonthlyAttraction> {
    let (org, month) = query.resolve(auth)?;
    Ok(use_case::monthly(&state.store, &auth.principal, org, month).await?)
}

#[derive(Template)]
#[template(path = "attraction/monthly.html")]
struct MonthlyView {
    page: PageContext,
    report: MonthlyAttraction,
    query: String,
    month_label: String,
    prev_month: String,
    next_month: String,
    overview: Vec<String>,
}

async fn monthly_page(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<MonthlyQuery>,
) -> AppResult<Response> {
    let (_, month) = query.resolve(&auth)?;
    let report = load_monthly(&state, &auth, &query).await?;
    let view = MonthlyView {
        page: PageContext::new(Some(&auth), "attraction"),
        query: keep(&[
            ("org_id", report.board.org_id.to_string()),
            ("month", month.code()),
        ]),
        month_label: month.label(),
        prev_month: month.previous().code(),
        next_month: month.next().code(),
        overview: use_case::monthly_paragraphs(&report),
        report,
    };
    Ok(render(&view)?.into_response())
}

async fn monthly_docx(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<MonthlyQuery>,
) -> AppResult<Response> {
    let report = load_monthly(&state, &auth, &query).await?;
    let name = file_name(
        "attraction.monthly.file_name",
        &report.board.org_name,
        &report.month,
    );
    Ok(common::attachment(
        use_case::monthly_docx(&report),
        &format!("{name}.docx"),
        "attraction-monthly.docx",
        DOCX,
    ))
}

async fn monthly_xlsx(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<MonthlyQuery>,
) -> AppResult<Response> {
    let report = load_monthly(&state, &auth, &query).await?;
    let name = file_name(
        "attraction.monthly.file_name",
        &report.board.org_name,
        &report.month,
    );
    Ok(common::attachment(
        use_case::monthly_xlsx(&report)?,
        &format!("{name}.xlsx"),
        "attraction-monthly.xlsx",
        XLSX,
    ))
}

#[utoipa::path(get, path = "/api/v1/attraction/reports/weekly", tag = "attraction", params(WeeklyQuery),
    responses((status = 200, body = WeeklyTalks), (status = 404, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_weekly(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<WeeklyQuery>,
) -> AppResult<Json<WeeklyTalks>> {
    Ok(Json(load_weekly(&state, &auth, &query).await?))
}

#[utoipa::path(get, path = "/api/v1/attraction/reports/monthly", tag = "attraction", params(MonthlyQuery),
    responses((status = 200, body = MonthlyAttraction), (status = 404, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_monthly(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<MonthlyQuery>,
) -> AppResult<Json<MonthlyAttraction>> {
    Ok(Json(load_monthly(&state, &auth, &query).await?))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(api_weekly, api_monthly))]
pub struct ApiDoc;
