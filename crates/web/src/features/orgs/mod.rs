//! Org units: pages under /orgs and their API twins under /api/v1/orgs.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kfq_domain::org::parse_org_code;
use kfq_domain::validation::required_text;
use kfq_domain::{FieldErrors, OrgKind, ZoneLevel, ZoneType};
use kfq_store::{AuditEntry, OrgFilter, OrgInput, OrgUnit, Page};

use serde::{Deserialize, Serialize};

use kfq_app::orgs::{self, OrgTarget};

use crate::auth::Auth;
use crate::common;
use crate::common::form_post;
use crate::common::{allow, code_options, version, ListQuery, PathId, VersionQuery};
use crate::error::{ApiErrorDoc, AppError, AppResult};
use crate::input::{Body, Input};
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use crate::views::{
    Cell, Field, FieldKind, FormFields, FormView, ListView, Paging, Related, ShowView,
};

pub fn routes() -> Routes {
    Routes::new()
        .get("/orgs", list_page)
        .get("/orgs/new", new_page)
        .post("/orgs", create_page)
        .get("/orgs/{org_id}", show_page)
        .get("/orgs/{org_id}/edit", edit_page)
        .post("/orgs/{org_id}/edit", update_page)
        .post("/orgs/{org_id}/delete", delete_page)
        .get("/orgs/{org_id}/history", history_page)
        .get("/api/v1/orgs", api_list)
        .post("/api/v1/orgs", api_create)
        .get("/api/v1/orgs/{org_id}", api_get)
        .put("/api/v1/orgs/{org_id}", api_update)
        .delete("/api/v1/orgs/{org_id}", api_delete)
        .get("/api/v1/orgs/{org_id}/history", api_history)
}

// ---- rules shared by pages and API ----

fn parse(input: &Input, kind: Option<OrgKind>) -> Result<OrgInput, FieldErrors> {
    let mut errors = FieldErrors::new();
    let kind = match kind {
        Some(kind) => Some(kind),
        None => input.choice("kind", OrgKind::from_code, &mut errors),
    };
    let parent_id = input.opt_int("parent_id", &mut errors);
    let name = errors.check("name", required_text(&input.text("name"), 64));
    let code_text = input.text("code");
    let code = if code_text.trim().is_empty() {
        None
    } else {
        errors.check("code", parse_org_code(&code_text))
    };
    let is_zone = kind == Some(OrgKind::Zone);
    let zone_level = if is_zone {
        input.opt_choice("zone_level", ZoneLevel::from_code, &mut errors)
    } else {
        None
    };
    let zone_type = if is_zone {
        input.opt_choice("zone_type", ZoneType::from_code, &mut errors)
    } else {
        None
    };
    errors.into_result()?;
    Ok(OrgInput {
        kind: kind.unwrap_or(OrgKind::Department),
        parent_id,
        name: name.unwrap_or_default(),
        code,
        zone_level,
        zone_type,
    })
}

async fn create(state: &AppState, auth: &Auth, input: &Input) -> AppResult<OrgUnit> {
    let org = parse(input, None)?;
    Ok(orgs::create(&state.store, &auth.principal, &auth.actor(), &org).await?)
}

/// A unit the caller sees, with the proof that they may edit or delete it.
async fn editable(state: &AppState, auth: &Auth, id: i64) -> AppResult<OrgTarget> {
    Ok(OrgTarget::check(&state.store, &auth.principal, id).await?)
}

async fn update(state: &AppState, auth: &Auth, id: i64, input: &Input) -> AppResult<OrgUnit> {
    let target = editable(state, auth, id).await?;
    let mut errors = FieldErrors::new();
    let expected = version(input, &mut errors);
    let org = parse(input, Some(target.org().kind()));
    let org = match (org, errors.is_empty()) {
        (Ok(org), true) => org,
        (Ok(_), false) => return Err(errors.into()),
        (Err(mut more), _) => {
            more.0.extend(errors.0);
            return Err(more.into());
        }
    };
    Ok(orgs::update(&state.store, &auth.actor(), &target, expected, &org).await?)
}

