//! 招商活动: the list of a zone's activities, an activity's page and form,
//! the calendar of the coming weeks, and their API twins.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kfq_app::attraction::{self as use_case, ActivityCalendar, ActivityTarget};
use kfq_app::clock::today;
use kfq_attraction::ActivityKind;
use kfq_domain::validation::{optional_text, required_text};
use kfq_domain::{FieldErrors, Visibility};
use kfq_store::{Activity, ActivityFilter, ActivityInput, InvestorFilter, LeadFilter, Page};
use serde::{Deserialize, Serialize};

use super::{code_options, search_and_zone, working_zones, zone_options, zones};
use crate::auth::Auth;
use crate::common::{self, form_post, version, PathId, VersionQuery};
use crate::error::{ApiErrorDoc, AppResult};
use crate::input::{Body, Input};
use crate::layout::{render, see_other, PageContext};
use crate::openapi::codes;
use crate::routes::Routes;
use crate::state::AppState;
use crate::views::{Field, FieldKind, FormFields, FormHeading, FormView, Paging};

pub fn routes() -> Routes {
    Routes::new()
        .get("/attraction/activities", list_page)
        .get("/attraction/activities/new", new_page)
        .post("/attraction/activities", create_page)
        .get("/attraction/activities/{activity_id}", show_page)
        .get("/attraction/activities/{activity_id}/edit", edit_page)
        .post("/attraction/activities/{activity_id}/edit", update_page)
        .post("/attraction/activities/{activity_id}/delete", delete_page)
        .get("/attraction/calendar", calendar_page)
        .get("/api/v1/attraction/activities", api_list)
        .post("/api/v1/attraction/activities", api_create)
        .get("/api/v1/attraction/activities/{activity_id}", api_get)
        .put("/api/v1/attraction/activities/{activity_id}", api_update)
        .delete("/api/v1/attraction/activities/{activity_id}", api_delete)
        .get("/api/v1/attraction/calendar", api_calendar)
}

/// The activities' filters.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ActivityQuery {
    /// Title, place, their people or outcome contains these words.
    pub q: Option<String>,
    pub zone_id: Option<String>,
    #[param(schema_with = codes::activity_kind)]
    pub kind: Option<String>,
    pub lead_id: Option<String>,
    pub investor_id: Option<String>,
    /// Page number, from 1.
    pub page: Option<String>,
    /// Items a page (1–500, default 50).
    pub per_page: Option<String>,
    #[param(ignore)]
    pub notice: Option<String>,
}

fn filter(query: &ActivityQuery) -> AppResult<ActivityFilter> {
    let kind = match query.kind.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => Some(ActivityKind::from_code(code).ok_or_else(|| {
            crate::error::AppError::Invalid(FieldErrors::single("kind", "error.choice"))
        })?),
    };
    Ok(ActivityFilter {
        zone_id: common::ListQuery::id(&query.zone_id, "zone_id")?,
        kind,
        lead_id: common::ListQuery::id(&query.lead_id, "lead_id")?,
        investor_id: common::ListQuery::id(&query.investor_id, "investor_id")?,
        text: query.q.clone().filter(|q| !q.trim().is_empty()),
        ..ActivityFilter::default()
    })
}

const FIELDS: &[&str] = &[
    "version",
    "zone_id",
    "kind",
    "title",
    "on_date",
    "ends_on",
    "place",
    "our_people",
    "their_people",
    "purpose",
    "outcome",
    "next_step",
    "next_due",
    "next_owner_id",
    "next_done_on",
    "leads",
    "investors",
];

