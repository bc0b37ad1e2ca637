//! Where spans and points in time fall on the plot.

use chrono::NaiveDate;

use crate::axis::TimeScale;
use crate::model::Span;

/// A span with its end resolved (open spans run to today) and its ends in
/// order.
pub(super) fn resolve(span: &Span, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    span.resolve(today)
}

/// x extent of days `a..=b` clipped to the plot; `None` when wholly outside.
/// Very short spans are widened to stay visible.
pub(super) fn bar_x(sc: &TimeScale, a: NaiveDate, b: NaiveDate) -> Option<(f64, f64)> {
    let (x0, x1) = (sc.x(a), sc.x_end(b));
    if x1 < sc.left || x0 > sc.right {
        return None;
    }
    let (mut x0, mut x1) = (sc.clamp(x0), sc.clamp(x1));
    if x1 - x0 < 2.0 {
        let c = (x0 + x1) / 2.0;
        x0 = (c - 1.0).max(sc.left);
        x1 = (x0 + 2.0).min(sc.right);
    }
    Some((x0, x1))
}

/// x of a point in time, pinned to the plot edge when outside the range;
/// the flag says whether it was pinned (drawn faded).
pub(super) fn point_x(sc: &TimeScale, d: NaiveDate) -> (f64, bool) {
    (sc.clamp(sc.x_mid(d)), !sc.contains(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_spans_run_to_today() {
        let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
        assert_eq!(resolve(&Span::open(d(3, 1)), d(6, 30)), (d(3, 1), d(6, 30)));
        assert_eq!(resolve(&Span::open(d(8, 1)), d(6, 30)), (d(8, 1), d(8, 1)));
        assert_eq!(
            resolve(&Span::new(d(8, 1), d(7, 1)), d(6, 30)),
            (d(7, 1), d(8, 1))
        );
    }
}
