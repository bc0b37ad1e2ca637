//! Workbooks (.xlsx) in the layouts zones use: the ledger as it goes upward
//! ([`ledger_xlsx`]) and report tables ([`report_workbook`]): a title row, bold
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
    /// What the table says when it has no rows ("本月无逾期问题。"), in one
    /// row across it, so that a printed sheet is never a bare header.
    pub empty: &'a str,
}

/// A report of several tables, one sheet each: title (merged across the
/// table, wrapped), unit note, bold frozen header, rows (or the sentence for
/// none) and a bold totals row; columns as wide as their content (a Chinese
/// character counts two), long text wrapped; printed on A4 one page wide
/// (landscape only when the table is wide) with the header repeated on
/// every page.
pub fn report_workbook(sheets: &[ReportSheet<'_>]) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    for report in sheets {
        report_sheet(workbook.add_worksheet(), report)?;
    }
    Ok(workbook.save_to_buffer()?)
}

/// Widths in Excel's character units: a text column at most this wide
/// wraps, a header at most this wide wraps under a narrower figure column.
const TEXT_WIDEST: f64 = 40.0;
const HEADER_WIDEST: f64 = 14.0;
const NARROWEST: f64 = 6.0;
/// Wider than this (in character units) and the table prints landscape: A4
/// portrait holds about 90 units at full size.
const PORTRAIT_WIDEST: f64 = 90.0;
/// Points per line of 11 pt 宋体 and of the 16 pt title.
const LINE: f64 = 15.0;
const TITLE_LINE: f64 = 22.0;

/// A cell as it is displayed, for measuring.
fn shown(cell: &ReportCell) -> String {
    let two = |yuan: i64, per: i64| {
        let hundredths = (i128::from(yuan) * 100 + i128::from(per) / 2) / i128::from(per);
        format!("{}.{:02}", hundredths / 100, (hundredths % 100).abs())
    };
    match cell {
        ReportCell::Text(t) => t.clone(),
        ReportCell::Yi(m) => two(m.yuan(), 100_000_000),
        ReportCell::Wan(m) => two(m.yuan(), 10_000),
        ReportCell::PercentTenths(t) => format!("{}.{}%", t / 10, (t % 10).abs()),
        ReportCell::Count(n) => n.to_string(),
    }
}

/// Lines `text` takes in a column `width` units wide (at least one).
fn lines_in(text: &str, width: f64) -> f64 {
    text.split('\n')
        .map(|line| (width_of(line) - 2.0).max(1.0) / (width - 1.0).max(1.0))
        .map(f64::ceil)
        .sum::<f64>()
        .max(1.0)
}

/// A header as written: one too wide for its column breaks before its
/// bracketed unit (较序时进度 / （百分点）) rather than wherever it wraps.
fn header_text(header: &str) -> String {
    match header.find('（') {
        Some(at) if at > 0 && width_of(header) > HEADER_WIDEST => {
            format!("{}\n{}", &header[..at], &header[at..])
        }
        _ => header.to_owned(),
    }
}

/// Widest line of `text`, in character units with the padding.
fn widest_line(text: &str) -> f64 {
    text.split('\n').map(width_of).fold(0.0, f64::max)
}

