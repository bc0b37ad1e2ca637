//! Exact indicator figures. A [`Figure`] is a number in its indicator's unit
//! (万元, 亿元, 万美元, %, 万元/亩) kept as an integer count of ten-thousandths,
//! so sums and comparisons are exact and 1 元 is exactly 0.0001 万元 (the
//! precision of [`Money`]). This module also owns parsing what people type and
//! the one rounding rule of the crate: half away from zero.

use std::fmt;

use kfq_domain::money::normalise_number;
use kfq_domain::{Money, Mu};
use serde::{Deserialize, Serialize};

use crate::catalogue::Unit;

/// Ten-thousandths per unit: four decimals.
pub const SCALE: i64 = 10_000;

/// Largest magnitude people may enter, in whole units. A thousand zones at
/// this size still sum far inside `i64`.
const MAX_ENTRY_UNITS: i64 = 1_000_000_000_000;

/// A number in its indicator's unit, in ten-thousandths: 18.6 亿元 is 186000.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Figure(i64);

impl Figure {
    pub const ZERO: Figure = Figure(0);

    /// From a count of ten-thousandths of the unit.
    pub const fn from_scaled(scaled: i64) -> Figure {
        Figure(scaled)
    }

    pub const fn scaled(self) -> i64 {
        self.0
    }

    /// From whole units: `from_units(1200)` is 1200 万元 in a 万元 indicator.
    pub const fn from_units(units: i64) -> Figure {
        Figure(units * SCALE)
    }

    /// From tenths of the unit; percentages travel as tenths of a point (57.3% is 573).
    pub const fn from_tenths(tenths: i64) -> Figure {
        Figure(tenths * (SCALE / 10))
    }

    /// In tenths of the unit, rounded half away from zero (3.25% is 33).
    pub fn to_tenths(self) -> i64 {
        div_round(i128::from(self.0), i128::from(SCALE / 10)) as i64
    }

    /// An amount of money as a figure in 万元; exact, since 1 元 = 0.0001 万元.
    pub const fn from_money_wan(money: Money) -> Figure {
        Figure(money.yuan())
    }

    /// Land as a figure in 亩, the denominator of 产出强度 and 亩均税收.
    pub const fn from_mu(mu: Mu) -> Figure {
        Figure(mu.hundredths() * (SCALE / 100))
    }

    pub fn checked_add(self, other: Figure) -> Option<Figure> {
        self.0.checked_add(other.0).map(Figure)
    }

    /// Parses a number as people type it: "1,234.5", "１２３", "-3.2", "+3.2",
    /// "3.2%", "３．２％". At most four decimals. A trailing % is accepted and
    /// dropped; use [`Figure::parse_in`] when the unit is known, so that "5%"
    /// typed into a 亿元 field is refused rather than read as 5 亿元.
    pub fn parse(raw: &str) -> Result<Figure, &'static str> {
        parse_number(raw).map(|(figure, _)| figure)
    }

    /// Parses a number entered for an indicator in `unit`: a % sign is only
    /// accepted when the unit is %.
    pub fn parse_in(raw: &str, unit: Unit) -> Result<Figure, &'static str> {
        let (figure, had_percent) = parse_number(raw)?;
        if had_percent && unit != Unit::Percent {
            return Err("error.indicator.value.percent");
        }
        Ok(figure)
    }

    /// With exactly `decimals` decimals (at most four), rounded half away from zero.
    pub fn rounded(self, decimals: u32) -> String {
        let decimals = decimals.min(4);
        let step = 10_i128.pow(4 - decimals);
        let rounded = div_round(i128::from(self.0), step);
        let text = if decimals == 0 {
            rounded.unsigned_abs().to_string()
        } else {
            let unit = 10_u128.pow(decimals);
            let magnitude = rounded.unsigned_abs();
            format!(
                "{}.{:0width$}",
                magnitude / unit,
                magnitude % unit,
                width = decimals as usize
            )
        };
        if rounded < 0 {
            format!("-{text}")
        } else {
            text
        }
    }

    /// With the decimals reports use for `unit` (亿元 two, % one, …).
    pub fn shown_in(self, unit: Unit) -> String {
        self.rounded(unit.decimals())
    }
}

