//! Gantt charts of planned against actual dates (倒排工期、挂图作战), rendered
//! on the server as self-contained SVG.
//!
//! This crate owns the chart: its model ([`Chart`], [`Row`], [`Span`],
//! [`Mark`]), the rule for an overdue milestone ([`is_overdue`]) and the
//! drawing ([`render_svg`] for the screen, [`render_pages`] for A3 print).
//! It is pure: no I/O and no clock; the caller passes "today".
//!
//! The SVG has no scripts, event handlers or `style` attributes (the site's
//! CSP forbids them), no external fonts, and no `id`s, so several charts can
//! be inlined in one page.
//!
//! ```
//! use chrono::NaiveDate;
//! use kfq_gantt::{render_pages, render_svg, Chart, Mark, Row, Span, Status};
//!
//! let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
//! let mut chart = Chart::new("重点项目推进图", d(6, 30));
//! let mut row = Row::new("年产5万吨铝合金型材项目");
//! row.sublabel = Some("开工 · 总投资 12.50 亿元".into());
//! row.href = Some("/projects/42".into());
//! row.status = Some(Status::Yellow);
//! row.planned = Some(Span::new(d(3, 1), d(12, 20)));
//! row.actual = Some(Span::open(d(3, 20)));
//! row.marks.push(Mark::new("施工许可", Some(d(5, 10)), None));
//! chart.rows.push(row);
//!
//! let svg = render_svg(&chart);
//! assert!(svg.starts_with("<svg") && svg.contains("逾期"));
//! assert_eq!(render_pages(&chart, 0).len(), 1);
//! ```

mod axis;
mod model;
mod render;

pub use model::{is_overdue, Chart, Mark, Row, Span, Status};
pub use render::{
    render_pages, render_svg, A3_HEIGHT, A3_ROWS_PER_PAGE, PLOT_LEFT, PLOT_RIGHT, ROW_HEIGHT, WIDTH,
};
