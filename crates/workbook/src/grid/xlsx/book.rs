//! An .xlsx opened: checked by the size guard, its sheets listed from the
//! workbook's own parts and their cells scanned. calamine, the reader of
//! record, is opened only when it is needed: when those parts cannot be
//! read this way (it then also says what is wrong with the file), or when a
//! sheet holds what the scanner does not read.

use std::io::Cursor;

use calamine::{Dimensions, Reader, SheetType, SheetVisible, XlsxError};

use super::super::guard;
use super::super::merges::{FoundMerges, SheetParts};
use super::super::rows::{Source, XlsxCells};
use super::{part_stream, OwnParts, Scanned, SheetScanner};
use crate::ReadError;

type Bytes<'a> = Cursor<&'a [u8]>;
type Calamine<'a> = calamine::Xlsx<Bytes<'a>>;

pub(crate) struct XlsxBook<'a> {
    bytes: &'a [u8],
    /// The sheets and where they are; `None` when calamine lists them.
    parts: Option<SheetParts<'a>>,
    /// What cells are scanned with; `None` when calamine reads every sheet.
    own: Option<OwnParts>,
    /// Opened when first needed.
    calamine: Option<Calamine<'a>>,
}

/// Files smaller than this (a sheet of a few hundred rows) are checked
/// before their parts are read, on the calling thread: a thread costs more
/// than it saves there.
const CHECK_ALONGSIDE_MIN_BYTES: usize = 64 * 1024;

impl<'a> XlsxBook<'a> {
    pub(crate) fn open(bytes: &'a [u8]) -> Result<XlsxBook<'a>, ReadError> {
        let parallel = bytes.len() >= CHECK_ALONGSIDE_MIN_BYTES
            && matches!(std::thread::available_parallelism(), Ok(n) if n.get() > 1);
        let (found, (mut parts, own)) = check_and_read(bytes, parallel);
        let found = found.map_err(ReadError::TooLarge)?;
        if let Some(parts) = parts.as_mut() {
            parts.found(found);
        }
        let mut book = XlsxBook {
            bytes,
            parts,
            own,
            calamine: None,
        };
        if book.parts.is_none() || book.own.is_none() {
            // calamine reads this file: opened now, so that a damaged file
            // is refused when it is opened.
            opened(&mut book.calamine, bytes).map_err(|e| ReadError::Corrupt(e.to_string()))?;
        }
        Ok(book)
    }

    /// The worksheets' names, in order, and whether each is hidden.
    pub(crate) fn sheets(&self) -> Vec<(String, bool)> {
        let listed: Vec<(&str, SheetType, SheetVisible)> = match (&self.parts, &self.calamine) {
            (Some(parts), _) => parts
                .sheets
                .iter()
                .map(|s| (s.name.as_str(), s.kind, s.visible))
                .collect(),
            (None, Some(book)) => book
                .sheets_metadata()
                .iter()
                .map(|s| (s.name.as_str(), s.typ, s.visible))
                .collect(),
            (None, None) => Vec::new(),
        };
        listed
            .into_iter()
            .filter(|(_, kind, _)| *kind == SheetType::WorkSheet)
            .map(|(name, _, visible)| (name.to_string(), visible != SheetVisible::Visible))
            .collect()
    }

    /// A sheet's merged regions and its cells, to be read in order. The
    /// error says why the sheet cannot be read at all.
    pub(crate) fn rows(&mut self, name: &str) -> Result<(Vec<Dimensions>, Source<'_>), String> {
        let XlsxBook {
            bytes,
            parts,
            own,
            calamine,
        } = self;
        let bytes = *bytes;
        // Merges are listed after the cells in the sheet's XML: they are
        // searched for in its bytes, or else read by calamine parsing the
        // XML once through without keeping the cells.
        let merges = match parts.as_mut().and_then(|p| p.merges(name)) {
            Some(merges) => merges,
            None => match opened(calamine, bytes).map(|book| book.worksheet_merge_cells(name)) {
                Ok(Some(Ok(merges))) => merges,
                _ => Vec::new(),
            },
        };
        let scanning = match (own.as_ref(), parts.as_ref()) {
            (Some(own), Some(parts)) => parts
                .path(name)
                .and_then(|path| part_stream(bytes, path))
                .map(|xml| SheetScanner::new(xml, own.context()))
                .and_then(|mut scanner| scanner.start().map(|rows| (scanner, rows))),
            _ => None,
        };
        if let Some((scanner, declared_rows)) = scanning {
            // The scanner reads the cells; calamine, from the sheet's
            // start, once the scanner meets what it does not read (rows
            // already handed out are skipped by the rows' reader).
            let name = name.to_string();
            let mut scanner = Some(scanner);
            let mut unopened = Some(calamine);
            let mut fallback = None;
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
                if let Some(slot) = unopened.take() {
                    let book = opened(slot, bytes)?;
                    fallback = Some(book.worksheet_cells_reader(&name)?);
                }
                match &mut fallback {
                    Some(reader) => reader.next_cell(),
                    // calamine could not read the sheet either, as said.
                    None => Ok(None),
                }
            };
            return Ok((merges, Source::Xlsx(cells(next_cell, declared_rows))));
        }
        let book = opened(calamine, bytes).map_err(|e| e.to_string())?;
        match book.worksheet_cells_reader(name) {
            Ok(mut reader) => {
                let declared_rows = reader.dimensions().end.0.saturating_add(1);
                let next_cell = move || reader.next_cell();
                Ok((merges, Source::Xlsx(cells(next_cell, declared_rows))))
            }
            Err(XlsxError::NotAWorksheet(_)) => Ok((Vec::new(), Source::Range(Default::default()))),
            Err(e) => Err(e.to_string()),
        }
    }
}

