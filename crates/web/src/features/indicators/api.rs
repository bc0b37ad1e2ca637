//! The JSON twins of the indicator pages under /api/v1.

use super::*;

// ---- API ----

#[utoipa::path(get, path = "/api/v1/indicators", tag = "indicators", responses((status = 200, body = Vec<IndicatorRow>)))]
pub async fn api_catalogue(
    State(state): State<AppState>,
    _auth: Auth,
) -> AppResult<Json<Vec<IndicatorRow>>> {
    Ok(Json(state.store.indicators().await?))
}

/// A new indicator (administrators).
#[derive(Deserialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct IndicatorBody {
    pub(super) code: String,
    pub(super) name: String,
    /// wan_yuan, yi_yuan, wan_usd, percent, wan_yuan_per_mu
    pub(super) unit: String,
    /// cumulative, growth, ratio
    pub(super) kind: String,
    /// sum, weighted, none
    pub(super) roll_up: String,
    /// higher_is_better (default), lower_is_better
    pub(super) direction: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/indicators", tag = "indicators", request_body = IndicatorBody,
    responses((status = 201, body = IndicatorRow), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_add(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    let row = add(&state, &auth, &input).await?;
    Ok((axum::http::StatusCode::CREATED, Json(row)).into_response())
}

#[utoipa::path(get, path = "/api/v1/indicator-board", tag = "indicators", params(BoardQuery),
    responses((status = 200, description = "zones × indicators with progress, warnings, ranks, trends and roll-ups"), (status = 404, body = ApiErrorDoc)))]
pub async fn api_board(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<BoardQuery>,
) -> AppResult<Json<Board>> {
    Ok(Json(load_board(&state, &auth, &query).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ValuesQuery {
    pub zone_id: Option<i64>,
    /// Indicator code.
    pub indicator: Option<String>,
    /// "2024-01"
    pub from: Option<String>,
    /// "2024-12"
    pub to: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/indicator-values", tag = "indicators", params(ValuesQuery),
    responses((status = 200, body = Vec<IndicatorValue>), (status = 422, body = ApiErrorDoc)))]
pub async fn api_values(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<ValuesQuery>,
) -> AppResult<Json<Vec<IndicatorValue>>> {
    let bound = |raw: &Option<String>, field: &str| -> AppResult<Option<(i32, u32)>> {
        raw.as_deref()
            .map(|p| {
                Period::parse(p)
                    .map(|p| (p.year(), p.month()))
                    .map_err(|key| AppError::Invalid(FieldErrors::single(field, key)))
            })
            .transpose()
    };
    let indicator_id = match &query.indicator {
        Some(code) => Some(
            state
                .store
                .indicators()
                .await?
                .into_iter()
                .find(|i| &i.code == code)
                .ok_or(AppError::NotFound)?
                .id,
        ),
        None => None,
    };
    let filter = ValueFilter {
        zone_id: query.zone_id,
        indicator_id,
        from: bound(&query.from, "from")?,
        to: bound(&query.to, "to")?,
        as_of: None,
    };
    Ok(Json(
        state
            .store
            .indicator_values(&auth.principal.org_visibility(), &filter)
            .await?,
    ))
}

/// A zone's figures for a month: `{"zone_id": 9, "period": "2024-06",
/// "value_industrial_investment": "18.6", "numerator_tax_per_mu": "…", …}`,
/// the same fields as the entry form.
#[derive(Deserialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FiguresBody {
    pub(super) zone_id: i64,
    pub(super) period: String,
    /// `value_<code>`, `numerator_<code>`, `denominator_<code>` per indicator.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub(super) figures: std::collections::HashMap<String, String>,
}

#[utoipa::path(put, path = "/api/v1/indicator-values", tag = "indicators", request_body = FiguresBody,
    responses((status = 200, body = Vec<IndicatorValue>), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_record(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Json<Vec<IndicatorValue>>> {
    let mut e = FieldErrors::new();
    let zone_id = input.int("zone_id", &mut e);
    let period = Period::parse(&input.text("period"));
    if period.is_err() {
        e.add("period", "error.period");
    }
    e.into_result()?;
    let zone = writable_zone(&state, &auth, zone_id).await?;
    let period = period.map_err(|key| AppError::Invalid(FieldErrors::single("period", key)))?;
    let indicators = board::catalogue(&state.store).await?;
    let figures = parse_entry(&input, &indicators, period)?;
    state
        .store
        .record_figures(&auth.actor(), (zone.id, &zone.org_path()), &figures, "api")
        .await?;
    let filter = ValueFilter {
        zone_id: Some(zone.id),
        from: Some((period.year(), period.month())),
        to: Some((period.year(), period.month())),
        ..Default::default()
    };
    Ok(Json(
        state
            .store
            .indicator_values(&auth.principal.org_visibility(), &filter)
            .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct TargetsApiQuery {
    pub year: i32,
    pub zone_id: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/indicator-targets", tag = "indicators", params(TargetsApiQuery),
    responses((status = 200, body = Vec<kfq_store::IndicatorTarget>)))]
pub async fn api_targets(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<TargetsApiQuery>,
) -> AppResult<Json<Vec<kfq_store::IndicatorTarget>>> {
    Ok(Json(
        state
            .store
            .indicator_targets(&auth.principal.org_visibility(), query.year, query.zone_id)
            .await?,
    ))
}

/// A zone's targets for a year: `annual_<code>` (in the unit) and
/// `growth_<code>` (%), as the targets form.
#[derive(Deserialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct TargetsBody {
    pub(super) zone_id: i64,
    pub(super) year: i32,
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub(super) targets: std::collections::HashMap<String, String>,
}

#[utoipa::path(put, path = "/api/v1/indicator-targets", tag = "indicators", request_body = TargetsBody,
    responses((status = 200, body = Vec<kfq_store::IndicatorTarget>), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_set_targets(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Json<Vec<kfq_store::IndicatorTarget>>> {
    let mut e = FieldErrors::new();
    let zone_id = input.int("zone_id", &mut e);
    let year = input
        .int("year", &mut e)
        .and_then(|y| i32::try_from(y).ok());
    e.into_result()?;
    let zone = target_zone(&state, &auth, zone_id).await?;
    let year = year.unwrap_or(today().year());
    let indicators = board::catalogue(&state.store).await?;
    let lines = parse_targets(&input, &indicators)?;
    state
        .store
        .set_targets(&auth.actor(), (zone.id, &zone.org_path()), year, &lines)
        .await?;
    Ok(Json(
        state
            .store
            .indicator_targets(&auth.principal.org_visibility(), year, Some(zone.id))
            .await?,
    ))
}

/// The API paths of this part, merged into the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api_catalogue,
    api_add,
    api_board,
    api_values,
    api_record,
    api_targets,
    api_set_targets,
    api_rules,
    api_set_rules,
))]
pub struct ApiDoc;
