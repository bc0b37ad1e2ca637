//! Early warning of lagging indicators (对落后指标及时预警): one zone, one
//! indicator, one month, assessed red/yellow/green by documented, configurable
//! rules. Every rule that fires is returned with its numbers, so a page can
//! say why. Month-to-month memory (a red that sticks) is in [`crate::history`].
//!
//! The rules, with their defaults ([`WarningRules::default`]):
//!
//! - **Pace** (cumulative and ratio indicators with an annual target): red
//!   when completion of the annual target is more than `pace_points` (10)
//!   points behind 序时进度, yellow when more than half that (5) behind.
//! - **Growth** (any indicator with a target growth rate): red when 同比
//!   growth is more than `growth_points` (5) points below the target growth,
//!   yellow when more than half that (2.5) below.
//! - **Reporting**: red when a month's figure is still missing after day
//!   `report_day` (10) of the following month. With `january_with_february`
//!   (on by default) January is never chased: statistics publish 1–2月
//!   together, so January's figure arrives with February's.
//!
//! "More than" is strict: exactly 10.0 points behind is yellow, 10.1 is red.
//! For a lower-is-better indicator, "behind" and "below" mirror: being ahead
//! of pace or above the target growth is the shortfall.

use chrono::NaiveDate;
use kfq_domain::Rag;
use serde::{Deserialize, Serialize};

use crate::catalogue::{Direction, IndicatorDef};
use crate::figure::Figure;
use crate::progress::{percent, points, progress, Target};
use crate::Period;
use kfq_domain::code_enum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningRules {
    /// Red beyond this many points behind 序时进度; yellow beyond half.
    pub pace_points: i64,
    /// Red beyond this many points below the target growth; yellow beyond half.
    pub growth_points: i64,
    /// Figures of a month are due by this day of the following month (1–28).
    pub report_day: u32,
    /// January is reported together with February (1–2月), so not chased.
    pub january_with_february: bool,
}

impl Default for WarningRules {
    fn default() -> Self {
        Self {
            pace_points: 10,
            growth_points: 5,
            report_day: 10,
            january_with_february: true,
        }
    }
}

impl WarningRules {
    pub fn check(&self) -> Result<(), &'static str> {
        let ok = (1..=100).contains(&self.pace_points)
            && (1..=100).contains(&self.growth_points)
            && (1..=28).contains(&self.report_day);
        if ok {
            Ok(())
        } else {
            Err("error.indicator.rules")
        }
    }
}

code_enum! {
    /// The rules of an assessment.
    WarningRule {
        Pace = "pace",
        Growth = "growth",
        Reporting = "reporting",
    }
}

impl WarningRule {
    /// Whether the rule measures a shortfall that must be made up; only these
    /// keep a zone red in [`crate::history`]. A late report is over once
    /// the report is in.
    pub fn measures_shortfall(self) -> bool {
        matches!(self, WarningRule::Pace | WarningRule::Growth)
    }
}

/// Why a rule fired, with its numbers; percentages and points in tenths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "key")]
pub enum Reason {
    #[serde(rename = "warning.behind_pace")]
    BehindPace {
        completion_tenths: i64,
        elapsed_tenths: i64,
        /// Points behind, always positive when the rule fires.
        shortfall_tenths: i64,
        /// The red threshold in force.
        threshold_tenths: i64,
    },
    #[serde(rename = "warning.below_target_growth")]
    BelowTargetGrowth {
        growth_tenths: i64,
        target_tenths: i64,
        shortfall_tenths: i64,
        threshold_tenths: i64,
    },
    #[serde(rename = "warning.not_reported")]
    NotReported { deadline: NaiveDate, days_late: i64 },
}

