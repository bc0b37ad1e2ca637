//! 首谈 across zones and the rules zones work under: registering a lead as
//! its zone's 首谈 and letting it go, the province's register with the other
//! zones' leads on each investor, and the rules page (the 首谈 threshold, the
//! time limits) with their API twins.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kfq_app::attraction::{self as use_case, LeadTarget, RulesBook};
use kfq_app::clock::today;
use kfq_attraction::{LimitSettings, Limits};
use kfq_domain::{FieldErrors, Money, OrgKind};
use kfq_store::{AttractionRules, FirstTalkClaim, Lead, Page, RulesInput};
use serde::{Deserialize, Serialize};

use super::leads::lead_page;
use crate::auth::Auth;
use crate::common::{form_post, version, PathId, VersionQuery};
use crate::error::{ApiErrorDoc, AppResult};
use crate::input::{Amount, Body, Input};
use crate::layout::{render, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use crate::views::{Field, FieldKind, FormFields, FormHeading, FormView};

pub fn routes() -> Routes {
    Routes::new()
        .post("/attraction/leads/{lead_id}/first-talk", first_talk_page)
        .get("/attraction/first-talks", register_page)
        .get("/attraction/rules", own_rules_page)
        .get("/attraction/rules/{org_id}", rules_page)
        .post("/attraction/rules/{org_id}", set_rules_page)
        .post("/api/v1/attraction/leads/{lead_id}/first-talk", api_claim)
        .delete("/api/v1/attraction/leads/{lead_id}/first-talk", api_release)
        .get("/api/v1/attraction/first-talks", api_register)
        .get("/api/v1/attraction/rules/{org_id}", api_rules)
        .put("/api/v1/attraction/rules/{org_id}", api_set_rules)
}

async fn target(state: &AppState, auth: &Auth, id: i64) -> AppResult<LeadTarget> {
    Ok(LeadTarget::check(&state.store, &auth.principal, id).await?)
}

/// The day of a claim as typed (today when blank), never in the future.
fn claim_day(input: &Input, e: &mut FieldErrors) -> Option<chrono::NaiveDate> {
    let on = match input.text("on").trim() {
        "" => Some(today()),
        _ => input.date("on", e),
    };
    if on.is_some_and(|d| d > today()) {
        e.add("on", "error.lead.future_date");
        return None;
    }
    on
}

async fn claim(state: &AppState, auth: &Auth, id: i64, input: &Input) -> AppResult<Lead> {
    let target = target(state, auth, id).await?;
    let mut e = FieldErrors::new();
    let expected = version(input, &mut e);
    let on = claim_day(input, &mut e);
    e.into_result()?;
    let on = on.unwrap_or_else(today);
    Ok(use_case::register_first_talk(&state.store, &auth.actor(), &target, expected, on).await?)
}

/// The lead is found (or not) before its version is read: a lead out of
/// sight is a 404 whatever was sent.
async fn release(
    state: &AppState,
    auth: &Auth,
    id: i64,
    expected: AppResult<i64>,
) -> AppResult<Lead> {
    let target = target(state, auth, id).await?;
    Ok(use_case::release_first_talk(&state.store, &auth.actor(), &target, expected?).await?)
}

/// The lead page's 登记首谈 / 撤销首谈 (`release=1`); a refusal is the lead
/// page again with the reason.
async fn first_talk_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    let outcome = if input.text("release") == "1" {
        let mut e = FieldErrors::new();
        let expected = version(&input, &mut e);
        let expected = e.into_result().map(|()| expected).map_err(Into::into);
        release(&state, &auth, id, expected).await
    } else {
        claim(&state, &auth, id, &input).await
    };
    form_post(
        outcome,
        |l| format!("/attraction/leads/{}?notice=saved", l.id),
        async |errors| lead_page(&state, &auth, id, None, Some(&errors)).await,
    )
    .await
}

// ---- the register ----

#[derive(Template)]
#[template(path = "attraction/first_talks.html")]
struct RegisterView {
    page: PageContext,
    claims: Vec<FirstTalkClaim>,
}

impl RegisterView {
    fn yi(&self, m: &Money) -> String {
        m.yi_2()
    }
}

