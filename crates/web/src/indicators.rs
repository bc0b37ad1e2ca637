//! 经济指标: the indicator board (a zone's cards, a city's or the province's
//! ranking and matrix), monthly figures entered per zone, yearly targets set
//! from above, the warnings with their reasons and history, and the
//! catalogue. The numbers come from [`kfq_app::indicators::board`].

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Datelike;
use kfq_domain::{FieldErrors, OrgKind, Rag};
use kfq_indicators::{Figure, IndicatorDef, IndicatorDraft, IndicatorKind, Period, WarningRules};
use kfq_store::{
    FigureInput, IndicatorInput, IndicatorRow, IndicatorValue, OrgFilter, OrgUnit, ValueFilter,
};
use serde::{Deserialize, Serialize};

use crate::auth::Auth;
use crate::common::allow;
use crate::error::{ApiErrorDoc, AppError, AppResult};
use crate::input::Input;
use crate::layout::{render, see_other, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use kfq_app::clock::today;
use kfq_app::i18n::Catalog;
use kfq_app::indicators::board::{self as board, Board, Cell, Indicator};
use kfq_app::indicators::reasons;

pub fn routes() -> Routes {
    Routes::new()
        .get("/indicators", board_page)
        .get("/indicators/warnings", warnings_page)
        .get("/indicators/entry", entry_page)
        .post("/indicators/entry", entry_save)
        .get("/indicators/targets", targets_page)
        .post("/indicators/targets", targets_save)
        .get("/indicators/rules", rules_page)
        .post("/indicators/rules", rules_save)
        .get("/indicators/catalogue", catalogue_page)
        .post("/indicators/catalogue", catalogue_add)
        .get("/api/v1/indicators", api_catalogue)
        .post("/api/v1/indicators", api_add)
        .get("/api/v1/indicator-board", api_board)
        .get("/api/v1/indicator-values", api_values)
        .put("/api/v1/indicator-values", api_record)
        .get("/api/v1/indicator-rules", api_rules)
        .put("/api/v1/indicator-rules", api_set_rules)
        .get("/api/v1/indicator-targets", api_targets)
        .put("/api/v1/indicator-targets", api_set_targets)
}

/// `?org_id=&period=2024-06&indicator=code`
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct BoardQuery {
    /// A zone, city or the province (default: the user's own unit).
    pub org_id: Option<i64>,
    /// "2024-06" (default: last month).
    pub period: Option<String>,
    /// The indicator to rank by (code; default: the first).
    pub indicator: Option<String>,
    #[serde(default)]
    #[param(ignore)]
    pub notice: Option<String>,
}

fn period_of(raw: Option<&str>) -> AppResult<Period> {
    match raw.map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(board::default_period(today())),
        Some(p) => {
            Period::parse(p).map_err(|key| AppError::Invalid(FieldErrors::single("period", key)))
        }
    }
}

/// The unit a board is for: the one asked for, if visible, else the user's.
async fn org_of(state: &AppState, auth: &Auth, org_id: Option<i64>) -> AppResult<OrgUnit> {
    let visibility = auth.principal.org_visibility();
    match org_id {
        Some(id) => Ok(state.store.org(&visibility, id).await?),
        None => {
            // A department's (or a liaison's) board is its zone's.
            let own = auth
                .principal
                .zone_path
                .as_ref()
                .unwrap_or(&auth.principal.unit_path)
                .id();
            Ok(state.store.org(&visibility, own).await?)
        }
    }
}

/// The units a user can look at a board for: zones and the cities and
/// province above them, within their view.
async fn board_units(state: &AppState, auth: &Auth) -> AppResult<Vec<(i64, String)>> {
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
    let mut units: Vec<&OrgUnit> = orgs
        .iter()
        .filter(|o| o.kind() != OrgKind::Department)
        .collect();
    units.sort_by(|a, b| a.path.len().cmp(&b.path.len()).then(a.path.cmp(&b.path)));
    Ok(units.into_iter().map(|o| (o.id, o.name.clone())).collect())
}

async fn load_board(state: &AppState, auth: &Auth, query: &BoardQuery) -> AppResult<Board> {
    let org = org_of(state, auth, query.org_id).await?;
    let period = period_of(query.period.as_deref())?;
    let board = state
        .boards
        .board(
            &state.store,
            &auth.principal.org_visibility(),
            &org,
            period,
            today(),
        )
        .await?;
    Ok(Board::clone(&board))
}

