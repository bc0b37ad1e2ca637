//! The JSON twins of the indicator pages under /api/v1.

use crate::reads::Reads;
use std::collections::BTreeMap;

use serde::de::{Deserializer, MapAccess, Visitor};

use super::*;
use crate::input::{Amount, Body};

// ---- API ----

#[utoipa::path(get, path = "/api/v1/indicators", tag = "indicators", responses((status = 200, body = Vec<IndicatorRow>)))]
pub async fn api_catalogue(
    State(state): State<AppState>,
    _auth: Auth,
) -> AppResult<Json<Vec<IndicatorRow>>> {
    Ok(Json(state.store.indicators().await?))
}

/// A new indicator (administrators).
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorBody {
    #[schema(required = true, nullable = false)]
    pub(super) code: Option<String>,
    #[schema(required = true, nullable = false)]
    pub(super) name: Option<String>,
    #[schema(required = true, nullable = false, schema_with = crate::openapi::codes::indicator_unit)]
    pub(super) unit: Option<String>,
    #[schema(required = true, nullable = false, schema_with = crate::openapi::codes::indicator_kind)]
    pub(super) kind: Option<String>,
    #[schema(required = true, nullable = false, schema_with = crate::openapi::codes::roll_up)]
    pub(super) roll_up: Option<String>,
    /// Higher is better by default.
    #[schema(schema_with = crate::openapi::codes::direction)]
    pub(super) direction: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/indicators", tag = "indicators", request_body = IndicatorBody,
    responses((status = 201, body = IndicatorRow), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_add(
    State(state): State<AppState>,
    auth: Auth,
    input: Body<IndicatorBody>,
) -> AppResult<Response> {
    let row = add(&state, &auth, &input).await?;
    Ok((axum::http::StatusCode::CREATED, Json(row)).into_response())
}

#[utoipa::path(get, path = "/api/v1/indicator-board", tag = "indicators", params(BoardQuery),
    responses((status = 200, description = "zones × indicators with progress, warnings, ranks, trends and roll-ups"), (status = 404, body = ApiErrorDoc)))]
pub async fn api_board(
    Reads(state): Reads,
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
#[derive(Serialize, utoipa::ToSchema)]
pub struct FiguresBody {
    #[schema(required = true, nullable = false)]
    zone_id: Option<i64>,
    /// "2024-06".
    #[schema(required = true, nullable = false)]
    period: Option<String>,
    /// `value_<code>`, `numerator_<code>`, `denominator_<code>` per indicator
    /// of the catalogue: text or a number; blank leaves an indicator alone.
    #[serde(flatten)]
    figures: BTreeMap<String, Amount>,
}

impl<'de> Deserialize<'de> for FiguresBody {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = FiguresBody;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a zone's figures for a month")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<FiguresBody, A::Error> {
                let (mut zone_id, mut period) = (None, None);
                let figures = keyed_figures(map, FIGURE_PARTS, FIGURE_FIELDS, |key, map| {
                    match key {
                        "zone_id" => zone_id = map.next_value()?,
                        "period" => period = map.next_value()?,
                        _ => return Ok(false),
                    }
                    Ok(true)
                })?;
                Ok(FiguresBody {
                    zone_id,
                    period,
                    figures,
                })
            }
        }
        deserializer.deserialize_map(Fields)
    }
}

const FIGURE_PARTS: &[&str] = &["value", "numerator", "denominator"];
const FIGURE_FIELDS: &[&str] = &[
    "zone_id",
    "period",
    "value_<code>",
    "numerator_<code>",
    "denominator_<code>",
];
const TARGET_PARTS: &[&str] = &["annual", "growth"];
const TARGET_FIELDS: &[&str] = &["zone_id", "year", "annual_<code>", "growth_<code>"];

/// Reads a body of fixed fields (read by `fixed`, which says whether it took
/// the key) and figures keyed `<part>_<code>`. Any other key is unknown.
fn keyed_figures<'de, A: MapAccess<'de>>(
    mut map: A,
    parts: &[&str],
    expected: &'static [&'static str],
    mut fixed: impl FnMut(&str, &mut A) -> Result<bool, A::Error>,
) -> Result<BTreeMap<String, Amount>, A::Error> {
    let mut figures = BTreeMap::new();
    while let Some(key) = map.next_key::<String>()? {
        if fixed(&key, &mut map)? {
            continue;
        }
        if figure_key(&key, parts).is_some() {
            let value = map.next_value()?;
            figures.insert(key, value);
        } else {
            return Err(serde::de::Error::unknown_field(&key, expected));
        }
    }
    Ok(figures)
}