async fn register_page(State(state): State<AppState>, auth: Auth) -> AppResult<Response> {
    let claims = state
        .store
        .first_talk_claims(&auth.principal.lead_sight().visibility)
        .await?;
    let view = RegisterView {
        page: PageContext::new(Some(&auth), "attraction"),
        claims,
    };
    Ok(render(&view)?.into_response())
}

// ---- rules ----

/// A unit's own rules and what its zones work under.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RulesAnswer {
    /// What this unit sets itself (version 0: nothing).
    rules: AttractionRules,
    /// What a zone here works under, from its own rules and those above.
    #[schema(value_type = Object)]
    limits: Limits,
    /// The 首谈 threshold in force here, yuan.
    #[schema(value_type = i64)]
    first_talk_threshold: Money,
    /// Whether the caller may set this unit's rules.
    may_set: bool,
}

async fn rules_answer(state: &AppState, auth: &Auth, org_id: i64) -> AppResult<RulesAnswer> {
    let unit = state
        .store
        .org(&auth.principal.org_visibility(), org_id)
        .await?;
    let book = RulesBook::load(&state.store).await?;
    Ok(RulesAnswer {
        rules: book.own(&unit),
        limits: book.limits(&unit.org_path()),
        first_talk_threshold: book.first_talk_threshold(&unit.org_path()),
        may_set: auth.principal.attraction_rules(&unit.org_path()).is_some(),
    })
}

const RULE_FIELDS: &[&str] = &[
    "version",
    "first_talk_threshold",
    "register_working_days",
    "assess_working_days",
    "referrer_reply_days",
    "follow_up_days",
];

fn parse_rules(input: &Input) -> Result<(i64, RulesInput), FieldErrors> {
    let mut e = FieldErrors::new();
    let expected = version(input, &mut e);
    let first_talk_threshold = input.opt_money("first_talk_threshold", &mut e);
    let mut day = |key: &str| {
        let value = input.opt_int(key, &mut e)?;
        match u32::try_from(value) {
            Ok(days) => Some(days),
            Err(_) => {
                e.add(key, "error.lead.limit_range");
                None
            }
        }
    };
    let limits = LimitSettings {
        register_working_days: day("register_working_days"),
        assess_working_days: day("assess_working_days"),
        referrer_reply_days: day("referrer_reply_days"),
        follow_up_days: day("follow_up_days"),
    };
    e.into_result()?;
    Ok((
        expected,
        RulesInput {
            first_talk_threshold,
            limits,
        },
    ))
}

async fn set_rules(
    state: &AppState,
    auth: &Auth,
    org_id: i64,
    input: &Input,
) -> AppResult<AttractionRules> {
    // A unit out of sight is a 404 before anything sent is read.
    state
        .store
        .org(&auth.principal.org_visibility(), org_id)
        .await?;
    let (expected, rules) = parse_rules(input)?;
    Ok(use_case::set_rules(
        &state.store,
        &auth.principal,
        &auth.actor(),
        org_id,
        expected,
        &rules,
    )
    .await?)
}

#[derive(Template)]
#[template(path = "attraction/rules.html")]
struct RulesView {
    page: PageContext,
    answer: RulesAnswer,
    /// (label, value in force) of each rule.
    in_force: Vec<(String, String)>,
}

fn in_force(page: &PageContext, a: &RulesAnswer) -> Vec<(String, String)> {
    let days = |key: &str, n: u32| page.format(key, "n", &n.to_string());
    vec![
        (
            page.t("attraction.rule.first_talk_threshold").to_owned(),
            page.format("attraction.yi_value", "n", &a.first_talk_threshold.yi_2()),
        ),
        (
            page.t("attraction.rule.register_working_days").to_owned(),
            days("attraction.working_days", a.limits.register_working_days),
        ),
        (
            page.t("attraction.rule.assess_working_days").to_owned(),
            days("attraction.working_days", a.limits.assess_working_days),
        ),
        (
            page.t("attraction.rule.referrer_reply_days").to_owned(),
            days("attraction.days", a.limits.referrer_reply_days),
        ),
        (
            page.t("attraction.rule.follow_up_days").to_owned(),
            days("attraction.days", a.limits.follow_up_days),
        ),
    ]
}

async fn own_rules_page(auth: Auth) -> AppResult<Response> {
    let unit = auth
        .principal
        .zone_path
        .as_ref()
        .unwrap_or(&auth.principal.unit_path)
        .id();
    Ok(crate::layout::see_other(&format!(
        "/attraction/rules/{unit}"
    )))
}

