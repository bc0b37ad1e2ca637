//! Reading one sheet: finding the header (one row or two, merged or not), the
//! title and unit note above it, proposing a field for each column, then
//! walking the rows below — projects are read, and blank rows, section
//! headings, subtotals, totals, repeated headers and the notes at the bottom
//! are reported as skipped with the reason. Only the top of the sheet is
//! held as cells; the rows below are read one at a time as they arrive.

use std::collections::HashMap;

use calamine::Dimensions;

use crate::field::{column_index, column_letter, Field, Kind, Unit};
use crate::grid::{Grid, RowWindow};
use crate::header::{classify, parse_header, section_number, unit_word, HeaderText, Match};
use crate::model::{
    ColumnMapping, HeaderRow, Issue, LedgerValues, MappingSource, ProjectRow, RawValue,
    ReadOptions, Sheet, SkipKind, SkippedRow, UnitSource,
};
use crate::text::{compact, one_line};
use crate::value::{self, Cell, Decimal, Parsed};

/// Rows searched for the header.
const HEADER_SEARCH_ROWS: usize = 30;
/// Rows held as cells for finding the title, unit note and header: the
/// search rows, room for a two-row header below them, and a margin.
const HEAD_ROWS: usize = 50;
/// Header cells are short; longer texts are titles, notes or data.
const HEADER_MAX_CHARS: usize = 24;

/// Reads one sheet from its rows (in order, from row 1) and merged regions.
pub(crate) fn read_sheet(
    name: &str,
    hidden: bool,
    merges: &[Dimensions],
    rows: impl Iterator<Item = Vec<Cell>>,
    options: &ReadOptions,
) -> Sheet {
    let mut rows = rows;
    let mut sheet = Sheet {
        name: name.to_string(),
        hidden,
        is_ledger: false,
        title: None,
        title_row: None,
        unit_note: None,
        money_unit: Unit::Wan,
        money_unit_source: UnitSource::Default,
        year: options.year,
        ytd_through_month: None,
        header_rows: Vec::new(),
        columns: Vec::new(),
        rows: Vec::new(),
        skipped: Vec::new(),
        issues: Vec::new(),
    };
    let header_override = options
        .headers
        .iter()
        .find(|h| h.sheet.as_ref().is_none_or(|s| s == name));
    // A header given by hand may lie below the rows searched.
    let head_rows = header_override.map_or(HEAD_ROWS, |h| HEAD_ROWS.max(h.row as usize + 2));
    let mut grid = Grid::new(name.to_string(), rows.by_ref().take(head_rows).collect());
    grid.hidden = hidden;
    grid.add_merges(merges);

    let found = match header_override {
        Some(h) if h.row >= 1 => Some((h.row as usize - 1, h.rows.clamp(1, 2) as usize)),
        _ => find_header(&grid),
    };
    let Some((first, depth)) = found else {
        return sheet;
    };
    sheet.is_ledger = true;
    let header_end = first + depth - 1;
    read_header(&grid, first, depth, options, &mut sheet);

    let mut reader = RowReader::new(&sheet);
    let mut window = RowWindow::new(merges, grid.width());
    let mut width = grid.width();
    let head = std::mem::take(&mut grid.rows);
    for (r, cells) in head.into_iter().chain(rows).enumerate() {
        width = width.max(cells.len());
        window.advance(r, cells);
        if r > header_end {
            reader.read_row(&window, &mut sheet);
        }
    }
    // Header cells span the sheet's widest row, as the sheet shows them.
    for header in &mut sheet.header_rows {
        header.cells.resize(width, String::new());
    }
    sheet
}

/// The header rows, title, unit note, year and column mapping.
fn read_header(grid: &Grid, first: usize, depth: usize, options: &ReadOptions, sheet: &mut Sheet) {
    let header_end = first + depth - 1;
    let width = grid.width();
    for r in first..=header_end {
        sheet.header_rows.push(HeaderRow {
            row: r as u32 + 1,
            cells: (0..width)
                .map(|c| one_line(&grid.shown(r, c).display()))
                .collect(),
        });
    }

    read_title_area(grid, first, header_end, sheet);
    if let Some(unit) = options.money_unit {
        sheet.money_unit = unit;
        sheet.money_unit_source = UnitSource::Override;
    }

    let headers: Vec<Option<ColumnHeader>> = (0..width)
        .map(|c| column_header(grid, first, depth, c))
        .collect();
    if sheet.year.is_none() {
        sheet.year = headers.iter().flatten().find_map(|h| h.text.year);
    }
    sheet.columns = map_columns(&grid.name, &headers, options, sheet);
    sheet.ytd_through_month = sheet
        .columns
        .iter()
        .find(|c| c.field == Some(Field::CompletedYtd))
        .and_then(|c| c.months.map(|m| m.1))
        .or_else(|| {
            sheet
                .title
                .as_deref()
                .and_then(|t| parse_header(t).months.map(|m| m.1))
        });

    if !sheet.columns.iter().any(|c| c.field == Some(Field::Name)) {
        sheet.issues.push(Issue::new(
            &grid.name,
            None,
            None,
            Some(Field::Name),
            "未找到“项目名称”列，请在列映射中指定".to_string(),
        ));
    }
}

