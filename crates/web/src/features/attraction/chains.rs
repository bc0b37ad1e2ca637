//! 产业链图谱: a zone's chain map (each chain drawn upstream to downstream,
//! its links with the zone's firms, targets and leads, the "to fill" list),
//! the form of a link, and their API twins.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kfq_app::attraction::{self as use_case, ChainLinkTarget, ChainMap, FillItem};
use kfq_attraction::{Need, Segment};
use kfq_charts::{chain_map, ChainBox, ChainChart, ChainColumn, Rag};
use kfq_domain::validation::{optional_text, required_text};
use kfq_domain::{FieldErrors, Visibility};
use kfq_store::{ChainLink, ChainLinkInput, EnterpriseFilter, InvestorFilter, LinkLead};
use serde::Deserialize;

use super::{code_options, zone_options, zones};
use crate::auth::Auth;
use crate::common::{self, form_post, version, PathId, VersionQuery};
use crate::error::{ApiErrorDoc, AppError, AppResult};
use crate::input::{Body, Input};
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use crate::views::{Field, FieldKind, FormFields, FormHeading, FormView};

pub fn routes() -> Routes {
    Routes::new()
        .get("/attraction/chains", map_page)
        .get("/attraction/chains/links/new", new_page)
        .post("/attraction/chains/links", create_page)
        .get("/attraction/chains/links/{link_id}/edit", edit_page)
        .post("/attraction/chains/links/{link_id}/edit", update_page)
        .post("/attraction/chains/links/{link_id}/delete", delete_page)
        .get("/api/v1/attraction/chains", api_map)
        .post("/api/v1/attraction/chain-links", api_create)
        .get("/api/v1/attraction/chain-links/{link_id}", api_get)
        .put("/api/v1/attraction/chain-links/{link_id}", api_update)
        .delete("/api/v1/attraction/chain-links/{link_id}", api_delete)
}

/// Which zone's map.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ChainQuery {
    /// The zone; may be left out by one who sees a single zone.
    pub zone_id: Option<String>,
    /// New link form only: the chain and segment it goes on.
    #[param(ignore)]
    pub chain_id: Option<String>,
    #[param(ignore)]
    pub segment: Option<String>,
    #[param(ignore)]
    pub notice: Option<String>,
}

/// The zone asked for, or the caller's only zone (the first they see, on a
/// page).
async fn zone_of(
    state: &AppState,
    auth: &Auth,
    query: &ChainQuery,
    first_if_many: bool,
) -> AppResult<i64> {
    if let Some(id) = common::ListQuery::id(&query.zone_id, "zone_id")? {
        return Ok(id);
    }
    let zones = zones(state, auth).await?;
    match zones.as_slice() {
        [only] => Ok(only.id),
        [first, ..] if first_if_many => Ok(first.id),
        _ => Err(AppError::Invalid(FieldErrors::single(
            "zone_id",
            "error.lead.zone",
        ))),
    }
}

fn rag(need: Need) -> Rag {
    match need {
        Need::Fill | Need::Extend => Rag::Red,
        Need::Strengthen => Rag::Yellow,
        Need::Held => Rag::Green,
    }
}

/// A link as the map's table shows it.
struct LinkRow {
    link: ChainLink,
    need: Need,
    need_label: String,
    need_class: &'static str,
}

struct ChainCard {
    id: i64,
    name: String,
    svg: String,
    links: Vec<LinkRow>,
    unplaced: Vec<LinkLead>,
}

#[derive(Template)]
#[template(path = "attraction/chains.html")]
struct MapView {
    page: PageContext,
    map: ChainMap,
    cards: Vec<ChainCard>,
    to_fill: Vec<(FillItem, String)>,
    zone_picker: Option<Field>,
    can_admin: bool,
}

impl MapView {
    fn stage(&self, lead: &LinkLead) -> String {
        self.page.label("LeadStage", lead.stage)
    }

    fn segment(&self, segment: &Segment) -> String {
        self.page.label("Segment", segment)
    }