// ---- the board ----

#[derive(Template)]
#[template(path = "indicators/board.html")]
struct BoardView {
    page: PageContext,
    board: Board,
    units: Vec<(i64, String)>,
    is_zone: bool,
    chosen: usize,
    can_enter: bool,
    can_target: bool,
    ledger: Option<(i64, String, String)>,
}

/// A position in a list, as templates hand it over (by value or by reference).
trait Position {
    fn at(self) -> usize;
}

impl Position for usize {
    fn at(self) -> usize {
        self
    }
}

impl<T: Position + Copy> Position for &T {
    fn at(self) -> usize {
        (*self).at()
    }
}

impl BoardView {
    fn cell(&self, zone: impl Position, indicator: impl Position) -> &Cell {
        &self.board.cells[zone.at() * self.board.indicators.len() + indicator.at()]
    }

    fn level(&self, cell: &Cell) -> &'static str {
        cell.level.code()
    }

    fn level_label(&self, cell: &Cell) -> String {
        self.page.label("Rag", cell.level.code())
    }

    fn percent(&self, tenths: &Option<i64>) -> String {
        tenths.map(kfq_indicators::percent).unwrap_or_default()
    }

    fn gap(&self, tenths: &Option<i64>) -> String {
        tenths
            .map(|t| {
                let sign = if t > 0 { "+" } else { "" };
                format!("{sign}{}", kfq_indicators::points(t))
            })
            .unwrap_or_default()
    }

    fn reasons(&self, cell: &Cell) -> Vec<String> {
        reasons(self.page.catalog, cell)
    }

    /// The zones ranked on the chosen indicator, best first.
    fn ranking(&self) -> Vec<(usize, &Cell)> {
        let n = self.board.indicators.len();
        let mut rows: Vec<(usize, &Cell)> = (0..self.board.zones.len())
            .map(|z| (z, &self.board.cells[z * n + self.chosen]))
            .collect();
        rows.sort_by_key(|(z, c)| (c.rank.unwrap_or(u32::MAX), *z));
        rows
    }

    fn zone_name(&self, zone: impl Position) -> &str {
        &self.board.zones[zone.at()].1
    }

    fn chosen_indicator(&self) -> &Indicator {
        &self.board.indicators[self.chosen]
    }

    fn scale(&self, ind: &Indicator) -> kfq_charts::Scale {
        kfq_charts::Scale::new(4, ind.unit_symbol).shown(ind.def.unit.decimals())
    }

    fn sparkline(&self, cell: &Cell) -> String {
        let ind = self
            .board
            .indicators
            .iter()
            .find(|i| i.row.id == cell.indicator_id);
        let title = format!(
            "{}近{}个月",
            ind.map(|i| i.row.name.as_str()).unwrap_or_default(),
            cell.trend.len()
        );
        kfq_charts::sparkline(&cell.trend, &kfq_charts::Spark::new(title))
    }

    /// The zones ranked on the chosen indicator, as bars coloured by level:
    /// completion against 序时进度 where there are targets, else growth.
    fn ranking_chart(&self) -> String {
        let ind = self.chosen_indicator();
        let rows = self.ranking();
        let by_completion = rows
            .iter()
            .any(|(_, c)| c.progress.and_then(|p| p.completion_tenths).is_some());
        let (title, scale) = if by_completion {
            (
                self.page.t("indicator.completion"),
                kfq_charts::Scale::new(1, "%"),
            )
        } else {
            (
                self.page.t("indicator.growth"),
                kfq_charts::Scale::new(1, "%"),
            )
        };
        let mut chart = kfq_charts::BarChart::new(format!("{}：{title}", ind.row.name), scale);
        for (z, c) in rows {
            let value = c.progress.and_then(|p| {
                if by_completion {
                    p.completion_tenths
                } else {
                    p.growth_tenths
                }
            });
            if let Some(value) = value {
                let mut bar = kfq_charts::Bar::new(self.board.zones[z].1.clone(), value)
                    .rag(chart_rag(c.level));
                bar.href = Some(format!(
                    "/indicators?org_id={}&period={}",
                    self.board.zones[z].0, self.board.period
                ));
                chart.bars.push(bar);
            }
        }
        if by_completion {
            chart.reference = Some(kfq_charts::Reference::new(
                self.page.t("indicator.elapsed"),
                kfq_indicators::elapsed_tenths(self.board.month),
            ));
        }
        kfq_charts::bar_chart(&chart)
    }

    /// The unit's own figure of the chosen indicator over the months.
    fn trend_chart(&self) -> String {
        let ind = self.chosen_indicator();
        let mut chart = kfq_charts::LineChart::new(
            format!("{}：{}", self.board.org_name, ind.row.name),
            self.scale(ind),
        );
        chart.labels = self.board.periods.clone();
        if let Some(total) = self.board.totals.get(self.chosen) {
            chart.series.push(kfq_charts::Series::new(
                self.board.org_name.clone(),
                total.trend.clone(),
            ));
        }
        kfq_charts::line_chart(&chart)
    }

    fn total(&self, indicator: impl Position) -> String {
        self.board
            .totals
            .get(indicator.at())
            .map(|t| match (&t.value, t.missing) {
                (Some(v), _) => v.clone(),
                (None, Some(key)) => self.page.t(key).to_owned(),
                (None, None) => String::new(),
            })
            .unwrap_or_default()
    }
}

