//! The ledger's rows and inputs as storage reads and takes them.

use kfq_domain::rag::StoredReason;
use kfq_domain::Rag;
use sqlx::any::AnyRow;

use super::*;
use crate::decode;

/// A project as read: every coded attribute, day, flag and amount in its
/// domain type (see [`crate::decode`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub category: Category,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub nature: Nature,
    pub industry_chain_id: Option<i64>,
    pub industry_chain: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub stage: Stage,
    /// The furthest stage of the lifecycle it ever reached.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub furthest_stage: Stage,
    /// The day it reached its stage (YYYY-MM-DD).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub stage_since: Option<NaiveDate>,
    /// 总投资, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub total_investment: Money,
    /// 用地, hundredths of a 亩.
    #[serde(rename = "land_mu_hundredths")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub land: Option<Mu>,
    pub floor_area_m2: Option<i64>,
    pub construction_content: Option<String>,
    /// 预计年产值, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub annual_output: Option<Money>,
    /// 预计年利税, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub annual_tax: Option<Money>,
    pub jobs: Option<i64>,
    /// 入库 (in the statistical register).
    pub registered: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub registered_on: Option<NaiveDate>,
    pub liaison_user_id: Option<i64>,
    pub liaison_name: Option<String>,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub task_force: Option<String>,
    pub project_code: Option<String>,
    /// red, yellow or green.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub rag: Rag,
    /// Why it has its status: catalogue keys and the figure each is about.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub rag_reasons: Vec<StoredReason>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl<'r> sqlx::FromRow<'r, AnyRow> for Project {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(Project {
            id: row.try_get("id")?,
            zone_id: row.try_get("zone_id")?,
            zone_name: row.try_get("zone_name")?,
            zone_path: row.try_get("zone_path")?,
            name: row.try_get("name")?,
            enterprise_id: row.try_get("enterprise_id")?,
            enterprise_name: row.try_get("enterprise_name")?,
            investor: row.try_get("investor")?,
            category: decode::code(row, "category")?,
            nature: decode::code(row, "nature")?,
            industry_chain_id: row.try_get("industry_chain_id")?,
            industry_chain: row.try_get("industry_chain")?,
            stage: decode::code(row, "stage")?,
            furthest_stage: decode::code(row, "furthest_stage")?,
            stage_since: decode::opt_date(row, "stage_since")?,
            total_investment: decode::money(row, "total_investment")?,
            land: decode::opt_mu(row, "land_mu_hundredths")?,
            floor_area_m2: row.try_get("floor_area_m2")?,
            construction_content: row.try_get("construction_content")?,
            annual_output: decode::opt_money(row, "annual_output")?,
            annual_tax: decode::opt_money(row, "annual_tax")?,
            jobs: row.try_get("jobs")?,
            registered: decode::flag(row, "registered")?,
            registered_on: decode::opt_date(row, "registered_on")?,
            liaison_user_id: row.try_get("liaison_user_id")?,
            liaison_name: row.try_get("liaison_name")?,
            department_id: row.try_get("department_id")?,
            department_name: row.try_get("department_name")?,
            task_force: row.try_get("task_force")?,
            project_code: row.try_get("project_code")?,
            rag: decode::code(row, "rag")?,
            rag_reasons: decode::json(row, "rag_reasons")?,
            version: row.try_get("version")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

impl Project {
    pub fn zone_org_path(&self) -> OrgPath {
        OrgPath::parse(&self.zone_path).unwrap_or_else(|_| OrgPath::root_of(self.zone_id))
    }

    /// Its editable fields as they stand, to change some and save the rest as they are.
    pub fn input(&self) -> ProjectInput {
        ProjectInput {
            zone_id: self.zone_id,
            name: self.name.clone(),
            enterprise_id: self.enterprise_id,
            investor: self.investor.clone(),
            category: self.category,
            nature: self.nature,
            industry_chain_id: self.industry_chain_id,
            total_investment: self.total_investment,
            land: self.land,
            floor_area_m2: self.floor_area_m2,
            construction_content: self.construction_content.clone(),
            annual_output: self.annual_output,
            annual_tax: self.annual_tax,
            jobs: self.jobs,
            registered: self.registered,
            registered_on: self.registered_on,
            liaison_user_id: self.liaison_user_id,
            department_id: self.department_id,
            task_force: self.task_force.clone(),
            project_code: self.project_code.clone(),
        }
    }
}

