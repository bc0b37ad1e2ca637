//! A small fixed ledger scored by hand, item by item.

use chrono::NaiveDate;
use kfq_domain::{BlockerFactor, Category, Money, Nature, Stage};
use kfq_monthly_report::{BlockerAsOf, ProjectAsOf, Unit};

use crate::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn unit(id: i64, name: &str) -> Unit {
    Unit {
        id,
        name: name.into(),
    }
}

fn project(id: i64, zone: i64, dept: i64, nature: Nature, stage: Stage) -> ProjectAsOf {
    ProjectAsOf {
        id,
        name: format!("项目{id}"),
        zone: unit(
            zone,
            if zone == 1 {
                "甲开发区"
            } else {
                "乙开发区"
            },
        ),
        department: Some(unit(dept, if dept == 10 { "经发局" } else { "招商局" })),
        liaison: Some(unit(100, "张三")),
        category: Category::Industrial,
        nature,
        total_investment: Money::from_wan(10_000),
        stage,
        reached: vec![],
        plan: None,
        target_start: None,
        target_production: None,
        months: vec![Money::ZERO; 6],
        blockers: vec![],
        oldest_open_milestone: None,
    }
}

fn blocker(id: i64, deadline: &str, resolved: Option<&str>, dept: Option<i64>) -> BlockerAsOf {
    BlockerAsOf {
        id,
        factor: BlockerFactor::Land,
        description: format!("问题{id}"),
        raised_on: d("2025-01-05"),
        deadline: Some(d(deadline)),
        resolved_on: resolved.map(d),
        department: dept.map(|id| unit(id, "经发局")),
    }
}

fn wan(n: i64) -> Money {
    Money::from_wan(n)
}

/// The ledger at the close of June 2025 (Q2, 序时进度 50%):
/// - P1 (甲, 经发局, 新建): plan 1,200, 100 a month = 600; target start 03-15,
///   started 04-02.
/// - P2 (甲, 经发局, 新建): plan 900, 100+100+0+0+0+33 = 233; target start
///   05-01, still 签约; target production 06-15.
/// - P3 (甲, 招商局, 续建): no plan; target production 06-01, producing
///   05-20; blockers B1 due 05-31 resolved 05-30 (in time), B2 charged to
///   经发局 due 06-10 resolved 06-20 (late), B3 due 07-15 (not yet due).
/// - P4 (甲, 招商局, 新建): target start 01-10, started 2024-12-20.
/// - 乙 has no project.
fn ledger() -> Vec<ProjectAsOf> {
    let mut p1 = project(1, 1, 10, Nature::New, Stage::Started);
    p1.plan = Some(wan(1_200));
    p1.months = vec![wan(100); 6];
    p1.target_start = Some(d("2025-03-15"));
    p1.target_production = Some(d("2025-12-01"));
    p1.reached = vec![(Stage::Started, d("2025-04-02"))];
    let mut p2 = project(2, 1, 10, Nature::New, Stage::Signed);
    p2.plan = Some(wan(900));
    p2.months = vec![wan(100), wan(100), wan(0), wan(0), wan(0), wan(33)];
    p2.target_start = Some(d("2025-05-01"));
    p2.target_production = Some(d("2025-06-15"));
    p2.reached = vec![(Stage::Signed, d("2025-02-01"))];
    let mut p3 = project(3, 1, 11, Nature::Continuing, Stage::Producing);
    p3.target_production = Some(d("2025-06-01"));
    p3.reached = vec![(Stage::Producing, d("2025-05-20"))];
    p3.blockers = vec![
        blocker(31, "2025-05-31", Some("2025-05-30"), None),
        blocker(32, "2025-06-10", Some("2025-06-20"), Some(10)),
        blocker(33, "2025-07-15", None, None),
    ];
    let mut p4 = project(4, 1, 11, Nature::New, Stage::Started);
    p4.target_start = Some(d("2025-01-10"));
    p4.reached = vec![(Stage::Started, d("2024-12-20"))];
    vec![p1, p2, p3, p4]
}

fn q2() -> Quarter {
    Quarter::new(2025, 2).unwrap()
}

/// (kind, numerator, denominator, rate, points, no task, basis ids met).
type Expected = (ItemKind, i64, i64, Option<i64>, i64, bool, Vec<(i64, bool)>);

