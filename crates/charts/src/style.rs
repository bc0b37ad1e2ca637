//! The look shared by all charts: page width and print sizing, fonts,
//! colours, the per-series line styles and the traffic-light fills with
//! their print patterns. Nothing here draws a chart; it only decides how
//! things look so every chart agrees.
//!
//! Print sizing: the viewBox is [`WIDTH`] units wide and the SVG scales to
//! its container (`width="100%"`). A bulletin column on A4 portrait is at
//! least about 170 mm wide, so one unit prints at >= 0.236 mm and the
//! smallest text, [`MIN_FONT`] units, at >= 9 pt. On A3 it only gets larger.

use crate::model::Rag;
use crate::svg::Svg;

/// Width of every chart's viewBox (sparklines excepted).
pub const WIDTH: f64 = 720.0;
/// The smallest font size used, in viewBox units.
pub const MIN_FONT: f64 = 14.0;
/// The narrowest printed width the sizing is designed for, in millimetres.
pub const PRINT_WIDTH_MM: f64 = 170.0;

// 9 pt is 3.175 mm.
const _: () = assert!(MIN_FONT * PRINT_WIDTH_MM / WIDTH >= 3.175);

pub(crate) const MARGIN: f64 = 20.0;
pub(crate) const TITLE_FONT: f64 = 18.0;
pub(crate) const FONT: f64 = MIN_FONT;

pub(crate) const FONT_FAMILY: &str = "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif";

pub(crate) const INK: &str = "#1f2933";
pub(crate) const MUTED: &str = "#52606d";
pub(crate) const LINK: &str = "#1b4f9c";
pub(crate) const GRID: &str = "#dde2e8";
pub(crate) const AXIS: &str = "#7b8794";
pub(crate) const REFERENCE: &str = "#c92a2a";
pub(crate) const PLAIN_BAR: &str = "#3b6fb6";

/// How one series of a line chart is drawn. Colour alone does not survive a
/// black-and-white printer, so each style also differs in dash pattern and
/// marker shape.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SeriesStyle {
    pub colour: &'static str,
    /// `stroke-dasharray`, `None` for solid.
    pub dash: Option<&'static str>,
    pub marker: Marker,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
}

const SERIES: [SeriesStyle; 4] = [
    SeriesStyle {
        colour: "#1c5fb8",
        dash: None,
        marker: Marker::Circle,
    },
    SeriesStyle {
        colour: "#d9480f",
        dash: Some("8 4"),
        marker: Marker::Square,
    },
    SeriesStyle {
        colour: "#2b8a3e",
        dash: Some("2 3"),
        marker: Marker::Triangle,
    },
    SeriesStyle {
        colour: "#7048e8",
        dash: Some("10 3 2 3"),
        marker: Marker::Diamond,
    },
];

/// The style of the `i`-th series; the first is solid, so "本年" (or the
/// actual value) should come first and comparisons after it.
pub(crate) fn series_style(i: usize) -> SeriesStyle {
    SERIES[i % SERIES.len()]
}

/// Draws a series marker centred on (`x`, `y`), with an optional tooltip.
pub(crate) fn marker(s: &mut Svg, style: SeriesStyle, x: f64, y: f64, title: Option<&str>) {
    use crate::svg::num;
    let paint = [
        ("fill", style.colour),
        ("stroke", "#ffffff"),
        ("stroke-width", "1"),
        ("class", "point"),
    ];
    let (name, geometry): (&str, Vec<(&str, String)>) = match style.marker {
        Marker::Circle => (
            "circle",
            vec![("cx", num(x)), ("cy", num(y)), ("r", "4".into())],
        ),
        Marker::Square => (
            "rect",
            vec![
                ("x", num(x - 3.5)),
                ("y", num(y - 3.5)),
                ("width", "7".into()),
                ("height", "7".into()),
            ],
        ),
        Marker::Triangle => (
            "polygon",
            vec![(
                "points",
                format!(
                    "{},{} {},{} {},{}",
                    num(x),
                    num(y - 5.0),
                    num(x + 4.5),
                    num(y + 3.5),
                    num(x - 4.5),
                    num(y + 3.5)
                ),
            )],
        ),
        Marker::Diamond => (
            "polygon",
            vec![(
                "points",
                format!(
                    "{},{} {},{} {},{} {},{}",
                    num(x),
                    num(y - 5.0),
                    num(x + 5.0),
                    num(y),
                    num(x),
                    num(y + 5.0),
                    num(x - 5.0),
                    num(y)
                ),
            )],
        ),
    };
    let mut attrs: Vec<(&str, &str)> = geometry.iter().map(|(k, v)| (*k, v.as_str())).collect();
    attrs.extend_from_slice(&paint);
    match title {
        Some(t) => {
            s.open(name, &attrs);
            s.title(t);
            s.close(name);
        }
        None => s.empty(name, &attrs),
    }
}

