//! Accounts: pages under /users and their API twins. Accounts are disabled,
//! never deleted, so their history stays readable.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kfq_domain::user::{check_password_for, parse_email, parse_phone, parse_username};
use kfq_domain::validation::required_text;
use kfq_domain::{FieldErrors, Role};
use kfq_store::{
    ApiToken, AuditEntry, EnterpriseFilter, LoginFailures, Page, User, UserFilter, UserInput,
    UserUpdate,
};

use serde::{Deserialize, Serialize};

use kfq_app::users::{self, Placement, UserTarget};

use crate::auth::Auth;
use crate::common;
use crate::common::form_post;
use crate::common::{allow, code_options, version, ListQuery, PathId, VersionQuery};
use crate::error::{ApiErrorDoc, AppError, AppResult};
use crate::input::{Body, Flag, Input};
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use crate::views::{Cell, Field, FieldKind, FormFields, FormView, ListView, Paging, Related};

pub fn routes() -> Routes {
    Routes::new()
        .get("/users", list_page)
        .get("/users/new", new_page)
        .post("/users", create_page)
        .get("/users/{user_id}", show_page)
        .get("/users/{user_id}/edit", edit_page)
        .post("/users/{user_id}/edit", update_page)
        .post("/users/{user_id}/password", password_page)
        .get("/users/{user_id}/history", history_page)
        .get("/api/v1/users", api_list)
        .post("/api/v1/users", api_create)
        .get("/api/v1/users/{user_id}", api_get)
        .put("/api/v1/users/{user_id}", api_update)
        .put("/api/v1/users/{user_id}/password", api_password)
        .get("/api/v1/users/{user_id}/history", api_history)
        .post(
            "/users/{user_id}/tokens/{token_id}/revoke",
            revoke_token_page,
        )
        .get("/api/v1/users/{user_id}/tokens", api_tokens)
        .delete(
            "/api/v1/users/{user_id}/tokens/{token_id}",
            api_revoke_token,
        )
        .get("/api/v1/users/{user_id}/login-failures", api_failures)
}

/// `/users/{user_id}/tokens/{token_id}`: both ids; anything else is a 404.
pub struct UserToken(pub i64, pub i64);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for UserToken {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(params) =
            axum::extract::Path::<Vec<(String, String)>>::from_request_parts(parts, state)
                .await
                .map_err(|_| AppError::NotFound)?;
        let id = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| v.parse::<i64>().ok())
        };
        match (id("user_id"), id("token_id")) {
            (Some(user), Some(token)) => Ok(UserToken(user, token)),
            _ => Err(AppError::NotFound),
        }
    }
}

const FIELDS: &[&str] = &[
    "version",
    "username",
    "display_name",
    "role",
    "org_unit_id",
    "enterprise_id",
    "phone",
    "email",
    "password",
    "active",
];

/// Hashing is slow on purpose; keep it off the async workers.
pub async fn hash(password: String) -> AppResult<String> {
    Ok(users::hash(password).await?)
}

fn parse_placement(input: &Input, errors: &mut FieldErrors) -> Option<Placement> {
    let role = input.choice("role", Role::from_code, errors);
    let org_unit_id = input.int("org_unit_id", errors);
    let enterprise_id = input.opt_int("enterprise_id", errors);
    Some(Placement {
        role: role?,
        org_unit_id: org_unit_id?,
        enterprise_id,
    })
}

