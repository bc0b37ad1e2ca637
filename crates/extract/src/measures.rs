//! Figures with units: "约18.6亿元", "500余人", "6800平方米", "年产200万只",
//! "40%以上", "不到40个工作日", "2×100万千瓦", "两栋", "百分之二十". Owns unit words,
//! their conversion to base units (exact, powers of ten) and qualifiers around a
//! figure (约, 余, 以上, 突破, 不到). Says nothing about what a figure means.

use crate::model::{Qualifier, Unit};
use crate::numbers::{self, Decimal};
use crate::text::{ends_with, starts_with};

/// A figure found in cleaned text. Indices are into the cleaned chars.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Measure {
    /// Start of the figure including a leading qualifier (约, 突破).
    pub start: usize,
    /// Start of the number itself.
    pub number_start: usize,
    /// End of the figure including a trailing qualifier (以上).
    pub end: usize,
    /// End of the unit word (before any trailing qualifier).
    pub unit_end: usize,
    /// Value in the base unit of `unit`.
    pub value: Decimal,
    /// `None` for a bare number such as "2.1亿" (money only by context).
    pub unit: Option<Unit>,
    /// The unit word as written: "元", "家", "个", "万平方米"'s "平方米".
    pub unit_word: &'static str,
    /// The number carried a 万/亿 multiplier: a bare one is likely money.
    pub has_multiplier: bool,
    pub qualifier: Option<Qualifier>,
}

/// Unit words, longest first among those sharing a start, with the power of ten
/// that converts them to the base unit.
const UNITS: &[(&str, Unit, u32)] = &[
    ("个工作日", Unit::WorkingDay, 0),
    ("个百分点", Unit::PercentagePoint, 0),
    ("个自然日", Unit::Day, 0),
    ("个月", Unit::Month, 0),
    ("工作日", Unit::WorkingDay, 0),
    ("百分点", Unit::PercentagePoint, 0),
    ("平方公里", Unit::SquareKilometre, 0),
    ("平方千米", Unit::SquareKilometre, 0),
    ("平方米", Unit::SquareMetre, 0),
    ("立方米", Unit::CubicMetre, 0),
    ("千瓦时", Unit::KilowattHour, 0),
    ("兆瓦时", Unit::KilowattHour, 3),
    ("美元", Unit::Usd, 0),
    ("平米", Unit::SquareMetre, 0),
    ("公顷", Unit::SquareMetre, 4),
    ("千瓦", Unit::Kilowatt, 0),
    ("兆瓦", Unit::Kilowatt, 3),
    ("吉瓦", Unit::Kilowatt, 6),
    ("km²", Unit::SquareKilometre, 0),
    ("GWh", Unit::KilowattHour, 6),
    ("MWh", Unit::KilowattHour, 3),
    ("kWh", Unit::KilowattHour, 0),
    ("m²", Unit::SquareMetre, 0),
    ("m³", Unit::CubicMetre, 0),
    ("㎡", Unit::SquareMetre, 0),
    ("GW", Unit::Kilowatt, 6),
    ("MW", Unit::Kilowatt, 3),
    ("kW", Unit::Kilowatt, 0),
    ("KW", Unit::Kilowatt, 0),
    ("元", Unit::Yuan, 0),
    ("亩", Unit::Mu, 0),
    ("吨", Unit::Tonne, 0),
    ("只", Unit::Piece, 0),
    ("件", Unit::Piece, 0),
    ("台", Unit::Piece, 0),
    ("套", Unit::Piece, 0),
    ("辆", Unit::Piece, 0),
    ("片", Unit::Piece, 0),
    ("人", Unit::Person, 0),
    ("名", Unit::Person, 0),
    ("位", Unit::Person, 0),
    ("个", Unit::Count, 0),
    ("项", Unit::Count, 0),
    ("家", Unit::Count, 0),
    ("户", Unit::Count, 0),
    ("栋", Unit::Building, 0),
    ("幢", Unit::Building, 0),
    ("座", Unit::Building, 0),
    ("期", Unit::Phase, 0),
    ("天", Unit::Day, 0),
    ("%", Unit::Percent, 0),
    ("％", Unit::Percent, 0),
];

/// Qualifiers written before the number, longest first.
const BEFORE: &[(&str, Qualifier)] = &[
    ("不少于", Qualifier::AtLeast),
    ("不低于", Qualifier::AtLeast),
    ("不超过", Qualifier::Under),
    ("大约", Qualifier::About),
    ("约为", Qualifier::About),
    ("将近", Qualifier::Nearly),
    ("接近", Qualifier::Nearly),
    ("超过", Qualifier::Exceeds),
    ("突破", Qualifier::Exceeds),
    ("高达", Qualifier::Exceeds),
    ("至少", Qualifier::AtLeast),
    ("不到", Qualifier::Under),
    ("不足", Qualifier::Under),
    ("低于", Qualifier::Under),
    ("少于", Qualifier::Under),
    ("约", Qualifier::About),
    ("近", Qualifier::Nearly),
    ("逾", Qualifier::Exceeds),
    ("超", Qualifier::Exceeds),
];

