//! Turning the file's bytes into grids of cells: which format it is (by its
//! first bytes, then its name, since files passed around by chat are often
//! renamed), each sheet as rows of [`Cell`]s addressed from A1, and the merged
//! regions. CSV is decoded as UTF-8, UTF-16 with a byte-order mark, or GBK
//! (what Excel and WPS on Chinese Windows write).

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Dimensions, Reader, SheetVisible};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::value::Cell;
use crate::ReadError;

/// Sheets larger than this are read up to here only; a ledger has hundreds of
/// rows, not tens of thousands.
pub(crate) const MAX_ROWS: usize = 20_000;
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

/// One sheet's cells.
pub(crate) struct Grid {
    pub name: String,
    pub hidden: bool,
    pub rows: Vec<Vec<Cell>>,
    width: usize,
    /// Covered cell → the top-left cell of its merged region.
    covered: HashMap<(usize, usize), (usize, usize)>,
    /// Top-left cell → the region's last row and column.
    regions: HashMap<(usize, usize), (usize, usize)>,
    /// Whether rows or columns beyond the limits were left out.
    pub truncated: bool,
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
            truncated: false,
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

    pub(crate) fn add_merges(&mut self, merges: &[Dimensions]) {
        let mut budget = MAX_ROWS * 4;
        for m in merges {
            let (r0, c0) = (m.start.0 as usize, m.start.1 as usize);
            let (r1, c1) = (
                (m.end.0 as usize).min(MAX_ROWS),
                (m.end.1 as usize).min(MAX_COLUMNS),
            );
            if r1 < r0 || c1 < c0 {
                continue;
            }
            self.regions.insert((r0, c0), (r1, c1));
            for r in r0..=r1 {
                for c in c0..=c1 {
                    if (r, c) != (r0, c0) && budget > 0 {
                        budget -= 1;
                        self.covered.insert((r, c), (r0, c0));
                    }
                }
            }
        }
    }
}

/// What was read from the bytes.
pub(crate) struct Loaded {
    pub format: Format,
    pub encoding: Option<&'static str>,
    pub grids: Vec<Grid>,
    pub notes: Vec<String>,
}

const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub(crate) fn load(bytes: &[u8], file_name: &str) -> Result<Loaded, ReadError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if bytes.starts_with(b"PK\x03\x04") {
        if extension == "ods" {
            return load_calamine(bytes, Format::Ods);
        }
        return load_calamine(bytes, Format::Xlsx);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return load_calamine(bytes, Format::Xls);
    }
    match extension.as_str() {
        "csv" | "txt" | "tsv" => Ok(load_csv(bytes, base_name(file_name))),
        "xlsx" | "xlsm" | "xls" | "et" | "ods" => {
            Err(ReadError::NotASpreadsheet(format!(".{extension}")))
        }
        "" => Err(ReadError::Unsupported(file_name.to_string())),
        other => Err(ReadError::Unsupported(format!(".{other}"))),
    }
}

fn load_calamine(bytes: &[u8], format: Format) -> Result<Loaded, ReadError> {
    let cursor = Cursor::new(bytes);
    let corrupt = |e: &dyn std::fmt::Display| ReadError::Corrupt(e.to_string());
    let mut grids = Vec::new();
    let mut notes = Vec::new();
    match format {
        Format::Xlsx => {
            let mut book: calamine::Xlsx<_> =
                calamine::open_workbook_from_rs(cursor).map_err(|e| corrupt(&e))?;
            for (name, hidden) in sheet_names(book.sheets_metadata()) {
                let range = match book.worksheet_range(&name) {
                    Ok(range) => range,
                    Err(e) => {
                        notes.push(format!("工作表“{name}”无法读取：{e}"));
                        continue;
                    }
                };
                let mut grid = grid_of(name.clone(), &range);
                grid.hidden = hidden;
                if let Some(Ok(merges)) = book.worksheet_merge_cells(&name) {
                    grid.add_merges(&merges);
                }
                grids.push(grid);
            }
        }
        Format::Xls => {
            let mut book: calamine::Xls<_> = calamine::open_workbook_from_rs(cursor)
                .map_err(|e| ReadError::Corrupt(format!("{e}（加密的工作簿请先取消密码）")))?;
            for (name, hidden) in sheet_names(book.sheets_metadata()) {
                let range = match book.worksheet_range(&name) {
                    Ok(range) => range,
                    Err(e) => {
                        notes.push(format!("工作表“{name}”无法读取：{e}"));
                        continue;
                    }
                };
                let mut grid = grid_of(name.clone(), &range);
                grid.hidden = hidden;
                if let Some(merges) = book.worksheet_merge_cells(&name) {
                    grid.add_merges(&merges);
                }
                grids.push(grid);
            }
        }
        Format::Ods | Format::Csv => {
            // Only ODS reaches here; CSV never goes through calamine.
            let mut book: calamine::Ods<_> =
                calamine::open_workbook_from_rs(cursor).map_err(|e| corrupt(&e))?;
            for (name, hidden) in sheet_names(book.sheets_metadata()) {
                match book.worksheet_range(&name) {
                    Ok(range) => {
                        let mut grid = grid_of(name, &range);
                        grid.hidden = hidden;
                        grids.push(grid);
                    }
                    Err(e) => notes.push(format!("工作表“{name}”无法读取：{e}")),
                }
            }
        }
    }
    if grids.is_empty() {
        return Err(ReadError::NoSheets);
    }
    Ok(Loaded {
        format,
        encoding: None,
        grids,
        notes,
    })
}

