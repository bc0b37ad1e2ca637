//! The horizontal ranking: one bar per zone in the caller's order, coloured
//! (and patterned) by status, the value printed at the bar's end, and an
//! optional vertical reference line such as 序时进度. The chart grows
//! downwards with the number of bars.

use crate::frame::{document, empty_chart, halo, header, legend, reference_stroke, Swatch};
use crate::model::{Bar, BarChart, Rag};
use crate::style::{
    rag_class, rag_fill, rag_patterns, Tone, AXIS, FONT, GRID, INK, LINK, MARGIN, MUTED, PLAIN_BAR,
    REFERENCE, WIDTH,
};
use crate::svg::{id_prefix, safe_href, Svg};
use crate::text::{truncate, width};
use crate::ticks::{nice_ticks, Ticks};

/// Vertical distance between bars.
pub const BAR_PITCH: f64 = 26.0;
const BAR_HEIGHT: f64 = 18.0;
/// The label column never takes more than this, however long the names.
const MAX_LABEL_W: f64 = 200.0;
/// Above this many bars the value axis is repeated at the bottom, since the
/// top one has scrolled out of view.
const REPEAT_AXIS_AFTER: usize = 15;

struct Plot {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    ticks: Ticks,
}

impl Plot {
    fn x(&self, v: i64) -> f64 {
        self.left + self.ticks.fraction(v) * (self.right - self.left)
    }
}

/// The ranking as one SVG, [`WIDTH`] wide and [`BAR_PITCH`] taller per bar.
/// Bars keep the given order; red bars are hatched and yellow ones dotted
/// so the statuses survive black-and-white printing. No bars gives the
/// "暂无数据" placeholder.
pub fn bar_chart(chart: &BarChart) -> String {
    if chart.bars.is_empty() {
        return empty_chart("kfq-bar-chart", &chart.title);
    }
    let prefix = id_prefix("bar", &format!("{chart:?}"));
    let values = chart.bars.iter().map(|b| b.value);
    let reference = chart.reference.as_ref().map(|r| r.value);
    // Bars grow from zero, so zero is always on the axis.
    let lo = values.clone().chain(reference).fold(0, i64::min);
    let hi = values.chain(reference).fold(0, i64::max);
    let ticks = nice_ticks(lo, hi, 5, chart.scale.min_step());

    let mut body = Svg::new();
    let mut y = header(&mut body, &chart.title, chart.subtitle.as_deref(), WIDTH);
    y = legend(&mut body, &legend_items(chart), y + 4.0, &prefix, WIDTH);
    if chart.reference.is_some() {
        y += 24.0;
    }

    let value_texts: Vec<String> = chart
        .bars
        .iter()
        .map(|b| chart.scale.format_with_unit(b.value))
        .collect();
    let value_w = value_texts
        .iter()
        .map(|t| width(t, FONT))
        .fold(0.0, f64::max)
        + 8.0;
    let label_w = chart
        .bars
        .iter()
        .map(|b| width(&b.label, FONT))
        .fold(0.0, f64::max)
        .min(MAX_LABEL_W);
    let label_right = MARGIN + label_w;
    let any_negative = chart.bars.iter().any(|b| b.value < 0);
    let any_positive = chart.bars.iter().any(|b| b.value >= 0);
    let top = y + 26.0;
    let plot = Plot {
        left: label_right + 12.0 + if any_negative { value_w } else { 0.0 },
        right: WIDTH - MARGIN - if any_positive { value_w } else { 0.0 },
        top,
        bottom: top + chart.bars.len() as f64 * BAR_PITCH,
        ticks,
    };

    let tick_labels: Vec<String> = plot
        .ticks
        .values
        .iter()
        .map(|&t| chart.scale.tick_label(t, plot.ticks.step))
        .collect();
    value_axis(
        &mut body,
        &plot,
        &tick_labels,
        chart.bars.len() > REPEAT_AXIS_AFTER,
    );
    for (i, (bar, value_text)) in chart.bars.iter().zip(&value_texts).enumerate() {
        draw_bar(&mut body, &plot, &prefix, (i, bar), value_text, label_right);
    }
    if let Some(r) = &chart.reference {
        let text = format!("{} {}", r.label, chart.scale.format_with_unit(r.value));
        reference_line(&mut body, &plot, r.value, &text);
    }
    let mut height = plot.bottom + MARGIN;
    if chart.bars.len() > REPEAT_AXIS_AFTER {
        height += 22.0;
    }
    let mut defs = Svg::new();
    rag_patterns(&mut defs, Tone::Bar, &prefix);
    document(
        "kfq-bar-chart",
        (WIDTH, height),
        &chart.title,
        &describe(chart),
        Some(defs),
        body,
    )
}

