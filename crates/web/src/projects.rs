//! The key-project ledger on the web: the ledger list with filters and totals,
//! the project page (fields, stages, plans, monthly investment, blockers,
//! status and why), forms for all of it, and the API twins.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Datelike;
use kfq_domain::investment::{
    completion_tenths, cumulative, elapsed_tenths, percent, year_to_date,
};
use kfq_domain::project::parse_project_code;
use kfq_domain::validation::{optional_text, required_text};
use kfq_domain::{
    BlockerFactor, BlockerStatus, Category, FieldErrors, Money, Mu, Nature, OrgKind, Rag, Stage,
    Visibility,
};
use kfq_store::{
    AnnualPlan, AuditEntry, Blocker, BlockerInput, EnterpriseFilter, Ledger, LedgerFilter,
    LedgerRow, LedgerSort, MonthlyInvestment, OrgFilter, OrgUnit, Project, ProjectInput,
    StageChange, Store, UserFilter,
};
use serde::{Deserialize, Serialize};

use crate::auth::Auth;
use crate::common::{self, allow, PathId, VersionQuery};
use crate::error::{ApiErrorDoc, AppError, AppResult};
use crate::input::Input;
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use crate::views::{Field, FieldKind, FormFields, FormView, Paging};
use kfq_app::clock::today;
use kfq_app::ledger::rules::Rules;

pub fn routes() -> Routes {
    Routes::new()
        .get("/projects", ledger_page)
        .get("/projects/new", new_page)
        .post("/projects", create_page)
        .get("/projects/{project_id}", show_page)
        .get("/projects/{project_id}/edit", edit_page)
        .post("/projects/{project_id}/edit", update_page)
        .post("/projects/{project_id}/delete", delete_page)
        .post("/projects/{project_id}/stage", stage_page)
        .post("/projects/{project_id}/plans", plan_page)
        .post("/projects/{project_id}/investments", investment_page)
        .post("/projects/{project_id}/blockers", blocker_create_page)
        .post("/blockers/{blocker_id}/edit", blocker_update_page)
        .get("/projects/{project_id}/history", history_page)
        .get("/projects/fast-path", fast_path_page)
        .get("/projects/export.xlsx", export_xlsx)
        .get("/api/v1/projects/fast-path", api_fast_path)
        .get("/api/v1/projects", api_ledger)
        .post("/api/v1/projects", api_create)
        .get("/api/v1/projects/{project_id}", api_get)
        .put("/api/v1/projects/{project_id}", api_update)
        .delete("/api/v1/projects/{project_id}", api_delete)
        .get("/api/v1/projects/{project_id}/history", api_history)
        .get("/api/v1/projects/{project_id}/stages", api_stages)
        .post("/api/v1/projects/{project_id}/stage", api_stage)
        .get("/api/v1/projects/{project_id}/plans", api_plans)
        .post("/api/v1/projects/{project_id}/plans", api_plan)
        .get("/api/v1/projects/{project_id}/investments", api_investments)
        .post("/api/v1/projects/{project_id}/investments", api_investment)
        .get("/api/v1/projects/{project_id}/blockers", api_blockers)
        .post("/api/v1/projects/{project_id}/blockers", api_blocker_create)
        .put("/api/v1/blockers/{blocker_id}", api_blocker_update)
}

// ---- reading input ----

fn parse_project(input: &Input) -> Result<ProjectInput, FieldErrors> {
    let mut e = FieldErrors::new();
    let zone_id = input.int("zone_id", &mut e);
    let name = e.check("name", required_text(&input.text("name"), 100));
    let investor = e
        .check("investor", optional_text(&input.text("investor"), 100))
        .flatten();
    let category = input.choice("category", Category::from_code, &mut e);
    let nature = input.choice("nature", Nature::from_code, &mut e);
    let total = e.check(
        "total_investment",
        Money::parse_wan_non_negative(&input.text("total_investment")),
    );
    let land_text = input.text("land_mu");
    let land = if land_text.trim().is_empty() {
        None
    } else {
        e.check("land_mu", Mu::parse(&land_text))
    };
    let floor_area_m2 = input.opt_int("floor_area_m2", &mut e);
    let jobs = input.opt_int("jobs", &mut e);
    for (field, value) in [("floor_area_m2", floor_area_m2), ("jobs", jobs)] {
        if value.is_some_and(|v| v < 0) {
            e.add(field, "error.number.range");
        }
    }
    let project = ProjectInput {
        zone_id: zone_id.unwrap_or_default(),
        name: name.unwrap_or_default(),
        enterprise_id: input.opt_int("enterprise_id", &mut e),
        investor,
        category: category.unwrap_or(Category::Industrial),
        nature: nature.unwrap_or(Nature::New),
        industry_chain_id: input.opt_int("industry_chain_id", &mut e),
        total_investment: total.unwrap_or_default(),
        land,
        floor_area_m2,
        construction_content: e
            .check(
                "construction_content",
                optional_text(&input.text("construction_content"), 2000),
            )
            .flatten(),
        annual_output: input.opt_money("annual_output", &mut e),
        annual_tax: input.opt_money("annual_tax", &mut e),
        jobs,
        registered: input.flag("registered"),
        registered_on: input.opt_date("registered_on", &mut e),
        liaison_user_id: input.opt_int("liaison_user_id", &mut e),
        department_id: input.opt_int("department_id", &mut e),
        task_force: e
            .check("task_force", optional_text(&input.text("task_force"), 500))
            .flatten(),
        project_code: e
            .check(
                "project_code",
                parse_project_code(&input.text("project_code")),
            )
            .flatten(),
    };
    e.into_result().map(|_| project)
}

/// The zone a project goes into must be one the caller may write to.
pub(crate) async fn writable_zone(
    state: &AppState,
    auth: &Auth,
    zone_id: i64,
) -> AppResult<OrgUnit> {
    let zone = state
        .store
        .org(&auth.principal.org_visibility(), zone_id)
        .await
        .ok()
        .filter(|z| z.kind() == OrgKind::Zone)
        .ok_or_else(|| {
            AppError::Invalid(FieldErrors::single("zone_id", "error.enterprise.zone"))
        })?;
    allow(auth.principal.can_write_zone_data(&zone.org_path()))?;
    Ok(zone)
}

pub(crate) async fn visible(state: &AppState, auth: &Auth, id: i64) -> AppResult<Project> {
    Ok(state
        .store
        .project(&auth.principal.zone_data_visibility(), id)
        .await?)
}

pub(crate) async fn editable(state: &AppState, auth: &Auth, id: i64) -> AppResult<Project> {
    let project = visible(state, auth, id).await?;
    allow(auth.principal.can_write_zone_data(&project.zone_org_path()))?;
    Ok(project)
}

async fn create(state: &AppState, auth: &Auth, input: &Input) -> AppResult<Project> {
    let project = parse_project(input)?;
    let stage = match input.text("stage").trim() {
        "" => Stage::Planning,
        code => Stage::from_code(code)
            .ok_or_else(|| AppError::Invalid(FieldErrors::single("stage", "error.choice")))?,
    };
    writable_zone(state, auth, project.zone_id).await?;
    let rules = Rules::load(&state.store, project.zone_id).await?;
    Ok(state
        .store
        .create_project(&auth.actor(), &project, stage, &rules.ctx())
        .await?)
}

