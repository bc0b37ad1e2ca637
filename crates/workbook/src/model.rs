//! What reading a workbook produces, and the options a caller passes in. All
//! of it is serde-serialisable so the import page can show it and keep a
//! user's corrected mapping for the next upload.

use kfq_domain::{Category, Money, Mu, Nature, Stage};
use serde::{Deserialize, Serialize};

use crate::field::{Field, Letters, Unit};
use crate::grid::Format;
use crate::value::{Approx, LedgerDate};

/// A workbook read into ledger rows.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Workbook {
    pub file_name: String,
    pub format: Format,
    /// For CSV: the text encoding used ("UTF-8", "GBK", "UTF-16LE").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    pub sheets: Vec<Sheet>,
    /// Problems that concern the whole file (unreadable sheets, encoding,
    /// project codes repeated across sheets).
    pub issues: Vec<Issue>,
}

impl Workbook {
    /// Every project row of every sheet, in order.
    pub fn projects(&self) -> impl Iterator<Item = &ProjectRow> {
        self.sheets.iter().flat_map(|s| s.rows.iter())
    }

    /// Every error: of the file, of the sheets and of the rows.
    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().chain(self.sheets.iter().flat_map(|s| {
            s.issues
                .iter()
                .chain(s.rows.iter().flat_map(|r| r.errors.iter()))
        }))
    }

    /// The sheets where a ledger header was found.
    pub fn ledger_sheets(&self) -> impl Iterator<Item = &Sheet> {
        self.sheets.iter().filter(|s| s.is_ledger)
    }
}

/// One sheet: its layout as detected, the proposed mapping and its rows.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sheet {
    pub name: String,
    pub hidden: bool,
    /// Whether a ledger header was found (otherwise no rows are read).
    pub is_ledger: bool,
    /// "2023年XX开发区重点项目推进台账", without a unit note inside it.
    pub title: Option<String>,
    pub title_row: Option<u32>,
    /// The unit note as written: "单位：万元", "金额单位：亿元".
    pub unit_note: Option<String>,
    /// The money unit for columns whose header names none.
    pub money_unit: Unit,
    pub money_unit_source: UnitSource,
    /// The ledger's year (options, title, then headers), used for dates
    /// written without one ("7月底").
    pub year: Option<i32>,
    /// N of "1-N月完成投资": the last month the year-to-date figures cover.
    pub ytd_through_month: Option<u8>,
    /// The reporting date (截至日期): the day the sheet's facts describe.
    pub as_of: Option<crate::AsOf>,
    pub header_rows: Vec<HeaderRow>,
    pub columns: Vec<ColumnMapping>,
    pub rows: Vec<ProjectRow>,
    pub skipped: Vec<SkippedRow>,
    /// Problems with the sheet as a whole (no name column, nothing found).
    pub issues: Vec<Issue>,
}

/// A header row as it stands in the sheet.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HeaderRow {
    /// 1-based, as Excel shows it.
    pub row: u32,
    pub cells: Vec<String>,
}

/// Where a unit came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitSource {
    /// The column's own header ("总投资（亿元）").
    Header,
    /// The sheet's unit note ("单位：万元").
    UnitNote,
    /// Given in the options.
    Override,
    /// Nothing said: 万元 for money (as entry forms use), 亩 for land, 平方米
    /// for floor area.
    Default,
}

/// Whether a mapping was proposed here or given by the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MappingSource {
    Detected,
    Override,
}

/// One column's header and the field proposed for it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// "D"
    pub column: String,
    /// 0-based.
    pub index: u32,
    /// The header as shown, both rows of a two-row header joined with " / ".
    pub header: String,
    pub field: Option<Field>,
    /// 100 known variant, 80 key word, 60 resemblance; 100 for an override.
    pub confidence: u8,
    pub source: MappingSource,
    /// The unit values in this column are read in (quantities only).
    pub unit: Option<Unit>,
    pub unit_source: Option<UnitSource>,
    /// A year in the header ("2023年计划投资").
    pub year: Option<i32>,
    /// Months in the header ("1-6月" → [1, 6]).
    pub months: Option<(u8, u8)>,
    /// Why a field was not taken, e.g. another column already has it.
    pub note: Option<String>,
}

/// A project row: the values read, what could not be read, and why.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProjectRow {
    pub sheet: String,
    /// 1-based, as Excel shows it.
    pub row: u32,
    /// The section heading above it ("一、产业类项目"), if any.
    pub section: Option<String>,
    pub values: LedgerValues,
    /// Each mapped cell as shown, for the confirmation page.
    pub raw: Vec<RawValue>,
    /// Fields filled from the section heading rather than a cell.
    pub inferred: Vec<Field>,
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
}

impl ProjectRow {
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }
}

