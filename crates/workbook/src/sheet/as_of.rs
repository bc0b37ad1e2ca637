//! The reporting date of a ledger sheet (截至日期): the day its facts describe.
//! A date in the ledger after it is a plan, one on or before it evidence. Read,
//! most explicit first, from a stated cut-off above the header ("截至2024年6月30日",
//! "截止6月底"), the title's month ("2024年6月份…台账", "2024年1-6月…"), the sheet's
//! name ("6月", "2024.6"), or the "1-N月" of the year-to-date column.

use chrono::{Datelike, NaiveDate};

use crate::text::compact;

/// Where the reporting date was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AsOfSource {
    /// "截至2024年6月30日" above the header.
    Stated,
    /// The month in the title.
    Title,
    /// The sheet's name.
    SheetName,
    /// N of the "1-N月" year-to-date column.
    YearToDate,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AsOf {
    pub date: NaiveDate,
    pub source: AsOfSource,
    /// The words it was read from, as written.
    pub text: String,
}

/// The reporting date from what the sheet shows; `year` is the ledger's year
/// for texts that give only a month.
pub(crate) fn find_as_of(
    above: &[String],
    title: Option<&str>,
    sheet_name: &str,
    year: Option<i32>,
    ytd_month: Option<u8>,
) -> Option<AsOf> {
    let found = |source, text: &str, date| AsOf {
        date,
        source,
        text: text.trim().to_owned(),
    };
    if let Some((text, date)) = above
        .iter()
        .find_map(|t| stated_cut_off(t, year).map(|d| (t, d)))
    {
        return Some(found(AsOfSource::Stated, text, date));
    }
    if let Some(title) = title {
        if let Some((y, m)) = year_month(title) {
            return Some(found(AsOfSource::Title, title, month_end(y, m)?));
        }
    }
    if let Some(m) = month_of_name(sheet_name) {
        let (y, m) = match m {
            (Some(y), m) => (y, m),
            (None, m) => (year?, m),
        };
        return Some(found(AsOfSource::SheetName, sheet_name, month_end(y, m)?));
    }
    let (y, m) = (year?, ytd_month?);
    Some(found(
        AsOfSource::YearToDate,
        &format!("1-{m}月"),
        month_end(y, u32::from(m))?,
    ))
}

/// The last day of a month.
pub fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = first.checked_add_months(chrono::Months::new(1))?;
    next.pred_opt().filter(|d| d.year() == year)
}

/// Digits starting at `i`, with where they end.
fn number_at(chars: &[char], i: usize) -> Option<(u32, usize)> {
    let end = (i..chars.len())
        .find(|&j| !chars[j].is_ascii_digit())
        .unwrap_or(chars.len());
    if end == i || end - i > 4 {
        return None;
    }
    let n = chars[i..end].iter().collect::<String>().parse().ok()?;
    Some((n, end))
}

/// "截至2024年6月30日", "截止到6月底", "截至目前（2024年6月末）": the day, the
/// year taken from `year` when the text has none.
pub(crate) fn stated_cut_off(text: &str, year: Option<i32>) -> Option<NaiveDate> {
    let t = compact(text);
    let at = ["截至", "截止"].iter().filter_map(|w| t.find(w)).min()?;
    let chars: Vec<char> = t[at..].chars().skip(2).collect();
    // The first number after the word starts the date.
    let start = chars.iter().position(char::is_ascii_digit)?;
    if start > 6 {
        return None;
    }
    let (first, end) = number_at(&chars, start)?;
    let (y, month_at) = if chars.get(end) == Some(&'年') {
        (i32::try_from(first).ok()?, end + 1)
    } else {
        (year?, start)
    };
    let (m, end) = number_at(&chars, month_at)?;
    if chars.get(end) != Some(&'月') {
        return None;
    }
    match number_at(&chars, end + 1) {
        Some((d, after)) if chars.get(after) == Some(&'日') => NaiveDate::from_ymd_opt(y, m, d),
        _ => month_end(y, m),
    }
}

/// "2024年6月", "2024年1-6月", "2024年1至6月": the year and the (last) month.
fn year_month(text: &str) -> Option<(i32, u32)> {
    let chars: Vec<char> = compact(text).chars().collect();
    (0..chars.len()).find_map(|i| {
        if i > 0 && chars[i - 1].is_ascii_digit() {
            return None;
        }
        let (y, end) = number_at(&chars, i)?;
        if end - i != 4 || chars.get(end) != Some(&'年') || !(1990..=2100).contains(&y) {
            return None;
        }
        let (m1, end) = number_at(&chars, end + 1)?;
        let m = match chars.get(end) {
            Some('月') => m1,
            Some('-' | '—' | '–' | '~' | '至' | '到') => {
                let (m2, end) = number_at(&chars, end + 1)?;
                (chars.get(end) == Some(&'月')).then_some(m2)?
            }
            _ => return None,
        };
        if !(1..=12).contains(&m) {
            return None;
        }
        Some((i32::try_from(y).ok()?, m))
    })
}

