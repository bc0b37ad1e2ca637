//! The key-project ledger's use cases: its rules (calendar, status), the
//! workbook import and the workbook export.

pub mod export;
pub mod import;
pub mod list;
pub mod monthly;
pub mod plan_sheet;
pub mod rules;
pub mod settings;
pub mod warm;
pub mod writes;

use kfq_domain::rag::StoredReason;

use crate::i18n::Catalog;

/// A project's stored status reasons in words.
pub fn rag_reason_texts(catalog: &Catalog, reasons: &[StoredReason]) -> Vec<String> {
    reasons
        .iter()
        .map(|r| rag_reason_text(catalog, &r.key, r.value))
        .collect()
}

/// One status reason in words; investment points are kept in tenths.
pub fn rag_reason_text(catalog: &Catalog, key: &str, value: i64) -> String {
    let value = if key == "rag.investment_behind" {
        format!("{}.{}", value / 10, value % 10)
    } else {
        value.to_string()
    };
    catalog.format(key, &[("value", &value)])
}
