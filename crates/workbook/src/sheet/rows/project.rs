//! A project row: each mapped cell into its field, section defaults, checks across fields.

use super::RowReader;
use crate::field::{column_letter, Field, Unit};
use crate::grid::RowWindow;
use crate::model::{Issue, LedgerValues, ProjectRow, RawValue};
use crate::text::one_line;
use crate::value::{self, Cell, Parsed};

impl RowReader {
    pub(super) fn read_project(&self, w: &RowWindow) -> ProjectRow {
        let (r, section) = (w.row(), &self.section);
        let row_no = r as u32 + 1;
        let mut project = ProjectRow {
            sheet: self.sheet_name.clone(),
            row: row_no,
            section: section.text.clone(),
            values: LedgerValues::default(),
            raw: Vec::with_capacity(self.columns.len()),
            inferred: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
        };
        for (&(c, field, unit), letter) in self.columns.iter().zip(&self.letters) {
            let issue = |reason: String| {
                Issue::new(
                    &self.sheet_name,
                    Some(row_no),
                    Some(letter.to_string()),
                    Some(field),
                    reason,
                )
            };
            let cell = match w.origin(c) {
                // Merged down from a project row above: a label (zone,
                // category, leader) carries down; a quantity belongs to the
                // first row only.
                Some((or, oc)) if or < r && or > self.header_end && oc == c => {
                    if field.is_quantity() {
                        if !w.shown(c).is_empty() {
                            project.warnings.push(issue(format!(
                                "与第{}行合并的单元格，数值只计入第{}行",
                                or + 1,
                                or + 1
                            )));
                        }
                        &Cell::Empty
                    } else {
                        w.shown(c)
                    }
                }
                Some(_) => &Cell::Empty,
                None => w.own(c),
            };
            if cell.is_empty() {
                continue;
            }
            project.raw.push(RawValue {
                field,
                column: *letter,
                text: one_line(&cell.display_str()),
            });
            if let Err(reason) = self.set(
                &mut project.values,
                field,
                cell,
                unit,
                &mut project.warnings,
                &issue,
            ) {
                project.errors.push(issue(reason));
            }
        }
        // Kept with the row: no room beyond its cells (100,000 rows hold it).
        project.raw.shrink_to_fit();
        let v = &mut project.values;
        if v.category.is_none() && section.category.is_some() {
            v.category = section.category;
            project.inferred.push(Field::Category);
        }
        if v.nature.is_none() && section.nature.is_some() {
            v.nature = section.nature;
            project.inferred.push(Field::Nature);
        }
        if v.zone.is_none() && section.zone.is_some() {
            v.zone = section.zone.clone();
            project.inferred.push(Field::Zone);
        }
        let row_issue = |field: Field, reason: &str| {
            Issue::new(
                &self.sheet_name,
                Some(row_no),
                self.column_of(field).map(|c| column_letter(c as u32)),
                Some(field),
                reason.to_string(),
            )
        };
        if let (Some(ytd), Some(cumulative)) = (&v.completed_ytd, &v.completed_cumulative) {
            if cumulative.value < ytd.value {
                project.warnings.push(row_issue(
                    Field::CompletedCumulative,
                    "累计完成投资小于本年完成投资",
                ));
            }
        }
        if let (Some(total), Some(cumulative)) = (&v.total_investment, &v.completed_cumulative) {
            if cumulative.value > total.value {
                project.warnings.push(row_issue(
                    Field::CompletedCumulative,
                    "累计完成投资超过总投资",
                ));
            }
        }
        project
    }

    /// Parses one cell into its field; a warning is recorded, an error returned.
    fn set(
        &self,
        v: &mut LedgerValues,
        field: Field,
        cell: &Cell,
        unit: Option<Unit>,
        warnings: &mut Vec<Issue>,
        issue: &dyn Fn(String) -> Issue,
    ) -> Result<(), String> {
        fn take<T>(
            outcome: Result<Option<Parsed<T>>, String>,
            warnings: &mut Vec<Issue>,
            issue: &dyn Fn(String) -> Issue,
        ) -> Result<Option<T>, String> {
            Ok(outcome?.map(|p| {
                if let Some(w) = p.warning {
                    warnings.push(issue(w));
                }
                p.value
            }))
        }
        let money_unit = unit.unwrap_or(Unit::Wan);
        let memos = &mut *self.memos.borrow_mut();
        match field {
            Field::Serial => v.serial = value::text_line(cell),
            Field::Zone => v.zone = value::text_line(cell),
            Field::Name => v.name = value::name(cell),
            Field::Investor => v.investor = value::text_line(cell),
            Field::IndustryChain => v.industry_chain = value::text_line(cell),
            Field::Liaison => v.liaison = value::text_line(cell),
            Field::Department => v.department = value::text_line(cell),
            Field::ConstructionContent => v.construction_content = value::text(cell),
            Field::Progress => v.progress = value::text(cell),
            Field::Blockers => v.blockers = value::text(cell),
            Field::Category => {
                let read = memos.category.read(cell, value::category);
                v.category = take(read, warnings, issue)?
            }
            Field::Nature => {
                v.nature = take(memos.nature.read(cell, value::nature), warnings, issue)?
            }
            Field::Stage => v.stage = take(memos.stage.read(cell, value::stage), warnings, issue)?,
            Field::Registered => {
                v.registered = take(memos.flag.read(cell, value::flag), warnings, issue)?
            }
            Field::ProjectCode => {
                v.project_code = take(value::project_code(cell), warnings, issue)?
            }
            Field::TotalInvestment => {
                v.total_investment = take(value::money(cell, money_unit), warnings, issue)?
            }
            Field::PlannedInvestment => {
                v.planned_investment = take(value::money(cell, money_unit), warnings, issue)?
            }
            Field::CompletedYtd => {
                v.completed_ytd = take(value::money(cell, money_unit), warnings, issue)?
            }
            Field::CompletedCumulative => {
                v.completed_cumulative = take(value::money(cell, money_unit), warnings, issue)?
            }
            Field::AnnualOutput => {
                v.annual_output = take(value::money(cell, money_unit), warnings, issue)?
            }
            Field::AnnualTax => {
                v.annual_tax = take(value::money(cell, money_unit), warnings, issue)?
            }
            Field::StartDate => {
                let read = memos.date.read(cell, |c| value::date(c, self.year));
                v.start_date = take(read, warnings, issue)?
            }
            Field::ProductionDate => {
                let read = memos.date.read(cell, |c| value::date(c, self.year));
                v.production_date = take(read, warnings, issue)?
            }
            Field::LandMu => {
                v.land_mu = take(value::land(cell, unit.unwrap_or(Unit::Mu)), warnings, issue)?
            }
            Field::FloorArea => {
                v.floor_area = take(
                    value::floor_area(cell, unit.unwrap_or(Unit::SquareMetre)),
                    warnings,
                    issue,
                )?
            }
            Field::Jobs => v.jobs = take(value::count(cell), warnings, issue)?,
        }
        Ok(())
    }
}
