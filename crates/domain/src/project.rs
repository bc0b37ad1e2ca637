//! Key projects (重点项目): their coded attributes and the lifecycle rules.
//! Stages only move forward along 谋划 → 签约 → 前期 → 开工 → 竣工 → 投产 → 达产;
//! a project may be suspended (停建) and resumed, or cancelled (取消). Moving
//! back is a correction: allowed, but only with a reason, and recorded as such.

use chrono::{Datelike, NaiveDate};

use crate::code_enum;

code_enum! {
    /// 项目阶段.
    Stage {
        Planning = "planning",               // 谋划
        Signed = "signed",                   // 签约
        PreConstruction = "pre_construction", // 前期
        Started = "started",                 // 开工
        Completed = "completed",             // 竣工
        Producing = "producing",             // 投产
        AtCapacity = "at_capacity",          // 达产
        Suspended = "suspended",             // 停建
        Cancelled = "cancelled",             // 取消
    }
}

code_enum! {
    /// 项目类别.
    Category { Industrial = "industrial", Infrastructure = "infrastructure", Social = "social" }
}

code_enum! {
    /// 建设性质: 新建 / 续建 / 前期.
    Nature { New = "new", Continuing = "continuing", Preliminary = "preliminary" }
}

code_enum! {
    /// 困难问题的要素类型.
    BlockerFactor {
        Land = "land", Planning = "planning", Eia = "eia", Energy = "energy", Water = "water",
        Power = "power", Gas = "gas", Road = "road", Funding = "funding", Labour = "labour",
        Procedures = "procedures", Other = "other",
    }
}

impl BlockerFactor {
    /// The factor a free-text problem (存在问题) most likely concerns, by the
    /// words zones use for it; [`BlockerFactor::Other`] when none fits.
    /// Specific phrases come first: "供电线路" is power, not road.
    pub fn guess(text: &str) -> BlockerFactor {
        const WORDS: &[(&str, BlockerFactor)] = &[
            ("环评", BlockerFactor::Eia),
            ("环境影响", BlockerFactor::Eia),
            ("能评", BlockerFactor::Energy),
            ("能耗", BlockerFactor::Energy),
            ("节能", BlockerFactor::Energy),
            ("施工许可", BlockerFactor::Procedures),
            ("规划许可", BlockerFactor::Planning),
            ("规划", BlockerFactor::Planning),
            ("设计方案", BlockerFactor::Planning),
            ("土地", BlockerFactor::Land),
            ("用地", BlockerFactor::Land),
            ("征地", BlockerFactor::Land),
            ("供地", BlockerFactor::Land),
            ("拆迁", BlockerFactor::Land),
            ("摘牌", BlockerFactor::Land),
            ("不动产", BlockerFactor::Land),
            ("资金", BlockerFactor::Funding),
            ("融资", BlockerFactor::Funding),
            ("贷款", BlockerFactor::Funding),
            ("拨付", BlockerFactor::Funding),
            ("用工", BlockerFactor::Labour),
            ("招工", BlockerFactor::Labour),
            ("人才", BlockerFactor::Labour),
            ("天然气", BlockerFactor::Gas),
            ("燃气", BlockerFactor::Gas),
            ("供气", BlockerFactor::Gas),
            ("供电", BlockerFactor::Power),
            ("用电", BlockerFactor::Power),
            ("电力", BlockerFactor::Power),
            ("变电", BlockerFactor::Power),
            ("供水", BlockerFactor::Water),
            ("用水", BlockerFactor::Water),
            ("排水", BlockerFactor::Water),
            ("污水", BlockerFactor::Water),
            ("道路", BlockerFactor::Road),
            ("修路", BlockerFactor::Road),
            ("手续", BlockerFactor::Procedures),
            ("审批", BlockerFactor::Procedures),
            ("立项", BlockerFactor::Procedures),
            ("备案", BlockerFactor::Procedures),
            ("办证", BlockerFactor::Procedures),
            ("水", BlockerFactor::Water),
            ("电", BlockerFactor::Power),
            ("气", BlockerFactor::Gas),
            ("路", BlockerFactor::Road),
        ];
        WORDS
            .iter()
            .find(|(word, _)| text.contains(word))
            .map_or(BlockerFactor::Other, |(_, factor)| *factor)
    }
}

code_enum! {
    /// 待办 / 办理中 / 已解决.
    BlockerStatus { Open = "open", InProgress = "in_progress", Resolved = "resolved" }
}

/// The industry chains a new zone starts with; each zone edits its own list.
pub const DEFAULT_INDUSTRY_CHAINS: &[&str] = &[
    "新能源",
    "新材料",
    "高端装备制造",
    "绿色建材",
    "食品医药",
    "再生金属",
    "数字经济",
    "现代农业",
    "现代物流",
    "文化旅游",
];