async fn delete(state: &AppState, auth: &Auth, id: i64, expected: i64) -> AppResult<()> {
    let target = editable(state, auth, id).await?;
    Ok(orgs::delete(&state.store, &auth.actor(), &target, expected).await?)
}

fn filter(query: &ListQuery) -> AppResult<OrgFilter> {
    let kind = match ListQuery::text(&query.kind) {
        Some(code) => Some(
            OrgKind::from_code(&code)
                .ok_or_else(|| AppError::Invalid(FieldErrors::single("kind", "error.choice")))?,
        ),
        None => None,
    };
    Ok(OrgFilter {
        parent_id: ListQuery::id(&query.parent_id, "parent_id")?,
        kind,
        name_contains: ListQuery::text(&query.q),
    })
}

// ---- pages ----

async fn list_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let page = PageContext::new(Some(&auth), "orgs").with_notice(query.notice.as_deref());
    let paging = Paging::from_query(query.page.as_deref(), query.per_page.as_deref());
    let result = state
        .store
        .orgs(
            &auth.principal.org_visibility(),
            &filter(&query)?,
            paging.offset(),
            paging.per_page,
        )
        .await?;
    let min_depth = result
        .items
        .iter()
        .map(|o| o.path.matches('/').count())
        .min()
        .unwrap_or(0);
    let rows = result
        .items
        .iter()
        .map(|o| {
            let indent = match (o.path.matches('/').count() - min_depth).min(4) {
                0 => "",
                1 => "indent-1",
                2 => "indent-2",
                3 => "indent-3",
                _ => "indent-4",
            };
            vec![
                Cell::link(&o.name, format!("/orgs/{}", o.id)).class(indent),
                Cell::text(page.label("OrgKind", o.kind.code())),
                Cell::text(o.code.clone().unwrap_or_default()),
                Cell::text(
                    o.zone_level
                        .map(|l| page.label("ZoneLevel", l.code()))
                        .unwrap_or_default(),
                ),
                Cell::text(
                    o.zone_type
                        .map(|t| page.label("ZoneType", t.code()))
                        .unwrap_or_default(),
                ),
            ]
        })
        .collect();
    let kinds: Vec<&str> = OrgKind::ALL.iter().map(|k| k.code()).collect();
    let mut q = Field::new("q", page.t("common.name"), FieldKind::Text);
    q.value = query.q.clone().unwrap_or_default();
    let mut kind = Field::new(
        "kind",
        page.t("org.kind"),
        FieldKind::Select(code_options(&page, "OrgKind", &kinds, true)),
    );
    kind.value = query.kind.clone().unwrap_or_default();
    let (prev_href, next_href) = paging.links(
        "/orgs",
        &[("q", q.value.clone()), ("kind", kind.value.clone())],
        result.total,
    );
    let view = ListView {
        title: page.t("org.title").to_owned(),
        new_href: auth
            .principal
            .can_administer()
            .then(|| "/orgs/new".to_owned()),
        filters: vec![q, kind],
        filter_action: "/orgs".into(),
        headers: [
            "common.name",
            "org.kind",
            "org.code",
            "org.zone_level",
            "org.zone_type",
        ]
        .iter()
        .map(|k| page.t(k).to_owned())
        .collect(),
        rows,
        empty: page.t("org.none_yet").to_owned(),
        total: page.format("common.total", "n", &result.total.to_string()),
        prev_href,
        next_href,
        page,
    };
    Ok(render(&view)?.into_response())
}