/// A sheet named for its month: "6月", "6月份", "2024年6月", "2024.6", "202406",
/// "1-6月"; a CSV file's name without its extension ("6月.csv").
pub(crate) fn month_of_name(name: &str) -> Option<(Option<i32>, u32)> {
    let t = compact(name);
    let t = match t.rsplit_once('.') {
        Some((base, ext)) if !ext.is_empty() && ext.chars().all(|c| c.is_ascii_alphabetic()) => {
            base.to_string()
        }
        _ => t,
    };
    if let Some((y, m)) = year_month(&t) {
        return Some((Some(y), m));
    }
    let chars: Vec<char> = t.chars().collect();
    if chars.len() == 6 && chars.iter().all(char::is_ascii_digit) {
        let n: u32 = t.parse().ok()?;
        let (y, m) = (n / 100, n % 100);
        if (1990..=2100).contains(&y) && (1..=12).contains(&m) {
            return Some((Some(i32::try_from(y).ok()?), m));
        }
        return None;
    }
    let (n, end) = number_at(&chars, 0)?;
    let rest: String = chars[end..].iter().collect();
    if (1..=12).contains(&n) && (rest == "月" || rest == "月份") {
        return Some((None, n));
    }
    // "1-6月": the months a year-to-date sheet covers.
    if n == 1 && matches!(chars.get(end), Some('-' | '—' | '–' | '~' | '至')) {
        let (m, after) = number_at(&chars, end + 1)?;
        let rest: String = chars[after..].iter().collect();
        if (1..=12).contains(&m) && (rest == "月" || rest == "月份") {
            return Some((None, m));
        }
    }
    if (1990..=2100).contains(&n) && end == 4 && matches!(chars.get(end), Some('.' | '-')) {
        let (m, after) = number_at(&chars, end + 1)?;
        if after != chars.len() || !(1..=12).contains(&m) {
            return None;
        }
        return Some((Some(i32::try_from(n).ok()?), m));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn as_of(above: &[&str], title: Option<&str>, name: &str, ytd: Option<u8>) -> Option<AsOf> {
        let above: Vec<String> = above.iter().map(|s| s.to_string()).collect();
        find_as_of(&above, title, name, Some(2024), ytd)
    }

    #[test]
    fn a_stated_cut_off_comes_first() {
        let found = as_of(
            &["填报单位：运城经开区", "截至2024年6月30日"],
            Some("2024年5月重点项目台账"),
            "Sheet1",
            Some(5),
        )
        .unwrap();
        assert_eq!(found.date, d(2024, 6, 30));
        assert_eq!(found.source, AsOfSource::Stated);
        assert_eq!(found.text, "截至2024年6月30日");
        assert_eq!(
            as_of(&["（截止到 9 月底）"], None, "Sheet1", None)
                .unwrap()
                .date,
            d(2024, 9, 30)
        );
        assert_eq!(
            as_of(&["数据截至2023年12月"], None, "Sheet1", None)
                .unwrap()
                .date,
            d(2023, 12, 31)
        );
        assert_eq!(
            as_of(&["截至目前（2月20日）"], None, "Sheet1", None)
                .unwrap()
                .date,
            d(2024, 2, 20)
        );
    }

    #[test]
    fn then_the_titles_month() {
        let title = |t: &str| as_of(&[], Some(t), "Sheet1", None).map(|a| a.date);
        assert_eq!(title("2024年6月份重点项目推进台账"), Some(d(2024, 6, 30)));
        assert_eq!(title("2024年1-6月重点项目完成情况表"), Some(d(2024, 6, 30)));
        assert_eq!(title("2022年1至2月项目台账"), Some(d(2022, 2, 28)));
        assert_eq!(title("2024年重点项目台账"), None);
    }

    #[test]
    fn then_the_sheets_name_then_the_year_to_date() {
        let name = |n: &str| as_of(&[], Some("2024年重点项目台账"), n, None).map(|a| a.date);
        assert_eq!(name("6月"), Some(d(2024, 6, 30)));
        assert_eq!(name("11月份"), Some(d(2024, 11, 30)));
        assert_eq!(name("2023.9"), Some(d(2023, 9, 30)));
        assert_eq!(name("202402"), Some(d(2024, 2, 29)));
        assert_eq!(name("2023年12月"), Some(d(2023, 12, 31)));
        assert_eq!(name("1-6月"), Some(d(2024, 6, 30)));
        assert_eq!(name("1—5月份"), Some(d(2024, 5, 31)));
        assert_eq!(name("2024年1-8月"), Some(d(2024, 8, 31)));
        assert_eq!(name("6-8月"), None);
        assert_eq!(name("6月.csv"), Some(d(2024, 6, 30)));
        assert_eq!(name("2024.5.csv"), Some(d(2024, 5, 31)));
        assert_eq!(name("台账.csv"), None);
        assert_eq!(name("Sheet1"), None);
        assert_eq!(name("在建项目"), None);
        let ytd = as_of(&[], None, "Sheet1", Some(8)).unwrap();
        assert_eq!(ytd.date, d(2024, 8, 31));
        assert_eq!(ytd.source, AsOfSource::YearToDate);
    }

    #[test]
    fn without_a_year_a_month_alone_tells_nothing() {
        let above = vec!["截止6月底".to_string()];
        assert_eq!(find_as_of(&above, None, "6月", None, Some(6)), None);
    }
}
