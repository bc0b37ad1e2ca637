//! 招商引资 as use cases: investors and leads written with the proof of
//! [`Principal::lead_write`], a lead's stage moved by `kfq_attraction`'s
//! rules, and what an idle lead is late with by the zone's limits.

mod activities;
mod chains;
pub mod import;
mod kpi;
mod published;
mod reports;
mod rules;
mod signing;

pub use activities::{
    calendar, create_activity, delete_activity, reminders, update_activity, ActivityCalendar,
    ActivityDay, ActivityTarget, MAX_WEEKS,
};
pub use chains::{
    chain_map, create_chain_link, delete_chain_link, update_chain_link, ChainLinkTarget, ChainMap,
    FillItem,
};
pub use kpi::{board, set_targets, Checked, KpiBoard, ZoneKpis};
pub use published::{agrees, compare_published, PublishedFigure};
pub use reports::{
    ledger_workbook, monthly, monthly_docx, monthly_paragraphs, monthly_xlsx, weekly, weekly_docx,
    weekly_xlsx, MonthlyAttraction, TalkLine, WeeklyTalks,
};
pub use rules::{register_first_talk, release_first_talk, set_rules, RulesBook};
pub use signing::{convert, project_of, set_fund, take_into_campaign, Conversion};

use chrono::NaiveDate;
use kfq_attraction::{check_move, LeadStage, Overdue};
use kfq_calendar::Calendar;
use kfq_domain::{FieldErrors, LeadWrite, OrgKind, Principal};
use kfq_store::{
    Actor, Investor, InvestorInput, Lead, LeadInput, OrgUnit, StageMove, Store, StoreError,
};

use crate::error::{Error, Result};

/// The zone a lead or an investor goes into: one the caller sees (else a
/// field error on `zone_id`) and may work leads in (else forbidden).
pub(crate) async fn lead_zone(
    store: &Store,
    principal: &Principal,
    zone_id: i64,
) -> Result<(OrgUnit, LeadWrite)> {
    let found = match store.org(&principal.org_visibility(), zone_id).await {
        Ok(zone) => Some(zone),
        Err(StoreError::NotFound) => None,
        Err(other) => return Err(other.into()),
    };
    let zone = found
        .filter(|z| z.kind() == OrgKind::Zone)
        .ok_or_else(|| Error::Invalid(FieldErrors::single("zone_id", "error.lead.zone")))?;
    let proof = principal
        .lead_write(&zone.org_path())
        .ok_or(Error::Forbidden)?;
    Ok((zone, proof))
}

/// A lead the caller sees, with the proof that they may work it.
#[derive(Debug, Clone)]
pub struct LeadTarget {
    lead: Lead,
    proof: LeadWrite,
}

impl LeadTarget {
    /// Out of sight: not found; in sight but not the caller's to work: forbidden.
    pub async fn check(store: &Store, principal: &Principal, id: i64) -> Result<LeadTarget> {
        let lead = store.lead(&principal.lead_sight(), id).await?;
        let proof = principal
            .lead_write(&lead.zone_org_path())
            .ok_or(Error::Forbidden)?;
        Ok(LeadTarget { lead, proof })
    }

    pub fn lead(&self) -> &Lead {
        &self.lead
    }

    pub(crate) fn proof(&self) -> &LeadWrite {
        &self.proof
    }
}

/// A new lead in a zone the caller works in. One who works only their own
/// leads (department staff) owns what they register unless they name
/// another owner and stay in its 招商专班.
pub async fn create_lead(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    input: &LeadInput,
) -> Result<Lead> {
    let (_, proof) = lead_zone(store, principal, input.zone_id).await?;
    let mut input = input.clone();
    if let Some(me) = proof.only_of() {
        if input.owner_id.is_none() {
            input.owner_id = Some(me);
        } else if input.owner_id != Some(me) && !input.members.contains(&me) {
            input.members.push(me);
        }
    }
    Ok(store.create_lead(actor, &proof, &input).await?)
}

pub async fn update_lead(
    store: &Store,
    actor: &Actor,
    target: &LeadTarget,
    expected: i64,
    input: &LeadInput,
) -> Result<Lead> {
    Ok(store
        .update_lead(actor, &target.proof, target.lead.id, expected, input)
        .await?)
}

