//! The demo at province scale (`kfq demo --scale province`): the demo
//! organisation grown to 100 zones, generated ones in the counties of the
//! eleven cities, and 100 key projects a zone with five years of monthly
//! investment, annual plans, stage histories, milestones and blockers. It is
//! what the ledger's speed is measured on (docs/BENCHMARKS.md). Deterministic,
//! like the normal demo.

use std::collections::{HashMap, HashSet};

use anyhow::{Context, Result};
use chrono::{Datelike, Days, NaiveDate};
use kfq_domain::{
    BlockerStatus, Category, Money, Mu, Nature, OrgKind, Stage, UnitAdmin, Visibility, ZoneLevel,
    ZoneType,
};
use kfq_store::{Actor, BlockerInput, OrgInput, OrgUnit, ProjectInput, ProjectRecord, Store};

use crate::ledger::{
    chain_id, generate_project, milestones, months_back, output_wan, tax_wan, this_year_history,
    zone_refs, Generated, Rng, ZoneRefs, BLOCKERS,
};
use crate::DEPARTMENTS;

/// Zones in all, the demo's real ones included.
pub const PROVINCE_ZONES: usize = 100;
/// Key projects per zone, the real ones included.
pub const PROVINCE_PROJECTS_PER_ZONE: usize = 100;
/// Years of monthly investment, up to last month.
pub const PROVINCE_YEARS: u32 = 5;

/// County-level units of each city that have no demo zone: where the
/// generated zones go, one each, taken in turns across the cities.
const COUNTIES: &[(&str, &[&str])] = &[
    ("太原市", &["清徐县", "阳曲县", "娄烦县", "古交市"]),
    ("大同市", &["阳高县", "天镇县", "灵丘县", "浑源县"]),
    ("阳泉市", &["平定县", "盂县"]),
    (
        "长治市",
        &[
            "襄垣县",
            "平顺县",
            "黎城县",
            "壶关县",
            "长子县",
            "武乡县",
            "沁县",
            "沁源县",
        ],
    ),
    (
        "晋城市",
        &["沁水县", "阳城县", "陵川县", "泽州县", "高平市"],
    ),
    ("朔州市", &["应县", "右玉县", "怀仁市"]),
    (
        "晋中市",
        &[
            "榆社县",
            "左权县",
            "和顺县",
            "昔阳县",
            "祁县",
            "平遥县",
            "灵石县",
        ],
    ),
    (
        "运城市",
        &[
            "万荣县",
            "闻喜县",
            "稷山县",
            "绛县",
            "垣曲县",
            "夏县",
            "平陆县",
            "芮城县",
            "永济市",
            "河津市",
        ],
    ),
    (
        "忻州市",
        &[
            "定襄县",
            "五台县",
            "代县",
            "繁峙县",
            "宁武县",
            "静乐县",
            "神池县",
            "五寨县",
            "岢岚县",
            "河曲县",
            "保德县",
            "偏关县",
            "原平市",
        ],
    ),
    (
        "临汾市",
        &[
            "曲沃县",
            "翼城县",
            "襄汾县",
            "洪洞县",
            "古县",
            "安泽县",
            "浮山县",
            "吉县",
            "乡宁县",
            "大宁县",
            "隰县",
            "永和县",
            "蒲县",
            "汾西县",
            "霍州市",
        ],
    ),
    (
        "吕梁市",
        &[
            "交城县",
            "临县",
            "柳林县",
            "石楼县",
            "方山县",
            "中阳县",
            "交口县",
            "孝义市",
            "汾阳市",
        ],
    ),
];

/// (county, city) in turns across the cities, so every city gets some.
pub(crate) fn county_order() -> Vec<(&'static str, &'static str)> {
    let longest = COUNTIES.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
    (0..longest)
        .flat_map(|n| {
            COUNTIES
                .iter()
                .filter_map(move |(city, counties)| counties.get(n).map(|c| (*c, *city)))
        })
        .collect()
}

