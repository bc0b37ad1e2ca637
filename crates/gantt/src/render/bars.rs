//! A row's bars (baseline, planned, actual and its late part) and its milestones with labels.

use crate::model::{is_overdue, Row};
use kfq_charts::svg::Svg;
use kfq_charts::text::{truncate, width};

use super::place::{bar_x, point_x, resolve};
use super::style::{actual_diamond_attrs, overdue_dash, plan_bar_attrs, plan_diamond_attrs};
use super::texts::mark_text;
use super::{Ctx, ACTUAL, BASELINE, LATE, MARK_FONT, MUTED, OVERDUE};

pub(super) fn bars(s: &mut Svg, ctx: &Ctx, row: &Row, y0: f64) {
    let sc = &ctx.scale;
    let today = ctx.today;
    if let Some(b) = &row.baseline {
        let (a, e) = resolve(b, today);
        if let Some((x0, x1)) = bar_x(sc, a, e) {
            s.rect(
                x0,
                y0 + 3.0,
                x1 - x0,
                3.0,
                &[("fill", BASELINE), ("class", "baseline")],
            );
        }
    }
    let planned = row.planned.as_ref().map(|p| resolve(p, today));
    if let Some((a, e)) = planned {
        if let Some((x0, x1)) = bar_x(sc, a, e) {
            let mut attrs = plan_bar_attrs().to_vec();
            attrs.push(("class", "planned"));
            s.rect(x0, y0 + 8.0, x1 - x0, 14.0, &attrs);
        }
    }
    if let Some(act) = &row.actual {
        let (a, e) = resolve(act, today);
        // Days after the planned end are drawn in the late colour.
        let late_from = row.late_span(today).map(|(from, _)| from);
        let on_time_end = match late_from {
            Some(l) if l > a => l.pred_opt(),
            Some(_) => None,
            None => Some(e),
        };
        if let Some(ote) = on_time_end {
            if let Some((x0, x1)) = bar_x(sc, a, ote) {
                s.rect(
                    x0,
                    y0 + 11.0,
                    x1 - x0,
                    8.0,
                    &[("fill", ACTUAL), ("class", "actual")],
                );
            }
        }
        if let Some(l) = late_from {
            if let Some((x0, x1)) = bar_x(sc, l, e) {
                s.rect(
                    x0,
                    y0 + 11.0,
                    x1 - x0,
                    8.0,
                    &[("fill", LATE), ("class", "actual late")],
                );
            }
        }
    }
}

pub(super) fn marks(s: &mut Svg, ctx: &Ctx, row: &Row, y0: f64) {
    let sc = &ctx.scale;
    let today = ctx.today;
    let cy = y0 + 15.0;
    let (today_x, _) = point_x(sc, today);
    // Label candidates: (priority, anchor x, text, overdue).
    let mut labels: Vec<(u8, f64, String, bool)> = Vec::new();

    for m in &row.marks {
        let overdue = is_overdue(m, today);
        let late = matches!((m.planned, m.actual), (Some(p), Some(a)) if a > p);
        let class = if overdue {
            "mark overdue"
        } else if late {
            "mark late"
        } else {
            "mark"
        };
        s.open("g", &[("class", class)]);
        s.title(&mark_text(m, today));
        let fade = |pinned: bool| if pinned { "0.45" } else { "1" };

        if let Some(b) = m.baseline {
            let (x, pinned) = point_x(sc, b);
            s.diamond(
                x,
                y0 + 4.5,
                3.5,
                &[("fill", BASELINE), ("opacity", fade(pinned))],
            );
        }
        let px = m.planned.map(|p| point_x(sc, p));
        let ax = m.actual.map(|a| point_x(sc, a));
        if let (Some((x1, _)), Some((x2, _)), true) = (px, ax, late) {
            s.line(
                x1,
                cy,
                x2,
                cy,
                &[
                    ("stroke", LATE),
                    ("stroke-width", "1.5"),
                    ("stroke-dasharray", "3 2"),
                ],
            );
        }
        if let (Some((x1, _)), true) = (px, overdue) {
            s.line(x1, cy, today_x, cy, &overdue_dash());
        }
        if let Some((x, pinned)) = px {
            let mut attrs = plan_diamond_attrs(overdue).to_vec();
            attrs.push(("opacity", fade(pinned)));
            s.diamond(x, cy, 5.5, &attrs);
        }
        if let Some((x, pinned)) = ax {
            let mut attrs = actual_diamond_attrs(late).to_vec();
            attrs.push(("opacity", fade(pinned)));
            s.diamond(x, cy, 5.0, &attrs);
        }
        s.close("g");

        // A single-milestone row already names the milestone in its label.
        let named = !m.label.trim().is_empty() && m.label != row.label;
        let anchor = ax.or(px).or_else(|| m.baseline.map(|b| point_x(sc, b)));
        if let Some((x, _)) = anchor {
            if overdue {
                let text = if named {
                    format!("{} 逾期", m.label)
                } else {
                    "逾期".to_owned()
                };
                labels.push((0, x, text, true));
            } else if named {
                labels.push((1, x, m.label.clone(), false));
            }
        }
    }

    // Overdue labels first, then the others, each only where it does not
    // collide with one already placed; the rest stay in the tooltips.
    labels.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut placed: Vec<(f64, f64)> = Vec::new();
    for (_, x, text, overdue) in labels {
        let (text, _) = truncate(&text, 160.0, MARK_FONT);
        let w = width(&text, MARK_FONT);
        let cx = x.clamp(
            sc.left + w / 2.0,
            (sc.right - w / 2.0).max(sc.left + w / 2.0),
        );
        let (l, r) = (cx - w / 2.0 - 2.0, cx + w / 2.0 + 2.0);
        if placed.iter().any(|&(pl, pr)| l < pr && pl < r) {
            continue;
        }
        placed.push((l, r));
        let mut attrs = vec![
            ("font-size", "9"),
            ("text-anchor", "middle"),
            ("fill", if overdue { OVERDUE } else { MUTED }),
        ];
        if overdue {
            attrs.push(("font-weight", "bold"));
            attrs.push(("class", "overdue-label"));
        }
        s.text_at(cx, y0 + 28.5, &text, None, &attrs);
    }
}
