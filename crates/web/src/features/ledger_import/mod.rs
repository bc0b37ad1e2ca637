//! 导入台账: a zone's ledger workbook into kfq. Upload, see what would be
//! created, updated and rejected (and why, by sheet, row and column), correct
//! the column mapping, then commit in one transaction. The upload waits in
//! the database, so any app server can take the next step; the mapping a
//! zone confirms is kept for its next workbook. The same steps serve
//! `kfq import ledger` and the API.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Datelike;
use kfq_domain::{FieldErrors, OrgKind};
use kfq_ledger_import::{Action, Counts, Plan, RowPlan};
use kfq_store::{ImportFile, LedgerImport, OrgFilter, OrgUnit};
use kfq_workbook::{ColumnOverride, Field, ReadOptions, Workbook};
use serde::Deserialize;

use crate::auth::Auth;
use crate::common::{allow, PathId};
use crate::error::{ApiErrorDoc, AppResult};
use crate::input::Input;
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use kfq_app::access::ZoneTarget;
use kfq_app::clock::today;
use kfq_app::i18n::Catalog;
use kfq_app::ledger::import::{commit, prepare, prepare_upload, report, Choices, ImportReport};

pub fn routes() -> Routes {
    Routes::new()
        .get("/projects/import", start_page)
        .upload("/projects/import", upload_page)
        .get("/projects/import/{upload_id}", plan_page)
        .post("/projects/import/{upload_id}", remap_page)
        .post("/projects/import/{upload_id}/commit", commit_page)
        .post("/projects/import/{upload_id}/discard", discard_page)
        .get("/api/v1/ledger-imports", api_list)
        .upload("/api/v1/ledger-imports", api_import)
}

/// The mapping as corrected on the page: `col_{sheet}_{column}` holds a field
/// code or "-" for a column to leave out.
fn mapping_from(input: &Input, book: &Workbook, base: &ReadOptions) -> ReadOptions {
    let mut read = base.clone();
    for (s, sheet) in book.sheets.iter().enumerate() {
        for c in &sheet.columns {
            let key = format!("col_{s}_{}", c.index);
            if !input.has(&key) {
                continue;
            }
            let field = Field::from_code(input.text(&key).trim());
            // A column left as it was read is no correction: the reading
            // made with these options stands.
            if field == c.field {
                continue;
            }
            read.columns.retain(|o| {
                !(o.sheet.as_deref() == Some(sheet.name.as_str())
                    && o.column.as_deref() == Some(c.column.as_str()))
            });
            read.columns.push(ColumnOverride {
                sheet: Some(sheet.name.clone()),
                column: Some(c.column.clone()),
                header: None,
                field,
                unit: None,
            });
        }
    }
    read
}

/// The year (2000–2100) and month (1–12) chosen: out of range is a field
/// error, never ignored.
fn choices_from(input: &Input, errors: &mut FieldErrors) -> Choices {
    let month = input.opt_int("month", errors);
    let month = month.and_then(|m| u8::try_from(m).ok().filter(|m| (1..=12).contains(m)));
    if input.opt_int("month", &mut FieldErrors::new()).is_some() && month.is_none() {
        errors.add("month", "error.month");
    }
    Choices {
        year: input.opt_year("year", errors),
        month,
        blockers: input.flag("blockers"),
        mapping: None,
    }
}

/// The zone (or city) an upload goes into, if the user may write there.
async fn writable_org(state: &AppState, auth: &Auth, org_id: i64) -> AppResult<ZoneTarget> {
    Ok(ZoneTarget::check(&state.store, &auth.principal, org_id).await?)
}

// ---- pages ----

#[derive(Template)]
#[template(path = "projects/import.html")]
struct StartView {
    page: PageContext,
    zones: Vec<(i64, String)>,
    year: i32,
    imports: Vec<LedgerImport>,
    errors: Vec<String>,
}

#[derive(Deserialize)]
struct StartQuery {
    zone_id: Option<i64>,
    notice: Option<String>,
}

/// The zones the user may write the data of.
pub(crate) async fn writable_zones(state: &AppState, auth: &Auth) -> AppResult<Vec<OrgUnit>> {
    let filter = OrgFilter {
        kind: Some(OrgKind::Zone),
        ..Default::default()
    };
    Ok(state
        .store
        .orgs(&auth.principal.org_visibility(), &filter, 0, 10_000)
        .await?
        .items
        .into_iter()
        .filter(|z| auth.principal.can_write_zone_data(&z.org_path()))
        .collect())
}

