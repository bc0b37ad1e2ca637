//! Workbooks (.xlsx) in the layouts zones use: the ledger as it goes upward
//! ([`ledger_xlsx`]) and report tables ([`report_xlsx`]): a title row, bold
//! headers, widths that fit Chinese text, totals, printing set up. Bytes in
//! memory; the caller writes them.

mod ledger;

use kfq_domain::Money;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

pub use ledger::{headers, ledger_xlsx, months_label, Dates, LedgerLine, SHEET};

#[derive(Debug, thiserror::Error)]
#[error("workbook: {0}")]
pub struct ExportError(#[from] XlsxError);

/// Width in Excel's character units for text of this many display columns
/// (a Chinese character is two).
fn width_of(text: &str) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
        .sum::<f64>()
        + 2.0
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
