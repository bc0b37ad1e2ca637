//! The two-tier time axis, zebra stripes, grid lines and the today line over all rows.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::axis::{self, place_label, Unit, AXIS_FONT};
use kfq_charts::svg::{num, Svg};
use kfq_charts::text::width;

use super::texts::{cn_date, ymd};
use super::{
    Ctx, AXIS_LOWER_BG, AXIS_MID, AXIS_TOP, AXIS_UPPER_BG, GRID, GRID_YEAR, INK, MARGIN, MUTED,
    PLOT_LEFT, PLOT_RIGHT, ROWS_TOP, ROW_HEIGHT, RULE, TODAY, ZEBRA,
};

/// Axis tiers, zebra stripes and vertical grid lines.
pub(super) fn axis_and_grid(s: &mut Svg, ctx: &Ctx, n_rows: usize, rows_bottom: f64) {
    let sc = &ctx.scale;
    let axis = axis::build(sc);

    s.open("g", &[("class", "axis")]);
    s.rect(
        PLOT_LEFT,
        AXIS_TOP,
        PLOT_RIGHT - PLOT_LEFT,
        AXIS_MID - AXIS_TOP,
        &[("fill", AXIS_UPPER_BG)],
    );
    s.rect(
        PLOT_LEFT,
        AXIS_MID,
        PLOT_RIGHT - PLOT_LEFT,
        ROWS_TOP - AXIS_MID,
        &[("fill", AXIS_LOWER_BG)],
    );
    // Zebra stripes help the eye follow a row across a wide sheet.
    for i in (1..n_rows).step_by(2) {
        let y = ROWS_TOP + i as f64 * ROW_HEIGHT;
        s.rect(
            MARGIN,
            y,
            PLOT_RIGHT - MARGIN,
            ROW_HEIGHT,
            &[("fill", ZEBRA)],
        );
    }

    let inside = |x: f64| x > sc.left + 0.5 && x < sc.right - 0.5;
    // Boundaries drawn by the upper tier are skipped in the lower one.
    let upper_starts: BTreeSet<NaiveDate> = axis.upper.iter().map(|g| g.start).collect();
    for seg in &axis.lower {
        let x = sc.x(seg.start);
        if !inside(x) || upper_starts.contains(&seg.start) {
            continue;
        }
        let strong = matches!(axis.unit, Unit::Years(_));
        let (stroke, w, top) = if strong {
            (GRID_YEAR, "1.2", AXIS_TOP)
        } else {
            (GRID, "0.8", AXIS_MID)
        };
        s.line(
            x,
            top,
            x,
            rows_bottom,
            &[("stroke", stroke), ("stroke-width", w)],
        );
    }
    for seg in &axis.upper {
        let x = sc.x(seg.start);
        if !inside(x) {
            continue;
        }
        let (stroke, w) = if seg.year_boundary {
            (GRID_YEAR, "1.2")
        } else {
            (RULE, "1")
        };
        s.line(
            x,
            AXIS_TOP,
            x,
            rows_bottom,
            &[("stroke", stroke), ("stroke-width", w)],
        );
    }
    // The today line crosses the axis under its labels; the labels' halo
    // (a stroke in the band colour painted first) keeps them readable.
    if sc.contains(ctx.today) {
        let x = sc.x_mid(ctx.today);
        s.line(
            x,
            AXIS_TOP - 2.0,
            x,
            ROWS_TOP,
            &[("stroke", TODAY), ("stroke-width", "1.5")],
        );
    }
    for seg in &axis.upper {
        if let Some((label, cx)) = place_label(sc, seg, 12.0) {
            s.text_at(
                cx,
                AXIS_TOP + 14.5,
                label,
                None,
                &[
                    ("font-size", "12"),
                    ("font-weight", "bold"),
                    ("fill", INK),
                    ("text-anchor", "middle"),
                ],
            );
        }
    }
    let lower_font = num(AXIS_FONT);
    for seg in &axis.lower {
        if let Some((label, cx)) = place_label(sc, seg, AXIS_FONT) {
            let fill = if seg.year_boundary { INK } else { MUTED };
            s.text_at(
                cx,
                AXIS_MID + 15.0,
                label,
                None,
                &[
                    ("font-size", &lower_font),
                    ("fill", fill),
                    ("text-anchor", "middle"),
                ],
            );
        }
    }
    s.line(
        PLOT_LEFT,
        AXIS_MID,
        PLOT_RIGHT,
        AXIS_MID,
        &[("stroke", RULE)],
    );
    s.line(MARGIN, ROWS_TOP, PLOT_RIGHT, ROWS_TOP, &[("stroke", RULE)]);
    s.close("g");
}

/// The red today line over all rows, with its date in a tag above the axis.
pub(super) fn today_line(s: &mut Svg, ctx: &Ctx, rows_bottom: f64) {
    let sc = &ctx.scale;
    if !sc.contains(ctx.today) {
        return;
    }
    let x = sc.x_mid(ctx.today);
    let text = format!("今天 {}", ymd(ctx.today));
    let w = width(&text, 11.0) + 12.0;
    let tag_x = (x - w / 2.0).clamp(PLOT_LEFT, PLOT_RIGHT - w);
    s.open("g", &[("class", "today")]);
    s.title(&format!("今天 {}", cn_date(ctx.today)));
    s.line(
        x,
        AXIS_TOP - 2.0,
        x,
        rows_bottom,
        &[
            ("stroke", TODAY),
            ("stroke-width", "1.5"),
            ("class", "today-line"),
        ],
    );
    s.rect(tag_x, 68.0, w, 18.0, &[("fill", TODAY), ("rx", "3")]);
    s.text_at(
        tag_x + w / 2.0,
        81.0,
        &text,
        None,
        &[
            ("font-size", "11"),
            ("font-weight", "bold"),
            ("fill", "#ffffff"),
            ("text-anchor", "middle"),
        ],
    );
    s.close("g");
}