async fn start_view(
    state: &AppState,
    auth: &Auth,
    zone_id: Option<i64>,
    notice: Option<&str>,
    errors: Vec<String>,
) -> AppResult<StartView> {
    let zones = writable_zones(state, auth).await?;
    allow(!zones.is_empty())?;
    let chosen = zone_id
        .filter(|id| zones.iter().any(|z| z.id == *id))
        .unwrap_or(zones[0].id);
    let imports = state
        .store
        .ledger_imports(&auth.principal.org_visibility(), chosen, 20)
        .await?;
    let mut zones: Vec<(i64, String)> = zones.into_iter().map(|z| (z.id, z.name)).collect();
    // The zone whose history is shown comes first in the list.
    zones.sort_by_key(|(id, _)| *id != chosen);
    Ok(StartView {
        page: PageContext::new(Some(auth), "projects").with_notice(notice),
        zones,
        year: today().year(),
        imports,
        errors,
    })
}

async fn start_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<StartQuery>,
) -> AppResult<Response> {
    let view = start_view(
        &state,
        &auth,
        query.zone_id,
        query.notice.as_deref(),
        vec![],
    )
    .await?;
    Ok(render(&view)?.into_response())
}

/// The file and the fields of the upload form (the token comes in the query).
pub(crate) struct Upload {
    pub(crate) fields: Vec<(String, String)>,
    pub(crate) file: Option<(String, Vec<u8>)>,
}

/// An upload waiting for its commit, found within the caller's sight and
/// only by its uploader (to anyone else it does not exist).
pub(crate) async fn own_upload(
    state: &AppState,
    auth: &Auth,
    id: i64,
) -> AppResult<kfq_store::ImportUpload> {
    let upload = state
        .store
        .upload(&auth.principal.org_visibility(), id)
        .await?;
    if upload.user_id != Some(auth.principal.user_id) {
        return Err(crate::error::AppError::NotFound);
    }
    Ok(upload)
}

pub(crate) async fn read_multipart(mut form: Multipart) -> AppResult<Upload> {
    let mut upload = Upload {
        fields: Vec::new(),
        file: None,
    };
    while let Some(field) = form.next_field().await? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await?;
        match (name.as_str(), file_name) {
            ("file", Some(file_name)) if !bytes.is_empty() => {
                upload.file = Some((file_name, bytes.to_vec()));
            }
            ("file", _) => {}
            _ => upload
                .fields
                .push((name, String::from_utf8_lossy(&bytes).into_owned())),
        }
    }
    let file_name = upload.file.as_ref().map(|(n, _)| ("file", n.as_str()));
    crate::input::refuse_forbidden(
        upload
            .fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain(file_name),
    )?;
    Ok(upload)
}

impl Upload {
    /// Refuses a field the form does not have, as a JSON body's unknown field is.
    pub(crate) fn refuse_unknown(&self, known: &[&str], errors: &mut FieldErrors) {
        for (name, _) in &self.fields {
            if !known.contains(&name.as_str()) {
                errors.add(name, "error.field.unknown");
            }
        }
    }

    pub(crate) fn input(&self) -> Input {
        let encoded = self
            .fields
            .iter()
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    crate::layout::urlencode(k),
                    crate::layout::urlencode(v)
                )
            })
            .collect::<Vec<_>>()
            .join("&");
        Input::from_form(encoded.as_bytes())
            .unwrap_or_else(|_| Input::from_form(b"").expect("empty form"))
    }
}

async fn upload_page(
    State(state): State<AppState>,
    auth: Auth,
    form: Multipart,
) -> AppResult<Response> {
    let upload = read_multipart(form).await?;
    let input = upload.input();
    let mut e = FieldErrors::new();
    let zone_id = input.int("zone_id", &mut e);
    if upload.file.is_none() {
        e.add("file", "error.required");
    }
    let choices = choices_from(&input, &mut e);
    if let Err(errors) = e.into_result() {
        let messages = crate::error::messages(&errors);
        let view = start_view(&state, &auth, zone_id, None, messages).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&view)?).into_response());
    }
    let zone = writable_org(&state, &auth, zone_id.unwrap_or_default()).await?;
    let (name, bytes) = upload.file.unwrap_or_default();
    let id = state
        .store
        .save_upload(zone.org().id, Some(auth.principal.user_id), &name, &bytes)
        .await?;
    let mut query = Vec::new();
    if let Some(year) = choices.year {
        query.push(format!("year={year}"));
    }
    if let Some(month) = choices.month {
        query.push(format!("month={month}"));
    }
    if choices.blockers {
        query.push("blockers=1".into());
    }
    Ok(see_other(&format!(
        "/projects/import/{id}?{}",
        query.join("&")
    )))
}