fn sheet_names(sheets: &[calamine::Sheet]) -> Vec<(String, bool)> {
    sheets
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect()
}

fn grid_of(name: String, range: &calamine::Range<Data>) -> Grid {
    let Some((row0, col0)) = range.start() else {
        return Grid::new(name, Vec::new());
    };
    let (row0, col0) = (row0 as usize, col0 as usize);
    let mut truncated = false;
    let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); row0.min(MAX_ROWS)];
    for (i, source) in range.rows().enumerate() {
        if row0 + i >= MAX_ROWS {
            truncated = true;
            break;
        }
        let mut row = vec![Cell::Empty; col0.min(MAX_COLUMNS)];
        for (j, data) in source.iter().enumerate() {
            if col0 + j >= MAX_COLUMNS {
                truncated |= !matches!(data, Data::Empty);
                continue;
            }
            row.push(cell_of(data));
        }
        while matches!(row.last(), Some(Cell::Empty)) {
            row.pop();
        }
        rows.push(row);
    }
    let mut grid = Grid::new(name, rows);
    grid.truncated = truncated;
    grid
}

fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(i.to_string()),
        Data::Float(f) => Cell::from_f64(*f),
        Data::Bool(b) => Cell::Bool(*b),
        // Days 1 to 2958465 are 1900-01-01 to 9999-12-31; anything else is
        // not a date whatever its format says.
        Data::DateTime(dt) if dt.is_datetime() && (1.0..2_958_466.0).contains(&dt.as_f64()) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            match NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32) {
                Some(date) => Cell::Date(date),
                None => Cell::from_f64(dt.as_f64()),
            }
        }
        Data::DateTime(dt) => Cell::from_f64(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// Decodes CSV bytes: a byte-order mark decides; otherwise UTF-8 when valid,
/// else GBK.
pub(crate) fn decode_text(bytes: &[u8]) -> (String, &'static str, bool) {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_with_bom_removal(bytes);
        return (text.into_owned(), encoding.name(), had_errors);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), "UTF-8", false),
        Err(_) => {
            let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(bytes);
            (text.into_owned(), "GBK", had_errors)
        }
    }
}

/// The file name without folders: a CSV's one sheet is named after its file.
pub(crate) fn base_name(file_name: &str) -> &str {
    file_name.rsplit(['/', '\\']).next().unwrap_or(file_name)
}

fn load_csv(bytes: &[u8], name: &str) -> Loaded {
    let (text, encoding, had_errors) = decode_text(bytes);
    let mut notes = Vec::new();
    if had_errors {
        notes.push(format!(
            "文件按{encoding}编码读取时有无法识别的字符，部分文字可能显示为乱码"
        ));
    }
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut truncated = false;
    for record in reader.records() {
        if rows.len() >= MAX_ROWS {
            truncated = true;
            break;
        }
        match record {
            Ok(record) => {
                let mut row: Vec<Cell> = record
                    .iter()
                    .take(MAX_COLUMNS)
                    .map(|field| {
                        if field.trim().is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(field.to_string())
                        }
                    })
                    .collect();
                while matches!(row.last(), Some(Cell::Empty)) {
                    row.pop();
                }
                rows.push(row);
            }
            Err(e) => {
                notes.push(format!("第{}行无法按CSV读取：{e}", rows.len() + 1));
                rows.push(Vec::new());
            }
        }
    }
    let mut grid = Grid::new(name.to_string(), rows);
    grid.truncated = truncated;
    Loaded {
        format: Format::Csv,
        encoding: Some(encoding),
        grids: vec![grid],
        notes,
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
            (text.as_str(), encoding, errors),
            ("项目名称,总投资", "GBK", false)
        );

        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("项目名称".as_bytes());
        let (text, encoding, _) = decode_text(&bom);
        assert_eq!((text.as_str(), encoding), ("项目名称", "UTF-8"));

        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "序号\t项目名称".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let (text, encoding, _) = decode_text(&utf16);
        assert_eq!((text.as_str(), encoding), ("序号\t项目名称", "UTF-16LE"));
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc\n\"1,5\"\t2\t3"), b'\t');
        assert_eq!(sniff_delimiter("a;b;c"), b';');
        assert_eq!(sniff_delimiter("abc"), b',');
    }

    #[test]
    fn formats_are_detected_from_content() {
        assert!(matches!(load(b"", "a.xlsx"), Err(ReadError::Empty)));
        assert!(
            matches!(load(b"%PDF-1.4", "a.pdf"), Err(ReadError::Unsupported(e)) if e == ".pdf")
        );
        assert!(
            matches!(load(b"<html>", "a.xls"), Err(ReadError::NotASpreadsheet(e)) if e == ".xls")
        );
        assert!(matches!(
            load(b"PK\x03\x04garbage", "a.xlsx"),
            Err(ReadError::Corrupt(_))
        ));
        let loaded = load("序号,项目名称\n1,某项目".as_bytes(), "台账.CSV").unwrap();
        assert_eq!(loaded.format, Format::Csv);
        assert_eq!(loaded.grids[0].rows.len(), 2);
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