impl Stage {
    /// The main line in order.
    pub const MAIN_LINE: [Stage; 7] = [
        Stage::Planning,
        Stage::Signed,
        Stage::PreConstruction,
        Stage::Started,
        Stage::Completed,
        Stage::Producing,
        Stage::AtCapacity,
    ];

    /// Position on the main line; none for 停建 and 取消.
    pub fn rank(self) -> Option<usize> {
        Self::MAIN_LINE.iter().position(|s| *s == self)
    }

    /// 停建 or 取消: shown grey and left out of plan totals, completion rates,
    /// rankings and assessment unless asked for.
    pub fn is_inactive(self) -> bool {
        matches!(self, Stage::Suspended | Stage::Cancelled)
    }

    /// Under construction or further (counts as 开工 in reports).
    pub fn has_started(self) -> bool {
        self.rank() >= Stage::Started.rank()
    }
}

/// The milestones that mark a stage as reached, by the keys of the default
/// template (a zone editing its template keeps these keys for these nodes).
const STAGE_MILESTONES: [(Stage, &str); 4] = [
    (Stage::Started, "start"),
    (Stage::Completed, "completion"),
    (Stage::Producing, "production"),
    (Stage::AtCapacity, "full_capacity"),
];

/// The milestone whose actual date is the day `stage` was reached.
pub fn stage_milestone(stage: Stage) -> Option<&'static str> {
    STAGE_MILESTONES
        .iter()
        .find(|(s, _)| *s == stage)
        .map(|(_, key)| *key)
}

/// The stage a milestone's actual date says the project reached.
pub fn milestone_stage(key: &str) -> Option<Stage> {
    STAGE_MILESTONES
        .iter()
        .find(|(_, k)| *k == key)
        .map(|(stage, _)| *stage)
}

/// What recording milestone `key` as reached means for the stage: the stage
/// to move to, if it lies ahead; an error key if the project cannot move.
pub fn stage_after_milestone(
    current: Stage,
    furthest: Stage,
    key: &str,
) -> Result<Option<Stage>, &'static str> {
    let Some(stage) = milestone_stage(key) else {
        return Ok(None);
    };
    match check_advance(current, furthest, stage) {
        Ok(()) => Ok(Some(stage)),
        Err("error.stage.cancelled") => Err("error.milestone.cancelled"),
        // Behind or at the stage already reached: nothing to move.
        Err(_) => Ok(None),
    }
}

/// Where a project's milestones contradict its stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "stage", rename_all = "snake_case")]
pub enum StageMismatch {
    /// The milestone has an actual date but the project never reached its stage.
    AheadOfStage(Stage),
    /// The project is at this stage but its milestone has no actual date.
    NotRecorded(Stage),
}

/// The milestones (key, actual date) that disagree with the stage: a node of
/// a stage beyond the furthest one reached that has an actual date, or the
/// node of the current stage without one.
pub fn stage_mismatches<'a>(
    current: Stage,
    furthest: Stage,
    milestones: impl IntoIterator<Item = (&'a str, Option<NaiveDate>)>,
) -> Vec<(&'a str, StageMismatch)> {
    let reached = furthest.rank().or(current.rank());
    milestones
        .into_iter()
        .filter_map(|(key, actual)| {
            let stage = milestone_stage(key)?;
            match actual {
                Some(_) if stage.rank() > reached => {
                    Some((key, StageMismatch::AheadOfStage(stage)))
                }
                None if stage == current => Some((key, StageMismatch::NotRecorded(stage))),
                _ => None,
            }
        })
        .collect()
}

/// The day a stage history first reached `stage`, if it did.
pub fn first_reached(changes: &[(Stage, NaiveDate)], stage: Stage) -> Option<NaiveDate> {
    changes.iter().find(|(s, _)| *s == stage).map(|(_, d)| *d)
}

/// Checks an ordinary stage change. `furthest` is the furthest main-line stage
/// the project ever reached (where a suspended project resumes from).
pub fn check_advance(current: Stage, furthest: Stage, next: Stage) -> Result<(), &'static str> {
    if current == Stage::Cancelled {
        return Err("error.stage.cancelled");
    }
    if next == current {
        return Err("error.stage.same");
    }
    match next {
        Stage::Cancelled => Ok(()),
        Stage::Suspended if current == Stage::AtCapacity => Err("error.stage.suspend_done"),
        Stage::Suspended => Ok(()),
        _ => {
            let from = if current == Stage::Suspended {
                furthest
            } else {
                current
            };
            match (next.rank(), from.rank()) {
                (Some(n), Some(f)) if n > f || (current == Stage::Suspended && n == f) => Ok(()),
                _ => Err("error.stage.backward"),
            }
        }
    }
}

