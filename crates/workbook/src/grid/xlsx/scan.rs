//! A sheet's cells straight from its XML bytes, as they inflate: the
//! elements spreadsheet programs write inside `sheetData` (`row`, `c` with
//! `v`, `f` and `is`) are read by searching bytes, each value decided as
//! calamine decides it. Anything else (a comment, an entity in a number, a
//! prefixed element, a damaged file) is not guessed at: the scanner says
//! so, and the caller reads the sheet with calamine instead.

use std::io::Read;

use calamine::{CellErrorType, DataRef, ExcelDateTime};
use memchr::{memchr, memmem};

use super::strings::{inline_string, SharedStrings};
use super::styles::Kind;

/// What the scanner found next.
#[derive(Debug, PartialEq)]
pub(crate) enum Scanned<'s> {
    /// A filled cell at (row, column), both from 0.
    Cell((u32, u32), DataRef<'s>),
    /// The end of the sheet's cells.
    End,
    /// Something this scanner does not read: ask calamine.
    Unsupported,
}

/// The workbook's parts a cell's value depends on.
#[derive(Clone, Copy)]
pub(crate) struct Context<'s> {
    pub strings: &'s SharedStrings,
    pub kinds: &'s [Kind],
    pub is_1904: bool,
}

/// Bytes inflated at a time; a cell longer than this grows the buffer.
const CHUNK: usize = 256 * 1024;
/// No cell is longer (the size guard refuses longer texts well before).
const MAX_HELD: usize = 32 << 20;

pub(crate) struct SheetScanner<'s, R> {
    input: R,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    eof: bool,
    ctx: Context<'s>,
    row: u32,
    col: u32,
    in_cells: bool,
    done: bool,
}

/// An element's start tag, its name and attributes.
struct Tag<'b> {
    name: &'b [u8],
    attrs: &'b [u8],
    empty: bool,
}

impl<'b> Tag<'b> {
    /// `tag` runs from `<` to `>`; `None` for an end tag or anything else.
    fn parse(tag: &'b [u8]) -> Option<Tag<'b>> {
        let inner = &tag[1..tag.len() - 1];
        let (inner, empty) = match inner.strip_suffix(b"/") {
            Some(inner) => (inner, true),
            None => (inner, false),
        };
        let end = inner
            .iter()
            .position(|b| b.is_ascii_whitespace())
            .unwrap_or(inner.len());
        let name = &inner[..end];
        let valid = !name.is_empty()
            && name
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
        valid.then_some(Tag {
            name,
            attrs: &inner[end..],
            empty,
        })
    }

    /// The values of the attributes named in `wanted` (raw, as written);
    /// `None` if the attributes are not well formed or one is repeated.
    fn attrs<const N: usize>(&self, wanted: [&[u8]; N]) -> Option<[Option<&'b [u8]>; N]> {
        let mut found = [None; N];
        let mut rest = self.attrs;
        loop {
            rest = rest.trim_ascii_start();
            if rest.is_empty() {
                return Some(found);
            }
            let eq = find(b'=', rest)?;
            let name = &rest[..eq];
            let after = &rest[eq + 1..];
            let quote = *after.first()?;
            if !matches!(quote, b'"' | b'\'') || name.is_empty() {
                return None;
            }
            if name.iter().any(|b| b.is_ascii_whitespace() || *b == b'<') {
                return None;
            }
            let close = find(quote, &after[1..])?;
            let value = &after[1..1 + close];
            if let Some(i) = wanted.iter().position(|w| *w == name) {
                if found[i].replace(value).is_some() {
                    return None;
                }
            }
            rest = &after[close + 2..];
            if !rest.is_empty() && !rest[0].is_ascii_whitespace() {
                return None;
            }
        }
    }
}

impl<'s, R: Read> SheetScanner<'s, R> {
    pub(crate) fn new(input: R, ctx: Context<'s>) -> Self {
        SheetScanner {
            input,
            buf: vec![0; CHUNK],
            pos: 0,
            len: 0,
            eof: false,
            ctx,
            row: 0,
            col: 0,
            in_cells: false,
            done: false,
        }
    }

    /// Moves what is left to the front and inflates more; false when
    /// nothing more comes (the end, a damaged stream, a cell too long).
    fn fill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        self.buf.copy_within(self.pos..self.len, 0);
        self.len -= self.pos;
        self.pos = 0;
        if self.len == self.buf.len() {
            if self.buf.len() >= MAX_HELD {
                return false;
            }
            self.buf.resize(self.buf.len() * 2, 0);
        }
        match self.input.read(&mut self.buf[self.len..]) {
            Ok(0) | Err(_) => {
                self.eof = true;
                false
            }
            Ok(n) => {
                self.len += n;
                true
            }
        }
    }

