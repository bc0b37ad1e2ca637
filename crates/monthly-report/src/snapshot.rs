//! One project as the ledger stood at the end of a month: what the store
//! reads back from history (values recorded by the bulletin's cut-off, stages
//! and blockers by their dates) and everything the figures are derived from.

use chrono::NaiveDate;
use kfq_domain::investment::{completion_tenths, elapsed_tenths};
use kfq_domain::rag::{judge, RagInput, RagReason};
use kfq_domain::{BlockerFactor, Category, Money, Nature, Rag, RagRules, Stage};
use serde::Serialize;

use crate::Period;

/// A unit a project is attributed to: a zone, a department, a liaison leader.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Unit {
    pub id: i64,
    pub name: String,
}

/// A blocker as it stood on the period's last day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlockerAsOf {
    pub id: i64,
    pub factor: BlockerFactor,
    pub description: String,
    pub raised_on: NaiveDate,
    pub deadline: Option<NaiveDate>,
    /// Resolved on this day, if on or before the period's last day.
    pub resolved_on: Option<NaiveDate>,
    pub department: Option<Unit>,
}

impl BlockerAsOf {
    /// Open at the close of `day`.
    pub fn open_on(&self, day: NaiveDate) -> bool {
        self.raised_on <= day && self.resolved_on.is_none_or(|r| r > day)
    }

    /// Open at the close of `day` and past its deadline.
    pub fn overdue_on(&self, day: NaiveDate) -> bool {
        self.open_on(day) && self.deadline.is_some_and(|d| d < day)
    }

    /// Resolved by its deadline (a blocker without one counts once resolved).
    pub fn resolved_in_time(&self) -> bool {
        match (self.resolved_on, self.deadline) {
            (Some(r), Some(d)) => r <= d,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }
}

/// A project at the close of a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectAsOf {
    pub id: i64,
    pub name: String,
    pub zone: Unit,
    pub department: Option<Unit>,
    pub liaison: Option<Unit>,
    pub category: Category,
    pub nature: Nature,
    pub total_investment: Money,
    /// The stage on the period's last day.
    pub stage: Stage,
    /// When each stage was first reached by progress (corrections excluded),
    /// up to the period's last day.
    pub reached: Vec<(Stage, NaiveDate)>,
    /// The annual plan of the period's year, if any.
    pub plan: Option<Money>,
    pub target_start: Option<NaiveDate>,
    pub target_production: Option<NaiveDate>,
    /// Completed investment by month of the period's year, 1..=period month
    /// (index 0 is January); months not reported are zero.
    pub months: Vec<Money>,
    pub blockers: Vec<BlockerAsOf>,
    /// The planned date of the oldest milestone due before the period's last
    /// day and not done by then.
    pub oldest_open_milestone: Option<NaiveDate>,
}

impl ProjectAsOf {
    /// 1–N月累计.
    pub fn ytd(&self) -> Money {
        self.months.iter().copied().sum()
    }

    /// 当月完成.
    pub fn month_amount(&self, month: u32) -> Money {
        self.months
            .get(month as usize - 1)
            .copied()
            .unwrap_or(Money::ZERO)
    }

    /// The first day the project reached `stage` or a later main-line stage.
    pub fn reached_on(&self, stage: Stage) -> Option<NaiveDate> {
        let target = stage.rank()?;
        self.reached
            .iter()
            .filter(|(s, _)| s.rank().is_some_and(|r| r >= target))
            .map(|(_, d)| *d)
            .min()
    }

    /// Reached `stage` for the first time within `period`, and still stands
    /// there or further at its close (a start put right since does not count).
    pub fn reached_in(&self, stage: Stage, period: Period) -> bool {
        self.reached_on(stage).is_some_and(|d| period.contains(d)) && self.stands_at(stage)
    }

    /// Counted in plan totals, completion rates, rankings and statuses: a
    /// cancelled (取消) or suspended (停建) project is left out of them and
    /// reported on its own line.
    pub fn counted(&self) -> bool {
        !self.stage.is_inactive()
    }

    /// At `stage` or further on the main line, or suspended after reaching it.
    pub fn stands_at(&self, stage: Stage) -> bool {
        match self.stage {
            Stage::Cancelled => false,
            Stage::Suspended => self.reached_on(stage).is_some(),
            s => s.rank() >= stage.rank(),
        }
    }

    /// 当年签约、当年开工、当年投产: all three reached in `year`.
    pub fn fast_path(&self, year: i32) -> bool {
        kfq_domain::project::same_year_fast_path(
            self.reached_on(Stage::Signed),
            self.reached_on(Stage::Started),
            self.reached_on(Stage::Producing),
            year,
        ) && self.stands_at(Stage::Producing)
    }

