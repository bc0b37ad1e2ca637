//! The text above the header: the title, the period it names and the unit note.

use super::units::{SourceUnit, UNIT_WORDS};
use crate::grid::Grid;
use crate::header::{take_months, take_year};
use crate::text::{compact, fold_char, one_line};
use crate::value::Cell;

/// Text cells above the header, row by row.
pub(super) fn texts_above(grid: &Grid, first: usize) -> impl Iterator<Item = String> + '_ {
    (0..first).flat_map(move |r| {
        (0..grid.rows.get(r).map_or(0, Vec::len)).filter_map(move |c| match grid.own(r, c) {
            Cell::Text(t) if !t.trim().is_empty() => Some(t.clone()),
            _ => None,
        })
    })
}

/// "单位：亿元、%" above the header (or in a header cell that is nothing but
/// the note), as written, with the units it names.
pub(super) fn find_unit_note(
    grid: &Grid,
    first: usize,
    last: usize,
) -> (Option<String>, Vec<SourceUnit>) {
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
pub(super) fn find_title(
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
}
