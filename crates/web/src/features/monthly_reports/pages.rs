//! The bulletin on screen: the figures with charts, each total linking to
//! the projects behind it, and the trace page that lists them with their
//! months. Issuing takes two steps: the page's form (with the words of the
//! file) answers with a confirmation naming what will be frozen, and only
//! that page's 确认签发 (`confirm=1`) issues.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kfq_domain::{Money, OrgKind, Rag, Stage};
use kfq_monthly_report::{ProjectAsOf, RankLine, Trace};
use kfq_store::OrgFilter;

use super::{
    issuable, issue, may_issue, report, trace_of, wording_as_typed, BulletinQuery, Report,
};
use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::input::Input;
use crate::layout::{render, see_other, PageContext};
use crate::reads::Reads;
use crate::state::AppState;
use kfq_app::monthly_report::files::{gap_points, gap_words, rate, reasons};
use kfq_app::monthly_report::Wording;

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
    r: std::sync::Arc<Report>,
    units: Vec<(i64, String)>,
    can_issue: bool,
    errors: Vec<String>,
    /// The words of the file: as typed when the page comes back to the
    /// person who typed them, else as kept with the issue or proposed.
    wording: Wording,
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
    /// The ranking tables: zones (above a zone; none within one),
    /// departments, liaison leaders, each with the sentence shown when it
    /// has nothing to rank.
    fn rankings(&self) -> Vec<(&'static str, &[RankLine], Option<&'static str>)> {
        let f = &self.r.figures;
        // Over several zones the zones are ranked; within one, its
        // departments and liaison leaders.
        if !f.zones.is_empty() {
            return vec![(
                self.page.t("monthly_report.col.zone"),
                f.zones.as_slice(),
                None,
            )];
        }
        vec![
            (
                self.page.t("monthly_report.col.department"),
                f.departments.as_slice(),
                Some(self.page.t("monthly_report.empty.departments")),
            ),
            (
                self.page.t("monthly_report.col.liaison"),
                f.liaisons.as_slice(),
                Some(self.page.t("monthly_report.empty.liaisons")),
            ),
        ]
    }
    /// The projects without a department or a liaison leader, in one
    /// sentence each, never ranked.
    fn unassigned(&self) -> Vec<String> {
        let f = &self.r.figures;
        [
            (
                "monthly_report.unassigned.departments",
                f.departments_unassigned.as_ref(),
            ),
            (
                "monthly_report.unassigned.liaisons",
                f.liaisons_unassigned.as_ref(),
            ),
        ]
        .into_iter()
        .filter(|_| f.zones.is_empty())
        .filter_map(|(key, line)| {
            kfq_app::monthly_report::files::unassigned_words(self.page.catalog, key, line)
        })
        .collect()
    }
    /// The words kept with the issue, as issued (none for an issue made
    /// before the words were kept).
    fn kept_words(&self) -> Option<Wording> {
        let issued = self.r.issued.as_ref()?;
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        Some(Wording {
            lead: text(&issued.lead),
            next_steps: issued.next_steps.clone()?,
            addressee: text(&issued.addressee),
            copy_to: text(&issued.copy_to),
        })
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
    typed: Option<&Input>,
) -> AppResult<ShowView> {
    let r = report(state, auth, query).await?;
    let wording = match typed {
        Some(input) => wording_as_typed(&r, input),
        None => Wording::of(&r),
    };
    Ok(ShowView {
        page: PageContext::new(Some(auth), "dispatch"),
        can_issue: may_issue(auth, &r.org),
        units: units(state, auth).await?,
        r,
        errors,
        wording,
    })
}

pub async fn show_page(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<BulletinQuery>,
) -> AppResult<Response> {
    Ok(render(&show_view(&state, &auth, &query, vec![], None).await?)?.into_response())
}

/// The second step of issuing: what will be frozen, and the one button that
/// freezes it.
#[derive(Template)]
#[template(path = "monthly_reports/confirm.html")]
struct ConfirmView {
    page: PageContext,
    r: std::sync::Arc<Report>,
    wording: Wording,
}

impl ConfirmView {
    fn period_value(&self) -> String {
        self.r.period.code()
    }
    /// 项目数, 完成投资 and 完成率 in one line.
    fn headline(&self) -> String {
        let o = &self.r.figures.overall;
        self.page.catalog.format(
            "monthly_report.confirm.headline",
            &[
                ("projects", &o.projects.to_string()),
                ("ytd_label", &self.r.period.ytd_label()),
                ("ytd", &o.ytd.yi_2()),
                ("completion", &rate(o.completion_tenths)),
            ],
        )
    }
}

/// The issue form's post: without `confirm=1` the confirmation page (or,
/// with `back`, the report again with the words as typed); with it, the
/// issue. Anything refused shows the report again with the words as typed
/// and the reasons.
pub async fn issue_page(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    let again = |errors: Vec<String>| {
        let query = BulletinQuery {
            org_id: input.text("org_id").parse().ok(),
            period: Some(input.text("period")),
            as_of: input.text("as_of").parse().ok(),
            figure: None,
        };
        let (state, auth, input) = (&state, &auth, &input);
        async move { show_view(state, auth, &query, errors, Some(input)).await }
    };
    if input.flag("back") {
        return Ok(render(&again(vec![]).await?)?.into_response());
    }
    let outcome = if input.flag("confirm") {
        issue(&state, &auth, &input).await.map(|issued| {
            see_other(&format!(
                "/monthly-bulletins?org_id={}&period={}-{:02}",
                issued.org_id, issued.year, issued.month
            ))
        })
    } else {
        match issuable(&state, &auth, &input).await {
            Ok((r, _, wording)) => {
                let view = ConfirmView {
                    page: PageContext::new(Some(&auth), "dispatch"),
                    r: r.into(),
                    wording,
                };
                render(&view).map(IntoResponse::into_response)
            }
            Err(e) => Err(e),
        }
    };
    match outcome {
        Ok(response) => Ok(response),
        Err(AppError::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&again(crate::error::messages(&errors)).await?)?,
        )
            .into_response()),
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