    /// The next filled cell, the end, or that calamine must read the sheet.
    pub(crate) fn next(&mut self) -> Scanned<'s> {
        if self.done {
            return Scanned::End;
        }
        let found = self.next_inner();
        if !matches!(found, Scanned::Cell(..)) {
            self.done = true;
        }
        found
    }

    fn next_inner(&mut self) -> Scanned<'s> {
        if !self.in_cells {
            match self.skip_to_cells() {
                Some((true, _)) => self.in_cells = true,
                Some((false, _)) => return Scanned::End,
                None => return Scanned::Unsupported,
            }
        }
        loop {
            let Some(lt) = find(b'<', &self.buf[self.pos..self.len]) else {
                self.pos = self.len;
                if !self.fill() {
                    return Scanned::Unsupported;
                }
                continue;
            };
            self.pos += lt;
            let Some(gt) = find(b'>', &self.buf[self.pos..self.len]) else {
                if !self.fill() {
                    return Scanned::Unsupported;
                }
                continue;
            };
            let tag_end = self.pos + gt + 1;
            let tag = &self.buf[self.pos..tag_end];
            if tag.starts_with(b"</") {
                match tag[2..tag.len() - 1].trim_ascii_end() {
                    b"row" => {
                        self.row += 1;
                        self.col = 0;
                    }
                    b"sheetData" => return Scanned::End,
                    _ => return Scanned::Unsupported,
                }
                self.pos = tag_end;
                continue;
            }
            let Some(start) = Tag::parse(tag) else {
                return Scanned::Unsupported;
            };
            match start.name {
                b"row" => {
                    let Some([r]) = start.attrs([b"r"]) else {
                        return Scanned::Unsupported;
                    };
                    if let Some(r) = r {
                        match row_of(r) {
                            Some(row) => self.row = row,
                            None => return Scanned::Unsupported,
                        }
                    }
                    if start.empty {
                        self.row += 1;
                        self.col = 0;
                    }
                    self.pos = tag_end;
                }
                b"c" => {
                    let Some([r, s, t]) = start.attrs([b"r", b"s", b"t"]) else {
                        return Scanned::Unsupported;
                    };
                    let (body, next) = if start.empty {
                        (tag_end..tag_end, tag_end)
                    } else {
                        match cell_end(&self.buf[tag_end..self.len]) {
                            Some(close) => (tag_end..tag_end + close, tag_end + close + 4),
                            None => {
                                if !self.fill() {
                                    return Scanned::Unsupported;
                                }
                                continue;
                            }
                        }
                    };
                    let position = match r {
                        Some(r) => match cell_of(r) {
                            Some(at) => at,
                            None => return Scanned::Unsupported,
                        },
                        None => (self.row, self.col),
                    };
                    let Some(value) = value(&self.buf[body], s, t, self.ctx) else {
                        return Scanned::Unsupported;
                    };
                    self.col = position.1 + 1;
                    self.pos = next;
                    if !matches!(value, DataRef::Empty) {
                        return Scanned::Cell(position, value);
                    }
                }
                _ => return Scanned::Unsupported,
            }
        }
    }

    /// Reads up to the sheet's cells and returns the rows its `dimension`
    /// declares, counted as calamine counts them (1 when it declares none);
    /// `None` when the cells' start or a well-formed dimension cannot be
    /// found: calamine then reads the sheet and says why it cannot. Called
    /// before the first [`SheetScanner::next`], or not at all.
    pub(crate) fn start(&mut self) -> Option<u32> {
        if self.in_cells || self.done {
            return None;
        }
        let (cells, declared) = self.skip_to_cells()?;
        self.in_cells = cells;
        self.done = !cells;
        Some(declared)
    }

    /// Reads past the start of `sheetData`: whether it has cells (not
    /// `<sheetData/>`) and the rows declared before it; `None` when either
    /// cannot be read.
    fn skip_to_cells(&mut self) -> Option<(bool, u32)> {
        loop {
            if let Some(at) = memmem::find(&self.buf[self.pos..self.len], b"<sheetData") {
                let at = self.pos + at;
                if let Some(gt) = memchr(b'>', &self.buf[at..self.len]) {
                    let tag = &self.buf[at..at + gt + 1];
                    let start = Tag::parse(tag)?;
                    if start.name != b"sheetData" {
                        return None;
                    }
                    let declared = declared_rows(&self.buf[self.pos..at])?;
                    self.pos = at + gt + 1;
                    return Some((!start.empty, declared));
                }
            }
            if !self.fill() {
                return None;
            }
        }
    }
}

