//! 当年签约、当年开工、当年投产: the year's fast-path projects.

use super::*;
use kfq_store::FastPathProject;

// ---- 当年签约、当年开工、当年投产 ----

pub(super) async fn fast_path(
    state: &AppState,
    auth: &Auth,
    year: Option<&str>,
) -> AppResult<(i32, Vec<FastPathProject>)> {
    let year = match year.map(str::trim).filter(|y| !y.is_empty()) {
        Some(y) => y
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| AppError::Invalid(FieldErrors::single("year", "error.year")))?,
        None => today().year(),
    };
    let projects = state
        .store
        .same_year_fast_path(&auth.principal.zone_data_visibility(), year)
        .await?;
    Ok((year, projects))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearOnly {
    pub year: Option<String>,
}

pub(super) async fn fast_path_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<YearOnly>,
) -> AppResult<Response> {
    let (year, projects) = fast_path(&state, &auth, q.year.as_deref()).await?;
    let page = PageContext::new(Some(&auth), "projects");
    let rows = projects
        .iter()
        .map(|p| {
            vec![
                crate::views::Cell::link(&p.name, format!("/projects/{}", p.id)),
                crate::views::Cell::text(&p.zone_name),
                crate::views::Cell::text(p.total_investment.yi_2()).class("num"),
                crate::views::Cell::text(p.signed_on.map(|d| d.to_string()).unwrap_or_default()),
                crate::views::Cell::text(p.started_on.map(|d| d.to_string()).unwrap_or_default()),
                crate::views::Cell::text(p.producing_on.map(|d| d.to_string()).unwrap_or_default()),
            ]
        })
        .collect();
    let mut year_field = Field::new("year", page.t("project.year"), FieldKind::Text);
    year_field.value = year.to_string();
    let view = crate::views::ListView {
        title: page.catalog.format(
            "common.with_note",
            &[
                ("text", page.t("project.fast_path")),
                ("note", &year.to_string()),
            ],
        ),
        new_href: None,
        filters: vec![year_field],
        filter_action: "/projects/fast-path".into(),
        headers: [
            "project.name",
            "project.zone",
            "project.total_investment_yi",
            "Stage.signed",
            "Stage.started",
            "Stage.producing",
        ]
        .iter()
        .map(|k| page.t(k).to_owned())
        .collect(),
        empty: page.t("project.fast_path_none").to_owned(),
        total: page.format("common.total", "n", &projects.len().to_string()),
        rows,
        prev_href: None,
        next_href: None,
        page,
    };
    Ok(render(&view)?.into_response())
}

#[utoipa::path(get, path = "/api/v1/projects/fast-path", tag = "projects", params(YearOnly),
    responses((status = 200, body = Vec<FastPathProject>), (status = 422, body = ApiErrorDoc)))]
pub async fn api_fast_path(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<YearOnly>,
) -> AppResult<Json<Vec<FastPathProject>>> {
    Ok(Json(fast_path(&state, &auth, q.year.as_deref()).await?.1))
}