fn form_fields(
    page: &PageContext,
    parents: &[OrgUnit],
    fixed_kind: Option<OrgKind>,
    may_add_root: bool,
) -> FormFields {
    let kinds: Vec<&str> = OrgKind::ALL.iter().map(|k| k.code()).collect();
    let levels: Vec<&str> = ZoneLevel::ALL.iter().map(|k| k.code()).collect();
    let types: Vec<&str> = ZoneType::ALL.iter().map(|k| k.code()).collect();
    let mut fields = vec![Field::new("version", "", FieldKind::Hidden)];
    if fixed_kind.is_none() {
        // Only a system administrator may start a new tree (a province).
        let mut parent_options = Vec::new();
        if may_add_root {
            parent_options.push((String::new(), page.t("common.none").to_owned()));
        }
        parent_options.extend(parents.iter().map(|p| (p.id.to_string(), p.name.clone())));
        fields.push(
            Field::new(
                "parent_id",
                page.t("org.parent"),
                FieldKind::Select(parent_options),
            )
            .required(),
        );
        fields.push(
            Field::new(
                "kind",
                page.t("org.kind"),
                FieldKind::Select(code_options(page, "OrgKind", &kinds, false)),
            )
            .required(),
        );
    }
    fields.push(Field::new("name", page.t("common.name"), FieldKind::Text).required());
    fields.push(Field::new("code", page.t("org.code"), FieldKind::Text));
    let zone_only = fixed_kind.is_none() || fixed_kind == Some(OrgKind::Zone);
    if zone_only {
        let mut level = Field::new(
            "zone_level",
            page.t("org.zone_level"),
            FieldKind::Select(code_options(page, "ZoneLevel", &levels, true)),
        );
        let mut kind = Field::new(
            "zone_type",
            page.t("org.zone_type"),
            FieldKind::Select(code_options(page, "ZoneType", &types, true)),
        );
        if fixed_kind.is_none() {
            level = level.zone_only();
            kind = kind.zone_only();
        }
        fields.push(level);
        fields.push(kind);
    }
    FormFields::new(fields)
}

fn org_values(org: &OrgUnit) -> HashMap<&'static str, String> {
    HashMap::from([
        ("version", org.version.to_string()),
        ("name", org.name.clone()),
        ("code", org.code.clone().unwrap_or_default()),
        (
            "zone_level",
            org.zone_level
                .map(|l| l.code().to_owned())
                .unwrap_or_default(),
        ),
        (
            "zone_type",
            org.zone_type
                .map(|t| t.code().to_owned())
                .unwrap_or_default(),
        ),
    ])
}

fn input_values(input: &Input) -> HashMap<&'static str, String> {
    [
        "version",
        "parent_id",
        "kind",
        "name",
        "code",
        "zone_level",
        "zone_type",
    ]
    .into_iter()
    .map(|k| (k, input.text(k)))
    .collect()
}

fn is_system_admin(auth: &Auth) -> bool {
    auth.principal.system_admin().is_some()
}

async fn parents(state: &AppState, auth: &Auth) -> AppResult<Vec<OrgUnit>> {
    let units = state
        .store
        .org_tree(&auth.principal.org_visibility())
        .await?;
    Ok(units
        .into_iter()
        .filter(|u| u.kind() != OrgKind::Department)
        .filter(|u| {
            OrgKind::ALL
                .iter()
                .any(|k| auth.principal.can_create_org(&u.org_path(), *k))
        })
        .collect())
}

#[derive(serde::Deserialize)]
struct NewQuery {
    parent_id: Option<String>,
}

async fn new_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<NewQuery>,
) -> AppResult<Response> {
    let page = PageContext::new(Some(&auth), "orgs");
    let parents = parents(&state, &auth).await?;
    allow(!parents.is_empty() || is_system_admin(&auth))?;
    let values = HashMap::from([
        ("parent_id", query.parent_id.unwrap_or_default()),
        ("kind", OrgKind::Department.code().to_owned()),
    ]);
    let view = FormView {
        title: page.t("org.new").to_owned(),
        action: "/orgs".into(),
        fields: form_fields(&page, &parents, None, is_system_admin(&auth))
            .fill(&values)
            .fields,
        cancel_href: "/orgs".into(),
        message: None,
        page,
    };
    Ok(render(&view)?.into_response())
}