#[derive(Template)]
#[template(path = "projects/import_plan.html")]
struct PlanView {
    page: PageContext,
    upload_id: i64,
    /// Which rows are shown, and the rows of this page.
    rows: Rows,
    shown: Shown,
    file: ImportFile,
    zone_name: String,
    year: i32,
    month: Option<u8>,
    blockers: bool,
    book: Workbook,
    plan: Plan,
    counts: Counts,
    fields: Vec<(&'static str, &'static str)>,
    errors: Vec<String>,
}

impl PlanView {
    /// The page's address with another filter or page: the year, month and
    /// blockers chosen are kept.
    fn link(&self, show: impl std::borrow::Borrow<Show>, page: usize) -> String {
        let show = *show.borrow();
        let mut query = vec![format!("year={}", self.year)];
        if let Some(m) = self.month {
            query.push(format!("month={m}"));
        }
        if self.blockers {
            query.push("blockers=1".into());
        }
        if show != Show::All {
            query.push(format!("show={}", show.code()));
        }
        if page > 1 {
            query.push(format!("page={page}"));
        }
        format!("/projects/import/{}?{}", self.upload_id, query.join("&"))
    }

    /// The filters with their labels and how many rows each has.
    fn filters(&self) -> Vec<(Show, &'static str, usize)> {
        let c = self.counts;
        Show::ALL
            .into_iter()
            .map(|s| {
                let n = match s {
                    Show::All => self.plan.rows.len(),
                    Show::Reject => c.reject,
                    Show::Create => c.create,
                    Show::Update => c.update,
                };
                (s, self.page.t(s.label_key()), n)
            })
            .collect()
    }

    /// The page shown (within the pages there are).
    fn page_number(&self) -> usize {
        self.rows.page.clamp(1, self.shown.pages)
    }

    fn summary(&self) -> String {
        let c = self.counts;
        let n = |v: usize| v.to_string();
        self.page.catalog.format(
            "project.import_counts",
            &[
                ("create", &n(c.create)),
                ("update", &n(c.update)),
                ("unchanged", &n(c.unchanged)),
                ("reject", &n(c.reject)),
                ("months", &n(c.months)),
                ("blockers", &n(c.blockers)),
            ],
        )
    }

    fn action_label(&self, row: &RowPlan) -> &'static str {
        self.page.t(match row.action {
            Action::Create => "project.import_action.create",
            Action::Update { .. } => "project.import_action.update",
            Action::Unchanged { .. } => "project.import_action.unchanged",
            Action::Reject => "project.import_action.reject",
        })
    }

    fn action_class(&self, row: &RowPlan) -> &'static str {
        match row.action {
            Action::Create => "rag-green",
            Action::Update { .. } => "rag-yellow",
            Action::Unchanged { .. } => "",
            Action::Reject => "rag-red",
        }
    }

    fn field_code(&self, field: &Option<Field>) -> &'static str {
        field.map_or("-", Field::code)
    }

    fn details(&self, row: &RowPlan) -> Vec<String> {
        let catalog = self.page.catalog;
        let shown = |text: &str| -> String {
            if text.is_empty() {
                catalog.t("project.import_row.empty").to_owned()
            } else {
                text.to_owned()
            }
        };
        let mut lines: Vec<String> = row
            .changes
            .iter()
            .map(|c| {
                catalog.format(
                    "project.import_row.change",
                    &[
                        ("field", c.label),
                        ("before", &shown(&c.before)),
                        ("after", &shown(&c.after)),
                    ],
                )
            })
            .collect();
        if let (Some((stage, date)), Action::Update { .. }) = (row.stage, &row.action) {
            lines.push(catalog.format(
                "project.import_row.stage",
                &[
                    ("stage", kfq_ledger_import::stage_label(stage)),
                    ("date", &date.to_string()),
                ],
            ));
        }
        if let Some(planned) = row.planned {
            lines.push(catalog.format(
                "project.import_row.plan",
                &[
                    ("year", &row.year.to_string()),
                    ("amount", &planned.wan_string()),
                ],
            ));
        }
        for (key, day) in [
            ("project.import_row.target_start", row.targets.start),
            (
                "project.import_row.target_production",
                row.targets.production,
            ),
        ] {
            if let Some(day) = day {
                lines.push(catalog.format(
                    key,
                    &[("year", &row.year.to_string()), ("date", &day.to_string())],
                ));
            }
        }
        if let Some(o) = &row.opening {
            lines.push(catalog.format(
                "project.import_row.opening",
                &[
                    ("amount", &o.amount.wan_string()),
                    ("as_of", &o.as_of.to_string()),
                ],
            ));
        }
        if let Some(m) = &row.month {
            lines.push(catalog.format(
                "project.import_row.month",
                &[
                    ("year", &m.year.to_string()),
                    ("month", &m.month.to_string()),
                    ("amount", &m.amount.wan_string()),
                    ("ytd", &m.ytd.wan_string()),
                ],
            ));
        }
        if let Some((_, description)) = &row.blocker {
            lines.push(catalog.format(
                "project.import_row.blocker",
                &[("description", description)],
            ));
        }
        lines
    }
}

