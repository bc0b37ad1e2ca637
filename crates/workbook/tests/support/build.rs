#![allow(dead_code)]
//! Workbooks built in the shapes zones send, for the reading tests.

use rust_xlsxwriter::{Format, Workbook as XlsxBook};

/// A sheet to build: its name, rows of cells ("" blank; a text that reads as
/// a number is written as one) and merged ranges (first row, first column,
/// last row, last column; 0-based).
pub struct Build<'a> {
    pub name: &'a str,
    pub rows: Vec<Vec<&'a str>>,
    merges: Vec<(u32, u16, u32, u16)>,
}

pub fn sheet<'a>(name: &'a str, rows: &[&[&'a str]]) -> Build<'a> {
    Build {
        name,
        rows: rows.iter().map(|r| r.to_vec()).collect(),
        merges: Vec::new(),
    }
}

impl<'a> Build<'a> {
    pub fn merged(mut self, merges: &[(u32, u16, u32, u16)]) -> Self {
        self.merges.extend_from_slice(merges);
        self
    }
}

pub fn xlsx(sheets: &[Build<'_>]) -> Vec<u8> {
    let mut book = XlsxBook::new();
    let wrap = Format::new().set_text_wrap();
    for s in sheets {
        let ws = book.add_worksheet();
        ws.set_name(s.name).unwrap();
        let text = |r: u32, c: u16| -> &str {
            s.rows
                .get(r as usize)
                .and_then(|row| row.get(c as usize))
                .copied()
                .unwrap_or("")
        };
        for &(r1, c1, r2, c2) in &s.merges {
            ws.merge_range(r1, c1, r2, c2, text(r1, c1), &wrap).unwrap();
        }
        let in_merge = |r: u32, c: u16| {
            s.merges
                .iter()
                .any(|&(r1, c1, r2, c2)| (r1..=r2).contains(&r) && (c1..=c2).contains(&c))
        };
        for (r, row) in s.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                if cell.is_empty() || in_merge(r, c) {
                    continue;
                }
                match cell.parse::<f64>() {
                    Ok(n) if !cell.starts_with('+') => ws.write_number(r, c, n).unwrap(),
                    _ => ws.write_string_with_format(r, c, *cell, &wrap).unwrap(),
                };
            }
        }
    }
    book.save_to_buffer().unwrap()
}
