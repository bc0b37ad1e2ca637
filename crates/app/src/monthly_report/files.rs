//! The monthly report as files: a .docx in the shape of a government 通报
//! (一、总体情况 二、分项情况 三、存在问题 四、下步工作, tables in 亿元 with two
//! decimals, ranking tables) and an .xlsx with the same tables, one a sheet.
//! The .docx is laid out as GB/T 9704 sets a bulletin: the red 发文机关标志,
//! 期号, unit and date over a red rule, title, 主送, 导语, the four sections,
//! and the 版记 (抄送, 印发). The words a person edits before issuing are a
//! [`Wording`]. Building them takes a province's whole ledger: callers go
//! through [`docx`] and [`xlsx`], which run off the async workers.

use std::sync::Arc;

use kfq_docx::{Column, Document, Table};
use kfq_domain::investment::percent;
use kfq_export::{ReportCell, ReportSheet};
use kfq_monthly_report::{RankLine, Totals};

use super::{Report, Wording};
use crate::error::Result;
use crate::i18n::Catalog;
use crate::off_the_workers;

/// The .docx with these words, built off the async workers.
pub async fn docx(report: Arc<Report>, wording: Wording) -> Result<Vec<u8>> {
    off_the_workers(move || document(&report, &wording).to_bytes()).await
}

/// The .xlsx, built off the async workers.
pub async fn xlsx(report: Arc<Report>) -> Result<Vec<u8>> {
    Ok(off_the_workers(move || workbook(&report)).await??)
}

/// "38.3%", or "—" without a plan.
pub fn rate(tenths: Option<i64>) -> String {
    tenths.map_or_else(|| "—".into(), percent)
}

/// "高于序时进度1.2个百分点" / "低于序时进度11.7个百分点" / "与序时进度持平".
pub fn gap_words(catalog: &Catalog, gap: Option<i64>) -> String {
    match gap {
        None => catalog.t("monthly_report.gap.no_plan").to_owned(),
        Some(0) => catalog.t("monthly_report.gap.even").to_owned(),
        Some(g) => {
            let points = percent(g.abs());
            let points = points.trim_end_matches('%');
            let key = if g > 0 {
                "monthly_report.gap.ahead"
            } else {
                "monthly_report.gap.behind"
            };
            catalog.format(key, &[("points", points)])
        }
    }
}

/// "+1.2" / "-11.7" points against 序时进度, for tables.
pub fn gap_points(gap: Option<i64>) -> String {
    match gap {
        None => "—".into(),
        Some(g) => {
            let sign = if g > 0 { "+" } else { "" };
            format!("{sign}{}", percent(g).trim_end_matches('%'))
        }
    }
}

/// A red project's reasons in words.
pub fn reasons(catalog: &Catalog, reasons: &[kfq_domain::rag::RagReason]) -> String {
    reasons
        .iter()
        .map(|r| crate::ledger::rag_reason_text(catalog, r.key, r.value))
        .collect::<Vec<_>>()
        .join(catalog.t("common.join.clauses"))
}

fn overview(catalog: &Catalog, r: &Report) -> String {
    let f = &r.figures;
    let o = &f.overall;
    let said = catalog.format(
        "monthly_report.docx.overview",
        &[
            ("month", &r.period.month().to_string()),
            ("whole", r.whole()),
            ("projects", &o.projects.to_string()),
            ("total_investment", &o.total_investment.yi_2()),
            ("planned", &o.planned.yi_2()),
            ("ytd_label", &r.period.ytd_label()),
            ("ytd", &o.ytd.yi_2()),
            ("completion", &rate(o.completion_tenths)),
            ("gap", &gap_words(catalog, o.gap_tenths)),
            ("elapsed", &percent(f.elapsed_tenths)),
            ("month_done", &o.month.yi_2()),
            ("new_starts", &f.new_starts.totals.projects.to_string()),
            (
                "new_production",
                &f.new_production.totals.projects.to_string(),
            ),
            ("year", &r.period.year().to_string()),
            ("signed", &f.signed_in_year.totals.projects.to_string()),
            ("started", &f.started_in_year.totals.projects.to_string()),
            (
                "producing",
                &f.producing_in_year.totals.projects.to_string(),
            ),
            ("fast_path", &f.fast_path.totals.projects.to_string()),
        ],
    );
    said + &left_out_words(catalog, r).unwrap_or_default()
}

