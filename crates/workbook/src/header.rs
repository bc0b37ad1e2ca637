//! Header matching: from the text of a header cell (or of a two-row header,
//! parent and child joined) to a ledger field with a confidence, plus what the
//! header says about units ("总投资（亿元）"), the year ("2023年计划投资") and the
//! months covered ("1-6月完成投资"). Also the catalogue of known header
//! variants shown on the page where users confirm a mapping.

use std::sync::OnceLock;

use serde::Serialize;

use crate::field::{Field, Unit};
use crate::text::{chinese_numeral, compact, one_line};

/// Confidence when the header, stripped of units, years and month ranges, is a
/// known variant.
pub const EXACT: u8 = 100;
/// Confidence when the header contains a distinctive key word of the field.
pub const LIKELY: u8 = 80;
/// Confidence when the header only resembles the field.
pub const GUESS: u8 = 60;

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

/// What a header cell says, taken apart.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct HeaderText {
    /// As shown, on one line.
    pub shown: String,
    /// Without blanks, units, year and month range: what is matched.
    pub core: String,
    pub unit: Option<Unit>,
    pub year: Option<i32>,
    /// Months covered, e.g. (1, 6) for "1-6月".
    pub months: Option<(u8, u8)>,
}

/// A field proposed for a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Match {
    pub field: Field,
    pub confidence: u8,
}

/// Unit words, longest first so "万平方米" is not read as "平方米".
const UNIT_WORDS: &[(&str, Unit)] = &[
    ("万平方米", Unit::WanSquareMetre),
    ("万平米", Unit::WanSquareMetre),
    ("万㎡", Unit::WanSquareMetre),
    ("万m2", Unit::WanSquareMetre),
    ("万m²", Unit::WanSquareMetre),
    ("平方米", Unit::SquareMetre),
    ("平米", Unit::SquareMetre),
    ("㎡", Unit::SquareMetre),
    ("m2", Unit::SquareMetre),
    ("m²", Unit::SquareMetre),
    ("公顷", Unit::Hectare),
    ("亿元", Unit::Yi),
    ("万元", Unit::Wan),
    ("亿", Unit::Yi),
    ("万", Unit::Wan),
    ("元", Unit::Yuan),
    ("亩", Unit::Mu),
    ("人", Unit::Person),
    ("个", Unit::Person),
];

/// The unit a short text names exactly ("万元", "单位:亿元", "亩").
pub(crate) fn unit_word(text: &str) -> Option<Unit> {
    let t = compact(text);
    let t = t
        .trim_start_matches("金额")
        .trim_start_matches("计量")
        .trim_start_matches("单位")
        .trim_start_matches(':');
    UNIT_WORDS.iter().find(|(w, _)| *w == t).map(|(_, u)| *u)
}

pub(crate) fn parse_header(raw: &str) -> HeaderText {
    let shown = one_line(raw);
    let mut text = compact(raw);
    text.retain(|c| !matches!(c, '*' | '★' | '※' | '△' | '▲'));

    // Bracketed parts are units or remarks ("(是/否)", "(年月)"): the unit is
    // kept, the rest is not part of what the header means.
    let mut unit = None;
    let mut core = String::new();
    let mut depth = 0;
    let mut inner = String::new();
    for c in text.chars() {
        match c {
            '(' | '[' => {
                depth += 1;
                if depth == 1 {
                    inner.clear();
                    continue;
                }
            }
            ')' | ']' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    if unit.is_none() {
                        unit = unit_in(&inner);
                    }
                    continue;
                }
            }
            _ => {}
        }
        if depth > 0 {
            inner.push(c);
        } else {
            core.push(c);
        }
    }
    if depth > 0 {
        // An unclosed bracket: keep the text, it is not a remark.
        core.push('(');
        core.push_str(&inner);
    }

    // "总投资/亿元", "总投资:万元", "总投资万元", "单位:万元".
    for (word, u) in UNIT_WORDS {
        if matches!(u, Unit::Person) {
            continue;
        }
        for sep in ["/", ":", "单位:", "单位", ""] {
            // Stripped in two steps: this runs for every text cell of every
            // row, and building "{sep}{word}" each time was most of the cost.
            let stripped = core.strip_suffix(word).and_then(|s| s.strip_suffix(sep));
            if let Some(stripped) = stripped {
                let bare_unit_ok = !sep.is_empty() || word.chars().count() >= 2;
                if !stripped.is_empty() && bare_unit_ok {
                    unit = unit.or(Some(*u));
                    core = stripped.trim_end_matches(['/', ':', ',']).to_string();
                }
            }
        }
    }

    let (core, year) = take_year(&core);
    let (core, months) = take_months(&core);
    HeaderText {
        shown,
        core,
        unit,
        year,
        months,
    }
}

