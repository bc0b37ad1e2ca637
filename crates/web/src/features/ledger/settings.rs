//! Settings the ledger runs on: the working-day calendar (the system
//! administrator edits it for the whole installation) and each zone's
//! red/yellow/green thresholds, industry chains and milestone template.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Datelike;
use kfq_calendar::DayKind;
use kfq_domain::validation::{optional_text, required_text};
use kfq_domain::{FieldErrors, RagRules};
use kfq_store::{CalendarOverride, OrgUnit, TemplateNode};
use serde::{Deserialize, Serialize};

use crate::auth::Auth;
use crate::common::form_post;
use crate::common::PathId;
use crate::error::{field_messages, ApiErrorDoc, AppError, AppResult};
use crate::input::{Body, Input};
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use kfq_app::clock::today;
use kfq_app::ledger::rules::calendar;
use kfq_app::ledger::settings::{self, SettingsChange, SettingsTarget};

pub fn routes() -> Routes {
    Routes::new()
        .get("/calendar", calendar_page)
        .post("/calendar", calendar_post)
        .get("/orgs/{org_id}/ledger", settings_page)
        .post("/orgs/{org_id}/ledger", settings_post)
        .get("/api/v1/calendar", api_calendar)
        .put("/api/v1/calendar", api_calendar_put)
        .get("/api/v1/orgs/{org_id}/ledger", api_settings)
        .put("/api/v1/orgs/{org_id}/ledger", api_settings_put)
}

// ---- the calendar ----

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarDay {
    pub date: String,
    /// A holiday or a make-up workday (or workday/weekend for an edit that restores the pattern).
    #[schema(schema_with = crate::openapi::codes::calendar_kind)]
    pub kind: String,
    pub name: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarYear {
    pub year: i32,
    /// Whether official data covers the year (else weekends only, plus edits).
    pub covered: bool,
    pub notice: Option<String>,
    pub days: Vec<CalendarDay>,
    pub overrides: Vec<CalendarOverride>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    pub year: Option<String>,
}

async fn calendar_year(state: &AppState, year: Option<&str>) -> AppResult<CalendarYear> {
    let year = match year.map(str::trim).filter(|y| !y.is_empty()) {
        Some(y) => y
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| AppError::Invalid(FieldErrors::single("year", "error.year")))?,
        None => today().year(),
    };
    let cal = calendar(&state.store).await?;
    let days = cal
        .holidays(year)
        .into_iter()
        .filter(|(d, _)| d.year() == year)
        .map(|(date, kind)| {
            let (kind, name) = match kind {
                DayKind::Holiday { name } => ("holiday", name),
                DayKind::MakeupWorkday { name } => ("makeup_workday", name),
                DayKind::Workday => ("workday", String::new()),
                DayKind::Weekend => ("weekend", String::new()),
            };
            CalendarDay {
                date: date.to_string(),
                kind: kind.into(),
                name,
            }
        })
        .collect();
    Ok(CalendarYear {
        year,
        covered: cal.covers(year),
        notice: cal.notice(year).map(str::to_owned),
        days,
        overrides: state.store.calendar_overrides().await?,
    })
}

async fn edit_calendar(state: &AppState, auth: &Auth, input: &Input) -> AppResult<()> {
    let mut e = FieldErrors::new();
    let date = input.date("date", &mut e);
    let working = match input.text("working").as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        "remove" => None,
        _ => {
            e.add("working", "error.choice");
            None
        }
    };
    let note = e
        .check("note", optional_text(&input.text("note"), 50))
        .flatten()
        .unwrap_or_default();
    e.into_result()?;
    Ok(settings::set_calendar_day(
        &state.store,
        &auth.principal,
        &auth.actor(),
        date.unwrap_or_else(today),
        working.map(|w| (w, note.as_str())),
    )
    .await?)
}

#[derive(Template)]
#[template(path = "settings/calendar.html")]
struct CalendarView {
    page: PageContext,
    data: CalendarYear,
    can_edit: bool,
    errors: Vec<String>,
}