async fn create_page(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    form_post(
        create(&state, &auth, &input).await,
        |org| format!("/orgs/{}?notice=saved", org.id),
        async |errors| {
            let page = PageContext::new(Some(&auth), "orgs");
            let parents = parents(&state, &auth).await?;
            let view = FormView {
                title: page.t("org.new").to_owned(),
                action: "/orgs".into(),
                fields: form_fields(&page, &parents, None, is_system_admin(&auth))
                    .fill(&input_values(&input))
                    .errors(&errors, &page)
                    .fields,
                cancel_href: "/orgs".into(),
                message: Some(page.t("error.invalid").to_owned()),
                page,
            };
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&view)?).into_response())
        },
    )
    .await
}

async fn show_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(org_id): PathId,
    Query(query): Query<VersionQuery>,
) -> AppResult<Response> {
    let visible = auth.principal.org_visibility();
    let org = state.store.org(&visible, org_id).await?;
    let page = PageContext::new(Some(&auth), "orgs").with_notice(query.notice.as_deref());
    let parent = match org.parent_id {
        Some(pid) => state.store.org(&visible, pid).await.ok(),
        None => None,
    };
    let children = state
        .store
        .orgs(
            &visible,
            &OrgFilter {
                parent_id: Some(org.id),
                ..Default::default()
            },
            0,
            500,
        )
        .await?;
    let mut rows = vec![
        (
            page.t("org.kind").to_owned(),
            Cell::text(page.label("OrgKind", org.kind)),
        ),
        (
            page.t("org.code").to_owned(),
            Cell::text(org.code.clone().unwrap_or_default()),
        ),
    ];
    if let Some(parent) = parent {
        rows.push((
            page.t("org.parent").to_owned(),
            Cell::link(&parent.name, format!("/orgs/{}", parent.id)),
        ));
    }
    if org.kind() == OrgKind::Zone {
        rows.push((
            page.t("org.zone_level").to_owned(),
            Cell::text(page.label("ZoneLevel", org.zone_level.map_or("", |l| l.code()))),
        ));
        rows.push((
            page.t("org.zone_type").to_owned(),
            Cell::text(page.label("ZoneType", org.zone_type.map_or("", |t| t.code()))),
        ));
        rows.push((
            page.t("nav.enterprises").to_owned(),
            Cell::link(
                page.t("nav.enterprises"),
                format!("/enterprises?zone_id={}", org.id),
            ),
        ));
    }
    let can_add = OrgKind::ALL
        .iter()
        .any(|k| org.kind().may_contain(*k) && auth.principal.can_create_org(&org.org_path(), *k));
    let related = Related {
        title: page.t("org.children").to_owned(),
        new_href: can_add.then(|| format!("/orgs/new?parent_id={}", org.id)),
        headers: vec![
            page.t("common.name").to_owned(),
            page.t("org.kind").to_owned(),
            page.t("org.code").to_owned(),
        ],
        rows: children
            .items
            .iter()
            .map(|c| {
                vec![
                    Cell::link(&c.name, format!("/orgs/{}", c.id)),
                    Cell::text(page.label("OrgKind", c.kind)),
                    Cell::text(c.code.clone().unwrap_or_default()),
                ]
            })
            .collect(),
    };
    let mut related = vec![related];
    if org.kind() == OrgKind::Zone {
        rows.push((
            page.t("settings.title").to_owned(),
            Cell::link(page.t("settings.title"), format!("/orgs/{}/ledger", org.id)),
        ));
        rows.push((
            page.t("project.ledger").to_owned(),
            Cell::link(
                page.t("project.ledger"),
                format!("/projects?zone_id={}", org.id),
            ),
        ));
    }
    if org.kind() == OrgKind::Department {
        // A department sees the problems it must solve, the overdue first.
        let today = kfq_app::clock::today();
        let blockers = state
            .store
            .blockers(
                &auth.principal.zone_data_visibility(),
                None,
                Some(org.id),
                true,
            )
            .await?;
        related.push(blocker_table(
            &page,
            page.t("org.department_blockers"),
            &blockers,
            today,
        ));
        rows.push((
            page.t("project.ledger").to_owned(),
            Cell::link(
                page.t("project.ledger"),
                format!("/projects?department_id={}", org.id),
            ),
        ));
    }
    let can_edit = auth.principal.can_edit_org(&org.org_path(), org.kind());
    let view = ShowView {
        title: org.name.clone(),
        subtitle: page.label("OrgKind", org.kind),
        rows,
        edit_href: can_edit.then(|| format!("/orgs/{}/edit", org.id)),
        delete_action: can_edit.then(|| format!("/orgs/{}/delete", org.id)),
        version: org.version,
        history_href: format!("/orgs/{}/history", org.id),
        related,
        page,
    };
    Ok(render(&view)?.into_response())
}

