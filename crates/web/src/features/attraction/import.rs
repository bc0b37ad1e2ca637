//! 导入招商项目台账: upload a zone's workbook of leads, see what each row
//! becomes (a new lead, a lead moved on, or why it cannot be taken) with
//! the columns as read and the choices for what the sheet leaves out,
//! correct the mapping, then commit it all in one transaction. The API
//! twin takes the same form and answers the plan, or what it did.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kfq_app::attraction::import::{self, Prepared};
use kfq_app::clock::today;
use kfq_attraction::import::{Action, Choices, Counts, RowPlan, Said};
use kfq_attraction::{AgreementKind, Source};
use kfq_domain::FieldErrors;
use kfq_store::OrgUnit;
use kfq_workbook::attraction::{LeadColumnChoice, LeadField, LeadReadOptions, LeadSheet};
use kfq_workbook::Unit;
use serde::Serialize;

use super::{code_options, working_zones};
use crate::auth::Auth;
use crate::common::{allow, PathId};
use crate::error::{ApiErrorDoc, AppError, AppResult};
use crate::features::ledger_import::{own_upload as upload_of, read_multipart};
use crate::input::Input;
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;

pub fn routes() -> Routes {
    Routes::new()
        .get("/attraction/import", start_page)
        .upload("/attraction/import", upload_page)
        .get("/attraction/import/{upload_id}", preview_page)
        .post("/attraction/import/{upload_id}", act_page)
        .upload("/api/v1/attraction/import", api_import)
}

/// The zones the caller imports into: those whose every lead they work.
async fn import_zones(state: &AppState, auth: &Auth) -> AppResult<Vec<OrgUnit>> {
    Ok(working_zones(state, auth)
        .await?
        .into_iter()
        .filter(|z| {
            auth.principal
                .lead_write(&z.org_path())
                .is_some_and(|p| p.only_of().is_none())
        })
        .collect())
}

/// The money units a sheet's amounts may be written in.
const UNITS: [Unit; 3] = [Unit::Wan, Unit::Yi, Unit::Yuan];

fn unit_code(u: Unit) -> &'static str {
    match u {
        Unit::Yi => "yi",
        Unit::Yuan => "yuan",
        _ => "wan",
    }
}

fn unit_of(code: &str) -> Option<Unit> {
    UNITS.into_iter().find(|u| unit_code(*u) == code)
}

/// What the form says besides the file: the choices for what the sheet
/// leaves out, the money unit and the mapping corrected by hand.
fn choices_from(input: &Input, e: &mut FieldErrors) -> (Choices, Option<LeadReadOptions>) {
    let choices = Choices {
        source: input.opt_choice("source", Source::from_code, e),
        agreement: input.opt_choice("agreement", AgreementKind::from_code, e),
        signed_for_investment: input.flag("signed_for_investment"),
    };
    let money_unit = input.opt_choice("money_unit", unit_of, e);
    let headers = input.list("map_h");
    let fields = input.list("map_f");
    if headers.len() != fields.len() {
        e.add("map_f", "error.choice");
    }
    let mut columns = Vec::new();
    for (header, field) in headers.iter().zip(&fields) {
        let field = match field.as_str() {
            "" | "-" => None,
            code => match LeadField::from_code(code) {
                Some(f) => Some(f),
                None => {
                    e.add("map_f", "error.choice");
                    continue;
                }
            },
        };
        if !columns
            .iter()
            .any(|c: &LeadColumnChoice| &c.header == header)
        {
            columns.push(LeadColumnChoice {
                header: header.clone(),
                field,
            });
        }
    }
    let read = (!columns.is_empty() || money_unit.is_some()).then_some(LeadReadOptions {
        columns,
        money_unit,
    });
    (choices, read)
}

/// The zone an upload goes into: the caller's only one unless the form
/// names another, else the one the form names.
fn zone_asked(zones: &[OrgUnit], input: &Input, e: &mut FieldErrors) -> Option<i64> {
    match zones {
        [only] if !input.has("zone_id") => Some(only.id),
        _ => input.int("zone_id", e),
    }
}

