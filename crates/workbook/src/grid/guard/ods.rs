//! An .ods file says "this cell, 16,384 times" and "this row, a million
//! times" in a few bytes; the reader builds every sheet's cells as one block
//! from the first to the last filled cell when the file is opened, so such a
//! file would take gigabytes. Its content.xml is read here as a stream,
//! keeping counts only, and the blocks are added up before anything is
//! allocated.

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::{too_many_cells, MAX_AREA, MAX_XML_BYTES};

/// Checks an .ods file; the error says which sheet is too large and how
/// large, in the user's words.
pub(crate) fn check_ods(bytes: &[u8]) -> Result<(), String> {
    // A damaged file is the reader's to describe.
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Ok(entry) = archive.by_name("content.xml") else {
        return Ok(());
    };
    let limited = BufReader::new(entry.take(MAX_XML_BYTES + 1));
    let mut reader = Reader::from_reader(limited);
    let mut buf = Vec::new();
    let mut sheet = Sheet::default();
    let mut row = Row::default();
    // The blocks of the sheets before this one.
    let mut before = 0u64;
    loop {
        let Ok(event) = reader.read_event_into(&mut buf) else {
            return Ok(());
        };
        let read = reader.buffer_position();
        match event {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"table:table" => {
                before = before.saturating_add(sheet.width.saturating_mul(sheet.height));
                sheet = Sheet {
                    name: attribute(&e, b"table:name").unwrap_or_default(),
                    ..Sheet::default()
                };
            }
            Event::Start(e) if e.name().as_ref() == b"table:table-row" => {
                row = Row {
                    repeats: number(&e, b"table:number-rows-repeated"),
                    ..Row::default()
                };
            }
            Event::Empty(e) if e.name().as_ref() == b"table:table-row" => {
                sheet.rows += number(&e, b"table:number-rows-repeated");
            }
            ref event @ (Event::Start(ref e) | Event::Empty(ref e))
                if matches!(
                    e.name().as_ref(),
                    b"table:table-cell" | b"table:covered-table-cell"
                ) =>
            {
                let repeats = number(e, b"table:number-columns-repeated");
                // A cell with a value or any content is filled; an empty
                // one only pads the row.
                let filled = matches!(event, Event::Start(_))
                    || attribute(e, b"office:value-type").is_some();
                row.columns = row.columns.saturating_add(repeats);
                if filled {
                    row.width = row.columns;
                }
            }
            Event::End(e) if e.name().as_ref() == b"table:table-row" => {
                if row.width > 0 {
                    sheet.width = sheet.width.max(row.width);
                    sheet.height = sheet.rows.saturating_add(row.repeats);
                }
                sheet.rows = sheet.rows.saturating_add(row.repeats);
                let cells = sheet.width.saturating_mul(sheet.height);
                if before.saturating_add(cells) > MAX_AREA {
                    return Err(too_many_cells(&sheet.name, sheet.height, sheet.width));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        if read > MAX_XML_BYTES {
            return Err(super::too_much_xml(MAX_XML_BYTES));
        }
        buf.clear();
    }
    Ok(())
}

#[derive(Default)]
struct Sheet {
    name: String,
    /// Rows so far, filled or not.
    rows: u64,
    /// Up to the last filled row, and the widest filled row.
    height: u64,
    width: u64,
}

#[derive(Default)]
struct Row {
    repeats: u64,
    /// Columns so far, and up to the last filled cell.
    columns: u64,
    width: u64,
}

fn attribute(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// A repeat count; absent or unreadable is once (the reader that follows
/// refuses what it cannot parse).
fn number(e: &BytesStart<'_>, name: &[u8]) -> u64 {
    attribute(e, name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// An .ods file with `table` as its sheet's XML.
    fn ods(table: &str) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        write!(
            zip,
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>{table}</office:spreadsheet></office:body></office:document-content>"#
        )
        .unwrap();
        zip.finish().unwrap();
        out.into_inner()
    }

    const CELL: &str =
        r#"<table:table-cell office:value-type="string"><text:p>项目</text:p></table:table-cell>"#;

    #[test]
    fn an_ordinary_sheet_with_trailing_empty_rows_and_columns_passes() {
        // How LibreOffice saves: the rest of the sheet as repeated empties.
        let table = format!(
            r#"<table:table table:name="台账"><table:table-row>{CELL}{CELL}<table:table-cell table:number-columns-repeated="16382"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>"#
        );
        assert_eq!(check_ods(&ods(&table)), Ok(()));
    }

    #[test]
    fn repeated_filled_cells_and_rows_are_refused_before_they_are_built() {
        let wide = r#"<table:table table:name="炸弹"><table:table-row table:number-rows-repeated="1048576"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"/></table:table-row></table:table>"#;
        let bytes = ods(wide);
        assert!(bytes.len() < 2_000, "a few hundred bytes: {}", bytes.len());
        let refused = check_ods(&bytes).unwrap_err();
        assert!(
            refused.starts_with("工作表“炸弹”从第一个到最后一个有内容的单元格共1048576行×16384列"),
            "{refused}"
        );
        // A far corner filled makes the block as large as the sheet.
        let corner = format!(
            r#"<table:table table:name="角落"><table:table-row>{CELL}</table:table-row><table:table-row table:number-rows-repeated="999999"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="9999"/>{CELL}</table:table-row></table:table>"#
        );
        assert!(check_ods(&ods(&corner))
            .unwrap_err()
            .contains("1000001行×10000列"));
    }
}
