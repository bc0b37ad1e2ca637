//! 年度计划填报 on the web: one zone's plans for a year on one page, typed
//! down a column like the month (app.js: Enter moves down, a pasted column
//! fills down, the total follows), saved in one go at the page's own
//! address, so a refused sheet comes back there with every typed value.
//! The API twin reads and writes the same sheet as JSON.

use super::list::departments_and_liaisons;
use super::sheet::{self, path_zone, ScopeQuery, SheetScope};
use super::*;
use kfq_app::ledger::plan_sheet::{self, PlanSheet, PlanTotals, Typed};
use kfq_store::PlanLine;
use serde::Serialize;

pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/projects/plans", plan_page)
        .post("/projects/plans", plan_save_page)
        .get("/api/v1/zones/{zone_id}/plans", api_plans)
        .put("/api/v1/zones/{zone_id}/plans", api_plans_save)
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct PlanQuery {
    zone_id: Option<String>,
    year: Option<String>,
    department_id: Option<String>,
    liaison_user_id: Option<String>,
    missing: Option<String>,
    notice: Option<String>,
}

/// The sheet asked for: its zone and projects, and the plan year.
struct Chosen {
    scope: SheetScope,
    year: i32,
}

async fn chosen(state: &AppState, auth: &Auth, q: &PlanQuery) -> AppResult<Chosen> {
    let scope = sheet::scope(
        state,
        auth,
        ScopeQuery {
            zone_id: &q.zone_id,
            department_id: &q.department_id,
            liaison_user_id: &q.liaison_user_id,
            missing: &q.missing,
        },
    )
    .await?;
    let year = match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => plan_sheet::default_year(today()),
        Some(text) => text
            .parse()
            .map_err(|_| AppError::Invalid(FieldErrors::single("year", "error.plan_sheet.year")))?,
    };
    Ok(Chosen { scope, year })
}

fn address(c: &Chosen) -> String {
    c.scope
        .address("/projects/plans", &format!("year={}", c.year))
}

struct RowView {
    id: i64,
    name: String,
    stage: Stage,
    department: String,
    liaison: String,
    total_investment: String,
    last_planned: String,
    last_done: String,
    planned: String,
    version: Option<i64>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "projects/plans.html")]
struct PlanView {
    page: PageContext,
    zones: Vec<(i64, String)>,
    zone_id: i64,
    zone_name: String,
    year: i32,
    departments: Vec<(i64, String)>,
    liaisons: Vec<(i64, String)>,
    department_id: Option<i64>,
    liaison_user_id: Option<i64>,
    missing_only: bool,
    rows: Vec<RowView>,
    sheet: PlanSheet,
    shown_totals: PlanTotals,
    errors: Vec<(String, String)>,
    here: String,
}

impl PlanView {
    fn wan(&self, m: &Money) -> String {
        m.wan_2()
    }

    fn summary(&self) -> String {
        let t = self.sheet.totals;
        self.page.catalog.format(
            "plan_sheet.summary",
            &[
                ("projects", &t.projects.to_string()),
                ("planned", &t.planned_projects.to_string()),
                ("missing", &t.missing.to_string()),
            ],
        )
    }

    /// A column's label naming the plan year, or `back` years before it.
    fn year_label(&self, key: &str, back: i32) -> String {
        let year = format!(
            "{}{}",
            self.year - back,
            self.page.t("plan_sheet.year_suffix")
        );
        self.page.catalog.format(key, &[("year", &year)])
    }

    /// Last year's completion, named by the months it has while that year
    /// is still running ("2026年1-11月完成"), so a part is not read as a whole.
    fn done_label(&self) -> String {
        let year = self.year - 1;
        let (now, month) = kfq_app::ledger::monthly::default_month(today());
        let named = match kfq_calendar::Period::new(year, month) {
            Ok(period) if year == now && month < 12 => {
                format!(
                    "{year}{}{}",
                    self.page.t("plan_sheet.year_suffix"),
                    period.ytd_label()
                )
            }
            _ => format!("{year}{}", self.page.t("plan_sheet.year_suffix")),
        };
        self.page
            .catalog
            .format("plan_sheet.last_done", &[("year", &named)])
    }
}