impl Reason {
    /// Catalogue key of the explanation, the same as the serialised `key`.
    pub fn key(&self) -> &'static str {
        match self {
            Reason::BehindPace { .. } => "warning.behind_pace",
            Reason::BelowTargetGrowth { .. } => "warning.below_target_growth",
            Reason::NotReported { .. } => "warning.not_reported",
        }
    }

    pub fn rule(&self) -> WarningRule {
        match self {
            Reason::BehindPace { .. } => WarningRule::Pace,
            Reason::BelowTargetGrowth { .. } => WarningRule::Growth,
            Reason::NotReported { .. } => WarningRule::Reporting,
        }
    }

    /// The `{name}` arguments of the explanation, formatted for reading.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match *self {
            Reason::BehindPace {
                completion_tenths,
                elapsed_tenths,
                shortfall_tenths,
                ..
            } => vec![
                ("completion", percent(completion_tenths)),
                ("elapsed", percent(elapsed_tenths)),
                ("shortfall", points(shortfall_tenths)),
            ],
            Reason::BelowTargetGrowth {
                growth_tenths,
                target_tenths,
                shortfall_tenths,
                ..
            } => vec![
                ("growth", percent(growth_tenths)),
                ("target", percent(target_tenths)),
                ("shortfall", points(shortfall_tenths)),
            ],
            Reason::NotReported {
                deadline,
                days_late,
            } => vec![
                ("deadline", deadline.format("%Y年%-m月%-d日").to_string()),
                ("days", days_late.to_string()),
            ],
        }
    }
}

/// A rule that fired: its colour and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Flag {
    pub level: Rag,
    #[serde(flatten)]
    pub reason: Reason,
}

/// The raw assessment of one month, before any month-to-month memory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub level: Rag,
    pub flags: Vec<Flag>,
    /// Rules that had the data to be judged this month. A rule that is
    /// checked and has no flag is green; one not checked says nothing.
    pub checked: Vec<WarningRule>,
}

impl Assessment {
    /// The colour of one rule this month; none when it was not checked.
    pub fn rule_level(&self, rule: WarningRule) -> Option<Rag> {
        if !self.checked.contains(&rule) {
            return None;
        }
        let flagged = self.flags.iter().find(|f| f.reason.rule() == rule);
        Some(flagged.map_or(Rag::Green, |f| f.level))
    }
}

/// One zone's figures for one indicator and month, as the rules need them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observation {
    pub period: Period,
    /// The reported figure (1–N月累计, ratio, or growth rate in %); none when
    /// nothing has been reported.
    pub actual: Option<Figure>,
    /// The same period last year, for 同比.
    pub last_year: Option<Figure>,
    pub target: Target,
}

/// Red beyond `threshold_points`, yellow beyond half of it, else none.
/// Compared as 2·shortfall against the threshold in tenths so that an odd
/// threshold's half (2.5 points) needs no rounding.
fn level_of(shortfall_tenths: i64, threshold_points: i64) -> Option<Rag> {
    let threshold_tenths = threshold_points * 10;
    if shortfall_tenths > threshold_tenths {
        Some(Rag::Red)
    } else if shortfall_tenths * 2 > threshold_tenths {
        Some(Rag::Yellow)
    } else {
        None
    }
}

/// Positive when the indicator is on the bad side of `expected`.
fn shortfall(direction: Direction, actual: i64, expected: i64) -> i64 {
    match direction {
        Direction::HigherIsBetter => expected - actual,
        Direction::LowerIsBetter => actual - expected,
    }
}

/// The pace rule: completion of the annual target against 序时进度.
pub fn pace_flag(
    rules: &WarningRules,
    direction: Direction,
    completion_tenths: i64,
    elapsed_tenths: i64,
) -> Option<Flag> {
    let shortfall_tenths = shortfall(direction, completion_tenths, elapsed_tenths);
    level_of(shortfall_tenths, rules.pace_points).map(|level| Flag {
        level,
        reason: Reason::BehindPace {
            completion_tenths,
            elapsed_tenths,
            shortfall_tenths,
            threshold_tenths: rules.pace_points * 10,
        },
    })
}

