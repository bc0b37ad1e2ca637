//! 三个一批: campaigns (签约一批 / 开工一批 / 投产一批 / 集中开工) with their
//! headline as announced ("12个项目总投资18.6亿元"), and the 回头看 at any
//! later date: did each project reach the promised stage and when, what has
//! it invested since, what still blocks it; the share that kept the promise.
//! As a page, .xlsx and .docx.

use crate::reads::Reads;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use kfq_app::campaigns::{kind_label, lookback, Lookback, LookbackLine, ZoneLookback};
use kfq_domain::campaign::CampaignKind;
use kfq_domain::validation::required_text;
use kfq_domain::{FieldErrors, OrgKind, OrgPath, UnitWrite};
use kfq_store::{Campaign, CampaignInput, OrgFilter};
use serde::{Deserialize, Serialize};

use crate::auth::Auth;
use crate::common::{self, PathId};
use crate::error::{ApiErrorDoc, AppError, AppResult};
use crate::input::{Body, Input};
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use kfq_app::clock::today;
use kfq_app::i18n::Catalog;

pub fn routes() -> Routes {
    Routes::new()
        .get("/campaigns", list_page)
        .post("/campaigns", create_page)
        .get("/campaigns/{campaign_id}", show_page)
        .post("/campaigns/{campaign_id}/projects", add_page)
        .get("/campaigns/{campaign_id}/lookback.xlsx", lookback_xlsx)
        .get("/campaigns/{campaign_id}/lookback.docx", lookback_docx)
        .get("/api/v1/campaigns", api_list)
        .post("/api/v1/campaigns", api_create)
        .get("/api/v1/campaigns/{campaign_id}", api_show)
        .post("/api/v1/campaigns/{campaign_id}/projects", api_add)
        .post("/campaigns/{campaign_id}/drop", drop_page)
        .post("/api/v1/campaigns/{campaign_id}/drops", api_drop)
}

/// Campaigns are organised by a zone, or by the city or province above it:
/// the proof of that rule, or 403.
fn organise(auth: &Auth, path: &OrgPath) -> AppResult<UnitWrite> {
    common::proven(auth.principal.unit_write(path))
}

async fn organisable_units(state: &AppState, auth: &Auth) -> AppResult<Vec<(i64, String)>> {
    let orgs = state
        .store
        .orgs(
            &auth.principal.org_visibility(),
            &OrgFilter::default(),
            0,
            100_000,
        )
        .await?
        .items;
    Ok(orgs
        .into_iter()
        .filter(|o| {
            o.kind() != OrgKind::Department && auth.principal.unit_write(&o.org_path()).is_some()
        })
        .map(|o| (o.id, o.name))
        .collect())
}

async fn create(state: &AppState, auth: &Auth, input: &Input) -> AppResult<Campaign> {
    let mut e = FieldErrors::new();
    let org_id = input.int("org_id", &mut e);
    let kind = input.choice("kind", CampaignKind::from_code, &mut e);
    let name = e.check("name", required_text(&input.text("name"), 100));
    let held_on = input.date("held_on", &mut e);
    e.into_result()?;
    let org = state
        .store
        .org(&auth.principal.org_visibility(), org_id.unwrap_or_default())
        .await
        .map_err(|_| AppError::Invalid(FieldErrors::single("org_id", "error.choice")))?;
    let proof = organise(auth, &org.org_path())?;
    let note = input.text("note").trim().to_owned();
    Ok(state
        .store
        .create_campaign(
            &auth.actor(),
            &proof,
            &CampaignInput {
                org_id: org.id,
                kind: kind.map(CampaignKind::code).unwrap_or_default().to_owned(),
                name: name.unwrap_or_default(),
                held_on: held_on.map(|d| d.to_string()).unwrap_or_default(),
                note: (!note.is_empty()).then_some(note),
            },
        )
        .await?)
}

/// A campaign the caller sees, with the proof that they may add to it.
async fn editable(state: &AppState, auth: &Auth, id: i64) -> AppResult<(Campaign, UnitWrite)> {
    let campaign = state
        .store
        .campaign(&auth.principal.org_visibility(), id)
        .await?;
    let path = OrgPath::parse(&campaign.org_path).map_err(|_| AppError::NotFound)?;
    let proof = organise(auth, &path)?;
    Ok((campaign, proof))
}

