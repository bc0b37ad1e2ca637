//! 招商引资 demo data: the investors and leads the seed bulletins speak of
//! (临汾's 双良 visit and 夜沙龙, 长治高新区's 百泰生物, 山阴's 煤矸石 project,
//! 寿阳's 煤机制造 chain, 广灵's 再生金属), and a handful of generated leads
//! for every zone, each at a stage it reached with the facts that stage asks
//! for, registered and moved on dates before today.

use std::collections::HashMap;

use anyhow::Result;
use chrono::{Days, NaiveDate};
use kfq_attraction::{ActivityKind, AgreementKind, LeadStage, Origin, Segment, Source};
use kfq_domain::{CreditCode, LeadWrite, Money, UnitAdmin, ZoneWrite};
use kfq_store::{
    ActivityInput, Actor, ChainLinkInput, EnterpriseInput, InvestorInput, Lead, LeadInput, OrgUnit,
    StageMove, Store,
};

/// 临汾's talks with 双良 on long-distance heating (30亿元), registered as
/// 首谈 once talks began.
const FIRST_TALK: &str = "长输供热管网工程";

/// One lead: zone, investor (name, origin, place, 链主), name, 万元, source,
/// the stage it reached.
struct Spec {
    zone: &'static str,
    investor: (&'static str, Origin, &'static str, bool),
    name: &'static str,
    wan: i64,
    source: Source,
    stage: LeadStage,
}

const FROM_BULLETINS: &[Spec] = &[
    Spec {
        zone: "临汾经济开发区",
        investor: (
            "山西双良再生能源产业集团有限公司",
            Origin::InProvince,
            "山西省",
            true,
        ),
        name: "长输供热管网工程",
        wan: 300_000,
        source: Source::VisitOut,
        stage: LeadStage::Negotiating,
    },
    Spec {
        zone: "临汾经济开发区",
        investor: (
            "山西双良再生能源产业集团有限公司",
            Origin::InProvince,
            "山西省",
            true,
        ),
        name: "园区新能源光伏项目",
        wan: 50_000,
        source: Source::VisitOut,
        stage: LeadStage::Assessing,
    },
    Spec {
        zone: "临汾经济开发区",
        investor: (
            "山西双良再生能源产业集团有限公司",
            Origin::InProvince,
            "山西省",
            true,
        ),
        name: "新能源汽车合作项目",
        wan: 80_000,
        source: Source::VisitOut,
        stage: LeadStage::Clue,
    },
    Spec {
        zone: "临汾经济开发区",
        investor: (
            "中科尚昇新能源汽车有限公司",
            Origin::OutOfProvince,
            "北京市",
            false,
        ),
        name: "新能源特种专用汽车整车制造项目",
        wan: 120_000,
        source: Source::TopLeader,
        stage: LeadStage::Negotiating,
    },
    Spec {
        zone: "临汾经济开发区",
        investor: (
            "安徽凯撒新能源科技有限公司",
            Origin::OutOfProvince,
            "安徽省",
            false,
        ),
        name: "新能源光伏支架生产项目",
        wan: 30_000,
        source: Source::TopLeader,
        stage: LeadStage::Signed,
    },
    Spec {
        zone: "长治高新技术产业开发区",
        investor: (
            "百泰生物药业有限公司",
            Origin::OutOfProvince,
            "北京市",
            true,
        ),
        name: "创新生物制品研发和产业化项目",
        wan: 150_000,
        source: Source::TopLeader,
        stage: LeadStage::Started,
    },
    // The same investor met by another zone of the province: 临汾 holds
    // its 首谈, so 长治 sees it taken and the province counts it once.
    Spec {
        zone: "长治高新技术产业开发区",
        investor: (
            "山西双良再生能源产业集团有限公司",
            Origin::InProvince,
            "山西省",
            true,
        ),
        name: "城区长输供热合作项目",
        wan: 280_000,
        source: Source::Chain,
        stage: LeadStage::Clue,
    },
    Spec {
        zone: "山阴经济技术开发区",
        investor: (
            "北京中化信达科技有限公司",
            Origin::OutOfProvince,
            "北京市",
            false,
        ),
        name: "煤基固废（煤矸石）资源化综合利用示范项目",
        wan: 60_000,
        source: Source::FromAbove,
        stage: LeadStage::Assessing,
    },
    Spec {
        zone: "寿阳经济技术开发区",
        investor: (
            "山西联安智能装备有限公司",
            Origin::InProvince,
            "山西省",
            false,
        ),
        name: "矿用变频器及智能巡检机器人项目",
        wan: 21_000,
        source: Source::Chain,
        stage: LeadStage::Registered,
    },
    Spec {
        zone: "寿阳经济技术开发区",
        investor: (
            "河北精工轴承有限公司",
            Origin::OutOfProvince,
            "河北省",
            false,
        ),
        name: "煤机专用轴承配套项目",
        wan: 8_000,
        source: Source::Chain,
        stage: LeadStage::Negotiating,
    },
    Spec {
        zone: "广灵经济技术开发区",
        investor: (
            "天津再生铝业有限公司",
            Origin::OutOfProvince,
            "天津市",
            false,
        ),
        name: "再生铝深加工项目",
        wan: 45_000,
        source: Source::Chain,
        stage: LeadStage::Negotiating,
    },
];

