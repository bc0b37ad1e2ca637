//! The layout of an indicator table: the header (one row, or a group row
//! over sub-columns such as 累计 | 同比增长), the title and the period it
//! names, the unit note, and for each column the indicator it belongs to,
//! whether it is the value or the growth, and the unit it is written in.
//! Reading the rows below is not this module's business.

use crate::field::column_letter;
use crate::grid::Grid;
use crate::header::{take_months, take_year};
use crate::model::Issue;
use crate::text::{compact, fold_char, one_line};
use crate::value::Cell;

use super::{ColumnRole, IndicatorColumn, IndicatorColumnSpec};

/// Rows searched for the header.
const HEADER_SEARCH_ROWS: usize = 30;

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

/// Sub-columns that belong to an indicator but are not its cumulative value.
const OTHER_WORDS: &[&str] = &[
    "本月",
    "当月",
    "目标",
    "任务",
    "计划",
    "完成率",
    "进度",
    "排名",
    "位次",
    "占比",
    "比重",
    "序时",
];

/// Words that say nothing about which indicator a header names.
const GENERIC_WORDS: &[&str] = &[
    "同比",
    "增长",
    "增速",
    "增幅",
    "累计",
    "完成",
    "本月",
    "当月",
    "本年",
    "绝对值",
    "数值",
    "总量",
    "金额",
];

/// A unit a sheet writes figures in; only units of the same dimension
/// convert into each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SourceUnit {
    Yuan,
    Wan,
    Yi,
    Usd,
    WanUsd,
    YiUsd,
    YuanPerMu,
    WanPerMu,
    Percent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dimension {
    Yuan,
    Usd,
    YuanPerMu,
    Percent,
}

/// Unit words in header and note texts (folded), longest first so that
/// "万元/亩" is not read as "万元".
const UNIT_WORDS: &[(&str, SourceUnit)] = &[
    ("万元/亩", SourceUnit::WanPerMu),
    ("元/亩", SourceUnit::YuanPerMu),
    ("亿美元", SourceUnit::YiUsd),
    ("万美元", SourceUnit::WanUsd),
    ("美元", SourceUnit::Usd),
    ("亿元", SourceUnit::Yi),
    ("万元", SourceUnit::Wan),
    ("(亿)", SourceUnit::Yi),
    ("(万)", SourceUnit::Wan),
    ("百分点", SourceUnit::Percent),
    ("%", SourceUnit::Percent),
    ("元", SourceUnit::Yuan),
];

impl SourceUnit {
    /// The unit codes of kfq's indicator catalogue.
    pub(crate) fn from_code(code: &str) -> Option<SourceUnit> {
        match code.trim() {
            "yi_yuan" => Some(SourceUnit::Yi),
            "wan_yuan" => Some(SourceUnit::Wan),
            "yuan" => Some(SourceUnit::Yuan),
            "wan_usd" => Some(SourceUnit::WanUsd),
            "yi_usd" => Some(SourceUnit::YiUsd),
            "usd" => Some(SourceUnit::Usd),
            "percent" => Some(SourceUnit::Percent),
            "wan_yuan_per_mu" => Some(SourceUnit::WanPerMu),
            "yuan_per_mu" => Some(SourceUnit::YuanPerMu),
            _ => None,
        }
    }

    pub(crate) fn code(self) -> &'static str {
        match self {
            SourceUnit::Yuan => "yuan",
            SourceUnit::Wan => "wan_yuan",
            SourceUnit::Yi => "yi_yuan",
            SourceUnit::Usd => "usd",
            SourceUnit::WanUsd => "wan_usd",
            SourceUnit::YiUsd => "yi_usd",
            SourceUnit::YuanPerMu => "yuan_per_mu",
            SourceUnit::WanPerMu => "wan_yuan_per_mu",
            SourceUnit::Percent => "percent",
        }
    }

    fn label(self) -> &'static str {
        match self {
            SourceUnit::Yuan => "元",
            SourceUnit::Wan => "万元",
            SourceUnit::Yi => "亿元",
            SourceUnit::Usd => "美元",
            SourceUnit::WanUsd => "万美元",
            SourceUnit::YiUsd => "亿美元",
            SourceUnit::YuanPerMu => "元/亩",
            SourceUnit::WanPerMu => "万元/亩",
            SourceUnit::Percent => "%",
        }
    }

    /// Powers of ten of the dimension's base unit in one of this unit.
    pub(crate) fn exponent(self) -> i32 {
        match self {
            SourceUnit::Wan | SourceUnit::WanUsd | SourceUnit::WanPerMu => 4,
            SourceUnit::Yi | SourceUnit::YiUsd => 8,
            _ => 0,
        }
    }

    fn dimension(self) -> Dimension {
        match self {
            SourceUnit::Yuan | SourceUnit::Wan | SourceUnit::Yi => Dimension::Yuan,
            SourceUnit::Usd | SourceUnit::WanUsd | SourceUnit::YiUsd => Dimension::Usd,
            SourceUnit::YuanPerMu | SourceUnit::WanPerMu => Dimension::YuanPerMu,
            SourceUnit::Percent => Dimension::Percent,
        }
    }
}

