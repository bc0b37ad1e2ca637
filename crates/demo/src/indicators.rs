//! Demo economic indicators: every zone's monthly figures from January of
//! last year to last month, and this year's targets, shaped like provincial
//! statistics (1–N月累计 that grow through the year, growth rates, per-亩
//! ratios with their parts). A few zones lag behind pace so the warnings
//! page has something to show. Deterministic: the same zones give the same
//! figures.

use chrono::{Datelike, NaiveDate};
use kfq_domain::{OrgKind, Oversight, OwnAccount, ZoneWrite};
use kfq_store::{Actor, FigureInput, IndicatorRow, OrgUnit, Store};

use anyhow::Result;

/// Ten-thousandths of a unit.
const SCALE: i64 = 10_000;

/// A small deterministic mix of the inputs, in 0..1000.
fn noise(a: i64, b: i64, c: i64) -> i64 {
    let mut x = (a as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add((b as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F))
        .wrapping_add((c as u64).wrapping_mul(0x1656_67B1_9E37_79F9));
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 29;
    (x % 1000) as i64
}

/// A target of one indicator: (indicator id, annual amount, growth in tenths of a percent).
pub(crate) type Target = (i64, Option<i64>, Option<i64>);

/// Seeds figures and targets for `zones`; returns how many figures.
pub async fn seed_indicators(store: &Store, zones: &[OrgUnit], today: NaiveDate) -> Result<usize> {
    let indicators = store.indicators().await?;
    let actor = Actor::system("演示数据");
    let mut count = 0;
    for zone in zones.iter().filter(|z| z.kind() == OrgKind::Zone) {
        let (figures, targets) = zone_figures(zone.id, &indicators, today);
        count += figures.len();
        store
            .record_figures(
                &actor,
                &ZoneWrite::operator(),
                (zone.id, &zone.org_path()),
                &figures,
                "demo",
            )
            .await?;
        store
            .set_targets(
                &actor,
                &Oversight::operator(),
                (zone.id, &zone.org_path()),
                today.year(),
                &targets,
            )
            .await?;
    }
    Ok(count)
}

/// One zone's monthly figures from January of last year to last month, and
/// this year's targets. Pure: the zone's id decides them.
pub(crate) fn zone_figures(
    zone_id: i64,
    indicators: &[IndicatorRow],
    today: NaiveDate,
) -> (Vec<FigureInput>, Vec<Target>) {
    let this_year = today.year();
    let last_month = if today.month() == 1 {
        (this_year - 1, 12)
    } else {
        (this_year, today.month() - 1)
    };
    // Last year in full, and this year up to last month (none in January).
    let mut spans = vec![(this_year - 1, 12)];
    if last_month.0 == this_year {
        spans.push(last_month);
    }
    // Zone size (1–4) and how well it does this year (75%–125% of plan);
    // every seventh zone lags clearly.
    let size = 1 + noise(zone_id, 0, 0) % 4;
    let performance = if zone_id % 7 == 3 {
        60 + noise(zone_id, 1, 0) % 15
    } else {
        88 + noise(zone_id, 1, 0) % 30
    };
    let mut figures = Vec::new();
    let mut targets = Vec::new();
    for (i, ind) in indicators.iter().enumerate() {
        let i = i as i64;
        // Last year's annual amount in ten-thousandths of the unit.
        let base = match ind.unit.as_str() {
            "yi_yuan" => size * (15 + noise(zone_id, i, 1) % 40) * SCALE,
            "wan_yuan" => size * (8_000 + noise(zone_id, i, 1) * 30) * SCALE,
            "wan_usd" => size * (500 + noise(zone_id, i, 1) * 3) * SCALE,
            _ => 0,
        };
        let growth_target = 60 + noise(zone_id, i, 2) % 40; // tenths: 6.0%–9.9%
        match ind.kind.as_str() {
            "cumulative" => {
                let annual_target = base * (1000 + growth_target) / 1000;
                targets.push((ind.id, Some(annual_target), Some(growth_target)));
                for &(year, months) in &spans {
                    let annual = if year == this_year {
                        annual_target * performance / 100
                    } else {
                        base
                    };
                    for month in 1..=months {
                        // Spring is slow, December heavy: share by month.
                        let wiggle =
                            95 + noise(zone_id, i, i64::from(year * 100) + i64::from(month)) % 10;
                        let value = annual * i64::from(month) / 12 * wiggle / 100;
                        figures.push(FigureInput {
                            indicator_id: ind.id,
                            year,
                            month,
                            value,
                            parts: None,
                        });
                    }
                }
            }
            "growth" => {
                targets.push((ind.id, None, Some(growth_target)));
                for &(year, months) in &spans {
                    for month in 1..=months {
                        let tenths = growth_target * performance / 100 - 10
                            + noise(zone_id, i, i64::from(month)) % 20;
                        figures.push(FigureInput {
                            indicator_id: ind.id,
                            year,
                            month,
                            value: tenths * (SCALE / 10),
                            parts: None,
                        });
                    }
                }
            }
            _ => {
                // 万元 per 亩: output or tax over the zone's land in use.
                let land = size * (3_000 + noise(zone_id, 0, 3) * 5) * SCALE;
                let per_mu = if ind.code == "tax_per_mu" { 8 } else { 250 };
                for &(year, months) in &spans {
                    let factor = if year == this_year { performance } else { 100 };
                    for month in 1..=months {
                        let numerator = land / SCALE * per_mu * factor / 100 * i64::from(month)
                            / 12
                            * SCALE
                            * (95 + noise(zone_id, i, i64::from(month)) % 10)
                            / 100;
                        figures.push(FigureInput {
                            indicator_id: ind.id,
                            year,
                            month,
                            value: numerator * SCALE / land,
                            parts: Some((numerator, land)),
                        });
                    }
                }
                let annual = land / SCALE * per_mu * SCALE * (1000 + growth_target) / 1000;
                targets.push((ind.id, Some(annual * SCALE / land), None));
            }
        }
    }
    (figures, targets)
}

/// Subscribes the demo's people to the alerts their role cares about, so
/// their in-app notices fill as the alert task scans.
pub async fn seed_subscriptions(store: &Store) -> Result<()> {
    let wanted: &[(&str, &[&str])] = &[
        (
            "yc.baolian",
            &[
                "project_red",
                "milestone_overdue",
                "blocker_overdue",
                "daily_digest",
            ],
        ),
        (
            "yc.staff",
            &[
                "project_red",
                "blocker_due_soon",
                "blocker_overdue",
                "indicator_warning",
            ],
        ),
        ("yc.admin", &["indicator_warning", "daily_digest"]),
        ("sheng.duban", &["daily_digest"]),
    ];
    let users = store
        .users(&kfq_domain::Visibility::All, &Default::default(), 0, 10_000)
        .await?
        .items;
    for (username, events) in wanted {
        if let Some(user) = users.iter().find(|u| u.username == *username) {
            store
                .set_subscriptions(&OwnAccount::operator(), user.id, events)
                .await?;
        }
    }
    Ok(())
}
