//! Calendar behaviour against the published holiday arrangements of 2023–2026:
//! every block and make-up day, counting across festivals and year ends, stepping,
//! and administrator overrides.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};
use kfq_calendar::{Calendar, DayKind, Override};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn days(first: NaiveDate, last: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    first.iter_days().take_while(move |x| *x <= last)
}

fn is_weekend(x: NaiveDate) -> bool {
    matches!(x.weekday(), Weekday::Sat | Weekday::Sun)
}

fn holiday(name: &str) -> DayKind {
    DayKind::Holiday {
        name: name.to_string(),
    }
}

fn makeup(name: &str) -> DayKind {
    DayKind::MakeupWorkday {
        name: name.to_string(),
    }
}

/// Every day-off block of the four notices: festival, first day, last day.
const BLOCKS: &[(&str, &str, &str)] = &[
    ("元旦", "2022-12-31", "2023-01-02"),
    ("春节", "2023-01-21", "2023-01-27"),
    ("清明节", "2023-04-05", "2023-04-05"),
    ("劳动节", "2023-04-29", "2023-05-03"),
    ("端午节", "2023-06-22", "2023-06-24"),
    ("中秋节、国庆节", "2023-09-29", "2023-10-06"),
    ("元旦", "2024-01-01", "2024-01-01"),
    ("春节", "2024-02-10", "2024-02-17"),
    ("清明节", "2024-04-04", "2024-04-06"),
    ("劳动节", "2024-05-01", "2024-05-05"),
    ("端午节", "2024-06-10", "2024-06-10"),
    ("中秋节", "2024-09-15", "2024-09-17"),
    ("国庆节", "2024-10-01", "2024-10-07"),
    ("元旦", "2025-01-01", "2025-01-01"),
    ("春节", "2025-01-28", "2025-02-04"),
    ("清明节", "2025-04-04", "2025-04-06"),
    ("劳动节", "2025-05-01", "2025-05-05"),
    ("端午节", "2025-05-31", "2025-06-02"),
    ("国庆节、中秋节", "2025-10-01", "2025-10-08"),
    ("元旦", "2026-01-01", "2026-01-03"),
    ("春节", "2026-02-15", "2026-02-23"),
    ("清明节", "2026-04-04", "2026-04-06"),
    ("劳动节", "2026-05-01", "2026-05-05"),
    ("端午节", "2026-06-19", "2026-06-21"),
    ("中秋节", "2026-09-25", "2026-09-27"),
    ("国庆节", "2026-10-01", "2026-10-07"),
];

/// Every make-up working day of the four notices, with its festival.
const MAKEUPS: &[(&str, &str)] = &[
    ("2023-01-28", "春节"),
    ("2023-01-29", "春节"),
    ("2023-04-23", "劳动节"),
    ("2023-05-06", "劳动节"),
    ("2023-06-25", "端午节"),
    ("2023-10-07", "中秋节、国庆节"),
    ("2023-10-08", "中秋节、国庆节"),
    ("2024-02-04", "春节"),
    ("2024-02-18", "春节"),
    ("2024-04-07", "清明节"),
    ("2024-04-28", "劳动节"),
    ("2024-05-11", "劳动节"),
    ("2024-09-14", "中秋节"),
    ("2024-09-29", "国庆节"),
    ("2024-10-12", "国庆节"),
    ("2025-01-26", "春节"),
    ("2025-02-08", "春节"),
    ("2025-04-27", "劳动节"),
    ("2025-09-28", "国庆节、中秋节"),
    ("2025-10-11", "国庆节、中秋节"),
    ("2026-01-04", "元旦"),
    ("2026-02-14", "春节"),
    ("2026-02-28", "春节"),
    ("2026-05-09", "劳动节"),
    ("2026-09-20", "国庆节"),
    ("2026-10-10", "国庆节"),
];

#[test]
fn every_holiday_block_is_off_under_its_festival_name() {
    let cal = Calendar::china();
    for &(name, first, last) in BLOCKS {
        let (first, last) = (d(first), d(last));
        for x in days(first, last) {
            assert_eq!(cal.day_kind(x), holiday(name), "{x}");
            assert!(!cal.is_working_day(x), "{x}");
        }
        // The block ends where the notice says: the neighbours are not part of it.
        for x in [first.pred_opt().unwrap(), last.succ_opt().unwrap()] {
            assert_ne!(cal.day_kind(x), holiday(name), "{x} next to {name}");
        }
    }
}

