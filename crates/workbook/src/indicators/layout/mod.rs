//! The layout of an indicator table: the header (one row, or a group row
//! over sub-columns such as 累计 | 同比增长), the title and the period it
//! names, the unit note, and for each column the indicator it belongs to,
//! whether it is the value or the growth, and the unit it is written in.
//! Reading the rows below is not this module's business.

mod columns;
mod names;
mod period;
mod title;
mod units;

use crate::field::column_letter;
use crate::grid::Grid;
use crate::model::Issue;
use crate::text::one_line;

use super::{ColumnRole, IndicatorColumn, IndicatorColumnSpec};

use columns::{assign_units, is_sub_header_row, is_zone_header, read_columns};
use period::{find_period, PeriodIssue};
use title::{find_title, find_unit_note};

pub(crate) use period::Found as FoundPeriod;

pub(crate) use units::SourceUnit;

/// Rows searched for the header.
const HEADER_SEARCH_ROWS: usize = 30;

/// How a value column is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ValueColumn {
    /// Index into the caller's indicators.
    pub indicator: usize,
    /// The unit the sheet writes it in.
    pub source: SourceUnit,
    /// The indicator's unit.
    pub target: SourceUnit,
}

#[derive(Debug, Clone)]
struct ColumnInfo {
    col: usize,
    header: String,
    code: Option<String>,
    role: ColumnRole,
    /// The unit the header or the note gives.
    unit: Option<SourceUnit>,
    value: Option<ValueColumn>,
    note: Option<String>,
    /// Whether the note is also an issue: an indicator's figures that
    /// cannot be read (a unit that does not convert, a second column of
    /// the same indicator), not a column that is no value by design.
    said: bool,
}

/// What was found above and in the header.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// 0-based first and last header rows.
    pub first: usize,
    pub last: usize,
    pub zone_col: usize,
    /// The zone column's header as written, to spot the header repeated.
    pub zone_header: String,
    pub title: Option<String>,
    /// The period the sheet itself names, and where.
    pub period: Option<FoundPeriod>,
    /// Its absence, or sources that disagree on it.
    period_issues: Vec<PeriodIssue>,
    pub unit_note: Option<String>,
    columns: Vec<ColumnInfo>,
    /// Indicators whose unit code is not known, by index.
    unknown_units: Vec<usize>,
}

impl Layout {
    /// The header with its zone column and at least one indicator column,
    /// searched from the top; `None` when the sheet has none.
    pub(crate) fn find(grid: &Grid, indicators: &[IndicatorColumnSpec]) -> Option<Layout> {
        let targets: Vec<Option<SourceUnit>> = indicators
            .iter()
            .map(|i| SourceUnit::from_code(&i.unit))
            .collect();
        for first in 0..grid.height().min(HEADER_SEARCH_ROWS) {
            let Some(zone_col) = (0..grid.width()).find(|c| is_zone_header(grid.shown(first, *c)))
            else {
                continue;
            };
            let two_rows = is_sub_header_row(grid, first + 1, zone_col);
            let last = first + usize::from(two_rows);
            let (unit_note, note_units) = find_unit_note(grid, first, last);
            let mut columns = read_columns(grid, first, two_rows, zone_col, indicators, &targets);
            if !columns.iter().any(|c| c.code.is_some()) {
                continue;
            }
            assign_units(&mut columns, &note_units, indicators, &targets);
            let (title, title_row) = find_title(grid, first, unit_note.as_deref());
            let (period, period_issues) =
                find_period(grid, first, title.as_deref().zip(title_row), &columns);
            return Some(Layout {
                first,
                last,
                zone_col,
                zone_header: one_line(&grid.shown(first, zone_col).display()),
                title,
                period,
                period_issues,
                unit_note,
                columns,
                unknown_units: (0..indicators.len())
                    .filter(|i| targets[*i].is_none())
                    .collect(),
            });
        }
        None
    }

    pub(crate) fn columns(&self) -> Vec<IndicatorColumn> {
        self.columns
            .iter()
            .map(|c| IndicatorColumn {
                column: column_letter(c.col as u32),
                header: c.header.clone(),
                code: c.code.clone(),
                what: c.role,
                unit: c.unit.map(|u| u.code().to_string()),
                note: c.note.clone(),
            })
            .collect()
    }

    /// Problems with the layout: no period (unless `chosen`), sources of
    /// the period that disagree, indicators that cannot be read.
    pub(crate) fn issues(
        &self,
        sheet: &str,
        indicators: &[IndicatorColumnSpec],
        chosen: Option<(i32, u32)>,
    ) -> Vec<Issue> {
        let mut issues = Vec::new();
        match (chosen, &self.period) {
            (Some((year, month)), Some(found)) if (found.year, found.month) != (year, month) => {
                issues.push(Issue::new(
                    sheet,
                    None,
                    None,
                    None,
                    format!(
                        "所选年月为{year}年{month}月，表格为{}年{}月（{}），按所选年月读取",
                        found.year, found.month, found.basis
                    ),
                ));
            }
            (Some(_), None) => {}
            _ => issues.extend(self.period_issues.iter().map(|(row, column, reason)| {
                Issue::new(sheet, *row, column.clone(), None, reason.clone())
            })),
        }
        let header_row = self.first as u32 + 1;
        for c in self.columns.iter().filter(|c| c.said) {
            if let Some(note) = &c.note {
                issues.push(Issue::new(
                    sheet,
                    Some(header_row),
                    Some(column_letter(c.col as u32)),
                    None,
                    format!("“{}”{note}", c.header),
                ));
            }
        }
        for &i in &self.unknown_units {
            let spec = &indicators[i];
            issues.push(Issue::new(
                sheet,
                None,
                None,
                None,
                format!("指标“{}”的单位“{}”无法识别，未读取", spec.code, spec.unit),
            ));
        }
        issues
    }

    pub(crate) fn value_column(&self, col: usize) -> Option<&ValueColumn> {
        self.columns
            .iter()
            .find(|c| c.col == col)
            .and_then(|c| c.value.as_ref())
    }

    pub(crate) fn value_columns(&self) -> impl Iterator<Item = (usize, &ValueColumn)> {
        self.columns
            .iter()
            .filter_map(|c| c.value.as_ref().map(|v| (c.col, v)))
    }

    /// Where the figures start: labels of total rows sit left of it.
    pub(crate) fn first_figure_col(&self) -> usize {
        self.columns
            .iter()
            .filter(|c| c.code.is_some())
            .map(|c| c.col)
            .min()
            .unwrap_or(usize::MAX)
    }
}
