//! 月度填报 on the web: one zone's month on one page, typed down a column
//! (Enter moves down, a column pasted from Excel fills down, totals follow:
//! app.js), saved in one go. The page posts to its own address, so a refused
//! sheet comes back there with every typed value and each error beside its
//! row. The API twin reads and writes the same sheet as JSON.

use super::list::departments_and_liaisons;
use super::*;
use kfq_app::ledger::monthly::{self, MonthSheet, Typed};
use kfq_store::{MonthLine, MonthSheetFilter};
use serde::Serialize;

pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/projects/monthly", month_page)
        .post("/projects/monthly", month_save_page)
        .get("/api/v1/zones/{zone_id}/months", api_month)
        .put("/api/v1/zones/{zone_id}/months", api_month_save)
}

/// What the page is asked for: the zone, the month ("2026-11", as a month
/// picker sends it) and which projects.
#[derive(Debug, Default, Deserialize)]
pub(super) struct MonthQuery {
    zone_id: Option<String>,
    period: Option<String>,
    department_id: Option<String>,
    liaison_user_id: Option<String>,
    missing: Option<String>,
    notice: Option<String>,
}

/// "2026-11" → (2026, 11).
fn parse_period(text: &str) -> Option<(i32, u32)> {
    let (year, month) = text.trim().split_once('-')?;
    Some((year.parse().ok()?, month.parse().ok()?))
}

struct Chosen {
    zone: OrgUnit,
    zones: Vec<(i64, String)>,
    period: (i32, u32),
    filter: MonthSheetFilter,
    missing_only: bool,
}

async fn chosen(state: &AppState, auth: &Auth, q: &MonthQuery) -> AppResult<Chosen> {
    let zones: Vec<OrgUnit> = crate::features::ledger_import::writable_zones(state, auth)
        .await?
        .into_iter()
        .filter(|z| z.kind() == OrgKind::Zone)
        .collect();
    allow(!zones.is_empty())?;
    let asked = common::ListQuery::id(&q.zone_id, "zone_id")?;
    let zone = asked
        .and_then(|id| zones.iter().find(|z| z.id == id))
        .or_else(|| {
            let own = auth.principal.zone_path.as_ref().map(|p| p.id());
            zones.iter().find(|z| Some(z.id) == own)
        })
        .unwrap_or(&zones[0])
        .clone();
    let period = match q.period.as_deref().filter(|p| !p.trim().is_empty()) {
        None => monthly::default_month(today()),
        Some(text) => parse_period(text)
            .ok_or_else(|| AppError::Invalid(FieldErrors::single("period", "error.month")))?,
    };
    let filter = MonthSheetFilter {
        department_id: common::ListQuery::id(&q.department_id, "department_id")?,
        liaison_user_id: common::ListQuery::id(&q.liaison_user_id, "liaison_user_id")?,
    };
    Ok(Chosen {
        zones: zones.iter().map(|z| (z.id, z.name.clone())).collect(),
        zone,
        period,
        filter,
        missing_only: q.missing.as_deref().is_some_and(|m| !m.is_empty()),
    })
}

/// The page's address for what was chosen: its form posts back to it.
fn address(c: &Chosen) -> String {
    let (year, month) = c.period;
    let mut here = format!(
        "/projects/monthly?zone_id={}&period={year}-{month:02}",
        c.zone.id
    );
    for (key, value) in [
        ("department_id", c.filter.department_id),
        ("liaison_user_id", c.filter.liaison_user_id),
    ] {
        if let Some(v) = value {
            here.push_str(&format!("&{key}={v}"));
        }
    }
    if c.missing_only {
        here.push_str("&missing=1");
    }
    here
}

/// One row as the page shows it.
struct RowView {
    id: i64,
    name: String,
    stage: Stage,
    department: String,
    liaison: String,
    planned: String,
    ytd_before: String,
    last_month: String,
    amount: String,
    note: String,
    version: Option<i64>,
    amount_error: Option<String>,
    note_error: Option<String>,
}

