//! Cell values and how each kind of ledger value is read from them: money to
//! exact yuan, land to hundredths of a 亩, floor area to square metres, counts,
//! dates as people type them, yes/no marks and the coded enums. Every function
//! here is pure and returns the reason in Chinese when a value cannot be read.
//!
//! Numbers are never carried as floating point: a numeric cell becomes the
//! decimal text Excel shows (the shortest text that reads back as the same
//! double, cut to Excel's 15 significant digits) and is then scaled exactly.

use chrono::{Datelike, NaiveDate};
use kfq_domain::money::normalise_number;
use kfq_domain::{Category, Money, Mu, Nature, Stage};
use serde::{Deserialize, Serialize};

use crate::field::Unit;
use crate::text::{compact, fold, is_blank_marker, one_line};

/// One cell as read from the file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    Text(String),
    /// A numeric cell, as exact decimal text ("1.23", "45123", "-0.5").
    Number(String),
    /// A cell Excel formats as a date.
    Date(NaiveDate),
    Bool(bool),
    /// "#N/A", "#DIV/0!"...
    Error(String),
}

impl Cell {
    pub(crate) fn from_f64(value: f64) -> Cell {
        match number_text(value) {
            Some(text) => Cell::Number(text),
            None => Cell::Error(format!("{value}")),
        }
    }

    /// Nothing at all (a dash still counts as content for layout purposes).
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, as the sheet shows it.
    pub(crate) fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) => n.clone(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Bool(true) => "TRUE".into(),
            Cell::Bool(false) => "FALSE".into(),
            Cell::Error(e) => e.clone(),
        }
    }
}

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

/// A value read with what people wrote around it: "约18亿元" is 18亿 with
/// the qualifier "约"; "500余亩" is 500 亩 with "余".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approx<T> {
    pub value: T,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
}

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

/// A parsed value with an optional remark for the user (not an error).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Parsed<T> {
    pub value: T,
    pub warning: Option<String>,
}

impl<T> Parsed<T> {
    fn plain(value: T) -> Parsed<T> {
        Parsed {
            value,
            warning: None,
        }
    }
}

pub(crate) type Outcome<T> = Result<Option<Parsed<T>>, String>;

const PREFIX_QUALIFIERS: &[&str] = &[
    "大约",
    "约",
    "近",
    "超过",
    "超",
    "逾",
    "不低于",
    "不少于",
    "不超过",
    "预计",
    "估算",
];
const SUFFIX_QUALIFIERS: &[&str] = &["左右", "以上", "以内", "上下", "余", "多", "+"];

/// Splits "约18亿元左右" into ("18", Some("亿元"), ["约", "左右"]) given the
/// unit words a value may carry.
fn split_figure<'u>(text: &str, units: &[&'u str]) -> (String, Option<&'u str>, Vec<String>) {
    let mut t = compact(text);
    let mut qualifiers = Vec::new();
    loop {
        let before = t.len();
        for q in PREFIX_QUALIFIERS {
            if let Some(rest) = t.strip_prefix(q) {
                qualifiers.push(q.to_string());
                t = rest.to_string();
            }
        }
        if t.len() == before {
            break;
        }
    }
    let mut unit = None;
    let mut suffixes = Vec::new();
    loop {
        let before = t.len();
        for q in SUFFIX_QUALIFIERS {
            if let Some(rest) = t.strip_suffix(q) {
                suffixes.push(q.to_string());
                t = rest.to_string();
            }
        }
        if unit.is_none() {
            for u in units {
                if let Some(rest) = t.strip_suffix(u) {
                    unit = Some(*u);
                    t = rest.to_string();
                    break;
                }
            }
        }
        if t.len() == before {
            break;
        }
    }
    suffixes.reverse();
    qualifiers.extend(suffixes);
    (t, unit, qualifiers)
}

