//! 年度计划填报: a zone's plans for a year on one sheet, as the month is
//! reported on its own sheet. The clerk sees every project with its total
//! investment and last year's plan and completion, types the year's plans
//! down the column and saves them in one transaction, each plan audited.
//! A plan already set is changed the same way (its target dates are kept).

use chrono::{Datelike, NaiveDate};
use kfq_domain::{FieldErrors, Money, Visibility};
use kfq_store::{AnnualPlan, MonthSheetFilter, PlanLine, Store};
use serde::Serialize;

use crate::access::ZoneTarget;
use crate::error::{Error, Result};
use crate::ledger::monthly::zone_of;
use crate::ledger::rules::Rules;

/// The plan year a clerk fills by default: this one, or next year from
/// November on, when plans for it are drawn up.
pub fn default_year(today: NaiveDate) -> i32 {
    if today.month() >= 11 {
        today.year() + 1
    } else {
        today.year()
    }
}

/// The sheet of one plan year: its lines and their totals.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanSheet {
    pub zone_id: i64,
    pub zone_name: String,
    pub year: i32,
    pub lines: Vec<PlanLine>,
    pub totals: PlanTotals,
}

/// The sheet's totals, yuan; `missing` counts the projects without a plan,
/// suspended ones aside.
#[derive(Debug, Clone, Copy, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanTotals {
    pub projects: usize,
    pub planned_projects: usize,
    pub missing: usize,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub total_investment: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub last_planned: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub last_done: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub planned: Money,
}

impl PlanTotals {
    pub fn of(lines: &[PlanLine]) -> PlanTotals {
        let sum = |f: &dyn Fn(&PlanLine) -> Option<Money>| {
            Money::from_yuan(lines.iter().filter_map(f).map(Money::yuan).sum())
        };
        PlanTotals {
            projects: lines.len(),
            planned_projects: lines.iter().filter(|l| l.plan.is_some()).count(),
            missing: lines.iter().filter(|l| l.is_missing()).count(),
            total_investment: sum(&|l| Some(l.total_investment)),
            last_planned: sum(&|l| l.last_planned),
            last_done: sum(&|l| Some(l.last_done)),
            planned: sum(&|l| l.plan.as_ref().map(|p| p.planned_investment)),
        }
    }
}

/// A plan year that can be filled: 2000–2100 and not beyond next year.
fn check_year(year: i32, today: NaiveDate) -> Result<()> {
    if !(2000..=2100).contains(&year) || year > today.year() + 1 {
        return Err(Error::Invalid(FieldErrors::single(
            "year",
            "error.plan_sheet.year",
        )));
    }
    Ok(())
}

/// The plan sheet of the target zone.
pub async fn sheet(
    store: &Store,
    target: &ZoneTarget,
    year: i32,
    filter: &MonthSheetFilter,
    today: NaiveDate,
) -> Result<PlanSheet> {
    zone_of(target)?;
    check_year(year, today)?;
    let zone = target.org();
    let lines = store
        .plan_sheet(target.proof(), (zone.id, &zone.org_path()), year, filter)
        .await?;
    Ok(PlanSheet {
        zone_id: zone.id,
        zone_name: zone.name.clone(),
        year,
        totals: PlanTotals::of(&lines),
        lines,
    })
}

/// One row as typed: the plan in 万元 (blank: left as it is) and the
/// version of the plan when it was shown set.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub project_id: i64,
    pub planned: String,
    pub version: Option<i64>,
}

/// Saves the rows whose plan is new or changed; blank rows and rows equal to
/// what is held are left alone. Every row is checked before anything is
/// written. Errors name `planned_<id>`.
pub async fn save(
    store: &Store,
    actor: &kfq_store::Actor,
    target: &ZoneTarget,
    year: i32,
    rows: &[Typed],
    today: NaiveDate,
) -> Result<Vec<AnnualPlan>> {
    zone_of(target)?;
    check_year(year, today)?;
    let zone = target.org();
    let lines = store
        .plan_sheet(
            target.proof(),
            (zone.id, &zone.org_path()),
            year,
            &MonthSheetFilter::default(),
        )
        .await?;
    let mut errors = FieldErrors::new();
    let mut wanted: Vec<(i64, Money, Option<i64>)> = Vec::new();
    for row in rows {
        let field = format!("planned_{}", row.project_id);
        let Some(line) = lines.iter().find(|l| l.project_id == row.project_id) else {
            errors.add(&field, "error.month_sheet.project");
            continue;
        };
        if row.planned.trim().is_empty() {
            continue;
        }
        let planned = match Money::parse_wan(&row.planned) {
            Ok(amount) if amount.yuan() >= 0 => amount,
            Ok(_) => {
                errors.add(&field, "error.plan_sheet.negative");
                continue;
            }
            Err(key) => {
                errors.add(&field, key);
                continue;
            }
        };
        match &line.plan {
            Some(held) if held.planned_investment == planned => continue,
            Some(held) if row.version != Some(held.version) => return Err(Error::Conflict),
            None if row.version.is_some() => return Err(Error::Conflict),
            _ => {}
        }
        wanted.push((
            line.project_id,
            planned,
            line.plan.as_ref().map(|p| p.version),
        ));
    }
    errors.into_result().map_err(Error::Invalid)?;
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = wanted.iter().map(|w| w.0).collect();
    let projects = store
        .projects_by_id(&Visibility::Subtree(zone.org_path()), &ids)
        .await?;
    let entries: Vec<_> = wanted
        .into_iter()
        .filter_map(|(id, planned, version)| {
            let project = projects.iter().find(|p| p.id == id)?.clone();
            Some((project, planned, version))
        })
        .collect();
    let rules = Rules::load(store, zone.id).await?;
    Ok(store
        .set_plans(actor, target.proof(), year, &entries, &rules.ctx())
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_drawn_up_for_next_year_from_november() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(default_year(day(2026, 10, 31)), 2026);
        assert_eq!(default_year(day(2026, 11, 1)), 2027);
        assert!(check_year(2027, day(2026, 12, 3)).is_ok());
        assert!(check_year(2028, day(2026, 12, 3)).is_err());
        assert!(check_year(1999, day(2026, 12, 3)).is_err());
    }
}
