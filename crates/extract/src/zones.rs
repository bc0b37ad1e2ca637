//! Zone names: finds mentions such as "运城经济技术开发区", "大同市经开区",
//! "晋中国家农高区", "平城现代农业产业示范区", and gives each a canonical name
//! (short forms expanded, 市 dropped, resolved against full names in the same
//! bulletin). Owns the zone-name suffixes and the place-name gazetteer of the
//! province and of the other provincial-level regions zones cooperate with.

use std::sync::LazyLock;

use crate::text::{ends_with, starts_with, Lexicon};
/// Zone-type suffixes, longest first. `strong` ones name a zone even when the
/// place before them is unknown; weak ones need a known place name.
const SUFFIXES: &[(&str, bool)] = &[
    ("国家农业高新技术产业示范区", true),
    ("农业高新技术产业示范区", true),
    ("高新技术产业开发区", true),
    ("现代农业产业示范区", true),
    ("经济技术开发区", true),
    ("高新技术开发区", true),
    ("综合保税区", true),
    ("经济开发区", true),
    ("工业园区", false),
    ("高新区", true),
    ("经开区", true),
    ("农高区", true),
    ("综保区", true),
    ("示范区", false),
    ("开发区", false),
];

/// Short forms and what they stand for.
const EXPANSIONS: &[(&str, &str)] = &[
    ("经开区", "经济技术开发区"),
    ("高新区", "高新技术产业开发区"),
    ("农高区", "农业高新技术产业示范区"),
    ("综保区", "综合保税区"),
];

/// Cities and counties of Shanxi (the province the bulletins come from), and the
/// provincial-level regions and a few cities zones pair with. A county whose
/// name is one character plus 县 is listed with 县.
const PLACES: &[&str] = &[
    // Shanxi cities (the first PREFECTURES entries)
    "太原",
    "大同",
    "朔州",
    "忻州",
    "阳泉",
    "吕梁",
    "晋中",
    "长治",
    "晋城",
    "临汾",
    "运城",
    // 太原
    "小店",
    "迎泽",
    "杏花岭",
    "尖草坪",
    "万柏林",
    "晋源",
    "清徐",
    "阳曲",
    "娄烦",
    "古交",
    // 大同
    "新荣",
    "平城",
    "云冈",
    "云州",
    "阳高",
    "天镇",
    "广灵",
    "灵丘",
    "浑源",
    "左云",
    // 朔州
    "朔城",
    "平鲁",
    "山阴",
    "应县",
    "右玉",
    "怀仁",
    // 忻州
    "忻府",
    "定襄",
    "五台",
    "代县",
    "繁峙",
    "宁武",
    "静乐",
    "神池",
    "五寨",
    "岢岚",
    "河曲",
    "保德",
    "偏关",
    "原平",
    // 阳泉
    "平定",
    "盂县",
    // 吕梁
    "离石",
    "文水",
    "交城",
    "兴县",
    "临县",
    "柳林",
    "石楼",
    "岚县",
    "方山",
    "中阳",
    "交口",
    "孝义",
    "汾阳",
    // 晋中
    "榆次",
    "太谷",
    "榆社",
    "左权",
    "和顺",
    "昔阳",
    "寿阳",
    "祁县",
    "平遥",
    "灵石",
    "介休",
    // 长治
    "潞州",
    "上党",
    "屯留",
    "潞城",
    "襄垣",
    "平顺",
    "黎城",
    "壶关",
    "长子",
    "武乡",
    "沁县",
    "沁源",
    // 晋城
    "沁水",
    "阳城",
    "陵川",
    "泽州",
    "高平",
    // 临汾
    "尧都",
    "曲沃",
    "翼城",
    "襄汾",
    "洪洞",
    "古县",
    "安泽",
    "浮山",
    "吉县",
    "乡宁",
    "大宁",
    "隰县",
    "永和",
    "蒲县",
    "汾西",
    "侯马",
    "霍州",
    // 运城
    "盐湖",
    "临猗",
    "万荣",
    "闻喜",
    "稷山",
    "新绛",
    "绛县",
    "垣曲",
    "夏县",
    "平陆",
    "芮城",
    "永济",
    "河津",
    // provinces and provincial-level cities
    "山西",
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    // large cities zones often pair with
    "苏州",
    "无锡",
    "杭州",
    "宁波",
    "深圳",
    "广州",
    "西安",
    "郑州",
    "青岛",
    "昆山",
];

