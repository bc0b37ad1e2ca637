//! 倒排工期、挂图作战: milestones planned backwards from a target date through
//! the zone's template on the China working-day calendar, actual dates as they
//! happen, working days between milestones, named baselines, and Gantt charts
//! (one project, and a zone's wall) drawn as SVG on the server.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use kfq_calendar::Calendar;
use kfq_domain::validation::required_text;
use kfq_domain::{FieldErrors, Rag};
use kfq_gantt::{render_pages, render_svg, Chart, Mark, Row, Status};
use kfq_store::{Baseline, LedgerFilter, Milestone, Project, TemplateNode};
use serde::{Deserialize, Serialize};

use crate::auth::Auth;
use crate::common::{self, PathId};
use crate::error::{ApiErrorDoc, AppError, AppResult};
use crate::features::ledger::visible;
use crate::input::{Body, Input};
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use kfq_app::clock::today;
use kfq_app::i18n::Catalog;
use kfq_app::ledger::writes::{self, ProjectTarget};

pub fn routes() -> Routes {
    Routes::new()
        .get("/projects/wall", wall_page)
        .get("/projects/{project_id}/gantt", gantt_page)
        .post("/projects/{project_id}/schedule", schedule_page)
        .post("/projects/{project_id}/milestones", actual_page)
        .post("/projects/{project_id}/baselines", baseline_page)
        .get("/api/v1/projects/wall", api_wall)
        .get("/api/v1/projects/{project_id}/milestones", api_milestones)
        .post("/api/v1/projects/{project_id}/schedule", api_schedule)
        .post("/api/v1/projects/{project_id}/milestones", api_actual)
        .get("/api/v1/projects/{project_id}/baselines", api_baselines)
        .post("/api/v1/projects/{project_id}/baselines", api_baseline)
}

/// The zone's template, or the default one.
pub async fn template(state: &AppState, zone_id: i64) -> AppResult<Vec<TemplateNode>> {
    Ok(writes::milestone_template(&state.store, zone_id).await?)
}

async fn schedule(
    state: &AppState,
    auth: &Auth,
    id: i64,
    input: &Input,
) -> AppResult<Vec<Milestone>> {
    let target = ProjectTarget::check(&state.store, &auth.principal, id).await?;
    let nodes = template(state, target.project().zone_id).await?;
    let mut e = FieldErrors::new();
    let key = input.text("target_key");
    if !nodes.iter().any(|n| n.key == key) {
        e.add("target_key", "error.choice");
    }
    let due = input.date("target_date", &mut e);
    e.into_result()?;
    Ok(writes::plan_milestones(
        &state.store,
        &auth.actor(),
        &target,
        nodes,
        (&key, due.unwrap_or_else(today)),
    )
    .await?)
}

async fn set_actual(state: &AppState, auth: &Auth, id: i64, input: &Input) -> AppResult<Milestone> {
    let target = ProjectTarget::check(&state.store, &auth.principal, id).await?;
    let mut e = FieldErrors::new();
    let version = common::version(input, &mut e);
    let actual = input.opt_date("actual_on", &mut e);
    e.into_result()?;
    Ok(writes::set_milestone_actual(
        &state.store,
        &auth.actor(),
        &target,
        &input.text("key"),
        actual,
        version,
    )
    .await?)
}

async fn save_baseline(
    state: &AppState,
    auth: &Auth,
    id: i64,
    input: &Input,
) -> AppResult<Baseline> {
    let target = ProjectTarget::check(&state.store, &auth.principal, id).await?;
    let name = required_text(&input.text("name"), 50)
        .map_err(|k| AppError::Invalid(FieldErrors::single("name", k)))?;
    Ok(writes::save_baseline(&state.store, &auth.actor(), &target, &name).await?)
}

/// A milestone as pages and the API show it: with lateness and the working
/// days since the previous milestone (by actual dates, else planned).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MilestoneLine {
    pub key: String,
    pub name: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub planned_on: Option<NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    pub actual_on: Option<NaiveDate>,
    pub version: i64,
    /// Working days past the planned date without an actual date (0 if none).
    pub overdue_working_days: i64,
    /// Working days the actual date came after the planned one (negative: early).
    pub late_working_days: Option<i64>,
    /// Working days from the previous milestone.
    pub working_days_since_previous: Option<i64>,
}

