//! Reads the monthly provincial statistics table of economic indicators
//! (全省开发区主要经济指标完成情况): one sheet of zones × indicators for a month.
//! It finds the title and its period, the unit note, the header (one row or
//! two, merged or not), which column holds each indicator's value and which
//! its 同比 growth, then reads one row per zone: figures exact, converted to
//! the indicator's unit, the zone matched to the caller's zones. Subtotal,
//! total and note rows are skipped with the reason.
//!
//! The caller passes the indicator names and the zones in: this module knows
//! nothing of kfq's catalogue or storage, and saves nothing.

mod layout;
mod zones;

use serde::{Deserialize, Serialize};

use crate::field::column_letter;
use crate::grid::{self, Grid};
use crate::header::section_number;
use crate::model::{Issue, SkipKind, SkippedRow};
use crate::sheet::{is_column_numbers, is_note, month_of_name};
use crate::text::{compact, is_blank_marker, one_line};
use crate::value::{Cell, Decimal};
use crate::ReadError;

use layout::{Layout, SourceUnit};
use zones::ZoneMatch;

/// A statistics table lists a province's zones, a few hundred rows at most;
/// rows beyond this are not read.
const MAX_ROWS: usize = 5_000;

/// An indicator the sheet may report, as the caller's catalogue defines it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorColumnSpec {
    /// The catalogue's code, e.g. `industrial_investment`.
    pub code: String,
    /// The Chinese name and its variants, e.g. ["规上工业增加值", "规模以上工业增加值"].
    pub names: Vec<String>,
    /// The unit figures are returned in: "yi_yuan", "wan_yuan", "wan_usd",
    /// "percent" or "wan_yuan_per_mu".
    pub unit: String,
}

/// A zone the reader may attribute rows to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneSpec {
    pub id: i64,
    /// The full name, e.g. 运城经济技术开发区.
    pub name: String,
}

/// The sheet read: its layout, one row per zone, and what was left out.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndicatorSheet {
    pub sheet: String,
    /// "2024年1-6月全省开发区主要经济指标完成情况", without a unit note.
    pub title: Option<String>,
    /// (year, last month covered): chosen by the caller, or read from the
    /// title ("2024年1-6月" → (2024, 6)), a stated cut-off ("截至6月底"), the
    /// sheet's name ("6月", "2024.6") or the "1-N月" of the headers. `None`
    /// when nothing says it; the issues then say so.
    pub period: Option<(i32, u32)>,
    /// Where the period was read, in Chinese: "据标题“2024年1-6月…”",
    /// "据工作表名“6月”，年份据标题“2024年…”", "按所选年月".
    #[serde(default)]
    pub period_basis: Option<String>,
    /// As written: "单位：亿元、%".
    pub unit_note: Option<String>,
    /// 1-based rows of the header (one or two).
    pub header_rows: Vec<u32>,
    pub columns: Vec<IndicatorColumn>,
    pub rows: Vec<IndicatorRow>,
    /// Subtotals, totals, blank rows, notes: never zones.
    pub skipped: Vec<SkippedRow>,
    /// Problems, in Chinese, naming sheet, row and column.
    pub issues: Vec<Issue>,
}

/// What a column of the sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnRole {
    /// 序号
    Serial,
    /// 开发区
    Zone,
    /// The indicator's figure: the cumulative amount, the rate of a
    /// growth-only indicator, or a ratio.
    Value,
    /// A 同比 growth next to an amount: not read (kfq computes 同比 itself
    /// from last year's figures).
    Growth,
    /// Anything else (本月, 目标, 排名, an unknown header): not read.
    Ignored,
}

/// One column of the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorColumn {
    /// "C"
    pub column: String,
    /// As shown; both rows of a two-row header joined with " / ".
    pub header: String,
    /// The indicator this column belongs to, if any.
    pub code: Option<String>,
    pub what: ColumnRole,
    /// The unit the sheet writes this column in (a unit code as in
    /// [`IndicatorColumnSpec::unit`]), when the header or the note says.
    pub unit: Option<String>,
    /// Why an indicator's column is not read, in Chinese.
    pub note: Option<String>,
}

