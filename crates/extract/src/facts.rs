//! Facts from the cleaned text of one article: which figure is a total
//! investment, a land area, a project count…, which project, enterprise or zone
//! it belongs to, and which projects have reached a stage. Owns the trigger
//! words of the genre (总投资, 年产值, 利税, 就业, 占地, 建筑面积, 年产, 同比增长,
//! 签约, 开工, 投产 …) and the rules that attach a figure to its subject.

use crate::entities::{self, CompanyMention, ProjectMention};
use crate::measures::{self, Measure};
use crate::model::{Fact, FactKind, Modality, Quantity, Stage, Unit, Value};
use crate::numbers::Decimal;
use crate::text::Clean;
use crate::zones::ZoneMention;

/// What the reader knows about the article a text belongs to.
pub(crate) struct Scope<'a> {
    pub input: &'a str,
    pub article: usize,
    /// Main zone of the article, canonical.
    pub zone: Option<&'a str>,
    /// Zone mentions in this text with their canonical names.
    pub zones: &'a [(ZoneMention, String)],
}

fn starts_with(chars: &[char], at: usize, word: &str) -> bool {
    let mut i = at;
    for w in word.chars() {
        if chars.get(i) != Some(&w) {
            return false;
        }
        i += 1;
    }
    true
}

fn ends_with(chars: &[char], end: usize, word: &str) -> bool {
    let n = word.chars().count();
    end >= n && starts_with(chars, end - n, word)
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '\n' | '!' | '?' | ';')
}

fn is_clause_end(c: char) -> bool {
    is_sentence_end(c) || matches!(c, '，' | '：' | ',' | ':')
}

/// Start of the clause containing `i`.
fn clause_start(chars: &[char], i: usize) -> usize {
    let mut s = i.min(chars.len());
    while s > 0 && !is_clause_end(chars[s - 1]) {
        s -= 1;
    }
    s
}

fn sentence_start(chars: &[char], i: usize) -> usize {
    let mut s = i.min(chars.len());
    while s > 0 && !is_sentence_end(chars[s - 1]) {
        s -= 1;
    }
    s
}

// ---------------------------------------------------------------- triggers

/// How a figure's unit constrains what it can mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Money,
    Mu,
    SquareMetre,
    SquareKilometre,
    Production,
    Person,
    Count,
    Building,
    Phase,
    Percent,
    Duration,
}

fn class_of(m: &Measure) -> Option<Class> {
    Some(match m.unit {
        None if m.has_multiplier => Class::Money,
        None => return None,
        Some(Unit::Yuan | Unit::Usd) => Class::Money,
        Some(Unit::Mu) => Class::Mu,
        Some(Unit::SquareMetre) => Class::SquareMetre,
        Some(Unit::SquareKilometre) => Class::SquareKilometre,
        Some(
            Unit::Tonne | Unit::Piece | Unit::Kilowatt | Unit::KilowattHour | Unit::CubicMetre,
        ) => Class::Production,
        Some(Unit::Person) => Class::Person,
        Some(Unit::Count) => Class::Count,
        Some(Unit::Building) => Class::Building,
        Some(Unit::Phase) => Class::Phase,
        Some(Unit::Percent | Unit::PercentagePoint) => Class::Percent,
        Some(Unit::WorkingDay | Unit::Day | Unit::Month) => Class::Duration,
        Some(Unit::Stage) => return None,
    })
}

use FactKind as K;

const MONEY_TRIGGERS: &[(&str, FactKind)] = &[
    ("计划总投资", K::TotalInvestment),
    ("项目总投资", K::TotalInvestment),
    ("概算总投资", K::TotalInvestment),
    ("投资总额", K::TotalInvestment),
    ("总投资", K::TotalInvestment),
    ("项目投资", K::TotalInvestment),
    ("拟投资", K::TotalInvestment),
    ("投资", K::TotalInvestment),
    ("年度计划投资", K::PlannedInvestment),
    ("年度投资计划", K::PlannedInvestment),
    ("年计划投资", K::PlannedInvestment),
    ("计划完成投资", K::PlannedInvestment),
    ("计划投资", K::PlannedInvestment),
    ("累计完成投资", K::CompletedInvestment),
    ("完成固定资产投资", K::CompletedInvestment),
    ("完成投资", K::CompletedInvestment),
    ("累计投资", K::CompletedInvestment),
    ("已投资", K::CompletedInvestment),
    ("固定资产投资", K::CompletedInvestment),
    ("工业固定资产投资", K::IndustrialInvestment),
    ("工业投资", K::IndustrialInvestment),
    ("年产值", K::AnnualOutput),
    ("总产值", K::AnnualOutput),
    ("产值", K::AnnualOutput),
    ("营业收入", K::Revenue),
    ("销售收入", K::Revenue),
    ("主营业务收入", K::Revenue),
    ("销售额", K::Revenue),
    ("营收", K::Revenue),
    ("年收入", K::Revenue),
    ("增加值", K::ValueAdded),
    ("利税", K::Tax),
    ("税收", K::Tax),
    ("纳税", K::Tax),
    ("税金", K::Tax),
    ("进出口", K::ImportExport),
    ("出口额", K::ImportExport),
    ("利用外资", K::ForeignInvestment),
    ("到位资金", K::FundsArrived),
    ("资金到位", K::FundsArrived),
    ("实际到位", K::FundsArrived),
    ("签约额", K::SignedAmount),
    ("签约金额", K::SignedAmount),
    ("签约资金", K::SignedAmount),
    ("签约总额", K::SignedAmount),
    ("合同额", K::SignedAmount),
    ("协议金额", K::SignedAmount),
    ("签约", K::SignedAmount),
];

