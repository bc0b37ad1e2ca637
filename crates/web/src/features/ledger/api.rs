//! The JSON twins of the ledger pages under /api/v1.

use super::*;
use crate::input::{Amount, Body, Flag};
use serde::Serialize;

// ---- API ----

// The bodies are what the handlers read (see `crate::input::Body`). A field the
// parse function requires is an `Option` marked required: missing, it is
// reported with the other field errors, after the object is found.

/// Body of a project create or update. Money in 万元 (text or number), land in 亩.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectBody {
    #[schema(required = true, nullable = false)]
    zone_id: Option<i64>,
    #[schema(required = true, nullable = false)]
    name: Option<String>,
    /// Create only: the stage it starts in (default planning).
    #[schema(schema_with = crate::openapi::codes::stage)]
    stage: Option<String>,
    enterprise_id: Option<i64>,
    investor: Option<String>,
    #[schema(required = true, nullable = false, schema_with = crate::openapi::codes::category)]
    category: Option<String>,
    #[schema(required = true, nullable = false, schema_with = crate::openapi::codes::nature)]
    nature: Option<String>,
    industry_chain_id: Option<i64>,
    /// 总投资, 万元.
    #[schema(required = true, nullable = false)]
    total_investment: Option<Amount>,
    /// 用地, 亩.
    land_mu: Option<Amount>,
    floor_area_m2: Option<i64>,
    construction_content: Option<String>,
    /// 万元.
    annual_output: Option<Amount>,
    /// 万元.
    annual_tax: Option<Amount>,
    jobs: Option<i64>,
    registered: Option<Flag>,
    registered_on: Option<String>,
    liaison_user_id: Option<i64>,
    department_id: Option<i64>,
    task_force: Option<String>,
    project_code: Option<String>,
    /// Update only (required there): the version last read.
    version: Option<i64>,
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageBody {
    #[schema(required = true, nullable = false, schema_with = crate::openapi::codes::stage)]
    stage: Option<String>,
    /// The day the stage was reached (YYYY-MM-DD).
    #[schema(required = true, nullable = false)]
    date: Option<String>,
    /// A correction (any direction) needs a reason.
    correction: Option<Flag>,
    /// Given, it makes the change a correction.
    reason: Option<String>,
    #[schema(required = true, nullable = false)]
    version: Option<i64>,
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanBody {
    #[schema(required = true, nullable = false)]
    year: Option<i64>,
    /// 年度计划投资, 万元.
    #[schema(required = true, nullable = false)]
    planned_investment: Option<Amount>,
    target_start: Option<String>,
    target_completion: Option<String>,
    target_production: Option<String>,
    /// To change an existing plan: its version.
    version: Option<i64>,
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvestmentBody {
    #[schema(required = true, nullable = false)]
    year: Option<i64>,
    /// 1–12.
    #[schema(required = true, nullable = false)]
    month: Option<i64>,
    /// 当月完成投资, 万元.
    #[schema(required = true, nullable = false)]
    amount: Option<Amount>,
    note: Option<String>,
    /// To correct a reported month: its version.
    version: Option<i64>,
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockerBody {
    #[schema(required = true, nullable = false, schema_with = crate::openapi::codes::blocker_factor)]
    factor: Option<String>,
    #[schema(required = true, nullable = false)]
    description: Option<String>,
    #[schema(required = true, nullable = false)]
    raised_on: Option<String>,
    department_id: Option<i64>,
    deadline: Option<String>,
    /// Open by default.
    #[schema(schema_with = crate::openapi::codes::blocker_status)]
    status: Option<String>,
    /// Needed, with resolved_on, when resolved.
    resolution: Option<String>,
    resolved_on: Option<String>,
    /// Update only (required there).
    version: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", params(LedgerQuery),
    responses((status = 200, body = Ledger), (status = 422, body = ApiErrorDoc)))]
pub async fn api_ledger(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<LedgerQuery>,
) -> AppResult<Response> {
    let paging = Paging::from_query(query.page.as_deref(), query.per_page.as_deref());
    let filter = ledger_filter(&query)?;
    let ledger = super::list::asked_ledger(&state, &auth, &filter, &paging).await?;
    Ok(Json(&*ledger).into_response())
}

#[utoipa::path(post, path = "/api/v1/projects", tag = "projects", request_body = ProjectBody,
    responses((status = 201, body = Project), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_create(
    State(state): State<AppState>,
    auth: Auth,
    input: Body<ProjectBody>,
) -> AppResult<Response> {
    Ok((
        StatusCode::CREATED,
        Json(create(&state, &auth, &input).await?),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/projects/{project_id}", tag = "projects", params(("project_id" = i64, Path)),
    responses((status = 200, body = Project), (status = 404, body = ApiErrorDoc)))]
pub async fn api_get(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Project>> {
    Ok(Json(visible(&state, &auth, id).await?))
}

#[utoipa::path(put, path = "/api/v1/projects/{project_id}", tag = "projects", params(("project_id" = i64, Path)), request_body = ProjectBody,
    responses((status = 200, body = Project), (status = 404, body = ApiErrorDoc), (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_update(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<ProjectBody>,
) -> AppResult<Json<Project>> {
    Ok(Json(update(&state, &auth, id, &input).await?))
}

#[utoipa::path(delete, path = "/api/v1/projects/{project_id}", tag = "projects", params(("project_id" = i64, Path), VersionQuery),
    responses((status = 204), (status = 404, body = ApiErrorDoc), (status = 409, body = ApiErrorDoc)))]
pub async fn api_delete(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Query(query): Query<VersionQuery>,
) -> AppResult<Response> {
    let project = editable(&state, &auth, id).await?;
    let proof = zone_write(&auth, &project.zone_org_path())?;
    state
        .store
        .delete_project(&auth.actor(), &proof, id, query.required()?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The project's history as its page shows it: one entry per change of the
/// project or of its plans, months, blockers and milestones, newest first,
/// each field with its key, its label and its values as shown.
#[utoipa::path(get, path = "/api/v1/projects/{project_id}/history", tag = "projects", params(("project_id" = i64, Path)),
    responses((status = 200, body = Vec<HistoryEntry>), (status = 404, body = ApiErrorDoc)))]
pub async fn api_history(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Vec<HistoryEntry>>> {
    let p = visible(&state, &auth, id).await?;
    Ok(Json(project_history(&state, &auth, &p).await?))
}

#[utoipa::path(get, path = "/api/v1/projects/{project_id}/stages", tag = "projects", params(("project_id" = i64, Path)),
    responses((status = 200, body = Vec<StageChange>), (status = 404, body = ApiErrorDoc)))]
pub async fn api_stages(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Vec<StageChange>>> {
    let p = visible(&state, &auth, id).await?;
    Ok(Json(
        state
            .store
            .stage_changes(&auth.principal.zone_data_visibility(), p.id)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/projects/{project_id}/stage", tag = "projects", params(("project_id" = i64, Path)), request_body = StageBody,
    responses((status = 200, body = Project), (status = 404, body = ApiErrorDoc), (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_stage(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<StageBody>,
) -> AppResult<Json<Project>> {
    Ok(Json(change_stage(&state, &auth, id, &input).await?))
}

#[utoipa::path(get, path = "/api/v1/projects/{project_id}/plans", tag = "projects", params(("project_id" = i64, Path)),
    responses((status = 200, body = Vec<AnnualPlan>), (status = 404, body = ApiErrorDoc)))]
pub async fn api_plans(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Vec<AnnualPlan>>> {
    let p = visible(&state, &auth, id).await?;
    Ok(Json(
        state
            .store
            .plans(&auth.principal.zone_data_visibility(), p.id)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/projects/{project_id}/opening", tag = "projects", params(("project_id" = i64, Path)),
    responses((status = 200, description = "The total invested since the start as a ledger stated it, or null", body = Option<kfq_store::OpeningCumulative>),
        (status = 404, body = ApiErrorDoc)))]
pub async fn api_opening(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Option<kfq_store::OpeningCumulative>>> {
    let p = visible(&state, &auth, id).await?;
    Ok(Json(
        state
            .store
            .opening(&auth.principal.zone_data_visibility(), p.id)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/projects/{project_id}/plans", tag = "projects", params(("project_id" = i64, Path)), request_body = PlanBody,
    responses((status = 200, body = AnnualPlan), (status = 404, body = ApiErrorDoc), (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_plan(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<PlanBody>,
) -> AppResult<Json<AnnualPlan>> {
    Ok(Json(set_plan(&state, &auth, id, &input).await?))
}

#[utoipa::path(get, path = "/api/v1/projects/{project_id}/investments", tag = "projects", params(("project_id" = i64, Path)),
    responses((status = 200, body = Vec<MonthlyInvestment>), (status = 404, body = ApiErrorDoc)))]
pub async fn api_investments(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Vec<MonthlyInvestment>>> {
    let p = visible(&state, &auth, id).await?;
    Ok(Json(
        state
            .store
            .investments(&auth.principal.zone_data_visibility(), p.id)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/projects/{project_id}/investments", tag = "projects", params(("project_id" = i64, Path)), request_body = InvestmentBody,
    responses((status = 200, body = MonthlyInvestment), (status = 404, body = ApiErrorDoc), (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_investment(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<InvestmentBody>,
) -> AppResult<Json<MonthlyInvestment>> {
    Ok(Json(set_investment(&state, &auth, id, &input).await?))
}

#[utoipa::path(get, path = "/api/v1/projects/{project_id}/blockers", tag = "projects", params(("project_id" = i64, Path)),
    responses((status = 200, body = Vec<Blocker>), (status = 404, body = ApiErrorDoc)))]
pub async fn api_blockers(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Vec<Blocker>>> {
    let p = visible(&state, &auth, id).await?;
    Ok(Json(
        state
            .store
            .blockers(
                &auth.principal.zone_data_visibility(),
                Some(p.id),
                None,
                false,
            )
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/projects/{project_id}/blockers", tag = "projects", params(("project_id" = i64, Path)), request_body = BlockerBody,
    responses((status = 201, body = Blocker), (status = 404, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_blocker_create(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<BlockerBody>,
) -> AppResult<Response> {
    Ok((
        StatusCode::CREATED,
        Json(save_blocker(&state, &auth, Some(id), None, &input).await?),
    )
        .into_response())
}

#[utoipa::path(put, path = "/api/v1/blockers/{blocker_id}", tag = "projects", params(("blocker_id" = i64, Path)), request_body = BlockerBody,
    responses((status = 200, body = Blocker), (status = 404, body = ApiErrorDoc), (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_blocker_update(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<BlockerBody>,
) -> AppResult<Json<Blocker>> {
    Ok(Json(
        save_blocker(&state, &auth, None, Some(id), &input).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The API body names exactly the fields of the project table, plus the
    /// create-only stage and the update-only version.
    #[test]
    fn the_project_body_is_the_field_table() {
        let schema =
            serde_json::to_value(<ProjectBody as utoipa::PartialSchema>::schema()).unwrap();
        let mut documented: Vec<&str> = schema["properties"]
            .as_object()
            .expect("an object schema")
            .keys()
            .map(String::as_str)
            .collect();
        documented.sort_unstable();
        let mut table: Vec<&str> = kfq_domain::project_fields::FIELDS
            .iter()
            .map(|f| f.key)
            .chain(["stage", "version"])
            .collect();
        table.sort_unstable();
        assert_eq!(documented, table);
    }
}