fn cells<'s>(
    next_cell: impl FnMut() -> Result<Option<calamine::Cell<calamine::DataRef<'s>>>, XlsxError>
        + Send
        + 's,
    declared_rows: u32,
) -> XlsxCells<'s> {
    XlsxCells {
        next_cell: Box::new(next_cell),
        declared_rows,
        ahead: None,
        width: 0,
        done: false,
        next_row: 0,
        truncated: false,
        note: None,
    }
}

/// calamine's reading of the file, opened in `slot` if it is not yet.
fn opened<'s, 'a>(
    slot: &'s mut Option<Calamine<'a>>,
    bytes: &'a [u8],
) -> Result<&'s mut Calamine<'a>, XlsxError> {
    if slot.is_none() {
        *slot = Some(calamine::open_workbook_from_rs(Cursor::new(bytes))?);
    }
    slot.as_mut().ok_or(XlsxError::Unexpected("not opened"))
}

/// The workbook's parts as the scanner reads them (see [`XlsxBook`]).
type Parts<'a> = (Option<SheetParts<'a>>, Option<OwnParts>);
type Checked = Result<FoundMerges, String>;

fn read_parts(bytes: &[u8]) -> Parts<'_> {
    let mut parts = SheetParts::new(bytes);
    let own = parts.as_mut().and_then(OwnParts::read);
    (parts, own)
}

