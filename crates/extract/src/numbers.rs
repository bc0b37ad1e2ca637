//! Numbers as bulletins write them: Arabic (`18.6`, `6800`, `1,200`, full-width
//! digits), Arabic with Chinese multipliers (`14.3万`, `1.08亿`, `3千万`), Chinese
//! numerals (`两`, `三`, `二十七`, `一百零五`, `三万五千`, `百万`), positional years
//! (`二〇二三`) and products (`2×100万`).
//!
//! Owns number syntax and exact decimal arithmetic only; it knows nothing of units
//! (see `measures`). Money must never pass through floating point, so every value
//! is a [`Decimal`]: an integer mantissa with a decimal scale.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An exact decimal: `mantissa × 10^-scale`, always kept normalised (no trailing
/// zeros in the mantissa when `scale > 0`), so equal values compare equal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Decimal {
    mantissa: i128,
    scale: u32,
}

/// Beyond this the value is not a figure a bulletin would print; refusing keeps
/// arithmetic free of overflow.
const MAX_ABS: i128 = 10i128.pow(30);
const MAX_SCALE: u32 = 12;

impl Decimal {
    pub const ZERO: Decimal = Decimal {
        mantissa: 0,
        scale: 0,
    };

    /// `mantissa × 10^-scale`; `None` when out of the supported range.
    pub fn new(mantissa: i128, scale: u32) -> Option<Decimal> {
        if mantissa.abs() > MAX_ABS || scale > MAX_SCALE + 6 {
            return None;
        }
        let mut d = Decimal { mantissa, scale };
        d.normalise();
        if d.scale > MAX_SCALE {
            return None;
        }
        Some(d)
    }

    pub fn from_int(n: i128) -> Option<Decimal> {
        Decimal::new(n, 0)
    }

    pub fn mantissa(&self) -> i128 {
        self.mantissa
    }

    pub fn scale(&self) -> u32 {
        self.scale
    }

    fn normalise(&mut self) {
        while self.scale > 0 && self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.scale -= 1;
        }
        if self.mantissa == 0 {
            self.scale = 0;
        }
    }

    pub fn is_integer(&self) -> bool {
        self.scale == 0
    }

    /// The value as an integer when it has no fractional part.
    pub fn to_integer(&self) -> Option<i128> {
        self.is_integer().then_some(self.mantissa)
    }

    pub fn checked_mul(self, other: Decimal) -> Option<Decimal> {
        let m = self.mantissa.checked_mul(other.mantissa)?;
        Decimal::new(m, self.scale + other.scale)
    }

    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        let scale = self.scale.max(other.scale);
        let a = self
            .mantissa
            .checked_mul(10i128.checked_pow(scale - self.scale)?)?;
        let b = other
            .mantissa
            .checked_mul(10i128.checked_pow(scale - other.scale)?)?;
        Decimal::new(a.checked_add(b)?, scale)
    }

    /// Multiplies by `10^exp` exactly.
    pub fn mul_pow10(self, exp: u32) -> Option<Decimal> {
        if exp <= self.scale {
            return Decimal::new(self.mantissa, self.scale - exp);
        }
        let factor = 10i128.checked_pow(exp - self.scale)?;
        Decimal::new(self.mantissa.checked_mul(factor)?, 0)
    }
}

impl std::ops::Neg for Decimal {
    type Output = Decimal;

