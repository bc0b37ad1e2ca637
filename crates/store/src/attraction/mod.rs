//! 招商引资: the investors (客商) a zone deals with and the leads (招商项目)
//! it works from first contact to production. Reads take what the reader
//! sees ([`kfq_domain::LeadSight`] for leads); writes take the proof
//! [`kfq_domain::LeadWrite`] and run in one transaction with their audit
//! record. The stage rules are `kfq_attraction`'s; the store keeps what a
//! move brings and the move itself on record.

mod activities;
mod bulk;
mod chains;
mod first_talk;
mod import;
mod investors;
mod kpi;
mod leads;
mod signing;

pub use activities::{Activity, ActivityFilter, ActivityInput, DueStep, IdleLead, Linked};
pub use bulk::LeadRecord;
pub use chains::{ChainLink, ChainLinkInput, LinkLead, ZoneChain};
pub use first_talk::{AttractionRules, FirstTalkClaim, RivalLead, RulesInput};
pub use import::{LeadImportDone, LeadUpdate};
pub use investors::{Contact, Investor, InvestorFilter, InvestorInput};
pub use kpi::{AttractionTargets, ZoneLeadFacts};
pub use leads::{
    Lead, LeadFilter, LeadInput, LeadMember, LeadRow, LeadStageChange, StageCount, StageMove,
};
pub(crate) use signing::convert_in;
pub use signing::FundEntry;

use kfq_domain::{LeadSight, LeadWrite, OrgKind, OrgPath};
use sqlx::AnyConnection;

use crate::error::{Result, StoreError};
use crate::sql::Sql;
use crate::within;

/// The zone a row goes into: a zone, within the proof; its path.
pub(crate) async fn zone_within(
    conn: &mut AnyConnection,
    proof: &LeadWrite,
    zone_id: i64,
) -> Result<OrgPath> {
    let unit: Option<(String, String)> =
        sqlx::query_as("SELECT kind, path FROM org_units WHERE id = $1")
            .bind(zone_id)
            .fetch_optional(conn)
            .await?;
    match unit {
        Some((kind, path)) if kind == OrgKind::Zone.code() => {
            let path = OrgPath::parse(&path).map_err(|_| StoreError::NotFound)?;
            within(proof.covers(&path))?;
            Ok(path)
        }
        _ => Err(StoreError::Invalid(kfq_domain::FieldErrors::single(
            "zone_id",
            "error.lead.zone",
        ))),
    }
}

/// Narrows a query over leads `l` to what `sight` admits: the zones it sees
/// and, for one person's sight, the leads they own or work on.
pub(crate) fn lead_scope(q: &mut Sql, sight: &LeadSight) {
    q.scope(&sight.visibility, "z.path", None);
    if let Some(user) = sight.only_of {
        q.push(" AND (l.owner_id = ")
            .bind(user)
            .push(
                " OR EXISTS (SELECT 1 FROM lead_members m WHERE m.lead_id = l.id AND m.user_id = ",
            )
            .bind(user)
            .push("))");
    }
}