pub fn lines(
    calendar: &Calendar,
    milestones: &[Milestone],
    today: NaiveDate,
) -> Vec<MilestoneLine> {
    let mut previous: Option<&Milestone> = None;
    milestones
        .iter()
        .map(|m| {
            let (planned, actual) = (m.planned_on, m.actual_on);
            // Both actual when both happened, else both planned: never a mix.
            let since = previous.and_then(|p| match (p.actual_on, actual) {
                (Some(a), Some(b)) => Some(calendar.working_days_between(a, b)),
                _ => p
                    .planned_on
                    .zip(planned)
                    .map(|(a, b)| calendar.working_days_between(a, b)),
            });
            let line = MilestoneLine {
                key: m.key.clone(),
                name: m.name.clone(),
                planned_on: m.planned_on,
                actual_on: m.actual_on,
                version: m.version,
                overdue_working_days: match (planned, actual) {
                    (Some(p), None) if p < today => calendar.working_days_between(p, today),
                    _ => 0,
                },
                late_working_days: planned
                    .zip(actual)
                    .map(|(p, a)| calendar.working_days_between(p, a)),
                working_days_since_previous: since,
            };
            previous = Some(m);
            line
        })
        .collect()
}

fn status(rag: Rag) -> Status {
    match rag {
        Rag::Red => Status::Red,
        Rag::Yellow => Status::Yellow,
        Rag::Green => Status::Green,
    }
}

/// The Gantt of one project: a row per milestone, against a baseline if asked.
pub fn project_chart(
    catalog: &Catalog,
    project: &Project,
    milestones: &[Milestone],
    baseline: Option<&Baseline>,
    today: NaiveDate,
) -> Chart {
    let mut chart = Chart::new(
        catalog.format("project.gantt.title", &[("project", &project.name)]),
        today,
    );
    chart.subtitle = Some(catalog.format(
        "project.gantt.subtitle",
        &[
            ("zone", &project.zone_name),
            ("amount", &project.total_investment.yi_2()),
        ],
    ));
    chart.baseline_name = baseline.map(|b| b.name.clone());
    chart.rows = milestones
        .iter()
        .map(|m| {
            let mut row = Row::milestone(m.name.clone(), m.planned_on, m.actual_on);
            if let (Some(b), Some(mark)) = (baseline, row.marks.first_mut()) {
                mark.baseline = b.planned(&m.key);
            }
            row
        })
        .collect();
    chart
}

#[derive(Template)]
#[template(path = "projects/gantt.html")]
struct GanttView {
    page: PageContext,
    title: String,
    back: String,
    svgs: Vec<String>,
    baselines: Vec<Baseline>,
    baseline: String,
    action: String,
}

#[derive(Deserialize)]
struct GanttQuery {
    baseline: Option<String>,
}

async fn gantt_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Query(q): Query<GanttQuery>,
) -> AppResult<Response> {
    let project = visible(&state, &auth, id).await?;
    let milestones = state
        .store
        .milestones(&auth.principal.zone_data_visibility(), project.id)
        .await?;
    let baselines = state
        .store
        .baselines(&auth.principal.zone_data_visibility(), project.id)
        .await?;
    let baseline = q
        .baseline
        .as_deref()
        .and_then(|name| baselines.iter().find(|b| b.name == name));
    let page = PageContext::new(Some(&auth), "projects");
    let chart = project_chart(page.catalog, &project, &milestones, baseline, today());
    let view = GanttView {
        page,
        title: chart.title.clone(),
        back: format!("/projects/{}", project.id),
        svgs: vec![render_svg(&chart)],
        baseline: baseline.map(|b| b.name.clone()).unwrap_or_default(),
        baselines,
        action: format!("/projects/{}/gantt", project.id),
    };
    Ok(render(&view)?.into_response())
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WallQuery {
    pub zone_id: Option<String>,
    pub stage: Option<String>,
    pub rag: Option<String>,
    pub q: Option<String>,
}

/// One project of the wall: its milestones and status.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WallProject {
    pub id: i64,
    pub name: String,
    pub zone_name: String,
    #[schema(value_type = String)]
    pub stage: kfq_domain::Stage,
    #[schema(value_type = String)]
    pub rag: Rag,
    pub milestones: Vec<Milestone>,
}