/// Adds generated zones, each with the five departments, until there are
/// [`PROVINCE_ZONES`]; returns every zone, the given ones first.
pub async fn add_province_zones(store: &Store, zones: &[OrgUnit]) -> Result<Vec<OrgUnit>> {
    let actor = Actor::system("演示数据");
    let all = Visibility::All;
    let units = store.org_tree(&all).await?;
    let cities: HashMap<&str, &OrgUnit> = units
        .iter()
        .filter(|u| u.kind() == OrgKind::City)
        .map(|u| (u.name.as_str(), u))
        .collect();
    let mut codes: HashSet<String> = units.iter().filter_map(|u| u.code.clone()).collect();
    let mut result = zones.to_vec();
    let wanted = PROVINCE_ZONES.saturating_sub(zones.len());
    for (n, (county_name, city_name)) in county_order().into_iter().take(wanted).enumerate() {
        let city = cities
            .get(city_name)
            .with_context(|| format!("the demo has no {city_name}"))?;
        let county = match units.iter().find(|u| {
            u.kind() == OrgKind::County && u.parent_id == Some(city.id) && u.name == county_name
        }) {
            Some(unit) => unit.clone(),
            None => {
                store
                    .create_org(
                        &actor,
                        &UnitAdmin::operator(),
                        &OrgInput {
                            kind: OrgKind::County,
                            parent_id: Some(city.id),
                            name: county_name.to_owned(),
                            code: None,
                            zone_level: None,
                            zone_type: None,
                        },
                    )
                    .await?
            }
        };
        let division = city.code.clone().unwrap_or_default();
        let code = (1..)
            .map(|k| format!("{division}-{k:02}"))
            .find(|c| !codes.contains(c))
            .expect("a free code");
        codes.insert(code.clone());
        let (suffix, kind) = if n % 3 == 2 {
            ("工业园区", ZoneType::Industrial)
        } else {
            ("经济开发区", ZoneType::Economic)
        };
        let zone = store
            .create_org(
                &actor,
                &UnitAdmin::operator(),
                &OrgInput {
                    kind: OrgKind::Zone,
                    parent_id: Some(county.id),
                    name: format!("{county_name}{suffix}"),
                    code: Some(code),
                    zone_level: Some(ZoneLevel::Provincial),
                    zone_type: Some(kind),
                },
            )
            .await?;
        for department in DEPARTMENTS {
            store
                .create_org(
                    &actor,
                    &UnitAdmin::operator(),
                    &OrgInput {
                        kind: OrgKind::Department,
                        parent_id: Some(zone.id),
                        name: (*department).to_owned(),
                        code: None,
                        zone_level: None,
                        zone_type: None,
                    },
                )
                .await?;
        }
        result.push(zone);
    }
    Ok(result)
}

/// Stages of a province's ledger: mostly projects under construction or
/// further, as in the provinces' key-project lists (续建 dominate).
const STAGE_WEIGHTS: &[(Stage, u64)] = &[
    (Stage::Planning, 2),
    (Stage::Signed, 3),
    (Stage::PreConstruction, 3),
    (Stage::Started, 40),
    (Stage::Completed, 14),
    (Stage::Producing, 20),
    (Stage::AtCapacity, 10),
    (Stage::Suspended, 5),
    (Stage::Cancelled, 3),
];

fn pick_stage(rng: &mut Rng) -> Stage {
    let sum: u64 = STAGE_WEIGHTS.iter().map(|(_, w)| w).sum();
    let mut roll = rng.below(sum);
    for (stage, weight) in STAGE_WEIGHTS {
        if roll < *weight {
            return *stage;
        }
        roll -= weight;
    }
    Stage::Started
}

fn add_days(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(date)
}

fn sub_days(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_sub_days(Days::new(days)).unwrap_or(date)
}

/// The stage history leading to `stage`: signing and approvals before the
/// start, completion and production spread over the time since.
fn history(stage: Stage, today: NaiveDate, rng: &mut Rng) -> Vec<(Stage, NaiveDate)> {
    let rank = stage.rank().unwrap_or(3);
    let line = &Stage::MAIN_LINE;
    let mut changes = Vec::new();
    if rank < 3 {
        // Not started: signed and in approvals within the last two years.
        let mut date = months_back(today, 2 + rng.below(22) as u32);
        for s in line.iter().take(rank + 1).skip(1) {
            changes.push((*s, date.min(today)));
            date = add_days(date, 30 + rng.below(120));
        }
        return changes;
    }
    // Key projects are large: many have been building for years.
    let back = match stage {
        Stage::Started => 3 + rng.below(118),
        Stage::Suspended | Stage::Cancelled => 24 + rng.below(72),
        _ => 48 + rng.below(84),
    };
    let started = months_back(today, back as u32);
    let pre = sub_days(started, 30 + rng.below(150));
    let signed = sub_days(pre, 20 + rng.below(120));
    changes.push((Stage::Signed, signed));
    changes.push((Stage::PreConstruction, pre));
    changes.push((Stage::Started, started));
    let mut date = started;
    for s in line.iter().take(rank + 1).skip(4) {
        // Each later stage somewhere in the first half of the time left.
        let left = (today - date).num_days().max(2) as u64;
        date = add_days(date, 1 + rng.below(left / 2));
        changes.push((*s, date.min(today)));
    }
    if stage.rank().is_none() {
        let left = (today - date).num_days().max(2) as u64;
        changes.push((stage, add_days(date, 1 + rng.below(left / 2)).min(today)));
    }
    changes
}

