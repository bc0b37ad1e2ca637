//! Text handling for the SVG: XML escaping and width estimates.
//!
//! The renderer cannot measure fonts (no font files, no I/O), so widths are
//! estimated: a CJK or full-width character is one em wide, anything else
//! about 0.55 em. That is slightly generous for Latin text, which errs on
//! the side of truncating a little early rather than overflowing a column.

/// Escape text for use both as element content and inside a double- or
/// single-quoted attribute. Characters XML 1.0 forbids (most C0 controls,
/// U+FFFE, U+FFFF) are dropped so a stray byte in the data cannot make the
/// whole document unparseable.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Newlines and tabs would be collapsed by SVG anyway; keep one space.
            '\n' | '\r' | '\t' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// True for characters drawn one em wide in CJK fonts.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F       // Hangul Jamo
        | 0x2E80..=0x303E     // CJK radicals, symbols and punctuation
        | 0x3041..=0x33FF     // kana, bopomofo, CJK compatibility
        | 0x3400..=0x4DBF     // CJK extension A
        | 0x4E00..=0x9FFF     // CJK unified ideographs
        | 0xA000..=0xA4CF     // Yi
        | 0xAC00..=0xD7A3     // Hangul syllables
        | 0xF900..=0xFAFF     // CJK compatibility ideographs
        | 0xFE30..=0xFE4F     // CJK compatibility forms
        | 0xFF00..=0xFF60     // full-width forms
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD   // CJK extensions B and later
    )
}

/// Width of one character in ems.
fn char_em(c: char) -> f64 {
    if is_wide(c) {
        1.0
    } else {
        0.55
    }
}

/// Estimated drawn width of `s` at `font_size`.
pub(crate) fn width(s: &str, font_size: f64) -> f64 {
    s.chars().map(char_em).sum::<f64>() * font_size
}

/// `s` cut to fit `max_width` at `font_size`, with "…" appended when cut.
/// Works on characters, never on bytes, so Chinese text is never split
/// inside a character. Returns the text and whether it was cut.
pub(crate) fn truncate(s: &str, max_width: f64, font_size: f64) -> (String, bool) {
    if width(s, font_size) <= max_width {
        return (s.to_owned(), false);
    }
    let budget = max_width - char_em('…') * font_size;
    let mut used = 0.0;
    let mut out = String::new();
    for c in s.chars() {
        let w = char_em(c) * font_size;
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    // Do not leave a dangling space before the ellipsis.
    let trimmed_len = out.trim_end().len();
    out.truncate(trimmed_len);
    out.push('…');
    (out, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_controls() {
        assert_eq!(
            esc("a<b>&\"c\"'d'\u{1}\u{FFFF}\n"),
            "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39; "
        );
    }

    #[test]
    fn widths_count_cjk_as_one_em() {
        assert_eq!(width("开发区", 10.0), 30.0);
        assert!((width("ab", 10.0) - 11.0).abs() < 1e-9);
        assert_eq!(width("（，）", 10.0), 30.0);
    }

    #[test]
    fn truncates_chinese_by_characters() {
        let s = "山西转型综合改革示范区年产十万吨高性能碳纤维及复合材料项目";
        let (t, cut) = truncate(s, 130.0, 13.0);
        assert!(cut);
        // 130 wide at 13 per character: 9 characters plus the ellipsis.
        assert_eq!(t.chars().count(), 10);
        assert!(t.ends_with('…'));
        assert!(s.starts_with(t.trim_end_matches('…')));
        let (t, cut) = truncate("短名", 130.0, 13.0);
        assert_eq!((t.as_str(), cut), ("短名", false));
    }

    #[test]
    fn truncation_never_exceeds_the_width() {
        for s in [
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "混合Mixed文字text很长很长很长",
        ] {
            for max in [0.0, 5.0, 20.0, 50.0, 80.0] {
                let (t, _) = truncate(s, max, 10.0);
                assert!(width(&t, 10.0) <= max.max(10.0) + 1e-9, "{t} {max}");
            }
        }
    }
}
