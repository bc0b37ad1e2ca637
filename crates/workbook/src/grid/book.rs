//! Opening a file: its format (by its first bytes, then its name), its sheets and their rows.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{Reader, SheetVisible, XlsxError};

use super::csv_text::{decode_text, sniff_delimiter};
use super::merges::{FoundMerges, SheetParts};
use super::rows::{SheetRows, Source, XlsxCells};
use super::xlsx::{part_stream, OwnParts, Scanned, SheetScanner};
use super::{Budget, Format};
use crate::ReadError;

const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

type Bytes<'a> = Cursor<&'a [u8]>;

/// An opened file: its sheets are read one at a time with [`Book::rows`].
pub(crate) struct Book<'a> {
    pub format: Format,
    budget: Budget,
    pub encoding: Option<&'static str>,
    /// Problems with the file as a whole (undecodable characters).
    pub notes: Vec<String>,
    inner: Inner<'a>,
}

enum Inner<'a> {
    /// The sheets' parts are kept to find their merged regions quickly
    /// and, with the workbook's own parts, to scan their cells.
    Xlsx(
        calamine::Xlsx<Bytes<'a>>,
        Option<SheetParts<'a>>,
        Option<OwnParts>,
    ),
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
                super::guard::check(bytes, Format::Ods).map_err(ReadError::TooLarge)?;
                let book = calamine::open_workbook_from_rs(cursor).map_err(|e| corrupt(&e))?;
                (Format::Ods, Inner::Ods(book))
            } else {
                let parallel = bytes.len() >= CHECK_ALONGSIDE_MIN_BYTES
                    && matches!(std::thread::available_parallelism(), Ok(n) if n.get() > 1);
                let (found, book) = check_and_open_xlsx(bytes, parallel);
                let (found, own) = found.map_err(ReadError::TooLarge)?;
                let book = book.map_err(|e| corrupt(&e))?;
                (
                    Format::Xlsx,
                    Inner::Xlsx(book, SheetParts::new(bytes, found), own),
                )
            }
        } else if bytes.starts_with(OLE_MAGIC) {
            super::guard::check(bytes, Format::Xls).map_err(ReadError::TooLarge)?;
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
            budget: Budget::new(),
            encoding: None,
            notes: Vec::new(),
            inner,
        })
    }

    /// The worksheets' names, in order, and whether each is hidden.
    pub(crate) fn sheets(&self) -> Vec<(String, bool)> {
        let metadata = match &self.inner {
            Inner::Xlsx(book, ..) => book.sheets_metadata(),
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
            Inner::Xlsx(book, parts, own) => {
                // Merges are listed after the cells in the sheet's XML: they
                // are searched for in its bytes, or else read by calamine
                // parsing the XML once through without keeping the cells.
                let merges = match parts.as_mut().and_then(|p| p.merges(name)) {
                    Some(merges) => merges,
                    None => match book.worksheet_merge_cells(name) {
                        Some(Ok(merges)) => merges,
                        _ => Vec::new(),
                    },
                };
                let scanner = match (own.as_ref(), parts.as_ref()) {
                    (Some(own), Some(parts)) => parts
                        .path(name)
                        .and_then(|path| part_stream(parts.bytes, path))
                        .map(|xml| SheetScanner::new(xml, own.context())),
                    _ => None,
                };
                match book.worksheet_cells_reader(name) {
                    Ok(mut reader) => {
                        let declared_rows = reader.dimensions().end.0.saturating_add(1);
                        // The scanner reads the cells; calamine, from the
                        // sheet's start, once the scanner meets what it
                        // does not read (rows already handed out are
                        // skipped by the rows' reader).
                        let mut scanner = scanner;
                        let next_cell = move || {
                            if let Some(scan) = &mut scanner {
                                match scan.next() {
                                    Scanned::Cell(at, value) => {
                                        return Ok(Some(calamine::Cell::new(at, value)))
                                    }
                                    Scanned::End => return Ok(None),
                                    Scanned::Unsupported => scanner = None,
                                }
                            }
                            reader.next_cell()
                        };
                        let cells = XlsxCells {
                            next_cell: Box::new(next_cell),
                            declared_rows,
                            ahead: None,
                            width: 0,
                            done: false,
                            next_row: 0,
                            truncated: false,
                            note: None,
                        };
                        (merges, Source::Xlsx(cells))
                    }
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
        let declared_rows = match &source {
            Source::Xlsx(cells) => cells.declared_rows as usize,
            _ => 0,
        };
        Ok(SheetRows {
            declared_rows,
            merges,
            source,
            next_row: 0,
            truncated: false,
            budget: self.budget.clone(),
            over_budget: false,
            notes: Vec::new(),
        })
    }
}

type Opened<'a> = Result<calamine::Xlsx<Bytes<'a>>, XlsxError>;
type Checked = Result<(FoundMerges, Option<OwnParts>), String>;

/// The guard's check and, once it passes, the parts the cell scanner needs.
fn check_xlsx(bytes: &[u8]) -> Checked {
    let found = super::guard::check_xlsx(bytes)?;
    Ok((found, OwnParts::read(bytes)))
}

/// Files smaller than this (a sheet of a few hundred rows) are checked
/// before they are opened, on the calling thread: a thread costs more than
/// it saves there.
const CHECK_ALONGSIDE_MIN_BYTES: usize = 64 * 1024;

/// The guard's check of an .xlsx and the file opened, as if one after the
/// other: the sheets' XML is inflated to be checked while the reader takes
/// in the shared strings (when `parallel`), once the parts the reader takes
/// in pass the checks on their own. The opened file is only used when the
/// whole file passes.
fn check_and_open_xlsx(bytes: &[u8], parallel: bool) -> (Checked, Opened<'_>) {
    let open = || calamine::open_workbook_from_rs(Cursor::new(bytes));
    let alone = || {
        let found = check_xlsx(bytes);
        let book = open();
        (found, book)
    };
    if !parallel {
        return alone();
    }
    std::thread::scope(|scope| {
        let Ok(checking) = std::thread::Builder::new()
            .name("kfq-xlsx-guard".into())
            .spawn_scoped(scope, || check_xlsx(bytes))
        else {
            return alone();
        };
        let early = super::guard::xlsx_besides_sheets_pass(bytes).then(open);
        let found = checking
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let book = match (&found, early) {
            (Ok(_), Some(book)) => book,
            // Refused: the reader's outcome is never asked for.
            (Err(_), _) => Err(XlsxError::Unexpected("refused")),
            (Ok(_), None) => open(),
        };
        (found, book)
    })
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
        budget: Budget::new(),
        encoding: Some(encoding),
        notes,
        inner: Inner::Csv {
            name: name.to_string(),
            text,
            delimiter,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// The check's merges, and whether the scanner's parts were read.
    fn merges_only(checked: Checked) -> Result<(FoundMerges, bool), String> {
        checked.map(|(found, own)| (found, own.is_some()))
    }

    #[test]
    fn checking_alongside_opening_finds_the_same() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        for name in [
            "city_ledger.xlsx",
            "merged_zones.xlsx",
            "broken.xlsx",
            "zone_yi.xlsx",
        ] {
            let bytes = std::fs::read(dir.join(name)).unwrap();
            let (found, book) = check_and_open_xlsx(&bytes, false);
            let (found_alongside, book_alongside) = check_and_open_xlsx(&bytes, true);
            let (found, found_alongside) = (merges_only(found), merges_only(found_alongside));
            assert_eq!(found, found_alongside, "{name}");
            assert_eq!(book.is_ok(), book_alongside.is_ok(), "{name}");
        }
        // A text too long in a sheet, in the shared strings, or in both:
        // refused alike, the reader opened early only in the first case.
        let zipped = |parts: &[(&str, usize)]| {
            use std::io::Write;
            let mut out = Cursor::new(Vec::new());
            let mut zip = zip::ZipWriter::new(&mut out);
            for (name, run) in parts {
                zip.start_file(*name, zip::write::SimpleFileOptions::default())
                    .unwrap();
                zip.write_all(b"<si><t>").unwrap();
                zip.write_all(&vec![b'A'; *run]).unwrap();
                zip.write_all(b"</t></si>").unwrap();
            }
            zip.finish().unwrap();
            out.into_inner()
        };
        let (sheet, strings) = ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml");
        let long = 2 << 20;
        for parts in [
            vec![(sheet, long), (strings, 10)],
            vec![(sheet, 10), (strings, long)],
            vec![(sheet, long), (strings, long)],
        ] {
            let bytes = zipped(&parts);
            let (found, _) = check_and_open_xlsx(&bytes, false);
            let (found_alongside, _) = check_and_open_xlsx(&bytes, true);
            let (found, found_alongside) = (merges_only(found), merges_only(found_alongside));
            assert!(found.is_err());
            assert_eq!(found, found_alongside);
            let early = crate::grid::guard::xlsx_besides_sheets_pass(&bytes);
            assert_eq!(early, parts[1].1 == 10);
        }
    }
}