async fn update(state: &AppState, auth: &Auth, id: i64, input: &Input) -> AppResult<Project> {
    editable(state, auth, id).await?;
    let mut e = FieldErrors::new();
    let expected = common::version(input, &mut e);
    let project = parse_project(input).map_err(|mut more| {
        more.0.extend(e.0.clone());
        more
    })?;
    e.into_result()?;
    writable_zone(state, auth, project.zone_id).await?;
    let rules = Rules::load(&state.store, project.zone_id).await?;
    Ok(state
        .store
        .update_project(&auth.actor(), id, expected, &project, &rules.ctx())
        .await?)
}

async fn change_stage(state: &AppState, auth: &Auth, id: i64, input: &Input) -> AppResult<Project> {
    let project = editable(state, auth, id).await?;
    let mut e = FieldErrors::new();
    let expected = common::version(input, &mut e);
    let next = input.choice("stage", Stage::from_code, &mut e);
    let date = input.date("date", &mut e);
    e.into_result()?;
    let reason = input.text("reason");
    let correction =
        (input.flag("correction") || !reason.trim().is_empty()).then_some(reason.as_str());
    let rules = Rules::load(&state.store, project.zone_id).await?;
    let (next, date) = (next.unwrap_or(Stage::Planning), date.unwrap_or_else(today));
    Ok(state
        .store
        .change_stage(
            &auth.actor(),
            id,
            expected,
            (next, date),
            correction,
            &rules.ctx(),
        )
        .await?)
}

fn year_of(input: &Input, e: &mut FieldErrors) -> i32 {
    let year = input.int("year", e).unwrap_or_default();
    if !(2000..=2100).contains(&year) && !e.0.iter().any(|x| x.field == "year") {
        e.add("year", "error.year");
    }
    year as i32
}

async fn set_plan(state: &AppState, auth: &Auth, id: i64, input: &Input) -> AppResult<AnnualPlan> {
    let project = editable(state, auth, id).await?;
    let mut e = FieldErrors::new();
    let year = year_of(input, &mut e);
    let planned = e.check(
        "planned_investment",
        Money::parse_wan_non_negative(&input.text("planned_investment")),
    );
    let targets = [
        input.opt_date("target_start", &mut e),
        input.opt_date("target_completion", &mut e),
        input.opt_date("target_production", &mut e),
    ];
    let version = input.opt_int("version", &mut e);
    e.into_result()?;
    let rules = Rules::load(&state.store, project.zone_id).await?;
    let planned = planned.unwrap_or_default();
    Ok(state
        .store
        .set_plan(
            &auth.actor(),
            &project,
            year,
            planned,
            targets,
            version,
            &rules.ctx(),
        )
        .await?)
}

async fn set_investment(
    state: &AppState,
    auth: &Auth,
    id: i64,
    input: &Input,
) -> AppResult<MonthlyInvestment> {
    let project = editable(state, auth, id).await?;
    let mut e = FieldErrors::new();
    let year = year_of(input, &mut e);
    let month = input.int("month", &mut e).unwrap_or_default();
    if !(1..=12).contains(&month) && !e.0.iter().any(|x| x.field == "month") {
        e.add("month", "error.month");
    }
    let amount = e.check("amount", Money::parse_wan(&input.text("amount")));
    let note = e
        .check("note", optional_text(&input.text("note"), 200))
        .flatten();
    let version = input.opt_int("version", &mut e);
    e.into_result()?;
    let rules = Rules::load(&state.store, project.zone_id).await?;
    let amount = amount.unwrap_or_default();
    Ok(state
        .store
        .set_investment(
            &auth.actor(),
            &project,
            (year, month as u32),
            amount,
            note.as_deref(),
            version,
            &rules.ctx(),
        )
        .await?)
}

fn parse_blocker(input: &Input) -> Result<BlockerInput, FieldErrors> {
    let mut e = FieldErrors::new();
    let factor = input.choice("factor", BlockerFactor::from_code, &mut e);
    let description = e.check(
        "description",
        required_text(&input.text("description"), 1000),
    );
    let raised_on = input.date("raised_on", &mut e);
    let status = if input.text("status").trim().is_empty() {
        Some(BlockerStatus::Open)
    } else {
        input.choice("status", BlockerStatus::from_code, &mut e)
    };
    let blocker = BlockerInput {
        factor: factor.unwrap_or(BlockerFactor::Other),
        description: description.unwrap_or_default(),
        raised_on: raised_on.unwrap_or_else(today),
        department_id: input.opt_int("department_id", &mut e),
        deadline: input.opt_date("deadline", &mut e),
        status: status.unwrap_or(BlockerStatus::Open),
        resolution: e
            .check("resolution", optional_text(&input.text("resolution"), 1000))
            .flatten(),
        resolved_on: input.opt_date("resolved_on", &mut e),
    };
    if blocker.status == BlockerStatus::Resolved
        && (blocker.resolution.is_none() || blocker.resolved_on.is_none())
    {
        e.add("resolution", "error.blocker.resolution");
    }
    e.into_result().map(|_| blocker)
}

async fn save_blocker(
    state: &AppState,
    auth: &Auth,
    project_id: Option<i64>,
    blocker_id: Option<i64>,
    input: &Input,
) -> AppResult<Blocker> {
    let (project, existing) = match (project_id, blocker_id) {
        (Some(pid), None) => (editable(state, auth, pid).await?, None),
        (_, Some(bid)) => {
            let blocker = state
                .store
                .blocker(&auth.principal.zone_data_visibility(), bid)
                .await?;
            (
                editable(state, auth, blocker.project_id).await?,
                Some(blocker),
            )
        }
        (None, None) => return Err(AppError::NotFound),
    };
    let mut e = FieldErrors::new();
    let version = existing.as_ref().map(|_| common::version(input, &mut e));
    let blocker = parse_blocker(input).map_err(|mut more| {
        more.0.extend(e.0.clone());
        more
    })?;
    e.into_result()?;
    let id = existing.map(|b| (b.id, version.unwrap_or_default()));
    let rules = Rules::load(&state.store, project.zone_id).await?;
    Ok(state
        .store
        .save_blocker(&auth.actor(), &project, id, &blocker, &rules.ctx())
        .await?)
}

// ---- the ledger list ----

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    pub zone_id: Option<String>,
    /// planning, signed, pre_construction, started, completed, producing, at_capacity, suspended, cancelled.
    pub stage: Option<String>,
    /// industrial, infrastructure, social.
    pub category: Option<String>,
    pub industry_chain_id: Option<String>,
    pub liaison_user_id: Option<String>,
    pub department_id: Option<String>,
    /// red, yellow, green.
    pub rag: Option<String>,
    /// "yes" or "no": 入库.
    pub registered: Option<String>,
    /// Name contains.
    pub q: Option<String>,
    /// Year of the plan and year-to-date figures (default: this year).
    pub year: Option<String>,
    /// Month the year-to-date figures run to (default: this month, or December of a past year).
    pub month: Option<String>,
    /// zone, name, stage, total_investment, planned, ytd, rag, updated.
    pub sort: Option<String>,
    /// "desc" for descending.
    pub dir: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
    #[param(ignore)]
    pub notice: Option<String>,
}

