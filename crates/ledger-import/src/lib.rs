//! Plans the import of a ledger workbook (重点项目台账) into kfq: for every row
//! the workbook reader found, whether it creates a project, updates one (and
//! which fields change), leaves one as it is, or is rejected and why; the
//! annual plan it sets, the month of investment it appends, the stage it
//! advances to and the blocker it raises. The plan is what the dry run shows
//! and what the store then writes in one transaction.
//!
//! Pure: the store hands in what it knows of the target zones ([`Known`]);
//! nothing here reads or writes. Rules that decide the outcome:
//! - a row matches a project by 项目代码, else by zone and name (blanks and
//!   bracket widths folded); a project is never created twice, and two rows
//!   naming the same project reject the second;
//! - an empty cell never erases what kfq holds; a filled one overwrites it;
//! - stages only move forward (a ledger that says less is a warning);
//! - "1-N月完成投资" becomes month N: the year-to-date less the months before N
//!   already recorded, so next month's workbook appends its month and the
//!   same workbook imported twice changes nothing.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use kfq_domain::{BlockerFactor, Category, Money, Mu, Nature, Stage};
use kfq_workbook::{Field, Issue, ProjectRow, Sheet, Workbook};
use serde::Serialize;

/// What the store knows of the zones an import may write to.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub zones: Vec<ZoneData>,
    /// Project codes held by projects outside these zones.
    pub foreign_codes: HashSet<String>,
}

/// One zone: its projects and the names a ledger refers to.
#[derive(Debug, Clone, Default)]
pub struct ZoneData {
    pub id: i64,
    pub name: String,
    pub projects: Vec<Existing>,
    pub departments: Vec<(i64, String)>,
    /// Users by display name (包联领导).
    pub people: Vec<(i64, String)>,
    pub chains: Vec<(i64, String)>,
}

/// A project kfq already holds, with its figures of the import's year.
#[derive(Debug, Clone)]
pub struct Existing {
    pub id: i64,
    pub version: i64,
    pub stage: Stage,
    pub furthest: Stage,
    pub fields: Fields,
    pub planned: Option<Money>,
    /// Months of the import's year: (month, completed).
    pub months: Vec<(u32, Money)>,
    /// Descriptions of its blockers not yet resolved.
    pub open_blockers: Vec<String>,
}

/// The ledger fields of a project, references resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fields {
    pub name: String,
    pub investor: Option<String>,
    pub category: Category,
    pub nature: Nature,
    pub industry_chain: Option<Chain>,
    pub total_investment: Money,
    pub land: Option<Mu>,
    pub floor_area_m2: Option<i64>,
    pub construction_content: Option<String>,
    pub annual_output: Option<Money>,
    pub annual_tax: Option<Money>,
    pub jobs: Option<i64>,
    pub registered: bool,
    pub liaison_user_id: Option<i64>,
    pub department_id: Option<i64>,
    pub project_code: Option<String>,
}

/// An industry chain of the zone, or one the import adds to its list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Chain {
    Known(i64),
    New(String),
}

/// How to plan.
#[derive(Debug, Clone)]
pub struct Options {
    /// The ledger's year, over the sheet's (its title or headers).
    pub year: Option<i32>,
    /// N of "1-N月", over the sheet's.
    pub month: Option<u8>,
    /// Turn 存在问题 into blockers.
    pub blockers: bool,
    pub today: NaiveDate,
}

/// What becomes of one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    Create,
    Update { id: i64, version: i64 },
    Unchanged { id: i64 },
    Reject,
}

/// One field that an update changes, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub field: Field,
    pub label: &'static str,
    pub before: String,
    pub after: String,
}

/// Month N's completed investment, as derived from the year-to-date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthEntry {
    pub year: i32,
    pub month: u32,
    pub amount: Money,
    /// What month N held before, when it held something.
    pub replaces: Option<Money>,
    /// The year-to-date as the ledger states it.
    pub ytd: Money,
}

/// The plan for one row.
#[derive(Debug, Clone, Serialize)]
pub struct RowPlan {
    pub sheet: String,
    pub row: u32,
    pub name: String,
    pub zone_id: Option<i64>,
    pub action: Action,
    /// The project as it will be (create and update).
    pub fields: Option<Fields>,
    pub changes: Vec<Change>,
    /// The stage to set (create) or advance to (update), with its date.
    pub stage: Option<(Stage, NaiveDate)>,
    /// The annual plan to set for `year`, when it differs.
    pub planned: Option<Money>,
    pub year: i32,
    pub month: Option<MonthEntry>,
    pub blocker: Option<(BlockerFactor, String)>,
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
}