/// A mapped cell's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawValue {
    pub field: Field,
    pub column: Letters,
    pub text: String,
}

/// The ledger fields of one row. Field names follow kfq's `ProjectInput`;
/// money is exact yuan, land hundredths of a 亩, floor area square metres.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerValues {
    pub serial: Option<String>,
    pub zone: Option<String>,
    pub name: Option<String>,
    pub investor: Option<String>,
    pub category: Option<Category>,
    pub nature: Option<Nature>,
    pub stage: Option<Stage>,
    pub industry_chain: Option<String>,
    pub total_investment: Option<Approx<Money>>,
    pub planned_investment: Option<Approx<Money>>,
    pub completed_ytd: Option<Approx<Money>>,
    pub completed_cumulative: Option<Approx<Money>>,
    pub construction_content: Option<String>,
    pub start_date: Option<LedgerDate>,
    pub production_date: Option<LedgerDate>,
    pub liaison: Option<String>,
    pub department: Option<String>,
    pub progress: Option<String>,
    pub blockers: Option<String>,
    pub registered: Option<bool>,
    pub project_code: Option<String>,
    pub land_mu: Option<Approx<Mu>>,
    /// Square metres.
    pub floor_area: Option<Approx<i64>>,
    pub annual_output: Option<Approx<Money>>,
    pub annual_tax: Option<Approx<Money>>,
    pub jobs: Option<Approx<i64>>,
}

/// A row that is not a project, and why.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SkippedRow {
    pub row: u32,
    pub kind: SkipKind,
    /// The row's text, cells joined with " | ".
    pub text: String,
    /// In Chinese, for the page.
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipKind {
    /// 空行
    Blank,
    /// A row with a serial number and nothing else.
    SerialOnly,
    /// "一、产业类项目", "（二）续建项目", a zone's name over its projects.
    Section,
    /// 小计 / 产业类小计.
    Subtotal,
    /// 合计 / 总计.
    Total,
    /// "注：…", "填报人：…" and everything below them.
    Note,
    /// The header repeated (printed sheets repeat it on every page).
    RepeatedHeader,
    /// A row numbering the columns (1, 2, 3 … or 甲、乙).
    ColumnNumbers,
}

/// An error or a warning, located as people look for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    pub sheet: String,
    pub row: Option<u32>,
    /// "D"
    pub column: Option<String>,
    pub field: Option<Field>,
    pub reason: String,
    /// "Sheet1 第12行 总投资(D列)：无法识别的金额“约十八个亿”".
    pub message: String,
}

impl Issue {
    pub(crate) fn new(
        sheet: &str,
        row: Option<u32>,
        column: Option<String>,
        field: Option<Field>,
        reason: String,
    ) -> Issue {
        let mut message = sheet.to_string();
        if let Some(row) = row {
            message.push_str(&format!(" 第{row}行"));
        }
        match (field, &column) {
            (Some(f), Some(c)) => message.push_str(&format!(" {}({c}列)", f.label())),
            (Some(f), None) => message.push_str(&format!(" {}", f.label())),
            (None, Some(c)) => message.push_str(&format!(" {c}列")),
            (None, None) => {}
        }
        message.push('：');
        message.push_str(&reason);
        Issue {
            sheet: sheet.to_string(),
            row,
            column,
            field,
            reason,
            message,
        }
    }
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// How to read a workbook. The default detects everything.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReadOptions {
    /// A saved or corrected mapping: applied over what is detected.
    #[serde(default)]
    pub columns: Vec<ColumnOverride>,
    /// Where the header is, when detection gets it wrong.
    #[serde(default)]
    pub headers: Vec<HeaderOverride>,
    /// The money unit for columns whose header names none, over the sheet's
    /// unit note.
    #[serde(default)]
    pub money_unit: Option<Unit>,
    /// The ledger's year, over the one in the title.
    #[serde(default)]
    pub year: Option<i32>,
    /// Read only these sheets (by name); all when empty.
    #[serde(default)]
    pub sheets: Vec<String>,
}

/// One column of a saved mapping. The column is found by its letter, by its
/// header text (compared without blanks and with brackets folded), or by both;
/// `sheet` limits it to one sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnOverride {
    #[serde(default)]
    pub sheet: Option<String>,
    /// "D"
    #[serde(default)]
    pub column: Option<String>,
    #[serde(default)]
    pub header: Option<String>,
    /// The field, or none to ignore the column.
    pub field: Option<Field>,
    /// The unit, over the header's and the note's.
    #[serde(default)]
    pub unit: Option<Unit>,
}

/// The header's first row (1-based) and how many rows it has (1 or 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderOverride {
    #[serde(default)]
    pub sheet: Option<String>,
    pub row: u32,
    #[serde(default = "one")]
    pub rows: u8,
}

fn one() -> u8 {
    1
}
