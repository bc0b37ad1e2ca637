//! Dates as people type them, as precise as written; vague periods read as their last day.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Cell, Outcome, Parsed};
use crate::text::{compact, fold, is_blank_marker, one_line};

/// A date as precise as the sheet gives it.
///
/// - "2023/07/15", "2023-7-15", "2023.7.15", "2023年7月15日", date cells and
///   Excel serial numbers → `Day`.
/// - "2023.7", "2023年7月", "2023-07", "202307" → `Month`.
/// - "2023", "2023年" → `Year`.
/// - Periods read as their last day (a ledger date is a deadline): "7月底",
///   "7月末", "7月下旬" → the month's last day; "7月上旬" → the 10th, "7月中旬"
///   → the 20th; "2023年上半年" → 06-30, "2023年下半年" / "年底" → 12-31,
///   "2023年三季度" → 09-30. "7月初" and "年初" stay months.
/// - No year ("7月底") → the sheet's year (from the options, the title or
///   the headers), an error when there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "precision", rename_all = "snake_case")]
pub enum LedgerDate {
    Day { date: NaiveDate },
    Month { year: i32, month: u32 },
    Year { year: i32 },
}

impl LedgerDate {
    /// The first day of the period.
    pub fn first_day(self) -> NaiveDate {
        match self {
            LedgerDate::Day { date } => date,
            LedgerDate::Month { year, month } => ymd(year, month, 1).unwrap_or_default(),
            LedgerDate::Year { year } => ymd(year, 1, 1).unwrap_or_default(),
        }
    }

    /// The last day of the period (how a deadline is read).
    pub fn last_day(self) -> NaiveDate {
        match self {
            LedgerDate::Day { date } => date,
            LedgerDate::Month { year, month } => month_end(year, month).unwrap_or_default(),
            LedgerDate::Year { year } => ymd(year, 12, 31).unwrap_or_default(),
        }
    }
}

impl std::fmt::Display for LedgerDate {
    /// 2023年7月15日 / 2023年7月 / 2023年, as reports write dates.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LedgerDate::Day { date } => {
                write!(f, "{}年{}月{}日", date.year(), date.month(), date.day())
            }
            LedgerDate::Month { year, month } => write!(f, "{year}年{month}月"),
            LedgerDate::Year { year } => write!(f, "{year}年"),
        }
    }
}

fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    ymd(y, m, 1)?.pred_opt()
}

const EXCEL_EPOCH: (i32, u32, u32) = (1899, 12, 30);

/// An Excel serial day number (1900 date system) as a date.
pub(crate) fn excel_serial(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let epoch = ymd(EXCEL_EPOCH.0, EXCEL_EPOCH.1, EXCEL_EPOCH.2)?;
    epoch.checked_add_days(chrono::Days::new(serial.floor() as u64))
}

/// A date as people type it; see [`LedgerDate`] for the forms.
pub(crate) fn date(cell: &Cell, year: Option<i32>) -> Outcome<LedgerDate> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Text(t) if is_blank_marker(t) => Ok(None),
        Cell::Date(d) => Ok(Some(Parsed::plain(LedgerDate::Day { date: *d }))),
        Cell::Number(n) => date_number(n).map(Some),
        Cell::Text(t) => date_text(t, year).map(|d| Some(Parsed::plain(d))),
        Cell::Bool(_) => Err(format!("无法识别的日期“{}”", cell.display())),
        Cell::Error(e) => Err(format!("单元格是错误值“{e}”")),
    }
}

/// A number in a date column: an Excel serial (a date cell that lost its
/// format), a year, 2023.7 (typed as a number, so Excel keeps it as 2023.7),
/// yyyymm or yyyymmdd.
fn date_number(n: &str) -> Result<Parsed<LedgerDate>, String> {
    let unreadable = || format!("无法识别的日期“{n}”");
    if let Some((whole, fraction)) = n.split_once('.') {
        if whole.len() == 4 && fraction.len() <= 2 {
            let date = date_text(n, None)?;
            // 2023.10 typed into a number cell is stored as 2023.1.
            let warning = (fraction == "1").then(|| {
                format!("数值“{n}”按{date}理解；若指10月，请把该单元格设为文本后填写“{whole}.10”")
            });
            return Ok(Parsed {
                value: date,
                warning,
            });
        }
        let serial: f64 = n.parse().map_err(|_| unreadable())?;
        if (20_000.0..=80_000.0).contains(&serial) {
            let date = excel_serial(serial).ok_or_else(unreadable)?;
            return Ok(Parsed::plain(LedgerDate::Day { date }));
        }
        return Err(unreadable());
    }
    let value: i64 = n.parse().map_err(|_| unreadable())?;
    match n.len() {
        4 | 6 | 8 => date_text(n, None).map(Parsed::plain),
        5 if (20_000..=80_000).contains(&value) => excel_serial(value as f64)
            .map(|date| Parsed::plain(LedgerDate::Day { date }))
            .ok_or_else(unreadable),
        _ => Err(unreadable()),
    }
}

