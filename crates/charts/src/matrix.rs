//! The status matrix: zones down, indicators across, each cell filled by
//! its traffic light (hatched red, dotted yellow, plain green, grey for no
//! data) with the value printed on it, and optional drill-down links on
//! cells and zone names. Long indicator names wrap over up to four lines.

use crate::frame::{document, empty_chart, halo, header, legend, Swatch};
use crate::model::{Cell, Column, Matrix, MatrixRow, Rag};
use crate::style::{
    rag_background, rag_class, rag_fill, rag_patterns, Tone, FONT, INK, LINK, MARGIN, MUTED, WIDTH,
};
use crate::svg::{id_prefix, num, safe_href, Svg};
use crate::text::{truncate, width, wrap};

/// Height of a row of cells.
pub const CELL_HEIGHT: f64 = 30.0;
/// Narrowest column; below it the chart grows wider than [`WIDTH`] instead.
pub const MIN_CELL_WIDTH: f64 = 64.0;
const MAX_ROW_HEADER: f64 = 180.0;
const HEADER_LINES: usize = 4;
const HEADER_LINE_HEIGHT: f64 = 18.0;
const CELL_PAD: f64 = 6.0;

struct Grid {
    left: f64,
    top: f64,
    col_w: f64,
    row_header_w: f64,
}

impl Grid {
    fn x(&self, col: usize) -> f64 {
        self.left + col as f64 * self.col_w
    }

    fn y(&self, row: usize) -> f64 {
        self.top + row as f64 * CELL_HEIGHT
    }
}

/// The matrix as one SVG. Columns share the width of the page; with many
/// columns (more than about ten) each keeps [`MIN_CELL_WIDTH`] and the
/// chart grows wider, printing correspondingly smaller. No rows or no
/// columns gives the "暂无数据" placeholder.
pub fn rag_matrix(matrix: &Matrix) -> String {
    if matrix.rows.is_empty() || matrix.columns.is_empty() {
        return empty_chart("kfq-rag-matrix", &matrix.title);
    }
    let prefix = id_prefix("matrix", &format!("{matrix:?}"));
    let ncols = matrix.columns.len();
    let row_header_w = matrix
        .rows
        .iter()
        .map(|r| width(&r.name, FONT))
        .fold(0.0, f64::max)
        .min(MAX_ROW_HEADER)
        + 2.0 * CELL_PAD;
    let widest_value = matrix
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().zip(&matrix.columns))
        .map(|(c, col)| width(&cell_text(c, col), FONT))
        .fold(0.0, f64::max);
    let col_w = ((WIDTH - 2.0 * MARGIN - row_header_w) / ncols as f64)
        .max(MIN_CELL_WIDTH)
        .max(widest_value + 2.0 * CELL_PAD);
    let page_w = (2.0 * MARGIN + row_header_w + col_w * ncols as f64).max(WIDTH);

    let mut body = Svg::new();
    let mut y = header(&mut body, &matrix.title, matrix.subtitle.as_deref(), page_w);
    y = legend(&mut body, &legend_items(matrix), y + 4.0, &prefix, page_w);
    let headings: Vec<(Vec<String>, bool)> = matrix
        .columns
        .iter()
        .map(|c| wrap(&heading(c), col_w - 2.0 * CELL_PAD, FONT, HEADER_LINES))
        .collect();
    let lines = headings
        .iter()
        .map(|(l, _)| l.len())
        .max()
        .unwrap_or(1)
        .max(1);
    let head_top = y + 8.0;
    let grid = Grid {
        left: MARGIN + row_header_w,
        top: head_top + lines as f64 * HEADER_LINE_HEIGHT + 10.0,
        col_w,
        row_header_w,
    };
    column_headings(&mut body, &grid, matrix, &headings, head_top);
    for (i, row) in matrix.rows.iter().enumerate() {
        draw_row(&mut body, &grid, matrix, &prefix, (i, row));
    }
    let height = grid.y(matrix.rows.len()) + MARGIN;
    let mut defs = Svg::new();
    rag_patterns(&mut defs, Tone::Cell, &prefix);
    document(
        "kfq-rag-matrix",
        (page_w, height),
        &matrix.title,
        &describe(matrix),
        Some(defs),
        body,
    )
}

/// The column heading: name and, once, its unit.
fn heading(c: &Column) -> String {
    if c.scale.unit.is_empty() {
        c.name.clone()
    } else {
        format!("{}（{}）", c.name, c.scale.unit)
    }
}

/// The value printed in a cell, without its unit (that is in the heading).
fn cell_text(cell: &Cell, column: &Column) -> String {
    match cell.value {
        Some(v) => column.scale.format(v),
        None => "—".to_owned(),
    }
}

/// The four statuses, always all of them so printed bulletins read alike.
fn legend_items(_matrix: &Matrix) -> Vec<(Swatch, String)> {
    let mut items: Vec<(Swatch, String)> = [Rag::Red, Rag::Yellow, Rag::Green]
        .into_iter()
        .map(|r| (Swatch::Rag(Some(r), Tone::Cell), r.label().to_owned()))
        .collect();
    items.push((Swatch::Rag(None, Tone::Cell), "无数据".to_owned()));
    items
}