/// The projects of a bulletin with no department (or no liaison leader):
/// one sentence, never a rank ("另有2个项目未明确责任部门…，不参与排名。").
pub fn unassigned_words(catalog: &Catalog, key: &str, line: Option<&RankLine>) -> Option<String> {
    let line = line?;
    Some(
        catalog.format(
            key,
            &[
                ("count", &line.totals.projects.to_string()),
                ("ytd", &line.totals.ytd.yi_2()),
                (
                    "rate",
                    &line
                        .totals
                        .completion_tenths
                        .map(kfq_domain::investment::percent)
                        .unwrap_or_else(|| "—".into()),
                ),
            ],
        ),
    )
}

/// The sentence that says which projects the figures leave out (停建, 取消)
/// and what they add up to; none when every project is counted.
pub fn left_out_words(catalog: &Catalog, r: &Report) -> Option<String> {
    let l = &r.figures.left_out;
    let parts: Vec<String> = [
        ("monthly_report.left_out.suspended", l.suspended),
        ("monthly_report.left_out.cancelled", l.cancelled),
    ]
    .into_iter()
    .filter(|(_, n)| *n > 0)
    .map(|(key, n)| catalog.format(key, &[("n", &n.to_string())]))
    .collect();
    if parts.is_empty() {
        return None;
    }
    Some(catalog.format(
        "monthly_report.left_out",
        &[
            ("parts", &parts.join(catalog.t("common.list_separator"))),
            ("total_investment", &l.totals.total_investment.yi_2()),
            ("ytd_label", &r.period.ytd_label()),
            ("ytd", &l.totals.ytd.yi_2()),
        ],
    ))
}

fn money_row(label: String, t: &Totals) -> Vec<String> {
    vec![
        label,
        t.projects.to_string(),
        t.total_investment.yi_2(),
        t.planned.yi_2(),
        t.ytd.yi_2(),
        rate(t.completion_tenths),
    ]
}

fn money_table(
    catalog: &Catalog,
    caption: &str,
    first: &str,
    rows: Vec<Vec<String>>,
    total: &Totals,
) -> Table {
    let mut table = Table::new([
        Column::left(3),
        Column::right(2),
        Column::right(3),
        Column::right(3),
        Column::right(3),
        Column::right(2),
    ])
    .caption(caption)
    .unit(catalog.t("monthly_report.docx.unit_money"))
    .header_row([
        first,
        catalog.t("monthly_report.col.projects"),
        catalog.t("monthly_report.col.total_investment"),
        catalog.t("monthly_report.col.planned"),
        catalog.t("monthly_report.col.ytd"),
        catalog.t("monthly_report.col.completion"),
    ]);
    for row in rows {
        table = table.row(row);
    }
    table.totals(money_row(catalog.t("common.totals").to_owned(), total))
}

fn rank_table(catalog: &Catalog, caption: &str, unit: &str, lines: &[RankLine]) -> Table {
    let mut table = Table::new([
        Column::center(1),
        Column::left(4),
        Column::right(2),
        Column::right(3),
        Column::right(3),
        Column::right(2),
        Column::right(2),
    ])
    .caption(caption)
    .unit(catalog.t("monthly_report.docx.unit_rank"))
    .header_row([
        catalog.t("monthly_report.col.rank"),
        unit,
        catalog.t("monthly_report.col.projects"),
        catalog.t("monthly_report.col.planned"),
        catalog.t("monthly_report.col.ytd"),
        catalog.t("monthly_report.col.completion"),
        catalog.t("monthly_report.col.gap"),
    ]);
    for l in lines {
        table = table.row([
            l.rank.to_string(),
            l.unit.name.clone(),
            l.totals.projects.to_string(),
            l.totals.planned.yi_2(),
            l.totals.ytd.yi_2(),
            rate(l.totals.completion_tenths),
            gap_points(l.totals.gap_tenths),
        ]);
    }
    table
}