fn joined(qualifiers: Vec<String>) -> Option<String> {
    (!qualifiers.is_empty()).then(|| qualifiers.join(""))
}

/// The text of a cell for a numeric reading, or why there is none.
fn numeric_source(cell: &Cell, what: &str) -> Result<Option<(String, bool)>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Text(t) if is_blank_marker(t) => Ok(None),
        Cell::Text(t) => Ok(Some((t.clone(), false))),
        Cell::Number(n) => Ok(Some((n.clone(), true))),
        Cell::Date(d) => Err(format!(
            "应为{what}，单元格却是日期“{}”",
            d.format("%Y-%m-%d")
        )),
        Cell::Bool(b) => Err(format!(
            "应为{what}，单元格却是逻辑值“{}”",
            if *b { "TRUE" } else { "FALSE" }
        )),
        Cell::Error(e) => Err(format!("单元格是错误值“{e}”")),
    }
}

const MONEY_UNITS: &[&str] = &["亿元", "万元", "亿", "万", "元"];

/// Money in `unit` (the column's) unless the cell names its own: "约18亿元"
/// in a 万元 column is still 18亿. Whole yuan; anything smaller is rounded
/// half away from zero, with a warning.
pub(crate) fn money(cell: &Cell, unit: Unit) -> Outcome<Approx<Money>> {
    let Some((raw, numeric)) = numeric_source(cell, "金额")? else {
        return Ok(None);
    };
    let shown = one_line(&raw);
    let (number, cell_unit, qualifiers) = if numeric {
        (raw.clone(), None, Vec::new())
    } else {
        split_figure(&raw, MONEY_UNITS)
    };
    let unit = match cell_unit {
        Some("亿元" | "亿") => Unit::Yi,
        Some("万元" | "万") => Unit::Wan,
        Some(_) => Unit::Yuan,
        None => unit,
    };
    let Some(decimal) = Decimal::parse(&number) else {
        return Err(format!("无法识别的金额“{shown}”"));
    };
    if decimal.is_negative() {
        return Err(format!("金额不能为负数“{shown}”"));
    }
    let exponent = unit.yuan_exponent().unwrap_or(4);
    let (yuan, rounded) = decimal
        .times_ratio(10_u128.pow(exponent), 1)
        .filter(|(y, _)| *y <= 1_000_000_000_000_000)
        .ok_or_else(|| format!("金额超出范围“{shown}”"))?;
    Ok(Some(Parsed {
        value: Approx {
            value: Money::from_yuan(yuan as i64),
            qualifier: joined(qualifiers),
        },
        warning: rounded.then(|| format!("“{shown}”{}不足1元的部分已四舍五入", unit.label())),
    }))
}

const AREA_UNITS: &[&str] = &[
    "万平方米",
    "万平米",
    "万㎡",
    "万m2",
    "平方米",
    "平米",
    "㎡",
    "m2",
    "公顷",
    "亩",
];

fn area_unit(word: &str) -> Unit {
    match word {
        "万平方米" | "万平米" | "万㎡" | "万m2" => Unit::WanSquareMetre,
        "平方米" | "平米" | "㎡" | "m2" => Unit::SquareMetre,
        "公顷" => Unit::Hectare,
        _ => Unit::Mu,
    }
}

/// Reads an area figure and scales it by `ratio(unit)`.
fn area_figure(
    cell: &Cell,
    unit: Unit,
    what: &str,
    ratio: fn(Unit) -> (u128, u128),
) -> Outcome<Approx<i64>> {
    let Some((raw, numeric)) = numeric_source(cell, what)? else {
        return Ok(None);
    };
    let shown = one_line(&raw);
    let (number, cell_unit, qualifiers) = if numeric {
        (raw.clone(), None, Vec::new())
    } else {
        split_figure(&raw, AREA_UNITS)
    };
    let unit = cell_unit.map(area_unit).unwrap_or(unit);
    let Some(decimal) = Decimal::parse(&number) else {
        return Err(format!("无法识别的{what}“{shown}”"));
    };
    if decimal.is_negative() {
        return Err(format!("{what}不能为负数“{shown}”"));
    }
    let (numerator, denominator) = ratio(unit);
    let (value, _) = decimal
        .times_ratio(numerator, denominator)
        .filter(|(v, _)| *v <= 100_000_000_000)
        .ok_or_else(|| format!("{what}超出范围“{shown}”"))?;
    Ok(Some(Parsed::plain(Approx {
        value: value as i64,
        qualifier: joined(qualifiers),
    })))
}

