//! The bulletin on screen: the figures with charts, each total linking to
//! the projects behind it, and the trace page that lists them with their months.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kfq_domain::{Money, OrgKind, Rag, Stage};
use kfq_monthly_report::{ProjectAsOf, RankLine, Trace};
use kfq_store::OrgFilter;

use super::{issue, may_issue, report, trace_of, BulletinQuery, Report};
use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::input::Input;
use crate::layout::{render, see_other, PageContext};
use crate::reads::Reads;
use crate::state::AppState;
use kfq_app::monthly_report::files::{gap_points, gap_words, rate, reasons};

/// The units a user may pick: every zone, county, city or province they see.
async fn units(state: &AppState, auth: &Auth) -> AppResult<Vec<(i64, String)>> {
    let orgs = state
        .store
        .orgs(
            &auth.principal.org_visibility(),
            &OrgFilter::default(),
            0,
            100_000,
        )
        .await?
        .items;
    Ok(orgs
        .into_iter()
        .filter(|o| o.kind() != OrgKind::Department)
        .map(|o| (o.id, o.name))
        .collect())
}

#[derive(Template)]
#[template(path = "monthly_reports/show.html")]
struct ShowView {
    page: PageContext,
    r: Report,
    units: Vec<(i64, String)>,
    can_issue: bool,
    errors: Vec<String>,
}

impl ShowView {
    fn yi(&self, m: &Money) -> String {
        m.yi_2()
    }
    fn rate(&self, t: &Option<i64>) -> String {
        rate(*t)
    }
    fn gap(&self, t: &Option<i64>) -> String {
        gap_points(*t)
    }
    fn gap_words(&self) -> String {
        gap_words(self.page.catalog, self.r.figures.overall.gap_tenths)
    }
    fn left_out(&self) -> Option<String> {
        kfq_app::monthly_report::files::left_out_words(self.page.catalog, &self.r)
    }
    fn elapsed(&self) -> String {
        kfq_domain::investment::percent(self.r.figures.elapsed_tenths)
    }
    fn href(&self, figure: &str) -> String {
        self.r.trace_href(figure)
    }
    fn stage(&self, s: &Stage) -> String {
        self.page.label("Stage", s.code())
    }
    fn label(&self, family: &str, code: &str) -> String {
        self.page.label(family, code)
    }
    fn reasons(&self, r: &[kfq_domain::rag::RagReason]) -> String {
        reasons(self.page.catalog, r)
    }
    /// The ranking tables: zones (above a zone), departments, liaison leaders.
    fn rankings(&self) -> Vec<(&'static str, &[RankLine])> {
        let f = &self.r.figures;
        vec![
            (self.page.t("monthly_report.col.zone"), f.zones.as_slice()),
            (
                self.page.t("monthly_report.col.department"),
                f.departments.as_slice(),
            ),
            (
                self.page.t("monthly_report.col.liaison"),
                f.liaisons.as_slice(),
            ),
        ]
    }
    fn period_value(&self) -> String {
        self.r.period.code()
    }
    fn may_issue_now(&self) -> bool {
        self.can_issue
            && self.r.issued.is_none()
            && self.r.period < kfq_monthly_report::Period::of(kfq_app::clock::today())
    }

    /// Zones (or, within a zone, departments) by completion against 序时进度.
    fn ranking_chart(&self) -> String {
        let f = &self.r.figures;
        let (lines, what): (&[RankLine], &str) = if f.zones.is_empty() {
            (&f.departments, self.page.t("monthly_report.col.department"))
        } else {
            (&f.zones, self.page.t("monthly_report.col.zone"))
        };
        let mut chart = kfq_charts::BarChart::new(
            self.page
                .catalog
                .format("monthly_report.chart.completion", &[("units", what)]),
            kfq_charts::Scale::new(1, "%"),
        );
        for l in lines {
            let Some(c) = l.totals.completion_tenths else {
                continue;
            };
            let rag = match kfq_domain::investment::pace_rag(l.totals.gap_tenths) {
                Some(kfq_domain::Rag::Red) => kfq_charts::Rag::Red,
                Some(kfq_domain::Rag::Yellow) => kfq_charts::Rag::Yellow,
                _ => kfq_charts::Rag::Green,
            };
            let mut bar = kfq_charts::Bar::new(l.unit.name.clone(), c).rag(rag);
            bar.href = Some(self.href(&l.trace));
            chart.bars.push(bar);
        }
        chart.reference = Some(kfq_charts::Reference::new(
            self.page.t("monthly_report.chart.elapsed"),
            f.elapsed_tenths,
        ));
        crate::views::bar_figure(&chart)
    }

    /// Projects by stage.
    fn stage_chart(&self) -> String {
        let mut chart = kfq_charts::BarChart::new(
            self.page.t("monthly_report.chart.stages"),
            kfq_charts::Scale::new(0, self.page.t("common.unit.count")),
        );
        for l in &self.r.figures.by_stage {
            let mut bar = kfq_charts::Bar::new(self.stage(&l.stage), l.totals.projects as i64);
            bar.href = Some(self.href(&l.trace));
            chart.bars.push(bar);
        }
        crate::views::bar_figure(&chart)
    }
}

async fn show_view(
    state: &AppState,
    auth: &Auth,
    query: &BulletinQuery,
    errors: Vec<String>,
) -> AppResult<ShowView> {
    let r = report(state, auth, query).await?;
    Ok(ShowView {
        page: PageContext::new(Some(auth), "dispatch"),
        can_issue: may_issue(auth, &r.org),
        units: units(state, auth).await?,
        r,
        errors,
    })
}

