//! The indicator catalogue.

use super::*;
use crate::common::form_post;

// ---- catalogue ----

#[derive(Template)]
#[template(path = "indicators/catalogue.html")]
pub(super) struct CatalogueView {
    pub(super) page: PageContext,
    pub(super) indicators: Vec<Indicator>,
    pub(super) can_add: bool,
    pub(super) errors: Vec<String>,
}

/// The catalogue and the warning rules are every zone's: the proof of
/// administering everything, or none.
pub(super) fn can_add_indicator(auth: &Auth) -> bool {
    auth.principal.system_admin().is_some()
}

pub(super) async fn catalogue_page(
    State(state): State<AppState>,
    auth: Auth,
) -> AppResult<Response> {
    let view = CatalogueView {
        page: PageContext::new(Some(&auth), "indicators"),
        indicators: board::catalogue(&state.store).await?,
        can_add: can_add_indicator(&auth),
        errors: vec![],
    };
    Ok(render(&view)?.into_response())
}

pub(super) async fn add(state: &AppState, auth: &Auth, input: &Input) -> AppResult<IndicatorRow> {
    let draft = IndicatorDraft {
        code: input.text("code"),
        name: input.text("name"),
        unit: input.text("unit"),
        kind: input.text("kind"),
        roll_up: input.text("roll_up"),
        direction: input.text("direction"),
    };
    Ok(writes::add_indicator(&state.store, &auth.principal, &auth.actor(), &draft).await?)
}

pub(super) async fn catalogue_add(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    form_post(
        add(&state, &auth, &input).await,
        |_| "/indicators/catalogue".to_owned(),
        async |errors| {
            let view = CatalogueView {
                page: PageContext::new(Some(&auth), "indicators"),
                indicators: board::catalogue(&state.store).await?,
                can_add: true,
                errors: crate::error::messages(&errors),
            };
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&view)?).into_response())
        },
    )
    .await
}
