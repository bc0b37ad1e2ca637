//! Leads: the pipeline page with its funnel, a lead's page, its form and its
//! stage moves, and their API twins.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kfq_app::attraction::{self as use_case, LeadTarget, RulesBook};
use kfq_app::clock::today;
use kfq_attraction::{AgreementKind, LeadStage, Source};
use kfq_domain::validation::{optional_text, required_text};
use kfq_domain::{CreditCode, FieldErrors, Money, Mu, Visibility};
use kfq_store::{
    InvestorFilter, Lead, LeadFilter, LeadInput, LeadMember, LeadStageChange, Page, StageCount,
    StageMove, UserFilter,
};
use serde::{Deserialize, Serialize};

use super::{code_options, search_and_zone, working_zones, zone_options, zones};
use crate::auth::Auth;
use crate::common::{self, form_post, version, PathId};
use crate::error::{ApiErrorDoc, AppResult};
use crate::input::{Amount, Body, Input};
use crate::layout::{render, PageContext};
use crate::openapi::codes;
use crate::routes::Routes;
use crate::state::AppState;
use crate::views::{Field, FieldKind, FormFields, FormHeading, FormView, Paging};

pub fn routes() -> Routes {
    Routes::new()
        .get("/attraction", pipeline_page)
        .get("/attraction/leads/new", new_page)
        .post("/attraction/leads", create_page)
        .get("/attraction/leads/{lead_id}", show_page)
        .get("/attraction/leads/{lead_id}/edit", edit_page)
        .post("/attraction/leads/{lead_id}/edit", update_page)
        .get("/attraction/leads/{lead_id}/stage", stage_page)
        .post("/attraction/leads/{lead_id}/stage", move_page)
        .get("/attraction/leads/{lead_id}/history", history_page)
        .get("/attraction/export.xlsx", export_xlsx)
        .get("/api/v1/attraction/leads", api_list)
        .post("/api/v1/attraction/leads", api_create)
        .get("/api/v1/attraction/leads/{lead_id}", api_get)
        .put("/api/v1/attraction/leads/{lead_id}", api_update)
        .post("/api/v1/attraction/leads/{lead_id}/stage", api_move)
        .get("/api/v1/attraction/leads/{lead_id}/stages", api_stages)
}

/// The 招商项目台账 as it goes upward (在谈 and 签约 sheets), narrowed by the
/// pipeline's filters; its twin is the list.
async fn export_xlsx(
    crate::reads::Reads(state): crate::reads::Reads,
    auth: Auth,
    Query(query): Query<LeadQuery>,
) -> AppResult<Response> {
    let bytes = use_case::ledger_workbook(
        &state.store,
        &auth.principal,
        &filter(&query)?,
        kfq_app::clock::today(),
    )
    .await?;
    let name = kfq_app::i18n::Catalog::zh().format(
        "attraction.file.workbook_name",
        &[("on", &kfq_app::clock::today().to_string())],
    );
    Ok(common::attachment(
        bytes,
        &name,
        "attraction.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ))
}

/// The pipeline's filters.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct LeadQuery {
    /// Lead or investor name contains these words.
    pub q: Option<String>,
    pub zone_id: Option<String>,
    /// One stage only.
    #[param(schema_with = codes::lead_stage)]
    pub stage: Option<String>,
    pub investor_id: Option<String>,
    /// Signed in this year and not ended.
    pub signed_in: Option<String>,
    /// Started in this year.
    pub started_in: Option<String>,
    /// The investor's origin.
    #[param(schema_with = codes::investor_origin)]
    pub origin: Option<String>,
    /// Signed for at least this many 万元.
    pub min_signed: Option<String>,
    /// Page number, from 1.
    pub page: Option<String>,
    /// Items a page (1–500, default 50).
    pub per_page: Option<String>,
    #[param(ignore)]
    pub notice: Option<String>,
}

fn filter(query: &LeadQuery) -> AppResult<LeadFilter> {
    let stage = match query.stage.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => Some(LeadStage::from_code(code).ok_or_else(|| {
            crate::error::AppError::Invalid(FieldErrors::single("stage", "error.choice"))
        })?),
    };
    Ok(LeadFilter {
        zone_id: common::ListQuery::id(&query.zone_id, "zone_id")?,
        stage,
        investor_id: common::ListQuery::id(&query.investor_id, "investor_id")?,
        owner_id: None,
        name_contains: query.q.clone().filter(|q| !q.trim().is_empty()),
        signed_in: year_of(&query.signed_in, "signed_in")?,
        started_in: year_of(&query.started_in, "started_in")?,
        origin: match query.origin.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) => Some(kfq_attraction::Origin::from_code(code).ok_or_else(|| {
                crate::error::AppError::Invalid(FieldErrors::single("origin", "error.choice"))
            })?),
        },
        min_signed: match query.min_signed.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(Money::parse_wan_non_negative(text).map_err(|key| {
                crate::error::AppError::Invalid(FieldErrors::single("min_signed", key))
            })?),
        },
        under: None,
    })
}

fn year_of(text: &Option<String>, field: &str) -> AppResult<Option<i32>> {
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => kfq_domain::validation::parse_year(text)
            .map_err(|key| crate::error::AppError::Invalid(FieldErrors::single(field, key))),
    }
}