/// The table of `ids`' projects and how many it leaves out.
fn project_table(catalog: &Catalog, caption: &str, r: &Report, ids: &[i64]) -> (Table, usize) {
    let mut table = Table::new([
        Column::center(1),
        Column::left(6),
        Column::left(4),
        Column::right(3),
        Column::right(3),
    ])
    .caption(caption)
    .unit(catalog.t("monthly_report.docx.unit_yi"))
    .header_row([
        catalog.t("common.serial"),
        catalog.t("monthly_report.col.project"),
        catalog.t("monthly_report.col.zone"),
        catalog.t("monthly_report.col.total_investment"),
        catalog.t("monthly_report.col.ytd"),
    ]);
    let ids: std::collections::HashSet<i64> = ids.iter().copied().collect();
    let projects = r
        .projects
        .iter()
        .filter(|p| ids.contains(&p.id))
        .map(|p| (p.total_investment, p))
        .collect();
    let (listed, more) = listed(projects);
    for (n, p) in listed.into_iter().enumerate() {
        table = table.row([
            (n + 1).to_string(),
            p.name.clone(),
            p.zone.name.clone(),
            p.total_investment.yi_2(),
            p.ytd().yi_2(),
        ]);
    }
    (table, more)
}

/// Projects a table of the printed bulletin lists at most. A province's or
/// the country's red projects run to thousands, hundreds of pages no one
/// reads at a meeting; the .xlsx and the bulletin's page list them all.
const MOST_LISTED: usize = 100;

/// Of `rows` in ledger order, those a table lists (all of them, or the
/// largest by total investment, largest first) and how many are left out.
fn listed<T>(mut rows: Vec<(kfq_domain::Money, T)>) -> (Vec<T>, usize) {
    let more = rows.len().saturating_sub(MOST_LISTED);
    if more > 0 {
        // Stable: equal investments keep the ledger's order.
        rows.sort_by_key(|row| std::cmp::Reverse(row.0));
        rows.truncate(MOST_LISTED);
    }
    (rows.into_iter().map(|(_, row)| row).collect(), more)
}

/// The sentence under a table that lists only some of its projects.
fn more_words(catalog: &Catalog, more: usize) -> Option<String> {
    (more > 0).then(|| {
        catalog.format(
            "monthly_report.docx.more",
            &[
                ("listed", &MOST_LISTED.to_string()),
                ("more", &more.to_string()),
            ],
        )
    })
}