/// The whole import, row by row.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub rows: Vec<RowPlan>,
    /// Problems with the file or a sheet as a whole; any of them stops the import.
    pub file_errors: Vec<Issue>,
    /// Chains the import adds, per zone.
    pub new_chains: Vec<(i64, String)>,
}

/// Counts for the summary line ("新增12个，更新30个，未变化5个，有误2行").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub create: usize,
    pub update: usize,
    pub unchanged: usize,
    pub reject: usize,
    pub months: usize,
    pub blockers: usize,
}

impl Plan {
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for row in &self.rows {
            match row.action {
                Action::Create => c.create += 1,
                Action::Update { .. } => c.update += 1,
                Action::Unchanged { .. } => c.unchanged += 1,
                Action::Reject => c.reject += 1,
            }
            if row.action != Action::Reject {
                c.months += usize::from(row.month.is_some());
                c.blockers += usize::from(row.blocker.is_some());
            }
        }
        c
    }

    /// Whether everything can be imported as it stands.
    pub fn is_clean(&self) -> bool {
        self.file_errors.is_empty() && self.rows.iter().all(|r| r.action != Action::Reject)
    }

    /// Whether there is anything to write at all.
    pub fn has_work(&self) -> bool {
        self.rows
            .iter()
            .any(|r| matches!(r.action, Action::Create | Action::Update { .. }))
    }

    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.file_errors
            .iter()
            .chain(self.rows.iter().flat_map(|r| r.errors.iter()))
    }
}

/// Plans the import of `book` into the zones of `known`.
pub fn plan(book: &Workbook, known: &Known, options: &Options) -> Plan {
    let mut planner = Planner::new(known, options);
    let mut file_errors: Vec<Issue> = book.issues.clone();
    for sheet in book.sheets.iter().filter(|s| s.is_ledger) {
        file_errors.extend(sheet.issues.iter().cloned());
        for row in &sheet.rows {
            let planned = planner.row(sheet, row);
            planner.rows.push(planned);
        }
    }
    // Sheet-level notes without a ledger are only errors when nothing was found.
    if book.ledger_sheets().next().is_some() {
        file_errors.retain(|i| !i.reason.starts_with("没有找到台账表头"));
    }
    let mut new_chains: Vec<(i64, String)> = planner.new_chains.into_iter().collect();
    new_chains.sort();
    Plan {
        rows: planner.rows,
        file_errors,
        new_chains,
    }
}

struct Planner<'a> {
    known: &'a Known,
    options: &'a Options,
    /// Folded name → project, per zone.
    by_name: HashMap<(i64, String), (&'a ZoneData, &'a Existing)>,
    by_code: HashMap<&'a str, (&'a ZoneData, &'a Existing)>,
    /// Projects (or new names) already planned: → "sheet 第n行".
    seen: HashMap<Seen, String>,
    new_chains: HashSet<(i64, String)>,
    rows: Vec<RowPlan>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Seen {
    Project(i64),
    Name(i64, String),
    Code(String),
}

