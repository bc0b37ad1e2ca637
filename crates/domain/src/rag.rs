//! 红/黄/绿: a project's status from documented, per-zone configurable rules.
//!
//! Red when any of: a milestone is overdue by more than `milestone_days`
//! working days; an open blocker is past its deadline; year-to-date investment
//! is more than `investment_points` behind 序时进度. Yellow at half those
//! thresholds (a milestone overdue by more than half the days, investment more
//! than half the points behind) or when an open blocker falls due within
//! `blocker_due_days` working days. Green otherwise. Every rule that fires is
//! returned as a reason, so the page can say why.

use serde::{Deserialize, Serialize};

use crate::code_enum;
use crate::project::Stage;

code_enum! {
    Rag { Red = "red", Yellow = "yellow", Green = "green" }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RagRules {
    pub milestone_days: i64,
    pub investment_points: i64,
    pub blocker_due_days: i64,
}

impl Default for RagRules {
    fn default() -> Self {
        Self {
            milestone_days: 10,
            investment_points: 20,
            blocker_due_days: 5,
        }
    }
}

impl RagRules {
    pub fn check(&self) -> Result<(), &'static str> {
        let ok = (1..=365).contains(&self.milestone_days)
            && (1..=100).contains(&self.investment_points)
            && (0..=60).contains(&self.blocker_due_days);
        if ok {
            Ok(())
        } else {
            Err("error.rag.rules")
        }
    }
}

/// What the rules look at, computed by the caller from the ledger.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RagInput {
    /// Working days the most overdue open milestone is past its planned date (0: none).
    pub milestone_overdue_days: i64,
    pub overdue_blockers: i64,
    /// Open blockers due within the rules' `blocker_due_days` (not yet overdue).
    pub blockers_due_soon: i64,
    /// Year-to-date completion minus 序时进度, tenths of a point; none without a plan.
    pub investment_gap_tenths: Option<i64>,
}

/// Why a project has its colour: a catalogue key and the number it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RagReason {
    pub rag: Rag,
    pub key: &'static str,
    pub value: i64,
}

/// A status reason as stored with the project and read back: the key is
/// then owned text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredReason {
    pub key: String,
    pub value: i64,
}

/// The status of a project at `stage`: the one rule the ledger (live) and the
/// monthly report (as of a month's close) both apply. A cancelled project has
/// none. A suspended project, or one at capacity, is no longer judged on
/// progress (milestones, investment): only an overdue blocker still makes it
/// red. Every other stage is judged on everything.
pub fn judge(stage: Stage, rules: &RagRules, input: &RagInput) -> Option<(Rag, Vec<RagReason>)> {
    match stage {
        Stage::Cancelled => None,
        Stage::Suspended | Stage::AtCapacity => Some(assess(
            rules,
            &RagInput {
                overdue_blockers: input.overdue_blockers,
                ..RagInput::default()
            },
        )),
        _ => Some(assess(rules, input)),
    }
}

