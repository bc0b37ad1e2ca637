//! Project and enterprise mentions: "年产100万吨公路护栏项目", "总投资5亿元的中信机电
//! 智能制造产业园", "山西弘鑫非晶科技有限公司". Owns where a name starts (reading
//! leftwards from its head noun to a verb, preposition or punctuation), splitting
//! an enterprise or zone off the front of a project name, generic phrases
//! ("重点项目", "12个项目") and anaphors ("该项目"). Knows no figures.

use std::sync::LazyLock;

use crate::text::{ends_with, starts_with, Lexicon};
use crate::zones::ZoneMention;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ProjectMention {
    pub start: usize,
    pub end: usize,
    /// Name without a leading zone or enterprise.
    pub name: String,
    pub investor: Option<String>,
    /// "该项目" or a bare "项目" opening a clause: refers back.
    pub anaphor: bool,
    /// "重点项目", "产业类项目": not one project.
    pub generic: bool,
}

/// Index of the longest mention starting exactly at `at` (mentions in text order).
pub(crate) fn mention_starting_at(mentions: &[ProjectMention], at: usize) -> Option<usize> {
    let i = mentions.partition_point(|p| p.start <= at);
    (i > 0 && mentions[i - 1].start == at).then(|| i - 1)
}

/// Index of a mention containing `[start, end)` (mentions in text order).
pub(crate) fn mention_containing(
    mentions: &[ProjectMention],
    start: usize,
    end: usize,
) -> Option<usize> {
    let upto = mentions.partition_point(|p| p.start <= start);
    (0..upto)
        .rev()
        .take_while(|&i| mentions[i].start + 2 * MAX_NAME >= start)
        .find(|&i| end <= mentions[i].end)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CompanyMention {
    pub start: usize,
    pub end: usize,
    pub name: String,
}

const MAX_NAME: usize = 42;

/// Punctuation that no name crosses.
fn is_hard_stop(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '；'
            | '：'
            | '！'
            | '？'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '《'
            | '》'
            | '【'
            | '】'
            | '\n'
            | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '"'
            | '「'
            | '」'
    )
}

/// Words before a name that are not part of it (verbs, prepositions), longest
/// first where one contains another.
const LEFT_STOPS: &[&str] = &[
    "实地调研了",
    "调研了",
    "察看了",
    "查看了",
    "参观了",
    "了解",
    "调研",
    "察看",
    "查看",
    "考察",
    "参观",
    "推进",
    "推动",
    "加快",
    "实施",
    "围绕",
    "引进",
    "招引",
    "对接",
    "签约",
    "签订",
    "签署",
    "落地",
    "谋划",
    "启动",
    "走进",
    "深入",
    "来到",
    "前往",
    "督导",
    "支持",
    "服务",
    "包括",
    "涵盖",
    "聚焦",
    "依托",
    "抓好",
    "做好",
    "配合",
    "保障",
    "协调",
    "加强",
    "确保",
    "完成",
    "开展",
    "举行",
    "召开",
    "参加",
    "出席",
    "主持",
    "介绍",
    "汇报",
    "听取",
    "宣布",
    "承接",
    "打造",
    "建设了",
    "开工建设",
    "其中",
    "重点",
    "此次",
    "本次",
    "还有",
    "以及",
    "主营",
    "负责",
    "投资建设",
    "投资",
    "成立",
    "落实",
    "强化",
    "紧盯",
    "助推",
    "助力",
    "服务于",
    "大抓",
    "抓",
    "促",
    "盯",
    "就",
    "是",
    "有",
    "为",
    "以",
    "在",
    "对",
    "将",
    "把",
    "从",
    "向",
    "了",
    "由",
    "被",
    "与",
    "和",
    "同",
    "及",
    "暨",
    "、",
    "的",
    "等",
    "即",
    "于",
    "至",
    "到",
    "赴",
];

static LEFT_STOP_WORDS: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::new(LEFT_STOPS.iter().copied()));
static COMPANY_STOP_WORDS: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::new(COMPANY_STOPS.iter().copied()));

