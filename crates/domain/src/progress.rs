//! The stage a project's progress text (形象进度, 进展情况, 项目进度, 建设内容及进度 …)
//! tells, in the words zones use. The text is evidence of where a project
//! stands on the ledger's reporting date, stronger than a bare 开工/投产 date.
//!
//! How it reads:
//! - The text is cut into clauses at punctuation. A clause's words after a
//!   plan word (计划, 预计, 拟, 力争, 争取, 将于, 准备, 即将, 待, 有望, 下一步 …) are a
//!   plan, not a fact, and are not read: "预计年底竣工" says nothing done. A
//!   word of the vocabulary that holds a plan word ("开工准备") is read whole.
//! - Words are matched longest first, and a matched span is not matched again:
//!   "施工许可" and "施工图" are procedures (前期), not construction.
//! - "未开工", "尚未动工" are 前期; any other stage word after 未 is not read.
//! - Of the stages the facts name, the furthest is the project's; a halt (停工,
//!   停建, 暂停, 缓建) wins unless the text also says 复工.
//!
//! The vocabulary, by stage:
//!
//! | stage | words |
//! |---|---|
//! | 前期 | 土地摘牌, 摘牌, 招拍挂, 征地, 拆迁, 选址, 立项, 备案, 可研, 规划设计, 方案设计, 初步设计, 施工图, 环评, 能评, 稳评, 审批, 批复, 手续, 施工许可, 招标, 勘察, 勘探, 场地平整, 三通一平, 前期, 开工前, 开工准备, 具备开工条件 |
//! | 开工 | 开工, 动工, 开建, 破土, 进场, 桩基, 基础施工, 土方, 基坑, 开挖, 主体施工, 主体结构, 封顶, 钢结构, 吊装, 砌筑, 装饰装修, 装修, 幕墙, 设备安装, 安装, 安装调试, 调试, 管网, 路基, 路面, 施工, 在建, 建设中, 主体完工, 土建完工, 复工 |
//! | 竣工 | 竣工, 竣工验收, 完工, 全面完工, 建成 |
//! | 投产 | 投产, 试生产, 试运行, 试运转, 试产, 投入使用, 投用, 交付使用, 投入运营, 运营, 开业, 正式生产, 量产 |
//! | 达产 | 达产, 满产, 达效 |
//! | 停建 | 停工, 停建, 暂停, 缓建, 暂缓, 停滞 |

use crate::project::Stage;

/// A stage read from progress text, with the words that told it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressReading {
    pub stage: Stage,
    /// The words of the text that decided, as written ("钢结构吊装").
    pub words: String,
}