/// One entry per status that occurs, in red, yellow, green order, then the
/// reference line.
fn legend_items(chart: &BarChart) -> Vec<(Swatch, String)> {
    let mut items: Vec<(Swatch, String)> = [Rag::Red, Rag::Yellow, Rag::Green]
        .into_iter()
        .filter(|r| chart.bars.iter().any(|b| b.rag == Some(*r)))
        .map(|r| (Swatch::Rag(Some(r), Tone::Bar), r.label().to_owned()))
        .collect();
    if let Some(r) = &chart.reference {
        items.push((Swatch::Reference, r.label.clone()));
    }
    items
}

/// Vertical grid lines with tick labels above the bars, and below them too
/// when the chart is long.
fn value_axis(s: &mut Svg, plot: &Plot, labels: &[String], repeat_below: bool) {
    s.open("g", &[("class", "x-axis")]);
    for (&t, label) in plot.ticks.values.iter().zip(labels) {
        let x = plot.x(t);
        let (stroke, w) = if t == 0 { (AXIS, "1.2") } else { (GRID, "1") };
        s.line(
            x,
            plot.top - 4.0,
            x,
            plot.bottom,
            &[("stroke", stroke), ("stroke-width", w)],
        );
        let attrs = [
            ("font-size", "14"),
            ("fill", MUTED),
            ("text-anchor", "middle"),
            ("class", "tick"),
        ];
        s.text_at(x, plot.top - 10.0, label, None, &attrs);
        if repeat_below {
            s.text_at(x, plot.bottom + 20.0, label, None, &attrs);
        }
    }
    s.close("g");
}

fn draw_bar(
    s: &mut Svg,
    plot: &Plot,
    prefix: &str,
    (index, bar): (usize, &Bar),
    value_text: &str,
    label_right: f64,
) {
    let y0 = plot.top + index as f64 * BAR_PITCH;
    let cy = y0 + BAR_PITCH / 2.0;
    let class = format!("bar {}", rag_class(bar.rag));
    s.open("g", &[("class", &class)]);
    let status = bar
        .rag
        .map(|r| format!("（{}）", r.label()))
        .unwrap_or_default();
    s.title(&format!("{}：{}{}", bar.label, value_text, status));

    let (label, cut) = truncate(&bar.label, label_right - MARGIN, FONT);
    let href = safe_href(bar.href.as_deref());
    if let Some(h) = href {
        s.open("a", &[("href", h)]);
    }
    s.text_at(
        label_right,
        cy + 5.0,
        &label,
        cut.then_some(bar.label.as_str()),
        &[
            ("font-size", "14"),
            ("fill", if href.is_some() { LINK } else { INK }),
            ("text-anchor", "end"),
            ("class", "label"),
        ],
    );
    if href.is_some() {
        s.close("a");
    }

    let (x0, xv) = (plot.x(0), plot.x(bar.value));
    let fill = match bar.rag {
        Some(_) => rag_fill(bar.rag, Tone::Bar, prefix),
        None => PLAIN_BAR.to_owned(),
    };
    s.rect(
        x0.min(xv),
        cy - BAR_HEIGHT / 2.0,
        (xv - x0).abs(),
        BAR_HEIGHT,
        &[("fill", &fill), ("class", "bar-fill")],
    );
    let (vx, anchor) = if bar.value < 0 {
        (xv - 5.0, "end")
    } else {
        (xv + 5.0, "start")
    };
    s.text_at(
        vx,
        cy + 5.0,
        value_text,
        None,
        &[
            ("font-size", "14"),
            ("fill", INK),
            ("text-anchor", anchor),
            ("class", "value"),
        ],
    );
    s.close("g");
}

/// The reference as a dashed vertical line through all bars, labelled
/// above the axis (kept inside the page near either edge).
fn reference_line(s: &mut Svg, plot: &Plot, value: i64, text: &str) {
    let x = plot.x(value);
    s.open("g", &[("class", "reference")]);
    s.title(text);
    s.line(x, plot.top - 30.0, x, plot.bottom, &reference_stroke());
    let half = width(text, FONT) / 2.0;
    let cx = x.clamp(MARGIN + half, WIDTH - MARGIN - half);
    let mut attrs = vec![
        ("font-size", "14"),
        ("fill", REFERENCE),
        ("text-anchor", "middle"),
    ];
    attrs.extend_from_slice(&halo("#ffffff"));
    s.text_at(cx, plot.top - 32.0, text, None, &attrs);
    s.close("g");
}

fn describe(chart: &BarChart) -> String {
    let mut out = format!("条形图：共 {} 项", chart.bars.len());
    for r in [Rag::Red, Rag::Yellow, Rag::Green] {
        let n = chart.bars.iter().filter(|b| b.rag == Some(r)).count();
        if n > 0 {
            out.push_str(&format!("，{} {} 项", r.label(), n));
        }
    }
    if let Some(r) = &chart.reference {
        out.push_str(&format!(
            "；{} {}",
            r.label,
            chart.scale.format_with_unit(r.value)
        ));
    }
    out.push('。');
    out
}