fn check(score: &Score, expected: &[Expected]) {
    assert_eq!(score.items.len(), expected.len());
    for (item, (kind, num, den, rate, points, no_task, basis)) in score.items.iter().zip(expected) {
        let who = format!("{} {:?}", score.subject.name, kind);
        assert_eq!(item.kind, *kind, "{who}");
        assert_eq!((item.numerator, item.denominator), (*num, *den), "{who}");
        assert_eq!(item.rate_tenths, *rate, "{who}");
        assert_eq!(item.points_hundredths, *points, "{who}");
        assert_eq!(item.no_task, *no_task, "{who}");
        let got: Vec<(i64, bool)> = item
            .basis
            .iter()
            .map(|b| (b.blocker_id.unwrap_or(b.project_id), b.met))
            .collect();
        assert_eq!(&got, basis, "{who}");
    }
}

#[test]
fn zones_item_by_item() {
    use ItemKind::*;
    let ledger = ledger();
    let subjects = [
        Subject {
            id: 1,
            name: "甲开发区".into(),
        },
        Subject {
            id: 2,
            name: "乙开发区".into(),
        },
    ];
    let scores = score_subjects(
        &Sheet::default(),
        (q2(), q2().last_day()),
        &ledger,
        Attribution::Zone,
        &subjects,
    );
    // 乙 has nothing to assess: left out rather than topping the ranking.
    assert_eq!(scores.len(), 1);
    let jia = &scores[0];
    assert_eq!((jia.subject.id, jia.rank), (1, 1));
    check(
        jia,
        &[
            // 833 of 2,100 = 39.7%; 40 × (12·833)/(6·2,100) = 31.733 → 31.73.
            // P1 (600 of 1,200) is on its half-year share; P2 (233 of 900,
            // due 450) is not.
            (
                PlanCompletion,
                wan(833).yuan(),
                wan(2_100).yuan(),
                Some(397),
                3_173,
                false,
                vec![(1, true), (2, false)],
            ),
            // P1 and P4 started of P1, P2, P4: 20 × 2/3 = 13.33.
            (
                StartRate,
                2,
                3,
                Some(667),
                1_333,
                false,
                vec![(1, true), (2, false), (4, true)],
            ),
            // P3 of P2, P3: 20 × 1/2.
            (
                ProductionRate,
                1,
                2,
                Some(500),
                1_000,
                false,
                vec![(2, false), (3, true)],
            ),
            // B1 in time, B2 late; B3 not yet due.
            (
                BlockerClosure,
                1,
                2,
                Some(500),
                1_000,
                false,
                vec![(31, true), (32, false)],
            ),
        ],
    );
    assert_eq!(jia.total_hundredths, 3_173 + 1_333 + 1_000 + 1_000);
    assert_eq!(points_text(jia.total_hundredths), "65.06");
}

#[test]
fn departments_and_liaisons() {
    use ItemKind::*;
    let ledger = ledger();
    let departments = Attribution::Department.subjects_in(&ledger);
    assert_eq!(
        departments.iter().map(|s| s.id).collect::<Vec<_>>(),
        [10, 11]
    );
    let scores = score_subjects(
        &Sheet::default(),
        (q2(), q2().last_day()),
        &ledger,
        Attribution::Department,
        &departments,
    );
    // 招商局: no plan, so no points for it and the other 60 count as 100:
    // each full 20 becomes 33.333…, rounded so the three make 100.00 (the
    // hundredth left over goes to the first).
    assert_eq!((scores[0].subject.id, scores[0].rank), (11, 1));
    check(
        &scores[0],
        &[
            (PlanCompletion, 0, 0, None, 0, true, vec![]),
            (StartRate, 1, 1, Some(1000), 3_334, false, vec![(4, true)]),
            (
                ProductionRate,
                1,
                1,
                Some(1000),
                3_333,
                false,
                vec![(3, true)],
            ),
            (
                BlockerClosure,
                1,
                1,
                Some(1000),
                3_333,
                false,
                vec![(31, true)],
            ),
        ],
    );
    assert_eq!(scores[0].total_hundredths, 10_000);
    // 经发局: P1, P2 and B2, which is charged to it though on P3.
    assert_eq!((scores[1].subject.id, scores[1].rank), (10, 2));
    check(
        &scores[1],
        &[
            (
                PlanCompletion,
                wan(833).yuan(),
                wan(2_100).yuan(),
                Some(397),
                3_173,
                false,
                vec![(1, true), (2, false)],
            ),
            (
                StartRate,
                1,
                2,
                Some(500),
                1_000,
                false,
                vec![(1, true), (2, false)],
            ),
            (ProductionRate, 0, 1, Some(0), 0, false, vec![(2, false)]),
            (BlockerClosure, 0, 1, Some(0), 0, false, vec![(32, false)]),
        ],
    );
    assert_eq!(scores[1].total_hundredths, 4_173);
    // One liaison over everything: the zone's figures.
    let liaisons = Attribution::Liaison.subjects_in(&ledger);
    let scores = score_subjects(
        &Sheet::default(),
        (q2(), q2().last_day()),
        &ledger,
        Attribution::Liaison,
        &liaisons,
    );
    assert_eq!(scores.len(), 1);
    assert_eq!(scores[0].total_hundredths, 6_506);
}

