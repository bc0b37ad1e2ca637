//! Dates as the chart writes them, and the tooltip texts of rows, spans and milestones.

use chrono::{Datelike, NaiveDate};

use crate::model::{is_overdue, Mark, Row, Span};

pub(super) fn ymd(d: NaiveDate) -> String {
    d.to_string()
}

pub(super) fn cn_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn span_text(name: &str, span: &Span) -> String {
    match span.end {
        Some(e) => format!("{name} {} 至 {}", ymd(span.start), ymd(e)),
        None => format!("{name} {} 起（进行中）", ymd(span.start)),
    }
}

pub(super) fn mark_text(m: &Mark, today: NaiveDate) -> String {
    let mut parts = vec![m.label.clone()];
    if let Some(p) = m.planned {
        parts.push(format!("计划 {}", ymd(p)));
    }
    if let Some(a) = m.actual {
        parts.push(format!("实际 {}", ymd(a)));
        if let Some(p) = m.planned {
            let late = (a - p).num_days();
            if late > 0 {
                parts.push(format!("延误 {late} 天"));
            }
        }
    }
    if let Some(b) = m.baseline {
        parts.push(format!("基线 {}", ymd(b)));
    }
    if is_overdue(m, today) {
        if let Some(p) = m.planned {
            parts.push(format!("已逾期 {} 天", (today - p).num_days()));
        }
    }
    parts.join("，")
}

pub(super) fn row_text(row: &Row, today: NaiveDate) -> String {
    let mut head = row.label.clone();
    if let Some(sub) = &row.sublabel {
        head.push_str(&format!("（{sub}）"));
    }
    let mut parts = vec![head];
    if let Some(st) = row.status {
        parts.push(format!("状态 {}", st.label()));
    }
    if let Some(p) = &row.planned {
        parts.push(span_text("计划", p));
    }
    if let Some(a) = &row.actual {
        parts.push(span_text("实际", a));
    }
    if let Some(b) = &row.baseline {
        parts.push(span_text("基线", b));
    }
    for m in &row.marks {
        parts.push(mark_text(m, today));
    }
    let n = row.overdue_count(today);
    if n > 0 {
        parts.push(format!("逾期节点 {n} 个"));
    }
    parts.join("；")
}
