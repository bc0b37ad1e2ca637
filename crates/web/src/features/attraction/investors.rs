//! Investors (客商): the zone's list, an investor's page with its leads and
//! contacts, its form (possible duplicates named before saving a new one),
//! and their API twins.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kfq_app::attraction::{self as use_case, InvestorTarget};
use kfq_attraction::Origin;
use kfq_domain::user::parse_phone;
use kfq_domain::validation::{optional_text, required_text};
use kfq_domain::{CreditCode, FieldErrors};
use kfq_store::{Contact, Investor, InvestorFilter, InvestorInput, LeadFilter, Page};
use serde::{Deserialize, Serialize};

use super::{code_options, working_zones, zone_options, zones};
use crate::auth::Auth;
use crate::common::{self, form_post, version, ListQuery, PathId, VersionQuery};
use crate::error::{ApiErrorDoc, AppResult};
use crate::input::{Body, Input};
use crate::layout::{render, PageContext};
use crate::openapi::codes;
use crate::routes::Routes;
use crate::state::AppState;
use crate::views::{
    Cell, Field, FieldKind, FormFields, FormHeading, FormView, ListView, Paging, Related, ShowView,
};

pub fn routes() -> Routes {
    Routes::new()
        .get("/attraction/investors", list_page)
        .get("/attraction/investors/new", new_page)
        .post("/attraction/investors", create_page)
        .get("/attraction/investors/{investor_id}", show_page)
        .get("/attraction/investors/{investor_id}/edit", edit_page)
        .post("/attraction/investors/{investor_id}/edit", update_page)
        .get("/attraction/investors/{investor_id}/history", history_page)
        .get("/attraction/investors/{investor_id}/merge", merge_page)
        .post("/attraction/investors/{investor_id}/merge", merge_post)
        .get("/api/v1/attraction/investors", api_list)
        .post("/api/v1/attraction/investors", api_create)
        .get("/api/v1/attraction/investors/{investor_id}", api_get)
        .put("/api/v1/attraction/investors/{investor_id}", api_update)
        .get(
            "/api/v1/attraction/investors/{investor_id}/lookalikes",
            api_lookalikes,
        )
        .post(
            "/api/v1/attraction/investors/{investor_id}/merge",
            api_merge,
        )
}

const FIELDS: &[&str] = &[
    "version",
    "zone_id",
    "name",
    "credit_code",
    "origin",
    "origin_place",
    "industry",
    "size",
    "chain_leader",
    "notes",
    "contact_name",
    "contact_post",
    "contact_phone",
    "confirm_new",
];

/// An investor as typed; `zone` when it is already placed. The page's form
/// carries one contact (contact_name/post/phone); the API a list.
fn parse(input: &Input, zone: Option<i64>) -> Result<InvestorInput, FieldErrors> {
    let mut e = FieldErrors::new();
    let zone_id = zone.or_else(|| input.int("zone_id", &mut e));
    let name = e.check("name", required_text(&input.text("name"), 100));
    let credit_code = match input.text("credit_code").trim() {
        "" => None,
        text => e.check("credit_code", CreditCode::parse(text)),
    };
    let origin = input.choice("origin", Origin::from_code, &mut e);
    let origin_place = e.check(
        "origin_place",
        optional_text(&input.text("origin_place"), 50),
    );
    let industry = e.check("industry", optional_text(&input.text("industry"), 50));
    let size = e.check("size", optional_text(&input.text("size"), 20));
    let notes = e.check("notes", optional_text(&input.text("notes"), 500));
    let contacts = if input.has("contacts") {
        match input.typed::<ContactsOnly>() {
            Ok(list) => list.contacts.unwrap_or_default(),
            Err(_) => {
                e.add("contacts", "error.choice");
                Vec::new()
            }
        }
    } else {
        let name = e.check(
            "contact_name",
            optional_text(&input.text("contact_name"), 50),
        );
        let post = e.check(
            "contact_post",
            optional_text(&input.text("contact_post"), 50),
        );
        let phone = e.check("contact_phone", parse_phone(&input.text("contact_phone")));
        match name.flatten() {
            Some(name) => vec![Contact {
                name,
                post: post.flatten(),
                phone: phone.flatten(),
            }],
            None => Vec::new(),
        }
    };
    for (n, c) in contacts.iter().enumerate() {
        if c.name.trim().is_empty() || c.name.chars().count() > 50 {
            e.add(&format!("contacts[{n}].name"), "error.required");
        }
        if let Some(phone) = &c.phone {
            if parse_phone(phone).is_err() {
                e.add(&format!("contacts[{n}].phone"), "error.phone");
            }
        }
    }
    e.into_result()?;
    match (zone_id, name, origin) {
        (Some(zone_id), Some(name), Some(origin)) => Ok(InvestorInput {
            zone_id,
            name,
            credit_code,
            origin,
            origin_place: origin_place.flatten(),
            industry: industry.flatten(),
            size: size.flatten(),
            chain_leader: input.flag("chain_leader"),
            notes: notes.flatten(),
            contacts,
        }),
        _ => Err(FieldErrors::single("name", "error.required")),
    }
}

