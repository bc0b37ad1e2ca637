//! 产业链图谱: the links of a zone's industry chains with, for each, the
//! zone's enterprises there, the companies it targets and the leads it
//! works on. Leads name their link by name within their chain; a link's
//! rename carries them along, a removed link leaves them unplaced (shown
//! under their chain, so nothing disappears from the map).

use std::collections::HashMap;

use kfq_attraction::{LeadStage, LinkFacts, Segment};
use kfq_domain::audit::AuditAction;
use kfq_domain::{FieldErrors, LeadSight, LeadWrite, Money, OrgPath};
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use super::activities::Linked;
use super::{lead_scope, zone_within};
use crate::audit::{record, Actor, Change};
use crate::decode;
use crate::error::{Result, StoreError};
use crate::sql::Sql;
use crate::{now_ms, within, Store};

/// A lead as the map shows it at its link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkLead {
    pub id: i64,
    pub name: String,
    pub investor_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub stage: LeadStage,
    /// Intended investment, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub investment: Money,
}

/// One link (环节) of a chain and what the zone has there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainLink {
    pub id: i64,
    pub zone_id: i64,
    #[serde(skip)]
    pub zone_path: String,
    pub chain_id: i64,
    pub chain_name: String,
    /// upstream, midstream or downstream.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub segment: Segment,
    pub name: String,
    pub sort: i64,
    /// A link the zone means to extend the chain to (延链).
    pub extension: bool,
    pub note: Option<String>,
    /// The zone's enterprises at this link.
    pub enterprises: Vec<Linked>,
    /// Target companies (目标企业): investors of the zone.
    pub targets: Vec<Linked>,
    /// Leads on this link before 注册落地 (not ended): being worked.
    pub open_leads: Vec<LinkLead>,
    /// Leads on this link that have landed (注册落地 or later): firms the
    /// zone now has here.
    pub landed_leads: Vec<LinkLead>,
    pub version: i64,
}

impl ChainLink {
    pub fn zone_org_path(&self) -> OrgPath {
        OrgPath::parse(&self.zone_path).unwrap_or_else(|_| OrgPath::root_of(self.zone_id))
    }

    /// What the link counts for its need: landed leads are firms too.
    pub fn facts(&self) -> LinkFacts {
        LinkFacts {
            enterprises: self.enterprises.len() + self.landed_leads.len(),
            open_leads: self.open_leads.len(),
            targets: self.targets.len(),
            extension: self.extension,
        }
    }
}

/// A chain of the zone with its links, upstream first, and the open leads
/// of the chain that name no link of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZoneChain {
    pub id: i64,
    pub name: String,
    pub links: Vec<ChainLink>,
    pub unplaced: Vec<LinkLead>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainLinkInput {
    pub zone_id: i64,
    pub chain_id: i64,
    pub segment: Segment,
    pub name: String,
    /// Order on its chain; none: after the others (on create), as it was
    /// (on update).
    pub sort: Option<i64>,
    pub extension: bool,
    pub note: Option<String>,
    pub enterprises: Vec<i64>,
    pub targets: Vec<i64>,
}

const COLUMNS: &str = "n.id, n.zone_id, z.path AS zone_path, n.chain_id, c.name AS chain_name, \
     n.segment, n.name, n.sort, n.extension, n.note, n.version";
const FROM: &str = "chain_nodes n JOIN org_units z ON z.id = n.zone_id \
     JOIN industry_chains c ON c.id = n.chain_id";

fn link_of(row: &sqlx::any::AnyRow) -> sqlx::Result<ChainLink> {
    Ok(ChainLink {
        id: row.try_get("id")?,
        zone_id: row.try_get("zone_id")?,
        zone_path: row.try_get("zone_path")?,
        chain_id: row.try_get("chain_id")?,
        chain_name: row.try_get("chain_name")?,
        segment: decode::code(row, "segment")?,
        name: row.try_get("name")?,
        sort: row.try_get("sort")?,
        extension: decode::flag(row, "extension")?,
        note: row.try_get("note")?,
        enterprises: Vec::new(),
        targets: Vec::new(),
        open_leads: Vec::new(),
        landed_leads: Vec::new(),
        version: row.try_get("version")?,
    })
}