/// Words and the stage they tell. Longest first within the table is not
/// needed: matching sorts them.
const WORDS: &[(&str, Stage)] = &[
    ("土地摘牌", Stage::PreConstruction),
    ("摘牌", Stage::PreConstruction),
    ("招拍挂", Stage::PreConstruction),
    ("征地", Stage::PreConstruction),
    ("拆迁", Stage::PreConstruction),
    ("选址", Stage::PreConstruction),
    ("立项", Stage::PreConstruction),
    ("备案", Stage::PreConstruction),
    ("可研", Stage::PreConstruction),
    ("可行性研究", Stage::PreConstruction),
    ("规划设计", Stage::PreConstruction),
    ("方案设计", Stage::PreConstruction),
    ("初步设计", Stage::PreConstruction),
    ("施工图", Stage::PreConstruction),
    ("环评", Stage::PreConstruction),
    ("能评", Stage::PreConstruction),
    ("稳评", Stage::PreConstruction),
    ("审批", Stage::PreConstruction),
    ("批复", Stage::PreConstruction),
    ("手续", Stage::PreConstruction),
    ("施工许可", Stage::PreConstruction),
    ("施工招标", Stage::PreConstruction),
    ("招标", Stage::PreConstruction),
    ("勘察", Stage::PreConstruction),
    ("勘探", Stage::PreConstruction),
    ("场地平整", Stage::PreConstruction),
    ("三通一平", Stage::PreConstruction),
    ("五通一平", Stage::PreConstruction),
    ("七通一平", Stage::PreConstruction),
    ("前期", Stage::PreConstruction),
    ("开工前", Stage::PreConstruction),
    ("开工准备", Stage::PreConstruction),
    ("具备开工条件", Stage::PreConstruction),
    ("开工", Stage::Started),
    ("动工", Stage::Started),
    ("开建", Stage::Started),
    ("破土", Stage::Started),
    ("进场", Stage::Started),
    ("桩基", Stage::Started),
    ("基础施工", Stage::Started),
    ("土方", Stage::Started),
    ("基坑", Stage::Started),
    ("开挖", Stage::Started),
    ("主体施工", Stage::Started),
    ("主体结构", Stage::Started),
    ("封顶", Stage::Started),
    ("钢结构", Stage::Started),
    ("吊装", Stage::Started),
    ("砌筑", Stage::Started),
    ("装饰装修", Stage::Started),
    ("装修", Stage::Started),
    ("幕墙", Stage::Started),
    ("设备安装", Stage::Started),
    ("安装", Stage::Started),
    ("安装调试", Stage::Started),
    ("调试", Stage::Started),
    ("管网", Stage::Started),
    ("路基", Stage::Started),
    ("路面", Stage::Started),
    ("施工", Stage::Started),
    ("在建", Stage::Started),
    ("建设中", Stage::Started),
    ("主体完工", Stage::Started),
    ("土建完工", Stage::Started),
    ("基础完工", Stage::Started),
    ("复工", Stage::Started),
    ("竣工", Stage::Completed),
    ("竣工验收", Stage::Completed),
    ("完工", Stage::Completed),
    ("全面完工", Stage::Completed),
    ("建成", Stage::Completed),
    ("投产", Stage::Producing),
    ("试生产", Stage::Producing),
    ("试运行", Stage::Producing),
    ("试运转", Stage::Producing),
    ("试产", Stage::Producing),
    ("投入使用", Stage::Producing),
    ("投用", Stage::Producing),
    ("交付使用", Stage::Producing),
    ("投入运营", Stage::Producing),
    ("运营", Stage::Producing),
    ("开业", Stage::Producing),
    ("正式生产", Stage::Producing),
    ("量产", Stage::Producing),
    ("达产", Stage::AtCapacity),
    ("满产", Stage::AtCapacity),
    ("达效", Stage::AtCapacity),
    ("停工", Stage::Suspended),
    ("停建", Stage::Suspended),
    ("暂停", Stage::Suspended),
    ("缓建", Stage::Suspended),
    ("暂缓", Stage::Suspended),
    ("停滞", Stage::Suspended),
];

/// Words after which a clause speaks of the future.
const PLAN_WORDS: &[&str] = &[
    "计划",
    "预计",
    "拟",
    "力争",
    "争取",
    "将于",
    "将在",
    "准备",
    "即将",
    "确保",
    "待",
    "有望",
    "下一步",
    "下步",
    "年底前",
    "月底前",
    "尽快",
];

/// Words that deny what follows ("尚未开工").
const NOT_WORDS: &[&str] = &["尚未", "暂未", "还未", "没有", "未"];

const CLAUSE_ENDS: &[char] = &[
    '，', '。', '；', ';', ',', '、', '！', '!', '\n', '\r', '：', ':', '（', '(', '）', ')',
];

