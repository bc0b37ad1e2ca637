//! Money, exact. Amounts are whole yuan (元) in an `i64`: 9.2 × 10^18 yuan is
//! far beyond any ledger. People enter 万元 (up to four decimals, so every
//! entry is exact in yuan) and read 亿元 with two decimals. No floating point.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Sub};

use serde::{Deserialize, Serialize};

pub const YUAN_PER_WAN: i64 = 10_000;
pub const YUAN_PER_YI: i64 = 100_000_000;

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_yuan(yuan: i64) -> Money {
        Money(yuan)
    }

    pub const fn from_wan(wan: i64) -> Money {
        Money(wan * YUAN_PER_WAN)
    }

    pub const fn yuan(self) -> i64 {
        self.0
    }

    /// Parses an amount in 万元 as people type it: "1200", "1,200.5", "１２００",
    /// "0.0001". Blank is an error here; optional fields check for blank first.
    pub fn parse_wan(raw: &str) -> Result<Money, &'static str> {
        let text = normalise_number(raw);
        if text.is_empty() {
            return Err("error.required");
        }
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.as_str()),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let well_formed = !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.bytes().all(|b| b.is_ascii_digit());
        if !well_formed {
            return Err("error.money.format");
        }
        if fraction.len() > 4 {
            return Err("error.money.precision");
        }
        let whole: i64 = whole.parse().map_err(|_| "error.money.range")?;
        let fraction_yuan: i64 = format!("{fraction:0<4}").parse().unwrap_or(0);
        let yuan = whole
            .checked_mul(YUAN_PER_WAN)
            .and_then(|y| y.checked_add(fraction_yuan))
            .filter(|y| *y <= 1_000_000_000_000_000)
            .ok_or("error.money.range")?;
        Ok(Money(if negative { -yuan } else { yuan }))
    }

    /// Parses a non-negative amount in 万元.
    pub fn parse_wan_non_negative(raw: &str) -> Result<Money, &'static str> {
        let money = Self::parse_wan(raw)?;
        if money.0 < 0 {
            Err("error.money.negative")
        } else {
            Ok(money)
        }
    }

    /// In 万元 with as many decimals as needed (for forms): "1200.5".
    pub fn wan_string(self) -> String {
        decimal(self.0, 4, None)
    }

    /// In 亿元 with two decimals, rounded half away from zero (for lists and reports).
    pub fn yi_2(self) -> String {
        decimal(self.0, 8, Some(2))
    }

    /// In 万元 with two decimals, rounded.
    pub fn wan_2(self) -> String {
        decimal(self.0, 4, Some(2))
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }
}

/// Turns full-width digits and punctuation into ASCII and drops thousands
/// separators and blanks.
pub fn normalise_number(raw: &str) -> String {
    raw.trim()
        .chars()
        .filter_map(|c| match c {
            '\u{FF10}'..='\u{FF19}' => char::from_u32(c as u32 - 0xFF10 + '0' as u32),
            '\u{FF0E}' | '。' => Some('.'),
            '\u{FF0D}' => Some('-'),
            ',' | '，' | ' ' | '\u{3000}' | '_' => None,
            other => Some(other),
        })
        .collect()
}

