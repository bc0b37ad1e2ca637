//! The rows below the header, one at a time: each a project, or skipped with the reason.

mod first_seen;
mod labels;
mod memo;
mod project;

use std::borrow::Cow;
use std::collections::HashMap;

use crate::field::{column_letter, Field, Letters, Unit};
use crate::grid::RowWindow;
use crate::header::{classify, header_core, may_name_a_field, section_number};
use crate::model::{Issue, Sheet, SkipKind, SkippedRow};
use crate::text::{compact, compact_cow, one_line};
use crate::value::Cell;

use first_seen::FirstSeen;
use labels::{strip_count, update_section};
use memo::Memos;

pub(crate) use labels::{is_column_numbers, is_note};

/// What section headings above a row say about it.
#[derive(Default, Clone)]
struct Section {
    text: Option<String>,
    category: Option<kfq_domain::Category>,
    nature: Option<kfq_domain::Nature>,
    zone: Option<String>,
}

/// Reads the rows below the header one at a time, carrying what earlier
/// rows said: the current section, whether the notes have begun, and the
/// codes and names seen so far.
pub(super) struct RowReader {
    sheet_name: String,
    columns: Vec<(usize, Field, Option<Unit>)>,
    year: Option<i32>,
    header_end: usize,
    name_col: Option<usize>,
    /// Each mapped column's letter, as `columns` lists them.
    letters: Vec<Letters>,
    /// Whether a column holds a row's label (see `label_cells`), by index;
    /// columns beyond hold none.
    label_cols: Vec<bool>,
    section: Section,
    in_notes: bool,
    /// Per mapped column (as `columns` lists them), the texts asked whether
    /// they name the column's field, and the answers: a column often holds
    /// a few texts row after row (a zone, a category, 续建, its leaders).
    header_checks: Vec<HeaderChecks>,
    codes: FirstSeen,
    names: FirstSeen,
    /// What repeated texts of coded and dated columns read as.
    memos: std::cell::RefCell<Memos>,
}

impl RowReader {
    pub(super) fn new(sheet: &Sheet) -> RowReader {
        let columns: Vec<(usize, Field, Option<Unit>)> = sheet
            .columns
            .iter()
            .filter_map(|m| m.field.map(|f| (m.index as usize, f, m.unit)))
            .collect();
        let name_col = columns
            .iter()
            .find(|(_, f, _)| *f == Field::Name)
            .map(|(c, _, _)| *c);
        // Sheets are read to MAX_COLUMNS (200) columns: every one has
        // letters (up to "ZZZ", 18,278).
        let letters = columns
            .iter()
            .map(|(c, _, _)| Letters::of(*c as u32).unwrap_or(Letters::LAST))
            .collect();
        let label_fields = [
            Field::Serial,
            Field::Zone,
            Field::Name,
            Field::Category,
            Field::Nature,
        ];
        let limit = name_col.unwrap_or(2);
        let last = columns.iter().map(|(c, _, _)| *c).max().unwrap_or(0);
        let label_cols = (0..=last.max(limit))
            .map(|c| {
                columns
                    .iter()
                    .any(|(mc, f, _)| *mc == c && label_fields.contains(f))
                    || (c <= limit && !columns.iter().any(|(mc, _, _)| *mc == c))
            })
            .collect();
        RowReader {
            header_checks: (0..columns.len())
                .map(|_| HeaderChecks::default())
                .collect(),
            sheet_name: sheet.name.clone(),
            columns,
            year: sheet.year,
            header_end: sheet.header_rows.last().map_or(0, |h| h.row as usize - 1),
            name_col,
            letters,
            label_cols,
            section: Section::default(),
            in_notes: false,
            codes: FirstSeen::new(|p| p.values.project_code.as_ref()),
            names: FirstSeen::new(|p| p.values.name.as_ref()),
            memos: std::cell::RefCell::new(Memos::new()),
        }
    }

    fn column_of(&self, field: Field) -> Option<usize> {
        self.columns
            .iter()
            .find(|(_, f, _)| *f == field)
            .map(|(c, _, _)| *c)
    }

