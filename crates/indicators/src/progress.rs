//! Derived figures of one zone and one indicator: 同比 growth, completion of
//! the annual target, 序时进度 and the gaps between them. Derived, never
//! stored. Percentages and points are integers in tenths (57.3% is 573),
//! rounded half away from zero as statistics bulletins round.

use serde::{Deserialize, Serialize};

use crate::catalogue::IndicatorKind;
use crate::figure::{div_round, Figure};
use crate::Period;

/// 同比: growth over the same period last year, in tenths of a percent.
///
/// None when last year's figure is missing, zero or negative: a growth rate
/// over a negative base has a misleading sign (a loss shrinking from −100 to
/// −50 would read −50%), and bulletins print such cases as 不可比.
pub fn yoy_tenths(current: Figure, last_year: Option<Figure>) -> Option<i64> {
    let base = i128::from(last_year?.scaled());
    if base <= 0 {
        return None;
    }
    let change = i128::from(current.scaled()) - base;
    i64::try_from(div_round(change * 1000, base)).ok()
}

/// Share of the annual target done, in tenths of a percent. None without a
/// positive target.
pub fn completion_tenths(actual: Figure, target: Figure) -> Option<i64> {
    let target = i128::from(target.scaled());
    if target <= 0 {
        return None;
    }
    i64::try_from(div_round(i128::from(actual.scaled()) * 1000, target)).ok()
}

/// 序时进度 at the end of a period: month ÷ 12 in tenths of a percent (June is
/// 500). Statistics count months (1–N月), not days, so a leap February is 2/12
/// like any other.
pub fn elapsed_tenths(period: Period) -> i64 {
    div_round(i128::from(period.month()) * 1000, 12) as i64
}

/// Completion minus 序时进度, in tenths of a point; negative is behind. Both
/// sides are rounded first so the gap is the difference of the two printed
/// numbers, which is how a reader checks it.
pub fn pace_gap_tenths(completion_tenths: i64, period: Period) -> i64 {
    completion_tenths - elapsed_tenths(period)
}

/// Actual growth minus target growth, in tenths of a point; negative is below.
pub fn growth_gap_tenths(growth_tenths: i64, target_tenths: i64) -> i64 {
    growth_tenths - target_tenths
}

/// The 省定考核目标 of one zone, indicator and year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The annual amount (or ratio level) for paced indicators.
    pub annual: Option<Figure>,
    /// The target growth rate, tenths of a percent: the target of a growth
    /// indicator, or the 增速 target that often comes with an amount.
    pub growth_tenths: Option<i64>,
}

/// Where one zone stands on one indicator at the end of a period, for a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// 同比 growth: computed for cumulative and ratio figures, the figure
    /// itself for a growth indicator.
    pub growth_tenths: Option<i64>,
    /// Completion of the annual target (paced indicators with a target).
    pub completion_tenths: Option<i64>,
    /// 序时进度 (paced indicators only).
    pub elapsed_tenths: Option<i64>,
    /// `completion − elapsed`, negative is behind.
    pub pace_gap_tenths: Option<i64>,
    /// `growth − target growth`, negative is below.
    pub growth_gap_tenths: Option<i64>,
}

/// Every derived figure of one observation. `actual` is the 1–N月累计 amount,
/// the ratio, or (growth indicators) the published growth rate in %;
/// `last_year` is the same period last year (ignored for growth indicators).
pub fn progress(
    kind: IndicatorKind,
    period: Period,
    actual: Figure,
    last_year: Option<Figure>,
    target: &Target,
) -> Progress {
    let growth = match kind {
        IndicatorKind::Growth => Some(actual.to_tenths()),
        IndicatorKind::Cumulative | IndicatorKind::Ratio => yoy_tenths(actual, last_year),
    };
    let paced = kind.is_paced();
    let completion = target
        .annual
        .filter(|_| paced)
        .and_then(|annual| completion_tenths(actual, annual));
    Progress {
        growth_tenths: growth,
        completion_tenths: completion,
        elapsed_tenths: paced.then(|| elapsed_tenths(period)),
        pace_gap_tenths: completion.map(|c| pace_gap_tenths(c, period)),
        growth_gap_tenths: growth
            .zip(target.growth_tenths)
            .map(|(g, t)| growth_gap_tenths(g, t)),
    }
}

/// "57.3%" from tenths of a percent.
pub fn percent(tenths: i64) -> String {
    format!("{}%", points(tenths))
}

