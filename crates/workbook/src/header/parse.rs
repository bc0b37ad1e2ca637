//! Taking a header text apart: its unit, a leading year, a month range and the core to match.

use super::HeaderText;
use crate::field::Unit;
use crate::text::{compact, fold_char, one_line};

/// Unit words, longest first so "万平方米" is not read as "平方米".
const UNIT_WORDS: &[(&str, Unit)] = &[
    ("万平方米", Unit::WanSquareMetre),
    ("万平米", Unit::WanSquareMetre),
    ("万㎡", Unit::WanSquareMetre),
    ("万m2", Unit::WanSquareMetre),
    ("万m²", Unit::WanSquareMetre),
    ("平方米", Unit::SquareMetre),
    ("平米", Unit::SquareMetre),
    ("㎡", Unit::SquareMetre),
    ("m2", Unit::SquareMetre),
    ("m²", Unit::SquareMetre),
    ("公顷", Unit::Hectare),
    ("亿元", Unit::Yi),
    ("万元", Unit::Wan),
    ("亿", Unit::Yi),
    ("万", Unit::Wan),
    ("元", Unit::Yuan),
    ("亩", Unit::Mu),
    ("人", Unit::Person),
    ("个", Unit::Person),
];

/// The unit a short text names exactly ("万元", "单位:亿元", "亩").
pub(crate) fn unit_word(text: &str) -> Option<Unit> {
    let t = compact(text);
    let t = t
        .trim_start_matches("金额")
        .trim_start_matches("计量")
        .trim_start_matches("单位")
        .trim_start_matches(':');
    UNIT_WORDS.iter().find(|(w, _)| *w == t).map(|(_, u)| *u)
}

pub(crate) fn parse_header(raw: &str) -> HeaderText {
    HeaderText {
        shown: one_line(raw),
        ..header_core(raw)
    }
}

/// [`parse_header`] without the text as shown, which [`classify`] does not
/// look at: the repeated-header check asks this of every text cell of every
/// row, so the common case (no brackets, unit, year or months) is a single
/// pass that builds one String.
///
/// [`classify`]: super::classify
pub(crate) fn header_core(raw: &str) -> HeaderText {
    // `compact` with the marks removed, in one pass (see `compact` on the
    // room asked for).
    let mut text = String::with_capacity(raw.len());
    text.extend(
        raw.chars()
            .map(fold_char)
            .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '★' | '※' | '△' | '▲')),
    );
    if !text.contains(['(', '[']) {
        return unit_year_months(text, None);
    }

    // Bracketed parts are units or remarks ("(是/否)", "(年月)"): the unit is
    // kept, the rest is not part of what the header means.
    let mut unit = None;
    let mut core = String::new();
    let mut depth = 0;
    let mut inner = String::new();
    for c in text.chars() {
        match c {
            '(' | '[' => {
                depth += 1;
                if depth == 1 {
                    inner.clear();
                    continue;
                }
            }
            ')' | ']' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    if unit.is_none() {
                        unit = unit_in(&inner);
                    }
                    continue;
                }
            }
            _ => {}
        }
        if depth > 0 {
            inner.push(c);
        } else {
            core.push(c);
        }
    }
    if depth > 0 {
        // An unclosed bracket: keep the text, it is not a remark.
        core.push('(');
        core.push_str(&inner);
    }
    unit_year_months(core, unit)
}

/// The rest of [`header_core`], after the brackets: a unit word at the end,
/// the year, the months.
fn unit_year_months(mut core: String, mut unit: Option<Unit>) -> HeaderText {
    // "总投资/亿元", "总投资:万元", "总投资万元", "单位:万元". The text only
    // changes when it ends with a unit word, which most texts do not.
    if UNIT_WORDS
        .iter()
        .any(|(w, u)| !matches!(u, Unit::Person) && core.ends_with(w))
    {
        for (word, u) in UNIT_WORDS {
            if matches!(u, Unit::Person) {
                continue;
            }
            for sep in ["/", ":", "单位:", "单位", ""] {
                // Stripped in two steps: this runs for every text cell of every
                // row, and building "{sep}{word}" each time was most of the cost.
                let stripped = core.strip_suffix(word).and_then(|s| s.strip_suffix(sep));
                if let Some(stripped) = stripped {
                    let bare_unit_ok = !sep.is_empty() || word.chars().count() >= 2;
                    if !stripped.is_empty() && bare_unit_ok {
                        unit = unit.or(Some(*u));
                        core = stripped.trim_end_matches(['/', ':', ',']).to_string();
                    }
                }
            }
        }
    }

    let (core, year) = match may_have_year(&core) {
        true => take_year(&core),
        false => (core, None),
    };
    let (core, months) = match may_have_months(&core) {
        true => take_months(&core),
        false => (core, None),
    };
    HeaderText {
        shown: String::new(),
        core,
        unit,
        year,
        months,
    }
}

