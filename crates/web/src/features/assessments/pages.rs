//! The assessment pages and their .xlsx.

use super::*;
use crate::reads::Reads;

// ---- pages ----

/// Units the user may pick: their visible provinces, cities, counties and zones.
pub(super) async fn unit_choices(state: &AppState, auth: &Auth) -> AppResult<Vec<(i64, String)>> {
    Ok(state
        .store
        .orgs(
            &auth.principal.org_visibility(),
            &OrgFilter::default(),
            0,
            100_000,
        )
        .await?
        .items
        .into_iter()
        .filter(|o| o.kind() != OrgKind::Department)
        .map(|o| (o.id, o.name))
        .collect())
}

/// One ranked row as the page and the workbook show it.
pub struct RankRow {
    pub rank: usize,
    pub subject_id: i64,
    pub name: String,
    pub points: Vec<String>,
    pub total: String,
}

pub struct RankTable {
    pub name: &'static str,
    pub title: &'static str,
    pub rows: Vec<RankRow>,
}

/// A zone ranks its departments and its leaders; any other unit its zones.
pub(super) fn rank_tables(
    catalog: &'static Catalog,
    results: &Results,
    of_zone: bool,
) -> Vec<RankTable> {
    results
        .tables()
        .into_iter()
        .filter(|(name, _, _)| (*name != "zones") == of_zone)
        .map(|(name, title, scores)| RankTable {
            name,
            title: catalog.t(title),
            rows: scores
                .iter()
                .map(|s| RankRow {
                    rank: s.rank,
                    subject_id: s.subject.id,
                    name: s.subject.name.clone(),
                    points: s
                        .items
                        .iter()
                        .map(|i| points_text(i.points_hundredths))
                        .collect(),
                    total: points_text(s.total_hundredths),
                })
                .collect(),
        })
        .collect()
}

pub(super) fn headers(catalog: &Catalog, sheet: &Sheet) -> Vec<String> {
    sheet
        .items()
        .iter()
        .map(|i| {
            catalog.format(
                "assessment.item_header",
                &[("item", i.kind.label()), ("weight", &i.weight.to_string())],
            )
        })
        .collect()
}

#[derive(Template)]
#[template(path = "assessments/quarter.html")]
pub(super) struct QuarterView {
    pub(super) page: PageContext,
    pub(super) report: QuarterReport,
    pub(super) query: String,
    pub(super) units: Vec<(i64, String)>,
    pub(super) years: Vec<i32>,
    pub(super) headers: Vec<String>,
    pub(super) tables: Vec<RankTable>,
    pub(super) closed_at: String,
    pub(super) as_of: String,
    pub(super) errors: Vec<String>,
}

pub(super) fn years() -> Vec<i32> {
    let now = Quarter::of(today()).year;
    (now - 4..=now).rev().collect()
}

pub(super) async fn quarter_view(
    state: &AppState,
    auth: &Auth,
    query: &AssessQuery,
    errors: Vec<String>,
) -> AppResult<QuarterView> {
    let quarter = query.quarter()?;
    let org = assessed_unit(state, auth, query.org_id).await?;
    let query_string = query.query_string(&org, quarter);
    let report = quarter_report(state, auth, org, quarter).await?;
    let page = PageContext::new(Some(auth), "assessment");
    let catalog = page.catalog;
    Ok(QuarterView {
        closed_at: report
            .closing
            .as_ref()
            .map(|c| page.time(&c.closed_at))
            .unwrap_or_default(),
        as_of: report
            .closing
            .as_ref()
            .map(|c| page.time(&c.as_of))
            .unwrap_or_default(),
        page,
        headers: headers(catalog, &report.results.sheet),
        tables: rank_tables(catalog, &report.results, report.org_kind == "zone"),
        units: unit_choices(state, auth).await?,
        years: years(),
        query: query_string,
        report,
        errors,
    })
}

pub(super) async fn quarter_page(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<AssessQuery>,
) -> AppResult<Response> {
    Ok(render(&quarter_view(&state, &auth, &query, vec![]).await?)?.into_response())
}

pub(super) async fn close_page(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    match close(&state, &auth, &input).await {
        Ok(r) => Ok(see_other(&format!(
            "/assessment?org_id={}&year={}&quarter={}",
            r.org_id, r.year, r.quarter
        ))),
        Err(AppError::Invalid(errors)) => {
            let query = AssessQuery {
                org_id: input.text("org_id").parse().ok(),
                year: input.text("year").parse().ok(),
                quarter: input.text("quarter").parse().ok(),
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render(
                    &quarter_view(&state, &auth, &query, crate::error::messages(&errors)).await?,
                )?,
            )
                .into_response())
        }
        Err(other) => Err(other),
    }
}

