//! Annual targets set from above.

use super::*;

// ---- targets ----

#[derive(Template)]
#[template(path = "indicators/targets.html")]
pub(super) struct TargetsView {
    pub(super) page: PageContext,
    pub(super) zone: OrgUnit,
    pub(super) year: i32,
    pub(super) rows: Vec<(Indicator, String, String)>,
    pub(super) errors: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct TargetsQuery {
    pub(super) zone_id: Option<i64>,
    pub(super) year: Option<i32>,
}

pub(super) async fn target_zone(
    state: &AppState,
    auth: &Auth,
    zone_id: Option<i64>,
) -> AppResult<writes::TargetsTarget> {
    let zone = org_of(state, auth, zone_id).await?;
    Ok(writes::TargetsTarget::of(&auth.principal, zone)?)
}

pub(super) async fn targets_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<TargetsQuery>,
) -> AppResult<Response> {
    let zone = target_zone(&state, &auth, query.zone_id)
        .await?
        .zone()
        .clone();
    let year = crate::input::query_year(query.year.map(|y| y.to_string()).as_deref(), "year")?
        .unwrap_or(today().year());
    let held = state
        .store
        .indicator_targets(&auth.principal.org_visibility(), year, Some(zone.id))
        .await?;
    let rows = board::catalogue(&state.store)
        .await?
        .into_iter()
        .map(|ind| {
            let t = held.iter().find(|t| t.indicator_id == ind.row.id);
            let annual = t
                .and_then(|t| t.annual)
                .map(|a| Figure::from_scaled(a).to_string())
                .unwrap_or_default();
            let growth = t
                .and_then(|t| t.growth_tenths)
                .map(|g| Figure::from_tenths(g).to_string())
                .unwrap_or_default();
            (ind, annual, growth)
        })
        .collect();
    let view = TargetsView {
        page: PageContext::new(Some(&auth), "indicators"),
        zone,
        year,
        rows,
        errors: vec![],
    };
    Ok(render(&view)?.into_response())
}

pub(super) type TargetLine = (i64, Option<i64>, Option<i64>);

pub(super) fn parse_targets(
    input: &Input,
    indicators: &[Indicator],
) -> Result<Vec<TargetLine>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut lines = Vec::new();
    for ind in indicators {
        let read = |k: &str, errors: &mut FieldErrors| {
            let key = format!("{k}_{}", ind.row.code);
            let raw = input.text(&key);
            if raw.trim().is_empty() {
                None
            } else {
                errors.check(&key, Figure::parse(&raw))
            }
        };
        let annual = if ind.def.kind == IndicatorKind::Growth {
            None
        } else {
            read("annual", &mut errors).map(Figure::scaled)
        };
        let growth = read("growth", &mut errors).map(Figure::to_tenths);
        lines.push((ind.row.id, annual, growth));
    }
    errors.into_result().map(|()| lines)
}

pub(super) async fn targets_save(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    let mut e = FieldErrors::new();
    let zone_id = input.int("zone_id", &mut e);
    let year = input.opt_year("year", &mut e);
    e.into_result()?;
    let target = target_zone(&state, &auth, zone_id).await?;
    let zone = target.zone();
    let year = year.unwrap_or(today().year());
    let indicators = board::catalogue(&state.store).await?;
    let lines = parse_targets(&input, &indicators)?;
    writes::set_targets(&state.store, &auth.actor(), &target, year, &lines).await?;
    Ok(see_other(&format!(
        "/indicators?org_id={}&notice=saved",
        zone.id
    )))
}
