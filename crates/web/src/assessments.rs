//! 季考核 and 年兑现: the scores of a unit's subjects for a quarter — a city's
//! or province's zones, a zone's departments and liaison leaders — ranked,
//! each with its breakdown and the projects or blockers behind it; the
//! year's sums; the score sheet per unit and year; and closing a quarter,
//! which freezes its results. Scoring is `kfq_assessment`; the ledger as it
//! stood comes from `Store::ledger_as_of`. Everything takes query
//! parameters, so no route has a path parameter to scope.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kfq_assessment::{
    points_text, score_subjects, year_totals, Attribution, ItemKind, ItemScore, Quarter, Score,
    Sheet, SheetItem, Subject, YearLine,
};
use kfq_domain::investment::percent;
use kfq_domain::{FieldErrors, Money, OrgKind, Role};
use kfq_store::{results_sha256, OrgFilter, OrgUnit, Store};
use serde::{Deserialize, Serialize};

use crate::auth::Auth;
use crate::common::allow;
use crate::error::{ApiErrorDoc, AppError, AppResult};
use crate::input::Input;
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use kfq_app::clock::today;

pub fn routes() -> Routes {
    Routes::new()
        .get("/assessment", quarter_page)
        .get("/assessment/breakdown", breakdown_page)
        .get("/assessment/year", year_page)
        .get("/assessment/sheet", sheet_page)
        .post("/assessment/sheet", sheet_save_page)
        .post("/assessment/close", close_page)
        .get("/assessment/ranking.xlsx", ranking_xlsx)
        .get("/api/v1/assessments", api_quarter)
        .get("/api/v1/assessments/breakdown", api_breakdown)
        .get("/api/v1/assessments/year", api_year)
        .get("/api/v1/assessments/sheet", api_sheet)
        .put("/api/v1/assessments/sheet", api_set_sheet)
        .post("/api/v1/assessments/close", api_close)
}

// ---- who, what, when ----

/// Which unit, year and quarter (defaults: the user's unit, this quarter).
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
pub struct AssessQuery {
    /// A province, city, county or zone (a department means its zone).
    pub org_id: Option<i64>,
    pub year: Option<i32>,
    /// 1–4.
    pub quarter: Option<u32>,
}

impl AssessQuery {
    fn quarter(&self) -> AppResult<Quarter> {
        let now = Quarter::of(today());
        let year = self.year.unwrap_or(now.year);
        let quarter = self
            .quarter
            .unwrap_or(if year == now.year { now.quarter } else { 4 });
        Quarter::new(year, quarter)
            .ok_or_else(|| AppError::Invalid(FieldErrors::single("quarter", "error.choice")))
    }

    fn query_string(&self, org: &OrgUnit, quarter: Quarter) -> String {
        format!(
            "org_id={}&year={}&quarter={}",
            org.id, quarter.year, quarter.quarter
        )
    }
}

/// The unit whose subjects are assessed: one the user sees, not a department.
async fn assessed_unit(state: &AppState, auth: &Auth, org_id: Option<i64>) -> AppResult<OrgUnit> {
    let visibility = auth.principal.org_visibility();
    let id = org_id.unwrap_or_else(|| auth.principal.unit_path.id());
    let org = state.store.org(&visibility, id).await?;
    if org.kind() != OrgKind::Department {
        return Ok(org);
    }
    let zone = org.zone_id.ok_or(AppError::NotFound)?;
    Ok(state.store.org(&visibility, zone).await?)
}

/// Sheets and closings come from above a zone, or from the zone's own
/// administration for its departments and leaders.
fn may_configure(auth: &Auth, org: &OrgUnit) -> bool {
    let path = org.org_path();
    auth.principal.can_set_targets(&path)
        || (auth.principal.role == Role::ZoneAdmin
            && org.kind() == OrgKind::Zone
            && auth.principal.can_write_zone_data(&path))
}

// ---- results ----

