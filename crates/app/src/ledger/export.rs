//! The ledger as the workbook zones send upward (重点项目推进情况表): the
//! list's rows with what a supervisor reads beside them (建设单位, 建设内容,
//! 进展情况, 存在问题, the start and production days), the figures through
//! the last month that has them.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use kfq_domain::{Stage, Visibility};
use kfq_export::{Dates, LedgerLine};
use kfq_store::{ExportFacts, LedgerFilter, LedgerRow, Milestone, Project, Store};

use crate::error::Result;
use crate::i18n::Catalog;
use crate::off_the_workers;

/// The export of the caller's ledger in view.
pub struct Export {
    /// "XX开发区重点项目推进情况表（截至2026年11月）": also the file's name.
    pub title: String,
    pub bytes: Vec<u8>,
}

/// The month "1-N月" runs to: the last month up to the one asked for (or
/// today's) that has figures, never one nobody has reported. With no
/// figures at all, the month asked for; unasked, the month before this one
/// in the current year (a month is reported after it ends).
pub fn reported_month(
    last_reported: Option<u32>,
    through: u32,
    asked: bool,
    year: i32,
    today: NaiveDate,
) -> u32 {
    match last_reported {
        Some(month) => month.clamp(1, through.max(1)),
        None if !asked && year == today.year() => through.saturating_sub(1).max(1),
        None => through.max(1),
    }
}

/// Builds the workbook of `rows` (already read within the caller's scope
/// and filter, figures through `filter.month`), off the async workers: a
/// province's ledger is 10,000 rows. `asked` says the month was chosen.
pub async fn workbook(
    store: &Store,
    visibility: &Visibility,
    catalog: &Catalog,
    scope: &str,
    filter: &LedgerFilter,
    asked: bool,
    rows: Vec<LedgerRow>,
) -> Result<Export> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let last = store
        .last_reported_month(visibility, &ids, filter.year, filter.month)
        .await?;
    let month = reported_month(
        last,
        filter.month,
        asked,
        filter.year,
        crate::clock::today(),
    );
    let mut projects: HashMap<i64, Project> = HashMap::new();
    let mut milestones: HashMap<i64, Vec<Milestone>> = HashMap::new();
    // In batches: a whole province's ids make one statement too long.
    for batch in ids.chunks(1000) {
        for p in store.projects_by_id(visibility, batch).await? {
            projects.insert(p.id, p);
        }
        for (project, m) in store.milestones_of(visibility, batch).await? {
            milestones.entry(project).or_default().push(m);
        }
    }
    let facts = store.export_facts(visibility, &ids, filter.year).await?;
    let lines: Vec<LedgerLine> = rows
        .iter()
        .map(|row| {
            line(
                catalog,
                row,
                projects.get(&row.id),
                milestones.get(&row.id).map_or(&[][..], Vec::as_slice),
                facts.get(&row.id),
            )
        })
        .collect();
    let title = catalog.format(
        "project.export.title",
        &[
            ("scope", scope),
            ("year", &filter.year.to_string()),
            ("month", &month.to_string()),
        ],
    );
    let (name, year) = (title.clone(), filter.year);
    let bytes = off_the_workers(move || kfq_export::ledger_xlsx(&name, year, month, &lines))
        .await?
        .map_err(anyhow::Error::from)?;
    Ok(Export { title, bytes })
}

/// One row in the ledger's words. `project` is the row read whole (absent
/// only if it went out of sight between the two reads).
pub fn line(
    catalog: &Catalog,
    row: &LedgerRow,
    project: Option<&Project>,
    milestones: &[Milestone],
    facts: Option<&ExportFacts>,
) -> LedgerLine {
    let label = |key: String| catalog.t(&key).to_owned();
    let node = |key: &str| milestones.iter().find(|m| m.key == key);
    let facts = facts.cloned().unwrap_or_default();
    // Planned: the milestone's day, else the year's plan target. Actual: the
    // milestone's day, else the day the stage was reached.
    let dates = |key: &str, target: Option<NaiveDate>, reached: Option<NaiveDate>| Dates {
        planned: node(key).and_then(|m| m.planned_on).or(target),
        actual: node(key).and_then(|m| m.actual_on).or(reached),
    };
    let investor = project
        .and_then(|p| p.enterprise_name.clone())
        .or_else(|| row.investor.clone())
        .unwrap_or_default();
    LedgerLine {
        zone: row.zone_name.clone(),
        name: row.name.clone(),
        investor,
        nature: project.map_or(String::new(), |p| label(p.nature.label_key())),
        construction_content: project
            .and_then(|p| p.construction_content.clone())
            .unwrap_or_default(),
        land: project.and_then(|p| p.land),
        floor_area_m2: project.and_then(|p| p.floor_area_m2),
        total_investment: row.total_investment,
        planned_investment: row.planned_investment,
        ytd: row.ytd,
        progress: project.map_or_else(
            || label(row.stage.label_key()),
            |p| progress(catalog, p, milestones),
        ),
        blockers: facts.open_blockers,
        liaison: row.liaison_name.clone().unwrap_or_default(),
        department: row.department_name.clone().unwrap_or_default(),
        start: dates("start", facts.target_start, facts.started_on),
        production: dates("production", facts.target_production, facts.producing_on),
    }
}