/// Qualifiers written after the unit.
const AFTER: &[(&str, Qualifier)] = &[
    ("以上", Qualifier::AtLeast),
    ("以下", Qualifier::Under),
    ("以内", Qualifier::Under),
    ("左右", Qualifier::About),
];

fn unit_at(chars: &[char], at: usize) -> Option<(&'static str, Unit, u32)> {
    let (word, unit, exp) = *UNITS.iter().find(|(w, _, _)| starts_with(chars, at, w))?;
    let next = chars.get(at + word.chars().count()).copied();
    // 人次 counts visits; 个人 is "individual"; 天然 is not days.
    let refused = match word {
        "人" => matches!(next, Some('次' | '民' | '员' | '才')),
        "天" => matches!(next, Some('然' | '津' | '气')),
        "名" => matches!(next, Some('单' | '称' | '片' | '义')),
        "位" => matches!(next, Some('于' | '置' | '列')),
        "个" => matches!(next, Some('人' | '性' | '体')),
        "台" => matches!(next, Some('账' | '阶' | '湾' | '风')),
        "件" => matches!(next, Some('事')),
        "期" => matches!(next, Some('间' | '限' | '待' | '望' | '末' | '初')),
        "家" => matches!(next, Some('乡' | '庭' | '园' | '门' | '长')),
        "座" => matches!(next, Some('谈')),
        "户" => matches!(next, Some('籍' | '型')),
        _ => false,
    };
    (!refused).then_some((word, unit, exp))
}

/// Where a number may begin: not in the middle of another number or of a code
/// like "D1" or "600481".
fn number_may_start(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    let prev = i.checked_sub(1).map(|p| chars[p]);
    if numbers::arabic_digit(c).is_some() {
        return !prev.is_some_and(|p| {
            numbers::arabic_digit(p).is_some()
                || p.is_ascii_alphabetic()
                || matches!(p, '.' | '．' | ',' | '×' | '-')
        });
    }
    numbers::is_numeral_char(c) && !prev.is_some_and(numbers::is_numeral_char)
}

/// All figures with a unit (or a bare 万/亿 multiplier) in `chars`, in order.
pub(crate) fn scan(chars: &[char]) -> Vec<Measure> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if starts_with(chars, i, "百分之") {
            if let Some(m) = percent_words(chars, i) {
                i = m.end;
                out.push(m);
                continue;
            }
        }
        if !number_may_start(chars, i) {
            i += 1;
            continue;
        }
        match measure_at(chars, i) {
            Some(m) => {
                i = m.end.max(i + 1);
                out.push(m);
            }
            None => {
                // Skip the rest of this number so that its tail is not read again.
                i = numbers::parse_at(chars, i).map_or(i + 1, |p| p.end.max(i + 1));
            }
        }
    }
    out
}

fn measure_at(chars: &[char], i: usize) -> Option<Measure> {
    let parsed = numbers::parse_at(chars, i)?;
    let has_multiplier = chars[i..parsed.end]
        .iter()
        .any(|c| matches!(c, '万' | '亿'));
    let mut j = parsed.end;
    // "100 MW": text taken from a PDF keeps a space before a Latin unit.
    if chars.get(j) == Some(&' ')
        && chars.get(j + 1).is_some_and(|c| c.is_ascii_alphabetic())
        && unit_at(chars, j + 1).is_some()
    {
        j += 1;
    }
    let mut qualifier = None;
    // 500余人, 30多个, 5亿多元
    if matches!(chars.get(j), Some('余' | '多')) && unit_at(chars, j + 1).is_some() {
        qualifier = Some(Qualifier::Over);
        j += 1;
    }
    let unit = unit_at(chars, j);
    // A date (7月17日) or a year (2023年) is not a figure.
    let bare_money = has_multiplier && !matches!(chars.get(j), Some('年' | '月' | '日'));
    if unit.is_none() && !bare_money {
        return None;
    }
    let (unit_word, unit, exp) = match unit {
        Some((w, u, e)) => (w, Some(u), e),
        None => ("", None, 0),
    };
    let unit_end = j + unit_word.chars().count();
    // 元/亩 is a ratio (产出强度), not an amount.
    if matches!(chars.get(unit_end), Some('/' | '／')) {
        return None;
    }
    let value = parsed.value.mul_pow10(exp)?;
    let mut end = unit_end;
    if let Some(&(w, q)) = AFTER.iter().find(|(w, _)| starts_with(chars, end, w)) {
        qualifier.get_or_insert(q);
        end += w.chars().count();
    }
    let mut start = i;
    if let Some(&(w, q)) = BEFORE.iter().find(|(w, _)| ends_with(chars, i, w)) {
        // 最近 / 附近 / 将近 are different words; 超 in 超高 is not before a number.
        let n = w.chars().count();
        let word_before = i.checked_sub(n + 1).map(|p| chars[p]);
        let joined = (w == "近" && matches!(word_before, Some('最' | '附' | '邻' | '就')))
            // 签约100MW风电项目 / 预约 / 节约: 约 ends another word.
            || (w == "约" && matches!(word_before, Some('签' | '预' | '节' | '履' | '制' | '特')));
        if !joined {
            qualifier.get_or_insert(q);
            start = i - n;
        }
    }
    Some(Measure {
        start,
        number_start: i,
        end,
        unit_end,
        value,
        unit,
        unit_word,
        has_multiplier,
        qualifier,
    })
}