/// Renders `value / 10^scale` with `digits` decimals (rounded half away from
/// zero), or with the decimals needed when `digits` is `None`.
fn decimal(value: i64, scale: u32, digits: Option<u32>) -> String {
    let negative = value < 0;
    let magnitude = value.unsigned_abs() as u128;
    let unit = 10_u128.pow(scale);
    let text = match digits {
        Some(d) => {
            let step = 10_u128.pow(scale - d);
            let rounded = (magnitude + step / 2) / step;
            let d_unit = 10_u128.pow(d);
            if d == 0 {
                format!("{rounded}")
            } else {
                format!(
                    "{}.{:0width$}",
                    rounded / d_unit,
                    rounded % d_unit,
                    width = d as usize
                )
            }
        }
        None => {
            let whole = magnitude / unit;
            let fraction = magnitude % unit;
            if fraction == 0 {
                format!("{whole}")
            } else {
                let f = format!("{fraction:0width$}", width = scale as usize);
                format!("{whole}.{}", f.trim_end_matches('0'))
            }
        }
    };
    let is_zero = text.chars().all(|c| c == '0' || c == '.');
    if negative && !is_zero {
        format!("-{text}")
    } else {
        text
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money(self.0 + other.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        Money(self.0 - other.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl fmt::Display for Money {
    /// 亿元 with two decimals, the unit reports use.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.yi_2())
    }
}

/// Land area in hundredths of a 亩 (mu): 1 亩 = 666.67 m² (10000/15 exactly).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Mu(i64);

impl Mu {
    pub const fn from_hundredths(h: i64) -> Mu {
        Mu(h)
    }

    pub const fn hundredths(self) -> i64 {
        self.0
    }

    /// "500", "12.5", "１２.５": at most two decimals, not negative.
    pub fn parse(raw: &str) -> Result<Mu, &'static str> {
        let text = normalise_number(raw);
        let (whole, fraction) = text.split_once('.').unwrap_or((text.as_str(), ""));
        let ok = !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.bytes().all(|b| b.is_ascii_digit());
        if !ok {
            return Err("error.number.format");
        }
        if fraction.len() > 2 {
            return Err("error.number.precision");
        }
        let whole: i64 = whole.parse().map_err(|_| "error.number.range")?;
        let fraction: i64 = format!("{fraction:0<2}").parse().unwrap_or(0);
        whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(fraction))
            .filter(|h| *h <= 100_000_000_000)
            .map(Mu)
            .ok_or("error.number.range")
    }

    /// Square metres, rounded: 1 亩 = 10000/15 m².
    pub fn square_metres(self) -> i64 {
        (self.0 * 10_000 + 750) / 1_500
    }
}

impl fmt::Display for Mu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&decimal(self.0, 2, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wan_entries_are_exact() {
        let cases = [
            ("1200", 12_000_000),
            ("1,200.5", 12_005_000),
            ("１２００", 12_000_000),
            ("0.0001", 1),
            ("180000", 1_800_000_000),
            (" 88000 ", 880_000_000),
            ("-3.5", -35_000),
            ("12.", 120_000),
        ];
        for (raw, yuan) in cases {
            assert_eq!(Money::parse_wan(raw), Ok(Money::from_yuan(yuan)), "{raw}");
        }
    }

    #[test]
    fn bad_entries_say_why() {
        let cases = [
            ("", "error.required"),
            ("12.00001", "error.money.precision"),
            ("约18亿", "error.money.format"),
            ("1e5", "error.money.format"),
            (".5", "error.money.format"),
            ("99999999999999999999", "error.money.range"),
        ];
        for (raw, key) in cases {
            assert_eq!(Money::parse_wan(raw), Err(key), "{raw}");
        }
        assert_eq!(
            Money::parse_wan_non_negative("-1"),
            Err("error.money.negative")
        );
    }

    #[test]
    fn shown_in_yi_with_two_decimals_rounded_half_away_from_zero() {
        let cases = [
            (1_800_000_000, "18.00"),
            (186_000_000, "1.86"),
            (108_000_000, "1.08"),
            (1_234_999, "0.01"),
            (1_499_999, "0.01"),
            (1_500_000, "0.02"),
            (0, "0.00"),
            (-1_500_000, "-0.02"),
            (-400_000, "0.00"),
            (i64::MAX, "92233720368.55"),
        ];
        for (yuan, shown) in cases {
            assert_eq!(Money::from_yuan(yuan).yi_2(), shown, "{yuan}");
        }
    }

    #[test]
    fn wan_strings_round_trip() {
        for raw in ["0", "1", "12.5", "1200.0001", "180000", "-7.25"] {
            assert_eq!(Money::parse_wan(raw).unwrap().wan_string(), raw);
        }
        assert_eq!(Money::from_yuan(12_345).wan_2(), "1.23");
    }

    #[test]
    fn sums_are_exact() {
        // Ten thousand entries of 0.0001 万元 make exactly one 万元.
        let total: Money = (0..10_000)
            .map(|_| Money::parse_wan("0.0001").unwrap())
            .sum();
        assert_eq!(total, Money::from_wan(1));
    }

    #[test]
    fn land_in_mu() {
        assert_eq!(Mu::parse("500").unwrap().hundredths(), 50_000);
        assert_eq!(Mu::parse("12.5").unwrap().to_string(), "12.5");
        assert_eq!(Mu::parse("１５"), Ok(Mu::from_hundredths(1_500)));
        assert_eq!(Mu::parse("1.234"), Err("error.number.precision"));
        assert_eq!(Mu::parse("-3"), Err("error.number.format"));
        assert_eq!(Mu::parse("15").unwrap().square_metres(), 10_000);
        assert_eq!(Mu::parse("1").unwrap().square_metres(), 667);
    }
}