async fn create(state: &AppState, auth: &Auth, input: &Input) -> AppResult<User> {
    let mut errors = FieldErrors::new();
    let username = errors.check("username", parse_username(&input.text("username")));
    let display_name = errors.check(
        "display_name",
        required_text(&input.text("display_name"), 50),
    );
    let placement = parse_placement(input, &mut errors);
    let phone = errors.check("phone", parse_phone(&input.text("phone")));
    let email = errors.check("email", parse_email(&input.text("email")));
    let password = input.text("password");
    errors.check(
        "password",
        check_password_for(
            &password,
            username.as_deref().unwrap_or_default(),
            display_name.as_deref().unwrap_or_default(),
        ),
    );
    errors.into_result()?;
    let placement = placement.ok_or(AppError::Invalid(FieldErrors::single(
        "role",
        "error.required",
    )))?;
    let user = UserInput {
        username: username.unwrap_or_default(),
        display_name: display_name.unwrap_or_default(),
        role: placement.role,
        org_unit_id: placement.org_unit_id,
        enterprise_id: placement.enterprise_id,
        phone: phone.flatten(),
        email: email.flatten(),
    };
    Ok(users::create(
        &state.store,
        &auth.principal,
        &auth.actor(),
        &user,
        password,
    )
    .await?)
}

/// An account the caller sees, with the proof that they may manage it.
async fn editable(state: &AppState, auth: &Auth, id: i64) -> AppResult<UserTarget> {
    Ok(UserTarget::check(&state.store, &auth.principal, id).await?)
}

/// What a missing `active` means: the page's checkbox sends nothing when it
/// is unticked; a JSON body that leaves the field out changes nothing.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Absent {
    Unticked,
    Unchanged,
}

async fn update(
    state: &AppState,
    auth: &Auth,
    id: i64,
    input: &Input,
    absent: Absent,
) -> AppResult<User> {
    let target = editable(state, auth, id).await?;
    let mut errors = FieldErrors::new();
    let expected = version(input, &mut errors);
    let display_name = errors.check(
        "display_name",
        required_text(&input.text("display_name"), 50),
    );
    let placement = parse_placement(input, &mut errors);
    let phone = errors.check("phone", parse_phone(&input.text("phone")));
    let email = errors.check("email", parse_email(&input.text("email")));
    errors.into_result()?;
    let placement = placement.ok_or(AppError::Invalid(FieldErrors::single(
        "role",
        "error.required",
    )))?;
    let active = match (input.has("active"), absent) {
        (false, Absent::Unchanged) => target.user().is_active(),
        _ => input.flag("active"),
    };
    let update = UserUpdate {
        display_name: display_name.unwrap_or_default(),
        role: placement.role,
        org_unit_id: placement.org_unit_id,
        enterprise_id: placement.enterprise_id,
        phone: phone.flatten(),
        email: email.flatten(),
        active,
    };
    Ok(users::update(
        &state.store,
        &auth.principal,
        &auth.actor(),
        &target,
        expected,
        &update,
    )
    .await?)
}

async fn reset_password(state: &AppState, auth: &Auth, id: i64, input: &Input) -> AppResult<User> {
    let target = editable(state, auth, id).await?;
    let password = input.text("password");
    let user = target.user();
    check_password_for(&password, &user.username, &user.display_name)
        .map_err(|key| AppError::Invalid(FieldErrors::single("password", key)))?;
    users::reset_password(&state.store, &auth.actor(), &target, password).await?;
    Ok(target.user().clone())
}

fn filter(query: &ListQuery) -> AppResult<UserFilter> {
    Ok(UserFilter {
        org_unit_id: ListQuery::id(&query.org_unit_id, "org_unit_id")?,
        name_contains: ListQuery::text(&query.q),
    })
}

// ---- pages ----