const MU_TRIGGERS: &[(&str, FactKind)] = &[
    ("用地", K::LandArea),
    ("占地", K::LandArea),
    ("土地", K::LandArea),
    ("征地", K::LandArea),
    ("收储", K::LandArea),
    ("供地", K::LandArea),
    ("出让", K::LandArea),
    ("摘牌", K::LandArea),
    ("面积", K::LandArea),
];

const SQUARE_METRE_TRIGGERS: &[(&str, FactKind)] = &[
    ("用地面积", K::LandArea),
    ("占地面积", K::LandArea),
    ("用地", K::LandArea),
    ("占地", K::LandArea),
    ("土地", K::LandArea),
    ("建筑面积", K::FloorArea),
    ("厂房", K::FloorArea),
    ("面积", K::FloorArea),
    ("新建", K::FloorArea),
    ("在建", K::FloorArea),
    ("车间", K::FloorArea),
];

const SQUARE_KILOMETRE_TRIGGERS: &[(&str, FactKind)] = &[
    ("规划面积", K::LandArea),
    ("总面积", K::LandArea),
    ("占地", K::LandArea),
    ("用地", K::LandArea),
    ("面积", K::LandArea),
];

const PRODUCTION_TRIGGERS: &[(&str, FactKind)] = &[
    ("年产能", K::Capacity),
    ("年可生产", K::Capacity),
    ("年生产", K::Capacity),
    ("年加工", K::Capacity),
    ("年处理", K::Capacity),
    ("日处理", K::Capacity),
    ("年回收", K::Capacity),
    ("年吞吐", K::Capacity),
    ("吞吐量", K::Capacity),
    ("生产能力", K::Capacity),
    ("设计产能", K::Capacity),
    ("产能", K::Capacity),
    ("年产", K::Capacity),
    ("装机容量", K::Capacity),
    ("装机", K::Capacity),
    ("年发电量", K::Capacity),
    ("发电量", K::Capacity),
    ("储能", K::Capacity),
    ("规模", K::Capacity),
];

const PERSON_TRIGGERS: &[(&str, FactKind)] = &[
    ("就业", K::Jobs),
    ("用工", K::Jobs),
    ("员工", K::Jobs),
    ("职工", K::Jobs),
    ("岗位", K::Jobs),
    ("吸纳", K::Jobs),
    ("招聘", K::Jobs),
    ("从业人员", K::Jobs),
];

const PERCENT_TRIGGERS: &[(&str, FactKind)] = &[
    ("同比增长", K::GrowthRate),
    ("增长", K::GrowthRate),
    ("增速", K::GrowthRate),
    ("增幅", K::GrowthRate),
    ("上升", K::GrowthRate),
    ("提高", K::GrowthRate),
    ("同比下降", K::GrowthRate),
    ("下降", K::GrowthRate),
    ("回落", K::GrowthRate),
    ("同比", K::GrowthRate),
    ("压减", K::ReductionRate),
    ("压缩", K::ReductionRate),
    ("缩短", K::ReductionRate),
    ("减少", K::ReductionRate),
    ("降低", K::ReductionRate),
    ("精简", K::ReductionRate),
    ("提速", K::ReductionRate),
    ("开工率", K::StartRate),
    ("完成率", K::CompletionRate),
    ("序时进度", K::CompletionRate),
    ("年度目标", K::CompletionRate),
    ("全年目标", K::CompletionRate),
    ("年度任务", K::CompletionRate),
    ("年度计划", K::CompletionRate),
];

const DURATION_TRIGGERS: &[(&str, FactKind)] = &[
    ("办结", K::ApprovalDuration),
    ("审批", K::ApprovalDuration),
    ("办理", K::ApprovalDuration),
    ("办证", K::ApprovalDuration),
    ("时限", K::ApprovalDuration),
    ("用时", K::ApprovalDuration),
    ("压缩至", K::ApprovalDuration),
    ("缩短至", K::ApprovalDuration),
    ("控制在", K::ApprovalDuration),
    ("许可", K::ApprovalDuration),
    ("拿证", K::ApprovalDuration),
    ("取证", K::ApprovalDuration),
];

/// How far back a trigger may stand from its figure.
const TRIGGER_WINDOW: usize = 24;

