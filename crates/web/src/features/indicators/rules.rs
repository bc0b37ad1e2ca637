//! The warning rules, edited by the administrator.

use super::*;
use crate::common::form_post;
use crate::input::{Body, Flag};

// ---- warning rules ----

#[derive(Template)]
#[template(path = "indicators/rules.html")]
pub(super) struct RulesView {
    pub(super) page: PageContext,
    pub(super) rules: WarningRules,
    pub(super) can_edit: bool,
    pub(super) errors: Vec<String>,
}

pub(super) async fn rules_page(State(state): State<AppState>, auth: Auth) -> AppResult<Response> {
    let view = RulesView {
        page: PageContext::new(Some(&auth), "indicators"),
        rules: board::warning_rules(&state.store).await?,
        can_edit: can_add_indicator(&auth),
        errors: vec![],
    };
    Ok(render(&view)?.into_response())
}

pub(super) fn parse_rules(input: &Input) -> Result<WarningRules, FieldErrors> {
    let mut e = FieldErrors::new();
    let pace_points = input.int("pace_points", &mut e);
    let growth_points = input.int("growth_points", &mut e);
    let report_day = input.int("report_day", &mut e);
    e.into_result()?;
    let rules = WarningRules {
        pace_points: pace_points.unwrap_or_default(),
        growth_points: growth_points.unwrap_or_default(),
        report_day: u32::try_from(report_day.unwrap_or_default()).unwrap_or(0),
        january_with_february: input.flag("january_with_february"),
    };
    Ok(rules)
}

pub(super) async fn save_rules(
    state: &AppState,
    auth: &Auth,
    input: &Input,
) -> AppResult<WarningRules> {
    let rules = parse_rules(input)?;
    writes::set_warning_rules(&state.store, &auth.principal, &auth.actor(), &rules).await?;
    Ok(rules)
}

pub(super) async fn rules_save(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    form_post(
        save_rules(&state, &auth, &input).await,
        |_| "/indicators/rules?notice=saved".to_owned(),
        async |errors| {
            let view = RulesView {
                page: PageContext::new(Some(&auth), "indicators"),
                rules: board::warning_rules(&state.store).await?,
                can_edit: true,
                errors: crate::error::messages(&errors),
            };
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&view)?).into_response())
        },
    )
    .await
}

/// The warning rules in force.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RulesBody {
    /// Red beyond this many points behind 序时进度; yellow beyond half.
    pub pace_points: i64,
    /// Red beyond this many points below the target growth; yellow beyond half.
    pub growth_points: i64,
    /// Figures are due by this day of the following month.
    pub report_day: u32,
    /// January is reported with February (1–2月) and not chased.
    pub january_with_february: bool,
}

impl From<WarningRules> for RulesBody {
    fn from(r: WarningRules) -> Self {
        RulesBody {
            pace_points: r.pace_points,
            growth_points: r.growth_points,
            report_day: r.report_day,
            january_with_february: r.january_with_february,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/indicator-rules", tag = "indicators", responses((status = 200, body = RulesBody)))]
pub async fn api_rules(State(state): State<AppState>, _auth: Auth) -> AppResult<Json<RulesBody>> {
    Ok(Json(board::warning_rules(&state.store).await?.into()))
}

/// A change of the warning rules: the fields of RulesBody, the yes/no
/// as the rules form sends it (left out is no).
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RulesEdit {
    #[schema(required = true, nullable = false)]
    pub pace_points: Option<i64>,
    #[schema(required = true, nullable = false)]
    pub growth_points: Option<i64>,
    /// 1–28.
    #[schema(required = true, nullable = false)]
    pub report_day: Option<i64>,
    pub january_with_february: Option<Flag>,
}

#[utoipa::path(put, path = "/api/v1/indicator-rules", tag = "indicators", request_body = RulesEdit,
    responses((status = 200, body = RulesBody), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_set_rules(
    State(state): State<AppState>,
    auth: Auth,
    input: Body<RulesEdit>,
) -> AppResult<Json<RulesBody>> {
    Ok(Json(save_rules(&state, &auth, &input).await?.into()))
}
