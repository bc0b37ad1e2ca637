//! The fields an update changes, shown as the ledger would write them.

use kfq_domain::Money;
use kfq_workbook::Field;

use crate::input::{Chain, Fields};
use crate::labels::{category_label, nature_label, yes_no};
use crate::output::Change;

/// The fields an update changes, shown as the ledger would write them.
pub(crate) fn changes(before: &Fields, after: &Fields) -> Vec<Change> {
    fn opt<T>(v: &Option<T>, show: impl Fn(&T) -> String) -> String {
        v.as_ref().map(show).unwrap_or_default()
    }
    let wan = |m: &Money| format!("{}万元", m.wan_string());
    let chain = |c: &Chain| match c {
        Chain::Known(id) => format!("#{id}"),
        Chain::New(name) => name.clone(),
    };
    let id = |v: &i64| format!("#{v}");
    let pairs: Vec<(Field, String, String)> = vec![
        (Field::Name, before.name.clone(), after.name.clone()),
        (
            Field::Investor,
            opt(&before.investor, String::clone),
            opt(&after.investor, String::clone),
        ),
        (
            Field::Category,
            category_label(before.category).into(),
            category_label(after.category).into(),
        ),
        (
            Field::Nature,
            nature_label(before.nature).into(),
            nature_label(after.nature).into(),
        ),
        (
            Field::IndustryChain,
            opt(&before.industry_chain, chain),
            opt(&after.industry_chain, chain),
        ),
        (
            Field::TotalInvestment,
            wan(&before.total_investment),
            wan(&after.total_investment),
        ),
        (
            Field::LandMu,
            opt(&before.land, |m| format!("{m}亩")),
            opt(&after.land, |m| format!("{m}亩")),
        ),
        (
            Field::FloorArea,
            opt(&before.floor_area_m2, |a| format!("{a}平方米")),
            opt(&after.floor_area_m2, |a| format!("{a}平方米")),
        ),
        (
            Field::ConstructionContent,
            opt(&before.construction_content, String::clone),
            opt(&after.construction_content, String::clone),
        ),
        (
            Field::AnnualOutput,
            opt(&before.annual_output, wan),
            opt(&after.annual_output, wan),
        ),
        (
            Field::AnnualTax,
            opt(&before.annual_tax, wan),
            opt(&after.annual_tax, wan),
        ),
        (
            Field::Jobs,
            opt(&before.jobs, i64::to_string),
            opt(&after.jobs, i64::to_string),
        ),
        (
            Field::Registered,
            yes_no(before.registered).into(),
            yes_no(after.registered).into(),
        ),
        (
            Field::Liaison,
            opt(&before.liaison_user_id, id),
            opt(&after.liaison_user_id, id),
        ),
        (
            Field::Department,
            opt(&before.department_id, id),
            opt(&after.department_id, id),
        ),
        (
            Field::ProjectCode,
            opt(&before.project_code, String::clone),
            opt(&after.project_code, String::clone),
        ),
    ];
    pairs
        .into_iter()
        .filter(|(_, b, a)| b != a)
        .map(|(field, before, after)| Change {
            field,
            label: field.label(),
            before,
            after,
        })
        .collect()
}
