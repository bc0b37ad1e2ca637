//! 招商引资 reports as a unit sends them: the ledger as it goes upward (在谈
//! and 签约 sheets), the weekly report of the projects in talks with what
//! each week moved, and the monthly 通报 of a zone, city or province (the
//! year's figures against targets by 序时进度, the zones ranked, the month's
//! signings). Each is data first (the page and the API answer it) and then
//! a .docx and an .xlsx built from the same data.

use chrono::{Datelike, Days, NaiveDate};
use kfq_attraction::activity::week_start;
use kfq_attraction::LeadStage;
use kfq_calendar::Period;
use kfq_docx::{Column, Document, Table};
use kfq_domain::investment::percent;
use kfq_domain::{Money, OrgKind, Principal};
use kfq_export::{ReportCell, ReportSheet};
use kfq_store::{Activity, ActivityFilter, Lead, LeadFilter, OrgUnit, Store};
use serde::Serialize;

use super::kpi::{board, KpiBoard};
use crate::error::Result;
use crate::i18n::Catalog;

/// The leads of a unit (a zone, or every zone under a city or province) as
/// the caller sees them.
async fn leads_under(store: &Store, principal: &Principal, unit: &OrgUnit) -> Result<Vec<Lead>> {
    let filter = LeadFilter {
        zone_id: (unit.kind() == OrgKind::Zone).then_some(unit.id),
        under: Some(unit.org_path()),
        ..LeadFilter::default()
    };
    Ok(store
        .leads(&principal.lead_sight(), &filter, 0, 100_000)
        .await?
        .items)
}

/// The catalogue's word for a key built at run time.
fn word(catalog: &Catalog, key: String) -> String {
    catalog.t(&key).to_owned()
}

fn in_talks(stage: LeadStage) -> bool {
    matches!(stage, LeadStage::Assessing | LeadStage::Negotiating)
}

/// "省外·江苏省", "境外·德国", "省内".
fn origin_text(catalog: &Catalog, lead: &Lead) -> String {
    let origin = word(catalog, format!("Origin.{}", lead.investor_origin.code()));
    match &lead.investor_place {
        Some(place) if !place.is_empty() => format!("{origin}·{place}"),
        _ => origin.to_owned(),
    }
}

fn chain_text(lead: &Lead) -> String {
    match (&lead.industry_chain, &lead.chain_node) {
        (Some(chain), Some(node)) if !node.is_empty() => format!("{chain}·{node}"),
        (Some(chain), _) => chain.clone(),
        _ => String::new(),
    }
}

/// What the leads were signed for, together.
fn signed_total(leads: &[Lead]) -> Money {
    leads.iter().fold(Money::ZERO, |acc, l| {
        acc + l.signed_amount.unwrap_or(Money::ZERO)
    })
}

fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn stage_text(catalog: &Catalog, stage: LeadStage) -> String {
    word(catalog, format!("LeadStage.{}", stage.code()))
}

// ---- the ledger as it goes upward ----

/// The 招商项目台账 of the unit as a workbook: a sheet of the projects in
/// talks (线索, 研判, 洽谈) and one of those signed (签约 and after), each
/// with its totals; 终止 projects are left out. `filter` narrows it as the
/// pipeline does.
pub async fn ledger_workbook(
    store: &Store,
    principal: &Principal,
    filter: &LeadFilter,
    on: NaiveDate,
) -> Result<Vec<u8>> {
    let leads = store
        .leads(&principal.lead_sight(), filter, 0, 100_000)
        .await?
        .items;
    let catalog = Catalog::zh();
    Ok(
        crate::off_the_workers(move || ledger_sheets(catalog, &leads, on))
            .await?
            .map_err(anyhow::Error::from)?,
    )
}

