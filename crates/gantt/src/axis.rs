//! The time axis: mapping dates to x, and choosing ticks so labels never
//! overlap.
//!
//! The axis has two tiers. The lower tier holds the chosen unit (day, week,
//! month, quarter or a run of years); the upper tier holds the next larger
//! unit (months above days and weeks, years above months and quarters). Each
//! label is centred inside its own period and dropped when the visible part
//! of that period is too narrow for it, so two labels can never collide.

use chrono::{Datelike, Days, NaiveDate};

use crate::model::{month_start, next_month_start};
use kfq_charts::text::width;

/// Font size of axis labels.
pub(crate) const AXIS_FONT: f64 = 11.0;
/// Free space kept around an axis label inside its period.
const LABEL_PAD: f64 = 8.0;

/// Maps dates onto the plot's x range. A date `d` covers the interval from
/// `x(d)` to `x(d + 1 day)`; points in time (milestones, today) are drawn at
/// the middle of their day, [`TimeScale::x_mid`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct TimeScale {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Number of days shown, `end - start + 1`, at least 1.
    pub days: i64,
    pub left: f64,
    pub right: f64,
}

impl TimeScale {
    pub fn new(start: NaiveDate, end: NaiveDate, left: f64, right: f64) -> Self {
        let days = ((end - start).num_days() + 1).max(1);
        TimeScale {
            start,
            end,
            days,
            left,
            right,
        }
    }

    pub fn day_width(&self) -> f64 {
        (self.right - self.left) / self.days as f64
    }

    /// Left edge of day `d` (may lie outside the plot).
    pub fn x(&self, d: NaiveDate) -> f64 {
        self.left + (d - self.start).num_days() as f64 * self.day_width()
    }

    /// Middle of day `d`.
    pub fn x_mid(&self, d: NaiveDate) -> f64 {
        self.x(d) + self.day_width() / 2.0
    }

    /// Right edge of day `d`.
    pub fn x_end(&self, d: NaiveDate) -> f64 {
        self.x(d) + self.day_width()
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }

    pub fn clamp(&self, x: f64) -> f64 {
        x.clamp(self.left, self.right)
    }
}

/// The granularity of the lower tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Day,
    Week,
    /// `full`: labelled "2024年6月" rather than "6月".
    Month {
        full: bool,
    },
    Quarter,
    /// Every `n`th year.
    Years(u32),
}

/// One labelled period of a tier, `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Segment {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Labels to try, longest first; the first that fits is drawn.
    pub labels: Vec<String>,
    /// Starts a new year: its boundary is drawn stronger.
    pub year_boundary: bool,
    /// Starts a new month (only meaningful below months).
    pub month_boundary: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Axis {
    pub unit: Unit,
    pub upper: Vec<Segment>,
    pub lower: Vec<Segment>,
}

/// Picks the finest unit whose labels fit, preferring months as the
/// familiar default: days only for ranges up to six weeks, weeks up to
/// about four months.
pub(crate) fn choose_unit(scale: &TimeScale) -> Unit {
    let ppd = scale.day_width();
    let fits =
        |period_days: f64, label: &str| ppd * period_days >= width(label, AXIS_FONT) + LABEL_PAD;
    if scale.days <= 42 && fits(1.0, "30") {
        Unit::Day
    } else if scale.days <= 120 && fits(7.0, "12月30日") {
        Unit::Week
    } else if fits(30.0, "2024年12月") {
        Unit::Month { full: true }
    } else if fits(30.0, "12月") {
        Unit::Month { full: false }
    } else if fits(91.0, "四季度") {
        Unit::Quarter
    } else {
        let mut n: u32 = 1;
        // 1, 2, 5, 10, 20, 50, ... years per label.
        while !fits(365.25 * f64::from(n), "-262143年") && n < 1_000_000 {
            n = match n.to_string().as_bytes()[0] {
                b'2' => n / 2 * 5,
                _ => n * 2,
            };
        }
        Unit::Years(n)
    }
}

pub(crate) fn build(scale: &TimeScale) -> Axis {
    let unit = choose_unit(scale);
    let lower = segments(scale, unit);
    let upper = match unit {
        Unit::Day | Unit::Week => segments(scale, Unit::Month { full: true }),
        Unit::Month { .. } | Unit::Quarter => segments(scale, Unit::Years(1)),
        Unit::Years(_) => Vec::new(),
    };
    Axis { unit, upper, lower }
}

/// The periods of `unit` overlapping the scale's range.
fn segments(scale: &TimeScale, unit: Unit) -> Vec<Segment> {
    let first = match unit {
        Unit::Day => scale.start,
        Unit::Week => scale
            .start
            .checked_sub_days(Days::new(u64::from(
                scale.start.weekday().num_days_from_monday(),
            )))
            .unwrap_or(scale.start),
        Unit::Month { .. } => month_start(scale.start),
        Unit::Quarter => {
            let m = (scale.start.month() - 1) / 3 * 3 + 1;
            NaiveDate::from_ymd_opt(scale.start.year(), m, 1).unwrap_or(scale.start)
        }
        Unit::Years(n) => {
            let y = scale.start.year().div_euclid(n as i32) * n as i32;
            NaiveDate::from_ymd_opt(y, 1, 1)
                .or_else(|| NaiveDate::from_ymd_opt(scale.start.year(), 1, 1))
                .unwrap_or(scale.start)
        }
    };
    let mut out = Vec::new();
    let mut cur = first;
    while cur <= scale.end {
        let next = match step(cur, unit) {
            Some(n) if n > cur => n,
            // Past the last representable date: close the final period at
            // the end of the range.
            _ => scale.end.succ_opt().unwrap_or(scale.end),
        };
        out.push(Segment {
            start: cur,
            end: next,
            labels: labels(cur, unit),
            year_boundary: cur.month() == 1 && cur.day() == 1,
            month_boundary: cur.day() == 1,
        });
        if next <= cur {
            break;
        }
        cur = next;
    }
    out
}