fn choice<T>(
    value: &Option<String>,
    field: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> AppResult<Option<T>> {
    match common::ListQuery::text(value) {
        None => Ok(None),
        Some(code) => parse(&code)
            .map(Some)
            .ok_or_else(|| AppError::Invalid(FieldErrors::single(field, "error.choice"))),
    }
}

fn ledger_filter(q: &LedgerQuery) -> AppResult<LedgerFilter> {
    let now = today();
    let year = choice(&q.year, "year", |y| {
        y.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y))
    })?
    .unwrap_or(now.year());
    let default_month = if year < now.year() { 12 } else { now.month() };
    let month = choice(&q.month, "month", |m| {
        m.parse::<u32>().ok().filter(|m| (1..=12).contains(m))
    })?
    .unwrap_or(default_month);
    Ok(LedgerFilter {
        zone_id: common::ListQuery::id(&q.zone_id, "zone_id")?,
        stage: choice(&q.stage, "stage", Stage::from_code)?,
        category: choice(&q.category, "category", Category::from_code)?,
        industry_chain_id: common::ListQuery::id(&q.industry_chain_id, "industry_chain_id")?,
        liaison_user_id: common::ListQuery::id(&q.liaison_user_id, "liaison_user_id")?,
        department_id: common::ListQuery::id(&q.department_id, "department_id")?,
        rag: choice(&q.rag, "rag", Rag::from_code)?,
        registered: choice(&q.registered, "registered", |v| match v {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        })?,
        name_contains: common::ListQuery::text(&q.q),
        year,
        month,
        sort: choice(&q.sort, "sort", LedgerSort::from_code)?.unwrap_or_default(),
        descending: q.dir.as_deref() == Some("desc"),
    })
}

fn ledger_query_pairs(q: &LedgerQuery) -> Vec<(&'static str, String)> {
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    vec![
        ("zone_id", v(&q.zone_id)),
        ("stage", v(&q.stage)),
        ("category", v(&q.category)),
        ("rag", v(&q.rag)),
        ("registered", v(&q.registered)),
        ("department_id", v(&q.department_id)),
        ("liaison_user_id", v(&q.liaison_user_id)),
        ("industry_chain_id", v(&q.industry_chain_id)),
        ("q", v(&q.q)),
        ("year", v(&q.year)),
        ("month", v(&q.month)),
    ]
}

struct Column {
    label: String,
    href: Option<String>,
    class: &'static str,
}

#[derive(Template)]
#[template(path = "projects/ledger.html")]
struct LedgerView {
    page: PageContext,
    filters: Vec<Field>,
    columns: Vec<Column>,
    rows: Vec<LedgerRow>,
    totals: kfq_store::LedgerTotals,
    year: i32,
    month: u32,
    prev_href: Option<String>,
    next_href: Option<String>,
    new_href: Option<String>,
    total_text: String,
    export_href: String,
}

impl LedgerView {
    fn yi(&self, yuan: &i64) -> String {
        Money::from_yuan(*yuan).yi_2()
    }

    fn opt_yi(&self, yuan: &Option<i64>) -> String {
        yuan.map(|y| Money::from_yuan(y).yi_2()).unwrap_or_default()
    }

    fn completion(&self, row: &LedgerRow) -> String {
        row.planned_investment
            .and_then(|p| completion_tenths(Money::from_yuan(row.ytd), Money::from_yuan(p)))
            .map(percent)
            .unwrap_or_default()
    }
}

async fn zone_options(
    state: &AppState,
    auth: &Auth,
    blank: &str,
) -> AppResult<Vec<(String, String)>> {
    let filter = OrgFilter {
        kind: Some(OrgKind::Zone),
        ..Default::default()
    };
    let zones = state
        .store
        .orgs(&auth.principal.org_visibility(), &filter, 0, 10_000)
        .await?
        .items;
    let mut options = vec![(String::new(), blank.to_owned())];
    options.extend(zones.into_iter().map(|z| (z.id.to_string(), z.name)));
    Ok(options)
}

