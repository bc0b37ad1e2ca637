//! The OpenAPI 3 description of `/api/v1`, generated from the handlers.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{
    account, assessments, bulletins, campaigns, dispatch, enterprises, home, indicator_import,
    indicators, ledger_import, ledger_settings, milestones, monthly_bulletins, notifications, orgs,
    projects, users,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "kfq API", description = "开发区工作平台 JSON API. Authenticate with a personal API token: `Authorization: Bearer kfq_…`."),
    paths(
        home::api_home, home::api_audit,
        orgs::api_list, orgs::api_create, orgs::api_get, orgs::api_update, orgs::api_delete, orgs::api_history,
        enterprises::api_list, enterprises::api_create, enterprises::api_get, enterprises::api_update,
        enterprises::api_delete, enterprises::api_history,
        users::api_list, users::api_create, users::api_get, users::api_update, users::api_password, users::api_history,
        projects::api_ledger, projects::api_fast_path, projects::api_create, projects::api_get, projects::api_update, projects::api_delete,
        projects::api_history, projects::api_stages, projects::api_stage, projects::api_plans, projects::api_plan,
        projects::api_investments, projects::api_investment, projects::api_blockers, projects::api_blocker_create,
        projects::api_blocker_update,
        milestones::api_wall, milestones::api_milestones, milestones::api_schedule, milestones::api_actual,
        milestones::api_baselines, milestones::api_baseline,
        ledger_settings::api_calendar, ledger_settings::api_calendar_put, ledger_settings::api_settings,
        ledger_settings::api_settings_put,
        bulletins::api_list, bulletins::api_create, bulletins::api_get, bulletins::api_accept,
        ledger_import::api_list, ledger_import::api_import,
        campaigns::api_list, campaigns::api_create, campaigns::api_show, campaigns::api_add,
        dispatch::api_sheet, dispatch::api_decide,
        assessments::api_quarter, assessments::api_breakdown, assessments::api_year, assessments::api_sheet,
        assessments::api_set_sheet, assessments::api_close,
        monthly_bulletins::api_show, monthly_bulletins::api_trace, monthly_bulletins::api_issue,
        indicators::api_catalogue, indicators::api_add, indicators::api_board, indicators::api_values,
        indicators::api_record, indicators::api_targets, indicators::api_set_targets,
        indicator_import::api_import, indicators::api_rules, indicators::api_set_rules,
        notifications::api_list, notifications::api_channels, notifications::api_add_channel,
        notifications::api_remove_channel, notifications::api_subscriptions, notifications::api_set_subscriptions,
        account::api_me, account::api_password, account::api_tokens, account::api_create_token, account::api_revoke_token,
    ),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}
