//! Demo projects: the real projects named in the zone bulletins, with their
//! zones and published figures, and generated ones so every zone has a ledger
//! across all stages, with plans, two years of monthly investment and some
//! overdue blockers. Generation is deterministic (a fixed-seed generator).

use anyhow::Result;
use chrono::{Datelike, Months, NaiveDate};
use kfq_domain::project::{first_reached, milestone_stage};
use kfq_domain::{
    BlockerFactor, BlockerStatus, Category, Money, Mu, Nature, OrgKind, Stage, Visibility,
};
use kfq_store::{
    Actor, BlockerInput, EnterpriseFilter, OrgFilter, OrgUnit, ProjectInput, ProjectRecord, Store,
};

/// How many generated projects each zone gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerSize {
    /// Two a zone: enough for tests.
    Tiny,
    /// 20–60 a zone, as a real zone's ledger.
    Normal,
}

/// Real projects from the bulletins: (zone, name, enterprise, total 万元, 亩, m², output 万元, tax 万元, jobs, stage).
#[allow(clippy::type_complexity)]
const REAL: &[(
    &str,
    &str,
    Option<&str>,
    i64,
    Option<&str>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Stage,
)] = &[
    (
        "忻州经济开发区",
        "山西新能汇通双碳产业园项目",
        None,
        180_000,
        Some("500"),
        Some(143_000),
        Some(500_000),
        Some(75_000),
        Some(500),
        Stage::Started,
    ),
    (
        "新绛经济技术开发区",
        "年产100万吨公路护栏项目",
        Some("新绛天和金属制品有限公司"),
        88_000,
        None,
        None,
        None,
        None,
        None,
        Stage::Started,
    ),
    (
        "运城经济技术开发区",
        "大运高端智能新能源乘用车提升改造项目",
        Some("大运汽车股份有限公司"),
        68_000,
        None,
        None,
        None,
        None,
        None,
        Stage::Started,
    ),
    (
        "运城经济技术开发区",
        "世纪华泽新建消防生产基地项目",
        Some("山西世纪华泽实业有限公司"),
        12_000,
        None,
        None,
        None,
        None,
        None,
        Stage::Started,
    ),
    (
        "运城经济技术开发区",
        "年产2000吨非晶合金薄带材料项目",
        Some("山西弘鑫非晶科技有限公司"),
        15_000,
        None,
        None,
        None,
        None,
        None,
        Stage::Started,
    ),
    (
        "运城经济技术开发区",
        "新城置业标准厂房项目",
        Some("运城经开区新城置业有限公司"),
        30_000,
        None,
        None,
        Some(50_000),
        None,
        None,
        Stage::Started,
    ),
    (
        "寿阳经济技术开发区",
        "奥泰大型智能煤机制造项目",
        None,
        50_000,
        None,
        None,
        None,
        None,
        None,
        Stage::Started,
    ),
    (
        "忻州经济开发区",
        "新松机器人忻州智能装备制造园项目",
        Some("新松机器人有限公司"),
        60_000,
        None,
        None,
        None,
        None,
        None,
        Stage::Started,
    ),
    (
        "广灵经济技术开发区",
        "铝及铝合金再生资源加工项目",
        Some("广灵县广鑫再生资源有限公司"),
        12_000,
        None,
        None,
        None,
        None,
        None,
        Stage::Producing,
    ),
    (
        "长治高新技术产业开发区",
        "生物医药产业化项目",
        Some("百泰生物药业有限公司"),
        100_000,
        None,
        None,
        None,
        None,
        None,
        Stage::Signed,
    ),
];

