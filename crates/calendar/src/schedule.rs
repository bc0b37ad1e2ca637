//! Milestone templates and backward scheduling (倒排工期): given the date a project
//! must reach one milestone, plan every other milestone in working days.
//!
//! This module owns the default milestone chain of an industrial project and the
//! rule that turns a target date into planned dates. It knows nothing of projects
//! themselves; the ledger stores the planned dates it returns.

use std::collections::HashSet;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;

/// One milestone (节点) of a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateNode {
    /// Stable identifier, e.g. `construction_permit`.
    pub key: String,
    /// Display name, e.g. 施工许可.
    pub name: String,
    /// Working days needed from the previous node to this one. Ignored for the
    /// first node, which has no predecessor.
    pub working_days: u32,
}

/// A milestone with its planned date (always a working day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Planned {
    pub key: String,
    pub name: String,
    pub date: NaiveDate,
}

/// Why a schedule could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleError {
    /// No node has the requested target key.
    UnknownTarget(String),
    /// Two nodes share a key, so a target could be ambiguous.
    DuplicateKey(String),
    /// A planned date would fall outside the representable date range.
    OutOfRange,
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScheduleError::UnknownTarget(key) => write!(f, "unknown milestone key `{key}`"),
            ScheduleError::DuplicateKey(key) => {
                write!(f, "milestone key `{key}` appears more than once")
            }
            ScheduleError::OutOfRange => write!(f, "planned date out of range"),
        }
    }
}

impl std::error::Error for ScheduleError {}

fn node(key: &str, name: &str, working_days: u32) -> TemplateNode {
    TemplateNode {
        key: key.to_string(),
        name: name.to_string(),
        working_days,
    }
}

/// The milestone chain of a typical industrial project (产业类, standard steel-frame
/// plant) on a zone's fast track. Durations are working days from the previous node:
///
/// | node | days | why |
/// |---|---|---|
/// | 立项 `approval` | 0 | start of the chain (备案/核准) |
/// | 环评 `eia` | 30 | report-form (报告表) drafting plus an approval zones compress to ~15 working days |
/// | 能评 `energy_review` | 15 | 节能审查, often run alongside 环评; the remainder after it |
/// | 土地摘牌 `land` | 25 | 招拍挂: announcement at least 20 days, listing at least 10 working days |
/// | 规划许可 `planning_permit` | 10 | 拿地即开工 practice: scheme reviewed before 摘牌 |
/// | 施工许可 `construction_permit` | 15 | drawing review, tendering, permit; 摘牌→施工许可 25 days, inside the "不到40个工作日" zones boast of |
/// | 开工 `start` | 5 | site mobilisation |
/// | 主体完工 `structure_done` | 80 | about four months for a steel-frame workshop |
/// | 设备安装 `equipment` | 40 | installation and commissioning of the main line |
/// | 竣工 `completion` | 20 | joint acceptance (联合验收) |
/// | 投产 `production` | 10 | trial production |
/// | 达产 `full_capacity` | 120 | about six months of ramp-up |
///
/// 立项 to 投产 is 250 working days, about one calendar year: the
/// "当年签约、当年开工、当年投产" fast path.
pub fn default_template() -> Vec<TemplateNode> {
    vec![
        node("approval", "立项", 0),
        node("eia", "环评", 30),
        node("energy_review", "能评", 15),
        node("land", "土地摘牌", 25),
        node("planning_permit", "规划许可", 10),
        node("construction_permit", "施工许可", 15),
        node("start", "开工", 5),
        node("structure_done", "主体完工", 80),
        node("equipment", "设备安装", 40),
        node("completion", "竣工", 20),
        node("production", "投产", 10),
        node("full_capacity", "达产", 120),
    ]
}

/// Plans every node of `nodes` from the date the node `target_key` must be reached.
///
/// - The target node is planned on `target` if that is a working day, else on the
///   last working day before it: a deadline that falls on a holiday or weekend
///   means finishing on the working day before (2024-10-01 → 2024-09-30).
/// - Nodes before the target are planned backwards: node i−1 is `nodes[i].working_days`
///   working days before node i.
/// - Nodes after the target are planned forwards: node i+1 is
///   `nodes[i+1].working_days` working days after node i.
/// - A duration of 0 plans a node on the same day as its neighbour.
///
/// Every planned date is a working day, and consecutive planned dates are exactly
/// the node's duration apart by [`Calendar::working_days_between`].
pub fn schedule_backward(
    cal: &Calendar,
    nodes: &[TemplateNode],
    target_key: &str,
    target: NaiveDate,
) -> Result<Vec<Planned>, ScheduleError> {
    let mut seen = HashSet::new();
    for n in nodes {
        if !seen.insert(n.key.as_str()) {
            return Err(ScheduleError::DuplicateKey(n.key.clone()));
        }
    }
    let t = nodes
        .iter()
        .position(|n| n.key == target_key)
        .ok_or_else(|| ScheduleError::UnknownTarget(target_key.to_string()))?;

    let mut dates = vec![target; nodes.len()];
    dates[t] = cal
        .checked_previous_working_day_or_same(target)
        .ok_or(ScheduleError::OutOfRange)?;
    for i in (1..=t).rev() {
        let back = -i64::from(nodes[i].working_days);
        dates[i - 1] = cal
            .checked_add_working_days(dates[i], back)
            .ok_or(ScheduleError::OutOfRange)?;
    }
    for i in t + 1..nodes.len() {
        let ahead = i64::from(nodes[i].working_days);
        dates[i] = cal
            .checked_add_working_days(dates[i - 1], ahead)
            .ok_or(ScheduleError::OutOfRange)?;
    }

    Ok(nodes
        .iter()
        .zip(dates)
        .map(|(n, date)| Planned {
            key: n.key.clone(),
            name: n.name.clone(),
            date,
        })
        .collect())
}
