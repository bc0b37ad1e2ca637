//! Each column's header, proposed field and unit, and the mapping of one column per field.

use std::collections::HashMap;

use crate::field::{column_index, column_letter, Field, Kind, Unit};
use crate::grid::Grid;
use crate::header::{classify, parse_header, HeaderText, Match};
use crate::model::{ColumnMapping, MappingSource, ReadOptions, Sheet, UnitSource};
use crate::text::{compact, one_line};

pub(super) struct ColumnHeader {
    pub(super) shown: String,
    pub(super) text: HeaderText,
    pub(super) proposed: Option<Match>,
}

pub(super) fn column_header(
    grid: &Grid,
    first: usize,
    depth: usize,
    c: usize,
) -> Option<ColumnHeader> {
    let top = one_line(&grid.shown(first, c).display());
    if depth == 1 {
        if top.is_empty() {
            return None;
        }
        let text = parse_header(&top);
        return Some(ColumnHeader {
            proposed: classify(&text),
            shown: top,
            text,
        });
    }
    let bottom = one_line(&grid.shown(first + 1, c).display());
    let mut parent = top.clone();
    if parent.is_empty() && !bottom.is_empty() {
        // A group written once with empty cells after it (CSV, or a merge
        // the writer left out): the nearest text to the left.
        parent = (0..c)
            .rev()
            .map(|k| one_line(&grid.shown(first, k).display()))
            .find(|t| !t.is_empty())
            .unwrap_or_default();
    }
    let (shown, joined) = match (parent.is_empty(), bottom.is_empty() || bottom == parent) {
        (true, true) => return None,
        (false, true) => (parent.clone(), parent.clone()),
        (true, false) => (bottom.clone(), bottom.clone()),
        (false, false) => (format!("{parent} / {bottom}"), format!("{parent}{bottom}")),
    };
    let text = parse_header(&joined);
    let mut proposed = classify(&text);
    if !bottom.is_empty() && bottom != parent {
        // "计划" under "2023年投资": the pair says more; "项目名称" under
        // "项目基本情况": the child alone is a better match.
        let alone = classify(&parse_header(&bottom));
        if let Some(a) = alone {
            if proposed.is_none_or(|p| a.confidence > p.confidence) {
                proposed = Some(a);
            }
        }
    }
    Some(ColumnHeader {
        shown,
        text,
        proposed,
    })
}

pub(super) fn map_columns(
    sheet_name: &str,
    headers: &[Option<ColumnHeader>],
    options: &ReadOptions,
    sheet: &Sheet,
) -> Vec<ColumnMapping> {
    let mut columns: Vec<ColumnMapping> = Vec::new();
    for (c, header) in headers.iter().enumerate() {
        let letter = column_letter(c as u32);
        let overridden = options.columns.iter().find(|o| {
            o.sheet.as_ref().is_none_or(|s| s == sheet_name)
                && o.column
                    .as_deref()
                    .is_none_or(|l| column_index(l) == Some(c as u32))
                && o.header.as_deref().is_none_or(|h| {
                    header.as_ref().is_some_and(|ch| {
                        compact(h) == compact(&ch.shown)
                            || compact(h) == compact(&ch.shown.replace(" / ", ""))
                    })
                })
                && (o.column.is_some() || o.header.is_some())
        });
        if header.is_none() && overridden.is_none() {
            continue;
        }
        let text = header.as_ref().map(|h| h.text.clone()).unwrap_or_default();
        let mut mapping = ColumnMapping {
            column: letter,
            index: c as u32,
            header: header.as_ref().map(|h| h.shown.clone()).unwrap_or_default(),
            field: header.as_ref().and_then(|h| h.proposed).map(|m| m.field),
            confidence: header
                .as_ref()
                .and_then(|h| h.proposed)
                .map_or(0, |m| m.confidence),
            source: MappingSource::Detected,
            unit: None,
            unit_source: None,
            year: text.year,
            months: text.months,
            note: None,
        };
        if let Some(o) = overridden {
            mapping.field = o.field;
            mapping.confidence = 100;
            mapping.source = MappingSource::Override;
        }
        if let Some(field) = mapping.field {
            let given = overridden.and_then(|o| o.unit).filter(|u| u.fits(field));
            let (unit, source) = column_unit(field, given, text.unit, sheet);
            mapping.unit = unit;
            mapping.unit_source = source;
            // Dollars do not convert into the ledger's yuan without a rate:
            // the column is not read, and says so, rather than read as 万元.
            let in_dollars = match source {
                Some(UnitSource::Header | UnitSource::Override) => None,
                _ if compact(&mapping.header).contains("美元") => Some(mapping.header.clone()),
                Some(UnitSource::UnitNote | UnitSource::Default) => sheet
                    .unit_note
                    .clone()
                    .filter(|n| n.contains("美元") && field.kind() == Kind::Money),
                None => None,
            };
            if let (Some(said), Kind::Money) = (in_dollars, field.kind()) {
                mapping.note = Some(format!(
                    "“{said}”以美元计，台账金额以人民币计，无法换算，未读取（请换算为万元后导入，或在列映射中指定单位）"
                ));
                mapping.field = None;
                mapping.unit = None;
                mapping.unit_source = None;
            }
        }
        columns.push(mapping);
    }

    // One column per field: an override wins, then the higher confidence,
    // then the leftmost column.
    let mut taken: HashMap<Field, usize> = HashMap::new();
    let mut order: Vec<usize> = (0..columns.len()).collect();
    order.sort_by_key(|&i| {
        let m = &columns[i];
        (
            m.source != MappingSource::Override,
            100 - m.confidence as i32,
            m.index,
        )
    });
    for i in order {
        let Some(field) = columns[i].field else {
            continue;
        };
        if let Some(&winner) = taken.get(&field) {
            let winner_letter = columns[winner].column.clone();
            let m = &mut columns[i];
            m.note = Some(format!(
                "与{winner_letter}列同为“{}”，未采用",
                field.label()
            ));
            m.field = None;
            m.unit = None;
            m.unit_source = None;
        } else {
            taken.insert(field, i);
        }
    }
    columns
}

fn column_unit(
    field: Field,
    given: Option<Unit>,
    in_header: Option<Unit>,
    sheet: &Sheet,
) -> (Option<Unit>, Option<UnitSource>) {
    if let Some(unit) = given {
        return (Some(unit), Some(UnitSource::Override));
    }
    if let Some(unit) = in_header.filter(|u| u.fits(field)) {
        return (Some(unit), Some(UnitSource::Header));
    }
    match field.kind() {
        Kind::Money => (Some(sheet.money_unit), Some(sheet.money_unit_source)),
        Kind::Land => (Some(Unit::Mu), Some(UnitSource::Default)),
        Kind::Area => (Some(Unit::SquareMetre), Some(UnitSource::Default)),
        Kind::Count => (Some(Unit::Person), Some(UnitSource::Default)),
        _ => (None, None),
    }
}