async fn plan_view(
    state: &AppState,
    auth: &Auth,
    upload_id: i64,
    choices: &Choices,
    rows: Rows,
    errors: Vec<String>,
) -> AppResult<PlanView> {
    let upload = state
        .store
        .upload(&auth.principal.org_visibility(), upload_id)
        .await?;
    let org = writable_org(state, auth, upload.org_id).await?;
    let prepared = prepare_upload(&state.store, &org, &upload, choices, today()).await?;
    let shown = rows.of(&prepared.plan.rows);
    Ok(PlanView {
        shown,
        rows,
        page: PageContext::new(Some(auth), "projects"),
        upload_id,
        file: upload.file,
        zone_name: org.org().name.clone(),
        year: prepared.year,
        month: prepared.month,
        blockers: choices.blockers,
        counts: prepared.plan.counts(),
        book: prepared.book,
        plan: prepared.plan,
        fields: Field::ALL.iter().map(|f| (f.code(), f.label())).collect(),
        errors,
    })
}

#[derive(Deserialize)]
struct PlanQuery {
    year: Option<i32>,
    month: Option<u8>,
    blockers: Option<String>,
    show: Option<String>,
    page: Option<usize>,
}

/// Rows of the plan shown per page: a province's workbook has 100,000.
const ROWS_PER_PAGE: usize = 200;

/// Which rows of the plan the page shows: all, or those of one result, a
/// page at a time.
#[derive(Debug, Clone, Default)]
struct Rows {
    show: Show,
    page: usize,
}

/// Which rows of an import's plan to show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Show {
    #[default]
    All,
    Reject,
    Create,
    Update,
}

impl Show {
    const ALL: [Show; 4] = [Show::All, Show::Reject, Show::Create, Show::Update];

    fn code(self) -> &'static str {
        match self {
            Show::All => "all",
            Show::Reject => "reject",
            Show::Create => "create",
            Show::Update => "update",
        }
    }

    fn label_key(self) -> &'static str {
        match self {
            Show::All => "project.import_show.all",
            Show::Reject => "project.import_show.reject",
            Show::Create => "project.import_show.create",
            Show::Update => "project.import_show.update",
        }
    }

    fn takes(self, row: &RowPlan) -> bool {
        match self {
            Show::All => true,
            Show::Reject => matches!(row.action, Action::Reject),
            Show::Create => matches!(row.action, Action::Create),
            Show::Update => matches!(row.action, Action::Update { .. }),
        }
    }
}

/// The rows of one page, and where it lies among all that match.
struct Shown {
    rows: Vec<RowPlan>,
    matching: usize,
    pages: usize,
}

impl Rows {
    fn from_query(show: Option<&str>, page: Option<usize>) -> Rows {
        Rows {
            show: Show::ALL
                .into_iter()
                .find(|s| Some(s.code()) == show)
                .unwrap_or_default(),
            page: page.unwrap_or(1).max(1),
        }
    }