/// Generated leads for every zone: the investor's name stem, the project,
/// 万元, source and stage.
const GENERATED: &[(&str, &str, i64, Source, LeadStage)] = &[
    (
        "华晟智能装备",
        "智能装备制造项目",
        35_000,
        Source::Fair,
        LeadStage::Clue,
    ),
    (
        "中鼎新材料",
        "高性能新材料项目",
        62_000,
        Source::ViaBusiness,
        LeadStage::Assessing,
    ),
    (
        "晋源食品",
        "农副产品精深加工项目",
        12_000,
        Source::VisitOut,
        LeadStage::Negotiating,
    ),
    (
        "蓝海储能",
        "新型储能电池项目",
        230_000,
        Source::Chain,
        LeadStage::Signed,
    ),
    (
        "瑞达物流",
        "智慧物流园项目",
        18_000,
        Source::Agency,
        LeadStage::Started,
    ),
    (
        "远航化工",
        "精细化工项目",
        40_000,
        Source::VisitOut,
        LeadStage::Terminated,
    ),
];

/// A lead to seed, resolved to its zone.
struct Planned<'a> {
    zone: &'a OrgUnit,
    /// Name, origin, place, 链主.
    investor: (String, Origin, String, bool),
    name: String,
    wan: i64,
    source: Source,
    stage: LeadStage,
}

fn day(today: NaiveDate, days_ago: u64) -> NaiveDate {
    today - Days::new(days_ago)
}

/// A valid credit code for the n-th demo registration.
fn credit_code(n: usize) -> CreditCode {
    const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    let base = format!("91140000MA{n:07}L");
    ALPHABET
        .chars()
        .find_map(|c| CreditCode::parse(&format!("{}{c}", &base[..17])).ok())
        .expect("one check character fits")
}