#[derive(Deserialize)]
struct ContactsOnly {
    contacts: Option<Vec<Contact>>,
}

async fn create(state: &AppState, auth: &Auth, input: &Input) -> AppResult<Investor> {
    let investor = parse(input, None)?;
    let confirmed = input.flag("confirm_new");
    Ok(use_case::create_investor(
        &state.store,
        &auth.principal,
        &auth.actor(),
        &investor,
        confirmed,
    )
    .await?)
}

async fn target(state: &AppState, auth: &Auth, id: i64) -> AppResult<InvestorTarget> {
    Ok(InvestorTarget::check(&state.store, &auth.principal, id).await?)
}

async fn update(state: &AppState, auth: &Auth, id: i64, input: &Input) -> AppResult<Investor> {
    let target = target(state, auth, id).await?;
    let mut errors = FieldErrors::new();
    let expected = version(input, &mut errors);
    let investor = parse(input, Some(target.investor().zone_id)).map_err(|mut e| {
        e.0.extend(errors.0.clone());
        e
    })?;
    errors.into_result()?;
    Ok(
        use_case::update_investor(&state.store, &auth.actor(), &target, expected, &investor)
            .await?,
    )
}

fn filter(query: &ListQuery) -> AppResult<InvestorFilter> {
    Ok(InvestorFilter {
        zone_id: ListQuery::id(&query.zone_id, "zone_id")?,
        name_contains: ListQuery::text(&query.q),
    })
}

fn origin_text(page: &PageContext, i: &Investor) -> String {
    let origin = page.label("Origin", i.origin);
    match &i.origin_place {
        Some(place) => page.catalog.format(
            "attraction.origin_with_place",
            &[("origin", &origin), ("place", place)],
        ),
        None => origin,
    }
}

// ---- pages ----

async fn list_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let page = PageContext::new(Some(&auth), "attraction").with_notice(query.notice.as_deref());
    let paging = Paging::from_query(query.page.as_deref(), query.per_page.as_deref());
    let result = state
        .store
        .investors(
            &auth.principal.investor_visibility(),
            &filter(&query)?,
            paging.offset(),
            paging.per_page,
        )
        .await?;
    let rows = result
        .items
        .iter()
        .map(|i| {
            vec![
                Cell::link(&i.name, format!("/attraction/investors/{}", i.id)).class("title"),
                Cell::text(origin_text(&page, i)),
                Cell::text(i.industry.clone().unwrap_or_default()),
                Cell::text(if i.chain_leader {
                    page.t("attraction.chain_leader_yes")
                } else {
                    ""
                }),
                Cell::text(&i.zone_name),
                Cell::text(i.leads.to_string()).class("num"),
            ]
        })
        .collect();
    let zones = zones(&state, &auth).await?;
    let mut q = Field::new("q", page.t("attraction.investor_search"), FieldKind::Text);
    q.value = query.q.clone().unwrap_or_default();
    let mut filters = vec![q];
    if zones.len() > 1 {
        let mut zone = Field::new(
            "zone_id",
            page.t("project.zone"),
            FieldKind::Select(zone_options(&zones, page.t("common.all"))),
        );
        zone.value = query.zone_id.clone().unwrap_or_default();
        filters.push(zone);
    }
    let keep: Vec<(&str, String)> = filters.iter().map(|f| (f.name, f.value.clone())).collect();
    let (prev_href, next_href) = paging.links("/attraction/investors", &keep, result.total);
    let view = ListView {
        title: page.t("attraction.investors").to_owned(),
        new_href: auth
            .principal
            .can_work_leads()
            .then(|| "/attraction/investors/new".to_owned()),
        filters,
        filter_action: "/attraction/investors".into(),
        headers: [
            "attraction.investor",
            "attraction.origin",
            "attraction.industry",
            "attraction.chain_leader",
            "project.zone",
            "attraction.lead_count",
        ]
        .iter()
        .map(|k| page.t(k).to_owned())
        .collect(),
        rows,
        empty: page.t("attraction.investors_none_yet").to_owned(),
        total: page.format("common.total", "n", &result.total.to_string()),
        prev_href,
        next_href,
        page,
    };
    Ok(render(&view)?.into_response())
}

