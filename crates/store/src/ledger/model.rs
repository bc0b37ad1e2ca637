//! The ledger's rows and inputs as storage reads and takes them.

use super::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Project {
    pub id: i64,
    pub zone_id: i64,
    pub zone_name: String,
    #[serde(skip)]
    pub zone_path: String,
    pub name: String,
    pub enterprise_id: Option<i64>,
    pub enterprise_name: Option<String>,
    pub investor: Option<String>,
    pub category: String,
    pub nature: String,
    pub industry_chain_id: Option<i64>,
    pub industry_chain: Option<String>,
    pub stage: String,
    pub furthest_stage: String,
    pub stage_since: Option<String>,
    /// 总投资, yuan.
    pub total_investment: i64,
    pub land_mu_hundredths: Option<i64>,
    pub floor_area_m2: Option<i64>,
    pub construction_content: Option<String>,
    /// 预计年产值, yuan.
    pub annual_output: Option<i64>,
    /// 预计年利税, yuan.
    pub annual_tax: Option<i64>,
    pub jobs: Option<i64>,
    pub registered: i64,
    pub registered_on: Option<String>,
    pub liaison_user_id: Option<i64>,
    pub liaison_name: Option<String>,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub task_force: Option<String>,
    pub project_code: Option<String>,
    pub rag: String,
    /// JSON list of the reasons for the status.
    pub rag_reasons: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Project {
    pub fn zone_org_path(&self) -> OrgPath {
        OrgPath::parse(&self.zone_path).unwrap_or_else(|_| OrgPath::root_of(self.zone_id))
    }

    pub fn stage(&self) -> Stage {
        Stage::from_code(&self.stage).unwrap_or(Stage::Planning)
    }

    pub fn furthest(&self) -> Stage {
        Stage::from_code(&self.furthest_stage).unwrap_or(Stage::Planning)
    }
}

/// A project's editable fields, already parsed.
#[derive(Debug, Clone)]
pub struct ProjectInput {
    pub zone_id: i64,
    pub name: String,
    pub enterprise_id: Option<i64>,
    pub investor: Option<String>,
    pub category: Category,
    pub nature: Nature,
    pub industry_chain_id: Option<i64>,
    pub total_investment: Money,
    pub land: Option<Mu>,
    pub floor_area_m2: Option<i64>,
    pub construction_content: Option<String>,
    pub annual_output: Option<Money>,
    pub annual_tax: Option<Money>,
    pub jobs: Option<i64>,
    pub registered: bool,
    pub registered_on: Option<NaiveDate>,
    pub liaison_user_id: Option<i64>,
    pub department_id: Option<i64>,
    pub task_force: Option<String>,
    pub project_code: Option<String>,
}

/// Columns a ledger list can be sorted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LedgerSort {
    #[default]
    Zone,
    Name,
    Stage,
    TotalInvestment,
    Planned,
    YearToDate,
    Rag,
    Updated,
}

impl LedgerSort {
    pub const ALL: &'static [(&'static str, LedgerSort)] = &[
        ("zone", LedgerSort::Zone),
        ("name", LedgerSort::Name),
        ("stage", LedgerSort::Stage),
        ("total_investment", LedgerSort::TotalInvestment),
        ("planned", LedgerSort::Planned),
        ("ytd", LedgerSort::YearToDate),
        ("rag", LedgerSort::Rag),
        ("updated", LedgerSort::Updated),
    ];

    pub fn from_code(code: &str) -> Option<LedgerSort> {
        Self::ALL.iter().find(|(c, _)| *c == code).map(|(_, s)| *s)
    }
}

#[derive(Debug, Clone, Default)]
pub struct LedgerFilter {
    pub zone_id: Option<i64>,
    pub stage: Option<Stage>,
    pub category: Option<Category>,
    pub industry_chain_id: Option<i64>,
    pub liaison_user_id: Option<i64>,
    pub department_id: Option<i64>,
    pub rag: Option<kfq_domain::Rag>,
    pub registered: Option<bool>,
    pub name_contains: Option<String>,
    /// The year of the plan and of year-to-date investment, and the month it runs to.
    pub year: i32,
    pub month: u32,
    pub sort: LedgerSort,
    pub descending: bool,
}

/// A line of the ledger list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerRow {
    pub id: i64,
    pub zone_id: i64,
    pub zone_name: String,
    pub name: String,
    /// 建设单位.
    pub investor: Option<String>,
    pub project_code: Option<String>,
    pub stage: String,
    pub category: String,
    pub industry_chain: Option<String>,
    pub liaison_name: Option<String>,
    pub department_name: Option<String>,
    pub registered: i64,
    pub rag: String,
    /// Yuan.
    pub total_investment: i64,
    /// 年度计划投资 of the filter's year, yuan.
    pub planned_investment: Option<i64>,
    /// 1–N月累计 of the filter's year, yuan.
    pub ytd: i64,
}

/// The totals row of a ledger list (all matches, not just the page).
#[derive(Debug, Clone, Default, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerTotals {
    pub count: i64,
    pub total_investment: i64,
    pub planned_investment: i64,
    pub ytd: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ledger {
    pub page: Page<LedgerRow>,
    pub totals: LedgerTotals,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageChange {
    pub id: i64,
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub on_date: String,
    pub correction: i64,
    pub reason: Option<String>,
    pub actor_name: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnualPlan {
    pub id: i64,
    pub project_id: i64,
    pub year: i64,
    pub planned_investment: i64,
    pub target_start: Option<String>,
    pub target_completion: Option<String>,
    pub target_production: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthlyInvestment {
    pub id: i64,
    pub project_id: i64,
    pub year: i64,
    pub month: i64,
    pub amount: i64,
    pub note: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Blocker {
    pub id: i64,
    pub zone_id: i64,
    pub project_id: i64,
    pub project_name: String,
    pub factor: String,
    pub description: String,
    pub raised_on: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub deadline: Option<String>,
    pub status: String,
    pub resolution: Option<String>,
    pub resolved_on: Option<String>,
    pub version: i64,
}

impl Blocker {
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status != BlockerStatus::Resolved.code()
            && self
                .deadline
                .as_deref()
                .and_then(parse_date)
                .is_some_and(|d| d < today)
    }
}

#[derive(Debug, Clone)]
pub struct BlockerInput {
    pub factor: BlockerFactor,
    pub description: String,
    pub raised_on: NaiveDate,
    pub department_id: Option<i64>,
    pub deadline: Option<NaiveDate>,
    pub status: BlockerStatus,
    pub resolution: Option<String>,
    pub resolved_on: Option<NaiveDate>,
}

pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

pub(crate) fn date_text(date: Option<NaiveDate>) -> Option<String> {
    date.map(|d| d.format("%Y-%m-%d").to_string())
}

/// A project that was signed, started and put into production in one year,
/// with the day it reached each stage that year.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FastPathProject {
    pub id: i64,
    pub name: String,
    pub zone_name: String,
    pub total_investment: i64,
    pub signed_on: Option<String>,
    pub started_on: Option<String>,
    pub producing_on: Option<String>,
}
