//! 月度填报: a zone's month on one sheet. The clerk sees every project with
//! the month before, the year's plan and what the year has so far, types the
//! month down the column, and saves the whole sheet in one transaction, each
//! month audited. A month already reported is corrected only with a reason.

use chrono::{Datelike, NaiveDate};
use kfq_domain::{FieldErrors, Money, OrgKind, Visibility};
use kfq_store::{MonthEntry, MonthLine, MonthSheetFilter, MonthlyInvestment, Store};
use serde::Serialize;

use crate::access::ZoneTarget;
use crate::error::{Error, Result};
use crate::ledger::rules::Rules;
use crate::ledger::writes::investment_checks;

/// The month a clerk reports by default: the one just ended.
pub fn default_month(today: NaiveDate) -> (i32, u32) {
    if today.month() == 1 {
        (today.year() - 1, 12)
    } else {
        (today.year(), today.month() - 1)
    }
}

/// The sheet of one month: its lines and their totals.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthSheet {
    pub zone_id: i64,
    pub zone_name: String,
    pub year: i32,
    pub month: u32,
    pub lines: Vec<MonthLine>,
    pub totals: MonthTotals,
}

/// The sheet's totals, yuan; `missing` counts the projects not reported,
/// suspended ones aside (nobody expects their month).
#[derive(Debug, Clone, Copy, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthTotals {
    pub projects: usize,
    pub reported: usize,
    pub missing: usize,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub planned: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub ytd_before: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub last_month: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub this_month: Money,
}

impl MonthTotals {
    pub fn of(lines: &[MonthLine]) -> MonthTotals {
        let sum = |f: &dyn Fn(&MonthLine) -> Option<Money>| {
            Money::from_yuan(lines.iter().filter_map(f).map(Money::yuan).sum())
        };
        MonthTotals {
            projects: lines.len(),
            reported: lines.iter().filter(|l| l.reported.is_some()).count(),
            missing: lines.iter().filter(|l| l.is_missing()).count(),
            planned: sum(&|l| l.planned),
            ytd_before: sum(&|l| Some(l.ytd_before)),
            last_month: sum(&|l| l.last_month),
            this_month: sum(&|l| l.reported.as_ref().map(|r| r.amount)),
        }
    }
}

/// The year (2000–2100) and a month that has begun: a month to come has
/// nothing to report yet.
fn check_month((year, month): (i32, u32), today: NaiveDate) -> Result<()> {
    investment_checks((year, month), Money::from_yuan(0), None)?;
    if (year, month) > (today.year(), today.month()) {
        return Err(Error::Invalid(FieldErrors::single(
            "month",
            "error.month.future",
        )));
    }
    Ok(())
}

pub(crate) fn zone_of(target: &ZoneTarget) -> Result<()> {
    if target.org().kind() == OrgKind::Zone {
        Ok(())
    } else {
        Err(Error::Invalid(FieldErrors::single(
            "zone_id",
            "error.zone_only",
        )))
    }
}

/// The month's sheet of the target zone.
pub async fn sheet(
    store: &Store,
    target: &ZoneTarget,
    (year, month): (i32, u32),
    filter: &MonthSheetFilter,
    today: NaiveDate,
) -> Result<MonthSheet> {
    zone_of(target)?;
    check_month((year, month), today)?;
    let zone = target.org();
    let lines = store
        .month_sheet(
            target.proof(),
            (zone.id, &zone.org_path()),
            (year, month),
            filter,
        )
        .await?;
    Ok(MonthSheet {
        zone_id: zone.id,
        zone_name: zone.name.clone(),
        year,
        month,
        totals: MonthTotals::of(&lines),
        lines,
    })
}

/// What the home page counts for a zone's clerk: projects without the month
/// just ended, and without a plan for the plan year.
#[derive(Debug, Clone, Copy, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Missing {
    pub year: i32,
    pub month: u32,
    pub month_missing: i64,
    pub plan_year: i32,
    pub plan_missing: i64,
}