/// The guard's check of an .xlsx and its parts read, as if one after the
/// other: the sheets' XML is inflated to be checked while the workbook's
/// other parts are read (when `parallel`), once those parts pass the checks
/// on their own. Nothing read is used unless the whole file passes.
fn check_and_read(bytes: &[u8], parallel: bool) -> (Checked, Parts<'_>) {
    let alone = || {
        let found = guard::check_xlsx(bytes);
        let parts = match found {
            Ok(_) => read_parts(bytes),
            Err(_) => (None, None),
        };
        (found, parts)
    };
    if !parallel {
        return alone();
    }
    std::thread::scope(|scope| {
        let Ok(checking) = std::thread::Builder::new()
            .name("kfq-xlsx-guard".into())
            .spawn_scoped(scope, || guard::check_xlsx(bytes))
        else {
            return alone();
        };
        let early = guard::xlsx_besides_sheets_pass(bytes).then(|| read_parts(bytes));
        let found = checking
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let parts = match (&found, early) {
            (Ok(_), Some(parts)) => parts,
            // Refused: what was read is dropped unused.
            (Err(_), _) => (None, None),
            (Ok(_), None) => read_parts(bytes),
        };
        (found, parts)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The check's merges, and which parts were read.
    fn outcome(checked: (Checked, Parts<'_>)) -> (Checked, bool, bool) {
        let (found, (parts, own)) = checked;
        (found, parts.is_some(), own.is_some())
    }

    #[test]
    fn checking_alongside_reading_finds_the_same() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        for name in [
            "city_ledger.xlsx",
            "merged_zones.xlsx",
            "broken.xlsx",
            "zone_yi.xlsx",
        ] {
            let bytes = std::fs::read(dir.join(name)).unwrap();
            let alone = outcome(check_and_read(&bytes, false));
            let alongside = outcome(check_and_read(&bytes, true));
            assert_eq!(alone, alongside, "{name}");
        }
        // A text too long in a sheet, in the shared strings, or in both:
        // refused alike, the parts read early only in the first case.
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
            let alone = outcome(check_and_read(&bytes, false));
            let alongside = outcome(check_and_read(&bytes, true));
            assert!(alone.0.is_err());
            assert_eq!(alone, alongside);
            let early = guard::xlsx_besides_sheets_pass(&bytes);
            assert_eq!(early, parts[1].1 == 10);
        }
    }

    /// The file with `edit` applied to the text of the part at `path`.
    fn edited(bytes: &[u8], path: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
        use std::io::{Read, Write};
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut out = Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut out);
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let name = entry.name().unwrap().to_string();
            let mut part = Vec::new();
            entry.read_to_end(&mut part).unwrap();
            if name == path {
                part = edit(std::str::from_utf8(&part).unwrap()).into_bytes();
            }
            writer
                .start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(&part).unwrap();
        }
        writer.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn calamine_is_opened_only_for_what_the_scanner_does_not_read() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let ledger = workbook.add_worksheet().set_name("台账").unwrap();
        for row in 0..300u32 {
            ledger.write(row, 0, format!("项目{row}")).unwrap();
            ledger.write(row, 1, f64::from(row) * 1.5).unwrap();
        }
        let notes = workbook.add_worksheet().set_name("说明").unwrap();
        notes.write(0, 0, "填报说明").unwrap();
        notes.set_hidden(true);
        let plain = workbook.save_to_buffer().unwrap();
        // A comment halfway down: the scanner hands the sheet over there.
        let commented = edited(&plain, "xl/worksheets/sheet1.xml", |xml| {
            xml.replacen("<row r=\"150\"", "<!-- 备注 --><row r=\"150\"", 1)
        });
        assert_ne!(plain, commented);
        for (bytes, needs_calamine) in [(&plain, false), (&commented, true)] {
            let mut book = XlsxBook::open(bytes).unwrap();
            assert!(book.calamine.is_none());
            let mut reference: Calamine<'_> =
                calamine::open_workbook_from_rs(Cursor::new(bytes.as_slice())).unwrap();
            let listed: Vec<(String, bool)> = reference
                .sheets_metadata()
                .iter()
                .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
                .collect();
            assert_eq!(listed[1], ("说明".to_string(), true));
            assert_eq!(book.sheets(), listed);
            for (name, _) in listed {
                let mut reader = reference.worksheet_cells_reader(&name).unwrap();
                let declared = reader.dimensions().end.0 + 1;
                let mut expected = Vec::new();
                while let Some(cell) = reader.next_cell().unwrap() {
                    expected.push((cell.get_position(), format!("{:?}", cell.get_value())));
                }
                let (_, source) = book.rows(&name).unwrap();
                let Source::Xlsx(mut cells) = source else {
                    panic!("{name}: not read as cells");
                };
                assert_eq!(cells.declared_rows, declared, "{name}");
                // calamine starts from the sheet's start: what was handed
                // out already is skipped, as the rows' reader skips it.
                let mut read: Vec<((u32, u32), String)> = Vec::new();
                while let Some(cell) = (cells.next_cell)().unwrap() {
                    if read.last().is_none_or(|(at, _)| *at < cell.get_position()) {
                        read.push((cell.get_position(), format!("{:?}", cell.get_value())));
                    }
                }
                assert_eq!(read.len(), if name == "台账" { 600 } else { 1 });
                assert_eq!(read, expected, "{name}");
            }
            assert_eq!(book.calamine.is_some(), needs_calamine);
        }
    }
}