/// The page of the pipeline the caller asked for, with its funnel, as the
/// page and its JSON twin both show it. Above a zone the funnel counts each
/// project once: a lead whose investor another zone holds as 首谈 is left
/// out of it.
async fn asked_pipeline(
    state: &AppState,
    auth: &Auth,
    query: &LeadQuery,
) -> AppResult<(Paging, Page<Lead>, Vec<StageCount>)> {
    let paging = Paging::from_query(query.page.as_deref(), query.per_page.as_deref());
    let counts_once = auth.principal.zone_path.is_none();
    let (page, stages) = state
        .store
        .pipeline(
            &auth.principal.lead_sight(),
            &filter(query)?,
            counts_once,
            (paging.offset(), paging.per_page),
        )
        .await?;
    Ok((paging, page, stages))
}

// ---- parsing shared by pages and API ----

const FIELDS: &[&str] = &[
    "version",
    "zone_id",
    "name",
    "investor_id",
    "industry_chain_id",
    "chain_node",
    "investment",
    "land_mu",
    "energy_tce",
    "expected_output",
    "expected_tax",
    "expected_jobs",
    "source",
    "referrer",
    "owner_id",
    "task_force",
    "registered_on",
    "increase_of",
    "members",
];

/// A lead as typed; `zone` when it is already placed (an edit keeps it).
fn parse(input: &Input, zone: Option<i64>) -> Result<LeadInput, FieldErrors> {
    let mut e = FieldErrors::new();
    let zone_id = zone.or_else(|| input.int("zone_id", &mut e));
    let name = e.check("name", required_text(&input.text("name"), 100));
    let investor_id = input.int("investor_id", &mut e);
    let industry_chain_id = input.opt_int("industry_chain_id", &mut e);
    let chain_node = e.check("chain_node", optional_text(&input.text("chain_node"), 50));
    let investment = e.check(
        "investment",
        Money::parse_wan_non_negative(&input.text("investment")),
    );
    let land = match input.text("land_mu").trim() {
        "" => None,
        text => e.check("land_mu", Mu::parse(text)),
    };
    let energy_tce = non_negative(input, "energy_tce", &mut e);
    let expected_output = input.opt_money("expected_output", &mut e);
    let expected_tax = input.opt_money("expected_tax", &mut e);
    let expected_jobs = non_negative(input, "expected_jobs", &mut e);
    let source = input.choice("source", Source::from_code, &mut e);
    let referrer = e.check("referrer", optional_text(&input.text("referrer"), 100));
    let owner_id = input.opt_int("owner_id", &mut e);
    let task_force = e.check("task_force", optional_text(&input.text("task_force"), 100));
    let members = input.ids("members", &mut e);
    let registered_on = match input.text("registered_on").trim() {
        "" => Some(today()),
        _ => input.date("registered_on", &mut e),
    };
    if registered_on.is_some_and(|d| d > today()) {
        e.add("registered_on", "error.lead.future_date");
    }
    let increase_of = input.opt_int("increase_of", &mut e);
    e.into_result()?;
    match (
        zone_id,
        name,
        investor_id,
        investment,
        source,
        registered_on,
    ) {
        (
            Some(zone_id),
            Some(name),
            Some(investor_id),
            Some(investment),
            Some(source),
            Some(registered_on),
        ) => Ok(LeadInput {
            zone_id,
            name,
            investor_id,
            industry_chain_id,
            chain_node: chain_node.flatten(),
            investment,
            land,
            energy_tce,
            expected_output,
            expected_tax,
            expected_jobs,
            source,
            referrer: referrer.flatten(),
            owner_id,
            task_force: task_force.flatten(),
            members,
            registered_on,
            increase_of,
        }),
        _ => Err(FieldErrors::single("name", "error.required")),
    }
}

fn non_negative(input: &Input, key: &str, e: &mut FieldErrors) -> Option<i64> {
    let value = input.opt_int(key, e);
    if value.is_some_and(|v| v < 0) {
        e.add(key, "error.money.negative");
        return None;
    }
    value
}

fn parse_move(input: &Input) -> Result<StageMove, FieldErrors> {
    let mut e = FieldErrors::new();
    let to = input.choice("stage", LeadStage::from_code, &mut e);
    let on = match input.text("on").trim() {
        "" => Some(today()),
        _ => input.date("on", &mut e),
    };
    let note = e.check("note", optional_text(&input.text("note"), 500));
    let signed_on = input.opt_date("signed_on", &mut e);
    let signed_amount = match input.text("signed_amount").trim() {
        "" => None,
        text => e.check("signed_amount", Money::parse_wan(text)),
    };
    let agreement = input.opt_choice("agreement", AgreementKind::from_code, &mut e);
    let agreement_docs = e.check(
        "agreement_docs",
        optional_text(&input.text("agreement_docs"), 200),
    );
    let enterprise_name = e.check(
        "enterprise_name",
        optional_text(&input.text("enterprise_name"), 100),
    );
    let enterprise_credit_code = match input.text("enterprise_credit_code").trim() {
        "" => None,
        text => e.check("enterprise_credit_code", CreditCode::parse(text)),
    };
    let started_on = input.opt_date("started_on", &mut e);
    let produced_on = input.opt_date("produced_on", &mut e);
    let terminated_reason = e.check(
        "terminated_reason",
        optional_text(&input.text("terminated_reason"), 200),
    );
    e.into_result()?;
    match (to, on) {
        (Some(to), Some(on)) => Ok(StageMove {
            to,
            on,
            note: note.flatten(),
            signed_on,
            signed_amount,
            agreement,
            agreement_docs: agreement_docs.flatten(),
            enterprise_name: enterprise_name.flatten(),
            enterprise_credit_code,
            started_on,
            produced_on,
            terminated_reason: terminated_reason.flatten(),
        }),
        _ => Err(FieldErrors::single("stage", "error.required")),
    }
}

