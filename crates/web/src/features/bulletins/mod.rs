//! 导入简报: a zone's bulletin (pasted, or a .txt/.docx file) read by the
//! bulletin reader. The page shows the text with every fact highlighted and
//! read beside it, compares what the bulletin says of each project with the
//! zone's ledger ("what did this zone publish that its ledger does not show?"),
//! and lets staff accept facts into the ledger with the bulletin and the text
//! span recorded as the source.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kfq_domain::{FieldErrors, Money, OrgKind};
use kfq_extract::{Fact, Reading, Value};
use kfq_store::{Bulletin, OrgFilter, Project};
use serde::{Deserialize, Serialize};

use crate::auth::Auth;
use crate::common::PathId;
use crate::error::{ApiErrorDoc, AppError, AppResult};
use crate::input::{Body, Input};
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use kfq_app::bulletins::{self, ProjectReading, Target};

pub fn routes() -> Routes {
    Routes::new()
        .get("/bulletins", list_page)
        .post("/bulletins", create_page)
        .post("/bulletins/upload", upload_page)
        .get("/bulletins/{bulletin_id}", show_page)
        .post("/bulletins/{bulletin_id}/accept", accept_page)
        .get("/api/v1/bulletins", api_list)
        .post("/api/v1/bulletins", api_create)
        .get("/api/v1/bulletins/{bulletin_id}", api_get)
        .post("/api/v1/bulletins/{bulletin_id}/accept", api_accept)
}

async fn file_bulletin(
    state: &AppState,
    auth: &Auth,
    zone_id: Option<i64>,
    title: &str,
    text: &str,
) -> AppResult<i64> {
    Ok(bulletins::file(
        &state.store,
        &auth.principal,
        &auth.actor(),
        zone_id,
        title,
        text,
    )
    .await?)
}

async fn create(state: &AppState, auth: &Auth, input: &Input) -> AppResult<i64> {
    let mut e = FieldErrors::new();
    let zone_id = input.opt_int("zone_id", &mut e);
    e.into_result()?;
    file_bulletin(
        state,
        auth,
        zone_id,
        &input.text("title"),
        &input.text("text"),
    )
    .await
}

// ---- reading and comparing ----

async fn compare(
    state: &AppState,
    auth: &Auth,
    bulletin: &Bulletin,
    reading: &Reading,
) -> AppResult<Vec<ProjectReading>> {
    Ok(bulletins::compare(&state.store, &auth.principal, bulletin, reading).await?)
}

/// The text as HTML with each fact's span marked (escaped; overlapping spans skipped).
fn highlighted(text: &str, facts: &[Fact]) -> String {
    let mut spans: Vec<(usize, usize, usize)> = facts
        .iter()
        .enumerate()
        .map(|(i, f)| (f.span.start, f.span.end, i))
        .collect();
    spans.sort_unstable();
    let chars: Vec<char> = text.chars().collect();
    let mut html = String::with_capacity(text.len() * 2);
    let mut at = 0;
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let plain = |from: usize, to: usize| {
        escape(&chars[from..to].iter().collect::<String>()).replace('\n', "<br>")
    };
    for (start, end, index) in spans {
        if start < at || end > chars.len() || end <= start {
            continue;
        }
        html.push_str(&plain(at, start));
        html.push_str(&format!(
            "<mark id=\"fact-{index}\" title=\"{}\">",
            escape(facts[index].kind.name())
        ));
        html.push_str(&plain(start, end));
        html.push_str("</mark>");
        at = end;
    }
    html.push_str(&plain(at, chars.len()));
    html
}

// ---- accepting facts into the ledger ----

