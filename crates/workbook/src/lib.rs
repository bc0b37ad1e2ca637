//! Reads a zone's key-project ledger (重点项目台账) from the bytes of an .xlsx,
//! .xls or .csv file into typed rows: per sheet the title, the unit note, the
//! header rows and a proposed mapping from columns to ledger fields; per row
//! the values (money exact in yuan, land in 亩, dates as precise as written)
//! and, for what cannot be read, errors in Chinese naming sheet, row and
//! column. Subtotals, totals, section headings, blank rows and notes are
//! reported as skipped, never as projects.
//!
//! This crate does no I/O and knows nothing of storage: matching rows to
//! existing projects and saving them belongs to the import page.
//!
//! [`indicators`] reads the other table zones are sent: the province's
//! monthly statistics of economic indicators, one row per zone.
//!
//! ```no_run
//! let bytes = std::fs::read("台账.xlsx").unwrap();
//! let book = kfq_workbook::read(&bytes, "台账.xlsx", &Default::default()).unwrap();
//! for row in book.projects() {
//!     println!("{} {:?}", row.row, row.values.name);
//! }
//! ```

pub mod attraction;
mod field;
mod grid;
mod header;
pub mod indicators;
mod model;
mod sheet;
mod text;
mod value;

use std::collections::HashMap;

use serde::Serialize;

pub use field::{column_index, column_letter, Field, Unit};
pub use grid::Format;
pub use header::{header_variants, HeaderVariants, EXACT, GUESS, LIKELY};
pub use model::{
    ColumnMapping, ColumnOverride, HeaderOverride, HeaderRow, Issue, LedgerValues, MappingSource,
    ProjectRow, RawValue, ReadOptions, Sheet, SkipKind, SkippedRow, UnitSource, Workbook,
};
pub use sheet::{month_end, AsOf, AsOfSource};
pub use value::{Approx, LedgerDate};

/// Why a file could not be read at all. Problems inside a readable file are
/// [`Issue`]s on the sheet or the row instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum ReadError {
    #[error("文件为空")]
    Empty,
    #[error("不支持的文件类型“{0}”，请上传 .xlsx、.xls 或 .csv 文件")]
    Unsupported(String),
    #[error("文件扩展名为“{0}”，但内容不是 Excel 格式（可能是网页或文本导出的表格），请用 Excel 或 WPS 另存为 .xlsx 后再导入")]
    NotASpreadsheet(String),
    #[error("文件无法打开，可能已损坏或设置了密码：{0}")]
    Corrupt(String),
    #[error("工作簿中没有可读取的工作表")]
    NoSheets,
    /// A sheet that would expand beyond what a server should hold.
    #[error("{0}")]
    TooLarge(String),
}

/// Reads a ledger workbook from its bytes. `file_name` is used for its
/// extension only (the content decides between .xlsx and .xls).
///
/// Sheets are read row by row: apart from the file's bytes and the rows
/// returned, memory holds only the top of the sheet being read (for its
/// header) and the merged regions still open, whatever the sheet's length.
pub fn read(bytes: &[u8], file_name: &str, options: &ReadOptions) -> Result<Workbook, ReadError> {
    let mut book = grid::Book::open(bytes, file_name)?;
    let file_name = grid::base_name(file_name);
    let mut notes = std::mem::take(&mut book.notes);
    let mut sheets = Vec::new();
    let mut readable = 0;
    for (name, hidden) in book.sheets() {
        if !options.sheets.is_empty() && !options.sheets.contains(&name) {
            readable += 1;
            continue;
        }
        let mut rows = match book.rows(&name) {
            Ok(rows) => rows,
            Err(e) => {
                notes.push(format!("工作表“{name}”无法读取：{e}"));
                continue;
            }
        };
        readable += 1;
        let merges = std::mem::take(&mut rows.merges);
        let mut sheet = sheet::read_sheet(&name, hidden, &merges, rows.by_ref(), options);
        if let Some(refusal) = rows.over_budget(&name) {
            return Err(ReadError::TooLarge(refusal));
        }
        if rows.truncated() {
            sheet.issues.push(Issue::new(
                &name,
                None,
                None,
                None,
                format!(
                    "工作表超过{}列，只读取了前{}列",
                    grid::MAX_COLUMNS,
                    grid::MAX_COLUMNS
                ),
            ));
        }
        notes.extend(rows.notes.drain(..).map(|n| format!("工作表“{name}”{n}")));
        sheets.push(sheet);
    }
    if readable == 0 {
        return Err(ReadError::NoSheets);
    }
    let mut issues: Vec<Issue> = notes
        .into_iter()
        .map(|n| Issue::new(file_name, None, None, None, n))
        .collect();
    if !sheets.iter().any(|s| s.is_ledger) {
        issues.push(Issue::new(
            file_name,
            None,
            None,
            None,
            "没有找到台账表头（需要“项目名称”“总投资”等列名），请确认文件内容或手工指定表头行"
                .to_string(),
        ));
    }
    flag_codes_repeated_across_sheets(&mut sheets);
    Ok(Workbook {
        file_name: file_name.to_string(),
        format: book.format,
        encoding: book.encoding.map(str::to_string),
        sheets,
        issues,
    })
}

/// A project code is unique nationally; the same code on two sheets is the
/// same project entered twice. (Repeats within a sheet are flagged per sheet.)
fn flag_codes_repeated_across_sheets(sheets: &mut [Sheet]) {
    let mut first_seen: HashMap<String, (String, u32)> = HashMap::new();
    let last = sheets.len().saturating_sub(1);
    for (i, sheet) in sheets.iter_mut().enumerate() {
        // The last sheet's codes are looked up, not kept: no sheet follows.
        // (A one-sheet ledger of 100,000 projects copied every code here.)
        if i == last && first_seen.is_empty() {
            break;
        }
        let mut here: HashMap<String, u32> = HashMap::new();
        for row in sheet.rows.iter_mut() {
            let Some(code) = row.values.project_code.clone() else {
                continue;
            };
            if let Some((other, at)) = first_seen.get(&code) {
                let column = row
                    .raw
                    .iter()
                    .find(|v| v.field == Field::ProjectCode)
                    .map(|v| v.column.clone());
                row.errors.push(Issue::new(
                    &sheet.name,
                    Some(row.row),
                    column,
                    Some(Field::ProjectCode),
                    format!("项目代码“{code}”与工作表“{other}”第{at}行重复"),
                ));
            } else {
                here.entry(code).or_insert(row.row);
            }
        }
        for (code, at) in here {
            first_seen.insert(code, (sheet.name.clone(), at));
        }
    }
}