async fn list_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let page = PageContext::new(Some(&auth), "users").with_notice(query.notice.as_deref());
    let paging = Paging::from_query(query.page.as_deref(), query.per_page.as_deref());
    let result = state
        .store
        .users(
            &auth.principal.user_visibility(),
            &filter(&query)?,
            paging.offset(),
            paging.per_page,
        )
        .await?;
    let rows = result
        .items
        .iter()
        .map(|u| {
            vec![
                Cell::link(&u.display_name, format!("/users/{}", u.id)),
                Cell::text(&u.username),
                Cell::text(page.label("Role", u.role)),
                Cell::text(&u.org_unit_name),
                Cell::text(if u.is_active() {
                    page.t("user.active")
                } else {
                    page.t("user.inactive")
                }),
                Cell::text(page.opt_time(&u.last_login_at)),
            ]
        })
        .collect();
    let mut q = Field::new("q", page.t("user.display_name"), FieldKind::Text);
    q.value = query.q.clone().unwrap_or_default();
    let (prev_href, next_href) = paging.links("/users", &[("q", q.value.clone())], result.total);
    let view = ListView {
        title: page.t("user.title").to_owned(),
        new_href: auth
            .principal
            .can_administer()
            .then(|| "/users/new".to_owned()),
        filters: vec![q],
        filter_action: "/users".into(),
        headers: [
            "user.display_name",
            "user.username",
            "user.role",
            "user.org_unit",
            "user.active",
            "user.last_login",
        ]
        .iter()
        .map(|k| page.t(k).to_owned())
        .collect(),
        rows,
        empty: page.t("user.none_yet").to_owned(),
        total: page.format("common.total", "n", &result.total.to_string()),
        prev_href,
        next_href,
        page,
    };
    Ok(render(&view)?.into_response())
}

struct FormPage<'a> {
    title: String,
    action: String,
    cancel: String,
    creating: bool,
    values: HashMap<&'static str, String>,
    errors: Option<&'a FieldErrors>,
}

async fn form_page(state: &AppState, auth: &Auth, form: FormPage<'_>) -> AppResult<Response> {
    let page = PageContext::new(Some(auth), "users");
    let units = state
        .store
        .org_tree(&auth.principal.org_visibility())
        .await?;
    let enterprises = state
        .store
        .enterprises(
            &auth.principal.zone_data_visibility(),
            &EnterpriseFilter::default(),
            0,
            5_000,
        )
        .await?;
    let roles: Vec<&str> = Role::ALL
        .iter()
        .filter(|r| {
            units
                .iter()
                .any(|u| auth.principal.can_manage_user(&u.org_path(), **r))
        })
        .map(|r| r.code())
        .collect();
    let mut unit_options = vec![(String::new(), String::new())];
    unit_options.extend(units.iter().map(|u| {
        (
            u.id.to_string(),
            page.catalog.format(
                "common.with_note",
                &[("text", &u.name), ("note", &page.label("OrgKind", u.kind))],
            ),
        )
    }));
    let mut enterprise_options = vec![(String::new(), page.t("common.none").to_owned())];
    enterprise_options.extend(
        enterprises
            .items
            .iter()
            .map(|e| (e.id.to_string(), e.name.clone())),
    );
    let mut fields = vec![Field::new("version", "", FieldKind::Hidden)];
    if form.creating {
        fields.push(Field::new("username", page.t("user.username"), FieldKind::Text).required());
    }
    fields.extend([
        Field::new("display_name", page.t("user.display_name"), FieldKind::Text).required(),
        Field::new(
            "role",
            page.t("user.role"),
            FieldKind::Select(code_options(&page, "Role", &roles, false)),
        )
        .required(),
        Field::new(
            "org_unit_id",
            page.t("user.org_unit"),
            FieldKind::Select(unit_options),
        )
        .required(),
        Field::new(
            "enterprise_id",
            page.t("user.enterprise"),
            FieldKind::Select(enterprise_options),
        ),
        Field::new("phone", page.t("user.phone"), FieldKind::Text),
        Field::new("email", page.t("user.email"), FieldKind::Text),
    ]);
    if form.creating {
        fields
            .push(Field::new("password", page.t("user.password"), FieldKind::Password).required());
    } else {
        fields.push(Field::new(
            "active",
            page.t("user.active"),
            FieldKind::Checkbox,
        ));
    }
    let mut fields = FormFields::new(fields).fill(&form.values);
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

fn input_values(input: &Input) -> HashMap<&'static str, String> {
    FIELDS
        .iter()
        .filter(|k| **k != "password")
        .map(|k| (*k, input.text(k)))
        .collect()
}

