//! The ledger list (filters, sorting, totals in 亿元) and its workbook export.

use super::*;
use crate::reads::Reads;

// ---- the ledger list ----

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    pub zone_id: Option<String>,
    #[param(schema_with = crate::openapi::codes::stage)]
    pub stage: Option<String>,
    #[param(schema_with = crate::openapi::codes::category)]
    pub category: Option<String>,
    pub industry_chain_id: Option<String>,
    pub liaison_user_id: Option<String>,
    pub department_id: Option<String>,
    #[param(schema_with = crate::openapi::codes::rag)]
    pub rag: Option<String>,
    /// 入库.
    #[param(schema_with = crate::openapi::codes::yes_no)]
    pub registered: Option<String>,
    /// Name contains.
    pub q: Option<String>,
    /// Year of the plan and year-to-date figures (default: this year).
    pub year: Option<String>,
    /// Month the year-to-date figures run to (default: this month, or December of a past year).
    pub month: Option<String>,
    #[param(schema_with = crate::openapi::codes::ledger_sort)]
    pub sort: Option<String>,
    #[param(schema_with = crate::openapi::codes::sort_dir)]
    pub dir: Option<String>,
    /// "yes": list cancelled (取消) and suspended (停建) projects too and count
    /// them in the totals; left out by default.
    #[param(schema_with = crate::openapi::codes::yes_no)]
    pub inactive: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
    #[param(ignore)]
    pub notice: Option<String>,
}

pub(super) fn choice<T>(
    value: &Option<String>,
    field: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> AppResult<Option<T>> {
    match common::ListQuery::text(value) {
        None => Ok(None),
        Some(code) => parse(&code)
            .map(Some)
            .ok_or_else(|| AppError::Invalid(FieldErrors::single(field, "error.choice"))),
    }
}

/// The page of the ledger the caller asked for, with its totals, as the
/// page and its JSON twin both show it (kept while the data is unchanged).
pub(super) async fn asked_ledger(
    state: &AppState,
    auth: &Auth,
    filter: &LedgerFilter,
    paging: &Paging,
) -> AppResult<std::sync::Arc<kfq_store::Ledger>> {
    Ok(state
        .ledgers
        .ledger(
            &state.store,
            &auth.principal.zone_data_visibility(),
            filter,
            paging.offset(),
            paging.per_page,
        )
        .await?)
}

pub(super) fn ledger_filter(q: &LedgerQuery) -> AppResult<LedgerFilter> {
    let now = today();
    let year = choice(&q.year, "year", |y| {
        y.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y))
    })?
    .unwrap_or(now.year());
    // This year runs to the month just ended: the month in progress has not
    // been reported yet.
    let default_month = if year < now.year() {
        12
    } else {
        kfq_app::ledger::monthly::default_month(now)
            .1
            .min(now.month())
    };
    let month = choice(&q.month, "month", |m| {
        m.parse::<u32>().ok().filter(|m| (1..=12).contains(m))
    })?
    .unwrap_or(default_month);
    Ok(LedgerFilter {
        zone_id: common::ListQuery::id(&q.zone_id, "zone_id")?,
        stage: choice(&q.stage, "stage", Stage::from_code)?,
        category: choice(&q.category, "category", Category::from_code)?,
        industry_chain_id: common::ListQuery::id(&q.industry_chain_id, "industry_chain_id")?,
        liaison_user_id: common::ListQuery::id(&q.liaison_user_id, "liaison_user_id")?,
        department_id: common::ListQuery::id(&q.department_id, "department_id")?,
        rag: choice(&q.rag, "rag", Rag::from_code)?,
        registered: choice(&q.registered, "registered", |v| match v {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        })?,
        name_contains: common::ListQuery::text(&q.q),
        year,
        month,
        sort: choice(&q.sort, "sort", LedgerSort::from_code)?.unwrap_or_default(),
        descending: q.dir.as_deref() == Some("desc"),
        with_inactive: choice(&q.inactive, "inactive", |v| match v {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        })?
        .unwrap_or(false),
    })
}