pub use kfq_domain::project_fields::ProjectInput;

/// Columns a ledger list can be sorted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LedgerSort {
    #[default]
    Zone,
    Name,
    Stage,
    TotalInvestment,
    Planned,
    YearToDate,
    /// 完成率: year to date of the year's plan; projects without a plan last.
    Completion,
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
        ("completion", LedgerSort::Completion),
        ("rag", LedgerSort::Rag),
        ("updated", LedgerSort::Updated),
    ];

    pub fn from_code(code: &str) -> Option<LedgerSort> {
        Self::ALL.iter().find(|(c, _)| *c == code).map(|(_, s)| *s)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
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
    /// List cancelled (取消) and suspended (停建) projects with the others and
    /// count them in the totals. Left out by default (a stage filter also
    /// shows them).
    pub with_inactive: bool,
}

/// A line of the ledger list.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerRow {
    pub id: i64,
    pub zone_id: i64,
    pub zone_name: String,
    pub name: String,
    /// 建设单位.
    pub investor: Option<String>,
    pub project_code: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub stage: Stage,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub category: Category,
    pub industry_chain: Option<String>,
    pub liaison_name: Option<String>,
    pub department_name: Option<String>,
    pub registered: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub rag: Rag,
    /// Yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub total_investment: Money,
    /// 年度计划投资 of the filter's year, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub planned_investment: Option<Money>,
    /// 1–N月累计 of the filter's year, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub ytd: Money,
}

impl<'r> sqlx::FromRow<'r, AnyRow> for LedgerRow {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(LedgerRow {
            id: row.try_get("id")?,
            zone_id: row.try_get("zone_id")?,
            zone_name: row.try_get("zone_name")?,
            name: row.try_get("name")?,
            investor: row.try_get("investor")?,
            project_code: row.try_get("project_code")?,
            stage: decode::code(row, "stage")?,
            category: decode::code(row, "category")?,
            industry_chain: row.try_get("industry_chain")?,
            liaison_name: row.try_get("liaison_name")?,
            department_name: row.try_get("department_name")?,
            registered: decode::flag(row, "registered")?,
            rag: decode::code(row, "rag")?,
            total_investment: decode::money(row, "total_investment")?,
            planned_investment: decode::opt_money(row, "planned_investment")?,
            ytd: decode::money(row, "ytd")?,
        })
    }
}

/// The totals row of a ledger list (all matches, not just the page), yuan.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerTotals {
    pub count: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub total_investment: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub planned_investment: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub ytd: Money,
}