async fn board_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<BoardQuery>,
) -> AppResult<Response> {
    let board = load_board(&state, &auth, &query).await?;
    let org = org_of(&state, &auth, Some(board.org_id)).await?;
    let is_zone = org.kind() == OrgKind::Zone;
    let chosen = query
        .indicator
        .as_deref()
        .and_then(|code| board.indicators.iter().position(|i| i.row.code == code))
        .unwrap_or(0);
    let ledger = if is_zone {
        let filter = kfq_store::LedgerFilter {
            year: board.month.year(),
            month: board.month.month(),
            zone_id: Some(org.id),
            ..Default::default()
        };
        let totals = state
            .store
            .ledger(&auth.principal.zone_data_visibility(), &filter, 0, 1)
            .await?
            .totals;
        Some((
            totals.count,
            kfq_domain::Money::from_yuan(totals.total_investment).yi_2(),
            kfq_domain::Money::from_yuan(totals.ytd).yi_2(),
        ))
    } else {
        None
    };
    let view = BoardView {
        page: PageContext::new(Some(&auth), "indicators").with_notice(query.notice.as_deref()),
        can_enter: is_zone && auth.principal.can_write_zone_data(&org.org_path()),
        can_target: auth.principal.can_set_targets(&org.org_path()),
        units: board_units(&state, &auth).await?,
        is_zone,
        chosen,
        ledger,
        board,
    };
    Ok(render(&view)?.into_response())
}

fn chart_rag(level: Rag) -> kfq_charts::Rag {
    match level {
        Rag::Red => kfq_charts::Rag::Red,
        Rag::Yellow => kfq_charts::Rag::Yellow,
        Rag::Green => kfq_charts::Rag::Green,
    }
}

// ---- warnings ----

/// One warning for the list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WarningLine {
    pub zone_id: i64,
    pub zone_name: String,
    pub indicator: String,
    pub level: String,
    pub value: Option<String>,
    pub reasons: Vec<String>,
    /// "2024-03 转红" …, oldest first.
    pub history: Vec<String>,
}

fn warning_lines(catalog: &Catalog, board: &Board) -> Vec<WarningLine> {
    let n = board.indicators.len();
    let mut lines = Vec::new();
    for (z, (zone_id, zone_name)) in board.zones.iter().enumerate() {
        for (i, ind) in board.indicators.iter().enumerate() {
            let cell = &board.cells[z * n + i];
            if cell.level == Rag::Green {
                continue;
            }
            lines.push(WarningLine {
                zone_id: *zone_id,
                zone_name: zone_name.clone(),
                indicator: ind.row.name.clone(),
                level: cell.level.code().to_owned(),
                value: cell
                    .value
                    .clone()
                    .map(|v| format!("{v}{}", ind.unit_symbol)),
                reasons: reasons(catalog, cell),
                history: cell
                    .history
                    .iter()
                    .map(|t| {
                        format!(
                            "{} {}（{}）",
                            t.period,
                            catalog.t(&format!("Change.{}", t.change.code())),
                            catalog.t(&format!("Rag.{}", t.to.code()))
                        )
                    })
                    .collect(),
            });
        }
    }
    lines.sort_by_key(|l| (l.level != "red", l.zone_name.clone()));
    lines
}

