//! Demo projects: the real projects named in the zone bulletins, with their
//! zones and published figures, and generated ones so every zone has a ledger
//! across all stages, with plans, two years of monthly investment and some
//! overdue blockers. Generated projects are named from what they make and at
//! what capacity, sit in the industry chain of their product, state figures
//! to the precision zones report, and include this year's signings, starts
//! and production. Generation is deterministic (a fixed-seed generator).

use std::collections::HashSet;

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

/// A kind of project the generated ledgers are made of: how its name reads
/// (`{n}` is the capacity), the capacities zones build it at, what it costs
/// at the smallest and largest of them (万元), and the industry chain it
/// belongs to.
pub(crate) struct Product {
    pub(crate) chain: &'static str,
    pub(crate) pattern: &'static str,
    pub(crate) sizes: &'static [&'static str],
    pub(crate) invest: (i64, i64),
    /// Fits a modern agriculture zone.
    pub(crate) farm: bool,
}

const fn product(
    chain: &'static str,
    pattern: &'static str,
    sizes: &'static [&'static str],
    invest: (i64, i64),
    farm: bool,
) -> Product {
    Product {
        chain,
        pattern,
        sizes,
        invest,
        farm,
    }
}

/// The projects zones sign, as their bulletins name them.
pub(crate) const PRODUCTS: &[Product] = &[
    product(
        "新能源",
        "{n}MW光伏发电项目",
        &["50", "100", "150", "200", "300", "500"],
        (22_000, 230_000),
        false,
    ),
    product(
        "新能源",
        "{n}MW分散式风电项目",
        &["30", "50", "100", "150"],
        (18_000, 90_000),
        false,
    ),
    product(
        "新能源",
        "年产{n}GW高效光伏组件项目",
        &["1", "2", "3", "5", "10"],
        (30_000, 320_000),
        false,
    ),
    product(
        "新能源",
        "年产{n}GWh锂离子动力电池项目",
        &["2", "5", "10", "20"],
        (60_000, 520_000),
        false,
    ),
    product(
        "新能源",
        "年产{n}万吨锂电池正极材料项目",
        &["1", "2", "3", "5"],
        (25_000, 150_000),
        false,
    ),
    product(
        "新能源",
        "年产{n}台套氢燃料电池电堆项目",
        &["500", "1000", "3000", "5000"],
        (12_000, 80_000),
        false,
    ),
    product(
        "新能源",
        "{n}独立储能电站项目",
        &["50MW/100MWh", "100MW/200MWh", "200MW/400MWh"],
        (20_000, 80_000),
        false,
    ),
    product(
        "新材料",
        "年产{n}万吨高性能铝合金板带项目",
        &["5", "10", "15", "20", "30"],
        (40_000, 260_000),
        false,
    ),
    product(
        "新材料",
        "年产{n}吨碳纤维复合材料项目",
        &["1000", "2000", "5000", "10000"],
        (15_000, 120_000),
        false,
    ),
    product(
        "新材料",
        "年产{n}吨电子级多晶硅项目",
        &["3000", "5000", "10000"],
        (60_000, 200_000),
        false,
    ),
    product(
        "新材料",
        "年产{n}吨非晶合金带材项目",
        &["1000", "3000", "5000"],
        (8_000, 30_000),
        false,
    ),
    product(
        "新材料",
        "年产{n}万吨特种钢材项目",
        &["20", "30", "50", "100"],
        (50_000, 300_000),
        false,
    ),
    product(
        "新材料",
        "年产{n}万吨高端铝合金型材项目",
        &["3", "5", "10", "20"],
        (12_000, 80_000),
        false,
    ),
    product(
        "再生金属",
        "{n}万吨/年再生铝综合利用项目",
        &["5", "10", "15", "20", "30"],
        (9_000, 60_000),
        false,
    ),
    product(
        "再生金属",
        "年产{n}万吨再生铅项目",
        &["3", "5", "8", "10"],
        (8_000, 35_000),
        false,
    ),
    product(
        "再生金属",
        "年处理{n}万吨废旧动力电池综合利用项目",
        &["1", "2", "3", "5"],
        (10_000, 60_000),
        false,
    ),
    product(
        "再生金属",
        "{n}万吨/年废钢加工配送项目",
        &["30", "50", "100"],
        (6_000, 25_000),
        false,
    ),
    product(
        "高端装备制造",
        "年产{n}台（套）智能煤机装备项目",
        &["200", "500", "1000"],
        (15_000, 60_000),
        false,
    ),
    product(
        "高端装备制造",
        "年产{n}套风电塔筒项目",
        &["300", "500", "800", "1000"],
        (12_000, 45_000),
        false,
    ),
    product(
        "高端装备制造",
        "年产{n}万吨精密铸件项目",
        &["2", "3", "5", "10"],
        (8_000, 50_000),
        false,
    ),
    product(
        "高端装备制造",
        "年产{n}台工业机器人项目",
        &["1000", "2000", "5000"],
        (20_000, 90_000),
        false,
    ),
    product(
        "高端装备制造",
        "年产{n}万套新能源汽车零部件项目",
        &["10", "20", "50", "100"],
        (10_000, 80_000),
        false,
    ),
    product(
        "高端装备制造",
        "年产{n}辆专用车改装项目",
        &["2000", "5000", "10000"],
        (6_000, 30_000),
        false,
    ),
    product(
        "绿色建材",
        "年产{n}万立方米装配式建筑构件项目",
        &["10", "20", "30", "50"],
        (8_000, 40_000),
        false,
    ),
    product(
        "绿色建材",
        "年产{n}万平方米节能玻璃项目",
        &["100", "200", "300", "500"],
        (10_000, 60_000),
        false,
    ),
    product(
        "绿色建材",
        "年产{n}万吨新型干混砂浆项目",
        &["30", "50", "100"],
        (3_000, 12_000),
        false,
    ),
    product(
        "绿色建材",
        "年产{n}万立方米蒸压加气混凝土砌块项目",
        &["20", "30", "50"],
        (3_500, 15_000),
        false,
    ),
    product(
        "绿色建材",
        "年产{n}万吨钢结构项目",
        &["10", "20", "30", "50"],
        (8_000, 50_000),
        false,
    ),
    product(
        "食品医药",
        "年产{n}吨原料药及医药中间体项目",
        &["500", "1000", "2000", "3000"],
        (12_000, 80_000),
        false,
    ),
    product(
        "食品医药",
        "年产{n}亿片固体制剂项目",
        &["5", "10", "20", "30"],
        (8_000, 40_000),
        false,
    ),
    product(
        "食品医药",
        "年产{n}万吨功能性食品项目",
        &["1", "2", "3", "5"],
        (5_000, 30_000),
        true,
    ),
    product(
        "食品医药",
        "年产{n}万吨小杂粮精深加工项目",
        &["3", "5", "10"],
        (4_000, 20_000),
        true,
    ),
    product(
        "食品医药",
        "年产{n}万吨果蔬汁饮料项目",
        &["5", "10", "20"],
        (6_000, 35_000),
        true,
    ),
    product(
        "数字经济",
        "{n}架标准机柜数据中心项目",
        &["1000", "2000", "3000", "5000"],
        (30_000, 200_000),
        false,
    ),
    product(
        "数字经济",
        "年产{n}万台智能终端项目",
        &["50", "100", "200"],
        (10_000, 60_000),
        false,
    ),
    product(
        "现代农业",
        "{n}万头生猪标准化养殖项目",
        &["5", "10", "20", "30"],
        (8_000, 60_000),
        true,
    ),
    product(
        "现代农业",
        "年产{n}万吨生物有机肥项目",
        &["5", "10", "20"],
        (3_000, 15_000),
        true,
    ),
    product(
        "现代农业",
        "{n}亩设施蔬菜种植基地项目",
        &["500", "1000", "2000", "3000"],
        (3_000, 25_000),
        true,
    ),
    product(
        "现代农业",
        "年出栏{n}万只肉鸡全产业链项目",
        &["500", "1000", "2000"],
        (10_000, 50_000),
        true,
    ),
    product(
        "现代物流",
        "{n}万吨冷链物流仓储项目",
        &["5", "10", "20"],
        (6_000, 30_000),
        true,
    ),
    product(
        "现代物流",
        "{n}万平方米智慧物流园项目",
        &["5", "10", "20", "30"],
        (8_000, 50_000),
        false,
    ),
];

