//! The ledger as the .xlsx a zone sends upward (重点项目推进情况表): a title
//! naming the month it runs to, one bold header row with the units in it
//! (万元, 亩, 平方米), a line per project, a totals row of SUM formulas, and
//! A3 landscape printing one page wide with the title and header repeated.

use kfq_domain::{Money, Mu};
use rust_xlsxwriter::{
    ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet,
};

use crate::{width_of, ExportError};

/// The name of the ledger's sheet.
pub const SHEET: &str = "重点项目推进情况";

/// A milestone's planned and actual day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dates {
    pub planned: Option<chrono::NaiveDate>,
    pub actual: Option<chrono::NaiveDate>,
}

/// One project line of the export, already in the ledger's words.
#[derive(Debug, Clone, Default)]
pub struct LedgerLine {
    pub zone: String,
    pub name: String,
    /// 建设单位: the linked enterprise's name, else the project's own.
    pub investor: String,
    /// 建设性质 (新建, 续建 …).
    pub nature: String,
    pub construction_content: String,
    pub land: Option<Mu>,
    pub floor_area_m2: Option<i64>,
    pub total_investment: Money,
    pub planned_investment: Option<Money>,
    /// Completed in months 1..=N of the year.
    pub ytd: Money,
    /// 进展情况 (形象进度).
    pub progress: String,
    /// Open blockers' descriptions.
    pub blockers: Vec<String>,
    pub liaison: String,
    pub department: String,
    pub start: Dates,
    pub production: Dates,
}

/// The columns, left to right. The zone's only when the lines span zones:
/// a zone's own ledger names it in the title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Serial,
    Zone,
    Name,
    Investor,
    Nature,
    Content,
    Land,
    FloorArea,
    Total,
    Planned,
    Ytd,
    Rate,
    Progress,
    Blockers,
    Liaison,
    Department,
    StartPlanned,
    StartActual,
    ProductionPlanned,
    ProductionActual,
}

impl Col {
    const ALL: [Col; 20] = [
        Col::Serial,
        Col::Zone,
        Col::Name,
        Col::Investor,
        Col::Nature,
        Col::Content,
        Col::Land,
        Col::FloorArea,
        Col::Total,
        Col::Planned,
        Col::Ytd,
        Col::Rate,
        Col::Progress,
        Col::Blockers,
        Col::Liaison,
        Col::Department,
        Col::StartPlanned,
        Col::StartActual,
        Col::ProductionPlanned,
        Col::ProductionActual,
    ];

    fn header(self, year: i32, month: u32) -> String {
        match self {
            Col::Serial => "序号".into(),
            Col::Zone => "所属开发区".into(),
            Col::Name => "项目名称".into(),
            Col::Investor => "建设单位".into(),
            Col::Nature => "建设性质".into(),
            Col::Content => "建设内容及规模".into(),
            Col::Land => "用地面积\n（亩）".into(),
            Col::FloorArea => "建筑面积\n（平方米）".into(),
            Col::Total => "总投资\n（万元）".into(),
            Col::Planned => format!("{year}年计划投资\n（万元）"),
            Col::Ytd => format!("{}完成投资\n（万元）", months_label(month)),
            Col::Rate => "完成率".into(),
            Col::Progress => "进展情况（形象进度）".into(),
            Col::Blockers => "存在问题".into(),
            Col::Liaison => "包联领导".into(),
            Col::Department => "责任部门".into(),
            Col::StartPlanned => "计划开工时间".into(),
            Col::StartActual => "实际开工时间".into(),
            Col::ProductionPlanned => "计划投产时间".into(),
            Col::ProductionActual => "实际投产时间".into(),
        }
    }