#[derive(Template)]
#[template(path = "indicators/warnings.html")]
struct WarningsView {
    page: PageContext,
    board: Board,
    lines: Vec<WarningLine>,
}

async fn warnings_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<BoardQuery>,
) -> AppResult<Response> {
    let board = load_board(&state, &auth, &query).await?;
    let page = PageContext::new(Some(&auth), "indicators");
    let lines = warning_lines(page.catalog, &board);
    Ok(render(&WarningsView { page, board, lines })?.into_response())
}

// ---- figures ----

/// A zone's figures for a month, as the entry form shows them.
#[derive(Template)]
#[template(path = "indicators/entry.html")]
struct EntryView {
    page: PageContext,
    zone: OrgUnit,
    period: String,
    rows: Vec<EntryRow>,
    errors: Vec<String>,
}

struct EntryRow {
    indicator: Indicator,
    value: String,
    numerator: String,
    denominator: String,
    revision: i64,
    is_ratio: bool,
}

async fn writable_zone(state: &AppState, auth: &Auth, zone_id: Option<i64>) -> AppResult<OrgUnit> {
    let zone = org_of(state, auth, zone_id).await?;
    if zone.kind() != OrgKind::Zone {
        return Err(AppError::Invalid(FieldErrors::single(
            "zone_id",
            "error.enterprise.zone",
        )));
    }
    allow(auth.principal.can_write_zone_data(&zone.org_path()))?;
    Ok(zone)
}

#[derive(Debug, Default, Deserialize)]
struct EntryQuery {
    zone_id: Option<i64>,
    period: Option<String>,
}

async fn entry_view(
    state: &AppState,
    auth: &Auth,
    zone: OrgUnit,
    period: Period,
    input: Option<&Input>,
    errors: Vec<String>,
) -> AppResult<EntryView> {
    let indicators = board::catalogue(&state.store).await?;
    let held: Vec<IndicatorValue> = state
        .store
        .indicator_values(
            &auth.principal.org_visibility(),
            &ValueFilter {
                zone_id: Some(zone.id),
                from: Some((period.year(), period.month())),
                to: Some((period.year(), period.month())),
                ..Default::default()
            },
        )
        .await?;
    let shown = |scaled: Option<i64>| {
        scaled
            .map(|v| Figure::from_scaled(v).to_string())
            .unwrap_or_default()
    };
    let rows = indicators
        .into_iter()
        .map(|ind| {
            let v = held.iter().find(|v| v.indicator_id == ind.row.id);
            let key = |k: &str| format!("{k}_{}", ind.row.code);
            let typed =
                |k: &str, fallback: String| input.map_or(fallback.clone(), |i| i.text(&key(k)));
            EntryRow {
                value: typed("value", shown(v.map(|v| v.value))),
                numerator: typed("numerator", shown(v.and_then(|v| v.numerator))),
                denominator: typed("denominator", shown(v.and_then(|v| v.denominator))),
                revision: v.map_or(0, |v| v.revision),
                is_ratio: ind.def.kind == IndicatorKind::Ratio,
                indicator: ind,
            }
        })
        .collect();
    Ok(EntryView {
        page: PageContext::new(Some(auth), "indicators"),
        zone,
        period: period.code(),
        rows,
        errors,
    })
}

async fn entry_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<EntryQuery>,
) -> AppResult<Response> {
    let zone = writable_zone(&state, &auth, query.zone_id).await?;
    let period = period_of(query.period.as_deref())?;
    Ok(render(&entry_view(&state, &auth, zone, period, None, vec![]).await?)?.into_response())
}