/// Stops that are only stops when the text before them ends a name already
/// (a list of projects); otherwise they may sit inside one name.
const LIST_STOPS: &[&str] = &["、", "及", "暨"];

/// Endings that close a list item before 、: a stage reached ("换电站建成投运、").
const LIST_ITEM_ENDS: &[&str] = &[
    "投运", "投产", "开工", "建成", "竣工", "签约", "落地", "建设", "运营",
];

/// Words before an enterprise name. Enterprise names are full of ordinary words
/// (投资, 建设, 和), so only prepositions and visiting verbs end them.
const COMPANY_STOPS: &[&str] = &[
    "以及", "引进", "招引", "走进", "深入", "来到", "前往", "参观", "考察", "调研", "督导", "联合",
    "携手", "对接", "其中", "在", "赴", "到", "与", "及", "对", "是", "为", "由", "向", "的", "了",
    "等", "即", "、", "暨",
];

/// Single characters that are stops only outside common words (有限公司, 以上, 在建).
fn false_stop(chars: &[char], stop_end: usize, stop: &str) -> bool {
    let next = chars.get(stop_end).copied();
    let prev = stop_end.checked_sub(2).and_then(|i| chars.get(i)).copied();
    match stop {
        "有" => {
            matches!(next, Some('限')) || matches!(prev, Some('具' | '拥' | '所' | '现' | '共'))
        }
        "以" => matches!(next, Some('上' | '下' | '来' | '内')),
        "在" => matches!(next, Some('建')),
        "为" => matches!(prev, Some('作' | '成' | '认' | '称')),
        "同" => matches!(prev, Some('大' | '协' | '共' | '合')),
        "和" => matches!(
            prev,
            Some('天' | '平' | '永' | '祥' | '人' | '保' | '中' | '泰' | '昌' | '汇')
        ),
        "于" => matches!(next, Some('一')),
        "了" => matches!(next, Some('解')),
        "至" => matches!(prev, Some('乃')),
        "投资" => matches!(next, Some('建' | '新' | '有' | '集' | '控')),
        _ => false,
    }
}

/// The start of a name whose head ends at `end`, reading leftwards.
fn name_start(chars: &[char], end: usize, company: bool, heads: &[&str]) -> usize {
    let floor = end.saturating_sub(MAX_NAME);
    let mut s = end;
    while s > floor {
        let c = chars[s - 1];
        if is_hard_stop(c) {
            break;
        }
        // A name never runs back into the one before it.
        if company && heads.iter().any(|h| ends_with(chars, s, h)) && s < end {
            break;
        }
        let (stops, lexicon) = if company {
            (COMPANY_STOPS, &*COMPANY_STOP_WORDS)
        } else {
            (LEFT_STOPS, &*LEFT_STOP_WORDS)
        };
        let stop = lexicon
            .ending_at(chars, s)
            .map(|i| stops[i])
            .find(|w| !false_stop(chars, s, w));
        if let Some(w) = stop {
            let before = s - w.chars().count();
            let list_ok = company || !LIST_STOPS.contains(&w);
            let item_closed = heads
                .iter()
                .chain(LIST_ITEM_ENDS)
                .any(|h| ends_with(chars, before, h));
            if list_ok || item_closed {
                break;
            }
        }
        s -= 1;
    }
    // Skip stray brackets or spaces left at the front.
    while s < end && matches!(chars[s], ' ' | '）' | ')') {
        s += 1;
    }
    s
}

const PROJECT_HEADS: &[&str] = &["项目", "工程", "产业园"];

const COMPANY_SUFFIXES: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "集团公司",
    "集团",
    "公司",
];

/// Leading words that make a project phrase generic rather than a name.
const GENERIC_WORDS: &[&str] = &[
    "亿元以上",
    "社会民生",
    "基础设施",
    "产业类",
    "一批",
    "这些",
    "这个",
    "各类",
    "所有",
    "全部",
    "部分",
    "其他",
    "相关",
    "重点",
    "签约",
    "开工",
    "在建",
    "新建",
    "续建",
    "新开工",
    "投产",
    "竣工",
    "产业",
    "民生",
    "技改",
    "招商",
    "省级",
    "市级",
    "县级",
    "当年",
    "今年",
    "各个",
    "每个",
    "入库",
    "储备",
    "前期",
    "谋划",
    "意向",
    "合作",
    "引进",
    "落地",
    "以上",
    "大",
    "好",
    "各",
    "省",
    "市",
    "县",
    "级",
    "共",
    "已",
    "未",
    "和",
    "、",
    "类",
    "新",
    "该",
    "此",
    "本",
    "上述",
    "的",
];

