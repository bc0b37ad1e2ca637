//! The chart model: what the caller hands to the renderer. Plain data, no
//! drawing knowledge; the only rules here are the ones a caller may also want
//! to apply elsewhere (what counts as overdue, which dates a chart covers).

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// A whole chart: one project's milestones, or one zone's wall of projects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chart {
    /// Printed large at the top left, e.g. "某某开发区重点项目推进图".
    pub title: String,
    /// A smaller second line, e.g. the zone or the reporting period.
    pub subtitle: Option<String>,
    /// The day the chart is drawn for: the red line, and what "overdue" means.
    /// Passed in by the caller; the renderer never reads a clock.
    pub today: NaiveDate,
    /// One bar line per row, top to bottom, in the order given.
    pub rows: Vec<Row>,
    /// First and last day shown (both inclusive). `None`: computed from the
    /// data and `today` with a margin, see [`Chart::effective_range`].
    pub range: Option<(NaiveDate, NaiveDate)>,
    /// What the baseline is, e.g. "年初计划"; shown in the legend.
    pub baseline_name: Option<String>,
}

/// One line of the chart: a milestone of a project, or a project on a wall.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// Main text in the label column (project or milestone name).
    pub label: String,
    /// Smaller grey second line, e.g. "开工 · 总投资 12.50 亿元".
    pub sublabel: Option<String>,
    /// Link wrapping the label, e.g. to the project page. Only relative links,
    /// `http:`, `https:` and `mailto:` are kept; anything else is dropped.
    pub href: Option<String>,
    /// Red / yellow / green dot before the label.
    pub status: Option<Status>,
    /// Planned span: outlined light bar.
    pub planned: Option<Span>,
    /// Actual span: solid bar over the planned one; the part after the planned
    /// end is drawn in the "late" colour.
    pub actual: Option<Span>,
    /// Earlier plan the current one is compared against: thin grey bar.
    pub baseline: Option<Span>,
    /// Milestones drawn as diamonds on this row.
    pub marks: Vec<Mark>,
}

/// A stretch of days, both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: NaiveDate,
    /// `None`: still running; drawn up to `today` (or to `start` if today is
    /// earlier).
    pub end: Option<NaiveDate>,
}

/// A milestone (节点): up to three dates, each drawn as a diamond.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub label: String,
    /// Hollow diamond.
    pub planned: Option<NaiveDate>,
    /// Filled diamond; in the "late" colour when after `planned`.
    pub actual: Option<NaiveDate>,
    /// Small grey diamond on the baseline track.
    pub baseline: Option<NaiveDate>,
}

/// Traffic-light status shown as a dot before the label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    Red,
    Yellow,
    Green,
}

impl Status {
    /// The word used on printed bulletins.
    pub fn label(self) -> &'static str {
        match self {
            Status::Red => "红灯",
            Status::Yellow => "黄灯",
            Status::Green => "绿灯",
        }
    }
}

/// A milestone is overdue when its planned date is before `today` and it has
/// no actual date. A milestone planned for today itself is not yet overdue.
pub fn is_overdue(mark: &Mark, today: NaiveDate) -> bool {
    mark.actual.is_none() && mark.planned.is_some_and(|p| p < today)
}

impl Chart {
    /// A chart with no rows, no subtitle, a computed range and no baseline.
    pub fn new(title: impl Into<String>, today: NaiveDate) -> Self {
        Chart {
            title: title.into(),
            subtitle: None,
            today,
            rows: Vec::new(),
            range: None,
            baseline_name: None,
        }
    }

    /// The first and last day drawn, both inclusive, `first <= last`.
    ///
    /// An explicit `range` is used as given (its ends swapped if reversed).
    /// Otherwise it spans every date in the rows and `today`, widened by a
    /// margin of about 3% (at least 3 days) each side, then snapped outwards
    /// to whole months when it covers two months or more, else to whole
    /// weeks (Monday to Sunday), so the axis starts and ends on a tick.
    pub fn effective_range(&self) -> (NaiveDate, NaiveDate) {
        if let Some((a, b)) = self.range {
            return if a <= b { (a, b) } else { (b, a) };
        }
        let mut lo = self.today;
        let mut hi = self.today;
        for d in self.rows.iter().flat_map(Row::dates) {
            lo = lo.min(d);
            hi = hi.max(d);
        }
        let span = (hi - lo).num_days();
        let pad = (span / 33).max(3) as u64;
        let lo = lo.checked_sub_days(Days::new(pad)).unwrap_or(lo);
        let hi = hi.checked_add_days(Days::new(pad)).unwrap_or(hi);
        if span >= 60 {
            (month_start(lo), month_end(hi))
        } else {
            let back = lo.weekday().num_days_from_monday() as u64;
            let fwd = 6 - hi.weekday().num_days_from_monday() as u64;
            (
                lo.checked_sub_days(Days::new(back)).unwrap_or(lo),
                hi.checked_add_days(Days::new(fwd)).unwrap_or(hi),
            )
        }
    }
}

