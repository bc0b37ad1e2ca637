//! Demo economic indicators: every zone's monthly figures from January of
//! last year to last month, and this year's targets, shaped like provincial
//! statistics (1–N月累计 that grow through the year, growth rates, per-亩
//! ratios with their parts). Each zone's indicators fall short of their
//! target growth by a gap of their own that moves month to month, so the
//! warnings are a mix as a province's are: mostly green, some yellow, a few
//! red, some zones doing well and a few lagging. Deterministic: the same
//! zones give the same figures.

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
    // Zone size (1–4), and how the zone does this year.
    let size = 1 + noise(zone_id, 0, 0) % 4;
    let mood = mood(zone_id);
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
                                                            // How far this year's growth falls from its target, in tenths of a
                                                            // point, month by month: mostly within 2.5 points (green), some
                                                            // further (yellow), a few beyond 5 (red); lagging zones more often.
        let gap = this_year_gap(zone_id, i, mood);
        let gap = |month: u32| {
            let g = gap(month);
            if ind.direction == "lower_is_better" {
                -g
            } else {
                g
            }
        };
        // The month's share of the year, the same each year, give or take
        // half a percent: spring is slow, December heavy.
        let wiggle = |year: i32, month: u32| {
            995 + noise(zone_id, i, i64::from(month)) % 6 + noise(zone_id, i, i64::from(year)) % 5
        };
        match ind.kind.as_str() {
            "cumulative" => {
                let annual_target = base * (1000 + growth_target) / 1000;
                targets.push((ind.id, Some(annual_target), Some(growth_target)));
                for &(year, months) in &spans {
                    for month in 1..=months {
                        let annual = if year == this_year {
                            base * (1000 + growth_target - gap(month)) / 1000
                        } else {
                            base
                        };
                        let value = annual * i64::from(month) / 12 * wiggle(year, month) / 1000;
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
                        let tenths = if year == this_year {
                            growth_target - gap(month)
                        } else {
                            growth_target - 20 + noise(zone_id, i, i64::from(month)) % 40
                        };
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
                    for month in 1..=months {
                        let factor = if year == this_year {
                            1000 + growth_target - gap(month)
                        } else {
                            1000
                        };
                        let numerator = land / SCALE * per_mu * factor / 1000 * i64::from(month)
                            / 12
                            * SCALE
                            * wiggle(year, month)
                            / 1000;
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

/// How a zone does this year, as a shift of its indicators' odds of falling
/// short: half the zones do well (−30), a third are middling (0), about one
/// in seven lags (+20). By the id's noise: sibling zones' ids step by a
/// fixed count, so a modulus of them would pick the same kind of zone.
fn mood(zone_id: i64) -> i64 {
    match noise(zone_id, 5, 5) % 100 {
        0..=49 => -30,
        50..=85 => 0,
        _ => 20,
    }
}

/// How far one zone's indicator falls behind its target growth this year,
/// by month, in tenths of a point (negative: ahead). Most (zone, indicator)
/// pairs stay within 2.5 points, some drift into 2.5–5, a few are beyond 5
/// (more in a lagging zone, fewer in one doing well); each moves a little
/// from month to month, some crossing a line.
fn this_year_gap(zone_id: i64, indicator: i64, mood: i64) -> impl Fn(u32) -> i64 {
    let roll = (noise(zone_id, indicator, 7) % 100 + mood).max(0);
    let start = match roll {
        0..=74 => -30 + noise(zone_id, indicator, 8) % 45,
        75..=91 => 28 + noise(zone_id, indicator, 8) % 14,
        _ => 55 + noise(zone_id, indicator, 8) % 40,
    };
    // A drift of up to two points and a half over the year, either way.
    let slope = noise(zone_id, indicator, 9) % 9 - 4;
    move |month: u32| {
        start
            + slope * (i64::from(month) - 6)
            + noise(zone_id, indicator, 100 + i64::from(month)) % 5
            - 2
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The level a gap (tenths of a point below target growth) earns under
    /// the default rules: yellow beyond 2.5 points, red beyond 5.
    fn level(gap: i64) -> usize {
        match gap {
            ..=25 => 0,
            26..=50 => 1,
            _ => 2,
        }
    }

    #[test]
    fn growth_falls_short_in_a_realistic_mix_that_moves_by_month() {
        let mut counts = [0usize; 3];
        let mut moved = 0;
        let mut zones = [0usize; 3];
        for zone in (1..400).step_by(7) {
            let mut worst = 0;
            for indicator in 0..10 {
                worst = worst.max(level(this_year_gap(zone, indicator, mood(zone))(10)));
                let gap = this_year_gap(zone, indicator, mood(zone));
                let levels: Vec<usize> = (1..=11).map(|m| level(gap(m))).collect();
                for l in &levels {
                    counts[*l] += 1;
                }
                moved += usize::from(levels.iter().any(|l| *l != levels[0]));
            }
            zones[worst] += 1;
        }
        // Zones differ: some all green, some at worst yellow, some red.
        assert!(
            zones.iter().all(|z| *z * 8 > zones.iter().sum::<usize>()),
            "{zones:?}"
        );
        let all: usize = counts.iter().sum();
        // Mostly green, some yellow, a few red.
        assert!(counts[0] * 100 > all * 55, "{counts:?}");
        assert!(counts[1] * 100 > all * 8, "{counts:?}");
        assert!(
            counts[2] * 100 > all * 4 && counts[2] * 100 < all * 25,
            "{counts:?}"
        );
        assert!(moved > 40, "{moved} series change level");
    }
}
