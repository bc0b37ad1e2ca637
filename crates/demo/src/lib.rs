//! The demo organisation: Shanxi province, its eleven cities, real zones named
//! in the province's bulletins with their departments, enterprises named there,
//! and one login per role. Credit codes are made up (valid, with the right
//! check character and the city's division code), never real ones. The
//! province and national scales grow this organisation (`province`,
//! `national`).

mod attraction;
mod attraction_scale;
mod indicators;
mod ledger;
mod national;
mod province;

use anyhow::Result;
use kfq_domain::{CreditCode, OrgKind, Role, UnitAdmin, ZoneLevel, ZoneType, ZoneWrite};
use kfq_store::{hash_password, Actor, EnterpriseInput, OrgInput, OrgUnit, Store, UserInput};

pub use attraction::seed_attraction;
pub use attraction_scale::{
    seed_province_attraction, ProvinceAttraction, ACTIVITIES_PER_ZONE, LEADS_PER_ZONE,
};
pub use indicators::{seed_indicators, seed_subscriptions};
pub use ledger::{seed_ledger, LedgerSize};
pub use national::{seed_national, NationalSummary, NATIONAL_TABLES, NATIONAL_ZONES};
pub use province::{
    add_province_zones, seed_province_ledger, ProvinceLedger, PROVINCE_PROJECTS_PER_ZONE,
    PROVINCE_YEARS, PROVINCE_ZONES,
};

/// The password of every demo login.
pub const DEMO_PASSWORD: &str = "kfq-demo-2026";

/// The five departments every zone's administrative committee has.
pub const DEPARTMENTS: &[&str] = &[
    "经济发展部",
    "招商局",
    "规划建设部",
    "应急管理局",
    "企业服务中心",
];

/// (city, administrative division code).
const CITIES: &[(&str, &str)] = &[
    ("太原市", "140100"),
    ("大同市", "140200"),
    ("阳泉市", "140300"),
    ("长治市", "140400"),
    ("晋城市", "140500"),
    ("朔州市", "140600"),
    ("晋中市", "140700"),
    ("运城市", "140800"),
    ("忻州市", "140900"),
    ("临汾市", "141000"),
    ("吕梁市", "141100"),
];

struct DemoZone {
    name: &'static str,
    city: &'static str,
    /// The county the zone lies in, when it is not directly under the city.
    county: Option<&'static str>,
    level: ZoneLevel,
    kind: ZoneType,
    enterprises: &'static [(&'static str, &'static str)],
}

use ZoneLevel::{National, Provincial};
use ZoneType::{ComprehensiveBonded, Economic, EconomicTechnological, HighTech, ModernAgriculture};

