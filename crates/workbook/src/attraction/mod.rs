//! Reads a zone's 招商项目台账 (the workbook of leads it keeps: 在谈项目,
//! 签约项目, 开工项目 sheets, each a table with its own header) into typed
//! rows: per sheet the title, the unit note, the header (one row or two),
//! the field each column holds; per row the values (money exact in yuan,
//! land in 亩, dates as precise as written) and, for what cannot be read, a
//! message in Chinese naming sheet, row and column. Totals, section
//! headings, notes and blank rows are reported as skipped.
//!
//! What the words in a cell mean (which stage "已签约" is, which province a
//! place lies in) is the planner's business: this module reads the table.

mod fields;

use serde::{Deserialize, Serialize};

pub use fields::LeadField;

use crate::field::{column_letter, Unit};
use crate::grid::{self, Grid};
use crate::header::{parse_header, section_number};
use crate::model::{MappingSource, SkipKind, SkippedRow, UnitSource};
use crate::sheet::{is_column_numbers, is_note};
use crate::text::{compact, one_line};
use crate::value::{self, Approx, Cell, Decimal, LedgerDate};
use crate::ReadError;
use kfq_domain::{Money, Mu};

/// A 招商台账 lists a zone's leads: hundreds of rows, not tens of thousands.
const MAX_ROWS: usize = 5_000;
/// The header is looked for in the first rows of a sheet.
const HEADER_SEARCH: usize = 15;

/// A column the user mapped by hand: the header's text and the field it
/// holds (`None`: not read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadColumnChoice {
    pub header: String,
    pub field: Option<LeadField>,
}

/// What the user knows better than the sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadReadOptions {
    /// Columns mapped by hand, by header text.
    #[serde(default)]
    pub columns: Vec<LeadColumnChoice>,
    /// The unit of money columns that name none (default 万元).
    #[serde(default)]
    pub money_unit: Option<Unit>,
}

/// The workbook read: every sheet with a lead header, and what the file
/// as a whole did not allow.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LeadBook {
    pub sheets: Vec<LeadSheet>,
    /// File-level problems, in Chinese (a sheet without a header, a hidden
    /// sheet left out).
    pub issues: Vec<String>,
}

impl LeadBook {
    pub fn rows(&self) -> impl Iterator<Item = (&LeadSheet, &LeadRow)> {
        self.sheets
            .iter()
            .flat_map(|s| s.rows.iter().map(move |r| (s, r)))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LeadSheet {
    pub name: String,
    /// "2026年在谈项目台账", without a unit note.
    pub title: Option<String>,
    /// As written: "单位：亿元".
    pub unit_note: Option<String>,
    /// 1-based rows of the header (one or two).
    pub header_rows: Vec<u32>,
    pub columns: Vec<LeadColumn>,
    pub rows: Vec<LeadRow>,
    pub skipped: Vec<SkippedRow>,
}

/// One column of the header and the field it is read as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadColumn {
    /// "D"
    pub column: String,
    /// The header as shown; a two-row header's parent and own text joined
    /// with " / ".
    pub header: String,
    pub field: Option<LeadField>,
    pub source: MappingSource,
    /// The unit amounts are read in (money columns).
    pub unit: Option<Unit>,
    pub unit_source: Option<UnitSource>,
    /// Why the column is not read, in Chinese.
    pub note: Option<String>,
}

/// A lead's row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadRow {
    /// 1-based, as Excel shows it.
    pub row: u32,
    /// The section heading above it ("一、签约项目（5个）"), if any.
    pub section: Option<String>,
    pub values: LeadValues,
    /// Values that could not be read, and remarks on values that were.
    pub issues: Vec<CellIssue>,
}

/// A cell's problem or remark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellIssue {
    pub field: LeadField,
    /// "E"
    pub column: String,
    /// In Chinese: "无法识别的金额“约十八个亿”".
    pub reason: String,
    /// A remark on a value read (rounded, approximate): not an error.
    pub warning: bool,
}

