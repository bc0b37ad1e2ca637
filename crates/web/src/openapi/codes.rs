//! The allowed values of coded fields, for `schema_with`: a field that
//! takes a code (a stage, a role, a sort key) is a string with an `enum` in
//! the document, so clients and fuzzers see the choices, not only prose.
//! Codes come from the domain's own lists wherever there is one, so the
//! document cannot drift from what the handlers accept.

use kfq_domain::Coded;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

/// A string that is one of `codes`.
pub fn one_of<'a>(codes: impl IntoIterator<Item = &'a str>) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(codes.into_iter().map(str::to_owned)))
        .build()
}

/// A schema function per coded field: `name => values`.
macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident => $values:expr;)+) => {
        $(
            $(#[$doc])*
            pub fn $name() -> Object {
                one_of($values)
            }
        )+
    };
}

fn domain<T: Coded + 'static>(all: &'static [T]) -> Vec<&'static str> {
    all.iter().map(|v| v.code()).collect()
}

codes! {
    /// 招商项目的阶段.
    lead_stage => domain(kfq_attraction::LeadStage::ALL);
    /// 招商方式.
    lead_source => domain(kfq_attraction::Source::ALL);
    /// 招商活动的类型.
    activity_kind => domain(kfq_attraction::ActivityKind::ALL);
    /// 框架协议 / 正式合同.
    agreement_kind => domain(kfq_attraction::AgreementKind::ALL);
    /// 省内 / 省外 / 境外.
    investor_origin => domain(kfq_attraction::Origin::ALL);
    /// 项目阶段.
    stage => domain(kfq_domain::Stage::ALL);
    /// 项目类别.
    category => domain(kfq_domain::Category::ALL);
    /// 建设性质.
    nature => domain(kfq_domain::Nature::ALL);
    /// 困难问题的要素类型.
    blocker_factor => domain(kfq_domain::BlockerFactor::ALL);
    /// 待办 / 办理中 / 已解决.
    blocker_status => domain(kfq_domain::BlockerStatus::ALL);
    /// 红黄绿.
    rag => domain(kfq_domain::Rag::ALL);
    /// 角色.
    role => domain(kfq_domain::Role::ALL);
    /// 机构类型.
    org_kind => domain(kfq_domain::OrgKind::ALL);
    /// 国家级 / 省级.
    zone_level => domain(kfq_domain::ZoneLevel::ALL);
    /// 开发区类型.
    zone_type => domain(kfq_domain::ZoneType::ALL);
    /// 集中活动的类型.
    campaign_kind => domain(kfq_domain::campaign::CampaignKind::ALL);
    /// 指标的单位.
    indicator_unit => domain(kfq_indicators::Unit::ALL);
    /// 指标的性质.
    indicator_kind => domain(kfq_indicators::IndicatorKind::ALL);
    /// 指标的汇总方式.
    roll_up => domain(kfq_indicators::RollUp::ALL);
    /// 指标的方向.
    direction => domain(kfq_indicators::Direction::ALL);
    /// 入库: yes or no.
    yes_no => ["yes", "no"];
    /// The ledger's sort keys.
    ledger_sort => kfq_store::LedgerSort::ALL.iter().map(|(code, _)| *code);
    /// Ascending or descending.
    sort_dir => ["asc", "desc"];
    /// A day of the working calendar.
    calendar_kind => ["holiday", "makeup_workday", "workday", "weekend"];
    /// Where notices are sent.
    channel_kind => ["wecom", "dingtalk", "email"];
    /// The kinds of API error.
    error_code => [
        "not_found", "unauthenticated", "forbidden", "conflict", "csrf", "throttled",
        "invalid", "bad_request", "unreadable", "too_large", "unavailable", "internal",
    ];
    /// The tables of an assessment's breakdown.
    breakdown_table => ["zones", "departments", "liaisons"];
}