async fn add(state: &AppState, auth: &Auth, id: i64, input: &Input) -> AppResult<()> {
    let (campaign, proof) = editable(state, auth, id).await?;
    if input.has("lead_id") {
        return take_lead(state, auth, (&campaign, &proof), input).await;
    }
    let mut e = FieldErrors::new();
    let project_id = input.int("project_id", &mut e);
    e.into_result()?;
    // The project must be one the user sees, under the campaign's unit.
    let project = crate::features::ledger::visible(state, auth, project_id.unwrap_or_default())
        .await
        .map_err(|_| AppError::Invalid(FieldErrors::single("project_id", "error.choice")))?;
    state
        .store
        .add_to_campaign(&auth.actor(), &proof, &campaign, project.id)
        .await
        .map_err(|e| match e {
            kfq_store::StoreError::NotFound => {
                AppError::Invalid(FieldErrors::single("project_id", "error.choice"))
            }
            other => other.into(),
        })
}

/// A signed lead of 招商引资 taken into a 签约一批: made a key project and
/// put on record here at once (category 产业类 unless chosen).
async fn take_lead(
    state: &AppState,
    auth: &Auth,
    campaign: (&Campaign, &UnitWrite),
    input: &Input,
) -> AppResult<()> {
    let mut e = FieldErrors::new();
    let lead_id = input.int("lead_id", &mut e);
    let category = input
        .opt_choice("category", kfq_domain::Category::from_code, &mut e)
        .unwrap_or(kfq_domain::Category::Industrial);
    let version = input.opt_int("version", &mut e);
    e.into_result()?;
    let not_a_choice = || AppError::Invalid(FieldErrors::single("lead_id", "error.choice"));
    let target = match kfq_app::attraction::LeadTarget::check(
        &state.store,
        &auth.principal,
        lead_id.unwrap_or_default(),
    )
    .await
    {
        Ok(target) => target,
        Err(kfq_app::Error::NotFound) => return Err(not_a_choice()),
        Err(other) => return Err(other.into()),
    };
    // Picked from the list, the lead is taken as it stands now.
    let expected = version.unwrap_or(target.lead().version);
    let choice = kfq_app::attraction::Conversion {
        category,
        nature: None,
        liaison_user_id: None,
        department_id: None,
    };
    kfq_app::attraction::take_into_campaign(
        &state.store,
        &auth.principal,
        &auth.actor(),
        campaign,
        &target,
        expected,
        &choice,
    )
    .await
    .map_err(|e| match e {
        kfq_app::Error::NotFound => not_a_choice(),
        other => other.into(),
    })?;
    Ok(())
}

/// Takes a project off the campaign with a reason people can read later.
async fn drop(state: &AppState, auth: &Auth, id: i64, input: &Input) -> AppResult<()> {
    let (campaign, proof) = editable(state, auth, id).await?;
    let mut e = FieldErrors::new();
    let project_id = input.int("project_id", &mut e);
    let reason = input.text("reason");
    if reason.trim().chars().count() < 4 {
        e.add("reason", "error.campaign.drop_reason");
    }
    e.into_result()?;
    state
        .store
        .drop_from_campaign(
            &auth.actor(),
            &proof,
            &campaign,
            project_id.unwrap_or_default(),
            reason.trim(),
        )
        .await
        .map_err(|e| match e {
            kfq_store::StoreError::NotFound => {
                AppError::Invalid(FieldErrors::single("project_id", "error.choice"))
            }
            other => other.into(),
        })
}

async fn drop_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    match drop(&state, &auth, id, &input).await {
        Ok(()) => Ok(see_other(&format!("/campaigns/{id}"))),
        Err(AppError::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&show_view(&state, &auth, id, today(), crate::error::messages(&errors)).await?)?,
        )
            .into_response()),
        Err(other) => Err(other),
    }
}

// ---- pages ----

#[derive(Template)]
#[template(path = "campaigns/list.html")]
struct ListView {
    page: PageContext,
    campaigns: Vec<Campaign>,
    units: Vec<(i64, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    errors: Vec<String>,
    /// The form as typed (a refused one comes back with it); 开展日期
    /// defaults to today.
    typed: Input,
    today: String,
}

impl ListView {
    fn typed(&self, key: &str) -> String {
        self.typed.text(key)
    }