    fn neg(self) -> Decimal {
        Decimal {
            mantissa: -self.mantissa,
            scale: self.scale,
        }
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        let scale = self.scale.max(other.scale);
        // Both are bounded by MAX_ABS and MAX_SCALE, so widening cannot overflow i128
        // except at the extreme; saturate rather than panic there.
        let a = self.mantissa.saturating_mul(10i128.pow(scale - self.scale));
        let b = other
            .mantissa
            .saturating_mul(10i128.pow(scale - other.scale));
        a.cmp(&b)
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let neg = self.mantissa < 0;
        let digits = self.mantissa.unsigned_abs().to_string();
        let scale = self.scale as usize;
        let body = if scale == 0 {
            digits
        } else if digits.len() > scale {
            let (int, frac) = digits.split_at(digits.len() - scale);
            format!("{int}.{frac}")
        } else {
            format!("0.{}{}", "0".repeat(scale - digits.len()), digits)
        };
        if neg {
            write!(f, "-{body}")
        } else {
            f.write_str(&body)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecimalParseError;

impl fmt::Display for DecimalParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a plain decimal number")
    }
}

impl std::error::Error for DecimalParseError {}

impl FromStr for Decimal {
    type Err = DecimalParseError;

    /// Plain decimal notation only (`-12.50`); Chinese forms go through [`parse_at`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (neg, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !all_digits(int) || !all_digits(frac) || body.ends_with('.') {
            return Err(DecimalParseError);
        }
        let mut mantissa: i128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            mantissa = mantissa
                .checked_mul(10)
                .and_then(|m| m.checked_add(i128::from(b - b'0')))
                .ok_or(DecimalParseError)?;
        }
        let scale = u32::try_from(frac.len()).map_err(|_| DecimalParseError)?;
        let d = Decimal::new(mantissa, scale).ok_or(DecimalParseError)?;
        Ok(if neg { -d } else { d })
    }
}

/// Serialised as a string so that no JSON reader turns money into a float.
impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Text(String),
            Int(i64),
        }
        match Repr::deserialize(d)? {
            Repr::Text(s) => s.parse().map_err(serde::de::Error::custom),
            Repr::Int(i) => Decimal::from_int(i128::from(i))
                .ok_or_else(|| serde::de::Error::custom("number out of range")),
        }
    }
}

/// A number found in text: its value and where it ends (exclusive char index).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub value: Decimal,
    pub end: usize,
}

/// Value of a Chinese digit character (`两` and `〇` included).
pub fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' | '○' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '贰' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// Power of ten of a Chinese unit character.
fn chinese_unit(c: char) -> Option<u32> {
    Some(match c {
        '十' | '拾' => 1,
        '百' | '佰' => 2,
        '千' | '仟' => 3,
        '万' | '萬' => 4,
        '亿' => 8,
        _ => return None,
    })
}

/// Value of an ASCII or full-width digit.
pub fn arabic_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

pub fn is_numeral_char(c: char) -> bool {
    arabic_digit(c).is_some() || chinese_digit(c).is_some() || chinese_unit(c).is_some()
}

/// `千` before these is an SI prefix (千瓦 kW, 千克 kg), not a multiplier.
fn is_si_prefixed(next: Option<&char>) -> bool {
    matches!(next, Some('瓦' | '克' | '米' | '伏' | '卡' | '焦' | '帕'))
}

/// Parses the number starting exactly at `start`, if any.
///
/// A product `a×b` is parsed as one number, because bulletins write unit
/// capacities that way (`2×100万千瓦`).
pub fn parse_at(chars: &[char], start: usize) -> Option<Parsed> {
    let first = parse_factor(chars, start)?;
    match chars.get(first.end) {
        Some('×' | '＊' | '*') => match parse_factor(chars, first.end + 1) {
            Some(second) => Some(Parsed {
                value: first.value.checked_mul(second.value)?,
                end: second.end,
            }),
            None => Some(first),
        },
        _ => Some(first),
    }
}

fn parse_factor(chars: &[char], start: usize) -> Option<Parsed> {
    let c = *chars.get(start)?;
    if arabic_digit(c).is_some() {
        parse_arabic(chars, start)
    } else {
        parse_chinese(chars, start)
    }
}