pub fn assess(rules: &RagRules, input: &RagInput) -> (Rag, Vec<RagReason>) {
    let mut reasons = Vec::new();
    let mut flag = |rag, key, value| reasons.push(RagReason { rag, key, value });
    let days = input.milestone_overdue_days;
    if days > rules.milestone_days {
        flag(Rag::Red, "rag.milestone_overdue", days);
    } else if days * 2 > rules.milestone_days {
        flag(Rag::Yellow, "rag.milestone_overdue", days);
    }
    if input.overdue_blockers > 0 {
        flag(Rag::Red, "rag.blocker_overdue", input.overdue_blockers);
    } else if input.blockers_due_soon > 0 {
        flag(Rag::Yellow, "rag.blocker_due_soon", input.blockers_due_soon);
    }
    if let Some(gap) = input.investment_gap_tenths {
        let behind = -gap;
        if behind > rules.investment_points * 10 {
            flag(Rag::Red, "rag.investment_behind", behind);
        } else if behind * 2 > rules.investment_points * 10 {
            flag(Rag::Yellow, "rag.investment_behind", behind);
        }
    }
    let rag = if reasons.iter().any(|r| r.rag == Rag::Red) {
        Rag::Red
    } else if reasons.is_empty() {
        Rag::Green
    } else {
        Rag::Yellow
    };
    (rag, reasons)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stage_decides_what_is_judged() {
        let rules = RagRules::default();
        let behind = RagInput {
            milestone_overdue_days: 40,
            blockers_due_soon: 1,
            investment_gap_tenths: Some(-400),
            ..RagInput::default()
        };
        let (rag, reasons) = judge(Stage::Started, &rules, &behind).unwrap();
        assert_eq!((rag, reasons.len()), (Rag::Red, 3));
        for resting in [Stage::Suspended, Stage::AtCapacity] {
            assert_eq!(judge(resting, &rules, &behind), Some((Rag::Green, vec![])));
            let blocked = RagInput {
                overdue_blockers: 2,
                ..behind
            };
            let (rag, reasons) = judge(resting, &rules, &blocked).unwrap();
            assert_eq!(rag, Rag::Red);
            assert_eq!(
                reasons.iter().map(|r| r.key).collect::<Vec<_>>(),
                ["rag.blocker_overdue"]
            );
        }
        assert_eq!(judge(Stage::Cancelled, &rules, &behind), None);
    }

    fn rag_of(input: RagInput) -> Rag {
        assess(&RagRules::default(), &input).0
    }

    #[test]
    fn default_thresholds() {
        let base = RagInput::default();
        let cases = [
            (base, Rag::Green),
            (
                RagInput {
                    milestone_overdue_days: 5,
                    ..base
                },
                Rag::Green,
            ),
            (
                RagInput {
                    milestone_overdue_days: 6,
                    ..base
                },
                Rag::Yellow,
            ),
            (
                RagInput {
                    milestone_overdue_days: 10,
                    ..base
                },
                Rag::Yellow,
            ),
            (
                RagInput {
                    milestone_overdue_days: 11,
                    ..base
                },
                Rag::Red,
            ),
            (
                RagInput {
                    overdue_blockers: 1,
                    ..base
                },
                Rag::Red,
            ),
            (
                RagInput {
                    blockers_due_soon: 2,
                    ..base
                },
                Rag::Yellow,
            ),
            (
                RagInput {
                    investment_gap_tenths: Some(-100),
                    ..base
                },
                Rag::Green,
            ),
            (
                RagInput {
                    investment_gap_tenths: Some(-101),
                    ..base
                },
                Rag::Yellow,
            ),
            (
                RagInput {
                    investment_gap_tenths: Some(-200),
                    ..base
                },
                Rag::Yellow,
            ),
            (
                RagInput {
                    investment_gap_tenths: Some(-201),
                    ..base
                },
                Rag::Red,
            ),
            (
                RagInput {
                    investment_gap_tenths: Some(150),
                    ..base
                },
                Rag::Green,
            ),
            (
                RagInput {
                    investment_gap_tenths: None,
                    ..base
                },
                Rag::Green,
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(rag_of(input), expected, "{input:?}");
        }
    }

    #[test]
    fn every_rule_that_fires_is_a_reason() {
        let input = RagInput {
            milestone_overdue_days: 12,
            overdue_blockers: 0,
            blockers_due_soon: 1,
            investment_gap_tenths: Some(-150),
        };
        let (rag, reasons) = assess(&RagRules::default(), &input);
        assert_eq!(rag, Rag::Red);
        let keys: Vec<_> = reasons.iter().map(|r| (r.rag, r.key, r.value)).collect();
        assert_eq!(
            keys,
            [
                (Rag::Red, "rag.milestone_overdue", 12),
                (Rag::Yellow, "rag.blocker_due_soon", 1),
                (Rag::Yellow, "rag.investment_behind", 150),
            ]
        );
    }

    #[test]
    fn zones_tune_their_rules() {
        let strict = RagRules {
            milestone_days: 4,
            investment_points: 10,
            blocker_due_days: 10,
        };
        assert_eq!(strict.check(), Ok(()));
        let input = RagInput {
            milestone_overdue_days: 5,
            ..Default::default()
        };
        assert_eq!(assess(&strict, &input).0, Rag::Red);
        assert_eq!(
            RagRules {
                milestone_days: 0,
                ..strict
            }
            .check(),
            Err("error.rag.rules")
        );
    }
}
