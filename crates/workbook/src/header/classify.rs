//! Proposing a field for a header: an exact variant, else a key word, with its confidence.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use super::variants::{exact, variant_cores};
use super::{HeaderText, Match, EXACT, GUESS, LIKELY};
use crate::field::{Field, Unit};

fn contains_any(core: &Core, words: &[&str]) -> bool {
    words.iter().any(|w| has(core, w))
}

/// A header's core with the bytes it holds. The rules of [`classify`] look
/// for some forty words in every text holding a key word (a row's cells
/// among them): a word with a byte the core lacks is ruled out without a
/// search.
struct Core<'a> {
    text: &'a str,
    bytes: [u64; 4],
}

impl Core<'_> {
    fn new(text: &str) -> Core<'_> {
        let mut bytes = [0u64; 4];
        for b in text.bytes() {
            bytes[b as usize / 64] |= 1 << (b % 64);
        }
        Core { text, bytes }
    }

    fn may_hold(&self, word: &str) -> bool {
        word.bytes()
            .all(|b| self.bytes[b as usize / 64] & (1 << (b % 64)) != 0)
    }
}

/// `core` holds `word`.
fn has(core: &Core, word: &str) -> bool {
    core.may_hold(word) && find(core.text, word)
}

/// `text.contains(word)` for the short texts here. This runs for every text
/// cell of every row (is it a repeated header?), and `str::contains` sets up
/// a Two-Way searcher per call, which for a ten-character cell costs more
/// than the search: here one byte of the word is found with memchr and the
/// word compared there. That byte is the third: in Chinese text the first
/// byte of a character is one of a few values, the third one of 64.
fn find(text: &str, word: &str) -> bool {
    let (h, w) = (text.as_bytes(), word.as_bytes());
    if w.is_empty() {
        return true;
    }
    if h.len() < w.len() {
        return false;
    }
    let k = w.len().min(3) - 1;
    // Each start i from 0 to h.len() - w.len() has its byte i + k here at i.
    memchr::memchr_iter(w[k], &h[k..=h.len() - w.len() + k]).any(|i| &h[i..i + w.len()] == w)
}

/// Words that only qualify a key word (this year's figures, a date).
const THIS_YEAR: &[&str] = &["本年", "今年", "当年", "年度", "本月"];
const DATED: &[&str] = &["时间", "日期", "年月", "节点"];

/// A header that names a field (other than by an exact variant) contains one
/// of these: every word the rules of [`classify`] look for contains one (a
/// test checks this against the rules' text). Shorter words stand for longer
/// ones ("投资" for "总投资").
const KEY_WORDS: &[&str] = &[
    "序号",
    "名称",
    "领导",
    "性质",
    "新建",
    "续建",
    "开工",
    "投产",
    "面积",
    "投资",
    "累计",
    "完成",
    "计划",
    "代码",
    "项目编码",
    "备案号",
    "入库",
    "纳统",
    "入统",
    "建设内容",
    "建设规模",
    "主要内容",
    "规模及内容",
    "问题",
    "困难",
    "堵点",
    "诉求",
    "进展",
    "进度",
    "责任人",
    "包联人",
    "联系人",
    "负责人",
    "责任单位",
    "责任部门",
    "牵头单位",
    "主管部门",
    "包联单位",
    "主责单位",
    "责任科室",
    "建设单位",
    "业主",
    "实施主体",
    "项目单位",
    "建设主体",
    "项目法人",
    "实施单位",
    "开发区",
    "园区",
    "县(市",
    "县市区",
    "区县",
    "县区",
    "所属产业",
    "产业链",
    "产业领域",
    "行业",
    "产业方向",
    "所属领域",
    "类别",
    "类型",
    "分类",
    "阶段",
    "状态",
    "竣工",
    "建成",
    "完工",
    "用地",
    "占地",
    "就业",
    "用工",
    "人数",
    "岗位",
    "利税",
    "税收",
    "纳税",
    "产值",
    "营业收入",
    "销售收入",
];

fn key_words() -> &'static AhoCorasick {
    static WORDS: OnceLock<AhoCorasick> = OnceLock::new();
    WORDS.get_or_init(|| AhoCorasick::new(KEY_WORDS).expect("fixed words"))
}

/// Characters common in a row's cells (names, companies, progress notes):
/// a word is not looked for by one of these where it has another.
const COMMON: &str =
    "项目区建设产业开发公司有限年月新工程厂房设备安装完成中心基地技术电材料制造生产智能能源是否";