/// The indicator code of a `<part>_<code>` key.
fn figure_key<'k>(key: &'k str, parts: &[&str]) -> Option<&'k str> {
    parts.iter().find_map(|part| {
        key.strip_prefix(part)
            .and_then(|rest| rest.strip_prefix('_'))
            .filter(|code| !code.is_empty())
    })
}

/// A figure's key whose code is not in the catalogue is an unknown field:
/// the parse functions read only the catalogue's codes.
fn unknown_codes(
    input: &Input,
    parts: &[&str],
    fixed: &[&str],
    indicators: &[Indicator],
) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    for key in input.keys() {
        if fixed.contains(&key) || key.starts_with('_') {
            continue;
        }
        let known = figure_key(key, parts)
            .is_some_and(|code| indicators.iter().any(|i| i.row.code == code));
        if !known {
            e.add(key, "error.field.unknown");
        }
    }
    e.into_result()
}

#[utoipa::path(put, path = "/api/v1/indicator-values", tag = "indicators", request_body = FiguresBody,
    responses((status = 200, body = Vec<IndicatorValue>), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_record(
    State(state): State<AppState>,
    auth: Auth,
    input: Body<FiguresBody>,
) -> AppResult<Json<Vec<IndicatorValue>>> {
    let mut e = FieldErrors::new();
    let zone_id = input.int("zone_id", &mut e);
    let period = Period::parse(&input.text("period"));
    if period.is_err() {
        e.add("period", "error.period");
    }
    e.into_result()?;
    let target = writable_zone(&state, &auth, zone_id).await?;
    let zone = target.zone();
    let period = period.map_err(|key| AppError::Invalid(FieldErrors::single("period", key)))?;
    let indicators = board::catalogue(&state.store).await?;
    unknown_codes(&input, FIGURE_PARTS, &["zone_id", "period"], &indicators)?;
    let figures = parse_entry(&input, &indicators, period)?;
    writes::record_figures(&state.store, &auth.actor(), &target, &figures, "api").await?;
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
#[derive(Serialize, utoipa::ToSchema)]
pub struct TargetsBody {
    #[schema(required = true, nullable = false)]
    zone_id: Option<i64>,
    #[schema(required = true, nullable = false)]
    year: Option<i64>,
    /// `annual_<code>` (in the indicator's unit) and `growth_<code>` (%) per
    /// indicator of the catalogue: text or a number.
    #[serde(flatten)]
    targets: BTreeMap<String, Amount>,
}

impl<'de> Deserialize<'de> for TargetsBody {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = TargetsBody;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a zone's targets for a year")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<TargetsBody, A::Error> {
                let (mut zone_id, mut year) = (None, None);
                let targets = keyed_figures(map, TARGET_PARTS, TARGET_FIELDS, |key, map| {
                    match key {
                        "zone_id" => zone_id = map.next_value()?,
                        "year" => year = map.next_value()?,
                        _ => return Ok(false),
                    }
                    Ok(true)
                })?;
                Ok(TargetsBody {
                    zone_id,
                    year,
                    targets,
                })
            }
        }
        deserializer.deserialize_map(Fields)
    }
}

#[utoipa::path(put, path = "/api/v1/indicator-targets", tag = "indicators", request_body = TargetsBody,
    responses((status = 200, body = Vec<kfq_store::IndicatorTarget>), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_set_targets(
    State(state): State<AppState>,
    auth: Auth,
    input: Body<TargetsBody>,
) -> AppResult<Json<Vec<kfq_store::IndicatorTarget>>> {
    let mut e = FieldErrors::new();
    let zone_id = input.int("zone_id", &mut e);
    let year = input.opt_year("year", &mut e);
    e.into_result()?;
    let target = target_zone(&state, &auth, zone_id).await?;
    let zone = target.zone();
    let year = year.unwrap_or(today().year());
    let indicators = board::catalogue(&state.store).await?;
    unknown_codes(&input, TARGET_PARTS, &["zone_id", "year"], &indicators)?;
    let lines = parse_targets(&input, &indicators)?;
    writes::set_targets(&state.store, &auth.actor(), &target, year, &lines).await?;
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
