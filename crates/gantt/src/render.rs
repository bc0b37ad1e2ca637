//! Drawing a [`Chart`] as SVG: page layout, label column, bars, milestone
//! diamonds, the today line, legend and footer.
//!
//! Layout is in viewBox units on a page 1587 wide, which is A3 landscape
//! (420 mm) at 96 dpi, so one unit prints as about 0.26 mm: 13-unit labels
//! come out near 9.5 pt. Rows have a fixed height; a single SVG grows
//! downwards, printed pages keep the A3 proportions.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};

use crate::axis::{self, place_label, TimeScale, Unit, AXIS_FONT};
use crate::model::{is_overdue, Chart, Mark, Row, Span, Status};
use kfq_charts::svg::{num, Svg};
use kfq_charts::text::{truncate, width};

/// Width of the viewBox: A3 landscape at 96 dpi.
pub const WIDTH: f64 = 1587.0;
/// Height of a printed page: A3 landscape proportions (297 / 420 of the width).
pub const A3_HEIGHT: f64 = 1123.0;
/// Height of every row.
pub const ROW_HEIGHT: f64 = 30.0;
/// Left edge of the time plot (the label column is to its left).
pub const PLOT_LEFT: f64 = 360.0;
/// Right edge of the time plot.
pub const PLOT_RIGHT: f64 = WIDTH - MARGIN;
/// Rows that fit on one A3 page; the default of [`render_pages`].
pub const A3_ROWS_PER_PAGE: usize = 32;

const MARGIN: f64 = 24.0;
const AXIS_TOP: f64 = 88.0;
const AXIS_MID: f64 = 108.0;
const ROWS_TOP: f64 = 130.0;
const FOOTER: f64 = 28.0;

const _: () = assert!(ROWS_TOP + A3_ROWS_PER_PAGE as f64 * ROW_HEIGHT + FOOTER <= A3_HEIGHT);

const FONT_FAMILY: &str =
    "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif";

const INK: &str = "#1f2933";
const MUTED: &str = "#5f6b7a";
const LINK: &str = "#1b4f9c";
const RULE: &str = "#c5cbd3";
const GRID: &str = "#e4e7eb";
const GRID_YEAR: &str = "#6b7684";
const ZEBRA: &str = "#f5f7fa";
const AXIS_UPPER_BG: &str = "#e9edf2";
const AXIS_LOWER_BG: &str = "#f5f7fa";
const PLAN_FILL: &str = "#dce8f7";
const PLAN_STROKE: &str = "#2f6db5";
const ACTUAL: &str = "#1d4f91";
const LATE: &str = "#e67700";
const BASELINE: &str = "#9aa3ad";
const OVERDUE: &str = "#d9281e";
const OVERDUE_FILL: &str = "#fde2e0";
const TODAY: &str = "#d9281e";

const LABEL_FONT: f64 = 13.0;
const SUBLABEL_FONT: f64 = 10.0;
const MARK_FONT: f64 = 9.0;
const LABEL_X: f64 = 70.0;

/// The chart as one SVG holding every row; its height grows with the rows.
/// Meant for the screen. An empty chart shows "暂无数据".
pub fn render_svg(chart: &Chart) -> String {
    render_page(chart, &chart.rows, 0, None)
}

/// The chart split into A3 landscape pages of at most `rows_per_page` rows
/// each (0 means [`A3_ROWS_PER_PAGE`]), for printing. Rows keep their order
/// and their running number; every page repeats the title, legend and axis,
/// and all pages share one time range so they line up on the wall. Pages
/// are at least [`A3_HEIGHT`] tall (taller only if `rows_per_page` exceeds
/// [`A3_ROWS_PER_PAGE`]) and carry "第 i / n 页". An empty chart gives one
/// page.
pub fn render_pages(chart: &Chart, rows_per_page: usize) -> Vec<String> {
    let per = if rows_per_page == 0 {
        A3_ROWS_PER_PAGE
    } else {
        rows_per_page
    };
    if chart.rows.is_empty() {
        return vec![render_page(chart, &[], 0, Some((1, 1)))];
    }
    let n = chart.rows.len().div_ceil(per);
    chart
        .rows
        .chunks(per)
        .enumerate()
        .map(|(i, rows)| render_page(chart, rows, i * per, Some((i + 1, n))))
        .collect()
}