impl<'a> Planner<'a> {
    fn new(known: &'a Known, options: &'a Options) -> Self {
        let mut by_name = HashMap::new();
        let mut by_code = HashMap::new();
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
            seen: HashMap::new(),
            new_chains: HashSet::new(),
            rows: Vec::new(),
        }
    }

    fn row(&mut self, sheet: &Sheet, row: &ProjectRow) -> RowPlan {
        let values = &row.values;
        let year = self
            .options
            .year
            .or(sheet.year)
            .unwrap_or(self.options.today.year());
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
            year,
            month: None,
            blocker: None,
            errors: row.errors.clone(),
            warnings: row.warnings.clone(),
        };
        let at = Place {
            sheet: &sheet.name,
            row: row.row,
            columns: row
                .raw
                .iter()
                .map(|r| (r.field, r.column.clone()))
                .collect(),
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
        let here = format!("{} 第{}行", sheet.name, row.row);
        if let Some(first) = self.seen.get(&key) {
            plan.errors.push(at.issue(
                Some(Field::Name),
                format!("与{first}是同一个项目（重复），请合并为一行"),
            ));
            return plan;
        }
        self.seen.insert(key, here);
        let fields = match existing {
            Some(project) => self.merged(zone, &project.fields, row, &at, &mut plan.warnings),
            None => self.created(zone, row, &at, &mut plan),
        };
        let Some(fields) = fields else {
            return plan;
        };
        if let Some(Chain::New(name)) = &fields.industry_chain {
            self.new_chains.insert((zone.id, name.clone()));
        }
        plan.stage = self.stage(existing, row, &at, &mut plan.warnings);
        plan.planned = values
            .planned_investment
            .as_ref()
            .map(|p| p.value)
            .filter(|p| existing.and_then(|e| e.planned) != Some(*p));
        plan.month = self.month(sheet, existing, row, year, &at, &mut plan.warnings);
        plan.blocker = self.blocker(existing, row);
        match existing {
            None => plan.action = Action::Create,
            Some(project) => {
                plan.changes = changes(&project.fields, &fields);
                let touched = !plan.changes.is_empty()
                    || plan.stage.is_some()
                    || plan.planned.is_some()
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

    /// The row's zone: the only one, or the one its 开发区 cell names.
    fn zone_of(
        &self,
        row: &ProjectRow,
        at: &Place,
        errors: &mut Vec<Issue>,
    ) -> Option<&'a ZoneData> {
        let zones = &self.known.zones;
        let named = row
            .values
            .zone
            .as_deref()
            .map(str::trim)
            .filter(|z| !z.is_empty());
        match (zones.as_slice(), named) {
            ([only], None) => Some(only),
            ([], _) => {
                errors.push(at.issue(None, "没有可导入的开发区".into()));
                None
            }
            (_, None) => {
                errors.push(at.issue(
                    Some(Field::Zone),
                    "台账包含多个开发区，本行未填写所属开发区".into(),
                ));
                None
            }
            (_, Some(name)) => {
                let folded = fold(name);
                let exact: Vec<&ZoneData> =
                    zones.iter().filter(|z| fold(&z.name) == folded).collect();
                let candidates = if exact.is_empty() {
                    zones
                        .iter()
                        .filter(|z| {
                            let zone = fold(&z.name);
                            zone.contains(&folded)
                                || folded.contains(&zone)
                                || same_short_name(&zone, &folded)
                        })
                        .collect()
                } else {
                    exact
                };
                match candidates.as_slice() {
                    [zone] => Some(zone),
                    [] => {
                        let reason = if zones.len() == 1 {
                            format!("所属开发区“{name}”不是本次导入的“{}”", zones[0].name)
                        } else {
                            format!("所属开发区“{name}”不在您管理的范围内")
                        };
                        errors.push(at.issue(Some(Field::Zone), reason));
                        None
                    }
                    _ => {
                        errors.push(at.issue(
                            Some(Field::Zone),
                            format!("所属开发区“{name}”对应多个开发区，请写全称"),
                        ));
                        None
                    }
                }
            }
        }
    }

    /// The project the row names: by code, else by zone and name.
    fn existing(
        &self,
        zone: &ZoneData,
        row: &ProjectRow,
        at: &Place,
        errors: &mut Vec<Issue>,
    ) -> Option<&'a Existing> {
        if let Some(code) = &row.values.project_code {
            if self.known.foreign_codes.contains(code) {
                errors.push(at.issue(
                    Some(Field::ProjectCode),
                    format!("项目代码“{code}”已属于其他开发区的项目"),
                ));
                return None;
            }
            if let Some((owner, project)) = self.by_code.get(code.as_str()) {
                if owner.id != zone.id {
                    errors.push(at.issue(
                        Some(Field::ProjectCode),
                        format!(
                            "项目代码“{code}”属于{}的项目“{}”",
                            owner.name, project.fields.name
                        ),
                    ));
                    return None;
                }
                return Some(project);
            }
        }
        let name = row.values.name.as_deref().unwrap_or_default();
        let found = self.by_name.get(&(zone.id, fold(name))).map(|(_, p)| *p)?;
        match (&found.fields.project_code, &row.values.project_code) {
            // Same name, different code: two projects, one of them misnamed.
            (Some(theirs), Some(ours)) if theirs != ours => {
                errors.push(at.issue(
                    Some(Field::ProjectCode),
                    format!("同名项目已有项目代码“{theirs}”，与本行的“{ours}”不同"),
                ));
                None
            }
            _ => Some(found),
        }
    }

    /// A new project's fields, with defaults for what the ledger leaves out.
    fn created(
        &self,
        zone: &ZoneData,
        row: &ProjectRow,
        at: &Place,
        plan: &mut RowPlan,
    ) -> Option<Fields> {
        let v = &row.values;
        let Some(total) = v.total_investment.as_ref().map(|t| t.value) else {
            plan.errors
                .push(at.issue(Some(Field::TotalInvestment), "新项目缺少总投资".into()));
            return None;
        };
        let category = v.category.unwrap_or_else(|| {
            plan.warnings
                .push(at.issue(Some(Field::Category), "未填写项目类别，按产业类导入".into()));
            Category::Industrial
        });
        let nature = v.nature.unwrap_or(Nature::New);
        let base = Fields {
            name: v.name.clone().unwrap_or_default().trim().to_string(),
            investor: None,
            category,
            nature,
            industry_chain: None,
            total_investment: total,
            land: None,
            floor_area_m2: None,
            construction_content: None,
            annual_output: None,
            annual_tax: None,
            jobs: None,
            registered: false,
            liaison_user_id: None,
            department_id: None,
            project_code: None,
        };
        self.merged(zone, &base, row, at, &mut plan.warnings)
    }

    /// `base` with the row's filled cells over it.
    fn merged(
        &self,
        zone: &ZoneData,
        base: &Fields,
        row: &ProjectRow,
        at: &Place,
        warnings: &mut Vec<Issue>,
    ) -> Option<Fields> {
        let v = &row.values;
        let mut f = base.clone();
        let text = |t: &Option<String>| {
            t.as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
        };
        if let Some(name) = text(&v.name) {
            f.name = name;
        }
        if let Some(investor) = text(&v.investor) {
            f.investor = Some(investor);
        }
        if let Some(category) = v.category {
            f.category = category;
        }
        if let Some(nature) = v.nature {
            f.nature = nature;
        }
        if let Some(chain) = text(&v.industry_chain) {
            f.industry_chain = Some(
                find_name(&zone.chains, &chain)
                    .map(Chain::Known)
                    .unwrap_or(Chain::New(chain)),
            );
        }
        if let Some(total) = &v.total_investment {
            f.total_investment = total.value;
        }
        if let Some(land) = &v.land_mu {
            f.land = Some(land.value);
        }
        if let Some(area) = &v.floor_area {
            f.floor_area_m2 = Some(area.value);
        }
        if let Some(content) = text(&v.construction_content) {
            f.construction_content = Some(content);
        }
        if let Some(output) = &v.annual_output {
            f.annual_output = Some(output.value);
        }
        if let Some(tax) = &v.annual_tax {
            f.annual_tax = Some(tax.value);
        }
        if let Some(jobs) = &v.jobs {
            f.jobs = Some(jobs.value);
        }
        if let Some(registered) = v.registered {
            f.registered = registered;
        }
        if let Some(code) = text(&v.project_code) {
            f.project_code = Some(code);
        }
        if let Some(liaison) = text(&v.liaison) {
            match find_name(&zone.people, &liaison) {
                Some(id) => f.liaison_user_id = Some(id),
                None => warnings.push(at.issue(
                    Some(Field::Liaison),
                    format!(
                        "包联领导“{liaison}”不是{}的系统用户，未关联（可先在用户管理中添加）",
                        zone.name
                    ),
                )),
            }
        }
        if let Some(department) = text(&v.department) {
            match find_name(&zone.departments, &department) {
                Some(id) => f.department_id = Some(id),
                None => warnings.push(at.issue(
                    Some(Field::Department),
                    format!("责任单位“{department}”不是{}的部门，未关联", zone.name),
                )),
            }
        }
        Some(f)
    }

    /// The stage to set (new project) or to advance to.
    fn stage(
        &self,
        existing: Option<&Existing>,
        row: &ProjectRow,
        at: &Place,
        warnings: &mut Vec<Issue>,
    ) -> Option<(Stage, NaiveDate)> {
        let v = &row.values;
        let today = self.options.today;
        let started_on = v.start_date.map(|d| d.first_day()).filter(|d| *d <= today);
        let produced_on = v
            .production_date
            .map(|d| d.first_day())
            .filter(|d| *d <= today);
        let stated = v.stage;
        let Some(project) = existing else {
            let stage = stated.unwrap_or_else(|| {
                let inferred = if produced_on.is_some() {
                    Stage::Producing
                } else if started_on.is_some() || v.nature == Some(Nature::Continuing) {
                    Stage::Started
                } else {
                    Stage::PreConstruction
                };
                warnings.push(at.issue(
                    Some(Field::Stage),
                    format!(
                        "未填写项目阶段，按开工、投产时间和建设性质推定为“{}”",
                        stage_label(inferred)
                    ),
                ));
                inferred
            });
            return Some((stage, stage_date(stage, started_on, produced_on, today)));
        };
        let stated = stated?;
        if stated == project.stage {
            return None;
        }
        if kfq_domain::project::check_advance(project.stage, project.furthest, stated).is_ok() {
            return Some((stated, stage_date(stated, started_on, produced_on, today)));
        }
        warnings.push(at.issue(
            Some(Field::Stage),
            format!(
                "台账阶段“{}”与系统中的“{}”不符，阶段只能向前推进，未修改（如需更正请在项目页操作）",
                stage_label(stated),
                stage_label(project.stage)
            ),
        ));
        None
    }

    /// Month N's investment from "1-N月完成投资".
    fn month(
        &self,
        sheet: &Sheet,
        existing: Option<&Existing>,
        row: &ProjectRow,
        year: i32,
        at: &Place,
        warnings: &mut Vec<Issue>,
    ) -> Option<MonthEntry> {
        let ytd = row.values.completed_ytd.as_ref()?.value;
        let Some(n) = self.options.month.or(sheet.ytd_through_month) else {
            warnings.push(at.issue(
                Some(Field::CompletedYtd),
                "无法确定完成投资截至几月（表头或标题中没有“1-N月”），未导入；请在导入时指定月份".into(),
            ));
            return None;
        };
        let month = u32::from(n);
        let months: &[(u32, Money)] = existing.map_or(&[], |e| &e.months);
        let before: i64 = months
            .iter()
            .filter(|(m, _)| *m < month)
            .map(|(_, a)| a.yuan())
            .sum();
        let replaces = months.iter().find(|(m, _)| *m == month).map(|(_, a)| *a);
        let amount = ytd.yuan() - before;
        if amount < 0 {
            warnings.push(at.issue(
                Some(Field::CompletedYtd),
                format!(
                    "1-{month}月累计完成{}万元，少于系统中1-{}月已录入的{}万元，未导入，请核对",
                    ytd.wan_string(),
                    month - 1,
                    Money::from_yuan(before).wan_string()
                ),
            ));
            return None;
        }
        let amount = Money::from_yuan(amount);
        // A month absent and a month of zero leave the year-to-date alike:
        // a ledger exported before the month was reported adds nothing.
        if replaces.unwrap_or(Money::ZERO) == amount {
            return None;
        }
        Some(MonthEntry {
            year,
            month,
            amount,
            replaces,
            ytd,
        })
    }

    /// A blocker from 存在问题, unless asked not to, empty, or already open.
    fn blocker(
        &self,
        existing: Option<&Existing>,
        row: &ProjectRow,
    ) -> Option<(BlockerFactor, String)> {
        if !self.options.blockers {
            return None;
        }
        let text = row.values.blockers.as_deref()?.trim();
        if is_nothing(text) {
            return None;
        }
        let open = existing.map_or(&[][..], |e| &e.open_blockers);
        if open.iter().any(|b| fold(b) == fold(text)) {
            return None;
        }
        Some((BlockerFactor::guess(text), text.to_string()))
    }
}