async fn plan_view(
    state: &AppState,
    auth: &Auth,
    q: &PlanQuery,
    typed: Option<(&Input, &FieldErrors)>,
) -> AppResult<PlanView> {
    let c = chosen(state, auth, q).await?;
    let target =
        kfq_app::access::ZoneTarget::check(&state.store, &auth.principal, c.scope.zone.id).await?;
    let sheet = plan_sheet::sheet(&state.store, &target, c.year, &c.scope.filter, today()).await?;
    let (departments, liaisons) = departments_and_liaisons(state, &c.scope.zone).await?;
    let refused = typed.map(|(_, errors)| errors);
    let shown: Vec<PlanLine> = sheet
        .lines
        .iter()
        .filter(|l| !c.scope.missing_only || l.is_missing() || typed.is_some())
        .cloned()
        .collect();
    let shown_totals = PlanTotals::of(&shown);
    let rows: Vec<RowView> = shown
        .iter()
        .map(|l| {
            let key = format!("planned_{}", l.project_id);
            RowView {
                id: l.project_id,
                name: l.name.clone(),
                stage: l.stage,
                department: l.department_name.clone().unwrap_or_default(),
                liaison: l.liaison_name.clone().unwrap_or_default(),
                total_investment: l.total_investment.wan_2(),
                last_planned: l.last_planned.map(Money::wan_2).unwrap_or_default(),
                last_done: l.last_done.wan_2(),
                planned: match typed {
                    Some((input, _)) => input.text(&key),
                    None => l
                        .plan
                        .as_ref()
                        .map(|p| p.planned_investment.wan_string())
                        .unwrap_or_default(),
                },
                version: l.plan.as_ref().map(|p| p.version),
                error: sheet::field_message(refused, &key),
            }
        })
        .collect();
    let errors = refused
        .map(|all| {
            let rows = rows
                .iter()
                .map(|r| (r.name.as_str(), format!("planned_{}", r.id), &r.error));
            sheet::listed_errors(rows, all, &["planned"])
        })
        .unwrap_or_default();
    let here = address(&c);
    Ok(PlanView {
        page: PageContext::new(Some(auth), "projects").with_notice(q.notice.as_deref()),
        zones: c.scope.zones,
        zone_id: c.scope.zone.id,
        zone_name: c.scope.zone.name.clone(),
        year: c.year,
        departments,
        liaisons,
        department_id: c.scope.filter.department_id,
        liaison_user_id: c.scope.filter.liaison_user_id,
        missing_only: c.scope.missing_only,
        rows,
        sheet,
        shown_totals,
        errors,
        here,
    })
}

async fn plan_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<PlanQuery>,
) -> AppResult<Response> {
    let view = plan_view(&state, &auth, &q, None).await?;
    Ok(render(&view)?.into_response())
}

fn typed_rows(input: &Input) -> Vec<Typed> {
    input
        .keys()
        .filter_map(|k| k.strip_prefix("planned_")?.parse::<i64>().ok())
        .map(|id| Typed {
            project_id: id,
            planned: input.text(&format!("planned_{id}")),
            version: input.text(&format!("version_{id}")).trim().parse().ok(),
        })
        .collect()
}

async fn plan_save_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<PlanQuery>,
    input: Input,
) -> AppResult<Response> {
    let c = chosen(&state, &auth, &q).await?;
    let target =
        kfq_app::access::ZoneTarget::check(&state.store, &auth.principal, c.scope.zone.id).await?;
    let rows = typed_rows(&input);
    let saved =
        plan_sheet::save(&state.store, &auth.actor(), &target, c.year, &rows, today()).await;
    sheet::answer_save(saved, &address(&c), async |errors| {
        plan_view(&state, &auth, &q, Some((&input, errors))).await
    })
    .await
}