/// Projects of the demo's named enterprises that the bulletins do not list:
/// each such enterprise has one, so its login has a project to see.
const ENTERPRISE_PRODUCTS: &[(&str, Product)] = &[
    (
        "山西晋恒科技有限公司",
        product(
            "新材料",
            "晋恒科技年产{n}万平方米高端铝合金门窗项目",
            &["30", "50", "80"],
            (8_000, 20_000),
            false,
        ),
    ),
    (
        "山西雁门古道生物科技有限公司",
        product(
            "食品医药",
            "雁门古道年产{n}吨沙棘功能食品项目",
            &["3000", "5000"],
            (5_000, 12_000),
            true,
        ),
    ),
    (
        "中科尚昇新能源汽车有限公司",
        product(
            "高端装备制造",
            "中科尚昇年产{n}万辆新能源汽车项目",
            &["5", "10"],
            (80_000, 200_000),
            false,
        ),
    ),
    (
        "山西双良再生能源产业集团有限公司",
        product(
            "新能源",
            "双良年产{n}GW单晶硅片项目",
            &["10", "20"],
            (150_000, 320_000),
            false,
        ),
    ),
    (
        "成功汽车有限公司",
        product(
            "高端装备制造",
            "成功汽车年产{n}万辆新能源商用车项目",
            &["3", "5"],
            (50_000, 120_000),
            false,
        ),
    ),
    (
        "广灵县御鑫隆再生资源有限公司",
        product(
            "再生金属",
            "御鑫隆{n}万吨/年再生铝合金锭项目",
            &["10", "20"],
            (12_000, 30_000),
            false,
        ),
    ),
    (
        "山西中远铝业科技发展有限公司",
        product(
            "再生金属",
            "中远铝业年产{n}万吨铝合金型材项目",
            &["5", "10"],
            (15_000, 36_000),
            false,
        ),
    ),
    (
        "山西亿晨环保科技有限公司",
        product(
            "再生金属",
            "亿晨环保年处理{n}万吨废铅酸蓄电池项目",
            &["10", "15"],
            (10_000, 26_000),
            false,
        ),
    ),
    (
        "山西建邦集团有限公司",
        product(
            "新材料",
            "建邦集团年产{n}万吨优特钢棒材项目",
            &["100", "150"],
            (120_000, 250_000),
            false,
        ),
    ),
    (
        "山东冠县汇泉交通设施有限公司",
        product(
            "绿色建材",
            "汇泉交通年产{n}万吨波形梁钢护栏项目",
            &["10", "20"],
            (10_000, 25_000),
            false,
        ),
    ),
];