/// The values of a row, as written where they are words.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LeadValues {
    pub name: Option<String>,
    pub investor: Option<String>,
    pub credit_code: Option<String>,
    pub place: Option<String>,
    pub origin: Option<String>,
    pub industry: Option<String>,
    pub investment: Option<Approx<Money>>,
    pub signed_amount: Option<Approx<Money>>,
    pub signed_on: Option<LedgerDate>,
    pub agreement: Option<String>,
    pub stage: Option<String>,
    pub progress: Option<String>,
    pub source: Option<String>,
    pub referrer: Option<String>,
    pub owner: Option<String>,
    pub task_force: Option<String>,
    pub land: Option<Approx<Mu>>,
    pub output: Option<Approx<Money>>,
    pub tax: Option<Approx<Money>>,
    pub jobs: Option<i64>,
    /// Tonnes of standard coal.
    pub energy: Option<i64>,
    pub registered_on: Option<LedgerDate>,
    pub last_touch: Option<LedgerDate>,
    pub started_on: Option<LedgerDate>,
    pub produced_on: Option<LedgerDate>,
    pub enterprise: Option<String>,
    pub enterprise_code: Option<String>,
    pub content: Option<String>,
    pub funds: Option<Approx<Money>>,
    pub note: Option<String>,
}

/// Reads every sheet of a 招商项目台账 that has a lead header (a 项目名称
/// column and at least two other known columns).
pub fn read_leads(
    bytes: &[u8],
    file_name: &str,
    options: &LeadReadOptions,
) -> Result<LeadBook, ReadError> {
    let mut book = grid::Book::open(bytes, file_name)?;
    let mut issues = std::mem::take(&mut book.notes);
    let names = book.sheets();
    if names.is_empty() {
        return Err(ReadError::NoSheets);
    }
    let mut sheets = Vec::new();
    for (name, hidden) in names {
        let grid = match load(&mut book, &name, &mut issues)? {
            Some(grid) => grid,
            None => continue,
        };
        let Some(header) = find_header(&grid, options) else {
            let filled = grid.rows.iter().any(|r| r.iter().any(|c| !c.is_empty()));
            if filled && !hidden {
                issues.push(format!(
                    "工作表“{name}”中没有找到招商项目表头（需要“项目名称”列和“投资方”“投资额”等列），未读取"
                ));
            }
            continue;
        };
        if hidden {
            issues.push(format!(
                "工作表“{name}”是隐藏的工作表，未读取；如需导入请先取消隐藏"
            ));
            continue;
        }
        sheets.push(read_sheet(&grid, &header, options));
    }
    if sheets.is_empty() && issues.is_empty() {
        issues.push(
            "没有找到招商项目表头（需要“项目名称”列和“投资方”“投资额”等列），请确认文件内容"
                .to_owned(),
        );
    }
    Ok(LeadBook { sheets, issues })
}

/// A whole sheet as cells with its merges, or `None` (said in `issues`)
/// when it cannot be read; a file over the budget is refused whole.
fn load(
    book: &mut grid::Book<'_>,
    name: &str,
    issues: &mut Vec<String>,
) -> Result<Option<Grid>, ReadError> {
    let mut rows = match book.rows(name) {
        Ok(rows) => rows,
        Err(e) => {
            issues.push(format!("工作表“{name}”无法读取：{e}"));
            return Ok(None);
        }
    };
    let merges = std::mem::take(&mut rows.merges);
    let cells: Vec<Vec<Cell>> = rows.by_ref().take(MAX_ROWS).collect();
    if let Some(refusal) = rows.over_budget(name) {
        return Err(ReadError::TooLarge(refusal));
    }
    issues.append(&mut rows.notes);
    if cells.len() == MAX_ROWS && rows.next().is_some() {
        // A lead table is never this long: refused rather than read in part.
        return Err(ReadError::TooLarge(format!(
            "工作表“{name}”超过{MAX_ROWS}行，不像招商项目台账；请确认文件或拆分后导入"
        )));
    }
    let mut grid = Grid::new(name.to_owned(), cells);
    grid.add_merges(&merges);
    Ok(Some(grid))
}

/// Where the header is and what each column holds.
struct Header {
    first: usize,
    last: usize,
    /// Per column: the shown text and the field read from it.
    columns: Vec<(usize, String, Option<LeadField>, MappingSource)>,
}

