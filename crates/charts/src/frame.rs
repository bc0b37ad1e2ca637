//! The parts every chart shares: the `<svg>` root with its `<title>` and
//! `<desc>`, the heading, the legend, and the "暂无数据" placeholder. The
//! charts' own modules draw only their plots.

use crate::model::Rag;
use crate::style::{
    marker, rag_fill, series_style, Tone, FONT, FONT_FAMILY, INK, MARGIN, MUTED, REFERENCE,
    TITLE_FONT, WIDTH,
};
use crate::svg::{num, Svg};
use crate::text::{truncate, width};

/// The finished document: root element, accessible title and description,
/// white background, optional `<defs>`, then the body.
pub(crate) fn document(
    class: &str,
    size: (f64, f64),
    title: &str,
    desc: &str,
    defs: Option<Svg>,
    body: Svg,
) -> String {
    let mut s = Svg::new();
    let view_box = format!("0 0 {} {}", num(size.0), num(size.1));
    let class = format!("kfq-chart {class}");
    s.open(
        "svg",
        &[
            ("xmlns", "http://www.w3.org/2000/svg"),
            ("width", "100%"),
            ("viewBox", &view_box),
            ("preserveAspectRatio", "xMidYMin meet"),
            ("font-family", FONT_FAMILY),
            ("class", &class),
        ],
    );
    s.title(title);
    s.open("desc", &[]);
    s.text(desc);
    s.close("desc");
    if let Some(defs) = defs {
        s.append(defs);
    }
    s.rect(0.0, 0.0, size.0, size.1, &[("fill", "#ffffff")]);
    s.append(body);
    s.close("svg");
    s.out
}

/// A small chart holding only the title and "暂无数据", for empty input.
pub(crate) fn empty_chart(class: &str, title: &str) -> String {
    let mut body = Svg::new();
    let y = header(&mut body, title, None, WIDTH);
    body.text_at(
        WIDTH / 2.0,
        y + 30.0,
        "暂无数据",
        None,
        &[
            ("font-size", &num(FONT)),
            ("fill", MUTED),
            ("text-anchor", "middle"),
            ("class", "no-data"),
        ],
    );
    let height = y + 50.0;
    document(class, (WIDTH, height), title, "暂无数据", None, body)
}

/// Title and optional subtitle at the top left; returns the y below them.
pub(crate) fn header(s: &mut Svg, title: &str, subtitle: Option<&str>, page_width: f64) -> f64 {
    let max_w = page_width - 2.0 * MARGIN;
    let (t, cut) = truncate(title, max_w, TITLE_FONT);
    s.text_at(
        MARGIN,
        32.0,
        &t,
        cut.then_some(title),
        &[
            ("font-size", &num(TITLE_FONT)),
            ("font-weight", "bold"),
            ("fill", INK),
            ("class", "chart-title"),
        ],
    );
    let Some(sub) = subtitle.filter(|s| !s.trim().is_empty()) else {
        return 44.0;
    };
    let (t, cut) = truncate(sub, max_w, FONT);
    s.text_at(
        MARGIN,
        56.0,
        &t,
        cut.then_some(sub),
        &[("font-size", &num(FONT)), ("fill", MUTED)],
    );
    66.0
}

/// What a legend entry shows before its label.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Swatch {
    /// The line, dash and marker of the series at this index.
    Series(usize),
    /// The dashed reference line.
    Reference,
    /// A status fill (with its pattern).
    Rag(Option<Rag>, Tone),
}

const SWATCH_W: f64 = 30.0;
const ITEM_GAP: f64 = 20.0;
const LEGEND_ROW: f64 = 24.0;

/// Legend entries left to right from the left margin, wrapping to further
/// rows when wider than the page; returns the y below the legend. Labels
/// are truncated at a third of the page so one long name cannot push the
/// rest off.
pub(crate) fn legend(
    s: &mut Svg,
    items: &[(Swatch, String)],
    top: f64,
    prefix: &str,
    page_width: f64,
) -> f64 {
    if items.is_empty() {
        return top;
    }
    let right = page_width - MARGIN;
    let (mut x, mut row) = (MARGIN, 0usize);
    s.open("g", &[("class", "legend")]);
    for (swatch, label) in items {
        let (label_text, cut) = truncate(label, page_width / 3.0, FONT);
        let item_w = SWATCH_W + 6.0 + width(&label_text, FONT);
        if x > MARGIN && x + item_w > right {
            x = MARGIN;
            row += 1;
        }
        let cy = top + 12.0 + row as f64 * LEGEND_ROW;
        draw_swatch(s, *swatch, x, cy, prefix);
        s.text_at(
            x + SWATCH_W + 6.0,
            cy + 5.0,
            &label_text,
            cut.then_some(label.as_str()),
            &[("font-size", &num(FONT)), ("fill", INK)],
        );
        x += item_w + ITEM_GAP;
    }
    s.close("g");
    top + (row + 1) as f64 * LEGEND_ROW
}

fn draw_swatch(s: &mut Svg, swatch: Swatch, x: f64, cy: f64, prefix: &str) {
    match swatch {
        Swatch::Series(i) => {
            let style = series_style(i);
            let mut attrs = vec![("stroke", style.colour), ("stroke-width", "2.5")];
            if let Some(d) = style.dash {
                attrs.push(("stroke-dasharray", d));
            }
            s.line(x, cy, x + SWATCH_W, cy, &attrs);
            marker(s, style, x + SWATCH_W / 2.0, cy, None);
        }
        Swatch::Reference => s.line(x, cy, x + SWATCH_W, cy, &reference_stroke()),
        Swatch::Rag(rag, tone) => {
            let fill = rag_fill(rag, tone, prefix);
            s.rect(
                x,
                cy - 8.0,
                SWATCH_W,
                16.0,
                &[
                    ("fill", &fill),
                    ("stroke", "#868e96"),
                    ("stroke-width", "0.5"),
                ],
            );
        }
    }
}

/// The stroke of a reference line (target, 序时进度): dark red and dashed,
/// so it reads as "not data" in colour and in black and white.
pub(crate) fn reference_stroke() -> [(&'static str, &'static str); 4] {
    [
        ("stroke", REFERENCE),
        ("stroke-width", "1.5"),
        ("stroke-dasharray", "6 3"),
        ("class", "reference-line"),
    ]
}

/// Attributes of a label drawn over lines: a white halo painted under the
/// glyphs keeps it legible where it crosses grid or data.
pub(crate) fn halo(halo_colour: &'static str) -> [(&'static str, &'static str); 4] {
    [
        ("stroke", halo_colour),
        ("stroke-width", "3"),
        ("stroke-linejoin", "round"),
        ("paint-order", "stroke"),
    ]
}