/// What a quarter's closing freezes: the sheet used and every table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Results {
    pub sheet: Sheet,
    /// A city's or province's zones.
    pub zones: Vec<Score>,
    /// A zone's departments and liaison leaders.
    pub departments: Vec<Score>,
    pub liaisons: Vec<Score>,
}

impl Results {
    fn tables(&self) -> [(&'static str, &'static str, &Vec<Score>); 3] {
        [
            ("zones", "开发区", &self.zones),
            ("departments", "部门", &self.departments),
            ("liaisons", "包联领导", &self.liaisons),
        ]
    }

    fn table(&self, name: &str) -> Option<&Vec<Score>> {
        self.tables()
            .into_iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, _, t)| t)
    }
}

fn subjects(units: Vec<(i64, String)>) -> Vec<Subject> {
    units
        .into_iter()
        .map(|(id, name)| Subject { id, name })
        .collect()
}

/// The scores of `org`'s subjects for `quarter`, from the ledger as recorded
/// by `as_of` (Unix ms).
async fn compute(store: &Store, org: &OrgUnit, quarter: Quarter, as_of: i64) -> AppResult<Results> {
    let path = org.org_path();
    let sheet = store.assessment_sheet(&path, quarter.year).await?.sheet;
    let zones = store.zones_under(&path).await?;
    let ledger = store
        .ledger_as_of(&zones, quarter.last_period(), as_of)
        .await?;
    let score = |attribution, subjects: &[Subject]| {
        score_subjects(&sheet, quarter, &ledger, attribution, subjects)
    };
    let mut results = Results {
        sheet: sheet.clone(),
        zones: vec![],
        departments: vec![],
        liaisons: vec![],
    };
    if org.kind() == OrgKind::Zone {
        let mut departments = subjects(store.assessment_units(&path, OrgKind::Department).await?);
        departments.extend(Attribution::Department.subjects_in(&ledger));
        departments.sort_by_key(|s| s.id);
        departments.dedup_by_key(|s| s.id);
        results.departments = score(Attribution::Department, &departments);
        results.liaisons = score(
            Attribution::Liaison,
            &Attribution::Liaison.subjects_in(&ledger),
        );
    } else {
        let zones = subjects(store.assessment_units(&path, OrgKind::Zone).await?);
        results.zones = score(Attribution::Zone, &zones);
    }
    Ok(results)
}

/// A closed quarter as frozen.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClosingInfo {
    pub closed_by: String,
    /// Unix ms.
    pub closed_at: i64,
    /// The ledger cut-off the frozen results were computed at, Unix ms.
    pub as_of: i64,
    pub sha256: String,
    /// The stored results still hash to `sha256`.
    pub intact: bool,
    /// Computing the quarter again now would give other scores.
    pub differs_now: bool,
}

/// A quarter's scores for a unit.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QuarterReport {
    pub org_id: i64,
    pub org_name: String,
    /// province, city, county or zone.
    pub org_kind: String,
    pub year: i32,
    pub quarter: u32,
    pub label: String,
    /// The quarter's last day has passed: it may be closed.
    pub ended: bool,
    /// Frozen, when closed.
    pub closing: Option<ClosingInfo>,
    /// The unit whose sheet scores this one; none for the default.
    pub sheet_set_by: Option<String>,
    /// `sheet.items` [{kind, weight}]; `zones`, or `departments` and
    /// `liaisons`: ranked [{subject {id, name}, items [{kind, weight,
    /// numerator, denominator, rate_tenths, elapsed_tenths,
    /// points_hundredths, no_task, basis}], total_hundredths, rank}].
    #[schema(value_type = Object)]
    pub results: Results,
    pub can_configure: bool,
}

