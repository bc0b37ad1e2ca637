//! Numbers as exact decimals: a double as the sheet shows it, scaled and rounded without floats.

use kfq_domain::money::normalise_number;

/// The decimal text of a double as a spreadsheet shows it: the shortest
/// round-trip text, but at most 15 significant digits (all Excel keeps), so a
/// computed 0.30000000000000004 reads as 0.3. No exponent notation.
pub(crate) fn number_text(value: f64) -> Option<String> {
    if !value.is_finite() {
        return None;
    }
    if let Some(text) = cents_text(value) {
        return Some(text);
    }
    let shortest = format!("{value}");
    let significant = shortest
        .chars()
        .filter(|c| c.is_ascii_digit())
        .collect::<String>()
        .trim_start_matches('0')
        .trim_end_matches('0')
        .len();
    if significant <= 15 {
        return Some(shortest);
    }
    // "3.00000000000000e-1": fifteen digits and a power of ten.
    let sci = format!("{value:.14e}");
    let (mantissa, exponent) = sci.split_once('e')?;
    let exponent: i32 = exponent.parse().ok()?;
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    // value = 0.digits × 10^(exponent + 1)
    let point = exponent + 1;
    let mut text = if point <= 0 {
        format!("0.{}{}", "0".repeat((-point) as usize), digits)
    } else if point as usize >= digits.len() {
        format!("{}{}", digits, "0".repeat(point as usize - digits.len()))
    } else {
        format!(
            "{}.{}",
            &digits[..point as usize],
            &digits[point as usize..]
        )
    };
    if text.contains('.') {
        text = text.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    Some(if negative { format!("-{text}") } else { text })
}

/// [`number_text`] of a double that is a whole number of cents below 10^13
/// (most figures in a ledger), without formatting it as a float. Below
/// 10^13 two doubles are more than a cent apart, so no shorter text than
/// the cents' reads back as this double: the shortest round-trip text is
/// the cents', within fifteen digits. -0 is left to the formatter ("-0").
fn cents_text(value: f64) -> Option<String> {
    if value.abs() >= 1e13 || (value == 0.0 && value.is_sign_negative()) {
        return None;
    }
    let cents = (value * 100.0).round();
    // Division is correctly rounded, as is reading the text back: equal
    // exactly when the text of these cents reads back as `value`.
    if cents / 100.0 != value {
        return None;
    }
    // Written out by hand: the formatting machinery cost more than the rest
    // for every number of a sheet.
    let cents = cents as i64;
    let mut magnitude = cents.unsigned_abs();
    // Digits from the last: up to 13 whole, a point and 2 decimals, a sign.
    let mut buf = [0u8; 24];
    let mut at = buf.len();
    let mut push = |b: u8| {
        at -= 1;
        buf[at] = b;
    };
    let part = magnitude % 100;
    magnitude /= 100;
    if part != 0 {
        if !part.is_multiple_of(10) {
            push(b'0' + (part % 10) as u8);
        }
        push(b'0' + (part / 10) as u8);
        push(b'.');
    }
    loop {
        push(b'0' + (magnitude % 10) as u8);
        magnitude /= 10;
        if magnitude == 0 {
            break;
        }
    }
    if cents < 0 {
        push(b'-');
    }
    Some(String::from_utf8_lossy(&buf[at..]).into_owned())
}

/// An exact decimal: mantissa × 10^-scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Decimal {
    negative: bool,
    mantissa: u128,
    scale: u32,
}

impl Decimal {
    /// "12", "-1,200.5", "１２.５", "12." (thousands separators and full-width
    /// digits allowed); no exponents, nothing else.
    pub(crate) fn parse(raw: &str) -> Option<Decimal> {
        // A numeric cell's text (and most figures typed) has nothing to
        // normalise: read in place rather than copied char by char.
        let plain = raw
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'));
        let text = match plain {
            true => std::borrow::Cow::Borrowed(raw),
            false => std::borrow::Cow::Owned(normalise_number(raw)),
        };
        let text = text.as_ref();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let ok = !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.bytes().all(|b| b.is_ascii_digit())
            && whole.len() + fraction.len() <= 30;
        if !ok {
            return None;
        }
        // At most 30 digits: within a u128.
        let mantissa = whole
            .bytes()
            .chain(fraction.bytes())
            .fold(0u128, |m, b| m * 10 + u128::from(b - b'0'));
        Some(Decimal {
            negative,
            mantissa,
            scale: fraction.len() as u32,
        })
    }

