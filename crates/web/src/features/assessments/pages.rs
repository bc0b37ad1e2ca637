//! The assessment pages and their .xlsx.

use super::*;

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
pub(super) fn rank_tables(results: &Results, of_zone: bool) -> Vec<RankTable> {
    results
        .tables()
        .into_iter()
        .filter(|(name, _, _)| (*name != "zones") == of_zone)
        .map(|(name, title, scores)| RankTable {
            name,
            title,
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

pub(super) fn headers(sheet: &Sheet) -> Vec<String> {
    sheet
        .items()
        .iter()
        .map(|i| format!("{}（{}分）", i.kind.label(), i.weight))
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
        headers: headers(&report.results.sheet),
        tables: rank_tables(&report.results, report.org_kind == "zone"),
        units: unit_choices(state, auth).await?,
        years: years(),
        query: query_string,
        report,
        errors,
    })
}

pub(super) async fn quarter_page(
    State(state): State<AppState>,
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
pub(super) fn item_summary(item: &ItemScore) -> String {
    if item.no_task {
        return "无考核任务，得满分".into();
    }
    let rate = item.rate_tenths.map(percent).unwrap_or_default();
    match item.kind {
        ItemKind::PlanCompletion => format!(
            "累计完成{}万元 / 年度计划{}万元，完成率{}（序时进度{}）",
            Money::from_yuan(item.numerator).wan_string(),
            Money::from_yuan(item.denominator).wan_string(),
            rate,
            item.elapsed_tenths.map(percent).unwrap_or_default()
        ),
        ItemKind::StartRate => format!(
            "计划开工{}个，已开工{}个，开工率{}",
            item.denominator, item.numerator, rate
        ),
        ItemKind::ProductionRate => format!(
            "计划投产{}个，已投产{}个，投产率{}",
            item.denominator, item.numerator, rate
        ),
        ItemKind::BlockerClosure => format!(
            "到期问题{}个，按期办结{}个，办结率{}",
            item.denominator, item.numerator, rate
        ),
    }
}

pub struct BasisRow {
    pub project_id: i64,
    pub project_name: String,
    pub blocker_id: Option<i64>,
    pub met: bool,
    pub detail: String,
}

pub struct ItemView {
    pub label: String,
    pub weight: u32,
    pub points: String,
    pub summary: String,
    pub rows: Vec<BasisRow>,
}

pub(super) fn item_views(score: &Score) -> Vec<ItemView> {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    score
        .items
        .iter()
        .map(|item| ItemView {
            label: item.kind.label().to_owned(),
            weight: item.weight,
            points: points_text(item.points_hundredths),
            summary: item_summary(item),
            rows: item
                .basis
                .iter()
                .map(|b| BasisRow {
                    project_id: b.project_id,
                    project_name: b.project_name.clone(),
                    blocker_id: b.blocker_id,
                    met: b.met,
                    detail: match item.kind {
                        ItemKind::PlanCompletion => format!(
                            "累计{}万元 / 计划{}万元",
                            Money::from_yuan(b.done_yuan.unwrap_or_default()).wan_string(),
                            Money::from_yuan(b.plan_yuan.unwrap_or_default()).wan_string()
                        ),
                        ItemKind::BlockerClosure => format!(
                            "时限{}，办结{}",
                            date(b.due_on),
                            b.done_on.map_or("未办结".into(), |d| d.to_string())
                        ),
                        _ => format!(
                            "计划{}，实际{}",
                            date(b.due_on),
                            b.done_on.map_or("未达到".into(), |d| d.to_string())
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
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<BreakdownQuery>,
) -> AppResult<Response> {
    let breakdown = breakdown(&state, &auth, &query).await?;
    let quarter = query.scope().quarter()?;
    let view = BreakdownView {
        page: PageContext::new(Some(&auth), "assessment"),
        total: points_text(breakdown.score.total_hundredths),
        items: item_views(&breakdown.score),
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
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<AssessQuery>,
) -> AppResult<Response> {
    let report = year_report(&state, &auth, &query).await?;
    let table = |title, lines: &[YearLine]| YearTable {
        title,
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
        vec![table("开发区", &report.zones)]
    } else {
        vec![
            table("部门", &report.departments),
            table("包联领导", &report.liaisons),
        ]
    };
    let view = YearView {
        page: PageContext::new(Some(&auth), "assessment"),
        states: report
            .quarters
            .iter()
            .map(|s| match s.as_str() {
                "closed" => "已关闭",
                "open" => "未关闭（实时）",
                _ => "未开始",
            })
            .map(str::to_owned)
            .collect(),
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
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<AssessQuery>,
) -> AppResult<Response> {
    let report = report_for(&state, &auth, &query).await?;
    use kfq_export::ReportCell::{Count, Text};
    let tables = rank_tables(&report.results, report.org_kind == "zone");
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
    let item_headers = headers(&report.results.sheet);
    let mut header: Vec<&str> = vec!["名次"];
    if with_table_column {
        header.push("类别");
    }
    header.push("名称");
    header.extend(item_headers.iter().map(String::as_str));
    header.push("总分");
    let status = if report.closing.is_some() {
        "已关闭"
    } else {
        "未关闭"
    };
    let title = format!("{}{}考核得分排名", report.org_name, report.label);
    let bytes = kfq_export::report_xlsx(
        "季度考核",
        &title,
        &format!("单位：分（{status}）"),
        &header,
        &rows,
        &[],
    )
    .map_err(anyhow::Error::from)?;
    Ok(crate::common::attachment(
        bytes,
        &format!("{title}.xlsx"),
        "assessment.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ))
}
