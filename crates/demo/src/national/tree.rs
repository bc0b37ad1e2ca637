//! The national organisation tree: the 31 provinces of mainland China with
//! some of their real cities (districts for the four municipalities), and
//! generated counties and zones under them, to [`NATIONAL_ZONES`] in all.
//! Pure: the tree already seeded (the Shanxi demo) and the next free id decide
//! it, ids and paths included, as `Store::create_org` would have made them.

use std::collections::HashSet;

use kfq_domain::{OrgKind, OrgPath, ZoneLevel, ZoneType};
use kfq_store::OrgUnit;

use crate::ledger::Rng;
use crate::province::county_order;
use crate::{DEPARTMENTS, PROVINCE_ZONES};

/// Zones in all, the demo's included.
pub const NATIONAL_ZONES: usize = 2_500;

/// (province, division code prefix, weight, cities separated by spaces). The weight shares the
/// zones out: populous, industrial provinces have more. Shanxi is the demo's
/// own and gets the province scale's 100 zones instead.
const PROVINCES: &[(&str, &str, usize, &str)] = &[
    ("北京市", "11", 20, "朝阳区 海淀区 丰台区 大兴区 顺义区 昌平区 通州区 房山区"),
    ("天津市", "12", 27, "滨海新区 西青区 武清区 东丽区 津南区 北辰区 宝坻区 静海区"),
    ("河北省", "13", 150, "石家庄市 唐山市 秦皇岛市 邯郸市 邢台市 保定市 张家口市 承德市 沧州市 廊坊市 衡水市"),
    ("山西省", "14", 0, ""),
    ("内蒙古自治区", "15", 70, "呼和浩特市 包头市 乌海市 赤峰市 通辽市 鄂尔多斯市 呼伦贝尔市 巴彦淖尔市"),
    ("辽宁省", "21", 88, "沈阳市 大连市 鞍山市 抚顺市 本溪市 丹东市 锦州市 营口市"),
    ("吉林省", "22", 58, "长春市 吉林市 四平市 辽源市 通化市 白山市 松原市 白城市"),
    ("黑龙江省", "23", 80, "哈尔滨市 齐齐哈尔市 鸡西市 鹤岗市 双鸭山市 大庆市 伊春市 佳木斯市 牡丹江市"),
    ("上海市", "31", 47, "浦东新区 闵行区 嘉定区 松江区 青浦区 奉贤区 金山区 宝山区"),
    ("江苏省", "32", 131, "南京市 无锡市 徐州市 常州市 苏州市 南通市 连云港市 淮安市 盐城市 扬州市 镇江市 泰州市 宿迁市"),
    ("浙江省", "33", 118, "杭州市 宁波市 温州市 嘉兴市 湖州市 绍兴市 金华市 衢州市 舟山市 台州市 丽水市"),
    ("安徽省", "34", 117, "合肥市 芜湖市 蚌埠市 淮南市 马鞍山市 淮北市 铜陵市 安庆市 黄山市 滁州市 阜阳市"),
    ("福建省", "35", 89, "福州市 厦门市 莆田市 三明市 泉州市 漳州市 南平市 龙岩市 宁德市"),
    ("江西省", "36", 104, "南昌市 景德镇市 萍乡市 九江市 新余市 鹰潭市 赣州市 吉安市 宜春市 抚州市 上饶市"),
    ("山东省", "37", 172, "济南市 青岛市 淄博市 枣庄市 东营市 烟台市 潍坊市 济宁市 泰安市 威海市 日照市 临沂市"),
    ("河南省", "41", 131, "郑州市 开封市 洛阳市 平顶山市 安阳市 鹤壁市 新乡市 焦作市 濮阳市 许昌市 漯河市 南阳市"),
    ("湖北省", "42", 103, "武汉市 黄石市 十堰市 宜昌市 襄阳市 鄂州市 荆门市 孝感市 荆州市 黄冈市"),
    ("湖南省", "43", 109, "长沙市 株洲市 湘潭市 衡阳市 邵阳市 岳阳市 常德市 张家界市 益阳市 郴州市"),
    ("广东省", "44", 103, "广州市 深圳市 珠海市 汕头市 佛山市 韶关市 湛江市 肇庆市 江门市 茂名市 惠州市 东莞市"),
    ("广西壮族自治区", "45", 69, "南宁市 柳州市 桂林市 梧州市 北海市 防城港市 钦州市 贵港市 玉林市"),
    ("海南省", "46", 12, "海口市 三亚市 儋州市"),
    ("重庆市", "50", 46, "渝北区 江北区 九龙坡区 沙坪坝区 北碚区 涪陵区 永川区 万州区"),
    ("四川省", "51", 116, "成都市 自贡市 攀枝花市 泸州市 德阳市 绵阳市 广元市 遂宁市 内江市 乐山市 南充市 宜宾市"),
    ("贵州省", "52", 71, "贵阳市 六盘水市 遵义市 安顺市 毕节市 铜仁市"),
    ("云南省", "53", 67, "昆明市 曲靖市 玉溪市 保山市 昭通市 丽江市 普洱市 临沧市"),
    ("西藏自治区", "54", 6, "拉萨市 日喀则市 昌都市 林芝市 山南市 那曲市"),
    ("陕西省", "61", 59, "西安市 铜川市 宝鸡市 咸阳市 渭南市 延安市 汉中市 榆林市 安康市 商洛市"),
    ("甘肃省", "62", 68, "兰州市 嘉峪关市 金昌市 白银市 天水市 武威市 张掖市 平凉市 酒泉市 庆阳市"),
    ("青海省", "63", 12, "西宁市 海东市"),
    ("宁夏回族自治区", "64", 19, "银川市 石嘴山市 吴忠市 固原市 中卫市"),
    ("新疆维吾尔自治区", "65", 84, "乌鲁木齐市 克拉玛依市 吐鲁番市 哈密市"),
];

