//! Matching a project named in a bulletin with the ledger's projects of its
//! zone when the names are not written the same way: "年产100万吨公路护栏项目"
//! in a bulletin is "新绛年产百万吨公路护栏项目" in the ledger. A name is read
//! into its product, capacity, phase and enterprise; a match needs the same
//! product and either the same capacity or the same enterprise, and is refused
//! when two candidates are equally good, since a wrong match writes figures
//! into another project.

use crate::numbers::{self, Decimal};

/// What a project's name says, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKey {
    /// The product or subject words, without place, enterprise, capacity and suffixes.
    pub product: String,
    /// Capacity as a plain amount and its unit ("100万吨" → 1000000, "吨").
    pub capacity: Option<(Decimal, String)>,
    /// 一期 → 1, 二期 → 2.
    pub phase: Option<u32>,
    /// The enterprise written in front of the project, core words only.
    pub enterprise: Option<String>,
}

/// One side of a comparison: the name and the enterprise known apart from it
/// (the ledger's investor, the bulletin's 投资方).
#[derive(Debug, Clone, Copy)]
pub struct Named<'a> {
    pub name: &'a str,
    pub enterprise: Option<&'a str>,
}

/// Why two names are taken for the same project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub product: String,
    /// As shown to the user: "100万吨".
    pub capacity: Option<String>,
    pub enterprise: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// Index of the candidate of exactly that name.
    Exact(usize),
    /// Index of the one candidate with strong evidence.
    Similar(usize, Evidence),
    /// Several candidates equally good: the user chooses.
    Ambiguous(Vec<usize>),
    None,
}

/// Units a capacity is written in, longest first so that 千瓦时 wins over 千瓦.
const UNITS: &[&str] = &[
    "台（套）",
    "台套",
    "GWh",
    "GW",
    "MW",
    "吉瓦",
    "千瓦时",
    "平方米",
    "立方米",
    "标准箱",
    "千瓦",
    "兆瓦",
    "千克",
    "公斤",
    "吨",
    "台",
    "套",
    "件",
    "辆",
    "片",
    "只",
    "个",
    "条",
    "支",
    "瓶",
    "头",
    "羽",
    "米",
    "箱",
    "双",
    "张",
    "块",
    "平米",
    "方",
    "株",
    "亩",
];
/// Verbs before a capacity ("年产100万吨", "年处理30万吨"), dropped with it.
const CAPACITY_VERBS: &[&str] = &[
    "年产能",
    "年生产",
    "年加工",
    "年处理",
    "年新增",
    "年产",
    "新增",
    "产能",
    "日产",
    "年",
];
/// Trailing words that do not tell projects apart.
const SUFFIXES: &[&str] = &[
    "建设项目",
    "项目",
    "工程",
    "建设",
    "生产线",
    "基地",
    "及配套设施",
    "配套设施",
    "改扩建",
    "扩建",
    "技术改造",
    "技改",
    "改造",
    "新建",
];
/// Leading words that do not tell projects apart.
const PREFIXES: &[&str] = &["改扩建", "新建", "扩建", "技改", "技术改造", "建设"];
const COMPANY_ENDS: &[&str] = &["有限责任公司", "股份有限公司", "有限公司", "公司", "集团"];

/// Reads a project's name into its key.
pub fn key(name: &str) -> NameKey {
    let chars: Vec<char> = name
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '“' | '”' | '"' | '《' | '》'))
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect();
    let mut rest: String = chars.iter().collect();

    let (before_enterprise, enterprise) = split_enterprise(&rest);
    rest = before_enterprise;

    let phase = take_phase(&mut rest);
    rest = trim_words(&rest);

    // The first number followed by a unit is the capacity; what follows it
    // is the product, or what precedes it when nothing follows.
    let chars: Vec<char> = rest.chars().collect();
    let mut capacity = None;
    let mut product = rest.clone();
    let mut i = 0;
    while i < chars.len() {
        let parsed = (numbers::arabic_digit(chars[i]).is_some()
            || numbers::chinese_digit(chars[i]).is_some()
            || matches!(chars[i], '百' | '千' | '万' | '十'))
        .then(|| numbers::parse_at(&chars, i))
        .flatten();
        if let Some(p) = parsed {
            let after: String = chars[p.end..].iter().collect();
            if let Some(unit) = UNITS.iter().find(|u| after.starts_with(**u)) {
                let mut before: String = chars[..i].iter().collect();
                if let Some(verb) = CAPACITY_VERBS.iter().find(|v| before.ends_with(**v)) {
                    before.truncate(before.len() - verb.len());
                }
                let tail = after[unit.len()..].trim_start_matches(['/', '年']);
                let tail = trim_words(tail);
                product = if tail.is_empty() {
                    trim_words(&before)
                } else {
                    tail
                };
                let unit = if *unit == "台套" {
                    "台（套）"
                } else {
                    unit
                };
                capacity = Some((p.value, unit.to_owned()));
                break;
            }
            i = p.end.max(i + 1);
        } else {
            i += 1;
        }
    }
    NameKey {
        product,
        capacity,
        phase,
        enterprise,
    }
}