    fn held_on(&self) -> String {
        Some(self.typed.text("held_on"))
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| self.today.clone())
    }

    fn kind(&self, code: &str) -> &'static str {
        kind_label(code)
    }
}

async fn list_view(
    state: &AppState,
    auth: &Auth,
    errors: Vec<String>,
    typed: Input,
) -> AppResult<ListView> {
    Ok(ListView {
        typed,
        today: today().to_string(),
        page: PageContext::new(Some(auth), "dispatch"),
        campaigns: state
            .store
            .campaigns(&auth.principal.zone_data_visibility())
            .await?,
        units: organisable_units(state, auth).await?,
        kinds: CampaignKind::ALL
            .iter()
            .map(|k| (k.code(), kind_label(k.code())))
            .collect(),
        errors,
    })
}

async fn list_page(State(state): State<AppState>, auth: Auth) -> AppResult<Response> {
    Ok(render(&list_view(&state, &auth, vec![], Input::default()).await?)?.into_response())
}

async fn create_page(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    match create(&state, &auth, &input).await {
        Ok(c) => Ok(see_other(&format!("/campaigns/{}", c.id))),
        Err(AppError::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(
                &list_view(
                    &state,
                    &auth,
                    crate::error::messages(&errors),
                    input.clone(),
                )
                .await?,
            )?,
        )
            .into_response()),
        Err(other) => Err(other),
    }
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct AsOfQuery {
    /// The look-back date (default: today).
    pub as_of: Option<String>,
}

fn as_of(query: &AsOfQuery) -> AppResult<NaiveDate> {
    match query
        .as_of
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => Ok(today()),
        Some(raw) => kfq_store::parse_date(raw)
            .ok_or_else(|| AppError::Invalid(FieldErrors::single("as_of", "error.date"))),
    }
}

#[derive(Template)]
#[template(path = "campaigns/show.html")]
struct ShowView {
    page: PageContext,
    back: Lookback,
    can_edit: bool,
    candidates: Vec<(i64, String)>,
    /// Signed leads of 招商引资 not yet in the ledger (a 签约一批 only).
    lead_candidates: Vec<(i64, String)>,
    errors: Vec<String>,
}

impl ShowView {
    /// Promises kept month by month since the campaign, against all of them.
    fn progress_chart(&self) -> String {
        let catalog = self.page.catalog;
        let mut chart = kfq_charts::LineChart::new(
            catalog.format("campaign.chart.title", &[("stage", &self.back.promised)]),
            kfq_charts::Scale::new(0, catalog.t("common.unit.count")),
        );
        chart.labels = self.back.progress.iter().map(|(m, _)| m.clone()).collect();
        chart.series.push(kfq_charts::Series::new(
            catalog.t("campaign.chart.kept"),
            self.back
                .progress
                .iter()
                .map(|(_, n)| Some(*n as i64))
                .collect(),
        ));
        chart.reference = Some(kfq_charts::Reference::new(
            catalog.t("campaign.chart.listed"),
            self.back.lines.len() as i64,
        ));
        crate::views::line_figure(&chart)
    }

    fn zone_share(&self, z: &ZoneLookback) -> String {
        z.kept_share_tenths
            .map(|t| format!("{}.{}%", t / 10, t % 10))
            .unwrap_or_default()
    }

    fn share(&self) -> String {
        self.back
            .kept_share_tenths
            .map(|t| format!("{}.{}%", t / 10, t % 10))
            .unwrap_or_default()
    }
}

