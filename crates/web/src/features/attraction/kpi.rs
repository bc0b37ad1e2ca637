//! The 招商引资 board (/attraction/kpi): a unit's year against its targets,
//! its zones ranked, the months against last year's, every figure a link to
//! the leads behind it; the targets set from above; their API twins.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Datelike;
use kfq_app::attraction::{self as use_case, KpiBoard};
use kfq_app::clock::today;
use kfq_attraction::kpi::Ratio;
use kfq_domain::investment::percent;
use kfq_domain::{FieldErrors, Money, Rag};
use kfq_store::AttractionTargets;
use serde::{Deserialize, Serialize};

use crate::auth::Auth;
use crate::common::{self, form_post, version, PathId};
use crate::error::{ApiErrorDoc, AppResult};
use crate::input::{Amount, Body, Input};
use crate::layout::{render, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use crate::views::{Field, FieldKind, FormFields, FormHeading, FormView};

pub fn routes() -> Routes {
    Routes::new()
        .get("/attraction/kpi", board_page)
        .get("/attraction/targets/{org_id}", targets_page)
        .post("/attraction/targets/{org_id}", set_targets_page)
        .get("/api/v1/attraction/kpi", api_board)
        .get("/api/v1/attraction/targets/{org_id}", api_targets)
        .put("/api/v1/attraction/targets/{org_id}", api_set_targets)
}

/// Which unit and year.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct KpiQuery {
    /// The unit (zone, city or province); the caller's own when left out.
    pub org_id: Option<String>,
    /// The year; this year when left out.
    pub year: Option<String>,
}

impl KpiQuery {
    fn resolve(&self, auth: &Auth) -> AppResult<(i64, i32)> {
        let org = common::ListQuery::id(&self.org_id, "org_id")?.unwrap_or_else(|| {
            auth.principal
                .zone_path
                .as_ref()
                .unwrap_or(&auth.principal.unit_path)
                .id()
        });
        let year = match self.year.as_deref().map(str::trim) {
            None | Some("") => today().year(),
            Some(text) => kfq_domain::validation::parse_year(text)
                .map_err(|key| FieldErrors::single("year", key))?
                .unwrap_or_else(|| today().year()),
        };
        Ok((org, year))
    }
}

async fn load(state: &AppState, auth: &Auth, query: &KpiQuery) -> AppResult<KpiBoard> {
    let (org, year) = query.resolve(auth)?;
    Ok(use_case::board(&state.store, &auth.principal, org, year, today()).await?)
}

/// A headline figure: what it is, its value, the leads behind it, how it
/// stands against its target and its light.
struct KpiCard {
    label: String,
    value: String,
    href: String,
    note: Option<String>,
    light: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "attraction/kpi.html")]
struct BoardView {
    page: PageContext,
    board: KpiBoard,
    cards: Vec<KpiCard>,
    /// (label, rate) of the rates over every signed lead.
    rates: Vec<(String, String)>,
    trend: String,
    ranking: String,
}

impl BoardView {
    fn yi(&self, m: &Money) -> String {
        m.yi_2()
    }

    fn rate(&self, r: &Ratio) -> String {
        r.tenths().map(percent).unwrap_or_else(|| "—".into())
    }

    fn rag_code_of(&self, rag: &Rag) -> &'static str {
        rag_code(*rag)
    }

    fn rag_class(&self, rag: &Rag) -> &'static str {
        match rag {
            Rag::Red => "rag-red",
            Rag::Yellow => "rag-yellow",
            Rag::Green => "rag-green",
        }
    }
}

fn light(board: &KpiBoard, figure: &str, page: &PageContext) -> Option<String> {
    board.checked.iter().find(|c| c.figure == figure).map(|c| {
        let target = match figure {
            "signed_amount" | "out_of_province_amount" => Money::from_yuan(c.target).yi_2(),
            "start_rate" => percent(c.target),
            _ => c.target.to_string(),
        };
        let light = page.label("Rag", rag_code(c.rag));
        let light = light.as_str();
        match c.progress {
            Some(p) => page.catalog.format(
                "attraction.kpi.against",
                &[
                    ("target", &target),
                    ("done", &percent(p.completion_tenths)),
                    ("light", light),
                ],
            ),
            None => page.catalog.format(
                "attraction.kpi.against_rate",
                &[("target", &target), ("light", light)],
            ),
        }
    })
}