    pub(crate) fn is_negative(self) -> bool {
        self.negative && self.mantissa != 0
    }

    /// self × 10^places as plain decimal text ("12.5", "-0.0034", "0"),
    /// exact: moving the point never rounds. `None` only on overflow.
    pub(crate) fn shifted_text(self, places: i32) -> Option<String> {
        let mut mantissa = self.mantissa;
        let mut scale = self.scale as i64 - places as i64;
        if scale < 0 {
            mantissa = mantissa.checked_mul(10_u128.checked_pow(u32::try_from(-scale).ok()?)?)?;
            scale = 0;
        }
        let scale = scale as usize;
        let digits = format!("{mantissa:0>width$}", width = scale + 1);
        let (whole, fraction) = digits.split_at(digits.len() - scale);
        let fraction = fraction.trim_end_matches('0');
        let sign = if self.is_negative() { "-" } else { "" };
        Some(match fraction.is_empty() {
            true => format!("{sign}{whole}"),
            false => format!("{sign}{whole}.{fraction}"),
        })
    }

    /// self × numerator / denominator, rounded half away from zero to a whole
    /// number; the flag says whether anything was rounded away.
    pub(crate) fn times_ratio(self, numerator: u128, denominator: u128) -> Option<(i128, bool)> {
        let top = self.mantissa.checked_mul(numerator)?;
        let bottom = 10_u128.checked_pow(self.scale)?.checked_mul(denominator)?;
        let whole = top / bottom;
        let rest = top % bottom;
        let rounded = if rest * 2 >= bottom { whole + 1 } else { whole };
        let value = i128::try_from(rounded).ok()?;
        Some((if self.negative { -value } else { value }, rest != 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_become_the_decimal_excel_shows() {
        let cases: &[(f64, &str)] = &[
            (1.23, "1.23"),
            (0.1 + 0.2, "0.3"),
            (18.6, "18.6"),
            (1200.0, "1200"),
            (0.0001, "0.0001"),
            (1e20, "100000000000000000000"),
            (-2.5, "-2.5"),
            (123_456.789_012_345_67, "123456.789012346"),
            (0.000001234, "0.000001234"),
            (1.0 / 3.0, "0.333333333333333"),
        ];
        for (value, text) in cases {
            assert_eq!(number_text(*value).as_deref(), Some(*text), "{value}");
        }
        assert_eq!(number_text(f64::NAN), None);
    }

    /// The text as the float formatter gives it, for the doubles the cents
    /// shortcut answers.
    fn formatted(value: f64) -> String {
        format!("{value}")
    }

    #[test]
    fn cents_read_as_the_formatter_shows_them() {
        let mut values = vec![0.0, -0.0, 0.01, 0.05, 0.1, 0.3, 1.0, -1.0, 12.5, 8552.7];
        values.extend([9_999_999_999_999.99, 1e13 - 1.0, 1e13, 0.015, 2.675, 1.005]);
        // A spread of cents, small and large, and doubles near them.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let cents = (x % 10_u64.pow(1 + (x >> 59) as u32 % 15)) as f64;
            let value = cents / 100.0;
            values.extend([value, -value, f64::from_bits(value.to_bits() + 1)]);
        }
        for value in values {
            if let Some(text) = cents_text(value) {
                assert_eq!(text, formatted(value), "{value:e}");
            }
        }
        assert_eq!(cents_text(-0.0), None);
        assert_eq!(number_text(-0.0).as_deref(), Some("-0"));
    }

    #[test]
    fn plain_and_written_figures_parse_alike() {
        for text in [
            "12", "-1200.5", "+3", "0.000", "12.", ".5", "1-2", "--1", "1.2.3",
        ] {
            let normalised = normalise_number(text);
            assert_eq!(Decimal::parse(text), Decimal::parse(&normalised), "{text}");
        }
        let long = "123456789012345678901234567890";
        assert_eq!(Decimal::parse(long).map(|d| d.mantissa), long.parse().ok());
        assert_eq!(Decimal::parse(&format!("{long}1")), None);
        assert_eq!(
            Decimal::parse("１２,３４５．５").map(|d| (d.mantissa, d.scale)),
            Some((123455, 1))
        );
    }
}