    /// Width in Excel's character units: long texts wrap inside their
    /// column, so the sheet stays one A3 page wide.
    fn width(self) -> f64 {
        match self {
            Col::Serial => 5.0,
            Col::Zone => 14.0,
            Col::Name => 22.0,
            Col::Investor => 18.0,
            Col::Nature => 6.0,
            Col::Content => 30.0,
            Col::Land | Col::FloorArea => 10.0,
            Col::Total | Col::Planned | Col::Ytd => 11.0,
            Col::Rate => 8.0,
            Col::Progress | Col::Blockers => 26.0,
            Col::Liaison => 9.0,
            Col::Department => 12.0,
            // "2025年12月31日" whole.
            Col::StartPlanned | Col::StartActual => 14.0,
            Col::ProductionPlanned | Col::ProductionActual => 14.0,
        }
    }
}

/// "1-11月", or "1月" when the year has run one month.
pub fn months_label(month: u32) -> String {
    if month <= 1 {
        "1月".to_owned()
    } else {
        format!("1-{month}月")
    }
}

/// The header row, as zones' ledgers name the columns; a unit goes on a
/// line of its own under the name, as printed ledgers set it.
pub fn headers(year: i32, month: u32, with_zone: bool) -> Vec<String> {
    columns(with_zone)
        .iter()
        .map(|c| c.header(year, month))
        .collect()
}

fn columns(with_zone: bool) -> Vec<Col> {
    Col::ALL
        .into_iter()
        .filter(|c| with_zone || *c != Col::Zone)
        .collect()
}

/// 万元 as the cell's number. Cells hold doubles; four decimals of 万元
/// are whole yuan, so the value reads back exactly.
fn wan(money: Money) -> f64 {
    money.yuan() as f64 / 10_000.0
}

/// A1 name of a cell (row and column from 0).
fn cell_name(row: u32, col: u16) -> String {
    let mut letters = String::new();
    let mut n = u32::from(col) + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.insert(0, char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

fn day(date: chrono::NaiveDate) -> Result<ExcelDateTime, ExportError> {
    use chrono::Datelike;
    Ok(ExcelDateTime::from_ymd(
        date.year() as u16,
        date.month() as u8,
        date.day() as u8,
    )?)
}

/// The completion rate the formula gives, as its cached result.
fn rate(ytd: Money, plan: Money) -> String {
    if plan.yuan() > 0 {
        (ytd.yuan() as f64 / plan.yuan() as f64).to_string()
    } else {
        "0".to_owned()
    }
}

struct Formats {
    title: Format,
    header: Format,
    text: Format,
    centred: Format,
    money: Format,
    land: Format,
    area: Format,
    percent: Format,
    date: Format,
    total_text: Format,
    total_money: Format,
    total_land: Format,
    total_area: Format,
    total_percent: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new()
            .set_font_name("宋体")
            .set_font_size(10)
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        let number = |f: &Format, pattern: &str| f.clone().set_num_format(pattern);
        let bold = base.clone().set_bold();
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(18)
                .set_font_name("黑体")
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            header: bold
                .clone()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color("#F0F4F8"),
            text: base.clone().set_text_wrap(),
            centred: base.clone().set_align(FormatAlign::Center).set_text_wrap(),
            money: number(&base, "0.00"),
            land: number(&base, "0.00"),
            area: number(&base, "0"),
            percent: number(&base, "0.0%"),
            date: number(&base, "yyyy\"年\"m\"月\"d\"日\"").set_align(FormatAlign::Center),
            total_text: bold.clone().set_align(FormatAlign::Center),
            total_money: number(&bold, "0.00"),
            total_land: number(&bold, "0.00"),
            total_area: number(&bold, "0"),
            total_percent: number(&bold, "0.0%"),
        }
    }
}

/// The workbook of `lines` with figures of `year` through `month`.
pub fn ledger_xlsx(
    title: &str,
    year: i32,
    month: u32,
    lines: &[LedgerLine],
) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET)?;
    write_sheet(sheet, title, year, month, lines)?;
    Ok(workbook.save_to_buffer()?)
}