const ANAPHORS: &[&str] = &["该", "此", "本", "这个", "上述", "这一", "此次", "该重点"];

fn is_generic(stem: &str) -> bool {
    // Two characters (抓项目, 大项目) are a verb or a size, not a name.
    if stem.ends_with('等') || stem.chars().count() < 3 {
        return true;
    }
    let mut rest = stem;
    loop {
        let before = rest.len();
        for w in GENERIC_WORDS {
            if let Some(r) = rest.strip_prefix(w) {
                rest = r;
            }
        }
        // A count in front (12个项目) is a batch, not a name.
        let digits = rest
            .char_indices()
            .take_while(|(_, c)| crate::numbers::is_numeral_char(*c))
            .last()
            .map(|(i, c)| i + c.len_utf8());
        if let Some(n) = digits {
            if let Some(r) = rest[n..].strip_prefix(['个', '项']) {
                rest = r;
            }
        }
        if rest.is_empty() {
            return true;
        }
        if rest.len() == before {
            return false;
        }
    }
}

/// Splits an enterprise off the front of a name: "山西弘鑫非晶科技有限公司年产…项目".
fn split_company(name: &[char]) -> (Option<String>, usize) {
    let mut best = None;
    for suffix in COMPANY_SUFFIXES {
        let n = suffix.chars().count();
        for end in n..=name.len() {
            if starts_with(name, end - n, suffix) && name.len() - end >= 4 {
                best = Some(best.map_or(end, |b: usize| b.max(end)));
            }
        }
    }
    match best {
        Some(end) if end >= 4 => (Some(name[..end].iter().collect()), end),
        _ => (None, 0),
    }
}

/// Project mentions in `chars`, in order.
pub(crate) fn projects(chars: &[char], zones: &[ZoneMention]) -> Vec<ProjectMention> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < chars.len() {
        let head = PROJECT_HEADS.iter().find(|h| starts_with(chars, i, h));
        let Some(head) = head else {
            i += 1;
            continue;
        };
        let end = i + head.chars().count();
        // 项目部 / 项目组 / 工程师 are not project names; …产业园项目 is read
        // at its 项目.
        let next = chars.get(end).copied();
        let not_a_name = matches!(next, Some('部' | '组' | '办' | '师' | '院' | '处' | '科'))
            || (*head == "产业园" && (next == Some('区') || project_follows(chars, end)));
        if not_a_name {
            i = end;
            continue;
        }
        let start = name_start(chars, end, false, PROJECT_HEADS);
        if *head == "工程" && end - start < 4 {
            i = end;
            continue;
        }
        out.push(make_project(chars, start, end, zones));
        i = end;
    }
    out.extend(modified_names(chars, zones));
    // One reading per name end (both finders may read the same name): the
    // earliest start.
    out.sort_by_key(|p| (p.start, p.end));
    let mut ends = std::collections::HashSet::new();
    out.retain(|p| ends.insert(p.end));
    out
}

fn make_project(chars: &[char], start: usize, end: usize, zones: &[ZoneMention]) -> ProjectMention {
    let mut s = start;
    // A zone written in front belongs to the zone field, not the name.
    let before_end = zones.partition_point(|z| z.start < end);
    if let Some(z) = zones[..before_end]
        .iter()
        .rev()
        .take_while(|z| z.start >= s)
        .find(|z| z.end + 2 <= end)
    {
        s = z.end;
    }
    let (investor, skip) = split_company(&chars[s..end]);
    s += skip;
    s = skip_leading_outlay(chars, s, end);
    let name: String = chars[s..end].iter().collect();
    let stem = PROJECT_HEADS
        .iter()
        .find_map(|h| name.strip_suffix(h))
        .unwrap_or(&name);
    let anaphor = ANAPHORS.iter().any(|a| stem.ends_with(a))
        || (stem.is_empty() && (start == 0 || is_hard_stop(chars[start - 1])));
    // A phrase followed by its count ("产业类项目10个") names a batch.
    let counted = crate::numbers::parse_at(chars, end)
        .is_some_and(|n| matches!(chars.get(n.end), Some('个' | '项' | '家')));
    ProjectMention {
        start,
        end,
        investor,
        anaphor,
        generic: !anaphor && (is_generic(stem) || counted),
        name,
    }
}