/// Whether a text reads as a figure (+1.2, -40.0), to stand right-aligned.
fn figure_like(text: &str) -> bool {
    let digits = text.trim_start_matches(['+', '-']);
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// Column widths that fit the headers (wrapped beyond [`HEADER_WIDEST`]) and
/// every cell as shown (text wrapped beyond [`TEXT_WIDEST`]).
fn column_widths(headers: &[&str], rows: &[Vec<ReportCell>], totals: &[ReportCell]) -> Vec<f64> {
    let mut widths: Vec<f64> = headers
        .iter()
        .map(|h| widest_line(&header_text(h)).clamp(NARROWEST, HEADER_WIDEST))
        .collect();
    for cells in rows.iter().map(Vec::as_slice).chain([totals]) {
        for (width, cell) in widths.iter_mut().zip(cells) {
            *width = width.max(width_of(&shown(cell)).min(TEXT_WIDEST));
        }
    }
    widths
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
        empty,
    } = *report;
    sheet.set_name(sheet_name)?;
    let font = "宋体";
    let base = Format::new()
        .set_font_name(font)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    let title_format = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_font_name("黑体")
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let header_format = base
        .clone()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_background_color("#F0F4F8");
    let widths = column_widths(headers, rows, totals);
    let table_width: f64 = widths.iter().sum();
    let last_col = headers.len().saturating_sub(1) as u16;
    // The title spans the table and wraps within it; its row grows to hold it.
    sheet.merge_range(0, 0, 0, last_col, title, &title_format)?;
    let title_lines = lines_in(title, table_width * 11.0 / 16.0);
    sheet.set_row_height(0, TITLE_LINE * title_lines + 8.0)?;
    sheet.merge_range(
        1,
        0,
        1,
        last_col,
        unit_note,
        &Format::new()
            .set_font_name(font)
            .set_text_wrap()
            .set_align(FormatAlign::Right),
    )?;
    sheet.set_row_height(1, LINE * lines_in(unit_note, table_width))?;
    let header_lines = headers
        .iter()
        .zip(&widths)
        .map(|(h, w)| lines_in(&header_text(h), *w))
        .fold(1.0, f64::max);
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(2, col as u16, header_text(header), &header_format)?;
    }
    sheet.set_row_height(2, LINE * header_lines + 4.0)?;
    let write = |sheet: &mut rust_xlsxwriter::Worksheet,
                 row: u32,
                 cells: &[ReportCell],
                 bold: bool|
     -> Result<(), ExportError> {
        let format = if bold {
            base.clone().set_bold()
        } else {
            base.clone()
        };
        let mut lines: f64 = 1.0;
        for (col, cell) in cells.iter().enumerate() {
            let c = col as u16;
            match cell {
                // A dash for "no figure" stands centred in its figure column.
                ReportCell::Text(t) if t == "—" => {
                    sheet.write_string_with_format(
                        row,
                        c,
                        t,
                        &format.clone().set_align(FormatAlign::Center),
                    )?;
                }
                ReportCell::Text(t) if figure_like(t) => {
                    sheet.write_string_with_format(
                        row,
                        c,
                        t,
                        &format.clone().set_align(FormatAlign::Right),
                    )?;
                }
                ReportCell::Text(t) => {
                    sheet.write_string_with_format(row, c, t, &format.clone().set_text_wrap())?;
                    if let Some(width) = widths.get(col) {
                        lines = lines.max(lines_in(t, *width));
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
        // Excel does not grow a row for wrapped text on opening a file.
        if lines > 1.0 {
            sheet.set_row_height(row, LINE * lines + 2.0)?;
        }
        Ok(())
    };
    for (n, cells) in rows.iter().enumerate() {
        write(sheet, 3 + n as u32, cells, false)?;
    }
    let mut last_row = 2 + rows.len() as u32;
    if rows.is_empty() && !empty.is_empty() {
        last_row += 1;
        let centred = base.clone().set_align(FormatAlign::Center);
        if last_col == 0 {
            sheet.write_string_with_format(last_row, 0, empty, &centred)?;
        } else {
            sheet.merge_range(last_row, 0, last_row, last_col, empty, &centred)?;
        }
        sheet.set_row_height(last_row, LINE * lines_in(empty, table_width) + 4.0)?;
    }
    if !totals.is_empty() {
        last_row += 1;
        write(sheet, last_row, totals, true)?;
    }
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_freeze_panes(3, 0)?;
    // A4, one page wide, as many pages down as it takes; landscape only for
    // a table too wide to read in portrait.
    sheet.set_paper_size(9);
    if table_width > PORTRAIT_WIDEST {
        sheet.set_landscape();
    } else {
        sheet.set_portrait();
    }
    sheet.set_print_area(0, 0, last_row, last_col)?;
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_print_center_horizontally(true);
    sheet.set_repeat_rows(2, 2)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_chinese_twice_and_fit_figures_as_shown() {
        let rows = vec![
            vec![
                ReportCell::Text("年产10万吨再生铝项目".into()),
                ReportCell::Yi(Money::from_yuan(123_456_789_012)),
            ],
            vec![ReportCell::Text("—".into()), ReportCell::PercentTenths(367)],
        ];
        let widths = column_widths(&["项目名称", "总投资"], &rows, &[]);
        // 8 Chinese (16) + 4 digits + 2 of padding; "1234.57" is 7 + 2.
        assert_eq!(widths, vec![22.0, 9.0]);
        assert_eq!(shown(&rows[0][1]), "1234.57");
        assert_eq!(shown(&rows[1][1]), "36.7%");
        let long = vec![vec![ReportCell::Text("很".repeat(60))]];
        assert_eq!(column_widths(&["原因"], &long, &[]), vec![TEXT_WIDEST]);
        assert_eq!(lines_in(&"很".repeat(60), TEXT_WIDEST), 4.0);
        assert_eq!(lines_in("短", TEXT_WIDEST), 1.0);
    }

    #[test]
    fn an_empty_table_says_so_in_a_row_across_it() {
        use calamine::{Reader, Xlsx};
        let sheet = |rows: &[Vec<ReportCell>]| {
            let bytes = report_workbook(&[ReportSheet {
                name: "逾期问题",
                title: "标题",
                unit_note: "单位：个",
                headers: &["问题类型", "逾期", "涉及项目"],
                rows,
                totals: &[],
                empty: "本月无逾期问题。",
            }])
            .unwrap();
            let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
            book.load_merged_regions().unwrap();
            let merged = book.merged_regions().len();
            (book.worksheet_range("逾期问题").unwrap(), merged)
        };
        let (range, merged) = sheet(&[]);
        assert_eq!(range.end(), Some((3, 2)));
        assert_eq!(
            range.get_value((3, 0)).map(ToString::to_string).as_deref(),
            Some("本月无逾期问题。")
        );
        // Title, unit note and the sentence.
        assert_eq!(merged, 3);
        let one = vec![vec![
            ReportCell::Text("用地".into()),
            ReportCell::Count(1),
            ReportCell::Count(1),
        ]];
        let (range, merged) = sheet(&one);
        assert_eq!(merged, 2);
        assert_eq!(range.end(), Some((3, 2)), "one row of figures, no sentence");
    }

    #[test]
    fn wide_headers_break_before_their_unit_and_signed_figures_read_as_figures() {
        assert_eq!(
            header_text("较序时进度（百分点）"),
            "较序时进度\n（百分点）"
        );
        assert_eq!(header_text("年度计划"), "年度计划");
        assert_eq!(
            column_widths(&["较序时进度（百分点）"], &[], &[]),
            vec![12.0]
        );
        assert!(figure_like("-40.0") && figure_like("+1.2") && figure_like("0.0"));
        assert!(!figure_like("—") && !figure_like("-") && !figure_like("1个"));
    }
}
