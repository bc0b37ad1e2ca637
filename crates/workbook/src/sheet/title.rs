//! The title, the unit note (单位：万元) and the year, from the rows above and in the header.

use crate::field::Unit;
use crate::grid::Grid;
use crate::header::{classify, parse_header};
use crate::model::{Sheet, UnitSource};
use crate::text::{compact, one_line};
use crate::value::Cell;

/// Title, unit note and year from the rows above the header (and the header
/// itself, where some put "单位：万元" in a corner cell).
pub(super) fn read_title_area(grid: &Grid, first: usize, header_end: usize, sheet: &mut Sheet) {
    for r in 0..=header_end {
        for c in 0..grid.rows.get(r).map_or(0, Vec::len) {
            let Cell::Text(t) = grid.own(r, c) else {
                continue;
            };
            // In the header, "总投资（单位：万元）" is that column's unit, not
            // the sheet's; only a cell that is no column header is a note.
            if r >= first && classify(&parse_header(t)).is_some() {
                continue;
            }
            if sheet.unit_note.is_none() {
                if let Some((note, unit)) = find_unit_note(t, r < first) {
                    sheet.unit_note = Some(note);
                    sheet.money_unit = unit;
                    sheet.money_unit_source = UnitSource::UnitNote;
                } else if let Some(note) = dollar_note(t) {
                    // Kept as written: the money columns it governs are not
                    // read (see the column mapping).
                    sheet.unit_note = Some(note);
                }
            }
        }
    }
    const TITLE_WORDS: &[&str] = &["台账", "项目", "表", "清单", "一览", "情况"];
    let mut fallback = None;
    for r in 0..first {
        let texts: Vec<String> = (0..grid.rows.get(r).map_or(0, Vec::len))
            .filter_map(|c| match grid.own(r, c) {
                Cell::Text(t) if !t.trim().is_empty() => Some(t.clone()),
                _ => None,
            })
            .collect();
        let Some(longest) = texts.iter().max_by_key(|t| t.chars().count()) else {
            continue;
        };
        let title = strip_unit_note(longest);
        if title.chars().count() < 4 {
            continue;
        }
        if TITLE_WORDS.iter().any(|w| title.contains(w)) {
            sheet.title = Some(title);
            sheet.title_row = Some(r as u32 + 1);
            break;
        }
        if fallback.is_none() && !title.starts_with("填报") {
            fallback = Some((title, r));
        }
    }
    if sheet.title.is_none() {
        if let Some((title, r)) = fallback {
            sheet.title = Some(title);
            sheet.title_row = Some(r as u32 + 1);
        }
    }
    if sheet.year.is_none() {
        let above: Vec<String> = (0..first)
            .flat_map(|r| {
                (0..grid.rows.get(r).map_or(0, Vec::len)).filter_map(move |c| {
                    match grid.own(r, c) {
                        Cell::Text(t) => Some(t.clone()),
                        _ => None,
                    }
                })
            })
            .collect();
        let title = sheet.title.iter().cloned();
        sheet.year = title.chain(above).find_map(|t| year_in(&t));
    }
}

/// The first "20xx年" in a text.
pub(super) fn year_in(text: &str) -> Option<i32> {
    let chars: Vec<char> = compact(text).chars().collect();
    (0..chars.len().saturating_sub(4)).find_map(|i| {
        let digits = &chars[i..i + 4];
        let before_ok = i == 0 || !chars[i - 1].is_ascii_digit();
        if before_ok && digits.iter().all(char::is_ascii_digit) && chars[i + 4] == '年' {
            let year: i32 = digits.iter().collect::<String>().parse().ok()?;
            (1990..=2100).contains(&year).then_some(year)
        } else {
            None
        }
    })
}

