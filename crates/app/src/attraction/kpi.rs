//! The 招商引资 board of a unit (a zone, a city, a province): the year's
//! figures against the targets set from above, the zones under it ranked,
//! the signings month by month against last year's; and the targets' use
//! case.

use chrono::{Datelike, NaiveDate};
use kfq_attraction::kpi::{kpis, progress, rate_light, Kpis, LeadFacts, Progress};
use kfq_domain::{FieldErrors, Money, OrgKind, Principal, Rag};
use kfq_store::{Actor, AttractionTargets, OrgFilter, OrgUnit, Store};
use serde::Serialize;

use crate::error::{Error, Result};

/// One zone's figures on the board.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZoneKpis {
    pub zone_id: i64,
    pub zone_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub kpis: Kpis,
    /// 签约额 against the zone's own target, when it has one.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub signed_amount_progress: Option<Progress>,
}

/// A figure of the unit against its target.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Checked {
    /// signed, signed_amount, over_one_yi, out_of_province_amount, start_rate.
    pub figure: &'static str,
    pub actual: i64,
    pub target: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub progress: Option<Progress>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub rag: Rag,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KpiBoard {
    pub org_id: i64,
    pub org_name: String,
    pub year: i32,
    /// The day the figures stand on: today, or the year's last day.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub on: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub kpis: Kpis,
    pub targets: AttractionTargets,
    /// Each figure that has a target, against it.
    pub checked: Vec<Checked>,
    /// The zones under the unit, by 签约额, largest first.
    pub zones: Vec<ZoneKpis>,
    /// 签约额 by month of this year and of last year, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<i64>))]
    pub monthly: Vec<Money>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<i64>))]
    pub monthly_last_year: Vec<Money>,
    /// Whether the caller sets this unit's targets.
    pub may_set_targets: bool,
}

fn by_month(facts: &[&LeadFacts], year: i32, on: NaiveDate) -> Vec<Money> {
    let mut months = vec![Money::ZERO; 12];
    for f in facts {
        let ended = f.stage == Some(kfq_attraction::LeadStage::Terminated);
        if let (Some(d), Some(amount), false) = (f.signed_on, f.signed_amount, ended) {
            if d.year() == year && d <= on {
                months[d.month0() as usize] = months[d.month0() as usize] + amount;
            }
        }
    }
    months
}

/// Each figure with a target, against it on `on`.
fn checked(k: &Kpis, t: &AttractionTargets, on: NaiveDate) -> Vec<Checked> {
    let month = on.month();
    let mut out = Vec::new();
    let mut paced = |figure, actual: i64, target: Option<i64>| {
        if let Some(target) = target.filter(|t| *t > 0) {
            let p = progress(actual, target, month);
            out.push(Checked {
                figure,
                actual,
                target,
                rag: p.map(|p| p.rag).unwrap_or(Rag::Red),
                progress: p,
            });
        }
    };
    paced("signed", k.signed, t.signed);
    paced(
        "signed_amount",
        k.signed_amount.yuan(),
        t.signed_amount.map(Money::yuan),
    );
    paced("over_one_yi", k.over_one_yi, t.over_one_yi);
    paced(
        "out_of_province_amount",
        k.out_of_province_amount.yuan(),
        t.out_of_province_amount.map(Money::yuan),
    );
    if let (Some(target), Some(rate)) = (t.start_rate_tenths, k.started_same_year.tenths()) {
        out.push(Checked {
            figure: "start_rate",
            actual: rate,
            target,
            progress: None,
            rag: rate_light(rate, target),
        });
    }
    out
}

/// The board of the unit `org_id` for `year`, as the caller sees its leads;
/// above a zone each project counts once.
pub async fn board(
    store: &Store,
    principal: &Principal,
    org_id: i64,
    year: i32,
    today: NaiveDate,
) -> Result<KpiBoard> {
    let unit = store.org(&principal.org_visibility(), org_id).await?;
    let on = today.min(NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today));
    let sight = principal.lead_sight();
    let path = unit.org_path();
    let above_zones = unit.kind() != OrgKind::Zone && unit.kind() != OrgKind::Department;
    let facts = store
        .signed_lead_facts(&sight, &path, on, above_zones)
        .await?;
    let all: Vec<LeadFacts> = facts.iter().map(|f| f.facts.clone()).collect();
    let k = kpis(&all, year, on);
    let targets = store.attraction_targets(unit.id, year).await?;
    let mut zones = Vec::new();
    if above_zones {
        let filter = OrgFilter {
            kind: Some(OrgKind::Zone),
            ..Default::default()
        };
        let units: Vec<OrgUnit> = store
            .orgs(
                &kfq_domain::Visibility::Subtree(path.clone()),
                &filter,
                0,
                10_000,
            )
            .await?
            .items;
        let zone_targets = store.attraction_targets_under(&path, year).await?;
        for z in units {
            let own: Vec<LeadFacts> = facts
                .iter()
                .filter(|f| f.zone_id == z.id)
                .map(|f| f.facts.clone())
                .collect();
            let zk = kpis(&own, year, on);
            let signed_amount_progress = zone_targets
                .iter()
                .find(|t| t.org_id == z.id)
                .and_then(|t| t.signed_amount)
                .and_then(|t| progress(zk.signed_amount.yuan(), t.yuan(), on.month()));
            zones.push(ZoneKpis {
                zone_id: z.id,
                zone_name: z.name,
                kpis: zk,
                signed_amount_progress,
            });
        }
        zones.sort_by(|a, b| {
            b.kpis
                .signed_amount
                .cmp(&a.kpis.signed_amount)
                .then(a.zone_name.cmp(&b.zone_name))
        });
    }
    let refs: Vec<&LeadFacts> = all.iter().collect();
    let last_year_end = NaiveDate::from_ymd_opt(year - 1, 12, 31).unwrap_or(on);
    Ok(KpiBoard {
        org_id: unit.id,
        org_name: unit.name.clone(),
        year,
        on,
        checked: checked(&k, &targets, on),
        monthly: by_month(&refs, year, on),
        monthly_last_year: by_month(&refs, year - 1, last_year_end),
        kpis: k,
        targets,
        zones,
        may_set_targets: principal.oversight(&path).is_some(),
    })
}

/// Sets the unit's targets for a year, from above; each figure at least
/// zero, the start rate at most 100%.
pub async fn set_targets(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    targets: &AttractionTargets,
    expected: i64,
) -> Result<AttractionTargets> {
    let unit = store
        .org(&principal.org_visibility(), targets.org_id)
        .await?;
    let proof = principal
        .oversight(&unit.org_path())
        .ok_or(Error::Forbidden)?;
    let mut e = FieldErrors::new();
    for (field, value) in [
        ("signed", targets.signed),
        ("over_one_yi", targets.over_one_yi),
        ("signed_amount", targets.signed_amount.map(Money::yuan)),
        (
            "out_of_province_amount",
            targets.out_of_province_amount.map(Money::yuan),
        ),
    ] {
        if value.is_some_and(|v| v < 0) {
            e.add(field, "error.money.negative");
        }
    }
    if targets
        .start_rate_tenths
        .is_some_and(|r| !(0..=1000).contains(&r))
    {
        e.add("start_rate", "error.attraction.rate_range");
    }
    kfq_domain::validation::year(i64::from(targets.year))
        .map_err(|key| FieldErrors::single("year", key))?;
    e.into_result()?;
    Ok(store
        .set_attraction_targets(actor, &proof, targets, expected)
        .await?)
}