/// The 通报 as a Word document with these words.
pub fn document(r: &Report, w: &Wording) -> Document {
    let catalog = Catalog::zh();
    let t = |key: &'static str| -> &'static str { catalog.t(key) };
    let n = |count: usize| count.to_string();
    let f = &r.figures;
    let stage_rows = f
        .by_stage
        .iter()
        .map(|l| money_row(catalog.t(&l.stage.label_key()).to_owned(), &l.totals))
        .collect();
    let category_rows = f
        .by_category
        .iter()
        .map(|l| money_row(catalog.t(&l.category.label_key()).to_owned(), &l.totals))
        .collect();
    // Tables are numbered as they are placed: one with nothing to list is
    // replaced by the sentence that says so and takes no number.
    let mut n_table = 0;
    let mut place = |doc: Document, mut table: Table, empty: Option<&str>| match empty {
        Some(sentence) if table.rows.is_empty() => doc.paragraph(sentence),
        _ => {
            n_table += 1;
            table.caption = table.caption.map(|name| {
                catalog.format(
                    "monthly_report.docx.caption",
                    &[("n", &n_table.to_string()), ("name", &name)],
                )
            });
            doc.table(table)
        }
    };
    let day = r.as_of_day();
    let mut doc = Document::new(docx_title(r))
        .masthead(catalog.format("monthly_report.docx.masthead", &[("unit", &r.org.name)]))
        .issue_number(catalog.format(
            "monthly_report.docx.issue_number",
            &[
                ("year", &r.period.year().to_string()),
                ("n", &r.period.month().to_string()),
            ],
        ))
        .imprint(r.org.name.clone(), day)
        .subtitle(catalog.format("monthly_report.docx.as_of", &[("time", &r.as_of_text())]))
        .addressee(catalog.format(
            "monthly_report.docx.addressee",
            &[("to", w.addressee.trim_end_matches([':', '\u{ff1a}']))],
        ));
    if !w.lead.is_empty() {
        doc = doc.paragraph(w.lead.clone());
    }
    doc = doc
        .heading(1, t("monthly_report.docx.h_overview"))
        .paragraph(overview(catalog, r));
    doc = place(
        doc,
        money_table(
            catalog,
            t("monthly_report.docx.t_stages"),
            t("monthly_report.col.stage"),
            stage_rows,
            &f.overall,
        ),
        None,
    );
    doc = place(
        doc,
        money_table(
            catalog,
            t("monthly_report.docx.t_categories"),
            t("monthly_report.col.category"),
            category_rows,
            &f.overall,
        ),
        None,
    );
    doc = doc.heading(1, t("monthly_report.docx.h_details"));
    if !f.zones.is_empty() {
        let (top, bottom) = (&f.zones[0], &f.zones[f.zones.len() - 1]);
        doc = doc
            .heading(2, t("monthly_report.docx.h_zones"))
            .paragraph(catalog.format(
                "monthly_report.docx.zones_summary",
                &[
                    ("count", &n(f.zones.len())),
                    ("top", &top.unit.name),
                    ("top_rate", &rate(top.totals.completion_tenths)),
                    ("bottom", &bottom.unit.name),
                    ("bottom_rate", &rate(bottom.totals.completion_tenths)),
                ],
            ));
        doc = place(
            doc,
            rank_table(
                catalog,
                t("monthly_report.docx.t_zones"),
                t("monthly_report.col.zone"),
                &f.zones,
            ),
            None,
        );
    }
    // A zone's bulletin ranks its departments and liaison leaders; one over
    // several zones ranks the zones only.
    if f.zones.is_empty() {
        // (heading, table caption, column, empty sentence, unassigned sentence)
        let dept = [
            "monthly_report.docx.h_departments",
            "monthly_report.docx.t_departments",
            "monthly_report.col.department",
            "monthly_report.empty.departments",
            "monthly_report.unassigned.departments",
        ];
        let liaison = [
            "monthly_report.docx.h_liaisons",
            "monthly_report.docx.t_liaisons",
            "monthly_report.col.liaison",
            "monthly_report.empty.liaisons",
            "monthly_report.unassigned.liaisons",
        ];
        for ([heading, caption, column, empty, unassigned_key], ranked, unassigned) in [
            (dept, &f.departments, f.departments_unassigned.as_ref()),
            (liaison, &f.liaisons, f.liaisons_unassigned.as_ref()),
        ] {
            doc = doc.heading(2, t(heading));
            doc = place(
                doc,
                rank_table(catalog, t(caption), t(column), ranked),
                Some(t(empty)),
            );
            if let Some(words) = unassigned_words(catalog, unassigned_key, unassigned) {
                doc = doc.paragraph(words);
            }
        }
    }
    doc = doc
        .heading(2, t("monthly_report.docx.h_new"))
        .paragraph(catalog.format(
            "monthly_report.docx.new_summary",
            &[
                ("month", &r.period.month().to_string()),
                ("starts", &n(f.new_starts.totals.projects)),
                (
                    "starts_investment",
                    &f.new_starts.totals.total_investment.yi_2(),
                ),
                ("production", &n(f.new_production.totals.projects)),
                (
                    "production_investment",
                    &f.new_production.totals.total_investment.yi_2(),
                ),
            ],
        ));
    for (name, ids, empty) in [
        (
            "monthly_report.docx.t_new_starts",
            &f.new_starts.project_ids,
            "monthly_report.empty.new_starts",
        ),
        (
            "monthly_report.docx.t_new_production",
            &f.new_production.project_ids,
            "monthly_report.empty.new_production",
        ),
        (
            "monthly_report.docx.t_fast_path",
            &f.fast_path.project_ids,
            "monthly_report.empty.fast_path",
        ),
    ] {
        let (table, more) = project_table(catalog, t(name), r, ids);
        doc = place(doc, table, Some(t(empty)));
        if let Some(words) = more_words(catalog, more) {
            doc = doc.paragraph(words);
        }
    }
    doc = doc
        .heading(1, t("monthly_report.docx.h_problems"))
        .paragraph(catalog.format(
            "monthly_report.docx.problems_summary",
            &[
                ("month", &r.period.month().to_string()),
                ("red", &n(f.rag.red)),
                ("yellow", &n(f.rag.yellow)),
                ("green", &n(f.rag.green)),
                ("overdue", &n(f.overdue_blockers)),
            ],
        ));
    let mut red = Table::new([
        Column::center(1),
        Column::left(5),
        Column::left(3),
        Column::left(7),
    ])
    .caption(t("monthly_report.docx.t_red"))
    .header_row([
        t("common.serial"),
        t("monthly_report.col.project"),
        t("monthly_report.col.zone"),
        t("monthly_report.col.reasons"),
    ]);
    let investment: std::collections::HashMap<i64, kfq_domain::Money> = if f.red.len() > MOST_LISTED
    {
        r.projects
            .iter()
            .map(|p| (p.id, p.total_investment))
            .collect()
    } else {
        Default::default()
    };
    let (red_lines, more_red) = listed(
        f.red
            .iter()
            .map(|l| {
                (
                    investment.get(&l.project_id).copied().unwrap_or_default(),
                    l,
                )
            })
            .collect(),
    );
    for (i, l) in red_lines.into_iter().enumerate() {
        red = red.row([
            (i + 1).to_string(),
            l.name.clone(),
            l.zone.clone(),
            reasons(catalog, &l.reasons),
        ]);
    }
    let mut factors = Table::new([Column::left(3), Column::right(2), Column::right(2)])
        .caption(t("monthly_report.docx.t_factors"))
        .unit(t("monthly_report.docx.unit_count"))
        .header_row([
            t("monthly_report.col.factor"),
            t("monthly_report.col.overdue"),
            t("monthly_report.col.projects_involved"),
        ]);
    for l in &f.overdue_by_factor {
        factors = factors.row([
            catalog.t(&l.factor.label_key()).to_owned(),
            l.blockers.to_string(),
            l.projects.to_string(),
        ]);
    }
    doc = place(doc, red, Some(t("monthly_report.empty.red")));
    if let Some(words) = more_words(catalog, more_red) {
        doc = doc.paragraph(words);
    }
    doc = place(doc, factors, Some(t("monthly_report.empty.overdue")));
    doc = doc.heading(1, t("monthly_report.docx.h_next"));
    for line in w
        .next_steps
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        doc = doc.paragraph(line);
    }
    if !w.copy_to.is_empty() {
        doc = doc.copy_to(w.copy_to.clone());
    }
    doc.printed(r.org.name.clone(), day)
}