/// How many of [`PLACES`] are prefecture-level cities.
const PREFECTURES: usize = 11;

/// A zone mention in a char slice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ZoneMention {
    pub start: usize,
    pub end: usize,
    /// Place part, 市 dropped: "大同", "太原西山生态修复和文化旅游", "晋中国家".
    pub place: String,
    /// Suffix as written: "经开区".
    pub suffix: &'static str,
    /// Written with 市 before the suffix: "运城市开发区".
    pub city_written: bool,
}

impl ZoneMention {
    /// Canonical name without looking at other mentions.
    pub fn canonical(&self) -> String {
        format!("{}{}", self.place, expand(self.suffix))
    }
}

fn expand(suffix: &str) -> &str {
    EXPANSIONS
        .iter()
        .find(|(short, _)| *short == suffix)
        .map_or(suffix, |(_, long)| long)
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}')
}

/// Words that end the place part of a zone name when reading leftwards.
const LEFT_STOPS: &[&str] = &[
    "深入",
    "来到",
    "前往",
    "走进",
    "调研",
    "考察",
    "督查",
    "推进",
    "全省",
    "全市",
    "全县",
    "我省",
    "我市",
    "打造",
    "创建",
    "建设",
    "获批",
    "入围",
    "作为",
    "成为",
    "以及",
    "对标",
    "比对",
    "提升",
    "推动",
    "支持",
    "加快",
    "发展",
    "促进",
    "全国",
    "各地",
    "所在",
    "入驻",
    "落户",
    "国家级",
    "省级",
    "市级",
    "县级",
    "在",
    "赴",
    "到",
    "与",
    "及",
    "对",
    "是",
    "为",
    "由",
    "向",
    "从",
    "把",
    "将",
    "的",
    "了",
    "等",
    "即",
    "各",
    "该",
    "本",
];

/// Finds zone mentions in `chars`, in order.
pub(crate) fn find(chars: &[char]) -> Vec<ZoneMention> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '区' {
            i += 1;
            continue;
        }
        let end = i + 1;
        let Some(&(suffix, strong)) = SUFFIXES.iter().find(|(s, _)| ends_with(chars, end, s))
        else {
            i += 1;
            continue;
        };
        let suffix_start = end - suffix.chars().count();
        if let Some(place) = place_before(chars, suffix_start, strong) {
            let start = suffix_start - place.chars().count();
            let city_written = place.ends_with('市');
            let place = drop_city_marker(&place);
            // A zone mention never overlaps the previous one.
            if out.last().is_none_or(|m: &ZoneMention| m.end <= start) {
                out.push(ZoneMention {
                    start,
                    end,
                    place,
                    suffix,
                    city_written,
                });
            }
        }
        i += 1;
    }
    out
}

/// The place part before a suffix ending at `at`, as written.
fn place_before(chars: &[char], at: usize, strong: bool) -> Option<String> {
    // Read leftwards over Han characters up to a stop word or 14 chars.
    let mut lo = at;
    while lo > 0 && at - lo < 14 && is_han(chars[lo - 1]) {
        if LEFT_STOPS.iter().any(|w| ends_with(chars, lo, w)) {
            break;
        }
        lo -= 1;
    }
    // The leftmost known place inside the window starts the name.
    let bare = starts_with(chars, at, "开发区") || starts_with(chars, at, "工业园区");
    static PLACE_WORDS: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::new(PLACES.iter().copied()));
    for s in lo..at {
        if let Some(place) = PLACE_WORDS.starting_at(chars, s).next().map(|i| PLACES[i]) {
            let after = s + place.chars().count();
            let between = &chars[after..at];
            // 文水开发区 is a zone; 山西省开发区建设… is all zones of a province.
            let ok = if bare {
                between.is_empty() || matches!(between, ['市' | '县'])
            } else {
                descriptor_ok(between)
            };
            if after <= at && ok {
                return Some(chars[s..at].iter().collect());
            }
        }
    }
    // Short forms (高新区, 经开区) need a known place: "提升高新区" is a verb.
    if !strong || short_form_at(chars, at) {
        return None;
    }
    // Unknown place before a strong suffix: take the two characters before it,
    // the usual length of a county name, plus 市/县 if written.
    let mut s = at;
    let mut taken = 0;
    if s > lo && matches!(chars[s - 1], '市' | '县') {
        s -= 1;
    }
    while s > lo && taken < 2 {
        s -= 1;
        taken += 1;
    }
    let generic = chars[s..at]
        .iter()
        .any(|c| matches!(c, '级' | '全' | '个' | '类' | '新' | '省'));
    (taken == 2 && !generic).then(|| chars[s..at].iter().collect())
}

