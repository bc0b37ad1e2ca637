//! The columns of a 招商项目台账 and how their headers are recognised. Zones
//! name them in many ways ("投资方" / "客商名称" / "签约企业"; "签约额" /
//! "协议投资额"), often under a parent header ("签约情况 / 时间"): a header
//! is matched on its words, the more specific rules first, so that
//! "投资方所在地" is a place and not the investor.

use serde::{Deserialize, Serialize};

use crate::header::parse_header;
use crate::text::compact;

/// A column of a 招商项目台账.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadField {
    /// 序号
    Serial,
    /// 所属开发区: the zone is the one chosen, the column is not read
    Zone,
    /// 项目名称
    Name,
    /// 投资方 / 客商 / 签约企业
    Investor,
    /// 统一社会信用代码 (of the investor)
    CreditCode,
    /// 投资方所在地 / 来源地: a province, city or country
    Place,
    /// 省内/省外/境外, or 是否省外
    Origin,
    /// 所属产业 / 产业链
    Industry,
    /// 投资额 / 计划总投资
    Investment,
    /// 签约额 / 协议投资额
    SignedAmount,
    /// 签约时间
    SignedOn,
    /// 协议类型: 框架协议 / 正式合同
    Agreement,
    /// 项目阶段 / 项目状态
    Stage,
    /// 进展情况 / 洽谈进展
    Progress,
    /// 项目来源 / 招商方式
    Source,
    /// 引荐人 / 信息提供人
    Referrer,
    /// 负责人 / 对接人 / 包联领导
    Owner,
    /// 招商专班 / 责任单位
    TaskForce,
    /// 用地面积, in 亩
    Land,
    /// 预计年产值
    Output,
    /// 预计年税收
    Tax,
    /// 带动就业
    Jobs,
    /// 年综合能耗, tonnes of standard coal
    Energy,
    /// 登记日期: when the lead came in
    RegisteredOn,
    /// 最近跟进: the last follow-up
    LastTouch,
    /// 开工时间
    StartedOn,
    /// 投产时间
    ProducedOn,
    /// 注册企业 (the enterprise registered for the project)
    Enterprise,
    /// 注册企业的统一社会信用代码
    EnterpriseCode,
    /// 建设内容 / 项目简介
    Content,
    /// 到位资金: recorded month by month, not from this sheet
    Funds,
    /// 备注
    Note,
}

