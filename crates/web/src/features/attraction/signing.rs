//! After signing: a lead's arrived money (资金到位) set month by month from
//! its page, and its conversion into a key project of the ledger, with their
//! API twins.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kfq_app::attraction::{self as use_case, Conversion, LeadTarget};
use kfq_app::clock::today;
use kfq_attraction::Origin;
use kfq_calendar::Period;
use kfq_domain::{Category, FieldErrors, Money, Nature};
use kfq_store::{FundEntry, Lead, Project};
use serde::{Deserialize, Serialize};

use super::code_options;
use super::leads::lead_page;
use crate::auth::Auth;
use crate::common::{form_post, version, PathId};
use crate::error::{ApiErrorDoc, AppResult};
use crate::input::{Amount, Body, Input};
use crate::layout::PageContext;
use crate::openapi::codes;
use crate::routes::Routes;
use crate::state::AppState;
use crate::views::{Field, FieldKind, FormFields, FormHeading, FormView};

pub fn routes() -> Routes {
    Routes::new()
        .post("/attraction/leads/{lead_id}/funds", funds_page)
        .get("/attraction/leads/{lead_id}/convert", convert_form_page)
        .post("/attraction/leads/{lead_id}/convert", convert_page)
        .get("/api/v1/attraction/leads/{lead_id}/funds", api_funds)
        .put("/api/v1/attraction/leads/{lead_id}/funds", api_set_fund)
        .post("/api/v1/attraction/leads/{lead_id}/convert", api_convert)
}

async fn target(state: &AppState, auth: &Auth, id: i64) -> AppResult<LeadTarget> {
    Ok(LeadTarget::check(&state.store, &auth.principal, id).await?)
}

fn parse_fund(input: &Input) -> Result<(i64, FundEntry), FieldErrors> {
    let mut e = FieldErrors::new();
    let expected = version(input, &mut e);
    let month = match input.text("month").trim() {
        "" => {
            e.add("month", "error.required");
            None
        }
        text => e.check("month", Period::parse(text)),
    };
    let origin = input.choice("origin", Origin::from_code, &mut e);
    let amount = match input.text("amount").trim() {
        "" => {
            e.add("amount", "error.required");
            None
        }
        text => e.check("amount", Money::parse_wan_non_negative(text)),
    };
    e.into_result()?;
    match (month, origin, amount) {
        (Some(month), Some(origin), Some(amount)) => Ok((
            expected,
            FundEntry {
                month,
                origin,
                amount,
            },
        )),
        _ => Err(FieldErrors::single("amount", "error.required")),
    }
}

async fn set_fund(state: &AppState, auth: &Auth, id: i64, input: &Input) -> AppResult<Lead> {
    let target = target(state, auth, id).await?;
    let (expected, entry) = parse_fund(input)?;
    Ok(use_case::set_fund(
        &state.store,
        &auth.actor(),
        &target,
        expected,
        &entry,
        today(),
    )
    .await?)
}

async fn funds_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    form_post(
        set_fund(&state, &auth, id, &input).await,
        |l| format!("/attraction/leads/{}?notice=saved#funds", l.id),
        async |errors| lead_page(&state, &auth, id, None, Some(&errors)).await,
    )
    .await
}

fn parse_conversion(input: &Input) -> Result<(i64, Conversion), FieldErrors> {
    let mut e = FieldErrors::new();
    let expected = version(input, &mut e);
    let category = input.choice("category", Category::from_code, &mut e);
    let nature = match input.text("nature").trim() {
        "" => None,
        code => {
            let parsed = Nature::from_code(code);
            if parsed.is_none() {
                e.add("nature", "error.choice");
            }
            parsed
        }
    };
    let liaison_user_id = input.opt_int("liaison_user_id", &mut e);
    let department_id = input.opt_int("department_id", &mut e);
    e.into_result()?;
    let category = category.ok_or_else(|| FieldErrors::single("category", "error.required"))?;
    Ok((
        expected,
        Conversion {
            category,
            nature,
            liaison_user_id,
            department_id,
        },
    ))
}

async fn convert(
    state: &AppState,
    auth: &Auth,
    id: i64,
    input: &Input,
) -> AppResult<(Lead, Project)> {
    let target = target(state, auth, id).await?;
    let (expected, choice) = parse_conversion(input)?;
    Ok(use_case::convert(
        &state.store,
        &auth.principal,
        &auth.actor(),
        &target,
        expected,
        &choice,
    )
    .await?)
}