/// Open blockers as a table, overdue ones marked.
pub fn blocker_table(
    page: &PageContext,
    title: &str,
    blockers: &[kfq_store::Blocker],
    today: chrono::NaiveDate,
) -> Related {
    Related {
        title: title.to_owned(),
        new_href: None,
        headers: [
            "project.name",
            "blocker.factor",
            "blocker.description",
            "blocker.deadline",
            "blocker.status",
        ]
        .iter()
        .map(|k| page.t(k).to_owned())
        .collect(),
        rows: blockers
            .iter()
            .map(|b| {
                let overdue = b.is_overdue(today);
                let deadline = crate::common::day_text(b.deadline);
                vec![
                    Cell::link(&b.project_name, format!("/projects/{}", b.project_id)),
                    Cell::text(page.label("BlockerFactor", b.factor)),
                    Cell::text(&b.description),
                    if overdue {
                        Cell::text(format!("{deadline} {}", page.t("blocker.overdue"))).class("bad")
                    } else {
                        Cell::text(deadline)
                    },
                    Cell::text(page.label("BlockerStatus", b.status)),
                ]
            })
            .collect(),
    }
}

fn edit_view(
    page: PageContext,
    org: &OrgUnit,
    values: &HashMap<&str, String>,
    errors: Option<&FieldErrors>,
) -> FormView {
    let mut fields = form_fields(&page, &[], Some(org.kind()), false).fill(values);
    if let Some(errors) = errors {
        fields = fields.errors(errors, &page);
    }
    FormView {
        title: page.catalog.format(
            "common.label_value",
            &[("label", page.t("org.edit")), ("value", &org.name)],
        ),
        action: format!("/orgs/{}/edit", org.id),
        fields: fields.fields,
        cancel_href: format!("/orgs/{}", org.id),
        message: errors.map(|_| page.t("error.invalid").to_owned()),
        page,
    }
}

async fn edit_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(org_id): PathId,
) -> AppResult<Response> {
    let org = editable(&state, &auth, org_id).await?.org().clone();
    let view = edit_view(
        PageContext::new(Some(&auth), "orgs"),
        &org,
        &org_values(&org),
        None,
    );
    Ok(render(&view)?.into_response())
}

async fn update_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(org_id): PathId,
    input: Input,
) -> AppResult<Response> {
    form_post(
        update(&state, &auth, org_id, &input).await,
        |org| format!("/orgs/{}?notice=saved", org.id),
        async |errors| {
            let org = editable(&state, &auth, org_id).await?.org().clone();
            let view = edit_view(
                PageContext::new(Some(&auth), "orgs"),
                &org,
                &input_values(&input),
                Some(&errors),
            );
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&view)?).into_response())
        },
    )
    .await
}

async fn delete_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(org_id): PathId,
    input: Input,
) -> AppResult<Response> {
    let mut errors = FieldErrors::new();
    let expected = version(&input, &mut errors);
    errors.into_result()?;
    delete(&state, &auth, org_id, expected).await?;
    Ok(see_other("/orgs?notice=deleted"))
}

async fn history_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    let org = state
        .store
        .org(&auth.principal.org_visibility(), id)
        .await?;
    let back = format!("/orgs/{}", org.id);
    common::history_page(
        &state,
        &auth,
        &auth.principal.org_visibility(),
        "orgs",
        ("org_unit", org.id),
        &org.name,
        back,
    )
    .await
}

// ---- API ----

