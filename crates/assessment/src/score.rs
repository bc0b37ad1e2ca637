//! One subject's score for a quarter: each item of the sheet computed from
//! the projects and blockers attributed to it, and the ranking of subjects.

use std::collections::HashMap;

use chrono::NaiveDate;
use kfq_domain::investment::{completion_tenths, elapsed_tenths};
use kfq_domain::{Nature, Stage};
use kfq_monthly_report::{BlockerAsOf, ProjectAsOf, Unit};
use serde::{Deserialize, Serialize};

use crate::{ItemKind, Quarter, Sheet};

/// What is scored: a zone, a department or a liaison leader.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Subject {
    pub id: i64,
    pub name: String,
}

impl From<&Unit> for Subject {
    fn from(u: &Unit) -> Self {
        Subject {
            id: u.id,
            name: u.name.clone(),
        }
    }
}

/// Who a project or a blocker counts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribution {
    Zone,
    Department,
    Liaison,
}

impl Attribution {
    pub fn of_project(self, p: &ProjectAsOf) -> Option<i64> {
        match self {
            Attribution::Zone => Some(p.zone.id),
            Attribution::Department => p.department.as_ref().map(|u| u.id),
            Attribution::Liaison => p.liaison.as_ref().map(|u| u.id),
        }
    }

    /// A blocker counts for the department charged with solving it, else
    /// for its project's.
    pub fn of_blocker(self, p: &ProjectAsOf, b: &BlockerAsOf) -> Option<i64> {
        match self {
            Attribution::Department => b
                .department
                .as_ref()
                .map(|u| u.id)
                .or_else(|| self.of_project(p)),
            _ => self.of_project(p),
        }
    }

    /// The units the ledger attributes anything to.
    pub fn subjects_in(self, ledger: &[ProjectAsOf]) -> Vec<Subject> {
        let mut out: Vec<Subject> = Vec::new();
        for p in ledger {
            let unit = match self {
                Attribution::Zone => Some(&p.zone),
                Attribution::Department => p.department.as_ref(),
                Attribution::Liaison => p.liaison.as_ref(),
            };
            out.extend(unit.map(Subject::from));
            if self == Attribution::Department {
                out.extend(
                    p.blockers
                        .iter()
                        .filter_map(|b| b.department.as_ref().map(Subject::from)),
                );
            }
        }
        out.sort();
        out.dedup_by_key(|s| s.id);
        out
    }
}

/// A project or blocker behind an item, and whether it met the item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Basis {
    pub project_id: i64,
    pub project_name: String,
    pub blocker_id: Option<i64>,
    /// Met: started, producing, resolved in time (for plan completion, always).
    pub met: bool,
    /// The date that decides it (target, reached, deadline).
    pub due_on: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
    /// Plan completion: the project's 1–N月累计 and plan, yuan.
    pub done_yuan: Option<i64>,
    pub plan_yuan: Option<i64>,
}

/// One item of one subject's score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemScore {
    pub kind: ItemKind,
    pub weight: u32,
    /// Plan completion: yuan done and planned; the others: counts.
    pub numerator: i64,
    pub denominator: i64,
    /// Tenths of a percent; none without a task.
    pub rate_tenths: Option<i64>,
    /// Plan completion only: 序时进度 at the quarter's close.
    pub elapsed_tenths: Option<i64>,
    pub points_hundredths: i64,
    /// No task to assess ("无考核任务"): no points, and the subject's total
    /// is taken over the items that apply (see [`score_subjects`]).
    pub no_task: bool,
    pub basis: Vec<Basis>,
}

/// A subject's score for a quarter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub subject: Subject,
    pub items: Vec<ItemScore>,
    pub total_hundredths: i64,
    pub rank: usize,
}

/// `num / den` rounded half up, for non-negative operands.
fn div_half_up(num: i128, den: i128) -> i64 {
    ((2 * num + den) / (2 * den)) as i64
}

/// "38.46" from hundredths of a point.
pub fn points_text(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    format!(
        "{sign}{}.{:02}",
        hundredths.abs() / 100,
        hundredths.abs() % 100
    )
}

fn share(kind: ItemKind, weight: u32, basis: Vec<Basis>) -> ItemScore {
    let denominator = basis.len() as i64;
    let numerator = basis.iter().filter(|b| b.met).count() as i64;
    let full = i128::from(weight) * 100;
    let (points, rate) = if denominator == 0 {
        (0, None)
    } else {
        (
            div_half_up(full * i128::from(numerator), i128::from(denominator)),
            Some(div_half_up(
                1000 * i128::from(numerator),
                i128::from(denominator),
            )),
        )
    };
    ItemScore {
        kind,
        weight,
        numerator,
        denominator,
        rate_tenths: rate,
        elapsed_tenths: None,
        points_hundredths: points,
        no_task: denominator == 0,
        basis,
    }
}

