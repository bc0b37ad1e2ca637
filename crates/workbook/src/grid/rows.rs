//! One sheet's rows, one at a time, from .xlsx XML, a whole-sheet range or CSV records.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::Scope;

use calamine::{Data, DataRef, Dimensions, XlsxError};

use super::cells::{cell_of, cell_of_ref};
use super::{Budget, MAX_COLUMNS};
use crate::value::Cell;

type NextCell<'a> =
    Box<dyn FnMut() -> Result<Option<calamine::Cell<DataRef<'a>>>, XlsxError> + Send + 'a>;

/// Rows fetched ahead on their own thread, a batch at a time: enough for
/// the XML of a wide sheet to be parsed while the rows before are read,
/// few enough that the batches waiting stay small.
const BATCH_ROWS: usize = 256;
const BATCH_CELLS: usize = 8 * 1024;
const BATCHES_AHEAD: usize = 4;

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
    /// The rows the sheet says it has (an .xlsx's `dimension`, a CSV's
    /// lines), 0 if it does not say: room to make, never a limit (it may be
    /// wrong).
    pub declared_rows: usize,
}

pub(super) enum Source<'a> {
    /// Cells straight from an .xlsx sheet's XML, in document order.
    Xlsx(XlsxCells<'a>),
    /// The same rows fetched by a thread of their own ([`SheetRows::read_ahead`]).
    Piped {
        batches: Receiver<Vec<Fetched>>,
        batch: std::vec::IntoIter<Fetched>,
    },
    /// Nothing left to read: a piped sheet's thread has finished.
    Done,
    Range(calamine::Range<Data>),
    Csv(CsvRecords<'a>),
}

/// A CSV's records as rows: what [`SheetRows`] asks for the next row, on the
/// calling thread or on one of its own.
pub(super) struct CsvRecords<'a> {
    pub(super) reader: csv::Reader<&'a [u8]>,
    pub(super) record: csv::StringRecord,
    /// Records fetched so far, damaged ones included (each an empty row).
    pub(super) next_row: usize,
}

/// What a row thread fetches rows from.
enum Fetcher<'a> {
    Xlsx(XlsxCells<'a>),
    Csv(CsvRecords<'a>),
}

impl Fetcher<'_> {
    fn fetch(&mut self) -> Fetched {
        match self {
            Fetcher::Xlsx(cells) => cells.fetch(),
            Fetcher::Csv(records) => records.fetch(),
        }
    }

    /// Fetches every row into `batches` until the sheet ends or nobody
    /// reads them any more.
    fn send_rows(mut self, batches: &SyncSender<Vec<Fetched>>) {
        let mut batch = Vec::with_capacity(BATCH_ROWS);
        let mut cells = 0;
        loop {
            let fetched = self.fetch();
            let end = fetched.row.is_none();
            cells += fetched.row.as_ref().map_or(0, Vec::len);
            batch.push(fetched);
            if end || batch.len() == BATCH_ROWS || cells >= BATCH_CELLS {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ROWS));
                if batches.send(full).is_err() || end {
                    return;
                }
                cells = 0;
            }
        }
    }
}

/// An .xlsx sheet's cells gathered into rows: what [`SheetRows`] asks for
/// the next row, on the calling thread or on one of its own.
pub(super) struct XlsxCells<'a> {
    pub(super) next_cell: NextCell<'a>,
    /// The rows the sheet's XML declares (its `dimension`), 0 if unknown.
    pub(super) declared_rows: u32,
    /// The first cell of a row not yet handed out.
    pub(super) ahead: Option<((usize, usize), DataRef<'a>)>,
    /// The widest row fetched so far: room for the next row at once.
    pub(super) width: usize,
    pub(super) done: bool,
    /// Rows fetched so far (all handed out, in order).
    pub(super) next_row: usize,
    /// Whether a cell beyond [`MAX_COLUMNS`] was met in this fetch.
    pub(super) truncated: bool,
    /// Why the sheet could not be read further, met in this fetch.
    pub(super) note: Option<String>,
}

/// One row fetched, or the end of the sheet, with what fetching it met:
/// taken into [`SheetRows`] only when the row is asked for, as if it had
/// been fetched then. The cells are made where the row is fetched (on a
/// row thread, beside the parsing).
pub(super) struct Fetched {
    row: Option<Vec<Cell>>,
    truncated: bool,
    note: Option<String>,
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

    /// Parses the XML of an .xlsx sheet, or the records of a CSV, of at
    /// least `min_rows` rows on a thread of `scope` while the caller reads
    /// the rows already fetched; other sources, and shorter sheets, stay on
    /// the calling thread. The rows and what is said about them are the same
    /// either way. The thread stops when these rows are dropped.
    pub(crate) fn read_ahead<'scope, 'env>(
        &mut self,
        scope: &'scope Scope<'scope, 'env>,
        min_rows: u32,
    ) where
        Self: 'scope,
    {
        let long = match &self.source {
            Source::Xlsx(c) => c.declared_rows >= min_rows,
            Source::Csv(_) => self.declared_rows >= min_rows as usize,
            _ => false,
        };
        if long {
            self.pipe(scope);
        }
    }