#[test]
fn every_makeup_day_is_a_worked_weekend_day() {
    let cal = Calendar::china();
    for &(date, name) in MAKEUPS {
        let x = d(date);
        assert!(
            is_weekend(x),
            "{x} is a weekday: a make-up day must be a weekend"
        );
        assert_eq!(cal.day_kind(x), makeup(name), "{x}");
        assert!(cal.is_working_day(x), "{x}");
    }
}

#[test]
fn named_anchors() {
    let cal = Calendar::china();
    for x in days(d("2024-10-01"), d("2024-10-07")) {
        assert!(!cal.is_working_day(x), "{x}");
    }
    for x in days(d("2024-02-10"), d("2024-02-17")) {
        assert_eq!(cal.day_kind(x), holiday("春节"), "{x}");
    }
    for x in days(d("2023-01-21"), d("2023-01-27")) {
        assert_eq!(cal.day_kind(x), holiday("春节"), "{x}");
    }
    for x in ["2024-09-29", "2024-10-12", "2024-02-04", "2024-02-18"] {
        assert!(cal.is_working_day(d(x)), "{x}");
    }
    // 除夕 2024 was only "encouraged" off: officially a working Friday.
    assert_eq!(cal.day_kind(d("2024-02-09")), DayKind::Workday);
    // 2025's combined block is eight days; 2026's 中秋 and 国庆 are separate.
    assert_eq!(cal.day_kind(d("2025-10-08")), holiday("国庆节、中秋节"));
    assert_eq!(cal.day_kind(d("2026-09-28")), DayKind::Workday);
}

#[test]
fn all_other_days_follow_the_week() {
    let cal = Calendar::china();
    let mut special = BTreeSet::new();
    for &(_, first, last) in BLOCKS {
        special.extend(days(d(first), d(last)));
    }
    special.extend(MAKEUPS.iter().map(|&(x, _)| d(x)));
    for x in days(d("2022-12-01"), d("2027-01-31")) {
        if special.contains(&x) {
            continue;
        }
        let want = if is_weekend(x) {
            DayKind::Weekend
        } else {
            DayKind::Workday
        };
        assert_eq!(cal.day_kind(x), want, "{x}");
        assert_eq!(cal.is_working_day(x), !is_weekend(x), "{x}");
    }
}

#[test]
fn holidays_lists_exactly_the_notice_days_in_order() {
    let cal = Calendar::china();
    let mut want: Vec<(NaiveDate, DayKind)> = Vec::new();
    for &(name, first, last) in BLOCKS {
        want.extend(days(d(first), d(last)).map(|x| (x, holiday(name))));
    }
    want.extend(MAKEUPS.iter().map(|&(x, name)| (d(x), makeup(name))));
    want.sort_by_key(|(x, _)| *x);
    for year in 2023..=2026 {
        let of_year: Vec<_> = want
            .iter()
            .filter(|(x, _)| x.year() == year)
            .cloned()
            .collect();
        assert_eq!(cal.holidays(year), of_year, "{year}");
    }
    assert_eq!(cal.holidays(2024).len(), 28 + 8);
    assert_eq!(cal.holidays(2024)[0], (d("2024-01-01"), holiday("元旦")));
    // 2023's 元旦 starts in 2022, although 2022 itself is not covered.
    assert_eq!(cal.holidays(2022), vec![(d("2022-12-31"), holiday("元旦"))]);
    assert!(cal.holidays(2030).is_empty());
    assert!(cal.holidays(i32::MAX).is_empty());
    assert!(Calendar::weekends_only().holidays(2024).is_empty());
}

#[test]
fn working_days_per_year() {
    // Derived from the notices; 249 (2023) and 251 (2024) are also the totals
    // commonly published for those years.
    let cal = Calendar::china();
    for (year, want) in [(2023, 249), (2024, 251), (2025, 248), (2026, 248)] {
        let from = NaiveDate::from_ymd_opt(year - 1, 12, 31).unwrap();
        let to = NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
        assert_eq!(cal.working_days_between(from, to), want, "{year}");
        let plain = days(from.succ_opt().unwrap(), to)
            .filter(|x| cal.is_working_day(*x))
            .count() as i64;
        assert_eq!(plain, want, "{year}");
    }
}

