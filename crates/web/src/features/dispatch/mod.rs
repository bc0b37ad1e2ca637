//! 周调度: the weekly dispatch sheet of a zone, a department or a liaison
//! leader — what moved in the week (stages, milestones, investment
//! reported), blockers opened, resolved and overdue, and the items that need
//! a leader's decision with the decisions already taken. Decisions recorded
//! after the meeting show on the next week's sheet. A page for the meeting
//! screen, a .docx and an .xlsx to print, and the API.

use crate::reads::Reads;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kfq_app::dispatch::Sheet;
use kfq_domain::validation::required_text;
use kfq_domain::{FieldErrors, Money, Stage};
use kfq_store::{Decision, DecisionInput, DispatchFilter};
use serde::{Deserialize, Serialize};

use crate::auth::Auth;
use crate::common::PathId;
use crate::error::{ApiErrorDoc, AppError, AppResult};
use crate::input::{Body, Input};
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use kfq_app::clock::today;
use kfq_app::i18n::Catalog;

pub fn routes() -> Routes {
    Routes::new()
        .get("/dispatch", sheet_page)
        .get("/dispatch/sheet.docx", sheet_docx)
        .get("/dispatch/sheet.xlsx", sheet_xlsx)
        .post("/dispatch/blockers/{blocker_id}/decisions", decide_page)
        .get("/api/v1/dispatch", api_sheet)
        .post("/api/v1/blockers/{blocker_id}/decisions", api_decide)
}

/// `?week=2024-06-12` (any day of the week) and whose sheet.
#[derive(Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct SheetQuery {
    pub week: Option<String>,
    pub zone_id: Option<i64>,
    pub department_id: Option<i64>,
    pub liaison_user_id: Option<i64>,
}

/// The sheet of the week and the people the query names (default: the
/// user's own), for the caller.
async fn sheet(state: &AppState, auth: &Auth, query: &SheetQuery) -> AppResult<Sheet> {
    let on = match query
        .week
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty())
    {
        None => today(),
        Some(raw) => kfq_store::parse_date(raw)
            .ok_or_else(|| AppError::Invalid(FieldErrors::single("week", "error.date")))?,
    };
    let named = DispatchFilter {
        zone_id: query.zone_id,
        department_id: query.department_id,
        liaison_user_id: query.liaison_user_id,
    };
    Ok(kfq_app::dispatch::sheet(&state.store, &auth.principal, on, named).await?)
}

fn stage_text(code: &str) -> &'static str {
    Stage::from_code(code).map_or("", kfq_ledger_import::stage_label)
}

/// "202406" as "2024年6月".
fn month_text(catalog: &Catalog, what: &str) -> String {
    match what.parse::<i64>() {
        Ok(n) => catalog.format(
            "common.year_month",
            &[
                ("year", &(n / 100).to_string()),
                ("month", &(n % 100).to_string()),
            ],
        ),
        Err(_) => what.to_owned(),
    }
}

fn wan(amount: Option<i64>) -> String {
    amount
        .map(|a| Money::from_yuan(a).wan_string())
        .unwrap_or_default()
}

fn decision_text(catalog: &Catalog, d: &Decision) -> String {
    let mut text = catalog.format(
        "dispatch.decision_text",
        &[
            ("decision", &d.decision),
            ("by", &d.decided_by),
            ("on", &d.meeting_on),
        ],
    );
    if let Some(owner) = &d.owner {
        text.push_str(&catalog.format("dispatch.decision_owner", &[("owner", owner)]));
    }
    if let Some(due) = &d.due_on {
        text.push_str(&catalog.format("dispatch.decision_due", &[("due", due)]));
    }
    text
}

// ---- page ----

#[derive(Template)]
#[template(path = "dispatch/sheet.html")]
struct SheetView {
    page: PageContext,
    sheet: Sheet,
    query: String,
    can_decide: bool,
    today: String,
}

