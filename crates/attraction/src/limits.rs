//! The time limits a lead is held to (江门's rules as defaults, each zone may
//! set its own): registered and answered within one working day, judged
//! (研判) within three, the referrer told within a week, followed up at
//! least every two weeks.

use chrono::NaiveDate;
use kfq_calendar::Calendar;
use serde::{Deserialize, Serialize};

use crate::LeadStage;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Working days from first contact to the lead's registration.
    pub register_working_days: u32,
    /// Working days from registration to the end of 研判.
    pub assess_working_days: u32,
    /// Calendar days to answer the person who referred the lead.
    pub referrer_reply_days: u32,
    /// Calendar days an open lead may go without a follow-up.
    pub follow_up_days: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            register_working_days: 1,
            assess_working_days: 3,
            referrer_reply_days: 7,
            follow_up_days: 14,
        }
    }
}

/// What one unit sets of the limits; a limit it leaves unset comes from
/// above.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitSettings {
    pub register_working_days: Option<u32>,
    pub assess_working_days: Option<u32>,
    pub referrer_reply_days: Option<u32>,
    pub follow_up_days: Option<u32>,
}

impl LimitSettings {
    /// Each limit set within reason: at least a day, at most a year; the
    /// field of each one out of range.
    pub fn check(&self) -> Result<(), kfq_domain::FieldErrors> {
        let mut e = kfq_domain::FieldErrors::new();
        for (field, value) in [
            ("register_working_days", self.register_working_days),
            ("assess_working_days", self.assess_working_days),
            ("referrer_reply_days", self.referrer_reply_days),
            ("follow_up_days", self.follow_up_days),
        ] {
            if value.is_some_and(|d| !(1..=366).contains(&d)) {
                e.add(field, "error.lead.limit_range");
            }
        }
        e.into_result()
    }
}

/// A limit passed: which, since when, and by how many days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Overdue {
    /// Still 线索 or 研判 past the judging deadline.
    Assessment { due: NaiveDate, days: i64 },
    /// Open and not followed up within the interval.
    FollowUp { due: NaiveDate, days: i64 },
}

impl Overdue {
    pub fn days(self) -> i64 {
        match self {
            Overdue::Assessment { days, .. } | Overdue::FollowUp { days, .. } => days,
        }
    }
}

impl Limits {
    /// The day 研判 must be done for a lead registered on `registered`.
    pub fn assessment_due(&self, calendar: &Calendar, registered: NaiveDate) -> NaiveDate {
        calendar.add_working_days(registered, i64::from(self.assess_working_days))
    }

    /// The day the next follow-up is due after the last one (or the lead's
    /// registration) on `last`.
    pub fn follow_up_due(&self, last: NaiveDate) -> NaiveDate {
        last + chrono::Days::new(u64::from(self.follow_up_days))
    }

    /// What a lead at `stage` is late with on `today`, the most pressing
    /// first: the judging deadline before the follow-up interval. A lead
    /// started, producing or ended is late with nothing: the ledger follows
    /// a started project.
    pub fn overdue(
        &self,
        calendar: &Calendar,
        stage: LeadStage,
        registered: NaiveDate,
        last_touch: NaiveDate,
        today: NaiveDate,
    ) -> Vec<Overdue> {
        let mut late = Vec::new();
        // Started, producing or ended: the ledger follows it from here.
        if !stage.is_open() || stage.rank() >= LeadStage::Started.rank() {
            return late;
        }
        if matches!(stage, LeadStage::Clue | LeadStage::Assessing) {
            let due = self.assessment_due(calendar, registered);
            if today > due {
                late.push(Overdue::Assessment {
                    due,
                    days: (today - due).num_days(),
                });
            }
        }
        let due = self.follow_up_due(last_touch.max(registered));
        if today > due {
            late.push(Overdue::FollowUp {
                due,
                days: (today - due).num_days(),
            });
        }
        late
    }

    /// The limits a zone works under: each one from the nearest unit that
    /// sets it (`settings` nearest first: the zone, its city, its province),
    /// else the default.
    pub fn layered(settings: &[LimitSettings]) -> Limits {
        let d = Limits::default();
        let pick = |f: fn(&LimitSettings) -> Option<u32>, default: u32| {
            settings.iter().find_map(f).unwrap_or(default)
        };
        Limits {
            register_working_days: pick(|s| s.register_working_days, d.register_working_days),
            assess_working_days: pick(|s| s.assess_working_days, d.assess_working_days),
            referrer_reply_days: pick(|s| s.referrer_reply_days, d.referrer_reply_days),
            follow_up_days: pick(|s| s.follow_up_days, d.follow_up_days),
        }
    }