/// Body of a create or update; `kind` and `parent_id` are fixed after creation.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgBody {
    /// Create only (required there).
    #[schema(schema_with = crate::openapi::codes::org_kind)]
    kind: Option<String>,
    /// Create only: the unit it goes under (required but for a province).
    parent_id: Option<i64>,
    #[schema(required = true, nullable = false)]
    name: Option<String>,
    /// Required for zones.
    code: Option<String>,
    /// Zones only.
    #[schema(schema_with = crate::openapi::codes::zone_level)]
    zone_level: Option<String>,
    /// Zones only.
    #[schema(schema_with = crate::openapi::codes::zone_type)]
    zone_type: Option<String>,
    /// Update only (required there): the version last read.
    version: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/orgs", tag = "orgs", params(ListQuery),
    responses((status = 200, body = Page<OrgUnit>), (status = 422, body = ApiErrorDoc)))]
pub async fn api_list(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<ListQuery>,
) -> AppResult<Json<Page<OrgUnit>>> {
    let paging = Paging::from_query(query.page.as_deref(), query.per_page.as_deref());
    Ok(Json(
        state
            .store
            .orgs(
                &auth.principal.org_visibility(),
                &filter(&query)?,
                paging.offset(),
                paging.per_page,
            )
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/orgs", tag = "orgs", request_body = OrgBody,
    responses((status = 201, body = OrgUnit), (status = 422, body = ApiErrorDoc), (status = 403, body = ApiErrorDoc)))]
pub async fn api_create(
    State(state): State<AppState>,
    auth: Auth,
    input: Body<OrgBody>,
) -> AppResult<Response> {
    let org = create(&state, &auth, &input).await?;
    Ok((axum::http::StatusCode::CREATED, Json(org)).into_response())
}

#[utoipa::path(get, path = "/api/v1/orgs/{org_id}", tag = "orgs", params(("org_id" = i64, Path)),
    responses((status = 200, body = OrgUnit), (status = 404, body = ApiErrorDoc)))]
pub async fn api_get(
    State(state): State<AppState>,
    auth: Auth,
    PathId(org_id): PathId,
) -> AppResult<Json<OrgUnit>> {
    Ok(Json(
        state
            .store
            .org(&auth.principal.org_visibility(), org_id)
            .await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/orgs/{org_id}", tag = "orgs", params(("org_id" = i64, Path)), request_body = OrgBody,
    responses((status = 200, body = OrgUnit), (status = 404, body = ApiErrorDoc), (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_update(
    State(state): State<AppState>,
    auth: Auth,
    PathId(org_id): PathId,
    input: Body<OrgBody>,
) -> AppResult<Json<OrgUnit>> {
    Ok(Json(update(&state, &auth, org_id, &input).await?))
}

#[utoipa::path(delete, path = "/api/v1/orgs/{org_id}", tag = "orgs", params(("org_id" = i64, Path), VersionQuery),
    responses((status = 204), (status = 404, body = ApiErrorDoc), (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_delete(
    State(state): State<AppState>,
    auth: Auth,
    PathId(org_id): PathId,
    Query(query): Query<VersionQuery>,
) -> AppResult<Response> {
    // Look first so that an invisible unit is 404 before a missing version is 422.
    let target = editable(&state, &auth, org_id).await?;
    orgs::delete(&state.store, &auth.actor(), &target, query.required()?).await?;
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(get, path = "/api/v1/orgs/{org_id}/history", tag = "orgs", params(("org_id" = i64, Path)),
    responses((status = 200, body = Vec<AuditEntry>), (status = 404, body = ApiErrorDoc)))]
pub async fn api_history(
    State(state): State<AppState>,
    auth: Auth,
    PathId(org_id): PathId,
) -> AppResult<Json<Vec<AuditEntry>>> {
    let org = state
        .store
        .org(&auth.principal.org_visibility(), org_id)
        .await?;
    Ok(Json(
        state
            .store
            .audit_history(&auth.principal.org_visibility(), "org_unit", org.id)
            .await?,
    ))
}

/// The API paths of this part, merged into the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(api_list, api_create, api_get, api_update, api_delete, api_history,))]
pub struct ApiDoc;