async fn show_view(
    state: &AppState,
    auth: &Auth,
    id: i64,
    on: NaiveDate,
    errors: Vec<String>,
) -> AppResult<ShowView> {
    let campaign = state
        .store
        .campaign(&auth.principal.zone_data_visibility(), id)
        .await?;
    let path = OrgPath::parse(&campaign.org_path).map_err(|_| AppError::NotFound)?;
    let can_edit = auth.principal.unit_write(&path).is_some();
    let candidates = if can_edit {
        let filter = kfq_store::LedgerFilter {
            year: chrono::Datelike::year(&on),
            month: 12,
            sort: kfq_store::LedgerSort::Name,
            ..Default::default()
        };
        state
            .store
            .ledger(&kfq_domain::Visibility::Subtree(path), &filter, 0, 2_000)
            .await?
            .page
            .items
            .into_iter()
            .map(|r| {
                let text = Catalog::zh().format(
                    "common.with_note",
                    &[("text", &r.name), ("note", &r.zone_name)],
                );
                (r.id, text)
            })
            .collect()
    } else {
        Vec::new()
    };
    let signing = CampaignKind::from_code(&campaign.kind) == Some(CampaignKind::Signing);
    let lead_candidates = if can_edit && signing {
        let filter = kfq_store::LeadFilter {
            under: OrgPath::parse(&campaign.org_path).ok(),
            ..Default::default()
        };
        state
            .store
            .leads(&auth.principal.lead_sight(), &filter, 0, 5_000)
            .await?
            .items
            .into_iter()
            .filter(|l| l.stage.is_signed() && l.project_id.is_none())
            .filter(|l| l.stage != kfq_attraction::LeadStage::Terminated)
            .map(|l| {
                let text = Catalog::zh().format(
                    "common.with_note",
                    &[("text", &l.name), ("note", &l.zone_name)],
                );
                (l.id, text)
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(ShowView {
        lead_candidates,
        page: PageContext::new(Some(auth), "dispatch"),
        back: lookback(&state.store, campaign, on).await?,
        can_edit,
        candidates,
        errors,
    })
}

async fn show_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Query(query): Query<AsOfQuery>,
) -> AppResult<Response> {
    let on = as_of(&query)?;
    Ok(render(&show_view(&state, &auth, id, on, vec![]).await?)?.into_response())
}

async fn add_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    match add(&state, &auth, id, &input).await {
        Ok(()) => Ok(see_other(&format!("/campaigns/{id}"))),
        Err(AppError::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&show_view(&state, &auth, id, today(), crate::error::messages(&errors)).await?)?,
        )
            .into_response()),
        Err(other) => Err(other),
    }
}

fn kept_text(catalog: &Catalog, line: &LookbackLine) -> String {
    match (line.kept_on, line.before_campaign) {
        (Some(d), false) => d.to_string(),
        (Some(d), true) => catalog.format("campaign.kept_before", &[("date", &d.to_string())]),
        (None, _) => catalog.t("campaign.not_kept").to_owned(),
    }
}

fn file_name(catalog: &Catalog, back: &Lookback, ext: &str) -> String {
    let name = catalog.format(
        "campaign.file.name",
        &[
            ("campaign", &back.campaign.name),
            ("date", &back.as_of.format("%Y%m%d").to_string()),
        ],
    );
    format!("{name}.{ext}")
}

/// The Beijing day a project was taken off the campaign, as people write dates.
fn dropped_on(catalog: &Catalog, d: &kfq_store::DroppedProject) -> String {
    kfq_app::clock::beijing_day(d.dropped_at)
        .map(|day| day.format(catalog.t("common.date_format")).to_string())
        .unwrap_or_default()
}