/// Seeds the leads; answers how many.
pub async fn seed_attraction(store: &Store, zones: &[OrgUnit], today: NaiveDate) -> Result<usize> {
    let actor = Actor::system("演示数据");
    let proof = LeadWrite::operator();
    let mut specs: Vec<Planned> = Vec::new();
    for s in FROM_BULLETINS {
        if let Some(zone) = zones.iter().find(|z| z.name == s.zone) {
            let (name, origin, place, leader) = s.investor;
            specs.push(Planned {
                zone,
                investor: (name.into(), origin, place.into(), leader),
                name: s.name.into(),
                wan: s.wan,
                source: s.source,
                stage: s.stage,
            });
        }
    }
    for (n, zone) in zones.iter().enumerate() {
        for (k, (stem, project, wan, source, stage)) in GENERATED.iter().enumerate() {
            // Each zone gets its own mix: not every zone has every stage.
            if (n + k) % 4 == 3 {
                continue;
            }
            let origin = [Origin::InProvince, Origin::OutOfProvince, Origin::Abroad][(n + k) % 3];
            let place = ["山西省", "江苏省", "德国"][(n + k) % 3];
            let short: String = zone.name.chars().take(2).collect();
            specs.push(Planned {
                zone,
                investor: (
                    format!("{stem}（{short}）有限公司"),
                    origin,
                    place.into(),
                    false,
                ),
                name: (*project).into(),
                wan: wan + (n as i64 % 5) * 1_000,
                source: *source,
                stage: *stage,
            });
        }
    }
    let chains = seed_chain_names(store, &actor, zones).await?;
    let mut investors: HashMap<(i64, String), i64> = HashMap::new();
    let mut seeded: Vec<Lead> = Vec::new();
    let mut codes = 0;
    for (n, planned) in specs.iter().enumerate() {
        let Planned {
            zone,
            investor: (investor, origin, place, leader),
            name,
            wan,
            source,
            stage,
        } = planned;
        let key = (zone.id, investor.clone());
        let investor_id = match investors.get(&key) {
            Some(id) => *id,
            None => {
                let created = store
                    .create_investor(
                        &actor,
                        &proof,
                        &InvestorInput {
                            zone_id: zone.id,
                            name: investor.clone(),
                            credit_code: None,
                            origin: *origin,
                            origin_place: Some(place.clone()),
                            industry: None,
                            size: None,
                            chain_leader: *leader,
                            notes: None,
                            contacts: vec![],
                        },
                    )
                    .await?;
                investors.insert(key, created.id);
                created.id
            }
        };
        let on_chain = CHAIN_LEADS
            .iter()
            .find(|(z, lead, _, _)| *z == zone.name && *lead == name.as_str())
            .and_then(|(_, _, chain, node)| Some((*chains.get(&(zone.id, *chain))?, *node)));
        // Registered 40–200 days ago; each stage a fortnight after the last.
        let registered = day(today, 200 - (n as u64 * 7) % 160);
        let mut lead = store
            .create_lead(
                &actor,
                &proof,
                &LeadInput {
                    zone_id: zone.id,
                    name: name.clone(),
                    investor_id,
                    industry_chain_id: on_chain.map(|(chain, _)| chain),
                    chain_node: on_chain.map(|(_, node)| node.to_owned()),
                    investment: Money::from_yuan(wan * 10_000),
                    land: None,
                    energy_tce: None,
                    expected_output: None,
                    expected_tax: None,
                    expected_jobs: None,
                    source: *source,
                    referrer: None,
                    owner_id: None,
                    task_force: None,
                    members: vec![],
                    registered_on: registered,
                    increase_of: None,
                },
            )
            .await?;
        let path: Vec<LeadStage> = match stage {
            LeadStage::Terminated => vec![
                LeadStage::Assessing,
                LeadStage::Negotiating,
                LeadStage::Terminated,
            ],
            _ => LeadStage::PIPELINE
                .iter()
                .copied()
                .skip(1)
                .take_while(|s| s.rank() <= stage.rank())
                .collect(),
        };
        let mut on = registered;
        for to in path {
            on = (on + Days::new(14)).min(today);
            let step = StageMove {
                to,
                on,
                note: None,
                signed_on: (to == LeadStage::Signed).then_some(on),
                signed_amount: (to == LeadStage::Signed).then(|| Money::from_yuan(wan * 10_000)),
                agreement: (to == LeadStage::Signed).then_some(AgreementKind::Formal),
                agreement_docs: None,
                enterprise_name: (to == LeadStage::Registered).then(|| format!("{name}运营公司")),
                enterprise_credit_code: (to == LeadStage::Registered).then(|| {
                    codes += 1;
                    credit_code(codes)
                }),
                started_on: (to == LeadStage::Started).then_some(on),
                produced_on: (to == LeadStage::Producing).then_some(on),
                terminated_reason: (to == LeadStage::Terminated)
                    .then(|| "企业投资计划调整，暂缓投资".to_owned()),
            };
            lead = store
                .move_lead(&actor, &proof, lead.id, lead.version, &step)
                .await?;
        }
        if lead.name == FIRST_TALK {
            lead = store
                .claim_first_talk(&actor, &proof, lead.id, lead.version, lead.stage_since)
                .await?;
        }
        seeded.push(lead);
    }
    seed_chain_links(store, &actor, &proof, zones, &chains, &mut investors).await?;
    seed_activities(store, &actor, &proof, zones, &seeded, today).await?;
    seed_funds_and_targets(store, &actor, zones, &seeded, today).await?;
    Ok(specs.len())
}

/// The chains the bulletins speak of, link by link: zone, chain, and for
/// each link its segment, name, the zone's enterprises there, the target
/// companies (目标企业) and whether it is an extension (延链).
type LinkSpec = (
    Segment,
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, Origin, &'static str)],
    bool,
);

