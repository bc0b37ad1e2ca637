//! 周调度 as a use case: the weekly dispatch sheet of a zone, a department or
//! a liaison leader — what moved in the week (stages, milestones, investment
//! reported), blockers opened, resolved and overdue, and the items that need a
//! leader's decision with the decisions already taken.

use chrono::{Datelike, Duration, NaiveDate};
use kfq_domain::{Principal, Role};
use kfq_store::{Decision, DispatchFilter, SheetBlocker, Store, WeekEvent};
use serde::Serialize;

use crate::error::Result;
use crate::i18n::Catalog;

/// Monday to Sunday of the week holding `day`.
pub fn week_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
    (monday, monday + Duration::days(6))
}

/// A blocker that needs a leader, with the decisions taken on it so far.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionItem {
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub blocker: SheetBlocker,
    pub overdue: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub decisions: Vec<Decision>,
}

/// The week's sheet.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sheet {
    pub from: String,
    pub to: String,
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub stage_changes: Vec<WeekEvent>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub milestones_reached: Vec<WeekEvent>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub milestones_missed: Vec<WeekEvent>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub investments: Vec<WeekEvent>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub opened: Vec<SheetBlocker>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub resolved: Vec<SheetBlocker>,
    /// Open blockers past their deadline or due within the next week.
    pub decisions: Vec<DecisionItem>,
}

/// Whose sheet, when the query names nobody: the user's own.
fn filter_of(principal: &Principal, named: DispatchFilter) -> DispatchFilter {
    if named.zone_id.is_some() || named.department_id.is_some() || named.liaison_user_id.is_some() {
        return named;
    }
    match principal.role {
        Role::DepartmentStaff => DispatchFilter {
            department_id: Some(principal.unit_path.id()),
            ..Default::default()
        },
        Role::Liaison => DispatchFilter {
            liaison_user_id: Some(principal.user_id),
            ..Default::default()
        },
        _ => DispatchFilter {
            zone_id: principal.zone_path.as_ref().map(|z| z.id()),
            ..Default::default()
        },
    }
}

/// The sheet of the week holding `on`, for the people `named` (default: the
/// caller's own unit or projects), within what the caller sees.
pub async fn sheet(
    store: &Store,
    principal: &Principal,
    on: NaiveDate,
    named: DispatchFilter,
) -> Result<Sheet> {
    let catalog = Catalog::zh();
    let (monday, sunday) = week_of(on);
    let month_day = catalog.t("common.month_day_format");
    let (from, to) = (monday.to_string(), sunday.to_string());
    let filter = filter_of(principal, named);
    let visibility = principal.zone_data_visibility();
    let beijing = crate::clock::beijing_offset();
    let instant = |d: NaiveDate, end: bool| {
        let time = if end {
            d.and_hms_opt(23, 59, 59)
        } else {
            d.and_hms_opt(0, 0, 0)
        };
        time.and_then(|t| t.and_local_timezone(beijing).single())
            .map_or(0, |t| t.timestamp_millis() + if end { 999 } else { 0 })
    };
    let due_by = (sunday + Duration::days(7)).to_string();
    let blockers = store
        .sheet_blockers(&visibility, &filter, (&from, &to), &due_by)
        .await?;
    let ids: Vec<i64> = blockers.iter().map(|b| b.id).collect();
    let decisions = store.decisions(&ids).await?;
    let in_week = |d: &Option<String>| {
        d.as_deref()
            .is_some_and(|d| d >= from.as_str() && d <= to.as_str())
    };
    let open = |b: &SheetBlocker| b.status != "resolved";
    let title = match (
        &filter.zone_id,
        &filter.department_id,
        &filter.liaison_user_id,
    ) {
        (Some(zone), _, _) => store
            .org(&principal.org_visibility(), *zone)
            .await
            .map(|z| z.name)
            .unwrap_or_default(),
        (_, Some(department), _) => store
            .org(&principal.org_visibility(), *department)
            .await
            .map(|d| d.name)
            .unwrap_or_default(),
        (_, _, Some(_)) => catalog.t("dispatch.liaison_projects").to_owned(),
        _ => String::new(),
    };
    Ok(Sheet {
        title: catalog.format(
            "dispatch.sheet_title",
            &[
                ("unit", &title),
                ("from", &monday.format(month_day).to_string()),
                ("to", &sunday.format(month_day).to_string()),
            ],
        ),
        stage_changes: store
            .week_stage_changes(&visibility, &filter, (&from, &to))
            .await?,
        milestones_reached: store
            .week_milestones(&visibility, &filter, (&from, &to), false)
            .await?,
        milestones_missed: store
            .week_milestones(&visibility, &filter, (&from, &to), true)
            .await?,
        investments: store
            .week_investments(
                &visibility,
                &filter,
                (instant(monday, false), instant(sunday, true)),
            )
            .await?,
        opened: blockers
            .iter()
            .filter(|b| in_week(&Some(b.raised_on.clone())))
            .cloned()
            .collect(),
        resolved: blockers
            .iter()
            .filter(|b| in_week(&b.resolved_on))
            .cloned()
            .collect(),
        decisions: blockers
            .iter()
            .filter(|b| open(b) && b.deadline.as_deref().is_some_and(|d| d <= due_by.as_str()))
            .map(|b| DecisionItem {
                overdue: b.deadline.as_deref().is_some_and(|d| d < to.as_str()),
                decisions: decisions
                    .iter()
                    .filter(|d| d.blocker_id == b.id)
                    .cloned()
                    .collect(),
                blocker: b.clone(),
            })
            .collect(),
        from,
        to,
    })
}
