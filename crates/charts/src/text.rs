//! Text handling for the SVG: XML escaping, width estimates, truncation and
//! wrapping of labels.
//!
//! The renderer cannot measure fonts (no font files, no I/O), so widths are
//! estimated: a CJK or full-width character is one em wide, anything else
//! about 0.55 em. That is slightly generous for Latin text, which errs on
//! the side of cutting a little early rather than overflowing a column.

/// Escape text for use both as element content and inside a quoted
/// attribute. Characters XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF)
/// are dropped so a stray byte in the data cannot make the whole document
/// unparseable.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // SVG collapses newlines and tabs anyway; keep one space.
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

fn char_em(c: char) -> f64 {
    if is_wide(c) {
        1.0
    } else {
        0.55
    }
}

/// Estimated drawn width of `s` at `font_size`.
pub fn width(s: &str, font_size: f64) -> f64 {
    s.chars().map(char_em).sum::<f64>() * font_size
}

/// `s` cut to fit `max_width` at `font_size`, with "…" appended when cut.
/// Works on characters, never bytes, so Chinese is never split inside a
/// character. Returns the text and whether it was cut.
pub fn truncate(s: &str, max_width: f64, font_size: f64) -> (String, bool) {
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
    let trimmed_len = out.trim_end().len();
    out.truncate(trimmed_len);
    out.push('…');
    (out, true)
}

/// Punctuation that belongs at the end of a line.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '）' | ')' | '，' | '。' | '、' | '：' | '；' | '》' | '」' | '”' | '％' | '%'
    )
}

/// `s` broken into at most `max_lines` lines of `max_width`, the last one
/// truncated with "…" if the text does not fit; returns the lines and
/// whether anything was cut. Chinese may break between any two characters,
/// which is the convention for headings; a line never starts with a space.
pub fn wrap(s: &str, max_width: f64, font_size: f64, max_lines: usize) -> (Vec<String>, bool) {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut used = 0.0;
    for c in s.chars() {
        let w = char_em(c) * font_size;
        if used + w > max_width && !line.is_empty() {
            // Closing punctuation must not start a line: carry the last
            // character over with it, as Chinese typesetting does.
            // Likewise an opening bracket must not end one.
            let mut carried = String::new();
            if is_closing(c) && line.chars().count() > 1 {
                carried.extend(line.pop());
            }
            while line.chars().count() > 1 && line.ends_with(['（', '(', '《', '「', '“']) {
                carried.insert(0, line.pop().unwrap_or(' '));
            }
            lines.push(std::mem::take(&mut line));
            used = width(&carried, font_size);
            line = carried;
        }
        if line.is_empty() && c == ' ' {
            continue;
        }
        line.push(c);
        used += w;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    let max_lines = max_lines.max(1);
    if lines.len() <= max_lines {
        return (lines, false);
    }
    let rest: String = lines[max_lines - 1..].concat();
    lines.truncate(max_lines - 1);
    // Force the cut: the rest is known not to fit on one line.
    let (last, _) = truncate(
        &rest,
        max_width.min(width(&rest, font_size) - 0.01),
        font_size,
    );
    lines.push(last);
    (lines, true)
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

    #[test]
    fn truncates_by_characters() {
        let (t, cut) = truncate("山西转型综合改革示范区", 70.0, 14.0);
        assert!(cut);
        assert_eq!(t, "山西转型…");
        assert_eq!(truncate("短名", 70.0, 14.0), ("短名".to_owned(), false));
    }

    #[test]
    fn wraps_long_headings_and_cuts_the_last_line() {
        let cases: [(&str, usize, &[&str], bool); 6] = [
            ("增速", 3, &["增速"], false),
            (
                "规模以上工业增加值增速",
                3,
                &["规模以上", "工业增加", "值增速"],
                false,
            ),
            (
                "规模以上工业企业营业收入增速",
                2,
                &["规模以上", "工业企…"],
                true,
            ),
            ("", 3, &[], false),
            (
                "实际利用外资（万美元）",
                3,
                &["实际利用", "外资（万", "美元）"],
                false,
            ),
            (
                "地区生产总值（%）",
                3,
                &["地区生产", "总值", "（%）"],
                false,
            ),
        ];
        for (s, max_lines, want, cut) in cases {
            let (lines, was_cut) = wrap(s, 56.0, 14.0, max_lines);
            assert_eq!(lines, want, "{s}");
            assert_eq!(was_cut, cut, "{s}");
            for l in &lines {
                assert!(width(l, 14.0) <= 56.0 + 1e-9, "{l}");
            }
        }
    }
}
