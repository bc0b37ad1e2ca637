//! Section numbers that open a heading: "一、", "（二）", "三.", "第四部分".

use crate::text::{chinese_numeral, compact, fold_char};

const NUMERALS: &str = "零一二三四五六七八九十";

/// A section number at the start of a text: "一、", "（二）", "三.", "第四部分".
pub(crate) fn section_number(text: &str) -> Option<u32> {
    // Asked of every label of every row: most do not open with a numeral,
    // which is seen from their first characters without copying them.
    let mut opening = text
        .chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace())
        .skip_while(|c| *c == '(');
    let first = match opening.next() {
        Some('第') => opening.next(),
        other => other,
    };
    if !first.is_some_and(|c| NUMERALS.contains(c)) {
        return None;
    }
    let t = compact(text);
    let t = t.trim_start_matches('(');
    let t = t.strip_prefix('第').unwrap_or(t);
    let numeral: String = t.chars().take_while(|c| NUMERALS.contains(*c)).collect();
    if numeral.is_empty() {
        return None;
    }
    let rest = &t[numeral.len()..];
    let follows = rest.starts_with(['、', '.', ')', ',', '，'])
        || rest.starts_with("部分")
        || rest.starts_with("类")
        || rest.starts_with("批");
    if follows {
        chinese_numeral(&numeral)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_numbers() {
        let cases = [
            ("一、产业类项目", Some(1)),
            ("（二）续建项目", Some(2)),
            ("三.社会民生", Some(3)),
            ("第四部分", Some(4)),
            ("十二、其他", Some(12)),
            ("一期工程", None),
            ("年产百万吨公路护栏项目", None),
        ];
        for (t, n) in cases {
            assert_eq!(section_number(t), n, "{t}");
        }
    }
}