const CHAINS: &[(&str, &str, &[LinkSpec])] = &[
    (
        "寿阳经济技术开发区",
        "煤机制造",
        &[
            (
                Segment::Upstream,
                "铸锻件",
                &[],
                &[("山西晋锻重工有限公司", Origin::InProvince, "山西省")],
                false,
            ),
            (
                Segment::Upstream,
                "轴承",
                &[],
                &[("河北精工轴承有限公司", Origin::OutOfProvince, "河北省")],
                false,
            ),
            (Segment::Upstream, "液泵", &[], &[], false),
            (
                Segment::Upstream,
                "电机",
                &["寿阳县华鑫电机有限公司"],
                &[],
                false,
            ),
            (
                Segment::Midstream,
                "液压支架",
                &["寿阳县兴达液压支架有限公司", "晋中鑫盛煤机装备有限公司"],
                &[],
                false,
            ),
            (
                Segment::Midstream,
                "刮板输送机",
                &["寿阳县恒通输送设备有限公司"],
                &[(
                    "宁夏天地奔牛实业集团有限公司",
                    Origin::OutOfProvince,
                    "宁夏回族自治区",
                )],
                false,
            ),
            (Segment::Downstream, "智能控制与巡检", &[], &[], false),
            (Segment::Downstream, "煤机再制造", &[], &[], true),
        ],
    ),
    (
        "广灵经济技术开发区",
        "再生金属",
        &[
            (
                Segment::Upstream,
                "废旧金属回收",
                &["广灵县御鑫隆再生资源有限公司", "广灵县广鑫再生资源有限公司"],
                &[],
                false,
            ),
            (Segment::Upstream, "拆解分选", &[], &[], false),
            (
                Segment::Midstream,
                "再生铝",
                &["山西中远铝业科技发展有限公司"],
                &[],
                false,
            ),
            (
                Segment::Midstream,
                "再生铅",
                &["山西亿晨环保科技有限公司"],
                &[],
                false,
            ),
            (
                Segment::Midstream,
                "再生铜",
                &[],
                &[("江西铜业再生资源有限公司", Origin::OutOfProvince, "江西省")],
                false,
            ),
            (Segment::Downstream, "铝合金深加工", &[], &[], true),
            (Segment::Downstream, "汽车轻量化部件", &[], &[], true),
        ],
    ),
];

/// Leads on those chains: zone, lead, chain, link.
const CHAIN_LEADS: &[(&str, &str, &str, &str)] = &[
    (
        "寿阳经济技术开发区",
        "煤机专用轴承配套项目",
        "煤机制造",
        "轴承",
    ),
    (
        "寿阳经济技术开发区",
        "矿用变频器及智能巡检机器人项目",
        "煤机制造",
        "智能控制与巡检",
    ),
    (
        "广灵经济技术开发区",
        "再生铝深加工项目",
        "再生金属",
        "铝合金深加工",
    ),
];

/// The chains of [`CHAINS`] in their zones: (zone, chain) → id.
async fn seed_chain_names(
    store: &Store,
    actor: &Actor,
    zones: &[OrgUnit],
) -> Result<HashMap<(i64, &'static str), i64>> {
    let mut ids = HashMap::new();
    for (zone_name, chain, _) in CHAINS {
        let Some(zone) = zones.iter().find(|z| z.name == *zone_name) else {
            continue;
        };
        let existing = store.industry_chains(zone.id).await?;
        let id = match existing.iter().find(|(_, n)| n == chain) {
            Some((id, _)) => *id,
            None => {
                store
                    .add_industry_chain(
                        actor,
                        &UnitAdmin::operator(),
                        (zone.id, &zone.org_path()),
                        chain,
                    )
                    .await?
            }
        };
        ids.insert((zone.id, *chain), id);
    }
    Ok(ids)
}