pub async fn show_page(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<BulletinQuery>,
) -> AppResult<Response> {
    Ok(render(&show_view(&state, &auth, &query, vec![]).await?)?.into_response())
}

pub async fn issue_page(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    match issue(&state, &auth, &input).await {
        Ok(issued) => Ok(see_other(&format!(
            "/monthly-bulletins?org_id={}&period={}-{:02}",
            issued.org_id, issued.year, issued.month
        ))),
        Err(AppError::Invalid(errors)) => {
            let query = BulletinQuery {
                org_id: input.text("org_id").parse().ok(),
                period: Some(input.text("period")),
                as_of: None,
                figure: None,
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&show_view(&state, &auth, &query, crate::error::messages(&errors)).await?)?,
            )
                .into_response())
        }
        Err(other) => Err(other),
    }
}

#[derive(Template)]
#[template(path = "monthly_reports/trace.html")]
struct TraceView<'a> {
    page: PageContext,
    r: &'a Report,
    figure: String,
    lines: Vec<(&'a ProjectAsOf, Option<Rag>)>,
    planned: Money,
    ytd: Money,
    months: Vec<Money>,
}

impl TraceView<'_> {
    fn wan(&self, m: impl Amount) -> String {
        m.money().wan_2()
    }
    fn stage(&self, s: &Stage) -> String {
        self.page.label("Stage", s.code())
    }
    fn rag(&self, r: &Option<Rag>) -> String {
        r.map(|r| self.page.label("Rag", r.code()))
            .unwrap_or_default()
    }
    fn rag_class(&self, r: &Option<Rag>) -> &'static str {
        match r {
            Some(Rag::Red) => "rag rag-red",
            Some(Rag::Yellow) => "rag rag-yellow",
            Some(Rag::Green) => "rag rag-green",
            None => "",
        }
    }
}

/// Money however a template holds it (owned or borrowed in loops).
trait Amount {
    fn money(&self) -> Money;
}

impl Amount for Money {
    fn money(&self) -> Money {
        *self
    }
}

impl<T: Amount + ?Sized> Amount for &T {
    fn money(&self) -> Money {
        (**self).money()
    }
}

/// What a figure's code means, in words.
fn figure_words(r: &Report, trace: Trace) -> String {
    let f = &r.figures;
    let unit = |lines: &[RankLine], apart: Option<&RankLine>, id: i64| {
        lines
            .iter()
            .chain(apart)
            .find(|l| l.unit.id == id)
            .map(|l| l.unit.name.clone())
            .unwrap_or_default()
    };
    let catalog = kfq_app::i18n::Catalog::zh();
    let month = r.period.month().to_string();
    let year = r.period.year().to_string();
    let label = |key: String| catalog.t(&key).to_owned();
    let (key, arg) = match trace {
        Trace::All => ("monthly_report.figure.all", None),
        Trace::LeftOut => ("monthly_report.figure.left_out", None),
        Trace::Stage(s) => (
            "monthly_report.figure.stage",
            Some(("stage", label(s.label_key()))),
        ),
        Trace::Category(c) => (
            "monthly_report.figure.category",
            Some(("category", label(c.label_key()))),
        ),
        Trace::Zone(id) => (
            "monthly_report.figure.zone",
            Some(("name", unit(&f.zones, None, id))),
        ),
        Trace::Department(id) => (
            "monthly_report.figure.department",
            Some((
                "name",
                unit(&f.departments, f.departments_unassigned.as_ref(), id),
            )),
        ),
        Trace::Liaison(id) => (
            "monthly_report.figure.liaison",
            Some((
                "name",
                unit(&f.liaisons, f.liaisons_unassigned.as_ref(), id),
            )),
        ),
        Trace::NewStarts => ("monthly_report.figure.new_starts", Some(("month", month))),
        Trace::NewProduction => (
            "monthly_report.figure.new_production",
            Some(("month", month)),
        ),
        Trace::SignedInYear => ("monthly_report.figure.signed_in_year", Some(("year", year))),
        Trace::StartedInYear => (
            "monthly_report.figure.started_in_year",
            Some(("year", year)),
        ),
        Trace::ProducingInYear => (
            "monthly_report.figure.producing_in_year",
            Some(("year", year)),
        ),
        Trace::FastPath => ("monthly_report.figure.fast_path", None),
        Trace::Rag(rag) => (
            "monthly_report.figure.rag",
            Some(("level", label(rag.label_key()))),
        ),
        Trace::Overdue(factor) => (
            "monthly_report.figure.overdue",
            Some(("factor", label(factor.label_key()))),
        ),
        Trace::AnyOverdue => ("monthly_report.figure.any_overdue", None),
    };
    let args: Vec<(&str, &str)> = arg.iter().map(|(n, v)| (*n, v.as_str())).collect();
    catalog.format(key, &args)
}

pub async fn trace_page(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<BulletinQuery>,
) -> AppResult<Response> {
    let trace = trace_of(&query)?;
    let r = report(&state, &auth, &query).await?;
    let lines = r.traced(trace);
    let mut months = vec![Money::ZERO; r.period.month() as usize];
    for (p, _) in &lines {
        for (slot, m) in months.iter_mut().zip(&p.months) {
            *slot = *slot + *m;
        }
    }
    let view = TraceView {
        page: PageContext::new(Some(&auth), "dispatch"),
        figure: figure_words(&r, trace),
        planned: lines.iter().filter_map(|(p, _)| p.plan).sum(),
        ytd: lines.iter().map(|(p, _)| p.ytd()).sum(),
        months,
        lines,
        r: &r,
    };
    Ok(render(&view)?.into_response())
}