/// A unit named inside brackets: "(万元)", "(单位:亿元)", "(亩)".
fn unit_in(inner: &str) -> Option<Unit> {
    let t = inner
        .rsplit(':')
        .next()
        .unwrap_or(inner)
        .trim_start_matches("单位");
    UNIT_WORDS
        .iter()
        .find(|(w, _)| *w == t)
        .map(|(_, u)| *u)
        .or_else(|| unit_word(inner))
}

/// Removes "2023年" / "2023年度" and returns the year.
pub(crate) fn take_year(core: &str) -> (String, Option<i32>) {
    let chars: Vec<char> = core.chars().collect();
    for i in 0..chars.len() {
        if i + 4 < chars.len()
            && chars[i..i + 4].iter().all(|c| c.is_ascii_digit())
            && chars[i + 4] == '年'
            && (i == 0 || !chars[i - 1].is_ascii_digit())
        {
            let year: i32 = match chars[i..i + 4].iter().collect::<String>().parse() {
                Ok(year) if (1990..=2100).contains(&year) => year,
                _ => continue,
            };
            let mut end = i + 5;
            if chars.get(end) == Some(&'度') {
                end += 1;
            }
            let rest: String = chars[..i].iter().chain(&chars[end..]).collect();
            return (rest, Some(year));
        }
    }
    (core.to_string(), None)
}

/// Removes a month range ("1-6月", "1至6月份", "截至6月底", "上半年", "一季度",
/// "前三季度") and returns it.
pub(crate) fn take_months(core: &str) -> (String, Option<(u8, u8)>) {
    let chars: Vec<char> = core.chars().collect();
    let n = chars.len();
    let num_at = |i: usize| -> Option<(u8, usize)> {
        let mut j = i;
        while j < n && chars[j].is_ascii_digit() && j - i < 2 {
            j += 1;
        }
        if j == i {
            return None;
        }
        let v: u8 = chars[i..j].iter().collect::<String>().parse().ok()?;
        Some((v, j))
    };
    let cut =
        |from: usize, to: usize| -> String { chars[..from].iter().chain(&chars[to..]).collect() };
    for i in 0..n {
        if i > 0 && chars[i - 1].is_ascii_digit() {
            continue;
        }
        if let Some((a, j)) = num_at(i) {
            if j < n && matches!(chars[j], '-' | '~' | '至' | '到') {
                if let Some((b, k)) = num_at(j + 1) {
                    if k < n && chars[k] == '月' && (1..=12).contains(&a) && (a..=12).contains(&b)
                    {
                        let mut end = k + 1;
                        if chars.get(end) == Some(&'份') {
                            end += 1;
                        }
                        return (cut(i, end), Some((a, b)));
                    }
                }
            }
        }
    }
    for prefix in ["截至", "截止", "截止到", "至"] {
        let p: Vec<char> = prefix.chars().collect();
        for i in 0..n.saturating_sub(p.len()) {
            if chars[i..i + p.len()] == p[..] {
                if let Some((m, j)) = num_at(i + p.len()) {
                    if j < n && chars[j] == '月' && (1..=12).contains(&m) {
                        let mut end = j + 1;
                        while end < n && matches!(chars[end], '底' | '末' | '份') {
                            end += 1;
                        }
                        return (cut(i, end), Some((1, m)));
                    }
                }
            }
        }
    }
    let text: String = chars.iter().collect();
    for (word, months) in [
        ("前三季度", (1, 9)),
        ("上半年", (1, 6)),
        ("一季度", (1, 3)),
        ("1季度", (1, 3)),
        ("第一季度", (1, 3)),
    ] {
        if let Some(pos) = text.find(word) {
            let mut rest = text.clone();
            rest.replace_range(pos..pos + word.len(), "");
            let rest = rest.trim_start_matches('第').to_string();
            return (rest, Some(months));
        }
    }
    (text, None)
}