/// The growth rule: 同比 growth against the target growth.
pub fn growth_flag(
    rules: &WarningRules,
    direction: Direction,
    growth_tenths: i64,
    target_tenths: i64,
) -> Option<Flag> {
    let shortfall_tenths = shortfall(direction, growth_tenths, target_tenths);
    level_of(shortfall_tenths, rules.growth_points).map(|level| Flag {
        level,
        reason: Reason::BelowTargetGrowth {
            growth_tenths,
            target_tenths,
            shortfall_tenths,
            threshold_tenths: rules.growth_points * 10,
        },
    })
}

/// The reporting rule: red when `period` has no figure after its deadline
/// (day `report_day` of the following month; reporting on that day is on
/// time). Never for January when it is reported with February.
pub fn reporting_flag(
    rules: &WarningRules,
    today: NaiveDate,
    period: Period,
    has_data: bool,
) -> Option<Flag> {
    if has_data || (rules.january_with_february && period.month() == 1) {
        return None;
    }
    let deadline = period.report_deadline(rules.report_day);
    let days_late = (today - deadline).num_days();
    (days_late > 0).then_some(Flag {
        level: Rag::Red,
        reason: Reason::NotReported {
            deadline,
            days_late,
        },
    })
}

/// Assesses one observation on `today`. With a figure, the pace and growth
/// rules are judged where targets allow; without one, only reporting.
pub fn assess(
    def: &IndicatorDef,
    rules: &WarningRules,
    today: NaiveDate,
    observation: &Observation,
) -> Assessment {
    let mut flags = Vec::new();
    let mut checked = vec![WarningRule::Reporting];
    let period = observation.period;
    flags.extend(reporting_flag(
        rules,
        today,
        period,
        observation.actual.is_some(),
    ));
    if let Some(actual) = observation.actual {
        let p = progress(
            def.kind,
            period,
            actual,
            observation.last_year,
            &observation.target,
        );
        if let (Some(completion), Some(elapsed)) = (p.completion_tenths, p.elapsed_tenths) {
            checked.push(WarningRule::Pace);
            flags.extend(pace_flag(rules, def.direction, completion, elapsed));
        }
        if let (Some(growth), Some(target)) = (p.growth_tenths, observation.target.growth_tenths) {
            checked.push(WarningRule::Growth);
            flags.extend(growth_flag(rules, def.direction, growth, target));
        }
    }
    Assessment {
        level: worst(flags.iter().map(|f| f.level)),
        flags,
        checked,
    }
}

/// How bad a colour is, for taking the worst of several.
pub(crate) fn severity(rag: Rag) -> u8 {
    match rag {
        Rag::Green => 0,
        Rag::Yellow => 1,
        Rag::Red => 2,
    }
}