pub(super) fn ledger_query_pairs(q: &LedgerQuery) -> Vec<(&'static str, String)> {
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    vec![
        ("zone_id", v(&q.zone_id)),
        ("stage", v(&q.stage)),
        ("category", v(&q.category)),
        ("rag", v(&q.rag)),
        ("registered", v(&q.registered)),
        ("department_id", v(&q.department_id)),
        ("liaison_user_id", v(&q.liaison_user_id)),
        ("industry_chain_id", v(&q.industry_chain_id)),
        ("q", v(&q.q)),
        ("inactive", v(&q.inactive)),
        ("year", v(&q.year)),
        ("month", v(&q.month)),
    ]
}

pub(super) struct Column {
    label: String,
    href: Option<String>,
    class: &'static str,
    /// "ascending" or "descending" on the column the list is sorted by.
    sorted: Option<&'static str>,
}

impl Column {
    fn arrow(&self) -> &'static str {
        match self.sorted {
            Some("descending") => " ▼",
            Some(_) => " ▲",
            None => "",
        }
    }
}

#[derive(Template)]
#[template(path = "projects/ledger.html")]
pub(super) struct LedgerView {
    page: PageContext,
    filters: Vec<Field>,
    columns: Vec<Column>,
    rows: Vec<LedgerRow>,
    /// Any filter or search narrows the list (an empty list then says so).
    filtered: bool,
    totals: kfq_store::LedgerTotals,
    year: i32,
    month: u32,
    prev_href: Option<String>,
    next_href: Option<String>,
    new_href: Option<String>,
    total_text: String,
    export_href: String,
    /// Cancelled and suspended projects that match but are left out.
    left_out: i64,
    inactive_href: String,
    /// A supervisor's unfiltered ledger opens with each zone's subtotal,
    /// each a way into that zone's list.
    by_zone: Vec<kfq_store::ZoneProgress>,
}

impl LedgerView {
    fn yuan(&self, yuan: &i64) -> String {
        Money::from_yuan(*yuan).yi_2()
    }

    fn zone_completion(&self, z: &kfq_store::ZoneProgress) -> String {
        completion_tenths(Money::from_yuan(z.ytd), Money::from_yuan(z.planned))
            .map(percent)
            .unwrap_or_default()
    }

    fn zone_href(&self, zone_id: &i64) -> String {
        format!(
            "/projects?zone_id={zone_id}&year={}&month={}",
            self.year, self.month
        )
    }

    /// The subtotals' total of one column: it equals the ledger's own totals row.
    fn by_zone_sum(&self, column: &str) -> i64 {
        self.by_zone
            .iter()
            .map(|z| match column {
                "projects" => z.projects,
                "planned" => z.planned,
                "ytd" => z.ytd,
                _ => z.red,
            })
            .sum()
    }

    /// A column's heading, repeated beside its value on a phone's cards.
    fn label(&self, column: usize) -> &str {
        self.columns.get(column).map_or("", |c| c.label.as_str())
    }

    fn yi(&self, amount: &Money) -> String {
        amount.yi_2()
    }

    fn opt_yi(&self, amount: &Option<Money>) -> String {
        amount.map(Money::yi_2).unwrap_or_default()
    }

    fn completion(&self, row: &LedgerRow) -> String {
        row.planned_investment
            .and_then(|p| completion_tenths(row.ytd, p))
            .map(percent)
            .unwrap_or_default()
    }
}

pub(super) async fn zone_options(
    state: &AppState,
    auth: &Auth,
    blank: &str,
) -> AppResult<Vec<(String, String)>> {
    let lists = state
        .ledgers
        .filter_lists(&state.store, &auth.principal.org_visibility(), None)
        .await?;
    Ok(options(blank, &lists.zones))
}

/// A select's options: `blank` first, then each (id, name).
fn options(blank: &str, items: &[(i64, String)]) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), blank.to_owned())];
    options.extend(
        items
            .iter()
            .map(|(id, name)| (id.to_string(), name.clone())),
    );
    options
}

