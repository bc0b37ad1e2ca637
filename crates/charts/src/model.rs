//! The charts' input: exact values with their [`Scale`], the traffic light
//! [`Rag`], and one plain struct per chart. Values are integers counted in
//! 10^-decimals of the unit, so callers never convert to floating point;
//! only the renderers do, for coordinates.

use serde::{Deserialize, Serialize};

use crate::number::{fixed, MAX_DECIMALS};

/// How to read and print the integers of a chart: `value` means
/// `value × 10^-decimals` `unit`, printed with `shown` decimals.
///
/// ```
/// use kfq_charts::Scale;
/// // Percentages travel as tenths of a point: 57.3% is 573.
/// assert_eq!(Scale::new(1, "%").format_with_unit(573), "57.3%");
/// // Figures in ten-thousandths of 亿元, printed with two decimals.
/// assert_eq!(Scale::new(4, "亿元").shown(2).format_with_unit(186_049), "18.60亿元");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scale {
    pub decimals: u32,
    pub shown: u32,
    /// Appended to printed values without a space ("57.3%", "18.6亿元");
    /// may be empty.
    pub unit: String,
}

impl Scale {
    /// Values in 10^-`decimals` of `unit`, printed with as many decimals.
    pub fn new(decimals: u32, unit: impl Into<String>) -> Self {
        Scale {
            decimals,
            shown: decimals,
            unit: unit.into(),
        }
    }

    /// The same scale printed with `shown` decimals (rounded half away from zero).
    pub fn shown(mut self, shown: u32) -> Self {
        self.shown = shown;
        self
    }

    /// The number alone: "57.3".
    pub fn format(&self, value: i64) -> String {
        fixed(value, self.decimals, self.shown)
    }

    /// The number and its unit: "57.3%".
    pub fn format_with_unit(&self, value: i64) -> String {
        format!("{}{}", self.format(value), self.unit)
    }

    /// The smallest tick step worth drawing: one unit of the last printed
    /// decimal, so tick labels are never more precise than the values.
    pub(crate) fn min_step(&self) -> i64 {
        let extra = self.decimals.min(MAX_DECIMALS).saturating_sub(self.shown);
        10i64.saturating_pow(extra.min(18))
    }

    /// A tick label: as many decimals as the step needs, no more, so an
    /// axis in tenths with a step of 5.0 reads "-5, 0, 5, 10".
    pub(crate) fn tick_label(&self, value: i64, step: i64) -> String {
        let mut zeros = 0;
        let mut s = step.max(1);
        while s % 10 == 0 {
            s /= 10;
            zeros += 1;
        }
        fixed(value, self.decimals, self.decimals.saturating_sub(zeros))
    }
}

impl Default for Scale {
    /// Whole numbers without a unit.
    fn default() -> Self {
        Scale::new(0, "")
    }
}

/// Traffic-light status of a zone or indicator (红/黄/绿灯).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Rag {
    Red,
    Yellow,
    Green,
}

impl Rag {
    /// The word used on printed bulletins.
    pub fn label(self) -> &'static str {
        match self {
            Rag::Red => "红灯",
            Rag::Yellow => "黄灯",
            Rag::Green => "绿灯",
        }
    }
}

/// A labelled constant drawn across the plot: a target (目标) on a trend,
/// 序时进度 on a ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub label: String,
    pub value: i64,
}

impl Reference {
    pub fn new(label: impl Into<String>, value: i64) -> Self {
        Reference {
            label: label.into(),
            value,
        }
    }
}

/// A monthly trend: one x position per entry of `labels` ("2024-01"), one
/// line per series. Series are styled by their position (see
/// [`crate::line_chart`]); values beyond the labels are ignored, missing
/// ones are gaps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineChart {
    pub title: String,
    pub subtitle: Option<String>,
    pub scale: Scale,
    pub labels: Vec<String>,
    pub series: Vec<Series>,
    pub reference: Option<Reference>,
}