/// One generated project of a province-scale ledger.
fn province_record(
    refs: &ZoneRefs,
    project: Generated,
    today: NaiveDate,
    rng: &mut Rng,
) -> ProjectRecord {
    let stage = pick_stage(rng);
    let Generated {
        name,
        chain,
        total_wan,
    } = project;
    // A few signed, started and producing within this year.
    let fast = matches!(stage.rank(), Some(1..=5)) && rng.below(12) == 0;
    let stage_changes = fast
        .then(|| this_year_history(stage, today, rng))
        .flatten()
        .unwrap_or_else(|| history(stage, today, rng));
    let date_of = |s: Stage| stage_changes.iter().find(|(c, _)| *c == s).map(|(_, d)| *d);
    let started = date_of(Stage::Started);
    let completed = date_of(Stage::Completed);
    let stopped = stage
        .rank()
        .is_none()
        .then(|| stage_changes.last().map(|(_, d)| *d))
        .flatten();
    let (year, month) = (today.year(), today.month());
    let window = PROVINCE_YEARS * 12;
    let mut months = Vec::new();
    if let Some(started) = started {
        // Spread the total over the construction time; after completion only
        // equipment and tail payments, a tenth as much.
        let build_months = 24 + rng.below(36) as i64;
        let monthly_yuan = total_wan * 10_000 / build_months;
        for back in (1..=window).rev() {
            let day = months_back(today, back);
            let first_of_month = day.with_day(1).unwrap_or(day);
            if (day.year(), day.month()) < (started.year(), started.month())
                || (day.year(), day.month()) >= (year, month)
                || stopped.is_some_and(|s| first_of_month > s)
            {
                continue;
            }
            let base = if completed.is_some_and(|c| first_of_month > c) {
                monthly_yuan / 10
            } else {
                monthly_yuan
            };
            // 40%–160% of the even share, to the 0.01万元 (100 元).
            let amount_yuan = (base * (40 + rng.below(121) as i64) / 100 / 100 * 100).max(100);
            months.push((day.year(), day.month(), Money::from_yuan(amount_yuan)));
        }
    }
    // A plan for every year with investment, a little above or below what
    // came; this year's from the pace so far.
    let mut plans = Vec::new();
    for y in (year - PROVINCE_YEARS as i32 + 1)..=year {
        let done: Vec<i64> = months
            .iter()
            .filter(|(my, _, _)| *my == y)
            .map(|(_, _, m)| m.yuan())
            .collect();
        if done.is_empty() {
            continue;
        }
        let sum: i64 = done.iter().sum();
        let expected = if y == year {
            sum / done.len() as i64 * 12
        } else {
            sum
        };
        // Planned to the 10万元.
        let planned_wan = expected * (85 + rng.below(50) as i64) / 100 / 100_000 * 10;
        plans.push((y, Money::from_wan(planned_wan.max(10))));
    }
    let mut blockers = Vec::new();
    if started.is_some() && rng.below(4) == 0 {
        // Solved long ago.
        let (factor, text) = *rng.pick(BLOCKERS);
        let raised = add_days(started.unwrap_or(today), 20 + rng.below(200)).min(today);
        let resolved = add_days(raised, 5 + rng.below(60)).min(today);
        blockers.push(BlockerInput {
            factor,
            description: text.to_owned(),
            raised_on: raised,
            department_id: refs.departments.get(rng.below(5) as usize).copied(),
            deadline: Some(add_days(raised, 30)),
            status: BlockerStatus::Resolved,
            resolution: Some("已协调相关部门解决".to_owned()),
            resolved_on: Some(resolved),
        });
    }
    if stage.rank().is_some_and(|r| r >= 1) && rng.below(4) == 0 {
        // Open now, some overdue.
        let (factor, text) = *rng.pick(BLOCKERS);
        let raised = months_back(today, 1 + rng.below(3) as u32);
        blockers.push(BlockerInput {
            factor,
            description: text.to_owned(),
            raised_on: raised,
            department_id: refs.departments.get(rng.below(5) as usize).copied(),
            deadline: Some(add_days(raised, 20 + rng.below(60))),
            status: if rng.below(3) == 0 {
                BlockerStatus::InProgress
            } else {
                BlockerStatus::Open
            },
            resolution: None,
            resolved_on: None,
        });
    }
    let milestones = milestones(&stage_changes, today, rng);
    ProjectRecord {
        input: ProjectInput {
            zone_id: refs.zone.id,
            name,
            enterprise_id: None,
            investor: None,
            category: match chain {
                "现代物流" => Category::Infrastructure,
                "现代农业" if rng.below(4) == 0 => Category::Social,
                _ => Category::Industrial,
            },
            nature: match started {
                Some(d) if d.year() < year => Nature::Continuing,
                Some(_) => Nature::New,
                None => Nature::Preliminary,
            },
            industry_chain_id: chain_id(refs, Some(chain)),
            total_investment: Money::from_wan(total_wan),
            land: Mu::parse(&(30 + rng.below(470)).to_string()).ok(),
            floor_area_m2: Some((50 + rng.below(950)) as i64 * 100),
            construction_content: None,
            annual_output: Some(Money::from_wan(output_wan(total_wan, rng))),
            annual_tax: Some(Money::from_wan(tax_wan(total_wan, rng))),
            jobs: Some((5 + rng.below(80)) as i64 * 10),
            registered: started.is_some(),
            registered_on: started,
            liaison_user_id: None,
            department_id: refs
                .departments
                .get(rng.below(refs.departments.len() as u64) as usize)
                .copied(),
            task_force: None,
            project_code: None,
        },
        stage,
        stage_changes,
        plans,
        targets: Vec::new(),
        opening: None,
        months,
        blockers,
        milestones,
    }
}