/// Land in 亩 (or the unit the column or cell names), to hundredths of a 亩
/// (1 亩 = 10000/15 m²; conversions are rounded to the hundredth).
pub(crate) fn land(cell: &Cell, unit: Unit) -> Outcome<Approx<Mu>> {
    let ratio = |u: Unit| match u {
        Unit::Hectare | Unit::WanSquareMetre => (1500, 1),
        Unit::SquareMetre => (15, 100),
        _ => (100, 1),
    };
    Ok(area_figure(cell, unit, "用地面积", ratio)?.map(|p| Parsed {
        value: Approx {
            value: Mu::from_hundredths(p.value.value),
            qualifier: p.value.qualifier,
        },
        warning: p.warning,
    }))
}

/// Floor area in square metres (rounded to the square metre).
pub(crate) fn floor_area(cell: &Cell, unit: Unit) -> Outcome<Approx<i64>> {
    let ratio = |u: Unit| match u {
        Unit::WanSquareMetre | Unit::Hectare => (10_000, 1),
        Unit::Mu => (10_000, 15),
        _ => (1, 1),
    };
    area_figure(cell, unit, "建筑面积", ratio)
}

/// A head count: "200", "200余人", "约300人".
pub(crate) fn count(cell: &Cell) -> Outcome<Approx<i64>> {
    let Some((raw, numeric)) = numeric_source(cell, "人数")? else {
        return Ok(None);
    };
    let shown = one_line(&raw);
    let (number, _, qualifiers) = if numeric {
        (raw.clone(), None, Vec::new())
    } else {
        split_figure(&raw, &["人", "名", "个"])
    };
    let decimal = Decimal::parse(&number).ok_or_else(|| format!("无法识别的人数“{shown}”"))?;
    match decimal.times_ratio(1, 1) {
        Some((n, false)) if n >= 0 && n <= i64::MAX as i128 => Ok(Some(Parsed::plain(Approx {
            value: n as i64,
            qualifier: joined(qualifiers),
        }))),
        _ => Err(format!("人数应为不小于0的整数“{shown}”")),
    }
}

/// Text as it stands, trimmed; numbers as shown ("1", not "1.0").
pub(crate) fn text(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Text(t) if is_blank_marker(t) => None,
        Cell::Empty => None,
        other => Some(other.display()),
    }
}