const DATE_PREFIXES: &[&str] = &[
    "预计于",
    "计划于",
    "已于",
    "预计",
    "计划",
    "力争",
    "拟于",
    "拟",
    "约",
    "于",
];
const DATE_SUFFIXES: &[&str] = &[
    "以前", "之前", "前", "左右", "开工", "投产", "竣工", "建成", "完成", "完工", "实现",
];

fn date_text(raw: &str, context_year: Option<i32>) -> Result<LedgerDate, String> {
    // Only needed for a message.
    let shown = || one_line(raw);
    let unreadable = || format!("无法识别的日期“{}”", shown());
    let missing = || format!("日期不存在“{}”", shown());
    // "2023-07-15 00:00:00", "2023-07-15T08:00:00": the time is not wanted.
    let mut t = fold(raw.trim());
    if let Some(pos) = t.find(['T', ' ']) {
        if t[pos + 1..].contains(':') {
            t.truncate(pos);
        }
    }
    let mut t = compact(&t);
    loop {
        let before = t.len();
        for p in DATE_PREFIXES {
            if let Some(rest) = t.strip_prefix(p) {
                t = rest.to_string();
            }
        }
        for s in DATE_SUFFIXES {
            if let Some(rest) = t.strip_suffix(s) {
                t = rest.to_string();
            }
        }
        if t.len() == before {
            break;
        }
    }
    let chars: Vec<char> = t.chars().collect();
    if chars.is_empty() {
        return Err(unreadable());
    }
    if chars.iter().all(|c| c.is_ascii_digit()) {
        let num = |a: usize, b: usize| {
            chars[a..b]
                .iter()
                .collect::<String>()
                .parse::<i64>()
                .unwrap_or(-1)
        };
        let (y, m, d) = match chars.len() {
            4 => (num(0, 4), None, None),
            6 => (num(0, 4), Some(num(4, 6)), None),
            8 => (num(0, 4), Some(num(4, 6)), Some(num(6, 8))),
            _ => return Err(unreadable()),
        };
        return build(y, m, d, &shown);
    }

    let mut i = 0;
    let read_number = |i: &mut usize| -> Option<i64> {
        let start = *i;
        while *i < chars.len() && chars[*i].is_ascii_digit() && *i - start < 4 {
            *i += 1;
        }
        (start != *i).then(|| {
            chars[start..*i]
                .iter()
                .collect::<String>()
                .parse()
                .unwrap_or(-1)
        })
    };
    let first = read_number(&mut i);
    let sep = chars.get(i).copied();
    let (year, month_start) = match (first, sep) {
        (Some(y), Some('年')) if i == 2 => (2000 + y, i + 1),
        (Some(y), Some('年')) if i == 4 => (y, i + 1),
        (Some(y), Some('.' | '-' | '/')) if i == 4 => (y, i + 1),
        (Some(y), None) if i == 4 => (y, i),
        (Some(_), Some('月')) => match context_year {
            Some(y) => (y as i64, 0),
            None => return Err(format!("缺少年份“{}”（标题和表头中也没有年份）", shown())),
        },
        _ => {
            // "上半年", "年底" with the year from the sheet.
            return match (context_year, period_end(&t)) {
                (Some(y), Some(_)) => date_text(&format!("{y}年{t}"), None),
                (None, Some(_)) => Err(format!("缺少年份“{}”（标题和表头中也没有年份）", shown())),
                _ => Err(unreadable()),
            };
        }
    };
    let rest: String = chars[month_start..].iter().collect();
    let rest = rest.as_str();
    if rest.is_empty() || rest == "度" {
        return build(year, None, None, &shown);
    }
    if let Some(period) = period_end(rest) {
        return match period {
            Period::Day(month, day) => build(year, Some(month), Some(day), &shown),
            Period::Month(month) => build(year, Some(month), None, &shown),
        };
    }
    let mut j = month_start;
    let Some(month) = read_number(&mut j).filter(|_| j - month_start <= 2) else {
        return Err(unreadable());
    };
    let after_month: String = chars[j..].iter().collect();
    let after = after_month
        .strip_prefix(['月', '.', '-', '/'])
        .unwrap_or(&after_month);
    if !(1..=12).contains(&month) {
        return Err(missing());
    }
    let month_day = |day: u32| build(year, Some(month), Some(day as i64), &shown);
    match after {
        "" | "份" => build(year, Some(month), None, &shown),
        "底" | "末" | "下旬" | "份底" | "份末" => {
            let end = month_end(year as i32, month as u32).ok_or_else(missing)?;
            month_day(end.day())
        }
        "上旬" => month_day(10),
        "中旬" => month_day(20),
        "初" | "份初" => build(year, Some(month), None, &shown),
        _ => {
            let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
            let tail = &after[digits.len()..];
            if digits.is_empty() || digits.len() > 2 || !matches!(tail, "" | "日" | "号") {
                return Err(unreadable());
            }
            build(year, Some(month), digits.parse().ok(), &shown)
        }
    }
}