fn user_values(u: &User) -> HashMap<&'static str, String> {
    HashMap::from([
        ("version", u.version.to_string()),
        ("display_name", u.display_name.clone()),
        ("role", u.role.code().to_owned()),
        ("org_unit_id", u.org_unit_id.to_string()),
        (
            "enterprise_id",
            u.enterprise_id.map(|e| e.to_string()).unwrap_or_default(),
        ),
        ("phone", u.phone.clone().unwrap_or_default()),
        ("email", u.email.clone().unwrap_or_default()),
        (
            "active",
            if u.is_active() {
                "on".into()
            } else {
                String::new()
            },
        ),
    ])
}

fn new_form<'a>(
    auth: &Auth,
    values: HashMap<&'static str, String>,
    errors: Option<&'a FieldErrors>,
) -> FormPage<'a> {
    FormPage {
        title: PageContext::new(Some(auth), "").t("user.new").to_owned(),
        action: "/users".into(),
        cancel: "/users".into(),
        creating: true,
        values,
        errors,
    }
}

async fn new_page(State(state): State<AppState>, auth: Auth) -> AppResult<Response> {
    allow(auth.principal.can_administer())?;
    form_page(&state, &auth, new_form(&auth, HashMap::new(), None)).await
}

async fn create_page(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    form_post(
        create(&state, &auth, &input).await,
        |u| format!("/users/{}?notice=saved", u.id),
        async |errors| {
            form_page(
                &state,
                &auth,
                new_form(&auth, input_values(&input), Some(&errors)),
            )
            .await
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
    let u = state
        .store
        .user(&auth.principal.user_visibility(), id)
        .await?;
    let page = PageContext::new(Some(&auth), "users").with_notice(query.notice.as_deref());
    let rows = vec![
        (page.t("user.username").to_owned(), Cell::text(&u.username)),
        (
            page.t("user.role").to_owned(),
            Cell::text(page.label("Role", u.role)),
        ),
        (
            page.t("user.org_unit").to_owned(),
            Cell::link(&u.org_unit_name, format!("/orgs/{}", u.org_unit_id)),
        ),
        (
            page.t("user.phone").to_owned(),
            Cell::text(u.phone.clone().unwrap_or_default()),
        ),
        (
            page.t("user.email").to_owned(),
            Cell::text(u.email.clone().unwrap_or_default()),
        ),
        (
            page.t("user.active").to_owned(),
            Cell::text(if u.is_active() {
                page.t("common.yes")
            } else {
                page.t("common.no")
            }),
        ),
        (
            page.t("user.last_login").to_owned(),
            Cell::text(page.opt_time(&u.last_login_at)),
        ),
    ];
    let mut related = Vec::new();
    if u.role() == Role::Liaison {
        let blockers = state
            .store
            .blockers_of_liaison(&auth.principal.zone_data_visibility(), u.id)
            .await?;
        let title = page.t("user.liaison_blockers").to_owned();
        related.push(crate::features::orgs::blocker_table(
            &page,
            &title,
            &blockers,
            kfq_app::clock::today(),
        ));
    }
    let can_edit = auth.principal.can_manage_user(&u.unit_org_path(), u.role());
    // Tokens and failed sign-ins: for whoever manages the account.
    let (tokens, failures) = if can_edit {
        let target = editable(&state, &auth, u.id).await?;
        (
            Some(users::tokens(&state.store, &target).await?),
            Some(users::failures(&state.store, &target).await?),
        )
    } else {
        (None, None)
    };
    let view = UserShowView {
        title: u.display_name.clone(),
        subtitle: page.label("Role", u.role),
        rows,
        edit_href: can_edit.then(|| format!("/users/{}/edit", u.id)),
        history_href: format!("/users/{}/history", u.id),
        related,
        tokens,
        failures,
        user_id: u.id,
        page,
    };
    Ok(render(&view)?.into_response())
}

/// An account's page: its fields, and for whoever manages it its API tokens
/// (with revoke buttons) and its failed password checks.
#[derive(Template)]
#[template(path = "users/show.html")]
struct UserShowView {
    page: PageContext,
    title: String,
    subtitle: String,
    rows: Vec<(String, Cell)>,
    edit_href: Option<String>,
    history_href: String,
    related: Vec<Related>,
    tokens: Option<Vec<ApiToken>>,
    failures: Option<LoginFailures>,
    user_id: i64,
}

async fn revoke_token_page(
    State(state): State<AppState>,
    auth: Auth,
    UserToken(id, token_id): UserToken,
) -> AppResult<Response> {
    let target = editable(&state, &auth, id).await?;
    users::revoke_token(&state.store, &auth.actor(), &target, token_id).await?;
    Ok(see_other(&format!("/users/{id}?notice=deleted")))
}

fn edit_form<'a>(
    auth: &Auth,
    u: &User,
    values: HashMap<&'static str, String>,
    errors: Option<&'a FieldErrors>,
) -> FormPage<'a> {
    let page = PageContext::new(Some(auth), "");
    FormPage {
        title: page.catalog.format(
            "common.label_value",
            &[("label", page.t("user.edit")), ("value", &u.display_name)],
        ),
        action: format!("/users/{}/edit", u.id),
        cancel: format!("/users/{}", u.id),
        creating: false,
        values,
        errors,
    }
}

