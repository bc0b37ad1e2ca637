//! Backward scheduling (倒排工期) over the China calendar: the default template,
//! targets on working days and holidays, across New Year and the Spring Festival,
//! overrides, and errors.

use chrono::NaiveDate;
use kfq_calendar::{
    default_template, schedule_backward, Calendar, Override, Planned, ScheduleError, TemplateNode,
};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn dates(plan: &[Planned]) -> Vec<String> {
    plan.iter().map(|p| p.date.to_string()).collect()
}

/// Invariants every plan must satisfy, whatever the target.
fn check_plan(cal: &Calendar, nodes: &[TemplateNode], plan: &[Planned]) {
    assert_eq!(plan.len(), nodes.len());
    for (p, n) in plan.iter().zip(nodes) {
        assert_eq!(
            (p.key.as_str(), p.name.as_str()),
            (n.key.as_str(), n.name.as_str())
        );
        assert!(
            cal.is_working_day(p.date),
            "{} on {} is not worked",
            p.key,
            p.date
        );
    }
    for i in 1..plan.len() {
        assert_eq!(
            cal.working_days_between(plan[i - 1].date, plan[i].date),
            i64::from(nodes[i].working_days),
            "{} → {}",
            plan[i - 1].key,
            plan[i].key
        );
    }
}

#[test]
fn default_template_shape() {
    let t = default_template();
    let keys: Vec<&str> = t.iter().map(|n| n.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "approval",
            "eia",
            "energy_review",
            "land",
            "planning_permit",
            "construction_permit",
            "start",
            "structure_done",
            "equipment",
            "completion",
            "production",
            "full_capacity"
        ]
    );
    let names: Vec<&str> = t.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "立项",
            "环评",
            "能评",
            "土地摘牌",
            "规划许可",
            "施工许可",
            "开工",
            "主体完工",
            "设备安装",
            "竣工",
            "投产",
            "达产"
        ]
    );
    assert_eq!(t[0].working_days, 0);
    assert!(t[1..].iter().all(|n| n.working_days > 0));
    // 摘牌 → 施工许可 inside the "不到40个工作日" zones report.
    let land_to_permit: u32 = t[4..=5].iter().map(|n| n.working_days).sum();
    assert!(land_to_permit < 40);
}

#[test]
fn production_by_new_years_eve_2024() {
    let cal = Calendar::china();
    let nodes = default_template();
    let plan = schedule_backward(&cal, &nodes, "production", d("2024-12-31")).unwrap();
    check_plan(&cal, &nodes, &plan);
    assert_eq!(
        dates(&plan),
        [
            "2024-01-02", // 立项 right after New Year's Day: same-year production
            "2024-02-18", // the Spring Festival make-up Sunday
            "2024-03-08",
            "2024-04-15",
            "2024-04-28", // the Labour Day make-up Sunday
            "2024-05-21",
            "2024-05-28",
            "2024-09-19",
            "2024-11-19",
            "2024-12-17",
            "2024-12-31",
            "2025-06-30",
        ]
    );
}

#[test]
fn target_on_a_holiday_moves_to_the_working_day_before() {
    let cal = Calendar::china();
    let nodes = default_template();
    let plan = schedule_backward(&cal, &nodes, "construction_permit", d("2024-10-01")).unwrap();
    check_plan(&cal, &nodes, &plan);
    assert_eq!(plan[5].date, d("2024-09-30"));
    // 开工 5 working days later: 10-08..11 and the make-up Saturday 10-12.
    assert_eq!(plan[6].date, d("2024-10-12"));
    assert_eq!(
        dates(&plan),
        [
            "2024-05-17",
            "2024-07-01",
            "2024-07-22",
            "2024-08-26",
            "2024-09-09",
            "2024-09-30",
            "2024-10-12",
            "2025-02-08",
            "2025-04-07",
            "2025-05-07",
            "2025-05-21",
            "2025-11-12",
        ]
    );

    // A weekend target too, and one deep inside the 2025 Spring Festival.
    let plan = schedule_backward(&cal, &nodes, "start", d("2024-06-09")).unwrap();
    assert_eq!(plan[6].date, d("2024-06-07"));
    let plan = schedule_backward(&cal, &nodes, "land", d("2025-02-01")).unwrap();
    check_plan(&cal, &nodes, &plan);
    assert_eq!(plan[3].date, d("2025-01-27"));
}

