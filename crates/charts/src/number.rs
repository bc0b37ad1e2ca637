//! Exact decimal formatting of scaled integers: the only place where a
//! value becomes text. No floating point is involved, so "0.1 + 0.2" style
//! surprises cannot reach a printed bulletin.

/// Decimal places beyond this are ignored; it keeps every power of ten and
/// every rescaled `i64` well inside `i128`.
pub(crate) const MAX_DECIMALS: u32 = 12;

pub(crate) fn pow10(n: u32) -> i128 {
    10i128.pow(n.min(MAX_DECIMALS))
}

/// `n / d` rounded half away from zero (the rounding rule of the indicator
/// figures); `d` must be positive.
pub(crate) fn div_round(n: i128, d: i128) -> i128 {
    let q = n / d;
    let r = n % d;
    if 2 * r.abs() >= d {
        q + n.signum()
    } else {
        q
    }
}

/// `value`, a count of 10^-`decimals` units, written with exactly `shown`
/// decimals: `fixed(1865, 2, 1)` is "18.7", `fixed(-5, 1, 1)` is "-0.5".
/// Never writes "-0".
pub(crate) fn fixed(value: i64, decimals: u32, shown: u32) -> String {
    let (decimals, shown) = (decimals.min(MAX_DECIMALS), shown.min(MAX_DECIMALS));
    let v = i128::from(value);
    let scaled = if shown >= decimals {
        v * pow10(shown - decimals)
    } else {
        div_round(v, pow10(decimals - shown))
    };
    let sign = if scaled < 0 { "-" } else { "" };
    let a = scaled.unsigned_abs();
    let p = pow10(shown).unsigned_abs();
    let (int, frac) = (a / p, a % p);
    if shown == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac:0width$}", width = shown as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_exactly_and_rounds_half_away_from_zero() {
        let cases = [
            (1865, 2, 1, "18.7"),
            (1864, 2, 1, "18.6"),
            (-1865, 2, 1, "-18.7"),
            (-5, 1, 1, "-0.5"),
            (-4, 2, 1, "0.0"),
            (7, 0, 2, "7.00"),
            (120, 0, 0, "120"),
            (186_000, 4, 1, "18.6"),
            (5, 1, 0, "1"),
            (i64::MIN, 0, 0, "-9223372036854775808"),
        ];
        for (v, d, s, want) in cases {
            assert_eq!(fixed(v, d, s), want, "fixed({v}, {d}, {s})");
        }
    }
}