    fn of(&self, all: &[RowPlan]) -> Shown {
        let matching = all.iter().filter(|r| self.show.takes(r)).count();
        let pages = matching.div_ceil(ROWS_PER_PAGE).max(1);
        let page = self.page.clamp(1, pages);
        let rows = all
            .iter()
            .filter(|r| self.show.takes(r))
            .skip((page - 1) * ROWS_PER_PAGE)
            .take(ROWS_PER_PAGE)
            .cloned()
            .collect();
        Shown {
            rows,
            matching,
            pages,
        }
    }
}

async fn plan_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Query(query): Query<PlanQuery>,
) -> AppResult<Response> {
    let choices = Choices {
        year: query.year,
        month: query.month.filter(|m| (1..=12).contains(m)),
        blockers: query.blockers.is_some_and(|b| !b.is_empty() && b != "0"),
        mapping: None,
    };
    let rows = Rows::from_query(query.show.as_deref(), query.page);
    Ok(render(&plan_view(&state, &auth, id, &choices, rows, vec![]).await?)?.into_response())
}

/// The choices and the corrected mapping of a submitted plan form.
async fn choices_with_mapping(
    state: &AppState,
    auth: &Auth,
    id: i64,
    input: &Input,
) -> AppResult<(Choices, kfq_store::ImportUpload, ZoneTarget)> {
    let mut errors = FieldErrors::new();
    let mut choices = choices_from(input, &mut errors);
    errors.into_result()?;
    let upload = state
        .store
        .upload(&auth.principal.org_visibility(), id)
        .await?;
    let org = writable_org(state, auth, upload.org_id).await?;
    // The reading the form was drawn from, to know the columns it speaks of.
    let before = prepare_upload(&state.store, &org, &upload, &choices, today()).await?;
    choices.mapping = Some(mapping_from(input, &before.book, &before.read));
    Ok((choices, upload, org))
}

async fn remap_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    let (choices, _, _) = choices_with_mapping(&state, &auth, id, &input).await?;
    let view = plan_view(&state, &auth, id, &choices, Rows::default(), vec![]).await?;
    Ok(render(&view)?.into_response())
}

async fn commit_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    let (choices, upload, org) = choices_with_mapping(&state, &auth, id, &input).await?;
    let prepared = prepare_upload(&state.store, &org, &upload, &choices, today()).await?;
    let only_valid = input.flag("only_valid");
    match commit(
        &state.store,
        &auth.actor(),
        &org,
        &prepared,
        &upload.file,
        only_valid,
    )
    .await
    {
        Ok(import) => {
            state.store.drop_upload(upload.id).await?;
            Ok(see_other(&format!(
                "/projects/import?zone_id={}&notice=imported",
                import.org_id
            )))
        }
        Err(kfq_app::Error::Invalid(errors)) => {
            let messages = crate::error::messages(&errors);
            let view = plan_view(&state, &auth, id, &choices, Rows::default(), messages).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&view)?).into_response())
        }
        Err(kfq_app::Error::Conflict) => {
            let view = plan_view(
                &state,
                &auth,
                id,
                &choices,
                Rows::default(),
                vec![Catalog::zh().t("error.import.stale").to_owned()],
            )
            .await?;
            Ok((StatusCode::CONFLICT, render(&view)?).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// Drops a waiting upload without importing it: it no longer counts
/// against the user's quota.
async fn discard_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    let upload = state
        .store
        .upload(&auth.principal.org_visibility(), id)
        .await?;
    let org = writable_org(&state, &auth, upload.org_id).await?;
    state.store.drop_upload(upload.id).await?;
    Ok(see_other(&format!(
        "/projects/import?zone_id={}&notice=discarded",
        org.org().id
    )))
}

// ---- API ----

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ImportsQuery {
    /// The zone (or city) whose imports to list.
    pub zone_id: i64,
}

#[utoipa::path(get, path = "/api/v1/ledger-imports", tag = "ledger", params(ImportsQuery),
    responses((status = 200, body = Vec<LedgerImport>), (status = 404, body = ApiErrorDoc)))]
pub async fn api_list(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<ImportsQuery>,
) -> AppResult<Json<Vec<LedgerImport>>> {
    let org = state
        .store
        .org(&auth.principal.org_visibility(), query.zone_id)
        .await?;
    Ok(Json(
        state
            .store
            .ledger_imports(&auth.principal.org_visibility(), org.id, 100)
            .await?,
    ))
}