fn write_sheet(
    sheet: &mut Worksheet,
    title: &str,
    year: i32,
    month: u32,
    lines: &[LedgerLine],
) -> Result<(), ExportError> {
    let f = Formats::new();
    let with_zone = lines.iter().any(|l| l.zone != lines[0].zone);
    let cols = columns(with_zone);
    let at = |c: Col| cols.iter().position(|x| *x == c).map(|i| i as u16);
    let last_col = (cols.len() - 1) as u16;

    sheet.merge_range(0, 0, 0, last_col, title, &f.title)?;
    sheet.set_row_height(0, 36)?;
    let header_row = 1;
    for (i, col) in cols.iter().enumerate() {
        sheet.write_string_with_format(header_row, i as u16, col.header(year, month), &f.header)?;
        sheet.set_column_width(i as u16, col.width())?;
    }
    sheet.set_row_height(header_row, 42)?;

    let first = header_row + 1;
    for (n, line) in lines.iter().enumerate() {
        let row = first + n as u32;
        for (i, col) in cols.iter().enumerate() {
            let c = i as u16;
            let text = |sheet: &mut Worksheet, t: &str, format: &Format| {
                sheet
                    .write_string_with_format(row, c, t, format)
                    .map(|_| ())
            };
            let date = |sheet: &mut Worksheet, d: Option<chrono::NaiveDate>| match d {
                Some(d) => sheet
                    .write_datetime_with_format(row, c, day(d)?, &f.date)
                    .map(|_| ())
                    .map_err(ExportError::from),
                None => sheet
                    .write_blank(row, c, &f.date)
                    .map(|_| ())
                    .map_err(Into::into),
            };
            match col {
                Col::Serial => {
                    sheet.write_number_with_format(row, c, (n + 1) as f64, &f.centred)?;
                }
                Col::Zone => text(sheet, &line.zone, &f.text)?,
                Col::Name => text(sheet, &line.name, &f.text)?,
                Col::Investor => text(sheet, &line.investor, &f.text)?,
                Col::Nature => text(sheet, &line.nature, &f.centred)?,
                Col::Content => text(sheet, &line.construction_content, &f.text)?,
                Col::Land => match line.land {
                    Some(mu) => {
                        sheet.write_number_with_format(
                            row,
                            c,
                            mu.hundredths() as f64 / 100.0,
                            &f.land,
                        )?;
                    }
                    None => {
                        sheet.write_blank(row, c, &f.land)?;
                    }
                },
                Col::FloorArea => match line.floor_area_m2 {
                    Some(m2) => {
                        sheet.write_number_with_format(row, c, m2 as f64, &f.area)?;
                    }
                    None => {
                        sheet.write_blank(row, c, &f.area)?;
                    }
                },
                Col::Total => {
                    sheet.write_number_with_format(row, c, wan(line.total_investment), &f.money)?;
                }
                Col::Planned => match line.planned_investment {
                    Some(plan) => {
                        sheet.write_number_with_format(row, c, wan(plan), &f.money)?;
                    }
                    None => {
                        sheet.write_blank(row, c, &f.money)?;
                    }
                },
                Col::Ytd => {
                    sheet.write_number_with_format(row, c, wan(line.ytd), &f.money)?;
                }
                Col::Rate if line.planned_investment.is_none_or(|p| p.yuan() <= 0) => {
                    sheet.write_blank(row, c, &f.percent)?;
                }
                Col::Rate => {
                    // A formula, so a corrected plan or figure recomputes it.
                    let (plan, ytd) = (at(Col::Planned), at(Col::Ytd));
                    let (plan, ytd) = (
                        cell_name(row, plan.unwrap_or(0)),
                        cell_name(row, ytd.unwrap_or(0)),
                    );
                    let formula = Formula::new(format!("=IF(N({plan})>0,{ytd}/{plan},\"\")"))
                        .set_result(rate(line.ytd, line.planned_investment.unwrap_or_default()));
                    sheet.write_formula_with_format(row, c, formula, &f.percent)?;
                }
                Col::Progress => text(sheet, &line.progress, &f.text)?,
                Col::Blockers => {
                    let listed = match line.blockers.len() {
                        0 => String::new(),
                        1 => line.blockers[0].clone(),
                        _ => line
                            .blockers
                            .iter()
                            .enumerate()
                            .map(|(k, b)| format!("{}.{b}", k + 1))
                            .collect::<Vec<_>>()
                            .join("\n"),
                    };
                    text(sheet, &listed, &f.text)?
                }
                Col::Liaison => text(sheet, &line.liaison, &f.centred)?,
                Col::Department => text(sheet, &line.department, &f.centred)?,
                Col::StartPlanned => date(sheet, line.start.planned)?,
                Col::StartActual => date(sheet, line.start.actual)?,
                Col::ProductionPlanned => date(sheet, line.production.planned)?,
                Col::ProductionActual => date(sheet, line.production.actual)?,
            }
        }
        // Long names and contents wrap: room for as many lines as the
        // widest of them needs (a spreadsheet does not grow rows it opens).
        let lines_needed = cols
            .iter()
            .map(|col| {
                let t = match col {
                    Col::Zone => line.zone.as_str(),
                    Col::Name => line.name.as_str(),
                    Col::Investor => line.investor.as_str(),
                    Col::Content => line.construction_content.as_str(),
                    Col::Progress => line.progress.as_str(),
                    Col::Liaison => line.liaison.as_str(),
                    Col::Department => line.department.as_str(),
                    _ => "",
                };
                let listed: f64 = if *col == Col::Blockers {
                    line.blockers
                        .iter()
                        .map(|b| ((width_of(b) + 2.0) / (col.width() - 1.0)).ceil())
                        .sum()
                } else {
                    ((width_of(t) - 2.0) / (col.width() - 1.0)).ceil()
                };
                listed.max(1.0)
            })
            .fold(1.0, f64::max);
        sheet.set_row_height(row, (lines_needed * 13.5 + 4.0).max(20.0))?;
    }

    // Totals: SUM over the lines with the exact sum as the cached value, so
    // the file reads right before it is recalculated and an edited line
    // changes the total.
    let total_row = first + lines.len() as u32;
    let label_end = at(Col::Nature).unwrap_or(0);
    let label = format!("合计（{}个项目）", lines.len());
    if label_end > 0 {
        sheet.merge_range(total_row, 0, total_row, label_end, &label, &f.total_text)?;
    } else {
        sheet.write_string_with_format(total_row, 0, &label, &f.total_text)?;
    }
    let sum = |c: u16| {
        if lines.is_empty() {
            "=0".to_owned()
        } else {
            format!(
                "=SUM({}:{})",
                cell_name(first, c),
                cell_name(total_row - 1, c)
            )
        }
    };
    let money_total = |pick: fn(&LedgerLine) -> Money| -> Money { lines.iter().map(pick).sum() };
    let total = money_total(|l| l.total_investment);
    let planned = money_total(|l| l.planned_investment.unwrap_or_default());
    let ytd = money_total(|l| l.ytd);
    let land: i64 = lines
        .iter()
        .filter_map(|l| l.land)
        .map(Mu::hundredths)
        .sum();
    let area: i64 = lines.iter().filter_map(|l| l.floor_area_m2).sum();
    for (i, col) in cols.iter().enumerate() {
        let c = i as u16;
        if c <= label_end {
            continue;
        }
        let (result, format) = match col {
            Col::Total => (total.wan_string(), &f.total_money),
            Col::Planned => (planned.wan_string(), &f.total_money),
            Col::Ytd => (ytd.wan_string(), &f.total_money),
            Col::Land => (Mu::from_hundredths(land).to_string(), &f.total_land),
            Col::FloorArea => (area.to_string(), &f.total_area),
            Col::Rate => {
                let (plan, done) = (
                    cell_name(total_row, at(Col::Planned).unwrap_or(0)),
                    cell_name(total_row, at(Col::Ytd).unwrap_or(0)),
                );
                let formula = Formula::new(format!("=IF(N({plan})>0,{done}/{plan},\"\")"))
                    .set_result(rate(ytd, planned));
                sheet.write_formula_with_format(total_row, c, formula, &f.total_percent)?;
                continue;
            }
            _ => {
                sheet.write_blank(total_row, c, &f.total_text)?;
                continue;
            }
        };
        sheet.write_formula_with_format(
            total_row,
            c,
            Formula::new(sum(c)).set_result(result),
            format,
        )?;
    }
    sheet.set_row_height(total_row, 24)?;

    let name_col = at(Col::Name).unwrap_or(0);
    sheet.set_freeze_panes(first, name_col + 1)?;
    // Printed at meetings and sent upward on paper: A3 landscape, one page
    // wide, title and header on every page.
    sheet.set_landscape();
    sheet.set_paper_size(8);
    sheet.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    sheet.set_print_center_horizontally(true);
    sheet.set_repeat_rows(0, header_row)?;
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    use chrono::NaiveDate;

    use super::*;

    fn line(name: &str, total_wan: i64, plan_wan: Option<i64>, ytd_yuan: i64) -> LedgerLine {
        LedgerLine {
            zone: "运城经济技术开发区".into(),
            name: name.into(),
            investor: "山西大运汽车制造有限公司".into(),
            nature: "续建".into(),
            total_investment: Money::from_wan(total_wan),
            planned_investment: plan_wan.map(Money::from_wan),
            ytd: Money::from_yuan(ytd_yuan),
            ..Default::default()
        }
    }

    fn read(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
        open_workbook_from_rs(Cursor::new(bytes)).unwrap()
    }

    fn number(data: &Data) -> f64 {
        match data {
            Data::Float(f) => *f,
            Data::Int(i) => *i as f64,
            other => panic!("a number, not {other:?}"),
        }
    }

    /// Yuan of a 万元 figure read back.
    fn yuan(data: &Data) -> i64 {
        (number(data) * 10_000.0).round() as i64
    }

    #[test]
    fn the_month_label_names_the_months_run() {
        assert_eq!(months_label(11), "1-11月");
        assert_eq!(months_label(1), "1月");
        let one_line =
            |h: Vec<String>| -> Vec<String> { h.iter().map(|h| h.replace('\n', "")).collect() };
        let h = one_line(headers(2026, 11, false));
        assert!(h.contains(&"1-11月完成投资（万元）".to_owned()), "{h:?}");
        assert!(h.contains(&"2026年计划投资（万元）".to_owned()));
        assert!(!h.contains(&"所属开发区".to_owned()));
        assert!(one_line(headers(2026, 1, true)).contains(&"1月完成投资（万元）".to_owned()));
        for wanted in [
            "序号",
            "项目名称",
            "建设单位",
            "建设性质",
            "建设内容及规模",
            "总投资（万元）",
            "进展情况（形象进度）",
            "存在问题",
            "包联领导",
            "责任部门",
            "计划开工时间",
            "实际开工时间",
            "计划投产时间",
            "实际投产时间",
        ] {
            assert!(h.contains(&wanted.to_owned()), "{wanted}");
        }
    }

    #[test]
    fn cells_are_named_as_a_spreadsheet_names_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(2, 25), "Z3");
        assert_eq!(cell_name(9, 26), "AA10");
    }

    #[test]
    fn the_workbook_reads_back_with_exact_figures_and_summing_totals() {
        let mut first = line(
            "大运高端智能新能源乘用车提升改造项目",
            68_000,
            Some(20_000),
            123_456_789,
        );
        first.construction_content = "新建冲压、焊装、涂装、总装四大工艺车间".into();
        first.land = Some(Mu::from_hundredths(35_050));
        first.floor_area_m2 = Some(120_000);
        first.progress = "开工；主体完工已完成（2026年9月10日）".into();
        first.blockers = vec!["110千伏变电站未送电".into(), "施工用水不足".into()];
        first.liaison = "张三".into();
        first.department = "经济发展部".into();
        first.start = Dates {
            planned: NaiveDate::from_ymd_opt(2026, 3, 1),
            actual: NaiveDate::from_ymd_opt(2026, 3, 18),
        };
        first.production.planned = NaiveDate::from_ymd_opt(2027, 6, 30);
        let lines = vec![
            first,
            line("年产100万吨公路护栏项目", 88_000, None, 0),
            line("光伏组件项目", 12_345, Some(3_000), 10_000_001),
        ];
        let bytes = ledger_xlsx(
            "运城经济技术开发区重点项目推进情况表（截至2026年11月）",
            2026,
            11,
            &lines,
        )
        .unwrap();
        let mut book = read(bytes);
        let range = book.worksheet_range(SHEET).unwrap();
        let formulas = book.worksheet_formula(SHEET).unwrap();
        let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
        let formula = |r: u32, c: u32| formulas.get_value((r, c)).cloned().unwrap_or_default();
        let headers = headers(2026, 11, false);
        let col = |h: &str| headers.iter().position(|x| x.starts_with(h)).unwrap() as u32;
        assert_eq!(
            cell(0, 0),
            Data::String("运城经济技术开发区重点项目推进情况表（截至2026年11月）".into())
        );
        for (c, h) in headers.iter().enumerate() {
            assert_eq!(cell(1, c as u32), Data::String(h.clone()));
        }
        assert_eq!(
            cell(2, col("建设单位")),
            Data::String("山西大运汽车制造有限公司".into())
        );
        // 12345.6789万元 = 123,456,789 yuan, exactly.
        assert_eq!(yuan(&cell(2, col("1-11月"))), 123_456_789);
        assert_eq!(number(&cell(2, col("用地面积"))), 350.5);
        assert_eq!(
            cell(2, col("存在问题")),
            Data::String("1.110千伏变电站未送电\n2.施工用水不足".into())
        );
        assert!(matches!(cell(2, col("实际开工时间")), Data::DateTime(_)));
        assert_eq!(cell(3, col("计划开工时间")), Data::Empty);

        // The totals row: a SUM per figure, cached as the exact sum of its rows.
        let total_row = 5;
        assert_eq!(cell(total_row, 0), Data::String("合计（3个项目）".into()));
        for h in ["总投资", "2026年计划投资", "1-11月"] {
            let c = col(h);
            let letter = char::from(b'A' + c as u8);
            assert_eq!(
                formula(total_row, c),
                format!("SUM({letter}3:{letter}5)"),
                "{h}"
            );
            let rows: i64 = (2..total_row)
                .map(|r| match cell(r, c) {
                    Data::Empty => 0,
                    d => yuan(&d),
                })
                .sum();
            assert_eq!(yuan(&cell(total_row, c)), rows, "{h}");
        }
        assert_eq!(yuan(&cell(total_row, col("1-11月"))), 133_456_790);
        // The completion rate recomputes from its row.
        assert!(formula(2, col("完成率")).starts_with("IF(N("));
        assert_eq!(cell(3, col("完成率")), Data::Empty, "no plan, no rate");
        let rate = number(&cell(total_row, col("完成率")));
        assert!((rate - 133_456_790.0 / 230_000_000.0).abs() < 1e-12);
    }

    #[test]
    fn a_ledger_of_several_zones_names_each_lines_zone() {
        let mut other = line("光伏组件项目", 1, None, 0);
        other.zone = "晋城经济技术开发区".into();
        let bytes = ledger_xlsx("山西省", 2026, 11, &[line("甲", 1, None, 0), other]).unwrap();
        let mut book = read(bytes);
        let range = book.worksheet_range(SHEET).unwrap();
        assert_eq!(
            range.get_value((1, 1)),
            Some(&Data::String("所属开发区".into()))
        );
        assert_eq!(
            range.get_value((3, 1)),
            Some(&Data::String("晋城经济技术开发区".into()))
        );
    }

    #[test]
    fn an_empty_ledger_is_still_a_workbook() {
        let bytes = ledger_xlsx("空台账", 2026, 1, &[]).unwrap();
        let mut book = read(bytes);
        let range = book.worksheet_range(SHEET).unwrap();
        assert_eq!(
            range.get_value((2, 0)),
            Some(&Data::String("合计（0个项目）".into()))
        );
    }
}