async fn target(state: &AppState, auth: &Auth, id: i64) -> AppResult<LeadTarget> {
    Ok(LeadTarget::check(&state.store, &auth.principal, id).await?)
}

async fn create(state: &AppState, auth: &Auth, input: &Input) -> AppResult<Lead> {
    let lead = parse(input, None)?;
    Ok(use_case::create_lead(&state.store, &auth.principal, &auth.actor(), &lead).await?)
}

/// Parses everything before refusing, so that one answer names every field.
fn with_version<T>(input: &Input, parsed: Result<T, FieldErrors>) -> Result<(i64, T), FieldErrors> {
    let mut errors = FieldErrors::new();
    let expected = version(input, &mut errors);
    match parsed {
        Ok(value) => errors.into_result().map(|()| (expected, value)),
        Err(mut more) => {
            more.0.extend(errors.0);
            Err(more)
        }
    }
}

async fn update(state: &AppState, auth: &Auth, id: i64, input: &Input) -> AppResult<Lead> {
    let target = target(state, auth, id).await?;
    let (expected, lead) = with_version(input, parse(input, Some(target.lead().zone_id)))?;
    Ok(use_case::update_lead(&state.store, &auth.actor(), &target, expected, &lead).await?)
}

async fn move_stage(state: &AppState, auth: &Auth, id: i64, input: &Input) -> AppResult<Lead> {
    let target = target(state, auth, id).await?;
    let (expected, step) = with_version(input, parse_move(input))?;
    Ok(use_case::move_lead(
        &state.store,
        &auth.actor(),
        &target,
        expected,
        &step,
        today(),
    )
    .await?)
}

// ---- pages ----

#[derive(Template)]
#[template(path = "attraction/pipeline.html")]
struct PipelineView {
    page: PageContext,
    stages: Vec<StageCount>,
    leads: Vec<Lead>,
    filters: Vec<Field>,
    stage_chosen: String,
    query_base: String,
    /// The board's figure this list was opened on, kept as hidden fields.
    figure: Vec<(&'static str, String)>,
    book: RulesBook,
    can_create: bool,
    total: String,
    prev_href: Option<String>,
    next_href: Option<String>,
}

impl LeadView {
    fn wan(&self, m: &Money) -> String {
        m.wan_2()
    }
}

impl PipelineView {
    fn wan(&self, m: &Money) -> String {
        m.wan_2()
    }

    fn yi(&self, m: &Money) -> String {
        m.yi_2()
    }

    /// The funnel's first card: every stage together.
    fn all_leads(&self) -> i64 {
        self.stages.iter().map(|s| s.leads).sum()
    }

    fn all_investment_yi(&self) -> String {
        self.stages
            .iter()
            .map(|s| s.investment)
            .sum::<Money>()
            .yi_2()
    }

    fn filtered(&self) -> bool {
        !self.stage_chosen.is_empty() || self.filters.iter().any(|f| !f.value.is_empty())
    }

    /// Days a lead is late with its follow-up or 研判, if any.
    fn late(&self, lead: &Lead) -> Option<i64> {
        use_case::overdue(&self.book, lead, today())
            .iter()
            .map(|o| o.days())
            .max()
    }
}

async fn pipeline_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<LeadQuery>,
) -> AppResult<Response> {
    let page = PageContext::new(Some(&auth), "attraction").with_notice(query.notice.as_deref());
    let (paging, result, stages) = asked_pipeline(&state, &auth, &query).await?;
    let zones = zones(&state, &auth).await?;
    let filters = search_and_zone(&page, &zones, &query.q, &query.zone_id);
    let stage_chosen = query.stage.clone().unwrap_or_default();
    // The figure a board link opened the pipeline on stays through its pages.
    let figure: Vec<(&'static str, String)> = [
        ("signed_in", &query.signed_in),
        ("started_in", &query.started_in),
        ("origin", &query.origin),
        ("min_signed", &query.min_signed),
        ("investor_id", &query.investor_id),
    ]
    .into_iter()
    .filter_map(|(k, v)| Some((k, v.clone().filter(|v| !v.trim().is_empty())?)))
    .collect();
    let mut keep: Vec<(&str, String)> = filters.iter().map(|f| (f.name, f.value.clone())).collect();
    keep.extend(figure.iter().cloned());
    let query_base = keep
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", crate::layout::urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    keep.push(("stage", stage_chosen.clone()));
    let (prev_href, next_href) = paging.links("/attraction", &keep, result.total);
    let view = PipelineView {
        total: page.format("common.total", "n", &result.total.to_string()),
        can_create: auth.principal.can_work_leads(),
        page,
        stages,
        leads: result.items,
        filters,
        stage_chosen,
        query_base,
        figure,
        book: RulesBook::load(&state.store).await?,
        prev_href,
        next_href,
    };
    Ok(render(&view)?.into_response())
}