async fn edit_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    let u = editable(&state, &auth, id).await?.user().clone();
    form_page(&state, &auth, edit_form(&auth, &u, user_values(&u), None)).await
}

async fn update_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    form_post(
        update(&state, &auth, id, &input, Absent::Unticked).await,
        |u| format!("/users/{}?notice=saved", u.id),
        async |errors| {
            let u = editable(&state, &auth, id).await?.user().clone();
            form_page(
                &state,
                &auth,
                edit_form(&auth, &u, input_values(&input), Some(&errors)),
            )
            .await
        },
    )
    .await
}

async fn password_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    let user = reset_password(&state, &auth, id, &input).await?;
    Ok(see_other(&format!("/users/{}?notice=saved", user.id)))
}

async fn history_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    let u = state
        .store
        .user(&auth.principal.user_visibility(), id)
        .await?;
    let back = format!("/users/{}", u.id);
    common::history_page(
        &state,
        &auth,
        &auth.principal.user_visibility(),
        "users",
        ("user", u.id),
        &u.display_name,
        back,
    )
    .await
}

// ---- API ----

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserBody {
    /// Create only (required there): 3–32 lower-case letters, digits, ".", "_" or "-".
    username: Option<String>,
    #[schema(required = true, nullable = false)]
    display_name: Option<String>,
    #[schema(required = true, nullable = false, schema_with = crate::openapi::codes::role)]
    role: Option<String>,
    #[schema(required = true, nullable = false)]
    org_unit_id: Option<i64>,
    /// Enterprise accounts only.
    enterprise_id: Option<i64>,
    phone: Option<String>,
    email: Option<String>,
    /// Create only (required there): at least 10 characters with letters and digits.
    password: Option<String>,
    /// Update only: false disables the account (never one's own); left out
    /// keeps it as it is.
    active: Option<Flag>,
    /// Update only (required there): the version last read.
    version: Option<i64>,
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordBody {
    #[schema(required = true, nullable = false)]
    password: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(ListQuery),
    responses((status = 200, body = Page<User>), (status = 422, body = ApiErrorDoc)))]