/// The stage `text` tells, if any of its facts names one.
pub fn stage_from_progress(text: &str) -> Option<ProgressReading> {
    let mut words: Vec<&(&str, Stage)> = WORDS.iter().collect();
    words.sort_by_key(|(w, _)| std::cmp::Reverse(w.chars().count()));
    let mut furthest: Option<ProgressReading> = None;
    let mut halted: Option<ProgressReading> = None;
    let mut resumed = false;
    for clause in text.split(CLAUSE_ENDS) {
        let clause: String = clause.chars().filter(|c| !c.is_whitespace()).collect();
        let found = read_clause(&clause, &words);
        // Plan words inside a word of the vocabulary ("开工准备") are that word's.
        let inside = |at: usize| found.iter().any(|(s, _, w, _)| *s < at && at < s + w.len());
        let plan = PLAN_WORDS
            .iter()
            .flat_map(|p| clause.match_indices(p).map(|(at, _)| at))
            .filter(|at| !inside(*at))
            .min()
            .unwrap_or(clause.len());
        for &(_, stage, word, denied) in found.iter().filter(|(at, ..)| *at < plan) {
            let stage = match (denied, stage) {
                (false, stage) => stage,
                (true, Stage::Started) => Stage::PreConstruction,
                (true, _) => continue,
            };
            if word == "复工" {
                resumed = true;
            }
            let reading = ProgressReading {
                stage,
                words: if denied {
                    format!("未{word}")
                } else {
                    word.to_owned()
                },
            };
            if stage == Stage::Suspended {
                halted.get_or_insert(reading);
            } else if furthest
                .as_ref()
                .is_none_or(|f| stage.rank() > f.stage.rank())
            {
                furthest = Some(reading);
            }
        }
    }
    match halted {
        Some(halt) if !resumed => Some(halt),
        _ => furthest,
    }
}

