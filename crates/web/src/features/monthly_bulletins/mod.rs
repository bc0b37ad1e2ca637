//! 月通报: the monthly bulletin of a zone, a city or the province — completed
//! investment against annual plans and 序时进度, stages, new starts and new
//! production, the year's signings, starts and production, rankings of
//! zones, departments and liaison leaders, red projects with their reasons,
//! overdue blockers by factor. Built from the ledger as it stood at the
//! month's close, as recorded by a cut-off (`as_of`): the same cut-off gives
//! the same figures however the ledger has moved since. Every figure links to
//! the projects behind it (`/monthly-bulletins/trace`). As a page with
//! charts, a .docx in the shape of a government 通报, an .xlsx, and the API;
//! an issued bulletin is frozen with its file and hash.

mod files;
mod pages;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kfq_domain::rag::RagReason;
use kfq_domain::{FieldErrors, OrgKind, Rag, Visibility};
use kfq_monthly_report::{compile, Bulletin, Period, ProjectAsOf, Trace};
use kfq_store::{BulletinIssue, IssuedBulletin, OrgUnit};
use serde::{Deserialize, Serialize};

use crate::auth::Auth;
use crate::error::{ApiErrorDoc, AppError, AppResult};
use crate::input::{Body, Input};
use crate::routes::Routes;
use crate::state::AppState;
use kfq_app::clock::today;
use kfq_app::i18n::Catalog;
use kfq_app::ledger::rules::calendar;

pub fn routes() -> Routes {
    Routes::new()
        .get("/monthly-bulletins", pages::show_page)
        .get("/monthly-bulletins/trace", pages::trace_page)
        .get("/monthly-bulletins/bulletin.docx", files::docx)
        .get("/monthly-bulletins/bulletin.xlsx", files::xlsx)
        .get("/monthly-bulletins/issued.docx", files::issued_docx)
        .post("/monthly-bulletins/issue", pages::issue_page)
        .get("/api/v1/monthly-bulletins", api_show)
        .get("/api/v1/monthly-bulletins/trace", api_trace)
        .post("/api/v1/monthly-bulletins/issue", api_issue)
}

/// `?org_id=9&period=2024-06&as_of=1719800000000&figure=stage:started`
#[derive(Debug, Default, Clone, Deserialize, Serialize, utoipa::IntoParams)]
pub struct BulletinQuery {
    /// The zone, city or province (default: the user's own).
    pub org_id: Option<i64>,
    /// The month, "2024-06" (default: last month).
    pub period: Option<String>,
    /// The cut-off in Unix ms (default: when the month's bulletin was
    /// issued, else now).
    pub as_of: Option<i64>,
    /// With the trace: which figure's projects ("all", "stage:started",
    /// "zone:12", "department:0", "new_starts", "fast_path", "rag:red",
    /// "overdue:land" …).
    pub figure: Option<String>,
}

/// A bulletin with what it was computed from.
pub struct Report {
    pub org: OrgUnit,
    pub period: Period,
    /// The cut-off, Unix ms.
    pub as_of: i64,
    pub figures: Bulletin,
    pub projects: Vec<ProjectAsOf>,
    pub statuses: Vec<Option<(Rag, Vec<RagReason>)>>,
    pub issued: Option<IssuedBulletin>,
}

impl Report {
    /// "临汾经济开发区2024年6月重点项目推进情况通报".
    pub fn title(&self) -> String {
        Catalog::zh().format(
            "bulletin_month.doc_title",
            &[("unit", &self.org.name), ("period", &self.period.label())],
        )
    }

    /// 全区 / 全市 / 全县 / 全省.
    pub fn whole(&self) -> &'static str {
        Catalog::zh().t(match self.org.kind() {
            OrgKind::Province => "bulletin_month.whole.province",
            OrgKind::City => "bulletin_month.whole.city",
            OrgKind::County => "bulletin_month.whole.county",
            _ => "bulletin_month.whole.zone",
        })
    }

    /// The cut-off as people read it, Beijing time.
    pub fn as_of_text(&self) -> String {
        crate::layout::format_time(self.as_of)
    }

    /// The day of the cut-off in Beijing: the date the bulletin bears.
    pub fn as_of_day(&self) -> chrono::NaiveDate {
        kfq_app::clock::beijing_day(self.as_of).unwrap_or_else(today)
    }

    /// The figures as JSON, the form they are frozen in.
    pub fn figures_json(&self) -> String {
        serde_json::to_string(&self.figures).unwrap_or_default()
    }

    /// Whether the figures now are those issued (none when not issued or
    /// not at the issue's cut-off).
    pub fn matches_issue(&self) -> Option<bool> {
        self.issued
            .as_ref()
            .filter(|i| i.as_of == self.as_of)
            .map(|i| i.figures == self.figures_json())
    }

    /// The query naming this report, for links.
    pub fn query(&self) -> String {
        format!(
            "org_id={}&period={}-{:02}&as_of={}",
            self.org.id,
            self.period.year(),
            self.period.month(),
            self.as_of
        )
    }

    /// A link to the projects behind a figure.
    pub fn trace_href(&self, figure: &str) -> String {
        format!("/monthly-bulletins/trace?{}&figure={figure}", self.query())
    }

    /// The projects a trace selects, with their status.
    pub fn traced(&self, trace: Trace) -> Vec<(&ProjectAsOf, Option<Rag>)> {
        self.projects
            .iter()
            .zip(&self.statuses)
            .map(|(p, s)| (p, s.as_ref().map(|(r, _)| *r)))
            .filter(|(p, rag)| trace.admits(p, self.period, *rag))
            .collect()
    }
}