fn short_form_at(chars: &[char], at: usize) -> bool {
    ["经开区", "高新区", "农高区", "综保区"]
        .iter()
        .any(|s| starts_with(chars, at, s))
}

/// What may stand between a place and a suffix: nothing, 市/县/区, or a
/// descriptor such as 国家, 西山生态修复和文化旅游.
fn descriptor_ok(between: &[char]) -> bool {
    between.len() <= 12
        && between.iter().all(|&c| is_han(c))
        && !between.iter().any(|&c| matches!(c, '省' | '各'))
}

fn drop_city_marker(place: &str) -> String {
    let chars: Vec<char> = place.chars().collect();
    // 大同市 → 大同, but 兴县 stays 兴县.
    if chars.len() > 2 && chars[2] == '市' {
        let mut s: String = chars[..2].iter().collect();
        s.extend(&chars[3..]);
        return s;
    }
    if chars.len() == 3 && chars[2] == '县' && !PLACES.contains(&place) {
        return chars[..2].iter().collect();
    }
    place.to_string()
}

/// Canonical names for the zones of one bulletin: a short form takes the full
/// name of a zone of the same place and family written elsewhere in the text.
pub(crate) struct Resolver {
    full: std::collections::HashMap<(String, u8), String>,
}

impl Resolver {
    pub fn new(bulletin: &[ZoneMention]) -> Resolver {
        let mut full = std::collections::HashMap::new();
        for m in bulletin.iter().filter(|m| is_full(m.suffix)) {
            full.entry((m.place.clone(), family(m.suffix)))
                .or_insert_with(|| m.canonical());
        }
        Resolver { full }
    }

    /// The canonical name, or `None` when the mention names no single zone:
    /// "晋中开发区" alone, or "运城市开发区", means the zones of a city.
    pub fn canonical(&self, m: &ZoneMention) -> Option<String> {
        if is_full(m.suffix) {
            return Some(m.canonical());
        }
        let full = self.full.get(&(m.place.clone(), family(m.suffix))).cloned();
        let city = m.suffix == "开发区" && PLACES[..PREFECTURES].contains(&m.place.as_str());
        match full {
            _ if city && m.city_written => None,
            Some(name) => Some(name),
            None if city => None,
            None => Some(m.canonical()),
        }
    }
}

fn is_full(suffix: &str) -> bool {
    !matches!(
        suffix,
        "经开区" | "高新区" | "农高区" | "综保区" | "开发区" | "示范区"
    )
}

fn family(suffix: &str) -> u8 {
    match suffix {
        "经济技术开发区" | "经济开发区" | "经开区" | "开发区" => 1,
        "高新技术产业开发区" | "高新技术开发区" | "高新区" => 2,
        "国家农业高新技术产业示范区" | "农业高新技术产业示范区" | "农高区" => {
            3
        }
        "综合保税区" | "综保区" => 4,
        "现代农业产业示范区" | "示范区" => 5,
        _ => 6,
    }
}