/// `1,200.5` then any multipliers: `14.3万`, `3千万`, `1.2亿`.
fn parse_arabic(chars: &[char], start: usize) -> Option<Parsed> {
    let mut mantissa: i128 = 0;
    let mut scale: u32 = 0;
    let mut in_fraction = false;
    let mut digits = 0usize;
    let mut i = start;
    while let Some(&c) = chars.get(i) {
        if let Some(d) = arabic_digit(c) {
            mantissa = mantissa.checked_mul(10)?.checked_add(i128::from(d))?;
            if in_fraction {
                scale += 1;
            }
            digits += 1;
            i += 1;
        } else if matches!(c, '.' | '．')
            && !in_fraction
            && chars.get(i + 1).and_then(|&n| arabic_digit(n)).is_some()
        {
            in_fraction = true;
            i += 1;
        } else if c == ',' && !in_fraction && is_thousands_group(chars, i + 1) {
            i += 1;
        } else {
            break;
        }
        if digits > 28 {
            return None;
        }
    }
    let mut value = Decimal::new(mantissa, scale)?;
    let (exp, end) = multipliers(chars, i);
    if exp > 0 {
        value = value.mul_pow10(exp)?;
    }
    Some(Parsed { value, end })
}

/// Exactly three digits follow and then no further digit: a thousands group.
fn is_thousands_group(chars: &[char], i: usize) -> bool {
    (0..3).all(|k| chars.get(i + k).and_then(|&c| arabic_digit(c)).is_some())
        && chars.get(i + 3).and_then(|&c| arabic_digit(c)).is_none()
}

/// Multiplier characters after an Arabic number (`万`, `亿`, `千万`, `万亿`).
fn multipliers(chars: &[char], mut i: usize) -> (u32, usize) {
    let mut exp = 0;
    while let Some(&c) = chars.get(i) {
        match chinese_unit(c) {
            Some(e) if !(c == '千' && is_si_prefixed(chars.get(i + 1))) => {
                exp += e;
                i += 1;
            }
            _ => break,
        }
        if exp > 16 {
            break;
        }
    }
    (exp, i)
}

/// Chinese numerals: `三`, `十二`, `一百零五`, `三万五千`, `一万二`, `百万`,
/// `二〇二三`, `三点五`.
fn parse_chinese(chars: &[char], start: usize) -> Option<Parsed> {
    let end = {
        let mut j = start;
        while j < chars.len()
            && (chinese_digit(chars[j]).is_some() || chinese_unit(chars[j]).is_some())
        {
            if chars[j] == '千' && is_si_prefixed(chars.get(j + 1)) {
                break;
            }
            j += 1;
            if j - start > 24 {
                return None;
            }
        }
        j
    };
    if end == start {
        return None;
    }
    let run = &chars[start..end];
    let has_unit = run.iter().any(|&c| chinese_unit(c).is_some());
    let has_small_unit = run
        .iter()
        .any(|&c| matches!(c, '十' | '拾' | '百' | '佰' | '千' | '仟'));
    let has_digit = run.iter().any(|&c| chinese_digit(c).is_some());
    // A lone 万 or 亿 is a word ("亿元以上项目"), not a number.
    if !has_digit && !has_small_unit {
        return None;
    }
    let mut value = if has_unit {
        structured_chinese(run)?
    } else if run.len() == 1 {
        Decimal::from_int(i128::from(chinese_digit(run[0])?))?
    } else if run.iter().any(|&c| matches!(c, '〇' | '○' | '零')) || chars.get(end) == Some(&'年')
    {
        // Positional digits are a year (二〇二三, 一九九八年); a bare run like 一一 in
        // 唯一一家 is two words, so only its first digit is a number.
        positional(run)?
    } else {
        return Some(Parsed {
            value: Decimal::from_int(i128::from(chinese_digit(run[0])?))?,
            end: start + 1,
        });
    };
    let mut end = end;
    // 三点五 (3.5)
    if chars.get(end) == Some(&'点') && !has_unit_above_ten(run) {
        let mut j = end + 1;
        let mut frac: i128 = 0;
        let mut scale = 0;
        while let Some(d) = chars.get(j).and_then(|&c| chinese_digit(c)) {
            frac = frac * 10 + i128::from(d);
            scale += 1;
            j += 1;
            if scale > 8 {
                break;
            }
        }
        if scale > 0 {
            value = value.checked_add(Decimal::new(frac, scale)?)?;
            end = j;
            let (exp, after) = multipliers(chars, end);
            if exp > 0 {
                value = value.mul_pow10(exp)?;
                end = after;
            }
        }
    }
    Some(Parsed { value, end })
}