const ZONES: &[DemoZone] = &[
    DemoZone {
        name: "运城经济技术开发区",
        city: "运城市",
        county: None,
        level: National,
        kind: EconomicTechnological,
        enterprises: &[
            ("山西晋恒科技有限公司", "高端铝合金门窗"),
            ("山西世纪华泽实业有限公司", "消防设备"),
            ("山西弘鑫非晶科技有限公司", "非晶合金材料"),
            ("运城经开区新城置业有限公司", "标准厂房"),
            ("大运汽车股份有限公司", "新能源汽车"),
        ],
    },
    DemoZone {
        name: "忻州经济开发区",
        city: "忻州市",
        county: None,
        level: Provincial,
        kind: Economic,
        enterprises: &[
            ("新松机器人有限公司", "智能装备制造"),
            ("山西雁门古道生物科技有限公司", "生物科技"),
        ],
    },
    DemoZone {
        name: "临汾经济开发区",
        city: "临汾市",
        county: None,
        level: Provincial,
        kind: Economic,
        enterprises: &[
            ("中科尚昇新能源汽车有限公司", "新能源汽车"),
            ("山西双良再生能源产业集团有限公司", "再生能源"),
            ("临汾经济开发区招商引资服务有限公司", "招商服务"),
        ],
    },
    DemoZone {
        name: "长治高新技术产业开发区",
        city: "长治市",
        county: None,
        level: National,
        kind: HighTech,
        enterprises: &[("百泰生物药业有限公司", "生物医药")],
    },
    DemoZone {
        name: "长治经济技术开发区",
        city: "长治市",
        county: None,
        level: National,
        kind: EconomicTechnological,
        enterprises: &[("成功汽车有限公司", "汽车制造")],
    },
    DemoZone {
        name: "阳泉高新技术产业开发区",
        city: "阳泉市",
        county: None,
        level: Provincial,
        kind: HighTech,
        enterprises: &[],
    },
    DemoZone {
        name: "大同经济技术开发区",
        city: "大同市",
        county: None,
        level: National,
        kind: EconomicTechnological,
        enterprises: &[],
    },
    DemoZone {
        name: "平城现代农业产业示范区",
        city: "大同市",
        county: None,
        level: Provincial,
        kind: ModernAgriculture,
        enterprises: &[],
    },
    DemoZone {
        name: "广灵经济技术开发区",
        city: "大同市",
        county: Some("广灵县"),
        level: Provincial,
        kind: EconomicTechnological,
        enterprises: &[
            ("广灵县御鑫隆再生资源有限公司", "再生金属"),
            ("广灵县广鑫再生资源有限公司", "再生金属"),
            ("山西中远铝业科技发展有限公司", "再生金属"),
            ("山西亿晨环保科技有限公司", "再生铅"),
        ],
    },
    DemoZone {
        name: "左云经济技术开发区",
        city: "大同市",
        county: Some("左云县"),
        level: Provincial,
        kind: EconomicTechnological,
        enterprises: &[],
    },
    DemoZone {
        name: "侯马经济开发区",
        city: "临汾市",
        county: Some("侯马市"),
        level: Provincial,
        kind: Economic,
        enterprises: &[("山西建邦集团有限公司", "钢铁")],
    },
    DemoZone {
        name: "兴县经济技术开发区",
        city: "吕梁市",
        county: Some("兴县"),
        level: Provincial,
        kind: EconomicTechnological,
        enterprises: &[],
    },
    DemoZone {
        name: "文水经济开发区",
        city: "吕梁市",
        county: Some("文水县"),
        level: Provincial,
        kind: Economic,
        enterprises: &[],
    },
    DemoZone {
        name: "岚县经济技术开发区",
        city: "吕梁市",
        county: Some("岚县"),
        level: Provincial,
        kind: EconomicTechnological,
        enterprises: &[],
    },
    DemoZone {
        name: "山阴经济技术开发区",
        city: "朔州市",
        county: Some("山阴县"),
        level: Provincial,
        kind: EconomicTechnological,
        enterprises: &[],
    },
    DemoZone {
        name: "介休经济技术开发区",
        city: "晋中市",
        county: Some("介休市"),
        level: Provincial,
        kind: EconomicTechnological,
        enterprises: &[],
    },
    DemoZone {
        name: "寿阳经济技术开发区",
        city: "晋中市",
        county: Some("寿阳县"),
        level: Provincial,
        kind: EconomicTechnological,
        enterprises: &[],
    },
    DemoZone {
        name: "新绛经济技术开发区",
        city: "运城市",
        county: Some("新绛县"),
        level: Provincial,
        kind: EconomicTechnological,
        enterprises: &[
            ("新绛天和金属制品有限公司", "金属制品"),
            ("山东冠县汇泉交通设施有限公司", "交通设施"),
        ],
    },
    DemoZone {
        name: "临猗现代农业产业示范区",
        city: "运城市",
        county: Some("临猗县"),
        level: Provincial,
        kind: ModernAgriculture,
        enterprises: &[],
    },
    DemoZone {
        name: "晋城经济技术开发区",
        city: "晋城市",
        county: None,
        level: National,
        kind: EconomicTechnological,
        enterprises: &[],
    },
    DemoZone {
        name: "太原武宿综合保税区",
        city: "太原市",
        county: None,
        level: National,
        kind: ComprehensiveBonded,
        enterprises: &[],
    },
];

/// The enterprise login and the enterprise it acts for.
pub const ENTERPRISE_LOGIN: (&str, &str) = ("yc.qiye", "山西晋恒科技有限公司");

/// A demo login.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub username: &'static str,
    pub role: Role,
    pub unit: String,
}

/// What the demo made, for printing and for tests.
#[derive(Debug, Clone)]
pub struct Demo {
    pub logins: Vec<DemoLogin>,
    pub zones: Vec<OrgUnit>,
}

/// Completes 17 characters to a valid credit code.
fn credit_code(division: &str, serial: usize) -> CreditCode {
    const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    let base = format!("91{division}MA{serial:07}");
    ALPHABET
        .chars()
        .find_map(|c| CreditCode::parse(&format!("{base}{c}")).ok())
        .expect("one check character fits")
}

fn org(kind: OrgKind, parent: Option<i64>, name: &str, code: Option<String>) -> OrgInput {
    OrgInput {
        kind,
        parent_id: parent,
        name: name.to_owned(),
        code,
        zone_level: None,
        zone_type: None,
    }
}

