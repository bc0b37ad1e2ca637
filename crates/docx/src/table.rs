//! A bulletin table as data (caption, unit, header rows, body, totals) and its
//! layout onto a grid of columns, including merged cells. Knows nothing of XML.

/// Horizontal alignment of a column's cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Center,
    /// For figures, so that decimals line up when all carry the same places.
    Right,
}

/// A column: how its cells are aligned and its width relative to the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub align: Align,
    /// Relative width; the table always spans the full text width.
    pub weight: u16,
}

impl Column {
    pub fn left(weight: u16) -> Self {
        Self {
            align: Align::Left,
            weight,
        }
    }
    pub fn center(weight: u16) -> Self {
        Self {
            align: Align::Center,
            weight,
        }
    }
    pub fn right(weight: u16) -> Self {
        Self {
            align: Align::Right,
            weight,
        }
    }
}

impl Default for Column {
    fn default() -> Self {
        Self::left(1)
    }
}

/// One cell as written: its text and how many grid columns and rows it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub col_span: u16,
    pub row_span: u16,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            col_span: 1,
            row_span: 1,
        }
    }

    /// Covers `cols` columns and `rows` rows (each at least 1). A row span never
    /// reaches past its own part of the table: header, body or totals.
    pub fn span(mut self, cols: u16, rows: u16) -> Self {
        self.col_span = cols.max(1);
        self.row_span = rows.max(1);
        self
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::new(text)
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::new(text)
    }
}

impl From<&String> for Cell {
    fn from(text: &String) -> Self {
        Cell::new(text.as_str())
    }
}

/// A table as bulletins print it: an optional caption (表1 …) and unit note
/// (单位：亿元), header rows repeated on every page, body rows, and a bold
/// totals row (合计).
///
/// ```
/// use kfq_docx::{Cell, Column, Table};
/// let table = Table::new([Column::center(1), Column::left(4), Column::right(2), Column::right(2)])
///     .caption("表1  重点项目投资完成情况")
///     .unit("单位：亿元")
///     .header_row([Cell::new("序号").span(1, 2), Cell::new("项目名称").span(1, 2), Cell::new("投资").span(2, 1)])
///     .header_row(["总投资", "本年完成"])
///     .row(["1", "年产10万吨再生铝项目", "18.60", "6.25"])
///     .totals([Cell::new("合计").span(2, 1), "18.60".into(), "6.25".into()]);
/// assert_eq!(table.column_count(), 4);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Centred above the table in 黑体 四号.
    pub caption: Option<String>,
    /// Right-aligned between caption and table.
    pub unit: Option<String>,
    pub columns: Vec<Column>,
    /// Bold, centred, repeated at the top of every page the table runs onto.
    pub header: Vec<Vec<Cell>>,
    pub rows: Vec<Vec<Cell>>,
    /// Bold, aligned like the body.
    pub totals: Option<Vec<Cell>>,
}

impl Table {
    pub fn new(columns: impl IntoIterator<Item = Column>) -> Self {
        Self {
            columns: columns.into_iter().collect(),
            ..Self::default()
        }
    }

    pub fn caption(mut self, caption: impl Into<String>) -> Self {
        self.caption = Some(caption.into());
        self
    }

    pub fn unit(mut self, unit: impl Into<String>) -> Self {
        self.unit = Some(unit.into());
        self
    }

    pub fn header_row<C: Into<Cell>>(mut self, cells: impl IntoIterator<Item = C>) -> Self {
        self.header
            .push(cells.into_iter().map(Into::into).collect());
        self
    }

    pub fn row<C: Into<Cell>>(mut self, cells: impl IntoIterator<Item = C>) -> Self {
        self.rows.push(cells.into_iter().map(Into::into).collect());
        self
    }

    pub fn totals<C: Into<Cell>>(mut self, cells: impl IntoIterator<Item = C>) -> Self {
        self.totals = Some(cells.into_iter().map(Into::into).collect());
        self
    }

    /// Grid columns: the declared ones, widened to the widest row so that no
    /// cell is ever dropped; extra columns are left-aligned with weight 1.
    pub fn column_count(&self) -> usize {
        let widest = self
            .header
            .iter()
            .chain(&self.rows)
            .chain(&self.totals)
            .map(|row| row.iter().map(|c| usize::from(c.col_span)).sum::<usize>())
            .max()
            .unwrap_or(0);
        self.columns.len().max(widest)
    }