/// A zone's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorRow {
    /// 1-based, as Excel shows it.
    pub row: u32,
    /// The zone's name as written.
    pub zone_text: String,
    /// The matched zone; `None` when unknown or ambiguous (see the issues).
    pub zone_id: Option<i64>,
    pub figures: Vec<IndicatorFigure>,
}

/// One figure of a zone, in its indicator's unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorFigure {
    pub code: String,
    /// Exact decimal text: "12.536", "-3.2", "34567".
    pub value: String,
    /// "C"
    pub column: String,
}

/// What the caller knows better than the sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorOptions {
    /// The period (year, month) chosen by the user, over what the sheet
    /// says; a sheet that says otherwise is reported.
    #[serde(default)]
    pub period: Option<(i32, u32)>,
}

/// Reads the indicator table from a file's bytes. `file_name` gives the
/// extension only. Of a workbook with several sheets, the first visible sheet
/// with an indicator header is read.
pub fn read_indicator_sheet(
    bytes: &[u8],
    file_name: &str,
    indicators: &[IndicatorColumnSpec],
    zones: &[ZoneSpec],
) -> Result<IndicatorSheet, ReadError> {
    read_indicator_sheet_with(
        bytes,
        file_name,
        indicators,
        zones,
        &IndicatorOptions::default(),
    )
}

/// [`read_indicator_sheet`] with the caller's options.
pub fn read_indicator_sheet_with(
    bytes: &[u8],
    file_name: &str,
    indicators: &[IndicatorColumnSpec],
    zones: &[ZoneSpec],
    options: &IndicatorOptions,
) -> Result<IndicatorSheet, ReadError> {
    let mut book = grid::Book::open(bytes, file_name)?;
    let file_name = grid::base_name(file_name).to_string();
    let mut file_issues: Vec<Issue> = std::mem::take(&mut book.notes)
        .into_iter()
        .map(|n| Issue::new(&file_name, None, None, None, n))
        .collect();
    let mut sheets = book.sheets();
    if sheets.is_empty() {
        return Err(ReadError::NoSheets);
    }
    // The sheet of the month chosen first, then visible sheets: a hidden one
    // is usually an old month kept around.
    let fits_chosen = |name: &str| match (options.period, month_of_name(name)) {
        (Some((year, month)), Some((y, m))) => m == month && y.is_none_or(|y| y == year),
        _ => false,
    };
    sheets.sort_by_key(|(name, hidden)| (!fits_chosen(name), *hidden));
    let month_sheets: Vec<String> = sheets
        .iter()
        .filter(|(name, hidden)| !hidden && month_of_name(name).is_some())
        .map(|(name, _)| name.clone())
        .collect();
    let mut first_readable: Option<(Grid, Vec<Issue>)> = None;
    for (name, _) in sheets {
        let (grid, notes) = match load(&mut book, &name) {
            Ok(loaded) => loaded,
            Err(Unread::Sheet(reason)) => {
                file_issues.push(Issue::new(&name, None, None, None, reason));
                continue;
            }
            Err(Unread::File(refused)) => return Err(refused),
        };
        if let Some(layout) = Layout::find(&grid, indicators) {
            if month_sheets.len() > 1 && !fits_chosen(&name) {
                file_issues.push(Issue::new(
                    &file_name,
                    None,
                    None,
                    None,
                    format!(
                        "工作簿中有多个月份的工作表（{}），读取的是“{name}”；要读取其他月份，请选择该年月",
                        month_sheets.join("、")
                    ),
                ));
            }
            let mut sheet = read_grid(&grid, &layout, indicators, zones, options);
            file_issues.extend(notes);
            file_issues.append(&mut sheet.issues);
            sheet.issues = file_issues;
            return Ok(sheet);
        }
        if first_readable.is_none() {
            first_readable = Some((grid, notes));
        }
    }
    let Some((grid, notes)) = first_readable else {
        return Err(ReadError::NoSheets);
    };
    file_issues.extend(notes);
    file_issues.push(Issue::new(
        &grid.name,
        None,
        None,
        None,
        "没有找到指标表头（需要“开发区”列和“工业投资”等指标列），请确认文件内容".to_string(),
    ));
    Ok(IndicatorSheet {
        sheet: grid.name.clone(),
        title: None,
        period: options.period,
        period_basis: options.period.map(|_| CHOSEN.to_string()),
        unit_note: None,
        header_rows: Vec::new(),
        columns: Vec::new(),
        rows: Vec::new(),
        skipped: Vec::new(),
        issues: file_issues,
    })
}

