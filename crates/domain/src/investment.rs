//! Investment figures derived from monthly completions: year to date (1–N月累计),
//! cumulative since the start, completion of the annual plan and the gap to
//! 序时进度 (the share of the year elapsed). Derived, never stored. Percentages
//! are kept in tenths of a point as integers, so 57.3% is 573.

use crate::money::Money;

/// One month's completed investment (当月完成).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthAmount {
    pub year: i32,
    pub month: u32,
    pub amount: Money,
}

/// 1–N月累计: completions of `year` up to and including `month`.
pub fn year_to_date(months: &[MonthAmount], year: i32, month: u32) -> Money {
    months
        .iter()
        .filter(|m| m.year == year && m.month <= month)
        .map(|m| m.amount)
        .sum()
}

/// 开工以来累计: every completion up to and including (`year`, `month`).
pub fn cumulative(months: &[MonthAmount], year: i32, month: u32) -> Money {
    months
        .iter()
        .filter(|m| (m.year, m.month) <= (year, month))
        .map(|m| m.amount)
        .sum()
}

/// 开工以来累计 when a ledger stated the total since the start at the end of
/// (`as_year`, `as_month`) (`opening`): that total plus the months after it.
/// Before that month the months alone are all kfq knows.
pub fn cumulative_from(
    months: &[MonthAmount],
    opening: Option<(Money, (i32, u32))>,
    year: i32,
    month: u32,
) -> Money {
    match opening {
        Some((amount, at)) if (year, month) >= at => {
            amount
                + months
                    .iter()
                    .filter(|m| (m.year, m.month) > at && (m.year, m.month) <= (year, month))
                    .map(|m| m.amount)
                    .sum::<Money>()
        }
        _ => cumulative(months, year, month),
    }
}

/// Share of `plan` done, in tenths of a percent, rounded; none without a plan.
pub fn completion_tenths(done: Money, plan: Money) -> Option<i64> {
    if plan.yuan() <= 0 {
        return None;
    }
    let (done, plan) = (done.yuan() as i128, plan.yuan() as i128);
    Some(((done * 1000 * 2 + plan) / (plan * 2)) as i64)
}

/// A unit's light on a ranking by completion: green at or ahead of 序时进度,
/// yellow up to ten points behind, red beyond; none without a plan.
pub fn pace_rag(gap_tenths: Option<i64>) -> Option<crate::Rag> {
    gap_tenths.map(|g| match g {
        g if g < -100 => crate::Rag::Red,
        g if g < 0 => crate::Rag::Yellow,
        _ => crate::Rag::Green,
    })
}

/// 序时进度 at the end of `month`: month/12, in tenths of a percent.
pub fn elapsed_tenths(month: u32) -> i64 {
    let month = i64::from(month.clamp(1, 12));
    (month * 1000 * 2 + 12) / 24
}

/// Completion minus 序时进度, in tenths of a point: negative is behind.
pub fn gap_to_elapsed_tenths(done: Money, plan: Money, month: u32) -> Option<i64> {
    completion_tenths(done, plan).map(|c| c - elapsed_tenths(month))
}

/// "57.3%" from tenths.
pub fn percent(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    format!("{sign}{}.{}%", tenths.abs() / 10, tenths.abs() % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months() -> Vec<MonthAmount> {
        let wan = Money::from_wan;
        vec![
            MonthAmount {
                year: 2023,
                month: 11,
                amount: wan(300),
            },
            MonthAmount {
                year: 2023,
                month: 12,
                amount: wan(500),
            },
            MonthAmount {
                year: 2024,
                month: 1,
                amount: wan(100),
            },
            MonthAmount {
                year: 2024,
                month: 2,
                amount: wan(0),
            },
            MonthAmount {
                year: 2024,
                month: 3,
                amount: wan(250),
            },
            MonthAmount {
                year: 2024,
                month: 6,
                amount: wan(650),
            },
        ]
    }

    #[test]
    fn year_to_date_and_cumulative() {
        let m = months();
        assert_eq!(year_to_date(&m, 2024, 3), Money::from_wan(350));
        assert_eq!(year_to_date(&m, 2024, 12), Money::from_wan(1000));
        assert_eq!(year_to_date(&m, 2023, 12), Money::from_wan(800));
        assert_eq!(cumulative(&m, 2024, 3), Money::from_wan(1150));
        assert_eq!(cumulative(&m, 2023, 11), Money::from_wan(300));
        // A ledger said 5,000 since the start at the end of 2024-02: March adds.
        let opening = Some((Money::from_wan(5_000), (2024, 2)));
        assert_eq!(
            cumulative_from(&m, opening, 2024, 3),
            Money::from_wan(5_250)
        );
        assert_eq!(
            cumulative_from(&m, opening, 2024, 6),
            Money::from_wan(5_900)
        );
        assert_eq!(
            cumulative_from(&m, opening, 2024, 2),
            Money::from_wan(5_000)
        );
        assert_eq!(
            cumulative_from(&m, opening, 2024, 1),
            cumulative(&m, 2024, 1)
        );
        assert_eq!(cumulative_from(&m, None, 2024, 3), cumulative(&m, 2024, 3));
        assert_eq!(year_to_date(&[], 2024, 6), Money::ZERO);
    }

    #[test]
    fn completion_and_elapsed_share() {
        assert_eq!(elapsed_tenths(6), 500);
        assert_eq!(elapsed_tenths(1), 83);
        assert_eq!(elapsed_tenths(12), 1000);
        assert_eq!(
            completion_tenths(Money::from_wan(1000), Money::from_wan(3000)),
            Some(333)
        );
        assert_eq!(
            completion_tenths(Money::from_wan(2), Money::from_wan(3)),
            Some(667)
        );
        assert_eq!(completion_tenths(Money::from_wan(1), Money::ZERO), None);
        // June, a third of the plan done: 16.7 points behind 序时进度.
        assert_eq!(
            gap_to_elapsed_tenths(Money::from_wan(1000), Money::from_wan(3000), 6),
            Some(-167)
        );
        assert_eq!(percent(573), "57.3%");
        assert_eq!(percent(-167), "-16.7%");
        assert_eq!(percent(5), "0.5%");
    }

    #[test]
    fn a_unit_ten_points_behind_is_yellow_beyond_red() {
        use crate::Rag::*;
        let at = |g| pace_rag(Some(g));
        assert_eq!(
            (at(0), at(-1), at(-100), at(-101)),
            (Some(Green), Some(Yellow), Some(Yellow), Some(Red))
        );
        assert_eq!(at(250), Some(Green));
        assert_eq!(pace_rag(None), None);
    }
}