impl Header {
    fn column_of(&self, field: LeadField) -> Option<usize> {
        self.columns
            .iter()
            .find(|(_, _, f, _)| *f == Some(field))
            .map(|(c, ..)| *c)
    }
}

fn text_at(grid: &Grid, r: usize, c: usize) -> String {
    one_line(&grid.shown(r, c).display())
}

/// The field of a header: the user's choice for that text, else the
/// words of the header.
fn field_of(text: &str, options: &LeadReadOptions) -> (Option<LeadField>, MappingSource) {
    let key = fields::header_key(text);
    match options
        .columns
        .iter()
        .find(|c| fields::header_key(&c.header) == key)
    {
        Some(choice) => (choice.field, MappingSource::Override),
        None => (fields::classify(text), MappingSource::Detected),
    }
}

/// The first of the top rows that names 项目名称 and two other fields; a
/// second header row under it when its own cells name fields (a parent
/// "签约情况" over "时间" and "金额").
fn find_header(grid: &Grid, options: &LeadReadOptions) -> Option<Header> {
    let width = grid.width();
    for r in 0..grid.height().min(HEADER_SEARCH) {
        let one: Vec<_> = (0..width)
            .map(|c| {
                let text = text_at(grid, r, c);
                let (field, source) = field_of(&text, options);
                (c, text, field, source)
            })
            .collect();
        let named = |cols: &[(usize, String, Option<LeadField>, MappingSource)]| {
            let fields: Vec<LeadField> = cols.iter().filter_map(|(_, _, f, _)| *f).collect();
            fields.contains(&LeadField::Name)
                && fields
                    .iter()
                    .filter(|f| !matches!(f, LeadField::Name | LeadField::Serial))
                    .count()
                    >= 2
        };
        // A title or a unit note (one cell, merged across or not) is
        // never the upper half of a header.
        let cells = (0..width).filter(|c| !grid.own(r, *c).is_empty()).count();
        let below = cells >= 2 && r + 1 < grid.height() && is_sub_header(grid, r, options);
        if below {
            let two: Vec<_> = (0..width)
                .map(|c| {
                    let parent = text_at(grid, r, c);
                    let own = text_at(grid, r + 1, c);
                    let text = match (parent.is_empty(), own.is_empty() || own == parent) {
                        (_, true) => parent,
                        (true, false) => own.clone(),
                        (false, false) => format!("{parent} / {own}"),
                    };
                    let (mut field, mut source) = field_of(&text, options);
                    if field.is_none() && text.contains(" / ") {
                        // "金额 / 亿元" under a parent: the child alone.
                        (field, source) = field_of(&own, options);
                    }
                    (c, text, field, source)
                })
                .collect();
            if named(&two) {
                return Some(dedupe(r, r + 1, two));
            }
        }
        if named(&one) {
            return Some(dedupe(r, r, one));
        }
    }
    None
}

/// Whether the row under `r` is the lower half of a two-row header: some of
/// its cells name fields, and it holds no amounts.
fn is_sub_header(grid: &Grid, r: usize, options: &LeadReadOptions) -> bool {
    let below = r + 1;
    let mut named = 0;
    for c in 0..grid.width() {
        let cell = grid.own(below, c);
        if matches!(cell, Cell::Number(_) | Cell::Date(_)) {
            return false;
        }
        let own = one_line(&cell.display());
        if Decimal::parse(&compact(&own)).is_some() {
            return false;
        }
        // Under a parent spanning several columns, the child is read with it.
        let spanned = match grid.origin(r, c) {
            Some((_, c0)) => grid.merge_width(r, c0) > 1,
            None => grid.merge_width(r, c) > 1,
        };
        let parent = text_at(grid, r, c);
        let named_here = field_of(&own, options).0.is_some()
            || (spanned && field_of(&format!("{parent} / {own}"), options).0.is_some());
        if !own.is_empty() && named_here {
            named += 1;
        }
    }
    // A parent spanning several columns announces children.
    let spans = (0..grid.width()).any(|c| grid.merge_width(r, c) > 1);
    named >= 2 || (named >= 1 && spans)
}

