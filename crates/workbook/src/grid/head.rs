//! The top rows of a sheet held as cells, with the merged regions that touch them.

use std::collections::HashMap;

use calamine::Dimensions;

use super::{EMPTY, MAX_COLUMNS};
use crate::value::Cell;

/// The top rows of a sheet held as cells, with the merged regions that touch
/// them: where the title, unit note and header are looked for.
pub(crate) struct Grid {
    pub name: String,
    pub hidden: bool,
    pub rows: Vec<Vec<Cell>>,
    width: usize,
    /// Covered cell → the top-left cell of its merged region.
    covered: HashMap<(usize, usize), (usize, usize)>,
    /// Top-left cell → the region's last row and column.
    regions: HashMap<(usize, usize), (usize, usize)>,
}

impl Grid {
    pub(crate) fn new(name: String, rows: Vec<Vec<Cell>>) -> Grid {
        Grid {
            name,
            hidden: false,
            width: rows.iter().map(Vec::len).max().unwrap_or(0),
            rows,
            covered: HashMap::new(),
            regions: HashMap::new(),
        }
    }

    pub(crate) fn height(&self) -> usize {
        self.rows.len()
    }

    pub(crate) fn width(&self) -> usize {
        self.width
    }

    /// The cell itself (empty when covered by a merge).
    pub(crate) fn own(&self, row: usize, col: usize) -> &Cell {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&EMPTY)
    }

    /// The top-left cell of the merged region covering (row, col), if it is
    /// covered and not the top-left cell itself.
    pub(crate) fn origin(&self, row: usize, col: usize) -> Option<(usize, usize)> {
        self.covered.get(&(row, col)).copied()
    }

    /// The cell as it looks: a covered cell shows its region's value.
    pub(crate) fn shown(&self, row: usize, col: usize) -> &Cell {
        match self.origin(row, col) {
            Some((r, c)) => self.own(r, c),
            None => self.own(row, col),
        }
    }

    /// How many columns the merged region starting at (row, col) spans.
    pub(crate) fn merge_width(&self, row: usize, col: usize) -> usize {
        self.regions
            .get(&(row, col))
            .map_or(1, |(_, last_col)| last_col - col + 1)
    }

    /// Records the merged regions, cut to the rows held: regions further
    /// down are the [`RowWindow`]'s business.
    pub(crate) fn add_merges(&mut self, merges: &[Dimensions]) {
        let Some(last_row) = self.height().checked_sub(1) else {
            return;
        };
        for m in merges {
            let (r0, c0) = (m.start.0 as usize, m.start.1 as usize);
            let (r1, c1) = (
                (m.end.0 as usize).min(last_row),
                (m.end.1 as usize).min(MAX_COLUMNS),
            );
            if r1 < r0 || c1 < c0 {
                continue;
            }
            self.regions.insert((r0, c0), (r1, c1));
            for r in r0..=r1 {
                for c in c0..=c1 {
                    if (r, c) != (r0, c0) {
                        self.covered.insert((r, c), (r0, c0));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_cover_cells() {
        let mut grid = Grid::new(
            "S".into(),
            vec![
                vec![Cell::Text("开发区".into()), Cell::Text("x".into())],
                vec![],
            ],
        );
        grid.add_merges(&[Dimensions::new((0, 0), (1, 0))]);
        assert_eq!(grid.origin(1, 0), Some((0, 0)));
        assert_eq!(grid.shown(1, 0), &Cell::Text("开发区".into()));
        assert_eq!(grid.own(1, 0), &Cell::Empty);
        assert_eq!(grid.origin(0, 0), None);
        assert_eq!(grid.merge_width(0, 0), 1);
    }
}