#[test]
fn plan_completion_against_elapsed_share() {
    // (ytd 万元, plan 万元, quarter, weight, points in hundredths)
    let cases = [
        (600, 1_200, 2, 40, 4_000), // exactly on pace
        (900, 1_200, 2, 40, 4_000), // ahead: capped at the weight
        (100, 1_200, 1, 40, 1_333), // 40 × (12·100)/(3·1,200) = 13.333
        (1, 8, 4, 1, 13),           // 1 × 1/8 = 0.125: half up
        (0, 1_000, 3, 40, 0),
        (0, 0, 2, 40, 0), // no plan: no task, no points (re-weighted by the sheet)
    ];
    for (done, plan, quarter, weight, points) in cases {
        let mut p = project(1, 1, 10, Nature::New, Stage::Started);
        p.plan = (plan > 0).then(|| wan(plan));
        p.months = vec![Money::ZERO; quarter as usize * 3];
        p.months[0] = wan(done);
        let q = Quarter::new(2025, quarter).unwrap();
        let item = score_item(
            ItemKind::PlanCompletion,
            weight,
            (q, q.last_day()),
            &[&p],
            &[],
        );
        assert_eq!(
            item.points_hundredths, points,
            "{done}/{plan} in Q{quarter}"
        );
        assert_eq!(item.no_task, plan == 0);
        assert_eq!(item.elapsed_tenths, Some(250 * i64::from(quarter)));
    }
}

#[test]
fn dates_outside_the_year_or_after_the_quarter_do_not_count() {
    let mut p = project(1, 1, 10, Nature::New, Stage::Started);
    p.reached = vec![(Stage::Started, d("2025-02-01"))];
    let cases = [
        ("2024-12-31", 0), // last year's task
        ("2025-07-01", 0), // due after the quarter
        ("2025-06-30", 1), // due on its last day
    ];
    for (target, due) in cases {
        p.target_start = Some(d(target));
        let item = score_item(ItemKind::StartRate, 20, (q2(), q2().last_day()), &[&p], &[]);
        assert_eq!(item.denominator, due, "{target}");
    }
    // A start put right since (back at 签约) does not count as started.
    p.stage = Stage::Signed;
    let item = score_item(ItemKind::StartRate, 20, (q2(), q2().last_day()), &[&p], &[]);
    assert_eq!((item.numerator, item.points_hundredths), (0, 0));
}

#[test]
fn ties_share_a_rank_and_the_year_sums_its_quarters() {
    let s = |id: i64, name: &str, total: i64| Score {
        subject: Subject {
            id,
            name: name.into(),
        },
        items: vec![],
        total_hundredths: total,
        rank: 0,
    };
    let ranked = rank(vec![
        s(1, "甲", 9_000),
        s(2, "乙", 9_500),
        s(3, "丙", 9_000),
    ]);
    let got: Vec<(i64, usize)> = ranked.iter().map(|r| (r.subject.id, r.rank)).collect();
    assert_eq!(got, [(2, 1), (3, 2), (1, 2)]);

    let q1 = [s(1, "甲", 5_000), s(2, "乙", 6_000)];
    let q2 = [s(1, "甲", 7_000), s(2, "乙", 6_000), s(3, "丙", 100)];
    let year = year_totals([Some(&q1), Some(&q2), None, None]);
    let got: Vec<(i64, i64, usize)> = year
        .iter()
        .map(|l| (l.subject.id, l.total_hundredths, l.rank))
        .collect();
    // Tied: by name in code-point order (乙 before 甲).
    assert_eq!(got, [(2, 12_000, 1), (1, 12_000, 1), (3, 100, 3)]);
    assert_eq!(year[1].quarters, [Some(5_000), Some(7_000), None, None]);
    assert_eq!(year[2].quarters, [None, Some(100), None, None]);
}

