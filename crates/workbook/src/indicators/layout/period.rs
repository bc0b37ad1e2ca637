//! The period a table reports (year and last month covered), as the ledger
//! reads its reporting date: the title ("2024年1-6月…"), a stated cut-off
//! above the header ("截至6月底"), another text above naming a period, the
//! sheet's name ("6月", "2024.6"), then the "1-N月" of the figures' headers.
//! A month written without a year takes the year from the title, the texts
//! above, the sheet's name or the headers, and the basis says so. What
//! cannot be read, and sources that disagree, are said, never guessed.

use chrono::Datelike;

use super::{ColumnInfo, ColumnRole};
use crate::field::column_letter;
use crate::grid::Grid;
use crate::header::{take_months, take_year};
use crate::sheet::{month_of_name, stated_cut_off};
use crate::text::{compact, one_line};

/// A reporting period and the words it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub year: i32,
    pub month: u32,
    /// "据标题“2024年1-6月…”", "据工作表名“6月”，年份据标题“…”".
    pub basis: String,
    /// How the source is named in a disagreement: "标题", "工作表名“6月”".
    label: String,
    from: Source,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Title,
    Above,
    SheetName,
    Header,
}

/// A problem found: the row and column it concerns (1-based row) and why.
pub(crate) type PeriodIssue = (Option<u32>, Option<String>, String);

/// A source's month, its own year if it writes one, and how it is named.
struct Candidate {
    year: Option<i32>,
    month: u32,
    /// "标题“…”", "工作表名“6月”", "“截至6月底”", "表头“…”".
    named: String,
    /// "标题", "工作表名“6月”", "“截至6月底”", "表头“…”".
    label: String,
    from: Source,
    row: Option<u32>,
    column: Option<String>,
}

/// The year and the last month a text's period covers, either possibly
/// missing: "2024年1-6月" → (2024, 6), "1-6月" → (None, 6), "2024年上半年"
/// → 6, "2024年前三季度" → 9, "2023年全年" → 12.
pub(crate) fn year_and_month(text: &str) -> (Option<i32>, Option<u32>) {
    let (rest, year) = take_year(&compact(text));
    if let (_, Some((_, last))) = take_months(&rest) {
        return (year, Some(u32::from(last)));
    }
    if year.is_some() && (rest.contains("全年") || rest.starts_with("1-12月")) {
        return (year, Some(12));
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
        // "7月5日" is a day, not a period.
        let after = chars.get(i + digits.len() + 1);
        if after.is_some_and(|c| c.is_ascii_digit()) {
            continue;
        }
        if let Ok(month) = digits.parse::<u32>() {
            if (1..=12).contains(&month) {
                return (year, Some(month));
            }
        }
    }
    (year, None)
}

fn is_cut_off(text: &str) -> bool {
    let t = compact(text);
    t.contains("截至") || t.contains("截止")
}