    /// Chains with no link drawn yet: listed by name, not drawn.
    fn unmapped_count(&self) -> usize {
        self.cards
            .iter()
            .filter(|c| c.links.is_empty() && c.unplaced.is_empty())
            .count()
    }

    fn unattended(&self, row: &LinkRow) -> bool {
        row.link.facts().unattended() && row.need != Need::Held
    }
}

fn need_class(need: Need) -> &'static str {
    match need {
        Need::Fill | Need::Extend => "rag rag-red",
        Need::Strengthen => "rag rag-yellow",
        Need::Held => "rag rag-green",
    }
}

fn cards(page: &PageContext, map: &ChainMap) -> Vec<ChainCard> {
    let gap = format!(
        "{}/{}",
        page.label("Need", Need::Fill),
        page.label("Need", Need::Extend)
    );
    let legend = vec![
        (Rag::Red, gap),
        (Rag::Yellow, page.label("Need", Need::Strengthen)),
        (Rag::Green, page.label("Need", Need::Held)),
    ];
    map.chains
        .iter()
        .map(|chain| {
            let columns = Segment::ALL
                .iter()
                .map(|segment| ChainColumn {
                    label: page.label("Segment", segment),
                    links: chain
                        .links
                        .iter()
                        .filter(|l| l.segment == *segment)
                        .map(|l| {
                            let f = l.facts();
                            ChainBox {
                                name: l.name.clone(),
                                detail: page.catalog.format(
                                    "chain.detail",
                                    &[
                                        ("firms", &f.enterprises.to_string()),
                                        ("open", &f.open_leads.to_string()),
                                        ("targets", &f.targets.to_string()),
                                    ],
                                ),
                                rag: Some(rag(f.need())),
                                href: Some(format!("#link-{}", l.id)),
                            }
                        })
                        .collect(),
                })
                .collect();
            let chart = ChainChart {
                title: chain.name.clone(),
                subtitle: None,
                legend: legend.clone(),
                columns,
            };
            ChainCard {
                id: chain.id,
                name: chain.name.clone(),
                svg: chain_map(&chart),
                links: chain
                    .links
                    .iter()
                    .map(|l| {
                        let need = l.facts().need();
                        LinkRow {
                            link: l.clone(),
                            need,
                            need_label: page.label("Need", need),
                            need_class: need_class(need),
                        }
                    })
                    .collect(),
                unplaced: chain.unplaced.clone(),
            }
        })
        .collect()
}

async fn map_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<ChainQuery>,
) -> AppResult<Response> {
    let page = PageContext::new(Some(&auth), "attraction").with_notice(query.notice.as_deref());
    let zones = zones(&state, &auth).await?;
    let zone_id = zone_of(&state, &auth, &query, true).await?;
    let map = use_case::chain_map(&state.store, &auth.principal, zone_id).await?;
    let zone_picker = (zones.len() > 1).then(|| {
        let mut f = Field::new(
            "zone_id",
            page.t("project.zone"),
            FieldKind::Select(zone_options(&zones, "")[1..].to_vec()),
        );
        f.value = zone_id.to_string();
        f
    });
    let to_fill = map
        .to_fill
        .iter()
        .map(|item| (item.clone(), page.label("Need", item.need)))
        .collect();
    let view = MapView {
        cards: cards(&page, &map),
        to_fill,
        zone_picker,
        can_admin: auth
            .principal
            .unit_admin(&map_zone_path(&zones, zone_id))
            .is_some(),
        page,
        map,
    };
    Ok(render(&view)?.into_response())
}

fn map_zone_path(zones: &[kfq_store::OrgUnit], zone_id: i64) -> kfq_domain::OrgPath {
    zones
        .iter()
        .find(|z| z.id == zone_id)
        .map(|z| z.org_path())
        .unwrap_or_else(|| kfq_domain::OrgPath::root_of(zone_id))
}

// ---- the link form ----

const FIELDS: &[&str] = &[
    "version",
    "zone_id",
    "chain_id",
    "segment",
    "name",
    "sort",
    "extension",
    "note",
    "enterprises",
    "targets",
];