pub(crate) const PRODUCTS: &[&str] = &[
    "高端铝合金型材",
    "锂电池正极材料",
    "光伏组件",
    "氢燃料电池电堆",
    "智能煤机装备",
    "装配式建筑构件",
    "特种钢材",
    "生物医药中间体",
    "功能性食品",
    "新能源汽车零部件",
    "再生铝",
    "电子级硅材料",
    "精密铸件",
    "风电塔筒",
    "节能玻璃",
    "工业机器人",
    "数据中心",
    "冷链物流",
    "有机肥料",
    "碳纤维复合材料",
];
pub(crate) const SHAPES: &[&str] = &[
    "年产{n}万吨{p}项目",
    "{p}生产线技术改造项目",
    "{p}产业园{k}期项目",
    "{p}研发及产业化项目",
    "年产{n}万套{p}项目",
];
pub(crate) const BLOCKERS: &[(BlockerFactor, &str)] = &[
    (BlockerFactor::Power, "双回路供电线路尚未接入，影响设备调试"),
    (BlockerFactor::Land, "部分用地尚未完成征收，影响场地平整"),
    (BlockerFactor::Eia, "环评批复尚未取得，需省厅加快审查"),
    (BlockerFactor::Funding, "银行贷款审批进度慢，建设资金短缺"),
    (BlockerFactor::Road, "园区配套道路未贯通，大件设备无法进场"),
    (BlockerFactor::Gas, "天然气管网未接入，影响试生产"),
    (BlockerFactor::Labour, "技术工人招聘困难，用工缺口约80人"),
    (BlockerFactor::Procedures, "施工许可办理材料需补正"),
];

/// A small fixed-seed generator: demo data must be the same every run.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

pub(crate) fn months_back(today: NaiveDate, n: u32) -> NaiveDate {
    today.checked_sub_months(Months::new(n)).unwrap_or(today)
}

pub(crate) struct ZoneRefs {
    pub(crate) zone: OrgUnit,
    pub(crate) departments: Vec<i64>,
    pub(crate) chains: Vec<(i64, String)>,
    pub(crate) enterprises: Vec<(i64, String)>,
    pub(crate) liaisons: Vec<i64>,
}

pub(crate) async fn zone_refs(store: &Store, zone: &OrgUnit) -> Result<ZoneRefs> {
    let all = Visibility::All;
    let departments = store
        .orgs(
            &all,
            &OrgFilter {
                parent_id: Some(zone.id),
                kind: Some(OrgKind::Department),
                ..Default::default()
            },
            0,
            50,
        )
        .await?
        .items
        .into_iter()
        .map(|d| d.id)
        .collect();
    let enterprises = store
        .enterprises(
            &all,
            &EnterpriseFilter {
                zone_id: Some(zone.id),
                ..Default::default()
            },
            0,
            500,
        )
        .await?
        .items
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    let liaisons = store
        .users(
            &Visibility::Subtree(zone.org_path()),
            &kfq_store::UserFilter::default(),
            0,
            100,
        )
        .await?
        .items
        .into_iter()
        .filter(|u| u.role() == kfq_domain::Role::Liaison)
        .map(|u| u.id)
        .collect();
    Ok(ZoneRefs {
        zone: zone.clone(),
        departments,
        chains: store.industry_chains(zone.id).await?,
        enterprises,
        liaisons,
    })
}

/// The stage history that leads to `stage`, ending about `months_ago` months back.
fn history(stage: Stage, today: NaiveDate, rng: &mut Rng) -> Vec<(Stage, NaiveDate)> {
    let target = match stage.rank() {
        Some(rank) => rank,
        None => Stage::Started.rank().unwrap_or(3),
    };
    let mut date = months_back(today, 30 + rng.below(12) as u32);
    let mut changes = Vec::new();
    for s in Stage::MAIN_LINE.iter().skip(1).take(target) {
        date = date
            .checked_add_days(chrono::Days::new(20 + rng.below(90)))
            .unwrap_or(date)
            .min(today);
        changes.push((*s, date));
    }
    if stage.rank().is_none() {
        changes.push((
            stage,
            date.checked_add_days(chrono::Days::new(30))
                .unwrap_or(date)
                .min(today),
        ));
    }
    changes
}

