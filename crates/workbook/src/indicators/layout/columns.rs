//! Each header column's role (zones, serial, an indicator's value or growth) and its unit.

use super::names::match_indicator;
use super::units::{units_in, SourceUnit};
use super::{ColumnInfo, ValueColumn};
use crate::field::column_letter;
use crate::grid::Grid;
use crate::indicators::{ColumnRole, IndicatorColumnSpec};
use crate::text::{compact, one_line};
use crate::value::Cell;

/// Headers of the zones' column.
const ZONE_HEADERS: &[&str] = &[
    "开发区",
    "开发区名称",
    "开发区简称",
    "各开发区",
    "园区",
    "园区名称",
    "单位",
    "单位名称",
    "名称",
    "地区",
    "县",
    "县区",
    "县市区",
    "地区/开发区",
];

const SERIAL_HEADERS: &[&str] = &["序号", "序", "编号", "NO", "NO."];

/// Words of a 同比 column: its figure is a growth, not the indicator's value.
const GROWTH_WORDS: &[&str] = &[
    "同比",
    "增长",
    "增速",
    "增幅",
    "增减",
    "比上年",
    "比去年",
    "±",
];

/// Words of a plan, a target or a forecast: never a figure done.
const PLAN_WORDS: &[&str] = &["计划", "目标", "任务", "预计", "预测", "预期", "拟"];

/// Last year's figure for comparison ("上年同期"): not this period's value.
const LAST_YEAR_WORDS: &[&str] = &["上年同期", "去年同期", "上年", "去年", "同期"];

/// Sub-columns that belong to an indicator but are not its cumulative value.
const OTHER_WORDS: &[&str] = &[
    "本月",
    "当月",
    "完成率",
    "进度",
    "排名",
    "位次",
    "占比",
    "比重",
    "序时",
];

fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) => one_line(t),
        _ => String::new(),
    }
}