async fn calendar_view(
    state: &AppState,
    auth: &Auth,
    year: Option<&str>,
    errors: Vec<String>,
) -> AppResult<CalendarView> {
    Ok(CalendarView {
        page: PageContext::new(Some(auth), "projects"),
        data: calendar_year(state, year).await?,
        can_edit: auth.principal.system_admin().is_some(),
        errors,
    })
}

async fn calendar_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    Ok(render(&calendar_view(&state, &auth, q.year.as_deref(), vec![]).await?)?.into_response())
}

async fn calendar_post(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    match edit_calendar(&state, &auth, &input).await {
        Ok(()) => Ok(see_other(&format!(
            "/calendar?year={}",
            input.text("date").get(..4).unwrap_or("")
        ))),
        Err(AppError::Invalid(errors)) => {
            let messages = field_messages(&errors, PageContext::new(None, "").catalog)
                .into_iter()
                .map(|m| m.message)
                .collect();
            let view = calendar_view(&state, &auth, None, messages).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&view)?).into_response())
        }
        Err(other) => Err(other),
    }
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarEditBody {
    #[schema(required = true, nullable = false)]
    date: Option<String>,
    /// "yes" (worked), "no" (off) or "remove" (back to the official calendar).
    #[schema(required = true, nullable = false)]
    working: Option<String>,
    note: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/calendar", tag = "ledger", params(YearQuery),
    responses((status = 200, body = CalendarYear), (status = 422, body = ApiErrorDoc)))]
pub async fn api_calendar(
    State(state): State<AppState>,
    _auth: Auth,
    Query(q): Query<YearQuery>,
) -> AppResult<Json<CalendarYear>> {
    Ok(Json(calendar_year(&state, q.year.as_deref()).await?))
}

#[utoipa::path(put, path = "/api/v1/calendar", tag = "ledger", request_body = CalendarEditBody,
    responses((status = 204), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_calendar_put(
    State(state): State<AppState>,
    auth: Auth,
    input: Body<CalendarEditBody>,
) -> AppResult<Response> {
    edit_calendar(&state, &auth, &input).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

// ---- a zone's settings ----

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ZoneLedgerSettings {
    pub zone_id: i64,
    pub rag: RagRulesDoc,
    pub industry_chains: Vec<String>,
    pub milestone_template: Vec<TemplateNode>,
}

/// Red/yellow/green thresholds (yellow at half of each).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RagRulesDoc {
    /// Red when a milestone is overdue by more than this many working days.
    pub milestone_days: i64,
    /// Red when year-to-date investment is more than this many points behind 序时进度.
    pub investment_points: i64,
    /// Yellow when an open blocker falls due within this many working days.
    pub blocker_due_days: i64,
}

async fn zone(state: &AppState, auth: &Auth, id: i64) -> AppResult<OrgUnit> {
    Ok(settings::visible_zone(&state.store, &auth.principal, id).await?)
}

/// A zone's ledger settings are its administration's (or the system
/// administrator's): the domain's rule.
fn can_configure(auth: &Auth, unit: &OrgUnit) -> bool {
    auth.principal.unit_admin(&unit.org_path()).is_some()
}

async fn current(state: &AppState, unit: &OrgUnit) -> AppResult<ZoneLedgerSettings> {
    let rules = state.store.rag_rules(unit.id).await?;
    Ok(ZoneLedgerSettings {
        zone_id: unit.id,
        rag: RagRulesDoc {
            milestone_days: rules.milestone_days,
            investment_points: rules.investment_points,
            blocker_due_days: rules.blocker_due_days,
        },
        industry_chains: state
            .store
            .industry_chains(unit.id)
            .await?
            .into_iter()
            .map(|(_, n)| n)
            .collect(),
        milestone_template: crate::features::ledger::milestones::template(state, unit.id).await?,
    })
}

async fn update_settings(state: &AppState, auth: &Auth, id: i64, input: &Input) -> AppResult<()> {
    let target = SettingsTarget::check(&state.store, &auth.principal, id).await?;
    let mut e = FieldErrors::new();
    let mut change = SettingsChange::default();
    if input.has("milestone_days") {
        change.rag = Some(RagRules {
            milestone_days: input.int("milestone_days", &mut e).unwrap_or_default(),
            investment_points: input.int("investment_points", &mut e).unwrap_or_default(),
            blocker_due_days: input.int("blocker_due_days", &mut e).unwrap_or_default(),
        });
    }
    if !input.text("industry_chain").trim().is_empty() {
        change.industry_chain = e.check(
            "industry_chain",
            required_text(&input.text("industry_chain"), 30),
        );
    }
    if input.has("milestone_template") {
        change.milestone_template = e.check(
            "milestone_template",
            settings::parse_template(&input.text("milestone_template")),
        );
    }
    e.into_result()?;
    Ok(settings::update(&state.store, &auth.actor(), &target, &change).await?)
}

#[derive(Template)]
#[template(path = "settings/zone.html")]
struct SettingsView {
    page: PageContext,
    unit: OrgUnit,
    settings: ZoneLedgerSettings,
    template_text: String,
    can_edit: bool,
    errors: Vec<String>,
}

async fn settings_view(
    state: &AppState,
    auth: &Auth,
    id: i64,
    errors: Vec<String>,
) -> AppResult<SettingsView> {
    let unit = zone(state, auth, id).await?;
    let settings = current(state, &unit).await?;
    let template_text = settings
        .milestone_template
        .iter()
        .map(|n| format!("{} {} {}", n.key, n.name, n.working_days))
        .collect::<Vec<_>>()
        .join("\n");
    Ok(SettingsView {
        page: PageContext::new(Some(auth), "orgs"),
        can_edit: can_configure(auth, &unit),
        unit,
        settings,
        template_text,
        errors,
    })
}

async fn settings_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    Ok(render(&settings_view(&state, &auth, id, vec![]).await?)?.into_response())
}

