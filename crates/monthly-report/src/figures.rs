//! The bulletin's figures for one scope and month, from the projects as
//! they stood at its close. Percentages are tenths of a point (57.3% is 573),
//! exact and rounded half up, as in `kfq_domain::investment`.

use std::collections::{BTreeMap, HashMap};

use kfq_domain::investment::{completion_tenths, elapsed_tenths};
use kfq_domain::rag::RagReason;
use kfq_domain::{BlockerFactor, Category, Money, Rag, Stage};
use serde::Serialize;

use crate::{Period, ProjectAsOf, Trace, Unit};

/// Counts and money of a set of projects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub projects: usize,
    pub total_investment: Money,
    /// 年度计划投资.
    pub planned: Money,
    /// 1–N月累计完成.
    pub ytd: Money,
    /// 当月完成.
    pub month: Money,
    /// 完成率: ytd of planned; none without a plan.
    pub completion_tenths: Option<i64>,
    /// 完成率 minus 序时进度; negative is behind.
    pub gap_tenths: Option<i64>,
}

impl Totals {
    pub fn of<'a>(projects: impl IntoIterator<Item = &'a ProjectAsOf>, period: Period) -> Totals {
        let mut t = Totals::default();
        for p in projects {
            t.projects += 1;
            t.total_investment = t.total_investment + p.total_investment;
            t.planned = t.planned + p.plan.unwrap_or(Money::ZERO);
            t.ytd = t.ytd + p.ytd();
            t.month = t.month + p.month_amount(period.month());
        }
        t.completion_tenths = completion_tenths(t.ytd, t.planned);
        t.gap_tenths = t
            .completion_tenths
            .map(|c| c - elapsed_tenths(period.month()));
        t
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageLine {
    pub stage: Stage,
    pub totals: Totals,
    pub trace: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryLine {
    pub category: Category,
    pub totals: Totals,
    pub trace: String,
}

/// A zone, department or liaison leader ranked by completion rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RankLine {
    /// 1 for the best; equal rates share a rank ("1, 2, 2, 4").
    pub rank: usize,
    /// Id 0: not assigned.
    pub unit: Unit,
    pub totals: Totals,
    pub trace: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RagCounts {
    pub red: usize,
    pub yellow: usize,
    pub green: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RedLine {
    pub project_id: i64,
    pub name: String,
    pub zone: String,
    pub department: Option<String>,
    pub reasons: Vec<RagReason>,
}

/// Overdue blockers of one factor (要素类型).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactorLine {
    pub factor: BlockerFactor,
    pub blockers: usize,
    pub projects: usize,
    pub trace: String,
}

/// One flow figure of the month or year: projects and their totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flow {
    pub totals: Totals,
    pub trace: String,
    pub project_ids: Vec<i64>,
}

/// The cancelled and suspended projects a bulletin leaves out of its totals,
/// rates and rankings, and what they add up to, so no figure goes unsaid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    pub suspended: usize,
    pub cancelled: usize,
    pub totals: Totals,
    pub trace: String,
}

/// Everything a 月通报 says, for one scope and month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bulletin {
    /// `{"year", "month"}`: the form issued reports were frozen in.
    #[serde(with = "kfq_calendar::period::as_year_and_month")]
    pub period: Period,
    /// 序时进度 at the month's close.
    pub elapsed_tenths: i64,
    pub overall: Totals,
    pub by_stage: Vec<StageLine>,
    pub by_category: Vec<CategoryLine>,
    pub new_starts: Flow,
    pub new_production: Flow,
    pub signed_in_year: Flow,
    pub started_in_year: Flow,
    pub producing_in_year: Flow,
    pub fast_path: Flow,
    /// Zones ranked (only when the scope holds more than one).
    pub zones: Vec<RankLine>,
    /// Departments and liaison leaders ranked within one zone (a bulletin
    /// over several zones ranks the zones, not their departments), without
    /// the projects that have none: those are the `…_unassigned` line,
    /// never ranked.
    pub departments: Vec<RankLine>,
    pub liaisons: Vec<RankLine>,
    pub departments_unassigned: Option<RankLine>,
    pub liaisons_unassigned: Option<RankLine>,
    pub rag: RagCounts,
    pub red: Vec<RedLine>,
    pub overdue_by_factor: Vec<FactorLine>,
    pub overdue_blockers: usize,
    pub left_out: LeftOut,
}

