//! Planning one row: its zone, the project it names, its fields and what else it sets.

mod fields;
mod matching;
mod progress;
mod targets;

pub(crate) use targets::column_uses;

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use chrono::{Datelike, NaiveDate};
use kfq_workbook::{Field, Issue, ProjectRow, RawValue, Sheet};

use crate::changes::changes;
use crate::input::{Chain, Existing, Fields, Known, Options, ZoneData};
use crate::names::fold;
use crate::output::Reporting;
use crate::output::{Action, RowPlan};

/// The planner's maps are looked up and filled once a row or more (a
/// ledger's names, hashed with SipHash, were a tenth of its planning):
/// hashed with foldhash; none is keyed by what could be chosen to collide
/// beyond a slower import.
type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

pub(crate) struct Planner<'a> {
    known: &'a Known,
    options: &'a Options,
    /// Folded name → project, per zone.
    by_name: Map<(i64, String), (&'a ZoneData, &'a Existing)>,
    by_code: Map<&'a str, (&'a ZoneData, &'a Existing)>,
    /// Projects (or new names) already planned: → the sheet and row.
    seen: Map<Seen, (Rc<str>, u32)>,
    pub(crate) new_chains: HashSet<(i64, String)>,
    pub(crate) rows: Vec<RowPlan>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Seen {
    Project(i64),
    Name(i64, String),
    Code(String),
}

impl<'a> Planner<'a> {
    pub(crate) fn new(known: &'a Known, options: &'a Options) -> Self {
        let mut by_name = Map::default();
        let mut by_code = Map::default();
        for zone in &known.zones {
            for project in &zone.projects {
                by_name.insert((zone.id, fold(&project.fields.name)), (zone, project));
                if let Some(code) = &project.fields.project_code {
                    by_code.insert(code.as_str(), (zone, project));
                }
            }
        }
        Planner {
            known,
            options,
            by_name,
            by_code,
            seen: Map::default(),
            new_chains: HashSet::new(),
            rows: Vec::new(),
        }
    }

    /// The day the sheet's facts describe: the month the user chose, else
    /// the sheet's own reporting date, else today; never after today.
    pub(crate) fn reporting_day(&self, sheet: &Sheet) -> Reporting {
        let today = self.options.today;
        let chosen = self.options.month.and_then(|m| {
            let year = self.options.year.or(sheet.year)?;
            kfq_workbook::month_end(year, u32::from(m))
        });
        let same_month =
            |a: NaiveDate, b: NaiveDate| (a.year(), a.month()) == (b.year(), b.month());
        let (date, basis) = match (chosen, &sheet.as_of) {
            // The month chosen is the sheet's own: its words say it better.
            (Some(date), Some(as_of)) if same_month(date, as_of.date) => {
                (as_of.date, format!("据“{}”", as_of.text))
            }
            (Some(date), _) => (date, "导入时指定的月份".to_owned()),
            (None, Some(as_of)) => (as_of.date, format!("据“{}”", as_of.text)),
            (None, None) => (today, "台账中未写明截至日期，按今天".to_owned()),
        };
        Reporting {
            sheet: sheet.name.clone(),
            date: date.min(today),
            basis,
        }
    }

