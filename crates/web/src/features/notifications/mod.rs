//! 消息提醒: a user's notices inside kfq, where else they want them (a WeCom
//! or DingTalk group robot, e-mail) and which events they want to hear
//! about. Everything here is the signed-in user's own; what is sent and when
//! is decided in [`kfq_app::alerts`].

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kfq_app::notifications::{self, ChannelInput};
use kfq_domain::FieldErrors;
use kfq_store::{Notice, NotifyChannel};
use serde::{Deserialize, Serialize};

use crate::auth::Auth;
use crate::common::PathId;
use crate::error::{ApiErrorDoc, AppError, AppResult};
use crate::input::{Body, Input};
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use kfq_app::alerts::EVENTS;

pub fn routes() -> Routes {
    Routes::new()
        .get("/notifications", list_page)
        .post("/notifications/read", read_all)
        .get("/notifications/settings", settings_page)
        .post("/notifications/channels", add_channel_page)
        .post(
            "/notifications/channels/{channel_id}/delete",
            remove_channel_page,
        )
        .post("/notifications/subscriptions", subscriptions_page)
        .get("/api/v1/notifications", api_list)
        .get("/api/v1/notifications/channels", api_channels)
        .post("/api/v1/notifications/channels", api_add_channel)
        .delete(
            "/api/v1/notifications/channels/{channel_id}",
            api_remove_channel,
        )
        .get("/api/v1/notifications/subscriptions", api_subscriptions)
        .put("/api/v1/notifications/subscriptions", api_set_subscriptions)
}

// ---- channels ----

/// Reads a channel from a form or JSON: kind wecom|dingtalk|email, label,
/// webhook_url (+ secret) or to.
fn channel_input(input: &Input) -> ChannelInput {
    ChannelInput {
        kind: input.text("kind"),
        label: input.text("label"),
        webhook_url: input.text("webhook_url"),
        secret: input.text("secret"),
        to: input.text("to"),
    }
}

async fn add_channel(state: &AppState, auth: &Auth, input: &Input) -> AppResult<NotifyChannel> {
    Ok(notifications::add_channel(
        &state.store,
        &auth.principal,
        &auth.actor(),
        &state.config.webhooks,
        &channel_input(input),
    )
    .await?)
}

/// The events a user picked: `events` (repeated or comma-separated) in a
/// form, a JSON list (handed on comma-separated), or the form's checkboxes.
fn parse_events(input: &Input) -> AppResult<Vec<&'static str>> {
    let raw = input.text("events");
    let ticked = EVENTS
        .iter()
        .filter(|(code, _)| input.flag(&format!("event_{code}")))
        .map(|(code, _)| *code);
    Ok(notifications::parse_events(raw.split(',').chain(ticked))?)
}

// ---- pages ----

#[derive(Template)]
#[template(path = "notifications/list.html")]
struct ListView {
    page: PageContext,
    groups: Vec<NoticeGroup>,
    channels: Vec<NotifyChannel>,
}

/// Notices made in the same minute (an alert scan's batch), shown together
/// under one time.
struct NoticeGroup {
    at: i64,
    notices: Vec<Notice>,
}

/// Groups notices, newest first as given, by the minute they were made.
fn by_minute(notices: Vec<Notice>) -> Vec<NoticeGroup> {
    let mut groups: Vec<NoticeGroup> = Vec::new();
    for notice in notices {
        match groups.last_mut() {
            Some(g) if g.at / 60_000 == notice.created_at / 60_000 => g.notices.push(notice),
            _ => groups.push(NoticeGroup {
                at: notice.created_at,
                notices: vec![notice],
            }),
        }
    }
    groups
}

impl ListView {
    fn channel_label(&self, notice: &Notice) -> String {
        match notice.channel_id {
            None => self.page.t("notice.in_app").to_owned(),
            Some(id) => self
                .channels
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.label.clone())
                .unwrap_or_default(),
        }
    }
}

async fn list_page(State(state): State<AppState>, auth: Auth) -> AppResult<Response> {
    let view = ListView {
        page: PageContext::new(Some(&auth), "notifications"),
        groups: by_minute(state.store.notices_of(auth.principal.user_id, 200).await?),
        channels: state.store.channels_of(auth.principal.user_id).await?,
    };
    Ok(render(&view)?.into_response())
}