#[derive(Template)]
#[template(path = "attraction/lead.html")]
struct LeadView {
    page: PageContext,
    lead: Lead,
    rows: Vec<(String, String)>,
    members: Vec<LeadMember>,
    history: Vec<LeadStageChange>,
    late: Vec<String>,
    /// The activities that concerned it, latest first.
    activities: Vec<kfq_store::Activity>,
    /// Its arrived money, month by month.
    funds: Vec<kfq_store::FundEntry>,
    /// 转入项目台账 is offered: signed, not yet a project, the ledger the
    /// caller's to write.
    can_convert: bool,
    this_month: String,
    /// Why an action on the lead was refused.
    refused: Vec<String>,
    can_work: bool,
    can_move: bool,
    /// 登记首谈 is offered: the rule admits it and the investor is free.
    first_talk_offer: bool,
    /// The province's 首谈 threshold, 亿元.
    threshold_yi: String,
}

async fn show_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Query(query): Query<crate::common::VersionQuery>,
) -> AppResult<Response> {
    lead_page(&state, &auth, id, query.notice.as_deref(), None).await
}

/// A lead's page; `errors` when an action on it (登记首谈) was refused, then
/// answered 422 by the caller.
pub(super) async fn lead_page(
    state: &AppState,
    auth: &Auth,
    id: i64,
    notice: Option<&str>,
    errors: Option<&FieldErrors>,
) -> AppResult<Response> {
    let lead = state.store.lead(&auth.principal.lead_sight(), id).await?;
    let page = PageContext::new(Some(auth), "attraction").with_notice(notice);
    let members = state.store.lead_members(id).await?;
    let history = state.store.lead_history(id).await?;
    let book = RulesBook::load(&state.store).await?;
    let threshold = book.first_talk_threshold(&lead.zone_org_path());
    let late = use_case::overdue(&book, &lead, today())
        .into_iter()
        .map(|o| match o {
            kfq_attraction::Overdue::Assessment { due, days } => page.catalog.format(
                "attraction.late_assessment",
                &[("due", &due.to_string()), ("days", &days.to_string())],
            ),
            kfq_attraction::Overdue::FollowUp { due, days } => page.catalog.format(
                "attraction.late_follow_up",
                &[("due", &due.to_string()), ("days", &days.to_string())],
            ),
        })
        .collect();
    let can_work = auth.principal.lead_write(&lead.zone_org_path()).is_some();
    let can_move = can_work && !use_case::next_stages(lead.stage, lead.left_at).is_empty();
    let first_talk_offer = can_work
        && !lead.first_talk
        && lead.taken_by_zone.is_none()
        && kfq_attraction::check_first_talk(lead.stage, lead.investment, threshold).is_ok();
    let rows = lead_rows(&page, &lead);
    let refused = errors
        .map(|e| e.0.iter().map(|f| page.t(f.key).to_owned()).collect())
        .unwrap_or_default();
    let activities = state
        .store
        .activities(
            &auth.principal.lead_sight(),
            &kfq_store::ActivityFilter {
                lead_id: Some(lead.id),
                ..Default::default()
            },
            0,
            50,
        )
        .await?
        .items;
    let funds = state.store.lead_funds(lead.id).await?;
    let can_convert = can_work
        && lead.project_id.is_none()
        && kfq_attraction::ledger_stage(lead.stage).is_some()
        && auth.principal.zone_write(&lead.zone_org_path()).is_some();
    let view = LeadView {
        funds,
        can_convert,
        this_month: kfq_calendar::Period::of(today()).code(),
        activities,
        refused,
        first_talk_offer,
        threshold_yi: threshold.yi_2(),
        page,
        lead,
        rows,
        members,
        history,
        late,
        can_work,
        can_move,
    };
    Ok(render(&view)?.into_response())
}