async fn show_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Query(query): Query<VersionQuery>,
) -> AppResult<Response> {
    let i = state
        .store
        .investor(&auth.principal.investor_visibility(), id)
        .await?;
    let page = PageContext::new(Some(&auth), "attraction").with_notice(query.notice.as_deref());
    let opt = |v: &Option<String>| Cell::text(v.clone().unwrap_or_default());
    let rows = vec![
        (
            page.t("attraction.credit_code").to_owned(),
            opt(&i.credit_code),
        ),
        (page.t("project.zone").to_owned(), Cell::text(&i.zone_name)),
        (
            page.t("attraction.origin").to_owned(),
            Cell::text(origin_text(&page, &i)),
        ),
        (page.t("attraction.industry").to_owned(), opt(&i.industry)),
        (page.t("attraction.size").to_owned(), opt(&i.size)),
        (
            page.t("attraction.chain_leader").to_owned(),
            Cell::text(if i.chain_leader {
                page.t("common.yes")
            } else {
                page.t("common.no")
            }),
        ),
        (page.t("attraction.notes").to_owned(), opt(&i.notes)),
    ];
    let leads = state
        .store
        .leads(
            &auth.principal.lead_sight(),
            &LeadFilter {
                investor_id: Some(i.id),
                ..Default::default()
            },
            0,
            200,
        )
        .await?;
    let can_work = auth.principal.lead_write(&i.zone_org_path()).is_some();
    // The same rule as the merge's, on the investor already read.
    let may_merge = auth
        .principal
        .lead_write(&i.zone_org_path())
        .is_some_and(|proof| proof.only_of().is_none());
    let lookalikes = state
        .store
        .investor_lookalikes(&auth.principal.investor_visibility(), &i)
        .await?;
    let mut related = vec![
        Related {
            title: page.t("attraction.contacts").to_owned(),
            new_href: None,
            headers: [
                "attraction.contact_name",
                "attraction.contact_post",
                "attraction.contact_phone",
            ]
            .iter()
            .map(|k| page.t(k).to_owned())
            .collect(),
            rows: i
                .contacts
                .iter()
                .map(|c| vec![Cell::text(&c.name), opt(&c.post), opt(&c.phone)])
                .collect(),
        },
        Related {
            title: page.t("attraction.leads_of_investor").to_owned(),
            new_href: can_work.then(|| {
                format!(
                    "/attraction/leads/new?zone_id={}&investor_id={}",
                    i.zone_id, i.id
                )
            }),
            headers: [
                "attraction.name",
                "attraction.stage",
                "attraction.investment_wan",
            ]
            .iter()
            .map(|k| page.t(k).to_owned())
            .collect(),
            rows: leads
                .items
                .iter()
                .map(|l| {
                    vec![
                        Cell::link(&l.name, format!("/attraction/leads/{}", l.id)),
                        Cell::text(page.label("LeadStage", l.stage)),
                        Cell::text(l.investment.wan_2()).class("num"),
                    ]
                })
                .collect(),
        },
    ];
    if !lookalikes.is_empty() {
        related.push(Related {
            title: page.t("attraction.lookalikes").to_owned(),
            new_href: None,
            headers: [
                "attraction.investor",
                "attraction.credit_code",
                "attraction.lead_count",
                "",
            ]
            .iter()
            .map(|k| page.t(k).to_owned())
            .collect(),
            rows: lookalikes
                .iter()
                .map(|other| {
                    vec![
                        Cell::link(&other.name, format!("/attraction/investors/{}", other.id)),
                        opt(&other.credit_code),
                        Cell::text(other.leads.to_string()).class("num"),
                        if may_merge {
                            Cell::link(
                                page.t("attraction.merge_here"),
                                format!(
                                    "/attraction/investors/{}/merge?from_id={}",
                                    i.id, other.id
                                ),
                            )
                        } else {
                            Cell::text("")
                        },
                    ]
                })
                .collect(),
        });
    }
    let view = ShowView {
        title: i.name.clone(),
        subtitle: i.zone_name.clone(),
        rows,
        edit_href: can_work.then(|| format!("/attraction/investors/{}/edit", i.id)),
        delete_action: None,
        version: i.version,
        history_href: format!("/attraction/investors/{}/history", i.id),
        related,
        page,
    };
    Ok(render(&view)?.into_response())
}