/// The links picked by `condition` (on `n`), with their enterprises and
/// targets, in map order.
async fn read_links(
    conn: &mut AnyConnection,
    condition: impl FnOnce(&mut Sql),
) -> Result<Vec<ChainLink>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM {FROM} WHERE "));
    condition(&mut q);
    q.push(" ORDER BY c.sort, c.id, n.sort, n.id");
    let rows = q.query().fetch_all(&mut *conn).await?;
    let mut links: Vec<ChainLink> = rows.iter().map(link_of).collect::<sqlx::Result<_>>()?;
    let ids: Vec<i64> = links.iter().map(|l| l.id).collect();
    let mut enterprises: HashMap<i64, Vec<Linked>> = HashMap::new();
    let mut targets: HashMap<i64, Vec<Linked>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let mut q = Sql::new(
            "SELECT k.node_id, e.id, e.name FROM chain_node_enterprises k \
             JOIN enterprises e ON e.id = k.enterprise_id WHERE ",
        );
        q.any_of("k.node_id", chunk.iter().copied())
            .push(" ORDER BY e.name, e.id");
        for r in q.query().fetch_all(&mut *conn).await? {
            enterprises.entry(r.try_get(0)?).or_default().push(Linked {
                id: r.try_get(1)?,
                name: r.try_get(2)?,
            });
        }
        let mut q = Sql::new(
            "SELECT k.node_id, i.id, i.name FROM chain_node_targets k \
             JOIN investors i ON i.id = k.investor_id WHERE ",
        );
        q.any_of("k.node_id", chunk.iter().copied())
            .push(" ORDER BY i.name, i.id");
        for r in q.query().fetch_all(&mut *conn).await? {
            targets.entry(r.try_get(0)?).or_default().push(Linked {
                id: r.try_get(1)?,
                name: r.try_get(2)?,
            });
        }
    }
    for link in &mut links {
        link.enterprises = enterprises.remove(&link.id).unwrap_or_default();
        link.targets = targets.remove(&link.id).unwrap_or_default();
    }
    Ok(links)
}

async fn fetch_unscoped(conn: &mut AnyConnection, id: i64) -> Result<ChainLink> {
    read_links(conn, |q| {
        q.push("n.id = ").bind(id);
    })
    .await?
    .pop()
    .ok_or(StoreError::NotFound)
}

/// The enterprises and targets a link names are its zone's; the chain is.
async fn check_references(conn: &mut AnyConnection, input: &ChainLinkInput) -> Result<()> {
    let mut errors = FieldErrors::new();
    let chain: Option<i64> =
        sqlx::query_scalar("SELECT zone_id FROM industry_chains WHERE id = $1")
            .bind(input.chain_id)
            .fetch_optional(&mut *conn)
            .await?;
    if chain != Some(input.zone_id) {
        errors.add("chain_id", "error.chain_link.chain");
    }
    for (table, ids, field) in [
        ("enterprises", &input.enterprises, "enterprises"),
        ("investors", &input.targets, "targets"),
    ] {
        for id in ids {
            let zone: Option<i64> =
                sqlx::query_scalar(&format!("SELECT zone_id FROM {table} WHERE id = $1"))
                    .bind(*id)
                    .fetch_optional(&mut *conn)
                    .await?;
            if zone != Some(input.zone_id) {
                errors.add(field, "error.chain_link.elsewhere");
                break;
            }
        }
    }
    errors.into_result().map_err(StoreError::Invalid)
}

