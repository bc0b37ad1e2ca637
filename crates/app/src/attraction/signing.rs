//! After signing, as use cases: the money that arrived, month by month, and
//! a signed lead made a key project of the ledger by the ledger's own rules.

use chrono::NaiveDate;
use kfq_attraction::ledger_stage;
use kfq_calendar::Period;
use kfq_domain::campaign::CampaignKind;
use kfq_domain::{Category, FieldErrors, Nature, Principal, UnitWrite};
use kfq_store::{Actor, Campaign, FundEntry, Lead, Project, ProjectInput, Store};

use super::LeadTarget;
use crate::error::{Error, Result};
use crate::ledger::rules::Rules;

/// Sets what arrived in a month at the lead's `expected` version: a signed
/// lead's, not before the month it was signed, not in a month to come.
pub async fn set_fund(
    store: &Store,
    actor: &Actor,
    target: &LeadTarget,
    expected: i64,
    entry: &FundEntry,
    today: NaiveDate,
) -> Result<Lead> {
    let lead = target.lead();
    if expected != lead.version {
        return Err(Error::Conflict);
    }
    let mut e = FieldErrors::new();
    match (lead.stage.is_signed(), lead.signed_on) {
        (true, Some(signed)) if entry.month < Period::of(signed) => {
            e.add("month", "error.funds.before_signing")
        }
        (true, _) => {}
        (false, _) => e.add("amount", "error.funds.not_signed"),
    }
    if entry.month > Period::of(today) {
        e.add("month", "error.funds.future_month");
    }
    e.into_result()?;
    Ok(store
        .set_lead_fund(actor, target.proof(), lead.id, expected, entry)
        .await?)
}

/// What the person chooses when a lead becomes a project; the rest comes
/// from the lead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion {
    pub category: Category,
    pub nature: Option<Nature>,
    pub liaison_user_id: Option<i64>,
    pub department_id: Option<i64>,
}

/// The project a signed lead becomes: its name, investor, chain, the signed
/// amount as total investment (the intended one if none was signed), land,
/// output, tax and jobs expected, its registered enterprise, its 招商专班.
pub fn project_of(lead: &Lead, choice: &Conversion) -> ProjectInput {
    let started = lead.started_on.is_some();
    ProjectInput {
        zone_id: lead.zone_id,
        name: lead.name.clone(),
        enterprise_id: None,
        investor: Some(lead.investor_name.clone()),
        category: choice.category,
        // Signed, not started: a 前期 project; started: 新建.
        nature: choice.nature.unwrap_or(if started {
            Nature::New
        } else {
            Nature::Preliminary
        }),
        industry_chain_id: lead.industry_chain_id,
        total_investment: lead.signed_amount.unwrap_or(lead.investment),
        land: lead.land,
        floor_area_m2: None,
        construction_content: None,
        annual_output: lead.expected_output,
        annual_tax: lead.expected_tax,
        jobs: lead.expected_jobs,
        registered: lead.enterprise_credit_code.is_some(),
        registered_on: None,
        liaison_user_id: choice.liaison_user_id,
        department_id: choice.department_id,
        task_force: lead.task_force.clone(),
        project_code: None,
    }
}

/// Makes the signed lead a key project at the stage it has reached; both
/// the lead and the ledger must be the caller's to write.
pub async fn convert(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    target: &LeadTarget,
    expected: i64,
    choice: &Conversion,
) -> Result<(Lead, Project)> {
    let lead = target.lead();
    if expected != lead.version {
        return Err(Error::Conflict);
    }
    let zone_proof = principal
        .zone_write(&lead.zone_org_path())
        .ok_or(Error::Forbidden)?;
    let stage = ledger_stage(lead.stage).ok_or_else(|| {
        Error::Invalid(FieldErrors::single("stage", "error.lead.convert_unsigned"))
    })?;
    if lead.project_id.is_some() {
        return Err(Error::Invalid(FieldErrors::single(
            "project_id",
            "error.lead.converted",
        )));
    }
    let rules = Rules::load(store, lead.zone_id).await?;
    Ok(store
        .convert_lead(
            actor,
            (target.proof(), &zone_proof),
            lead.id,
            expected,
            &project_of(lead, choice),
            stage,
            &rules.ctx(),
        )
        .await?)
}

/// Takes a signed lead into a 签约一批 campaign: the lead becomes a key
/// project (as [`convert`] makes it) and goes on record in the campaign, in
/// one transaction. Only a signing campaign takes leads; the lead must lie
/// under the campaign's unit.
pub async fn take_into_campaign(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    (campaign, unit_proof): (&Campaign, &UnitWrite),
    target: &LeadTarget,
    expected: i64,
    choice: &Conversion,
) -> Result<(Lead, Project)> {
    if CampaignKind::from_code(&campaign.kind) != Some(CampaignKind::Signing) {
        return Err(Error::Invalid(FieldErrors::single(
            "lead_id",
            "error.campaign.leads_signing_only",
        )));
    }
    let lead = target.lead();
    if expected != lead.version {
        return Err(Error::Conflict);
    }
    let zone_proof = principal
        .zone_write(&lead.zone_org_path())
        .ok_or(Error::Forbidden)?;
    let stage = ledger_stage(lead.stage).ok_or_else(|| {
        Error::Invalid(FieldErrors::single(
            "lead_id",
            "error.lead.convert_unsigned",
        ))
    })?;
    if lead.project_id.is_some() {
        return Err(Error::Invalid(FieldErrors::single(
            "lead_id",
            "error.lead.converted",
        )));
    }
    let rules = Rules::load(store, lead.zone_id).await?;
    Ok(store
        .take_lead_into_campaign(
            actor,
            (target.proof(), &zone_proof, unit_proof),
            campaign,
            lead.id,
            expected,
            &project_of(lead, choice),
            stage,
            &rules.ctx(),
        )
        .await?)
}