impl<'r> sqlx::FromRow<'r, AnyRow> for LedgerTotals {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(LedgerTotals {
            count: row.try_get("count")?,
            total_investment: decode::money(row, "total_investment")?,
            planned_investment: decode::money(row, "planned_investment")?,
            ytd: decode::money(row, "ytd")?,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ledger {
    pub page: Page<LedgerRow>,
    pub totals: LedgerTotals,
    /// The cancelled and suspended projects that match but were left out.
    pub left_out: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageChange {
    pub id: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub from_stage: Option<Stage>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub to_stage: Stage,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub on_date: NaiveDate,
    pub correction: bool,
    pub reason: Option<String>,
    pub actor_name: String,
    pub at: i64,
}

impl<'r> sqlx::FromRow<'r, AnyRow> for StageChange {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(StageChange {
            id: row.try_get("id")?,
            from_stage: decode::opt_code(row, "from_stage")?,
            to_stage: decode::code(row, "to_stage")?,
            on_date: decode::date(row, "on_date")?,
            correction: decode::flag(row, "correction")?,
            reason: row.try_get("reason")?,
            actor_name: row.try_get("actor_name")?,
            at: row.try_get("at")?,
        })
    }
}

/// 开工以来累计完成投资 as a ledger stated it on a day: the months recorded
/// after that day's month add to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpeningCumulative {
    pub project_id: i64,
    /// Yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub amount: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub as_of: NaiveDate,
    pub note: Option<String>,
}

impl<'r> sqlx::FromRow<'r, AnyRow> for OpeningCumulative {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(OpeningCumulative {
            project_id: row.try_get("project_id")?,
            amount: Money::from_yuan(row.try_get("amount")?),
            as_of: crate::decode::date(row, "as_of")?,
            note: row.try_get("note")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnualPlan {
    pub id: i64,
    pub project_id: i64,
    pub year: i64,
    /// 年度计划投资, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub planned_investment: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub target_start: Option<NaiveDate>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub target_completion: Option<NaiveDate>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub target_production: Option<NaiveDate>,
    pub version: i64,
}

impl<'r> sqlx::FromRow<'r, AnyRow> for AnnualPlan {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(AnnualPlan {
            id: row.try_get("id")?,
            project_id: row.try_get("project_id")?,
            year: row.try_get("year")?,
            planned_investment: decode::money(row, "planned_investment")?,
            target_start: decode::opt_date(row, "target_start")?,
            target_completion: decode::opt_date(row, "target_completion")?,
            target_production: decode::opt_date(row, "target_production")?,
            version: row.try_get("version")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthlyInvestment {
    pub id: i64,
    pub project_id: i64,
    pub year: i64,
    pub month: i64,
    /// 当月完成投资, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub amount: Money,
    pub note: Option<String>,
    pub version: i64,
}

impl<'r> sqlx::FromRow<'r, AnyRow> for MonthlyInvestment {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(MonthlyInvestment {
            id: row.try_get("id")?,
            project_id: row.try_get("project_id")?,
            year: row.try_get("year")?,
            month: row.try_get("month")?,
            amount: decode::money(row, "amount")?,
            note: row.try_get("note")?,
            version: row.try_get("version")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Blocker {
    pub id: i64,
    pub zone_id: i64,
    pub project_id: i64,
    pub project_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub factor: BlockerFactor,
    pub description: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub raised_on: NaiveDate,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub deadline: Option<NaiveDate>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub status: BlockerStatus,
    pub resolution: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub resolved_on: Option<NaiveDate>,
    pub version: i64,
}

impl<'r> sqlx::FromRow<'r, AnyRow> for Blocker {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(Blocker {
            id: row.try_get("id")?,
            zone_id: row.try_get("zone_id")?,
            project_id: row.try_get("project_id")?,
            project_name: row.try_get("project_name")?,
            factor: decode::code(row, "factor")?,
            description: row.try_get("description")?,
            raised_on: decode::date(row, "raised_on")?,
            department_id: row.try_get("department_id")?,
            department_name: row.try_get("department_name")?,
            deadline: decode::opt_date(row, "deadline")?,
            status: decode::code(row, "status")?,
            resolution: row.try_get("resolution")?,
            resolved_on: decode::opt_date(row, "resolved_on")?,
            version: row.try_get("version")?,
        })
    }
}

impl Blocker {
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status != BlockerStatus::Resolved && self.deadline.is_some_and(|d| d < today)
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
    date.map(|d| d.to_string())
}

/// A project that was signed, started and put into production in one year,
/// with the day it reached each stage that year.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FastPathProject {
    pub id: i64,
    pub name: String,
    pub zone_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub total_investment: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub signed_on: Option<NaiveDate>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub started_on: Option<NaiveDate>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub producing_on: Option<NaiveDate>,
}

impl<'r> sqlx::FromRow<'r, AnyRow> for FastPathProject {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(FastPathProject {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            zone_name: row.try_get("zone_name")?,
            total_investment: decode::money(row, "total_investment")?,
            signed_on: decode::opt_date(row, "signed_on")?,
            started_on: decode::opt_date(row, "started_on")?,
            producing_on: decode::opt_date(row, "producing_on")?,
        })
    }
}