/// Computes the bulletin. `status` gives a project's red/yellow/green at the
/// close of the period (by its zone's rules); none for cancelled projects.
pub fn compile(
    period: Period,
    projects: &[ProjectAsOf],
    status: impl Fn(&ProjectAsOf) -> Option<(Rag, Vec<RagReason>)>,
) -> Bulletin {
    let statuses: Vec<Option<(Rag, Vec<RagReason>)>> = projects.iter().map(&status).collect();
    compile_judged(period, projects, &statuses)
}

/// [`compile`] with each project's status already judged (`statuses[i]` is
/// `projects[i]`'s), for a caller that keeps them.
pub fn compile_judged(
    period: Period,
    projects: &[ProjectAsOf],
    statuses: &[Option<(Rag, Vec<RagReason>)>],
) -> Bulletin {
    assert_eq!(projects.len(), statuses.len(), "one status a project");
    let rag_of = |i: usize| statuses[i].as_ref().map(|(r, _)| *r);
    let select = |trace: Trace| -> Vec<usize> {
        (0..projects.len())
            .filter(|&i| trace.admits(&projects[i], period, rag_of(i)))
            .collect()
    };
    let totals_of = |ids: &[usize]| Totals::of(ids.iter().map(|&i| &projects[i]), period);
    let flow = |trace: Trace| {
        let ids = select(trace);
        Flow {
            totals: totals_of(&ids),
            trace: trace.code(),
            project_ids: ids.iter().map(|&i| projects[i].id).collect(),
        }
    };

    let by_stage = Stage::ALL
        .iter()
        .map(|&stage| StageLine {
            stage,
            totals: totals_of(&select(Trace::Stage(stage))),
            trace: Trace::Stage(stage).code(),
        })
        // Every main-line stage, so the lines add up to the totals; 停建
        // and 取消 are said apart (`left_out`).
        .filter(|l| l.stage.rank().is_some())
        .collect();
    let by_category = Category::ALL
        .iter()
        .map(|&category| CategoryLine {
            category,
            totals: totals_of(&select(Trace::Category(category))),
            trace: Trace::Category(category).code(),
        })
        .collect();

    let counted: Vec<&ProjectAsOf> = projects.iter().filter(|p| p.counted()).collect();
    let (zones, _) = units(&counted, period, |p| Some(&p.zone), Trace::Zone);
    let mut rag = RagCounts::default();
    let mut red = Vec::new();
    for (p, s) in projects.iter().zip(statuses).filter(|(p, _)| p.counted()) {
        match s {
            Some((Rag::Red, reasons)) => {
                rag.red += 1;
                red.push(RedLine {
                    project_id: p.id,
                    name: p.name.clone(),
                    zone: p.zone.name.clone(),
                    department: p.department.as_ref().map(|u| u.name.clone()),
                    reasons: reasons
                        .iter()
                        .filter(|r| r.rag == Rag::Red)
                        .cloned()
                        .collect(),
                });
            }
            Some((Rag::Yellow, _)) => rag.yellow += 1,
            Some((Rag::Green, _)) => rag.green += 1,
            None => {}
        }
    }

    let day = period.last_day();
    let mut factors: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    let mut overdue_blockers = 0;
    for p in projects {
        let mut seen = vec![false; BlockerFactor::ALL.len()];
        for b in p.blockers.iter().filter(|b| b.overdue_on(day)) {
            let k = BlockerFactor::ALL
                .iter()
                .position(|f| *f == b.factor)
                .unwrap_or(0);
            let entry = factors.entry(k).or_default();
            entry.0 += 1;
            if !seen[k] {
                seen[k] = true;
                entry.1 += 1;
            }
            overdue_blockers += 1;
        }
    }
    let mut overdue_by_factor: Vec<FactorLine> = factors
        .into_iter()
        .map(|(k, (blockers, count))| FactorLine {
            factor: BlockerFactor::ALL[k],
            blockers,
            projects: count,
            trace: Trace::Overdue(BlockerFactor::ALL[k]).code(),
        })
        .collect();
    overdue_by_factor.sort_by_key(|l| std::cmp::Reverse(l.blockers));

    // A bulletin over several zones ranks the zones; within one zone, its
    // departments and liaison leaders.
    let zones = if zones.len() > 1 { zones } else { Vec::new() };
    let within_zone = |unit_of: fn(&ProjectAsOf) -> Option<&Unit>, trace: fn(i64) -> Trace| {
        if zones.is_empty() {
            units(&counted, period, unit_of, trace)
        } else {
            (Vec::new(), None)
        }
    };
    let (departments, departments_unassigned) =
        within_zone(|p| p.department.as_ref(), Trace::Department);
    let (liaisons, liaisons_unassigned) = within_zone(|p| p.liaison.as_ref(), Trace::Liaison);
    let left_out: Vec<&ProjectAsOf> = projects.iter().filter(|p| !p.counted()).collect();
    let suspended = left_out
        .iter()
        .filter(|p| p.stage == Stage::Suspended)
        .count();
    Bulletin {
        period,
        elapsed_tenths: elapsed_tenths(period.month()),
        overall: Totals::of(counted.iter().copied(), period),
        left_out: LeftOut {
            suspended,
            cancelled: left_out.len() - suspended,
            totals: Totals::of(left_out.iter().copied(), period),
            trace: Trace::LeftOut.code(),
        },
        by_stage,
        by_category,
        new_starts: flow(Trace::NewStarts),
        new_production: flow(Trace::NewProduction),
        signed_in_year: flow(Trace::SignedInYear),
        started_in_year: flow(Trace::StartedInYear),
        producing_in_year: flow(Trace::ProducingInYear),
        fast_path: flow(Trace::FastPath),
        departments,
        liaisons,
        departments_unassigned,
        liaisons_unassigned,
        zones,
        rag,
        red,
        overdue_by_factor,
        overdue_blockers,
    }
}