/// Reads the entry form: one value (and for ratios its parts) per indicator;
/// blank leaves an indicator alone.
fn parse_entry(
    input: &Input,
    indicators: &[Indicator],
    period: Period,
) -> Result<Vec<FigureInput>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut figures = Vec::new();
    for ind in indicators {
        let raw = input.text(&format!("value_{}", ind.row.code));
        if raw.trim().is_empty() {
            continue;
        }
        let Some(value) = errors.check(
            &format!("value_{}", ind.row.code),
            Figure::parse_in(&raw, ind.def.unit),
        ) else {
            continue;
        };
        let part = |k: &str, errors: &mut FieldErrors| {
            let raw = input.text(&format!("{k}_{}", ind.row.code));
            if raw.trim().is_empty() {
                None
            } else {
                errors.check(&format!("{k}_{}", ind.row.code), Figure::parse(&raw))
            }
        };
        let parts = part("numerator", &mut errors)
            .zip(part("denominator", &mut errors))
            .map(|(n, d)| (n.scaled(), d.scaled()));
        figures.push(FigureInput {
            indicator_id: ind.row.id,
            year: period.year(),
            month: period.month(),
            value: value.scaled(),
            parts,
        });
    }
    errors.into_result().map(|()| figures)
}

async fn entry_save(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    let mut e = FieldErrors::new();
    let zone_id = input.int("zone_id", &mut e);
    let period = Period::parse(&input.text("period"));
    let zone = writable_zone(&state, &auth, zone_id).await?;
    let Ok(period) = period else {
        return Err(AppError::Invalid(FieldErrors::single(
            "period",
            "error.period",
        )));
    };
    let indicators = board::catalogue(&state.store).await?;
    match parse_entry(&input, &indicators, period) {
        Ok(figures) => {
            state
                .store
                .record_figures(&auth.actor(), (zone.id, &zone.org_path()), &figures, "form")
                .await?;
            Ok(see_other(&format!(
                "/indicators?org_id={}&period={}&notice=saved",
                zone.id,
                period.code()
            )))
        }
        Err(errors) => {
            let messages = crate::error::messages(&errors);
            let view = entry_view(&state, &auth, zone, period, Some(&input), messages).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&view)?).into_response())
        }
    }
}

// ---- targets ----

#[derive(Template)]
#[template(path = "indicators/targets.html")]
struct TargetsView {
    page: PageContext,
    zone: OrgUnit,
    year: i32,
    rows: Vec<(Indicator, String, String)>,
    errors: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct TargetsQuery {
    zone_id: Option<i64>,
    year: Option<i32>,
}

async fn target_zone(state: &AppState, auth: &Auth, zone_id: Option<i64>) -> AppResult<OrgUnit> {
    let zone = org_of(state, auth, zone_id).await?;
    if zone.kind() != OrgKind::Zone {
        return Err(AppError::Invalid(FieldErrors::single(
            "zone_id",
            "error.enterprise.zone",
        )));
    }
    allow(auth.principal.can_set_targets(&zone.org_path()))?;
    Ok(zone)
}

async fn targets_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<TargetsQuery>,
) -> AppResult<Response> {
    let zone = target_zone(&state, &auth, query.zone_id).await?;
    let year = query.year.unwrap_or(today().year());
    let held = state
        .store
        .indicator_targets(&auth.principal.org_visibility(), year, Some(zone.id))
        .await?;
    let rows = board::catalogue(&state.store)
        .await?
        .into_iter()
        .map(|ind| {
            let t = held.iter().find(|t| t.indicator_id == ind.row.id);
            let annual = t
                .and_then(|t| t.annual)
                .map(|a| Figure::from_scaled(a).to_string())
                .unwrap_or_default();
            let growth = t
                .and_then(|t| t.growth_tenths)
                .map(|g| Figure::from_tenths(g).to_string())
                .unwrap_or_default();
            (ind, annual, growth)
        })
        .collect();
    let view = TargetsView {
        page: PageContext::new(Some(&auth), "indicators"),
        zone,
        year,
        rows,
        errors: vec![],
    };
    Ok(render(&view)?.into_response())
}

type TargetLine = (i64, Option<i64>, Option<i64>);

fn parse_targets(input: &Input, indicators: &[Indicator]) -> Result<Vec<TargetLine>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut lines = Vec::new();
    for ind in indicators {
        let read = |k: &str, errors: &mut FieldErrors| {
            let key = format!("{k}_{}", ind.row.code);
            let raw = input.text(&key);
            if raw.trim().is_empty() {
                None
            } else {
                errors.check(&key, Figure::parse(&raw))
            }
        };
        let annual = if ind.def.kind == IndicatorKind::Growth {
            None
        } else {
            read("annual", &mut errors).map(Figure::scaled)
        };
        let growth = read("growth", &mut errors).map(Figure::to_tenths);
        lines.push((ind.row.id, annual, growth));
    }
    errors.into_result().map(|()| lines)
}

