//! Turning the file's bytes into rows of cells: which format it is (by its
//! first bytes, then its name, since files passed around by chat are often
//! renamed), each sheet as a stream of rows addressed from A1, and the merged
//! regions. Rows are handed out one at a time so that a 100,000-row sheet is
//! never held as cells: an .xlsx sheet is read straight from its XML, a CSV
//! record by record. CSV is decoded as UTF-8, UTF-16 with a byte-order mark,
//! or GBK (what Excel and WPS on Chinese Windows write).

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, DataRef, Dimensions, ExcelDateTime, Reader, SheetVisible, XlsxError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::value::Cell;
use crate::ReadError;

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

/// The top rows of a sheet held as cells, with the merged regions that touch
/// them: where the title, unit note and header are looked for.
pub(crate) struct Grid {
    pub name: String,
    pub hidden: bool,
    pub rows: Vec<Vec<Cell>>,
    width: usize,
    /// Covered cell → the top-left cell of its merged region.
    covered: HashMap<(usize, usize), (usize, usize)>,
    /// Top-left cell → the region's last row and column.
    regions: HashMap<(usize, usize), (usize, usize)>,
}

const EMPTY: Cell = Cell::Empty;

impl Grid {
    pub(crate) fn new(name: String, rows: Vec<Vec<Cell>>) -> Grid {
        Grid {
            name,
            hidden: false,
            width: rows.iter().map(Vec::len).max().unwrap_or(0),
            rows,
            covered: HashMap::new(),
            regions: HashMap::new(),
        }
    }

    pub(crate) fn height(&self) -> usize {
        self.rows.len()
    }

    pub(crate) fn width(&self) -> usize {
        self.width
    }

    /// The cell itself (empty when covered by a merge).
    pub(crate) fn own(&self, row: usize, col: usize) -> &Cell {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&EMPTY)
    }

    /// The top-left cell of the merged region covering (row, col), if it is
    /// covered and not the top-left cell itself.
    pub(crate) fn origin(&self, row: usize, col: usize) -> Option<(usize, usize)> {
        self.covered.get(&(row, col)).copied()
    }

    /// The cell as it looks: a covered cell shows its region's value.
    pub(crate) fn shown(&self, row: usize, col: usize) -> &Cell {
        match self.origin(row, col) {
            Some((r, c)) => self.own(r, c),
            None => self.own(row, col),
        }
    }

    /// How many columns the merged region starting at (row, col) spans.
    pub(crate) fn merge_width(&self, row: usize, col: usize) -> usize {
        self.regions
            .get(&(row, col))
            .map_or(1, |(_, last_col)| last_col - col + 1)
    }

    /// Records the merged regions, cut to the rows held: regions further
    /// down are the [`RowWindow`]'s business.
    pub(crate) fn add_merges(&mut self, merges: &[Dimensions]) {
        let Some(last_row) = self.height().checked_sub(1) else {
            return;
        };
        for m in merges {
            let (r0, c0) = (m.start.0 as usize, m.start.1 as usize);
            let (r1, c1) = (
                (m.end.0 as usize).min(last_row),
                (m.end.1 as usize).min(MAX_COLUMNS),
            );
            if r1 < r0 || c1 < c0 {
                continue;
            }
            self.regions.insert((r0, c0), (r1, c1));
            for r in r0..=r1 {
                for c in c0..=c1 {
                    if (r, c) != (r0, c0) {
                        self.covered.insert((r, c), (r0, c0));
                    }
                }
            }
        }
    }
}

/// A merged region, cut to [`MAX_COLUMNS`].
#[derive(Clone, Copy)]
struct Region {
    top: usize,
    left: usize,
    bottom: usize,
    right: usize,
}

/// A region the current row lies in, with its top-left value as it was
/// when that row went past.
struct OpenRegion {
    region: Region,
    value: Cell,
}

/// The row being read, as the sheet shows it. Instead of the whole sheet it
/// keeps only the regions still open — a zone merged down over forty rows
/// keeps its name here until the region ends — so memory does not grow with
/// the sheet's length. Rows must be given in order, each one.
pub(crate) struct RowWindow {
    row: usize,
    cells: Vec<Cell>,
    min_width: usize,
    /// Regions not yet reached, the next one last.
    ahead: Vec<Region>,
    open: Vec<OpenRegion>,
}