async fn write_members(conn: &mut AnyConnection, id: i64, input: &ChainLinkInput) -> Result<()> {
    for (table, column, ids) in [
        (
            "chain_node_enterprises",
            "enterprise_id",
            &input.enterprises,
        ),
        ("chain_node_targets", "investor_id", &input.targets),
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE node_id = $1"))
            .bind(id)
            .execute(&mut *conn)
            .await?;
        let mut seen = std::collections::BTreeSet::new();
        for member in ids.iter().filter(|m| seen.insert(**m)) {
            sqlx::query(&format!(
                "INSERT INTO {table} (zone_id, node_id, {column}) VALUES ($1, $2, $3)"
            ))
            .bind(input.zone_id)
            .bind(id)
            .bind(*member)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// Chain map edits change the zone's plan, not one person's leads.
fn whole_zone(proof: &LeadWrite) -> Result<()> {
    within(proof.only_of().is_none())
}

async fn audit(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: AuditAction,
    before: Option<&ChainLink>,
    after: Option<&ChainLink>,
) -> Result<()> {
    let Some(link) = after.or(before) else {
        return Ok(());
    };
    record(
        conn,
        actor,
        Change {
            action,
            entity: "chain_link",
            entity_id: link.id,
            zone_id: Some(link.zone_id),
            scope_path: &link.zone_org_path(),
            before,
            after,
        },
    )
    .await
}

impl Store {
    /// The zone's chains, each with its links and the leads on them that
    /// `sight` shows (one person's sight: their own leads).
    pub async fn chain_map(&self, sight: &LeadSight, zone_id: i64) -> Result<Vec<ZoneChain>> {
        let mut conn = self.pool.acquire().await?;
        let mut q = Sql::new("SELECT c.id, c.name FROM industry_chains c JOIN org_units z ON z.id = c.zone_id WHERE c.zone_id = ");
        q.bind(zone_id).push(" AND ");
        q.scope(&sight.visibility, "z.path", None);
        q.push(" ORDER BY c.sort, c.id");
        let chains = q.query().fetch_all(&mut *conn).await?;
        let mut links = read_links(&mut conn, |q| {
            q.push("n.zone_id = ").bind(zone_id);
        })
        .await?;
        let mut q = Sql::new(
            "SELECT l.id, l.name, i.name AS investor_name, l.stage, l.investment, l.industry_chain_id, l.chain_node \
             FROM leads l JOIN org_units z ON z.id = l.zone_id JOIN investors i ON i.id = l.investor_id \
             WHERE l.zone_id = ",
        );
        q.bind(zone_id)
            .push(" AND l.industry_chain_id IS NOT NULL AND l.stage <> ")
            .bind(LeadStage::Terminated.code())
            .push(" AND ");
        lead_scope(&mut q, sight);
        q.push(" ORDER BY l.investment DESC, l.id");
        let mut by_link: HashMap<(i64, String), Vec<LinkLead>> = HashMap::new();
        for r in q.query().fetch_all(&mut *conn).await? {
            let lead = LinkLead {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                investor_name: r.try_get("investor_name")?,
                stage: decode::code(&r, "stage")?,
                investment: decode::money(&r, "investment")?,
            };
            let chain: i64 = r.try_get("industry_chain_id")?;
            let node: Option<String> = r.try_get("chain_node")?;
            by_link
                .entry((chain, node.unwrap_or_default().trim().to_owned()))
                .or_default()
                .push(lead);
        }
        let mut map = Vec::with_capacity(chains.len());
        for r in chains {
            let id: i64 = r.try_get(0)?;
            let mut chain = ZoneChain {
                id,
                name: r.try_get(1)?,
                links: Vec::new(),
                unplaced: Vec::new(),
            };
            for mut link in links.extract_if(.., |l| l.chain_id == id) {
                let leads = by_link.remove(&(id, link.name.clone())).unwrap_or_default();
                (link.landed_leads, link.open_leads) = leads
                    .into_iter()
                    .partition(|l| l.stage.rank() >= LeadStage::Registered.rank());
                chain.links.push(link);
            }
            // Upstream, midstream, downstream; the zone's order within each.
            chain.links.sort_by_key(|l| {
                (
                    Segment::ALL.iter().position(|s| *s == l.segment),
                    l.sort,
                    l.id,
                )
            });
            let mut rest: Vec<LinkLead> = by_link
                .extract_if(|(c, _), _| *c == id)
                .flat_map(|(_, leads)| leads)
                .filter(|l| l.stage.rank() < LeadStage::Registered.rank())
                .collect();
            rest.sort_by(|a, b| b.investment.cmp(&a.investment).then(a.id.cmp(&b.id)));
            chain.unplaced = rest;
            map.push(chain);
        }
        Ok(map)
    }

    pub async fn chain_link(&self, sight: &LeadSight, id: i64) -> Result<ChainLink> {
        let mut conn = self.pool.acquire().await?;
        let link = fetch_unscoped(&mut conn, id).await?;
        if !sight.visibility.admits(&link.zone_org_path(), None) {
            return Err(StoreError::NotFound);
        }
        Ok(link)
    }

    pub async fn create_chain_link(
        &self,
        actor: &Actor,
        proof: &LeadWrite,
        input: &ChainLinkInput,
    ) -> Result<ChainLink> {
        whole_zone(proof)?;
        let mut tx = self.begin_write().await?;
        zone_within(&mut tx, proof, input.zone_id).await?;
        check_references(&mut tx, input).await?;
        let now = now_ms();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO chain_nodes (zone_id, chain_id, segment, name, sort, extension, note, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, COALESCE($5, (SELECT COALESCE(MAX(sort), 0) + 1 FROM chain_nodes \
             WHERE zone_id = $1 AND chain_id = $2)), $6, $7, $8, $8) RETURNING id",
        )
        .bind(input.zone_id)
        .bind(input.chain_id)
        .bind(input.segment.code())
        .bind(input.name.trim())
        .bind(input.sort)
        .bind(i64::from(input.extension))
        .bind(&input.note)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        write_members(&mut tx, id, input).await?;
        let created = fetch_unscoped(&mut tx, id).await?;
        audit(&mut tx, actor, AuditAction::Create, None, Some(&created)).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Updates a link (it stays on its chain); a new name carries the
    /// chain's leads that named the old one, each lead's version moving so
    /// a form read before cannot put the old name back.
    pub async fn update_chain_link(
        &self,
        actor: &Actor,
        proof: &LeadWrite,
        id: i64,
        expected_version: i64,
        input: &ChainLinkInput,
    ) -> Result<ChainLink> {
        whole_zone(proof)?;
        let mut tx = self.begin_write().await?;
        let before = fetch_unscoped(&mut tx, id).await?;
        within(proof.covers(&before.zone_org_path()))?;
        let input = ChainLinkInput {
            zone_id: before.zone_id,
            chain_id: before.chain_id,
            ..input.clone()
        };
        check_references(&mut tx, &input).await?;
        let now = now_ms();
        crate::versioned::one_row(
            sqlx::query(
                "UPDATE chain_nodes SET segment = $1, name = $2, sort = COALESCE($3, sort), extension = $4, note = $5, \
                 version = version + 1, updated_at = $6 WHERE id = $7 AND version = $8",
            )
            .bind(input.segment.code())
            .bind(input.name.trim())
            .bind(input.sort)
            .bind(i64::from(input.extension))
            .bind(&input.note)
            .bind(now)
            .bind(id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await?,
        )?;
        if input.name.trim() != before.name {
            sqlx::query(
                "UPDATE leads SET chain_node = $1, version = version + 1, updated_at = $2 \
                 WHERE zone_id = $3 AND industry_chain_id = $4 AND chain_node = $5",
            )
            .bind(input.name.trim())
            .bind(now)
            .bind(before.zone_id)
            .bind(before.chain_id)
            .bind(&before.name)
            .execute(&mut *tx)
            .await?;
        }
        write_members(&mut tx, id, &input).await?;
        let after = fetch_unscoped(&mut tx, id).await?;
        audit(
            &mut tx,
            actor,
            AuditAction::Update,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Removes a link; its leads keep their link's name and show as
    /// unplaced on their chain.
    pub async fn delete_chain_link(
        &self,
        actor: &Actor,
        proof: &LeadWrite,
        id: i64,
        expected_version: i64,
    ) -> Result<()> {
        whole_zone(proof)?;
        let mut tx = self.begin_write().await?;
        let before = fetch_unscoped(&mut tx, id).await?;
        within(proof.covers(&before.zone_org_path()))?;
        crate::versioned::claim(&mut tx, "chain_nodes", id, expected_version).await?;
        crate::versioned::delete_claimed(
            &mut tx,
            actor,
            ("chain_nodes", "chain_link"),
            id,
            (Some(before.zone_id), &before.zone_org_path()),
            &before,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
