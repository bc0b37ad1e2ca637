//! Enterprises: pages under /enterprises and their API twins.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kfq_domain::user::parse_phone;
use kfq_domain::validation::{optional_text, required_text};
use kfq_domain::{CreditCode, FieldErrors, OrgKind};
use kfq_store::{
    AuditEntry, Enterprise, EnterpriseFilter, EnterpriseInput, OrgFilter, OrgUnit, Page,
};

use serde::{Deserialize, Serialize};

use kfq_app::enterprises::{self, EnterpriseTarget};

use crate::auth::Auth;
use crate::common;
use crate::common::form_post;
use crate::common::{allow, version, ListQuery, PathId, VersionQuery};
use crate::error::{ApiErrorDoc, AppResult};
use crate::input::{Body, Input};
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use crate::views::{Cell, Field, FieldKind, FormFields, FormView, ListView, Paging, ShowView};

pub fn routes() -> Routes {
    Routes::new()
        .get("/enterprises", list_page)
        .get("/enterprises/new", new_page)
        .post("/enterprises", create_page)
        .get("/enterprises/{enterprise_id}", show_page)
        .get("/enterprises/{enterprise_id}/edit", edit_page)
        .post("/enterprises/{enterprise_id}/edit", update_page)
        .post("/enterprises/{enterprise_id}/delete", delete_page)
        .get("/enterprises/{enterprise_id}/history", history_page)
        .get("/api/v1/enterprises", api_list)
        .post("/api/v1/enterprises", api_create)
        .get("/api/v1/enterprises/{enterprise_id}", api_get)
        .put("/api/v1/enterprises/{enterprise_id}", api_update)
        .delete("/api/v1/enterprises/{enterprise_id}", api_delete)
        .get("/api/v1/enterprises/{enterprise_id}/history", api_history)
}

const FIELDS: &[&str] = &[
    "version",
    "zone_id",
    "name",
    "credit_code",
    "industry",
    "address",
    "contact_name",
    "contact_phone",
];

// ---- rules shared by pages and API ----

fn parse(input: &Input) -> Result<EnterpriseInput, FieldErrors> {
    let mut errors = FieldErrors::new();
    let zone_id = input.int("zone_id", &mut errors);
    let name = errors.check("name", required_text(&input.text("name"), 100));
    let credit_code = errors.check("credit_code", CreditCode::parse(&input.text("credit_code")));
    let industry = errors.check("industry", optional_text(&input.text("industry"), 50));
    let address = errors.check("address", optional_text(&input.text("address"), 200));
    let contact_name = errors.check(
        "contact_name",
        optional_text(&input.text("contact_name"), 50),
    );
    let contact_phone = errors.check("contact_phone", parse_phone(&input.text("contact_phone")));
    errors.into_result()?;
    match (zone_id, name, credit_code) {
        (Some(zone_id), Some(name), Some(credit_code)) => Ok(EnterpriseInput {
            zone_id,
            name,
            credit_code,
            industry: industry.flatten(),
            address: address.flatten(),
            contact_name: contact_name.flatten(),
            contact_phone: contact_phone.flatten(),
        }),
        _ => Err(FieldErrors::single("name", "error.required")),
    }
}

async fn create(state: &AppState, auth: &Auth, input: &Input) -> AppResult<Enterprise> {
    let enterprise = parse(input)?;
    Ok(enterprises::create(&state.store, &auth.principal, &auth.actor(), &enterprise).await?)
}

/// An enterprise the caller sees, with the proof that they may write it.
async fn editable(state: &AppState, auth: &Auth, id: i64) -> AppResult<EnterpriseTarget> {
    Ok(EnterpriseTarget::check(&state.store, &auth.principal, id).await?)
}

async fn update(state: &AppState, auth: &Auth, id: i64, input: &Input) -> AppResult<Enterprise> {
    let target = editable(state, auth, id).await?;
    let mut errors = FieldErrors::new();
    let expected = version(input, &mut errors);
    let enterprise = parse(input).map_err(|mut e| {
        e.0.extend(errors.0.clone());
        e
    })?;
    errors.into_result()?;
    Ok(enterprises::update(
        &state.store,
        &auth.principal,
        &auth.actor(),
        &target,
        expected,
        &enterprise,
    )
    .await?)
}

fn filter(query: &ListQuery) -> AppResult<EnterpriseFilter> {
    Ok(EnterpriseFilter {
        zone_id: ListQuery::id(&query.zone_id, "zone_id")?,
        name_contains: ListQuery::text(&query.q),
    })
}

// ---- pages ----