async fn quarter_report(
    state: &AppState,
    auth: &Auth,
    org: OrgUnit,
    quarter: Quarter,
) -> AppResult<QuarterReport> {
    let store = &state.store;
    let now = kfq_store::now_ms();
    let sheet = store
        .assessment_sheet(&org.org_path(), quarter.year)
        .await?;
    let (results, closing) = match store.assessment_closing(org.id, quarter).await? {
        Some(closed) => {
            let frozen: Results = serde_json::from_str(&closed.results)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("frozen results: {e}")))?;
            let again = compute(store, &org, quarter, now).await?;
            let info = ClosingInfo {
                intact: results_sha256(&closed.results) == closed.sha256,
                differs_now: again != frozen,
                closed_by: closed.closed_by,
                closed_at: closed.closed_at,
                as_of: closed.as_of,
                sha256: closed.sha256,
            };
            (frozen, Some(info))
        }
        None => (compute(store, &org, quarter, now).await?, None),
    };
    Ok(QuarterReport {
        can_configure: may_configure(auth, &org),
        org_id: org.id,
        org_kind: org.kind.clone(),
        org_name: org.name,
        year: quarter.year,
        quarter: quarter.quarter,
        label: quarter.label(),
        ended: quarter.last_day() < today(),
        closing,
        sheet_set_by: sheet.set_by_org_name,
        results,
    })
}

async fn report_for(
    state: &AppState,
    auth: &Auth,
    query: &AssessQuery,
) -> AppResult<QuarterReport> {
    let quarter = query.quarter()?;
    let org = assessed_unit(state, auth, query.org_id).await?;
    quarter_report(state, auth, org, quarter).await
}

async fn close(state: &AppState, auth: &Auth, input: &Input) -> AppResult<QuarterReport> {
    let mut e = FieldErrors::new();
    let org_id = input.int("org_id", &mut e);
    let year = input.int("year", &mut e);
    let quarter = input.int("quarter", &mut e);
    e.into_result()?;
    let quarter = i32::try_from(year.unwrap_or_default())
        .ok()
        .zip(u32::try_from(quarter.unwrap_or_default()).ok())
        .and_then(|(y, q)| Quarter::new(y, q))
        .ok_or_else(|| AppError::Invalid(FieldErrors::single("quarter", "error.choice")))?;
    let org = assessed_unit(state, auth, org_id).await?;
    allow(may_configure(auth, &org))?;
    let as_of = kfq_store::now_ms();
    let results = compute(&state.store, &org, quarter, as_of).await?;
    let json = serde_json::to_string(&results).map_err(anyhow::Error::from)?;
    state
        .store
        .close_assessment_quarter(&auth.actor(), &org, quarter, today(), as_of, &json)
        .await?;
    quarter_report(state, auth, org, quarter).await
}

// ---- breakdown ----

/// One subject's score, item by item.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
pub struct BreakdownQuery {
    pub org_id: Option<i64>,
    pub year: Option<i32>,
    pub quarter: Option<u32>,
    /// zones, departments or liaisons.
    pub table: String,
    pub subject_id: i64,
}

