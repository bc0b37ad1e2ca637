//! An .xls (BIFF) workbook is read whole when it is opened: every sheet
//! becomes one block of cells from its first to its last cell, sized first
//! by the sheet's DIMENSIONS record. Two cells far apart (or a record that
//! lies about the dimensions, or a column beyond the format's 256) would
//! make that block gigabytes. The records are walked here as the reader
//! will walk them, following each sheet's position as listed in the
//! workbook's BOUNDSHEET records, and only the corners are kept.

use std::io::{Cursor, Read};

use super::{too_many_cells, MAX_AREA};

const EOF: u16 = 0x000A;
const FILEPASS: u16 = 0x002F;
const BOUNDSHEET: u16 = 0x0085;
const DIMENSIONS: u16 = 0x0200;
const FORMULA: u16 = 0x0006;
const MULRK: u16 = 0x00BD;
/// The records the reader turns into cells, each starting with row, column.
const CELLS: &[u16] = &[0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, FORMULA];

pub(super) fn check(bytes: &[u8]) -> Result<(), String> {
    let Some(stream) = workbook_stream(bytes) else {
        // The reader says what is wrong with the container.
        return Ok(());
    };
    let mut sheets = Vec::new();
    for (typ, data) in records(&stream) {
        match typ {
            // Encrypted: the reader asks for the password to be removed.
            FILEPASS if data.len() >= 2 && u16_at(data, 0) != 0 => return Ok(()),
            BOUNDSHEET if data.len() >= 4 => sheets.push((u32_at(data, 0) as usize, name(data))),
            EOF => break,
            _ => {}
        }
    }
    let mut total = 0u64;
    for (position, name) in sheets {
        let Some(sheet) = stream.get(position..) else {
            continue;
        };
        let mut values = Corners::default();
        let mut formulas = Corners::default();
        let mut reserved = 0u64;
        for (typ, data) in records(sheet) {
            match typ {
                EOF => break,
                DIMENSIONS => {
                    let area = dimensions(data);
                    reserved = reserved.max(area);
                    if area > MAX_AREA {
                        return Err(too_many_cells(&name, area / 256, 256));
                    }
                }
                MULRK if data.len() >= 6 => {
                    let row = u16_at(data, 0);
                    values.add(row, u16_at(data, 2));
                    values.add(row, u16_at(data, data.len() - 2));
                }
                t if CELLS.contains(&t) && data.len() >= 4 => {
                    let (row, column) = (u16_at(data, 0), u16_at(data, 2));
                    values.add(row, column);
                    if t == FORMULA {
                        formulas.add(row, column);
                    }
                }
                _ => {}
            }
        }
        total = total
            .saturating_add(values.area())
            .saturating_add(formulas.area());
        if total > MAX_AREA || reserved > MAX_AREA {
            let (rows, columns) = values.size();
            return Err(too_many_cells(&name, rows, columns));
        }
    }
    Ok(())
}

fn workbook_stream(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    let mut stream = file
        .open_stream("/Workbook")
        .or_else(|_| file.open_stream("/Book"))
        .ok()?;
    let mut out = Vec::new();
    // The stream lies inside the file: it is no larger than the upload.
    stream
        .by_ref()
        .take(bytes.len() as u64)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// The records of a stream, as (type, data), up to the first broken one.
fn records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        if rest.len() < 4 {
            return None;
        }
        let (typ, len) = (u16_at(rest, 0), u16_at(rest, 2) as usize);
        let data = rest.get(4..4 + len)?;
        rest = &rest[4 + len..];
        Some((typ, data))
    })
}

