//! The project page: fields, stages, plans, months with 1–N月累计, blockers,
//! milestones, status and why, and the forms on it.

use super::*;

// ---- the project page ----

pub(super) struct MonthLine {
    month: u32,
    amount: Option<MonthlyInvestment>,
    ytd: Money,
    cumulative: Money,
    completion: String,
    elapsed: String,
}

#[derive(Template)]
#[template(path = "projects/show.html")]
pub(super) struct ProjectView {
    page: PageContext,
    project: Project,
    can_edit: bool,
    reasons: Vec<String>,
    stages: Vec<StageChange>,
    next_stages: Vec<(String, String)>,
    all_stages: Vec<(String, String)>,
    plans: Vec<AnnualPlan>,
    year: i32,
    plan_of_year: Option<AnnualPlan>,
    /// 开工以来累计 as a ledger stated it, which 开工累计 builds on.
    opening: Option<kfq_store::OpeningCumulative>,
    months: Vec<MonthLine>,
    chart: String,
    blockers: Vec<Blocker>,
    factors: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    departments: Vec<(String, String)>,
    today: String,
    milestones: Vec<crate::features::ledger::milestones::MilestoneLine>,
    template_nodes: Vec<(String, String)>,
    gantt: String,
    baselines: Vec<kfq_store::Baseline>,
    /// The 招商 lead it came from, when the reader sees leads.
    from_lead: Option<kfq_store::Lead>,
}

impl ProjectView {
    fn yi(&self, amount: &Money) -> String {
        amount.yi_2()
    }

    fn opt_wan(&self, amount: &Option<Money>) -> String {
        amount.map(Money::wan_string).unwrap_or_default()
    }

    fn wan(&self, amount: &Money) -> String {
        amount.wan_string()
    }

    fn money_wan(&self, money: &Money) -> String {
        money.wan_2()
    }

    fn land(&self) -> String {
        self.project.land.map(|m| m.to_string()).unwrap_or_default()
    }

    fn overdue(&self, blocker: &Blocker) -> bool {
        blocker.is_overdue(today())
    }
}