async fn convert_form(
    state: &AppState,
    auth: &Auth,
    lead: &Lead,
    values: HashMap<&'static str, String>,
    errors: Option<&FieldErrors>,
) -> AppResult<Response> {
    let page = PageContext::new(Some(auth), "attraction");
    let people = state
        .store
        .users(
            &kfq_domain::Visibility::Subtree(lead.zone_org_path()),
            &kfq_store::UserFilter::default(),
            0,
            2000,
        )
        .await?
        .items;
    let mut liaisons = vec![(String::new(), String::new())];
    liaisons.extend(
        people
            .iter()
            .filter(|u| u.role() == kfq_domain::Role::Liaison)
            .map(|u| (u.id.to_string(), u.display_name.clone())),
    );
    let mut departments = vec![(String::new(), String::new())];
    let dept_filter = kfq_store::OrgFilter {
        kind: Some(kfq_domain::OrgKind::Department),
        ..Default::default()
    };
    departments.extend(
        state
            .store
            .orgs(
                &kfq_domain::Visibility::Subtree(lead.zone_org_path()),
                &dept_filter,
                0,
                200,
            )
            .await?
            .items
            .into_iter()
            .map(|d| (d.id.to_string(), d.name)),
    );
    let fields = FormFields::new(vec![
        Field::new("version", "", FieldKind::Hidden),
        Field::new(
            "category",
            page.t("project.category"),
            FieldKind::Select(code_options(&page, "Category", Category::ALL, "")),
        )
        .required(),
        Field::new(
            "nature",
            page.t("attraction.convert_nature"),
            FieldKind::Select(code_options(&page, "Nature", Nature::ALL, "")),
        ),
        Field::new(
            "liaison_user_id",
            page.t("project.liaison"),
            FieldKind::Select(liaisons),
        ),
        Field::new(
            "department_id",
            page.t("project.department"),
            FieldKind::Select(departments),
        ),
    ]);
    let heading = FormHeading {
        title: page.format("attraction.convert_title", "lead", &lead.name),
        action: format!("/attraction/leads/{}/convert", lead.id),
        cancel: format!("/attraction/leads/{}", lead.id),
    };
    FormView::answer(page, heading, fields, &values, errors)
}

async fn convert_form_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    let target = target(&state, &auth, id).await?;
    crate::common::allow(
        auth.principal
            .zone_write(&target.lead().zone_org_path())
            .is_some(),
    )?;
    let values = HashMap::from([
        ("version", target.lead().version.to_string()),
        ("category", Category::Industrial.code().to_owned()),
    ]);
    convert_form(&state, &auth, target.lead(), values, None).await
}

async fn convert_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    form_post(
        convert(&state, &auth, id, &input).await,
        |(_, project)| format!("/projects/{}?notice=saved", project.id),
        async |errors| {
            let target = target(&state, &auth, id).await?;
            let values = [
                "version",
                "category",
                "nature",
                "liaison_user_id",
                "department_id",
            ]
            .iter()
            .map(|k| (*k, input.text(k)))
            .collect();
            convert_form(&state, &auth, target.lead(), values, Some(&errors)).await
        },
    )
    .await
}

// ---- API ----

/// A lead's arrived money.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LeadFunds {
    funds: Vec<FundEntry>,
    /// Yuan.
    #[schema(value_type = i64)]
    total: Money,
    /// The signed amount, yuan, when signed.
    #[schema(value_type = Option<i64>)]
    signed_amount: Option<Money>,
}

/// What arrived in one month from one origin (0 takes it off).
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadFundBody {
    /// YYYY-MM.
    #[schema(required = true, nullable = false)]
    month: Option<String>,
    #[schema(required = true, nullable = false, schema_with = codes::investor_origin)]
    origin: Option<String>,
    /// 万元.
    #[schema(required = true, nullable = false, value_type = Option<String>)]
    amount: Option<Amount>,
    /// The lead's version last read.
    #[schema(required = true, nullable = false)]
    version: Option<i64>,
}

/// Makes a signed lead a key project of the ledger.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadConvertBody {
    #[schema(required = true, nullable = false, schema_with = codes::category)]
    category: Option<String>,
    /// 建设性质; 前期 for a lead not started, 新建 for a started one when left out.
    #[schema(schema_with = codes::nature)]
    nature: Option<String>,
    liaison_user_id: Option<i64>,
    department_id: Option<i64>,
    /// The lead's version last read.
    #[schema(required = true, nullable = false)]
    version: Option<i64>,
}

/// The lead and the project it became.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Converted {
    lead: Lead,
    project: Project,
}

#[utoipa::path(get, path = "/api/v1/attraction/leads/{lead_id}/funds", tag = "attraction",
    params(("lead_id" = i64, Path)),
    responses((status = 200, body = LeadFunds), (status = 404, body = ApiErrorDoc)))]
pub async fn api_funds(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<LeadFunds>> {
    let lead = state.store.lead(&auth.principal.lead_sight(), id).await?;
    Ok(Json(LeadFunds {
        funds: state.store.lead_funds(lead.id).await?,
        total: lead.funds_arrived,
        signed_amount: lead.signed_amount,
    }))
}

#[utoipa::path(put, path = "/api/v1/attraction/leads/{lead_id}/funds", tag = "attraction",
    params(("lead_id" = i64, Path)), request_body = LeadFundBody,
    responses((status = 200, body = Lead), (status = 403, body = ApiErrorDoc), (status = 404, body = ApiErrorDoc),
        (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_set_fund(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<LeadFundBody>,
) -> AppResult<Json<Lead>> {
    Ok(Json(set_fund(&state, &auth, id, &input).await?))
}

#[utoipa::path(post, path = "/api/v1/attraction/leads/{lead_id}/convert", tag = "attraction",
    params(("lead_id" = i64, Path)), request_body = LeadConvertBody,
    responses((status = 201, body = Converted), (status = 403, body = ApiErrorDoc), (status = 404, body = ApiErrorDoc),
        (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_convert(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<LeadConvertBody>,
) -> AppResult<Response> {
    let (lead, project) = convert(&state, &auth, id, &input).await?;
    Ok((StatusCode::CREATED, Json(Converted { lead, project })).into_response())
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(api_funds, api_set_fund, api_convert))]
pub struct ApiDoc;
