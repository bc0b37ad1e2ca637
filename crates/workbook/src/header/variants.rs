//! The header variants known for each field, and the exact match of a header against them.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use super::parse_header;
use crate::field::Field;

/// The header variants known for each field, as people write them. Matching
/// ignores blanks, bracket width, units in brackets, a leading year and a
/// month range, so "2023年1-6月完成投资（万元）" is the variant "完成投资".
const VARIANTS: &[(Field, &[&str])] = &[
    (Field::Serial, &["序号", "编号", "序"]),
    (
        Field::Zone,
        &[
            "开发区",
            "开发区名称",
            "所属开发区",
            "园区",
            "所属园区",
            "园区名称",
            "县(市、区)",
            "县(市,区)",
            "县市区",
            "县区",
            "区县",
            "所属区域",
        ],
    ),
    (
        Field::Name,
        &["项目名称", "项目", "名称", "重点项目名称", "项目全称"],
    ),
    (
        Field::Investor,
        &[
            "建设单位",
            "投资主体",
            "项目业主",
            "实施主体",
            "投资单位",
            "业主单位",
            "项目单位",
            "建设主体",
            "项目法人",
            "投资方",
            "投资企业",
            "企业名称",
            "实施单位",
            "项目建设单位",
        ],
    ),
    (
        Field::Category,
        &["项目类别", "类别", "项目类型", "类型", "项目分类"],
    ),
    (
        Field::Nature,
        &[
            "建设性质",
            "项目性质",
            "性质",
            "新建/续建",
            "新建续建",
            "新建或续建",
        ],
    ),
    (
        Field::Stage,
        &[
            "项目阶段",
            "所处阶段",
            "建设阶段",
            "当前阶段",
            "项目状态",
            "建设状态",
        ],
    ),
    (
        Field::IndustryChain,
        &[
            "产业类别",
            "所属产业",
            "产业链",
            "所属产业链",
            "产业领域",
            "所属行业",
            "行业",
            "产业方向",
            "行业类别",
        ],
    ),
    (
        Field::TotalInvestment,
        &[
            "总投资",
            "计划总投资",
            "项目总投资",
            "总投资额",
            "投资总额",
            "估算总投资",
        ],
    ),
    (
        Field::PlannedInvestment,
        &[
            "年度计划投资",
            "计划投资",
            "本年计划投资",
            "年计划投资",
            "投资计划",
            "年度投资计划",
            "当年计划投资",
            "计划完成投资",
            "年度计划",
        ],
    ),
    (
        Field::CompletedYtd,
        &[
            "完成投资",
            "本年累计完成",
            "本年累计完成投资",
            "本年完成投资",
            "年度完成投资",
            "今年完成投资",
            "当年完成投资",
            "完成",
            "实际完成投资",
        ],
    ),
    (
        Field::CompletedCumulative,
        &[
            "累计完成投资",
            "开工累计完成投资",
            "开工以来累计完成投资",
            "累计完成",
            "累计投资",
            "自开工累计完成投资",
            "开工累计完成",
        ],
    ),
    (
        Field::ConstructionContent,
        &[
            "建设内容及规模",
            "建设内容",
            "建设规模及内容",
            "建设规模",
            "主要建设内容",
        ],
    ),
    (
        Field::StartDate,
        &[
            "开工时间",
            "计划开工时间",
            "开工日期",
            "实际开工时间",
            "开工年月",
            "开工",
        ],
    ),
    (
        Field::ProductionDate,
        &[
            "投产时间",
            "计划投产时间",
            "竣工投产时间",
            "投产日期",
            "预计投产时间",
            "投产",
        ],
    ),
    (
        Field::Liaison,
        &[
            "包联领导",
            "责任领导",
            "分管领导",
            "包抓领导",
            "联系领导",
            "县级包联领导",
        ],
    ),
    (
        Field::Department,
        &[
            "责任单位",
            "责任部门",
            "牵头单位",
            "主管部门",
            "包联单位",
            "责任科室",
        ],
    ),
    (
        Field::Progress,
        &[
            "进展情况",
            "形象进度",
            "项目进展",
            "目前进展",
            "工程进度",
            "建设进度",
            "推进情况",
        ],
    ),
    (
        Field::Blockers,
        &[
            "存在问题",
            "困难问题",
            "需协调解决的问题",
            "存在的问题",
            "存在困难和问题",
            "需协调解决问题",
            "堵点问题",
        ],
    ),
    (
        Field::Registered,
        &[
            "是否入库",
            "入库情况",
            "是否纳统",
            "是否入统",
            "是否纳入统计",
        ],
    ),
    (
        Field::ProjectCode,
        &[
            "项目代码",
            "项目编码",
            "统一项目代码",
            "投资项目代码",
            "备案代码",
        ],
    ),
    (
        Field::LandMu,
        &[
            "用地",
            "用地面积",
            "占地面积",
            "占地",
            "用地规模",
            "土地面积",
        ],
    ),
    (Field::FloorArea, &["建筑面积", "总建筑面积"]),
    (
        Field::AnnualOutput,
        &["达产后年产值", "年产值", "预计年产值", "达产年产值", "产值"],
    ),
    (
        Field::AnnualTax,
        &["达产后年利税", "年利税", "利税", "预计年利税", "年税收"],
    ),
    (
        Field::Jobs,
        &[
            "就业人数",
            "新增就业",
            "带动就业",
            "吸纳就业",
            "就业",
            "用工人数",
        ],
    ),
];

/// The header variants known for one field, for the mapping page.
#[derive(Debug, Clone, Serialize)]
pub struct HeaderVariants {
    pub field: Field,
    pub label: &'static str,
    pub variants: &'static [&'static str],
}

/// Every field with the header texts recognised as exactly that field. Matching
/// also accepts these with units, years and month ranges around them, and
/// headers that merely contain a key word (with a lower confidence).
pub fn header_variants() -> Vec<HeaderVariants> {
    VARIANTS
        .iter()
        .map(|(field, variants)| HeaderVariants {
            field: *field,
            label: field.label(),
            variants,
        })
        .collect()
}

/// The variants' cores and the field of each, computed once, with the
/// longest core's length.
fn cores() -> &'static (HashMap<String, Field>, usize) {
    static CORES: OnceLock<(HashMap<String, Field>, usize)> = OnceLock::new();
    CORES.get_or_init(|| {
        let mut cores = HashMap::new();
        for (field, variants) in VARIANTS {
            for v in *variants {
                cores.entry(parse_header(v).core).or_insert(*field);
            }
        }
        let longest = cores.keys().map(String::len).max().unwrap_or(0);
        (cores, longest)
    })
}

/// Every variant's core: what [`exact`] matches.
pub(super) fn variant_cores() -> impl Iterator<Item = &'static str> {
    cores().0.keys().map(String::as_str)
}

pub(super) fn exact(core: &str) -> Option<Field> {
    // The variants are matched by their core.
    // Looked up for every text cell of every row: a map, not a scan. The
    // first variant with a core wins, as a scan in order would have it.
    // Most cells asked about are longer than any variant: answered without
    // hashing them.
    let (cores, longest) = cores();
    match core.len() > *longest {
        true => None,
        false => cores.get(core).copied(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{classify, EXACT};
    use super::*;

    fn field_of(raw: &str) -> Option<(Field, u8)> {
        classify(&parse_header(raw)).map(|m| (m.field, m.confidence))
    }

    #[test]
    fn every_variant_matches_its_own_field() {
        for entry in header_variants() {
            for v in entry.variants {
                assert_eq!(field_of(v), Some((entry.field, EXACT)), "{v}");
            }
        }
    }
}