async fn lookback_xlsx(
    Reads(state): Reads,
    auth: Auth,
    PathId(id): PathId,
    Query(query): Query<AsOfQuery>,
) -> AppResult<Response> {
    let campaign = state
        .store
        .campaign(&auth.principal.zone_data_visibility(), id)
        .await?;
    let back = lookback(&state.store, campaign, as_of(&query)?).await?;
    let catalog = Catalog::zh();
    let t = |key: &'static str| -> &'static str { catalog.t(key) };
    let count = |key: &str, n: usize| catalog.format(key, &[("n", &n.to_string())]);
    use kfq_export::ReportCell::{Count, Text, Wan};
    let rows: Vec<Vec<kfq_export::ReportCell>> = back
        .lines
        .iter()
        .enumerate()
        .map(|(n, l)| {
            vec![
                Count(n as i64 + 1),
                Text(l.zone_name.clone()),
                Text(l.name.clone()),
                Text(l.stage_then.clone()),
                Text(l.stage_now.clone()),
                Text(kept_text(catalog, l)),
                Wan(l.invested),
                Count(l.open_blockers),
                Text(l.blockers.join(t("common.join.clauses"))),
            ]
        })
        .collect();
    let totals = vec![
        Text(t("common.totals").into()),
        Text(String::new()),
        Text(count("campaign.file.count", back.lines.len())),
        Text(String::new()),
        Text(String::new()),
        Text(count("campaign.file.kept_count", back.kept)),
        Wan(back.lines.iter().map(|l| l.invested).sum()),
        Count(back.lines.iter().map(|l| l.open_blockers).sum()),
        Text(String::new()),
    ];
    let title = catalog.format(
        "campaign.file.title",
        &[
            ("campaign", &back.campaign.name),
            (
                "date",
                &back.as_of.format(t("common.date_format")).to_string(),
            ),
        ],
    );
    let kept_on = catalog.format("campaign.file.kept_on", &[("stage", &back.promised)]);
    let headers = [
        t("common.serial"),
        t("campaign.file.zone"),
        t("campaign.file.project"),
        t("campaign.stage_then"),
        t("campaign.stage_now"),
        kept_on.as_str(),
        t("campaign.file.invested_since"),
        t("campaign.blockers"),
        t("campaign.file.obstacles"),
    ];
    let mut sheets = vec![kfq_export::ReportSheet {
        name: t("campaign.file.sheet"),
        title: &title,
        unit_note: t("campaign.file.unit"),
        headers: &headers,
        rows: &rows,
        totals: &totals,
        empty: t("campaign.file.empty"),
    }];
    // Projects taken off the campaign go on a sheet of their own, so the file
    // says what left the figures and why, as the page does.
    let dropped_rows: Vec<Vec<kfq_export::ReportCell>> = back
        .dropped
        .iter()
        .enumerate()
        .map(|(n, d)| {
            vec![
                Count(n as i64 + 1),
                Text(d.zone_name.clone()),
                Text(d.name.clone()),
                Text(d.drop_reason.clone()),
                Text(dropped_on(catalog, d)),
            ]
        })
        .collect();
    let dropped_totals = vec![
        Text(t("common.totals").into()),
        Text(String::new()),
        Text(count("campaign.file.count", back.dropped.len())),
        Text(String::new()),
        Text(String::new()),
    ];
    let dropped_headers = [
        t("common.serial"),
        t("campaign.file.zone"),
        t("campaign.file.project"),
        t("campaign.drop_reason"),
        t("campaign.file.dropped_on"),
    ];
    if !back.dropped.is_empty() {
        sheets.push(kfq_export::ReportSheet {
            name: t("campaign.file.dropped_sheet"),
            title: t("campaign.dropped"),
            unit_note: "",
            headers: &dropped_headers,
            rows: &dropped_rows,
            totals: &dropped_totals,
            empty: "",
        });
    }
    let bytes = kfq_export::report_workbook(&sheets).map_err(anyhow::Error::from)?;
    Ok(crate::common::attachment(
        bytes,
        &file_name(catalog, &back, "xlsx"),
        "lookback.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ))
}

async fn lookback_docx(
    Reads(state): Reads,
    auth: Auth,
    PathId(id): PathId,
    Query(query): Query<AsOfQuery>,
) -> AppResult<Response> {
    let campaign = state
        .store
        .campaign(&auth.principal.zone_data_visibility(), id)
        .await?;
    let back = lookback(&state.store, campaign, as_of(&query)?).await?;
    let catalog = Catalog::zh();
    let t = |key: &'static str| -> &'static str { catalog.t(key) };
    let count = |n: usize| catalog.format("campaign.file.count", &[("n", &n.to_string())]);
    use kfq_docx::{Column, Document, Table};
    let share = back
        .kept_share_tenths
        .map(|t| format!("{}.{}%", t / 10, t % 10))
        .unwrap_or_else(|| "—".into());
    let mut table = Table::new([
        Column::center(1),
        Column::left(3),
        Column::left(5),
        Column::center(2),
        Column::center(2),
        Column::center(3),
        Column::right(3),
        Column::right(2),
    ])
    .unit(t("campaign.docx.unit"))
    .header_row([
        t("common.serial"),
        t("campaign.file.zone"),
        t("campaign.file.project"),
        t("campaign.stage_then"),
        t("campaign.stage_now"),
        t("campaign.docx.kept_on"),
        t("campaign.docx.invested"),
        t("campaign.blockers"),
    ]);
    for (n, l) in back.lines.iter().enumerate() {
        table = table.row([
            (n + 1).to_string(),
            l.zone_name.clone(),
            l.name.clone(),
            l.stage_then.clone(),
            l.stage_now.clone(),
            kept_text(catalog, l),
            l.invested_since.clone(),
            l.open_blockers.to_string(),
        ]);
    }
    table = table.totals([
        t("common.totals").to_string(),
        String::new(),
        count(back.lines.len()),
        String::new(),
        String::new(),
        count(back.kept),
        back.invested_since.clone(),
        back.lines
            .iter()
            .map(|l| l.open_blockers)
            .sum::<i64>()
            .to_string(),
    ]);
    let doc =
        Document::new(catalog.format("campaign.docx.title", &[("campaign", &back.campaign.name)]))
            .issuer(back.campaign.org_name.clone())
            .date(back.as_of)
            .heading(1, t("campaign.docx.h_overview"))
            .paragraph(catalog.format(
                "campaign.docx.overview",
                &[
                    ("campaign", &back.campaign.name),
                    ("kind", &back.kind_label),
                    ("held_on", &back.campaign.held_on),
                    ("headline", &back.headline),
                    ("as_of", &kfq_docx::format_date(back.as_of)),
                    ("kept", &back.kept.to_string()),
                    ("stage", &back.promised),
                    ("share", &share),
                    ("invested", &back.invested_since),
                ],
            ))
            .heading(1, t("campaign.docx.h_projects"))
            .table(table);
    let doc = if back.by_zone.is_empty() {
        doc
    } else {
        let mut zones = Table::new([
            Column::left(4),
            Column::right(2),
            Column::right(2),
            Column::right(2),
            Column::right(3),
        ])
        .unit(t("campaign.docx.unit_zones"))
        .header_row([
            t("campaign.file.zone"),
            t("campaign.docx.listed"),
            t("campaign.docx.kept"),
            t("campaign.docx.kept_share"),
            t("campaign.docx.invested"),
        ]);
        for z in &back.by_zone {
            zones = zones.row([
                z.zone_name.clone(),
                z.projects.to_string(),
                z.kept.to_string(),
                z.kept_share_tenths
                    .map(|t| format!("{}.{}%", t / 10, t % 10))
                    .unwrap_or_else(|| "—".into()),
                z.invested_since.clone(),
            ]);
        }
        doc.heading(1, t("campaign.docx.h_zones")).table(zones)
    };
    let unkept: Vec<&LookbackLine> = back.lines.iter().filter(|l| l.kept_on.is_none()).collect();
    let mut doc = doc.heading(1, t("campaign.docx.h_unkept"));
    if unkept.is_empty() {
        doc = doc.paragraph(catalog.format("campaign.docx.all_kept", &[("stage", &back.promised)]));
    }
    for l in unkept {
        let why = if l.blockers.is_empty() {
            t("campaign.docx.no_blockers").to_owned()
        } else {
            catalog.format(
                "campaign.docx.blockers",
                &[("blockers", &l.blockers.join(t("common.join.clauses")))],
            )
        };
        doc = doc.paragraph(catalog.format(
            "campaign.docx.unkept",
            &[
                ("project", &l.name),
                ("zone", &l.zone_name),
                ("stage", &l.stage_now),
                ("why", &why),
            ],
        ));
    }
    if !back.dropped.is_empty() {
        doc = doc.heading(1, t("campaign.docx.h_dropped"));
        for d in &back.dropped {
            doc = doc.paragraph(catalog.format(
                "campaign.docx.dropped",
                &[
                    ("project", &d.name),
                    ("zone", &d.zone_name),
                    ("on", &dropped_on(catalog, d)),
                    ("reason", &d.drop_reason),
                ],
            ));
        }
    }
    Ok(crate::common::attachment(
        doc.to_bytes(),
        &file_name(catalog, &back, "docx"),
        "lookback.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ))
}

// ---- API ----

#[utoipa::path(get, path = "/api/v1/campaigns", tag = "campaigns", responses((status = 200, body = Vec<Campaign>)))]
pub async fn api_list(State(state): State<AppState>, auth: Auth) -> AppResult<Json<Vec<Campaign>>> {
    Ok(Json(
        state
            .store
            .campaigns(&auth.principal.zone_data_visibility())
            .await?,
    ))
}

/// `{"org_id": 9, "kind": "starting", "name": "2024年二季度集中开工", "held_on": "2024-04-18"}`
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignBody {
    #[schema(required = true, nullable = false)]
    org_id: Option<i64>,
    #[schema(required = true, nullable = false, schema_with = crate::openapi::codes::campaign_kind)]
    kind: Option<String>,
    #[schema(required = true, nullable = false)]
    name: Option<String>,
    #[schema(required = true, nullable = false)]
    held_on: Option<String>,
    note: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/campaigns", tag = "campaigns", request_body = CampaignBody,
    responses((status = 201, body = Campaign), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_create(
    State(state): State<AppState>,
    auth: Auth,
    input: Body<CampaignBody>,
) -> AppResult<Response> {
    let campaign = create(&state, &auth, &input).await?;
    Ok((StatusCode::CREATED, Json(campaign)).into_response())
}

#[utoipa::path(get, path = "/api/v1/campaigns/{campaign_id}", tag = "campaigns",
    params(("campaign_id" = i64, Path), AsOfQuery),
    responses((status = 200, body = Lookback), (status = 404, body = ApiErrorDoc)))]
pub async fn api_show(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Query(query): Query<AsOfQuery>,
) -> AppResult<Json<Lookback>> {
    let campaign = state
        .store
        .campaign(&auth.principal.zone_data_visibility(), id)
        .await?;
    Ok(Json(
        lookback(&state.store, campaign, as_of(&query)?).await?,
    ))
}

/// `{"project_id": 28}`, or `{"lead_id": 7}` for a signed lead.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddBody {
    /// A key project of the ledger.
    project_id: Option<i64>,
    /// Or, for a 签约一批, a signed lead of 招商引资: it becomes a key
    /// project and goes on record here, in one step.
    lead_id: Option<i64>,
    /// The lead's version last read (the current one when left out).
    version: Option<i64>,
    /// The new project's category (industrial when left out).
    #[schema(schema_with = crate::openapi::codes::category)]
    category: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/campaigns/{campaign_id}/projects", tag = "campaigns",
    params(("campaign_id" = i64, Path)), request_body = AddBody,
    responses((status = 200, body = Lookback), (status = 403, body = ApiErrorDoc), (status = 404, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_add(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<AddBody>,
) -> AppResult<Json<Lookback>> {
    add(&state, &auth, id, &input).await?;
    lookback_today(&state, &auth, id).await
}

/// `{"project_id": 28, "reason": "企业投资意向变化，项目暂缓"}`
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DropBody {
    #[schema(required = true, nullable = false)]
    project_id: Option<i64>,
    /// Why it leaves the campaign (at least 4 characters).
    #[schema(required = true, nullable = false)]
    reason: Option<String>,
}

/// Takes a project off the campaign with a reason (audited); the look-back
/// lists it apart and leaves it out of its figures.
#[utoipa::path(post, path = "/api/v1/campaigns/{campaign_id}/drops", tag = "campaigns",
    params(("campaign_id" = i64, Path)), request_body = DropBody,
    responses((status = 200, body = Lookback), (status = 403, body = ApiErrorDoc), (status = 404, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_drop(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Body<DropBody>,
) -> AppResult<Json<Lookback>> {
    drop(&state, &auth, id, &input).await?;
    lookback_today(&state, &auth, id).await
}

/// The campaign as it stands after a change, the answer of every API write.
async fn lookback_today(state: &AppState, auth: &Auth, id: i64) -> AppResult<Json<Lookback>> {
    let campaign = state
        .store
        .campaign(&auth.principal.zone_data_visibility(), id)
        .await?;
    Ok(Json(lookback(&state.store, campaign, today()).await?))
}

/// The API paths of this part, merged into the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(api_list, api_create, api_show, api_add, api_drop,))]
pub struct ApiDoc;
