//! A minimal SVG writer: appends elements to a string with presentation
//! attributes only (the site's CSP blocks `style=` and scripts), numbers
//! rounded to a tenth of a unit to keep the output small.

use std::fmt::Write;

use crate::text::esc;

/// A coordinate rounded to one decimal, without a trailing ".0".
pub(crate) fn num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

pub(crate) struct Svg {
    pub out: String,
}

impl Svg {
    pub fn new() -> Self {
        Svg {
            out: String::with_capacity(64 * 1024),
        }
    }

    /// Opens `<name attr="value" ...>`; values are escaped.
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.tag(name, attrs);
        self.out.push('>');
    }

    /// Writes `<name attr="value" .../>`.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.tag(name, attrs);
        self.out.push_str("/>");
    }

    pub fn close(&mut self, name: &str) {
        let _ = write!(self.out, "</{name}>");
    }

    fn tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        let _ = write!(self.out, "<{name}");
        for (k, v) in attrs {
            let _ = write!(self.out, " {k}=\"{}\"", esc(v));
        }
    }

    /// Escaped character data.
    pub fn text(&mut self, s: &str) {
        self.out.push_str(&esc(s));
    }

    /// `<title>` tooltip (and accessible name) for the enclosing element.
    pub fn title(&mut self, s: &str) {
        self.out.push_str("<title>");
        self.text(s);
        self.out.push_str("</title>");
    }

    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, extra: &[(&str, &str)]) {
        let (x, y, w, h) = (num(x), num(y), num(w.max(0.0)), num(h.max(0.0)));
        let mut attrs: Vec<(&str, &str)> =
            vec![("x", &x), ("y", &y), ("width", &w), ("height", &h)];
        attrs.extend_from_slice(extra);
        self.empty("rect", &attrs);
    }

    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, extra: &[(&str, &str)]) {
        let (a, b, c, d) = (num(x1), num(y1), num(x2), num(y2));
        let mut attrs: Vec<(&str, &str)> = vec![("x1", &a), ("y1", &b), ("x2", &c), ("y2", &d)];
        attrs.extend_from_slice(extra);
        self.empty("line", &attrs);
    }

    /// A diamond centred on (`cx`, `cy`) with half-diagonal `h`.
    pub fn diamond(&mut self, cx: f64, cy: f64, h: f64, extra: &[(&str, &str)]) {
        let points = format!(
            "{},{} {},{} {},{} {},{}",
            num(cx),
            num(cy - h),
            num(cx + h),
            num(cy),
            num(cx),
            num(cy + h),
            num(cx - h),
            num(cy)
        );
        let mut attrs: Vec<(&str, &str)> = vec![("points", &points)];
        attrs.extend_from_slice(extra);
        self.empty("polygon", &attrs);
    }

    /// A one-line `<text>` at (`x`, baseline `y`). `tooltip`, when given,
    /// becomes a `<title>` child (used for the full text of a truncated label).
    pub fn text_at(
        &mut self,
        x: f64,
        y: f64,
        s: &str,
        tooltip: Option<&str>,
        extra: &[(&str, &str)],
    ) {
        let (x, y) = (num(x), num(y));
        let mut attrs: Vec<(&str, &str)> = vec![("x", &x), ("y", &y)];
        attrs.extend_from_slice(extra);
        self.open("text", &attrs);
        if let Some(t) = tooltip {
            self.title(t);
        }
        self.text(s);
        self.close("text");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.04), "12");
        assert_eq!(num(12.06), "12.1");
        assert_eq!(num(-0.01), "0");
        assert_eq!(num(-3.25), "-3.3");
    }

    #[test]
    fn attributes_are_escaped() {
        let mut s = Svg::new();
        s.empty("a", &[("href", "/p?a=1&b=\"2\"")]);
        assert_eq!(s.out, "<a href=\"/p?a=1&amp;b=&quot;2&quot;\"/>");
    }
}
