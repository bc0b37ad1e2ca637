//! 月通报 as a use case: the monthly report of a unit and month, built from the
//! ledger as it stood at a cut-off (`as_of`: the same cut-off gives the same
//! figures however the ledger has moved since), with what it was computed
//! from so every figure can be traced to its projects. Compiling a province's
//! report and building its files run off the async workers.

pub mod files;
mod wording;

pub use wording::Wording;

use std::sync::Arc;

use kfq_domain::rag::RagReason;
use kfq_domain::{OrgKind, Rag};
use kfq_monthly_report::{compile_judged, Bulletin, Period, ProjectAsOf, Trace};
use kfq_store::{IssuedReport, OrgUnit, Store};

use crate::clock::today;
use crate::error::Result;
use crate::i18n::Catalog;
use crate::ledger::rules::calendar;
use crate::off_the_workers;
use crate::stamped::StampedCache;

/// A bulletin with what it was computed from.
pub struct Report {
    pub org: OrgUnit,
    pub period: Period,
    /// The cut-off, Unix ms.
    pub as_of: i64,
    pub figures: Bulletin,
    pub projects: Vec<ProjectAsOf>,
    pub statuses: Vec<Option<(Rag, Vec<RagReason>)>>,
    pub issued: Option<IssuedReport>,
    /// The unit directly above, proposed as the 抄送 (none at the root).
    pub superior: Option<String>,
}

impl Report {
    /// "临汾经济开发区2024年6月重点项目推进情况通报".
    pub fn title(&self) -> String {
        Catalog::zh().format(
            "monthly_report.doc_title",
            &[("unit", &self.org.name), ("period", &self.period.label())],
        )
    }

    /// 全区 / 全市 / 全县 / 全省 / 全国.
    pub fn whole(&self) -> &'static str {
        Catalog::zh().t(match self.org.kind() {
            OrgKind::Country => "monthly_report.whole.country",
            OrgKind::Province => "monthly_report.whole.province",
            OrgKind::City => "monthly_report.whole.city",
            OrgKind::County => "monthly_report.whole.county",
            _ => "monthly_report.whole.zone",
        })
    }

    /// The cut-off as people read it, Beijing time.
    pub fn as_of_text(&self) -> String {
        crate::clock::beijing_time_text(self.as_of)
    }

    /// The day of the cut-off in Beijing: the date the bulletin bears.
    pub fn as_of_day(&self) -> chrono::NaiveDate {
        crate::clock::beijing_day(self.as_of).unwrap_or_else(today)
    }

    /// The figures as JSON, the form they are frozen in.
    pub fn figures_json(&self) -> String {
        serde_json::to_string(&self.figures).unwrap_or_default()
    }

    /// Whether the figures now are those issued (none when not issued or
    /// not at the issue's cut-off).
    pub fn matches_issue(&self) -> Option<bool> {
        self.issued
            .as_ref()
            .filter(|i| i.as_of == self.as_of)
            .map(|i| i.figures == self.figures_json())
    }

    /// The query naming this report, for links.
    pub fn query(&self) -> String {
        format!(
            "org_id={}&period={}-{:02}&as_of={}",
            self.org.id,
            self.period.year(),
            self.period.month(),
            self.as_of
        )
    }

    /// A link to the projects behind a figure.
    pub fn trace_href(&self, figure: &str) -> String {
        format!("/monthly-bulletins/trace?{}&figure={figure}", self.query())
    }

    /// The projects a trace selects, with their status.
    pub fn traced(&self, trace: Trace) -> Vec<(&ProjectAsOf, Option<Rag>)> {
        self.projects
            .iter()
            .zip(&self.statuses)
            .map(|(p, s)| (p, s.as_ref().map(|(r, _)| *r)))
            .filter(|(p, rag)| trace.admits(p, self.period, *rag))
            .collect()
    }
}

/// Reports computed lately, reused while nothing they are made of has
/// changed (`StampedCache`: the ledger, rules, calendar and issues are all
/// audited); the day is part of the key, since statuses turn late on a
/// date. A province's report reads some 10,000 projects and their months;
/// it is read all month, and changes seldom once the month is reported.
#[derive(Default)]
pub struct ReportCache {
    reports: StampedCache<ReportKey, Report, 32>,
}

/// (unit, month, the cut-off asked for, today).
type ReportKey = (i64, String, Option<i64>, chrono::NaiveDate);

impl ReportCache {
    /// The report, from the cache while the data is unchanged. A report
    /// kept from earlier keeps its cut-off: the data has not moved since,
    /// so it is the report as of now too, and its links give its figures.
    pub async fn report(
        &self,
        store: &Store,
        org: OrgUnit,
        period: Period,
        as_of: Option<i64>,
    ) -> Result<Arc<Report>> {
        let key = (org.id, period.code(), as_of, today());
        self.reports
            .get_or_build(store, key, report(store, org, period, as_of))
            .await
    }
}

/// The report of `org` (already read within the caller's scope) for `period`
/// at the cut-off `as_of` (default: when it was issued, else now; never later
/// than now, which would not be repeatable).
pub async fn report(
    store: &Store,
    org: OrgUnit,
    period: Period,
    as_of: Option<i64>,
) -> Result<Report> {
    let issued = store
        .issued_report(org.id, period.year(), period.month())
        .await?;
    let asked = as_of.or(issued.as_ref().map(|i| i.as_of));
    let started = std::time::Instant::now();
    let superior = store.superior_name(org.id).await?;
    let zones = store.zones_under(&org.org_path()).await?;
    let (as_of, projects) = match asked {
        Some(at) => {
            let at = at.min(kfq_store::now_ms());
            (at, store.ledger_as_of(&zones, period, at).await?)
        }
        // Now: the cut-off is the moment the ledger is read.
        None => store.ledger_as_it_stands(&zones, period).await?,
    };
    let calendar = calendar(store).await?;
    let rules = store.rag_rules_of(&zones).await?;
    let read = started.elapsed();
    let (figures, projects, statuses) = off_the_workers(move || {
        let working_days = |from, to| calendar.working_days_between(from, to);
        let status = |p: &ProjectAsOf| {
            let rules = rules.get(&p.zone.id).copied().unwrap_or_default();
            p.rag(period, &rules, &working_days)
        };
        let statuses: Vec<_> = projects.iter().map(status).collect();
        let figures = compile_judged(period, &projects, &statuses);
        (figures, projects, statuses)
    })
    .await?;
    tracing::debug!(
        org = org.id,
        projects = projects.len(),
        read_ms = read.as_millis() as u64,
        compile_ms = (started.elapsed() - read).as_millis() as u64,
        "monthly report"
    );
    Ok(Report {
        org,
        period,
        as_of,
        figures,
        projects,
        statuses,
        issued,
        superior,
    })
}