async fn settings_post(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    form_post(
        update_settings(&state, &auth, id, &input).await,
        |()| format!("/orgs/{id}/ledger"),
        async |errors| {
            let messages = field_messages(&errors, PageContext::new(None, "").catalog)
                .into_iter()
                .map(|m| m.message)
                .collect();
            let view = settings_view(&state, &auth, id, messages).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&view)?).into_response())
        },
    )
    .await
}

/// Each part given is saved; a part left out stays as it is.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsBody {
    /// Given, the three RAG rules are saved together (each then required).
    milestone_days: Option<i64>,
    investment_points: Option<i64>,
    blocker_due_days: Option<i64>,
    /// A chain to add to the zone's list.
    industry_chain: Option<String>,
    /// The whole template, one node a line: "key 名称 工作日".
    milestone_template: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/orgs/{org_id}/ledger", tag = "ledger", params(("org_id" = i64, Path)),
    responses((status = 200, body = ZoneLedgerSettings), (status = 404, body = ApiErrorDoc)))]
pub async fn api_settings(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<ZoneLedgerSettings>> {
    let unit = zone(&state, &auth, id).await?;
    Ok(Json(current(&state, &unit).await?))
}

#[utoipa::path(put, path = "/api/v1/orgs/{org_id}/ledger", tag = "ledger", params(("org_id" = i64, Path)), request_body = SettingsBody,
    responses((status = 200, body = ZoneLedgerSettings), (status = 403, body = ApiErrorDoc), (status = 404, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_settings_put(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<SettingsBody>,
) -> AppResult<Json<ZoneLedgerSettings>> {
    update_settings(&state, &auth, id, &input).await?;
    let unit = zone(&state, &auth, id).await?;
    Ok(Json(current(&state, &unit).await?))
}

/// The API paths of this part, merged into the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(api_calendar, api_calendar_put, api_settings, api_settings_put,))]
pub struct ApiDoc;