/// A task of the quarter's year due by its close — and due already on
/// `as_of` (a running quarter's later tasks are not missed yet), unless
/// it is done.
fn due_within(
    day: Option<NaiveDate>,
    quarter: Quarter,
    as_of: NaiveDate,
    done: bool,
) -> Option<NaiveDate> {
    day.filter(|d| {
        chrono::Datelike::year(d) == quarter.year
            && *d <= quarter.last_day()
            && (*d <= as_of || done)
    })
}

/// Reached `stage` by the quarter's close and still standing there.
fn reached(p: &ProjectAsOf, stage: Stage) -> Option<NaiveDate> {
    p.reached_on(stage).filter(|_| p.stands_at(stage))
}

fn basis(p: &ProjectAsOf, due_on: Option<NaiveDate>, done_on: Option<NaiveDate>) -> Basis {
    Basis {
        project_id: p.id,
        project_name: p.name.clone(),
        blocker_id: None,
        met: done_on.is_some(),
        due_on,
        done_on,
        done_yuan: None,
        plan_yuan: None,
    }
}

/// One item over a subject's projects and blockers, at the quarter's close
/// or, for a running quarter, on `as_of` (the close at the latest). The
/// projects are as of the quarter's last month.
pub fn score_item(
    kind: ItemKind,
    weight: u32,
    (quarter, as_of): (Quarter, NaiveDate),
    projects: &[&ProjectAsOf],
    blockers: &[(&ProjectAsOf, &BlockerAsOf)],
) -> ItemScore {
    let as_of = as_of.min(quarter.last_day());
    match kind {
        ItemKind::PlanCompletion => plan_completion(weight, quarter, projects),
        ItemKind::StartRate => {
            let basis = projects
                .iter()
                .filter(|p| p.nature == Nature::New)
                .filter_map(|p| {
                    let done = reached(p, Stage::Started).filter(|d| *d <= as_of);
                    let due = due_within(p.target_start, quarter, as_of, done.is_some())?;
                    Some(basis(p, Some(due), done))
                })
                .collect();
            share(kind, weight, basis)
        }
        ItemKind::ProductionRate => {
            let basis = projects
                .iter()
                .filter_map(|p| {
                    let done = reached(p, Stage::Producing).filter(|d| *d <= as_of);
                    let due = due_within(p.target_production, quarter, as_of, done.is_some())?;
                    Some(basis(p, Some(due), done))
                })
                .collect();
            share(kind, weight, basis)
        }
        ItemKind::BlockerClosure => {
            let basis = blockers
                .iter()
                .filter_map(|(p, b)| {
                    let resolved = b.resolved_on.is_some_and(|d| d <= as_of);
                    let due = due_within(b.deadline, quarter, as_of, resolved)?;
                    Some(Basis {
                        blocker_id: Some(b.id),
                        met: b.resolved_in_time(),
                        ..basis(p, Some(due), b.resolved_on)
                    })
                })
                .collect();
            share(kind, weight, basis)
        }
    }
}

fn plan_completion(weight: u32, quarter: Quarter, projects: &[&ProjectAsOf]) -> ItemScore {
    let month = quarter.last_period().month();
    let planned: Vec<&&ProjectAsOf> = projects
        .iter()
        .filter(|p| p.plan.is_some_and(|m| m.yuan() > 0))
        .collect();
    let done: i64 = planned.iter().map(|p| p.ytd().yuan()).sum();
    let plan: i64 = planned
        .iter()
        .filter_map(|p| p.plan.map(|m| m.yuan()))
        .sum();
    let full = i128::from(weight) * 100;
    // rate ÷ (month/12), capped at 1: full × 12·done ÷ (month·plan).
    let points = if plan == 0 {
        0
    } else {
        let (num, den) = (12 * i128::from(done), i128::from(month) * i128::from(plan));
        if num >= den {
            full as i64
        } else {
            div_half_up(full * num, den)
        }
    };
    ItemScore {
        kind: ItemKind::PlanCompletion,
        weight,
        numerator: done,
        denominator: plan,
        rate_tenths: completion_tenths(
            kfq_domain::Money::from_yuan(done),
            kfq_domain::Money::from_yuan(plan),
        ),
        elapsed_tenths: Some(elapsed_tenths(month)),
        points_hundredths: points,
        no_task: plan == 0,
        basis: planned
            .iter()
            .map(|p| Basis {
                // 达成: the year so far reaches the plan's share of the
                // months elapsed.
                met: 12 * i128::from(p.ytd().yuan())
                    >= i128::from(month) * i128::from(p.plan.map_or(0, |m| m.yuan())),
                done_yuan: Some(p.ytd().yuan()),
                plan_yuan: p.plan.map(|m| m.yuan()),
                ..basis(p, None, None)
            })
            .collect(),
    }
}

