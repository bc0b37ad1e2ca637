//! 导入招商项目台账: a zone's workbook of leads read, planned against its
//! pipeline (what each row creates, moves on or why it is refused) and
//! committed in one transaction, with the column mapping kept for the
//! zone's next workbook.

use chrono::NaiveDate;
use kfq_attraction::import::{self as planner, Action, Choices, Draft, InvestorDraft, Known, Plan};
use kfq_attraction::{LeadStage, Origin};
use kfq_domain::{CreditCode, FieldErrors, LeadWrite, Principal, Visibility};
use kfq_store::{
    Actor, InvestorFilter, LeadFilter, LeadImportDone, LeadInput, LeadRecord, LeadUpdate, OrgUnit,
    StageMove, Store, UserFilter,
};
use kfq_workbook::attraction::{read_leads, LeadBook, LeadReadOptions};

use crate::error::{Error, Result};

/// The saved mapping's kind (one per zone).
const MAPPING_KIND: &str = "attraction";

/// A workbook read and planned against one zone's pipeline.
pub struct Prepared {
    pub zone: OrgUnit,
    proof: LeadWrite,
    pub book: LeadBook,
    pub plan: Plan,
    pub options: LeadReadOptions,
    pub choices: Choices,
}

/// Reads the workbook with `options` (else the zone's saved mapping) and
/// plans it against the zone's leads. Only who works every lead of the zone
/// imports: a sheet moves leads of everyone.
#[allow(clippy::too_many_arguments)]
pub async fn prepare(
    store: &Store,
    principal: &Principal,
    zone_id: i64,
    file_name: &str,
    bytes: &[u8],
    options: Option<LeadReadOptions>,
    choices: Choices,
    today: NaiveDate,
) -> Result<Prepared> {
    let (zone, proof) = super::lead_zone(store, principal, zone_id).await?;
    if proof.only_of().is_some() {
        return Err(Error::Forbidden);
    }
    let options = match options {
        Some(o) => o,
        None => store
            .import_mapping(zone.id, MAPPING_KIND)
            .await?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default(),
    };
    let (bytes, name, read_with) = (bytes.to_vec(), file_name.to_owned(), options.clone());
    let book = crate::reading_a_file(move || read_leads(&bytes, &name, &read_with))
        .await?
        .map_err(|e| Error::Unreadable(e.to_string()))?;
    let known = known(store, principal, &zone).await?;
    let (book, plan) = crate::off_the_workers(move || {
        let plan = planner::plan(&book, &known, &choices, today);
        (book, plan)
    })
    .await?;
    Ok(Prepared {
        zone,
        proof,
        book,
        plan,
        options,
        choices,
    })
}

/// What the zone holds that rows are matched against.
async fn known(store: &Store, principal: &Principal, zone: &OrgUnit) -> Result<Known> {
    let scope = Visibility::Subtree(zone.org_path());
    let leads = store
        .leads(
            &principal.lead_sight(),
            &LeadFilter {
                zone_id: Some(zone.id),
                ..Default::default()
            },
            0,
            100_000,
        )
        .await?
        .items
        .into_iter()
        .map(|l| planner::KnownLead {
            facts: l.facts(),
            id: l.id,
            version: l.version,
            name: l.name,
            stage: l.stage,
            left_at: l.left_at,
            investment: l.investment,
            land: l.land,
            energy_tce: l.energy_tce,
            expected_output: l.expected_output,
            expected_tax: l.expected_tax,
            expected_jobs: l.expected_jobs,
            referrer: l.referrer,
            task_force: l.task_force,
        })
        .collect();
    let investors = store
        .investors(
            &scope,
            &InvestorFilter {
                zone_id: Some(zone.id),
                ..Default::default()
            },
            0,
            100_000,
        )
        .await?
        .items
        .into_iter()
        .map(|i| planner::KnownInvestor {
            id: i.id,
            name: i.name,
            credit_code: i.credit_code,
        })
        .collect();
    let people = store
        .users(&scope, &UserFilter::default(), 0, 5_000)
        .await?
        .items
        .into_iter()
        .filter(|u| u.role() != kfq_domain::Role::Enterprise)
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok(Known {
        leads,
        investors,
        chains: store.industry_chains(zone.id).await?,
        people,
        province: store.province_name(&zone.org_path()).await?,
    })
}