fn contains_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// Proposes a field for a header. `None` when nothing fits.
pub(crate) fn classify(header: &HeaderText) -> Option<Match> {
    let core = header.core.as_str();
    if core.is_empty() {
        return None;
    }
    if let Some(field) = exact(core) {
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
    let this_year = header.year.is_some()
        || header.months.is_some()
        || contains_any(core, &["本年", "今年", "当年", "年度", "本月"]);

    if core.contains("序号") {
        return likely(Field::Serial);
    }
    if contains_any(core, &["代码", "项目编码", "备案号"]) {
        return likely(Field::ProjectCode);
    }
    if contains_any(core, &["入库", "纳统", "入统", "纳入统计"]) {
        return likely(Field::Registered);
    }
    if core.contains("项目名称") {
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
    if core.contains("领导") {
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
    if core.contains("性质") || (core.contains("新建") && core.contains("续建")) {
        return likely(Field::Nature);
    }
    if contains_any(core, &["阶段", "状态"]) {
        return likely(Field::Stage);
    }
    let dated = contains_any(core, &["时间", "日期", "年月", "节点"]);
    if core.contains("开工") && dated {
        return likely(Field::StartDate);
    }
    if core.contains("投产") && dated {
        return likely(Field::ProductionDate);
    }
    if contains_any(core, &["竣工", "建成", "完工"]) && dated {
        return guess(Field::ProductionDate);
    }
    if core.contains("建筑面积") {
        return likely(Field::FloorArea);
    }
    if contains_any(core, &["用地", "占地", "土地面积"]) {
        return likely(Field::LandMu);
    }
    if core.contains("面积") {
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
    if core.contains("总投资") || core.contains("投资总额") {
        return likely(Field::TotalInvestment);
    }
    if contains_any(core, &["开工以来", "开工累计", "自开工"]) {
        return likely(Field::CompletedCumulative);
    }
    if core.contains("累计") && !this_year {
        return likely(Field::CompletedCumulative);
    }
    if core.contains("完成") {
        return if this_year {
            likely(Field::CompletedYtd)
        } else {
            guess(Field::CompletedYtd)
        };
    }
    if core.contains("计划") {
        return likely(Field::PlannedInvestment);
    }
    if core.contains("投资") {
        return if this_year {
            guess(Field::PlannedInvestment)
        } else {
            guess(Field::TotalInvestment)
        };
    }
    if core.contains("名称") {
        return guess(Field::Name);
    }
    None
}

fn exact(core: &str) -> Option<Field> {
    // The variants are matched by their core, computed once.
    static CORES: OnceLock<Vec<(String, Field)>> = OnceLock::new();
    CORES
        .get_or_init(|| {
            VARIANTS
                .iter()
                .flat_map(|(field, variants)| {
                    variants.iter().map(|v| (parse_header(v).core, *field))
                })
                .collect()
        })
        .iter()
        .find(|(c, _)| c == core)
        .map(|(_, f)| *f)
}

/// A section number at the start of a text: "一、", "（二）", "三.", "第四部分".
pub(crate) fn section_number(text: &str) -> Option<u32> {
    let t = compact(text);
    let t = t.trim_start_matches('(');
    let t = t.strip_prefix('第').unwrap_or(t);
    let numeral: String = t
        .chars()
        .take_while(|c| "零一二三四五六七八九十".contains(*c))
        .collect();
    if numeral.is_empty() {
        return None;
    }
    let rest = &t[numeral.len()..];
    let follows = rest.starts_with(['、', '.', ')', ',', '，'])
        || rest.starts_with("部分")
        || rest.starts_with("类")
        || rest.starts_with("批");
    if follows {
        chinese_numeral(&numeral)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn headers_carry_units_years_and_months() {
        type Case<'a> = (&'a str, Option<Unit>, Option<i32>, Option<(u8, u8)>);
        let cases: &[Case] = &[
            ("总投资（亿元）", Some(Unit::Yi), None, None),
            ("总投资(万元)", Some(Unit::Wan), None, None),
            ("总投资（单位：万元）", Some(Unit::Wan), None, None),
            ("总投资/亿元", Some(Unit::Yi), None, None),
            ("总投资万元", Some(Unit::Wan), None, None),
            ("用地面积（亩）", Some(Unit::Mu), None, None),
            ("建筑面积(㎡)", Some(Unit::SquareMetre), None, None),
            (
                "建筑面积（万平方米）",
                Some(Unit::WanSquareMetre),
                None,
                None,
            ),
            ("2023年计划投资", None, Some(2023), None),
            (
                "2023年度计划投资（万元）",
                Some(Unit::Wan),
                Some(2023),
                None,
            ),
            ("1-6月完成投资", None, None, Some((1, 6))),
            ("2024年1至9月份完成投资", None, Some(2024), Some((1, 9))),
            ("截至6月底完成投资", None, None, Some((1, 6))),
            ("上半年完成投资", None, None, Some((1, 6))),
            ("前三季度完成投资", None, None, Some((1, 9))),
        ];
        for (raw, unit, year, months) in cases {
            let h = parse_header(raw);
            assert_eq!((h.unit, h.year, h.months), (*unit, *year, *months), "{raw}");
        }
        assert_eq!(
            parse_header("总 投 资\n（亿元）").shown,
            "总 投 资 （亿元）"
        );
        assert_eq!(parse_header("2023年1-6月完成投资（万元）").core, "完成投资");
    }

    #[test]
    fn unit_words() {
        assert_eq!(unit_word("万元"), Some(Unit::Wan));
        assert_eq!(unit_word("单位：亿元"), Some(Unit::Yi));
        assert_eq!(unit_word("金额单位:万元"), Some(Unit::Wan));
        assert_eq!(unit_word("万元以上"), None);
    }

    #[test]
    fn section_numbers() {
        let cases = [
            ("一、产业类项目", Some(1)),
            ("（二）续建项目", Some(2)),
            ("三.社会民生", Some(3)),
            ("第四部分", Some(4)),
            ("十二、其他", Some(12)),
            ("一期工程", None),
            ("年产百万吨公路护栏项目", None),
        ];
        for (t, n) in cases {
            assert_eq!(section_number(t), n, "{t}");
        }
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
