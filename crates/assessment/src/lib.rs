//! 季考核 and 年兑现: a score sheet ([`Sheet`]) of weighted items, each
//! computed from the ledger as it stood at a quarter's end
//! ([`kfq_monthly_report::ProjectAsOf`]), scored per zone, department or liaison
//! leader, ranked, and summed over the year. Scores are exact hundredths of
//! a point in integers; every item keeps the numbers and the projects or
//! blockers behind it. Pure: no I/O, no clock.

mod quarter;
mod score;
mod sheet;
mod year;

pub use quarter::Quarter;
pub use score::{
    points_text, rank, score_item, score_subjects, Attribution, Basis, ItemScore, Score, Subject,
};
pub use sheet::{ItemKind, Sheet, SheetItem};
pub use year::{year_totals, YearLine};

#[cfg(test)]
mod tests;
