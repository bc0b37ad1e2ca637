//! Opening a file: its format (by its first bytes, then its name), its sheets and their rows.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{Reader, SheetVisible};

use super::csv_text::{decode_text, sniff_delimiter};
use super::rows::{CsvRecords, SheetRows, Source};
use super::xlsx::XlsxBook;
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
    Xlsx(Box<XlsxBook<'a>>),
    Xls(Box<calamine::Xls<Bytes<'a>>>),
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
                (Format::Xlsx, Inner::Xlsx(Box::new(XlsxBook::open(bytes)?)))
            }
        } else if bytes.starts_with(OLE_MAGIC) {
            super::guard::check(bytes, Format::Xls).map_err(ReadError::TooLarge)?;
            let book = calamine::open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e| ReadError::Corrupt(format!("{e}（加密的工作簿请先取消密码）")))?;
            (Format::Xls, Inner::Xls(Box::new(book)))
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
            Inner::Xlsx(book) => return book.sheets(),
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
        // A CSV's lines: as many records or more (a quoted field may hold a
        // line break), counted in a few milliseconds for 100,000 rows.
        let mut lines = 0;
        let (merges, source) = match &mut self.inner {
            Inner::Xlsx(book) => book.rows(name)?,
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
                lines = text.bytes().filter(|&b| b == b'\n').count() + 1;
                let reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .delimiter(*delimiter)
                    .from_reader(text.as_bytes());
                let source = Source::Csv(CsvRecords {
                    reader,
                    record: csv::StringRecord::new(),
                    next_row: 0,
                });
                (Vec::new(), source)
            }
        };
        let declared_rows = match &source {
            Source::Xlsx(cells) => cells.declared_rows as usize,
            Source::Range(range) => range.height(),
            Source::Csv(_) => lines,
            Source::Piped { .. } | Source::Done => 0,
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
}
