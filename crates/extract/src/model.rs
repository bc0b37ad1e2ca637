//! The public vocabulary of a reading: articles, facts, values, units, stages.
//! Owns the shapes and their serde names; no parsing happens here.
//!
//! Every offset is a **char offset** (a count of Unicode scalar values, not bytes)
//! into the text given to [`crate::read`], so that a web page can highlight a span
//! with JavaScript string indices after converting from UTF-16 if needed, and so
//! that Rust callers can use [`Span::slice`].

use serde::{Deserialize, Serialize};

use crate::numbers::Decimal;

/// A half-open range `[start, end)` of char offsets into the input text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// The spanned text of `text` (the same text that was read).
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        let mut indices = text.char_indices().map(|(i, _)| i).chain([text.len()]);
        let start = indices.nth(self.start).unwrap_or(text.len());
        let end = if self.end > self.start {
            indices.nth(self.end - self.start - 1).unwrap_or(text.len())
        } else {
            start
        };
        &text[start..end]
    }
}

/// Everything read from one bulletin.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    pub articles: Vec<Article>,
    pub facts: Vec<Fact>,
}

/// One news item of a bulletin.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// The main title, rejoined when the layout broke it over lines. Empty when
    /// the bulletin printed none (a "continued from" fragment, say).
    pub title: String,
    /// A line above the title that introduces it (引题), e.g. "…调研时强调".
    pub kicker: Option<String>,
    /// A line below the title (副题), e.g. "12个项目总投资18.6亿元".
    pub subtitle: Option<String>,
    /// Zones concerned, canonical names, the main one first.
    pub zones: Vec<String>,
    pub date: Option<ArticleDate>,
    /// The source marker as printed: "本刊讯", "科学导报讯", …
    pub source: Option<String>,
    /// The byline as printed, e.g. "（张越 闫鑫）".
    pub byline: Option<String>,
    pub authors: Vec<String>,
    /// True when the article is the rest of one begun on another page ("上接 D1 版").
    pub continued: bool,
    /// The whole article, headings included.
    pub span: Span,
    /// The body only, without headings and byline.
    pub body_span: Span,
}

/// The date an article gives for its event, as written and as far as it can be
/// normalised. A year the text does not state is inferred from the bulletin
/// (`year_inferred`) or left open.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleDate {
    pub as_written: String,
    pub year: Option<i32>,
    pub month: Option<u8>,
    pub day: Option<u8>,
    /// Last day of a range such as "7月11日-13日".
    pub end_day: Option<u8>,
    pub year_inferred: bool,
    pub span: Span,
}

/// One figure or stage, with where it was read and how sure the reader is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    pub kind: FactKind,
    pub value: Value,
    /// The project the fact belongs to, as named in the article.
    pub project: Option<String>,
    /// The enterprise behind the project, or the enterprise itself when a figure
    /// is about an enterprise with no project named.
    pub investor: Option<String>,
    /// The zone, canonical name.
    pub zone: Option<String>,
    /// What a zone aggregate counts or measures, e.g. "产业类项目", "工业投资".
    pub label: Option<String>,
    pub modality: Modality,
    /// The evidence: trigger word through value, char offsets into the input.
    pub span: Span,
    /// Index into [`Reading::articles`].
    pub article: Option<usize>,
    /// 0..=1: how firmly the rules that fired support the fact.
    pub confidence: f32,
}

/// What a fact states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    /// 总投资 / 项目投资 / 计划总投资
    TotalInvestment,
    /// 年度计划投资
    PlannedInvestment,
    /// 完成投资 / 完成固定资产投资 / 累计完成投资
    CompletedInvestment,
    /// 工业投资 (a zone indicator)
    IndustrialInvestment,
    /// 年产值 / 产值
    AnnualOutput,
    /// 营业收入 / 销售收入
    Revenue,
    /// 规上工业增加值
    ValueAdded,
    /// 利税 / 税收
    Tax,
    /// 进出口
    ImportExport,
    /// 实际利用外资
    ForeignInvestment,
    /// 资金到位
    FundsArrived,
    /// 省外资金 (funds from outside the province, a zone aggregate)
    OutOfProvinceFunds,
    /// 签约额 / 签约金额
    SignedAmount,
    /// 就业 / 用工 / 岗位
    Jobs,
    /// 用地 / 占地 (亩, m²)
    LandArea,
    /// 建筑面积 / 厂房面积 (m²)
    FloorArea,
    /// 年产 / 产能 / 装机
    Capacity,
    /// 栋 / 幢
    BuildingCount,
    /// 分三期建设
    PhaseCount,
    /// N个项目 / 项目N个
    ProjectCount,
    /// N家企业 / 企业N家
    EnterpriseCount,
    /// 同比增长
    GrowthRate,
    /// 压减 / 缩短 / 下降 … %
    ReductionRate,
    /// 开工率
    StartRate,
    /// 资金到位率
    FundsArrivalRate,
    /// 完成率 / 序时进度 / 完成年度目标的N%
    CompletionRate,
    /// 占比 / 比重 / 占…的N%: a part's share of a whole
    Share,
    /// N个工作日 / N天 for an approval or procedure
    ApprovalDuration,
    /// 签约 / 开工 / 竣工 / 投产 / 达产 reached
    Stage,
}

