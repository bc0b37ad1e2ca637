//! Numbers as exact decimals: a double as the sheet shows it, scaled and rounded without floats.

use kfq_domain::money::normalise_number;

/// The decimal text of a double as a spreadsheet shows it: the shortest
/// round-trip text, but at most 15 significant digits (all Excel keeps), so a
/// computed 0.30000000000000004 reads as 0.3. No exponent notation.
pub(crate) fn number_text(value: f64) -> Option<String> {
    if !value.is_finite() {
        return None;
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
        let text = normalise_number(raw);
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(&text)),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let ok = !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.bytes().all(|b| b.is_ascii_digit())
            && whole.len() + fraction.len() <= 30;
        if !ok {
            return None;
        }
        let mantissa: u128 = format!("{whole}{fraction}").parse().ok()?;
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
}
