//! One sheet's rows, one at a time, from .xlsx XML, a whole-sheet range or CSV records.

use calamine::{Data, DataRef, Dimensions, XlsxError};

use super::cells::{cell_of, cell_of_ref};
use super::{Budget, MAX_COLUMNS};
use crate::value::Cell;

type NextCell<'a> = Box<dyn FnMut() -> Result<Option<calamine::Cell<DataRef<'a>>>, XlsxError> + 'a>;

/// One sheet's rows, each a `Vec<Cell>` from column A with trailing empty
/// cells left out, produced as they are asked for. Blank rows between filled
/// ones are produced as empty rows; a workbook's blank rows at the end are
/// not (a CSV's are).
pub(crate) struct SheetRows<'a> {
    pub merges: Vec<Dimensions>,
    pub(super) source: Source<'a>,
    pub(super) next_row: usize,
    pub(super) truncated: bool,
    pub(super) budget: Budget,
    /// Set when the file's rows or cells ran out before this sheet's end.
    pub(super) over_budget: bool,
    /// Problems met while reading (a damaged record), for the file's notes.
    pub notes: Vec<String>,
}

pub(super) enum Source<'a> {
    /// Cells straight from an .xlsx sheet's XML, in document order.
    Xlsx {
        next_cell: NextCell<'a>,
        /// The first cell of a row not yet handed out.
        ahead: Option<((usize, usize), Cell)>,
        done: bool,
    },
    Range(calamine::Range<Data>),
    Csv {
        reader: csv::Reader<&'a [u8]>,
        record: csv::StringRecord,
    },
}

impl SheetRows<'_> {
    /// Whether columns beyond [`MAX_COLUMNS`] were left out.
    pub(crate) fn truncated(&self) -> bool {
        self.truncated
    }

    /// Why the sheet was not read to its end, if the file's budget ran out.
    pub(crate) fn over_budget(&self, sheet: &str) -> Option<String> {
        self.over_budget
            .then(|| Budget::refusal(sheet, self.next_row + 1))
    }

    /// The next filled cell of an .xlsx sheet, skipping cells that only carry
    /// a format. A cell above rows already handed out is out of order (no
    /// spreadsheet program writes that) and left out.
    fn next_xlsx_cell(&mut self) -> Option<((usize, usize), Cell)> {
        let Source::Xlsx {
            next_cell, done, ..
        } = &mut self.source
        else {
            return None;
        };
        while !*done {
            match next_cell() {
                Ok(Some(cell)) => {
                    let value = cell.get_value();
                    if matches!(value, DataRef::Empty) {
                        continue;
                    }
                    let (row, col) = cell.get_position();
                    let (row, col) = (row as usize, col as usize);
                    if row < self.next_row {
                        continue;
                    }
                    if col >= MAX_COLUMNS {
                        self.truncated = true;
                        continue;
                    }
                    return Some(((row, col), cell_of_ref(value)));
                }
                Ok(None) => *done = true,
                Err(e) => {
                    *done = true;
                    self.notes
                        .push(format!("第{}行之后的内容无法读取：{e}", self.next_row + 1));
                }
            }
        }
        None
    }

    fn next_xlsx_row(&mut self) -> Option<Vec<Cell>> {
        let first = match &mut self.source {
            Source::Xlsx { ahead, .. } => ahead.take(),
            _ => None,
        };
        let ((row, col), cell) = first.or_else(|| self.next_xlsx_cell())?;
        let mut cells = Vec::new();
        let mut pending = Some(((row, col), cell));
        if row > self.next_row {
            // A blank row: keep the cell for its own row.
            self.put_ahead(pending);
            return Some(cells);
        }
        while let Some(((row, col), cell)) = pending {
            if row != self.next_row {
                self.put_ahead(Some(((row, col), cell)));
                break;
            }
            if cells.len() <= col {
                cells.resize(col + 1, Cell::Empty);
            }
            cells[col] = cell;
            pending = self.next_xlsx_cell();
        }
        Some(cells)
    }

    fn put_ahead(&mut self, cell: Option<((usize, usize), Cell)>) {
        if let Source::Xlsx { ahead, .. } = &mut self.source {
            *ahead = cell;
        }
    }

    fn next_range_row(&mut self) -> Option<Vec<Cell>> {
        let Source::Range(range) = &self.source else {
            return None;
        };
        let (top, left) = range.start()?;
        let (bottom, _) = range.end()?;
        let (top, left, r) = (top as usize, left as usize, self.next_row);
        if r > bottom as usize {
            return None;
        }
        if r < top {
            return Some(Vec::new());
        }
        let mut cells = vec![Cell::Empty; left.min(MAX_COLUMNS)];
        for j in 0..range.width() {
            let data = range.get((r - top, j)).unwrap_or(&Data::Empty);
            if left + j >= MAX_COLUMNS {
                self.truncated |= !matches!(data, Data::Empty);
                continue;
            }
            cells.push(cell_of(data));
        }
        Some(cells)
    }

    fn next_csv_row(&mut self) -> Option<Vec<Cell>> {
        let Source::Csv { reader, record } = &mut self.source else {
            return None;
        };
        match reader.read_record(record) {
            Ok(false) => None,
            Ok(true) => {
                self.truncated |= record.len() > MAX_COLUMNS
                    && record
                        .iter()
                        .skip(MAX_COLUMNS)
                        .any(|f| !f.trim().is_empty());
                Some(
                    record
                        .iter()
                        .take(MAX_COLUMNS)
                        .map(|field| match field.trim().is_empty() {
                            true => Cell::Empty,
                            false => Cell::Text(field.to_string()),
                        })
                        .collect(),
                )
            }
            Err(e) => {
                self.notes
                    .push(format!("第{}行无法按CSV读取：{e}", self.next_row + 1));
                Some(Vec::new())
            }
        }
    }
}

impl Iterator for SheetRows<'_> {
    type Item = Vec<Cell>;

    fn next(&mut self) -> Option<Vec<Cell>> {
        if self.over_budget {
            return None;
        }
        let mut row = match self.source {
            Source::Xlsx { .. } => self.next_xlsx_row(),
            Source::Range(_) => self.next_range_row(),
            Source::Csv { .. } => self.next_csv_row(),
        }?;
        while matches!(row.last(), Some(Cell::Empty)) {
            row.pop();
        }
        let filled = row.iter().filter(|c| !matches!(c, Cell::Empty)).count();
        if !self.budget.take(filled) {
            self.over_budget = true;
            return None;
        }
        self.next_row += 1;
        Some(row)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Book;

    #[test]
    fn blank_rows_inside_a_sheet_are_kept_and_trailing_ones_dropped() {
        let mut book = Book::open("a,b\n,\n\nc\n,,\n".as_bytes(), "x.csv").unwrap();
        let rows: Vec<usize> = book.rows("x.csv").unwrap().map(|r| r.len()).collect();
        assert_eq!(rows, [2, 0, 1, 0]);
    }
}