impl LineChart {
    pub fn new(title: impl Into<String>, scale: Scale) -> Self {
        LineChart {
            title: title.into(),
            subtitle: None,
            scale,
            labels: Vec::new(),
            series: Vec::new(),
            reference: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    /// One per label; `None` is a month without data, drawn as a gap.
    pub values: Vec<Option<i64>>,
}

impl Series {
    pub fn new(name: impl Into<String>, values: Vec<Option<i64>>) -> Self {
        Series {
            name: name.into(),
            values,
        }
    }
}

/// A horizontal ranking: bars top to bottom in the given order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BarChart {
    pub title: String,
    pub subtitle: Option<String>,
    pub scale: Scale,
    pub bars: Vec<Bar>,
    /// Drawn as a vertical line, e.g. 序时进度 50.0%.
    pub reference: Option<Reference>,
}

impl BarChart {
    pub fn new(title: impl Into<String>, scale: Scale) -> Self {
        BarChart {
            title: title.into(),
            subtitle: None,
            scale,
            bars: Vec::new(),
            reference: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bar {
    pub label: String,
    pub value: i64,
    /// Colours (and patterns) the bar; plain blue when `None`.
    pub rag: Option<Rag>,
    /// Makes the label a link; relative, http(s) and mailto only.
    pub href: Option<String>,
}

impl Bar {
    pub fn new(label: impl Into<String>, value: i64) -> Self {
        Bar {
            label: label.into(),
            value,
            rag: None,
            href: None,
        }
    }

    pub fn rag(mut self, rag: Rag) -> Self {
        self.rag = Some(rag);
        self
    }
}

/// Zones (rows) × indicators (columns), each cell coloured by its status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matrix {
    pub title: String,
    pub subtitle: Option<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<MatrixRow>,
}

impl Matrix {
    pub fn new(title: impl Into<String>) -> Self {
        Matrix {
            title: title.into(),
            subtitle: None,
            columns: Vec::new(),
            rows: Vec::new(),
        }
    }
}

/// An indicator: its name heads the column (wrapped when long), its scale
/// prints the cells, and its unit is shown once in the heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    pub scale: Scale,
}

impl Column {
    pub fn new(name: impl Into<String>, scale: Scale) -> Self {
        Column {
            name: name.into(),
            scale,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixRow {
    pub name: String,
    pub href: Option<String>,
    /// One per column; missing trailing cells are drawn as "no data".
    pub cells: Vec<Cell>,
}

impl MatrixRow {
    pub fn new(name: impl Into<String>, cells: Vec<Cell>) -> Self {
        MatrixRow {
            name: name.into(),
            href: None,
            cells,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    /// Printed in the cell; "—" when `None`.
    pub value: Option<i64>,
    /// Grey when `None` (no data, or not assessed).
    pub rag: Option<Rag>,
    /// Drill-down link for the whole cell.
    pub href: Option<String>,
}

impl Cell {
    pub fn new(value: Option<i64>, rag: Option<Rag>) -> Self {
        Cell {
            value,
            rag,
            href: None,
        }
    }

    pub fn href(mut self, href: impl Into<String>) -> Self {
        self.href = Some(href.into());
        self
    }
}

/// Size and accessible name of a sparkline. The size is in CSS pixels: a
/// sparkline sits inline in an indicator card rather than scaling with the
/// page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spark {
    /// Read by screen readers and shown as a tooltip, e.g. "近12个月工业增加值增速".
    pub title: String,
    pub width: u32,
    pub height: u32,
}

impl Spark {
    /// 120 × 32 pixels.
    pub fn new(title: impl Into<String>) -> Self {
        Spark {
            title: title.into(),
            width: 120,
            height: 32,
        }
    }
}

/// An industry chain's map: one column per segment (上游, 中游, 下游), the
/// links of each as boxes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainChart {
    pub title: String,
    pub subtitle: Option<String>,
    /// What each status means on this map (e.g. 补链, 强链, 稳链).
    pub legend: Vec<(Rag, String)>,
    pub columns: Vec<ChainColumn>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainColumn {
    pub label: String,
    pub links: Vec<ChainBox>,
}

/// One link: its name, a line of counts under it, its status and where a
/// click on it goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainBox {
    pub name: String,
    pub detail: String,
    pub rag: Option<Rag>,
    pub href: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_labels_use_the_decimals_the_step_needs() {
        let tenths = Scale::new(1, "%");
        assert_eq!(tenths.tick_label(-50, 50), "-5");
        assert_eq!(tenths.tick_label(25, 5), "2.5");
        assert_eq!(tenths.tick_label(1000, 1000), "100");
        let units = Scale::new(0, "个");
        assert_eq!(units.tick_label(20, 20), "20");
        assert_eq!(Scale::new(4, "").shown(1).min_step(), 1000);
        assert_eq!(Scale::new(1, "").shown(3).min_step(), 1);
    }
}
