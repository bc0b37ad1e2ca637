//! Economic indicator monitoring (经济运行监测) of kfq: the maths behind the
//! monthly indicator pages, bulletins and early warnings of a zone.
//!
//! This crate owns what an indicator is ([`catalogue`]), exact figures and how
//! people type them ([`figure`]), reporting months ([`Period`]), the derived
//! figures — 同比, target completion, 序时进度 and their gaps ([`mod@progress`]) —,
//! rankings ([`mod@rank`]), roll-ups from zones to a city or the province
//! ([`rollup`]), and the warning rules with their month-to-month memory
//! ([`warning`], [`history`]). It is pure: no I/O, no storage, no clock reads
//! (callers pass "today"). Values are exact integers; never floating point.
//!
//! ```
//! use kfq_indicators::{completion_tenths, elapsed_tenths, percent, Figure, Period};
//!
//! let june = Period::new(2024, 6).unwrap();
//! let done = Figure::parse("12.6").unwrap(); // 亿元, 1–6月累计
//! let target = Figure::parse("30").unwrap();
//! let completion = completion_tenths(done, target).unwrap();
//! assert_eq!(percent(completion), "42.0%");
//! assert_eq!(percent(elapsed_tenths(june)), "50.0%");
//! ```

pub mod catalogue;
pub mod figure;
pub mod history;
pub mod messages;
pub mod progress;
pub mod rank;
pub mod rollup;
pub mod warning;

pub use catalogue::{
    duplicate_codes, parse_code, standard_catalogue, Direction, IndicatorDef, IndicatorDraft,
    IndicatorKind, RollUp, Unit,
};
pub use figure::{div_round, Figure};
pub use history::{effective_levels, warning_history, Change, MonthLevel, Transition};
pub use kfq_calendar::Period;
pub use kfq_domain::Rag;
pub use progress::{
    completion_tenths, elapsed_tenths, growth_gap_tenths, pace_gap_tenths, percent, points,
    progress, yoy_tenths, Progress, Target,
};
pub use rank::{rank, rank_within_groups, Ranked};
pub use rollup::{roll_up, Parts, RollUpError, ZoneInput};
pub use warning::{
    assess, growth_flag, pace_flag, reporting_flag, Assessment, Flag, Observation, Reason,
    WarningRule, WarningRules,
};
