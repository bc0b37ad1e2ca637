//! 月通报: the monthly bulletin of a zone, a city or the province — completed
//! investment against annual plans and 序时进度, stages, new starts and new
//! production, the year's signings, starts and production, rankings of
//! zones, departments and liaison leaders, red projects with their reasons,
//! overdue blockers by factor. Built from the ledger as it stood at the
//! month's close, as recorded by a cut-off (`as_of`): the same cut-off gives
//! the same figures however the ledger has moved since. Every figure links to
//! the projects behind it (`/monthly-bulletins/trace`). As a page with
//! charts, a .docx in the shape of a government 通报, an .xlsx, and the API;
//! an issued bulletin is frozen with its file and hash. Before issuing, the
//! words of the file (导语, 下步工作, 主送, 抄送) are edited and previewed;
//! the page asks for a confirmation before it issues.

mod files;
mod pages;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kfq_app::monthly_report::{Report, Wording};
use kfq_domain::{FieldErrors, OrgKind, UnitWrite, Visibility};
use kfq_monthly_report::{Bulletin, Period, Trace};
use kfq_store::{IssuedReport, OrgUnit, ReportIssue};
use serde::{Deserialize, Serialize};

use crate::auth::Auth;
use crate::error::{ApiErrorDoc, AppError, AppResult};
use crate::input::{Body, Input};
use crate::reads::Reads;
use crate::routes::Routes;
use crate::state::AppState;
use kfq_app::clock::today;

pub fn routes() -> Routes {
    Routes::new()
        .get("/monthly-bulletins", pages::show_page)
        .get("/monthly-bulletins/trace", pages::trace_page)
        .get("/monthly-bulletins/bulletin.docx", files::docx)
        .get("/monthly-bulletins/bulletin.xlsx", files::xlsx)
        .get("/monthly-bulletins/issued.docx", files::issued_docx)
        .post("/monthly-bulletins/preview.docx", files::preview_docx)
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
    let invalid =
        || AppError::Invalid(FieldErrors::single("period", "error.monthly_report.period"));
    let period = Period::parse(raw).map_err(|_| invalid())?;
    if period > now {
        return Err(invalid());
    }
    Ok(period)
}

/// The bulletin of the unit and month asked for, at the cut-off asked for
/// (default: the issue's, else now).
pub async fn report(
    state: &AppState,
    auth: &Auth,
    query: &BulletinQuery,
) -> AppResult<std::sync::Arc<Report>> {
    let org = unit(state, auth, query.org_id).await?;
    let period = period(query)?;
    Ok(state
        .reports
        .report(&state.store, org, period, query.as_of)
        .await?)
}

/// As [`report`], computed afresh: what is issued is read from the data itself.
async fn fresh_report(state: &AppState, auth: &Auth, query: &BulletinQuery) -> AppResult<Report> {
    let org = unit(state, auth, query.org_id).await?;
    let period = period(query)?;
    Ok(kfq_app::monthly_report::report(&state.store, org, period, query.as_of).await?)
}

/// Who may issue a unit's bulletin: the zone's own staff, or the supervisors
/// of a city or province.
fn may_issue(auth: &Auth, org: &OrgUnit) -> bool {
    auth.principal.unit_write(&org.org_path()).is_some()
}

/// The editable words as given: a field left out keeps the proposal.
fn typed_parts(input: &Input) -> [Option<String>; 4] {
    ["lead", "next_steps", "addressee", "copy_to"]
        .map(|key| input.has(key).then(|| input.text(key)))
}

/// The words as typed over the report's proposal, unchecked: what a page
/// shows back to the person who typed them.
fn wording_as_typed(r: &Report, input: &Input) -> Wording {
    let [lead, next_steps, addressee, copy_to] = typed_parts(input);
    Wording::as_typed(
        Wording::of(r),
        lead.as_deref(),
        next_steps.as_deref(),
        addressee.as_deref(),
        copy_to.as_deref(),
    )
}

/// The words as typed, checked.
fn wording(r: &Report, input: &Input) -> AppResult<Wording> {
    let [lead, next_steps, addressee, copy_to] = typed_parts(input);
    Ok(Wording::typed(
        Wording::of(r),
        lead.as_deref(),
        next_steps.as_deref(),
        addressee.as_deref(),
        copy_to.as_deref(),
    )?)
}