/// Where a row's issues point.
struct Place<'a> {
    sheet: &'a str,
    row: u32,
    columns: HashMap<Field, String>,
}

impl Place<'_> {
    fn issue(&self, field: Option<Field>, reason: String) -> Issue {
        let column = field.and_then(|f| self.columns.get(&f).cloned());
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

/// The date a stage was reached, as well as the ledger tells it.
fn stage_date(
    stage: Stage,
    started_on: Option<NaiveDate>,
    produced_on: Option<NaiveDate>,
    today: NaiveDate,
) -> NaiveDate {
    match stage {
        Stage::Started => started_on.unwrap_or(today),
        Stage::Producing => produced_on.unwrap_or(today),
        _ => today,
    }
}

/// "无", "暂无", "/", "—": the cell says there is no problem.
fn is_nothing(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    t.is_empty()
        || matches!(
            t.as_str(),
            "无" | "暂无"
                | "没有"
                | "无问题"
                | "暂无问题"
                | "/"
                | "-"
                | "—"
                | "——"
                | "无。"
                | "暂无。"
        )
}

/// Names compared as people mean them: without blanks, brackets of either width.
pub fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

/// "运城经开区" and "运城经济技术开发区": the usual short forms of zone names.
fn same_short_name(a: &str, b: &str) -> bool {
    let short = |s: &str| {
        s.replace("经济技术开发区", "经开区")
            .replace("高新技术产业开发区", "高新区")
            .replace("经济开发区", "开发区")
    };
    short(a) == short(b)
}

fn find_name(list: &[(i64, String)], name: &str) -> Option<i64> {
    let folded = fold(name);
    list.iter()
        .find(|(_, n)| fold(n) == folded)
        .map(|(id, _)| *id)
}

pub fn stage_label(stage: Stage) -> &'static str {
    match stage {
        Stage::Planning => "谋划",
        Stage::Signed => "签约",
        Stage::PreConstruction => "前期",
        Stage::Started => "开工",
        Stage::Completed => "竣工",
        Stage::Producing => "投产",
        Stage::AtCapacity => "达产",
        Stage::Suspended => "停建",
        Stage::Cancelled => "取消",
    }
}

