//! The row being read as the sheet shows it, keeping only the merged regions still open.

use calamine::Dimensions;

use super::{EMPTY, MAX_COLUMNS};
use crate::value::Cell;

/// A merged region, cut to [`MAX_COLUMNS`].
#[derive(Clone, Copy)]
struct Region {
    top: usize,
    left: usize,
    bottom: usize,
    right: usize,
}

/// A region the current row lies in, with its top-left value as it was
/// when that row went past.
struct OpenRegion {
    region: Region,
    value: Cell,
}

/// The row being read, as the sheet shows it. Instead of the whole sheet it
/// keeps only the regions still open — a zone merged down over forty rows
/// keeps its name here until the region ends — so memory does not grow with
/// the sheet's length. Rows must be given in order, each one.
pub(crate) struct RowWindow {
    row: usize,
    cells: Vec<Cell>,
    min_width: usize,
    /// Regions not yet reached, the next one last.
    ahead: Vec<Region>,
    open: Vec<OpenRegion>,
}

impl RowWindow {
    /// `min_width` is the width of the header: rows narrower than the header
    /// are still looked at across it.
    pub(crate) fn new(merges: &[Dimensions], min_width: usize) -> RowWindow {
        let mut ahead: Vec<Region> = merges
            .iter()
            .map(|m| Region {
                top: m.start.0 as usize,
                left: m.start.1 as usize,
                bottom: m.end.0 as usize,
                right: (m.end.1 as usize).min(MAX_COLUMNS - 1),
            })
            .filter(|r| r.bottom >= r.top && r.right >= r.left)
            .collect();
        ahead.sort_by_key(|r| std::cmp::Reverse((r.top, r.left)));
        RowWindow {
            row: 0,
            cells: Vec::new(),
            min_width,
            ahead,
            open: Vec::new(),
        }
    }

    /// Moves to `row` (0-based), whose own cells are `cells`.
    pub(crate) fn advance(&mut self, row: usize, cells: Vec<Cell>) {
        self.open.retain(|o| o.region.bottom >= row);
        while let Some(region) = self.ahead.last().copied() {
            if region.top > row {
                break;
            }
            self.ahead.pop();
            if region.bottom < row {
                continue;
            }
            // A region whose top row was not seen shows nothing.
            let value = match region.top == row {
                true => cells.get(region.left).cloned().unwrap_or(Cell::Empty),
                false => Cell::Empty,
            };
            self.open.push(OpenRegion { region, value });
        }
        self.row = row;
        self.cells = cells;
    }

    pub(crate) fn row(&self) -> usize {
        self.row
    }

    /// How many columns to look at in this row.
    pub(crate) fn width(&self) -> usize {
        let merged = self.open.iter().map(|o| o.region.right + 1).max();
        self.min_width
            .max(self.cells.len())
            .max(merged.unwrap_or(0))
    }

    /// The cell itself (empty when covered by a merge).
    pub(crate) fn own(&self, col: usize) -> &Cell {
        self.cells.get(col).unwrap_or(&EMPTY)
    }

    fn covering(&self, col: usize) -> Option<&OpenRegion> {
        self.open.iter().find(|o| {
            let r = o.region;
            r.left <= col && col <= r.right && (r.top, r.left) != (self.row, col)
        })
    }

    /// The top-left cell (row, column) of the merged region covering `col`,
    /// if it is covered and not the top-left cell itself.
    pub(crate) fn origin(&self, col: usize) -> Option<(usize, usize)> {
        self.covering(col).map(|o| (o.region.top, o.region.left))
    }

    /// The cell as it looks: a covered cell shows its region's value.
    pub(crate) fn shown(&self, col: usize) -> &Cell {
        match self.covering(col) {
            Some(o) => &o.value,
            None => self.own(col),
        }
    }

    /// How many columns the merged region starting at `col` in this row spans.
    pub(crate) fn merge_width(&self, col: usize) -> usize {
        self.open
            .iter()
            .find(|o| (o.region.top, o.region.left) == (self.row, col))
            .map_or(1, |o| o.region.right - col + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_keeps_only_open_merges() {
        let text = |t: &str| Cell::Text(t.to_string());
        // B2:B4 a zone merged down, A5:C5 a total merged across.
        let merges = [
            Dimensions::new((1, 1), (3, 1)),
            Dimensions::new((4, 0), (4, 2)),
        ];
        let mut window = RowWindow::new(&merges, 2);
        window.advance(0, vec![text("序号"), text("开发区")]);
        window.advance(1, vec![text("1"), text("甲开发区")]);
        assert_eq!((window.origin(1), window.merge_width(1)), (None, 1));
        window.advance(2, vec![text("2")]);
        assert_eq!(window.origin(1), Some((1, 1)));
        assert_eq!(window.shown(1), &text("甲开发区"));
        assert_eq!(window.own(1), &Cell::Empty);
        window.advance(3, vec![text("3")]);
        assert_eq!(window.shown(1), &text("甲开发区"));
        window.advance(4, vec![text("合计")]);
        assert_eq!(window.merge_width(0), 3);
        assert_eq!(window.origin(2), Some((4, 0)));
        assert_eq!(window.shown(2), &text("合计"));
        assert_eq!(window.width(), 3);
        window.advance(5, vec![]);
        assert_eq!((window.origin(1), window.shown(2)), (None, &Cell::Empty));
        assert!(window.open.is_empty());
    }
}