    /// Red/yellow/green at the close of the period, by the zone's rules:
    /// milestones and blockers as of the last day, investment against the
    /// 序时进度 of the period (its month has closed). Cancelled projects have
    /// no status.
    pub fn rag(
        &self,
        period: Period,
        rules: &RagRules,
        working_days: &dyn Fn(NaiveDate, NaiveDate) -> i64,
    ) -> Option<(Rag, Vec<RagReason>)> {
        let day = period.last_day();
        let mut input = RagInput {
            milestone_overdue_days: self
                .oldest_open_milestone
                .filter(|planned| *planned < day)
                .map(|planned| working_days(planned, day).max(0))
                .unwrap_or(0),
            ..RagInput::default()
        };
        for b in self.blockers.iter().filter(|b| b.open_on(day)) {
            match b.deadline {
                Some(deadline) if deadline < day => input.overdue_blockers += 1,
                Some(deadline) if working_days(day, deadline) <= rules.blocker_due_days => {
                    input.blockers_due_soon += 1
                }
                _ => {}
            }
        }
        input.investment_gap_tenths = self
            .plan
            .and_then(|plan| completion_tenths(self.ytd(), plan))
            .map(|c| c - elapsed_tenths(period.month()));
        judge(self.stage, rules, &input)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    pub fn project(id: i64, stage: Stage) -> ProjectAsOf {
        ProjectAsOf {
            id,
            name: format!("项目{id}"),
            zone: Unit {
                id: 1,
                name: "甲开发区".into(),
            },
            department: None,
            liaison: None,
            category: Category::Industrial,
            nature: Nature::New,
            total_investment: Money::from_wan(10_000),
            stage,
            reached: vec![],
            plan: None,
            target_start: None,
            target_production: None,
            months: vec![],
            blockers: vec![],
            oldest_open_milestone: None,
        }
    }

    fn calendar_days(from: NaiveDate, to: NaiveDate) -> i64 {
        (to - from).num_days()
    }

    #[test]
    fn stages_reached_and_standing() {
        let mut p = project(1, Stage::Suspended);
        p.reached = vec![
            (Stage::Signed, d("2024-02-01")),
            (Stage::Started, d("2024-06-03")),
        ];
        let june = Period::new(2024, 6).unwrap();
        assert_eq!(p.reached_on(Stage::Started), Some(d("2024-06-03")));
        assert_eq!(p.reached_on(Stage::PreConstruction), Some(d("2024-06-03")));
        assert!(
            p.reached_in(Stage::Started, june),
            "suspended after starting in June"
        );
        assert!(!p.reached_in(Stage::Signed, june));
        assert!(!p.stands_at(Stage::Producing));
        // A start put right by a correction since: the stage is back at 签约.
        p.stage = Stage::Signed;
        assert!(!p.reached_in(Stage::Started, june));
        p.stage = Stage::Cancelled;
        assert!(!p.stands_at(Stage::Signed));
    }

    #[test]
    fn fast_path_needs_all_three_in_the_year_and_production_standing() {
        let mut p = project(1, Stage::Producing);
        p.reached = vec![
            (Stage::Signed, d("2024-01-10")),
            (Stage::Started, d("2024-03-01")),
            (Stage::Producing, d("2024-06-20")),
        ];
        assert!(p.fast_path(2024));
        assert!(!p.fast_path(2023));
        p.reached[0].1 = d("2023-12-30");
        assert!(!p.fast_path(2024));
    }

    #[test]
    fn blockers_by_the_day() {
        let b = BlockerAsOf {
            id: 1,
            factor: BlockerFactor::Land,
            description: "土地摘牌".into(),
            raised_on: d("2024-05-01"),
            deadline: Some(d("2024-06-15")),
            resolved_on: None,
            department: None,
        };
        assert!(!b.open_on(d("2024-04-30")));
        assert!(b.open_on(d("2024-06-15")) && !b.overdue_on(d("2024-06-15")));
        assert!(b.overdue_on(d("2024-06-16")));
        let resolved = BlockerAsOf {
            resolved_on: Some(d("2024-06-10")),
            ..b.clone()
        };
        assert!(!resolved.open_on(d("2024-06-30")) && resolved.resolved_in_time());
        let late = BlockerAsOf {
            resolved_on: Some(d("2024-06-20")),
            ..b
        };
        assert!(!late.resolved_in_time());
    }

    #[test]
    fn status_at_the_close_of_the_month() {
        let june = Period::new(2024, 6).unwrap();
        let rules = RagRules::default();
        let mut p = project(1, Stage::Started);
        p.plan = Some(Money::from_wan(1_200));
        // 序时进度 at June is 50%; 300 of 1,200 is 25%: 25 points behind → red.
        p.months = vec![Money::from_wan(50); 6];
        let (rag, reasons) = p.rag(june, &rules, &calendar_days).unwrap();
        assert_eq!(rag, Rag::Red);
        assert_eq!(reasons[0].key, "rag.investment_behind");
        assert_eq!(reasons[0].value, 250);
        // 600 of 1,200 is on time: green.
        p.months = vec![Money::from_wan(100); 6];
        assert_eq!(p.rag(june, &rules, &calendar_days).unwrap().0, Rag::Green);
        // An open blocker past its deadline on June 30.
        p.blockers.push(BlockerAsOf {
            id: 9,
            factor: BlockerFactor::Power,
            description: "供电".into(),
            raised_on: d("2024-05-01"),
            deadline: Some(d("2024-06-29")),
            resolved_on: None,
            department: None,
        });
        assert_eq!(p.rag(june, &rules, &calendar_days).unwrap().0, Rag::Red);
        // Due within five days of June 30: yellow.
        p.blockers[0].deadline = Some(d("2024-07-03"));
        assert_eq!(p.rag(june, &rules, &calendar_days).unwrap().0, Rag::Yellow);
        // Suspended: behind on investment, but judged only by overdue blockers,
        // as the ledger judges it today.
        p.stage = Stage::Suspended;
        p.months = vec![Money::from_wan(10); 6];
        assert_eq!(
            p.rag(june, &rules, &calendar_days),
            Some((Rag::Green, vec![]))
        );
        p.blockers[0].deadline = Some(d("2024-06-20"));
        let (rag, reasons) = p.rag(june, &rules, &calendar_days).unwrap();
        assert_eq!((rag, reasons.len()), (Rag::Red, 1));
        p.stage = Stage::Cancelled;
        assert!(p.rag(june, &rules, &calendar_days).is_none());
    }
}
