//! Reads a zone's key-project ledger (重点项目台账) from the bytes of an .xlsx,
//! .xls or .csv file into typed rows: per sheet the title, the unit note, the
//! header rows and a proposed mapping from columns to ledger fields; per row
//! the values (money exact in yuan, land in 亩, dates as precise as written)
//! and, for what cannot be read, errors in Chinese naming sheet, row and
//! column. Subtotals, totals, section headings, blank rows and notes are
//! reported as skipped, never as projects.
//!
//! This crate does no I/O and knows nothing of storage: matching rows to
//! existing projects and saving them belongs to the import page.
//!
//! [`indicators`] reads the other table zones are sent: the province's
//! monthly statistics of economic indicators, one row per zone.
//!
//! ```no_run
//! let bytes = std::fs::read("台账.xlsx").unwrap();
//! let book = kfq_workbook::read(&bytes, "台账.xlsx", &Default::default()).unwrap();
//! for row in book.projects() {
//!     println!("{} {:?}", row.row, row.values.name);
//! }
//! ```

pub mod attraction;
mod field;
mod grid;
mod header;
pub mod indicators;
mod model;
mod sheet;
mod text;
mod value;

use std::collections::HashMap;

use serde::Serialize;

pub use field::{column_index, column_letter, Field, Letters, Unit};
pub use grid::Format;
pub use header::{header_variants, HeaderVariants, EXACT, GUESS, LIKELY};
pub use model::{
    ColumnMapping, ColumnOverride, HeaderOverride, HeaderRow, Issue, LedgerValues, MappingSource,
    ProjectRow, RawValue, ReadOptions, Sheet, SkipKind, SkippedRow, UnitSource, Workbook,
};
pub use sheet::{month_end, AsOf, AsOfSource};
pub use value::{Approx, LedgerDate};

/// Why a file could not be read at all. Problems inside a readable file are
/// [`Issue`]s on the sheet or the row instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum ReadError {
    #[error("文件为空")]
    Empty,
    #[error("不支持的文件类型“{0}”，请上传 .xlsx、.xls 或 .csv 文件")]
    Unsupported(String),
    #[error("文件扩展名为“{0}”，但内容不是 Excel 格式（可能是网页或文本导出的表格），请用 Excel 或 WPS 另存为 .xlsx 后再导入")]
    NotASpreadsheet(String),
    #[error("文件无法打开，可能已损坏或设置了密码：{0}")]
    Corrupt(String),
    #[error("工作簿中没有可读取的工作表")]
    NoSheets,
    /// A sheet that would expand beyond what a server should hold.
    #[error("{0}")]
    TooLarge(String),
}

/// Reads a ledger workbook from its bytes. `file_name` is used for its
/// extension only (the content decides between .xlsx and .xls).
///
/// Sheets are read row by row: apart from the file's bytes and the rows
/// returned, memory holds only the top of the sheet being read (for its
/// header), the merged regions still open and, where a second thread parses
/// a long sheet's XML, a few batches of rows ahead, whatever the sheet's
/// length.
pub fn read(bytes: &[u8], file_name: &str, options: &ReadOptions) -> Result<Workbook, ReadError> {
    // A long sheet's XML is parsed on a second thread while its rows are
    // read, where there is a second core to run it.
    let pipe_min_rows = match std::thread::available_parallelism() {
        Ok(n) if n.get() > 1 => grid::PIPE_MIN_ROWS,
        _ => u32::MAX,
    };
    read_piped(bytes, file_name, options, pipe_min_rows)
}

