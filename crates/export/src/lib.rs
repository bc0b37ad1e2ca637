//! The ledger as an .xlsx workbook in the familiar layout: a title row, a unit
//! note ("单位：亿元"), a bold frozen header, money in 亿元 with two decimals,
//! widths that fit Chinese text, a totals row, and A3 landscape printing with
//! the header repeated on every page. Bytes in memory; the caller writes them.

use kfq_domain::Money;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

/// One project line of the export, already in the ledger's terms.
#[derive(Debug, Clone, Default)]
pub struct LedgerLine {
    pub zone: String,
    pub name: String,
    pub investor: String,
    pub category: String,
    pub industry_chain: String,
    pub stage: String,
    pub total_investment: Money,
    pub planned_investment: Option<Money>,
    pub ytd: Money,
    pub department: String,
    pub liaison: String,
    pub registered: bool,
    pub project_code: String,
    pub rag: String,
}

#[derive(Debug, thiserror::Error)]
#[error("workbook: {0}")]
pub struct ExportError(#[from] XlsxError);

/// The header, as zones' ledgers name the columns.
pub fn headers(year: i32, month: u32) -> Vec<String> {
    [
        "序号".to_owned(),
        "所属开发区".into(),
        "项目名称".into(),
        "建设单位".into(),
        "项目类别".into(),
        "所属产业".into(),
        "项目阶段".into(),
        "总投资".into(),
        format!("{year}年计划投资"),
        format!("1-{month}月完成投资"),
        "完成率".into(),
        "责任单位".into(),
        "包联领导".into(),
        "是否入库".into(),
        "项目代码".into(),
        "状态".into(),
    ]
    .to_vec()
}

/// Money in 亿元 as the cell's number. Spreadsheet cells hold doubles; eight
/// decimals of 亿元 are whole yuan, so the value reads back exactly.
fn yi(money: Money) -> f64 {
    money.yuan() as f64 / 100_000_000.0
}

/// Width in Excel's character units for text of this many display columns
/// (a Chinese character is two).
fn width_of(text: &str) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
        .sum::<f64>()
        + 2.0
}