fn form_fields(page: &PageContext, zones: &[kfq_store::OrgUnit]) -> FormFields {
    let mut zone = Field::new(
        "zone_id",
        page.t("project.zone"),
        FieldKind::Select(zone_options(zones, "")),
    )
    .required();
    if zones.len() == 1 {
        zone = zone.zone_only();
    }
    FormFields::new(vec![
        Field::new("version", "", FieldKind::Hidden),
        zone,
        Field::new("name", page.t("attraction.investor_name"), FieldKind::Text).required(),
        Field::new(
            "credit_code",
            page.t("attraction.credit_code"),
            FieldKind::Text,
        ),
        Field::new(
            "origin",
            page.t("attraction.origin"),
            FieldKind::Select(code_options(page, "Origin", Origin::ALL, "")),
        )
        .required(),
        Field::new(
            "origin_place",
            page.t("attraction.origin_place"),
            FieldKind::Text,
        ),
        Field::new("industry", page.t("attraction.industry"), FieldKind::Text),
        Field::new("size", page.t("attraction.size"), FieldKind::Text),
        Field::new(
            "chain_leader",
            page.t("attraction.chain_leader"),
            FieldKind::Checkbox,
        ),
        Field::new(
            "contact_name",
            page.t("attraction.contact_name"),
            FieldKind::Text,
        ),
        Field::new(
            "contact_post",
            page.t("attraction.contact_post"),
            FieldKind::Text,
        ),
        Field::new(
            "contact_phone",
            page.t("attraction.contact_phone"),
            FieldKind::Text,
        ),
        Field::new("notes", page.t("attraction.notes"), FieldKind::Text),
        Field::new(
            "confirm_new",
            page.t("attraction.confirm_new"),
            FieldKind::Checkbox,
        ),
    ])
}

fn values(i: &Investor) -> HashMap<&'static str, String> {
    let first = i.contacts.first();
    HashMap::from([
        ("version", i.version.to_string()),
        ("zone_id", i.zone_id.to_string()),
        ("name", i.name.clone()),
        ("credit_code", i.credit_code.clone().unwrap_or_default()),
        ("origin", i.origin.code().to_owned()),
        ("origin_place", i.origin_place.clone().unwrap_or_default()),
        ("industry", i.industry.clone().unwrap_or_default()),
        ("size", i.size.clone().unwrap_or_default()),
        (
            "chain_leader",
            if i.chain_leader {
                "on".into()
            } else {
                String::new()
            },
        ),
        ("notes", i.notes.clone().unwrap_or_default()),
        (
            "contact_name",
            first.map(|c| c.name.clone()).unwrap_or_default(),
        ),
        (
            "contact_post",
            first.and_then(|c| c.post.clone()).unwrap_or_default(),
        ),
        (
            "contact_phone",
            first.and_then(|c| c.phone.clone()).unwrap_or_default(),
        ),
    ])
}

async fn form_page(
    state: &AppState,
    auth: &Auth,
    heading: FormHeading,
    mut values: HashMap<&'static str, String>,
    errors: Option<&FieldErrors>,
) -> AppResult<Response> {
    let page = PageContext::new(Some(auth), "attraction");
    let zones = working_zones(state, auth).await?;
    if let ([only], true) = (
        zones.as_slice(),
        values.get("zone_id").is_none_or(String::is_empty),
    ) {
        values.insert("zone_id", only.id.to_string());
    }
    let mut fields = form_fields(&page, &zones);
    // The confirmation of another company matters only to a new investor.
    if values.get("version").is_some_and(|v| !v.is_empty()) {
        fields.fields.retain(|f| f.name != "confirm_new");
    }
    FormView::answer(page, heading, fields, &values, errors)
}

fn new_heading(auth: &Auth) -> FormHeading {
    let page = PageContext::new(Some(auth), "");
    FormHeading {
        title: page.t("attraction.investor_new").to_owned(),
        action: "/attraction/investors".into(),
        cancel: "/attraction/investors".into(),
    }
}