// ---- API ----

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanApiQuery {
    /// The plan year (default: this year, or next year from November).
    year: Option<i32>,
    department_id: Option<i64>,
    liaison_user_id: Option<i64>,
}

async fn api_sheet(state: &AppState, auth: &Auth, q: &PlanQuery) -> AppResult<PlanSheet> {
    let c = chosen(state, auth, q).await?;
    if let Some(asked) = common::ListQuery::id(&q.zone_id, "zone_id")? {
        c.scope.is_zone(asked)?;
    }
    let target =
        kfq_app::access::ZoneTarget::check(&state.store, &auth.principal, c.scope.zone.id).await?;
    Ok(plan_sheet::sheet(&state.store, &target, c.year, &c.scope.filter, today()).await?)
}

/// A zone's plans for a year on one sheet: every project (but cancelled
/// ones) with its total investment, last year's plan and completion and
/// this year's plan if set; amounts in yuan.
#[utoipa::path(get, path = "/api/v1/zones/{zone_id}/plans", tag = "projects",
    params(("zone_id" = i64, Path), PlanApiQuery),
    responses((status = 200, body = PlanSheet), (status = 404, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_plans(
    State(state): State<AppState>,
    auth: Auth,
    PathId(zone_id): PathId,
    Query(q): Query<PlanApiQuery>,
) -> AppResult<Json<PlanSheet>> {
    path_zone(&state, &auth, zone_id).await?;
    let page = PlanQuery {
        zone_id: Some(zone_id.to_string()),
        year: q.year.map(|y| y.to_string()),
        department_id: q.department_id.map(|v| v.to_string()),
        liaison_user_id: q.liaison_user_id.map(|v| v.to_string()),
        ..Default::default()
    };
    Ok(Json(api_sheet(&state, &auth, &page).await?))
}

/// A year's plans for several projects, saved together.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlansBody {
    /// The plan year (default: this year, or next year from November).
    year: Option<i32>,
    #[serde(default)]
    rows: Vec<PlanRowBody>,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRowBody {
    project_id: i64,
    /// 年度计划投资 in 万元, as typed ("12000", "12,000.5").
    planned: String,
    /// The version of the plan as read, when it was set.
    version: Option<i64>,
}

/// Saves a year's plans for several projects of the zone in one transaction
/// (each audited, target dates kept); blank or unchanged rows are left
/// alone; a row refused refuses all (`planned_<id>`); a plan changed by
/// someone else since it was read is a conflict.
#[utoipa::path(put, path = "/api/v1/zones/{zone_id}/plans", tag = "projects",
    params(("zone_id" = i64, Path)), request_body = PlansBody,
    responses((status = 200, body = PlanSheet), (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_plans_save(
    State(state): State<AppState>,
    auth: Auth,
    PathId(zone_id): PathId,
    input: crate::input::Body<PlansBody>,
) -> AppResult<Json<PlanSheet>> {
    path_zone(&state, &auth, zone_id).await?;
    let body: PlansBody = input.typed()?;
    let q = PlanQuery {
        zone_id: Some(zone_id.to_string()),
        year: body.year.map(|y| y.to_string()),
        ..Default::default()
    };
    let c = chosen(&state, &auth, &q).await?;
    c.scope.is_zone(zone_id)?;
    let target = kfq_app::access::ZoneTarget::check(&state.store, &auth.principal, zone_id).await?;
    let rows: Vec<Typed> = body
        .rows
        .into_iter()
        .map(|r| Typed {
            project_id: r.project_id,
            planned: r.planned,
            version: r.version,
        })
        .collect();
    plan_sheet::save(&state.store, &auth.actor(), &target, c.year, &rows, today()).await?;
    Ok(Json(api_sheet(&state, &auth, &q).await?))
}

/// The API paths of this part, merged into the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(api_plans, api_plans_save))]
pub struct ApiDoc;