async fn rules_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(org_id): PathId,
    Query(query): Query<VersionQuery>,
) -> AppResult<Response> {
    let answer = rules_answer(&state, &auth, org_id).await?;
    if answer.may_set {
        let values = rule_values(&answer.rules);
        return rules_form(
            &state,
            &auth,
            org_id,
            &values,
            None,
            query.notice.as_deref(),
        )
        .await;
    }
    let page = PageContext::new(Some(&auth), "attraction");
    let view = RulesView {
        in_force: in_force(&page, &answer),
        page,
        answer,
    };
    Ok(render(&view)?.into_response())
}

fn rule_values(r: &AttractionRules) -> HashMap<&'static str, String> {
    let days = |d: Option<u32>| d.map(|d| d.to_string()).unwrap_or_default();
    HashMap::from([
        ("version", r.version.to_string()),
        (
            "first_talk_threshold",
            r.first_talk_threshold
                .map(Money::wan_string)
                .unwrap_or_default(),
        ),
        (
            "register_working_days",
            days(r.limits.register_working_days),
        ),
        ("assess_working_days", days(r.limits.assess_working_days)),
        ("referrer_reply_days", days(r.limits.referrer_reply_days)),
        ("follow_up_days", days(r.limits.follow_up_days)),
    ])
}

/// The form of a unit's own rules; each label names what is in force when
/// the field is left blank.
async fn rules_form(
    state: &AppState,
    auth: &Auth,
    org_id: i64,
    values: &HashMap<&'static str, String>,
    errors: Option<&FieldErrors>,
    notice: Option<&str>,
) -> AppResult<Response> {
    let unit = state
        .store
        .org(&auth.principal.org_visibility(), org_id)
        .await?;
    let page = PageContext::new(Some(auth), "attraction").with_notice(notice);
    // What holds when this unit sets nothing: the rules above it, whether
    // or not the caller sees the units above.
    let book = RulesBook::load(&state.store).await?;
    let ids = unit.org_path().ids();
    let above = (ids.len() > 1)
        .then(|| {
            let parent: Vec<String> = ids[..ids.len() - 1].iter().map(i64::to_string).collect();
            kfq_domain::OrgPath::parse(&format!("/{}/", parent.join("/"))).ok()
        })
        .flatten();
    let limits_above = above.as_ref().map(|p| book.limits(p)).unwrap_or_default();
    let threshold_above = above
        .as_ref()
        .map(|p| book.first_talk_threshold(p))
        .unwrap_or(kfq_attraction::first_talk::DEFAULT_THRESHOLD);
    let inherited = |pick: fn(&Limits) -> u32| pick(&limits_above).to_string();
    let label = |key: &str, inherited: String| {
        page.catalog.format(
            "attraction.rule.blank_inherits",
            &[("rule", page.t(key)), ("value", &inherited)],
        )
    };
    let mut fields = vec![Field::new("version", "", FieldKind::Hidden)];
    if matches!(unit.kind(), OrgKind::Province | OrgKind::Country) {
        fields.push(Field::new(
            "first_talk_threshold",
            &label(
                "attraction.rule.first_talk_threshold_wan",
                threshold_above.wan_string(),
            ),
            FieldKind::Text,
        ));
    }
    for (name, key, pick) in [
        (
            "register_working_days",
            "attraction.rule.register_working_days",
            (|l: &Limits| l.register_working_days) as fn(&Limits) -> u32,
        ),
        (
            "assess_working_days",
            "attraction.rule.assess_working_days",
            |l: &Limits| l.assess_working_days,
        ),
        (
            "referrer_reply_days",
            "attraction.rule.referrer_reply_days",
            |l: &Limits| l.referrer_reply_days,
        ),
        (
            "follow_up_days",
            "attraction.rule.follow_up_days",
            |l: &Limits| l.follow_up_days,
        ),
    ] {
        fields.push(Field::new(
            name,
            &label(key, inherited(pick)),
            FieldKind::Text,
        ));
    }
    let heading = FormHeading {
        title: page.format("attraction.rules_of", "unit", &unit.name),
        action: format!("/attraction/rules/{org_id}"),
        cancel: "/attraction".to_owned(),
    };
    FormView::answer(page, heading, FormFields::new(fields), values, errors)
}