/// A unit named inside brackets: "(万元)", "(单位:亿元)", "(亩)".
fn unit_in(inner: &str) -> Option<Unit> {
    let t = inner
        .rsplit(':')
        .next()
        .unwrap_or(inner)
        .trim_start_matches("单位");
    UNIT_WORDS
        .iter()
        .find(|(w, _)| *w == t)
        .map(|(_, u)| *u)
        .or_else(|| unit_word(inner))
}

/// Whether 年 follows four ASCII digits, as in every year [`take_year`] reads
/// ("1年产1万吨" in a project's name has none).
fn may_have_year(core: &str) -> bool {
    let b = core.as_bytes();
    core.match_indices('年')
        .any(|(i, _)| i >= 4 && b[i - 4..i].iter().all(u8::is_ascii_digit))
}

/// Every form [`take_months`] reads has a digit, 月 and a range or cut-off
/// mark ("1-6月", "1至6月", "截止6月"), or one of these words.
fn may_have_months(core: &str) -> bool {
    let numbered = core.contains('月')
        && core.bytes().any(|b| b.is_ascii_digit())
        && (core.contains(['-', '~', '至', '到']) || core.contains("截止"));
    // A char is found with memchr; `str::contains` with a word sets up a
    // Two-Way searcher, more than the search costs for a short text.
    numbered
        || (core.contains('季') && core.contains("季度"))
        || (core.contains('半') && core.contains("上半年"))
}

/// Removes "2023年" / "2023年度" and returns the year.
pub(crate) fn take_year(core: &str) -> (String, Option<i32>) {
    // Most texts (every text cell of every row is tried as a repeated
    // header) have no year: no 年 or no digit, nothing to take apart.
    if !may_have_year(core) {
        return (core.to_string(), None);
    }
    let chars: Vec<char> = core.chars().collect();
    for i in 0..chars.len() {
        if i + 4 < chars.len()
            && chars[i..i + 4].iter().all(|c| c.is_ascii_digit())
            && chars[i + 4] == '年'
            && (i == 0 || !chars[i - 1].is_ascii_digit())
        {
            let year: i32 = match chars[i..i + 4].iter().collect::<String>().parse() {
                Ok(year) if (1990..=2100).contains(&year) => year,
                _ => continue,
            };
            let mut end = i + 5;
            if chars.get(end) == Some(&'度') {
                end += 1;
            }
            let rest: String = chars[..i].iter().chain(&chars[end..]).collect();
            return (rest, Some(year));
        }
    }
    (core.to_string(), None)
}