pub fn ledger_xlsx(
    title: &str,
    year: i32,
    month: u32,
    lines: &[LedgerLine],
) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("重点项目台账")?;
    let font = "宋体";
    let title_format = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_font_name("黑体")
        .set_align(FormatAlign::Center);
    let note_format = Format::new()
        .set_font_name(font)
        .set_align(FormatAlign::Right);
    let header_format = Format::new()
        .set_bold()
        .set_font_name(font)
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
        .set_background_color("#F0F4F8");
    let text_format = Format::new()
        .set_font_name(font)
        .set_text_wrap()
        .set_border(FormatBorder::Thin);
    let money_format = Format::new()
        .set_font_name(font)
        .set_num_format("0.00")
        .set_border(FormatBorder::Thin);
    let percent_format = Format::new()
        .set_font_name(font)
        .set_num_format("0.0%")
        .set_border(FormatBorder::Thin);
    let total_format = Format::new()
        .set_bold()
        .set_font_name(font)
        .set_border(FormatBorder::Thin);
    let total_money = Format::new()
        .set_bold()
        .set_font_name(font)
        .set_num_format("0.00")
        .set_border(FormatBorder::Thin);

    let headers = headers(year, month);
    let last_col = (headers.len() - 1) as u16;
    sheet.merge_range(0, 0, 0, last_col, title, &title_format)?;
    sheet.set_row_height(0, 30)?;
    sheet.merge_range(1, 0, 1, last_col, "单位：亿元", &note_format)?;
    let header_row = 2;
    let mut widths: Vec<f64> = headers.iter().map(|h| width_of(h).min(14.0)).collect();
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(header_row, col as u16, header, &header_format)?;
    }
    sheet.set_row_height(header_row, 32)?;
    let mut totals = (Money::ZERO, Money::ZERO, Money::ZERO);
    for (n, line) in lines.iter().enumerate() {
        let row = header_row + 1 + n as u32;
        let texts: [(u16, &str); 11] = [
            (1, &line.zone),
            (2, &line.name),
            (3, &line.investor),
            (4, &line.category),
            (5, &line.industry_chain),
            (6, &line.stage),
            (11, &line.department),
            (12, &line.liaison),
            (13, if line.registered { "是" } else { "否" }),
            (14, &line.project_code),
            (15, &line.rag),
        ];
        sheet.write_number_with_format(row, 0, (n + 1) as f64, &text_format)?;
        for (col, text) in texts {
            sheet.write_string_with_format(row, col, text, &text_format)?;
            let w = &mut widths[col as usize];
            *w = w.max(width_of(text).min(40.0));
        }
        sheet.write_number_with_format(row, 7, yi(line.total_investment), &money_format)?;
        match line.planned_investment {
            Some(plan) => sheet.write_number_with_format(row, 8, yi(plan), &money_format)?,
            None => sheet.write_blank(row, 8, &money_format)?,
        };
        sheet.write_number_with_format(row, 9, yi(line.ytd), &money_format)?;
        match line.planned_investment.filter(|p| p.yuan() > 0) {
            Some(plan) => sheet.write_number_with_format(
                row,
                10,
                line.ytd.yuan() as f64 / plan.yuan() as f64,
                &percent_format,
            )?,
            None => sheet.write_blank(row, 10, &percent_format)?,
        };
        totals.0 = totals.0 + line.total_investment;
        totals.1 = totals.1 + line.planned_investment.unwrap_or_default();
        totals.2 = totals.2 + line.ytd;
    }
    let total_row = header_row + 1 + lines.len() as u32;
    sheet.merge_range(
        total_row,
        0,
        total_row,
        6,
        &format!("合计（{}个项目）", lines.len()),
        &total_format,
    )?;
    sheet.write_number_with_format(total_row, 7, yi(totals.0), &total_money)?;
    sheet.write_number_with_format(total_row, 8, yi(totals.1), &total_money)?;
    sheet.write_number_with_format(total_row, 9, yi(totals.2), &total_money)?;
    for col in 10..=last_col {
        sheet.write_blank(total_row, col, &total_format)?;
    }
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_freeze_panes(header_row + 1, 3)?;
    // Printed at meetings: A3 landscape, header on every page, fit to width.
    sheet.set_landscape();
    sheet.set_paper_size(8);
    sheet.set_repeat_rows(0, header_row)?;
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_footer("&C第 &P 页，共 &N 页");
    Ok(workbook.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};

    use super::*;

    fn line(name: &str, total_wan: i64, plan_wan: Option<i64>, ytd_wan: i64) -> LedgerLine {
        LedgerLine {
            zone: "运城经济技术开发区".into(),
            name: name.into(),
            category: "产业类".into(),
            stage: "开工".into(),
            total_investment: Money::from_wan(total_wan),
            planned_investment: plan_wan.map(Money::from_wan),
            ytd: Money::from_wan(ytd_wan),
            registered: true,
            ..Default::default()
        }
    }

    #[test]
    fn the_workbook_reads_back_with_exact_figures() {
        let lines = vec![
            line(
                "大运高端智能新能源乘用车提升改造项目",
                68_000,
                Some(20_000),
                12_345,
            ),
            line("年产100万吨公路护栏项目", 88_000, None, 0),
        ];
        let bytes =
            ledger_xlsx("运城经济技术开发区2024年重点项目推进台账", 2024, 6, &lines).unwrap();
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("重点项目台账").unwrap();
        let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
        assert_eq!(
            cell(0, 0),
            Data::String("运城经济技术开发区2024年重点项目推进台账".into())
        );
        assert_eq!(cell(1, 0), Data::String("单位：亿元".into()));
        assert_eq!(cell(2, 8), Data::String("2024年计划投资".into()));
        assert_eq!(cell(2, 9), Data::String("1-6月完成投资".into()));
        assert_eq!(
            cell(3, 2),
            Data::String("大运高端智能新能源乘用车提升改造项目".into())
        );
        // 1.2345亿元 = 123,450,000 yuan, exactly.
        let Data::Float(ytd) = cell(3, 9) else {
            panic!("a number")
        };
        assert_eq!(format!("{ytd}"), "1.2345");
        assert_eq!(cell(5, 0), Data::String("合计（2个项目）".into()));
        let Data::Float(total) = cell(5, 7) else {
            panic!("a number")
        };
        assert_eq!(format!("{total}"), "15.6");
    }

    #[test]
    fn an_empty_ledger_is_still_a_workbook() {
        let bytes = ledger_xlsx("空台账", 2024, 1, &[]).unwrap();
        assert!(bytes.starts_with(b"PK"));
    }
}

