//! Finding the header row, and whether a row above or below it belongs to the header.

use super::{HEADER_MAX_CHARS, HEADER_SEARCH_ROWS};
use crate::field::Field;
use crate::grid::Grid;
use crate::header::{classify, parse_header, unit_word};
use crate::text::compact;
use crate::value::{Cell, Decimal};

/// The header row (0-based) and its depth (1 or 2), if any row looks like one.
pub(super) fn find_header(grid: &Grid) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for r in 0..grid.height().min(HEADER_SEARCH_ROWS) {
        let (score, has_name) = header_score(grid, r);
        let enough = score >= 3 || (score >= 2 && has_name);
        if enough && best.is_none_or(|(_, s)| score > s) {
            best = Some((r, score));
        }
    }
    let (row, _) = best?;
    // The best row may be the lower row of a two-row header whose upper row
    // holds groups ("项目基本情况", "2023年投资").
    if row > 0 && is_subheader(grid, row - 1) && is_group_row(grid, row - 1) {
        return Some((row - 1, 2));
    }
    Some((row, if is_subheader(grid, row) { 2 } else { 1 }))
}

/// Distinct fields proposed by a row's cells, and whether a name is among them.
fn header_score(grid: &Grid, r: usize) -> (usize, bool) {
    let mut fields = Vec::new();
    for c in 0..grid.width() {
        let cell = grid.shown(r, c);
        let Cell::Text(t) = cell else { continue };
        if compact(t).chars().count() > HEADER_MAX_CHARS {
            continue;
        }
        if let Some(m) = classify(&parse_header(t)) {
            if !fields.contains(&m.field) {
                fields.push(m.field);
            }
        }
    }
    (fields.len(), fields.contains(&Field::Name))
}

/// Whether a row can be the upper row of a two-row header: several short
/// texts and no numbers. A title merged across the sheet is one text.
fn is_group_row(grid: &Grid, r: usize) -> bool {
    let own: Vec<&Cell> = (0..grid.width())
        .map(|c| grid.own(r, c))
        .filter(|c| !c.is_empty())
        .collect();
    // "填报单位：…  单位：万元" above a header is a label line, not groups.
    let group_text = |c: &Cell| match c {
        Cell::Text(t) => {
            let t = compact(t);
            !looks_numeric(c)
                && t.chars().count() <= HEADER_MAX_CHARS
                && !t.contains(':')
                && !t.contains("填报")
        }
        _ => false,
    };
    own.len() >= 2 && own.iter().all(|c| group_text(c))
}

fn looks_numeric(cell: &Cell) -> bool {
    match cell {
        Cell::Number(_) | Cell::Date(_) => true,
        Cell::Text(t) => Decimal::parse(t).is_some(),
        _ => false,
    }
}

/// Whether row r+1 is the lower row of a header starting at r: it has short
/// texts and no numbers, and either cells of row r are merged down into it or
/// it has texts under a group cell of row r (merged across, or followed by
/// empty cells as in CSV).
fn is_subheader(grid: &Grid, r: usize) -> bool {
    let below = r + 1;
    if below >= grid.height() {
        return false;
    }
    let width = grid.width();
    let mut texts = 0;
    let mut signal = false;
    let mut name_below = false;
    // A row of units under the header ("万元", "（亩）") belongs to it.
    let mut units_only = true;
    for c in 0..width {
        let own = grid.own(below, c);
        if grid.origin(below, c).is_some_and(|(or, _)| or == r) {
            signal = true;
        }
        if own.is_empty() {
            continue;
        }
        if looks_numeric(own) {
            return false;
        }
        let text = own.display();
        if compact(&text).chars().count() > HEADER_MAX_CHARS {
            return false;
        }
        texts += 1;
        units_only &= unit_word(text.trim_matches(['(', ')', '（', '）'])).is_some();
        let above = grid.shown(r, c);
        let upper_is_group = grid.origin(r, c).is_some_and(|(or, _)| or == r)
            || (above.is_empty() && c > 0 && (0..c).rev().any(|k| !grid.shown(r, k).is_empty()))
            || grid.merge_width(r, c) > 1;
        if upper_is_group {
            signal = true;
        }
        if let Cell::Text(t) = grid.shown(r, c) {
            if classify(&parse_header(t)).is_some_and(|m| m.field == Field::Name) {
                name_below = true;
            }
        }
    }
    texts > 0 && (signal || units_only) && !name_below
}