/// Removes a month range ("1-6月", "1至6月份", "截至6月底", "上半年", "一季度",
/// "前三季度") and returns it.
pub(crate) fn take_months(core: &str) -> (String, Option<(u8, u8)>) {
    if !may_have_months(core) {
        return (core.to_string(), None);
    }
    let chars: Vec<char> = core.chars().collect();
    let n = chars.len();
    let num_at = |i: usize| -> Option<(u8, usize)> {
        let mut j = i;
        while j < n && chars[j].is_ascii_digit() && j - i < 2 {
            j += 1;
        }
        if j == i {
            return None;
        }
        let v: u8 = chars[i..j].iter().collect::<String>().parse().ok()?;
        Some((v, j))
    };
    let cut =
        |from: usize, to: usize| -> String { chars[..from].iter().chain(&chars[to..]).collect() };
    for i in 0..n {
        if i > 0 && chars[i - 1].is_ascii_digit() {
            continue;
        }
        if let Some((a, j)) = num_at(i) {
            if j < n && matches!(chars[j], '-' | '~' | '至' | '到') {
                if let Some((b, k)) = num_at(j + 1) {
                    if k < n && chars[k] == '月' && (1..=12).contains(&a) && (a..=12).contains(&b)
                    {
                        let mut end = k + 1;
                        if chars.get(end) == Some(&'份') {
                            end += 1;
                        }
                        return (cut(i, end), Some((a, b)));
                    }
                }
            }
        }
    }
    for prefix in ["截至", "截止", "截止到", "至"] {
        let p: Vec<char> = prefix.chars().collect();
        for i in 0..n.saturating_sub(p.len()) {
            if chars[i..i + p.len()] == p[..] {
                if let Some((m, j)) = num_at(i + p.len()) {
                    if j < n && chars[j] == '月' && (1..=12).contains(&m) {
                        let mut end = j + 1;
                        while end < n && matches!(chars[end], '底' | '末' | '份') {
                            end += 1;
                        }
                        return (cut(i, end), Some((1, m)));
                    }
                }
            }
        }
    }
    let text: String = chars.iter().collect();
    for (word, months) in [
        ("前三季度", (1, 9)),
        ("上半年", (1, 6)),
        ("一季度", (1, 3)),
        ("1季度", (1, 3)),
        ("第一季度", (1, 3)),
    ] {
        if let Some(pos) = text.find(word) {
            let mut rest = text.clone();
            rest.replace_range(pos..pos + word.len(), "");
            let rest = rest.trim_start_matches('第').to_string();
            return (rest, Some(months));
        }
    }
    (text, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_carry_units_years_and_months() {
        type Case<'a> = (&'a str, Option<Unit>, Option<i32>, Option<(u8, u8)>);
        let cases: &[Case] = &[
            ("总投资（亿元）", Some(Unit::Yi), None, None),
            ("总投资(万元)", Some(Unit::Wan), None, None),
            ("总投资（单位：万元）", Some(Unit::Wan), None, None),
            ("总投资/亿元", Some(Unit::Yi), None, None),
            ("总投资万元", Some(Unit::Wan), None, None),
            ("用地面积（亩）", Some(Unit::Mu), None, None),
            ("建筑面积(㎡)", Some(Unit::SquareMetre), None, None),
            (
                "建筑面积（万平方米）",
                Some(Unit::WanSquareMetre),
                None,
                None,
            ),
            ("2023年计划投资", None, Some(2023), None),
            (
                "2023年度计划投资（万元）",
                Some(Unit::Wan),
                Some(2023),
                None,
            ),
            ("1-6月完成投资", None, None, Some((1, 6))),
            ("2024年1至9月份完成投资", None, Some(2024), Some((1, 9))),
            ("截至6月底完成投资", None, None, Some((1, 6))),
            ("上半年完成投资", None, None, Some((1, 6))),
            ("前三季度完成投资", None, None, Some((1, 9))),
        ];
        for (raw, unit, year, months) in cases {
            let h = parse_header(raw);
            assert_eq!((h.unit, h.year, h.months), (*unit, *year, *months), "{raw}");
        }
        assert_eq!(
            parse_header("总 投 资\n（亿元）").shown,
            "总 投 资 （亿元）"
        );
        assert_eq!(parse_header("2023年1-6月完成投资（万元）").core, "完成投资");
        // What the quick looks ahead let through, or not.
        assert_eq!(take_year("太原1年产1万吨项目").1, None);
        assert_eq!(take_year("x2023年").1, Some(2023));
        assert_eq!(take_months("6月").1, None);
        assert_eq!(
            take_months("截止6月底完成投资"),
            ("完成投资".into(), Some((1, 6)))
        );
        assert_eq!(take_months("1~3月").1, Some((1, 3)));
        assert_eq!(take_months("1到9月").1, Some((1, 9)));
    }

    #[test]
    fn unit_words() {
        assert_eq!(unit_word("万元"), Some(Unit::Wan));
        assert_eq!(unit_word("单位：亿元"), Some(Unit::Yi));
        assert_eq!(unit_word("金额单位:万元"), Some(Unit::Wan));
        assert_eq!(unit_word("万元以上"), None);
    }
}
