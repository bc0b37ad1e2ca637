//! The monthly trend chart: value axis with round ticks, thinned month
//! labels, one line per series (gaps where a month has no data), an
//! optional horizontal reference line and the legend.

use std::fmt::Write;

use crate::frame::{document, empty_chart, halo, header, legend, reference_stroke, Swatch};
use crate::model::LineChart;
use crate::style::{marker, series_style, AXIS, FONT, GRID, INK, MARGIN, MUTED, REFERENCE, WIDTH};
use crate::svg::{num, Svg};
use crate::text::{truncate, width};
use crate::ticks::{is_labelled, label_every, nice_ticks, with_zero, Ticks};

const PLOT_HEIGHT: f64 = 260.0;
/// Horizontal room a month label needs beyond its own width.
const LABEL_GAP: f64 = 12.0;

/// Maps months and values to plot coordinates.
struct Plot {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    months: usize,
    ticks: Ticks,
}

impl Plot {
    fn slot(&self) -> f64 {
        (self.right - self.left) / self.months as f64
    }

    /// Months sit in the middle of equal slots, so one month is centred too.
    fn x(&self, i: usize) -> f64 {
        self.left + (i as f64 + 0.5) * self.slot()
    }

    fn y(&self, v: i64) -> f64 {
        self.bottom - self.ticks.fraction(v) * (self.bottom - self.top)
    }
}

/// The trend as one SVG, [`WIDTH`] units wide. Series are told apart by
/// colour, dash and marker: the first is solid with circles, the second
/// dashed with squares, then dotted with triangles, dash-dot with diamonds.
/// Points carry tooltips ("2024-03 本年：12.3%"). No labels, or no value in
/// any series, gives the "暂无数据" placeholder.
pub fn line_chart(chart: &LineChart) -> String {
    let n = chart.labels.len();
    let values = || {
        chart
            .series
            .iter()
            .flat_map(|s| s.values.iter().take(n).flatten().copied())
    };
    let (Some(lo), Some(hi)) = (values().min(), values().max()) else {
        return empty_chart("kfq-line-chart", &chart.title);
    };
    let reference = chart.reference.as_ref().map(|r| r.value);
    let (lo, hi) = with_zero(
        reference.map_or(lo, |r| lo.min(r)),
        reference.map_or(hi, |r| hi.max(r)),
    );
    let ticks = nice_ticks(lo, hi, 5, chart.scale.min_step());

    let mut body = Svg::new();
    let mut y = header(&mut body, &chart.title, chart.subtitle.as_deref(), WIDTH);
    let mut items: Vec<(Swatch, String)> = chart
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| (Swatch::Series(i), s.name.clone()))
        .collect();
    if let Some(r) = &chart.reference {
        items.push((Swatch::Reference, r.label.clone()));
    }
    y = legend(&mut body, &items, y + 4.0, "", WIDTH);

    let tick_labels: Vec<String> = ticks
        .values
        .iter()
        .map(|&t| chart.scale.tick_label(t, ticks.step))
        .collect();
    let label_w = tick_labels
        .iter()
        .map(|l| width(l, FONT))
        .fold(0.0, f64::max);
    if !chart.scale.unit.is_empty() {
        body.text_at(
            MARGIN,
            y + 18.0,
            &format!("单位：{}", chart.scale.unit),
            None,
            &[("font-size", &num(FONT)), ("fill", MUTED)],
        );
    }
    let top = y + 34.0;
    let plot = Plot {
        left: MARGIN + label_w + 10.0,
        right: WIDTH - MARGIN,
        top,
        bottom: top + PLOT_HEIGHT,
        months: n,
        ticks,
    };
    value_axis(&mut body, &plot, &tick_labels);
    month_axis(&mut body, &plot, &chart.labels);
    if let Some(r) = &chart.reference {
        let text = format!("{} {}", r.label, chart.scale.format_with_unit(r.value));
        reference_line(&mut body, &plot, r.value, &text);
    }
    for (i, series) in chart.series.iter().enumerate() {
        draw_series(&mut body, &plot, chart, i, &series.values);
    }
    let height = plot.bottom + 34.0 + MARGIN / 2.0;
    let desc = describe(chart);
    document(
        "kfq-line-chart",
        (WIDTH, height),
        &chart.title,
        &desc,
        None,
        body,
    )
}

/// Horizontal grid at each tick with its label; zero, when inside, is drawn
/// darker because growth rates are read against it.
fn value_axis(s: &mut Svg, plot: &Plot, labels: &[String]) {
    s.open("g", &[("class", "y-axis")]);
    for (&t, label) in plot.ticks.values.iter().zip(labels) {
        let y = plot.y(t);
        let (stroke, w) = if t == 0 { (AXIS, "1.2") } else { (GRID, "1") };
        s.line(
            plot.left,
            y,
            plot.right,
            y,
            &[("stroke", stroke), ("stroke-width", w)],
        );
        s.text_at(
            plot.left - 8.0,
            y + 5.0,
            label,
            None,
            &[
                ("font-size", &num(FONT)),
                ("fill", MUTED),
                ("text-anchor", "end"),
                ("class", "tick"),
            ],
        );
    }
    s.close("g");
}