async fn zones(state: &AppState, auth: &Auth) -> AppResult<Vec<OrgUnit>> {
    let filter = OrgFilter {
        kind: Some(OrgKind::Zone),
        ..Default::default()
    };
    Ok(state
        .store
        .orgs(&auth.principal.org_visibility(), &filter, 0, 10_000)
        .await?
        .items)
}

fn zone_options(zones: &[OrgUnit], blank: &str) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), blank.to_owned())];
    options.extend(zones.iter().map(|z| (z.id.to_string(), z.name.clone())));
    options
}

async fn list_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let page = PageContext::new(Some(&auth), "enterprises").with_notice(query.notice.as_deref());
    let paging = Paging::from_query(query.page.as_deref(), query.per_page.as_deref());
    let result = state
        .store
        .enterprises(
            &auth.principal.zone_data_visibility(),
            &filter(&query)?,
            paging.offset(),
            paging.per_page,
        )
        .await?;
    let rows = result
        .items
        .iter()
        .map(|e| {
            vec![
                Cell::link(&e.name, format!("/enterprises/{}", e.id)),
                Cell::text(&e.credit_code),
                Cell::text(&e.zone_name),
                Cell::text(e.industry.clone().unwrap_or_default()),
                Cell::text(e.contact_name.clone().unwrap_or_default()),
            ]
        })
        .collect();
    let zones = zones(&state, &auth).await?;
    let mut q = Field::new("q", page.t("common.name"), FieldKind::Text);
    q.value = query.q.clone().unwrap_or_default();
    let mut zone = Field::new(
        "zone_id",
        page.t("enterprise.zone"),
        FieldKind::Select(zone_options(&zones, page.t("common.all"))),
    );
    zone.value = query.zone_id.clone().unwrap_or_default();
    let (prev_href, next_href) = paging.links(
        "/enterprises",
        &[("q", q.value.clone()), ("zone_id", zone.value.clone())],
        result.total,
    );
    let can_create = zones
        .iter()
        .any(|z| auth.principal.can_write_zone_data(&z.org_path()));
    let view = ListView {
        title: page.t("enterprise.title").to_owned(),
        new_href: can_create.then(|| "/enterprises/new".to_owned()),
        filters: vec![q, zone],
        filter_action: "/enterprises".into(),
        headers: [
            "common.name",
            "enterprise.credit_code",
            "enterprise.zone",
            "enterprise.industry",
            "enterprise.contact_name",
        ]
        .iter()
        .map(|k| page.t(k).to_owned())
        .collect(),
        rows,
        empty: page.t("enterprise.none_yet").to_owned(),
        total: page.format("common.total", "n", &result.total.to_string()),
        prev_href,
        next_href,
        page,
    };
    Ok(render(&view)?.into_response())
}

fn form_fields(page: &PageContext, zones: &[OrgUnit]) -> FormFields {
    FormFields::new(vec![
        Field::new("version", "", FieldKind::Hidden),
        Field::new(
            "zone_id",
            page.t("enterprise.zone"),
            FieldKind::Select(zone_options(zones, "")),
        )
        .required(),
        Field::new("name", page.t("common.name"), FieldKind::Text).required(),
        Field::new(
            "credit_code",
            page.t("enterprise.credit_code"),
            FieldKind::Text,
        )
        .required(),
        Field::new("industry", page.t("enterprise.industry"), FieldKind::Text),
        Field::new("address", page.t("enterprise.address"), FieldKind::Text),
        Field::new(
            "contact_name",
            page.t("enterprise.contact_name"),
            FieldKind::Text,
        ),
        Field::new(
            "contact_phone",
            page.t("enterprise.contact_phone"),
            FieldKind::Text,
        ),
    ])
}

fn values(e: &Enterprise) -> HashMap<&'static str, String> {
    HashMap::from([
        ("version", e.version.to_string()),
        ("zone_id", e.zone_id.to_string()),
        ("name", e.name.clone()),
        ("credit_code", e.credit_code.clone()),
        ("industry", e.industry.clone().unwrap_or_default()),
        ("address", e.address.clone().unwrap_or_default()),
        ("contact_name", e.contact_name.clone().unwrap_or_default()),
        ("contact_phone", e.contact_phone.clone().unwrap_or_default()),
    ])
}

fn input_values(input: &Input) -> HashMap<&'static str, String> {
    FIELDS.iter().map(|k| (*k, input.text(k))).collect()
}

async fn writable_zones(state: &AppState, auth: &Auth) -> AppResult<Vec<OrgUnit>> {
    let zones = zones(state, auth).await?;
    Ok(zones
        .into_iter()
        .filter(|z| auth.principal.can_write_zone_data(&z.org_path()))
        .collect())
}

