//! The title, subtitle and legend at the top of a page.

use kfq_charts::svg::Svg;
use kfq_charts::text::{truncate, width};

use super::style::{actual_diamond_attrs, overdue_dash, plan_bar_attrs, plan_diamond_attrs};
use super::{Ctx, ACTUAL, BASELINE, INK, LATE, MARGIN, MUTED, PLOT_RIGHT, TODAY};

/// Title, subtitle and legend.
pub(super) fn header(s: &mut Svg, ctx: &Ctx) {
    let legend_left = legend(s, ctx);
    let max_w = legend_left - MARGIN - 24.0;
    let (title, cut) = truncate(&ctx.chart.title, max_w, 22.0);
    s.text_at(
        MARGIN,
        40.0,
        &title,
        cut.then_some(ctx.chart.title.as_str()),
        &[("font-size", "22"), ("font-weight", "bold"), ("fill", INK)],
    );
    if let Some(sub) = &ctx.chart.subtitle {
        let (t, cut) = truncate(sub, max_w, 13.0);
        s.text_at(
            MARGIN,
            64.0,
            &t,
            cut.then_some(sub.as_str()),
            &[("font-size", "13"), ("fill", MUTED)],
        );
    }
}

#[derive(Clone, Copy)]
enum Swatch {
    Planned,
    Actual,
    Late,
    Baseline,
    Overdue,
    Today,
}

/// Draws the legend right-aligned at the top; returns its left edge.
fn legend(s: &mut Svg, ctx: &Ctx) -> f64 {
    let has_baseline = ctx
        .chart
        .rows
        .iter()
        .any(|r| r.baseline.is_some() || r.marks.iter().any(|m| m.baseline.is_some()));
    let baseline_text = match &ctx.chart.baseline_name {
        Some(n) if !n.trim().is_empty() => format!("基线（{}）", truncate(n, 120.0, 12.0).0),
        _ => "基线".to_owned(),
    };
    let mut items = vec![
        (Swatch::Planned, "计划".to_owned()),
        (Swatch::Actual, "实际".to_owned()),
        (Swatch::Late, "延误".to_owned()),
    ];
    if has_baseline {
        items.push((Swatch::Baseline, baseline_text));
    }
    items.push((Swatch::Overdue, "逾期".to_owned()));
    items.push((Swatch::Today, "今天".to_owned()));

    const SW: f64 = 30.0;
    const GAP: f64 = 18.0;
    let total: f64 = items
        .iter()
        .map(|(_, t)| SW + 5.0 + width(t, 12.0) + GAP)
        .sum::<f64>()
        - GAP;
    let left = PLOT_RIGHT - total;
    let cy = 34.0;
    s.open("g", &[("class", "legend")]);
    let mut x = left;
    for (kind, label) in &items {
        match kind {
            Swatch::Planned => {
                s.rect(x, cy - 7.0, 18.0, 14.0, &plan_bar_attrs());
                s.diamond(x + 25.0, cy, 5.5, &plan_diamond_attrs(false));
            }
            Swatch::Actual => {
                s.rect(x, cy - 4.0, 18.0, 8.0, &[("fill", ACTUAL)]);
                s.diamond(x + 25.0, cy, 5.0, &actual_diamond_attrs(false));
            }
            Swatch::Late => {
                s.rect(x, cy - 4.0, 18.0, 8.0, &[("fill", LATE)]);
                s.diamond(x + 25.0, cy, 5.0, &actual_diamond_attrs(true));
            }
            Swatch::Baseline => {
                s.rect(x, cy - 1.5, 18.0, 3.0, &[("fill", BASELINE)]);
                s.diamond(x + 25.0, cy, 3.5, &[("fill", BASELINE)]);
            }
            Swatch::Overdue => {
                s.line(x + 4.0, cy, x + 26.0, cy, &overdue_dash());
                s.diamond(x + 6.0, cy, 5.5, &plan_diamond_attrs(true));
            }
            Swatch::Today => {
                s.line(
                    x + 15.0,
                    cy - 9.0,
                    x + 15.0,
                    cy + 9.0,
                    &[("stroke", TODAY), ("stroke-width", "2")],
                );
            }
        }
        s.text_at(
            x + SW + 5.0,
            cy + 4.5,
            label,
            None,
            &[("font-size", "12"), ("fill", INK)],
        );
        x += SW + 5.0 + width(label, 12.0) + GAP;
    }
    s.close("g");
    left
}