fn rag_code(rag: Rag) -> &'static str {
    match rag {
        Rag::Red => "red",
        Rag::Yellow => "yellow",
        Rag::Green => "green",
    }
}

async fn board_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<KpiQuery>,
) -> AppResult<Response> {
    let board = load(&state, &auth, &query).await?;
    let page = PageContext::new(Some(&auth), "attraction");
    let k = &board.kpis;
    let scope = match board.zones.is_empty() {
        true => format!("zone_id={}&", board.org_id),
        false => String::new(),
    };
    let leads = |more: &str| format!("/attraction?{scope}signed_in={}{more}", board.year);
    let yi_unit = |m: Money| page.format("attraction.yi_value", "n", &m.yi_2());
    let cards = vec![
        (
            page.t("attraction.kpi.signed").to_owned(),
            page.format("attraction.kpi.count", "n", &k.signed.to_string()),
            leads(""),
            light(&board, "signed", &page),
        ),
        (
            page.t("attraction.kpi.signed_amount").to_owned(),
            yi_unit(k.signed_amount),
            leads(""),
            light(&board, "signed_amount", &page),
        ),
        (
            page.t("attraction.kpi.over_one_yi").to_owned(),
            page.format("attraction.kpi.count", "n", &k.over_one_yi.to_string()),
            leads("&min_signed=10000"),
            {
                let classes = page.catalog.format(
                    "attraction.kpi.classes",
                    &[
                        ("a", &k.from_3_to_10.to_string()),
                        ("b", &k.from_10_to_20.to_string()),
                        ("c", &k.over_20.to_string()),
                    ],
                );
                Some(match light(&board, "over_one_yi", &page) {
                    Some(against) => format!("{classes}{}{against}", page.t("common.join.clauses")),
                    None => classes,
                })
            },
        ),
        (
            page.t("attraction.kpi.out_of_province").to_owned(),
            yi_unit(k.out_of_province_amount),
            leads("&origin=out_of_province"),
            light(&board, "out_of_province_amount", &page),
        ),
        (
            page.t("attraction.kpi.start_rate").to_owned(),
            k.started_same_year
                .tenths()
                .map(percent)
                .unwrap_or_else(|| "—".into()),
            leads(&format!("&started_in={}", board.year)),
            light(&board, "start_rate", &page),
        ),
    ];
    let figures = [
        "signed",
        "signed_amount",
        "over_one_yi",
        "out_of_province_amount",
        "start_rate",
    ];
    let cards = cards
        .into_iter()
        .zip(figures)
        .map(|((label, value, href, against), figure)| {
            let lit = board
                .checked
                .iter()
                .find(|c| c.figure == figure)
                .map(|c| rag_code(c.rag));
            KpiCard {
                label,
                value,
                href,
                note: against,
                light: lit,
            }
        })
        .collect();
    let rate = |r: Ratio| r.tenths().map(percent).unwrap_or_else(|| "—".into());
    let rates = vec![
        (
            page.t("attraction.kpi.fulfilled").to_owned(),
            rate(k.fulfilled),
        ),
        (page.t("attraction.kpi.landed").to_owned(), rate(k.landed)),
        (page.t("attraction.kpi.started").to_owned(), rate(k.started)),
        (
            page.t("attraction.kpi.producing").to_owned(),
            rate(k.producing),
        ),
        (page.t("attraction.kpi.funds").to_owned(), rate(k.funds)),
    ];
    let scale = kfq_charts::Scale::new(8, page.t("attraction.unit_yi")).shown(2);
    let mut trend = kfq_charts::LineChart::new(
        page.format("attraction.kpi.trend", "year", &board.year.to_string()),
        scale.clone(),
    );
    trend.labels = (1..=12).map(|m| format!("{m}")).collect();
    let running = |months: &[Money], until: usize| {
        let mut sum = 0;
        months
            .iter()
            .enumerate()
            .map(|(i, m)| {
                sum += m.yuan();
                (i < until).then_some(sum)
            })
            .collect::<Vec<_>>()
    };
    let shown_months = if board.on.year() == board.year {
        board.on.month() as usize
    } else {
        12
    };
    trend.series.push(kfq_charts::Series::new(
        board.year.to_string(),
        running(&board.monthly, shown_months),
    ));
    trend.series.push(kfq_charts::Series::new(
        (board.year - 1).to_string(),
        running(&board.monthly_last_year, 12),
    ));
    let mut ranking = kfq_charts::BarChart::new(page.t("attraction.kpi.ranking"), scale);
    for z in &board.zones {
        let mut bar = kfq_charts::Bar::new(z.zone_name.clone(), z.kpis.signed_amount.yuan());
        bar.href = Some(format!(
            "/attraction/kpi?org_id={}&year={}",
            z.zone_id, board.year
        ));
        if let Some(p) = z.signed_amount_progress {
            bar = bar.rag(match p.rag {
                Rag::Red => kfq_charts::Rag::Red,
                Rag::Yellow => kfq_charts::Rag::Yellow,
                Rag::Green => kfq_charts::Rag::Green,
            });
        }
        ranking.bars.push(bar);
    }
    let view = BoardView {
        trend: kfq_charts::line_chart(&trend),
        ranking: if board.zones.len() > 1 {
            kfq_charts::bar_chart(&ranking)
        } else {
            String::new()
        },
        cards,
        rates,
        page,
        board,
    };
    Ok(render(&view)?.into_response())
}

