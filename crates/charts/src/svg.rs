//! A minimal SVG writer: appends elements to a string using presentation
//! attributes only (the site's CSP blocks `style=` and scripts), with
//! numbers rounded to a tenth of a unit to keep the output small and
//! byte-stable. Also owns the link filter and the per-chart id prefix.

use std::fmt::Write;

use crate::text::esc;

/// A coordinate rounded to one decimal, without a trailing ".0".
pub fn num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

pub struct Svg {
    pub out: String,
}

impl Default for Svg {
    fn default() -> Self {
        Self::new()
    }
}

impl Svg {
    pub fn new() -> Self {
        Svg {
            out: String::with_capacity(16 * 1024),
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

    /// `<title>`: tooltip and accessible name of the enclosing element.
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

    /// A one-line `<text>` at (`x`, baseline `y`). `tooltip`, when given,
    /// becomes a `<title>` child (the full text of a truncated label).
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

    /// Appends another writer's output (a body drawn before its frame's
    /// size was known).
    pub fn append(&mut self, other: Svg) {
        self.out.push_str(&other.out);
    }
}

/// Only relative links and http(s)/mailto survive: a `javascript:` or
/// `data:` URL in the data must not become a clickable link.
pub fn safe_href(href: Option<&str>) -> Option<&str> {
    let h = href?.trim();
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

/// A prefix for the `id`s of a chart's patterns, derived from its content
/// (FNV-1a of `seed`). Several charts inlined in one page then do not
/// capture each other's patterns, and the same chart always gets the same
/// ids, keeping the output deterministic; two identical charts share ids
/// whose definitions are identical, which is harmless.
pub fn id_prefix(kind: &str, seed: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in kind.bytes().chain(seed.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("kfq-{kind}-{:08x}", h >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_escaped() {
        let mut s = Svg::new();
        s.empty("a", &[("href", "/p?a=1&b=\"2\"")]);
        assert_eq!(s.out, "<a href=\"/p?a=1&amp;b=&quot;2&quot;\"/>");
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.04), "12");
        assert_eq!(num(12.06), "12.1");
        assert_eq!(num(-0.01), "0");
    }

    #[test]
    fn only_harmless_links_survive() {
        let cases = [
            ("/zones/3", Some("/zones/3")),
            ("https://a.cn/x?a=1&b=2", Some("https://a.cn/x?a=1&b=2")),
            ("javascript:alert(1)", None),
            (" JavaScript:alert(1)", None),
            ("data:text/html,x", None),
            ("?tab=2", Some("?tab=2")),
            ("", None),
        ];
        for (h, want) in cases {
            assert_eq!(safe_href(Some(h)), want, "{h}");
        }
    }

    #[test]
    fn id_prefixes_differ_by_content_and_repeat_for_equal_content() {
        assert_eq!(id_prefix("bar", "a"), id_prefix("bar", "a"));
        assert_ne!(id_prefix("bar", "a"), id_prefix("bar", "b"));
        assert!(id_prefix("matrix", "a").starts_with("kfq-matrix-"));
    }
}