#[derive(Template)]
#[template(path = "projects/monthly.html")]
struct MonthView {
    page: PageContext,
    zones: Vec<(i64, String)>,
    zone_id: i64,
    zone_name: String,
    year: i32,
    month: u32,
    period: String,
    departments: Vec<(i64, String)>,
    liaisons: Vec<(i64, String)>,
    department_id: Option<i64>,
    liaison_user_id: Option<i64>,
    missing_only: bool,
    rows: Vec<RowView>,
    sheet: MonthSheet,
    /// The totals of the rows shown (all, or those not yet reported).
    shown_totals: monthly::MonthTotals,
    /// Errors in the order of the rows, each linked to its field.
    errors: Vec<(String, String)>,
    /// This page's address: the form posts back to it.
    here: String,
}

impl MonthView {
    fn wan(&self, m: &Money) -> String {
        m.wan_2()
    }

    fn summary(&self) -> String {
        let t = self.sheet.totals;
        self.page.catalog.format(
            "monthly.summary",
            &[
                ("projects", &t.projects.to_string()),
                ("reported", &t.reported.to_string()),
                ("missing", &t.missing.to_string()),
            ],
        )
    }

    /// "1-10月累计" (none in January: the year has no months before).
    fn ytd_before_label(&self) -> String {
        match self.month {
            1 => self.page.t("monthly.ytd_none").to_owned(),
            2 => self.page.catalog.format("monthly.ytd_january", &[]),
            m => self
                .page
                .catalog
                .format("monthly.ytd_before", &[("last", &(m - 1).to_string())]),
        }
    }

    fn this_month_label(&self) -> String {
        self.page
            .catalog
            .format("monthly.this_month", &[("month", &self.month.to_string())])
    }
}

async fn month_view(
    state: &AppState,
    auth: &Auth,
    q: &MonthQuery,
    typed: Option<(&Input, &FieldErrors)>,
) -> AppResult<MonthView> {
    let c = chosen(state, auth, q).await?;
    let target =
        kfq_app::access::ZoneTarget::check(&state.store, &auth.principal, c.zone.id).await?;
    let sheet = monthly::sheet(&state.store, &target, c.period, &c.filter, today()).await?;
    let (departments, liaisons) = departments_and_liaisons(state, &c.zone).await?;
    let catalog = Catalog::zh();
    let message = |field: &str| {
        typed.and_then(|(_, errors)| {
            errors
                .0
                .iter()
                .find(|e| e.field == field)
                .map(|e| catalog.t(e.key).to_owned())
        })
    };
    // A refused sheet shows the rows it was typed on, reported since or not.
    let shown: Vec<MonthLine> = sheet
        .lines
        .iter()
        .filter(|l| !c.missing_only || l.is_missing() || typed.is_some())
        .cloned()
        .collect();
    let shown_totals = monthly::MonthTotals::of(&shown);
    let rows: Vec<RowView> = shown
        .iter()
        .map(|l: &MonthLine| {
            let amount_key = format!("amount_{}", l.project_id);
            let note_key = format!("note_{}", l.project_id);
            let (amount, note) = match typed {
                Some((input, _)) => (input.text(&amount_key), input.text(&note_key)),
                None => (
                    l.reported
                        .as_ref()
                        .map(|r| r.amount.wan_string())
                        .unwrap_or_default(),
                    l.reported
                        .as_ref()
                        .and_then(|r| r.note.clone())
                        .unwrap_or_default(),
                ),
            };
            RowView {
                id: l.project_id,
                name: l.name.clone(),
                stage: l.stage,
                department: l.department_name.clone().unwrap_or_default(),
                liaison: l.liaison_name.clone().unwrap_or_default(),
                planned: l.planned.map(Money::wan_2).unwrap_or_default(),
                ytd_before: l.ytd_before.wan_2(),
                last_month: l.last_month.map(Money::wan_2).unwrap_or_default(),
                amount,
                note,
                version: l.reported.as_ref().map(|r| r.version),
                amount_error: message(&amount_key),
                note_error: message(&note_key),
            }
        })
        .collect();
    let mut errors = Vec::new();
    if let Some((_, all)) = typed {
        for r in &rows {
            for (field, error) in [
                (format!("amount_{}", r.id), &r.amount_error),
                (format!("note_{}", r.id), &r.note_error),
            ] {
                if let Some(e) = error {
                    let line =
                        catalog.format("monthly.row_error", &[("name", &r.name), ("error", e)]);
                    errors.push((field, line));
                }
            }
        }
        for e in &all.0 {
            if !e.field.starts_with("amount_") && !e.field.starts_with("note_") {
                errors.push((e.field.clone(), catalog.t(e.key).to_owned()));
            }
        }
    }
    let (year, month) = c.period;
    let here = address(&c);
    Ok(MonthView {
        page: PageContext::new(Some(auth), "projects").with_notice(q.notice.as_deref()),
        zones: c.zones,
        zone_id: c.zone.id,
        zone_name: c.zone.name.clone(),
        year,
        month,
        period: format!("{year}-{month:02}"),
        departments,
        liaisons,
        department_id: c.filter.department_id,
        liaison_user_id: c.filter.liaison_user_id,
        missing_only: c.missing_only,
        rows,
        sheet,
        shown_totals,
        errors,
        here,
    })
}

