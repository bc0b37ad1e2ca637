//! Stages reached: 签约, 开工, 竣工, 投产, 达产 said of a project as done — not
//! in a list of steps, a plan (力争, 推进), a condition (建成后) or an alternative
//! (或). Owns the stage verbs and these tests.

use super::subjects::{Subject, Subjects};
use crate::entities::{self, ProjectMention};
use crate::model::Stage;
use std::sync::LazyLock;

use crate::text::{clause_start, ends_with, is_clause_end, sentence_start, starts_with, Lexicon};
use crate::zones::ZoneMention;

/// Facility nouns that may name a project without the word 项目.
pub(super) const FACILITY_ENDS: &[&str] = &[
    "站",
    "厂",
    "园",
    "中心",
    "基地",
    "生产线",
    "楼",
    "馆",
    "工程",
    "项目",
    "电站",
    "平台",
    "系统",
    "车间",
    "仓库",
];

pub(super) const STAGE_VERBS: &[(&str, Stage)] = &[
    ("签订投资协议", Stage::Signed),
    ("投资协议已签订", Stage::Signed),
    ("协议已签订", Stage::Signed),
    ("已签订", Stage::Signed),
    ("已签约", Stage::Signed),
    ("签约落地", Stage::Signed),
    ("成功签约", Stage::Signed),
    ("正式签约", Stage::Signed),
    ("签约", Stage::Signed),
    ("正式落户", Stage::Signed),
    ("成功落户", Stage::Signed),
    ("落户", Stage::Signed),
    ("开工建设", Stage::Started),
    ("开工仪式", Stage::Started),
    ("正式开工", Stage::Started),
    ("集中开工", Stage::Started),
    ("顺利开工", Stage::Started),
    ("全面开工", Stage::Started),
    ("已开工", Stage::Started),
    ("开工", Stage::Started),
    ("动工", Stage::Started),
    ("竣工投产", Stage::Producing),
    ("建成投产", Stage::Producing),
    ("建成投运", Stage::Producing),
    ("正式投产", Stage::Producing),
    ("投产运营", Stage::Producing),
    ("投入运营", Stage::Producing),
    ("投入生产", Stage::Producing),
    ("已投产", Stage::Producing),
    ("投产", Stage::Producing),
    ("投运", Stage::Producing),
    ("并网发电", Stage::Producing),
    ("并网运行", Stage::Producing),
    ("全容量并网", Stage::Producing),
    ("竣工验收", Stage::Completed),
    ("已竣工", Stage::Completed),
    ("竣工", Stage::Completed),
    ("建成", Stage::Completed),
    ("完工", Stage::Completed),
    ("达产达效", Stage::AtCapacity),
    ("达产", Stage::AtCapacity),
    ("达效", Stage::AtCapacity),
];

/// Words that make a stage a plan or a wish rather than a fact.
pub(super) const MODAL: &[&str] = &[
    "力争",
    "争取",
    "计划",
    "预计",
    "确保",
    "推进",
    "推动",
    "加快",
    "拟",
    "尽快",
    "早日",
    "目标",
    "促进",
    "保障",
    "实现",
    "督促",
    "力促",
    "抓好",
    "谋划",
    "将",
    "明年",
    "年内",
    "年底",
    "下一步",
    "有望",
    "预期",
    "即将",
    "准备",
    "全力",
    "加速",
    "早",
    "争创",
    "计划于",
];

/// Stage verbs and neighbours that make up a list ("签约、落地、开工").
pub(super) fn stage_word_at(chars: &[char], i: usize) -> bool {
    let i = if starts_with(chars, i, "当年") {
        i + 2
    } else {
        i
    };
    let i = if starts_with(chars, i, "早") {
        i + 1
    } else {
        i
    };
    STAGE_VERBS.iter().any(|(w, _)| starts_with(chars, i, w))
        || ["落地", "建设", "见效", "投入", "达效"]
            .iter()
            .any(|w| starts_with(chars, i, w))
}

pub(super) fn stage_word_ending(chars: &[char], end: usize) -> bool {
    STAGE_VERBS.iter().any(|(w, _)| ends_with(chars, end, w))
        || ["落地", "建设", "见效", "投入"]
            .iter()
            .any(|w| ends_with(chars, end, w))
}

pub(super) fn has_modal(chars: &[char], from: usize, to: usize) -> bool {
    static MODALS: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::new(MODAL.iter().copied()));
    (from..to).any(|i| {
        MODALS
            .starting_at(chars, i)
            .any(|k| i + MODALS.len_of(k) <= to)
    })
}