/// The demo's own province, already in the tree.
const DEMO_PROVINCE: &str = "山西省";

/// Zones a city itself hosts (named after the city, national level), in
/// the order cities get them; further zones go into its counties.
const CITY_ZONES: &[(&str, ZoneType)] = &[
    ("经济技术开发区", ZoneType::EconomicTechnological),
    ("高新技术产业开发区", ZoneType::HighTech),
    ("综合保税区", ZoneType::ComprehensiveBonded),
];

/// Characters of generated county names: two of them and 县 or 市.
const COUNTY_FIRST: &str =
    "安宝昌长成大德东丰凤福高广贵海和华嘉建金靖乐临龙隆宁平庆瑞顺泰通万文武西祥新兴阳永玉云泽正";
const COUNTY_SECOND: &str =
    "安北川城定丰阜海和河湖江津康口乐林陵宁平浦桥泉山水顺台潭田亭屯溪乡阳原源远州";

/// A unit to add, numbered and placed as the store would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewUnit {
    pub(crate) id: i64,
    pub(crate) parent_id: Option<i64>,
    pub(crate) kind: OrgKind,
    pub(crate) name: String,
    pub(crate) code: Option<String>,
    pub(crate) path: OrgPath,
    /// Itself for a zone, its zone for a department, none above zones.
    pub(crate) zone_id: Option<i64>,
    pub(crate) zone_level: Option<ZoneLevel>,
    pub(crate) zone_type: Option<ZoneType>,
}

impl NewUnit {
    /// The unit as the store returns it, for the ledger generators.
    pub(crate) fn as_org_unit(&self, now: i64) -> OrgUnit {
        OrgUnit {
            id: self.id,
            parent_id: self.parent_id,
            kind: self.kind,
            name: self.name.clone(),
            code: self.code.clone(),
            path: self.path.as_str().to_owned(),
            zone_id: self.zone_id,
            zone_level: self.zone_level,
            zone_type: self.zone_type,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }
}

/// Builds the new units in creation order (every parent before its children).
struct Builder {
    next_id: i64,
    units: Vec<NewUnit>,
    codes: HashSet<String>,
    zone_names: HashSet<String>,
    county_names: Vec<String>,
    /// Counties already named: real ones are not generated again.
    counties_named: HashSet<String>,
    next_county: usize,
}

impl Builder {
    fn add(
        &mut self,
        parent: Option<(i64, &OrgPath, Option<i64>)>,
        kind: OrgKind,
        name: String,
        code: Option<String>,
        zone: Option<(ZoneLevel, ZoneType)>,
    ) -> (i64, OrgPath) {
        let id = self.next_id;
        self.next_id += 1;
        let path = match parent {
            Some((_, path, _)) => path.child(id),
            None => OrgPath::root_of(id),
        };
        let zone_id = match kind {
            OrgKind::Zone => Some(id),
            _ => parent.and_then(|(_, _, zone)| zone),
        };
        if let Some(code) = &code {
            self.codes.insert(code.clone());
        }
        self.units.push(NewUnit {
            id,
            parent_id: parent.map(|(id, _, _)| id),
            kind,
            name,
            code,
            path: path.clone(),
            zone_id,
            zone_level: zone.map(|(l, _)| l),
            zone_type: zone.map(|(_, t)| t),
        });
        (id, path)
    }