/// Total investment the way zones state it: in hundreds of 万元, thousands
/// for the big ones (so 亿元 to two decimals rarely end in zeros).
pub(crate) fn round_investment(wan: i64) -> i64 {
    let step = if wan >= 50_000 { 1_000 } else { 100 };
    ((wan + step / 2) / step * step).max(step)
}

/// What one size of a product costs: from the product's range, by where the
/// size stands among its sizes, give or take a fifth.
fn investment(product: &Product, size: usize, rng: &mut Rng) -> i64 {
    let (low, high) = product.invest;
    let steps = product.sizes.len().max(2) as i64 - 1;
    let base = low + (high - low) * size as i64 / steps;
    round_investment(base * (80 + rng.below(41) as i64) / 100)
}

/// A generated project: its name, industry chain and total investment (万元).
pub(crate) struct Generated {
    pub(crate) name: String,
    pub(crate) chain: &'static str,
    pub(crate) total_wan: i64,
}

/// Names `product` at one of its sizes, or none when the name is taken.
fn try_product(product: &Product, rng: &mut Rng, taken: &mut HashSet<String>) -> Option<Generated> {
    let size = rng.below(product.sizes.len() as u64) as usize;
    let name = product.pattern.replace("{n}", product.sizes[size]);
    if taken.contains(&name) {
        return None;
    }
    taken.insert(name.clone());
    Some(Generated {
        name,
        chain: product.chain,
        total_wan: investment(product, size, rng),
    })
}