/// The stage verb at `i` is not a list item, a condition or an alternative.
pub(super) fn plainly_reached(chars: &[char], i: usize, end: usize) -> bool {
    let after = chars.get(end).copied();
    if after == Some('、') && stage_word_at(chars, end + 1) {
        return false;
    }
    if i > 0 && chars[i - 1] == '、' && stage_word_ending(chars, i - 1) {
        return false;
    }
    if i >= 2 && chars[i - 1] == '、' {
        // 当年签约、当年开工: a 当年 or 早 list.
        let k = i - 1;
        if stage_word_ending(chars, k) {
            return false;
        }
    }
    // 主体工程全面完工 / 主厂房建成: a part of the works is done, not the project.
    let verb: String = chars[i..end].iter().collect();
    let finished = ["完工", "竣工", "建成"].iter().any(|w| verb.contains(w))
        && !["投产", "投运", "运营"].iter().any(|w| verb.contains(w));
    let part = ["主体", "主厂房", "钢结构", "土建", "基础"]
        .iter()
        .any(|w| (clause_start(chars, i)..i).any(|j| starts_with(chars, j, w)));
    if finished && part {
        return false;
    }
    // 已签订投资协议或达成意向: one of two, so neither is stated.
    let mut k = end;
    while k < chars.len() && !is_clause_end(chars[k]) && k < end + 10 {
        if chars[k] == '或' {
            return false;
        }
        k += 1;
    }
    let tail: String = chars[end..(end + 3).min(chars.len())].iter().collect();
    !(tail.starts_with('后')
        || tail.starts_with('时')
        || tail.starts_with('前')
        || tail.starts_with('中')
        || tail.starts_with('等')
        || tail.starts_with('或')
        || tail.starts_with("以来")
        || tail.contains("后")
        || tail.starts_with("环节"))
}

/// Words that may stand between a project and its stage verb: "一期", "已",
/// "正式", "顺利".
pub(super) fn filler_only(gap: &[char]) -> bool {
    let mut rest: String = gap.iter().collect();
    while !rest.is_empty() {
        let before = rest.len();
        for w in FILLERS {
            if let Some(r) = rest.strip_prefix(w) {
                rest = r.to_string();
            }
        }
        // 已于今年3月开工: a date in between.
        rest = rest
            .trim_start_matches(|c: char| {
                c.is_ascii_digit() || crate::numbers::chinese_digit(c).is_some()
            })
            .to_string();
        if rest.len() == before {
            return false;
        }
    }
    true
}

pub(super) const FILLERS: &[&str] = &[
    // 项目举行投产仪式
    "举行",
    "一期",
    "二期",
    "三期",
    "首期",
    "已经",
    "已于",
    "已",
    "正式",
    "顺利",
    "全面",
    "成功",
    "近日",
    "日前",
    "当天",
    "当日",
    "今天",
    "今年",
    "去年",
    "上半年",
    "年底",
    "年初",
    "月底",
    "月初",
    "上旬",
    "中旬",
    "下旬",
    "年",
    "月",
    "日",
    "底",
    "初",
    "于",
];

/// Whom a stage is said of.
#[derive(Clone, Debug)]
pub(super) enum Staged {
    /// A project of the article (index into `Subjects::projects`).
    Project(usize),
    /// A facility named only here: "国电投绿电重卡换电站建成投运".
    Named(String),
}

/// A stage stated as reached, with its evidence range in cleaned chars.
#[derive(Clone, Debug)]
pub(super) struct StageFinding {
    pub who: Staged,
    pub stage: Stage,
    pub start: usize,
    pub end: usize,
    pub confidence: f32,
}

static VERBS: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::new(STAGE_VERBS.iter().map(|v| v.0)));

/// Stages reached in `chars`, in text order.
pub(super) fn stage_facts(
    chars: &[char],
    mentions: &[ProjectMention],
    subjects: &Subjects,
    zones: &[ZoneMention],
) -> Vec<StageFinding> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some(f) = signing(chars, i, mentions, subjects) {
            i = f.end;
            found.push(f);
            continue;
        }
        let Some(&(verb, stage)) = VERBS.starting_at(chars, i).next().map(|k| &STAGE_VERBS[k])
        else {
            i += 1;
            continue;
        };
        let end = i + verb.chars().count();
        let verb_at = VerbAt {
            i,
            end,
            verb,
            stage,
        };
        let finding = before_name(chars, &verb_at, mentions, subjects).or_else(|| {
            plainly_reached(chars, i, end).then(|| {
                after_name(chars, &verb_at, mentions, subjects)
                    .or_else(|| perfect(chars, &verb_at, subjects))
                    .or_else(|| named_facility(chars, &verb_at, zones))
            })?
        });
        found.extend(finding);
        i = end;
    }
    found
}

/// A stage verb found at `[i, end)`.
struct VerbAt {
    i: usize,
    end: usize,
    verb: &'static str,
    stage: Stage,
}

fn finding(who: Staged, v: &VerbAt, start: usize, end: usize, confidence: f32) -> StageFinding {
    StageFinding {
        who,
        stage: v.stage,
        start,
        end,
        confidence,
    }
}