    /// Reads one row below the header into a project or a skipped row.
    pub(super) fn read_row(&mut self, w: &RowWindow, sheet: &mut Sheet) {
        let r = w.row();
        let row_no = r as u32 + 1;
        let name_col = self.name_col;
        let own: Vec<(usize, &Cell)> = (0..w.width())
            .map(|c| (c, w.own(c)))
            .filter(|(_, cell)| !cell.is_empty())
            .collect();
        // The row's text is only kept for rows skipped.
        let skip = |kind, reason: &str| SkippedRow {
            row: row_no,
            kind,
            text: row_text(w),
            reason: reason.to_string(),
        };
        if own.is_empty() {
            sheet.skipped.push(skip(SkipKind::Blank, "空行"));
            return;
        }
        let first_text = compact_shown(own[0].1);
        if self.in_notes || is_note(&first_text) {
            self.in_notes = true;
            sheet.skipped.push(skip(SkipKind::Note, "表尾注释"));
            return;
        }
        let labels = self.label_cells(w);
        if let Some(kind) = Self::total_kind(&labels) {
            let reason = match kind {
                SkipKind::Subtotal => "小计行",
                _ => "合计行",
            };
            sheet.skipped.push(skip(kind, reason));
            return;
        }
        if let Some(heading) = self.section_heading(w, &own, &labels) {
            update_section(&mut self.section, &heading);
            sheet.skipped.push(skip(SkipKind::Section, "分类标题行"));
            return;
        }
        if self.is_repeated_header(&own) {
            sheet
                .skipped
                .push(skip(SkipKind::RepeatedHeader, "重复的表头行"));
            return;
        }
        if r == self.header_end + 1 && is_column_numbers(&own) {
            sheet
                .skipped
                .push(skip(SkipKind::ColumnNumbers, "栏次行（列编号）"));
            return;
        }
        let serial_col = self.column_of(Field::Serial).unwrap_or(0);
        if own.iter().all(|(c, _)| *c == serial_col) {
            sheet
                .skipped
                .push(skip(SkipKind::SerialOnly, "仅有序号的空行"));
            return;
        }
        let mut project = self.read_project(w);
        if let (Some(name_col), None) = (name_col, &project.values.name) {
            project.errors.insert(
                0,
                Issue::new(
                    &self.sheet_name,
                    Some(row_no),
                    Some(column_letter(name_col as u32)),
                    Some(Field::Name),
                    "项目名称为空".to_string(),
                ),
            );
        }
        if let Some(code) = &project.values.project_code {
            if let Some(first) = self.codes.first(code, &sheet.rows, row_no) {
                project.errors.push(Issue::new(
                    &self.sheet_name,
                    Some(row_no),
                    self.column_of(Field::ProjectCode)
                        .map(|c| column_letter(c as u32)),
                    Some(Field::ProjectCode),
                    format!("项目代码“{code}”与第{first}行重复"),
                ));
            }
        }
        if let Some(name) = &project.values.name {
            if let Some(first) = self.names.first(name, &sheet.rows, row_no) {
                project.warnings.push(Issue::new(
                    &self.sheet_name,
                    Some(row_no),
                    name_col.map(|c| column_letter(c as u32)),
                    Some(Field::Name),
                    format!("项目名称与第{first}行相同"),
                ));
            }
        }
        sheet.rows.push(project);
    }