/// The stage words of one clause, in order, each with where it starts and
/// whether a denial stands right before it. A matched span is not matched again.
fn read_clause<'w>(
    clause: &str,
    words: &[&'w (&'w str, Stage)],
) -> Vec<(usize, Stage, &'w str, bool)> {
    let mut taken = vec![false; clause.len()];
    let mut found = Vec::new();
    for (word, stage) in words {
        let mut from = 0;
        while let Some(at) = clause[from..].find(word).map(|i| i + from) {
            let end = at + word.len();
            from = end;
            if taken[at..end].iter().any(|t| *t) {
                continue;
            }
            taken[at..end].iter_mut().for_each(|t| *t = true);
            let before = &clause[..at];
            let denied = NOT_WORDS.iter().any(|n| before.ends_with(n))
                || NOT_WORDS.iter().any(|n| {
                    // "未正式开工", "尚未全面开工": one qualifier between.
                    before
                        .char_indices()
                        .rev()
                        .nth(1)
                        .is_some_and(|(i, _)| before[..i].ends_with(n))
                        && before
                            .chars()
                            .rev()
                            .take(2)
                            .all(|c| "正式全面完全进行".contains(c))
                });
            found.push((at, *stage, *word, denied));
        }
    }
    found.sort_by_key(|(at, ..)| *at);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(text: &str) -> Option<Stage> {
        stage_from_progress(text).map(|r| r.stage)
    }

    fn words(text: &str) -> String {
        stage_from_progress(text).unwrap().words
    }

    #[test]
    fn preliminary_work_in_its_many_wordings() {
        for text in [
            "已完成土地摘牌",
            "正在进行规划设计",
            "环评审批中",
            "正在办理施工许可",
            "完成施工图设计，正在进行施工招标",
            "项目已备案，正在开展可研编制",
            "场地平整已完成",
            "前期手续办理中",
        ] {
            assert_eq!(stage(text), Some(Stage::PreConstruction), "{text}");
        }
    }

    #[test]
    fn construction_in_its_many_wordings() {
        for text in [
            "桩基施工",
            "钢结构吊装",
            "正在进行装饰装修",
            "主体结构封顶，正在进行内部装修",
            "1#厂房主体完工，2#厂房基础施工",
            "设备安装调试中",
            "项目已于3月复工，目前正在进行管网铺设",
            "已开工建设",
        ] {
            assert_eq!(stage(text), Some(Stage::Started), "{text}");
        }
        assert_eq!(words("钢结构吊装"), "钢结构");
    }

    #[test]
    fn completion_production_and_halts() {
        assert_eq!(stage("项目已竣工验收"), Some(Stage::Completed));
        assert_eq!(stage("全面完工"), Some(Stage::Completed));
        assert_eq!(stage("一期已建成投产"), Some(Stage::Producing));
        assert_eq!(stage("生产线进入试生产阶段"), Some(Stage::Producing));
        assert_eq!(stage("已达产"), Some(Stage::AtCapacity));
        assert_eq!(stage("因资金问题停工"), Some(Stage::Suspended));
        assert_eq!(stage("项目暂停建设"), Some(Stage::Suspended));
        assert_eq!(
            stage("去年停工，今年3月复工，正在进行主体施工"),
            Some(Stage::Started)
        );
    }

    #[test]
    fn plans_are_not_facts() {
        assert_eq!(
            stage("正在办理施工许可，预计6月开工"),
            Some(Stage::PreConstruction)
        );
        assert_eq!(stage("主体施工，计划年底竣工投产"), Some(Stage::Started));
        assert_eq!(stage("力争年内开工"), None);
        assert_eq!(stage("拟于10月投产"), None);
        assert_eq!(stage("待环评批复后开工"), None);
    }

    #[test]
    fn denials_are_read_as_such() {
        assert_eq!(stage("尚未开工"), Some(Stage::PreConstruction));
        assert_eq!(words("尚未开工"), "未开工");
        assert_eq!(stage("项目未正式开工"), Some(Stage::PreConstruction));
        assert_eq!(stage("设备已安装，未投产"), Some(Stage::Started));
    }

    /// The wordings of issue #14, each with the stage and the words that decide.
    #[test]
    fn the_wordings_zones_use() {
        use Stage::*;
        let cases = [
            ("已完成土地摘牌", Some((PreConstruction, "土地摘牌"))),
            ("正在进行规划设计", Some((PreConstruction, "规划设计"))),
            ("环评审批中", Some((PreConstruction, "环评"))),
            ("正在做开工前准备工作", Some((PreConstruction, "开工前"))),
            ("开工准备工作基本就绪", Some((PreConstruction, "开工准备"))),
            (
                "场地已平整，具备开工条件",
                Some((PreConstruction, "具备开工条件")),
            ),
            ("桩基施工", Some((Started, "桩基"))),
            ("正在进行基础开挖", Some((Started, "开挖"))),
            ("钢结构吊装", Some((Started, "钢结构"))),
            ("正在进行装饰装修", Some((Started, "装饰装修"))),
            ("设备调试中", Some((Started, "调试"))),
            ("已竣工验收", Some((Completed, "竣工验收"))),
            ("生产线试生产", Some((Producing, "试生产"))),
            ("一期已试产", Some((Producing, "试产"))),
            ("进入联合试运转", Some((Producing, "试运转"))),
            ("已投产", Some((Producing, "投产"))),
            ("综合楼已投用", Some((Producing, "投用"))),
            ("道路已交付使用", Some((Producing, "交付使用"))),
            ("已达产达效", Some((AtCapacity, "达产"))),
            ("全面达效", Some((AtCapacity, "达效"))),
            ("因资金问题停工", Some((Suspended, "停工"))),
            ("项目暂缓实施", Some((Suspended, "暂缓"))),
            ("尚未开工", Some((PreConstruction, "未开工"))),
            ("暂未动工", Some((PreConstruction, "未动工"))),
            ("还没有开工", Some((PreConstruction, "未开工"))),
            ("计划开工", None),
            ("计划9月开工", None),
            ("拟于年底竣工", None),
            ("确保年内投产", None),
        ];
        for (text, expected) in cases {
            let got = stage_from_progress(text).map(|r| (r.stage, r.words));
            let expected = expected.map(|(s, w)| (s, w.to_string()));
            assert_eq!(got, expected, "{text}");
        }
    }

    #[test]
    fn text_that_names_no_stage_tells_nothing() {
        assert_eq!(stage(""), None);
        assert_eq!(stage("按计划推进"), None);
        assert_eq!(stage("完成投资3000万元"), None);
    }

    #[test]
    fn spaces_and_line_breaks_inside_words_do_not_hide_them() {
        assert_eq!(stage("钢 结 构\n吊装"), Some(Stage::Started));
    }
}