/// Everything a page needs to know about the chart as a whole.
struct Ctx<'a> {
    chart: &'a Chart,
    scale: TimeScale,
    today: NaiveDate,
}

fn render_page(
    chart: &Chart,
    rows: &[Row],
    first_index: usize,
    page: Option<(usize, usize)>,
) -> String {
    let (start, end) = chart.effective_range();
    let scale = TimeScale::new(start, end, PLOT_LEFT, PLOT_RIGHT);
    let ctx = Ctx {
        chart,
        scale,
        today: chart.today,
    };
    let rows_bottom = ROWS_TOP + rows.len().max(1) as f64 * ROW_HEIGHT;
    let mut height = rows_bottom + FOOTER;
    if page.is_some() {
        height = height.max(A3_HEIGHT);
    }
    let overdue_total: usize = chart
        .rows
        .iter()
        .map(|r| r.overdue_count(chart.today))
        .sum();

    let mut s = Svg::new();
    let view_box = format!("0 0 {} {}", num(WIDTH), num(height));
    s.open(
        "svg",
        &[
            ("xmlns", "http://www.w3.org/2000/svg"),
            ("width", "100%"),
            ("viewBox", &view_box),
            ("preserveAspectRatio", "xMidYMin meet"),
            ("font-family", FONT_FAMILY),
            ("class", "kfq-gantt"),
        ],
    );
    s.title(&chart.title);
    s.open("desc", &[]);
    s.text(&format!(
        "甘特图（计划与实际对比）：共 {} 行，逾期节点 {} 个，今天 {}。",
        chart.rows.len(),
        overdue_total,
        chart.today.format("%Y-%m-%d")
    ));
    s.close("desc");
    s.rect(0.0, 0.0, WIDTH, height, &[("fill", "#ffffff")]);

    header(&mut s, &ctx);
    axis_and_grid(&mut s, &ctx, rows.len().max(1), rows_bottom);

    if rows.is_empty() {
        s.text_at(
            LABEL_X,
            ROWS_TOP + 19.5,
            "暂无数据",
            None,
            &[("font-size", "13"), ("fill", MUTED)],
        );
    }
    for (i, row) in rows.iter().enumerate() {
        let y0 = ROWS_TOP + i as f64 * ROW_HEIGHT;
        draw_row(&mut s, &ctx, row, first_index + i, y0);
    }
    // Closing rule under the last row and the label column divider.
    s.line(
        MARGIN,
        rows_bottom,
        PLOT_RIGHT,
        rows_bottom,
        &[("stroke", RULE)],
    );
    s.line(
        PLOT_LEFT,
        AXIS_TOP,
        PLOT_LEFT,
        rows_bottom,
        &[("stroke", RULE)],
    );

    today_line(&mut s, &ctx, rows_bottom);
    footer(&mut s, &ctx, height, page, overdue_total);
    s.close("svg");
    s.out
}