/// A plan's word in the user's language.
fn said(catalog: &kfq_app::i18n::Catalog, s: &Said) -> String {
    match s {
        Said::Key { key, .. } => catalog.t(key).to_owned(),
        Said::Text { text } => text.clone(),
    }
}

// ---- pages ----

#[derive(Template)]
#[template(path = "attraction/import.html")]
struct StartView {
    page: PageContext,
    zones: Vec<OrgUnit>,
    zone_id: Option<i64>,
    errors: Vec<String>,
}

impl StartView {
    fn chosen(&self, id: &i64) -> bool {
        self.zone_id == Some(*id)
    }
}

async fn start_page(State(state): State<AppState>, auth: Auth) -> AppResult<Response> {
    let zones = import_zones(&state, &auth).await?;
    allow(!zones.is_empty())?;
    let view = StartView {
        page: PageContext::new(Some(&auth), "attraction"),
        zone_id: zones.first().map(|z| z.id),
        zones,
        errors: vec![],
    };
    Ok(render(&view)?.into_response())
}

async fn upload_page(
    State(state): State<AppState>,
    auth: Auth,
    form: Multipart,
) -> AppResult<Response> {
    let zones = import_zones(&state, &auth).await?;
    allow(!zones.is_empty())?;
    let upload = read_multipart(form).await?;
    let input = upload.input();
    let mut e = FieldErrors::new();
    let zone_id = zone_asked(&zones, &input, &mut e);
    let zone = zone_id.and_then(|z| zones.iter().find(|u| u.id == z));
    if zone.is_none() && zone_id.is_some() {
        e.add("zone_id", "error.lead.zone");
    }
    if upload.file.is_none() {
        e.add("file", "error.lead_import.upload");
    }
    let (Some(zone), Some((name, bytes)), true) = (zone, upload.file.as_ref(), e.is_empty()) else {
        let view = StartView {
            page: PageContext::new(Some(&auth), "attraction"),
            zone_id,
            zones,
            errors: crate::error::messages(&e),
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&view)?).into_response());
    };
    let id = state
        .store
        .save_upload(zone.id, Some(auth.principal.user_id), name, bytes)
        .await?;
    Ok(see_other(&format!("/attraction/import/{id}")))
}

#[derive(Template)]
#[template(path = "attraction/import_plan.html")]
struct PlanView {
    page: PageContext,
    upload_id: i64,
    file_name: String,
    prepared: Prepared,
    counts: Counts,
    errors: Vec<String>,
    fields: Vec<(&'static str, &'static str)>,
    sources: Vec<(String, String)>,
    agreements: Vec<(String, String)>,
}

impl PlanView {
    fn said(&self, s: &Said) -> String {
        said(self.page.catalog, s)
    }

    fn action_label(&self, row: &RowPlan) -> &str {
        self.page.t(match row.action {
            Action::Create => "lead_import.create",
            Action::Update => "lead_import.update",
            Action::Unchanged => "lead_import.unchanged",
            Action::Rejected => "lead_import.rejected",
        })
    }

    fn action_class(&self, row: &RowPlan) -> &'static str {
        match row.action {
            Action::Create => "rag-green",
            Action::Update => "rag-yellow",
            Action::Unchanged => "",
            Action::Rejected => "rag-red",
        }
    }

    fn stage_label(&self, row: &RowPlan) -> String {
        row.stage
            .map(|s| self.page.label("LeadStage", s))
            .unwrap_or_default()
    }

    fn field_code(&self, field: &Option<LeadField>) -> &'static str {
        field.map_or("-", LeadField::code)
    }

    fn unit_label(&self, sheet: &LeadSheet, letter: &str) -> String {
        sheet
            .columns
            .iter()
            .find(|c| c.column == letter)
            .and_then(|c| c.unit)
            .map(|u| u.label().to_owned())
            .unwrap_or_default()
    }

    /// A sheet with a column not read: its mapping is shown open.
    fn unread(&self, sheet: &LeadSheet) -> bool {
        sheet.columns.iter().any(|c| c.field.is_none())
    }

    fn source_chosen(&self) -> &str {
        self.prepared.choices.source.map_or("", |s| s.code())
    }

    fn agreement_chosen(&self) -> &str {
        self.prepared.choices.agreement.map_or("", |a| a.code())
    }

    fn unit_is(&self, code: &str) -> bool {
        self.prepared.options.money_unit.map(unit_code) == Some(code)
    }

    fn units(&self) -> Vec<(&'static str, &'static str)> {
        UNITS.iter().map(|u| (unit_code(*u), u.label())).collect()
    }
}