/// The period of the table at `first..=last` (header rows), `title` at
/// `title_row` (0-based), with the issues found on the way.
pub(crate) fn find_period(
    grid: &Grid,
    first: usize,
    title: Option<(&str, usize)>,
    columns: &[ColumnInfo],
) -> (Option<Found>, Vec<PeriodIssue>) {
    let above: Vec<(usize, String)> = (0..first)
        .flat_map(|r| {
            (0..grid.rows.get(r).map_or(0, Vec::len)).filter_map(move |c| match grid.own(r, c) {
                crate::value::Cell::Text(t) if !t.trim().is_empty() => Some((r, one_line(t))),
                _ => None,
            })
        })
        .collect();
    let title_row = title.map(|(_, r)| r as u32 + 1);

    // Every source of a month, in order of trust.
    let mut candidates: Vec<Candidate> = Vec::new();
    if let Some((t, r)) = title {
        if let (year, Some(month)) = year_and_month(t) {
            candidates.push(Candidate {
                year,
                month,
                named: format!("标题“{t}”"),
                label: "标题".to_string(),
                from: Source::Title,
                row: Some(r as u32 + 1),
                column: None,
            });
        }
    }
    for (r, t) in above.iter().filter(|(_, t)| is_cut_off(t)) {
        // The year a cut-off gives itself, if any; the month read with a
        // stand-in year to learn it.
        let own_year = take_year(&compact(t)).1;
        let Some(date) = stated_cut_off(t, Some(own_year.unwrap_or(2000))) else {
            continue;
        };
        candidates.push(Candidate {
            year: own_year,
            month: date.month(),
            named: format!("“{t}”"),
            label: format!("“{t}”"),
            from: Source::Above,
            row: Some(*r as u32 + 1),
            column: None,
        });
    }
    for (r, t) in &above {
        if Some(t.as_str()) == title.map(|(t, _)| t) || is_cut_off(t) {
            continue;
        }
        // Only a text with its year: "填报日期：7月" is no period.
        if let (Some(year), Some(month)) = year_and_month(t) {
            candidates.push(Candidate {
                year: Some(year),
                month,
                named: format!("“{t}”"),
                label: format!("“{t}”"),
                from: Source::Above,
                row: Some(*r as u32 + 1),
                column: None,
            });
        }
    }
    let name = grid.name.as_str();
    if let Some((year, month)) = month_of_name(name) {
        candidates.push(Candidate {
            year,
            month,
            named: format!("工作表名“{name}”"),
            label: format!("工作表名“{name}”"),
            from: Source::SheetName,
            row: None,
            column: None,
        });
    }
    let header_row = first as u32 + 1;
    for c in columns.iter().filter(|c| c.role == ColumnRole::Value) {
        if let (year, Some(month)) = header_months(&c.header) {
            candidates.push(Candidate {
                year,
                month,
                named: format!("表头“{}”", c.header),
                label: format!("表头“{}”", c.header),
                from: Source::Header,
                row: Some(header_row),
                column: Some(column_letter(c.col as u32)),
            });
        }
    }

    // A year for a month written without one.
    let year_hint: Option<(i32, String)> = title
        .and_then(|(t, _)| take_year(&compact(t)).1.map(|y| (y, format!("标题“{t}”"))))
        .or_else(|| {
            above
                .iter()
                .find_map(|(_, t)| take_year(&compact(t)).1.map(|y| (y, format!("“{t}”"))))
        })
        .or_else(|| {
            candidates
                .iter()
                .find_map(|c| c.year.map(|y| (y, c.named.clone())))
        })
        .or_else(|| year_of_name(name).map(|y| (y, format!("工作表名“{name}”"))));

    let mut issues: Vec<PeriodIssue> = Vec::new();
    let chosen = candidates.iter().find_map(|c| {
        let (year, basis) = match (c.year, &year_hint) {
            (Some(y), _) => (y, format!("据{}", c.named)),
            (None, Some((y, from))) => (*y, format!("据{}，年份据{from}", c.named)),
            (None, None) => return None,
        };
        Some((c, year, basis))
    });
    let Some((picked, year, basis)) = chosen else {
        let reason = match (candidates.first(), title) {
            (Some(c), _) => format!(
                "{}只有月份（{}月），没有年份，请选择数据所属年月",
                c.named, c.month
            ),
            (None, Some((t, _))) => {
                format!("标题“{t}”中没有统计期（如“2024年1-6月”），请选择数据所属年月")
            }
            (None, None) => {
                "没有找到标题和统计期（如“2024年1-6月”），请选择数据所属年月".to_string()
            }
        };
        let row = match candidates.first() {
            Some(c) => c.row,
            None => title_row,
        };
        issues.push((row, None, reason));
        return (None, issues);
    };
    let found = Found {
        year,
        month: picked.month,
        basis,
        label: picked.label.clone(),
        from: picked.from,
    };
    // Sheet names and headers that name another month.
    let mut said: Vec<(Option<i32>, u32)> = Vec::new();
    for c in &candidates {
        if !matches!(c.from, Source::SheetName | Source::Header) || c.from == found.from {
            continue;
        }
        let same_year = c.year.is_none_or(|y| y == found.year);
        if (same_year && c.month == found.month) || said.contains(&(c.year, c.month)) {
            continue;
        }
        said.push((c.year, c.month));
        let theirs = match (c.from, c.year) {
            (Source::Header, _) => format!("1-{}月", c.month),
            (_, Some(y)) => format!("{y}年{}月", c.month),
            (_, None) => format!("{}月", c.month),
        };
        issues.push((
            c.row,
            c.column.clone(),
            format!(
                "{}为{}年{}月，{}却是{theirs}，请核对数据所属年月",
                found.label, found.year, found.month, c.named
            ),
        ));
    }
    (Some(found), issues)
}

/// A sheet named for its year: "2024年", "2024年度", "2024".
fn year_of_name(name: &str) -> Option<i32> {
    let t = compact(name);
    let t = t.trim_end_matches('度').trim_end_matches('年');
    let year: i32 = t.parse().ok().filter(|_| t.len() == 4)?;
    (1990..=2100).contains(&year).then_some(year)
}

/// The year and the last month of a header's "1-N月" ("2024年1-6月", "截至6月底").
fn header_months(header: &str) -> (Option<i32>, Option<u32>) {
    let (rest, year) = take_year(&compact(header));
    match take_months(&rest) {
        (_, Some((_, last))) => (year, Some(u32::from(last))),
        _ => (year, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_and_months() {
        let cases = [
            (
                "2024年1-6月全省开发区主要经济指标完成情况",
                (Some(2024), Some(6)),
            ),
            ("2024年1—6月全省开发区主要经济指标", (Some(2024), Some(6))),
            ("2024年6月全省开发区主要经济指标", (Some(2024), Some(6))),
            ("2024年上半年全省开发区主要经济指标", (Some(2024), Some(6))),
            ("2024年前三季度开发区经济运行情况", (Some(2024), Some(9))),
            ("2024年1月至11月主要指标", (Some(2024), Some(11))),
            ("2023年全年开发区指标", (Some(2023), Some(12))),
            ("全省开发区 2024 年 1-12 月指标", (Some(2024), Some(12))),
            ("全省开发区主要经济指标完成情况", (None, None)),
            ("2024年全省开发区主要经济指标", (Some(2024), None)),
            ("1-6月全省开发区主要经济指标", (None, Some(6))),
            ("填报日期：2024年7月5日", (Some(2024), None)),
        ];
        for (text, expected) in cases {
            assert_eq!(year_and_month(text), expected, "{text}");
        }
        assert_eq!(year_of_name("2024年"), Some(2024));
        assert_eq!(year_of_name("2024年度"), Some(2024));
        assert_eq!(year_of_name("2024"), Some(2024));
        assert_eq!(year_of_name("Sheet1"), None);
        assert_eq!(year_of_name("202406"), None);
    }
}