async fn ledger_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<LedgerQuery>,
) -> AppResult<Response> {
    let page = PageContext::new(Some(&auth), "projects").with_notice(query.notice.as_deref());
    let filter = ledger_filter(&query)?;
    let paging = Paging::from_query(query.page.as_deref(), query.per_page.as_deref());
    let ledger = state
        .store
        .ledger(
            &auth.principal.zone_data_visibility(),
            &filter,
            paging.offset(),
            paging.per_page,
        )
        .await?;
    let pairs = ledger_query_pairs(&query);
    let (prev_href, next_href) = paging.links("/projects", &pairs, ledger.totals.count);
    let stages: Vec<&str> = Stage::ALL.iter().map(|s| s.code()).collect();
    let categories: Vec<&str> = Category::ALL.iter().map(|s| s.code()).collect();
    let rags: Vec<&str> = Rag::ALL.iter().map(|s| s.code()).collect();
    let select = |name, label: &str, options: Vec<(String, String)>, value: &Option<String>| {
        let mut f = Field::new(name, label, FieldKind::Select(options));
        f.value = value.clone().unwrap_or_default();
        f
    };
    let all = page.t("common.all");
    let mut q = Field::new("q", page.t("project.name"), FieldKind::Text);
    q.value = query.q.clone().unwrap_or_default();
    let mut year = Field::new("year", page.t("project.year"), FieldKind::Text);
    year.value = filter.year.to_string();
    let filters = vec![
        q,
        select(
            "zone_id",
            page.t("project.zone"),
            zone_options(&state, &auth, all).await?,
            &query.zone_id,
        ),
        select(
            "stage",
            page.t("project.stage"),
            common::code_options(&page, "Stage", &stages, true),
            &query.stage,
        ),
        select(
            "category",
            page.t("project.category"),
            common::code_options(&page, "Category", &categories, true),
            &query.category,
        ),
        select(
            "rag",
            page.t("project.rag"),
            common::code_options(&page, "Rag", &rags, true),
            &query.rag,
        ),
        select(
            "registered",
            page.t("project.registered"),
            vec![
                (String::new(), all.to_owned()),
                ("yes".into(), page.t("common.yes").into()),
                ("no".into(), page.t("common.no").into()),
            ],
            &query.registered,
        ),
        year,
    ];
    // Within one zone, the zone's own lists can filter too.
    let zone_of_list = filter
        .zone_id
        .or_else(|| auth.principal.zone_path.as_ref().map(|p| p.id()));
    let mut filters = filters;
    if let Some(zone) = zone_of_list {
        let visible = state
            .store
            .org(&auth.principal.org_visibility(), zone)
            .await
            .ok();
        if let Some(zone) = visible.filter(|z| z.kind() == OrgKind::Zone) {
            let none = |items: Vec<(i64, String)>| {
                let mut options = vec![(String::new(), all.to_owned())];
                options.extend(items.into_iter().map(|(id, name)| (id.to_string(), name)));
                options
            };
            let dept_filter = OrgFilter {
                parent_id: Some(zone.id),
                kind: Some(OrgKind::Department),
                ..Default::default()
            };
            let departments = state
                .store
                .orgs(&Visibility::All, &dept_filter, 0, 200)
                .await?
                .items;
            let liaisons = state
                .store
                .users(
                    &Visibility::Subtree(zone.org_path()),
                    &UserFilter::default(),
                    0,
                    2000,
                )
                .await?
                .items
                .into_iter()
                .filter(|u| u.role() == kfq_domain::Role::Liaison)
                .map(|u| (u.id, u.display_name))
                .collect();
            let chains = state.store.industry_chains(zone.id).await?;
            filters.push(select(
                "department_id",
                page.t("project.department"),
                none(departments.into_iter().map(|d| (d.id, d.name)).collect()),
                &query.department_id,
            ));
            filters.push(select(
                "liaison_user_id",
                page.t("project.liaison"),
                none(liaisons),
                &query.liaison_user_id,
            ));
            filters.push(select(
                "industry_chain_id",
                page.t("project.industry_chain"),
                none(chains),
                &query.industry_chain_id,
            ));
        }
    }
    let sort_link = |key: &str| {
        let mut pairs = pairs.clone();
        let current = query.sort.as_deref().unwrap_or("zone") == key;
        let desc = current && query.dir.as_deref() != Some("desc");
        pairs.push(("sort", key.to_owned()));
        pairs.push(("dir", if desc { "desc".into() } else { String::new() }));
        let pairs: Vec<_> = pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect();
        format!(
            "/projects?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    };
    let column = |key: &str, sort: Option<&str>, class: &'static str| Column {
        label: page.t(key).to_owned(),
        href: sort.map(sort_link),
        class,
    };
    let columns = vec![
        column("project.rag", Some("rag"), ""),
        column("project.name", Some("name"), ""),
        column("project.zone", Some("zone"), ""),
        column("project.stage", Some("stage"), ""),
        column("project.category", None, ""),
        column(
            "project.total_investment_yi",
            Some("total_investment"),
            "num",
        ),
        column("project.planned_yi", Some("planned"), "num"),
        column("project.ytd_yi", Some("ytd"), "num"),
        column("project.completion", None, "num"),
        column("project.department", None, ""),
        column("project.liaison", None, ""),
    ];
    let zone_writable = auth.principal.role != kfq_domain::Role::Enterprise
        && auth.principal.zone_path.is_some()
        || auth.principal.role == kfq_domain::Role::SystemAdmin;
    let export_pairs: Vec<_> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .cloned()
        .collect();
    let export_href = format!(
        "/projects/export.xlsx?{}",
        serde_urlencoded::to_string(&export_pairs).unwrap_or_default()
    );
    let view = LedgerView {
        export_href,
        total_text: page.format("common.total", "n", &ledger.totals.count.to_string()),
        filters,
        columns,
        rows: ledger.page.items,
        totals: ledger.totals,
        year: filter.year,
        month: filter.month,
        prev_href,
        next_href,
        new_href: zone_writable.then(|| "/projects/new".to_owned()),
        page,
    };
    Ok(render(&view)?.into_response())
}

// ---- the project page ----

struct MonthLine {
    month: u32,
    amount: Option<MonthlyInvestment>,
    ytd: Money,
    cumulative: Money,
    completion: String,
    elapsed: String,
}

#[derive(Template)]
#[template(path = "projects/show.html")]
struct ProjectView {
    page: PageContext,
    project: Project,
    can_edit: bool,
    reasons: Vec<String>,
    stages: Vec<StageChange>,
    next_stages: Vec<(String, String)>,
    all_stages: Vec<(String, String)>,
    plans: Vec<AnnualPlan>,
    year: i32,
    plan_of_year: Option<AnnualPlan>,
    months: Vec<MonthLine>,
    chart: String,
    blockers: Vec<Blocker>,
    factors: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    departments: Vec<(String, String)>,
    today: String,
    milestones: Vec<crate::milestones::MilestoneLine>,
    template_nodes: Vec<(String, String)>,
    gantt: String,
    baselines: Vec<kfq_store::Baseline>,
}

impl ProjectView {
    fn yi(&self, yuan: &i64) -> String {
        Money::from_yuan(*yuan).yi_2()
    }

    fn opt_wan(&self, yuan: &Option<i64>) -> String {
        yuan.map(|y| Money::from_yuan(y).wan_string())
            .unwrap_or_default()
    }

    fn wan(&self, yuan: &i64) -> String {
        Money::from_yuan(*yuan).wan_string()
    }

    fn money_wan(&self, money: &Money) -> String {
        money.wan_2()
    }

    fn land(&self) -> String {
        self.project
            .land_mu_hundredths
            .map(|h| Mu::from_hundredths(h).to_string())
            .unwrap_or_default()
    }

    fn overdue(&self, blocker: &Blocker) -> bool {
        blocker.is_overdue(today())
    }
}

/// A plain SVG of the year's monthly completions (bars) against the plan's
/// straight line; drawn here so it prints and needs no script.
fn investment_chart(months: &[MonthLine], plan: Option<Money>) -> String {
    let (width, height, left, bottom) = (600_i64, 180_i64, 40_i64, 24_i64);
    let top_ytd = months.iter().map(|m| m.ytd.yuan()).max().unwrap_or(0);
    let top = plan.map(|p| p.yuan()).unwrap_or(0).max(top_ytd).max(1);
    let scale = |yuan: i64| (yuan as i128 * (height - bottom - 10) as i128 / top as i128) as i64;
    let step = (width - left) / 12;
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"100%\" role=\"img\" aria-label=\"1-12月累计完成投资\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    svg.push_str(&format!(
        "<line x1=\"{left}\" y1=\"{y}\" x2=\"{width}\" y2=\"{y}\" stroke=\"#9aa5b1\"/>",
        y = height - bottom
    ));
    for m in months {
        let x = left + (m.month as i64 - 1) * step + 4;
        let h = scale(m.ytd.yuan());
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"{}\" width=\"{}\" height=\"{h}\" fill=\"#0b5cad\"><title>{}月 1-{}月累计 {} 万元</title></rect>",
            height - bottom - h,
            step - 8,
            m.month,
            m.month,
            m.ytd.wan_2()
        ));
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#616e7c\">{}月</text>",
            x + (step - 8) / 2,
            height - 6,
            m.month
        ));
    }
    if let Some(plan) = plan {
        let y = height - bottom - scale(plan.yuan());
        svg.push_str(&format!(
            "<line x1=\"{left}\" y1=\"{}\" x2=\"{width}\" y2=\"{y}\" stroke=\"#b42318\" stroke-dasharray=\"4 3\"><title>序时进度</title></line>",
            height - bottom
        ));
        svg.push_str(&format!(
            "<text x=\"{left}\" y=\"{}\" font-size=\"11\" fill=\"#b42318\">年度计划 {} 万元</text>",
            (y - 4).max(12),
            plan.wan_2()
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[derive(Deserialize)]
struct ShowQuery {
    year: Option<String>,
    notice: Option<String>,
}

async fn project_view(
    state: &AppState,
    auth: &Auth,
    project: Project,
    year: Option<i32>,
    notice: Option<&str>,
) -> AppResult<ProjectView> {
    let page = PageContext::new(Some(auth), "projects").with_notice(notice);
    let now = today();
    let year = year.unwrap_or(now.year());
    let plans = state.store.plans(project.id).await?;
    let investments = state.store.investments(project.id).await?;
    let amounts = Store::month_amounts(&investments);
    let plan_of_year = plans.iter().find(|p| p.year == i64::from(year)).cloned();
    let planned = plan_of_year
        .as_ref()
        .map(|p| Money::from_yuan(p.planned_investment));
    let last_month = if year < now.year() {
        12
    } else if year > now.year() {
        0
    } else {
        now.month()
    };
    let months: Vec<MonthLine> = (1..=last_month.clamp(1, 12))
        .filter(|m| *m <= last_month)
        .map(|month| {
            let ytd = year_to_date(&amounts, year, month);
            MonthLine {
                month,
                amount: investments
                    .iter()
                    .find(|i| i.year == i64::from(year) && i.month == i64::from(month))
                    .cloned(),
                ytd,
                cumulative: cumulative(&amounts, year, month),
                completion: planned
                    .and_then(|p| completion_tenths(ytd, p))
                    .map(percent)
                    .unwrap_or_default(),
                elapsed: percent(elapsed_tenths(month)),
            }
        })
        .collect();
    let reasons = kfq_app::ledger::rag_reason_texts(page.catalog, &project.rag_reasons);
    let current = project.stage();
    let next_stages = Stage::ALL
        .iter()
        .filter(|s| kfq_domain::project::check_advance(current, project.furthest(), **s).is_ok())
        .map(|s| (s.code().to_owned(), page.label("Stage", s.code())))
        .collect();
    let all_stages = Stage::ALL
        .iter()
        .map(|s| (s.code().to_owned(), page.label("Stage", s.code())))
        .collect();
    let factors = BlockerFactor::ALL
        .iter()
        .map(|s| (s.code().to_owned(), page.label("BlockerFactor", s.code())))
        .collect();
    let statuses = BlockerStatus::ALL
        .iter()
        .map(|s| (s.code().to_owned(), page.label("BlockerStatus", s.code())))
        .collect();
    let dept_filter = OrgFilter {
        parent_id: Some(project.zone_id),
        kind: Some(OrgKind::Department),
        ..Default::default()
    };
    let mut departments = vec![(String::new(), page.t("common.none").to_owned())];
    departments.extend(
        state
            .store
            .orgs(&Visibility::All, &dept_filter, 0, 200)
            .await?
            .items
            .into_iter()
            .map(|d| (d.id.to_string(), d.name)),
    );
    let milestone_rows = state.store.milestones(project.id).await?;
    let calendar = kfq_app::ledger::rules::calendar(&state.store).await?;
    let milestones = crate::milestones::lines(&calendar, &milestone_rows, now);
    let template_nodes = crate::milestones::template(state, project.zone_id)
        .await?
        .into_iter()
        .map(|n| (n.key, n.name))
        .collect();
    let gantt = if milestone_rows.is_empty() {
        String::new()
    } else {
        kfq_gantt::render_svg(&crate::milestones::project_chart(
            &project,
            &milestone_rows,
            None,
            now,
        ))
    };
    Ok(ProjectView {
        milestones,
        template_nodes,
        gantt,
        baselines: state.store.baselines(project.id).await?,
        can_edit: auth.principal.can_write_zone_data(&project.zone_org_path()),
        reasons,
        stages: state.store.stage_changes(project.id).await?,
        next_stages,
        all_stages,
        chart: investment_chart(&months, planned),
        blockers: state
            .store
            .blockers(&Visibility::All, Some(project.id), None, false)
            .await?,
        plans,
        year,
        plan_of_year,
        months,
        factors,
        statuses,
        departments,
        today: now.format("%Y-%m-%d").to_string(),
        project,
        page,
    })
}

async fn show_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Query(query): Query<ShowQuery>,
) -> AppResult<Response> {
    let project = visible(&state, &auth, id).await?;
    let year = query
        .year
        .as_deref()
        .and_then(|y| y.parse().ok())
        .filter(|y| (2000..=2100).contains(y));
    let view = project_view(&state, &auth, project, year, query.notice.as_deref()).await?;
    Ok(render(&view)?.into_response())
}

/// After a refused form on the project page: the page again, with the reasons.
pub(crate) async fn project_with_errors(
    state: &AppState,
    auth: &Auth,
    id: i64,
    errors: &FieldErrors,
) -> AppResult<Response> {
    let project = visible(state, auth, id).await?;
    let mut view = project_view(state, auth, project, None, None).await?;
    let messages: Vec<String> = crate::error::field_messages(errors, view.page.catalog)
        .into_iter()
        .map(|m| m.message)
        .collect();
    view.page.notice = None;
    view.reasons.clear();
    let mut page = render(&view)?.0;
    let alert = format!(
        "<p class=\"alert\" role=\"alert\">{}</p>",
        askama::filters::escape(&messages.join(" "), askama::filters::Html)
            .map(|e| e.to_string())
            .unwrap_or_default()
    );
    page = page.replacen(
        "<main class=\"main\">",
        &format!("<main class=\"main\">{alert}"),
        1,
    );
    Ok((StatusCode::UNPROCESSABLE_ENTITY, axum::response::Html(page)).into_response())
}

/// Runs a form action of the project page: back to the page on success, the
/// page with the reasons when refused.
async fn on_project_page<T>(
    state: &AppState,
    auth: &Auth,
    id: i64,
    result: AppResult<T>,
) -> AppResult<Response> {
    match result {
        Ok(_) => Ok(see_other(&format!("/projects/{id}?notice=saved"))),
        Err(AppError::Invalid(errors)) => project_with_errors(state, auth, id, &errors).await,
        Err(other) => Err(other),
    }
}

async fn stage_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    let result = change_stage(&state, &auth, id, &input).await;
    on_project_page(&state, &auth, id, result).await
}

async fn plan_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    let result = set_plan(&state, &auth, id, &input).await;
    on_project_page(&state, &auth, id, result).await
}