#[test]
fn across_new_year() {
    let cal = Calendar::china();
    let nodes = default_template();
    let plan = schedule_backward(&cal, &nodes, "start", d("2025-01-06")).unwrap();
    check_plan(&cal, &nodes, &plan);
    // 5 working days before Mon 2025-01-06, skipping 01-01: 01-03, 01-02, 12-31,
    // 12-30, 12-27.
    assert_eq!(plan[5].date, d("2024-12-27"));
    assert_eq!(
        dates(&plan),
        [
            "2024-08-12",
            "2024-09-24",
            "2024-10-18",
            "2024-11-22",
            "2024-12-06",
            "2024-12-27",
            "2025-01-06",
            "2025-05-07",
            "2025-07-03",
            "2025-07-31",
            "2025-08-14",
            "2026-02-05",
        ]
    );
}

#[test]
fn target_at_either_end_of_the_chain() {
    let cal = Calendar::china();
    let nodes = default_template();
    let first = schedule_backward(&cal, &nodes, "approval", d("2024-01-02")).unwrap();
    check_plan(&cal, &nodes, &first);
    assert_eq!(first[10].date, d("2024-12-31"));
    let last = schedule_backward(&cal, &nodes, "full_capacity", d("2025-06-30")).unwrap();
    check_plan(&cal, &nodes, &last);
    assert_eq!(last[10].date, d("2024-12-31"));
    assert_eq!(last[0].date, d("2024-01-02"));
}

#[test]
fn every_target_day_of_2024_gives_a_consistent_plan() {
    let cal = Calendar::china();
    let nodes = default_template();
    for target in d("2024-01-01").iter_days().take(366) {
        for key in ["approval", "land", "start", "production", "full_capacity"] {
            let plan = schedule_backward(&cal, &nodes, key, target).unwrap();
            check_plan(&cal, &nodes, &plan);
            let p = plan.iter().find(|p| p.key == key).unwrap();
            assert_eq!(p.date, cal.previous_working_day_or_same(target));
        }
    }
}

#[test]
fn zero_durations_share_a_date() {
    let cal = Calendar::china();
    let nodes = vec![
        TemplateNode {
            key: "a".into(),
            name: "A".into(),
            working_days: 7,
        },
        TemplateNode {
            key: "b".into(),
            name: "B".into(),
            working_days: 0,
        },
        TemplateNode {
            key: "c".into(),
            name: "C".into(),
            working_days: 0,
        },
    ];
    let plan = schedule_backward(&cal, &nodes, "c", d("2024-10-05")).unwrap();
    check_plan(&cal, &nodes, &plan);
    assert_eq!(dates(&plan), ["2024-09-30", "2024-09-30", "2024-09-30"]);
}

#[test]
fn overrides_move_the_plan() {
    let base = Calendar::china();
    let nodes = default_template();
    let before = schedule_backward(&base, &nodes, "production", d("2024-12-31")).unwrap();

    // The zone declares 2024-12-20 (Friday) off: everything before 投产 that spans
    // it moves one working day earlier.
    let cal = base.clone().with_overrides(&[Override {
        date: d("2024-12-20"),
        working: false,
        note: "停电检修".into(),
    }]);
    let after = schedule_backward(&cal, &nodes, "production", d("2024-12-31")).unwrap();
    check_plan(&cal, &nodes, &after);
    assert_eq!(before[9].date, d("2024-12-17"));
    assert_eq!(after[9].date, d("2024-12-16"));
    assert_eq!(after[10].date, d("2024-12-31"));

    // Working the target Sunday keeps the target on it.
    let cal = base.with_overrides(&[Override {
        date: d("2024-06-09"),
        working: true,
        note: "集中开工日".into(),
    }]);
    let plan = schedule_backward(&cal, &nodes, "start", d("2024-06-09")).unwrap();
    assert_eq!(plan[6].date, d("2024-06-09"));
    check_plan(&cal, &nodes, &plan);
}

#[test]
fn errors() {
    let cal = Calendar::china();
    let nodes = default_template();
    assert_eq!(
        schedule_backward(&cal, &nodes, "opening_ceremony", d("2024-12-31")),
        Err(ScheduleError::UnknownTarget("opening_ceremony".into()))
    );
    assert_eq!(
        schedule_backward(&cal, &[], "production", d("2024-12-31")),
        Err(ScheduleError::UnknownTarget("production".into()))
    );
    let mut dup = nodes.clone();
    dup.push(nodes[3].clone());
    assert_eq!(
        schedule_backward(&cal, &dup, "production", d("2024-12-31")),
        Err(ScheduleError::DuplicateKey("land".into()))
    );
    let mut huge = nodes.clone();
    huge[11].working_days = u32::MAX;
    assert_eq!(
        schedule_backward(&cal, &huge, "production", d("2024-12-31")),
        Err(ScheduleError::OutOfRange)
    );
    assert_eq!(
        ScheduleError::UnknownTarget("x".into()).to_string(),
        "unknown milestone key `x`"
    );
}