fn step(d: NaiveDate, unit: Unit) -> Option<NaiveDate> {
    match unit {
        Unit::Day => d.succ_opt(),
        Unit::Week => d.checked_add_days(Days::new(7)),
        Unit::Month { .. } => next_month_start(d),
        Unit::Quarter => next_month_start(d)
            .and_then(next_month_start)
            .and_then(next_month_start),
        Unit::Years(n) => NaiveDate::from_ymd_opt(d.year().checked_add(n as i32)?, 1, 1),
    }
}

const QUARTERS: [&str; 4] = ["一季度", "二季度", "三季度", "四季度"];

fn labels(d: NaiveDate, unit: Unit) -> Vec<String> {
    let (y, m, day) = (d.year(), d.month(), d.day());
    match unit {
        Unit::Day => vec![day.to_string()],
        Unit::Week => vec![format!("{m}月{day}日"), day.to_string()],
        Unit::Month { full: true } => vec![format!("{y}年{m}月"), format!("{m}月")],
        Unit::Month { full: false } => vec![format!("{m}月")],
        Unit::Quarter => vec![
            QUARTERS[((m - 1) / 3) as usize].to_string(),
            format!("Q{}", (m - 1) / 3 + 1),
        ],
        Unit::Years(_) => vec![format!("{y}年"), y.to_string()],
    }
}

/// The label of `seg` that fits in its visible part, with its centre x.
pub(crate) fn place_label<'a>(
    scale: &TimeScale,
    seg: &'a Segment,
    font: f64,
) -> Option<(&'a str, f64)> {
    let a = scale.clamp(scale.x(seg.start));
    let b = scale.clamp(scale.x(seg.end));
    let room = b - a;
    seg.labels
        .iter()
        .find(|l| width(l, font) + LABEL_PAD <= room)
        .map(|l| (l.as_str(), (a + b) / 2.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn scale(a: NaiveDate, b: NaiveDate) -> TimeScale {
        TimeScale::new(a, b, 340.0, 1563.0)
    }

    #[test]
    fn x_maps_days_linearly() {
        let s = scale(d(2024, 1, 1), d(2024, 12, 31));
        assert_eq!(s.days, 366);
        assert_eq!(s.x(d(2024, 1, 1)), 340.0);
        assert!((s.x_end(d(2024, 12, 31)) - 1563.0).abs() < 1e-9);
    }

    #[test]
    fn unit_follows_range_length() {
        assert_eq!(
            choose_unit(&scale(d(2024, 6, 1), d(2024, 6, 20))),
            Unit::Day
        );
        assert_eq!(
            choose_unit(&scale(d(2024, 6, 1), d(2024, 8, 31))),
            Unit::Week
        );
        assert_eq!(
            choose_unit(&scale(d(2024, 1, 1), d(2024, 12, 31))),
            Unit::Month { full: true }
        );
        assert_eq!(
            choose_unit(&scale(d(2023, 1, 1), d(2025, 12, 31))),
            Unit::Month { full: false }
        );
        assert_eq!(
            choose_unit(&scale(d(2020, 1, 1), d(2026, 12, 31))),
            Unit::Quarter
        );
        assert_eq!(
            choose_unit(&scale(d(2015, 1, 1), d(2030, 12, 31))),
            Unit::Years(1)
        );
        assert!(matches!(
            choose_unit(&scale(d(1900, 1, 1), d(2100, 12, 31))),
            Unit::Years(n) if n >= 5
        ));
    }

    #[test]
    fn placed_labels_never_overlap() {
        let ranges = [
            (d(2024, 6, 30), d(2024, 6, 30)),
            (d(2024, 6, 3), d(2024, 7, 14)),
            (d(2024, 5, 17), d(2024, 9, 2)),
            (d(2023, 11, 20), d(2025, 2, 3)),
            (d(2020, 1, 1), d(2027, 6, 30)),
            (d(1990, 1, 1), d(2060, 1, 1)),
            (NaiveDate::MIN, NaiveDate::MAX),
        ];
        for (a, b) in ranges {
            let s = scale(a, b);
            let axis = build(&s);
            for tier in [&axis.upper, &axis.lower] {
                assert!(tier.len() < 400, "{a}..{b}: {}", tier.len());
                let mut last_right = f64::MIN;
                for seg in tier {
                    if let Some((l, cx)) = place_label(&s, seg, AXIS_FONT) {
                        let w = width(l, AXIS_FONT);
                        assert!(cx - w / 2.0 >= last_right, "{a}..{b} {l}");
                        assert!(cx - w / 2.0 >= s.left && cx + w / 2.0 <= s.right);
                        last_right = cx + w / 2.0;
                    }
                }
            }
        }
    }

    #[test]
    fn year_boundaries_are_flagged() {
        let s = scale(d(2023, 10, 1), d(2024, 3, 31));
        let axis = build(&s);
        let jan = axis
            .lower
            .iter()
            .find(|g| g.start == d(2024, 1, 1))
            .unwrap();
        assert!(jan.year_boundary);
        assert_eq!(jan.labels[0], "2024年1月");
        assert_eq!(axis.upper.len(), 2);
    }
}