fn parse(input: &Input, zone: Option<i64>) -> Result<ActivityInput, FieldErrors> {
    let mut e = FieldErrors::new();
    let zone_id = zone.or_else(|| input.int("zone_id", &mut e));
    let kind = input.choice("kind", ActivityKind::from_code, &mut e);
    let title = e.check("title", required_text(&input.text("title"), 100));
    let on_date = input.date("on_date", &mut e);
    let ends_on = input.opt_date("ends_on", &mut e);
    let mut text =
        |key: &str, max: usize| e.check(key, optional_text(&input.text(key), max)).flatten();
    let place = text("place", 100);
    let our_people = text("our_people", 200);
    let their_people = text("their_people", 200);
    let purpose = text("purpose", 500);
    let outcome = text("outcome", 2000);
    let next_step = text("next_step", 200);
    let next_due = input.opt_date("next_due", &mut e);
    let next_owner_id = input.opt_int("next_owner_id", &mut e);
    let next_done_on = input.opt_date("next_done_on", &mut e);
    if next_done_on.is_some_and(|d| d > today()) {
        e.add("next_done_on", "error.lead.future_date");
    }
    let leads = input.ids("leads", &mut e);
    let investors = input.ids("investors", &mut e);
    e.into_result()?;
    match (zone_id, kind, title, on_date) {
        (Some(zone_id), Some(kind), Some(title), Some(on_date)) => Ok(ActivityInput {
            zone_id,
            kind,
            title,
            on_date,
            ends_on,
            place,
            our_people,
            their_people,
            purpose,
            outcome,
            next_step,
            next_due,
            next_owner_id,
            next_done_on,
            leads,
            investors,
        }),
        _ => Err(FieldErrors::single("title", "error.required")),
    }
}

async fn target(state: &AppState, auth: &Auth, id: i64) -> AppResult<ActivityTarget> {
    Ok(ActivityTarget::check(&state.store, &auth.principal, id).await?)
}

async fn create(state: &AppState, auth: &Auth, input: &Input) -> AppResult<Activity> {
    let activity = parse(input, None)?;
    Ok(use_case::create_activity(
        &state.store,
        &auth.principal,
        &auth.actor(),
        &activity,
        today(),
    )
    .await?)
}

async fn update(state: &AppState, auth: &Auth, id: i64, input: &Input) -> AppResult<Activity> {
    let target = target(state, auth, id).await?;
    let mut e = FieldErrors::new();
    let expected = version(input, &mut e);
    let parsed = parse(input, Some(target.activity().zone_id));
    let activity = match (parsed, e.into_result()) {
        (Ok(activity), Ok(())) => activity,
        (Err(mut more), other) => {
            more.0.extend(other.err().map(|e| e.0).unwrap_or_default());
            return Err(more.into());
        }
        (Ok(_), Err(e)) => return Err(e.into()),
    };
    Ok(use_case::update_activity(
        &state.store,
        &auth.actor(),
        &target,
        expected,
        &activity,
        today(),
    )
    .await?)
}

// ---- pages ----

#[derive(Template)]
#[template(path = "attraction/activities.html")]
struct ListView {
    page: PageContext,
    activities: Vec<Activity>,
    filters: Vec<Field>,
    can_create: bool,
    total: String,
    prev_href: Option<String>,
    next_href: Option<String>,
}

impl ListView {
    fn filtered(&self) -> bool {
        self.filters.iter().any(|f| !f.value.is_empty())
    }
}

async fn list_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<ActivityQuery>,
) -> AppResult<Response> {
    let page = PageContext::new(Some(&auth), "attraction").with_notice(query.notice.as_deref());
    let paging = Paging::from_query(query.page.as_deref(), query.per_page.as_deref());
    let result = state
        .store
        .activities(
            &auth.principal.lead_sight(),
            &filter(&query)?,
            paging.offset(),
            paging.per_page,
        )
        .await?;
    let zones = zones(&state, &auth).await?;
    let mut kind = Field::new(
        "kind",
        page.t("activity.kind"),
        FieldKind::Select(code_options(
            &page,
            "ActivityKind",
            ActivityKind::ALL,
            page.t("common.all"),
        )),
    );
    kind.value = query.kind.clone().unwrap_or_default();
    let mut filters = search_and_zone(&page, &zones, &query.q, &query.zone_id);
    filters.insert(1, kind);
    let keep: Vec<(&str, String)> = filters.iter().map(|f| (f.name, f.value.clone())).collect();
    let (prev_href, next_href) = paging.links("/attraction/activities", &keep, result.total);
    let view = ListView {
        total: page.format("common.total", "n", &result.total.to_string()),
        can_create: auth.principal.can_work_leads(),
        page,
        activities: result.items,
        filters,
        prev_href,
        next_href,
    };
    Ok(render(&view)?.into_response())
}

