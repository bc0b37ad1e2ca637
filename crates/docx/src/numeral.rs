//! Chinese numerals and the heading labels of GB/T 9704 (一、 （一） 1. （1）).
//! Pure functions: no document state lives here.

const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const SMALL_UNITS: [&str; 4] = ["千", "百", "十", ""];
const BIG_UNITS: [&str; 3] = ["亿", "万", ""];

/// `n` in Chinese numerals as read aloud: 1→一, 10→十, 11→十一, 20→二十,
/// 101→一百零一, 10000→一万, 0→零.
pub fn chinese_numeral(n: u32) -> String {
    if n == 0 {
        return DIGITS[0].to_string();
    }
    let sections = [n / 100_000_000, n / 10_000 % 10_000, n % 10_000];
    let mut out = String::new();
    // A zero between two written sections is read once: 一亿零一万, 一万零一.
    let mut zero_pending = false;
    for (section, unit) in sections.into_iter().zip(BIG_UNITS) {
        if section == 0 {
            zero_pending |= !out.is_empty();
            continue;
        }
        if !out.is_empty() && (zero_pending || section < 1000) {
            out.push(DIGITS[0]);
        }
        out.push_str(&below_ten_thousand(section));
        out.push_str(unit);
        zero_pending = false;
    }
    // 10–19 (and 十万, 十一万 …) are read without the leading 一.
    match out.strip_prefix("一十") {
        Some(rest) => format!("十{rest}"),
        None => out,
    }
}

/// 1..=9999 with inner zeros read once (一千零一) and trailing zeros silent.
fn below_ten_thousand(n: u32) -> String {
    let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let mut out = String::new();
    let mut zero_pending = false;
    for (digit, unit) in digits.into_iter().zip(SMALL_UNITS) {
        if digit == 0 {
            zero_pending |= !out.is_empty();
            continue;
        }
        if zero_pending {
            out.push(DIGITS[0]);
            zero_pending = false;
        }
        out.push(DIGITS[digit as usize]);
        out.push_str(unit);
    }
    out
}

/// The label GB/T 9704 gives the `n`th heading (from 1) of a level:
/// level 1 `一、`, level 2 `（一）`, level 3 `1.`, level 4 `（1）`.
/// Levels outside 1..=4 are treated as the nearest of them.
pub fn heading_label(level: u8, n: u32) -> String {
    match level.clamp(1, 4) {
        1 => format!("{}、", chinese_numeral(n)),
        2 => format!("（{}）", chinese_numeral(n)),
        3 => format!("{n}."),
        _ => format!("（{n}）"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_read_as_spoken() {
        let cases = [
            (0, "零"),
            (1, "一"),
            (2, "二"),
            (9, "九"),
            (10, "十"),
            (11, "十一"),
            (19, "十九"),
            (20, "二十"),
            (21, "二十一"),
            (99, "九十九"),
            (100, "一百"),
            (101, "一百零一"),
            (110, "一百一十"),
            (111, "一百一十一"),
            (1000, "一千"),
            (1001, "一千零一"),
            (1010, "一千零一十"),
            (1100, "一千一百"),
            (2024, "二千零二十四"),
            (10_000, "一万"),
            (10_001, "一万零一"),
            (10_100, "一万零一百"),
            (11_000, "一万一千"),
            (100_000, "十万"),
            (110_000, "十一万"),
            (1_000_000, "一百万"),
            (10_010_000, "一千零一万"),
            (100_000_000, "一亿"),
            (100_000_001, "一亿零一"),
            (100_001_000, "一亿零一千"),
            (100_010_000, "一亿零一万"),
            (u32::MAX, "四十二亿九千四百九十六万七千二百九十五"),
        ];
        for (n, expected) in cases {
            assert_eq!(chinese_numeral(n), expected, "{n}");
        }
    }

    #[test]
    fn heading_labels_follow_gbt_9704() {
        let cases = [
            (1, 1, "一、"),
            (1, 10, "十、"),
            (1, 12, "十二、"),
            (2, 3, "（三）"),
            (2, 20, "（二十）"),
            (3, 4, "4."),
            (4, 2, "（2）"),
            (0, 1, "一、"),
            (9, 5, "（5）"),
        ];
        for (level, n, expected) in cases {
            assert_eq!(heading_label(level, n), expected, "level {level}, n {n}");
        }
    }
}
