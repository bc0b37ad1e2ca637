//! What a row's plans become (the target dates of the year's plan) and its
//! total since the start (the opening cumulative); what each column becomes.

use chrono::NaiveDate;
use kfq_workbook::{Field, Issue, LedgerDate, ProjectRow, Sheet};

use super::{Place, PlannedColumns, Planner};
use crate::input::Existing;
use crate::output::{ColumnUse, MonthEntry, Opening, Reporting, Targets};

impl Planner<'_> {
    /// The target dates of `year`'s plan the row states: dates in columns
    /// headed as plans, and dates after the reporting date. A plan needs its
    /// amount: without one, the dates are reported as not imported.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn targets(
        &self,
        existing: Option<&Existing>,
        row: &ProjectRow,
        as_of: NaiveDate,
        planned: PlannedColumns,
        year: i32,
        has_plan: bool,
        at: &Place,
        warnings: &mut Vec<Issue>,
    ) -> Targets {
        let v = &row.values;
        let old = existing.map(|e| e.targets).unwrap_or_default();
        let nodes = existing.map(|e| e.milestone_plans).unwrap_or_default();
        let mut set = Targets::default();
        let new_project = existing.is_none();
        for (date, headed, field, what) in [
            (v.start_date, planned.start, Field::StartDate, "开工"),
            (
                v.production_date,
                planned.production,
                Field::ProductionDate,
                "投产",
            ),
        ] {
            let Some(date) = date else { continue };
            if !headed && date.first_day() <= as_of {
                continue;
            }
            let target = date.last_day();
            let (current, node) = match field {
                Field::StartDate => (old.start, nodes.start),
                _ => (old.production, nodes.production),
            };
            // The milestone's planned day, which an export shows first:
            // nothing new to set.
            if node == Some(target) {
                continue;
            }
            let shown = shown(date);
            let why = if headed {
                format!("计划{what}时间“{shown}”是计划")
            } else {
                format!("{what}时间“{shown}”晚于台账截至日期{as_of}，视为计划")
            };
            if current == Some(target) {
                if new_project {
                    warnings.push(at.issue(Some(field), format!("{why}，不作为阶段依据")));
                }
                continue;
            }
            if !has_plan {
                warnings.push(at.issue(
                    Some(field),
                    format!(
                        "{why}，不作为阶段依据；该项目没有{year}年度计划投资，目标{what}日期未导入（请在台账中填写年度计划投资，或在项目页录入年度计划）"
                    ),
                ));
                continue;
            }
            warnings.push(at.issue(
                Some(field),
                format!("{why}，记为{year}年度计划的目标{what}日期{target}，不作为阶段依据"),
            ));
            match field {
                Field::StartDate => set.start = Some(target),
                _ => set.production = Some(target),
            }
        }
        set
    }

    /// 开工以来累计完成投资 as the project's opening cumulative at the
    /// reporting date, unless it contradicts the year-to-date or is older than
    /// the one kfq holds.
    pub(super) fn opening(
        &self,
        existing: Option<&Existing>,
        row: &ProjectRow,
        as_of: NaiveDate,
        month: Option<&MonthEntry>,
        at: &Place,
        warnings: &mut Vec<Issue>,
    ) -> Option<Opening> {
        let amount = row.values.completed_cumulative.as_ref()?.value;
        let stated = format!(
            "开工以来累计完成投资{}万元（截至{as_of}）",
            amount.wan_string()
        );
        let ytd = row.values.completed_ytd.as_ref().map(|y| y.value);
        if let Some(ytd) = ytd.filter(|ytd| amount < *ytd) {
            let through = month.map_or(String::new(), |m| format!("1-{}月", m.month));
            warnings.push(at.issue(
                Some(Field::CompletedCumulative),
                format!(
                    "{stated}少于本年{through}累计完成{}万元，未导入，请核对",
                    ytd.wan_string()
                ),
            ));
            return None;
        }
        let opening = Opening { amount, as_of };
        match existing.and_then(|e| e.opening) {
            Some(held) if held == opening => None,
            Some(held) if held.as_of > as_of => {
                warnings.push(at.issue(
                    Some(Field::CompletedCumulative),
                    format!(
                        "{stated}早于系统中截至{}的开工累计{}万元，未导入",
                        held.as_of,
                        held.amount.wan_string()
                    ),
                ));
                None
            }
            _ => Some(opening),
        }
    }
}

/// What each mapped column of `sheet` becomes, where more than its field's
/// name needs saying: plans, year-to-date, totals since the start, dates.
pub(crate) fn column_uses(
    sheet: &Sheet,
    reporting: &Reporting,
    year: i32,
    month: Option<u8>,
    blockers: bool,
) -> Vec<ColumnUse> {
    let planned = PlannedColumns::of(sheet);
    let as_of = reporting.date;
    sheet
        .columns
        .iter()
        .filter_map(|c| {
            let became = match c.field? {
                Field::StartDate | Field::ProductionDate => {
                    let (what, headed) = if c.field == Some(Field::StartDate) {
                        ("开工", planned.start)
                    } else {
                        ("投产", planned.production)
                    };
                    if headed {
                        format!("{year}年度计划的目标{what}日期（计划，不作为阶段依据）")
                    } else {
                        format!(
                            "{as_of}及以前的{what}日期为阶段依据（弱于进展情况），以后的视为计划，记为{year}年度计划的目标{what}日期"
                        )
                    }
                }
                Field::PlannedInvestment => format!("{year}年度计划投资"),
                Field::CompletedYtd => match month {
                    Some(1) => format!("{year}年1月完成投资"),
                    Some(n) => format!(
                        "{year}年1-{n}月累计完成投资：减去系统中已录的1-{}月，得{n}月完成投资",
                        n - 1
                    ),
                    None => "本年累计完成投资：截至几月不明，未导入（请指定月份）".to_owned(),
                },
                Field::CompletedCumulative => {
                    format!("开工以来累计完成投资：记为截至{as_of}的开工累计，此后各月在其上累加")
                }
                Field::Progress => "进展情况：推定项目阶段的依据（未填项目阶段时）".to_owned(),
                Field::Blockers if blockers => "存在问题：登记为待解决问题".to_owned(),
                Field::Blockers => "存在问题：未勾选“登记为问题”，不导入".to_owned(),
                _ => return None,
            };
            Some(ColumnUse {
                sheet: sheet.name.clone(),
                index: c.index,
                header: c.header.clone(),
                became,
            })
        })
        .collect()
}

/// "2024年3月", "2024年3月15日": a date as the sheet gave it.
fn shown(date: LedgerDate) -> String {
    date.to_string()
}