#[derive(Template)]
#[template(path = "attraction/activity.html")]
struct ActivityView {
    page: PageContext,
    activity: Activity,
    rows: Vec<(String, String)>,
    can_edit: bool,
}

async fn show_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Query(query): Query<VersionQuery>,
) -> AppResult<Response> {
    let activity = state
        .store
        .activity(&auth.principal.lead_sight(), id)
        .await?;
    let page = PageContext::new(Some(&auth), "attraction").with_notice(query.notice.as_deref());
    let can_edit = ActivityTarget::check(&state.store, &auth.principal, id)
        .await
        .is_ok();
    let a = &activity;
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
    let rows: Vec<(&str, Option<String>)> = vec![
        ("activity.kind", Some(page.label("ActivityKind", a.kind))),
        ("project.zone", Some(a.zone_name.clone())),
        ("activity.on_date", day(Some(a.on_date))),
        ("activity.ends_on", day(a.ends_on)),
        ("activity.place", a.place.clone()),
        ("activity.our_people", a.our_people.clone()),
        ("activity.their_people", a.their_people.clone()),
        ("activity.purpose", a.purpose.clone()),
        ("activity.outcome", a.outcome.clone()),
        ("activity.next_step", a.next_step.clone()),
        ("activity.next_due", day(a.next_due)),
        ("activity.next_owner", a.next_owner_name.clone()),
        ("activity.next_done_on", day(a.next_done_on)),
    ];
    let rows = rows
        .into_iter()
        .filter_map(|(key, value)| value.map(|v| (page.t(key).to_owned(), v)))
        .collect();
    let view = ActivityView {
        page,
        rows,
        can_edit,
        activity,
    };
    Ok(render(&view)?.into_response())
}

/// The form's pickers for one zone: its leads (those the caller works, for
/// one who works only their own), investors and people.
async fn form_fields(state: &AppState, auth: &Auth, zone_id: Option<i64>) -> AppResult<FormFields> {
    let page = PageContext::new(Some(auth), "");
    let zones = working_zones(state, auth).await?;
    let zone_id = zone_id.or(match zones.as_slice() {
        [only] => Some(only.id),
        _ => None,
    });
    let (mut leads, mut investors, mut people) = (vec![], vec![], vec![]);
    if let Some(zone) = zone_id.and_then(|z| zones.iter().find(|u| u.id == z)) {
        let scope = Visibility::Subtree(zone.org_path());
        let mut sight = auth.principal.lead_sight();
        sight.visibility = scope.clone();
        leads = state
            .store
            .leads(
                &sight,
                &LeadFilter {
                    zone_id: Some(zone.id),
                    ..LeadFilter::default()
                },
                0,
                2000,
            )
            .await?
            .items
            .into_iter()
            .filter(|l| l.stage.is_open())
            .map(|l| (l.id.to_string(), l.name))
            .collect();
        investors = state
            .store
            .investors(
                &scope,
                &InvestorFilter {
                    zone_id: Some(zone.id),
                    ..Default::default()
                },
                0,
                5000,
            )
            .await?
            .items
            .into_iter()
            .map(|i| (i.id.to_string(), i.name))
            .collect();
        people = state
            .store
            .users(&scope, &kfq_store::UserFilter::default(), 0, 2000)
            .await?
            .items
            .into_iter()
            .filter(|u| u.role() != kfq_domain::Role::Enterprise)
            .map(|u| (u.id.to_string(), u.display_name))
            .collect();
    }
    let blank_first = |items: Vec<(String, String)>| {
        let mut options = vec![(String::new(), String::new())];
        options.extend(items);
        options
    };
    let mut zone = Field::new(
        "zone_id",
        page.t("project.zone"),
        FieldKind::Select(zone_options(&zones, "")),
    )
    .required();
    if zones.len() == 1 {
        zone = zone.zone_only();
    }
    let text = |name: &'static str, key: &str| Field::new(name, page.t(key), FieldKind::Text);
    let date = |name: &'static str, key: &str| Field::new(name, page.t(key), FieldKind::Date);
    Ok(FormFields::new(vec![
        Field::new("version", "", FieldKind::Hidden),
        zone,
        Field::new(
            "kind",
            page.t("activity.kind"),
            FieldKind::Select(code_options(&page, "ActivityKind", ActivityKind::ALL, "")),
        )
        .required(),
        text("title", "activity.title").required(),
        date("on_date", "activity.on_date").required(),
        date("ends_on", "activity.ends_on"),
        text("place", "activity.place"),
        text("our_people", "activity.our_people"),
        text("their_people", "activity.their_people"),
        Field::new("leads", page.t("activity.leads"), FieldKind::Multi(leads)),
        Field::new(
            "investors",
            page.t("activity.investors"),
            FieldKind::Multi(investors),
        ),
        text("purpose", "activity.purpose"),
        text("outcome", "activity.outcome"),
        text("next_step", "activity.next_step"),
        date("next_due", "activity.next_due"),
        Field::new(
            "next_owner_id",
            page.t("activity.next_owner"),
            FieldKind::Select(blank_first(people)),
        ),
        date("next_done_on", "activity.next_done_on"),
    ]))
}