/// Every subject's score under `sheet` for `quarter` as it stands on
/// `as_of` (its close, or a day within it), ranked. `ledger` is the ledger
/// at the close of the quarter's last month. An item without a task scores
/// nothing and the others are re-weighted to the sheet's full marks (20 of
/// 80 applicable points count as 25 of 100): a subject is judged on what it
/// had to do, never given marks for what it had not. A subject with no task
/// at all is left out of the ranking.
pub fn score_subjects(
    sheet: &Sheet,
    (quarter, as_of): (Quarter, NaiveDate),
    ledger: &[ProjectAsOf],
    attribution: Attribution,
    subjects: &[Subject],
) -> Vec<Score> {
    // Each subject's projects and blockers, in ledger order, gathered in one
    // pass: a country has thousands of subjects over a quarter of a million
    // projects.
    type Share<'a> = (
        Vec<&'a ProjectAsOf>,
        Vec<(&'a ProjectAsOf, &'a BlockerAsOf)>,
    );
    let mut shares: HashMap<i64, Share> = HashMap::new();
    // Cancelled (取消) and suspended (停建) projects are left out, with
    // their plans, targets and blockers: a unit is not judged on work that
    // was stopped.
    let ledger: Vec<&ProjectAsOf> = ledger
        .iter()
        .filter(|p| !matches!(p.stage, Stage::Cancelled | Stage::Suspended))
        .collect();
    for p in &ledger {
        if let Some(id) = attribution.of_project(p) {
            shares.entry(id).or_default().0.push(p);
        }
    }
    for p in &ledger {
        for b in &p.blockers {
            if let Some(id) = attribution.of_blocker(p, b) {
                shares.entry(id).or_default().1.push((p, b));
            }
        }
    }
    let none: Share = (Vec::new(), Vec::new());
    let scores = subjects
        .iter()
        .filter_map(|subject| {
            let (projects, blockers) = shares.get(&subject.id).unwrap_or(&none);
            if projects.is_empty() && blockers.is_empty() {
                return None;
            }
            let mut items: Vec<ItemScore> = sheet
                .items()
                .iter()
                .map(|i| score_item(i.kind, i.weight, (quarter, as_of), projects, blockers))
                .collect();
            let all: i128 = items.iter().map(|i| i128::from(i.weight)).sum();
            let applied: i128 = items
                .iter()
                .filter(|i| !i.no_task)
                .map(|i| i128::from(i.weight))
                .sum();
            if applied == 0 {
                return None;
            }
            reweigh(&mut items, all, applied);
            Some(Score {
                subject: subject.clone(),
                total_hundredths: items.iter().map(|i| i.points_hundredths).sum(),
                items,
                rank: 0,
            })
        })
        .collect();
    rank(scores)
}

/// Scales the points of the items that apply by `all / applied`, so that
/// they are worth the sheet's full marks together. The total is rounded
/// half up once, and the hundredths it gains or loses by rounding go to the
/// items with the largest remainders (the first of equals): the items
/// always add up to the total shown.
fn reweigh(items: &mut [ItemScore], all: i128, applied: i128) {
    if all == applied {
        return;
    }
    let scaled: Vec<(usize, i128)> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| !i.no_task)
        .map(|(k, i)| (k, i128::from(i.points_hundredths) * all))
        .collect();
    let total = div_half_up(scaled.iter().map(|(_, v)| v).sum(), applied);
    let mut floors: i64 = 0;
    let mut remainders: Vec<(usize, i128)> = Vec::new();
    for (k, v) in &scaled {
        let floor = (v / applied) as i64;
        items[*k].points_hundredths = floor;
        floors += floor;
        remainders.push((*k, v % applied));
    }
    // Stable: equal remainders keep the sheet's order.
    remainders.sort_by_key(|r| std::cmp::Reverse(r.1));
    for (k, _) in remainders.iter().take((total - floors).max(0) as usize) {
        items[*k].points_hundredths += 1;
    }
}

/// Highest total first; equal totals share a rank (1, 1, 3).
pub fn rank(mut scores: Vec<Score>) -> Vec<Score> {
    scores.sort_by(|a, b| {
        b.total_hundredths
            .cmp(&a.total_hundredths)
            .then_with(|| a.subject.name.cmp(&b.subject.name))
    });
    let ranks = kfq_domain::rank::competition_ranks(&scores, |l| l.total_hundredths);
    for (line, rank) in scores.iter_mut().zip(ranks) {
        line.rank = rank;
    }
    scores
}