/// The rows a sheet's `dimension` (in what comes before its cells)
/// declares: its last row, from 1; 1 without one, as calamine counts.
fn declared_rows(prelude: &[u8]) -> Option<u32> {
    let Some(at) = memmem::find(prelude, b"<dimension") else {
        return Some(1);
    };
    let gt = find(b'>', &prelude[at..])?;
    let tag = Tag::parse(&prelude[at..at + gt + 1])?;
    if tag.name != b"dimension" {
        return None;
    }
    let [Some(range)] = tag.attrs([b"ref"])? else {
        return None;
    };
    Some(
        crate::grid::merges::dimension(range)?
            .end
            .0
            .saturating_add(1),
    )
}

/// Where `byte` first is in `hay`. Tags, attributes and values are a few
/// bytes long: a plain loop finds them sooner than a vectorised search,
/// whose setup costs more than the search.
#[inline]
fn find(byte: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == byte)
}

/// Where a cell's `</c>` is in what follows its start tag.
fn cell_end(hay: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(lt) = find(b'<', &hay[i..]) {
        let at = i + lt;
        if hay[at + 1..].starts_with(b"/c>") {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// A cell's value from what lies between `<c …>` and `</c>`: the last of
/// its `v`, `f` and `is` decides, as in calamine.
fn value<'s>(
    body: &[u8],
    style: Option<&[u8]>,
    typ: Option<&[u8]>,
    ctx: Context<'s>,
) -> Option<DataRef<'s>> {
    let mut value = DataRef::Empty;
    let mut i = 0;
    while let Some(lt) = find(b'<', &body[i..]) {
        let at = i + lt;
        let gt = at + find(b'>', &body[at..])?;
        let tag = Tag::parse(&body[at..=gt])?;
        let after = gt + 1;
        match tag.name {
            b"v" => {
                let (text, end) = if tag.empty {
                    (&body[after..after], after)
                } else {
                    let close = after + find(b'<', &body[after..])?;
                    if !body[close..].starts_with(b"</v>") {
                        return None;
                    }
                    (&body[after..close], close + 4)
                };
                value = v_value(text, style, typ, ctx)?;
                i = end;
            }
            b"f" => {
                i = if tag.empty {
                    after
                } else {
                    after + memmem::find(&body[after..], b"</f>")? + 4
                };
                value = DataRef::Empty;
            }
            b"is" => {
                let end = if tag.empty {
                    after
                } else {
                    after + memmem::find(&body[after..], b"</is>")? + 5
                };
                value = DataRef::String(inline_string(&body[at..end])?);
                i = end;
            }
            _ => return None,
        }
    }
    Some(value)
}

/// The value of a `<v>` holding `text`, by the cell's type and style.
fn v_value<'s>(
    text: &[u8],
    style: Option<&[u8]>,
    typ: Option<&[u8]>,
    ctx: Context<'s>,
) -> Option<DataRef<'s>> {
    match typ {
        Some(b"inlineStr" | b"is") => return Some(DataRef::Empty),
        None | Some(b"n" | b"s" | b"b" | b"e") => {}
        Some(b"str" | b"d") => {
            // Texts needing entities or line ends resolved are calamine's.
            if text.contains(&b'&') || text.contains(&b'\r') {
                return None;
            }
            let text = std::str::from_utf8(text).ok()?.to_string();
            return Some(match typ {
                Some(b"str") => DataRef::String(text),
                _ => DataRef::DateTimeIso(text),
            });
        }
        Some(_) => return None,
    }
    // Only the text before an entity counts, as in calamine.
    let text = match find(b'&', text) {
        Some(amp) => &text[..amp],
        None => text,
    };
    if text.is_empty() {
        return Some(DataRef::Empty);
    }
    match typ {
        Some(b"s") => ctx.strings.get(digits(text)?).map(DataRef::SharedString),
        Some(b"b") => Some(DataRef::Bool(text != b"0")),
        Some(b"e") => std::str::from_utf8(text)
            .ok()?
            .parse::<CellErrorType>()
            .ok()
            .map(DataRef::Error),
        _ => {
            let number = match exact_decimal(text) {
                Some(number) => number,
                None => plain_number(text)?.parse().ok()?,
            };
            let kind = match style {
                None => None,
                Some(style) => ctx.kinds.get(digits(style)?).copied().flatten(),
            };
            Some(match kind {
                Some(kind) => DataRef::DateTime(ExcelDateTime::new(number, kind, ctx.is_1904)),
                None => DataRef::Float(number),
            })
        }
    }
}