enum Period {
    Day(i64, i64),
    Month(i64),
}

/// Vague periods of a year, read as their end (or as a month for "初").
fn period_end(rest: &str) -> Option<Period> {
    let rest = rest.strip_prefix('年').unwrap_or(rest);
    let rest = rest.strip_prefix('第').unwrap_or(rest);
    Some(match rest {
        "上半年" | "年中" | "中" | "年年中" => Period::Day(6, 30),
        "下半年" | "底" | "末" | "年底" | "年末" | "内" | "年内" | "全年" => {
            Period::Day(12, 31)
        }
        "初" | "年初" => Period::Month(1),
        "一季度" | "1季度" | "Q1" | "q1" => Period::Day(3, 31),
        "二季度" | "2季度" | "Q2" | "q2" => Period::Day(6, 30),
        "三季度" | "3季度" | "Q3" | "q3" => Period::Day(9, 30),
        "四季度" | "4季度" | "Q4" | "q4" => Period::Day(12, 31),
        _ => return None,
    })
}

fn build(
    year: i64,
    month: Option<i64>,
    day: Option<i64>,
    shown: &dyn Fn() -> String,
) -> Result<LedgerDate, String> {
    if !(1990..=2100).contains(&year) {
        return Err(format!("年份不合理“{}”", shown()));
    }
    let year = year as i32;
    let missing = || format!("日期不存在“{}”", shown());
    match (month, day) {
        (None, _) => Ok(LedgerDate::Year { year }),
        (Some(m), None) if (1..=12).contains(&m) => Ok(LedgerDate::Month {
            year,
            month: m as u32,
        }),
        (Some(m), Some(d)) if (1..=12).contains(&m) && (1..=31).contains(&d) => {
            ymd(year, m as u32, d as u32)
                .map(|date| LedgerDate::Day { date })
                .ok_or_else(missing)
        }
        _ => Err(missing()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    fn day(y: i32, m: u32, d: u32) -> LedgerDate {
        LedgerDate::Day {
            date: NaiveDate::from_ymd_opt(y, m, d).unwrap(),
        }
    }

    fn month(year: i32, month: u32) -> LedgerDate {
        LedgerDate::Month { year, month }
    }

    #[test]
    fn dates_as_people_type_them() {
        let cases: &[(&str, LedgerDate)] = &[
            ("2023.7", month(2023, 7)),
            ("2023.07", month(2023, 7)),
            ("2023.10", month(2023, 10)),
            ("2023年7月", month(2023, 7)),
            ("2023年7月份", month(2023, 7)),
            ("2023-07", month(2023, 7)),
            ("2023/7", month(2023, 7)),
            ("202307", month(2023, 7)),
            ("23年7月", month(2023, 7)),
            ("2023/07/15", day(2023, 7, 15)),
            ("2023-7-15", day(2023, 7, 15)),
            ("2023.7.15", day(2023, 7, 15)),
            ("2023年7月15日", day(2023, 7, 15)),
            ("2023年7月15号", day(2023, 7, 15)),
            ("20230715", day(2023, 7, 15)),
            ("2023-07-15 00:00:00", day(2023, 7, 15)),
            ("2023-07-15T00:00:00", day(2023, 7, 15)),
            ("２０２３．７", month(2023, 7)),
            ("2023年7月底", day(2023, 7, 31)),
            ("2024年2月底", day(2024, 2, 29)),
            ("2023年7月末", day(2023, 7, 31)),
            ("2023年7月下旬", day(2023, 7, 31)),
            ("2023年7月上旬", day(2023, 7, 10)),
            ("2023年7月中旬", day(2023, 7, 20)),
            ("2023年7月初", month(2023, 7)),
            ("7月底", day(2023, 7, 31)),
            ("10月", month(2023, 10)),
            ("2023年上半年", day(2023, 6, 30)),
            ("2023年下半年", day(2023, 12, 31)),
            ("2023年底", day(2023, 12, 31)),
            ("2023年三季度", day(2023, 9, 30)),
            ("2023年第四季度", day(2023, 12, 31)),
            ("年底", day(2023, 12, 31)),
            ("2023年", LedgerDate::Year { year: 2023 }),
            ("2023", LedgerDate::Year { year: 2023 }),
            ("计划2023年10月底前投产", day(2023, 10, 31)),
            ("预计2024年6月", month(2024, 6)),
        ];
        for (raw, expected) in cases {
            let got = date(&t(raw), Some(2023)).map(|o| o.map(|p| p.value));
            assert_eq!(got, Ok(Some(*expected)), "{raw}");
        }
        assert_eq!(date(&t("—"), None), Ok(None));
    }

    #[test]
    fn date_cells_and_numbers() {
        let d = NaiveDate::from_ymd_opt(2023, 7, 15).unwrap();
        let got = |c: Cell| date(&c, None).map(|o| o.map(|p| p.value));
        assert_eq!(got(Cell::Date(d)), Ok(Some(day(2023, 7, 15))));
        assert_eq!(
            got(Cell::Number("45122".into())),
            Ok(Some(day(2023, 7, 15)))
        );
        assert_eq!(
            got(Cell::Number("45122.5".into())),
            Ok(Some(day(2023, 7, 15)))
        );
        assert_eq!(got(Cell::from_f64(2023.7)), Ok(Some(month(2023, 7))));
        assert_eq!(got(Cell::from_f64(2023.12)), Ok(Some(month(2023, 12))));
        assert_eq!(
            got(Cell::Number("2024".into())),
            Ok(Some(LedgerDate::Year { year: 2024 }))
        );
        assert_eq!(got(Cell::Number("202403".into())), Ok(Some(month(2024, 3))));
        let january = date(&Cell::from_f64(2023.1), None).unwrap().unwrap();
        assert_eq!(january.value, month(2023, 1));
        assert!(january.warning.unwrap().contains("若指10月"));
        assert_eq!(excel_serial(61.0), NaiveDate::from_ymd_opt(1900, 3, 1));
    }

    #[test]
    fn impossible_dates_say_why() {
        let cases: &[(&str, &str)] = &[
            ("2023年2月30日", "日期不存在“2023年2月30日”"),
            ("2023.13", "日期不存在“2023.13”"),
            ("2023-04-31", "日期不存在“2023-04-31”"),
            ("1023年5月", "年份不合理“1023年5月”"),
            ("尽快", "无法识别的日期“尽快”"),
            ("已开工", "无法识别的日期“已开工”"),
            ("7月底", "缺少年份“7月底”（标题和表头中也没有年份）"),
        ];
        for (raw, reason) in cases {
            assert_eq!(date(&t(raw), None), Err(reason.to_string()), "{raw}");
        }
        assert_eq!(
            date(&Cell::Number("123.45".into()), None),
            Err("无法识别的日期“123.45”".into())
        );
    }

    #[test]
    fn periods_have_first_and_last_days() {
        assert_eq!(
            month(2024, 2).last_day(),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        assert_eq!(
            month(2024, 2).first_day(),
            NaiveDate::from_ymd_opt(2024, 2, 1).unwrap()
        );
        assert_eq!(
            LedgerDate::Year { year: 2023 }.last_day(),
            NaiveDate::from_ymd_opt(2023, 12, 31).unwrap()
        );
        assert_eq!(day(2023, 7, 15).to_string(), "2023年7月15日");
        assert_eq!(month(2023, 7).to_string(), "2023年7月");
        assert_eq!(
            serde_json::to_value(day(2023, 7, 15)).unwrap(),
            serde_json::json!({"precision": "day", "date": "2023-07-15"})
        );
    }
}