/// [`read`], parsing the XML of sheets declaring `pipe_min_rows` rows or
/// more on a thread of their own.
fn read_piped(
    bytes: &[u8],
    file_name: &str,
    options: &ReadOptions,
    pipe_min_rows: u32,
) -> Result<Workbook, ReadError> {
    let mut book = grid::Book::open(bytes, file_name)?;
    let file_name = grid::base_name(file_name);
    let mut notes = std::mem::take(&mut book.notes);
    let mut sheets = Vec::new();
    let mut readable = 0;
    for (name, hidden) in book.sheets() {
        if !options.sheets.is_empty() && !options.sheets.contains(&name) {
            readable += 1;
            continue;
        }
        let mut rows = match book.rows(&name) {
            Ok(rows) => rows,
            Err(e) => {
                notes.push(format!("工作表“{name}”无法读取：{e}"));
                continue;
            }
        };
        readable += 1;
        let merges = std::mem::take(&mut rows.merges);
        let (mut sheet, refusal, truncated, sheet_notes) = std::thread::scope(|scope| {
            // Moved in, so that the rows (and with them the thread's
            // channel) are dropped before the scope waits for the thread,
            // however reading ends.
            let mut rows = rows;
            rows.read_ahead(scope, pipe_min_rows);
            let declared = rows.declared_rows;
            let sheet = sheet::read_sheet(&name, hidden, &merges, declared, rows.by_ref(), options);
            let refusal = rows.over_budget(&name);
            (
                sheet,
                refusal,
                rows.truncated(),
                std::mem::take(&mut rows.notes),
            )
        });
        if let Some(refusal) = refusal {
            return Err(ReadError::TooLarge(refusal));
        }
        if truncated {
            sheet.issues.push(Issue::new(
                &name,
                None,
                None,
                None,
                format!(
                    "工作表超过{}列，只读取了前{}列",
                    grid::MAX_COLUMNS,
                    grid::MAX_COLUMNS
                ),
            ));
        }
        notes.extend(
            sheet_notes
                .into_iter()
                .map(|n| format!("工作表“{name}”{n}")),
        );
        sheets.push(sheet);
    }
    if readable == 0 {
        return Err(ReadError::NoSheets);
    }
    let mut issues: Vec<Issue> = notes
        .into_iter()
        .map(|n| Issue::new(file_name, None, None, None, n))
        .collect();
    if !sheets.iter().any(|s| s.is_ledger) {
        issues.push(Issue::new(
            file_name,
            None,
            None,
            None,
            "没有找到台账表头（需要“项目名称”“总投资”等列名），请确认文件内容或手工指定表头行"
                .to_string(),
        ));
    }
    flag_codes_repeated_across_sheets(&mut sheets);
    Ok(Workbook {
        file_name: file_name.to_string(),
        format: book.format,
        encoding: book.encoding.map(str::to_string),
        sheets,
        issues,
    })
}

/// A project code is unique nationally; the same code on two sheets is the
/// same project entered twice. (Repeats within a sheet are flagged per sheet.)
fn flag_codes_repeated_across_sheets(sheets: &mut [Sheet]) {
    let mut first_seen: HashMap<String, (String, u32)> = HashMap::new();
    let last = sheets.len().saturating_sub(1);
    for (i, sheet) in sheets.iter_mut().enumerate() {
        // The last sheet's codes are looked up, not kept: no sheet follows.
        // (A one-sheet ledger of 100,000 projects copied every code here.)
        if i == last && first_seen.is_empty() {
            break;
        }
        let mut here: HashMap<String, u32> = HashMap::new();
        for row in sheet.rows.iter_mut() {
            let Some(code) = row.values.project_code.clone() else {
                continue;
            };
            if let Some((other, at)) = first_seen.get(&code) {
                let column = row
                    .raw
                    .iter()
                    .find(|v| v.field == Field::ProjectCode)
                    .map(|v| v.column.to_string());
                row.errors.push(Issue::new(
                    &sheet.name,
                    Some(row.row),
                    column,
                    Some(Field::ProjectCode),
                    format!("项目代码“{code}”与工作表“{other}”第{at}行重复"),
                ));
            } else {
                here.entry(code).or_insert(row.row);
            }
        }
        for (code, at) in here {
            first_seen.insert(code, (sheet.name.clone(), at));
        }
    }
}