/// 项目 or 工程 within a few characters (…产业园二期项目): the name runs on.
fn project_follows(chars: &[char], at: usize) -> bool {
    (at..(at + 4).min(chars.len()))
        .take_while(|&j| !is_hard_stop(chars[j]))
        .any(|j| starts_with(chars, j, "项目") || starts_with(chars, j, "工程"))
}

/// "投资5000万元建设年产3万吨…项目": the outlay and its verb are not the name.
fn skip_leading_outlay(chars: &[char], s: usize, end: usize) -> usize {
    let Some(n) = crate::numbers::parse_at(chars, s) else {
        return s;
    };
    let mut j = n.end;
    if starts_with(chars, j, "美元") {
        j += 2;
    } else if chars.get(j) == Some(&'元') {
        j += 1;
    } else {
        return s;
    }
    for verb in ["建设", "新建", "兴建", "实施", "打造", "用于", "建"] {
        if starts_with(chars, j, verb) {
            j += verb.chars().count();
            break;
        }
    }
    if end >= j + 4 {
        j
    } else {
        s
    }
}

/// Names introduced by a figure and 的: "总投资5亿元的中信机电智能制造产业园、…".
fn modified_names(chars: &[char], zones: &[ZoneMention]) -> Vec<ProjectMention> {
    let mut out = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if c != '的' || i == 0 {
            continue;
        }
        let unit_before = matches!(
            chars[i - 1],
            '元' | '亿' | '万' | '吨' | '瓦' | '米' | '亩' | '只' | '件' | '台' | '套'
        );
        if !unit_before {
            continue;
        }
        let start = i + 1;
        let limit = (start + MAX_NAME).min(chars.len());
        let mut cut = None;
        let mut head_end = None;
        for j in start..limit {
            let ch = chars[j];
            if is_hard_stop(ch) {
                break;
            }
            if ch == '的' || ch == '等' || starts_with(chars, j, "投资") {
                cut.get_or_insert(j);
                break;
            }
            if ch == '、' {
                cut.get_or_insert(j);
            }
            if starts_with(chars, j, "项目") {
                head_end = Some(j + 2);
                break;
            }
        }
        let end = match (head_end, cut) {
            (Some(h), _) => h,
            (None, Some(c)) => c,
            (None, None) => {
                let mut j = start;
                while j < limit && !is_hard_stop(chars[j]) {
                    j += 1;
                }
                j
            }
        };
        // Fewer than four characters name nothing ("的工作").
        if end >= start + 4 {
            let p = make_project(chars, start, end, zones);
            if !p.generic {
                out.push(p);
            }
        }
    }
    out
}