/// Each field to its first column; later ones are noted and left out.
fn dedupe(
    first: usize,
    last: usize,
    columns: Vec<(usize, String, Option<LeadField>, MappingSource)>,
) -> Header {
    let mut seen = Vec::new();
    let columns = columns
        .into_iter()
        .filter(|(_, text, ..)| !text.is_empty())
        .map(|(c, text, field, source)| {
            let field = field.filter(|f| {
                let fresh = !seen.contains(f);
                seen.push(*f);
                fresh
            });
            (c, text, field, source)
        })
        .collect();
    Header {
        first,
        last,
        columns,
    }
}

fn read_sheet(grid: &Grid, header: &Header, options: &LeadReadOptions) -> LeadSheet {
    let (title, unit_note) = title_and_note(grid, header.first);
    let mut taken: Vec<LeadField> = Vec::new();
    let columns: Vec<LeadColumn> = header
        .columns
        .iter()
        .map(|(c, text, field, source)| {
            let letter = column_letter(*c as u32);
            let mut note = None;
            let detected = fields::classify(text);
            if field.is_none() {
                note = Some(match detected {
                    Some(f) if taken.contains(&f) || *source == MappingSource::Detected => {
                        format!("与前面的“{}”列重复，未读取", f.label())
                    }
                    _ => "未识别，未读取；如需导入请在下方选择它对应的字段".to_owned(),
                });
            }
            if let Some(f) = field {
                taken.push(*f);
                if *f == LeadField::Zone {
                    note = Some("导入到所选的开发区，此列不读".to_owned());
                }
                if *f == LeadField::Funds {
                    note = Some(
                        "到位资金按月登记，不从台账导入；导入后请在项目的“到位资金”中按月录入"
                            .to_owned(),
                    );
                }
            }
            let (unit, unit_source) = match field {
                Some(f) if f.is_money() => money_unit(text, unit_note.as_ref(), options),
                Some(LeadField::Land) => (
                    Some(parse_header(text).unit.unwrap_or(Unit::Mu)),
                    Some(UnitSource::Header),
                ),
                _ => (None, None),
            };
            LeadColumn {
                column: letter,
                header: text.clone(),
                field: *field,
                source: *source,
                unit,
                unit_source,
                note,
            }
        })
        .collect();
    let mut sheet = LeadSheet {
        name: grid.name.clone(),
        title,
        unit_note: unit_note.map(|(note, _)| note),
        header_rows: (header.first..=header.last).map(|r| r as u32 + 1).collect(),
        columns,
        rows: Vec::new(),
        skipped: Vec::new(),
    };
    let mut section: Option<String> = None;
    let mut in_notes = false;
    for r in header.last + 1..grid.height() {
        read_row(grid, header, r, &mut sheet, &mut section, &mut in_notes);
    }
    sheet
}

/// The title (the first text above the header) and a unit note there.
fn title_and_note(grid: &Grid, first: usize) -> (Option<String>, Option<(String, Unit)>) {
    let mut title = None;
    let mut note = None;
    for r in 0..first {
        for c in 0..grid.width() {
            let text = text_at(grid, r, c);
            if text.is_empty() {
                continue;
            }
            if note.is_none() {
                note = crate::sheet::find_unit_note(&text, true);
            }
            if title.is_none() && crate::sheet::find_unit_note(&text, false).is_none() {
                let stripped = crate::sheet::strip_unit_note(&text);
                if !stripped.is_empty() {
                    title = Some(stripped);
                }
            }
        }
    }
    (title, note)
}

/// A money column's unit: its header's, else the sheet's note, else the
/// user's choice, else 万元 (as entry forms use), said as the default.
fn money_unit(
    text: &str,
    note: Option<&(String, Unit)>,
    options: &LeadReadOptions,
) -> (Option<Unit>, Option<UnitSource>) {
    if let Some(unit) = parse_header(text).unit.filter(|u| u.is_money()) {
        return (Some(unit), Some(UnitSource::Header));
    }
    if let Some(unit) = options.money_unit {
        return (Some(unit), Some(UnitSource::Override));
    }
    if let Some((_, unit)) = note {
        return (Some(*unit), Some(UnitSource::UnitNote));
    }
    (Some(Unit::Wan), Some(UnitSource::Default))
}

