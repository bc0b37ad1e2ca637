//! The ledger as the workbook zones send upward.

use kfq_store::{LedgerFilter, LedgerRow};

use crate::error::Result;
use crate::i18n::Catalog;
use crate::off_the_workers;

/// Ledger rows as workbook lines, coded values in words.
pub fn export_lines(catalog: &Catalog, rows: &[LedgerRow]) -> Vec<kfq_export::LedgerLine> {
    let label = |key: String| catalog.t(&key).to_owned();
    rows.iter()
        .map(|r| kfq_export::LedgerLine {
            zone: r.zone_name.clone(),
            name: r.name.clone(),
            investor: r.investor.clone().unwrap_or_default(),
            project_code: r.project_code.clone().unwrap_or_default(),
            category: label(r.category.label_key()),
            industry_chain: r.industry_chain.clone().unwrap_or_default(),
            stage: label(r.stage.label_key()),
            total_investment: r.total_investment,
            planned_investment: r.planned_investment,
            ytd: r.ytd,
            department: r.department_name.clone().unwrap_or_default(),
            liaison: r.liaison_name.clone().unwrap_or_default(),
            registered: r.registered,
            rag: label(r.rag.label_key()),
        })
        .collect()
}

/// The .xlsx of `rows` (already read within the caller's scope and filter),
/// built off the async workers: a province's ledger is 10,000 rows.
pub async fn workbook(
    catalog: &Catalog,
    title: &str,
    filter: &LedgerFilter,
    rows: Vec<LedgerRow>,
) -> Result<Vec<u8>> {
    let lines = export_lines(catalog, &rows);
    let (title, year, month) = (title.to_owned(), filter.year, filter.month);
    let bytes = off_the_workers(move || kfq_export::ledger_xlsx(&title, year, month, &lines))
        .await?
        .map_err(anyhow::Error::from)?;
    Ok(bytes)
}