/// Whether a text may name a field, asked before it is taken apart: most of
/// a row's cells may not, and taking a cell apart (see [`header_core`]) cost
/// more than the rest of the repeated-header check. A text names a field
/// only if its core is a known variant or holds a key word, and taking a
/// text apart only folds ASCII look-alikes, drops characters or adds "(",
/// so every such word's characters beyond ASCII are in the text itself:
/// one of them, chosen per word, is looked for.
///
/// [`header_core`]: super::header_core
pub(crate) fn may_name_a_field(text: &str) -> bool {
    /// One bit per character of the Basic Multilingual Plane; `None` when
    /// some word is all ASCII and so cannot be looked for this way.
    static MARKS: OnceLock<Option<Box<[u64; 1024]>>> = OnceLock::new();
    let marks = MARKS.get_or_init(|| {
        let mut marks = Box::new([0u64; 1024]);
        for word in KEY_WORDS.iter().copied().chain(variant_cores()) {
            // The last character not common in cells ("是否入库" by 库).
            let mark = word
                .chars()
                .rev()
                .filter(|c| !c.is_ascii() && (*c as u32) < 0x10000)
                .min_by_key(|c| COMMON.chars().any(|x| x == *c))?;
            let c = mark as usize;
            marks[c / 64] |= 1 << (c % 64);
        }
        Some(marks)
    });
    let Some(marks) = marks else {
        return true;
    };
    text.chars().any(|c| {
        let c = c as usize;
        c < 0x10000 && marks[c / 64] & (1 << (c % 64)) != 0
    })
}