impl RowWindow {
    /// `min_width` is the width of the header: rows narrower than the header
    /// are still looked at across it.
    pub(crate) fn new(merges: &[Dimensions], min_width: usize) -> RowWindow {
        let mut ahead: Vec<Region> = merges
            .iter()
            .map(|m| Region {
                top: m.start.0 as usize,
                left: m.start.1 as usize,
                bottom: m.end.0 as usize,
                right: (m.end.1 as usize).min(MAX_COLUMNS - 1),
            })
            .filter(|r| r.bottom >= r.top && r.right >= r.left)
            .collect();
        ahead.sort_by_key(|r| std::cmp::Reverse((r.top, r.left)));
        RowWindow {
            row: 0,
            cells: Vec::new(),
            min_width,
            ahead,
            open: Vec::new(),
        }
    }

    /// Moves to `row` (0-based), whose own cells are `cells`.
    pub(crate) fn advance(&mut self, row: usize, cells: Vec<Cell>) {
        self.open.retain(|o| o.region.bottom >= row);
        while let Some(region) = self.ahead.last().copied() {
            if region.top > row {
                break;
            }
            self.ahead.pop();
            if region.bottom < row {
                continue;
            }
            // A region whose top row was not seen shows nothing.
            let value = match region.top == row {
                true => cells.get(region.left).cloned().unwrap_or(Cell::Empty),
                false => Cell::Empty,
            };
            self.open.push(OpenRegion { region, value });
        }
        self.row = row;
        self.cells = cells;
    }

    pub(crate) fn row(&self) -> usize {
        self.row
    }

    /// How many columns to look at in this row.
    pub(crate) fn width(&self) -> usize {
        let merged = self.open.iter().map(|o| o.region.right + 1).max();
        self.min_width
            .max(self.cells.len())
            .max(merged.unwrap_or(0))
    }

    /// The cell itself (empty when covered by a merge).
    pub(crate) fn own(&self, col: usize) -> &Cell {
        self.cells.get(col).unwrap_or(&EMPTY)
    }

    fn covering(&self, col: usize) -> Option<&OpenRegion> {
        self.open.iter().find(|o| {
            let r = o.region;
            r.left <= col && col <= r.right && (r.top, r.left) != (self.row, col)
        })
    }

    /// The top-left cell (row, column) of the merged region covering `col`,
    /// if it is covered and not the top-left cell itself.
    pub(crate) fn origin(&self, col: usize) -> Option<(usize, usize)> {
        self.covering(col).map(|o| (o.region.top, o.region.left))
    }

    /// The cell as it looks: a covered cell shows its region's value.
    pub(crate) fn shown(&self, col: usize) -> &Cell {
        match self.covering(col) {
            Some(o) => &o.value,
            None => self.own(col),
        }
    }

    /// How many columns the merged region starting at `col` in this row spans.
    pub(crate) fn merge_width(&self, col: usize) -> usize {
        self.open
            .iter()
            .find(|o| (o.region.top, o.region.left) == (self.row, col))
            .map_or(1, |o| o.region.right - col + 1)
    }
}

const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

type Bytes<'a> = Cursor<&'a [u8]>;

/// An opened file: its sheets are read one at a time with [`Book::rows`].
pub(crate) struct Book<'a> {
    pub format: Format,
    pub encoding: Option<&'static str>,
    /// Problems with the file as a whole (undecodable characters).
    pub notes: Vec<String>,
    inner: Inner<'a>,
}

