//! Reading an .xlsx sheet's cells without calamine's event parser: the
//! shared strings, the styles' date formats and the date system are read
//! once, then each sheet's XML is scanned as it inflates (see [`scan`]).
//! calamine stays the reader of record: a sheet the scanner does not
//! understand is read by calamine from its start, rows already handed out
//! skipped, so the outcome is calamine's either way.

mod book;
mod scan;
mod strings;
mod styles;

use std::io::{Cursor, Read};

use super::merges::SheetParts;

pub(crate) use book::XlsxBook;
pub(crate) use scan::{Context, Scanned, SheetScanner};
pub(crate) use strings::SharedStrings;

/// What a sheet's cells are read with, besides its own XML.
pub(crate) struct OwnParts {
    pub strings: SharedStrings,
    pub kinds: Vec<styles::Kind>,
    pub is_1904: bool,
}

impl OwnParts {
    /// The parts from the file; `None` when one of them cannot be read
    /// this way (calamine then reads every sheet).
    pub(crate) fn read(parts: &mut SheetParts<'_>) -> Option<OwnParts> {
        let strings = match parts.part("xl/sharedStrings.xml")? {
            Some(xml) => SharedStrings::parse(&xml)?,
            None => SharedStrings::default(),
        };
        let kinds = match parts.part("xl/styles.xml")? {
            Some(xml) => styles::parse(&xml)?,
            None => Vec::new(),
        };
        let is_1904 = match parts.part("xl/workbook.xml")? {
            Some(xml) => styles::is_1904(&xml)?,
            None => false,
        };
        Some(OwnParts {
            strings,
            kinds,
            is_1904,
        })
    }

    pub(crate) fn context(&self) -> Context<'_> {
        Context {
            strings: &self.strings,
            kinds: &self.kinds,
            is_1904: self.is_1904,
        }
    }
}

/// A part's XML as it inflates, straight from the file's bytes: nothing is
/// borrowed from an archive, so the stream can go to another thread.
pub(crate) type PartStream<'a> = Box<dyn Read + Send + 'a>;