fn ledger_sheets(
    catalog: &'static Catalog,
    leads: &[Lead],
    on: NaiveDate,
) -> std::result::Result<Vec<u8>, kfq_export::ExportError> {
    use ReportCell::{Count, Text, Wan};
    let t = |k: &str| catalog.t(k).to_owned();
    let talks: Vec<&Lead> = leads
        .iter()
        .filter(|l| l.stage.rank() < LeadStage::Signed.rank() && l.stage != LeadStage::Terminated)
        .collect();
    let signed: Vec<&Lead> = leads
        .iter()
        .filter(|l| l.stage.rank() >= LeadStage::Signed.rank())
        .collect();
    let talk_rows: Vec<Vec<ReportCell>> = talks
        .iter()
        .enumerate()
        .map(|(n, l)| {
            vec![
                Count(n as i64 + 1),
                Text(l.zone_name.clone()),
                Text(l.name.clone()),
                Text(l.investor_name.clone()),
                Text(origin_text(catalog, l)),
                Text(chain_text(l)),
                Wan(l.investment),
                Text(word(catalog, format!("Source.{}", l.source.code()))),
                Text(stage_text(catalog, l.stage)),
                Text(l.owner_name.clone().unwrap_or_default()),
                Text(l.registered_on.to_string()),
                Text(l.last_touch_on.to_string()),
            ]
        })
        .collect();
    let sum = |items: &[&Lead], pick: fn(&Lead) -> Money| {
        items.iter().fold(Money::ZERO, |acc, l| acc + pick(l))
    };
    let count_text =
        |n: usize| Text(catalog.format("attraction.file.count", &[("n", &n.to_string())]));
    let talk_totals = {
        let mut row = vec![Text(t("common.totals")), count_text(talks.len())];
        row.extend(std::iter::repeat_n(Text(String::new()), 4));
        row.push(Wan(sum(&talks, |l| l.investment)));
        row
    };
    let signed_rows: Vec<Vec<ReportCell>> = signed
        .iter()
        .enumerate()
        .map(|(n, l)| {
            vec![
                Count(n as i64 + 1),
                Text(l.zone_name.clone()),
                Text(l.name.clone()),
                Text(l.investor_name.clone()),
                Text(origin_text(catalog, l)),
                Text(chain_text(l)),
                Wan(l.investment),
                Text(word(catalog, format!("Source.{}", l.source.code()))),
                Text(day(l.signed_on)),
                Wan(l.signed_amount.unwrap_or(Money::ZERO)),
                Text(
                    l.agreement
                        .map(|a| word(catalog, format!("AgreementKind.{}", a.code())))
                        .unwrap_or_default(),
                ),
                Text(stage_text(catalog, l.stage)),
                Text(l.enterprise_name.clone().unwrap_or_default()),
                Text(l.enterprise_credit_code.clone().unwrap_or_default()),
                Text(day(l.started_on)),
                Text(day(l.produced_on)),
                Wan(l.funds_arrived),
            ]
        })
        .collect();
    let signed_totals = {
        let mut row = vec![Text(t("common.totals")), count_text(signed.len())];
        row.extend(std::iter::repeat_n(Text(String::new()), 4));
        row.push(Wan(sum(&signed, |l| l.investment)));
        row.extend(std::iter::repeat_n(Text(String::new()), 2));
        row.push(Wan(sum(&signed, |l| {
            l.signed_amount.unwrap_or(Money::ZERO)
        })));
        row.extend(std::iter::repeat_n(Text(String::new()), 6));
        row.push(Wan(sum(&signed, |l| l.funds_arrived)));
        row
    };
    let talk_headers: Vec<&str> = [
        "common.serial",
        "project.zone",
        "attraction.file.name",
        "attraction.file.investor",
        "attraction.file.origin",
        "attraction.file.chain",
        "attraction.file.investment_wan",
        "attraction.file.source",
        "attraction.file.stage",
        "attraction.file.owner",
        "attraction.file.registered_on",
        "attraction.file.last_touch",
    ]
    .iter()
    .map(|k| catalog.t(k))
    .collect();
    let signed_headers: Vec<&str> = [
        "common.serial",
        "project.zone",
        "attraction.file.name",
        "attraction.file.investor",
        "attraction.file.origin",
        "attraction.file.chain",
        "attraction.file.investment_wan",
        "attraction.file.source",
        "attraction.file.signed_on",
        "attraction.file.signed_wan",
        "attraction.file.agreement",
        "attraction.file.stage",
        "attraction.file.enterprise",
        "attraction.file.enterprise_code",
        "attraction.file.started_on",
        "attraction.file.produced_on",
        "attraction.file.funds_wan",
    ]
    .iter()
    .map(|k| catalog.t(k))
    .collect();
    let as_of = catalog.format("attraction.file.as_of", &[("on", &on.to_string())]);
    kfq_export::report_workbook(&[
        ReportSheet {
            name: catalog.t("attraction.file.talks_sheet"),
            title: catalog.t("attraction.file.talks_title"),
            unit_note: &as_of,
            headers: &talk_headers,
            rows: &talk_rows,
            totals: &talk_totals,
            empty: catalog.t("attraction.file.none"),
        },
        ReportSheet {
            name: catalog.t("attraction.file.signed_sheet"),
            title: catalog.t("attraction.file.signed_title"),
            unit_note: &as_of,
            headers: &signed_headers,
            rows: &signed_rows,
            totals: &signed_totals,
            empty: catalog.t("attraction.file.none"),
        },
    ])
}