fn parse(input: &Input, fixed: Option<(i64, i64)>) -> Result<ChainLinkInput, FieldErrors> {
    let mut e = FieldErrors::new();
    let (zone_id, chain_id) = match fixed {
        Some((zone, chain)) => (Some(zone), Some(chain)),
        None => (input.int("zone_id", &mut e), input.int("chain_id", &mut e)),
    };
    let segment = input.choice("segment", Segment::from_code, &mut e);
    let name = e.check("name", required_text(&input.text("name"), 50));
    let sort = input.opt_int("sort", &mut e);
    let extension = input.flag("extension");
    let note = e
        .check("note", optional_text(&input.text("note"), 500))
        .flatten();
    let enterprises = input.ids("enterprises", &mut e);
    let targets = input.ids("targets", &mut e);
    e.into_result()?;
    match (zone_id, chain_id, segment, name) {
        (Some(zone_id), Some(chain_id), Some(segment), Some(name)) => Ok(ChainLinkInput {
            zone_id,
            chain_id,
            segment,
            name,
            sort,
            extension,
            note,
            enterprises,
            targets,
        }),
        _ => Err(FieldErrors::single("name", "error.required")),
    }
}

async fn target(state: &AppState, auth: &Auth, id: i64) -> AppResult<ChainLinkTarget> {
    Ok(ChainLinkTarget::check(&state.store, &auth.principal, id).await?)
}

async fn create(state: &AppState, auth: &Auth, input: &Input) -> AppResult<ChainLink> {
    let link = parse(input, None)?;
    Ok(use_case::create_chain_link(&state.store, &auth.principal, &auth.actor(), &link).await?)
}

async fn update(state: &AppState, auth: &Auth, id: i64, input: &Input) -> AppResult<ChainLink> {
    let target = target(state, auth, id).await?;
    let mut e = FieldErrors::new();
    let expected = version(input, &mut e);
    let l = target.link();
    let parsed = parse(input, Some((l.zone_id, l.chain_id)));
    let link = match (parsed, e.into_result()) {
        (Ok(link), Ok(())) => link,
        (Err(mut more), other) => {
            more.0.extend(other.err().map(|e| e.0).unwrap_or_default());
            return Err(more.into());
        }
        (Ok(_), Err(e)) => return Err(e.into()),
    };
    Ok(use_case::update_chain_link(&state.store, &auth.actor(), &target, expected, &link).await?)
}

