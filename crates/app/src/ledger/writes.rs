//! The ledger's writes as use cases: a project created, edited, moved to
//! another stage; a year's plan, a month's investment, a blocker. Each takes a
//! target that carries its proof ([`ProjectTarget`], [`ZoneTarget`]), so a
//! write without the access rule's say-so does not compile; each loads the
//! zone's status rules and calendar, which the store needs to judge the
//! project again in the same transaction.

use chrono::NaiveDate;
use kfq_domain::{Money, Principal, Stage, ZoneWrite};
use kfq_store::{
    Actor, AnnualPlan, Baseline, Blocker, BlockerInput, Milestone, MonthlyInvestment, Project,
    ProjectInput, Store, TemplateNode,
};

use crate::access::writable_zone;
use crate::error::{Error, Result};
use crate::ledger::rules::Rules;

/// A project the caller sees and may write, with the proof of it.
#[derive(Debug, Clone)]
pub struct ProjectTarget {
    project: Project,
    proof: ZoneWrite,
}

impl ProjectTarget {
    /// Out of sight: not found; in sight but not the caller's to write: forbidden.
    pub async fn check(store: &Store, principal: &Principal, id: i64) -> Result<ProjectTarget> {
        let project = store.project(&principal.zone_data_visibility(), id).await?;
        let proof = principal
            .zone_write(&project.zone_org_path())
            .ok_or(Error::Forbidden)?;
        Ok(ProjectTarget { project, proof })
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    pub fn proof(&self) -> &ZoneWrite {
        &self.proof
    }
}

pub async fn create(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    project: &ProjectInput,
    stage: Stage,
) -> Result<Project> {
    let (_, proof) = writable_zone(store, principal, project.zone_id).await?;
    let rules = Rules::load(store, project.zone_id).await?;
    Ok(store
        .create_project(actor, &proof, project, stage, &rules.ctx())
        .await?)
}

/// Saves the project's fields at `expected` version; moving it to another
/// zone needs the right to write there too.
pub async fn update(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    target: &ProjectTarget,
    expected: i64,
    project: &ProjectInput,
) -> Result<Project> {
    writable_zone(store, principal, project.zone_id).await?;
    let rules = Rules::load(store, project.zone_id).await?;
    Ok(store
        .update_project(
            actor,
            target.proof(),
            target.project.id,
            expected,
            project,
            &rules.ctx(),
        )
        .await?)
}

/// Moves the project to `next` on `date`; with a reason, as a correction.
pub async fn change_stage(
    store: &Store,
    actor: &Actor,
    target: &ProjectTarget,
    expected: i64,
    (next, date): (Stage, NaiveDate),
    correction: Option<&str>,
) -> Result<Project> {
    let rules = Rules::load(store, target.project.zone_id).await?;
    Ok(store
        .change_stage(
            actor,
            target.proof(),
            target.project.id,
            expected,
            (next, date),
            correction,
            &rules.ctx(),
        )
        .await?)
}

/// Sets a year's plan (a new one, or the one at `version`).
pub async fn set_plan(
    store: &Store,
    actor: &Actor,
    target: &ProjectTarget,
    (year, planned): (i32, Money),
    targets: [Option<NaiveDate>; 3],
    version: Option<i64>,
) -> Result<AnnualPlan> {
    let rules = Rules::load(store, target.project.zone_id).await?;
    Ok(store
        .set_plan(
            actor,
            target.proof(),
            &target.project,
            year,
            planned,
            targets,
            version,
            &rules.ctx(),
        )
        .await?)
}

/// Reports a month's completed investment (a new month, or the one at `version`).
/// A negative amount is only a correction of months reported too high, and
/// says why: its note (the reason) is required.
pub async fn set_investment(
    store: &Store,
    actor: &Actor,
    target: &ProjectTarget,
    (year, month): (i32, u32),
    (amount, note): (Money, Option<&str>),
    version: Option<i64>,
) -> Result<MonthlyInvestment> {
    investment_checks((year, month), amount, note)?;
    let rules = Rules::load(store, target.project.zone_id).await?;
    Ok(store
        .set_investment(
            actor,
            target.proof(),
            &target.project,
            (year, month),
            amount,
            note,
            version,
            &rules.ctx(),
        )
        .await?)
}

/// Raises a blocker, or saves the one `existing` (its id and version).
pub async fn save_blocker(
    store: &Store,
    actor: &Actor,
    target: &ProjectTarget,
    existing: Option<(i64, i64)>,
    blocker: &BlockerInput,
) -> Result<Blocker> {
    let rules = Rules::load(store, target.project.zone_id).await?;
    Ok(store
        .save_blocker(
            actor,
            target.proof(),
            &target.project,
            existing,
            blocker,
            &rules.ctx(),
        )
        .await?)
}

/// The zone's milestone template, or the standard one.
pub async fn milestone_template(store: &Store, zone_id: i64) -> Result<Vec<TemplateNode>> {
    Ok(match store.milestone_template(zone_id).await? {
        Some((nodes, _)) => nodes,
        None => kfq_calendar::default_template()
            .into_iter()
            .map(|n| TemplateNode {
                key: n.key,
                name: n.name,
                working_days: n.working_days,
            })
            .collect(),
    })
}

/// Plans every milestone backward from `key` due on `due` (倒排工期) by the
/// zone's working days, keeping the actual dates already entered.
pub async fn plan_milestones(
    store: &Store,
    actor: &Actor,
    target: &ProjectTarget,
    nodes: Vec<TemplateNode>,
    (key, due): (&str, NaiveDate),
) -> Result<Vec<Milestone>> {
    let rules = Rules::load(store, target.project.zone_id).await?;
    let calendar_nodes: Vec<kfq_calendar::TemplateNode> = nodes
        .iter()
        .map(|n| kfq_calendar::TemplateNode {
            key: n.key.clone(),
            name: n.name.clone(),
            working_days: n.working_days,
        })
        .collect();
    let planned = kfq_calendar::schedule_backward(&rules.calendar, &calendar_nodes, key, due)
        .map_err(|_| {
            Error::Invalid(kfq_domain::FieldErrors::single("target_date", "error.date"))
        })?;
    let pairs: Vec<(TemplateNode, NaiveDate)> = nodes
        .into_iter()
        .zip(planned.iter().map(|p| p.date))
        .collect();
    Ok(store
        .plan_milestones(actor, target.proof(), &target.project, &pairs, &rules.ctx())
        .await?)
}

/// Records (or clears) the day milestone `key` was reached.
pub async fn set_milestone_actual(
    store: &Store,
    actor: &Actor,
    target: &ProjectTarget,
    key: &str,
    actual: Option<NaiveDate>,
    version: i64,
) -> Result<Milestone> {
    let rules = Rules::load(store, target.project.zone_id).await?;
    Ok(store
        .set_milestone_actual(
            actor,
            target.proof(),
            &target.project,
            key,
            actual,
            version,
            &rules.ctx(),
        )
        .await?)
}

/// Saves the milestones as they are under `name`, to compare against later.
pub async fn save_baseline(
    store: &Store,
    actor: &Actor,
    target: &ProjectTarget,
    name: &str,
) -> Result<Baseline> {
    Ok(store
        .save_baseline(actor, target.proof(), &target.project, name)
        .await?)
}

/// The checks of a reported month every door shares: a year of
/// [`kfq_domain::validation::YEARS`], a month 1–12, and a negative amount
/// only with the reason of the correction.
pub fn investment_checks(
    (year, month): (i32, u32),
    amount: Money,
    note: Option<&str>,
) -> Result<()> {
    let mut errors = kfq_domain::FieldErrors::new();
    errors.check("year", kfq_domain::validation::year(i64::from(year)));
    if !(1..=12).contains(&month) {
        errors.add("month", "error.month");
    }
    if amount.yuan() < 0 && note.is_none_or(|n| n.trim().is_empty()) {
        errors.add("note", "error.investment.reason");
    }
    errors.into_result().map_err(Error::Invalid)
}

#[cfg(test)]
mod investment_tests {
    use super::*;

    #[test]
    fn a_negative_month_needs_its_reason() {
        let minus = Money::from_yuan(-10_000);
        assert!(investment_checks((2024, 6), minus, Some("cut")).is_ok());
        assert!(investment_checks((2024, 6), Money::from_yuan(0), None).is_ok());
        for note in [None, Some(""), Some("  ")] {
            let Err(Error::Invalid(errors)) = investment_checks((2024, 6), minus, note) else {
                panic!("{note:?}");
            };
            assert_eq!(errors.0[0].field, "note");
            assert_eq!(errors.0[0].key, "error.investment.reason");
        }
        for year in [-5, 1999, 99_999, i32::MAX] {
            assert!(investment_checks((year, 6), minus, Some("x")).is_err());
        }
    }
}