/// Headings bottom-aligned above their columns, so short names sit right on
/// top of the cells; a cut heading carries its full name as a tooltip.
fn column_headings(
    s: &mut Svg,
    grid: &Grid,
    matrix: &Matrix,
    headings: &[(Vec<String>, bool)],
    top: f64,
) {
    let max_lines = headings.iter().map(|(l, _)| l.len()).max().unwrap_or(1);
    s.open("g", &[("class", "column-headings")]);
    for (col, (lines, cut)) in headings.iter().enumerate() {
        let cx = grid.x(col) + grid.col_w / 2.0;
        let first = top + (max_lines - lines.len()) as f64 * HEADER_LINE_HEIGHT + FONT;
        let full = heading(&matrix.columns[col]);
        let font = num(FONT);
        s.open(
            "text",
            &[
                ("font-size", &font),
                ("font-weight", "bold"),
                ("fill", INK),
                ("text-anchor", "middle"),
                ("class", "column-heading"),
            ],
        );
        if *cut {
            s.title(&full);
        }
        for (k, line) in lines.iter().enumerate() {
            let (x, y) = (num(cx), num(first + k as f64 * HEADER_LINE_HEIGHT));
            s.open("tspan", &[("x", &x), ("y", &y)]);
            s.text(line);
            s.close("tspan");
        }
        s.close("text");
    }
    s.close("g");
}

fn draw_row(
    s: &mut Svg,
    grid: &Grid,
    matrix: &Matrix,
    prefix: &str,
    (i, row): (usize, &MatrixRow),
) {
    let y0 = grid.y(i);
    s.open("g", &[("class", "matrix-row")]);
    let (name, cut) = truncate(&row.name, grid.row_header_w - 2.0 * CELL_PAD, FONT);
    let href = safe_href(row.href.as_deref());
    if let Some(h) = href {
        s.open("a", &[("href", h)]);
    }
    s.text_at(
        grid.left - CELL_PAD,
        y0 + CELL_HEIGHT / 2.0 + 5.0,
        &name,
        cut.then_some(row.name.as_str()),
        &[
            ("font-size", "14"),
            ("fill", if href.is_some() { LINK } else { INK }),
            ("text-anchor", "end"),
            ("class", "row-heading"),
        ],
    );
    if href.is_some() {
        s.close("a");
    }
    let no_data = Cell::default();
    for (col, column) in matrix.columns.iter().enumerate() {
        let cell = row.cells.get(col).unwrap_or(&no_data);
        draw_cell(s, grid, prefix, (col, y0), cell, (&row.name, column));
    }
    s.close("g");
}

fn draw_cell(
    s: &mut Svg,
    grid: &Grid,
    prefix: &str,
    (col, y0): (usize, f64),
    cell: &Cell,
    (zone, column): (&str, &Column),
) {
    let rag = if cell.value.is_some() { cell.rag } else { None };
    let text = cell_text(cell, column);
    let class = format!("cell {}", rag_class(rag));
    let status = rag.map_or("无数据", Rag::label);
    let shown = cell
        .value
        .map(|v| column.scale.format_with_unit(v))
        .unwrap_or_else(|| "—".to_owned());
    let href = safe_href(cell.href.as_deref());
    if let Some(h) = href {
        s.open("a", &[("href", h)]);
    }
    s.open("g", &[("class", &class)]);
    s.title(&format!("{zone} · {}：{shown}（{status}）", column.name));
    let fill = rag_fill(rag, Tone::Cell, prefix);
    // The white stroke leaves a gutter between cells without extra shapes.
    s.rect(
        grid.x(col),
        y0,
        grid.col_w,
        CELL_HEIGHT,
        &[
            ("fill", &fill),
            ("stroke", "#ffffff"),
            ("stroke-width", "2"),
        ],
    );
    let mut attrs = vec![
        ("font-size", "14"),
        ("font-weight", "bold"),
        ("fill", if cell.value.is_some() { INK } else { MUTED }),
        ("text-anchor", "middle"),
        ("class", "value"),
    ];
    attrs.extend_from_slice(&halo(rag_background(rag, Tone::Cell)));
    s.text_at(
        grid.x(col) + grid.col_w / 2.0,
        y0 + CELL_HEIGHT / 2.0 + 5.0,
        &text,
        None,
        &attrs,
    );
    s.close("g");
    if href.is_some() {
        s.close("a");
    }
}

fn describe(matrix: &Matrix) -> String {
    let cells = || {
        matrix.rows.iter().flat_map(|r| {
            (0..matrix.columns.len()).map(move |c| r.cells.get(c).filter(|c| c.value.is_some()))
        })
    };
    let count = |rag: Option<Rag>| cells().filter(|c| c.and_then(|c| c.rag) == rag).count();
    format!(
        "状态矩阵：{} 个单位 × {} 项指标；红灯 {}，黄灯 {}，绿灯 {}，无数据或未评价 {}。",
        matrix.rows.len(),
        matrix.columns.len(),
        count(Some(Rag::Red)),
        count(Some(Rag::Yellow)),
        count(Some(Rag::Green)),
        count(None)
    )
}