    /// Plans one row of `sheet`, with what its rows share.
    pub(crate) fn row(&mut self, sheet: &Sheet, facts: &SheetFacts, row: &ProjectRow) -> RowPlan {
        let values = &row.values;
        let (as_of, planned) = (facts.as_of, facts.planned);
        // The ledger's year: chosen, the sheet's own, else its reporting date's.
        let year = self.options.year.or(sheet.year).unwrap_or(as_of.year());
        let mut plan = RowPlan {
            sheet: sheet.name.clone(),
            row: row.row,
            name: values.name.clone().unwrap_or_default(),
            zone_id: None,
            action: Action::Reject,
            fields: None,
            changes: Vec::new(),
            stage: None,
            planned: None,
            targets: Default::default(),
            opening: None,
            year,
            month: None,
            blocker: None,
            errors: row.errors.clone(),
            warnings: row.warnings.clone(),
        };
        let at = Place {
            sheet: &sheet.name,
            row: row.row,
            raw: &row.raw,
        };
        if plan.name.trim().is_empty() {
            if plan.errors.is_empty() {
                plan.errors
                    .push(at.issue(Some(Field::Name), "缺少项目名称".into()));
            }
            return plan;
        }
        let Some(zone) = self.zone_of(row, &at, &mut plan.errors) else {
            return plan;
        };
        plan.zone_id = Some(zone.id);
        let existing = self.existing(zone, row, &at, &mut plan.errors);
        if !plan.errors.is_empty() {
            return plan;
        }
        // The same project twice in one file: the first row wins.
        let key = match (existing, &values.project_code) {
            (Some(project), _) => Seen::Project(project.id),
            (None, Some(code)) => Seen::Code(code.clone()),
            (None, None) => Seen::Name(zone.id, fold(&plan.name)),
        };
        if let Some((first_sheet, first_row)) = self.seen.get(&key) {
            plan.errors.push(at.issue(
                Some(Field::Name),
                format!("与{first_sheet} 第{first_row}行是同一个项目（重复），请合并为一行"),
            ));
            return plan;
        }
        // Where the row is, told only when a later row repeats it.
        self.seen.insert(key, (facts.name.clone(), row.row));
        let fields = match existing {
            Some(project) => self
                .merged(zone, &project.fields, row, &at, &mut plan.warnings)
                .map(|fields| kept_investor(project, fields)),
            None => self.created(zone, row, &at, &mut plan),
        };
        let Some(fields) = fields else {
            return plan;
        };
        if let Some(Chain::New(name)) = &fields.industry_chain {
            self.new_chains.insert((zone.id, name.clone()));
        }
        plan.stage = self.stage(existing, row, as_of, planned, &at, &mut plan.warnings);
        plan.planned = values
            .planned_investment
            .as_ref()
            .map(|p| p.value)
            .filter(|p| existing.and_then(|e| e.planned) != Some(*p));
        let has_plan = plan.planned.is_some() || existing.is_some_and(|e| e.planned.is_some());
        plan.targets = self.targets(
            existing,
            row,
            as_of,
            planned,
            year,
            has_plan,
            &at,
            &mut plan.warnings,
        );
        plan.month = self.month(sheet, existing, row, year, &at, &mut plan.warnings);
        plan.opening = self.opening(
            existing,
            row,
            as_of,
            plan.month.as_ref(),
            &at,
            &mut plan.warnings,
        );
        plan.blocker = self.blocker(existing, row);
        match existing {
            None => plan.action = Action::Create,
            Some(project) => {
                plan.changes = changes(&project.fields, &fields);
                let touched = !plan.changes.is_empty()
                    || plan.stage.is_some()
                    || plan.planned.is_some()
                    || !plan.targets.is_empty()
                    || plan.opening.is_some()
                    || plan.month.is_some()
                    || plan.blocker.is_some();
                plan.action = if touched {
                    Action::Update {
                        id: project.id,
                        version: project.version,
                    }
                } else {
                    Action::Unchanged { id: project.id }
                };
            }
        }
        plan.fields = Some(fields);
        plan
    }
}

/// What the rows of one sheet share, worked out once a sheet.
pub(crate) struct SheetFacts {
    /// The sheet's name, held by the rows seen for a later repeat's message.
    name: Rc<str>,
    /// The day the sheet's facts describe.
    as_of: NaiveDate,
    planned: PlannedColumns,
}

impl SheetFacts {
    pub(crate) fn of(sheet: &Sheet, day: &Reporting) -> SheetFacts {
        SheetFacts {
            name: sheet.name.as_str().into(),
            as_of: day.date,
            planned: PlannedColumns::of(sheet),
        }
    }
}

/// Where a row's issues point.
struct Place<'a> {
    sheet: &'a str,
    row: u32,
    /// The row's mapped cells, for the column an issue names.
    raw: &'a [RawValue],
}

impl Place<'_> {
    fn issue(&self, field: Option<Field>, reason: String) -> Issue {
        // The last cell of the field, as a map by field would hold it.
        let column = field.and_then(|f| {
            self.raw
                .iter()
                .rev()
                .find(|r| r.field == f)
                .map(|r| r.column.to_string())
        });
        let mut message = format!("{} 第{}行", self.sheet, self.row);
        match (field, &column) {
            (Some(f), Some(c)) => message.push_str(&format!(" {}({c}列)", f.label())),
            (Some(f), None) => message.push_str(&format!(" {}", f.label())),
            _ => {}
        }
        message.push('：');
        message.push_str(&reason);
        Issue {
            sheet: self.sheet.to_string(),
            row: Some(self.row),
            column,
            field,
            reason,
            message,
        }
    }
}

/// Which date columns are headed as plans (计划开工时间, 预计投产时间, 拟开工日期):
/// their dates are targets, never evidence that a stage was reached.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PlannedColumns {
    pub start: bool,
    pub production: bool,
}

impl PlannedColumns {
    fn of(sheet: &Sheet) -> PlannedColumns {
        let planned = |field: Field| {
            sheet
                .columns
                .iter()
                .filter(|c| c.field == Some(field))
                .any(|c| {
                    ["计划", "预计", "拟", "目标", "预期"]
                        .iter()
                        .any(|w| c.header.contains(w))
                })
        };
        PlannedColumns {
            start: planned(Field::StartDate),
            production: planned(Field::ProductionDate),
        }
    }
}

/// 建设单位 naming the enterprise the project is linked to (as an export
/// shows it) leaves the project's own 投资主体 as it is.
fn kept_investor(project: &Existing, mut fields: Fields) -> Fields {
    let names_enterprise = match (&fields.investor, &project.enterprise_name) {
        (Some(stated), Some(enterprise)) => fold(stated) == fold(enterprise),
        _ => false,
    };
    if names_enterprise {
        fields.investor = project.fields.investor.clone();
    }
    fields
}
