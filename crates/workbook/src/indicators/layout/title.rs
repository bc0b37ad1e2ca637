//! The text above the header: the title and the unit note ("单位：亿元", or units
//! in the brackets ending the title).

use super::units::{SourceUnit, UNIT_WORDS};
use crate::grid::Grid;
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
    // "2024年1-6月主要经济指标（亿元）": units in brackets ending a text above.
    for text in texts_above(grid, first) {
        if let Some(found) = bracketed_units(&text) {
            return found;
        }
    }
    (None, Vec::new())
}

/// Units in the brackets that end a text ("……指标（亿元、%）"), as written.
fn bracketed_units(text: &str) -> Option<(Option<String>, Vec<SourceUnit>)> {
    let shown = one_line(text);
    let trimmed = shown.trim_end();
    let close = trimmed.chars().last()?;
    if !matches!(fold_char(close), ')') {
        return None;
    }
    let open = trimmed.rfind(['(', '（'])?;
    let inside: Vec<char> = trimmed[open..]
        .chars()
        .skip(1)
        .map(fold_char)
        .filter(|c| *c != ' ')
        .collect();
    let inside = &inside[..inside.len().saturating_sub(1)];
    let mut units = Vec::new();
    let mut k = 0;
    while k < inside.len() {
        let rest: String = inside[k..].iter().collect();
        if let Some((word, unit)) = UNIT_WORDS.iter().find(|(w, _)| rest.starts_with(w)) {
            units.push(*unit);
            k += word.chars().count();
        } else if matches!(inside[k], '、' | ',' | '/' | '及' | '和') {
            k += 1;
        } else {
            return None;
        }
    }
    // A bare "(%)" says nothing of the amounts.
    if units.iter().all(|u| *u == SourceUnit::Percent) {
        return None;
    }
    Some((Some(trimmed[open..].to_string()), units))
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let bracketed = [
            ("2024年1-6月主要经济指标（亿元）", Some("（亿元）")),
            ("2024年1-6月主要经济指标（亿元、%）", Some("（亿元、%）")),
            ("主要经济指标(万元)", Some("(万元)")),
            ("主要经济指标（%）", None),
            ("运城经济技术开发区（国家级）", None),
            ("主要经济指标", None),
        ];
        for (text, note) in bracketed {
            let found = bracketed_units(text).and_then(|(n, _)| n);
            assert_eq!(found.as_deref(), note, "{text}");
        }
    }
}
