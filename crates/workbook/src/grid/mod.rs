//! Turning the file's bytes into rows of cells: which format it is (by its
//! first bytes, then its name, since files passed around by chat are often
//! renamed), each sheet as a stream of rows addressed from A1, and the merged
//! regions. Rows are handed out one at a time so that a 100,000-row sheet is
//! never held as cells: an .xlsx sheet is read straight from its XML, a CSV
//! record by record. CSV is decoded as UTF-8, UTF-16 with a byte-order mark,
//! or GBK (what Excel and WPS on Chinese Windows write).

mod book;
mod cells;
mod csv_text;
mod guard;
mod head;
mod rows;
mod window;

use serde::{Deserialize, Serialize};

use crate::value::Cell;

pub(crate) use book::{base_name, Book};
pub(crate) use head::Grid;
pub(crate) use window::RowWindow;

/// Sheets longer than this are read up to here only: a province-wide ledger
/// has 100,000 rows or more, but not millions.
pub(crate) const MAX_ROWS: usize = 1_000_000;
pub(crate) const MAX_COLUMNS: usize = 200;

/// The file's format, as detected from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Xlsx,
    Xls,
    Ods,
    Csv,
}

const EMPTY: Cell = Cell::Empty;