async fn month_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<MonthQuery>,
) -> AppResult<Response> {
    let view = month_view(&state, &auth, &q, None).await?;
    Ok(render(&view)?.into_response())
}

/// The rows of a posted sheet: every `amount_<id>` with its note and version.
fn typed_rows(input: &Input) -> Vec<Typed> {
    input
        .keys()
        .filter_map(|k| k.strip_prefix("amount_")?.parse::<i64>().ok())
        .map(|id| Typed {
            project_id: id,
            amount: input.text(&format!("amount_{id}")),
            note: input.text(&format!("note_{id}")),
            version: input.text(&format!("version_{id}")).trim().parse().ok(),
        })
        .collect()
}

async fn month_save_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<MonthQuery>,
    input: Input,
) -> AppResult<Response> {
    let c = chosen(&state, &auth, &q).await?;
    let target =
        kfq_app::access::ZoneTarget::check(&state.store, &auth.principal, c.zone.id).await?;
    let rows = typed_rows(&input);
    match monthly::save(
        &state.store,
        &auth.actor(),
        &target,
        c.period,
        &rows,
        today(),
    )
    .await
    {
        Ok(saved) => {
            let notice = if saved.is_empty() {
                "unchanged"
            } else {
                "saved"
            };
            Ok(see_other(&format!("{}&notice={notice}#sheet", address(&c))))
        }
        Err(kfq_app::Error::Invalid(errors)) => {
            let view = month_view(&state, &auth, &q, Some((&input, &errors))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&view)?).into_response())
        }
        Err(kfq_app::Error::Conflict) => {
            let stale = FieldErrors::single("sheet", "error.conflict");
            let view = month_view(&state, &auth, &q, Some((&input, &stale))).await?;
            Ok((StatusCode::CONFLICT, render(&view)?).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

// ---- API ----

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthApiQuery {
    /// The month, "2026-11" (default: the month just ended).
    period: Option<String>,
    department_id: Option<i64>,
    liaison_user_id: Option<i64>,
}

impl MonthApiQuery {
    fn as_page(&self, zone_id: i64) -> MonthQuery {
        MonthQuery {
            zone_id: Some(zone_id.to_string()),
            period: self.period.clone(),
            department_id: self.department_id.map(|v| v.to_string()),
            liaison_user_id: self.liaison_user_id.map(|v| v.to_string()),
            ..Default::default()
        }
    }
}

/// A zone named in the path: out of sight is not there (404), in sight but
/// not the caller's to write is forbidden.
async fn path_zone(state: &AppState, auth: &Auth, zone_id: i64) -> AppResult<()> {
    state
        .store
        .org(&auth.principal.org_visibility(), zone_id)
        .await?;
    kfq_app::access::ZoneTarget::check(&state.store, &auth.principal, zone_id).await?;
    Ok(())
}

async fn api_sheet(state: &AppState, auth: &Auth, q: &MonthQuery) -> AppResult<MonthSheet> {
    let c = chosen(state, auth, q).await?;
    if common::ListQuery::id(&q.zone_id, "zone_id")? != Some(c.zone.id) {
        return Err(AppError::NotFound);
    }
    let target =
        kfq_app::access::ZoneTarget::check(&state.store, &auth.principal, c.zone.id).await?;
    Ok(monthly::sheet(&state.store, &target, c.period, &c.filter, today()).await?)
}

/// A zone's month on one sheet: every project (but cancelled ones) with the
/// year's plan, the months before summed, the month before and this month
/// as reported; amounts in yuan.
#[utoipa::path(get, path = "/api/v1/zones/{zone_id}/months", tag = "projects",
    params(("zone_id" = i64, Path), MonthApiQuery),
    responses((status = 200, body = MonthSheet), (status = 404, body = ApiErrorDoc)))]
