//! Charts of the economic-indicator dashboard and the monthly bulletins,
//! rendered on the server as self-contained SVG strings.
//!
//! This crate owns the drawing of four charts: the monthly trend
//! ([`line_chart`]), the ranking of zones ([`bar_chart`]), the zones ×
//! indicators status grid ([`rag_matrix`]) and the card [`sparkline`]. It
//! is pure: no I/O, no clock, no floating point in its inputs — values are
//! exact integers read through a [`Scale`] — and the same input always
//! gives byte-identical output.
//!
//! The SVG scales with its container (viewBox, `width="100%"`), keeps its
//! text at 9 pt or more when printed at least [`PRINT_WIDTH_MM`] wide,
//! distinguishes series and statuses by dash and pattern as well as colour
//! for black-and-white printers, and carries `<title>` and `<desc>` for
//! screen readers. It has no scripts, event handlers or `style` attributes
//! (the site's CSP forbids them) and no external resources. The only `id`s
//! are those of the status patterns, prefixed per chart content so several
//! charts can share a page.
//!
//! ```
//! use kfq_charts::{bar_chart, Bar, BarChart, Rag, Reference, Scale};
//!
//! let mut chart = BarChart::new("各开发区固定资产投资完成率", Scale::new(1, "%"));
//! chart.bars.push(Bar::new("晋中开发区", 873).rag(Rag::Green));
//! chart.bars.push(Bar::new("大同开发区", 412).rag(Rag::Red));
//! chart.reference = Some(Reference::new("序时进度", 500));
//! let svg = bar_chart(&chart);
//! assert!(svg.starts_with("<svg") && svg.contains("序时进度 50.0%"));
//! ```

mod bar;
mod chain;
/// The same charts as Apache ECharts options, for the interactive pages.
pub mod echarts;
mod frame;
mod line;
mod matrix;
mod model;
mod number;
mod spark;
mod style;
/// The SVG writer and text measures every server-drawn chart shares (the
/// Gantt charts of kfq-gantt too).
pub mod svg;
pub mod text;
mod ticks;

pub use bar::{bar_chart, BAR_PITCH};
pub use chain::chain_map;
pub use line::line_chart;
pub use matrix::{rag_matrix, CELL_HEIGHT, MIN_CELL_WIDTH};
pub use model::{
    Bar, BarChart, Cell, ChainBox, ChainChart, ChainColumn, Column, LineChart, Matrix, MatrixRow,
    Rag, Reference, Scale, Series, Spark,
};
pub use spark::sparkline;
pub use style::{MIN_FONT, PRINT_WIDTH_MM, WIDTH};