impl BreakdownQuery {
    fn scope(&self) -> AssessQuery {
        AssessQuery {
            org_id: self.org_id,
            year: self.year,
            quarter: self.quarter,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Breakdown {
    pub org_id: i64,
    pub org_name: String,
    pub label: String,
    pub frozen: bool,
    pub table: String,
    /// {subject, items [{kind, weight, numerator, denominator, rate_tenths,
    /// elapsed_tenths, points_hundredths, no_task, basis [{project_id,
    /// project_name, blocker_id, met, due_on, done_on, done_yuan,
    /// plan_yuan}]}], total_hundredths, rank}
    #[schema(value_type = Object)]
    pub score: Score,
}

async fn breakdown(state: &AppState, auth: &Auth, query: &BreakdownQuery) -> AppResult<Breakdown> {
    let report = report_for(state, auth, &query.scope()).await?;
    let score = report
        .results
        .table(&query.table)
        .and_then(|t| t.iter().find(|s| s.subject.id == query.subject_id))
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok(Breakdown {
        org_id: report.org_id,
        org_name: report.org_name,
        label: report.label,
        frozen: report.closing.is_some(),
        table: query.table.clone(),
        score,
    })
}

// ---- year ----

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct YearReport {
    pub org_id: i64,
    pub org_name: String,
    pub year: i32,
    /// Per quarter: closed, open (begun, scores as of now) or not_started.
    pub quarters: Vec<String>,
    /// [{subject, quarters [hundredths or null ×4], total_hundredths, rank}].
    #[schema(value_type = Object)]
    pub zones: Vec<YearLine>,
    #[schema(value_type = Object)]
    pub departments: Vec<YearLine>,
    #[schema(value_type = Object)]
    pub liaisons: Vec<YearLine>,
}

async fn year_report(state: &AppState, auth: &Auth, query: &AssessQuery) -> AppResult<YearReport> {
    let year = query.quarter()?.year;
    let org = assessed_unit(state, auth, query.org_id).await?;
    let mut states = Vec::new();
    let mut quarters: Vec<Option<Results>> = Vec::new();
    for quarter in Quarter::of_year(year) {
        if quarter.first_day() > today() {
            states.push("not_started".to_owned());
            quarters.push(None);
            continue;
        }
        let report = quarter_report(state, auth, org.clone(), quarter).await?;
        states.push(
            if report.closing.is_some() {
                "closed"
            } else {
                "open"
            }
            .to_owned(),
        );
        quarters.push(Some(report.results));
    }
    let sum = |table: &str| {
        let tables: Vec<Option<&[Score]>> = quarters
            .iter()
            .map(|r| r.as_ref().and_then(|r| r.table(table)).map(Vec::as_slice))
            .collect();
        year_totals([tables[0], tables[1], tables[2], tables[3]])
    };
    Ok(YearReport {
        zones: sum("zones"),
        departments: sum("departments"),
        liaisons: sum("liaisons"),
        org_id: org.id,
        org_name: org.name,
        year,
        quarters: states,
    })
}

// ---- sheet ----

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SheetLine {
    /// plan_completion, start_rate, production_rate, blocker_closure.
    pub kind: String,
    pub label: String,
    pub rule: String,
    /// Whole points; 0 when the sheet leaves the item out.
    pub weight: u32,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SheetReport {
    pub org_id: i64,
    pub org_name: String,
    pub year: i32,
    pub items: Vec<SheetLine>,
    /// The unit whose sheet is in effect; none for the default 40/20/20/20.
    pub set_by: Option<String>,
    /// The unit has a sheet of its own for the year.
    pub own: bool,
    /// To send back when saving (0: the unit has none of its own yet).
    pub version: i64,
    pub can_configure: bool,
}

async fn sheet_report(
    state: &AppState,
    auth: &Auth,
    query: &AssessQuery,
) -> AppResult<SheetReport> {
    let year = query.quarter()?.year;
    let org = assessed_unit(state, auth, query.org_id).await?;
    let stored = state.store.assessment_sheet(&org.org_path(), year).await?;
    Ok(SheetReport {
        items: ItemKind::ALL
            .iter()
            .map(|k| SheetLine {
                kind: k.code().to_owned(),
                label: k.label().to_owned(),
                rule: k.rule().to_owned(),
                weight: stored.sheet.weight(*k),
            })
            .collect(),
        own: stored.set_by_org_id == Some(org.id),
        set_by: stored.set_by_org_name,
        version: stored.version,
        can_configure: may_configure(auth, &org),
        org_id: org.id,
        org_name: org.name,
        year,
    })
}

/// Weights come as one whole-point field per item kind, by its code.
async fn save_sheet(state: &AppState, auth: &Auth, input: &Input) -> AppResult<SheetReport> {
    let mut e = FieldErrors::new();
    let org_id = input.int("org_id", &mut e);
    let year = input.int("year", &mut e);
    let version = crate::common::version(input, &mut e);
    let mut items = Vec::new();
    for kind in ItemKind::ALL {
        match input.opt_int(kind.code(), &mut e) {
            Some(w) if (0..=100).contains(&w) => items.push(SheetItem {
                kind,
                weight: w as u32,
            }),
            Some(_) => e.add(kind.code(), "error.assessment.weight"),
            None => {}
        }
    }
    e.into_result()?;
    let year = i32::try_from(year.unwrap_or_default())
        .ok()
        .filter(|y| Quarter::new(*y, 1).is_some())
        .ok_or_else(|| AppError::Invalid(FieldErrors::single("year", "error.choice")))?;
    let sheet = Sheet::parse(items).map_err(|keys| {
        let mut e = FieldErrors::new();
        for key in keys {
            e.add("items", key);
        }
        AppError::Invalid(e)
    })?;
    let org = assessed_unit(state, auth, org_id).await?;
    allow(may_configure(auth, &org))?;
    state
        .store
        .set_assessment_sheet(&auth.actor(), &org, year, &sheet, version)
        .await?;
    let query = AssessQuery {
        org_id: Some(org.id),
        year: Some(year),
        quarter: None,
    };
    sheet_report(state, auth, &query).await
}

// ---- pages ----

/// Units the user may pick: their visible provinces, cities, counties and zones.
async fn unit_choices(state: &AppState, auth: &Auth) -> AppResult<Vec<(i64, String)>> {
    Ok(state
        .store
        .orgs(
            &auth.principal.org_visibility(),
            &OrgFilter::default(),
            0,
            100_000,
        )
        .await?
        .items
        .into_iter()
        .filter(|o| o.kind() != OrgKind::Department)
        .map(|o| (o.id, o.name))
        .collect())
}

/// One ranked row as the page and the workbook show it.
pub struct RankRow {
    pub rank: usize,
    pub subject_id: i64,
    pub name: String,
    pub points: Vec<String>,
    pub total: String,
}

pub struct RankTable {
    pub name: &'static str,
    pub title: &'static str,
    pub rows: Vec<RankRow>,
}

/// A zone ranks its departments and its leaders; any other unit its zones.
fn rank_tables(results: &Results, of_zone: bool) -> Vec<RankTable> {
    results
        .tables()
        .into_iter()
        .filter(|(name, _, _)| (*name != "zones") == of_zone)
        .map(|(name, title, scores)| RankTable {
            name,
            title,
            rows: scores
                .iter()
                .map(|s| RankRow {
                    rank: s.rank,
                    subject_id: s.subject.id,
                    name: s.subject.name.clone(),
                    points: s
                        .items
                        .iter()
                        .map(|i| points_text(i.points_hundredths))
                        .collect(),
                    total: points_text(s.total_hundredths),
                })
                .collect(),
        })
        .collect()
}

fn headers(sheet: &Sheet) -> Vec<String> {
    sheet
        .items()
        .iter()
        .map(|i| format!("{}（{}分）", i.kind.label(), i.weight))
        .collect()
}

#[derive(Template)]
#[template(path = "assessments/quarter.html")]
struct QuarterView {
    page: PageContext,
    report: QuarterReport,
    query: String,
    units: Vec<(i64, String)>,
    years: Vec<i32>,
    headers: Vec<String>,
    tables: Vec<RankTable>,
    closed_at: String,
    as_of: String,
    errors: Vec<String>,
}

fn years() -> Vec<i32> {
    let now = Quarter::of(today()).year;
    (now - 4..=now).rev().collect()
}

async fn quarter_view(
    state: &AppState,
    auth: &Auth,
    query: &AssessQuery,
    errors: Vec<String>,
) -> AppResult<QuarterView> {
    let quarter = query.quarter()?;
    let org = assessed_unit(state, auth, query.org_id).await?;
    let query_string = query.query_string(&org, quarter);
    let report = quarter_report(state, auth, org, quarter).await?;
    let page = PageContext::new(Some(auth), "assessment");
    Ok(QuarterView {
        closed_at: report
            .closing
            .as_ref()
            .map(|c| page.time(&c.closed_at))
            .unwrap_or_default(),
        as_of: report
            .closing
            .as_ref()
            .map(|c| page.time(&c.as_of))
            .unwrap_or_default(),
        page,
        headers: headers(&report.results.sheet),
        tables: rank_tables(&report.results, report.org_kind == "zone"),
        units: unit_choices(state, auth).await?,
        years: years(),
        query: query_string,
        report,
        errors,
    })
}

async fn quarter_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<AssessQuery>,
) -> AppResult<Response> {
    Ok(render(&quarter_view(&state, &auth, &query, vec![]).await?)?.into_response())
}

async fn close_page(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    match close(&state, &auth, &input).await {
        Ok(r) => Ok(see_other(&format!(
            "/assessment?org_id={}&year={}&quarter={}",
            r.org_id, r.year, r.quarter
        ))),
        Err(AppError::Invalid(errors)) => {
            let query = AssessQuery {
                org_id: input.text("org_id").parse().ok(),
                year: input.text("year").parse().ok(),
                quarter: input.text("quarter").parse().ok(),
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render(
                    &quarter_view(&state, &auth, &query, crate::error::messages(&errors)).await?,
                )?,
            )
                .into_response())
        }
        Err(other) => Err(other),
    }
}

/// An item's figures in words: "833.00/2100.00万元，完成39.7%（序时进度50.0%）".
fn item_summary(item: &ItemScore) -> String {
    if item.no_task {
        return "无考核任务，得满分".into();
    }
    let rate = item.rate_tenths.map(percent).unwrap_or_default();
    match item.kind {
        ItemKind::PlanCompletion => format!(
            "累计完成{}万元 / 年度计划{}万元，完成率{}（序时进度{}）",
            Money::from_yuan(item.numerator).wan_string(),
            Money::from_yuan(item.denominator).wan_string(),
            rate,
            item.elapsed_tenths.map(percent).unwrap_or_default()
        ),
        ItemKind::StartRate => format!(
            "计划开工{}个，已开工{}个，开工率{}",
            item.denominator, item.numerator, rate
        ),
        ItemKind::ProductionRate => format!(
            "计划投产{}个，已投产{}个，投产率{}",
            item.denominator, item.numerator, rate
        ),
        ItemKind::BlockerClosure => format!(
            "到期问题{}个，按期办结{}个，办结率{}",
            item.denominator, item.numerator, rate
        ),
    }
}

pub struct BasisRow {
    pub project_id: i64,
    pub project_name: String,
    pub blocker_id: Option<i64>,
    pub met: bool,
    pub detail: String,
}

pub struct ItemView {
    pub label: String,
    pub weight: u32,
    pub points: String,
    pub summary: String,
    pub rows: Vec<BasisRow>,
}

fn item_views(score: &Score) -> Vec<ItemView> {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    score
        .items
        .iter()
        .map(|item| ItemView {
            label: item.kind.label().to_owned(),
            weight: item.weight,
            points: points_text(item.points_hundredths),
            summary: item_summary(item),
            rows: item
                .basis
                .iter()
                .map(|b| BasisRow {
                    project_id: b.project_id,
                    project_name: b.project_name.clone(),
                    blocker_id: b.blocker_id,
                    met: b.met,
                    detail: match item.kind {
                        ItemKind::PlanCompletion => format!(
                            "累计{}万元 / 计划{}万元",
                            Money::from_yuan(b.done_yuan.unwrap_or_default()).wan_string(),
                            Money::from_yuan(b.plan_yuan.unwrap_or_default()).wan_string()
                        ),
                        ItemKind::BlockerClosure => format!(
                            "时限{}，办结{}",
                            date(b.due_on),
                            b.done_on.map_or("未办结".into(), |d| d.to_string())
                        ),
                        _ => format!(
                            "计划{}，实际{}",
                            date(b.due_on),
                            b.done_on.map_or("未达到".into(), |d| d.to_string())
                        ),
                    },
                })
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "assessments/breakdown.html")]
struct BreakdownView {
    page: PageContext,
    breakdown: Breakdown,
    total: String,
    items: Vec<ItemView>,
    back: String,
}

async fn breakdown_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<BreakdownQuery>,
) -> AppResult<Response> {
    let breakdown = breakdown(&state, &auth, &query).await?;
    let quarter = query.scope().quarter()?;
    let view = BreakdownView {
        page: PageContext::new(Some(&auth), "assessment"),
        total: points_text(breakdown.score.total_hundredths),
        items: item_views(&breakdown.score),
        back: format!(
            "/assessment?org_id={}&year={}&quarter={}",
            breakdown.org_id, quarter.year, quarter.quarter
        ),
        breakdown,
    };
    Ok(render(&view)?.into_response())
}

pub struct YearRow {
    pub rank: usize,
    pub name: String,
    pub quarters: Vec<String>,
    pub total: String,
}

pub struct YearTable {
    pub title: &'static str,
    pub rows: Vec<YearRow>,
}

#[derive(Template)]
#[template(path = "assessments/year.html")]
struct YearView {
    page: PageContext,
    report: YearReport,
    states: Vec<String>,
    tables: Vec<YearTable>,
}

async fn year_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<AssessQuery>,
) -> AppResult<Response> {
    let report = year_report(&state, &auth, &query).await?;
    let table = |title, lines: &[YearLine]| YearTable {
        title,
        rows: lines
            .iter()
            .map(|l| YearRow {
                rank: l.rank,
                name: l.subject.name.clone(),
                quarters: l
                    .quarters
                    .iter()
                    .map(|q| q.map(points_text).unwrap_or_else(|| "—".into()))
                    .collect(),
                total: points_text(l.total_hundredths),
            })
            .collect(),
    };
    let tables = if report.departments.is_empty() && report.liaisons.is_empty() {
        vec![table("开发区", &report.zones)]
    } else {
        vec![
            table("部门", &report.departments),
            table("包联领导", &report.liaisons),
        ]
    };
    let view = YearView {
        page: PageContext::new(Some(&auth), "assessment"),
        states: report
            .quarters
            .iter()
            .map(|s| match s.as_str() {
                "closed" => "已关闭",
                "open" => "未关闭（实时）",
                _ => "未开始",
            })
            .map(str::to_owned)
            .collect(),
        tables,
        report,
    };
    Ok(render(&view)?.into_response())
}

#[derive(Template)]
#[template(path = "assessments/sheet.html")]
struct SheetView {
    page: PageContext,
    sheet: SheetReport,
    errors: Vec<String>,
}

async fn sheet_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<AssessQuery>,
) -> AppResult<Response> {
    let view = SheetView {
        page: PageContext::new(Some(&auth), "assessment"),
        sheet: sheet_report(&state, &auth, &query).await?,
        errors: vec![],
    };
    Ok(render(&view)?.into_response())
}