    /// The cells that label a row: serial, zone, name, category, nature and
    /// unmapped columns left of the name (where "合计" is usually written).
    /// Each with its column: the label as shown is only wanted for a heading.
    fn label_cells<'w>(&self, w: &'w RowWindow) -> Vec<(Cow<'w, str>, usize)> {
        (0..w.width().min(self.label_cols.len()))
            .filter(|&c| self.label_cols[c])
            .filter_map(|c| {
                // A label merged across from the left ("合 计" over A:C) counts;
                // one merged down from a row above does not.
                let cell = match w.origin(c) {
                    Some((or, _)) if or != w.row() => return None,
                    _ => w.shown(c),
                };
                let t = compact_shown(cell);
                (!t.is_empty() && t.chars().count() <= 30).then_some((t, c))
            })
            .collect()
    }

    /// 小计 / 合计 rows. The word must open or close the label ("产业类小计",
    /// "合计（30个）", "全区合计"): a project may be called "大数据汇总中心项目".
    fn total_kind(labels: &[(Cow<'_, str>, usize)]) -> Option<SkipKind> {
        let labels: Vec<&str> = labels
            .iter()
            .map(|(t, _)| strip_count(t))
            // "合计划分区域污水管网工程" is a project: names end in 项目 / 工程.
            .filter(|t| !t.ends_with("项目") && !t.ends_with("工程"))
            .collect();
        let at_edge = |t: &str, w: &str| t.starts_with(w) || t.ends_with(w);
        // "其中：产业类" breaks a total down; it is not a project either.
        if labels
            .iter()
            .any(|t| at_edge(t, "小计") || t.starts_with("其中"))
        {
            return Some(SkipKind::Subtotal);
        }
        let total_words = ["合计", "总计", "汇总"];
        labels
            .iter()
            .any(|t| total_words.iter().any(|w| at_edge(t, w)))
            .then_some(SkipKind::Total)
    }

    /// A heading row: "一、产业类项目" (with or without subtotals beside it),
    /// or a single text merged across the sheet ("XX经济技术开发区").
    fn section_heading(
        &self,
        w: &RowWindow,
        own: &[(usize, &Cell)],
        labels: &[(Cow<'_, str>, usize)],
    ) -> Option<String> {
        if let Some((numbered, col)) = labels.iter().find(|(t, _)| section_number(t).is_some()) {
            let name_is_heading = self.name_col.is_none_or(|nc| {
                let n = compact_shown(w.shown(nc));
                n.is_empty() || n == *numbered || section_number(&n).is_some()
            });
            if name_is_heading {
                return Some(one_line(&w.shown(*col).display_str()));
            }
        }
        let texts: Vec<&(usize, &Cell)> = own
            .iter()
            .filter(|(_, c)| matches!(c, Cell::Text(_)))
            .collect();
        if own.len() == 1 && texts.len() == 1 {
            let (c, cell) = texts[0];
            let t = one_line(&cell.display_str());
            let compacted = compact(&t);
            let bare = strip_count(&compacted);
            let known = [
                "产业类项目",
                "产业项目",
                "工业项目",
                "基础设施类项目",
                "基础设施项目",
                "社会民生类项目",
                "社会民生项目",
                "民生项目",
                "新建项目",
                "续建项目",
                "前期项目",
                "新开工项目",
            ];
            if w.merge_width(*c) >= 3 || known.contains(&bare) {
                return Some(t);
            }
        }
        None
    }

    fn is_repeated_header(&mut self, own: &[(usize, &Cell)]) -> bool {
        // Only a text in a mapped column can match, and only one that may
        // name a field at all: classifying is the costly part, so the texts
        // that may match are counted first, and most rows end there.
        let texts = own
            .iter()
            .filter(|(_, cell)| matches!(cell, Cell::Text(_)))
            .count();
        let columns = &self.columns;
        let candidates = own
            .iter()
            .filter_map(|&(c, cell)| header_candidate(columns, c, cell));
        let mut left = candidates.clone().count();
        // Two matches count only as the row's only cells, all matching.
        let mut all_may_match = texts == own.len() && left == texts;
        if left < 2 || (left == 2 && !(all_may_match && texts == 2)) {
            return false;
        }
        // The outcome depends on the answers, not on their order: the texts
        // answered before are counted first, and the rest classified only
        // while they can still change it.
        let mut matching = 0;
        for (i, t) in candidates.clone() {
            let Some(answer) = self.header_checks[i].known(t) else {
                continue;
            };
            left -= 1;
            match answer {
                true => matching += 1,
                false => all_may_match = false,
            }
        }
        if matching >= 3 {
            return true;
        }
        if matching + left < 3 && !all_may_match {
            return false;
        }
        for (i, t) in candidates {
            let checks = &mut self.header_checks[i];
            if checks.known(t).is_some() {
                continue;
            }
            left -= 1;
            if checks.names_field(columns[i].1, t) {
                matching += 1;
                if matching >= 3 {
                    return true;
                }
            } else {
                all_may_match = false;
            }
            // The rest cannot make three, nor all of them match.
            if matching + left < 3 && !all_may_match {
                return false;
            }
        }
        matching >= 3 || (matching >= 2 && all_may_match)
    }
}

/// A text in a mapped column that may name a field, with the column's place
/// in `columns`: what may make a row a repeated header.
fn header_candidate<'c>(
    columns: &[(usize, Field, Option<Unit>)],
    col: usize,
    cell: &'c Cell,
) -> Option<(usize, &'c str)> {
    let Cell::Text(t) = cell else {
        return None;
    };
    let i = columns.iter().position(|(mc, _, _)| *mc == col)?;
    may_name_a_field(t).then_some((i, t))
}

/// Texts kept per column, and the longest kept: a column's repeated words,
/// little memory whatever the sheet.
const HEADER_CHECKS_KEPT: usize = 256;
const HEADER_CHECK_BYTES: usize = 128;

/// One column's texts asked whether they name its field, and the answers;
/// the last text asked is kept whatever its length or the count.
#[derive(Default)]
struct HeaderChecks {
    kept: HashMap<String, bool, foldhash::fast::RandomState>,
    last: Option<(String, bool)>,
}

impl HeaderChecks {
    /// The answer for a text asked before, if kept.
    fn known(&self, text: &str) -> Option<bool> {
        if let Some((last, answer)) = &self.last {
            if last == text {
                return Some(*answer);
            }
        }
        self.kept.get(text).copied()
    }

    /// Whether `text` names `field`, kept for the next time.
    fn names_field(&mut self, field: Field, text: &str) -> bool {
        if let Some(answer) = self.known(text) {
            return answer;
        }
        let answer = classify(&header_core(text)).is_some_and(|m| m.field == field);
        if self.kept.len() < HEADER_CHECKS_KEPT && text.len() <= HEADER_CHECK_BYTES {
            self.kept.insert(text.to_string(), answer);
        } else {
            match &mut self.last {
                Some((last, last_answer)) => {
                    last.clear();
                    last.push_str(text);
                    *last_answer = answer;
                }
                empty => *empty = Some((text.to_string(), answer)),
            }
        }
        answer
    }
}

/// A cell as shown, [`compact`]ed: borrowed when that changes nothing.
fn compact_shown(cell: &Cell) -> Cow<'_, str> {
    match cell.display_str() {
        Cow::Borrowed(shown) => compact_cow(shown),
        Cow::Owned(shown) => Cow::Owned(compact(&shown)),
    }
}

/// The row's texts joined, each merged value once.
fn row_text(w: &RowWindow) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in 0..w.width() {
        if w.origin(c).is_some_and(|(or, _)| or == w.row()) {
            continue;
        }
        let t = one_line(&w.own(c).display_str());
        if !t.is_empty() {
            parts.push(t);
        }
    }
    parts.join(" | ")
}
