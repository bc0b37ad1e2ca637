//! An instance that starts reads the ledger that month's-end readers ask for
//! first: every zone at the close of last month (the monthly report) and of
//! the last closed quarter (its scores), kept zone by zone in the store. The
//! first report of a country after a restart then reads only what changed
//! meanwhile, instead of a quarter of a million projects while someone waits.

use chrono::Datelike;
use kfq_calendar::Period;
use kfq_domain::OrgKind;
use kfq_store::{OrgFilter, Store};
use tokio::task::JoinHandle;

use crate::error::Result;

/// The months read: last month, and the last month of the last closed
/// quarter (the same month in a quarter's first month).
pub fn months(today: chrono::NaiveDate) -> Vec<Period> {
    let Ok(this) = Period::new(today.year(), today.month()) else {
        return Vec::new();
    };
    let last = this.previous();
    let mut quarter_end = last;
    while quarter_end.month() % 3 != 0 {
        quarter_end = quarter_end.previous();
    }
    let mut months = vec![last];
    if quarter_end != last {
        months.push(quarter_end);
    }
    months
}

async fn warm(store: &Store) -> Result<()> {
    let started = std::time::Instant::now();
    let kind = OrgFilter {
        kind: Some(OrgKind::Zone),
        ..Default::default()
    };
    let zones: Vec<i64> = store
        .orgs(&kfq_domain::Visibility::All, &kind, 0, 1_000_000)
        .await?
        .items
        .into_iter()
        .map(|z| z.id)
        .collect();
    for period in months(crate::clock::today()) {
        store.ledger_as_it_stands(&zones, period).await?;
    }
    tracing::info!(
        zones = zones.len(),
        ms = started.elapsed().as_millis() as u64,
        "ledger read ahead"
    );
    Ok(())
}

/// Reads ahead in the background; a failure is logged, nothing else.
pub fn spawn(store: Store) -> JoinHandle<()> {
    tokio::spawn(async move {
        if let Err(e) = warm(&store).await {
            tracing::warn!(error = %e, "ledger not read ahead");
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months_of(day: &str) -> Vec<String> {
        let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
        months(day).into_iter().map(|p| p.code()).collect()
    }

    #[test]
    fn last_month_and_the_last_closed_quarters_end() {
        assert_eq!(months_of("2026-12-04"), ["2026-11", "2026-09"]);
        assert_eq!(months_of("2026-10-01"), ["2026-09"]);
        assert_eq!(months_of("2027-01-15"), ["2026-12"]);
        assert_eq!(months_of("2027-02-28"), ["2027-01", "2026-12"]);
        assert_eq!(months_of("2027-06-30"), ["2027-05", "2027-03"]);
    }
}