    /// The first free zone code of a city: `<division>-NN`.
    fn zone_code(&self, city_code: &str) -> String {
        (1..)
            .map(|k| format!("{city_code}-{k:02}"))
            .find(|c| !self.codes.contains(c))
            .expect("a free code")
    }

    /// `wanted` if no zone has it yet; else with the city's name in front,
    /// or numbered: zone names are unique across the country.
    fn zone_name(&mut self, wanted: String, city_stem: &str) -> String {
        let name = std::iter::once(wanted.clone())
            .chain(std::iter::once(format!("{city_stem}{wanted}")))
            .chain((2..).map(|k| format!("{city_stem}{wanted}{k}")))
            .find(|n| !self.zone_names.contains(n))
            .expect("a free name");
        self.zone_names.insert(name.clone());
        name
    }

    /// The next generated county name no county has yet (repeating the
    /// list only should it run out, which the tests rule out).
    fn county_name(&mut self) -> String {
        let len = self.county_names.len();
        let start = self.next_county;
        loop {
            let name = self.county_names[self.next_county % len].clone();
            self.next_county += 1;
            if self.counties_named.insert(name.clone()) || self.next_county - start > len {
                return name;
            }
        }
    }

    /// A zone with its five departments.
    fn zone(
        &mut self,
        parent: (i64, &OrgPath),
        city_code: &str,
        city_stem: &str,
        wanted: String,
        level: ZoneLevel,
        kind: ZoneType,
    ) {
        let name = self.zone_name(wanted, city_stem);
        let code = self.zone_code(city_code);
        let (zone, path) = self.add(
            Some((parent.0, parent.1, None)),
            OrgKind::Zone,
            name,
            Some(code),
            Some((level, kind)),
        );
        for department in DEPARTMENTS {
            self.add(
                Some((zone, &path, Some(zone))),
                OrgKind::Department,
                (*department).to_owned(),
                None,
                None,
            );
        }
    }
}

/// A city's name without 市 / 区 / 新区, as zone names use it.
pub(crate) fn city_stem(name: &str) -> &str {
    ["新区", "市", "区"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .filter(|s| !s.is_empty())
        .unwrap_or(name)
}

/// Generated county names in a fixed shuffled order.
fn county_names() -> Vec<String> {
    let first: Vec<char> = COUNTY_FIRST.chars().collect();
    let second: Vec<char> = COUNTY_SECOND.chars().collect();
    let mut names: Vec<String> = first
        .iter()
        .flat_map(|a| {
            second
                .iter()
                .filter(move |b| *b != a)
                .map(move |b| (*a, *b))
        })
        .enumerate()
        .map(|(n, (a, b))| format!("{a}{b}{}", if n % 5 == 4 { "市" } else { "县" }))
        .collect();
    let mut rng = Rng(0x5DEE_CE66_D1CE_4E5B);
    for i in (1..names.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        names.swap(i, j);
    }
    names.reverse();
    names
}

/// Zones per province other than the demo's: `total` shared by weight,
/// the remainders going to the largest fractions.
fn quotas(total: usize) -> Vec<usize> {
    let weights: usize = PROVINCES.iter().map(|p| p.2).sum();
    let mut quotas: Vec<usize> = PROVINCES.iter().map(|p| total * p.2 / weights).collect();
    let mut order: Vec<usize> = (0..PROVINCES.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse((total * PROVINCES[i].2 % weights, i)));
    let short = total - quotas.iter().sum::<usize>();
    for &i in order.iter().take(short) {
        quotas[i] += 1;
    }
    quotas
}

/// The units to add to `existing` (the seeded demo: Shanxi, its cities and
/// zones) for a national tree of [`NATIONAL_ZONES`] zones, numbered from
/// `next_id`.
pub(crate) fn plan(existing: &[OrgUnit], next_id: i64) -> Vec<NewUnit> {
    let mut builder = Builder {
        next_id,
        units: Vec::new(),
        codes: existing.iter().filter_map(|u| u.code.clone()).collect(),
        zone_names: existing
            .iter()
            .filter(|u| u.kind() == OrgKind::Zone)
            .map(|u| u.name.clone())
            .collect(),
        county_names: county_names(),
        counties_named: existing
            .iter()
            .filter(|u| u.kind() == OrgKind::County)
            .map(|u| u.name.clone())
            .chain(county_order().into_iter().map(|(c, _)| c.to_owned()))
            .collect(),
        next_county: 0,
    };
    let existing_zones = builder.zone_names.len();

    // Shanxi as at the province scale: generated zones in its real counties.
    let shanxi_wanted = PROVINCE_ZONES.saturating_sub(existing_zones);
    for (n, (county_name, city_name)) in county_order().into_iter().take(shanxi_wanted).enumerate()
    {
        let Some(city) = existing
            .iter()
            .find(|u| u.kind() == OrgKind::City && u.name == city_name)
        else {
            continue;
        };
        let city_code = city.code.clone().unwrap_or_default();
        let county = match existing.iter().find(|u| {
            u.kind() == OrgKind::County && u.parent_id == Some(city.id) && u.name == county_name
        }) {
            Some(unit) => (unit.id, unit.org_path()),
            None => builder.add(
                Some((city.id, &city.org_path(), None)),
                OrgKind::County,
                county_name.to_owned(),
                None,
                None,
            ),
        };
        let (suffix, kind) = if n % 3 == 2 {
            ("工业园区", ZoneType::Industrial)
        } else {
            ("经济开发区", ZoneType::Economic)
        };
        builder.zone(
            (county.0, &county.1),
            &city_code,
            city_stem(city_name),
            format!("{county_name}{suffix}"),
            ZoneLevel::Provincial,
            kind,
        );
    }

    // The provinces go under the country's root when the tree has one.
    let country = existing
        .iter()
        .find(|u| u.kind() == OrgKind::Country)
        .map(|u| (u.id, u.org_path()));

    let shanxi_total = builder.zone_names.len();
    let quotas = quotas(NATIONAL_ZONES.saturating_sub(shanxi_total));
    let mut counties = 0;
    for ((name, prefix, _, cities), quota) in PROVINCES.iter().zip(quotas) {
        let cities: Vec<&str> = cities.split_whitespace().collect();
        if *name == DEMO_PROVINCE {
            continue;
        }
        let (province, province_path) = builder.add(
            country.as_ref().map(|(id, path)| (*id, path, None)),
            OrgKind::Province,
            (*name).to_owned(),
            Some(format!("{prefix}0000")),
            None,
        );
        let cities: Vec<(i64, OrgPath, String, &str)> = cities
            .iter()
            .enumerate()
            .map(|(n, city)| {
                let code = format!("{prefix}{:02}00", n + 1);
                let (id, path) = builder.add(
                    Some((province, &province_path, None)),
                    OrgKind::City,
                    (*city).to_owned(),
                    Some(code.clone()),
                    None,
                );
                (id, path, code, *city)
            })
            .collect();
        // In rounds across the cities, so every city gets its share: first
        // the cities' own zones, then one new county with one zone a round.
        let mut placed = 0;
        let mut round = 0;
        while placed < quota && !cities.is_empty() {
            for (city, path, code, city_name) in &cities {
                if placed == quota {
                    break;
                }
                let stem = city_stem(city_name);
                if let Some((suffix, kind)) = CITY_ZONES.get(round) {
                    builder.zone(
                        (*city, path),
                        code,
                        stem,
                        format!("{stem}{suffix}"),
                        ZoneLevel::National,
                        *kind,
                    );
                } else {
                    let county_name = builder.county_name();
                    counties += 1;
                    let (county, county_path) = builder.add(
                        Some((*city, path, None)),
                        OrgKind::County,
                        county_name.clone(),
                        None,
                        None,
                    );
                    let (suffix, kind) = match counties % 3 {
                        0 => ("工业园区", ZoneType::Industrial),
                        1 => ("经济开发区", ZoneType::Economic),
                        _ => ("高新技术产业开发区", ZoneType::HighTech),
                    };
                    builder.zone(
                        (county, &county_path),
                        code,
                        stem,
                        format!("{county_name}{suffix}"),
                        ZoneLevel::Provincial,
                        kind,
                    );
                }
                placed += 1;
            }
            round += 1;
        }
    }
    builder.units
}

/// The number of provinces of the national tree.
#[cfg(test)]
pub(crate) fn province_count() -> usize {
    PROVINCES.len()
}
