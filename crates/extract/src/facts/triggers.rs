//! Which figure is what: the trigger words of the genre (总投资, 年产值, 利税, 就业,
//! 占地, 建筑面积, 年产, 同比增长, 签约额 …) and the reading of counts ("12个项目",
//! "企业14家"). Owns the meaning of a figure; knows nothing of its subject.

use crate::measures::Measure;
use crate::model::{FactKind, Modality, Unit};
use std::sync::LazyLock;

use crate::text::{clause_start, ends_with, is_clause_end, sentence_start, starts_with, Lexicon};

/// How a figure's unit constrains what it can mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Class {
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

pub(super) fn class_of(m: &Measure) -> Option<Class> {
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

pub(super) const MONEY_TRIGGERS: &[(&str, FactKind)] = &[
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
    ("今年计划投资", K::PlannedInvestment),
    ("年内计划投资", K::PlannedInvestment),
    ("计划完成投资", K::PlannedInvestment),
    // 项目计划投资8.5亿元: the project's planned total, not this year's plan.
    ("计划投资", K::TotalInvestment),
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
    // 合同外资2.1亿美元: contracted rather than used, still the zone's foreign capital.
    ("合同外资", K::ForeignInvestment),
    ("外资", K::ForeignInvestment),
    ("省外资金", K::OutOfProvinceFunds),
    ("省外到位资金", K::OutOfProvinceFunds),
    ("到位资金", K::FundsArrived),
    ("资金到位", K::FundsArrived),
    ("实际到位", K::FundsArrived),
    ("签约额", K::SignedAmount),
    ("签约金额", K::SignedAmount),
    ("签约资金", K::SignedAmount),
    ("签约总额", K::SignedAmount),
    ("合同额", K::SignedAmount),
    ("协议投资额", K::SignedAmount),
    ("协议投资", K::SignedAmount),
    ("签约投资额", K::SignedAmount),
    ("合同投资", K::SignedAmount),
    ("协议金额", K::SignedAmount),
    ("签约", K::SignedAmount),
];

pub(super) const MU_TRIGGERS: &[(&str, FactKind)] = &[
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

pub(super) const SQUARE_METRE_TRIGGERS: &[(&str, FactKind)] = &[
    // 年产3000万平方米瓷砖: an output, not a building.
    ("年产", K::Capacity),
    ("年产能", K::Capacity),
    ("年生产", K::Capacity),
    ("产能", K::Capacity),
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

pub(super) const SQUARE_KILOMETRE_TRIGGERS: &[(&str, FactKind)] = &[
    ("规划面积", K::LandArea),
    ("总面积", K::LandArea),
    ("占地", K::LandArea),
    ("用地", K::LandArea),
    ("面积", K::LandArea),
];

pub(super) const PRODUCTION_TRIGGERS: &[(&str, FactKind)] = &[
    ("年产能", K::Capacity),
    ("年可生产", K::Capacity),
    ("年可加工", K::Capacity),
    ("年可处理", K::Capacity),
    ("可年产", K::Capacity),
    ("加工能力", K::Capacity),
    ("处理能力", K::Capacity),
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

pub(super) const PERSON_TRIGGERS: &[(&str, FactKind)] = &[
    ("就业", K::Jobs),
    ("用工", K::Jobs),
    ("员工", K::Jobs),
    ("职工", K::Jobs),
    ("岗位", K::Jobs),
    ("吸纳", K::Jobs),
    ("招聘", K::Jobs),
    ("从业人员", K::Jobs),
];

pub(super) const PERCENT_TRIGGERS: &[(&str, FactKind)] = &[
    ("同比增长", K::GrowthRate),
    ("增长", K::GrowthRate),
    ("增速", K::GrowthRate),
    ("增幅", K::GrowthRate),
    // 效率提高66.7% is not a year-on-year rate; 同比提高 is.
    ("同比上升", K::GrowthRate),
    ("同比提高", K::GrowthRate),
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
    // 开、复工率83%: started or resumed.
    ("复工率", K::StartRate),
    ("到位率", K::FundsArrivalRate),
    ("完成率", K::CompletionRate),
    ("序时进度", K::CompletionRate),
    ("年度目标", K::CompletionRate),
    ("全年目标", K::CompletionRate),
    ("年度任务", K::CompletionRate),
    ("年度计划", K::CompletionRate),
    // 完成年度投资计划的31.5% / 占年度投资计划的78.4%
    ("投资计划", K::CompletionRate),
    ("全年计划", K::CompletionRate),
    // 占比达67.5% / 比重达 / 占全市开发区的26.1%: a part of a whole. A nearer
    // 年度计划 or 目标 makes it a completion rate instead.
    ("占比", K::Share),
    ("比重", K::Share),
    ("占", K::Share),
];

pub(super) const DURATION_TRIGGERS: &[(&str, FactKind)] = &[
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

/// A trigger table with its words indexed for lookup.
pub(super) type Table = (&'static [(&'static str, FactKind)], Lexicon);

fn table(triggers: &'static [(&'static str, FactKind)]) -> Table {
    (triggers, Lexicon::new(triggers.iter().map(|t| t.0)))
}

static MONEY: LazyLock<Table> = LazyLock::new(|| table(MONEY_TRIGGERS));
static MU: LazyLock<Table> = LazyLock::new(|| table(MU_TRIGGERS));
static SQUARE_METRE: LazyLock<Table> = LazyLock::new(|| table(SQUARE_METRE_TRIGGERS));
static SQUARE_KILOMETRE: LazyLock<Table> = LazyLock::new(|| table(SQUARE_KILOMETRE_TRIGGERS));
static PRODUCTION: LazyLock<Table> = LazyLock::new(|| table(PRODUCTION_TRIGGERS));
static PERSON: LazyLock<Table> = LazyLock::new(|| table(PERSON_TRIGGERS));
static PERCENT: LazyLock<Table> = LazyLock::new(|| table(PERCENT_TRIGGERS));
static DURATION: LazyLock<Table> = LazyLock::new(|| table(DURATION_TRIGGERS));

/// How far back a trigger may stand from its figure.
pub(super) const TRIGGER_WINDOW: usize = 24;

/// The trigger nearest before the figure (longest on a tie), within the clause.
pub(super) fn trigger_before(
    chars: &[char],
    m: &Measure,
    table: &Table,
) -> Option<(usize, &'static str, FactKind)> {
    let (triggers, lexicon) = table;
    let floor = clause_start(chars, m.start).max(m.start.saturating_sub(TRIGGER_WINDOW));
    (floor..=m.start).rev().find_map(|end| {
        let i = lexicon
            .ending_at(chars, end)
            .find(|&i| end - lexicon.len_of(i) >= floor)?;
        let (w, k) = triggers[i];
        Some((end - lexicon.len_of(i), w, k))
    })
}

/// A classified figure: what it means and how it was recognised.
pub(super) struct Reading {
    pub(super) kind: FactKind,
    /// Where the evidence starts (the trigger, or the figure).
    pub(super) evidence_start: usize,
    pub(super) label: Option<String>,
    pub(super) confidence: f32,
    pub(super) negate: bool,
    /// Override the unit (a count of 岗位 is a count of people).
    pub(super) unit: Option<Unit>,
}

pub(super) fn reading(kind: FactKind, start: usize, confidence: f32) -> Reading {
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
pub(super) fn trigger_confidence(m: &Measure, trigger_start: usize, word: &str) -> f32 {
    let gap = m.start.saturating_sub(trigger_start + word.chars().count());
    let base: f32 = if word.chars().count() >= 3 { 0.95 } else { 0.9 };
    if gap <= 4 {
        base
    } else {
        base - 0.1
    }
}

pub(super) fn construction_labour(chars: &[char], m: &Measure) -> bool {
    let s = sentence_start(chars, m.start);
    ["高峰", "建设期", "施工期"]
        .iter()
        .any(|w| (s..m.start).any(|i| starts_with(chars, i, w)))
}

/// "由原来的60天缩短至20天": the figure before 缩短至 is the old value.
pub(super) fn is_superseded(chars: &[char], m: &Measure) -> bool {
    const CHANGED_TO: &[&str] = &[
        "缩短至",
        "压缩至",
        "减少至",
        "降至",
        "缩减至",
        "压减至",
        "减至",
        "缩短到",
        "压缩到",
        "减少到",
        "提高到",
        "提高至",
        "增加到",
        "增加至",
        "增至",
    ];
    (m.end..(m.end + 4).min(chars.len()))
        .take_while(|&j| !is_clause_end(chars[j]))
        .any(|j| CHANGED_TO.iter().any(|w| starts_with(chars, j, w)))
}

pub(super) fn classify(chars: &[char], m: &Measure) -> Option<Reading> {
    if is_superseded(chars, m) {
        return None;
    }
    let class = class_of(m)?;
    let with = |triggers: &Table| {
        trigger_before(chars, m, triggers)
            .map(|(s, w, k)| reading(k, s, trigger_confidence(m, s, w)))
    };
    match class {
        Class::Money => {
            let (s, w, k) = trigger_before(chars, m, &MONEY)?;
            // 亩均税收15.3万元 is a ratio, not an amount.
            if ["亩均", "人均", "户均", "每亩", "单位", "平均"]
                .iter()
                .any(|p| ends_with(chars, s, p))
            {
                return None;
            }
            // 总投资1亿元以上项目有27个: a threshold naming a class of projects.
            let threshold = m.qualifier == Some(crate::model::Qualifier::AtLeast)
                && ["项目", "的项目", "企业", "的企业"]
                    .iter()
                    .any(|w| starts_with(chars, m.end, w));
            // 一期投资4.2亿元: one phase's money, not the project's total.
            let phase = ["一期", "二期", "三期", "首期", "本期"]
                .iter()
                .any(|p| ends_with(chars, s, p));
            if threshold || (phase && k == K::TotalInvestment) {
                return None;
            }
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
        Class::Mu => with(&MU).or(Some(reading(K::LandArea, m.start, 0.8))),
        Class::SquareMetre => with(&SQUARE_METRE).or(Some(reading(K::FloorArea, m.start, 0.7))),
        Class::SquareKilometre => with(&SQUARE_KILOMETRE),
        Class::Production => with(&PRODUCTION).or_else(|| {
            // Power is always a capacity; tonnes and pieces need a verb of output.
            matches!(m.unit, Some(Unit::Kilowatt | Unit::KilowattHour))
                .then(|| reading(K::Capacity, m.start, 0.75))
        }),
        // 建设期间高峰用工1200人 counts builders, not jobs created.
        Class::Person if construction_labour(chars, m) => None,
        Class::Person => with(&PERSON).or_else(|| {
            // 可解决1500人就业
            ["就业", "的就业"]
                .iter()
                .any(|w| starts_with(chars, m.end, w))
                .then(|| reading(K::Jobs, m.start, 0.85))
        }),
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
            let (s, w, k) = trigger_before(chars, m, &PERCENT)?;
            let mut r = reading(k, s, trigger_confidence(m, s, w));
            r.negate = matches!(w, "同比下降" | "下降" | "回落");
            Some(r)
        }
        Class::Duration => with(&DURATION).or_else(|| {
            (m.unit == Some(Unit::WorkingDay)).then(|| reading(K::ApprovalDuration, m.start, 0.75))
        }),
    }
}

/// The noun right after a figure, up to punctuation or 的: "标准厂房".
pub(super) fn noun_after(chars: &[char], from: usize, max: usize) -> Option<String> {
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
pub(super) fn count_reading(chars: &[char], m: &Measure) -> Option<Reading> {
    let unit = m.unit_word;
    // 新开工项目（3000万元以上）96个: the noun stands before a bracketed aside.
    let aside = (m.start > 0 && matches!(chars[m.start - 1], '）' | ')'))
        .then(|| {
            (m.start.saturating_sub(16)..m.start - 1)
                .rev()
                .find(|&i| matches!(chars[i], '（' | '('))
        })
        .flatten();
    let left_gap = |word: &str| {
        [Some(m.start), aside].into_iter().flatten().any(|at| {
            (0..=2).any(|gap| {
                at >= gap
                    && ends_with(chars, at - gap, word)
                    && chars[at - gap..at]
                        .iter()
                        .all(|c| matches!(c, '共' | '计' | '达' | '到' | '有' | '为'))
            })
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
    // 新建项目21个、续建项目17个: each figure follows its own noun.
    let after_noun = ["项目", "企业"]
        .iter()
        .any(|w| ends_with(chars, m.start, w));
    if listed
        && !after_noun
        && m.start > 0
        && !matches!(chars[m.start - 1], '的' | '了' | '有' | '共' | '计')
    {
        return None;
    }
    // “三个一批” is the name of a campaign (签约一批、开工一批、投产一批).
    if starts_with(chars, m.end, "一批") {
        return None;
    }
    // 可满足20家企业入驻 is room for enterprises, not a count of them.
    if ["满足", "容纳", "可供"]
        .iter()
        .any(|w| (clause..m.start).any(|i| starts_with(chars, i, w)))
    {
        return None;
    }
    if matches!(unit, "个" | "项") {
        // 重点项目中，已开工31个: a count of projects that reached a stage.
        let stage_count = [
            "已开工",
            "开工",
            "已签约",
            "签约",
            "已投产",
            "投产",
            "已竣工",
            "竣工",
            "落地",
        ]
        .iter()
        .find(|w| left_gap(w));
        let sentence = sentence_start(chars, m.start);
        if let Some(w) = stage_count {
            if (sentence..m.start).any(|i| starts_with(chars, i, "项目")) {
                let mut r = reading(K::ProjectCount, m.start, 0.8);
                r.label = Some(w.trim_start_matches('已').to_string());
                return Some(r);
            }
        }
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
pub(super) fn label_before(chars: &[char], at: usize) -> Option<String> {
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
pub(super) fn modality(chars: &[char], m: &Measure, trigger: &str) -> Modality {
    const WORDS: &[(&str, Modality)] = &[
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
    static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::new(WORDS.iter().map(|w| w.0)));
    let s = sentence_start(chars, m.start);
    // The marker nearest before the figure decides.
    (s..m.start)
        .rev()
        .find_map(|i| {
            LEXICON.starting_at(chars, i).find_map(|k| {
                let (w, md) = WORDS[k];
                // 计划总投资 is the name of a figure, not a plan.
                let figure_name = w == "计划"
                    && (trigger.starts_with("计划") || starts_with(chars, i, "计划总投资"));
                (!figure_name).then_some(md)
            })
        })
        .unwrap_or(Modality::Reported)
}

/// For a growth rate, the indicator it qualifies: the money trigger before it
/// in the same sentence ("工业投资完成3.26亿元，同比增长28.9%").
pub(super) fn indicator_label(
    kind: FactKind,
    trigger: &str,
    chars: &[char],
    m: &Measure,
) -> Option<String> {
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
    let phrase = phrase.trim_end_matches(['不', '到', '足', '约', '仅', '为']);
    let phrase = phrase.strip_suffix(trigger).unwrap_or(phrase);
    (!phrase.is_empty()).then(|| phrase.to_string())
}