/// The part named `name` (as the zip lists it) as a stream; `None` when it
/// is stored in a way read only through the archive (encrypted, or packed
/// other than by deflate).
pub(crate) fn part_stream<'a>(bytes: &'a [u8], name: &str) -> Option<PartStream<'a>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let entry = zip.by_name(name).ok()?;
    if entry.encrypted() {
        return None;
    }
    let start = usize::try_from(entry.data_start()?).ok()?;
    let size = usize::try_from(entry.compressed_size()).ok()?;
    let data = bytes.get(start..start.checked_add(size)?)?;
    match entry.compression() {
        zip::CompressionMethod::Stored => Some(Box::new(data)),
        zip::CompressionMethod::Deflated => Some(Box::new(flate2::read::DeflateDecoder::new(data))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{DataRef, Reader};

    type Cells = Vec<((u32, u32), String)>;

    /// Every filled cell of every sheet, by the scanner (`None` if it
    /// would hand the sheet to calamine) and by calamine.
    fn both(bytes: &[u8]) -> Vec<(String, Option<Cells>, Cells)> {
        let own = OwnParts::read(&mut SheetParts::new(bytes).unwrap()).expect("own parts");
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut out = Vec::new();
        for (i, name) in book.sheet_names().into_iter().enumerate() {
            let path = format!("xl/worksheets/sheet{}.xml", i + 1);
            let path = zip.by_name(&path).unwrap().name().unwrap().to_string();
            let mut scanner = SheetScanner::new(part_stream(bytes, &path).unwrap(), own.context());
            let mut scanned = Some(Vec::new());
            loop {
                match scanner.next() {
                    Scanned::Cell(at, v) => scanned.as_mut().unwrap().push((at, shown(&v))),
                    Scanned::End => break,
                    Scanned::Unsupported => {
                        scanned = None;
                        break;
                    }
                }
            }
            let mut reader = book.worksheet_cells_reader(&name).unwrap();
            let mut read = Vec::new();
            while let Some(cell) = reader.next_cell().unwrap() {
                if !matches!(cell.get_value(), DataRef::Empty) {
                    read.push((cell.get_position(), shown(cell.get_value())));
                }
            }
            out.push((name, scanned, read));
        }
        out
    }

    fn shown(v: &DataRef) -> String {
        match v {
            DataRef::DateTime(dt) => format!("DateTime({}, {})", dt.as_f64(), dt.is_datetime()),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn the_scanner_reads_every_fixture_as_calamine_does() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "xlsx") || path.ends_with("broken.xlsx") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            for (sheet, scanned, read) in both(&bytes) {
                assert!(!read.is_empty(), "{path:?} {sheet}");
                assert_eq!(scanned.as_ref(), Some(&read), "{path:?} {sheet}");
            }
        }
    }

    #[test]
    fn the_scanner_reads_every_kind_of_cell_as_calamine_does() {
        use rust_xlsxwriter::{Format, Formula, Workbook};
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        let date = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
        let duration = Format::new().set_num_format("[h]:mm");
        let money = Format::new().set_num_format("#,##0.00");
        sheet.write(0, 0, "项目名称").unwrap();
        sheet.write(0, 1, "R&D <一期> \"引号\" 'x'").unwrap();
        sheet
            .write(0, 2, "line\r\nbreak\tand _x000D_ literal")
            .unwrap();
        sheet.write(1, 0, 1234.5).unwrap();
        sheet.write(1, 1, -0.000125).unwrap();
        sheet.write(1, 2, 1e21).unwrap();
        sheet.write_with_format(1, 3, 45_000.0, &date).unwrap();
        sheet.write_with_format(1, 4, 1.25, &duration).unwrap();
        sheet.write_with_format(1, 5, 98_765.432, &money).unwrap();
        sheet.write(2, 0, true).unwrap();
        sheet.write(2, 1, false).unwrap();
        sheet
            .write_formula(2, 2, Formula::new("=A2*2").set_result("2469"))
            .unwrap();
        sheet
            .write_formula(2, 3, Formula::new("=1/0").set_result("#DIV/0!"))
            .unwrap();
        sheet
            .write_formula(2, 4, Formula::new("=\"a\"&\"b\"").set_result("ab"))
            .unwrap();
        sheet.write_blank(3, 0, &money).unwrap();
        sheet.write(5, 27, "AB6").unwrap();
        let rich = [
            (&Format::new().set_bold(), "加粗"),
            (&Format::new(), "普通"),
        ];
        sheet.write_rich_string(6, 0, &rich).unwrap();
        sheet.set_row_height(8, 30).unwrap();
        sheet.write(9, 0, "").unwrap();
        let second = book.add_worksheet();
        second.write(0, 0, "第二张").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let sheets = both(&bytes);
        assert_eq!(sheets.len(), 2);
        for (sheet, scanned, read) in sheets {
            assert!(read.len() > 1 || sheet != "Sheet1", "{read:?}");
            assert_eq!(scanned.as_ref(), Some(&read), "{sheet}");
        }
    }

    #[test]
    fn what_the_scanner_does_not_read_is_left_to_calamine() {
        let ctx_parts = OwnParts {
            strings: SharedStrings::default(),
            kinds: Vec::new(),
            is_1904: false,
        };
        let scan = |xml: &str| {
            let mut s = SheetScanner::new(xml.as_bytes(), ctx_parts.context());
            let mut found = Vec::new();
            loop {
                match s.next() {
                    Scanned::Cell(at, v) => found.push(format!("{at:?}={v:?}")),
                    other => {
                        found.push(format!("{other:?}"));
                        return found.join(" ");
                    }
                }
            }
        };
        let sheet = |cells: &str| format!("<worksheet><sheetData>{cells}</sheetData></worksheet>");
        assert_eq!(
            scan(&sheet(
                r#"<row r="2"><c r="B2"><v>1.5</v></c><c><v>2</v></c></row><row><c t="b"><v>1</v></c></row>"#
            )),
            "(1, 1)=Float(1.5) (1, 2)=Float(2.0) (2, 0)=Bool(true) End"
        );
        assert_eq!(scan("<worksheet><sheetData/></worksheet>"), "End");
        for unusual in [
            r#"<row><!-- note --><c><v>1</v></c></row>"#,
            r#"<x:row><x:c><x:v>1</x:v></x:c></x:row>"#,
            r#"<row><c t="s"><v>0</v></c></row>"#,
            r#"<row><c><v>1,5</v></c></row>"#,
            r#"<row><c t="str"><v>a&amp;b</v></c></row>"#,
            r#"<row><c r="A0"><v>1</v></c></row>"#,
            r#"<row><c><v>1</v><extLst/></c></row>"#,
            r#"<row><c r="A1" r="A2"><v>1</v></c></row>"#,
        ] {
            assert!(scan(&sheet(unusual)).ends_with("Unsupported"), "{unusual}");
        }
        assert_eq!(scan("<worksheet><cols/></worksheet>"), "Unsupported");
        // Cut short: the cells read so far, then calamine's say.
        assert_eq!(
            scan("<worksheet><sheetData><row><c><v>1</v></c><c><v>2"),
            "(0, 0)=Float(1.0) Unsupported"
        );
    }
}