async fn investment_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    let result = set_investment(&state, &auth, id, &input).await;
    on_project_page(&state, &auth, id, result).await
}

async fn blocker_create_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    let result = save_blocker(&state, &auth, Some(id), None, &input).await;
    on_project_page(&state, &auth, id, result).await
}

async fn blocker_update_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    let blocker = state
        .store
        .blocker(&auth.principal.zone_data_visibility(), id)
        .await?;
    let result = save_blocker(&state, &auth, None, Some(id), &input).await;
    on_project_page(&state, &auth, blocker.project_id, result).await
}

async fn history_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    let p = visible(&state, &auth, id).await?;
    common::history_page(
        &state,
        &auth,
        "projects",
        ("project", p.id),
        &p.name,
        format!("/projects/{}", p.id),
    )
    .await
}

// ---- the project form ----

const FIELDS: &[&str] = &[
    "version",
    "zone_id",
    "name",
    "stage",
    "enterprise_id",
    "investor",
    "category",
    "nature",
    "industry_chain_id",
    "total_investment",
    "land_mu",
    "floor_area_m2",
    "construction_content",
    "annual_output",
    "annual_tax",
    "jobs",
    "registered",
    "registered_on",
    "liaison_user_id",
    "department_id",
    "task_force",
    "project_code",
];