async fn plan_view(
    state: &AppState,
    auth: &Auth,
    id: i64,
    choices: Choices,
    options: Option<LeadReadOptions>,
    errors: Vec<String>,
) -> AppResult<PlanView> {
    let upload = upload_of(state, auth, id).await?;
    let prepared = import::prepare(
        &state.store,
        &auth.principal,
        upload.org_id,
        &upload.file.name,
        &upload.bytes,
        options,
        choices,
        today(),
    )
    .await?;
    let page = PageContext::new(Some(auth), "attraction");
    Ok(PlanView {
        counts: prepared.plan.counts(),
        upload_id: id,
        file_name: upload.file.name,
        prepared,
        errors,
        fields: LeadField::ALL
            .iter()
            .filter(|f| **f != LeadField::Serial)
            .map(|f| (f.code(), f.label()))
            .collect(),
        sources: code_options(&page, "Source", Source::ALL, ""),
        agreements: code_options(&page, "AgreementKind", AgreementKind::ALL, ""),
        page,
    })
}

async fn preview_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    let view = plan_view(&state, &auth, id, Choices::default(), None, vec![]).await?;
    Ok(render(&view)?.into_response())
}

/// 重新识别 (the plan again with the choices and mapping of the form), or
/// 确认导入.
async fn act_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    let mut e = FieldErrors::new();
    let (choices, options) = choices_from(&input, &mut e);
    if !e.is_empty() {
        let view = plan_view(
            &state,
            &auth,
            id,
            choices,
            options,
            crate::error::messages(&e),
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&view)?).into_response());
    }
    if input.text("commit").is_empty() {
        let view = plan_view(&state, &auth, id, choices, options, vec![]).await?;
        return Ok(render(&view)?.into_response());
    }
    let view = plan_view(&state, &auth, id, choices, options, vec![]).await?;
    match import::commit(
        &state.store,
        &auth.actor(),
        &view.prepared,
        input.flag("only_valid"),
    )
    .await
    {
        Ok(_) => {
            state.store.drop_upload(id).await?;
            Ok(see_other(&format!(
                "/attraction?zone_id={}&notice=leads_imported",
                view.prepared.zone.id
            )))
        }
        Err(kfq_app::Error::Invalid(errors)) => {
            let view = PlanView {
                errors: crate::error::messages(&errors),
                ..view
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&view)?).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

// ---- API ----

/// What a 招商项目台账 gives, row by row, and what was done with it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LeadImportReport {
    pub zone_id: i64,
    pub file_name: String,
    /// Rows by what they become: create, update, unchanged, rejected.
    #[schema(value_type = Object)]
    pub counts: Counts,
    /// What the whole file lacks or leaves out, in Chinese.
    pub notes: Vec<String>,
    /// Per sheet: its title, header rows and the field of each column.
    #[schema(value_type = Vec<Object>)]
    pub sheets: Vec<LeadSheetColumns>,
    /// Every row: the lead it creates or changes, or why it cannot.
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<RowReport>,
    /// The leads created and updated, when committed.
    pub created: Option<Vec<i64>>,
    pub updated: Option<Vec<i64>>,
}

#[derive(Serialize)]
pub struct LeadSheetColumns {
    pub name: String,
    pub title: Option<String>,
    pub header_rows: Vec<u32>,
    pub columns: Vec<kfq_workbook::attraction::LeadColumn>,
    pub skipped: Vec<kfq_workbook::SkippedRow>,
}