/// 进展情况: the stage and since when, the last milestone reached and the
/// next one planned. A milestone clause that would read as a further stage
/// than the project's is left out: the text must not say more than the
/// ledger does, or a re-import of the file would move the stage.
pub fn progress(catalog: &Catalog, project: &Project, milestones: &[Milestone]) -> String {
    let date = |d: NaiveDate| d.format(catalog.t("common.date_format")).to_string();
    let stage = catalog.t(&project.stage.label_key()).to_owned();
    let mut text = match project.stage_since {
        Some(since) => catalog.format(
            "project.export.progress_since",
            &[("stage", &stage), ("date", &date(since))],
        ),
        None => stage,
    };
    // The latest milestone reached, and the next one planned, of those whose
    // clause says no more than the stage.
    let mut reached: Vec<&Milestone> = milestones
        .iter()
        .filter(|m| m.actual_on.is_some())
        .collect();
    reached.sort_by_key(|m| std::cmp::Reverse((m.actual_on, m.sort)));
    let mut next: Vec<&Milestone> = milestones
        .iter()
        .filter(|m| m.actual_on.is_none() && m.planned_on.is_some())
        .collect();
    next.sort_by_key(|m| (m.sort, m.planned_on));
    let reached = reached.into_iter().map(|m| {
        catalog.format(
            "project.export.progress_reached",
            &[
                ("name", &m.name),
                ("date", &date(m.actual_on.unwrap_or_default())),
            ],
        )
    });
    let next = next.into_iter().map(|m| {
        catalog.format(
            "project.export.progress_next",
            &[
                ("name", &m.name),
                ("date", &date(m.planned_on.unwrap_or_default())),
            ],
        )
    });
    for clauses in [reached.collect::<Vec<_>>(), next.collect()] {
        let fitting = clauses.iter().find_map(|clause| {
            let longer = catalog.format(
                "project.export.progress_join",
                &[("text", &text), ("clause", clause)],
            );
            says_no_more(&longer, project.stage).then_some(longer)
        });
        if let Some(longer) = fitting {
            text = longer;
        }
    }
    text
}

/// The stage `text` reads as is no further than `stage`.
fn says_no_more(text: &str, stage: Stage) -> bool {
    match kfq_domain::progress::stage_from_progress(text) {
        None => true,
        Some(read) if read.stage == stage => true,
        Some(read) => matches!(
            (read.stage.rank(), stage.rank()),
            (Some(read), Some(held)) if read <= held
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_month_is_the_last_one_reported() {
        let today = day("2026-12-03");
        // Figures through November, asked for December or not asked.
        assert_eq!(reported_month(Some(11), 12, false, 2026, today), 11);
        assert_eq!(reported_month(Some(11), 12, true, 2026, today), 11);
        // Asked for an earlier month: that month's figures.
        assert_eq!(reported_month(Some(6), 6, true, 2026, today), 6);
        // Nothing reported yet this year: the month that has ended.
        assert_eq!(reported_month(None, 12, false, 2026, today), 11);
        assert_eq!(reported_month(None, 1, false, 2026, day("2026-01-05")), 1);
        // A past year unasked runs to December; a month asked stays.
        assert_eq!(reported_month(None, 12, false, 2025, today), 12);
        assert_eq!(reported_month(None, 3, true, 2026, today), 3);
    }

    #[test]
    fn a_clause_saying_a_further_stage_is_left_out() {
        assert!(says_no_more(
            "开工（2026年3月18日起）；主体完工已于2026年9月10日完成",
            Stage::Started
        ));
        assert!(!says_no_more(
            "开工；竣工已于2026年9月10日完成",
            Stage::Started
        ));
        assert!(says_no_more(
            "前期；计划2026年12月20日开工",
            Stage::PreConstruction
        ));
        assert!(says_no_more("签约", Stage::Signed));
    }
}