impl LeadField {
    pub const ALL: &'static [LeadField] = &[
        LeadField::Serial,
        LeadField::Zone,
        LeadField::Name,
        LeadField::Investor,
        LeadField::CreditCode,
        LeadField::Place,
        LeadField::Origin,
        LeadField::Industry,
        LeadField::Investment,
        LeadField::SignedAmount,
        LeadField::SignedOn,
        LeadField::Agreement,
        LeadField::Stage,
        LeadField::Progress,
        LeadField::Source,
        LeadField::Referrer,
        LeadField::Owner,
        LeadField::TaskForce,
        LeadField::Land,
        LeadField::Output,
        LeadField::Tax,
        LeadField::Jobs,
        LeadField::Energy,
        LeadField::RegisteredOn,
        LeadField::LastTouch,
        LeadField::StartedOn,
        LeadField::ProducedOn,
        LeadField::Enterprise,
        LeadField::EnterpriseCode,
        LeadField::Content,
        LeadField::Funds,
        LeadField::Note,
    ];

    /// The stable identifier (as serialised).
    pub fn code(self) -> &'static str {
        match self {
            LeadField::Serial => "serial",
            LeadField::Zone => "zone",
            LeadField::Name => "name",
            LeadField::Investor => "investor",
            LeadField::CreditCode => "credit_code",
            LeadField::Place => "place",
            LeadField::Origin => "origin",
            LeadField::Industry => "industry",
            LeadField::Investment => "investment",
            LeadField::SignedAmount => "signed_amount",
            LeadField::SignedOn => "signed_on",
            LeadField::Agreement => "agreement",
            LeadField::Stage => "stage",
            LeadField::Progress => "progress",
            LeadField::Source => "source",
            LeadField::Referrer => "referrer",
            LeadField::Owner => "owner",
            LeadField::TaskForce => "task_force",
            LeadField::Land => "land",
            LeadField::Output => "output",
            LeadField::Tax => "tax",
            LeadField::Jobs => "jobs",
            LeadField::Energy => "energy",
            LeadField::RegisteredOn => "registered_on",
            LeadField::LastTouch => "last_touch",
            LeadField::StartedOn => "started_on",
            LeadField::ProducedOn => "produced_on",
            LeadField::Enterprise => "enterprise",
            LeadField::EnterpriseCode => "enterprise_code",
            LeadField::Content => "content",
            LeadField::Funds => "funds",
            LeadField::Note => "note",
        }
    }

    pub fn from_code(code: &str) -> Option<LeadField> {
        LeadField::ALL.iter().copied().find(|f| f.code() == code)
    }

    /// The Chinese name, for messages and the mapping form.
    pub fn label(self) -> &'static str {
        match self {
            LeadField::Serial => "序号",
            LeadField::Zone => "所属开发区",
            LeadField::Name => "项目名称",
            LeadField::Investor => "投资方",
            LeadField::CreditCode => "投资方统一社会信用代码",
            LeadField::Place => "投资方所在地",
            LeadField::Origin => "省内/省外/境外",
            LeadField::Industry => "所属产业",
            LeadField::Investment => "投资额",
            LeadField::SignedAmount => "签约额",
            LeadField::SignedOn => "签约时间",
            LeadField::Agreement => "协议类型",
            LeadField::Stage => "项目阶段",
            LeadField::Progress => "进展情况",
            LeadField::Source => "项目来源",
            LeadField::Referrer => "引荐人",
            LeadField::Owner => "负责人",
            LeadField::TaskForce => "招商专班",
            LeadField::Land => "用地面积",
            LeadField::Output => "预计年产值",
            LeadField::Tax => "预计年税收",
            LeadField::Jobs => "带动就业",
            LeadField::Energy => "年综合能耗",
            LeadField::RegisteredOn => "登记日期",
            LeadField::LastTouch => "最近跟进",
            LeadField::StartedOn => "开工时间",
            LeadField::ProducedOn => "投产时间",
            LeadField::Enterprise => "注册企业",
            LeadField::EnterpriseCode => "注册企业信用代码",
            LeadField::Content => "建设内容",
            LeadField::Funds => "到位资金",
            LeadField::Note => "备注",
        }
    }

    /// Measured in money (a unit applies).
    pub fn is_money(self) -> bool {
        matches!(
            self,
            LeadField::Investment
                | LeadField::SignedAmount
                | LeadField::Output
                | LeadField::Tax
                | LeadField::Funds
        )
    }
}

/// What a header's words must hold for a field: any of `exact`, or one of
/// `any` together with one of `with` (when `with` is not empty).
struct Rule {
    field: LeadField,
    exact: &'static [&'static str],
    any: &'static [&'static str],
    with: &'static [&'static str],
}

const DATE: &[&str] = &["时间", "日期", "年月"];