async fn project_form(
    state: &AppState,
    auth: &Auth,
    zone_id: Option<i64>,
    creating: bool,
) -> AppResult<FormFields> {
    let page = PageContext::new(Some(auth), "projects");
    let zones: Vec<(String, String)> = zone_options(state, auth, "").await?;
    let zone_id = zone_id.or_else(|| {
        (zones.len() == 2)
            .then(|| zones[1].0.parse().ok())
            .flatten()
    });
    // The pickers list a zone's enterprises, departments and people: only for a
    // zone the caller may write to, whatever the submitted form said.
    let zone_id = match zone_id {
        Some(zone) if writable_zone(state, auth, zone).await.is_ok() => Some(zone),
        _ => None,
    };
    let opt = |items: Vec<(i64, String)>| {
        let mut options = vec![(String::new(), page.t("common.none").to_owned())];
        options.extend(items.into_iter().map(|(id, name)| (id.to_string(), name)));
        options
    };
    let (mut enterprises, mut chains, mut departments, mut liaisons) =
        (vec![], vec![], vec![], vec![]);
    if let Some(zone) = zone_id {
        let all = Visibility::All;
        enterprises = state
            .store
            .enterprises(
                &all,
                &EnterpriseFilter {
                    zone_id: Some(zone),
                    ..Default::default()
                },
                0,
                2000,
            )
            .await?
            .items
            .into_iter()
            .map(|e| (e.id, e.name))
            .collect();
        chains = state.store.industry_chains(zone).await?;
        departments = state
            .store
            .orgs(
                &all,
                &OrgFilter {
                    parent_id: Some(zone),
                    kind: Some(OrgKind::Department),
                    ..Default::default()
                },
                0,
                200,
            )
            .await?
            .items
            .into_iter()
            .map(|d| (d.id, d.name))
            .collect();
        let zone_path = state.store.org(&all, zone).await?.org_path();
        liaisons = state
            .store
            .users(
                &Visibility::Subtree(zone_path),
                &UserFilter::default(),
                0,
                2000,
            )
            .await?
            .items
            .into_iter()
            .filter(|u| u.role() != kfq_domain::Role::Enterprise)
            .map(|u| (u.id, u.display_name))
            .collect();
    }
    let codes = |family: &str, codes: Vec<&str>| common::code_options(&page, family, &codes, false);
    let mut fields = vec![
        Field::new("version", "", FieldKind::Hidden),
        Field::new("zone_id", page.t("project.zone"), FieldKind::Select(zones)).required(),
        Field::new("name", page.t("project.name"), FieldKind::Text).required(),
    ];
    if creating {
        fields.push(Field::new(
            "stage",
            page.t("project.stage"),
            FieldKind::Select(codes(
                "Stage",
                Stage::MAIN_LINE.iter().map(|s| s.code()).collect(),
            )),
        ));
    }
    fields.extend([
        Field::new(
            "enterprise_id",
            page.t("project.enterprise"),
            FieldKind::Select(opt(enterprises)),
        ),
        Field::new("investor", page.t("project.investor"), FieldKind::Text),
        Field::new(
            "category",
            page.t("project.category"),
            FieldKind::Select(codes(
                "Category",
                Category::ALL.iter().map(|s| s.code()).collect(),
            )),
        )
        .required(),
        Field::new(
            "nature",
            page.t("project.nature"),
            FieldKind::Select(codes(
                "Nature",
                Nature::ALL.iter().map(|s| s.code()).collect(),
            )),
        )
        .required(),
        Field::new(
            "industry_chain_id",
            page.t("project.industry_chain"),
            FieldKind::Select(opt(chains)),
        ),
        Field::new(
            "total_investment",
            page.t("project.total_investment_wan"),
            FieldKind::Text,
        )
        .required(),
        Field::new("land_mu", page.t("project.land_mu"), FieldKind::Text),
        Field::new(
            "floor_area_m2",
            page.t("project.floor_area_m2"),
            FieldKind::Text,
        ),
        Field::new(
            "construction_content",
            page.t("project.construction_content"),
            FieldKind::Text,
        ),
        Field::new(
            "annual_output",
            page.t("project.annual_output_wan"),
            FieldKind::Text,
        ),
        Field::new(
            "annual_tax",
            page.t("project.annual_tax_wan"),
            FieldKind::Text,
        ),
        Field::new("jobs", page.t("project.jobs"), FieldKind::Text),
        Field::new(
            "registered",
            page.t("project.registered"),
            FieldKind::Checkbox,
        ),
        Field::new(
            "registered_on",
            page.t("project.registered_on"),
            FieldKind::Text,
        ),
        Field::new(
            "liaison_user_id",
            page.t("project.liaison"),
            FieldKind::Select(opt(liaisons)),
        ),
        Field::new(
            "department_id",
            page.t("project.department"),
            FieldKind::Select(opt(departments)),
        ),
        Field::new("task_force", page.t("project.task_force"), FieldKind::Text),
        Field::new(
            "project_code",
            page.t("project.project_code"),
            FieldKind::Text,
        ),
    ]);
    Ok(FormFields::new(fields))
}

fn project_values(p: &Project) -> HashMap<&'static str, String> {
    let wan = |y: Option<i64>| {
        y.map(|y| Money::from_yuan(y).wan_string())
            .unwrap_or_default()
    };
    let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    HashMap::from([
        ("version", p.version.to_string()),
        ("zone_id", p.zone_id.to_string()),
        ("name", p.name.clone()),
        ("enterprise_id", id(p.enterprise_id)),
        ("investor", p.investor.clone().unwrap_or_default()),
        ("category", p.category.clone()),
        ("nature", p.nature.clone()),
        ("industry_chain_id", id(p.industry_chain_id)),
        (
            "total_investment",
            Money::from_yuan(p.total_investment).wan_string(),
        ),
        (
            "land_mu",
            p.land_mu_hundredths
                .map(|h| Mu::from_hundredths(h).to_string())
                .unwrap_or_default(),
        ),
        ("floor_area_m2", id(p.floor_area_m2)),
        (
            "construction_content",
            p.construction_content.clone().unwrap_or_default(),
        ),
        ("annual_output", wan(p.annual_output)),
        ("annual_tax", wan(p.annual_tax)),
        ("jobs", id(p.jobs)),
        (
            "registered",
            if p.registered != 0 {
                "on".into()
            } else {
                String::new()
            },
        ),
        ("registered_on", p.registered_on.clone().unwrap_or_default()),
        ("liaison_user_id", id(p.liaison_user_id)),
        ("department_id", id(p.department_id)),
        ("task_force", p.task_force.clone().unwrap_or_default()),
        ("project_code", p.project_code.clone().unwrap_or_default()),
    ])
}

fn input_values(input: &Input) -> HashMap<&'static str, String> {
    FIELDS.iter().map(|k| (*k, input.text(k))).collect()
}

async fn form_response(
    state: &AppState,
    auth: &Auth,
    (title, action, cancel): (String, String, String),
    zone_id: Option<i64>,
    creating: bool,
    values: &HashMap<&'static str, String>,
    errors: Option<&FieldErrors>,
) -> AppResult<Response> {
    let page = PageContext::new(Some(auth), "projects");
    let mut fields = project_form(state, auth, zone_id, creating)
        .await?
        .fill(values);
    if let Some(errors) = errors {
        fields = fields.errors(errors, &page);
    }
    let view = FormView {
        title,
        action,
        fields: fields.fields,
        cancel_href: cancel,
        message: errors.map(|_| page.t("error.invalid").to_owned()),
        page,
    };
    let status = if errors.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&view)?).into_response())
}

#[derive(Deserialize)]
struct NewQuery {
    zone_id: Option<String>,
}

async fn new_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<NewQuery>,
) -> AppResult<Response> {
    let zone_id = query
        .zone_id
        .as_deref()
        .and_then(|z| z.parse().ok())
        .or_else(|| {
            auth.principal
                .zone_path
                .as_ref()
                .map(|p| p.ids()[p.ids().len() - 1])
        });
    let zone_id = match zone_id {
        Some(z) => Some(writable_zone(&state, &auth, z).await?.id),
        None => {
            allow(auth.principal.role == kfq_domain::Role::SystemAdmin)?;
            None
        }
    };
    let title = PageContext::new(Some(&auth), "")
        .t("project.new")
        .to_owned();
    let mut values = HashMap::from([
        ("category", Category::Industrial.code().to_owned()),
        ("nature", Nature::New.code().to_owned()),
    ]);
    if let Some(z) = zone_id {
        values.insert("zone_id", z.to_string());
    }
    form_response(
        &state,
        &auth,
        (title, "/projects".into(), "/projects".into()),
        zone_id,
        true,
        &values,
        None,
    )
    .await
}