/// Why a sheet was not loaded: it cannot be read (the others may be), or
/// the file is over what one read may hold.
enum Unread {
    Sheet(String),
    File(ReadError),
}

/// A whole sheet as cells, with its merges: the table is small, and holding
/// it lets the header be read with the rows under a merge in view.
fn load(book: &mut grid::Book<'_>, name: &str) -> Result<(Grid, Vec<Issue>), Unread> {
    let mut rows = book
        .rows(name)
        .map_err(|e| Unread::Sheet(format!("工作表“{name}”无法读取：{e}")))?;
    let merges = std::mem::take(&mut rows.merges);
    let cells: Vec<Vec<Cell>> = rows.by_ref().take(MAX_ROWS).collect();
    if let Some(refusal) = rows.over_budget(name) {
        return Err(Unread::File(ReadError::TooLarge(refusal)));
    }
    let mut issues: Vec<Issue> = rows
        .notes
        .drain(..)
        .map(|n| Issue::new(name, None, None, None, n))
        .collect();
    if cells.len() == MAX_ROWS && rows.next().is_some() {
        issues.push(Issue::new(
            name,
            None,
            None,
            None,
            format!("工作表超过{MAX_ROWS}行，只读取了前面部分"),
        ));
    }
    let mut grid = Grid::new(name.to_string(), cells);
    grid.add_merges(&merges);
    Ok((grid, issues))
}

/// The basis of a period the user chose.
const CHOSEN: &str = "按所选年月";

fn read_grid(
    grid: &Grid,
    layout: &Layout,
    indicators: &[IndicatorColumnSpec],
    zones: &[ZoneSpec],
    options: &IndicatorOptions,
) -> IndicatorSheet {
    let found = layout.period.as_ref();
    let (period, period_basis) = match options.period {
        Some(chosen) => (Some(chosen), Some(CHOSEN.to_string())),
        None => (
            found.map(|p| (p.year, p.month)),
            found.map(|p| p.basis.clone()),
        ),
    };
    let mut sheet = IndicatorSheet {
        sheet: grid.name.clone(),
        title: layout.title.clone(),
        period,
        period_basis,
        unit_note: layout.unit_note.clone(),
        header_rows: (layout.first..=layout.last).map(|r| r as u32 + 1).collect(),
        columns: layout.columns(),
        rows: Vec::new(),
        skipped: Vec::new(),
        issues: layout.issues(&grid.name, indicators, options.period),
    };
    let mut reader = RowReader {
        grid,
        layout,
        indicators,
        zones,
        in_notes: false,
    };
    for r in layout.last + 1..grid.height() {
        reader.read_row(r, &mut sheet);
    }
    sheet
}

struct RowReader<'a> {
    grid: &'a Grid,
    layout: &'a Layout,
    indicators: &'a [IndicatorColumnSpec],
    zones: &'a [ZoneSpec],
    /// Past the first note: everything below is notes too.
    in_notes: bool,
}