struct FormPage<'a> {
    title: String,
    action: String,
    cancel: String,
    values: HashMap<&'static str, String>,
    errors: Option<&'a FieldErrors>,
}

async fn form_page(state: &AppState, auth: &Auth, form: FormPage<'_>) -> AppResult<Response> {
    let page = PageContext::new(Some(auth), "enterprises");
    let zones = writable_zones(state, auth).await?;
    let mut values = form.values;
    if let ([only], true) = (
        zones.as_slice(),
        values.get("zone_id").is_none_or(String::is_empty),
    ) {
        // A zone's own staff have one zone to choose from.
        values.insert("zone_id", only.id.to_string());
    }
    let mut fields = form_fields(&page, &zones).fill(&values);
    if let Some(errors) = form.errors {
        fields = fields.errors(errors, &page);
    }
    let view = FormView {
        title: form.title,
        action: form.action,
        fields: fields.fields,
        cancel_href: form.cancel,
        message: form.errors.map(|_| page.t("error.invalid").to_owned()),
        page,
    };
    let status = if form.errors.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&view)?).into_response())
}

async fn new_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    allow(!writable_zones(&state, &auth).await?.is_empty())?;
    let title = PageContext::new(Some(&auth), "")
        .t("enterprise.new")
        .to_owned();
    let values = HashMap::from([("zone_id", query.zone_id.unwrap_or_default())]);
    form_page(
        &state,
        &auth,
        FormPage {
            title,
            action: "/enterprises".into(),
            cancel: "/enterprises".into(),
            values,
            errors: None,
        },
    )
    .await
}

async fn create_page(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    form_post(
        create(&state, &auth, &input).await,
        |e| format!("/enterprises/{}?notice=saved", e.id),
        async |errors| {
            let title = PageContext::new(Some(&auth), "")
                .t("enterprise.new")
                .to_owned();
            let form = FormPage {
                title,
                action: "/enterprises".into(),
                cancel: "/enterprises".into(),
                values: input_values(&input),
                errors: Some(&errors),
            };
            form_page(&state, &auth, form).await
        },
    )
    .await
}

async fn show_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Query(query): Query<VersionQuery>,
) -> AppResult<Response> {
    let e = state
        .store
        .enterprise(&auth.principal.zone_data_visibility(), id)
        .await?;
    let page = PageContext::new(Some(&auth), "enterprises").with_notice(query.notice.as_deref());
    let zone_cell = if auth
        .principal
        .org_visibility()
        .admits(&e.zone_org_path(), None)
    {
        Cell::link(&e.zone_name, format!("/orgs/{}", e.zone_id))
    } else {
        Cell::text(&e.zone_name)
    };
    let rows = vec![
        (
            page.t("enterprise.credit_code").to_owned(),
            Cell::text(&e.credit_code),
        ),
        (page.t("enterprise.zone").to_owned(), zone_cell),
        (
            page.t("enterprise.industry").to_owned(),
            Cell::text(e.industry.clone().unwrap_or_default()),
        ),
        (
            page.t("enterprise.address").to_owned(),
            Cell::text(e.address.clone().unwrap_or_default()),
        ),
        (
            page.t("enterprise.contact_name").to_owned(),
            Cell::text(e.contact_name.clone().unwrap_or_default()),
        ),
        (
            page.t("enterprise.contact_phone").to_owned(),
            Cell::text(e.contact_phone.clone().unwrap_or_default()),
        ),
    ];
    let can_edit = auth.principal.can_write_zone_data(&e.zone_org_path());
    let view = ShowView {
        title: e.name.clone(),
        subtitle: e.zone_name.clone(),
        rows,
        edit_href: can_edit.then(|| format!("/enterprises/{}/edit", e.id)),
        delete_action: can_edit.then(|| format!("/enterprises/{}/delete", e.id)),
        version: e.version,
        history_href: format!("/enterprises/{}/history", e.id),
        related: vec![],
        page,
    };
    Ok(render(&view)?.into_response())
}

fn edit_form<'a>(
    auth: &Auth,
    e: &Enterprise,
    values: HashMap<&'static str, String>,
    errors: Option<&'a FieldErrors>,
) -> FormPage<'a> {
    let page = PageContext::new(Some(auth), "");
    FormPage {
        title: page.catalog.format(
            "common.label_value",
            &[("label", page.t("enterprise.edit")), ("value", &e.name)],
        ),
        action: format!("/enterprises/{}/edit", e.id),
        cancel: format!("/enterprises/{}", e.id),
        values,
        errors,
    }
}

async fn edit_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    let target = editable(&state, &auth, id).await?;
    let e = target.enterprise();
    form_page(&state, &auth, edit_form(&auth, e, values(e), None)).await
}