/// Enterprise mentions in `chars`, in order.
pub(crate) fn companies(chars: &[char]) -> Vec<CompanyMention> {
    let mut out: Vec<CompanyMention> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let Some(suffix) = COMPANY_SUFFIXES.iter().find(|s| starts_with(chars, i, s)) else {
            i += 1;
            continue;
        };
        // Longest suffix at this point: 集团有限公司 rather than 集团.
        let mut end = i + suffix.chars().count();
        for s in COMPANY_SUFFIXES {
            if starts_with(chars, i, s) {
                end = end.max(i + s.chars().count());
            }
        }
        let start = name_start(chars, i, true, COMPANY_SUFFIXES);
        let start = start.min(i);
        if i - start >= 2 && !matches!(chars[start], '该' | '本' | '此' | '各') {
            let name: String = chars[start..end].iter().collect();
            if let Some(prev) = out.last_mut() {
                // 山西双良再生能源产业集团有限公司: one name, not 集团 + 有限公司.
                if prev.start == start {
                    prev.end = end;
                    prev.name = name;
                    i = end;
                    continue;
                }
            }
            out.push(CompanyMention { start, end, name });
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project_names(s: &str) -> Vec<(String, Option<String>, bool, bool)> {
        let chars: Vec<char> = s.chars().collect();
        let zones = crate::zones::find(&chars);
        projects(&chars, &zones)
            .into_iter()
            .map(|p| (p.name, p.investor, p.anaphor, p.generic))
            .collect()
    }

    fn named(s: &str) -> Vec<String> {
        project_names(s)
            .into_iter()
            .filter(|p| !p.2 && !p.3)
            .map(|p| p.0)
            .collect()
    }

    #[test]
    fn project_names_start_after_verbs_and_punctuation() {
        let cases: &[(&str, &[&str])] = &[
            ("强强合作，实施年产100万吨公路护栏项目。", &["年产100万吨公路护栏项目"]),
            ("随后，朱晓东实地调研了山西新能汇通双碳产业园项目。", &["山西新能汇通双碳产业园项目"]),
            ("加快总投资2.5亿元的奥泰大型智能煤机制造项目建设", &["奥泰大型智能煤机制造项目"]),
            (
                "总投资5亿元的运城职业技术学院新建体育馆、健康学院实训楼、教学楼项目等。",
                &["运城职业技术学院新建体育馆、健康学院实训楼、教学楼项目"],
            ),
            (
                "推进德通泰年产5万吨钢箱梁及隧道智能装备项目、绿泽重工电机结构件研发制造项目、路桥交通科技园等重点项目建设。",
                &["德通泰年产5万吨钢箱梁及隧道智能装备项目", "绿泽重工电机结构件研发制造项目"],
            ),
            (
                "总投资5亿元的中信机电智能制造产业园、总投资4.8亿元的建邦高端装备制造锻造新材料深加工、总投资1.05亿元的中信机电金属复合新材料等一批大项目",
                &["中信机电智能制造产业园", "建邦高端装备制造锻造新材料深加工", "中信机电金属复合新材料"],
            ),
            (
                "就年产200万只商用车轮毂智能生产线暨年产20万吨高端铝合金项目建设进行现场勘察",
                &["年产200万只商用车轮毂智能生产线暨年产20万吨高端铝合金项目"],
            ),
            ("此次开工的12个项目总投资18.6亿元，其中，产业类项目10个", &[]),
            ("确定的27个重点项目逐个进行调研", &[]),
            (
                "山西某某新材料有限公司投资5000万元建设年产3万吨再生塑料项目",
                &["年产3万吨再生塑料项目"],
            ),
        ];
        for &(text, want) in cases {
            assert_eq!(named(text), want, "{text}");
        }
    }

    #[test]
    fn enterprise_and_zone_come_off_the_front() {
        let got = project_names("山西弘鑫非晶科技有限公司年产2000吨非晶合金薄带材料项目建设顺利");
        assert_eq!(got[0].0, "年产2000吨非晶合金薄带材料项目");
        assert_eq!(got[0].1.as_deref(), Some("山西弘鑫非晶科技有限公司"));
        let got = project_names("开工仪式暨运城经济技术开发区标准厂房项目开工仪式");
        assert_eq!(got[0].0, "标准厂房项目");
    }

    #[test]
    fn anaphors_are_marked() {
        let got = project_names("。该项目计划总投资约18亿元。项目投资8.8亿元");
        assert!(got.iter().all(|p| p.2), "{got:?}");
    }

    #[test]
    fn company_names() {
        let chars: Vec<char> = "招引山东冠县汇泉交通设施有限公司与新绛天和金属制品有限公司强强合作"
            .chars()
            .collect();
        let names: Vec<String> = companies(&chars).into_iter().map(|c| c.name).collect();
        assert_eq!(
            names,
            ["山东冠县汇泉交通设施有限公司", "新绛天和金属制品有限公司"]
        );
    }
}
