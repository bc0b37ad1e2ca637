//! The ledger fields a column can be mapped to, their Chinese labels, the kind
//! of value each holds, and the units a column may be measured in. Field codes
//! are the names kfq's store uses for `ProjectInput` and the ledger list, so a
//! saved mapping survives renames of the Chinese labels.

use serde::{Deserialize, Serialize};

/// A column of a key-project ledger (重点项目台账).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// 序号
    Serial,
    /// 开发区 / 县（市、区）: city-level ledgers list several zones in one sheet.
    Zone,
    /// 项目名称
    Name,
    /// 建设单位 / 投资主体 / 项目业主
    Investor,
    /// 项目类别: 产业类 / 基础设施类 / 社会民生
    Category,
    /// 建设性质: 新建 / 续建 / 前期
    Nature,
    /// 项目阶段
    Stage,
    /// 产业链 / 所属产业
    IndustryChain,
    /// 总投资
    TotalInvestment,
    /// 年度计划投资
    PlannedInvestment,
    /// 本年 1-N 月完成投资
    CompletedYtd,
    /// 开工以来累计完成投资
    CompletedCumulative,
    /// 建设内容及规模
    ConstructionContent,
    /// 开工时间
    StartDate,
    /// 投产时间
    ProductionDate,
    /// 包联领导
    Liaison,
    /// 责任单位
    Department,
    /// 进展情况
    Progress,
    /// 存在问题
    Blockers,
    /// 是否入库
    Registered,
    /// 项目代码
    ProjectCode,
    /// 用地面积, in 亩
    LandMu,
    /// 建筑面积, in square metres
    FloorArea,
    /// 达产后年产值
    AnnualOutput,
    /// 达产后年利税
    AnnualTax,
    /// 就业人数
    Jobs,
}

/// What a field's cells hold, which decides how they are parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Money,
    Date,
    Category,
    Nature,
    Stage,
    Flag,
    Code,
    Land,
    Area,
    Count,
}

impl Field {
    pub const ALL: &'static [Field] = &[
        Field::Serial,
        Field::Zone,
        Field::Name,
        Field::Investor,
        Field::Category,
        Field::Nature,
        Field::Stage,
        Field::IndustryChain,
        Field::TotalInvestment,
        Field::PlannedInvestment,
        Field::CompletedYtd,
        Field::CompletedCumulative,
        Field::ConstructionContent,
        Field::StartDate,
        Field::ProductionDate,
        Field::Liaison,
        Field::Department,
        Field::Progress,
        Field::Blockers,
        Field::Registered,
        Field::ProjectCode,
        Field::LandMu,
        Field::FloorArea,
        Field::AnnualOutput,
        Field::AnnualTax,
        Field::Jobs,
    ];

    /// The stable identifier (as serialised).
    pub fn code(self) -> &'static str {
        match self {
            Field::Serial => "serial",
            Field::Zone => "zone",
            Field::Name => "name",
            Field::Investor => "investor",
            Field::Category => "category",
            Field::Nature => "nature",
            Field::Stage => "stage",
            Field::IndustryChain => "industry_chain",
            Field::TotalInvestment => "total_investment",
            Field::PlannedInvestment => "planned_investment",
            Field::CompletedYtd => "completed_ytd",
            Field::CompletedCumulative => "completed_cumulative",
            Field::ConstructionContent => "construction_content",
            Field::StartDate => "start_date",
            Field::ProductionDate => "production_date",
            Field::Liaison => "liaison",
            Field::Department => "department",
            Field::Progress => "progress",
            Field::Blockers => "blockers",
            Field::Registered => "registered",
            Field::ProjectCode => "project_code",
            Field::LandMu => "land_mu",
            Field::FloorArea => "floor_area",
            Field::AnnualOutput => "annual_output",
            Field::AnnualTax => "annual_tax",
            Field::Jobs => "jobs",
        }
    }

    pub fn from_code(code: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.code() == code)
    }

    /// The Chinese name used in messages and on the mapping page.
    pub fn label(self) -> &'static str {
        match self {
            Field::Serial => "序号",
            Field::Zone => "开发区",
            Field::Name => "项目名称",
            Field::Investor => "建设单位",
            Field::Category => "项目类别",
            Field::Nature => "建设性质",
            Field::Stage => "项目阶段",
            Field::IndustryChain => "产业链",
            Field::TotalInvestment => "总投资",
            Field::PlannedInvestment => "年度计划投资",
            Field::CompletedYtd => "本年完成投资",
            Field::CompletedCumulative => "累计完成投资",
            Field::ConstructionContent => "建设内容及规模",
            Field::StartDate => "开工时间",
            Field::ProductionDate => "投产时间",
            Field::Liaison => "包联领导",
            Field::Department => "责任单位",
            Field::Progress => "进展情况",
            Field::Blockers => "存在问题",
            Field::Registered => "是否入库",
            Field::ProjectCode => "项目代码",
            Field::LandMu => "用地面积",
            Field::FloorArea => "建筑面积",
            Field::AnnualOutput => "达产后年产值",
            Field::AnnualTax => "达产后年利税",
            Field::Jobs => "就业人数",
        }
    }

    pub(crate) fn kind(self) -> Kind {
        match self {
            Field::TotalInvestment
            | Field::PlannedInvestment
            | Field::CompletedYtd
            | Field::CompletedCumulative
            | Field::AnnualOutput
            | Field::AnnualTax => Kind::Money,
            Field::StartDate | Field::ProductionDate => Kind::Date,
            Field::Category => Kind::Category,
            Field::Nature => Kind::Nature,
            Field::Stage => Kind::Stage,
            Field::Registered => Kind::Flag,
            Field::ProjectCode => Kind::Code,
            Field::LandMu => Kind::Land,
            Field::FloorArea => Kind::Area,
            Field::Jobs => Kind::Count,
            _ => Kind::Text,
        }
    }

    /// Whether the value is a quantity. A quantity in a cell merged down over
    /// several rows belongs to the first row only: copying it down would count
    /// it once per row.
    pub(crate) fn is_quantity(self) -> bool {
        matches!(
            self.kind(),
            Kind::Money | Kind::Land | Kind::Area | Kind::Count
        )
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A unit a column or a cell is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// 元
    Yuan,
    /// 万元
    Wan,
    /// 亿元
    Yi,
    /// 亩
    Mu,
    /// 公顷 (15 亩)
    Hectare,
    /// 平方米
    SquareMetre,
    /// 万平方米
    WanSquareMetre,
    /// 人 / 个 (counts)
    Person,
}

