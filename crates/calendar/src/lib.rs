//! The China working-day calendar of kfq and the backward scheduling of project
//! milestones (倒排工期) built on it.
//!
//! This crate owns what a "working day" (工作日) means: Monday to Friday, minus the
//! official public holidays, plus the make-up working days (调休上班) fixed each
//! year by the State Council's holiday notice, plus the edits a zone administrator
//! makes. It is pure: no I/O and no clock reads — callers pass "today" themselves.
//!
//! ```
//! use chrono::NaiveDate;
//! use kfq_calendar::{default_template, schedule_backward, Calendar};
//!
//! let cal = Calendar::china();
//! let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//! // National Day 2024: 10-01..07 off, Sunday 09-29 worked.
//! assert_eq!(cal.working_days_between(date(2024, 9, 27), date(2024, 10, 8)), 3);
//! assert_eq!(cal.add_working_days(date(2024, 9, 30), 1), date(2024, 10, 8));
//!
//! // 投产 due on National Day: planned on the last working day before it.
//! let plan = schedule_backward(&cal, &default_template(), "production", date(2024, 10, 1)).unwrap();
//! let production = plan.iter().find(|p| p.key == "production").unwrap();
//! assert_eq!(production.date, date(2024, 9, 30));
//! ```

pub mod calendar;
mod data;
pub mod period;
pub mod schedule;

pub use calendar::{Calendar, DayKind, Override};
pub use period::Period;
pub use schedule::{default_template, schedule_backward, Planned, ScheduleError, TemplateNode};