async fn set_rules_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(org_id): PathId,
    input: Input,
) -> AppResult<Response> {
    form_post(
        set_rules(&state, &auth, org_id, &input).await,
        |r| format!("/attraction/rules/{}?notice=saved", r.org_id),
        async |errors| {
            let values = RULE_FIELDS.iter().map(|k| (*k, input.text(k))).collect();
            rules_form(&state, &auth, org_id, &values, Some(&errors), None).await
        },
    )
    .await
}

// ---- API ----

/// Registers the lead as its zone's 首谈.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FirstTalkBody {
    /// The day of the claim (YYYY-MM-DD); today when left out.
    on: Option<String>,
    #[schema(required = true, nullable = false)]
    version: Option<i64>,
}

/// A unit's own 招商引资 rules; a field left out or null comes from above.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttractionRulesBody {
    /// 首谈 from this intended investment, 万元 (a province's alone).
    #[schema(value_type = Option<String>)]
    first_talk_threshold: Option<Amount>,
    register_working_days: Option<i64>,
    assess_working_days: Option<i64>,
    referrer_reply_days: Option<i64>,
    follow_up_days: Option<i64>,
    /// The version last read; 0 when the unit sets nothing yet.
    #[schema(required = true, nullable = false)]
    version: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/attraction/leads/{lead_id}/first-talk", tag = "attraction",
    params(("lead_id" = i64, Path)), request_body = FirstTalkBody,
    responses((status = 200, body = Lead), (status = 403, body = ApiErrorDoc), (status = 404, body = ApiErrorDoc),
        (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_claim(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<FirstTalkBody>,
) -> AppResult<Json<Lead>> {
    Ok(Json(claim(&state, &auth, id, &input).await?))
}

#[utoipa::path(delete, path = "/api/v1/attraction/leads/{lead_id}/first-talk", tag = "attraction",
    params(("lead_id" = i64, Path), VersionQuery),
    responses((status = 200, body = Lead), (status = 403, body = ApiErrorDoc), (status = 404, body = ApiErrorDoc),
        (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_release(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Query(query): Query<VersionQuery>,
) -> AppResult<Json<Lead>> {
    Ok(Json(release(&state, &auth, id, query.required()).await?))
}

/// The 首谈 register as the caller sees it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FirstTalkList {
    page: Page<FirstTalkClaim>,
}

#[utoipa::path(get, path = "/api/v1/attraction/first-talks", tag = "attraction",
    responses((status = 200, body = FirstTalkList)))]
pub async fn api_register(
    State(state): State<AppState>,
    auth: Auth,
) -> AppResult<Json<FirstTalkList>> {
    let items = state
        .store
        .first_talk_claims(&auth.principal.lead_sight().visibility)
        .await?;
    let total = items.len() as i64;
    Ok(Json(FirstTalkList {
        page: Page {
            items,
            total,
            offset: 0,
            limit: total,
        },
    }))
}

#[utoipa::path(get, path = "/api/v1/attraction/rules/{org_id}", tag = "attraction", params(("org_id" = i64, Path)),
    responses((status = 200, body = RulesAnswer), (status = 404, body = ApiErrorDoc)))]
pub async fn api_rules(
    State(state): State<AppState>,
    auth: Auth,
    PathId(org_id): PathId,
) -> AppResult<Json<RulesAnswer>> {
    Ok(Json(rules_answer(&state, &auth, org_id).await?))
}

#[utoipa::path(put, path = "/api/v1/attraction/rules/{org_id}", tag = "attraction", params(("org_id" = i64, Path)),
    request_body = AttractionRulesBody,
    responses((status = 200, body = RulesAnswer), (status = 403, body = ApiErrorDoc), (status = 404, body = ApiErrorDoc),
        (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_set_rules(
    State(state): State<AppState>,
    auth: Auth,
    PathId(org_id): PathId,
    input: Body<AttractionRulesBody>,
) -> AppResult<(StatusCode, Json<RulesAnswer>)> {
    set_rules(&state, &auth, org_id, &input).await?;
    Ok((
        StatusCode::OK,
        Json(rules_answer(&state, &auth, org_id).await?),
    ))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(api_claim, api_release, api_register, api_rules, api_set_rules))]
pub struct ApiDoc;