/// Phrases about all the zones of an area — "全市开发区", "全省10个开发区",
/// "各开发区" — after which a figure is no single zone's.
pub(crate) fn all_zones_phrases(chars: &[char]) -> Vec<(usize, usize)> {
    const OPENERS: &[&str] = &["全省", "全市", "全县", "全国", "各市", "各县", "各"];
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let Some(opener) = OPENERS.iter().find(|w| starts_with(chars, i, w)) else {
            i += 1;
            continue;
        };
        let from = i + opener.chars().count();
        let found = (from..(from + 8).min(chars.len()))
            .take_while(|&j| is_han(chars[j]) || chars[j].is_ascii_digit())
            .find(|&j| starts_with(chars, j, "开发区"));
        // 占全市开发区的26.1% / 居全市开发区首位 / 高于全市开发区: the whole a
        // zone is compared with, not a change of subject.
        let compared = i > 0 && matches!(chars[i - 1], '占' | '居' | '于' | '比');
        match found {
            Some(j) if compared => i = j + 3,
            Some(j) => {
                out.push((i, j + 3));
                i = j + 3;
            }
            None => i = from,
        }
    }
    out
}

/// Canonical form of a zone name typed by a person (gold files, queries).
pub fn canonical_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().filter(|c| !c.is_whitespace()).collect();
    match find(&chars).into_iter().next() {
        Some(m) if m.start == 0 && m.end == chars.len() => m.canonical(),
        _ => chars.iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        find(&chars).iter().map(ZoneMention::canonical).collect()
    }

    #[test]
    fn mentions_and_canonical_names() {
        let cases: &[(&str, &[&str])] = &[
            ("深入运城经济技术开发区，调研", &["运城经济技术开发区"]),
            ("储祥好在运城经开区调研时强调", &["运城经济技术开发区"]),
            ("率队赴大同市经开区就开发区考核", &["大同经济技术开发区"]),
            (
                "平城现代农业产业示范区党工委委员",
                &["平城现代农业产业示范区"],
            ),
            (
                "在晋中国家农高区开展督查",
                &["晋中国家农业高新技术产业示范区"],
            ),
            ("长治高新区管委会", &["长治高新技术产业开发区"]),
            (
                "在太原西山生态修复和文化旅游示范区",
                &["太原西山生态修复和文化旅游示范区"],
            ),
            ("获批全省绿色低碳循环示范区", &[]),
            ("推动开发区升级版", &[]),
            ("兴县经开区相关单位", &["兴县经济技术开发区"]),
            (
                "与上海杭州湾经济技术开发区产业共建",
                &["上海杭州湾经济技术开发区"],
            ),
            ("下一步，文水开发区将全力", &["文水开发区"]),
            ("某某经济开发区", &["某某经济开发区"]),
            ("运城市开发区上半年经济运行", &["运城开发区"]),
        ];
        for &(text, want) in cases {
            assert_eq!(names(text), want, "{text}");
        }
    }

    #[test]
    fn short_forms_take_the_full_name_written_elsewhere() {
        let chars: Vec<char> = "文水经济开发区运行情况。文水开发区将全力".chars().collect();
        let mentions = find(&chars);
        let resolver = Resolver::new(&mentions);
        let names: Vec<String> = mentions
            .iter()
            .filter_map(|m| resolver.canonical(m))
            .collect();
        assert_eq!(names, vec!["文水经济开发区", "文水经济开发区"]);
    }

    #[test]
    fn a_city_and_kaifaqu_means_all_its_zones() {
        let text: Vec<char> =
            "运城市开发区通报。运城经济技术开发区完成投资。晋中开发区稳中有进。运城开发区将"
                .chars()
                .collect();
        let mentions = find(&text);
        let resolver = Resolver::new(&mentions);
        let names: Vec<Option<String>> = mentions.iter().map(|m| resolver.canonical(m)).collect();
        let want = [
            None,
            Some("运城经济技术开发区"),
            None,
            Some("运城经济技术开发区"),
        ];
        assert_eq!(names, want.map(|w| w.map(str::to_string)));
        let phrases = all_zones_phrases(&"全市10个开发区共完成".chars().collect::<Vec<_>>());
        assert_eq!(phrases, vec![(0, 8)]);
    }

    #[test]
    fn canonical_name_of_typed_names() {
        assert_eq!(canonical_name("大同市经开区"), "大同经济技术开发区");
        assert_eq!(canonical_name("左云经济技术开发区"), "左云经济技术开发区");
    }
}