/// The links of [`CHAINS`], with their firms (registered in the zone when
/// new) and target companies (investors of the zone).
async fn seed_chain_links(
    store: &Store,
    actor: &Actor,
    proof: &LeadWrite,
    zones: &[OrgUnit],
    chains: &HashMap<(i64, &'static str), i64>,
    investors: &mut HashMap<(i64, String), i64>,
) -> Result<()> {
    let mut serial = 900_000;
    for (zone_name, chain, links) in CHAINS {
        let Some(zone) = zones.iter().find(|z| z.name == *zone_name) else {
            continue;
        };
        let Some(chain_id) = chains.get(&(zone.id, *chain)) else {
            continue;
        };
        let scope = kfq_domain::Visibility::Subtree(zone.org_path());
        let known: HashMap<String, i64> = store
            .enterprises(
                &scope,
                &kfq_store::EnterpriseFilter {
                    zone_id: Some(zone.id),
                    name_contains: None,
                },
                0,
                1000,
            )
            .await?
            .items
            .into_iter()
            .map(|e| (e.name, e.id))
            .collect();
        for (sort, (segment, name, firms, targets, extension)) in links.iter().enumerate() {
            let mut enterprises = Vec::new();
            for firm in *firms {
                let id = match known.get(*firm) {
                    Some(id) => *id,
                    None => {
                        serial += 1;
                        store
                            .create_enterprise(
                                actor,
                                &ZoneWrite::operator(),
                                &EnterpriseInput {
                                    zone_id: zone.id,
                                    name: (*firm).into(),
                                    credit_code: credit_code(serial),
                                    industry: Some((*chain).into()),
                                    address: None,
                                    contact_name: None,
                                    contact_phone: None,
                                },
                            )
                            .await?
                            .id
                    }
                };
                enterprises.push(id);
            }
            let mut target_ids = Vec::new();
            for (company, origin, place) in *targets {
                let key = (zone.id, (*company).to_owned());
                let id = match investors.get(&key) {
                    Some(id) => *id,
                    None => {
                        let created = store
                            .create_investor(
                                actor,
                                proof,
                                &InvestorInput {
                                    zone_id: zone.id,
                                    name: (*company).into(),
                                    credit_code: None,
                                    origin: *origin,
                                    origin_place: Some((*place).into()),
                                    industry: Some((*chain).into()),
                                    size: None,
                                    chain_leader: false,
                                    notes: None,
                                    contacts: vec![],
                                },
                            )
                            .await?;
                        investors.insert(key, created.id);
                        created.id
                    }
                };
                target_ids.push(id);
            }
            store
                .create_chain_link(
                    actor,
                    proof,
                    &ChainLinkInput {
                        zone_id: zone.id,
                        chain_id: *chain_id,
                        segment: *segment,
                        name: (*name).into(),
                        sort: Some(sort as i64 + 1),
                        extension: *extension,
                        note: None,
                        enterprises,
                        targets: target_ids,
                    },
                )
                .await?;
        }
    }
    Ok(())
}

/// One activity: zone, kind, title, days ago, place, their people, outcome,
/// the next step (due in days from today, negative when late), and the
/// leads it concerned by name.
type ActivitySpec = (
    &'static str,
    ActivityKind,
    &'static str,
    u64,
    &'static str,
    &'static str,
    &'static str,
    Option<(&'static str, i64)>,
    &'static [&'static str],
);

/// The bulletins' visits, salons and talks.
const ACTIVITIES: &[ActivitySpec] = &[
    (
        "临汾经济开发区",
        ActivityKind::VisitOut,
        "赴双良集团考察对接",
        30,
        "江苏江阴",
        "双良集团董事长及投资部负责人",
        "就长输供热、园区光伏和新能源汽车三个项目达成合作意向",
        Some(("报送长输供热项目建议书", 5)),
        &[
            "长输供热管网工程",
            "园区新能源光伏项目",
            "新能源汽车合作项目",
        ],
    ),
    (
        "临汾经济开发区",
        ActivityKind::Salon,
        "新能源汽车产业招商夜沙龙",
        12,
        "开发区企业服务中心",
        "中科尚昇、安徽凯撒等企业负责人",
        "两家企业表达落户意向，约定月内来区实地考察",
        Some(("安排企业实地考察园区标准厂房", -2)),
        &["新能源特种专用汽车整车制造项目"],
    ),
    (
        "寿阳经济技术开发区",
        ActivityKind::Talks,
        "煤机制造产业链招商专班对接会",
        8,
        "寿阳经济技术开发区管委会",
        "煤机配套企业代表",
        "梳理液泵、轴承、铸件、电机配套缺口，确定重点对接企业名单",
        Some(("走访轴承配套企业", 10)),
        &["煤机专用轴承配套项目"],
    ),
];

async fn seed_activities(
    store: &Store,
    actor: &Actor,
    proof: &LeadWrite,
    zones: &[OrgUnit],
    leads: &[Lead],
    today: NaiveDate,
) -> Result<()> {
    for (zone, kind, title, ago, place, theirs, outcome, next, names) in ACTIVITIES {
        let Some(zone) = zones.iter().find(|z| z.name == *zone) else {
            continue;
        };
        let concerned: Vec<&Lead> = leads
            .iter()
            .filter(|l| l.zone_id == zone.id && names.contains(&l.name.as_str()))
            .collect();
        let mut investors: Vec<i64> = concerned.iter().map(|l| l.investor_id).collect();
        investors.dedup();
        let on = day(today, *ago);
        let due = next.map(|(_, days)| {
            if days < 0 {
                today - Days::new(days.unsigned_abs())
            } else {
                today + Days::new(days as u64)
            }
        });
        store
            .create_activity(
                actor,
                proof,
                &ActivityInput {
                    zone_id: zone.id,
                    kind: *kind,
                    title: (*title).into(),
                    on_date: on,
                    ends_on: None,
                    place: Some((*place).into()),
                    our_people: Some("管委会主要负责人、招商局".into()),
                    their_people: Some((*theirs).into()),
                    purpose: None,
                    outcome: Some((*outcome).into()),
                    next_step: next.map(|(step, _)| step.to_owned()),
                    next_due: due,
                    next_owner_id: None,
                    next_done_on: None,
                    leads: concerned.iter().map(|l| l.id).collect(),
                    investors,
                },
                today,
            )
            .await?;
    }
    // Every zone's first open lead was visited once, a fortnight ago.
    for zone in zones {
        if let Some(lead) = leads
            .iter()
            .find(|l| l.zone_id == zone.id && l.stage.is_open() && l.registered_on < day(today, 14))
        {
            store
                .create_activity(
                    actor,
                    proof,
                    &ActivityInput {
                        zone_id: zone.id,
                        kind: ActivityKind::Reception,
                        title: format!("接待{}考察", lead.investor_name),
                        on_date: day(today, 14),
                        ends_on: None,
                        place: Some(zone.name.clone()),
                        our_people: Some("招商局".into()),
                        their_people: None,
                        purpose: None,
                        outcome: None,
                        next_step: None,
                        next_due: None,
                        next_owner_id: None,
                        next_done_on: None,
                        leads: vec![lead.id],
                        investors: vec![lead.investor_id],
                    },
                    today,
                )
                .await?;
        }
    }
    Ok(())
}

/// A third of each signed lead's amount arrived in the month after its
/// signing, from where its investor comes; the province's targets of
/// the year as the bulletins state them (省域外签约50亿元以上, 当年开工率40%).
async fn seed_funds_and_targets(
    store: &Store,
    actor: &Actor,
    zones: &[OrgUnit],
    leads: &[Lead],
    today: NaiveDate,
) -> Result<()> {
    let proof = LeadWrite::operator();
    let this_month = kfq_calendar::Period::of(today);
    for lead in leads {
        let (Some(signed_on), Some(amount)) = (lead.signed_on, lead.signed_amount) else {
            continue;
        };
        if !lead.stage.is_signed() {
            continue;
        }
        let month = kfq_calendar::Period::of(signed_on).next();
        if month > this_month {
            continue;
        }
        let origin = store
            .investor(&kfq_domain::Visibility::All, lead.investor_id)
            .await?
            .origin;
        store
            .set_lead_fund(
                actor,
                &proof,
                lead.id,
                lead.version,
                &kfq_store::FundEntry {
                    month,
                    origin,
                    amount: Money::from_yuan(amount.yuan() / 3),
                },
            )
            .await?;
    }
    let Some(province) = zones
        .first()
        .and_then(|z| z.org_path().ids().first().copied())
    else {
        return Ok(());
    };
    store
        .set_attraction_targets(
            actor,
            &kfq_domain::Oversight::operator(),
            &kfq_store::AttractionTargets {
                org_id: province,
                year: chrono::Datelike::year(&today),
                signed: Some(120),
                signed_amount: Some(Money::from_wan(3_000_000)),
                over_one_yi: Some(80),
                out_of_province_amount: Some(Money::from_wan(500_000)),
                start_rate_tenths: Some(400),
                version: 0,
            },
            0,
        )
        .await?;
    Ok(())
}