/// Fills an empty database with the demo organisation and logins.
pub async fn seed(store: &Store) -> Result<Demo> {
    seed_under(store, None).await
}

/// The national scale's organisation: the country's root (全国开发区, the
/// national supervising unit), the demo province under it, the demo's
/// logins and the national supervisor's (`quanguo.duban`), who asks for the
/// country's monthly report and rankings.
pub async fn seed_country(store: &Store) -> Result<Demo> {
    let actor = Actor::system("演示数据");
    let country = store
        .create_org(
            &actor,
            &UnitAdmin::operator(),
            &org(OrgKind::Country, None, COUNTRY, Some("000000".into())),
        )
        .await?;
    let mut demo = seed_under(store, Some(country.id)).await?;
    let (username, role) = ("quanguo.duban", Role::Supervisor);
    let input = UserInput {
        username: username.into(),
        display_name: "全国开发区督导".into(),
        role,
        org_unit_id: country.id,
        enterprise_id: None,
        phone: None,
        email: None,
    };
    store
        .create_user(
            &actor,
            &UnitAdmin::operator(),
            &input,
            &hash_password(DEMO_PASSWORD),
        )
        .await?;
    demo.logins.push(DemoLogin {
        username,
        role,
        unit: country.name,
    });
    Ok(demo)
}

/// The name of the national scale's root.
pub const COUNTRY: &str = "全国开发区";

/// The demo organisation, its province under `country` when given.
async fn seed_under(store: &Store, country: Option<i64>) -> Result<Demo> {
    let actor = Actor::system("演示数据");
    let province = store
        .create_org(
            &actor,
            &UnitAdmin::operator(),
            &org(OrgKind::Province, country, "山西省", Some("140000".into())),
        )
        .await?;
    let mut zones = Vec::new();
    let mut serial = 0;
    for (city_name, division) in CITIES {
        let city = store
            .create_org(
                &actor,
                &UnitAdmin::operator(),
                &org(
                    OrgKind::City,
                    Some(province.id),
                    city_name,
                    Some((*division).into()),
                ),
            )
            .await?;
        let mut counties: Vec<(&str, OrgUnit)> = Vec::new();
        for (n, zone) in ZONES.iter().filter(|z| z.city == *city_name).enumerate() {
            let parent = match zone.county {
                None => city.id,
                Some(county) => match counties.iter().find(|(name, _)| *name == county) {
                    Some((_, unit)) => unit.id,
                    None => {
                        let unit = store
                            .create_org(
                                &actor,
                                &UnitAdmin::operator(),
                                &org(OrgKind::County, Some(city.id), county, None),
                            )
                            .await?;
                        let id = unit.id;
                        counties.push((county, unit));
                        id
                    }
                },
            };
            let mut input = org(
                OrgKind::Zone,
                Some(parent),
                zone.name,
                Some(format!("{division}-{:02}", n + 1)),
            );
            input.zone_level = Some(zone.level);
            input.zone_type = Some(zone.kind);
            let unit = store
                .create_org(&actor, &UnitAdmin::operator(), &input)
                .await?;
            for department in DEPARTMENTS {
                store
                    .create_org(
                        &actor,
                        &UnitAdmin::operator(),
                        &org(OrgKind::Department, Some(unit.id), department, None),
                    )
                    .await?;
            }
            for (name, industry) in zone.enterprises {
                serial += 1;
                store
                    .create_enterprise(
                        &actor,
                        &ZoneWrite::operator(),
                        &EnterpriseInput {
                            zone_id: unit.id,
                            name: (*name).into(),
                            credit_code: credit_code(division, serial),
                            industry: Some((*industry).into()),
                            address: None,
                            contact_name: None,
                            contact_phone: None,
                        },
                    )
                    .await?;
            }
            zones.push(unit);
        }
    }
    let logins = seed_logins(store, &actor, &province, &zones).await?;
    Ok(Demo { logins, zones })
}