/// The title as the file sets it: too long for one line of 二号 (20
/// characters), it breaks after the unit's name, so that no word is cut at
/// the margin (GB/T 9704 7.3.2: 回行时词意完整).
fn docx_title(r: &Report) -> String {
    let title = r.title();
    let half_chars: usize = title
        .chars()
        .map(|c| if c.is_ascii() { 1 } else { 2 })
        .sum();
    match title.strip_prefix(r.org.name.as_str()) {
        Some(rest) if half_chars > 40 && !rest.is_empty() => format!("{}\n{rest}", r.org.name),
        _ => title,
    }
}

pub fn file_name(r: &Report, ext: &str) -> String {
    let name = Catalog::zh().format(
        "monthly_report.file_name",
        &[("unit", &r.org.name), ("period", &r.period.label())],
    );
    format!("{name}.{ext}")
}

fn totals_cells(label: String, t: &Totals) -> Vec<ReportCell> {
    vec![
        ReportCell::Text(label),
        ReportCell::Count(t.projects as i64),
        ReportCell::Yi(t.total_investment),
        ReportCell::Yi(t.planned),
        ReportCell::Yi(t.ytd),
        t.completion_tenths
            .map_or(ReportCell::Text("—".into()), ReportCell::PercentTenths),
    ]
}