/// The lead's facts as label and text, the ones it has.
fn lead_rows(page: &PageContext, l: &Lead) -> Vec<(String, String)> {
    let with_unit = |key: &str, n: String| page.format(key, "n", &n);
    let wan = |m: Option<Money>| m.map(|m| with_unit("attraction.wan_value", m.wan_2()));
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
    let rows: Vec<(&str, Option<String>)> = vec![
        ("attraction.investor", Some(l.investor_name.clone())),
        ("project.zone", Some(l.zone_name.clone())),
        ("attraction.investment", wan(Some(l.investment))),
        ("attraction.increase_of", l.increase_of_name.clone()),
        ("attraction.source", Some(page.label("Source", l.source))),
        ("attraction.referrer", l.referrer.clone()),
        ("attraction.chain", l.industry_chain.clone()),
        ("attraction.chain_node", l.chain_node.clone()),
        (
            "attraction.land_mu",
            l.land
                .map(|m| with_unit("attraction.mu_value", m.to_string())),
        ),
        (
            "attraction.energy_tce",
            l.energy_tce
                .map(|t| with_unit("attraction.tce_value", t.to_string())),
        ),
        ("attraction.expected_output", wan(l.expected_output)),
        ("attraction.expected_tax", wan(l.expected_tax)),
        (
            "attraction.expected_jobs",
            l.expected_jobs
                .map(|n| with_unit("attraction.jobs_value", n.to_string())),
        ),
        ("attraction.owner", l.owner_name.clone()),
        ("attraction.task_force", l.task_force.clone()),
        ("attraction.registered_on", day(Some(l.registered_on))),
        ("attraction.last_touch_on", day(Some(l.last_touch_on))),
        ("attraction.signed_on", day(l.signed_on)),
        ("attraction.signed_amount", wan(l.signed_amount)),
        (
            "attraction.agreement",
            l.agreement.map(|a| page.label("AgreementKind", a)),
        ),
        ("attraction.agreement_docs", l.agreement_docs.clone()),
        ("attraction.enterprise_name", l.enterprise_name.clone()),
        (
            "attraction.enterprise_credit_code",
            l.enterprise_credit_code.clone(),
        ),
        ("attraction.started_on", day(l.started_on)),
        ("attraction.produced_on", day(l.produced_on)),
        ("attraction.terminated_reason", l.terminated_reason.clone()),
    ];
    rows.into_iter()
        .filter_map(|(key, value)| value.map(|v| (page.t(key).to_owned(), v)))
        .collect()
}

/// The form's pickers are filled for one zone: its investors, chains and people.
async fn form_fields(state: &AppState, auth: &Auth, zone_id: Option<i64>) -> AppResult<FormFields> {
    let page = PageContext::new(Some(auth), "");
    let zones = working_zones(state, auth).await?;
    let zone_id = zone_id.or(match zones.as_slice() {
        [only] => Some(only.id),
        _ => None,
    });
    let (mut investors, mut chains, mut people, mut signed) = (vec![], vec![], vec![], vec![]);
    if let Some(zone) = zone_id.and_then(|z| zones.iter().find(|u| u.id == z)) {
        let scope = Visibility::Subtree(zone.org_path());
        investors = state
            .store
            .investors(
                &scope,
                &InvestorFilter {
                    zone_id: Some(zone.id),
                    ..Default::default()
                },
                0,
                5000,
            )
            .await?
            .items
            .into_iter()
            .map(|i| (i.id, i.name))
            .collect();
        chains = state.store.industry_chains(zone.id).await?;
        signed = state
            .store
            .signed_leads(zone.id)
            .await?
            .into_iter()
            .map(|(id, name, investor)| {
                let label = page.catalog.format(
                    "attraction.lead_of_investor",
                    &[("lead", &name), ("investor", &investor)],
                );
                (id, label)
            })
            .collect();
        people = state
            .store
            .users(&scope, &UserFilter::default(), 0, 2000)
            .await?
            .items
            .into_iter()
            .filter(|u| u.role() != kfq_domain::Role::Enterprise)
            .map(|u| (u.id, u.display_name))
            .collect();
    }
    let opt = |items: Vec<(i64, String)>| {
        let mut options = vec![(String::new(), String::new())];
        options.extend(items.into_iter().map(|(id, name)| (id.to_string(), name)));
        options
    };
    let mut zone = Field::new(
        "zone_id",
        page.t("project.zone"),
        FieldKind::Select(zone_options(&zones, "")),
    )
    .required();
    if zones.len() == 1 {
        zone = zone.zone_only();
    }
    Ok(FormFields::new(vec![
        Field::new("version", "", FieldKind::Hidden),
        zone,
        Field::new("name", page.t("attraction.name"), FieldKind::Text).required(),
        Field::new(
            "investor_id",
            page.t("attraction.investor"),
            FieldKind::Select(opt(investors)),
        )
        .required(),
        Field::new(
            "investment",
            page.t("attraction.investment_wan"),
            FieldKind::Text,
        )
        .required(),
        Field::new(
            "source",
            page.t("attraction.source"),
            FieldKind::Select(code_options(&page, "Source", Source::ALL, "")),
        )
        .required(),
        Field::new("referrer", page.t("attraction.referrer"), FieldKind::Text),
        Field::new(
            "industry_chain_id",
            page.t("attraction.chain"),
            FieldKind::Select(opt(chains)),
        ),
        Field::new(
            "chain_node",
            page.t("attraction.chain_node"),
            FieldKind::Text,
        ),
        Field::new("land_mu", page.t("attraction.land_mu"), FieldKind::Text),
        Field::new(
            "energy_tce",
            page.t("attraction.energy_tce"),
            FieldKind::Text,
        ),
        Field::new(
            "expected_output",
            page.t("attraction.expected_output_wan"),
            FieldKind::Text,
        ),
        Field::new(
            "expected_tax",
            page.t("attraction.expected_tax_wan"),
            FieldKind::Text,
        ),
        Field::new(
            "expected_jobs",
            page.t("attraction.expected_jobs"),
            FieldKind::Text,
        ),
        Field::new(
            "owner_id",
            page.t("attraction.owner"),
            FieldKind::Select(opt(people.clone())),
        ),
        Field::new(
            "task_force",
            page.t("attraction.task_force"),
            FieldKind::Text,
        ),
        Field::new(
            "members",
            page.t("attraction.members"),
            FieldKind::Multi(
                people
                    .iter()
                    .map(|(id, name)| (id.to_string(), name.clone()))
                    .collect(),
            ),
        ),
        Field::new(
            "registered_on",
            page.t("attraction.registered_on"),
            FieldKind::Date,
        ),
        Field::new(
            "increase_of",
            page.t("attraction.increase_of_field"),
            FieldKind::Select(opt(signed)),
        ),
    ]))
}

