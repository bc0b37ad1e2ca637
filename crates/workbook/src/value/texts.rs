//! Cells as plain text: trimmed, blank markers as nothing, names without line breaks.

use super::Cell;
use crate::text::{is_blank_marker, one_line};

/// Text as it stands, trimmed; numbers as shown ("1", not "1.0").
pub(crate) fn text(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Text(t) if is_blank_marker(t) => None,
        Cell::Empty => None,
        other => Some(other.display()),
    }
}

/// [`text`] on one line, without the copy in between.
pub(crate) fn text_line(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Text(t) if is_blank_marker(t) => None,
        Cell::Empty => None,
        other => Some(one_line(&other.display_str())),
    }
}

/// A name: line breaks inside the cell are layout, not content.
pub(crate) fn name(cell: &Cell) -> Option<String> {
    text(cell).map(|t| {
        // Already trimmed: a name of one line (most) stays as it is.
        if !t.contains('\n') {
            return t;
        }
        t.lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("")
            .trim()
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    #[test]
    fn names_lose_line_breaks() {
        assert_eq!(
            name(&t(" 年产100万吨\n公路护栏项目 ")),
            Some("年产100万吨公路护栏项目".into())
        );
        assert_eq!(name(&Cell::Number("1".into())), Some("1".into()));
        assert_eq!(name(&t("\u{3000}某项目\u{a0}")), Some("某项目".into()));
        assert_eq!(name(&t("某\r\n 项目\r")), Some("某项目".into()));
        assert_eq!(text(&t("—")), None);
    }
}
