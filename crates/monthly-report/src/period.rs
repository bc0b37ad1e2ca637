//! A reporting month (2024年6月) and the days that bound it.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Period {
    pub year: i32,
    pub month: u32,
}

impl Period {
    /// A month of a year kfq keeps (2000–2100).
    pub fn new(year: i32, month: u32) -> Option<Period> {
        ((2000..=2100).contains(&year) && (1..=12).contains(&month))
            .then_some(Period { year, month })
    }

    /// The month a day falls in.
    pub fn of(day: NaiveDate) -> Period {
        Period {
            year: day.year(),
            month: day.month(),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("valid period")
    }

    /// The month's last day: the bulletin describes the ledger at its close.
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().expect("valid period")
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

    /// Whether a day falls in this month.
    pub fn contains(self, day: NaiveDate) -> bool {
        Period::of(day) == self
    }

    /// "2024年6月".
    pub fn label(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }

    /// "1-6月" (year to date); "1月" in January.
    pub fn ytd_label(self) -> String {
        if self.month == 1 {
            "1月".into()
        } else {
            format!("1-{}月", self.month)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_and_labels() {
        let june = Period::new(2024, 6).unwrap();
        assert_eq!(june.last_day().to_string(), "2024-06-30");
        assert_eq!(
            Period::new(2024, 2).unwrap().last_day().to_string(),
            "2024-02-29"
        );
        assert_eq!(
            Period::new(2023, 2).unwrap().last_day().to_string(),
            "2023-02-28"
        );
        assert_eq!(
            Period::new(2024, 12).unwrap().last_day().to_string(),
            "2024-12-31"
        );
        assert_eq!(
            Period::new(2024, 12).unwrap().next(),
            Period::new(2025, 1).unwrap()
        );
        assert_eq!(
            Period::new(2025, 1).unwrap().previous(),
            Period::new(2024, 12).unwrap()
        );
        assert_eq!(june.label(), "2024年6月");
        assert_eq!(june.ytd_label(), "1-6月");
        assert_eq!(Period::new(2024, 1).unwrap().ytd_label(), "1月");
        assert!(Period::new(2024, 13).is_none() && Period::new(1999, 5).is_none());
        assert!(june.contains(NaiveDate::from_ymd_opt(2024, 6, 30).unwrap()));
        assert!(!june.contains(NaiveDate::from_ymd_opt(2024, 7, 1).unwrap()));
    }
}