impl FactKind {
    pub const ALL: [FactKind; 29] = [
        FactKind::TotalInvestment,
        FactKind::PlannedInvestment,
        FactKind::CompletedInvestment,
        FactKind::IndustrialInvestment,
        FactKind::AnnualOutput,
        FactKind::Revenue,
        FactKind::ValueAdded,
        FactKind::Tax,
        FactKind::ImportExport,
        FactKind::ForeignInvestment,
        FactKind::FundsArrived,
        FactKind::OutOfProvinceFunds,
        FactKind::SignedAmount,
        FactKind::Jobs,
        FactKind::LandArea,
        FactKind::FloorArea,
        FactKind::Capacity,
        FactKind::BuildingCount,
        FactKind::PhaseCount,
        FactKind::ProjectCount,
        FactKind::EnterpriseCount,
        FactKind::GrowthRate,
        FactKind::ReductionRate,
        FactKind::StartRate,
        FactKind::FundsArrivalRate,
        FactKind::CompletionRate,
        FactKind::Share,
        FactKind::ApprovalDuration,
        FactKind::Stage,
    ];

    /// The snake_case name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            FactKind::TotalInvestment => "total_investment",
            FactKind::PlannedInvestment => "planned_investment",
            FactKind::CompletedInvestment => "completed_investment",
            FactKind::IndustrialInvestment => "industrial_investment",
            FactKind::AnnualOutput => "annual_output",
            FactKind::Revenue => "revenue",
            FactKind::ValueAdded => "value_added",
            FactKind::Tax => "tax",
            FactKind::ImportExport => "import_export",
            FactKind::ForeignInvestment => "foreign_investment",
            FactKind::FundsArrived => "funds_arrived",
            FactKind::OutOfProvinceFunds => "out_of_province_funds",
            FactKind::SignedAmount => "signed_amount",
            FactKind::Jobs => "jobs",
            FactKind::LandArea => "land_area",
            FactKind::FloorArea => "floor_area",
            FactKind::Capacity => "capacity",
            FactKind::BuildingCount => "building_count",
            FactKind::PhaseCount => "phase_count",
            FactKind::ProjectCount => "project_count",
            FactKind::EnterpriseCount => "enterprise_count",
            FactKind::GrowthRate => "growth_rate",
            FactKind::ReductionRate => "reduction_rate",
            FactKind::StartRate => "start_rate",
            FactKind::FundsArrivalRate => "funds_arrival_rate",
            FactKind::CompletionRate => "completion_rate",
            FactKind::Share => "share",
            FactKind::ApprovalDuration => "approval_duration",
            FactKind::Stage => "stage",
        }
    }

    /// Facts about a zone or a batch of projects rather than one project.
    pub fn is_zone_level(self) -> bool {
        matches!(
            self,
            FactKind::IndustrialInvestment
                | FactKind::ValueAdded
                | FactKind::ImportExport
                | FactKind::ForeignInvestment
                | FactKind::SignedAmount
                | FactKind::ProjectCount
                | FactKind::EnterpriseCount
                | FactKind::GrowthRate
                | FactKind::ReductionRate
                | FactKind::StartRate
                | FactKind::FundsArrivalRate
                | FactKind::CompletionRate
                | FactKind::Share
                | FactKind::OutOfProvinceFunds
                | FactKind::ApprovalDuration
        )
    }
}

/// A normalised value: a quantity with its unit, or a project stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Value {
    Quantity(Quantity),
    Stage { stage: Stage },
}

impl Value {
    pub fn quantity(&self) -> Option<&Quantity> {
        match self {
            Value::Quantity(q) => Some(q),
            Value::Stage { .. } => None,
        }
    }
}

/// An exact amount in a base unit. Money is in whole 元 (`amount` is then an
/// integer: 18.6亿元 is "1860000000"); areas in m² or 亩 as written, power in kW.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantity {
    pub amount: Decimal,
    pub unit: Unit,
    pub qualifier: Option<Qualifier>,
    /// The figure as printed, e.g. "约18亿元", "500余人".
    pub as_written: String,
}

impl Quantity {
    /// The amount in whole yuan, for money.
    pub fn yuan(&self) -> Option<i128> {
        (self.unit == Unit::Yuan)
            .then(|| self.amount.to_integer())
            .flatten()
    }
}

/// Base units that values are normalised to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// 元 (from 元, 万元, 亿元, 亿)
    Yuan,
    /// US dollars (美元, 万美元)
    Usd,
    /// 亩
    Mu,
    /// m² (from 平方米, 万平方米, 公顷)
    SquareMetre,
    /// km² (平方公里)
    SquareKilometre,
    /// t (from 吨, 万吨)
    Tonne,
    /// pieces: 只, 件, 台, 套, 辆
    Piece,
    /// kW (from 千瓦, 万千瓦, MW, GW)
    Kilowatt,
    /// kWh (from 千瓦时, 度, MWh, GWh)
    KilowattHour,
    /// m³
    CubicMetre,
    /// 人, 名
    Person,
    /// 个, 项, 家, 批
    Count,
    /// 栋, 幢, 座
    Building,
    /// 期
    Phase,
    /// %
    Percent,
    /// 个百分点
    PercentagePoint,
    /// 个工作日
    WorkingDay,
    /// 天
    Day,
    /// 个月
    Month,
    /// a project stage (value is a [`Stage`])
    Stage,
}

/// How a figure is hedged in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// 约, 大约, 左右
    About,
    /// 余, 多 (a little more than)
    Over,
    /// 以上, 不少于, 至少
    AtLeast,
    /// 突破, 超过, 逾
    Exceeds,
    /// 不到, 不足, 以下, 以内
    Under,
    /// 近, 将近, 接近
    Nearly,
}

/// Project lifecycle stages, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 签约
    Signed,
    /// 开工
    Started,
    /// 竣工 / 建成
    Completed,
    /// 投产 / 投运
    Producing,
    /// 达产 / 达效
    AtCapacity,
}

/// Whether a figure is reported as done, expected, or set as a target.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    #[default]
    Reported,
    /// 预计, 可达, 建成后
    Expected,
    /// 力争, 计划, 目标
    Target,
}