#[test]
fn scores_survive_a_round_trip_through_json() {
    let ledger = ledger();
    let subjects = Attribution::Zone.subjects_in(&ledger);
    let scores = score_subjects(
        &Sheet::default(),
        (q2(), q2().last_day()),
        &ledger,
        Attribution::Zone,
        &subjects,
    );
    let json = serde_json::to_string(&scores).unwrap();
    assert_eq!(serde_json::from_str::<Vec<Score>>(&json).unwrap(), scores);
}

/// 甲 on 5 June, the quarter running: only tasks due by then count, or done.
/// B1 (due 05-31, resolved 05-30) counts and is met; B2 (due 06-10) and B3
/// are not due yet; P3's production (due 06-01, reached 05-20) is met; P2's
/// (due 06-15) is not due yet; P2's start (due 05-01, not started) is missed.
#[test]
fn a_running_quarter_counts_only_what_is_due_or_done() {
    use ItemKind::*;
    let ledger = ledger();
    let scores = score_subjects(
        &Sheet::default(),
        (q2(), d("2025-06-05")),
        &ledger,
        Attribution::Zone,
        &[Subject {
            id: 1,
            name: "甲开发区".into(),
        }],
    );
    let items = &scores[0].items;
    let counts = |kind| {
        let i = items.iter().find(|i| i.kind == kind).unwrap();
        (i.numerator, i.denominator)
    };
    assert_eq!(counts(StartRate), (2, 3));
    assert_eq!(counts(ProductionRate), (1, 1));
    assert_eq!(counts(BlockerClosure), (1, 1));
    // A blocker resolved early, before its deadline, counts as met at once.
    let mut early = ledger.clone();
    early[2].blockers[1].resolved_on = Some(d("2025-06-03"));
    let scores = score_subjects(
        &Sheet::default(),
        (q2(), d("2025-06-05")),
        &early,
        Attribution::Zone,
        &[Subject {
            id: 1,
            name: "甲开发区".into(),
        }],
    );
    let closure = scores[0]
        .items
        .iter()
        .find(|i| i.kind == BlockerClosure)
        .unwrap();
    assert_eq!((closure.numerator, closure.denominator), (2, 2));
}

/// A subject with a task in one item only: that item is worth the whole
/// 100, and a subject with no task at all is left out.
#[test]
fn the_items_that_apply_carry_the_full_marks() {
    let mut p = project(1, 1, 10, Nature::Continuing, Stage::Started);
    p.plan = Some(wan(1_200));
    p.months = vec![wan(50); 6];
    let mut idle = project(2, 2, 20, Nature::Continuing, Stage::Started);
    idle.plan = None;
    let subjects = [
        Subject {
            id: 1,
            name: "甲开发区".into(),
        },
        Subject {
            id: 2,
            name: "乙开发区".into(),
        },
    ];
    let scores = score_subjects(
        &Sheet::default(),
        (q2(), q2().last_day()),
        &[p, idle],
        Attribution::Zone,
        &subjects,
    );
    assert_eq!(scores.len(), 1, "乙 has nothing to be judged on");
    // 300 of 1,200 by June: 40 × (12·300)/(6·1,200) = 20 of 40, so 50 of 100.
    assert_eq!(scores[0].total_hundredths, 5_000);
    assert_eq!(
        scores[0]
            .items
            .iter()
            .map(|i| i.points_hundredths)
            .sum::<i64>(),
        scores[0].total_hundredths
    );
}

/// A cancelled project's plan and a suspended project's target are not
/// held against the zone: 甲 scores as if they were not there.
#[test]
fn cancelled_and_suspended_projects_are_left_out() {
    let subjects = [Subject {
        id: 1,
        name: "甲开发区".into(),
    }];
    let score = |ledger: &[ProjectAsOf]| {
        score_subjects(
            &Sheet::default(),
            (q2(), q2().last_day()),
            ledger,
            Attribution::Zone,
            &subjects,
        )[0]
        .clone()
    };
    let plain = score(&ledger());
    let mut more = ledger();
    let mut cancelled = project(5, 1, 10, Nature::New, Stage::Cancelled);
    cancelled.plan = Some(wan(5_000));
    cancelled.target_start = Some(d("2025-04-01"));
    let mut suspended = project(6, 1, 10, Nature::New, Stage::Suspended);
    suspended.target_production = Some(d("2025-05-01"));
    more.push(cancelled);
    more.push(suspended);
    let with_stopped = score(&more);
    assert_eq!(with_stopped.items, plain.items);
    assert_eq!(with_stopped.total_hundredths, 6_506);
}