fn has_unit_above_ten(run: &[char]) -> bool {
    run.iter().any(|&c| chinese_unit(c).is_some_and(|e| e > 1))
}

fn positional(run: &[char]) -> Option<Decimal> {
    let mut n: i128 = 0;
    for &c in run {
        n = n * 10 + i128::from(chinese_digit(c)?);
    }
    Decimal::from_int(n)
}

/// The usual reading: sections split by 亿 and 万, each built from 千百十.
fn structured_chinese(run: &[char]) -> Option<Decimal> {
    let mut total: i128 = 0; // completed 亿 sections
    let mut wan: i128 = 0; // completed 万 section below 亿
    let mut section: i128 = 0; // below 万
    let mut digit: Option<i128> = None;
    let mut last_unit_exp: u32 = 0; // for the colloquial 一万二 = 12000
    let mut after_zero = false;
    for &c in run {
        if let Some(d) = chinese_digit(c) {
            if d == 0 {
                after_zero = true;
                digit = None;
                continue;
            }
            if digit.is_some() {
                return None; // 三四 is not a number
            }
            digit = Some(i128::from(d));
            continue;
        }
        let exp = chinese_unit(c)?;
        match exp {
            1..=3 => {
                // 十 alone means 一十; 百万 / 千亿 at the start mean 一百万 / 一千亿.
                let d = digit.unwrap_or(1);
                section = section.checked_add(d.checked_mul(10i128.pow(exp))?)?;
                digit = None;
                last_unit_exp = exp;
            }
            4 => {
                let part = section.checked_add(digit.unwrap_or(0))?;
                let part = if part == 0 { 1 } else { part };
                wan = wan.checked_add(part.checked_mul(10_000)?)?;
                section = 0;
                digit = None;
                last_unit_exp = 4;
            }
            _ => {
                let part = wan.checked_add(section)?.checked_add(digit.unwrap_or(0))?;
                let part = if part == 0 { 1 } else { part };
                total = total.checked_add(part.checked_mul(100_000_000)?)?;
                wan = 0;
                section = 0;
                digit = None;
                last_unit_exp = 8;
            }
        }
        after_zero = false;
    }
    let mut tail = digit.unwrap_or(0);
    // 一万二 / 三百五: a trailing digit right after a unit above 十 counts one place lower.
    if digit.is_some() && !after_zero && last_unit_exp >= 2 {
        let last = *run.last()?;
        let before = run.get(run.len().wrapping_sub(2)).copied();
        if chinese_digit(last).is_some() && before.and_then(chinese_unit).is_some() {
            tail = tail.checked_mul(10i128.pow(last_unit_exp - 1))?;
        }
    }
    let n = total
        .checked_add(wan)?
        .checked_add(section)?
        .checked_add(tail)?;
    Decimal::from_int(n)
}

/// Writes `n` the way a Chinese text would (一万二千三百零五). The inverse of the
/// Chinese branch of [`parse_at`]; used by tests and by anyone formatting figures.
pub fn to_chinese(n: u64) -> String {
    if n == 0 {
        return "零".to_string();
    }
    let mut groups = Vec::new();
    let mut rest = n;
    while rest > 0 {
        groups.push(rest % 10_000);
        rest /= 10_000;
    }
    let units = ["", "万", "亿", "万亿"];
    let mut out = String::new();
    let mut zero_between = false;
    for (idx, &g) in groups.iter().enumerate().rev() {
        if g == 0 {
            zero_between = !out.is_empty();
            continue;
        }
        // 一万零五: a gap inside the number is read as one 零.
        if !out.is_empty() && (zero_between || g < 1000) {
            out.push('零');
        }
        zero_between = false;
        let first = out.is_empty();
        write_group(g, &mut out, first);
        out.push_str(units[idx]);
    }
    out
}