    fn pipe<'scope, 'env>(&mut self, scope: &'scope Scope<'scope, 'env>)
    where
        Self: 'scope,
    {
        let fetcher = match std::mem::replace(&mut self.source, Source::Done) {
            Source::Xlsx(cells) => Fetcher::Xlsx(cells),
            Source::Csv(records) => Fetcher::Csv(records),
            other => {
                self.source = other;
                return;
            }
        };
        // The source is handed over once the thread runs, so that it stays
        // here if it cannot be started.
        let (hand_over, handed) = sync_channel::<Fetcher<'_>>(1);
        let (send, batches) = sync_channel(BATCHES_AHEAD);
        let started = std::thread::Builder::new()
            .name("kfq-sheet-rows".into())
            .spawn_scoped(scope, move || {
                if let Ok(fetcher) = handed.recv() {
                    fetcher.send_rows(&send);
                }
            });
        let back = |fetcher| match fetcher {
            Fetcher::Xlsx(cells) => Source::Xlsx(cells),
            Fetcher::Csv(records) => Source::Csv(records),
        };
        if started.is_err() {
            self.source = back(fetcher);
            return;
        }
        self.source = match hand_over.send(fetcher) {
            Ok(()) => Source::Piped {
                batches,
                batch: Vec::new().into_iter(),
            },
            Err(returned) => back(returned.0),
        };
    }

    fn next_piped_row(&mut self) -> Option<Vec<Cell>> {
        let Source::Piped { batches, batch } = &mut self.source else {
            return None;
        };
        let fetched = match batch.next() {
            Some(fetched) => fetched,
            None => match batches.recv() {
                Ok(next) => {
                    *batch = next.into_iter();
                    batch.next()?
                }
                Err(_) => {
                    self.source = Source::Done;
                    return None;
                }
            },
        };
        if fetched.row.is_none() {
            self.source = Source::Done;
        }
        self.taken(fetched)
    }

    /// The next row of an .xlsx sheet or a CSV read on this thread.
    fn next_fetched_row(&mut self) -> Option<Vec<Cell>> {
        let fetched = match &mut self.source {
            Source::Xlsx(cells) => cells.fetch(),
            Source::Csv(records) => records.fetch(),
            _ => return None,
        };
        self.taken(fetched)
    }

    /// A fetched row, taking in what fetching it met.
    fn taken(&mut self, fetched: Fetched) -> Option<Vec<Cell>> {
        self.truncated |= fetched.truncated;
        self.notes.extend(fetched.note);
        fetched.row
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
}

impl CsvRecords<'_> {
    /// The next record as a row, or the end of the file, with what was met
    /// on the way: a damaged record is an empty row and a note.
    fn fetch(&mut self) -> Fetched {
        let record = &mut self.record;
        let (row, truncated, note) = match self.reader.read_record(record) {
            Ok(false) => (None, false, None),
            Ok(true) => {
                let truncated = record.len() > MAX_COLUMNS
                    && record
                        .iter()
                        .skip(MAX_COLUMNS)
                        .any(|f| !f.trim().is_empty());
                let cells = record
                    .iter()
                    .take(MAX_COLUMNS)
                    .map(|field| match field.trim().is_empty() {
                        true => Cell::Empty,
                        false => Cell::Text(field.to_string()),
                    })
                    .collect();
                (Some(cells), truncated, None)
            }
            Err(e) => (
                Some(Vec::new()),
                false,
                Some(format!("第{}行无法按CSV读取：{e}", self.next_row + 1)),
            ),
        };
        if row.is_some() {
            self.next_row += 1;
        }
        Fetched {
            row,
            truncated,
            note,
        }
    }
}

/// A fetched row's values as cells.
fn cells_of(row: Vec<DataRef<'_>>) -> Vec<Cell> {
    row.iter().map(cell_of_ref).collect()
}

impl<'a> XlsxCells<'a> {
    /// The next row, or the end of the sheet, with what was met on the way.
    fn fetch(&mut self) -> Fetched {
        let row = self.next_row().map(cells_of);
        if row.is_some() {
            self.next_row += 1;
        }
        Fetched {
            row,
            truncated: std::mem::take(&mut self.truncated),
            note: self.note.take(),
        }
    }

    /// The next filled cell, skipping cells that only carry a format. A cell
    /// above rows already handed out is out of order (no spreadsheet program
    /// writes that) and left out.
    fn next_cell(&mut self) -> Option<((usize, usize), DataRef<'a>)> {
        while !self.done {
            match (self.next_cell)() {
                Ok(Some(cell)) => {
                    if matches!(cell.get_value(), DataRef::Empty) {
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
                    // A shared string is borrowed, not copied.
                    return Some(((row, col), cell.get_value().clone()));
                }
                Ok(None) => self.done = true,
                Err(e) => {
                    self.done = true;
                    self.note = Some(format!("第{}行之后的内容无法读取：{e}", self.next_row + 1));
                }
            }
        }
        None
    }

    fn next_row(&mut self) -> Option<Vec<DataRef<'a>>> {
        let ((row, col), cell) = self.ahead.take().or_else(|| self.next_cell())?;
        if row > self.next_row {
            // A blank row: keep the cell for its own row.
            self.ahead = Some(((row, col), cell));
            return Some(Vec::new());
        }
        let mut cells = Vec::with_capacity(self.width);
        let mut pending = Some(((row, col), cell));
        while let Some(((row, col), cell)) = pending {
            if row != self.next_row {
                self.ahead = Some(((row, col), cell));
                break;
            }
            if cells.len() <= col {
                cells.resize(col + 1, DataRef::Empty);
            }
            cells[col] = cell;
            pending = self.next_cell();
        }
        self.width = self.width.max(cells.len());
        Some(cells)
    }
}

impl Iterator for SheetRows<'_> {
    type Item = Vec<Cell>;

    fn next(&mut self) -> Option<Vec<Cell>> {
        if self.over_budget {
            return None;
        }
        let mut row = match self.source {
            Source::Xlsx(_) | Source::Csv(_) => self.next_fetched_row(),
            Source::Piped { .. } => self.next_piped_row(),
            Source::Done => None,
            Source::Range(_) => self.next_range_row(),
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