/// Without bracketed remarks: "开发区（园区）" → "开发区".
pub(super) fn without_brackets(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in compact(text).chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

pub(super) fn is_zone_header(cell: &Cell) -> bool {
    let t = without_brackets(&cell_text(cell));
    ZONE_HEADERS.contains(&t.as_str())
}

/// Whether the row under the header's first row is its second row: the zone
/// cell is empty there (merged from above or left blank), and the row holds
/// words, not figures.
pub(super) fn is_sub_header_row(grid: &Grid, r: usize, zone_col: usize) -> bool {
    if r >= grid.height() || !grid.own(r, zone_col).is_empty() {
        return false;
    }
    let own: Vec<&Cell> = (0..grid.width())
        .map(|c| grid.own(r, c))
        .filter(|c| !c.is_empty())
        .collect();
    !own.is_empty() && own.iter().all(|c| matches!(c, Cell::Text(_)))
}

/// The group and sub-header texts of each column. A group written once over
/// its sub-columns without a merge (as CSV has it) covers the empty cells to
/// its right that have a sub-header.
fn header_texts(grid: &Grid, first: usize, two_rows: bool) -> Vec<(String, String)> {
    let width = grid.width();
    let sub = |c: usize| -> String {
        if !two_rows {
            return String::new();
        }
        match grid.origin(first + 1, c) {
            // Merged down from the group row: the same text, not a sub-header.
            Some((r, _)) if r == first => String::new(),
            _ => cell_text(grid.shown(first + 1, c)),
        }
    };
    let subs: Vec<String> = (0..width).map(sub).collect();
    let mut texts = Vec::with_capacity(width);
    for c in 0..width {
        let mut group = cell_text(grid.shown(first, c));
        if group.is_empty() && !subs[c].is_empty() && grid.origin(first, c).is_none() {
            let mut left = c;
            while left > 0 && !subs[left - 1].is_empty() {
                left -= 1;
                let text = cell_text(grid.shown(first, left));
                if !text.is_empty() {
                    group = text;
                    break;
                }
            }
        }
        texts.push((group, subs[c].clone()));
    }
    texts
}

pub(super) fn read_columns(
    grid: &Grid,
    first: usize,
    two_rows: bool,
    zone_col: usize,
    indicators: &[IndicatorColumnSpec],
    targets: &[Option<SourceUnit>],
) -> Vec<ColumnInfo> {
    let mut columns = Vec::new();
    for (col, (group, sub)) in header_texts(grid, first, two_rows).into_iter().enumerate() {
        let header = match (group.is_empty(), sub.is_empty()) {
            (false, false) if group != sub => format!("{group} / {sub}"),
            (false, _) => group.clone(),
            (true, _) => sub.clone(),
        };
        if header.is_empty() {
            continue;
        }
        let mut info = ColumnInfo {
            col,
            header: header.clone(),
            code: None,
            role: ColumnRole::Ignored,
            unit: None,
            value: None,
            note: None,
            said: false,
        };
        if col == zone_col {
            info.role = ColumnRole::Zone;
        } else if SERIAL_HEADERS.contains(&compact(&header).to_uppercase().as_str()) {
            info.role = ColumnRole::Serial;
        } else {
            let indicator = [&group, &sub, &format!("{group}{sub}")]
                .into_iter()
                .find_map(|t| match_indicator(t, indicators));
            if let Some(i) = indicator.filter(|i| targets[*i].is_some()) {
                info.code = Some(indicators[i].code.clone());
                info.unit = units_in(&sub).into_iter().chain(units_in(&group)).next();
                info.value = Some(ValueColumn {
                    indicator: i,
                    source: targets[i].unwrap_or(SourceUnit::Percent),
                    target: targets[i].unwrap_or(SourceUnit::Percent),
                });
            }
        }
        columns.push(info);
    }
    columns
}

/// Decides, for each indicator column, value or growth and the unit it is
/// read in: its header's unit, else the note's unit of the same dimension,
/// else the indicator's own.
pub(super) fn assign_units(
    columns: &mut [ColumnInfo],
    note_units: &[SourceUnit],
    indicators: &[IndicatorColumnSpec],
    targets: &[Option<SourceUnit>],
) {
    let mut value_of: Vec<Option<usize>> = vec![None; indicators.len()];
    for info in columns.iter_mut() {
        let Some(value) = info.value.take() else {
            continue;
        };
        let target = targets[value.indicator].unwrap_or(SourceUnit::Percent);
        let name = indicators[value.indicator]
            .names
            .first()
            .cloned()
            .unwrap_or_else(|| indicators[value.indicator].code.clone());
        let header = compact(&info.header);
        let has = |words: &[&str]| words.iter().any(|w| header.contains(w));
        // "目标任务完成情况" over the figures is a report of what was done.
        let plan = has(PLAN_WORDS) && !has(&["完成情况", "实际"]);
        if info.unit.is_none() {
            let same: Vec<SourceUnit> = note_units
                .iter()
                .copied()
                .filter(|u| u.dimension() == target.dimension())
                .collect();
            if let [only] = same[..] {
                info.unit = Some(only);
            }
        }
        let source = info.unit.unwrap_or(target);
        let fits = source.dimension() == target.dimension();
        let growth = has(GROWTH_WORDS) || source == SourceUnit::Percent;
        info.role = if plan {
            info.note = Some(format!("是“{name}”的计划（目标）数，不是完成值，未读取"));
            ColumnRole::Ignored
        } else if has(LAST_YEAR_WORDS) && !growth {
            info.note = Some(format!("是“{name}”的上年同期数，不是本期值，未读取"));
            ColumnRole::Ignored
        } else if has(OTHER_WORDS) && (target == SourceUnit::Percent || !growth) {
            // This month's figure, a rank, a share: of a rate too.
            info.note = Some(format!("不是“{name}”的累计值，未读取"));
            ColumnRole::Ignored
        } else if target == SourceUnit::Percent {
            // A growth-only indicator: its rate is the value.
            if fits {
                ColumnRole::Value
            } else {
                info.note = Some(format!(
                    "单位为{}，与指标“{name}”的单位%不符，未读取",
                    source.label()
                ));
                ColumnRole::Ignored
            }
        } else if growth {
            ColumnRole::Growth
        } else if !fits {
            info.note = Some(format!(
                "单位为{}，无法换算为指标“{name}”的单位{}，未读取",
                source.label(),
                target.label()
            ));
            info.said = true;
            ColumnRole::Ignored
        } else {
            ColumnRole::Value
        };
        if info.role != ColumnRole::Value {
            continue;
        }
        if let Some(earlier) = value_of[value.indicator] {
            info.role = ColumnRole::Ignored;
            info.note = Some(format!(
                "与{}列同为“{name}”，未读取",
                column_letter(earlier as u32)
            ));
            info.said = true;
            continue;
        }
        value_of[value.indicator] = Some(info.col);
        if info.unit.is_none() && target != SourceUnit::Percent {
            // An amount with no unit anywhere is read in the indicator's own,
            // and the preview says so: a 万元 table read as 亿元 is off by 10⁴.
            info.note = Some(format!(
                "未注明单位（表头、标题和单位说明中都没有），按指标“{name}”的单位{}读取，请核对",
                target.label()
            ));
            info.said = true;
        }
        info.value = Some(ValueColumn { source, ..value });
    }
}