async fn wall(state: &AppState, auth: &Auth, q: &WallQuery) -> AppResult<Vec<WallProject>> {
    let bad = |field: &str| AppError::Invalid(FieldErrors::single(field, "error.choice"));
    let filter = LedgerFilter {
        zone_id: common::ListQuery::id(&q.zone_id, "zone_id")?,
        stage: match common::ListQuery::text(&q.stage) {
            Some(s) => Some(kfq_domain::Stage::from_code(&s).ok_or_else(|| bad("stage"))?),
            None => None,
        },
        rag: match common::ListQuery::text(&q.rag) {
            Some(s) => Some(Rag::from_code(&s).ok_or_else(|| bad("rag"))?),
            None => None,
        },
        name_contains: common::ListQuery::text(&q.q),
        year: chrono::Datelike::year(&today()),
        month: 12,
        ..Default::default()
    };
    let ledger = state
        .store
        .ledger(&auth.principal.zone_data_visibility(), &filter, 0, 500)
        .await?;
    let ids: Vec<i64> = ledger.page.items.iter().map(|r| r.id).collect();
    let all = state
        .store
        .milestones_of(&auth.principal.zone_data_visibility(), &ids)
        .await?;
    Ok(ledger
        .page
        .items
        .into_iter()
        .map(|r| WallProject {
            milestones: all
                .iter()
                .filter(|(pid, _)| *pid == r.id)
                .map(|(_, m)| m.clone())
                .collect(),
            id: r.id,
            name: r.name,
            zone_name: r.zone_name,
            stage: r.stage,
            rag: r.rag,
        })
        .collect())
}

async fn wall_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<WallQuery>,
) -> AppResult<Response> {
    let projects = wall(&state, &auth, &q).await?;
    let page = PageContext::new(Some(&auth), "projects");
    let mut chart = Chart::new(page.t("project.wall").to_owned(), today());
    chart.rows = projects
        .iter()
        .filter(|p| !p.milestones.is_empty())
        .map(|p| {
            let marks = p
                .milestones
                .iter()
                .map(|m| Mark::new(m.name.clone(), m.planned_on, m.actual_on))
                .collect();
            let mut row = Row::project(p.name.clone(), marks);
            row.sublabel = Some(format!(
                "{} · {}",
                p.zone_name,
                page.label("Stage", p.stage)
            ));
            row.href = Some(format!("/projects/{}", p.id));
            row.status = Some(status(p.rag));
            row
        })
        .collect();
    let view = GanttView {
        title: page.t("project.wall").to_owned(),
        back: "/projects".into(),
        svgs: render_pages(&chart, kfq_gantt::A3_ROWS_PER_PAGE),
        baselines: Vec::new(),
        baseline: String::new(),
        action: String::new(),
        page,
    };
    Ok(render(&view)?.into_response())
}

async fn on_project(
    state: &AppState,
    auth: &Auth,
    id: i64,
    result: AppResult<impl Sized>,
) -> AppResult<Response> {
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/projects/{id}?notice=saved#milestones"
        ))),
        Err(AppError::Invalid(errors)) => {
            crate::features::ledger::project_with_errors(state, auth, id, &errors).await
        }
        Err(other) => Err(other),
    }
}

async fn schedule_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    let result = schedule(&state, &auth, id, &input).await;
    on_project(&state, &auth, id, result).await
}

async fn actual_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    let result = set_actual(&state, &auth, id, &input).await;
    on_project(&state, &auth, id, result).await
}

