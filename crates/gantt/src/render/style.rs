//! Attributes shared by the legend and the rows: bars, diamonds, overdue dash, status colours.

use crate::model::Status;

use super::{ACTUAL, LATE, OVERDUE, OVERDUE_FILL, PLAN_FILL, PLAN_STROKE};

pub(super) fn plan_bar_attrs() -> [(&'static str, &'static str); 4] {
    [
        ("fill", PLAN_FILL),
        ("stroke", PLAN_STROKE),
        ("stroke-width", "1"),
        ("rx", "2"),
    ]
}

pub(super) fn plan_diamond_attrs(overdue: bool) -> [(&'static str, &'static str); 3] {
    if overdue {
        [
            ("fill", OVERDUE_FILL),
            ("stroke", OVERDUE),
            ("stroke-width", "2"),
        ]
    } else {
        [
            ("fill", "#ffffff"),
            ("stroke", PLAN_STROKE),
            ("stroke-width", "1.5"),
        ]
    }
}

/// The white outline keeps an actual diamond visible on an actual bar of the
/// same colour.
pub(super) fn actual_diamond_attrs(late: bool) -> [(&'static str, &'static str); 3] {
    [
        ("fill", if late { LATE } else { ACTUAL }),
        ("stroke", "#ffffff"),
        ("stroke-width", "1"),
    ]
}

pub(super) fn overdue_dash() -> [(&'static str, &'static str); 3] {
    [
        ("stroke", OVERDUE),
        ("stroke-width", "1.5"),
        ("stroke-dasharray", "3 2"),
    ]
}

pub(super) fn status_colour(st: Status) -> &'static str {
    match st {
        Status::Red => "#e03131",
        Status::Yellow => "#f0b400",
        Status::Green => "#2f9e44",
    }
}