/// A correction may go anywhere but needs a reason people can read later.
pub fn check_correction(current: Stage, next: Stage, reason: &str) -> Result<(), &'static str> {
    if next == current {
        return Err("error.stage.same");
    }
    if reason.trim().chars().count() < 4 {
        return Err("error.stage.reason");
    }
    Ok(())
}

/// A stage is reached on a day that has passed, not before the last change.
pub fn check_stage_date(
    date: NaiveDate,
    last_change: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), &'static str> {
    if date > today {
        return Err("error.stage.future");
    }
    if last_change.is_some_and(|last| date < last) {
        return Err("error.stage.date_order");
    }
    Ok(())
}

/// 当年签约、当年开工、当年投产: all three in `year`.
pub fn same_year_fast_path(
    signed: Option<NaiveDate>,
    started: Option<NaiveDate>,
    producing: Option<NaiveDate>,
    year: i32,
) -> bool {
    [signed, started, producing]
        .iter()
        .all(|d| d.is_some_and(|d| d.year() == year))
}

/// 项目代码 from the national investment approval platform, e.g.
/// "2304-140800-89-01-123456": digits and hyphens, 8–40 characters.
pub fn parse_project_code(raw: &str) -> Result<Option<String>, &'static str> {
    // Most codes are typed plainly: nothing to normalise, one copy.
    let plain = raw.trim();
    if (8..=40).contains(&plain.len())
        && plain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Ok(Some(plain.to_ascii_uppercase()));
    }
    let code = crate::money::normalise_number(raw).replace(['－', '—'], "-");
    if code.is_empty() {
        return Ok(None);
    }
    let ok = (8..=40).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(Some(code.to_ascii_uppercase()))
    } else {
        Err("error.project_code")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Stage::*;

    #[test]
    fn stages_move_forward_only() {
        let ok = [
            (Planning, Planning, Signed),
            (Signed, Signed, Started), // skipping 前期 is allowed
            (Started, Started, Producing),
            (Producing, Producing, AtCapacity),
            (Started, Started, Suspended),
            (Suspended, Started, Started), // resume where it stopped
            (Suspended, Started, Completed),
            (Signed, Signed, Cancelled),
            (Suspended, Started, Cancelled),
        ];
        for (current, furthest, next) in ok {
            assert_eq!(
                check_advance(current, furthest, next),
                Ok(()),
                "{current} → {next}"
            );
        }
        let refused = [
            (Started, Started, Signed, "error.stage.backward"),
            (Producing, Producing, Completed, "error.stage.backward"),
            (Suspended, Started, Signed, "error.stage.backward"),
            (Cancelled, Signed, Started, "error.stage.cancelled"),
            (Started, Started, Started, "error.stage.same"),
            (
                AtCapacity,
                AtCapacity,
                Suspended,
                "error.stage.suspend_done",
            ),
        ];
        for (current, furthest, next, key) in refused {
            assert_eq!(
                check_advance(current, furthest, next),
                Err(key),
                "{current} → {next}"
            );
        }
    }

    #[test]
    fn milestones_move_the_stage_forward_only() {
        assert_eq!(
            stage_after_milestone(Started, Started, "completion"),
            Ok(Some(Completed))
        );
        assert_eq!(
            stage_after_milestone(Signed, Signed, "production"),
            Ok(Some(Producing))
        );
        // A node of a stage already passed, or one that is not a stage: nothing moves.
        assert_eq!(
            stage_after_milestone(Producing, Producing, "start"),
            Ok(None)
        );
        assert_eq!(stage_after_milestone(Started, Started, "start"), Ok(None));
        assert_eq!(stage_after_milestone(Signed, Signed, "eia"), Ok(None));
        // A suspended project resumes at the node's stage when it is not behind.
        assert_eq!(
            stage_after_milestone(Suspended, Started, "completion"),
            Ok(Some(Completed))
        );
        assert_eq!(
            stage_after_milestone(Suspended, Completed, "start"),
            Ok(None)
        );
        assert_eq!(
            stage_after_milestone(Cancelled, Started, "completion"),
            Err("error.milestone.cancelled")
        );
        for stage in Stage::MAIN_LINE {
            if let Some(key) = stage_milestone(stage) {
                assert_eq!(milestone_stage(key), Some(stage));
            }
        }
    }

    #[test]
    fn mismatches_are_found_both_ways() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let nodes = [
            ("land", d("2024-01-10")),
            ("start", d("2024-03-01")),
            ("completion", None),
            ("production", d("2024-11-20")),
        ];
        // Started, yet 投产 has a date: ahead of the stage.
        assert_eq!(
            stage_mismatches(Started, Started, nodes),
            vec![("production", StageMismatch::AheadOfStage(Producing))]
        );
        // Completed without a 竣工 date, and 投产 ahead of it.
        assert_eq!(
            stage_mismatches(Completed, Completed, nodes),
            vec![
                ("completion", StageMismatch::NotRecorded(Completed)),
                ("production", StageMismatch::AheadOfStage(Producing)),
            ]
        );
        assert_eq!(stage_mismatches(Producing, Producing, nodes), vec![]);
        // Suspended after 投产: the furthest stage counts.
        assert_eq!(stage_mismatches(Suspended, Producing, nodes), vec![]);
        // A template without the stage's node has nothing to disagree with.
        assert_eq!(
            stage_mismatches(Completed, Completed, [("start", d("2024-03-01"))]),
            vec![]
        );
    }

    #[test]
    fn corrections_need_a_reason() {
        assert_eq!(
            check_correction(Started, Signed, "录入错误，实际未开工"),
            Ok(())
        );
        assert_eq!(
            check_correction(Started, Signed, " 错 "),
            Err("error.stage.reason")
        );
        assert_eq!(
            check_correction(Started, Started, "没有变化的更正"),
            Err("error.stage.same")
        );
        assert_eq!(
            check_correction(Cancelled, Started, "误操作取消，恢复"),
            Ok(())
        );
    }

    #[test]
    fn stage_dates_are_ordered_and_past() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let today = d("2024-06-30");
        assert_eq!(
            check_stage_date(d("2024-06-30"), Some(d("2024-03-01")), today),
            Ok(())
        );
        assert_eq!(
            check_stage_date(d("2024-07-01"), None, today),
            Err("error.stage.future")
        );
        assert_eq!(
            check_stage_date(d("2024-02-29"), Some(d("2024-03-01")), today),
            Err("error.stage.date_order")
        );
        assert_eq!(
            check_stage_date(d("2024-03-01"), Some(d("2024-03-01")), today),
            Ok(())
        );
    }

    #[test]
    fn the_fast_path_needs_all_three_in_the_year() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        assert!(same_year_fast_path(
            d("2023-02-01"),
            d("2023-05-01"),
            d("2023-12-31"),
            2023
        ));
        assert!(!same_year_fast_path(
            d("2022-12-31"),
            d("2023-05-01"),
            d("2023-12-31"),
            2023
        ));
        assert!(!same_year_fast_path(
            d("2023-02-01"),
            d("2023-05-01"),
            None,
            2023
        ));
    }

    #[test]
    fn ranks_and_codes() {
        assert!(Producing.has_started() && Started.has_started());
        assert!(!Signed.has_started() && !Suspended.has_started());
        assert_eq!(Stage::from_code("pre_construction"), Some(PreConstruction));
        assert_eq!(
            parse_project_code(" 2304-140800-89-01-123456 "),
            Ok(Some("2304-140800-89-01-123456".into()))
        );
        assert_eq!(parse_project_code(""), Ok(None));
        assert_eq!(parse_project_code("代码"), Err("error.project_code"));
        // Typed plainly, or with full-width digits, dashes and spaces.
        assert_eq!(
            parse_project_code("2304-140800-89-01-abcdef"),
            Ok(Some("2304-140800-89-01-ABCDEF".into()))
        );
        assert_eq!(
            parse_project_code("２３０４－140800—89 01_123456"),
            Ok(Some("2304-140800-8901123456".into()))
        );
        assert_eq!(parse_project_code("2304-14"), Err("error.project_code"));
    }

    #[test]
    fn blocker_factors_are_guessed_from_the_words_zones_use() {
        let cases = [
            ("土地摘牌尚未完成", BlockerFactor::Land),
            ("环评批复未下达", BlockerFactor::Eia),
            ("能评手续正在办理", BlockerFactor::Energy),
            ("施工许可证办理滞后", BlockerFactor::Procedures),
            ("110千伏供电线路未接入", BlockerFactor::Power),
            ("园区道路未贯通", BlockerFactor::Road),
            ("天然气管网未铺设", BlockerFactor::Gas),
            ("企业融资困难", BlockerFactor::Funding),
            ("熟练工人短缺，用工紧张", BlockerFactor::Labour),
            ("规划调整待批", BlockerFactor::Planning),
            ("水、电未通", BlockerFactor::Water),
            ("设备到货延迟", BlockerFactor::Other),
            ("", BlockerFactor::Other),
        ];
        for (text, factor) in cases {
            assert_eq!(BlockerFactor::guess(text), factor, "{text}");
        }
    }
}