// ---- the weekly report of projects in talks ----

/// A project in talks and what its week brought.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TalkLine {
    pub lead: Lead,
    /// The week's activities on it, in order.
    pub week: Vec<Activity>,
    /// The open next step agreed last (what, by when).
    pub next_step: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub next_due: Option<NaiveDate>,
}

/// The weekly 在谈项目 report of a unit.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeeklyTalks {
    pub org_id: i64,
    pub org_name: String,
    /// Monday and Sunday of the week.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub from: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub to: NaiveDate,
    /// Only projects of at least this intended investment, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub min_investment: Option<Money>,
    /// Projects in talks (研判, 洽谈), largest first.
    pub talks: Vec<TalkLine>,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub talks_investment: Money,
    /// Registered during the week.
    pub new_leads: Vec<Lead>,
    /// Signed during the week.
    pub signed: Vec<Lead>,
    /// Activities held during the week.
    pub activities: i64,
}

/// The week holding `day`, for the unit `org_id`; projects below
/// `min_investment` left out of the talks.
pub async fn weekly(
    store: &Store,
    principal: &Principal,
    org_id: i64,
    day: NaiveDate,
    min_investment: Option<Money>,
) -> Result<WeeklyTalks> {
    let unit = store.org(&principal.org_visibility(), org_id).await?;
    let from = week_start(day);
    let to = from + Days::new(6);
    let leads = leads_under(store, principal, &unit).await?;
    let held: Vec<Activity> = store
        .activities(
            &principal.lead_sight(),
            &ActivityFilter {
                zone_id: (unit.kind() == OrgKind::Zone).then_some(unit.id),
                from: Some(from - Days::new(366)),
                to: Some(to),
                ..ActivityFilter::default()
            },
            0,
            20_000,
        )
        .await?
        .items
        .into_iter()
        .filter(|a| a.zone_path.starts_with(unit.path.as_str()))
        .collect();
    let in_week = |d: NaiveDate| from <= d && d <= to;
    let mut talks: Vec<TalkLine> = leads
        .iter()
        .filter(|l| in_talks(l.stage))
        .filter(|l| min_investment.is_none_or(|m| l.investment >= m))
        .map(|l| {
            let mut on_lead: Vec<&Activity> = held
                .iter()
                .filter(|a| a.on_date <= to && a.leads.iter().any(|x| x.id == l.id))
                .collect();
            on_lead.sort_by_key(|a| (a.on_date, a.id));
            let open_step = on_lead
                .iter()
                .rev()
                .find(|a| a.next_step.is_some() && a.next_done_on.is_none());
            TalkLine {
                lead: l.clone(),
                next_step: open_step.and_then(|a| a.next_step.clone()),
                next_due: open_step.and_then(|a| a.next_due),
                week: on_lead
                    .iter()
                    .filter(|a| in_week(a.on_date))
                    .map(|a| (*a).clone())
                    .collect(),
            }
        })
        .collect();
    talks.sort_by(|a, b| {
        b.lead
            .investment
            .cmp(&a.lead.investment)
            .then(a.lead.id.cmp(&b.lead.id))
    });
    let talks_investment = talks
        .iter()
        .fold(Money::ZERO, |acc, t| acc + t.lead.investment);
    Ok(WeeklyTalks {
        org_id: unit.id,
        org_name: unit.name,
        from,
        to,
        min_investment,
        talks_investment,
        new_leads: leads
            .iter()
            .filter(|l| in_week(l.registered_on))
            .cloned()
            .collect(),
        signed: leads
            .iter()
            .filter(|l| l.signed_on.is_some_and(in_week) && l.stage != LeadStage::Terminated)
            .cloned()
            .collect(),
        activities: held.iter().filter(|a| in_week(a.on_date)).count() as i64,
        talks,
    })
}