/// A name: line breaks inside the cell are layout, not content.
pub(crate) fn name(cell: &Cell) -> Option<String> {
    text(cell).map(|t| {
        t.lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("")
            .trim()
            .to_string()
    })
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
    let shown = one_line(raw);
    let unreadable = || format!("无法识别的日期“{shown}”");
    let missing = || format!("日期不存在“{shown}”");
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
            None => return Err(format!("缺少年份“{shown}”（标题和表头中也没有年份）")),
        },
        _ => {
            // "上半年", "年底" with the year from the sheet.
            return match (context_year, period_end(&t)) {
                (Some(y), Some(_)) => date_text(&format!("{y}年{t}"), None),
                (None, Some(_)) => Err(format!("缺少年份“{shown}”（标题和表头中也没有年份）")),
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
    shown: &str,
) -> Result<LedgerDate, String> {
    if !(1990..=2100).contains(&year) {
        return Err(format!("年份不合理“{shown}”"));
    }
    let year = year as i32;
    let missing = || format!("日期不存在“{shown}”");
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

/// 是否入库: 是/否, √/×, 已入库/未入库, Y/N, TRUE/FALSE, 1/0.
pub(crate) fn flag(cell: &Cell) -> Outcome<bool> {
    let t = match cell {
        Cell::Empty => return Ok(None),
        Cell::Text(t) if is_blank_marker(t) => return Ok(None),
        Cell::Bool(b) => return Ok(Some(Parsed::plain(*b))),
        Cell::Number(n) if n == "1" => return Ok(Some(Parsed::plain(true))),
        Cell::Number(n) if n == "0" => return Ok(Some(Parsed::plain(false))),
        Cell::Error(e) => return Err(format!("单元格是错误值“{e}”")),
        other => compact(&other.display()).to_lowercase(),
    };
    const NO: &[&str] = &[
        "否", "×", "✗", "✘", "╳", "未", "不", "没", "x", "n", "false",
    ];
    const YES: &[&str] = &[
        "是", "√", "✓", "✔", "☑", "已", "入库", "纳统", "入统", "y", "true", "对", "有",
    ];
    if NO.iter().any(|w| t.starts_with(w)) {
        Ok(Some(Parsed::plain(false)))
    } else if YES.iter().any(|w| t.starts_with(w)) {
        Ok(Some(Parsed::plain(true)))
    } else {
        Err(format!("无法识别的“是/否”“{}”", one_line(&cell.display())))
    }
}

fn coded_text(cell: &Cell) -> Result<Option<String>, String> {
    match cell {
        Cell::Error(e) => Err(format!("单元格是错误值“{e}”")),
        other => Ok(text(other).map(|t| compact(&t))),
    }
}

/// 项目类别: 产业类 / 基础设施类 / 社会民生类 and their usual variants.
pub(crate) fn category(cell: &Cell) -> Outcome<Category> {
    let Some(t) = coded_text(cell)? else {
        return Ok(None);
    };
    category_of(&t)
        .map(|c| Some(Parsed::plain(c)))
        .ok_or_else(|| {
            format!(
                "无法识别的项目类别“{}”（应为产业类、基础设施类或社会民生类）",
                one_line(&cell.display())
            )
        })
}

pub(crate) fn category_of(t: &str) -> Option<Category> {
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&["基础设施", "基建", "市政", "基础配套"]) {
        Some(Category::Infrastructure)
    } else if has(&["民生", "社会事业", "公共服务", "社会"]) {
        Some(Category::Social)
    } else if has(&["产业", "工业", "制造", "服务业"]) {
        Some(Category::Industrial)
    } else {
        None
    }
}

/// 建设性质: 新建 / 续建 / 前期. 扩建、改建、技改 are new works this year.
pub(crate) fn nature(cell: &Cell) -> Outcome<Nature> {
    let Some(t) = coded_text(cell)? else {
        return Ok(None);
    };
    let shown = one_line(&cell.display());
    if let Some(n) = nature_of(&t) {
        return Ok(Some(Parsed::plain(n)));
    }
    if ["扩建", "改建", "技改", "迁建", "改造"]
        .iter()
        .any(|w| t.contains(w))
    {
        return Ok(Some(Parsed {
            value: Nature::New,
            warning: Some(format!("建设性质“{shown}”按新建理解")),
        }));
    }
    Err(format!(
        "无法识别的建设性质“{shown}”（应为新建、续建或前期）"
    ))
}

pub(crate) fn nature_of(t: &str) -> Option<Nature> {
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&["续建", "续建项目"]) {
        Some(Nature::Continuing)
    } else if has(&["新建", "新开工"]) {
        Some(Nature::New)
    } else if has(&["前期", "拟建", "储备", "谋划"]) {
        Some(Nature::Preliminary)
    } else {
        None
    }
}