fn values(a: &Activity) -> HashMap<&'static str, String> {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    let ids = |items: &[kfq_store::Linked]| {
        items
            .iter()
            .map(|l| l.id.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    HashMap::from([
        ("version", a.version.to_string()),
        ("zone_id", a.zone_id.to_string()),
        ("kind", a.kind.code().to_owned()),
        ("title", a.title.clone()),
        ("on_date", a.on_date.to_string()),
        ("ends_on", day(a.ends_on)),
        ("place", text(&a.place)),
        ("our_people", text(&a.our_people)),
        ("their_people", text(&a.their_people)),
        ("purpose", text(&a.purpose)),
        ("outcome", text(&a.outcome)),
        ("next_step", text(&a.next_step)),
        ("next_due", day(a.next_due)),
        (
            "next_owner_id",
            a.next_owner_id.map(|i| i.to_string()).unwrap_or_default(),
        ),
        ("next_done_on", day(a.next_done_on)),
        ("leads", ids(&a.leads)),
        ("investors", ids(&a.investors)),
    ])
}

fn typed_values(input: &Input) -> HashMap<&'static str, String> {
    FIELDS.iter().map(|k| (*k, input.joined(k))).collect()
}

async fn form(
    state: &AppState,
    auth: &Auth,
    heading: FormHeading,
    zone_id: Option<i64>,
    values: HashMap<&'static str, String>,
    errors: Option<&FieldErrors>,
) -> AppResult<Response> {
    let fields = form_fields(state, auth, zone_id).await?;
    let page = PageContext::new(Some(auth), "attraction");
    FormView::answer(page, heading, fields, &values, errors)
}

fn new_heading(auth: &Auth) -> FormHeading {
    let page = PageContext::new(Some(auth), "");
    FormHeading {
        title: page.t("activity.new").to_owned(),
        action: "/attraction/activities".into(),
        cancel: "/attraction/activities".into(),
    }
}

async fn new_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<ActivityQuery>,
) -> AppResult<Response> {
    common::allow(auth.principal.can_work_leads())?;
    let mut values = HashMap::from([("on_date", today().to_string())]);
    // Opened from a lead's or an investor's page: it concerns that one.
    let zone_id = query.zone_id.as_deref().and_then(|z| z.parse().ok());
    if let Some(zone) = &query.zone_id {
        values.insert("zone_id", zone.clone());
    }
    if let Some(lead) = &query.lead_id {
        values.insert("leads", lead.clone());
    }
    if let Some(investor) = &query.investor_id {
        values.insert("investors", investor.clone());
    }
    form(&state, &auth, new_heading(&auth), zone_id, values, None).await
}

