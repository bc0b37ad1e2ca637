//! What the store hands in: the zones, their projects and the names they refer to; the options.

use std::collections::HashSet;

use chrono::NaiveDate;
use kfq_domain::{Category, Money, Mu, Nature, Stage};
use serde::Serialize;

pub use crate::output::{Opening, Targets};

/// What the store knows of the zones an import may write to.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub zones: Vec<ZoneData>,
    /// Project codes held by projects outside these zones.
    pub foreign_codes: HashSet<String>,
}

/// One zone: its projects and the names a ledger refers to.
#[derive(Debug, Clone, Default)]
pub struct ZoneData {
    pub id: i64,
    pub name: String,
    pub projects: Vec<Existing>,
    pub departments: Vec<(i64, String)>,
    /// Users by display name (包联领导).
    pub people: Vec<(i64, String)>,
    pub chains: Vec<(i64, String)>,
}

/// A project kfq already holds, with its figures of the import's year.
#[derive(Debug, Clone)]
pub struct Existing {
    pub id: i64,
    pub version: i64,
    pub stage: Stage,
    pub furthest: Stage,
    pub fields: Fields,
    pub planned: Option<Money>,
    /// The target dates of the import year's plan.
    pub targets: Targets,
    /// The planned days of its 开工 and 投产 milestones: an exported ledger
    /// shows them as 计划开工/投产时间 before the plan's targets.
    pub milestone_plans: Targets,
    /// The name of the enterprise it is linked to: an exported ledger shows
    /// it as 建设单位.
    pub enterprise_name: Option<String>,
    /// 开工以来累计完成投资 as last recorded, with its as-of date.
    pub opening: Option<Opening>,
    /// Months of the import's year: (month, completed).
    pub months: Vec<(u32, Money)>,
    /// Descriptions of its blockers not yet resolved.
    pub open_blockers: Vec<String>,
}

/// The ledger fields of a project, references resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fields {
    pub name: String,
    pub investor: Option<String>,
    pub category: Category,
    pub nature: Nature,
    pub industry_chain: Option<Chain>,
    pub total_investment: Money,
    pub land: Option<Mu>,
    pub floor_area_m2: Option<i64>,
    pub construction_content: Option<String>,
    pub annual_output: Option<Money>,
    pub annual_tax: Option<Money>,
    pub jobs: Option<i64>,
    pub registered: bool,
    pub liaison_user_id: Option<i64>,
    pub department_id: Option<i64>,
    pub project_code: Option<String>,
}

/// An industry chain of the zone, or one the import adds to its list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Chain {
    Known(i64),
    New(String),
}

/// How to plan.
#[derive(Debug, Clone)]
pub struct Options {
    /// The ledger's year, over the sheet's (its title or headers).
    pub year: Option<i32>,
    /// N of "1-N月", over the sheet's.
    pub month: Option<u8>,
    /// Turn 存在问题 into blockers.
    pub blockers: bool,
    pub today: NaiveDate,
}