/// The block a DIMENSIONS record announces, as the reader computes it.
fn dimensions(data: &[u8]) -> u64 {
    let (first_row, last_row, first_column, last_column) = match data.len() {
        10 => (
            u64::from(u16_at(data, 0)),
            u64::from(u16_at(data, 2)),
            u64::from(u16_at(data, 4)),
            u64::from(u16_at(data, 6)),
        ),
        14 => (
            u64::from(u32_at(data, 0)),
            u64::from(u32_at(data, 4)),
            u64::from(u16_at(data, 8)),
            u64::from(u16_at(data, 10)),
        ),
        _ => return 0,
    };
    let first_column = if first_column > 0xFF || last_column < first_column {
        0
    } else {
        first_column
    };
    if last_row == 0 || last_column == 0 {
        return 1;
    }
    // The last row and column are one past the end; a last row before the
    // first is as large as it can be.
    let rows = (last_row - 1)
        .checked_sub(first_row)
        .map_or(u64::MAX, |r| r + 1);
    let columns = (last_column - 1).saturating_sub(first_column) + 1;
    rows.saturating_mul(columns)
}

fn name(data: &[u8]) -> String {
    // BIFF8: length, flags, then Latin-1 or UTF-16; only for the message.
    let len = data.get(6).copied().unwrap_or(0) as usize;
    match data.get(7) {
        Some(1) => {
            let units: Vec<u16> = data
                .get(8..8 + 2 * len)
                .unwrap_or(&[])
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => data
            .get(8..8 + len)
            .unwrap_or(&[])
            .iter()
            .map(|&b| char::from(b))
            .collect(),
    }
}

#[derive(Default)]
struct Corners(Option<(u16, u16, u16, u16)>);

impl Corners {
    fn add(&mut self, row: u16, column: u16) {
        self.0 = Some(match self.0 {
            None => (row, row, column, column),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(column), c1.max(column)),
        });
    }

    fn size(&self) -> (u64, u64) {
        self.0.map_or((0, 0), |(r0, r1, c0, c1)| {
            (u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1)
        })
    }

    fn area(&self) -> u64 {
        let (rows, columns) = self.size();
        rows * columns
    }
}

fn u16_at(data: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([data[at], data[at + 1]])
}

fn u32_at(data: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]])
}

#[cfg(test)]
#[path = "../../../tests/support/biff.rs"]
mod biff;

#[cfg(test)]
mod tests {
    use super::*;

    use super::biff::xls;

    #[test]
    fn an_ordinary_sheet_passes_and_is_read() {
        let cells: Vec<(u16, u16)> = (0..200)
            .flat_map(|r| (0..20).map(move |c| (r, c)))
            .collect();
        let book = xls(&[("台账", &cells)], 1);
        assert_eq!(check(&book), Ok(()));
    }

    #[test]
    fn two_cells_far_apart_are_refused_before_the_block_is_built() {
        let book = xls(&[("角落", &[(0, 0), (65_535, 255)])], 1);
        assert!(book.len() < 64 * 1024, "{}", book.len());
        let refused = check(&book).unwrap_err();
        assert!(
            refused.contains("工作表“角落”从第一个到最后一个有内容的单元格共65536行×256列"),
            "{refused}"
        );
        // A column beyond the format's last is no less refused.
        let wide = xls(&[("宽", &[(0, 0), (200, 65_535)])], 1);
        assert!(check(&wide).is_err());
    }

    #[test]
    fn the_same_sheet_listed_many_times_counts_each_time() {
        let cells: Vec<(u16, u16)> = vec![(0, 0), (19_999, 199)];
        let once = xls(&[("一", &cells)], 1);
        assert_eq!(check(&once), Ok(()));
        let twice = xls(&[("一", &cells), ("二", &cells)], 2);
        assert!(check(&twice).is_err());
    }

    #[test]
    fn lying_dimensions_are_refused() {
        let mut d = Vec::new();
        d.extend_from_slice(&0u32.to_le_bytes());
        d.extend_from_slice(&u32::MAX.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        d.extend_from_slice(&256u16.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        assert!(dimensions(&d) > MAX_AREA);
        // A last row before the first.
        let mut d = Vec::new();
        d.extend_from_slice(&10u32.to_le_bytes());
        d.extend_from_slice(&5u32.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        d.extend_from_slice(&3u16.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        assert_eq!(dimensions(&d), u64::MAX);
    }
}
