//! The bulletin as files: a .docx in the shape of a government 通报
//! (一、总体情况 二、分项情况 三、存在问题 四、下步工作, tables in 亿元 with two
//! decimals, ranking tables) and an .xlsx with the same tables, one a sheet.

use axum::extract::{Query, State};
use axum::response::Response;
use kfq_docx::{Column, Document, Table};
use kfq_domain::investment::percent;
use kfq_export::{ReportCell, ReportSheet};
use kfq_monthly_report::{RankLine, Totals};

use super::{report, BulletinQuery, Report};
use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use kfq_app::i18n::Catalog;

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// "38.3%", or "—" without a plan.
pub fn rate(tenths: Option<i64>) -> String {
    tenths.map_or_else(|| "—".into(), percent)
}

/// "高于序时进度1.2个百分点" / "低于序时进度11.7个百分点" / "与序时进度持平".
pub fn gap_words(gap: Option<i64>) -> String {
    match gap {
        None => "无年度计划".into(),
        Some(0) => "与序时进度持平".into(),
        Some(g) => {
            let points = percent(g.abs());
            let points = points.trim_end_matches('%');
            if g > 0 {
                format!("高于序时进度{points}个百分点")
            } else {
                format!("低于序时进度{points}个百分点")
            }
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
        .map(|r| kfq_app::ledger::rag_reason_text(catalog, r.key, r.value))
        .collect::<Vec<_>>()
        .join("；")
}

fn overview(r: &Report) -> String {
    let f = &r.figures;
    let o = &f.overall;
    format!(
        "截至{}月底，{}共有重点项目{}个，总投资{}亿元，年度计划投资{}亿元。{}累计完成投资{}亿元，\
         占年度计划的{}，{}（序时进度{}）；其中{}月完成投资{}亿元。本月新开工项目{}个、新投产项目{}个。\
         {}年以来签约项目{}个、开工项目{}个、投产项目{}个，其中当年签约、当年开工、当年投产项目{}个。",
        r.period.month,
        r.whole(),
        o.projects,
        o.total_investment.yi_2(),
        o.planned.yi_2(),
        r.period.ytd_label(),
        o.ytd.yi_2(),
        rate(o.completion_tenths),
        gap_words(o.gap_tenths),
        percent(f.elapsed_tenths),
        r.period.month,
        o.month.yi_2(),
        f.new_starts.totals.projects,
        f.new_production.totals.projects,
        r.period.year,
        f.signed_in_year.totals.projects,
        f.started_in_year.totals.projects,
        f.producing_in_year.totals.projects,
        f.fast_path.totals.projects,
    )
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

fn money_table(caption: &str, first: &str, rows: Vec<Vec<String>>, total: &Totals) -> Table {
    let mut table = Table::new([
        Column::left(3),
        Column::right(2),
        Column::right(3),
        Column::right(3),
        Column::right(3),
        Column::right(2),
    ])
    .caption(caption)
    .unit("单位：个、亿元")
    .header_row([first, "项目数", "总投资", "年度计划", "累计完成", "完成率"]);
    for row in rows {
        table = table.row(row);
    }
    table.totals(money_row("合计".into(), total))
}

fn rank_table(caption: &str, unit: &str, lines: &[RankLine]) -> Table {
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
    .unit("单位：个、亿元、%")
    .header_row([
        "排名",
        unit,
        "项目数",
        "年度计划",
        "累计完成",
        "完成率",
        "较序时进度",
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

fn project_table(caption: &str, r: &Report, ids: &[i64]) -> Table {
    let mut table = Table::new([
        Column::center(1),
        Column::left(6),
        Column::left(4),
        Column::right(3),
        Column::right(3),
    ])
    .caption(caption)
    .unit("单位：亿元")
    .header_row(["序号", "项目名称", "开发区", "总投资", "累计完成"]);
    let mut n = 0;
    for p in r.projects.iter().filter(|p| ids.contains(&p.id)) {
        n += 1;
        table = table.row([
            n.to_string(),
            p.name.clone(),
            p.zone.name.clone(),
            p.total_investment.yi_2(),
            p.ytd().yi_2(),
        ]);
    }
    table
}

/// The 通报 as a Word document.
pub fn document(r: &Report) -> Document {
    let catalog = Catalog::zh();
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
    let mut doc = Document::new(r.title())
        .subtitle(format!("（数据截至{}）", r.as_of_text()))
        .issuer(r.org.name.clone())
        .date(r.as_of_day())
        .heading(1, "总体情况")
        .paragraph(overview(r))
        .table(money_table(
            "表1 项目分阶段情况",
            "阶段",
            stage_rows,
            &f.overall,
        ))
        .table(money_table(
            "表2 项目分类别情况",
            "类别",
            category_rows,
            &f.overall,
        ))
        .heading(1, "分项情况");
    let mut n = 3;
    let mut next = |name: &str| {
        let caption = format!("表{n} {name}");
        n += 1;
        caption
    };
    if !f.zones.is_empty() {
        doc = doc
            .heading(2, "各开发区推进情况")
            .paragraph(format!(
                "按年度计划投资完成率排序，{}个开发区中完成率最高的是{}（{}），最低的是{}（{}）。",
                f.zones.len(),
                f.zones[0].unit.name,
                rate(f.zones[0].totals.completion_tenths),
                f.zones[f.zones.len() - 1].unit.name,
                rate(f.zones[f.zones.len() - 1].totals.completion_tenths),
            ))
            .table(rank_table(
                &next("各开发区投资完成情况排名"),
                "开发区",
                &f.zones,
            ));
    }
    doc = doc
        .heading(2, "责任部门推进情况")
        .table(rank_table(&next("责任部门投资完成情况排名"), "责任部门", &f.departments))
        .heading(2, "包联领导推进情况")
        .table(rank_table(&next("包联领导包联项目投资完成情况排名"), "包联领导", &f.liaisons))
        .heading(2, "新开工和新投产项目")
        .paragraph(format!(
            "{}月新开工项目{}个，总投资{}亿元；新投产项目{}个，总投资{}亿元。",
            r.period.month,
            f.new_starts.totals.projects,
            f.new_starts.totals.total_investment.yi_2(),
            f.new_production.totals.projects,
            f.new_production.totals.total_investment.yi_2(),
        ))
        .table(project_table(&next("本月新开工项目"), r, &f.new_starts.project_ids))
        .table(project_table(&next("本月新投产项目"), r, &f.new_production.project_ids))
        .table(project_table(
            &next("当年签约、当年开工、当年投产项目"),
            r,
            &f.fast_path.project_ids,
        ))
        .heading(1, "存在问题")
        .paragraph(format!(
            "按项目预警规则，截至{}月底红色预警项目{}个、黄色预警项目{}个、绿色项目{}个；逾期未解决的困难问题{}个。",
            r.period.month, f.rag.red, f.rag.yellow, f.rag.green, f.overdue_blockers
        ));
    let mut red = Table::new([
        Column::center(1),
        Column::left(5),
        Column::left(3),
        Column::left(7),
    ])
    .caption(next("红色预警项目"))
    .header_row(["序号", "项目名称", "开发区", "预警原因"]);
    for (i, l) in f.red.iter().enumerate() {
        red = red.row([
            (i + 1).to_string(),
            l.name.clone(),
            l.zone.clone(),
            reasons(catalog, &l.reasons),
        ]);
    }
    let mut factors = Table::new([Column::left(3), Column::right(2), Column::right(2)])
        .caption(next("逾期困难问题分要素情况"))
        .unit("单位：个")
        .header_row(["要素类型", "逾期问题", "涉及项目"]);
    for l in &f.overdue_by_factor {
        factors = factors.row([
            catalog.t(&l.factor.label_key()).to_owned(),
            l.blockers.to_string(),
            l.projects.to_string(),
        ]);
    }
    let behind = f
        .zones
        .iter()
        .chain(&f.departments)
        .filter(|l| l.totals.gap_tenths.is_some_and(|g| g < 0))
        .count();
    doc.table(red)
        .table(factors)
        .heading(1, "下步工作")
        .paragraph(format!(
            "（一）加快投资进度。{}年度计划投资完成率{}，{}。完成率低于序时进度的{}个单位要逐项目对照年度计划倒排工期，确保按序时进度完成投资任务。",
            r.whole(),
            rate(f.overall.completion_tenths),
            gap_words(f.overall.gap_tenths),
            behind
        ))
        .paragraph(format!(
            "（二）化解项目堵点。对{}个红色预警项目逐一会商，对{}个逾期未解决的困难问题明确责任部门和办结时限，实行销号管理。",
            f.rag.red, f.overdue_blockers
        ))
        .paragraph(
            "（三）强化调度考核。坚持周调度、月通报、季考核、年兑现，通报结果纳入目标责任考核。",
        )
}

fn file_name(r: &Report, ext: &str) -> String {
    format!("{}{}重点项目通报.{ext}", r.org.name, r.period.label())
}

pub async fn docx(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<BulletinQuery>,
) -> AppResult<Response> {
    let r = report(&state, &auth, &query).await?;
    Ok(crate::common::attachment(
        document(&r).to_bytes(),
        &file_name(&r, "docx"),
        "bulletin.docx",
        DOCX,
    ))
}

/// The Word file exactly as issued.
pub async fn issued_docx(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<BulletinQuery>,
) -> AppResult<Response> {
    let r = report(&state, &auth, &query).await?;
    let issued = r.issued.as_ref().ok_or(AppError::NotFound)?;
    let bytes = state.store.issued_bulletin_file(issued.id).await?;
    Ok(crate::common::attachment(
        bytes,
        &format!("{}（已签发）.docx", r.title()),
        "bulletin-issued.docx",
        DOCX,
    ))
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
pub fn workbook(r: &Report) -> AppResult<Vec<u8>> {
    let catalog = Catalog::zh();
    let f = &r.figures;
    let title = r.title();
    let money_headers = ["项目", "项目数", "总投资", "年度计划", "累计完成", "完成率"];
    let rank_headers = [
        "排名",
        "单位",
        "项目数",
        "年度计划",
        "累计完成",
        "完成率",
        "较序时进度（百分点）",
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
    let total = totals_cells("合计".into(), &f.overall);
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
    let note = format!("单位：个、亿元　数据截至{}", r.as_of_text());
    let mut sheets = vec![
        ReportSheet {
            name: "分阶段",
            title: &title,
            unit_note: &note,
            headers: &money_headers,
            rows: &stages,
            totals: &total,
        },
        ReportSheet {
            name: "分类别",
            title: &title,
            unit_note: &note,
            headers: &money_headers,
            rows: &categories,
            totals: &total,
        },
    ];
    if !zones.is_empty() {
        sheets.push(ReportSheet {
            name: "开发区排名",
            title: &title,
            unit_note: &note,
            headers: &rank_headers,
            rows: &zones,
            totals: &[],
        });
    }
    sheets.extend([
        ReportSheet {
            name: "部门排名",
            title: &title,
            unit_note: &note,
            headers: &rank_headers,
            rows: &departments,
            totals: &[],
        },
        ReportSheet {
            name: "包联领导排名",
            title: &title,
            unit_note: &note,
            headers: &rank_headers,
            rows: &liaisons,
            totals: &[],
        },
        ReportSheet {
            name: "红色预警项目",
            title: &title,
            unit_note: &note,
            headers: &["序号", "项目名称", "开发区", "预警原因"],
            rows: &red,
            totals: &[],
        },
        ReportSheet {
            name: "逾期问题",
            title: &title,
            unit_note: &note,
            headers: &["要素类型", "逾期问题", "涉及项目"],
            rows: &factors,
            totals: &[],
        },
    ]);
    Ok(kfq_export::report_workbook(&sheets).map_err(anyhow::Error::from)?)
}

pub async fn xlsx(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<BulletinQuery>,
) -> AppResult<Response> {
    let r = report(&state, &auth, &query).await?;
    Ok(crate::common::attachment(
        workbook(&r)?,
        &file_name(&r, "xlsx"),
        "bulletin.xlsx",
        XLSX,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_in_words_and_points() {
        assert_eq!(gap_words(Some(-117)), "低于序时进度11.7个百分点");
        assert_eq!(gap_words(Some(12)), "高于序时进度1.2个百分点");
        assert_eq!(gap_words(Some(0)), "与序时进度持平");
        assert_eq!(gap_points(Some(-117)), "-11.7");
        assert_eq!(gap_points(Some(5)), "+0.5");
        assert_eq!(rate(None), "—");
        assert_eq!(rate(Some(383)), "38.3%");
    }
}