#[cfg(test)]
#[path = "../benches/support/big_ledger.rs"]
mod big_ledger;

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use super::*;

    /// What a read gives, whole, to compare two reads by.
    fn outcome(bytes: &[u8], pipe_min_rows: u32) -> String {
        match read_piped(bytes, "台账.xlsx", &ReadOptions::default(), pipe_min_rows) {
            Ok(book) => serde_json::to_string(&book).unwrap(),
            Err(e) => format!("{e:?}"),
        }
    }

    /// Read on the calling thread and with the XML parsed on another: the
    /// same outcome, byte for byte.
    fn same_piped_or_not(bytes: &[u8]) -> String {
        let alone = outcome(bytes, u32::MAX);
        assert_eq!(outcome(bytes, 0), alone);
        alone
    }

    /// A CSV read on the calling thread and with its records parsed on
    /// another: the same outcome, across batches, blank and quoted lines,
    /// a row wider than the columns read and the notes made on the way.
    #[test]
    fn a_csv_reads_the_same_piped_or_not() {
        let mut text = String::from("2026年重点项目推进情况表\n填报单位：某开发区,,,单位：万元\n");
        text.push_str("序号,项目名称,总投资,2026年计划投资,1-6月完成投资,存在问题\n");
        for i in 1..=3000 {
            match i % 400 {
                7 => text.push('\n'),
                9 => text.push_str(&format!(
                    "{i},\"多行\n名称{i}\",100,50,20,\"问题，含逗号\"\n"
                )),
                11 => {
                    let wide: Vec<String> =
                        (0..grid::MAX_COLUMNS + 5).map(|c| c.to_string()).collect();
                    text.push_str(&wide.join(","));
                    text.push('\n');
                }
                _ => text.push_str(&format!(
                    "{i},项目{i},{},{},{},\n",
                    1000 + i,
                    500 + i,
                    i % 300
                )),
            }
        }
        let bytes = text.as_bytes();
        let read = |pipe| {
            let book = read_piped(bytes, "台账.csv", &ReadOptions::default(), pipe).unwrap();
            serde_json::to_string(&book).unwrap()
        };
        let alone = read(u32::MAX);
        assert!(alone.contains("项目2999"));
        assert!(alone.contains("多行"));
        assert_eq!(read(0), alone);
        assert_eq!(read(1000), alone);
    }

    /// An .xlsx of sheets given as the XML inside their `sheetData`.
    fn xlsx(sheets: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default();
        let mut part = |name: &str, text: &str| {
            zip.start_file(name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        };
        part(
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#,
        );
        part(
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        );
        let names: String = (1..=sheets.len())
            .map(|i| {
                format!(
                    r#"<sheet name="{}" sheetId="{i}" r:id="rId{i}"/>"#,
                    sheets[i - 1].0
                )
            })
            .collect();
        part(
            "xl/workbook.xml",
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{names}</sheets></workbook>"#
            ),
        );
        let targets: String = (1..=sheets.len())
            .map(|i| format!(r#"<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>"#))
            .collect();
        part(
            "xl/_rels/workbook.xml.rels",
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{targets}</Relationships>"#
            ),
        );
        for (i, (_, data)) in sheets.iter().enumerate() {
            part(
                &format!("xl/worksheets/sheet{}.xml", i + 1),
                &format!(
                    r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}"#
                ),
            );
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    /// Rows of inline strings from row 1, each given as its cells' texts.
    fn rows_xml(rows: &[Vec<String>]) -> String {
        let mut xml = String::new();
        for (r, cells) in rows.iter().enumerate() {
            let r = r + 1;
            xml.push_str(&format!(r#"<row r="{r}">"#));
            for (c, text) in cells.iter().enumerate() {
                if !text.is_empty() {
                    let col = column_letter(c as u32);
                    xml.push_str(&format!(
                        r#"<c r="{col}{r}" t="inlineStr"><is><t>{text}</t></is></c>"#
                    ));
                }
            }
            xml.push_str("</row>");
        }
        xml
    }

    fn ledger_rows(projects: usize) -> Vec<Vec<String>> {
        let mut rows = vec![vec!["序号".into(), "项目名称".into(), "总投资".into()]];
        for i in 1..=projects {
            rows.push(vec![
                i.to_string(),
                format!("项目{i}"),
                format!("{}", i * 10),
            ]);
        }
        rows
    }

    #[test]
    fn a_generated_ledger_with_merges_reads_the_same_on_two_threads() {
        let dir = std::env::temp_dir().join(format!("kfq-workbook-piped-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("ledger.xlsx");
        big_ledger::write(&path, 700).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        same_piped_or_not(&bytes);
        // The leader merged over two rows carries to the second.
        let book = read_piped(&bytes, "台账.xlsx", &ReadOptions::default(), 0).unwrap();
        let rows = &book.sheets[0].rows;
        assert_eq!(rows.len(), 700);
        let second = rows.iter().find(|r| r.row == 255 + 6).unwrap();
        let first = rows.iter().find(|r| r.row == 255 + 5).unwrap();
        assert!(second.values.liaison.is_some());
        assert_eq!(second.values.liaison, first.values.liaison);
    }

    #[test]
    fn a_damaged_sheet_gives_the_same_note_on_two_threads() {
        // Rows, then XML that ends in the middle of a row.
        let mut data = rows_xml(&ledger_rows(600));
        data.push_str(r#"<row r="602"><c r="A602" t="inlineStr"><is><t>半"#);
        let bytes = xlsx(&[("台账", &data)]);
        let read = same_piped_or_not(&bytes);
        assert!(read.contains("第601行之后的内容无法读取"), "{read}");
        assert!(read.contains("项目600"));
    }

    #[test]
    fn cells_beyond_the_last_column_read_are_said_on_two_threads() {
        let mut rows = ledger_rows(300);
        rows[150].resize(grid::MAX_COLUMNS + 5, String::new());
        rows[150][grid::MAX_COLUMNS + 2] = "远处".into();
        let mut data = rows_xml(&rows);
        data.push_str("</sheetData></worksheet>");
        let read = same_piped_or_not(&xlsx(&[("台账", &data)]));
        assert!(read.contains("只读取了前"), "{read}");
    }

    #[test]
    fn a_sheet_left_unread_stops_its_thread() {
        // No header on the first sheet: reading stops at its top rows while
        // its thread has rows waiting; the second sheet is read in full.
        let notes: Vec<Vec<String>> = (1..=5000).map(|i| vec![format!("说明{i}")]).collect();
        let mut first = rows_xml(&notes);
        first.push_str("</sheetData></worksheet>");
        let mut second = rows_xml(&ledger_rows(400));
        second.push_str("</sheetData></worksheet>");
        let read = same_piped_or_not(&xlsx(&[("说明", &first), ("台账", &second)]));
        assert!(read.contains("项目400"));
    }
}
