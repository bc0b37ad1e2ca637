//! The ledger as it stood, kept zone by zone. A country's monthly report or
//! quarter's scores read a quarter of a million projects as of a cut-off
//! (about a second and a half of reads on two cores), and at that scale some
//! zone changes something every few seconds, so a result kept whole would
//! seldom be reused. Each zone's part is kept instead, with the head of the
//! zone's audit chain and of chain 0 (units above zones) it was read under;
//! a request reads the heads (one statement) and only the zones whose head
//! has moved.
//!
//! Why a kept part is the answer for a later cut-off: every write that the
//! ledger as of reads — projects, stages, plans, months, blockers,
//! milestones, the names of the zone, its departments and its people — is
//! audited on the zone's chain (or chain 0) in the same transaction. A part
//! is kept only when read with a cut-off no earlier than the moment its
//! heads were read, so every write those heads count is in it; any later
//! write moves a head. Cut-offs are the writers' clocks (`now_ms`), which
//! instances are expected to agree on, as the cut-offs themselves assume.
//! A cut-off earlier than a part's is read afresh (issued reports, quarters
//! closed long ago), never from what was kept.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use kfq_monthly_report::{Period, ProjectAsOf};

use crate::error::Result;
use crate::sql::in_list;
use crate::Store;

/// Projects kept at most, over every zone and month: a country's ledger
/// for two months (the month's report and the quarter's scores), some
/// 300 MB at most; a province's takes a few MB.
const MOST_PROJECTS: usize = 600_000;

/// Up to this many zones, their heads are read by name; beyond, all heads.
const HEADS_BY_NAME: usize = 500;

#[derive(Default)]
pub(crate) struct KeptLedgers {
    kept: Mutex<Kept>,
}

impl fmt::Debug for KeptLedgers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kept = self.kept.lock().expect("kept ledgers");
        f.debug_struct("KeptLedgers")
            .field("zones", &kept.zones.len())
            .field("projects", &kept.projects)
            .finish()
    }
}

#[derive(Default)]
struct Kept {
    zones: HashMap<(i64, Period), Part>,
    projects: usize,
    /// Counts uses, to drop the least recently used parts first.
    clock: u64,
}

struct Part {
    /// (the zone's chain, chain 0) when read.
    heads: (i64, i64),
    cut_off: i64,
    projects: Arc<[ProjectAsOf]>,
    used: u64,
}

/// The heads of chain 0 and of each zone's chain (0 for a chain without a
/// record yet).
struct Heads {
    above: i64,
    zones: HashMap<i64, i64>,
}

impl Heads {
    fn of(&self, zone: i64) -> (i64, i64) {
        (self.zones.get(&zone).copied().unwrap_or(0), self.above)
    }
}

impl Kept {
    /// The part of `zone` valid for `cut_off` under `heads`, marked used.
    fn get(
        &mut self,
        zone: i64,
        period: Period,
        heads: (i64, i64),
        cut_off: i64,
    ) -> Option<Arc<[ProjectAsOf]>> {
        self.clock += 1;
        let clock = self.clock;
        let part = self.zones.get_mut(&(zone, period))?;
        (part.heads == heads && part.cut_off <= cut_off).then(|| {
            part.used = clock;
            part.projects.clone()
        })
    }

    fn put(&mut self, zone: i64, period: Period, part: Part) {
        self.projects += part.projects.len();
        if let Some(old) = self.zones.insert((zone, period), part) {
            self.projects -= old.projects.len();
        }
        if self.projects > MOST_PROJECTS {
            // Down to three quarters at once, least recently used first, so
            // dropping is seldom.
            let mut by_use: Vec<((i64, Period), u64, usize)> = self
                .zones
                .iter()
                .map(|(key, part)| (*key, part.used, part.projects.len()))
                .collect();
            by_use.sort_by_key(|(_, used, _)| *used);
            for (key, _, len) in by_use {
                if self.projects <= MOST_PROJECTS / 4 * 3 {
                    break;
                }
                self.zones.remove(&key);
                self.projects -= len;
            }
        }
    }
}

impl Store {
    async fn chain_heads(&self, zones: &[i64]) -> Result<Heads> {
        let sql = if zones.len() <= HEADS_BY_NAME {
            let mut chains = Vec::with_capacity(zones.len() + 1);
            chains.push(0);
            chains.extend_from_slice(zones);
            format!(
                "SELECT chain, seq FROM audit_heads WHERE {}",
                in_list("chain", &chains)
            )
        } else {
            "SELECT chain, seq FROM audit_heads".to_owned()
        };
        let rows: Vec<(i64, i64)> = sqlx::query_as(&sql).fetch_all(&self.pool).await?;
        let mut heads = Heads {
            above: 0,
            zones: HashMap::with_capacity(rows.len()),
        };
        for (chain, seq) in rows {
            if chain == 0 {
                heads.above = seq;
            } else {
                heads.zones.insert(chain, seq);
            }
        }
        Ok(heads)
    }