impl SheetView {
    fn stage(&self, code: &str) -> &'static str {
        stage_text(code)
    }

    fn stage_opt(&self, code: &Option<String>) -> &'static str {
        code.as_deref().map_or("", stage_text)
    }

    fn month(&self, what: &str) -> String {
        month_text(self.page.catalog, what)
    }

    fn wan(&self, amount: &Option<i64>) -> String {
        wan(*amount)
    }

    fn decision(&self, d: &Decision) -> String {
        decision_text(self.page.catalog, d)
    }

    fn factor(&self, code: &str) -> String {
        self.page.label("BlockerFactor", code)
    }
}

fn query_string(query: &SheetQuery) -> String {
    serde_urlencoded::to_string(query).unwrap_or_default()
}

async fn sheet_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<SheetQuery>,
) -> AppResult<Response> {
    let sheet = sheet(&state, &auth, &query).await?;
    let view = SheetView {
        page: PageContext::new(Some(&auth), "dispatch"),
        can_decide: auth.principal.can_write_own_zone_data(),
        query: query_string(&query),
        today: today().to_string(),
        sheet,
    };
    Ok(render(&view)?.into_response())
}

fn parse_decision(input: &Input) -> Result<DecisionInput, FieldErrors> {
    let mut e = FieldErrors::new();
    let meeting_on = input.date("meeting_on", &mut e);
    let decided_by = e.check("decided_by", required_text(&input.text("decided_by"), 50));
    let decision = e.check("decision", required_text(&input.text("decision"), 1000));
    let due_on = input.opt_date("due_on", &mut e);
    e.into_result()?;
    let owner = input.text("owner").trim().to_owned();
    Ok(DecisionInput {
        meeting_on: crate::common::day_text(meeting_on),
        decided_by: decided_by.unwrap_or_default(),
        decision: decision.unwrap_or_default(),
        owner: (!owner.is_empty()).then_some(owner),
        due_on: due_on.map(|d| d.to_string()),
    })
}

async fn decide(
    state: &AppState,
    auth: &Auth,
    blocker_id: i64,
    input: &Input,
) -> AppResult<Decision> {
    let blocker = state
        .store
        .blocker(&auth.principal.zone_data_visibility(), blocker_id)
        .await?;
    // Recording a decision is writing to the zone's ledger.
    let project = crate::features::ledger::editable(state, auth, blocker.project_id).await?;
    let proof = crate::features::ledger::zone_write(auth, &project.zone_org_path())?;
    let decision = parse_decision(input)?;
    Ok(state
        .store
        .record_decision(
            &auth.actor(),
            &proof,
            &auth.principal.zone_data_visibility(),
            blocker_id,
            &decision,
        )
        .await?)
}

async fn decide_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    decide(&state, &auth, id, &input).await?;
    let back = input.text("back");
    let back = if back.starts_with("/dispatch") {
        back
    } else {
        "/dispatch".to_owned()
    };
    Ok(see_other(&back))
}

// ---- files ----

/// The sections of the printed sheet: (catalogue key of the heading, the
/// keys of the kinds of line under it).
const SECTIONS: [(&str, &[&str]); 3] = [
    (
        "dispatch.docx.progress",
        &[
            "dispatch.line.stage_change",
            "dispatch.line.milestone_reached",
            "dispatch.line.milestone_missed",
            "dispatch.line.investment",
        ],
    ),
    (
        "dispatch.docx.blockers",
        &["dispatch.line.opened", "dispatch.line.resolved"],
    ),
    (
        "dispatch.decisions",
        &["dispatch.line.overdue", "dispatch.line.due_soon"],
    ),
];