impl Row {
    /// A row with just a label.
    pub fn new(label: impl Into<String>) -> Self {
        Row {
            label: label.into(),
            ..Row::default()
        }
    }

    /// A one-milestone row, as used in a single project's chart: the label
    /// names the milestone and the row carries one mark with its dates.
    pub fn milestone(
        label: impl Into<String>,
        planned: Option<NaiveDate>,
        actual: Option<NaiveDate>,
    ) -> Self {
        let label = label.into();
        Row {
            marks: vec![Mark {
                label: label.clone(),
                planned,
                actual,
                baseline: None,
            }],
            label,
            ..Row::default()
        }
    }

    /// A project's row on a wall: planned from its first to its last planned
    /// node; actual from its first reached node, to its last one when every
    /// planned node is reached, else still running. So the bar runs past its
    /// plan (the late colour) only when a node is really late: one overdue,
    /// or the last one reached after its planned day.
    pub fn project(label: impl Into<String>, marks: Vec<Mark>) -> Self {
        let planned = marks.iter().filter_map(|m| m.planned);
        let planned = planned.clone().min().zip(planned.max());
        let first = marks.iter().filter_map(|m| m.actual).min();
        let done = marks
            .iter()
            .filter(|m| m.planned.is_some())
            .all(|m| m.actual.is_some());
        let last = marks.iter().filter_map(|m| m.actual).max();
        Row {
            label: label.into(),
            planned: planned.map(|(a, b)| Span::new(a, b)),
            actual: first.map(|start| match (done, last) {
                (true, Some(end)) => Span::new(start, end),
                _ => Span::open(start),
            }),
            marks,
            ..Row::default()
        }
    }

    /// The days of the actual bar past the planned end, drawn in the late
    /// colour; none when the work keeps to its plan.
    pub fn late_span(&self, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let actual = self.actual?;
        let planned_end = self.planned?.resolve(today).1;
        let (start, end) = actual.resolve(today);
        (planned_end < end)
            .then(|| planned_end.succ_opt())
            .flatten()
            .map(|from| (from.max(start), end))
    }

    /// How many of this row's milestones are overdue on `today`.
    pub fn overdue_count(&self, today: NaiveDate) -> usize {
        self.marks.iter().filter(|m| is_overdue(m, today)).count()
    }

    /// Every date the row mentions (used to compute a chart's range).
    fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        let spans = [self.planned, self.actual, self.baseline]
            .into_iter()
            .flatten()
            .flat_map(|s| [Some(s.start), s.end])
            .flatten();
        let marks = self
            .marks
            .iter()
            .flat_map(|m| [m.planned, m.actual, m.baseline])
            .flatten();
        spans.chain(marks)
    }
}

impl Span {
    /// A finished span.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Self {
        Span {
            start,
            end: Some(end),
        }
    }

    /// A span that has started and not finished.
    pub fn open(start: NaiveDate) -> Self {
        Span { start, end: None }
    }

    /// The first and last day drawn: a running span reaches `today` (or
    /// stays at its start if today is earlier).
    pub fn resolve(&self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let end = self.end.unwrap_or(today.max(self.start));
        (self.start.min(end), self.start.max(end))
    }
}

impl Mark {
    pub fn new(
        label: impl Into<String>,
        planned: Option<NaiveDate>,
        actual: Option<NaiveDate>,
    ) -> Self {
        Mark {
            label: label.into(),
            planned,
            actual,
            baseline: None,
        }
    }
}

pub(crate) fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