// ---- targets ----

const TARGET_FIELDS: &[&str] = &[
    "version",
    "year",
    "signed",
    "signed_amount",
    "over_one_yi",
    "out_of_province_amount",
    "start_rate",
];

/// "40", "40.5", "４０％" as tenths of a percent; at most one decimal.
fn percent_tenths(text: &str) -> Option<i64> {
    let text = kfq_domain::money::normalise_number(text);
    let text = text.trim().trim_end_matches(['%', '％']).trim();
    let (whole, tenth) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || whole.len() > 4 || !digits(whole) || tenth.len() > 1 || !digits(tenth) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let tenth: i64 = if tenth.is_empty() {
        0
    } else {
        tenth.parse().ok()?
    };
    Some(whole * 10 + tenth)
}

fn parse_targets(org_id: i64, input: &Input) -> Result<(i64, AttractionTargets), FieldErrors> {
    let mut e = FieldErrors::new();
    let expected = version(input, &mut e);
    let year = input.year("year", &mut e);
    let signed = input.opt_int("signed", &mut e);
    let over_one_yi = input.opt_int("over_one_yi", &mut e);
    let signed_amount = input.opt_money("signed_amount", &mut e);
    let out_of_province_amount = input.opt_money("out_of_province_amount", &mut e);
    // 当年开工率 as a percent ("40", "40.5", "40%"), kept in tenths.
    let start_rate_tenths = match input.text("start_rate").trim() {
        "" => None,
        text => {
            let parsed = percent_tenths(text);
            if parsed.is_none() {
                e.add("start_rate", "error.attraction.rate_range");
            }
            parsed
        }
    };
    e.into_result()?;
    Ok((
        expected,
        AttractionTargets {
            org_id,
            year: year.unwrap_or_else(|| today().year()),
            signed,
            signed_amount,
            over_one_yi,
            out_of_province_amount,
            start_rate_tenths,
            version: expected,
        },
    ))
}

async fn set_targets(
    state: &AppState,
    auth: &Auth,
    org_id: i64,
    input: &Input,
) -> AppResult<AttractionTargets> {
    state
        .store
        .org(&auth.principal.org_visibility(), org_id)
        .await?;
    let (expected, targets) = parse_targets(org_id, input)?;
    Ok(use_case::set_targets(
        &state.store,
        &auth.principal,
        &auth.actor(),
        &targets,
        expected,
    )
    .await?)
}

fn target_values(t: &AttractionTargets) -> HashMap<&'static str, String> {
    let wan = |m: Option<Money>| m.map(Money::wan_string).unwrap_or_default();
    let int = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    HashMap::from([
        ("version", t.version.to_string()),
        ("year", t.year.to_string()),
        ("signed", int(t.signed)),
        ("signed_amount", wan(t.signed_amount)),
        ("over_one_yi", int(t.over_one_yi)),
        ("out_of_province_amount", wan(t.out_of_province_amount)),
        (
            "start_rate",
            t.start_rate_tenths
                .map(|r| format!("{}.{}", r / 10, r % 10))
                .unwrap_or_default(),
        ),
    ])
}