/// A cell of a report table.
#[derive(Debug, Clone, PartialEq)]
pub enum ReportCell {
    Text(String),
    /// Shown in 万元 with two decimals.
    Wan(Money),
    /// Shown in 亿元 with two decimals.
    Yi(Money),
    /// Tenths of a percent, shown as 66.7%.
    PercentTenths(i64),
    Count(i64),
}

/// One sheet of a report workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportSheet<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub unit_note: &'a str,
    pub headers: &'a [&'a str],
    pub rows: &'a [Vec<ReportCell>],
    /// A bold totals row; none when empty.
    pub totals: &'a [ReportCell],
}

/// A report as one sheet: title, unit note, bold frozen header, rows and a
/// bold totals row, A4 landscape with the header repeated on every page.
pub fn report_xlsx(
    sheet_name: &str,
    title: &str,
    unit_note: &str,
    headers: &[&str],
    rows: &[Vec<ReportCell>],
    totals: &[ReportCell],
) -> Result<Vec<u8>, ExportError> {
    report_workbook(&[ReportSheet {
        name: sheet_name,
        title,
        unit_note,
        headers,
        rows,
        totals,
    }])
}

/// A report of several tables, one sheet each, laid out as [`report_xlsx`].
pub fn report_workbook(sheets: &[ReportSheet<'_>]) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    for report in sheets {
        report_sheet(workbook.add_worksheet(), report)?;
    }
    Ok(workbook.save_to_buffer()?)
}

fn report_sheet(
    sheet: &mut rust_xlsxwriter::Worksheet,
    report: &ReportSheet<'_>,
) -> Result<(), ExportError> {
    let ReportSheet {
        name: sheet_name,
        title,
        unit_note,
        headers,
        rows,
        totals,
    } = *report;
    sheet.set_name(sheet_name)?;
    let font = "宋体";
    let base = Format::new()
        .set_font_name(font)
        .set_border(FormatBorder::Thin);
    let title_format = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_font_name("黑体")
        .set_align(FormatAlign::Center);
    let header_format = base
        .clone()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color("#F0F4F8");
    let last_col = headers.len().saturating_sub(1) as u16;
    sheet.merge_range(0, 0, 0, last_col, title, &title_format)?;
    sheet.set_row_height(0, 30)?;
    sheet.merge_range(
        1,
        0,
        1,
        last_col,
        unit_note,
        &Format::new()
            .set_font_name(font)
            .set_align(FormatAlign::Right),
    )?;
    let mut widths: Vec<f64> = headers.iter().map(|h| width_of(h).min(14.0)).collect();
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(2, col as u16, *header, &header_format)?;
    }
    let write = |sheet: &mut rust_xlsxwriter::Worksheet,
                 row: u32,
                 cells: &[ReportCell],
                 bold: bool,
                 widths: &mut Vec<f64>|
     -> Result<(), ExportError> {
        let format = if bold {
            base.clone().set_bold()
        } else {
            base.clone()
        };
        for (col, cell) in cells.iter().enumerate() {
            let c = col as u16;
            match cell {
                ReportCell::Text(t) => {
                    sheet.write_string_with_format(row, c, t, &format.clone().set_text_wrap())?;
                    if let Some(w) = widths.get_mut(col) {
                        *w = w.max(width_of(t).min(40.0));
                    }
                }
                ReportCell::Yi(m) => {
                    sheet.write_number_with_format(
                        row,
                        c,
                        m.yuan() as f64 / 100_000_000.0,
                        &format.clone().set_num_format("0.00"),
                    )?;
                }
                ReportCell::Wan(m) => {
                    sheet.write_number_with_format(
                        row,
                        c,
                        m.yuan() as f64 / 10_000.0,
                        &format.clone().set_num_format("0.00"),
                    )?;
                }
                ReportCell::PercentTenths(t) => {
                    sheet.write_number_with_format(
                        row,
                        c,
                        *t as f64 / 1000.0,
                        &format.clone().set_num_format("0.0%"),
                    )?;
                }
                ReportCell::Count(n) => {
                    sheet.write_number_with_format(row, c, *n as f64, &format)?;
                }
            }
        }
        Ok(())
    };
    for (n, cells) in rows.iter().enumerate() {
        write(sheet, 3 + n as u32, cells, false, &mut widths)?;
    }
    if !totals.is_empty() {
        write(sheet, 3 + rows.len() as u32, totals, true, &mut widths)?;
    }
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_freeze_panes(3, 0)?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_repeat_rows(2, 2)?;
    Ok(())
}