/// An item's figures in words: "833.00/2100.00万元，完成39.7%（序时进度50.0%）".
pub(super) fn item_summary(catalog: &Catalog, item: &ItemScore) -> String {
    if item.no_task {
        return catalog.t("assessment.summary.no_task").to_owned();
    }
    let rate = item.rate_tenths.map(percent).unwrap_or_default();
    let (key, done, planned) = match item.kind {
        ItemKind::PlanCompletion => (
            "assessment.summary.plan_completion",
            Money::from_yuan(item.numerator).wan_string(),
            Money::from_yuan(item.denominator).wan_string(),
        ),
        ItemKind::StartRate => (
            "assessment.summary.start_rate",
            item.numerator.to_string(),
            item.denominator.to_string(),
        ),
        ItemKind::ProductionRate => (
            "assessment.summary.production_rate",
            item.numerator.to_string(),
            item.denominator.to_string(),
        ),
        ItemKind::BlockerClosure => (
            "assessment.summary.blocker_closure",
            item.numerator.to_string(),
            item.denominator.to_string(),
        ),
    };
    let elapsed = item.elapsed_tenths.map(percent).unwrap_or_default();
    catalog.format(
        key,
        &[
            ("done", &done),
            ("planned", &planned),
            ("rate", &rate),
            ("elapsed", &elapsed),
        ],
    )
}

pub struct BasisRow {
    pub project_id: i64,
    pub project_name: String,
    pub blocker_id: Option<i64>,
    pub met: bool,
    /// The outcome as a sentence: "按期办结", "逾期未办结", "低于序时进度"….
    pub verdict: String,
    pub detail: String,
}

pub struct ItemView {
    pub label: String,
    pub weight: u32,
    pub points: String,
    pub summary: String,
    pub rows: Vec<BasisRow>,
}

pub(super) fn item_views(catalog: &Catalog, score: &Score) -> Vec<ItemView> {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let done_or = |d: Option<chrono::NaiveDate>, key| {
        d.map_or_else(|| catalog.t(key).to_owned(), |d| d.to_string())
    };
    score
        .items
        .iter()
        .map(|item| ItemView {
            label: item.kind.label().to_owned(),
            weight: item.weight,
            points: points_text(item.points_hundredths),
            summary: item_summary(catalog, item),
            rows: item
                .basis
                .iter()
                .map(|b| BasisRow {
                    project_id: b.project_id,
                    project_name: b.project_name.clone(),
                    blocker_id: b.blocker_id,
                    met: b.met,
                    verdict: catalog
                        .t(match (item.kind, b.met, b.done_on.is_some()) {
                            (ItemKind::PlanCompletion, true, _) => "assessment.verdict.on_pace",
                            (ItemKind::PlanCompletion, false, _) => "assessment.verdict.behind",
                            (ItemKind::StartRate, true, _) => "assessment.verdict.started",
                            (ItemKind::StartRate, false, _) => "assessment.verdict.not_started",
                            (ItemKind::ProductionRate, true, _) => "assessment.verdict.producing",
                            (ItemKind::ProductionRate, false, _) => {
                                "assessment.verdict.not_producing"
                            }
                            (ItemKind::BlockerClosure, true, _) => "assessment.verdict.closed",
                            (ItemKind::BlockerClosure, false, true) => {
                                "assessment.verdict.closed_late"
                            }
                            (ItemKind::BlockerClosure, false, false) => {
                                "assessment.verdict.not_closed"
                            }
                        })
                        .to_owned(),
                    detail: match item.kind {
                        ItemKind::PlanCompletion => catalog.format(
                            "assessment.basis.plan_completion",
                            &[
                                (
                                    "done",
                                    &Money::from_yuan(b.done_yuan.unwrap_or_default()).wan_string(),
                                ),
                                (
                                    "planned",
                                    &Money::from_yuan(b.plan_yuan.unwrap_or_default()).wan_string(),
                                ),
                            ],
                        ),
                        ItemKind::BlockerClosure => catalog.format(
                            "assessment.basis.blocker_closure",
                            &[
                                ("due", &date(b.due_on)),
                                ("done", &done_or(b.done_on, "assessment.basis.not_closed")),
                            ],
                        ),
                        _ => catalog.format(
                            "assessment.basis.milestone",
                            &[
                                ("due", &date(b.due_on)),
                                ("done", &done_or(b.done_on, "assessment.basis.not_reached")),
                            ],
                        ),
                    },
                })
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "assessments/breakdown.html")]
pub(super) struct BreakdownView {
    pub(super) page: PageContext,
    pub(super) breakdown: Breakdown,
    pub(super) total: String,
    pub(super) items: Vec<ItemView>,
    pub(super) back: String,
}

pub(super) async fn breakdown_page(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<BreakdownQuery>,
) -> AppResult<Response> {
    let breakdown = breakdown(&state, &auth, &query).await?;
    let quarter = query.scope().quarter()?;
    let page = PageContext::new(Some(&auth), "assessment");
    let view = BreakdownView {
        total: points_text(breakdown.score.total_hundredths),
        items: item_views(page.catalog, &breakdown.score),
        page,
        back: format!(
            "/assessment?org_id={}&year={}&quarter={}",
            breakdown.org_id, quarter.year, quarter.quarter
        ),
        breakdown,
    };
    Ok(render(&view)?.into_response())
}

pub struct YearRow {
    pub rank: usize,
    pub name: String,
    pub quarters: Vec<String>,
    pub total: String,
}

pub struct YearTable {
    pub title: &'static str,
    pub rows: Vec<YearRow>,
}

#[derive(Template)]
#[template(path = "assessments/year.html")]
pub(super) struct YearView {
    pub(super) page: PageContext,
    pub(super) report: YearReport,
    pub(super) states: Vec<String>,
    pub(super) tables: Vec<YearTable>,
}

pub(super) async fn year_page(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<AssessQuery>,
) -> AppResult<Response> {
    let report = year_report(&state, &auth, &query).await?;
    let page = PageContext::new(Some(&auth), "assessment");
    let catalog = page.catalog;
    let table = |title: &'static str, lines: &[YearLine]| YearTable {
        title: catalog.t(title),
        rows: lines
            .iter()
            .map(|l| YearRow {
                rank: l.rank,
                name: l.subject.name.clone(),
                quarters: l
                    .quarters
                    .iter()
                    .map(|q| q.map(points_text).unwrap_or_else(|| "—".into()))
                    .collect(),
                total: points_text(l.total_hundredths),
            })
            .collect(),
    };
    let tables = if report.departments.is_empty() && report.liaisons.is_empty() {
        vec![table("assessment.table.zones", &report.zones)]
    } else {
        vec![
            table("assessment.table.departments", &report.departments),
            table("assessment.table.liaisons", &report.liaisons),
        ]
    };
    let view = YearView {
        states: report
            .quarters
            .iter()
            .map(|s| match s.as_str() {
                "closed" => "assessment.state.closed",
                "open" => "assessment.state.open",
                _ => "assessment.state.not_started",
            })
            .map(|key| catalog.t(key).to_owned())
            .collect(),
        page,
        tables,
        report,
    };
    Ok(render(&view)?.into_response())
}