enum Inner<'a> {
    Xlsx(calamine::Xlsx<Bytes<'a>>),
    Xls(calamine::Xls<Bytes<'a>>),
    Ods(calamine::Ods<Bytes<'a>>),
    Csv {
        name: String,
        text: Cow<'a, str>,
        delimiter: u8,
    },
}

impl<'a> Book<'a> {
    pub(crate) fn open(bytes: &'a [u8], file_name: &str) -> Result<Book<'a>, ReadError> {
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(ReadError::Empty);
        }
        let extension = file_name
            .rsplit_once('.')
            .map(|(_, e)| e.trim().to_ascii_lowercase())
            .unwrap_or_default();
        let corrupt = |e: &dyn std::fmt::Display| ReadError::Corrupt(e.to_string());
        let (format, inner) = if bytes.starts_with(b"PK\x03\x04") {
            let cursor = Cursor::new(bytes);
            if extension == "ods" {
                let book = calamine::open_workbook_from_rs(cursor).map_err(|e| corrupt(&e))?;
                (Format::Ods, Inner::Ods(book))
            } else {
                let book = calamine::open_workbook_from_rs(cursor).map_err(|e| corrupt(&e))?;
                (Format::Xlsx, Inner::Xlsx(book))
            }
        } else if bytes.starts_with(OLE_MAGIC) {
            let book = calamine::open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e| ReadError::Corrupt(format!("{e}（加密的工作簿请先取消密码）")))?;
            (Format::Xls, Inner::Xls(book))
        } else {
            match extension.as_str() {
                "csv" | "txt" | "tsv" => return Ok(open_csv(bytes, base_name(file_name))),
                "xlsx" | "xlsm" | "xls" | "et" | "ods" => {
                    return Err(ReadError::NotASpreadsheet(format!(".{extension}")))
                }
                "" => return Err(ReadError::Unsupported(file_name.to_string())),
                other => return Err(ReadError::Unsupported(format!(".{other}"))),
            }
        };
        Ok(Book {
            format,
            encoding: None,
            notes: Vec::new(),
            inner,
        })
    }

    /// The worksheets' names, in order, and whether each is hidden.
    pub(crate) fn sheets(&self) -> Vec<(String, bool)> {
        let metadata = match &self.inner {
            Inner::Xlsx(book) => book.sheets_metadata(),
            Inner::Xls(book) => book.sheets_metadata(),
            Inner::Ods(book) => book.sheets_metadata(),
            Inner::Csv { name, .. } => return vec![(name.clone(), false)],
        };
        metadata
            .iter()
            .filter(|s| s.typ == calamine::SheetType::WorkSheet)
            .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
            .collect()
    }

    /// A sheet's rows, to be read in order. The error says why the sheet
    /// cannot be read at all.
    pub(crate) fn rows(&mut self, name: &str) -> Result<SheetRows<'_>, String> {
        let (merges, source) = match &mut self.inner {
            Inner::Xlsx(book) => {
                // Merges are listed after the cells in the sheet's XML; this
                // reads the XML once through without keeping the cells.
                let merges = match book.worksheet_merge_cells(name) {
                    Some(Ok(merges)) => merges,
                    _ => Vec::new(),
                };
                match book.worksheet_cells_reader(name) {
                    Ok(mut reader) => (
                        merges,
                        Source::Xlsx {
                            next_cell: Box::new(move || reader.next_cell()),
                            ahead: None,
                            done: false,
                        },
                    ),
                    Err(XlsxError::NotAWorksheet(_)) => {
                        (Vec::new(), Source::Range(Default::default()))
                    }
                    Err(e) => return Err(e.to_string()),
                }
            }
            // A BIFF sheet has at most 65,536 rows, so calamine's whole-sheet
            // range stays small; it offers no cell stream for .xls anyway.
            Inner::Xls(book) => {
                let range = book.worksheet_range(name).map_err(|e| e.to_string())?;
                let merges = book.worksheet_merge_cells(name).unwrap_or_default();
                (merges, Source::Range(range))
            }
            Inner::Ods(book) => {
                let range = book.worksheet_range(name).map_err(|e| e.to_string())?;
                (Vec::new(), Source::Range(range))
            }
            Inner::Csv {
                text, delimiter, ..
            } => {
                let reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .delimiter(*delimiter)
                    .from_reader(text.as_bytes());
                let source = Source::Csv {
                    reader,
                    record: csv::StringRecord::new(),
                };
                (Vec::new(), source)
            }
        };
        Ok(SheetRows {
            merges,
            source,
            next_row: 0,
            truncated: false,
            notes: Vec::new(),
        })
    }
}

type NextCell<'a> = Box<dyn FnMut() -> Result<Option<calamine::Cell<DataRef<'a>>>, XlsxError> + 'a>;