/// Accepts the chosen facts (`facts`: comma-separated indexes) of one project,
/// into the project `project_id` names: empty for the comparison's match, a
/// project's id, or `new`.
async fn accept(
    state: &AppState,
    auth: &Auth,
    bulletin_id: i64,
    input: &Input,
) -> AppResult<Project> {
    // The page ticks facts (`fact_<index>`); the API lists them in `facts`.
    let mut chosen: Vec<usize> = input
        .keys()
        .filter_map(|k| k.strip_prefix("fact_"))
        .filter_map(|n| n.parse().ok())
        .collect();
    chosen.sort_unstable();
    if chosen.is_empty() {
        chosen = input
            .text("facts")
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect();
    }
    let target =
        match input.text("project_id").trim() {
            "" => Target::Matched,
            "new" => Target::New,
            id => Target::Project(id.parse().map_err(|_| {
                AppError::Invalid(FieldErrors::single("project_id", "error.choice"))
            })?),
        };
    Ok(bulletins::accept(
        &state.store,
        &auth.principal,
        &auth.actor(),
        bulletin_id,
        &input.text("project"),
        &chosen,
        target,
    )
    .await?)
}

// ---- pages ----

#[derive(Template)]
#[template(path = "bulletins/list.html")]
struct ListView {
    page: PageContext,
    bulletins: Vec<Bulletin>,
    zones: Vec<(String, String)>,
    errors: Vec<String>,
}

async fn list_view(state: &AppState, auth: &Auth, errors: Vec<String>) -> AppResult<ListView> {
    let page = PageContext::new(Some(auth), "projects");
    let zones = state
        .store
        .orgs(
            &auth.principal.org_visibility(),
            &OrgFilter {
                kind: Some(OrgKind::Zone),
                ..Default::default()
            },
            0,
            10_000,
        )
        .await?
        .items
        .into_iter()
        .filter(|z| auth.principal.can_write_zone_data(&z.org_path()))
        .map(|z| (z.id.to_string(), z.name))
        .collect();
    Ok(ListView {
        bulletins: state
            .store
            .bulletins(&auth.principal.zone_data_visibility())
            .await?,
        zones,
        errors,
        page,
    })
}

async fn list_page(State(state): State<AppState>, auth: Auth) -> AppResult<Response> {
    Ok(render(&list_view(&state, &auth, vec![]).await?)?.into_response())
}

async fn refused(state: &AppState, auth: &Auth, errors: &FieldErrors) -> AppResult<Response> {
    let messages = crate::error::messages(errors);
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        render(&list_view(state, auth, messages).await?)?,
    )
        .into_response())
}

async fn create_page(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    match create(&state, &auth, &input).await {
        Ok(id) => Ok(see_other(&format!("/bulletins/{id}"))),
        Err(AppError::Invalid(errors)) => refused(&state, &auth, &errors).await,
        Err(other) => Err(other),
    }
}

/// A .txt (UTF-8) or .docx file; the anti-forgery token comes in the query.
async fn upload_page(
    State(state): State<AppState>,
    auth: Auth,
    mut form: Multipart,
) -> AppResult<Response> {
    let (mut zone_id, mut title, mut text) = (None, String::new(), None);
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await?;
        match name.as_str() {
            "zone_id" => zone_id = String::from_utf8_lossy(&bytes).trim().parse().ok(),
            "title" => title = String::from_utf8_lossy(&bytes).into_owned(),
            "file" => {
                let is_docx = file_name
                    .as_deref()
                    .is_some_and(|n| n.to_ascii_lowercase().ends_with(".docx"));
                if title.is_empty() {
                    title = file_name.clone().unwrap_or_default();
                }
                text = if is_docx {
                    crate::docx::text(&bytes)
                } else {
                    String::from_utf8(bytes.to_vec()).ok()
                };
                // A file's text is read, not typed: characters no text may
                // hold (NUL, control and bidi characters) are left out.
                text = text.map(|t| {
                    t.chars()
                        .filter(|c| !kfq_domain::validation::is_forbidden_char(*c))
                        .collect()
                });
                if text.is_none() {
                    return refused(
                        &state,
                        &auth,
                        &FieldErrors::single("file", "error.bulletin.file"),
                    )
                    .await;
                }
            }
            _ => {}
        }
    }
    match file_bulletin(&state, &auth, zone_id, &title, &text.unwrap_or_default()).await {
        Ok(id) => Ok(see_other(&format!("/bulletins/{id}"))),
        Err(AppError::Invalid(errors)) => refused(&state, &auth, &errors).await,
        Err(other) => Err(other),
    }
}

