//! The reporting month (2024年6月) of every figure kfq reports: indicators
//! (1–N月累计), the monthly report and assessment quarters all count in it.
//! This module owns moving between months, the days that bound one, and the
//! day a month's figures are due.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A reporting month, "2024-06" in storage and the API, 2024年6月 on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Period {
    year: i32,
    month: u32,
}

impl Period {
    pub fn new(year: i32, month: u32) -> Result<Period, &'static str> {
        if !(1990..=2100).contains(&year) {
            return Err("error.year");
        }
        if !(1..=12).contains(&month) {
            return Err("error.month");
        }
        Ok(Period { year, month })
    }

    /// "2024-06", "2024-6" or "2024年6月".
    pub fn parse(raw: &str) -> Result<Period, &'static str> {
        let text = raw.trim();
        let (year, month) = text
            .split_once('-')
            .or_else(|| text.strip_suffix('月').and_then(|t| t.split_once('年')))
            .ok_or("error.period")?;
        let number = |s: &str| -> Result<u32, &'static str> {
            let ok = !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
            if ok {
                s.parse().map_err(|_| "error.period")
            } else {
                Err("error.period")
            }
        };
        let year = number(year)?;
        Period::new(year as i32, number(month)?)
    }

    /// The period a date falls in.
    pub fn of(date: NaiveDate) -> Period {
        Period {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    /// Whether a day falls in this month.
    pub fn contains(self, day: NaiveDate) -> bool {
        Period::of(day) == self
    }

    pub fn previous(self) -> Period {
        if self.month == 1 {
            Period {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Period {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// "2024年6月".
    pub fn label(self) -> String {
        self.to_string()
    }

    /// "1-6月" (year to date); "1月" in January.
    pub fn ytd_label(self) -> String {
        if self.month == 1 {
            "1月".into()
        } else {
            format!("1-{}月", self.month)
        }
    }

    /// The same months of last year, the base of 同比.
    pub fn same_period_last_year(self) -> Period {
        Period {
            year: self.year - 1,
            month: self.month,
        }
    }

    /// Months from `earlier` to this one (negative when `earlier` is later).
    pub fn months_since(self, earlier: Period) -> i32 {
        (self.year - earlier.year) * 12 + self.month as i32 - earlier.month as i32
    }

    pub fn next(self) -> Period {
        if self.month == 12 {
            Period {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Period {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("validated period")
    }

    pub fn last_day(self) -> NaiveDate {
        self.next()
            .first_day()
            .pred_opt()
            .expect("validated period")
    }

    /// Day `day` of the following month, when this period's figures are due.
    /// `day` is clamped to 1..=28 so every month has it.
    pub fn report_deadline(self, day: u32) -> NaiveDate {
        let next = self.next();
        NaiveDate::from_ymd_opt(next.year, next.month, day.clamp(1, 28)).expect("day within 28")
    }

    /// The storage form, "2024-06".
    pub fn code(self) -> String {
        format!("{}-{:02}", self.year, self.month)
    }
}

impl fmt::Display for Period {
    /// 2024年6月, as bulletins write it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}年{}月", self.year, self.month)
    }
}

impl TryFrom<String> for Period {
    type Error = &'static str;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Period::parse(&raw)
    }
}

impl From<Period> for String {
    fn from(period: Period) -> String {
        period.code()
    }
}

/// The form frozen into issued monthly reports, `{"year": 2024, "month": 6}`:
/// kept so a report issued earlier still compares equal to its figures.
pub mod as_year_and_month {
    use serde::{Serialize, Serializer};

    use super::Period;

    #[derive(Serialize)]
    struct YearMonth {
        year: i32,
        month: u32,
    }

    pub fn serialize<S: Serializer>(period: &Period, s: S) -> Result<S::Ok, S::Error> {
        YearMonth {
            year: period.year,
            month: period.month,
        }
        .serialize(s)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn months_since_counts_across_years() {
        let p = |y, m| Period::new(y, m).unwrap();
        assert_eq!(p(2026, 11).months_since(p(2025, 1)), 22);
        assert_eq!(p(2026, 1).months_since(p(2025, 12)), 1);
        assert_eq!(p(2025, 12).months_since(p(2026, 1)), -1);
        assert_eq!(p(2025, 6).months_since(p(2025, 6)), 0);
    }

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn parses_and_shows() {
        let june = Period::new(2024, 6).unwrap();
        for raw in ["2024-06", "2024-6", "2024年6月", " 2024年06月 "] {
            assert_eq!(Period::parse(raw), Ok(june), "{raw}");
        }
        assert_eq!(june.code(), "2024-06");
        assert_eq!(june.to_string(), "2024年6月");
        for (raw, key) in [
            ("2024-13", "error.month"),
            ("2024-0", "error.month"),
            ("1899-01", "error.year"),
            ("2024/06", "error.period"),
            ("2024-", "error.period"),
            ("六月", "error.period"),
        ] {
            assert_eq!(Period::parse(raw), Err(key), "{raw}");
        }
    }

    #[test]
    fn moves_between_periods() {
        let dec = Period::new(2023, 12).unwrap();
        assert_eq!(dec.next(), Period::new(2024, 1).unwrap());
        assert_eq!(dec.same_period_last_year(), Period::new(2022, 12).unwrap());
        assert_eq!(Period::of(date(2024, 2, 29)), Period::new(2024, 2).unwrap());
        assert!(Period::new(2023, 12).unwrap() < Period::new(2024, 1).unwrap());
    }

    #[test]
    fn days_and_deadlines() {
        let feb = |y| Period::new(y, 2).unwrap();
        assert_eq!(feb(2024).last_day(), date(2024, 2, 29));
        assert_eq!(feb(2023).last_day(), date(2023, 2, 28));
        assert_eq!(feb(2024).report_deadline(10), date(2024, 3, 10));
        let dec = Period::new(2024, 12).unwrap();
        assert_eq!(dec.last_day(), date(2024, 12, 31));
        assert_eq!(dec.report_deadline(10), date(2025, 1, 10));
        // January's figures due on a day February lacks: clamped to the 28th.
        assert_eq!(
            Period::new(2023, 1).unwrap().report_deadline(31),
            date(2023, 2, 28)
        );
    }

    #[test]
    fn bounds_and_labels() {
        let june = Period::new(2024, 6).unwrap();
        assert_eq!(june.last_day(), date(2024, 6, 30));
        assert_eq!(
            Period::new(2025, 1).unwrap().previous(),
            Period::new(2024, 12).unwrap()
        );
        assert_eq!(june.label(), "2024年6月");
        assert_eq!(june.ytd_label(), "1-6月");
        assert_eq!(Period::new(2024, 1).unwrap().ytd_label(), "1月");
        assert!(Period::new(2024, 13).is_err() && Period::new(1989, 5).is_err());
        assert!(june.contains(date(2024, 6, 30)));
        assert!(!june.contains(date(2024, 7, 1)));
    }

    #[test]
    fn frozen_reports_keep_their_form() {
        #[derive(serde::Serialize)]
        struct Report {
            #[serde(with = "as_year_and_month")]
            period: Period,
        }
        let report = Report {
            period: Period::new(2024, 6).unwrap(),
        };
        assert_eq!(
            serde_json::to_string(&report).unwrap(),
            r#"{"period":{"year":2024,"month":6}}"#
        );
    }

    #[test]
    fn serialises_as_its_code() {
        let june = Period::new(2024, 6).unwrap();
        assert_eq!(serde_json::to_string(&june).unwrap(), "\"2024-06\"");
        assert_eq!(serde_json::from_str::<Period>("\"2024-06\"").unwrap(), june);
        assert!(serde_json::from_str::<Period>("\"2024-13\"").is_err());
    }
}
