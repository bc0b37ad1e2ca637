//! The indicator board of an org unit for a month: every zone under it ×
//! every indicator, with 同比, target completion against 序时进度, the warning
//! level after the hold rule and its history this year, the rank among the
//! zones, 24 months of trend, and the figures rolled up to the unit. Pages,
//! the API and alerts all read this one computation.

use std::collections::HashMap;

use chrono::NaiveDate;
use kfq_domain::{OrgKind, Rag, Visibility};
use kfq_indicators::{
    assess, effective_levels, progress, rank, roll_up, warning_history, Assessment, Direction,
    Figure, Flag, IndicatorDef, IndicatorKind, Observation, Parts, Period, Progress, RollUp,
    Target, Transition, Unit, WarningRules, ZoneInput,
};
use kfq_store::{IndicatorRow, OrgFilter, OrgUnit, Store};
use serde::Serialize;

use crate::error::Result;
use crate::off_the_workers;
use crate::stamped::StampedCache;

/// The figures a board reads, by zone, indicator and month, in the order
/// of the board's zones and indicators: positions, not a hash map of
/// 575,000 keys for the country, whose building and lookups were most of
/// the national board's second.
struct Figures {
    indicators: usize,
    first: Period,
    months: usize,
    held: Vec<Option<Held>>,
}

/// A figure and its numerator and denominator, when it has them.
type Held = (Figure, Option<(i64, i64)>);

impl Figures {
    fn new(
        zones: &[OrgUnit],
        indicators: &[Indicator],
        first: Period,
        last: Period,
        values: Vec<kfq_store::BoardFigure>,
    ) -> Figures {
        let zone_at: HashMap<i64, usize> =
            zones.iter().enumerate().map(|(n, z)| (z.id, n)).collect();
        let indicator_at: HashMap<i64, usize> = indicators
            .iter()
            .enumerate()
            .map(|(n, i)| (i.row.id, n))
            .collect();
        let months = usize::try_from(last.months_since(first) + 1).unwrap_or(0);
        let mut figures = Figures {
            indicators: indicators.len(),
            first,
            months,
            held: vec![None; zones.len() * indicators.len() * months],
        };
        for v in values {
            let (Some(&z), Some(&i), Ok(year), Ok(month)) = (
                zone_at.get(&v.zone_id),
                indicator_at.get(&v.indicator_id),
                i32::try_from(v.year),
                u32::try_from(v.month),
            ) else {
                continue;
            };
            let Some(at) = Period::new(year, month)
                .ok()
                .and_then(|p| figures.at(z, i, p))
            else {
                continue;
            };
            let parts = v.numerator.zip(v.denominator);
            figures.held[at] = Some((Figure::from_scaled(v.value), parts));
        }
        figures
    }

    fn at(&self, zone: usize, indicator: usize, p: Period) -> Option<usize> {
        let m = usize::try_from(p.months_since(self.first))
            .ok()
            .filter(|m| *m < self.months)?;
        Some((zone * self.indicators + indicator) * self.months + m)
    }

    fn get(&self, zone: usize, indicator: usize, p: Period) -> Option<&Held> {
        self.held[self.at(zone, indicator, p)?].as_ref()
    }
}

/// Months of trend shown.
pub const TREND_MONTHS: u32 = 24;

/// One indicator of the catalogue, with its definition read.
#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    #[serde(flatten)]
    pub row: IndicatorRow,
    #[serde(skip)]
    pub def: IndicatorDef,
    pub unit_symbol: &'static str,
}

/// One zone on one indicator.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub zone_id: i64,
    pub indicator_id: i64,
    /// "18.60" in the indicator's unit and decimals.
    pub value: Option<String>,
    #[serde(skip)]
    pub figure: Option<Figure>,
    pub last_year: Option<String>,
    pub target_annual: Option<String>,
    pub target_growth_tenths: Option<i64>,
    pub progress: Option<Progress>,
    /// The level shown (after the hold rule).
    pub level: Rag,
    /// Why, this month.
    pub flags: Vec<Flag>,
    /// Red although this month alone would not be (the hold rule).
    pub held: bool,
    pub history: Vec<Transition>,
    /// Rank among the board's zones; 1 is best.
    pub rank: Option<u32>,
    /// The last months' figures, oldest first.
    pub trend: Vec<Option<i64>>,
}