pub async fn api_list(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<ListQuery>,
) -> AppResult<Json<Page<User>>> {
    let paging = Paging::from_query(query.page.as_deref(), query.per_page.as_deref());
    Ok(Json(
        state
            .store
            .users(
                &auth.principal.user_visibility(),
                &filter(&query)?,
                paging.offset(),
                paging.per_page,
            )
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = UserBody,
    responses((status = 201, body = User), (status = 422, body = ApiErrorDoc)))]
pub async fn api_create(
    State(state): State<AppState>,
    auth: Auth,
    input: Body<UserBody>,
) -> AppResult<Response> {
    let u = create(&state, &auth, &input).await?;
    Ok((StatusCode::CREATED, Json(u)).into_response())
}

#[utoipa::path(get, path = "/api/v1/users/{user_id}", tag = "users", params(("user_id" = i64, Path)),
    responses((status = 200, body = User), (status = 404, body = ApiErrorDoc)))]
pub async fn api_get(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<User>> {
    Ok(Json(
        state
            .store
            .user(&auth.principal.user_visibility(), id)
            .await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/users/{user_id}", tag = "users", params(("user_id" = i64, Path)), request_body = UserBody,
    responses((status = 200, body = User), (status = 404, body = ApiErrorDoc), (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_update(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<UserBody>,
) -> AppResult<Json<User>> {
    Ok(Json(
        update(&state, &auth, id, &input, Absent::Unchanged).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/users/{user_id}/password", tag = "users", params(("user_id" = i64, Path)), request_body = PasswordBody,
    responses((status = 204), (status = 404, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_password(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<PasswordBody>,
) -> AppResult<Response> {
    reset_password(&state, &auth, id, &input).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(get, path = "/api/v1/users/{user_id}/history", tag = "users", params(("user_id" = i64, Path)),
    responses((status = 200, body = Vec<AuditEntry>), (status = 404, body = ApiErrorDoc)))]
pub async fn api_history(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Vec<AuditEntry>>> {
    let u = state
        .store
        .user(&auth.principal.user_visibility(), id)
        .await?;
    Ok(Json(
        state
            .store
            .audit_history(&auth.principal.user_visibility(), "user", u.id)
            .await?,
    ))
}

/// The live API tokens of an account the caller manages (an administrator
/// over its unit who may grant its role); others' are 403 or 404.
#[utoipa::path(get, path = "/api/v1/users/{user_id}/tokens", tag = "users", params(("user_id" = i64, Path)),
    responses((status = 200, body = Vec<ApiToken>), (status = 403, body = ApiErrorDoc), (status = 404, body = ApiErrorDoc)))]
pub async fn api_tokens(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Vec<ApiToken>>> {
    let target = editable(&state, &auth, id).await?;
    Ok(Json(users::tokens(&state.store, &target).await?))
}

/// Revokes a token of an account the caller manages; recorded in the
/// account's history.
#[utoipa::path(delete, path = "/api/v1/users/{user_id}/tokens/{token_id}", tag = "users",
    params(("user_id" = i64, Path), ("token_id" = i64, Path)),
    responses((status = 204), (status = 403, body = ApiErrorDoc), (status = 404, body = ApiErrorDoc)))]
pub async fn api_revoke_token(
    State(state): State<AppState>,
    auth: Auth,
    UserToken(id, token_id): UserToken,
) -> AppResult<Response> {
    let target = editable(&state, &auth, id).await?;
    users::revoke_token(&state.store, &auth.actor(), &target, token_id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The failed password checks of an account the caller manages, last 30 days.
#[utoipa::path(get, path = "/api/v1/users/{user_id}/login-failures", tag = "users", params(("user_id" = i64, Path)),
    responses((status = 200, body = LoginFailures), (status = 403, body = ApiErrorDoc), (status = 404, body = ApiErrorDoc)))]
pub async fn api_failures(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<LoginFailures>> {
    let target = editable(&state, &auth, id).await?;
    Ok(Json(users::failures(&state.store, &target).await?))
}

/// The API paths of this part, merged into the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api_list,
    api_create,
    api_get,
    api_update,
    api_password,
    api_history,
    api_tokens,
    api_revoke_token,
    api_failures,
))]
pub struct ApiDoc;