async fn create_page(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    form_post(
        create(&state, &auth, &input).await,
        |a| format!("/attraction/activities/{}?notice=saved", a.id),
        async |errors| {
            let zone_id = input.text("zone_id").parse().ok();
            let values = typed_values(&input);
            form(
                &state,
                &auth,
                new_heading(&auth),
                zone_id,
                values,
                Some(&errors),
            )
            .await
        },
    )
    .await
}

fn edit_heading(auth: &Auth, a: &Activity) -> FormHeading {
    let page = PageContext::new(Some(auth), "");
    FormHeading {
        title: page.catalog.format(
            "common.label_value",
            &[("label", page.t("activity.edit")), ("value", &a.title)],
        ),
        action: format!("/attraction/activities/{}/edit", a.id),
        cancel: format!("/attraction/activities/{}", a.id),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    let target = target(&state, &auth, id).await?;
    let a = target.activity();
    form(
        &state,
        &auth,
        edit_heading(&auth, a),
        Some(a.zone_id),
        values(a),
        None,
    )
    .await
}

async fn update_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    form_post(
        update(&state, &auth, id, &input).await,
        |a| format!("/attraction/activities/{}?notice=saved", a.id),
        async |errors| {
            let target = target(&state, &auth, id).await?;
            let a = target.activity();
            let mut values = typed_values(&input);
            values.insert("zone_id", a.zone_id.to_string());
            form(
                &state,
                &auth,
                edit_heading(&auth, a),
                Some(a.zone_id),
                values,
                Some(&errors),
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
    let target = target(&state, &auth, id).await?;
    let mut errors = FieldErrors::new();
    let expected = version(&input, &mut errors);
    errors.into_result()?;
    use_case::delete_activity(&state.store, &auth.actor(), &target, expected).await?;
    Ok(see_other("/attraction/activities?notice=deleted"))
}

/// The calendar's query: how many weeks from this one, which zone.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct CalendarQuery {
    /// Weeks shown from this week's Monday (1–8, default 4).
    pub weeks: Option<String>,
    pub zone_id: Option<String>,
}

impl CalendarQuery {
    fn weeks(&self) -> AppResult<u32> {
        match self.weeks.as_deref().map(str::trim) {
            None | Some("") => Ok(4),
            Some(text) => text
                .parse::<u32>()
                .ok()
                .filter(|w| (1..=use_case::MAX_WEEKS).contains(w))
                .ok_or_else(|| {
                    crate::error::AppError::Invalid(FieldErrors::single("weeks", "error.choice"))
                }),
        }
    }
}

#[derive(Template)]
#[template(path = "attraction/calendar.html")]
struct CalendarView {
    page: PageContext,
    calendar: ActivityCalendar,
    today: chrono::NaiveDate,
    can_create: bool,
}

impl CalendarView {
    fn weekday(&self, date: &chrono::NaiveDate) -> &str {
        use chrono::Datelike;
        self.page.t(match date.weekday() {
            chrono::Weekday::Mon => "common.weekday.mon",
            chrono::Weekday::Tue => "common.weekday.tue",
            chrono::Weekday::Wed => "common.weekday.wed",
            chrono::Weekday::Thu => "common.weekday.thu",
            chrono::Weekday::Fri => "common.weekday.fri",
            chrono::Weekday::Sat => "common.weekday.sat",
            chrono::Weekday::Sun => "common.weekday.sun",
        })
    }
}

async fn calendar_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<CalendarQuery>,
) -> AppResult<Response> {
    let weeks = query.weeks()?;
    let zone_id = common::ListQuery::id(&query.zone_id, "zone_id")?;
    let today = today();
    let calendar = use_case::calendar(
        &state.store,
        &auth.principal.lead_sight(),
        zone_id,
        today,
        weeks,
    )
    .await?;
    let view = CalendarView {
        page: PageContext::new(Some(&auth), "attraction"),
        calendar,
        today,
        can_create: auth.principal.can_work_leads(),
    };
    Ok(render(&view)?.into_response())
}

// ---- API ----

/// An activity as typed.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityBody {
    /// Create only; an activity stays in its zone.
    zone_id: Option<i64>,
    #[schema(required = true, nullable = false, schema_with = codes::activity_kind)]
    kind: Option<String>,
    #[schema(required = true, nullable = false)]
    title: Option<String>,
    /// YYYY-MM-DD.
    #[schema(required = true, nullable = false)]
    on_date: Option<String>,
    ends_on: Option<String>,
    place: Option<String>,
    our_people: Option<String>,
    their_people: Option<String>,
    purpose: Option<String>,
    outcome: Option<String>,
    next_step: Option<String>,
    next_due: Option<String>,
    next_owner_id: Option<i64>,
    next_done_on: Option<String>,
    /// The leads it concerned (ids of the zone's leads).
    leads: Option<Vec<i64>>,
    /// The investors it concerned.
    investors: Option<Vec<i64>>,
    /// Update only (required there): the version last read.
    version: Option<i64>,
}