/// One sheet's rows, each a `Vec<Cell>` from column A with trailing empty
/// cells left out, produced as they are asked for. Blank rows between filled
/// ones are produced as empty rows; a workbook's blank rows at the end are
/// not (a CSV's are).
pub(crate) struct SheetRows<'a> {
    pub merges: Vec<Dimensions>,
    source: Source<'a>,
    next_row: usize,
    truncated: bool,
    /// Problems met while reading (a damaged record), for the file's notes.
    pub notes: Vec<String>,
}

enum Source<'a> {
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
    /// Whether rows or columns beyond [`MAX_ROWS`] or [`MAX_COLUMNS`] were
    /// left out.
    pub(crate) fn truncated(&self) -> bool {
        self.truncated
    }

    fn has_more(&mut self) -> bool {
        match &mut self.source {
            Source::Xlsx { ahead, .. } if ahead.is_some() => true,
            Source::Xlsx { .. } => self.next_xlsx_cell().is_some(),
            Source::Range(range) => range
                .end()
                .is_some_and(|(last, _)| last as usize >= self.next_row),
            Source::Csv { reader, record } => reader.read_record(record).unwrap_or(true),
        }
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
        if self.next_row >= MAX_ROWS {
            self.truncated |= self.has_more();
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
        self.next_row += 1;
        Some(row)
    }
}

fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => text_cell(s),
        Data::Int(i) => Cell::Number(i.to_string()),
        Data::Float(f) => Cell::from_f64(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => date_cell(dt),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

fn cell_of_ref(data: &DataRef) -> Cell {
    match data {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => text_cell(s),
        DataRef::SharedString(s) => text_cell(s),
        DataRef::Int(i) => Cell::Number(i.to_string()),
        DataRef::Float(f) => Cell::from_f64(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => date_cell(dt),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

fn text_cell(text: &str) -> Cell {
    match text.trim().is_empty() {
        true => Cell::Empty,
        false => Cell::Text(text.to_string()),
    }
}

fn date_cell(dt: &ExcelDateTime) -> Cell {
    // Days 1 to 2958465 are 1900-01-01 to 9999-12-31; anything else is
    // not a date whatever its format says.
    if dt.is_datetime() && (1.0..2_958_466.0).contains(&dt.as_f64()) {
        let (y, m, d, ..) = dt.to_ymd_hms_milli();
        if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32) {
            return Cell::Date(date);
        }
    }
    Cell::from_f64(dt.as_f64())
}

/// Decodes CSV bytes: a byte-order mark decides; otherwise UTF-8 when valid,
/// else GBK. Valid UTF-8 is read in place, without a copy.
pub(crate) fn decode_text(bytes: &[u8]) -> (Cow<'_, str>, &'static str, bool) {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_with_bom_removal(bytes);
        return (text, encoding.name(), had_errors);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), "UTF-8", false),
        Err(_) => {
            let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(bytes);
            (text, "GBK", had_errors)
        }
    }
}

/// The file name without folders: a CSV's one sheet is named after its file.
pub(crate) fn base_name(file_name: &str) -> &str {
    file_name.rsplit(['/', '\\']).next().unwrap_or(file_name)
}

fn open_csv<'a>(bytes: &'a [u8], name: &str) -> Book<'a> {
    let (text, encoding, had_errors) = decode_text(bytes);
    let mut notes = Vec::new();
    if had_errors {
        notes.push(format!(
            "文件按{encoding}编码读取时有无法识别的字符，部分文字可能显示为乱码"
        ));
    }
    let delimiter = sniff_delimiter(&text);
    Book {
        format: Format::Csv,
        encoding: Some(encoding),
        notes,
        inner: Inner::Csv {
            name: name.to_string(),
            text,
            delimiter,
        },
    }
}