/// Every line of the sheet: its kind (a catalogue key) and (kind, project,
/// zone, date, what, note) in words.
fn lines(catalog: &Catalog, sheet: &Sheet) -> Vec<(&'static str, [String; 6])> {
    let mut lines = Vec::new();
    let mut push = |kind: &'static str, line: [String; 5]| {
        let [project, zone, date, what, note] = line;
        lines.push((
            kind,
            [catalog.t(kind).to_owned(), project, zone, date, what, note],
        ));
    };
    for e in &sheet.stage_changes {
        let from = e.detail.as_deref().map_or("", stage_text);
        push(
            "dispatch.line.stage_change",
            [
                e.project_name.clone(),
                e.zone_name.clone(),
                e.on_date.clone(),
                format!("{from}→{}", stage_text(&e.what)),
                String::new(),
            ],
        );
    }
    for e in &sheet.milestones_reached {
        push(
            "dispatch.line.milestone_reached",
            [
                e.project_name.clone(),
                e.zone_name.clone(),
                e.on_date.clone(),
                e.what.clone(),
                String::new(),
            ],
        );
    }
    for e in &sheet.milestones_missed {
        push(
            "dispatch.line.milestone_missed",
            [
                e.project_name.clone(),
                e.zone_name.clone(),
                e.on_date.clone(),
                e.what.clone(),
                catalog.t("dispatch.line.missed_note").to_owned(),
            ],
        );
    }
    for e in &sheet.investments {
        push(
            "dispatch.line.investment",
            [
                e.project_name.clone(),
                e.zone_name.clone(),
                String::new(),
                month_text(catalog, &e.what),
                catalog.format("dispatch.line.amount", &[("amount", &wan(e.amount))]),
            ],
        );
    }
    for b in &sheet.opened {
        push(
            "dispatch.line.opened",
            [
                b.project_name.clone(),
                b.zone_name.clone(),
                b.raised_on.clone(),
                b.description.clone(),
                b.department_name.clone().unwrap_or_default(),
            ],
        );
    }
    for b in &sheet.resolved {
        push(
            "dispatch.line.resolved",
            [
                b.project_name.clone(),
                b.zone_name.clone(),
                b.resolved_on.clone().unwrap_or_default(),
                b.description.clone(),
                String::new(),
            ],
        );
    }
    for item in &sheet.decisions {
        let b = &item.blocker;
        push(
            if item.overdue {
                "dispatch.line.overdue"
            } else {
                "dispatch.line.due_soon"
            },
            [
                b.project_name.clone(),
                b.zone_name.clone(),
                b.deadline.clone().unwrap_or_default(),
                b.description.clone(),
                item.decisions
                    .iter()
                    .map(|d| decision_text(catalog, d))
                    .collect::<Vec<_>>()
                    .join(catalog.t("common.join.clauses")),
            ],
        );
    }
    lines
}

/// The headers of the printed lines: kind, project, zone, date, what, note.
fn line_headers(catalog: &Catalog) -> [&'static str; 6] {
    [
        catalog.t("dispatch.kind"),
        catalog.t("dispatch.file.project"),
        catalog.t("dispatch.file.zone"),
        catalog.t("dispatch.date"),
        catalog.t("dispatch.what"),
        catalog.t("dispatch.file.note"),
    ]
}