#[derive(Template)]
#[template(path = "bulletins/show.html")]
struct ShowView {
    page: PageContext,
    bulletin: Bulletin,
    reading: Reading,
    html: String,
    projects: Vec<ProjectReading>,
    attraction: Vec<kfq_app::attraction::PublishedFigure>,
    can_accept: bool,
}

impl ShowView {
    /// A 招商 figure as people read it: 亿元 for money, 个 for a count, % for a rate.
    fn kfq_figure(&self, figure: &str, value: &i64) -> String {
        match figure {
            "signed" => self
                .page
                .format("attraction.kpi.count", "n", &value.to_string()),
            "start_rate" => kfq_domain::investment::percent(*value),
            _ => format!(
                "{}{}",
                Money::from_yuan(*value).yi_2(),
                self.page.t("Unit.yi_yuan")
            ),
        }
    }

    fn fact_value(&self, fact: &Fact) -> String {
        match &fact.value {
            Value::Quantity(q) => q.as_written.clone(),
            Value::Stage { stage } => format!("{stage:?}"),
        }
    }

    fn subject(&self, fact: &Fact) -> String {
        fact.project
            .clone()
            .or_else(|| fact.investor.clone())
            .or_else(|| fact.zone.clone())
            .unwrap_or_default()
    }

    /// How the group was matched with the ledger, and why, in words.
    fn match_text(&self, group: &ProjectReading) -> String {
        let page = &self.page;
        let name = group.ledger_name.clone().unwrap_or_default();
        match (group.matched_by.as_deref(), &group.evidence) {
            (Some("similar"), Some(e)) => {
                let mut parts = vec![page.format("bulletin.evidence.product", "v", &e.product)];
                if let Some(c) = &e.capacity {
                    parts.push(page.format("bulletin.evidence.capacity", "v", c));
                }
                if let Some(c) = &e.enterprise {
                    parts.push(page.format("bulletin.evidence.enterprise", "v", c));
                }
                format!(
                    "{}{}",
                    page.format(
                        "bulletin.match_similar",
                        "evidence",
                        &parts.join(page.t("bulletin.evidence.sep")),
                    ),
                    page.format("bulletin.ledger_name", "name", &name)
                )
            }
            (Some(_), _) => page.t("bulletin.match_exact").to_string(),
            _ if !group.suggested.is_empty() => page.t("bulletin.ambiguous").to_string(),
            _ => String::new(),
        }
    }

    fn chosen(&self, group: &ProjectReading, id: &i64) -> bool {
        group.project_id == Some(*id)
    }

    fn suggested(&self, group: &ProjectReading, id: &i64) -> bool {
        group.suggested.contains(id)
    }

    fn indexes(&self, group: &ProjectReading) -> String {
        group
            .facts
            .iter()
            .filter(|f| f.ledger_field.is_some())
            .map(|f| f.index.to_string())
            .collect::<Vec<_>>()
            .join(",")
    }
}

async fn show_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    let bulletin = state
        .store
        .bulletin(&auth.principal.zone_data_visibility(), id)
        .await?;
    let reading = bulletins::read(&bulletin.body).await?;
    let projects = compare(&state, &auth, &bulletin, &reading).await?;
    let attraction =
        kfq_app::attraction::compare_published(&state.store, &auth.principal, &bulletin, &reading)
            .await?;
    let view = ShowView {
        attraction,
        page: PageContext::new(Some(&auth), "projects"),
        html: highlighted(&bulletin.body, &reading.facts),
        can_accept: auth
            .principal
            .can_write_zone_data(&bulletin.zone_path.parse_path()),
        bulletin,
        reading,
        projects,
    };
    Ok(render(&view)?.into_response())
}

trait ParsePath {
    fn parse_path(&self) -> kfq_domain::OrgPath;
}

