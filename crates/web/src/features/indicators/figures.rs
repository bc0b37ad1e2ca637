//! Monthly figures entered per zone, every revision kept.

use super::*;

// ---- figures ----

/// A zone's figures for a month, as the entry form shows them.
#[derive(Template)]
#[template(path = "indicators/entry.html")]
pub(super) struct EntryView {
    pub(super) page: PageContext,
    pub(super) zone: OrgUnit,
    pub(super) period: String,
    pub(super) rows: Vec<EntryRow>,
    pub(super) errors: Vec<String>,
}

pub(super) struct EntryRow {
    pub(super) indicator: Indicator,
    pub(super) value: String,
    pub(super) numerator: String,
    pub(super) denominator: String,
    pub(super) revision: i64,
    pub(super) is_ratio: bool,
}

/// A zone whose figures the caller may enter, with the proof of it; the
/// user's own zone when none is named.
pub(super) async fn writable_zone(
    state: &AppState,
    auth: &Auth,
    zone_id: Option<i64>,
) -> AppResult<writes::FiguresTarget> {
    let zone = org_of(state, auth, zone_id).await?;
    Ok(writes::FiguresTarget::of(&auth.principal, zone)?)
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct EntryQuery {
    pub(super) zone_id: Option<i64>,
    pub(super) period: Option<String>,
}

pub(super) async fn entry_view(
    state: &AppState,
    auth: &Auth,
    zone: OrgUnit,
    period: Period,
    input: Option<&Input>,
    errors: Vec<String>,
) -> AppResult<EntryView> {
    let indicators = board::catalogue(&state.store).await?;
    let held: Vec<IndicatorValue> = state
        .store
        .indicator_values(
            &auth.principal.org_visibility(),
            &ValueFilter {
                zone_id: Some(zone.id),
                from: Some((period.year(), period.month())),
                to: Some((period.year(), period.month())),
                ..Default::default()
            },
        )
        .await?;
    let shown = |scaled: Option<i64>| {
        scaled
            .map(|v| Figure::from_scaled(v).to_string())
            .unwrap_or_default()
    };
    let rows = indicators
        .into_iter()
        .map(|ind| {
            let v = held.iter().find(|v| v.indicator_id == ind.row.id);
            let key = |k: &str| format!("{k}_{}", ind.row.code);
            let typed =
                |k: &str, fallback: String| input.map_or(fallback.clone(), |i| i.text(&key(k)));
            EntryRow {
                value: typed("value", shown(v.map(|v| v.value))),
                numerator: typed("numerator", shown(v.and_then(|v| v.numerator))),
                denominator: typed("denominator", shown(v.and_then(|v| v.denominator))),
                revision: v.map_or(0, |v| v.revision),
                is_ratio: ind.def.kind == IndicatorKind::Ratio,
                indicator: ind,
            }
        })
        .collect();
    Ok(EntryView {
        page: PageContext::new(Some(auth), "indicators"),
        zone,
        period: period.code(),
        rows,
        errors,
    })
}

pub(super) async fn entry_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<EntryQuery>,
) -> AppResult<Response> {
    let zone = writable_zone(&state, &auth, query.zone_id)
        .await?
        .zone()
        .clone();
    let period = period_of(query.period.as_deref())?;
    Ok(render(&entry_view(&state, &auth, zone, period, None, vec![]).await?)?.into_response())
}

/// Reads the entry form: one value (and for ratios its parts) per indicator;
/// blank leaves an indicator alone.
pub(super) fn parse_entry(
    input: &Input,
    indicators: &[Indicator],
    period: Period,
) -> Result<Vec<FigureInput>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut figures = Vec::new();
    for ind in indicators {
        let raw = input.text(&format!("value_{}", ind.row.code));
        if raw.trim().is_empty() {
            continue;
        }
        let Some(value) = errors.check(
            &format!("value_{}", ind.row.code),
            Figure::parse_in(&raw, ind.def.unit),
        ) else {
            continue;
        };
        let part = |k: &str, errors: &mut FieldErrors| {
            let raw = input.text(&format!("{k}_{}", ind.row.code));
            if raw.trim().is_empty() {
                None
            } else {
                errors.check(&format!("{k}_{}", ind.row.code), Figure::parse(&raw))
            }
        };
        let parts = part("numerator", &mut errors)
            .zip(part("denominator", &mut errors))
            .map(|(n, d)| (n.scaled(), d.scaled()));
        figures.push(FigureInput {
            indicator_id: ind.row.id,
            year: period.year(),
            month: period.month(),
            value: value.scaled(),
            parts,
        });
    }
    errors.into_result().map(|()| figures)
}

pub(super) async fn entry_save(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    let mut e = FieldErrors::new();
    let zone_id = input.int("zone_id", &mut e);
    let period = Period::parse(&input.text("period"));
    let target = writable_zone(&state, &auth, zone_id).await?;
    let zone = target.zone().clone();
    let Ok(period) = period else {
        return Err(AppError::Invalid(FieldErrors::single(
            "period",
            "error.period",
        )));
    };
    let indicators = board::catalogue(&state.store).await?;
    match parse_entry(&input, &indicators, period) {
        Ok(figures) => {
            writes::record_figures(&state.store, &auth.actor(), &target, &figures, "form").await?;
            Ok(see_other(&format!(
                "/indicators?org_id={}&period={}&notice=saved",
                zone.id,
                period.code()
            )))
        }
        Err(errors) => {
            let messages = crate::error::messages(&errors);
            let view = entry_view(&state, &auth, zone, period, Some(&input), messages).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&view)?).into_response())
        }
    }
}
