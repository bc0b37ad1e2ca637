//! The JSON twins of the assessment pages under /api/v1.

use super::*;
use crate::input::Body;
use crate::reads::Reads;
use serde::Serialize;

// ---- API ----

#[utoipa::path(get, path = "/api/v1/assessments", tag = "assessments", params(AssessQuery),
    responses((status = 200, body = QuarterReport), (status = 404, body = ApiErrorDoc)))]
pub async fn api_quarter(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<AssessQuery>,
) -> AppResult<Json<QuarterReport>> {
    Ok(Json(report_for(&state, &auth, &query).await?))
}

#[utoipa::path(get, path = "/api/v1/assessments/breakdown", tag = "assessments", params(BreakdownQuery),
    responses((status = 200, body = Breakdown), (status = 404, body = ApiErrorDoc)))]
pub async fn api_breakdown(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<BreakdownQuery>,
) -> AppResult<Json<Breakdown>> {
    Ok(Json(breakdown(&state, &auth, &query).await?))
}

#[utoipa::path(get, path = "/api/v1/assessments/year", tag = "assessments", params(AssessQuery),
    responses((status = 200, body = YearReport), (status = 404, body = ApiErrorDoc)))]
pub async fn api_year(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<AssessQuery>,
) -> AppResult<Json<YearReport>> {
    Ok(Json(year_report(&state, &auth, &query).await?))
}

#[utoipa::path(get, path = "/api/v1/assessments/sheet", tag = "assessments", params(AssessQuery),
    responses((status = 200, body = SheetReport), (status = 404, body = ApiErrorDoc)))]
pub async fn api_sheet(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<AssessQuery>,
) -> AppResult<Json<SheetReport>> {
    Ok(Json(sheet_report(&state, &auth, &query).await?))
}

/// `{"org_id": 3, "year": 2025, "plan_completion": 50, "start_rate": 20,
/// "production_rate": 10, "blocker_closure": 20, "version": 0}`
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SheetBody {
    #[schema(required = true, nullable = false)]
    pub(super) org_id: Option<i64>,
    #[schema(required = true, nullable = false)]
    pub(super) year: Option<i64>,
    /// Whole points per item (0–100); the items sum to 100, 0 or none leaves one out.
    pub(super) plan_completion: Option<i64>,
    pub(super) start_rate: Option<i64>,
    pub(super) production_rate: Option<i64>,
    pub(super) blocker_closure: Option<i64>,
    /// The version read (0: the unit has no sheet of its own yet).
    #[schema(required = true, nullable = false)]
    pub(super) version: Option<i64>,
}

#[utoipa::path(put, path = "/api/v1/assessments/sheet", tag = "assessments", request_body = SheetBody,
    responses((status = 200, body = SheetReport), (status = 403, body = ApiErrorDoc), (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_set_sheet(
    State(state): State<AppState>,
    auth: Auth,
    input: Body<SheetBody>,
) -> AppResult<Json<SheetReport>> {
    Ok(Json(save_sheet(&state, &auth, &input).await?))
}

/// `{"org_id": 3, "year": 2025, "quarter": 2}`
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseBody {
    #[schema(required = true, nullable = false)]
    pub(super) org_id: Option<i64>,
    #[schema(required = true, nullable = false)]
    pub(super) year: Option<i64>,
    /// 1–4.
    #[schema(required = true, nullable = false)]
    pub(super) quarter: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/assessments/close", tag = "assessments", request_body = CloseBody,
    responses((status = 201, body = QuarterReport), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_close(
    State(state): State<AppState>,
    auth: Auth,
    input: Body<CloseBody>,
) -> AppResult<Response> {
    let report = close(&state, &auth, &input).await?;
    Ok((StatusCode::CREATED, Json(report)).into_response())
}

/// The API paths of this part, merged into the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api_quarter,
    api_breakdown,
    api_year,
    api_sheet,
    api_set_sheet,
    api_close,
))]
pub struct ApiDoc;
