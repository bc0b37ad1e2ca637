//! Sparklines: a tiny trend for an indicator card, without axes or text.
//! Sized in CSS pixels (it sits in a line of text, not across a page); the
//! latest point is marked, months without data are gaps, and a dashed zero
//! line appears when the values change sign.

use std::fmt::Write;

use crate::model::Spark;
use crate::style::{FONT_FAMILY, MUTED};
use crate::svg::{num, Svg};

const COLOUR: &str = "#1c5fb8";
const PAD: f64 = 3.0;
/// Screen text below 12 px (9 pt) is hard to read; the placeholder keeps it.
const EMPTY_FONT: f64 = 12.0;

/// A sparkline of `values` (any scale: only their shape is drawn), oldest
/// first. With no value at all it shows "暂无数据".
pub fn sparkline(values: &[Option<i64>], spark: &Spark) -> String {
    let (w, h) = (
        f64::from(spark.width.max(8)),
        f64::from(spark.height.max(8)),
    );
    let mut s = Svg::new();
    let view_box = format!("0 0 {} {}", num(w), num(h));
    let (wa, ha) = (num(w), num(h));
    s.open(
        "svg",
        &[
            ("xmlns", "http://www.w3.org/2000/svg"),
            ("width", &wa),
            ("height", &ha),
            ("viewBox", &view_box),
            ("role", "img"),
            ("font-family", FONT_FAMILY),
            ("class", "kfq-chart kfq-sparkline"),
        ],
    );
    s.title(&spark.title);
    let present = || values.iter().flatten().copied();
    match (present().min(), present().max()) {
        (Some(lo), Some(hi)) => draw(&mut s, values, (lo, hi), (w, h)),
        _ => s.text_at(
            w / 2.0,
            h / 2.0 + EMPTY_FONT * 0.35,
            "暂无数据",
            None,
            &[
                ("font-size", &num(EMPTY_FONT)),
                ("fill", MUTED),
                ("text-anchor", "middle"),
                ("class", "no-data"),
            ],
        ),
    }
    s.close("svg");
    s.out
}

fn draw(s: &mut Svg, values: &[Option<i64>], (lo, hi): (i64, i64), (w, h): (f64, f64)) {
    let n = values.len();
    let x = |i: usize| {
        if n == 1 {
            w / 2.0
        } else {
            PAD + i as f64 * (w - 2.0 * PAD) / (n - 1) as f64
        }
    };
    // A flat series is drawn across the middle rather than along an edge.
    let span = (hi as f64 - lo as f64).max(0.0);
    let y = |v: i64| {
        if span == 0.0 {
            h / 2.0
        } else {
            h - PAD - (v as f64 - lo as f64) / span * (h - 2.0 * PAD)
        }
    };
    if lo < 0 && hi > 0 {
        s.line(
            PAD,
            y(0),
            w - PAD,
            y(0),
            &[
                ("stroke", "#adb5bd"),
                ("stroke-width", "1"),
                ("stroke-dasharray", "2 2"),
                ("class", "zero"),
            ],
        );
    }
    let mut d = String::new();
    let mut joined = false;
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => {
                let _ = write!(
                    d,
                    "{}{},{}",
                    if joined { 'L' } else { 'M' },
                    num(x(i)),
                    num(y(*v))
                );
                joined = true;
            }
            None => joined = false,
        }
    }
    s.empty(
        "path",
        &[
            ("d", &d),
            ("fill", "none"),
            ("stroke", COLOUR),
            ("stroke-width", "1.5"),
            ("stroke-linejoin", "round"),
            ("stroke-linecap", "round"),
            ("class", "line"),
        ],
    );
    if let Some((i, v)) = values
        .iter()
        .enumerate()
        .rev()
        .find_map(|(i, v)| v.map(|v| (i, v)))
    {
        let (cx, cy) = (num(x(i)), num(y(v)));
        s.empty(
            "circle",
            &[
                ("cx", &cx),
                ("cy", &cy),
                ("r", "2.5"),
                ("fill", COLOUR),
                ("class", "latest"),
            ],
        );
    }
}