fn read_row(
    grid: &Grid,
    header: &Header,
    r: usize,
    sheet: &mut LeadSheet,
    section: &mut Option<String>,
    in_notes: &mut bool,
) {
    let row = r as u32 + 1;
    let own: Vec<(usize, &Cell)> = (0..grid.width())
        .map(|c| (c, grid.own(r, c)))
        .filter(|(_, cell)| !cell.is_empty())
        .collect();
    let text = own
        .iter()
        .map(|(_, c)| one_line(&c.display()))
        .collect::<Vec<_>>()
        .join(" | ");
    let mut skip = |kind: SkipKind, reason: &str| {
        sheet.skipped.push(SkippedRow {
            row,
            kind,
            text: text.clone(),
            reason: reason.to_owned(),
        })
    };
    if own.is_empty() {
        return;
    }
    let first = compact(&own[0].1.display());
    if *in_notes || is_note(&first) {
        *in_notes = true;
        skip(SkipKind::Note, "表下注释");
        return;
    }
    if is_column_numbers(&own) {
        skip(SkipKind::ColumnNumbers, "列序号行");
        return;
    }
    let name_col = header.column_of(LeadField::Name);
    let name = name_col.and_then(|c| value::name(grid.own(r, c)));
    let total_word = |t: &str| {
        let t = t.trim_start_matches(|c: char| !c.is_alphanumeric());
        ["合计", "总计", "共计", "小计"]
            .iter()
            .any(|w| t.starts_with(w) || t.ends_with(w))
    };
    if own
        .iter()
        .take(2)
        .any(|(_, c)| total_word(&compact(&c.display())))
    {
        let kind = if text.contains("小计") {
            SkipKind::Subtotal
        } else {
            SkipKind::Total
        };
        skip(kind, "合计行，不是项目");
        return;
    }
    // The header repeated, as printed sheets do on every page.
    if name
        .as_deref()
        .is_some_and(|n| fields::classify(n) == Some(LeadField::Name))
    {
        skip(SkipKind::RepeatedHeader, "重复的表头");
        return;
    }
    let lone_heading = own.len() == 1 || own.iter().all(|(c, _)| grid.merge_width(r, *c) > 1);
    if name.is_none() || (lone_heading && section_number(&first).is_some()) {
        if own.len() == 1 && section_number(&first).is_none() && serial_only(&first) {
            skip(SkipKind::SerialOnly, "只有序号，没有项目");
            return;
        }
        if own.len() <= 2 {
            *section = Some(one_line(
                &own.last().map(|(_, c)| c.display()).unwrap_or_default(),
            ));
            skip(SkipKind::Section, "分组标题");
            return;
        }
    }
    let mut lead = LeadRow {
        row,
        section: section.clone(),
        values: LeadValues::default(),
        issues: Vec::new(),
    };
    for ((c, ..), col) in header.columns.iter().zip(&sheet.columns) {
        if let Some(field) = col.field {
            read_cell(grid.own(r, *c), field, col, &mut lead);
        }
    }
    sheet.rows.push(lead);
}