    /// The ledger of `zones` at the close of `period` as it stands, and the
    /// cut-off that names it (the moment after the heads were read, so what
    /// is read is kept for later cut-offs).
    pub async fn ledger_as_it_stands(
        &self,
        zones: &[i64],
        period: Period,
    ) -> Result<(i64, Vec<ProjectAsOf>)> {
        let heads = self.chain_heads(zones).await?;
        let cut_off = crate::now_ms();
        let ledger = self
            .kept_or_read(zones, period, &heads, cut_off, true)
            .await?;
        Ok((cut_off, ledger))
    }

    /// [`Store::ledger_as_of`]: the zones kept for `recorded_by` from
    /// earlier, the others read (and kept when the cut-off allows).
    pub(crate) async fn ledger_as_of_kept(
        &self,
        zones: &[i64],
        period: Period,
        recorded_by: i64,
    ) -> Result<Vec<ProjectAsOf>> {
        let heads = self.chain_heads(zones).await?;
        // Kept only when no write the heads count can be later than the
        // cut-off: the moment is taken after the heads are read.
        let keep = recorded_by >= crate::now_ms();
        self.kept_or_read(zones, period, &heads, recorded_by, keep)
            .await
    }

    async fn kept_or_read(
        &self,
        zones: &[i64],
        period: Period,
        heads: &Heads,
        recorded_by: i64,
        keep: bool,
    ) -> Result<Vec<ProjectAsOf>> {
        let mut zones = zones.to_vec();
        zones.sort_unstable();
        zones.dedup();
        let parts: Vec<Option<Arc<[ProjectAsOf]>>> = {
            let mut kept = self.kept_ledgers.kept.lock().expect("kept ledgers");
            zones
                .iter()
                .map(|&z| kept.get(z, period, heads.of(z), recorded_by))
                .collect()
        };
        let missing: Vec<i64> = zones
            .iter()
            .zip(&parts)
            .filter(|(_, part)| part.is_none())
            .map(|(&z, _)| z)
            .collect();
        let read = if missing.is_empty() {
            Vec::new()
        } else {
            self.ledger_as_of_via(&missing, period, recorded_by, crate::Transport::Auto)
                .await?
        };
        tracing::debug!(
            zones = zones.len(),
            read = missing.len(),
            "ledger as of, zones kept"
        );
        // The rows come by zone, in id order: cut them into each zone's part.
        let mut fresh: HashMap<i64, Arc<[ProjectAsOf]>> = HashMap::with_capacity(missing.len());
        let mut rows = read.into_iter().peekable();
        while let Some(first) = rows.next() {
            let zone = first.zone.id;
            let mut part = vec![first];
            while let Some(next) = rows.next_if(|p| p.zone.id == zone) {
                part.push(next);
            }
            fresh.insert(zone, part.into());
        }
        if keep && !missing.is_empty() {
            let empty: Arc<[ProjectAsOf]> = Arc::new([]);
            let mut kept = self.kept_ledgers.kept.lock().expect("kept ledgers");
            for zone in &missing {
                let projects = fresh.get(zone).cloned().unwrap_or_else(|| empty.clone());
                let part = Part {
                    heads: heads.of(*zone),
                    cut_off: recorded_by,
                    projects,
                    used: kept.clock,
                };
                kept.put(*zone, period, part);
            }
        }
        let parts: Vec<&Arc<[ProjectAsOf]>> = zones
            .iter()
            .zip(&parts)
            .filter_map(|(zone, kept)| kept.as_ref().or_else(|| fresh.get(zone)))
            .collect();
        let mut out = Vec::with_capacity(parts.iter().map(|p| p.len()).sum());
        for part in parts {
            out.extend(part.iter().cloned());
        }
        Ok(out)
    }
}

impl Store {
    /// The zones and months kept, with the cut-off each was read for (for
    /// tests).
    #[doc(hidden)]
    pub fn kept_ledger_parts(&self) -> Vec<(i64, Period, i64)> {
        let kept = self.kept_ledgers.kept.lock().expect("kept ledgers");
        let mut parts: Vec<_> = kept
            .zones
            .iter()
            .map(|((zone, period), part)| (*zone, *period, part.cut_off))
            .collect();
        parts.sort_unstable();
        parts
    }
}