/// Groups projects by a unit and ranks the groups; the projects without a
/// unit make one line apart ("未分配", id 0), never ranked. Groups are taken
/// in unit order (id, then name) before ranking, so equal lines keep that
/// order.
fn units<'a>(
    projects: &[&'a ProjectAsOf],
    period: Period,
    unit_of: impl Fn(&'a ProjectAsOf) -> Option<&'a Unit>,
    trace: impl Fn(i64) -> Trace,
) -> (Vec<RankLine>, Option<RankLine>) {
    // Borrowed while grouping: a country's quarter of a million projects
    // fall into a few thousand units.
    let mut groups: HashMap<(i64, &str), Vec<&ProjectAsOf>> = HashMap::new();
    let mut unassigned: Vec<&ProjectAsOf> = Vec::new();
    for &p in projects {
        match unit_of(p) {
            Some(unit) => groups
                .entry((unit.id, unit.name.as_str()))
                .or_default()
                .push(p),
            None => unassigned.push(p),
        }
    }
    let mut groups: Vec<((i64, &str), Vec<&ProjectAsOf>)> = groups.into_iter().collect();
    groups.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let line = |id: i64, name: &str, ps: Vec<&ProjectAsOf>| RankLine {
        rank: 0,
        trace: trace(id).code(),
        totals: Totals::of(ps, period),
        unit: Unit {
            id,
            name: name.to_owned(),
        },
    };
    let lines = groups
        .into_iter()
        .map(|((id, name), ps)| line(id, name, ps))
        .collect();
    let unassigned = (!unassigned.is_empty()).then(|| line(0, "未分配", unassigned));
    (rank_by_completion(lines), unassigned)
}

/// Orders by completion rate, best first (without a plan last), then by
/// year-to-date investment, then name; equal rates share a rank.
pub fn rank_by_completion(mut lines: Vec<RankLine>) -> Vec<RankLine> {
    kfq_domain::rank::rank_by_completion(&mut lines);
    lines
}

impl kfq_domain::rank::ByCompletion for RankLine {
    fn completion_tenths(&self) -> Option<i64> {
        self.totals.completion_tenths
    }
    fn ytd(&self) -> Money {
        self.totals.ytd
    }
    fn name(&self) -> &str {
        &self.unit.name
    }
    fn set_rank(&mut self, rank: usize) {
        self.rank = rank;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::tests::{d, project};
    use crate::BlockerAsOf;

    fn unit(id: i64, name: &str) -> Option<Unit> {
        Some(Unit {
            id,
            name: name.into(),
        })
    }

    fn wan(n: i64) -> Money {
        Money::from_wan(n)
    }

    /// Four projects in two zones, June 2024, worked by hand:
    /// - A (zone 1, dept 10): started 2024-06-05 (signed 2024-01-08), plan 1,200,
    ///   months 100×6 = 600 → 50.0%, on time; a land blocker overdue since 06-20.
    /// - B (zone 1, dept 10): producing, signed 01-02, started 03-01, producing
    ///   06-18 (fast path), plan 800, months 200+200+0+0+0+0 = 400 → 50.0%.
    /// - C (zone 2, dept 20): signed 2023, plan 1,000, months 100 in Jan → 10.0%.
    /// - D (zone 2, none): cancelled, no plan, 50 in March.
    fn ledger() -> Vec<ProjectAsOf> {
        let mut a = project(1, Stage::Started);
        a.department = unit(10, "经发部");
        a.reached = vec![
            (Stage::Signed, d("2024-01-08")),
            (Stage::Started, d("2024-06-05")),
        ];
        a.plan = Some(wan(1_200));
        a.months = vec![wan(100); 6];
        a.blockers.push(BlockerAsOf {
            id: 100,
            factor: BlockerFactor::Land,
            description: "用地指标".into(),
            raised_on: d("2024-05-01"),
            deadline: Some(d("2024-06-20")),
            resolved_on: None,
            department: None,
        });
        let mut b = project(2, Stage::Producing);
        b.department = unit(10, "经发部");
        b.category = Category::Infrastructure;
        b.total_investment = wan(5_000);
        b.reached = vec![
            (Stage::Signed, d("2024-01-02")),
            (Stage::Started, d("2024-03-01")),
            (Stage::Producing, d("2024-06-18")),
        ];
        b.plan = Some(wan(800));
        b.months = vec![wan(200), wan(200), wan(0), wan(0), wan(0), wan(0)];
        let mut c = project(3, Stage::Signed);
        c.zone = Unit {
            id: 2,
            name: "乙开发区".into(),
        };
        c.department = unit(20, "招商局");
        c.reached = vec![(Stage::Signed, d("2023-11-01"))];
        c.plan = Some(wan(1_000));
        c.months = vec![wan(100), wan(0), wan(0), wan(0), wan(0), wan(0)];
        let mut dd = project(4, Stage::Cancelled);
        dd.zone = c.zone.clone();
        dd.months = vec![wan(0), wan(0), wan(50), wan(0), wan(0), wan(0)];
        vec![a, b, c, dd]
    }

    fn status(p: &ProjectAsOf) -> Option<(Rag, Vec<RagReason>)> {
        let june = Period::new(2024, 6).unwrap();
        p.rag(june, &kfq_domain::RagRules::default(), &|a, b| {
            (b - a).num_days()
        })
    }

    #[test]
    fn every_figure_of_a_small_ledger() {
        let june = Period::new(2024, 6).unwrap();
        let b = compile(june, &ledger(), status);
        assert_eq!(b.elapsed_tenths, 500);
        let o = b.overall;
        // D is cancelled: left out of the totals and rates, and said so.
        assert_eq!(o.projects, 3);
        assert_eq!(o.total_investment, wan(25_000));
        assert_eq!(o.planned, wan(3_000));
        assert_eq!(o.ytd, wan(1_100));
        assert_eq!(o.month, wan(100));
        assert_eq!(o.completion_tenths, Some(367), "1,100 / 3,000 = 36.67%");
        assert_eq!(o.gap_tenths, Some(-133));
        assert_eq!((b.left_out.cancelled, b.left_out.suspended), (1, 0));
        assert_eq!(
            b.left_out.totals.ytd,
            wan(50),
            "D's March is reported beside"
        );

        let stage = |s: Stage| {
            b.by_stage
                .iter()
                .find(|l| l.stage == s)
                .map(|l| l.totals.projects)
        };
        assert_eq!(stage(Stage::Started), Some(1));
        assert_eq!(stage(Stage::Producing), Some(1));
        assert_eq!(stage(Stage::Signed), Some(1));
        assert_eq!(
            stage(Stage::Planning),
            Some(0),
            "main-line stages always shown"
        );
        assert_eq!(stage(Stage::Cancelled), None, "said in left_out");
        assert_eq!(stage(Stage::Suspended), None);
        let lines: usize = b.by_stage.iter().map(|l| l.totals.projects).sum();
        assert_eq!(lines, o.projects, "the stage lines add up to the total");
        let infra = &b.by_category[1];
        assert_eq!(
            (infra.category, infra.totals.ytd),
            (Category::Infrastructure, wan(400))
        );

        assert_eq!(b.new_starts.project_ids, vec![1]);
        assert_eq!(b.new_starts.totals.ytd, wan(600));
        assert_eq!(b.new_production.project_ids, vec![2]);
        assert_eq!(b.signed_in_year.project_ids, vec![1, 2]);
        assert_eq!(b.started_in_year.project_ids, vec![1, 2]);
        assert_eq!(b.producing_in_year.project_ids, vec![2]);
        assert_eq!(b.fast_path.project_ids, vec![2]);

        // Zones: 甲 (1,000 of 2,000 = 50.0%), 乙 (100 of 1,000 = 10.0%; D left out).
        let z: Vec<_> = b
            .zones
            .iter()
            .map(|l| (l.rank, l.unit.id, l.totals.completion_tenths))
            .collect();
        assert_eq!(z, vec![(1, 1, Some(500)), (2, 2, Some(100))]);
        // Over two zones the zones are ranked, not their departments.
        assert!(b.departments.is_empty() && b.liaisons.is_empty());
        assert!(b.departments_unassigned.is_none() && b.liaisons_unassigned.is_none());
        // Within 甲: its department 经发部 ranked; nobody has a liaison, so
        // no liaison is ranked and the 未分配 line stands apart.
        let jia: Vec<ProjectAsOf> = ledger().into_iter().filter(|p| p.zone.id == 1).collect();
        let one = compile(june, &jia, status);
        let dpt: Vec<_> = one
            .departments
            .iter()
            .map(|l| (l.rank, l.unit.name.as_str(), l.totals.completion_tenths))
            .collect();
        assert_eq!(dpt, vec![(1, "经发部", Some(500))]);
        assert!(one.liaisons.is_empty(), "未分配 is never ranked");
        let unassigned = one.liaisons_unassigned.as_ref().unwrap();
        assert_eq!(
            (unassigned.unit.name.as_str(), unassigned.totals.projects),
            ("未分配", 2)
        );
        assert_eq!(unassigned.trace, "liaison:0");
        // Within 乙: C in 招商局; D has no department but is cancelled, left out.
        let yi: Vec<ProjectAsOf> = ledger().into_iter().filter(|p| p.zone.id == 2).collect();
        let other = compile(june, &yi, status);
        assert_eq!(other.departments.len(), 1);
        assert_eq!(other.departments[0].unit.name, "招商局");
        assert!(other.departments_unassigned.is_none(), "D is not counted");

        // Status at June 30: A red (blocker overdue); B green (50.0% on time);
        // C red (10.0%, 40 points behind); D cancelled (none).
        assert_eq!(
            b.rag,
            RagCounts {
                red: 2,
                yellow: 0,
                green: 1
            }
        );
        let red: Vec<_> = b
            .red
            .iter()
            .map(|r| (r.project_id, r.reasons[0].key))
            .collect();
        assert_eq!(
            red,
            vec![(1, "rag.blocker_overdue"), (3, "rag.investment_behind")]
        );

        assert_eq!(b.overdue_blockers, 1);
        assert_eq!(b.overdue_by_factor.len(), 1);
        assert_eq!(b.overdue_by_factor[0].factor, BlockerFactor::Land);
        assert_eq!(b.overdue_by_factor[0].trace, "overdue:land");
    }

    #[test]
    fn every_trace_selects_exactly_the_projects_of_its_figure() {
        let june = Period::new(2024, 6).unwrap();
        let ledger = ledger();
        let b = compile(june, &ledger, status);
        let count = |code: &str| {
            let trace = Trace::parse(code).unwrap();
            ledger
                .iter()
                .filter(|p| trace.admits(p, june, status(p).map(|s| s.0)))
                .count()
        };
        for l in &b.by_stage {
            assert_eq!(count(&l.trace), l.totals.projects, "{}", l.trace);
        }
        for l in b.zones.iter().chain(&b.departments).chain(&b.liaisons) {
            assert_eq!(count(&l.trace), l.totals.projects, "{}", l.trace);
        }
        for f in [
            &b.new_starts,
            &b.new_production,
            &b.fast_path,
            &b.signed_in_year,
        ] {
            assert_eq!(count(&f.trace), f.project_ids.len(), "{}", f.trace);
        }
        assert_eq!(count("rag:red"), b.rag.red);
        assert_eq!(count("all"), b.overall.projects);
        assert_eq!(
            count("left_out"),
            b.left_out.cancelled + b.left_out.suspended
        );
        assert_eq!(count("overdue:land"), b.overdue_by_factor[0].projects);
    }

    #[test]
    fn ties_share_a_rank() {
        let line = |name: &str, c: Option<i64>| RankLine {
            rank: 0,
            unit: Unit {
                id: 1,
                name: name.into(),
            },
            totals: Totals {
                completion_tenths: c,
                ..Totals::default()
            },
            trace: String::new(),
        };
        let ranked = rank_by_completion(vec![
            line("丙", Some(400)),
            line("甲", Some(650)),
            line("乙", Some(400)),
            line("丁", None),
        ]);
        let got: Vec<_> = ranked
            .iter()
            .map(|l| (l.rank, l.unit.name.as_str()))
            .collect();
        assert_eq!(got, vec![(1, "甲"), (2, "丙"), (2, "乙"), (4, "丁")]);
    }
}