impl RowReader<'_> {
    fn read_row(&mut self, r: usize, sheet: &mut IndicatorSheet) {
        let grid = self.grid;
        let row_no = r as u32 + 1;
        let own: Vec<(usize, &Cell)> = (0..grid.width())
            .map(|c| (c, grid.own(r, c)))
            .filter(|(_, cell)| !cell.is_empty())
            .collect();
        let text = own
            .iter()
            .map(|(_, cell)| one_line(&cell.display()))
            .collect::<Vec<_>>()
            .join(" | ");
        let mut skip = |kind, reason: &str| {
            sheet.skipped.push(SkippedRow {
                row: row_no,
                kind,
                text: text.clone(),
                reason: reason.to_string(),
            })
        };
        if own.is_empty() {
            return skip(SkipKind::Blank, "空行");
        }
        if self.in_notes || is_note(&compact(&own[0].1.display())) {
            self.in_notes = true;
            return skip(SkipKind::Note, "表尾注释");
        }
        if r == self.layout.last + 1 && is_column_numbers(&own) {
            return skip(SkipKind::ColumnNumbers, "栏次行（列编号）");
        }
        let label = self.label(r);
        let has_figures = own
            .iter()
            .any(|(c, _)| self.layout.value_column(*c).is_some());
        if compact(&label) == compact(&self.layout.zone_header) {
            return skip(SkipKind::RepeatedHeader, "重复的表头行");
        }
        let matched = zones::match_zone(&label, self.zones);
        // "运城市" may be contained in a zone's name; only a zone's own name
        // (or its short form) outranks the look of a subtotal.
        if !matches!(matched, ZoneMatch::Exact(_)) {
            if let Some((kind, reason)) = aggregate_kind(&label, has_figures) {
                return skip(kind, reason);
            }
        }
        if label.is_empty() && !has_figures {
            return skip(SkipKind::SerialOnly, "仅有序号的空行");
        }
        let zone_column = Some(column_letter(self.layout.zone_col as u32));
        let zone_id = match matched {
            ZoneMatch::Exact(id) | ZoneMatch::Contained(id) => Some(id),
            _ => {
                let reason = match (&matched, label.is_empty()) {
                    (_, true) => "没有开发区名称".to_string(),
                    (ZoneMatch::Many(names), _) => {
                        format!("开发区“{label}”对应多个开发区：{}", names.join("、"))
                    }
                    _ => format!("开发区“{label}”不在您管理的范围内"),
                };
                sheet.issues.push(Issue::new(
                    &sheet.sheet,
                    Some(row_no),
                    zone_column,
                    None,
                    reason,
                ));
                None
            }
        };
        let figures = self.figures(r, &mut sheet.issues);
        sheet.rows.push(IndicatorRow {
            row: row_no,
            zone_text: label,
            zone_id,
            figures,
        });
    }

    /// The zone's name as written; when the zone cell is empty, the first
    /// text left of the figures ("合计" merged over 序号 and 开发区).
    fn label(&self, r: usize) -> String {
        let shown = one_line(&self.grid.shown(r, self.layout.zone_col).display());
        if !shown.is_empty() {
            return shown;
        }
        // A serial number is no label, even as text (CSV has only text).
        let is_serial = |t: &str| compact(t).chars().all(|c| c.is_ascii_digit() || c == '.');
        (0..self.layout.first_figure_col().min(self.grid.width()))
            .find_map(|c| match self.grid.shown(r, c) {
                Cell::Text(t) if !is_serial(t) => Some(one_line(t)),
                _ => None,
            })
            .unwrap_or_default()
    }

    fn figures(&self, r: usize, issues: &mut Vec<Issue>) -> Vec<IndicatorFigure> {
        let mut figures = Vec::new();
        for (c, column) in self.layout.value_columns() {
            let spec = &self.indicators[column.indicator];
            let letter = column_letter(c as u32);
            match figure(self.grid.own(r, c), column.source, column.target) {
                Ok(Some(value)) => figures.push(IndicatorFigure {
                    code: spec.code.clone(),
                    value,
                    column: letter,
                }),
                Ok(None) => {}
                Err(reason) => {
                    let name = spec
                        .names
                        .first()
                        .map_or(spec.code.as_str(), String::as_str);
                    issues.push(Issue::new(
                        &self.grid.name,
                        Some(r as u32 + 1),
                        Some(letter),
                        None,
                        format!("{name}{reason}，未读取"),
                    ));
                }
            }
        }
        figures
    }
}

/// Subtotal, total and grouping rows, by their label: "运城市小计", "合计",
/// "全省", "其中：国家级", a bare city "运城市", "一、国家级开发区".
fn aggregate_kind(label: &str, has_figures: bool) -> Option<(SkipKind, &'static str)> {
    let t = compact(label);
    let t = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let total = ["合计", "总计", "全省", "全市", "总体"]
        .iter()
        .any(|w| t.starts_with(w))
        || t.ends_with("合计")
        || t.ends_with("总计");
    if total {
        return Some((SkipKind::Total, "合计行，不是开发区"));
    }
    let level = ["国家级", "省级", "市级"].iter().any(|w| t.starts_with(w));
    if t.contains("小计") || t.starts_with("其中") {
        return Some((SkipKind::Subtotal, "小计行，不是开发区"));
    }
    let city = t.ends_with('市') || t.ends_with("地区") || t.ends_with('州');
    if city && has_figures {
        return Some((SkipKind::Subtotal, "市级汇总行，不是开发区"));
    }
    if section_number(t).is_some() || level || city {
        return Some(match has_figures {
            true => (SkipKind::Subtotal, "分组汇总行，不是开发区"),
            false => (SkipKind::Section, "分组标题行"),
        });
    }
    None
}