async fn new_page(State(state): State<AppState>, auth: Auth) -> AppResult<Response> {
    common::allow(auth.principal.can_work_leads())?;
    form_page(&state, &auth, new_heading(&auth), HashMap::new(), None).await
}

async fn create_page(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    form_post(
        create(&state, &auth, &input).await,
        |i| format!("/attraction/investors/{}?notice=saved", i.id),
        async |errors| {
            let values = FIELDS.iter().map(|k| (*k, input.text(k))).collect();
            form_page(&state, &auth, new_heading(&auth), values, Some(&errors)).await
        },
    )
    .await
}

fn edit_heading(auth: &Auth, i: &Investor) -> FormHeading {
    let page = PageContext::new(Some(auth), "");
    FormHeading {
        title: page.catalog.format(
            "common.label_value",
            &[
                ("label", page.t("attraction.investor_edit")),
                ("value", &i.name),
            ],
        ),
        action: format!("/attraction/investors/{}/edit", i.id),
        cancel: format!("/attraction/investors/{}", i.id),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    let target = target(&state, &auth, id).await?;
    let i = target.investor();
    form_page(&state, &auth, edit_heading(&auth, i), values(i), None).await
}

async fn update_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    form_post(
        update(&state, &auth, id, &input).await,
        |i| format!("/attraction/investors/{}?notice=saved", i.id),
        async |errors| {
            let target = target(&state, &auth, id).await?;
            let mut values: HashMap<&'static str, String> =
                FIELDS.iter().map(|k| (*k, input.text(k))).collect();
            values.insert("zone_id", target.investor().zone_id.to_string());
            form_page(
                &state,
                &auth,
                edit_heading(&auth, target.investor()),
                values,
                Some(&errors),
            )
            .await
        },
    )
    .await
}

async fn history_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    let i = state
        .store
        .investor(&auth.principal.investor_visibility(), id)
        .await?;
    common::history_page(
        &state,
        &auth,
        &auth.principal.investor_visibility(),
        "attraction",
        ("investor", i.id),
        &i.name,
        format!("/attraction/investors/{}", i.id),
    )
    .await
}

fn merge_form(
    auth: &Auth,
    keep: &Investor,
    lookalikes: &[Investor],
    values: HashMap<&'static str, String>,
    errors: Option<&FieldErrors>,
) -> AppResult<Response> {
    let page = PageContext::new(Some(auth), "attraction");
    let options = lookalikes
        .iter()
        .map(|o| {
            let text = page.catalog.format(
                "attraction.merge_option",
                &[("name", &o.name), ("leads", &o.leads.to_string())],
            );
            (o.id.to_string(), text)
        })
        .collect();
    let fields = FormFields::new(vec![
        Field::new("version", "", FieldKind::Hidden),
        Field::new(
            "from_id",
            page.t("attraction.merge_from"),
            FieldKind::Select(options),
        )
        .required(),
    ]);
    let heading = FormHeading {
        title: page
            .catalog
            .format("attraction.merge_title", &[("name", &keep.name)]),
        action: format!("/attraction/investors/{}/merge", keep.id),
        cancel: format!("/attraction/investors/{}", keep.id),
    };
    FormView::answer(page, heading, fields, &values, errors)
}

#[derive(Deserialize)]
struct MergeQuery {
    from_id: Option<String>,
}

async fn merge_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Query(query): Query<MergeQuery>,
) -> AppResult<Response> {
    let target = target(&state, &auth, id).await?;
    common::allow(target.may_merge())?;
    let keep = target.investor();
    let lookalikes = state
        .store
        .investor_lookalikes(&auth.principal.investor_visibility(), keep)
        .await?;
    let values = HashMap::from([
        ("version", keep.version.to_string()),
        ("from_id", query.from_id.unwrap_or_default()),
    ]);
    merge_form(&auth, keep, &lookalikes, values, None)
}

async fn merge(state: &AppState, auth: &Auth, id: i64, input: &Input) -> AppResult<Investor> {
    let target = target(state, auth, id).await?;
    let mut errors = FieldErrors::new();
    let expected = version(input, &mut errors);
    let from_id = input.int("from_id", &mut errors);
    errors.into_result()?;
    let from_id = from_id.unwrap_or_default();
    Ok(use_case::merge_investors(&state.store, &auth.actor(), &target, expected, from_id).await?)
}