async fn sheet_save_page(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    match save_sheet(&state, &auth, &input).await {
        Ok(s) => Ok(see_other(&format!(
            "/assessment/sheet?org_id={}&year={}",
            s.org_id, s.year
        ))),
        Err(AppError::Invalid(errors)) => {
            let query = AssessQuery {
                org_id: input.text("org_id").parse().ok(),
                year: input.text("year").parse().ok(),
                quarter: None,
            };
            let view = SheetView {
                page: PageContext::new(Some(&auth), "assessment"),
                sheet: sheet_report(&state, &auth, &query).await?,
                errors: crate::error::messages(&errors),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&view)?).into_response())
        }
        Err(other) => Err(other),
    }
}

async fn ranking_xlsx(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<AssessQuery>,
) -> AppResult<Response> {
    let report = report_for(&state, &auth, &query).await?;
    use kfq_export::ReportCell::{Count, Text};
    let tables = rank_tables(&report.results, report.org_kind == "zone");
    let with_table_column = tables.len() > 1;
    let mut rows = Vec::new();
    for table in &tables {
        for r in &table.rows {
            let mut row = vec![Count(r.rank as i64)];
            if with_table_column {
                row.push(Text(table.title.into()));
            }
            row.push(Text(r.name.clone()));
            row.extend(r.points.iter().map(|p| Text(p.clone())));
            row.push(Text(r.total.clone()));
            rows.push(row);
        }
    }
    let item_headers = headers(&report.results.sheet);
    let mut header: Vec<&str> = vec!["名次"];
    if with_table_column {
        header.push("类别");
    }
    header.push("名称");
    header.extend(item_headers.iter().map(String::as_str));
    header.push("总分");
    let status = if report.closing.is_some() {
        "已关闭"
    } else {
        "未关闭"
    };
    let title = format!("{}{}考核得分排名", report.org_name, report.label);
    let bytes = kfq_export::report_xlsx(
        "季度考核",
        &title,
        &format!("单位：分（{status}）"),
        &header,
        &rows,
        &[],
    )
    .map_err(anyhow::Error::from)?;
    Ok(crate::common::attachment(
        bytes,
        &format!("{title}.xlsx"),
        "assessment.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ))
}

// ---- API ----

#[utoipa::path(get, path = "/api/v1/assessments", tag = "assessments", params(AssessQuery),
    responses((status = 200, body = QuarterReport), (status = 404, body = ApiErrorDoc)))]