async fn targets_form(
    state: &AppState,
    auth: &Auth,
    org_id: i64,
    values: HashMap<&'static str, String>,
    errors: Option<&FieldErrors>,
) -> AppResult<Response> {
    let unit = state
        .store
        .org(&auth.principal.org_visibility(), org_id)
        .await?;
    common::allow(auth.principal.oversight(&unit.org_path()).is_some())?;
    let page = PageContext::new(Some(auth), "attraction");
    let text = |name: &'static str, key: &str| Field::new(name, page.t(key), FieldKind::Text);
    let fields = FormFields::new(vec![
        Field::new("version", "", FieldKind::Hidden),
        Field::new("year", "", FieldKind::Hidden),
        text("signed", "attraction.target.signed"),
        text("signed_amount", "attraction.target.signed_amount"),
        text("over_one_yi", "attraction.target.over_one_yi"),
        text(
            "out_of_province_amount",
            "attraction.target.out_of_province_amount",
        ),
        text("start_rate", "attraction.target.start_rate"),
    ]);
    let year = values.get("year").cloned().unwrap_or_default();
    let heading = FormHeading {
        title: page.catalog.format(
            "attraction.target.title",
            &[("unit", &unit.name), ("year", &year)],
        ),
        action: format!("/attraction/targets/{org_id}"),
        cancel: format!("/attraction/kpi?org_id={org_id}&year={year}"),
    };
    FormView::answer(page, heading, fields, &values, errors)
}

async fn targets_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(org_id): PathId,
    Query(query): Query<KpiQuery>,
) -> AppResult<Response> {
    let (_, year) = query.resolve(&auth)?;
    let targets = state.store.attraction_targets(org_id, year).await?;
    targets_form(&state, &auth, org_id, target_values(&targets), None).await
}

async fn set_targets_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(org_id): PathId,
    input: Input,
) -> AppResult<Response> {
    form_post(
        set_targets(&state, &auth, org_id, &input).await,
        |t| format!("/attraction/kpi?org_id={}&year={}", t.org_id, t.year),
        async |errors| {
            let values = TARGET_FIELDS.iter().map(|k| (*k, input.text(k))).collect();
            targets_form(&state, &auth, org_id, values, Some(&errors)).await
        },
    )
    .await
}

// ---- API ----

/// A unit's targets for a year; a figure left out has no target.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttractionTargetsBody {
    #[schema(required = true, nullable = false)]
    year: Option<i64>,
    /// 签约项目数.
    signed: Option<i64>,
    /// 签约额, 万元.
    #[schema(value_type = Option<String>)]
    signed_amount: Option<Amount>,
    /// 亿元以上项目数.
    over_one_yi: Option<i64>,
    /// 省外签约额, 万元.
    #[schema(value_type = Option<String>)]
    out_of_province_amount: Option<Amount>,
    /// 当年开工率, percent ("40").
    #[schema(value_type = Option<String>)]
    start_rate: Option<Amount>,
    /// The version last read; 0 when none are set yet.
    #[schema(required = true, nullable = false)]
    version: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/attraction/kpi", tag = "attraction", params(KpiQuery),
    responses((status = 200, body = KpiBoard), (status = 404, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_board(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<KpiQuery>,
) -> AppResult<Json<KpiBoard>> {
    Ok(Json(load(&state, &auth, &query).await?))
}

#[utoipa::path(get, path = "/api/v1/attraction/targets/{org_id}", tag = "attraction",
    params(("org_id" = i64, Path), KpiQuery),
    responses((status = 200, body = AttractionTargets), (status = 404, body = ApiErrorDoc)))]
pub async fn api_targets(
    State(state): State<AppState>,
    auth: Auth,
    PathId(org_id): PathId,
    Query(query): Query<KpiQuery>,
) -> AppResult<Json<AttractionTargets>> {
    state
        .store
        .org(&auth.principal.org_visibility(), org_id)
        .await?;
    let (_, year) = query.resolve(&auth)?;
    Ok(Json(state.store.attraction_targets(org_id, year).await?))
}

#[utoipa::path(put, path = "/api/v1/attraction/targets/{org_id}", tag = "attraction",
    params(("org_id" = i64, Path)), request_body = AttractionTargetsBody,
    responses((status = 200, body = AttractionTargets), (status = 403, body = ApiErrorDoc), (status = 404, body = ApiErrorDoc),
        (status = 409, body = ApiErrorDoc), (status = 422, body = ApiErrorDoc)))]
pub async fn api_set_targets(
    State(state): State<AppState>,
    auth: Auth,
    PathId(org_id): PathId,
    input: Body<AttractionTargetsBody>,
) -> AppResult<Json<AttractionTargets>> {
    Ok(Json(set_targets(&state, &auth, org_id, &input).await?))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(api_board, api_targets, api_set_targets))]
pub struct ApiDoc;