#[test]
fn coverage_and_fallback() {
    let cal = Calendar::china();
    for year in 2023..=2026 {
        assert!(cal.covers(year), "{year}");
        assert!(cal
            .notice(year)
            .unwrap()
            .contains(&format!("{year}年部分节假日安排")));
    }
    for year in [1970, 2022, 2027, 2100] {
        assert!(!cal.covers(year), "{year}");
        assert_eq!(cal.notice(year), None);
    }
    assert!(cal.notice(2024).unwrap().contains("国办发明电〔2023〕7号"));
    assert!(cal.notice(2025).unwrap().contains("国办发明电〔2024〕12号"));
    assert!(cal.notice(2023).unwrap().contains("国办发明电〔2022〕16号"));
    // Outside the data: weekends only (2027-10-01 is a Friday, 2022-10-03 a Monday).
    assert_eq!(cal.day_kind(d("2027-10-01")), DayKind::Workday);
    assert_eq!(cal.day_kind(d("2022-10-03")), DayKind::Workday);
    assert_eq!(cal.day_kind(d("2027-10-02")), DayKind::Weekend);
    assert!(!Calendar::weekends_only().covers(2024));
    assert_eq!(
        Calendar::weekends_only().day_kind(d("2024-10-01")),
        DayKind::Workday
    );
}

#[test]
fn working_days_between_table() {
    let cal = Calendar::china();
    let cases = [
        // National Day 2024: 09-29 (Sun) worked, 10-01..07 off, 10-12 (Sat) worked.
        ("2024-09-27", "2024-10-08", 3),
        ("2024-09-30", "2024-10-08", 1),
        ("2024-09-30", "2024-10-12", 5),
        ("2024-09-28", "2024-10-07", 2),
        ("2024-10-01", "2024-10-07", 0),
        // Spring Festival 2024.
        ("2024-02-08", "2024-02-19", 3),
        ("2024-02-01", "2024-02-29", 17),
        // Leap day.
        ("2024-02-28", "2024-02-29", 1),
        ("2024-02-28", "2024-03-01", 2),
        ("2024-02-29", "2024-03-04", 2),
        // Year boundaries.
        ("2024-12-31", "2025-01-02", 1),
        ("2023-12-29", "2024-01-02", 1),
        ("2022-12-30", "2023-01-03", 1),
        ("2025-12-31", "2026-01-05", 2),
        // 2023 and 2025 combined 中秋/国庆 blocks.
        ("2023-09-28", "2023-10-09", 3),
        ("2025-09-26", "2025-10-09", 4),
        // Spring Festival 2025 and 2026.
        ("2025-01-24", "2025-02-10", 7),
        ("2026-02-13", "2026-03-02", 7),
        // "从土地摘牌到施工许可办结不到40个工作日".
        ("2024-09-02", "2024-10-31", 39),
        // Same day, even a holiday.
        ("2024-06-05", "2024-06-05", 0),
        ("2024-10-03", "2024-10-03", 0),
        // Negative ranges.
        ("2025-01-02", "2024-12-31", -1),
        ("2024-10-08", "2024-09-27", -3),
        ("2024-02-29", "2024-02-01", -17),
    ];
    for (from, to, want) in cases {
        assert_eq!(
            cal.working_days_between(d(from), d(to)),
            want,
            "{from} → {to}"
        );
    }
}

#[test]
fn working_days_between_matches_a_day_by_day_count() {
    let cal = Calendar::china();
    let plain = |a: NaiveDate, b: NaiveDate| -> i64 {
        if a <= b {
            days(a.succ_opt().unwrap(), b)
                .filter(|x| cal.is_working_day(*x))
                .count() as i64
        } else {
            -(days(b.succ_opt().unwrap(), a)
                .filter(|x| cal.is_working_day(*x))
                .count() as i64)
        }
    };
    for from in days(d("2022-12-01"), d("2027-01-31")).step_by(3) {
        for k in (-45i64..=45).step_by(4) {
            let to = from + chrono::Duration::days(k);
            let n = cal.working_days_between(from, to);
            assert_eq!(n, plain(from, to), "{from} → {to}");
            assert_eq!(cal.working_days_between(to, from), -n);
        }
    }
    // Additivity over long spans.
    let (a, b, c) = (d("2023-03-15"), d("2024-10-01"), d("2026-12-25"));
    assert_eq!(
        cal.working_days_between(a, b) + cal.working_days_between(b, c),
        cal.working_days_between(a, c)
    );
}