/// A unit note in a text: "单位：万元", "金额单位：亿元", or a bracketed unit
/// ending a title ("……台账（万元）"). Returns the note as written and its
/// money unit. Area notes ("面积单位：亩") are not money notes.
pub(crate) fn find_unit_note(text: &str, above_header: bool) -> Option<(String, Unit)> {
    let chars: Vec<char> = text.chars().collect();
    let folded: Vec<char> = chars.iter().map(|c| crate::text::fold_char(*c)).collect();
    let n = chars.len();
    for i in 0..n.saturating_sub(1) {
        if folded[i] != '单' || folded[i + 1] != '位' {
            continue;
        }
        let mut j = i + 2;
        while j < n && (folded[j] == ':' || folded[j].is_whitespace()) {
            j += 1;
        }
        let rest: String = folded[j..].iter().collect();
        let unit = [("亿元", Unit::Yi), ("万元", Unit::Wan), ("元", Unit::Yuan)]
            .into_iter()
            .find(|(w, _)| rest.starts_with(w));
        let Some((word, unit)) = unit else { continue };
        let mut start = i;
        let prefix: String = folded[i.saturating_sub(2)..i].iter().collect();
        if ["金额", "计量", "资金", "投资"].contains(&prefix.as_str()) {
            start = i - 2;
        } else if ["面积", "用地"].contains(&prefix.as_str()) {
            continue;
        }
        let end = j + word.chars().count();
        return Some((chars[start..end].iter().collect(), unit));
    }
    if above_header {
        let t = compact(text);
        for (bracketed, unit) in [
            ("(万元)", Unit::Wan),
            ("(亿元)", Unit::Yi),
            ("(元)", Unit::Yuan),
        ] {
            if t.ends_with(bracketed) {
                let open = text.rfind(['(', '（'])?;
                return Some((text[open..].trim().to_string(), unit));
            }
        }
    }
    None
}

/// "单位：万美元", "金额单位：亿美元": a note in dollars (full-width forms folded).
fn dollar_note(text: &str) -> Option<String> {
    let folded: String = text.chars().map(crate::text::fold_char).collect();
    let at = folded.find("单位")?;
    let rest = folded[at + "单位".len()..].trim_start_matches([':', ' ']);
    let word = ["亿美元", "万美元", "美元"]
        .into_iter()
        .find(|w| rest.starts_with(w))?;
    let end = folded.len() - rest.len() + word.len();
    let start = match folded[..at].ends_with("金额") {
        true => at - "金额".len(),
        false => at,
    };
    Some(folded[start..end].to_string())
}

/// The title without a unit note inside it: "2023年重点项目台账（单位：万元）"
/// → "2023年重点项目台账".
pub(crate) fn strip_unit_note(text: &str) -> String {
    let mut title = one_line(text);
    if let Some((note, _)) = find_unit_note(&title, true) {
        if let Some(pos) = title.find(&note) {
            title.replace_range(pos..pos + note.len(), "");
        }
        for empty in ["（）", "()", "(）", "（)"] {
            title = title.replace(empty, "");
        }
        title = title
            .trim_end_matches(['，', ',', '；', ';', ' ', '　'])
            .to_string();
    }
    one_line(&title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_notes() {
        let cases: &[(&str, Option<(&str, Unit)>)] = &[
            ("单位：万元", Some(("单位：万元", Unit::Wan))),
            ("金额单位：亿元", Some(("金额单位：亿元", Unit::Yi))),
            (
                "填报单位：XX开发区管委会        单位：万元",
                Some(("单位：万元", Unit::Wan)),
            ),
            ("单位:元", Some(("单位:元", Unit::Yuan))),
            ("面积单位：亩", None),
            ("填报单位：经济发展部", None),
            ("2023年重点项目台账（万元）", Some(("（万元）", Unit::Wan))),
            ("单位：万美元", None),
        ];
        for (text, expected) in cases {
            let got = find_unit_note(text, true);
            assert_eq!(
                got.as_ref().map(|(n, u)| (n.as_str(), *u)),
                *expected,
                "{text}"
            );
        }
        assert_eq!(
            strip_unit_note("2023年XX开发区重点项目推进台账（单位：万元）"),
            "2023年XX开发区重点项目推进台账"
        );
        assert_eq!(strip_unit_note("重点项目台账"), "重点项目台账");
        assert_eq!(dollar_note("单位：万美元").as_deref(), Some("单位:万美元"));
        assert_eq!(
            dollar_note("外资项目台账  金额单位：亿美元").as_deref(),
            Some("金额单位:亿美元")
        );
        assert_eq!(dollar_note("单位：万元"), None);
    }
}
