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
mod merges;
mod rows;
mod window;
mod xlsx;

use serde::{Deserialize, Serialize};

use crate::value::Cell;

pub(crate) use book::{base_name, Book};
pub(crate) use head::Grid;
pub(crate) use window::RowWindow;

/// Columns beyond this are left out (and said).
pub(crate) const MAX_COLUMNS: usize = 200;
/// What one file may hand out, all sheets together: a province-wide ledger
/// has 100,000 rows of 20 to 40 columns, not millions. A file beyond it is
/// refused whole rather than read in part, which would look complete.
pub(crate) const MAX_ROWS: usize = 200_000;
pub(crate) const MAX_CELLS: usize = 3_000_000;
/// Sheets shorter than this (as their XML declares) are read on the calling
/// thread: starting a thread to parse their XML costs more than it saves.
pub(crate) const PIPE_MIN_ROWS: u32 = 1000;

/// The rows and filled cells a file has left to hand out, shared by its
/// sheets.
#[derive(Clone)]
pub(crate) struct Budget(std::rc::Rc<std::cell::Cell<(usize, usize)>>);

impl Budget {
    fn new() -> Budget {
        Budget(std::rc::Rc::new(std::cell::Cell::new((
            MAX_ROWS, MAX_CELLS,
        ))))
    }

    /// Takes one row of `cells` filled cells; false once the file is over.
    fn take(&self, cells: usize) -> bool {
        let (rows, left) = self.0.get();
        match (rows.checked_sub(1), left.checked_sub(cells)) {
            (Some(rows), Some(left)) => {
                self.0.set((rows, left));
                true
            }
            _ => false,
        }
    }

    /// Says, in the user's words, that the file is over its budget.
    pub(crate) fn refusal(sheet: &str, row: usize) -> String {
        format!(
            "文件超过一次导入的上限（{}万行或{}万个有内容的单元格，读到工作表“{sheet}”第{row}行时超出），未导入；请拆分为几个文件分别导入",
            MAX_ROWS / 10_000,
            MAX_CELLS / 10_000
        )
    }
}

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