/// In order: the first rule that matches decides.
const RULES: &[Rule] = &[
    Rule {
        field: LeadField::Serial,
        exact: &["序号", "序", "编号", "no", "no."],
        any: &[],
        with: &[],
    },
    Rule {
        field: LeadField::Zone,
        exact: &["开发区", "园区", "县区", "县(市、区)", "县(市区)"],
        any: &[
            "所属开发区",
            "所在开发区",
            "所属园区",
            "所在园区",
            "开发区名称",
        ],
        with: &[],
    },
    Rule {
        field: LeadField::LastTouch,
        exact: &[],
        any: &[
            "最近跟进",
            "最近对接",
            "最新对接",
            "最后跟进",
            "跟进日期",
            "跟进时间",
            "最近一次",
        ],
        with: &[],
    },
    Rule {
        field: LeadField::RegisteredOn,
        exact: &[],
        any: &[
            "登记",
            "接洽",
            "首次对接",
            "对接时间",
            "入库时间",
            "收集时间",
            "首谈时间",
            "获取时间",
        ],
        with: DATE,
    },
    Rule {
        field: LeadField::EnterpriseCode,
        exact: &[],
        any: &["注册企业", "落地企业", "项目公司"],
        with: &["代码"],
    },
    Rule {
        field: LeadField::CreditCode,
        exact: &[],
        any: &["信用代码", "社会代码"],
        with: &[],
    },
    Rule {
        field: LeadField::SignedOn,
        exact: &[],
        any: &["签约", "签订", "协议签"],
        with: DATE,
    },
    Rule {
        field: LeadField::StartedOn,
        exact: &[],
        any: &["开工"],
        with: DATE,
    },
    Rule {
        field: LeadField::ProducedOn,
        exact: &[],
        any: &["投产", "竣工"],
        with: DATE,
    },
    Rule {
        field: LeadField::Funds,
        exact: &[],
        any: &["到位", "到资"],
        with: &[],
    },
    Rule {
        field: LeadField::SignedAmount,
        exact: &[],
        any: &[
            "签约额",
            "签约金额",
            "签约投资",
            "签约资金",
            "协议投资",
            "协议金额",
            "合同金额",
            "合同投资",
            "合同额",
        ],
        with: &[],
    },
    Rule {
        field: LeadField::SignedAmount,
        exact: &[],
        any: &["签约", "协议", "合同"],
        with: &["金额", "额", "投资"],
    },
    Rule {
        field: LeadField::Agreement,
        exact: &[],
        any: &["协议", "合同", "签约"],
        with: &["类型", "性质", "形式", "类别"],
    },
    Rule {
        field: LeadField::Enterprise,
        exact: &[],
        any: &[
            "注册企业",
            "落地企业",
            "注册公司",
            "项目公司",
            "落地公司",
            "注册名称",
        ],
        with: &[],
    },
    Rule {
        field: LeadField::Referrer,
        exact: &[],
        any: &["引荐", "推荐人", "推荐单位", "信息提供", "线索提供"],
        with: &[],
    },
    Rule {
        field: LeadField::Source,
        exact: &["来源", "渠道"],
        any: &[
            "项目来源",
            "招商方式",
            "信息来源",
            "引进方式",
            "线索来源",
            "招引方式",
            "来源渠道",
            "招商渠道",
        ],
        with: &[],
    },
    Rule {
        field: LeadField::Origin,
        exact: &["省内外", "内外资"],
        any: &[
            "是否省外",
            "省外项目",
            "是否外资",
            "客商类别",
            "客商类型",
            "投资方类型",
            "域内外",
            "是否域外",
            "省内/省外",
        ],
        with: &[],
    },
    Rule {
        field: LeadField::Place,
        exact: &["地区", "省份", "来源地区", "所在省份", "地域"],
        any: &[
            "所在地",
            "来源地",
            "注册地",
            "所属省",
            "所属地",
            "归属地",
            "总部",
        ],
        with: &[],
    },
    Rule {
        field: LeadField::Investor,
        exact: &["客商", "企业", "投资人"],
        any: &[
            "投资方",
            "投资主体",
            "投资企业",
            "投资商",
            "客商",
            "签约企业",
            "签约单位",
            "签约主体",
            "签约方",
            "合作方",
            "合作企业",
            "意向企业",
            "对接企业",
            "目标企业",
            "项目方",
            "企业名称",
            "公司名称",
            "投资单位",
        ],
        with: &[],
    },
    Rule {
        field: LeadField::Name,
        exact: &["项目", "招商项目", "项目名", "拟引进项目"],
        any: &["项目名称"],
        with: &[],
    },
    Rule {
        field: LeadField::Investment,
        exact: &["投资", "投资额"],
        any: &[
            "投资额",
            "总投资",
            "投资规模",
            "计划投资",
            "拟投资",
            "投资金额",
            "投资总额",
            "意向投资",
        ],
        with: &[],
    },
    Rule {
        field: LeadField::Stage,
        exact: &["阶段", "状态"],
        any: &["阶段", "状态"],
        with: &[],
    },
    Rule {
        field: LeadField::Progress,
        exact: &[],
        any: &[
            "进展",
            "进度",
            "洽谈情况",
            "对接情况",
            "推进情况",
            "跟进情况",
            "跟踪情况",
        ],
        with: &[],
    },
    Rule {
        field: LeadField::TaskForce,
        exact: &[],
        any: &[
            "专班",
            "责任单位",
            "对接单位",
            "承办单位",
            "牵头单位",
            "责任部门",
            "负责单位",
            "招商小分队",
        ],
        with: &[],
    },
    Rule {
        field: LeadField::Owner,
        exact: &[],
        any: &[
            "负责人",
            "责任人",
            "对接人",
            "跟进人",
            "联系人",
            "包联",
            "责任领导",
            "对接领导",
            "分管领导",
            "联系领导",
        ],
        with: &[],
    },
    Rule {
        field: LeadField::Land,
        exact: &[],
        any: &["用地", "占地", "土地"],
        with: &[],
    },
    Rule {
        field: LeadField::Output,
        exact: &[],
        any: &["产值", "营业收入", "销售收入"],
        with: &[],
    },
    Rule {
        field: LeadField::Tax,
        exact: &[],
        any: &["税收", "利税", "纳税", "税金"],
        with: &[],
    },
    Rule {
        field: LeadField::Jobs,
        exact: &[],
        any: &["就业", "用工", "岗位"],
        with: &[],
    },
    Rule {
        field: LeadField::Energy,
        exact: &[],
        any: &["能耗", "耗能"],
        with: &[],
    },
    Rule {
        field: LeadField::Content,
        exact: &[],
        any: &[
            "建设内容",
            "项目内容",
            "项目简介",
            "项目概况",
            "主要内容",
            "建设规模",
        ],
        with: &[],
    },
    Rule {
        field: LeadField::Industry,
        exact: &[],
        any: &["产业", "行业", "领域"],
        with: &[],
    },
    Rule {
        field: LeadField::Note,
        exact: &["备注", "说明", "其他"],
        any: &[],
        with: &[],
    },
];