async fn create_page(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    match create(&state, &auth, &input).await {
        Ok(p) => Ok(see_other(&format!("/projects/{}?notice=saved", p.id))),
        Err(AppError::Invalid(errors)) => {
            let title = PageContext::new(Some(&auth), "")
                .t("project.new")
                .to_owned();
            let zone = input.text("zone_id").parse().ok();
            form_response(
                &state,
                &auth,
                (title, "/projects".into(), "/projects".into()),
                zone,
                true,
                &input_values(&input),
                Some(&errors),
            )
            .await
        }
        Err(other) => Err(other),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    let p = editable(&state, &auth, id).await?;
    let title = format!(
        "{}：{}",
        PageContext::new(Some(&auth), "").t("project.edit"),
        p.name
    );
    let links = (
        title,
        format!("/projects/{id}/edit"),
        format!("/projects/{id}"),
    );
    form_response(
        &state,
        &auth,
        links,
        Some(p.zone_id),
        false,
        &project_values(&p),
        None,
    )
    .await
}

async fn update_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    match update(&state, &auth, id, &input).await {
        Ok(p) => Ok(see_other(&format!("/projects/{}?notice=saved", p.id))),
        Err(AppError::Invalid(errors)) => {
            let p = editable(&state, &auth, id).await?;
            let title = format!(
                "{}：{}",
                PageContext::new(Some(&auth), "").t("project.edit"),
                p.name
            );
            let links = (
                title,
                format!("/projects/{id}/edit"),
                format!("/projects/{id}"),
            );
            form_response(
                &state,
                &auth,
                links,
                Some(p.zone_id),
                false,
                &input_values(&input),
                Some(&errors),
            )
            .await
        }
        Err(other) => Err(other),
    }
}

async fn delete_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    editable(&state, &auth, id).await?;
    let mut e = FieldErrors::new();
    let expected = common::version(&input, &mut e);
    e.into_result()?;
    state
        .store
        .delete_project(&auth.actor(), id, expected)
        .await?;
    Ok(see_other("/projects?notice=deleted"))
}

// ---- export ----

/// The ledger in view (same filters) as the workbook zones send upward.
async fn export_xlsx(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<LedgerQuery>,
) -> AppResult<Response> {
    let filter = ledger_filter(&query)?;
    let ledger = state
        .store
        .ledger(&auth.principal.zone_data_visibility(), &filter, 0, 100_000)
        .await?;
    let page = PageContext::new(Some(&auth), "projects");
    let scope = match filter.zone_id {
        Some(zone) => state
            .store
            .org(&auth.principal.org_visibility(), zone)
            .await
            .map(|z| z.name)
            .unwrap_or_default(),
        None => state
            .store
            .own_account(auth.user.user_id)
            .await
            .map(|u| u.org_unit_name)
            .unwrap_or_default(),
    };
    let title = format!("{scope}{}年重点项目推进台账", filter.year);
    let bytes =
        kfq_app::ledger::export::workbook(page.catalog, &title, &filter, ledger.page.items).await?;
    Ok(crate::common::attachment(
        bytes,
        &format!("{title}.xlsx"),
        "ledger.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ))
}

// ---- 当年签约、当年开工、当年投产 ----

/// A project that was signed, started and put into production in one year.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FastPathProject {
    pub id: i64,
    pub name: String,
    pub zone_name: String,
    pub total_investment: i64,
    pub signed_on: Option<String>,
    pub started_on: Option<String>,
    pub producing_on: Option<String>,
}

async fn fast_path(
    state: &AppState,
    auth: &Auth,
    year: Option<&str>,
) -> AppResult<(i32, Vec<FastPathProject>)> {
    let year = match year.map(str::trim).filter(|y| !y.is_empty()) {
        Some(y) => y
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| AppError::Invalid(FieldErrors::single("year", "error.year")))?,
        None => today().year(),
    };
    let visibility = auth.principal.zone_data_visibility();
    let mut out = Vec::new();
    for id in state.store.same_year_fast_path(&visibility, year).await? {
        let project = state.store.project(&visibility, id).await?;
        let changes = state.store.stage_changes(id).await?;
        let on = |stage: Stage| {
            changes
                .iter()
                .filter(|c| {
                    c.correction == 0
                        && c.to_stage == stage.code()
                        && c.on_date.starts_with(&year.to_string())
                })
                .map(|c| c.on_date.clone())
                .next()
        };
        out.push(FastPathProject {
            signed_on: on(Stage::Signed),
            started_on: on(Stage::Started),
            producing_on: on(Stage::Producing),
            id,
            name: project.name,
            zone_name: project.zone_name,
            total_investment: project.total_investment,
        });
    }
    Ok((year, out))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearOnly {
    pub year: Option<String>,
}

async fn fast_path_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<YearOnly>,
) -> AppResult<Response> {
    let (year, projects) = fast_path(&state, &auth, q.year.as_deref()).await?;
    let page = PageContext::new(Some(&auth), "projects");
    let rows = projects
        .iter()
        .map(|p| {
            vec![
                crate::views::Cell::link(&p.name, format!("/projects/{}", p.id)),
                crate::views::Cell::text(&p.zone_name),
                crate::views::Cell::text(Money::from_yuan(p.total_investment).yi_2()).class("num"),
                crate::views::Cell::text(p.signed_on.clone().unwrap_or_default()),
                crate::views::Cell::text(p.started_on.clone().unwrap_or_default()),
                crate::views::Cell::text(p.producing_on.clone().unwrap_or_default()),
            ]
        })
        .collect();
    let mut year_field = Field::new("year", page.t("project.year"), FieldKind::Text);
    year_field.value = year.to_string();
    let view = crate::views::ListView {
        title: format!("{}（{year}）", page.t("project.fast_path")),
        new_href: None,
        filters: vec![year_field],
        filter_action: "/projects/fast-path".into(),
        headers: [
            "project.name",
            "project.zone",
            "project.total_investment_yi",
            "Stage.signed",
            "Stage.started",
            "Stage.producing",
        ]
        .iter()
        .map(|k| page.t(k).to_owned())
        .collect(),
        total: page.format("common.total", "n", &projects.len().to_string()),
        rows,
        prev_href: None,
        next_href: None,
        page,
    };
    Ok(render(&view)?.into_response())
}

#[utoipa::path(get, path = "/api/v1/projects/fast-path", tag = "projects", params(YearOnly),
    responses((status = 200, body = Vec<FastPathProject>), (status = 422, body = ApiErrorDoc)))]
pub async fn api_fast_path(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<YearOnly>,
) -> AppResult<Json<Vec<FastPathProject>>> {
    Ok(Json(fast_path(&state, &auth, q.year.as_deref()).await?.1))
}

// ---- API ----

