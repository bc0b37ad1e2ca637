//! One row: its label column (number, status, label, sublabel, overdue badge), bars and marks.

use crate::model::Row;
use kfq_charts::svg::{num, Svg};
use kfq_charts::text::{truncate, width};

use super::bars::{bars, marks};
use super::style::status_colour;
use super::texts::row_text;
use super::{
    Ctx, INK, LABEL_FONT, LABEL_X, LINK, MARGIN, MUTED, OVERDUE, PLOT_LEFT, PLOT_RIGHT, ROW_HEIGHT,
    SUBLABEL_FONT,
};

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

pub(super) fn draw_row(s: &mut Svg, ctx: &Ctx, row: &Row, index: usize, y0: f64) {
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
}
