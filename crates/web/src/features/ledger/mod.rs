//! The key-project ledger on the web: the ledger list with filters and totals,
//! the project page (fields, stages, plans, monthly investment, blockers,
//! status and why), forms for all of it, and the API twins.

mod api;
mod fast_path;
mod form;
mod list;
pub mod milestones;
pub mod monthly;
pub mod plan_sheet;
mod project;
pub mod settings;
mod sheet;
mod writes;

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Datelike;
use kfq_domain::investment::{
    completion_tenths, cumulative_from, elapsed_tenths, percent, year_to_date,
};
use kfq_domain::validation::{optional_text, required_text};
use kfq_domain::{
    BlockerFactor, BlockerStatus, Category, FieldErrors, Money, Nature, OrgKind, OrgPath, Rag,
    Stage, Visibility, ZoneWrite,
};
use kfq_store::{
    AnnualPlan, Blocker, BlockerInput, EnterpriseFilter, Ledger, LedgerFilter, LedgerRow,
    LedgerSort, MonthlyInvestment, OrgFilter, OrgUnit, Project, ProjectInput, StageChange, Store,
    UserFilter,
};
use serde::Deserialize;

use crate::auth::Auth;
use crate::common::{self, allow, PathId, VersionQuery};
use crate::error::{ApiErrorDoc, AppError, AppResult};
use crate::input::Input;
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use crate::views::{Field, FieldKind, FormFields, FormView, Paging};
use kfq_app::clock::today;
use kfq_app::history::{HistoryEntry, StageNote};
use kfq_app::i18n::Catalog;

use self::{api::*, fast_path::*, form::*, list::*, project::*, writes::*};

pub(crate) use self::project::project_with_errors;
pub(crate) use self::writes::{editable, visible, writable_zone, zone_write};

pub fn routes() -> Routes {
    Routes::new()
        .get("/projects", ledger_page)
        .get("/projects/new", new_page)
        .post("/projects", create_page)
        .get("/projects/{project_id}", show_page)
        .get("/projects/{project_id}/edit", edit_page)
        .post("/projects/{project_id}/edit", update_page)
        .post("/projects/{project_id}/delete", delete_page)
        .post("/projects/{project_id}/stage", stage_page)
        .post("/projects/{project_id}/plans", plan_page)
        .post("/projects/{project_id}/investments", investment_page)
        .post("/projects/{project_id}/blockers", blocker_create_page)
        .post("/blockers/{blocker_id}/edit", blocker_update_page)
        .get("/projects/{project_id}/history", history_page)
        .get("/projects/fast-path", fast_path_page)
        .get("/projects/export.xlsx", export_xlsx)
        .get("/api/v1/projects/fast-path", api_fast_path)
        .get("/api/v1/projects", api_ledger)
        .post("/api/v1/projects", api_create)
        .get("/api/v1/projects/{project_id}", api_get)
        .put("/api/v1/projects/{project_id}", api_update)
        .delete("/api/v1/projects/{project_id}", api_delete)
        .get("/api/v1/projects/{project_id}/history", api_history)
        .get("/api/v1/projects/{project_id}/stages", api_stages)
        .post("/api/v1/projects/{project_id}/stage", api_stage)
        .get("/api/v1/projects/{project_id}/plans", api_plans)
        .get("/api/v1/projects/{project_id}/opening", api_opening)
        .post("/api/v1/projects/{project_id}/plans", api_plan)
        .get("/api/v1/projects/{project_id}/investments", api_investments)
        .post("/api/v1/projects/{project_id}/investments", api_investment)
        .get("/api/v1/projects/{project_id}/blockers", api_blockers)
        .post("/api/v1/projects/{project_id}/blockers", api_blocker_create)
        .put("/api/v1/blockers/{blocker_id}", api_blocker_update)
        .merge(milestones::routes())
        .merge(monthly::routes())
        .merge(plan_sheet::routes())
        .merge(settings::routes())
}

/// The API paths of this part, merged into the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api_ledger,
    api_fast_path,
    api_create,
    api_get,
    api_update,
    api_delete,
    api_history,
    api_stages,
    api_stage,
    api_plans,
    api_opening,
    api_plan,
    api_investments,
    api_investment,
    api_blockers,
    api_blocker_create,
    api_blocker_update,
))]
pub struct ApiDoc;