#[test]
fn add_working_days_table() {
    let cal = Calendar::china();
    let cases = [
        ("2024-09-27", 1, "2024-09-29"), // the make-up Sunday
        ("2024-09-27", 2, "2024-09-30"),
        ("2024-09-27", 3, "2024-10-08"), // over the holiday
        ("2024-09-30", -1, "2024-09-29"),
        ("2024-10-08", -1, "2024-09-30"),
        ("2024-10-03", 1, "2024-10-08"), // start inside the holiday
        ("2024-10-03", -1, "2024-09-30"),
        ("2024-10-03", 0, "2024-10-03"), // n = 0 keeps the day, worked or not
        ("2024-06-01", 1, "2024-06-03"), // Saturday + 1 = Monday
        ("2024-06-08", -1, "2024-06-07"), // Saturday − 1 = Friday
        ("2024-06-07", -1, "2024-06-06"), // Friday − 1 = Thursday
        ("2024-12-31", 1, "2025-01-02"),
        ("2025-01-02", -1, "2024-12-31"),
        ("2024-02-28", 1, "2024-02-29"),
        ("2024-02-08", 2, "2024-02-18"),
        ("2025-01-27", 1, "2025-02-05"),
        ("2024-12-31", -250, "2024-01-02"),
        ("2023-12-29", 250, "2024-12-30"),
        ("2023-12-29", 251, "2024-12-31"),
        // Uncovered years: weekends only.
        ("2027-12-31", 1, "2028-01-03"),
    ];
    for (from, n, want) in cases {
        assert_eq!(cal.add_working_days(d(from), n), d(want), "{from} + {n}");
        assert_eq!(
            cal.checked_add_working_days(d(from), n),
            Some(d(want)),
            "{from} + {n}"
        );
    }
}

#[test]
fn add_and_between_round_trip_over_every_day() {
    let cal = Calendar::china();
    let steps: Vec<i64> = (-25..=25).chain([-260, -120, -40, 40, 120, 260]).collect();
    for x in days(d("2023-01-01"), d("2026-12-31")) {
        for &n in &steps {
            let y = cal.add_working_days(x, n);
            if n == 0 {
                assert_eq!(y, x);
                continue;
            }
            assert!(cal.is_working_day(y), "{x} + {n} = {y} is not worked");
            assert_eq!(y > x, n > 0, "{x} + {n} = {y}");
            let back = cal.working_days_between(x, y);
            if n > 0 || cal.is_working_day(x) {
                assert_eq!(back, n, "{x} + {n} = {y}");
                // Going back lands on the start, or on the working day before a
                // non-working start.
                assert_eq!(
                    cal.add_working_days(y, -n),
                    cal.previous_working_day_or_same(x),
                    "{x} + {n} = {y}"
                );
            } else {
                // A non-working start is not itself counted.
                assert_eq!(back, n + 1, "{x} + {n} = {y}");
            }
        }
    }
}

#[test]
fn previous_working_day_or_same_table() {
    let cal = Calendar::china();
    let cases = [
        ("2024-10-01", "2024-09-30"),
        ("2024-10-07", "2024-09-30"),
        ("2024-09-29", "2024-09-29"),
        ("2024-09-28", "2024-09-27"),
        ("2024-09-30", "2024-09-30"),
        ("2025-01-01", "2024-12-31"),
        ("2024-02-17", "2024-02-09"),
        ("2023-01-01", "2022-12-30"),
        ("2025-10-08", "2025-09-30"),
        ("2026-02-22", "2026-02-14"),
    ];
    for (x, want) in cases {
        assert_eq!(cal.previous_working_day_or_same(d(x)), d(want), "{x}");
    }
}