/// 百分之二十 / 百分之15.5
fn percent_words(chars: &[char], i: usize) -> Option<Measure> {
    let at = i + 3;
    let parsed = numbers::parse_at(chars, at)?;
    Some(Measure {
        start: i,
        number_start: i,
        end: parsed.end,
        unit_end: parsed.end,
        value: parsed.value,
        unit: Some(Unit::Percent),
        unit_word: "%",
        has_multiplier: false,
        qualifier: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> (String, Option<Unit>, Option<Qualifier>, String) {
        let chars: Vec<char> = s.chars().collect();
        let m = scan(&chars)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no figure in {s}"));
        let text: String = chars[m.start..m.end].iter().collect();
        (m.value.to_string(), m.unit, m.qualifier, text)
    }

    #[test]
    fn figures_and_qualifiers() {
        use Qualifier::*;
        type Case<'a> = (&'a str, &'a str, Option<Unit>, Option<Qualifier>, &'a str);
        let cases: &[Case] = &[
            (
                "装机100 MW的",
                "100000",
                Some(Unit::Kilowatt),
                None,
                "100 MW",
            ),
            (
                "总投资约18.6亿元，",
                "1860000000",
                Some(Unit::Yuan),
                Some(About),
                "约18.6亿元",
            ),
            (
                "解决就业500余人。",
                "500",
                Some(Unit::Person),
                Some(Over),
                "500余人",
            ),
            (
                "年产值5亿元以上。",
                "500000000",
                Some(Unit::Yuan),
                Some(AtLeast),
                "5亿元以上",
            ),
            (
                "签约额突破150亿元",
                "15000000000",
                Some(Unit::Yuan),
                Some(Exceeds),
                "突破150亿元",
            ),
            (
                "办结不到40个工作日",
                "40",
                Some(Unit::WorkingDay),
                Some(Under),
                "不到40个工作日",
            ),
            ("压减62.6%", "62.6", Some(Unit::Percent), None, "62.6%"),
            (
                "2×100万千瓦煤电",
                "2000000",
                Some(Unit::Kilowatt),
                None,
                "2×100万千瓦",
            ),
            ("光伏1.2GW", "1200000", Some(Unit::Kilowatt), None, "1.2GW"),
            ("两栋综合服务楼", "2", Some(Unit::Building), None, "两栋"),
            ("分三期建设", "3", Some(Unit::Phase), None, "三期"),
            ("总投资2.1亿，", "210000000", None, None, "2.1亿"),
            (
                "14.3万平方米",
                "143000",
                Some(Unit::SquareMetre),
                None,
                "14.3万平方米",
            ),
            ("年产200万只", "2000000", Some(Unit::Piece), None, "200万只"),
            ("百分之二十", "20", Some(Unit::Percent), None, "百分之二十"),
            ("占地约71亩", "71", Some(Unit::Mu), Some(About), "约71亩"),
            (
                "增长3.5个百分点",
                "3.5",
                Some(Unit::PercentagePoint),
                None,
                "3.5个百分点",
            ),
        ];
        for &(text, value, unit, qualifier, written) in cases {
            assert_eq!(
                one(text),
                (value.to_string(), unit, qualifier, written.to_string()),
                "{text}"
            );
        }
    }

    #[test]
    fn not_figures() {
        for s in [
            "7月17日",
            "2023年第二季度",
            "D1版",
            "双良节能(600481)",
            "亿元以上项目",
            "一是引龙头",
            "人次",
        ] {
            let chars: Vec<char> = s.chars().collect();
            assert!(scan(&chars).is_empty(), "{s}: {:?}", scan(&chars));
        }
    }
}