/// A new project for a zone's ledger, its name not in `taken` (and added
/// to it). Agricultural zones mostly get farm and food projects. When every
/// size is taken, a later phase (二期, 三期…) of one, as zones name them.
pub(crate) fn generate_project(
    rng: &mut Rng,
    taken: &mut HashSet<String>,
    farm_zone: bool,
) -> Generated {
    let farm: Vec<&Product> = PRODUCTS.iter().filter(|p| p.farm).collect();
    for _ in 0..40 {
        let product = if farm_zone && rng.below(6) != 0 {
            *rng.pick(&farm)
        } else {
            rng.pick(PRODUCTS)
        };
        if let Some(generated) = try_product(product, rng, taken) {
            return generated;
        }
    }
    const PHASES: &[&str] = &[
        "二期", "三期", "四期", "五期", "六期", "七期", "八期", "九期",
    ];
    loop {
        let product = rng.pick(PRODUCTS);
        let size = rng.below(product.sizes.len() as u64) as usize;
        let base = product.pattern.replace("{n}", product.sizes[size]);
        let stem = base.trim_end_matches("项目");
        if let Some(name) = PHASES
            .iter()
            .map(|phase| format!("{stem}{phase}项目"))
            .find(|n| !taken.contains(n))
        {
            taken.insert(name.clone());
            return Generated {
                name,
                chain: product.chain,
                total_wan: investment(product, size, rng),
            };
        }
    }
}

/// The project of a named enterprise the bulletins list none for.
pub(crate) fn enterprise_project(
    enterprise: &str,
    rng: &mut Rng,
    taken: &mut HashSet<String>,
) -> Option<Generated> {
    let (_, product) = ENTERPRISE_PRODUCTS.iter().find(|(e, _)| *e == enterprise)?;
    (0..10).find_map(|_| try_product(product, rng, taken))
}

/// The industry chain a named project belongs to, from what it makes.
pub(crate) fn chain_of_name(name: &str) -> Option<&'static str> {
    const KEYWORDS: &[(&str, &str)] = &[
        ("光伏", "新能源"),
        ("风电", "新能源"),
        ("储能", "新能源"),
        ("双碳", "新能源"),
        ("新能源", "新能源"),
        ("再生", "再生金属"),
        ("非晶", "新材料"),
        ("合金", "新材料"),
        ("钢", "新材料"),
        ("汽车", "高端装备制造"),
        ("乘用车", "高端装备制造"),
        ("机器人", "高端装备制造"),
        ("装备", "高端装备制造"),
        ("煤机", "高端装备制造"),
        ("消防", "高端装备制造"),
        ("护栏", "绿色建材"),
        ("建筑", "绿色建材"),
        ("医药", "食品医药"),
        ("食品", "食品医药"),
        ("数据", "数字经济"),
        ("物流", "现代物流"),
    ];
    // 再生铝 is 再生金属 before it is an alloy.
    KEYWORDS
        .iter()
        .find(|(k, _)| name.contains(k))
        .map(|(_, chain)| *chain)
}

/// The zone's chain of that name; the zone's first when it has renamed its chains.
pub(crate) fn chain_id(refs: &ZoneRefs, chain: Option<&str>) -> Option<i64> {
    let chain = chain?;
    refs.chains
        .iter()
        .find(|(_, n)| n == chain)
        .or(refs.chains.first())
        .map(|(id, _)| *id)
}