/// A talk line's week in words: "11月30日 外出招商：赴江阴考察（双方商定…）".
fn week_text(catalog: &Catalog, line: &TalkLine) -> String {
    if line.week.is_empty() {
        return catalog.t("attraction.weekly.quiet").to_owned();
    }
    line.week
        .iter()
        .map(|a| {
            let what = match &a.outcome {
                Some(o) if !o.is_empty() => catalog.format(
                    "attraction.weekly.with_outcome",
                    &[("title", &a.title), ("outcome", o)],
                ),
                _ => a.title.clone(),
            };
            catalog.format(
                "attraction.weekly.activity_line",
                &[
                    ("month", &a.on_date.month().to_string()),
                    ("day", &a.on_date.day().to_string()),
                    (
                        "kind",
                        &word(catalog, format!("ActivityKind.{}", a.kind.code())),
                    ),
                    ("what", &what),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(catalog.t("common.join.clauses"))
}

fn next_text(catalog: &Catalog, line: &TalkLine) -> String {
    match (&line.next_step, line.next_due) {
        (Some(step), Some(due)) => catalog.format(
            "attraction.weekly.step_by",
            &[("step", step), ("due", &due.format("%m-%d").to_string())],
        ),
        (Some(step), None) => step.clone(),
        _ => String::new(),
    }
}

fn weekly_title(catalog: &Catalog, w: &WeeklyTalks) -> String {
    catalog.format(
        "attraction.weekly.title",
        &[
            ("unit", &w.org_name),
            ("from", &kfq_docx::format_date(w.from)),
            ("to", &kfq_docx::format_date(w.to)),
        ],
    )
}

fn weekly_summary(catalog: &Catalog, w: &WeeklyTalks) -> String {
    catalog.format(
        "attraction.weekly.summary",
        &[
            ("talks", &w.talks.len().to_string()),
            ("amount", &w.talks_investment.yi_2()),
            ("new", &w.new_leads.len().to_string()),
            ("signed", &w.signed.len().to_string()),
            ("signed_amount", &signed_total(&w.signed).yi_2()),
            ("activities", &w.activities.to_string()),
        ],
    )
}

const WEEKLY_HEADERS: [&str; 8] = [
    "common.serial",
    "attraction.file.name",
    "attraction.file.investor",
    "attraction.file.investment_yi",
    "attraction.file.stage",
    "attraction.weekly.progress",
    "attraction.weekly.next",
    "attraction.file.owner",
];

fn weekly_cells(catalog: &Catalog, n: usize, line: &TalkLine, many_zones: bool) -> [String; 8] {
    let l = &line.lead;
    let name = if many_zones {
        catalog.format(
            "attraction.weekly.in_zone",
            &[("name", &l.name), ("zone", &l.zone_name)],
        )
    } else {
        l.name.clone()
    };
    [
        (n + 1).to_string(),
        name,
        l.investor_name.clone(),
        l.investment.yi_2(),
        stage_text(catalog, l.stage),
        week_text(catalog, line),
        next_text(catalog, line),
        l.owner_name.clone().unwrap_or_default(),
    ]
}

/// The weekly report as a .docx: title, the week in one paragraph, the
/// table of projects in talks, the week's signings and new leads.
pub fn weekly_docx(w: &WeeklyTalks, many_zones: bool) -> Vec<u8> {
    let catalog = Catalog::zh();
    let mut doc = Document::new(weekly_title(catalog, w))
        .date(w.to)
        .heading(1, catalog.t("attraction.weekly.overview"))
        .paragraph(weekly_summary(catalog, w))
        .heading(1, catalog.t("attraction.weekly.talks"));
    if w.talks.is_empty() {
        doc = doc.paragraph(catalog.t("attraction.weekly.no_talks"));
    } else {
        let mut table = Table::new([
            Column::center(2),
            Column::left(6),
            Column::left(5),
            Column::right(4),
            Column::center(3),
            Column::left(9),
            Column::left(6),
            Column::center(3),
        ])
        .header_row(WEEKLY_HEADERS.map(|k| catalog.t(k)));
        for (n, line) in w.talks.iter().enumerate() {
            table = table.row(weekly_cells(catalog, n, line, many_zones));
        }
        doc = doc.table(table);
    }
    doc = doc.heading(1, catalog.t("attraction.weekly.signed"));
    doc = if w.signed.is_empty() {
        doc.paragraph(catalog.t("attraction.weekly.none_signed"))
    } else {
        doc.paragraph(
            w.signed
                .iter()
                .map(|l| {
                    catalog.format(
                        "attraction.weekly.signed_line",
                        &[
                            ("zone", &l.zone_name),
                            ("name", &l.name),
                            ("amount", &l.signed_amount.unwrap_or(Money::ZERO).yi_2()),
                        ],
                    )
                })
                .collect::<Vec<_>>()
                .join(catalog.t("common.join.clauses")),
        )
    };
    doc.to_bytes()
}

/// The weekly report as an .xlsx: the table of projects in talks.
pub fn weekly_xlsx(w: &WeeklyTalks, many_zones: bool) -> Result<Vec<u8>> {
    let catalog = Catalog::zh();
    let rows: Vec<Vec<ReportCell>> = w
        .talks
        .iter()
        .enumerate()
        .map(|(n, line)| {
            let cells = weekly_cells(catalog, n, line, many_zones);
            cells
                .into_iter()
                .enumerate()
                .map(|(i, c)| match i {
                    0 => ReportCell::Count(n as i64 + 1),
                    3 => ReportCell::Yi(line.lead.investment),
                    _ => ReportCell::Text(c),
                })
                .collect()
        })
        .collect();
    let headers = WEEKLY_HEADERS.map(|k| catalog.t(k));
    let mut totals = vec![
        ReportCell::Text(catalog.t("common.totals").into()),
        ReportCell::Text(catalog.format(
            "attraction.file.count",
            &[("n", &w.talks.len().to_string())],
        )),
        ReportCell::Text(String::new()),
    ];
    totals.push(ReportCell::Yi(w.talks_investment));
    let summary = weekly_summary(catalog, w);
    Ok(kfq_export::report_workbook(&[ReportSheet {
        name: catalog.t("attraction.weekly.sheet"),
        title: &weekly_title(catalog, w),
        unit_note: &summary,
        headers: &headers,
        rows: &rows,
        totals: &totals,
        empty: catalog.t("attraction.weekly.no_talks"),
    }])
    .map_err(anyhow::Error::from)?)
}

// ---- the monthly 通报 ----

/// The monthly 招商引资 通报 of a unit.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthlyAttraction {
    /// The month, "2026-11".
    pub month: String,
    /// The year's figures on the month's last day, with targets and zones.
    pub board: KpiBoard,
    /// Signed during the month (not ended since), largest first.
    pub signed: Vec<Lead>,
    /// Started during the month.
    pub started: Vec<Lead>,
}

pub async fn monthly(
    store: &Store,
    principal: &Principal,
    org_id: i64,
    month: Period,
) -> Result<MonthlyAttraction> {
    let unit = store.org(&principal.org_visibility(), org_id).await?;
    let board = board(store, principal, org_id, month.year(), month.last_day()).await?;
    let leads = leads_under(store, principal, &unit).await?;
    let mut signed: Vec<Lead> = leads
        .iter()
        .filter(|l| {
            l.signed_on.is_some_and(|d| month.contains(d)) && l.stage != LeadStage::Terminated
        })
        .cloned()
        .collect();
    signed.sort_by(|a, b| b.signed_amount.cmp(&a.signed_amount).then(a.id.cmp(&b.id)));
    let started = leads
        .iter()
        .filter(|l| l.started_on.is_some_and(|d| month.contains(d)))
        .cloned()
        .collect();
    Ok(MonthlyAttraction {
        month: month.code(),
        board,
        signed,
        started,
    })
}

fn rate(r: &kfq_attraction::kpi::Ratio) -> String {
    r.tenths().map_or_else(|| "—".into(), percent)
}

fn month_of(m: &MonthlyAttraction) -> Period {
    Period::parse(&m.month).unwrap_or_else(|_| Period::of(m.board.on))
}

fn monthly_title(catalog: &Catalog, m: &MonthlyAttraction) -> String {
    catalog.format(
        "attraction.monthly.title",
        &[("month", &month_of(m).label()), ("unit", &m.board.org_name)],
    )
}

/// 一、总体情况: the year to date against targets.
fn monthly_overview(catalog: &Catalog, m: &MonthlyAttraction) -> Vec<String> {
    let b = &m.board;
    let k = &b.kpis;
    let period = month_of(m);
    let mut out = vec![catalog.format(
        "attraction.monthly.overview",
        &[
            ("ytd", &period.ytd_label()),
            ("unit", &b.org_name),
            ("signed", &k.signed.to_string()),
            ("amount", &k.signed_amount.yi_2()),
            ("over_one_yi", &k.over_one_yi.to_string()),
            (
                "c1",
                &(k.over_one_yi - k.from_3_to_10 - k.from_10_to_20 - k.over_20).to_string(),
            ),
            ("c3", &k.from_3_to_10.to_string()),
            ("c10", &k.from_10_to_20.to_string()),
            ("c20", &k.over_20.to_string()),
            ("out", &k.out_of_province_amount.yi_2()),
            ("month_signed", &m.signed.len().to_string()),
            ("month_amount", &signed_total(&m.signed).yi_2()),
        ],
    )];
    out.push(catalog.format(
        "attraction.monthly.rates",
        &[
            ("start_same_year", &rate(&k.started_same_year)),
            ("fulfilled", &rate(&k.fulfilled)),
            ("landed", &rate(&k.landed)),
            ("started", &rate(&k.started)),
            ("producing", &rate(&k.producing)),
            ("funds", &rate(&k.funds)),
        ],
    ));
    for c in &b.checked {
        let figure = word(catalog, format!("attraction.kpi.figure.{}", c.figure));
        let figure = figure.as_str();
        let line = match &c.progress {
            Some(p) => catalog.format(
                "attraction.monthly.against",
                &[
                    ("figure", figure),
                    ("completion", &percent(p.completion_tenths)),
                    ("elapsed", &percent(p.elapsed_tenths)),
                    ("light", &word(catalog, format!("Rag.{}", rag_code(c.rag)))),
                ],
            ),
            None => catalog.format(
                "attraction.monthly.against_rate",
                &[
                    ("figure", figure),
                    ("actual", &percent(c.actual)),
                    ("target", &percent(c.target)),
                    ("light", &word(catalog, format!("Rag.{}", rag_code(c.rag)))),
                ],
            ),
        };
        out.push(line);
    }
    out
}

fn rag_code(rag: kfq_domain::Rag) -> &'static str {
    match rag {
        kfq_domain::Rag::Red => "red",
        kfq_domain::Rag::Yellow => "yellow",
        kfq_domain::Rag::Green => "green",
    }
}

/// The 通报's words as a page shows them: the overview, then the issues.
pub fn monthly_paragraphs(m: &MonthlyAttraction) -> Vec<String> {
    let catalog = Catalog::zh();
    let mut out = monthly_overview(catalog, m);
    out.extend(issues(catalog, m));
    out
}

/// 存在问题: the figures in red, the zones behind 序时进度.
fn issues(catalog: &Catalog, m: &MonthlyAttraction) -> Vec<String> {
    let behind = behind(m);
    let red: Vec<String> = m
        .board
        .checked
        .iter()
        .filter(|c| c.rag == kfq_domain::Rag::Red)
        .map(|c| word(catalog, format!("attraction.kpi.figure.{}", c.figure)))
        .collect();
    let mut out = Vec::new();
    if behind.is_empty() && red.is_empty() {
        out.push(catalog.t("attraction.monthly.no_issues").to_owned());
    }
    if !red.is_empty() {
        out.push(catalog.format(
            "attraction.monthly.red_figures",
            &[("figures", &red.join(catalog.t("common.join.items")))],
        ));
    }
    if !behind.is_empty() {
        out.push(catalog.format(
            "attraction.monthly.behind",
            &[("zones", &behind.join(catalog.t("common.join.items")))],
        ));
    }
    out
}

/// The zones behind 序时进度 on their 签约额 target.
fn behind(m: &MonthlyAttraction) -> Vec<&str> {
    m.board
        .zones
        .iter()
        .filter(|z| {
            z.signed_amount_progress
                .as_ref()
                .is_some_and(|p| p.completion_tenths < p.elapsed_tenths)
        })
        .map(|z| z.zone_name.as_str())
        .collect()
}

const ZONE_HEADERS: [&str; 8] = [
    "attraction.monthly.rank",
    "project.zone",
    "attraction.kpi.signed",
    "attraction.kpi.signed_amount_yi",
    "attraction.kpi.over_one_yi",
    "attraction.kpi.out_of_province_yi",
    "attraction.kpi.start_rate",
    "attraction.kpi.funds",
];

fn zone_cells(m: &MonthlyAttraction) -> Vec<[String; 8]> {
    m.board
        .zones
        .iter()
        .enumerate()
        .map(|(n, z)| {
            [
                (n + 1).to_string(),
                z.zone_name.clone(),
                z.kpis.signed.to_string(),
                z.kpis.signed_amount.yi_2(),
                z.kpis.over_one_yi.to_string(),
                z.kpis.out_of_province_amount.yi_2(),
                rate(&z.kpis.started_same_year),
                rate(&z.kpis.funds),
            ]
        })
        .collect()
}

const SIGNED_HEADERS: [&str; 7] = [
    "common.serial",
    "project.zone",
    "attraction.file.name",
    "attraction.file.investor",
    "attraction.file.origin",
    "attraction.file.signed_on",
    "attraction.file.signed_yi",
];

fn signed_cells(catalog: &Catalog, m: &MonthlyAttraction) -> Vec<[String; 7]> {
    m.signed
        .iter()
        .enumerate()
        .map(|(n, l)| {
            [
                (n + 1).to_string(),
                l.zone_name.clone(),
                l.name.clone(),
                l.investor_name.clone(),
                origin_text(catalog, l),
                day(l.signed_on),
                l.signed_amount.unwrap_or(Money::ZERO).yi_2(),
            ]
        })
        .collect()
}

/// The 通报 as a .docx: 一、总体情况 (figures against targets), 二、各开发区
/// 情况 (the ranking, for a city or province), 三、本月签约项目, 四、存在问题
/// (zones behind 序时进度, figures in red).
pub fn monthly_docx(m: &MonthlyAttraction) -> Vec<u8> {
    let catalog = Catalog::zh();
    let mut doc = Document::new(monthly_title(catalog, m))
        .date(m.board.on)
        .heading(1, catalog.t("attraction.monthly.overview_heading"));
    for p in monthly_overview(catalog, m) {
        doc = doc.paragraph(p);
    }
    if !m.board.zones.is_empty() {
        doc = doc.heading(1, catalog.t("attraction.monthly.zones_heading"));
        let mut table = Table::new([
            Column::center(2),
            Column::left(7),
            Column::right(2),
            Column::right(3),
            Column::right(3),
            Column::right(3),
            Column::right(3),
            Column::right(3),
        ])
        .header_row(ZONE_HEADERS.map(|k| catalog.t(k)));
        for row in zone_cells(m) {
            table = table.row(row);
        }
        doc = doc.table(table);
    }
    doc = doc.heading(1, catalog.t("attraction.monthly.signed_heading"));
    if m.signed.is_empty() {
        doc = doc.paragraph(catalog.t("attraction.monthly.none_signed"));
    } else {
        let mut table = Table::new([
            Column::center(2),
            Column::left(5),
            Column::left(7),
            Column::left(6),
            Column::center(3),
            Column::center(3),
            Column::right(3),
        ])
        .header_row(SIGNED_HEADERS.map(|k| catalog.t(k)));
        for row in signed_cells(catalog, m) {
            table = table.row(row);
        }
        doc = doc.table(table);
    }
    doc = doc.heading(1, catalog.t("attraction.monthly.issues_heading"));
    for p in issues(catalog, m) {
        doc = doc.paragraph(p);
    }
    doc.to_bytes()
}

/// The 通报 as an .xlsx: the zones ranked and the month's signings, a sheet each.
pub fn monthly_xlsx(m: &MonthlyAttraction) -> Result<Vec<u8>> {
    use ReportCell::{Count, Text, Yi};
    let catalog = Catalog::zh();
    let b = &m.board;
    let zone_rows: Vec<Vec<ReportCell>> = b
        .zones
        .iter()
        .enumerate()
        .map(|(n, z)| {
            vec![
                Count(n as i64 + 1),
                Text(z.zone_name.clone()),
                Count(z.kpis.signed),
                Yi(z.kpis.signed_amount),
                Count(z.kpis.over_one_yi),
                Yi(z.kpis.out_of_province_amount),
                Text(rate(&z.kpis.started_same_year)),
                Text(rate(&z.kpis.funds)),
            ]
        })
        .collect();
    let zone_totals = vec![
        Text(catalog.t("common.totals").into()),
        Text(b.org_name.clone()),
        Count(b.kpis.signed),
        Yi(b.kpis.signed_amount),
        Count(b.kpis.over_one_yi),
        Yi(b.kpis.out_of_province_amount),
        Text(rate(&b.kpis.started_same_year)),
        Text(rate(&b.kpis.funds)),
    ];
    let signed_rows: Vec<Vec<ReportCell>> = m
        .signed
        .iter()
        .enumerate()
        .map(|(n, l)| {
            vec![
                Count(n as i64 + 1),
                Text(l.zone_name.clone()),
                Text(l.name.clone()),
                Text(l.investor_name.clone()),
                Text(origin_text(catalog, l)),
                Text(day(l.signed_on)),
                Yi(l.signed_amount.unwrap_or(Money::ZERO)),
            ]
        })
        .collect();
    let signed_totals = vec![
        Text(catalog.t("common.totals").into()),
        Text(catalog.format(
            "attraction.file.count",
            &[("n", &m.signed.len().to_string())],
        )),
        Text(String::new()),
        Text(String::new()),
        Text(String::new()),
        Text(String::new()),
        Yi(signed_total(&m.signed)),
    ];
    let title = monthly_title(catalog, m);
    let period = month_of(m);
    let note = catalog.format(
        "attraction.monthly.sheet_note",
        &[("ytd", &period.ytd_label())],
    );
    let zone_headers = ZONE_HEADERS.map(|k| catalog.t(k));
    let signed_headers = SIGNED_HEADERS.map(|k| catalog.t(k));
    let mut sheets = Vec::new();
    if !b.zones.is_empty() {
        sheets.push(ReportSheet {
            name: catalog.t("attraction.monthly.zones_sheet"),
            title: &title,
            unit_note: &note,
            headers: &zone_headers,
            rows: &zone_rows,
            totals: &zone_totals,
            empty: catalog.t("attraction.file.none"),
        });
    }
    sheets.push(ReportSheet {
        name: catalog.t("attraction.monthly.signed_sheet"),
        title: &title,
        unit_note: catalog.t("attraction.monthly.signed_note"),
        headers: &signed_headers,
        rows: &signed_rows,
        totals: &signed_totals,
        empty: catalog.t("attraction.monthly.none_signed"),
    });
    Ok(kfq_export::report_workbook(&sheets).map_err(anyhow::Error::from)?)
}
