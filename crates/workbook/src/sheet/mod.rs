//! Reading one sheet: finding the header (one row or two, merged or not), the
//! title and unit note above it, proposing a field for each column, then
//! walking the rows below — projects are read, and blank rows, section
//! headings, subtotals, totals, repeated headers and the notes at the bottom
//! are reported as skipped with the reason. Only the top of the sheet is
//! held as cells; the rows below are read one at a time as they arrive.

mod as_of;
pub use as_of::{month_end, AsOf, AsOfSource};
pub(crate) use as_of::{month_of_name, stated_cut_off};
mod columns;
mod find;
mod rows;
mod title;

use calamine::Dimensions;

use crate::field::{Field, Unit};
use crate::grid::{Grid, RowWindow};
use crate::header::parse_header;
use crate::model::{HeaderRow, Issue, ReadOptions, Sheet, UnitSource};
use crate::text::one_line;
use crate::value::Cell;

use columns::{column_header, map_columns, ColumnHeader};
use find::find_header;
use rows::RowReader;
use title::read_title_area;

pub(crate) use rows::{is_column_numbers, is_note};
pub(crate) use title::{find_unit_note, strip_unit_note};

/// Rows searched for the header.
const HEADER_SEARCH_ROWS: usize = 30;
/// Rows held as cells for finding the title, unit note and header: the
/// search rows, room for a two-row header below them, and a margin.
const HEAD_ROWS: usize = 50;
/// Header cells are short; longer texts are titles, notes or data.
const HEADER_MAX_CHARS: usize = 24;

/// Reads one sheet from its rows (in order, from row 1) and merged regions;
/// `declared_rows` is how many rows the sheet says it has (0 if unknown).
pub(crate) fn read_sheet(
    name: &str,
    hidden: bool,
    merges: &[Dimensions],
    declared_rows: usize,
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
        as_of: None,
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

    // A header row given by hand must lie within the sheet: one beyond its
    // last row finds no header (the sheet is not read as a ledger), rather
    // than a title searched through billions of empty rows.
    let found = match header_override {
        Some(h) if h.row >= 1 && h.row as usize <= grid.height() => {
            Some((h.row as usize - 1, h.rows.clamp(1, 2) as usize))
        }
        Some(h) if h.row >= 1 => None,
        _ => find_header(&grid),
    };
    let Some((first, depth)) = found else {
        return sheet;
    };
    sheet.is_ledger = true;
    let header_end = first + depth - 1;
    read_header(&grid, first, depth, options, &mut sheet);

    // Room for every row below the header at once, as the sheet declares
    // them (within what a file may hold): a Vec of 100,000 projects grown by
    // doubling copied them all a few times over.
    let below = declared_rows.saturating_sub(header_end + 1);
    sheet.rows.reserve(below.min(crate::grid::MAX_ROWS));
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
    // The rows are kept by the caller: no room beyond them (a Vec that grew
    // by doubling holds up to twice its rows).
    sheet.rows.shrink_to_fit();
    sheet.skipped.shrink_to_fit();
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
    let above: Vec<String> = (0..first)
        .flat_map(|r| (0..grid.rows.get(r).map_or(0, Vec::len)).map(move |c| (r, c)))
        .filter_map(|(r, c)| match grid.own(r, c) {
            Cell::Text(t) if !t.trim().is_empty() => Some(t.clone()),
            _ => None,
        })
        .collect();
    sheet.as_of = as_of::find_as_of(
        &above,
        sheet.title.as_deref(),
        &sheet.name,
        sheet.year,
        sheet.ytd_through_month,
    );

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