async fn seed_logins(
    store: &Store,
    actor: &Actor,
    province: &OrgUnit,
    zones: &[OrgUnit],
) -> Result<Vec<DemoLogin>> {
    let yuncheng = zones
        .iter()
        .find(|z| z.name == "运城经济技术开发区")
        .expect("demo zone");
    let linfen = zones
        .iter()
        .find(|z| z.name == "临汾经济开发区")
        .expect("demo zone");
    let system = kfq_domain::Visibility::All;
    let departments = store
        .orgs(
            &system,
            &kfq_store::OrgFilter {
                parent_id: Some(yuncheng.id),
                ..Default::default()
            },
            0,
            10,
        )
        .await?
        .items;
    let zhaoshang = departments
        .iter()
        .find(|d| d.name == "招商局")
        .expect("demo department");
    // The enterprise login is 晋恒科技's, as its name says.
    let enterprise = store
        .enterprises(
            &system,
            &kfq_store::EnterpriseFilter {
                zone_id: Some(yuncheng.id),
                ..Default::default()
            },
            0,
            100,
        )
        .await?
        .items
        .into_iter()
        .find(|e| e.name == ENTERPRISE_LOGIN.1)
        .expect("demo enterprise");
    let hash = hash_password(DEMO_PASSWORD);
    let accounts: [(&'static str, &str, Role, &OrgUnit, Option<i64>); 8] = [
        ("admin", "系统管理员", Role::SystemAdmin, province, None),
        (
            "sheng.duban",
            "省开发区办督导",
            Role::Supervisor,
            province,
            None,
        ),
        (
            "yc.admin",
            "运城经开区管理员",
            Role::ZoneAdmin,
            yuncheng,
            None,
        ),
        (
            "yc.staff",
            "运城经开区经发部",
            Role::ZoneStaff,
            yuncheng,
            None,
        ),
        (
            "yc.zhaoshang",
            "运城经开区招商局",
            Role::DepartmentStaff,
            zhaoshang,
            None,
        ),
        (
            "yc.baolian",
            "运城经开区包联领导",
            Role::Liaison,
            yuncheng,
            None,
        ),
        (
            ENTERPRISE_LOGIN.0,
            "晋恒科技企业用户",
            Role::Enterprise,
            yuncheng,
            Some(enterprise.id),
        ),
        (
            "lf.staff",
            "临汾经开区工作人员",
            Role::ZoneStaff,
            linfen,
            None,
        ),
    ];
    let mut logins = Vec::new();
    for (username, display_name, role, unit, enterprise_id) in accounts {
        let input = UserInput {
            username: username.into(),
            display_name: display_name.into(),
            role,
            org_unit_id: unit.id,
            enterprise_id,
            phone: None,
            email: None,
        };
        store
            .create_user(actor, &UnitAdmin::operator(), &input, &hash)
            .await?;
        logins.push(DemoLogin {
            username,
            role,
            unit: unit.name.clone(),
        });
    }
    Ok(logins)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_codes_are_valid_and_distinct() {
        let codes: Vec<_> = (1..200).map(|n| credit_code("140800", n)).collect();
        let mut unique = codes.clone();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
        assert!(codes.iter().all(|c| c.as_str().starts_with("91140800")));
    }

    #[test]
    fn every_zone_lies_in_a_listed_city() {
        for zone in ZONES {
            assert!(CITIES.iter().any(|(c, _)| *c == zone.city), "{}", zone.name);
        }
        assert_eq!(CITIES.len(), 11);
    }

    #[tokio::test]
    async fn the_demo_seeds_on_every_backend() {
        for backend in kfq_store::testing::backends() {
            let db = kfq_store::testing::TestDb::new(backend).await;
            let store = Store::connect(&db.url).await.unwrap();
            store.migrate().await.unwrap();
            let demo = seed(&store).await.unwrap();
            assert_eq!(demo.zones.len(), ZONES.len());
            assert_eq!(demo.logins.len(), Role::ALL.len() + 1);
            let report = store.audit_verify().await.unwrap();
            assert!(report.broken.is_none());
            store.close().await;
        }
    }

    #[tokio::test]
    async fn the_national_scale_puts_the_demo_under_the_country() {
        for backend in kfq_store::testing::backends() {
            let db = kfq_store::testing::TestDb::new(backend).await;
            let store = Store::connect(&db.url).await.unwrap();
            store.migrate().await.unwrap();
            let demo = seed_country(&store).await.unwrap();
            assert_eq!(demo.logins.len(), Role::ALL.len() + 2);
            let tree = store.org_tree(&kfq_domain::Visibility::All).await.unwrap();
            let roots: Vec<&OrgUnit> = tree.iter().filter(|u| u.parent_id.is_none()).collect();
            assert_eq!(roots.len(), 1);
            assert_eq!(
                (roots[0].kind(), roots[0].name.as_str()),
                (OrgKind::Country, COUNTRY)
            );
            let root = roots[0].org_path();
            assert!(tree.iter().all(|u| u.org_path().is_within(&root)));
            assert!(demo.zones.iter().all(|z| z.org_path().is_within(&root)));
            let report = store.audit_verify().await.unwrap();
            assert!(report.broken.is_none());
            store.close().await;
        }
    }
}