impl ParsePath for String {
    fn parse_path(&self) -> kfq_domain::OrgPath {
        kfq_domain::OrgPath::parse(self).unwrap_or_else(|_| kfq_domain::OrgPath::root_of(0))
    }
}

async fn accept_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    let project = accept(&state, &auth, id, &input).await?;
    Ok(see_other(&format!("/projects/{}?notice=saved", project.id)))
}

// ---- API ----

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulletinBody {
    #[schema(required = true, nullable = false)]
    zone_id: Option<i64>,
    #[schema(required = true, nullable = false)]
    title: Option<String>,
    /// The bulletin's text.
    #[schema(required = true, nullable = false)]
    text: Option<String>,
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
    /// The project's name as the bulletin gives it.
    #[schema(required = true, nullable = false)]
    project: Option<String>,
    /// Indexes of the facts to accept, comma-separated ("0,2,3").
    #[schema(required = true, nullable = false)]
    facts: Option<String>,
    /// The ledger project to update instead of the comparison's match (an id
    /// of the zone's projects), or "new"; absent: the match.
    project_id: Option<String>,
}

/// A bulletin read: its articles and facts, and the comparison with the ledger.
#[derive(Serialize, utoipa::ToSchema)]
pub struct BulletinReading {
    pub bulletin: Bulletin,
    /// Articles and facts as kfq-extract returns them (char offsets into the text).
    #[schema(value_type = Object)]
    pub reading: Reading,
    pub projects: Vec<ProjectReading>,
    /// Its 招商引资 figures (签约额, 到位资金 …) beside the pipeline's.
    pub attraction: Vec<kfq_app::attraction::PublishedFigure>,
}

#[utoipa::path(get, path = "/api/v1/bulletins", tag = "bulletins", responses((status = 200, body = Vec<Bulletin>)))]
pub async fn api_list(State(state): State<AppState>, auth: Auth) -> AppResult<Json<Vec<Bulletin>>> {
    Ok(Json(
        state
            .store
            .bulletins(&auth.principal.zone_data_visibility())
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/bulletins", tag = "bulletins", request_body = BulletinBody,
    responses((status = 201, body = BulletinReading), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_create(
    State(state): State<AppState>,
    auth: Auth,
    input: Body<BulletinBody>,
) -> AppResult<Response> {
    let id = create(&state, &auth, &input).await?;
    Ok((StatusCode::CREATED, api_reading(&state, &auth, id).await?).into_response())
}

async fn api_reading(state: &AppState, auth: &Auth, id: i64) -> AppResult<Json<BulletinReading>> {
    let bulletin = state
        .store
        .bulletin(&auth.principal.zone_data_visibility(), id)
        .await?;
    let reading = bulletins::read(&bulletin.body).await?;
    let projects = compare(state, auth, &bulletin, &reading).await?;
    let attraction =
        kfq_app::attraction::compare_published(&state.store, &auth.principal, &bulletin, &reading)
            .await?;
    Ok(Json(BulletinReading {
        bulletin,
        reading,
        projects,
        attraction,
    }))
}

#[utoipa::path(get, path = "/api/v1/bulletins/{bulletin_id}", tag = "bulletins", params(("bulletin_id" = i64, Path)),
    responses((status = 200, body = BulletinReading), (status = 404, body = ApiErrorDoc)))]
pub async fn api_get(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Json<BulletinReading>> {
    api_reading(&state, &auth, id).await
}

#[utoipa::path(post, path = "/api/v1/bulletins/{bulletin_id}/accept", tag = "bulletins", params(("bulletin_id" = i64, Path)), request_body = AcceptBody,
    responses((status = 200, body = Project), (status = 404, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_accept(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<AcceptBody>,
) -> AppResult<Json<Project>> {
    Ok(Json(accept(&state, &auth, id, &input).await?))
}

/// The API paths of this part, merged into the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(api_list, api_create, api_get, api_accept,))]
pub struct ApiDoc;
