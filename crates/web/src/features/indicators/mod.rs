//! 经济指标: the indicator board (a zone's cards, a city's or the province's
//! ranking and matrix), monthly figures entered per zone, yearly targets set
//! from above, the warnings with their reasons and history, and the
//! catalogue. The numbers come from [`kfq_app::indicators::board`].

mod api;
mod catalogue;
mod dashboard;
mod figures;
mod rules;
mod targets;
mod warnings;

pub mod import;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Datelike;
use kfq_domain::{FieldErrors, OrgKind, Rag};
use kfq_indicators::{Figure, IndicatorDraft, IndicatorKind, Period, WarningRules};
use kfq_store::{FigureInput, IndicatorRow, IndicatorValue, OrgFilter, OrgUnit, ValueFilter};
use serde::{Deserialize, Serialize};

use crate::auth::Auth;
use crate::error::{ApiErrorDoc, AppError, AppResult};
use crate::input::Input;
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use kfq_app::clock::today;
use kfq_app::i18n::Catalog;
use kfq_app::indicators::board::{self as board, Board, Cell, Indicator};
use kfq_app::indicators::{reasons, writes};

pub use self::api::ApiDoc;
use self::{api::*, catalogue::*, dashboard::*, figures::*, rules::*, targets::*, warnings::*};

pub fn routes() -> Routes {
    Routes::new()
        .get("/indicators", board_page)
        .get("/indicators/warnings", warnings_page)
        .get("/indicators/entry", entry_page)
        .post("/indicators/entry", entry_save)
        .get("/indicators/targets", targets_page)
        .post("/indicators/targets", targets_save)
        .get("/indicators/rules", rules_page)
        .post("/indicators/rules", rules_save)
        .get("/indicators/catalogue", catalogue_page)
        .post("/indicators/catalogue", catalogue_add)
        .get("/api/v1/indicators", api_catalogue)
        .post("/api/v1/indicators", api_add)
        .get("/api/v1/indicator-board", api_board)
        .get("/api/v1/indicator-values", api_values)
        .put("/api/v1/indicator-values", api_record)
        .get("/api/v1/indicator-rules", api_rules)
        .put("/api/v1/indicator-rules", api_set_rules)
        .get("/api/v1/indicator-targets", api_targets)
        .put("/api/v1/indicator-targets", api_set_targets)
        .merge(import::routes())
}

/// `?org_id=&period=2024-06&indicator=code`
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct BoardQuery {
    /// A zone, city or the province (default: the user's own unit).
    pub org_id: Option<i64>,
    /// "2024-06" (default: last month).
    pub period: Option<String>,
    /// The indicator to rank by (code; default: the first).
    pub indicator: Option<String>,
    #[serde(default)]
    #[param(ignore)]
    pub notice: Option<String>,
}

fn period_of(raw: Option<&str>) -> AppResult<Period> {
    match raw.map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(board::default_period(today())),
        Some(p) => {
            Period::parse(p).map_err(|key| AppError::Invalid(FieldErrors::single("period", key)))
        }
    }
}

/// The unit a board is for: the one asked for, if visible, else the user's.
async fn org_of(state: &AppState, auth: &Auth, org_id: Option<i64>) -> AppResult<OrgUnit> {
    let visibility = auth.principal.org_visibility();
    match org_id {
        Some(id) => Ok(state.store.org(&visibility, id).await?),
        None => {
            // A department's (or a liaison's) board is its zone's.
            let own = auth
                .principal
                .zone_path
                .as_ref()
                .unwrap_or(&auth.principal.unit_path)
                .id();
            Ok(state.store.org(&visibility, own).await?)
        }
    }
}

/// The units a user can move to from the board of `org`: the units above it
/// within their view, `org` itself and the zones, cities or provinces right
/// under it (a country holds thousands of zones: the matrix links to each,
/// so the picker does not list them all).
async fn board_units(
    state: &AppState,
    auth: &Auth,
    org: &OrgUnit,
) -> AppResult<Vec<(i64, String)>> {
    let visibility = auth.principal.org_visibility();
    let mut units = Vec::new();
    for id in org.org_path().ids() {
        if id == org.id {
            break;
        }
        match state.store.org(&visibility, id).await {
            Ok(above) => units.push((above.id, above.name)),
            // Above the user's own unit: not theirs to pick.
            Err(kfq_store::StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    units.push((org.id, org.name.clone()));
    let filter = OrgFilter {
        parent_id: Some(org.id),
        ..Default::default()
    };
    let children = state.store.orgs(&visibility, &filter, 0, 100_000).await?;
    units.extend(
        children
            .items
            .into_iter()
            .filter(|o| o.kind() != OrgKind::Department)
            .map(|o| (o.id, o.name)),
    );
    Ok(units)
}

async fn load_board(state: &AppState, auth: &Auth, query: &BoardQuery) -> AppResult<Board> {
    let org = org_of(state, auth, query.org_id).await?;
    let period = period_of(query.period.as_deref())?;
    let board = state
        .boards
        .board(
            &state.store,
            &auth.principal.org_visibility(),
            &org,
            period,
            today(),
        )
        .await?;
    Ok(Board::clone(&board))
}