fn values(l: &Lead) -> HashMap<&'static str, String> {
    HashMap::from([
        ("version", l.version.to_string()),
        ("zone_id", l.zone_id.to_string()),
        ("name", l.name.clone()),
        ("investor_id", l.investor_id.to_string()),
        (
            "industry_chain_id",
            l.industry_chain_id
                .map(|i| i.to_string())
                .unwrap_or_default(),
        ),
        ("chain_node", l.chain_node.clone().unwrap_or_default()),
        ("investment", l.investment.wan_string()),
        ("land_mu", l.land.map(|m| m.to_string()).unwrap_or_default()),
        (
            "energy_tce",
            l.energy_tce.map(|t| t.to_string()).unwrap_or_default(),
        ),
        (
            "expected_output",
            l.expected_output.map(Money::wan_string).unwrap_or_default(),
        ),
        (
            "expected_tax",
            l.expected_tax.map(Money::wan_string).unwrap_or_default(),
        ),
        (
            "expected_jobs",
            l.expected_jobs.map(|n| n.to_string()).unwrap_or_default(),
        ),
        ("source", l.source.code().to_owned()),
        ("referrer", l.referrer.clone().unwrap_or_default()),
        (
            "owner_id",
            l.owner_id.map(|i| i.to_string()).unwrap_or_default(),
        ),
        ("task_force", l.task_force.clone().unwrap_or_default()),
        ("registered_on", l.registered_on.to_string()),
        (
            "increase_of",
            l.increase_of.map(|i| i.to_string()).unwrap_or_default(),
        ),
    ])
}

fn typed_values(input: &Input, keys: &[&'static str]) -> HashMap<&'static str, String> {
    keys.iter().map(|k| (*k, input.joined(k))).collect()
}

struct FormPage<'a> {
    heading: FormHeading,
    fields: FormFields,
    values: HashMap<&'static str, String>,
    errors: Option<&'a FieldErrors>,
}

fn form_page(auth: &Auth, form: FormPage<'_>) -> AppResult<Response> {
    let page = PageContext::new(Some(auth), "attraction");
    FormView::answer(page, form.heading, form.fields, &form.values, form.errors)
}

async fn new_form(
    state: &AppState,
    auth: &Auth,
    values: HashMap<&'static str, String>,
    errors: Option<&FieldErrors>,
) -> AppResult<Response> {
    let zone_id = values.get("zone_id").and_then(|z| z.parse().ok());
    let fields = form_fields(state, auth, zone_id).await?;
    let title = PageContext::new(Some(auth), "")
        .t("attraction.new")
        .to_owned();
    form_page(
        auth,
        FormPage {
            heading: FormHeading {
                title,
                action: "/attraction/leads".into(),
                cancel: "/attraction".into(),
            },
            fields,
            values,
            errors,
        },
    )
}

async fn new_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<LeadQuery>,
) -> AppResult<Response> {
    common::allow(auth.principal.can_work_leads())?;
    let mut values = HashMap::from([("registered_on", today().to_string())]);
    if let Some(zone) = query.zone_id {
        values.insert("zone_id", zone);
    }
    if let Some(investor) = query.investor_id {
        values.insert("investor_id", investor);
    }
    new_form(&state, &auth, values, None).await
}

async fn create_page(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    form_post(
        create(&state, &auth, &input).await,
        |l| format!("/attraction/leads/{}?notice=saved", l.id),
        async |errors| new_form(&state, &auth, typed_values(&input, FIELDS), Some(&errors)).await,
    )
    .await
}

async fn edit_form(
    state: &AppState,
    auth: &Auth,
    lead: &Lead,
    values: HashMap<&'static str, String>,
    errors: Option<&FieldErrors>,
) -> AppResult<Response> {
    let fields = form_fields(state, auth, Some(lead.zone_id)).await?;
    let page = PageContext::new(Some(auth), "");
    form_page(
        auth,
        FormPage {
            heading: FormHeading {
                title: page.catalog.format(
                    "common.label_value",
                    &[("label", page.t("attraction.edit")), ("value", &lead.name)],
                ),
                action: format!("/attraction/leads/{}/edit", lead.id),
                cancel: format!("/attraction/leads/{}", lead.id),
            },
            fields,
            values,
            errors,
        },
    )
}

async fn edit_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    let target = target(&state, &auth, id).await?;
    let mut values = values(target.lead());
    let members: Vec<String> = state
        .store
        .lead_members(id)
        .await?
        .iter()
        .map(|m| m.user_id.to_string())
        .collect();
    values.insert("members", members.join(","));
    edit_form(&state, &auth, target.lead(), values, None).await
}