    /// Each limit within reason: at least a day, at most a year.
    pub fn check(&self) -> Result<(), &'static str> {
        let all = [
            self.register_working_days,
            self.assess_working_days,
            self.referrer_reply_days,
            self.follow_up_days,
        ];
        if all.iter().all(|d| (1..=366).contains(d)) {
            Ok(())
        } else {
            Err("error.lead.limit_range")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn judging_counts_working_days_over_a_holiday() {
        let china = Calendar::china();
        let limits = Limits::default();
        // Registered Tuesday 2026-09-29: 9-30 is a working day, then the
        // National Day holiday to 10-07; three working days end 10-09.
        assert_eq!(
            limits.assessment_due(&china, day("2026-09-29")),
            day("2026-10-09")
        );
        // A plain week: Monday + 3 = Thursday.
        assert_eq!(
            limits.assessment_due(&china, day("2026-06-01")),
            day("2026-06-04")
        );
    }

    #[test]
    fn an_idle_lead_is_late_by_the_days_past_its_interval() {
        let china = Calendar::china();
        let limits = Limits::default();
        let registered = day("2026-06-01");
        // Judged by 06-04; 06-05 one day late. Followed up 06-01, due 06-15.
        assert_eq!(
            limits.overdue(
                &china,
                LeadStage::Assessing,
                registered,
                registered,
                day("2026-06-05")
            ),
            [Overdue::Assessment {
                due: day("2026-06-04"),
                days: 1
            }]
        );
        assert_eq!(
            limits.overdue(
                &china,
                LeadStage::Negotiating,
                registered,
                day("2026-06-10"),
                day("2026-06-30")
            ),
            [Overdue::FollowUp {
                due: day("2026-06-24"),
                days: 6
            }]
        );
        assert!(limits
            .overdue(
                &china,
                LeadStage::Negotiating,
                registered,
                day("2026-06-20"),
                day("2026-06-30")
            )
            .is_empty());
        assert!(limits
            .overdue(
                &china,
                LeadStage::Terminated,
                registered,
                registered,
                day("2026-12-31")
            )
            .is_empty());
        let both = limits.overdue(
            &china,
            LeadStage::Clue,
            registered,
            registered,
            day("2026-06-20"),
        );
        assert_eq!(both.iter().map(|o| o.days()).collect::<Vec<_>>(), [16, 5]);
    }

    #[test]
    fn the_nearest_unit_that_sets_a_limit_decides_it() {
        let zone = LimitSettings {
            follow_up_days: Some(7),
            ..LimitSettings::default()
        };
        let province = LimitSettings {
            follow_up_days: Some(30),
            assess_working_days: Some(5),
            ..LimitSettings::default()
        };
        let limits = Limits::layered(&[zone, LimitSettings::default(), province]);
        assert_eq!(limits.follow_up_days, 7);
        assert_eq!(limits.assess_working_days, 5);
        assert_eq!(limits.register_working_days, 1);
        assert_eq!(limits.referrer_reply_days, 7);
        assert_eq!(Limits::layered(&[]), Limits::default());
        // A zone that sets 7 days follows a lead touched 06-01 up by 06-08.
        let late = limits.overdue(
            &Calendar::china(),
            LeadStage::Negotiating,
            day("2026-06-01"),
            day("2026-06-01"),
            day("2026-06-10"),
        );
        assert_eq!(late.iter().map(|o| o.days()).collect::<Vec<_>>(), [2]);
    }

    #[test]
    fn a_unit_sets_limits_within_a_day_and_a_year() {
        let bad = LimitSettings {
            follow_up_days: Some(0),
            assess_working_days: Some(400),
            ..LimitSettings::default()
        };
        let fields: Vec<String> = bad
            .check()
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["assess_working_days", "follow_up_days"]);
        assert!(LimitSettings::default().check().is_ok());
    }

    #[test]
    fn limits_stay_within_a_day_and_a_year() {
        assert!(Limits::default().check().is_ok());
        let zero = Limits {
            follow_up_days: 0,
            ..Limits::default()
        };
        assert_eq!(zero.check(), Err("error.lead.limit_range"));
    }
}