/// Proposes a field for a header. `None` when nothing fits.
pub(crate) fn classify(header: &HeaderText) -> Option<Match> {
    let core = header.core.as_str();
    if core.is_empty() {
        return None;
    }
    if let Some(field) = exact(core) {
        // "1-6月累计完成投资": the months make a cumulative figure this
        // year's, not the project's since it started.
        let field = match field {
            Field::CompletedCumulative if header.months.is_some() => Field::CompletedYtd,
            other => other,
        };
        return Some(Match {
            field,
            confidence: EXACT,
        });
    }
    let likely = |field| {
        Some(Match {
            field,
            confidence: LIKELY,
        })
    };
    let guess = |field| {
        Some(Match {
            field,
            confidence: GUESS,
        })
    };
    // Most texts asked about are a row's cells (is it a repeated header?)
    // and name no field: one pass over the text for any key word settles
    // them before the rules below each search it.
    if !key_words().is_match(core) {
        return None;
    }
    let core = &Core::new(core);
    let this_year =
        header.year.is_some() || header.months.is_some() || contains_any(core, THIS_YEAR);

    if has(core, "序号") {
        return likely(Field::Serial);
    }
    if contains_any(core, &["代码", "项目编码", "备案号"]) {
        return likely(Field::ProjectCode);
    }
    if contains_any(core, &["入库", "纳统", "入统", "纳入统计"]) {
        return likely(Field::Registered);
    }
    if has(core, "项目名称") {
        return likely(Field::Name);
    }
    if contains_any(core, &["建设内容", "建设规模", "主要内容", "规模及内容"]) {
        return likely(Field::ConstructionContent);
    }
    if contains_any(core, &["问题", "困难", "堵点", "诉求"]) {
        return likely(Field::Blockers);
    }
    if contains_any(core, &["进展", "进度"]) {
        return likely(Field::Progress);
    }
    if has(core, "领导") {
        return likely(Field::Liaison);
    }
    if contains_any(core, &["责任人", "包联人", "联系人", "负责人"]) {
        return guess(Field::Liaison);
    }
    if contains_any(
        core,
        &[
            "责任单位",
            "责任部门",
            "牵头单位",
            "主管部门",
            "包联单位",
            "主责单位",
            "责任科室",
        ],
    ) {
        return likely(Field::Department);
    }
    if contains_any(
        core,
        &[
            "建设单位",
            "投资主体",
            "业主",
            "实施主体",
            "投资单位",
            "项目单位",
            "建设主体",
            "项目法人",
            "投资方",
            "投资企业",
            "企业名称",
            "实施单位",
        ],
    ) {
        return likely(Field::Investor);
    }
    if contains_any(core, &["开发区", "园区", "县(市", "县市区", "区县", "县区"]) {
        return likely(Field::Zone);
    }
    if contains_any(
        core,
        &[
            "产业类别",
            "所属产业",
            "产业链",
            "产业领域",
            "行业",
            "产业方向",
            "产业分类",
            "所属领域",
        ],
    ) {
        return likely(Field::IndustryChain);
    }
    if contains_any(core, &["类别", "类型", "分类"]) {
        return likely(Field::Category);
    }
    if has(core, "性质") || (has(core, "新建") && has(core, "续建")) {
        return likely(Field::Nature);
    }
    if contains_any(core, &["阶段", "状态"]) {
        return likely(Field::Stage);
    }
    let dated = contains_any(core, DATED);
    if has(core, "开工") && dated {
        return likely(Field::StartDate);
    }
    if has(core, "投产") && dated {
        return likely(Field::ProductionDate);
    }
    if contains_any(core, &["竣工", "建成", "完工"]) && dated {
        return guess(Field::ProductionDate);
    }
    if has(core, "建筑面积") {
        return likely(Field::FloorArea);
    }
    if contains_any(core, &["用地", "占地", "土地面积"]) {
        return likely(Field::LandMu);
    }
    if has(core, "面积") {
        return match header.unit {
            Some(Unit::Mu | Unit::Hectare) => guess(Field::LandMu),
            _ => guess(Field::FloorArea),
        };
    }
    if contains_any(core, &["就业", "用工", "人数", "岗位"]) {
        return likely(Field::Jobs);
    }
    if contains_any(core, &["利税", "税收", "纳税"]) {
        return likely(Field::AnnualTax);
    }
    if contains_any(core, &["产值", "营业收入", "销售收入"]) {
        return likely(Field::AnnualOutput);
    }
    if has(core, "总投资") || has(core, "投资总额") {
        return likely(Field::TotalInvestment);
    }
    if contains_any(core, &["开工以来", "开工累计", "自开工"]) {
        return likely(Field::CompletedCumulative);
    }
    if has(core, "累计") && !this_year {
        return likely(Field::CompletedCumulative);
    }
    if has(core, "完成") {
        return if this_year {
            likely(Field::CompletedYtd)
        } else {
            guess(Field::CompletedYtd)
        };
    }
    if has(core, "计划") {
        return likely(Field::PlannedInvestment);
    }
    if has(core, "投资") {
        return if this_year {
            guess(Field::PlannedInvestment)
        } else {
            guess(Field::TotalInvestment)
        };
    }
    if has(core, "名称") {
        return guess(Field::Name);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::parse_header;
    use super::*;

    #[test]
    fn has_is_contains() {
        let texts = [
            "",
            "a",
            "ab",
            "总投资",
            "累计完成投资(万元)",
            "已完成主体",
            "x累计",
            "累",
        ];
        let words = [
            "a",
            "ab",
            "b",
            "累计",
            "完成",
            "投资",
            "计",
            "(万",
            "x累",
            "总投资额",
        ];
        for t in texts {
            for w in words {
                assert_eq!(has(&Core::new(t), w), t.contains(w), "{t} {w}");
            }
        }
    }

    #[test]
    fn every_word_the_rules_look_for_has_a_key_word() {
        let source = include_str!("classify.rs");
        let rules = &source
            [source.find("pub(crate) fn classify").unwrap()..source.find("#[cfg(test)]").unwrap()];
        let mut words = Vec::new();
        for (i, _) in rules.match_indices("has(core, \"") {
            let rest = &rules[i + 11..];
            words.push(&rest[..rest.find('"').unwrap()]);
        }
        for (i, _) in rules.match_indices("contains_any(") {
            let rest = &rules[i..];
            let list = &rest[..rest.find(')').unwrap()];
            if let Some(open) = list.find("&[") {
                words.extend(list[open..].split('"').skip(1).step_by(2));
            }
        }
        assert!(words.len() > 90, "{}", words.len());
        for word in words {
            assert!(key_words().is_match(word), "{word} has no key word");
        }
    }

    #[test]
    fn texts_that_name_a_field_are_let_through() {
        let texts = [
            "序号",
            "项 目 名 称",
            "总投资（亿元）",
            "2023年1-6月完成投资（万元）",
            "2024年1-6月\n累计完成投资\n（万元）",
            "县（市、区）",
            "项目代码【必填】",
            "新建/续建",
            "达产后年产值（亿元）",
            "前三季度完成投资",
            "太原经济技术开发区",
            "项目",
        ];
        for text in texts {
            assert!(classify(&parse_header(text)).is_some(), "{text}");
            assert!(may_name_a_field(text), "{text}");
        }
        for text in [
            "王海燕",
            "是",
            "2304-140000-89-01-000005",
            "山西太原有限公司",
        ] {
            assert!(!may_name_a_field(text), "{text}");
            assert_eq!(classify(&parse_header(text)), None, "{text}");
        }
        // Every variant of every field, as written and decorated.
        for variants in crate::header_variants() {
            for v in variants.variants {
                for text in [
                    v.to_string(),
                    format!("2023年{v}（万元）"),
                    format!(" {v} "),
                ] {
                    if classify(&parse_header(&text)).is_some() {
                        assert!(may_name_a_field(&text), "{text}");
                    }
                }
            }
        }
    }

    fn field_of(raw: &str) -> Option<(Field, u8)> {
        classify(&parse_header(raw)).map(|m| (m.field, m.confidence))
    }

    #[test]
    fn headers_map_to_fields() {
        use Field::*;
        let cases: &[(&str, Field, u8)] = &[
            ("序号", Serial, EXACT),
            ("项目名称", Name, EXACT),
            ("项 目 名 称", Name, EXACT),
            ("项目名称及建设地点", Name, LIKELY),
            ("建设单位", Investor, EXACT),
            ("投资主体", Investor, EXACT),
            ("项目业主", Investor, EXACT),
            ("实施主体", Investor, EXACT),
            ("投资单位", Investor, EXACT),
            ("项目类别", Category, EXACT),
            ("类别", Category, EXACT),
            ("产业类别", IndustryChain, EXACT),
            ("所属产业", IndustryChain, EXACT),
            ("产业链", IndustryChain, EXACT),
            ("建设性质", Nature, EXACT),
            ("新建/续建", Nature, EXACT),
            ("总投资", TotalInvestment, EXACT),
            ("总投资（亿元）", TotalInvestment, EXACT),
            ("总投资\n(万元)", TotalInvestment, EXACT),
            ("总投资/亿元", TotalInvestment, EXACT),
            ("计划总投资（万元）", TotalInvestment, EXACT),
            ("年度计划投资", PlannedInvestment, EXACT),
            ("2023年计划投资", PlannedInvestment, EXACT),
            ("本年计划投资", PlannedInvestment, EXACT),
            ("2023年投资计划", PlannedInvestment, EXACT),
            ("1-6月完成投资", CompletedYtd, EXACT),
            ("1—9月完成投资（亿元）", CompletedYtd, EXACT),
            ("2023年1-6月完成投资", CompletedYtd, EXACT),
            ("本年累计完成", CompletedYtd, EXACT),
            ("截至6月底完成投资", CompletedYtd, EXACT),
            ("2023年投资1-6月完成", CompletedYtd, LIKELY),
            ("1-6月累计完成投资（万元）", CompletedYtd, EXACT),
            ("1-10月份累计完成", CompletedYtd, EXACT),
            ("2024年1-6月\n累计完成投资\n（万元）", CompletedYtd, EXACT),
            ("1-6月份项目累计完成投资额", CompletedYtd, LIKELY),
            ("累计完成投资", CompletedCumulative, EXACT),
            ("开工累计完成投资", CompletedCumulative, EXACT),
            ("开工以来累计完成投资（万元）", CompletedCumulative, EXACT),
            ("投资完成情况累计", CompletedCumulative, LIKELY),
            ("建设内容及规模", ConstructionContent, EXACT),
            ("建设内容", ConstructionContent, EXACT),
            ("开工时间", StartDate, EXACT),
            ("计划开工时间", StartDate, EXACT),
            ("投产时间", ProductionDate, EXACT),
            ("计划投产时间", ProductionDate, EXACT),
            ("计划竣工时间", ProductionDate, GUESS),
            ("包联领导", Liaison, EXACT),
            ("责任领导", Liaison, EXACT),
            ("分管领导", Liaison, EXACT),
            ("市级包联领导", Liaison, LIKELY),
            ("责任单位", Department, EXACT),
            ("责任部门", Department, EXACT),
            ("进展情况", Progress, EXACT),
            ("形象进度", Progress, EXACT),
            ("截至目前进展情况", Progress, LIKELY),
            ("存在问题", Blockers, EXACT),
            ("困难问题", Blockers, EXACT),
            ("需协调解决的问题", Blockers, EXACT),
            ("是否入库", Registered, EXACT),
            ("是否入库（是/否）", Registered, EXACT),
            ("项目代码", ProjectCode, EXACT),
            ("用地（亩）", LandMu, EXACT),
            ("占地面积（亩）", LandMu, EXACT),
            ("用地面积(亩)", LandMu, EXACT),
            ("建筑面积（平方米）", FloorArea, EXACT),
            ("建筑面积（万平方米）", FloorArea, EXACT),
            ("项目阶段", Stage, EXACT),
            ("所处阶段", Stage, EXACT),
            ("达产后年产值（亿元）", AnnualOutput, EXACT),
            ("就业人数", Jobs, EXACT),
            ("带动就业（人）", Jobs, EXACT),
            ("县（市、区）", Zone, EXACT),
            ("所属开发区", Zone, EXACT),
        ];
        for (raw, field, confidence) in cases {
            assert_eq!(field_of(raw), Some((*field, *confidence)), "{raw}");
        }
        for raw in ["", "备注", "建设地点", "联系电话"] {
            assert_eq!(field_of(raw), None, "{raw}");
        }
    }
}