#[derive(Template)]
#[template(path = "assessments/sheet.html")]
pub(super) struct SheetView {
    pub(super) page: PageContext,
    pub(super) sheet: SheetReport,
    pub(super) errors: Vec<String>,
}

pub(super) async fn sheet_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<AssessQuery>,
) -> AppResult<Response> {
    let view = SheetView {
        page: PageContext::new(Some(&auth), "assessment"),
        sheet: sheet_report(&state, &auth, &query).await?,
        errors: vec![],
    };
    Ok(render(&view)?.into_response())
}

pub(super) async fn sheet_save_page(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    match save_sheet(&state, &auth, &input).await {
        Ok(s) => Ok(see_other(&format!(
            "/assessment/sheet?org_id={}&year={}",
            s.org_id, s.year
        ))),
        Err(AppError::Invalid(errors)) => {
            let query = AssessQuery {
                org_id: input.text("org_id").parse().ok(),
                year: input.text("year").parse().ok(),
                quarter: None,
            };
            let view = SheetView {
                page: PageContext::new(Some(&auth), "assessment"),
                sheet: sheet_report(&state, &auth, &query).await?,
                errors: crate::error::messages(&errors),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&view)?).into_response())
        }
        Err(other) => Err(other),
    }
}

pub(super) async fn ranking_xlsx(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<AssessQuery>,
) -> AppResult<Response> {
    let report = report_for(&state, &auth, &query).await?;
    let catalog = Catalog::zh();
    use kfq_export::ReportCell::{Count, Text};
    let tables = rank_tables(catalog, &report.results, report.org_kind == "zone");
    let with_table_column = tables.len() > 1;
    let mut rows = Vec::new();
    for table in &tables {
        for r in &table.rows {
            let mut row = vec![Count(r.rank as i64)];
            if with_table_column {
                row.push(Text(table.title.into()));
            }
            row.push(Text(r.name.clone()));
            row.extend(r.points.iter().map(|p| Text(p.clone())));
            row.push(Text(r.total.clone()));
            rows.push(row);
        }
    }
    let item_headers = headers(catalog, &report.results.sheet);
    let mut header: Vec<&str> = vec![catalog.t("assessment.rank")];
    if with_table_column {
        header.push(catalog.t("assessment.xlsx.table"));
    }
    header.push(catalog.t("assessment.xlsx.name"));
    header.extend(item_headers.iter().map(String::as_str));
    header.push(catalog.t("assessment.total"));
    let status = catalog.t(if report.closing.is_some() {
        "assessment.state.closed"
    } else {
        "assessment.xlsx.not_closed"
    });
    let title = catalog.format(
        "assessment.xlsx.title",
        &[("unit", &report.org_name), ("quarter", &report.label)],
    );
    let unit_note = catalog.format("assessment.xlsx.unit", &[("status", status)]);
    let bytes = kfq_export::report_workbook(&[kfq_export::ReportSheet {
        name: catalog.t("assessment.xlsx.sheet"),
        title: &title,
        unit_note: &unit_note,
        headers: &header,
        rows: &rows,
        totals: &[],
        empty: catalog.t("assessment.xlsx.empty"),
    }])
    .map_err(anyhow::Error::from)?;
    Ok(crate::common::attachment(
        bytes,
        &format!("{title}.xlsx"),
        "assessment.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ))
}
