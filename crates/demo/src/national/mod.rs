//! The demo at national scale (`kfq demo --scale national`, PostgreSQL only):
//! [`NATIONAL_ZONES`] zones under the 31 provinces, each with the province
//! scale's ledger of 100 projects (five years of monthly investment, plans,
//! stage histories, milestones, blockers) and the standard indicators'
//! monthly figures. A quarter of a million projects and some eleven million
//! monthly figures are far too many for audited inserts, so the rows go in by
//! PostgreSQL COPY, generated on a blocking thread while the previous batch
//! is being sent.
//!
//! The rows loaded here have no audit records: demo data is not anybody's
//! act. Nothing is written to the audit tables either, so the chains the
//! demo organisation's audited seeding made stay whole.

mod rows;
mod tree;

use std::time::Instant;

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use kfq_domain::{OrgKind, Visibility};
use kfq_store::bulk_copy::{BulkCopy, CopyRows};
use kfq_store::{Backend, OrgUnit, Store};

use crate::ledger::{zone_refs, ZoneRefs};
use crate::province::zone_records;

pub use tree::NATIONAL_ZONES;

/// Zones generated and sent per batch: about 10,000 projects and 600,000
/// monthly figures, some 20 MB of COPY text.
const ZONES_PER_BATCH: usize = 100;

/// The tables the national scale fills, for the counts it reports.
pub const NATIONAL_TABLES: &[&str] = &[
    "org_units",
    "industry_chains",
    "projects",
    "project_stage_changes",
    "project_plans",
    "project_investments",
    "project_milestones",
    "blockers",
    "indicator_values",
    "indicator_revisions",
    "indicator_targets",
];

/// What the national scale came to.
#[derive(Debug, Clone, Default)]
pub struct NationalSummary {
    pub zones: usize,
    pub projects: usize,
    /// Rows of each of [`NATIONAL_TABLES`] after seeding.
    pub rows: Vec<(&'static str, i64)>,
    /// `pg_size_pretty(pg_database_size(…))`.
    pub database_size: String,
    /// Seconds spent per step, in order.
    pub steps: Vec<(&'static str, f64)>,
}

/// Grows the seeded demo organisation (`crate::seed`, whose zones are
/// `demo_zones`) into the national tree and fills every zone's ledger and
/// indicators. `url` is the store's PostgreSQL database.
pub async fn seed_national(
    store: &Store,
    url: &str,
    demo_zones: &[OrgUnit],
    today: NaiveDate,
) -> Result<NationalSummary> {
    if store.backend() != Backend::Postgres {
        bail!("the national scale loads by PostgreSQL COPY: give --database postgres://…");
    }
    let mut summary = NationalSummary::default();
    let mut clock = Instant::now();
    let mut step = |summary: &mut NationalSummary, name: &'static str| {
        summary.steps.push((name, clock.elapsed().as_secs_f64()));
        tracing::info!(
            step = name,
            seconds = clock.elapsed().as_secs_f64(),
            "national scale"
        );
        clock = Instant::now();
    };
    // The demo zones' references as the store has them; this also gives them
    // their industry chains, before new chains are numbered below.
    let mut refs: Vec<ZoneRefs> = Vec::with_capacity(NATIONAL_ZONES);
    for zone in demo_zones {
        refs.push(zone_refs(store, zone).await?);
    }
    let mut bulk = BulkCopy::connect(url)
        .await
        .context("cannot open a COPY connection")?;
    let now = kfq_store::now_ms();

    // The tree.
    let existing = store.org_tree(&Visibility::All).await?;
    let units = tree::plan(&existing, bulk.max_id("org_units").await? + 1);
    let mut rows = rows::org_units(&units, now);
    bulk.copy(&mut rows).await?;
    bulk.reset_identity("org_units").await?;
    step(&mut summary, "org_units");

    // Each new zone's industry chains, the defaults the store would add.
    let (mut rows, chains) =
        rows::industry_chains(&units, bulk.max_id("industry_chains").await? + 1);
    bulk.copy(&mut rows).await?;
    bulk.reset_identity("industry_chains").await?;
    for unit in units.iter().filter(|u| u.kind == OrgKind::Zone) {
        refs.push(ZoneRefs {
            zone: unit.as_org_unit(now),
            departments: units
                .iter()
                .filter(|d| d.kind == OrgKind::Department && d.parent_id == Some(unit.id))
                .map(|d| d.id)
                .collect(),
            chains: chains
                .iter()
                .filter(|(zone, _, _)| *zone == unit.id)
                .map(|(_, id, name)| (*id, name.clone()))
                .collect(),
            enterprises: Vec::new(),
            liaisons: Vec::new(),
        });
    }
    summary.zones = refs.len();
    step(&mut summary, "industry_chains");

    // The ledgers, generated a batch ahead of the COPY.
    let first_project = bulk.max_id("projects").await? + 1;
    let zones: Vec<OrgUnit> = refs.iter().map(|r| r.zone.clone()).collect();
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<CopyRows>>(2);
    let generator = tokio::task::spawn_blocking(move || {
        let mut next_id = first_project;
        let mut projects = 0;
        for (batch, chunk) in refs.chunks(ZONES_PER_BATCH).enumerate() {
            let mut tables = rows::LedgerRows::new();
            for (k, zone) in chunk.iter().enumerate() {
                let n = batch * ZONES_PER_BATCH + k;
                let records = zone_records(zone, n, today);
                projects += records.len();
                next_id = tables.push_zone(&records, next_id, now);
            }
            if sender.blocking_send(tables.into_vec()).is_err() {
                break;
            }
        }
        projects
    });
    let mut batches = 0;
    while let Some(mut tables) = receiver.recv().await {
        for rows in &mut tables {
            bulk.copy(rows).await?;
        }
        batches += 1;
        tracing::info!(
            zones = (batches * ZONES_PER_BATCH).min(zones.len()),
            "seeding the country"
        );
    }
    summary.projects = generator.await.context("the ledger generator failed")?;
    bulk.reset_identity("projects").await?;
    step(&mut summary, "ledgers");

    // The standard indicators' monthly figures and this year's targets.
    let indicators = store.indicators().await?;
    let mut tables = rows::IndicatorRows::new();
    for (n, zone) in zones.iter().enumerate() {
        tables.push_zone(zone.id, &indicators, today, now);
        if (n + 1) % ZONES_PER_BATCH == 0 || n + 1 == zones.len() {
            for rows in tables.tables() {
                bulk.copy(rows).await?;
            }
        }
    }
    step(&mut summary, "indicators");

    // Every project's status, then the planner's statistics.
    let calendar = kfq_calendar::Calendar::china();
    let working_days =
        move |from: NaiveDate, to: NaiveDate| calendar.working_days_between(from, to);
    store.refresh_stale_rag(today, &working_days).await?;
    step(&mut summary, "status");
    store.analyze().await?;
    step(&mut summary, "vacuum analyze");

    for table in NATIONAL_TABLES {
        summary.rows.push((table, bulk.count(table).await?));
    }
    summary.database_size = bulk.database_size().await?;
    bulk.close().await?;
    Ok(summary)
}

#[cfg(test)]
mod tests;
