//! CSV text: decoding its bytes (UTF-8, UTF-16 with a BOM, or GBK), guessing its delimiter.

use std::borrow::Cow;

/// Decodes CSV bytes: a byte-order mark decides; otherwise UTF-8 when valid,
/// else GBK. Valid UTF-8 is read in place, without a copy.
pub(crate) fn decode_text(bytes: &[u8]) -> (Cow<'_, str>, &'static str, bool) {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_with_bom_removal(bytes);
        return (text, encoding.name(), had_errors);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), "UTF-8", false),
        Err(_) => {
            let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(bytes);
            (text, "GBK", had_errors)
        }
    }
}

/// Comma, tab or semicolon: whichever appears most often (outside quotes) in
/// the first lines. A single-column file is read with commas.
pub(super) fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b'\t', 0), (b';', 0)];
    let mut quoted = false;
    for line in text.lines().take(30) {
        for c in line.bytes() {
            if c == b'"' {
                quoted = !quoted;
            } else if !quoted {
                for (d, n) in counts.iter_mut() {
                    if *d == c {
                        *n += 1;
                    }
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(b',', |(d, _)| *d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_encodings() {
        let (gbk, _, _) = encoding_rs::GBK.encode("项目名称,总投资");
        let (text, encoding, errors) = decode_text(&gbk);
        assert_eq!(
            (text.as_ref(), encoding, errors),
            ("项目名称,总投资", "GBK", false)
        );

        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("项目名称".as_bytes());
        let (text, encoding, _) = decode_text(&bom);
        assert_eq!((text.as_ref(), encoding), ("项目名称", "UTF-8"));

        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "序号\t项目名称".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let (text, encoding, _) = decode_text(&utf16);
        assert_eq!((text.as_ref(), encoding), ("序号\t项目名称", "UTF-16LE"));
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc\n\"1,5\"\t2\t3"), b'\t');
        assert_eq!(sniff_delimiter("a;b;c"), b';');
        assert_eq!(sniff_delimiter("abc"), b',');
    }
}