/// Comma, tab or semicolon: whichever appears most often (outside quotes) in
/// the first lines. A single-column file is read with commas.
fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b'\t', 0), (b';', 0)];
    let mut quoted = false;
    for line in text.lines().take(30) {
        for c in line.bytes() {
            if c == b'"' {
                quoted = !quoted;
            } else if !quoted {
                for (d, n) in counts.iter_mut() {
                    if *d == c {
                        *n += 1;
                    }
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(b',', |(d, _)| *d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_encodings() {
        let (gbk, _, _) = encoding_rs::GBK.encode("项目名称,总投资");
        let (text, encoding, errors) = decode_text(&gbk);
        assert_eq!(
            (text.as_ref(), encoding, errors),
            ("项目名称,总投资", "GBK", false)
        );

        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("项目名称".as_bytes());
        let (text, encoding, _) = decode_text(&bom);
        assert_eq!((text.as_ref(), encoding), ("项目名称", "UTF-8"));

        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "序号\t项目名称".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let (text, encoding, _) = decode_text(&utf16);
        assert_eq!((text.as_ref(), encoding), ("序号\t项目名称", "UTF-16LE"));
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc\n\"1,5\"\t2\t3"), b'\t');
        assert_eq!(sniff_delimiter("a;b;c"), b';');
        assert_eq!(sniff_delimiter("abc"), b',');
    }

    fn open(bytes: &[u8], name: &str) -> Result<Format, ReadError> {
        Book::open(bytes, name).map(|book| book.format)
    }

    #[test]
    fn formats_are_detected_from_content() {
        assert!(matches!(open(b"", "a.xlsx"), Err(ReadError::Empty)));
        assert!(
            matches!(open(b"%PDF-1.4", "a.pdf"), Err(ReadError::Unsupported(e)) if e == ".pdf")
        );
        assert!(
            matches!(open(b"<html>", "a.xls"), Err(ReadError::NotASpreadsheet(e)) if e == ".xls")
        );
        assert!(matches!(
            open(b"PK\x03\x04garbage", "a.xlsx"),
            Err(ReadError::Corrupt(_))
        ));
        let mut book = Book::open("序号,项目名称\n1,某项目".as_bytes(), "台账.CSV").unwrap();
        assert_eq!(book.format, Format::Csv);
        assert_eq!(book.sheets(), [("台账.CSV".to_string(), false)]);
        assert_eq!(book.rows("台账.CSV").unwrap().count(), 2);
    }

    #[test]
    fn blank_rows_inside_a_sheet_are_kept_and_trailing_ones_dropped() {
        let mut book = Book::open("a,b\n,\n\nc\n,,\n".as_bytes(), "x.csv").unwrap();
        let rows: Vec<usize> = book.rows("x.csv").unwrap().map(|r| r.len()).collect();
        assert_eq!(rows, [2, 0, 1, 0]);
    }

    #[test]
    fn the_window_keeps_only_open_merges() {
        let text = |t: &str| Cell::Text(t.to_string());
        // B2:B4 a zone merged down, A5:C5 a total merged across.
        let merges = [
            Dimensions::new((1, 1), (3, 1)),
            Dimensions::new((4, 0), (4, 2)),
        ];
        let mut window = RowWindow::new(&merges, 2);
        window.advance(0, vec![text("序号"), text("开发区")]);
        window.advance(1, vec![text("1"), text("甲开发区")]);
        assert_eq!((window.origin(1), window.merge_width(1)), (None, 1));
        window.advance(2, vec![text("2")]);
        assert_eq!(window.origin(1), Some((1, 1)));
        assert_eq!(window.shown(1), &text("甲开发区"));
        assert_eq!(window.own(1), &Cell::Empty);
        window.advance(3, vec![text("3")]);
        assert_eq!(window.shown(1), &text("甲开发区"));
        window.advance(4, vec![text("合计")]);
        assert_eq!(window.merge_width(0), 3);
        assert_eq!(window.origin(2), Some((4, 0)));
        assert_eq!(window.shown(2), &text("合计"));
        assert_eq!(window.width(), 3);
        window.advance(5, vec![]);
        assert_eq!((window.origin(1), window.shown(2)), (None, &Cell::Empty));
        assert!(window.open.is_empty());
    }

    #[test]
    fn merges_cover_cells() {
        let mut grid = Grid::new(
            "S".into(),
            vec![
                vec![Cell::Text("开发区".into()), Cell::Text("x".into())],
                vec![],
            ],
        );
        grid.add_merges(&[Dimensions::new((0, 0), (1, 0))]);
        assert_eq!(grid.origin(1, 0), Some((0, 0)));
        assert_eq!(grid.shown(1, 0), &Cell::Text("开发区".into()));
        assert_eq!(grid.own(1, 0), &Cell::Empty);
        assert_eq!(grid.origin(0, 0), None);
        assert_eq!(grid.merge_width(0, 0), 1);
    }
}