async fn update_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    form_post(
        update(&state, &auth, id, &input).await,
        |e| format!("/enterprises/{}?notice=saved", e.id),
        async |errors| {
            let target = editable(&state, &auth, id).await?;
            form_page(
                &state,
                &auth,
                edit_form(
                    &auth,
                    target.enterprise(),
                    input_values(&input),
                    Some(&errors),
                ),
            )
            .await
        },
    )
    .await
}

async fn delete_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    let target = editable(&state, &auth, id).await?;
    let mut errors = FieldErrors::new();
    let expected = version(&input, &mut errors);
    errors.into_result()?;
    enterprises::delete(&state.store, &auth.actor(), &target, expected).await?;
    Ok(see_other("/enterprises?notice=deleted"))
}

async fn history_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    let e = state
        .store
        .enterprise(&auth.principal.zone_data_visibility(), id)
        .await?;
    let back = format!("/enterprises/{}", e.id);
    common::history_page(
        &state,
        &auth,
        &auth.principal.zone_data_visibility(),
        "enterprises",
        ("enterprise", e.id),
        &e.name,
        back,
    )
    .await
}

// ---- API ----

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseBody {
    #[schema(required = true, nullable = false)]
    zone_id: Option<i64>,
    #[schema(required = true, nullable = false)]
    name: Option<String>,
    /// 统一社会信用代码: 18 characters with a valid check character (GB 32100-2015).
    #[schema(required = true, nullable = false)]
    credit_code: Option<String>,
    industry: Option<String>,
    address: Option<String>,
    contact_name: Option<String>,
    /// 11-digit mobile number.
    contact_phone: Option<String>,
    /// Update only (required there): the version last read.
    version: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/enterprises", tag = "enterprises", params(ListQuery),
    responses((status = 200, body = Page<Enterprise>), (status = 422, body = ApiErrorDoc)))]
pub async fn api_list(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<ListQuery>,
) -> AppResult<Json<Page<Enterprise>>> {
    let paging = Paging::from_query(query.page.as_deref(), query.per_page.as_deref());
    Ok(Json(
        state
            .store
            .enterprises(
                &auth.principal.zone_data_visibility(),
                &filter(&query)?,
                paging.offset(),
                paging.per_page,
            )
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/enterprises", tag = "enterprises", request_body = EnterpriseBody,
    responses((status = 201, body = Enterprise), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_create(
    State(state): State<AppState>,
    auth: Auth,
    input: Body<EnterpriseBody>,
) -> AppResult<Response> {
    let e = create(&state, &auth, &input).await?;
    Ok((StatusCode::CREATED, Json(e)).into_response())
}

#[utoipa::path(get, path = "/api/v1/enterprises/{enterprise_id}", tag = "enterprises", params(("enterprise_id" = i64, Path)),
    responses((status = 200, body = Enterprise), (status = 404, body = ApiErrorDoc)))]
pub async fn api_get(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Enterprise>> {
    Ok(Json(
        state
            .store
            .enterprise(&auth.principal.zone_data_visibility(), id)
            .await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/enterprises/{enterprise_id}", tag = "enterprises", params(("enterprise_id" = i64, Path)),
    request_body = EnterpriseBody,
    responses((status = 200, body = Enterprise), (status = 404, body = ApiErrorDoc), (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_update(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<EnterpriseBody>,
) -> AppResult<Json<Enterprise>> {
    Ok(Json(update(&state, &auth, id, &input).await?))
}

#[utoipa::path(delete, path = "/api/v1/enterprises/{enterprise_id}", tag = "enterprises", params(("enterprise_id" = i64, Path), VersionQuery),
    responses((status = 204), (status = 404, body = ApiErrorDoc), (status = 409, body = ApiErrorDoc)))]
pub async fn api_delete(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Query(query): Query<VersionQuery>,
) -> AppResult<Response> {
    let target = editable(&state, &auth, id).await?;
    enterprises::delete(&state.store, &auth.actor(), &target, query.required()?).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(get, path = "/api/v1/enterprises/{enterprise_id}/history", tag = "enterprises", params(("enterprise_id" = i64, Path)),
    responses((status = 200, body = Vec<AuditEntry>), (status = 404, body = ApiErrorDoc)))]
pub async fn api_history(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Vec<AuditEntry>>> {
    let e = state
        .store
        .enterprise(&auth.principal.zone_data_visibility(), id)
        .await?;
    Ok(Json(
        state
            .store
            .audit_history(&auth.principal.zone_data_visibility(), "enterprise", e.id)
            .await?,
    ))
}

/// The API paths of this part, merged into the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(api_list, api_create, api_get, api_update, api_delete, api_history,))]
pub struct ApiDoc;