fn serial_only(text: &str) -> bool {
    text.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// Reads one cell into the row's values, its problem into the row's issues.
fn read_cell(cell: &Cell, field: LeadField, col: &LeadColumn, lead: &mut LeadRow) {
    use LeadField as F;
    let v = &mut lead.values;
    let mut problem: Option<(String, bool)> = None;
    let mut take = |outcome: Result<Option<value::Parsed<Approx<Money>>>, String>| match outcome {
        Ok(Some(p)) => {
            if let Some(w) = p.warning {
                problem = Some((w, true));
            }
            Some(p.value)
        }
        Ok(None) => None,
        Err(e) => {
            problem = Some((e, false));
            None
        }
    };
    let unit = col.unit.unwrap_or(Unit::Wan);
    match field {
        F::Serial | F::Zone => {}
        F::Name => v.name = value::name(cell),
        F::Investor => v.investor = value::name(cell),
        F::CreditCode => v.credit_code = value::text(cell).map(|t| compact(&t).to_uppercase()),
        F::EnterpriseCode => {
            v.enterprise_code = value::text(cell).map(|t| compact(&t).to_uppercase())
        }
        F::Place => v.place = value::name(cell),
        F::Origin => v.origin = value::text(cell).map(|t| one_line(&t)),
        F::Industry => v.industry = value::name(cell),
        F::Investment => v.investment = take(value::money(cell, unit)),
        F::SignedAmount => v.signed_amount = take(value::money(cell, unit)),
        F::Output => v.output = take(value::money(cell, unit)),
        F::Tax => v.tax = take(value::money(cell, unit)),
        F::Funds => v.funds = take(value::money(cell, unit)),
        F::Agreement => v.agreement = value::text(cell).map(|t| one_line(&t)),
        F::Stage => v.stage = value::text(cell).map(|t| one_line(&t)),
        F::Progress => v.progress = value::text(cell),
        F::Source => v.source = value::text(cell).map(|t| one_line(&t)),
        F::Referrer => v.referrer = value::name(cell),
        F::Owner => v.owner = value::name(cell),
        F::TaskForce => v.task_force = value::name(cell),
        F::Enterprise => v.enterprise = value::name(cell),
        F::Content => v.content = value::text(cell),
        F::Note => v.note = value::text(cell),
        F::Land => match value::land(cell, col.unit.unwrap_or(Unit::Mu)) {
            Ok(Some(p)) => {
                problem = p.warning.map(|w| (w, true));
                v.land = Some(p.value);
            }
            Ok(None) => {}
            Err(e) => problem = Some((e, false)),
        },
        F::Jobs => match value::count(cell) {
            Ok(Some(p)) => {
                problem = p.warning.map(|w| (w, true));
                v.jobs = Some(p.value.value);
            }
            Ok(None) => {}
            Err(e) => problem = Some((e, false)),
        },
        F::Energy => match energy(cell) {
            Ok(n) => v.energy = n,
            Err(e) => problem = Some((e, false)),
        },
        F::SignedOn | F::StartedOn | F::ProducedOn | F::RegisteredOn | F::LastTouch => {
            match value::date(cell, None) {
                Ok(Some(p)) => {
                    problem = p.warning.map(|w| (w, true));
                    let d = Some(p.value);
                    match field {
                        F::SignedOn => v.signed_on = d,
                        F::StartedOn => v.started_on = d,
                        F::RegisteredOn => v.registered_on = d,
                        F::LastTouch => v.last_touch = d,
                        _ => v.produced_on = d,
                    }
                }
                Ok(None) => {}
                Err(e) => problem = Some((e, false)),
            }
        }
    }
    if let Some((reason, warning)) = problem {
        lead.issues.push(CellIssue {
            field,
            column: col.column.clone(),
            reason,
            warning,
        });
    }
}

/// 年综合能耗 in tonnes of standard coal: "5000", "5000吨标煤", "0.5万吨标准煤".
fn energy(cell: &Cell) -> Result<Option<i64>, String> {
    let Some(raw) = value::text(cell) else {
        return Ok(None);
    };
    let t = compact(&raw);
    let (t, scale) = ["万吨标准煤", "万吨标煤", "万吨"]
        .iter()
        .find_map(|s| t.strip_suffix(s).map(|r| (r.to_owned(), 10_000u128)))
        .or_else(|| {
            ["吨标准煤", "吨标煤", "tce", "吨"]
                .iter()
                .find_map(|s| t.strip_suffix(s).map(|r| (r.to_owned(), 1u128)))
        })
        .unwrap_or((t.clone(), 1));
    let t = t.trim_start_matches(['约', '近']);
    let wrong = || format!("无法识别的能耗“{}”", one_line(&raw));
    let decimal = Decimal::parse(t).ok_or_else(wrong)?;
    if decimal.is_negative() {
        return Err(wrong());
    }
    match decimal.times_ratio(scale, 1) {
        Some((n, _)) if n <= i64::MAX as i128 => Ok(Some(n as i64)),
        _ => Err(wrong()),
    }
}