/// The report a posted form names (unit, month, cut-off): the preview and
/// the issue post the words with it, too long for a link.
pub(super) async fn posted_report(
    state: &AppState,
    auth: &Auth,
    input: &Input,
) -> AppResult<Report> {
    let mut e = FieldErrors::new();
    let org_id = input.opt_int("org_id", &mut e);
    let as_of = input.opt_int("as_of", &mut e);
    e.into_result()?;
    let query = BulletinQuery {
        org_id,
        period: Some(input.text("period")),
        as_of,
        figure: None,
    };
    fresh_report(state, auth, &query).await
}

/// The report an issue names, with the proof that the user may issue it and
/// the words it will hold, once everything that would refuse it is checked.
async fn issuable(
    state: &AppState,
    auth: &Auth,
    input: &Input,
) -> AppResult<(Report, UnitWrite, Wording)> {
    // Issuing names its unit: never the signed-in user's by default.
    let mut e = FieldErrors::new();
    input.int("org_id", &mut e);
    e.into_result()?;
    let report = posted_report(state, auth, input).await?;
    let proof = crate::common::proven(auth.principal.unit_write(&report.org.org_path()))?;
    if report.issued.is_some() {
        return Err(AppError::Invalid(FieldErrors::single(
            "period",
            "error.monthly_report.issued",
        )));
    }
    if report.period >= Period::of(today()) {
        // A month still running cannot be issued: its figures are not final.
        return Err(AppError::Invalid(FieldErrors::single(
            "period",
            "error.monthly_report.open_month",
        )));
    }
    let wording = wording(&report, input)?;
    Ok((report, proof, wording))
}

/// Freezes the bulletin at its cut-off, with the words given.
async fn issue(state: &AppState, auth: &Auth, input: &Input) -> AppResult<IssuedReport> {
    let (report, proof, wording) = issuable(state, auth, input).await?;
    let report = std::sync::Arc::new(report);
    let docx = kfq_app::monthly_report::files::docx(report.clone(), wording.clone()).await?;
    let figures = report.figures_json();
    Ok(state
        .store
        .issue_monthly_report(
            &auth.actor(),
            &proof,
            &ReportIssue {
                org_id: report.org.id,
                org_path: &report.org.org_path(),
                zone_id: report.org.zone_id,
                year: report.period.year(),
                month: report.period.month(),
                as_of: report.as_of,
                figures: &figures,
                docx: &docx,
                lead: &wording.lead,
                next_steps: &wording.next_steps,
                addressee: &wording.addressee,
                copy_to: &wording.copy_to,
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
    pub issued: Option<IssuedReport>,
}

fn doc(report: &Report) -> BulletinDoc {
    BulletinDoc {
        org_id: report.org.id,
        org_name: report.org.name.clone(),
        title: report.title(),
        period: report.period.code(),
        as_of: report.as_of,
        figures: report.figures.clone(),
        issued: report.issued.clone(),
    }
}

#[utoipa::path(get, path = "/api/v1/monthly-bulletins", tag = "bulletins", params(BulletinQuery),
    responses((status = 200, body = BulletinDoc), (status = 404, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_show(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<BulletinQuery>,
) -> AppResult<Json<BulletinDoc>> {
    let report = report(&state, &auth, &query).await?;
    Ok(Json(doc(&report)))
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
    Reads(state): Reads,
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

/// `{"org_id": 9, "period": "2024-06", "as_of": 1719800000000,
/// "addressee": "管委会各部门"}`. The words of the file left out keep what
/// the report proposes (as the page shows them); those given are kept with
/// the issue and the file holds them exactly.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueBody {
    #[schema(required = true, nullable = false)]
    org_id: Option<i64>,
    /// "2024-06"; default the month before this one.
    period: Option<String>,
    /// The cut-off (ms since the epoch); default now.
    as_of: Option<i64>,
    /// 导语: the opening paragraph before 一、总体情况; "" for none. At most
    /// 1000 characters.
    #[schema(max_length = 1000)]
    lead: Option<String>,
    /// The text of 四、下步工作, a paragraph a line; not blank, at most 5000
    /// characters.
    #[schema(max_length = 5000)]
    next_steps: Option<String>,
    /// 主送: the addressees, without the closing colon; not blank, at most
    /// 200 characters.
    #[schema(max_length = 200)]
    addressee: Option<String>,
    /// 抄送: the units sent a copy; "" for none. At most 300 characters.
    #[schema(max_length = 300)]
    copy_to: Option<String>,
}

/// Issues (freezes) the month's bulletin of a unit with the words given.
/// The call issues at once: a client's request is its own confirmation,
/// where the page asks a person first.
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