async fn sheet_xlsx(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<SheetQuery>,
) -> AppResult<Response> {
    let sheet = sheet(&state, &auth, &query).await?;
    let catalog = Catalog::zh();
    use kfq_export::ReportCell::{Count, Text};
    let rows: Vec<Vec<kfq_export::ReportCell>> = lines(catalog, &sheet)
        .into_iter()
        .enumerate()
        .map(|(n, (_, l))| {
            let mut row = vec![Count(n as i64 + 1)];
            row.extend(l.into_iter().map(Text));
            row
        })
        .collect();
    let totals = vec![
        Text(catalog.t("common.totals").into()),
        Text(catalog.format("dispatch.file.count", &[("n", &rows.len().to_string())])),
    ];
    let mut headers = vec![catalog.t("common.serial")];
    headers.extend(line_headers(catalog));
    let file_name = catalog.format("dispatch.file.name", &[("from", &sheet.from)]);
    let period = catalog.format(
        "dispatch.file.period",
        &[("from", &sheet.from), ("to", &sheet.to)],
    );
    let bytes = kfq_export::report_workbook(&[kfq_export::ReportSheet {
        name: catalog.t("dispatch.file.sheet"),
        title: &sheet.title,
        unit_note: &period,
        headers: &headers,
        rows: &rows,
        totals: &totals,
        empty: catalog.t("dispatch.file.empty"),
    }])
    .map_err(anyhow::Error::from)?;
    Ok(crate::common::attachment(
        bytes,
        &format!("{file_name}.xlsx"),
        "dispatch.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ))
}

async fn sheet_docx(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<SheetQuery>,
) -> AppResult<Response> {
    let sheet = sheet(&state, &auth, &query).await?;
    let catalog = Catalog::zh();
    use kfq_docx::{Column, Document, Table};
    let all = lines(catalog, &sheet);
    let n = |items: usize| items.to_string();
    let mut doc = Document::new(sheet.title.clone())
        .date(today())
        .heading(1, catalog.t("dispatch.docx.summary_heading"))
        .paragraph(catalog.format(
            "dispatch.docx.summary",
            &[
                ("stage_changes", &n(sheet.stage_changes.len())),
                ("reached", &n(sheet.milestones_reached.len())),
                ("missed", &n(sheet.milestones_missed.len())),
                ("investments", &n(sheet.investments.len())),
                ("opened", &n(sheet.opened.len())),
                ("resolved", &n(sheet.resolved.len())),
                ("decisions", &n(sheet.decisions.len())),
            ],
        ));
    for (heading, kinds) in SECTIONS {
        let rows: Vec<&[String; 6]> = all
            .iter()
            .filter(|(kind, _)| kinds.contains(kind))
            .map(|(_, line)| line)
            .collect();
        doc = doc.heading(1, catalog.t(heading));
        if rows.is_empty() {
            doc = doc.paragraph(catalog.t("dispatch.docx.none"));
            continue;
        }
        let mut table = Table::new([
            Column::center(2),
            Column::left(5),
            Column::left(3),
            Column::center(3),
            Column::left(5),
            Column::left(5),
        ])
        .header_row(line_headers(catalog));
        for l in rows {
            table = table.row(l.iter().cloned());
        }
        doc = doc.table(table);
    }
    let file_name = catalog.format("dispatch.file.name", &[("from", &sheet.from)]);
    Ok(crate::common::attachment(
        doc.to_bytes(),
        &format!("{file_name}.docx"),
        "dispatch.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ))
}

// ---- API ----

#[utoipa::path(get, path = "/api/v1/dispatch", tag = "dispatch", params(SheetQuery),
    responses((status = 200, body = Sheet), (status = 422, body = ApiErrorDoc)))]
pub async fn api_sheet(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<SheetQuery>,
) -> AppResult<Json<Sheet>> {
    Ok(Json(sheet(&state, &auth, &query).await?))
}

/// `{"meeting_on": "2024-06-14", "decided_by": "王主任", "decision": "协调供电公司本月接入",
/// "owner": "经发局", "due_on": "2024-06-30"}`
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    #[schema(required = true, nullable = false)]
    meeting_on: Option<String>,
    #[schema(required = true, nullable = false)]
    decided_by: Option<String>,
    #[schema(required = true, nullable = false)]
    decision: Option<String>,
    owner: Option<String>,
    due_on: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/blockers/{blocker_id}/decisions", tag = "dispatch",
    params(("blocker_id" = i64, Path)), request_body = DecisionBody,
    responses((status = 201, body = Decision), (status = 403, body = ApiErrorDoc), (status = 404, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_decide(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<DecisionBody>,
) -> AppResult<Response> {
    let decision = decide(&state, &auth, id, &input).await?;
    Ok((StatusCode::CREATED, Json(decision)).into_response())
}

/// The API paths of this part, merged into the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(api_sheet, api_decide,))]
pub struct ApiDoc;