/// The `n`-th zone's ledger of [`PROVINCE_PROJECTS_PER_ZONE`] projects: the
/// real ones of the bulletins first, then generated ones. The same `n` gives
/// the same ledger; the national scale fills its zones with it too.
pub(crate) fn zone_records(refs: &ZoneRefs, n: usize, today: NaiveDate) -> Vec<ProjectRecord> {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D ^ ((n as u64 + 1) * 0x1000_0001));
    let mut records = crate::ledger::real_records(refs, today, &mut rng);
    let mut taken: HashSet<String> = records.iter().map(|r| r.input.name.clone()).collect();
    // The named enterprises the bulletins list no project for have one.
    for (id, enterprise) in &refs.enterprises {
        if records.iter().any(|r| r.input.enterprise_id == Some(*id)) {
            continue;
        }
        if let Some(project) = crate::ledger::enterprise_project(enterprise, &mut rng, &mut taken) {
            let mut record = province_record(refs, project, today, &mut rng);
            record.input.enterprise_id = Some(*id);
            records.push(record);
        }
    }
    let farm_zone = refs.zone.name.contains("农业");
    for _ in records.len()..PROVINCE_PROJECTS_PER_ZONE {
        let project = generate_project(&mut rng, &mut taken, farm_zone);
        records.push(province_record(refs, project, today, &mut rng));
    }
    records
}

/// What the province-scale ledger came to.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProvinceLedger {
    pub projects: usize,
    pub months: usize,
}

/// Fills every zone's ledger to [`PROVINCE_PROJECTS_PER_ZONE`] projects (the
/// real ones of the bulletins first), one transaction per zone, then computes
/// every project's status and refreshes the planner's statistics.
pub async fn seed_province_ledger(
    store: &Store,
    zones: &[OrgUnit],
    today: NaiveDate,
) -> Result<ProvinceLedger> {
    let actor = Actor::system("演示数据");
    let mut summary = ProvinceLedger::default();
    for (n, zone) in zones.iter().enumerate() {
        let refs = zone_refs(store, zone).await?;
        let records = zone_records(&refs, n, today);
        summary.months += records.iter().map(|r| r.months.len()).sum::<usize>();
        summary.projects += store.import_projects(&actor, &records).await?.len();
        if (n + 1) % 10 == 0 {
            tracing::info!(
                zones = n + 1,
                projects = summary.projects,
                "seeding the province"
            );
        }
    }
    let calendar = kfq_calendar::Calendar::china();
    let working_days =
        move |from: NaiveDate, to: NaiveDate| calendar.working_days_between(from, to);
    store.refresh_stale_rag(today, &working_days).await?;
    store.analyze().await?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_counties_enough_and_no_zone_twice() {
        let order = county_order();
        assert!(order.len() + 21 >= PROVINCE_ZONES);
        let unique: HashSet<_> = order.iter().collect();
        assert_eq!(unique.len(), order.len());
    }

    #[test]
    fn histories_run_forward_and_end_by_today() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut rng = Rng(7);
        for _ in 0..2_000 {
            let stage = pick_stage(&mut rng);
            let changes = history(stage, today, &mut rng);
            assert!(changes.windows(2).all(|w| w[0].1 <= w[1].1), "{changes:?}");
            assert!(changes.iter().all(|(_, d)| *d <= today));
            assert_eq!(
                changes.last().map(|(s, _)| *s).unwrap_or(Stage::Planning),
                stage
            );
        }
    }
}
