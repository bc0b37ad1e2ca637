//! Indicator monitoring: the board every page, the API and the alerts read,
//! and the words for its warnings.

pub mod board;
pub mod import;
pub mod writes;

use kfq_indicators::Reason;

use crate::i18n::Catalog;
use board::Cell;

/// A warning's reasons in words.
pub fn reasons(catalog: &Catalog, cell: &Cell) -> Vec<String> {
    cell.flags
        .iter()
        .map(|f| reason_text(catalog, &f.reason))
        .chain(cell.held.then(|| catalog.t("indicator.held").to_owned()))
        .collect()
}

fn reason_text(catalog: &Catalog, reason: &Reason) -> String {
    let args = reason.args();
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    catalog.format(reason.key(), &args)
}