/// "山西华翔集团股份有限公司年产…" → ("年产…", Some("山西华翔")).
fn split_enterprise(name: &str) -> (String, Option<String>) {
    let mut best: Option<usize> = None;
    for end in COMPANY_ENDS {
        if let Some(at) = name.rfind(end) {
            let stop = at + end.len();
            if stop < name.len() && best.is_none_or(|b| stop > b) {
                best = Some(stop);
            }
        }
    }
    match best {
        Some(stop) => (
            name[stop..].to_owned(),
            Some(enterprise_core(&name[..stop])).filter(|e| e.chars().count() >= 2),
        ),
        None => (name.to_owned(), None),
    }
}

/// The words of an enterprise's name that tell it apart.
pub fn enterprise_core(name: &str) -> String {
    let mut core: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    loop {
        let before = core.len();
        for end in COMPANY_ENDS.iter().chain(["股份", "有限"].iter()) {
            if let Some(stripped) = core.strip_suffix(end) {
                core = stripped.to_owned();
            }
        }
        if core.len() == before {
            return core;
        }
    }
}

/// Removes "一期", "（二期）", "第三期", "2期" and returns the number.
fn take_phase(name: &mut String) -> Option<u32> {
    let chars: Vec<char> = name.chars().collect();
    for (at, c) in chars.iter().enumerate() {
        if *c != '期' || at == 0 {
            continue;
        }
        let mut start = at;
        while start > 0
            && (numbers::arabic_digit(chars[start - 1]).is_some()
                || numbers::chinese_digit(chars[start - 1]).is_some()
                || chars[start - 1] == '十')
        {
            start -= 1;
        }
        if start == at {
            continue;
        }
        let value = numbers::parse_at(&chars, start)
            .filter(|p| p.end == at)
            .and_then(|p| p.value.to_integer())
            .and_then(|v| u32::try_from(v).ok())?;
        let mut from = start;
        if from > 0 && chars[from - 1] == '第' {
            from -= 1;
        }
        let mut to = at + 1;
        if from > 0 && matches!(chars[from - 1], '（' | '(') {
            from -= 1;
            if matches!(chars.get(to), Some('）' | ')')) {
                to += 1;
            }
        }
        *name = chars[..from].iter().chain(&chars[to..]).collect();
        return Some(value);
    }
    None
}

fn trim_words(s: &str) -> String {
    let mut s = s
        .trim_matches(|c: char| "（）()、，,·-—".contains(c))
        .to_owned();
    loop {
        let before = s.len();
        for w in SUFFIXES {
            if let Some(t) = s.strip_suffix(w) {
                s = t.to_owned();
            }
        }
        for w in PREFIXES {
            if let Some(t) = s.strip_prefix(w) {
                s = t.to_owned();
            }
        }
        s = s
            .trim_matches(|c: char| "（）()、，,·-—".contains(c))
            .to_owned();
        if s.len() == before {
            return s;
        }
    }
}

/// "1000000" 吨 → "100万吨".
pub fn capacity_text(amount: &Decimal, unit: &str) -> String {
    let text = |n: i128| match n {
        n if n != 0 && n % 100_000_000 == 0 => format!("{}亿", n / 100_000_000),
        n if n >= 10_000 && n % 1_000 == 0 => match Decimal::new(n, 4) {
            Some(wan) => format!("{wan}万"),
            None => n.to_string(),
        },
        n => n.to_string(),
    };
    match amount.to_integer() {
        Some(n) => format!("{}{unit}", text(n)),
        None => format!("{amount}{unit}"),
    }
}