/// An indicator rolled up to the board's unit.
#[derive(Debug, Clone, Serialize)]
pub struct Total {
    pub indicator_id: i64,
    pub value: Option<String>,
    /// Why there is no total (catalogue key), when there is none.
    pub missing: Option<&'static str>,
    pub trend: Vec<Option<i64>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Board {
    pub org_id: i64,
    pub org_name: String,
    pub period: String,
    #[serde(skip)]
    pub month: Period,
    pub periods: Vec<String>,
    pub indicators: Vec<Indicator>,
    pub zones: Vec<(i64, String)>,
    /// Each zone's org path, in the order of `zones` (who an alert concerns).
    #[serde(skip)]
    pub zone_paths: Vec<String>,
    /// Row-major: zones × indicators.
    pub cells: Vec<Cell>,
    pub totals: Vec<Total>,
    pub counts: LevelCounts,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct LevelCounts {
    pub red: usize,
    pub yellow: usize,
    pub green: usize,
}

impl Board {
    pub fn cell(&self, zone_id: i64, indicator_id: i64) -> Option<&Cell> {
        let z = self.zones.iter().position(|(id, _)| *id == zone_id)?;
        let i = self
            .indicators
            .iter()
            .position(|x| x.row.id == indicator_id)?;
        self.cells.get(z * self.indicators.len() + i)
    }
}

/// Boards computed lately, reused while nothing they are made of has
/// changed. A province's board reads some 20,000 figures; the figures change
/// monthly, the board is read all day.
#[derive(Default)]
pub struct BoardCache {
    boards: StampedCache<BoardKey, Board, 64>,
}

/// (org, period, today): today matters, since a month not reported turns
/// late on a date.
type BoardKey = (i64, String, NaiveDate);

impl BoardCache {
    /// The board of `org` for `period`, from the cache when still current.
    pub async fn board(
        &self,
        store: &Store,
        visibility: &Visibility,
        org: &OrgUnit,
        period: Period,
        today: NaiveDate,
    ) -> Result<std::sync::Arc<Board>> {
        let key = (org.id, period.code(), today);
        self.boards
            .get_or_build(store, key, load(store, visibility, org, period, today))
            .await
    }
}

pub fn indicator_of(row: IndicatorRow) -> Option<Indicator> {
    let def = IndicatorDef {
        code: row.code.clone(),
        name: row.name.clone(),
        unit: Unit::from_code(&row.unit)?,
        kind: IndicatorKind::from_code(&row.kind)?,
        roll_up: RollUp::from_code(&row.roll_up)?,
        direction: Direction::from_code(&row.direction)?,
    };
    Some(Indicator {
        unit_symbol: def.unit.symbol(),
        row,
        def,
    })
}

pub async fn catalogue(store: &Store) -> Result<Vec<Indicator>> {
    Ok(store
        .indicators()
        .await?
        .into_iter()
        .filter_map(indicator_of)
        .collect())
}

pub async fn warning_rules(store: &Store) -> Result<WarningRules> {
    Ok(store
        .warning_rules()
        .await?
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default())
}

/// The month a board shows by default: the last one whose figures are due.
pub fn default_period(today: NaiveDate) -> Period {
    months_back(Period::of(today), 1)
}

pub fn months_back(period: Period, n: u32) -> Period {
    let index = period.year() * 12 + period.month() as i32 - 1 - n as i32;
    Period::new(index.div_euclid(12), index.rem_euclid(12) as u32 + 1).unwrap_or(period)
}

/// Builds the board of `org` for `period` as seen by `visibility`.
pub async fn load(
    store: &Store,
    visibility: &Visibility,
    org: &OrgUnit,
    period: Period,
    today: NaiveDate,
) -> Result<Board> {
    let started = std::time::Instant::now();
    let indicators = catalogue(store).await?;
    let rules = warning_rules(store).await?;
    let zones: Vec<OrgUnit> = if org.kind() == OrgKind::Zone {
        vec![org.clone()]
    } else {
        let filter = OrgFilter {
            kind: Some(OrgKind::Zone),
            ..Default::default()
        };
        store
            .orgs(&Visibility::Subtree(org.org_path()), &filter, 0, 100_000)
            .await?
            .items
    };
    let first = months_back(period, TREND_MONTHS.max(12 + period.month()) - 1);
    let zone_ids: Vec<i64> = zones.iter().map(|z| z.id).collect();
    let values = store
        .board_figures(
            &zone_ids,
            (first.year(), first.month()),
            (period.year(), period.month()),
        )
        .await?;
    let figures = Figures::new(&zones, &indicators, first, period, values);
    let scope = match visibility {
        Visibility::All => Visibility::Subtree(org.org_path()),
        other => other.clone(),
    };
    let zone_filter = (org.kind() == OrgKind::Zone).then_some(org.id);
    let targets: HashMap<(i64, i64), Target> = store
        .indicator_targets(&scope, period.year(), zone_filter)
        .await?
        .into_iter()
        .map(|t| {
            (
                (t.zone_id, t.indicator_id),
                Target {
                    annual: t.annual.map(Figure::from_scaled),
                    growth_tenths: t.growth_tenths,
                },
            )
        })
        .collect();
    let read = started.elapsed();
    // The country's board assesses 2,500 zones × 10 indicators × the
    // year's months: off the async workers.
    let org = org.clone();
    let board = off_the_workers(move || {
        let trend_periods: Vec<Period> = (0..TREND_MONTHS)
            .rev()
            .map(|n| months_back(period, n))
            .collect();
        let figure = |zone: usize, indicator: usize, p: Period| {
            figures.get(zone, indicator, p).map(|(f, _)| *f)
        };

        let mut cells = Vec::with_capacity(zones.len() * indicators.len());
        let mut counts = LevelCounts::default();
        for (z, zone) in zones.iter().enumerate() {
            for (i, ind) in indicators.iter().enumerate() {
                let target = targets
                    .get(&(zone.id, ind.row.id))
                    .copied()
                    .unwrap_or_default();
                let observe = |p: Period| Observation {
                    period: p,
                    actual: figure(z, i, p),
                    last_year: figure(z, i, p.same_period_last_year()),
                    target,
                };
                // This year's months up to the board's, for the hold rule.
                let series: Vec<(Period, Assessment)> = (1..=period.month())
                    .filter_map(|m| Period::new(period.year(), m).ok())
                    .map(|p| (p, assess(&ind.def, &rules, today, &observe(p))))
                    .collect();
                let levels = effective_levels(&series);
                let now = levels.last();
                let level = now.map_or(Rag::Green, |l| l.level);
                match level {
                    Rag::Red => counts.red += 1,
                    Rag::Yellow => counts.yellow += 1,
                    Rag::Green => counts.green += 1,
                }
                let current = observe(period);
                let shown = |f: Figure| f.shown_in(ind.def.unit);
                cells.push(Cell {
                    zone_id: zone.id,
                    indicator_id: ind.row.id,
                    value: current.actual.map(shown),
                    figure: current.actual,
                    last_year: current.last_year.map(shown),
                    target_annual: target.annual.map(shown),
                    target_growth_tenths: target.growth_tenths,
                    progress: current.actual.map(|actual| {
                        progress(ind.def.kind, period, actual, current.last_year, &target)
                    }),
                    level,
                    flags: series
                        .last()
                        .map(|(_, a)| a.flags.clone())
                        .unwrap_or_default(),
                    held: now.is_some_and(|l| !l.held.is_empty()),
                    history: warning_history(&series),
                    rank: None,
                    trend: trend_periods
                        .iter()
                        .map(|p| figure(z, i, *p).map(Figure::scaled))
                        .collect(),
                });
            }
        }
        // Rank each indicator: by completion where there are targets, else by
        // growth, else by the figure.
        let n = indicators.len();
        for (i, ind) in indicators.iter().enumerate() {
            let key = |c: &Cell| -> Option<i64> {
                let p = c.progress?;
                p.completion_tenths
                    .or(p.growth_tenths)
                    .or(c.figure.map(Figure::scaled))
            };
            let entries: Vec<(usize, Option<i64>)> = (0..zones.len())
                .map(|z| (z, key(&cells[z * n + i])))
                .collect();
            for ranked in rank(&entries, ind.def.direction) {
                cells[ranked.zone * n + i].rank = ranked.rank;
            }
        }
        let totals = if org.kind() == OrgKind::Zone {
            Vec::new()
        } else {
            indicators
                .iter()
                .enumerate()
                .map(|(i, ind)| {
                    let at = |p: Period| -> Result<Figure, &'static str> {
                        let inputs: Vec<ZoneInput<i64>> = zones
                            .iter()
                            .enumerate()
                            .map(|(n, z)| {
                                let held = figures.get(n, i, p);
                                ZoneInput {
                                    zone: z.id,
                                    value: held.map(|(f, _)| *f),
                                    parts: held.and_then(|(_, parts)| {
                                        parts.map(|(n, d)| Parts {
                                            numerator: Figure::from_scaled(n),
                                            denominator: Figure::from_scaled(d),
                                        })
                                    }),
                                }
                            })
                            .collect();
                        roll_up(&ind.def, &inputs).map_err(|e| e.key())
                    };
                    let now = at(period);
                    Total {
                        indicator_id: ind.row.id,
                        value: now.as_ref().ok().map(|f| f.shown_in(ind.def.unit)),
                        missing: now.err(),
                        trend: trend_periods
                            .iter()
                            .map(|p| at(*p).ok().map(Figure::scaled))
                            .collect(),
                    }
                })
                .collect()
        };
        Board {
            org_id: org.id,
            org_name: org.name.clone(),
            period: period.code(),
            month: period,
            periods: trend_periods.iter().map(|p| p.code()).collect(),
            indicators,
            zones: zones.iter().map(|z| (z.id, z.name.clone())).collect(),
            zone_paths: zones.iter().map(|z| z.path.clone()).collect(),
            cells,
            totals,
            counts,
        }
    })
    .await?;
    tracing::debug!(
        zones = board.zones.len(),
        read_ms = read.as_millis() as u64,
        build_ms = (started.elapsed() - read).as_millis() as u64,
        "indicator board"
    );
    Ok(board)
}
