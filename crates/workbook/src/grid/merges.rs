//! The merged regions of an .xlsx sheet, found without parsing its cells.
//!
//! They are listed after the cells in the sheet's XML, yet are needed before
//! the first row is read. Parsing the whole sheet as XML to reach them (what
//! calamine's `worksheet_merge_cells` does) took as long as reading the
//! cells; here the sheet is inflated and its bytes searched for
//! `mergeCells` with memchr, and only that element is parsed as XML, the
//! way calamine parses it.
//!
//! [`SheetParts`] also lists the workbook's sheets and finds each one's XML
//! (from `xl/workbook.xml` and its relationships, as calamine reads them), so
//! that an .xlsx is opened without calamine.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use calamine::Dimensions;
use quick_xml::events::Event;
use quick_xml::Reader;

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// The workbook's sheets (names, kinds, whether hidden) and where each
/// one's XML is in the zip, read from the workbook's parts as calamine
/// reads them.
pub(super) struct SheetParts<'a> {
    zip: Zip<'a>,
    /// The zip's names, lower case with `/` (calamine matches names so),
    /// to the names as written.
    entries: HashMap<String, String>,
    /// The sheets in the workbook's order.
    pub sheets: Vec<SheetEntry>,
    paths: HashMap<String, String>,
    /// Each part's merges as found while the size guard inflated it, by
    /// the part's name in the zip: a sheet is then not inflated again.
    found: FoundMerges,
}

/// One sheet as the workbook lists it.
pub(super) struct SheetEntry {
    pub name: String,
    pub kind: calamine::SheetType,
    pub visible: calamine::SheetVisible,
}

/// Each XML part's merged regions, found as it was read through: `None`
/// where calamine would have failed (then no merges), as [`scan`] says.
pub(crate) type FoundMerges = HashMap<String, Option<Vec<Dimensions>>>;

impl<'a> SheetParts<'a> {
    /// `None` when the workbook's parts cannot be read this way (a part
    /// missing or written unusually, a sheet of a kind calamine does not
    /// know): the caller then asks calamine, which says what is wrong.
    pub(super) fn new(bytes: &'a [u8]) -> Option<SheetParts<'a>> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
        let entries: HashMap<String, String> = zip
            .file_names()
            .filter_map(Result::ok)
            .map(|n| (n.replace('\\', "/").to_ascii_lowercase(), n.to_string()))
            .collect();
        let mut parts = SheetParts {
            zip,
            entries,
            sheets: Vec::new(),
            paths: HashMap::new(),
            found: FoundMerges::new(),
        };
        let targets = relationships(&parts.part("xl/_rels/workbook.xml.rels")??)?;
        for (name, id, visible) in sheet_ids(&parts.part("xl/workbook.xml")??)? {
            let target = targets.get(&id)?;
            let path = if let Some(t) = target.strip_prefix('/') {
                t.to_string()
            } else if target.starts_with("xl/") {
                target.clone()
            } else {
                format!("xl/{target}")
            };
            let kind = match path.split('/').nth(1) {
                Some("worksheets") => calamine::SheetType::WorkSheet,
                Some("chartsheets") => calamine::SheetType::ChartSheet,
                Some("dialogsheets") => calamine::SheetType::DialogSheet,
                _ => return None,
            };
            let entry = parts.entries.get(&path.to_ascii_lowercase())?;
            parts
                .paths
                .entry(name.clone())
                .or_insert_with(|| entry.clone());
            parts.sheets.push(SheetEntry {
                name,
                kind,
                visible,
            });
        }
        Some(parts)
    }

    /// The merges the size guard found as it read the sheets through.
    pub(super) fn found(&mut self, found: FoundMerges) {
        self.found = found;
    }