/// Points from tenths, without a unit: "16.7", "-16.7", "0.5".
pub fn points(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let magnitude = tenths.unsigned_abs();
    format!("{sign}{}.{}", magnitude / 10, magnitude % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(raw: &str) -> Figure {
        Figure::parse(raw).unwrap()
    }

    fn month(year: i32, month: u32) -> Period {
        Period::new(year, month).unwrap()
    }

    #[test]
    fn yoy_growth() {
        let cases: [(&str, Option<&str>, Option<i64>); 13] = [
            // 同比增长28.9%: 12.89 亿元 against 10 亿元.
            ("12.89", Some("10"), Some(289)),
            ("18.6", Some("15.5"), Some(200)),
            ("8.3", Some("9.1"), Some(-88)),
            // Half a tenth rounds away from zero, both ways.
            ("100.05", Some("100"), Some(1)),
            ("99.95", Some("100"), Some(-1)),
            ("100.0499", Some("100"), Some(0)),
            ("0", Some("12.5"), Some(-1000)),
            ("-5", Some("10"), Some(-1500)),
            ("30", Some("10"), Some(2000)),
            // No base, no growth.
            ("12", None, None),
            ("12", Some("0"), None),
            ("-50", Some("-100"), None),
            ("12", Some("-3"), None),
        ];
        for (current, last_year, expected) in cases {
            assert_eq!(
                yoy_tenths(fig(current), last_year.map(fig)),
                expected,
                "{current} over {last_year:?}"
            );
        }
    }

    #[test]
    fn completion_of_the_annual_target() {
        let cases = [
            ("10", "30", Some(333)),
            ("20", "30", Some(667)),
            ("12.6", "25.2", Some(500)),
            ("31.5", "30", Some(1050)),
            ("0", "30", Some(0)),
            ("-1.5", "30", Some(-50)),
            // 0.05% of the target is half a tenth: rounds up.
            ("0.005", "10", Some(1)),
            ("10", "0", None),
            ("10", "-5", None),
        ];
        for (actual, target, expected) in cases {
            assert_eq!(
                completion_tenths(fig(actual), fig(target)),
                expected,
                "{actual}/{target}"
            );
        }
    }

    #[test]
    fn elapsed_share_counts_months() {
        let cases = [
            (month(2024, 1), 83),
            (month(2024, 2), 167),
            (month(2023, 2), 167),
            (month(2024, 3), 250),
            (month(2024, 6), 500),
            (month(2024, 7), 583),
            (month(2024, 11), 917),
            (month(2024, 12), 1000),
        ];
        for (period, expected) in cases {
            assert_eq!(elapsed_tenths(period), expected, "{period}");
        }
    }

    #[test]
    fn agrees_with_the_project_ledger() {
        for m in 1..=12 {
            assert_eq!(
                elapsed_tenths(month(2024, m)),
                kfq_domain::investment::elapsed_tenths(m)
            );
        }
    }

    #[test]
    fn gaps() {
        // June, 40% done: 10 points behind.
        assert_eq!(pace_gap_tenths(400, month(2024, 6)), -100);
        // January, 8.3% done: on pace.
        assert_eq!(pace_gap_tenths(83, month(2024, 1)), 0);
        // December, 102.5% done: 2.5 points ahead.
        assert_eq!(pace_gap_tenths(1025, month(2024, 12)), 25);
        assert_eq!(growth_gap_tenths(52, 80), -28);
        assert_eq!(growth_gap_tenths(-31, 60), -91);
        assert_eq!(growth_gap_tenths(95, 80), 15);
    }

    #[test]
    fn progress_of_a_cumulative_amount() {
        let target = Target {
            annual: Some(fig("30")),
            growth_tenths: Some(150),
        };
        let p = progress(
            IndicatorKind::Cumulative,
            month(2024, 6),
            fig("12.6"),
            Some(fig("11.2")),
            &target,
        );
        assert_eq!(
            p,
            Progress {
                growth_tenths: Some(125),
                completion_tenths: Some(420),
                elapsed_tenths: Some(500),
                pace_gap_tenths: Some(-80),
                growth_gap_tenths: Some(-25),
            }
        );
    }

    #[test]
    fn progress_of_a_growth_rate_and_without_targets() {
        let target = Target {
            annual: Some(fig("30")),
            growth_tenths: Some(80),
        };
        let p = progress(
            IndicatorKind::Growth,
            month(2024, 3),
            fig("6.25"),
            Some(fig("100")),
            &target,
        );
        assert_eq!(
            p,
            Progress {
                growth_tenths: Some(63),
                completion_tenths: None,
                elapsed_tenths: None,
                pace_gap_tenths: None,
                growth_gap_tenths: Some(-17),
            }
        );
        let bare = progress(
            IndicatorKind::Ratio,
            month(2024, 1),
            fig("1.2"),
            None,
            &Target::default(),
        );
        assert_eq!(bare.elapsed_tenths, Some(83));
        assert_eq!(
            (
                bare.growth_tenths,
                bare.completion_tenths,
                bare.pace_gap_tenths
            ),
            (None, None, None)
        );
    }

    #[test]
    fn shows_tenths() {
        assert_eq!(percent(573), "57.3%");
        assert_eq!(percent(-167), "-16.7%");
        assert_eq!(percent(5), "0.5%");
        assert_eq!(percent(-5), "-0.5%");
        assert_eq!(points(0), "0.0");
    }
}