async fn update_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    form_post(
        update(&state, &auth, id, &input).await,
        |l| format!("/attraction/leads/{}?notice=saved", l.id),
        async |errors| {
            let target = target(&state, &auth, id).await?;
            let mut values = typed_values(&input, FIELDS);
            values.insert("zone_id", target.lead().zone_id.to_string());
            edit_form(&state, &auth, target.lead(), values, Some(&errors)).await
        },
    )
    .await
}

const MOVE_FIELDS: &[&str] = &[
    "version",
    "stage",
    "on",
    "note",
    "signed_on",
    "signed_amount",
    "agreement",
    "agreement_docs",
    "enterprise_name",
    "enterprise_credit_code",
    "started_on",
    "produced_on",
    "terminated_reason",
];

fn stage_form(
    auth: &Auth,
    lead: &Lead,
    values: HashMap<&'static str, String>,
    errors: Option<&FieldErrors>,
) -> AppResult<Response> {
    let page = PageContext::new(Some(auth), "");
    let next: Vec<(String, String)> = use_case::next_stages(lead.stage, lead.left_at)
        .into_iter()
        .map(|s| (s.code().to_owned(), page.label("LeadStage", s)))
        .collect();
    let fields = FormFields::new(vec![
        Field::new("version", "", FieldKind::Hidden),
        Field::new(
            "stage",
            page.t("attraction.stage_to"),
            FieldKind::Select(next),
        )
        .required(),
        Field::new("on", page.t("attraction.stage_on"), FieldKind::Date).required(),
        Field::new("note", page.t("attraction.stage_note"), FieldKind::Text),
        Field::new(
            "signed_on",
            page.t("attraction.signed_on_when"),
            FieldKind::Date,
        ),
        Field::new(
            "signed_amount",
            page.t("attraction.signed_amount_when"),
            FieldKind::Text,
        ),
        Field::new(
            "agreement",
            page.t("attraction.agreement_when"),
            FieldKind::Select(code_options(&page, "AgreementKind", AgreementKind::ALL, "")),
        ),
        Field::new(
            "agreement_docs",
            page.t("attraction.agreement_docs"),
            FieldKind::Text,
        ),
        Field::new(
            "enterprise_name",
            page.t("attraction.enterprise_name_when"),
            FieldKind::Text,
        ),
        Field::new(
            "enterprise_credit_code",
            page.t("attraction.enterprise_credit_code_when"),
            FieldKind::Text,
        ),
        Field::new(
            "started_on",
            page.t("attraction.started_on_when"),
            FieldKind::Date,
        ),
        Field::new(
            "produced_on",
            page.t("attraction.produced_on_when"),
            FieldKind::Date,
        ),
        Field::new(
            "terminated_reason",
            page.t("attraction.terminated_reason_when"),
            FieldKind::Text,
        ),
    ]);
    form_page(
        auth,
        FormPage {
            heading: FormHeading {
                title: page.catalog.format(
                    "attraction.move_title",
                    &[
                        ("name", &lead.name),
                        ("stage", &page.label("LeadStage", lead.stage)),
                    ],
                ),
                action: format!("/attraction/leads/{}/stage", lead.id),
                cancel: format!("/attraction/leads/{}", lead.id),
            },
            fields,
            values,
            errors,
        },
    )
}

async fn stage_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    let target = target(&state, &auth, id).await?;
    let lead = target.lead();
    let mut values = HashMap::from([
        ("version", lead.version.to_string()),
        ("on", today().to_string()),
    ]);
    // What the lead already holds is shown, so a move names only what is new.
    let l = lead;
    for (key, value) in [
        ("signed_on", l.signed_on.map(|d| d.to_string())),
        ("signed_amount", l.signed_amount.map(Money::wan_string)),
        ("agreement", l.agreement.map(|a| a.code().to_owned())),
        ("agreement_docs", l.agreement_docs.clone()),
        ("enterprise_name", l.enterprise_name.clone()),
        ("enterprise_credit_code", l.enterprise_credit_code.clone()),
        ("started_on", l.started_on.map(|d| d.to_string())),
        ("produced_on", l.produced_on.map(|d| d.to_string())),
    ] {
        if let Some(value) = value {
            values.insert(key, value);
        }
    }
    stage_form(&auth, lead, values, None)
}

async fn move_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    form_post(
        move_stage(&state, &auth, id, &input).await,
        |l| format!("/attraction/leads/{}?notice=saved", l.id),
        async |errors| {
            let target = target(&state, &auth, id).await?;
            stage_form(
                &auth,
                target.lead(),
                typed_values(&input, MOVE_FIELDS),
                Some(&errors),
            )
        },
    )
    .await
}

async fn history_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    let lead = state.store.lead(&auth.principal.lead_sight(), id).await?;
    common::history_page(
        &state,
        &auth,
        &auth.principal.lead_sight().visibility,
        "attraction",
        ("lead", lead.id),
        &lead.name,
        format!("/attraction/leads/{}", lead.id),
    )
    .await
}

// ---- API ----