/// A page of activities.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ActivityList {
    page: Page<Activity>,
}

#[utoipa::path(get, path = "/api/v1/attraction/activities", tag = "attraction", params(ActivityQuery),
    responses((status = 200, body = ActivityList), (status = 422, body = ApiErrorDoc)))]
pub async fn api_list(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<ActivityQuery>,
) -> AppResult<Json<ActivityList>> {
    let paging = Paging::from_query(query.page.as_deref(), query.per_page.as_deref());
    let page = state
        .store
        .activities(
            &auth.principal.lead_sight(),
            &filter(&query)?,
            paging.offset(),
            paging.per_page,
        )
        .await?;
    Ok(Json(ActivityList { page }))
}

#[utoipa::path(post, path = "/api/v1/attraction/activities", tag = "attraction", request_body = ActivityBody,
    responses((status = 201, body = Activity), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_create(
    State(state): State<AppState>,
    auth: Auth,
    input: Body<ActivityBody>,
) -> AppResult<Response> {
    let activity = create(&state, &auth, &input).await?;
    Ok((StatusCode::CREATED, Json(activity)).into_response())
}

#[utoipa::path(get, path = "/api/v1/attraction/activities/{activity_id}", tag = "attraction",
    params(("activity_id" = i64, Path)),
    responses((status = 200, body = Activity), (status = 404, body = ApiErrorDoc)))]
pub async fn api_get(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Activity>> {
    Ok(Json(
        state
            .store
            .activity(&auth.principal.lead_sight(), id)
            .await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/attraction/activities/{activity_id}", tag = "attraction",
    params(("activity_id" = i64, Path)), request_body = ActivityBody,
    responses((status = 200, body = Activity), (status = 403, body = ApiErrorDoc), (status = 404, body = ApiErrorDoc),
        (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_update(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<ActivityBody>,
) -> AppResult<Json<Activity>> {
    Ok(Json(update(&state, &auth, id, &input).await?))
}

#[utoipa::path(delete, path = "/api/v1/attraction/activities/{activity_id}", tag = "attraction",
    params(("activity_id" = i64, Path), VersionQuery),
    responses((status = 204), (status = 403, body = ApiErrorDoc), (status = 404, body = ApiErrorDoc),
        (status = 409, body = ApiErrorDoc)))]
pub async fn api_delete(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Query(query): Query<VersionQuery>,
) -> AppResult<Response> {
    let target = target(&state, &auth, id).await?;
    use_case::delete_activity(&state.store, &auth.actor(), &target, query.required()?).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(get, path = "/api/v1/attraction/calendar", tag = "attraction", params(CalendarQuery),
    responses((status = 200, body = ActivityCalendar), (status = 422, body = ApiErrorDoc)))]
pub async fn api_calendar(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<CalendarQuery>,
) -> AppResult<Json<ActivityCalendar>> {
    let weeks = query.weeks()?;
    let zone_id = common::ListQuery::id(&query.zone_id, "zone_id")?;
    Ok(Json(
        use_case::calendar(
            &state.store,
            &auth.principal.lead_sight(),
            zone_id,
            today(),
            weeks,
        )
        .await?,
    ))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(api_list, api_create, api_get, api_update, api_delete, api_calendar))]
pub struct ApiDoc;
