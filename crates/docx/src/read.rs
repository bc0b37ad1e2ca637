//! Reads a .docx back into paragraphs and table cells, so that tests (and
//! callers checking their own output) can assert on what was written.
//! Only the main document part is read; formatting is left in the XML.

use std::io::{Cursor, Read};

use quick_xml::escape::unescape;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::Error;

/// Parts larger than this are not bulletins; refuse rather than exhaust memory.
const PART_LIMIT: u64 = 64 * 1024 * 1024;

/// The text of a document in order of appearance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadDocument {
    /// Paragraphs outside tables as (style id, text); a paragraph without a
    /// style reads as "Normal". Line breaks read as `\n`, tabs as `\t`.
    pub paragraphs: Vec<(String, String)>,
    /// Top-level tables as rows of cell texts, one entry per `w:tc`: a cell
    /// spanning columns appears once, a vertically merged continuation as "".
    /// Paragraphs within a cell are joined with `\n`.
    pub tables: Vec<Vec<Vec<String>>>,
}

impl ReadDocument {
    /// Texts of the paragraphs in the given style.
    pub fn texts_in(&self, style: &str) -> Vec<&str> {
        self.paragraphs
            .iter()
            .filter(|(s, _)| s == style)
            .map(|(_, t)| t.as_str())
            .collect()
    }
}

/// One part of the package (e.g. "word/document.xml") as text.
pub fn read_part(bytes: &[u8], name: &str) -> Result<String, Error> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut xml = String::new();
    archive
        .by_name(name)?
        .take(PART_LIMIT)
        .read_to_string(&mut xml)?;
    Ok(xml)
}

/// Paragraphs and tables of a .docx, as [`ReadDocument`] describes.
pub fn read_back(bytes: &[u8]) -> Result<ReadDocument, Error> {
    let xml = read_part(bytes, "word/document.xml")?;
    let mut reader = Reader::from_str(&xml);
    let mut state = State::default();
    loop {
        match reader.read_event()? {
            Event::Start(e) => state.start(e.name().as_ref()),
            Event::Empty(e) => state.empty(&e)?,
            Event::Text(t) if state.in_text => state.raw.push_str(&t.decode()?),
            // Entity and character references arrive apart from the text;
            // keep them escaped and resolve the whole paragraph at once.
            Event::GeneralRef(r) if state.in_text => {
                state.raw.push('&');
                state.raw.push_str(&r.decode()?);
                state.raw.push(';');
            }
            Event::End(e) => state.end(e.name().as_ref())?,
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(state.document)
}

#[derive(Default)]
struct State {
    document: ReadDocument,
    /// Nesting of tables; only the outermost becomes a table of its own.
    depth: usize,
    table: Vec<Vec<String>>,
    row: Option<Vec<String>>,
    /// Paragraph texts of the current outermost cell, nested tables included.
    cell: Option<Vec<String>>,
    /// Inside w:pPr, where w:tab is a tab stop rather than a tab.
    in_properties: bool,
    style: Option<String>,
    /// The paragraph's text still escaped, as it stands in the XML.
    raw: String,
    in_text: bool,
}

impl State {
    fn start(&mut self, name: &[u8]) {
        match name {
            b"w:tbl" => self.open_table(),
            b"w:tr" if self.depth == 1 => self.row = Some(Vec::new()),
            b"w:tc" if self.depth == 1 => self.cell = Some(Vec::new()),
            b"w:p" => self.open_paragraph(),
            b"w:pPr" => self.in_properties = true,
            b"w:t" => self.in_text = true,
            _ => {}
        }
    }

    fn empty(&mut self, element: &BytesStart<'_>) -> Result<(), Error> {
        match element.name().as_ref() {
            b"w:pStyle" => {
                if let Some(value) = element.try_get_attribute("w:val")? {
                    // Decoded by hand: `unescape_value` is not there when another
                    // crate turns on quick-xml's `encoding` feature.
                    let raw = String::from_utf8_lossy(&value.value);
                    self.style = Some(
                        quick_xml::escape::unescape(&raw)
                            .map_err(quick_xml::Error::from)?
                            .into_owned(),
                    );
                }
            }
            b"w:br" | b"w:cr" => self.raw.push('\n'),
            b"w:tab" if !self.in_properties => self.raw.push('\t'),
            b"w:p" => {
                self.open_paragraph();
                self.close_paragraph()?;
            }
            b"w:tc" if self.depth == 1 => {
                if let Some(row) = &mut self.row {
                    row.push(String::new());
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &[u8]) -> Result<(), Error> {
        match name {
            b"w:t" => self.in_text = false,
            b"w:pPr" => self.in_properties = false,
            b"w:p" => self.close_paragraph()?,
            b"w:tc" if self.depth == 1 => {
                if let (Some(row), Some(cell)) = (&mut self.row, self.cell.take()) {
                    row.push(cell.join("\n"));
                }
            }
            b"w:tr" if self.depth == 1 => {
                if let Some(row) = self.row.take() {
                    self.table.push(row);
                }
            }
            b"w:tbl" => self.close_table(),
            _ => {}
        }
        Ok(())
    }

    fn open_table(&mut self) {
        self.depth += 1;
        if self.depth == 1 {
            self.table.clear();
        }
    }

    fn close_table(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        if self.depth == 0 {
            self.document.tables.push(std::mem::take(&mut self.table));
        }
    }

    fn open_paragraph(&mut self) {
        self.style = None;
        self.raw.clear();
    }

    fn close_paragraph(&mut self) -> Result<(), Error> {
        let text = unescape(&self.raw)
            .map_err(quick_xml::Error::from)?
            .into_owned();
        match &mut self.cell {
            Some(cell) if self.depth > 0 => cell.push(text),
            // A paragraph in a table but outside any cell cannot occur in valid XML.
            _ if self.depth > 0 => {}
            _ => {
                let style = self.style.take().unwrap_or_else(|| "Normal".to_string());
                self.document.paragraphs.push((style, text));
            }
        }
        Ok(())
    }
}