async fn baseline_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    let result = save_baseline(&state, &auth, id, &input).await;
    on_project(&state, &auth, id, result).await
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleBody {
    /// The milestone the target date is for, e.g. "production" (投产).
    #[schema(required = true, nullable = false)]
    target_key: Option<String>,
    #[schema(required = true, nullable = false)]
    target_date: Option<String>,
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActualBody {
    #[schema(required = true, nullable = false)]
    key: Option<String>,
    /// Empty clears it.
    actual_on: Option<String>,
    #[schema(required = true, nullable = false)]
    version: Option<i64>,
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BaselineBody {
    #[schema(required = true, nullable = false)]
    name: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/projects/wall", tag = "projects", params(WallQuery),
    responses((status = 200, body = Vec<WallProject>), (status = 422, body = ApiErrorDoc)))]
pub async fn api_wall(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<WallQuery>,
) -> AppResult<Json<Vec<WallProject>>> {
    Ok(Json(wall(&state, &auth, &q).await?))
}

/// The milestones, and on request the working days between two of them
/// ("从土地摘牌到施工许可办结N个工作日"), by actual dates where both happened.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MilestoneReport {
    pub milestones: Vec<MilestoneLine>,
    pub working_days_between: Option<i64>,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SpanQuery {
    /// Key of the first milestone, e.g. "land".
    pub from: Option<String>,
    /// Key of the second milestone, e.g. "construction_permit".
    pub to: Option<String>,
}

pub fn span(calendar: &Calendar, milestones: &[Milestone], from: &str, to: &str) -> Option<i64> {
    let find = |key: &str| milestones.iter().find(|m| m.key == key);
    let (a, b) = (find(from)?, find(to)?);
    match (a.actual_on, b.actual_on) {
        (Some(x), Some(y)) => Some(calendar.working_days_between(x, y)),
        _ => a
            .planned_on
            .zip(b.planned_on)
            .map(|(x, y)| calendar.working_days_between(x, y)),
    }
}

#[utoipa::path(get, path = "/api/v1/projects/{project_id}/milestones", tag = "projects", params(("project_id" = i64, Path), SpanQuery),
    responses((status = 200, body = MilestoneReport), (status = 404, body = ApiErrorDoc)))]
pub async fn api_milestones(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Query(q): Query<SpanQuery>,
) -> AppResult<Json<MilestoneReport>> {
    let project = visible(&state, &auth, id).await?;
    let calendar = kfq_app::ledger::rules::calendar(&state.store).await?;
    let milestones = state
        .store
        .milestones(&auth.principal.zone_data_visibility(), project.id)
        .await?;
    let between = q
        .from
        .as_deref()
        .zip(q.to.as_deref())
        .and_then(|(a, b)| span(&calendar, &milestones, a, b));
    Ok(Json(MilestoneReport {
        milestones: lines(&calendar, &milestones, today()),
        working_days_between: between,
    }))
}

#[utoipa::path(post, path = "/api/v1/projects/{project_id}/schedule", tag = "projects", params(("project_id" = i64, Path)), request_body = ScheduleBody,
    responses((status = 200, body = Vec<Milestone>), (status = 404, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_schedule(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<ScheduleBody>,
) -> AppResult<Json<Vec<Milestone>>> {
    Ok(Json(schedule(&state, &auth, id, &input).await?))
}

#[utoipa::path(post, path = "/api/v1/projects/{project_id}/milestones", tag = "projects", params(("project_id" = i64, Path)), request_body = ActualBody,
    responses((status = 200, body = Milestone), (status = 404, body = ApiErrorDoc), (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_actual(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<ActualBody>,
) -> AppResult<Json<Milestone>> {
    Ok(Json(set_actual(&state, &auth, id, &input).await?))
}

#[utoipa::path(get, path = "/api/v1/projects/{project_id}/baselines", tag = "projects", params(("project_id" = i64, Path)),
    responses((status = 200, body = Vec<Baseline>), (status = 404, body = ApiErrorDoc)))]
pub async fn api_baselines(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Vec<Baseline>>> {
    let project = visible(&state, &auth, id).await?;
    Ok(Json(
        state
            .store
            .baselines(&auth.principal.zone_data_visibility(), project.id)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/projects/{project_id}/baselines", tag = "projects", params(("project_id" = i64, Path)), request_body = BaselineBody,
    responses((status = 201, body = Baseline), (status = 404, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_baseline(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<BaselineBody>,
) -> AppResult<Response> {
    Ok((
        StatusCode::CREATED,
        Json(save_baseline(&state, &auth, id, &input).await?),
    )
        .into_response())
}

/// The API paths of this part, merged into the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api_wall,
    api_milestones,
    api_schedule,
    api_actual,
    api_baselines,
    api_baseline,
))]
pub struct ApiDoc;