/// Title, subtitle and legend.
fn header(s: &mut Svg, ctx: &Ctx) {
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

/// Axis tiers, zebra stripes and vertical grid lines.
fn axis_and_grid(s: &mut Svg, ctx: &Ctx, n_rows: usize, rows_bottom: f64) {
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

fn plan_bar_attrs() -> [(&'static str, &'static str); 4] {
    [
        ("fill", PLAN_FILL),
        ("stroke", PLAN_STROKE),
        ("stroke-width", "1"),
        ("rx", "2"),
    ]
}

fn plan_diamond_attrs(overdue: bool) -> [(&'static str, &'static str); 3] {
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
fn actual_diamond_attrs(late: bool) -> [(&'static str, &'static str); 3] {
    [
        ("fill", if late { LATE } else { ACTUAL }),
        ("stroke", "#ffffff"),
        ("stroke-width", "1"),
    ]
}

fn overdue_dash() -> [(&'static str, &'static str); 3] {
    [
        ("stroke", OVERDUE),
        ("stroke-width", "1.5"),
        ("stroke-dasharray", "3 2"),
    ]
}

/// Only relative links and http(s)/mailto survive: a `javascript:` or
/// `data:` URL in the data must not become a clickable link.
fn safe_href(href: &str) -> Option<&str> {
    let h = href.trim();
    if h.is_empty() || h.chars().any(|c| c.is_control()) {
        return None;
    }
    match h.find([':', '/', '?', '#']) {
        Some(i) if h.as_bytes()[i] == b':' => {
            let scheme = h[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto").then_some(h)
        }
        _ => Some(h),
    }
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn cn_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// A span with its end resolved (open spans run to today) and its ends in
/// order.
fn resolve(span: &Span, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let end = span.end.unwrap_or(today.max(span.start));
    (span.start.min(end), span.start.max(end))
}

/// x extent of days `a..=b` clipped to the plot; `None` when wholly outside.
/// Very short spans are widened to stay visible.
fn bar_x(sc: &TimeScale, a: NaiveDate, b: NaiveDate) -> Option<(f64, f64)> {
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
fn point_x(sc: &TimeScale, d: NaiveDate) -> (f64, bool) {
    (sc.clamp(sc.x_mid(d)), !sc.contains(d))
}

fn span_text(name: &str, span: &Span) -> String {
    match span.end {
        Some(e) => format!("{name} {} 至 {}", ymd(span.start), ymd(e)),
        None => format!("{name} {} 起（进行中）", ymd(span.start)),
    }
}

fn mark_text(m: &Mark, today: NaiveDate) -> String {
    let mut parts = vec![m.label.clone()];
    if let Some(p) = m.planned {
        parts.push(format!("计划 {}", ymd(p)));
    }
    if let Some(a) = m.actual {
        parts.push(format!("实际 {}", ymd(a)));
        if let Some(p) = m.planned {
            let late = (a - p).num_days();
            if late > 0 {
                parts.push(format!("延误 {late} 天"));
            }
        }
    }
    if let Some(b) = m.baseline {
        parts.push(format!("基线 {}", ymd(b)));
    }
    if is_overdue(m, today) {
        if let Some(p) = m.planned {
            parts.push(format!("已逾期 {} 天", (today - p).num_days()));
        }
    }
    parts.join("，")
}

fn row_text(row: &Row, today: NaiveDate) -> String {
    let mut head = row.label.clone();
    if let Some(sub) = &row.sublabel {
        head.push_str(&format!("（{sub}）"));
    }
    let mut parts = vec![head];
    if let Some(st) = row.status {
        parts.push(format!("状态 {}", st.label()));
    }
    if let Some(p) = &row.planned {
        parts.push(span_text("计划", p));
    }
    if let Some(a) = &row.actual {
        parts.push(span_text("实际", a));
    }
    if let Some(b) = &row.baseline {
        parts.push(span_text("基线", b));
    }
    for m in &row.marks {
        parts.push(mark_text(m, today));
    }
    let n = row.overdue_count(today);
    if n > 0 {
        parts.push(format!("逾期节点 {n} 个"));
    }
    parts.join("；")
}

fn status_colour(st: Status) -> &'static str {
    match st {
        Status::Red => "#e03131",
        Status::Yellow => "#f0b400",
        Status::Green => "#2f9e44",
    }
}

fn draw_row(s: &mut Svg, ctx: &Ctx, row: &Row, index: usize, y0: f64) {
    let today = ctx.today;
    let cy = y0 + 15.0;
    s.open("g", &[("class", "row")]);
    s.title(&row_text(row, today));
    // Invisible but painted, so hovering anywhere on the row shows its title.
    s.rect(
        MARGIN,
        y0,
        PLOT_RIGHT - MARGIN,
        ROW_HEIGHT,
        &[("fill", "#ffffff"), ("fill-opacity", "0")],
    );

    // Label column: running number, status dot, label, sublabel, overdue badge.
    s.text_at(
        50.0,
        y0 + 19.5,
        &(index + 1).to_string(),
        None,
        &[("font-size", "11"), ("fill", MUTED), ("text-anchor", "end")],
    );
    if let Some(st) = row.status {
        let (cx, cyy) = (num(60.0), num(cy));
        s.open(
            "circle",
            &[
                ("cx", &cx),
                ("cy", &cyy),
                ("r", "5"),
                ("fill", status_colour(st)),
            ],
        );
        s.title(st.label());
        s.close("circle");
    }
    let overdue = row.overdue_count(today);
    let mut label_right = PLOT_LEFT - 10.0;
    if overdue > 0 {
        let text = format!("逾期 {overdue}");
        let w = width(&text, 10.0) + 10.0;
        let x = PLOT_LEFT - 8.0 - w;
        s.open("g", &[("class", "overdue-count")]);
        s.title(&format!("{overdue} 个节点逾期"));
        s.rect(x, y0 + 7.0, w, 16.0, &[("fill", OVERDUE), ("rx", "3")]);
        s.text_at(
            x + w / 2.0,
            y0 + 19.0,
            &text,
            None,
            &[
                ("font-size", "10"),
                ("font-weight", "bold"),
                ("fill", "#ffffff"),
                ("text-anchor", "middle"),
            ],
        );
        s.close("g");
        label_right = x - 6.0;
    }
    let label_y = if row.sublabel.is_some() {
        y0 + 14.0
    } else {
        y0 + 19.5
    };
    let (label, cut) = truncate(&row.label, label_right - LABEL_X, LABEL_FONT);
    let href = row.href.as_deref().and_then(safe_href);
    if let Some(h) = href {
        s.open("a", &[("href", h)]);
    }
    s.text_at(
        LABEL_X,
        label_y,
        &label,
        cut.then_some(row.label.as_str()),
        &[
            ("font-size", "13"),
            ("fill", if href.is_some() { LINK } else { INK }),
            ("class", "label"),
        ],
    );
    if href.is_some() {
        s.close("a");
    }
    if let Some(sub) = &row.sublabel {
        let (t, cut) = truncate(sub, label_right - LABEL_X, SUBLABEL_FONT);
        s.text_at(
            LABEL_X,
            y0 + 26.0,
            &t,
            cut.then_some(sub.as_str()),
            &[("font-size", "10"), ("fill", MUTED)],
        );
    }

    bars(s, ctx, row, y0);
    marks(s, ctx, row, y0);
    s.close("g");
}

fn bars(s: &mut Svg, ctx: &Ctx, row: &Row, y0: f64) {
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
        let late_from = planned
            .map(|(_, pe)| pe)
            .filter(|pe| *pe < e)
            .and_then(|pe| pe.succ_opt())
            .map(|d| d.max(a));
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

fn marks(s: &mut Svg, ctx: &Ctx, row: &Row, y0: f64) {
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

/// The red today line over all rows, with its date in a tag above the axis.
fn today_line(s: &mut Svg, ctx: &Ctx, rows_bottom: f64) {
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

fn footer(s: &mut Svg, ctx: &Ctx, height: f64, page: Option<(usize, usize)>, overdue_total: usize) {
    let y = height - 10.0;
    let text = format!(
        "今天：{}　　图示范围：{} 至 {}　　共 {} 行，逾期节点 {} 个",
        cn_date(ctx.today),
        cn_date(ctx.scale.start),
        cn_date(ctx.scale.end),
        ctx.chart.rows.len(),
        overdue_total
    );
    s.text_at(
        MARGIN,
        y,
        &text,
        None,
        &[("font-size", "11"), ("fill", MUTED)],
    );
    if let Some((i, n)) = page {
        s.text_at(
            PLOT_RIGHT,
            y,
            &format!("第 {i} / {n} 页"),
            None,
            &[
                ("font-size", "11"),
                ("fill", MUTED),
                ("text-anchor", "end"),
                ("class", "page-number"),
            ],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_links_survive() {
        assert_eq!(safe_href("/projects/12"), Some("/projects/12"));
        assert_eq!(safe_href("p/12?x=a:b"), Some("p/12?x=a:b"));
        assert_eq!(
            safe_href("https://example.org/a"),
            Some("https://example.org/a")
        );
        assert_eq!(safe_href(" JavaScript:alert(1)"), None);
        assert_eq!(safe_href("data:text/html,x"), None);
        assert_eq!(safe_href("java\nscript:x"), None);
        assert_eq!(safe_href(""), None);
    }

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