/// Commits a prepared plan and keeps its mapping for the zone's next
/// workbook. Refused rows stop the commit unless `only_valid`: then they
/// are left out (the page has shown which and why).
pub async fn commit(
    store: &Store,
    actor: &Actor,
    prepared: &Prepared,
    only_valid: bool,
) -> Result<LeadImportDone> {
    let counts = prepared.plan.counts();
    if counts.rejected > 0 && !only_valid {
        return Err(Error::Invalid(FieldErrors::single(
            "file",
            "error.lead_import.rejected",
        )));
    }
    let mut records = Vec::new();
    let mut updates = Vec::new();
    for row in &prepared.plan.rows {
        let Some(draft) = &row.draft else { continue };
        match row.action {
            Action::Create => {
                records.push(record_of(prepared.zone.id, row.investor.as_deref(), draft)?)
            }
            Action::Update => updates.push(update_of(draft)?),
            Action::Unchanged | Action::Rejected => {}
        }
    }
    if records.is_empty() && updates.is_empty() {
        return Err(Error::Invalid(FieldErrors::single(
            "file",
            "error.lead_import.nothing",
        )));
    }
    let done = store
        .apply_lead_import(actor, &prepared.proof, prepared.zone.id, &records, &updates)
        .await?;
    store
        .save_import_mapping(
            actor,
            prepared.zone.id,
            MAPPING_KIND,
            &serde_json::to_string(&prepared.options).map_err(anyhow::Error::from)?,
        )
        .await?;
    Ok(done)
}

/// The facts a draft brings, on the move that reaches its stage.
fn step_of(draft: &Draft, to: LeadStage, on: NaiveDate, note: Option<String>) -> Result<StageMove> {
    let f = &draft.facts;
    let code = draft
        .enterprise_credit_code
        .as_deref()
        .map(CreditCode::parse)
        .transpose()
        .map_err(|key| Error::Invalid(FieldErrors::single("enterprise_credit_code", key)))?;
    Ok(StageMove {
        to,
        on,
        note,
        signed_on: f.signed_on,
        signed_amount: f.signed_amount,
        agreement: f.agreement,
        agreement_docs: None,
        enterprise_name: draft
            .enterprise_name
            .clone()
            .filter(|_| f.enterprise_registered),
        enterprise_credit_code: code.filter(|_| f.enterprise_registered),
        started_on: f.started_on,
        produced_on: f.produced_on,
        terminated_reason: f.terminated_reason.clone(),
    })
}

fn record_of(zone_id: i64, investor: Option<&str>, draft: &Draft) -> Result<LeadRecord> {
    let planned = || Error::Internal(anyhow::anyhow!("a planned row lacks what the plan checked"));
    let (investor_id, name, code, industry, origin, place) = match &draft.investor {
        Some(InvestorDraft::Known { id }) => (
            Some(*id),
            investor.unwrap_or_default().to_owned(),
            None,
            None,
            Origin::InProvince,
            None,
        ),
        Some(InvestorDraft::New {
            name,
            credit_code,
            origin,
            origin_place,
            industry,
        }) => (
            None,
            name.clone(),
            credit_code.clone(),
            industry.clone(),
            *origin,
            origin_place.clone(),
        ),
        None => return Err(planned()),
    };
    let last = draft.moves.len().saturating_sub(1);
    let moves = draft
        .moves
        .iter()
        .enumerate()
        .map(|(i, m)| match i == last {
            true => step_of(draft, m.to, m.on, m.note.clone()),
            false => Ok(StageMove::bare(m.to, m.on)),
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(LeadRecord {
        investor: name,
        investor_id,
        investor_code: code,
        investor_industry: industry,
        origin,
        origin_place: place,
        lead: LeadInput {
            zone_id,
            name: draft.name.clone(),
            investor_id: 0,
            industry_chain_id: draft.industry_chain_id,
            chain_node: None,
            investment: draft.investment.ok_or_else(planned)?,
            land: draft.land,
            energy_tce: draft.energy_tce,
            expected_output: draft.expected_output,
            expected_tax: draft.expected_tax,
            expected_jobs: draft.expected_jobs,
            source: draft.source.ok_or_else(planned)?,
            referrer: draft.referrer.clone(),
            owner_id: draft.owner_id,
            task_force: draft.task_force.clone(),
            members: vec![],
            registered_on: draft.registered_on,
            increase_of: None,
        },
        last_touch_on: draft
            .moves
            .iter()
            .map(|m| m.on)
            .chain(draft.last_touch)
            .fold(draft.registered_on, NaiveDate::max),
        note: draft.note.clone().filter(|_| moves.is_empty()),
        moves,
    })
}

fn update_of(draft: &Draft) -> Result<LeadUpdate> {
    let planned = || Error::Internal(anyhow::anyhow!("an update without its lead"));
    let step = match draft.moves.first() {
        Some(m) => Some(step_of(draft, m.to, m.on, m.note.clone())?),
        None => None,
    };
    Ok(LeadUpdate {
        id: draft.lead_id.ok_or_else(planned)?,
        version: draft.version.ok_or_else(planned)?,
        investment: draft.investment,
        land: draft.land,
        energy_tce: draft.energy_tce,
        expected_output: draft.expected_output,
        expected_tax: draft.expected_tax,
        expected_jobs: draft.expected_jobs,
        referrer: draft.referrer.clone(),
        task_force: draft.task_force.clone(),
        step,
    })
}
