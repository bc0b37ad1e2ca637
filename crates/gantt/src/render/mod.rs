//! Drawing a [`Chart`] as SVG: page layout, label column, bars, milestone
//! diamonds, the today line, legend and footer.
//!
//! Layout is in viewBox units on a page 1587 wide, which is A3 landscape
//! (420 mm) at 96 dpi, so one unit prints as about 0.26 mm: 13-unit labels
//! come out near 9.5 pt. Rows have a fixed height; a single SVG grows
//! downwards, printed pages keep the A3 proportions.

mod bars;
mod grid;
mod legend;
mod place;
mod row;
mod style;
mod texts;

use chrono::NaiveDate;

use crate::axis::TimeScale;
use crate::model::{Chart, Row};
use kfq_charts::svg::{num, Svg};

use grid::{axis_and_grid, today_line};
use legend::header;
use row::draw_row;
use texts::cn_date;

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
    let late_rows = chart
        .rows
        .iter()
        .filter(|r| r.late_span(chart.today).is_some())
        .count();

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
    footer(&mut s, &ctx, height, page, (late_rows, overdue_total));
    s.close("svg");
    s.out
}

fn footer(
    s: &mut Svg,
    ctx: &Ctx,
    height: f64,
    page: Option<(usize, usize)>,
    (late_rows, overdue_total): (usize, usize),
) {
    let y = height - 10.0;
    // The count of late rows is of the whole chart, as the bars drawn late.
    let late = if late_rows > 0 {
        format!("，其中 {late_rows} 行晚于计划（橙色）")
    } else {
        String::new()
    };
    let text = format!(
        "今天：{}　　图示范围：{} 至 {}　　共 {} 行{late}，逾期未完成节点 {} 个",
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