/// The multipart form of an import, as it is read.
#[derive(utoipa::ToSchema)]
pub struct ImportForm {
    /// The zone (or a city: then each row names its zone).
    zone_id: i64,
    /// The workbook: .xlsx, .xls or .csv.
    #[schema(value_type = String, format = Binary)]
    file: (String, Vec<u8>),
    /// The ledger's year (default: from the title or headers; one out of
    /// 2000–2100 is not taken).
    year: Option<i32>,
    /// N of "1-N月" (default: from the headers or title).
    month: Option<u8>,
    /// Turn 存在问题 into blockers ("true", "1" or "on").
    #[schema(required = false)]
    blockers: bool,
    /// Write the valid rows even when some are rejected.
    #[schema(required = false)]
    only_valid: bool,
    /// Write (otherwise a dry run).
    #[schema(required = false)]
    commit: bool,
    /// A mapping (kfq-workbook ReadOptions as JSON) over the saved one.
    #[schema(value_type = Option<String>)]
    mapping: Option<ReadOptions>,
}

impl ImportForm {
    const FIELDS: &[&str] = &[
        "zone_id",
        "year",
        "month",
        "blockers",
        "only_valid",
        "commit",
        "mapping",
    ];

    async fn read(form: Multipart) -> AppResult<ImportForm> {
        let upload = read_multipart(form).await?;
        let input = upload.input();
        let mut e = FieldErrors::new();
        upload.refuse_unknown(Self::FIELDS, &mut e);
        let zone_id = input.int("zone_id", &mut e);
        if upload.file.is_none() {
            e.add("file", "error.required");
        }
        let choices = choices_from(&input, &mut e);
        let mapping = input.text("mapping");
        let mapping = if mapping.trim().is_empty() {
            None
        } else {
            serde_json::from_str::<ReadOptions>(&mapping)
                .inspect_err(|_| e.add("mapping", "error.format"))
                .ok()
        };
        e.into_result()?;
        Ok(ImportForm {
            zone_id: zone_id.unwrap_or_default(),
            file: upload.file.unwrap_or_default(),
            year: choices.year,
            month: choices.month,
            blockers: choices.blockers,
            only_valid: input.flag("only_valid"),
            commit: input.flag("commit"),
            mapping,
        })
    }
}

/// The rows an import's report carries: a province's workbook has 100,000.
const API_ROWS_DEFAULT: usize = 1_000;
const API_ROWS_MAX: usize = 10_000;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct RowsQuery {
    /// Which rows to return (all by default); the counts cover all rows.
    #[param(inline)]
    show: Option<Show>,
    /// From the n-th of those rows (0 by default).
    offset: Option<usize>,
    /// At most this many rows (1–10,000; 1,000 by default).
    limit: Option<usize>,
}

#[utoipa::path(post, path = "/api/v1/ledger-imports", tag = "ledger", params(RowsQuery),
    request_body(content = ImportForm, content_type = "multipart/form-data"),
    responses((status = 200, body = ImportReport, description = "dry run"), (status = 201, body = ImportReport, description = "committed"),
        (status = 403, body = ApiErrorDoc), (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_import(
    State(state): State<AppState>,
    auth: Auth,
    Query(rows): Query<RowsQuery>,
    form: Multipart,
) -> AppResult<Response> {
    let limit = rows.limit.unwrap_or(API_ROWS_DEFAULT);
    if !(1..=API_ROWS_MAX).contains(&limit) {
        return Err(FieldErrors::single("limit", "error.rows_limit").into());
    }
    let (show, offset) = (rows.show.unwrap_or_default(), rows.offset.unwrap_or(0));
    let page = move |r: ImportReport| r.page(|row| show.takes(row), offset, limit);
    let form = ImportForm::read(form).await?;
    let org = writable_org(&state, &auth, form.zone_id).await?;
    let choices = Choices {
        year: form.year,
        month: form.month,
        blockers: form.blockers,
        mapping: form.mapping,
    };
    let (name, bytes) = form.file;
    let file = ImportFile::of(&name, &bytes);
    let prepared = prepare(&state.store, &org, &name, &bytes, &choices, today()).await?;
    if !form.commit {
        return Ok(Json(page(report(prepared, &file, None))).into_response());
    }
    let import = commit(
        &state.store,
        &auth.actor(),
        &org,
        &prepared,
        &file,
        form.only_valid,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(page(report(prepared, &file, Some(import)))),
    )
        .into_response())
}

/// The API paths of this part, merged into the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(api_list, api_import,))]
pub struct ApiDoc;