async fn merge_post(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    form_post(
        merge(&state, &auth, id, &input).await,
        |i| format!("/attraction/investors/{}?notice=saved", i.id),
        async |errors| {
            let target = target(&state, &auth, id).await?;
            let lookalikes = state
                .store
                .investor_lookalikes(&auth.principal.investor_visibility(), target.investor())
                .await?;
            let values = HashMap::from([
                ("version", input.text("version")),
                ("from_id", input.text("from_id")),
            ]);
            merge_form(&auth, target.investor(), &lookalikes, values, Some(&errors))
        },
    )
    .await
}

// ---- API ----

/// Which investor goes into this one.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvestorMergeBody {
    /// The duplicate, of the same zone: its leads and contacts move over and it is deleted.
    #[schema(required = true, nullable = false)]
    from_id: Option<i64>,
    /// The version of this investor last read.
    #[schema(required = true, nullable = false)]
    version: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/attraction/investors/{investor_id}/lookalikes", tag = "attraction",
    params(("investor_id" = i64, Path)),
    responses((status = 200, body = Vec<Investor>), (status = 404, body = ApiErrorDoc)))]
pub async fn api_lookalikes(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Vec<Investor>>> {
    let visibility = auth.principal.investor_visibility();
    let investor = state.store.investor(&visibility, id).await?;
    Ok(Json(
        state
            .store
            .investor_lookalikes(&visibility, &investor)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/attraction/investors/{investor_id}/merge", tag = "attraction",
    params(("investor_id" = i64, Path)), request_body = InvestorMergeBody,
    responses((status = 200, body = Investor), (status = 403, body = ApiErrorDoc), (status = 404, body = ApiErrorDoc),
        (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_merge(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<InvestorMergeBody>,
) -> AppResult<Json<Investor>> {
    Ok(Json(merge(&state, &auth, id, &input).await?))
}

/// An investor as typed.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvestorBody {
    /// Create only; an investor stays in its zone.
    zone_id: Option<i64>,
    #[schema(required = true, nullable = false)]
    name: Option<String>,
    /// 统一社会信用代码, when known (GB 32100-2015).
    credit_code: Option<String>,
    #[schema(required = true, nullable = false, schema_with = codes::investor_origin)]
    origin: Option<String>,
    /// The province, or the country, it comes from.
    origin_place: Option<String>,
    industry: Option<String>,
    size: Option<String>,
    /// 链主.
    chain_leader: Option<bool>,
    notes: Option<String>,
    /// Replaces the contacts.
    contacts: Option<Vec<Contact>>,
    /// Create only: a name that reads as one of the zone's investors is
    /// refused unless this says it is another company.
    confirm_new: Option<bool>,
    /// Update only (required there): the version last read.
    version: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/attraction/investors", tag = "attraction", params(ListQuery),
    responses((status = 200, body = Page<Investor>), (status = 422, body = ApiErrorDoc)))]
pub async fn api_list(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<ListQuery>,
) -> AppResult<Json<Page<Investor>>> {
    let paging = Paging::from_query(query.page.as_deref(), query.per_page.as_deref());
    Ok(Json(
        state
            .store
            .investors(
                &auth.principal.investor_visibility(),
                &filter(&query)?,
                paging.offset(),
                paging.per_page,
            )
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/attraction/investors", tag = "attraction", request_body = InvestorBody,
    responses((status = 201, body = Investor), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_create(
    State(state): State<AppState>,
    auth: Auth,
    input: Body<InvestorBody>,
) -> AppResult<Response> {
    let investor = create(&state, &auth, &input).await?;
    Ok((StatusCode::CREATED, Json(investor)).into_response())
}

#[utoipa::path(get, path = "/api/v1/attraction/investors/{investor_id}", tag = "attraction", params(("investor_id" = i64, Path)),
    responses((status = 200, body = Investor), (status = 404, body = ApiErrorDoc)))]
pub async fn api_get(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<Investor>> {
    Ok(Json(
        state
            .store
            .investor(&auth.principal.investor_visibility(), id)
            .await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/attraction/investors/{investor_id}", tag = "attraction", params(("investor_id" = i64, Path)),
    request_body = InvestorBody,
    responses((status = 200, body = Investor), (status = 403, body = ApiErrorDoc), (status = 404, body = ApiErrorDoc),
        (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_update(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<InvestorBody>,
) -> AppResult<Json<Investor>> {
    Ok(Json(update(&state, &auth, id, &input).await?))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(api_list, api_create, api_get, api_update, api_lookalikes, api_merge))]
pub struct ApiDoc;