    /// A part's XML, its name matched ignoring case: `Some(None)` when the
    /// zip has no such part, `None` when it cannot be read.
    pub(super) fn part(&mut self, path: &str) -> Option<Option<Vec<u8>>> {
        let Some(name) = self.entries.get(&path.to_ascii_lowercase()) else {
            return Some(None);
        };
        let mut entry = self.zip.by_name(name).ok()?;
        let mut xml = Vec::with_capacity(entry.size().min(64 << 20) as usize);
        entry.read_to_end(&mut xml).ok()?;
        Some(Some(xml))
    }

    /// The sheet's part in the zip, as the zip names it.
    pub(super) fn path(&self, sheet: &str) -> Option<&str> {
        self.paths.get(sheet).map(String::as_str)
    }

    /// The sheet's merged regions; `None` when the sheet is not found here.
    pub(super) fn merges(&mut self, sheet: &str) -> Option<Vec<Dimensions>> {
        let path = self.paths.get(sheet)?;
        if let Some(merges) = self.found.get(path) {
            return Some(merges.clone().unwrap_or_default());
        }
        let entry = self.zip.by_name(path).ok()?;
        Some(scan(entry).unwrap_or_default())
    }
}

/// Relationship ids to targets (xl/_rels/workbook.xml.rels).
fn relationships(xml: &[u8]) -> Option<HashMap<Vec<u8>, String>> {
    let mut reader = Reader::from_reader(xml);
    let mut targets = HashMap::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"Relationship" => {
                let (mut id, mut target) = (Vec::new(), String::new());
                for a in e.attributes() {
                    let a = a.ok()?;
                    match a.key.as_ref() {
                        b"Id" => id = a.value.to_vec(),
                        b"Target" => target = reader.decoder().decode(&a.value).ok()?.into_owned(),
                        _ => {}
                    }
                }
                targets.insert(id, target);
            }
            Event::Eof => return Some(targets),
            _ => {}
        }
    }
}

/// Each sheet's name, relationship id and state, in order (xl/workbook.xml).
fn sheet_ids(xml: &[u8]) -> Option<Vec<(String, Vec<u8>, calamine::SheetVisible)>> {
    use calamine::SheetVisible;
    let mut reader = Reader::from_reader(xml);
    let mut sheets = Vec::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"sheet" => {
                let (mut name, mut id, mut visible) = (None, None, SheetVisible::Visible);
                for a in e.attributes() {
                    let a = a.ok()?;
                    if a.key.as_ref() == b"name" {
                        name = Some(a.decode_and_unescape_value(reader.decoder()).ok()?);
                    } else if a.key.as_ref() == b"state" {
                        visible = match a.decode_and_unescape_value(reader.decoder()).ok()?.as_ref()
                        {
                            "visible" => SheetVisible::Visible,
                            "hidden" => SheetVisible::Hidden,
                            "veryHidden" => SheetVisible::VeryHidden,
                            _ => return None,
                        };
                    } else if a.key.local_name().as_ref() == b"id" {
                        id = Some(a.value.to_vec());
                    }
                }
                sheets.push((name?.into_owned(), id?, visible));
            }
            Event::Eof => return Some(sheets),
            _ => {}
        }
    }
}

/// Reads the sheet's XML until its `mergeCells` element has been read;
/// `None` where calamine would have failed (it then reports no merges).
fn scan(mut entry: impl Read) -> Option<Vec<Dimensions>> {
    let mut finder = MergeFinder::new();
    let mut buf = vec![0u8; 256 * 1024];
    while !finder.is_done() {
        let n = entry.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        finder.feed(&buf[..n]);
    }
    finder.merges()
}

const TAG: &[u8] = b"mergeCells";

/// Finds a sheet's `mergeCells` element in its XML given block by block, as
/// it is inflated (by [`scan`], or by the size guard reading every part).
pub(crate) struct MergeFinder {
    tag: memchr::memmem::Finder<'static>,
    end: memchr::memmem::Finder<'static>,
    /// The last bytes of the blocks before, so that a tag cut in two by a
    /// block boundary is still found; then the element from its start tag.
    kept: Vec<u8>,
    found: bool,
    done: bool,
}

