//! Month-to-month memory of warnings for one zone and one indicator: a red
//! that sticks until the shortfall is made up (瓯海's rule), and the history
//! of when a warning was raised and when it was lifted.
//!
//! The rule, precisely. Only the shortfall rules (pace and growth) stick; a
//! late report is over once the report is in.
//!
//! 1. A shortfall rule that is red in a month is *held*.
//! 2. A held rule is released in a later month only when that rule is checked
//!    that month and comes out green — its shortfall is back within the
//!    yellow threshold (at most half the red threshold: 5 points behind
//!    序时进度, 2.5 points below target growth by default). Yellow is not
//!    enough: a zone that climbs from 12 to 7 points behind is still red.
//! 3. A month in which the rule cannot be checked (no figure, no target)
//!    proves nothing, so the hold continues.
//! 4. A month's level is red while any rule is held, otherwise its raw level.
//!    So red can ease to yellow when the held rule recovers but another rule
//!    is yellow.
//!
//! A new year needs no special case: January's pace is judged against the new
//! target, and a January that is on pace releases the hold.

use kfq_domain::Rag;
use serde::Serialize;

use crate::warning::{severity, Assessment, WarningRule};
use crate::Period;
use kfq_domain::code_enum;

/// One month after memory is applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthLevel {
    pub period: Period,
    /// The month's own level.
    pub raw: Rag,
    /// The level shown: red while a rule is held.
    pub level: Rag,
    /// Rules held red although not red this month: why `level` is worse than `raw`.
    pub held: Vec<WarningRule>,
}

code_enum! {
    /// How the level changed.
    Change {
        /// The first month of the series.
        Start = "start",
        /// The level got worse (green → yellow, anything → red).
        Raised = "raised",
        /// Red eased to yellow.
        Eased = "eased",
        /// Back to green.
        Recovered = "recovered",
    }
}

/// A change of level, for a warning's history ("2024年3月转红，7月恢复").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Transition {
    pub period: Period,
    /// None for the first month.
    pub from: Option<Rag>,
    pub to: Rag,
    pub change: Change,
}

/// Applies the hold rule to a series of monthly assessments. The series is
/// taken in period order whatever order it comes in; for a period given twice
/// the later entry counts. Missing months are simply skipped.
pub fn effective_levels(series: &[(Period, Assessment)]) -> Vec<MonthLevel> {
    let mut months: Vec<&(Period, Assessment)> = series.iter().collect();
    // Stable sort, then keep the last of each period.
    months.sort_by_key(|(period, _)| *period);
    let mut deduped: Vec<&(Period, Assessment)> = Vec::with_capacity(months.len());
    for month in months {
        match deduped.last_mut() {
            Some(last) if last.0 == month.0 => *last = month,
            _ => deduped.push(month),
        }
    }

    let mut held: Vec<WarningRule> = Vec::new();
    deduped
        .into_iter()
        .map(|(period, assessment)| {
            held.retain(|rule| assessment.rule_level(*rule) != Some(Rag::Green));
            for flag in &assessment.flags {
                let rule = flag.reason.rule();
                if flag.level == Rag::Red && rule.measures_shortfall() && !held.contains(&rule) {
                    held.push(rule);
                }
            }
            let level = if held.is_empty() {
                assessment.level
            } else {
                Rag::Red
            };
            MonthLevel {
                period: *period,
                raw: assessment.level,
                level,
                held: held
                    .iter()
                    .copied()
                    .filter(|rule| assessment.rule_level(*rule) != Some(Rag::Red))
                    .collect(),
            }
        })
        .collect()
}