fn rank_cells(l: &RankLine) -> Vec<ReportCell> {
    vec![
        ReportCell::Count(l.rank as i64),
        ReportCell::Text(l.unit.name.clone()),
        ReportCell::Count(l.totals.projects as i64),
        ReportCell::Yi(l.totals.planned),
        ReportCell::Yi(l.totals.ytd),
        l.totals
            .completion_tenths
            .map_or(ReportCell::Text("—".into()), ReportCell::PercentTenths),
        ReportCell::Text(gap_points(l.totals.gap_tenths)),
    ]
}

/// The same tables as the Word file, one sheet each.
pub fn workbook(r: &Report) -> anyhow::Result<Vec<u8>> {
    let catalog = Catalog::zh();
    let t = |key: &'static str| -> &'static str { catalog.t(key) };
    let f = &r.figures;
    let title = r.title();
    let money_headers = [
        t("monthly_report.col.item"),
        t("monthly_report.col.projects"),
        t("monthly_report.col.total_investment"),
        t("monthly_report.col.planned"),
        t("monthly_report.col.ytd"),
        t("monthly_report.col.completion"),
    ];
    let rank_headers = [
        t("monthly_report.col.rank"),
        t("monthly_report.col.unit"),
        t("monthly_report.col.projects"),
        t("monthly_report.col.planned"),
        t("monthly_report.col.ytd"),
        t("monthly_report.col.completion"),
        t("monthly_report.col.gap_points"),
    ];
    let red_headers = [
        t("common.serial"),
        t("monthly_report.col.project"),
        t("monthly_report.col.zone"),
        t("monthly_report.col.reasons"),
    ];
    let factor_headers = [
        t("monthly_report.col.factor"),
        t("monthly_report.col.overdue"),
        t("monthly_report.col.projects_involved"),
    ];
    let stages: Vec<Vec<ReportCell>> = f
        .by_stage
        .iter()
        .map(|l| totals_cells(catalog.t(&l.stage.label_key()).to_owned(), &l.totals))
        .collect();
    let categories: Vec<Vec<ReportCell>> = f
        .by_category
        .iter()
        .map(|l| totals_cells(catalog.t(&l.category.label_key()).to_owned(), &l.totals))
        .collect();
    let total = totals_cells(t("common.totals").to_owned(), &f.overall);
    let zones: Vec<_> = f.zones.iter().map(rank_cells).collect();
    let departments: Vec<_> = f.departments.iter().map(rank_cells).collect();
    let liaisons: Vec<_> = f.liaisons.iter().map(rank_cells).collect();
    let red: Vec<Vec<ReportCell>> = f
        .red
        .iter()
        .enumerate()
        .map(|(i, l)| {
            vec![
                ReportCell::Count(i as i64 + 1),
                ReportCell::Text(l.name.clone()),
                ReportCell::Text(l.zone.clone()),
                ReportCell::Text(reasons(catalog, &l.reasons)),
            ]
        })
        .collect();
    let factors: Vec<Vec<ReportCell>> = f
        .overdue_by_factor
        .iter()
        .map(|l| {
            vec![
                ReportCell::Text(catalog.t(&l.factor.label_key()).to_owned()),
                ReportCell::Count(l.blockers as i64),
                ReportCell::Count(l.projects as i64),
            ]
        })
        .collect();
    let note = catalog.format("monthly_report.xlsx.note", &[("time", &r.as_of_text())]);
    let mut sheets = vec![
        ReportSheet {
            name: t("monthly_report.xlsx.stages"),
            title: &title,
            unit_note: &note,
            headers: &money_headers,
            rows: &stages,
            totals: &total,
            empty: "",
        },
        ReportSheet {
            name: t("monthly_report.xlsx.categories"),
            title: &title,
            unit_note: &note,
            headers: &money_headers,
            rows: &categories,
            totals: &total,
            empty: "",
        },
    ];
    if !zones.is_empty() {
        sheets.push(ReportSheet {
            name: t("monthly_report.xlsx.zones"),
            title: &title,
            unit_note: &note,
            headers: &rank_headers,
            rows: &zones,
            totals: &[],
            empty: "",
        });
    }
    if zones.is_empty() {
        sheets.extend([
            ReportSheet {
                name: t("monthly_report.xlsx.departments"),
                title: &title,
                unit_note: &note,
                headers: &rank_headers,
                rows: &departments,
                totals: &[],
                empty: t("monthly_report.empty.departments"),
            },
            ReportSheet {
                name: t("monthly_report.xlsx.liaisons"),
                title: &title,
                unit_note: &note,
                headers: &rank_headers,
                rows: &liaisons,
                totals: &[],
                empty: t("monthly_report.empty.liaisons"),
            },
        ]);
    }
    sheets.extend([
        ReportSheet {
            name: t("monthly_report.xlsx.red"),
            title: &title,
            unit_note: &note,
            headers: &red_headers,
            rows: &red,
            totals: &[],
            empty: t("monthly_report.empty.red"),
        },
        ReportSheet {
            name: t("monthly_report.xlsx.overdue"),
            title: &title,
            unit_note: &note,
            headers: &factor_headers,
            rows: &factors,
            totals: &[],
            empty: t("monthly_report.empty.overdue"),
        },
    ]);
    Ok(kfq_export::report_workbook(&sheets)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_in_words_and_points() {
        let c = Catalog::zh();
        assert_eq!(gap_words(c, Some(-117)), "低于序时进度11.7个百分点");
        assert_eq!(gap_words(c, Some(12)), "高于序时进度1.2个百分点");
        assert_eq!(gap_words(c, Some(0)), "与序时进度持平");
        assert_eq!(gap_words(c, None), "无年度计划");
        assert_eq!(gap_points(Some(-117)), "-11.7");
        assert_eq!(gap_points(Some(5)), "+0.5");
        assert_eq!(rate(None), "—");
        assert_eq!(rate(Some(383)), "38.3%");
    }

    #[test]
    fn a_table_lists_the_largest_hundred_and_says_how_many_more() {
        let yuan = kfq_domain::Money::from_yuan;
        // Up to a hundred: all, in the ledger's order.
        let few: Vec<_> = (0..100).map(|n| (yuan(n % 7), n)).collect();
        assert_eq!(listed(few), ((0..100).collect::<Vec<_>>(), 0));
        assert_eq!(more_words(Catalog::zh(), 0), None);
        // Beyond: the hundred largest, largest first; ties in ledger order.
        let many: Vec<_> = (0..103)
            .map(|n| (yuan(if n < 3 { 0 } else { n / 2 }), n))
            .collect();
        let (rows, more) = listed(many);
        assert_eq!(more, 3);
        assert_eq!(rows.len(), 100);
        assert_eq!(rows[..5], [102, 100, 101, 98, 99]);
        assert!(!rows.contains(&0) && !rows.contains(&1) && !rows.contains(&2));
        assert_eq!(
            more_words(Catalog::zh(), more).unwrap(),
            "以上按总投资列出前100个项目，另有3个未列出，全部项目可在系统的通报页面逐项查看。"
        );
    }
}