async fn read_all(State(state): State<AppState>, auth: Auth) -> AppResult<Response> {
    notifications::mark_all_read(&state.store, &auth.principal).await?;
    Ok(see_other("/notifications"))
}

#[derive(Template)]
#[template(path = "notifications/settings.html")]
struct SettingsView {
    page: PageContext,
    channels: Vec<NotifyChannel>,
    events: Vec<(&'static str, &'static str, bool)>,
    hosts: String,
    errors: Vec<String>,
}

async fn settings_view(
    state: &AppState,
    auth: &Auth,
    errors: Vec<String>,
) -> AppResult<SettingsView> {
    let chosen = state.store.subscriptions_of(auth.principal.user_id).await?;
    let page = PageContext::new(Some(auth), "notifications");
    let hosts = state
        .config
        .webhooks
        .hosts()
        .join(page.t("common.join.items"));
    Ok(SettingsView {
        page,
        channels: state
            .store
            .channels_of(auth.principal.user_id)
            .await?
            .into_iter()
            .filter(|c| c.active != 0)
            .collect(),
        events: EVENTS
            .iter()
            .map(|(code, key)| (*code, *key, chosen.iter().any(|c| c == code)))
            .collect(),
        hosts,
        errors,
    })
}

async fn settings_page(State(state): State<AppState>, auth: Auth) -> AppResult<Response> {
    Ok(render(&settings_view(&state, &auth, vec![]).await?)?.into_response())
}

async fn refused(state: &AppState, auth: &Auth, errors: &FieldErrors) -> AppResult<Response> {
    let messages = crate::error::messages(errors);
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        render(&settings_view(state, auth, messages).await?)?,
    )
        .into_response())
}

async fn add_channel_page(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    match add_channel(&state, &auth, &input).await {
        Ok(_) => Ok(see_other("/notifications/settings")),
        Err(AppError::Invalid(errors)) => refused(&state, &auth, &errors).await,
        Err(other) => Err(other),
    }
}

async fn remove_channel_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    notifications::remove_channel(&state.store, &auth.principal, &auth.actor(), id).await?;
    Ok(see_other("/notifications/settings"))
}

async fn subscriptions_page(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    match parse_events(&input) {
        Ok(events) => {
            notifications::set_subscriptions(&state.store, &auth.principal, &events).await?;
            Ok(see_other("/notifications/settings"))
        }
        Err(AppError::Invalid(errors)) => refused(&state, &auth, &errors).await,
        Err(other) => Err(other),
    }
}

// ---- API ----

#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications",
    responses((status = 200, body = Vec<Notice>)))]
pub async fn api_list(State(state): State<AppState>, auth: Auth) -> AppResult<Json<Vec<Notice>>> {
    Ok(Json(
        state.store.notices_of(auth.principal.user_id, 200).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/notifications/channels", tag = "notifications",
    responses((status = 200, body = Vec<NotifyChannel>)))]
pub async fn api_channels(
    State(state): State<AppState>,
    auth: Auth,
) -> AppResult<Json<Vec<NotifyChannel>>> {
    Ok(Json(state.store.channels_of(auth.principal.user_id).await?))
}

/// A channel: `{"kind": "wecom", "label": "项目群", "webhook_url": "https://qyapi.weixin.qq.com/…"}`,
/// `{"kind": "dingtalk", …, "secret": "SEC…"}` or `{"kind": "email", "label": …, "to": "a@b.cn"}`.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelBody {
    #[schema(required = true, nullable = false, schema_with = crate::openapi::codes::channel_kind)]
    kind: Option<String>,
    /// Up to 40 characters.
    #[schema(required = true, nullable = false)]
    label: Option<String>,
    /// wecom and dingtalk: the robot's webhook, https on an allowed host
    /// (no user-info, port or IP address).
    webhook_url: Option<String>,
    /// dingtalk: the signing secret, if the robot has one.
    secret: Option<String>,
    /// email: one or more addresses, comma-separated.
    to: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/notifications/channels", tag = "notifications", request_body = ChannelBody,
    responses((status = 201, body = NotifyChannel), (status = 422, body = ApiErrorDoc)))]