pub async fn api_month(
    State(state): State<AppState>,
    auth: Auth,
    PathId(zone_id): PathId,
    Query(q): Query<MonthApiQuery>,
) -> AppResult<Json<MonthSheet>> {
    path_zone(&state, &auth, zone_id).await?;
    Ok(Json(api_sheet(&state, &auth, &q.as_page(zone_id)).await?))
}

/// A month's figures for several projects, saved together.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MonthBody {
    /// The month, "2026-11" (default: the month just ended).
    period: Option<String>,
    /// The rows to save (none: nothing is written, the sheet is returned).
    #[serde(default)]
    rows: Vec<MonthRowBody>,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MonthRowBody {
    project_id: i64,
    /// 当月完成投资 in 万元, as typed ("1200", "1,200.5").
    amount: String,
    /// Required to change a month already reported, or for a negative one.
    note: Option<String>,
    /// The version of the month as read, when it was reported.
    version: Option<i64>,
}

/// Saves a month for several projects of the zone in one transaction (each
/// audited); rows equal to what is held, or blank, are left alone. A row
/// refused refuses all (`amount_<id>`, `note_<id>`); a month changed by
/// someone else since it was read is a conflict.
#[utoipa::path(put, path = "/api/v1/zones/{zone_id}/months", tag = "projects",
    params(("zone_id" = i64, Path)), request_body = MonthBody,
    responses((status = 200, body = MonthSheet), (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_month_save(
    State(state): State<AppState>,
    auth: Auth,
    PathId(zone_id): PathId,
    input: crate::input::Body<MonthBody>,
) -> AppResult<Json<MonthSheet>> {
    path_zone(&state, &auth, zone_id).await?;
    let body: MonthBody = input.typed()?;
    let q = MonthQuery {
        zone_id: Some(zone_id.to_string()),
        period: body.period.clone(),
        ..Default::default()
    };
    let c = chosen(&state, &auth, &q).await?;
    if c.zone.id != zone_id {
        return Err(AppError::NotFound);
    }
    let target = kfq_app::access::ZoneTarget::check(&state.store, &auth.principal, zone_id).await?;
    let rows: Vec<Typed> = body
        .rows
        .into_iter()
        .map(|r| Typed {
            project_id: r.project_id,
            amount: r.amount,
            note: r.note.unwrap_or_default(),
            version: r.version,
        })
        .collect();
    monthly::save(
        &state.store,
        &auth.actor(),
        &target,
        c.period,
        &rows,
        today(),
    )
    .await?;
    Ok(Json(api_sheet(&state, &auth, &q).await?))
}

/// The API paths of this part, merged into the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(api_month, api_month_save))]
pub struct ApiDoc;

#[cfg(test)]
mod tests {
    #[test]
    fn periods_are_read_as_a_month_picker_sends_them() {
        assert_eq!(super::parse_period("2026-11"), Some((2026, 11)));
        assert_eq!(super::parse_period(" 2027-01 "), Some((2027, 1)));
        assert_eq!(super::parse_period("2026/11"), None);
        assert_eq!(super::parse_period("x-1"), None);
    }
}