/// The counts of [`Missing`] for the target zone on `today`: the same
/// projects the two sheets' "missing" filters list.
pub async fn missing(store: &Store, target: &ZoneTarget, today: NaiveDate) -> Result<Missing> {
    zone_of(target)?;
    let (year, month) = default_month(today);
    let plan_year = super::plan_sheet::default_year(today);
    let zone = target.org();
    let (month_missing, plan_missing) = store
        .zone_missing(
            target.proof(),
            (zone.id, &zone.org_path()),
            (year, month),
            plan_year,
        )
        .await?;
    Ok(Missing {
        year,
        month,
        month_missing,
        plan_year,
        plan_missing,
    })
}

/// One row as typed: an amount in 万元 (blank: not reported now), the note,
/// and the version of the month when it was shown reported.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub project_id: i64,
    pub amount: String,
    pub note: String,
    pub version: Option<i64>,
}

/// Saves the rows that report something new: blank rows and rows equal to
/// what is held are left alone. Every row is checked before anything is
/// written; a change to a month already reported needs its reason, as
/// does a negative month. Errors name `amount_<id>` or `note_<id>`.
pub async fn save(
    store: &Store,
    actor: &kfq_store::Actor,
    target: &ZoneTarget,
    (year, month): (i32, u32),
    rows: &[Typed],
    today: NaiveDate,
) -> Result<Vec<MonthlyInvestment>> {
    zone_of(target)?;
    check_month((year, month), today)?;
    let zone = target.org();
    let lines = store
        .month_sheet(
            target.proof(),
            (zone.id, &zone.org_path()),
            (year, month),
            &MonthSheetFilter::default(),
        )
        .await?;
    let mut errors = FieldErrors::new();
    let mut wanted: Vec<(i64, Money, Option<String>, Option<i64>)> = Vec::new();
    for row in rows {
        let amount_field = format!("amount_{}", row.project_id);
        let note_field = format!("note_{}", row.project_id);
        let Some(line) = lines.iter().find(|l| l.project_id == row.project_id) else {
            errors.add(&amount_field, "error.month_sheet.project");
            continue;
        };
        if row.amount.trim().is_empty() {
            continue;
        }
        let amount = match Money::parse_wan(&row.amount) {
            Ok(amount) => amount,
            Err(key) => {
                errors.add(&amount_field, key);
                continue;
            }
        };
        let note = Some(row.note.trim().to_owned()).filter(|n| !n.is_empty());
        if let Some(held) = &line.reported {
            if held.amount == amount {
                continue;
            }
            if row.version != Some(held.version) {
                return Err(Error::Conflict);
            }
            if note.is_none() {
                errors.add(&note_field, "error.month_sheet.reason");
                continue;
            }
        } else if row.version.is_some() {
            // Shown as reported, since deleted or never there: reload.
            return Err(Error::Conflict);
        }
        if amount.yuan() < 0 && note.is_none() {
            errors.add(&note_field, "error.investment.reason");
            continue;
        }
        wanted.push((
            line.project_id,
            amount,
            note,
            line.reported.as_ref().map(|r| r.version),
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
    let entries: Vec<MonthEntry> = wanted
        .into_iter()
        .filter_map(|(id, amount, note, version)| {
            let project = projects.iter().find(|p| p.id == id)?.clone();
            Some(MonthEntry {
                project,
                amount,
                note,
                version,
            })
        })
        .collect();
    let rules = Rules::load(store, zone.id).await?;
    Ok(store
        .set_months(actor, target.proof(), (year, month), &entries, &rules.ctx())
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_month_is_the_one_just_ended() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(default_month(day(2026, 12, 3)), (2026, 11));
        assert_eq!(default_month(day(2027, 1, 31)), (2026, 12));
    }

    #[test]
    fn a_month_to_come_cannot_be_reported() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert!(check_month((2026, 12), today).is_ok());
        assert!(check_month((2026, 11), today).is_ok());
        assert!(check_month((2027, 1), today).is_err());
        assert!(check_month((2026, 13), today).is_err());
        assert!(check_month((1999, 5), today).is_err());
    }
}