/// A plain SVG of the year's monthly completions (bars) against the plan's
/// straight line; drawn here so it prints and needs no script.
pub(super) fn investment_chart(
    catalog: &Catalog,
    months: &[MonthLine],
    plan: Option<Money>,
) -> String {
    let (width, height, left, bottom) = (600_i64, 180_i64, 40_i64, 24_i64);
    let top_ytd = months.iter().map(|m| m.ytd.yuan()).max().unwrap_or(0);
    let top = plan.map(|p| p.yuan()).unwrap_or(0).max(top_ytd).max(1);
    let scale = |yuan: i64| (yuan as i128 * (height - bottom - 10) as i128 / top as i128) as i64;
    let step = (width - left) / 12;
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"100%\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        catalog.t("project.chart.label")
    );
    svg.push_str(&format!(
        "<line x1=\"{left}\" y1=\"{y}\" x2=\"{width}\" y2=\"{y}\" stroke=\"#9aa5b1\"/>",
        y = height - bottom
    ));
    for m in months {
        let x = left + (m.month as i64 - 1) * step + 4;
        let h = scale(m.ytd.yuan());
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"{}\" width=\"{}\" height=\"{h}\" fill=\"#0b5cad\"><title>{}</title></rect>",
            height - bottom - h,
            step - 8,
            catalog.format(
                "project.chart.bar",
                &[("month", &m.month.to_string()), ("amount", &m.ytd.wan_2())]
            )
        ));
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#616e7c\">{}</text>",
            x + (step - 8) / 2,
            height - 6,
            catalog.format("project.chart.month", &[("month", &m.month.to_string())])
        ));
    }
    if let Some(plan) = plan {
        let y = height - bottom - scale(plan.yuan());
        svg.push_str(&format!(
            "<line x1=\"{left}\" y1=\"{}\" x2=\"{width}\" y2=\"{y}\" stroke=\"#b42318\" stroke-dasharray=\"4 3\"><title>{}</title></line>",
            height - bottom,
            catalog.t("project.elapsed")
        ));
        svg.push_str(&format!(
            "<text x=\"{left}\" y=\"{}\" font-size=\"11\" fill=\"#b42318\">{}</text>",
            (y - 4).max(12),
            catalog.format("project.chart.plan", &[("amount", &plan.wan_2())])
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[derive(Deserialize)]
pub(super) struct ShowQuery {
    year: Option<String>,
    notice: Option<String>,
}

pub(super) async fn project_view(
    state: &AppState,
    auth: &Auth,
    project: Project,
    year: Option<i32>,
    notice: Option<&str>,
) -> AppResult<ProjectView> {
    let page = PageContext::new(Some(auth), "projects").with_notice(notice);
    let now = today();
    let year = year.unwrap_or(now.year());
    let plans = state
        .store
        .plans(&auth.principal.zone_data_visibility(), project.id)
        .await?;
    let investments = state
        .store
        .investments(&auth.principal.zone_data_visibility(), project.id)
        .await?;
    let opening = state
        .store
        .opening(&auth.principal.zone_data_visibility(), project.id)
        .await?;
    let opened = opening
        .as_ref()
        .map(|o| (o.amount, (o.as_of.year(), o.as_of.month())));
    let amounts = Store::month_amounts(&investments);
    let plan_of_year = plans.iter().find(|p| p.year == i64::from(year)).cloned();
    let planned = plan_of_year.as_ref().map(|p| p.planned_investment);
    let last_month = if year < now.year() {
        12
    } else if year > now.year() {
        0
    } else {
        now.month()
    };
    let months: Vec<MonthLine> = (1..=last_month.clamp(1, 12))
        .filter(|m| *m <= last_month)
        .map(|month| {
            let ytd = year_to_date(&amounts, year, month);
            MonthLine {
                month,
                amount: investments
                    .iter()
                    .find(|i| i.year == i64::from(year) && i.month == i64::from(month))
                    .cloned(),
                ytd,
                cumulative: cumulative_from(&amounts, opened, year, month),
                completion: planned
                    .and_then(|p| completion_tenths(ytd, p))
                    .map(percent)
                    .unwrap_or_default(),
                elapsed: percent(elapsed_tenths(month)),
            }
        })
        .collect();
    let reasons = kfq_app::ledger::rag_reason_texts(page.catalog, &project.rag_reasons);
    let current = project.stage;
    let next_stages = Stage::ALL
        .iter()
        .filter(|s| {
            kfq_domain::project::check_advance(current, project.furthest_stage, **s).is_ok()
        })
        .map(|s| (s.code().to_owned(), page.label("Stage", s.code())))
        .collect();
    let all_stages = Stage::ALL
        .iter()
        .map(|s| (s.code().to_owned(), page.label("Stage", s.code())))
        .collect();
    let factors = BlockerFactor::ALL
        .iter()
        .map(|s| (s.code().to_owned(), page.label("BlockerFactor", s.code())))
        .collect();
    let statuses = BlockerStatus::ALL
        .iter()
        .map(|s| (s.code().to_owned(), page.label("BlockerStatus", s.code())))
        .collect();
    let dept_filter = OrgFilter {
        parent_id: Some(project.zone_id),
        kind: Some(OrgKind::Department),
        ..Default::default()
    };
    let mut departments = vec![(String::new(), page.t("common.none").to_owned())];
    departments.extend(
        state
            .store
            .orgs(
                &Visibility::Subtree(project.zone_org_path()),
                &dept_filter,
                0,
                200,
            )
            .await?
            .items
            .into_iter()
            .map(|d| (d.id.to_string(), d.name)),
    );
    let milestone_rows = state
        .store
        .milestones(&auth.principal.zone_data_visibility(), project.id)
        .await?;
    let calendar = kfq_app::ledger::rules::calendar(&state.store).await?;
    let milestones = crate::features::ledger::milestones::lines(&calendar, &milestone_rows, now);
    let template_nodes = crate::features::ledger::milestones::template(state, project.zone_id)
        .await?
        .into_iter()
        .map(|n| (n.key, n.name))
        .collect();
    let gantt = if milestone_rows.is_empty() {
        String::new()
    } else {
        kfq_gantt::render_svg(&crate::features::ledger::milestones::project_chart(
            page.catalog,
            &project,
            &milestone_rows,
            None,
            now,
        ))
    };
    Ok(ProjectView {
        from_lead: state
            .store
            .lead_of_project(&auth.principal.lead_sight(), project.id)
            .await?,
        milestones,
        template_nodes,
        gantt,
        baselines: state
            .store
            .baselines(&auth.principal.zone_data_visibility(), project.id)
            .await?,
        can_edit: auth.principal.can_write_zone_data(&project.zone_org_path()),
        reasons,
        stages: state
            .store
            .stage_changes(&auth.principal.zone_data_visibility(), project.id)
            .await?,
        next_stages,
        all_stages,
        chart: investment_chart(page.catalog, &months, planned),
        blockers: state
            .store
            .blockers(
                &auth.principal.zone_data_visibility(),
                Some(project.id),
                None,
                false,
            )
            .await?,
        plans,
        opening,
        year,
        plan_of_year,
        months,
        factors,
        statuses,
        departments,
        today: now.to_string(),
        project,
        page,
    })
}

pub(super) async fn show_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Query(query): Query<ShowQuery>,
) -> AppResult<Response> {
    let project = visible(&state, &auth, id).await?;
    let year = crate::input::query_year(query.year.as_deref(), "year")?;
    let view = project_view(&state, &auth, project, year, query.notice.as_deref()).await?;
    Ok(render(&view)?.into_response())
}

/// After a refused form on the project page: the page again, with the reasons.
pub(crate) async fn project_with_errors(
    state: &AppState,
    auth: &Auth,
    id: i64,
    errors: &FieldErrors,
) -> AppResult<Response> {
    let project = visible(state, auth, id).await?;
    let mut view = project_view(state, auth, project, None, None).await?;
    let messages: Vec<String> = crate::error::field_messages(errors, view.page.catalog)
        .into_iter()
        .map(|m| m.message)
        .collect();
    view.page.notice = None;
    view.reasons.clear();
    let mut page = render(&view)?.0;
    let alert = format!(
        "<p class=\"alert\" role=\"alert\">{}</p>",
        askama::filters::escape(&messages.join(" "), askama::filters::Html)
            .map(|e| e.to_string())
            .unwrap_or_default()
    );
    page = page.replacen(
        "<main class=\"main\">",
        &format!("<main class=\"main\">{alert}"),
        1,
    );
    Ok((StatusCode::UNPROCESSABLE_ENTITY, axum::response::Html(page)).into_response())
}

/// Runs a form action of the project page: back to the page on success, the
/// page with the reasons when refused.
pub(super) async fn on_project_page<T>(
    state: &AppState,
    auth: &Auth,
    id: i64,
    result: AppResult<T>,
) -> AppResult<Response> {
    match result {
        Ok(_) => Ok(see_other(&format!("/projects/{id}?notice=saved"))),
        Err(AppError::Invalid(errors)) => project_with_errors(state, auth, id, &errors).await,
        Err(other) => Err(other),
    }
}

pub(super) async fn stage_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    let result = change_stage(&state, &auth, id, &input).await;
    on_project_page(&state, &auth, id, result).await
}

pub(super) async fn plan_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    let result = set_plan(&state, &auth, id, &input).await;
    on_project_page(&state, &auth, id, result).await
}

pub(super) async fn investment_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    let result = set_investment(&state, &auth, id, &input).await;
    on_project_page(&state, &auth, id, result).await
}

pub(super) async fn blocker_create_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    let result = save_blocker(&state, &auth, Some(id), None, &input).await;
    on_project_page(&state, &auth, id, result).await
}

pub(super) async fn blocker_update_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    let blocker = state
        .store
        .blocker(&auth.principal.zone_data_visibility(), id)
        .await?;
    let result = save_blocker(&state, &auth, None, Some(id), &input).await;
    on_project_page(&state, &auth, blocker.project_id, result).await
}

pub(super) async fn history_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    let p = visible(&state, &auth, id).await?;
    let entries = project_history(&state, &auth, &p).await?;
    common::history_view(
        &auth,
        "projects",
        &p.name,
        format!("/projects/{}", p.id),
        entries,
    )
}