/// Every unit named in a text, in order of appearance.
fn units_in(text: &str) -> Vec<SourceUnit> {
    let t = compact(text);
    let mut units = Vec::new();
    let mut rest = t.as_str();
    while let Some(c) = rest.chars().next() {
        match UNIT_WORDS.iter().find(|(w, _)| rest.starts_with(w)) {
            Some((word, unit)) => {
                units.push(*unit);
                rest = &rest[word.len()..];
            }
            None => rest = &rest[c.len_utf8()..],
        }
    }
    units
}

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
    title_row: Option<usize>,
    pub period: Option<(i32, u32)>,
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
            let period = title
                .as_deref()
                .and_then(period_in)
                .or_else(|| texts_above(grid, first).find_map(|t| period_in(&t)));
            return Some(Layout {
                first,
                last,
                zone_col,
                zone_header: one_line(&grid.shown(first, zone_col).display()),
                title,
                title_row,
                period,
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

    /// Problems with the layout: no period, indicators that cannot be read.
    pub(crate) fn issues(&self, sheet: &str, indicators: &[IndicatorColumnSpec]) -> Vec<Issue> {
        let mut issues = Vec::new();
        if self.period.is_none() {
            let reason = match &self.title {
                Some(title) => {
                    format!("标题“{title}”中没有统计期（如“2024年1-6月”），请选择数据所属年月")
                }
                None => "没有找到标题和统计期（如“2024年1-6月”），请选择数据所属年月".to_string(),
            };
            let row = self.title_row.map(|r| r as u32 + 1);
            issues.push(Issue::new(sheet, row, None, None, reason));
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

fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) => one_line(t),
        _ => String::new(),
    }
}

/// Without bracketed remarks: "开发区（园区）" → "开发区".
fn without_brackets(text: &str) -> String {
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

fn is_zone_header(cell: &Cell) -> bool {
    let t = without_brackets(&cell_text(cell));
    ZONE_HEADERS.contains(&t.as_str())
}

/// Whether the row under the header's first row is its second row: the zone
/// cell is empty there (merged from above or left blank), and the row holds
/// words, not figures.
fn is_sub_header_row(grid: &Grid, r: usize, zone_col: usize) -> bool {
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

fn read_columns(
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
fn assign_units(
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
        info.role = if target == SourceUnit::Percent {
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
        } else if has(GROWTH_WORDS) || source == SourceUnit::Percent {
            ColumnRole::Growth
        } else if has(OTHER_WORDS) {
            info.note = Some(format!("不是“{name}”的累计值，未读取"));
            ColumnRole::Ignored
        } else if !fits {
            info.note = Some(format!(
                "单位为{}，无法换算为指标“{name}”的单位{}，未读取",
                source.label(),
                target.label()
            ));
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
            continue;
        }
        value_of[value.indicator] = Some(info.col);
        info.value = Some(ValueColumn { source, ..value });
    }
}

/// Header text as compared with indicator names: no blanks, no bracketed
/// units, 规模以上 as 规上.
fn indicator_key(text: &str) -> String {
    without_brackets(text).replace("规模以上", "规上")
}

/// The indicator a header names. A header containing a name wins (the
/// longest name, so 亩均税收 is not 税收收入); then a name starting with the
/// header ("税收" for 税收收入); then a name containing it. A tie between two
/// indicators is no match.
fn match_indicator(text: &str, indicators: &[IndicatorColumnSpec]) -> Option<usize> {
    let header = indicator_key(text);
    let (rest, _) = take_year(&header);
    let (mut core, _) = take_months(&rest);
    for word in GENERIC_WORDS {
        core = core.replace(word, "");
    }
    let core = core.trim_end_matches(['/', ':', '%']).to_string();
    let mut best: Option<((u8, usize), usize)> = None;
    let mut tied = false;
    for (i, spec) in indicators.iter().enumerate() {
        for name in &spec.names {
            let name = indicator_key(name);
            if name.is_empty() {
                continue;
            }
            let core_len = core.chars().count();
            let rank = if header.contains(&name) {
                (3, name.chars().count())
            } else if core_len >= 2 && name.starts_with(&core) {
                (2, core_len)
            } else if core_len >= 2 && name.contains(&core) {
                (1, core_len)
            } else {
                continue;
            };
            match best {
                Some((r, j)) if r == rank && j != i => tied = true,
                Some((r, _)) if r >= rank => {}
                _ => {
                    best = Some((rank, i));
                    tied = false;
                }
            }
        }
    }
    best.filter(|_| !tied).map(|(_, i)| i)
}

/// Text cells above the header, row by row.
fn texts_above(grid: &Grid, first: usize) -> impl Iterator<Item = String> + '_ {
    (0..first).flat_map(move |r| {
        (0..grid.rows.get(r).map_or(0, Vec::len)).filter_map(move |c| match grid.own(r, c) {
            Cell::Text(t) if !t.trim().is_empty() => Some(t.clone()),
            _ => None,
        })
    })
}

/// "单位：亿元、%" above the header (or in a header cell that is nothing but
/// the note), as written, with the units it names.
fn find_unit_note(grid: &Grid, first: usize, last: usize) -> (Option<String>, Vec<SourceUnit>) {
    let header_notes = (first..=last).flat_map(|r| {
        (0..grid.width()).filter_map(move |c| match grid.own(r, c) {
            Cell::Text(t) if compact(t).starts_with("单位") => Some(t.clone()),
            _ => None,
        })
    });
    for text in texts_above(grid, first).chain(header_notes) {
        if let Some(found) = unit_note_in(&text) {
            return found;
        }
    }
    (None, Vec::new())
}

fn unit_note_in(text: &str) -> Option<(Option<String>, Vec<SourceUnit>)> {
    let original: Vec<char> = one_line(text).chars().collect();
    let folded: Vec<char> = original.iter().map(|c| fold_char(*c)).collect();
    let n = folded.len();
    for i in 0..n.saturating_sub(1) {
        if folded[i] != '单' || folded[i + 1] != '位' {
            continue;
        }
        let mut k = i + 2;
        while k < n && matches!(folded[k], ':' | ' ') {
            k += 1;
        }
        // The note is a list of units ("亿元、%"); "填报单位：省商务厅" is not one.
        let mut units = Vec::new();
        let mut end = k;
        while k < n {
            let rest: String = folded[k..].iter().collect();
            if let Some((word, unit)) = UNIT_WORDS.iter().find(|(w, _)| rest.starts_with(w)) {
                units.push(*unit);
                k += word.chars().count();
                end = k;
            } else if matches!(folded[k], '、' | ',' | '/' | ' ' | '及' | '和') {
                k += 1;
            } else {
                break;
            }
        }
        if units.is_empty() {
            continue;
        }
        let before: String = folded[i.saturating_sub(2)..i].iter().collect();
        let start = match ["金额", "计量"].contains(&before.as_str()) {
            true => i - 2,
            false => i,
        };
        let note: String = original[start..end].iter().collect();
        return Some((Some(note), units));
    }
    None
}

/// The longest text of the first row above the header that reads as a
/// title, without its unit note.
fn find_title(
    grid: &Grid,
    first: usize,
    unit_note: Option<&str>,
) -> (Option<String>, Option<usize>) {
    for r in 0..first {
        let longest = (0..grid.rows.get(r).map_or(0, Vec::len))
            .filter_map(|c| match grid.own(r, c) {
                Cell::Text(t) => Some(one_line(t)),
                _ => None,
            })
            .max_by_key(|t| t.chars().count());
        let Some(mut title) = longest else { continue };
        if let Some(note) = unit_note {
            title = title.replace(note, "");
        }
        for empty in ["（）", "()", "(）", "（)", "[]"] {
            title = title.replace(empty, "");
        }
        let title = title.trim_end_matches([',', ';', ' ', '，', '；']).trim();
        let label = ["单位", "填报", "制表", "金额单位"]
            .iter()
            .any(|w| compact(title).starts_with(w));
        if title.chars().count() >= 6 && !label {
            return (Some(title.to_string()), Some(r));
        }
    }
    (None, None)
}

/// The year and the last month a text's period covers: "2024年1-6月" →
/// (2024, 6), "2024年6月" → 6, "2024年上半年" → 6, "2024年前三季度" → 9.
pub(crate) fn period_in(text: &str) -> Option<(i32, u32)> {
    let (rest, year) = take_year(&compact(text));
    let year = year?;
    if let (_, Some((_, last))) = take_months(&rest) {
        return Some((year, u32::from(last)));
    }
    if rest.contains("全年") || rest.starts_with("1-12月") {
        return Some((year, 12));
    }
    let chars: Vec<char> = rest.chars().collect();
    for i in 0..chars.len() {
        if i > 0 && (chars[i - 1].is_ascii_digit() || matches!(chars[i - 1], '-' | '~')) {
            continue;
        }
        let digits: String = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if digits.is_empty() || digits.len() > 2 || chars.get(i + digits.len()) != Some(&'月') {
            continue;
        }
        let month: u32 = digits.parse().ok()?;
        if (1..=12).contains(&month) {
            return Some((year, month));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        let cases = [
            ("2024年1-6月全省开发区主要经济指标完成情况", Some((2024, 6))),
            ("2024年1—6月全省开发区主要经济指标", Some((2024, 6))),
            ("2024年6月全省开发区主要经济指标", Some((2024, 6))),
            ("2024年上半年全省开发区主要经济指标", Some((2024, 6))),
            ("2024年前三季度开发区经济运行情况", Some((2024, 9))),
            ("2024年1-2月全省开发区主要经济指标", Some((2024, 2))),
            ("2024年1月至11月主要指标", Some((2024, 11))),
            ("2023年全年开发区指标", Some((2023, 12))),
            ("全省开发区 2024 年 1-12 月指标", Some((2024, 12))),
            ("全省开发区主要经济指标完成情况", None),
            ("2024年全省开发区主要经济指标", None),
            ("1-6月全省开发区主要经济指标", None),
        ];
        for (title, period) in cases {
            assert_eq!(period_in(title), period, "{title}");
        }
    }

    #[test]
    fn units_in_headers_and_notes() {
        use SourceUnit::*;
        let cases: &[(&str, &[SourceUnit])] = &[
            ("单位：亿元、%", &[Yi, Percent]),
            ("工业投资（亿元）", &[Yi]),
            ("产出强度(万元/亩)", &[WanPerMu]),
            ("实际利用外资（万美元）", &[WanUsd]),
            ("同比增长％", &[Percent]),
            ("税收收入(万)", &[Wan]),
            ("单位：万元、万美元、万元/亩", &[Wan, WanUsd, WanPerMu]),
            ("开发区", &[]),
        ];
        for (text, units) in cases {
            assert_eq!(units_in(text), *units, "{text}");
        }
    }

    #[test]
    fn unit_notes() {
        let cases = [
            ("单位：亿元、%", Some("单位：亿元、%")),
            ("填报单位：省商务厅      单位：万元", Some("单位：万元")),
            ("金额单位：亿元", Some("金额单位：亿元")),
            ("2024年1-6月主要指标（单位：亿元）", Some("单位：亿元")),
            ("单位：万元，万美元", Some("单位：万元，万美元")),
            ("填报单位：省商务厅", None),
        ];
        for (text, note) in cases {
            let found = unit_note_in(text).and_then(|(n, _)| n);
            assert_eq!(found.as_deref(), note, "{text}");
        }
    }

    fn spec(code: &str, names: &[&str], unit: &str) -> IndicatorColumnSpec {
        IndicatorColumnSpec {
            code: code.into(),
            names: names.iter().map(|n| n.to_string()).collect(),
            unit: unit.into(),
        }
    }

    #[test]
    fn headers_name_indicators() {
        let specs = [
            spec("industrial_investment", &["工业投资"], "yi_yuan"),
            spec("fixed_asset_investment", &["固定资产投资"], "yi_yuan"),
            spec(
                "industrial_value_added",
                &["规上工业增加值", "规模以上工业增加值"],
                "percent",
            ),
            spec("industrial_output", &["规上工业总产值"], "yi_yuan"),
            spec("tax_revenue", &["税收收入"], "wan_yuan"),
            spec("tax_per_mu", &["亩均税收"], "wan_yuan_per_mu"),
            spec("import_export", &["进出口总额"], "yi_yuan"),
        ];
        let cases = [
            ("工业投资（亿元）", Some("industrial_investment")),
            ("工业投资同比增长(%)", Some("industrial_investment")),
            ("规模以上工业增加值增速(%)", Some("industrial_value_added")),
            ("规上工业增加值增速", Some("industrial_value_added")),
            ("规上工业总产值", Some("industrial_output")),
            ("亩均税收(万元/亩)", Some("tax_per_mu")),
            ("税收(万元)", Some("tax_revenue")),
            ("进出口", Some("import_export")),
            ("1-6月固定资产投资", Some("fixed_asset_investment")),
            ("同比增长", None),
            ("累计", None),
            ("开发区", None),
        ];
        for (header, code) in cases {
            let found = match_indicator(header, &specs).map(|i| specs[i].code.as_str());
            assert_eq!(found, code, "{header}");
        }
    }
}