impl MergeFinder {
    pub(crate) fn new() -> MergeFinder {
        MergeFinder {
            tag: memchr::memmem::Finder::new(TAG),
            end: memchr::memmem::Finder::new(b"mergeCells>"),
            kept: Vec::new(),
            found: false,
            done: false,
        }
    }

    /// Whether the element has been read to its end tag: nothing more is
    /// needed.
    pub(crate) fn is_done(&self) -> bool {
        self.done
    }

    /// The bytes held: the element read so far.
    pub(crate) fn held(&self) -> usize {
        self.kept.len()
    }

    pub(crate) fn feed(&mut self, block: &[u8]) {
        if self.done {
            return;
        }
        if !self.found {
            // Only the bytes kept from before and a tag's length of this
            // block can hold a tag crossing the boundary.
            let seam = block.len().min(TAG.len() + 16);
            self.kept.extend_from_slice(&block[..seam]);
            let start = match self.find(&self.kept) {
                Some(start) => Some((start, true)),
                None => self.find(block).map(|start| (start, false)),
            };
            match start {
                Some((start, true)) => {
                    self.kept.drain(..start);
                    self.kept.extend_from_slice(&block[seam..]);
                }
                Some((start, false)) => {
                    self.kept.clear();
                    self.kept.extend_from_slice(&block[start..]);
                }
                None => {
                    // Keep the last bytes: a tag's "<x:" prefix and name.
                    let keep = TAG.len() + 16;
                    if seam < block.len() {
                        self.kept.clear();
                        self.kept.extend_from_slice(&block[block.len() - keep..]);
                    } else {
                        let drop = self.kept.len().saturating_sub(keep);
                        self.kept.drain(..drop);
                    }
                    return;
                }
            }
            self.found = true;
        } else {
            self.kept.extend_from_slice(block);
        }
        // The element lies near the end of the sheet; it is read to its end
        // tag (after its start tag, "mergeCells>" can only end one).
        self.done = match memchr::memchr(b'>', &self.kept) {
            Some(open) => self.end.find(&self.kept[open + 1..]).is_some(),
            None => false,
        };
    }

    fn find(&self, bytes: &[u8]) -> Option<usize> {
        self.tag
            .find_iter(bytes)
            .filter_map(|at| start_of_tag(bytes, at))
            .next()
    }

    /// The merges, once the XML has been given up to the element's end (or
    /// to the sheet's end); `None` where calamine would have failed.
    pub(crate) fn merges(self) -> Option<Vec<Dimensions>> {
        match self.found {
            true => read_merge_cells(&self.kept),
            false => None,
        }
    }
}

/// Where the start tag holding the name found at `at` begins (`<mergeCells`
/// or `<x:mergeCells`), if it is one.
fn start_of_tag(block: &[u8], at: usize) -> Option<usize> {
    let after = *block.get(at + b"mergeCells".len())?;
    if !matches!(after, b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n') {
        return None;
    }
    let before = &block[..at];
    let prefix = before
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        .count();
    match before[..before.len() - prefix].last() {
        Some(b'<') if prefix == 0 => Some(at - 1),
        Some(b':') if prefix == 0 => {
            let colon = at - 1;
            let name = before[..colon]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
                .count();
            let open = colon.checked_sub(name + 1)?;
            (name > 0 && block[open] == b'<').then_some(open)
        }
        _ => None,
    }
}