/// The field a header names, if any. `text` may join a parent header and
/// its own ("签约情况/时间").
pub(crate) fn classify(text: &str) -> Option<LeadField> {
    let core = parse_header(text).core.to_lowercase();
    let core = core.trim_matches(['/', ':']);
    if core.is_empty() {
        return None;
    }
    RULES.iter().find_map(|rule| {
        let exact = rule.exact.contains(&core);
        let words = rule.any.iter().any(|w| core.contains(w))
            && (rule.with.is_empty() || rule.with.iter().any(|w| core.contains(w)));
        (exact || words).then_some(rule.field)
    })
}

/// A header's text folded for comparing with a saved mapping.
pub(crate) fn header_key(text: &str) -> String {
    compact(text)
}

#[cfg(test)]
mod tests {
    use super::LeadField::*;
    use super::*;

    #[test]
    fn headers_as_zones_write_them() {
        let cases = [
            ("序号", Some(Serial)),
            ("项目名称", Some(Name)),
            ("招商项目", Some(Name)),
            ("投资方", Some(Investor)),
            ("客商名称", Some(Investor)),
            ("签约企业", Some(Investor)),
            ("投资方所在地", Some(Place)),
            ("客商所在地（省、市）", Some(Place)),
            ("企业注册地", Some(Place)),
            ("是否省外项目", Some(Origin)),
            ("统一社会信用代码", Some(CreditCode)),
            ("所属产业", Some(Industry)),
            ("产业链", Some(Industry)),
            ("计划总投资（亿元）", Some(Investment)),
            ("投资额(万元)", Some(Investment)),
            ("协议投资额（亿元）", Some(SignedAmount)),
            ("签约金额", Some(SignedAmount)),
            ("签约时间", Some(SignedOn)),
            ("签约情况/时间", Some(SignedOn)),
            ("签约情况 / 金额（亿元）", Some(SignedAmount)),
            ("协议类型（框架/正式）", Some(Agreement)),
            ("项目阶段", Some(Stage)),
            ("目前状态", Some(Stage)),
            ("洽谈进展情况", Some(Progress)),
            ("项目来源", Some(Source)),
            ("招商方式", Some(Source)),
            ("引荐人", Some(Referrer)),
            ("包联领导", Some(Owner)),
            ("对接人", Some(Owner)),
            ("招商专班", Some(TaskForce)),
            ("责任单位", Some(TaskForce)),
            ("用地面积（亩）", Some(Land)),
            ("预计年产值（亿元）", Some(Output)),
            ("达产后年税收", Some(Tax)),
            ("带动就业（人）", Some(Jobs)),
            ("年综合能耗（吨标煤）", Some(Energy)),
            ("开工时间", Some(StartedOn)),
            ("投产时间", Some(ProducedOn)),
            ("注册企业名称", Some(Enterprise)),
            ("注册企业信用代码", Some(EnterpriseCode)),
            ("建设内容及规模", Some(Content)),
            ("资金到位（万元）", Some(Funds)),
            ("累计到位资金", Some(Funds)),
            ("备注", Some(Note)),
            ("所属开发区", Some(Zone)),
            ("登记日期", Some(RegisteredOn)),
            ("首次接洽时间", Some(RegisteredOn)),
            ("最近跟进", Some(LastTouch)),
            ("最近跟进时间", Some(LastTouch)),
            ("跟进情况", Some(Progress)),
            ("", None),
            ("联系电话", None),
        ];
        for (header, field) in cases {
            assert_eq!(classify(header), field, "{header}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for f in LeadField::ALL {
            assert_eq!(LeadField::from_code(f.code()), Some(*f));
        }
        assert_eq!(LeadField::from_code("nonsense"), None);
    }
}