/// The trigger nearest before the figure (longest on a tie), within the clause.
fn trigger_before(
    chars: &[char],
    m: &Measure,
    triggers: &[(&'static str, FactKind)],
) -> Option<(usize, &'static str, FactKind)> {
    let floor = clause_start(chars, m.start).max(m.start.saturating_sub(TRIGGER_WINDOW));
    for end in (floor..=m.start).rev() {
        let best = triggers
            .iter()
            .filter(|(w, _)| ends_with(chars, end, w) && end - w.chars().count() >= floor)
            .max_by_key(|(w, _)| w.chars().count());
        if let Some(&(w, k)) = best {
            return Some((end - w.chars().count(), w, k));
        }
    }
    None
}

/// A classified figure: what it means and how it was recognised.
struct Reading {
    kind: FactKind,
    /// Where the evidence starts (the trigger, or the figure).
    evidence_start: usize,
    label: Option<String>,
    confidence: f32,
    negate: bool,
    /// Override the unit (a count of 岗位 is a count of people).
    unit: Option<Unit>,
}

fn reading(kind: FactKind, start: usize, confidence: f32) -> Reading {
    Reading {
        kind,
        evidence_start: start,
        label: None,
        confidence,
        negate: false,
        unit: None,
    }
}

/// Confidence of a trigger: close and specific is firmer.
fn trigger_confidence(m: &Measure, trigger_start: usize, word: &str) -> f32 {
    let gap = m.start.saturating_sub(trigger_start + word.chars().count());
    let base: f32 = if word.chars().count() >= 3 { 0.95 } else { 0.9 };
    if gap <= 4 {
        base
    } else {
        base - 0.1
    }
}

fn classify(chars: &[char], m: &Measure) -> Option<Reading> {
    let class = class_of(m)?;
    let with = |triggers: &[(&'static str, FactKind)]| {
        trigger_before(chars, m, triggers)
            .map(|(s, w, k)| reading(k, s, trigger_confidence(m, s, w)))
    };
    match class {
        Class::Money => {
            let (s, w, k) = trigger_before(chars, m, MONEY_TRIGGERS)?;
            let mut r = reading(k, s, trigger_confidence(m, s, w));
            // 投资完成3.26亿元 / 完成…投资: money spent, not planned.
            let after = s + w.chars().count();
            if k == K::TotalInvestment && w.ends_with("投资") && starts_with(chars, after, "完成")
            {
                r.kind = K::CompletedInvestment;
            }
            if m.unit.is_none() {
                r.confidence -= 0.1;
            }
            Some(r)
        }
        Class::Mu => with(MU_TRIGGERS).or(Some(reading(K::LandArea, m.start, 0.8))),
        Class::SquareMetre => {
            with(SQUARE_METRE_TRIGGERS).or(Some(reading(K::FloorArea, m.start, 0.7)))
        }
        Class::SquareKilometre => with(SQUARE_KILOMETRE_TRIGGERS),
        Class::Production => with(PRODUCTION_TRIGGERS).or_else(|| {
            // Power is always a capacity; tonnes and pieces need a verb of output.
            matches!(m.unit, Some(Unit::Kilowatt | Unit::KilowattHour))
                .then(|| reading(K::Capacity, m.start, 0.75))
        }),
        Class::Person => with(PERSON_TRIGGERS),
        Class::Count => count_reading(chars, m),
        Class::Building => {
            let building_after = ["厂房", "楼", "仓库", "车间", "库房", "宿舍", "办公"]
                .iter()
                .any(|w| (m.end..m.end + 4).any(|i| starts_with(chars, i, w)));
            (m.unit_word != "座" || building_after).then(|| {
                let mut r = reading(K::BuildingCount, m.start, 0.85);
                r.label = noun_after(chars, m.end, 8);
                r
            })
        }
        Class::Phase => {
            let split = m.start > 0 && matches!(chars[m.start - 1], '分' | '共');
            split.then(|| reading(K::PhaseCount, m.start - 1, 0.9))
        }
        Class::Percent => {
            let (s, w, k) = trigger_before(chars, m, PERCENT_TRIGGERS)?;
            let mut r = reading(k, s, trigger_confidence(m, s, w));
            r.negate = matches!(w, "同比下降" | "下降" | "回落");
            Some(r)
        }
        Class::Duration => with(DURATION_TRIGGERS).or_else(|| {
            (m.unit == Some(Unit::WorkingDay)).then(|| reading(K::ApprovalDuration, m.start, 0.75))
        }),
    }
}

/// The noun right after a figure, up to punctuation or 的: "标准厂房".
fn noun_after(chars: &[char], from: usize, max: usize) -> Option<String> {
    let mut j = from;
    while j < chars.len()
        && j < from + max
        && !is_clause_end(chars[j])
        && !matches!(chars[j], '、' | '的' | '和')
    {
        j += 1;
    }
    (j > from).then(|| chars[from..j].iter().collect())
}

/// 12个项目 / 项目20个 / 企业14家 / 4家再生铝企业 / 岗位300个.
fn count_reading(chars: &[char], m: &Measure) -> Option<Reading> {
    let unit = m.unit_word;
    let left_gap = |word: &str| {
        (0..=2).any(|gap| {
            m.start >= gap
                && ends_with(chars, m.start - gap, word)
                && chars[m.start - gap..m.start]
                    .iter()
                    .all(|c| matches!(c, '共' | '计' | '达' | '有' | '为'))
        })
    };
    // Within a few characters after the unit, before any punctuation or 的.
    let right_has = |word: &str| -> Option<usize> {
        let mut j = m.end;
        while j < chars.len() && j <= m.end + 10 {
            if is_clause_end(chars[j]) || matches!(chars[j], '的' | '、') {
                return None;
            }
            if starts_with(chars, j, word) {
                return Some(j + word.chars().count());
            }
            j += 1;
        }
        None
    };
    // "以奥泰、联安两个项目为牵引" sums up names just listed: not a new figure.
    let clause = clause_start(chars, m.start);
    let listed = (m.start.saturating_sub(8).max(clause)..m.start).any(|i| chars[i] == '、');
    if listed && m.start > 0 && !matches!(chars[m.start - 1], '的' | '了' | '有' | '共' | '计')
    {
        return None;
    }
    if matches!(unit, "个" | "项") {
        if left_gap("项目") {
            let mut r = reading(K::ProjectCount, m.start, 0.9);
            r.label = label_before(chars, m.start);
            r.evidence_start = clause_start(chars, m.start).max(m.start.saturating_sub(12));
            return Some(r);
        }
        if let Some(end) = right_has("项目") {
            let mut r = reading(K::ProjectCount, m.start, 0.9);
            r.label = Some(chars[m.end..end].iter().collect());
            return Some(r);
        }
        if left_gap("岗位") || right_has("岗位").is_some() {
            let mut r = reading(K::Jobs, m.start, 0.85);
            r.unit = Some(Unit::Person);
            return Some(r);
        }
    }
    if matches!(unit, "家" | "户" | "个") {
        if left_gap("企业") {
            let mut r = reading(K::EnterpriseCount, m.start, 0.9);
            r.label = label_before(chars, m.start);
            return Some(r);
        }
        if let Some(end) = right_has("企业") {
            let mut r = reading(K::EnterpriseCount, m.start, 0.85);
            r.label = Some(chars[m.end..end].iter().collect());
            return Some(r);
        }
    }
    None
}

/// What a batch count counts, read leftwards from the figure: "产业类项目".
fn label_before(chars: &[char], at: usize) -> Option<String> {
    let floor = clause_start(chars, at).max(at.saturating_sub(12));
    let mut s = at;
    while s > floor {
        let stop = [
            "其中", "完成", "共有", "现有", "有", "的", "了", "共", "累计", "全年", "今年",
        ]
        .iter()
        .any(|w| ends_with(chars, s, w));
        if stop {
            break;
        }
        s -= 1;
    }
    let mut e = at;
    while e > s && matches!(chars[e - 1], '共' | '计' | '达' | '有' | '为') {
        e -= 1;
    }
    (e > s).then(|| chars[s..e].iter().collect())
}

/// 预计 / 力争 before the figure in its sentence.
fn modality(chars: &[char], m: &Measure, trigger: &str) -> Modality {
    let s = sentence_start(chars, m.start);
    let mut best: Option<(usize, Modality)> = None;
    let words: &[(&str, Modality)] = &[
        ("预计", Modality::Expected),
        ("可达", Modality::Expected),
        ("可实现", Modality::Expected),
        ("建成后", Modality::Expected),
        ("投产后", Modality::Expected),
        ("达产后", Modality::Expected),
        ("使用后", Modality::Expected),
        ("力争", Modality::Target),
        ("争取", Modality::Target),
        ("目标", Modality::Target),
        ("计划", Modality::Target),
        ("确保", Modality::Target),
    ];
    for i in s..m.start {
        for &(w, md) in words {
            // 计划总投资 is the name of a figure, not a plan.
            let figure_name =
                w == "计划" && (trigger.starts_with("计划") || starts_with(chars, i, "计划总投资"));
            if starts_with(chars, i, w) && !figure_name {
                best = Some((i, md));
            }
        }
    }
    best.map_or(Modality::Reported, |(_, md)| md)
}

// ---------------------------------------------------------------- subjects

/// One project of the article, after merging mentions that name the same one.
#[derive(Clone, Debug)]
struct Project {
    name: String,
    investor: Option<String>,
}

#[derive(Clone, Debug)]
enum Subject {
    Project(usize),
    Company(String),
    Zone(String),
    /// A batch ("12个项目", "企业4家"): what follows is about the zone.
    Batch,
}

#[derive(Clone, Debug)]
struct Event {
    start: usize,
    end: usize,
    subject: Subject,
}

/// Longest common substring length, for short names.
fn common_run(a: &[char], b: &[char]) -> usize {
    let mut best = 0;
    let mut prev = vec![0usize; b.len() + 1];
    for &ca in a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            if ca == cb {
                cur[j + 1] = prev[j] + 1;
                best = best.max(cur[j + 1]);
            }
        }
        prev = cur;
    }
    best
}

/// Two mentions name the same project.
fn same_project(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let shorter = ac.len().min(bc.len());
    if shorter >= 5 && (a.ends_with(b) || b.ends_with(a)) {
        return true;
    }
    let run = common_run(&ac, &bc);
    run >= 8 && run * 10 >= shorter * 7
}

struct Subjects {
    projects: Vec<Project>,
    events: Vec<Event>,
    /// Project mention index → project index.
    mention_project: Vec<Option<usize>>,
}

/// Facility nouns that may name a project without the word 项目.
const FACILITY_ENDS: &[&str] = &[
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

fn build_subjects(
    chars: &[char],
    mentions: &[ProjectMention],
    companies: &[CompanyMention],
    scope: &Scope<'_>,
) -> Subjects {
    let mut projects: Vec<Project> = Vec::new();
    let mut mention_project = vec![None; mentions.len()];
    let mut events = Vec::new();
    let mut last_project: Option<usize> = None;
    let mut last_company: Option<String> = None;

    // Merge events of all sources in text order.
    #[derive(Clone, Copy)]
    enum Src {
        Project(usize),
        Company(usize),
        Zone(usize),
        ZoneWord(usize, usize),
    }
    let mut order: Vec<(usize, Src)> = Vec::new();
    order.extend(
        mentions
            .iter()
            .enumerate()
            .map(|(i, p)| (p.start, Src::Project(i))),
    );
    order.extend(
        companies
            .iter()
            .enumerate()
            .map(|(i, c)| (c.start, Src::Company(i))),
    );
    order.extend(
        scope
            .zones
            .iter()
            .enumerate()
            .map(|(i, (z, _))| (z.start, Src::Zone(i))),
    );
    for (s, e) in zone_words(chars, scope.zones) {
        order.push((s, Src::ZoneWord(s, e)));
    }
    order.sort_by_key(|(s, _)| *s);

    for (_, src) in order {
        match src {
            Src::Project(i) => {
                let p = &mentions[i];
                if p.generic {
                    continue;
                }
                let idx = if p.anaphor {
                    match last_project {
                        Some(idx) => idx,
                        None => continue,
                    }
                } else {
                    let found = projects.iter().position(|q| same_project(&q.name, &p.name));
                    let idx = found.unwrap_or_else(|| {
                        projects.push(Project {
                            name: p.name.clone(),
                            investor: None,
                        });
                        projects.len() - 1
                    });
                    let investor = p
                        .investor
                        .clone()
                        .or_else(|| investors_before(chars, p.start, companies, mentions));
                    if projects[idx].investor.is_none() {
                        projects[idx].investor = investor;
                    }
                    idx
                };
                mention_project[i] = Some(idx);
                last_project = Some(idx);
                events.push(Event {
                    start: p.start,
                    end: p.end,
                    subject: Subject::Project(idx),
                });
            }
            Src::Company(i) => {
                let c = &companies[i];
                // The enterprise in front of a project name is that project's.
                let inside = mentions
                    .iter()
                    .any(|p| !p.generic && p.start <= c.start && c.end < p.end);
                if inside {
                    continue;
                }
                last_company = Some(c.name.clone());
                events.push(Event {
                    start: c.start,
                    end: c.end,
                    subject: Subject::Company(c.name.clone()),
                });
            }
            Src::Zone(i) => {
                let (z, name) = &scope.zones[i];
                events.push(Event {
                    start: z.start,
                    end: z.end,
                    subject: Subject::Zone(name.clone()),
                });
            }
            Src::ZoneWord(s, e) => {
                if let Some(zone) = scope.zone {
                    events.push(Event {
                        start: s,
                        end: e,
                        subject: Subject::Zone(zone.to_string()),
                    });
                }
            }
        }
    }
    let _ = last_company;
    Subjects {
        projects,
        events,
        mention_project,
    }
}

/// Words that stand for the article's zone: 该园区, 区内, 全区, 园区 opening a clause.
fn zone_words(chars: &[char], zones: &[(ZoneMention, String)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for i in 0..chars.len() {
        for w in [
            "该园区",
            "该区",
            "本区",
            "区内",
            "全区",
            "园区内",
            "园区现有",
            "园区",
        ] {
            if !starts_with(chars, i, w) {
                continue;
            }
            let inside_zone = zones.iter().any(|(z, _)| z.start <= i && i < z.end);
            let opens =
                i == 0 || is_clause_end(chars[i - 1]) || w.starts_with('该') || w.starts_with('本');
            let standalone = w != "园区" && w != "区内" && w != "全区" || opens;
            if !inside_zone && standalone {
                out.push((i, i + w.chars().count()));
            }
            break;
        }
    }
    out
}

/// Enterprises named earlier in the same sentence as a project: its investors.
fn investors_before(
    chars: &[char],
    at: usize,
    companies: &[CompanyMention],
    mentions: &[ProjectMention],
) -> Option<String> {
    let s = sentence_start(chars, at);
    let names: Vec<&str> = companies
        .iter()
        .filter(|c| c.start >= s && c.end <= at)
        .filter(|c| {
            !mentions
                .iter()
                .any(|p| p.end <= at && p.start > c.end && !p.generic)
        })
        .map(|c| c.name.as_str())
        .collect();
    (!names.is_empty()).then(|| names.join("、"))
}

/// The subject of a figure at `m`, and the confidence of the attachment.
fn subject_of(
    chars: &[char],
    m: &Measure,
    project_level: bool,
    subjects: &Subjects,
    mentions: &[ProjectMention],
) -> (Option<Subject>, f32) {
    if project_level {
        // 年产100万吨公路护栏项目: the figure is part of the name.
        if let Some(i) = mentions
            .iter()
            .position(|p| p.start <= m.start && m.end <= p.end)
        {
            if let Some(idx) = subjects.mention_project[i] {
                return (Some(Subject::Project(idx)), 1.0);
            }
        }
        // 总投资6.8亿元的大运…项目: the figure modifies the name after 的.
        let mut j = m.end;
        while j < chars.len() && j < m.end + 25 && !is_clause_end(chars[j]) {
            if chars[j] == '的' {
                if let Some(i) = mentions.iter().position(|p| p.start == j + 1) {
                    if let Some(idx) = subjects.mention_project[i] {
                        return (Some(Subject::Project(idx)), 1.0);
                    }
                }
                break;
            }
            j += 1;
        }
    }
    let s = sentence_start(chars, m.start);
    let before = |from: usize, to: usize| {
        subjects
            .events
            .iter()
            .rev()
            .find(|e| e.start >= from && e.end <= to)
            .map(|e| e.subject.clone())
    };
    if let Some(subject) = before(s, m.start) {
        return (Some(subject), 0.95);
    }
    // Carry the topic of the sentence before, within the paragraph: a subject
    // that opens one of its clauses ("该项目计划总投资…。全部建成投产后，…").
    if s > 0 && chars[s - 1] != '\n' {
        let prev = sentence_start(chars, s - 1);
        let topic = subjects
            .events
            .iter()
            .rev()
            .find(|e| e.start >= prev && e.end <= s && clause_start(chars, e.start) == e.start)
            .map(|e| e.subject.clone());
        if let Some(subject) = topic {
            return (Some(subject), 0.85);
        }
    }
    // A paragraph about an enterprise ("双良集团有限公司成立于…") stays about it.
    if let Some(Subject::Company(name)) = paragraph_topic(chars, m.start, subjects) {
        return (Some(Subject::Company(name)), 0.75);
    }
    (None, 0.9)
}

/// The subject that opens the paragraph containing `at`, if one does.
fn paragraph_topic(chars: &[char], at: usize, subjects: &Subjects) -> Option<Subject> {
    let mut p = at.min(chars.len());
    while p > 0 && chars[p - 1] != '\n' {
        p -= 1;
    }
    subjects
        .events
        .iter()
        .find(|e| e.start >= p && e.start <= p + 1 && e.end <= at)
        .map(|e| e.subject.clone())
}

// ---------------------------------------------------------------- stages

const STAGE_VERBS: &[(&str, Stage)] = &[
    ("签订投资协议", Stage::Signed),
    ("投资协议已签订", Stage::Signed),
    ("协议已签订", Stage::Signed),
    ("已签订", Stage::Signed),
    ("已签约", Stage::Signed),
    ("签约落地", Stage::Signed),
    ("成功签约", Stage::Signed),
    ("正式签约", Stage::Signed),
    ("签约", Stage::Signed),
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
const MODAL: &[&str] = &[
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
fn stage_word_at(chars: &[char], i: usize) -> bool {
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

fn stage_word_ending(chars: &[char], end: usize) -> bool {
    STAGE_VERBS.iter().any(|(w, _)| ends_with(chars, end, w))
        || ["落地", "建设", "见效", "投入"]
            .iter()
            .any(|w| ends_with(chars, end, w))
}

fn has_modal(chars: &[char], from: usize, to: usize) -> bool {
    (from..to).any(|i| {
        MODAL
            .iter()
            .any(|w| starts_with(chars, i, w) && i + w.chars().count() <= to)
    })
}

/// The stage verb at `i` is not a list item, a condition or an alternative.
fn plainly_reached(chars: &[char], i: usize, end: usize) -> bool {
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

fn stage_facts(
    chars: &[char],
    clean: &Clean,
    mentions: &[ProjectMention],
    subjects: &Subjects,
    zones: &[ZoneMention],
    scope: &Scope<'_>,
) -> Vec<(usize, Option<String>, Stage, usize, usize, f32)> {
    // (project index or usize::MAX for a bare name, name, stage, start, end, confidence)
    let mut found: Vec<(usize, Option<String>, Stage, usize, usize, f32)> = Vec::new();
    let _ = clean;
    let _ = scope;
    let mut i = 0;
    while i < chars.len() {
        let Some(&(verb, stage)) = STAGE_VERBS
            .iter()
            .filter(|(w, _)| starts_with(chars, i, w))
            .max_by_key(|(w, _)| w.chars().count())
        else {
            i += 1;
            continue;
        };
        let end = i + verb.chars().count();
        let clause = clause_start(chars, i);
        let sentence = sentence_start(chars, i);
        let reached = plainly_reached(chars, i, end);
        // 此次开工的标准厂房项目
        if chars.get(end) == Some(&'的') && !has_modal(chars, clause, i) {
            if let Some(k) = mentions.iter().position(|p| p.start == end + 1) {
                if let Some(idx) = subjects.mention_project[k] {
                    found.push((idx, None, stage, i, mentions[k].end, 0.9));
                }
            }
            i = end;
            continue;
        }
        if !reached {
            i = end;
            continue;
        }
        // 独立储能项目开工建设
        let adjacent = mentions.iter().position(|p| {
            p.end <= i
                && i - p.end <= 2
                && p.start >= clause
                && !p.generic
                && chars[p.end..i]
                    .iter()
                    .all(|c| matches!(c, '已' | '正' | '式' | '顺' | '利' | '全' | '面'))
        });
        if let Some(k) = adjacent {
            if !has_modal(chars, clause, i) {
                if let Some(idx) = subjects.mention_project[k] {
                    found.push((idx, None, stage, mentions[k].start, end, 0.9));
                }
            }
            i = end;
            continue;
        }
        // 该项目投资协议已签订，…，主体工程已开工
        let perfect =
            verb.starts_with('已') || verb.contains("已") || (i > 0 && chars[i - 1] == '已');
        if perfect && !has_modal(chars, sentence, i) {
            let subject = subjects
                .events
                .iter()
                .rev()
                .find(|e| e.start >= sentence && e.end <= i)
                .map(|e| e.subject.clone());
            if let Some(Subject::Project(idx)) = subject {
                found.push((idx, None, stage, i, end, 0.85));
            }
            i = end;
            continue;
        }
        // 国电投绿电重卡换电站建成投运: a facility named at the clause start.
        let firm = matches!(
            verb,
            "建成投运"
                | "建成投产"
                | "正式投产"
                | "竣工投产"
                | "开工建设"
                | "正式开工"
                | "投入运营"
        );
        if firm && !has_modal(chars, sentence, i) {
            let mut s = i;
            while s > 0 && !is_clause_end(chars[s - 1]) && chars[s - 1] != '、' {
                s -= 1;
            }
            let np: String = chars[s..i].iter().collect();
            let len = i - s;
            let facility = FACILITY_ENDS.iter().any(|f| np.ends_with(f));
            let digits = chars[s..i]
                .iter()
                .any(|&c| crate::numbers::arabic_digit(c).is_some());
            if (4..=30).contains(&len) && facility && !digits {
                let mut name_start = s;
                if let Some(z) = zones.iter().find(|z| z.start == s && z.end < i) {
                    name_start = z.end;
                }
                let name: String = chars[name_start..i].iter().collect();
                found.push((usize::MAX, Some(name), stage, s, end, 0.75));
            }
        }
        i = end;
    }
    found
}

// ---------------------------------------------------------------- facts

/// All facts of one cleaned text (an article body, or its titles).
pub(crate) fn extract(clean: &Clean, scope: &Scope<'_>) -> Vec<Fact> {
    let chars = &clean.chars;
    let zone_mentions: Vec<ZoneMention> = scope.zones.iter().map(|(z, _)| z.clone()).collect();
    let mentions = entities::projects(chars, &zone_mentions);
    let companies = entities::companies(chars);
    let mut subjects = build_subjects(chars, &mentions, &companies, scope);
    let measures = measures::scan(chars);

    // Batches are subjects too: "园区现有企业4家，总投资27.3亿元" is about the zone.
    let readings: Vec<Option<Reading>> = measures.iter().map(|m| classify(chars, m)).collect();
    for (m, r) in measures.iter().zip(&readings) {
        if let Some(r) = r {
            if matches!(r.kind, K::ProjectCount | K::EnterpriseCount) {
                subjects.events.push(Event {
                    start: m.start,
                    end: m.end,
                    subject: Subject::Batch,
                });
            }
        }
    }
    subjects.events.sort_by_key(|e| (e.start, e.end));

    let mut facts = Vec::new();
    for (m, r) in measures.iter().zip(readings) {
        let Some(r) = r else { continue };
        let project_level = !r.kind.is_zone_level();
        let (subject, attach) = subject_of(chars, m, project_level, &subjects, &mentions);
        let mut fact = base_fact(scope, r.kind);
        match (&subject, project_level) {
            (Some(Subject::Project(idx)), true) => {
                let p = &subjects.projects[*idx];
                fact.project = Some(p.name.clone());
                fact.investor = p.investor.clone();
            }
            (Some(Subject::Company(name)), true) => {
                // An enterprise's own tally of enterprises is not the zone's.
                fact.investor = Some(name.clone());
            }
            (Some(Subject::Company(_)), false) if r.kind == K::EnterpriseCount => continue,
            (Some(Subject::Zone(z)), _) => fact.zone = Some(z.clone()),
            _ => {}
        }
        let trigger: String = chars[r.evidence_start..m.start.max(r.evidence_start)]
            .iter()
            .collect();
        let mut amount = m.value;
        if r.negate {
            amount = amount.neg();
        }
        let unit = r.unit.or(m.unit).unwrap_or(Unit::Yuan);
        let span = clean.span(r.evidence_start.min(m.start), m.end);
        let figure = clean.span(m.start, m.end);
        fact.value = Value::Quantity(Quantity {
            amount,
            unit,
            qualifier: m.qualifier,
            as_written: figure.slice(scope.input).to_string(),
        });
        fact.label = r
            .label
            .or_else(|| indicator_label(r.kind, &trigger, chars, m));
        fact.modality = modality(chars, m, &trigger);
        fact.span = span;
        fact.confidence = (r.confidence * attach).clamp(0.0, 1.0);
        facts.push(fact);
    }

    for (idx, name, stage, start, end, confidence) in
        stage_facts(chars, clean, &mentions, &subjects, &zone_mentions, scope)
    {
        let mut fact = base_fact(scope, K::Stage);
        if idx == usize::MAX {
            fact.project = name;
        } else {
            let p = &subjects.projects[idx];
            fact.project = Some(p.name.clone());
            fact.investor = p.investor.clone();
        }
        fact.value = Value::Stage { stage };
        fact.span = clean.span(start, end);
        fact.confidence = confidence;
        facts.push(fact);
    }
    facts
}

fn base_fact(scope: &Scope<'_>, kind: FactKind) -> Fact {
    Fact {
        kind,
        value: Value::Stage {
            stage: Stage::Signed,
        },
        project: None,
        investor: None,
        zone: scope.zone.map(str::to_string),
        label: None,
        modality: Modality::Reported,
        span: crate::model::Span::new(0, 0),
        article: Some(scope.article),
        confidence: 0.0,
    }
}

/// For a growth rate, the indicator it qualifies: the money trigger before it
/// in the same sentence ("工业投资完成3.26亿元，同比增长28.9%").
fn indicator_label(kind: FactKind, trigger: &str, chars: &[char], m: &Measure) -> Option<String> {
    match kind {
        K::GrowthRate | K::ReductionRate | K::ApprovalDuration => {}
        _ => return None,
    }
    let s = sentence_start(chars, m.start);
    let clause = clause_start(chars, m.start);
    if kind == K::GrowthRate {
        // The indicator named last before this clause.
        let mut best: Option<(usize, &str)> = None;
        for end in (s..=clause).rev() {
            let hit = MONEY_TRIGGERS
                .iter()
                .filter(|(w, k)| *k != K::SignedAmount && ends_with(chars, end, w))
                .max_by_key(|(w, _)| w.chars().count());
            if let Some((w, _)) = hit {
                best = Some((end, w));
                break;
            }
        }
        return best.map(|(_, w)| w.to_string());
    }
    // 审批时限压减62.6% → "审批时限"; 从土地摘牌到施工许可办结不到40个工作日 → the phrase.
    let phrase: String = chars[clause..m.start].iter().collect();
    let phrase = phrase.trim_end_matches(|c| matches!(c, '不' | '到' | '足' | '约' | '仅' | '为'));
    let phrase = phrase.strip_suffix(trigger).unwrap_or(phrase);
    let _ = trigger;
    (!phrase.is_empty()).then(|| phrase.to_string())
}

/// Drops repeated facts: the same kind, value, unit and subject within an
/// article counts once (titles often repeat the body).
pub(crate) fn dedupe(facts: &mut Vec<Fact>) {
    let mut seen: Vec<(Option<usize>, FactKind, String, Option<String>)> = Vec::new();
    let mut stages: Vec<(Option<usize>, String, usize)> = Vec::new();
    let mut keep = vec![true; facts.len()];
    for (i, f) in facts.iter().enumerate() {
        let subject = f
            .project
            .clone()
            .or_else(|| f.investor.clone())
            .or_else(|| f.zone.clone());
        if let Value::Stage { stage } = f.value {
            // One stage per project: the furthest reached.
            let key = subject.clone().unwrap_or_default();
            if let Some(&(_, _, j)) = stages.iter().find(|(a, s, _)| *a == f.article && *s == key) {
                let Value::Stage { stage: other } = facts[j].value else {
                    continue;
                };
                if stage > other {
                    keep[j] = false;
                    stages.retain(|(a, s, _)| !(*a == f.article && *s == key));
                    stages.push((f.article, key, i));
                } else {
                    keep[i] = false;
                }
            } else {
                stages.push((f.article, key, i));
            }
            continue;
        }
        let value = match &f.value {
            Value::Quantity(q) => format!("{}{:?}", q.amount, q.unit),
            Value::Stage { stage } => format!("{stage:?}"),
        };
        let key = (f.article, f.kind, value, subject);
        if seen.contains(&key) {
            keep[i] = false;
        } else {
            seen.push(key);
        }
    }
    let mut k = keep.into_iter();
    facts.retain(|_| k.next().unwrap_or(true));
}

/// Drops title facts whose kind, value and unit the body already states.
pub(crate) fn drop_repeated_title_facts(title: &mut Vec<Fact>, body: &[Fact]) {
    title.retain(|t| {
        !body
            .iter()
            .any(|b| b.kind == t.kind && same_value(&b.value, &t.value))
    });
}

fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Quantity(x), Value::Quantity(y)) => x.amount == y.amount && x.unit == y.unit,
        (Value::Stage { stage: x }, Value::Stage { stage: y }) => x == y,
        _ => false,
    }
}

#[allow(dead_code)]
fn _decimal_in_scope(_: Decimal) {}