/// 此次开工的标准厂房项目: the verb modifies the project after 的.
fn before_name(
    chars: &[char],
    v: &VerbAt,
    mentions: &[ProjectMention],
    subjects: &Subjects,
) -> Option<StageFinding> {
    if chars.get(v.end) != Some(&'的') || has_modal(chars, clause_start(chars, v.i), v.i) {
        return None;
    }
    let k = entities::mention_starting_at(mentions, v.end + 1)?;
    let idx = subjects.project_of(Some(k))?;
    Some(finding(Staged::Project(idx), v, v.i, mentions[k].end, 0.9))
}

/// 独立储能项目开工建设 / …项目已于今年3月开工建设.
fn after_name(
    chars: &[char],
    v: &VerbAt,
    mentions: &[ProjectMention],
    subjects: &Subjects,
) -> Option<StageFinding> {
    let clause = clause_start(chars, v.i);
    let upto = mentions.partition_point(|p| p.start < v.i);
    let k = (0..upto)
        .rev()
        .take_while(|&k| mentions[k].start >= clause)
        .find(|&k| {
            let p = &mentions[k];
            p.end <= v.i && v.i - p.end <= 6 && !p.generic && filler_only(&chars[p.end..v.i])
        })?;
    if has_modal(chars, clause, v.i) {
        return None;
    }
    let idx = subjects.project_of(Some(k))?;
    Some(finding(
        Staged::Project(idx),
        v,
        mentions[k].start,
        v.end,
        0.9,
    ))
}

/// 与某公司签订光伏组件生产基地项目投资协议 / 签署…项目投资协议 / 签约…项目:
/// the signing verb takes the project as its object.
fn signing(
    chars: &[char],
    i: usize,
    mentions: &[ProjectMention],
    subjects: &Subjects,
) -> Option<StageFinding> {
    let verb = ["签订", "签署", "签约"]
        .into_iter()
        .find(|w| starts_with(chars, i, w))?;
    let k = entities::mention_starting_at(mentions, i + 2)?;
    let after = mentions[k].end;
    let agreement = [
        "投资协议",
        "合作协议",
        "框架协议",
        "投资合同",
        "协议",
        "合同",
    ]
    .into_iter()
    .find(|w| starts_with(chars, after, w));
    if (verb != "签约" && agreement.is_none()) || has_modal(chars, clause_start(chars, i), i) {
        return None;
    }
    let idx = subjects.project_of(Some(k))?;
    let end = after + agreement.map_or(0, |w| w.chars().count());
    let v = VerbAt {
        i,
        end,
        verb,
        stage: Stage::Signed,
    };
    Some(finding(Staged::Project(idx), &v, i, end, 0.9))
}

/// 该项目投资协议已签订，…，主体工程已开工: a perfect tense said of the
/// sentence's project.
fn perfect(chars: &[char], v: &VerbAt, subjects: &Subjects) -> Option<StageFinding> {
    // 已于5月开工建设: 已 with the date between.
    let clause = clause_start(chars, v.i);
    let done = v.verb.contains('已')
        || (v.i > 0 && chars[v.i - 1] == '已')
        || (clause..v.i).any(|j| starts_with(chars, j, "已于"));
    let sentence = sentence_start(chars, v.i);
    if !done || has_modal(chars, sentence, v.i) {
        return None;
    }
    let subject = subjects.events_within(sentence, v.i).next()?;
    match subject.subject {
        Subject::Project(idx) => Some(finding(Staged::Project(idx), v, v.i, v.end, 0.85)),
        _ => None,
    }
}

/// 国电投绿电重卡换电站建成投运: a facility named at the clause start.
fn named_facility(chars: &[char], v: &VerbAt, zones: &[ZoneMention]) -> Option<StageFinding> {
    const FIRM: &[&str] = &[
        "建成投运",
        "建成投产",
        "正式投产",
        "竣工投产",
        "开工建设",
        "正式开工",
        "投入运营",
    ];
    if !FIRM.contains(&v.verb) || has_modal(chars, sentence_start(chars, v.i), v.i) {
        return None;
    }
    let mut s = v.i;
    while s > 0 && !is_clause_end(chars[s - 1]) && chars[s - 1] != '、' {
        s -= 1;
    }
    let np: String = chars[s..v.i].iter().collect();
    // 果品深加工产业园一期建成投产: the phase is not part of the name.
    let np = ["一期", "二期", "三期", "首期"]
        .iter()
        .find_map(|p| np.strip_suffix(p))
        .unwrap_or(&np)
        .to_string();
    let facility = FACILITY_ENDS.iter().any(|f| np.ends_with(f));
    let digits = np.chars().any(|c| c.is_ascii_digit());
    if !(4..=30).contains(&(v.i - s)) || !facility || digits {
        return None;
    }
    let name_start = zones
        .iter()
        .find(|z| z.start == s && z.end < v.i)
        .map_or(s, |z| z.end);
    let name: String = chars[name_start..s + np.chars().count()].iter().collect();
    Some(finding(Staged::Named(name), v, s, v.end, 0.75))
}