/// A tick under every month and a label under every `every`-th, counted
/// back from the latest month.
fn month_axis(s: &mut Svg, plot: &Plot, labels: &[String]) {
    let widest = labels.iter().map(|l| width(l, FONT)).fold(0.0, f64::max);
    let every = label_every(plot.slot(), widest + LABEL_GAP);
    // A single slot wider than the plot still must not spill past the page.
    let max_w = (plot.slot() * every as f64 - 4.0).max(FONT * 2.0);
    s.open("g", &[("class", "x-axis")]);
    s.line(
        plot.left,
        plot.bottom,
        plot.right,
        plot.bottom,
        &[("stroke", AXIS)],
    );
    for (i, label) in labels.iter().enumerate() {
        let x = plot.x(i);
        let shown = is_labelled(i, labels.len(), every);
        let tick_len = if shown { 5.0 } else { 3.0 };
        s.line(
            x,
            plot.bottom,
            x,
            plot.bottom + tick_len,
            &[("stroke", AXIS)],
        );
        if shown {
            let (t, cut) = truncate(label, max_w, FONT);
            s.text_at(
                x,
                plot.bottom + 22.0,
                &t,
                cut.then_some(label.as_str()),
                &[
                    ("font-size", &num(FONT)),
                    ("fill", INK),
                    ("text-anchor", "middle"),
                    ("class", "month"),
                ],
            );
        }
    }
    s.close("g");
}

/// The target as a dashed line with its label at the right end, above the
/// line unless that would leave the plot.
fn reference_line(s: &mut Svg, plot: &Plot, value: i64, text: &str) {
    let y = plot.y(value);
    s.open("g", &[("class", "reference")]);
    s.title(text);
    s.line(plot.left, y, plot.right, y, &reference_stroke());
    let label_y = if y - 6.0 - FONT < plot.top {
        y + 18.0
    } else {
        y - 6.0
    };
    let mut attrs = vec![
        ("font-size", "14"),
        ("fill", REFERENCE),
        ("text-anchor", "end"),
    ];
    attrs.extend_from_slice(&halo("#ffffff"));
    s.text_at(plot.right - 2.0, label_y, text, None, &attrs);
    s.close("g");
}

/// One series: a path whose runs of consecutive months are joined and
/// broken at every missing month, plus a marker with a tooltip per point
/// (so an isolated month still shows).
fn draw_series(s: &mut Svg, plot: &Plot, chart: &LineChart, index: usize, values: &[Option<i64>]) {
    let style = series_style(index);
    let name = &chart.series[index].name;
    let points: Vec<(usize, i64)> = values
        .iter()
        .take(plot.months)
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .collect();
    let mut d = String::new();
    let mut prev: Option<usize> = None;
    for &(i, v) in &points {
        let cmd = if prev == Some(i.wrapping_sub(1)) {
            'L'
        } else {
            'M'
        };
        let _ = write!(d, "{cmd}{},{}", num(plot.x(i)), num(plot.y(v)));
        prev = Some(i);
    }
    s.open("g", &[("class", "series")]);
    s.title(name);
    if !d.is_empty() {
        let mut attrs = vec![
            ("d", d.as_str()),
            ("fill", "none"),
            ("stroke", style.colour),
            ("stroke-width", "2.5"),
            ("stroke-linejoin", "round"),
            ("stroke-linecap", "round"),
            ("class", "line"),
        ];
        if let Some(dash) = style.dash {
            attrs.push(("stroke-dasharray", dash));
        }
        s.empty("path", &attrs);
    }
    for &(i, v) in &points {
        let tip = format!(
            "{} {}：{}",
            chart.labels[i],
            name,
            chart.scale.format_with_unit(v)
        );
        marker(s, style, plot.x(i), plot.y(v), Some(&tip));
    }
    s.close("g");
}

/// The `<desc>`: what the chart covers and each series' latest value, for
/// readers who cannot see the lines.
fn describe(chart: &LineChart) -> String {
    let n = chart.labels.len();
    let mut parts = vec![format!(
        "折线图：{} 至 {}，共 {} 个月",
        chart.labels[0],
        chart.labels[n - 1],
        n
    )];
    for s in &chart.series {
        let latest = s
            .values
            .iter()
            .take(n)
            .enumerate()
            .rev()
            .find_map(|(i, v)| v.map(|v| (i, v)));
        if let Some((i, v)) = latest {
            parts.push(format!(
                "{} {} 为 {}",
                s.name,
                chart.labels[i],
                chart.scale.format_with_unit(v)
            ));
        }
    }
    if let Some(r) = &chart.reference {
        parts.push(format!(
            "{} {}",
            r.label,
            chart.scale.format_with_unit(r.value)
        ));
    }
    parts.join("；") + "。"
}