fn category_label(c: Category) -> &'static str {
    match c {
        Category::Industrial => "产业类",
        Category::Infrastructure => "基础设施类",
        Category::Social => "社会民生类",
    }
}

fn nature_label(n: Nature) -> &'static str {
    match n {
        Nature::New => "新建",
        Nature::Continuing => "续建",
        Nature::Preliminary => "前期",
    }
}

/// The fields an update changes, shown as the ledger would write them.
fn changes(before: &Fields, after: &Fields) -> Vec<Change> {
    fn opt<T>(v: &Option<T>, show: impl Fn(&T) -> String) -> String {
        v.as_ref().map(show).unwrap_or_default()
    }
    let wan = |m: &Money| format!("{}万元", m.wan_string());
    let chain = |c: &Chain| match c {
        Chain::Known(id) => format!("#{id}"),
        Chain::New(name) => name.clone(),
    };
    let id = |v: &i64| format!("#{v}");
    let pairs: Vec<(Field, String, String)> = vec![
        (Field::Name, before.name.clone(), after.name.clone()),
        (
            Field::Investor,
            opt(&before.investor, String::clone),
            opt(&after.investor, String::clone),
        ),
        (
            Field::Category,
            category_label(before.category).into(),
            category_label(after.category).into(),
        ),
        (
            Field::Nature,
            nature_label(before.nature).into(),
            nature_label(after.nature).into(),
        ),
        (
            Field::IndustryChain,
            opt(&before.industry_chain, chain),
            opt(&after.industry_chain, chain),
        ),
        (
            Field::TotalInvestment,
            wan(&before.total_investment),
            wan(&after.total_investment),
        ),
        (
            Field::LandMu,
            opt(&before.land, |m| format!("{m}亩")),
            opt(&after.land, |m| format!("{m}亩")),
        ),
        (
            Field::FloorArea,
            opt(&before.floor_area_m2, |a| format!("{a}平方米")),
            opt(&after.floor_area_m2, |a| format!("{a}平方米")),
        ),
        (
            Field::ConstructionContent,
            opt(&before.construction_content, String::clone),
            opt(&after.construction_content, String::clone),
        ),
        (
            Field::AnnualOutput,
            opt(&before.annual_output, wan),
            opt(&after.annual_output, wan),
        ),
        (
            Field::AnnualTax,
            opt(&before.annual_tax, wan),
            opt(&after.annual_tax, wan),
        ),
        (
            Field::Jobs,
            opt(&before.jobs, i64::to_string),
            opt(&after.jobs, i64::to_string),
        ),
        (
            Field::Registered,
            yes_no(before.registered).into(),
            yes_no(after.registered).into(),
        ),
        (
            Field::Liaison,
            opt(&before.liaison_user_id, id),
            opt(&after.liaison_user_id, id),
        ),
        (
            Field::Department,
            opt(&before.department_id, id),
            opt(&after.department_id, id),
        ),
        (
            Field::ProjectCode,
            opt(&before.project_code, String::clone),
            opt(&after.project_code, String::clone),
        ),
    ];
    pairs
        .into_iter()
        .filter(|(_, b, a)| b != a)
        .map(|(field, before, after)| Change {
            field,
            label: field.label(),
            before,
            after,
        })
        .collect()
}

fn yes_no(v: bool) -> &'static str {
    if v {
        "是"
    } else {
        "否"
    }
}

#[cfg(test)]
mod tests;