/// The unit a bulletin is for: the one asked for, if the user sees it, else
/// the user's zone, else the user's unit. A department reports within its zone.
async fn unit(state: &AppState, auth: &Auth, org_id: Option<i64>) -> AppResult<OrgUnit> {
    if matches!(
        auth.principal.zone_data_visibility(),
        Visibility::Enterprise(_) | Visibility::Nothing
    ) {
        return Err(AppError::Forbidden);
    }
    let id = org_id.unwrap_or_else(|| {
        auth.principal
            .zone_path
            .as_ref()
            .unwrap_or(&auth.principal.unit_path)
            .id()
    });
    let org = state
        .store
        .org(&auth.principal.org_visibility(), id)
        .await?;
    if org.kind() == OrgKind::Department {
        let zone = org.zone_id.ok_or(AppError::NotFound)?;
        return Ok(state
            .store
            .org(&auth.principal.org_visibility(), zone)
            .await?);
    }
    Ok(org)
}

/// The month asked for ("2024-06"), at most the current one; default last month.
fn period(query: &BulletinQuery) -> AppResult<Period> {
    let now = Period::of(today());
    let Some(raw) = query
        .period
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    else {
        return Ok(now.previous());
    };
    let invalid = || AppError::Invalid(FieldErrors::single("period", "error.bulletin.period"));
    let period = Period::parse(raw).map_err(|_| invalid())?;
    if period > now {
        return Err(invalid());
    }
    Ok(period)
}

/// Builds the bulletin of a unit and month at a cut-off (default: the
/// issue's, else now; never later than now, which would not be repeatable).
pub async fn report(state: &AppState, auth: &Auth, query: &BulletinQuery) -> AppResult<Report> {
    let org = unit(state, auth, query.org_id).await?;
    let period = period(query)?;
    let issued = state
        .store
        .issued_bulletin(org.id, period.year(), period.month())
        .await?;
    let now = kfq_store::now_ms();
    let as_of = query
        .as_of
        .or(issued.as_ref().map(|i| i.as_of))
        .unwrap_or(now)
        .min(now);
    let zones = state.store.zones_under(&org.org_path()).await?;
    let projects = state.store.ledger_as_of(&zones, period, as_of).await?;
    let calendar = calendar(&state.store).await?;
    let rules = state.store.rag_rules_of(&zones).await?;
    let working_days = |from, to| calendar.working_days_between(from, to);
    let status = |p: &ProjectAsOf| {
        let rules = rules.get(&p.zone.id).copied().unwrap_or_default();
        p.rag(period, &rules, &working_days)
    };
    let statuses: Vec<_> = projects.iter().map(status).collect();
    let figures = compile(period, &projects, status);
    Ok(Report {
        org,
        period,
        as_of,
        figures,
        projects,
        statuses,
        issued,
    })
}

/// Who may issue a unit's bulletin: the zone's own staff, or the supervisors
/// of a city or province.
fn may_issue(auth: &Auth, org: &OrgUnit) -> bool {
    auth.principal.unit_write(&org.org_path()).is_some()
}

/// Freezes the bulletin at its cut-off.
async fn issue(state: &AppState, auth: &Auth, input: &Input) -> AppResult<IssuedBulletin> {
    let mut e = FieldErrors::new();
    let org_id = input.int("org_id", &mut e);
    let as_of = input.opt_int("as_of", &mut e);
    e.into_result()?;
    let query = BulletinQuery {
        org_id,
        period: Some(input.text("period")),
        as_of,
        figure: None,
    };
    let report = report(state, auth, &query).await?;
    let proof = crate::common::proven(auth.principal.unit_write(&report.org.org_path()))?;
    if report.issued.is_some() {
        return Err(AppError::Invalid(FieldErrors::single(
            "period",
            "error.bulletin.issued",
        )));
    }
    if report.period >= Period::of(today()) {
        // A month still running cannot be issued: its figures are not final.
        return Err(AppError::Invalid(FieldErrors::single(
            "period",
            "error.bulletin.open_month",
        )));
    }
    let docx = files::document(&report).to_bytes();
    let figures = report.figures_json();
    Ok(state
        .store
        .issue_bulletin(
            &auth.actor(),
            &proof,
            &BulletinIssue {
                org_id: report.org.id,
                org_path: &report.org.org_path(),
                zone_id: report.org.zone_id,
                year: report.period.year(),
                month: report.period.month(),
                as_of: report.as_of,
                figures: &figures,
                docx: &docx,
            },
        )
        .await?)
}