pub(crate) fn month_end(d: NaiveDate) -> NaiveDate {
    next_month_start(d)
        .and_then(|n| n.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// The first day of the month after `d`'s; `None` past the last date chrono
/// can represent.
pub(crate) fn next_month_start(d: NaiveDate) -> Option<NaiveDate> {
    let (y, m) = if d.month() == 12 {
        (d.year().checked_add(1)?, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_wall_row_runs_late_only_when_a_node_is_late() {
        let today = d(2024, 6, 30);
        let m = |p, a| Mark::new("x", Some(p), a);
        // All done on time, finished in March: no late part, though today is
        // past the plan's end.
        let on_time = Row::project(
            "甲",
            vec![
                m(d(2024, 1, 10), Some(d(2024, 1, 9))),
                m(d(2024, 3, 1), Some(d(2024, 3, 1))),
            ],
        );
        assert_eq!(
            on_time.actual,
            Some(Span::new(d(2024, 1, 9), d(2024, 3, 1)))
        );
        assert_eq!(on_time.late_span(today), None);
        // The last node reached ten days after its plan: late from the day after.
        let done_late = Row::project(
            "乙",
            vec![
                m(d(2024, 1, 10), Some(d(2024, 1, 10))),
                m(d(2024, 3, 1), Some(d(2024, 3, 11))),
            ],
        );
        assert_eq!(
            done_late.late_span(today),
            Some((d(2024, 3, 2), d(2024, 3, 11)))
        );
        // A node still open past its plan: late up to today, and overdue.
        let open = Row::project(
            "丙",
            vec![
                m(d(2024, 1, 10), Some(d(2024, 1, 10))),
                m(d(2024, 5, 1), None),
            ],
        );
        assert_eq!(open.late_span(today), Some((d(2024, 5, 2), today)));
        assert_eq!(open.overdue_count(today), 1);
        // Running, with the rest planned ahead: on time.
        let ahead = Row::project(
            "丁",
            vec![
                m(d(2024, 1, 10), Some(d(2024, 1, 12))),
                m(d(2024, 9, 1), None),
            ],
        );
        assert_eq!(ahead.late_span(today), None);
        // Nothing reached yet: no actual bar at all.
        assert_eq!(
            Row::project("戊", vec![m(d(2024, 9, 1), None)]).actual,
            None
        );
    }

    #[test]
    fn overdue_rule() {
        let today = d(2024, 6, 30);
        let m = |p, a| Mark::new("x", p, a);
        assert!(is_overdue(&m(Some(d(2024, 6, 29)), None), today));
        assert!(!is_overdue(&m(Some(today), None), today));
        assert!(!is_overdue(
            &m(Some(d(2024, 6, 1)), Some(d(2024, 7, 1))),
            today
        ));
        assert!(!is_overdue(&m(None, None), today));
        assert!(!is_overdue(&m(Some(d(2024, 7, 1)), None), today));
    }

    #[test]
    fn computed_range_snaps_to_months_and_includes_today() {
        let mut c = Chart::new("t", d(2024, 6, 30));
        c.rows.push(Row {
            planned: Some(Span::new(d(2024, 2, 10), d(2024, 11, 5))),
            ..Row::new("a")
        });
        let (a, b) = c.effective_range();
        assert_eq!(a.day(), 1);
        assert!(a <= d(2024, 2, 1));
        assert_eq!(b.succ_opt().unwrap().day(), 1);
        assert!(b >= d(2024, 11, 30));

        c.today = d(2025, 3, 1);
        assert!(c.effective_range().1 >= d(2025, 3, 1));
    }

    #[test]
    fn short_range_snaps_to_weeks() {
        let c = Chart::new("t", d(2024, 6, 30));
        let (a, b) = c.effective_range();
        assert_eq!(a.weekday(), chrono::Weekday::Mon);
        assert_eq!(b.weekday(), chrono::Weekday::Sun);
        assert!(a < c.today && c.today < b);
    }

    #[test]
    fn explicit_range_reversed_is_swapped() {
        let mut c = Chart::new("t", d(2024, 6, 30));
        c.range = Some((d(2024, 12, 31), d(2024, 1, 1)));
        assert_eq!(c.effective_range(), (d(2024, 1, 1), d(2024, 12, 31)));
    }

    #[test]
    fn extreme_dates_do_not_overflow() {
        let mut c = Chart::new("t", NaiveDate::MAX);
        c.rows.push(Row::milestone("a", Some(NaiveDate::MIN), None));
        let (a, b) = c.effective_range();
        assert!(a <= b);
    }
}