/// The brand a project's name opens with, when its enterprise's name opens
/// with it too ("大运高端…" of 大运汽车 → "大运"): two characters at least.
fn brand(product: &str, enterprise: &str) -> Option<String> {
    let shared: String = product
        .chars()
        .zip(enterprise.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect();
    (shared.chars().count() >= 2).then_some(shared)
}

/// The same product: equal, or one written with a place or a qualifier in
/// front of the other ("新绛公路护栏" / "公路护栏"). Gives the shorter.
fn same_product<'a>(a: &'a str, b: &'a str) -> Option<&'a str> {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    (short.chars().count() >= 2 && long.ends_with(short)).then_some(short)
}

fn same_enterprise(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.chars().count() >= 2 && long.contains(short)
}

/// Evidence that two names are the same project, or none. Different phases
/// or capacities never match.
pub fn evidence(bulletin: Named<'_>, ledger: Named<'_>) -> Option<Evidence> {
    evidence_of(bulletin, &key(bulletin.name), ledger, &key(ledger.name))
}

fn evidence_of(
    bulletin: Named<'_>,
    a: &NameKey,
    ledger: Named<'_>,
    b: &NameKey,
) -> Option<Evidence> {
    if a.phase != b.phase {
        return None;
    }
    let capacity = match (&a.capacity, &b.capacity) {
        (Some(x), Some(y)) if x == y => Some(capacity_text(&x.0, &x.1)),
        (Some(_), Some(_)) => return None,
        _ => None,
    };
    let enterprise_of = |k: &NameKey, n: Named<'_>| {
        k.enterprise
            .clone()
            .or_else(|| n.enterprise.map(enterprise_core))
            .filter(|e| !e.is_empty())
    };
    // The brand convention: "大运新能源乘用车…" of 大运汽车 names its
    // enterprise by the brand that opens it; a bulletin that opens with the
    // same brand names the same enterprise, and the product follows it.
    if enterprise_of(a, bulletin).is_none() {
        if let Some(brand) = enterprise_of(b, ledger).and_then(|e| brand(&b.product, &e)) {
            if let (Some(x), Some(y)) = (
                a.product.strip_prefix(&brand),
                b.product.strip_prefix(&brand),
            ) {
                if let Some(product) = same_product(x, y) {
                    return Some(Evidence {
                        product: product.to_owned(),
                        capacity,
                        enterprise: Some(brand),
                    });
                }
            }
        }
    }
    let product = same_product(&a.product, &b.product)?.to_owned();
    let enterprise = match (enterprise_of(a, bulletin), enterprise_of(b, ledger)) {
        (Some(x), Some(y)) if same_enterprise(&x, &y) => {
            Some(if x.len() <= y.len() { x } else { y })
        }
        // Named enterprises that differ are different projects.
        (Some(_), Some(_)) => return None,
        _ => None,
    };
    (capacity.is_some() || enterprise.is_some()).then_some(Evidence {
        product,
        capacity,
        enterprise,
    })
}

/// Matches a bulletin's project with the candidates (the zone's projects).
pub fn find(bulletin: Named<'_>, candidates: &[Named<'_>]) -> Match {
    let keys: Vec<NameKey> = candidates.iter().map(|c| key(c.name)).collect();
    find_keyed(bulletin, candidates, &keys)
}

/// Matches each of a zone's bulletin projects, reading the candidates' names once.
pub fn find_each(bulletins: &[Named<'_>], candidates: &[Named<'_>]) -> Vec<Match> {
    let keys: Vec<NameKey> = candidates.iter().map(|c| key(c.name)).collect();
    bulletins
        .iter()
        .map(|b| find_keyed(*b, candidates, &keys))
        .collect()
}

