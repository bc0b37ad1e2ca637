//! 季考核 and 年兑现: the scores of a unit's subjects for a quarter — a city's
//! or province's zones, a zone's departments and liaison leaders — ranked,
//! each with its breakdown and the projects or blockers behind it; the
//! year's sums; the score sheet per unit and year; and closing a quarter,
//! which freezes its results. Scoring is `kfq_assessment`; the ledger as it
//! stood comes from `Store::ledger_as_of`. Everything takes query
//! parameters, so no route has a path parameter to scope.

mod api;
mod breakdown;
mod pages;
mod results;
mod scope;
mod sheet;
mod year;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kfq_assessment::{
    points_text, year_totals, ItemKind, ItemScore, Quarter, Score, Sheet, SheetItem, YearLine,
};
use kfq_domain::investment::percent;
use kfq_domain::{Assessment, FieldErrors, Money, OrgKind};
use kfq_store::{results_sha256, OrgFilter, OrgUnit};
use serde::{Deserialize, Serialize};

use crate::auth::Auth;
use crate::error::{ApiErrorDoc, AppError, AppResult};
use crate::input::Input;
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use kfq_app::clock::today;
use kfq_app::i18n::Catalog;

pub use self::api::ApiDoc;
use self::{api::*, breakdown::*, pages::*, results::*, scope::*, sheet::*, year::*};

pub fn routes() -> Routes {
    Routes::new()
        .get("/assessment", quarter_page)
        .get("/assessment/breakdown", breakdown_page)
        .get("/assessment/year", year_page)
        .get("/assessment/sheet", sheet_page)
        .post("/assessment/sheet", sheet_save_page)
        .post("/assessment/close", close_page)
        .get("/assessment/ranking.xlsx", ranking_xlsx)
        .get("/api/v1/assessments", api_quarter)
        .get("/api/v1/assessments/breakdown", api_breakdown)
        .get("/api/v1/assessments/year", api_year)
        .get("/api/v1/assessments/sheet", api_sheet)
        .put("/api/v1/assessments/sheet", api_set_sheet)
        .post("/api/v1/assessments/close", api_close)
}