/// The history of a project signed this year that reached `stage` this year
/// too (当年签约、当年开工、当年投产 for a producing one); none early in the
/// year, when there is no time for it.
pub(crate) fn this_year_history(
    stage: Stage,
    today: NaiveDate,
    rng: &mut Rng,
) -> Option<Vec<(Stage, NaiveDate)>> {
    let rank = stage.rank()?;
    let january = NaiveDate::from_ymd_opt(today.year(), 1, 1)?;
    let span = (today - january).num_days() as u64;
    // Three to ten weeks from one stage to the next.
    let gaps: Vec<u64> = (1..rank).map(|_| 21 + rng.below(50)).collect();
    let needed: u64 = gaps.iter().sum();
    if span <= needed + 1 {
        return None;
    }
    let mut day = rng.below(span - needed);
    let mut changes = Vec::new();
    for (k, s) in Stage::MAIN_LINE.iter().skip(1).take(rank).enumerate() {
        if k > 0 {
            day += gaps[k - 1];
        }
        changes.push((*s, january + chrono::Days::new(day)));
    }
    Some(changes)
}

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

/// A project of `refs`'s zone with `stage_changes` behind it (its history
/// from [`history`] unless given).
#[allow(clippy::too_many_arguments)]
fn record(
    refs: &ZoneRefs,
    name: String,
    total_wan: i64,
    chain: Option<&str>,
    stage: Stage,
    stage_changes: Option<Vec<(Stage, NaiveDate)>>,
    today: NaiveDate,
    rng: &mut Rng,
) -> ProjectRecord {
    let stage_changes = stage_changes.unwrap_or_else(|| history(stage, today, rng));
    let started = stage_changes
        .iter()
        .find(|(s, _)| *s == Stage::Started)
        .map(|(_, d)| *d);
    let (year, month) = (today.year(), today.month());
    let mut plans = Vec::new();
    let mut months = Vec::new();
    if let Some(started) = started {
        for y in [year - 1, year]
            .into_iter()
            .filter(|y| *y >= started.year())
        {
            // Planned to the 10万元.
            let wan = total_wan * (25 + rng.below(20) as i64) / 100;
            plans.push((y, Money::from_wan((wan + 5) / 10 * 10)));
        }
        // Two years of monthly completions since the start, up to last month.
        for back in (1..=24).rev() {
            let day = months_back(today, back);
            if day < started || (day.year(), day.month()) >= (year, month) {
                continue;
            }
            // Ten-thousandths of the total, to the 0.01万元 (100 元) as zones report.
            let behind = rng.below(4) == 0;
            let share = if behind {
                80 + rng.below(140)
            } else {
                200 + rng.below(360)
            };
            let yuan = total_wan * 10_000 * share as i64 / 10_000;
            months.push((day.year(), day.month(), Money::from_yuan(yuan / 100 * 100)));
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
            category: match chain {
                None | Some("现代物流") => Category::Infrastructure,
                Some(_) => Category::Industrial,
            },
            nature: if started.is_some_and(|d| d.year() < year) {
                Nature::Continuing
            } else {
                Nature::New
            },
            industry_chain_id: chain_id(refs, chain),
            total_investment: Money::from_wan(total_wan),
            land: Mu::parse(&(30 + rng.below(470)).to_string()).ok(),
            floor_area_m2: Some((50 + rng.below(950)) as i64 * 100),
            construction_content: None,
            annual_output: Some(Money::from_wan(output_wan(total_wan, rng))),
            annual_tax: Some(Money::from_wan(tax_wan(total_wan, rng))),
            jobs: Some((5 + rng.below(80)) as i64 * 10),
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

/// Expected annual output once producing, to the 100万元.
pub(crate) fn output_wan(total_wan: i64, rng: &mut Rng) -> i64 {
    let wan = total_wan * (8 + rng.below(20) as i64) / 10;
    ((wan + 50) / 100 * 100).max(100)
}

/// Expected annual tax, to the 10万元.
pub(crate) fn tax_wan(total_wan: i64, rng: &mut Rng) -> i64 {
    let wan = total_wan * (5 + rng.below(10) as i64) / 100;
    ((wan + 5) / 10 * 10).max(10)
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
        let mut record = record(
            refs,
            (*name).to_owned(),
            *total,
            chain_of_name(name),
            *stage,
            None,
            today,
            rng,
        );
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
        let mut taken: HashSet<String> = REAL.iter().map(|r| r.1.to_owned()).collect();
        // Named enterprises the bulletins list no project for get the first.
        let mut owners: Vec<(i64, Generated)> = refs
            .enterprises
            .iter()
            .filter(|(_, e)| !REAL.iter().any(|r| r.2 == Some(e.as_str())))
            .filter_map(|(id, e)| Some((*id, enterprise_project(e, &mut rng, &mut taken)?)))
            .collect();
        owners.reverse();
        let farm_zone = zone.name.contains("农业");
        for i in 0..generated {
            // Each zone signs, starts and brings into production projects
            // this year, some all three (当年签约、当年开工、当年投产).
            let (stage, this_year) = match (size, i) {
                (LedgerSize::Tiny, _) => ([Stage::Started, Stage::Signed][i % 2], i % 2 == 1),
                (LedgerSize::Normal, 0) => ([Stage::Started, Stage::Producing][n % 2], true),
                (LedgerSize::Normal, 1) => (Stage::Signed, true),
                (LedgerSize::Normal, 2) if n % 3 == 0 => (Stage::Completed, true),
                (LedgerSize::Normal, _) => {
                    let stage = *rng.pick(Stage::ALL);
                    let chance = match stage.rank() {
                        Some(1..=3) => 3,
                        Some(4..=5) => 10,
                        _ => 0,
                    };
                    (stage, chance > 0 && rng.below(chance) == 0)
                }
            };
            let (owner, project) = match owners.pop() {
                Some((id, project)) => (Some(id), project),
                None => (None, generate_project(&mut rng, &mut taken, farm_zone)),
            };
            let changes = if this_year {
                this_year_history(stage, today, &mut rng)
            } else {
                None
            };
            let mut record = record(
                &refs,
                project.name,
                project.total_wan,
                Some(project.chain),
                stage,
                changes,
                today,
                &mut rng,
            );
            if owner.is_some() {
                record.input.enterprise_id = owner;
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hundred_generated_names_are_distinct_and_unnumbered() {
        for seed in 1..20u64 {
            let mut rng = Rng(seed * 0x9E37_79B9);
            let mut taken = HashSet::new();
            for _ in 0..PROVINCE_SIZE {
                let project = generate_project(&mut rng, &mut taken, seed % 5 == 0);
                assert!(!project.name.contains('（') || project.name.contains("（套）"));
                assert!(project.name.ends_with("项目"), "{}", project.name);
                assert!(
                    kfq_domain::project::DEFAULT_INDUSTRY_CHAINS.contains(&project.chain),
                    "{}",
                    project.chain
                );
                assert!(project.total_wan >= 100 && project.total_wan % 100 == 0);
            }
            assert_eq!(taken.len(), PROVINCE_SIZE);
        }
    }

    const PROVINCE_SIZE: usize = crate::PROVINCE_PROJECTS_PER_ZONE;

    #[test]
    fn chains_follow_the_product() {
        assert_eq!(
            chain_of_name("铝及铝合金再生资源加工项目"),
            Some("再生金属")
        );
        assert_eq!(
            chain_of_name("年产2000吨非晶合金薄带材料项目"),
            Some("新材料")
        );
        assert_eq!(chain_of_name("生物医药产业化项目"), Some("食品医药"));
        assert_eq!(chain_of_name("新城置业标准厂房项目"), None);
        for product in PRODUCTS {
            assert!(kfq_domain::project::DEFAULT_INDUSTRY_CHAINS.contains(&product.chain));
        }
    }

    #[test]
    fn this_years_histories_stay_in_the_year_and_run_forward() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let mut rng = Rng(11);
        for _ in 0..500 {
            let changes = this_year_history(Stage::Producing, today, &mut rng).unwrap();
            assert_eq!(changes.len(), 5);
            assert!(changes.windows(2).all(|w| w[0].1 < w[1].1), "{changes:?}");
            assert!(changes.iter().all(|(_, d)| d.year() == 2026 && *d <= today));
        }
        let january = NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
        assert!(this_year_history(Stage::Producing, january, &mut rng).is_none());
    }

    #[test]
    fn investment_is_rounded_as_zones_state_it() {
        assert_eq!(round_investment(12_345), 12_300);
        assert_eq!(round_investment(123_456), 123_000);
        assert_eq!(round_investment(20), 100);
    }
}