pub(super) async fn ledger_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<LedgerQuery>,
) -> AppResult<Response> {
    let page = PageContext::new(Some(&auth), "projects").with_notice(query.notice.as_deref());
    let filter = ledger_filter(&query)?;
    let paging = Paging::from_query(query.page.as_deref(), query.per_page.as_deref());
    let ledger = asked_ledger(&state, &auth, &filter, &paging).await?;
    let pairs = ledger_query_pairs(&query);
    let (prev_href, next_href) = paging.links("/projects", &pairs, ledger.totals.count);
    let stages: Vec<&str> = Stage::ALL.iter().map(|s| s.code()).collect();
    let categories: Vec<&str> = Category::ALL.iter().map(|s| s.code()).collect();
    let rags: Vec<&str> = Rag::ALL.iter().map(|s| s.code()).collect();
    let select = |name, label: &str, options: Vec<(String, String)>, value: &Option<String>| {
        let mut f = Field::new(name, label, FieldKind::Select(options));
        f.value = value.clone().unwrap_or_default();
        f
    };
    let all = page.t("common.all");
    // Within one zone, the zone's own lists can filter too.
    let zone_of_list = filter
        .zone_id
        .or_else(|| auth.principal.zone_path.as_ref().map(|p| p.id()));
    let lists = state
        .ledgers
        .filter_lists(&state.store, &auth.principal.org_visibility(), zone_of_list)
        .await?;
    let mut q = Field::new("q", page.t("project.name"), FieldKind::Text);
    q.value = query.q.clone().unwrap_or_default();
    let mut year = Field::new("year", page.t("project.year"), FieldKind::Text);
    year.value = filter.year.to_string();
    let filters = vec![
        q,
        select(
            "zone_id",
            page.t("project.zone"),
            options(all, &lists.zones),
            &query.zone_id,
        ),
        select(
            "stage",
            page.t("project.stage"),
            common::code_options(&page, "Stage", &stages, true),
            &query.stage,
        ),
        select(
            "category",
            page.t("project.category"),
            common::code_options(&page, "Category", &categories, true),
            &query.category,
        ),
        select(
            "rag",
            page.t("project.rag"),
            common::code_options(&page, "Rag", &rags, true),
            &query.rag,
        ),
        select(
            "registered",
            page.t("project.registered"),
            vec![
                (String::new(), all.to_owned()),
                ("yes".into(), page.t("common.yes").into()),
                ("no".into(), page.t("common.no").into()),
            ],
            &query.registered,
        ),
        select(
            "inactive",
            page.t("project.inactive"),
            vec![
                (String::new(), page.t("project.inactive.hidden").into()),
                ("yes".into(), page.t("project.inactive.shown").into()),
            ],
            &query.inactive,
        ),
        year,
    ];
    let mut filters = filters;
    if let Some(zone) = &lists.zone {
        filters.push(select(
            "department_id",
            page.t("project.department"),
            options(all, &zone.departments),
            &query.department_id,
        ));
        filters.push(select(
            "liaison_user_id",
            page.t("project.liaison"),
            options(all, &zone.liaisons),
            &query.liaison_user_id,
        ));
        filters.push(select(
            "industry_chain_id",
            page.t("project.industry_chain"),
            options(all, &zone.chains),
            &query.industry_chain_id,
        ));
    }
    let sort_link = |key: &str| {
        let mut pairs = pairs.clone();
        let current = query.sort.as_deref().unwrap_or("zone") == key;
        let desc = current && query.dir.as_deref() != Some("desc");
        pairs.push(("sort", key.to_owned()));
        pairs.push(("dir", if desc { "desc".into() } else { String::new() }));
        let pairs: Vec<_> = pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect();
        format!(
            "/projects?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    };
    let sorted_by = query
        .sort
        .as_deref()
        .filter(|s| !s.is_empty())
        .unwrap_or("zone");
    let direction = if query.dir.as_deref() == Some("desc") {
        "descending"
    } else {
        "ascending"
    };
    let column = |key: &str, sort: Option<&str>, class: &'static str| Column {
        label: page.t(key).to_owned(),
        href: sort.map(sort_link),
        class,
        sorted: sort.filter(|s| *s == sorted_by).map(|_| direction),
    };
    let columns = vec![
        column("project.rag", Some("rag"), ""),
        column("project.name", Some("name"), ""),
        column("project.zone", Some("zone"), ""),
        column("project.stage", Some("stage"), ""),
        column("project.category", None, ""),
        column(
            "project.total_investment_yi",
            Some("total_investment"),
            "num",
        ),
        column("project.planned_yi", Some("planned"), "num"),
        Column {
            label: page.format(
                "project.ytd_months_yi",
                "months",
                &kfq_calendar::Period::new(filter.year, filter.month)
                    .map(|p| p.ytd_label())
                    .unwrap_or_default(),
            ),
            ..column("project.ytd_yi", Some("ytd"), "num")
        },
        column("project.completion", Some("completion"), "num"),
        column("project.department", None, ""),
        column("project.liaison", None, ""),
    ];
    let zone_writable = auth.principal.can_write_own_zone_data();
    let export_pairs: Vec<_> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .cloned()
        .collect();
    let export_href = format!(
        "/projects/export.xlsx?{}",
        serde_urlencoded::to_string(&export_pairs).unwrap_or_default()
    );
    let inactive_href = {
        let mut shown: Vec<_> = export_pairs
            .iter()
            .filter(|(k, _)| *k != "inactive")
            .cloned()
            .collect();
        shown.push(("inactive", "yes".to_owned()));
        format!(
            "/projects?{}",
            serde_urlencoded::to_string(&shown).unwrap_or_default()
        )
    };
    let filtered = [
        &query.stage,
        &query.category,
        &query.industry_chain_id,
        &query.liaison_user_id,
        &query.department_id,
        &query.rag,
        &query.registered,
        &query.q,
    ]
    .iter()
    .any(|v| v.as_deref().is_some_and(|v| !v.trim().is_empty()));
    let by_zone = if filtered || filter.zone_id.is_some() || filter.with_inactive {
        Vec::new()
    } else {
        zone_subtotals(&state, &auth, (filter.year, filter.month)).await?
    };
    let view = LedgerView {
        by_zone,
        left_out: ledger.left_out,
        inactive_href,
        export_href,
        total_text: page.format("common.total", "n", &ledger.totals.count.to_string()),
        filters,
        columns,
        rows: ledger.page.items.clone(),
        filtered,
        totals: ledger.totals.clone(),
        year: filter.year,
        month: filter.month,
        prev_href,
        next_href,
        new_href: zone_writable.then(|| "/projects/new".to_owned()),
        page,
    };
    Ok(render(&view)?.into_response())
}

/// Each zone's subtotal of the unfiltered ledger for a supervisor of 2 to
/// 300 zones (beyond, the country drills down through the provinces'
/// monthly reports); none for a zone's own people.
async fn zone_subtotals(
    state: &AppState,
    auth: &Auth,
    period: (i32, u32),
) -> AppResult<Vec<kfq_store::ZoneProgress>> {
    if auth.principal.zone_path.is_some() {
        return Ok(Vec::new());
    }
    let zones = state
        .store
        .orgs(
            &auth.principal.org_visibility(),
            &kfq_store::OrgFilter {
                kind: Some(OrgKind::Zone),
                ..Default::default()
            },
            0,
            1,
        )
        .await?
        .total;
    if !(2..=300).contains(&zones) {
        return Ok(Vec::new());
    }
    let mut lines = state
        .store
        .zone_progress(&auth.principal.zone_data_visibility(), period)
        .await?;
    lines.retain(|z| z.projects > 0);
    Ok(lines)
}

// ---- export ----

/// The ledger in view (same filters) as the workbook zones send upward.
pub(super) async fn export_xlsx(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<LedgerQuery>,
) -> AppResult<Response> {
    let filter = ledger_filter(&query)?;
    let visibility = auth.principal.zone_data_visibility();
    let ledger = state.store.ledger(&visibility, &filter, 0, 100_000).await?;
    let page = PageContext::new(Some(&auth), "projects");
    let scope = match filter.zone_id {
        Some(zone) => state
            .store
            .org(&auth.principal.org_visibility(), zone)
            .await
            .map(|z| z.name)
            .unwrap_or_default(),
        None => state
            .store
            .own_account(auth.user.user_id)
            .await
            .map(|u| u.org_unit_name)
            .unwrap_or_default(),
    };
    let asked = query.month.as_deref().is_some_and(|m| !m.trim().is_empty());
    let export = kfq_app::ledger::export::workbook(
        &state.store,
        &visibility,
        page.catalog,
        &scope,
        &filter,
        asked,
        ledger.page.items,
    )
    .await?;
    Ok(crate::common::attachment(
        export.bytes,
        &format!("{}.xlsx", export.title),
        "ledger.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ))
}

/// A zone's departments and liaison leaders, (id, name) each: the choices
/// of the lists that filter by them.
pub(super) async fn departments_and_liaisons(
    state: &AppState,
    zone: &OrgUnit,
) -> AppResult<(Vec<(i64, String)>, Vec<(i64, String)>)> {
    Ok(kfq_app::ledger::list::departments_and_liaisons(&state.store, zone).await?)
}