fn record(
    refs: &ZoneRefs,
    name: String,
    total_wan: i64,
    stage: Stage,
    today: NaiveDate,
    rng: &mut Rng,
) -> ProjectRecord {
    let stage_changes = history(stage, today, rng);
    let started = stage_changes
        .iter()
        .find(|(s, _)| *s == Stage::Started)
        .map(|(_, d)| *d);
    let (year, month) = (today.year(), today.month());
    let mut plans = Vec::new();
    let mut months = Vec::new();
    if let Some(started) = started {
        for y in [year - 1, year] {
            plans.push((
                y,
                Money::from_wan(total_wan * (25 + rng.below(20) as i64) / 100),
            ));
        }
        // Two years of monthly completions since the start, up to last month.
        for back in (1..=24).rev() {
            let day = months_back(today, back);
            if day < started || (day.year(), day.month()) >= (year, month) {
                continue;
            }
            let behind = rng.below(4) == 0;
            let share = if behind {
                1 + rng.below(2)
            } else {
                2 + rng.below(4)
            };
            months.push((
                day.year(),
                day.month(),
                Money::from_wan(total_wan * share as i64 / 100),
            ));
        }
    }
    let mut blockers = Vec::new();
    if stage.rank().is_some_and(|r| r >= 1) && rng.below(3) == 0 {
        let (factor, text) = *rng.pick(BLOCKERS);
        let raised = months_back(today, 1 + rng.below(3) as u32);
        let deadline = raised
            .checked_add_days(chrono::Days::new(20 + rng.below(60)))
            .unwrap_or(raised);
        blockers.push(BlockerInput {
            factor,
            description: text.to_owned(),
            raised_on: raised,
            department_id: refs
                .departments
                .get(rng.below(refs.departments.len() as u64) as usize)
                .copied(),
            deadline: Some(deadline),
            status: if rng.below(3) == 0 {
                BlockerStatus::InProgress
            } else {
                BlockerStatus::Open
            },
            resolution: None,
            resolved_on: None,
        });
    }
    let enterprise = refs
        .enterprises
        .iter()
        .find(|(_, n)| name.contains(n.trim_end_matches("有限公司")))
        .map(|(id, _)| *id);
    let milestones = milestones(&stage_changes, today, rng);
    ProjectRecord {
        milestones,
        input: ProjectInput {
            zone_id: refs.zone.id,
            name,
            enterprise_id: enterprise,
            investor: None,
            category: if rng.below(6) == 0 {
                Category::Infrastructure
            } else {
                Category::Industrial
            },
            nature: if started.is_some_and(|d| d.year() < year) {
                Nature::Continuing
            } else {
                Nature::New
            },
            industry_chain_id: refs
                .chains
                .get(rng.below(refs.chains.len() as u64) as usize)
                .map(|(id, _)| *id),
            total_investment: Money::from_wan(total_wan),
            land: Mu::parse(&(30 + rng.below(470)).to_string()).ok(),
            floor_area_m2: Some((5_000 + rng.below(95_000)) as i64),
            construction_content: None,
            annual_output: Some(Money::from_wan(total_wan * (8 + rng.below(20) as i64) / 10)),
            annual_tax: Some(Money::from_wan(
                total_wan * (5 + rng.below(10) as i64) / 100,
            )),
            jobs: Some((50 + rng.below(800)) as i64),
            registered: started.is_some(),
            registered_on: started,
            // The zone's liaison leader looks after every other project.
            liaison_user_id: refs.liaisons.first().copied().filter(|_| rng.below(2) == 0),
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
    }
}

/// Milestones planned backwards from 投产 a year after the start; past ones
/// mostly done (some late), a few left overdue. The nodes that mark a stage
/// carry the day the stage history reached it, and none beyond it, so the
/// Gantt and the ledger tell the same story.
pub(crate) fn milestones(
    stage_changes: &[(Stage, NaiveDate)],
    today: NaiveDate,
    rng: &mut Rng,
) -> Vec<(String, String, Option<NaiveDate>, Option<NaiveDate>)> {
    let Some(started) = first_reached(stage_changes, Stage::Started) else {
        return Vec::new();
    };
    let calendar = kfq_calendar::Calendar::china();
    let template = kfq_calendar::default_template();
    let target = started
        .checked_add_months(Months::new(10 + rng.below(8) as u32))
        .unwrap_or(started);
    let Ok(planned) = kfq_calendar::schedule_backward(&calendar, &template, "production", target)
    else {
        return Vec::new();
    };
    let skip_actual = rng.below(4) == 0;
    planned
        .into_iter()
        .map(|p| {
            let late = rng.below(15) as i64 - 3;
            let actual = match milestone_stage(&p.key) {
                Some(stage) => first_reached(stage_changes, stage),
                None => (p.date < today && !(skip_actual && p.date > months_back(today, 2)))
                    .then(|| calendar.add_working_days(p.date, late))
                    .filter(|d| *d <= today),
            };
            (p.key, p.name, Some(p.date), actual)
        })
        .collect()
}

/// The zone's real projects from the bulletins, with their published figures.
pub(crate) fn real_records(refs: &ZoneRefs, today: NaiveDate, rng: &mut Rng) -> Vec<ProjectRecord> {
    let mut records = Vec::new();
    for (zone_name, name, enterprise, total, land, floor, output, tax, jobs, stage) in REAL {
        if *zone_name != refs.zone.name {
            continue;
        }
        let mut record = record(refs, (*name).to_owned(), *total, *stage, today, rng);
        record.input.enterprise_id = enterprise.and_then(|e| {
            refs.enterprises
                .iter()
                .find(|(_, n)| n == e)
                .map(|(id, _)| *id)
        });
        record.input.land = land.and_then(|l| Mu::parse(l).ok());
        record.input.floor_area_m2 = *floor;
        record.input.annual_output = output.map(Money::from_wan);
        record.input.annual_tax = tax.map(Money::from_wan);
        record.input.jobs = *jobs;
        records.push(record);
    }
    records
}

/// Fills the ledgers of the demo zones and computes every project's status.
pub async fn seed_ledger(
    store: &Store,
    zones: &[OrgUnit],
    size: LedgerSize,
    today: NaiveDate,
) -> Result<usize> {
    let actor = Actor::system("演示数据");
    let mut count = 0;
    for (n, zone) in zones.iter().enumerate() {
        let refs = zone_refs(store, zone).await?;
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ ((n as u64 + 1) * 0x1000_0001));
        for record in real_records(&refs, today, &mut rng) {
            store.import_project(&actor, &record).await?;
            count += 1;
        }
        let generated = match size {
            LedgerSize::Tiny => 2,
            LedgerSize::Normal => 20 + rng.below(41) as usize,
        };
        for i in 0..generated {
            let stage = match size {
                LedgerSize::Tiny => [Stage::Started, Stage::Signed][i % 2],
                LedgerSize::Normal => *rng.pick(Stage::ALL),
            };
            let shape = rng.pick(SHAPES);
            let product = *rng.pick(PRODUCTS);
            let name = shape
                .replace("{n}", &(1 + rng.below(50)).to_string())
                .replace("{p}", product)
                .replace("{k}", ["一", "二", "三"][rng.below(3) as usize]);
            let name = format!(
                "{}{}",
                name,
                if i >= PRODUCTS.len() {
                    format!("（{}）", i)
                } else {
                    String::new()
                }
            );
            let total = [3_000, 8_000, 12_000, 20_000, 50_000, 100_000][rng.below(6) as usize];
            let mut record = record(&refs, name, total, stage, today, &mut rng);
            if size == LedgerSize::Tiny && i == 0 {
                // Every tiny ledger has an overdue blocker, for the tests.
                let (factor, text) = BLOCKERS[0];
                record.blockers = vec![BlockerInput {
                    factor,
                    description: text.to_owned(),
                    raised_on: months_back(today, 2),
                    department_id: refs.departments.first().copied(),
                    deadline: Some(months_back(today, 1)),
                    status: BlockerStatus::Open,
                    resolution: None,
                    resolved_on: None,
                }];
            }
            store.import_project(&actor, &record).await?;
            count += 1;
        }
    }
    let calendar = kfq_calendar::Calendar::china();
    let working_days =
        move |from: NaiveDate, to: NaiveDate| calendar.working_days_between(from, to);
    store.refresh_stale_rag(today, &working_days).await?;
    Ok(count)
}