/// Moves the lead by the stage rules, on `today`: every missing fact named
/// by its field, nothing stored.
pub async fn move_lead(
    store: &Store,
    actor: &Actor,
    target: &LeadTarget,
    expected: i64,
    step: &StageMove,
    today: NaiveDate,
) -> Result<Lead> {
    let lead = &target.lead;
    // The rules judge the lead as the caller last read it: a move sent at an
    // older version is late, not wrong.
    if expected != lead.version {
        return Err(Error::Conflict);
    }
    let mut errors = FieldErrors::new();
    if step.on > today {
        errors.add("on", "error.lead.future_date");
    }
    if step.on < lead.stage_since {
        errors.add("on", "error.lead.before_stage_since");
    }
    if let Err(more) = check_move(
        lead.stage,
        step.to,
        lead.left_at,
        &step.facts_over(lead),
        today,
    ) {
        errors.0.extend(more.0);
    }
    errors.into_result()?;
    Ok(store
        .move_lead(actor, &target.proof, lead.id, expected, step)
        .await?)
}

/// A new investor. One whose name reads as an investor the zone already
/// has (双良集团 and 双良集团有限公司) is refused unless `confirmed` says it
/// is another company: duplicates are merged, not made.
pub async fn create_investor(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    input: &InvestorInput,
    confirmed: bool,
) -> Result<Investor> {
    let (_, proof) = lead_zone(store, principal, input.zone_id).await?;
    if !confirmed
        && !store
            .investors_named_like(input.zone_id, &input.name)
            .await?
            .is_empty()
    {
        return Err(Error::Invalid(FieldErrors::single(
            "name",
            "error.investor.lookalike",
        )));
    }
    Ok(store.create_investor(actor, &proof, input).await?)
}

/// An investor the caller sees and may write, with the proof.
#[derive(Debug, Clone)]
pub struct InvestorTarget {
    investor: Investor,
    proof: LeadWrite,
}

impl InvestorTarget {
    pub async fn check(store: &Store, principal: &Principal, id: i64) -> Result<InvestorTarget> {
        let investor = store.investor(&principal.investor_visibility(), id).await?;
        let proof = principal
            .lead_write(&investor.zone_org_path())
            .ok_or(Error::Forbidden)?;
        Ok(InvestorTarget { investor, proof })
    }

    pub fn investor(&self) -> &Investor {
        &self.investor
    }
}

pub async fn update_investor(
    store: &Store,
    actor: &Actor,
    target: &InvestorTarget,
    expected: i64,
    input: &InvestorInput,
) -> Result<Investor> {
    let input = InvestorInput {
        zone_id: target.investor.zone_id,
        ..input.clone()
    };
    Ok(store
        .update_investor(actor, &target.proof, target.investor.id, expected, &input)
        .await?)
}

/// Merges the investor `from_id` into the target at `expected`: its leads
/// and contacts move over. The zone's administrator and staff only, not one
/// who works only their own leads.
pub async fn merge_investors(
    store: &Store,
    actor: &Actor,
    target: &InvestorTarget,
    expected: i64,
    from_id: i64,
) -> Result<Investor> {
    if target.proof.only_of().is_some() {
        return Err(Error::Forbidden);
    }
    Ok(store
        .merge_investors(actor, &target.proof, target.investor.id, expected, from_id)
        .await?)
}

impl InvestorTarget {
    /// Whether this person may merge duplicates into it.
    pub fn may_merge(&self) -> bool {
        self.proof.only_of().is_none()
    }
}

/// What a lead is late with on `today` by its zone's limits (研判 in
/// working days, follow-ups in calendar days).
pub fn overdue(book: &RulesBook, lead: &Lead, today: NaiveDate) -> Vec<Overdue> {
    book.limits(&lead.zone_org_path()).overdue(
        &Calendar::china(),
        lead.stage,
        lead.registered_on,
        lead.last_touch_on,
        today,
    )
}

/// The stages a lead at `stage` may be moved to from the page: forward,
/// back before signing, 终止 while open, the stage it left when ended.
pub fn next_stages(stage: LeadStage, left_at: Option<LeadStage>) -> Vec<LeadStage> {
    match stage {
        LeadStage::Terminated => left_at.into_iter().collect(),
        _ => {
            let mut next: Vec<LeadStage> = LeadStage::PIPELINE
                .iter()
                .copied()
                .filter(|s| *s != stage && (s.rank() > stage.rank() || !stage.is_signed()))
                .collect();
            if stage.is_open() {
                next.push(LeadStage::Terminated);
            }
            next
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LeadStage::*;

    #[test]
    fn the_page_offers_only_moves_the_rules_allow() {
        assert_eq!(
            next_stages(Negotiating, None),
            [Clue, Assessing, Signed, Registered, Started, Producing, Terminated]
        );
        assert_eq!(
            next_stages(Signed, None),
            [Registered, Started, Producing, Terminated]
        );
        assert_eq!(next_stages(Producing, None), Vec::<LeadStage>::new());
        assert_eq!(next_stages(Terminated, Some(Assessing)), [Assessing]);
    }
}