fn write_group(g: u64, out: &mut String, first: bool) {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let places = [
        (1000, Some('千')),
        (100, Some('百')),
        (10, Some('十')),
        (1, None),
    ];
    let mut started = false;
    let mut zero = false;
    for (value, unit) in places {
        let d = (g / value % 10) as usize;
        if d == 0 {
            zero |= started;
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        // 十二 rather than 一十二 at the start of a number.
        if !(unit == Some('十') && d == 1 && first && !started) {
            out.push(DIGITS[d]);
        }
        if let Some(u) = unit {
            out.push(u);
        }
        started = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Option<(String, usize)> {
        let chars: Vec<char> = s.chars().collect();
        parse_at(&chars, 0).map(|p| (p.value.to_string(), p.end))
    }

    #[test]
    fn forms_seen_in_bulletins() {
        let cases: &[(&str, &str, usize)] = &[
            ("18.6亿元", "1860000000", 5),
            ("1.08亿元", "108000000", 5),
            ("2.1亿", "210000000", 4),
            ("6800 平方米", "6800", 4),
            ("14.3万平方米", "143000", 5),
            ("500余人", "500", 3),
            ("100万吨", "1000000", 4),
            ("1.2GW", "1.2", 3),
            ("两栋", "2", 1),
            ("三期", "3", 1),
            ("2×100万千瓦", "2000000", 6),
            ("二〇二三年", "2023", 4),
            ("百万吨", "1000000", 2),
            ("二十七个", "27", 3),
            ("一百零五", "105", 4),
            ("三万五千", "35000", 4),
            ("一万二", "12000", 3),
            ("十二", "12", 2),
            ("1,200吨", "1200", 5),
            ("１２３", "123", 3),
            ("3千万", "30000000", 3),
            ("三点五亿", "350000000", 4),
            ("28.9%", "28.9", 4),
            ("一一", "1", 1),
        ];
        for &(text, value, end) in cases {
            assert_eq!(parse(text), Some((value.to_string(), end)), "{text}");
        }
    }

    #[test]
    fn words_that_are_not_numbers() {
        for text in ["亿元以上", "万众", "项目", ""] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn to_chinese_forms() {
        let cases = [
            (0, "零"),
            (10, "十"),
            (12, "十二"),
            (20, "二十"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1005, "一千零五"),
            (1050, "一千零五十"),
            (10_005, "一万零五"),
            (35_000, "三万五千"),
            (100_000_000, "一亿"),
            (2_000_000, "二百万"),
            (120_000, "十二万"),
        ];
        for (n, text) in cases {
            assert_eq!(to_chinese(n), text, "{n}");
        }
    }

    #[test]
    fn decimal_text_round_trip() {
        for s in ["0", "1", "-5", "28.9", "0.05", "1860000000", "0.000001"] {
            let d: Decimal = s.parse().unwrap();
            assert_eq!(d.to_string(), s);
        }
        for bad in ["", ".", "1.", "a", "1.2.3", "--1"] {
            assert!(bad.parse::<Decimal>().is_err(), "{bad}");
        }
    }

    #[test]
    fn decimal_arithmetic_is_exact() {
        let a: Decimal = "18.6".parse().unwrap();
        assert_eq!(a.mul_pow10(8).unwrap().to_integer(), Some(1_860_000_000));
        let b: Decimal = "0.1".parse().unwrap();
        let c: Decimal = "0.2".parse().unwrap();
        assert_eq!(b.checked_add(c).unwrap().to_string(), "0.3");
        assert!(b < c);
        assert_eq!("1.50".parse::<Decimal>().unwrap(), "1.5".parse().unwrap());
    }
}