async fn targets_save(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    let mut e = FieldErrors::new();
    let zone_id = input.int("zone_id", &mut e);
    let year = input
        .int("year", &mut e)
        .and_then(|y| i32::try_from(y).ok());
    e.into_result()?;
    let zone = target_zone(&state, &auth, zone_id).await?;
    let year = year.unwrap_or(today().year());
    let indicators = board::catalogue(&state.store).await?;
    let lines = parse_targets(&input, &indicators)?;
    state
        .store
        .set_targets(&auth.actor(), (zone.id, &zone.org_path()), year, &lines)
        .await?;
    Ok(see_other(&format!(
        "/indicators?org_id={}&notice=saved",
        zone.id
    )))
}

// ---- warning rules ----

#[derive(Template)]
#[template(path = "indicators/rules.html")]
struct RulesView {
    page: PageContext,
    rules: WarningRules,
    can_edit: bool,
    errors: Vec<String>,
}

async fn rules_page(State(state): State<AppState>, auth: Auth) -> AppResult<Response> {
    let view = RulesView {
        page: PageContext::new(Some(&auth), "indicators"),
        rules: board::warning_rules(&state.store).await?,
        can_edit: can_add_indicator(&auth),
        errors: vec![],
    };
    Ok(render(&view)?.into_response())
}

fn parse_rules(input: &Input) -> Result<WarningRules, FieldErrors> {
    let mut e = FieldErrors::new();
    let pace_points = input.int("pace_points", &mut e);
    let growth_points = input.int("growth_points", &mut e);
    let report_day = input.int("report_day", &mut e);
    e.into_result()?;
    let rules = WarningRules {
        pace_points: pace_points.unwrap_or_default(),
        growth_points: growth_points.unwrap_or_default(),
        report_day: u32::try_from(report_day.unwrap_or_default()).unwrap_or(0),
        january_with_february: input.flag("january_with_february"),
    };
    rules
        .check()
        .map_err(|key| FieldErrors::single("pace_points", key))?;
    Ok(rules)
}

async fn save_rules(state: &AppState, auth: &Auth, input: &Input) -> AppResult<WarningRules> {
    allow(can_add_indicator(auth))?;
    let rules = parse_rules(input)?;
    state
        .store
        .set_warning_rules(
            &auth.actor(),
            &serde_json::to_string(&rules).map_err(anyhow::Error::from)?,
        )
        .await?;
    Ok(rules)
}

async fn rules_save(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    match save_rules(&state, &auth, &input).await {
        Ok(_) => Ok(see_other("/indicators/rules?notice=saved")),
        Err(AppError::Invalid(errors)) => {
            let view = RulesView {
                page: PageContext::new(Some(&auth), "indicators"),
                rules: board::warning_rules(&state.store).await?,
                can_edit: true,
                errors: crate::error::messages(&errors),
            };
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&view)?).into_response())
        }
        Err(other) => Err(other),
    }
}

/// The warning rules in force.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RulesBody {
    /// Red beyond this many points behind 序时进度; yellow beyond half.
    pub pace_points: i64,
    /// Red beyond this many points below the target growth; yellow beyond half.
    pub growth_points: i64,
    /// Figures are due by this day of the following month.
    pub report_day: u32,
    /// January is reported with February (1–2月) and not chased.
    pub january_with_february: bool,
}