impl Unit {
    pub fn label(self) -> &'static str {
        match self {
            Unit::Yuan => "元",
            Unit::Wan => "万元",
            Unit::Yi => "亿元",
            Unit::Mu => "亩",
            Unit::Hectare => "公顷",
            Unit::SquareMetre => "平方米",
            Unit::WanSquareMetre => "万平方米",
            Unit::Person => "人",
        }
    }

    pub fn is_money(self) -> bool {
        matches!(self, Unit::Yuan | Unit::Wan | Unit::Yi)
    }

    pub fn is_area(self) -> bool {
        matches!(
            self,
            Unit::Mu | Unit::Hectare | Unit::SquareMetre | Unit::WanSquareMetre
        )
    }

    /// Yuan in one of this unit (money units only).
    pub(crate) fn yuan_exponent(self) -> Option<u32> {
        match self {
            Unit::Yuan => Some(0),
            Unit::Wan => Some(4),
            Unit::Yi => Some(8),
            _ => None,
        }
    }

    /// Whether a column of `field` can be measured in this unit.
    pub(crate) fn fits(self, field: Field) -> bool {
        match field.kind() {
            Kind::Money => self.is_money(),
            Kind::Land | Kind::Area => self.is_area(),
            Kind::Count => self == Unit::Person,
            _ => false,
        }
    }
}

/// Spreadsheet column letters: 0 → "A", 25 → "Z", 26 → "AA".
pub fn column_letter(index: u32) -> String {
    let mut n = index as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push((b'A' + rem) as char);
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// A column's letters as spreadsheets show them ("A", "AB", up to Excel's
/// last, "XFD"), held in place: a 100,000-row ledger's cells name over a
/// million columns, each a heap allocation as a `String`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Letters {
    len: u8,
    bytes: [u8; 3],
}

impl Letters {
    /// "ZZZ", the last column three letters name.
    pub const LAST: Letters = Letters {
        len: 3,
        bytes: *b"ZZZ",
    };

    /// The letters of the column at `index` (from 0); `None` beyond "ZZZ",
    /// past any spreadsheet's last column.
    pub fn of(index: u32) -> Option<Letters> {
        Letters::parse(&column_letter(index))
    }

    /// One to three capital letters; `None` for anything else.
    pub fn parse(text: &str) -> Option<Letters> {
        let len = text.len();
        if !(1..=3).contains(&len) || !text.bytes().all(|b| b.is_ascii_uppercase()) {
            return None;
        }
        let mut bytes = [0; 3];
        bytes[..len].copy_from_slice(text.as_bytes());
        Some(Letters {
            len: len as u8,
            bytes,
        })
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII capitals are ever stored.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl std::fmt::Display for Letters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Letters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl PartialEq<str> for Letters {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Letters {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for Letters {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Letters {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Letters::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not column letters: {text:?}")))
    }
}

/// The inverse of [`column_letter`]; `None` for anything but letters.
pub fn column_index(letters: &str) -> Option<u32> {
    let letters = letters.trim();
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut n: u32 = 0;
    for c in letters.chars() {
        if !c.is_ascii_alphabetic() {
            return None;
        }
        n = n * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1);
    }
    Some(n - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_match_serde() {
        for field in Field::ALL {
            assert_eq!(Field::from_code(field.code()), Some(*field));
            let json = serde_json::to_string(field).unwrap();
            assert_eq!(json, format!("\"{}\"", field.code()));
        }
        assert_eq!(Field::ALL.len(), 26);
    }

    #[test]
    fn letters_are_held_in_place_and_read_as_text() {
        for index in [0, 25, 26, 701, 702, 16_383, 18_277] {
            let letters = Letters::of(index).unwrap();
            assert_eq!(letters.as_str(), column_letter(index));
            assert_eq!(column_index(letters.as_str()), Some(index));
            let json = serde_json::to_string(&letters).unwrap();
            assert_eq!(json, format!("\"{}\"", column_letter(index)));
            assert_eq!(serde_json::from_str::<Letters>(&json).unwrap(), letters);
        }
        assert_eq!(Letters::of(18_278), None);
        assert_eq!(Letters::of(16_383).unwrap(), "XFD");
        for bad in ["", "a", "A1", "ABCD", "甲"] {
            assert_eq!(Letters::parse(bad), None, "{bad}");
            assert!(serde_json::from_str::<Letters>(&format!("{bad:?}")).is_err());
        }
    }

    #[test]
    fn column_letters() {
        let cases = [
            (0, "A"),
            (3, "D"),
            (25, "Z"),
            (26, "AA"),
            (27, "AB"),
            (701, "ZZ"),
            (702, "AAA"),
        ];
        for (index, letters) in cases {
            assert_eq!(column_letter(index), letters);
            assert_eq!(column_index(letters), Some(index));
        }
        assert_eq!(column_index("d"), Some(3));
        assert_eq!(column_index("D1"), None);
        assert_eq!(column_index(""), None);
    }
}