/// The form's choices in one zone: its chains, enterprises and investors.
async fn form_fields(
    state: &AppState,
    auth: &Auth,
    zone_id: i64,
    chain_fixed: bool,
) -> AppResult<FormFields> {
    let page = PageContext::new(Some(auth), "");
    let zone = state
        .store
        .org(&auth.principal.org_visibility(), zone_id)
        .await?;
    let scope = Visibility::Subtree(zone.org_path());
    let chains: Vec<(String, String)> = state
        .store
        .industry_chains(zone_id)
        .await?
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    let enterprises = state
        .store
        .enterprises(
            &scope,
            &EnterpriseFilter {
                zone_id: Some(zone_id),
                name_contains: None,
            },
            0,
            5000,
        )
        .await?
        .items
        .into_iter()
        .map(|e| (e.id.to_string(), e.name))
        .collect();
    let investors = state
        .store
        .investors(
            &scope,
            &InvestorFilter {
                zone_id: Some(zone_id),
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
    let mut chain =
        Field::new("chain_id", page.t("chain.chain"), FieldKind::Select(chains)).required();
    if chain_fixed {
        chain.kind = FieldKind::Hidden;
    }
    Ok(FormFields::new(vec![
        Field::new("version", "", FieldKind::Hidden),
        Field::new("zone_id", "", FieldKind::Hidden),
        chain,
        Field::new(
            "segment",
            page.t("chain.segment"),
            FieldKind::Select(code_options(&page, "Segment", Segment::ALL, "")),
        )
        .required(),
        Field::new("name", page.t("chain.link_name"), FieldKind::Text).required(),
        Field::new("sort", page.t("chain.sort"), FieldKind::Text),
        Field::new("extension", page.t("chain.extension"), FieldKind::Checkbox),
        Field::new(
            "enterprises",
            page.t("chain.enterprises"),
            FieldKind::Multi(enterprises),
        ),
        Field::new(
            "targets",
            page.t("chain.targets"),
            FieldKind::Multi(investors),
        ),
        Field::new("note", page.t("chain.note"), FieldKind::Text),
    ]))
}

fn values(l: &ChainLink) -> HashMap<&'static str, String> {
    let ids = |items: &[kfq_store::Linked]| {
        items
            .iter()
            .map(|l| l.id.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    HashMap::from([
        ("version", l.version.to_string()),
        ("zone_id", l.zone_id.to_string()),
        ("chain_id", l.chain_id.to_string()),
        ("segment", l.segment.code().to_owned()),
        ("name", l.name.clone()),
        ("sort", l.sort.to_string()),
        ("extension", if l.extension { "on" } else { "" }.to_owned()),
        ("note", l.note.clone().unwrap_or_default()),
        ("enterprises", ids(&l.enterprises)),
        ("targets", ids(&l.targets)),
    ])
}

fn typed_values(input: &Input) -> HashMap<&'static str, String> {
    FIELDS.iter().map(|k| (*k, input.joined(k))).collect()
}

async fn form(
    state: &AppState,
    auth: &Auth,
    heading: FormHeading,
    zone_id: i64,
    chain_fixed: bool,
    values: HashMap<&'static str, String>,
    errors: Option<&FieldErrors>,
) -> AppResult<Response> {
    let fields = form_fields(state, auth, zone_id, chain_fixed).await?;
    let page = PageContext::new(Some(auth), "attraction");
    FormView::answer(page, heading, fields, &values, errors)
}

fn new_heading(auth: &Auth, zone_id: i64) -> FormHeading {
    let page = PageContext::new(Some(auth), "");
    FormHeading {
        title: page.t("chain.new_link").to_owned(),
        action: "/attraction/chains/links".into(),
        cancel: format!("/attraction/chains?zone_id={zone_id}"),
    }
}

async fn new_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<ChainQuery>,
) -> AppResult<Response> {
    let zone_id = zone_of(&state, &auth, &query, false).await?;
    let zone = state
        .store
        .org(&auth.principal.org_visibility(), zone_id)
        .await?;
    common::allow(
        auth.principal
            .lead_write(&zone.org_path())
            .is_some_and(|p| p.only_of().is_none()),
    )?;
    let mut values = HashMap::from([("zone_id", zone_id.to_string())]);
    if let Some(chain) = &query.chain_id {
        values.insert("chain_id", chain.clone());
    }
    if let Some(segment) = &query.segment {
        values.insert("segment", segment.clone());
    }
    form(
        &state,
        &auth,
        new_heading(&auth, zone_id),
        zone_id,
        false,
        values,
        None,
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
        |l| {
            format!(
                "/attraction/chains?zone_id={}&notice=saved#link-{}",
                l.zone_id, l.id
            )
        },
        async |errors| {
            let Ok(zone_id) = input.text("zone_id").parse::<i64>() else {
                return Err(errors.into());
            };
            form(
                &state,
                &auth,
                new_heading(&auth, zone_id),
                zone_id,
                false,
                typed_values(&input),
                Some(&errors),
            )
            .await
        },
    )
    .await
}

fn edit_heading(auth: &Auth, l: &ChainLink) -> FormHeading {
    let page = PageContext::new(Some(auth), "");
    FormHeading {
        title: page.catalog.format(
            "common.label_value",
            &[
                ("label", page.t("chain.edit_link")),
                ("value", &format!("{} · {}", l.chain_name, l.name)),
            ],
        ),
        action: format!("/attraction/chains/links/{}/edit", l.id),
        cancel: format!("/attraction/chains?zone_id={}#link-{}", l.zone_id, l.id),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    let target = target(&state, &auth, id).await?;
    let l = target.link();
    form(
        &state,
        &auth,
        edit_heading(&auth, l),
        l.zone_id,
        true,
        values(l),
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
        |l| {
            format!(
                "/attraction/chains?zone_id={}&notice=saved#link-{}",
                l.zone_id, l.id
            )
        },
        async |errors| {
            let target = target(&state, &auth, id).await?;
            let l = target.link();
            let mut values = typed_values(&input);
            values.insert("zone_id", l.zone_id.to_string());
            values.insert("chain_id", l.chain_id.to_string());
            form(
                &state,
                &auth,
                edit_heading(&auth, l),
                l.zone_id,
                true,
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
    let zone_id = target.link().zone_id;
    use_case::delete_chain_link(&state.store, &auth.actor(), &target, expected).await?;
    Ok(see_other(&format!(
        "/attraction/chains?zone_id={zone_id}&notice=deleted"
    )))
}

// ---- API ----

/// A link as typed.
#[derive(serde::Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChainLinkBody {
    /// Create only; a link stays in its zone.
    zone_id: Option<i64>,
    /// Create only; a link stays on its chain.
    chain_id: Option<i64>,
    /// upstream, midstream or downstream.
    #[schema(required = true, nullable = false)]
    segment: Option<String>,
    #[schema(required = true, nullable = false)]
    name: Option<String>,
    /// Order within its segment.
    sort: Option<i64>,
    /// A link the zone means to extend the chain to (延链).
    extension: Option<bool>,
    note: Option<String>,
    /// The zone's enterprises at this link.
    enterprises: Option<Vec<i64>>,
    /// Target companies: investors of the zone.
    targets: Option<Vec<i64>>,
    /// Update only (required there): the version last read.
    version: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/attraction/chains", tag = "attraction", params(ChainQuery),
    responses((status = 200, body = ChainMap), (status = 404, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_map(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<ChainQuery>,
) -> AppResult<Json<ChainMap>> {
    let zone_id = zone_of(&state, &auth, &query, false).await?;
    Ok(Json(
        use_case::chain_map(&state.store, &auth.principal, zone_id).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/attraction/chain-links", tag = "attraction", request_body = ChainLinkBody,
    responses((status = 201, body = ChainLink), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_create(
    State(state): State<AppState>,
    auth: Auth,
    input: Body<ChainLinkBody>,
) -> AppResult<Response> {
    let link = create(&state, &auth, &input).await?;
    Ok((StatusCode::CREATED, Json(link)).into_response())
}

#[utoipa::path(get, path = "/api/v1/attraction/chain-links/{link_id}", tag = "attraction",
    params(("link_id" = i64, Path)),
    responses((status = 200, body = ChainLink), (status = 404, body = ApiErrorDoc)))]
pub async fn api_get(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<ChainLink>> {
    Ok(Json(
        state
            .store
            .chain_link(&auth.principal.lead_sight(), id)
            .await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/attraction/chain-links/{link_id}", tag = "attraction",
    params(("link_id" = i64, Path)), request_body = ChainLinkBody,
    responses((status = 200, body = ChainLink), (status = 403, body = ApiErrorDoc), (status = 404, body = ApiErrorDoc),
        (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_update(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<ChainLinkBody>,
) -> AppResult<Json<ChainLink>> {
    Ok(Json(update(&state, &auth, id, &input).await?))
}

#[utoipa::path(delete, path = "/api/v1/attraction/chain-links/{link_id}", tag = "attraction",
    params(("link_id" = i64, Path), VersionQuery),
    responses((status = 204), (status = 403, body = ApiErrorDoc), (status = 404, body = ApiErrorDoc),
        (status = 409, body = ApiErrorDoc)))]
pub async fn api_delete(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Query(query): Query<VersionQuery>,
) -> AppResult<Response> {
    let target = target(&state, &auth, id).await?;
    use_case::delete_chain_link(&state.store, &auth.actor(), &target, query.required()?).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(api_map, api_create, api_get, api_update, api_delete))]
pub struct ApiDoc;