/// 项目阶段 in the words ledgers use.
pub(crate) fn stage(cell: &Cell) -> Outcome<Stage> {
    let Some(t) = coded_text(cell)? else {
        return Ok(None);
    };
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    let stage = if has(&["取消", "终止"]) {
        Stage::Cancelled
    } else if has(&["停建", "停工", "暂停", "缓建"]) {
        Stage::Suspended
    } else if has(&["未开工", "待开工", "拟开工", "前期"]) {
        Stage::PreConstruction
    } else if has(&["达产", "达效"]) {
        Stage::AtCapacity
    } else if has(&["投产", "试生产", "运营", "试运行"]) {
        Stage::Producing
    } else if has(&["竣工", "建成", "完工"]) {
        Stage::Completed
    } else if has(&["开工", "在建", "施工", "建设中"]) {
        Stage::Started
    } else if has(&["签约"]) {
        Stage::Signed
    } else if has(&["谋划", "储备", "洽谈"]) {
        Stage::Planning
    } else {
        return Err(format!("无法识别的项目阶段“{}”", one_line(&cell.display())));
    };
    Ok(Some(Parsed::plain(stage)))
}

/// 项目代码 as the national approval platform issues it.
pub(crate) fn project_code(cell: &Cell) -> Outcome<String> {
    let Some(raw) = text(cell) else {
        return Ok(None);
    };
    match kfq_domain::project::parse_project_code(&raw) {
        Ok(Some(code)) => Ok(Some(Parsed::plain(code))),
        Ok(None) => Ok(None),
        Err(_) => Err(format!("项目代码格式不正确“{}”", one_line(&raw))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    fn yuan(cell: &Cell, unit: Unit) -> Result<Option<(i64, Option<String>)>, String> {
        money(cell, unit).map(|o| o.map(|p| (p.value.value.yuan(), p.value.qualifier)))
    }

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

    #[test]
    fn money_is_exact_in_yuan() {
        let n = |s: &str| Cell::Number(s.to_string());
        let cases: &[(Cell, Unit, i64, Option<&str>)] = &[
            (n("1.23"), Unit::Yi, 123_000_000, None),
            (Cell::from_f64(1.23), Unit::Yi, 123_000_000, None),
            (Cell::from_f64(0.1 + 0.2), Unit::Yi, 30_000_000, None),
            (n("1200"), Unit::Wan, 12_000_000, None),
            (n("0.0001"), Unit::Wan, 1, None),
            (n("5000000"), Unit::Yuan, 5_000_000, None),
            (t("12,000"), Unit::Wan, 120_000_000, None),
            (t("１２０００"), Unit::Wan, 120_000_000, None),
            (t("１.５"), Unit::Yi, 150_000_000, None),
            (t("约18亿元"), Unit::Wan, 1_800_000_000, Some("约")),
            (t("18亿"), Unit::Wan, 1_800_000_000, None),
            (t("3000万元"), Unit::Yi, 30_000_000, None),
            (t("约2.5"), Unit::Yi, 250_000_000, Some("约")),
            (t("5000余万元"), Unit::Yi, 50_000_000, Some("余")),
            (t("1亿元以上"), Unit::Wan, 100_000_000, Some("以上")),
            (t("8.8 亿元左右"), Unit::Wan, 880_000_000, Some("左右")),
            (t(" 2,100.5 "), Unit::Wan, 21_005_000, None),
            (t("500元"), Unit::Wan, 500, None),
            (t("0"), Unit::Wan, 0, None),
        ];
        for (cell, unit, expected, qualifier) in cases {
            assert_eq!(
                yuan(cell, *unit),
                Ok(Some((*expected, qualifier.map(str::to_string)))),
                "{cell:?} in {unit:?}"
            );
        }
        for blank in [Cell::Empty, t(""), t("—"), t("/"), t("无"), t("  ")] {
            assert_eq!(yuan(&blank, Unit::Wan), Ok(None), "{blank:?}");
        }
    }

    #[test]
    fn money_rounds_below_a_yuan_and_says_so() {
        let p = money(&Cell::Number("1.234567891".into()), Unit::Yi)
            .unwrap()
            .unwrap();
        assert_eq!(p.value.value.yuan(), 123_456_789);
        assert_eq!(
            p.warning.as_deref(),
            Some("“1.234567891”亿元不足1元的部分已四舍五入")
        );
        let p = money(&Cell::Number("0.00005".into()), Unit::Wan)
            .unwrap()
            .unwrap();
        assert_eq!(p.value.value.yuan(), 1);
    }

    #[test]
    fn unreadable_money_says_why() {
        let cases: &[(Cell, &str)] = &[
            (t("约十八个亿"), "无法识别的金额“约十八个亿”"),
            (t("待定"), "无法识别的金额“待定”"),
            (t("1e5"), "无法识别的金额“1e5”"),
            (t("-300"), "金额不能为负数“-300”"),
            (
                t("99999999999999999999"),
                "金额超出范围“99999999999999999999”",
            ),
            (
                Cell::Date(NaiveDate::from_ymd_opt(2023, 7, 1).unwrap()),
                "应为金额，单元格却是日期“2023-07-01”",
            ),
            (Cell::Error("#REF!".into()), "单元格是错误值“#REF!”"),
        ];
        for (cell, reason) in cases {
            assert_eq!(yuan(cell, Unit::Wan), Err(reason.to_string()), "{cell:?}");
        }
    }

    #[test]
    fn land_and_floor_area() {
        let mu = |c: Cell, u: Unit| {
            land(&c, u).map(|o| o.map(|p| (p.value.value.hundredths(), p.value.qualifier)))
        };
        assert_eq!(mu(t("500"), Unit::Mu), Ok(Some((50_000, None))));
        assert_eq!(
            mu(t("500余亩"), Unit::Mu),
            Ok(Some((50_000, Some("余".into()))))
        );
        assert_eq!(
            mu(t("约120.5亩"), Unit::Mu),
            Ok(Some((12_050, Some("约".into()))))
        );
        assert_eq!(
            mu(Cell::Number("12.345".into()), Unit::Mu),
            Ok(Some((1_235, None)))
        );
        assert_eq!(mu(t("10000平方米"), Unit::Mu), Ok(Some((1_500, None))));
        assert_eq!(mu(t("2公顷"), Unit::Mu), Ok(Some((3_000, None))));
        assert_eq!(
            mu(Cell::Number("6666.7".into()), Unit::SquareMetre),
            Ok(Some((1_000, None)))
        );
        assert_eq!(mu(t("—"), Unit::Mu), Ok(None));
        assert_eq!(
            mu(t("五百亩"), Unit::Mu),
            Err("无法识别的用地面积“五百亩”".into())
        );

        let m2 = |c: Cell, u: Unit| floor_area(&c, u).map(|o| o.map(|p| p.value.value));
        assert_eq!(m2(t("12000"), Unit::SquareMetre), Ok(Some(12_000)));
        assert_eq!(
            m2(Cell::Number("3.5".into()), Unit::WanSquareMetre),
            Ok(Some(35_000))
        );
        assert_eq!(m2(t("1.2万平方米"), Unit::SquareMetre), Ok(Some(12_000)));
        assert_eq!(m2(t("8,000㎡"), Unit::WanSquareMetre), Ok(Some(8_000)));
        assert_eq!(m2(t("15亩"), Unit::SquareMetre), Ok(Some(10_000)));
    }

    #[test]
    fn counts() {
        let c = |s: &str| count(&t(s)).map(|o| o.map(|p| (p.value.value, p.value.qualifier)));
        assert_eq!(c("200"), Ok(Some((200, None))));
        assert_eq!(c("200余人"), Ok(Some((200, Some("余".into())))));
        assert_eq!(c("约300人"), Ok(Some((300, Some("约".into())))));
        assert_eq!(c("12.5"), Err("人数应为不小于0的整数“12.5”".into()));
        assert_eq!(c("若干"), Err("无法识别的人数“若干”".into()));
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

    #[test]
    fn flags() {
        let f = |c: Cell| flag(&c).map(|o| o.map(|p| p.value));
        for yes in [
            "是",
            "√",
            "✓",
            "已入库",
            "入库",
            "Y",
            "yes",
            "TRUE",
            "已纳统",
        ] {
            assert_eq!(f(t(yes)), Ok(Some(true)), "{yes}");
        }
        for no in ["否", "×", "未入库", "不入库", "N", "no", "x", "FALSE"] {
            assert_eq!(f(t(no)), Ok(Some(false)), "{no}");
        }
        assert_eq!(f(Cell::Number("1".into())), Ok(Some(true)));
        assert_eq!(f(Cell::Bool(false)), Ok(Some(false)));
        assert_eq!(f(t("")), Ok(None));
        assert_eq!(f(t("正在办理")), Err("无法识别的“是/否”“正在办理”".into()));
    }

    #[test]
    fn coded_values() {
        let cat = |s: &str| category(&t(s)).map(|o| o.map(|p| p.value));
        assert_eq!(cat("产业类"), Ok(Some(Category::Industrial)));
        assert_eq!(cat("工业项目"), Ok(Some(Category::Industrial)));
        assert_eq!(cat("基础设施类"), Ok(Some(Category::Infrastructure)));
        assert_eq!(cat("社会民生"), Ok(Some(Category::Social)));
        assert_eq!(cat("民生类"), Ok(Some(Category::Social)));
        assert!(cat("其他")
            .unwrap_err()
            .starts_with("无法识别的项目类别“其他”"));

        let nat = |s: &str| nature(&t(s)).map(|o| o.map(|p| (p.value, p.warning.is_some())));
        assert_eq!(nat("新建"), Ok(Some((Nature::New, false))));
        assert_eq!(nat("续建"), Ok(Some((Nature::Continuing, false))));
        assert_eq!(nat("前期"), Ok(Some((Nature::Preliminary, false))));
        assert_eq!(nat("改扩建"), Ok(Some((Nature::New, true))));
        assert!(nat("在建").is_err());

        let st = |s: &str| stage(&t(s)).map(|o| o.map(|p| p.value));
        let cases = [
            ("谋划", Stage::Planning),
            ("已签约", Stage::Signed),
            ("前期手续办理", Stage::PreConstruction),
            ("未开工", Stage::PreConstruction),
            ("在建", Stage::Started),
            ("已开工", Stage::Started),
            ("主体完工", Stage::Completed),
            ("已竣工", Stage::Completed),
            ("试生产", Stage::Producing),
            ("已投产", Stage::Producing),
            ("达产", Stage::AtCapacity),
            ("停工", Stage::Suspended),
            ("取消", Stage::Cancelled),
        ];
        for (raw, expected) in cases {
            assert_eq!(st(raw), Ok(Some(expected)), "{raw}");
        }

        let code = |s: &str| project_code(&t(s)).map(|o| o.map(|p| p.value));
        assert_eq!(
            code("2304-140800-89-01-123456"),
            Ok(Some("2304-140800-89-01-123456".into()))
        );
        assert_eq!(code("—"), Ok(None));
        assert_eq!(code("待赋码"), Err("项目代码格式不正确“待赋码”".into()));
    }

    #[test]
    fn names_lose_line_breaks() {
        assert_eq!(
            name(&t(" 年产100万吨\n公路护栏项目 ")),
            Some("年产100万吨公路护栏项目".into())
        );
        assert_eq!(name(&Cell::Number("1".into())), Some("1".into()));
        assert_eq!(text(&t("—")), None);
    }
}