/// Parses `<mergeCells>…</mergeCells>` as calamine does: every `mergeCell`
/// by its `ref`, and no merges at all if one cannot be read.
fn read_merge_cells(element: &[u8]) -> Option<Vec<Dimensions>> {
    let mut reader = Reader::from_reader(element);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    // The element's own start tag.
    match reader.read_event().ok()? {
        Event::Start(e) if e.local_name().as_ref() == b"mergeCells" => {}
        _ => return None,
    }
    let mut merges = Vec::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == b"mergeCell" => {
                for a in e.attributes() {
                    let a = a.ok()?;
                    if a.key.as_ref() == b"ref" {
                        merges.push(dimension(&a.value)?);
                        break;
                    }
                }
            }
            Event::End(e) if e.local_name().as_ref() == b"mergeCells" => return Some(merges),
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// "B2:D5" as calamine reads it: (row, column) from 0.
pub(in crate::grid) fn dimension(text: &[u8]) -> Option<Dimensions> {
    let parts: Vec<(u32, u32)> = text
        .split(|b| *b == b':')
        .map(cell_ref)
        .collect::<Option<_>>()?;
    match parts[..] {
        [one] => Some(Dimensions::new(one, one)),
        [start, end] => Some(Dimensions::new(start, end)),
        _ => None,
    }
}

fn cell_ref(text: &[u8]) -> Option<(u32, u32)> {
    let letters = text.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let (col, row) = text.split_at(letters);
    if row.is_empty() || !row.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let col = col.iter().fold(0u32, |n, b| {
        n.wrapping_mul(26)
            .wrapping_add((b.to_ascii_uppercase() - b'A') as u32 + 1)
    });
    let row = row.iter().fold(0u32, |n, b| {
        n.wrapping_mul(10).wrapping_add((b - b'0') as u32)
    });
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_are_read_from_the_sheet_tail() {
        let sheet = b"<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>mergeCells</t></is></c></row></sheetData>\
            <mergeCells count=\"2\"><mergeCell ref=\"A1:C1\"/><mergeCell ref=\"B2:B40\"/></mergeCells><pageMargins/></worksheet>";
        let merges = scan(&sheet[..]).unwrap();
        assert_eq!(
            merges,
            [
                Dimensions::new((0, 0), (0, 2)),
                Dimensions::new((1, 1), (39, 1))
            ]
        );
        let prefixed = b"<x:worksheet><x:sheetData/><x:mergeCells><x:mergeCell ref=\"aa10\"/></x:mergeCells></x:worksheet>";
        assert_eq!(
            scan(&prefixed[..]).unwrap(),
            [Dimensions::new((9, 26), (9, 26))]
        );
        assert_eq!(scan(&b"<worksheet><sheetData/></worksheet>"[..]), None);
        // A reference calamine cannot read leaves the sheet without merges.
        assert_eq!(
            scan(&b"<mergeCells><mergeCell ref=\"A0:B1\"/></mergeCells>"[..]),
            None
        );
    }

    #[test]
    fn merges_are_found_in_blocks_of_any_size() {
        let sheets: [&[u8]; 4] = [
            b"<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>mergeCells</t></is></c></row></sheetData>\
              <mergeCells count=\"2\"><mergeCell ref=\"A1:C1\"/><mergeCell ref=\"B2:B40\"/></mergeCells><pageMargins/></worksheet>",
            b"<x:worksheet><x:sheetData/><x:mergeCells><x:mergeCell ref=\"aa10\"/></x:mergeCells></x:worksheet>",
            b"<worksheet><sheetData/></worksheet>",
            b"<mergeCells><mergeCell ref=\"A0:B1\"/></mergeCells>",
        ];
        for sheet in sheets {
            let whole = scan(sheet);
            for size in [1, 2, 3, 7, 26, 27, 64] {
                let mut finder = MergeFinder::new();
                for block in sheet.chunks(size) {
                    finder.feed(block);
                }
                assert_eq!(finder.merges(), whole, "{size}");
            }
        }
    }

    #[test]
    fn a_tag_cut_by_the_block_boundary_is_found() {
        let mut sheet = vec![b' '; 256 * 1024 - 5];
        sheet.extend_from_slice(b"<mergeCells><mergeCell ref=\"A1:B2\"/></mergeCells>");
        assert_eq!(scan(&sheet[..]).unwrap(), [Dimensions::new((0, 0), (1, 1))]);
    }
}