/// The header row (0-based) and its depth (1 or 2), if any row looks like one.
fn find_header(grid: &Grid) -> Option<(usize, usize)> {
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

struct ColumnHeader {
    shown: String,
    text: HeaderText,
    proposed: Option<Match>,
}

fn column_header(grid: &Grid, first: usize, depth: usize, c: usize) -> Option<ColumnHeader> {
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

/// Title, unit note and year from the rows above the header (and the header
/// itself, where some put "单位：万元" in a corner cell).
fn read_title_area(grid: &Grid, first: usize, header_end: usize, sheet: &mut Sheet) {
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
fn year_in(text: &str) -> Option<i32> {
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

fn map_columns(
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

/// What section headings above a row say about it.
#[derive(Default, Clone)]
struct Section {
    text: Option<String>,
    category: Option<kfq_domain::Category>,
    nature: Option<kfq_domain::Nature>,
    zone: Option<String>,
}

/// Reads the rows below the header one at a time, carrying what earlier
/// rows said: the current section, whether the notes have begun, and the
/// codes and names seen so far.
struct RowReader {
    sheet_name: String,
    columns: Vec<(usize, Field, Option<Unit>)>,
    year: Option<i32>,
    header_end: usize,
    name_col: Option<usize>,
    section: Section,
    in_notes: bool,
    codes: HashMap<String, u32>,
    names: HashMap<String, u32>,
}

impl RowReader {
    fn new(sheet: &Sheet) -> RowReader {
        let columns: Vec<(usize, Field, Option<Unit>)> = sheet
            .columns
            .iter()
            .filter_map(|m| m.field.map(|f| (m.index as usize, f, m.unit)))
            .collect();
        let name_col = columns
            .iter()
            .find(|(_, f, _)| *f == Field::Name)
            .map(|(c, _, _)| *c);
        RowReader {
            sheet_name: sheet.name.clone(),
            columns,
            year: sheet.year,
            header_end: sheet.header_rows.last().map_or(0, |h| h.row as usize - 1),
            name_col,
            section: Section::default(),
            in_notes: false,
            codes: HashMap::new(),
            names: HashMap::new(),
        }
    }

    fn column_of(&self, field: Field) -> Option<usize> {
        self.columns
            .iter()
            .find(|(_, f, _)| *f == field)
            .map(|(c, _, _)| *c)
    }

    /// Reads one row below the header into a project or a skipped row.
    fn read_row(&mut self, w: &RowWindow, sheet: &mut Sheet) {
        let r = w.row();
        let row_no = r as u32 + 1;
        let name_col = self.name_col;
        let own: Vec<(usize, &Cell)> = (0..w.width())
            .map(|c| (c, w.own(c)))
            .filter(|(_, cell)| !cell.is_empty())
            .collect();
        let text = row_text(w);
        let skip = |kind, reason: &str| SkippedRow {
            row: row_no,
            kind,
            text: text.clone(),
            reason: reason.to_string(),
        };
        if own.is_empty() {
            sheet.skipped.push(skip(SkipKind::Blank, "空行"));
            return;
        }
        let first_text = compact(&own[0].1.display());
        if self.in_notes || is_note(&first_text) {
            self.in_notes = true;
            sheet.skipped.push(skip(SkipKind::Note, "表尾注释"));
            return;
        }
        if let Some(kind) = self.total_kind(w) {
            let reason = match kind {
                SkipKind::Subtotal => "小计行",
                _ => "合计行",
            };
            sheet.skipped.push(skip(kind, reason));
            return;
        }
        if let Some(heading) = self.section_heading(w, &own) {
            update_section(&mut self.section, &heading);
            sheet.skipped.push(skip(SkipKind::Section, "分类标题行"));
            return;
        }
        if self.is_repeated_header(&own) {
            sheet
                .skipped
                .push(skip(SkipKind::RepeatedHeader, "重复的表头行"));
            return;
        }
        if r == self.header_end + 1 && is_column_numbers(&own) {
            sheet
                .skipped
                .push(skip(SkipKind::ColumnNumbers, "栏次行（列编号）"));
            return;
        }
        let serial_col = self.column_of(Field::Serial).unwrap_or(0);
        if own.iter().all(|(c, _)| *c == serial_col) {
            sheet
                .skipped
                .push(skip(SkipKind::SerialOnly, "仅有序号的空行"));
            return;
        }
        let mut project = self.read_project(w);
        if let (Some(name_col), None) = (name_col, &project.values.name) {
            project.errors.insert(
                0,
                Issue::new(
                    &self.sheet_name,
                    Some(row_no),
                    Some(column_letter(name_col as u32)),
                    Some(Field::Name),
                    "项目名称为空".to_string(),
                ),
            );
        }
        if let Some(code) = &project.values.project_code {
            if let Some(first) = self.codes.get(code) {
                project.errors.push(Issue::new(
                    &self.sheet_name,
                    Some(row_no),
                    self.column_of(Field::ProjectCode)
                        .map(|c| column_letter(c as u32)),
                    Some(Field::ProjectCode),
                    format!("项目代码“{code}”与第{first}行重复"),
                ));
            } else {
                self.codes.insert(code.clone(), row_no);
            }
        }
        if let Some(name) = &project.values.name {
            if let Some(first) = self.names.get(name) {
                project.warnings.push(Issue::new(
                    &self.sheet_name,
                    Some(row_no),
                    name_col.map(|c| column_letter(c as u32)),
                    Some(Field::Name),
                    format!("项目名称与第{first}行相同"),
                ));
            } else {
                self.names.insert(name.clone(), row_no);
            }
        }
        sheet.rows.push(project);
    }

    /// The cells that label a row: serial, zone, name, category, nature and
    /// unmapped columns left of the name (where "合计" is usually written).
    fn label_cells(&self, w: &RowWindow) -> Vec<(String, String)> {
        let label_fields = [
            Field::Serial,
            Field::Zone,
            Field::Name,
            Field::Category,
            Field::Nature,
        ];
        let mapped: Vec<usize> = self.columns.iter().map(|(c, _, _)| *c).collect();
        let limit = self.name_col.unwrap_or(2);
        (0..w.width())
            .filter(|c| {
                self.columns
                    .iter()
                    .any(|(mc, f, _)| mc == c && label_fields.contains(f))
                    || (*c <= limit && !mapped.contains(c))
            })
            .filter_map(|c| {
                // A label merged across from the left ("合 计" over A:C) counts;
                // one merged down from a row above does not.
                let cell = match w.origin(c) {
                    Some((or, _)) if or != w.row() => return None,
                    _ => w.shown(c),
                };
                let shown = cell.display();
                let t = compact(&shown);
                (!t.is_empty() && t.chars().count() <= 30).then(|| (t, one_line(&shown)))
            })
            .collect()
    }

    /// 小计 / 合计 rows. The word must open or close the label ("产业类小计",
    /// "合计（30个）", "全区合计"): a project may be called "大数据汇总中心项目".
    fn total_kind(&self, w: &RowWindow) -> Option<SkipKind> {
        let labels: Vec<String> = self
            .label_cells(w)
            .into_iter()
            .map(|(t, _)| strip_count(&t))
            // "合计划分区域污水管网工程" is a project: names end in 项目 / 工程.
            .filter(|t| !t.ends_with("项目") && !t.ends_with("工程"))
            .collect();
        let at_edge = |t: &str, w: &str| t.starts_with(w) || t.ends_with(w);
        // "其中：产业类" breaks a total down; it is not a project either.
        if labels
            .iter()
            .any(|t| at_edge(t, "小计") || t.starts_with("其中"))
        {
            return Some(SkipKind::Subtotal);
        }
        let total_words = ["合计", "总计", "汇总"];
        labels
            .iter()
            .any(|t| total_words.iter().any(|w| at_edge(t, w)))
            .then_some(SkipKind::Total)
    }

    /// A heading row: "一、产业类项目" (with or without subtotals beside it),
    /// or a single text merged across the sheet ("XX经济技术开发区").
    fn section_heading(&self, w: &RowWindow, own: &[(usize, &Cell)]) -> Option<String> {
        let labels = self.label_cells(w);
        if let Some((numbered, shown)) = labels.iter().find(|(t, _)| section_number(t).is_some()) {
            let name_is_heading = self.name_col.is_none_or(|nc| {
                let n = compact(&w.shown(nc).display());
                n.is_empty() || n == *numbered || section_number(&n).is_some()
            });
            if name_is_heading {
                return Some(shown.clone());
            }
        }
        let texts: Vec<&(usize, &Cell)> = own
            .iter()
            .filter(|(_, c)| matches!(c, Cell::Text(_)))
            .collect();
        if own.len() == 1 && texts.len() == 1 {
            let (c, cell) = texts[0];
            let t = one_line(&cell.display());
            let bare = strip_count(&compact(&t));
            let known = [
                "产业类项目",
                "产业项目",
                "工业项目",
                "基础设施类项目",
                "基础设施项目",
                "社会民生类项目",
                "社会民生项目",
                "民生项目",
                "新建项目",
                "续建项目",
                "前期项目",
                "新开工项目",
            ];
            if w.merge_width(*c) >= 3 || known.contains(&bare.as_str()) {
                return Some(t);
            }
        }
        None
    }

    fn is_repeated_header(&self, own: &[(usize, &Cell)]) -> bool {
        let mut matching = 0;
        let mut texts = 0;
        for (c, cell) in own {
            let Cell::Text(t) = cell else { continue };
            texts += 1;
            // Only a mapped column can match; classifying is the costly part.
            let Some(&(_, field, _)) = self.columns.iter().find(|(mc, _, _)| mc == c) else {
                continue;
            };
            if classify(&parse_header(t)).is_some_and(|m| m.field == field) {
                matching += 1;
            }
        }
        matching >= 3 || (matching >= 2 && matching == texts && texts == own.len())
    }

    fn read_project(&self, w: &RowWindow) -> ProjectRow {
        let (r, section) = (w.row(), &self.section);
        let row_no = r as u32 + 1;
        let mut project = ProjectRow {
            sheet: self.sheet_name.clone(),
            row: row_no,
            section: section.text.clone(),
            values: LedgerValues::default(),
            raw: Vec::new(),
            inferred: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
        };
        for &(c, field, unit) in &self.columns {
            let letter = column_letter(c as u32);
            let issue = |reason: String| {
                Issue::new(
                    &self.sheet_name,
                    Some(row_no),
                    Some(letter.clone()),
                    Some(field),
                    reason,
                )
            };
            let cell = match w.origin(c) {
                // Merged down from a project row above: a label (zone,
                // category, leader) carries down; a quantity belongs to the
                // first row only.
                Some((or, oc)) if or < r && or > self.header_end && oc == c => {
                    if field.is_quantity() {
                        if !w.shown(c).is_empty() {
                            project.warnings.push(issue(format!(
                                "与第{}行合并的单元格，数值只计入第{}行",
                                or + 1,
                                or + 1
                            )));
                        }
                        &Cell::Empty
                    } else {
                        w.shown(c)
                    }
                }
                Some(_) => &Cell::Empty,
                None => w.own(c),
            };
            if cell.is_empty() {
                continue;
            }
            project.raw.push(RawValue {
                field,
                column: letter.clone(),
                text: one_line(&cell.display()),
            });
            if let Err(reason) = self.set(
                &mut project.values,
                field,
                cell,
                unit,
                &mut project.warnings,
                &issue,
            ) {
                project.errors.push(issue(reason));
            }
        }
        let v = &mut project.values;
        if v.category.is_none() && section.category.is_some() {
            v.category = section.category;
            project.inferred.push(Field::Category);
        }
        if v.nature.is_none() && section.nature.is_some() {
            v.nature = section.nature;
            project.inferred.push(Field::Nature);
        }
        if v.zone.is_none() && section.zone.is_some() {
            v.zone = section.zone.clone();
            project.inferred.push(Field::Zone);
        }
        let row_issue = |field: Field, reason: &str| {
            Issue::new(
                &self.sheet_name,
                Some(row_no),
                self.column_of(field).map(|c| column_letter(c as u32)),
                Some(field),
                reason.to_string(),
            )
        };
        if let (Some(ytd), Some(cumulative)) = (&v.completed_ytd, &v.completed_cumulative) {
            if cumulative.value < ytd.value {
                project.warnings.push(row_issue(
                    Field::CompletedCumulative,
                    "累计完成投资小于本年完成投资",
                ));
            }
        }
        if let (Some(total), Some(cumulative)) = (&v.total_investment, &v.completed_cumulative) {
            if cumulative.value > total.value {
                project.warnings.push(row_issue(
                    Field::CompletedCumulative,
                    "累计完成投资超过总投资",
                ));
            }
        }
        project
    }

    /// Parses one cell into its field; a warning is recorded, an error returned.
    fn set(
        &self,
        v: &mut LedgerValues,
        field: Field,
        cell: &Cell,
        unit: Option<Unit>,
        warnings: &mut Vec<Issue>,
        issue: &dyn Fn(String) -> Issue,
    ) -> Result<(), String> {
        fn take<T>(
            outcome: Result<Option<Parsed<T>>, String>,
            warnings: &mut Vec<Issue>,
            issue: &dyn Fn(String) -> Issue,
        ) -> Result<Option<T>, String> {
            Ok(outcome?.map(|p| {
                if let Some(w) = p.warning {
                    warnings.push(issue(w));
                }
                p.value
            }))
        }
        let money_unit = unit.unwrap_or(Unit::Wan);
        match field {
            Field::Serial => v.serial = value::text(cell).map(|t| one_line(&t)),
            Field::Zone => v.zone = value::text(cell).map(|t| one_line(&t)),
            Field::Name => v.name = value::name(cell),
            Field::Investor => v.investor = value::text(cell).map(|t| one_line(&t)),
            Field::IndustryChain => v.industry_chain = value::text(cell).map(|t| one_line(&t)),
            Field::Liaison => v.liaison = value::text(cell).map(|t| one_line(&t)),
            Field::Department => v.department = value::text(cell).map(|t| one_line(&t)),
            Field::ConstructionContent => v.construction_content = value::text(cell),
            Field::Progress => v.progress = value::text(cell),
            Field::Blockers => v.blockers = value::text(cell),
            Field::Category => v.category = take(value::category(cell), warnings, issue)?,
            Field::Nature => v.nature = take(value::nature(cell), warnings, issue)?,
            Field::Stage => v.stage = take(value::stage(cell), warnings, issue)?,
            Field::Registered => v.registered = take(value::flag(cell), warnings, issue)?,
            Field::ProjectCode => {
                v.project_code = take(value::project_code(cell), warnings, issue)?
            }
            Field::TotalInvestment => {
                v.total_investment = take(value::money(cell, money_unit), warnings, issue)?
            }
            Field::PlannedInvestment => {
                v.planned_investment = take(value::money(cell, money_unit), warnings, issue)?
            }
            Field::CompletedYtd => {
                v.completed_ytd = take(value::money(cell, money_unit), warnings, issue)?
            }
            Field::CompletedCumulative => {
                v.completed_cumulative = take(value::money(cell, money_unit), warnings, issue)?
            }
            Field::AnnualOutput => {
                v.annual_output = take(value::money(cell, money_unit), warnings, issue)?
            }
            Field::AnnualTax => {
                v.annual_tax = take(value::money(cell, money_unit), warnings, issue)?
            }
            Field::StartDate => v.start_date = take(value::date(cell, self.year), warnings, issue)?,
            Field::ProductionDate => {
                v.production_date = take(value::date(cell, self.year), warnings, issue)?
            }
            Field::LandMu => {
                v.land_mu = take(value::land(cell, unit.unwrap_or(Unit::Mu)), warnings, issue)?
            }
            Field::FloorArea => {
                v.floor_area = take(
                    value::floor_area(cell, unit.unwrap_or(Unit::SquareMetre)),
                    warnings,
                    issue,
                )?
            }
            Field::Jobs => v.jobs = take(value::count(cell), warnings, issue)?,
        }
        Ok(())
    }
}

/// The row's texts joined, each merged value once.
fn row_text(w: &RowWindow) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in 0..w.width() {
        if w.origin(c).is_some_and(|(or, _)| or == w.row()) {
            continue;
        }
        let t = one_line(&w.own(c).display());
        if !t.is_empty() {
            parts.push(t);
        }
    }
    parts.join(" | ")
}

/// "注：", "注1.", "备注：", "说明：", "填报人：", "联系电话：" — the lines under a
/// printed table. A project name may start with 注 (注塑…), so 注 must be
/// followed by a colon, a number or a list mark.
pub(crate) fn is_note(t: &str) -> bool {
    if t == "注" || t.starts_with("注释") {
        return true;
    }
    if let Some(rest) = t.strip_prefix('注') {
        return rest.starts_with([':', '、', '.', ','])
            || rest.starts_with(|c: char| c.is_ascii_digit());
    }
    const SIGNATURES: &[&str] = &[
        "填报人",
        "填表人",
        "制表人",
        "审核人",
        "审核:",
        "制表:",
        "联系人",
        "联系电话",
        "填报单位",
        "填报日期",
        "填报时间",
        "制表时间",
        "制表日期",
        "单位负责人",
        "负责人:",
        "数据来源",
        "备注:",
        "说明:",
    ];
    SIGNATURES.iter().any(|s| t.starts_with(s))
}

/// "（12个）" and "(共5个)" after a heading say how many projects follow.
fn strip_count(t: &str) -> String {
    if let Some(open) = t.rfind('(') {
        if t.ends_with(')') && t[open..].contains('个') {
            return t[..open].to_string();
        }
    }
    t.to_string()
}

fn update_section(section: &mut Section, heading: &str) {
    let bare = strip_count(&compact(heading));
    let category = value::category_of(&bare);
    let nature = value::nature_of(&bare);
    const ZONE_ENDINGS: &[&str] = &[
        "开发区",
        "经开区",
        "高新区",
        "园区",
        "示范区",
        "综保区",
        "新区",
    ];
    let zone_text: String = bare
        .trim_start_matches(|c: char| "一二三四五六七八九十零第()、.,".contains(c))
        .to_string();
    let zone = ZONE_ENDINGS
        .iter()
        .any(|e| zone_text.ends_with(e))
        .then_some(zone_text);
    if category.is_some() {
        section.category = category;
        section.nature = None;
    }
    if nature.is_some() {
        section.nature = nature;
    }
    if zone.is_some() {
        section.zone = zone;
        section.category = None;
        section.nature = None;
    }
    section.text = Some(one_line(heading));
}

/// A row numbering the columns: 1, 2, 3 … or 甲, 乙, 丙 ….
pub(crate) fn is_column_numbers(own: &[(usize, &Cell)]) -> bool {
    if own.len() < 3 {
        return false;
    }
    let values: Vec<String> = own.iter().map(|(_, c)| compact(&c.display())).collect();
    let numbers: Vec<Option<u32>> = values.iter().map(|v| v.parse().ok()).collect();
    let counting = numbers.iter().all(Option::is_some)
        && numbers.windows(2).all(|w| w[1] == w[0].map(|n| n + 1))
        && numbers[0].is_some_and(|n| n <= 2);
    let stems = values.iter().all(|v| {
        v.chars().count() == 1 && "甲乙丙丁戊己庚辛壬癸".contains(v.as_str())
            || v.parse::<u32>().is_ok()
    });
    counting || (stems && values.iter().any(|v| v == "甲"))
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
    }

    #[test]
    fn notes_and_headings() {
        for t in [
            "注:1.本表数据截至6月底",
            "注1.",
            "注",
            "填报人:张三",
            "联系电话:0359-1234567",
            "备注:无",
        ] {
            assert!(is_note(t), "{t}");
        }
        for t in ["注塑件生产项目", "年产2000吨非晶合金薄带材料项目"] {
            assert!(!is_note(t), "{t}");
        }
        assert_eq!(strip_count("产业类项目(12个)"), "产业类项目");
        let mut s = Section::default();
        update_section(&mut s, "一、产业类项目（12个）");
        assert_eq!(s.category, Some(kfq_domain::Category::Industrial));
        update_section(&mut s, "（一）续建项目");
        assert_eq!(
            (s.category, s.nature),
            (
                Some(kfq_domain::Category::Industrial),
                Some(kfq_domain::Nature::Continuing)
            )
        );
        update_section(&mut s, "二、新绛经济技术开发区");
        assert_eq!(s.zone.as_deref(), Some("新绛经济技术开发区"));
        assert_eq!(s.category, None);
        assert_eq!(year_in("2023年XX开发区重点项目推进台账"), Some(2023));
        assert_eq!(year_in("重点项目台账"), None);
    }

    #[test]
    fn column_number_rows() {
        let cells: Vec<Cell> = ["1", "2", "3", "4"]
            .iter()
            .map(|t| Cell::Text(t.to_string()))
            .collect();
        let own: Vec<(usize, &Cell)> = cells.iter().enumerate().collect();
        assert!(is_column_numbers(&own));
        let cells: Vec<Cell> = ["1", "年产项目", "3"]
            .iter()
            .map(|t| Cell::Text(t.to_string()))
            .collect();
        let own: Vec<(usize, &Cell)> = cells.iter().enumerate().collect();
        assert!(!is_column_numbers(&own));
    }
}
