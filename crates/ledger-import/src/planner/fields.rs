//! A row's fields: a new project's with defaults, or an existing one's with the filled cells over it.

use kfq_domain::{Category, Nature};
use kfq_workbook::{Field, Issue, ProjectRow};

use super::{Place, Planner};
use crate::input::{Chain, Fields, ZoneData};
use crate::names::find_name;
use crate::output::RowPlan;

impl Planner<'_> {
    /// A new project's fields, with defaults for what the ledger leaves out.
    pub(super) fn created(
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
    pub(super) fn merged(
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
}
