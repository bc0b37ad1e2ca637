//! 产业链图谱 as use cases: a zone's map with each link's need (延链补链强链)
//! and the "to fill" list in the order a 招商局 works it; links edited by
//! those who work the whole zone's leads.

use kfq_attraction::chain::to_fill;
use kfq_attraction::{Need, Segment};
use kfq_domain::{FieldErrors, LeadWrite, Principal};
use kfq_store::{Actor, ChainLink, ChainLinkInput, Store, ZoneChain};
use serde::Serialize;

use super::lead_zone;
use crate::error::{Error, Result};

/// A link on the "to fill" list.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FillItem {
    pub link_id: i64,
    pub chain_id: i64,
    pub chain_name: String,
    pub link_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub segment: Segment,
    /// extend (延链), fill (补链) or strengthen (强链).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub need: Need,
    /// Nobody works on it: no open lead, no target company.
    pub unattended: bool,
    pub enterprises: usize,
    pub open_leads: usize,
    pub targets: usize,
}

/// A zone's chain map.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainMap {
    pub zone_id: i64,
    pub zone_name: String,
    pub chains: Vec<ZoneChain>,
    /// Links that need a firm or a second one, most urgent first.
    pub to_fill: Vec<FillItem>,
    /// Whether the caller may edit the zone's links.
    pub may_edit: bool,
}

impl ChainMap {
    /// The need of the link `id` on this map.
    pub fn need_of(&self, id: i64) -> Option<Need> {
        self.links().find(|l| l.id == id).map(|l| l.facts().need())
    }

    fn links(&self) -> impl Iterator<Item = &ChainLink> {
        self.chains.iter().flat_map(|c| c.links.iter())
    }
}

pub async fn chain_map(store: &Store, principal: &Principal, zone_id: i64) -> Result<ChainMap> {
    let zone = store.org(&principal.org_visibility(), zone_id).await?;
    if zone.kind() != kfq_domain::OrgKind::Zone {
        return Err(Error::Invalid(FieldErrors::single(
            "zone_id",
            "error.lead.zone",
        )));
    }
    // A zone that never listed its chains starts from the defaults, as the
    // ledger's forms do.
    store.industry_chains(zone_id).await?;
    let sight = principal.lead_sight();
    let chains = store.chain_map(&sight, zone_id).await?;
    let links: Vec<&ChainLink> = chains.iter().flat_map(|c| c.links.iter()).collect();
    let facts: Vec<_> = links.iter().map(|l| (l.segment, l.facts())).collect();
    let to_fill = to_fill(&facts)
        .into_iter()
        .map(|i| {
            let (link, f) = (links[i], facts[i].1);
            FillItem {
                link_id: link.id,
                chain_id: link.chain_id,
                chain_name: link.chain_name.clone(),
                link_name: link.name.clone(),
                segment: link.segment,
                need: f.need(),
                unattended: f.unattended(),
                enterprises: f.enterprises,
                open_leads: f.open_leads,
                targets: f.targets,
            }
        })
        .collect();
    let may_edit = principal
        .lead_write(&zone.org_path())
        .is_some_and(|p| p.only_of().is_none());
    Ok(ChainMap {
        zone_id,
        zone_name: zone.name,
        chains,
        to_fill,
        may_edit,
    })
}

/// A link the caller sees, with the proof that they may edit it.
#[derive(Debug, Clone)]
pub struct ChainLinkTarget {
    link: ChainLink,
    proof: LeadWrite,
}

impl ChainLinkTarget {
    pub async fn check(store: &Store, principal: &Principal, id: i64) -> Result<ChainLinkTarget> {
        let link = store.chain_link(&principal.lead_sight(), id).await?;
        let proof = principal
            .lead_write(&link.zone_org_path())
            .filter(|p| p.only_of().is_none())
            .ok_or(Error::Forbidden)?;
        Ok(ChainLinkTarget { link, proof })
    }

    pub fn link(&self) -> &ChainLink {
        &self.link
    }
}

fn checked(input: &ChainLinkInput) -> Result<()> {
    let mut e = FieldErrors::new();
    if input.name.trim().is_empty() {
        e.add("name", "error.required");
    }
    e.into_result()?;
    Ok(())
}

pub async fn create_chain_link(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    input: &ChainLinkInput,
) -> Result<ChainLink> {
    let (_, proof) = lead_zone(store, principal, input.zone_id).await?;
    if proof.only_of().is_some() {
        return Err(Error::Forbidden);
    }
    checked(input)?;
    Ok(store.create_chain_link(actor, &proof, input).await?)
}

pub async fn update_chain_link(
    store: &Store,
    actor: &Actor,
    target: &ChainLinkTarget,
    expected: i64,
    input: &ChainLinkInput,
) -> Result<ChainLink> {
    checked(input)?;
    Ok(store
        .update_chain_link(actor, &target.proof, target.link.id, expected, input)
        .await?)
}

pub async fn delete_chain_link(
    store: &Store,
    actor: &Actor,
    target: &ChainLinkTarget,
    expected: i64,
) -> Result<()> {
    Ok(store
        .delete_chain_link(actor, &target.proof, target.link.id, expected)
        .await?)
}
