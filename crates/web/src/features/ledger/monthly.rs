//! 月度填报 on the web: one zone's month on one page, typed down a column
//! (Enter moves down, a column pasted from Excel fills down, totals follow:
//! app.js), saved in one go. The page posts to its own address, so a refused
//! sheet comes back there with every typed value and each error beside its
//! row. The API twin reads and writes the same sheet as JSON.

use super::list::departments_and_liaisons;
use super::sheet::{self, path_zone, ScopeQuery, SheetScope};
use super::*;
use kfq_app::ledger::monthly::{self, MonthSheet, Typed};
use kfq_store::MonthLine;
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
    scope: SheetScope,
    period: (i32, u32),
}

async fn chosen(state: &AppState, auth: &Auth, q: &MonthQuery) -> AppResult<Chosen> {
    let scope = sheet::scope(
        state,
        auth,
        ScopeQuery {
            zone_id: &q.zone_id,
            department_id: &q.department_id,
            liaison_user_id: &q.liaison_user_id,
            missing: &q.missing,
        },
    )
    .await?;
    let period = match q.period.as_deref().filter(|p| !p.trim().is_empty()) {
        None => monthly::default_month(today()),
        Some(text) => parse_period(text)
            .ok_or_else(|| AppError::Invalid(FieldErrors::single("period", "error.month")))?,
    };
    Ok(Chosen { scope, period })
}

/// The page's address for what was chosen: its form posts back to it.
fn address(c: &Chosen) -> String {
    let (year, month) = c.period;
    c.scope
        .address("/projects/monthly", &format!("period={year}-{month:02}"))
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
        kfq_app::access::ZoneTarget::check(&state.store, &auth.principal, c.scope.zone.id).await?;
    let sheet = monthly::sheet(&state.store, &target, c.period, &c.scope.filter, today()).await?;
    let (departments, liaisons) = departments_and_liaisons(state, &c.scope.zone).await?;
    let refused = typed.map(|(_, errors)| errors);
    // A refused sheet shows the rows it was typed on, reported since or not.
    let shown: Vec<MonthLine> = sheet
        .lines
        .iter()
        .filter(|l| !c.scope.missing_only || l.is_missing() || typed.is_some())
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
                amount_error: sheet::field_message(refused, &amount_key),
                note_error: sheet::field_message(refused, &note_key),
            }
        })
        .collect();
    let errors = refused
        .map(|all| {
            let rows = rows.iter().flat_map(|r| {
                [
                    (r.name.as_str(), format!("amount_{}", r.id), &r.amount_error),
                    (r.name.as_str(), format!("note_{}", r.id), &r.note_error),
                ]
            });
            sheet::listed_errors(rows, all, &["amount", "note"])
        })
        .unwrap_or_default();
    let (year, month) = c.period;
    let here = address(&c);
    Ok(MonthView {
        page: PageContext::new(Some(auth), "projects").with_notice(q.notice.as_deref()),
        zones: c.scope.zones,
        zone_id: c.scope.zone.id,
        zone_name: c.scope.zone.name.clone(),
        year,
        month,
        period: format!("{year}-{month:02}"),
        departments,
        liaisons,
        department_id: c.scope.filter.department_id,
        liaison_user_id: c.scope.filter.liaison_user_id,
        missing_only: c.scope.missing_only,
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
        kfq_app::access::ZoneTarget::check(&state.store, &auth.principal, c.scope.zone.id).await?;
    let rows = typed_rows(&input);
    let saved = monthly::save(
        &state.store,
        &auth.actor(),
        &target,
        c.period,
        &rows,
        today(),
    )
    .await;
    sheet::answer_save(saved, &address(&c), async |errors| {
        month_view(&state, &auth, &q, Some((&input, errors))).await
    })
    .await
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
async fn api_sheet(state: &AppState, auth: &Auth, q: &MonthQuery) -> AppResult<MonthSheet> {
    let c = chosen(state, auth, q).await?;
    if let Some(asked) = common::ListQuery::id(&q.zone_id, "zone_id")? {
        c.scope.is_zone(asked)?;
    }
    let target =
        kfq_app::access::ZoneTarget::check(&state.store, &auth.principal, c.scope.zone.id).await?;
    Ok(monthly::sheet(&state.store, &target, c.period, &c.scope.filter, today()).await?)
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
    c.scope.is_zone(zone_id)?;
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