// ---- API ----

/// The bulletin's figures with its unit, month and cut-off.
#[derive(Serialize, utoipa::ToSchema)]
pub struct BulletinDoc {
    pub org_id: i64,
    pub org_name: String,
    pub title: String,
    /// "2024-06".
    pub period: String,
    /// The cut-off, Unix ms: pass it back as `as_of` to get the same figures.
    pub as_of: i64,
    #[schema(value_type = Object)]
    pub figures: Bulletin,
    #[schema(value_type = Option<Object>)]
    pub issued: Option<IssuedBulletin>,
}

fn doc(report: Report) -> BulletinDoc {
    BulletinDoc {
        org_id: report.org.id,
        org_name: report.org.name.clone(),
        title: report.title(),
        period: report.period.code(),
        as_of: report.as_of,
        figures: report.figures,
        issued: report.issued,
    }
}

#[utoipa::path(get, path = "/api/v1/monthly-bulletins", tag = "bulletins", params(BulletinQuery),
    responses((status = 200, body = BulletinDoc), (status = 404, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_show(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<BulletinQuery>,
) -> AppResult<Json<BulletinDoc>> {
    Ok(Json(doc(report(&state, &auth, &query).await?)))
}

/// One project behind a figure.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TraceLine {
    pub project_id: i64,
    pub name: String,
    pub zone: String,
    pub stage: String,
    /// Yuan.
    pub plan: Option<i64>,
    /// Yuan, January to the bulletin's month.
    pub months: Vec<i64>,
    /// Yuan.
    pub ytd: i64,
    pub rag: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TraceDoc {
    pub figure: String,
    pub as_of: i64,
    pub lines: Vec<TraceLine>,
    /// Yuan.
    pub planned: i64,
    /// Yuan.
    pub ytd: i64,
}

fn trace_of(query: &BulletinQuery) -> AppResult<Trace> {
    Trace::parse(query.figure.as_deref().unwrap_or("all"))
        .ok_or_else(|| AppError::Invalid(FieldErrors::single("figure", "error.choice")))
}

#[utoipa::path(get, path = "/api/v1/monthly-bulletins/trace", tag = "bulletins", params(BulletinQuery),
    responses((status = 200, body = TraceDoc), (status = 404, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_trace(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<BulletinQuery>,
) -> AppResult<Json<TraceDoc>> {
    let trace = trace_of(&query)?;
    let report = report(&state, &auth, &query).await?;
    let lines: Vec<TraceLine> = report
        .traced(trace)
        .into_iter()
        .map(|(p, rag)| TraceLine {
            project_id: p.id,
            name: p.name.clone(),
            zone: p.zone.name.clone(),
            stage: p.stage.code().to_owned(),
            plan: p.plan.map(|m| m.yuan()),
            months: p.months.iter().map(|m| m.yuan()).collect(),
            ytd: p.ytd().yuan(),
            rag: rag.map(|r| r.code().to_owned()),
        })
        .collect();
    Ok(Json(TraceDoc {
        figure: trace.code(),
        as_of: report.as_of,
        planned: lines.iter().filter_map(|l| l.plan).sum(),
        ytd: lines.iter().map(|l| l.ytd).sum(),
        lines,
    }))
}

/// `{"org_id": 9, "period": "2024-06", "as_of": 1719800000000}`
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueBody {
    #[schema(required = true, nullable = false)]
    org_id: Option<i64>,
    /// "2024-06"; default the month before this one.
    period: Option<String>,
    /// The cut-off (ms since the epoch); default now.
    as_of: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/monthly-bulletins/issue", tag = "bulletins", request_body = IssueBody,
    responses((status = 201, body = Object), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_issue(
    State(state): State<AppState>,
    auth: Auth,
    input: Body<IssueBody>,
) -> AppResult<Response> {
    let issued = issue(&state, &auth, &input).await?;
    Ok((StatusCode::CREATED, Json(issued)).into_response())
}

/// The API paths of this part, merged into the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(api_show, api_trace, api_issue,))]
pub struct ApiDoc;