fn worst(levels: impl Iterator<Item = Rag>) -> Rag {
    levels.max_by_key(|r| severity(*r)).unwrap_or(Rag::Green)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::standard_catalogue;

    fn def(code: &str) -> IndicatorDef {
        standard_catalogue()
            .into_iter()
            .find(|d| d.code == code)
            .unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn month(y: i32, m: u32) -> Period {
        Period::new(y, m).unwrap()
    }

    fn fig(raw: &str) -> Figure {
        Figure::parse(raw).unwrap()
    }

    #[test]
    fn pace_thresholds() {
        let rules = WarningRules::default();
        // (completion, 序时进度, expected) in tenths.
        let cases = [
            (500, 500, None),
            (650, 500, None),
            (450, 500, None),
            (449, 500, Some(Rag::Yellow)),
            (400, 500, Some(Rag::Yellow)),
            (399, 500, Some(Rag::Red)),
            (0, 83, Some(Rag::Yellow)),
            (-20, 83, Some(Rag::Red)),
            (899, 1000, Some(Rag::Red)),
            (900, 1000, Some(Rag::Yellow)),
        ];
        for (completion, elapsed, expected) in cases {
            let flag = pace_flag(&rules, Direction::HigherIsBetter, completion, elapsed);
            assert_eq!(flag.map(|f| f.level), expected, "{completion} vs {elapsed}");
        }
        // Lower is better: ahead of pace is the shortfall.
        let lower = |c| pace_flag(&rules, Direction::LowerIsBetter, c, 500).map(|f| f.level);
        assert_eq!(lower(601), Some(Rag::Red));
        assert_eq!(lower(551), Some(Rag::Yellow));
        assert_eq!(lower(300), None);
    }

    #[test]
    fn growth_thresholds_with_an_odd_half() {
        let rules = WarningRules::default();
        // Target 8.0%: yellow below 5.5 (2.5 points), red below 3.0 (5 points).
        let cases = [
            (80, None),
            (120, None),
            (55, None),
            (54, Some(Rag::Yellow)),
            (30, Some(Rag::Yellow)),
            (29, Some(Rag::Red)),
            (-31, Some(Rag::Red)),
        ];
        for (growth, expected) in cases {
            let flag = growth_flag(&rules, Direction::HigherIsBetter, growth, 80);
            assert_eq!(flag.map(|f| f.level), expected, "{growth}");
        }
    }

    #[test]
    fn reporting_deadline() {
        let rules = WarningRules::default();
        let june = month(2024, 6);
        let cases = [
            (date(2024, 7, 9), false, None),
            (date(2024, 7, 10), false, None),
            (date(2024, 7, 11), false, Some(1)),
            (date(2024, 8, 1), false, Some(22)),
            (date(2024, 8, 1), true, None),
            // Before the month is even over.
            (date(2024, 6, 15), false, None),
        ];
        for (today, has_data, late) in cases {
            let flag = reporting_flag(&rules, today, june, has_data);
            let got = flag.map(|f| match f.reason {
                Reason::NotReported { days_late, .. } => days_late,
                other => panic!("{other:?}"),
            });
            assert_eq!(got, late, "{today} {has_data}");
        }
        // December's figures are due in January of the next year.
        let dec = reporting_flag(&rules, date(2025, 1, 11), month(2024, 12), false).unwrap();
        assert_eq!(
            dec.reason,
            Reason::NotReported {
                deadline: date(2025, 1, 10),
                days_late: 1
            }
        );
        // Leap February: due 10 March either way.
        let feb = reporting_flag(&rules, date(2024, 3, 11), month(2024, 2), false).unwrap();
        assert_eq!(feb.reason.args()[0].1, "2024年3月10日");
        // January comes with February, unless the rule is turned off.
        assert_eq!(
            reporting_flag(&rules, date(2024, 3, 1), month(2024, 1), false),
            None
        );
        let chase_january = WarningRules {
            january_with_february: false,
            ..rules
        };
        assert!(reporting_flag(&chase_january, date(2024, 3, 1), month(2024, 1), false).is_some());
    }

    #[test]
    fn assesses_an_amount_on_both_rules() {
        let rules = WarningRules::default();
        let obs = Observation {
            period: month(2024, 6),
            actual: Some(fig("11.7")),
            last_year: Some(fig("11.2")),
            target: Target {
                annual: Some(fig("30")),
                growth_tenths: Some(120),
            },
        };
        let a = assess(
            &def("industrial_investment"),
            &rules,
            date(2024, 7, 5),
            &obs,
        );
        // 39.0% done against 50.0%: 11 points behind, red. Growth 4.5% against
        // 12%: 7.5 points below, red.
        assert_eq!(a.level, Rag::Red);
        assert_eq!(
            a.flags,
            [
                Flag {
                    level: Rag::Red,
                    reason: Reason::BehindPace {
                        completion_tenths: 390,
                        elapsed_tenths: 500,
                        shortfall_tenths: 110,
                        threshold_tenths: 100,
                    },
                },
                Flag {
                    level: Rag::Red,
                    reason: Reason::BelowTargetGrowth {
                        growth_tenths: 45,
                        target_tenths: 120,
                        shortfall_tenths: 75,
                        threshold_tenths: 50,
                    },
                },
            ]
        );
        assert_eq!(
            a.checked,
            [
                WarningRule::Reporting,
                WarningRule::Pace,
                WarningRule::Growth
            ]
        );
        assert_eq!(a.rule_level(WarningRule::Reporting), Some(Rag::Green));
    }

    #[test]
    fn assessment_cases() {
        let rules = WarningRules::default();
        let today = date(2024, 7, 20);
        let target = Target {
            annual: Some(fig("30")),
            growth_tenths: Some(80),
        };
        let obs = |actual: Option<&str>, last: Option<&str>| Observation {
            period: month(2024, 6),
            actual: actual.map(fig),
            last_year: last.map(fig),
            target,
        };
        let cases = [
            // On pace and on target.
            (
                "industrial_investment",
                obs(Some("15"), Some("13.8")),
                Rag::Green,
            ),
            // 45% done: 5 points behind, not more: green.
            (
                "industrial_investment",
                obs(Some("13.5"), Some("12.5")),
                Rag::Green,
            ),
            // 44.3% done: yellow.
            (
                "industrial_investment",
                obs(Some("13.3"), Some("12.3")),
                Rag::Yellow,
            ),
            // No base last year: only pace judged.
            ("industrial_investment", obs(Some("15"), None), Rag::Green),
            // Nothing reported after 10 July: red.
            ("industrial_investment", obs(None, Some("12")), Rag::Red),
            // 规上工业增加值 6.2% against 8.0%: 1.8 below, green; 5.0%: yellow; 2.9%: red.
            ("industrial_value_added", obs(Some("6.2"), None), Rag::Green),
            (
                "industrial_value_added",
                obs(Some("5.0"), None),
                Rag::Yellow,
            ),
            ("industrial_value_added", obs(Some("2.9"), None), Rag::Red),
            ("industrial_value_added", obs(Some("-3.1"), None), Rag::Red),
        ];
        for (code, observation, expected) in cases {
            let a = assess(&def(code), &rules, today, &observation);
            assert_eq!(a.level, expected, "{code} {observation:?}");
        }
        let growth_only = assess(
            &def("industrial_value_added"),
            &rules,
            today,
            &obs(Some("5.0"), None),
        );
        assert_eq!(
            growth_only.checked,
            [WarningRule::Reporting, WarningRule::Growth]
        );
        let missing = assess(&def("tax_revenue"), &rules, today, &obs(None, None));
        assert_eq!(missing.rule_level(WarningRule::Pace), None);
    }

    #[test]
    fn reasons_serialise_with_their_key() {
        let flag = pace_flag(
            &WarningRules::default(),
            Direction::HigherIsBetter,
            390,
            500,
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(flag).unwrap(),
            serde_json::json!({
                "level": "red",
                "key": "warning.behind_pace",
                "completion_tenths": 390,
                "elapsed_tenths": 500,
                "shortfall_tenths": 110,
                "threshold_tenths": 100,
            })
        );
        assert_eq!(
            flag.reason.args(),
            [
                ("completion", "39.0%".to_owned()),
                ("elapsed", "50.0%".to_owned()),
                ("shortfall", "11.0".to_owned()),
            ]
        );
    }

    #[test]
    fn rules_are_checked() {
        assert_eq!(WarningRules::default().check(), Ok(()));
        for bad in [
            WarningRules {
                pace_points: 0,
                ..Default::default()
            },
            WarningRules {
                growth_points: 101,
                ..Default::default()
            },
            WarningRules {
                report_day: 29,
                ..Default::default()
            },
        ] {
            assert_eq!(bad.check(), Err("error.indicator.rules"), "{bad:?}");
        }
    }
}