/// The changes of level over a series: the first month, then every month
/// whose level differs from the month before (after the hold rule).
pub fn warning_history(series: &[(Period, Assessment)]) -> Vec<Transition> {
    let mut transitions = Vec::new();
    let mut previous: Option<Rag> = None;
    for month in effective_levels(series) {
        let change = match previous {
            None => Some(Change::Start),
            Some(from) if from == month.level => None,
            Some(from) if severity(month.level) > severity(from) => Some(Change::Raised),
            Some(_) if month.level == Rag::Green => Some(Change::Recovered),
            Some(_) => Some(Change::Eased),
        };
        if let Some(change) = change {
            transitions.push(Transition {
                period: month.period,
                from: previous,
                to: month.level,
                change,
            });
        }
        previous = Some(month.level);
    }
    transitions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{standard_catalogue, IndicatorDef};
    use crate::figure::Figure;
    use crate::progress::Target;
    use crate::warning::{assess, Observation, WarningRules};

    fn month(y: i32, m: u32) -> Period {
        Period::new(y, m).unwrap()
    }

    fn investment() -> IndicatorDef {
        standard_catalogue().remove(0)
    }

    /// 工业投资 with an annual target of 12 亿元 (so 1 亿元 a month is on
    /// pace) and no growth target: the pace rule alone.
    fn paced(y: i32, m: u32, done: Option<&str>) -> (Period, Assessment) {
        let period = month(y, m);
        let observation = Observation {
            period,
            actual: done.map(|d| Figure::parse(d).unwrap()),
            last_year: None,
            target: Target {
                annual: Some(Figure::from_units(12)),
                growth_tenths: None,
            },
        };
        // Assessed the day the figure is due, so nothing is late yet.
        let today = period.report_deadline(10);
        (
            period,
            assess(&investment(), &WarningRules::default(), today, &observation),
        )
    }

    fn levels(series: &[(Period, Assessment)]) -> Vec<(u32, Rag, Rag)> {
        effective_levels(series)
            .iter()
            .map(|m| (m.period.month(), m.raw, m.level))
            .collect()
    }

    #[test]
    fn red_holds_until_the_shortfall_is_made_up() {
        use Rag::{Green, Red, Yellow};
        // 序时进度 of 12 亿元: 1, 2, 3 … 亿元. Shortfall in points:
        // Mar 2.5/3 → 4.2 behind; Apr 2.6/4 → 11.7 red; May 4.2/5 → 6.7
        // (yellow raw, held red); Jun 5.1/6 → 7.5 (held); Jul 6.6/7 → 3.3
        // (green: released); Aug 6.9/8 → 9.2 (yellow, not held again).
        let series = [
            paced(2024, 3, Some("2.5")),
            paced(2024, 4, Some("2.6")),
            paced(2024, 5, Some("4.2")),
            paced(2024, 6, Some("5.1")),
            paced(2024, 7, Some("6.6")),
            paced(2024, 8, Some("6.9")),
        ];
        assert_eq!(
            levels(&series),
            [
                (3, Green, Green),
                (4, Red, Red),
                (5, Yellow, Red),
                (6, Yellow, Red),
                (7, Green, Green),
                (8, Yellow, Yellow),
            ]
        );
        let held: Vec<_> = effective_levels(&series)
            .iter()
            .map(|m| m.held.clone())
            .collect();
        assert_eq!(held[1], []);
        assert_eq!(held[2], [WarningRule::Pace]);
        assert_eq!(held[4], []);
        let history: Vec<_> = warning_history(&series)
            .iter()
            .map(|t| (t.period.month(), t.from, t.to, t.change))
            .collect();
        assert_eq!(
            history,
            [
                (3, None, Green, Change::Start),
                (4, Some(Green), Red, Change::Raised),
                (7, Some(Red), Green, Change::Recovered),
                (8, Some(Green), Yellow, Change::Raised),
            ]
        );
    }

    #[test]
    fn the_release_threshold_is_the_yellow_threshold() {
        use Rag::{Green, Red, Yellow};
        // Jun 3.8 → 31.7% vs 50.0%: 18.3 behind, red. Jul 6.2 → 6.6 behind
        // and Aug 7.0 → 8.4 behind: yellow, held. Sep 7.0 → 16.7 behind, red
        // again. Oct 9.4 → 78.3% vs 83.3%: exactly 5.0 behind, which is within
        // the yellow threshold: released. Nov 10.5 → 4.2 behind, green.
        // Dec 11.3 → 5.8 behind, yellow.
        let series = [
            paced(2024, 6, Some("3.8")),
            paced(2024, 7, Some("6.2")),
            paced(2024, 8, Some("7.0")),
            paced(2024, 9, Some("7.0")),
            paced(2024, 10, Some("9.4")),
            paced(2024, 11, Some("10.5")),
            paced(2024, 12, Some("11.3")),
        ];
        assert_eq!(
            levels(&series),
            [
                (6, Red, Red),
                (7, Yellow, Red),
                (8, Yellow, Red),
                (9, Red, Red),
                (10, Green, Green),
                (11, Green, Green),
                (12, Yellow, Yellow),
            ]
        );
    }

    #[test]
    fn a_month_without_data_does_not_release() {
        use Rag::{Green, Red};
        // May red; June not reported (assessed before the deadline, so raw
        // green); July back on pace.
        let series = [
            paced(2024, 5, Some("2.0")),
            paced(2024, 6, None),
            paced(2024, 7, Some("7.0")),
        ];
        assert_eq!(
            levels(&series),
            [(5, Red, Red), (6, Green, Red), (7, Green, Green)]
        );
    }

    #[test]
    fn red_eases_to_yellow_when_another_rule_is_yellow() {
        use Rag::{Red, Yellow};
        let with_growth = |m: u32, done: &str, growth: i64| {
            let period = month(2024, m);
            let observation = Observation {
                period,
                actual: Some(Figure::parse(done).unwrap()),
                // Last year's same period is `m` 亿元, so growth follows `done`.
                last_year: Some(Figure::from_units(i64::from(m))),
                target: Target {
                    annual: Some(Figure::from_units(12)),
                    growth_tenths: Some(growth),
                },
            };
            (
                period,
                assess(
                    &investment(),
                    &WarningRules::default(),
                    period.report_deadline(10),
                    &observation,
                ),
            )
        };
        // Apr: 2.6/4 → 11.7 behind (red), growth −35% vs −40% target: green.
        // May: 4.8/5 → 3.3 behind (green), growth −4.0% vs 0.0%: 4 below, yellow.
        let series = [with_growth(4, "2.6", -400), with_growth(5, "4.8", 0)];
        assert_eq!(levels(&series), [(4, Red, Red), (5, Yellow, Yellow)]);
        let history = warning_history(&series);
        assert_eq!(history[1].change, Change::Eased);
        assert_eq!(history[1].from, Some(Rag::Red));
    }

    #[test]
    fn order_duplicates_and_new_years() {
        use Rag::{Green, Red};
        let series = [
            paced(2025, 1, Some("1")),
            paced(2024, 12, Some("9")),
            paced(2024, 11, Some("1")),
            // A corrected November (87.5% vs 91.7%) replaces the first (8.3%).
            paced(2024, 11, Some("10.5")),
        ];
        // Dec 9 → 75.0% vs 100%: red. January of the new year, 1 亿元 of a
        // new 12: on pace, released.
        assert_eq!(
            levels(&series),
            [(11, Green, Green), (12, Red, Red), (1, Green, Green)]
        );
        assert!(warning_history(&[]).is_empty());
    }
}