/// A lead as typed. Amounts in 万元 (text or number), land in 亩.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadBody {
    /// Create only; a lead stays in its zone.
    zone_id: Option<i64>,
    #[schema(required = true, nullable = false)]
    name: Option<String>,
    #[schema(required = true, nullable = false)]
    investor_id: Option<i64>,
    /// 拟投资额, 万元.
    #[schema(required = true, nullable = false, value_type = Option<String>)]
    investment: Option<Amount>,
    #[schema(required = true, nullable = false, schema_with = codes::lead_source)]
    source: Option<String>,
    referrer: Option<String>,
    industry_chain_id: Option<i64>,
    chain_node: Option<String>,
    #[schema(value_type = Option<String>)]
    land_mu: Option<Amount>,
    /// 年综合能耗, 吨标准煤.
    energy_tce: Option<i64>,
    /// 万元.
    #[schema(value_type = Option<String>)]
    expected_output: Option<Amount>,
    /// 万元.
    #[schema(value_type = Option<String>)]
    expected_tax: Option<Amount>,
    expected_jobs: Option<i64>,
    owner_id: Option<i64>,
    task_force: Option<String>,
    /// The 招商专班's people besides the owner (user ids).
    members: Option<Vec<i64>>,
    /// YYYY-MM-DD; today when left out.
    registered_on: Option<String>,
    /// 增资扩产: the earlier signed lead of the same investor it adds to;
    /// `investment` is then the increase alone.
    increase_of: Option<i64>,
    /// Update only (required there): the version last read.
    version: Option<i64>,
}

/// A move to another stage, with the facts the stage asks for.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadMoveBody {
    #[schema(required = true, nullable = false, schema_with = codes::lead_stage)]
    stage: Option<String>,
    /// The day of the move (YYYY-MM-DD); today when left out.
    on: Option<String>,
    note: Option<String>,
    signed_on: Option<String>,
    /// 签约额, 万元.
    #[schema(value_type = Option<String>)]
    signed_amount: Option<Amount>,
    #[schema(schema_with = codes::agreement_kind)]
    agreement: Option<String>,
    agreement_docs: Option<String>,
    enterprise_name: Option<String>,
    enterprise_credit_code: Option<String>,
    started_on: Option<String>,
    produced_on: Option<String>,
    terminated_reason: Option<String>,
    #[schema(required = true, nullable = false)]
    version: Option<i64>,
}

/// The pipeline: a page of leads and the count at every stage.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Pipeline {
    page: Page<Lead>,
    stages: Vec<StageCount>,
}

/// A lead's moves and the people who work it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LeadStages {
    history: Vec<LeadStageChange>,
    members: Vec<LeadMember>,
}

#[utoipa::path(get, path = "/api/v1/attraction/leads", tag = "attraction", params(LeadQuery),
    responses((status = 200, body = Pipeline), (status = 422, body = ApiErrorDoc)))]
pub async fn api_list(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<LeadQuery>,
) -> AppResult<Json<Pipeline>> {
    let (_, page, stages) = asked_pipeline(&state, &auth, &query).await?;
    Ok(Json(Pipeline { page, stages }))
}

#[utoipa::path(post, path = "/api/v1/attraction/leads", tag = "attraction", request_body = LeadBody,
    responses((status = 201, body = Lead), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_create(
    State(state): State<AppState>,
    auth: Auth,
    input: Body<LeadBody>,
) -> AppResult<Response> {
    let lead = create(&state, &auth, &input).await?;
    Ok((StatusCode::CREATED, Json(lead)).into_response())
}

#[utoipa::path(get, path = "/api/v1/attraction/leads/{lead_id}", tag = "attraction", params(("lead_id" = i64, Path)),
    responses((status = 200, body = Lead), (status = 404, body = ApiErrorDoc)))]
pub async fn api_get(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Lead>> {
    Ok(Json(
        state.store.lead(&auth.principal.lead_sight(), id).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/attraction/leads/{lead_id}", tag = "attraction", params(("lead_id" = i64, Path)),
    request_body = LeadBody,
    responses((status = 200, body = Lead), (status = 403, body = ApiErrorDoc), (status = 404, body = ApiErrorDoc),
        (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_update(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<LeadBody>,
) -> AppResult<Json<Lead>> {
    Ok(Json(update(&state, &auth, id, &input).await?))
}

#[utoipa::path(post, path = "/api/v1/attraction/leads/{lead_id}/stage", tag = "attraction", params(("lead_id" = i64, Path)),
    request_body = LeadMoveBody,
    responses((status = 200, body = Lead), (status = 403, body = ApiErrorDoc), (status = 404, body = ApiErrorDoc),
        (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_move(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<LeadMoveBody>,
) -> AppResult<Json<Lead>> {
    Ok(Json(move_stage(&state, &auth, id, &input).await?))
}

#[utoipa::path(get, path = "/api/v1/attraction/leads/{lead_id}/stages", tag = "attraction", params(("lead_id" = i64, Path)),
    responses((status = 200, body = LeadStages), (status = 404, body = ApiErrorDoc)))]
pub async fn api_stages(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<LeadStages>> {
    let lead = state.store.lead(&auth.principal.lead_sight(), id).await?;
    Ok(Json(LeadStages {
        history: state.store.lead_history(lead.id).await?,
        members: state.store.lead_members(lead.id).await?,
    }))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(api_list, api_create, api_get, api_update, api_move, api_stages))]
pub struct ApiDoc;