pub async fn api_quarter(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<AssessQuery>,
) -> AppResult<Json<QuarterReport>> {
    Ok(Json(report_for(&state, &auth, &query).await?))
}

#[utoipa::path(get, path = "/api/v1/assessments/breakdown", tag = "assessments", params(BreakdownQuery),
    responses((status = 200, body = Breakdown), (status = 404, body = ApiErrorDoc)))]
pub async fn api_breakdown(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<BreakdownQuery>,
) -> AppResult<Json<Breakdown>> {
    Ok(Json(breakdown(&state, &auth, &query).await?))
}

#[utoipa::path(get, path = "/api/v1/assessments/year", tag = "assessments", params(AssessQuery),
    responses((status = 200, body = YearReport), (status = 404, body = ApiErrorDoc)))]
pub async fn api_year(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<AssessQuery>,
) -> AppResult<Json<YearReport>> {
    Ok(Json(year_report(&state, &auth, &query).await?))
}

#[utoipa::path(get, path = "/api/v1/assessments/sheet", tag = "assessments", params(AssessQuery),
    responses((status = 200, body = SheetReport), (status = 404, body = ApiErrorDoc)))]
pub async fn api_sheet(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<AssessQuery>,
) -> AppResult<Json<SheetReport>> {
    Ok(Json(sheet_report(&state, &auth, &query).await?))
}

