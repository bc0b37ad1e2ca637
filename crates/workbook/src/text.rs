//! Small text helpers shared by header matching and value parsing: folding
//! full-width forms to ASCII and dropping the blanks people put inside cells
//! to make them line up when printed.

use std::borrow::Cow;

/// Full-width ASCII forms (Ａ-Ｚ, ０-９, （）, ：, －…) become ASCII; the
/// ideographic space becomes a space. Chinese punctuation without an ASCII
/// twin (、。“”) is kept.
pub(crate) fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

pub(crate) fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' => ' ',
        '【' | '〔' => '[',
        '】' | '〕' => ']',
        '—' | '–' | '‐' | '−' => '-',
        '〜' => '~',
        _ => c,
    }
}

/// Folded, with every blank (spaces, tabs, line breaks) removed: "总 投 资\n（亿元）"
/// → "总投资(亿元)".
pub(crate) fn compact(text: &str) -> String {
    // Room for the whole text at once (folding never lengthens it): a
    // filtered iterator gives no size hint, and the String grew char by char.
    let mut out = String::with_capacity(text.len());
    out.extend(text.chars().map(fold_char).filter(|c| !c.is_whitespace()));
    out
}

/// [`compact`], borrowing the text when nothing in it would change: no byte
/// of it can begin a blank or a character folded (every such character
/// beyond ASCII begins with 0xC2, 0xE1, 0xE2, 0xE3 or 0xEF), as in most
/// names and labels, asked of several cells of every row.
pub(crate) fn compact_cow(text: &str) -> Cow<'_, str> {
    let unchanged = text.bytes().all(|b| {
        !(b.is_ascii_whitespace() || matches!(b, 0x0B | 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF))
    });
    match unchanged {
        true => Cow::Borrowed(text),
        false => Cow::Owned(compact(text)),
    }
}

/// `text.trim()`, answered from the bytes at either end when neither can
/// begin a blank: every blank but ASCII's starts with one of 0xC2, 0xE1,
/// 0xE2, 0xE3, and a cell usually begins and ends with a Chinese character
/// or a digit. Cells are trimmed several times each in the row walk, and
/// deciding whether a Chinese character is a blank took a table lookup.
pub(crate) fn trim(text: &str) -> &str {
    let b = text.as_bytes();
    let may_be_blank =
        |lead: u8| lead.is_ascii_whitespace() || matches!(lead, 0x0B | 0xC2 | 0xE1 | 0xE2 | 0xE3);
    let (Some(&first), Some(last)) = (b.first(), b.iter().rev().find(|&&x| x & 0xC0 != 0x80))
    else {
        return text.trim();
    };
    match may_be_blank(first) || may_be_blank(*last) {
        true => text.trim(),
        false => text,
    }
}

/// Whether the text is all blanks (or empty).
pub(crate) fn is_blank(text: &str) -> bool {
    trim(text).is_empty()
}

/// Trimmed, with runs of blanks and line breaks collapsed to one space, for
/// showing a header or a cell on one line.
pub(crate) fn one_line(text: &str) -> String {
    let text = trim(text);
    // Most cells are one line already: copied whole rather than char by char.
    let b = text.as_bytes();
    // Every blank but the space starts with one of these bytes.
    let other_blanks = b
        .iter()
        .any(|x| matches!(x, 0x09..=0x0D | 0xC2 | 0xE1 | 0xE2 | 0xE3))
        && text.chars().any(|c| c != ' ' && c.is_whitespace());
    let double_space = memchr::memchr_iter(b' ', b).any(|i| b.get(i + 1) == Some(&b' '));
    if !other_blanks && !double_space {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = true;
        } else {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        }
    }
    out
}

/// Cells people fill in to say "nothing here".
pub(crate) fn is_blank_marker(text: &str) -> bool {
    // Asked of every text cell read into a field: most are longer than any
    // marker word, and are answered without building the compact text.
    let chars = text.chars().map(fold_char).filter(|c| !c.is_whitespace());
    let mark = |c: char| matches!(c, '-' | '/' | '\\' | '—' | '…' | '.' | '、');
    if chars.clone().all(mark) {
        return true;
    }
    if chars.clone().nth(4).is_some() {
        return false;
    }
    matches!(
        compact(text).as_str(),
        "无" | "暂无"
            | "空"
            | "/无"
            | "N/A"
            | "n/a"
            | "NA"
            | "null"
            | "NULL"
            | "不涉及"
            | "未定"
            | "待填"
    )
}

/// Value of a run of Chinese numerals 一..九十九 (section numbers).
pub(crate) fn chinese_numeral(text: &str) -> Option<u32> {
    let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c);
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        [] => None,
        ['十'] => Some(10),
        ['十', d] => digit(*d).map(|d| 10 + d as u32),
        [t, '十'] => digit(*t).map(|t| t as u32 * 10),
        [t, '十', d] => Some(digit(*t)? as u32 * 10 + digit(*d)? as u32),
        [d] => digit(*d).map(|d| d as u32),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(compact("总 投 资\n（亿元）"), "总投资(亿元)");
        assert_eq!(fold("１２３，４５６．７"), "123,456.7");
        assert_eq!(one_line("  建设内容\n及规模  "), "建设内容 及规模");
        assert_eq!(compact("2023—2024"), "2023-2024");
        // One line already, copied whole; or with other blanks, collapsed.
        assert_eq!(one_line(" 总投资 (万元) "), "总投资 (万元)");
        assert_eq!(one_line("总投资  万元"), "总投资 万元");
        assert_eq!(
            one_line("总投资\u{3000}万元、\u{a0}亿元"),
            "总投资 万元、 亿元"
        );
        assert_eq!(one_line("a\tb\u{2009}c"), "a b c");
    }

    #[test]
    fn compacting_borrows_only_what_would_not_change() {
        let mut texts: Vec<String> = (0..=0xFFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| c.is_whitespace() || fold_char(c) != c)
            .map(|c| format!("项目{c}名称"))
            .collect();
        texts.extend(["", "项目名称", "2023年", "a b", "合计(12个)"].map(String::from));
        for text in &texts {
            assert_eq!(compact_cow(text), compact(text), "{text:?}");
        }
        assert!(matches!(compact_cow("太原1号项目"), Cow::Borrowed(_)));
    }

    #[test]
    fn trimming_is_strs() {
        let blanks: Vec<char> = (0..=0x3000u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        let mut texts = vec![
            String::new(),
            "总投资".into(),
            "a".into(),
            "1.5".into(),
            "é".into(),
        ];
        for &blank in &blanks {
            for core in ["项目", "x", "", "é"] {
                texts.push(format!("{blank}{core}"));
                texts.push(format!("{core}{blank}"));
                texts.push(format!("{blank}{core}{blank}"));
            }
        }
        for text in &texts {
            assert_eq!(trim(text), text.trim(), "{text:?}");
            assert_eq!(is_blank(text), text.trim().is_empty(), "{text:?}");
        }
    }

    #[test]
    fn blank_markers() {
        for t in ["", " ", "—", "——", "-", "/", "无", "暂无", "　", "…"] {
            assert!(is_blank_marker(t), "{t:?}");
        }
        for t in ["0", "约1亿", "否", "无锡"] {
            assert!(!is_blank_marker(t), "{t:?}");
        }
    }

    #[test]
    fn numerals() {
        let cases = [
            ("一", 1),
            ("九", 9),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("三十五", 35),
        ];
        for (t, n) in cases {
            assert_eq!(chinese_numeral(t), Some(n), "{t}");
        }
        assert_eq!(chinese_numeral("百"), None);
    }
}