impl From<WarningRules> for RulesBody {
    fn from(r: WarningRules) -> Self {
        RulesBody {
            pace_points: r.pace_points,
            growth_points: r.growth_points,
            report_day: r.report_day,
            january_with_february: r.january_with_february,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/indicator-rules", tag = "indicators", responses((status = 200, body = RulesBody)))]
pub async fn api_rules(State(state): State<AppState>, _auth: Auth) -> AppResult<Json<RulesBody>> {
    Ok(Json(board::warning_rules(&state.store).await?.into()))
}

#[utoipa::path(put, path = "/api/v1/indicator-rules", tag = "indicators", request_body = RulesBody,
    responses((status = 200, body = RulesBody), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_set_rules(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Json<RulesBody>> {
    Ok(Json(save_rules(&state, &auth, &input).await?.into()))
}

// ---- catalogue ----

#[derive(Template)]
#[template(path = "indicators/catalogue.html")]
struct CatalogueView {
    page: PageContext,
    indicators: Vec<Indicator>,
    can_add: bool,
    errors: Vec<String>,
}

fn can_add_indicator(auth: &Auth) -> bool {
    auth.principal.role == kfq_domain::Role::SystemAdmin
}

async fn catalogue_page(State(state): State<AppState>, auth: Auth) -> AppResult<Response> {
    let view = CatalogueView {
        page: PageContext::new(Some(&auth), "indicators"),
        indicators: board::catalogue(&state.store).await?,
        can_add: can_add_indicator(&auth),
        errors: vec![],
    };
    Ok(render(&view)?.into_response())
}

async fn add(state: &AppState, auth: &Auth, input: &Input) -> AppResult<IndicatorRow> {
    allow(can_add_indicator(auth))?;
    let existing = state.store.indicators().await?;
    let codes: Vec<&str> = existing.iter().map(|i| i.code.as_str()).collect();
    let draft = IndicatorDraft {
        code: input.text("code"),
        name: input.text("name"),
        unit: input.text("unit"),
        kind: input.text("kind"),
        roll_up: input.text("roll_up"),
        direction: input.text("direction"),
    };
    let def: IndicatorDef = IndicatorDef::parse(&draft, &codes)?;
    Ok(state
        .store
        .add_indicator(
            &auth.actor(),
            &IndicatorInput {
                code: def.code.clone(),
                name: def.name.clone(),
                unit: def.unit.code().to_owned(),
                kind: def.kind.code().to_owned(),
                roll_up: def.roll_up.code().to_owned(),
                direction: def.direction.code().to_owned(),
            },
        )
        .await?)
}

async fn catalogue_add(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    match add(&state, &auth, &input).await {
        Ok(_) => Ok(see_other("/indicators/catalogue")),
        Err(AppError::Invalid(errors)) => {
            let view = CatalogueView {
                page: PageContext::new(Some(&auth), "indicators"),
                indicators: board::catalogue(&state.store).await?,
                can_add: true,
                errors: crate::error::messages(&errors),
            };
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&view)?).into_response())
        }
        Err(other) => Err(other),
    }
}

// ---- API ----

#[utoipa::path(get, path = "/api/v1/indicators", tag = "indicators", responses((status = 200, body = Vec<IndicatorRow>)))]
pub async fn api_catalogue(
    State(state): State<AppState>,
    _auth: Auth,
) -> AppResult<Json<Vec<IndicatorRow>>> {
    Ok(Json(state.store.indicators().await?))
}

/// A new indicator (administrators).
#[derive(Deserialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct IndicatorBody {
    code: String,
    name: String,
    /// wan_yuan, yi_yuan, wan_usd, percent, wan_yuan_per_mu
    unit: String,
    /// cumulative, growth, ratio
    kind: String,
    /// sum, weighted, none
    roll_up: String,
    /// higher_is_better (default), lower_is_better
    direction: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/indicators", tag = "indicators", request_body = IndicatorBody,
    responses((status = 201, body = IndicatorRow), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_add(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    let row = add(&state, &auth, &input).await?;
    Ok((axum::http::StatusCode::CREATED, Json(row)).into_response())
}

#[utoipa::path(get, path = "/api/v1/indicator-board", tag = "indicators", params(BoardQuery),
    responses((status = 200, description = "zones × indicators with progress, warnings, ranks, trends and roll-ups"), (status = 404, body = ApiErrorDoc)))]
pub async fn api_board(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<BoardQuery>,
) -> AppResult<Json<Board>> {
    Ok(Json(load_board(&state, &auth, &query).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ValuesQuery {
    pub zone_id: Option<i64>,
    /// Indicator code.
    pub indicator: Option<String>,
    /// "2024-01"
    pub from: Option<String>,
    /// "2024-12"
    pub to: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/indicator-values", tag = "indicators", params(ValuesQuery),
    responses((status = 200, body = Vec<IndicatorValue>), (status = 422, body = ApiErrorDoc)))]
pub async fn api_values(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<ValuesQuery>,
) -> AppResult<Json<Vec<IndicatorValue>>> {
    let bound = |raw: &Option<String>, field: &str| -> AppResult<Option<(i32, u32)>> {
        raw.as_deref()
            .map(|p| {
                Period::parse(p)
                    .map(|p| (p.year(), p.month()))
                    .map_err(|key| AppError::Invalid(FieldErrors::single(field, key)))
            })
            .transpose()
    };
    let indicator_id = match &query.indicator {
        Some(code) => Some(
            state
                .store
                .indicators()
                .await?
                .into_iter()
                .find(|i| &i.code == code)
                .ok_or(AppError::NotFound)?
                .id,
        ),
        None => None,
    };
    let filter = ValueFilter {
        zone_id: query.zone_id,
        indicator_id,
        from: bound(&query.from, "from")?,
        to: bound(&query.to, "to")?,
        as_of: None,
    };
    Ok(Json(
        state
            .store
            .indicator_values(&auth.principal.org_visibility(), &filter)
            .await?,
    ))
}

/// A zone's figures for a month: `{"zone_id": 9, "period": "2024-06",
/// "value_industrial_investment": "18.6", "numerator_tax_per_mu": "…", …}`,
/// the same fields as the entry form.
#[derive(Deserialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FiguresBody {
    zone_id: i64,
    period: String,
    /// `value_<code>`, `numerator_<code>`, `denominator_<code>` per indicator.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    figures: std::collections::HashMap<String, String>,
}

#[utoipa::path(put, path = "/api/v1/indicator-values", tag = "indicators", request_body = FiguresBody,
    responses((status = 200, body = Vec<IndicatorValue>), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_record(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Json<Vec<IndicatorValue>>> {
    let mut e = FieldErrors::new();
    let zone_id = input.int("zone_id", &mut e);
    let period = Period::parse(&input.text("period"));
    if period.is_err() {
        e.add("period", "error.period");
    }
    e.into_result()?;
    let zone = writable_zone(&state, &auth, zone_id).await?;
    let period = period.map_err(|key| AppError::Invalid(FieldErrors::single("period", key)))?;
    let indicators = board::catalogue(&state.store).await?;
    let figures = parse_entry(&input, &indicators, period)?;
    state
        .store
        .record_figures(&auth.actor(), (zone.id, &zone.org_path()), &figures, "api")
        .await?;
    let filter = ValueFilter {
        zone_id: Some(zone.id),
        from: Some((period.year(), period.month())),
        to: Some((period.year(), period.month())),
        ..Default::default()
    };
    Ok(Json(
        state
            .store
            .indicator_values(&auth.principal.org_visibility(), &filter)
            .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct TargetsApiQuery {
    pub year: i32,
    pub zone_id: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/indicator-targets", tag = "indicators", params(TargetsApiQuery),
    responses((status = 200, body = Vec<kfq_store::IndicatorTarget>)))]
pub async fn api_targets(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<TargetsApiQuery>,
) -> AppResult<Json<Vec<kfq_store::IndicatorTarget>>> {
    Ok(Json(
        state
            .store
            .indicator_targets(&auth.principal.org_visibility(), query.year, query.zone_id)
            .await?,
    ))
}

/// A zone's targets for a year: `annual_<code>` (in the unit) and
/// `growth_<code>` (%), as the targets form.
#[derive(Deserialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct TargetsBody {
    zone_id: i64,
    year: i32,
    #[serde(flatten)]
    #[schema(value_type = Object)]
    targets: std::collections::HashMap<String, String>,
}

#[utoipa::path(put, path = "/api/v1/indicator-targets", tag = "indicators", request_body = TargetsBody,
    responses((status = 200, body = Vec<kfq_store::IndicatorTarget>), (status = 403, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_set_targets(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Json<Vec<kfq_store::IndicatorTarget>>> {
    let mut e = FieldErrors::new();
    let zone_id = input.int("zone_id", &mut e);
    let year = input
        .int("year", &mut e)
        .and_then(|y| i32::try_from(y).ok());
    e.into_result()?;
    let zone = target_zone(&state, &auth, zone_id).await?;
    let year = year.unwrap_or(today().year());
    let indicators = board::catalogue(&state.store).await?;
    let lines = parse_targets(&input, &indicators)?;
    state
        .store
        .set_targets(&auth.actor(), (zone.id, &zone.org_path()), year, &lines)
        .await?;
    Ok(Json(
        state
            .store
            .indicator_targets(&auth.principal.org_visibility(), year, Some(zone.id))
            .await?,
    ))
}