    pub(crate) fn column(&self, index: usize) -> Column {
        self.columns.get(index).copied().unwrap_or_default()
    }

    pub(crate) fn has_rows(&self) -> bool {
        self.header
            .iter()
            .chain(&self.rows)
            .chain(&self.totals)
            .any(|r| !r.is_empty())
    }
}

/// A cell placed on the grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Placed<'a> {
    /// Starts here; `merges_down` when rows below continue it.
    Start {
        cell: &'a Cell,
        column: usize,
        col_span: usize,
        merges_down: bool,
    },
    /// Continues a vertically merged cell from the row above.
    Continue { column: usize, col_span: usize },
    /// Fills a gap the row left at its end.
    Empty { column: usize },
}

/// Places the rows of one part of a table onto `columns` grid columns, the way
/// HTML lays out rowspan/colspan: each cell takes the next column not still
/// covered by a cell from above. Spans are cut at the grid's edges.
pub(crate) fn layout(rows: &[Vec<Cell>], columns: usize) -> Vec<Vec<Placed<'_>>> {
    // Per column: rows still covered from above, and the covering cell's start/width.
    let mut covered: Vec<(usize, usize, usize)> = vec![(0, 0, 0); columns];
    let mut placed_rows = Vec::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        let rows_left = rows.len() - index;
        let mut placed = Vec::new();
        let mut cells = row.iter();
        let mut column = 0;
        while column < columns {
            let (remaining, start, width) = covered[column];
            if remaining > 0 && start == column {
                placed.push(Placed::Continue {
                    column,
                    col_span: width,
                });
                for slot in &mut covered[column..column + width] {
                    slot.0 -= 1;
                }
                column += width;
                continue;
            }
            if remaining > 0 {
                // Covered by a wider cell starting further left; skip past it.
                column += 1;
                continue;
            }
            let Some(cell) = cells.next() else {
                placed.push(Placed::Empty { column });
                column += 1;
                continue;
            };
            let free = (column..columns).take_while(|&c| covered[c].0 == 0).count();
            let col_span = usize::from(cell.col_span).clamp(1, free);
            let row_span = usize::from(cell.row_span).clamp(1, rows_left);
            if row_span > 1 {
                for slot in &mut covered[column..column + col_span] {
                    *slot = (row_span - 1, column, col_span);
                }
            }
            placed.push(Placed::Start {
                cell,
                column,
                col_span,
                merges_down: row_span > 1,
            });
            column += col_span;
        }
        placed_rows.push(placed);
    }
    placed_rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(rows: &[Vec<Cell>], columns: usize) -> Vec<Vec<String>> {
        layout(rows, columns)
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|p| match p {
                        Placed::Start {
                            cell,
                            col_span,
                            merges_down,
                            ..
                        } => {
                            format!(
                                "{}{}{}",
                                cell.text,
                                "+".repeat(col_span - 1),
                                if merges_down { "v" } else { "" }
                            )
                        }
                        Placed::Continue { col_span, .. } => {
                            format!("^{}", "+".repeat(col_span - 1))
                        }
                        Placed::Empty { .. } => "_".into(),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn two_row_header_merges_across_and_down() {
        let header = vec![
            vec![
                Cell::new("序号").span(1, 2),
                Cell::new("名称").span(1, 2),
                Cell::new("投资").span(2, 1),
            ],
            vec![Cell::new("总"), Cell::new("年")],
        ];
        assert_eq!(
            shape(&header, 4),
            vec![vec!["序号v", "名称v", "投资+"], vec!["^", "^", "总", "年"]]
        );
    }

    #[test]
    fn wide_cell_merged_down_is_continued_once() {
        let rows = vec![
            vec![Cell::new("a").span(2, 2), Cell::new("b")],
            vec![Cell::new("c")],
        ];
        assert_eq!(shape(&rows, 3), vec![vec!["a+v", "b"], vec!["^+", "c"]]);
    }

    #[test]
    fn short_rows_are_filled_and_spans_cut_at_the_edges() {
        let rows = vec![vec![Cell::new("a")], vec![Cell::new("b").span(5, 9)]];
        assert_eq!(shape(&rows, 2), vec![vec!["a", "_"], vec!["b+"]]);
    }

    #[test]
    fn columns_widen_to_the_widest_row() {
        let table = Table::new([Column::left(1)]).row(["a", "b", "c"]);
        assert_eq!(table.column_count(), 3);
        assert_eq!(table.column(2), Column::default());
        assert!(!Table::default().has_rows());
    }
}