/// Where a traffic-light fill is used: saturated on bars (text sits beside
/// them), pale in matrix cells (text sits on them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    Bar,
    Cell,
}

/// Colours of one status: background, and the ink of its pattern.
fn rag_colours(rag: Option<Rag>, tone: Tone) -> (&'static str, &'static str) {
    match (rag, tone) {
        (Some(Rag::Red), Tone::Bar) => ("#d9381e", "#ffffff"),
        (Some(Rag::Yellow), Tone::Bar) => ("#f0b400", "#5c4400"),
        (Some(Rag::Green), Tone::Bar) => ("#2f9e44", "#2f9e44"),
        (None, Tone::Bar) => ("#adb5bd", "#adb5bd"),
        (Some(Rag::Red), Tone::Cell) => ("#ffd4cf", "#e03131"),
        (Some(Rag::Yellow), Tone::Cell) => ("#fff0b3", "#b08800"),
        (Some(Rag::Green), Tone::Cell) => ("#c9f0d1", "#c9f0d1"),
        (None, Tone::Cell) => ("#e9ecef", "#e9ecef"),
    }
}

/// The solid colour of a status's bar (interactive charts have no patterns).
pub(crate) fn rag_bar_colour(rag: Rag) -> &'static str {
    rag_colours(Some(rag), Tone::Bar).0
}

/// The class naming a status, for print CSS and tests.
pub(crate) fn rag_class(rag: Option<Rag>) -> &'static str {
    match rag {
        Some(Rag::Red) => "rag-red",
        Some(Rag::Yellow) => "rag-yellow",
        Some(Rag::Green) => "rag-green",
        None => "rag-none",
    }
}

/// The `fill` of a status: red is hatched and yellow dotted so the three
/// stay apart in black and white; green and grey are plain.
pub(crate) fn rag_fill(rag: Option<Rag>, tone: Tone, prefix: &str) -> String {
    match rag {
        Some(Rag::Red) => format!("url(#{prefix}-red)"),
        Some(Rag::Yellow) => format!("url(#{prefix}-yellow)"),
        _ => rag_colours(rag, tone).0.to_owned(),
    }
}

/// The plain colour of a status (for halos behind text on a cell).
pub(crate) fn rag_background(rag: Option<Rag>, tone: Tone) -> &'static str {
    rag_colours(rag, tone).0
}

/// `<defs>` with the red hatch and the yellow dots, ids under `prefix`.
pub(crate) fn rag_patterns(s: &mut Svg, tone: Tone, prefix: &str) {
    let (red_bg, red_ink) = rag_colours(Some(Rag::Red), tone);
    let (yellow_bg, yellow_ink) = rag_colours(Some(Rag::Yellow), tone);
    let (red_id, yellow_id) = (format!("{prefix}-red"), format!("{prefix}-yellow"));
    let tile = [
        ("patternUnits", "userSpaceOnUse"),
        ("width", "6"),
        ("height", "6"),
    ];
    s.open("defs", &[]);
    let mut attrs = vec![("id", red_id.as_str())];
    attrs.extend_from_slice(&tile);
    attrs.push(("patternTransform", "rotate(45)"));
    s.open("pattern", &attrs);
    s.rect(0.0, 0.0, 6.0, 6.0, &[("fill", red_bg)]);
    s.line(
        1.0,
        0.0,
        1.0,
        6.0,
        &[("stroke", red_ink), ("stroke-width", "1.5")],
    );
    s.close("pattern");
    let mut attrs = vec![("id", yellow_id.as_str())];
    attrs.extend_from_slice(&tile);
    s.open("pattern", &attrs);
    s.rect(0.0, 0.0, 6.0, 6.0, &[("fill", yellow_bg)]);
    s.empty(
        "circle",
        &[("cx", "3"), ("cy", "3"), ("r", "1.2"), ("fill", yellow_ink)],
    );
    s.close("pattern");
    s.close("defs");
}
