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
use kfq_domain::validation::required_text;
use kfq_domain::{Category, FieldErrors, Money, Mu, Nature, OrgKind, Stage};
use kfq_extract::{Fact, FactKind, Reading, Unit, Value};
use kfq_store::{Bulletin, OrgFilter, Project, ProjectInput};
use serde::{Deserialize, Serialize};

use crate::auth::Auth;
use crate::common::PathId;
use crate::error::{ApiErrorDoc, AppError, AppResult};
use crate::features::ledger::writable_zone;
use crate::input::{Body, Input};
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use kfq_app::ledger::rules::Rules;

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

/// Largest bulletin kept: a few hundred pages of text.
const MAX_CHARS: usize = 2_000_000;

async fn file_bulletin(
    state: &AppState,
    auth: &Auth,
    zone_id: Option<i64>,
    title: &str,
    text: &str,
) -> AppResult<i64> {
    let mut e = FieldErrors::new();
    let title = e.check("title", required_text(title, 200));
    if text.trim().is_empty() {
        e.add("text", "error.required");
    } else if text.chars().count() > MAX_CHARS {
        e.add("text", "error.too_long");
    }
    if zone_id.is_none() {
        e.add("zone_id", "error.required");
    }
    e.into_result()?;
    let zone = writable_zone(state, auth, zone_id.unwrap_or_default()).await?;
    let proof = crate::features::ledger::zone_write(auth, &zone.org_path())?;
    Ok(state
        .store
        .add_bulletin(
            &auth.actor(),
            &proof,
            (zone.id, &zone.org_path()),
            &title.unwrap_or_default(),
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

/// What a bulletin says of one project, next to what the ledger holds.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProjectReading {
    pub name: String,
    pub zone_id: i64,
    pub zone_name: String,
    /// The ledger's project of that name in that zone, if any.
    pub project_id: Option<i64>,
    pub facts: Vec<FactLine>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FactLine {
    /// Index into the reading's facts (what accept takes).
    pub index: usize,
    pub kind: String,
    pub as_written: String,
    /// The value in the ledger's terms (万元, 亩, m², 人, a stage), if the ledger keeps it.
    pub ledger_field: Option<String>,
    pub value: String,
    /// What the ledger holds for the same field now.
    pub ledger_value: Option<String>,
    /// The bulletin says something the ledger does not (missing or different).
    pub differs: bool,
    pub quote: String,
}

/// The ledger field a fact fills, and its value in the field's unit.
fn ledger_value(fact: &Fact) -> Option<(&'static str, String)> {
    match &fact.value {
        Value::Stage { stage } => {
            let code = serde_json::to_value(stage).ok()?.as_str()?.to_owned();
            Stage::from_code(&code).map(|_| ("stage", code))
        }
        Value::Quantity(q) => {
            let wan = |yuan: i128| -> Option<String> {
                Some(Money::from_yuan(i64::try_from(yuan).ok()?).wan_string())
            };
            match (fact.kind, q.unit) {
                (FactKind::TotalInvestment, Unit::Yuan) => {
                    Some(("total_investment", wan(q.yuan()?)?))
                }
                (FactKind::AnnualOutput, Unit::Yuan) => Some(("annual_output", wan(q.yuan()?)?)),
                (FactKind::Tax, Unit::Yuan) => Some(("annual_tax", wan(q.yuan()?)?)),
                (FactKind::LandArea, Unit::Mu) => Some(("land_mu", q.amount.to_string())),
                (FactKind::FloorArea, Unit::SquareMetre) => {
                    Some(("floor_area_m2", q.amount.to_integer()?.to_string()))
                }
                (FactKind::Jobs, Unit::Person) => {
                    Some(("jobs", q.amount.to_integer()?.to_string()))
                }
                _ => None,
            }
        }
    }
}

fn current_value(project: &Project, field: &str) -> Option<String> {
    let wan = |y: Option<Money>| y.map(Money::wan_string);
    match field {
        "stage" => Some(project.stage.code().to_owned()),
        "total_investment" => {
            wan(Some(project.total_investment)).filter(|_| project.total_investment > Money::ZERO)
        }
        "annual_output" => wan(project.annual_output),
        "annual_tax" => wan(project.annual_tax),
        "land_mu" => project.land.map(|m| m.to_string()),
        "floor_area_m2" => project.floor_area_m2.map(|v| v.to_string()),
        "jobs" => project.jobs.map(|v| v.to_string()),
        _ => None,
    }
}

/// Groups the project facts by project and matches each with the ledger.
async fn compare(
    state: &AppState,
    auth: &Auth,
    bulletin: &Bulletin,
    reading: &Reading,
) -> AppResult<Vec<ProjectReading>> {
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
        .items;
    let mut groups: Vec<ProjectReading> = Vec::new();
    for (index, fact) in reading.facts.iter().enumerate() {
        let Some(name) = fact.project.clone() else {
            continue;
        };
        if fact.kind.is_zone_level() {
            continue;
        }
        // The fact's zone if the caller sees it, else the zone the bulletin is filed under.
        let zone = fact
            .zone
            .as_deref()
            .and_then(|z| zones.iter().find(|u| u.name == z))
            .map(|u| (u.id, u.name.clone()))
            .unwrap_or((bulletin.zone_id, bulletin.zone_name.clone()));
        let group = match groups
            .iter_mut()
            .position(|g| g.name == name && g.zone_id == zone.0)
        {
            Some(at) => &mut groups[at],
            None => {
                let project_id = state.store.project_by_name(zone.0, &name).await?;
                groups.push(ProjectReading {
                    name: name.clone(),
                    zone_id: zone.0,
                    zone_name: zone.1,
                    project_id,
                    facts: vec![],
                });
                groups.last_mut().expect("just pushed")
            }
        };
        let quote = fact.span.slice(&bulletin.body).to_owned();
        let as_written = match &fact.value {
            Value::Quantity(q) => q.as_written.clone(),
            Value::Stage { .. } => quote.clone(),
        };
        let reading_value = ledger_value(fact);
        group.facts.push(FactLine {
            index,
            kind: fact.kind.name().to_owned(),
            as_written,
            ledger_field: reading_value.as_ref().map(|(f, _)| (*f).to_owned()),
            value: reading_value
                .as_ref()
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
            ledger_value: None,
            differs: reading_value.is_some(),
            quote,
        });
    }
    let ids: Vec<i64> = groups.iter().filter_map(|g| g.project_id).collect();
    let projects = state
        .store
        .projects_by_id(&auth.principal.zone_data_visibility(), &ids)
        .await?;
    for group in &mut groups {
        let matched = group
            .project_id
            .and_then(|id| projects.iter().find(|p| p.id == id));
        if let Some(project) = matched {
            for line in &mut group.facts {
                if let Some(field) = &line.ledger_field {
                    line.ledger_value = current_value(project, field);
                    line.differs = line.ledger_value.as_deref() != Some(line.value.as_str());
                }
            }
        }
    }
    Ok(groups)
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

/// Accepts the chosen facts of one project: creates the project in its zone,
/// or updates the matched one; every figure keeps its source.
async fn accept(
    state: &AppState,
    auth: &Auth,
    bulletin_id: i64,
    input: &Input,
) -> AppResult<Project> {
    let bulletin = state
        .store
        .bulletin(&auth.principal.zone_data_visibility(), bulletin_id)
        .await?;
    let reading = kfq_app::bulletins::read(&bulletin.body).await?;
    let groups = compare(state, auth, &bulletin, &reading).await?;
    let name = input.text("project");
    let group = groups
        .iter()
        .find(|g| g.name == name)
        .ok_or_else(|| AppError::Invalid(FieldErrors::single("project", "error.choice")))?;
    let chosen: Vec<usize> = input
        .text("facts")
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .filter(|i| group.facts.iter().any(|f| f.index == *i))
        .collect();
    if chosen.is_empty() {
        return Err(AppError::Invalid(FieldErrors::single(
            "facts",
            "error.required",
        )));
    }
    let zone = writable_zone(state, auth, group.zone_id).await?;
    let rules = Rules::load(&state.store, zone.id).await?;
    let existing = match group.project_id {
        Some(id) => Some(
            state
                .store
                .project(&auth.principal.zone_data_visibility(), id)
                .await?,
        ),
        None => None,
    };
    let mut fields = existing
        .as_ref()
        .map(Project::input)
        .unwrap_or_else(|| blank_input(zone.id, &group.name));
    let mut stage = None;
    let mut e = FieldErrors::new();
    for line in group.facts.iter().filter(|f| chosen.contains(&f.index)) {
        match line.ledger_field.as_deref() {
            Some("stage") => stage = Stage::from_code(&line.value),
            Some("total_investment") => {
                fields.total_investment = e
                    .check("facts", Money::parse_wan(&line.value))
                    .unwrap_or_default()
            }
            Some("annual_output") => {
                fields.annual_output = e.check("facts", Money::parse_wan(&line.value))
            }
            Some("annual_tax") => {
                fields.annual_tax = e.check("facts", Money::parse_wan(&line.value))
            }
            Some("land_mu") => fields.land = Mu::parse(&line.value).ok(),
            Some("floor_area_m2") => fields.floor_area_m2 = line.value.parse().ok(),
            Some("jobs") => fields.jobs = line.value.parse().ok(),
            _ => {}
        }
    }
    e.into_result()?;
    let actor = auth.actor();
    let proof = crate::features::ledger::zone_write(auth, &zone.org_path())?;
    let project = match existing {
        None => {
            state
                .store
                .create_project(
                    &actor,
                    &proof,
                    &fields,
                    stage.unwrap_or(Stage::Planning),
                    &rules.ctx(),
                )
                .await?
        }
        Some(current) => {
            let mut project = state
                .store
                .update_project(
                    &actor,
                    &proof,
                    current.id,
                    current.version,
                    &fields,
                    &rules.ctx(),
                )
                .await?;
            if let Some(next) = stage {
                let forward =
                    kfq_domain::project::check_advance(project.stage, project.furthest_stage, next)
                        .is_ok();
                if forward {
                    project = state
                        .store
                        .change_stage(
                            &actor,
                            &proof,
                            project.id,
                            project.version,
                            (next, rules.today),
                            None,
                            &rules.ctx(),
                        )
                        .await?;
                }
            }
            project
        }
    };
    let sources: Vec<(String, i64, i64, String)> = chosen
        .iter()
        .filter_map(|i| reading.facts.get(*i))
        .map(|f| {
            (
                f.kind.name().to_owned(),
                f.span.start as i64,
                f.span.end as i64,
                f.span.slice(&bulletin.body).to_owned(),
            )
        })
        .collect();
    state
        .store
        .add_sources(&proof, (project.id, project.zone_id), bulletin.id, &sources)
        .await?;
    Ok(project)
}

fn blank_input(zone_id: i64, name: &str) -> ProjectInput {
    ProjectInput {
        zone_id,
        name: name.to_owned(),
        enterprise_id: None,
        investor: None,
        category: Category::Industrial,
        nature: Nature::New,
        industry_chain_id: None,
        total_investment: Money::ZERO,
        land: None,
        floor_area_m2: None,
        construction_content: None,
        annual_output: None,
        annual_tax: None,
        jobs: None,
        registered: false,
        registered_on: None,
        liaison_user_id: None,
        department_id: None,
        task_force: None,
        project_code: None,
    }
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
        let bytes = field
            .bytes()
            .await
            .map_err(|e| AppError::BadRequest(e.body_text()))?;
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
    can_accept: bool,
}

impl ShowView {
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
    let reading = kfq_app::bulletins::read(&bulletin.body).await?;
    let projects = compare(&state, &auth, &bulletin, &reading).await?;
    let view = ShowView {
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
}

/// A bulletin read: its articles and facts, and the comparison with the ledger.
#[derive(Serialize, utoipa::ToSchema)]
pub struct BulletinReading {
    pub bulletin: Bulletin,
    /// Articles and facts as kfq-extract returns them (char offsets into the text).
    #[schema(value_type = Object)]
    pub reading: Reading,
    pub projects: Vec<ProjectReading>,
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
    let reading = kfq_app::bulletins::read(&bulletin.body).await?;
    let projects = compare(state, auth, &bulletin, &reading).await?;
    Ok(Json(BulletinReading {
        bulletin,
        reading,
        projects,
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
