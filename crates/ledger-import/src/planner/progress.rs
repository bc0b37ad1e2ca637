//! The stage a row advances to, the month of investment it appends and the blocker it raises.

use chrono::NaiveDate;
use kfq_domain::{BlockerFactor, Money, Nature, Stage};
use kfq_workbook::{Field, Issue, ProjectRow, Sheet};

use super::{Place, PlannedColumns, Planner};
use crate::input::Existing;
use crate::labels::stage_label;
use crate::names::fold;
use crate::output::MonthEntry;

impl Planner<'_> {
    /// The stage to set (new project) or to advance to.
    pub(super) fn stage(
        &self,
        existing: Option<&Existing>,
        row: &ProjectRow,
        as_of: NaiveDate,
        planned: PlannedColumns,
        at: &Place,
        warnings: &mut Vec<Issue>,
    ) -> Option<(Stage, NaiveDate)> {
        let v = &row.values;
        // A date after the reporting date is a plan, not evidence of a stage;
        // so is any date in a column headed as a plan.
        let today = as_of;
        let evidence = |date: Option<kfq_workbook::LedgerDate>, plan: bool| {
            date.map(|d| d.first_day()).filter(|d| !plan && *d <= today)
        };
        let started_on = evidence(v.start_date, planned.start);
        let produced_on = evidence(v.production_date, planned.production);
        let stated = v.stage;
        // The progress text is the row's own account of where it stands:
        // stronger evidence than a bare date, which may be a plan.
        let told = v
            .progress
            .as_deref()
            .and_then(kfq_domain::progress::stage_from_progress);
        let Some(project) = existing else {
            let stage = stated.unwrap_or_else(|| {
                if let Some(told) = &told {
                    warnings.push(at.issue(
                        Some(Field::Stage),
                        format!("未填写项目阶段，{}", told_reason(told)),
                    ));
                    return told.stage;
                }
                let inferred = if produced_on.is_some() {
                    Stage::Producing
                } else if started_on.is_some() || v.nature == Some(Nature::Continuing) {
                    Stage::Started
                } else {
                    Stage::PreConstruction
                };
                warnings.push(at.issue(
                    Some(Field::Stage),
                    format!(
                        "未填写项目阶段，按开工、投产时间和建设性质推定为“{}”",
                        stage_label(inferred)
                    ),
                ));
                inferred
            });
            return Some((stage, stage_date(stage, started_on, produced_on, today)));
        };
        let stated = match (stated, told) {
            (Some(stated), _) => stated,
            // Only forward, and only when the text names a further stage.
            (None, Some(told))
                if kfq_domain::project::check_advance(
                    project.stage,
                    project.furthest,
                    told.stage,
                )
                .is_ok()
                    && told.stage.rank() > project.stage.rank() =>
            {
                warnings.push(at.issue(Some(Field::Stage), told_reason(&told)));
                told.stage
            }
            (None, _) => return None,
        };
        if stated == project.stage {
            return None;
        }
        if kfq_domain::project::check_advance(project.stage, project.furthest, stated).is_ok() {
            return Some((stated, stage_date(stated, started_on, produced_on, today)));
        }
        warnings.push(at.issue(
            Some(Field::Stage),
            format!(
                "台账阶段“{}”与系统中的“{}”不符，阶段只能向前推进，未修改（如需更正请在项目页操作）",
                stage_label(stated),
                stage_label(project.stage)
            ),
        ));
        None
    }

    /// Month N's investment from "1-N月完成投资".
    pub(super) fn month(
        &self,
        sheet: &Sheet,
        existing: Option<&Existing>,
        row: &ProjectRow,
        year: i32,
        at: &Place,
        warnings: &mut Vec<Issue>,
    ) -> Option<MonthEntry> {
        let ytd = row.values.completed_ytd.as_ref()?.value;
        let Some(n) = self.options.month.or(sheet.ytd_through_month) else {
            warnings.push(at.issue(
                Some(Field::CompletedYtd),
                "无法确定完成投资截至几月（表头或标题中没有“1-N月”），未导入；请在导入时指定月份".into(),
            ));
            return None;
        };
        let month = u32::from(n);
        let months: &[(u32, Money)] = existing.map_or(&[], |e| &e.months);
        let before: i64 = months
            .iter()
            .filter(|(m, _)| *m < month)
            .map(|(_, a)| a.yuan())
            .sum();
        let replaces = months.iter().find(|(m, _)| *m == month).map(|(_, a)| *a);
        let amount = ytd.yuan() - before;
        if amount < 0 {
            warnings.push(at.issue(
                Some(Field::CompletedYtd),
                format!(
                    "1-{month}月累计完成{}万元，少于系统中1-{}月已录入的{}万元，未导入，请核对",
                    ytd.wan_string(),
                    month - 1,
                    Money::from_yuan(before).wan_string()
                ),
            ));
            return None;
        }
        let amount = Money::from_yuan(amount);
        // A month absent and a month of zero leave the year-to-date alike:
        // a ledger exported before the month was reported adds nothing.
        if replaces.unwrap_or(Money::ZERO) == amount {
            return None;
        }
        Some(MonthEntry {
            year,
            month,
            amount,
            replaces,
            ytd,
        })
    }

    /// A blocker from 存在问题, unless asked not to, empty, or already open.
    pub(super) fn blocker(
        &self,
        existing: Option<&Existing>,
        row: &ProjectRow,
    ) -> Option<(BlockerFactor, String)> {
        if !self.options.blockers {
            return None;
        }
        let text = row.values.blockers.as_deref()?.trim();
        if is_nothing(text) {
            return None;
        }
        let open = existing.map_or(&[][..], |e| &e.open_blockers);
        if open.iter().any(|b| fold(b) == fold(text)) {
            return None;
        }
        Some((BlockerFactor::guess(text), text.to_string()))
    }
}

/// "据进展情况“钢结构”推定为“开工”".
fn told_reason(told: &kfq_domain::progress::ProgressReading) -> String {
    format!(
        "据进展情况“{}”推定为“{}”",
        told.words,
        stage_label(told.stage)
    )
}

/// The date a stage was reached, as well as the ledger tells it.
fn stage_date(
    stage: Stage,
    started_on: Option<NaiveDate>,
    produced_on: Option<NaiveDate>,
    today: NaiveDate,
) -> NaiveDate {
    match stage {
        Stage::Started => started_on.unwrap_or(today),
        Stage::Producing => produced_on.unwrap_or(today),
        _ => today,
    }
}

/// "无", "暂无", "/", "—": the cell says there is no problem.
fn is_nothing(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    t.is_empty()
        || matches!(
            t.as_str(),
            "无" | "暂无"
                | "没有"
                | "无问题"
                | "暂无问题"
                | "/"
                | "-"
                | "—"
                | "——"
                | "无。"
                | "暂无。"
        )
}
