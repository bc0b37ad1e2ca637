//! The indicator writes as use cases: a zone's monthly figures (its own
//! staff), yearly targets (set from above), the indicator import (every zone
//! of a table), and the catalogue and warning rules (the administrator's).

use kfq_domain::{FieldErrors, OrgKind, OrgPath, Oversight, Principal, ZoneWrite};
use kfq_indicators::{IndicatorDef, IndicatorDraft, WarningRules};
use kfq_store::{Actor, FigureInput, IndicatorInput, IndicatorRow, OrgUnit, Store};

use crate::error::{Error, Result};

/// A unit the caller was shown must be a zone: another is a field error on
/// `zone_id` (the form's choice).
fn zone(zone: OrgUnit) -> Result<OrgUnit> {
    if zone.kind() != OrgKind::Zone {
        return Err(Error::Invalid(FieldErrors::single(
            "zone_id",
            "error.enterprise.zone",
        )));
    }
    Ok(zone)
}

/// A zone whose monthly figures the caller may enter, with the proof of it.
#[derive(Debug, Clone)]
pub struct FiguresTarget {
    zone: OrgUnit,
    proof: ZoneWrite,
}

impl FiguresTarget {
    /// `unit` is one the caller sees (read with their visibility).
    pub fn of(principal: &Principal, unit: OrgUnit) -> Result<Self> {
        let zone = zone(unit)?;
        let proof = principal
            .zone_write(&zone.org_path())
            .ok_or(Error::Forbidden)?;
        Ok(FiguresTarget { zone, proof })
    }

    pub fn zone(&self) -> &OrgUnit {
        &self.zone
    }
}

/// A zone whose yearly targets the caller may set (from above), with the proof of it.
#[derive(Debug, Clone)]
pub struct TargetsTarget {
    zone: OrgUnit,
    proof: Oversight,
}

impl TargetsTarget {
    /// `unit` is one the caller sees (read with their visibility).
    pub fn of(principal: &Principal, unit: OrgUnit) -> Result<Self> {
        let zone = zone(unit)?;
        let proof = principal
            .oversight(&zone.org_path())
            .ok_or(Error::Forbidden)?;
        Ok(TargetsTarget { zone, proof })
    }

    pub fn zone(&self) -> &OrgUnit {
        &self.zone
    }
}

/// Records a month's figures of one zone; each keeps its earlier revisions.
/// `source` says where they came from (form, api). Answers how many figures
/// were recorded.
pub async fn record_figures(
    store: &Store,
    actor: &Actor,
    target: &FiguresTarget,
    figures: &[FigureInput],
    source: &str,
) -> Result<usize> {
    Ok(store
        .record_figures(
            actor,
            &target.proof,
            (target.zone.id, &target.zone.org_path()),
            figures,
            source,
        )
        .await?)
}

pub async fn set_targets(
    store: &Store,
    actor: &Actor,
    target: &TargetsTarget,
    year: i32,
    lines: &[(i64, Option<i64>, Option<i64>)],
) -> Result<()> {
    Ok(store
        .set_targets(
            actor,
            &target.proof,
            (target.zone.id, &target.zone.org_path()),
            year,
            lines,
        )
        .await?)
}

/// Records an imported table's figures, every zone of it in one transaction.
/// The proof is of where the caller stands (the first zone's reach); the
/// store checks every zone of the table against it.
pub async fn import_figures(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    zones: &[(i64, OrgPath, Vec<FigureInput>)],
) -> Result<usize> {
    let Some((_, first, _)) = zones.first() else {
        return Ok(0);
    };
    let proof = principal.unit_write(first).ok_or(Error::Forbidden)?;
    Ok(store
        .record_zones_figures(actor, &proof, zones, "import")
        .await?)
}

/// Adds an indicator to the catalogue every zone reports on.
pub async fn add_indicator(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    draft: &IndicatorDraft,
) -> Result<IndicatorRow> {
    let proof = principal.system_admin().ok_or(Error::Forbidden)?;
    let existing = store.indicators().await?;
    let codes: Vec<&str> = existing.iter().map(|i| i.code.as_str()).collect();
    let def = IndicatorDef::parse(draft, &codes)?;
    Ok(store
        .add_indicator(
            actor,
            &proof,
            &IndicatorInput {
                code: def.code.clone(),
                name: def.name.clone(),
                unit: def.unit.code().to_owned(),
                kind: def.kind.code().to_owned(),
                roll_up: def.roll_up.code().to_owned(),
                direction: def.direction.code().to_owned(),
            },
        )
        .await?)
}

pub async fn set_warning_rules(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    rules: &WarningRules,
) -> Result<()> {
    let proof = principal.system_admin().ok_or(Error::Forbidden)?;
    rules
        .check()
        .map_err(|key| FieldErrors::single("pace_points", key))?;
    let text = serde_json::to_string(rules).map_err(anyhow::Error::from)?;
    Ok(store.set_warning_rules(actor, &proof, &text).await?)
}