fn find_keyed(bulletin: Named<'_>, candidates: &[Named<'_>], keys: &[NameKey]) -> Match {
    let exact: Vec<usize> = candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| c.name.trim() == bulletin.name.trim())
        .map(|(i, _)| i)
        .collect();
    if let Some(first) = exact.first() {
        return Match::Exact(*first);
    }
    let own = key(bulletin.name);
    let mut found: Vec<(usize, Evidence, u32)> = candidates
        .iter()
        .zip(keys)
        .enumerate()
        .filter_map(|(i, (c, k))| {
            let e = evidence_of(bulletin, &own, *c, k)?;
            let strength =
                u32::from(e.capacity.is_some()) * 2 + u32::from(e.enterprise.is_some()) * 2;
            Some((i, e, strength))
        })
        .collect();
    found.sort_by_key(|f| std::cmp::Reverse(f.2));
    match found.as_slice() {
        [] => Match::None,
        [(i, e, _)] => Match::Similar(*i, e.clone()),
        [(i, e, s), (_, _, t), ..] if s > t => Match::Similar(*i, e.clone()),
        [(_, _, s), ..] => {
            Match::Ambiguous(found.iter().filter(|f| f.2 == *s).map(|f| f.0).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(name: &str) -> Named<'_> {
        Named {
            name,
            enterprise: None,
        }
    }

    fn ev(a: &str, b: &str) -> Option<Evidence> {
        evidence(n(a), n(b))
    }

    #[test]
    fn a_brand_that_opens_the_name_and_the_enterprise_is_the_enterprise() {
        let ledger = Named {
            name: "大运高端智能新能源乘用车提升改造项目",
            enterprise: Some("大运汽车股份有限公司"),
        };
        let e = evidence(n("大运新能源乘用车提升改造项目"), ledger).expect("the same project");
        assert_eq!(e.enterprise.as_deref(), Some("大运"));
        assert_eq!(e.product, "新能源乘用车提升");
        // Another product of the brand, or the brand without its enterprise, is not.
        assert_eq!(evidence(n("大运重卡整车项目"), ledger), None);
        let unnamed = Named {
            enterprise: None,
            ..ledger
        };
        assert_eq!(evidence(n("大运新能源乘用车提升改造项目"), unnamed), None);
        // A place that opens both names is not a brand unless the enterprise opens with it.
        let placed = Named {
            name: "运城光伏组件项目",
            enterprise: Some("山西某新能源有限公司"),
        };
        assert_eq!(evidence(n("运城某某光伏组件项目"), placed), None);
    }

    #[test]
    fn keys() {
        let k = key("新绛年产百万吨公路护栏项目");
        assert_eq!(k.product, "公路护栏");
        assert_eq!(
            k.capacity,
            Some((Decimal::from_int(1_000_000).unwrap(), "吨".into()))
        );
        assert_eq!(k.phase, None);
        let k = key("山西华翔集团股份有限公司年产10万吨精密铸件（二期）项目");
        assert_eq!(k.enterprise.as_deref(), Some("山西华翔"));
        assert_eq!(k.product, "精密铸件");
        assert_eq!(k.phase, Some(2));
        assert_eq!(key("第一期年产5000台风机建设项目").phase, Some(1));
        assert_eq!(key("光伏组件年产能2GW项目").product, "光伏组件");
        assert_eq!(key("30万吨/年煤焦油加工项目").product, "煤焦油加工");
        assert_eq!(key("公路护栏年产100万吨项目").product, "公路护栏");
    }

    #[test]
    fn same_project_in_other_wordings() {
        let cases = [
            (
                "年产100万吨公路护栏项目",
                "新绛年产百万吨公路护栏项目",
                "公路护栏",
                "100万吨",
            ),
            (
                "年产一百万吨公路护栏项目",
                "年产1000000吨公路护栏工程",
                "公路护栏",
                "100万吨",
            ),
            (
                "新建年产5000台风机项目",
                "年产5,000台风机建设项目",
                "风机",
                "5000台",
            ),
            (
                "年产30万吨煤焦油加工项目",
                "30万吨/年煤焦油加工项目",
                "煤焦油加工",
                "30万吨",
            ),
            (
                "年产十万吨精密铸件项目二期",
                "年产10万吨精密铸件（二期）",
                "精密铸件",
                "10万吨",
            ),
            (
                "年产1.5万吨铝合金型材项目",
                "绛县年产15000吨铝合金型材项目",
                "铝合金型材",
                "1.5万吨",
            ),
            (
                "年产100万吨公路护栏生产线项目",
                "年产百万吨公路护栏项目",
                "公路护栏",
                "100万吨",
            ),
            (
                "年产2GW高效光伏组件项目",
                "闻喜县新建年产2GW高效光伏组件项目",
                "高效光伏组件",
                "2GW",
            ),
            (
                "年产3万台（套）新能源汽车电机项目",
                "年产30000台(套)新能源汽车电机",
                "新能源汽车电机",
                "3万台（套）",
            ),
            (
                "2×35万千瓦热电联产项目",
                "2×350000千瓦热电联产工程",
                "热电联产",
                "70万千瓦",
            ),
        ];
        for (a, b, product, capacity) in cases {
            let e = ev(a, b).unwrap_or_else(|| panic!("{a} ↔ {b}"));
            assert_eq!(e.product, product, "{a} ↔ {b}");
            assert_eq!(e.capacity.as_deref(), Some(capacity), "{a} ↔ {b}");
        }
    }

    #[test]
    fn same_enterprise_and_product() {
        let e = ev(
            "山西华翔集团股份有限公司精密铸件项目",
            "华翔集团精密铸件扩建项目",
        )
        .unwrap();
        assert_eq!(e.enterprise.as_deref(), Some("华翔"));
        assert_eq!(e.capacity, None);
        // The enterprise may be known apart from the name (the ledger's investor).
        let e = evidence(
            n("华翔精密铸件项目"),
            Named {
                name: "精密铸件项目",
                enterprise: Some("山西华翔集团股份有限公司"),
            },
        );
        assert!(e.is_none(), "no enterprise in the bulletin's name: {e:?}");
        let e = evidence(
            Named {
                name: "精密铸件项目",
                enterprise: Some("华翔集团"),
            },
            Named {
                name: "新建精密铸件项目",
                enterprise: Some("山西华翔集团股份有限公司"),
            },
        )
        .unwrap();
        assert_eq!(e.enterprise.as_deref(), Some("华翔"));
    }

    #[test]
    fn different_projects_never_match() {
        for (a, b) in [
            // phases
            ("年产100万吨公路护栏一期项目", "年产100万吨公路护栏二期项目"),
            ("年产100万吨公路护栏项目（二期）", "年产100万吨公路护栏项目"),
            // capacities
            ("年产100万吨公路护栏项目", "年产50万吨公路护栏项目"),
            ("年产100万吨公路护栏项目", "年产100万套公路护栏项目"),
            // products
            ("年产100万吨公路护栏项目", "年产100万吨钢结构项目"),
            ("年产100万吨公路护栏项目", "年产100万吨护栏板项目"),
            // product alone is not enough
            ("公路护栏项目", "新绛公路护栏项目"),
            // enterprises that differ
            (
                "甲钢集团年产100万吨公路护栏项目",
                "乙钢有限公司年产100万吨公路护栏项目",
            ),
        ] {
            assert_eq!(ev(a, b), None, "{a} ↔ {b}");
            assert_eq!(ev(b, a), None, "{b} ↔ {a}");
        }
    }

    #[test]
    fn exact_wins_and_ambiguity_is_refused() {
        let ledger = [
            n("新绛年产百万吨公路护栏项目"),
            n("年产100万吨公路护栏项目"),
        ];
        assert_eq!(find(n("年产100万吨公路护栏项目"), &ledger), Match::Exact(1));
        assert_eq!(
            find(n("年产一百万吨公路护栏工程"), &ledger),
            Match::Ambiguous(vec![0, 1])
        );
        let ledger = [n("年产50万吨钢结构项目"), n("新绛年产百万吨公路护栏项目")];
        assert!(matches!(
            find(n("年产100万吨公路护栏项目"), &ledger),
            Match::Similar(1, _)
        ));
        assert_eq!(find(n("年产100万吨钢结构项目"), &ledger), Match::None);
        // Capacity and enterprise beat capacity alone.
        let ledger = [
            n("华翔集团年产10万吨精密铸件项目"),
            n("年产10万吨精密铸件项目"),
        ];
        let k = find(n("山西华翔集团有限公司年产十万吨精密铸件项目"), &ledger);
        assert!(matches!(k, Match::Similar(0, _)), "{k:?}");
    }

    #[test]
    fn odd_names_do_not_panic() {
        for name in [
            "",
            "项目",
            "期",
            "一期",
            "第期",
            "年产",
            "年产吨",
            "（",
            "公司",
            "有限公司项目",
            "年产十亿亿亿亿亿亿亿亿吨",
            "×××",
            "100",
            "GW",
            "二期一期三期",
            "年产1.吨",
        ] {
            let _ = key(name);
            let _ = find(n(name), &[n(name), n("年产100万吨公路护栏项目")]);
        }
    }

    #[test]
    fn each_of_a_zone() {
        let ledger = [n("年产50万吨钢结构项目"), n("新绛年产百万吨公路护栏项目")];
        let found = find_each(
            &[n("年产100万吨公路护栏项目"), n("年产50万吨钢结构项目")],
            &ledger,
        );
        assert!(matches!(found[0], Match::Similar(1, _)));
        assert_eq!(found[1], Match::Exact(0));
    }

    #[test]
    fn capacity_as_shown() {
        let d = |n| Decimal::from_int(n).unwrap();
        assert_eq!(capacity_text(&d(1_000_000), "吨"), "100万吨");
        assert_eq!(capacity_text(&d(5000), "台"), "5000台");
        assert_eq!(capacity_text(&d(300_000_000), "千瓦时"), "3亿千瓦时");
    }
}