/// `{"org_id": 3, "year": 2025, "plan_completion": 50, "start_rate": 20,
/// "production_rate": 10, "blocker_closure": 20, "version": 0}`
#[derive(Deserialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct SheetBody {
    org_id: i64,
    year: i32,
    /// Whole points per item; the items sum to 100, 0 leaves one out.
    plan_completion: Option<u32>,
    start_rate: Option<u32>,
    production_rate: Option<u32>,
    blocker_closure: Option<u32>,
    /// The version read (0: the unit has no sheet of its own yet).
    version: i64,
}

#[utoipa::path(put, path = "/api/v1/assessments/sheet", tag = "assessments", request_body = SheetBody,
    responses((status = 200, body = SheetReport), (status = 403, body = ApiErrorDoc), (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_set_sheet(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Json<SheetReport>> {
    Ok(Json(save_sheet(&state, &auth, &input).await?))
}

/// `{"org_id": 3, "year": 2025, "quarter": 2}`
#[derive(Deserialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct CloseBody {
    org_id: i64,
    year: i32,
    quarter: u32,
}

#[utoipa::path(post, path = "/api/v1/assessments/close", tag = "assessments", request_body = CloseBody,
    responses((status = 201, body = QuarterReport), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_close(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    let report = close(&state, &auth, &input).await?;
    Ok((StatusCode::CREATED, Json(report)).into_response())
}