impl fmt::Display for Figure {
    /// Every decimal that is there, none that is not: "1234.5", "-3.2", "0".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let magnitude = self.0.unsigned_abs();
        let sign = if self.0 < 0 { "-" } else { "" };
        let whole = magnitude / SCALE as u64;
        let fraction = magnitude % SCALE as u64;
        if fraction == 0 {
            write!(f, "{sign}{whole}")
        } else {
            let digits = format!("{fraction:04}");
            write!(f, "{sign}{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

/// `n / d` rounded half away from zero, the rounding statistics bulletins use
/// (2.25 → 2.3, −2.25 → −2.3). `d` must not be zero.
pub fn div_round(n: i128, d: i128) -> i128 {
    assert!(d != 0, "division by zero");
    let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
    let quotient = n / d;
    let remainder = n % d;
    // Compare 2·|remainder| with d rather than adding d/2, which is wrong for odd d.
    if remainder.abs() * 2 >= d {
        quotient + n.signum()
    } else {
        quotient
    }
}

/// The figure and whether the text carried a % sign.
fn parse_number(raw: &str) -> Result<(Figure, bool), &'static str> {
    // Full-width and typographic signs that `normalise_number` leaves alone.
    let mapped: String = raw
        .chars()
        .map(|c| match c {
            '％' => '%',
            '＋' => '+',
            '\u{2212}' | '\u{2013}' => '-',
            other => other,
        })
        .collect();
    let text = normalise_number(&mapped);
    if text.is_empty() {
        return Err("error.required");
    }
    let (text, had_percent) = match text.strip_suffix('%') {
        Some(rest) => (rest, true),
        None => (text.as_str(), false),
    };
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let well_formed = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit());
    if !well_formed {
        return Err("error.indicator.value.format");
    }
    if fraction.len() > 4 {
        return Err("error.indicator.value.precision");
    }
    let whole: i64 = whole
        .parse()
        .ok()
        .filter(|w| *w <= MAX_ENTRY_UNITS)
        .ok_or("error.indicator.value.range")?;
    let fraction: i64 = format!("{fraction:0<4}").parse().unwrap_or(0);
    let scaled = whole * SCALE + fraction;
    Ok((Figure(if negative { -scaled } else { scaled }), had_percent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_type() {
        let cases = [
            ("1,234.5", 12_345_000),
            ("１２３", 1_230_000),
            ("-3.2", -32_000),
            ("+3.2", 32_000),
            ("3.2%", 32_000),
            ("３．２％", 32_000),
            ("－０.５", -5_000),
            ("\u{2212}1.5", -15_000),
            (" 18,600 ", 186_000_000),
            ("0.0001", 1),
            ("12.", 120_000),
            ("-0", 0),
            ("1，200", 12_000_000),
        ];
        for (raw, scaled) in cases {
            assert_eq!(Figure::parse(raw), Ok(Figure::from_scaled(scaled)), "{raw}");
        }
    }

    #[test]
    fn bad_numbers_say_why() {
        let cases = [
            ("", "error.required"),
            ("  ", "error.required"),
            ("约18亿", "error.indicator.value.format"),
            ("1e5", "error.indicator.value.format"),
            (".5", "error.indicator.value.format"),
            ("--3", "error.indicator.value.format"),
            ("3.2%%", "error.indicator.value.format"),
            ("%", "error.indicator.value.format"),
            ("1.2.3", "error.indicator.value.format"),
            ("12.00001", "error.indicator.value.precision"),
            ("1000000000001", "error.indicator.value.range"),
            ("99999999999999999999", "error.indicator.value.range"),
        ];
        for (raw, key) in cases {
            assert_eq!(Figure::parse(raw), Err(key), "{raw}");
        }
    }

    #[test]
    fn a_percent_sign_needs_a_percent_unit() {
        assert_eq!(
            Figure::parse_in("28.9%", Unit::Percent),
            Ok(Figure::from_tenths(289))
        );
        assert_eq!(
            Figure::parse_in("28.9", Unit::Percent),
            Ok(Figure::from_tenths(289))
        );
        assert_eq!(
            Figure::parse_in("5%", Unit::YiYuan),
            Err("error.indicator.value.percent")
        );
        assert_eq!(
            Figure::parse_in("18.6", Unit::YiYuan),
            Ok(Figure::from_scaled(186_000))
        );
    }

    #[test]
    fn rounds_half_away_from_zero() {
        let cases = [
            (5, 10, 1),
            (-5, 10, -1),
            (4, 10, 0),
            (-4, 10, 0),
            (15, 10, 2),
            (25, 10, 3),
            (-25, 10, -3),
            (1, 3, 0),
            (2, 3, 1),
            (-2, 3, -1),
            (3, -2, -2),
            (-3, -2, 2),
            (0, 7, 0),
        ];
        for (n, d, q) in cases {
            assert_eq!(div_round(n, d), q, "{n}/{d}");
        }
    }

    #[test]
    fn shown_with_the_decimals_of_the_unit() {
        let cases = [
            (Figure::from_scaled(186_000), Unit::YiYuan, "18.60"),
            (Figure::from_scaled(186_049), Unit::YiYuan, "18.60"),
            (Figure::from_scaled(186_050), Unit::YiYuan, "18.61"),
            (Figure::from_scaled(-186_050), Unit::YiYuan, "-18.61"),
            (Figure::from_scaled(-49), Unit::YiYuan, "0.00"),
            (Figure::from_scaled(289_500), Unit::Percent, "29.0"),
            (Figure::from_scaled(288_499), Unit::Percent, "28.8"),
            (Figure::from_units(1200), Unit::WanYuan, "1200.00"),
        ];
        for (figure, unit, shown) in cases {
            assert_eq!(figure.shown_in(unit), shown, "{figure:?} {unit}");
        }
        assert_eq!(Figure::from_scaled(12_345_000).rounded(0), "1235");
        assert_eq!(Figure::from_scaled(-12_345_000).rounded(0), "-1235");
        assert_eq!(Figure::from_scaled(12_345_678).rounded(4), "1234.5678");
    }

    #[test]
    fn display_round_trips() {
        for raw in ["0", "1", "1234.5", "-3.2", "0.0001", "1000000000000"] {
            assert_eq!(Figure::parse(raw).unwrap().to_string(), raw);
        }
    }

    #[test]
    fn converts_from_money_land_and_tenths() {
        assert_eq!(
            Figure::from_money_wan(Money::from_yuan(12_345)),
            Figure::parse("1.2345").unwrap()
        );
        assert_eq!(
            Figure::from_mu(Mu::from_hundredths(1_250)),
            Figure::parse("12.5").unwrap()
        );
        assert_eq!(Figure::from_tenths(-32), Figure::parse("-3.2").unwrap());
        assert_eq!(Figure::parse("3.25").unwrap().to_tenths(), 33);
        assert_eq!(Figure::parse("-3.25").unwrap().to_tenths(), -33);
        assert_eq!(Figure::parse("3.2499").unwrap().to_tenths(), 32);
    }
}