/// A decimal of at most 15 significant digits and 22 decimals (`-1234.5`):
/// its digits and the power of ten are both exact as floats, so their
/// quotient is the correctly rounded value any float parser gives.
fn exact_decimal(text: &[u8]) -> Option<f64> {
    const POWERS: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let (negative, digits) = match text.strip_prefix(b"-") {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mut mantissa, mut decimals, mut seen_dot, mut count) = (0u64, 0usize, false, 0usize);
    let mut any = false;
    for &b in digits {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                // Leading zeros are not significant digits.
                count += usize::from(mantissa > 0);
                decimals += usize::from(seen_dot);
                any = true;
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => return None,
        }
        if count > 15 {
            return None;
        }
    }
    if !any || decimals >= POWERS.len() {
        return None;
    }
    let value = mantissa as f64 / POWERS[decimals];
    Some(if negative { -value } else { value })
}

/// A run of ASCII digits as a number (an index).
fn digits(text: &[u8]) -> Option<usize> {
    if text.is_empty() || text.len() > 9 || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(text.iter().fold(0, |n, d| n * 10 + usize::from(d - b'0')))
}

/// `text` if it is a decimal number as spreadsheets write them
/// (`-12.5`, `3E-2`), which every float parser reads alike.
fn plain_number(text: &[u8]) -> Option<&str> {
    let rest = text.strip_prefix(b"-").unwrap_or(text);
    let (mantissa, exponent) = match rest.iter().position(|b| matches!(b, b'e' | b'E')) {
        Some(e) => (&rest[..e], Some(&rest[e + 1..])),
        None => (rest, None),
    };
    let (whole, fraction) = match find(b'.', mantissa) {
        Some(dot) => (&mantissa[..dot], &mantissa[dot + 1..]),
        None => (mantissa, &b""[..]),
    };
    let all_digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let number =
        !(whole.is_empty() && fraction.is_empty()) && all_digits(whole) && all_digits(fraction);
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e
            .strip_prefix(b"-")
            .or_else(|| e.strip_prefix(b"+"))
            .unwrap_or(e);
        !e.is_empty() && e.len() <= 4 && all_digits(e)
    });
    (number && exponent_ok).then(|| std::str::from_utf8(text).ok())?
}

/// A cell reference's (row, column) from 0 (`B12` is (11, 1)).
fn cell_of(reference: &[u8]) -> Option<(u32, u32)> {
    let letters = reference
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = reference[..letters].iter().fold(0u32, |n, b| {
        n * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1
    });
    Some((row_digits(&reference[letters..])?, col - 1))
}

/// A row reference's row from 0; letters before the digits are ignored.
fn row_of(reference: &[u8]) -> Option<u32> {
    let letters = reference
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    if letters > 3 {
        return None;
    }
    row_digits(&reference[letters..])
}

fn row_digits(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 7 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let row = digits
        .iter()
        .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    row.checked_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_decimals_read_as_the_float_parser_reads_them() {
        // A fixed walk over the shapes ledgers hold: yuan, 万元 with
        // decimals, tiny shares, negative corrections.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..200_000 {
            let digits = 1 + next() % 15;
            let mantissa = next() % 10u64.pow(digits as u32);
            let decimals = (next() % (digits + 1)) as usize;
            let mut text = mantissa.to_string();
            if decimals > 0 {
                while text.len() <= decimals {
                    text.insert(0, '0');
                }
                text.insert(text.len() - decimals, '.');
            }
            if next() % 4 == 0 {
                text.insert(0, '-');
            }
            let parsed: f64 = text.parse().unwrap();
            assert_eq!(
                exact_decimal(text.as_bytes()).map(f64::to_bits),
                Some(parsed.to_bits()),
                "{text}"
            );
        }
        for longer in [
            "1234567890123456",
            "1e5",
            "1.5E-3",
            "",
            "-",
            ".",
            "1.2.3",
            "12a",
        ] {
            assert_eq!(exact_decimal(longer.as_bytes()), None, "{longer}");
        }
        assert_eq!(exact_decimal(b".5"), Some(0.5));
    }
}