pub async fn api_add_channel(
    State(state): State<AppState>,
    auth: Auth,
    input: Body<ChannelBody>,
) -> AppResult<Response> {
    let channel = add_channel(&state, &auth, &input).await?;
    Ok((StatusCode::CREATED, Json(channel)).into_response())
}

#[utoipa::path(delete, path = "/api/v1/notifications/channels/{channel_id}", tag = "notifications",
    params(("channel_id" = i64, Path)), responses((status = 204), (status = 404, body = ApiErrorDoc)))]
pub async fn api_remove_channel(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    notifications::remove_channel(&state.store, &auth.principal, &auth.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Subscriptions {
    /// The events subscribed to.
    pub events: Vec<String>,
    /// Every event there is: [code, name].
    #[schema(value_type = Vec<Vec<String>>)]
    pub available: Vec<(String, String)>,
}

async fn subscriptions(state: &AppState, auth: &Auth) -> AppResult<Subscriptions> {
    let catalog = kfq_app::i18n::Catalog::zh();
    Ok(Subscriptions {
        events: state.store.subscriptions_of(auth.principal.user_id).await?,
        available: EVENTS
            .iter()
            .map(|(code, key)| ((*code).to_owned(), catalog.t(key).to_owned()))
            .collect(),
    })
}

#[utoipa::path(get, path = "/api/v1/notifications/subscriptions", tag = "notifications",
    responses((status = 200, body = Subscriptions)))]
pub async fn api_subscriptions(
    State(state): State<AppState>,
    auth: Auth,
) -> AppResult<Json<Subscriptions>> {
    Ok(Json(subscriptions(&state, &auth).await?))
}

/// `{"events": ["project_red", "daily_digest"]}` or `{"events": "project_red,daily_digest"}`.
/// The page's `event_<code>` checkboxes are a form's shape, not this body's.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionsBody {
    /// The event codes, as a list or comma-separated; none unsubscribes from all.
    events: Option<Events>,
}

/// Event codes as a JSON list or as comma-separated text; handed on as text.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum Events {
    List(Vec<String>),
    Text(String),
}

impl Serialize for Events {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Events::List(codes) => serializer.serialize_str(&codes.join(",")),
            Events::Text(text) => serializer.serialize_str(text),
        }
    }
}

#[utoipa::path(put, path = "/api/v1/notifications/subscriptions", tag = "notifications", request_body = SubscriptionsBody,
    responses((status = 200, body = Subscriptions), (status = 422, body = ApiErrorDoc)))]
pub async fn api_set_subscriptions(
    State(state): State<AppState>,
    auth: Auth,
    input: Body<SubscriptionsBody>,
) -> AppResult<Json<Subscriptions>> {
    let events = parse_events(&input)?;
    notifications::set_subscriptions(&state.store, &auth.principal, &events).await?;
    Ok(Json(subscriptions(&state, &auth).await?))
}

/// The API paths of this part, merged into the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api_list,
    api_channels,
    api_add_channel,
    api_remove_channel,
    api_subscriptions,
    api_set_subscriptions,
))]
pub struct ApiDoc;

#[cfg(test)]
mod grouping {
    use super::*;

    fn notice(id: i64, created_at: i64) -> Notice {
        Notice {
            id,
            user_id: 1,
            event: "project_red".into(),
            channel_id: None,
            title: String::new(),
            body: String::new(),
            link: None,
            status: "sent".into(),
            attempts: 1,
            next_attempt_at: 0,
            last_error: None,
            created_at,
            sent_at: None,
            read_at: None,
        }
    }

    #[test]
    fn notices_of_one_minute_are_shown_together() {
        let minute = 60_000;
        let groups = by_minute(vec![
            notice(5, 10 * minute + 59_000),
            notice(4, 10 * minute + 1_000),
            notice(3, 10 * minute),
            notice(2, 9 * minute + 59_999),
            notice(1, 2 * minute),
        ]);
        let ids: Vec<Vec<i64>> = groups
            .iter()
            .map(|g| g.notices.iter().map(|n| n.id).collect())
            .collect();
        assert_eq!(ids, vec![vec![5, 4, 3], vec![2], vec![1]]);
        assert!(by_minute(Vec::new()).is_empty());
    }
}