#[derive(Serialize)]
pub struct RowReport {
    pub sheet: String,
    pub row: u32,
    pub name: Option<String>,
    pub investor: Option<String>,
    pub action: Action,
    pub stage: Option<String>,
    pub changes: Vec<String>,
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

/// The multipart form, as it is read.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct LeadImportForm {
    /// The 招商项目台账: .xlsx, .xls or .csv.
    #[schema(value_type = String, format = Binary)]
    file: (String, Vec<u8>),
    /// The zone (needed when the caller imports into several).
    zone_id: Option<i64>,
    /// The source of rows that name none (visit_out, via_business, chain, fair, agency, from_above, top_leader).
    source: Option<String>,
    /// The agreement of signed rows that name none (framework, formal).
    agreement: Option<String>,
    /// "true": a signed row without 签约额 is signed for its 投资额.
    signed_for_investment: Option<bool>,
    /// The unit of amounts whose header names none: wan (default), yi, yuan.
    money_unit: Option<String>,
    /// "true": leave refused rows out instead of refusing the file.
    only_valid: Option<bool>,
    /// "true": commit; otherwise a dry run.
    commit: Option<bool>,
}

#[utoipa::path(post, path = "/api/v1/attraction/import", tag = "attraction",
    request_body(content = LeadImportForm, content_type = "multipart/form-data"),
    responses((status = 200, body = LeadImportReport, description = "dry run"),
        (status = 201, body = LeadImportReport, description = "committed"),
        (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_import(
    State(state): State<AppState>,
    auth: Auth,
    form: Multipart,
) -> AppResult<Response> {
    let zones = import_zones(&state, &auth).await?;
    allow(!zones.is_empty())?;
    let upload = read_multipart(form).await?;
    let input = upload.input();
    let mut e = FieldErrors::new();
    upload.refuse_unknown(
        &[
            "zone_id",
            "source",
            "agreement",
            "signed_for_investment",
            "money_unit",
            "only_valid",
            "commit",
        ],
        &mut e,
    );
    let zone_id = zone_asked(&zones, &input, &mut e);
    if upload.file.is_none() {
        e.add("file", "error.required");
    }
    let (choices, options) = choices_from(&input, &mut e);
    e.into_result()?;
    let (name, bytes) = upload.file.as_ref().ok_or(AppError::NotFound)?;
    let prepared = import::prepare(
        &state.store,
        &auth.principal,
        zone_id.unwrap_or_default(),
        name,
        bytes,
        options,
        choices,
        today(),
    )
    .await?;
    let commit = input.flag("commit");
    let done = match commit {
        true => Some(
            import::commit(
                &state.store,
                &auth.actor(),
                &prepared,
                input.flag("only_valid"),
            )
            .await?,
        ),
        false => None,
    };
    let catalog = kfq_app::i18n::Catalog::zh();
    let said = |s: &Said| said(catalog, s);
    let report = LeadImportReport {
        zone_id: prepared.zone.id,
        file_name: name.clone(),
        counts: prepared.plan.counts(),
        notes: prepared
            .book
            .issues
            .iter()
            .chain(&prepared.plan.notes)
            .cloned()
            .collect(),
        sheets: prepared
            .book
            .sheets
            .iter()
            .map(|s| LeadSheetColumns {
                name: s.name.clone(),
                title: s.title.clone(),
                header_rows: s.header_rows.clone(),
                columns: s.columns.clone(),
                skipped: s.skipped.clone(),
            })
            .collect(),
        rows: prepared
            .plan
            .rows
            .iter()
            .map(|r| RowReport {
                sheet: r.sheet.clone(),
                row: r.row,
                name: r.name.clone(),
                investor: r.investor.clone(),
                action: r.action,
                stage: r.stage.map(|s| s.code().to_owned()),
                changes: r.changes.clone(),
                errors: r.errors.iter().map(said).collect(),
                warnings: r.warnings.iter().map(said).collect(),
            })
            .collect(),
        created: done.as_ref().map(|d| d.created.clone()),
        updated: done.map(|d| d.updated),
    };
    let status = if commit {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(report)).into_response())
}

/// The API paths of this part, merged into the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(api_import))]
pub struct ApiDoc;