/// Body of a project create or update. Money in 万元 (text or number), land in 亩.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ProjectBody {
    zone_id: i64,
    name: String,
    /// Create only: the stage it starts in (default planning).
    stage: Option<String>,
    enterprise_id: Option<i64>,
    investor: Option<String>,
    /// industrial, infrastructure, social.
    category: String,
    /// new, continuing, preliminary.
    nature: String,
    industry_chain_id: Option<i64>,
    /// 总投资, 万元.
    total_investment: String,
    /// 用地, 亩.
    land_mu: Option<String>,
    floor_area_m2: Option<i64>,
    construction_content: Option<String>,
    /// 万元.
    annual_output: Option<String>,
    /// 万元.
    annual_tax: Option<String>,
    jobs: Option<i64>,
    registered: Option<bool>,
    registered_on: Option<String>,
    liaison_user_id: Option<i64>,
    department_id: Option<i64>,
    task_force: Option<String>,
    project_code: Option<String>,
    /// Update only.
    version: Option<i64>,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct StageBody {
    stage: String,
    /// The day the stage was reached (YYYY-MM-DD).
    date: String,
    /// A correction (any direction) needs a reason.
    correction: Option<bool>,
    reason: Option<String>,
    version: i64,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct PlanBody {
    year: i32,
    /// 年度计划投资, 万元.
    planned_investment: String,
    target_start: Option<String>,
    target_completion: Option<String>,
    target_production: Option<String>,
    /// To change an existing plan: its version.
    version: Option<i64>,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct InvestmentBody {
    year: i32,
    month: u32,
    /// 当月完成投资, 万元.
    amount: String,
    note: Option<String>,
    /// To correct a reported month: its version.
    version: Option<i64>,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct BlockerBody {
    /// land, planning, eia, energy, water, power, gas, road, funding, labour, procedures, other.
    factor: String,
    description: String,
    raised_on: String,
    department_id: Option<i64>,
    deadline: Option<String>,
    /// open, in_progress, resolved.
    status: Option<String>,
    resolution: Option<String>,
    resolved_on: Option<String>,
    /// Update only.
    version: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", params(LedgerQuery),
    responses((status = 200, body = Ledger), (status = 422, body = ApiErrorDoc)))]
pub async fn api_ledger(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<LedgerQuery>,
) -> AppResult<Json<Ledger>> {
    let paging = Paging::from_query(query.page.as_deref(), query.per_page.as_deref());
    let filter = ledger_filter(&query)?;
    Ok(Json(
        state
            .store
            .ledger(
                &auth.principal.zone_data_visibility(),
                &filter,
                paging.offset(),
                paging.per_page,
            )
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/projects", tag = "projects", request_body = ProjectBody,
    responses((status = 201, body = Project), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_create(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    Ok((
        StatusCode::CREATED,
        Json(create(&state, &auth, &input).await?),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/projects/{project_id}", tag = "projects", params(("project_id" = i64, Path)),
    responses((status = 200, body = Project), (status = 404, body = ApiErrorDoc)))]
pub async fn api_get(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Project>> {
    Ok(Json(visible(&state, &auth, id).await?))
}

#[utoipa::path(put, path = "/api/v1/projects/{project_id}", tag = "projects", params(("project_id" = i64, Path)), request_body = ProjectBody,
    responses((status = 200, body = Project), (status = 404, body = ApiErrorDoc), (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_update(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Json<Project>> {
    Ok(Json(update(&state, &auth, id, &input).await?))
}

#[utoipa::path(delete, path = "/api/v1/projects/{project_id}", tag = "projects", params(("project_id" = i64, Path), VersionQuery),
    responses((status = 204), (status = 404, body = ApiErrorDoc), (status = 409, body = ApiErrorDoc)))]
pub async fn api_delete(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Query(query): Query<VersionQuery>,
) -> AppResult<Response> {
    editable(&state, &auth, id).await?;
    state
        .store
        .delete_project(&auth.actor(), id, query.required()?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(get, path = "/api/v1/projects/{project_id}/history", tag = "projects", params(("project_id" = i64, Path)),
    responses((status = 200, body = Vec<AuditEntry>), (status = 404, body = ApiErrorDoc)))]
pub async fn api_history(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Vec<AuditEntry>>> {
    let p = visible(&state, &auth, id).await?;
    Ok(Json(
        state
            .store
            .audit_history(&Visibility::All, "project", p.id)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/projects/{project_id}/stages", tag = "projects", params(("project_id" = i64, Path)),
    responses((status = 200, body = Vec<StageChange>), (status = 404, body = ApiErrorDoc)))]
pub async fn api_stages(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Vec<StageChange>>> {
    let p = visible(&state, &auth, id).await?;
    Ok(Json(state.store.stage_changes(p.id).await?))
}

#[utoipa::path(post, path = "/api/v1/projects/{project_id}/stage", tag = "projects", params(("project_id" = i64, Path)), request_body = StageBody,
    responses((status = 200, body = Project), (status = 404, body = ApiErrorDoc), (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_stage(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Json<Project>> {
    Ok(Json(change_stage(&state, &auth, id, &input).await?))
}

#[utoipa::path(get, path = "/api/v1/projects/{project_id}/plans", tag = "projects", params(("project_id" = i64, Path)),
    responses((status = 200, body = Vec<AnnualPlan>), (status = 404, body = ApiErrorDoc)))]
pub async fn api_plans(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Vec<AnnualPlan>>> {
    let p = visible(&state, &auth, id).await?;
    Ok(Json(state.store.plans(p.id).await?))
}

#[utoipa::path(post, path = "/api/v1/projects/{project_id}/plans", tag = "projects", params(("project_id" = i64, Path)), request_body = PlanBody,
    responses((status = 200, body = AnnualPlan), (status = 404, body = ApiErrorDoc), (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_plan(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Json<AnnualPlan>> {
    Ok(Json(set_plan(&state, &auth, id, &input).await?))
}

#[utoipa::path(get, path = "/api/v1/projects/{project_id}/investments", tag = "projects", params(("project_id" = i64, Path)),
    responses((status = 200, body = Vec<MonthlyInvestment>), (status = 404, body = ApiErrorDoc)))]
pub async fn api_investments(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Vec<MonthlyInvestment>>> {
    let p = visible(&state, &auth, id).await?;
    Ok(Json(state.store.investments(p.id).await?))
}

#[utoipa::path(post, path = "/api/v1/projects/{project_id}/investments", tag = "projects", params(("project_id" = i64, Path)), request_body = InvestmentBody,
    responses((status = 200, body = MonthlyInvestment), (status = 404, body = ApiErrorDoc), (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_investment(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Json<MonthlyInvestment>> {
    Ok(Json(set_investment(&state, &auth, id, &input).await?))
}

#[utoipa::path(get, path = "/api/v1/projects/{project_id}/blockers", tag = "projects", params(("project_id" = i64, Path)),
    responses((status = 200, body = Vec<Blocker>), (status = 404, body = ApiErrorDoc)))]
pub async fn api_blockers(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Vec<Blocker>>> {
    let p = visible(&state, &auth, id).await?;
    Ok(Json(
        state
            .store
            .blockers(&Visibility::All, Some(p.id), None, false)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/projects/{project_id}/blockers", tag = "projects", params(("project_id" = i64, Path)), request_body = BlockerBody,
    responses((status = 201, body = Blocker), (status = 404, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_blocker_create(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    Ok((
        StatusCode::CREATED,
        Json(save_blocker(&state, &auth, Some(id), None, &input).await?),
    )
        .into_response())
}

#[utoipa::path(put, path = "/api/v1/blockers/{blocker_id}", tag = "projects", params(("blocker_id" = i64, Path)), request_body = BlockerBody,
    responses((status = 200, body = Blocker), (status = 404, body = ApiErrorDoc), (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_blocker_update(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Json<Blocker>> {
    Ok(Json(
        save_blocker(&state, &auth, None, Some(id), &input).await?,
    ))
}
