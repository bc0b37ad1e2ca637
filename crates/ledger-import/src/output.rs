//! The plan handed back: per row its action, changes, stage, annual plan, month and blocker.

use chrono::NaiveDate;
use kfq_domain::{BlockerFactor, Money, Stage};
use kfq_workbook::{Field, Issue};
use serde::Serialize;

use crate::input::Fields;

/// What becomes of one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    Create,
    Update { id: i64, version: i64 },
    Unchanged { id: i64 },
    Reject,
}

/// One field that an update changes, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub field: Field,
    pub label: &'static str,
    pub before: String,
    pub after: String,
}

/// Month N's completed investment, as derived from the year-to-date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthEntry {
    pub year: i32,
    pub month: u32,
    pub amount: Money,
    /// What month N held before, when it held something.
    pub replaces: Option<Money>,
    /// The year-to-date as the ledger states it.
    pub ytd: Money,
}

/// The target dates of a year's plan (年度计划的目标开工、投产日期).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Targets {
    pub start: Option<NaiveDate>,
    pub production: Option<NaiveDate>,
}

impl Targets {
    pub fn is_empty(&self) -> bool {
        self.start.is_none() && self.production.is_none()
    }
}

/// 开工以来累计完成投资 as a ledger stated it on its reporting date: the
/// project's investment before the months kfq records after that date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Opening {
    pub amount: Money,
    pub as_of: NaiveDate,
}

/// What one mapped column of a sheet becomes, as the preview says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnUse {
    pub sheet: String,
    pub index: u32,
    pub header: String,
    pub became: String,
}

/// The plan for one row.
#[derive(Debug, Clone, Serialize)]
pub struct RowPlan {
    pub sheet: String,
    pub row: u32,
    pub name: String,
    pub zone_id: Option<i64>,
    pub action: Action,
    /// The project as it will be (create and update).
    pub fields: Option<Fields>,
    pub changes: Vec<Change>,
    /// The stage to set (create) or advance to (update), with its date.
    pub stage: Option<(Stage, NaiveDate)>,
    /// The annual plan to set for `year`, when it differs.
    pub planned: Option<Money>,
    /// Target dates to set on `year`'s plan (only those that change).
    pub targets: Targets,
    /// The opening cumulative to record, when it changes.
    pub opening: Option<Opening>,
    pub year: i32,
    pub month: Option<MonthEntry>,
    pub blocker: Option<(BlockerFactor, String)>,
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
}

/// The whole import, row by row.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// Per ledger sheet, the day its facts describe and why.
    pub reporting: Vec<Reporting>,
    /// Per mapped column, what it becomes.
    pub columns: Vec<ColumnUse>,
    pub rows: Vec<RowPlan>,
    /// Problems with the file or a sheet as a whole; any of them stops the import.
    pub file_errors: Vec<Issue>,
    /// Chains the import adds, per zone.
    pub new_chains: Vec<(i64, String)>,
}

/// The reporting date (截至日期) of one sheet, as the preview shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reporting {
    pub sheet: String,
    pub date: NaiveDate,
    /// "据“截至2024年6月30日”", "导入时指定的月份", or why today was taken.
    pub basis: String,
}

/// Counts for the summary line ("新增12个，更新30个，未变化5个，有误2行").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub create: usize,
    pub update: usize,
    pub unchanged: usize,
    pub reject: usize,
    pub months: usize,
    pub blockers: usize,
}

impl Plan {
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for row in &self.rows {
            match row.action {
                Action::Create => c.create += 1,
                Action::Update { .. } => c.update += 1,
                Action::Unchanged { .. } => c.unchanged += 1,
                Action::Reject => c.reject += 1,
            }
            if row.action != Action::Reject {
                c.months += usize::from(row.month.is_some());
                c.blockers += usize::from(row.blocker.is_some());
            }
        }
        c
    }

    /// Whether everything can be imported as it stands.
    pub fn is_clean(&self) -> bool {
        self.file_errors.is_empty() && self.rows.iter().all(|r| r.action != Action::Reject)
    }

    /// Whether there is anything to write at all.
    pub fn has_work(&self) -> bool {
        self.rows
            .iter()
            .any(|r| matches!(r.action, Action::Create | Action::Update { .. }))
    }

    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.file_errors
            .iter()
            .chain(self.rows.iter().flat_map(|r| r.errors.iter()))
    }
}