/// A cell's figure in the indicator's unit, `None` for "no data" (blank,
/// "—", "/"), or why it cannot be read.
fn figure(cell: &Cell, source: SourceUnit, target: SourceUnit) -> Result<Option<String>, String> {
    let decimal = match cell {
        Cell::Empty => return Ok(None),
        Cell::Text(t) if is_blank_marker(t) => return Ok(None),
        Cell::Number(n) => Decimal::parse(n),
        Cell::Text(t) => {
            let t = compact(t);
            // Rates are often typed with their sign: "12.5%".
            let bare = t.strip_suffix('%').unwrap_or(&t);
            Decimal::parse(bare)
        }
        Cell::Date(d) => return Err(format!("为日期“{d}”，不是数字")),
        Cell::Bool(_) => return Err("为逻辑值，不是数字".to_string()),
        Cell::Error(e) => return Err(format!("为错误值“{e}”")),
    };
    let Some(decimal) = decimal else {
        return Err(format!("“{}”不是数字", one_line(&cell.display())));
    };
    decimal
        .shifted_text(source.exponent() - target.exponent())
        .map(Some)
        .ok_or_else(|| format!("“{}”数值过大", cell.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregate_rows() {
        use SkipKind::*;
        let cases = [
            ("合计", true, Some(Total)),
            ("合    计", true, Some(Total)),
            ("全省", true, Some(Total)),
            ("全省开发区合计", true, Some(Total)),
            ("运城市小计", true, Some(Subtotal)),
            ("其中：国家级", true, Some(Subtotal)),
            ("运城市", true, Some(Subtotal)),
            ("运城市", false, Some(Section)),
            ("一、国家级开发区", false, Some(Section)),
            ("国家级开发区", true, Some(Subtotal)),
            ("运城经济技术开发区", true, None),
            ("孝义经济开发区", true, None),
        ];
        for (label, has_figures, kind) in cases {
            assert_eq!(
                aggregate_kind(label, has_figures).map(|(k, _)| k),
                kind,
                "{label}"
            );
        }
    }

    #[test]
    fn figures_are_exact_and_converted() {
        use SourceUnit::*;
        let number = |n: &str| Cell::Number(n.to_string());
        let text = |t: &str| Cell::Text(t.to_string());
        type Expected = Result<Option<&'static str>, &'static str>;
        let cases: &[(Cell, SourceUnit, SourceUnit, Expected)] = &[
            (number("125.36"), Yi, Yi, Ok(Some("125.36"))),
            (number("125360"), Wan, Yi, Ok(Some("12.536"))),
            (text("125,360"), Wan, Yi, Ok(Some("12.536"))),
            (text("１２５３６０"), Wan, Yi, Ok(Some("12.536"))),
            (number("3.4567"), Yi, Wan, Ok(Some("34567"))),
            (number("0.3"), Yi, Wan, Ok(Some("3000"))),
            (number("-3.2"), Percent, Percent, Ok(Some("-3.2"))),
            (text("12.5%"), Percent, Percent, Ok(Some("12.5"))),
            (number("7"), Wan, Yi, Ok(Some("0.0007"))),
            (number("0"), Wan, Yi, Ok(Some("0"))),
            (text("—"), Yi, Yi, Ok(None)),
            (text("/"), Yi, Yi, Ok(None)),
            (Cell::Empty, Yi, Yi, Ok(None)),
            (text("待核实"), Yi, Yi, Err("“待核实”不是数字")),
            (text("12亿"), Yi, Yi, Err("“12亿”不是数字")),
            (
                Cell::Error("#DIV/0!".into()),
                Yi,
                Yi,
                Err("为错误值“#DIV/0!”"),
            ),
            (Cell::Bool(true), Yi, Yi, Err("为逻辑值，不是数字")),
        ];
        for (cell, source, target, expected) in cases {
            let got = figure(cell, *source, *target);
            let got = got.as_ref().map(Option::as_deref).map_err(String::as_str);
            assert_eq!(got, *expected, "{cell:?}");
        }
    }
}
