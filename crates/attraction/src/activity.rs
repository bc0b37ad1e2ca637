//! 招商活动: visits out, receptions, talks, salons and fairs, each with the
//! next step it agreed and the day that step is due; what a next step is
//! (due soon, late) on a day; the weeks a calendar shows.

use chrono::{Datelike, Days, NaiveDate};
use kfq_calendar::Calendar;
use kfq_domain::code_enum;
use kfq_domain::FieldErrors;

code_enum! {
    /// What kind of activity it was (活动类型).
    ActivityKind {
        /// 外出招商: our people visit the investor.
        VisitOut = "visit_out",
        /// 来访接待: the investor visits the zone.
        Reception = "reception",
        /// 洽谈会谈: talks on a project.
        Talks = "talks",
        /// 夜沙龙、座谈会: the zone meets several investors.
        Salon = "salon",
        /// 展会推介: a fair or promotion event.
        Fair = "fair",
        Other = "other",
    }
}

/// Where a next step stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    /// Done, or due later than the reminder's lead time.
    Quiet,
    /// Due within the lead time (working days), today included.
    DueSoon { due: NaiveDate },
    /// Past its day by `days` calendar days.
    Late { due: NaiveDate, days: i64 },
}

/// Working days before a next step's day that its person is reminded.
pub const REMIND_WORKING_DAYS: i64 = 1;

/// Where the next step due on `due` stands on `today`; `done` once done.
pub fn next_step(calendar: &Calendar, due: NaiveDate, done: bool, today: NaiveDate) -> NextStep {
    if done {
        return NextStep::Quiet;
    }
    if today > due {
        return NextStep::Late {
            due,
            days: (today - due).num_days(),
        };
    }
    if calendar.add_working_days(today, REMIND_WORKING_DAYS) >= due {
        NextStep::DueSoon { due }
    } else {
        NextStep::Quiet
    }
}

/// The Monday of the week holding `day`.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// An activity's dates as typed: it ends on or after it begins; a next step
/// is due on or after the activity; a next step needs its day and a day
/// needs its step.
pub fn check_dates(
    on: NaiveDate,
    ends_on: Option<NaiveDate>,
    next_step: bool,
    next_due: Option<NaiveDate>,
) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    if ends_on.is_some_and(|end| end < on) {
        e.add("ends_on", "error.activity.ends_before_start");
    }
    match (next_step, next_due) {
        (true, None) => e.add("next_due", "error.activity.next_due_required"),
        (false, Some(_)) => e.add("next_step", "error.activity.next_step_required"),
        (true, Some(due)) if due < on => e.add("next_due", "error.activity.next_due_before"),
        _ => {}
    }
    e.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_next_step_is_due_the_working_day_before_and_late_after() {
        let china = Calendar::china();
        let due = day("2026-06-05"); // a Friday
        assert_eq!(
            next_step(&china, due, false, day("2026-06-03")),
            NextStep::Quiet
        );
        assert_eq!(
            next_step(&china, due, false, day("2026-06-04")),
            NextStep::DueSoon { due }
        );
        assert_eq!(
            next_step(&china, due, false, due),
            NextStep::DueSoon { due }
        );
        assert_eq!(
            next_step(&china, due, false, day("2026-06-08")),
            NextStep::Late { due, days: 3 }
        );
        assert_eq!(
            next_step(&china, due, true, day("2026-06-08")),
            NextStep::Quiet
        );
        // Due Monday 10-12 after the National Day week: the working day
        // before it is Saturday 10-10, a make-up working day.
        let after_holiday = day("2026-10-12");
        assert_eq!(
            next_step(&china, after_holiday, false, day("2026-10-10")),
            NextStep::DueSoon { due: after_holiday }
        );
        assert_eq!(
            next_step(&china, after_holiday, false, day("2026-10-09")),
            NextStep::Quiet
        );
        // Due Thursday 10-08, the first working day after the holiday: the
        // reminder comes on the last working day before it, 09-30.
        let first_back = day("2026-10-08");
        assert_eq!(
            next_step(&china, first_back, false, day("2026-09-30")),
            NextStep::DueSoon { due: first_back }
        );
    }

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(week_start(day("2026-12-04")), day("2026-11-30"));
        assert_eq!(week_start(day("2026-11-30")), day("2026-11-30"));
        assert_eq!(week_start(day("2026-12-06")), day("2026-11-30"));
    }

    #[test]
    fn an_activity_s_dates_hold_together() {
        let on = day("2026-06-01");
        assert!(check_dates(on, Some(day("2026-06-03")), true, Some(day("2026-06-15"))).is_ok());
        assert!(check_dates(on, None, false, None).is_ok());
        let fields = |r: Result<(), FieldErrors>| -> Vec<String> {
            r.unwrap_err().0.into_iter().map(|e| e.field).collect()
        };
        assert_eq!(
            fields(check_dates(on, Some(day("2026-05-30")), true, None)),
            ["ends_on", "next_due"]
        );
        assert_eq!(
            fields(check_dates(on, None, false, Some(day("2026-06-02")))),
            ["next_step"]
        );
        assert_eq!(
            fields(check_dates(on, None, true, Some(day("2026-05-01")))),
            ["next_due"]
        );
    }
}
