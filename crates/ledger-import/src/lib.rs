//! Plans the import of a ledger workbook (重点项目台账) into kfq: for every row
//! the workbook reader found, whether it creates a project, updates one (and
//! which fields change), leaves one as it is, or is rejected and why; the
//! annual plan it sets, the month of investment it appends, the stage it
//! advances to and the blocker it raises. The plan is what the dry run shows
//! and what the store then writes in one transaction.
//!
//! Pure: the store hands in what it knows of the target zones ([`Known`]);
//! nothing here reads or writes. Rules that decide the outcome:
//! - a row matches a project by 项目代码, else by zone and name (blanks and
//!   bracket widths folded); a project is never created twice, and two rows
//!   naming the same project reject the second;
//! - an empty cell never erases what kfq holds; a filled one overwrites it;
//! - stages only move forward (a ledger that says less is a warning);
//! - "1-N月完成投资" becomes month N: the year-to-date less the months before N
//!   already recorded, so next month's workbook appends its month and the
//!   same workbook imported twice changes nothing.

mod changes;
mod input;
mod labels;
mod names;
mod output;
mod planner;

use kfq_workbook::{Issue, Workbook};

pub use input::{Chain, Existing, Fields, Known, Options, ZoneData};
pub use labels::stage_label;
pub use names::fold;
pub use output::{
    Action, Change, ColumnUse, Counts, MonthEntry, Opening, Plan, Reporting, RowPlan, Targets,
};

use chrono::Datelike;
use planner::{column_uses, Planner, SheetFacts};

/// Plans the import of `book` into the zones of `known`. The ledger sheets'
/// rows are taken out of the book and let go one by one as they are
/// planned: the plan holds all that is needed of them, and a province's
/// ledger held twice over is most of the import's memory.
pub fn plan(book: &mut Workbook, known: &Known, options: &Options) -> Plan {
    let mut planner = Planner::new(known, options);
    let mut file_errors: Vec<Issue> = book.issues.clone();
    let mut reporting = Vec::new();
    let mut columns = Vec::new();
    // Sized once: a plan row is most of a kilobyte, and doubling a vector of
    // 100,000 of them copies it into fresh memory again and again.
    let ledger_rows = book.ledger_sheets().map(|s| s.rows.len()).sum();
    planner.rows.reserve_exact(ledger_rows);
    for sheet in book.sheets.iter_mut().filter(|s| s.is_ledger) {
        let rows = std::mem::take(&mut sheet.rows);
        let sheet = &*sheet;
        file_errors.extend(sheet.issues.iter().cloned());
        let day = planner.reporting_day(sheet);
        let year = options.year.or(sheet.year).unwrap_or(day.date.year());
        let month = options.month.or(sheet.ytd_through_month);
        columns.extend(column_uses(sheet, &day, year, month, options.blockers));
        let facts = SheetFacts::of(sheet, &day);
        for row in rows {
            let planned = planner.row(sheet, &facts, &row);
            planner.rows.push(planned);
        }
        reporting.push(day);
    }
    // Sheet-level notes without a ledger are only errors when nothing was found.
    if book.ledger_sheets().next().is_some() {
        file_errors.retain(|i| !i.reason.starts_with("没有找到台账表头"));
    }
    let mut new_chains: Vec<(i64, String)> = planner.new_chains.into_iter().collect();
    new_chains.sort();
    Plan {
        reporting,
        columns,
        rows: planner.rows,
        file_errors,
        new_chains,
    }
}

#[cfg(test)]
mod tests;