#[test]
fn overrides_change_days_and_counts() {
    let base = Calendar::china();
    let edit = |date: &str, working: bool, note: &str| Override {
        date: d(date),
        working,
        note: note.to_string(),
    };

    // A weekday declared off.
    let cal = base
        .clone()
        .with_overrides(&[edit("2024-06-05", false, "防汛停工")]);
    assert_eq!(cal.day_kind(d("2024-06-05")), holiday("防汛停工"));
    assert_eq!(
        base.working_days_between(d("2024-06-03"), d("2024-06-07")),
        4
    );
    assert_eq!(
        cal.working_days_between(d("2024-06-03"), d("2024-06-07")),
        3
    );
    assert_eq!(cal.add_working_days(d("2024-06-04"), 1), d("2024-06-06"));

    // A Saturday worked.
    let cal = base
        .clone()
        .with_overrides(&[edit("2024-06-08", true, "集中开工")]);
    assert_eq!(cal.day_kind(d("2024-06-08")), makeup("集中开工"));
    assert_eq!(
        cal.working_days_between(d("2024-06-07"), d("2024-06-10")),
        1
    );
    assert_eq!(cal.add_working_days(d("2024-06-07"), 1), d("2024-06-08"));

    // A make-up day cancelled, and a holiday day worked.
    let cal = base.clone().with_overrides(&[
        edit("2024-09-29", false, "取消调休"),
        edit("2024-10-07", true, "值班"),
    ]);
    assert_eq!(cal.day_kind(d("2024-09-29")), DayKind::Weekend);
    assert_eq!(cal.day_kind(d("2024-10-07")), DayKind::Workday);
    assert_eq!(
        cal.working_days_between(d("2024-09-27"), d("2024-10-08")),
        3
    );
    assert_eq!(
        cal.previous_working_day_or_same(d("2024-10-06")),
        d("2024-09-30")
    );
    assert_eq!(cal.add_working_days(d("2024-09-30"), 1), d("2024-10-07"));
    let listed: Vec<NaiveDate> = cal.holidays(2024).into_iter().map(|(x, _)| x).collect();
    assert!(!listed.contains(&d("2024-09-29")));
    assert!(!listed.contains(&d("2024-10-07")));

    // Marking a festival Saturday "off" keeps the festival's name.
    let cal = base
        .clone()
        .with_overrides(&[edit("2026-01-03", false, "x")]);
    assert_eq!(cal.day_kind(d("2026-01-03")), holiday("元旦"));
    // Marking a plain weekday "worked" changes nothing.
    let cal = base
        .clone()
        .with_overrides(&[edit("2024-06-05", true, "x")]);
    assert_eq!(cal, base);

    // The later edit of a day wins.
    let cal = base.clone().with_overrides(&[
        edit("2024-06-05", false, "停电"),
        edit("2024-06-05", true, "恢复"),
    ]);
    assert_eq!(cal.day_kind(d("2024-06-05")), DayKind::Workday);

    // Edits work in years without data, and do not make a year "covered".
    let cal = base
        .clone()
        .with_overrides(&[edit("2027-10-01", false, "国庆节")]);
    assert_eq!(cal.day_kind(d("2027-10-01")), holiday("国庆节"));
    assert_eq!(
        cal.holidays(2027),
        vec![(d("2027-10-01"), holiday("国庆节"))]
    );
    assert!(!cal.covers(2027));
    assert_eq!(cal.add_working_days(d("2027-09-30"), 1), d("2027-10-04"));
}

#[test]
fn calendar_is_shareable_and_kinds_serialise() {
    fn shareable<T: Clone + Send + Sync + 'static>() {}
    shareable::<Calendar>();

    let json = serde_json::to_string(&holiday("春节")).unwrap();
    assert_eq!(json, r#"{"kind":"holiday","name":"春节"}"#);
    let json = serde_json::to_string(&DayKind::Workday).unwrap();
    assert_eq!(json, r#"{"kind":"workday"}"#);
    let back: DayKind =
        serde_json::from_str(r#"{"kind":"makeup_workday","name":"国庆节"}"#).unwrap();
    assert_eq!(back, makeup("国庆节"));
    assert!(back.is_working());
    assert!(!holiday("春节").is_working());

    let o: Override =
        serde_json::from_str(r#"{"date":"2024-06-05","working":false,"note":"防汛"}"#).unwrap();
    assert_eq!(o.date, d("2024-06-05"));
}
