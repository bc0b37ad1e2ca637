//! A quarter of a year (2025年第二季度) and the month that closes it.

use chrono::NaiveDate;
use kfq_monthly_report::Period;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Quarter {
    pub year: i32,
    /// 1..=4.
    pub quarter: u32,
}

impl Quarter {
    pub fn new(year: i32, quarter: u32) -> Option<Quarter> {
        (Period::new(year, 1).is_ok() && (1..=4).contains(&quarter))
            .then_some(Quarter { year, quarter })
    }

    /// The quarter a day falls in.
    pub fn of(day: NaiveDate) -> Quarter {
        let p = Period::of(day);
        Quarter {
            year: p.year(),
            quarter: (p.month() - 1) / 3 + 1,
        }
    }

    /// The quarter's last month: scores describe the ledger at its close.
    pub fn last_period(self) -> Period {
        Period::new(self.year, self.quarter * 3).expect("a quarter of a kept year")
    }

    pub fn first_day(self) -> NaiveDate {
        Period::new(self.year, self.quarter * 3 - 2)
            .expect("a quarter of a kept year")
            .first_day()
    }

    pub fn last_day(self) -> NaiveDate {
        self.last_period().last_day()
    }

    /// The four quarters of a year.
    pub fn of_year(year: i32) -> [Quarter; 4] {
        [1, 2, 3, 4].map(|quarter| Quarter { year, quarter })
    }

    /// "2025年第二季度".
    pub fn label(self) -> String {
        format!("{}年{}", self.year, self.short_label())
    }

    /// "第二季度".
    pub fn short_label(self) -> &'static str {
        ["第一季度", "第二季度", "第三季度", "第四季度"][(self.quarter as usize - 1).min(3)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_and_labels() {
        let q2 = Quarter::new(2025, 2).unwrap();
        assert_eq!(q2.first_day().to_string(), "2025-04-01");
        assert_eq!(q2.last_day().to_string(), "2025-06-30");
        assert_eq!(q2.last_period().month(), 6);
        assert_eq!(q2.label(), "2025年第二季度");
        assert_eq!(
            Quarter::of(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()),
            Quarter::new(2025, 4).unwrap()
        );
        assert_eq!(
            Quarter::of(NaiveDate::from_ymd_opt(2025, 4, 1).unwrap()).quarter,
            2
        );
        assert!(Quarter::new(2025, 5).is_none() && Quarter::new(1989, 1).is_none());
    }
}
