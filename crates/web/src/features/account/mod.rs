//! The signed-in user's own account: profile, password, personal API tokens.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kfq_app::account;
use kfq_store::{ApiToken, LoginFailures, NewApiToken, User};

use serde::{Deserialize, Serialize};

use crate::auth::{Auth, Via};
use crate::common::form_post;
use crate::common::PathId;
use crate::error::{field_messages, ApiErrorDoc, AppError, AppResult, FieldMessage};
use crate::input::{Body, Input};
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;

pub fn routes() -> Routes {
    Routes::new()
        .get("/account", account_page)
        .post("/account/password", password_page)
        .post("/account/tokens", create_token_page)
        .post("/account/tokens/{token_id}/revoke", revoke_token_page)
        .get("/api/v1/me", api_me)
        .put("/api/v1/me/password", api_password)
        .get("/api/v1/me/tokens", api_tokens)
        .post("/api/v1/me/tokens", api_create_token)
        .delete("/api/v1/me/tokens/{token_id}", api_revoke_token)
        .get("/api/v1/me/login-failures", api_failures)
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountView {
    page: PageContext,
    user: User,
    tokens: Vec<ApiToken>,
    new_token: Option<String>,
    password_errors: Vec<FieldMessage>,
    token_errors: Vec<FieldMessage>,
    failures: LoginFailures,
    token_days: i64,
}

async fn view(state: &AppState, auth: &Auth) -> AppResult<AccountView> {
    Ok(AccountView {
        page: PageContext::new(Some(auth), "account"),
        user: state.store.own_account(auth.user.user_id).await?,
        tokens: state.store.api_tokens(auth.user.user_id).await?,
        new_token: None,
        password_errors: Vec::new(),
        token_errors: Vec::new(),
        failures: account::own_failures(&state.store, &auth.principal).await?,
        token_days: account::TOKEN_DAYS_DEFAULT,
    })
}

/// Where the request came from, as throttling counts it.
pub struct Client(pub String);

impl Client {
    fn of(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> Client {
        Client(crate::session::client_ip(state, headers, peer))
    }
}

async fn change_password(
    state: &AppState,
    auth: &Auth,
    client: &Client,
    input: &Input,
) -> AppResult<()> {
    let keep = match &auth.via {
        Via::Session { token, .. } => Some(token.clone()),
        Via::ApiToken => None,
    };
    Ok(account::change_password(
        &state.store,
        &auth.principal,
        &auth.actor(),
        &crate::session::throttle_limits(&state.config),
        &client.0,
        input.text("current_password"),
        input.text("new_password"),
        keep.as_deref(),
    )
    .await?)
}

async fn create_token(state: &AppState, auth: &Auth, input: &Input) -> AppResult<NewApiToken> {
    let mut errors = kfq_domain::FieldErrors::new();
    let days = input.opt_int("expires_in_days", &mut errors);
    errors.into_result()?;
    Ok(account::create_token(
        &state.store,
        &auth.principal,
        &auth.actor(),
        &input.text("name"),
        days,
    )
    .await?)
}

async fn account_page(State(state): State<AppState>, auth: Auth) -> AppResult<Response> {
    Ok(render(&view(&state, &auth).await?)?.into_response())
}

async fn password_page(
    State(state): State<AppState>,
    auth: Auth,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    input: Input,
) -> AppResult<Response> {
    let client = Client::of(&state, &headers, peer);
    form_post(
        change_password(&state, &auth, &client, &input).await,
        |()| "/account?notice=saved".to_owned(),
        async |errors| {
            let mut page = view(&state, &auth).await?;
            page.password_errors = field_messages(&errors, page.page.catalog);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        },
    )
    .await
}

async fn create_token_page(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    match create_token(&state, &auth, &input).await {
        Ok(token) => {
            // Shown in this answer only; it cannot be read again.
            let mut page = view(&state, &auth).await?;
            page.new_token = Some(token.token);
            Ok(render(&page)?.into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let mut page = view(&state, &auth).await?;
            page.token_errors = field_messages(&errors, page.page.catalog);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(other) => Err(other),
    }
}

async fn revoke_token_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    account::revoke_token(&state.store, &auth.principal, &auth.actor(), id).await?;
    Ok(see_other("/account?notice=deleted"))
}

#[utoipa::path(get, path = "/api/v1/me", tag = "account", responses((status = 200, body = User), (status = 401, body = ApiErrorDoc)))]
pub async fn api_me(State(state): State<AppState>, auth: Auth) -> AppResult<Json<User>> {
    Ok(Json(state.store.own_account(auth.user.user_id).await?))
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordBody {
    #[schema(required = true, nullable = false)]
    current_password: Option<String>,
    /// At least 10 characters with letters and digits, not a common
    /// password, not built from the login name or the person's name.
    #[schema(required = true, nullable = false)]
    new_password: Option<String>,
}

/// Other sessions and every API token of the account end (the token of this
/// request too). Wrong current passwords are throttled like signing in: 429
/// with `Retry-After`.
#[utoipa::path(put, path = "/api/v1/me/password", tag = "account", request_body = ChangePasswordBody,
    responses((status = 204), (status = 422, body = ApiErrorDoc), (status = 429, body = ApiErrorDoc)))]
pub async fn api_password(
    State(state): State<AppState>,
    auth: Auth,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    input: Body<ChangePasswordBody>,
) -> AppResult<Response> {
    let client = Client::of(&state, &headers, peer);
    change_password(&state, &auth, &client, &input).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "account", responses((status = 200, body = Vec<ApiToken>)))]
pub async fn api_tokens(
    State(state): State<AppState>,
    auth: Auth,
) -> AppResult<Json<Vec<ApiToken>>> {
    Ok(Json(state.store.api_tokens(auth.user.user_id).await?))
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    #[schema(required = true, nullable = false)]
    name: Option<String>,
    /// Days the token lives, 1 to 365; 90 if left out.
    expires_in_days: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "account", request_body = TokenBody,
    responses((status = 201, body = NewApiToken), (status = 422, body = ApiErrorDoc)))]
pub async fn api_create_token(
    State(state): State<AppState>,
    auth: Auth,
    input: Body<TokenBody>,
) -> AppResult<Response> {
    let token = create_token(&state, &auth, &input).await?;
    Ok((StatusCode::CREATED, Json(token)).into_response())
}

#[utoipa::path(delete, path = "/api/v1/me/tokens/{token_id}", tag = "account", params(("token_id" = i64, Path)),
    responses((status = 204), (status = 404, body = ApiErrorDoc)))]
pub async fn api_revoke_token(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    account::revoke_token(&state.store, &auth.principal, &auth.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The caller's failed password checks of the last 30 days (signing in and
/// changing the password): how many, and the latest ten with time and client.
#[utoipa::path(get, path = "/api/v1/me/login-failures", tag = "account", responses((status = 200, body = LoginFailures)))]
pub async fn api_failures(
    State(state): State<AppState>,
    auth: Auth,
) -> AppResult<Json<LoginFailures>> {
    Ok(Json(
        account::own_failures(&state.store, &auth.principal).await?,
    ))
}

/// The API paths of this part, merged into the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api_me,
    api_password,
    api_tokens,
    api_create_token,
    api_revoke_token,
    api_failures,
))]
pub struct ApiDoc;
