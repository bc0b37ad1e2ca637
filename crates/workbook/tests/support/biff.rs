//! A BIFF8 (.xls) workbook written record by record, for the size checks.

use std::io::{Cursor, Write};

const EOF: u16 = 0x000A;
const BOUNDSHEET: u16 = 0x0085;

fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

fn number(row: u16, column: u16, value: f64) -> Vec<u8> {
    let mut data = Vec::new();
    data.extend_from_slice(&row.to_le_bytes());
    data.extend_from_slice(&column.to_le_bytes());
    data.extend_from_slice(&15u16.to_le_bytes());
    data.extend_from_slice(&value.to_le_bytes());
    data
}

/// A BIFF8 workbook whose sheets hold numbers at the given cells, each
/// listed `times` times (the same position under several names).
pub fn xls(sheets: &[(&str, &[(u16, u16)])], times: usize) -> Vec<u8> {
    let bof = |kind: u16| {
        let mut d = vec![0x00, 0x06];
        d.extend_from_slice(&kind.to_le_bytes());
        d.extend_from_slice(&[0; 12]);
        d
    };
    let boundsheet = |position: u32, name: &str| {
        let units: Vec<u16> = name.encode_utf16().collect();
        let mut d = position.to_le_bytes().to_vec();
        d.extend_from_slice(&[0, 0, units.len() as u8, 1]);
        d.extend(units.iter().flat_map(|u| u.to_le_bytes()));
        d
    };
    // The globals' length is known before the positions are.
    let listed: Vec<&(&str, &[(u16, u16)])> = (0..times).flat_map(|_| sheets.iter()).collect();
    let globals_len = |positions: &[u32]| {
        let mut g = Vec::new();
        record(&mut g, 0x0809, &bof(0x0005));
        record(&mut g, 0x0042, &1200u16.to_le_bytes());
        for ((name, _), p) in listed.iter().zip(positions) {
            record(&mut g, BOUNDSHEET, &boundsheet(*p, name));
        }
        record(&mut g, EOF, &[]);
        g
    };
    let mut bodies = Vec::new();
    for (_, cells) in sheets {
        let mut s = Vec::new();
        record(&mut s, 0x0809, &bof(0x0010));
        for (row, column) in cells.iter() {
            record(&mut s, 0x0203, &number(*row, *column, 1.0));
        }
        record(&mut s, EOF, &[]);
        bodies.push(s);
    }
    let start = globals_len(&vec![0; listed.len()]).len() as u32;
    let mut positions = Vec::new();
    let mut at = start;
    for body in &bodies {
        positions.push(at);
        at += body.len() as u32;
    }
    let positions: Vec<u32> = (0..times).flat_map(|_| positions.iter().copied()).collect();
    let mut stream = globals_len(&positions);
    for body in bodies {
        stream.extend(body);
    }
    let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    file.create_stream("/Workbook")
        .unwrap()
        .write_all(&stream)
        .unwrap();
    file.flush().unwrap();
    file.into_inner().into_inner()
}
